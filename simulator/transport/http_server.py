"""HTTP transport: every simulated service on one port, for the AWS CLI and any SDK.

A thin adapter: read the request (any method), hand headers (lower-cased), the request target
and the body to the dispatcher, write its response. The dispatcher finds the service and
operation (``X-Amz-Target``, or the SigV4 signing name plus the protocol's routing) and the
Region and access key from the credential scope. Loopback only by default. Errors the server
itself raises are JSON (never an HTML page), and no request can take the server down.
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

from simulator.protocol.dispatch import AwsRequest, AwsResponse

if TYPE_CHECKING:
    from simulator.cloud import Cloud

log = logging.getLogger("simulator.http")
MAX_BODY = 16 * 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    server_version = "SecretsLab"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle's algorithm on, the client's
    # delayed ACK holds the body back ~40 ms on every keep-alive request.
    disable_nagle_algorithm = True
    cloud: Cloud

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        log.debug("%s - %s", self.address_string(), format % args)

    def _reply(self, response: AwsResponse) -> None:
        self.send_response(response.status)
        for k, v in response.headers.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def _json(self, status: int, payload: dict[str, object]) -> None:
        body = json.dumps(payload).encode()
        self._reply(
            AwsResponse(
                status, {"Content-Type": "application/json", "Content-Length": str(len(body))}, body
            )
        )

    def _dispatch(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self._json(
                413 if length > MAX_BODY else 400,
                {"__type": "SerializationException", "message": "Bad Content-Length"},
            )
            self.close_connection = True
            return
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        request = AwsRequest(headers, body, self.command, self.path, self.client_address[0])
        self._reply(self.cloud.dispatcher.handle(request))

    def _is_health_check(self) -> bool:
        # A plain GET of "/" with no AWS signature is a person or a probe, not an SDK.
        return (
            self.path == "/"
            and "Authorization" not in self.headers
            and "X-Amz-Target" not in self.headers
        )

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        self._dispatch()

    do_PUT = do_DELETE = do_PATCH = do_POST

    def do_GET(self) -> None:  # noqa: N802
        if not self._is_health_check():
            self._dispatch()
            return
        # A health document so a browser or curl sees what is listening (JSON, not HTML).
        self._json(
            200,
            {
                "service": "Secrets Lab",
                "status": "running",
                "protocols": ["json", "query", "ec2", "rest-json", "rest-xml"],
                "now": self.cloud.clock.now().isoformat(),
            },
        )

    do_HEAD = do_GET

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # The stdlib answers malformed requests with an HTML page; AWS clients expect JSON.
        try:
            self._json(
                code, {"__type": "SerializationException", "message": message or "Bad request"}
            )
        except OSError:
            pass


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: object, client_address: object) -> None:
        log.exception("connection error from %s", client_address)


def make_server(cloud: Cloud, host: str = "127.0.0.1", port: int = 4566) -> SimulatorServer:
    handler = type("Handler", (_Handler,), {"cloud": cloud})
    return SimulatorServer((host, port), handler)


def serve_in_thread(cloud: Cloud, host: str = "127.0.0.1", port: int = 0) -> SimulatorServer:
    """Start a server on a background thread (port 0 picks a free one); call ``shutdown()``."""
    server = make_server(cloud, host, port)
    threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name="secrets-lab-http",
        daemon=True,
    ).start()
    return server
