"""What the SQL shared by both backends needs from a backend: connections that run it.

The queries of the store (papers, feeds, accounts, a reader's signals, mail)
are written once, in the SQL that SQLite and PostgreSQL both accept: ``?``
placeholders, ``INSERT ... ON CONFLICT``, ``RETURNING``. Each backend supplies
``transaction()`` (a connection inside one write transaction) and
``_reader()`` (a connection for reads outside one), both shaped like a
``sqlite3.Connection`` as far as these queries use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, SupportsInt

__all__ = [
    "MAX_PARAMS",
    "SqlBackend",
    "SqlConnection",
    "SqlResult",
    "column_bytes",
    "column_int",
    "in_chunks",
]

MAX_PARAMS = 500  # ids per IN (...) query, well under SQLite's variable limit


class SqlResult(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class SqlConnection(Protocol):
    def execute(self, sql: str, params: Sequence[object] = ..., /) -> SqlResult: ...

    def executemany(self, sql: str, rows: Iterable[Sequence[object]], /) -> Any: ...


class SqlBackend:
    """The two hooks every query mixin relies on; a backend class overrides both."""

    def transaction(self) -> AbstractContextManager[SqlConnection]:
        raise NotImplementedError

    def _reader(self) -> SqlConnection:
        raise NotImplementedError


def in_chunks(ids: Sequence[str]) -> Iterator[tuple[list[str], str]]:
    """``ids`` in slices small enough for one ``IN (...)``, each with its placeholders."""
    for start in range(0, len(ids), MAX_PARAMS):
        chunk = list(ids[start : start + MAX_PARAMS])
        yield chunk, ",".join("?" * len(chunk))


def column_int(value: object) -> int:
    """An integer column's value as either driver returns it."""
    if isinstance(value, SupportsInt | str):
        return int(value)
    raise TypeError(f"expected an integer column, got {type(value).__name__}")


def column_bytes(value: object) -> bytes:
    """A binary column's value (``bytes``, or a view of them) as ``bytes``."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    raise TypeError(f"expected a binary column, got {type(value).__name__}")
