"""Merging two records of one paper: text by (version, source), facts never lost."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from paperwire.model import Author, Paper, Version
from paperwire.store.merge import merge_papers, with_listing_days


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
    stored = with_listing_days(hf_record())  # as the store reads it
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
    assert ab.listed_days == ba.listed_days == sorted({d for d in (day1, day2) if d})
    assert ab.listed_on == min((d for d in (day1, day2) if d), default=None)
    if up1 is not None or up2 is not None:
        assert ab.upvotes == max(u for u in (up1, up2) if u is not None)


def test_every_listing_day_is_kept_the_first_is_listed_on() -> None:
    first, again, third = date(2026, 8, 14), date(2026, 8, 20), date(2026, 8, 27)
    featured = [
        Paper(id="2608.13558", title="t", source="hf", upvotes=n, listed_on=day)
        for n, day in ((54, again), (2, first), (60, third))
    ]
    merged = featured[0]
    for record in featured[1:]:
        merged = merge_papers(merged, record)
    assert merged.listed_days == [first, again, third]
    assert merged.listed_on == first
    assert merged.upvotes == 60
    # The same day again, or a record without one, adds nothing.
    assert merge_papers(merged, featured[0]) == merged
    assert merge_papers(merged, Paper(id="2608.13558", title="t", source="hf")) == merged


def test_with_listing_days_puts_listed_on_among_the_days() -> None:
    day = date(2026, 8, 14)
    old = Paper(id="2608.13558", title="t", listed_on=day)  # stored before listed_days
    settled = with_listing_days(old)
    assert (settled.listed_on, settled.listed_days) == (day, [day])
    assert with_listing_days(settled) is settled
    assert old.listed_days == []  # the record given is left as it was
    # listed_on is the first of the days, whatever a record claimed.
    odd = Paper(id="2608.13558", title="t", listed_on=day, listed_days=[date(2026, 8, 1)])
    assert with_listing_days(odd).listed_on == date(2026, 8, 1)
