"""Turns a digest or a confirmation request into a whole message: text and HTML parts.

The HTML part is rendered with autoescaping, so a paper title such as
``<script>`` arrives as text. Every digest carries ``List-Unsubscribe`` and
``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058) with a
signed link, and a Message-ID derived from its idempotency key, so every
attempt at one message is the same message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from paperwire.mail.links import SiteLinks
from paperwire.mail.outbox import message_id_for
from paperwire.store.mail_records import NewMessage, Subscriber
from paperwire.store.records import SummaryLine

__all__ = [
    "DigestItem",
    "DigestSection",
    "add_parts",
    "confirmation_message",
    "digest_message",
    "new_message",
    "outbox_entry",
]


@dataclass(frozen=True, slots=True)
class DigestItem:
    paper_id: str
    title: str
    authors: str
    why: str
    url: str
    withdrawn: bool = False  # marked in the message: its latest arXiv version withdraws it
    summary: SummaryLine | None = None  # Hugging Face's one-line summary, else ours


@dataclass(frozen=True, slots=True)
class DigestSection:
    heading: str
    items: list[DigestItem]


@cache
def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("paperwire.mail", "templates"),
        autoescape=select_autoescape(["html"], default_for_string=False, default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def digest_message(
    subscriber: Subscriber,
    period: str,
    sections: list[DigestSection],
    links: SiteLinks,
    sender: str,
    today: date,
) -> NewMessage:
    key = f"digest:{subscriber.id}:{period}"
    count = sum(len(s.items) for s in sections)
    subject = f"paperwire {subscriber.frequency} digest, {today:%d %B %Y}: {count} papers"
    unsubscribe = links.unsubscribe(subscriber.id)
    context = {
        "subject": subject,
        "heading": f"Your {subscriber.frequency} papers, {today:%d %B %Y}",
        "sections": sections,
        "frequency": subscriber.frequency,
        "site_url": links.base_url,
        "unsubscribe_url": unsubscribe,
    }
    message = _message(subscriber.email, sender, subject, key, links.base_url)
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    _add_parts(message, "digest", context)
    paper_ids = [item.paper_id for s in sections for item in s.items]
    return _outbox_entry(subscriber, "digest", key, message, paper_ids)


def confirmation_message(
    subscriber: Subscriber, links: SiteLinks, sender: str, today: date
) -> NewMessage:
    """The double opt-in request; at most one per subscriber and day (its key says the day)."""
    key = f"confirm:{subscriber.id}:{today.isoformat()}"
    subject = "Confirm your paperwire digest"
    context = {
        "subject": subject,
        "email": subscriber.email,
        "frequency": subscriber.frequency,
        "confirm_url": links.confirm(subscriber.id),
    }
    message = _message(subscriber.email, sender, subject, key, links.base_url)
    _add_parts(message, "confirm", context)
    return _outbox_entry(subscriber, "confirm", key, message)


def _outbox_entry(
    subscriber: Subscriber,
    kind: str,
    key: str,
    message: EmailMessage,
    paper_ids: list[str] | None = None,
) -> NewMessage:
    return NewMessage(
        idempotency_key=key,
        subscriber_id=subscriber.id,
        kind=kind,
        recipient=subscriber.email,
        message_id=str(message["Message-ID"]),
        message=message.as_bytes(policy=SMTP),
        paper_ids=paper_ids or [],
    )


def _message(recipient: str, sender: str, subject: str, key: str, base_url: str) -> EmailMessage:
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = message_id_for(key, base_url)
    return message


def _add_parts(message: EmailMessage, name: str, context: Mapping[str, object]) -> None:
    templates = _templates()
    message.set_content(templates.get_template(f"{name}.txt").render(context))
    message.add_alternative(templates.get_template(f"{name}.html").render(context), subtype="html")


def new_message(recipient: str, sender: str, subject: str, key: str, base_url: str) -> EmailMessage:
    """A message's headers, its Message-ID derived from its idempotency key."""
    return _message(recipient, sender, subject, key, base_url)


def add_parts(message: EmailMessage, name: str, context: Mapping[str, object]) -> None:
    """The text and HTML parts from the templates ``name``.txt and ``name``.html."""
    _add_parts(message, name, context)


def outbox_entry(
    subscriber_id: int, recipient: str, kind: str, key: str, message: EmailMessage
) -> NewMessage:
    """The outbox row of a message to one address (mail other than digests)."""
    return NewMessage(
        idempotency_key=key,
        subscriber_id=subscriber_id,
        kind=kind,
        recipient=recipient,
        message_id=str(message["Message-ID"]),
        message=message.as_bytes(policy=SMTP),
    )
