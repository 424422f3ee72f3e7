"""Shared plumbing of the Lambda service: state, name resolution, configuration output.

Facts (Lambda API reference, API_CreateFunction.html, gettingstarted-limits.html):

- FunctionName may be a name, a partial ARN (``123456789012:function:name``) or a full ARN,
  optionally with a qualifier; only ``$LATEST`` exists here (versions and aliases are not
  simulated), so any other qualifier names a function that does not exist;
- a missing function is ``ResourceNotFoundException`` "Function not found: <arn>";
- Timeout is 1-900 seconds (default 3); MemorySize 128-10,240 MB (default 128);
- environment variables: at most 4 KB in total, and the runtime's reserved keys
  (AWS_REGION, AWS_LAMBDA_FUNCTION_NAME...) cannot be set (lambda-environment-variables.html).
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import json
import re
from typing import Any

from simulator.core.context import RequestContext
from simulator.services.awslambda.errors import (
    InvalidParameterValueException,
    ResourceNotFoundException,
)
from simulator.services.awslambda.model import Function, RegionState
from simulator.services.base import Service

MAX_TIMEOUT = 900
DEFAULT_TIMEOUT = 3
MAX_MEMORY = 10240
DEFAULT_MEMORY = 128
ENV_LIMIT = 4096
# Reserved by the runtime (lambda-environment-variables.html, "Reserved environment variables").
RESERVED_ENV = frozenset(
    {
        "_HANDLER",
        "_X_AMZN_TRACE_ID",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API",
        "LAMBDA_TASK_ROOT",
        "LAMBDA_RUNTIME_DIR",
    }
)
_NAME = re.compile(
    r"^(?:arn:aws[a-zA-Z-]*:lambda:(?P<region>[a-z0-9-]+):)?(?:(?P<account>\d{12}):)?"
    r"(?:function:)?(?P<name>[a-zA-Z0-9_-]+)(?::(?P<qualifier>[a-zA-Z0-9$_.-]+))?$"
)


def function_arn(region: str, account: str, name: str) -> str:
    return f"arn:aws:lambda:{region}:{account}:function:{name}"


def function_resource(svc: Any, ctx: RequestContext, p: dict[str, Any]) -> str:
    m = _NAME.match(str(p.get("FunctionName", "")))
    name = m.group("name") if m else "*"
    return function_arn(ctx.region, ctx.account_id, name)


class LambdaCore(Service):
    """State access and the helpers every Lambda operation uses."""

    _regions: dict[str, RegionState]

    def state(self, account: str, region: str) -> RegionState:
        return self._regions.setdefault(f"{account}/{region}", RegionState())

    def split_name(self, ctx: RequestContext, given: str) -> tuple[str, str | None]:
        """(function name, qualifier) from a name or ARN; errors as Lambda words them."""
        m = _NAME.match(given)
        if m is None:
            raise InvalidParameterValueException(f"Invalid function name: {given}")  # [U]
        if m.group("account") and m.group("account") != ctx.account_id:
            raise ResourceNotFoundException(
                f"Function not found: {function_arn(ctx.region, m.group('account'), m['name'])}"
            )
        if m.group("region") and m.group("region") != ctx.region:
            raise InvalidParameterValueException(  # [U] wording
                f"Region {m.group('region')} in the function ARN does not match the Region of "
                f"the request ({ctx.region})."
            )
        return m.group("name"), m.group("qualifier")

    def function(self, ctx: RequestContext, given: str, qualifier: str | None = None) -> Function:
        name, in_name = self.split_name(ctx, given)
        if in_name and qualifier and in_name != qualifier:
            raise InvalidParameterValueException(  # [U] wording
                "The derived qualifier from the function name does not match the specified "
                "qualifier."
            )
        qualifier = qualifier or in_name
        found = self.state(ctx.account_id, ctx.region).functions.get(name)
        arn = function_arn(ctx.region, ctx.account_id, name)
        if found is None or (qualifier is not None and qualifier != "$LATEST"):
            shown = f"{arn}:{qualifier}" if qualifier else arn
            raise ResourceNotFoundException(f"Function not found: {shown}")
        return found

    def check_settings(self, p: dict[str, Any]) -> None:
        timeout = p.get("Timeout")
        if timeout is not None and not 1 <= timeout <= MAX_TIMEOUT:
            raise InvalidParameterValueException(  # [U] wording
                f"Timeout must be between 1 and {MAX_TIMEOUT} seconds: {timeout}"
            )
        memory = p.get("MemorySize")
        if memory is not None and not DEFAULT_MEMORY <= memory <= MAX_MEMORY:
            raise InvalidParameterValueException(  # [U] wording
                f"MemorySize must be between {DEFAULT_MEMORY} and {MAX_MEMORY} MB: {memory}"
            )
        variables = (p.get("Environment") or {}).get("Variables") or {}
        reserved = sorted(k for k in variables if k in RESERVED_ENV)
        if reserved:
            raise InvalidParameterValueException(
                "Lambda was unable to configure your environment variables because the "
                "environment variables you have provided contains reserved keys that are "
                f"currently not supported for modification. Reserved keys used in this request: "
                f"{','.join(reserved)}"
            )
        size = len(json.dumps(variables, separators=(",", ":")).encode())
        if size > ENV_LIMIT:
            raise InvalidParameterValueException(
                "Lambda was unable to configure your environment variables because the "
                "environment variables you have provided exceeded the 4KB limit. String "
                f"measured: {json.dumps(variables, separators=(',', ':'))}"
            )

    @staticmethod
    def code_digest(code: bytes) -> str:
        return base64.b64encode(hashlib.sha256(code).digest()).decode()

    @staticmethod
    def stamp(when: _dt.datetime) -> str:
        # LastModified is ISO-8601 with milliseconds and "+0000" (FunctionConfiguration).
        return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}+0000"

    def configuration(self, fn: Function) -> dict[str, Any]:
        out: dict[str, Any] = {
            "FunctionName": fn.name,
            "FunctionArn": fn.arn,
            "Runtime": fn.runtime,
            "Role": fn.role,
            "Handler": fn.handler,
            "CodeSize": fn.code_size,
            "Description": fn.description,
            "Timeout": fn.timeout,
            "MemorySize": fn.memory_size,
            "LastModified": self.stamp(fn.last_modified),
            "CodeSha256": fn.code_sha256,
            "Version": "$LATEST",
            "TracingConfig": {"Mode": "PassThrough"},
            "RevisionId": fn.revision_id,
            "State": "Active",
            "LastUpdateStatus": "Successful",
            "PackageType": "Zip",
            "Architectures": ["x86_64"],
            "EphemeralStorage": {"Size": 512},
            "SnapStart": {"ApplyOn": "None", "OptimizationStatus": "Off"},
            "LoggingConfig": {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{fn.name}"},
        }
        if fn.environment:
            out["Environment"] = {"Variables": dict(fn.environment)}
        return out
