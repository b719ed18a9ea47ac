"""``paperwire refresh code|artifacts|thumbnails`` while another process runs the same
refresh (the background job on some node): a one-line advice and exit status 1, no
traceback and no request; once the lock is free the command runs. On both stores."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from paperwire.application.artifacts import ARTIFACT_JOB
from paperwire.application.code_activity import CODE_JOB
from paperwire.application.thumbnails import THUMBNAIL_JOB
from paperwire.cli.main import cli
from paperwire.store import StoreLocation, open_store_at
from replay_server import ReplayServer, replay_server
from web_helpers import fill_store

JOBS = {"code": CODE_JOB, "artifacts": ARTIFACT_JOB, "thumbnails": THUMBNAIL_JOB}


@pytest.fixture
def sources(monkeypatch: pytest.MonkeyPatch) -> Iterator[ReplayServer]:
    """GitHub, the Hub and the PDF host on one loopback server that knows nothing."""
    with replay_server() as server:
        for name in ("GITHUB_API_URL", "HUB_API_URL", "PDF_URL"):
            monkeypatch.setenv(f"PAPERWIRE_{name}", server.url)
        monkeypatch.setenv("PAPERWIRE_ARXIV_INTERVAL", "0")
        yield server


@pytest.mark.parametrize("command", sorted(JOBS))
def test_a_refresh_another_process_runs_gives_advice_and_exits_1(
    command: str, store_location: StoreLocation, sources: ReplayServer
) -> None:
    holder = fill_store(open_store_at(store_location))  # type: ignore[arg-type]
    try:
        with holder.job_lock(JOBS[command]):
            busy = CliRunner().invoke(cli, ["refresh", command, "--db", str(store_location)])
        assert busy.exit_code == 1, busy.output
        lines = busy.output.strip().splitlines()
        assert lines[-1].startswith(f"Error: another {JOBS[command]} is running"), lines
        assert "try again when it is done" in lines[-1]
        assert isinstance(busy.exception, SystemExit)  # a clean exit, not an error raised
        assert sources.seen == []  # nothing was asked
        # The lock released, the same command runs.
        free = CliRunner().invoke(cli, ["refresh", command, "--db", str(store_location)])
        assert free.exit_code == 0 and "is running" not in free.output, free.output
    finally:
        holder.close()
