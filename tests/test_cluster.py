"""Scaled out: two web nodes and a worker on one PostgreSQL, under load, lose no vote."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from paperwire.cli.main import cli
from paperwire.store import open_store_at
from web_helpers import fill_store


def test_two_nodes_and_a_worker_serve_one_database_and_keep_every_vote(
    postgres_url: str, tmp_path: Path
) -> None:
    store = open_store_at(postgres_url)
    fill_store(store)
    store.close()
    work = tmp_path / "cluster"
    args = ["bench", "cluster", "--db", postgres_url, "--seconds", "4", "--connections", "4"]
    result = CliRunner().invoke(cli, [*args, "--work", str(work), "--json", "-"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output[result.output.index("{") :])

    assert figures["all"]["errors"] == 0 and figures["server_errors_logged"] == 0
    assert all(kind["requests"] > 0 for kind in figures["by_kind"].values()), figures
    votes = figures["votes"]
    assert votes["acknowledged_final_states"] > 0
    assert votes["not_as_acknowledged"] == 0 and votes["tallies_wrong"] == 0
    # Two processes, two index folders; the worker synced from node 0's HF-shaped API.
    assert (work / "node-0" / "indexes").is_dir() and (work / "node-1" / "indexes").is_dir()
    assert figures["worker"]["alive_at_end"]
    store = open_store_at(postgres_url)
    try:
        assert store.get_sync_state("hf.last_day") is not None
    finally:
        store.close()
