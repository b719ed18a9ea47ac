"""Two readers and a moderator in real browsers: a discussion, its notifications (on the site
and by mail through a real SMTP server on loopback), an edit, a delete, a report, a hidden
comment and a ban that ends a session."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_accounts import register
from playwright.sync_api import expect
from serving import serving

from paperwire.store import SQLiteStore
from smtp_helpers import MailCatcher, smtp_server, text_part
from web_helpers import fill_store

PAPER = "2611.00001"
ALICE_MAIL = "alice@example.org"


@pytest.fixture(scope="module")
def mail() -> Iterator[tuple[MailCatcher, int]]:
    catcher = MailCatcher()
    with smtp_server(catcher) as port:
        yield catcher, port


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, mail: tuple[MailCatcher, int]
) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("browser-discussion")
    db = folder / "store.db"
    fill_store(SQLiteStore(db)).close()
    env = {
        "PAPERWIRE_SMTP_HOST": "127.0.0.1",
        "PAPERWIRE_SMTP_PORT": str(mail[1]),
        "PAPERWIRE_SMTP_STARTTLS": "0",
        "PAPERWIRE_PAGE_CACHE_SECONDS": "0",
    }
    with serving(db, folder, env) as url:
        yield url, db


def _reader(browser, url: str, name: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=url)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.problems = problems
    register(page, name)
    return page


def _newest_comment(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("#comments > li.comment").last.get_attribute("id")


def test_two_readers_and_a_moderator(browser, site, mail, shoot) -> None:  # type: ignore[no-untyped-def]
    url, db = site
    catcher, _ = mail
    alice, bob, maud = (_reader(browser, url, name) for name in ("alice", "bob", "maud"))
    granted = subprocess.run(
        [
            sys.executable,
            "-m",
            "paperwire.cli",
            "users",
            "grant",
            "moderator",
            "maud",
            "--db",
            str(db),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert granted.returncode == 0, granted.stderr
    store = SQLiteStore(db)
    alice_id = store.user_by_name("alice")[0].id  # type: ignore[index]
    subscriber, _ = store.add_subscriber(ALICE_MAIL, "daily", alice_id)
    store.confirm_subscriber(subscriber.id)
    store.close()

    # A comments; with the script the page does not reload (the marker survives).
    alice.goto(f"/papers/{PAPER}")
    alice.evaluate("window.notReloaded = true")
    alice.locator("#comment-body").fill("This **scales** better than claimed.")
    alice.get_by_role("button", name="Post comment").click()
    first = alice.locator("#comments > li.comment").first
    expect(first.locator(".comment-body strong")).to_have_text("scales")
    assert alice.evaluate("window.notReloaded === true")
    expect(alice.locator("#discussion-title .count")).to_have_text("(1 here)")
    first_id = first.get_attribute("id")
    shoot(alice, "discussion-01-comment")

    # B replies and mentions A.
    bob.goto(f"/papers/{PAPER}")
    bob.locator(f"#{first_id} .reply-form summary").click()
    bob.locator(f"#{first_id} .reply-form textarea").fill("@alice I doubt it: see the ablation.")
    bob.get_by_role("button", name="Post reply").click()
    reply = bob.locator("#comments > li.comment.reply")
    expect(reply.locator("a.mention")).to_have_text("@alice")
    shoot(bob, "discussion-02-reply")

    # A sees the notification on the site and receives the mail.
    alice.goto("/")
    expect(alice.locator(".notifications-link .badge")).to_have_text("1")
    alice.locator(".notifications-link").click()
    alice.wait_for_url("**/notifications")
    expect(alice.locator(".notification").first).to_contain_text("bob replied to you")
    shoot(alice, "discussion-03-notifications")
    deadline = time.monotonic() + 30
    while not catcher.to(ALICE_MAIL) and time.monotonic() < deadline:
        time.sleep(0.2)
    [message] = catcher.to(ALICE_MAIL)
    assert "bob replied to you" in text_part(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # A edits (marked edited with the time), then deletes: a tombstone, the reply stays.
    comment_number = first_id.split("-")[1]
    alice.goto(f"/comments/{comment_number}/edit")
    alice.locator("#edit-body").fill("This scales about as claimed, on reflection.")
    alice.get_by_role("button", name="Save").click()
    alice.wait_for_url(re.compile(rf".*#{first_id}$"))
    expect(alice.locator(f"#{first_id} .edited")).to_contain_text("edited")
    shoot(alice, "discussion-04-edited")
    alice.locator(f"#{first_id} .delete-comment button").click()
    expect(alice.locator(f"#{first_id}")).to_contain_text("This comment was deleted.")
    expect(alice.locator("#discussion-title .count")).to_have_text("(1 here)")  # B's reply
    expect(alice.locator("#comments > li.comment.reply")).to_contain_text("I doubt it")
    shoot(alice, "discussion-05-deleted")

    # A says more; B reports it; the moderator hides it and bans B.
    alice.locator("#comment-body").fill("A second thought, for the record.")
    alice.get_by_role("button", name="Post comment").click()
    expect(alice.locator("#comments > li.comment").last).to_contain_text("A second thought")
    second_id = _newest_comment(alice)
    bob.goto(f"/papers/{PAPER}")
    bob.locator(f"#{second_id} details.report summary").click()
    bob.locator(f"#{second_id} .report-comment input[name=reason]").fill("off topic")
    bob.get_by_role("button", name="Report to moderators").click()
    expect(bob.locator(f"#{second_id} .form-error")).to_have_text("Reported: thank you.")
    shoot(bob, "discussion-06-reported")

    maud.goto("/moderation")
    expect(maud.locator(".report-item")).to_contain_text("A second thought")
    shoot(maud, "discussion-07-queue")
    maud.get_by_role("button", name="Hide comment").click()
    maud.wait_for_url("**/moderation?done=hidden")
    maud.locator(".ban-form input[name=username]").fill("bob")
    maud.locator(".ban-form input[name=reason]").fill("reporting in bad faith")
    maud.locator(".ban-form").get_by_role("button", name="Ban").click()
    maud.wait_for_url("**/moderation?done=banned")
    maud.goto("/moderation/log")
    expect(maud.locator(".audit-log")).to_contain_text("ban")
    expect(maud.locator(".audit-log")).to_contain_text("hide")
    shoot(maud, "discussion-08-audit-log")

    alice.goto(f"/papers/{PAPER}")
    expect(alice.locator(f"#{second_id}")).to_contain_text("A moderator hid this comment.")
    bob.goto(f"/papers/{PAPER}")
    expect(bob.locator(".account")).to_contain_text("Log in")  # B's session has ended
    shoot(bob, "discussion-09-banned")
    for page in (alice, bob, maud):
        assert not page.problems, page.problems
        page.context.close()
