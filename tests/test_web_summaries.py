"""One-line summaries shown under titles in feeds, on paper pages, in the API and in
digests: Hugging Face's where they gave one, ours otherwise, each marked with whose."""

from __future__ import annotations

import email
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from paperwire.application.understanding import follow_changes
from paperwire.config import load_settings
from paperwire.mail.run import compose_digests
from paperwire.mail.settings import load_mail_settings
from paperwire.model import Author, Paper
from paperwire.store import PaperStore
from paperwire.understanding.annotators import annotate_summaries
from web_helpers import make_app

DAY = date(2026, 11, 24)
OURS = "We propose LongSpec, a draft model with a sliding memory for speculative decoding."
THEIRS = "GraphCast forecasts <b>weather</b> ten days ahead with a graph network."


def _papers() -> list[Paper]:
    ours = Paper(
        "2611.00001",
        "LongSpec: Speculative Decoding for Long Contexts",
        "Speculative decoding is slow on long contexts. In this paper, we propose LongSpec,"
        " a draft model with a sliding memory for speculative decoding. It is 3.2x faster.",
        authors=[Author("Ada Lovelace")],
        listed_on=DAY,
        upvotes=20,
        organization="DeepMind",
    )
    theirs = replace(
        ours,
        id="2611.00002",
        title="GraphCast: Learning Weather Forecasts",
        abstract="We propose GraphCast, a learned weather model for medium-range forecasts.",
        ai_summary=THEIRS,
        upvotes=10,
    )
    return [ours, theirs]


def _filled(store: PaperStore) -> PaperStore:
    store.upsert_papers(_papers())
    follow_changes(store, annotators=(annotate_summaries,))
    return store


def _line_under_title(html: str, paper_id: str) -> tuple[str, str]:
    """The summary text and its mark, from the paper's feed item, checked to come
    right after its title."""
    anchor = "p-" + paper_id.replace(".", "-")
    item = html[html.index(f'id="{anchor}"') :]
    item = item[: item.index("</li>")]
    after_title = item[item.index("</h3>") + len("</h3>") :].lstrip()
    match = re.match(
        r'<p class="summary-line" data-source="(\w+)">(.*?) <span class="summary-source"'
        r' title="[^"]+">([^<]+)</span></p>',
        after_title,
    )
    assert match, after_title[:300]
    return match.group(2), f"{match.group(1)}: {match.group(3)}"


def test_every_feed_shows_the_summary_under_the_title(store: PaperStore) -> None:
    _filled(store)
    with TestClient(make_app(store, None)) as client:
        pages = {
            "day": client.get("/papers", params={"date": DAY.isoformat()}),
            "week": client.get("/papers", params={"week": "2026-W48"}),
            "month": client.get("/papers", params={"month": "2026-11"}),
            "trending": client.get("/trending"),
            "organisation": client.get("/orgs/deepmind"),
        }
    for name, page in pages.items():
        assert page.status_code == 200, name
        assert _line_under_title(page.text, "2611.00001") == (
            OURS,
            "paperwire: Summary · paperwire",
        )
        text, mark = _line_under_title(page.text, "2611.00002")
        assert text == THEIRS.replace("<", "&lt;").replace(">", "&gt;"), name
        assert mark == "huggingface: AI summary · Hugging Face"


def test_the_paper_page_and_the_api_name_whose_summary_it_is(store: PaperStore) -> None:
    _filled(store)
    with TestClient(make_app(store, None)) as client:
        page = client.get("/papers/2611.00001").text
        ours = client.get("/api/papers/2611.00001").json()
        theirs = client.get("/api/papers/2611.00002").json()
        daily = client.get("/api/daily_papers", params={"date": DAY.isoformat()}).json()
        mirror = client.get("/api/papers").json()["papers"]
    assert f'{OURS} <span class="summary-source"' in page and "Summary · paperwire" in page
    assert (ours["ai_summary"], ours["ai_summary_source"]) == (OURS, "paperwire")
    assert (theirs["ai_summary"], theirs["ai_summary_source"]) == (THEIRS, "huggingface")
    for listed in (daily, [{"paper": p} for p in mirror]):
        sources = {i["paper"]["id"]: i["paper"]["ai_summary_source"] for i in listed}
        assert sources == {"2611.00001": "paperwire", "2611.00002": "huggingface"}


def test_a_paper_without_a_summary_shows_no_line_and_a_cached_page_catches_up(
    store: PaperStore,
) -> None:
    store.upsert_papers(_papers())
    with TestClient(make_app(store, None, page_cache_seconds=600)) as client:
        before = client.get("/papers", params={"date": DAY.isoformat()}).text
        api = client.get("/api/papers/2611.00001").json()
        follow_changes(
            store, annotators=(annotate_summaries,)
        )  # after the page was cached: no new change seq
        after = client.get("/papers", params={"date": DAY.isoformat()}).text
    assert OURS not in before and (api["ai_summary"], api["ai_summary_source"]) == (None, None)
    assert OURS in after


def test_digests_carry_the_summary_and_its_mark(store: PaperStore) -> None:
    _filled(store)
    subscriber, _ = store.add_subscriber("ada@example.org", "daily")
    store.confirm_subscriber(subscriber.id)
    settings = load_settings()
    messages, _ = compose_digests(store, settings, load_mail_settings(settings), DAY)
    assert len(messages) == 1
    message = email.message_from_bytes(messages[0].message)
    parts = {
        p.get_content_type(): p.get_payload(decode=True).decode()
        for p in message.walk()
        if not p.is_multipart()
    }
    text, html = parts["text/plain"], parts["text/html"]
    assert f"{OURS} [Summary · paperwire]" in text
    assert "[AI summary · Hugging Face]" in text and THEIRS in text
    assert OURS in html and THEIRS.replace("<", "&lt;").replace(">", "&gt;") in html


def test_search_results_show_the_summary_under_the_title(store: PaperStore, tmp_path: Path) -> None:
    _filled(store)
    with TestClient(make_app(store, tmp_path / "index")) as client:
        page = client.get("/search", params={"q": "speculative decoding"})
    assert page.status_code == 200
    assert _line_under_title(page.text, "2611.00001") == (OURS, "paperwire: Summary · paperwire")
