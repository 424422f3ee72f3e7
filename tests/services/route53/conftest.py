"""Route 53 clients over both transports, and helpers to build change batches."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from simulator import Cloud
from tests.conftest import TRANSPORTS, both_transports


@pytest.fixture
def route53(cloud: Cloud) -> Any:
    return cloud.client("route53")


@pytest.fixture(params=TRANSPORTS)
def route53_any(request: pytest.FixtureRequest, cloud: Cloud) -> Iterator[Any]:
    """The same Route 53 API over the botocore hook and over real HTTP."""
    yield from both_transports(request, cloud, "route53", "eu-west-1")


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
