"""Key policy documents: grammar checks, the lockout safety check, and a small evaluator.

Rules (facts sheet 1.4 and 1.10; https://docs.aws.amazon.com/kms/latest/APIReference/
API_PutKeyPolicy.html, K-PKP):

- at most 32 KB (32,768 bytes), else ``LimitExceededException``; printable ASCII and Latin-1
  plus tab, LF and CR only (the model's pattern, checked before a handler runs);
- a JSON object with a ``Statement``; each statement needs an ``Effect`` and a principal
  ("Policy contains a statement with no principal."), and principals must be valid
  ("Policy contains a statement with one or more invalid principals."). A statement without
  ``Action`` or ``Resource`` is accepted and has no effect, as the API reference says;
- unless ``BypassPolicyLockoutSafetyCheck`` is true, the new policy must let the caller call
  PutKeyPolicy later: "The new key policy will not allow you to update the key policy in the
  future." A statement naming the caller's account (``arn:aws:iam::<account>:root``) counts,
  because it delegates to IAM and IAM policies are not enforced yet.

Statements are IAM's (:class:`simulator.iam.policy.Statement`) and :func:`decide` is IAM's
statement evaluation (``simulator/iam/evaluate.py``: principal, action and resource wildcards,
the condition operators over the request context); AWS managed keys are enforced with it (see
``admission.py``). Full IAM evaluation arrives with the access-control issue.
"""

from __future__ import annotations

import json
import re
from typing import Any

from simulator.core import quotas
from simulator.iam import evaluate
from simulator.iam.evaluate import Request as Request  # re-exported: admission.py
from simulator.iam.policy import (
    ACCOUNT_ID,
    IAM_PRINCIPAL_ARN,
    SERVICE_PRINCIPAL,
    STATEMENT_KEYS,
    TOP_LEVEL_KEYS,
)
from simulator.iam.policy import Statement as Statement
from simulator.services.kms.errors import (
    LimitExceededException,
    MalformedPolicyDocumentException,
)

KEY_POLICY_MAX_BYTES = int(quotas.default("kms", "key_policy_document_size"))
LOCKOUT_MESSAGE = "The new key policy will not allow you to update the key policy in the future."
NO_PRINCIPAL = "Policy contains a statement with no principal."
BAD_PRINCIPAL = "Policy contains a statement with one or more invalid principals."

# The policy grammar's element names and principal forms are IAM's (simulator/iam/policy.py).
_VERSIONS = {"2012-10-17", "2008-10-17"}
_ACTION = re.compile(r"^(?:\*|[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+)$")


# -- parsing ----------------------------------------------------------------------------
def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise MalformedPolicyDocumentException(
                f"The policy contains the element {k} more than once."
            )
        out[k] = v
    return out


def _strings(value: Any, what: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(v, str) for v in items):
        raise MalformedPolicyDocumentException(
            f"Policy contains a statement with an invalid {what} element."
        )
    return tuple(items)


def _principals(value: Any) -> tuple[str, ...]:
    if value == "*":
        return ("*",)
    if not isinstance(value, dict) or not value:
        raise MalformedPolicyDocumentException(BAD_PRINCIPAL)
    out: list[str] = []
    for kind, raw in value.items():
        items = raw if isinstance(raw, list) else [raw]
        if not items or not all(isinstance(v, str) for v in items):
            raise MalformedPolicyDocumentException(BAD_PRINCIPAL)
        for v in items:
            ok = (
                (kind == "AWS" and (v == "*" or ACCOUNT_ID.match(v) or IAM_PRINCIPAL_ARN.match(v)))
                or (kind == "Service" and SERVICE_PRINCIPAL.match(v))
                or (kind in ("Federated", "CanonicalUser") and bool(v))
            )
            if not ok:
                raise MalformedPolicyDocumentException(BAD_PRINCIPAL)
            out.append(f"arn:aws:iam::{v}:root" if kind == "AWS" and ACCOUNT_ID.match(v) else v)
    return tuple(out)


def _conditions(value: Any) -> dict[str, dict[str, tuple[str, ...]]]:
    bad = MalformedPolicyDocumentException("Policy contains a statement with an invalid Condition.")
    if not isinstance(value, dict):
        raise bad
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for operator, block in value.items():
        if not isinstance(block, dict) or not block:
            raise bad
        keys: dict[str, tuple[str, ...]] = {}
        for key, raw in block.items():
            items = raw if isinstance(raw, list) else [raw]
            if not all(isinstance(v, (str, bool, int, float)) for v in items):
                raise bad
            keys[key.lower()] = tuple(
                ("true" if v else "false") if isinstance(v, bool) else str(v) for v in items
            )
        out[operator] = keys
    return out


def _statement(raw: Any) -> Statement:
    if not isinstance(raw, dict):
        raise MalformedPolicyDocumentException("Policy contains a statement that is not an object.")
    unknown = set(raw) - STATEMENT_KEYS
    if unknown:
        raise MalformedPolicyDocumentException(
            f"Policy contains a statement with an unknown element: {sorted(unknown)[0]}"
        )
    if raw.get("Effect") not in ("Allow", "Deny"):
        raise MalformedPolicyDocumentException(
            "Policy contains a statement with an invalid Effect; use Allow or Deny."
        )
    has_p, has_np = "Principal" in raw, "NotPrincipal" in raw
    if has_p == has_np:
        raise MalformedPolicyDocumentException(
            NO_PRINCIPAL
            if not has_p
            else "A statement cannot have both Principal and NotPrincipal."
        )
    for a, b in (("Action", "NotAction"), ("Resource", "NotResource")):
        if a in raw and b in raw:
            raise MalformedPolicyDocumentException(f"A statement cannot have both {a} and {b}.")
    actions = _strings(raw["Action"], "Action") if "Action" in raw else None
    not_actions = _strings(raw["NotAction"], "NotAction") if "NotAction" in raw else None
    for action in (actions or ()) + (not_actions or ()):
        if not _ACTION.match(action):
            raise MalformedPolicyDocumentException(
                f"Policy contains a statement with an invalid action: {action}"
            )
    return Statement(
        effect=raw["Effect"],
        principals=_principals(raw["Principal"]) if has_p else None,
        not_principals=_principals(raw["NotPrincipal"]) if has_np else (),
        actions=actions,
        not_actions=not_actions,
        resources=_strings(raw["Resource"], "Resource") if "Resource" in raw else None,
        not_resources=_strings(raw["NotResource"], "NotResource") if "NotResource" in raw else None,
        conditions=_conditions(raw["Condition"]) if "Condition" in raw else {},
    )


def parse(policy: str) -> list[Statement]:
    """Check a key policy document and return its statements, or raise as KMS does."""
    if len(policy.encode("utf-8")) > KEY_POLICY_MAX_BYTES:
        raise LimitExceededException(
            f"The key policy exceeds the maximum size of {KEY_POLICY_MAX_BYTES} bytes."
        )
    try:
        doc = json.loads(policy, object_pairs_hook=_no_duplicates)
    except (ValueError, RecursionError):
        raise MalformedPolicyDocumentException(
            "The key policy is not syntactically correct JSON."
        ) from None
    if not isinstance(doc, dict):
        raise MalformedPolicyDocumentException("The key policy must be a JSON object.")
    unknown = set(doc) - TOP_LEVEL_KEYS
    if unknown:
        raise MalformedPolicyDocumentException(
            f"The key policy contains an unknown element: {sorted(unknown)[0]}"
        )
    if "Version" in doc and doc["Version"] not in _VERSIONS:
        raise MalformedPolicyDocumentException(
            "The policy Version must be 2012-10-17 or 2008-10-17."
        )
    if "Id" in doc and not isinstance(doc["Id"], str):
        raise MalformedPolicyDocumentException("The policy Id must be a string.")
    raw = doc.get("Statement")
    if raw is None or raw == []:
        raise MalformedPolicyDocumentException("The key policy must contain a Statement.")
    return [_statement(s) for s in (raw if isinstance(raw, list) else [raw])]


# -- evaluation -------------------------------------------------------------------------
def decide(statements: list[Statement], req: Request) -> str:
    """``"Allow"``, ``"Deny"`` (explicit) or ``"ImplicitDeny"`` for one request.

    IAM's statement evaluation (``simulator/iam/evaluate.py``), strict: a key policy statement
    without Action or Resource has no effect (K-PKP).
    """
    return evaluate.decide(statements, req, strict=True)


def check_lockout(
    statements: list[Statement], principal_arn: str, account: str, key_arn: str
) -> None:
    """K-PKP lockout safety check: the caller must be able to call PutKeyPolicy afterwards."""
    req = Request(
        principal_arn,
        account,
        "kms:PutKeyPolicy",
        key_arn,
        {"kms:CallerAccount": account, "aws:PrincipalArn": principal_arn},
    )
    if decide(statements, req) != "Allow":
        raise MalformedPolicyDocumentException(LOCKOUT_MESSAGE)
