"""Compressed responses: brotli where the client accepts it, else gzip.

Only HTML, JSON and XML (feeds, the sitemap) over ``MIN_BYTES`` are
compressed: images are compressed already, and below a kilobyte the framing
costs more than it saves. Brotli (RFC 7932, the ``brotli`` library) is
chosen over gzip when ``Accept-Encoding`` gives it a non-zero weight, at a
quality meant for pages made on demand.

Secrets and compression (BREACH, https://www.breachattack.com/): a page that
carries a CSRF token and echoes what a visitor typed carries the token masked
afresh on every response (``security.csrf.masked_csrf_token``), so its length
gives nothing away. A page that carries a secret that cannot be masked (a
private feed link) says ``Cache-Control: no-transform`` and is sent as is.

A strong ``ETag`` on a response that gets compressed is made weak (RFC 9110
section 8.8.1: the compressed bytes are another representation), and every
compressible response says ``Vary: Accept-Encoding`` so caches keep the
encodings apart.
"""

from __future__ import annotations

import gzip

import brotli
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["MIN_BYTES", "CompressionMiddleware", "chosen_encoding", "compressible"]

MIN_BYTES = 1024
BROTLI_QUALITY = 5  # fast enough per request, within a few percent of the best ratio
GZIP_LEVEL = 6


def compressible(content_type: str) -> bool:
    """Whether a response of this media type is worth compressing: HTML, JSON, XML."""
    kind = content_type.split(";", 1)[0].strip().lower()
    return (
        kind == "text/html"
        or kind in ("application/json", "application/xml", "text/xml")
        or kind.endswith("+json")
        or kind.endswith("+xml")
    )


def chosen_encoding(accept_encoding: str) -> str | None:
    """ "br", "gzip" or None for an ``Accept-Encoding`` value (weights as RFC 9110 12.5.3)."""
    weights: dict[str, float] = {}
    for part in accept_encoding.split(","):
        name, _, params = part.strip().partition(";")
        name = name.strip().lower()
        if not name:
            continue
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[name] = weight
    star = weights.get("*", 0.0)
    for encoding in ("br", "gzip"):
        if weights.get(encoding, star) > 0:
            return encoding
    return None


def _compress(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return bytes(brotli.compress(body, quality=BROTLI_QUALITY))
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


class CompressionMiddleware:
    """Compresses whole (not streamed) HTML, JSON and XML bodies; see the module docstring."""

    def __init__(self, app: ASGIApp, min_bytes: int = MIN_BYTES) -> None:
        self.app = app
        self.min_bytes = min_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        encoding = chosen_encoding(Headers(scope=scope).get("accept-encoding", ""))
        start: Message | None = None
        passing = False

        async def buffered_send(message: Message) -> None:
            nonlocal start, passing
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or passing or start is None:
                await send(message)
                return
            if message.get("more_body", False):
                passing = True  # a streamed body goes as it comes
                await send(start)
                await send(message)
                return
            await self._finish(start, message.get("body", b""), encoding, send)

        await self.app(scope, receive, buffered_send)

    async def _finish(self, start: Message, body: bytes, encoding: str | None, send: Send) -> None:
        headers = MutableHeaders(scope=start)
        content_type = headers.get("content-type", "")
        if compressible(content_type) and "content-encoding" not in headers:
            headers.add_vary_header("Accept-Encoding")
            if (
                encoding is not None
                and len(body) > self.min_bytes
                and "no-transform" not in headers.get("cache-control", "").lower()
            ):
                body = _compress(body, encoding)
                headers["content-encoding"] = encoding
                headers["content-length"] = str(len(body))
                etag = headers.get("etag")
                if etag and not etag.startswith("W/"):
                    headers["etag"] = "W/" + etag
        await send(start)
        await send({"type": "http.response.body", "body": body, "more_body": False})
