"""A new server's first minutes in a real browser: papers arrive by a sync against the
loopback replay of arXiv and Hugging Face, and search answers at once, with no
`paperwire reindex`: a keyword index, saying that semantic results are on their way."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from serving import serving

from paperwire.cli.main import cli
from replay_server import ReplayServer, Reply, replay_server

LIVE = Path(__file__).resolve().parents[1] / "fixtures" / "live"
FEED = "/rss/cs.LG+cs.CL+cs.AI+cs.CV+stat.ML"


@pytest.fixture(scope="module")
def sources() -> Iterator[ReplayServer]:
    """arXiv's API and feed and Hugging Face's daily list, whatever day is asked for."""
    with replay_server() as server:
        window = (LIVE / "api_window.xml").read_bytes()
        daily = (LIVE / "hf_daily_2026-08-21.json").read_bytes()
        server.handle("/api/query", lambda query: Reply(200, window))
        server.handle("/api/daily_papers", lambda query: Reply(200, daily))
        server.add(FEED, Reply(200, (LIVE / "rss_announcement.xml").read_bytes()))
        yield server


def test_search_works_right_after_the_first_sync(
    browser: object,
    sources: ReplayServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shoot,  # type: ignore[no-untyped-def]
) -> None:
    env = {
        "PAPERWIRE_ARXIV_API_URL": f"{sources.url}/api/query",
        "PAPERWIRE_ARXIV_RSS_URL": sources.url,
        "PAPERWIRE_HF_API_URL": sources.url,
        "PAPERWIRE_ARXIV_INTERVAL": "0",
        "PAPERWIRE_HTTP_BACKOFF": "0.01",
        "PAPERWIRE_CONTACT_EMAIL": "ops@example.org",
        "PAPERWIRE_HOME": str(tmp_path / "home"),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    db = tmp_path / "new.db"
    synced = CliRunner().invoke(cli, ["sync", "--db", str(db)])
    assert synced.exit_code == 0, synced.output
    assert not db.with_name(db.name + ".indexes").exists()  # nobody built an index

    with serving(db, tmp_path, env) as url:
        context = browser.new_context()  # type: ignore[attr-defined]
        page = context.new_page()
        page.goto(f"{url}/search?q=sparse+attention")  # type: ignore[attr-defined]
        titles = page.locator("h3.title a").all_inner_texts()  # type: ignore[attr-defined]
        assert titles[0] == "Streaming Sparse Attention"
        notice = page.locator(".index-notice")  # type: ignore[attr-defined]
        assert "Semantic search is on its way" in notice.inner_text()
        shoot(page, "06-search-after-first-sync")
        context.close()
