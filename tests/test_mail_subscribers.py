"""Subscribers: double opt-in states, and who may change a confirmed subscription."""

from __future__ import annotations

import pytest

from paperwire.store import SQLiteStore


def test_double_opt_in_and_resubscribing(store: SQLiteStore) -> None:
    subscriber, pending = store.add_subscriber("Reader@Example.org", "daily")
    assert pending and subscriber.status == "pending" and store.active_subscribers() == []
    confirmed = store.confirm_subscriber(subscriber.id)
    assert confirmed is not None and confirmed.active
    assert store.active_subscribers() == [confirmed]
    store.unsubscribe(subscriber.id)
    assert store.confirm_subscriber(subscriber.id).status == "unsubscribed"  # type: ignore[union-attr]
    again, pending = store.add_subscriber("reader@example.org", "weekly")
    assert pending and again.id == subscriber.id and again.frequency == "weekly"


def test_only_its_own_user_changes_a_confirmed_subscription(store: SQLiteStore) -> None:
    owner = store.create_user("owner", "h").id
    other = store.create_user("other", "h").id
    subscriber, _ = store.add_subscriber("o@example.org", "daily", owner)
    store.confirm_subscriber(subscriber.id)
    found, pending = store.add_subscriber("O@example.org", "weekly", other)
    assert not pending and (found.frequency, found.user_id) == ("daily", owner)
    found, _ = store.add_subscriber("o@example.org", "weekly")
    assert found.frequency == "daily"
    found, _ = store.add_subscriber("o@example.org", "weekly", owner)
    assert found.frequency == "weekly" and store.subscriber_of_user(owner) == found


def test_bad_frequency_is_refused(store: SQLiteStore) -> None:
    with pytest.raises(ValueError, match="daily, weekly"):
        store.add_subscriber("a@example.org", "hourly")
    assert store.subscriber_by_email("a@example.org") is None
