"""The recommendation evaluation's data: the papers, the month to rank, simulated users.

Reads the arXiv listing set (gzipped JSONL: ``id, title, abstract, categories,
first_listed, ...``) and draws, from one seed, what docs/RECOMMENDATIONS.md
describes: the candidates (a sample of the last ``window_days`` of listings),
and users each interested in one or two arXiv categories, with positives taken
from the papers listed before the window. Categories are the truth only: no
model sees them.
"""

from __future__ import annotations

import gzip
import json
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from paperwire.model import Paper

__all__ = [
    "ARXIV_CS_FILE",
    "EvalSet",
    "EvalUser",
    "Protocol",
    "build_eval_set",
    "read_listings",
]

ARXIV_CS_FILE = "arxiv-cs/arxiv_cs_daily_2025-03-18_to_2026-07-01.dedup.jsonl.gz"


@dataclass(frozen=True, slots=True)
class Protocol:
    """Every number that decides what is evaluated; the defaults are the documented run."""

    seed: int = 7  # draws the users
    candidate_seed: int = 0  # draws the candidates (apart, so tuning can use other users)
    users: int = 50
    positives: int = 10
    candidates: int = 2000  # sampled from the window's listings
    window_days: int = 30
    k: int = 20
    min_relevant: int = 20  # a category needs this many candidates (at least k) ...
    min_history: int = 50  # ... and this many earlier papers to be drawn for a user


@dataclass(frozen=True, slots=True)
class EvalUser:
    categories: tuple[str, ...]
    positives: tuple[str, ...]  # paper ids listed before the window


@dataclass(slots=True)
class EvalSet:
    protocol: Protocol
    window_start: date
    window_end: date
    papers: dict[str, Paper]  # candidates and every user's positives
    candidates: list[str]
    users: list[EvalUser]

    def relevant(self, user: EvalUser) -> set[str]:
        """The candidates that carry one of the user's categories."""
        wanted = set(user.categories)
        return {i for i in self.candidates if wanted.intersection(self.papers[i].categories)}


def read_listings(path: Path) -> Iterator[Paper]:
    """Each listed paper with the fields the evaluation uses."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            try:
                record = json.loads(line)
                listed = date.fromisoformat(record["first_listed"][:10])
                yield Paper(
                    id=record["id"],
                    title=record["title"],
                    abstract=record.get("abstract") or "",
                    categories=list(record.get("categories") or []),
                    listed_on=listed,
                )
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: not an arXiv listing record ({exc})") from exc


def build_eval_set(path: Path, protocol: Protocol = Protocol()) -> EvalSet:
    papers = list(read_listings(path))
    if not papers:
        raise ValueError(f"{path} holds no papers")
    end = max(p.listed_on for p in papers if p.listed_on)
    start = end - timedelta(days=protocol.window_days - 1)
    window = sorted(p.id for p in papers if p.listed_on and p.listed_on >= start)
    by_id = {p.id: p for p in papers}
    sampler = random.Random(protocol.candidate_seed)
    candidates = sorted(sampler.sample(window, min(protocol.candidates, len(window))))
    rng = random.Random(protocol.seed)
    history = _by_category(p for p in papers if p.listed_on and p.listed_on < start)
    in_window = _by_category(by_id[i] for i in candidates)
    eligible = sorted(
        c
        for c, ids in in_window.items()
        if len(ids) >= max(protocol.min_relevant, protocol.k)
        and len(history.get(c, ())) >= protocol.min_history
    )
    if len(eligible) < 2:
        raise ValueError(f"{path}: too few categories with enough papers for the evaluation")
    users = [_draw_user(rng, eligible, history, protocol.positives) for _ in range(protocol.users)]
    kept = set(candidates).union(*(u.positives for u in users))
    return EvalSet(
        protocol=protocol,
        window_start=start,
        window_end=end,
        papers={i: by_id[i] for i in sorted(kept)},
        candidates=candidates,
        users=users,
    )


def _by_category(papers: Iterable[Paper]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for paper in papers:
        for category in paper.categories:
            found[category].append(paper.id)
    return found


def _draw_user(
    rng: random.Random, eligible: list[str], history: dict[str, list[str]], positives: int
) -> EvalUser:
    count = 1 if rng.random() < 0.5 else 2
    categories = tuple(sorted(rng.sample(eligible, count)))
    chosen: list[str] = []
    for index, category in enumerate(categories):
        # Split the positives evenly between the categories (the first takes the odd one).
        share = positives // count + (1 if index < positives % count else 0)
        pool = sorted(set(history[category]) - set(chosen))
        chosen += rng.sample(pool, share)
    return EvalUser(categories=categories, positives=tuple(chosen))
