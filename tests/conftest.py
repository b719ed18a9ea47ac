"""Fixtures shared by the whole suite: a store in tmp_path and the shared data sets."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperwire.store import SQLiteStore

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_data_dir() -> Path:
    configured = os.environ.get("PAPERWIRE_SHARED_DATA")
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared real data sets; skips the test where they are absent."""
    path = shared_data_dir()
    if not (path / "README.md").is_file():
        pytest.skip(f"shared data sets not found at {path} (set PAPERWIRE_SHARED_DATA)")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    opened = SQLiteStore(tmp_path / "paperwire.db")
    yield opened
    opened.close()


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own PAPERWIRE_HOME, so nothing touches the user's data."""
    home = tmp_path / "home"
    monkeypatch.setenv("PAPERWIRE_HOME", str(home))
    monkeypatch.delenv("PAPERWIRE_DATABASE_URL", raising=False)
    return home
