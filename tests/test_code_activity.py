"""GitHub stars against a loopback server in GitHub's documented shapes: conditional
requests, the rate limit, renamed and deleted repositories, refused answers; the
star history they leave in both stores, and trending by code computed from it."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperwire.application.code_activity import CODE_JOB, code_refresh_plan, refresh_code
from paperwire.application.code_schedule import run_due_refreshes
from paperwire.cli.main import cli
from paperwire.config import load_settings
from paperwire.ingest.github_client import GithubClient, RateLimited, github_repo_name
from paperwire.model import Paper
from paperwire.rank.code_trending import history_ready, rank_by_code, stars_gained
from paperwire.store import PaperStore, open_store_at
from paperwire.store.code_activity import STAR_HISTORY_DAYS
from paperwire.store.code_records import CodeRepoState
from replay_server import ReplayServer, Reply, live_settings, replay_server

TODAY = date(2026, 11, 30)


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with replay_server() as running:
        yield running


def repo_json(full_name: str, stars: int) -> str:
    """A repository object as GET /repos/{owner}/{repo} gives it (the fields we read, and
    a few beside them)."""
    return json.dumps(
        {
            "id": 42,
            "full_name": full_name,
            "html_url": f"https://github.com/{full_name}",
            "stargazers_count": stars,
            "forks_count": 3,
        }
    )


def ok(full_name: str, stars: int, etag: str = '"e1"', remaining: int = 59) -> Reply:
    return Reply(
        200,
        repo_json(full_name, stars),
        {
            "Content-Type": "application/json",
            "ETag": etag,
            "X-RateLimit-Limit": "60",
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(int(time.time()) + 3600),
        },
    )


def client_for(server: ReplayServer, tmp_path: Path, **kwargs: object) -> GithubClient:
    return GithubClient.from_settings(live_settings(server, tmp_path), **kwargs)  # type: ignore[arg-type]


def add_paper(store: PaperStore, paper_id: str, repo: str, listed: date = TODAY) -> None:
    store.upsert_papers(
        [Paper(paper_id, f"Paper {paper_id}", github_repos=[repo], listed_on=listed, upvotes=1)]
    )


def test_repository_links_are_read_as_owner_and_name() -> None:
    assert github_repo_name("https://github.com/Owner/Repo.git") == "Owner/Repo"
    assert github_repo_name("https://github.com/owner/repo/tree/main/src") == "owner/repo"
    assert github_repo_name("https://gitlab.com/owner/repo") is None
    assert github_repo_name("https://github.com/owner") is None


def test_an_empty_setting_switches_github_off() -> None:
    assert load_settings({"PAPERWIRE_HOME": "x"}).github_api_url == "https://api.github.com"
    assert (
        load_settings({"PAPERWIRE_HOME": "x", "PAPERWIRE_GITHUB_API_URL": ""}).github_api_url
        is None
    )


def test_stars_are_stored_then_a_304_keeps_them_and_sends_the_etag(
    server: ReplayServer, tmp_path: Path, store: PaperStore
) -> None:
    add_paper(store, "2611.00001", "https://github.com/owner/repo")
    server.add(
        "/repos/owner/repo",
        ok("owner/repo", 120, '"abc"'),
        Reply(304, b"", {"ETag": '"abc"', "X-RateLimit-Remaining": "58"}),
    )
    with client_for(server, tmp_path) as client:
        first = refresh_code(store, client, TODAY)
        again = refresh_code(store, client, TODAY)  # asked once a day
        later = refresh_code(store, client, TODAY + timedelta(days=1))
    assert (first.updated, again.planned, later.unchanged) == (1, 0, 1)
    sent = server.requests_to("/repos/owner/repo")
    assert "If-None-Match" not in sent[0].headers
    assert sent[1].headers["If-None-Match"] == '"abc"'
    assert sent[0].headers["Accept"] == "application/vnd.github+json"
    assert store.star_history(["2611.00001"]) == {
        "2611.00001": [(TODAY, 120), (TODAY + timedelta(days=1), 120)]
    }


def test_a_spent_rate_limit_is_waited_out_until_its_reset_then_resumed(
    server: ReplayServer, tmp_path: Path
) -> None:
    reset = int(time.time()) + 1
    server.add(
        "/repos/owner/repo",
        Reply(
            403,
            json.dumps({"message": "API rate limit exceeded for 127.0.0.1."}),
            {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)},
        ),
        ok("owner/repo", 7),
    )
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    with client_for(server, tmp_path, sleep=sleep) as client:
        answer = client.repository("owner/repo")
    first, second = server.requests_to("/repos/owner/repo")
    assert answer.stars == 7 and len(waits) == 1 and 0 < waits[0] <= 2
    assert second.at - first.at >= waits[0]  # resumed only after the reset


def test_a_reset_further_than_the_wait_stops_the_run_and_keeps_what_it_did(
    server: ReplayServer, tmp_path: Path, store: PaperStore
) -> None:
    add_paper(store, "2611.00001", "https://github.com/a/one")
    add_paper(store, "2611.00002", "https://github.com/b/two")
    server.add("/repos/a/one", ok("a/one", 5, remaining=0))
    server.add("/repos/b/two", ok("b/two", 9))
    with client_for(server, tmp_path, max_wait=1.0) as client:
        report = refresh_code(store, client, TODAY)
        with pytest.raises(RateLimited, match="rate limit is spent until"):
            client.repository("b/two")
    assert report.updated == 1 and report.stopped and "PAPERWIRE_GITHUB_TOKEN" in report.stopped
    assert server.requests_to("/repos/b/two") == []
    assert store.code_repo_states(["a/one"])["a/one"].stars == 5


def test_a_renamed_repository_is_followed_and_its_link_updated(
    server: ReplayServer, tmp_path: Path, store: PaperStore
) -> None:
    add_paper(store, "2611.00001", "https://github.com/old/name")
    server.add(
        "/repos/old/name",
        Reply(
            301,
            json.dumps({"message": "Moved Permanently", "url": f"{server.url}/repositories/42"}),
            {"Location": f"{server.url}/repositories/42"},
        ),
    )
    server.add("/repositories/42", ok("new-owner/new-name", 300))
    server.add("/repos/new-owner/new-name", ok("new-owner/new-name", 310))
    with client_for(server, tmp_path) as client:
        first = refresh_code(store, client, TODAY)
        refresh_code(store, client, TODAY + timedelta(days=1))
    assert first.renamed == ["old/name -> new-owner/new-name"]
    state = store.code_repo_states(["old/name"])["old/name"]
    assert state.current_name == "new-owner/new-name" and state.renamed and state.stars == 310
    assert len(server.requests_to("/repos/old/name")) == 1  # asked by the new name since


def test_a_deleted_repository_is_marked_gone_and_not_asked_again(
    server: ReplayServer, tmp_path: Path, store: PaperStore
) -> None:
    add_paper(store, "2611.00001", "https://github.com/gone/repo")
    server.add("/repos/gone/repo", Reply(404, json.dumps({"message": "Not Found"})))
    with client_for(server, tmp_path) as client:
        report = refresh_code(store, client, TODAY)
    assert report.gone == ["gone/repo"]
    assert store.code_repo_states(["gone/repo"])["gone/repo"].gone_on == TODAY
    assert code_refresh_plan(store, TODAY + timedelta(days=1)) == []
    assert store.star_history(["2611.00001"]) == {}


def test_a_malformed_answer_is_refused_with_a_message_and_nothing_else_is_lost(
    server: ReplayServer, tmp_path: Path, store: PaperStore
) -> None:
    add_paper(store, "2611.00001", "https://github.com/bad/body")
    add_paper(store, "2611.00002", "https://github.com/good/one")
    server.add("/repos/bad/body", Reply(200, '{"full_name": "bad/body", "stargazers_count": "'))
    server.add("/repos/good/one", ok("good/one", 11))
    with client_for(server, tmp_path) as client:
        report = refresh_code(store, client, TODAY)
    assert report.updated == 1 and len(report.refused) == 1
    assert "/repos/bad/body" in report.refused[0] and "not JSON" in report.refused[0]
    assert store.code_repo_states(["bad/body"])["bad/body"].problem == report.refused[0]
    assert store.star_history(["2611.00001", "2611.00002"]) == {"2611.00002": [(TODAY, 11)]}


def test_a_redirect_to_another_host_is_refused(
    server: ReplayServer, tmp_path: Path, store: PaperStore
) -> None:
    add_paper(store, "2611.00001", "https://github.com/away/repo")
    server.add(
        "/repos/away/repo", Reply(301, b"", {"Location": "http://127.0.0.2:9/repositories/1"})
    )
    with client_for(server, tmp_path) as client:
        report = refresh_code(store, client, TODAY)
    assert len(report.refused) == 1 and "outside the configured hosts" in report.refused[0]
    assert store.star_history(["2611.00001"]) == {}


def test_trending_by_code_is_read_from_the_star_history(
    server: ReplayServer, tmp_path: Path, store: PaperStore
) -> None:
    add_paper(store, "2611.00001", "https://github.com/a/slow", TODAY - timedelta(days=10))
    add_paper(store, "2611.00002", "https://github.com/b/fast", TODAY - timedelta(days=10))
    counts = {"a/slow": iter(range(100, 200, 2)), "b/fast": iter(range(50, 5000, 60))}
    for name in counts:
        server.handle(
            f"/repos/{name}", lambda _q, name=name: ok(name, next(counts[name]), f'"{name}"')
        )
    with client_for(server, tmp_path) as client:
        for offset in range(6):
            refresh_code(store, client, TODAY - timedelta(days=7 - offset))
        assert not history_ready(*store.star_history_span())
        refresh_code(store, client, TODAY - timedelta(days=1))
        refresh_code(store, client, TODAY)
    assert history_ready(*store.star_history_span())
    histories = store.star_history(["2611.00001", "2611.00002"])
    gain = stars_gained(histories["2611.00002"], TODAY)
    assert gain is not None and (gain.gained, gain.stars, gain.since) == (
        7 * 60,
        50 + 7 * 60,
        TODAY - timedelta(days=7),
    )
    listed = [
        ("2611.00001", TODAY - timedelta(days=10)),
        ("2611.00002", TODAY - timedelta(days=10)),
    ]
    ranked = rank_by_code(listed, histories, TODAY)
    assert [s.paper_id for s in ranked] == ["2611.00002", "2611.00001"]
    assert ranked[0].explain().startswith("+420 stars this week (470 stars as of 2026-11-30)")


def test_refresh_code_command_reports_its_coverage_and_what_it_did(
    server: ReplayServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "cli.db"
    store = open_store_at(db)
    add_paper(store, "2611.00001", "https://github.com/owner/repo", date.today())
    store.close()
    server.add("/repos/owner/repo", ok("owner/repo", 77))
    monkeypatch.setenv("PAPERWIRE_GITHUB_API_URL", server.url)
    result = CliRunner().invoke(cli, ["refresh", "code", "--db", str(db), "--json", "-"])
    assert result.exit_code == 0, result.output
    assert "60 requests an hour" in result.output
    assert json.loads(result.output[result.output.index("{") :])["updated"] == 1
    monkeypatch.setenv("PAPERWIRE_GITHUB_API_URL", "")
    off = CliRunner().invoke(cli, ["refresh", "code", "--db", str(db)])
    assert off.exit_code != 0 and "switched off" in off.output


def test_refresh_code_exits_non_zero_when_github_cannot_be_reached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "cli.db"
    store = open_store_at(db)
    add_paper(store, "2611.00001", "https://github.com/owner/repo", date.today())
    store.close()
    monkeypatch.setenv("PAPERWIRE_GITHUB_API_URL", "http://127.0.0.1:9")  # nothing listens
    monkeypatch.setenv("PAPERWIRE_HTTP_RETRIES", "0")
    result = CliRunner().invoke(cli, ["refresh", "code", "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert "0 of 1" in result.output and "stopped early" in result.output


def test_the_background_job_refreshes_on_its_own_schedule_under_its_lock(
    server: ReplayServer, tmp_path: Path, store: PaperStore
) -> None:
    add_paper(store, "2611.00001", "https://github.com/owner/repo")
    server.add("/repos/owner/repo", ok("owner/repo", 10))
    server.handle("/api/models", lambda _q: Reply(200, "[]"))
    server.handle("/api/datasets", lambda _q: Reply(200, "[]"))
    server.handle("/api/spaces", lambda _q: Reply(200, "[]"))
    settings = live_settings(server, tmp_path)
    noon = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    with store.job_lock(CODE_JOB):  # another node is refreshing: skipped, not failed
        run_due_refreshes(store, settings, noon)
    assert server.requests_to("/repos/owner/repo") == []
    assert len(server.requests_to("/api/models")) == 1  # artifacts have their own lock
    run_due_refreshes(store, settings, noon)
    run_due_refreshes(store, settings, noon + timedelta(minutes=30))  # not due yet
    assert len(server.requests_to("/repos/owner/repo")) == 1
    assert len(server.requests_to("/api/models")) == 1
    assert store.star_history(["2611.00001"]) == {"2611.00001": [(TODAY, 10)]}
    run_due_refreshes(store, replace(settings, github_api_url=None), noon + timedelta(hours=25))
    assert len(server.requests_to("/repos/owner/repo")) == 1  # switched off
    assert len(server.requests_to("/api/models")) == 2


def test_a_token_is_sent_as_a_bearer_authorization(server: ReplayServer, tmp_path: Path) -> None:
    server.add("/repos/owner/repo", ok("owner/repo", 3))
    settings = live_settings(server, tmp_path, github_token="t0ken")
    with GithubClient.from_settings(settings) as client:
        assert client.repository("owner/repo").stars == 3
        with pytest.raises(ValueError, match="not a GitHub repository name"):
            client.repository("../../etc")
    (seen,) = server.requests_to("/repos/owner/repo")
    assert seen.headers["Authorization"] == "Bearer t0ken"


def test_the_star_history_keeps_five_weeks(store: PaperStore) -> None:
    old = TODAY - timedelta(days=STAR_HISTORY_DAYS + 1)
    store.record_code_check(CodeRepoState("a/b", "a/b", 1, None, old), ["2611.00001"])
    store.record_code_check(CodeRepoState("a/b", "a/b", 2, None, TODAY), ["2611.00001"])
    assert store.star_history(["2611.00001"]) == {"2611.00001": [(TODAY, 2)]}
    assert store.star_history_span() == (TODAY, TODAY)


def test_githubs_count_replaces_the_imported_one_and_a_new_seq_only_when_it_changes(
    store: PaperStore,
) -> None:
    add_paper(store, "2611.00001", "https://github.com/owner/repo")
    store.upsert_papers([Paper("2611.00001", "Paper 2611.00001", github_stars=500)])
    before = store.max_seq()
    assert store.set_github_stars(["2611.00001", "2611.09999"], 480, TODAY) == ["2611.00001"]
    paper = store.get_paper("2611.00001")
    assert paper is not None and (paper.github_stars, paper.github_stars_on) == (480, TODAY)
    assert store.max_seq() == before + 1 and store.integrity_check() == "ok"
    assert store.set_github_stars(["2611.00001"], 480, TODAY + timedelta(days=1)) == []
    assert store.max_seq() == before + 1
    # An import carrying an older, larger count is still merged by the keep-the-largest
    # rule; the day goes with the count kept.
    store.upsert_papers([Paper("2611.00001", "Paper 2611.00001", github_stars=900)])
    merged = store.get_paper("2611.00001")
    assert merged is not None and (merged.github_stars, merged.github_stars_on) == (900, None)
    store.upsert_papers([Paper("2611.00001", "Paper 2611.00001", github_stars=100)])
    assert store.get_paper("2611.00001").github_stars_on is None  # type: ignore[union-attr]
