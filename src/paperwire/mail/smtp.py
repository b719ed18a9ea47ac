"""The one way paperwire sends mail: SMTP through the standard library.

``SmtpSender`` keeps one connection open for a whole run (STARTTLS and login
when configured) and reconnects once if the server dropped it. Errors are
sorted for the outbox: a permanent refusal (5xx) is final for that message,
anything else (4xx, a lost connection, a time-out) is worth a later retry.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol

from paperwire.mail.settings import MailSettings

__all__ = ["MailSender", "MailerNotConfigured", "SendError", "SmtpSender"]


class MailerNotConfigured(RuntimeError):
    """No SMTP server is configured; the message says which setting to give."""


@dataclass(slots=True)
class SendError(Exception):
    """One message could not be handed over; ``permanent`` when retrying cannot help."""

    reason: str
    permanent: bool

    def __str__(self) -> str:
        return self.reason


class MailSender(Protocol):
    def send(self, sender: str, recipient: str, message: bytes) -> None:
        """Hand one message to the mail system; raise SendError if it was not accepted."""
        ...

    def close(self) -> None: ...


class SmtpSender:
    def __init__(self, settings: MailSettings) -> None:
        if not settings.smtp_host:
            raise MailerNotConfigured(
                "no SMTP server is configured: set PAPERWIRE_SMTP_HOST (and PAPERWIRE_SMTP_PORT,"
                " PAPERWIRE_SMTP_USER, PAPERWIRE_SMTP_PASSWORD as your provider needs),"
                " or use --dry-run to see what would be sent"
            )
        self.settings = settings
        self._conn: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpSender:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def send(self, sender: str, recipient: str, message: bytes) -> None:
        for attempt in (1, 2):
            conn = self._connection()
            try:
                refused = conn.sendmail(sender, [recipient], message)
            except smtplib.SMTPServerDisconnected as exc:
                self._conn = None
                if attempt == 2:
                    raise SendError(f"the SMTP server closed the connection: {exc}", False) from exc
                continue  # a connection idle since the last message: open a new one
            except smtplib.SMTPRecipientsRefused as exc:
                code = next(iter(exc.recipients.values()))[0]
                raise SendError(f"{recipient} was refused: {code}", code >= 500) from exc
            except smtplib.SMTPResponseException as exc:
                reason = f"the SMTP server answered {exc.smtp_code} {exc.smtp_error!r}"
                raise SendError(reason, exc.smtp_code >= 500) from exc
            except (OSError, smtplib.SMTPException) as exc:
                self.close()
                raise SendError(f"cannot talk to the SMTP server: {exc}", False) from exc
            if refused:
                raise SendError(f"{recipient} was refused: {refused}", False)
            return

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.quit()
            except (OSError, smtplib.SMTPException):
                conn.close()

    def _connection(self) -> smtplib.SMTP:
        """The open connection, or a new one; a failure to connect or log in is never
        the message's fault, so it is reported as worth retrying."""
        if self._conn is not None:
            return self._conn
        s = self.settings
        where = f"{s.smtp_host}:{s.smtp_port}"
        try:
            conn = smtplib.SMTP(s.smtp_host or "", s.smtp_port, timeout=s.timeout)
        except (OSError, smtplib.SMTPException) as exc:
            raise SendError(f"cannot connect to the SMTP server {where}: {exc}", False) from exc
        try:
            if s.starttls:
                conn.starttls(context=ssl.create_default_context())
            if s.username:
                conn.login(s.username, s.password or "")
        except (OSError, smtplib.SMTPException) as exc:
            conn.close()
            raise SendError(f"the SMTP server {where} refused the session: {exc}", False) from exc
        self._conn = conn
        return conn
