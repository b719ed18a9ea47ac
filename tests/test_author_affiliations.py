"""An author keeps every affiliation arXiv gives: the API's repeated
<arxiv:affiliation>, OAI-PMH's repeated <affiliation>, through the store and
exports (whose older files have one affiliation per author) and follows."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from paperwire.ingest import import_paths
from paperwire.ingest.arxiv_api import ArxivApiClient
from paperwire.ingest.formats.atom import parse_atom
from paperwire.ingest.formats.oai import parse_oai
from paperwire.ingest.harvest import HarvestSpec, harvest
from paperwire.ingest.oai_client import OaiClient
from paperwire.model import Author, Paper
from paperwire.rank.follows import follow_matches
from paperwire.store import PaperStore
from paperwire.store.personal_records import Follow
from replay_server import ReplayServer, Reply, live_settings, replay_server

UNIV, LAB = "Univ. of Somewhere", "Some Lab"


def _only_paper(items: Iterator[object]) -> Paper:
    (paper,) = list(items)
    assert isinstance(paper, Paper), paper
    return paper


ATOM_ENTRY = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
<entry><id>http://arxiv.org/abs/2609.00003v1</id>
<published>2026-09-01T10:00:00Z</published><updated>2026-09-01T10:00:00Z</updated>
<title>Two Affiliations</title><summary>An abstract.</summary>
<author><name>Ana Ruiz</name>
  <arxiv:affiliation>Univ. of Somewhere</arxiv:affiliation>
  <arxiv:affiliation>Some Lab</arxiv:affiliation></author>
<author><name>Ben Okafor</name></author>
<category term="cs.DL"/></entry></feed>"""


def test_an_atom_entry_keeps_every_affiliation() -> None:
    paper = _only_paper(parse_atom(io.BytesIO(ATOM_ENTRY.encode()), "api.xml"))
    assert [(a.name, a.affiliations) for a in paper.authors] == [
        ("Ana Ruiz", [UNIV, LAB]),
        ("Ben Okafor", []),
    ]


OAI_ARXIV = """<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><GetRecord><record>
<header><identifier>oai:arXiv.org:2609.00004</identifier><datestamp>2026-09-02</datestamp></header>
<metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>2609.00004</id><created>2026-09-01</created>
<authors><author><keyname>Ruiz</keyname><forenames>Ana</forenames>
  <affiliation>Univ. of Somewhere</affiliation><affiliation>Some Lab</affiliation>
  <affiliation>Some Lab</affiliation></author>
<author><keyname>Erd\\H{o}s</keyname><forenames>P.</forenames>
  <affiliation>R\\'enyi Institute</affiliation></author></authors>
<title>Two Affiliations</title><categories>cs.DL</categories><abstract>An abstract.</abstract>
</arXiv></metadata></record></GetRecord></OAI-PMH>"""


def test_an_oai_arxiv_record_keeps_every_affiliation_once() -> None:
    paper = _only_paper(parse_oai(io.BytesIO(OAI_ARXIV.encode()), "oai.xml"))
    assert [(a.name, a.affiliations) for a in paper.authors] == [
        ("Ana Ruiz", [UNIV, LAB]),
        ("P. Erdős", ["Rényi Institute"]),
    ]


# Stored records: the new shape round-trips, the old one is still read.


def test_several_affiliations_survive_the_store(store: PaperStore, tmp_path: Path) -> None:
    (tmp_path / "api.xml").write_text(ATOM_ENTRY, encoding="utf-8")
    (tmp_path / "oai.xml").write_text(OAI_ARXIV, encoding="utf-8")
    report = import_paths(store, [tmp_path / "api.xml", tmp_path / "oai.xml"])
    assert (report.new, report.rejected) == (2, 0)
    stored = store.get_papers(["2609.00003", "2609.00004"])
    assert stored["2609.00003"].authors[0].affiliations == [UNIV, LAB]
    assert stored["2609.00004"].authors == [
        Author("Ana Ruiz", [UNIV, LAB]),
        Author("P. Erdős", ["Rényi Institute"]),
    ]
    again = import_paths(store, [tmp_path / "api.xml", tmp_path / "oai.xml"])
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)


def test_a_record_of_the_old_shape_is_read(store: PaperStore, tmp_path: Path) -> None:
    # An export written before authors had several affiliations.
    old = tmp_path / "old-export.jsonl"
    rows = [
        {"format": "paperwire-export", "version": 1},
        {
            "id": "2609.00005",
            "title": "Stored Before",
            "authors": [
                {"name": "Ana Ruiz", "affiliation": "Univ. of Somewhere"},
                {"name": "Ben Okafor", "affiliation": None},
            ],
        },
    ]
    old.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = import_paths(store, [old])
    assert (report.new, report.rejected) == (1, 0)
    paper = store.get_paper("2609.00005")
    assert paper is not None
    assert paper.authors == [Author("Ana Ruiz", [UNIV]), Author("Ben Okafor", [])]
    assert paper.to_dict()["authors"] == [
        {"name": "Ana Ruiz", "affiliations": [UNIV]},
        {"name": "Ben Okafor", "affiliations": []},
    ]


@pytest.mark.parametrize(
    "authors",
    [[{"name": "Ana", "affiliations": "MIT"}], [{"name": None}], [{"affiliation": "MIT"}]],
)
def test_an_unreadable_author_rejects_that_record_alone(
    store: PaperStore, tmp_path: Path, authors: list
) -> None:
    rows = [
        {"format": "paperwire-export", "version": 2},
        {"id": "2609.00006", "title": "Bad Authors", "authors": authors},
        {"id": "2609.00007", "title": "Good Authors", "authors": [{"name": "Ana"}]},
    ]
    path = tmp_path / "export.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = import_paths(store, [path])
    assert (report.new, report.rejected) == (1, 1)
    assert report.rejections[0].where.endswith("line 2")
    assert store.get_paper("2609.00006") is None


def test_an_organisation_follow_matches_any_affiliation_of_an_author() -> None:
    paper = Paper(id="2609.00008", title="T", authors=[Author("Ana Ruiz", [UNIV, LAB])])
    follows = [Follow(1, "organization", "some lab"), Follow(2, "organization", "Elsewhere")]
    assert follow_matches(paper, follows) == follows[:1]


# The recorded arXiv responses of the shared data, served on loopback.


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with replay_server() as running:
        yield running


def test_a_harvest_of_recorded_oai_records_keeps_several_affiliations(
    server: ReplayServer, store: PaperStore, shared_data: Path, tmp_path: Path
) -> None:
    recorded = shared_data / "fixtures" / "arxiv-oai-pmh" / "sample_arxiv_record.xml"
    server.add(
        "/oai?verb=ListRecords&metadataPrefix=arXiv&set=physics&from=2016-01-01",
        Reply(200, recorded.read_bytes()),
    )
    with OaiClient.from_settings(live_settings(server, tmp_path)) as client:
        harvest(store, client, HarvestSpec("arXiv", "physics", date(2016, 1, 1)))
    solar = store.get_paper("1606.07538")
    assert solar is not None
    by_name = {a.name: a.affiliations for a in solar.authors}
    assert by_name["M. R. Vagins"] == [
        "Kavli Institute for the Physics and Mathematics of the Universe",
        "Department of Physics and Astronomy, University of California, Irvine",
    ]
    assert solar.authors[0].name == "Super-Kamiokande Collaboration"
    # arXiv's own split leaves the collaboration's colon as an author; it is none.
    assert ":" not in [a.name for a in solar.authors]
    both = store.get_paper("1606.07066")
    assert both is not None and both.authors[0].affiliations == ["Technion", "DESY"]


def test_the_recorded_api_answer_gives_affiliation_lists(
    server: ReplayServer, shared_data: Path, tmp_path: Path
) -> None:
    assert server.add_recorded(shared_data / "fixtures" / "arxiv-api" / "current") >= 20
    with ArxivApiClient.from_settings(live_settings(server, tmp_path)) as client:
        (paper,) = client.fetch(["astro-ph/0601001"]).papers
    assert [(a.name, a.affiliations) for a in paper.authors] == [
        ("Andrew Gould", ["Ohio State"]),
        ("Susan Dorsher", ["Ohio State"]),
        ("B. Scott Gaudi", ["CfA"]),
        ("Andrzej Udalski", ["Warsaw University Observatory"]),
    ]
