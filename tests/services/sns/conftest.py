"""SNS clients over both transports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from simulator import Cloud
from simulator.transport.http_server import serve_in_thread
from tests.conftest import http_client


@pytest.fixture
def sns(cloud: Cloud) -> Any:
    return cloud.client("sns", region_name="us-east-1")


@pytest.fixture(params=["in-process", "http"])
def sns_any(request: pytest.FixtureRequest, cloud: Cloud) -> Iterator[Any]:
    """The same SNS API over the botocore hook and over real HTTP."""
    if request.param == "in-process":
        yield cloud.client("sns", region_name="us-east-1")
        return
    server = serve_in_thread(cloud, "127.0.0.1", 0)
    host, port = server.server_address[:2]
    client = http_client(cloud, f"http://{host}:{port}", "sns")
    try:
        yield client
    finally:
        client.close()
        server.shutdown()
        server.server_close()
