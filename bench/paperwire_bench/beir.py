"""BEIR-layout evaluation sets: which folder, its queries of one split, its judgements.

A BEIR folder holds ``corpus.jsonl``, ``queries.jsonl`` (or one file per
split, ``queries.<split>.jsonl``) and ``qrels/<split>.tsv`` (query-id,
corpus-id, score, with a header). Named sets resolve inside the shared data
folder: $PAPERWIRE_SHARED_DATA, else ``shared/data`` beside the checkout that
holds the current directory (see ``shared_data_dir``).
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "NAMED_SETS",
    "BeirSet",
    "SharedDataMissing",
    "load_beir",
    "resolve_dataset",
    "shared_data_dir",
]

NAMED_SETS = ("scifact", "cranfield", "cisi")


@dataclass(slots=True)
class BeirSet:
    name: str
    corpus: Path
    split: str
    queries: dict[str, str]  # query id -> text, only queries with a relevant document
    qrels: dict[str, dict[str, float]]  # query id -> {paper id ("beir:<_id>") -> grade}


class SharedDataMissing(FileNotFoundError):
    """Neither $PAPERWIRE_SHARED_DATA nor a ``shared/data`` beside a checkout was found."""


def shared_data_dir(start: Path | None = None) -> Path:
    """The shared data sets: $PAPERWIRE_SHARED_DATA if set, else ``../shared/data``
    beside the nearest folder at or above ``start`` (the current directory) that
    holds a ``pyproject.toml`` (a checkout); raises ``SharedDataMissing`` otherwise."""
    configured = os.environ.get("PAPERWIRE_SHARED_DATA")
    if configured:
        return Path(configured)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder.parent / "shared" / "data"
        if (folder / "pyproject.toml").is_file() and candidate.is_dir():
            return candidate
    raise SharedDataMissing(
        f"no shared data sets found: no shared/data beside a checkout at or above {here}; "
        "set PAPERWIRE_SHARED_DATA to the folder that holds them"
    )


def resolve_dataset(name_or_path: str) -> Path:
    folder = shared_data_dir() / name_or_path if name_or_path in NAMED_SETS else Path(name_or_path)
    if not (folder / "corpus.jsonl").is_file():
        raise FileNotFoundError(
            f"no BEIR corpus.jsonl in {folder}: give a BEIR folder, or one of "
            f"{', '.join(NAMED_SETS)} with the shared data present (PAPERWIRE_SHARED_DATA)"
        )
    return folder


def load_beir(folder: Path, split: str) -> BeirSet:
    qrels_path = folder / "qrels" / f"{split}.tsv"
    if not qrels_path.is_file():
        raise FileNotFoundError(f"no judgements for split {split!r}: {qrels_path} is missing")
    qrels = _read_qrels(qrels_path)
    split_queries = folder / f"queries.{split}.jsonl"
    queries = _read_queries(split_queries if split_queries.is_file() else folder / "queries.jsonl")
    judged = {q: text for q, text in queries.items() if qrels.get(q)}
    return BeirSet(folder.name, folder / "corpus.jsonl", split, judged, qrels)


def _read_qrels(path: Path) -> dict[str, dict[str, float]]:
    qrels: dict[str, dict[str, float]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t")
        next(rows, None)  # header
        for row in rows:
            if len(row) >= 3 and float(row[2]) > 0:
                qrels.setdefault(row[0], {})[f"beir:{row[1]}"] = float(row[2])
    return qrels


def _read_queries(path: Path) -> dict[str, str]:
    queries = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                queries[str(row["_id"])] = str(row["text"])
    return queries
