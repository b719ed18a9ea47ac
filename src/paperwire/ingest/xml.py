"""Safe, streaming XML reading shared by the Atom, RSS and OAI-PMH parsers.

defusedxml refuses entity expansion and external entities; ``iter_elements``
yields each wanted element once complete and then frees it, so memory stays
flat on large harvest pages. Tags are compared by local name, because real
feeds are inconsistent about namespaces.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import iterparse

__all__ = ["XmlError", "child_text", "children", "iter_elements", "local"]


class XmlError(ValueError):
    """Malformed or forbidden XML; the message gives the line."""


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def iter_elements(stream: BinaryIO, names: set[str]) -> Iterator[Element]:
    """Yield every element whose local name is in ``names``, as each one closes."""
    try:
        parser = iterparse(stream, events=("end",), forbid_dtd=True)
        for _, element in parser:
            if local(element.tag) in names:
                yield element
                element.clear()
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise XmlError(f"malformed XML at line {line}, column {column}: {exc.msg}") from None
    except DefusedXmlException as exc:
        raise XmlError(f"refused XML: {type(exc).__name__}") from None


def children(element: Element, name: str) -> list[Element]:
    return [child for child in element if local(child.tag) == name]


def child_text(element: Element, name: str) -> str | None:
    for child in element:
        if local(child.tag) == name:
            return "".join(child.itertext())
    return None
