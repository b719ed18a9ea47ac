"""A real ``paperwire serve`` as a subprocess on a loopback port, for the browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

__all__ = ["serving"]


@contextmanager
def serving(db: Path, folder: Path, env: dict[str, str], *options: str) -> Iterator[str]:
    """``paperwire serve`` on ``db`` as a subprocess on a loopback port (its data folder
    and log in ``folder``, ``env`` added); yields its base URL."""
    port = _free_port()
    full_env = {**os.environ, "PAPERWIRE_HOME": str(folder / "home"), **env}
    command = [sys.executable, "-m", "paperwire.cli", "serve", "--db", str(db)]
    command += ["--port", str(port), "--no-access-log", *options]
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(command, env=full_env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, folder / "server.log")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"paperwire serve exited:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url + "/static/style.css", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"paperwire serve did not start:\n{log.read_text()[-3000:]}")
