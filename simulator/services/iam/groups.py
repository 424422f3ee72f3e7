"""IAM groups and membership.

Facts (IAM API reference; quotas page): at most 300 groups per account (adjustable) and 10
groups per user (not adjustable, "Cannot exceed quota for GroupsPerUser: 10"); adding a member
twice is harmless; DeleteGroup refuses while the group has members ("Cannot delete entity, must
remove users from group first.", reported in go-to-k/delstack #40), inline policies or attached
managed policies. A group is not a principal: it cannot be named in a policy or assumed.
"""

from __future__ import annotations

from typing import Any

from simulator.core.context import RequestContext
from simulator.protocol.registry import operation
from simulator.services.iam.core import IamCore, second
from simulator.services.iam.errors import (
    DeleteConflictException,
    EntityAlreadyExistsException,
    LimitExceededException,
    NoSuchEntityException,
)
from simulator.services.iam.model import Group, entity_arn


def group_resource(svc: Any, ctx: RequestContext, p: dict[str, Any]) -> str:
    return entity_arn(ctx.account_id, "group", "/", p.get("GroupName", "*"))


class GroupOps(IamCore):
    @operation("CreateGroup", resource=group_resource)
    def create_group(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        state = self.account(ctx.account_id)
        name = p["GroupName"]
        if name.lower() in state.groups:
            raise EntityAlreadyExistsException(f"Group with name {name} already exists.")
        limit = self.limit(ctx.account_id, "groups_per_account")
        if len(state.groups) >= limit:
            raise LimitExceededException(f"Cannot exceed quota for GroupsPerAccount: {limit}")
        group = Group(
            name=name,
            group_id=self.env.ids.principal_id("AGPA"),
            path=p.get("Path", "/"),
            created=second(ctx.now),
        )
        state.groups[name.lower()] = group
        return {"Group": self.group_out(ctx.account_id, group)}

    @operation("GetGroup", read_only=True, resource=group_resource)
    def get_group(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        state = self.account(ctx.account_id)
        group = self.group(ctx.account_id, p["GroupName"])
        members = sorted(
            (state.users[m] for m in group.members if m in state.users),
            key=lambda u: u.name.lower(),
        )
        chunk, more = self.page(members, p)
        return {
            "Group": self.group_out(ctx.account_id, group),
            "Users": [self.user_out(ctx.account_id, u) for u in chunk],
            **more,
        }

    @operation("ListGroups", read_only=True)
    def list_groups(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        prefix = p.get("PathPrefix", "/")
        groups = sorted(
            (g for g in self.account(ctx.account_id).groups.values() if g.path.startswith(prefix)),
            key=lambda g: g.name.lower(),
        )
        chunk, more = self.page(groups, p)
        return {"Groups": [self.group_out(ctx.account_id, g) for g in chunk], **more}

    @operation("DeleteGroup", resource=group_resource)
    def delete_group(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        group = self.group(ctx.account_id, p["GroupName"])
        if group.members:
            raise DeleteConflictException(
                "Cannot delete entity, must remove users from group first."
            )
        if group.inline:
            raise DeleteConflictException("Cannot delete entity, must delete policies first.")
        if group.attached:
            raise DeleteConflictException("Cannot delete entity, must detach all policies first.")
        del self.account(ctx.account_id).groups[group.name.lower()]
        return {}

    @operation("AddUserToGroup", resource=group_resource)
    def add_user_to_group(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        state = self.account(ctx.account_id)
        group = self.group(ctx.account_id, p["GroupName"])
        user = self.user(ctx.account_id, p["UserName"])
        key = user.name.lower()
        if key in group.members:
            return {}
        limit = self.limit(ctx.account_id, "groups_per_user")
        if sum(key in g.members for g in state.groups.values()) >= limit:
            raise LimitExceededException(f"Cannot exceed quota for GroupsPerUser: {limit}")
        group.members.append(key)
        return {}

    @operation("RemoveUserFromGroup", resource=group_resource)
    def remove_user_from_group(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        group = self.group(ctx.account_id, p["GroupName"])
        user = self.user(ctx.account_id, p["UserName"])
        if user.name.lower() not in group.members:
            raise NoSuchEntityException(  # [U] wording
                f"The user with name {user.name} is not a member of group {group.name}."
            )
        group.members.remove(user.name.lower())
        return {}

    @operation("ListGroupsForUser", read_only=True)
    def list_groups_for_user(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        state = self.account(ctx.account_id)
        user = self.user(ctx.account_id, p["UserName"])
        groups = sorted(
            (g for g in state.groups.values() if user.name.lower() in g.members),
            key=lambda g: g.name.lower(),
        )
        chunk, more = self.page(groups, p)
        return {"Groups": [self.group_out(ctx.account_id, g) for g in chunk], **more}
