"""The reader's pages: library with folders, follows, "for you" and its private RSS feed."""

from __future__ import annotations

from defusedxml import ElementTree
from fastapi.testclient import TestClient

from paperwire.config import load_settings
from paperwire.mail.links import SiteLinks
from paperwire.mail.settings import load_mail_settings
from paperwire.store import SQLiteStore
from web_helpers import csrf_of, fill_store, log_in, make_app, register


def _client(store: SQLiteStore) -> TestClient:
    fill_store(store)
    return TestClient(make_app(store, None))


def _logged_in(store: SQLiteStore, name: str = "reader") -> TestClient:
    client = _client(store)
    assert register(client, name).status_code == 303
    log_in(client, name)
    return client


def test_pages_ask_visitors_to_log_in(store: SQLiteStore) -> None:
    client = _client(store)
    for path in ("/for-you", "/library", "/follows"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_save_into_a_folder_and_the_feed_learns(store: SQLiteStore) -> None:
    client = _logged_in(store)
    token = csrf_of(client.get("/library").text)
    answer = client.post(
        "/library/save",
        data={"paper_id": "2611.00004", "folder": "Reasoning", "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    page = client.get("/library").text
    assert "Reasoning Transformers Learn Chain of Thought" in page and ">Reasoning</a>" in page
    user = store.user_by_name("reader")[0]  # type: ignore[index]
    [folder] = store.folders(user.id)
    assert "Reasoning Transformers" in client.get(f"/library?folder={folder.id}").text
    assert client.get("/library?folder=999").status_code == 404

    page = client.get("/for-you").text
    assert "because you saved “Reasoning Transformers Learn Chain of Thought”" in page
    assert "Reasoning Transformers Learn Chain of Thought</a>" not in page  # saved: hidden


def test_saving_an_unknown_paper_or_without_csrf_fails(store: SQLiteStore) -> None:
    client = _logged_in(store)
    token = csrf_of(client.get("/library").text)
    answer = client.post("/library/save", data={"paper_id": "2611.99999", "csrf_token": token})
    assert answer.status_code == 404
    assert client.post("/library/save", data={"paper_id": "2611.00004"}).status_code == 403
    user = store.user_by_name("reader")[0]  # type: ignore[index]
    assert store.library(user.id) == []


def test_follows_drive_a_cold_start_and_bad_kinds_are_refused(store: SQLiteStore) -> None:
    client = _logged_in(store)
    token = csrf_of(client.get("/follows").text)
    answer = client.post(
        "/follows", data={"kind": "keyword", "value": "speech", "csrf_token": token}
    )
    assert answer.status_code == 200 and "keyword: speech" in answer.text
    answer = client.post("/follows", data={"kind": "planet", "value": "Mars", "csrf_token": token})
    assert answer.status_code == 400 and "cannot follow a &#39;planet&#39;" in answer.text
    page = client.get("/for-you").text
    assert "Speech Recognition in Noisy Rooms" in page
    assert "mentions “speech”, a keyword you follow" in page


def test_private_rss_feed_needs_its_token(store: SQLiteStore) -> None:
    client = _logged_in(store)
    token = csrf_of(client.get("/library").text)
    client.post("/library/save", data={"paper_id": "2611.00004", "csrf_token": token})
    user = store.user_by_name("reader")[0]  # type: ignore[index]
    settings = load_settings()
    link = SiteLinks(settings.base_url, load_mail_settings(settings).secret).for_you_feed(user.id)
    path = link.removeprefix(settings.base_url)
    anonymous = TestClient(client.app)
    answer = anonymous.get(path)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(
        "application/rss+xml"
    )
    items = ElementTree.fromstring(answer.content).findall("./channel/item")
    assert items and all("because you saved" in i.findtext("description", "") for i in items)
    assert anonymous.get("/for-you/feed.rss?token=1.AAAAAAAAAAAAAAAAAAAAAA").status_code == 404


def test_seen_and_dismissed_papers_leave_the_feed(store: SQLiteStore) -> None:
    client = _logged_in(store)
    token = csrf_of(client.get("/library").text)
    client.post("/library/save", data={"paper_id": "2611.00004", "csrf_token": token})
    user = store.user_by_name("reader")[0]  # type: ignore[index]
    before = store.user_signals(user.id)
    assert before.seen == set()
    client.post("/for-you/dismiss", data={"paper_id": "2611.00001", "csrf_token": token})
    client.post(
        "/for-you/seen", data={"paper_id": ["2611.00006", "2611.00005"], "csrf_token": token}
    )
    signals = store.user_signals(user.id)
    assert signals.not_interested == ["2611.00001"]
    assert signals.seen == {"2611.00006", "2611.00005"}
    page = client.get("/for-you").text
    for hidden in ("2611.00001", "2611.00006", "2611.00005"):
        assert f"/papers/{hidden}" not in page


def test_a_paper_page_offers_save_and_dismiss_to_users_only(store: SQLiteStore) -> None:
    client = _client(store)
    assert "Save to library" not in client.get("/papers/2611.00004").text
    assert register(client, "reader").status_code == 303
    log_in(client, "reader")
    page = client.get("/papers/2611.00004").text
    assert 'action="/library/save"' in page and 'action="/for-you/dismiss"' in page
    token = csrf_of(page)
    form = {
        "paper_id": "2611.00004",
        "folder": "",
        "next": "/papers/2611.00004",
        "csrf_token": token,
    }
    answer = client.post("/library/save", data=form, follow_redirects=False)
    assert answer.headers["location"] == "/papers/2611.00004"
