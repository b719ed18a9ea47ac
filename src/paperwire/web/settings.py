"""The web server's own settings, read from the environment in one place.

PAPERWIRE_SECRET_KEY             signs the anonymous CSRF cookie (default: a random
                                 key kept in $PAPERWIRE_HOME/web-secret, shared by workers)
PAPERWIRE_SECURE_COOKIES=1       mark cookies Secure (serve over HTTPS)
PAPERWIRE_SUBMIT_MAX_AGE_DAYS    the oldest paper /submit accepts (default 14)
PAPERWIRE_PAGE_CACHE_SECONDS     how long a rendered page may be reused (default 30)
PAPERWIRE_INDEX_REFRESH_SECONDS  how often search follows the store (default 30; 0: never)
PAPERWIRE_DISPLAY_TIMEZONE       the time zone pages give times in, an IANA name
                                 (default America/New_York, arXiv's own)

Rate limits (a limited request gets 429 with Retry-After; 0 turns a limit off):
PAPERWIRE_LOGIN_LIMIT_ACCOUNT    failed logins per account per login window (default 5)
PAPERWIRE_LOGIN_LIMIT_IP         failed logins per client address per login window (default 20)
PAPERWIRE_REGISTER_LIMIT_IP      accounts made per client address per login window (default 10)
PAPERWIRE_LOGIN_WINDOW_SECONDS   the login window (default 900)
PAPERWIRE_SUBSCRIBE_LIMIT_IP     digest subscriptions per client address per hour (default 10)
PAPERWIRE_SUBSCRIBE_LIMIT_EMAIL  subscriptions per email address per hour (default 3)
PAPERWIRE_SUBMIT_LIMIT_ACCOUNT   paper submissions per account per hour (default 20)
PAPERWIRE_SUBMIT_LIMIT_IP        paper submissions per client address per hour (default 60)
PAPERWIRE_ACTION_WINDOW_SECONDS  the window of the subscription and submission limits (default 3600)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from paperwire.config import Settings, SettingsError, stored_secret

__all__ = ["DEFAULT_DISPLAY_TIMEZONE", "WebSettings", "load_web_settings"]

_SECRET_FILE = "web-secret"
# arXiv announces on US Eastern time (https://info.arxiv.org/help/availability.html).
DEFAULT_DISPLAY_TIMEZONE = "America/New_York"


@dataclass(frozen=True, slots=True)
class WebSettings:
    secret_key: str
    secure_cookies: bool = False
    submit_max_age_days: int = 14
    page_size: int = 30  # papers per feed page
    search_page_size: int = 20  # results per search page (each one gets snippets made)
    session_days: int = 30
    login_limit_account: int = 5  # failed logins per account per window
    login_limit_ip: int = 20  # failed logins per address per window
    register_limit_ip: int = 10  # accounts made per address per window
    login_window_seconds: int = 15 * 60
    subscribe_limit_ip: int = 10  # subscription requests per address per action window
    subscribe_limit_email: int = 3  # confirmation mails one inbox can be sent per window
    submit_limit_account: int = 20  # submissions (each asks arXiv) per account per window
    submit_limit_ip: int = 60  # submissions per address per window
    action_window_seconds: int = 60 * 60
    page_cache_seconds: float = 30.0
    page_cache_entries: int = 512
    index_refresh_seconds: float = 30.0
    display_timezone: str = DEFAULT_DISPLAY_TIMEZONE  # an IANA name, checked on load

    @property
    def display_zone(self) -> ZoneInfo:
        return ZoneInfo(self.display_timezone)


def load_web_settings(settings: Settings, environ: Mapping[str, str] | None = None) -> WebSettings:
    env = os.environ if environ is None else environ
    return WebSettings(
        secret_key=env.get("PAPERWIRE_SECRET_KEY") or stored_secret(settings.home, _SECRET_FILE),
        secure_cookies=env.get("PAPERWIRE_SECURE_COOKIES", "").lower() in ("1", "true", "yes"),
        submit_max_age_days=_count(env, "PAPERWIRE_SUBMIT_MAX_AGE_DAYS", 14),
        page_cache_seconds=float(_count(env, "PAPERWIRE_PAGE_CACHE_SECONDS", 30)),
        index_refresh_seconds=float(_count(env, "PAPERWIRE_INDEX_REFRESH_SECONDS", 30)),
        display_timezone=_zone_name(env, "PAPERWIRE_DISPLAY_TIMEZONE"),
        **_limits(env),
    )


# Each rate limit: its WebSettings field, and the variable that sets it.
_LIMIT_VARIABLES = {
    "login_limit_account": "PAPERWIRE_LOGIN_LIMIT_ACCOUNT",
    "login_limit_ip": "PAPERWIRE_LOGIN_LIMIT_IP",
    "register_limit_ip": "PAPERWIRE_REGISTER_LIMIT_IP",
    "login_window_seconds": "PAPERWIRE_LOGIN_WINDOW_SECONDS",
    "subscribe_limit_ip": "PAPERWIRE_SUBSCRIBE_LIMIT_IP",
    "subscribe_limit_email": "PAPERWIRE_SUBSCRIBE_LIMIT_EMAIL",
    "submit_limit_account": "PAPERWIRE_SUBMIT_LIMIT_ACCOUNT",
    "submit_limit_ip": "PAPERWIRE_SUBMIT_LIMIT_IP",
    "action_window_seconds": "PAPERWIRE_ACTION_WINDOW_SECONDS",
}


def _limits(env: Mapping[str, str]) -> dict[str, int]:
    defaults = WebSettings(secret_key="")
    return {
        field: _count(env, variable, getattr(defaults, field))
        for field, variable in _LIMIT_VARIABLES.items()
    }


def _zone_name(env: Mapping[str, str], name: str) -> str:
    raw = (env.get(name) or "").strip()
    if not raw:
        return DEFAULT_DISPLAY_TIMEZONE
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise SettingsError(
            f"{name}={raw!r} is not a time zone name: use an IANA name such as Europe/Paris"
        ) from None
    return raw


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a whole number") from None
    if value < 0:
        raise SettingsError(f"{name}={raw!r} must not be negative")
    return value
