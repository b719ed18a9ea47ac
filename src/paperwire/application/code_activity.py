"""Refreshing code activity: GitHub stars of the papers that matter now, once a day.

Which papers: those listed in the last ``RECENT_DAYS`` days and the top
``TOP_TRENDING`` of today's trending ranking, each through its first GitHub link
(the one pages show as the paper's code). Each repository is asked at most once
a day, the never-asked first, then the longest unasked, up to a cap per run; a
repository GitHub said is gone (404) is not asked again. A renamed repository
is asked by its new name from then on, and pages link to that name. The count
GitHub gives becomes the paper's own ``github_stars`` (``set_github_stars``), so
every list, feed and API shows it, not the count the paper was imported with.

Coverage: without a token GitHub allows 60 requests an hour, so a run stops
when the hour's budget is spent (``RateLimited``) and the next run, an hour
later, goes on: about 1,400 repositories a day. With a token (5,000 an hour)
one run covers up to its cap (``DEFAULT_CAP``), and 304 answers to conditional
requests do not count against the limit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from paperwire.ingest.github_client import (
    GithubClient,
    GithubError,
    RateLimited,
    github_repo_name,
)
from paperwire.ingest.http import FetchError, HostNotAllowed
from paperwire.rank.trending import DEFAULT_WEIGHTS, TrendingWeights, rank_trending, window_start
from paperwire.store.base import PaperStore
from paperwire.store.code_records import CodeRepoState

__all__ = [
    "CODE_JOB",
    "DEFAULT_CAP",
    "RECENT_DAYS",
    "TOP_TRENDING",
    "CodeRefreshReport",
    "code_refresh_plan",
    "refresh_code",
]

CODE_JOB = "code refresh"
RECENT_DAYS = 30
TOP_TRENDING = 200
DEFAULT_CAP = 2000  # repositories per run: under an hour's budget with a token

Progress = Callable[[int], None]


@dataclass(slots=True)
class CodeRefreshReport:
    """What one run did; ``stopped`` says why it ended early (None: it did all it planned)."""

    planned: int = 0
    updated: int = 0
    unchanged: int = 0  # 304: stars as stored, recorded again for today
    renamed: list[str] = field(default_factory=list)  # "old -> new"
    gone: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # one message each
    stopped: str | None = None

    @property
    def done(self) -> int:
        return self.updated + self.unchanged + len(self.gone) + len(self.refused)

    def summary(self) -> str:
        parts = [
            f"{self.done:,} of {self.planned:,} repositories checked",
            f"{self.updated:,} updated",
            f"{self.unchanged:,} unchanged",
        ]
        if self.renamed:
            parts.append(f"{len(self.renamed)} renamed")
        if self.gone:
            parts.append(f"{len(self.gone)} gone")
        if self.refused:
            parts.append(f"{len(self.refused)} refused")
        text = ", ".join(parts)
        return text + (f"; stopped: {self.stopped}" if self.stopped else "")


def code_refresh_plan(
    store: PaperStore,
    today: date,
    *,
    cap: int = DEFAULT_CAP,
    weights: TrendingWeights = DEFAULT_WEIGHTS,
) -> list[tuple[str, list[str]]]:
    """The repositories to ask today, each with the papers it is the code of, in order."""
    ids = store.listed_ids(today - timedelta(days=RECENT_DAYS), today, with_code=True)
    reference = store.latest_listed_day(today)
    if reference is not None:
        rows = store.trending_rows(window_start(reference, weights), reference)
        ids += [s.paper_id for s in rank_trending(rows, reference, weights)[:TOP_TRENDING]]
    by_repo: dict[str, list[str]] = {}
    for paper in store.get_papers(dict.fromkeys(ids)).values():
        names = [n for n in map(github_repo_name, paper.github_repos) if n]
        if names:
            by_repo.setdefault(names[0].lower(), []).append(paper.id)
    states = store.code_repo_states(by_repo)
    due = []
    for repo, papers in by_repo.items():
        state = states.get(repo)
        if state is not None and (state.gone_on is not None or state.checked_on == today):
            continue
        last = state.checked_on if state is not None and state.checked_on else date.min
        due.append((last, repo, papers))
    due.sort(key=lambda item: (item[0], item[1]))
    return [(repo, papers) for _, repo, papers in due[:cap]]


def refresh_code(
    store: PaperStore,
    client: GithubClient,
    today: date,
    *,
    cap: int = DEFAULT_CAP,
    progress: Progress | None = None,
    on_plan: Callable[[int], None] | None = None,
) -> CodeRefreshReport:
    """Ask GitHub about today's repositories (``code_refresh_plan``) and store each answer
    at once, so a run cut short keeps what it did. Stops, saying why, when the rate
    limit is spent past the client's wait or the network fails. Holds the job lock
    ``CODE_JOB`` (``JobBusy`` when another node runs it)."""
    with store.job_lock(CODE_JOB):
        return _refresh(store, client, today, cap, progress, on_plan)


def _refresh(
    store: PaperStore,
    client: GithubClient,
    today: date,
    cap: int,
    progress: Progress | None,
    on_plan: Callable[[int], None] | None,
) -> CodeRefreshReport:
    plan = code_refresh_plan(store, today, cap=cap)
    report = CodeRefreshReport(planned=len(plan))
    if on_plan is not None:
        on_plan(len(plan))
    states = store.code_repo_states(repo for repo, _ in plan)
    for repo, papers in plan:
        before = states.get(repo) or CodeRepoState(repo)
        try:
            state = _check(client, before, today, report)
        except RateLimited as exc:
            report.stopped = str(exc)
            break
        except HostNotAllowed as exc:
            state = _refused(before, today, str(exc), report)
        except FetchError as exc:
            report.stopped = str(exc)
            break
        except GithubError as exc:
            state = _refused(before, today, str(exc), report)
        store.record_code_check(state, papers)
        if state.stars is not None and state.gone_on is None and state.problem is None:
            # Every list, feed and API reads the paper's own count: it becomes GitHub's.
            store.set_github_stars(papers, state.stars, today)
        if progress is not None:
            progress(1)
    return report


def _check(
    client: GithubClient, before: CodeRepoState, today: date, report: CodeRefreshReport
) -> CodeRepoState:
    asked = before.current_name or before.repo
    answer = client.repository(asked, before.etag if before.stars is not None else None)
    if answer.status == "gone":
        report.gone.append(before.repo)
        return CodeRepoState(before.repo, before.current_name, None, None, today, today)
    if answer.status == "not_modified":
        report.unchanged += 1
        return CodeRepoState(
            before.repo, before.current_name, before.stars, answer.etag or before.etag, today
        )
    report.updated += 1
    if answer.full_name and answer.full_name.lower() != asked.lower():
        report.renamed.append(f"{asked} -> {answer.full_name}")
    return CodeRepoState(before.repo, answer.full_name, answer.stars, answer.etag, today)


def _refused(
    before: CodeRepoState, today: date, problem: str, report: CodeRefreshReport
) -> CodeRepoState:
    report.refused.append(problem)
    return CodeRepoState(
        before.repo, before.current_name, before.stars, before.etag, today, None, problem
    )
