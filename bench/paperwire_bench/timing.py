"""Small timing and memory helpers shared by the benchmarks."""

from __future__ import annotations

import resource
import statistics
import sys
import time
from collections.abc import Callable

__all__ = ["latency_figures", "median_seconds", "peak_rss_mb"]


def median_seconds(run: Callable[[], object], repeats: int) -> float:
    """The median wall time of ``repeats`` calls of ``run``."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_rss_mb() -> float:
    """This process's peak resident memory, in MiB.

    On Linux this reads VmHWM: ``ru_maxrss`` survives ``exec``, so a child started
    by a large parent would report the parent's size instead of its own.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def latency_figures(latencies_ms: list[float]) -> dict[str, float | None]:
    """The p50 and p99 of request latencies, in ms (None when there were none)."""
    if not latencies_ms:
        return {"latency_p50_ms": None, "latency_p99_ms": None}
    ordered = sorted(latencies_ms)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return {
        "latency_p50_ms": round(statistics.median(ordered), 2),
        "latency_p99_ms": round(p99, 2),
    }
