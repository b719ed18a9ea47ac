"""Thumbnails in a browser: the feed does not move as its lazy thumbnails arrive.

The PDFs are made in the test, served by a loopback replay server and turned
into stored thumbnails by one run of the fetcher; then chromium opens a month
of the feed against ``paperwire serve``. Every thumbnail response is held back
until the page has been laid out and is released while the page scrolls, as on
a slow network, so an image without a reserved box would push the text below
it. Cumulative Layout Shift is read from the browser's own ``layout-shift``
entries (https://web.dev/articles/cls): a page is good below 0.1. The sum of
every shift is used, which is never below CLS's largest session window.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from serving import serving

from paperwire.application.thumbnails import refresh_thumbnails, wanted_papers
from paperwire.search.engine import SearchEngine
from paperwire.store import SQLiteStore
from pdf_helpers import text_and_figure_pdf
from replay_server import Reply, live_settings, replay_server
from web_helpers import NOW, fill_store

MONTH = "/papers?month=2026-11"
GOOD_CLS = 0.1  # web.dev's threshold for a good page
SEEN_SHIFT = 0.02  # a shift no rounding or stray repaint makes

# Installed before any page script runs; buffered, so shifts before it started count too.
CLS_OBSERVER = """
window.__layoutShifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__layoutShifts.push(entry.value);
  }
}).observe({ type: "layout-shift", buffered: true });
"""

ALL_LOADED = """
() => [...document.querySelectorAll("img.thumbnail")]
  .every((img) => img.complete && img.naturalWidth > 0)
"""


@pytest.fixture(scope="module")
def thumbnail_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``paperwire serve`` on a filled store whose wanted papers all have a thumbnail."""
    folder = tmp_path_factory.mktemp("thumbnails")
    db = folder / "store.db"
    store = fill_store(SQLiteStore(db))
    with replay_server() as pdfs:
        wanted = wanted_papers(store, NOW.date())
        for paper in wanted:
            pdf = text_and_figure_pdf(f"Paper {paper.id}")
            pdfs.add(f"/pdf/{paper.id}", Reply(200, pdf, {"Content-Type": "application/pdf"}))
        report = refresh_thumbnails(store, live_settings(pdfs, folder), NOW.date(), cap=50)
    assert (report.made, report.failed) == (len(wanted), 0), report.problems
    SearchEngine(store, db.with_name(db.name + ".indexes"), None).update()
    store.close()
    with serving(db, folder, {"PAPERWIRE_HTTP_RETRIES": "0"}) as url:
        yield url


def _cumulative_layout_shift(
    browser: object, url: str, html_edit: Callable[[str], str] | None = None
) -> tuple[float, Any]:
    """Open ``url`` (its HTML changed by ``html_edit`` if given), release the held
    thumbnails while scrolling to the bottom, and return the summed layout shift
    with the page, once every thumbnail has loaded."""
    context = browser.new_context(  # type: ignore[attr-defined]
        base_url=url, viewport={"width": 1000, "height": 700}
    )
    context.add_init_script(CLS_OBSERVER)
    page = context.new_page()
    held: list[object] = []
    page.route(re.compile(r"/thumbnails/"), lambda route: held.append(route))
    if html_edit is not None:

        def edit(route) -> None:  # type: ignore[no-untyped-def]
            answer = route.fetch()
            route.fulfill(response=answer, body=html_edit(answer.text()))

        page.route(re.compile(r"/papers\?month="), edit)
    page.goto(MONTH, wait_until="domcontentloaded")
    page.wait_for_timeout(300)  # laid out and painted with no thumbnail yet
    assert page.evaluate("window.__layoutShifts.length") == 0
    height = page.evaluate("document.documentElement.scrollHeight")
    for top in range(0, height + 700, 250):
        page.evaluate(f"window.scrollTo(0, {top})")
        page.wait_for_timeout(120)
        while held:
            held.pop().continue_()  # type: ignore[attr-defined]
    page.wait_for_function(ALL_LOADED, timeout=10_000)
    page.wait_for_timeout(300)  # the last images' layout and paint
    shifts = page.evaluate("window.__layoutShifts")
    return float(sum(shifts)), page


def test_the_feed_does_not_shift_as_its_lazy_thumbnails_arrive(
    browser: object,
    thumbnail_server: str,
    shoot,  # type: ignore[no-untyped-def]
) -> None:
    cls, page = _cumulative_layout_shift(browser, thumbnail_server)
    images = page.locator("img.thumbnail")
    assert images.count() >= 8
    assert all(img.get_attribute("loading") == "lazy" for img in images.all())
    widths = page.evaluate(
        "[...document.querySelectorAll('img.thumbnail')]"
        ".map((img) => img.getBoundingClientRect().width)"
    )
    assert all(width > 50 for width in widths), widths  # the pictures are shown
    assert cls < GOOD_CLS, cls
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "feed-thumbnails")
    page.context.close()


def test_the_measure_sees_the_shift_of_images_without_a_reserved_box(
    browser: object, thumbnail_server: str
) -> None:
    """The same page with the images' width and height attributes taken out: the
    measurement must catch what the attributes prevent."""

    def strip_size(html: str) -> str:
        return re.sub(r'(<img class="thumbnail"[^>]*?) width="\d+" height="\d+"', r"\1", html)

    cls, page = _cumulative_layout_shift(browser, thumbnail_server, strip_size)
    assert page.locator("img.thumbnail[height]").count() == 0
    # How much it shifts depends on how tall the cards are; that it shifts at all
    # (against 0.0 with the boxes reserved) is what shows the measure works.
    assert cls > SEEN_SHIFT, cls
    page.context.close()
