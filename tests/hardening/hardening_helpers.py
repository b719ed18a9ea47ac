"""Shared by the reliability tests: where their figures go, and running ``paperwire``.

Each test file writes its figures to ``artifacts/hardening/<name>.json``;
``tests/hardening/summary.py`` gathers them into one table.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from paperwire.cli.main import cli

__all__ = [
    "ARTIFACTS",
    "paperwire",
    "paperwire_process",
    "run_cli",
    "write_artifact",
    "write_listing",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "artifacts" / "hardening"


def write_listing(path: Path, count: int) -> None:
    """``count`` arXiv listing records (2501.00000 on), each with a 200-word abstract."""
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            row = {
                "id": f"2501.{n:05d}",
                "title": f"Paper {n}",
                "abstract": "word " * 200,
                "authors": ["A B", "C D"],
                "categories": ["cs.LG"],
                "comment": None,
                "abs_url": "",
                "pdf_url": "",
                "first_listed": "2025-01-02",
                "listed_dates": ["2025-01-02"],
            }
            out.write(json.dumps(row) + "\n")


def write_artifact(name: str, figures: dict[str, object]) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.json"
    path.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "paperwire.cli", *args]


def paperwire(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``paperwire ARGS`` to completion as a real process; output is captured."""
    return subprocess.run(
        _command(*args),
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def run_cli(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run ``paperwire ARGS`` in this process (quicker where no process is killed)."""
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def paperwire_process(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Start ``paperwire ARGS`` in the background (output discarded), to be killed."""
    return subprocess.Popen(
        _command(*args),
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
