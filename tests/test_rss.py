"""arXiv's announcement feeds (RSS 2.0 and Atom, the format used since 2024):
parsing, content detection, and the client against a loopback server."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from paperwire.ingest import import_paths
from paperwire.ingest.detect import detect_format
from paperwire.ingest.formats.rss import Announcement, iter_announcements
from paperwire.ingest.records import Rejection
from paperwire.ingest.rss import FeedError, RssClient
from paperwire.store import SQLiteStore
from replay_server import ReplayServer, Reply, live_settings, replay_server

LIVE = Path(__file__).parent / "fixtures" / "live"
DAY = date(2026, 8, 21)


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with replay_server() as running:
        yield running


def announcements(name: str) -> list[Announcement]:
    items = list(iter_announcements(io.BytesIO((LIVE / name).read_bytes()), name))
    assert not [item for item in items if isinstance(item, Rejection)]
    return items  # type: ignore[return-value]


def test_rss_items_become_papers_with_their_announce_type_and_day() -> None:
    items = announcements("rss_announcement.xml")
    assert [(a.paper.id, a.kind) for a in items] == [
        ("2608.16005", "new"),
        ("2608.16007", "new"),
        ("2608.16006", "cross"),
        ("2601.00042", "replace"),
        ("2512.09999", "replace-cross"),
    ]
    assert {a.day for a in items} == {DAY}
    new = items[1].paper
    assert new.version == 1 and new.source == "listing"
    assert new.title == "Lexical Drift in Long Dialogues"
    assert (
        new.abstract.startswith("The abstract of lexical drift") and "Announce" not in new.abstract
    )
    # "Ada Lovelace, Alan Turing (Univ. of Manchester, UK) and Grace Hopper": an
    # affiliation also belongs to the names before it that have none, as in arXiv's metadata.
    assert [(a.name, a.affiliations) for a in new.authors] == [
        ("Ada Lovelace", ["Univ. of Manchester, UK"]),
        ("Alan Turing", ["Univ. of Manchester, UK"]),
        ("Grace Hopper", []),
    ]
    assert new.github_repos == ["https://github.com/example/2608-16007"]


def test_only_new_and_cross_listed_papers_are_listed_on_the_announcement_day() -> None:
    listed = {a.paper.id: a.paper.listed_on for a in announcements("rss_announcement.xml")}
    assert listed == {
        "2608.16005": DAY,
        "2608.16007": DAY,
        "2608.16006": DAY,
        "2601.00042": None,
        "2512.09999": None,
    }


def test_a_replacement_carries_its_version_and_doi() -> None:
    replaced = next(a.paper for a in announcements("rss_announcement.xml") if a.kind == "replace")
    assert (replaced.version, replaced.doi, replaced.categories) == (
        3,
        "10.1000/example.42",
        ["cs.CV"],
    )


def test_the_atom_flavour_reads_the_same_as_rss() -> None:
    rss = announcements("rss_announcement.xml")[:3]
    atom = announcements("atom_announcement.xml")
    assert [(a.paper.id, a.kind, a.day) for a in atom] == [(a.paper.id, a.kind, a.day) for a in rss]
    assert [a.paper.authors for a in atom] == [a.paper.authors for a in rss]
    assert atom[2].paper.categories == ["math.OC", "cs.LG"]


def test_each_item_gets_its_primary_category_first_listed() -> None:
    for flavour in ("rss_announcement.xml", "atom_announcement.xml"):
        papers = [a.paper for a in announcements(flavour)]
        assert all(p.primary_category == p.categories[0] for p in papers), flavour
    assert announcements("atom_announcement.xml")[2].paper.primary_category == "math.OC"


def test_an_item_with_an_unknown_announce_type_is_rejected_alone() -> None:
    body = (LIVE / "rss_announcement.xml").read_bytes()
    body = body.replace(b"<arxiv:announce_type>cross<", b"<arxiv:announce_type>sideways<", 1)
    body = body.replace(b"Announce Type: cross", b"Announce Type: sideways", 1)
    items = list(iter_announcements(io.BytesIO(body), "feed.xml"))
    rejected = [item for item in items if isinstance(item, Rejection)]
    assert len(items) == 5 and len(rejected) == 1
    assert str(rejected[0]) == "feed.xml: item 3: unknown announce type 'sideways'"


def test_content_detection_tells_announcement_feeds_from_api_feeds() -> None:
    assert detect_format((LIVE / "rss_announcement.xml").read_bytes()) == "arxiv-announcements"
    assert detect_format((LIVE / "atom_announcement.xml").read_bytes()) == "arxiv-announcements"
    assert detect_format((LIVE / "api_window.xml").read_bytes()) == "arxiv-atom"


def test_a_saved_feed_imports_like_any_file(store: SQLiteStore) -> None:
    report = import_paths(store, [LIVE / "rss_announcement.xml"])
    assert (report.new, report.rejected) == (5, 0)
    assert report.formats == {str(LIVE / "rss_announcement.xml"): "arxiv-announcements"}
    stored = store.get_paper("2608.16007")
    assert stored is not None and stored.listed_on == DAY


def test_the_client_asks_for_all_categories_in_one_request(
    server: ReplayServer, tmp_path: Path
) -> None:
    server.add("/rss/cs.LG+cs.CL", Reply(200, (LIVE / "rss_announcement.xml").read_bytes()))
    server.add("/atom/cs.LG+cs.CL", Reply(200, (LIVE / "atom_announcement.xml").read_bytes()))
    with RssClient.from_settings(live_settings(server, tmp_path)) as client:
        feed = client.fetch(["cs.LG", "cs.CL"])
        atom = client.fetch(["cs.LG", "cs.CL"], flavour="atom")
    assert feed.day == DAY and atom.day == DAY
    assert feed.kinds() == {"new": 2, "cross": 1, "replace": 1, "replace-cross": 1}
    assert [seen.path for seen in server.seen] == ["/rss/cs.LG+cs.CL", "/atom/cs.LG+cs.CL"]


def test_a_broken_or_missing_feed_is_a_clear_error(server: ReplayServer, tmp_path: Path) -> None:
    body = (LIVE / "rss_announcement.xml").read_bytes()
    server.add("/rss/cs.LG", Reply(200, body[: len(body) // 2]))
    with RssClient.from_settings(live_settings(server, tmp_path)) as client:
        with pytest.raises(FeedError, match="malformed XML at line"):
            client.fetch(["cs.LG"])
        with pytest.raises(FeedError, match="HTTP 404"):
            client.fetch(["math.ZZ"])
