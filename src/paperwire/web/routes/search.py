"""``/search``: the query language with filters, sorting, highlighted snippets and pages.

A query that is only an arXiv id or URL goes straight to the paper's page.
A query the engine cannot run shows the engine's message with status 400.
Results say which mode made them: while the index's semantic vectors are
still being made, the page answers with keyword (BM25) results and says how
far the embedding has come.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from paperwire.ids import InvalidArxivId, parse_arxiv_id
from paperwire.phrases import topic_key
from paperwire.search.engine import MAX_PER_PAGE, MAX_RESULTS, SORTS
from paperwire.search.query import FILTER_NAMES, QueryError
from paperwire.search.results import SearchResults, Snippet
from paperwire.store.records import ListedPaper
from paperwire.web.render.cards import PaperCard, paper_url
from paperwire.web.render.page_helpers import BadParameter, listed_cards, page_number, pager_for
from paperwire.web.render.templates import FeedLink, render
from paperwire.web.render.text import snippet_html
from paperwire.web.state import app_state

__all__ = ["router", "search_feeds"]

router = APIRouter()


def search_feeds(query: str) -> tuple[FeedLink, ...]:
    q = quote(query, safe="")
    return (
        FeedLink(f"Search: {query} (RSS)", f"/feeds/search.rss?q={q}", "rss"),
        FeedLink(f"Search: {query} (Atom)", f"/feeds/search.atom?q={q}", "atom"),
    )


@router.get("/search", include_in_schema=False)
def search_page(
    request: Request, q: str | None = None, sort: str | None = None, page: str | None = None
) -> Response:
    query = (q or "").strip()
    order = sort or "relevance"
    if order not in SORTS:
        raise BadParameter("sort", f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    number = page_number(page)
    context: dict[str, Any] = {
        "query": query,
        "sort": order,
        "sorts": SORTS,
        "filters": FILTER_NAMES,
    }
    if not query:
        return render(request, "search.html", results=None, error=None, **context)
    target = _paper_named(query)
    if target is not None:
        return RedirectResponse(paper_url(target), status_code=303)
    state = app_state(request)
    engine = state.search_engine()
    if engine is None or state.search is None:
        message = "Search is switched off on this server."
        return render(request, "search.html", status=503, results=None, error=message, **context)
    size = min(state.web.search_page_size, MAX_PER_PAGE)
    try:
        results = engine.search(query, page=number, per_page=size, sort=order)
    except QueryError as exc:
        return render(
            request,
            "search.html",
            status=400,
            results=None,
            error=str(exc),
            search_query=query,
            **context,
        )
    return render(
        request,
        "search.html",
        results=results,
        cards=_cards(request, results),
        pager=pager_for(request, number, min(results.total, MAX_RESULTS), size),
        error=None,
        search_query=query,
        feeds=search_feeds(query),
        index=state.search.status(),
        unknown_keyphrases=_offers(query, results.unknown_keyphrases),
        **context,
    )


_KW_FILTER = re.compile(r'kw:("[^"]*"|\S+)')


def _offers(query: str, unknown: dict[str, list[str]]) -> dict[str, list[tuple[str, str]]]:
    """Each kw: key no paper carries, with its close keys as (key, search URL): the same
    query with that filter's value replaced by the close key."""
    return {
        key: [
            (close, "/search?q=" + quote(_swap_keyphrase(query, key, close), safe=""))
            for close in keys
        ]
        for key, keys in unknown.items()
    }


def _swap_keyphrase(query: str, key: str, close: str) -> str:
    def swap(match: re.Match[str]) -> str:
        same = topic_key(match.group(1).strip('"')) == key
        return f'kw:"{close}"' if same else match.group(0)

    return _KW_FILTER.sub(swap, query)


def _paper_named(query: str) -> str | None:
    """The canonical id when the whole query is one arXiv id or URL, as pasted
    (``arXiv:2503.12885 [cs.CV]``, a DOI, an alphaXiv or Hugging Face link)."""
    try:
        return parse_arxiv_id(query).id
    except InvalidArxivId:
        return None


def _whole(title: str, snippet: Snippet) -> Snippet:
    """The highlights of a title fragment moved onto the whole title (a fragment may drop
    leading or trailing punctuation; a title is always shown whole)."""
    start = title.find(snippet.text)
    if start < 0:
        return Snippet(title) if snippet.text != title else snippet
    moved = [(begin + start, end + start) for begin, end in snippet.highlights]
    return Snippet(title, moved)


def _cards(request: Request, results: SearchResults) -> list[PaperCard]:
    hits = [hit for hit in results.hits if hit.paper is not None]
    votes = app_state(request).store.local_votes(hit.paper_id for hit in hits)
    listed = [ListedPaper(hit.paper, votes.get(hit.paper_id, 0)) for hit in hits if hit.paper]
    cards = listed_cards(request, listed)
    for card, hit in zip(cards, hits, strict=True):
        if hit.title is not None and hit.title.highlights:
            card.title_html = snippet_html(_whole(card.paper.title, hit.title))
        if hit.snippet is not None and hit.snippet.text:
            card.snippet_html = snippet_html(hit.snippet)
            if card.summary is not None and _says_first(hit.snippet.text, card.summary.text):
                card.summary = None  # the snippet shows that sentence, with its matches
    return cards


def _says_first(snippet: str, sentence: str) -> bool:
    """Whether ``snippet`` opens with ``sentence``: an extractive summary of the abstract
    it comes from, which may have lost an opening clause ("In this paper, we propose"
    gives "We propose"), case and spaces aside. A split at an abbreviation only keeps
    a line that was a repeat."""
    said = " ".join(sentence.split()).casefold().rstrip(".!?")
    first = " ".join(snippet.split()).casefold().split(". ", 1)[0].rstrip(".!?")
    return bool(said) and first.endswith(said)
