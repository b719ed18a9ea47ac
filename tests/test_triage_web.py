"""Triage in the pages: saved and dismissed marks with their undo on every card and on
the paper page, "for you"'s save, dismiss and seen as plain forms and as the script's
JSON, and what must never happen: a change without the CSRF token, another reader's
marks shown, or a reader's page kept in a shared cache."""

from __future__ import annotations

import re
import sqlite3
import threading
from pathlib import Path

from fastapi.testclient import TestClient

from paperwire.store import SQLiteStore
from paperwire.store.base import PaperStore
from web_helpers import csrf_of, fill_store, log_in, make_app, register

PAPER = "2611.00004"  # "Reasoning Transformers Learn Chain of Thought", Example Lab, Nov 23
TITLE = "Reasoning Transformers Learn Chain of Thought"
OTHER = "2611.00007"
# Every list that shows PAPER as a card, and the paper's own page.
LISTS = [
    "/papers?date=2026-11-23",
    "/papers?week=2026-W48",
    "/papers?month=2026-11",
    "/trending",
    "/orgs/example-lab",
    "/search?q=reasoning",
]


def _client(store: PaperStore, tmp_path: Path | None, name: str | None = "ann") -> TestClient:
    """A client of the app on ``store`` (with a keyword index in ``tmp_path`` when given),
    logged in as ``name`` unless it is None."""
    index = tmp_path / "indexes" if tmp_path is not None else None
    client = TestClient(make_app(store, index))  # type: ignore[arg-type]
    if name is not None:
        assert register(client, name).status_code == 303
        log_in(client, name)
    return client


def _card(html: str, paper_id: str) -> str:
    """The card of ``paper_id`` in a page: its <li> up to the next one."""
    anchor = "p-" + re.sub(r"[^0-9A-Za-z]", "-", paper_id)
    found = re.search(rf'<li class="paper" id="{anchor}">(.*?)</li>', html, re.S)
    assert found, f"no card for {paper_id}"
    return found.group(1)


def _post(client: TestClient, path: str, **fields: str) -> object:
    token = csrf_of(client.get("/library").text)
    return client.post(path, data={"csrf_token": token, **fields}, follow_redirects=False)


def _triage(card: str) -> str:
    found = re.search(r'<div class="triage".*?</div>', card, re.S)
    assert found, "the card has no triage controls"
    return found.group(0)


def test_every_card_and_the_paper_page_show_saved_and_dismissed_with_undo(
    store: PaperStore, tmp_path: Path
) -> None:
    fill_store(store)  # type: ignore[arg-type]
    client = _client(store, tmp_path)
    for path in LISTS:
        controls = _triage(_card(client.get(path).text, PAPER))
        assert 'action="/library/save"' in controls and "Saved</span>" not in controls, path

    saved = _post(client, "/library/save", paper_id=PAPER, next=f"{LISTS[0]}#p-2611-00004")
    assert saved.status_code == 303  # type: ignore[attr-defined]
    assert saved.headers["location"] == f"{LISTS[0]}#p-2611-00004"  # type: ignore[attr-defined]
    _post(client, "/for-you/dismiss", paper_id=OTHER, next="/")
    for path in LISTS:
        controls = _triage(_card(client.get(path).text, PAPER))
        assert '<span class="triage-mark saved">Saved</span>' in controls, path
        assert 'action="/library/remove"' in controls and ">Undo<" in controls, path
        assert 'action="/library/save"' not in controls, path
    other = _triage(_card(client.get("/papers?month=2026-11").text, OTHER))
    assert '<span class="triage-mark dismissed">Not interested</span>' in other
    assert 'action="/for-you/undismiss"' in other

    page = client.get(f"/papers/{PAPER}").text
    assert "In your library." in page and "Undo save" in page
    assert "Save to library" not in page  # the fault this fixes: it offered saving again
    assert "Marked not interested" in client.get(f"/papers/{OTHER}").text

    _post(client, "/library/remove", paper_id=PAPER, next="/")
    _post(client, "/for-you/undismiss", paper_id=OTHER, next="/")
    assert store.paper_marks(store.user_by_name("ann")[0].id, [PAPER, OTHER]) == {}  # type: ignore[index]
    page = client.get(f"/papers/{PAPER}").text
    assert "Save to library" in page and "In your library" not in page
    assert "Not interested</button>" in client.get(f"/papers/{OTHER}").text


def test_for_you_triage_as_plain_forms(store: PaperStore) -> None:
    fill_store(store)  # type: ignore[arg-type]
    client = _client(store, None)
    _post(client, "/library/save", paper_id=PAPER, next="/")  # something to learn from
    page = client.get("/for-you").text
    shown = re.findall(r'<li class="paper" id="p-([0-9-]+)">', page)
    assert len(shown) >= 2
    first, second = (s.replace("-", ".", 1).replace("-", ".") for s in shown[:2])
    controls = _triage(_card(page, first))
    assert f'value="/for-you?done=dismissed&amp;paper={first}"' in controls
    assert 'action="/for-you/seen"' in controls and "Mark seen" in controls
    assert "leaves this list the next time it loads" in page  # what "seen" does, said

    answer = _post(
        client, "/for-you/dismiss", paper_id=first, next=f"/for-you?done=dismissed&paper={first}"
    )
    assert answer.headers["location"] == f"/for-you?done=dismissed&paper={first}"  # type: ignore[attr-defined]
    page = client.get(answer.headers["location"]).text  # type: ignore[attr-defined]
    notice = re.search(
        r'<div class="notice success triage-notice" role="status">(.*?)</div>', page, re.S
    )
    assert notice and "Marked not interested: “" in notice.group(1)
    assert 'action="/for-you/undismiss"' in notice.group(1)
    assert f'id="p-{first.replace(".", "-")}"' not in page  # gone from the list

    _post(
        client,
        "/for-you/undismiss",
        paper_id=first,
        next=f"/for-you?done=undismissed&paper={first}",
    )
    page = client.get(f"/for-you?done=undismissed&paper={first}").text
    assert "No longer marked not interested" in page
    assert f'id="p-{first.replace(".", "-")}"' in page  # back in the list

    _post(client, "/for-you/seen", paper_id=second, next=f"/for-you?done=seen&paper={second}")
    page = client.get(f"/for-you?done=seen&paper={second}").text
    assert f'id="p-{second.replace(".", "-")}"' not in page and "Marked seen: “" in page
    assert 'action="/for-you/unseen"' in page
    _post(client, "/for-you/unseen", paper_id=second, next="/for-you")
    assert f'id="p-{second.replace(".", "-")}"' in client.get("/for-you").text

    # A forged note shows nothing: an unknown action, an unknown paper, markup.
    for query in (
        "done=deleted&paper=2611.00001",
        "done=saved&paper=2611.99999",
        "done=saved&paper=<script>",
        "done=saved",
    ):
        assert "triage-notice" not in client.get(f"/for-you?{query}").text, query


def test_the_scripts_json_answer(store: PaperStore) -> None:
    fill_store(store)  # type: ignore[arg-type]
    client = _client(store, None)
    token = csrf_of(client.get("/library").text)
    json = {"Accept": "application/json", "X-CSRF-Token": token}
    answer = client.post(
        "/library/save", data={"paper_id": PAPER, "next": "/trending#p-2611-00004"}, headers=json
    )
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "private, no-store"
    body = answer.json()
    assert body["saved"] is True and body["dismissed"] is False and body["seen"] is False
    assert body["message"] == f"Saved to your library: “{TITLE}”."
    assert body["html"].startswith(f'<div class="triage" data-paper="{PAPER}">')
    assert 'action="/library/remove"' in body["html"]
    assert 'value="/trending#p-2611-00004"' in body["html"]  # the no-JS path stays right

    answer = client.post("/for-you/seen", data={"paper_id": PAPER, "view": "for-you"}, headers=json)
    body = answer.json()
    assert body["seen"] is True and body["saved"] is True
    assert 'action="/for-you/unseen"' in body["html"]  # the for-you controls, seen included
    assert (
        client.post("/for-you/unseen", data={"paper_id": PAPER}, headers=json).json()["seen"]
        is False
    )

    missing = client.post("/for-you/dismiss", data={"paper_id": "2611.99999"}, headers=json)
    assert missing.status_code == 404
    missing = client.post("/for-you/seen", data={"paper_id": "2611.99999"}, headers=json)
    assert missing.status_code == 404


CHANGES = [
    "/library/save",
    "/library/remove",
    "/for-you/dismiss",
    "/for-you/undismiss",
    "/for-you/seen",
    "/for-you/unseen",
]


def test_every_change_needs_the_csrf_token_and_a_login(store: PaperStore, tmp_path: Path) -> None:
    fill_store(store)  # type: ignore[arg-type]
    client = _client(store, None)
    user = store.user_by_name("ann")[0]  # type: ignore[index]
    store.save_paper(user.id, OTHER)
    store.set_not_interested(user.id, "2611.00005")
    store.mark_seen(user.id, ["2611.00003"])
    papers = [PAPER, OTHER, "2611.00005", "2611.00003"]
    before = store.paper_marks(user.id, papers)
    token = csrf_of(client.get("/library").text)
    for path in CHANGES:
        for paper in papers:
            refused = client.post(path, data={"paper_id": paper}, follow_redirects=False)
            assert refused.status_code == 403, (path, paper)
            forged = client.post(
                path,
                data={"paper_id": paper, "csrf_token": "forged"},
                headers={"Accept": "application/json", "X-CSRF-Token": "forged"},
            )
            assert forged.status_code == 403, (path, paper)
            elsewhere = client.post(
                path,
                data={"paper_id": paper, "csrf_token": token},
                headers={"Origin": "https://evil.example"},
            )
            assert elsewhere.status_code == 403, (path, paper)
    assert store.paper_marks(user.id, papers) == before

    visitor = _client(store, None, name=None)
    token = csrf_of(visitor.get("/login").text)
    for path in CHANGES:
        answer = visitor.post(
            path, data={"paper_id": PAPER, "csrf_token": token}, follow_redirects=False
        )
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_marks_are_never_anothers_and_never_cached(store: PaperStore) -> None:
    fill_store(store)  # type: ignore[arg-type]
    app = make_app(store, None)  # type: ignore[arg-type]
    visitor, ann, bob = TestClient(app), TestClient(app), TestClient(app)
    for client, name in ((ann, "ann"), (bob, "bob")):
        register(client, name)
        log_in(client, name)
    path = "/papers?date=2026-11-23"
    first = visitor.get(path)  # cached for visitors from here on
    assert 'class="triage"' not in first.text and "private" not in first.headers.get(
        "cache-control", ""
    )
    _post(ann, "/library/save", paper_id=PAPER, next="/")
    _post(ann, "/for-you/dismiss", paper_id="2611.00005", next="/")

    for seen_by, page in ((ann, ann.get(path)), (bob, bob.get(path))):
        assert page.headers["cache-control"] == "private, no-store"
        saved = "Saved</span>" in _card(page.text, PAPER)
        assert saved is (seen_by is ann)
    assert "Not interested</span>" not in bob.get("/papers/2611.00005").text
    assert "Marked not interested" in ann.get("/papers/2611.00005").text
    again = visitor.get(path)
    assert again.text == first.text  # the visitors' page, untouched by either reader
    state = app.state.paperwire
    assert state.cache.hits >= 1
    for key, cached in state.cache._pages.items():
        assert b'class="triage"' not in cached.body and b"Saved</span>" not in cached.body, key


class _TracedStore(SQLiteStore):
    """The SQLite store, recording every statement any of its connections runs."""

    def __init__(self, path: Path) -> None:
        self.statements: list[str] = []
        self._trace_lock = threading.Lock()
        super().__init__(path)

    def _connect(self) -> sqlite3.Connection:
        conn = super()._connect()
        conn.set_trace_callback(self._record)
        return conn

    def _record(self, sql: str) -> None:
        with self._trace_lock:
            self.statements.append(sql)


def test_one_read_of_the_readers_marks_per_page(tmp_path: Path) -> None:
    store = fill_store(_TracedStore(tmp_path / "traced.db"))
    client = _client(store, tmp_path)
    store.save_paper(store.user_by_name("ann")[0].id, PAPER)  # type: ignore[index]
    for path in [*LISTS, f"/papers/{PAPER}", "/"]:
        store.statements.clear()
        page = client.get(path)
        assert page.status_code == 200
        cards = page.text.count('class="triage"')
        reads = [s for s in store.statements if "FROM library" in s]
        assert cards >= 1 and len(reads) == 1, (path, cards, reads)
