"""Keyphrases on the web: links on feed items and paper pages, topic pages with their
weekly chart and follow button, rising topics on /trending; on both stores."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from paperwire.application.topic_weeks import topic_weeks
from paperwire.application.understanding import follow_changes
from paperwire.ingest.arxiv_calendar import listing_days
from paperwire.model import Paper
from paperwire.rank.topics import RisingTopic, rising_topics, weekly_counts
from paperwire.store import PaperStore
from paperwire.web.render.templates import make_environment
from web_helpers import NEWEST_DAY, csrf_of, fill_store, log_in, make_app, register

TOPIC = "speculative decoding"


def speculative(n: int, day: date, upvotes: int = 3) -> Paper:
    return Paper(
        id=f"2611.{n:05d}",
        title=f"Speculative Decoding Trick {n}",
        abstract="We speed up speculative decoding of large language models (LLMs).",
        listed_on=day,
        upvotes=upvotes,
        keywords=["speculative decoding", "LLMs"],
    )


@pytest.fixture
def client(store: PaperStore) -> Iterator[TestClient]:
    fill_store(store)  # type: ignore[arg-type]
    # Six papers this week and one a month before: a rising topic.
    store.upsert_papers(
        [speculative(100 + i, NEWEST_DAY - timedelta(days=i)) for i in range(6)]
        + [speculative(99, NEWEST_DAY - timedelta(days=30))]
    )
    follow_changes(store)
    with TestClient(make_app(store, None)) as test_client:  # type: ignore[arg-type]
        yield test_client


def topic_links(html: str) -> list[str]:
    return re.findall(r'<a class="keyphrase[^"]*" href="/topics/([^"]+)"', html)


def test_feed_items_and_paper_pages_link_their_keyphrases(client: TestClient) -> None:
    feed = client.get("/papers?date=" + NEWEST_DAY.isoformat())
    assert feed.status_code == 200
    assert "speculative%20decoding" in topic_links(feed.text)
    page = client.get("/papers/2611.00100")
    links = topic_links(page.text)
    assert "speculative%20decoding" in links and "large%20language%20model" in links
    # Hugging Face gives these keys too: each is one chip, ours, marked as theirs too.
    assert links.count("speculative%20decoding") == 1
    assert links.count("large%20language%20model") == 1
    assert re.search(r'class="keyphrase shared" href="/topics/speculative%20decoding"', page.text)
    assert "keyphrases-theirs" not in page.text  # nothing of theirs is left to list


def test_their_other_keyphrases_follow_a_label_not_a_chip(store: PaperStore) -> None:
    fill_store(store)  # type: ignore[arg-type]
    mixed = speculative(200, NEWEST_DAY)
    mixed.keywords = ["speculative decoding", "tree attention"]
    store.upsert_papers([mixed])
    follow_changes(store)
    with TestClient(make_app(store, None)) as client:  # type: ignore[arg-type]
        for path in ("/papers/2611.00200", "/papers?date=" + NEWEST_DAY.isoformat()):
            html = client.get(path).text
            item = html[html.index("2611.00200") :]
            chips = item[item.index('<p class="keyphrases">') :]
            chips = chips[: chips.index("</p>")]
            assert topic_links(chips).count("speculative%20decoding") == 1
            group = re.search(
                r'<span class="keyphrases-theirs" role="group" aria-label="([^"]+)">'
                r'<span class="source-label"[^>]*>([^<]+)</span>(.*?)</span>$',
                chips,
                re.S,
            )
            assert group is not None, chips
            assert group.group(1) == "Hugging Face's keywords"
            assert group.group(2) == "Hugging Face's:"
            assert topic_links(group.group(3)) == ["tree%20attention"]
            assert 'class="keyphrase theirs"' in group.group(3)


def test_a_topic_page_lists_its_papers_with_a_weekly_chart(client: TestClient) -> None:
    page = client.get("/topics/speculative%20decoding")
    assert page.status_code == 200
    assert '<h1 id="topic-title">speculative decoding</h1>' in page.text
    assert "7 papers" in page.text
    chart = re.search(r'<svg class="topic-chart".*?</svg>', page.text, re.S)
    assert chart is not None
    bars = re.findall(r"<title>week of (\S+): (\d+) papers[^<]*</title>", chart.group())
    assert len(bars) == 26
    assert sum(int(n) for _, n in bars) == 7
    assert "<script" not in chart.group()
    assert "Log in</a> to follow this topic" in page.text


def test_other_spellings_redirect_and_unknown_topics_are_404(client: TestClient) -> None:
    moved = client.get("/topics/Speculative-Decoding", follow_redirects=False)
    assert moved.status_code == 301
    assert moved.headers["location"] == "/topics/speculative%20decoding"
    acronym = client.get("/topics/LLMs", follow_redirects=False)
    assert acronym.headers["location"] == "/topics/large%20language%20model"
    assert client.get("/topics/no%20such%20topic").status_code == 404
    assert client.get("/topics/%20-%20").status_code == 404


def test_a_reader_follows_a_topic_from_its_page(client: TestClient) -> None:
    register(client, "ada")
    log_in(client, "ada")
    page = client.get("/topics/speculative%20decoding")
    assert "Follow this topic" in page.text
    answer = client.post(
        "/follows",
        data={
            "kind": "topic",
            "value": TOPIC,
            "csrf_token": csrf_of(page.text),
            "next": "/topics/speculative%20decoding",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    again = client.get("/topics/speculative%20decoding")
    assert "You follow this topic" in again.text
    assert "topic: speculative decoding" in client.get("/follows").text


def test_trending_shows_rising_topics_with_their_growth(client: TestClient) -> None:
    page = client.get("/trending")
    assert page.status_code == 200
    section = re.search(r'<section class="rising-topics".*?</section>', page.text, re.S)
    assert section is not None
    assert 'href="/topics/speculative%20decoding"' in section.group()
    # one paper in the 4 weeks before: 0.25 a week; growth (6 + 1) / (0.25 + 1) = 5.6
    assert (
        "6 papers this week, 0.2 a week on average over the 4 weeks before (×5.6)"
        in section.group()
    )


def test_a_topic_rising_by_upvotes_says_so() -> None:
    by_upvotes = RisingTopic("world models", 5, 400, 5.0, 20.0)
    assert by_upvotes.measure == "upvotes"
    assert by_upvotes.explain() == (
        "400 upvotes this week, 20.0 a week on average over the 4 weeks before (×13.7)"
    )
    by_papers = RisingTopic("agents", 15, 0, 12.75, 0.0)
    assert by_papers.measure == "papers"
    assert by_papers.explain().startswith("15 papers this week, 12.8 a week on average")
    html = render_partial([by_upvotes, by_papers])
    rows = re.findall(r"<li>.*?</li>", html, re.S)
    assert 'class="rising-measure">by upvotes</span>' in rows[0]
    assert "rising-measure" not in rows[1]


def render_partial(rising: list[RisingTopic]) -> str:
    template = make_environment().get_template("partials/rising_topics.html")
    return template.render(rising=rising, topic_labels={})


def test_weeks_the_store_holds_in_part_are_marked_on_the_chart(store: PaperStore) -> None:
    full, part = date(2026, 10, 5), date(2026, 10, 12)  # two Mondays
    full_days = listing_days(full, full + timedelta(days=6))
    part_days = listing_days(part, part + timedelta(days=6))
    store.upsert_papers(
        [speculative(300 + i, full_days[i]) for i in range(3)]
        + [speculative(310 + i, part_days[0]) for i in range(2)]
    )
    follow_changes(store)
    store.hold_listing_days("arxiv", ["cs.LG"], full_days)
    store.hold_listing_days("arxiv", ["cs.CL", "cs.RO"], part_days[:2])  # counted once
    weeks = {w.start: w for w in topic_weeks(store, TOPIC, weeks=3)}
    assert not weeks[full].partial
    assert (weeks[part].held_days, weeks[part].listing_days) == (2, len(part_days))
    assert weeks[part].partial and weeks[part].papers == 2
    with TestClient(make_app(store, None)) as client:  # type: ignore[arg-type]
        page = client.get("/topics/speculative%20decoding").text
    partial = re.findall(r'<rect class="partial"[^>]*><title>week of (\S+):', page)
    assert part.isoformat() in partial and full.isoformat() not in partial
    assert f"holds 2 of arXiv's {len(part_days)} listing days" in page
    assert "rather than plotting each week's share" in page


def test_a_store_without_arxiv_listings_marks_no_week(store: PaperStore) -> None:
    store.upsert_papers([speculative(400, date(2026, 10, 6))])
    follow_changes(store)
    weeks = topic_weeks(store, TOPIC, weeks=4)
    assert [w.papers for w in weeks] == [0, 0, 0, 1]
    assert not any(w.partial for w in weeks)


def test_rising_topics_need_five_papers_in_the_week(store: PaperStore) -> None:
    store.upsert_papers([speculative(100 + i, NEWEST_DAY - timedelta(days=i)) for i in range(4)])
    follow_changes(store)
    assert rising_topics(store, NEWEST_DAY) == []
    assert [t.key for t in rising_topics(store, NEWEST_DAY, min_papers=4)][:1] != []


def test_weekly_counts_include_empty_weeks() -> None:
    monday = date(2026, 11, 2)
    weeks = weekly_counts(
        [monday, monday + timedelta(days=2), monday + timedelta(weeks=2)], weeks=4
    )
    assert [(w.start, w.papers) for w in weeks] == [
        (monday - timedelta(weeks=1), 0),
        (monday, 2),
        (monday + timedelta(weeks=1), 0),
        (monday + timedelta(weeks=2), 1),
    ]
    assert weekly_counts([]) == []
