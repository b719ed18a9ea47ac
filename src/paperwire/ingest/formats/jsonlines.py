"""JSON Lines reading shared by the line-oriented formats: one record per line,
a broken line rejected with its line number, the rest kept."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from paperwire.ingest.records import RECORD_ERRORS, Rejection, require_encodable
from paperwire.model import Paper

__all__ = ["iter_json_lines"]


def iter_json_lines(
    stream: BinaryIO, name: str, convert: Callable[[dict[str, Any]], Paper | None]
) -> Iterator[Paper | Rejection]:
    """Convert each JSON object line; ``convert`` may return None to skip a line."""
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        where = f"{name}: line {number}"
        try:
            row = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield Rejection(where, f"malformed JSON: {exc}")
            continue
        except RecursionError:
            # Python's decoder recurses per level: a hostile line must not end the import.
            yield Rejection(where, "JSON nested too deeply")
            continue
        if not isinstance(row, dict):
            yield Rejection(where, "expected a JSON object")
            continue
        try:
            if b"\\ud" in raw or b"\\uD" in raw:  # only escapes can make a lone surrogate
                require_encodable(row)
            paper = convert(row)
        except RECORD_ERRORS as exc:
            yield Rejection(where, str(exc))
            continue
        if paper is not None:
            yield paper
