"""What a paper's page tells tools in its ``<head>``: citation managers, search engines
and link previews.

- Highwire Press ``citation_*`` tags, which Google Scholar indexes
  (https://scholar.google.com/intl/en/scholar/inclusion.html#indexing) and Zotero's
  Embedded Metadata translator reads: title, each author, publication date
  (``YYYY/MM/DD``, as Scholar asks), the arXiv id (``citation_arxiv_id``, as arXiv's
  own abstract pages write it), PDF and abstract URLs, DOI.
- OpenGraph (https://ogp.me/) and Twitter card tags
  (https://developer.x.com/en/docs/x-for-websites/cards/overview/markup): title and
  description, the summary or else the abstract's start.
- JSON-LD, a schema.org ``ScholarlyArticle`` (https://schema.org/ScholarlyArticle).

Every value is text here; the template escapes the attributes, and ``json_ld``
escapes what could close its ``<script>`` element.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from markupsafe import Markup

from paperwire.model import Paper

__all__ = ["DESCRIPTION_CHARS", "META_AUTHORS", "PaperMeta", "description", "paper_meta"]

DESCRIPTION_CHARS = 200  # link previews cut around here; a whole abstract is noise
# Authors listed in the tags and JSON-LD: a collaboration's thousands of names would
# make the page mostly metadata; citation styles cut far sooner ("et al.").
META_AUTHORS = 100


@dataclass(frozen=True, slots=True)
class PaperMeta:
    """The ``<meta>`` tags of one page: ``names`` (``name=``) and ``properties``
    (``property=``, OpenGraph's attribute), each a list of (key, content) pairs, and
    the JSON-LD document as a ``<script>`` body."""

    names: list[tuple[str, str]]
    properties: list[tuple[str, str]]
    json_ld: Markup


def paper_meta(paper: Paper, page_url: str, summary: str | None = None) -> PaperMeta:
    """The tags for ``paper``'s page at the absolute URL ``page_url``; ``summary`` is
    the one-line summary where there is one (else the abstract's start describes it)."""
    title = " ".join(paper.title.split())
    about = description(summary or paper.abstract)
    authors = [a.name for a in paper.authors[:META_AUTHORS]]
    names: list[tuple[str, str]] = [("description", about), ("citation_title", title)]
    names += [("citation_author", name) for name in authors]
    if paper.published:
        names.append(("citation_publication_date", f"{paper.published:%Y/%m/%d}"))
    if paper.updated and paper.updated != paper.published:
        names.append(("citation_online_date", f"{paper.updated:%Y/%m/%d}"))
    if paper.is_arxiv:
        names.append(("citation_arxiv_id", paper.id))
    if paper.pdf_url and not paper.deleted:
        names.append(("citation_pdf_url", paper.pdf_url))
    names.append(("citation_abstract_html_url", paper.abs_url or page_url))
    if paper.doi:
        names.append(("citation_doi", paper.doi))
    names += [
        ("twitter:card", "summary"),
        ("twitter:title", title),
        ("twitter:description", about),
    ]
    properties = [
        ("og:type", "article"),
        ("og:site_name", "paperwire"),
        ("og:title", title),
        ("og:description", about),
        ("og:url", page_url),
    ]
    if paper.published:
        properties.append(("article:published_time", paper.published.isoformat()))
    return PaperMeta(names, properties, json_ld(_scholarly_article(paper, page_url, authors)))


def description(text: str | None) -> str:
    """``text`` on one line, cut at a word before ``DESCRIPTION_CHARS`` with "…"."""
    flat = " ".join((text or "").split())
    if len(flat) <= DESCRIPTION_CHARS:
        return flat
    cut = flat[: DESCRIPTION_CHARS - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


def json_ld(document: dict[str, object]) -> Markup:
    """``document`` as JSON safe inside ``<script type="application/ld+json">``: the
    characters that could end the element or open a comment are written as escapes
    (https://html.spec.whatwg.org/multipage/scripting.html#restrictions-for-contents-of-script-elements)."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _scholarly_article(paper: Paper, page_url: str, authors: list[str]) -> dict[str, object]:
    title = " ".join(paper.title.split())
    article: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "name": title,
        "headline": title if len(title) <= 110 else title[:109] + "…",  # Google's limit
        "url": page_url,
        "author": [{"@type": "Person", "name": name} for name in authors],
    }
    if paper.abstract:
        article["abstract"] = " ".join(paper.abstract.split())
    if paper.published:
        article["datePublished"] = paper.published.isoformat()
    if paper.updated:
        article["dateModified"] = paper.updated.isoformat()
    if paper.is_arxiv:
        article["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "arXiv",
            "value": paper.id,
        }
    same_as = [url for url in (paper.abs_url,) if url]
    if paper.doi:
        same_as.append(f"https://doi.org/{paper.doi}")
    if same_as:
        article["sameAs"] = same_as
    if paper.categories:
        article["keywords"] = list(paper.categories)
    return article
