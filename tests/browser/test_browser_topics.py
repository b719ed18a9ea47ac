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
    papers = [speculative(100 + i, NEWEST_DAY - timedelta(days=3 * i)) for i in range(8)]
    papers[0].keywords = [*papers[0].keywords, "tree attention"]  # one only Hugging Face gives
    store.upsert_papers(papers)
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
    # A key both give is one chip, ours, marked; theirs alone follow their own label,
    # on a line of their own after ours.
    topic = "[href='/topics/speculative%20decoding']"
    assert item.locator(f"a.keyphrase{topic}").count() == 1
    assert item.locator(f"a.keyphrase.shared{topic}").is_visible()
    group = item.get_by_role("group", name="Hugging Face's keywords")
    assert group.locator("a.keyphrase.theirs").all_inner_texts() == ["tree attention"]
    label = group.locator(".source-label")
    assert label.inner_text() == "Hugging Face's:"
    first_chip = item.locator("a.keyphrase").first.bounding_box()
    label_box = label.bounding_box()
    assert first_chip is not None and label_box is not None
    assert label_box["y"] >= first_chip["y"] + first_chip["height"] - 1
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
