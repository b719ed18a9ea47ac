"""A real SMTP server on loopback for the mail tests (aiosmtpd), and what it received.

``MailCatcher`` keeps every accepted message (parsed). With ``rcpt_delay``
it answers each RCPT TO slowly, before the message's data is sent, so a
sender killed meanwhile leaves nothing half-delivered; ``slow_after`` and
``stalled`` tell a test when the server is stalling on a message after a
given number were accepted.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

__all__ = ["MailCatcher", "html_part", "smtp_server", "text_part"]


class MailCatcher:
    def __init__(self, rcpt_delay: float = 0.0, slow_after: int = 0) -> None:
        self.messages: list[EmailMessage] = []
        self.rcpt_delay = rcpt_delay
        self.slow_after = slow_after
        self.stalled = threading.Event()  # set while stalling after ``slow_after`` messages
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_delay:
            if len(self.messages) >= self.slow_after:
                self.stalled.set()
            await asyncio.sleep(self.rcpt_delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        with self._lock:
            self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server(catcher: MailCatcher) -> Iterator[int]:
    """Run an SMTP server for ``catcher`` on 127.0.0.1; yields its port."""
    port = _free_port()
    controller = Controller(catcher, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def configured_mail(monkeypatch: pytest.MonkeyPatch, base_url: str) -> Iterator[MailCatcher]:
    """A fixture's body: an SMTP server on loopback that paperwire's mail settings point
    at (no STARTTLS), links made with ``base_url``; yields what it receives."""
    found = MailCatcher()
    with smtp_server(found) as port:
        monkeypatch.setenv("PAPERWIRE_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("PAPERWIRE_SMTP_PORT", str(port))
        monkeypatch.setenv("PAPERWIRE_SMTP_STARTTLS", "0")
        monkeypatch.setenv("PAPERWIRE_BASE_URL", base_url)
        yield found


def text_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None, "the message has no plain-text part"
    return str(part.get_content())


def html_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None, "the message has no HTML part"
    return str(part.get_content())
