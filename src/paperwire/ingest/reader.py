"""Open an input for import: a path or '-' (standard input), gzip or not, by content.

The opened source lets the importer look at its first bytes to choose a
format, and counts how many raw bytes were read, for the progress bar.
"""

from __future__ import annotations

import gzip
import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

__all__ = ["Source", "open_source"]

_GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 64 * 1024


class _CountingReader(io.RawIOBase):
    """Wraps a binary stream and counts the bytes read through it."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        with memoryview(buffer) as whole, whole.cast("B") as view:
            data = self._raw.read(len(view))
            count = len(data)
            view[:count] = data
        self.bytes_read += count
        return count


@dataclass
class Source:
    """An input ready to parse: ``stream`` yields decompressed bytes."""

    name: str
    stream: io.BufferedReader
    size: int | None
    _counter: _CountingReader
    _owned: BinaryIO | None

    @property
    def bytes_read(self) -> int:
        return self._counter.bytes_read

    def head(self, size: int = SNIFF_BYTES) -> bytes:
        """The first bytes of the decompressed content, without consuming them."""
        return self.stream.peek(size)[:size]

    def close(self) -> None:
        self.stream.close()
        if self._owned is not None:
            self._owned.close()


def open_source(path: str | Path) -> Source:
    """Open ``path`` ('-' for standard input); gunzip when the content is gzip."""
    if str(path) == "-":
        raw: BinaryIO = sys.stdin.buffer
        owned = None
        size = None
        name = "<stdin>"
    else:
        raw = owned = open(path, "rb")  # noqa: SIM115 - closed by Source.close
        size = Path(path).stat().st_size
        name = str(path)
    counter = _CountingReader(raw)
    buffered: io.BufferedReader = io.BufferedReader(counter, buffer_size=SNIFF_BYTES)
    if buffered.peek(2)[:2] == _GZIP_MAGIC:
        unzipped = gzip.GzipFile(fileobj=buffered, mode="rb")
        buffered = io.BufferedReader(unzipped, buffer_size=SNIFF_BYTES)
    return Source(name=name, stream=buffered, size=size, _counter=counter, _owned=owned)
