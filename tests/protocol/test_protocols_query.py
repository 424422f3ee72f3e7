"""Property tests: the query and ec2 codecs agree with botocore, operation by operation.

(a) Parameters botocore's own serializer writes (then prepares exactly as a client would) are
located to the same operation and decoded back to the same values. (b) Results our encoder
writes are parsed by botocore's own parser back to the same values. Every operation of IAM,
STS, SNS and ELBv2, and an even sample of 60 EC2 operations.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest
from botocore.awsrequest import HeadersDict
from botocore.exceptions import ParamValidationError
from botocore.parsers import create_parser
from botocore.serialize import create_serializer
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from simulator.core.errors import AWSError, ValidationException
from simulator.protocol import spec
from simulator.protocol.router import WIRES, protocol_of
from simulator.protocol.wire import HttpParts, Wire
from tests.protocol.wire_values import botocore_request, normalized, top_level

SAMPLES = {"iam": None, "sts": None, "sns": None, "elbv2": None, "ec2": 60}
SETTINGS = settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _operations(service: str, sample: int | None) -> list[str]:
    names = sorted(spec.service_model(service).operation_names)
    if sample is None or sample >= len(names):
        return names
    step = len(names) / sample
    return [names[int(i * step)] for i in range(sample)]


CASES = [(s, op) for s, n in SAMPLES.items() for op in _operations(s, n)]


@functools.cache
def wire(service: str) -> Wire:
    return WIRES[protocol_of(service)](service)


@pytest.mark.parametrize(("service", "operation"), CASES)
def test_botocore_requests_decode_to_the_same_parameters(service: str, operation: str) -> None:
    w = wire(service)
    op = w.model.operation_model(operation)
    serializer = create_serializer(w.protocol, include_validation=False)
    params_strategy = top_level(op.input_shape) if op.input_shape is not None else st.just({})

    @SETTINGS
    @given(params=params_strategy)
    def check(params: dict[str, Any]) -> None:
        try:
            serialized = serializer.serialize_to_request(params, op)
        except ParamValidationError:
            assume(False)
        request = botocore_request(serialized, f"https://{service}.amazonaws.com")
        located = w.locate(HttpParts.of(request))
        assert located is not None and located.operation == operation
        assert normalized(w.decode(op, located)) == normalized(params)

    check()


@pytest.mark.parametrize(("service", "operation"), CASES)
def test_our_responses_parse_in_botocore(service: str, operation: str) -> None:
    w = wire(service)
    op = w.model.operation_model(operation)
    parser = create_parser(w.protocol)
    shape = op.output_shape
    results = top_level(shape) if shape is not None else st.just({})

    @SETTINGS
    @given(result=results)
    def check(result: dict[str, Any]) -> None:
        resp = w.encode(op, result, "req-1")
        assert resp.status == 200
        raw = {"body": resp.body, "headers": HeadersDict(resp.headers), "status_code": 200}
        parsed = parser.parse(raw, shape)
        assert parsed.pop("ResponseMetadata")["RequestId"] == "req-1"
        assert normalized(parsed) == normalized(result)

    check()


def _parse_error(w: Wire, exc: AWSError) -> tuple[int, dict[str, Any]]:
    resp, _ = w.error(exc, "req-9")
    raw = {"body": resp.body, "headers": HeadersDict(resp.headers), "status_code": resp.status}
    parsed = create_parser(w.protocol).parse(raw, None)
    assert parsed["ResponseMetadata"]["RequestId"] == "req-9"
    return resp.status, parsed["Error"]


def test_declared_errors_use_the_models_code_and_status() -> None:
    class EntityAlreadyExistsException(AWSError):
        pass

    status, error = _parse_error(wire("iam"), EntityAlreadyExistsException("User bob exists."))
    assert (status, error["Code"]) == (409, "EntityAlreadyExists")
    assert error["Message"] == "User bob exists."
    assert error["Type"] == "Sender"


def test_common_codes_are_translated_per_protocol() -> None:
    msg = "1 validation error detected: Value 'x y' at 'userName' failed to satisfy constraint"
    status, error = _parse_error(wire("iam"), ValidationException(msg))
    assert (status, error["Code"], error["Message"]) == (400, "ValidationError", msg)
    status, error = _parse_error(wire("ec2"), ValidationException("bad"))
    assert (status, error["Code"]) == (400, "InvalidParameterValue")
    from simulator.core.errors import AccessDeniedException, InternalFailure

    status, error = _parse_error(wire("sts"), AccessDeniedException("no"))
    assert (status, error["Code"]) == (403, "AccessDenied")
    status, error = _parse_error(wire("ec2"), AccessDeniedException("no"))
    assert (status, error["Code"]) == (403, "UnauthorizedOperation")
    status, error = _parse_error(wire("sns"), AccessDeniedException("no"))
    assert (status, error["Code"]) == (403, "AuthorizationError")
    status, error = _parse_error(wire("iam"), InternalFailure("boom"))
    assert (status, error["Code"], error["Type"]) == (500, "InternalFailure", "Receiver")


def test_query_fields_edge_cases() -> None:
    """Lists out of order, empty lists, maps, blobs and booleans, written by hand."""
    w = wire("sns")
    op = w.model.operation_model("CreateTopic")
    body = (
        "Action=CreateTopic&Version=2010-03-31&Name=t"
        "&Attributes.entry.2.key=b&Attributes.entry.2.value=2"
        "&Attributes.entry.1.key=a&Attributes.entry.1.value=1"
        "&Tags.member.2.Key=k2&Tags.member.2.Value=v2&Tags.member.1.Key=k1&Tags.member.1.Value=v1"
    )
    from simulator.protocol.messages import AwsRequest

    request = AwsRequest({"content-type": "application/x-www-form-urlencoded"}, body.encode())
    located = w.locate(HttpParts.of(request))
    assert located is not None
    assert w.decode(op, located) == {
        "Name": "t",
        "Attributes": {"b": "2", "a": "1"},
        "Tags": [{"Key": "k1", "Value": "v1"}, {"Key": "k2", "Value": "v2"}],
    }
    empty = AwsRequest({}, b"Action=UntagResource&Version=2010-03-31&ResourceArn=a&TagKeys=")
    located = w.locate(HttpParts.of(empty))
    assert located is not None
    op = w.model.operation_model("UntagResource")
    assert w.decode(op, located) == {"ResourceArn": "a", "TagKeys": []}
    bad = AwsRequest({}, b"Action=ListUsers&Version=2010-05-08&MaxItems=ten")
    iam = wire("iam")
    located = iam.locate(HttpParts.of(bad))
    assert located is not None
    with pytest.raises(AWSError) as exc:
        iam.decode(iam.model.operation_model("ListUsers"), located)
    assert "MaxItems" in exc.value.message
    # A GET with the query string works as well as a form POST; a wrong Version finds nothing.
    get = AwsRequest({}, b"", "GET", "/?Action=GetCallerIdentity&Version=2011-06-15")
    located = wire("sts").locate(HttpParts.of(get))
    assert located is not None and located.operation == "GetCallerIdentity"
    old = AwsRequest({}, b"Action=GetCallerIdentity&Version=2000-01-01")
    assert wire("sts").locate(HttpParts.of(old)) is None
