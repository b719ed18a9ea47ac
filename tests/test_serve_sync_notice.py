"""``paperwire serve`` as it runs: with ``--sync`` and the sources unreachable, pages carry
one plain line, the full error goes to the log and to ``/status``, and stopping the server
takes its heartbeat away; without SMTP settings it warns once at start, with them never."""

from __future__ import annotations

import html
import re
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from browser.serving import serving
from paperwire.cli.main import cli
from paperwire.ingest.heartbeat import read_heartbeat
from paperwire.store import SQLiteStore
from smtp_helpers import MailCatcher, smtp_server
from web_helpers import fill_store

REFUSED = "http://127.0.0.1:9"  # nothing listens there
MAIL_WARNING = "mail is not configured (PAPERWIRE_SMTP_HOST is unset)"
_NOTICE = re.compile(r'<div class="sync-notice"[^>]*><p>(.*?)</p></div>', re.S)


def _store(folder: Path) -> Path:
    db = folder / "store.db"
    fill_store(SQLiteStore(db)).close()
    return db


def _unreachable_sources() -> dict[str, str]:
    return {
        "PAPERWIRE_ARXIV_API_URL": REFUSED,
        "PAPERWIRE_ARXIV_OAI_URL": REFUSED,
        "PAPERWIRE_ARXIV_RSS_URL": REFUSED,
        "PAPERWIRE_HF_API_URL": REFUSED,
        "PAPERWIRE_ARXIV_INTERVAL": "0",
        "PAPERWIRE_HTTP_RETRIES": "0",
    }


def _notice_lines(url: str, seconds: float = 30.0) -> list[str]:
    """The sync notices of the home page, once one shows (the first sync runs at start)."""
    deadline = time.monotonic() + seconds
    while True:
        found = _NOTICE.findall(httpx.get(url + "/", timeout=10).text)
        if found or time.monotonic() > deadline:
            return [html.unescape(re.sub(r"<[^>]+>", "", line)) for line in found]
        time.sleep(0.2)


def test_serve_sync_with_the_sources_down(tmp_path: Path) -> None:
    db = _store(tmp_path)
    env = {**_unreachable_sources(), "PAPERWIRE_SMTP_HOST": ""}
    with serving(db, tmp_path, env, "--sync") as url:
        lines = _notice_lines(url)
        status = httpx.get(url + "/status", timeout=10).text
    assert len(lines) == 1, lines
    assert re.fullmatch(
        r"arXiv and Hugging Face unreachable since \d\d:\d\d E[SD]T; showing stored papers"
        r"; retrying at \d\d:\d\d",
        lines[0],
    ), lines[0]
    log = (tmp_path / "server.log").read_text()
    # The full error: in the log and on /status, never on the feed.
    assert "cannot reach 127.0.0.1:9" in log and "cannot reach 127.0.0.1:9" in status
    assert log.count(MAIL_WARNING) == 1
    # Stopped, the server took its heartbeat with it: no notice for the next server.
    store = SQLiteStore(db)
    try:
        assert not read_heartbeat(store, datetime.now(UTC)).alive
    finally:
        store.close()


def test_serve_without_sync_shows_no_notice_from_the_state_left_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _store(tmp_path)
    for name, value in _unreachable_sources().items():
        monkeypatch.setenv(name, value)
    failed = CliRunner().invoke(cli, ["sync", "--db", str(db)])  # say, from cron
    assert failed.exit_code == 1 and "cannot reach 127.0.0.1:9" in failed.output
    catcher = MailCatcher()
    with smtp_server(catcher) as port:
        env = {"PAPERWIRE_SMTP_HOST": "127.0.0.1", "PAPERWIRE_SMTP_PORT": str(port)}
        with serving(db, tmp_path, env) as url:
            page = httpx.get(url + "/", timeout=10).text
            status = httpx.get(url + "/status", timeout=10).text
    assert _NOTICE.findall(page) == [] and "cannot reach" not in page
    # The failure is on /status all the same, with nothing running to retry it.
    assert "cannot reach 127.0.0.1:9" in status and "No scheduler is running" in status
    assert MAIL_WARNING not in (tmp_path / "server.log").read_text()
