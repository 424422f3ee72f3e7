"""IAM calls in the audit trail: IAM's event source, read-only flags, no secrets."""

from __future__ import annotations

import json

from simulator import Cloud


def test_iam_events_are_recorded_without_secrets(cloud: Cloud) -> None:
    iam = cloud.client("iam")
    iam.create_user(UserName="alice")
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    iam.list_users()
    (created,) = cloud.trail.events(event_name="CreateUser")
    assert created["eventSource"] == "iam.amazonaws.com"
    assert created["readOnly"] is False
    assert created["requestParameters"] == {"userName": "alice"}
    assert created["userIdentity"]["arn"].endswith(":user/Administrator")
    (listed,) = cloud.trail.events(event_name="ListUsers")
    assert listed["readOnly"] is True
    (made,) = cloud.trail.events(event_name="CreateAccessKey")
    assert made["responseElements"]["accessKey"]["accessKeyId"] == key["AccessKeyId"]
    assert key["SecretAccessKey"] not in json.dumps(list(cloud.trail))
