"""A small loopback HTTP/1.1 load generator on asyncio streams.

Each connection sends GET requests back to back on one keep-alive socket
(no pipelining) and reads each answer whole (Content-Length bodies, which is
what the server sends), for a fixed time. Lighter than an HTTP client
library, so on a small machine more of the CPU goes to the server measured.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field

from paperwire_bench.timing import latency_figures

__all__ = ["LoadResult", "fetch_once", "run_load"]


@dataclass(slots=True)
class LoadResult:
    path: str
    connections: int
    seconds: float
    requests: int = 0
    errors: int = 0
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def figures(self) -> dict[str, object]:
        return {
            "path": self.path,
            "connections": self.connections,
            "seconds": round(self.seconds, 2),
            "requests": self.requests,
            "errors": self.errors,
            "requests_per_second": round(self.requests_per_second, 1),
            **latency_figures(self.latencies_ms),
        }


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    length = headers.get("content-length")
    if length is None:
        raise ValueError("the answer has no Content-Length: this generator needs one")
    body = await reader.readexactly(int(length))
    return status, headers, body


def _request(host: str, port: int, path: str, accept_encoding: str | None = None) -> bytes:
    extra = f"Accept-Encoding: {accept_encoding}\r\n" if accept_encoding else ""
    return (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/html\r\n{extra}\r\n"
    ).encode()


async def fetch_once(
    host: str, port: int, path: str, accept_encoding: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One request on a fresh connection: status, headers (lower-cased names), body (as
    sent: compressed where ``accept_encoding`` allowed it)."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(_request(host, port, path, accept_encoding))
        await writer.drain()
        return await _read_response(reader)
    finally:
        await _close(writer)


async def _connection(host: str, port: int, path: str, deadline: float, result: LoadResult) -> None:
    request = _request(host, port, path)
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(request)
            await writer.drain()
            status, _, _ = await _read_response(reader)
            result.latencies_ms.append((time.perf_counter() - started) * 1000)
            result.requests += 1
            if status != 200:
                result.errors += 1
    finally:
        await _close(writer)


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(OSError):  # the server closed first: nothing left to do
        await writer.wait_closed()


async def run_load(
    host: str, port: int, path: str, connections: int = 16, seconds: float = 10.0
) -> LoadResult:
    """Keep ``connections`` requests in flight on ``path`` for ``seconds``."""
    result = LoadResult(path, connections, seconds)
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(_connection(host, port, path, deadline, result) for _ in range(connections))
    )
    result.seconds = time.perf_counter() - started
    return result
