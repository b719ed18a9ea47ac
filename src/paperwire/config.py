"""Every filesystem location and setting, read from the environment in one place.

``PAPERWIRE_HOME`` is the data folder (default: the platform's user data
folder); the SQLite store, derived indexes and caches live under it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_path

__all__ = ["Settings", "load_settings"]

DEFAULT_CATEGORIES = ("cs.LG", "cs.CL", "cs.AI", "cs.CV", "stat.ML")


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path
    database_url: str | None = None
    categories: tuple[str, ...] = field(default=DEFAULT_CATEGORIES)

    @property
    def sqlite_path(self) -> Path:
        return self.home / "paperwire.db"

    @property
    def index_dir(self) -> Path:
        return self.home / "indexes"

    @property
    def model_cache_dir(self) -> Path:
        return self.home / "models"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    home = Path(env.get("PAPERWIRE_HOME") or user_data_path("paperwire", appauthor=False))
    categories = tuple(env.get("PAPERWIRE_CATEGORIES", "").split()) or DEFAULT_CATEGORIES
    return Settings(
        home=home,
        database_url=env.get("PAPERWIRE_DATABASE_URL") or None,
        categories=categories,
    )
