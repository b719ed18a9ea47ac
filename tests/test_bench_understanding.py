"""``paperwire bench understanding`` on a small listing file and a test embedding backend."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from paperwire_bench.understanding import bench_understanding
from search_helpers import HashingEmbedder


def test_figures_compare_keyphrases_with_embedding_and_import(tmp_path: Path) -> None:
    listing = tmp_path / "listing.jsonl.gz"
    rows = [
        {
            "id": f"2501.{n:05d}",
            "title": f"Speculative decoding for model {n}",
            "abstract": "Large language models (LLMs) decode faster with draft models.",
            "authors": ["Ada Lovelace"],
            "categories": ["cs.CL"],
            "first_listed": "2025-03-18",
            "listed_dates": ["2025-03-18"],
        }
        for n in range(1, 41)
    ]
    with gzip.open(listing, "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(r) + "\n" for r in rows)
    steps: list[str] = []
    figures = bench_understanding(listing, HashingEmbedder(), count=30, tell=steps.append)
    assert figures["papers"] == 30
    assert len(steps) == 4
    for name in ("embedding_papers_per_second", "follower_papers_per_second"):
        assert float(figures[name]) > 0  # type: ignore[arg-type]
    assert float(figures["import_index_ratio"]) > 1.0  # type: ignore[arg-type]
    assert float(figures["keyword_only_import_index_ratio"]) > 1.0  # type: ignore[arg-type]
    without = bench_understanding(listing, HashingEmbedder(), count=5, vectors=False)
    assert "import_index_ratio" not in without and without["papers"] == 5
