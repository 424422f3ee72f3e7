"""IAM policy documents: the grammar IAM checks, and the parsed statements evaluation reads.

One parser serves every kind of policy IAM stores, because the grammar is shared and only a
few rules differ by kind (https://docs.aws.amazon.com/IAM/latest/UserGuide/
reference_policies_grammar.html):

- identity policies (inline, managed, and STS session policies) must not name a principal
  ("Policy document should not specify a principal.") and need an Action and a Resource
  ("Policy statement must contain actions." / "...resources.");
- role trust policies must name one ("Missing required field Principal") and must not carry a
  Resource ("Has prohibited field Resource");
- resource policies need both a principal and a resource.

Messages are IAM's own where users have reported them (GitHub issues collected in the helper's
report: terraform-provider-aws #10419, external-dns #3085, aws-cdk #7615, kappa #111,
terraform #10057); the few we could not confirm are marked ``[U]`` next to the rule.

The parser raises :class:`PolicyError`, a plain exception; each service turns it into its own
``MalformedPolicyDocument`` code, so IAM and STS share one grammar. Statements come back as
:class:`Statement`, the shape :mod:`simulator.iam.evaluate` reads.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class PolicyKind(StrEnum):
    IDENTITY = "identity"  # inline and managed policies, STS session policies
    TRUST = "trust"  # a role's AssumeRolePolicyDocument
    RESOURCE = "resource"  # resource-based policies (secrets, keys...)


class PolicyError(ValueError):
    """A policy document IAM would refuse; ``message`` is IAM's wording."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


VERSIONS = ("2012-10-17", "2008-10-17")
INVALID_JSON = "This policy contains invalid Json"
SYNTAX = "Syntax errors in policy."  # [U] used for shapes IAM reports without detail
LEGACY = "The policy failed legacy parsing"  # reported for a bad Effect (terraform #10057)
NO_PRINCIPAL_ALLOWED = "Policy document should not specify a principal."
NO_ACTIONS = "Policy statement must contain actions."
NO_RESOURCES = "Policy statement must contain resources."
MISSING_PRINCIPAL = "Missing required field Principal"  # [U] wording for trust policies

TOP_LEVEL_KEYS = frozenset({"Version", "Id", "Statement"})
STATEMENT_KEYS = frozenset(
    {
        "Sid",
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
    }
)
_SID = re.compile(r"^[0-9A-Za-z]*$")
ACCOUNT_ID = re.compile(r"^\d{12}$")
IAM_PRINCIPAL_ARN = re.compile(
    r"^arn:aws[a-z-]*:(?:iam::(\d{12}):(?:root|user/.+|role/.+|federated-user/.+)"
    r"|sts::(\d{12}):(?:assumed-role/[^/]+/.+|federated-user/.+))$"
)
SERVICE_PRINCIPAL = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$")
_VENDOR = re.compile(r"^[a-zA-Z0-9-]+$")

# Condition operators IAM accepts (reference_policies_elements_condition_operators.html),
# each of which may carry the IfExists suffix and a ForAllValues/ForAnyValue qualifier.
CONDITION_OPERATORS = frozenset(
    {
        "StringEquals",
        "StringNotEquals",
        "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase",
        "StringLike",
        "StringNotLike",
        "NumericEquals",
        "NumericNotEquals",
        "NumericLessThan",
        "NumericLessThanEquals",
        "NumericGreaterThan",
        "NumericGreaterThanEquals",
        "DateEquals",
        "DateNotEquals",
        "DateLessThan",
        "DateLessThanEquals",
        "DateGreaterThan",
        "DateGreaterThanEquals",
        "Bool",
        "BinaryEquals",
        "IpAddress",
        "NotIpAddress",
        "ArnEquals",
        "ArnLike",
        "ArnNotEquals",
        "ArnNotLike",
        "Null",
    }
)

#: Answers whether an IAM principal ARN names something that exists: True/False when its
#: account is simulated here, None when it is an account this Cloud does not hold.
PrincipalLookup = Callable[[str], bool | None]


@dataclass(frozen=True)
class Statement:
    """One parsed statement. ``principals is None and not not_principals``: no principal
    element (identity policies), so the statement is about whoever holds the policy."""

    effect: str  # "Allow" or "Deny"
    principals: tuple[str, ...] | None = None
    not_principals: tuple[str, ...] = ()
    actions: tuple[str, ...] | None = None
    not_actions: tuple[str, ...] | None = None
    resources: tuple[str, ...] | None = None
    not_resources: tuple[str, ...] | None = None
    conditions: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    sid: str | None = None


@dataclass(frozen=True)
class PolicyDocument:
    version: str | None
    statements: tuple[Statement, ...]


def non_whitespace_length(text: str) -> int:
    """IAM's policy-size measure: "IAM does not count white space" (IAM quotas page)."""
    return sum(1 for ch in text if not ch.isspace())


# -- parsing ----------------------------------------------------------------------------
def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise PolicyError(INVALID_JSON)  # [U] duplicate keys: IAM's parser refuses them
        out[k] = v
    return out


def _strings(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) for v in items):
        raise PolicyError(SYNTAX)
    return tuple(items)


def _check_actions(actions: tuple[str, ...]) -> None:
    for action in actions:
        if action == "*":
            continue
        if ":" not in action:
            raise PolicyError(
                "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
            )
        if action.count(":") > 1:
            raise PolicyError("Actions/Condition can contain only one colon.")
        vendor, name = action.split(":")
        if not _VENDOR.match(vendor) or not name:
            raise PolicyError(f"Vendor {vendor} is not valid")  # [U]


def _check_resources(resources: tuple[str, ...]) -> None:
    for resource in resources:
        if resource != "*" and not resource.startswith("arn:"):
            raise PolicyError(f'Resource {resource} must be in ARN format or "*".')


def _principals(value: Any, kind: PolicyKind, lookup: PrincipalLookup | None) -> tuple[str, ...]:
    if value == "*":
        if kind is PolicyKind.TRUST:
            # A bare "*" is refused in trust policies; {"AWS": "*"} is accepted (aws-cdk #5746).
            raise PolicyError('Invalid principal in policy: "*"')
        return ("*",)
    if not isinstance(value, dict) or not value:
        raise PolicyError(f"Invalid principal in policy: {json.dumps(value)}")
    out: list[str] = []
    for principal_kind, raw in value.items():
        items = raw if isinstance(raw, list) else [raw]
        if not items:
            # The trust-policy form reported as "The passed in policy has a statement with no
            # principals!" (terraform-aws-modules/terraform-aws-iam #47).
            raise PolicyError(
                "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: "
                "The passed in policy has a statement with no principals!"
            )
        for v in items:
            bad = PolicyError(f'Invalid principal in policy: "{principal_kind}":{json.dumps(v)}')
            if not isinstance(v, str) or not v:
                raise bad
            if principal_kind == "AWS":
                if v == "*":
                    out.append(v)
                    continue
                if ACCOUNT_ID.match(v):
                    out.append(f"arn:aws:iam::{v}:root")
                    continue
                if not IAM_PRINCIPAL_ARN.match(v):
                    raise bad
                # A named user or role that does not exist is refused when the policy is
                # stored (terraform-provider-aws #8905); accounts outside this Cloud pass.
                if lookup is not None and not v.endswith(":root") and lookup(v) is False:
                    raise bad
                out.append(v)
            elif principal_kind == "Service":
                if not SERVICE_PRINCIPAL.match(v):
                    raise bad
                out.append(v)
            elif principal_kind in ("Federated", "CanonicalUser"):
                out.append(v)
            else:
                raise bad
    return tuple(out)


def _conditions(value: Any) -> dict[str, dict[str, tuple[str, ...]]]:
    if not isinstance(value, dict):
        raise PolicyError(SYNTAX)
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for operator, block in value.items():
        qualifier, _, op = str(operator).rpartition(":")
        base = op.removesuffix("IfExists")
        if qualifier not in ("", "ForAllValues", "ForAnyValue") or base not in CONDITION_OPERATORS:
            raise PolicyError(f"Invalid Condition type : {operator}")  # [U] wording
        if not isinstance(block, dict) or not block:
            raise PolicyError(SYNTAX)
        keys: dict[str, tuple[str, ...]] = {}
        for key, raw in block.items():
            items = raw if isinstance(raw, list) else [raw]
            if not items or not all(isinstance(v, (str, bool, int, float)) for v in items):
                raise PolicyError(SYNTAX)
            # Condition keys are case-insensitive; values keep their case (X-GCK).
            keys[key.lower()] = tuple(
                ("true" if v else "false") if isinstance(v, bool) else str(v) for v in items
            )
        out[operator] = keys
    return out


def _statement(raw: Any, kind: PolicyKind, lookup: PrincipalLookup | None) -> Statement:
    if not isinstance(raw, dict):
        raise PolicyError(SYNTAX)
    unknown = set(raw) - STATEMENT_KEYS
    if unknown:
        raise PolicyError(SYNTAX)  # [U] IAM names no field for an unknown element
    sid = raw.get("Sid")
    if sid is not None and (not isinstance(sid, str) or not _SID.match(sid)):
        raise PolicyError(
            "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the "
            "regular expression [0-9A-Za-z]*"
        )
    if raw.get("Effect") not in ("Allow", "Deny"):
        raise PolicyError(LEGACY)
    has_p, has_np = "Principal" in raw, "NotPrincipal" in raw
    if kind is PolicyKind.IDENTITY and (has_p or has_np):
        raise PolicyError(NO_PRINCIPAL_ALLOWED)
    if kind is not PolicyKind.IDENTITY and not (has_p or has_np):
        raise PolicyError(MISSING_PRINCIPAL)
    if kind is PolicyKind.TRUST:
        for name in ("Resource", "NotResource"):
            if name in raw:
                raise PolicyError(f"Has prohibited field {name}")
    for a, b in (
        ("Action", "NotAction"),
        ("Resource", "NotResource"),
        ("Principal", "NotPrincipal"),
    ):
        if a in raw and b in raw:
            raise PolicyError(SYNTAX)
    actions = _strings(raw["Action"]) if "Action" in raw else None
    not_actions = _strings(raw["NotAction"]) if "NotAction" in raw else None
    if not (actions or not_actions):
        raise PolicyError(NO_ACTIONS)
    _check_actions((actions or ()) + (not_actions or ()))
    resources = _strings(raw["Resource"]) if "Resource" in raw else None
    not_resources = _strings(raw["NotResource"]) if "NotResource" in raw else None
    if kind is not PolicyKind.TRUST:
        if not (resources or not_resources):
            raise PolicyError(NO_RESOURCES)
        _check_resources((resources or ()) + (not_resources or ()))
    return Statement(
        effect=raw["Effect"],
        principals=_principals(raw["Principal"], kind, lookup) if has_p else None,
        not_principals=_principals(raw["NotPrincipal"], kind, lookup) if has_np else (),
        actions=actions,
        not_actions=not_actions,
        resources=resources,
        not_resources=not_resources,
        conditions=_conditions(raw["Condition"]) if "Condition" in raw else {},
        sid=sid,
    )


def parse(
    text: str, kind: PolicyKind = PolicyKind.IDENTITY, *, lookup: PrincipalLookup | None = None
) -> PolicyDocument:
    """Check ``text`` as a policy of ``kind`` and return its statements, or raise PolicyError."""
    try:
        doc = json.loads(text, object_pairs_hook=_no_duplicates)
    except (ValueError, RecursionError):
        raise PolicyError(INVALID_JSON) from None
    if not isinstance(doc, dict):
        raise PolicyError(INVALID_JSON)
    if set(doc) - TOP_LEVEL_KEYS:
        raise PolicyError(SYNTAX)
    version = doc.get("Version")
    if version is not None and version not in VERSIONS:
        raise PolicyError(LEGACY)  # [U] an unknown Version falls back to the legacy parser
    if "Id" in doc and not isinstance(doc["Id"], str):
        raise PolicyError(SYNTAX)
    raw = doc.get("Statement")
    if raw is None or raw == [] or raw == {}:
        raise PolicyError(SYNTAX)
    statements = tuple(
        _statement(s, kind, lookup) for s in (raw if isinstance(raw, list) else [raw])
    )
    sids = [s.sid for s in statements if s.sid]
    if len(sids) != len(set(sids)):
        raise PolicyError("Statement IDs (SID) in a single policy must be unique.")
    return PolicyDocument(version, statements)


__all__ = [
    "CONDITION_OPERATORS",
    "PolicyDocument",
    "PolicyError",
    "PolicyKind",
    "PrincipalLookup",
    "Statement",
    "non_whitespace_length",
    "parse",
]
