"""Authorization: the one function every request passes before its handler runs.

Today it allows every authenticated request and says so in its reasons; the access-control
issue fills in identity policies, key policies, grants and resource policies behind the same
:func:`authorize` signature, so no call site changes. The pieces it will use are here already:
``policy.py`` (the policy grammar IAM checks, shared by IAM, STS and KMS key policies) and
``evaluate.py`` (statement evaluation with IAM's condition operators); the IAM service answers
which policies a principal holds (``IamCore.identity_statements``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.core.context import RequestContext


@dataclass(slots=True)
class Decision:
    allowed: bool
    action: str
    resource: str
    reasons: tuple[str, ...] = field(default_factory=tuple)


def authorize(ctx: RequestContext, action: str, resource: str) -> Decision:
    return Decision(True, action, resource, _ALLOW_ALL)


_ALLOW_ALL = ("policy evaluation is not simulated yet: every authenticated call is allowed",)
