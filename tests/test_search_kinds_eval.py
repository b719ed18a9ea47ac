"""The evaluations of the three kinds of query: sets found, the topical set, known items,
arxiv-sanity-lite's rule, and the per-query fusion weight."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest

from paperwire.search.engine import SearchEngine
from paperwire.search.fusion import FusionParams, QuerySignals, dense_weight_for, query_signals
from paperwire.search.known_items import TitleMatch, title_match
from paperwire.search.lexical import title_tokens
from paperwire.store import SQLiteStore
from paperwire_bench.beir import load_beir
from paperwire_bench.eval_sets import beir_sets
from paperwire_bench.known_items import (
    FORMS,
    SanityRanker,
    build_queries,
    evaluate,
    with_typo,
)
from paperwire_bench.topical import MIN_PAPERS, build_topical_set
from search_helpers import HashingEmbedder, make_paper

# -- fusion that adapts to the query --------------------------------------------


def test_a_long_query_leans_on_the_dense_side() -> None:
    params = FusionParams("zscore", 0.5, length_weight=0.2)
    short = QuerySignals(words=2, lexical_peak=0.5, dense_peak=0.5, agreement=0.5)
    long = QuerySignals(words=12, lexical_peak=0.5, dense_peak=0.5, agreement=0.5)
    assert dense_weight_for(params, short) == pytest.approx(0.5)
    assert dense_weight_for(params, long) == pytest.approx(0.7)
    assert dense_weight_for(params, None) == 0.5


def test_the_peaked_side_counts_more_and_the_weight_stays_inside() -> None:
    params = FusionParams("zscore", 0.5, peak_weight=0.4)
    dense_sure = QuerySignals(words=4, lexical_peak=0.0, dense_peak=1.0, agreement=0.5)
    lexical_sure = QuerySignals(words=4, lexical_peak=1.0, dense_peak=0.0, agreement=0.5)
    assert dense_weight_for(params, dense_sure) == pytest.approx(0.9)
    assert dense_weight_for(params, lexical_sure) == pytest.approx(0.1)
    extreme = FusionParams("zscore", 0.9, peak_weight=1.0)
    assert dense_weight_for(extreme, dense_sure) == pytest.approx(0.95)


def test_query_signals_read_peaks_and_agreement() -> None:
    flat = {f"d{i}": 1.0 + 0.01 * i for i in range(20)}
    peaked = {**{f"d{i}": 1.0 - 0.01 * i for i in range(19)}, "d19": 9.0}
    signals = query_signals(peaked, flat, words=3)
    assert signals.lexical_peak == 1.0 and 0.0 < signals.dense_peak < 0.5
    assert signals.agreement == pytest.approx(0.1)  # only d19 is in both top tens
    assert query_signals({}, flat, 3).agreement == 0.0


# -- the sets `paperwire eval` runs ---------------------------------------------


def _beir_folder(folder: Path, splits: list[str]) -> None:
    (folder / "qrels").mkdir(parents=True)
    (folder / "corpus.jsonl").write_text('{"_id": "1", "title": "t", "text": "x"}\n')
    for split in splits:
        (folder / "qrels" / f"{split}.tsv").write_text("query-id\tcorpus-id\tscore\nq\t1\t1\n")


def test_every_beir_folder_is_found_on_its_test_split(tmp_path: Path) -> None:
    _beir_folder(tmp_path / "withtrain", ["train", "test"])
    _beir_folder(tmp_path / "devonly", ["dev"])
    (tmp_path / "notbeir").mkdir()
    found = [(s.folder.name, s.split) for s in beir_sets(tmp_path)]
    assert found == [("devonly", "dev"), ("withtrain", "test")]


def test_topical_set_judges_a_paper_relevant_when_hugging_face_gave_it_the_keyword(
    tmp_path: Path,
) -> None:
    rows = [
        {
            "arxiv_id": f"2401.{n:05d}",
            "title": f"T{n}",
            "summary": "s",
            "ai_keywords": ["Speculative  Decoding", "LLMs (large language models)"],
        }
        for n in range(MIN_PAPERS)
    ]
    rows.append(
        {
            "arxiv_id": "2401.99999",
            "title": "other",
            "summary": "s",
            "ai_keywords": ["speculative decoding"],
        }
    )
    rows.append({**rows[0], "title": "a repeat of a paper already read"})
    source = tmp_path / "hf"
    source.mkdir()
    with gzip.open(source / "days.jsonl.gz", "wt") as handle:
        handle.writelines(json.dumps(row) + "\n" for row in rows)
    beir = load_beir(build_topical_set(source, tmp_path / "topics"), "test")
    assert list(beir.queries.values()) == ["speculative decoding"]  # brackets: not a topic
    (relevant,) = beir.qrels.values()
    assert len(relevant) == MIN_PAPERS + 1 and "beir:2401.99999" in relevant
    corpus = (tmp_path / "topics" / "corpus.jsonl").read_text().splitlines()
    assert len(corpus) == MIN_PAPERS + 1  # each paper once


# -- known items ----------------------------------------------------------------

TITLES = [
    "Attention Is All You Need",
    "Speech Separation: Attention Is All You Need",
    "Deep Residual Learning for Image Recognition",
    "Language Models are Few-Shot Learners",
    "Denoising Diffusion Probabilistic Models",
    "Short title",
]


@pytest.fixture
def known_store(tmp_path: Path) -> SQLiteStore:
    store = SQLiteStore(tmp_path / "known.db")
    store.upsert_papers(
        [
            make_paper(f"2401.{n:05d}", title, f"About {title.lower()}.", authors=[f"Author {n}"])
            for n, title in enumerate(TITLES)
        ]
    )
    return store


def test_a_typo_is_one_edit_in_one_long_word() -> None:
    rng = random.Random(1)
    for title in TITLES[:5]:
        for _ in range(20):
            typed = with_typo(title, rng)
            words, typed_words = title_tokens(title), title_tokens(typed)
            assert typed != title and title_match(typed_words, words) is TitleMatch.WHOLE_TYPO


def test_known_item_queries_are_the_same_for_the_same_seed(known_store: SQLiteStore) -> None:
    first = build_queries(known_store, 3, seed=7)
    assert first == build_queries(known_store, 3, seed=7)
    assert len(first) == 3 * len(FORMS) and {q.form for q in first} == set(FORMS)
    assert "2401.00005" not in {q.paper_id for q in first}  # two words: no five-word start
    prefixes = [q for q in first if q.form == "first_five_words"]
    assert all(len(q.text.split()) == 5 for q in prefixes)


def test_arxiv_sanity_lite_rule_weighs_title_then_authors_then_abstract(tmp_path: Path) -> None:
    papers = [
        make_paper("2401.00001", "Graph networks", "graph graph graph graph graph"),
        make_paper("2401.00002", "Trees", "nothing here", authors=["Graph Man"]),
        make_paper("2401.00003", "Graph networks", "none"),
        make_paper("2401.00004", "Other", "one graph"),
        make_paper("2401.00005", "Nothing", "none"),
    ]
    ranker = SanityRanker(papers)
    # 20 + 3 (capped), then 20, then 10 (an author), then 1; no points: left out.
    assert ranker.top("graph", 10) == ["2401.00001", "2401.00003", "2401.00002", "2401.00004"]
    assert ranker.top("GRAPH networks", 1) == ["2401.00001"]
    assert ranker.top("graphnetworks", 5) == []


def test_known_item_evaluation_counts_top1_and_top3(
    known_store: SQLiteStore, tmp_path: Path
) -> None:
    engine = SearchEngine(known_store, tmp_path / "idx", HashingEmbedder())
    engine.update()
    queries = build_queries(known_store, 10)
    figures = evaluate(engine, queries, SanityRanker(known_store.iter_papers()))
    assert figures["papers"] == 4  # the titles of five words or more
    for form in FORMS:
        hybrid = figures[f"{form}.hybrid"]
        assert isinstance(hybrid, dict) and hybrid["top1"] == 1.0 and hybrid["top3"] == 1.0
    sanity = figures["whole_title.arxiv_sanity_lite"]
    assert isinstance(sanity, dict) and sanity["top3"] == 1.0


@pytest.mark.slow
def test_typed_titles_of_the_shared_daily_papers_come_first(
    shared_data: Path, tmp_path: Path
) -> None:
    from paperwire.ingest import import_paths

    store = SQLiteStore(tmp_path / "hf.db")
    import_paths(store, sorted((shared_data / "hf-daily-papers").glob("*.jsonl.gz")))
    engine = SearchEngine(store, tmp_path / "idx", None)
    engine.update()
    figures = evaluate(engine, build_queries(store, 200), None)
    for form in FORMS:
        bm25 = figures[f"{form}.bm25"]
        assert isinstance(bm25, dict)
        assert bm25["top1"] >= (0.95 if form == "title_with_typo" else 0.99), (form, bm25)
