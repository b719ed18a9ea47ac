"""``kill -9`` of a served site during a burst of comments whose watchers are mailed.

A real ``paperwire serve`` (SMTP on loopback, every notification mailed at
once: an interval of 0) takes comments from several users at once through
the JSON API on a paper four readers watch; each comment's request then
composes and sends the watchers' mail. The server is SIGKILLed mid-burst,
then the mail run is completed by a new process. After it: every comment
acknowledged (201) is stored with its text, and each watcher got each
comment in exactly one message (one Message-ID; see ``mail.outbox`` for the
one window where a message may be handed to SMTP twice, with the same
Message-ID), and every notification was mailed. Figures go to
artifacts/hardening/comment_crash.json.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from hardening_helpers import paperwire, write_artifact
from test_crash import _check_ok, _free_port, _kill, _kind, _logged_in_client, _serve, _wait_for

from paperwire.ingest import import_paths
from paperwire.store import StoreLocation, open_store_at
from smtp_helpers import MailCatcher, smtp_server, text_part
from web_helpers import FIXTURE

PAPER = "2611.00001"
POSTERS = 4
WATCHERS = 4
BURST = 80  # comments sent; the kill lands after KILL_AFTER are acknowledged
KILL_AFTER = 30


def _watchers(db: StoreLocation) -> dict[str, int]:
    store = open_store_at(db)
    try:
        import_paths(store, [FIXTURE])
        found = {}
        for n in range(WATCHERS):
            user = store.create_user(f"watcher{n}", "no login")
            subscriber, _ = store.add_subscriber(f"watcher{n}@example.org", "daily", user.id)
            store.confirm_subscriber(subscriber.id)
            store.set_watch(user.id, PAPER, True, 0.0)
            found[f"watcher{n}@example.org"] = user.id
        return found
    finally:
        store.close()


def test_kill_during_a_burst_of_comments(
    tmp_path: Path, store_location: StoreLocation, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, home = store_location, tmp_path / "home"
    watchers = _watchers(db)
    catcher = MailCatcher()
    with smtp_server(catcher) as smtp_port:
        for name, value in {
            "PAPERWIRE_HOME": str(home),
            "PAPERWIRE_SMTP_HOST": "127.0.0.1",
            "PAPERWIRE_SMTP_PORT": str(smtp_port),
            "PAPERWIRE_SMTP_STARTTLS": "0",
            "PAPERWIRE_NOTIFY_MAIL_INTERVAL_SECONDS": "0",
            "PAPERWIRE_COMMENTS_PER_HOUR": "0",
        }.items():
            monkeypatch.setenv(name, value)  # the server's and the rerun's environment
        port = _free_port()
        server = _serve(db, home, port)
        clients = [
            _logged_in_client(f"http://127.0.0.1:{port}", f"poster{n}") for n in range(POSTERS)
        ]
        acknowledged: dict[int, str] = {}
        lock = threading.Lock()

        def post(n: int) -> None:
            client, token = clients[n % POSTERS]
            body = f"comment number {n} from poster{n % POSTERS}"
            try:
                answer = client.post(
                    f"/api/papers/{PAPER}/comments",
                    json={"body": body},
                    headers={"X-CSRF-Token": token},
                )
            except httpx.HTTPError:
                return  # the server died under this request: not acknowledged
            if answer.status_code == 201:
                with lock:
                    acknowledged[answer.json()["id"]] = body

        with ThreadPoolExecutor(max_workers=8) as pool:
            futures = [pool.submit(post, n) for n in range(BURST)]
            _wait_for(lambda: len(acknowledged) >= KILL_AFTER, server, "comments acknowledged")
            _kill(server)
            for future in futures:
                future.result()
        for client, _ in clients:
            client.close()
        mailed_before_kill = len(catcher.messages)
        assert KILL_AFTER <= len(acknowledged) < BURST, "the kill should land mid-burst"
        # A new process finishes the mail run the killed one left.
        done = paperwire("digest", "notify", "--db", str(db))
        assert done.returncode == 0, done.stderr

    store = open_store_at(db)
    try:
        stored = {c.id: c.body for c in store.comments_page(PAPER, limit=10_000).comments}
        notified = {
            address: {n.comment.id for n in store.notifications(user_id, 10_000)}
            for address, user_id in watchers.items()
        }
    finally:
        store.close()
    lost = {cid for cid, body in acknowledged.items() if stored.get(cid) != body}
    assert not lost, f"acknowledged comments lost: {sorted(lost)[:5]}"
    in_mail: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for message in catcher.messages:
        for cid in re.findall(r"/comments/(\d+)", text_part(message)):
            in_mail[str(message["To"])][int(cid)].add(str(message["Message-ID"]))
    duplicates = sum(
        len(ids) - 1 for found in in_mail.values() for ids in found.values() if len(ids) > 1
    )
    assert duplicates == 0, "a notification went out in two different messages"
    for address, comment_ids in notified.items():
        assert set(stored) == comment_ids  # every comment notified each watcher once
        assert set(in_mail[address]) == comment_ids, f"{address} missed some notifications"
    _check_ok(db)
    write_artifact(
        f"comment_crash_{_kind(db)}",
        {
            "kills": 1,
            "comments_in_burst": BURST,
            "acknowledged": len(acknowledged),
            "stored": len(stored),
            "losses": len(lost),
            "messages": len(catcher.messages),
            "messages_before_kill": mailed_before_kill,
            "duplicates": duplicates,
        },
    )
