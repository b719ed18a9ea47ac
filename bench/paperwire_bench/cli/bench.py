"""``paperwire bench``: the group under which every benchmark command hangs.

Each benchmark command lives in its own module and is added here, in one list;
the product's CLI finds this group through the ``paperwire.commands`` entry
point of the paperwire-bench distribution.
"""

from __future__ import annotations

import click

from paperwire_bench.cli.bench_cluster import bench_cluster_command
from paperwire_bench.cli.bench_embed import bench_embed_command
from paperwire_bench.cli.bench_freshness import bench_freshness_command
from paperwire_bench.cli.bench_import import bench_import_command
from paperwire_bench.cli.bench_scale import bench_scale_command
from paperwire_bench.cli.bench_soak import bench_soak_command
from paperwire_bench.cli.bench_startup import bench_startup_command
from paperwire_bench.cli.bench_understanding import bench_understanding_command
from paperwire_bench.cli.bench_web import bench_web_command
from paperwire_bench.cli.search_eval import bench_search_command

__all__ = ["bench"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def bench() -> None:
    """Measure paperwire on your data: medians and ratios to a baseline run alongside.

    \b
    Example:
      paperwire bench import arxiv-cs.jsonl.gz --json bench-import.json
    """


for _command in (
    bench_import_command,
    bench_embed_command,
    bench_search_command,
    bench_web_command,
    bench_cluster_command,
    bench_scale_command,
    bench_soak_command,
    bench_startup_command,
    bench_freshness_command,
    bench_understanding_command,
):
    bench.add_command(_command)
