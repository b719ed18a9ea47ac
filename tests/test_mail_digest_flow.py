"""Subscribe, confirm, receive a digest, unsubscribe in one click: against a real SMTP server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from paperwire.config import Settings, load_settings
from paperwire.mail.run import send_digests
from paperwire.mail.settings import MailSettings, load_mail_settings
from paperwire.mail.smtp import SmtpSender
from paperwire.store import SQLiteStore
from smtp_helpers import MailCatcher, configured_mail, html_part, text_part
from web_helpers import HOSTILE_ID, NOW, csrf_of, fill_store, make_app

BASE_URL = "https://papers.example.org"
ADDRESS = "reader@example.org"


@pytest.fixture
def catcher(monkeypatch: pytest.MonkeyPatch) -> Iterator[MailCatcher]:
    yield from configured_mail(monkeypatch, BASE_URL)


def _local(url: str) -> str:
    """The path and query of a site link, for the test client."""
    assert url.startswith(BASE_URL + "/"), url
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _run(store: SQLiteStore, settings: Settings, mail: MailSettings, days_later: int = 0) -> None:
    with SmtpSender(mail) as mailer:
        send_digests(store, settings, mail, mailer, NOW.date() + timedelta(days=days_later))


def test_subscribe_confirm_digest_unsubscribe(
    catcher: MailCatcher, store: SQLiteStore, tmp_path: Path
) -> None:
    fill_store(store)
    settings = load_settings()
    client = TestClient(make_app(store, None, settings=settings))

    token = csrf_of(client.get(f"/subscribe?email={ADDRESS}").text)
    answer = client.post(
        "/subscribe", data={"email": ADDRESS, "frequency": "daily", "csrf_token": token}
    )
    assert answer.status_code == 200 and "Check your inbox" in answer.text
    subscriber = store.subscriber_by_email(ADDRESS)
    assert subscriber is not None and subscriber.status == "pending"

    # Before confirming, a digest run sends nothing to the address.
    mail = load_mail_settings(settings)
    _run(store, settings, mail)
    [confirmation] = catcher.to(ADDRESS)
    assert "Confirm" in confirmation["Subject"]
    link = re.search(r"https://\S+/subscribe/confirm\?token=\S+", text_part(confirmation))
    assert link is not None
    # Opening the link (as a mail scanner would) only asks; the button confirms.
    assert "Confirm your subscription" in client.get(_local(link.group(0))).text
    assert store.subscriber(subscriber.id).status == "pending"  # type: ignore[union-attr]
    assert "confirmed" in client.post(_local(link.group(0))).text
    assert store.subscriber(subscriber.id).status == "active"  # type: ignore[union-attr]

    _run(store, settings, mail)
    [_, digest] = catcher.to(ADDRESS)
    assert "digest" in digest["Subject"]
    unsubscribe_url = digest["List-Unsubscribe"].strip().strip("<>")
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_url.startswith(f"{BASE_URL}/unsubscribe?token=")
    text, html = text_part(digest), html_part(digest)
    assert f"{BASE_URL}/papers/2611.00006" in text and f"{BASE_URL}/papers/2611.00006" in html
    assert digest["Message-ID"].endswith("@papers.example.org>")

    # The hostile title arrives as text in the HTML part, never as markup.
    hostile = store.get_paper(HOSTILE_ID)
    assert hostile is not None and "<script>" in hostile.title
    assert f"/papers/{HOSTILE_ID}" in html
    assert "<script" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(" in html and "&lt;b&gt;bold&lt;/b&gt;" in html

    # One click, as RFC 8058 mail clients do it: a POST with that exact body, no cookie.
    fresh = TestClient(make_app(store, None, settings=settings))
    answer = fresh.post(
        _local(unsubscribe_url),
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 200 and "Unsubscribed" in answer.text
    assert store.subscriber(subscriber.id).status == "unsubscribed"  # type: ignore[union-attr]

    _run(store, settings, mail, days_later=1)
    assert len(catcher.to(ADDRESS)) == 2  # nothing more after the unsubscribe


def test_bad_tokens_and_addresses_are_refused(catcher: MailCatcher, store: SQLiteStore) -> None:
    fill_store(store)
    settings = load_settings()
    client = TestClient(make_app(store, None, settings=settings))
    assert client.get("/subscribe/confirm?token=1.AAAA").status_code == 400
    assert client.post("/subscribe/confirm?token=1.AAAA").status_code == 400
    assert client.post("/unsubscribe?token=forged").status_code == 400
    token = csrf_of(client.get("/subscribe").text)
    answer = client.post("/subscribe", data={"email": "not an address", "csrf_token": token})
    assert answer.status_code == 400 and "does not look like an email address" in answer.text
    answer = client.post("/subscribe", data={"email": ADDRESS})  # no CSRF token
    assert answer.status_code == 403
    assert store.subscriber_by_email(ADDRESS) is None and catcher.messages == []
