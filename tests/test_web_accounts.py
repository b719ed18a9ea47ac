"""Accounts: registration, login (rate limited), logout, sessions, CSRF, and upvotes."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from paperwire.store import SQLiteStore
from paperwire.web.security.redirects import safe_next
from web_helpers import PASSWORD, csrf_of, fill_store, log_in, make_app, register


@pytest.fixture
def client(store: SQLiteStore) -> Iterator[TestClient]:
    fill_store(store)
    with TestClient(make_app(store, None)) as test_client:
        yield test_client


def shown_upvotes(html: str, paper_id: str) -> int:
    anchor = "p-" + "".join(c if c.isalnum() else "-" for c in paper_id)
    part = html.split(f'id="{anchor}"', 1)[1] if f'id="{anchor}"' in html else html
    found = re.search(r'<span class="count">(\d+)</span>', part)
    assert found
    return int(found.group(1))


def vote(client: TestClient, paper_id: str, choice: str = "up", **headers: str) -> int:
    token = csrf_of(client.get(f"/papers/{paper_id}").text)
    answer = client.post(
        f"/papers/{paper_id}/vote",
        data={"csrf_token": token, "vote": choice},
        headers={"accept": "application/json", **headers},
    )
    assert answer.status_code == 200, answer.text
    return int(answer.json()["upvotes"])


def test_register_logs_in_with_a_safe_cookie(client: TestClient, store: SQLiteStore) -> None:
    answer = register(client, "ada")
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("pw_session=") and "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
    assert "Secure" not in cookie
    assert ">ada</span>" in client.get("/login").text
    row = store._reader().execute("SELECT password_hash FROM users").fetchone()
    assert row[0].startswith("$argon2id$") and PASSWORD not in row[0]


def test_secure_cookies_when_configured(store: SQLiteStore) -> None:
    fill_store(store)
    app = make_app(store, None, secure_cookies=True)
    with TestClient(app, base_url="https://testserver") as client:
        answer = register(client, "ada")
    assert "Secure" in answer.headers["set-cookie"]
    assert answer.headers["strict-transport-security"].startswith("max-age=")


def test_sessions_live_on_the_server_and_rotate_on_login(
    client: TestClient, store: SQLiteStore
) -> None:
    register(client, "ada")
    first = client.cookies["pw_session"]
    stored = [r[0] for r in store._reader().execute("SELECT token_hash FROM sessions")]
    assert first not in stored  # only a hash is kept
    log_in(client, "ada")
    second = client.cookies["pw_session"]
    assert second != first
    client.cookies.set("pw_session", first)
    assert "Log in" in client.get("/login").text  # the old token no longer opens a session


def test_logout_ends_the_session(client: TestClient) -> None:
    register(client, "ada")
    token = client.cookies["pw_session"]
    page = client.get("/submit").text
    client.post("/logout", data={"csrf_token": csrf_of(page)})
    client.cookies.set("pw_session", token)
    assert ">ada</span>" not in client.get("/submit").text


@pytest.mark.parametrize(
    ("username", "password", "confirm", "message"),
    [
        ("a", PASSWORD, PASSWORD, "3 to 32 letters"),
        ("<script>", PASSWORD, PASSWORD, "3 to 32 letters"),
        ("grace", "short", "short", "at least 10 characters"),
        ("grace", PASSWORD, PASSWORD + "x", "passwords differ"),
    ],
)
def test_registration_says_what_is_wrong(
    client: TestClient, username: str, password: str, confirm: str, message: str
) -> None:
    token = csrf_of(client.get("/register").text)
    answer = client.post(
        "/register",
        data={"username": username, "password": password, "confirm": confirm, "csrf_token": token},
    )
    assert answer.status_code == 400 and message in answer.text


def test_user_names_are_unique_without_case(client: TestClient) -> None:
    register(client, "ada")
    client.cookies.clear()
    answer = register(client, "ADA")
    assert answer.status_code == 400 and "taken" in answer.text


def test_wrong_password_then_lockout_per_account(client: TestClient) -> None:
    register(client, "ada")
    client.cookies.clear()
    for _ in range(5):
        assert log_in(client, "ada", "wrong password!").status_code == 401
    limited = log_in(client, "ada")  # even the right password waits now
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) > 0
    assert "Too many attempts" in limited.text


def test_lockout_per_address_across_accounts(store: SQLiteStore) -> None:
    fill_store(store)
    with TestClient(make_app(store, None, login_limit_ip=3, login_limit_account=100)) as client:
        for name in ("u1", "u2", "u3"):
            assert log_in(client, name, "nope nope nope").status_code == 401
        assert log_in(client, "u4", "nope nope nope").status_code == 429


def test_state_changing_requests_need_the_csrf_token(
    client: TestClient, store: SQLiteStore
) -> None:
    token = csrf_of(client.get("/register").text)
    data = {"username": "mallory", "password": PASSWORD, "confirm": PASSWORD}
    assert client.post("/register", data=data).status_code == 403
    assert client.post("/register", data={**data, "csrf_token": "forged"}).status_code == 403
    assert store.user_by_name("mallory") is None
    register(client, "ada")
    before = store.local_votes(["2611.00001"])
    answer = client.post("/papers/2611.00001/vote", data={"csrf_token": token, "vote": "up"})
    assert answer.status_code == 403  # the anonymous token is not the session's
    assert client.post("/logout").status_code == 403
    assert store.local_votes(["2611.00001"]) == before


def test_a_request_from_another_site_is_refused(client: TestClient) -> None:
    register(client, "ada")
    token = csrf_of(client.get("/papers/2611.00001").text)
    answer = client.post(
        "/papers/2611.00001/vote",
        data={"csrf_token": token},
        headers={"origin": "https://evil.example"},
    )
    assert answer.status_code == 403


def test_no_state_changes_on_get(client: TestClient) -> None:
    register(client, "ada")
    assert client.get("/papers/2611.00001/vote").status_code == 404
    assert client.get("/logout").status_code == 405
    assert ">ada</span>" in client.get("/").text


def test_one_upvote_per_user_which_can_be_taken_back(client: TestClient) -> None:
    register(client, "ada")
    assert vote(client, "2611.00003") == 8  # 7 imported + 1 here
    assert vote(client, "2611.00003") == 8  # a second upvote changes nothing
    assert shown_upvotes(client.get("/papers/2611.00003").text, "2611.00003") == 8
    assert vote(client, "2611.00003", "down") == 7
    assert vote(client, "2611.00003", "down") == 7
    client.cookies.clear()
    register(client, "grace")
    assert vote(client, "2611.00003") == 8


def test_votes_show_everywhere_after_a_reload(client: TestClient) -> None:
    anonymous_before = client.get("/").text  # fills the page cache
    assert shown_upvotes(anonymous_before, "2611.00010") == 0
    register(client, "ada")
    vote(client, "2611.00010")
    page = client.get("/").text
    assert shown_upvotes(page, "2611.00010") == 1
    assert 'aria-pressed="true"' in page
    client.cookies.clear()
    assert shown_upvotes(client.get("/").text, "2611.00010") == 1
    assert client.get("/api/papers/2611.00010").json()["upvotes"] == 1


def test_voting_without_javascript_redirects_back(client: TestClient) -> None:
    register(client, "ada")
    token = csrf_of(client.get("/").text)
    answer = client.post(
        "/papers/2611.00005/vote",
        data={"csrf_token": token, "vote": "up", "next": "/papers?date=2026-11-23"},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/papers?date=2026-11-23"
    evil = client.post(
        "/papers/2611.00005/vote",
        data={"csrf_token": token, "vote": "down", "next": "https://evil.example/"},
        follow_redirects=False,
    )
    assert evil.headers["location"] == "/papers/2611.00005"


def test_anonymous_upvote_goes_to_login(client: TestClient) -> None:
    html = client.get("/").text
    assert 'href="/login?next=%2Fpapers%2F2611.00001"' in html
    assert 'class="upvote" method="post"' not in html


def test_login_returns_to_a_local_next_only(client: TestClient) -> None:
    register(client, "ada")
    client.cookies.clear()
    page = client.get("/login", params={"next": "//evil.example/x"}).text
    assert 'name="next" value="/"' in page
    token = csrf_of(page)
    answer = client.post(
        "/login",
        data={"username": "ada", "password": PASSWORD, "csrf_token": token, "next": "/trending"},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/trending"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/papers/1", "/papers/1"),
        ("/search?q=a%20b", "/search?q=a%20b"),
        ("https://evil.example/", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("/\x00x", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_safe_next(value: str | None, expected: str) -> None:
    assert safe_next(value) == expected
