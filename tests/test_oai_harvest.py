"""OAI-PMH bulk harvest against a loopback server: resumption tokens, a checkpoint
per page, resuming after a failure or a kill with no gap and no duplicate."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from paperwire.ingest.harvest import HarvestError, HarvestSpec, harvest
from paperwire.ingest.oai_client import OaiClient
from paperwire.store import SQLiteStore
from replay_server import ReplayServer, Reply, live_settings, replay_server

LIVE = Path(__file__).parent / "fixtures" / "live"
FIRST = "/oai?verb=ListRecords&metadataPrefix=arXiv&set=cs&from=2025-01-01"
TOKENS = ["6960524|1001", "6960524|2001", "6960524|3001"]  # of pages 2, 3 and 4
ALL_IDS = [f"2501.{n:05d}" for n in range(10000, 10012) if n != 10005]  # 10005 is deleted
SPEC = HarvestSpec("arXiv", "cs", date(2025, 1, 1))


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with replay_server() as running:
        yield running


def page(number: int) -> bytes:
    return (LIVE / f"oai_cs_page{number}.xml").read_bytes()


def serve_pages(server: ReplayServer, **special: list[Reply]) -> None:
    """The four pages of the cs harvest; ``special`` replaces a page's replies (page3=[...])."""
    server.add(FIRST, *special.get("page1", [Reply(200, page(1))]))
    for number, token in enumerate(TOKENS, start=2):
        replies = special.get(f"page{number}", [Reply(200, page(number))])
        server.add(f"/oai?verb=ListRecords&resumptionToken={token}", *replies)


def tokens_asked(server: ReplayServer) -> list[str | None]:
    return [seen.query.get("resumptionToken") for seen in server.requests_to("/oai")]


def run_harvest(server: ReplayServer, store: SQLiteStore, tmp_path: Path, **options: object):
    with OaiClient.from_settings(live_settings(server, tmp_path)) as client:
        return harvest(store, client, SPEC, **options)  # type: ignore[arg-type]


def test_a_harvest_follows_resumption_tokens_to_the_end(
    server: ReplayServer, store: SQLiteStore, tmp_path: Path
) -> None:
    serve_pages(server)
    report = run_harvest(server, store, tmp_path)
    assert report.complete and report.pages == 4
    assert (report.records, report.new, report.deleted, report.skipped) == (11, 11, 0, 1)
    assert report.complete_size == 12
    assert sorted(p.id for p in store.iter_papers()) == ALL_IDS
    assert tokens_asked(server) == [None, *TOKENS]
    first = server.requests_to("/oai")[0].query
    assert first == {
        "verb": "ListRecords",
        "metadataPrefix": "arXiv",
        "set": "cs",
        "from": "2025-01-01",
    }
    checkpoint = store.get_harvest_checkpoint(SPEC.key)
    assert checkpoint is not None and checkpoint.complete and checkpoint.records == 11


def test_a_failed_page_resumes_from_its_checkpoint_without_refetching_the_others(
    server: ReplayServer, store: SQLiteStore, tmp_path: Path
) -> None:
    serve_pages(server, page3=[Reply(503, "down"), Reply(503, "down"), Reply(200, page(3))])
    with pytest.raises(HarvestError, match="harvest stopped at page 3"):
        run_harvest(server, store, tmp_path)
    assert store.stats().papers == 6
    checkpoint = store.get_harvest_checkpoint(SPEC.key)
    assert checkpoint is not None and checkpoint.token == TOKENS[1] and checkpoint.pages == 2

    report = run_harvest(server, store, tmp_path)
    assert report.resumed_at_page == 3 and report.complete
    assert (report.pages, report.new, report.total_pages, report.total_records) == (2, 5, 4, 11)
    assert tokens_asked(server) == [None, TOKENS[0], TOKENS[1], TOKENS[1], TOKENS[1], TOKENS[2]]
    assert sorted(p.id for p in store.iter_papers()) == ALL_IDS


def test_a_truncated_page_keeps_its_good_records_and_is_fetched_again_on_rerun(
    server: ReplayServer, store: SQLiteStore, tmp_path: Path
) -> None:
    body = page(2)
    cut = body.index(b"<record>", body.index(b"2501.10004")) + 40  # inside the deleted record
    serve_pages(server, page2=[Reply(200, body[:cut]), Reply(200, body)])
    with pytest.raises(HarvestError) as failure:
        run_harvest(server, store, tmp_path)
    message = str(failure.value)
    assert "harvest stopped at page 2" in message and "malformed XML at line" in message
    assert "2 records read before it" in message
    assert store.stats().papers == 5  # page 1 and the first two records of page 2

    report = run_harvest(server, store, tmp_path)
    assert report.complete and report.resumed_at_page == 2
    assert (report.new, report.unchanged) == (6, 2)
    assert sorted(p.id for p in store.iter_papers()) == ALL_IDS


def test_an_expired_token_starts_the_harvest_over(
    server: ReplayServer, store: SQLiteStore, tmp_path: Path
) -> None:
    expired = Reply(200, (LIVE / "oai_bad_token.xml").read_bytes())
    serve_pages(
        server, page3=[Reply(503, "down"), Reply(503, "down"), expired, Reply(200, page(3))]
    )
    with pytest.raises(HarvestError):
        run_harvest(server, store, tmp_path)
    asked = len(server.requests_to("/oai"))

    report = run_harvest(server, store, tmp_path)
    assert report.restarted and report.complete
    assert tokens_asked(server)[asked:] == [TOKENS[1], None, *TOKENS]
    assert (report.total_pages, report.total_records) == (4, 11)
    assert sorted(p.id for p in store.iter_papers()) == ALL_IDS


def test_no_records_match_is_an_empty_complete_harvest(
    server: ReplayServer, store: SQLiteStore, tmp_path: Path
) -> None:
    server.add(FIRST, Reply(200, (LIVE / "oai_no_records.xml").read_bytes()))
    report = run_harvest(server, store, tmp_path)
    assert report.complete and report.records == 0 and store.stats().papers == 0


def test_other_oai_errors_stop_the_harvest_with_their_code(
    server: ReplayServer, store: SQLiteStore, tmp_path: Path
) -> None:
    bad = (LIVE / "oai_bad_token.xml").read_bytes().replace(b"badResumptionToken", b"badArgument")
    server.add(FIRST, Reply(200, bad))
    with pytest.raises(HarvestError, match="OAI-PMH error badArgument"):
        run_harvest(server, store, tmp_path)


def test_a_complete_harvest_run_again_starts_over(
    server: ReplayServer, store: SQLiteStore, tmp_path: Path
) -> None:
    serve_pages(server)
    run_harvest(server, store, tmp_path)
    again = run_harvest(server, store, tmp_path)
    assert again.resumed_at_page is None and again.pages == 4
    assert (again.new, again.unchanged) == (0, 11)


def test_arxivraw_gives_the_version_history(
    server: ReplayServer, store: SQLiteStore, tmp_path: Path
) -> None:
    server.add(
        "/oai?verb=ListRecords&metadataPrefix=arXivRaw&set=cs&from=2025-01-01",
        Reply(200, (LIVE / "oai_raw_page.xml").read_bytes()),
    )
    with OaiClient.from_settings(live_settings(server, tmp_path)) as client:
        report = harvest(store, client, HarvestSpec("arXivRaw", "cs", date(2025, 1, 1)))
    assert report.complete and report.new == 1
    paper = store.get_paper("2412.00777")
    assert paper is not None and paper.version == 2
    assert [v.number for v in paper.versions] == [1, 2]
    assert paper.authors[1].name.startswith("Carl Gauss")


def harvest_process(server: ReplayServer, db: Path, home: Path) -> subprocess.Popen[str]:
    """``paperwire harvest`` in its own process, writing its figures to DB.json."""
    env = {
        **os.environ,
        "PAPERWIRE_HOME": str(home),
        "PAPERWIRE_ARXIV_OAI_URL": f"{server.url}/oai",
        "PAPERWIRE_ARXIV_INTERVAL": "0.05",
        "PAPERWIRE_HTTP_TIMEOUT": "60",
        "PAPERWIRE_HTTP_BACKOFF": "0.01",
    }
    command = [sys.executable, "-c", "from paperwire.cli.main import cli; cli()"]
    command += ["harvest", "--set", "cs", "--from", "2025-01-01", "--db", str(db)]
    command += ["--json", f"{db}.json"]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def exported(db: Path) -> list[dict[str, object]]:
    opened = SQLiteStore(db)
    try:
        return [paper.to_dict() for paper in opened.iter_papers()]
    finally:
        opened.close()


def test_a_killed_harvest_resumes_to_exactly_the_records_of_an_uninterrupted_one(
    server: ReplayServer, tmp_path: Path
) -> None:
    # Page 3 is slow the first time it is asked for, so the kill lands while it loads.
    serve_pages(server, page3=[Reply(200, page(3), delay=30), Reply(200, page(3))])
    killed_db = tmp_path / "killed.db"
    process = harvest_process(server, killed_db, tmp_path / "home")
    deadline = time.monotonic() + 60
    while TOKENS[1] not in tokens_asked(server):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the harvest never asked for page 3"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL
    assert len(exported(killed_db)) == 6  # pages 1 and 2 only

    asked_before_rerun = len(server.requests_to("/oai"))
    rerun = harvest_process(server, killed_db, tmp_path / "home")
    _, rerun_log = rerun.communicate(timeout=60)
    assert rerun.returncode == 0, rerun_log
    assert tokens_asked(server)[asked_before_rerun:] == [TOKENS[1], TOKENS[2]]

    clean_db = tmp_path / "clean.db"
    clean = harvest_process(server, clean_db, tmp_path / "home")
    _, clean_log = clean.communicate(timeout=60)
    assert clean.returncode == 0, clean_log

    resumed, uninterrupted = exported(killed_db), exported(clean_db)
    assert [p["id"] for p in resumed] == ALL_IDS
    assert resumed == uninterrupted
    figures = json.loads(Path(f"{killed_db}.json").read_text())
    assert figures["resumed_at_page"] == 3 and figures["pages"] == 2
    assert (figures["total_pages"], figures["total_records"]) == (4, 11)
    clean_figures = json.loads(Path(f"{clean_db}.json").read_text())
    assert (clean_figures["total_pages"], clean_figures["total_records"]) == (4, 11)
