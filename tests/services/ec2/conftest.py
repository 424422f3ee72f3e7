"""EC2 clients over both transports (in-process botocore hook and real HTTP)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from simulator import Cloud
from simulator.transport.http_server import serve_in_thread
from tests.conftest import http_client


@pytest.fixture(params=["in-process", "http"])
def ec2(request: pytest.FixtureRequest, cloud: Cloud) -> Iterator[Any]:
    if request.param == "in-process":
        yield cloud.client("ec2", region_name="us-east-1")
        return
    server = serve_in_thread(cloud, "127.0.0.1", 0)
    host, port = server.server_address[:2]
    client = http_client(cloud, f"http://{host}:{port}", "ec2")
    try:
        yield client
    finally:
        client.close()
        server.shutdown()
        server.server_close()
