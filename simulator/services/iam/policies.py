"""Managed policies: customer managed policies and their versions, and the AWS managed ones.

Facts (IAM API reference and quotas page):

- CreatePolicy stores the document as version ``v1``, the default; a policy keeps at most 5
  versions ("A managed policy can have up to 5 versions. Before you create a new version, you
  must delete an existing version."); version numbers are never reused;
- documents are identity policies, at most 6,144 characters without white space ("Cannot
  exceed quota for PolicySize: 6144"); at most 1,500 customer managed policies per account;
- the default version cannot be deleted ("Cannot delete the default version of a policy.");
  DeletePolicy refuses while the policy is attached ("Cannot delete a policy attached to
  entities.") or still has non-default versions;
- AWS managed policies (``arn:aws:iam::aws:policy/...``) can be read and attached, never
  changed: writing to them is refused as AccessDenied on AWS's resource;
- policy documents come back URL-encoded (botocore decodes them).
"""

from __future__ import annotations

from typing import Any

from simulator.core.context import RequestContext
from simulator.core.errors import AccessDeniedException
from simulator.iam.policy import non_whitespace_length
from simulator.protocol.registry import operation
from simulator.services.iam import managed_policies
from simulator.services.iam.core import IamCore, second, url_encoded
from simulator.services.iam.errors import (
    DeleteConflictException,
    EntityAlreadyExistsException,
    LimitExceededException,
    NoSuchEntityException,
)
from simulator.services.iam.managed_policies import AwsManagedPolicy
from simulator.services.iam.model import Group, ManagedPolicy, PolicyVersion, Role, User


def policy_resource(svc: Any, ctx: RequestContext, p: dict[str, Any]) -> str:
    if "PolicyArn" in p:
        return str(p["PolicyArn"])
    return f"arn:aws:iam::{ctx.account_id}:policy{p.get('Path', '/')}{p.get('PolicyName', '*')}"


class ManagedPolicyOps(IamCore):
    # -- helpers --------------------------------------------------------------------------
    def attachment_count(self, account_id: str, arn: str) -> int:
        state = self.account(account_id)
        holders: list[User | Group | Role] = [
            *state.users.values(),
            *state.groups.values(),
            *state.roles.values(),
        ]
        return sum(arn in h.attached for h in holders)

    def boundary_count(self, account_id: str, arn: str) -> int:
        state = self.account(account_id)
        holders: list[User | Role] = [*state.users.values(), *state.roles.values()]
        return sum(h.permissions_boundary == arn for h in holders)

    def policy_out(
        self,
        account_id: str,
        policy: ManagedPolicy | AwsManagedPolicy,
        *,
        detail: bool = False,
    ) -> dict[str, Any]:
        if isinstance(policy, AwsManagedPolicy):
            out: dict[str, Any] = {
                "PolicyName": policy.name,
                "PolicyId": policy.policy_id,
                "Arn": policy.arn,
                "Path": "/",
                "DefaultVersionId": policy.version,
                "CreateDate": policy.created,
                "UpdateDate": policy.updated,
            }
            description: str | None = policy.description
        else:
            out = {
                "PolicyName": policy.name,
                "PolicyId": policy.policy_id,
                "Arn": policy.arn,
                "Path": policy.path,
                "DefaultVersionId": policy.default_version,
                "CreateDate": policy.created,
                "UpdateDate": policy.updated,
            }
            description = policy.description
            if detail and policy.tags:
                out["Tags"] = self.tag_list(policy.tags)
        out["AttachmentCount"] = self.attachment_count(account_id, out["Arn"])
        out["PermissionsBoundaryUsageCount"] = self.boundary_count(account_id, out["Arn"])
        out["IsAttachable"] = True
        if detail and description is not None:  # GetPolicy only, not ListPolicies
            out["Description"] = description
        return out

    def customer(self, ctx: RequestContext, arn: str, action: str) -> ManagedPolicy:
        policy = self.managed(ctx.account_id, arn)
        if isinstance(policy, AwsManagedPolicy):
            raise AccessDeniedException(
                f"User: {ctx.principal.arn} is not authorized to perform: iam:{action} on "
                f"resource: policy {arn}"
            )
        return policy

    def _check_size(self, ctx: RequestContext, document: str) -> None:
        self.check_document(document)
        limit = self.limit(ctx.account_id, "managed_policy_size")
        if non_whitespace_length(document) > limit:
            raise LimitExceededException(f"Cannot exceed quota for PolicySize: {limit}")

    @staticmethod
    def _version(policy: ManagedPolicy, version_id: str) -> PolicyVersion:
        for version in policy.versions:
            if version.version_id == version_id:
                return version
        raise NoSuchEntityException(
            f"Policy {policy.arn} version {version_id} does not exist or is not attachable."
        )

    # -- policies -------------------------------------------------------------------------
    @operation("CreatePolicy", resource=policy_resource)
    def create_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        state = self.account(ctx.account_id)
        name, path = p["PolicyName"], p.get("Path", "/")
        if any(pol.name.lower() == name.lower() for pol in state.policies.values()):
            raise EntityAlreadyExistsException(
                f"A policy called {name} already exists. Duplicate names are not allowed."
            )
        limit = self.limit(ctx.account_id, "customer_managed_policies")
        if len(state.policies) >= limit:
            raise LimitExceededException(f"Cannot exceed quota for PoliciesPerAccount: {limit}")
        self._check_size(ctx, p["PolicyDocument"])
        tags = self.merge_tags(ctx.account_id, {}, p.get("Tags", []), "tags_per_policy")
        now = second(ctx.now)
        arn = f"arn:aws:iam::{ctx.account_id}:policy{path}{name}"
        policy = ManagedPolicy(
            name=name,
            policy_id=self.env.ids.principal_id("ANPA"),
            path=path,
            arn=arn,
            created=now,
            updated=now,
            default_version="v1",
            versions=[PolicyVersion("v1", p["PolicyDocument"], now)],
            description=p.get("Description"),
            tags=tags,
        )
        state.policies[arn] = policy
        out = self.policy_out(ctx.account_id, policy)
        if policy.tags:
            out["Tags"] = self.tag_list(policy.tags)
        return {"Policy": out}

    @operation("GetPolicy", read_only=True, resource=policy_resource)
    def get_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        policy = self.managed(ctx.account_id, p["PolicyArn"])
        return {"Policy": self.policy_out(ctx.account_id, policy, detail=True)}

    @operation("ListPolicies", read_only=True)
    def list_policies(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        scope = p.get("Scope", "All")
        prefix = p.get("PathPrefix", "/")
        found: list[ManagedPolicy | AwsManagedPolicy] = []
        if scope in ("All", "AWS"):
            found += list(managed_policies.AWS_MANAGED.values())
        if scope in ("All", "Local"):
            found += list(self.account(ctx.account_id).policies.values())
        rows = [
            self.policy_out(ctx.account_id, pol)
            for pol in sorted(found, key=lambda pol: pol.name.lower())
            if (pol.path if isinstance(pol, ManagedPolicy) else "/").startswith(prefix)
        ]
        if p.get("OnlyAttached"):
            rows = [r for r in rows if r["AttachmentCount"] or r["PermissionsBoundaryUsageCount"]]
        chunk, more = self.page(rows, p)
        return {"Policies": chunk, **more}

    @operation("DeletePolicy", resource=policy_resource)
    def delete_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        policy = self.customer(ctx, p["PolicyArn"], "DeletePolicy")
        if self.attachment_count(ctx.account_id, policy.arn) or self.boundary_count(
            ctx.account_id, policy.arn
        ):
            raise DeleteConflictException("Cannot delete a policy attached to entities.")
        if len(policy.versions) > 1:
            raise DeleteConflictException(
                "This policy has more than one version. Before you delete a policy, you must "
                "delete the policy's versions. The default version is deleted with the policy."
            )
        del self.account(ctx.account_id).policies[policy.arn]
        return {}

    # -- versions -------------------------------------------------------------------------
    @operation("CreatePolicyVersion", resource=policy_resource)
    def create_policy_version(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        policy = self.customer(ctx, p["PolicyArn"], "CreatePolicyVersion")
        limit = self.limit(ctx.account_id, "versions_per_policy")
        if len(policy.versions) >= limit:
            raise LimitExceededException(
                f"A managed policy can have up to {limit} versions. Before you create a new "
                "version, you must delete an existing version."
            )
        self._check_size(ctx, p["PolicyDocument"])
        now = second(ctx.now)
        version = PolicyVersion(f"v{policy.next_version}", p["PolicyDocument"], now)
        policy.next_version += 1
        policy.versions.append(version)
        if p.get("SetAsDefault"):
            policy.default_version = version.version_id
            policy.updated = now
        return {
            "PolicyVersion": {
                "VersionId": version.version_id,
                "IsDefaultVersion": policy.default_version == version.version_id,
                "CreateDate": version.created,
            }
        }

    @operation("GetPolicyVersion", read_only=True, resource=policy_resource)
    def get_policy_version(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        policy = self.managed(ctx.account_id, p["PolicyArn"])
        if isinstance(policy, AwsManagedPolicy):
            if p["VersionId"] != policy.version:
                raise NoSuchEntityException(  # only the default version is kept here
                    f"Policy {policy.arn} version {p['VersionId']} does not exist or is not "
                    "attachable."
                )
            document, created, default = policy.document, policy.updated, True
        else:
            version = self._version(policy, p["VersionId"])
            document, created = version.document, version.created
            default = policy.default_version == version.version_id
        return {
            "PolicyVersion": {
                "Document": url_encoded(document),
                "VersionId": p["VersionId"],
                "IsDefaultVersion": default,
                "CreateDate": created,
            }
        }

    @operation("ListPolicyVersions", read_only=True, resource=policy_resource)
    def list_policy_versions(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        policy = self.managed(ctx.account_id, p["PolicyArn"])
        if isinstance(policy, AwsManagedPolicy):
            rows = [
                {
                    "VersionId": policy.version,
                    "IsDefaultVersion": True,
                    "CreateDate": policy.updated,
                }
            ]
        else:
            rows = [
                {
                    "VersionId": v.version_id,
                    "IsDefaultVersion": v.version_id == policy.default_version,
                    "CreateDate": v.created,
                }
                for v in reversed(policy.versions)
            ]
        chunk, more = self.page(rows, p)
        return {"Versions": chunk, **more}

    @operation("DeletePolicyVersion", resource=policy_resource)
    def delete_policy_version(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        policy = self.customer(ctx, p["PolicyArn"], "DeletePolicyVersion")
        version = self._version(policy, p["VersionId"])
        if version.version_id == policy.default_version:
            raise DeleteConflictException("Cannot delete the default version of a policy.")
        policy.versions.remove(version)
        return {}

    @operation("SetDefaultPolicyVersion", resource=policy_resource)
    def set_default_policy_version(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        policy = self.customer(ctx, p["PolicyArn"], "SetDefaultPolicyVersion")
        version = self._version(policy, p["VersionId"])
        policy.default_version = version.version_id
        policy.updated = second(ctx.now)
        return {}

    # -- tags -----------------------------------------------------------------------------
    @operation("TagPolicy", resource=policy_resource)
    def tag_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        policy = self.customer(ctx, p["PolicyArn"], "TagPolicy")
        policy.tags = self.merge_tags(ctx.account_id, policy.tags, p["Tags"], "tags_per_policy")
        return {}

    @operation("UntagPolicy", resource=policy_resource)
    def untag_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        policy = self.customer(ctx, p["PolicyArn"], "UntagPolicy")
        policy.tags = self.drop_tags(policy.tags, p["TagKeys"])
        return {}

    @operation("ListPolicyTags", read_only=True, resource=policy_resource)
    def list_policy_tags(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        policy = self.managed(ctx.account_id, p["PolicyArn"])
        tags = policy.tags if isinstance(policy, ManagedPolicy) else {}
        chunk, more = self.page(self.tag_list(tags), p)
        return {"Tags": chunk, **more}
