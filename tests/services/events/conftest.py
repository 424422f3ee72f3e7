"""EventBridge clients over both transports, and a recording target handler."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from simulator import Cloud
from simulator.core.events import Delivery, TargetDeliveryError
from simulator.transport.http_server import serve_in_thread
from tests.conftest import http_client


@pytest.fixture
def events(cloud: Cloud) -> Any:
    return cloud.client("events", region_name="us-east-1")


@pytest.fixture(params=["in-process", "http"])
def events_any(request: pytest.FixtureRequest, cloud: Cloud) -> Iterator[Any]:
    """The same EventBridge API over the botocore hook and over real HTTP."""
    if request.param == "in-process":
        yield cloud.client("events", region_name="us-east-1")
        return
    server = serve_in_thread(cloud, "127.0.0.1", 0)
    host, port = server.server_address[:2]
    client = http_client(cloud, f"http://{host}:{port}", "events")
    try:
        yield client
    finally:
        client.close()
        server.shutdown()
        server.server_close()


class Recorder:
    """A stand-in target service: records deliveries, fails those for ARNs it is told to."""

    def __init__(self) -> None:
        self.received: list[Delivery] = []
        self.refuse: set[str] = set()

    def __call__(self, delivery: Delivery) -> None:
        if delivery.target_arn in self.refuse:
            raise TargetDeliveryError(f"function {delivery.target_arn} does not exist")
        self.received.append(delivery)


@pytest.fixture
def lambdas(cloud: Cloud) -> Recorder:
    recorder = Recorder()
    cloud.events.register_target("lambda", recorder)
    return recorder
