"""``HEAD`` on every ``GET`` route: answered as the ``GET`` would be, without its body.

RFC 9110 section 9.3.2 (https://www.rfc-editor.org/rfc/rfc9110#section-9.3.2)
asks that a server answer ``HEAD`` with the header fields it would send for
``GET``. FastAPI routes declare ``GET`` only, so uptime checks and some feed
readers got 405; this middleware runs the ``GET`` and drops the body, keeping
``Content-Length`` (and every validator) as the ``GET`` sends them. It sits
outside the compression middleware, so the length is that of what a ``GET``
with the same ``Accept-Encoding`` would transfer.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["HeadAsGetMiddleware"]


class HeadAsGetMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # the last body message closes the response, empty
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_without_body)
