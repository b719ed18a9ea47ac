"""Refreshing linked artifacts: which Hub models, datasets and Spaces cite each paper.

Schedule: each paper listed in the last ``RECENT_DAYS`` days, and each of the
top ``TOP_TRENDING`` trending papers, is asked about at most once every
``REFRESH_HOURS`` hours, the never-asked first, up to ``DEFAULT_CAP`` papers a
run (three requests each, more for a paper with many artifacts); the
background job runs it every six hours. A paper's list is replaced whole only
when all three of its answers were good: a refused answer leaves what was
stored before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from paperwire.application.code_activity import RECENT_DAYS, TOP_TRENDING
from paperwire.ingest.http import FetchError
from paperwire.ingest.hub_client import HubClient, HubError
from paperwire.rank.trending import DEFAULT_WEIGHTS, rank_trending, window_start
from paperwire.store.base import PaperStore

__all__ = [
    "ARTIFACT_JOB",
    "DEFAULT_CAP",
    "REFRESH_HOURS",
    "ArtifactRefreshReport",
    "artifact_plan",
    "refresh_artifacts",
]

ARTIFACT_JOB = "artifact refresh"
DEFAULT_CAP = 300
REFRESH_HOURS = 24


@dataclass(slots=True)
class ArtifactRefreshReport:
    planned: int = 0
    papers: int = 0  # papers whose list was stored
    artifacts: int = 0
    refused: list[str] = field(default_factory=list)
    stopped: str | None = None

    def summary(self) -> str:
        text = (
            f"{self.papers:,} of {self.planned:,} papers asked about, "
            f"{self.artifacts:,} artifacts stored"
        )
        if self.refused:
            text += f", {len(self.refused)} refused"
        return text + (f"; stopped: {self.stopped}" if self.stopped else "")


def artifact_plan(store: PaperStore, now: datetime, *, cap: int = DEFAULT_CAP) -> list[str]:
    """The arXiv papers to ask about in this run, in order."""
    today = now.date()
    reference = store.latest_listed_day(today)
    ids: list[str] = []
    if reference is not None:
        rows = store.trending_rows(window_start(reference, DEFAULT_WEIGHTS), reference)
        ids += [s.paper_id for s in rank_trending(rows, reference)[:TOP_TRENDING]]
    first = today - timedelta(days=RECENT_DAYS)
    ids += store.listed_ids(first, today)
    ids = [i for i in dict.fromkeys(ids) if ":" not in i]  # arXiv ids only
    fresh = store.artifacts_checked_since(ids, now - timedelta(hours=REFRESH_HOURS))
    return [i for i in ids if i not in fresh][:cap]


def refresh_artifacts(
    store: PaperStore,
    client: HubClient,
    now: datetime | None = None,
    *,
    cap: int = DEFAULT_CAP,
    progress: Callable[[int], None] | None = None,
    on_plan: Callable[[int], None] | None = None,
) -> ArtifactRefreshReport:
    """Ask the Hub about this run's papers (``artifact_plan``) and store each paper's list.
    Holds the job lock ``ARTIFACT_JOB`` (``JobBusy`` when another node runs it)."""
    when = now or datetime.now(UTC)
    with store.job_lock(ARTIFACT_JOB):
        return _refresh(store, client, when, cap, progress, on_plan)


def _refresh(
    store: PaperStore,
    client: HubClient,
    when: datetime,
    cap: int,
    progress: Callable[[int], None] | None,
    on_plan: Callable[[int], None] | None,
) -> ArtifactRefreshReport:
    plan = artifact_plan(store, when, cap=cap)
    report = ArtifactRefreshReport(planned=len(plan))
    if on_plan is not None:
        on_plan(len(plan))
    for paper_id in plan:
        try:
            found = client.citing(paper_id)
        except HubError as exc:
            report.refused.append(f"{paper_id}: {exc}")
        except FetchError as exc:
            report.stopped = str(exc)
            break
        else:
            report.artifacts += store.replace_artifacts(paper_id, found, when)
            report.papers += 1
        if progress is not None:
            progress(1)
    return report
