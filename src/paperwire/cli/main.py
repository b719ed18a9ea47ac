"""The ``paperwire`` command: a click group that imports each sub-command only when it runs.

Built-in commands are one table, ``COMMANDS`` (name to "module:attribute"): a
command's module is imported when that command is invoked, so ``paperwire
stats`` imports the stats command's module and not the web server or the
search engine. ``paperwire --help`` lists them from ``SUMMARIES`` and imports
none. Other installed distributions add commands through the
``paperwire.commands`` entry-point group, consulted only for names that are not
built in and for listing: the development package paperwire-bench adds
``bench`` and ``eval`` this way. Run ``paperwire COMMAND -h`` for help and an
example.
"""

from __future__ import annotations

import importlib
import textwrap
from typing import TYPE_CHECKING

import click

from paperwire import __version__

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

__all__ = ["COMMANDS", "DEVELOPMENT_COMMANDS", "PLUGIN_GROUP", "SUMMARIES", "LazyGroup", "cli"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
PLUGIN_GROUP = "paperwire.commands"

# Every built-in command, registered here and nowhere else.
COMMANDS: dict[str, str] = {
    "backup": "paperwire.cli.maintenance:backup_command",
    "check": "paperwire.cli.maintenance:check_command",
    "digest": "paperwire.cli.personal:digest_group",
    "export": "paperwire.cli.import_export:export_command",
    "fetch": "paperwire.cli.ingest:fetch_command",
    "harvest": "paperwire.cli.ingest:harvest_command",
    "import": "paperwire.cli.import_export:import_command",
    "migrate-store": "paperwire.cli.migrate_store:migrate_store_command",
    "refresh": "paperwire.cli.refresh:refresh_group",
    "reindex": "paperwire.cli.search:reindex_command",
    "repair": "paperwire.cli.maintenance:repair_command",
    "restore": "paperwire.cli.maintenance:restore_command",
    "search": "paperwire.cli.search:search_command",
    "serve": "paperwire.cli.serve:serve_command",
    "show": "paperwire.cli.papers:show_command",
    "similar": "paperwire.cli.search:similar_command",
    "stats": "paperwire.cli.papers:stats_command",
    "status": "paperwire.cli.status:status_command",
    "sync": "paperwire.cli.ingest:sync_command",
    "users": "paperwire.cli.users:users_group",
    "worker": "paperwire.cli.worker:worker_command",
}

# What `paperwire --help` says of each, without importing it: each command's own
# short help (tests/test_cli_startup.py checks that they agree).
SUMMARIES: dict[str, str] = {
    "backup": "Write a consistent copy of the store to DEST, safe while the service runs.",
    "check": "Check that the store is sound and the search indexes agree with it.",
    "digest": 'Email digests: trending, "for you" and alerts, to confirmed subscribers.',
    "export": "Write every paper as paperwire JSONL to OUT (default: standard output).",
    "fetch": "Fetch one paper from the arXiv API, by id or URL, and store it.",
    "harvest": "Harvest arXiv metadata in bulk over OAI-PMH, resumably.",
    "import": "Import papers from FILES ('-' reads standard input); the format is detected "
    "from content.",
    "migrate-store": "Copy everything from SOURCE to the empty DESTINATION, then verify the copy.",
    "refresh": "Refresh code activity (GitHub stars), linked artifacts (Hugging Face Hub) or "
    "thumbnails.",
    "reindex": "Rebuild the search indexes from the store (stored embeddings are reused).",
    "repair": "Bring papers stored by an older paperwire up to today's import rules.",
    "restore": "Replace the store with the backup SRC, after checking SRC is a sound paperwire "
    "store.",
    "search": 'Search the papers: words, "a phrase", an arXiv id or URL, and filters.',
    "serve": "Serve the web pages, the JSON API and the feeds at http://HOST:PORT.",
    "show": "Show one paper, by arXiv id or URL (abs, pdf or html; any version).",
    "similar": "Papers most like PAPER_ID (an arXiv id or URL), by their embeddings.",
    "stats": "What the store holds: papers, community facts, dates, change sequence.",
    "status": "Missing announcement days per category, and each source's last successful sync.",
    "sync": "Pull what arXiv announced and Hugging Face listed since the newest day held.",
    "users": "Give or take away a user's role: admin or moderator of the discussion.",
    "worker": "Run the scheduled jobs: sync arXiv and Hugging Face, then send the digests due.",
}

# The commands of the development package: asked for without it, they say how to get it.
DEVELOPMENT_COMMANDS = ("bench", "eval")
_NOT_INSTALLED = (
    "`paperwire {name}` ships in the development package paperwire-bench, which is not "
    "installed. From a checkout of paperwire, run `pip install -e bench` (or `make install`)."
)


class LazyGroup(click.Group):
    """A group whose built-in commands come from ``COMMANDS`` and whose other
    commands come from ``PLUGIN_GROUP`` entry points, each imported when invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands, *_plugins()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            module, _, attribute = COMMANDS[cmd_name].partition(":")
            return getattr(importlib.import_module(module), attribute)
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        entry = _plugins().get(cmd_name)
        return _load_plugin(entry) if entry is not None else None

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if (
            name in DEVELOPMENT_COMMANDS
            and not ctx.resilient_parsing
            and self.get_command(ctx, name) is None
        ):
            ctx.fail(_NOT_INSTALLED.format(name=name))
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the summaries, importing no command."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        plugins = _plugins()
        rows = []
        for name in names:
            if name in SUMMARIES:
                summary = SUMMARIES[name]
            elif name in self.commands:
                summary = self.commands[name].get_short_help_str(limit)
            else:
                summary = _plugin_summary(plugins[name])
            rows.append((name, _shorten(summary, limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _shorten(text: str, limit: int) -> str:
    """``text`` cut at a word to ``limit`` characters, as click shortens a command's help."""
    if len(text) <= limit:
        return text
    return textwrap.shorten(text, max(limit, 3), placeholder="...", break_on_hyphens=False)


def _plugins() -> dict[str, EntryPoint]:
    """The ``PLUGIN_GROUP`` entry points by name, built-in names left out (the first wins)."""
    from importlib.metadata import entry_points  # only here: it costs the other commands time

    found: dict[str, EntryPoint] = {}
    for entry in entry_points(group=PLUGIN_GROUP):
        if entry.name not in COMMANDS:
            found.setdefault(entry.name, entry)
    return found


def _load_plugin(entry: EntryPoint) -> click.Command:
    source = f"{entry.value} ({_distribution(entry)})"
    try:
        command = entry.load()
    except ImportError as exc:
        message = f"cannot load `paperwire {entry.name}` from {source}: {exc}"
        raise click.ClickException(message) from exc
    if not isinstance(command, click.Command):
        raise click.ClickException(f"`paperwire {entry.name}`: {source} is not a click command")
    return command


def _plugin_summary(entry: EntryPoint) -> str:
    """The distribution's own summary: listing the commands must not import any."""
    summary = entry.dist.metadata["Summary"] if entry.dist is not None else None
    return summary or f"A command from {_distribution(entry)}."


def _distribution(entry: EntryPoint) -> str:
    return entry.dist.name if entry.dist is not None else "an unknown distribution"


@click.group(cls=LazyGroup, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="paperwire")
def cli() -> None:
    """paperwire: find, rank and follow research papers, on your own machine.

    \b
    Start here:
      paperwire import papers.jsonl.gz   load papers from a file (any supported format)
      paperwire stats                    what the store holds
      paperwire show 2401.12345          one paper
    Data lives in $PAPERWIRE_HOME (default: your user data folder); --db PATH overrides.
    """
