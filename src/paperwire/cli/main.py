"""The ``paperwire`` command: a click group that gathers every sub-command.

Each command lives in the module named for what it does; this module only
assembles them. Run ``paperwire COMMAND -h`` for help and an example.
"""

from __future__ import annotations

import click

from paperwire import __version__
from paperwire.cli import bench, papers

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


for command in (*papers.COMMANDS, bench.bench):
    cli.add_command(command)
