"""The JSON 1.1 wire protocol: routing, decoding, validation messages, errors, failures."""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

import pytest

from simulator import Cloud
from simulator.protocol.dispatch import AwsRequest


def raw(
    cloud: Cloud, target: str, body: Any, region: str = "us-east-1", access_key: str | None = None
) -> tuple[int, dict[str, Any], dict[str, str]]:
    key = access_key or cloud.credentials()["aws_access_key_id"]
    headers = {
        "x-amz-target": target,
        "content-type": "application/x-amz-json-1.1",
        "authorization": f"AWS4-HMAC-SHA256 Credential={key}/20260105/{region}/kms/aws4_request, "
        "SignedHeaders=host, Signature=0",
    }
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    resp = cloud.dispatcher.handle(AwsRequest(headers, data))
    assert resp.headers["content-type"] == "application/x-amz-json-1.1"
    assert resp.headers["x-amzn-requestid"]
    return resp.status, json.loads(resp.body), resp.headers


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_max_length_message_hides_sensitive_value(cloud: Cloud) -> None:
    status, body, _ = raw(
        cloud, "TrentService.Encrypt", {"KeyId": "alias/x", "Plaintext": b64(b"s" * 4097)}
    )
    assert status == 400
    assert body == {
        "__type": "ValidationException",
        "message": "1 validation error detected: Value at 'plaintext' failed to satisfy "
        "constraint: Member must have length less than or equal to 4096",
    }


def test_enum_and_required_failures_are_counted_and_joined(cloud: Cloud) -> None:
    status, body, _ = raw(
        cloud, "TrentService.Encrypt", {"EncryptionAlgorithm": "ROT13", "Plaintext": b64(b"x")}
    )
    assert status == 400 and body["__type"] == "ValidationException"
    msg = body["message"]
    assert msg.startswith("2 validation errors detected: ")
    parts = msg.split(": ", 1)[1].split("; ")
    assert parts[0] == (
        "Value null at 'keyId' failed to satisfy constraint: Member must not be null"
    )
    assert parts[1].startswith(
        "Value 'ROT13' at 'encryptionAlgorithm' failed to satisfy "
        "constraint: Member must satisfy enum value set: ["
    )
    assert "SYMMETRIC_DEFAULT" in parts[1]


def test_pattern_and_range_and_list_item_paths(cloud: Cloud) -> None:
    status, body, _ = raw(
        cloud, "TrentService.CreateAlias", {"AliasName": "alias/bad name!", "TargetKeyId": "k"}
    )
    assert status == 400
    assert body["message"] == (
        "1 validation error detected: Value 'alias/bad name!' at 'aliasName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$"
    )
    status, body, _ = raw(cloud, "TrentService.ListKeys", {"Limit": 0})
    assert body["message"].endswith("Member must have value greater than or equal to 1")
    status, body, _ = raw(
        cloud,
        "TrentService.CreateKey",
        {"Tags": [{"TagKey": "ok", "TagValue": "v"}, {"TagKey": "", "TagValue": "v"}]},
    )
    assert "at 'tags.2.member.tagKey'" in body["message"]


def test_garbage_json_wrong_types_and_unknown_targets(cloud: Cloud) -> None:
    status, body, _ = raw(cloud, "TrentService.ListKeys", b"{not json")
    assert (status, body["__type"]) == (400, "SerializationException")
    status, body, _ = raw(cloud, "TrentService.ListKeys", {"Limit": "ten"})
    assert (status, body["__type"]) == (400, "SerializationException")
    status, body, _ = raw(cloud, "TrentService.Encrypt", {"KeyId": "k", "Plaintext": "!!notb64"})
    assert body["__type"] == "SerializationException"
    status, body, _ = raw(cloud, "TrentService.DescribeKey", [1, 2])
    assert body["__type"] == "SerializationException"
    status, body, _ = raw(cloud, "TrentService.NoSuchThing", {})
    assert (status, body["__type"]) == (400, "UnknownOperationException")
    status, body, _ = raw(cloud, "Nope_20200101.Thing", {})
    assert body["__type"] == "UnknownOperationException"
    assert len(cloud.kms.state(cloud.default_account.account_id, "us-east-1").keys) == 0


def test_unknown_access_key_and_missing_signature(cloud: Cloud) -> None:
    status, body, _ = raw(cloud, "TrentService.ListKeys", {}, access_key="AKIAUNKNOWNUNKNOWN00")
    assert body["__type"] == "UnrecognizedClientException"
    resp = cloud.dispatcher.handle(AwsRequest({"x-amz-target": "TrentService.ListKeys"}, b"{}"))
    assert json.loads(resp.body)["__type"] == "MissingAuthenticationToken"


def test_operation_in_model_but_not_simulated_names_itself(cloud: Cloud) -> None:
    status, body, _ = raw(
        cloud, "TrentService.CreateCustomKeyStore", {"CustomKeyStoreName": "store"}
    )
    assert status == 501
    assert body["__type"] == "NotSimulatedException"
    assert "CreateCustomKeyStore" in body["message"]
    status, body, _ = raw(cloud, "secretsmanager.ListSecrets", {})
    assert body["__type"] == "NotSimulatedException" and "ListSecrets" in body["message"]


def test_unexpected_exception_becomes_internal_failure_and_is_logged(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def boom(ctx: Any, params: Any) -> Any:
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(cloud.kms, "list_keys", boom)
    with caplog.at_level(logging.ERROR, logger="simulator"):
        status, body, _ = raw(cloud, "TrentService.ListKeys", {})
    assert status == 500
    assert body == {"__type": "InternalFailure", "message": "An internal error occurred."}
    assert any("ZeroDivisionError" in (r.exc_text or "") for r in caplog.records)
    # The simulator is still alive afterwards.
    monkeypatch.undo()
    status, body, _ = raw(cloud, "TrentService.ListKeys", {})
    assert status == 200 and body["Keys"] == []


def test_botocore_raises_modeled_exceptions(kms: Any) -> None:
    with pytest.raises(kms.exceptions.NotFoundException) as exc:
        kms.describe_key(KeyId="alias/missing")
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert exc.value.response["ResponseMetadata"]["RequestId"]
