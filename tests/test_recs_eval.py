"""``paperwire eval recs``: the protocol's draws, the metrics, and a whole run on small data."""

from __future__ import annotations

import gzip
import hashlib
import json
import random
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from paperwire.search.embedding import load_backend
from paperwire_bench.recs_data import ARXIV_CS_FILE, Protocol, build_eval_set
from paperwire_bench.recs_eval import evaluate_recs, precision_at_k

VOCABULARY = {
    "cs.AA": "graph node edge message passing spectral",
    "cs.BB": "speech audio acoustic spoken phoneme",
    "cs.CC": "robot grasp motion planning control",
}
END = date(2026, 6, 30)


class HashedWords:
    """A small deterministic embedding of the words of a text (for tests only)."""

    name = "hashed-words"
    dim = 64

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, hashlib.md5(word.encode()).digest()[0] % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)


def _write(path: Path, extra_line: str | None = None) -> Path:
    rng = random.Random(3)
    lines = []
    for n in range(600):
        category = sorted(VOCABULARY)[n % 3]
        words = VOCABULARY[category].split()
        text = " ".join(rng.choice(words) for _ in range(12)) + " method results study"
        day = END - timedelta(days=n % 120)
        record = {
            "id": f"2606.{n:05d}",
            "title": f"{words[0]} {rng.choice(words)} paper {n}",
            "abstract": text,
            "authors": ["A. Person"],
            "categories": [category],
            "first_listed": day.isoformat(),
        }
        lines.append(json.dumps(record))
    if extra_line is not None:
        lines.insert(5, extra_line)
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    return path


SMALL = Protocol(seed=1, users=6, candidates=120, min_relevant=20, min_history=50)


def test_users_and_truth_follow_the_protocol(tmp_path: Path) -> None:
    data = build_eval_set(_write(tmp_path / "l.jsonl.gz"), SMALL)
    assert data.window_end == END and data.window_start == END - timedelta(days=29)
    assert len(data.candidates) == 120 and len(data.users) == 6
    for user in data.users:
        assert len(user.positives) == 10 and 1 <= len(user.categories) <= 2
        for paper_id in user.positives:
            paper = data.papers[paper_id]
            assert paper.listed_on < data.window_start  # type: ignore[operator]
            assert set(paper.categories) & set(user.categories)
        relevant = data.relevant(user)
        assert relevant and all(
            set(data.papers[i].categories) & set(user.categories) for i in relevant
        )
    again = build_eval_set(tmp_path / "l.jsonl.gz", SMALL)
    assert again.users == data.users and again.candidates == data.candidates


def test_precision_counts_relevant_in_the_top_k() -> None:
    assert precision_at_k(["a", "b", "c", "d"], {"a", "d", "z"}, 2) == 0.5


def test_a_whole_run_reports_both_models(tmp_path: Path) -> None:
    source = _write(tmp_path / "l.jsonl.gz")
    result = evaluate_recs(source, HashedWords(), tmp_path / "cache", SMALL).figures
    for model in ("paperwire", "baseline"):
        assert set(result[model]) == {"precision@20", "ndcg@20"}  # type: ignore[arg-type]
    # Three separable topics: the model finds its users' papers.
    assert result["paperwire"]["precision@20"] > 0.9  # type: ignore[index]
    assert result["protocol"]["users"] == 6  # type: ignore[index]
    assert (tmp_path / "cache" / "hashed-words.npz").is_file()


def test_a_bad_record_names_its_line(tmp_path: Path) -> None:
    source = _write(tmp_path / "bad.jsonl.gz", extra_line='{"id": "x", "title": "no date"}')
    with pytest.raises(ValueError, match=r"bad\.jsonl\.gz:6: not an arXiv listing record"):
        build_eval_set(source, SMALL)


@pytest.mark.slow
def test_on_the_real_listings_the_model_beats_chance(shared_data: Path, tmp_path: Path) -> None:
    protocol = Protocol(users=8, candidates=300)
    source = shared_data / ARXIV_CS_FILE
    result = evaluate_recs(source, load_backend(), tmp_path / "cache", protocol).figures
    chance = result["protocol"]["mean_relevant_per_user"] / 300  # type: ignore[index]
    ours, theirs = result["paperwire"], result["baseline"]
    assert ours["precision@20"] > chance + 0.1  # type: ignore[index]
    assert ours["precision@20"] >= theirs["precision@20"]  # type: ignore[index]
