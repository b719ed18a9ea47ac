"""The schedule of the code-activity and artifact refreshes inside the background job.

The background job (``application/jobs.py``) calls ``run_due_refreshes`` after
each sync, that is at least hourly. GitHub stars are refreshed when an hour has
passed since the last run (each repository still at most once a day: an hour
is the span of GitHub's rate limit, so a run the limit stopped goes on in the
next hour); Hub artifacts every ``ARTIFACTS_EVERY`` (each paper at most once a
day); thumbnails hourly, ``THUMBNAILS_CAP`` PDFs at most
(``application/thumbnails.py``). Each refresh holds its own job lock, so one
node at a time runs it, and a refresh whose lock is held elsewhere is skipped.
The time of each last run is sync state, shared by every node. Nothing here
raises: a failure is logged and tried at the next turn.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from paperwire.application import artifacts, code_activity, thumbnails
from paperwire.config import Settings
from paperwire.ingest.github_client import GithubClient
from paperwire.ingest.hub_client import HubClient
from paperwire.store.base import PaperStore
from paperwire.store.locks import JobBusy

__all__ = [
    "ARTIFACTS_EVERY",
    "CODE_EVERY",
    "JOB_CAP",
    "THUMBNAILS_CAP",
    "THUMBNAILS_EVERY",
    "run_due_refreshes",
]

log = logging.getLogger(__name__)

CODE_EVERY = timedelta(hours=1)
ARTIFACTS_EVERY = timedelta(hours=6)
JOB_CAP = 500  # repositories, or papers, per run of the background job
JOB_MAX_WAIT = 60.0  # seconds the job waits for GitHub's rate limit; the next hour goes on
_LAST_CODE = "code.last_run"
_LAST_ARTIFACTS = "artifacts.last_run"
THUMBNAILS_EVERY = timedelta(hours=1)
THUMBNAILS_CAP = 100  # PDFs per run: five minutes at arXiv's pace, behind the sync
_LAST_THUMBNAILS = "thumbnails.last_run"


def run_due_refreshes(store: PaperStore, settings: Settings, now: datetime | None = None) -> None:
    """Run the code, artifact and thumbnail refreshes that are due (see the module docstring)."""
    when = now or datetime.now(UTC)
    if settings.pdf_url and _due(store, _LAST_THUMBNAILS, THUMBNAILS_EVERY, when):
        _run(store, _LAST_THUMBNAILS, when, lambda: _refresh_thumbnails(store, settings, when))
    if settings.github_api_url and _due(store, _LAST_CODE, CODE_EVERY, when):
        _run(store, _LAST_CODE, when, lambda: _refresh_code(store, settings, when))
    if settings.hub_api_url and _due(store, _LAST_ARTIFACTS, ARTIFACTS_EVERY, when):
        _run(store, _LAST_ARTIFACTS, when, lambda: _refresh_artifacts(store, settings, when))


def _due(store: PaperStore, key: str, every: timedelta, now: datetime) -> bool:
    last = store.get_sync_state(key)
    try:
        return last is None or datetime.fromisoformat(last) + every <= now
    except ValueError:
        return True


def _run(store: PaperStore, key: str, now: datetime, refresh: Callable[[], str]) -> None:
    try:
        summary = refresh()
    except JobBusy as exc:
        log.info("%s skipped: %s", key, exc)
        return
    except Exception:
        log.exception("%s failed; the next turn tries again", key)
        return
    store.set_sync_state(key, now.isoformat(timespec="seconds"))
    log.info("%s: %s", key, summary)


def _refresh_code(store: PaperStore, settings: Settings, now: datetime) -> str:
    with GithubClient.from_settings(settings, max_wait=JOB_MAX_WAIT) as client:
        return code_activity.refresh_code(store, client, now.date(), cap=JOB_CAP).summary()


def _refresh_thumbnails(store: PaperStore, settings: Settings, now: datetime) -> str:
    return thumbnails.refresh_thumbnails(store, settings, now.date(), THUMBNAILS_CAP).summary()


def _refresh_artifacts(store: PaperStore, settings: Settings, now: datetime) -> str:
    with HubClient.from_settings(settings) as client:
        return artifacts.refresh_artifacts(store, client, now, cap=JOB_CAP).summary()
