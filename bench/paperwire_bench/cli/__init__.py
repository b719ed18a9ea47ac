"""The ``bench`` and ``eval`` command groups, which paperwire finds through entry points."""
