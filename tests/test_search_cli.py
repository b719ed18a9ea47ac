"""The search commands end to end: reindex, search, similar, eval search, bench search."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperwire.cli.main import cli
from paperwire.config import load_settings
from paperwire.search import embedding
from paperwire.search.embedding import register_backend
from paperwire.search.layout import IndexLayout
from paperwire.store import StoreLocation, open_store_at
from search_helpers import HashingEmbedder, make_paper

MODEL = "test-hashing"
LISTING_RECORD = {
    "id": "2401.00009",
    "title": "Graph neural networks for chemistry",
    "abstract": "Molecules as graphs.",
    "authors": ["A B"],
    "categories": ["cs.LG"],
    "first_listed": "2024-01-09",
}


@pytest.fixture(autouse=True)
def hashing_backend() -> None:
    register_backend(MODEL, lambda options: HashingEmbedder(), replace=True)


@pytest.fixture
def db(store_location: StoreLocation) -> StoreLocation:
    """The commands' store (``--db``): a SQLite file, then a PostgreSQL URL."""
    path = store_location
    store = open_store_at(path)
    store.upsert_papers(
        [
            make_paper("2401.00001", "Protein folding with transformers", "Protein structure."),
            make_paper("2401.00002", "Protein design by diffusion", "Designing proteins."),
            make_paper("2401.00003", "Speech recognition at scale", "Audio models.", upvotes=7),
        ]
    )
    store.close()
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_search_before_any_index_answers_with_keywords(db: StoreLocation) -> None:
    code, output = run("search", "protein", "--db", str(db), "--json", "-")
    assert code == 0, output
    found = json.loads(output[output.index("{") :])
    assert {h["id"] for h in found["hits"]} == {"2401.00001", "2401.00002"}
    assert found["mode"] == "bm25"
    assert "semantic search is on its way (0 of 3 papers embedded" in output
    state = IndexLayout(load_settings().index_dir_for(db)).live()
    assert state is not None and state.read_state().pending_model == "minilm-int8"


def test_reindex_then_search_as_table_and_json(db: StoreLocation) -> None:
    code, output = run("reindex", "--db", str(db), "--model", MODEL, "--json", "-")
    assert code == 0, output
    assert json.loads(output[output.index("{") :])["papers"] == 3

    code, output = run("search", "speech", "--db", str(db), "--model", MODEL)
    assert code == 0, output
    assert "2401.00003" in output and "Speech recognition at scale" in output

    code, output = run("search", "protein", "--db", str(db), "--model", MODEL, "--json", "-")
    assert code == 0, output
    found = json.loads(output[output.index("{") :])
    assert [h["id"] for h in found["hits"]][:2] in (
        ["2401.00001", "2401.00002"],
        ["2401.00002", "2401.00001"],
    )


def test_search_indexes_new_papers_first(db: StoreLocation) -> None:
    assert run("reindex", "--db", str(db), "--model", MODEL)[0] == 0
    store = open_store_at(db)
    store.upsert_papers([make_paper("2401.00004", "Holography at home", "Light.")])
    store.close()
    code, output = run("search", "holography", "--db", str(db), "--model", MODEL)
    assert code == 0 and "2401.00004" in output


def test_bad_query_is_a_clear_error(db: StoreLocation) -> None:
    assert run("reindex", "--db", str(db), "--model", MODEL)[0] == 0
    code, output = run("search", "year:20x6", "--db", str(db), "--model", MODEL)
    assert code == 1 and "bad query:" in output and "is not a date" in output
    code, output = run("search", '"open', "--db", str(db), "--model", MODEL)
    assert code == 1 and "unbalanced quotes" in output


def test_keyword_only_without_a_model(db: StoreLocation) -> None:
    assert run("reindex", "--db", str(db), "--model", "none")[0] == 0
    code, output = run("search", "diffusion", "--db", str(db), "--model", "none")
    assert code == 0 and "2401.00002" in output


def test_a_keyword_only_index_serves_every_command(
    db: StoreLocation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`reindex --model none`, then search in both modes, similar and an import of a new
    file: no model is ever loaded (loading the default one fails here), nothing is
    embedded and the index stays keyword-only."""
    assert run("reindex", "--db", str(db), "--model", "none")[0] == 0

    def no_model(options: object) -> HashingEmbedder:
        raise AssertionError("a keyword-only index loaded an embedding model")

    monkeypatch.setitem(embedding._REGISTRY, "minilm-int8", no_model)
    for mode in ("hybrid", "bm25"):
        code, output = run("search", "diffusion", "--db", str(db), "--mode", mode, "--json", "-")
        assert code == 0, output
        assert json.loads(output[output.index("{") :])["mode"] == "bm25"
        assert "on its way" not in output
    code, output = run("similar", "2401.00001", "--db", str(db))
    assert code == 0, output
    assert "2401.00002" in output and "lexical similarity" in output

    listing = tmp_path / "more.jsonl"
    listing.write_text(json.dumps(LISTING_RECORD) + "\n", encoding="utf-8")
    code, output = run("import", str(listing), "--db", str(db))
    assert code == 0 and "search index updated: 1 papers" in output, output
    state = IndexLayout(load_settings().index_dir_for(db)).live()
    assert state is not None
    assert (state.read_state().model, state.read_state().pending_model) == (None, None)
    store = open_store_at(db)
    assert store.embedding_progress("minilm-int8") == (0, 4)
    store.close()
    code, output = run("search", "molecules", "--db", str(db))
    assert code == 0 and "2401.00009" in output


def test_another_model_than_the_index_is_a_clear_error(db: StoreLocation) -> None:
    assert run("reindex", "--db", str(db), "--model", MODEL)[0] == 0
    generation = IndexLayout(load_settings().index_dir_for(db)).live()
    for command in (["search", "protein"], ["similar", "2401.00001"], ["reindex", "--catch-up"]):
        code, output = run(*command, "--db", str(db), "--model", "none")
        assert code == 1, output
        assert f"built with model '{MODEL}'" in output
        assert "paperwire reindex --model none" in output
    assert IndexLayout(load_settings().index_dir_for(db)).live() == generation  # no rebuild


def test_similar(db: StoreLocation) -> None:
    assert run("reindex", "--db", str(db), "--model", MODEL)[0] == 0
    code, output = run(
        "similar", "https://arxiv.org/abs/2401.00001", "--db", str(db), "--model", MODEL
    )
    assert code == 0, output
    assert "2401.00002" in output and "2401.00001  " not in output
    code, output = run("similar", "2501.99999", "--db", str(db), "--model", MODEL)
    assert code == 1 and "no paper" in output


def test_unknown_model_is_advice(db: StoreLocation) -> None:
    code, output = run("reindex", "--db", str(db), "--model", "no-such-model")
    assert code == 1 and "--model none" in output


def write_beir(folder: Path) -> Path:
    """A tiny BEIR set where each query names exactly one document's topic."""
    folder.mkdir()
    topics = ["volcano", "glacier", "desert", "rainforest", "coral"]
    with (folder / "corpus.jsonl").open("w") as out:
        for n, topic in enumerate(topics):
            out.write(json.dumps({"_id": str(n), "title": f"{topic} study", "text": "field notes"}))
            out.write("\n")
    with (folder / "queries.jsonl").open("w") as out:
        for n, topic in enumerate(topics):
            out.write(json.dumps({"_id": f"q{n}", "text": f"what about the {topic}?"}) + "\n")
    (folder / "qrels").mkdir()
    rows = "".join(f"q{n}\t{n}\t1\n" for n in range(len(topics)))
    (folder / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\n" + rows)
    return folder


def test_eval_search_on_a_beir_folder(tmp_path: Path) -> None:
    folder = write_beir(tmp_path / "tiny")
    out = tmp_path / "eval.json"
    code, output = run(
        "eval", "search", "--dataset", str(folder), "--model", MODEL, "--json", str(out)
    )
    assert code == 0, output
    figures = json.loads(out.read_text())
    assert figures["queries"] == 5
    for mode in ("bm25", "dense", "hybrid"):
        assert figures[mode] == {"ndcg@10": 1.0, "recall@100": 1.0, "mrr@10": 1.0}


def test_eval_dir_is_eval_search_on_that_folder(tmp_path: Path) -> None:
    folder = write_beir(tmp_path / "tiny")
    out = tmp_path / "eval.json"
    code, output = run("eval", str(folder), "--split", "test", "--model", MODEL, "--json", str(out))
    assert code == 0, output
    figures = json.loads(out.read_text())
    assert figures["dataset"] == "tiny" and figures["split"] == "test"
    assert set(figures["hybrid"]) == {"ndcg@10", "recall@100", "mrr@10"}
    code, output = run("eval", str(tmp_path / "absent"))
    assert code == 1 and "no BEIR corpus.jsonl" in output


def test_eval_search_on_a_missing_split(tmp_path: Path) -> None:
    folder = write_beir(tmp_path / "tiny")
    code, output = run("eval", "search", "--dataset", str(folder), "--split", "dev")
    assert code == 1 and "no judgements for split 'dev'" in output


def test_bench_search_reports_latencies(db: StoreLocation, tmp_path: Path) -> None:
    assert run("reindex", "--db", str(db), "--model", MODEL)[0] == 0
    out = tmp_path / "bench.json"
    code, output = run(
        "bench", "search", "--db", str(db), "--model", MODEL, "--queries", "10", "--json", str(out)
    )
    assert code == 0, output
    figures = json.loads(out.read_text())
    assert figures["papers"] == 3 and figures["vector_index"] == "exact"
    assert figures["ann_recall_at_10"] == 1.0
    for mode in ("bm25", "dense", "hybrid"):
        assert (
            0 < figures[f"{mode}_p50_ms"] <= figures[f"{mode}_p95_ms"] <= figures[f"{mode}_p99_ms"]
        )


def test_import_keeps_an_existing_index_up_to_date(db: StoreLocation, tmp_path: Path) -> None:
    listing = tmp_path / "new.jsonl"
    listing.write_text(json.dumps(LISTING_RECORD) + "\n", encoding="utf-8")
    code, output = run("import", str(listing), "--db", str(db), "--model", MODEL)
    assert code == 0 and "search index built: 4 papers" in output, output

    assert run("reindex", "--db", str(db), "--model", MODEL)[0] == 0
    listing.write_text(listing.read_text().replace("00009", "00010"), encoding="utf-8")
    code, output = run("import", str(listing), "--db", str(db), "--model", MODEL)
    assert code == 0 and "search index updated: 1 papers" in output
    store = open_store_at(db)
    assert store.max_seq() == 5
    store.close()
    live = IndexLayout(load_settings().index_dir_for(db)).live()
    assert live is not None and live.read_state().seq == 5  # indexed before any search
    code, output = run("search", "molecules", "--db", str(db), "--model", MODEL, "--json", "-")
    found = json.loads(output[output.index("{") :])
    assert {"2401.00009", "2401.00010"} <= {hit["id"] for hit in found["hits"]}
