"""Stored one-line summaries on both stores: written, read, found stale, filled by import."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperwire.application import understanding
from paperwire.application.understanding import follow_changes
from paperwire.cli.main import cli
from paperwire.store import PaperStore, StoredSummary, StoreLocation, open_store_at
from paperwire.understanding.annotators import annotate_summaries
from paperwire.understanding.summaries import SUMMARY_RULES, summarize
from search_helpers import make_paper

ABSTRACT = (
    "Speculative decoding is slow on long contexts. In this paper, we propose LongSpec, a"
    " draft model with a sliding memory for speculative decoding. It is 3.2x faster."
)


def _papers() -> list:
    return [
        make_paper("2501.00001", "LongSpec: Speculative Decoding for Long Contexts", ABSTRACT),
        make_paper("2501.00002", "A paper without an abstract"),
    ]


def test_summaries_are_kept_for_stored_papers_only(store: PaperStore) -> None:
    store.upsert_papers(_papers())
    written = store.put_summaries(
        [
            StoredSummary("2501.00001", "We propose LongSpec.", SUMMARY_RULES, 1),
            StoredSummary("2501.00002", "", SUMMARY_RULES, 2),
            StoredSummary("2599.99999", "Of no stored paper.", SUMMARY_RULES, 1),
        ]
    )
    assert written == 2
    found = store.get_summaries(["2501.00001", "2501.00002", "2599.99999"])
    assert found == {"2501.00001": "We propose LongSpec."}  # an empty one is none


def test_a_changed_paper_is_summarised_again_and_only_it(store: PaperStore) -> None:
    store.upsert_papers(_papers())
    assert follow_changes(store, annotators=(annotate_summaries,)).papers == 2
    changed = replace(_papers()[0], abstract=ABSTRACT + " We release the code.", version=2)
    store.upsert_papers([changed])
    assert follow_changes(store, annotators=(annotate_summaries,)).papers == 1


def test_fill_summarises_every_paper_once(store: PaperStore) -> None:
    store.upsert_papers(_papers())
    first = follow_changes(store, annotators=(annotate_summaries,), batch_size=1)
    assert first.papers == 2
    assert store.get_summaries(["2501.00001"]) == {
        "2501.00001": "We propose LongSpec, a draft model with a sliding memory for"
        " speculative decoding."
    }
    again = follow_changes(store, annotators=(annotate_summaries,))
    assert again.papers == 0  # nothing changed: nothing is read again


def test_import_fills_summaries_and_an_export_round_trip_keeps_them(
    tmp_path: Path, store_location: StoreLocation
) -> None:
    fixtures = Path(__file__).parent / "fixtures"
    runner = CliRunner()
    theirs = tmp_path / "hf.json"
    theirs.write_text(
        '[{"paper": {"id": "2608.00003", "title": "Theirs",'
        ' "summary": "We study X in depth. It works.", "ai_summary": "X works.",'
        ' "publishedAt": "2026-08-19T10:00:00.000Z"}}]'
    )
    paths = [str(fixtures / "oai_arxivraw.xml"), str(fixtures / "hf_daily_papers.json")]
    result = runner.invoke(
        cli, ["import", *paths, str(theirs), "--no-index", "--db", str(store_location)]
    )
    assert result.exit_code == 0, result.output
    source = open_store_at(store_location)
    papers = {p.id: p for p in source.iter_papers()}
    summaries = source.get_summaries(papers)
    source.close()
    made = {pid: summarize(p.title, p.abstract) for pid, p in papers.items()}
    expected = {pid: summary for pid, summary in made.items() if summary}
    assert summaries == expected and summaries
    assert papers["2608.00003"].ai_summary == "X works."

    out = tmp_path / "export.jsonl"
    assert runner.invoke(cli, ["export", str(out), "--db", str(store_location)]).exit_code == 0
    copy_db = tmp_path / "copy.db"
    result = runner.invoke(cli, ["import", str(out), "--no-index", "--db", str(copy_db)])
    assert result.exit_code == 0, result.output
    copy = open_store_at(copy_db)
    assert copy.get_summaries(papers) == summaries
    assert {p.id: p.ai_summary for p in copy.iter_papers()} == {
        pid: p.ai_summary for pid, p in papers.items()
    }
    copy.close()


def test_reindex_computes_every_paper_again_only_when_the_rules_changed(
    store: PaperStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.upsert_papers(_papers())
    assert understanding.follow_changes(store).papers == 2  # from scratch: by today's rules
    assert understanding.bring_up_to_date(store).papers == 0  # nothing changed
    monkeypatch.setattr(understanding, "UNDERSTANDING_RULES", "keyphrases 2, summaries 9")
    assert understanding.bring_up_to_date(store).papers == 2  # new rules: every paper again
    assert understanding.bring_up_to_date(store).papers == 0
