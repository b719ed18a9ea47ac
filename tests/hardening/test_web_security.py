"""The web service against an attacker: escaping everywhere hostile text is shown, CSRF on
every state-changing route, one user unable to touch another's data, session rotation,
security headers on every response, rate limits, and no open redirect.

tests/test_web_escaping.py, test_web_security_headers.py and test_web_accounts.py
cover the public pages, the headers on a sample of URLs and the login flow; this
module covers what they leave out, and enumerates the app's routes so that a new
route without CSRF, headers or a redirect check fails here. Each class is one
category; the outcomes of this module are written, by category, to
``artifacts/hardening/web_security.json`` when it finishes.
"""

from __future__ import annotations

import base64
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from defusedxml import ElementTree
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from httpx import Response

from paperwire.application.understanding import follow_changes
from paperwire.config import Settings, SettingsError, load_settings
from paperwire.ingest.pdf_thumbnail import render_thumbnail
from paperwire.mail.links import SiteLinks
from paperwire.mail.run import compose_digests
from paperwire.mail.settings import load_mail_settings
from paperwire.mail.tokens import make_token
from paperwire.store import PaperStore
from paperwire.store.thumbnails import StoredThumbnail, ThumbnailAttempt
from paperwire.web.render.cards import topic_url
from paperwire.web.settings import load_web_settings
from pdf_helpers import text_and_figure_pdf
from replay_server import ReplayServer, Reply, live_settings, replay_server
from smtp_helpers import MailCatcher, html_part, smtp_server
from web_helpers import (
    FRESH_ATOM,
    HOSTILE_ID,
    NOW,
    PASSWORD,
    REPO_ROOT,
    csrf_of,
    fill_store,
    log_in,
    make_app,
    register,
)

ARTIFACT = REPO_ROOT / "artifacts" / "hardening" / "web_security.json"
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
ADDRESS = "reader@example.org"
SUBMITTED = "2611.00042"  # what the arXiv stand-in knows (FRESH_ATOM)
HOSTILE_FOLDER = "<script>alert('folder')</script>"
HOSTILE_FOLLOW = '<img src=x onerror=alert("follow")>'
# Markup from the fixture's hostile paper and from what the tests type in; none may
# appear raw in any page, feed description or mail.
RAW = [
    "<script>alert",
    "<img src=x",
    "<b onmouseover",
    "<svg onload",
    "</details> tags",
    "<b>bold",
    HOSTILE_FOLDER,
    HOSTILE_FOLLOW,
]


# -- the module's figures -------------------------------------------------------------


class _Outcomes:
    """Collects this module's test outcomes (a pytest plugin, registered while it runs)."""

    def __init__(self, module: str) -> None:
        self.module = module
        self.results: dict[str, str] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if not report.nodeid.startswith(self.module):
            return
        # A failed or skipped setup decides the outcome; a passed one waits for the call.
        relevant = report.when == "call" or report.outcome != "passed"
        if relevant and self.results.get(report.nodeid, "passed") == "passed":
            self.results[report.nodeid] = report.outcome

    def summary(self) -> dict[str, Any]:
        by_category: dict[str, Counter[str]] = {}
        for nodeid, outcome in self.results.items():
            parts = nodeid.split("::")
            category = parts[1].removeprefix("Test") if len(parts) > 2 else "other"
            by_category.setdefault(category, Counter())[outcome] += 1
        total = Counter(self.results.values())
        return {
            "tests": len(self.results),
            "passed": total["passed"],
            "failed": total["failed"],
            "skipped": total["skipped"],
            "by_category": {
                name: {"tests": sum(c.values()), **dict(c)}
                for name, c in sorted(by_category.items())
            },
        }


@pytest.fixture(scope="module", autouse=True)
def figures(request: pytest.FixtureRequest) -> Iterator[None]:
    module = request.node.nodeid
    outcomes = _Outcomes(module)
    request.config.pluginmanager.register(outcomes, f"web-security-figures-{id(outcomes)}")
    yield
    request.config.pluginmanager.unregister(outcomes)
    if outcomes.results:
        ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
        ARTIFACT.write_text(json.dumps(outcomes.summary(), indent=2) + "\n", encoding="utf-8")


# -- shared setup -----------------------------------------------------------------------


@pytest.fixture
def arxiv() -> Iterator[ReplayServer]:
    """arXiv's API on loopback: it knows one fresh paper, SUBMITTED."""
    with replay_server() as server:

        def answer(query: dict[str, str]) -> Reply:
            body = FRESH_ATOM.read_text() if query.get("id_list") == SUBMITTED else _EMPTY_FEED
            return Reply(200, body, {"Content-Type": "application/atom+xml"})

        server.handle("/api/query", answer)
        yield server


_EMPTY_FEED = (
    FRESH_ATOM.read_text()
    .split("<entry>")[0]
    .replace("<opensearch:totalResults>1<", "<opensearch:totalResults>0<")
    + "</feed>\n"
)


@pytest.fixture(autouse=True)
def mail_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[MailCatcher]:
    """A real SMTP server on loopback: with mail set up, the subscription form is offered."""
    catcher = MailCatcher()
    with smtp_server(catcher) as port:
        monkeypatch.setenv("PAPERWIRE_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("PAPERWIRE_SMTP_PORT", str(port))
        monkeypatch.setenv("PAPERWIRE_SMTP_STARTTLS", "0")
        yield catcher


@pytest.fixture
def settings(arxiv: ReplayServer, tmp_path: Path) -> Settings:
    return live_settings(arxiv, tmp_path / "home")


@pytest.fixture
def app(store: PaperStore, settings: Settings) -> FastAPI:
    fill_store(store)  # type: ignore[arg-type]
    # Many accounts come from one address here: the registration limit has its own tests.
    return make_app(store, None, settings=settings, register_limit_ip=0)  # type: ignore[arg-type]


def user_client(app: FastAPI, name: str) -> TestClient:
    client = TestClient(app)
    assert register(client, name).status_code == 303
    return client


def user_id(store: PaperStore, name: str) -> int:
    found = store.user_by_name(name)
    assert found is not None
    return found[0].id


def token_of(client: TestClient, page: str = "/subscribe") -> str:
    return csrf_of(client.get(page).text)


def routes(app: FastAPI, methods: set[str]) -> set[tuple[str, str]]:
    """Every (method, path) the app answers among ``methods``, its included routers' too."""
    return {
        (method, str(route.path_format))
        for route in iter_route_contexts(app.routes)
        for method in (route.methods or set()) & methods
    }


def assert_inert(text: str, where: str) -> None:
    for raw in RAW:
        assert raw not in text, f"unescaped {raw!r} in {where}"


# -- escaping ---------------------------------------------------------------------------


def _rss_descriptions(content: bytes) -> list[str]:
    root = ElementTree.fromstring(content)
    return [el.text or "" for el in root.iter("description")]


class TestEscaping:
    """Hostile titles, abstracts, authors, organisations and reader input, shown as text on
    the personal pages, error pages, RSS descriptions (HTML to feed readers) and the digest."""

    @pytest.fixture
    def reader(self, app: FastAPI, store: PaperStore) -> TestClient:
        client = user_client(app, "ada")
        token = token_of(client)
        for paper in (HOSTILE_ID, "2611.00001"):
            data = {"paper_id": paper, "folder": HOSTILE_FOLDER, "csrf_token": token}
            assert client.post("/library/save", data=data).status_code == 200
        for kind, value in [
            ("author", "<b onmouseover=alert(1)>Mallory</b>"),
            ("organization", "<svg onload=alert(1)>Org"),
            ("keyword", HOSTILE_FOLLOW),
        ]:
            data = {"kind": kind, "value": value, "csrf_token": token}
            assert client.post("/follows", data=data).status_code == 200
        return client

    def test_personal_pages_show_hostile_papers_folders_and_follows_as_text(
        self, reader: TestClient, store: PaperStore
    ) -> None:
        folder = store.folders(user_id(store, "ada"))[0]
        pages = {
            "/library": "&lt;script&gt;alert(&#34;title&#34;)",
            f"/library?folder={folder.id}": "&lt;script&gt;alert(&#39;folder&#39;)",
            "/follows": "&lt;img src=x onerror=alert(&#34;follow&#34;)&gt;",
            "/for-you": "",
            f"/papers/{HOSTILE_ID}?submitted=1": "&lt;b onmouseover=alert(1)&gt;Mallory",
        }
        for url, escaped in pages.items():
            page = reader.get(url)
            assert page.status_code == 200, url
            assert escaped in page.text, url
            assert_inert(page.text, url)

    def test_the_private_feed_escapes_its_descriptions(
        self, reader: TestClient, store: PaperStore, settings: Settings
    ) -> None:
        secret = load_mail_settings(settings).secret
        link = SiteLinks(settings.base_url, secret).for_you_feed(user_id(store, "ada"))
        answer = TestClient(reader.app).get(link.removeprefix(settings.base_url))
        assert answer.status_code == 200
        descriptions = _rss_descriptions(answer.content)
        assert len(descriptions) > 1
        for text in descriptions:
            assert_inert(text, "the private feed")

    @pytest.mark.parametrize(
        "url",
        [
            "/feeds/daily.rss",
            "/feeds/trending.rss",
            "/feeds/orgs/svg-onload-alert-1-org.rss",
        ],
    )
    def test_rss_descriptions_are_escaped_html(self, app: FastAPI, url: str) -> None:
        answer = TestClient(app).get(url)
        assert answer.status_code == 200
        descriptions = _rss_descriptions(answer.content)
        assert any("&lt;img src=x onerror=alert(1)&gt;" in d for d in descriptions) or any(
            "&lt;svg onload" in d for d in descriptions
        )
        for text in descriptions:
            assert_inert(text, url)

    def test_pages_that_echo_input_show_it_as_text(self, app: FastAPI) -> None:
        client = TestClient(app)
        hostile = '<script>alert("echo")</script>'
        answers = {
            "paper page": client.get(f"/papers/{hostile}"),
            "organisation": client.get(f"/orgs/{hostile}"),
            "org feed": client.get(f"/feeds/orgs/{hostile}.rss"),
            "login": client.post(
                "/login",
                data={"username": hostile, "password": "x", "csrf_token": token_of(client)},
            ),
            "register": client.post(
                "/register",
                data={
                    "username": hostile,
                    "password": PASSWORD,
                    "confirm": PASSWORD,
                    "csrf_token": token_of(client),
                },
            ),
            "subscribe": client.post(
                "/subscribe", data={"email": hostile, "csrf_token": token_of(client)}
            ),
        }
        for where, answer in answers.items():
            assert 400 <= answer.status_code < 500, where
            assert "<script>alert(" not in answer.text, where
        assert answers["login"].status_code == 401 and "&lt;script&gt;" in answers["login"].text
        # JSON keeps the text as it is: it is never HTML (and nosniff stops a browser guessing).
        api = client.get(f"/api/papers/{hostile}")
        assert api.status_code == 400 and api.headers["content-type"] == "application/json"
        assert api.headers["x-content-type-options"] == "nosniff"

    def test_the_digest_mail_shows_hostile_fields_as_text(
        self, reader: TestClient, store: PaperStore, settings: Settings
    ) -> None:
        subscriber, _ = store.add_subscriber(ADDRESS, "daily", user_id(store, "ada"))
        store.confirm_subscriber(subscriber.id)
        messages, _ = compose_digests(store, settings, load_mail_settings(settings), NOW.date())
        [digest] = messages
        assert HOSTILE_ID in digest.paper_ids
        mail = message_from_bytes(digest.message, policy=policy.default)
        assert isinstance(mail, EmailMessage)
        html = html_part(mail)
        assert "&lt;script&gt;alert(" in html
        assert "&lt;b onmouseover=alert(1)&gt;Mallory&lt;/b&gt;" in html
        assert_inert(html, "the digest's HTML part")


# -- CSRF -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipe:
    """A request that changes something when its CSRF token is right."""

    path: str
    data: dict[str, str]
    as_user: bool = True  # sent by a logged-in reader (else by a visitor)


# Every state-changing route, with a request that would change something. A new route
# must be added here, or test_every_state_changing_route_is_covered fails.
RECIPES: dict[tuple[str, str], Recipe] = {
    ("POST", "/login"): Recipe("/login", {"username": "ada", "password": PASSWORD}, False),
    ("POST", "/register"): Recipe(
        "/register", {"username": "newbie", "password": PASSWORD, "confirm": PASSWORD}, False
    ),
    ("POST", "/logout"): Recipe("/logout", {}),
    ("POST", "/papers/{paper_id}/vote"): Recipe("/papers/2611.00001/vote", {"vote": "up"}),
    ("POST", "/submit"): Recipe("/submit", {"paper": SUBMITTED}),
    ("POST", "/subscribe"): Recipe("/subscribe", {"email": ADDRESS, "frequency": "daily"}),
    ("POST", "/for-you/seen"): Recipe("/for-you/seen", {"paper_id": "2611.00003"}),
    ("POST", "/for-you/dismiss"): Recipe("/for-you/dismiss", {"paper_id": "2611.00004"}),
    ("POST", "/for-you/undismiss"): Recipe("/for-you/undismiss", {"paper_id": "2611.00006"}),
    ("POST", "/for-you/unseen"): Recipe("/for-you/unseen", {"paper_id": "2611.00007"}),
    ("POST", "/library/save"): Recipe("/library/save", {"paper_id": "2611.00001", "folder": "R"}),
    ("POST", "/library/remove"): Recipe("/library/remove", {"paper_id": "2611.00005"}),
    ("POST", "/library/folders/delete"): Recipe("/library/folders/delete", {"folder": "{folder}"}),
    ("POST", "/library/{folder}/collection"): Recipe(
        "/library/{folder}/collection", {"title": "Reading group", "description": "Weekly"}
    ),
    ("POST", "/library/{folder}/collection/private"): Recipe(
        "/library/{shared}/collection/private", {}
    ),
    ("POST", "/library/{folder}/notes"): Recipe(
        "/library/{shared}/notes", {"paper_id": "2611.00010", "note": "Read section 3"}
    ),
    ("POST", "/follows"): Recipe("/follows", {"kind": "keyword", "value": "proteins"}),
    ("POST", "/follows/delete"): Recipe("/follows/delete", {"follow_id": "{follow}"}),
    ("POST", "/papers/{paper_id}/comments"): Recipe(
        "/papers/2611.00001/comments", {"body": "A new comment"}
    ),
    ("POST", "/papers/{paper_id}/watch"): Recipe("/papers/2611.00001/watch", {"watch": "1"}),
    ("POST", "/comments/{comment_id}/edit"): Recipe("/comments/{comment}/edit", {"body": "v2"}),
    ("POST", "/comments/{comment_id}/delete"): Recipe("/comments/{comment}/delete", {}),
    ("POST", "/comments/{comment_id}/report"): Recipe(
        "/comments/{other_comment}/report", {"reason": "spam"}
    ),
    ("POST", "/notifications/read"): Recipe("/notifications/read", {}),
    ("POST", "/notifications/settings"): Recipe("/notifications/settings", {"mail_reply": "1"}),
    ("POST", "/moderation/comments/{comment_id}/hide"): Recipe(
        "/moderation/comments/{other_comment}/hide", {"hidden": "1"}
    ),
    ("POST", "/moderation/comments/{comment_id}/dismiss"): Recipe(
        "/moderation/comments/{other_comment}/dismiss", {}
    ),
    ("POST", "/moderation/ban"): Recipe("/moderation/ban", {"username": "bob", "reason": "x"}),
    ("POST", "/moderation/unban"): Recipe("/moderation/unban", {"username": "carol"}),
}
# The JSON API's state change: the session's CSRF token in the X-CSRF-Token header.
JSON_ROUTES = {("POST", "/api/papers/{paper_id}/comments")}
# Authenticated by a signed token from the subscriber's own mail instead of a session:
# whoever holds the link may use it (RFC 8058 one-click unsubscribe is a POST a mail
# client makes with no cookie and no page, so it cannot carry a CSRF token). A forged
# request has no valid token; test_token_routes_refuse_without_their_token holds them to it.
TOKEN_AUTHENTICATED = {
    ("POST", "/subscribe/confirm"),
    ("POST", "/unsubscribe"),
    ("POST", "/notifications/unsubscribe"),
}


def _world(store: PaperStore, client: TestClient) -> tuple[object, ...]:
    """Everything the recipes can change, read through the store and the site."""
    ada = user_id(store, "ada")
    signals = store.user_signals(ada)
    return (
        store.local_votes([f"2611.{n:05d}" for n in range(1, 11)]),
        store.folders(ada),
        store.library(ada),
        store.follows(ada),
        sorted(signals.seen),
        sorted(signals.not_interested),
        [
            (c.public, c.title, c.description, store.collection_items(c.id))
            for f in store.folders(ada)
            if (c := store.folder_collection(ada, f.id)) is not None
        ],
        store.user_by_name("newbie") is not None,
        store.get_paper(SUBMITTED) is not None,
        store.subscriber_by_email(ADDRESS),
        ">ada</span>" in client.get("/about/ranking").text,  # still logged in
        [
            (c.id, c.body, c.deleted, c.hidden)
            for c in store.comments_page("2611.00001", limit=500).comments
        ],
        store.is_watching(ada, "2611.00001"),
        store.unread_notifications(ada),
        store.notification_mail_kinds(ada),
        [(r.comment.id, r.reporter) for r in store.open_reports()],
        [store.is_banned(user_id(store, name)) for name in ("bob", "carol")],
    )


class TestCsrf:
    def test_every_state_changing_route_is_covered(self, app: FastAPI) -> None:
        found = routes(app, STATE_CHANGING)
        assert found == set(RECIPES) | TOKEN_AUTHENTICATED | JSON_ROUTES, (
            "a new state-changing route needs a CSRF check and a recipe here"
        )

    @pytest.fixture
    def setup(self, app: FastAPI, store: PaperStore) -> tuple[TestClient, TestClient, dict]:
        reader, other = user_client(app, "ada"), user_client(app, "bob")
        ada = user_id(store, "ada")
        store.save_paper(ada, "2611.00005")
        # Marks and a public folder with a paper in it, for the recipes that take them back.
        store.set_not_interested(ada, "2611.00006")
        store.mark_seen(ada, ["2611.00007"])
        shared = store.create_folder(ada, "Shared")
        store.save_paper(ada, "2611.00010", shared.id)
        store.publish_folder(ada, shared.id, "Shared", "")
        ids = {
            "folder": str(store.create_folder(ada, "Old").id),
            "shared": str(shared.id),
            "follow": str(store.follow(ada, "author", "Someone").id),
            **_discussion_world(store, ada),
        }
        return reader, other, ids

    @pytest.mark.parametrize("route", sorted(RECIPES), ids=lambda r: f"{r[0]} {r[1]}")
    def test_refused_without_the_right_token_and_nothing_changes(
        self,
        app: FastAPI,
        store: PaperStore,
        setup: tuple[TestClient, TestClient, dict],
        route: tuple[str, str],
    ) -> None:
        reader, other, ids = setup
        recipe = RECIPES[route]
        data = {k: v.format(**ids) for k, v in recipe.data.items()}
        path = recipe.path.format(**ids)
        client = reader if recipe.as_user else TestClient(app)
        own = token_of(client)
        someone_elses = token_of(other)
        before = _world(store, reader)
        for token in (None, "", "forged-token", someone_elses, own + "x"):
            sent = data if token is None else {**data, "csrf_token": token}
            answer = client.post(path, data=sent, follow_redirects=False)
            assert answer.status_code == 403, (route, token, answer.text[:200])
            assert "pw_session=" not in answer.headers.get("set-cookie", "")
            assert _world(store, reader) == before, (route, token)
        # The right token, from another site: refused too.
        answer = client.post(
            path,
            data={**data, "csrf_token": own},
            headers={"origin": "https://evil.example"},
            follow_redirects=False,
        )
        assert answer.status_code == 403 and _world(store, reader) == before
        # The same request with the right token does change something: the recipe is real.
        answer = client.post(path, data={**data, "csrf_token": own}, follow_redirects=False)
        assert answer.status_code in (200, 303), answer.text[:300]
        changed = _world(store, reader) != before
        assert changed or "pw_session=" in answer.headers.get("set-cookie", "")

    def test_the_json_api_refuses_without_the_header_token(
        self, app: FastAPI, store: PaperStore, setup: tuple[TestClient, TestClient, dict]
    ) -> None:
        reader, other, _ = setup
        url = "/api/papers/2611.00001/comments"
        before = _world(store, reader)
        for token in (None, "", "forged-token", token_of(other), token_of(reader) + "x"):
            headers = {} if token is None else {"X-CSRF-Token": token}
            answer = reader.post(url, json={"body": "hi"}, headers=headers)
            assert answer.status_code == 403, (token, answer.text[:200])
            assert answer.json()["where"] == "csrf_token"
        assert _world(store, reader) == before
        anonymous = TestClient(app)
        answer = anonymous.post(
            url, json={"body": "hi"}, headers={"X-CSRF-Token": token_of(anonymous)}
        )
        assert answer.status_code == 401 and _world(store, reader) == before
        answer = reader.post(url, json={"body": "hi"}, headers={"X-CSRF-Token": token_of(reader)})
        assert answer.status_code == 201 and _world(store, reader) != before

    def test_token_routes_refuse_without_their_token(self, app: FastAPI, store: PaperStore) -> None:
        reader = user_client(app, "ada")
        subscriber, _ = store.add_subscriber(ADDRESS, "daily", user_id(store, "ada"))
        for path in sorted(path for _, path in TOKEN_AUTHENTICATED):
            for query in ("", "?token=", "?token=1.AAAA", f"?token={subscriber.id}"):
                answer = reader.post(path + query, data={"csrf_token": token_of(reader)})
                assert answer.status_code == 400, (path, query)
        assert store.subscriber(subscriber.id) == subscriber  # neither confirmed nor dropped


def _discussion_world(store: PaperStore, ada: int) -> dict[str, str]:
    """Ada moderates and has a comment, Bob replied to it (Ada's unread notification), Carol
    reported Bob's reply and is banned: something for every discussion recipe to change."""
    bob = user_id(store, "bob")
    carol = store.create_user("carol", "not a hash").id
    store.grant_role(ada, "moderator", NOW.timestamp())
    mine = store.add_comment("2611.00001", ada, "v1", None, NOW.timestamp())
    theirs = store.add_comment(
        "2611.00001", bob, "a reply", mine.id, NOW.timestamp(), [(ada, "reply")]
    )
    store.report_comment(theirs.id, carol, "rude", NOW.timestamp())
    store.ban_user(carol, ada, "spam", NOW.timestamp())
    return {"comment": str(mine.id), "other_comment": str(theirs.id)}


# -- authorisation ----------------------------------------------------------------------


def _with_subject(link: str, subject: int) -> str:
    """The token of ``link`` with its subject swapped for ``subject``, its MAC kept."""
    mac = link.rsplit("token=", 1)[1].split(".", 1)[1]
    encoded = base64.urlsafe_b64encode(str(subject).encode()).decode().rstrip("=")
    return f"{encoded}.{mac}"


class TestAuthorisation:
    """Reader B, logged in with a valid CSRF token, aims at reader A's things by id."""

    @pytest.fixture
    def two(self, app: FastAPI, store: PaperStore) -> tuple[TestClient, TestClient, int]:
        a, b = user_client(app, "ada"), user_client(app, "bob")
        ada = user_id(store, "ada")
        folder = store.create_folder(ada, "Private")
        store.save_paper(ada, "2611.00005", folder.id)
        store.follow(ada, "keyword", "proteins")
        store.set_vote(ada, "2611.00001", True, NOW.timestamp())
        return a, b, ada

    def _post(self, client: TestClient, path: str, **data: str) -> Response:
        return client.post(path, data={**data, "csrf_token": token_of(client)})

    def test_folders(self, two: tuple[TestClient, TestClient, int], store: PaperStore) -> None:
        _, b, ada = two
        [folder] = store.folders(ada)
        self._post(b, "/library/folders/delete", folder=str(folder.id))
        assert store.folders(ada) == [folder]
        assert b.get(f"/library?folder={folder.id}").status_code == 404
        self._post(b, "/library/save", paper_id="2611.00006", folder=folder.name)
        assert [s.paper_id for s in store.library(ada, folder.id)] == ["2611.00005"]

    def test_library(self, two: tuple[TestClient, TestClient, int], store: PaperStore) -> None:
        _, b, ada = two
        self._post(b, "/library/remove", paper_id="2611.00005")
        assert [s.paper_id for s in store.library(ada)] == ["2611.00005"]
        assert "2611.00005" not in b.get("/library").text

    def test_follows(self, two: tuple[TestClient, TestClient, int], store: PaperStore) -> None:
        _, b, ada = two
        [follow] = store.follows(ada)
        self._post(b, "/follows/delete", follow_id=str(follow.id))
        assert store.follows(ada) == [follow]
        assert "proteins" not in b.get("/follows").text

    def test_votes(self, two: tuple[TestClient, TestClient, int], store: PaperStore) -> None:
        _, b, ada = two
        b.post(
            "/papers/2611.00001/vote",
            data={"vote": "down", "csrf_token": token_of(b)},
            headers={"accept": "application/json"},
        )
        assert store.user_votes(ada, ["2611.00001"]) == {"2611.00001"}
        assert store.local_votes(["2611.00001"]) == {"2611.00001": 1}

    def test_recommendation_signals(
        self, two: tuple[TestClient, TestClient, int], store: PaperStore
    ) -> None:
        _, b, ada = two
        self._post(b, "/for-you/dismiss", paper_id="2611.00007")
        self._post(b, "/for-you/seen", paper_id="2611.00008")
        signals = store.user_signals(ada)
        assert "2611.00007" not in signals.not_interested and "2611.00008" not in signals.seen

    def test_subscriptions(
        self, two: tuple[TestClient, TestClient, int], store: PaperStore, settings: Settings
    ) -> None:
        _, b, ada = two
        mine, _ = store.add_subscriber(ADDRESS, "daily", ada)
        mine = store.confirm_subscriber(mine.id)
        self._post(b, "/subscribe", email=ADDRESS, frequency="weekly")
        assert store.subscriber(mine.id) == mine  # frequency, owner and status unchanged
        assert ADDRESS not in b.get("/subscribe").text
        # B's own unsubscribe link cannot be bent to A's subscription.
        theirs, _ = store.add_subscriber("bob@example.org", "daily", user_id(store, "bob"))
        link = SiteLinks(settings.base_url, load_mail_settings(settings).secret)
        forged = _with_subject(link.unsubscribe(theirs.id), mine.id)
        assert b.post(f"/unsubscribe?token={forged}").status_code == 400
        assert store.subscriber(mine.id) == mine

    def test_the_private_feed(
        self, two: tuple[TestClient, TestClient, int], store: PaperStore, settings: Settings
    ) -> None:
        _, b, ada = two
        link = SiteLinks(settings.base_url, load_mail_settings(settings).secret)
        forged = _with_subject(link.for_you_feed(user_id(store, "bob")), ada)
        assert b.get(f"/for-you/feed.rss?token={forged}").status_code == 404


# -- the discussion ---------------------------------------------------------------------

HOSTILE_COMMENT = (
    "<script>alert('comment')</script> [click](javascript:alert(1)) "
    "<img src=x onerror=alert(1)> **fine** @ada <svg onload=alert(2)>"
)


def _comment(client: TestClient, body: str, parent: str = "") -> Response:
    token = token_of(client)
    return client.post(
        "/papers/2611.00001/comments",
        data={"body": body, "parent_id": parent, "csrf_token": token},
        follow_redirects=False,
    )


def _comment_id(answer: Response) -> str:
    assert answer.status_code == 303, answer.text[:300]
    return answer.headers["location"].rsplit("#comment-", 1)[1]


class TestDiscussion:
    """Hostile Markdown and HTML in comments, shown as text in pages, feeds, the API and
    mail; only a comment's author edits or deletes it; only moderators hide and ban; the
    comment rate limits."""

    def test_hostile_comments_are_inert_everywhere(
        self, app: FastAPI, store: PaperStore, mail_server: MailCatcher
    ) -> None:
        ada, bob = user_client(app, "ada"), user_client(app, "bob")
        subscriber, _ = store.add_subscriber(ADDRESS, "daily", user_id(store, "ada"))
        store.confirm_subscriber(subscriber.id)
        first = _comment_id(_comment(ada, "plain start"))
        _comment_id(_comment(bob, HOSTILE_COMMENT, first))
        bob.post(
            f"/comments/{first}/report",
            data={"reason": "<script>alert('reason')</script>", "csrf_token": token_of(bob)},
        )
        store.grant_role(user_id(store, "ada"), "moderator", NOW.timestamp())
        for url in ("/papers/2611.00001", "/discussions", "/notifications", "/moderation"):
            page = ada.get(url)
            assert page.status_code == 200, url
            assert_inert(page.text, url)
            assert 'href="javascript:' not in page.text, url
            assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", page.text), url
        assert "&lt;script&gt;alert(" in ada.get("/papers/2611.00001").text
        for url in ("/discussions/feed.atom", "/discussions/2611.00001/feed.atom"):
            feed = TestClient(app).get(url)
            assert feed.status_code == 200
            root = ElementTree.fromstring(feed.content)  # well formed
            assert root.tag.endswith("feed")
            assert_inert(feed.content.decode(), url)
        api = TestClient(app).get("/api/papers/2611.00001/comments").json()
        for comment in api["comments"]:
            assert_inert(comment["html"], "the API's html")
        [mail] = mail_server.to(ADDRESS)
        assert_inert(html_part(mail), "the notification mail's HTML part")
        assert "&lt;script&gt;" in html_part(mail)

    def test_only_the_author_edits_or_deletes(self, app: FastAPI, store: PaperStore) -> None:
        ada, bob = user_client(app, "ada"), user_client(app, "bob")
        mine = int(_comment_id(_comment(ada, "mine")))
        token = token_of(bob)
        edit = bob.post(f"/comments/{mine}/edit", data={"body": "bob's", "csrf_token": token})
        delete = bob.post(f"/comments/{mine}/delete", data={"csrf_token": token})
        assert (edit.status_code, delete.status_code) == (403, 403)
        assert bob.get(f"/comments/{mine}/edit").status_code == 403
        found = store.comment(mine)
        assert found is not None and found.body == "mine" and not found.deleted

    def test_only_moderators_hide_or_ban(self, app: FastAPI, store: PaperStore) -> None:
        ada, bob = user_client(app, "ada"), user_client(app, "bob")
        mine = int(_comment_id(_comment(ada, "mine")))
        store.report_comment(mine, user_id(store, "bob"), "", NOW.timestamp())
        token = token_of(bob)
        for path, data in [
            (f"/moderation/comments/{mine}/hide", {"hidden": "1"}),
            (f"/moderation/comments/{mine}/dismiss", {}),
            ("/moderation/ban", {"username": "ada"}),
            ("/moderation/unban", {"username": "ada"}),
        ]:
            assert bob.post(path, data={**data, "csrf_token": token}).status_code == 403, path
        for page in ("/moderation", "/moderation/log"):
            assert bob.get(page).status_code == 403
        found = store.comment(mine)
        assert found is not None and not found.hidden and not store.is_banned(user_id(store, "ada"))
        assert len(store.open_reports()) == 1 and store.audit_log() == []
        # A moderator cannot ban another moderator: an admin takes the role first.
        for name in ("ada", "bob"):
            store.grant_role(user_id(store, name), "moderator", NOW.timestamp())
        assert (
            bob.post("/moderation/ban", data={"username": "ada", "csrf_token": token}).status_code
            == 403
        )

    def test_comment_rate_limits(
        self, app: FastAPI, store: PaperStore, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("PAPERWIRE_COMMENTS_PER_HOUR", "2")
        ada = user_client(app, "ada")
        for n in range(2):
            _comment_id(_comment(ada, f"comment {n}"))
        limited = _comment(ada, "one too many")
        assert limited.status_code == 429 and 0 < int(limited.headers["retry-after"]) <= 3600
        assert "comments an hour. Try again in 60 minutes" in limited.text
        api = ada.post(
            "/api/papers/2611.00001/comments",
            json={"body": "and by the API"},
            headers={"X-CSRF-Token": token_of(ada)},
        )
        assert api.status_code == 429 and api.json()["error"].startswith("You can post 2")
        assert store.comments_page("2611.00001").total == 2
        # A new account (every account here: the clock is before their creation) may put
        # at most 2 links in a comment.
        bob = user_client(app, "bob")
        links = _comment(bob, "https://a.example https://b.example www.c.example")
        assert links.status_code == 400 and "at most 2 links" in links.text
        _comment_id(_comment(bob, "https://a.example and https://b.example"))


# -- sessions ---------------------------------------------------------------------------


def _logged_in_as(client: TestClient, name: str) -> bool:
    return f">{name}</span>" in client.get("/about/ranking").text


class TestSessions:
    def test_a_planted_session_cookie_is_replaced_on_login(self, app: FastAPI) -> None:
        user_client(app, "ada")
        victim = TestClient(app)
        victim.cookies.set("pw_session", "planted-by-an-attacker")
        answer = log_in(victim, "ada")
        assert answer.status_code == 303
        issued = answer.cookies["pw_session"]
        assert issued != "planted-by-an-attacker" and len(issued) >= 40
        attacker = TestClient(app)
        attacker.cookies.set("pw_session", "planted-by-an-attacker")
        assert not _logged_in_as(attacker, "ada")

    def test_logging_in_again_ends_the_earlier_session(self, app: FastAPI) -> None:
        client = user_client(app, "ada")
        first = client.cookies["pw_session"]
        log_in(client, "ada")
        second = client.cookies["pw_session"]
        assert second != first
        replay = TestClient(app)
        replay.cookies.set("pw_session", first)
        assert not _logged_in_as(replay, "ada")
        replay.cookies.set("pw_session", second)
        assert _logged_in_as(replay, "ada")

    def test_logout_ends_the_session_and_its_csrf_token(
        self, app: FastAPI, store: PaperStore
    ) -> None:
        client = user_client(app, "ada")
        cookie, token = client.cookies["pw_session"], token_of(client)
        answer = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
        assert answer.status_code == 303
        removal = answer.headers["set-cookie"]
        assert removal.startswith('pw_session=""') or "Max-Age=0" in removal
        replay = TestClient(app)
        replay.cookies.set("pw_session", cookie)
        assert not _logged_in_as(replay, "ada")
        saved = replay.post("/library/save", data={"paper_id": "2611.00001", "csrf_token": token})
        assert saved.status_code == 403
        assert store.library(user_id(store, "ada")) == []

    def test_session_cookie_flags(self, app: FastAPI) -> None:
        answer = register(TestClient(app), "ada")
        cookie = answer.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie


# -- security headers -------------------------------------------------------------------

# One concrete URL for each GET route; a new route must be added here. ``{name}`` is
# filled from what sample_world makes, so that each page shows something real.
GET_SAMPLES: dict[str, str] = {
    "/openapi.json": "/openapi.json",
    "/": "/",
    "/papers": "/papers?date=2026-11-24",
    "/trending": "/trending",
    "/about/ranking": "/about/ranking",
    "/search": "/search?q=protein",
    "/papers/{paper_id}": f"/papers/{HOSTILE_ID}",
    "/orgs": "/orgs",
    "/orgs/{slug}": "/orgs/svg-onload-alert-1-org",
    "/submit": "/submit",
    "/login": "/login",
    "/register": "/register",
    "/api/daily_papers": "/api/daily_papers",
    "/api/papers/search": "/api/papers/search?q=protein",
    "/api/papers": "/api/papers",
    "/api/papers/{paper_id}": "/api/papers/2611.00001",
    "/feeds/daily.{kind}": "/feeds/daily.atom",
    "/feeds/trending.{kind}": "/feeds/trending.rss",
    "/feeds/trending-code.{kind}": "/feeds/trending-code.atom",
    "/feeds/search.{kind}": "/feeds/search.rss?q=protein",
    "/feeds/orgs/{slug}.{kind}": "/feeds/orgs/svg-onload-alert-1-org.atom",
    "/docs": "/docs",
    "/status": "/status",
    "/status.json": "/status.json",
    "/subscribe": "/subscribe",
    "/subscribe/confirm": "/subscribe/confirm?token=1.AAAA",
    "/unsubscribe": "/unsubscribe?token=1.AAAA",
    "/for-you": "/for-you",
    "/for-you/feed.rss": "/for-you/feed.rss?token=1.AAAA",
    "/library": "/library",
    "/follows": "/follows",
    "/static/{path}": "/static/favicon.svg",
    "/comments/{comment_id}": "/comments/{comment}",
    "/comments/{comment_id}/edit": "/comments/{comment}/edit",
    "/discussions": "/discussions",
    "/discussions/feed.atom": "/discussions/feed.atom",
    "/discussions/{paper_id}/feed.atom": "/discussions/2611.00001/feed.atom",
    "/moderation": "/moderation",
    "/moderation/log": "/moderation/log",
    "/notifications": "/notifications",
    "/notifications/unsubscribe": "/notifications/unsubscribe?token=1.AAAA",
    "/api/papers/{paper_id}/comments": "/api/papers/2611.00001/comments",
    "/robots.txt": "/robots.txt",
    "/sitemap.xml": "/sitemap.xml",
    "/sitemaps/papers-{number}.xml": "/sitemaps/papers-1.xml",
    "/thumbnails/{paper_id}.webp": "/thumbnails/2611.00001.webp",
    "/authors/{name}": "/authors/{author}",
    "/topics/{phrase}": "{topic}",
    "/library/{folder}.bib": "/library/{folder}.bib",
    "/library/{folder}.rss": "/library/{folder}.rss?token={feed_token}",
    "/library/{folder}/collection": "/library/{folder}/collection",
    "/collections/{username}/{slug}": "/collections/ada/{slug}",
    "/collections/{username}/{slug}.rss": "/collections/ada/{slug}.rss",
    "/collections/{username}/{slug}.bib": "/collections/ada/{slug}.bib",
    "/users/{username}": "/users/ada",
}
# The samples above that show what sample_world made: each leads to a 200 for its owner, Ada.
WITH_DATA = {
    "/sitemaps/papers-{number}.xml",
    "/thumbnails/{paper_id}.webp",
    "/authors/{name}",
    "/topics/{phrase}",
    "/comments/{comment_id}",
    "/comments/{comment_id}/edit",
    "/library/{folder}.bib",
    "/library/{folder}.rss",
    "/library/{folder}/collection",
    "/collections/{username}/{slug}",
    "/collections/{username}/{slug}.rss",
    "/collections/{username}/{slug}.bib",
    "/users/{username}",
}


def sample_world(store: PaperStore, settings: Settings) -> dict[str, str]:
    """What the samples' pages show, for Ada (registered already): her comment, her public
    folder, a thumbnail, keyphrases and so topics; the values that fill GET_SAMPLES."""
    ada = user_id(store, "ada")
    comment = store.add_comment("2611.00001", ada, "A first comment", None, NOW.timestamp())
    folder = store.create_folder(ada, "Reading group")
    store.save_paper(ada, "2611.00001", folder.id)
    collection = store.publish_folder(ada, folder.id, "Reading group", "Papers we read")
    made = render_thumbnail(text_and_figure_pdf())
    thumbnail = StoredThumbnail("2611.00001", made.image, made.width, made.height, "d1")
    store.record_thumbnail_attempt(
        ThumbnailAttempt("2611.00001", NOW.isoformat(), thumbnail=thumbnail)
    )
    follow_changes(store)
    [first, *_] = store.keyphrases_of(["2611.00001"])["2611.00001"]
    secret = load_mail_settings(settings).secret
    return {
        "comment": str(comment.id),
        "folder": str(folder.id),
        "slug": collection.slug or "",
        "feed_token": make_token(secret, "feed", str(ada)),
        "author": quote("<b onmouseover=alert(1)>Mallory</b>", safe=""),
        "topic": topic_url(first.key),
    }


ERROR_SAMPLES = [
    "/nowhere",
    "/api/nowhere",
    "/api/daily_papers?limit=1000",
    "/api/papers/not-an-id",
    "/papers?date=2026-13-45",
    "/static/missing.css",
    "/papers/2611.00001v1",  # a redirect
]


def check_headers(headers: Any, where: str) -> None:
    csp = headers.get("content-security-policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    scripts = directives.get("script-src", directives.get("default-src"))
    assert scripts, f"no script policy on {where}"
    for loose in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"):
        assert loose not in scripts, f"{loose} allowed for scripts on {where}"
    assert directives.get("frame-ancestors") in (["'none'"], ["'self'"]), where
    assert directives.get("object-src") == ["'none'"], where
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("referrer-policy") in (
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    ), where


class TestHeaders:
    def test_every_get_route_has_a_sample(self, app: FastAPI) -> None:
        paths = {path for _, path in routes(app, {"GET"})} | {"/static/{path}"}  # a mount
        assert paths == set(GET_SAMPLES), "a new page needs a sample URL here"

    def test_on_every_route_anonymous_and_logged_in(
        self, app: FastAPI, store: PaperStore, settings: Settings
    ) -> None:
        ada = user_client(app, "ada")
        values = sample_world(store, settings)
        samples = {route: url.format(**values) for route, url in GET_SAMPLES.items()}
        for client in (TestClient(app), ada):
            for url in [*samples.values(), *ERROR_SAMPLES]:
                answer = client.get(url, follow_redirects=False)
                # 503: search answers so where it is switched off, as here; never a crash.
                assert answer.status_code < 500 or answer.status_code == 503, url
                check_headers(answer.headers, url)
        for route in sorted(WITH_DATA):
            answer = ada.get(samples[route])  # a comment's permalink redirects to its paper
            assert answer.status_code == 200, (route, samples[route])
            assert_inert(answer.text, samples[route])

    def test_on_refusals_and_limits(self, store: PaperStore, settings: Settings) -> None:
        fill_store(store)  # type: ignore[arg-type]
        app = make_app(store, None, settings=settings, login_limit_ip=1)  # type: ignore[arg-type]
        client = TestClient(app)
        answers = {
            "csrf refusal": client.post("/library/save", data={"paper_id": "x"}),
            "wrong method": client.delete("/api/daily_papers"),
            "head": client.head("/"),
            "options": client.options("/api/papers"),
            "failed login": log_in(client, "nobody", "wrong password"),
            "limited login": log_in(client, "nobody", "wrong password"),
        }
        assert answers["limited login"].status_code == 429
        for where, answer in answers.items():
            check_headers(answer.headers, where)


# -- rate limits ------------------------------------------------------------------------


def assert_limited(answer: Response, window: int) -> None:
    assert answer.status_code == 429
    assert 0 < int(answer.headers["retry-after"]) <= window + 1  # whole seconds, rounded up
    assert "Too many attempts. Try again in" in answer.text
    assert 'role="alert"' in answer.text  # shown on the page, where the form is


class TestRateLimits:
    def _app(self, store: PaperStore, settings: Settings, **limits: int) -> FastAPI:
        fill_store(store)  # type: ignore[arg-type]
        return make_app(store, None, settings=settings, **limits)  # type: ignore[arg-type]

    def _subscribe(self, client: TestClient, email: str) -> Response:
        return client.post("/subscribe", data={"email": email, "csrf_token": token_of(client)})

    def test_registration_per_address(self, store: PaperStore, settings: Settings) -> None:
        app = self._app(store, settings, register_limit_ip=2)
        for name in ("one", "two"):
            assert register(TestClient(app), name).status_code == 303
        assert_limited(register(TestClient(app), "three"), 15 * 60)
        assert store.user_by_name("three") is None

    def test_subscription_per_address(self, store: PaperStore, settings: Settings) -> None:
        app = self._app(store, settings, subscribe_limit_ip=2, subscribe_limit_email=100)
        client = TestClient(app)
        assert self._subscribe(client, "a@example.org").status_code == 200
        assert self._subscribe(client, "not an address").status_code == 400  # counts too
        limited = self._subscribe(client, "c@example.org")
        assert_limited(limited, 3600)
        assert store.subscriber_by_email("c@example.org") is None

    def test_subscription_per_email_address(self, store: PaperStore, settings: Settings) -> None:
        app = self._app(store, settings, subscribe_limit_email=2)
        client = TestClient(app)
        for _ in range(2):
            assert self._subscribe(client, ADDRESS).status_code == 200
        assert_limited(self._subscribe(client, ADDRESS.upper()), 3600)
        assert self._subscribe(client, "other@example.org").status_code == 200

    def test_submission_per_account(self, store: PaperStore, settings: Settings) -> None:
        app = self._app(store, settings, submit_limit_account=2)
        client = user_client(app, "ada")
        for paper in ("not an id", "2611.00001"):  # refused, but each one counts
            answer = client.post("/submit", data={"paper": paper, "csrf_token": token_of(client)})
            assert answer.status_code in (400, 409)
        answer = client.post("/submit", data={"paper": SUBMITTED, "csrf_token": token_of(client)})
        assert_limited(answer, 3600)
        assert store.get_paper(SUBMITTED) is None
        other = user_client(app, "bob")  # another account is not held back
        answer = other.post(
            "/submit",
            data={"paper": SUBMITTED, "csrf_token": token_of(other)},
            follow_redirects=False,
        )
        assert answer.status_code == 303 and store.get_paper(SUBMITTED) is not None

    def test_submission_per_address(self, store: PaperStore, settings: Settings) -> None:
        app = self._app(store, settings, submit_limit_ip=1)
        for name, expected in (("ada", 409), ("bob", 429)):
            client = user_client(app, name)
            answer = client.post(
                "/submit", data={"paper": "2611.00001", "csrf_token": token_of(client)}
            )
            assert answer.status_code == expected

    def test_zero_turns_a_limit_off(self, store: PaperStore, settings: Settings) -> None:
        app = self._app(store, settings, subscribe_limit_ip=0, subscribe_limit_email=0)
        client = TestClient(app)
        for _ in range(12):
            assert self._subscribe(client, ADDRESS).status_code == 200

    def test_limits_come_from_the_environment(self, settings: Settings) -> None:
        environ = {
            "PAPERWIRE_SECRET_KEY": "k",
            "PAPERWIRE_SUBSCRIBE_LIMIT_IP": "7",
            "PAPERWIRE_SUBSCRIBE_LIMIT_EMAIL": "2",
            "PAPERWIRE_SUBMIT_LIMIT_ACCOUNT": "4",
            "PAPERWIRE_SUBMIT_LIMIT_IP": "9",
            "PAPERWIRE_ACTION_WINDOW_SECONDS": "120",
            "PAPERWIRE_LOGIN_LIMIT_ACCOUNT": "3",
            "PAPERWIRE_REGISTER_LIMIT_IP": "0",
        }
        web = load_web_settings(load_settings(), environ)
        assert (web.subscribe_limit_ip, web.subscribe_limit_email) == (7, 2)
        assert (web.submit_limit_account, web.submit_limit_ip) == (4, 9)
        assert (web.action_window_seconds, web.login_limit_account) == (120, 3)
        assert web.register_limit_ip == 0 and web.login_limit_ip == 20  # the default
        with pytest.raises(SettingsError, match="PAPERWIRE_SUBMIT_LIMIT_IP"):
            load_web_settings(load_settings(), {**environ, "PAPERWIRE_SUBMIT_LIMIT_IP": "-1"})


# -- redirects --------------------------------------------------------------------------

HOSTILE_TARGETS = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "@evil.example",
]

# Every route that sends the browser to a ``next`` it was given, and how to ask it to.
Redirector = Callable[[TestClient, str], Response]


def _form(path: str, **data: str) -> Redirector:
    def send(client: TestClient, target: str) -> Response:
        sent = {**data, "next": target, "csrf_token": token_of(client)}
        return client.post(path, data=sent, follow_redirects=False)

    return send


REDIRECTORS: dict[str, Redirector] = {
    "POST /login": _form("/login", username="ada", password=PASSWORD),
    "POST /papers/{paper_id}/vote": _form("/papers/2611.00001/vote", vote="up"),
    "POST /library/save": _form("/library/save", paper_id="2611.00001"),
    "POST /library/remove": _form("/library/remove", paper_id="2611.00001"),
    "POST /for-you/dismiss": _form("/for-you/dismiss", paper_id="2611.00002"),
    "POST /for-you/seen": _form("/for-you/seen", paper_id="2611.00003"),
    "POST /for-you/undismiss": _form("/for-you/undismiss", paper_id="2611.00002"),
    "POST /for-you/unseen": _form("/for-you/unseen", paper_id="2611.00003"),
    "POST /follows": _form("/follows", kind="keyword", value="proteins"),
}


def assert_local(location: str, where: str) -> None:
    parts = urlsplit(location)
    assert location.startswith("/") and not location.startswith("//"), (where, location)
    assert not parts.scheme and not parts.netloc and "\\" not in location, (where, location)
    assert not any(ord(c) < 0x20 for c in location), (where, location)


def _query_and_form(dependant: Any) -> list[Any]:
    """A route's query and form fields, its dependencies' (a shared form's fields) included."""
    found = [*dependant.query_params, *dependant.body_params]
    for sub in dependant.dependencies:
        found += _query_and_form(sub)
    return found


class TestRedirects:
    def test_every_route_reading_next_is_checked(self, app: FastAPI) -> None:
        reading = set()
        for route in iter_route_contexts(app.routes):
            dependant = getattr(route, "dependant", None)
            params = _query_and_form(dependant) if dependant else []
            for method in (route.methods or set()) & STATE_CHANGING:
                if any(p.name == "next" for p in params):
                    reading.add(f"{method} {route.path_format}")
        # /register sends a new account where /login would; /for-you/seen reads its form itself.
        assert reading == set(REDIRECTORS) - {"POST /for-you/seen"} | {"POST /register"}

    @pytest.mark.parametrize("name", sorted(REDIRECTORS))
    def test_hostile_targets_are_refused(self, app: FastAPI, name: str) -> None:
        reader = user_client(app, "ada")
        for target in HOSTILE_TARGETS:
            # Logging in is what is tried for /login; the other routes need a reader.
            client = TestClient(app) if name == "POST /login" else reader
            answer = REDIRECTORS[name](client, target)
            assert answer.status_code == 303, (name, target, answer.text[:200])
            assert_local(answer.headers["location"], f"{name} {target!r}")
        client = TestClient(app) if name == "POST /login" else reader
        good = REDIRECTORS[name](client, "/trending?x=1")
        assert good.headers["location"] == "/trending?x=1"  # a local target is kept

    def test_registration_refuses_hostile_targets(self, app: FastAPI) -> None:
        for n, target in enumerate(HOSTILE_TARGETS):
            client = TestClient(app)
            data = {"username": f"user{n}", "password": PASSWORD, "confirm": PASSWORD}
            answer = client.post(
                "/register",
                data={**data, "next": target, "csrf_token": token_of(client, "/register")},
                follow_redirects=False,
            )
            assert answer.status_code == 303
            assert_local(answer.headers["location"], f"register {target!r}")

    @pytest.mark.parametrize("page", ["/login", "/register"])
    def test_forms_never_carry_a_hostile_target(self, app: FastAPI, page: str) -> None:
        client = TestClient(app)
        for target in HOSTILE_TARGETS:
            html = client.get(page, params={"next": target}).text
            assert 'name="next" value="/"' in html, target

    def test_the_way_back_after_logging_in_is_kept_whole(self, app: FastAPI) -> None:
        answer = TestClient(app).get("/library?folder=1&x=2", follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/login?next=%2Flibrary%3Ffolder%3D1%26x%3D2"
        page = TestClient(app).get(answer.headers["location"]).text
        assert 'name="next" value="/library?folder=1&amp;x=2"' in page
