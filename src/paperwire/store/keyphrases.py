"""Paper keyphrases: each paper's ranked keyphrases by source, and the topics they make.

A query mixin of both stores. A topic is a keyphrase's normalised key
(``paperwire.phrases.phrase_key``): the papers that carry it, from either
source, make its page, its weekly chart and its rise on /trending. Deleted
papers are never counted or listed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date

from paperwire.model import Paper
from paperwire.store.keyphrase_records import KEYPHRASE_SOURCES, StoredKeyphrase, TopicCount
from paperwire.store.papers import fetch_papers
from paperwire.store.sql import SqlBackend

__all__ = ["KeyphrasesMixin"]

_BATCH = 500  # ids per IN (...) list
# Above every character a key can hold: ``prefix <= key < prefix + this`` is a prefix
# range both stores read from the key index (keys compare by code point in both).
_LAST_CHARACTER = "\U0010ffff"


class KeyphrasesMixin(SqlBackend):
    def replace_keyphrases(self, keyphrases: Mapping[str, Sequence[StoredKeyphrase]]) -> None:
        """Each named paper's keyphrases become exactly those given, in one transaction.

        Raises ``ValueError`` (before writing anything) for an unknown source or
        an empty phrase or key.
        """
        rows = []
        for paper_id, phrases in keyphrases.items():
            for k in phrases:
                if k.source not in KEYPHRASE_SOURCES:
                    raise ValueError(f"paper {paper_id}: unknown keyphrase source {k.source!r}")
                if not k.phrase.strip() or not k.key:
                    raise ValueError(f"paper {paper_id}: empty keyphrase {k.phrase!r}")
                rows.append((paper_id, k.source, k.rank, k.key, k.phrase))
        ids = list(keyphrases)
        with self.transaction() as conn:
            for start in range(0, len(ids), _BATCH):
                chunk = ids[start : start + _BATCH]
                conn.execute(
                    "DELETE FROM paper_keyphrases WHERE paper_id IN"
                    f" ({', '.join('?' * len(chunk))})",
                    chunk,
                )
            if rows:
                conn.executemany(
                    "INSERT INTO paper_keyphrases (paper_id, source, rank, key, phrase)"
                    " VALUES (?, ?, ?, ?, ?)",
                    rows,
                )

    def keyphrases_of(self, paper_ids: Iterable[str]) -> dict[str, list[StoredKeyphrase]]:
        """Each paper's keyphrases, ours then Hugging Face's, each in rank order."""
        ids = list(dict.fromkeys(paper_ids))
        found: dict[str, list[StoredKeyphrase]] = {}
        reader = self._reader()
        for start in range(0, len(ids), _BATCH):
            chunk = ids[start : start + _BATCH]
            rows = reader.execute(
                "SELECT paper_id, source, rank, key, phrase FROM paper_keyphrases"
                f" WHERE paper_id IN ({', '.join('?' * len(chunk))})"
                " ORDER BY paper_id, source DESC, rank",
                chunk,
            ).fetchall()
            for paper_id, source, rank, key, phrase in rows:
                found.setdefault(str(paper_id), []).append(
                    StoredKeyphrase(str(phrase), str(key), int(rank), str(source))
                )
        return found

    def papers_with_keyphrase(
        self, key: str, limit: int = 50, offset: int = 0
    ) -> tuple[list[Paper], int]:
        """The papers carrying ``key`` (newest listing first) and how many there are."""
        reader = self._reader()
        total = reader.execute(
            "SELECT COUNT(DISTINCT k.paper_id) FROM paper_keyphrases k"
            " JOIN papers p ON p.id = k.paper_id WHERE k.key = ? AND p.deleted_on IS NULL",
            (key,),
        ).fetchone()[0]
        rows = reader.execute(
            "SELECT p.id, p.listed_on FROM papers p WHERE p.deleted_on IS NULL AND p.id IN"
            " (SELECT paper_id FROM paper_keyphrases WHERE key = ?)"
            " ORDER BY p.listed_on IS NULL, p.listed_on DESC, p.id DESC LIMIT ? OFFSET ?",
            (key, limit, offset),
        ).fetchall()
        ids = [str(r[0]) for r in rows]
        papers = fetch_papers(reader, ids)
        return [papers[i] for i in ids if i in papers], int(total or 0)

    def keyphrase_paper_ids(self, keys: Collection[str], limit: int) -> list[str]:
        """Up to ``limit`` ids of live papers that carry every one of ``keys``."""
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return []
        rows = (
            self._reader()
            .execute(
                "SELECT k.paper_id FROM paper_keyphrases k JOIN papers p ON p.id = k.paper_id"
                f" WHERE k.key IN ({', '.join('?' * len(wanted))}) AND p.deleted_on IS NULL"
                " GROUP BY k.paper_id HAVING COUNT(DISTINCT k.key) = ?"
                " ORDER BY k.paper_id LIMIT ?",
                (*wanted, len(wanted), limit),
            )
            .fetchall()
        )
        return [str(r[0]) for r in rows]

    def keyphrase_keys_starting(self, prefix: str, limit: int = 8) -> list[str]:
        """Up to ``limit`` keys that start with ``prefix`` (a key itself included), those
        that most papers carry first; [] for an empty prefix. Reads the key index's range."""
        if not prefix:
            return []
        rows = (
            self._reader()
            .execute(
                "SELECT key FROM paper_keyphrases WHERE key >= ? AND key < ?"
                " GROUP BY key ORDER BY COUNT(DISTINCT paper_id) DESC, key LIMIT ?",
                (prefix, prefix + _LAST_CHARACTER, limit),
            )
            .fetchall()
        )
        return [str(r[0]) for r in rows]

    def keyphrase_days(self, key: str) -> list[date]:
        """The listing day of each live paper carrying ``key`` (each paper once), sorted."""
        rows = (
            self._reader()
            .execute(
                "SELECT p.listed_on FROM papers p WHERE p.deleted_on IS NULL"
                " AND p.listed_on IS NOT NULL AND p.id IN"
                " (SELECT paper_id FROM paper_keyphrases WHERE key = ?) ORDER BY p.listed_on",
                (key,),
            )
            .fetchall()
        )
        return [date.fromisoformat(str(r[0])[:10]) for r in rows]

    def keyphrase_label(self, key: str) -> str | None:
        """How ``key`` is shown: its commonest spelling (ours before Hugging Face's on a tie)."""
        rows = (
            self._reader()
            .execute(
                "SELECT phrase, source, COUNT(*) FROM paper_keyphrases WHERE key = ?"
                " GROUP BY phrase, source",
                (key,),
            )
            .fetchall()
        )
        if not rows:
            return None
        counts: Counter[str] = Counter()
        ours: set[str] = set()
        for phrase, source, count in rows:
            counts[str(phrase)] += int(count)
            if source == "paperwire":
                ours.add(str(phrase))
        return max(counts, key=lambda p: (counts[p], p in ours, p))

    def topic_counts(
        self, first: date, last: date, min_papers: int = 1, keys: Collection[str] | None = None
    ) -> list[TopicCount]:
        """Each key's live papers first listed from ``first`` to ``last`` (inclusive) and
        their upvotes, for keys with at least ``min_papers`` (only ``keys`` when given)."""
        params: list[object] = [first.isoformat(), last.isoformat()] * 2
        only = ""
        if keys is not None:
            wanted = list(dict.fromkeys(keys))
            if not wanted:
                return []
            only = f" AND k.key IN ({', '.join('?' * len(wanted))})"
            params.extend(wanted)
        params.append(min_papers)
        # Start from the range's listing days (the listings key), then each paper
        # by id and its keyphrases by paper: a short range reads only its papers,
        # where starting from the keyphrases read every one of them. A paper
        # listed on several days of the range is counted once (DISTINCT).
        rows = (
            self._reader()
            .execute(
                "SELECT t.key, COUNT(*), SUM(COALESCE(t.upvotes, 0)) FROM"
                " (SELECT DISTINCT k.key, k.paper_id, p.upvotes FROM listings l"
                "  JOIN papers p ON p.id = l.paper_id"
                "  JOIN paper_keyphrases k ON k.paper_id = p.id"
                "  WHERE l.day >= ? AND l.day <= ? AND p.listed_on >= ? AND p.listed_on <= ?"
                f"  AND p.deleted_on IS NULL{only}) t"
                " GROUP BY t.key HAVING COUNT(*) >= ? ORDER BY t.key",
                params,
            )
            .fetchall()
        )
        return [TopicCount(str(k), int(n), int(u or 0)) for k, n, u in rows]
