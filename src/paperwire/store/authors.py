"""Author pages: the papers that list one author name, its co-authors and organisations.

A query mixin of both stores over ``paper_authors``, one row per (name, paper)
written with each paper. A name is the key exactly as ingest normalised it
(``ingest.records.unicode_author``: TeX accents in Unicode, one clean line), so
two people of one name share a page and one person written two ways has two:
the page groups papers by name and claims no identity. Deleted papers are left
out, as everywhere a list is shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from paperwire.model import Paper
from paperwire.organizations import canonical_organization, organization_group, preferred_name
from paperwire.store.records import AuthorPage, ListedPaper, NameCount
from paperwire.store.sql import SqlBackend, SqlConnection

__all__ = ["AuthorsMixin", "write_author_rows"]

# The newest papers of a name read for its organisations: a bound on the work of a
# page, and the recent affiliations are the ones a reader looks for.
_ORGANIZATION_SAMPLE = 100


class AuthorsMixin(SqlBackend):
    def get_papers(self, ids: Iterable[str]) -> dict[str, Paper]:
        raise NotImplementedError  # provided by PapersMixin

    def local_votes(self, ids: Iterable[str]) -> dict[str, int]:
        raise NotImplementedError  # provided by FeedQueriesMixin

    def author_page(
        self, name: str, *, offset: int = 0, limit: int = 25, related: int = 10
    ) -> AuthorPage:
        """The papers listing author ``name`` (newest published first, ``limit`` from
        ``offset``), how many there are, and the ``related`` most frequent co-authors
        and organisations (the name's own affiliations, else the paper's organisation)."""
        conn = self._reader()
        ids = _paper_ids(conn, name)
        total = len(ids)
        page_ids = ids[offset : offset + limit]
        papers = self.get_papers(ids[: max(_ORGANIZATION_SAMPLE, offset + limit)])
        votes = self.local_votes(page_ids)
        items = [ListedPaper(papers[i], votes.get(i, 0)) for i in page_ids if i in papers]
        sample = [papers[i] for i in ids[:_ORGANIZATION_SAMPLE] if i in papers]
        return AuthorPage(
            name=name,
            total=total,
            items=items,
            coauthors=_coauthors(conn, name, related),
            organizations=_organizations(name, sample, related),
        )

    def author_paper_ids(self, name: str, limit: int) -> list[str]:
        return _paper_ids(self._reader(), name)[:limit]


def write_author_rows(conn: SqlConnection, papers: list[Paper]) -> None:
    """Replace the author rows of ``papers`` (inside their papers transaction)."""
    if not papers:
        return
    conn.executemany("DELETE FROM paper_authors WHERE paper_id = ?", [(p.id,) for p in papers])
    rows = [(name, p.id) for p in papers for name in dict.fromkeys(a.name for a in p.authors)]
    if rows:
        conn.executemany(
            "INSERT INTO paper_authors (name, paper_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [row for row in rows if row[0]],
        )


def _paper_ids(conn: SqlConnection, name: str) -> list[str]:
    rows = conn.execute(
        "SELECT a.paper_id FROM paper_authors a JOIN papers p ON p.id = a.paper_id"
        " WHERE a.name = ? AND p.deleted_on IS NULL"
        " ORDER BY COALESCE(p.published, p.listed_on) DESC, a.paper_id DESC",
        (name,),
    )
    return [str(row[0]) for row in rows]


def _coauthors(conn: SqlConnection, name: str, limit: int) -> list[NameCount]:
    rows = conn.execute(
        "SELECT o.name, COUNT(*) AS n FROM paper_authors a"
        " JOIN paper_authors o ON o.paper_id = a.paper_id AND o.name <> a.name"
        " JOIN papers p ON p.id = a.paper_id"
        " WHERE a.name = ? AND p.deleted_on IS NULL"
        " GROUP BY o.name ORDER BY n DESC, o.name LIMIT ?",
        (name, limit),
    )
    return [NameCount(str(n), int(c)) for n, c in rows]


def _organizations(name: str, papers: list[Paper], limit: int) -> list[NameCount]:
    """Each paper counts once per organisation, spellings grouped as the org pages do."""
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for paper in papers:
        places = [aff for a in paper.authors if a.name == name for aff in a.affiliations]
        if not places and paper.organization:
            places = [paper.organization]
        groups: dict[str, str] = {}
        for place in places:
            canonical = canonical_organization(place)
            if canonical:
                groups.setdefault(organization_group(canonical), canonical)
        for group, spelling in groups.items():
            counts[group] += 1
            spellings.setdefault(group, Counter())[spelling] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [NameCount(preferred_name(spellings[g].items()), n) for g, n in ranked]
