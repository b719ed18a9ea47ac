"""``paperwire check``, ``repair``, ``backup`` and ``restore``: keeping a store safe, its
records right and its indexes true."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from paperwire.cli.engine_options import index_dir_for
from paperwire.cli.options import (
    counted_progress,
    db_option,
    emit_json,
    json_option,
    open_cli_store,
)
from paperwire.config import load_settings
from paperwire.search.consistency import ConsistencyReport, check_consistency
from paperwire.store import StoreLocation, is_postgres_url
from paperwire.store.backup import (
    POSTGRES_GUIDANCE,
    NotAStore,
    StoreFileInfo,
    backup_sqlite,
    postgres_backup_command,
    restore_sqlite,
)

__all__ = ["backup_command", "check_command", "repair_command", "restore_command"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.command("check", context_settings=CONTEXT)
@click.option(
    "--metadata",
    is_flag=True,
    help="Audit the papers' metadata instead: names with TeX or footnote marks, missed or "
    "duplicate links, organisation names spelt two ways.",
)
@db_option
@json_option
def check_command(db_path: StoreLocation | None, metadata: bool, json_out: str | None) -> None:
    """Check that the store is sound and the search indexes agree with it.

    Runs the store's integrity check, then compares the indexes with the
    store: every paper indexed once, no stray documents, the same change
    reached, a vector for every paper where the index has embeddings. Exits
    with status 1 and says what to run when they differ.

    With --metadata, counts instead what the papers still show wrong, by
    kind, with examples; `paperwire repair` fixes what a record still holds.

    \b
    Examples:
      paperwire check --json check.json
      paperwire check --metadata
    """
    if metadata:
        _check_metadata(db_path, json_out)
        return
    store = open_cli_store(db_path)
    try:
        report = check_consistency(store, index_dir_for(db_path))
    finally:
        store.close()
    _print_check(report, Console(stderr=json_out == "-"))
    emit_json(report.figures(), json_out)
    if not report.ok:
        raise click.ClickException(
            "the store and its search indexes differ: " + "; ".join(map(str, report.problems))
        )


@click.command("repair", context_settings=CONTEXT)
@click.option("--dry-run", is_flag=True, help="Count what would change; write nothing.")
@db_option
@json_option
def repair_command(dry_run: bool, db_path: StoreLocation | None, json_out: str | None) -> None:
    """Bring papers stored by an older paperwire up to today's import rules.

    Re-derives every paper from its stored record: author lists split at
    affiliation footnotes, TeX in names and titles, missed or duplicate code
    and project links, organisation names. Safe while the service runs (the
    search indexes follow the changes) and safe to run twice. Paragraphs and
    affiliations that older imports dropped are not in the records: those
    papers get them back when their source is imported again.

    \b
    Examples:
      paperwire repair --dry-run
      paperwire repair && paperwire check --metadata
    """
    from paperwire.application.repair import REPAIRED_FIELDS, repair_store

    store = open_cli_store(db_path)
    try:
        total = store.stats().papers
        with counted_progress() as bar:
            task = bar.add_task("repairing" if not dry_run else "checking", total=total)
            report = repair_store(
                store, dry_run=dry_run, progress=lambda n: bar.update(task, completed=n)
            )
    finally:
        store.close()
    console = Console(stderr=json_out == "-")
    verb = "would repair" if dry_run else "repaired"
    console.print(f"paperwire repair: {verb} {report.repaired} of {report.papers} papers")
    table = Table()
    table.add_column("field")
    table.add_column("papers", justify="right")
    for name in REPAIRED_FIELDS:
        table.add_row(name, str(report.fields[name]))
    console.print(table)
    for example in report.examples[:5]:
        console.print(f"  {example}")
    if report.legacy:
        console.print(
            f"note: {report.legacy} papers were last imported by an older paperwire. What their "
            "records hold is repaired; the abstract paragraphs and second affiliations that "
            "older imports dropped come back when their source is imported again "
            "(`paperwire import FILE`, `paperwire fetch ID`, or the next sync)."
        )
    emit_json(report.figures(), json_out)


@click.command("backup", context_settings=CONTEXT)
@click.argument("dest", type=click.Path(dir_okay=False, path_type=Path))
@db_option
@json_option
def backup_command(dest: Path, db_path: StoreLocation | None, json_out: str | None) -> None:
    """Write a consistent copy of the store to DEST, safe while the service runs.

    A SQLite store is copied with SQLite's online backup API (one snapshot,
    writers carry on) and the copy is checked before it replaces DEST. A
    PostgreSQL store is dumped with pg_dump when it is installed; otherwise
    this prints the pg_dump command to run.

    \b
    Example:
      paperwire backup ~/backups/paperwire-$(date +%F).db
    """
    url = _postgres_url(db_path)
    if url is not None:
        _pg_dump(url, dest)
        return
    source = _sqlite_path(db_path)
    try:
        info = backup_sqlite(source, dest)
    except NotAStore as exc:
        raise click.ClickException(f"{exc}: nothing to back up (check --db)") from exc
    _print_file(f"backed up {source} to {dest}", info, json_out)


@click.command("restore", context_settings=CONTEXT)
@click.argument("src", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a store that already holds data.")
@db_option
@json_option
def restore_command(
    src: Path, force: bool, db_path: StoreLocation | None, json_out: str | None
) -> None:
    """Replace the store with the backup SRC, after checking SRC is a sound paperwire store.

    Stop the service first. A store that holds data is only replaced with
    --force. The replacement is atomic: an interrupted restore leaves the old
    store. Afterwards run `paperwire reindex`, since the indexes follow the
    old store.

    \b
    Example:
      paperwire restore ~/backups/paperwire-2026-11-24.db --force
    """
    if _postgres_url(db_path) is not None:
        raise click.ClickException("this store is PostgreSQL.\n" + POSTGRES_GUIDANCE)
    target = _sqlite_path(db_path)
    try:
        info = restore_sqlite(src, target, force=force)
    except NotAStore as exc:
        raise click.ClickException(f"not restored: {exc}") from exc
    except FileExistsError as exc:
        raise click.ClickException(f"not restored: {exc}") from exc
    _print_file(f"restored {target} from {src}", info, json_out)
    click.echo("now run `paperwire reindex`, then `paperwire check`", err=True)


def _postgres_url(db: StoreLocation | None) -> str | None:
    if is_postgres_url(db):
        return str(db)
    settings = load_settings()
    return settings.database_url if db is None and is_postgres_url(settings.database_url) else None


def _sqlite_path(db: StoreLocation | None) -> Path:
    return Path(db) if db else load_settings().sqlite_path


def _pg_dump(url: str, dest: Path) -> None:
    if shutil.which("pg_dump") is None:
        raise click.ClickException("pg_dump is not installed here.\n" + POSTGRES_GUIDANCE)
    done = subprocess.run(postgres_backup_command(url, dest), check=False)
    if done.returncode != 0:
        raise click.ClickException(
            f"pg_dump failed (status {done.returncode}); see its message above"
        )
    click.echo(f"dumped the PostgreSQL store to {dest} (restore with pg_restore)", err=True)


def _print_file(title: str, info: StoreFileInfo, json_out: str | None) -> None:
    table = Table(title=title, show_header=False)
    table.add_row("schema version", str(info.schema_version))
    table.add_row("integrity", info.integrity)
    for name, count in info.rows.items():
        table.add_row(name, str(count))
    Console(stderr=json_out == "-").print(table)
    emit_json(
        {
            "path": str(info.path),
            "schema_version": info.schema_version,
            "integrity": info.integrity,
            "rows": info.rows,
        },
        json_out,
    )


def _print_check(report: ConsistencyReport, console: Console) -> None:
    table = Table(title="paperwire check", show_header=False)
    table.add_row("store integrity", report.store_integrity)
    table.add_row("papers", str(report.papers))
    table.add_row("store change", str(report.store_seq))
    table.add_row("index", report.index or "none")
    if report.index is not None:
        table.add_row("indexed change", str(report.indexed_seq))
        table.add_row("keyword documents", str(report.lexical_docs))
        table.add_row("vectors", "none" if report.vectors is None else str(report.vectors))
    table.add_row("verdict", "consistent" if report.ok else "[red]inconsistent[/red]")
    console.print(table)
    for note in report.notes:
        console.print(f"note: {note}")


def _check_metadata(db_path: StoreLocation | None, json_out: str | None) -> None:
    from paperwire.application.metadata import audit_metadata

    store = open_cli_store(db_path)
    try:
        total = store.stats().papers
        with counted_progress() as bar:
            task = bar.add_task("auditing", total=total)
            report = audit_metadata(store, lambda n: bar.update(task, completed=n))
    finally:
        store.close()
    console = Console(stderr=json_out == "-")
    table = Table(title=f"paperwire check --metadata: {report.papers} papers")
    table.add_column("fault")
    table.add_column("count", justify="right")
    for kind, count in report.counts.items():
        table.add_row(kind.replace("_", " "), str(count) if not count else f"[red]{count}[/red]")
    console.print(table)
    for kind, examples in report.examples.items():
        for example in examples[:5]:
            console.print(f"  {kind.replace('_', ' ')}: {example}", markup=False)
    emit_json(report.figures(), json_out)
    if not report.ok:
        raise click.ClickException(
            "some papers' metadata is wrong: run `paperwire repair`, then check again "
            "(`--json` lists up to 20 examples of each kind)"
        )
