"""The spans a feed can show: one day, an ISO week or a month, parsed from the query.

``?date=2026-11-24``, ``?week=2026-W47`` and ``?month=2026-11`` are the forms
Hugging Face's own pages and API use; each gives the first and last day it
covers and a label, and its neighbours for previous/next links.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from paperwire.web.render.page_helpers import BadParameter
from paperwire.web.render.text import long_day

__all__ = ["Period", "day_period", "month_period", "parse_period", "week_period"]

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_FIRST_YEAR, _LAST_YEAR = 1900, 2999  # neighbours of any period stay valid dates


@dataclass(frozen=True, slots=True)
class Period:
    kind: str  # "date", "week" or "month"
    first: date
    last: date

    @property
    def param(self) -> str:
        """The query value that names this period."""
        if self.kind == "date":
            return self.first.isoformat()
        if self.kind == "week":
            year, week, _ = self.first.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{self.first.year}-{self.first.month:02d}"

    @property
    def query(self) -> str:
        return f"{self.kind}={self.param}"

    @property
    def label(self) -> str:
        if self.kind == "date":
            return long_day(self.first)
        if self.kind == "week":
            year, week, _ = self.first.isocalendar()
            first, last = self.first, self.last
            return f"Week {week}, {year} ({first:%b} {first.day} to {last:%b} {last.day})"
        return f"{calendar.month_name[self.first.month]} {self.first.year}"

    def shifted(self, steps: int) -> Period:
        """The period ``steps`` weeks or months away (days are moved by listing days instead)."""
        if self.kind == "week":
            return week_period(self.first + timedelta(weeks=steps))
        if self.kind == "month":
            month = self.first.year * 12 + self.first.month - 1 + steps
            return month_period(month // 12, month % 12 + 1)
        return day_period(self.first + timedelta(days=steps))


def day_period(day: date) -> Period:
    return Period("date", day, day)


def week_period(day: date) -> Period:
    monday = day - timedelta(days=day.weekday())
    return Period("week", monday, monday + timedelta(days=6))


def month_period(year: int, month: int) -> Period:
    return Period(
        "month", date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    )


def parse_period(day: str | None, week: str | None, month: str | None) -> Period | None:
    """The period the query names, None when it names none; BadParameter when malformed."""
    given = [(n, v) for n, v in (("date", day), ("week", week), ("month", month)) if v]
    if len(given) > 1:
        raise BadParameter(given[1][0], "give only one of date, week and month")
    if not given:
        return None
    name, value = given[0]
    if not value[:4].isdigit() or not _FIRST_YEAR <= int(value[:4]) <= _LAST_YEAR:
        raise BadParameter(name, f"{name} must be in the years {_FIRST_YEAR} to {_LAST_YEAR}")
    try:
        if name == "date":
            if not _DAY.match(value):
                raise ValueError
            return day_period(date.fromisoformat(value))
        if name == "week":
            matched = _WEEK.match(value)
            if not matched:
                raise ValueError
            return week_period(date.fromisocalendar(int(matched[1]), int(matched[2]), 1))
        matched = _MONTH.match(value)
        if not matched or not 1 <= int(matched[2]) <= 12:
            raise ValueError
        return month_period(int(matched[1]), int(matched[2]))
    except ValueError:
        shapes = {"date": "2026-11-24", "week": "2026-W47", "month": "2026-11"}
        raise BadParameter(name, f"{name} must look like {shapes[name]}, not {value!r}") from None
