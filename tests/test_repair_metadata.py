"""`paperwire check --metadata` counts what a store shows wrong; `paperwire repair` fixes it.

The faulty records are the ones older paperwire versions stored, written into a
real store (SQLite and PostgreSQL) exactly as those versions left them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperwire.application.metadata import audit_metadata, paper_faults
from paperwire.application.repair import repair_store
from paperwire.cli.main import cli
from paperwire.model import Author, Paper
from paperwire.store import PaperStore, StoreLocation

# How paperwire split an arXiv author string before it knew affiliation footnotes.
_OLD_AUTHOR_SPLIT = re.compile(r",\s*(?![^()]*\))|\s+and\s+(?![^()]*\))")
FOOTNOTED = (
    "Ana Ruiz (1), Ben Okafor (1 and 2), Chen Wei (2) ((1) Univ. of Somewhere, (2) Some Lab)"
)


def old_authors(text: str) -> list[Author]:
    return [Author(n.strip()) for n in _OLD_AUTHOR_SPLIT.split(text) if n and n.strip()]


def legacy_papers() -> list[Paper]:
    """One paper per kind of fault, as an older import stored it."""
    return [
        Paper(id="2401.00001", title="Footnoted", authors=old_authors(FOOTNOTED)),
        Paper(
            id="2401.00002",
            title="On Erd\\H{o}s graphs",
            authors=[Author("P. Erd\\H{o}s"), Author("J. Ru\\v{z}i\\v{c}ka")],
        ),
        Paper(
            id="2401.00003",
            title="Missed code",
            abstract="Our code is at https: //github.com/acme/widget.",
            authors=[Author("A. Person")],
        ),
        Paper(
            id="2401.00004",
            title="Two buttons",
            authors=[Author("A. Person")],
            project_pages=["https://Proj.example.org/", "http://proj.example.org"],
        ),
        Paper(id="2401.00005", title="Org one", organization="University of Oxford"),
        Paper(id="2401.00006", title="Org two", organization="university of  oxford "),
        Paper(id="2401.00007", title="Sound", authors=[Author("Ada Lovelace")]),
    ]


def test_each_kind_of_fault_is_found_in_one_paper() -> None:
    faults = {p.id: [kind for kind, _ in paper_faults(p)] for p in legacy_papers()}
    assert faults["2401.00001"] == ["author_markup"]
    assert faults["2401.00002"] == ["author_markup"]
    assert faults["2401.00003"] == ["github_without_code_link"]
    assert faults["2401.00004"] == ["duplicate_links"]
    assert faults["2401.00007"] == []


def test_repair_fixes_every_fault_the_records_still_hold(store: PaperStore) -> None:
    store.upsert_papers(legacy_papers())
    before = audit_metadata(store)
    assert before.counts == {
        "author_markup": 2,
        "github_without_code_link": 1,
        "duplicate_links": 1,
        "organization_variants": 1,
    }
    seq = store.max_seq()

    report = repair_store(store)

    assert report.papers == 7
    assert report.repaired == 5  # the footnotes, the TeX, the code link, the pages, one org
    assert audit_metadata(store).ok
    footnoted = store.get_paper("2401.00001")
    assert footnoted is not None
    assert [a.name for a in footnoted.authors] == ["Ana Ruiz", "Ben Okafor", "Chen Wei"]
    assert [a.affiliations for a in footnoted.authors] == [
        ["Univ. of Somewhere"],
        ["Univ. of Somewhere", "Some Lab"],
        ["Some Lab"],
    ]
    erdos = store.get_paper("2401.00002")
    assert erdos is not None
    assert erdos.title == "On Erdős graphs"
    assert [a.name for a in erdos.authors] == ["P. Erdős", "J. Ružička"]
    coded = store.get_paper("2401.00003")
    assert coded is not None and coded.github_repos == ["https://github.com/acme/widget"]
    pages = store.get_paper("2401.00004")
    assert pages is not None and len(pages.project_pages) == 1
    orgs = {c.name for c in store.organization_counts()}
    assert orgs == {"University of Oxford"}
    # Indexes follow the repaired papers: each got a new change.
    assert {p.id for _, p in store.changes_since(seq)} == {
        "2401.00001",
        "2401.00002",
        "2401.00003",
        "2401.00004",
        "2401.00006",
    }


def test_repair_twice_changes_nothing_the_second_time(store: PaperStore) -> None:
    store.upsert_papers(legacy_papers())
    repair_store(store)
    seq = store.max_seq()
    again = repair_store(store)
    assert again.repaired == 0
    assert store.max_seq() == seq


def test_dry_run_counts_and_writes_nothing(store: PaperStore) -> None:
    store.upsert_papers(legacy_papers())
    seq = store.max_seq()
    report = repair_store(store, dry_run=True)
    assert report.repaired == 5
    assert report.fields["authors"] == 2
    assert store.max_seq() == seq
    assert not audit_metadata(store).ok


def test_cli_check_metadata_fails_then_passes_after_repair(store_location: StoreLocation) -> None:
    from paperwire.store import open_store_at

    store = open_store_at(store_location)
    store.upsert_papers(legacy_papers())
    store.close()
    runner = CliRunner()
    db = ["--db", str(store_location)]

    checked = runner.invoke(cli, ["check", "--metadata", *db, "--json", "-"])
    assert checked.exit_code == 1, checked.output
    assert "paperwire repair" in checked.output
    figures = json.loads(checked.stdout[: checked.stdout.rindex("}") + 1])
    assert figures["counts"]["author_markup"] == 2
    assert any("Erd" in e for e in figures["examples"]["author_markup"])

    repaired = runner.invoke(cli, ["repair", *db])
    assert repaired.exit_code == 0, repaired.output
    assert "repaired 5 of 7" in repaired.output

    clean = runner.invoke(cli, ["check", "--metadata", *db])
    assert clean.exit_code == 0, clean.output


def test_papers_of_an_older_store_are_named_as_waiting_for_import(tmp_path: Path) -> None:
    """A store written before the store noted the import rules: its papers lost what no
    repair can restore (paragraphs, second affiliations), and the repair says so."""
    import sqlite3

    from paperwire.model import RECORD_RULES
    from paperwire.store import SQLiteStore
    from paperwire.store.migrations import MIGRATIONS

    before = next(i for i, script in enumerate(MIGRATIONS) if "record_rules" in script)
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:before]:
        conn.executescript(script)
    conn.execute(f"PRAGMA user_version = {before}")
    record = Paper(id="2401.00009", title="Old", abstract="One. Two.").to_dict()
    conn.execute(
        "INSERT INTO papers (id, seq, record, title, source, has_code) VALUES (?, 1, ?, ?, ?, 0)",
        ("2401.00009", json.dumps(record), "Old", "arxiv"),
    )
    conn.commit()
    conn.close()

    store = SQLiteStore(path)
    try:
        assert repair_store(store).legacy == 1
        store.upsert_papers([Paper(id="2401.00009", title="Old", abstract="One.\n\nTwo.")])
        assert store.papers_from_older_rules() == 0
        assert RECORD_RULES >= 1
    finally:
        store.close()


@pytest.mark.parametrize("kind", ["author_markup", "organization_variants"])
def test_audit_examples_name_the_paper_and_the_fault(store: PaperStore, kind: str) -> None:
    store.upsert_papers(legacy_papers())
    examples = audit_metadata(store).examples[kind]
    assert examples
    if kind == "author_markup":
        assert examples[0].startswith("2401.00001: ")
        assert "(1)" in examples[0]
    else:
        assert "'University of Oxford'" in examples[0]


def _shared_files(root: Path) -> list[Path]:
    patterns = [
        "arxiv-cs/*.jsonl.gz",
        "hf-daily-papers/*.jsonl.gz",
        "hf-daily-papers/raw-days/*.json.gz",
        "fixtures/arxiv-api/current/*.json",
        "fixtures/arxiv-api/historical_xml/*.xml",
        "fixtures/arxiv-oai-pmh/*.xml",
    ]
    return sorted(path for pattern in patterns for path in root.glob(pattern))


@pytest.mark.slow
def test_todays_import_of_all_shared_data_needs_no_repair(shared_data: Path) -> None:
    """Every record of the shared data, parsed by today's importers: the audit finds
    no fault, and a repair changes nothing (it never undoes what an import did)."""
    from paperwire.ingest.detect import FORMATS, detect_format
    from paperwire.ingest.reader import open_source
    from paperwire.ingest.repair import repaired

    papers = 0
    faults: list[str] = []
    unstable: list[str] = []
    for path in _shared_files(shared_data):
        source = open_source(path)
        try:
            for record in FORMATS[detect_format(source.head())](source.stream, str(path)):
                if not isinstance(record, Paper):
                    continue
                papers += 1
                faults += [f"{record.id} {kind}: {what}" for kind, what in paper_faults(record)]
                if repaired(record) != record:
                    unstable.append(record.id)
        finally:
            source.close()
    assert papers > 80_000
    assert faults == []
    assert unstable == []
