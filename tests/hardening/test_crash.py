"""``kill -9`` of a real ``paperwire`` process at the worst moment, then a restart.

Four scenarios, each a real subprocess killed with SIGKILL mid-work: an
import, a search-index rebuild, a digest run (a real SMTP server on
loopback) and a burst of upvotes on a served site. After each: no record
lost, none twice, every message sent exactly once, every acknowledged vote
kept with tallies equal to the vote rows, and ``paperwire check`` finding
the indexes consistent with the store once the interrupted job is rerun.
The figures go to artifacts/hardening/crash.json.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from hardening_helpers import paperwire, paperwire_process, write_artifact, write_listing

from paperwire.config import load_settings
from paperwire.ingest import import_paths
from paperwire.search.layout import IndexLayout
from paperwire.store import StoreLocation, is_postgres_url, open_store_at
from smtp_helpers import MailCatcher, smtp_server
from test_mail_outbox_crash import SUBSCRIBERS, TODAY
from test_mail_outbox_crash import _fill as _fill_mail
from test_mail_outbox_crash import _send as _send_digests
from web_helpers import FIXTURE, csrf_of

RESULTS: dict[str, dict[str, object]] = {}


@pytest.fixture(scope="module", autouse=True)
def _report_figures() -> Iterator[None]:
    yield
    totals = {
        "scenarios": len(RESULTS),
        "kills": sum(int(r["kills"]) for r in RESULTS.values()),  # type: ignore[call-overload]
        "losses": sum(int(r["losses"]) for r in RESULTS.values()),  # type: ignore[call-overload]
        "duplicates": sum(int(r["duplicates"]) for r in RESULTS.values()),  # type: ignore[call-overload]
    }
    write_artifact("crash", {**totals, "by_scenario": RESULTS})


def _kill(process: subprocess.Popen[bytes]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


def _papers(db: StoreLocation) -> int:
    store = open_store_at(db)
    try:
        return store.stats().papers
    finally:
        store.close()


def _check(db: StoreLocation) -> subprocess.CompletedProcess[str]:
    return paperwire("check", "--db", str(db), "--json", "-")


def _check_ok(db: StoreLocation) -> dict[str, object]:
    done = _check(db)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["ok"] and figures["store_integrity"] == "ok"
    return figures


def _kind(db: StoreLocation) -> str:
    return "postgresql" if is_postgres_url(db) else "sqlite"


def _wait_for(condition: object, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 120
    while not condition():  # type: ignore[operator]
        assert process.poll() is None, f"the process ended before {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


# -- (a) an import ------------------------------------------------------------------


def test_kill_during_import_then_rerun(tmp_path: Path, store_location: StoreLocation) -> None:
    total = 20_000
    listing, db = tmp_path / "big.jsonl", store_location
    write_listing(listing, total)
    store = open_store_at(db)
    assert import_paths(store, [FIXTURE]).rejected == 0
    store.close()
    assert paperwire("reindex", "--model", "none", "--db", str(db)).returncode == 0
    before = _papers(db)

    process = paperwire_process(
        "import", str(listing), "--db", str(db), "--batch-size", "200", "--model", "none"
    )
    _wait_for(lambda: _papers(db) >= before + 1_000, process, "1000 papers were committed")
    _kill(process)
    partial = _papers(db) - before
    assert 0 < partial < total, "the kill should land mid-way"
    assert partial % 200 == 0, "only whole batches are committed"

    behind = _check(db)
    assert behind.returncode == 1, "the index cannot know about the interrupted import yet"
    assert "reindex --catch-up" in behind.stderr

    rerun = paperwire("import", str(listing), "--db", str(db), "--model", "none", "--json", "-")
    assert rerun.returncode == 0, rerun.stderr
    counts = json.loads(rerun.stdout)
    assert (counts["new"], counts["unchanged"], counts["rejected"]) == (total - partial, partial, 0)
    figures = _check_ok(db)
    store = open_store_at(db)
    papers, seq = store.stats().papers, store.max_seq()
    store.close()
    assert papers == before + total and figures["lexical_docs"] == papers
    assert seq == papers, "a paper was written twice"
    RESULTS[f"import ({_kind(db)})"] = {
        "kills": 1,
        "committed_before_kill": partial,
        "losses": before + total - papers,
        "duplicates": seq - papers,  # each paper written once: seq equals the count
    }


# -- (b) a search-index rebuild ------------------------------------------------------


def test_kill_during_reindex_leaves_the_old_index_serving(
    tmp_path: Path, store_location: StoreLocation
) -> None:
    db, listing = store_location, tmp_path / "papers.jsonl"
    write_listing(listing, 30_000)
    store = open_store_at(db)
    import_paths(store, [listing])
    store.close()
    assert paperwire("reindex", "--model", "none", "--db", str(db)).returncode == 0
    layout = IndexLayout(load_settings().index_dir_for(db))
    old = layout.live()
    assert old is not None

    process = paperwire_process("reindex", "--model", "none", "--db", str(db))
    _wait_for(lambda: len(list(layout.root.glob("gen-*"))) > 1, process, "a new build began")
    time.sleep(0.3)  # into the build
    _kill(process)
    live = layout.live()
    assert live is not None and live.name == old.name, "the kill should land mid-build"

    figures = _check_ok(db)  # the old generation still matches the store
    assert any("unfinished index builds" in note for note in figures["notes"])  # type: ignore[attr-defined]
    assert paperwire("reindex", "--model", "none", "--db", str(db)).returncode == 0
    figures = _check_ok(db)
    assert figures["notes"] == [] and figures["lexical_docs"] == 30_000
    assert len(list(layout.root.glob("gen-*"))) == 1
    RESULTS[f"reindex ({_kind(db)})"] = {
        "kills": 1,
        "losses": 30_000 - figures["lexical_docs"],
        "duplicates": 0,
    }  # type: ignore[operator]


# -- (c) a digest run ------------------------------------------------------------------


def test_kill_during_digest_run_then_rerun(
    store_location: StoreLocation, isolated_home: Path
) -> None:
    db = store_location
    _fill_mail(db)
    catcher = MailCatcher(rcpt_delay=1.0, slow_after=2)
    with smtp_server(catcher) as port:
        first = _send_digests(db, port, isolated_home)
        assert catcher.stalled.wait(timeout=120), "the run never reached a third message"
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)
        delivered_before_kill = len(catcher.messages)
        catcher.rcpt_delay = 0.0
        second = _send_digests(db, port, isolated_home)
        output = second.communicate(timeout=120)[0]
        assert second.returncode == 0, output

    received = [m["To"] for m in catcher.messages]
    assert sorted(set(received)) == sorted(SUBSCRIBERS)
    store = open_store_at(db)
    assert store.outbox_counts() == {"sent": len(SUBSCRIBERS)}
    store.close()
    _check_ok(db)
    RESULTS[f"digest ({_kind(db)})"] = {
        "kills": 1,
        "delivered_before_kill": delivered_before_kill,
        "losses": len(set(SUBSCRIBERS) - set(received)),
        "duplicates": len(received) - len(set(received)),
        "day": TODAY,
    }


# -- (d) a burst of upvotes ---------------------------------------------------------------


USERS = 6  # the registration limit per address is 10 per window
VOTED_PAPERS = 300


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(db: StoreLocation, home: Path, port: int) -> subprocess.Popen[bytes]:
    env = {"PAPERWIRE_HOME": str(home), "PAPERWIRE_PAGE_CACHE_SECONDS": "0"}
    process = paperwire_process(
        "serve", "--db", str(db), "--port", str(port), "--no-access-log", env=env
    )
    base = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        try:
            return httpx.get(base + "/static/style.css", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    _wait_for(ready, process, "the server answered")
    return process


def _logged_in_client(base: str, name: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=base, timeout=30)
    token = csrf_of(client.get("/register").text)
    password = "correct horse battery"
    form = {"username": name, "password": password, "confirm": password, "csrf_token": token}
    assert client.post("/register", data=form).status_code == 303
    return client, csrf_of(client.get("/").text)


def test_kill_during_a_burst_of_upvotes(tmp_path: Path, store_location: StoreLocation) -> None:
    db, listing, home = store_location, tmp_path / "papers.jsonl", tmp_path / "home"
    write_listing(listing, VOTED_PAPERS)
    store = open_store_at(db)
    import_paths(store, [FIXTURE, listing])
    paper_ids = [p.id for p in store.iter_papers()][:VOTED_PAPERS]
    store.close()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(db, home, port)
    clients = [_logged_in_client(base, f"voter{n}") for n in range(USERS)]
    acknowledged: set[tuple[str, str]] = set()
    lock = threading.Lock()

    def vote(user: int, paper_id: str) -> None:
        client, token = clients[user]
        try:
            answer = client.post(
                f"/papers/{paper_id}/vote",
                data={"vote": "up"},
                headers={"X-CSRF-Token": token, "Accept": "application/json"},
            )
        except httpx.HTTPError:
            return  # the server died under this request: not acknowledged
        if answer.status_code == 200 and answer.json()["voted"] is True:
            with lock:
                acknowledged.add((f"voter{user}", paper_id))

    # Every vote twice: a retried click must not count twice.
    burst = [(u, p) for p in paper_ids for u in range(USERS)] * 2
    with ThreadPoolExecutor(max_workers=12) as pool:
        futures = [pool.submit(vote, user, paper) for user, paper in burst]
        _wait_for(lambda: len(acknowledged) >= 400, server, "400 votes were acknowledged")
        _kill(server)
        for future in futures:
            future.result()
    for client, _ in clients:
        client.close()
    assert 400 <= len(acknowledged) < USERS * len(paper_ids), "the kill should land mid-burst"

    store = open_store_at(db)
    try:
        rows: dict[str, int] = dict.fromkeys(paper_ids, 0)
        kept: set[tuple[str, str]] = set()
        for n in range(USERS):
            found = store.user_by_name(f"voter{n}")
            assert found is not None
            voted = store.user_votes(found[0].id, paper_ids)
            kept |= {(f"voter{n}", p) for p in voted}
            for paper_id in voted:
                rows[paper_id] += 1
        tallies = store.local_votes(paper_ids)
    finally:
        store.close()
    lost = acknowledged - kept
    assert not lost, f"acknowledged votes lost: {sorted(lost)[:5]}"
    assert {p: tallies.get(p, 0) for p in paper_ids} == rows, "tallies differ from the vote rows"
    assert paperwire("reindex", "--model", "none", "--db", str(db)).returncode == 0
    _check_ok(db)

    server = _serve(db, home, port)  # the restarted site shows the kept votes
    try:
        sample = next(p for p in paper_ids if rows[p])
        shown = httpx.get(f"{base}/api/papers/{sample}", timeout=30).json()
        assert shown["upvotes"] >= rows[sample]
    finally:
        server.terminate()
        server.wait(timeout=30)
    RESULTS[f"upvote burst ({_kind(db)})"] = {
        "kills": 1,
        "votes_in_burst": len(burst),
        "acknowledged": len(acknowledged),
        "kept": len(kept),
        "losses": len(lost),
        "duplicates": sum(tallies.get(p, 0) - rows[p] for p in paper_ids),
    }
