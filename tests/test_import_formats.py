"""Each importer on files written for these tests: edge cases, bad records, detection."""

from __future__ import annotations

import gzip
import shutil
from datetime import date
from pathlib import Path

import pytest

from paperwire.ingest import detect_format, import_paths
from paperwire.store import SQLiteStore

FIXTURES = Path(__file__).parent / "fixtures"


def test_atom_edge_cases(store: SQLiteStore) -> None:
    report = import_paths(store, [FIXTURES / "atom_edge_cases.xml"])
    assert (report.new, report.updated, report.unchanged, report.rejected) == (2, 0, 1, 2)
    reasons = " | ".join(str(r) for r in report.rejections)
    assert "entry 2: paper 2401.00001 has no title" in reasons
    assert "entry 3: not an arXiv id" in reasons

    knot = store.get_paper("math/0309136")
    assert knot is not None
    assert knot.version == 2
    assert knot.title == "On knots and <b>bold</b> claims about $\\mathbb{R}^3$"
    assert knot.abstract.split("\n\n")[0] == "First paragraph wraps over two lines."
    assert [a.name for a in knot.authors] == ["Jürgen Müller", "李 雷"]
    assert knot.authors[0].affiliations == ["Universität Zürich"]
    assert knot.categories == ["math.GT", "math.AT"] and knot.primary_category == "math.GT"
    assert knot.journal_ref == "Geom. Topol. 8 (2004) 1" and knot.doi == "10.2140/gt.2004.8.1"
    assert knot.github_repos == [
        "https://github.com/Example/Knots",
        "https://github.com/example/knot-tools",
    ]
    assert knot.project_pages == ["https://www.knots.example.org/demo"]
    assert [(v.number, v.date) for v in knot.versions] == [
        (1, date(2003, 9, 8)),
        (2, date(2004, 1, 15)),
    ]
    assert knot.published == date(2003, 9, 8)


def test_oai_arxivraw(store: SQLiteStore) -> None:
    report = import_paths(store, [FIXTURES / "oai_arxivraw.xml"])
    assert (report.new, report.rejected) == (1, 0)
    engines = store.get_paper("2310.01234")
    assert engines is not None
    assert engines.title == "Analytical Engines, Revisited"
    # "Ada Lovelace, Charles Babbage (Univ. of Cambridge, London) and Mary Somerville"
    assert [(a.name, a.affiliations) for a in engines.authors] == [
        ("Ada Lovelace", ["Univ. of Cambridge, London"]),
        ("Charles Babbage", ["Univ. of Cambridge, London"]),
        ("Mary Somerville", []),
    ]
    assert engines.version == 3
    assert [v.number for v in engines.versions] == [1, 2, 3]
    assert engines.published == date(2023, 10, 2) and engines.updated == date(2026, 11, 19)
    assert engines.primary_category == "cs.LG"
    assert engines.project_pages == ["https://engines.example.com/"]


def test_hf_api_json(store: SQLiteStore) -> None:
    report = import_paths(store, [FIXTURES / "hf_daily_papers.json"])
    assert (report.new, report.rejected) == (2, 1)
    assert "item 2" in str(report.rejections[0])
    agents = store.get_paper("2608.00001")
    assert agents is not None
    assert agents.title == "Compilers <script>alert('x')</script> for Agents"
    assert (agents.upvotes, agents.github_stars, agents.num_comments) == (42, 7, 3)
    assert agents.listed_on == date(2026, 8, 21) and agents.published == date(2026, 8, 19)
    assert agents.organization == "US Navy"
    assert agents.github_repos == ["https://github.com/hopper/agents"]
    assert agents.project_pages == ["https://hopper.example.org/agents"]
    assert agents.keywords == ["compilers", "agents"]
    assert agents.submitted_by == "ghopper"


def test_broken_json_line_is_rejected_with_its_line_and_the_rest_kept(store: SQLiteStore) -> None:
    report = import_paths(store, [FIXTURES / "listing_with_broken_line.jsonl"])
    assert (report.new, report.rejected) == (2, 2)
    wheres = [r.where for r in report.rejections]
    assert wheres[0].endswith("listing_with_broken_line.jsonl: line 2")
    assert wheres[1].endswith(": line 3")
    two = store.get_paper("2503.00003")
    assert two is not None and two.project_pages == ["https://www.two.example.org"]
    assert two.listed_on == date(2025, 3, 19) and two.source == "listing"


def test_truncated_xml_keeps_records_before_the_damage(store: SQLiteStore, tmp_path: Path) -> None:
    text = (FIXTURES / "atom_edge_cases.xml").read_text(encoding="utf-8")
    cut = text.index("<entry>", text.index("2402.01234"))
    (tmp_path / "cut.xml").write_text(text[:cut] + "<entry><id>http://arx", encoding="utf-8")
    report = import_paths(store, [tmp_path / "cut.xml"])
    assert store.get_paper("math/0309136") is not None
    assert store.get_paper("2402.01234") is not None
    assert any("malformed XML at line" in r.reason for r in report.rejections)


def test_format_is_detected_from_content_not_name(store: SQLiteStore, tmp_path: Path) -> None:
    disguised = tmp_path / "looks-like.csv"
    with gzip.open(disguised, "wb") as out:
        out.write((FIXTURES / "oai_arxivraw.xml").read_bytes())
    report = import_paths(store, [disguised])
    assert report.formats == {str(disguised): "oai-pmh"} and report.new == 1


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (b'\xef\xbb\xbf  <?xml version="1.0"?>\n<!-- c -->\n<feed xmlns="x">', "arxiv-atom"),
        (b"<OAI-PMH>", "oai-pmh"),
        (b'{\n  "url": "u",\n  "status_code": 200,\n  "body": "<feed/>"\n}', "recorded-response"),
        (b'[{"paper": {}}]', "hf-daily-papers"),
        (b'{"daily_date": "2024-01-01", "arxiv_id": "x"}\n', "hf-normalized"),
        (b'{"id": "x", "first_listed": "2025-01-01"}\n', "arxiv-listing"),
        (b'{"_id": "1", "title": "", "text": "t"}\n', "beir-corpus"),
        (b'{"format": "paperwire-export", "version": 1}\n', "paperwire-export"),
    ],
)
def test_detect_format(head: bytes, fmt: str) -> None:
    assert detect_format(head) == fmt


def test_unknown_and_missing_files_are_rejections(store: SQLiteStore, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "page.html").write_text("<html><body/></html>", encoding="utf-8")
    report = import_paths(
        store, [tmp_path / "notes.txt", tmp_path / "page.html", tmp_path / "missing.xml"]
    )
    assert report.rejected == 3
    reasons = [r.reason for r in report.rejections]
    assert "neither XML nor JSON" in reasons[0]
    assert "unsupported XML root element <html>" in reasons[1]
    assert "cannot open" in reasons[2]


def test_beir_documents_get_their_own_namespace(store: SQLiteStore, tmp_path: Path) -> None:
    (tmp_path / "corpus.jsonl").write_text(
        '{"_id": "4983", "title": "", "text": "Alterations of the architecture."}\n'
        '{"_id": "", "title": "no id", "text": "x"}\n',
        encoding="utf-8",
    )
    report = import_paths(store, [tmp_path / "corpus.jsonl"])
    assert (report.new, report.rejected) == (1, 1)
    doc = store.get_paper("beir:4983")
    assert doc is not None and doc.source == "beir" and doc.abs_url is None


def test_reimport_changes_nothing(store: SQLiteStore, tmp_path: Path) -> None:
    files = [
        FIXTURES / name
        for name in ("atom_edge_cases.xml", "oai_arxivraw.xml", "hf_daily_papers.json")
    ]
    import_paths(store, files)
    seq = store.max_seq()
    again = import_paths(store, files)
    assert again.new == 0 and again.updated == 0
    assert store.max_seq() == seq
    shutil.copy(FIXTURES / "hf_daily_papers.json", tmp_path / "copy.json")
    assert import_paths(store, [tmp_path / "copy.json"]).updated == 0
