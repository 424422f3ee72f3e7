"""May this caller assume this role? The trust-policy half of AssumeRole, as IAM decides it.

Facts (facts sheet X-EVAL; https://docs.aws.amazon.com/IAM/latest/UserGuide/
id_roles_manage-assume.html and reference_policies_evaluation-logic-cross-account.html):

- a role's trust policy must explicitly allow ``sts:AssumeRole`` for the caller: trust
  policies are one of the exceptions to "identity or resource policy is enough";
- when the trust policy names the account (``arn:aws:iam::<acct>:root``, ``{"AWS": "*"}``)
  rather than the caller, the caller's own identity policies must allow ``sts:AssumeRole`` on
  the role too; across accounts they always must. Naming the caller's ARN (or, for a role
  session, its role's ARN) in the same account is enough on its own;
- an explicit Deny in the caller's identity policies, permissions boundary or session policy
  always wins;
- passing session tags needs ``sts:TagSession`` and a SourceIdentity needs
  ``sts:SetSourceIdentity``, both allowed by the trust policy (id_session-tags.html);
- the root user cannot assume roles ("Roles may not be assumed by root accounts.").

The answer carries readable reasons, which the lab notebooks show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from simulator.core.context import Principal, PrincipalType
from simulator.iam.evaluate import ALLOW, DENY, Request, evaluate
from simulator.iam.policy import PolicyError, PolicyKind, Statement, parse


@dataclass(frozen=True)
class TrustDecision:
    allowed: bool
    denied_action: str = "sts:AssumeRole"
    reasons: tuple[str, ...] = ()


def _names_caller(stmt: Statement, caller: Principal, role_arn_of_caller: str | None) -> bool:
    direct = {caller.arn}
    if role_arn_of_caller:
        direct.add(role_arn_of_caller)
    return any(p in direct for p in stmt.principals or ())


def decide(
    *,
    caller: Principal,
    caller_role_arn: str | None,
    role_arn: str,
    role_account: str,
    trust_policy: str,
    identity: Sequence[Statement] | None,
    boundary: Sequence[Statement] | None,
    session_policy: Sequence[Statement] | None,
    context: Mapping[str, str | Sequence[str]],
    extra_actions: Sequence[str] = (),
) -> TrustDecision:
    """``identity`` None: the caller is the root user (no identity policies apply)."""
    try:
        trust = parse(trust_policy, PolicyKind.TRUST).statements
    except PolicyError:
        return TrustDecision(False, reasons=("the role's trust policy could not be read",))
    reasons: list[str] = []
    for action in ("sts:AssumeRole", *extra_actions):
        req = Request(caller.arn, caller.account_id, action, role_arn, context)
        found = evaluate(trust, req)
        if found.decision != ALLOW:
            why = "denies" if found.decision == DENY else "does not allow"
            return TrustDecision(False, action, (f"the role's trust policy {why} {action}",))
        if action != "sts:AssumeRole":
            continue
        direct = caller.account_id == role_account and any(
            _names_caller(s, caller, caller_role_arn) for s in found.allowed_by
        )
        reasons.append(
            "the trust policy names the caller"
            if direct
            else "the trust policy trusts the caller's account, so IAM policies must allow too"
        )
        req = Request(caller.arn, caller.account_id, action, role_arn, context)
        layers = (
            ("identity policies", identity),
            ("permissions boundary", boundary),
            ("session policy", session_policy),
        )
        for name, statements in layers:
            if statements is None:
                continue
            verdict = evaluate(statements, req).decision
            if verdict == DENY:
                return TrustDecision(False, action, (f"the caller's {name} deny {action}",))
            if not direct and verdict != ALLOW:
                return TrustDecision(False, action, (f"the caller's {name} do not allow {action}",))
            if verdict == ALLOW:
                reasons.append(f"the caller's {name} allow {action}")
    return TrustDecision(True, reasons=tuple(reasons))


def is_root(principal: Principal) -> bool:
    return principal.type is PrincipalType.ROOT
