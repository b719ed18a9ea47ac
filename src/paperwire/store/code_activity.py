"""Code activity and linked artifacts: GitHub repositories, star history, Hub artifacts.

A query mixin of both stores. What GitHub last said of a repository is kept
by the repository (``code_repos``: stars, ETag, its name after a rename, the day
it answered 404); each paper keeps a short daily history of its stars
(``paper_stars``, one row per day it was checked, pruned after
``STAR_HISTORY_DAYS``) so "stars gained this week" is read from the store,
never from the network. The Hugging Face models, datasets and Spaces that
cite a paper are ``paper_artifacts``, replaced whole for a paper each time it
is asked about. Every write bumps ``code_activity_version`` so pages cached by
the change sequence know to refresh.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

from paperwire.store.code_records import (
    ARTIFACT_KINDS,
    Artifact,
    CodeRepoState,
    PaperArtifacts,
)
from paperwire.store.sql import SqlBackend, in_chunks
from paperwire.store.versions import CODE_ACTIVITY, bump_version

__all__ = ["STAR_HISTORY_DAYS", "CodeActivityMixin"]

STAR_HISTORY_DAYS = 35  # a week's gain for any paper of the last four weeks, and a margin
_REPO_COLUMNS = "repo, current_name, stars, etag, checked_on, gone_on, problem"


class CodeActivityMixin(SqlBackend):
    # -- GitHub repositories and stars ---------------------------------------

    def code_repo_states(self, repos: Iterable[str]) -> dict[str, CodeRepoState]:
        """What is stored of each of ``repos`` (lowercased "owner/name"); unknown ones left out."""
        found: dict[str, CodeRepoState] = {}
        conn = self._reader()
        for chunk, marks in in_chunks(list(dict.fromkeys(r.lower() for r in repos))):
            rows = conn.execute(
                f"SELECT {_REPO_COLUMNS} FROM code_repos WHERE repo IN ({marks})", chunk
            )
            for row in rows:
                state = _repo_state(row)
                found[state.repo] = state
        return found

    def record_code_check(self, state: CodeRepoState, paper_ids: Sequence[str]) -> None:
        """Store what GitHub said of one repository, and, when it has stars, that count as
        each of ``paper_ids``' stars on ``state.checked_on``; all in one transaction."""
        if state.checked_on is None:
            raise ValueError(f"{state.repo}: a check needs its day (checked_on)")
        day = state.checked_on.isoformat()
        with self.transaction() as conn:
            conn.execute(
                f"INSERT INTO code_repos ({_REPO_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (repo) DO UPDATE SET current_name = excluded.current_name,"
                " stars = excluded.stars, etag = excluded.etag, checked_on = excluded.checked_on,"
                " gone_on = excluded.gone_on, problem = excluded.problem",
                (
                    state.repo.lower(),
                    state.current_name,
                    state.stars,
                    state.etag,
                    day,
                    _iso(state.gone_on),
                    state.problem,
                ),
            )
            if state.stars is not None and state.gone_on is None and state.problem is None:
                for paper_id in dict.fromkeys(paper_ids):
                    conn.execute(
                        "INSERT INTO paper_stars (paper_id, day, stars) VALUES (?, ?, ?)"
                        " ON CONFLICT (paper_id, day) DO UPDATE SET stars = excluded.stars",
                        (paper_id, day, state.stars),
                    )
            oldest = (state.checked_on - timedelta(days=STAR_HISTORY_DAYS)).isoformat()
            conn.execute("DELETE FROM paper_stars WHERE day < ?", (oldest,))
            bump_version(conn, CODE_ACTIVITY)

    def star_history(self, paper_ids: Iterable[str]) -> dict[str, list[tuple[date, int]]]:
        """Each paper's stored (day, stars), oldest first; papers without any left out."""
        found: defaultdict[str, list[tuple[date, int]]] = defaultdict(list)
        conn = self._reader()
        for chunk, marks in in_chunks(list(dict.fromkeys(paper_ids))):
            rows = conn.execute(
                f"SELECT paper_id, day, stars FROM paper_stars WHERE paper_id IN ({marks})"
                " ORDER BY paper_id, day",
                chunk,
            )
            for paper_id, day, stars in rows:
                found[str(paper_id)].append((date.fromisoformat(day), int(stars)))
        return dict(found)

    def stars_between(self, first: date, last: date) -> dict[str, list[tuple[date, int]]]:
        """Every paper's (day, stars) recorded from ``first`` to ``last``, oldest first."""
        found: defaultdict[str, list[tuple[date, int]]] = defaultdict(list)
        rows = self._reader().execute(
            "SELECT paper_id, day, stars FROM paper_stars WHERE day BETWEEN ? AND ?"
            " ORDER BY paper_id, day",
            (first.isoformat(), last.isoformat()),
        )
        for paper_id, day, stars in rows:
            found[str(paper_id)].append((date.fromisoformat(day), int(stars)))
        return dict(found)

    def star_history_span(self) -> tuple[date | None, date | None]:
        """The first and the last day any paper's stars were recorded (None, None: never)."""
        first, last = (
            self._reader().execute("SELECT MIN(day), MAX(day) FROM paper_stars").fetchone()
        )
        return _day(first), _day(last)

    def listed_ids(self, first: date, last: date, with_code: bool = False) -> list[str]:
        """Papers listed from ``first`` to ``last`` (only those that link code, with
        ``with_code``), newest listing first."""
        code = " AND p.has_code = 1" if with_code else ""
        rows = self._reader().execute(
            "SELECT l.paper_id, MAX(l.day) AS latest FROM listings l"
            " JOIN papers p ON p.id = l.paper_id"
            f" WHERE l.day BETWEEN ? AND ?{code}"
            " GROUP BY l.paper_id ORDER BY latest DESC, l.paper_id DESC",
            (first.isoformat(), last.isoformat()),
        )
        return [str(row[0]) for row in rows]

    # -- Hugging Face artifacts ----------------------------------------------

    def replace_artifacts(
        self, paper_id: str, artifacts: Iterable[Artifact], checked_at: datetime | None = None
    ) -> int:
        """Make ``artifacts`` the paper's whole list, in one transaction; how many were kept.

        Raises ValueError for an unknown kind (``ARTIFACT_KINDS``), before writing anything.
        """
        items = list({(a.kind, a.artifact_id): a for a in artifacts}.values())
        for item in items:
            if item.kind not in ARTIFACT_KINDS:
                raise ValueError(f"{paper_id}: unknown artifact kind {item.kind!r}")
        when = (checked_at or datetime.now(UTC)).isoformat(timespec="seconds")
        with self.transaction() as conn:
            conn.execute("DELETE FROM paper_artifacts WHERE paper_id = ?", (paper_id,))
            for item in items:
                conn.execute(
                    "INSERT INTO paper_artifacts (paper_id, kind, artifact_id, likes, downloads)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (paper_id, item.kind, item.artifact_id, item.likes, item.downloads),
                )
            conn.execute(
                "INSERT INTO artifact_checks (paper_id, checked_at) VALUES (?, ?)"
                " ON CONFLICT (paper_id) DO UPDATE SET checked_at = excluded.checked_at",
                (paper_id, when),
            )
            bump_version(conn, CODE_ACTIVITY)
        return len(items)

    def paper_artifacts(self, paper_id: str, top: int = 10) -> PaperArtifacts:
        """The paper's artifacts of each kind: the ``top`` most liked, and how many in all."""
        conn = self._reader()
        shown: dict[str, list[Artifact]] = {kind: [] for kind in ARTIFACT_KINDS}
        totals: dict[str, int] = {kind: 0 for kind in ARTIFACT_KINDS}
        for kind, count in conn.execute(
            "SELECT kind, COUNT(*) FROM paper_artifacts WHERE paper_id = ? GROUP BY kind",
            (paper_id,),
        ):
            totals[str(kind)] = int(count)
        for kind in ARTIFACT_KINDS:
            rows = conn.execute(
                "SELECT artifact_id, likes, downloads FROM paper_artifacts"
                " WHERE paper_id = ? AND kind = ?"
                " ORDER BY likes DESC, downloads DESC, artifact_id LIMIT ?",
                (paper_id, kind, top),
            )
            shown[kind] = [Artifact(kind, str(a), int(lk), int(dl)) for a, lk, dl in rows]
        row = conn.execute(
            "SELECT checked_at FROM artifact_checks WHERE paper_id = ?", (paper_id,)
        ).fetchone()
        return PaperArtifacts(paper_id, shown, totals, None if row is None else str(row[0]))

    def artifacts_checked_since(self, paper_ids: Iterable[str], since: datetime) -> set[str]:
        """Those of ``paper_ids`` whose artifacts were asked about at or after ``since``."""
        found: set[str] = set()
        bound = since.isoformat(timespec="seconds")
        conn = self._reader()
        for chunk, marks in in_chunks(list(dict.fromkeys(paper_ids))):
            rows = conn.execute(
                f"SELECT paper_id FROM artifact_checks WHERE paper_id IN ({marks})"
                " AND checked_at >= ?",
                (*chunk, bound),
            )
            found.update(str(row[0]) for row in rows)
        return found


def _repo_state(row: Sequence[object]) -> CodeRepoState:
    repo, current, stars, etag, checked_on, gone_on, problem = row
    return CodeRepoState(
        repo=str(repo),
        current_name=None if current is None else str(current),
        stars=None if stars is None else int(str(stars)),
        etag=None if etag is None else str(etag),
        checked_on=_day(None if checked_on is None else str(checked_on)),
        gone_on=_day(None if gone_on is None else str(gone_on)),
        problem=None if problem is None else str(problem),
    )


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
