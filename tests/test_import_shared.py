"""The real data sets: every file imports without a crash, papers found in both
arXiv listings and Hugging Face become one record with both kinds of facts, and
each organisation Hugging Face names is stored under one name."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperwire.ids import parse_arxiv_id
from paperwire.ingest import import_paths
from paperwire.organizations import known_organization, organization_key
from paperwire.store import SQLiteStore

pytestmark = pytest.mark.slow


def _jsonl(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


@pytest.fixture(scope="module")
def loaded(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    store = SQLiteStore(tmp_path_factory.mktemp("shared") / "paperwire.db")
    listing = next((shared_data / "arxiv-cs").glob("*.jsonl.gz"))
    hf = next((shared_data / "hf-daily-papers").glob("*.normalized.jsonl.gz"))
    raw_days = sorted((shared_data / "hf-daily-papers" / "raw-days").glob("*.json.gz"))
    api = sorted((shared_data / "fixtures" / "arxiv-api" / "current").glob("*.json"))
    historical = sorted((shared_data / "fixtures" / "arxiv-api" / "historical_xml").glob("*.xml"))
    oai = sorted((shared_data / "fixtures" / "arxiv-oai-pmh").glob("*.xml"))
    report = import_paths(store, [listing, hf, *raw_days, *api, *historical, *oai])
    yield store, report, listing, hf, raw_days
    store.close()


def test_everything_imports_without_crash(loaded: tuple) -> None:
    _, report, *_ = loaded
    # The only rejection in the real files is the recorded HTTP 400 for the id "abc".
    assert report.rejected == 1, [str(r) for r in report.rejections]
    assert "HTTP 400" in report.rejections[0].reason
    assert "incorrect id format for abc" in report.rejections[0].reason


def test_every_distinct_paper_counted_once(loaded: tuple) -> None:
    store, _, listing, hf, raw_days = loaded
    listing_ids = {row["id"] for row in _jsonl(listing)}
    hf_ids = {parse_arxiv_id(row["arxiv_id"]).id for row in _jsonl(hf)}
    for day in raw_days:
        with gzip.open(day, "rt", encoding="utf-8") as handle:
            hf_ids |= {parse_arxiv_id(item["paper"]["id"]).id for item in json.load(handle)}
    assert len(listing_ids & hf_ids) == 4288
    stats = store.stats()
    fixture_papers = stats.papers - len(listing_ids | hf_ids)
    assert 0 < fixture_papers < 200  # the recorded API and OAI responses add a few
    assert stats.papers == len(set(p.id for p in store.iter_papers()))


def test_papers_in_both_sources_keep_upvotes_and_arxiv_metadata(loaded: tuple) -> None:
    store, _, listing, hf, _ = loaded
    listing_rows = {row["id"]: row for row in _jsonl(listing)}
    hf_rows = {parse_arxiv_id(row["arxiv_id"]).id: row for row in _jsonl(hf)}
    both = sorted(set(listing_rows) & set(hf_rows))
    merged = store.get_papers(both)
    assert len(merged) == len(both)
    for paper_id in both:
        paper = merged[paper_id]
        assert paper.upvotes is not None and paper.upvotes >= hf_rows[paper_id]["upvotes"]
        assert set(paper.categories) == set(listing_rows[paper_id]["categories"])
        assert paper.source in {"listing", "arxiv"}


def test_real_fixture_details(loaded: tuple) -> None:
    store, *_ = loaded
    old = store.get_paper("astro-ph/0601001")
    assert old is not None and old.version and old.authors
    oai = store.get_paper("1601.03238")
    assert oai is not None and oai.doi == "10.1103/PhysRevD.93.016005"
    assert oai.authors[0].name == "Planck Collaboration"
    assert oai.categories[0] == oai.primary_category == "quant-ph"
    historical = store.get_paper("1111.2011")
    assert historical is not None and historical.version == 2
    assert historical.journal_ref


def test_no_two_stored_organisation_names_differ_only_by_case_or_spacing(loaded: tuple) -> None:
    store, *_ = loaded
    counts = store.organization_counts()
    stored = [name for org in counts for name in org.names]
    assert len(stored) > 500  # Hugging Face names hundreds of organisations
    by_key: dict[str, list[str]] = {}
    for name in stored:
        by_key.setdefault(organization_key(name), []).append(name)
    assert [names for names in by_key.values() if len(names) > 1] == []
    slugs = [org.slug for org in counts]
    assert len(set(slugs)) == len(slugs)  # each organisation has a page of its own


def test_the_50_largest_organisations_are_in_the_alias_table(loaded: tuple) -> None:
    store, _, _, hf, _ = loaded
    counts = store.organization_counts()
    fiftieth = counts[49].papers
    largest = [org for org in counts if org.papers >= fiftieth]  # ties at the 50th included
    assert len(largest) >= 50
    assert [org.name for org in largest if known_organization(org.name) is None] == []
    # Papers under either spelling of one organisation are counted together.
    store_counts = {org.name: org.papers for org in counts}
    for canonical, spellings in [
        (
            "University of California, Berkeley",
            {"UC Berkeley", "University of California, Berkeley"},
        ),
        ("Shanghai AI Laboratory", {"shanghai ailab ", "Shanghai AI Laboratory"}),
    ]:
        ids = {row["arxiv_id"] for row in _jsonl(hf) if row.get("organization") in spellings}
        assert store_counts[canonical] == len(ids)
        assert not (spellings - {canonical}) & set(store_counts)
