"""Shared fixtures: a seeded Cloud, and KMS clients over both transports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import botocore.session
import pytest

from simulator import Cloud
from simulator.transport.http_server import serve_in_thread


@pytest.fixture
def cloud() -> Cloud:
    return Cloud(seed=7)


@pytest.fixture
def kms(cloud: Cloud) -> Any:
    return cloud.client("kms", region_name="us-east-1")


@pytest.fixture
def http_endpoint(cloud: Cloud) -> Iterator[str]:
    server = serve_in_thread(cloud, "127.0.0.1", 0)
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()


# HTTP clients made during a test, closed when it ends: a client left to the garbage
# collector closes its pooled socket whenever the collector runs, and the ResourceWarning then
# fails whatever later test is running (warnings are errors here).
_OPEN_CLIENTS: list[Any] = []


def closing(client: Any) -> Any:
    """Close ``client`` (its HTTP connections) when the current test ends."""
    _OPEN_CLIENTS.append(client)
    return client


@pytest.fixture(autouse=True)
def _close_http_clients() -> Iterator[None]:
    yield
    while _OPEN_CLIENTS:
        _OPEN_CLIENTS.pop().close()


def http_client(cloud: Cloud, endpoint: str, service: str, region: str = "us-east-1") -> Any:
    """A plain botocore client that really speaks HTTP to our server (closed after the test)."""
    session = botocore.session.Session()
    return closing(
        session.create_client(
            service, region_name=region, endpoint_url=endpoint, **cloud.credentials()
        )
    )


def both_transports(
    request: pytest.FixtureRequest, cloud: Cloud, service: str, region: str = "us-east-1"
) -> Iterator[Any]:
    """Yield one client of ``service``: in-process or over real HTTP, by ``request.param``.

    Service test packages build their ``<service>_any`` fixtures on this, parametrized with
    ``params=TRANSPORTS``, so every API test runs over both transports.
    """
    if request.param == "in-process":
        yield cloud.client(service, region_name=region)
        return
    server = serve_in_thread(cloud, "127.0.0.1", 0)
    host, port = server.server_address[:2]
    client = http_client(cloud, f"http://{host}:{port}", service, region)
    try:
        yield client
    finally:
        client.close()
        server.shutdown()
        server.server_close()


TRANSPORTS = ["in-process", "http"]


@pytest.fixture(params=TRANSPORTS)
def kms_any(request: pytest.FixtureRequest, cloud: Cloud) -> Iterator[Any]:
    """The same KMS API over the botocore hook and over real HTTP."""
    yield from both_transports(request, cloud, "kms")


def error_code(exc: pytest.ExceptionInfo[Any]) -> str:
    return str(exc.value.response["Error"]["Code"])


def error_message(exc: pytest.ExceptionInfo[Any]) -> str:
    return str(exc.value.response["Error"]["Message"])
