"""Withdrawn papers: told from the latest version's comment and from arXivRaw's version
size, kept by merges, and never read into text that only talks about withdrawing."""

from __future__ import annotations

import gzip
import json
import re
from datetime import date
from pathlib import Path

import pytest

from paperwire.ingest import import_paths
from paperwire.ingest.withdrawal import is_withdrawal_notice, is_withdrawn_source
from paperwire.model import Paper
from paperwire.store import PaperStore
from paperwire.store.merge import merge_papers

# The forms a withdrawal takes in the Comments field: arXiv's own example, then
# how authors and arXiv's administrators word the reason.
NOTICES = [
    "This paper has been withdrawn",
    "Withdrawn",
    "withdrawn.",
    "(Withdrawn)",
    "This paper has been withdrawn by the author due to a crucial sign error in equation 1.",
    "This submission has been withdrawn by arXiv administrators due to inappropriate text overlap",
    "arXiv admin note: This submission has been withdrawn by arXiv administrators due to "
    "incorrect authorship",
    "This version has been removed by arXiv administrators as the submitter did not have the "
    "rights to agree to the license at the time of submission",
    "Withdrawn by the authors: the experiments in Section 4 used a leaked test split",
    "Withdrawn due to an error in the proof of Lemma 3",
    "Paper withdrawn due to a bug in the evaluation script",
    "This paper as been withdrawn",  # the misspelling occurs
    "The paper is withdrawn because Theorem 2 is false.",
    "This version is withdrawn as the results do not hold.",
    "The current version is being withdrawn to prevent the spread of wrong numbers",
    "The authors have withdrawn this manuscript because the data release was not approved",
    "We withdraw this submission since the baseline numbers were wrong",
    "After careful consideration, we have decided to withdraw the paper",
    "Hence I request the withdrawal of this paper.",
    "The previous version had an error; this paper has been withdrawn entirely.",
    "Withdrawn; superseded by arXiv:2504.01234",
    "v2: withdrawn, replaced by arXiv:2504.01234",
    "Retracted. See arXiv:2504.01234 for the corrected work",
    "10 pages. This paper has been withdrawn by the authors.",
    "This paper has been withdrawn from arXiv",
]
# Comments that mention a withdrawal that is not this paper's.
NOT_NOTICES = [
    "withdrawn from the conference",
    "Withdrawn from ICLR 2025; under review elsewhere",
    "Accepted at a workshop; withdrawn from the proceedings as no author could attend",
    "The paper was withdrawn from NeurIPS and is under review elsewhere",
    "This paper was retracted by the journal; this arXiv version corrects the error",
    "supersedes arXiv:2510.26642, which has been withdrawn",
    "A previous version of this manuscript was withdrawn due to an error in Table 1.",
    "Replaces the withdrawn manuscript arXiv:1911.03628",
    "This is a replacement for the previously withdrawn paper.",
    "Earlier version withdrawn. This revision corrects Theorem 3.",
    "Section 6 is withdrawn; the rest is unchanged",
    "v3: v2's central claims are withdrawn, see Section 5",
    "It could be withdrawn if accepted",
    "12 pages, 3 figures",
    "Code removed for anonymity",
    "",
    None,
]


@pytest.mark.parametrize("comment", NOTICES)
def test_a_withdrawal_notice_counts(comment: str) -> None:
    assert is_withdrawal_notice(comment)


@pytest.mark.parametrize("comment", NOT_NOTICES)
def test_other_mentions_of_withdrawal_do_not_count(comment: str | None) -> None:
    assert not is_withdrawal_notice(comment)


def test_arxivraw_marks_a_withdrawn_version_by_its_empty_or_ignored_source() -> None:
    assert is_withdrawn_source("0kb", None) and is_withdrawn_source("0kb", "D")
    assert is_withdrawn_source("1kb", "I") and is_withdrawn_source(None, "IS")
    assert not is_withdrawn_source("812kb", "D") and not is_withdrawn_source("10kb", None)
    assert not is_withdrawn_source(None, None) and not is_withdrawn_source("kb", "")


def _raw_record(last_size: str, last_source: str, comment: str) -> str:
    return f"""<record>
<header><identifier>oai:arXiv.org:2310.01234</identifier><datestamp>2026-11-19</datestamp></header>
<metadata><arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/">
<id>2310.01234</id>
<version version="v1"><date>Mon, 2 Oct 2023 17:59:59 GMT</date><size>812kb</size>
<source_type>D</source_type></version>
<version version="v2"><date>Wed, 19 Nov 2026 09:00:00 GMT</date><size>{last_size}</size>
<source_type>{last_source}</source_type></version>
<title>Analytical Engines, Revisited</title><authors>Ada Lovelace</authors>
<categories>cs.LG</categories><comments>{comment}</comments>
<abstract>We revisit the analytical engine.</abstract>
</arXivRaw></metadata></record>"""


def _oai(tmp_path: Path, *records: str) -> Path:
    path = tmp_path / f"oai-{len(list(tmp_path.iterdir()))}.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>'
        + "".join(records)
        + "</ListRecords></OAI-PMH>",
        encoding="utf-8",
    )
    return path


def test_an_import_marks_withdrawn_papers_by_size_or_comment(
    store: PaperStore, tmp_path: Path
) -> None:
    import_paths(store, [_oai(tmp_path, _raw_record("0kb", "I", "15 pages"))])
    by_size = store.get_paper("2310.01234")
    assert by_size is not None and by_size.withdrawn and by_size.version == 2

    # The same version read again with an ordinary source: the newest record says so.
    import_paths(store, [_oai(tmp_path, _raw_record("850kb", "D", "15 pages"))])
    assert not store.get_paper("2310.01234").withdrawn  # type: ignore[union-attr]

    notice = "This paper has been withdrawn by the authors due to an error in Table 2"
    import_paths(store, [_oai(tmp_path, _raw_record("850kb", "D", notice))])
    by_comment = store.get_paper("2310.01234")
    assert by_comment is not None and by_comment.withdrawn and by_comment.comment == notice


def test_withdrawn_comes_with_the_latest_version() -> None:
    withdrawn_v2 = Paper(id="2401.00001", title="T", version=2, comment="Withdrawn", withdrawn=True)
    listing_v1 = Paper(id="2401.00001", title="T", version=1, source="listing", upvotes=3)
    replaced_v3 = Paper(id="2401.00001", title="T", version=3, comment="fixed, 12 pages")
    assert merge_papers(withdrawn_v2, listing_v1).withdrawn
    assert merge_papers(listing_v1, withdrawn_v2).withdrawn
    # arXiv lets authors replace a withdrawn paper: the new version is not withdrawn.
    assert not merge_papers(withdrawn_v2, replaced_v3).withdrawn


def test_old_records_without_the_new_fields_still_load() -> None:
    old = {"id": "2401.00001", "title": "T", "published": "2024-01-02"}
    paper = Paper.from_dict(old)
    assert (paper.withdrawn, paper.deleted_on, paper.published) == (False, None, date(2024, 1, 2))
    assert Paper.from_dict(paper.to_dict()) == paper


def test_no_paper_of_the_shared_listings_reads_as_withdrawn(shared_data: Path) -> None:
    """The listings hold each paper as first announced; a withdrawal is always a later
    version, so every comment that reads as a notice would be a false positive. Their
    titles and abstracts talk about withdrawing (water withdrawals, withdrawal rights,
    retraction by language models): none of those sentences is a notice either."""
    comments = 0
    flagged: list[str] = []
    mentions: list[str] = []
    for path in sorted((shared_data / "arxiv-cs").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                comments += bool(record.get("comment"))
                if is_withdrawal_notice(record.get("comment")):
                    flagged.append(f"{record['id']}: {record['comment']}")
                text = " ".join(f"{record['title']}. {record['abstract']}".split())
                mentions += [
                    s
                    for s in re.split(r"(?<=[.!?])\s+", text)
                    if re.search(r"withdr|retract", s, re.IGNORECASE)
                ]
    assert comments > 10_000
    assert flagged == []
    assert mentions, "the listings no longer mention withdrawals: pick other sentences"
    assert [s for s in mentions if is_withdrawal_notice(s)] == []
