"""Deleted and withdrawn papers wherever a paper can appear: its page, the JSON API,
the daily feed, trending, organisations, RSS, search, the library, "for you" and the
e-mail digest. A deleted paper is kept and said to be deleted, never listed; a
withdrawn one is listed, marked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest
from defusedxml import ElementTree
from fastapi.testclient import TestClient

from paperwire.config import load_settings
from paperwire.ingest import import_paths
from paperwire.mail.run import compose_digests
from paperwire.mail.settings import load_mail_settings
from paperwire.store import SQLiteStore
from web_helpers import NOW, csrf_of, fill_store, log_in, make_app, register

DELETED = "2611.00001"  # the most upvoted paper of the newest day, Hugging Face's only one
DELETED_TITLE = "Scaling Diffusion Transformers for Video"
WITHDRAWN = "2611.00004"  # listed Monday 2026-11-23, 88 upvotes
WITHDRAWN_TITLE = "Reasoning Transformers Learn Chain of Thought"
REASON = "This paper has been withdrawn by the authors due to an error in Table 2"

DELETION = f"""<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>
<record><header status="deleted"><identifier>oai:arXiv.org:{DELETED}</identifier>
<datestamp>2026-11-25</datestamp><setSpec>cs</setSpec></header></record>
</ListRecords></OAI-PMH>"""

# What the arXiv API answers for the paper once its authors withdrew it (v2).
WITHDRAWAL = f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <id>https://arxiv.org/api/paperwire-test-withdrawn</id>
  <title>arXiv Query: id_list={WITHDRAWN}</title>
  <updated>2026-11-25T00:00:00Z</updated>
  <entry>
    <id>http://arxiv.org/abs/{WITHDRAWN}v2</id>
    <title>{WITHDRAWN_TITLE}</title>
    <updated>2026-11-24T15:00:00Z</updated>
    <published>2026-11-19T09:00:00Z</published>
    <summary>We show that transformers trained on reasoning traces learn chain of thought.</summary>
    <arxiv:comment>{REASON}</arxiv:comment>
    <author><name>Emmy Noether</name></author>
    <category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
    <arxiv:primary_category term="cs.CL"/>
  </entry>
</feed>"""


@pytest.fixture
def states(store: SQLiteStore, tmp_path: Path) -> SQLiteStore:
    """The web fixture's store with one paper deleted on arXiv and one withdrawn."""
    fill_store(store)
    (tmp_path / "deletion.xml").write_text(DELETION, encoding="utf-8")
    (tmp_path / "withdrawal.xml").write_text(WITHDRAWAL, encoding="utf-8")
    report = import_paths(store, [tmp_path / "deletion.xml", tmp_path / "withdrawal.xml"])
    assert (report.deleted, report.updated, report.rejected) == (1, 1, 0)
    return store


@pytest.fixture
def client(states: SQLiteStore, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(make_app(states, tmp_path / "index")) as test_client:
        yield test_client


def listed(html: str) -> list[str]:
    return re.findall(r'<h3 class="title"><a href="/papers/([^"]+)">', html)


def item(html: str, paper_id: str) -> str:
    anchor = 'id="p-' + paper_id.replace(".", "-") + '"'
    start = html.index(anchor)
    return html[start : html.index("</li>", start)]


def test_the_feeds_leave_a_deleted_paper_out_and_mark_a_withdrawn_one(client: TestClient) -> None:
    newest = client.get("/").text
    assert listed(newest) == ["2611.00002", "2611.00003", "2611.00010"]
    monday = client.get("/papers?date=2026-11-23").text
    assert WITHDRAWN in listed(monday)
    assert '<span class="status-mark withdrawn"' in item(monday, WITHDRAWN)
    assert "status-mark" not in item(monday, "2611.00005")
    week = client.get("/papers?week=2026-W48").text
    assert DELETED not in listed(week) and WITHDRAWN in listed(week)
    trending = client.get("/trending").text
    assert DELETED not in listed(trending) and "Withdrawn</span>" in item(trending, WITHDRAWN)
    assert "Hugging Face" not in client.get("/orgs").text


def test_a_deleted_paper_has_its_page_saying_so(client: TestClient) -> None:
    page = client.get(f"/papers/{DELETED}")
    assert page.status_code == 200
    assert DELETED_TITLE in page.text
    notice = page.text[page.text.index("paper-state") :]
    assert notice.startswith('paper-state" role="status">')
    assert "Deleted from arXiv." in notice and "Nov 25, 2026" in notice
    assert f'href="https://arxiv.org/pdf/{DELETED}"' not in page.text


def test_a_withdrawn_paper_has_its_page_giving_the_reason(client: TestClient) -> None:
    page = client.get(f"/papers/{WITHDRAWN}").text
    notice = page[page.index("paper-state") : page.index("</div>", page.index("paper-state"))]
    assert "Withdrawn." in notice and "(v2)" in notice and REASON in notice
    # v2 has no full text; the PDF link is v1's.
    assert f'href="https://arxiv.org/pdf/{WITHDRAWN}v1"' in page
    assert f'href="https://arxiv.org/pdf/{WITHDRAWN}"' not in page
    assert "paper-state" not in client.get("/papers/2611.00005").text


def test_the_api_says_deleted_and_withdrawn_and_lists_no_deleted_paper(
    client: TestClient,
) -> None:
    daily = client.get("/api/daily_papers?date=2026-11-24").json()
    assert DELETED not in [i["paper"]["id"] for i in daily]
    deleted = client.get(f"/api/papers/{DELETED}").json()
    assert (deleted["deleted"], deleted["deletedAt"]) == (True, "2026-11-25T00:00:00.000Z")
    withdrawn = client.get(f"/api/papers/{WITHDRAWN}").json()
    assert (withdrawn["withdrawn"], withdrawn["deleted"], withdrawn["deletedAt"]) == (
        True,
        False,
        None,
    )
    week = client.get("/api/daily_papers?week=2026-W48&limit=100").json()
    assert {i["paper"]["id"]: i["paper"]["withdrawn"] for i in week}[WITHDRAWN] is True
    # The change-ordered list is for mirrors: the deletion is a change they must follow.
    mirror = client.get("/api/papers?limit=100").json()["papers"]
    assert {p["id"]: p["deleted"] for p in mirror}[DELETED] is True


def test_syndication_feeds_leave_out_deleted_and_mark_withdrawn(client: TestClient) -> None:
    daily = ElementTree.fromstring(client.get("/feeds/daily.rss").content)
    links = [link.text for link in daily.iter("link")]
    assert not [link for link in links if link and link.endswith(DELETED)]
    trending = ElementTree.fromstring(client.get("/feeds/trending.rss").content)
    titles = {
        i.findtext("link", "").rsplit("/", 1)[-1]: i.findtext("title")
        for i in trending.iter("item")
    }
    assert DELETED not in titles
    assert titles[WITHDRAWN] == f"[Withdrawn] {WITHDRAWN_TITLE}"


def test_search_leaves_out_deleted_and_marks_withdrawn(client: TestClient) -> None:
    page = client.get("/search?q=diffusion transformers video").text
    assert DELETED not in listed(page)
    assert DELETED not in listed(client.get(f"/search?q={DELETED}").text)
    found = client.get("/search?q=reasoning chain of thought").text
    assert listed(found)[0] == WITHDRAWN and "Withdrawn</span>" in item(found, WITHDRAWN)
    answer = client.get("/api/papers/search?q=transformers").json()
    ids = [hit["paper"]["id"] for hit in answer]
    assert DELETED not in ids and WITHDRAWN in ids
    assert [h["paper"]["withdrawn"] for h in answer if h["paper"]["id"] == WITHDRAWN] == [True]


def test_the_library_keeps_a_deleted_paper_marked_and_for_you_never_offers_one(
    client: TestClient,
) -> None:
    assert register(client, "reader").status_code == 303
    log_in(client, "reader")
    token = csrf_of(client.get("/library").text)
    for paper_id in (DELETED, WITHDRAWN):
        answer = client.post(
            "/library/save",
            data={"paper_id": paper_id, "csrf_token": token},
            follow_redirects=False,
        )
        assert answer.status_code == 303
    library = client.get("/library").text
    assert set(listed(library)) == {DELETED, WITHDRAWN}
    assert '<span class="status-mark deleted"' in item(library, DELETED)
    assert '<span class="status-mark withdrawn"' in item(library, WITHDRAWN)

    client.post("/library/remove", data={"paper_id": DELETED, "csrf_token": token})
    answer = client.post(
        "/follows", data={"kind": "keyword", "value": "video", "csrf_token": token}
    )
    assert answer.status_code == 200
    for_you = client.get("/for-you").text
    assert DELETED not in listed(for_you) and DELETED_TITLE not in for_you


def _parts(raw: bytes) -> str:
    message: Message = message_from_bytes(raw)
    return "\n".join(
        part.get_payload(decode=True).decode("utf-8")  # type: ignore[union-attr]
        for part in message.walk()
        if part.get_content_maintype() == "text"
    )


def test_a_digest_never_sends_a_deleted_paper_and_marks_a_withdrawn_one(
    states: SQLiteStore,
) -> None:
    subscriber, _ = states.add_subscriber("reader@example.org", "weekly", None)
    states.confirm_subscriber(subscriber.id)
    settings = load_settings()
    [message], _ = compose_digests(states, settings, load_mail_settings(settings), NOW.date())
    assert DELETED not in message.paper_ids and WITHDRAWN in message.paper_ids
    body = _parts(message.message)
    assert DELETED_TITLE not in body
    assert f"[Withdrawn] {WITHDRAWN_TITLE}" in body
    assert "<strong>[Withdrawn]</strong> <a href=" in body
