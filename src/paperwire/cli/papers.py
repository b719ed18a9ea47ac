"""What the store holds: ``stats`` and ``show``. Both start light (no numpy, no model)."""

from __future__ import annotations

from dataclasses import asdict

import click
from rich.console import Console
from rich.table import Table

from paperwire.cli.options import db_option, emit_json, json_option, open_cli_store
from paperwire.config import load_settings
from paperwire.ids import InvalidArxivId, parse_arxiv_id
from paperwire.model import Author, Paper
from paperwire.search.status import IndexStatus, read_index_status
from paperwire.store import StoreLocation

__all__ = ["show_command", "stats_command"]

console = Console(stderr=True)


@click.command("stats")
@db_option
@json_option
def stats_command(db_path: StoreLocation | None, json_out: str | None) -> None:
    """What the store holds: papers, community facts, dates, change sequence.

    It also says what state the search index is in (keyword, hybrid, or
    keyword with its semantic vectors on the way, and how far they are),
    without loading any model.

    \b
    Example:
      paperwire stats --json
    """
    store = open_cli_store(db_path)
    try:
        stats = store.stats()
        index = read_index_status(store, load_settings().index_dir_for(db_path))
    finally:
        store.close()
    if json_out is None:
        table = Table(title=f"paperwire store: {store.path}", show_header=False)
        rows = [
            ("papers", f"{stats.papers:,}"),
            ("arXiv papers", f"{stats.arxiv_papers:,}"),
            ("with upvotes", f"{stats.with_upvotes:,}"),
            ("with code", f"{stats.with_code:,}"),
            ("organisations", f"{stats.organizations:,}"),
            ("listed", f"{stats.first_listed or '-'} .. {stats.last_listed or '-'}"),
            ("change sequence", f"{stats.change_seq:,}"),
            ("schema version", str(stats.schema_version)),
            ("search index", index.describe()),
        ]
        rows += [(f"text from {source}", f"{n:,}") for source, n in sorted(stats.by_source.items())]
        for name, value in rows:
            table.add_row(name, value)
        Console().print(table)
        if not stats.papers:
            console.print("The store is empty: run `paperwire import FILE` (or `paperwire sync`).")
    emit_json({**asdict(stats), "search_index": _index_figures(index)}, json_out)


def _index_figures(index: IndexStatus) -> dict[str, object]:
    return {
        "built": index.built,
        "mode": index.mode,
        "model": index.model,
        "pending_model": index.pending_model,
        "embedded": index.embedded,
        "papers": index.papers,
        "changes_behind": index.behind,
    }


@click.command("show")
@click.argument("paper")
@db_option
@json_option
def show_command(paper: str, db_path: StoreLocation | None, json_out: str | None) -> None:
    """Show one paper, by arXiv id or URL (abs, pdf or html; any version).

    Any form people paste works: arXiv:ID [cs.CV], arXiv's DOI, alphaXiv and
    Hugging Face paper links. Papers imported under other ids (beir:...) are
    found by that id.

    \b
    Example:
      paperwire show https://arxiv.org/abs/2401.12345v2
    """
    try:
        paper_id: str | None = parse_arxiv_id(paper).id
    except InvalidArxivId:
        paper_id = None
    store = open_cli_store(db_path)
    try:
        found = store.get_paper(paper_id or paper.strip())
    finally:
        store.close()
    if found is None and paper_id is None:
        raise click.ClickException(
            f"{paper.strip()[:80]!r} is not an arXiv identifier or URL "
            "(e.g. 2401.12345, arXiv:2401.12345, https://arxiv.org/abs/2401.12345)"
        )
    if found is None:
        raise click.ClickException(
            f"{paper_id} is not in the store: import it, "
            f"or fetch it with `paperwire fetch {paper_id}`"
        )
    if json_out is None:
        _print_paper(found)
    emit_json(found.to_dict(), json_out)


def _author_line(author: Author) -> str:
    # Affiliations hold commas of their own; semicolons keep them apart.
    return author.name + (f" ({'; '.join(author.affiliations)})" if author.affiliations else "")


def _print_paper(paper: Paper) -> None:
    out = Console()
    out.print(f"[bold]{paper.title}[/]", highlight=False)
    out.print(f"{paper.id}" + (f"v{paper.version}" if paper.version else ""), highlight=False)
    out.print(", ".join(map(_author_line, paper.authors)), highlight=False, markup=False)
    if paper.deleted_on is not None:
        out.print(f"[red]deleted from arXiv on {paper.deleted_on}[/] (kept here)", highlight=False)
    elif paper.withdrawn:
        out.print("[yellow]withdrawn[/]: the latest version has no full text", highlight=False)
    facts = [
        ("published", paper.published),
        ("listed", " ".join(day.isoformat() for day in paper.listing_days())),
        ("categories", " ".join(paper.categories)),
        ("organisation", paper.organization),
        ("upvotes", paper.upvotes),
        ("code", " ".join(paper.github_repos)),
        ("project", " ".join(paper.project_pages)),
        ("comment", paper.comment),
    ]
    for name, value in facts:
        if value not in (None, "", []):
            out.print(f"[dim]{name}:[/] {value}", highlight=False)
    out.print()
    out.print(paper.abstract, highlight=False)
