"""``paperwire bench freshness`` end to end at a small size: a simulated week with a
holiday and a late announcement, both schedules measured in the same run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperwire.cli.main import cli


@pytest.mark.slow
def test_the_polling_schedule_has_every_announcement_in_within_ten_minutes(
    tmp_path: Path,
) -> None:
    out = tmp_path / "freshness.json"
    result = CliRunner().invoke(
        cli,
        ["bench", "freshness", "--synthetic", "--start", "2026-11-25", "--days", "6",
         "--papers", "6", "--late-minutes", "40", "--json", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text())
    # Thanksgiving (Thursday 26 November) has no announcement, so no Friday listing.
    assert figures["listing_days"] == ["2026-11-26", "2026-11-30", "2026-12-01"]
    assert figures["holidays_in_week"] == ["2026-11-26"]
    assert figures["announced_late_s"]["2026-12-01"] >= 40 * 60
    polling, before = (figures["schedules"][name] for name in sorted(figures["schedules"])[::-1])
    assert polling["arxiv"]["never"] == 0 and polling["arxiv"]["count"] == 3
    assert 0 < figures["polling_p50_s"] <= figures["polling_max_s"] <= 600 and figures["met"]
    # The schedule before polling, measured in the same run: half an hour, and the late
    # announcement missed until the next evening's feed (or the end of the week).
    assert figures["before_p50_s"] >= 1500
    late = before["arxiv_delay_by_listing_s"]["2026-12-01"]
    assert late is None or late > 3600
    assert polling["hf"]["max_s"] <= 15 * 60 + 60 < before["hf"]["max_s"]
