"""Nothing is wider than a phone: at 390 px, the feed, a paper page, a topic page, an
author page and "For you" (cards with their summary, keyphrase links, thumbnail, author
links and triage controls, under the header's links and account) scroll only down."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
from browser_accounts import register
from serving import serving

from paperwire.application.understanding import follow_changes
from paperwire.ingest.pdf_thumbnail import render_thumbnail
from paperwire.search.engine import SearchEngine
from paperwire.store import SQLiteStore
from paperwire.store.thumbnails import StoredThumbnail, ThumbnailAttempt
from paperwire.web.render.cards import topic_url
from pdf_helpers import text_and_figure_pdf
from web_helpers import NOW, fill_store

PHONE = {"width": 390, "height": 844}
PAPER = "2611.00001"  # three authors, keyphrases, a thumbnail and a comment here
LONG_KEYWORDS = "2611.00002"  # given long keywords below
# The elements whose right edge is past the viewport, to say which one widens the page.
STICKING_OUT = """() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > width + 0.5)
        .map(e => `${e.tagName}.${e.className} "${e.textContent.trim().slice(0, 40)}"`)
        .slice(0, 8);
}"""


@pytest.fixture(scope="module")
def phone_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """``paperwire serve`` on a filled store with keyphrases, a thumbnail and a comment;
    yields its base URL and the path of one topic page."""
    folder = tmp_path_factory.mktemp("phone")
    db = folder / "store.db"
    store = fill_store(SQLiteStore(db))
    # Hugging Face's keywords can be long phrases: each is one unbreakable chip.
    long_words = replace(
        store.get_paper(LONG_KEYWORDS),
        keywords=[
            "training-free anti-artifact mechanism for long interactive video generation",
            "masked video diffusion transformer",
        ],
        # A formula that lost its backslashes: one unbroken token in the summary line.
        abstract="We propose a chain perceptionRightarrowinternalizationRightarrowreasoning"
        "RightarrowplanningRightarrowacting for agents.",
    )
    store.upsert_papers([long_words])
    follow_changes(store)
    made = render_thumbnail(text_and_figure_pdf())
    thumbnail = StoredThumbnail(PAPER, made.image, made.width, made.height, "phone")
    store.record_thumbnail_attempt(ThumbnailAttempt(PAPER, NOW.isoformat(), thumbnail=thumbnail))
    writer = store.create_user("writer", "not a hash")
    store.add_comment(PAPER, writer.id, "A comment with a long-ish word: " + "x" * 80, None, 1.0)
    [first, *_] = store.keyphrases_of([PAPER])[PAPER]
    SearchEngine(store, db.with_name(db.name + ".indexes"), None).update()
    store.close()
    with serving(db, folder, {"PAPERWIRE_HTTP_RETRIES": "0"}) as url:
        yield url, topic_url(first.key)


def _assert_fits(page, where: str) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (where, width, page.evaluate(STICKING_OUT))


def test_no_page_is_wider_than_a_phone(
    browser: object,
    phone_server: tuple[str, str],
    shoot: Callable[[object, str], None],
) -> None:
    url, topic = phone_server
    context = browser.new_context(base_url=url, viewport=PHONE)  # type: ignore[attr-defined]
    page = context.new_page()
    pages = {
        "/": "feed",
        f"/papers/{PAPER}": "paper",
        f"/papers/{LONG_KEYWORDS}": "paper-long-keywords",
        topic: "topic",
        "/authors/Ada%20Lovelace": "author",
    }
    for path, name in pages.items():
        page.goto(path)
        assert page.locator(".keyphrase").count() > 0, path  # the cards' new parts are there
        _assert_fits(page, path)
        shoot(page, f"phone-{name}")
    page.goto("/")
    assert page.locator("img.thumbnail").count() > 0

    # Logged in: the account's links, the notification count and the triage controls.
    register(page, "phone")
    page.goto(f"/papers/{PAPER}")
    page.get_by_role("button", name="Save to library").click()
    page.wait_for_url(f"**/papers/{PAPER}")
    for path in ["/for-you", "/", f"/papers/{PAPER}"]:
        page.goto(path)
        assert page.locator(".who").count() == 1, path
        _assert_fits(page, f"{path} (logged in)")
    page.goto("/for-you")
    assert page.locator("li.paper").count() > 0  # "For you" has cards to fit
    shoot(page, "phone-for-you")
    context.close()
