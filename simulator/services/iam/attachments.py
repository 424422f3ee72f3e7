"""Attaching managed policies to users, groups and roles, and listing who holds a policy.

Facts (IAM API reference; quotas page): at most 10 managed policies per user, group and role by
default (users and roles adjustable to 20; "Cannot exceed quota for PoliciesPerRole: 10", seen
in aws/eks-hybrid #741); attaching a policy already attached changes nothing; an ARN that is
not a policy ARN is ``InvalidInput`` ("ARN ... is not valid."), an unknown policy is
``NoSuchEntity`` ("Policy ... does not exist or is not attachable.").
"""

from __future__ import annotations

from typing import Any

from simulator.core.context import RequestContext
from simulator.protocol.registry import operation
from simulator.services.iam.core import IamCore
from simulator.services.iam.errors import LimitExceededException, NoSuchEntityException
from simulator.services.iam.groups import group_resource
from simulator.services.iam.model import Group, Role, User
from simulator.services.iam.policies import policy_resource
from simulator.services.iam.roles import role_resource
from simulator.services.iam.users import user_resource

# quota name and the word IAM's LimitExceeded message uses, per kind of holder
_QUOTAS = {
    "user": ("managed_policies_per_user", "PoliciesPerUser"),
    "group": ("managed_policies_per_group", "PoliciesPerGroup"),
    "role": ("managed_policies_per_role", "PoliciesPerRole"),
}


class AttachmentOps(IamCore):
    def _attach(
        self, ctx: RequestContext, kind: str, holder: User | Group | Role, arn: str
    ) -> None:
        self.managed(ctx.account_id, arn, missing="does not exist or is not attachable.")
        if arn in holder.attached:
            return
        quota, word = _QUOTAS[kind]
        limit = self.limit(ctx.account_id, quota)
        if len(holder.attached) >= limit:
            raise LimitExceededException(f"Cannot exceed quota for {word}: {limit}")
        holder.attached.append(arn)

    def _detach(self, ctx: RequestContext, holder: User | Group | Role, arn: str) -> None:
        self.policy_arn(arn)
        if arn not in holder.attached:
            raise NoSuchEntityException(f"Policy {arn} was not found.")  # [U] wording
        holder.attached.remove(arn)

    def _listed(
        self, ctx: RequestContext, holder: User | Group | Role, p: dict[str, Any]
    ) -> dict[str, Any]:
        prefix = p.get("PathPrefix", "/")
        rows = []
        for arn in holder.attached:
            policy = self.managed(ctx.account_id, arn)
            path = getattr(policy, "path", "/")
            if path.startswith(prefix):
                rows.append({"PolicyName": policy.name, "PolicyArn": arn})
        chunk, more = self.page(rows, p)
        return {"AttachedPolicies": chunk, **more}

    # -- users ----------------------------------------------------------------------------
    @operation("AttachUserPolicy", resource=user_resource)
    def attach_user_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        self._attach(ctx, "user", self.user(ctx.account_id, p["UserName"]), p["PolicyArn"])
        return {}

    @operation("DetachUserPolicy", resource=user_resource)
    def detach_user_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        self._detach(ctx, self.user(ctx.account_id, p["UserName"]), p["PolicyArn"])
        return {}

    @operation("ListAttachedUserPolicies", read_only=True, resource=user_resource)
    def list_attached_user_policies(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        return self._listed(ctx, self.user(ctx.account_id, p["UserName"]), p)

    # -- groups ---------------------------------------------------------------------------
    @operation("AttachGroupPolicy", resource=group_resource)
    def attach_group_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        self._attach(ctx, "group", self.group(ctx.account_id, p["GroupName"]), p["PolicyArn"])
        return {}

    @operation("DetachGroupPolicy", resource=group_resource)
    def detach_group_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        self._detach(ctx, self.group(ctx.account_id, p["GroupName"]), p["PolicyArn"])
        return {}

    @operation("ListAttachedGroupPolicies", read_only=True, resource=group_resource)
    def list_attached_group_policies(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        return self._listed(ctx, self.group(ctx.account_id, p["GroupName"]), p)

    # -- roles ----------------------------------------------------------------------------
    @operation("AttachRolePolicy", resource=role_resource)
    def attach_role_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        self._attach(ctx, "role", self.role(ctx.account_id, p["RoleName"]), p["PolicyArn"])
        return {}

    @operation("DetachRolePolicy", resource=role_resource)
    def detach_role_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        self._detach(ctx, self.role(ctx.account_id, p["RoleName"]), p["PolicyArn"])
        return {}

    @operation("ListAttachedRolePolicies", read_only=True, resource=role_resource)
    def list_attached_role_policies(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        return self._listed(ctx, self.role(ctx.account_id, p["RoleName"]), p)

    # -- who holds a policy ---------------------------------------------------------------
    @operation("ListEntitiesForPolicy", read_only=True, resource=policy_resource)
    def list_entities_for_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        arn = p["PolicyArn"]
        self.managed(ctx.account_id, arn)
        state = self.account(ctx.account_id)
        wanted = p.get("EntityFilter")
        prefix = p.get("PathPrefix", "/")
        rows: list[tuple[str, dict[str, str]]] = []
        if wanted in (None, "User"):
            rows += [
                ("PolicyUsers", {"UserName": u.name, "UserId": u.user_id})
                for u in sorted(state.users.values(), key=lambda u: u.name.lower())
                if arn in u.attached and u.path.startswith(prefix)
            ]
        if wanted in (None, "Group"):
            rows += [
                ("PolicyGroups", {"GroupName": g.name, "GroupId": g.group_id})
                for g in sorted(state.groups.values(), key=lambda g: g.name.lower())
                if arn in g.attached and g.path.startswith(prefix)
            ]
        if wanted in (None, "Role"):
            rows += [
                ("PolicyRoles", {"RoleName": r.name, "RoleId": r.role_id})
                for r in sorted(state.roles.values(), key=lambda r: r.name.lower())
                if arn in r.attached and r.path.startswith(prefix)
            ]
        chunk, more = self.page(rows, p)
        out: dict[str, Any] = {"PolicyGroups": [], "PolicyUsers": [], "PolicyRoles": []}
        for member, row in chunk:
            out[member].append(row)
        return {**out, **more}
