"""The three ways in: cloud.client, patch_boto3 (any session), and HTTP for the AWS CLI."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.exceptions import ClientError

from simulator import Cloud, ServiceNotSimulatedError


def test_patch_boto3_routes_unmodified_boto3_code(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A learner's machine with no AWS configuration at all.
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    with cloud.patch_boto3():
        kms = boto3.client("kms", region_name="us-east-1")
        key_id = kms.create_key(Description="via boto3")["KeyMetadata"]["KeyId"]
        # A third-party library building its own botocore session, no region, no credentials.
        lib_client = botocore.session.Session().create_client("kms")
        assert lib_client.describe_key(KeyId=key_id)["KeyMetadata"]["Description"] == "via boto3"
        assert lib_client.meta.region_name == cloud.default_region
        with pytest.raises(ServiceNotSimulatedError):
            boto3.client("s3", region_name="us-east-1").list_buckets()
    # The same key is visible through the Cloud's own client: one world.
    assert cloud.client("kms").list_keys()["Keys"][0]["KeyId"] == key_id
    # After the block, boto3 is no longer patched.
    assert botocore.session.Session.create_client.__name__ == "create_client"
    plain = boto3.client(
        "kms",
        region_name="us-east-1",
        aws_access_key_id="AKIAX",
        aws_secret_access_key="x",
        endpoint_url="http://127.0.0.1:9",
    )
    assert not any(
        "answer" in repr(h) for h in plain.meta.events._emitter._lookup_cache.get("before-send", [])
    )


def test_http_endpoint_serves_json_and_survives_garbage(cloud: Cloud, http_endpoint: str) -> None:
    with urllib.request.urlopen(http_endpoint + "/") as resp:
        doc = json.loads(resp.read())
    assert doc["service"] == "Secrets Lab"
    req = urllib.request.Request(http_endpoint + "/", data=b"\xff\x00garbage", method="POST")
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(req)
    assert exc.value.code == 400
    with exc.value:  # the error holds the open response: close it
        body = json.loads(exc.value.read())
    assert body["__type"] == "UnknownOperationException"
    # Still serving.
    with urllib.request.urlopen(http_endpoint + "/") as resp:
        assert resp.status == 200


def test_http_region_comes_from_credential_scope(cloud: Cloud, http_endpoint: str) -> None:
    from tests.conftest import http_client

    eu = http_client(cloud, http_endpoint, "kms", region="eu-west-1")
    arn = eu.create_key()["KeyMetadata"]["Arn"]
    assert ":eu-west-1:" in arn
    us = http_client(cloud, http_endpoint, "kms", region="us-east-1")
    assert us.list_keys()["Keys"] == []
    with pytest.raises(ClientError) as exc:
        us.describe_key(KeyId=arn)
    assert exc.value.response["Error"]["Code"] == "NotFoundException"


def _aws_cli() -> list[str]:
    exe = Path(sys.executable).with_name("aws")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("aws")
    if found is None:
        pytest.fail("the AWS CLI (test extra 'awscli') is not installed")
    return [found]


def _cli(cloud: Cloud, endpoint: str, *args: str, check: bool = True) -> Any:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    creds = cloud.credentials()
    env.update(
        AWS_ACCESS_KEY_ID=creds["aws_access_key_id"],
        AWS_SECRET_ACCESS_KEY=creds["aws_secret_access_key"],
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_PAGER="",
    )
    proc = subprocess.run(
        [*_aws_cli(), "--endpoint-url", endpoint, "--output", "json", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_aws_cli_v1_against_http_endpoint(cloud: Cloud, http_endpoint: str, tmp_path: Path) -> None:
    created = json.loads(
        _cli(cloud, http_endpoint, "kms", "create-key", "--description", "from the CLI").stdout
    )["KeyMetadata"]
    listed = json.loads(_cli(cloud, http_endpoint, "kms", "list-keys").stdout)
    assert listed["Keys"] == [{"KeyId": created["KeyId"], "KeyArn": created["Arn"]}]
    # AWS CLI v1 sends a blob argument's bytes as given; fileb:// reads raw bytes from a file.
    (tmp_path / "plain.txt").write_bytes(b"hello")
    enc = json.loads(
        _cli(
            cloud,
            http_endpoint,
            "kms",
            "encrypt",
            "--key-id",
            created["KeyId"],
            "--plaintext",
            f"fileb://{tmp_path / 'plain.txt'}",
            "--encryption-context",
            "app=cli",
        ).stdout
    )
    assert enc["KeyId"] == created["Arn"]
    (tmp_path / "blob.bin").write_bytes(base64.b64decode(enc["CiphertextBlob"]))
    proc = _cli(
        cloud,
        http_endpoint,
        "kms",
        "decrypt",
        "--ciphertext-blob",
        f"fileb://{tmp_path / 'blob.bin'}",
        "--encryption-context",
        "app=cli",
        "--query",
        "Plaintext",
        "--output",
        "text",
    )
    assert base64.b64decode(proc.stdout.strip()) == b"hello"
    bad = _cli(cloud, http_endpoint, "kms", "describe-key", "--key-id", "alias/nope", check=False)
    assert bad.returncode != 0
    assert "NotFoundException" in bad.stderr and "is not found." in bad.stderr
    # The CLI's calls are in the same trail as everyone else's.
    names = [r["eventName"] for r in cloud.trail]
    assert names[:4] == ["CreateKey", "ListKeys", "Encrypt", "Decrypt"]
