"""The one dispatcher behind both transports.

``Dispatcher.handle`` takes an :class:`AwsRequest` (headers with lower-case names, raw body)
and returns an :class:`AwsResponse`. In order it: routes by the ``X-Amz-Target`` prefix,
authenticates the SigV4 access key, decodes the body by the input shape, validates it against
the model's constraints, authorizes the IAM action, runs the handler, encodes the output, and
writes the audit record. Any AWSError becomes AWS's JSON error body; any other exception becomes
``InternalFailure`` (500), is logged, and never escapes to the caller's kernel or server.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simulator import iam
from simulator.core import errors
from simulator.core.audit import redact
from simulator.core.context import Principal, RequestContext
from simulator.protocol import codec, spec
from simulator.protocol.validate import validate

if TYPE_CHECKING:
    from simulator.cloud import Cloud

log = logging.getLogger("simulator")

_JSON_CT = "application/x-amz-json-1.1"


@dataclass
class AwsRequest:
    headers: dict[str, str]
    body: bytes
    method: str = "POST"
    path: str = "/"
    source_ip: str = "127.0.0.1"


@dataclass
class AwsResponse:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(slots=True)
class _OpEntry:
    """What the dispatcher needs about one operation, looked up once."""

    service: Any
    model: Any
    spec: Any
    event_source: str
    read_only: bool
    admit: Any = None  # the service's pre-handler check (throttling, ...), if it has one
    succeeded: Any = None  # the service's post-success hook (usage tracking), if it has one

    @classmethod
    def build(cls, cloud: Cloud, service_name: str, operation: str) -> _OpEntry:
        service = cloud.service(service_name)
        model = spec.service_model(service_name)
        op_spec = service.operations.get(operation)
        read_only = op_spec.read_only if op_spec is not None else _looks_read_only(operation)
        return cls(
            service,
            model.operation_model(operation),
            op_spec,
            f"{model.endpoint_prefix}.amazonaws.com",
            read_only,
            getattr(service, "admit", None),
            getattr(service, "succeeded", None),
        )


class Dispatcher:
    def __init__(self, cloud: Cloud) -> None:
        self._cloud = cloud
        self._lock = threading.RLock()
        self._operations: dict[tuple[str, str], _OpEntry] = {}
        self._identities: dict[Principal, dict[str, object]] = {}
        self._time_key: Any = None
        self._time_text = ""

    def handle(self, request: AwsRequest) -> AwsResponse:
        with self._lock:
            request_id = self._cloud.ids.uuid()
            try:
                return self._handle(request, request_id)
            except Exception:  # the last line of defence: never let a traceback out
                log.exception("internal failure handling request %s", request_id)
                return _error(request_id, errors.InternalFailure("An internal error occurred."))

    def _handle(self, request: AwsRequest, request_id: str) -> AwsResponse:
        target = request.headers.get("x-amz-target", "")
        prefix, _, op_name = target.partition(".")
        service_name = spec.service_for_target_prefix(prefix)
        if service_name is None or not op_name:
            shown = target or "(none)"
            return _error(
                request_id,
                errors.UnknownOperationException(f"Unknown operation target {shown}"),
            )
        model = spec.service_model(service_name)
        try:
            model.operation_model(op_name)
        except Exception:
            return _error(
                request_id, errors.UnknownOperationException(f"Unknown operation {target}")
            )

        scope = _credential_scope(request.headers.get("authorization", ""))
        if scope is None:
            return _error(
                request_id,
                errors.MissingAuthenticationTokenException("Missing Authentication Token"),
            )
        access_key, region = scope
        principal = self._cloud.principal_for_access_key(access_key)
        if principal is None:
            return _error(
                request_id,
                errors.UnrecognizedClientException(
                    "The security token included in the request is invalid."
                ),
            )
        if region not in self._cloud.region_set:
            return _error(
                request_id,
                errors.UnrecognizedClientException(
                    f"The security token included in the request is invalid for region {region}."
                ),
            )

        ctx = RequestContext(
            service=service_name,
            operation=op_name,
            account_id=principal.account_id,
            region=region,
            principal=principal,
            request_id=request_id,
            now=self._cloud.clock.now(),
            source_ip=request.source_ip,
            user_agent=request.headers.get("user-agent", ""),
            event_id=self._cloud.ids.uuid(),
        )
        return self.invoke(ctx, request.body, raw=True)

    def invoke(self, ctx: RequestContext, body: Any, *, raw: bool = False) -> AwsResponse:
        """Run one operation for ``ctx``; ``body`` is wire JSON bytes (raw) or a parsed dict."""
        key = (ctx.service, ctx.operation)
        entry = self._operations.get(key)
        if entry is None:
            entry = self._operations[key] = _OpEntry.build(self._cloud, ctx.service, ctx.operation)
        service, op_model, op_spec = entry.service, entry.model, entry.spec
        params: dict[str, Any] = {}
        result: Any = None
        failure: errors.AWSError | None = None
        try:
            if raw:
                try:
                    parsed = json.loads(body) if body else {}
                except (ValueError, UnicodeDecodeError):
                    raise errors.SerializationException(
                        "Unable to parse the request body as JSON"
                    ) from None
            else:
                parsed = body
            params = codec.decode_input(op_model.input_shape, parsed)
            validate(op_model.input_shape, params)
            if op_spec is None:
                raise errors.NotSimulatedException(
                    f"{model_name(ctx.service)} {ctx.operation} is not simulated "
                    "by Secrets Lab yet."
                )
            resource = op_spec.resource(service, ctx, params) if op_spec.resource else "*"
            decision = iam.authorize(ctx, op_spec.action, resource)
            if not decision.allowed:
                raise errors.AccessDeniedException(
                    f"User: {ctx.principal.arn} is not authorized to perform: "
                    f"{op_spec.action} on resource: {resource}"
                )
            if entry.admit is not None:
                entry.admit(ctx, params)
            result = getattr(service, op_spec.method_name)(ctx, params)
            encoded = codec.encode_output(op_model.output_shape, result)
            payload = json.dumps(encoded, separators=(",", ":")).encode()
            response = AwsResponse(200, _headers(ctx.request_id, payload), payload)
            if entry.succeeded is not None:
                entry.succeeded(ctx, result)
        except errors.AWSError as exc:
            failure = exc
            response = _error(ctx.request_id, exc)
        except Exception:
            log.exception(
                "internal failure in %s.%s (%s)", ctx.service, ctx.operation, ctx.request_id
            )
            failure = errors.InternalFailure("An internal error occurred.")
            response = _error(ctx.request_id, failure)
        self._audit(ctx, entry, params, result, failure)
        return response

    def _event_time(self, now: Any) -> str:
        # The virtual clock rarely moves between calls; format each instant once.
        if now != self._time_key:
            self._time_key, self._time_text = now, now.strftime("%Y-%m-%dT%H:%M:%SZ")
        return str(self._time_text)

    def _audit(
        self,
        ctx: RequestContext,
        entry: _OpEntry,
        params: dict[str, Any],
        result: Any,
        failure: errors.AWSError | None,
    ) -> None:
        read_only = entry.read_only
        principal = ctx.principal
        identity = self._identities.get(principal)
        if identity is None:
            identity = self._identities[principal] = principal.user_identity()
        record: dict[str, Any] = {
            "eventVersion": "1.11",
            "userIdentity": identity,
            "eventTime": self._event_time(ctx.now),
            "eventSource": entry.event_source,
            "eventName": ctx.operation,
            "awsRegion": ctx.region,
            "sourceIPAddress": principal.invoked_by or ctx.source_ip,
            "userAgent": principal.invoked_by or ctx.user_agent,
            "requestParameters": redact(entry.model.input_shape, params) if params else None,
            "responseElements": None,
            "requestID": ctx.request_id,
            "eventID": ctx.event_id or self._cloud.ids.uuid(),
            "readOnly": read_only,
            "eventType": "AwsApiCall",
            "managementEvent": True,
            "recipientAccountId": ctx.account_id,
            "eventCategory": "Management",
        }
        if failure is not None:
            record["errorCode"] = failure.code
            record["errorMessage"] = failure.message
        elif not read_only and isinstance(result, dict):
            record["responseElements"] = redact(entry.model.output_shape, result)
        self._cloud.trail.append(record)


def _credential_scope(auth: str) -> tuple[str, str] | None:
    """(access key id, Region) from a SigV4 ``Authorization`` header, or None.

    ``Credential=AKIA.../20260105/us-east-1/kms/aws4_request``; string splitting rather than a
    regular expression because this runs on every request.
    """
    start = auth.find("Credential=")
    if start < 0:
        return None
    end = auth.find(",", start)
    parts = auth[start + 11 : end if end >= 0 else None].strip().split("/")
    if len(parts) != 5 or parts[4] != "aws4_request" or not parts[0] or not parts[2]:
        return None
    return parts[0], parts[2]


def _looks_read_only(operation: str) -> bool:
    return operation.startswith(("Describe", "List", "Get"))


def model_name(service: str) -> str:
    meta = spec.service_model(service).metadata
    return str(meta.get("serviceAbbreviation") or meta.get("serviceId") or service)


def _headers(request_id: str, payload: bytes) -> dict[str, str]:
    # Lower-case names: HTTP does not care, and botocore's parser looks them up that way.
    return {
        "x-amzn-requestid": request_id,
        "content-type": _JSON_CT,
        "content-length": str(len(payload)),
    }


def _error(request_id: str, exc: errors.AWSError) -> AwsResponse:
    payload = json.dumps({"__type": exc.code, "message": exc.message}).encode()
    return AwsResponse(exc.status, _headers(request_id, payload), payload)


__all__ = ["AwsRequest", "AwsResponse", "Dispatcher", "Principal"]
