"""``paperwire eval``: the group of quality evaluations (search on BEIR sets, recommendations,
one-line summaries).

Each evaluation command lives in its own module and is added here, in one
list; the product's CLI finds this group through the ``paperwire.commands``
entry point of the paperwire-bench distribution.
"""

from __future__ import annotations

import click

from paperwire.cli.engine_options import CONTEXT
from paperwire_bench.cli.eval_keyphrases import eval_keyphrases_command
from paperwire_bench.cli.eval_known_items import eval_known_items_command
from paperwire_bench.cli.eval_recs import eval_recs_command
from paperwire_bench.cli.eval_summaries import eval_summaries_command
from paperwire_bench.cli.search_eval import eval_all_command, eval_search_command

__all__ = ["eval_group"]


class _EvalGroup(click.Group):
    """``eval DIR ...`` is ``eval search --dataset DIR ...``: a data set may come first."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["search", "--dataset", *args]
        return super().parse_args(ctx, args)


@click.group("eval", cls=_EvalGroup, context_settings=CONTEXT, invoke_without_command=True)
@click.pass_context
def eval_group(ctx: click.Context) -> None:
    """Measure quality on standard benchmarks.

    `paperwire eval` alone runs every BEIR-layout set of the shared data and
    the topical set (`paperwire eval all`).

    `paperwire eval DIR` evaluates search on the BEIR data set in DIR (or on
    scifact, cranfield, cisi from the shared data): the same as
    `paperwire eval search --dataset DIR`.

    \b
    Example:
      paperwire eval ../shared/data/scifact --split test --json scifact.json
      paperwire eval recs --json recs.json
      paperwire eval summaries --json summaries.json
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(eval_all_command)


for _command in (
    eval_all_command,
    eval_search_command,
    eval_known_items_command,
    eval_recs_command,
    eval_summaries_command,
    eval_keyphrases_command,
):
    eval_group.add_command(_command)
