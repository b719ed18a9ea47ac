"""A stored paper brought up to today's import rules, from what its record still holds.

Older versions of paperwire stored some records wrongly: an arXiv author string
with numbered affiliations split into fragments, names and titles in raw TeX,
GitHub links written without a scheme missed, one project page twice,
organisation names as Hugging Face users typed them, a withdrawal notice
in the comment not marked. Those faults can be
undone from the stored record alone, and ``repaired`` undoes them.

Two kinds cannot be: abstract paragraphs that an older import merged into one,
and an author's second affiliation it dropped. The record no longer holds
them; the paper gets them back when its source is imported again (see
``model.RECORD_RULES``: the store notes which rules wrote each paper).
"""

from __future__ import annotations

from dataclasses import replace

from paperwire.ingest.authors import reparse_authors
from paperwire.ingest.links import extract_links
from paperwire.ingest.records import unicode_author
from paperwire.ingest.tex import has_tex_macro, tex_to_unicode
from paperwire.ingest.text import clean_line, clean_paragraphs
from paperwire.ingest.withdrawal import is_withdrawal_notice
from paperwire.model import Paper, unique_links
from paperwire.organizations import canonical_organization

__all__ = ["repaired"]


def repaired(paper: Paper) -> Paper:
    """``paper`` as today's importers would have stored it from the same record.

    Returns a new Paper (equal to ``paper`` when nothing needed repair); never
    raises on a record the store accepted.
    """
    title = clean_line(_unicode(paper.title)) or paper.title
    abstract = clean_paragraphs(paper.abstract, _unicode)
    comment = clean_line(_unicode(paper.comment or "")) or None
    authors = [a for a in map(unicode_author, reparse_authors(paper.authors)) if a.name]
    repos, pages = extract_links(abstract, comment)
    organization = canonical_organization(paper.organization) if paper.organization else None
    return replace(
        paper,
        title=title,
        abstract=abstract,
        comment=comment,
        authors=authors,
        github_repos=unique_links(paper.github_repos, repos),
        project_pages=unique_links(paper.project_pages, pages),
        organization=organization,
        withdrawn=paper.withdrawn or is_withdrawal_notice(comment),
    )


def _unicode(text: str) -> str:
    # Converting text twice is not the same as once (the literal braces of an escaped
    # "\{" would go), so only text that still holds a macro is converted.
    return tex_to_unicode(text) if has_tex_macro(text) else text
