"""`paperwire eval summaries`: its papers, split and interval, and (slow) the real figures."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from paperwire_bench.summary_eval import (
    RAW_DAYS,
    bootstrap_interval,
    evaluate_summaries,
    half_of,
    load_items,
)
from search_helpers import HashingEmbedder


def _item(arxiv_id: str, ai_summary: str | None) -> dict[str, object]:
    paper: dict[str, object] = {
        "id": arxiv_id,
        "title": "GLiNER2: An Efficient Multi-Task Information Extraction System",
        "summary": "Information extraction is fundamental.\nWe present GLiNER2, a unified\n"
        "framework for extraction. Code is at https://github.com/fastino-ai/GLiNER2.",
        "authors": [{"name": "A. Author"}],
        "publishedAt": "2025-07-24T00:00:00.000Z",
        "upvotes": 3,
    }
    if ai_summary is not None:
        paper["ai_summary"] = ai_summary
    return {"paper": paper, "title": paper["title"], "publishedAt": "2025-07-24T00:00:00.000Z"}


def test_items_are_the_papers_hugging_face_summarised_each_once(tmp_path: Path) -> None:
    day = [_item("2507.18546", "GLiNER2 is a unified framework."), _item("2507.18547", None)]
    with gzip.open(tmp_path / "2025-07-24.json.gz", "wt") as out:
        json.dump(day, out)
    (tmp_path / "2025-07-25.json").write_text(json.dumps([_item("2507.18546", "Later.")]))
    items = load_items(tmp_path)
    assert [item.paper.id for item in items] == ["2507.18546"]
    assert items[0].reference == "GLiNER2 is a unified framework."  # the first day's
    assert "\n" not in items[0].paper.abstract.split("\n\n")[0]  # cleaned as imported


def test_a_folder_without_responses_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no daily-papers responses"):
        load_items(tmp_path)


def test_the_halves_are_fixed_by_the_ids_last_digit() -> None:
    assert half_of("2507.18546") == "tune"
    assert half_of("2507.18547") == "report"


def test_bootstrap_interval_brackets_the_mean_difference() -> None:
    differences = np.array([0.1, 0.3, -0.05, 0.2, 0.15, 0.0, 0.25, 0.1])
    low, high = bootstrap_interval(differences, samples=2000)
    assert low < differences.mean() < high
    assert bootstrap_interval(np.zeros(5)) == (0.0, 0.0)


def test_ours_is_compared_with_each_baseline_on_each_half(tmp_path: Path) -> None:
    pytest.importorskip("rouge_score", reason="rouge-score is a development dependency")
    days = [
        _item(f"2507.1854{d}", "GLiNER2 is a unified framework for extraction.") for d in "0123"
    ]
    (tmp_path / "day.json").write_text(json.dumps(days))
    results = evaluate_summaries(load_items(tmp_path), HashingEmbedder())
    assert [r.half for r in results] == ["tune", "report"]
    for result in results:
        assert result.papers == 2
        ours, first, title = result.methods
        assert (ours.name, first.name, title.name) == ("paperwire", "first sentence", "title")
        # Ours is "We present GLiNER2, a unified framework for extraction.": nearer the
        # reference than the background sentence that opens the abstract.
        assert ours.rouge_l > first.rouge_l
        comparison = result.comparisons[0]
        assert comparison.baseline == "first sentence"
        assert comparison.rouge_l == pytest.approx(ours.rouge_l - first.rouge_l)


@pytest.mark.slow
def test_on_the_report_half_ours_beats_both_baselines(shared_data: Path) -> None:
    pytest.importorskip("rouge_score", reason="rouge-score is a development dependency")
    from paperwire.config import load_settings
    from paperwire.search.embedding import load_backend
    from paperwire.search.minilm import ModelNotInstalled

    try:
        backend = load_backend("minilm-int8", settings=load_settings())
    except ModelNotInstalled as exc:
        pytest.skip(f"the bundled model is not installed: {exc}")
    items = load_items(shared_data / RAW_DAYS)
    (report,) = evaluate_summaries(items, backend, halves=["report"])
    ours, *baselines = report.methods
    for baseline in baselines:
        assert ours.cosine > baseline.cosine, baseline.name
        assert ours.rouge_l > baseline.rouge_l, baseline.name
