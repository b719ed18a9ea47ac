"""``paperwire bench understanding``: what computing keyphrases costs, against embedding.

On the first ``count`` papers of an arXiv listing file, in one run:

- the bundled MiniLM's paper-embedding throughput (papers per second, the
  paper texts the indexer embeds, in batches as the indexer sends them; on
  at most ``EMBED_LIMIT`` of them);
- understanding's throughput: the keyphrases alone, and the follower with its
  store writes (``application.understanding.follow_changes``);
- what understanding adds to an import plus indexing: the same papers
  imported into a new SQLite store and indexed (keyword and vectors, as the
  indexer does for a new store with a model; and keyword only), then
  understood; the ratio is (import + indexing + understanding) over
  (import + indexing).
"""

from __future__ import annotations

import gzip
import os
import tempfile
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path

from paperwire.application.understanding import follow_changes
from paperwire.ingest import import_paths
from paperwire.search.embedding import EmbeddingBackend, paper_text
from paperwire.search.engine import SearchEngine
from paperwire.search.indexer import INDEX_BATCH
from paperwire.store import SQLiteStore
from paperwire.understanding.annotators import paper_keyphrases
from paperwire_bench.recs_data import read_listings

__all__ = ["DEFAULT_COUNT", "TARGETS", "bench_understanding"]

DEFAULT_COUNT = 2000
EMBED_LIMIT = 2000  # papers embedded to measure the model's throughput
# understanding / embedding throughput (minimum), and import+indexing+understanding
# over import+indexing (maximum).
TARGETS = {"throughput_vs_embedding": 1.0, "import_index_ratio": 1.5}

Progress = Callable[[str], None]


def bench_understanding(
    listing: Path,
    backend: EmbeddingBackend,
    count: int = DEFAULT_COUNT,
    batch_size: int = INDEX_BATCH,
    tell: Progress = lambda _: None,
    vectors: bool = True,
) -> dict[str, object]:
    """The figures above as a flat dict; without ``vectors``, the import and indexing
    with vectors is left out (it takes the embedding time of every paper).
    Raises ``ValueError`` for a file without papers."""
    papers = list(islice(read_listings(listing), count))
    if not papers:
        raise ValueError(f"{listing} holds no papers")
    texts = [paper_text(p) for p in papers]
    load_before = os.getloadavg()[0]

    tell("embedding the papers")
    backend.embed(texts[:batch_size])  # warm-up: the first call builds the session
    embedded = texts[:EMBED_LIMIT]
    started = time.perf_counter()
    for start in range(0, len(embedded), batch_size):
        backend.embed(embedded[start : start + batch_size])
    embed_seconds = (time.perf_counter() - started) * len(texts) / len(embedded)

    tell("keyphrases of the papers")
    paper_keyphrases(papers[0])  # warm-up: loads the tables
    started = time.perf_counter()
    for paper in papers:
        paper_keyphrases(paper)
    keyphrase_seconds = time.perf_counter() - started

    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="paperwire-bench-") as tmp:
        folder = Path(tmp)
        sample = _write_prefix(listing, folder / "sample.jsonl", len(papers))
        if vectors:
            tell("import, keyword and vector indexing, then understanding")
            full = _import_index_understand(sample, folder / "full", backend)
            figures = {
                "import_seconds": round(full["import"], 2),
                "index_seconds": round(full["index"], 2),
                "understanding_seconds": round(full["understanding"], 2),
                "import_index_ratio": round(_ratio(full), 3),
            }
        tell("import, keyword indexing, then understanding")
        keyword = _import_index_understand(sample, folder / "keyword", None)

    embed_rate = len(papers) / embed_seconds
    keyphrase_rate = len(papers) / keyphrase_seconds
    follower_rate = len(papers) / keyword["understanding"]
    return {
        "file": str(listing),
        "papers": len(papers),
        "model": backend.name,
        "embedding_papers_per_second": round(embed_rate, 1),
        "keyphrases_papers_per_second": round(keyphrase_rate, 1),
        "follower_papers_per_second": round(follower_rate, 1),
        "throughput_vs_embedding": round(follower_rate / embed_rate, 2),
        **figures,
        "keyword_only_import_seconds": round(keyword["import"], 2),
        "keyword_only_index_seconds": round(keyword["index"], 2),
        "keyword_only_understanding_seconds": round(keyword["understanding"], 2),
        "keyword_only_import_index_ratio": round(_ratio(keyword), 3),
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
    }


def _ratio(times: dict[str, float]) -> float:
    base = times["import"] + times["index"]
    return (base + times["understanding"]) / base


def _import_index_understand(
    sample: Path, folder: Path, backend: EmbeddingBackend | None
) -> dict[str, float]:
    folder.mkdir()
    store = SQLiteStore(folder / "paperwire.db")
    try:
        started = time.perf_counter()
        import_paths(store, [sample])
        imported = time.perf_counter()
        SearchEngine(store, folder / "index", backend).update()
        indexed = time.perf_counter()
        follow_changes(store)
        done = time.perf_counter()
    finally:
        store.close()
    return {
        "import": imported - started,
        "index": indexed - imported,
        "understanding": done - indexed,
    }


def _write_prefix(path: Path, out: Path, count: int) -> Path:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines, out.open("w", encoding="utf-8") as target:
        target.writelines(islice((line for line in lines if line.strip()), count))
    return out
