"""SNS clients over both transports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from simulator import Cloud
from tests.conftest import TRANSPORTS, both_transports


@pytest.fixture
def sns(cloud: Cloud) -> Any:
    return cloud.client("sns", region_name="us-east-1")


@pytest.fixture(params=TRANSPORTS)
def sns_any(request: pytest.FixtureRequest, cloud: Cloud) -> Iterator[Any]:
    """The same SNS API over the botocore hook and over real HTTP."""
    yield from both_transports(request, cloud, "sns", "us-east-1")
