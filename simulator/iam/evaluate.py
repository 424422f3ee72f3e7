"""Does a set of policy statements allow one request? The statement-level half of IAM's logic.

:func:`decide` answers ``"Allow"``, ``"Deny"`` (an explicit deny wins) or ``"ImplicitDeny"``
(nothing matched) for one request against statements parsed by :mod:`simulator.iam.policy`,
following https://docs.aws.amazon.com/IAM/latest/UserGuide/
reference_policies_evaluation-logic_policy-eval-denyallow.html (facts sheet X-EVAL). How the
decisions of several policy types combine (identity, resource, trust, session) is up to the
caller: STS's AssumeRole, for instance, needs the trust policy *and*, when the trust policy
names only the account, the caller's identity policies.

Supported: principal, action and resource wildcards (``*`` and ``?``, actions case-insensitive),
NotPrincipal/NotAction/NotResource, and the condition operators IAM documents (String, Numeric,
Date, Bool, Binary, IpAddress, Arn, Null) with ``IfExists`` and the ``ForAllValues`` /
``ForAnyValue`` set qualifiers. Condition keys are case-insensitive; values follow the operator.
Not simulated: policy variables (``${aws:username}``) are compared literally.
"""

from __future__ import annotations

import datetime as _dt
import fnmatch
import ipaddress
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from simulator.iam.policy import Statement

ALLOW = "Allow"
DENY = "Deny"
IMPLICIT_DENY = "ImplicitDeny"


@dataclass(frozen=True)
class Request:
    """What evaluation needs to know about one request."""

    principal_arn: str
    account: str  # the calling principal's account
    action: str  # "sts:AssumeRole"
    resource: str  # an ARN, or "*"
    context: Mapping[str, str | Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Evaluation:
    decision: str  # ALLOW, DENY or IMPLICIT_DENY
    allowed_by: tuple[Statement, ...] = ()
    denied_by: tuple[Statement, ...] = ()


_SESSION = re.compile(r"^arn:aws[a-z-]*:sts::(\d{12}):assumed-role/([^/]+)/")


def glob(pattern: str, value: str, *, fold: bool = False) -> bool:
    """IAM wildcards: ``*`` any run of characters, ``?`` one character (no character classes)."""
    if fold:
        pattern, value = pattern.lower(), value.lower()
    if "*" not in pattern and "?" not in pattern:
        return pattern == value
    return fnmatch.fnmatchcase(value, pattern.replace("[", "[[]"))


def principal_matches(pattern: str, principal_arn: str, account: str) -> bool:
    if pattern in ("*", principal_arn):
        return True
    # arn:aws:iam::<account>:root names the account: every principal in it.
    if pattern.endswith(":root") and pattern.split(":")[4:5] == [account]:
        return True
    # A role ARN (any path) matches the sessions of that role.
    m = _SESSION.match(principal_arn)
    if m and re.match(rf"^arn:aws[a-z-]*:iam::{m.group(1)}:role/", pattern):
        return pattern.rsplit("/", 1)[-1] == m.group(2)
    return False


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _date(text: str) -> _dt.datetime | None:
    number = _number(text)
    if number is not None:
        return _dt.datetime.fromtimestamp(number, _dt.UTC)
    try:
        parsed = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=_dt.UTC)


_ORDER = {
    "Equals": lambda a, b: a == b,
    "LessThan": lambda a, b: a < b,
    "LessThanEquals": lambda a, b: a <= b,
    "GreaterThan": lambda a, b: a > b,
    "GreaterThanEquals": lambda a, b: a >= b,
}


def _one(op: str, wanted: str, value: str) -> bool:
    """Does one request value satisfy one policy value under a positive operator?"""
    if op == "StringEquals" or op == "BinaryEquals":
        return value == wanted
    if op == "StringEqualsIgnoreCase":
        return value.lower() == wanted.lower()
    if op in ("StringLike", "ArnLike", "ArnEquals"):
        return glob(wanted, value)
    if op == "Bool":
        return value.lower() == wanted.lower()
    if op == "IpAddress":
        try:
            return ipaddress.ip_address(value) in ipaddress.ip_network(wanted, strict=False)
        except ValueError:
            return False
    for prefix, convert in (("Numeric", _number), ("Date", _date)):
        if op.startswith(prefix):
            a, b = convert(value), convert(wanted)
            compare = _ORDER.get(op[len(prefix) :])
            return a is not None and b is not None and compare is not None and compare(a, b)
    return False


_NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "NumericNotEquals": "NumericEquals",
    "DateNotEquals": "DateEquals",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
    "NotIpAddress": "IpAddress",
}


def condition_holds(
    operator: str, key: str, wanted: tuple[str, ...], context: Mapping[str, str | Sequence[str]]
) -> bool:
    """One condition key under one operator (keys in ``context`` already lower-cased)."""
    qualifier, _, op = operator.rpartition(":")
    if_exists = op.endswith("IfExists")
    op = op.removesuffix("IfExists")
    raw = context.get(key)
    if op == "Null":
        # "true": the key must be absent; "false": present.
        return all((w.lower() == "true") == (raw is None) for w in wanted)
    negated = op in _NEGATED
    positive = _NEGATED.get(op, op)
    if raw is None:
        if qualifier == "ForAllValues":
            return True  # vacuously true over an empty set
        if qualifier == "ForAnyValue":
            return False
        return True if if_exists else negated
    values = [raw] if isinstance(raw, str) else list(raw)

    def matched(value: str) -> bool:
        return any(_one(positive, w, value) for w in wanted)

    if qualifier == "ForAllValues":
        return all(matched(v) != negated for v in values)
    if qualifier == "ForAnyValue":
        return any(matched(v) != negated for v in values)
    hit = any(matched(v) for v in values)
    return not hit if negated else hit


def applies(stmt: Statement, req: Request, *, strict: bool = False) -> bool:
    """Does the statement cover this request (principal, action, resource, conditions)?

    ``strict``: a statement without a Resource element has no effect, as in KMS key policies
    (K-PKP). Otherwise it is about the resource the policy is attached to (trust policies).
    """
    if stmt.principals is not None:
        if not any(principal_matches(p, req.principal_arn, req.account) for p in stmt.principals):
            return False
    elif stmt.not_principals:
        if any(principal_matches(p, req.principal_arn, req.account) for p in stmt.not_principals):
            return False
    if stmt.actions is not None:
        if not any(glob(a, req.action, fold=True) for a in stmt.actions):
            return False
    elif stmt.not_actions is not None:
        if any(glob(a, req.action, fold=True) for a in stmt.not_actions):
            return False
    else:
        return False
    if stmt.resources is not None:
        if not any(glob(r, req.resource) for r in stmt.resources):
            return False
    elif stmt.not_resources is not None:
        if any(glob(r, req.resource) for r in stmt.not_resources):
            return False
    elif strict:
        return False
    if stmt.conditions:
        context = {k.lower(): v for k, v in req.context.items()}
        return all(
            condition_holds(operator, key, wanted, context)
            for operator, block in stmt.conditions.items()
            for key, wanted in block.items()
        )
    return True


def evaluate(statements: Iterable[Statement], req: Request, *, strict: bool = False) -> Evaluation:
    allows: list[Statement] = []
    denies: list[Statement] = []
    for stmt in statements:
        if applies(stmt, req, strict=strict):
            (denies if stmt.effect == DENY else allows).append(stmt)
    if denies:
        return Evaluation(DENY, tuple(allows), tuple(denies))
    return Evaluation(ALLOW if allows else IMPLICIT_DENY, tuple(allows), ())


def decide(statements: Iterable[Statement], req: Request, *, strict: bool = False) -> str:
    """``"Allow"``, ``"Deny"`` (explicit) or ``"ImplicitDeny"`` for one request."""
    return evaluate(statements, req, strict=strict).decision


__all__ = [
    "ALLOW",
    "DENY",
    "IMPLICIT_DENY",
    "Evaluation",
    "Request",
    "applies",
    "condition_holds",
    "decide",
    "evaluate",
    "glob",
    "principal_matches",
]
