"""Benchmarks' child processes: a free loopback port, a ``paperwire`` command run and stopped.

A server is ready when it answers a path with 200; if it exits first, the
error carries the end of its log, so a failed start reads as its own reason.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from paperwire_bench.loadgen import fetch_once

__all__ = ["HOST", "free_port", "paperwire_process", "wait_ready"]

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def paperwire_process(
    args: list[str], env: dict[str, str], log_path: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """``paperwire ARGS`` in a child process, its output in ``log_path``; stopped on exit."""
    command = [sys.executable, "-m", "paperwire.cli", *args]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_ready(
    process: subprocess.Popen[bytes], port: int, log: Path, path: str = "/", timeout: float = 120.0
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"the server exited before it was ready:\n{error}")
        try:
            status, _, _ = asyncio.run(fetch_once(HOST, port, path))
        except OSError:
            time.sleep(0.2)
            continue
        if status == 200:
            return
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within {timeout:.0f} s")
