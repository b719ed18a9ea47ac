"""Limits on login attempts (per address and per account) and on account creation.

Failures are kept in the store, not in memory, so every worker of a server
counts the same attempts. A success clears the account's failures; the
address's failures age out of the window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from paperwire.store.base import PaperStore
from paperwire.web.settings import WebSettings

__all__ = ["Limited", "LoginLimiter"]


@dataclass(frozen=True, slots=True)
class Limited:
    """Too many attempts: wait ``retry_after`` seconds."""

    retry_after: int

    @property
    def message(self) -> str:
        minutes = max(1, math.ceil(self.retry_after / 60))
        return f"Too many attempts. Try again in {minutes} minute{'s' if minutes > 1 else ''}."


class LoginLimiter:
    def __init__(self, store: PaperStore, web: WebSettings) -> None:
        self.store = store
        self.window = web.login_window_seconds
        self.limits = {
            "ip": web.login_limit_ip,
            "user": web.login_limit_account,
            "register": web.register_limit_ip,
        }

    def check_login(self, address: str, username: str, now: float) -> Limited | None:
        return self._first_limited([("ip", _ip_key(address)), ("user", _user_key(username))], now)

    def login_failed(self, address: str, username: str, now: float) -> None:
        keys = [_ip_key(address), _user_key(username)]
        self.store.record_login_failure(keys, now, now - self.window)

    def login_succeeded(self, username: str) -> None:
        self.store.clear_login_failures(_user_key(username))

    def check_register(self, address: str, now: float) -> Limited | None:
        return self._first_limited([("register", _register_key(address))], now)

    def registered(self, address: str, now: float) -> None:
        self.store.record_login_failure([_register_key(address)], now, now - self.window)

    def _first_limited(self, keys: list[tuple[str, str]], now: float) -> Limited | None:
        for kind, key in keys:
            count, oldest = self.store.login_failures_since(key, now - self.window)
            if count >= self.limits[kind] and oldest is not None:
                return Limited(max(1, int(oldest + self.window - now) + 1))
        return None


def _ip_key(address: str) -> str:
    return f"ip:{address}"


def _user_key(username: str) -> str:
    return f"user:{username.strip().lower()}"


def _register_key(address: str) -> str:
    return f"register:{address}"
