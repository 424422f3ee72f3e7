"""AWS Lambda (minimal): Python functions from zip packages, run in-process.

Operations: CreateFunction, GetFunction, ListFunctions, UpdateFunctionCode, DeleteFunction
(here), AddPermission/RemovePermission/GetPolicy (permissions.py), Invoke (invoke.py). Every
other Lambda operation answers NotSimulated.

Facts (API_CreateFunction.html, lambda-runtimes.html, gettingstarted-limits.html):

- a .zip package needs Runtime and Handler; only Python runtimes run here (others are valid
  AWS runtimes, so they are refused as not simulated, not as invalid); deprecated Python
  runtimes are refused for new functions ("The runtime parameter of python3.7 is no longer
  supported for creating or updating AWS Lambda functions...");
- Role must be an IAM role that Lambda can assume (exists, trust policy allows
  lambda.amazonaws.com), else InvalidParameterValueException "The role defined for the
  function cannot be assumed by Lambda.";
- a zip that cannot be opened is InvalidParameterValueException "Could not unzip uploaded
  file. Please check your file, then try to upload again.";
- a name in use is ResourceConflictException "Function already exist: <name>";
- ListFunctions pages with Marker/MaxItems (at most 50 per page);
- DeleteFunction answers 204.

Teaching shortcut (not AWS): ``cloud.lambda_functions.register(name, handler, role=...)``
registers a Python callable as a function; it is invoked like any other, but is kept in memory
only (snapshots keep its configuration; register it again after loading). Classroom safety:
``cloud.lambda_functions.allow_code = False`` refuses to run uploaded code.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from simulator.core.context import RequestContext
from simulator.core.errors import NotSimulatedException
from simulator.core.persist import from_json, to_json
from simulator.protocol.registry import operation
from simulator.services.awslambda.core import (
    DEFAULT_MEMORY,
    DEFAULT_TIMEOUT,
    function_arn,
    function_resource,
)
from simulator.services.awslambda.errors import (
    InvalidParameterValueException,
    ResourceConflictException,
)
from simulator.services.awslambda.invoke import LOG_LINES_KEPT, InvokeOps
from simulator.services.awslambda.model import Function, LogStream, RegionState
from simulator.services.awslambda.permissions import PermissionOps
from simulator.services.base import ServiceEnv

if TYPE_CHECKING:
    from simulator.cloud import Cloud

DEPRECATED = frozenset({"python2.7", "python3.6", "python3.7", "python3.8"})
LIST_PAGE = 50
REGISTERED_RUNTIME = "python3.12"


class LambdaService(PermissionOps, InvokeOps):
    service_name = "lambda"

    def __init__(self, env: ServiceEnv) -> None:
        super().__init__(env)
        self._regions = {}
        self._callables = {}
        self._credentials = {}
        self.allow_code = True
        self.cloud: Cloud | None = None  # set by the Cloud: handlers' boto3 clients reach it
        env.events.register_target("lambda", self.deliver)

    def dump(self) -> Any:
        return {
            slot: to_json(st) for slot, st in self._regions.items() if st.functions or st.streams
        }

    def restore(self, data: Any) -> None:
        self._regions = {slot: from_json(RegionState, raw) for slot, raw in (data or {}).items()}
        self._credentials = {}

    # -- notebook helpers ---------------------------------------------------------------
    def logs(
        self, function_name: str, account_id: str | None = None, region: str | None = None
    ) -> str:
        """The function's log (CloudWatch Logs group /aws/lambda/<name>) as text."""
        for slot, st in self._regions.items():
            account, reg = slot.split("/")
            if account_id not in (None, account) or region not in (None, reg):
                continue
            if function_name in st.streams:
                lines = [e.message for s in st.streams[function_name] for e in s.events]
                return "\n".join(lines[-LOG_LINES_KEPT:])
        return ""

    def log_streams(self, account_id: str, region: str) -> dict[str, list[LogStream]]:
        """Function name -> its log streams (group ``/aws/lambda/<name>``), oldest first.

        The CloudWatch Logs service reads Lambda's logs here (one copy of the data); callers
        must not change what they get.
        """
        st = self._regions.get(f"{account_id}/{region}")
        return st.streams if st is not None else {}

    def register(
        self,
        name: str,
        handler: Callable[..., Any],
        *,
        role: str,
        account_id: str | None = None,
        region: str | None = None,
        timeout: int = DEFAULT_TIMEOUT,
        memory_size: int = DEFAULT_MEMORY,
        environment: dict[str, str] | None = None,
    ) -> str:
        """Teaching shortcut, not an AWS API: register a Python callable as function ``name``.

        It behaves like a function created from a zip (Invoke, EventBridge targets, logs, the
        role's identity inside). Returns the function ARN.
        """
        assert self.cloud is not None, "register() needs the service of a Cloud"
        account = account_id or self.cloud.default_account.account_id
        region = region or self.cloud.default_region
        self.check_role(role)
        self.check_settings(
            {
                "Timeout": timeout,
                "MemorySize": memory_size,
                "Environment": {"Variables": environment or {}},
            }
        )
        st = self.state(account, region)
        if name in st.functions:
            raise ResourceConflictException(f"Function already exist: {name}")
        arn = function_arn(region, account, name)
        st.functions[name] = Function(
            name=name,
            arn=arn,
            runtime=REGISTERED_RUNTIME,
            role=role,
            handler=f"{getattr(handler, '__module__', '')}.{getattr(handler, '__name__', '')}",
            code=b"",
            code_sha256=self.code_digest(b""),
            code_size=0,
            description="Registered from Python (Secrets Lab teaching shortcut)",
            timeout=timeout,
            memory_size=memory_size,
            last_modified=self.env.clock.now(),
            revision_id=self.env.ids.uuid(),
            environment=dict(environment or {}),
            registered=True,
        )
        self._callables[arn] = handler
        return arn

    # -- helpers --------------------------------------------------------------------------
    def _check_code(self, code: bytes) -> None:
        try:
            with zipfile.ZipFile(io.BytesIO(code)) as archive:
                archive.namelist()
        except (zipfile.BadZipFile, ValueError, OSError):
            raise InvalidParameterValueException(
                "Could not unzip uploaded file. Please check your file, then try to upload again."
            ) from None

    def _check_runtime(self, runtime: str | None, handler: str | None) -> None:
        if runtime is None or not handler:
            raise InvalidParameterValueException(  # [U] wording
                "Runtime and Handler are mandatory parameters for functions created with "
                "deployment packages."
            )
        if runtime in DEPRECATED:
            raise InvalidParameterValueException(
                f"The runtime parameter of {runtime} is no longer supported for creating or "
                "updating AWS Lambda functions. We recommend you use the new runtime "
                "(python3.13) while creating or updating functions."
            )
        if not runtime.startswith("python3."):
            raise NotSimulatedException(
                f"Secrets Lab runs Python functions only; the {runtime} runtime is not simulated."
            )
        if "." not in handler:
            raise InvalidParameterValueException(  # [U] wording
                f"Handler {handler} is not in the form module.function."
            )

    # -- operations -----------------------------------------------------------------------
    @operation("CreateFunction", resource=function_resource)
    def create_function(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        name, qualifier = self.split_name(ctx, p["FunctionName"])
        if qualifier is not None:
            raise InvalidParameterValueException(  # [U] wording
                "Qualifiers are not allowed in the function name of CreateFunction."
            )
        if p.get("PackageType", "Zip") != "Zip":
            raise NotSimulatedException("Container image functions are not simulated.")
        code = p["Code"]
        if "ZipFile" not in code:
            raise NotSimulatedException(
                "Secrets Lab takes deployment packages as Code.ZipFile only (S3 and container "
                "images are not simulated)."
            )
        self._check_runtime(p.get("Runtime"), p.get("Handler"))
        self.check_settings(p)
        if p.get("Publish"):
            raise NotSimulatedException("Function versions (Publish) are not simulated.")
        self.check_role(p["Role"])
        zipped: bytes = code["ZipFile"]
        self._check_code(zipped)
        st = self.state(ctx.account_id, ctx.region)
        if name in st.functions:
            raise ResourceConflictException(f"Function already exist: {name}")
        fn = Function(
            name=name,
            arn=function_arn(ctx.region, ctx.account_id, name),
            runtime=p["Runtime"],
            role=p["Role"],
            handler=p["Handler"],
            code=zipped,
            code_sha256=self.code_digest(zipped),
            code_size=len(zipped),
            description=p.get("Description", ""),
            timeout=p.get("Timeout", DEFAULT_TIMEOUT),
            memory_size=p.get("MemorySize", DEFAULT_MEMORY),
            last_modified=ctx.now,
            revision_id=self.env.ids.uuid(),
            environment=dict((p.get("Environment") or {}).get("Variables") or {}),
        )
        st.functions[name] = fn
        return self.configuration(fn)

    @operation("GetFunction", read_only=True, resource=function_resource)
    def get_function(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        fn = self.function(ctx, p["FunctionName"], p.get("Qualifier"))
        location = (
            f"https://awslambda-{ctx.region}-tasks.s3.{ctx.region}.amazonaws.com/snapshots/"
            f"{ctx.account_id}/{fn.name}-{fn.revision_id}"
        )
        return {
            "Configuration": self.configuration(fn),
            "Code": {"RepositoryType": "S3", "Location": location},
        }

    @operation("ListFunctions", read_only=True)
    def list_functions(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        if p.get("MasterRegion") or p.get("FunctionVersion"):
            raise NotSimulatedException("Lambda@Edge and function versions are not simulated.")
        names = sorted(self.state(ctx.account_id, ctx.region).functions)
        start = 0
        marker = p.get("Marker")
        if marker is not None:
            if marker not in names:
                raise InvalidParameterValueException("Invalid marker: " + marker)  # [U]
            start = names.index(marker)
        size = min(p.get("MaxItems", LIST_PAGE), LIST_PAGE)
        chunk = names[start : start + size]
        st = self.state(ctx.account_id, ctx.region)
        out: dict[str, Any] = {"Functions": [self.configuration(st.functions[n]) for n in chunk]}
        if start + size < len(names):
            out["NextMarker"] = names[start + size]
        return out

    @operation("UpdateFunctionCode", resource=function_resource)
    def update_function_code(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        fn = self.function(ctx, p["FunctionName"])
        self._check_revision(fn, p.get("RevisionId"))
        if "ZipFile" not in p:
            raise NotSimulatedException(
                "Secrets Lab updates code from ZipFile only (S3 and images are not simulated)."
            )
        if p.get("Publish"):
            raise NotSimulatedException("Function versions (Publish) are not simulated.")
        if fn.registered:
            raise InvalidParameterValueException(  # not AWS: a registered callable has no zip
                f"{fn.name} was registered from a Python callable; register it again instead."
            )
        zipped: bytes = p["ZipFile"]
        self._check_code(zipped)
        if p.get("DryRun"):
            return self.configuration(fn)
        fn.code = zipped
        fn.code_sha256 = self.code_digest(zipped)
        fn.code_size = len(zipped)
        fn.last_modified = ctx.now
        fn.revision_id = self.env.ids.uuid()
        return self.configuration(fn)

    @operation("DeleteFunction", resource=function_resource)
    def delete_function(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        qualifier = p.get("Qualifier")
        if qualifier == "$LATEST":
            raise InvalidParameterValueException(  # [U] wording
                "$LATEST version cannot be deleted without deleting the function."
            )
        fn = self.function(ctx, p["FunctionName"], qualifier)
        st = self.state(ctx.account_id, ctx.region)
        del st.functions[fn.name]
        self._callables.pop(fn.arn, None)
        self._credentials.pop(fn.arn, None)
        return {"StatusCode": 204}
