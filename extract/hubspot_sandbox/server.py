"""The HTTP server: stdlib ``ThreadingHTTPServer`` in front of a sandbox application."""

from __future__ import annotations

import contextlib
import email.utils
import logging
import socket
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from hubspot_sandbox import PORTAL_ID
from hubspot_sandbox.app import Sandbox
from hubspot_sandbox.messages import Request

if TYPE_CHECKING:
    from hubspot_sandbox.config import SandboxConfig

LOG = logging.getLogger("hubspot_sandbox")
POLL_SECONDS = 0.02  # how often serve_forever looks for a shutdown request


class _Handler(BaseHTTPRequestHandler):
    """Turns HTTP requests into :class:`Request` values and writes the answers."""

    protocol_version = "HTTP/1.1"
    wbufsize = 1 << 16  # headers and body leave in one write (flushed after each request)
    disable_nagle_algorithm = True
    server: SandboxHTTPServer

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        request = Request(
            method=self.command,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
            base_url=f"http://{host}",
            client_host=self.client_address[0],
            target_length=len(self.path),
        )
        response = self.server.sandbox.handle(request)
        payload = response.payload()
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve  # noqa: N815 - http.server's names

    def date_time_string(self, timestamp: float | None = None) -> str:
        """Return the ``Date`` header: HubSpot's clock, i.e. the sandbox clock here."""
        if timestamp is None:
            timestamp = self.server.sandbox.clock.now_ms() / 1000
        return email.utils.formatdate(timestamp, usegmt=True)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """Log one line per request at DEBUG."""
        LOG.debug("%s %s", self.client_address[0], format % args)


class SandboxHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server that knows its sandbox."""

    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], sandbox: Sandbox) -> None:
        """Bind to ``address`` and serve ``sandbox``."""
        self.sandbox = sandbox
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:  # noqa: ANN401
        """Remember the connection so that :meth:`close_connections` can end it."""
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:  # noqa: ANN401
        """Forget a finished connection."""
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """End the kept-alive connections, so that their handler threads finish."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


@dataclass
class RunningSandbox:
    """A sandbox serving HTTP in a background thread.

    Attributes:
        base_url: ``http://127.0.0.1:PORT``.
        token: The bearer token it accepts.
        portal_id: The portal id (``12345678``).
        sandbox: The in-process application (tests should prefer the control API).
    """

    base_url: str
    token: str
    portal_id: int
    sandbox: Sandbox
    _server: SandboxHTTPServer
    _thread: threading.Thread

    def wait(self) -> None:
        """Block until the server thread ends (it ends on :meth:`stop`)."""
        while self._thread.is_alive():
            self._thread.join(timeout=0.5)

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()
        self._server.close_connections()
        self._thread.join(timeout=5)


def start_sandbox(config: SandboxConfig, host: str = "127.0.0.1", port: int = 0) -> RunningSandbox:
    """Generate a sandbox and serve it from a background thread.

    Args:
        config: What to generate and how to behave.
        host: Address to bind.
        port: TCP port; 0 picks a free one.

    Returns:
        The running sandbox; call :meth:`RunningSandbox.stop` when done.
    """
    sandbox = Sandbox(config)
    server = SandboxHTTPServer((host, port), sandbox)
    thread = threading.Thread(
        target=server.serve_forever, args=(POLL_SECONDS,), name="hubspot-sandbox", daemon=True
    )
    thread.start()
    return RunningSandbox(
        base_url=f"http://{host}:{server.server_address[1]}",
        token=config.token,
        portal_id=PORTAL_ID,
        sandbox=sandbox,
        _server=server,
        _thread=thread,
    )
