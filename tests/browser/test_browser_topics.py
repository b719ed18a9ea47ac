"""Keyphrases in a browser: a feed item shows its keyphrases as links, one of them leads
to its topic page with the papers-per-week chart; chromium against ``paperwire serve``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from serving import serving

from paperwire.application.understanding import follow_changes
from paperwire.search.engine import SearchEngine
from paperwire.store import SQLiteStore
from test_web_topics import speculative
from web_helpers import NEWEST_DAY, fill_store


@pytest.fixture(scope="module")
def topics_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``paperwire serve`` on a filled store whose papers have their keyphrases."""
    folder = tmp_path_factory.mktemp("topics")
    db = folder / "store.db"
    store = fill_store(SQLiteStore(db))
    store.upsert_papers(
        [speculative(100 + i, NEWEST_DAY - timedelta(days=3 * i)) for i in range(8)]
    )
    follow_changes(store)
    SearchEngine(store, db.with_name(db.name + ".indexes"), None).update()
    store.close()
    with serving(db, folder, {"PAPERWIRE_HTTP_RETRIES": "0"}) as url:
        yield url


def test_keyphrase_links_in_the_feed_lead_to_a_topic_page_with_its_chart(
    browser: object,
    topics_server: str,
    shoot,  # type: ignore[no-untyped-def]
) -> None:
    context = browser.new_context(base_url=topics_server)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"/papers?date={NEWEST_DAY.isoformat()}")
    item = page.locator("li.paper", has_text="Speculative Decoding Trick 100")
    links = item.locator("p.keyphrases a.keyphrase")
    assert links.count() >= 3
    assert item.locator("a.keyphrase.theirs").count() >= 1  # Hugging Face's, marked
    assert item.locator(".keyphrases .source-mark").inner_text() == "Hugging Face"
    shoot(page, "feed-keyphrases")

    item.get_by_role("link", name="speculative decoding", exact=True).first.click()
    page.wait_for_url("**/topics/speculative%20decoding")
    assert page.get_by_role("heading", name="speculative decoding", exact=True).is_visible()
    chart = page.locator("svg.topic-chart")
    assert chart.is_visible()
    assert chart.locator("rect").count() == 26
    box = chart.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 50
    assert page.locator("ol.papers li.paper").count() == 8
    assert page.get_by_text("to follow this topic").is_visible()
    shoot(page, "topic-page")
    context.close()
