"""IAM users, their tags and their access keys.

Facts (IAM API reference; quotas page, see ``quotas.py``):

- user names are unique without regard to case; ``EntityAlreadyExists`` otherwise;
- a user holds at most 2 access keys, active or inactive ("Cannot exceed quota for
  AccessKeysPerUser: 2"; deactivating one does not free a slot, simonw/s3-credentials #64);
- the secret access key is returned once, by CreateAccessKey, and never again;
- DeleteUser refuses while the user still has access keys, inline policies, attached managed
  policies or group memberships (``DeleteConflict``, "Cannot delete entity, must ... first.");
- omitting UserName means the caller, which must then be an IAM user ("Must specify userName
  when calling with non-User credentials").
"""

from __future__ import annotations

from typing import Any

from simulator.core.context import PrincipalType, RequestContext
from simulator.core.errors import NotSimulatedException
from simulator.protocol.registry import operation
from simulator.services.iam.core import IamCore, second
from simulator.services.iam.errors import (
    DeleteConflictException,
    EntityAlreadyExistsException,
    InvalidInputException,
    LimitExceededException,
    NoSuchEntityException,
)
from simulator.services.iam.model import AccessKeyRecord, KeyStatus, User, entity_arn


def user_resource(svc: Any, ctx: RequestContext, p: dict[str, Any]) -> str:
    name = p.get("UserName") or ctx.principal.user_name or "*"
    return entity_arn(ctx.account_id, "user", "/", name)


class UserOps(IamCore):
    def _boundary_arn(self, ctx: RequestContext, arn: str | None) -> str | None:
        if arn is None:
            return None
        try:
            self.managed(ctx.account_id, arn)
        except NoSuchEntityException:
            raise NoSuchEntityException(
                f"Scope ARN: {arn} does not exist or is not attachable."  # [U] wording
            ) from None
        return arn

    @operation("CreateUser", resource=user_resource)
    def create_user(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        state = self.account(ctx.account_id)
        name = p["UserName"]
        if name.lower() in state.users:
            raise EntityAlreadyExistsException(f"User with name {name} already exists.")
        limit = self.limit(ctx.account_id, "users_per_account")
        if len(state.users) >= limit:
            raise LimitExceededException(f"Cannot exceed quota for UsersPerAccount: {limit}")
        tags = self.merge_tags(ctx.account_id, {}, p.get("Tags", []), "tags_per_user")
        boundary = self._boundary_arn(ctx, p.get("PermissionsBoundary"))
        user = User(
            name=name,
            user_id=self.env.ids.principal_id("AIDA"),
            path=p.get("Path", "/"),
            created=second(ctx.now),
            tags=tags,
            permissions_boundary=boundary,
        )
        state.users[name.lower()] = user
        return {"User": self.user_out(ctx.account_id, user, tags=True)}

    @operation("GetUser", read_only=True, resource=user_resource)
    def get_user(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("UserName") and ctx.principal.type is PrincipalType.ROOT:
            # The root user is no IAM user: AWS answers with the account's identity.
            return {
                "User": {"UserId": ctx.account_id, "Arn": ctx.principal.arn, "CreateDate": ctx.now}
            }
        user = self.caller_user(ctx, p.get("UserName"))
        return {"User": self.user_out(ctx.account_id, user, tags=True)}

    @operation("ListUsers", read_only=True)
    def list_users(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        prefix = p.get("PathPrefix", "/")
        users = sorted(
            (u for u in self.account(ctx.account_id).users.values() if u.path.startswith(prefix)),
            key=lambda u: u.name.lower(),
        )
        chunk, more = self.page(users, p)
        return {"Users": [self.user_out(ctx.account_id, u) for u in chunk], **more}

    @operation("UpdateUser", resource=user_resource)
    def update_user(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        state = self.account(ctx.account_id)
        user = self.user(ctx.account_id, p["UserName"])
        new_name = p.get("NewUserName")
        if new_name and new_name.lower() != user.name.lower() and new_name.lower() in state.users:
            raise EntityAlreadyExistsException(f"User with name {new_name} already exists.")
        old_key = user.name.lower()
        if "NewPath" in p:
            user.path = p["NewPath"]
        if new_name:
            del state.users[old_key]
            user.name = new_name
            state.users[new_name.lower()] = user
            for group in state.groups.values():
                group.members = [new_name.lower() if m == old_key else m for m in group.members]
        for key in user.access_keys:  # the key's principal ARN follows the new name and path
            self.register_key(ctx.account_id, user, key)
        return {}

    @operation("DeleteUser", resource=user_resource)
    def delete_user(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        state = self.account(ctx.account_id)
        user = self.user(ctx.account_id, p["UserName"])
        if user.access_keys:
            raise DeleteConflictException("Cannot delete entity, must delete access keys first.")
        if user.inline:
            raise DeleteConflictException("Cannot delete entity, must delete policies first.")
        if user.attached:
            raise DeleteConflictException("Cannot delete entity, must detach all policies first.")
        if any(user.name.lower() in g.members for g in state.groups.values()):
            raise DeleteConflictException(
                "Cannot delete entity, must remove user from all groups first."  # [U] wording
            )
        del state.users[user.name.lower()]
        return {}

    # -- tags -----------------------------------------------------------------------------
    @operation("TagUser", resource=user_resource)
    def tag_user(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        user = self.user(ctx.account_id, p["UserName"])
        user.tags = self.merge_tags(ctx.account_id, user.tags, p["Tags"], "tags_per_user")
        return {}

    @operation("UntagUser", resource=user_resource)
    def untag_user(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        user = self.user(ctx.account_id, p["UserName"])
        user.tags = self.drop_tags(user.tags, p["TagKeys"])
        return {}

    @operation("ListUserTags", read_only=True, resource=user_resource)
    def list_user_tags(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        user = self.user(ctx.account_id, p["UserName"])
        chunk, more = self.page(self.tag_list(user.tags), p)
        return {"Tags": chunk, **more}

    # -- access keys ----------------------------------------------------------------------
    def _key_owner(self, ctx: RequestContext, p: dict[str, Any]) -> User:
        if not p.get("UserName") and ctx.principal.type is PrincipalType.ROOT:
            raise NotSimulatedException(
                "Access keys of the root user are not simulated by Secrets Lab; name an IAM user."
            )
        return self.caller_user(ctx, p.get("UserName"))

    def _find_key(self, user: User, key_id: str) -> AccessKeyRecord:
        for key in user.access_keys:
            if key.access_key_id == key_id:
                return key
        raise NoSuchEntityException(f"The Access Key with id {key_id} cannot be found.")

    @operation("CreateAccessKey", resource=user_resource)
    def create_access_key(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        user = self._key_owner(ctx, p)
        limit = self.limit(ctx.account_id, "access_keys_per_user")
        if len(user.access_keys) >= limit:
            raise LimitExceededException(f"Cannot exceed quota for AccessKeysPerUser: {limit}")
        key_id = self.env.ids.access_key_id()
        secret = self.env.ids.secret_access_key()
        key = AccessKeyRecord(
            key_id, self.seal_secret(key_id, secret), KeyStatus.ACTIVE, second(ctx.now)
        )
        user.access_keys.append(key)
        self.register_key(ctx.account_id, user, key)
        return {
            "AccessKey": {
                "UserName": user.name,
                "AccessKeyId": key_id,
                "Status": key.status.value,
                "SecretAccessKey": secret,
                "CreateDate": key.created,
            }
        }

    @operation("ListAccessKeys", read_only=True, resource=user_resource)
    def list_access_keys(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        user = self._key_owner(ctx, p)
        chunk, more = self.page(user.access_keys, p)
        return {
            "AccessKeyMetadata": [
                {
                    "UserName": user.name,
                    "AccessKeyId": k.access_key_id,
                    "Status": k.status.value,
                    "CreateDate": k.created,
                }
                for k in chunk
            ],
            **more,
        }

    @operation("UpdateAccessKey", resource=user_resource)
    def update_access_key(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        user = self._key_owner(ctx, p)
        key = self._find_key(user, p["AccessKeyId"])
        if p["Status"] not in (KeyStatus.ACTIVE.value, KeyStatus.INACTIVE.value):
            raise InvalidInputException(  # [U] wording: the model's enum also lists Expired
                f"Invalid status {p['Status']}: an access key is Active or Inactive."
            )
        key.status = KeyStatus(p["Status"])
        self.env.credentials.set_active(key.access_key_id, key.status is KeyStatus.ACTIVE)
        return {}

    @operation("DeleteAccessKey", resource=user_resource)
    def delete_access_key(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        user = self._key_owner(ctx, p)
        key = self._find_key(user, p["AccessKeyId"])
        user.access_keys.remove(key)
        self.env.credentials.revoke(key.access_key_id)
        return {}
