"""arXiv's announcement calendar: holidays from the shipped table, daylight saving,
submission windows, and agreement with the recorded daily listings."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from paperwire.ingest import arxiv_calendar as calendar


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_the_holiday_table_names_its_source_and_covers_this_year_and_the_next() -> None:
    table = calendar.holiday_table()
    assert table.source.startswith("https://info.arxiv.org/help/availability.html")
    assert {2026, 2027} <= set(table.years)
    assert date(2026, 11, 26) in table.days  # Thanksgiving, as arXiv lists it
    assert 2026 not in table.provisional


def test_thanksgiving_has_no_friday_listing_and_monday_takes_its_submissions() -> None:
    thanksgiving = date(2026, 11, 26)
    assert not calendar.is_listing_day(thanksgiving + timedelta(days=1))
    assert calendar.listing_days(date(2026, 11, 23), date(2026, 11, 30)) == [
        date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26),
        date(2026, 11, 30),
    ]  # fmt: skip
    assert calendar.next_listing(thanksgiving) == date(2026, 11, 30)
    # Monday's listing holds everything after Wednesday's 14:00 ET deadline until Friday's.
    start, end = calendar.submission_window(date(2026, 11, 30), date(2026, 11, 30))
    assert (start, end) == (utc(2026, 11, 25, 19), utc(2026, 11, 27, 19))
    thursday_noon = utc(2026, 11, 26, 17)  # 12:00 EST on Thanksgiving
    assert calendar.listing_day(thursday_noon) == date(2026, 11, 30)


def test_a_monday_holiday_skips_tuesdays_listing_and_a_friday_one_mondays() -> None:
    labor_day = date(2026, 9, 7)
    assert calendar.is_listing_day(labor_day)  # announced on the Sunday evening before
    assert not calendar.is_listing_day(labor_day + timedelta(days=1))
    assert calendar.next_listing(labor_day) == date(2026, 9, 9)
    assert calendar.deadline_of(date(2026, 9, 9)) == utc(2026, 9, 8, 18)  # Tuesday 14:00 EDT
    # Friday 3 July 2026: no announcement on Sunday 5 July, so no Monday listing.
    assert not calendar.is_listing_day(date(2026, 7, 6))
    assert calendar.previous_listing(date(2026, 7, 7)) == date(2026, 7, 3)


def test_the_latest_listing_stays_put_over_a_holiday_evening() -> None:
    thanksgiving_night = utc(2026, 11, 27, 3)  # Thursday 22:00 EST
    assert calendar.latest_listing(thanksgiving_night) == date(2026, 11, 26)
    sunday_night = utc(2026, 11, 30, 2)  # Sunday 21:00 EST
    assert calendar.latest_listing(sunday_night) == date(2026, 11, 30)


def test_announcements_are_at_20_eastern_on_both_sides_of_daylight_saving() -> None:
    # Daylight saving ends on Sunday 1 November 2026 and starts on Sunday 8 March 2026.
    assert calendar.announcement_at(date(2026, 10, 30)) == utc(2026, 10, 30, 0)  # Thu, EDT
    assert calendar.announcement_at(date(2026, 11, 2)) == utc(2026, 11, 2, 1)  # Sun, EST
    assert calendar.announcement_at(date(2026, 3, 6)) == utc(2026, 3, 6, 1)  # Thu, EST
    assert calendar.announcement_at(date(2026, 3, 9)) == utc(2026, 3, 9, 0)  # Sun, EDT
    # Friday's deadline is 14:00 EDT, Monday's listing is announced at 20:00 EST.
    assert calendar.submission_window(date(2026, 11, 2), date(2026, 11, 2)) == (
        utc(2026, 10, 29, 18),
        utc(2026, 10, 30, 18),
    )


def test_the_holidays_agree_with_the_recorded_daily_listings(shared_data: Path) -> None:
    """Every listing day a holiday removes has no listing in arXiv's recorded daily
    listings, and every day with a full listing is a listing day."""
    path = shared_data / "arxiv-cs" / "arxiv_cs_daily_2025-03-18_to_2026-07-01.dedup.jsonl.gz"
    first_listed: Counter[str] = Counter()
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            first_listed[json.loads(line)["first_listed"]] += 1
    day, last = date(2025, 3, 19), date(2026, 6, 30)
    removed: list[date] = []
    while day <= last:
        papers = first_listed.get(day.isoformat(), 0)
        weekday = day.weekday() <= 4
        if weekday and not calendar.is_listing_day(day):
            removed.append(day)
            assert papers < 25, f"{day} is a holiday's missing listing, yet {papers} papers"
        if weekday and papers >= 100:
            assert calendar.is_listing_day(day), f"{day} has {papers} papers listed"
        day += timedelta(days=1)
    assert date(2025, 6, 20) in removed and date(2026, 1, 20) in removed
