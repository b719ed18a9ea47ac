"""``paperwire serve``: the web app under uvicorn, with the scheduled sync beside it."""

from __future__ import annotations

import logging
import os
import signal
from pathlib import Path
from types import FrameType

import click
import uvicorn

from paperwire.application.jobs import start_jobs
from paperwire.cli.options import db_option, open_cli_store
from paperwire.config import SettingsError
from paperwire.mail.settings import smtp_configured
from paperwire.store import StoreLocation

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
    db_path: StoreLocation | None,
) -> None:
    """Serve the web pages, the JSON API and the feeds at http://HOST:PORT.

    Each worker opens the store; pages for visitors who are not logged in are
    cached until the store changes. With --sync, one background thread in this
    process runs the scheduled sync (arXiv's new listings from each announcement
    at 20:00 US Eastern until they show it, its feed after midnight, Hugging Face
    every 15 minutes), then sends the digests that are due, and the pages say
    when a sync failed.

    \b
    Example:
      paperwire serve --port 8000 --workers 2 --sync
    """
    store = open_cli_store(db_path)  # fails early, with advice, on a bad store
    if db_path is not None:
        where = db_path.resolve() if isinstance(db_path, Path) else db_path
        os.environ["PAPERWIRE_DB"] = str(where)
    if not smtp_configured():
        log.warning(
            "mail is not configured (PAPERWIRE_SMTP_HOST is unset): this server sends no "
            "mail, and its subscription box says so"
        )
    try:
        jobs = start_jobs(store) if background_sync else None
    except SettingsError as exc:
        store.close()
        raise click.ClickException(str(exc)) from None
    if jobs is None:
        store.close()
    click.echo(f"paperwire: serving at http://{host}:{port}/ (Ctrl-C stops)", err=True)
    terminated = False
    signal.signal(signal.SIGTERM, _terminate)
    try:
        uvicorn.run(
            "paperwire.web.asgi:make_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            access_log=access_log,
            server_header=False,
            date_header=False,  # the app dates each response (web.date_header)
            log_level="info",
        )
    except _Terminated:
        terminated = True
    finally:
        if jobs is not None:
            jobs.stop()  # this node's heartbeat goes with it
            store.close()
    if terminated:
        # Exit as killed by SIGTERM, as service managers expect of a clean stop.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.raise_signal(signal.SIGTERM)


class _Terminated(Exception):
    """SIGTERM arrived: uvicorn shut down gracefully and raised it again."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    # uvicorn restores this handler after its graceful shutdown and raises SIGTERM again;
    # the default handler would end the process before the jobs stop.
    raise _Terminated
