"""End to end: services defined here answer real botocore clients, in-process and over HTTP.

One small service per protocol (STS over query, EC2 over ec2, Lambda over rest-json, Route 53
over rest-xml) is registered on a Cloud with ``Cloud.register_service``; a genuine botocore
client calls it through the botocore hook and through the HTTP server, and gets back what the
handler returned, or the declared error as ``client.exceptions.<Code>``. Services the Cloud does
not know are refused clearly on both transports.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud, ServiceNotSimulatedError
from simulator.core.context import RequestContext
from simulator.core.errors import AWSError
from simulator.protocol.messages import AwsRequest
from simulator.protocol.registry import operation
from simulator.services.base import Service
from simulator.transport.http_server import serve_in_thread
from tests.conftest import error_code, error_message, http_client

WHEN = _dt.datetime(2026, 1, 5, 9, 30, tzinfo=_dt.UTC)


class _Stateless(Service):
    def dump(self) -> Any:
        return None

    def restore(self, data: Any) -> None:
        return None


class MalformedPolicyDocumentException(AWSError):
    pass


class ResourceNotFoundException(AWSError):
    pass


class NoSuchHostedZone(AWSError):
    pass


class LessonSts(_Stateless):
    service_name = "sts"

    @operation("GetCallerIdentity", read_only=True)
    def get_caller_identity(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        return {
            "UserId": ctx.principal.principal_id,
            "Account": ctx.account_id,
            "Arn": ctx.principal.arn + "\r\n",  # odd characters survive XML both ways
        }

    @operation("AssumeRole")
    def assume_role(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        raise MalformedPolicyDocumentException(f"Policy of {p['RoleSessionName']} is malformed")


class LessonEc2(_Stateless):
    service_name = "ec2"

    @operation("DescribeRegions", read_only=True)
    def describe_regions(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        names = p.get("RegionNames") or ["us-east-1", "eu-west-1"]
        return {"Regions": [{"RegionName": n, "Endpoint": f"ec2.{n}.amazonaws.com"} for n in names]}


class LessonLambda(_Stateless):
    service_name = "lambda"

    @operation("Invoke")
    def invoke(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        return {
            "StatusCode": 202 if p.get("InvocationType") == "Event" else 200,
            "ExecutedVersion": p.get("Qualifier", "$LATEST"),
            "Payload": b'{"echo": ' + p.get("Payload", b"null") + b"}",
        }

    @operation("GetFunction", read_only=True)
    def get_function(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        raise ResourceNotFoundException(f"Function not found: {p['FunctionName']}")

    @operation("ListFunctions", read_only=True)
    def list_functions(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        n = p.get("MaxItems", 2)
        return {"Functions": [{"FunctionName": f"fn-{i}", "MemorySize": 128} for i in range(n)]}


class LessonRoute53(_Stateless):
    service_name = "route53"

    @operation("CreateHostedZone")
    def create_hosted_zone(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        zone = {"Id": "/hostedzone/Z1", "Name": p["Name"], "CallerReference": p["CallerReference"]}
        return {
            "HostedZone": zone,
            "ChangeInfo": {"Id": "/change/C1", "Status": "PENDING", "SubmittedAt": WHEN},
            "DelegationSet": {"NameServers": ["ns-1.example.net"]},
            "Location": "https://route53.amazonaws.com/2013-04-01/hostedzone/Z1",
        }

    @operation("GetHostedZone", read_only=True)
    def get_hosted_zone(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        raise NoSuchHostedZone(f"No hosted zone found with ID: {p['Id']}")


@pytest.fixture
def world() -> Cloud:
    cloud = Cloud(seed=11)
    for cls in (LessonSts, LessonEc2, LessonLambda, LessonRoute53):
        cloud.register_service(cls)
    return cloud


@pytest.fixture(params=["in-process", "http"])
def make_client(request: pytest.FixtureRequest, world: Cloud) -> Iterator[Callable[[str], Any]]:
    if request.param == "in-process":
        yield world.client
        return
    server = serve_in_thread(world, "127.0.0.1", 0)
    host, port = server.server_address[:2]
    try:
        yield lambda service: http_client(world, f"http://{host}:{port}", service)
    finally:
        server.shutdown()
        server.server_close()


def test_query_service_answers_and_raises_declared_errors(
    world: Cloud, make_client: Callable[[str], Any]
) -> None:
    sts = make_client("sts")
    me = sts.get_caller_identity()
    admin = world.default_account
    assert me["Account"] == admin.account_id
    assert me["Arn"] == admin.admin_key.principal.arn + "\r\n"
    assert me["UserId"] == admin.admin_key.principal.principal_id
    role = f"arn:aws:iam::{admin.account_id}:role/reader"
    with pytest.raises(sts.exceptions.MalformedPolicyDocumentException) as exc:
        sts.assume_role(RoleArn=role, RoleSessionName="s1")
    assert error_code(exc) == "MalformedPolicyDocument"
    assert error_message(exc) == "Policy of s1 is malformed"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    # Model constraints botocore does not check are enforced, with query's ValidationError.
    with pytest.raises(ClientError) as exc:
        sts.assume_role(RoleArn=role, RoleSessionName="has space")
    assert error_code(exc) == "ValidationError"
    assert "at 'roleSessionName' failed to satisfy constraint" in error_message(exc)
    # The audit trail records what the wire said.
    last = world.trail.records[-1]
    assert (last["eventSource"], last["errorCode"]) == ("sts.amazonaws.com", "ValidationError")


def test_ec2_service_lists_and_filters(make_client: Callable[[str], Any]) -> None:
    ec2 = make_client("ec2")
    assert [r["RegionName"] for r in ec2.describe_regions()["Regions"]] == [
        "us-east-1",
        "eu-west-1",
    ]
    regions = ec2.describe_regions(RegionNames=["ap-south-1"])["Regions"]
    assert regions == [{"RegionName": "ap-south-1", "Endpoint": "ec2.ap-south-1.amazonaws.com"}]
    with pytest.raises(ClientError) as exc:
        ec2.describe_instances()
    assert error_code(exc) == "NotSimulatedException"
    assert "DescribeInstances" in error_message(exc)


def test_rest_json_service_binds_labels_headers_status_and_payload(
    make_client: Callable[[str], Any],
) -> None:
    lam = make_client("lambda")
    out = lam.invoke(FunctionName="my-fn", Payload=b"[1, 2]", Qualifier="7")
    assert out["StatusCode"] == 200 and out["ExecutedVersion"] == "7"
    assert out["Payload"].read() == b'{"echo": [1, 2]}'
    out = lam.invoke(FunctionName="my-fn", InvocationType="Event")
    assert out["StatusCode"] == 202
    assert out["Payload"].read() == b'{"echo": null}'  # (reading also frees the connection)
    listed = lam.list_functions(MaxItems=3)["Functions"]
    assert [f["FunctionName"] for f in listed] == ["fn-0", "fn-1", "fn-2"]
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as exc:
        lam.get_function(FunctionName="missing")
    assert error_message(exc) == "Function not found: missing"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(ClientError) as exc:
        lam.get_function(FunctionName="bad name!")
    assert error_code(exc) == "ValidationException"


def test_rest_xml_service_writes_status_headers_and_namespaced_xml(
    make_client: Callable[[str], Any],
) -> None:
    r53 = make_client("route53")
    out = r53.create_hosted_zone(Name="example.com", CallerReference="ref-1")
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert out["Location"].endswith("/hostedzone/Z1")
    assert out["HostedZone"] == {
        "Id": "/hostedzone/Z1",
        "Name": "example.com",
        "CallerReference": "ref-1",
    }
    assert out["ChangeInfo"]["SubmittedAt"] == WHEN
    assert out["DelegationSet"]["NameServers"] == ["ns-1.example.net"]
    with pytest.raises(r53.exceptions.NoSuchHostedZone) as exc:
        r53.get_hosted_zone(Id="Z404")
    assert error_message(exc) == "No hosted zone found with ID: Z404"
    with pytest.raises(ClientError) as exc:
        r53.get_hosted_zone(Id="Z" * 40)
    assert error_code(exc) == "InvalidInput"
    assert error_message(exc).startswith("1 validation error detected: ")


def test_unknown_services_are_refused_on_both_transports(world: Cloud, http_endpoint: str) -> None:
    with pytest.raises(ServiceNotSimulatedError):
        world.client("s3").list_buckets()
    # `world` and the `http_endpoint` fixture's Cloud differ; the refusal does not depend on it.
    for service, call in (("s3", "list_buckets"), ("sqs", "list_queues")):
        client = http_client(world, http_endpoint, service)
        with pytest.raises(ClientError) as exc:
            getattr(client, call)()
        assert error_code(exc) == "NotSimulatedException", service
        assert service in error_message(exc)


def _raw(cloud: Cloud, body: bytes, *, key: str | None = None, service: str = "sts") -> Any:
    key = key or cloud.credentials()["aws_access_key_id"]
    headers = {
        "content-type": "application/x-www-form-urlencoded",
        "authorization": f"AWS4-HMAC-SHA256 Credential={key}/20260105/us-east-1/{service}/"
        "aws4_request, SignedHeaders=host, Signature=0",
    }
    return cloud.dispatcher.handle(AwsRequest(headers, body))


def test_raw_query_requests_get_query_error_documents(world: Cloud) -> None:
    resp = _raw(world, b"Action=NoSuchThing&Version=2011-06-15")
    assert resp.status == 400 and b"<Code>InvalidAction</Code>" in resp.body
    assert b"Could not find operation NoSuchThing for version 2011-06-15" in resp.body
    resp = _raw(world, b"Action=GetCallerIdentity&Version=2011-06-15", key="AKIAUNKNOWNUNKNOWN00")
    assert resp.status == 403 and b"<Code>InvalidClientTokenId</Code>" in resp.body
    resp = _raw(world, b"Action=GetCallerIdentity&Version=2011-06-15")
    assert resp.status == 200 and b"<GetCallerIdentityResult>" in resp.body
    assert resp.headers["content-type"] == "text/xml"
    # No X-Amz-Target and no signature: nothing names a service (as before: a JSON error).
    resp = world.dispatcher.handle(AwsRequest({}, b"Action=GetCallerIdentity"))
    assert resp.status == 400 and b"UnknownOperationException" in resp.body


def test_registering_replaces_the_service_and_its_cached_routes(world: Cloud) -> None:
    assert world.client("sts").get_caller_identity()["Account"] == world.default_account.account_id

    class QuietSts(_Stateless):
        service_name = "sts"

    world.register_service(QuietSts)
    with pytest.raises(ClientError) as exc:
        world.client("sts").get_caller_identity()
    assert error_code(exc) == "NotSimulatedException"
