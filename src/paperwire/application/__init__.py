"""Use cases that span several core layers, called alike by the web, the CLI and the worker.

``jobs``: the scheduled background work (sync, the digests that are due, and
the embedding backfill of the search index).
"""
