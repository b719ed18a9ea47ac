"""The ``paperwire`` command: a click group that gathers every sub-command.

Each command lives in the module named for what it does; this module only
assembles them. Run ``paperwire COMMAND -h`` for help and an example.
"""

from __future__ import annotations

import click

import paperwire.cli.bench_embed  # noqa: F401  (registers "bench embed")
from paperwire import __version__
from paperwire.cli import bench, ingest, maintenance, papers, personal, search, search_eval
from paperwire.cli.bench_cluster import bench_cluster_command
from paperwire.cli.bench_scale import bench_scale_command
from paperwire.cli.bench_soak import bench_soak_command
from paperwire.cli.bench_web import bench_web_command
from paperwire.cli.migrate_store import migrate_store_command
from paperwire.cli.serve import serve_command
from paperwire.cli.worker import worker_command

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
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


for command in (
    *papers.COMMANDS,
    *search.COMMANDS,
    *ingest.COMMANDS,
    *maintenance.COMMANDS,
    bench.bench,
):
    cli.add_command(command)
bench.bench.add_command(search_eval.bench_search_command)
search.eval_group.add_command(search_eval.eval_search_command)
bench.bench.add_command(bench_web_command)
bench.bench.add_command(bench_cluster_command)
bench.bench.add_command(bench_scale_command)
bench.bench.add_command(bench_soak_command)
cli.add_command(serve_command)
cli.add_command(worker_command)
cli.add_command(migrate_store_command)
cli.add_command(personal.digest_group)
search.eval_group.add_command(personal.eval_recs_command)
