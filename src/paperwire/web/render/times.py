"""A stored moment as readers see it: an HTML ``<time>`` in the display time zone.

"Dec 1, 2026, 21:48 EST", the day as ``long_day`` writes it, then the clock time and
the zone's abbreviation in ``PAPERWIRE_DISPLAY_TIMEZONE`` (the sync notice's zone),
with the exact UTC instant in the element's ``datetime`` attribute for machines.
The day is always written out, so a page kept by the page cache stays right the
next day.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from markupsafe import Markup

from paperwire.web.render.text import long_day

__all__ = ["readable_time", "time_html"]


def readable_time(moment: float, zone: tzinfo) -> str:
    """``moment`` (seconds since the epoch) as "Dec 1, 2026, 21:48 EST" in ``zone``."""
    local = datetime.fromtimestamp(moment, UTC).astimezone(zone)
    return f"{long_day(local.date())}, {local:%H:%M} {local.tzname() or zone}"


def time_html(moment: float, zone: tzinfo) -> Markup:
    """``<time datetime="2026-12-01T02:48:40Z">Nov 30, 2026, 21:48 EST</time>``."""
    exact = datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds")
    return Markup('<time datetime="{}">{}</time>').format(
        exact.replace("+00:00", "Z"), readable_time(moment, zone)
    )
