"""IAM roles: trust policies, session duration, tags.

Facts (IAM API reference; quotas page):

- a role's trust policy (AssumeRolePolicyDocument) is checked as a trust policy: it must name a
  principal and must not carry a Resource ("Has prohibited field Resource"); named users and
  roles must exist; its size counts against "Role trust policy length" (2,048 characters by
  default, adjustable: "Cannot exceed quota for ACLSizePerRole: 2048");
- MaxSessionDuration is 3,600-43,200 seconds (the model's range), 3,600 by default;
- at most 1,000 roles per account by default ("Cannot exceed quota for RolesPerAccount");
- DeleteRole refuses while inline policies remain or managed policies are attached.
"""

from __future__ import annotations

from typing import Any

from simulator.core.context import RequestContext
from simulator.iam.policy import PolicyKind, non_whitespace_length
from simulator.protocol.registry import operation
from simulator.services.iam.core import IamCore, second
from simulator.services.iam.errors import (
    DeleteConflictException,
    EntityAlreadyExistsException,
    LimitExceededException,
    NoSuchEntityException,
)
from simulator.services.iam.model import Role, entity_arn


def role_resource(svc: Any, ctx: RequestContext, p: dict[str, Any]) -> str:
    return entity_arn(ctx.account_id, "role", "/", p.get("RoleName", "*"))


class RoleOps(IamCore):
    def _check_trust(self, ctx: RequestContext, document: str) -> None:
        limit = self.limit(ctx.account_id, "role_trust_policy_length")
        if non_whitespace_length(document) > limit:
            raise LimitExceededException(f"Cannot exceed quota for ACLSizePerRole: {limit}")
        self.check_document(document, PolicyKind.TRUST)

    @operation("CreateRole", resource=role_resource)
    def create_role(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        state = self.account(ctx.account_id)
        name = p["RoleName"]
        if name.lower() in state.roles:
            raise EntityAlreadyExistsException(f"Role with name {name} already exists.")
        limit = self.limit(ctx.account_id, "roles_per_account")
        if len(state.roles) >= limit:
            raise LimitExceededException(f"Cannot exceed quota for RolesPerAccount: {limit}")
        self._check_trust(ctx, p["AssumeRolePolicyDocument"])
        tags = self.merge_tags(ctx.account_id, {}, p.get("Tags", []), "tags_per_role")
        boundary = p.get("PermissionsBoundary")
        if boundary is not None:
            try:
                self.managed(ctx.account_id, boundary)
            except NoSuchEntityException:
                raise NoSuchEntityException(
                    f"Scope ARN: {boundary} does not exist or is not attachable."  # [U]
                ) from None
        role = Role(
            name=name,
            role_id=self.env.ids.principal_id("AROA"),
            path=p.get("Path", "/"),
            created=second(ctx.now),
            trust_policy=p["AssumeRolePolicyDocument"],
            description=p.get("Description"),
            max_session_duration=p.get("MaxSessionDuration", 3600),
            tags=tags,
            permissions_boundary=boundary,
        )
        state.roles[name.lower()] = role
        out = self.role_out(ctx.account_id, role)
        if role.tags:
            out["Tags"] = self.tag_list(role.tags)
        return {"Role": out}

    @operation("GetRole", read_only=True, resource=role_resource)
    def get_role(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        role = self.role(ctx.account_id, p["RoleName"])
        return {"Role": self.role_out(ctx.account_id, role, full=True)}

    @operation("ListRoles", read_only=True)
    def list_roles(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        prefix = p.get("PathPrefix", "/")
        roles = sorted(
            (r for r in self.account(ctx.account_id).roles.values() if r.path.startswith(prefix)),
            key=lambda r: r.name.lower(),
        )
        chunk, more = self.page(roles, p)
        return {"Roles": [self.role_out(ctx.account_id, r) for r in chunk], **more}

    @operation("UpdateRole", resource=role_resource)
    def update_role(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        role = self.role(ctx.account_id, p["RoleName"])
        if "Description" in p:
            role.description = p["Description"]
        if "MaxSessionDuration" in p:
            role.max_session_duration = p["MaxSessionDuration"]
        return {}

    @operation("UpdateAssumeRolePolicy", resource=role_resource)
    def update_assume_role_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        role = self.role(ctx.account_id, p["RoleName"])
        self._check_trust(ctx, p["PolicyDocument"])
        role.trust_policy = p["PolicyDocument"]
        return {}

    @operation("DeleteRole", resource=role_resource)
    def delete_role(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        role = self.role(ctx.account_id, p["RoleName"])
        if role.inline:
            raise DeleteConflictException("Cannot delete entity, must delete policies first.")
        if role.attached:
            raise DeleteConflictException("Cannot delete entity, must detach all policies first.")
        del self.account(ctx.account_id).roles[role.name.lower()]
        return {}

    # -- tags -----------------------------------------------------------------------------
    @operation("TagRole", resource=role_resource)
    def tag_role(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        role = self.role(ctx.account_id, p["RoleName"])
        role.tags = self.merge_tags(ctx.account_id, role.tags, p["Tags"], "tags_per_role")
        return {}

    @operation("UntagRole", resource=role_resource)
    def untag_role(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        role = self.role(ctx.account_id, p["RoleName"])
        role.tags = self.drop_tags(role.tags, p["TagKeys"])
        return {}

    @operation("ListRoleTags", read_only=True, resource=role_resource)
    def list_role_tags(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        role = self.role(ctx.account_id, p["RoleName"])
        chunk, more = self.page(self.tag_list(role.tags), p)
        return {"Tags": chunk, **more}
