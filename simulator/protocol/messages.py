"""The two values that cross the transport ↔ protocol seam: one request in, one response out.

Transports (the botocore hook, the HTTP server) build an :class:`AwsRequest` with lower-case
header names, the raw body, the HTTP method and the request target (path plus query string, as
sent on the wire); the dispatcher answers with an :class:`AwsResponse`. Nothing here knows a
protocol.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class AwsRequest:
    headers: dict[str, str]
    body: bytes
    method: str = "POST"
    path: str = "/"  # the request target: percent-encoded path, then "?query" if any
    source_ip: str = "127.0.0.1"


@dataclass
class AwsResponse:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


__all__ = ["AwsRequest", "AwsResponse"]
