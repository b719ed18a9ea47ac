"""``paperwire export`` then ``paperwire import`` into an empty store gives identical records."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from paperwire.cli.main import cli
from paperwire.ingest import import_paths
from paperwire.store import SQLiteStore, StoreLocation, open_store_at

FIXTURES = Path(__file__).parent / "fixtures"
# arXiv deletes 2310.01234 (stored by oai_arxivraw.xml) and 2402.00007 is withdrawn
# (arXivRaw: its latest version has an empty source); 2402.00008 has authors with
# footnoted affiliations (one author has two) and an abstract of two paragraphs.
STATES = """<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>
<record><header status="deleted"><identifier>oai:arXiv.org:2310.01234</identifier>
<datestamp>2026-11-21</datestamp></header></record>
<record><header><identifier>oai:arXiv.org:2402.00007</identifier>
<datestamp>2024-03-01</datestamp></header><metadata>
<arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/"><id>2402.00007</id>
<version version="v1"><date>Thu, 1 Feb 2024 10:00:00 GMT</date><size>300kb</size></version>
<version version="v2"><date>Fri, 1 Mar 2024 10:00:00 GMT</date><size>0kb</size>
<source_type>I</source_type></version>
<title>A Result That Did Not Hold</title><authors>Emmy Noether</authors>
<categories>cs.LG</categories><comments>The main theorem is wrong</comments>
<abstract>We prove a bound.</abstract></arXivRaw></metadata></record>
<record><header><identifier>oai:arXiv.org:2402.00008</identifier>
<datestamp>2024-02-02</datestamp></header><metadata>
<arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/"><id>2402.00008</id>
<version version="v1"><date>Fri, 2 Feb 2024 10:00:00 GMT</date><size>200kb</size></version>
<title>Two Labs</title>
<authors>Ana Ruiz (1), Ben Okafor (1 and 2) ((1) Univ. of Somewhere, (2) Some Lab)</authors>
<categories>cs.LG</categories><abstract>  First paragraph.
  Second paragraph, indented as arXiv marks one.</abstract></arXivRaw></metadata></record>
</ListRecords></OAI-PMH>"""


def test_export_import_round_trip(tmp_path: Path, store_location: StoreLocation) -> None:
    source = open_store_at(store_location)
    import_paths(source, sorted(FIXTURES.glob("*")))
    import_paths(source, [FIXTURES / "hf_daily_papers.json"])
    states = tmp_path / "states.xml"
    states.write_text(STATES, encoding="utf-8")
    assert import_paths(source, [states]).deleted == 1
    before = {p.id: p for p in source.iter_papers()}
    source.close()
    assert len(before) >= 6
    assert [i for i, p in before.items() if p.deleted_on] == ["2310.01234"]
    assert [i for i, p in before.items() if p.withdrawn] == ["2402.00007"]
    two_labs = before["2402.00008"]
    assert [a.affiliations for a in two_labs.authors] == [
        ["Univ. of Somewhere"],
        ["Univ. of Somewhere", "Some Lab"],
    ]
    assert two_labs.abstract.count("\n\n") == 1

    runner = CliRunner()
    out = tmp_path / "export.jsonl"
    result = runner.invoke(cli, ["export", str(out), "--db", str(store_location)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        cli, ["import", str(out), "--db", str(tmp_path / "copy.db"), "--json", "-"]
    )
    assert result.exit_code == 0, result.output

    copy = SQLiteStore(tmp_path / "copy.db")
    after = {p.id: p for p in copy.iter_papers()}
    assert after == before
    # Importing the export again over itself changes nothing.
    again = import_paths(copy, [out])
    assert (again.new, again.updated, again.rejected) == (0, 0, 0)
    copy.close()


def test_export_rejects_forged_ids(store: SQLiteStore, tmp_path: Path) -> None:
    forged = tmp_path / "forged.jsonl"
    forged.write_text(
        '{"format": "paperwire-export", "version": 1}\n'
        '{"id": "2401.00001v2", "title": "versioned id is not canonical"}\n'
        '{"id": "../../etc", "title": "path-like id"}\n'
        '{"id": "2401.00002", "title": "fine"}\n',
        encoding="utf-8",
    )
    report = import_paths(store, [forged])
    assert (report.new, report.rejected) == (1, 2)
    assert [r.where.rsplit(": ", 1)[1] for r in report.rejections] == ["line 2", "line 3"]
