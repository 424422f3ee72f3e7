"""The one dispatcher behind both transports.

``Dispatcher.handle`` takes an :class:`AwsRequest` (headers with lower-case names, raw body)
and returns an :class:`AwsResponse`. A request with ``X-Amz-Target`` is JSON 1.1 and routed by
its prefix; any other is routed by router.py (SigV4 signing name, then the ``Action`` field or
the HTTP method and URI) to its service's :class:`~simulator.protocol.wire.Wire` (query, ec2,
rest-json, rest-xml). Then, for every protocol, in order: authenticate the SigV4 access key,
decode by the input shape, validate against the model's constraints, authorize the IAM action,
run the handler, encode the output, and write the audit record. Any AWSError becomes the
protocol's error document; any other exception becomes ``InternalFailure`` (500), is logged,
and never escapes to the caller's kernel or server.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator import iam
from simulator.core import errors
from simulator.core.accounts import AuthResult
from simulator.core.audit import redact
from simulator.core.context import Principal, RequestContext
from simulator.protocol import codec, registry, spec
from simulator.protocol.messages import AwsRequest, AwsResponse
from simulator.protocol.router import RouteError, Router
from simulator.protocol.validate import validate
from simulator.protocol.wire import HttpParts, Located, Wire, WireError

if TYPE_CHECKING:
    from simulator.cloud import Cloud

log = logging.getLogger("simulator")

_JSON_CT = "application/x-amz-json-1.1"


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
    resources: Any = None  # the service's CloudTrail ``resources`` for a call, if it names any

    @classmethod
    def build(cls, cloud: Cloud, service_name: str, operation: str) -> _OpEntry:
        service = cloud.service(service_name)
        registry.verify(type(service))  # once per class: handlers name model operations
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
            getattr(service, "trail_resources", None),
        )


class Dispatcher:
    def __init__(self, cloud: Cloud) -> None:
        self._cloud = cloud
        self._lock = threading.RLock()
        self._operations: dict[tuple[str, str], _OpEntry] = {}
        self._identities: dict[Principal, dict[str, object]] = {}
        self._time_key: Any = None
        self._time_text = ""
        self._prefixes: dict[str, str] = {}  # X-Amz-Target prefix → service ("" = none)
        self._router = Router(cloud.service_names)

    def serves(self, service: str) -> bool:
        """Whether this Cloud answers ``service`` (simulated, or a placeholder naming gaps)."""
        return service in self._cloud.service_names()

    def forget(self, service: str) -> None:
        """Drop what was cached about ``service`` (it was registered or replaced)."""
        with self._lock:
            for key in [k for k in self._operations if k[0] == service]:
                del self._operations[key]
            self._prefixes.clear()
            self._router.forget()

    def _unknown_target(self, request: AwsRequest, target: str) -> errors.AWSError:
        # A service the Cloud does not know (SQS, DynamoDB...) is named by the request's
        # signing name; say so rather than blaming the operation.
        scope = _signing_scope(HttpParts.of(request))
        if scope is not None and self._router.is_foreign(scope[2]):
            return self._router.not_simulated(scope[2])
        return errors.UnknownOperationException(f"Unknown operation target {target or '(none)'}")

    def _learn_prefix(self, prefix: str) -> str:
        found = ""
        for name in self._cloud.service_names():
            if spec.service_model(name).metadata.get("targetPrefix") == prefix:
                found = name
                break
        if len(self._prefixes) < 1024:  # unknown prefixes come from callers; keep this small
            self._prefixes[prefix] = found
        return found

    def handle(self, request: AwsRequest) -> AwsResponse:
        with self._lock:
            request_id = self._cloud.ids.uuid()
            try:
                return self._handle(request, request_id)
            except Exception:  # the last line of defence: never let a traceback out
                log.exception("internal failure handling request %s", request_id)
                return _error(request_id, errors.InternalFailure("An internal error occurred."))

    def _handle(self, request: AwsRequest, request_id: str) -> AwsResponse:
        target = request.headers.get("x-amz-target")
        if target is None:
            return self._handle_wire(request, request_id)
        # The last dot: some prefixes have dots of their own (CloudTrail's is
        # com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101); operation names never do.
        prefix, _, op_name = target.rpartition(".")
        service_name = self._prefixes.get(prefix)
        if service_name is None:
            service_name = self._learn_prefix(prefix)
        if not service_name or not op_name:
            return _error(request_id, self._unknown_target(request, target))
        if (service_name, op_name) not in self._operations:
            try:
                spec.service_model(service_name).operation_model(op_name)
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
        principal, refusal = self._authenticate(
            access_key, request.headers.get("x-amz-security-token")
        )
        if principal is None:
            return _error(request_id, refusal or _INVALID_TOKEN)
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
        op_model = entry.model
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
            result = self._run(ctx, entry, params)
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

    def _entry(self, ctx: RequestContext) -> _OpEntry:
        key = (ctx.service, ctx.operation)
        entry = self._operations.get(key)
        if entry is None:
            entry = self._operations[key] = _OpEntry.build(self._cloud, ctx.service, ctx.operation)
        return entry

    def _run(self, ctx: RequestContext, entry: _OpEntry, params: dict[str, Any]) -> Any:
        """Validate, authorize, admit and call the handler: the same for every protocol."""
        validate(entry.model.input_shape, params)
        op_spec = entry.spec
        if op_spec is None:
            raise errors.NotSimulatedException(
                f"{model_name(ctx.service)} {ctx.operation} is not simulated by Secrets Lab yet."
            )
        service = entry.service
        resource = op_spec.resource(service, ctx, params) if op_spec.resource else "*"
        decision = iam.authorize(ctx, op_spec.action, resource)
        if not decision.allowed:
            raise errors.AccessDeniedException(
                f"User: {ctx.principal.arn} is not authorized to perform: "
                f"{op_spec.action} on resource: {resource}"
            )
        if entry.admit is not None:
            entry.admit(ctx, params)
        return getattr(service, op_spec.method_name)(ctx, params)

    # -- query, ec2, rest-json, rest-xml --------------------------------------------------------
    def _handle_wire(self, request: AwsRequest, request_id: str) -> AwsResponse:
        parts = HttpParts.of(request)
        scope = _signing_scope(parts)
        if scope is None:
            # No target and no signature: nothing says which service or protocol was meant.
            return _error(
                request_id, errors.UnknownOperationException("Unknown operation target (none)")
            )
        access_key, region, signing = scope
        try:
            located = self._router.find(parts, signing)
        except RouteError as exc:
            if exc.wire is None:
                return _error(request_id, exc.error)
            return exc.wire.error(exc.error, request_id)[0]
        wire = located.wire
        token = parts.headers.get("x-amz-security-token") or _query_value(
            parts, "X-Amz-Security-Token"
        )
        principal, refusal = self._authenticate(access_key, token)
        if refusal is None and region not in self._cloud.region_set:
            refusal = errors.UnrecognizedClientException(
                f"The security token included in the request is invalid for region {region}."
            )
        if refusal is not None or principal is None:
            return wire.error(refusal or _INVALID_TOKEN, request_id)[0]
        ctx = RequestContext(
            service=wire.service,
            operation=located.operation,
            account_id=principal.account_id,
            region=region,
            principal=principal,
            request_id=request_id,
            now=self._cloud.clock.now(),
            source_ip=request.source_ip,
            user_agent=parts.headers.get("user-agent", ""),
            event_id=self._cloud.ids.uuid(),
        )
        return self.invoke_wire(ctx, located)

    def _authenticate(
        self, access_key: str, token: str | None
    ) -> tuple[Principal | None, errors.AWSError | None]:
        principal, result = self._cloud.authenticate(access_key, token)
        if principal is not None:
            return principal, None
        if result is AuthResult.EXPIRED:
            return None, errors.ExpiredTokenException(
                "The security token included in the request is expired"
            )
        return None, _INVALID_TOKEN

    def invoke_wire(self, ctx: RequestContext, located: Located) -> AwsResponse:
        """Run one operation located by a non-JSON protocol, answering in that protocol."""
        entry = self._entry(ctx)
        wire: Wire = located.wire
        params: dict[str, Any] = {}
        result: Any = None
        failure: WireError | None = None
        try:
            params = wire.decode(entry.model, located)
            result = self._run(ctx, entry, params)
            response = wire.encode(entry.model, result, ctx.request_id)
            if entry.succeeded is not None:
                entry.succeeded(ctx, result)
        except errors.AWSError as exc:
            response, failure = wire.error(exc, ctx.request_id)
        except Exception:
            log.exception(
                "internal failure in %s.%s (%s)", ctx.service, ctx.operation, ctx.request_id
            )
            internal = errors.InternalFailure("An internal error occurred.")
            response, failure = wire.error(internal, ctx.request_id)
        self._audit(ctx, entry, params, result, failure)
        return response

    # -- one AWS service calling another for a caller -----------------------------------------
    def call_on_behalf(
        self,
        caller: RequestContext,
        invoked_by: str,
        service: str,
        operation: str,
        params: dict[str, Any],
        *,
        region: str | None = None,
    ) -> Any:
        """Run ``operation`` of ``service`` as ``caller``'s principal, through ``invoked_by``.

        This is how an integrated service uses another for the learner (Secrets Manager asking
        KMS for a data key, say): the call is validated, authorized and audited like any other,
        and its CloudTrail record names the caller in ``userIdentity`` with ``invokedBy``,
        ``sourceIPAddress`` and ``userAgent`` set to the service principal (CloudTrail user
        guide, "CloudTrail userIdentity element"). ``params`` are decoded Python values; the
        handler's result comes back as is and an AWSError propagates to the calling service.
        """
        with self._lock:
            ctx = RequestContext(
                service=service,
                operation=operation,
                account_id=caller.account_id,
                region=region or caller.region,
                principal=dataclasses.replace(caller.principal, invoked_by=invoked_by),
                request_id=self._cloud.ids.uuid(),
                now=self._cloud.clock.now(),
                source_ip=invoked_by,
                user_agent=invoked_by,
                event_id=self._cloud.ids.uuid(),
            )
            entry = self._entry(ctx)
            result: Any = None
            failure: errors.AWSError | None = None
            try:
                result = self._run(ctx, entry, params)
                if entry.succeeded is not None:
                    entry.succeeded(ctx, result)
                return result
            except errors.AWSError as exc:
                failure = exc
                raise
            finally:
                self._audit(ctx, entry, params, result, failure)

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
        failure: errors.AWSError | WireError | None,
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
        if entry.resources is not None:
            resources = entry.resources(ctx, params, result)
            if resources:
                record["resources"] = resources
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


_INVALID_TOKEN = errors.UnrecognizedClientException(
    "The security token included in the request is invalid."
)


def _query_value(parts: HttpParts, name: str) -> str | None:
    for key, value in parts.query:
        if key == name:
            return value
    return None


def _signing_scope(parts: HttpParts) -> tuple[str, str, str] | None:
    """(access key id, Region, signing name) from SigV4: the header, or a presigned URL."""
    auth = parts.headers.get("authorization", "")
    start = auth.find("Credential=")
    if start >= 0:
        end = auth.find(",", start)
        credential = auth[start + 11 : end if end >= 0 else None].strip()
    else:
        credential = _query_value(parts, "X-Amz-Credential") or ""
    pieces = credential.split("/")
    if len(pieces) != 5 or pieces[4] != "aws4_request" or not all(pieces[:4]):
        return None
    return pieces[0], pieces[2], pieces[3]


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
