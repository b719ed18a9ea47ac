"""``paperwire bench embed``: embedding throughput, int8 against its fp32 baseline.

Both variants of the bundled model embed the same real abstracts in the same
run. After a warm-up, timed runs alternate between them (so a change in the
machine's load hits both alike); each reports its median. Also reported: the
tokens per abstract (before truncation) and how many reach the 256-token cap,
the cosine between the int8 and fp32 vector of each abstract, and the
ceiling: the throughput the model's int8 weight products alone would allow
on this CPU (``matmul_ceiling``), measured between the timed runs.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np

from paperwire.ingest import FORMATS, detect_format
from paperwire.ingest.reader import open_source
from paperwire.model import Paper
from paperwire.search.embedding import paper_text
from paperwire.search.minilm import MAX_TOKENS, MiniLMBackend, locate_model_files
from paperwire_bench.beir import SharedDataMissing, shared_data_dir
from paperwire_bench.matmul_ceiling import Ceiling, weight_products_ceiling

__all__ = [
    "DEFAULT_COUNT",
    "TARGETS",
    "EmbedBench",
    "bench_embed",
    "default_abstracts_file",
    "read_texts",
]

DEFAULT_COUNT = 512
# What the bundled model should reach on a 2-core machine (figure name: minimum).
TARGETS = {"int8_per_second": 50.0, "cosine_mean": 0.99}

Progress = Callable[[str], None]  # told which step starts


@dataclass(slots=True)
class EmbedBench:
    texts: int
    batch_size: int
    threads: int
    repeats: int
    token_counts: np.ndarray
    seconds: dict[str, list[float]] = field(default_factory=dict)
    load_seconds: dict[str, float] = field(default_factory=dict)
    cosines: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    # The weight products alone, measured between the timed runs (matmul_ceiling).
    ceilings: list[Ceiling] = field(default_factory=list)
    # The machine's 1-minute load average before and after the timed runs: on a
    # shared machine, other work can slow both variants, and this says so.
    load_average: tuple[float, float] = (0.0, 0.0)

    def per_second(self, variant: str) -> float:
        return self.texts / statistics.median(self.seconds[variant])

    def figures(self) -> dict[str, object]:
        tokens = self.token_counts
        int8, fp32 = self.per_second("int8"), self.per_second("fp32")
        cosine_mean = float(self.cosines.mean())
        return {
            "abstracts": self.texts,
            "batch_size": self.batch_size,
            "threads": self.threads,
            "repeats": self.repeats,
            "load_average_before": round(self.load_average[0], 2),
            "load_average_after": round(self.load_average[1], 2),
            "tokens_mean": round(float(tokens.mean()), 1),
            "tokens_median": float(np.median(tokens)),
            "tokens_max": int(tokens.max()),
            "token_cap": MAX_TOKENS,
            "at_cap": int((tokens >= MAX_TOKENS).sum()),
            "at_cap_fraction": round(float((tokens >= MAX_TOKENS).mean()), 3),
            "tokens_mean_embedded": round(float(np.minimum(tokens, MAX_TOKENS).mean()), 1),
            "int8_per_second": round(int8, 1),
            "fp32_per_second": round(fp32, 1),
            "int8_speedup_over_fp32": round(int8 / fp32, 2),
            **self.ceiling_figures(int8),
            "int8_run_seconds": [round(s, 3) for s in self.seconds["int8"]],
            "fp32_run_seconds": [round(s, 3) for s in self.seconds["fp32"]],
            "int8_load_seconds": round(self.load_seconds["int8"], 2),
            "fp32_load_seconds": round(self.load_seconds["fp32"], 2),
            "cosine_mean": round(cosine_mean, 4),
            "cosine_min": round(float(self.cosines.min()), 4),
            "targets": TARGETS,
            "targets_met": {
                "int8_per_second": int8 >= TARGETS["int8_per_second"],
                "cosine_mean": cosine_mean >= TARGETS["cosine_mean"],
            },
        }

    def ceiling_figures(self, int8_per_second: float) -> dict[str, float]:
        if not self.ceilings:
            return {}
        middle = sorted(self.ceilings, key=lambda c: c.per_second)[len(self.ceilings) // 2]
        return {
            **middle.figures(),
            "int8_share_of_ceiling": round(int8_per_second / middle.per_second, 2),
        }


def default_abstracts_file() -> Path | None:
    """The arXiv cs listing file of the shared data, if it is there."""
    try:
        found = sorted((shared_data_dir() / "arxiv-cs").glob("*.jsonl.gz"))
    except SharedDataMissing:
        return None
    return found[0] if found else None


def read_texts(path: Path, count: int) -> list[str]:
    """The first ``count`` papers of a file (any format ``paperwire import`` reads), as
    the text they are embedded as; records that are rejected are skipped."""
    source = open_source(path)
    try:
        parse = FORMATS[detect_format(source.head())]
        texts: list[str] = []
        for record in parse(source.stream, source.name):  # type: ignore[arg-type]  # why: the parsers take any binary stream
            if isinstance(record, Paper) and (record.title or record.abstract):
                texts.append(paper_text(record))
                if len(texts) == count:
                    break
    finally:
        source.close()
    if not texts:
        raise ValueError(f"{path}: no paper with a title or an abstract")
    return texts


def bench_embed(
    texts: list[str],
    *,
    batch_size: int = 16,
    threads: int | None = None,
    repeats: int = 3,
    progress: Progress | None = None,
) -> EmbedBench:
    """Time int8 and fp32 on ``texts``: a warm-up, then ``repeats`` alternating runs each."""
    tell = progress or (lambda step: None)
    backends: dict[str, MiniLMBackend] = {}
    load_seconds = {}
    for variant in ("int8", "fp32"):
        tell(f"loading {variant} (built on first use)")
        started = time.perf_counter()
        backends[variant] = MiniLMBackend(variant, threads=threads, batch_size=batch_size)
        load_seconds[variant] = time.perf_counter() - started
    result = EmbedBench(
        texts=len(texts),
        batch_size=batch_size,
        threads=threads or len(os.sched_getaffinity(0)),
        repeats=repeats,
        token_counts=backends["int8"].token_counts(texts),
        load_seconds=load_seconds,
    )
    warm_up = texts[: 4 * batch_size]
    for variant, backend in backends.items():
        tell(f"warming up {variant}")
        backend.embed(warm_up)
    vectors: dict[str, np.ndarray] = {}
    measure_ceiling = _ceiling_measure(result)
    load_before = os.getloadavg()[0]
    for run in range(repeats):
        for variant, backend in backends.items():
            tell(f"{variant}: timed run {run + 1} of {repeats}")
            started = time.perf_counter()
            vectors[variant] = backend.embed(texts)
            result.seconds.setdefault(variant, []).append(time.perf_counter() - started)
        tell(f"weight products alone: run {run + 1} of {repeats}")
        result.ceilings.append(measure_ceiling())
    result.cosines = (vectors["int8"] * vectors["fp32"]).sum(axis=1)
    result.load_average = (load_before, os.getloadavg()[0])
    return result


def _ceiling_measure(result: EmbedBench) -> Callable[[], Ceiling]:
    """The ceiling measurement for this run's batches, the model's sizes read once."""
    config = json.loads(locate_model_files().config.read_text(encoding="utf-8"))
    return partial(
        weight_products_ceiling,
        batch_size=result.batch_size,
        tokens=round(float(np.minimum(result.token_counts, MAX_TOKENS).mean())),
        hidden=int(config["hidden_size"]),
        intermediate=int(config["intermediate_size"]),
        layers=int(config["num_hidden_layers"]),
        threads=result.threads,
    )
