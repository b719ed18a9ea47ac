"""``paperwire worker``: the background jobs (sync, digests, search upkeep) without a web server."""

from __future__ import annotations

import logging
import signal
import threading

import click

from paperwire.application.jobs import run_jobs_once, start_jobs
from paperwire.cli.options import db_option, open_cli_store
from paperwire.config import SettingsError, load_settings
from paperwire.ingest.sync import ALL_SOURCES
from paperwire.search.service import EmbeddingUnavailable, IndexModelMismatch, SearchService
from paperwire.store import PaperStore, StoreLocation

__all__ = ["worker_command"]

log = logging.getLogger(__name__)
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.command("worker", context_settings=CONTEXT)
@click.option(
    "--once",
    is_flag=True,
    help="Run one sync (arXiv's new listings, its feed, Hugging Face) and the digests "
    "due, then exit (cron).",
)
@db_option
def worker_command(once: bool, db_path: StoreLocation | None) -> None:
    """Run the scheduled jobs: sync arXiv and Hugging Face, then send the digests due.

    The worker also keeps this node's search index following the store, and
    takes its turn at embedding the papers a keyword index is waiting for.

    Web nodes then need no --sync. Any number of workers and servers may
    share one store: a lock per kind of job (held in PostgreSQL, or on a
    file beside a SQLite store) runs each kind one at a time, and a job
    whose lock is taken is skipped until its next turn. SIGTERM or Ctrl-C
    stops the worker between jobs.

    \b
    Example:
      PAPERWIRE_DATABASE_URL=postgresql://paperwire@db/paperwire paperwire worker
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    store = open_cli_store(db_path)
    search = _search_service(store, db_path)
    try:
        if once:
            report = run_jobs_once(store, ALL_SOURCES)
            if search is not None:
                search.catch_up()
            if report is None:
                click.echo("another node is syncing: nothing done", err=True)
            elif not report.ok:
                raise click.ClickException("; ".join(s.error for s in report.steps if s.error))
            return
        _run_until_stopped(store, search)
    finally:
        store.close()


def _search_service(store: PaperStore, db_path: StoreLocation | None) -> SearchService | None:
    """This node's search service, or None (logged) where its index's model cannot load:
    the sync and the digests go on without it."""
    settings = load_settings()
    try:
        return SearchService(
            store,
            settings,
            settings.index_dir_for(db_path),
            threads=1,
            refresh_seconds=settings.index_refresh_seconds,
        )
    except (EmbeddingUnavailable, IndexModelMismatch) as exc:
        log.error("this worker keeps no search index: %s", exc)
        return None


def _run_until_stopped(store: PaperStore, search: SearchService | None) -> None:
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    try:
        jobs = start_jobs(store)
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    if search is not None:
        search.start()
    click.echo("paperwire worker: running the scheduled jobs (Ctrl-C stops)", err=True)
    stopped.wait()
    if search is not None:
        search.stop()
    jobs.stop(timeout=60)
