"""Code activity in a browser: a paper page lists the Hub artifacts citing the paper, and
/trending offers the "by code activity" ordering, each paper saying why it is there,
with its explanation one link away; chromium against ``paperwire serve``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from serving import serving

from paperwire.search.engine import SearchEngine
from paperwire.store import SQLiteStore
from paperwire.store.code_records import Artifact
from test_web_code_activity import COT, MOE, record_week
from web_helpers import fill_store


@pytest.fixture(scope="module")
def code_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``paperwire serve`` on a filled store with a week of stars and some artifacts."""
    folder = tmp_path_factory.mktemp("code")
    db = folder / "store.db"
    store = fill_store(SQLiteStore(db))
    record_week(store, {COT: ("example/cot", 100, 50), MOE: ("example/moe", 1000, 5)})
    models = [Artifact("model", f"org/model-{n}", n, 10 * n) for n in range(1, 13)]
    store.replace_artifacts(COT, [*models, Artifact("dataset", "org/data", 4, 9)])
    SearchEngine(store, db.with_name(db.name + ".indexes"), None).update()
    store.close()
    with serving(db, folder, {"PAPERWIRE_HTTP_RETRIES": "0"}) as url:
        yield url


def test_artifacts_on_a_paper_page_and_the_code_ordering_with_its_explanation(
    browser: object,
    code_server: str,
    shoot,  # type: ignore[no-untyped-def]
) -> None:
    context = browser.new_context(base_url=code_server)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"/papers/{COT}")
    heading = page.get_by_role("heading", name="Models citing this paper (12)")
    assert heading.is_visible()
    models = page.locator("#artifacts-model + ul li a")
    assert models.count() == 5 and models.first.inner_text() == "org/model-12"
    assert page.get_by_role("heading", name="Datasets citing this paper (1)").is_visible()
    shoot(page, "paper-artifacts")

    page.goto("/trending")
    page.get_by_role("link", name="By code activity").click()
    page.wait_for_url("**/trending?by=code")
    titles = page.locator("ol.papers h3.title a")
    assert titles.count() == 2
    assert titles.first.get_attribute("href") == f"/papers/{COT}"
    assert "+350 stars this week" in page.locator(".why").first.inner_text()
    shoot(page, "trending-by-code")
    page.get_by_role("link", name="How this ordering works").click()
    explained = page.get_by_role("heading", name="Trending by code activity")
    assert explained.is_visible()
    context.close()
