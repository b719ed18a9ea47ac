"""``paperwire bench scale-up``: a large store grown from a real one, indexed without embedding."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from paperwire.cli.main import cli
from paperwire.search.embedding import paper_text, register_backend
from paperwire.search.indexer import text_hash
from paperwire.store import PaperStore, SQLiteStore, StoreLocation
from paperwire.store.base import StoredEmbedding
from paperwire_bench.scale import ScaleError, check_vectors, recombine, scale_up, synthetic_id
from search_helpers import HashingEmbedder, make_paper

MODEL = "test-hashing"
TOPICS = [
    ("Protein folding with transformers", "Proteins fold. Attention helps. Results are good."),
    ("Speech recognition at scale", "Audio is long. We chunk it. Errors drop by half."),
    ("Graph neural networks for molecules", "Molecules are graphs. We pass messages."),
    ("Diffusion models for images", "Noise is removed step by step. Samples look real."),
    (
        "Reinforcement learning for robots",
        "Robots learn by trial. Rewards are sparse. We shape them.",
    ),
]


@pytest.fixture(autouse=True)
def hashing_backend() -> None:
    register_backend(MODEL, lambda options: HashingEmbedder(), replace=True)


@pytest.fixture
def source(store: PaperStore) -> PaperStore:
    """Five embedded papers, one never embedded and one whose text changed since."""
    papers = [make_paper(f"2401.0000{n}", *topic) for n, topic in enumerate(TOPICS, 1)]
    papers.append(make_paper("2401.00006", "Not embedded yet", "No vector. None at all."))
    stale = make_paper("2401.00007", "Changed title", "Its vector is of older text.")
    store.upsert_papers([*papers, stale])
    embedder = HashingEmbedder()
    vectors = embedder.embed([paper_text(p) for p in papers[:5]])
    store.put_embeddings(
        StoredEmbedding(p.id, MODEL, text_hash(paper_text(p)), 1, v)
        for p, v in zip(papers[:5], vectors, strict=True)
    )
    store.put_embeddings([StoredEmbedding(stale.id, MODEL, text_hash("older text"), 1, vectors[0])])
    return store


def test_scale_up_copies_the_embedded_papers_and_recombines_the_rest(
    source: PaperStore, tmp_path: Path
) -> None:
    target = SQLiteStore(tmp_path / "big.db")
    report = scale_up(source, target, 60, MODEL, seed=3)
    assert (report.real, report.synthetic) == (5, 55)
    assert target.stats().papers == 60
    real_ids = {f"2401.0000{n}" for n in range(1, 6)}
    assert set(target.get_papers(real_ids)) == real_ids
    assert not target.get_papers(["2401.00006", "2401.00007"])  # no vector of their text
    synthetic = target.get_papers([synthetic_id(n) for n in range(1, 56)])
    assert len(synthetic) == 55
    real_titles = " ".join(title for title, _ in TOPICS).split()
    real_sentences = {s for _, abstract in TOPICS for s in abstract.split(". ")}
    for paper in synthetic.values():
        assert set(paper.title.split()) <= set(real_titles)
        assert paper.abstract and set(paper.abstract.rstrip(".").split(". ")) <= {
            s.rstrip(".") for s in real_sentences
        }
    stored = target.get_embeddings(list(synthetic), MODEL)
    for paper_id, embedding in stored.items():
        assert embedding.text_hash == text_hash(paper_text(synthetic[paper_id]))
        assert abs(float(np.linalg.norm(embedding.vector)) - 1.0) < 1e-5
    target.close()


def test_the_same_seed_makes_the_same_store(source: PaperStore, tmp_path: Path) -> None:
    made = []
    for name in ("a.db", "b.db", "c.db"):
        target = SQLiteStore(tmp_path / name)
        scale_up(source, target, 20, MODEL, seed=1 if name != "c.db" else 2)
        made.append([paper_text(p) for p in target.iter_papers()])
        target.close()
    assert made[0] == made[1]
    assert made[0] != made[2]


def test_a_scaled_store_is_indexed_without_embedding(
    source: PaperStore, store_location: StoreLocation, tmp_path: Path
) -> None:
    target = tmp_path / "big.db"
    out = tmp_path / "scale.json"
    result = CliRunner().invoke(
        cli,
        [
            "bench", "scale-up", str(store_location), str(target),
            "--papers", "40", "--model", MODEL, "--check", "10", "--json", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text())
    assert (figures["papers"], figures["real"], figures["synthetic"]) == (40, 5, 35)
    assert figures["vector_check"]["sampled"] == 10
    assert -1.0 <= figures["vector_check"]["cosine_mean"] <= 1.0
    reindexed = tmp_path / "reindex.json"
    result = CliRunner().invoke(
        cli, ["reindex", "--db", str(target), "--model", MODEL, "--json", str(reindexed)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(reindexed.read_text())
    assert (report["papers"], report["embedded"], report["reused_embeddings"]) == (40, 0, 40)


def test_a_filled_target_or_an_unembedded_source_is_refused(
    source: PaperStore, tmp_path: Path
) -> None:
    filled = SQLiteStore(tmp_path / "filled.db")
    filled.upsert_papers([make_paper("2402.00001", "Already here")])
    with pytest.raises(ScaleError, match="not empty"):
        scale_up(source, filled, 10, MODEL)
    filled.close()
    empty = SQLiteStore(tmp_path / "empty.db")
    with pytest.raises(ScaleError, match="reindex --db SOURCE --model other"):
        scale_up(source, empty, 10, "other")
    assert empty.stats().papers == 0
    result = CliRunner().invoke(
        cli, ["bench", "scale-up", str(tmp_path / "filled.db"), str(tmp_path / "x.db")]
    )
    assert result.exit_code == 1 and "reindex" in result.output
    empty.close()


def test_recombine_weights_each_vector_by_its_share_of_the_abstract() -> None:
    a = make_paper("2401.00001", "One two three four", "Long first sentence of a. Second of a.")
    b = make_paper("2401.00002", "Five six", "First of b. Last of b.")
    va, vb = np.eye(4, dtype=np.float32)[0], np.eye(4, dtype=np.float32)[1]
    paper, vector = recombine(9, a, b, va, vb, np.zeros(4, np.float32))
    assert paper.id == synthetic_id(9) and paper.title == "One two six"
    assert paper.abstract == "Long first sentence of a. Last of b."
    share_a = len("Long first sentence of a.") / len(paper.abstract)
    expected = np.array([share_a, 1 - share_a, 0, 0]) / np.hypot(share_a, 1 - share_a)
    assert np.allclose(vector, expected, atol=1e-6)


def test_check_vectors_compares_with_the_model(source: PaperStore, tmp_path: Path) -> None:
    target = SQLiteStore(tmp_path / "big.db")
    scale_up(source, target, 30, MODEL, noise=0.0)
    figures = check_vectors(target, HashingEmbedder(), 5, 25)
    assert figures["sampled"] == 5
    # The hashing model's vector of a mixed text lies between its parts: close, not equal.
    assert 0.5 < float(figures["cosine_mean"]) <= 1.0
    target.close()
