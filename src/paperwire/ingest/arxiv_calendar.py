"""arXiv's announcement calendar: which listing day a submission appears in.

arXiv takes submissions until 14:00 US/Eastern on weekdays and announces
them at 20:00 Eastern, Sunday to Thursday; the listing (and the RSS feed,
refreshed at midnight) carries the next day's date. So:

    deadline (14:00 ET)   announced (20:00 ET)   listing day
    Monday                Monday                 Tuesday
    ...                   ...                    ...
    Thursday              Thursday               Friday
    Friday                Sunday                 Monday

A listing day is therefore Monday to Friday, and its submissions are those
received after the previous listing's deadline and before its own. Holidays
shift the real schedule by a day now and then; they are not modelled here,
so a listing day computed for a holiday week can be early, which is why
papers read from the RSS feed itself are preferred where they exist.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "EASTERN",
    "announcement_at",
    "deadline_of",
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


def listing_day(submitted: datetime) -> date:
    """The listing day of a submission received at ``submitted`` (timezone-aware)."""
    local = submitted.astimezone(EASTERN)
    day = local.date()
    if local.time() >= DEADLINE or day.weekday() > _FRIDAY:
        day = _next_weekday(day)
    return next_listing(day)  # the listing after the deadline day


def deadline_of(listing: date) -> datetime:
    """When submissions for ``listing`` closed (UTC)."""
    deadline_day = previous_listing(listing)
    return datetime.combine(deadline_day, DEADLINE, EASTERN).astimezone(UTC)


def announcement_at(listing: date) -> datetime:
    """When ``listing`` was announced (UTC): 20:00 Eastern on the evening before."""
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


def is_listing_day(day: date) -> bool:
    """Whether arXiv announces a listing dated ``day``: Monday to Friday (holidays
    are not modelled here yet, see the module's docstring)."""
    return day.weekday() <= _FRIDAY


def next_listing(day: date) -> date:
    """The first listing day after ``day``."""
    return _next_weekday(day)


def previous_listing(day: date) -> date:
    """The last listing day before ``day``."""
    day -= timedelta(days=1)
    while day.weekday() > _FRIDAY:
        day -= timedelta(days=1)
    return day


def listing_days(first: date, last: date) -> list[date]:
    """Every listing day from ``first`` to ``last`` inclusive."""
    days: list[date] = []
    day = first if first.weekday() <= _FRIDAY else next_listing(first)
    while day <= last:
        days.append(day)
        day = next_listing(day)
    return days


def _next_weekday(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() > _FRIDAY:
        day += timedelta(days=1)
    return day
