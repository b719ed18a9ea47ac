"""The arXiv API client against a loopback server replaying recorded arXiv answers:
paging, id lookups, errors that arrive as HTTP 200, truncated feeds, request spacing."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperwire.cli.main import cli
from paperwire.ingest.arxiv_api import (
    ArxivApiClient,
    ArxivApiError,
    ArxivRateExceeded,
    ArxivTruncated,
)
from paperwire.ingest.fetch import PaperNotFound, fetch_paper
from paperwire.store import SQLiteStore
from replay_server import ReplayServer, Reply, live_settings, replay_server

RECORDED = "fixtures/arxiv-api/current"
TESTING_S0_M10 = "q_testing_s0_m10_bc5a6c384fe9.json"


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with replay_server() as running:
        yield running


@pytest.fixture
def recorded(server: ReplayServer, shared_data: Path) -> ReplayServer:
    assert server.add_recorded(shared_data / RECORDED) >= 20
    return server


def client_for(server: ReplayServer, tmp_path: Path, **changes: object) -> ArxivApiClient:
    return ArxivApiClient.from_settings(live_settings(server, tmp_path, **changes))


def recorded_body(shared_data: Path, name: str) -> str:
    return json.loads((shared_data / RECORDED / name).read_text(encoding="utf-8"))["body"]


def test_a_search_reads_several_pages_in_order(recorded: ReplayServer, tmp_path: Path) -> None:
    with client_for(recorded, tmp_path) as client:
        pages = list(client.search("testing", page_size=10, sort_by="relevance", limit=30))
    assert [page.start for page in pages] == [0, 10, 20]
    assert all(page.total > 200_000 for page in pages)
    ids = [paper.id for page in pages for paper in page.papers]
    assert len(ids) == 30 and len(set(ids)) == 30
    starts = [seen.query["start"] for seen in recorded.requests_to("/api/query")]
    assert starts == ["0", "10", "20"]


def test_pages_that_overlap_give_the_same_papers(recorded: ReplayServer, tmp_path: Path) -> None:
    with client_for(recorded, tmp_path) as client:
        wide = client.query(search_query="testing", start=0, max_results=15)
        shifted = client.query(search_query="testing", start=5, max_results=10)
    assert [p.id for p in shifted.papers][:10] == [p.id for p in wide.papers][5:15]


def test_an_id_lookup_returns_the_paper(recorded: ReplayServer, tmp_path: Path) -> None:
    with client_for(recorded, tmp_path) as client:
        page = client.fetch(["1605.08386"])
        old_style = client.fetch(["astro-ph/0601001"])
        nothing = client.fetch(["0000.0000"])
    (paper,) = page.papers
    assert paper.title == "Heat-bath random walks with Markov bases"
    assert paper.primary_category == "math.CO" and paper.version == 1
    assert page.submitted["1605.08386"].isoformat() == "2016-05-26T17:59:46+00:00"
    assert [p.id for p in old_style.papers] == ["astro-ph/0601001"]
    assert nothing.papers == [] and nothing.total == 0


def test_fetch_paper_stores_the_paper_from_any_url_form(
    recorded: ReplayServer, tmp_path: Path, store: SQLiteStore
) -> None:
    settings = live_settings(recorded, tmp_path)
    paper = fetch_paper(store, "https://arxiv.org/abs/1605.08386v1", settings)
    assert paper.id == "1605.08386"
    stored = store.get_paper("1605.08386")
    assert stored is not None and stored.authors[0].name == "Caprice Stanley"


def test_fetch_paper_of_an_unknown_id_says_so_and_stores_nothing(
    server: ReplayServer, tmp_path: Path, store: SQLiteStore, shared_data: Path
) -> None:
    empty = recorded_body(shared_data, "id_0000.0000_s0_m100_8b51d9633a68.json")
    server.add(
        "/api/query?search_query=&id_list=2601.99999&sortBy=relevance&sortOrder=descending"
        "&start=0&max_results=100",
        Reply(200, empty),
    )
    with pytest.raises(PaperNotFound, match=r"arXiv has no paper 2601\.99999"):
        fetch_paper(store, "2601.99999", live_settings(server, tmp_path))
    assert store.stats().papers == 0


def test_the_error_feed_for_a_bad_id_is_an_error(recorded: ReplayServer, tmp_path: Path) -> None:
    with client_for(recorded, tmp_path) as client, pytest.raises(ArxivApiError) as error:
        client.fetch(["abc"])
    assert "incorrect id format for abc" in str(error.value)


def test_an_error_entry_under_http_200_is_an_error_too(
    server: ReplayServer, tmp_path: Path, shared_data: Path
) -> None:
    body = recorded_body(shared_data, "id_abc_s0_m100_b79c8dcf6bc3.json")
    server.handle("/api/query", lambda query: Reply(200, body))
    with client_for(server, tmp_path) as client, pytest.raises(ArxivApiError) as error:
        client.query(search_query="ti:anything")
    assert "arXiv API error: incorrect id format for abc" in str(error.value)


def test_rate_exceeded_is_an_error_and_nothing_is_stored(
    server: ReplayServer, tmp_path: Path, store: SQLiteStore
) -> None:
    server.handle("/api/query", lambda query: Reply(200, "Rate exceeded."))
    with pytest.raises(ArxivRateExceeded, match="Rate exceeded"):
        fetch_paper(store, "1605.08386", live_settings(server, tmp_path))
    assert store.stats().papers == 0


def test_a_truncated_feed_is_a_clear_error_that_keeps_the_entries_before_the_break(
    server: ReplayServer, tmp_path: Path, shared_data: Path
) -> None:
    body = recorded_body(shared_data, TESTING_S0_M10)
    cut = body.index("<entry>", body.index("<entry>", body.index("<entry>") + 1) + 1) + 200
    server.handle("/api/query", lambda query: Reply(200, body[:cut]))
    with client_for(server, tmp_path) as client, pytest.raises(ArxivTruncated) as error:
        client.query(search_query="testing", max_results=10)
    assert "malformed XML at line" in str(error.value)
    assert "2 entries read before it" in str(error.value)
    assert len(error.value.partial.papers) == 2


def test_an_empty_page_inside_the_results_is_asked_for_again(
    server: ReplayServer, tmp_path: Path, shared_data: Path
) -> None:
    full = recorded_body(shared_data, TESTING_S0_M10)
    empty = full[: full.index("<entry>")] + "</feed>\n"
    server.add(
        "/api/query?search_query=testing&id_list=&sortBy=relevance&sortOrder=descending"
        "&start=0&max_results=10",
        Reply(200, empty),
        Reply(200, full),
    )
    with client_for(server, tmp_path) as client:
        (page,) = list(client.search("testing", page_size=10, sort_by="relevance", limit=10))
    assert len(page.papers) == 10
    assert len(server.requests_to("/api/query")) == 2


def test_requests_to_arxiv_are_spaced_across_every_client_of_the_process(
    server: ReplayServer, tmp_path: Path
) -> None:
    server.handle(
        "/api/query", lambda query: Reply(200, "<feed xmlns='http://www.w3.org/2005/Atom'/>")
    )
    interval = 0.2

    def ask_three_times() -> None:
        with client_for(server, tmp_path, arxiv_interval=interval) as client:
            for n in range(3):
                client.query(search_query=f"ti:q{n}")

    workers = [threading.Thread(target=ask_three_times) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    arrivals = sorted(seen.at for seen in server.requests_to("/api/query"))
    assert len(arrivals) == 6
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    assert min(gaps) >= interval


def test_paperwire_fetch_stores_one_paper_and_explains_a_bad_id(
    recorded: ReplayServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERWIRE_ARXIV_API_URL", f"{recorded.url}/api/query")
    monkeypatch.setenv("PAPERWIRE_ARXIV_INTERVAL", "0")
    db = tmp_path / "fetch.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["fetch", "arXiv:1605.08386", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "stored 1605.08386v1: Heat-bath random walks with Markov bases" in result.output
    bad = runner.invoke(cli, ["fetch", "abc", "--db", str(db)])
    assert bad.exit_code == 1 and "not an arXiv id or URL: 'abc'" in bad.output
    assert len(recorded.seen) == 1  # the bad id never reached arXiv
