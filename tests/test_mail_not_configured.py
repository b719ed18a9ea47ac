"""Without SMTP settings the subscription box says mail is not configured, and nothing
is promised or kept; with them (a real SMTP server on loopback) nothing changes."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from paperwire.store import PaperStore
from smtp_helpers import MailCatcher, smtp_server, text_part
from web_helpers import csrf_of, fill_store, make_app

ADDRESS = "reader@example.org"
NOT_CONFIGURED = "mail is not configured on this server"
PROMISE = "a confirmation link is on its way"


@pytest.fixture
def client(store: PaperStore, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.delenv("PAPERWIRE_SMTP_HOST", raising=False)
    with TestClient(make_app(fill_store(store), None)) as test_client:  # type: ignore[arg-type]
        yield test_client


def test_the_boxes_say_mail_is_not_configured(client: TestClient) -> None:
    for path in ("/", "/trending"):
        page = client.get(path).text
        box = page[page.index('<aside class="subscribe"') :]
        box = box[: box.index("</aside>")]
        assert NOT_CONFIGURED in box.lower(), path
        assert 'action="/subscribe"' not in box, path
    page = client.get(f"/subscribe?email={ADDRESS}").text
    assert NOT_CONFIGURED in page.lower()
    assert 'action="/subscribe"' not in page and "We send one email" not in page


def test_subscribing_without_mail_promises_nothing_and_keeps_nothing(
    client: TestClient, store: PaperStore
) -> None:
    token = csrf_of(client.get("/login").text)  # the subscribe page has no form to take it from
    answer = client.post(
        "/subscribe", data={"email": ADDRESS, "frequency": "daily", "csrf_token": token}
    )
    assert answer.status_code == 503
    assert NOT_CONFIGURED in answer.text.lower() and PROMISE not in answer.text
    assert store.subscriber_by_email(ADDRESS) is None
    assert sum(store.outbox_counts().values()) == 0
    # A bad address is still told so first: the form's own error comes before mail's.
    bad = client.post("/subscribe", data={"email": "not an address", "csrf_token": token})
    assert bad.status_code == 400


def test_with_smtp_the_box_and_the_confirmation_are_as_before(
    store: PaperStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    catcher = MailCatcher()
    with smtp_server(catcher) as port:
        monkeypatch.setenv("PAPERWIRE_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("PAPERWIRE_SMTP_PORT", str(port))
        monkeypatch.setenv("PAPERWIRE_SMTP_STARTTLS", "0")
        with TestClient(make_app(fill_store(store), None)) as client:  # type: ignore[arg-type]
            home = client.get("/").text
            assert NOT_CONFIGURED not in home.lower()
            assert '<form action="/subscribe" method="get">' in home
            token = csrf_of(client.get(f"/subscribe?email={ADDRESS}").text)
            answer = client.post(
                "/subscribe", data={"email": ADDRESS, "frequency": "weekly", "csrf_token": token}
            )
    assert answer.status_code == 200 and PROMISE in answer.text
    [confirmation] = catcher.to(ADDRESS)
    assert re.search(r"/subscribe/confirm\?token=\S+", text_part(confirmation))
    subscriber = store.subscriber_by_email(ADDRESS)
    assert subscriber is not None and subscriber.status == "pending"
