"""paperwire's own export: a header line, then one ``Paper.to_dict()`` per line.

It round-trips exactly: importing an export into an empty store gives the same
records, community facts and version history included.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any, BinaryIO

from paperwire.ids import parse_arxiv_id
from paperwire.ingest.formats.jsonlines import iter_json_lines
from paperwire.ingest.records import BadRecord, Rejection
from paperwire.model import Paper

__all__ = ["EXPORT_FORMAT", "parse_export", "write_export"]

EXPORT_FORMAT = "paperwire-export"
# 2: each author has a list of affiliations. Version 1 files (one affiliation
# per author) are still read: ``Paper.from_dict`` takes both shapes.
EXPORT_VERSION = 2
_READABLE_VERSIONS = (1, 2)
_NAMESPACED_ID = re.compile(r"[a-z][a-z0-9-]*:[A-Za-z0-9._-]+")


def write_export(papers: Iterable[Paper], out: IO[str]) -> int:
    out.write(json.dumps({"format": EXPORT_FORMAT, "version": EXPORT_VERSION}) + "\n")
    count = 0
    for paper in papers:
        out.write(json.dumps(paper.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n")
        count += 1
    return count


def parse_export(stream: BinaryIO, name: str) -> Iterator[Paper | Rejection]:
    yield from iter_json_lines(stream, name, _row_to_paper)


def _row_to_paper(row: dict[str, Any]) -> Paper | None:
    if row.get("format") == EXPORT_FORMAT:
        if row.get("version") not in _READABLE_VERSIONS:
            raise BadRecord(f"export format version {row.get('version')} is not supported")
        return None
    paper_id = row.get("id")
    if not isinstance(paper_id, str) or not isinstance(row.get("title"), str):
        raise BadRecord("record has no id or title")
    if ":" in paper_id:
        if not _NAMESPACED_ID.fullmatch(paper_id):
            raise BadRecord(f"{paper_id[:60]!r} is not a valid namespaced id")
    elif parse_arxiv_id(paper_id).id != paper_id:
        raise BadRecord(f"{paper_id!r} is not a canonical arXiv id")
    return Paper.from_dict(row)
