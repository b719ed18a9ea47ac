"""A topic's papers per week as a small SVG bar chart, drawn on the server (no script)."""

from __future__ import annotations

from markupsafe import Markup, escape

from paperwire.rank.topics import WeekCount

__all__ = ["weekly_chart"]

_WIDTH = 520
_HEIGHT = 120
_TOP = 14  # room for the largest count's label
_BOTTOM = 16  # room for the first and last week's dates


def weekly_chart(weeks: list[WeekCount], label: str) -> Markup:
    """An ``<svg>`` with one bar per week, titled for screen readers; empty without weeks.

    A week whose arXiv listings the store holds only in part (``WeekCount.partial``)
    has class ``partial`` (drawn pale) and says so in its title."""
    if not weeks:
        return Markup("")
    peak = max(w.papers for w in weeks) or 1
    step = _WIDTH / len(weeks)
    plot = _HEIGHT - _TOP - _BOTTOM
    bars = []
    for i, week in enumerate(weeks):
        height = round(plot * week.papers / peak, 1)
        y = _TOP + plot - height
        bars.append(
            f'<rect{_partial_class(week)} x="{i * step + 1:.1f}" y="{y:.1f}"'
            f' width="{max(step - 2, 1):.1f}" height="{height}">'
            f"<title>week of {week.start.isoformat()}: {week.papers} papers"
            f"{_coverage_note(week)}</title></rect>"
        )
    title = escape(f"Papers on {label} per week, {weeks[0].start} to {weeks[-1].start}")
    return Markup(
        f'<svg class="topic-chart" role="img" viewBox="0 0 {_WIDTH} {_HEIGHT}"'
        f' width="{_WIDTH}" height="{_HEIGHT}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{title}</title>"
        f'<text x="0" y="10">{peak} a week at most</text>'
        + "".join(bars)
        + f'<line x1="0" y1="{_TOP + plot + 0.5}" x2="{_WIDTH}" y2="{_TOP + plot + 0.5}"/>'
        + f'<text x="0" y="{_HEIGHT - 3}">{weeks[0].start.isoformat()}</text>'
        f'<text x="{_WIDTH}" y="{_HEIGHT - 3}" text-anchor="end">'
        f"{weeks[-1].start.isoformat()}</text></svg>"
    )


def _partial_class(week: WeekCount) -> str:
    return ' class="partial"' if week.partial else ""


def _coverage_note(week: WeekCount) -> str:
    if not week.partial:
        return ""
    return (
        f" (partial: this server holds {week.held_days} of arXiv's"
        f" {week.listing_days} listing days of that week)"
    )
