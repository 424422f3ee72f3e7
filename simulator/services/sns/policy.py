"""SNS topic access policies: the default policy a new topic gets, and the one question the
simulator asks of a policy, whether an AWS service principal may publish to the topic
(EventBridge user guide, "Amazon SNS permissions": the topic policy must allow
``events.amazonaws.com`` to call ``sns:Publish``). Full policy evaluation is not simulated.
"""

from __future__ import annotations

import json
from typing import Any


def default_policy(arn: str, account: str) -> str:
    """The access policy SNS gives a new topic: only the owner account may use it."""
    return json.dumps(
        {
            "Version": "2008-10-17",
            "Id": "__default_policy_ID",
            "Statement": [
                {
                    "Sid": "__default_statement_ID",
                    "Effect": "Allow",
                    "Principal": {"AWS": "*"},
                    "Action": [
                        "SNS:GetTopicAttributes",
                        "SNS:SetTopicAttributes",
                        "SNS:AddPermission",
                        "SNS:RemovePermission",
                        "SNS:DeleteTopic",
                        "SNS:Subscribe",
                        "SNS:ListSubscriptionsByTopic",
                        "SNS:Publish",
                    ],
                    "Resource": arn,
                    "Condition": {"StringEquals": {"AWS:SourceOwner": account}},
                }
            ],
        },
        separators=(",", ":"),
    )


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def allows_service_publish(policy: str, service: str) -> bool:
    """Whether a topic policy lets the AWS ``service`` principal call sns:Publish."""
    try:
        doc = json.loads(policy)
    except ValueError:
        return False
    statements = doc.get("Statement", []) if isinstance(doc, dict) else []
    for st in _as_list(statements):
        if not isinstance(st, dict) or st.get("Effect") != "Allow":
            continue
        actions = [str(a).lower() for a in _as_list(st.get("Action", []))]
        if not {"sns:publish", "sns:*", "*"} & set(actions):
            continue
        principal = st.get("Principal")
        if principal == "*" and not st.get("Condition"):
            return True
        if isinstance(principal, dict) and service in _as_list(principal.get("Service", [])):
            return True
    return False
