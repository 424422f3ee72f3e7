"""Property tests: the rest-json and rest-xml codecs agree with botocore, operation by operation.

Every operation of Lambda (rest-json) and Route 53 (rest-xml): (a) requests botocore serializes
and prepares (URI labels, query string, headers, payloads, bodies) are routed back to the same
operation by method and URI template and decode to the same parameters; (b) our responses
(status code, header members, body) parse in botocore to the same values. Plus the URI-template
router's rules and the rest error documents.
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

from simulator.core.errors import AccessDeniedException, AWSError, ValidationException
from simulator.protocol import spec
from simulator.protocol.messages import AwsRequest
from simulator.protocol.rest import compile_route, split_header_list
from simulator.protocol.router import WIRES, protocol_of
from simulator.protocol.wire import HttpParts, Wire
from tests.protocol.wire_values import (
    botocore_request,
    has_event_stream,
    normalized,
    top_level,
)

SERVICES = ("lambda", "route53")
SETTINGS = settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
CASES = [(s, op) for s in SERVICES for op in sorted(spec.service_model(s).operation_names)]


@functools.cache
def wire(service: str) -> Wire:
    return WIRES[protocol_of(service)](service)


@pytest.mark.parametrize(("service", "operation"), CASES)
def test_botocore_requests_route_and_decode_to_the_same_parameters(
    service: str, operation: str
) -> None:
    w = wire(service)
    op = w.model.operation_model(operation)
    serializer = create_serializer(w.protocol, include_validation=False)
    params_strategy = top_level(op.input_shape) if op.input_shape is not None else st.just({})
    required = op.input_shape.required_members if op.input_shape is not None else []

    @SETTINGS
    @given(params=params_strategy)
    def check(params: dict[str, Any]) -> None:
        # URI labels are always required; botocore cannot build a URI without them.
        assume(all(params.get(name) is not None for name in required))
        try:
            serialized = serializer.serialize_to_request(params, op)
        except (ParamValidationError, KeyError):
            assume(False)
        request = botocore_request(serialized, f"https://{service}.amazonaws.com")
        located = w.locate(HttpParts.of(request))
        assert located is not None and located.operation == operation, request.path
        assert normalized(w.decode(op, located)) == normalized(params)

    check()


@pytest.mark.parametrize(("service", "operation"), CASES)
def test_our_responses_parse_in_botocore(service: str, operation: str) -> None:
    w = wire(service)
    op = w.model.operation_model(operation)
    if has_event_stream(op):
        pytest.skip("event-stream responses are not simulated")
    parser = create_parser(w.protocol)
    shape = op.output_shape
    results = top_level(shape) if shape is not None else st.just({})
    payload = shape.serialization.get("payload") if shape is not None else None
    raw_payload = payload if payload and shape.members[payload].type_name == "blob" else None
    status_members = [
        n
        for n, m in (shape.members.items() if shape is not None else ())
        if m.serialization.get("location") == "statusCode"
    ]

    @SETTINGS
    @given(result=results)
    def check(result: dict[str, Any]) -> None:
        resp = w.encode(op, result, "req-1")
        raw = {"body": resp.body, "headers": HeadersDict(resp.headers), "status_code": resp.status}
        expected = dict(result)
        for name in status_members:  # botocore reads these from the status line, always
            assert expected.setdefault(name, resp.status) == resp.status
        if raw_payload is not None:
            # A blob payload is the raw body (botocore hands the client a stream of it).
            assert resp.body == expected.pop(raw_payload, b"")
            raw["body"] = b""
        parsed = parser.parse(raw, shape)
        assert parsed.pop("ResponseMetadata")["RequestId"] == "req-1"
        parsed.pop(raw_payload or "", None)
        assert normalized(parsed) == normalized(expected)

    check()


def test_routes_prefer_literal_query_parts_then_literal_path() -> None:
    w = wire("lambda")

    def locate(method: str, path: str) -> str | None:
        found = w.locate(HttpParts.of(AwsRequest({}, b"", method, path)))
        return found.operation if found else None

    base = "/2019-09-30/functions/my-fn/provisioned-concurrency"
    assert locate("GET", base + "?List=ALL") == "ListProvisionedConcurrencyConfigs"
    assert locate("GET", base + "?Qualifier=1") == "GetProvisionedConcurrencyConfig"
    assert locate("GET", "/2018-10-31/layers?find=LayerVersion&Arn=x") == "GetLayerVersionByArn"
    assert locate("GET", "/2018-10-31/layers") == "ListLayers"
    assert locate("POST", "/2015-03-31/functions/f%2Fx/invocations") == "Invoke"
    assert locate("DELETE", "/2015-03-31/functions/a/b/c") is None
    assert locate("GET", "/nowhere") is None
    greedy = compile_route("GetObject", "/{Bucket}/{Key+}?versionId")
    match = greedy.regex.fullmatch("/bucket/a/b/c.txt")
    assert match is not None and match.group("g1") == "a/b/c.txt"
    assert greedy.literals == (("versionId", None),)


def test_header_lists_keep_quoted_commas() -> None:
    assert split_header_list('a, "b,c", "d\\"e",f') == ["a", "b,c", 'd"e', "f"]


def test_label_and_header_values_are_decoded_by_shape() -> None:
    w = wire("lambda")
    op = w.model.operation_model("Invoke")
    request = AwsRequest(
        {"x-amz-invocation-type": "Event", "x-amz-log-type": "Tail"},
        b'{"hello": 1}',
        "POST",
        "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123%3Afunction%3Af/invocations"
        "?Qualifier=%24LATEST",
    )
    located = w.locate(HttpParts.of(request))
    assert located is not None
    assert w.decode(op, located) == {
        "FunctionName": "arn:aws:lambda:us-east-1:123:function:f",
        "Qualifier": "$LATEST",
        "InvocationType": "Event",
        "LogType": "Tail",
        "Payload": b'{"hello": 1}',
    }
    bad = AwsRequest({}, b"{not json", "POST", "/2015-03-31/functions")
    located = w.locate(HttpParts.of(bad))
    assert located is not None and located.operation == "CreateFunction"
    with pytest.raises(AWSError) as exc:
        w.decode(w.model.operation_model("CreateFunction"), located)
    assert exc.value.code == "SerializationException"


def _parse_error(w: Wire, exc: AWSError) -> tuple[int, dict[str, Any]]:
    resp, _ = w.error(exc, "req-9")
    raw = {"body": resp.body, "headers": HeadersDict(resp.headers), "status_code": resp.status}
    parsed = create_parser(w.protocol).parse(raw, None)
    assert parsed["ResponseMetadata"]["RequestId"] == "req-9"
    return resp.status, parsed["Error"]


def test_rest_error_documents() -> None:
    class ResourceNotFoundException(AWSError):
        pass

    status, error = _parse_error(wire("lambda"), ResourceNotFoundException("Function not found"))
    assert (status, error["Code"], error["Message"]) == (
        404,
        "ResourceNotFoundException",
        "Function not found",
    )
    status, error = _parse_error(wire("lambda"), AccessDeniedException("no"))
    assert (status, error["Code"]) == (403, "AccessDeniedException")

    class NoSuchHostedZone(AWSError):
        pass

    status, error = _parse_error(wire("route53"), NoSuchHostedZone("No hosted zone found"))
    assert (status, error["Code"]) == (404, "NoSuchHostedZone")
    assert error["Message"] == "No hosted zone found"
    status, error = _parse_error(wire("route53"), ValidationException("1 validation error"))
    assert (status, error["Code"]) == (400, "InvalidInput")
