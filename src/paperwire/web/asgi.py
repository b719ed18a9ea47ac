"""The app as uvicorn's workers build it: settings from the environment.

``paperwire serve`` passes the store through ``PAPERWIRE_DB`` (as every
command's ``--db`` does), so each worker process opens the same store.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from paperwire.config import load_settings
from paperwire.store import is_postgres_url
from paperwire.web.app import create_app

__all__ = ["make_app"]


def make_app() -> FastAPI:
    db = os.environ.get("PAPERWIRE_DB")
    location = (db if is_postgres_url(db) else Path(db)) if db else None
    return create_app(load_settings(), db_path=location)
