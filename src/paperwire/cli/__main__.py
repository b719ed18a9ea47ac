"""``python -m paperwire.cli``: the same as the ``paperwire`` command."""

from paperwire.cli.main import cli

cli()
