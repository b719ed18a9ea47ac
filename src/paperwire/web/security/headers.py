"""Security headers on every response, and how long the application took.

A plain ASGI middleware (cheaper than Starlette's ``BaseHTTPMiddleware`` on
the hot path). The Content-Security-Policy allows scripts, styles and images
from this site only: no inline script or handler can run, which is why the
pages carry none. ``Server-Timing: app;dur=MS`` is the time from the request
reaching the application to its response starting: what ``bench web`` reads.
An exception no handler took becomes a plain 500 answer here (HTML, or the
API's JSON error shape), so even that carries the headers and no traceback.
"""

from __future__ import annotations

import json
import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CONTENT_SECURITY_POLICY", "SecurityHeadersMiddleware"]

log = logging.getLogger(__name__)
_OOPS = "Something went wrong on our side. Please try again."

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]
_HSTS = (b"strict-transport-security", b"max-age=31536000")


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, https: bool = False) -> None:
        self.app = app
        self.headers = [*_HEADERS, _HSTS] if https else list(_HEADERS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        response_started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in self.headers if n not in present]
                spent = (time.perf_counter() - started) * 1000
                extra.append((b"server-timing", f"app;dur={spent:.2f}".encode()))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("unexpected error on %s %s", scope.get("method"), scope.get("path"))
            if response_started:
                raise
            await _send_500(scope, send_with_headers)


async def _send_500(scope: Scope, send: Send) -> None:
    if str(scope.get("path", "")).startswith("/api/"):
        body = json.dumps({"error": _OOPS, "status": 500, "where": None}).encode()
        kind = b"application/json"
    else:
        body = (
            "<!doctype html><html lang=en><meta charset=utf-8><title>Server error</title>"
            f"<h1>500 · Server error</h1><p>{_OOPS}</p><p><a href=/>Back to the daily papers</a>"
        ).encode()
        kind = b"text/html; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 500, "headers": headers})
    await send({"type": "http.response.body", "body": body})
