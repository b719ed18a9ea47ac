"""arXiv's announcement calendar: which listing day a submission appears in, and when.

arXiv takes submissions until 14:00 US/Eastern on weekdays and announces
them at 20:00 Eastern, Sunday to Thursday; the listing carries the next
day's date (https://info.arxiv.org/help/availability.html). So:

    deadline (14:00 ET)   announced (20:00 ET)   listing day
    Monday                Monday                 Tuesday
    ...                   ...                    ...
    Thursday              Thursday               Friday
    Friday                Sunday                 Monday

A listing day is therefore Monday to Friday, and its submissions are those
received after the previous listing's deadline and before its own (14:00 on
the weekday before it).

Holidays: arXiv names the days with no mailing on the same page ("On
Deferred Mailings"); ``arxiv_holidays.toml`` in this package keeps them, with
their source. A holiday from Sunday to Thursday means no announcement that
evening; a Friday or Saturday one, none on the Sunday after (arXiv named
"Sunday 6 July" after Friday 4 July 2025; for Friday 19 June 2026 the
recorded daily listings have no Monday 22 June). The listing day such an
announcement would have made does not exist, and the next listing takes its
submissions. Times are computed in America/New_York with zoneinfo, so
daylight saving is followed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

__all__ = [
    "ANNOUNCEMENT",
    "DEADLINE",
    "EASTERN",
    "HolidayTable",
    "announcement_at",
    "deadline_of",
    "holiday_table",
    "is_listing_day",
    "latest_listing",
    "listing_day",
    "listing_days",
    "next_listing",
    "previous_listing",
    "submission_window",
]

EASTERN = ZoneInfo("America/New_York")
DEADLINE = time(14, 0)
ANNOUNCEMENT = time(20, 0)
_FRIDAY = 4
_SUNDAY = 6
_PACKAGE = "paperwire.ingest"
_HOLIDAYS_FILE = "arxiv_holidays.toml"


@dataclass(frozen=True, slots=True)
class HolidayTable:
    """arXiv's holidays as its availability page lists them (``days``), with ``source``
    (that page's URL) and ``provisional``: the years arXiv has not published yet."""

    source: str
    days: frozenset[date]
    provisional: frozenset[int]

    @property
    def years(self) -> list[int]:
        return sorted({day.year for day in self.days})

    def skipped_announcements(self) -> frozenset[date]:
        """The evenings (Sunday to Thursday) with no announcement because of a holiday."""
        evenings = set()
        for day in self.days:
            if day.weekday() in (_FRIDAY, _FRIDAY + 1):  # Friday, Saturday: the Sunday after
                day += timedelta(days=_SUNDAY - day.weekday())
            evenings.add(day)
        return frozenset(evenings)


@cache
def holiday_table() -> HolidayTable:
    """The holiday table shipped in this package; raises ValueError naming the file
    and the problem when it cannot be read."""
    where = f"{_PACKAGE}/{_HOLIDAYS_FILE}"
    try:
        text = resources.files(_PACKAGE).joinpath(_HOLIDAYS_FILE).read_text(encoding="utf-8")
        data = tomllib.loads(text)
        days: set[date] = set()
        provisional: set[int] = set()
        for year, entry in data["years"].items():
            listed = entry["days"]
            if not all(isinstance(d, date) and d.year == int(year) for d in listed):
                raise ValueError(f"year {year} lists a day that is not a date of {year}")
            days.update(listed)
            if not entry.get("published", True):
                provisional.add(int(year))
        return HolidayTable(str(data["source"]), frozenset(days), frozenset(provisional))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f"{where}: cannot read arXiv's holidays ({exc!r})") from None
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None


@cache
def _skipped() -> frozenset[date]:
    return holiday_table().skipped_announcements()


def is_listing_day(day: date) -> bool:
    """Whether arXiv publishes a listing dated ``day``: a weekday whose announcement
    (20:00 Eastern the evening before) is not skipped for a holiday."""
    return day.weekday() <= _FRIDAY and (day - timedelta(days=1)) not in _skipped()


def listing_day(submitted: datetime) -> date:
    """The listing day of a submission received at ``submitted`` (timezone-aware)."""
    local = submitted.astimezone(EASTERN)
    day = local.date()
    if local.time() >= DEADLINE or day.weekday() > _FRIDAY:
        day = _next_weekday(day)
    return next_listing(day)  # the first listing after the deadline day


def deadline_of(listing: date) -> datetime:
    """When submissions for ``listing`` closed (UTC): 14:00 Eastern on the weekday before."""
    return datetime.combine(_previous_weekday(listing), DEADLINE, EASTERN).astimezone(UTC)


def announcement_at(listing: date) -> datetime:
    """When ``listing`` is announced (UTC): 20:00 Eastern on the evening before."""
    evening = listing - timedelta(days=1)
    return datetime.combine(evening, ANNOUNCEMENT, EASTERN).astimezone(UTC)


def submission_window(first: date, last: date) -> tuple[datetime, datetime]:
    """The [start, end) of submissions listed on the listing days ``first`` .. ``last``."""
    return deadline_of(previous_listing(first)), deadline_of(last)


def latest_listing(now: datetime) -> date:
    """The most recent listing day already announced at ``now``."""
    candidate = next_listing(now.astimezone(EASTERN).date())
    while announcement_at(candidate) > now:
        candidate = previous_listing(candidate)
    return candidate


def next_listing(day: date) -> date:
    """The first listing day after ``day``."""
    day += timedelta(days=1)
    while not is_listing_day(day):
        day += timedelta(days=1)
    return day


def previous_listing(day: date) -> date:
    """The last listing day before ``day``."""
    day -= timedelta(days=1)
    while not is_listing_day(day):
        day -= timedelta(days=1)
    return day


def listing_days(first: date, last: date) -> list[date]:
    """Every listing day from ``first`` to ``last`` inclusive."""
    days: list[date] = []
    day = first if is_listing_day(first) else next_listing(first)
    while day <= last:
        days.append(day)
        day = next_listing(day)
    return days


def _next_weekday(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() > _FRIDAY:
        day += timedelta(days=1)
    return day


def _previous_weekday(day: date) -> date:
    day -= timedelta(days=1)
    while day.weekday() > _FRIDAY:
        day -= timedelta(days=1)
    return day
