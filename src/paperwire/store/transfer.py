"""Copy a whole store to another (SQLite to PostgreSQL and back), and prove the copy exact.

Both backends have the same tables at the same schema version, so a copy
goes table by table, parents before children, in one transaction on the
destination: a copy that fails leaves the destination as empty as it was.
Each table's checksum is a hash of the sorted hashes of its rows, each row
written in one canonical form (vectors as float32 bytes), so the two stores'
sort orders and types do not matter and equal checksums mean equal contents.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from paperwire.store.papers import PapersMixin

__all__ = ["TABLES", "StoreNotEmpty", "TableFigures", "TransferReport", "checksums", "copy_store"]

# Every table, parents first, with its columns and a key that orders it (for paging).
TABLES: dict[str, tuple[str, str]] = {
    "papers": (
        "id, seq, record, title, source, published, listed_on, upvotes, github_stars,"
        " organization, has_code, deleted_on, record_rules",
        "id",
    ),
    "listings": ("day, paper_id", "day, paper_id"),
    "paper_authors": ("name, paper_id", "name, paper_id"),
    "held_days": ("source, category, day", "source, category, day"),
    "meta": ("key, value", "key"),
    "embeddings": ("paper_id, model, text_hash, seq, vector", "paper_id"),
    "sync_state": ("key, value, updated_at", "key"),
    "harvest_checkpoints": (
        "harvest, token, pages, records, complete, started_at, updated_at",
        "harvest",
    ),
    "users": ("id, username, password_hash, created_at", "id"),
    "sessions": ("token_hash, user_id, csrf_token, created_at, expires_at", "token_hash"),
    "votes": ("user_id, paper_id, created_at", "user_id, paper_id"),
    "vote_counts": ("paper_id, votes", "paper_id"),
    "login_failures": ("key, at", "key, at"),
    "library": ("user_id, paper_id, saved_at", "user_id, paper_id"),
    "folders": (
        "id, user_id, name, created_at, slug, title, description, public, published_at",
        "id",
    ),
    "folder_papers": ("folder_id, paper_id, note", "folder_id, paper_id"),
    "not_interested": ("user_id, paper_id, at", "user_id, paper_id"),
    "follows": ("id, user_id, kind, value, created_at", "id"),
    "seen_papers": ("user_id, paper_id, at", "user_id, paper_id"),
    "opened_papers": ("user_id, paper_id, at", "user_id, paper_id"),
    "subscribers": (
        "id, email, user_id, frequency, status, created_at, confirmed_at, unsubscribed_at",
        "id",
    ),
    "outbox": (
        "id, idempotency_key, subscriber_id, kind, recipient, message_id, message, status,"
        " attempts, created_at, sent_at, last_error",
        "id",
    ),
    "emailed_papers": ("subscriber_id, paper_id, outbox_id", "subscriber_id, paper_id"),
    "code_repos": ("repo, current_name, stars, etag, checked_on, gone_on, problem", "repo"),
    "paper_stars": ("paper_id, day, stars", "paper_id, day"),
    "paper_artifacts": (
        "paper_id, kind, artifact_id, likes, downloads",
        "paper_id, kind, artifact_id",
    ),
    "artifact_checks": ("paper_id, checked_at", "paper_id"),
    "thumbnails": (
        "paper_id, fetched_at, problem, image, width, height, digest, size",
        "paper_id",
    ),
    "paper_summaries": ("paper_id, summary, rules, seq", "paper_id"),
    # A reply's parent has a smaller id, so copying in id order keeps parents first.
    "comments": (
        "id, paper_id, user_id, parent_id, root_id, body, revision, created_at, edited_at,"
        " deleted_at, hidden_at",
        "id",
    ),
    "comment_revisions": ("comment_id, revision, body, created_at", "comment_id, revision"),
    "user_roles": ("user_id, role, granted_at", "user_id, role"),
    "bans": ("user_id, banned_by, reason, banned_at", "user_id"),
    "comment_reports": (
        "id, comment_id, reporter_id, revision, reason, created_at, resolved_at, resolved_by",
        "id",
    ),
    "moderation_log": (
        "id, moderator_id, action, comment_id, target_user_id, detail, at",
        "id",
    ),
    "paper_watches": ("user_id, paper_id, created_at", "user_id, paper_id"),
    "notifications": (
        "id, user_id, kind, comment_id, created_at, read_at, mailed_at, outbox_key",
        "id",
    ),
    "notification_settings": ("user_id, kind, email", "user_id, kind"),
}
_BATCH = 2000
_VECTOR_COLUMN = 4  # in the embeddings row

Progress = Callable[[str, int], None]  # (table, rows copied so far)


class StoreNotEmpty(RuntimeError):
    """The destination already holds data: a copy never merges into it."""


@dataclass(slots=True)
class TableFigures:
    rows: int
    checksum: str


@dataclass(slots=True)
class TransferReport:
    source: dict[str, TableFigures] = field(default_factory=dict)
    destination: dict[str, TableFigures] = field(default_factory=dict)

    @property
    def identical(self) -> bool:
        return self.source == self.destination

    def differences(self) -> list[str]:
        return [t for t in TABLES if self.source.get(t) != self.destination.get(t)]


def copy_store(
    source: PapersMixin, destination: PapersMixin, progress: Progress | None = None
) -> TransferReport:
    """Copy every row of ``source`` into the empty ``destination``, then compare checksums."""
    if source.schema_version != destination.schema_version:
        raise RuntimeError(
            f"schema versions differ ({source.schema_version} and {destination.schema_version}):"
            " open both with this paperwire first, which migrates them"
        )
    _require_empty(destination)
    source_figures = {}
    with destination.transaction() as conn:
        for table, (columns, _) in TABLES.items():
            marks = ", ".join("?" * len(columns.split(",")))
            digests: list[bytes] = []  # the source's checksum, from the rows as they are copied
            for batch in _batches(source, table):
                digests += (_row_digest(_canonical_row(table, row, source)) for row in batch)
                if table == "embeddings":
                    batch = [_revector(row, source, destination) for row in batch]
                conn.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch)
                if progress is not None:
                    progress(table, len(digests))
            source_figures[table] = _figures(digests)
        destination._after_copy(conn)
    return TransferReport(source_figures, checksums(destination))


def checksums(store: PapersMixin) -> dict[str, TableFigures]:
    """Rows and an order-free checksum of every table."""
    return {
        table: _figures(
            [
                _row_digest(_canonical_row(table, row, store))
                for batch in _batches(store, table)
                for row in batch
            ]
        )
        for table in TABLES
    }


def _figures(digests: list[bytes]) -> TableFigures:
    return TableFigures(len(digests), hashlib.sha256(b"".join(sorted(digests))).hexdigest())


def _batches(store: PapersMixin, table: str) -> Iterator[list[tuple[object, ...]]]:
    columns, order = TABLES[table]
    offset = 0
    while True:
        rows = (
            store._reader()
            .execute(
                f"SELECT {columns} FROM {table} ORDER BY {order} LIMIT ? OFFSET ?",
                (_BATCH, offset),
            )
            .fetchall()
        )
        if not rows:
            return
        yield [tuple(row) for row in rows]
        offset += len(rows)


def _require_empty(store: PapersMixin) -> None:
    reader = store._reader()
    for table in TABLES:
        if reader.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None:
            raise StoreNotEmpty(
                f"the destination already has rows in {table}: copy into a new, empty store"
            )


def _revector(row: tuple[object, ...], source: PapersMixin, destination: PapersMixin) -> tuple:
    vector = source._vector_value(row[_VECTOR_COLUMN])
    return (*row[:_VECTOR_COLUMN], destination._vector_param(vector))


def _canonical_row(table: str, row: tuple[object, ...], store: PapersMixin) -> tuple:
    if table == "embeddings":
        vector = np.asarray(store._vector_value(row[_VECTOR_COLUMN]), dtype="<f4")
        return (*row[:_VECTOR_COLUMN], vector.tobytes())
    return row


def _row_digest(row: tuple) -> bytes:
    digest = hashlib.sha256()
    for value in row:
        digest.update(_canonical(value))
    return digest.digest()


def _canonical(value: object) -> bytes:
    if value is None:
        return b"N;"
    if isinstance(value, bool | int):
        return b"i%d;" % int(value)
    if isinstance(value, float):
        return b"f" + value.hex().encode() + b";"
    if isinstance(value, bytes | bytearray | memoryview):
        raw = bytes(value)
        return b"b%d:" % len(raw) + raw
    text = str(value).encode("utf-8")
    return b"s%d:" % len(text) + text
