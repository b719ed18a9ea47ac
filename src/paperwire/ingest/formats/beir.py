"""BEIR corpus JSONL ({"_id", "title", "text"}), imported for evaluations.

BEIR documents are not arXiv papers: they get ids ``beir:<_id>`` so they can
never collide with one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from paperwire.ingest.formats.jsonlines import iter_json_lines
from paperwire.ingest.records import BadRecord, Rejection
from paperwire.ingest.text import clean_line, clean_paragraphs
from paperwire.model import Paper

__all__ = ["beir_to_paper", "parse_beir"]


def parse_beir(stream: BinaryIO, name: str) -> Iterator[Paper | Rejection]:
    yield from iter_json_lines(stream, name, beir_to_paper)


def beir_to_paper(row: dict[str, Any]) -> Paper:
    doc_id = str(row.get("_id") or "").strip()
    if not doc_id:
        raise BadRecord("document has no _id")
    return Paper(
        id=f"beir:{doc_id}",
        title=clean_line(row.get("title")),
        abstract=clean_paragraphs(row.get("text")),
        source="beir",
    )
