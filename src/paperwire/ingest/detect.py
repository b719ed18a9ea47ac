"""Choose a parser by looking at the content, never at the file name.

XML is told apart by its root element (Atom feed, RSS, OAI-PMH); JSON by its
first character and, for JSON Lines, by the keys of the first record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import BinaryIO

from paperwire.ingest.formats.atom import parse_atom
from paperwire.ingest.formats.beir import parse_beir
from paperwire.ingest.formats.export import EXPORT_FORMAT, parse_export
from paperwire.ingest.formats.huggingface import parse_hf_api, parse_hf_normalized
from paperwire.ingest.formats.listing import parse_listing
from paperwire.ingest.formats.oai import parse_oai
from paperwire.ingest.formats.recorded import parse_recorded
from paperwire.ingest.formats.rss import parse_announcements
from paperwire.ingest.records import Record

__all__ = ["FORMATS", "UnknownFormat", "detect_format"]

Parser = Callable[[BinaryIO, str], Iterator[Record]]

FORMATS: dict[str, Parser] = {
    "arxiv-atom": parse_atom,
    "arxiv-announcements": parse_announcements,
    "oai-pmh": parse_oai,
    "recorded-response": parse_recorded,
    "hf-daily-papers": parse_hf_api,
    "hf-normalized": parse_hf_normalized,
    "arxiv-listing": parse_listing,
    "beir-corpus": parse_beir,
    "paperwire-export": parse_export,
}

_XML_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]")


class UnknownFormat(ValueError):
    """The content matches no supported format; the message lists them."""


def detect_format(head: bytes) -> str:
    """The name of the format of content that starts with ``head``."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        return _xml_format(text)
    if text.startswith(b"["):
        return "hf-daily-papers"
    if text.startswith(b"{"):
        return _json_format(text)
    raise UnknownFormat(_unknown("the content is neither XML nor JSON"))


def _xml_format(text: bytes) -> str:
    for match in _XML_ROOT.finditer(text):
        root = match.group(1).decode("ascii", "replace")
        if root == "feed":
            # arXiv's announcement feed is Atom too: its items say how they were announced.
            return "arxiv-announcements" if b"announce_type" in text else "arxiv-atom"
        if root == "rss":
            return "arxiv-announcements"
        if root == "OAI-PMH":
            return "oai-pmh"
        if root not in {"xml", "?xml", "!--"}:
            raise UnknownFormat(_unknown(f"unsupported XML root element <{root}>"))
    raise UnknownFormat(_unknown("no XML root element found"))


def _json_format(text: bytes) -> str:
    first_line = text.split(b"\n", 1)[0]
    try:
        record = json.loads(first_line)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        # A pretty-printed object spans lines: only recorded responses look like that.
        if re.search(rb'"status_code"\s*:', text) and re.search(rb'"body"\s*:', text):
            return "recorded-response"
        raise UnknownFormat(_unknown("the first line is not a JSON object")) from None
    keys = set(record) if isinstance(record, dict) else set()
    if {"url", "status_code", "body"} <= keys:
        return "recorded-response"
    if record.get("format") == EXPORT_FORMAT:
        return "paperwire-export"
    if {"daily_date", "arxiv_id"} <= keys:
        return "hf-normalized"
    if {"id", "first_listed"} <= keys or {"id", "abs_url", "categories"} <= keys:
        return "arxiv-listing"
    if {"_id", "text"} <= keys:
        return "beir-corpus"
    raise UnknownFormat(_unknown(f"unrecognised JSON record with keys {sorted(keys)[:8]}"))


def _unknown(reason: str) -> str:
    return f"{reason}; supported formats: {', '.join(FORMATS)}"
