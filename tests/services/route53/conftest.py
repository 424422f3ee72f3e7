"""Route 53 clients over both transports, and helpers to build change batches."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from simulator import Cloud
from simulator.transport.http_server import serve_in_thread
from tests.conftest import http_client


@pytest.fixture
def route53(cloud: Cloud) -> Any:
    return cloud.client("route53")


@pytest.fixture(params=["in-process", "http"])
def route53_any(request: pytest.FixtureRequest, cloud: Cloud) -> Iterator[Any]:
    """The same Route 53 API over the botocore hook and over real HTTP."""
    if request.param == "in-process":
        yield cloud.client("route53", region_name="eu-west-1")  # global: any Region works
        return
    server = serve_in_thread(cloud, "127.0.0.1", 0)
    host, port = server.server_address[:2]
    client = http_client(cloud, f"http://{host}:{port}", "route53")
    try:
        yield client
    finally:
        client.close()
        server.shutdown()
        server.server_close()


def rrset(name: str, rtype: str, *values: str, ttl: int = 300) -> dict[str, Any]:
    return {
        "Name": name,
        "Type": rtype,
        "TTL": ttl,
        "ResourceRecords": [{"Value": v} for v in values],
    }


def batch(*changes: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    return {"Changes": [{"Action": action, "ResourceRecordSet": rs} for action, rs in changes]}


def make_zone(client: Any, name: str = "example.com", ref: str = "ref-1") -> str:
    return str(client.create_hosted_zone(Name=name, CallerReference=ref)["HostedZone"]["Id"])
