"""One module per input format; each exposes ``parse(source) -> Iterator[Paper | Rejection]``."""
