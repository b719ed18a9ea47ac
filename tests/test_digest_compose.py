"""What a digest holds: trending, "for you" and alerts, each paper once per subscriber ever."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from click.testing import CliRunner

from paperwire.cli.main import cli
from paperwire.config import load_settings
from paperwire.mail.digest import period_key
from paperwire.mail.run import compose_digests
from paperwire.mail.settings import load_mail_settings
from paperwire.model import Author, Paper
from paperwire.store import SQLiteStore

DAY = date(2026, 7, 1)


def _papers(count: int = 12) -> list[Paper]:
    return [
        Paper(
            id=f"2606.{n:05d}",
            title=f"Transformers for graphs, part {n}",
            abstract=f"Message passing and attention on graphs, variant {n}.",
            authors=[Author("Grace Hopper" if n == 7 else f"Author {n}")],
            listed_on=DAY - timedelta(days=n % 4),
            upvotes=100 - n,
        )
        for n in range(count)
    ]


def _active(store: SQLiteStore, email: str, frequency: str = "daily", user: int | None = None):
    subscriber, _ = store.add_subscriber(email, frequency, user)
    return store.confirm_subscriber(subscriber.id)


def test_no_paper_is_sent_twice_across_days(store: SQLiteStore) -> None:
    store.upsert_papers(_papers())
    _active(store, "a@example.org")
    settings = load_settings()
    mail = load_mail_settings(settings)
    seen: set[str] = set()
    for offset, expected in enumerate([5, 5, 2]):  # twelve trending papers, five a day
        messages, run = compose_digests(store, settings, mail, DAY + timedelta(days=offset))
        assert run.subscribers == 1 and len(messages) == 1
        papers = set(messages[0].paper_ids)
        assert len(papers) == expected and papers.isdisjoint(seen)
        seen |= papers
        assert store.enqueue_messages(messages) == 1
    # Every paper was sent: the fourth day has nothing new to send.
    messages, run = compose_digests(store, settings, mail, DAY + timedelta(days=3))
    assert messages == [] and run.nothing_new == 1


def test_weekly_subscribers_get_one_digest_a_week(store: SQLiteStore) -> None:
    store.upsert_papers(_papers())
    _active(store, "w@example.org", "weekly")
    settings = load_settings()
    mail = load_mail_settings(settings)
    messages, _ = compose_digests(store, settings, mail, DAY)
    store.enqueue_messages(messages)
    later_same_week = DAY + timedelta(days=2)
    assert period_key("weekly", DAY) == period_key("weekly", later_same_week) == "2026-W27"
    messages, run = compose_digests(store, settings, mail, later_same_week)
    assert messages == [] and run.already_queued == 1
    assert period_key("daily", DAY) == "2026-07-01"


def test_a_user_gets_for_you_and_alerts_without_repeats(store: SQLiteStore) -> None:
    papers = _papers(30)
    store.upsert_papers(papers)
    user = store.create_user("reader", "hash").id
    store.save_paper(user, papers[29].id)
    store.follow(user, "author", "Grace Hopper")
    _active(store, "u@example.org", user=user)
    settings = load_settings()
    messages, _ = compose_digests(store, settings, load_mail_settings(settings), DAY)
    [message] = messages
    body = message.message.decode()
    assert "Trending" in body and "For you" in body
    assert len(message.paper_ids) == len(set(message.paper_ids))
    assert papers[29].id not in message.paper_ids  # already in the library
    # Grace Hopper's paper is trending (upvotes 93), so it is not repeated as an alert.
    assert message.paper_ids.count("2606.00007") == 1


def test_dry_run_writes_nothing_and_sending_needs_smtp(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    store = SQLiteStore(db)
    store.upsert_papers(_papers())
    _active(store, "a@example.org")
    store.close()
    runner = CliRunner()
    args = ["digest", "send", "--db", str(db), "--today", DAY.isoformat()]
    result = runner.invoke(cli, [*args, "--dry-run", "--json", "-"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["composed"] == 1 and figures["queued"] == 0
    assert figures["previews"][0]["to"] == "a@example.org"
    store = SQLiteStore(db)
    assert store.outbox_counts() == {}
    store.close()
    result = runner.invoke(cli, args)
    assert result.exit_code == 1 and "PAPERWIRE_SMTP_HOST" in result.output
