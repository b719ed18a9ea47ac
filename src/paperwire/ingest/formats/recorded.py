"""A recorded HTTP response, ``{"url", "status_code", "body"}``, whose body is an
arXiv API Atom feed: the form in which API answers are kept for replay."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import BinaryIO

from paperwire.ingest.formats.atom import parse_atom
from paperwire.ingest.records import Rejection
from paperwire.model import Paper

__all__ = ["parse_recorded"]


def parse_recorded(stream: BinaryIO, name: str) -> Iterator[Paper | Rejection]:
    try:
        response = json.load(stream)
        status, body = response["status_code"], response["body"]
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as exc:
        yield Rejection(name, f"not a recorded response: {exc}")
        return
    except RecursionError:
        yield Rejection(name, "not a recorded response: JSON nested too deeply")
        return
    if not isinstance(body, str):
        yield Rejection(name, "recorded response has no text body")
        return
    papers = parse_atom(io.BytesIO(body.encode("utf-8")), name)
    if status != 200:
        # arXiv explains its 4xx answers in an Atom error entry: report that reason.
        reasons = [str(r.reason) for r in papers if isinstance(r, Rejection)]
        yield Rejection(name, f"HTTP {status} from {response.get('url')}: {'; '.join(reasons)}")
        return
    yield from papers
