"""Temporary credentials at work: session tokens checked, expiry on the virtual clock, and
calls attributed to the assumed-role session in the trail, on STS and on a JSON service (KMS).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from simulator.transport import botocore_hook
from simulator.transport.http_server import serve_in_thread
from tests.conftest import closing, error_code, error_message
from tests.services.iam.fixtures import http_session
from tests.services.sts.helpers import assume, make_role


@pytest.fixture(params=["in-process", "http"])
def kms_with(request: pytest.FixtureRequest, cloud: Cloud) -> Iterator[Any]:
    """A factory of KMS clients signed with given credentials, over both transports."""
    server = serve_in_thread(cloud, "127.0.0.1", 0) if request.param == "http" else None
    endpoint = None
    if server is not None:
        host, port = server.server_address[:2]
        endpoint = f"http://{host}:{port}"

    def make(creds: dict[str, str]) -> Any:
        session = http_session() if server is not None else cloud.botocore_session()
        client = session.create_client(
            "kms",
            region_name="us-east-1",
            endpoint_url=endpoint,
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds.get("SessionToken"),
        )
        if server is None:
            botocore_hook.attach(client, cloud.dispatcher)
        return closing(client)

    try:
        yield make
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()


def test_expired_credentials_are_refused_with_expired_token(
    iam: Any, connect: Any, cloud: Cloud
) -> None:
    role = make_role(iam, cloud, "Short")
    creds, _ = assume(connect("sts"), role["Arn"], "s1", DurationSeconds=900)
    session = connect("sts", creds)
    cloud.clock.advance(seconds=899)
    session.get_caller_identity()
    cloud.clock.advance(seconds=1)
    with pytest.raises(ClientError) as exc:
        session.get_caller_identity()
    assert (error_code(exc), error_message(exc)) == (
        "ExpiredToken",
        "The security token included in the request is expired",
    )
    # New credentials from the same role work again.
    fresh, _ = assume(connect("sts"), role["Arn"], "s2")
    connect("sts", fresh).get_caller_identity()


def test_session_token_must_match(iam: Any, connect: Any, cloud: Cloud) -> None:
    role = make_role(iam, cloud, "r")
    creds, _ = assume(connect("sts"), role["Arn"], "s1")
    for token in (None, creds["SessionToken"][:-4] + "AAAA"):
        forged = (
            {**creds, "SessionToken": token}
            if token
            else {k: v for k, v in creds.items() if k != "SessionToken"}
        )
        with pytest.raises(ClientError) as exc:
            connect("sts", forged).get_caller_identity()
        assert error_code(exc) == "InvalidClientTokenId"


def test_role_session_calls_kms_and_the_trail_names_the_session(
    iam: Any, connect: Any, kms_with: Any, cloud: Cloud
) -> None:
    role = make_role(iam, cloud, "KeyAdmin")
    iam.attach_role_policy(
        RoleName="KeyAdmin", PolicyArn="arn:aws:iam::aws:policy/AWSKeyManagementServicePowerUser"
    )
    # Through the dispatcher (not the direct client), so that the trail records the call.
    creds, user = assume(cloud.client("sts"), role["Arn"], "alice-laptop")
    kms = kms_with(creds)
    key_id = kms.create_key(Description="made by a role")["KeyMetadata"]["KeyId"]
    (record,) = [
        r
        for r in cloud.trail.events(event_name="CreateKey")
        if r["responseElements"] and r["responseElements"]["keyMetadata"]["keyId"] == key_id
    ]
    identity = record["userIdentity"]
    assert identity["type"] == "AssumedRole"
    assert identity["arn"] == user["Arn"]
    assert identity["principalId"] == user["AssumedRoleId"]
    assert identity["accessKeyId"] == creds["AccessKeyId"]
    (assumed,) = cloud.trail.events(event_name="AssumeRole")[-1:]
    assert assumed["eventSource"] == "sts.amazonaws.com"
    assert assumed["userIdentity"]["arn"].endswith(":user/Administrator")
    cloud.clock.advance(hours=2)
    with pytest.raises(ClientError) as exc:
        kms.list_keys()
    assert error_code(exc) == "ExpiredTokenException"
    forged = {**creds, "SessionToken": "forged"}
    with pytest.raises(ClientError) as exc:
        kms_with(forged).list_keys()
    assert error_code(exc) == "UnrecognizedClientException"
