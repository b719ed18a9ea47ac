"""The Hub's models, datasets and Spaces citing a paper, against a loopback server in the
Hub's documented shapes: several pages (Link rel="next"), a malformed answer, a
redirect to another host; and what both stores keep of them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperwire.application.artifacts import artifact_plan, refresh_artifacts
from paperwire.cli.main import cli
from paperwire.config import load_settings
from paperwire.ingest.hub_client import HubClient, HubError
from paperwire.model import Paper
from paperwire.store import PaperStore, open_store_at
from paperwire.store.code_records import Artifact
from replay_server import ReplayServer, Reply, live_settings, replay_server

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
PAPER = "2611.01234"


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with replay_server() as running:
        yield running


def models(start: int, count: int) -> str:
    """A page of /api/models as the Hub gives it (the fields read, and some beside)."""
    return json.dumps(
        [
            {
                "_id": f"6{n:023d}",
                "id": f"org/model-{n}",
                "likes": n,
                "downloads": 10 * n,
                "private": False,
                "pipeline_tag": "text-generation",
                "tags": [f"arxiv:{PAPER}"],
            }
            for n in range(start, start + count)
        ]
    )


def serve_paper(server: ReplayServer, paper: str = PAPER) -> None:
    query = f"filter=arxiv:{paper}&limit=100"
    nxt = f"{server.url}/api/models?filter=arxiv:{paper}&limit=100&cursor=abc"
    server.add(f"/api/models?{query}", Reply(200, models(1, 100), {"Link": f'<{nxt}>; rel="next"'}))
    server.add(f"/api/models?{query}&cursor=abc", Reply(200, models(101, 20)))
    server.add(
        f"/api/datasets?{query}",
        Reply(200, json.dumps([{"id": "org/data", "likes": 4, "downloads": 9}])),
    )
    server.add(f"/api/spaces?{query}", Reply(200, json.dumps([{"id": "org/demo", "likes": 30}])))


def client_for(server: ReplayServer, tmp_path: Path) -> HubClient:
    return HubClient.from_settings(live_settings(server, tmp_path))


def add_paper(store: PaperStore, paper_id: str = PAPER, listed: date = TODAY) -> None:
    store.upsert_papers([Paper(paper_id, f"Paper {paper_id}", listed_on=listed, upvotes=3)])


def test_every_page_of_every_kind_is_stored_and_the_most_liked_shown(
    server: ReplayServer, tmp_path: Path, store: PaperStore
) -> None:
    add_paper(store)
    serve_paper(server)
    with client_for(server, tmp_path) as client:
        report = refresh_artifacts(store, client, NOW)
    assert (report.papers, report.artifacts) == (1, 122)
    found = store.paper_artifacts(PAPER, top=3)
    assert found.totals == {"model": 120, "dataset": 1, "space": 1}
    assert [a.artifact_id for a in found.shown["model"]] == [
        "org/model-120",
        "org/model-119",
        "org/model-118",
    ]
    assert found.shown["space"] == [Artifact("space", "org/demo", 30, 0)]
    assert artifact_plan(store, NOW + timedelta(hours=1)) == []  # asked once a day
    assert artifact_plan(store, NOW + timedelta(hours=25)) == [PAPER]


def test_a_malformed_answer_is_refused_and_the_stored_list_kept(
    server: ReplayServer, tmp_path: Path, store: PaperStore
) -> None:
    add_paper(store)
    store.replace_artifacts(PAPER, [Artifact("model", "org/kept", 5, 1)], NOW - timedelta(days=2))
    serve_paper(server)
    server.add(f"/api/spaces?filter=arxiv:{PAPER}&limit=100", Reply(200, '[{"likes": 3}]'))
    with client_for(server, tmp_path) as client:
        report = refresh_artifacts(store, client, NOW)
        with pytest.raises(HubError, match="item 0 has no repository id"):
            client.citing(PAPER)
    assert report.papers == 0 and len(report.refused) == 1 and "/api/spaces" in report.refused[0]
    assert store.paper_artifacts(PAPER).totals["model"] == 1


def test_a_redirect_to_another_host_is_refused_and_the_run_stops(
    server: ReplayServer, tmp_path: Path, store: PaperStore
) -> None:
    add_paper(store)
    server.add(
        f"/api/models?filter=arxiv:{PAPER}&limit=100",
        Reply(302, b"", {"Location": "http://127.0.0.2:9/api/models"}),
    )
    with client_for(server, tmp_path) as client:
        report = refresh_artifacts(store, client, NOW)
    assert report.stopped and "outside the configured hosts" in report.stopped
    assert not store.paper_artifacts(PAPER).any


def test_refresh_artifacts_command_reports_what_it_stored(
    server: ReplayServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "cli.db"
    store = open_store_at(db)
    add_paper(store, PAPER, datetime.now(UTC).date())
    store.close()
    serve_paper(server)
    monkeypatch.setenv("PAPERWIRE_HF_API_URL", server.url)
    result = CliRunner().invoke(cli, ["refresh", "artifacts", "--db", str(db), "--json", "-"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output[result.output.index("{") :])
    assert (figures["papers"], figures["artifacts"]) == (1, 122)


def test_the_hub_follows_the_hugging_face_host_unless_set_and_empty_switches_it_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = {"PAPERWIRE_HOME": str(tmp_path)}
    follows = load_settings({**home, "PAPERWIRE_HF_API_URL": "http://127.0.0.1:9"})
    assert follows.hub_api_url == "http://127.0.0.1:9"
    apart = {"PAPERWIRE_HF_API_URL": "http://127.0.0.1:9", "PAPERWIRE_HUB_API_URL": "http://h:1"}
    assert load_settings({**home, **apart}).hub_api_url == "http://h:1"
    off = load_settings({**home, "PAPERWIRE_HUB_API_URL": " "})
    assert off.hub_api_url is None and off.hf_api_url == "https://huggingface.co"
    monkeypatch.setenv("PAPERWIRE_HUB_API_URL", "")
    result = CliRunner().invoke(cli, ["refresh", "artifacts", "--db", str(tmp_path / "a.db")])
    assert result.exit_code != 0 and "switched off" in result.output
