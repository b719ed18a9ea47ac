"""``paperwire serve``: the web app under uvicorn, with the scheduled sync beside it."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

import click
import uvicorn

from paperwire.cli.options import db_option, open_cli_store
from paperwire.config import load_settings
from paperwire.ingest.schedule import SyncScheduler
from paperwire.ingest.sync import SyncReport, sync
from paperwire.mail.run import scheduled_digests
from paperwire.store import SQLiteStore
from paperwire.web.syncnotice import record_sync_report

__all__ = ["serve_command"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
log = logging.getLogger(__name__)


@click.command("serve", context_settings=CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Processes."
)
@click.option(
    "--sync/--no-sync",
    "background_sync",
    default=False,
    show_default=True,
    help="Keep the store in sync with arXiv and Hugging Face while serving.",
)
@click.option("--access-log/--no-access-log", default=True, show_default=True)
@db_option
def serve_command(
    host: str,
    port: int,
    workers: int,
    background_sync: bool,
    access_log: bool,
    db_path: Path | None,
) -> None:
    """Serve the web pages, the JSON API and the feeds at http://HOST:PORT.

    Each worker opens the store; pages for visitors who are not logged in are
    cached until the store changes. With --sync, one background thread in this
    process runs the scheduled sync (arXiv after each announcement, Hugging
    Face hourly), then sends the digests that are due, and the pages say when
    a sync failed.

    \b
    Example:
      paperwire serve --port 8000 --workers 2 --sync
    """
    store = open_cli_store(db_path)  # fails early, with advice, on a bad store
    if db_path is not None:
        os.environ["PAPERWIRE_DB"] = str(db_path.resolve())
    scheduler = _start_sync(store) if background_sync else None
    if scheduler is None:
        store.close()
    click.echo(f"paperwire: serving at http://{host}:{port}/ (Ctrl-C stops)", err=True)
    try:
        uvicorn.run(
            "paperwire.web.asgi:make_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            access_log=access_log,
            server_header=False,
            log_level="info",
        )
    finally:
        if scheduler is not None:
            scheduler.stop()
            store.close()


def _start_sync(store: SQLiteStore) -> SyncScheduler:
    settings = load_settings()

    def job(sources: Sequence[str]) -> SyncReport:
        report = sync(store, settings, sources=sources)
        record_sync_report(store, report)
        _send_due_digests(store)
        return report

    scheduler = SyncScheduler(job)
    scheduler.start()
    return scheduler


def _send_due_digests(store: SQLiteStore) -> None:
    # Digests follow each sync so they carry the newest papers; the outbox keys one
    # message per subscriber and period, so running this hourly sends each once.
    try:
        scheduled_digests(store, load_settings())
    except Exception:
        log.exception("scheduled digest run failed; the next sync retries it")
