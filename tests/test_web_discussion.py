"""The discussion on the web, on both stores: post, reply, mention, edit, delete, page, sort,
watch, notifications (in the app and by mail on a real SMTP server), moderation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from paperwire.config import load_settings
from paperwire.mail.notify import send_notification_mail
from paperwire.mail.settings import load_mail_settings
from paperwire.mail.smtp import SmtpSender
from paperwire.store.base import PaperStore
from smtp_helpers import MailCatcher, configured_mail, html_part, text_part
from web_helpers import NOW, csrf_of, fill_store, log_in, make_app, register

PAPER = "2611.00001"
BASE_URL = "https://papers.example.org"


@pytest.fixture
def catcher(monkeypatch: pytest.MonkeyPatch) -> Iterator[MailCatcher]:
    yield from configured_mail(monkeypatch, BASE_URL)


def _client(store: PaperStore, name: str) -> TestClient:
    client = TestClient(make_app(store, None))  # type: ignore[arg-type]
    assert register(client, name).status_code == 303
    return client


def _post(client: TestClient, body: str, parent: int | None = None, **headers: str):  # type: ignore[no-untyped-def]
    token = csrf_of(client.get(f"/papers/{PAPER}").text)
    data = {"body": body, "csrf_token": token, "parent_id": "" if parent is None else str(parent)}
    return client.post(
        f"/papers/{PAPER}/comments", data=data, headers=headers, follow_redirects=False
    )


def _id(answer) -> int:  # type: ignore[no-untyped-def]
    found = re.search(r"#comment-(\d+)$", answer.headers["location"])
    assert found, answer.headers.get("location")
    return int(found.group(1))


def test_discussion_flow_with_notifications_in_app_and_by_mail(
    store: PaperStore, catcher: MailCatcher
) -> None:
    fill_store(store)  # type: ignore[arg-type]
    a, b = _client(store, "alice"), _client(store, "bob")
    alice = store.user_by_name("alice")[0]  # type: ignore[index]
    subscriber, _ = store.add_subscriber("alice@example.org", "daily", alice.id)
    store.confirm_subscriber(subscriber.id)

    first = _id(_post(a, "A **bold** claim"))
    page = a.get(f"/papers/{PAPER}").text
    assert "<strong>bold</strong>" in page and f'id="comment-{first}"' in page
    # B replies and mentions A (with the script: JSON and the comment's HTML, no reload).
    answer = _post(b, "I disagree, @alice.", first, Accept="application/json")
    assert answer.status_code == 200
    reply = answer.json()
    assert reply["parentId"] == first and 'class="mention" href="/users/alice"' in reply["html"]
    assert f'id="comment-{reply["id"]}"' in reply["fragment"]
    # A: one notification (a reply that also mentions: one, a reply), in the header.
    home = a.get("/").text
    assert 'aria-label="1 unread"' in home
    notes = a.get("/notifications").text
    assert "replied to you" in notes and "I disagree" in notes
    token = csrf_of(notes)
    a.post("/notifications/read", data={"csrf_token": token})
    assert "unread" not in a.get("/").text.split("notifications-link")[1][:80]

    # The reply's own request mailed A at once (nobody had mailed A this hour).
    [message] = catcher.to("alice@example.org")
    assert "bob replied to you" in text_part(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith(BASE_URL + "/notifications/unsubscribe?token=")
    # Another reply within the hour waits; the run after the hour mails it, once.
    _post(b, "And another thing", first)
    assert len(catcher.to("alice@example.org")) == 1
    settings = load_settings()
    mail = load_mail_settings(settings)
    with SmtpSender(mail) as mailer:
        later = NOW.timestamp() + 3601
        assert send_notification_mail(store, settings, mail, mailer, later).queued == 1
        assert send_notification_mail(store, settings, mail, mailer, later + 7200).queued == 0
    [_, second] = catcher.to("alice@example.org")
    assert "And another thing" in html_part(second)
    # One click (no session, no CSRF token: a mail client's POST) turns mail off.
    parts = urlsplit(unsubscribe)
    done = TestClient(a.app).post(
        f"{parts.path}?{parts.query}", data={"List-Unsubscribe": "One-Click"}
    )
    assert done.status_code == 200 and not any(store.notification_mail_kinds(alice.id).values())
    _post(b, "Mail is off now", first)
    with SmtpSender(mail) as mailer:
        assert send_notification_mail(store, settings, mail, mailer, later + 9000).queued == 0
    assert len(catcher.to("alice@example.org")) == 2
    assert "Mail is off now" in a.get("/notifications").text  # still shown on the site

    # A edits: marked edited with the time; then deletes: a tombstone keeps the thread.
    token = csrf_of(a.get(f"/comments/{first}/edit").text)
    a.post(f"/comments/{first}/edit", data={"body": "A softer claim", "csrf_token": token})
    page = a.get(f"/papers/{PAPER}").text
    assert "A softer claim" in page and 'class="edited">edited <time' in page
    a.post(f"/comments/{first}/delete", data={"csrf_token": token})
    page = b.get(f"/papers/{PAPER}").text
    assert "This comment was deleted." in page and "A softer claim" not in page
    assert "I disagree" in page  # the reply keeps its place
    api = b.get(f"/api/papers/{PAPER}/comments").json()
    assert api["total"] == 4 and api["comments"][0]["body"] is None


def test_paging_past_fifty_sort_and_permalinks(store: PaperStore) -> None:
    fill_store(store)  # type: ignore[arg-type]
    client = _client(store, "alice")
    user = store.user_by_name("alice")[0]  # type: ignore[index]
    ids = [store.add_comment(PAPER, user.id, f"note {n}", None, 1000.0 + n).id for n in range(55)]
    first_page = client.get(f"/papers/{PAPER}").text
    assert "note 0<" in first_page and "note 50<" not in first_page
    assert "Page 1 of 2" in first_page
    second = client.get(f"/papers/{PAPER}?cpage=2").text
    assert "note 50<" in second and "note 0<" not in second
    newest = client.get(f"/papers/{PAPER}?csort=newest").text
    assert newest.index("note 54<") < newest.index("note 10<")
    jump = client.get(f"/comments/{ids[52]}", follow_redirects=False)
    assert jump.headers["location"].endswith(f"?cpage=2#comment-{ids[52]}")
    assert client.get("/comments/999999", follow_redirects=False).status_code == 404


def test_watch_this_paper_notifies_of_new_comments(store: PaperStore) -> None:
    fill_store(store)  # type: ignore[arg-type]
    a, b = _client(store, "alice"), _client(store, "bob")
    daily = "/api/daily_papers?date=2026-11-24"
    imported = {i["paper"]["id"]: i["numComments"] for i in a.get(daily).json()}[PAPER]
    page = a.get(f"/papers/{PAPER}").text
    assert "Watch this paper" in page
    a.post(f"/papers/{PAPER}/watch", data={"csrf_token": csrf_of(page), "watch": "1"})
    assert "Stop watching" in a.get(f"/papers/{PAPER}").text
    _post(b, "first thoughts")
    assert "commented on a paper you watch" in a.get("/notifications").text
    # numComments: the imported count plus the comments posted here.
    assert {i["paper"]["id"]: i["numComments"] for i in a.get(daily).json()}[PAPER] == imported + 1
    # The feed's card says the same, linked to the discussion.
    card = re.search(
        rf'href="/papers/{PAPER}#discussion">(\d+) comments?</a>',
        a.get("/papers?date=2026-11-24").text,
    )
    assert card is not None and int(card.group(1)) == imported + 1
    _assert_page_counts(a.get(f"/papers/{PAPER}").text, here=1, imported=imported)


def _assert_page_counts(page: str, here: int, imported: int, paper_id: str = PAPER) -> None:
    """The paper page's heading counts the comments here; Hugging Face's are linked apart."""
    assert f'<span class="count">({here} here)</span>' in page
    elsewhere = re.search(
        r'href="https://huggingface.co/papers/([^"]+)"[^>]*>(\d+) comments? on Hugging Face', page
    )
    if imported:
        assert elsewhere is not None and elsewhere.groups() == (paper_id, str(imported))
    else:
        assert elsewhere is None


def test_counts_leave_out_deleted_and_hidden_comments(store: PaperStore) -> None:
    fill_store(store)  # type: ignore[arg-type]
    a = _client(store, "alice")
    daily = "/api/daily_papers?date=2026-11-24"
    imported = {i["paper"]["id"]: i["numComments"] for i in a.get(daily).json()}[PAPER]
    kept, gone = _id(_post(a, "stays")), _id(_post(a, "goes"))
    _post(a, "a reply to what goes", gone)
    _assert_page_counts(a.get(f"/papers/{PAPER}").text, here=3, imported=imported)
    token = csrf_of(a.get(f"/papers/{PAPER}").text)
    a.post(f"/comments/{gone}/delete", data={"csrf_token": token})
    page = a.get(f"/papers/{PAPER}").text
    assert "This comment was deleted." in page  # the tombstone stays, uncounted
    _assert_page_counts(page, here=2, imported=imported)
    assert store.comment_counts([PAPER]) == {PAPER: 2}
    assert {i["paper"]["id"]: i["numComments"] for i in a.get(daily).json()}[PAPER] == imported + 2
    card = re.search(
        rf'href="/papers/{PAPER}#discussion">(\d+) comments?</a>',
        a.get("/papers?date=2026-11-24").text,
    )
    assert card is not None and int(card.group(1)) == imported + 2
    assert kept


def test_the_page_links_the_comments_imported_from_hugging_face(store: PaperStore) -> None:
    fill_store(store)  # type: ignore[arg-type]
    client = TestClient(make_app(store, None))  # type: ignore[arg-type]
    papers = list(store.iter_papers())
    with_some = [p for p in papers if p.num_comments]
    without = [p for p in papers if not p.num_comments]
    assert with_some and without  # the fixture has both kinds
    for paper in (with_some[0], without[0]):
        page = client.get(f"/papers/{paper.id}").text
        _assert_page_counts(page, here=0, imported=paper.num_comments or 0, paper_id=paper.id)


def test_moderation_report_hide_ban(store: PaperStore) -> None:
    fill_store(store)  # type: ignore[arg-type]
    a, b, mod = _client(store, "alice"), _client(store, "bob"), _client(store, "mod")
    store.grant_role(store.user_by_name("mod")[0].id, "moderator", 0.0)  # type: ignore[index]
    bad = _id(_post(b, "something rude"))
    token = csrf_of(a.get(f"/papers/{PAPER}").text)
    a.post(f"/comments/{bad}/report", data={"csrf_token": token, "reason": "rude"})
    b_token = csrf_of(b.get(f"/papers/{PAPER}").text)
    b.post(f"/comments/{bad}/edit", data={"csrf_token": b_token, "body": "something nice"})
    queue = mod.get("/moderation").text
    assert "something rude" in queue and "something nice" in queue and "Edited since" in queue
    assert a.get("/moderation").status_code == 403
    token = csrf_of(queue)
    mod.post(f"/moderation/comments/{bad}/hide", data={"csrf_token": token, "hidden": "1"})
    assert "A moderator hid this comment." in a.get(f"/papers/{PAPER}").text
    mod.post("/moderation/ban", data={"csrf_token": token, "username": "bob", "reason": "rude"})
    gone = b.get("/notifications", follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"].startswith("/login")
    again = log_in(b, "bob")
    assert again.status_code == 403 and "banned this account from the discussion" in again.text
    log = mod.get("/moderation/log").text
    assert ">hide<" in log and ">ban<" in log and "bob" in log


def test_a_refused_comment_comes_back_to_fix(store: PaperStore) -> None:
    fill_store(store)  # type: ignore[arg-type]
    client = _client(store, "alice")
    too_long = "<b>mine</b> " + "x" * 10_000
    answer = _post(client, too_long)
    assert answer.status_code == 400 and "at most 10,000 characters" in answer.text
    assert "&lt;b&gt;mine&lt;/b&gt; xxx" in answer.text  # the text, as text, to fix
    assert store.comments_page(PAPER).total == 0


def test_an_edit_that_adds_a_mention_tells_that_user_once(store: PaperStore) -> None:
    fill_store(store)  # type: ignore[arg-type]
    a, _b = _client(store, "alice"), _client(store, "bob")
    bob = store.user_by_name("bob")[0]  # type: ignore[index]
    first = _id(_post(a, "An opening claim"))
    assert store.unread_notifications(bob.id) == 0
    for body in ("An opening claim, cc @bob", "An opening claim, cc @bob and @alice"):
        token = csrf_of(a.get(f"/comments/{first}/edit").text)
        a.post(f"/comments/{first}/edit", data={"body": body, "csrf_token": token})
    told = store.notifications(bob.id)
    assert [(n.kind, n.comment.id) for n in told] == [("mention", first)]
    assert store.notifications(store.user_by_name("alice")[0].id) == []  # type: ignore[index]


def test_notifications_name_the_paper_and_say_readable_times(store: PaperStore) -> None:
    fill_store(store)  # type: ignore[arg-type]
    paper = store.get_paper(PAPER)
    assert paper is not None
    store.replace_papers([replace(paper, title="Scaling $\\alpha$ Transformers")])
    app = make_app(store, None, display_timezone="Europe/Paris")  # type: ignore[arg-type]
    a, b, mod = (TestClient(app) for _ in range(3))
    for client, name in ((a, "alice"), (b, "bob"), (mod, "mod")):
        assert register(client, name).status_code == 303
    store.grant_role(store.user_by_name("mod")[0].id, "moderator", 0.0)  # type: ignore[index]
    first = _id(_post(a, "A claim"))
    _post(b, "Not with $\\beta$, @alice.", first)
    iso = NOW.isoformat().replace("+00:00", "Z")
    # NOW is 12:00 UTC on Nov 25, 2026: 13:00 in Paris (CET).
    shown = f'<time datetime="{iso}">Nov 25, 2026, 13:00 CET</time>'
    notes = a.get("/notifications").text
    assert "bob</strong>" in notes and "replied to you" in notes
    link = re.search(r'href="/comments/\d+">(.*?)</a>', notes)
    assert link is not None and link.group(1).startswith("Scaling <math")
    assert 'alttext="$\\alpha$"' in link.group(1) and f">{PAPER}<" not in notes
    assert 'alttext="$\\beta$"' in notes and "$\\beta$," not in notes.replace('"$\\beta$"', "")
    assert shown in notes and f">{iso}<" not in notes
    page = a.get(f"/papers/{PAPER}").text
    assert page.count(shown) >= 2 and f">{iso}<" not in page
    token = csrf_of(mod.get("/moderation").text)
    mod.post(f"/moderation/comments/{first}/hide", data={"csrf_token": token, "hidden": "1"})
    log = mod.get("/moderation/log").text
    assert shown in log and f">{iso}<" not in log
    recent = a.get("/discussions").text
    assert 'alttext="$\\alpha$"' in recent and shown in recent


def test_a_notification_shows_the_comment_as_the_discussion_does(store: PaperStore) -> None:
    fill_store(store)  # type: ignore[arg-type]
    a, b = _client(store, "alice"), _client(store, "bob")
    _post(b, "**Bold** claim for @alice with $x^2$ and <script>x</script>")
    page = a.get("/notifications").text
    assert "<strong>Bold</strong>" in page and "**Bold**" not in page
    assert "<math" in page and "<script>x" not in page
