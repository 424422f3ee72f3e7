"""Invoke: run a function's handler in-process with its execution role as identity.

Facts (API_Invoke.html, python-handler.html, python-exceptions.html, python-logging.html):

- RequestResponse answers 200 with the handler's JSON result; Event answers 202 with an empty
  body (the function runs "asynchronously": here, before the call returns, and its errors only
  reach the log); DryRun answers 204 without running anything;
- an exception in the handler answers 200 with ``X-Amz-Function-Error: Unhandled`` and the
  payload ``{"errorMessage", "errorType", "requestId", "stackTrace"}``;
- ``LogType: Tail`` returns the last 4 KB of the invocation's log, base64, in
  ``X-Amz-Log-Result`` (RequestResponse only);
- the log of each invocation is ``START RequestId: ... Version: $LATEST``, what the function
  printed, ``END RequestId: ...`` and a ``REPORT`` line with the duration, written as the
  events of its own log stream (the context's ``log_stream_name``) in the log group
  ``/aws/lambda/<name>``, stamped with the virtual clock (read them with CloudWatch Logs);
- the synchronous request payload is at most 6 MB (RequestTooLargeException); a payload that is
  not JSON is InvalidRequestContentException;
- the function's code runs with temporary credentials of its execution role, which Lambda
  obtains by assuming the role (session name = function name) and hands over as the
  AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN environment variables.

Inside the handler, boto3 clients created without explicit keys use those credentials and reach
this Cloud (``cloud.patch_boto3()`` plus a layer that fills in the role's keys). The
environment is restored afterwards. The virtual clock does not advance while a handler runs.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as _dt
import json
import os
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import botocore.session

from simulator.core.context import Principal, PrincipalType, RequestContext
from simulator.core.errors import AWSError
from simulator.core.events import Delivery, TargetDeliveryError
from simulator.protocol.registry import operation
from simulator.services.awslambda import runtime
from simulator.services.awslambda.core import LambdaCore, function_resource
from simulator.services.awslambda.errors import (
    InvalidParameterValueException,
    InvalidRequestContentException,
    RequestTooLargeException,
    ResourceConflictException,
)
from simulator.services.awslambda.model import Function, LogEvent, LogStream

if TYPE_CHECKING:
    from simulator.cloud import Cloud

SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024  # gettingstarted-limits.html: 6 MB each way
TAIL_BYTES = 4096
LOG_LINES_KEPT = 10_000
LAMBDA_PRINCIPAL = "lambda.amazonaws.com"
CODE_DISABLED = (
    "Running uploaded code is disabled on this Cloud (cloud.service('lambda').allow_code is "
    "False, e.g. on a shared classroom server); functions registered from Python with "
    "cloud.service('lambda').register(...) still run."
)


class InvokeOps(LambdaCore):
    allow_code: bool
    _callables: dict[str, Callable[..., Any]]
    _credentials: dict[str, tuple[dict[str, Any], _dt.datetime]]
    cloud: Cloud | None

    # -- the execution role -------------------------------------------------------------
    def role_credentials(self, fn: Function, account: str, region: str) -> dict[str, Any]:
        """Temporary credentials of the function's role, assumed as lambda.amazonaws.com."""
        now = self.env.clock.now()
        cached = self._credentials.get(fn.arn)
        if cached and cached[1] - now > _dt.timedelta(minutes=5) and cached[0]["Role"] == fn.role:
            return cached[0]
        sts = self.env.services["sts"]
        service = Principal(
            PrincipalType.AWS_SERVICE,
            account,
            LAMBDA_PRINCIPAL,
            LAMBDA_PRINCIPAL,
            invoked_by=LAMBDA_PRINCIPAL,
        )
        ctx = RequestContext(
            "sts", "AssumeRole", account, region, service, self.env.ids.uuid(), now
        )
        answer = sts.assume_role(ctx, {"RoleArn": fn.role, "RoleSessionName": fn.name})  # type: ignore[attr-defined]
        creds = dict(answer["Credentials"], Role=fn.role)
        self._credentials[fn.arn] = (creds, creds["Expiration"])
        return creds

    @contextlib.contextmanager
    def _as_role(self, env: dict[str, str], creds: dict[str, Any], region: str) -> Iterator[None]:
        """Environment variables set and boto3 clients answered by this Cloud as the role."""
        assert self.cloud is not None
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            with self.cloud.patch_boto3():
                inner = botocore.session.Session.create_client

                def create_client(session: Any, *args: Any, **kwargs: Any) -> Any:
                    # aws_access_key_id is botocore's 7th parameter after self: a positional
                    # one (args[6]) or a keyword one is the handler's own choice, kept.
                    if len(args) < 7 and kwargs.get("aws_access_key_id") is None:
                        kwargs["aws_access_key_id"] = creds["AccessKeyId"]
                        kwargs["aws_secret_access_key"] = creds["SecretAccessKey"]
                        kwargs["aws_session_token"] = creds["SessionToken"]
                    if len(args) < 2 and kwargs.get("region_name") is None:
                        kwargs["region_name"] = region
                    return inner(session, *args, **kwargs)

                botocore.session.Session.create_client = create_client
                try:
                    yield
                finally:
                    botocore.session.Session.create_client = inner
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value

    # -- running ------------------------------------------------------------------------
    def _log(self, account: str, region: str, name: str, stream: str, lines: list[str]) -> None:
        """Write one invocation's lines as the events of its own log stream.

        Memory guard (not AWS, where logs never expire by default): the oldest streams of a
        function are dropped while the rest still hold LOG_LINES_KEPT events or more, so
        ``logs(name)`` (the last LOG_LINES_KEPT lines) never loses a line.
        """
        now = int(self.env.clock.now().timestamp() * 1000)
        streams = self.state(account, region).streams.setdefault(name, [])
        streams.append(LogStream(stream, now, [LogEvent(now, line) for line in lines]))
        total = sum(len(s.events) for s in streams)
        while len(streams) > 1 and total - len(streams[0].events) >= LOG_LINES_KEPT:
            total -= len(streams.pop(0).events)

    def execute(
        self, fn: Function, event: Any, account: str, region: str
    ) -> tuple[runtime.Outcome, str]:
        """Run the function once; returns the outcome and this invocation's log text."""
        request_id = self.env.ids.uuid()
        day = self.env.clock.now().strftime("%Y/%m/%d")
        context = runtime.LambdaContext(
            function_name=fn.name,
            function_version="$LATEST",
            invoked_function_arn=fn.arn,
            memory_limit_in_mb=fn.memory_size,
            aws_request_id=request_id,
            log_group_name=f"/aws/lambda/{fn.name}",
            log_stream_name=f"{day}/[$LATEST]{self.env.ids.hex(32)}",
            deadline=0.0,
        )
        outcome = runtime.Outcome()
        try:
            handler = self._handler(fn)
            creds = self.role_credentials(fn, account, region)
        except runtime.LoadError as exc:
            outcome.error = {
                "errorMessage": str(exc),
                "errorType": exc.error_type,
                "requestId": request_id,
                "stackTrace": [],
            }
        except AWSError as exc:  # the role cannot be assumed (deleted, trust policy changed)
            outcome.error = {
                "errorMessage": f"The role defined for the function cannot be assumed: {exc}",
                "errorType": "Runtime.AccessDenied",  # [U]
                "requestId": request_id,
                "stackTrace": [],
            }
        else:
            env = {
                **fn.environment,
                "AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
                "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
                "AWS_SESSION_TOKEN": creds["SessionToken"],
                "AWS_REGION": region,
                "AWS_DEFAULT_REGION": region,
                "AWS_LAMBDA_FUNCTION_NAME": fn.name,
                "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(fn.memory_size),
                "AWS_LAMBDA_LOG_GROUP_NAME": context.log_group_name,
                "AWS_LAMBDA_LOG_STREAM_NAME": context.log_stream_name,
                "_HANDLER": fn.handler,
            }
            with self._as_role(env, creds, region):
                context.deadline = time.monotonic() + fn.timeout
                outcome = runtime.run(handler, event, context, fn.timeout)
        lines = [f"START RequestId: {request_id} Version: $LATEST"]
        lines += outcome.output.splitlines()
        if outcome.error is not None:
            lines.append(f"[ERROR] {outcome.error['errorType']}: {outcome.error['errorMessage']}")
        lines.append(f"END RequestId: {request_id}")
        lines.append(
            f"REPORT RequestId: {request_id}\tDuration: {outcome.duration_ms:.2f} ms\t"
            f"Memory Size: {fn.memory_size} MB"
        )
        self._log(account, region, fn.name, context.log_stream_name, lines)
        return outcome, "\n".join(lines) + "\n"

    def _handler(self, fn: Function) -> Callable[..., Any]:
        if fn.registered:
            found = self._callables.get(fn.arn)
            if found is None:
                raise runtime.LoadError(
                    "Runtime.HandlerNotFound",
                    f"The Python callable registered as {fn.name} is gone (snapshots cannot "
                    "hold callables): register it again.",
                )
            return found
        return runtime.load_handler(fn.code, fn.handler)

    # -- Invoke -------------------------------------------------------------------------
    @operation("Invoke", resource=function_resource)
    def invoke(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        fn = self.function(ctx, p["FunctionName"], p.get("Qualifier"))
        kind = p.get("InvocationType", "RequestResponse")
        raw: bytes = p.get("Payload", b"") or b""
        if len(raw) > SYNC_PAYLOAD_LIMIT:
            raise RequestTooLargeException(
                f"Request must be smaller than {SYNC_PAYLOAD_LIMIT} bytes for the "
                "InvokeFunction operation"
            )
        try:
            event = json.loads(raw) if raw.strip() else {}
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidRequestContentException(
                f"Could not parse request body into json: {exc}"
            ) from None
        if not fn.registered and not self.allow_code:
            raise ResourceConflictException(CODE_DISABLED)  # [U] no AWS equivalent
        if kind == "DryRun":
            return {"StatusCode": 204}
        outcome, log_text = self.execute(fn, event, ctx.account_id, ctx.region)
        if kind == "Event":
            return {"StatusCode": 202, "Payload": b""}
        out: dict[str, Any] = {"StatusCode": 200, "ExecutedVersion": "$LATEST"}
        if outcome.error is not None:
            out["FunctionError"] = "Unhandled"
            body = json.dumps(outcome.error)
        else:
            try:
                body = json.dumps(outcome.result)
            except (TypeError, ValueError) as exc:
                out["FunctionError"] = "Unhandled"
                body = json.dumps(
                    {
                        "errorMessage": f"Unable to marshal response: {exc}",
                        "errorType": "Runtime.MarshalError",
                        "requestId": "",
                        "stackTrace": [],
                    }
                )
        if p.get("LogType") == "Tail":
            out["LogResult"] = base64.b64encode(log_text.encode()[-TAIL_BYTES:]).decode()
        out["Payload"] = body.encode()
        return out

    # -- EventBridge targets ------------------------------------------------------------
    def deliver(self, delivery: Delivery) -> None:
        """An EventBridge rule invokes a function asynchronously (InvocationType Event)."""
        self.invoke_async(delivery.target_arn, delivery.payload)

    def invoke_async(self, function_arn: str, payload: Any) -> None:
        """Another service (EventBridge, SNS) invokes a function with InvocationType Event.

        Raises TargetDeliveryError when the function cannot be run; an asynchronous invocation
        is a successful delivery even when the function fails: its error is in the function's
        log, as on Lambda.
        """
        parts = function_arn.split(":")
        if len(parts) < 7 or parts[5] != "function":
            raise TargetDeliveryError(f"{function_arn} is not a Lambda function ARN")
        region, account, name = parts[3], parts[4], parts[6]
        fn = self.state(account, region).functions.get(name)
        if fn is None:
            raise TargetDeliveryError(f"Function not found: {function_arn}")
        if not fn.registered and not self.allow_code:
            raise TargetDeliveryError(CODE_DISABLED)
        self.execute(fn, payload, account, region)

    def check_role(self, role_arn: str) -> None:
        """The role must exist in this Cloud and trust lambda.amazonaws.com."""
        from simulator.iam.evaluate import ALLOW, Request, evaluate
        from simulator.iam.policy import PolicyError, PolicyKind, parse

        bad = InvalidParameterValueException(
            "The role defined for the function cannot be assumed by Lambda."
        )
        parts = role_arn.split(":", 5)
        if len(parts) != 6 or not parts[5].startswith("role/"):
            raise bad
        iam = self.env.services["iam"]
        role = iam.find_role(parts[4], parts[5].rsplit("/", 1)[-1])  # type: ignore[attr-defined]
        if role is None:
            raise bad
        try:
            trust = parse(role.trust_policy, PolicyKind.TRUST).statements
        except PolicyError:
            raise bad from None
        req = Request(LAMBDA_PRINCIPAL, parts[4], "sts:AssumeRole", role_arn, {})
        if evaluate(trust, req).decision != ALLOW:
            raise bad
