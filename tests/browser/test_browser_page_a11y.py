"""The main pages in a real browser: axe-core finds no serious or critical
accessibility violation, and a title's math is drawn as a MathML element.

axe-core comes bundled in the ``axe-playwright-python`` package; its rules and
impact levels are Deque's (https://github.com/dequelabs/axe-core/blob/develop/doc/rule-descriptions.md).
Each page is checked in the light and the dark palette, and kept as a screenshot.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from serving import serving

from paperwire.model import Author, Paper, Version
from paperwire.search.engine import SearchEngine
from paperwire.store import SQLiteStore
from replay_server import ReplayServer
from web_helpers import fill_store

axe_sync = pytest.importorskip(
    "axe_playwright_python.sync_playwright", reason="the dev extra is not installed"
)

PASSWORD = "correct horse battery"
MATH_ID = "2611.00090"
# A real title (arXiv 2504.06803), math and all.
MATH_TITLE = "D$^2$iT: Dynamic Diffusion Transformer for Accurate Image Generation"
BLOCKING = {"serious", "critical"}  # and moderate ones are fixed where found
REPORTS = Path(__file__).resolve().parents[2] / "artifacts" / "axe"


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, arxiv_replay: ReplayServer
) -> Iterator[str]:
    """``paperwire serve`` on the fixture store, plus a paper with math in its title,
    40 authors, versions and a link in its abstract."""
    folder = tmp_path_factory.mktemp("a11y")
    db = folder / "store.db"
    store = fill_store(SQLiteStore(db))
    store.upsert_papers(
        [
            Paper(
                MATH_ID,
                MATH_TITLE,
                abstract="We scale $O(n^2)$ attention down. Code: https://github.com/a/d2it.",
                authors=[Author(f"Member {n}") for n in range(40)],
                categories=["cs.CV"],
                published=date(2026, 11, 20),
                listed_on=date(2026, 11, 24),
                versions=[Version(1, date(2026, 11, 20)), Version(2, date(2026, 11, 23))],
                version=2,
            )
        ]
    )
    SearchEngine(store, db.with_name(db.name + ".indexes"), None).update()
    store.close()
    env = {
        "PAPERWIRE_ARXIV_API_URL": f"{arxiv_replay.url}/api/query",
        "PAPERWIRE_ARXIV_INTERVAL": "0",
        "PAPERWIRE_HTTP_RETRIES": "0",
    }
    with serving(db, folder, env) as url:
        yield url


def blocking_violations(page: object, name: str) -> list[str]:
    """axe's serious and critical violations on ``page``, one line each; the whole
    report is kept as artifacts/axe/NAME.json."""
    results = axe_sync.Axe().run(page)
    violations = results.response["violations"]
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"{name}.json").write_text(json.dumps(violations, indent=1), encoding="utf-8")
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
        if v["impact"] in BLOCKING
    ]


PAGES = [
    ("a11y-daily", "/"),
    ("a11y-day", "/papers?date=2026-11-23"),
    ("a11y-trending", "/trending"),
    ("a11y-search", "/search?q=diffusion"),
    ("a11y-paper", f"/papers/{MATH_ID}"),
    ("a11y-login", "/login"),
]


@pytest.mark.parametrize(("name", "path"), PAGES)
def test_a_page_has_no_serious_accessibility_violation(page, shoot, name, path) -> None:  # type: ignore[no-untyped-def]
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert page.goto(path).status == 200
        shoot(page, f"{name}-{scheme}")
        assert blocking_violations(page, f"{name}-{scheme}") == []


def test_for_you_has_no_serious_accessibility_violation(page, shoot) -> None:  # type: ignore[no-untyped-def]
    page.goto("/register")
    page.get_by_label("User name").fill("axe")
    page.locator("#password").fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert page.goto("/for-you").status == 200
        assert page.locator(".account .who").inner_text() == "axe"
        shoot(page, f"a11y-for-you-{scheme}")
        assert blocking_violations(page, f"a11y-for-you-{scheme}") == []


def test_a_title_draws_its_math_as_mathml(page, shoot) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"/papers?date=2026-11-24#p-{MATH_ID.replace('.', '-')}")
    for where in (page.locator(f"#p-{MATH_ID.replace('.', '-')} h3.title"), None):
        if where is None:
            page.goto(f"/papers/{MATH_ID}")
            where = page.locator("h1#paper-title")
        math = where.locator("math")
        assert math.count() == 1
        # The browser knows the element as MathML (MathML Core) and lays it out:
        # the superscript sits above the baseline of the text around it.
        namespace = math.evaluate("m => m.namespaceURI")
        assert namespace == "http://www.w3.org/1998/Math/MathML"
        box = where.locator("msup mn").bounding_box()
        text_box = where.bounding_box()
        assert box is not None and text_box is not None and box["height"] > 0
        assert box["y"] < text_box["y"] + text_box["height"] / 2
        assert where.inner_text().replace("\n", "").startswith("D2iT: Dynamic")
    shoot(page, "a11y-math-title")


def test_the_check_sees_a_violation_where_there_is_one(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        " '<img src=\"/static/favicon.svg\"><button></button>')"
    )
    found = blocking_violations(page, "a11y-broken-on-purpose")
    assert any("image-alt" in line for line in found)
    assert any("button-name" in line for line in found)
