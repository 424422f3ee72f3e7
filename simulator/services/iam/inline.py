"""Inline policies embedded in users, groups and roles: Put/Get/Delete/List for each.

Facts (IAM quotas page): an entity may hold any number of inline policies, but their aggregate
size, white space not counted, is capped: 2,048 characters for a user, 5,120 for a group and
10,240 for a role ("Maximum policy size of 10240 bytes exceeded for role <name>"). Documents are
checked as identity policies ("Policy document should not specify a principal."). Putting a
policy under an existing name replaces it. GetXPolicy returns the document URL-encoded, as IAM
does; botocore turns it back into a dict.
"""

from __future__ import annotations

from typing import Any

from simulator.core.context import RequestContext
from simulator.iam.policy import non_whitespace_length
from simulator.protocol.registry import operation
from simulator.services.iam.core import IamCore, url_encoded
from simulator.services.iam.errors import LimitExceededException, NoSuchEntityException
from simulator.services.iam.groups import group_resource
from simulator.services.iam.roles import role_resource
from simulator.services.iam.users import user_resource


class InlinePolicyOps(IamCore):
    def _put(
        self, ctx: RequestContext, kind: str, name: str, inline: dict[str, str], p: dict[str, Any]
    ) -> None:
        document = p["PolicyDocument"]
        self.check_document(document)
        total = non_whitespace_length(document) + sum(
            non_whitespace_length(text) for key, text in inline.items() if key != p["PolicyName"]
        )
        limit = self.limit(ctx.account_id, f"{kind}_policy_size")
        if total > limit:
            raise LimitExceededException(
                f"Maximum policy size of {limit} bytes exceeded for {kind} {name}"
            )
        inline[p["PolicyName"]] = document

    @staticmethod
    def _get(kind: str, inline: dict[str, str], policy_name: str) -> str:
        document = inline.get(policy_name)
        if document is None:
            raise NoSuchEntityException(
                f"The {kind} policy with name {policy_name} cannot be found."
            )
        return document

    def _list(self, inline: dict[str, str], p: dict[str, Any]) -> dict[str, Any]:
        chunk, more = self.page(sorted(inline), p)
        return {"PolicyNames": chunk, **more}

    # -- users ----------------------------------------------------------------------------
    @operation("PutUserPolicy", resource=user_resource)
    def put_user_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        user = self.user(ctx.account_id, p["UserName"])
        self._put(ctx, "user", user.name, user.inline, p)
        return {}

    @operation("GetUserPolicy", read_only=True, resource=user_resource)
    def get_user_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        user = self.user(ctx.account_id, p["UserName"])
        document = self._get("user", user.inline, p["PolicyName"])
        return {
            "UserName": user.name,
            "PolicyName": p["PolicyName"],
            "PolicyDocument": url_encoded(document),
        }

    @operation("DeleteUserPolicy", resource=user_resource)
    def delete_user_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        user = self.user(ctx.account_id, p["UserName"])
        self._get("user", user.inline, p["PolicyName"])
        del user.inline[p["PolicyName"]]
        return {}

    @operation("ListUserPolicies", read_only=True, resource=user_resource)
    def list_user_policies(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        return self._list(self.user(ctx.account_id, p["UserName"]).inline, p)

    # -- groups ---------------------------------------------------------------------------
    @operation("PutGroupPolicy", resource=group_resource)
    def put_group_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        group = self.group(ctx.account_id, p["GroupName"])
        self._put(ctx, "group", group.name, group.inline, p)
        return {}

    @operation("GetGroupPolicy", read_only=True, resource=group_resource)
    def get_group_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        group = self.group(ctx.account_id, p["GroupName"])
        document = self._get("group", group.inline, p["PolicyName"])
        return {
            "GroupName": group.name,
            "PolicyName": p["PolicyName"],
            "PolicyDocument": url_encoded(document),
        }

    @operation("DeleteGroupPolicy", resource=group_resource)
    def delete_group_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        group = self.group(ctx.account_id, p["GroupName"])
        self._get("group", group.inline, p["PolicyName"])
        del group.inline[p["PolicyName"]]
        return {}

    @operation("ListGroupPolicies", read_only=True, resource=group_resource)
    def list_group_policies(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        return self._list(self.group(ctx.account_id, p["GroupName"]).inline, p)

    # -- roles ----------------------------------------------------------------------------
    @operation("PutRolePolicy", resource=role_resource)
    def put_role_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        role = self.role(ctx.account_id, p["RoleName"])
        self._put(ctx, "role", role.name, role.inline, p)
        return {}

    @operation("GetRolePolicy", read_only=True, resource=role_resource)
    def get_role_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        role = self.role(ctx.account_id, p["RoleName"])
        document = self._get("role", role.inline, p["PolicyName"])
        return {
            "RoleName": role.name,
            "PolicyName": p["PolicyName"],
            "PolicyDocument": url_encoded(document),
        }

    @operation("DeleteRolePolicy", resource=role_resource)
    def delete_role_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        role = self.role(ctx.account_id, p["RoleName"])
        self._get("role", role.inline, p["PolicyName"])
        del role.inline[p["PolicyName"]]
        return {}

    @operation("ListRolePolicies", read_only=True, resource=role_resource)
    def list_role_policies(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        return self._list(self.role(ctx.account_id, p["RoleName"]).inline, p)
