"""IAM and STS quotas as data, registered in the Cloud's quota book (``core/quotas.py``).

Source: "IAM and AWS STS quotas" (https://docs.aws.amazon.com/IAM/latest/UserGuide/
reference_iam-quotas.html; the adjustable/not-adjustable split is the page's own). Sizes of
policies are counted in characters without white space, as IAM counts them. A learner can raise
the adjustable ones like any quota: ``cloud.quotas.adjust(acct, "managed_policies_per_role",
20, service="iam")``. IAM is global, so the Region passed to the book is always ``GLOBAL``.
"""

from __future__ import annotations

from simulator.core import quotas
from simulator.core.quotas import RESOURCE, Quota

SOURCE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"
GLOBAL = "us-east-1"  # the Region IAM's control plane lives in; quotas do not vary by Region


def _row(name: str, description: str, default: int, adjustable: bool, unit: str) -> Quota:
    return Quota("iam", name, description, default, adjustable, RESOURCE, unit, source=SOURCE)


IAM_QUOTAS: tuple[Quota, ...] = (
    _row("users_per_account", "Users in an AWS account", 5000, False, "users"),
    _row("groups_per_account", "Groups in an AWS account", 300, True, "groups"),
    _row("roles_per_account", "Roles in an AWS account", 1000, True, "roles"),
    _row(
        "customer_managed_policies",
        "Customer managed policies in an AWS account",
        1500,
        True,
        "policies",
    ),
    _row(
        "managed_policies_per_role",
        "Managed policies attached to an IAM role",
        10,
        True,
        "policies",
    ),
    _row(
        "managed_policies_per_user",
        "Managed policies attached to an IAM user",
        10,
        True,
        "policies",
    ),
    _row(
        "managed_policies_per_group",
        "Managed policies attached to an IAM group",
        10,
        False,
        "policies",
    ),
    _row("role_trust_policy_length", "Role trust policy length", 2048, True, "characters"),
    _row("access_keys_per_user", "Access keys assigned to an IAM user", 2, False, "keys"),
    _row("groups_per_user", "Groups an IAM user can be a member of", 10, False, "groups"),
    _row(
        "versions_per_policy",
        "Versions of a managed policy that can be stored",
        5,
        False,
        "versions",
    ),
    _row("tags_per_user", "Tags that can be attached to an IAM user", 50, False, "tags"),
    _row("tags_per_role", "Tags that can be attached to an IAM role", 50, False, "tags"),
    _row(
        "tags_per_policy",
        "Tags that can be attached to a customer managed policy",
        50,
        False,
        "tags",
    ),
    _row("user_policy_size", "Aggregate inline policy size for a user", 2048, False, "characters"),
    _row(
        "group_policy_size", "Aggregate inline policy size for a group", 5120, False, "characters"
    ),
    _row("role_policy_size", "Aggregate inline policy size for a role", 10240, False, "characters"),
    _row("managed_policy_size", "Managed policy size", 6144, False, "characters"),
)

quotas.register(*IAM_QUOTAS)
