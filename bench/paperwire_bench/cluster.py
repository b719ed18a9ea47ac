"""A load test of paperwire scaled out: several web nodes and a worker on one database.

Each node is its own ``paperwire serve`` process with its own data folder
(its own search index, built once by ``paperwire reindex`` and copied), all
sharing one secret key and one store. A ``paperwire worker`` runs beside them:
its Hugging Face sync reads node 0's own HF-shaped API (the one source on
loopback), its arXiv sources, GitHub and the Hub's repository lists (the
artifact refresh) point at a closed port (they fail fast and are retried
later). A loopback generator then keeps ``connections`` requests in flight,
spread over the nodes, mixing feed pages, searches, paper pages and upvotes
(logged-in users, CSRF header, JSON answers). The baseline, in the same run,
is a static file fetched from the same nodes over as many connections.
Afterwards every acknowledged vote is looked up in the store, and every tally checked.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import random
import secrets
import shutil
import subprocess
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from paperwire.store import StoreLocation, open_store_at
from paperwire.store.base import PaperStore
from paperwire_bench.loadgen import LoadResult, run_load
from paperwire_bench.processes import HOST, free_port, paperwire_process, wait_ready
from paperwire_bench.timing import latency_figures

__all__ = ["ClusterPlan", "run_cluster"]

MIX = {"feed": 30, "search": 25, "paper": 30, "vote": 15}  # share of each request kind
_FEED_PATHS = ["/", "/?period=week", "/trending", "/?period=month"]

_WORKER_DONE = "jobs done:"  # what the worker logs after each sync and digest run
_WORKER_TIMEOUT_S = 180.0
_STATIC = "/static/style.css"
_BASELINE_SECONDS = 10.0

Say = Callable[[str], None]


@dataclass(slots=True)
class ClusterPlan:
    db: StoreLocation
    nodes: int = 2
    seconds: float = 60.0
    connections: int = 16
    seed: int = 7


@dataclass(slots=True)
class Session:
    user_id: int
    cookie: str
    csrf: str
    voted: dict[str, bool] = field(default_factory=dict)  # last acknowledged vote per paper


@dataclass(slots=True)
class Tally:
    requests: int = 0
    errors: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)

    def figures(self, seconds: float) -> dict[str, object]:
        return {
            "requests": self.requests,
            "errors": self.errors,
            "requests_per_second": round(self.requests / seconds, 1) if seconds else 0.0,
            **latency_figures(self.latencies_ms),
            "error_samples": self.error_samples[:5],
        }


def run_cluster(plan: ClusterPlan, work: Path, say: Say = print) -> dict[str, object]:
    """Start the nodes and the worker, load them, check the votes; return the figures."""
    store = open_store_at(plan.db)
    try:
        papers, words = _sample(store, plan.seed)
        if not papers:
            raise RuntimeError("the store has no papers: import a corpus first")
        sessions = [
            _session(store, f"load-{i}-{secrets.token_hex(3)}") for i in range(plan.connections)
        ]
    finally:
        store.close()
    env = _environment(plan, work)
    say("building the keyword index once for every node")
    index_seconds = _build_indexes(plan, work, env)
    ports = [free_port() for _ in range(plan.nodes)]
    with ExitStack() as running:
        for node, port in enumerate(ports):
            say(f"starting web node {node} on port {port}")
            home = work / f"node-{node}"
            log = home / "server.log"
            process = running.enter_context(
                paperwire_process(
                    ["serve", "--db", str(plan.db), "--port", str(port), "--no-access-log"],
                    {**env, "PAPERWIRE_HOME": str(home)},
                    log,
                )
            )
            wait_ready(process, port, log)
        worker_env = {
            **env,
            "PAPERWIRE_HOME": str(work / "worker"),
            "PAPERWIRE_HF_API_URL": f"http://{HOST}:{ports[0]}",
        }
        worker = running.enter_context(
            paperwire_process(["worker", "--db", str(plan.db)], worker_env, work / "worker.log")
        )
        say("waiting for the worker's first sync")
        _wait_for_line(worker, work / "worker.log", _WORKER_DONE)
        say(f"loading {plan.nodes} nodes, {plan.connections} connections, {plan.seconds:.0f} s")
        tallies, elapsed = asyncio.run(_load(plan, ports, papers, words, sessions))
        worker_alive = worker.poll() is None
        say("baseline: a static file from every node, same connections")
        baseline = _baseline(plan, ports)
    store = open_store_at(plan.db)
    try:
        votes = _check_votes(store, sessions)
    finally:
        store.close()
    total = Tally()
    for tally in tallies.values():
        total.requests += tally.requests
        total.errors += tally.errors
        total.latencies_ms += tally.latencies_ms
        total.error_samples += tally.error_samples
    overall = total.figures(elapsed)
    return {
        "nodes": plan.nodes,
        "connections": plan.connections,
        "seconds": round(elapsed, 1),
        "papers_sampled": len(papers),
        "index_build_seconds": round(index_seconds, 1),
        "all": overall,
        "baseline_static": baseline,
        "ratio_to_baseline": {
            "requests_per_second": _ratio(
                overall["requests_per_second"], baseline["requests_per_second"]
            ),
            "latency_p99": _ratio(overall["latency_p99_ms"], baseline["latency_p99_ms"]),
        },
        "by_kind": {kind: tally.figures(elapsed) for kind, tally in tallies.items()},
        "votes": votes,
        "worker": {"alive_at_end": worker_alive, "jobs_done": _count_jobs(work / "worker.log")},
        "server_errors_logged": sum(
            _tracebacks(work / f"node-{n}" / "server.log") for n in range(plan.nodes)
        ),
    }


# -- setting up ------------------------------------------------------------------


def _sample(store: PaperStore, seed: int) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    papers: list[str] = []
    words: set[str] = set()
    for paper in store.iter_papers():
        papers.append(paper.id)
        if len(words) < 2000:
            words.update(w.lower() for w in paper.title.split() if w.isalpha() and len(w) > 4)
        if len(papers) >= 20_000:
            break
    rng.shuffle(papers)
    return papers[:2000], sorted(words)


def _session(store: PaperStore, username: str) -> Session:
    """A user with a live session made in the store, as logging in would make it."""
    user = store.create_user(username, "!unusable-password-hash")
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = time.time()
    store.create_session(
        hashlib.sha256(token.encode()).hexdigest(), user.id, csrf, now, now + 86400
    )
    return Session(user.id, token, csrf)


def _environment(plan: ClusterPlan, work: Path) -> dict[str, str]:
    closed = f"http://{HOST}:{free_port()}"  # nothing listens: arXiv syncs fail fast
    return {
        **os.environ,
        "PAPERWIRE_SECRET_KEY": secrets.token_hex(32),  # one key for every node
        "PAPERWIRE_INDEX_REFRESH_SECONDS": "2",
        "PAPERWIRE_ARXIV_API_URL": closed,
        "PAPERWIRE_ARXIV_OAI_URL": closed,
        "PAPERWIRE_ARXIV_RSS_URL": closed,
        "PAPERWIRE_ARXIV_LISTING_URL": closed,
        "PAPERWIRE_GITHUB_API_URL": closed,
        # The worker's Hugging Face sync reads node 0; the Hub's repository lists
        # (artifact refresh) stay closed, as GitHub does: one failed connection, no 404s.
        "PAPERWIRE_HUB_API_URL": closed,
        "PAPERWIRE_HTTP_RETRIES": "0",
    }


def _build_indexes(plan: ClusterPlan, work: Path, env: dict[str, str]) -> float:
    first = work / "node-0"
    first.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with paperwire_process(
        ["reindex", "--model", "none", "--db", str(plan.db)],
        {**env, "PAPERWIRE_HOME": str(first)},
        work / "reindex.log",
    ) as process:
        if process.wait() != 0:
            raise RuntimeError((work / "reindex.log").read_text(errors="replace")[-2000:])
    elapsed = time.perf_counter() - started
    for node in range(1, plan.nodes):
        shutil.copytree(first / "indexes", work / f"node-{node}" / "indexes")
    return elapsed


# -- the load ----------------------------------------------------------------------


async def _load(
    plan: ClusterPlan,
    ports: list[int],
    papers: list[str],
    words: list[str],
    sessions: list[Session],
) -> tuple[dict[str, Tally], float]:
    tallies = {kind: Tally() for kind in MIX}
    started = time.perf_counter()
    deadline = started + plan.seconds
    await asyncio.gather(
        *(
            _connection(
                ports[i % len(ports)],
                random.Random(plan.seed + i),
                papers,
                words,
                session,
                deadline,
                tallies,
            )
            for i, session in enumerate(sessions)
        )
    )
    return tallies, time.perf_counter() - started


async def _connection(
    port: int,
    rng: random.Random,
    papers: list[str],
    words: list[str],
    session: Session,
    deadline: float,
    tallies: dict[str, Tally],
) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    kinds, weights = list(MIX), list(MIX.values())
    try:
        while time.perf_counter() < deadline:
            kind = rng.choices(kinds, weights)[0]
            paper = rng.choice(papers)
            request, on_ok = _request(kind, port, rng, paper, words, session)
            started = time.perf_counter()
            writer.write(request)
            await writer.drain()
            status, body = await _read_response(reader)
            tally = tallies[kind]
            tally.latencies_ms.append((time.perf_counter() - started) * 1000)
            tally.requests += 1
            if status == 200:
                on_ok()
            else:
                tally.errors += 1
                tally.error_samples.append(f"{kind} -> {status}: {body[:200]!r}")
    finally:
        writer.close()


def _request(
    kind: str, port: int, rng: random.Random, paper: str, words: list[str], session: Session
) -> tuple[bytes, Callable[[], None]]:
    host = f"Host: {HOST}:{port}\r\nCookie: pw_session={session.cookie}\r\n"
    if kind == "vote":
        up = rng.random() < 0.8
        body = f"vote={'up' if up else 'down'}".encode()
        head = (
            f"POST /papers/{quote(paper)}/vote HTTP/1.1\r\n{host}"
            f"Accept: application/json\r\nX-CSRF-Token: {session.csrf}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )

        def acknowledged() -> None:
            session.voted[paper] = up

        return head.encode() + body, acknowledged
    if kind == "feed":
        path = rng.choice(_FEED_PATHS)
    elif kind == "search":
        path = "/search?q=" + quote(" ".join(rng.sample(words, 2)))
    else:
        path = f"/papers/{quote(paper)}"
    return f"GET {path} HTTP/1.1\r\n{host}Accept: text/html\r\n\r\n".encode(), lambda: None


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    return status, await reader.readexactly(length)


def _baseline(plan: ClusterPlan, ports: list[int]) -> dict[str, object]:
    """The framework's floor on the same nodes: a static file, the same number of connections."""
    seconds = min(plan.seconds, _BASELINE_SECONDS)
    per_node = max(1, plan.connections // len(ports))

    async def everywhere() -> list[LoadResult]:
        return await asyncio.gather(
            *(run_load(HOST, port, _STATIC, per_node, seconds) for port in ports)
        )

    results = asyncio.run(everywhere())
    merged = LoadResult(_STATIC, per_node * len(ports), max(r.seconds for r in results))
    for result in results:
        merged.requests += result.requests
        merged.errors += result.errors
        merged.latencies_ms += result.latencies_ms
    return merged.figures()


def _ratio(value: object, base: object) -> float | None:
    if not isinstance(value, int | float) or not isinstance(base, int | float) or not base:
        return None
    return round(value / base, 2)


# -- afterwards ----------------------------------------------------------------------


def _check_votes(store: PaperStore, sessions: list[Session]) -> dict[str, object]:
    """Every acknowledged vote in the store as last acknowledged; every tally its rows' count."""
    acknowledged = missing = 0
    touched: set[str] = set()
    for session in sessions:
        papers = list(session.voted)
        touched.update(papers)
        found = store.user_votes(session.user_id, papers)
        for paper, up in session.voted.items():
            acknowledged += 1
            missing += (paper in found) != up
    rows = store.vote_rows(sorted(touched))
    tallies = store.local_votes(sorted(touched))
    wrong_tallies = sum(1 for paper in touched if tallies.get(paper, 0) != rows.get(paper, 0))
    return {
        "papers_voted": len(touched),
        "acknowledged_final_states": acknowledged,
        "not_as_acknowledged": missing,
        "tallies_checked": len(touched),
        "tallies_wrong": wrong_tallies,
    }


def _wait_for_line(process: subprocess.Popen[bytes], log: Path, marker: str) -> None:
    deadline = time.monotonic() + _WORKER_TIMEOUT_S
    while marker not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"the worker did not finish its first sync:\n{tail}")
        time.sleep(0.2)


def _count_jobs(path: Path) -> int:
    return path.read_text(errors="replace").count(_WORKER_DONE) if path.exists() else 0


def _tracebacks(path: Path) -> int:
    return path.read_text(errors="replace").count("Traceback") if path.exists() else 0
