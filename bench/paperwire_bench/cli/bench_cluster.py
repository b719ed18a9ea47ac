"""``paperwire bench cluster``: several web nodes and a worker on one store, under load."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from paperwire.cli.options import STORE, emit_json, json_option
from paperwire.store import StoreLocation
from paperwire_bench.cluster import ClusterPlan, run_cluster

__all__ = ["bench_cluster_command"]


@click.command("cluster", context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", required=True, type=STORE, help="A filled store (a postgresql:// URL).")
@click.option("--nodes", default=2, show_default=True, type=click.IntRange(1, 8))
@click.option("--seconds", default=60.0, show_default=True, help="Length of the load.")
@click.option("--connections", default=16, show_default=True, help="Concurrent users.")
@click.option("--work", type=click.Path(file_okay=False, path_type=Path), help="Keep logs here.")
@json_option
def bench_cluster_command(
    db: StoreLocation,
    nodes: int,
    seconds: float,
    connections: int,
    work: Path | None,
    json_out: str | None,
) -> None:
    """Load NODES web servers and one worker sharing one store, then check every vote.

    Each node runs in its own process with its own data folder and search
    index; each connection is a logged-in user on one node, mixing feed pages,
    searches, paper pages and upvotes. Reports throughput, p50/p99 per kind of
    request and errors; afterwards every vote the servers acknowledged must be
    in the store, and every paper's tally must equal its votes.

    \b
    Example:
      paperwire import --db postgresql:///paperwire arxiv_cs.jsonl.gz
      paperwire bench cluster --db postgresql:///paperwire --json cluster.json
    """
    plan = ClusterPlan(db, nodes=nodes, seconds=seconds, connections=connections)
    say = Console(stderr=True).print
    try:
        if work is not None:
            work.mkdir(parents=True, exist_ok=True)
            figures = run_cluster(plan, work, say)
        else:
            with tempfile.TemporaryDirectory(prefix="paperwire-cluster-") as folder:
                figures = run_cluster(plan, Path(folder), say)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from exc
    _print(figures)
    emit_json(figures, json_out)
    votes = figures["votes"]
    if figures["all"]["errors"] or votes["not_as_acknowledged"] or votes["tallies_wrong"]:  # type: ignore[index]  # why: the figures are dicts of dicts, typed object
        raise click.ClickException("errors under load, or votes lost: see the figures above")


def _print(figures: dict) -> None:
    table = Table(title=f"{figures['nodes']} nodes, {figures['seconds']} s")
    table.add_column("kind")
    for column in ("requests", "req/s", "p50 ms", "p99 ms", "errors"):
        table.add_column(column, justify="right")
    for kind, row in [*figures["by_kind"].items(), ("all", figures["all"])]:
        table.add_row(
            kind,
            str(row["requests"]),
            str(row["requests_per_second"]),
            str(row["latency_p50_ms"]),
            str(row["latency_p99_ms"]),
            str(row["errors"]),
        )
    Console().print(table)
    base = figures["baseline_static"]
    ratio = figures["ratio_to_baseline"]
    Console().print(
        f"baseline (static file, same nodes and connections): {base['requests_per_second']} req/s,"
        f" p99 {base['latency_p99_ms']} ms; the mix gets {ratio['requests_per_second']}x its"
        f" throughput at {ratio['latency_p99']}x its p99"
    )
    votes = figures["votes"]
    Console().print(
        f"votes: {votes['acknowledged_final_states']} acknowledged on {votes['papers_voted']}"
        f" papers, {votes['not_as_acknowledged']} not as acknowledged,"
        f" {votes['tallies_wrong']} tallies wrong"
    )
