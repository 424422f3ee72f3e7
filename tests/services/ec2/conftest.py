"""EC2 clients over both transports (in-process botocore hook and real HTTP)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from simulator import Cloud
from tests.conftest import TRANSPORTS, both_transports


@pytest.fixture(params=TRANSPORTS)
def ec2(request: pytest.FixtureRequest, cloud: Cloud) -> Iterator[Any]:
    yield from both_transports(request, cloud, "ec2", "us-east-1")
