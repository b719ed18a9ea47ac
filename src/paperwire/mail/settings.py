"""Mail settings, read from the environment in one place.

PAPERWIRE_SMTP_HOST       the SMTP server (unset: paperwire cannot send mail)
PAPERWIRE_SMTP_PORT       its port (default 587)
PAPERWIRE_SMTP_STARTTLS   1 (default) to upgrade the connection with STARTTLS, 0 not to
PAPERWIRE_SMTP_USER       user name to log in with (unset: no login)
PAPERWIRE_SMTP_PASSWORD   its password
PAPERWIRE_SMTP_TIMEOUT    seconds to wait on the server (default 60)
PAPERWIRE_MAIL_FROM       the From address (default: paperwire@ the site's host name)
PAPERWIRE_MAIL_SECRET     the key that signs confirm, unsubscribe and feed links (default:
                          a random key made at first use in $PAPERWIRE_HOME/mail-secret, mode 0600)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from paperwire.config import Settings, SettingsError
from paperwire.config import stored_secret as config_stored_secret

__all__ = [
    "SECRET_FILE",
    "MailSettings",
    "load_mail_settings",
    "smtp_configured",
    "stored_secret",
]

SECRET_FILE = "mail-secret"


@dataclass(frozen=True, slots=True)
class MailSettings:
    secret: str
    sender: str
    smtp_host: str | None = None
    smtp_port: int = 587
    starttls: bool = True
    username: str | None = None
    password: str | None = None
    timeout: float = 60.0

    @property
    def can_send(self) -> bool:
        """Whether an SMTP server is set: without one no mail leaves this server."""
        return self.smtp_host is not None


def load_mail_settings(
    settings: Settings, environ: Mapping[str, str] | None = None
) -> MailSettings:
    env = os.environ if environ is None else environ
    host = urlsplit(settings.base_url).hostname or "localhost"
    return MailSettings(
        secret=env.get("PAPERWIRE_MAIL_SECRET") or stored_secret(settings.home),
        sender=env.get("PAPERWIRE_MAIL_FROM") or f"paperwire <paperwire@{host}>",
        smtp_host=env.get("PAPERWIRE_SMTP_HOST") or None,
        smtp_port=int(_number(env, "PAPERWIRE_SMTP_PORT", 587)),
        starttls=env.get("PAPERWIRE_SMTP_STARTTLS", "1").lower() not in ("0", "false", "no"),
        username=env.get("PAPERWIRE_SMTP_USER") or None,
        password=env.get("PAPERWIRE_SMTP_PASSWORD") or None,
        timeout=_number(env, "PAPERWIRE_SMTP_TIMEOUT", 60.0),
    )


def smtp_configured(environ: Mapping[str, str] | None = None) -> bool:
    """Whether PAPERWIRE_SMTP_HOST is set, read without making the signing key."""
    env = os.environ if environ is None else environ
    return bool(env.get("PAPERWIRE_SMTP_HOST"))


def stored_secret(home: Path) -> str:
    """The mail signing key kept in the data folder (see ``config.stored_secret``)."""
    return config_stored_secret(home, SECRET_FILE)


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a number") from None
    if value <= 0:
        raise SettingsError(f"{name}={raw!r} must be positive")
    return value
