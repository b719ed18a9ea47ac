"""``paperwire refresh code``, ``refresh artifacts`` and ``refresh thumbnails``: GitHub
stars, Hub artifacts and papers' thumbnails now."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import click

from paperwire.application import artifacts as artifact_jobs
from paperwire.application import code_activity
from paperwire.application import thumbnails as thumbnail_jobs
from paperwire.cli.options import (
    counted_progress,
    db_option,
    emit_json,
    json_option,
    open_cli_store,
)
from paperwire.config import load_settings
from paperwire.ingest.github_client import GithubClient
from paperwire.ingest.hub_client import HubClient
from paperwire.store import PaperStore, StoreLocation
from paperwire.store.locks import JobBusy

__all__ = ["refresh_group"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group("refresh", context_settings=CONTEXT)
def refresh_group() -> None:
    """Refresh code activity (GitHub stars), linked artifacts (Hugging Face Hub) or thumbnails.

    Each exits with status 1 when it stopped early (the host unreachable, the
    rate limit spent); what it asked before then is stored.

    \b
    Examples:
      paperwire refresh code
      paperwire refresh artifacts --cap 50
      paperwire refresh thumbnails --cap 20
    """


def _cap_option(default: int, help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--cap", type=click.IntRange(min=1), default=default, show_default=True, help=help
    )


@refresh_group.command("code", context_settings=CONTEXT)
@_cap_option(code_activity.DEFAULT_CAP, "Most repositories asked in this run.")
@click.option(
    "--max-wait",
    type=click.FloatRange(min=0),
    default=3600.0,
    show_default=True,
    help="Seconds to wait for GitHub's rate limit to reset before stopping.",
)
@db_option
@json_option
def refresh_code_command(
    cap: int, max_wait: float, db_path: StoreLocation | None, json_out: str | None
) -> None:
    """Refresh the GitHub stars of recent and trending papers (each repository once a day).

    Asks about the repositories of papers listed in the last 30 days and of
    the top 200 trending papers, never-asked first. Without a token GitHub
    allows 60 requests an hour (about 1,400 repositories a day when the
    background job runs hourly); with PAPERWIRE_GITHUB_TOKEN, 5,000.

    \b
    Example:
      PAPERWIRE_GITHUB_TOKEN=ghp_... paperwire refresh code --cap 500
    """
    settings = load_settings()
    if not settings.github_api_url:
        raise click.ClickException("GitHub is switched off (PAPERWIRE_GITHUB_API_URL is empty)")
    click.echo(_coverage(settings.github_token), err=True)
    with (
        _refresh_store(db_path) as store,
        GithubClient.from_settings(settings, max_wait=max_wait) as client,
        _bar("asking GitHub") as (on_plan, advance),
    ):
        report = code_activity.refresh_code(
            store,
            client,
            datetime.now(UTC).date(),
            cap=cap,
            progress=advance,
            on_plan=on_plan,
        )
    _finish(report, json_out, "refused", report.refused, renamed=report.renamed)


@refresh_group.command("artifacts", context_settings=CONTEXT)
@_cap_option(artifact_jobs.DEFAULT_CAP, "Most papers asked about in this run.")
@db_option
@json_option
def refresh_artifacts_command(
    cap: int, db_path: StoreLocation | None, json_out: str | None
) -> None:
    """Refresh which Hub models, datasets and Spaces cite recent and trending papers.

    Each paper listed in the last 30 days, and each of the top 200 trending,
    is asked about at most once a day.

    \b
    Example:
      paperwire refresh artifacts --cap 50
    """
    settings = load_settings()
    if not settings.hub_api_url:
        raise click.ClickException("the Hub is switched off (PAPERWIRE_HUB_API_URL is empty)")
    with (
        _refresh_store(db_path) as store,
        HubClient.from_settings(settings) as client,
        _bar("asking the Hugging Face Hub") as (on_plan, advance),
    ):
        report = artifact_jobs.refresh_artifacts(
            store, client, cap=cap, progress=advance, on_plan=on_plan
        )
    _finish(report, json_out, "refused", report.refused)


@refresh_group.command("thumbnails", context_settings=CONTEXT)
@_cap_option(100, "Most PDFs fetched in this run (one every PAPERWIRE_ARXIV_INTERVAL seconds).")
@db_option
@json_option
def refresh_thumbnails_command(
    cap: int, db_path: StoreLocation | None, json_out: str | None
) -> None:
    """Make thumbnails of the papers people are likely to see, from their PDFs.

    The top of each day's feed over the last 14 days, the papers readers
    upvoted, saved, marked seen or opened, and the last 14 days' papers by the
    authors and organisations they follow; never a bulk backfill. A paper is fetched
    once: a 404, a corrupt or an oversized PDF is recorded and not asked again.

    \b
    Example:
      paperwire refresh thumbnails --cap 20
    """
    settings = load_settings()
    if not settings.pdf_url:
        raise click.ClickException("thumbnails are switched off (PAPERWIRE_PDF_URL is empty)")
    with _refresh_store(db_path) as store:
        report = thumbnail_jobs.refresh_thumbnails(
            store, settings, datetime.now(UTC).date(), cap=cap
        )
    _finish(report, json_out, "no thumbnail", report.problems)


@contextmanager
def _refresh_store(db_path: StoreLocation | None) -> Iterator[PaperStore]:
    store = open_cli_store(db_path)
    try:
        yield store
    except JobBusy as exc:
        # The background job (serve --sync or worker) runs the same refresh under the same
        # lock on every node: the command has nothing to add while it runs.
        raise click.ClickException(f"{exc}; nothing was asked, try again when it is done") from exc
    finally:
        store.close()


def _finish(
    report: Any,
    json_out: str | None,
    problem: str,
    problems: Iterable[str],
    renamed: Iterable[str] = (),
) -> None:
    """Print a refresh's summary, its renames and its problems (``problem: line``, on
    standard error), write its figures, and fail when it stopped early."""
    click.echo(report.summary())
    for line in renamed:
        click.echo(f"renamed: {line}")
    for line in problems:
        click.echo(f"{problem}: {line}", err=True)
    emit_json(_figures(report), json_out)
    if report.stopped:
        # A run cut short is a failure a cron job must see; its summary is printed above.
        raise click.ClickException(f"stopped early: {report.stopped}; run it again later")


def _coverage(token: str | None) -> str:
    if token:
        return "GitHub: with a token, 5,000 requests an hour"
    return (
        "GitHub: no token, 60 requests an hour (set PAPERWIRE_GITHUB_TOKEN for 5,000); "
        "the rest waits for the reset"
    )


@contextmanager
def _bar(label: str) -> Iterator[tuple[Callable[[int], None], Callable[[int], None]]]:
    with counted_progress() as bar:
        task = bar.add_task(label, total=None)

        def on_plan(total: int) -> None:
            bar.update(task, total=total)

        def advance(step: int) -> None:
            bar.advance(task, step)

        yield on_plan, advance


def _figures(report: Any) -> dict[str, Any]:
    return {name: getattr(report, name) for name in report.__slots__}
