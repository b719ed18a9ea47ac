"""The ``Date`` header, stamped on every response as it starts.

RFC 9110 section 6.6.1: an origin server with a clock sends ``Date``, the
time the message was made, and section 8.8.2.1: it never sends a
``Last-Modified`` later than that ``Date``. uvicorn's own ``Date`` is
refreshed once a second by its main loop, so it can lag the clock by up to a
second, and a page first sent in that second said it was modified after it
was dated. ``paperwire serve`` switches uvicorn's off (``date_header=False``)
and this middleware writes it instead, from the clock at the moment the
response starts, after the page's validators were made.
"""

from __future__ import annotations

from email.utils import formatdate

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["DateHeaderMiddleware"]


class DateHeaderMiddleware:
    """Adds ``Date`` (RFC 9110 IMF-fixdate) to each HTTP response that has none."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_dated(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if all(name.lower() != b"date" for name, _ in headers):
                    headers.append((b"date", formatdate(usegmt=True).encode("latin-1")))
                    message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_dated)
