"""Every filesystem location and setting, read from the environment in one place.

``PAPERWIRE_HOME`` is the data folder (default: the platform's user data
folder); the SQLite store, derived indexes and caches live under it.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from platformdirs import user_data_path

__all__ = [
    "DEFAULT_EMBEDDING_MODEL",
    "Settings",
    "SettingsError",
    "load_settings",
    "stored_secret",
    "without_password",
]

N = TypeVar("N", int, float)

DEFAULT_CATEGORIES = ("cs.LG", "cs.CL", "cs.AI", "cs.CV", "stat.ML")
DEFAULT_EMBEDDING_MODEL = "minilm-int8"  # the bundled all-MiniLM-L6-v2, int8 weights


class SettingsError(ValueError):
    """An environment variable holds a value paperwire cannot use; the message names it."""


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path
    database_url: str | None = None
    categories: tuple[str, ...] = field(default=DEFAULT_CATEGORIES)
    # Live ingestion: where each source lives and how politely to ask it.
    arxiv_api_url: str = "https://export.arxiv.org/api/query"
    arxiv_oai_url: str = "https://oaipmh.arxiv.org/oai"
    arxiv_rss_url: str = "https://rss.arxiv.org"
    arxiv_listing_url: str = "https://arxiv.org"  # the new listings, /list/CAT/new
    hf_api_url: str = "https://huggingface.co"
    # The Hub's repository lists (the models, datasets and Spaces citing a paper):
    # unset (PAPERWIRE_HUB_API_URL), the host of hf_api_url; set empty, switched off.
    hub_api_url: str | None = "https://huggingface.co"
    # GitHub's REST API, for stars; None (PAPERWIRE_GITHUB_API_URL set empty) switches
    # it off. Without a token GitHub allows 60 requests an hour, with one 5,000.
    github_api_url: str | None = "https://api.github.com"
    github_token: str | None = None
    # Where papers' PDFs are fetched for thumbnails (/pdf/ID); None (PAPERWIRE_PDF_URL
    # set empty) switches thumbnails off. thumbnail_max_bytes caps all thumbnails
    # together, thumbnail_pdf_max_bytes one PDF.
    pdf_url: str | None = "https://arxiv.org"
    thumbnail_max_bytes: int = 200 * 1024 * 1024
    thumbnail_pdf_max_bytes: int = 25 * 1024 * 1024
    contact_email: str | None = None  # sent in the User-Agent, as arXiv asks
    arxiv_interval: float = 3.0  # seconds between arXiv requests, process-wide
    backfill_days: int = 7  # what the first sync of an empty store pulls
    # The scheduled sync: from each announcement (20:00 US Eastern) the new listings
    # are asked every arxiv_poll_seconds until they show it, for up to the window;
    # Hugging Face's daily papers every hf_poll_minutes.
    arxiv_poll_seconds: float = 120.0
    arxiv_poll_window_minutes: float = 60.0
    hf_poll_minutes: float = 15.0
    # The most announcement days one sync fills per source and category, counting
    # back from the latest; a larger hole is reported with the command that fills it.
    sync_fill_days: int = 60
    # How long since a source's last successful sync before `paperwire status` fails.
    sync_max_age_hours: float = 96.0
    http_timeout: float = 30.0  # seconds to connect, and between bytes read
    http_retries: int = 4  # further attempts after a 429/5xx, reset or time-out
    http_backoff: float = 2.0  # first retry delay in seconds; doubles, with jitter
    max_response_bytes: int = 100 * 1024 * 1024
    # Where readers reach this site: links in emails and feeds start with it.
    base_url: str = "http://localhost:8000"
    # Whether PAPERWIRE_BASE_URL set it: if not, web pages take their request's own
    # address (``web.state.site_url``) and only mail, which has no request, uses the default.
    base_url_set: bool = False
    # The embedding model a search index built without being asked waits for
    # ("none": keyword search only, nothing is embedded).
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    # How often a server or worker makes its search index follow the store (0: never).
    index_refresh_seconds: float = 30.0

    @property
    def sqlite_path(self) -> Path:
        return self.home / "paperwire.db"

    @property
    def index_dir(self) -> Path:
        return self.home / "indexes"

    def index_dir_for(self, db: Path | str | None) -> Path:
        """Where a store's search indexes live, so two stores never share them.

        Beside a --db file; for a database server, a folder per database in
        this node's data folder (every web node keeps its own indexes).
        """
        if isinstance(db, Path):
            return db.with_name(db.name + ".indexes")
        url = db or self.database_url
        if url:
            return self.index_dir / f"db-{_server_identity(url)}"
        return self.index_dir

    @property
    def model_cache_dir(self) -> Path:
        return self.home / "models"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    home = Path(env.get("PAPERWIRE_HOME") or user_data_path("paperwire", appauthor=False))
    categories = tuple(env.get("PAPERWIRE_CATEGORIES", "").split()) or DEFAULT_CATEGORIES
    defaults = Settings(home=home)
    hf_api_url = env.get("PAPERWIRE_HF_API_URL") or defaults.hf_api_url
    return Settings(
        home=home,
        database_url=env.get("PAPERWIRE_DATABASE_URL") or None,
        categories=categories,
        arxiv_api_url=env.get("PAPERWIRE_ARXIV_API_URL") or defaults.arxiv_api_url,
        arxiv_oai_url=env.get("PAPERWIRE_ARXIV_OAI_URL") or defaults.arxiv_oai_url,
        arxiv_rss_url=env.get("PAPERWIRE_ARXIV_RSS_URL") or defaults.arxiv_rss_url,
        arxiv_listing_url=env.get("PAPERWIRE_ARXIV_LISTING_URL") or defaults.arxiv_listing_url,
        hf_api_url=hf_api_url,
        hub_api_url=_switchable(env, "PAPERWIRE_HUB_API_URL", hf_api_url),
        github_api_url=_switchable(env, "PAPERWIRE_GITHUB_API_URL", defaults.github_api_url),
        github_token=env.get("PAPERWIRE_GITHUB_TOKEN") or None,
        pdf_url=_switchable(env, "PAPERWIRE_PDF_URL", defaults.pdf_url),
        thumbnail_max_bytes=_number(
            env, "PAPERWIRE_THUMBNAILS_MAX_BYTES", defaults.thumbnail_max_bytes, int
        ),
        thumbnail_pdf_max_bytes=_number(
            env, "PAPERWIRE_THUMBNAIL_PDF_MAX_BYTES", defaults.thumbnail_pdf_max_bytes, int
        ),
        contact_email=env.get("PAPERWIRE_CONTACT_EMAIL") or None,
        arxiv_interval=_number(env, "PAPERWIRE_ARXIV_INTERVAL", defaults.arxiv_interval, float),
        backfill_days=_number(env, "PAPERWIRE_BACKFILL_DAYS", defaults.backfill_days, int),
        arxiv_poll_seconds=_number(
            env, "PAPERWIRE_ARXIV_POLL_SECONDS", defaults.arxiv_poll_seconds, float
        ),
        arxiv_poll_window_minutes=_number(
            env, "PAPERWIRE_ARXIV_POLL_WINDOW_MINUTES", defaults.arxiv_poll_window_minutes, float
        ),
        hf_poll_minutes=_number(env, "PAPERWIRE_HF_POLL_MINUTES", defaults.hf_poll_minutes, float),
        sync_fill_days=_number(env, "PAPERWIRE_SYNC_FILL_DAYS", defaults.sync_fill_days, int),
        sync_max_age_hours=_number(
            env, "PAPERWIRE_SYNC_MAX_AGE_HOURS", defaults.sync_max_age_hours, float
        ),
        http_timeout=_number(env, "PAPERWIRE_HTTP_TIMEOUT", defaults.http_timeout, float),
        http_retries=_number(env, "PAPERWIRE_HTTP_RETRIES", defaults.http_retries, int),
        http_backoff=_number(env, "PAPERWIRE_HTTP_BACKOFF", defaults.http_backoff, float),
        max_response_bytes=_number(
            env, "PAPERWIRE_MAX_RESPONSE_BYTES", defaults.max_response_bytes, int
        ),
        base_url=(env.get("PAPERWIRE_BASE_URL") or defaults.base_url).rstrip("/"),
        base_url_set=bool(env.get("PAPERWIRE_BASE_URL")),
        embedding_model=env.get("PAPERWIRE_EMBEDDING_MODEL") or defaults.embedding_model,
        index_refresh_seconds=_number(
            env, "PAPERWIRE_INDEX_REFRESH_SECONDS", defaults.index_refresh_seconds, float
        ),
    )


def _switchable(env: Mapping[str, str], name: str, default: str | None) -> str | None:
    """A source's URL: the default when unset, switched off (None) when set empty."""
    if name not in env:
        return default
    return env[name].strip() or None


def _number(env: Mapping[str, str], name: str, default: N, kind: Callable[[str], N]) -> N:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a valid {kind.__name__}") from None
    if value < 0:
        raise SettingsError(f"{name}={raw!r} must not be negative")
    return value


def stored_secret(home: Path, name: str) -> str:
    """The signing key ``name`` kept in the data folder, made (mode 0600) at first use.

    Keys are never given a default value in code: each installation makes its own.
    """
    path = home / name
    try:
        return _read_secret(path)
    except FileNotFoundError:
        pass
    home.mkdir(parents=True, exist_ok=True)
    # Written whole under a private name, then linked into place: of two processes
    # starting at once, one link fails and that process reads the other's key.
    partial = home / f".{name}.{os.getpid()}"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(48))
    try:
        os.link(partial, path)
    except FileExistsError:
        pass
    finally:
        partial.unlink(missing_ok=True)
    return _read_secret(path)


def _read_secret(path: Path) -> str:
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise SettingsError(f"{path} holds too short a key: delete it to make a new one")
    return key


def without_password(url: str) -> str:
    """A database URL with its password left out, fit for messages and folder names."""
    parts = urlsplit(url)
    user, at, host = parts.netloc.rpartition("@")
    if ":" not in user:
        return url  # no password (rebuilding would also drop an empty host's "//")
    return parts._replace(netloc=user.split(":", 1)[0] + at + host).geturl()


def _server_identity(url: str) -> str:
    """A short stable name of a database URL (its password does not count)."""
    return hashlib.sha256(without_password(url).encode()).hexdigest()[:12]
