"""`paperwire` starts fast: `--help` imports no command, a command imports only its own
module, and the benchmarks come from the development package's entry points."""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import paperwire
from paperwire.cli.main import COMMANDS, DEVELOPMENT_COMMANDS, SUMMARIES, cli

SRC = Path(paperwire.__file__).resolve().parents[1]
HEAVY = ("numpy", "sklearn", "scipy", "onnxruntime", "fastapi", "psycopg", "paperwire_bench")
COMMAND_MODULES = {target.partition(":")[0] for target in COMMANDS.values()}


# Runs the command as `python -m paperwire.cli` does, then writes every module
# loaded (sys.modules: -X importtime misses what importlib.import_module loads).
_RUN = """
import json, runpy, sys
out, sys.argv, code = sys.argv[1], ["paperwire", *sys.argv[2:]], 0
try:
    runpy.run_module("paperwire.cli", run_name="__main__", alter_sys=True)
except SystemExit as exit:
    code = exit.code
with open(out, "w") as handle:
    json.dump({"code": code, "modules": sorted(sys.modules)}, handle)
"""


def _imported(*args: str, home: Path) -> set[str]:
    """The modules loaded by `paperwire ARGS`, run in a fresh interpreter."""
    path = os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path, "PAPERWIRE_HOME": str(home)}
    out = home / "modules.json"
    result = subprocess.run(
        [sys.executable, "-c", _RUN, str(out), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["code"] in (0, None), result.stdout + result.stderr[-3000:]
    return set(report["modules"])


def _heavy(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in HEAVY}


def test_help_imports_no_command_and_no_heavy_library(tmp_path: Path) -> None:
    modules = _imported("--help", home=tmp_path)
    assert not _heavy(modules)
    assert {m for m in modules if m.startswith("paperwire")} <= {
        "paperwire",
        "paperwire.cli",
        "paperwire.cli.main",
        "paperwire.cli.__main__",
    }


def test_a_command_imports_only_its_own_command_module(tmp_path: Path) -> None:
    modules = _imported("stats", "--db", str(tmp_path / "empty.db"), "--json", "-", home=tmp_path)
    assert COMMAND_MODULES & modules == {"paperwire.cli.papers"}
    assert not _heavy(modules)  # a SQLite store's figures need no numpy, psycopg or model
    assert not {m for m in modules if m.startswith(("paperwire.web", "paperwire_bench"))}


def test_every_summary_is_its_commands_own_short_help() -> None:
    assert SUMMARIES.keys() == COMMANDS.keys()
    for name, target in COMMANDS.items():
        module, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        assert command.name == name
        assert SUMMARIES[name] == command.get_short_help_str(limit=10_000), name


def test_help_lists_the_built_in_and_the_plugin_commands() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0, result.output
    listed = {line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line}
    assert listed == {*COMMANDS, *DEVELOPMENT_COMMANDS}


def test_without_the_development_package_bench_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda **_: [])
    for args in (["bench", "import", "papers.jsonl"], ["eval", "recs"], ["bench"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, result.output
        assert "development package paperwire-bench" in result.output
        assert "pip install -e bench" in result.output and "make install" in result.output
    listing = CliRunner().invoke(cli, ["--help"]).output
    assert "bench" not in listing.split("Commands:")[1]
    unknown = CliRunner().invoke(cli, ["no-such-command"])
    assert unknown.exit_code == 2 and "No such command" in unknown.output


def test_the_product_never_imports_the_development_package() -> None:
    for path in (SRC / "paperwire").rglob("*.py"):
        assert "paperwire_bench" not in path.read_text(encoding="utf-8"), path


def test_bench_startup_reports_medians_against_the_baseline(tmp_path: Path) -> None:
    out = tmp_path / "startup.json"
    result = CliRunner().invoke(
        cli,
        ["bench", "startup", "--db", str(tmp_path / "s.db"), "--repeats", "1", "--json", str(out)],
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text())
    for name in ("baseline", "help", "stats"):
        assert figures[f"{name}_seconds"] > 0 and figures[f"{name}_peak_rss_mb"] > 5
    assert figures["help_seconds_ratio"] > 0 and figures["stats_peak_rss_ratio"] > 0
