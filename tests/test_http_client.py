"""The HTTP seam against a real loopback server: retries, Retry-After, time-outs,
size caps, the host allow-list and redirects."""

from __future__ import annotations

import gzip
import socket
from collections.abc import Iterator

import pytest

from paperwire.ingest.http import (
    Fetcher,
    FetchFailed,
    HostNotAllowed,
    HttpOptions,
    NetworkUnavailable,
    ResponseTooLarge,
    user_agent,
)
from replay_server import ReplayServer, Reply, replay_server


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with replay_server() as running:
        yield running


def options(**changes: object) -> HttpOptions:
    base = {
        "user_agent": user_agent("ops@example.org"),
        "timeout": 2.0,
        "retries": 2,
        "backoff": 0.01,
        "max_bytes": 1_000_000,
    }
    base.update(changes)
    return HttpOptions(**base)  # type: ignore[arg-type]


def fetcher_for(server: ReplayServer, **changes: object) -> Fetcher:
    return Fetcher([server.url], options(**changes))


def test_a_plain_get_sends_the_contact_address_in_the_user_agent(server: ReplayServer) -> None:
    server.add("/hello?x=1", Reply(200, "hi"))
    with fetcher_for(server) as fetcher:
        response = fetcher.get(f"{server.url}/hello", {"x": 1})
    assert (response.status, response.body) == (200, b"hi")
    assert "mailto:ops@example.org" in server.seen[0].headers["User-Agent"]


def test_a_503_with_retry_after_is_retried_after_the_wait_it_asks_for(
    server: ReplayServer,
) -> None:
    server.add("/busy", Reply(503, "busy", {"Retry-After": "1"}), Reply(200, "done"))
    with fetcher_for(server, backoff=0.01) as fetcher:
        response = fetcher.get(f"{server.url}/busy")
    assert response.body == b"done"
    first, second = server.requests_to("/busy")
    # The backoff alone would wait about 0.01 s: the gap shows Retry-After was honoured.
    assert second.at - first.at >= 1.0


def test_429_and_5xx_are_retried_until_the_attempts_run_out(server: ReplayServer) -> None:
    server.add("/down", Reply(429, "slow down"), Reply(502, "bad gateway"), Reply(500, "oops"))
    with fetcher_for(server, retries=2) as fetcher, pytest.raises(FetchFailed) as failure:
        fetcher.get(f"{server.url}/down")
    assert len(server.requests_to("/down")) == 3
    assert "failed 3 times, last with HTTP 500" in str(failure.value)


def test_a_retry_after_longer_than_allowed_is_reported_not_waited_for(
    server: ReplayServer,
) -> None:
    server.add("/later", Reply(503, "maintenance", {"Retry-After": "3600"}))
    with fetcher_for(server, max_retry_after=60) as fetcher, pytest.raises(FetchFailed) as failure:
        fetcher.get(f"{server.url}/later")
    assert "asks to wait 3600s" in str(failure.value)
    assert len(server.requests_to("/later")) == 1


def test_a_slow_answer_past_the_timeout_is_retried_then_a_clear_error(
    server: ReplayServer,
) -> None:
    server.add("/slow", Reply(200, "late", delay=1.5))
    fetcher = fetcher_for(server, timeout=0.3, retries=1)
    with fetcher, pytest.raises(FetchFailed) as failure:
        fetcher.get(f"{server.url}/slow")
    assert len(server.requests_to("/slow")) == 2
    assert "no answer within 0.3s" in str(failure.value)


def test_a_slow_answer_then_a_quick_one_succeeds(server: ReplayServer) -> None:
    server.add("/flaky", Reply(200, "late", delay=1.5), Reply(200, "prompt"))
    with fetcher_for(server, timeout=0.3, retries=1) as fetcher:
        assert fetcher.get(f"{server.url}/flaky").body == b"prompt"


def test_a_body_cut_short_is_retried(server: ReplayServer) -> None:
    server.add("/cut", Reply(200, "x" * 5000, cut_after=100), Reply(200, "whole"))
    with fetcher_for(server) as fetcher:
        assert fetcher.get(f"{server.url}/cut").body == b"whole"
    assert len(server.requests_to("/cut")) == 2


def test_a_response_over_the_size_cap_is_refused(server: ReplayServer) -> None:
    server.add("/big", Reply(200, "x" * 5000))
    with fetcher_for(server, max_bytes=1000) as fetcher, pytest.raises(ResponseTooLarge):
        fetcher.get(f"{server.url}/big")
    assert len(server.requests_to("/big")) == 1  # not retried


def test_the_size_cap_counts_decompressed_bytes(server: ReplayServer) -> None:
    bomb = gzip.compress(b"\0" * 2_000_000)
    server.add("/bomb", Reply(200, bomb, {"Content-Encoding": "gzip"}))
    assert len(bomb) < 10_000
    with fetcher_for(server, max_bytes=100_000) as fetcher, pytest.raises(ResponseTooLarge):
        fetcher.get(f"{server.url}/bomb")


def test_a_url_outside_the_configured_hosts_is_refused_without_a_request(
    server: ReplayServer,
) -> None:
    fetcher = Fetcher(["https://export.arxiv.org/api/query"], options())
    with fetcher, pytest.raises(HostNotAllowed):
        fetcher.get(f"{server.url}/anything")
    assert server.seen == []


def test_a_redirect_to_another_host_is_refused(server: ReplayServer) -> None:
    with replay_server() as elsewhere:
        elsewhere.add("/stolen", Reply(200, "should never be fetched"))
        server.add("/moved", Reply(302, "", {"Location": f"{elsewhere.url}/stolen"}))
        with fetcher_for(server) as fetcher, pytest.raises(HostNotAllowed) as refusal:
            fetcher.get(f"{server.url}/moved")
        assert elsewhere.seen == []
    assert "redirected" in str(refusal.value)


def test_a_redirect_within_the_same_host_is_followed(server: ReplayServer) -> None:
    server.add("/old", Reply(301, "", {"Location": "/new?page=2"}))
    server.add("/new?page=2", Reply(200, "here"))
    with fetcher_for(server) as fetcher:
        response = fetcher.get(f"{server.url}/old")
    assert response.body == b"here"
    assert response.url.endswith("/new?page=2")


@pytest.mark.timeout(30)
def test_a_refused_connection_fails_at_once_without_retrying() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/api/query"
    # With a 60 s backoff, a retry would outlast the test's own time-out.
    fetcher = Fetcher([url], options(backoff=60.0, retries=3))
    with fetcher, pytest.raises(NetworkUnavailable) as failure:
        fetcher.get(url)
    assert "cannot reach 127.0.0.1" in str(failure.value)
    assert "check the network connection" in str(failure.value)
