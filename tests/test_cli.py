"""The command line: every command answers -h with an example, and reports figures as JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from paperwire.cli.main import cli

FIXTURES = Path(__file__).parent / "fixtures"
README = Path(__file__).resolve().parents[1] / "README.md"


def _all_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    """Every command under ``group``, loaded as running it would (the groups are lazy)."""
    found = []
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None, f"`paperwire {prefix}{name}` is listed but does not load"
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += _all_commands(command, f"{prefix}{name} ")
    return found


@pytest.mark.parametrize(("name", "command"), _all_commands(cli))
def test_every_command_teaches(name: str, command: click.Command) -> None:
    result = CliRunner().invoke(cli, [*name.split(), "-h"])
    assert result.exit_code == 0, result.output
    if not isinstance(command, click.Group):
        assert re.search(r"Examples?:", result.output), f"`paperwire {name} -h` has no example"


@pytest.mark.parametrize(("name", "command"), _all_commands(cli))
def test_every_command_is_documented_in_readme(name: str, command: click.Command) -> None:
    assert f"paperwire {name}" in README.read_text(encoding="utf-8"), (
        f"README lacks `paperwire {name}`"
    )


def test_import_stats_show(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "cli.db")
    result = runner.invoke(
        cli, ["import", str(FIXTURES / "hf_daily_papers.json"), "--db", db, "--json", "-"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["new"], report["rejected"]) == (2, 1)

    result = runner.invoke(cli, ["stats", "--db", db, "--json", "-"])
    assert json.loads(result.stdout)["papers"] == 2

    result = runner.invoke(cli, ["show", "https://arxiv.org/abs/2608.00001v3", "--db", db])
    assert result.exit_code == 0
    assert "Compilers" in result.stdout and "US Navy" in result.stdout

    result = runner.invoke(cli, ["show", "2608.09999", "--db", db])
    assert result.exit_code == 1
    assert "not in the store" in result.output and "paperwire fetch" in result.output

    result = runner.invoke(cli, ["show", "notanid", "--db", db])
    assert result.exit_code == 1
    assert "'notanid' is not an arXiv identifier" in result.output
    assert "paperwire fetch" not in result.output

    for pasted in ("arXiv:2608.00001 [cs.PL]", "https://huggingface.co/papers/2608.00001"):
        result = runner.invoke(cli, ["show", pasted, "--db", db])
        assert result.exit_code == 0 and "Compilers" in result.stdout, pasted


def test_show_gives_each_author_with_their_affiliations(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    result = runner.invoke(cli, ["import", str(FIXTURES / "atom_edge_cases.xml"), "--db", db])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["show", "math/0309136", "--db", db])
    assert result.exit_code == 0, result.output
    assert "Jürgen Müller (Universität Zürich), 李 雷" in result.stdout
    result = runner.invoke(cli, ["show", "math/0309136", "--db", db, "--json", "-"])
    authors = json.loads(result.stdout)["authors"]
    assert authors[0] == {"name": "Jürgen Müller", "affiliations": ["Universität Zürich"]}


def test_import_fails_when_a_file_is_missing_and_keeps_the_others(tmp_path: Path) -> None:
    db = str(tmp_path / "missing.db")
    good = str(FIXTURES / "hf_daily_papers.json")
    result = CliRunner().invoke(
        cli, ["import", good, str(tmp_path / "absent.jsonl"), "--db", db, "--json", "-"]
    )
    assert result.exit_code == 1
    assert "1 of 2 file(s) could not be read" in result.output
    assert "absent.jsonl: cannot open" in result.output
    assert json.loads(result.stdout[: result.stdout.rindex("}") + 1])["new"] == 2  # kept


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            '{"id": "not an id", "title": "x", "abstract": "y", "authors": ["A B"],'
            ' "categories": ["cs.LG"], "first_listed": "2024-01-09"}\n'
            '{"id": "2401.00001", "title": "t", "abstract": "a", "authors": ["A B"],'
            ' "categories": ["cs.LG"], "first_listed": "someday"}\n',
            "every record was rejected",
        ),
        ("neither JSON nor XML\n", "1 of 1 file(s) could not be read"),
    ],
)
def test_import_fails_when_nothing_could_be_imported(
    tmp_path: Path, content: str, reason: str
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(bad), "--db", str(tmp_path / "bad.db")])
    assert result.exit_code == 1 and reason in result.output, result.output


def test_import_reads_standard_input(tmp_path: Path) -> None:
    db = str(tmp_path / "stdin.db")
    data = (FIXTURES / "oai_arxivraw.xml").read_bytes()
    result = CliRunner().invoke(cli, ["import", "-", "--db", db, "--json", "-"], input=data)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["formats"] == {"<stdin>": "oai-pmh"}


def test_json_written_to_file(tmp_path: Path) -> None:
    out = tmp_path / "stats.json"
    result = CliRunner().invoke(cli, ["stats", "--db", str(tmp_path / "x.db"), "--json", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text())["papers"] == 0
