"""``paperwire eval keyphrases``: the metrics, the fixed split, and the result on real data."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from paperwire_bench.keyphrase_eval import (
    HF_FILE,
    EvalPaper,
    evaluate,
    ours_method,
    read_papers,
    score_method,
    split,
    tfidf_method,
    yake_method,
)


def paper(arxiv_id: str, *keywords: str) -> EvalPaper:
    return EvalPaper(arxiv_id, "A title", "An abstract.", keywords)


def test_exact_and_partial_match_after_one_normaliser() -> None:
    papers = [paper("2401.00001", "Large Language Models", "speculative decoding", "GRPO")]
    predicted = [["large-language model", "LLMs", "decoding", "speculative decoding", "other"]]
    scores = score_method(predicted, papers, seconds=1.0)
    assert scores.precision == pytest.approx(2 / 5)
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.f1 == pytest.approx(2 * 0.4 * (2 / 3) / (0.4 + 2 / 3))
    # "decoding" lies inside "speculative decoding": a partial match, both ways.
    assert scores.partial_precision == pytest.approx(3 / 5)
    assert scores.partial_recall == pytest.approx(2 / 3)


def test_duplicates_after_normalising_count_once_and_only_ten_count() -> None:
    papers = [paper("2401.00001", "graph")]
    predicted = [["Graphs", "graph", *[f"word{i}" for i in range(12)]]]
    scores = score_method(predicted, papers, seconds=0.0)
    assert scores.precision == pytest.approx(1 / 10)
    assert scores.recall == 1.0


def test_split_is_by_the_last_digit_of_the_arxiv_id() -> None:
    tune, report = split([paper("2401.00010"), paper("2401.00011"), paper("2401.00012")])
    assert [p.arxiv_id for p in tune] == ["2401.00010", "2401.00012"]
    assert [p.arxiv_id for p in report] == ["2401.00011"]


def test_read_papers_keeps_keyworded_items_once_and_names_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "days.jsonl.gz"
    rows = [
        {"arxiv_id": "2401.00001", "title": "A", "summary": "x", "ai_keywords": ["a"]},
        {"arxiv_id": "2401.00001", "title": "A", "summary": "x", "ai_keywords": ["b"]},
        {"arxiv_id": "2401.00002", "title": "B", "summary": "y", "ai_keywords": None},
    ]
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(r) + "\n" for r in rows)
        out.write("not json\n")
    with pytest.raises(ValueError, match=r"days\.jsonl\.gz:4: not a daily-papers item"):
        read_papers(path)


@pytest.mark.slow
def test_ours_beats_both_baselines_on_part_of_the_report_half(shared_data: Path) -> None:
    papers = read_papers(shared_data / HF_FILE)
    _, report = split(papers)
    sample = report[:300]
    methods = {"ours": ours_method(), "tfidf": tfidf_method}
    try:
        import yake  # noqa: F401  # why: the baseline is a development dependency
    except ImportError:
        pass
    else:
        methods["yake"] = yake_method
    scores = evaluate(sample, methods)
    for name in methods.keys() - {"ours"}:
        assert scores["ours"].f1 >= 1.5 * scores[name].f1, name
