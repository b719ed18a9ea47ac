"""``paperwire bench web``: server time per page, and throughput of the feed under load.

Real servers are started (``paperwire serve`` subprocesses on loopback):
  - one with the page cache off, 1 worker: the p50 *server time* (the
    ``Server-Timing`` header: request in, response out) of ``/``, ``/trending``,
    ``/trending?by=code`` (read from the stored star history),
    ``/search?q=`` (a set of queries) and ``/papers/{id}`` (distinct papers):
    every request renders;
  - one as deployed (cache on), 2 workers by default: the same p50s once the
    cache is warm, then requests per second for ``/`` under the load generator.
The baseline, measured in the same runs, is a static file (the stylesheet):
the framework's floor, so ratios say what each page adds to it.
Transferred bytes: each page's median body as sent without compression, with
gzip and with brotli (the ``Accept-Encoding`` a browser sends), and the ratio.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from paperwire.store import SQLiteStore
from paperwire_bench.loadgen import fetch_once, run_load
from paperwire_bench.processes import HOST, free_port, paperwire_process, wait_ready

__all__ = ["QUERIES", "bench_web"]

BASELINE = "/static/style.css"
QUERIES = (
    "diffusion models",
    "large language model reasoning",
    "graph neural networks",
    "reinforcement learning from human feedback",
    "vision transformer",
    "speech recognition",
    "retrieval augmented generation",
    "protein structure prediction",
    "federated learning privacy",
    "quantization of neural networks",
    "transformer cat:cs.CL year:2025",
    '"chain of thought" has:code',
)


def bench_web(
    db: Path,
    samples: int = 60,
    seconds: float = 10.0,
    connections: int = 16,
    workers: int = 2,
) -> dict[str, object]:
    paper_ids = _sample_papers(db, samples)
    if not paper_ids:
        raise ValueError(f"{db} has no listed papers: import some first")
    pages = _page_urls(paper_ids, samples)
    figures: dict[str, object] = {"db": str(db), "samples": samples, "workers": workers}
    with _server(db, workers=1, cache=False) as port:
        uncached = {name: _server_p50(port, urls) for name, urls in pages.items()}
    with _server(db, workers=workers, cache=True) as port:
        for urls in pages.values():  # fill the cache
            _server_p50(port, urls)
        cached = {name: _server_p50(port, urls) for name, urls in pages.items()}
        transferred = {name: _transferred(port, urls[:10]) for name, urls in pages.items()}
        load = asyncio.run(run_load(HOST, port, "/", connections, seconds)).figures()
        floor = asyncio.run(run_load(HOST, port, BASELINE, connections, seconds)).figures()
    figures["server_p50_ms_uncached"] = uncached
    figures["server_p50_ms_cached"] = cached
    figures["ratio_uncached_to_static"] = {
        name: _ratio(value, uncached["static (baseline)"]) for name, value in uncached.items()
    }
    figures["transferred_bytes"] = transferred
    figures["load_feed"] = load
    figures["load_static_baseline"] = floor
    figures["feed_rps_ratio_to_static"] = _ratio(
        float(load["requests_per_second"]), float(floor["requests_per_second"])
    )
    figures["targets"] = {"p50_ms": 30, "feed_requests_per_second": 300}
    return figures


def _page_urls(paper_ids: list[str], samples: int) -> dict[str, list[str]]:
    queries = [QUERIES[i % len(QUERIES)] for i in range(samples)]
    return {
        "/": ["/"] * samples,
        "/trending": ["/trending"] * samples,
        "/trending?by=code": ["/trending?by=code"] * samples,
        "/search?q=": [f"/search?q={quote(q, safe='')}" for q in queries],
        "/papers/{id}": [f"/papers/{pid}" for pid in paper_ids],
        "static (baseline)": [BASELINE] * samples,
    }


def _sample_papers(db: Path, count: int) -> list[str]:
    """Papers of the newest listing days, most upvoted first (the pages people open)."""
    store = SQLiteStore(db)
    try:
        last = store.latest_listed_day()
        if last is None:
            return []
        first = last - timedelta(days=30)
        return [item.paper.id for item in store.listed_papers(first, last, "upvotes", count).items]
    finally:
        store.close()


def _server_p50(port: int, urls: list[str]) -> float | None:
    times = []
    for url in urls:
        status, headers, _ = asyncio.run(fetch_once(HOST, port, url))
        if status != 200:
            raise RuntimeError(f"GET {url} answered {status}: the bench needs every page to work")
        timing = headers.get("server-timing", "")
        if "dur=" in timing:
            times.append(float(timing.split("dur=", 1)[1].split(";")[0]))
    return round(statistics.median(times), 2) if times else None


ENCODINGS = {"identity": None, "gzip": "gzip", "br": "gzip, deflate, br"}


def _transferred(port: int, urls: list[str]) -> dict[str, float | None]:
    """The median body bytes each encoding puts on the wire for ``urls``, and br's ratio."""
    sizes: dict[str, float | None] = {}
    for name, accept in ENCODINGS.items():
        lengths = [len(asyncio.run(fetch_once(HOST, port, url, accept))[2]) for url in urls]
        sizes[name] = float(statistics.median(lengths))
    sizes["br_ratio"] = _ratio(sizes["br"], sizes["identity"], digits=3)
    return sizes


def _ratio(value: float | None, base: float | None, digits: int = 1) -> float | None:
    return round(value / base, digits) if value and base else None


@contextmanager
def _server(db: Path, workers: int, cache: bool) -> Iterator[int]:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="paperwire-bench-web-") as home:
        env = {
            **os.environ,
            "PAPERWIRE_HOME": home,
            "PAPERWIRE_PAGE_CACHE_SECONDS": "600" if cache else "0",
            "PAPERWIRE_INDEX_REFRESH_SECONDS": "0",
        }
        args = ["serve", "--db", str(db), "--port", str(port), "--workers", str(workers)]
        log = Path(home) / "server.log"
        with paperwire_process([*args, "--no-access-log"], env, log) as process:
            wait_ready(process, port, log, BASELINE)
            yield port
