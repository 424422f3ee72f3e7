"""A function's resource-based policy: AddPermission, RemovePermission, GetPolicy.

Facts (API_AddPermission.html, access-control-resource-based.html):

- each AddPermission adds one statement (``Sid`` = StatementId) allowing ``Action`` to
  ``Principal`` on the function, optionally conditioned on SourceArn (``ArnLike``
  ``AWS:SourceArn``), SourceAccount (``StringEquals`` ``AWS:SourceAccount``) and
  PrincipalOrgID (``StringEquals`` ``aws:PrincipalOrgID``);
- a Principal that is a service (``events.amazonaws.com``) is written as ``{"Service": ...}``,
  an account number as ``{"AWS": "arn:aws:iam::<account>:root"}``;
- a duplicate StatementId is ``ResourceConflictException``; the whole policy is limited to
  20 KB (``PolicyLengthExceededException``);
- GetPolicy on a function without statements is ``ResourceNotFoundException``;
- RevisionId, when given, must match the function's current one
  (``PreconditionFailedException``).

The policy is stored and returned; it is not enforced yet (policy enforcement is the
access-control issue's).
"""

from __future__ import annotations

import json
import re
from typing import Any

from simulator.core.context import RequestContext
from simulator.core.errors import NotSimulatedException
from simulator.protocol.registry import operation
from simulator.services.awslambda.core import LambdaCore, function_resource
from simulator.services.awslambda.errors import (
    PolicyLengthExceededException,
    PreconditionFailedException,
    ResourceConflictException,
    ResourceNotFoundException,
)
from simulator.services.awslambda.model import Function

POLICY_LIMIT = 20480  # bytes (gettingstarted-limits.html: function resource-based policy)
_ACCOUNT = re.compile(r"^\d{12}$")


def policy_document(fn: Function) -> str:
    statements = [json.loads(s) for s in fn.statements]
    return json.dumps(
        {"Version": "2012-10-17", "Id": "default", "Statement": statements},
        separators=(",", ":"),
    )


def _principal(value: str) -> Any:
    if value == "*":
        return "*"
    if _ACCOUNT.match(value):
        return {"AWS": f"arn:aws:iam::{value}:root"}
    if value.startswith("arn:"):
        return {"AWS": value}
    return {"Service": value}


class PermissionOps(LambdaCore):
    def _check_revision(self, fn: Function, given: str | None) -> None:
        if given is not None and given != fn.revision_id:
            raise PreconditionFailedException(
                "The Revision Id provided does not match the latest Revision Id. Call the "
                "GetFunction/GetAlias API to retrieve the latest Revision Id"
            )

    @operation("AddPermission", resource=function_resource)
    def add_permission(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        fn = self.function(ctx, p["FunctionName"], p.get("Qualifier"))
        self._check_revision(fn, p.get("RevisionId"))
        if p.get("FunctionUrlAuthType") or p.get("EventSourceToken"):
            raise NotSimulatedException(
                "Function URLs and Alexa event source tokens are not simulated by Secrets Lab."
            )
        sid = p["StatementId"]
        if any(json.loads(s).get("Sid") == sid for s in fn.statements):
            raise ResourceConflictException(
                f"The statement id ({sid}) provided already exists. Please provide a new "
                "statement id, or remove the existing statement."
            )
        statement: dict[str, Any] = {
            "Sid": sid,
            "Effect": "Allow",
            "Principal": _principal(p["Principal"]),
            "Action": p["Action"],
            "Resource": fn.arn,
        }
        condition: dict[str, dict[str, str]] = {}
        if "SourceAccount" in p:
            condition.setdefault("StringEquals", {})["AWS:SourceAccount"] = p["SourceAccount"]
        if "PrincipalOrgID" in p:
            condition.setdefault("StringEquals", {})["aws:PrincipalOrgID"] = p["PrincipalOrgID"]
        if "SourceArn" in p:
            condition["ArnLike"] = {"AWS:SourceArn": p["SourceArn"]}
        if condition:
            statement["Condition"] = condition
        text = json.dumps(statement, separators=(",", ":"))
        size = len(policy_document(fn).encode()) + len(text.encode()) + 1
        if size > POLICY_LIMIT:
            raise PolicyLengthExceededException(
                f"The final policy size ({size}) is bigger than the limit ({POLICY_LIMIT})."
            )
        fn.statements.append(text)
        fn.revision_id = self.env.ids.uuid()
        return {"Statement": text}

    @operation("RemovePermission", resource=function_resource)
    def remove_permission(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        fn = self.function(ctx, p["FunctionName"], p.get("Qualifier"))
        self._check_revision(fn, p.get("RevisionId"))
        sid = p["StatementId"]
        kept = [s for s in fn.statements if json.loads(s).get("Sid") != sid]
        if len(kept) == len(fn.statements):
            raise ResourceNotFoundException(f"Statement {sid} is not found in resource policy.")
        fn.statements = kept
        fn.revision_id = self.env.ids.uuid()
        return {}

    @operation("GetPolicy", read_only=True, resource=function_resource)
    def get_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        fn = self.function(ctx, p["FunctionName"], p.get("Qualifier"))
        if not fn.statements:
            raise ResourceNotFoundException("The resource you requested does not exist.")
        return {"Policy": policy_document(fn), "RevisionId": fn.revision_id}
