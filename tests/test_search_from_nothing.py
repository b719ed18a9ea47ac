"""From an empty store to search results with no other step: `paperwire import`, then a
search from the command line and from the web, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json

from click.testing import CliRunner
from fastapi.testclient import TestClient

from paperwire.cli.main import cli
from paperwire.config import load_settings
from paperwire.store import StoreLocation, is_postgres_url
from paperwire.web import create_app
from web_helpers import FIXTURE, web_settings


def test_import_then_search_from_the_cli_and_the_web(store_location: StoreLocation) -> None:
    db = str(store_location)
    runner = CliRunner()
    imported = runner.invoke(cli, ["import", str(FIXTURE), "--db", db])
    assert imported.exit_code == 0, imported.output
    assert "search index built: 10 papers" in imported.output

    searched = runner.invoke(cli, ["search", "protein", "--db", db, "--json", "-"])
    assert searched.exit_code == 0, searched.output
    found = json.loads(searched.output[searched.output.index("{") :])
    assert [hit["id"] for hit in found["hits"]] == ["2611.00003"] and found["mode"] == "bm25"

    location = db if is_postgres_url(db) else store_location
    app = create_app(load_settings(), db_path=location, web=web_settings())
    with TestClient(app) as client:
        page = client.get("/search", params={"q": "protein"})
        api = client.get("/api/papers/search", params={"q": "protein"})
    assert page.status_code == 200 and "/papers/2611.00003" in page.text
    assert "Semantic search is on its way" in page.text
    assert api.status_code == 200 and [item["paper"]["id"] for item in api.json()] == ["2611.00003"]
