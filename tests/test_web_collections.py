"""Library folders as BibTeX and RSS, public collections and profiles, on both stores:
only the owner reads a private folder (session or private feed token) or changes one
(CSRF-checked), hostile text is escaped in HTML, RSS and BibTeX, and a folder made
private again is found at no public URL."""

from __future__ import annotations

import re

import pytest
from defusedxml import ElementTree
from fastapi.testclient import TestClient

from paperwire.config import load_settings
from paperwire.mail.settings import load_mail_settings
from paperwire.mail.tokens import make_token
from paperwire.store import PaperStore
from web_helpers import HOSTILE_ID, csrf_of, fill_store, log_in, make_app, register

HOSTILE = '<script>alert("x")</script> } @misc{evil, & 100% $x_1$ \\input{/etc/passwd}'
RAW_HTML = ["<script>alert", "<b onmouseover", "<b>bold"]


def _client(store: PaperStore) -> TestClient:
    fill_store(store)  # type: ignore[arg-type]
    return TestClient(make_app(store, None))  # type: ignore[arg-type]


def _as(client: TestClient, name: str) -> TestClient:
    """A second browser on the same app, logged in as ``name`` (registered here)."""
    other = TestClient(client.app)
    assert register(other, name).status_code == 303
    log_in(other, name)
    return other


def _folder_with(store: PaperStore, client: TestClient, name: str, papers: list[str]) -> int:
    token = csrf_of(client.get("/library").text)
    for paper_id in papers:
        answer = client.post(
            "/library/save",
            data={"paper_id": paper_id, "folder": "Reading", "csrf_token": token},
            follow_redirects=False,
        )
        assert answer.status_code == 303
    user = store.user_by_name(name)[0]  # type: ignore[index]
    [folder] = store.folders(user.id)
    return folder.id


def _feed_token(store: PaperStore, name: str) -> str:
    user = store.user_by_name(name)[0]  # type: ignore[index]
    return make_token(load_mail_settings(load_settings()).secret, "feed", str(user.id))


def _bib_entries(text: str) -> list[str]:
    return re.findall(r"^@(\w+)\{", text, flags=re.MULTILINE)


def test_a_folder_exports_bibtex_to_its_owner_only(store: PaperStore) -> None:
    ada = _as(_client(store), "ada")
    folder = _folder_with(store, ada, "ada", ["2611.00004", HOSTILE_ID])
    answer = ada.get(f"/library/{folder}.bib")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/x-bibtex; charset=utf-8"
    text = answer.text
    assert _bib_entries(text) == ["misc", "misc"]
    assert "@misc{2611.00004," in text and f"@misc{{{HOSTILE_ID}," in text
    assert text.count("{") == text.count("}")  # no field closes early
    assert r'Attack \& "Quotes" <b>bold</b>' in text
    assert "Eve \\& Co" in text

    bob = _as(TestClient(ada.app), "bob")
    assert bob.get(f"/library/{folder}.bib").status_code == 404
    assert TestClient(ada.app).get(f"/library/{folder}.bib").status_code == 404
    # The private feed token opens it without a session; another user's token does not.
    anonymous = TestClient(ada.app)
    assert anonymous.get(f"/library/{folder}.bib?token={_feed_token(store, 'ada')}").text == text
    assert (
        anonymous.get(f"/library/{folder}.bib?token={_feed_token(store, 'bob')}").status_code == 404
    )
    assert anonymous.get(f"/library/{folder}.bib?token=1.AAAA").status_code == 404


def test_a_folder_feed_needs_its_owners_token(store: PaperStore) -> None:
    ada = _as(_client(store), "ada")
    folder = _folder_with(store, ada, "ada", ["2611.00004", HOSTILE_ID])
    anonymous = TestClient(ada.app)
    answer = anonymous.get(f"/library/{folder}.rss?token={_feed_token(store, 'ada')}")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(
        "application/rss+xml"
    )
    assert answer.headers["x-robots-tag"] == "noindex"
    items = ElementTree.fromstring(answer.content).findall("./channel/item")
    assert {i.findtext("link", "").rsplit("/", 1)[1] for i in items} == {"2611.00004", HOSTILE_ID}
    assert all("<img" not in i.findtext("description", "") for i in items)
    assert anonymous.get(f"/library/{folder}.rss").status_code == 404
    _as(TestClient(ada.app), "bob")
    assert (
        anonymous.get(f"/library/{folder}.rss?token={_feed_token(store, 'bob')}").status_code == 404
    )


def test_publishing_needs_csrf_and_the_owner(store: PaperStore) -> None:
    ada = _as(_client(store), "ada")
    folder = _folder_with(store, ada, "ada", ["2611.00004"])
    form = {"title": "Mine", "description": ""}
    assert ada.post(f"/library/{folder}/collection", data=form).status_code == 403
    bob = _as(TestClient(ada.app), "bob")
    token = csrf_of(bob.get("/library").text)
    answer = bob.post(f"/library/{folder}/collection", data={**form, "csrf_token": token})
    assert answer.status_code == 404
    answer = bob.post(
        f"/library/{folder}/notes",
        data={"paper_id": "2611.00004", "note": "bob was here", "csrf_token": token},
    )
    assert answer.status_code == 404
    assert bob.get(f"/library/{folder}/collection").status_code == 404
    ada_id = store.user_by_name("ada")[0].id  # type: ignore[index]
    found = store.folder_collection(ada_id, folder)
    assert found is not None and not found.public and found.slug is None
    assert [i.note for i in store.collection_items(folder)] == [""]
    # Never published: nothing at any public URL, nothing on the profile.
    assert "/collections/" not in TestClient(ada.app).get("/users/ada").text


def test_a_public_collection_escapes_hostile_text_everywhere(store: PaperStore) -> None:
    ada = _as(_client(store), "ada")
    folder = _folder_with(store, ada, "ada", [HOSTILE_ID, "2611.00004"])
    token = csrf_of(ada.get(f"/library/{folder}/collection").text)
    answer = ada.post(
        f"/library/{folder}/collection",
        data={"title": "Reading <b>group</b>", "description": HOSTILE, "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    answer = ada.post(
        f"/library/{folder}/notes",
        data={"paper_id": HOSTILE_ID, "note": HOSTILE, "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    visitor = TestClient(ada.app)
    path = "/collections/ada/reading-b-group-b"
    page = visitor.get(path)
    assert page.status_code == 200
    assert "Reading &lt;b&gt;group&lt;/b&gt;" in page.text
    # As text in the title, the description and the note (Markdown leaves quotes as they are).
    assert page.text.count("&lt;script&gt;alert(") >= 2 and "&lt;/script&gt;" in page.text
    assert not any(raw in page.text for raw in RAW_HTML)
    assert 'href="/library/' not in page.text  # the owner's links are the owner's only
    assert (
        visitor.get("/collections/ADA/reading-b-group-b", follow_redirects=False).headers[
            "location"
        ]
        == path
    )

    feed = visitor.get(f"{path}.rss")
    channel = ElementTree.fromstring(feed.content).find("./channel")
    assert channel is not None and channel.findtext("title", "").startswith("Reading <b>group")
    assert "&lt;script&gt;" in channel.findtext("description", "")
    notes = [i.findtext("description", "") for i in channel.findall("item")]
    assert any("&lt;script&gt;alert" in n for n in notes)
    assert not any("<script" in n for n in notes)

    bib = visitor.get(f"{path}.bib").text
    assert _bib_entries(bib) == ["misc", "misc"]  # "@misc{evil" stayed inside its note
    assert bib.count("{") == bib.count("}")
    assert r'note={<script>alert("x")</script> \textbraceright{} @misc\textbraceleft{}evil' in bib
    assert r"\textbackslash{}input" in bib and r"100\% \$x\_1\$" in bib

    profile = visitor.get("/users/ada").text
    assert f'href="{path}"' in profile and "Reading &lt;b&gt;group" in profile


def test_making_a_collection_private_removes_it(store: PaperStore) -> None:
    ada = _as(_client(store), "ada")
    folder = _folder_with(store, ada, "ada", ["2611.00004"])
    token = csrf_of(ada.get(f"/library/{folder}/collection").text)
    ada.post(
        f"/library/{folder}/collection",
        data={"title": "", "description": "", "csrf_token": token},
    )
    visitor = TestClient(ada.app)
    path = "/collections/ada/reading"  # the folder's name when the title is blank
    assert visitor.get(path).status_code == 200
    assert ada.post(f"/library/{folder}/collection/private", data={}).status_code == 403
    answer = ada.post(
        f"/library/{folder}/collection/private",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    for url in (path, f"{path}.rss", f"{path}.bib"):
        assert visitor.get(url).status_code == 404, url
    assert path not in visitor.get("/users/ada").text
    # Published again, it comes back at the same address.
    ada.post(f"/library/{folder}/collection", data={"title": "Renamed", "csrf_token": token})
    assert "Renamed" in visitor.get(path).text


def test_bad_input_is_refused_with_nothing_written(store: PaperStore) -> None:
    ada = _as(_client(store), "ada")
    folder = _folder_with(store, ada, "ada", ["2611.00004"])
    token = csrf_of(ada.get(f"/library/{folder}/collection").text)
    answer = ada.post(
        f"/library/{folder}/collection", data={"title": "x" * 201, "csrf_token": token}
    )
    assert answer.status_code == 400 and "at most 200 characters" in answer.text
    answer = ada.post(
        f"/library/{folder}/notes",
        data={"paper_id": "2611.00001", "note": "not in it", "csrf_token": token},
    )
    assert answer.status_code == 400 and "is not in this user&#39;s folder" in answer.text
    ada_id = store.user_by_name("ada")[0].id  # type: ignore[index]
    found = store.folder_collection(ada_id, folder)
    assert found is not None and not found.public and found.title == ""
    assert TestClient(ada.app).get("/users/nobody").status_code == 404
    assert ada.get("/library/abc.bib").status_code == 400


def test_slugs_stay_unique_per_user(store: PaperStore) -> None:
    user = store.create_user("ada", "h")
    first = store.create_folder(user.id, "One")
    second = store.create_folder(user.id, "Two")
    assert store.publish_folder(user.id, first.id, "Same title", "").slug == "same-title"
    assert store.publish_folder(user.id, second.id, "Same title", "").slug == "same-title-2"
    other = store.create_user("bob", "h")
    assert (
        store.publish_folder(other.id, store.create_folder(other.id, "X").id, "Same title", "").slug
        == "same-title"
    )
    assert [c.id for c in store.public_collections(user.id)] == [second.id, first.id]


@pytest.mark.parametrize("configured", [None, "https://papers.example.org"])
def test_private_links_start_with_the_sites_address(
    store: PaperStore, monkeypatch: pytest.MonkeyPatch, configured: str | None
) -> None:
    """PAPERWIRE_BASE_URL when set, else the address the request came to; never a default."""
    if configured is None:
        monkeypatch.delenv("PAPERWIRE_BASE_URL", raising=False)
    else:
        monkeypatch.setenv("PAPERWIRE_BASE_URL", configured + "/")
    fill_store(store)  # type: ignore[arg-type]
    app = make_app(store, None)  # type: ignore[arg-type]
    ada = TestClient(app, base_url="http://reader.example.net:8123")
    assert register(ada, "ada").status_code == 303
    folder = _folder_with(store, ada, "ada", ["2611.00004"])
    expected = configured or "http://reader.example.net:8123"
    sharing = ada.get(f"/library/{folder}/collection").text
    token = _feed_token(store, "ada")
    assert f'value="{expected}/library/{folder}.rss?token={token}"' in sharing
    for_you = ada.get("/for-you").text
    assert f"{expected}/for-you/feed.rss?token=" in for_you
    assert "localhost" not in sharing + for_you
    feed = ada.get(f"/library/{folder}.rss?token={token}").content
    channel = ElementTree.fromstring(feed).find("./channel")
    assert channel is not None and channel.findtext("link", "").startswith(expected + "/")


MARKDOWN = "Papers on **agents**, with $x^2$.\n\nSee [the list](https://example.org/list)."
HOSTILE_MARKDOWN = (
    "[click](javascript:alert(1)) <img src=x onerror=alert(1)> "
    "[data](data:text/html;base64,PHNjcmlwdD4=) $\\href{javascript:alert(1)}{x}$"
)


def test_a_collection_renders_its_markdown_and_math_safely(store: PaperStore) -> None:
    ada = _as(_client(store), "ada")
    folder = _folder_with(store, ada, "ada", ["2611.00004", "2611.00001"])
    token = csrf_of(ada.get(f"/library/{folder}/collection").text)
    form = {"title": "Agents", "description": MARKDOWN, "csrf_token": token}
    assert ada.post(f"/library/{folder}/collection", data=form).status_code == 200
    for paper_id, note in (
        ("2611.00004", "**Read** $\\alpha$ first"),
        ("2611.00001", HOSTILE_MARKDOWN),
    ):
        data = {"paper_id": paper_id, "note": note, "csrf_token": token}
        assert ada.post(f"/library/{folder}/notes", data=data).status_code == 200
    page = TestClient(ada.app).get("/collections/ada/agents").text
    assert "<strong>agents</strong>" in page and "**agents**" not in page
    assert '<math display="inline" alttext="$x^2$"><mrow><msup>' in page
    assert '<math display="inline" alttext="$\\alpha$">' in page
    assert ">$x^2$" not in page and "$\\alpha$ first" not in page
    assert '<a href="https://example.org/list" rel="nofollow ugc noopener noreferrer">' in page
    assert "<strong>Read</strong>" in page
    # A note has its own label; "Why here" is the recommendations'.
    assert page.count('<span class="note-label">Note</span>') == 2 and "Why here" not in page
    # The hostile parts stay text: no link to a script or data, no element, no handler.
    lowered = page.lower()
    assert "[click](javascript:alert(1))" in lowered and "&lt;img src=x" in lowered
    assert not re.search(r"""(href|src)=["']?(javascript|data):""", lowered)
    assert "<img" not in lowered and not re.search(r"<[^>]*\bonerror", lowered)
