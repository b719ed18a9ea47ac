"""Merging two records of one paper: text by (version, source), facts never lost."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from paperwire.model import Author, Paper, Version
from paperwire.store.merge import merge_papers


def arxiv_v2() -> Paper:
    return Paper(
        id="2401.00001",
        title="Second version title",
        abstract="v2 abstract",
        version=2,
        authors=[Author("A"), Author("B")],
        categories=["cs.LG"],
        versions=[Version(1, date(2024, 1, 1)), Version(2, date(2024, 2, 1))],
        published=date(2024, 1, 1),
        source="arxiv",
    )


def hf_record() -> Paper:
    return Paper(
        id="2401.00001",
        title="First version title",
        abstract="v1 abstract",
        authors=[Author("A")],
        source="hf",
        listed_on=date(2024, 1, 3),
        upvotes=17,
        github_stars=5,
        num_comments=2,
        organization="Lab",
        github_repos=["https://github.com/a/b"],
    )


def test_newer_version_wins_text_and_facts_survive() -> None:
    for merged in (merge_papers(hf_record(), arxiv_v2()), merge_papers(arxiv_v2(), hf_record())):
        assert merged.title == "Second version title"
        assert merged.abstract == "v2 abstract"
        assert merged.version == 2
        assert [a.name for a in merged.authors] == ["A", "B"]
        assert merged.upvotes == 17
        assert merged.listed_on == date(2024, 1, 3)
        assert merged.organization == "Lab"
        assert merged.github_repos == ["https://github.com/a/b"]
        assert [v.number for v in merged.versions] == [1, 2]


def test_record_lacking_facts_does_not_erase_them() -> None:
    stored = hf_record()
    bare = Paper(id=stored.id, title=stored.title, abstract=stored.abstract, source="hf")
    assert merge_papers(stored, bare) == stored


def test_same_record_twice_is_unchanged() -> None:
    assert merge_papers(arxiv_v2(), arxiv_v2()) == arxiv_v2()


def test_lower_rank_fills_gaps_only() -> None:
    listing = Paper(id="2401.00001", title="Listing title", source="listing", categories=["cs.AI"])
    hf = Paper(id="2401.00001", title="HF title", abstract="from hf", source="hf", upvotes=3)
    merged = merge_papers(listing, hf)
    assert merged.title == "Listing title"
    assert merged.abstract == "from hf"
    assert merged.categories == ["cs.AI"]
    assert merged.upvotes == 3


counts = st.one_of(st.none(), st.integers(0, 1000))
days = st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2026, 12, 31)))


@given(counts, counts, days, days)
def test_community_facts_are_order_independent(
    up1: int | None, up2: int | None, day1: date | None, day2: date | None
) -> None:
    a = Paper(id="2401.00001", title="t", source="hf", upvotes=up1, listed_on=day1)
    b = Paper(id="2401.00001", title="t", source="hf", upvotes=up2, listed_on=day2)
    ab, ba = merge_papers(a, b), merge_papers(b, a)
    assert ab.upvotes == ba.upvotes
    assert ab.listed_on == ba.listed_on
    if up1 is not None or up2 is not None:
        assert ab.upvotes == max(u for u in (up1, up2) if u is not None)
