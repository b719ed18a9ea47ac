"""``paperwire bench soak``: a steady load for minutes against a real server, watching its memory.

A ``paperwire serve`` subprocess (one worker, the store as deployed) gets
requests at a fixed rate on loopback, cycling through the daily feed,
trending, search, paper pages and the JSON API. Requests are sent on
schedule whatever the server's pace (an open loop, so a slow server shows
as latency, not as a gentler load). The server's resident memory (VmRSS)
is sampled throughout; the figures are the errors, p50/p99 latency, the
memory at start and end and its slope (least squares over the samples).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from paperwire.store import SQLiteStore
from paperwire_bench.loadgen import fetch_once
from paperwire_bench.processes import HOST, free_port, paperwire_process, wait_ready
from paperwire_bench.timing import latency_figures
from paperwire_bench.web import QUERIES

__all__ = ["SoakRun", "resident_mib", "run_soak", "soak_paths"]

_READY_PATH = "/static/style.css"
_MAX_IN_FLIGHT = 64  # beyond this the server is hopelessly behind: count the rest as errors


@dataclass(slots=True)
class SoakRun:
    seconds: float
    rate: float
    requests: int = 0
    errors: int = 0
    late: int = 0  # requests that could not be sent on time (too many in flight)
    latencies_ms: list[float] = field(default_factory=list)
    rss_samples: list[tuple[float, float]] = field(default_factory=list)  # (s, MiB)
    error_examples: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, object]:
        rss = [mib for _, mib in self.rss_samples]
        return {
            "seconds": round(self.seconds, 1),
            "rate_per_second": self.rate,
            "requests": self.requests,
            "errors": self.errors,
            "late": self.late,
            "error_examples": self.error_examples[:5],
            **latency_figures(self.latencies_ms),
            "rss_start_mib": _round(rss[0]) if rss else None,
            "rss_end_mib": _round(rss[-1]) if rss else None,
            "rss_max_mib": _round(max(rss)) if rss else None,
            "rss_slope_mib_per_minute": _round(_slope(self.rss_samples) * 60),
            "rss_samples": [[_round(t), _round(m)] for t, m in self.rss_samples],
        }


def run_soak(
    db: Path, seconds: float = 300.0, rate: float = 40.0, sample_seconds: float = 2.0
) -> dict[str, object]:
    """Load a server on ``db`` at ``rate`` requests/s for ``seconds``; return the figures."""
    paths = soak_paths(db)
    if not paths:
        raise ValueError(f"{db} has no listed papers: import some first")
    with _server(db) as (port, pid):
        run = SoakRun(seconds, rate)
        asyncio.run(_drive(port, pid, paths, run, sample_seconds))
    figures = run.figures()
    figures["db"] = str(db)
    figures["paths"] = len(paths)
    return figures


def soak_paths(db: Path, papers: int = 40) -> list[str]:
    """The mix of pages and API calls one cycle of the load visits."""
    store = SQLiteStore(db)
    try:
        last = store.latest_listed_day()
        if last is None:
            return []
        listed = store.listed_papers(last - timedelta(days=30), last, "upvotes", papers).items
        ids = [item.paper.id for item in listed]
    finally:
        store.close()
    paths = ["/", "/trending", "/api/daily_papers", "/api/papers?limit=20"]
    for n, paper_id in enumerate(ids):
        query = quote(QUERIES[n % len(QUERIES)], safe="")
        paths += [f"/papers/{paper_id}", f"/api/papers/{paper_id}", f"/search?q={query}"]
        if n % 4 == 0:
            paths += ["/", "/trending", f"/api/papers/search?q={query}"]
    return paths


def resident_mib(pid: int) -> float:
    """The resident memory of process ``pid`` in MiB (Linux: VmRSS in /proc)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"process {pid} reports no VmRSS")


async def _drive(port: int, pid: int, paths: list[str], run: SoakRun, every: float) -> None:
    started = time.perf_counter()
    run.rss_samples.append((0.0, resident_mib(pid)))
    sampler = asyncio.create_task(_sample(pid, started, every, run))
    pending: set[asyncio.Task[None]] = set()
    interval = 1.0 / run.rate
    total = int(run.seconds * run.rate)
    for n in range(total):
        delay = started + n * interval - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if len(pending) >= _MAX_IN_FLIGHT:
            run.late += 1
            run.errors += 1
            continue
        task = asyncio.create_task(_one(port, paths[n % len(paths)], run))
        pending.add(task)
        task.add_done_callback(pending.discard)
    if pending:
        await asyncio.gather(*pending)
    sampler.cancel()
    run.seconds = time.perf_counter() - started
    run.rss_samples.append((run.seconds, resident_mib(pid)))


async def _sample(pid: int, started: float, every: float, run: SoakRun) -> None:
    while True:
        await asyncio.sleep(every)
        run.rss_samples.append((time.perf_counter() - started, resident_mib(pid)))


async def _one(port: int, path: str, run: SoakRun) -> None:
    sent = time.perf_counter()
    try:
        status, _, _ = await fetch_once(HOST, port, path)
    except (OSError, ValueError, asyncio.IncompleteReadError) as exc:
        status, problem = 0, f"{path}: {type(exc).__name__}: {exc}"
    else:
        problem = f"{path}: HTTP {status}"
    run.requests += 1
    run.latencies_ms.append((time.perf_counter() - sent) * 1000)
    if status != 200:
        run.errors += 1
        run.error_examples.append(problem)


@contextmanager
def _server(db: Path) -> Iterator[tuple[int, int]]:
    """``paperwire serve`` on ``db`` with one worker (in-process, so its pid is the server)."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="paperwire-soak-") as home:
        env = {**os.environ, "PAPERWIRE_HOME": home}
        args = ["serve", "--db", str(db), "--port", str(port), "--workers", "1"]
        log = Path(home) / "server.log"
        with paperwire_process([*args, "--no-access-log"], env, log) as process:
            wait_ready(process, port, log, _READY_PATH)
            yield port, process.pid


def _slope(samples: list[tuple[float, float]]) -> float:
    """Least-squares MiB per second over the samples (0 with fewer than two)."""
    if len(samples) < 2:
        return 0.0
    times = [t for t, _ in samples]
    mean_t = statistics.fmean(times)
    mean_m = statistics.fmean(m for _, m in samples)
    spread = sum((t - mean_t) ** 2 for t in times)
    if not spread:
        return 0.0
    return sum((t - mean_t) * (m - mean_m) for t, m in samples) / spread


def _round(value: float) -> float:
    return round(value, 2)
