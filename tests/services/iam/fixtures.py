"""Fixtures shared by the IAM and STS tests: clients for any set of credentials, on every
transport that can reach the query-protocol services.

``connect`` runs each test three ways: directly against the handlers (``direct.py``), and
through a real botocore client both in-process and over HTTP.
``connect(service, creds)`` gives a client signed with other credentials (an AssumeRole
result, a user's new access key).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

import botocore.session
import pytest

from simulator import Cloud
from simulator.transport import botocore_hook
from simulator.transport.http_server import serve_in_thread
from tests.conftest import closing
from tests.services.iam.direct import DirectClient

Connect = Callable[..., Any]


@functools.cache
def http_session() -> botocore.session.Session:
    """One plain botocore session for every HTTP client (creating one is the slow part)."""
    return botocore.session.Session()


TRANSPORTS = ["direct", "in-process", "http"]


def creds_of(cloud: Cloud) -> dict[str, str]:
    c = cloud.credentials()
    return {"AccessKeyId": c["aws_access_key_id"], "SecretAccessKey": c["aws_secret_access_key"]}


@pytest.fixture(params=TRANSPORTS)
def connect(request: pytest.FixtureRequest, cloud: Cloud) -> Iterator[Connect]:
    kind = request.param
    endpoint: str | None = None
    server = None
    if kind == "http":
        server = serve_in_thread(cloud, "127.0.0.1", 0)
        host, port = server.server_address[:2]
        endpoint = f"http://{host}:{port}"

    def make(service: str, creds: dict[str, str] | None = None, region: str = "us-east-1") -> Any:
        creds = creds or creds_of(cloud)
        if kind == "direct":
            return DirectClient(
                cloud, service, creds["AccessKeyId"], creds.get("SessionToken"), region
            )
        session = http_session() if kind == "http" else cloud.botocore_session()
        client = session.create_client(
            service,
            region_name=region,
            endpoint_url=endpoint,
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds.get("SessionToken"),
        )
        if kind == "in-process":
            botocore_hook.attach(client, cloud.dispatcher)
        return closing(client)

    try:
        yield make
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()


@pytest.fixture
def iam(connect: Connect) -> Any:
    return connect("iam")


@pytest.fixture
def sts(connect: Connect) -> Any:
    return connect("sts")
