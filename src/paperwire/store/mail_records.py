"""Plain records of email digests: a subscriber, and one message of the outbox."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["FREQUENCIES", "NewMessage", "OutboxRow", "Subscriber"]

FREQUENCIES = ("daily", "weekly")


@dataclass(frozen=True, slots=True)
class Subscriber:
    id: int
    email: str
    frequency: str  # one of FREQUENCIES
    status: str  # "pending" until the address is confirmed, then "active"; or "unsubscribed"
    user_id: int | None = None

    @property
    def active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True, slots=True)
class NewMessage:
    """A composed message to put in the outbox, with the papers it tells about."""

    idempotency_key: str  # one per subscriber and period: a second insert is ignored
    subscriber_id: int
    kind: str  # "digest" or "confirm"
    recipient: str
    message_id: str
    message: bytes  # the whole RFC 5322 message, sent as is (retries send the same bytes)
    paper_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    idempotency_key: str
    subscriber_id: int
    kind: str
    recipient: str
    message_id: str
    message: bytes
    status: str  # pending, sending, sent, failed, cancelled
    attempts: int
