"""The IAM service: users, groups, roles, access keys, inline and managed policies.

Each concern lives in its own module (``users``, ``groups``, ``roles``, ``inline``,
``policies``, ``attachments``) on top of ``core.IamCore``; this class only assembles them and
adds the one rule that spans them all: credentials from GetSessionToken cannot call IAM
without MFA ("You cannot call any IAM API operations unless MFA authentication information is
included in the request", API_GetSessionToken.html). MFA is not simulated, so such calls are
refused; AWS's wording for the refusal is unconfirmed [U].
"""

from __future__ import annotations

from typing import Any

from simulator.core.context import PrincipalType, RequestContext
from simulator.core.errors import UnrecognizedClientException
from simulator.services.iam.attachments import AttachmentOps
from simulator.services.iam.groups import GroupOps
from simulator.services.iam.inline import InlinePolicyOps
from simulator.services.iam.policies import ManagedPolicyOps
from simulator.services.iam.roles import RoleOps
from simulator.services.iam.users import UserOps


class IamService(UserOps, GroupOps, RoleOps, InlinePolicyOps, ManagedPolicyOps, AttachmentOps):
    service_name = "iam"

    def admit(self, ctx: RequestContext, params: dict[str, Any]) -> None:
        principal = ctx.principal
        if (
            principal.type in (PrincipalType.IAM_USER, PrincipalType.ROOT)
            and principal.access_key_id is not None
            and principal.access_key_id.startswith("ASIA")
        ):
            raise UnrecognizedClientException(
                "The security token included in the request is invalid."
            )
