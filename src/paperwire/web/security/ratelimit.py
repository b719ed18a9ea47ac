"""Limits on login attempts (per address and per account), account creation,
email subscriptions and paper submissions.

Attempts are kept in the store, not in memory, so every worker of a server
counts the same attempts. A successful login clears the account's failures;
everything else ages out of its window. A limit of 0 turns that limit off.
Subscriptions are limited per address and per email (so the form cannot be
used to flood someone's inbox with confirmation requests); submissions, each
of which asks arXiv, per account and per address.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from paperwire.store.base import PaperStore
from paperwire.web.settings import WebSettings

__all__ = ["ActionLimiter", "Limited", "LoginLimiter", "client_address", "too_many"]


@dataclass(frozen=True, slots=True)
class Limited:
    """Too many attempts: wait ``retry_after`` seconds."""

    retry_after: int

    @property
    def message(self) -> str:
        minutes = max(1, math.ceil(self.retry_after / 60))
        return f"Too many attempts. Try again in {minutes} minute{'s' if minutes > 1 else ''}."


class _Counter:
    """Attempts per key in a sliding window, each kind of key with its own limit."""

    def __init__(self, store: PaperStore, window: int, limits: dict[str, int]) -> None:
        self.store = store
        self.window = window
        self.limits = limits

    def _first_limited(self, keys: list[tuple[str, str]], now: float) -> Limited | None:
        for kind, key in keys:
            limit = self.limits[kind]
            if limit <= 0:
                continue
            count, oldest = self.store.login_failures_since(key, now - self.window)
            if count >= limit and oldest is not None:
                return Limited(max(1, int(oldest + self.window - now) + 1))
        return None

    def _note(self, keys: list[str], now: float) -> None:
        self.store.record_login_failure(keys, now, now - self.window)


class LoginLimiter(_Counter):
    def __init__(self, store: PaperStore, web: WebSettings) -> None:
        limits = {
            "ip": web.login_limit_ip,
            "user": web.login_limit_account,
            "register": web.register_limit_ip,
        }
        super().__init__(store, web.login_window_seconds, limits)

    def check_login(self, address: str, username: str, now: float) -> Limited | None:
        return self._first_limited([("ip", _ip_key(address)), ("user", _user_key(username))], now)

    def login_failed(self, address: str, username: str, now: float) -> None:
        self._note([_ip_key(address), _user_key(username)], now)

    def login_succeeded(self, username: str) -> None:
        self.store.clear_login_failures(_user_key(username))

    def check_register(self, address: str, now: float) -> Limited | None:
        return self._first_limited([("register", _register_key(address))], now)

    def registered(self, address: str, now: float) -> None:
        self._note([_register_key(address)], now)


class ActionLimiter(_Counter):
    """Every attempt counts, whatever its outcome: each one costs a mail or an arXiv call."""

    def __init__(self, store: PaperStore, web: WebSettings) -> None:
        limits = {
            "subscribe-ip": web.subscribe_limit_ip,
            "subscribe-email": web.subscribe_limit_email,
            "submit-user": web.submit_limit_account,
            "submit-ip": web.submit_limit_ip,
        }
        super().__init__(store, web.action_window_seconds, limits)

    def try_subscribe(self, address: str, email: str, now: float) -> Limited | None:
        """None (and the attempt counted) when a subscription may go ahead."""
        return self._attempt(_subscribe_keys(address, email), now)

    def try_submit(self, address: str, user_id: int, now: float) -> Limited | None:
        """None (and the attempt counted) when a submission may go ahead."""
        return self._attempt(_submit_keys(address, user_id), now)

    def _attempt(self, keys: list[tuple[str, str]], now: float) -> Limited | None:
        limited = self._first_limited(keys, now)
        if limited is None:
            self._note([key for _, key in keys], now)
        return limited


def client_address(request: Request) -> str:
    """The address limits are counted by (the proxy's client, where uvicorn trusts it)."""
    return request.client.host if request.client else "unknown"


def too_many(response: Response, limited: Limited) -> Response:
    """``response`` (a 429 page) with the Retry-After its limit asks for."""
    response.headers["Retry-After"] = str(limited.retry_after)
    return response


def _subscribe_keys(address: str, email: str) -> list[tuple[str, str]]:
    keys = [("subscribe-ip", f"subscribe-ip:{address}")]
    if email:
        keys.append(("subscribe-email", f"subscribe-email:{email.strip().lower()[:254]}"))
    return keys


def _submit_keys(address: str, user_id: int) -> list[tuple[str, str]]:
    return [("submit-user", f"submit-user:{user_id}"), ("submit-ip", f"submit-ip:{address}")]


def _ip_key(address: str) -> str:
    return f"ip:{address}"


def _user_key(username: str) -> str:
    return f"user:{username.strip().lower()}"


def _register_key(address: str) -> str:
    return f"register:{address}"
