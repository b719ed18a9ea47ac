"""Papers arXiv deleted (OAI-PMH ``<header status="deleted">``): kept in the store,
marked with the day, left out of every listing, counted by imports and harvests,
and never brought back by re-importing an older file."""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperwire.cli.main import cli
from paperwire.ingest import import_paths
from paperwire.ingest.harvest import HarvestSpec, harvest
from paperwire.ingest.oai_client import OaiClient
from paperwire.model import Paper
from paperwire.store import PaperStore, SQLiteStore
from paperwire.store.merge import apply_deletion, merge_papers
from paperwire.store.migrations import MIGRATIONS
from replay_server import ReplayServer, Reply, live_settings, replay_server
from web_helpers import NEWEST_DAY, fill_store

LIVE = Path(__file__).parent / "fixtures" / "live"
OAI_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
    "<responseDate>2026-11-26T10:00:00Z</responseDate>"
    '<request verb="ListRecords" metadataPrefix="arXiv">http://export.arxiv.org/oai2</request>'
    "<ListRecords>"
)
OAI_TAIL = "</ListRecords></OAI-PMH>"


def deleted_header(paper_id: str, day: str) -> str:
    return (
        f'<record><header status="deleted"><identifier>oai:arXiv.org:{paper_id}</identifier>'
        f"<datestamp>{day}</datestamp><setSpec>cs</setSpec></header></record>"
    )


def arxiv_record(paper_id: str, created: str, updated: str | None = None) -> str:
    changed = f"<updated>{updated}</updated>" if updated else ""
    return (
        f"<record><header><identifier>oai:arXiv.org:{paper_id}</identifier>"
        f"<datestamp>{updated or created}</datestamp></header><metadata>"
        '<arXiv xmlns="http://arxiv.org/OAI/arXiv/">'
        f"<id>{paper_id}</id><created>{created}</created>{changed}"
        "<authors><author><keyname>Lovelace</keyname><forenames>Ada</forenames></author></authors>"
        f"<title>Engines {paper_id}</title><categories>cs.LG</categories>"
        "<abstract>We revisit the analytical engine.</abstract></arXiv></metadata></record>"
    )


def oai_file(folder: Path, name: str, *records: str) -> Path:
    path = folder / name
    path.write_text(OAI_HEAD + "".join(records) + OAI_TAIL, encoding="utf-8")
    return path


def test_a_deleted_record_marks_the_stored_paper_keeps_it_and_leaves_it_out_of_listings(
    store: PaperStore, tmp_path: Path
) -> None:
    fill_store(store)
    before = store.max_seq()
    week = (date(2026, 11, 18), NEWEST_DAY)
    shown = {i.paper.id for i in store.listed_papers(*week, limit=100).items}
    assert "2611.00001" in shown
    deletions = oai_file(
        tmp_path,
        "deleted.xml",
        deleted_header("2611.00001", "2026-11-25"),
        deleted_header("2611.09999", "2026-11-25"),  # never stored here
    )

    report = import_paths(store, [deletions])
    assert (report.deleted, report.skipped, report.rejected, report.records) == (1, 1, 0, 0)
    assert report.failure() is None
    kept = store.get_paper("2611.00001")
    assert kept is not None and kept.deleted_on == date(2026, 11, 25)
    assert kept.title == "Scaling Diffusion Transformers for Video" and kept.upvotes == 120
    # One change, with the next seq, so search indexes and mirrors follow it.
    assert [(seq, p.id) for seq, p in store.changes_since(before)] == [(before + 1, "2611.00001")]

    page = store.listed_papers(*week, limit=100)
    assert {i.paper.id for i in page.items} == shown - {"2611.00001"}
    assert page.total == len(shown) - 1
    assert "2611.00001" not in {r.paper_id for r in store.trending_rows(*week)}
    assert "Hugging Face" not in {c.name for c in store.organization_counts()}
    assert store.organization_papers(["Hugging Face"]).items == []
    # Its page and a reader's library still find it.
    assert [i.paper.id for i in store.listed_with_votes(["2611.00001"])] == ["2611.00001"]

    again = import_paths(store, [deletions])
    assert (again.deleted, again.unchanged, again.skipped) == (0, 1, 1)
    assert store.max_seq() == before + 1


def test_only_a_version_dated_after_the_deletion_brings_a_paper_back(
    store: PaperStore, tmp_path: Path
) -> None:
    old = oai_file(tmp_path, "old.xml", arxiv_record("2501.10001", "2025-01-02"))
    import_paths(store, [old])
    gone = oai_file(tmp_path, "gone.xml", deleted_header("2501.10001", "2025-01-06"))
    assert import_paths(store, [gone]).deleted == 1

    # Re-importing the file made before the deletion changes nothing.
    again = import_paths(store, [old])
    assert (again.updated, again.unchanged) == (0, 1)
    assert store.get_paper("2501.10001").deleted_on == date(2025, 1, 6)  # type: ignore[union-attr]

    # arXiv serving a version dated after the deletion: the paper is back.
    newer = oai_file(tmp_path, "new.xml", arxiv_record("2501.10001", "2025-01-02", "2025-02-10"))
    assert import_paths(store, [newer]).updated == 1
    assert store.get_paper("2501.10001").deleted_on is None  # type: ignore[union-attr]
    # ... and the old deletion, read again, is older than that version.
    stale = import_paths(store, [gone])
    assert (stale.deleted, stale.unchanged) == (0, 1)
    assert store.get_paper("2501.10001").deleted_on is None  # type: ignore[union-attr]


def test_whatever_the_order_the_newest_of_version_and_deletion_decides() -> None:
    first = Paper(id="2501.10001", title="T", published=date(2025, 1, 2))
    hf_later = Paper(id="2501.10001", title="T", source="hf", upvotes=9, listed_on=date(2025, 3, 1))
    replaced = Paper(id="2501.10001", title="T", version=2, updated=date(2025, 2, 10))
    steps = [
        lambda p: merge_papers(p, hf_later),
        lambda p: merge_papers(p, replaced),
        lambda p: apply_deletion(p, date(2025, 1, 6)),
        lambda p: apply_deletion(p, date(2025, 3, 5)),
    ]
    outcomes = set()
    for order in itertools.permutations(steps):
        paper = first
        for step in order:
            paper = step(paper)
        outcomes.add((paper.deleted_on, paper.updated, paper.upvotes))
    # The latest deletion (March 5) is newer than the newest version (February 10).
    assert outcomes == {(date(2025, 3, 5), date(2025, 2, 10), 9)}
    # A Hugging Face record has no version date: it never undoes a deletion.
    deleted = apply_deletion(first, date(2025, 1, 6))
    assert merge_papers(deleted, hf_later).deleted_on == date(2025, 1, 6)
    assert merge_papers(hf_later, deleted).deleted_on == date(2025, 1, 6)


def test_a_deleted_record_without_an_arxiv_id_or_a_datestamp_is_rejected_where_it_is(
    store: PaperStore, tmp_path: Path
) -> None:
    bad = oai_file(
        tmp_path,
        "bad.xml",
        deleted_header("not-an-id", "2025-01-06"),
        '<record><header status="deleted"><identifier>oai:arXiv.org:2501.10001</identifier>'
        "</header></record>",
        '<record><header status="deleted"><identifier>oai:elsewhere:1</identifier>'
        "<datestamp>2025-01-06</datestamp></header></record>",
    )
    report = import_paths(store, [bad])
    assert report.rejected == 3 and report.deleted == report.skipped == 0
    reasons = [str(r) for r in report.rejections]
    assert reasons[0].startswith(f"{bad}: record 1: deleted record: ")
    assert reasons[1] == f"{bad}: record 2: deleted record 2501.10001 has no datestamp"
    assert "record 3: deleted record has no arXiv identifier" in reasons[2]


def test_paperwire_import_counts_deletions(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    papers = oai_file(
        tmp_path,
        "papers.xml",
        arxiv_record("2501.10001", "2025-01-02"),
        arxiv_record("2501.10002", "2025-01-03"),
    )
    assert CliRunner().invoke(cli, ["import", str(papers), "--db", db]).exit_code == 0
    deletions = oai_file(
        tmp_path,
        "deletions.xml",
        deleted_header("2501.10001", "2025-01-06"),
        deleted_header("2501.10009", "2025-01-06"),
    )
    result = CliRunner().invoke(cli, ["import", str(deletions), "--db", db, "--json", "-"])
    assert result.exit_code == 0, result.output
    assert "1 deleted, 1 deletions of papers not stored here skipped" in result.output
    figures = json.loads(result.stdout[result.stdout.index("{") :])
    assert (figures["deleted"], figures["skipped"], figures["rejected"]) == (1, 1, 0)
    shown = CliRunner().invoke(cli, ["show", "2501.10001", "--db", db])
    assert "deleted from arXiv on 2025-01-06" in shown.output


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with replay_server() as running:
        yield running


def test_a_harvest_applies_the_deleted_records_it_pages_through(
    server: ReplayServer, store: SQLiteStore, tmp_path: Path
) -> None:
    first = "/oai?verb=ListRecords&metadataPrefix=arXiv&set=cs&from=2025-01-01"
    server.add(first, Reply(200, (LIVE / "oai_cs_page1.xml").read_bytes()))
    server.add(
        "/oai?verb=ListRecords&resumptionToken=6960524|1001",
        Reply(200, OAI_HEAD + '<resumptionToken cursor="3" completeListSize="3"/>' + OAI_TAIL),
    )
    later = "/oai?verb=ListRecords&metadataPrefix=arXiv&set=cs&from=2025-02-01"
    server.add(
        later,
        Reply(
            200,
            OAI_HEAD
            + deleted_header("2501.10001", "2025-02-03")
            + deleted_header("2501.10005", "2025-02-03")
            + OAI_TAIL,
        ),
    )
    settings = live_settings(server, tmp_path)
    with OaiClient.from_settings(settings) as client:
        stored = harvest(store, client, HarvestSpec("arXiv", "cs", date(2025, 1, 1)))
        assert (stored.new, stored.deleted) == (3, 0)
        report = harvest(store, client, HarvestSpec("arXiv", "cs", date(2025, 2, 1)))
    assert report.complete and (report.deleted, report.skipped, report.records) == (1, 1, 0)
    assert store.get_paper("2501.10001").deleted_on == date(2025, 2, 3)  # type: ignore[union-attr]
    assert store.get_paper("2501.10000").deleted_on is None  # type: ignore[union-attr]
    assert store.get_paper("2501.10005") is None


def test_a_store_of_the_previous_schema_upgrades_and_reads_its_records(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for number, script in enumerate(MIGRATIONS[:7], start=1):
        conn.executescript(script)
        conn.execute(f"PRAGMA user_version = {number}")
    old_record = {"id": "2501.10001", "title": "Engines", "listed_on": "2025-01-06"}
    conn.execute(
        "INSERT INTO papers (id, seq, record, title, source, listed_on) VALUES (?, 1, ?, ?, ?, ?)",
        ("2501.10001", json.dumps(old_record), "Engines", "arxiv", "2025-01-06"),
    )
    conn.commit()
    conn.close()

    store = SQLiteStore(path)
    try:
        assert store.schema_version == len(MIGRATIONS)
        paper = store.get_paper("2501.10001")
        assert paper is not None and not paper.withdrawn and paper.deleted_on is None
        day = date(2025, 1, 6)
        assert [i.paper.id for i in store.listed_papers(day, day).items] == ["2501.10001"]
        store.mark_deleted([("2501.10001", day)])
        assert store.listed_papers(day, day).items == [] and store.latest_listed_day() is None
    finally:
        store.close()
