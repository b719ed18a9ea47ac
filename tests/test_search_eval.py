"""The evaluation harness on the shared BEIR sets: loading splits, and (slow) real quality."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperwire.search.embedding import load_backend
from paperwire.search.fusion import DEFAULT_FUSION
from paperwire.search.metrics import mrr_at_k, recall_at_k
from paperwire.search.minilm import ModelNotInstalled
from paperwire_bench.beir import SharedDataMissing, load_beir, resolve_dataset, shared_data_dir
from paperwire_bench.search_eval import MODES, collect, open_eval_engine, score


@pytest.mark.parametrize(
    ("name", "split", "judged"),
    [("scifact", "train", 809), ("scifact", "test", 300), ("cisi", "test", 76)],
)
def test_load_beir_keeps_judged_queries_of_the_split(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch, name: str, split: str, judged: int
) -> None:
    monkeypatch.setenv("PAPERWIRE_SHARED_DATA", str(shared_data))
    beir = load_beir(resolve_dataset(name), split)
    assert len(beir.queries) == judged
    assert set(beir.queries) <= set(beir.qrels)
    assert all(doc.startswith("beir:") for grades in beir.qrels.values() for doc in grades)


def test_unknown_dataset_is_advice(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"no BEIR corpus\.jsonl"):
        resolve_dataset(str(tmp_path / "nothing"))


def test_shared_data_is_the_variable_else_beside_the_checkout_holding_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERWIRE_SHARED_DATA", str(tmp_path / "anywhere"))
    assert shared_data_dir() == tmp_path / "anywhere"
    monkeypatch.delenv("PAPERWIRE_SHARED_DATA")
    checkout, data = tmp_path / "paperwire", tmp_path / "shared" / "data"
    (checkout / "bench" / "paperwire_bench").mkdir(parents=True)
    for project in (checkout, checkout / "bench"):  # the nested one has no data beside it
        (project / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
    monkeypatch.chdir(checkout / "bench" / "paperwire_bench")
    with pytest.raises(SharedDataMissing, match="set PAPERWIRE_SHARED_DATA"):
        shared_data_dir()
    data.mkdir(parents=True)
    assert shared_data_dir() == data.resolve()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SharedDataMissing):
        resolve_dataset("scifact")


def test_recall_at_k() -> None:
    assert recall_at_k(["a", "x", "b"], {"a": 1, "b": 2, "c": 1}, 2) == pytest.approx(1 / 3)
    assert recall_at_k(["a"], {}, 10) == 0.0


def test_mrr_at_k_is_the_reciprocal_rank_of_the_first_relevant_document() -> None:
    grades = {"b": 1, "c": 2, "z": 0}
    assert mrr_at_k(["z", "a", "b", "c"], grades, 10) == pytest.approx(1 / 3)
    assert mrr_at_k(["c"], grades, 10) == 1.0
    assert mrr_at_k(["z", "a", "b"], grades, 2) == 0.0  # found only below k
    assert mrr_at_k([], grades, 10) == 0.0


@pytest.mark.slow
@pytest.mark.parametrize("name", ["cranfield", "cisi"])
def test_hybrid_is_not_worse_than_the_better_single_mode(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str
) -> None:
    monkeypatch.setenv("PAPERWIRE_SHARED_DATA", str(shared_data))
    try:
        backend = load_backend()
    except ModelNotInstalled as exc:
        pytest.skip(str(exc))
    beir = load_beir(resolve_dataset(name), "test")
    engine = open_eval_engine(beir, tmp_path / "work", backend)
    figures = score(collect(engine, beir), beir, DEFAULT_FUSION, MODES)
    best_single = max(figures["bm25"].ndcg_at_10, figures["dense"].ndcg_at_10)
    assert figures["hybrid"].ndcg_at_10 >= best_single - 0.005
