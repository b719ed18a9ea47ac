"""A real HTTP server on loopback that replays recorded and hand-written responses.

Routes are keyed by path and query (the query's parameters compared as a
sorted list, so their order does not matter). A route answers with a list of
``Reply`` objects, one per request, the last repeating; or a function of the
query, for answers that depend on it. Every request is logged with its
arrival time, so tests can check retries and request spacing.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from paperwire.config import Settings

__all__ = ["ReplayServer", "Reply", "Seen", "live_settings", "replay_server", "route_key"]

Query = dict[str, str]
Handler = Callable[[Query], "Reply"]


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line is sent
    cut_after: int | None = None  # declare the full length, send this many bytes, then close

    @property
    def data(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


@dataclass(frozen=True)
class Seen:
    path: str
    query: Query
    headers: dict[str, str]
    at: float  # time.monotonic() on arrival


def route_key(path_and_query: str) -> str:
    parts = urlsplit(path_and_query)
    pairs = sorted(parse_qsl(parts.query, keep_blank_values=True))
    return parts.path + ("?" + "&".join(f"{k}={v}" for k, v in pairs) if pairs else "")


class ReplayServer:
    def __init__(self) -> None:
        self._routes: dict[str, list[Reply]] = {}
        self._handlers: dict[str, Handler] = {}
        self._lock = threading.Lock()
        self.seen: list[Seen] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def add(self, path_and_query: str, *replies: Reply) -> None:
        """Answer this path and query with ``replies`` in turn, the last one repeating."""
        with self._lock:
            self._routes[route_key(path_and_query)] = list(replies)

    def handle(self, path: str, handler: Handler) -> None:
        """Answer every query on ``path`` (with no exact route) by ``handler(query)``."""
        with self._lock:
            self._handlers[path] = handler

    def add_recorded(self, folder: Path) -> int:
        """Serve each recorded ``{"url","status_code","body"}`` file of ``folder``."""
        count = 0
        for path in sorted(folder.glob("*.json")):
            recorded = json.loads(path.read_text(encoding="utf-8"))
            parts = urlsplit(recorded["url"])
            reply = Reply(recorded["status_code"], recorded["body"])
            reply.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
            self.add(parts.path + ("?" + parts.query if parts.query else ""), reply)
            count += 1
        return count

    def requests_to(self, path: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.path == path]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _answer(self, path_and_query: str) -> Reply:
        key = route_key(path_and_query)
        with self._lock:
            replies = self._routes.get(key)
            if replies:
                return replies.pop(0) if len(replies) > 1 else replies[0]
            handler = self._handlers.get(urlsplit(path_and_query).path)
        if handler is not None:
            return handler(dict(parse_qsl(urlsplit(path_and_query).query, keep_blank_values=True)))
        return Reply(404, f"no response recorded for {key}")

    def _log(self, seen: Seen) -> None:
        with self._lock:
            self.seen.append(seen)


def _make_handler(server: ReplayServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            arrived = time.monotonic()
            parts = urlsplit(self.path)
            query = dict(parse_qsl(parts.query, keep_blank_values=True))
            server._log(Seen(parts.path, query, dict(self.headers.items()), arrived))
            reply = server._answer(self.path)
            if reply.delay:
                time.sleep(reply.delay)
            data = reply.data
            try:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data if reply.cut_after is None else data[: reply.cut_after])
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True
                return
            if reply.cut_after is not None:
                self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the log is ``server.seen``."""

    return _Handler


@contextmanager
def replay_server() -> Iterator[ReplayServer]:
    server = ReplayServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def live_settings(server: ReplayServer | str, home: Path, **changes: object) -> Settings:
    """Settings whose every source is ``server`` (or that base URL), with short waits."""
    url = server if isinstance(server, str) else server.url
    values: dict[str, object] = {
        "arxiv_api_url": f"{url}/api/query",
        "arxiv_oai_url": f"{url}/oai",
        "arxiv_rss_url": url,
        "arxiv_listing_url": url,
        "hf_api_url": url,
        "hub_api_url": url,
        "github_api_url": url,
        "pdf_url": url,
        "contact_email": "ops@example.org",
        "arxiv_interval": 0.0,
        "http_timeout": 2.0,
        "http_retries": 1,
        "http_backoff": 0.01,
    }
    values.update(changes)
    return Settings(home=home, **values)  # type: ignore[arg-type]
