"""Which evaluation sets ``paperwire eval`` runs: every BEIR-layout folder of the shared
data, and the topical set built from it (``topical.py``).

A BEIR-layout folder is one that holds ``corpus.jsonl`` and ``qrels/``; each is
evaluated on its ``test`` split (the split to report; SciFact's ``train`` is
for tuning), or on every split it judges when it has no test split.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from paperwire_bench.topical import TOPICAL_NAME, build_topical_set

__all__ = ["EvalSet", "beir_sets", "topical_set"]

_REPORTED_SPLIT = "test"
_DAILY_PAPERS = "hf-daily-papers"


@dataclass(frozen=True, slots=True)
class EvalSet:
    folder: Path
    split: str


def beir_sets(shared: Path) -> list[EvalSet]:
    """Each BEIR-layout folder directly under ``shared``, by name, with its split(s)."""
    found = []
    for folder in sorted(p for p in shared.iterdir() if p.is_dir()):
        qrels = folder / "qrels"
        if not ((folder / "corpus.jsonl").is_file() and qrels.is_dir()):
            continue
        splits = sorted(p.stem for p in qrels.glob("*.tsv") if "." not in p.stem)
        chosen = [_REPORTED_SPLIT] if _REPORTED_SPLIT in splits else splits
        found.extend(EvalSet(folder, split) for split in chosen)
    return found


def topical_set(shared: Path, work: Path) -> EvalSet | None:
    """The topical set, built into ``work`` from the shared Hugging Face daily papers
    (rebuilt each time: seconds); None where those are absent."""
    source = shared / _DAILY_PAPERS
    if not source.is_dir():
        return None
    return EvalSet(build_topical_set(source, work / TOPICAL_NAME), _REPORTED_SPLIT)
