"""Lambda function lifecycle: CreateFunction, GetFunction, ListFunctions, UpdateFunctionCode,
DeleteFunction, and the resource policy (AddPermission, RemovePermission, GetPolicy)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from tests.conftest import error_code, error_message
from tests.services.awslambda.conftest import TRUST, make_zip

SOURCE = """
def handler(event, context):
    return {"ok": True}
"""


def test_create_get_list_delete(lam: Any, create: Any, role_arn: str, cloud: Cloud) -> None:
    made = create("hello", SOURCE, Environment={"Variables": {"STAGE": "dev"}}, Timeout=10)
    account = cloud.default_account.account_id
    assert made["FunctionArn"] == f"arn:aws:lambda:us-east-1:{account}:function:hello"
    assert made["Runtime"] == "python3.12"
    assert made["Timeout"] == 10 and made["MemorySize"] == 128
    assert made["Environment"] == {"Variables": {"STAGE": "dev"}}
    assert made["Role"] == role_arn and made["Version"] == "$LATEST"
    assert made["ResponseMetadata"]["HTTPStatusCode"] == 201
    got = lam.get_function(FunctionName="hello")
    assert got["Configuration"]["CodeSha256"] == made["CodeSha256"]
    assert got["Code"]["RepositoryType"] == "S3"
    by_arn = lam.get_function(FunctionName=made["FunctionArn"])
    assert by_arn["Configuration"]["FunctionName"] == "hello"
    create("second", SOURCE)
    names = [f["FunctionName"] for f in lam.list_functions()["Functions"]]
    assert names == ["hello", "second"]
    page = lam.list_functions(MaxItems=1)
    assert [f["FunctionName"] for f in page["Functions"]] == ["hello"]
    rest = lam.list_functions(Marker=page["NextMarker"])
    assert [f["FunctionName"] for f in rest["Functions"]] == ["second"]
    deleted = lam.delete_function(FunctionName="hello")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as exc:
        lam.get_function(FunctionName="hello")
    assert error_code(exc) == "ResourceNotFoundException"
    assert error_message(exc) == (
        f"Function not found: arn:aws:lambda:us-east-1:{account}:function:hello"
    )


def test_create_errors(lam: Any, create: Any, role_arn: str, cloud: Cloud) -> None:
    create("dup", SOURCE)
    with pytest.raises(ClientError) as exc:
        create("dup", SOURCE)
    assert error_code(exc) == "ResourceConflictException"
    assert error_message(exc) == "Function already exist: dup"
    account = cloud.default_account.account_id
    with pytest.raises(ClientError) as exc:
        create("norole", SOURCE, Role=f"arn:aws:iam::{account}:role/missing")
    assert error_code(exc) == "InvalidParameterValueException"
    assert error_message(exc) == "The role defined for the function cannot be assumed by Lambda."
    untrusting = json.loads(TRUST)
    untrusting["Statement"][0]["Principal"] = {"Service": "ec2.amazonaws.com"}
    other = cloud.client("iam").create_role(
        RoleName="ec2-role", AssumeRolePolicyDocument=json.dumps(untrusting)
    )["Role"]["Arn"]
    with pytest.raises(ClientError) as exc:
        create("wrongtrust", SOURCE, Role=other)
    assert error_code(exc) == "InvalidParameterValueException"
    with pytest.raises(ClientError) as exc:
        create("old", SOURCE, Runtime="python3.7")
    assert error_code(exc) == "InvalidParameterValueException"
    assert "python3.7 is no longer supported" in error_message(exc)
    with pytest.raises(ClientError) as exc:
        create("slow", SOURCE, Timeout=901)
    assert error_code(exc) == "InvalidParameterValueException"
    with pytest.raises(ClientError) as exc:
        create("env", SOURCE, Environment={"Variables": {"AWS_REGION": "x"}})
    assert error_code(exc) == "InvalidParameterValueException"
    assert "Reserved keys used in this request: AWS_REGION" in error_message(exc)
    with pytest.raises(ClientError) as exc:
        create("bigenv", SOURCE, Environment={"Variables": {"KEY": "v" * 5000}})
    assert "exceeded the 4KB limit" in error_message(exc)
    with pytest.raises(ClientError) as exc:
        lam.create_function(
            FunctionName="badzip",
            Runtime="python3.12",
            Role=role_arn,
            Handler="lambda_function.handler",
            Code={"ZipFile": b"not a zip"},
        )
    assert error_code(exc) == "InvalidParameterValueException"
    assert error_message(exc).startswith("Could not unzip uploaded file.")
    with pytest.raises(ClientError) as exc:
        create("node", SOURCE, Runtime="nodejs20.x", Handler="index.handler")
    assert error_code(exc) == "NotSimulatedException"
    names = [f["FunctionName"] for f in lam.list_functions()["Functions"]]
    assert names == ["dup"]  # nothing half-created


def test_update_function_code(lam: Any, create: Any) -> None:
    made = create("fn", SOURCE)
    new_zip = make_zip("def handler(e, c):\n    return 2\n")
    with pytest.raises(ClientError) as exc:
        lam.update_function_code(FunctionName="fn", ZipFile=new_zip, RevisionId="stale")
    assert error_code(exc) == "PreconditionFailedException"
    updated = lam.update_function_code(
        FunctionName="fn", ZipFile=new_zip, RevisionId=made["RevisionId"]
    )
    assert updated["CodeSha256"] != made["CodeSha256"]
    assert updated["RevisionId"] != made["RevisionId"]
    assert json.loads(lam.invoke(FunctionName="fn")["Payload"].read()) == 2
    with pytest.raises(ClientError) as exc:
        lam.update_function_code(FunctionName="ghost", ZipFile=new_zip)
    assert error_code(exc) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as exc:
        lam.update_function_code(FunctionName="fn", ZipFile=b"junk")
    assert error_code(exc) == "InvalidParameterValueException"


def test_permissions(lam: Any, create: Any, cloud: Cloud) -> None:
    made = create("fn", SOURCE)
    with pytest.raises(ClientError) as exc:
        lam.get_policy(FunctionName="fn")
    assert error_code(exc) == "ResourceNotFoundException"
    rule_arn = f"arn:aws:events:us-east-1:{cloud.default_account.account_id}:rule/r"
    added = lam.add_permission(
        FunctionName="fn",
        StatementId="events",
        Action="lambda:InvokeFunction",
        Principal="events.amazonaws.com",
        SourceArn=rule_arn,
    )
    statement = json.loads(added["Statement"])
    assert statement == {
        "Sid": "events",
        "Effect": "Allow",
        "Principal": {"Service": "events.amazonaws.com"},
        "Action": "lambda:InvokeFunction",
        "Resource": made["FunctionArn"],
        "Condition": {"ArnLike": {"AWS:SourceArn": rule_arn}},
    }
    with pytest.raises(ClientError) as exc:
        lam.add_permission(
            FunctionName="fn",
            StatementId="events",
            Action="lambda:InvokeFunction",
            Principal="events.amazonaws.com",
        )
    assert error_code(exc) == "ResourceConflictException"
    lam.add_permission(
        FunctionName="fn", StatementId="acct", Action="lambda:*", Principal="111122223333"
    )
    policy = lam.get_policy(FunctionName="fn")
    doc = json.loads(policy["Policy"])
    assert [s["Sid"] for s in doc["Statement"]] == ["events", "acct"]
    assert doc["Statement"][1]["Principal"] == {"AWS": "arn:aws:iam::111122223333:root"}
    removed = lam.remove_permission(FunctionName="fn", StatementId="events")
    assert removed["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as exc:
        lam.remove_permission(FunctionName="fn", StatementId="events")
    assert error_code(exc) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as exc:
        lam.add_permission(
            FunctionName="fn",
            StatementId="x",
            Action="lambda:InvokeFunction",
            Principal="s3.amazonaws.com",
            RevisionId="stale",
        )
    assert error_code(exc) == "PreconditionFailedException"


def test_policy_length_limit(lam: Any, create: Any) -> None:
    create("fn", SOURCE)
    arn = "arn:aws:s3:::" + "b" * 1000
    with pytest.raises(ClientError) as exc:
        for i in range(30):
            lam.add_permission(
                FunctionName="fn",
                StatementId=f"s{i}",
                Action="lambda:InvokeFunction",
                Principal="s3.amazonaws.com",
                SourceArn=arn,
            )
    assert error_code(exc) == "PolicyLengthExceededException"
    assert "is bigger than the limit (20480)" in error_message(exc)


def test_snapshot_round_trip(cloud: Cloud, create: Any, tmp_path: Any) -> None:
    create("keep", SOURCE)
    lam = cloud.client("lambda")
    lam.invoke(FunctionName="keep")
    path = cloud.save(tmp_path / "world.json")
    again = Cloud.load(path)
    client = again.client("lambda")
    assert client.get_function(FunctionName="keep")["Configuration"]["FunctionName"] == "keep"
    assert json.loads(client.invoke(FunctionName="keep")["Payload"].read()) == {"ok": True}
    assert again.lambda_functions.logs("keep").count("START RequestId") == 2


def test_error_classes_match_the_model() -> None:
    from simulator.protocol import spec
    from simulator.services.awslambda import errors

    model = spec.service_model("lambda")
    for cls in errors.ALL:
        shape = model.shape_for(cls.code)
        assert shape.metadata["error"]["httpStatusCode"] == cls.status, cls
