"""End to end: an EventBridge rule targeting an SNS topic with a confirmed e-mail subscription.

EventBridge may only publish to a topic whose access policy allows events.amazonaws.com
(EventBridge user guide, "Amazon SNS permissions"); with the default policy the delivery fails.
"""

from __future__ import annotations

import json
from typing import Any

import boto3

from simulator import Cloud

MAIL = "ops@example.com"


def _policy(arn: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "events.amazonaws.com"},
                    "Action": "sns:Publish",
                    "Resource": arn,
                }
            ],
        }
    )


def _wire(cloud: Cloud, events: Any, sns: Any, policy: bool) -> str:
    account = cloud.default_account.account_id
    arn = f"arn:aws:sns:us-east-1:{account}:orders"
    attrs = {"Policy": _policy(arn)} if policy else {}
    assert sns.create_topic(Name="orders", Attributes=attrs)["TopicArn"] == arn
    sns.subscribe(TopicArn=arn, Protocol="email", Endpoint=MAIL)
    page = cloud.mail.follow(cloud.mail.inbox(MAIL)[0].link("Confirm subscription"))
    assert "Subscription confirmed" in page
    events.put_rule(Name="orders", EventPattern=json.dumps({"source": ["my.shop"]}))
    events.put_targets(Rule="orders", Targets=[{"Id": "topic", "Arn": arn}])
    return arn


def _put(events: Any) -> None:
    resp = events.put_events(
        Entries=[
            {"Source": "my.shop", "DetailType": "Order Placed", "Detail": '{"order": 42}'},
        ]
    )
    assert resp["FailedEntryCount"] == 0


def test_rule_publishes_the_event_to_the_topic_and_the_mail_arrives(cloud: Cloud) -> None:
    with cloud.patch_boto3():  # unmodified boto3 code, as a learner would write it
        events = boto3.client("events", region_name="us-east-1")
        sns = boto3.client("sns", region_name="us-east-1")
        arn = _wire(cloud, events, sns, policy=True)
        _put(events)
    inbox = cloud.mail.inbox(MAIL)
    assert len(inbox) == 2
    mail = inbox[-1]
    assert mail.subject == "AWS Notification Message"
    event = json.loads(mail.body.split("\n\n--\n", 1)[0])
    assert event["source"] == "my.shop"
    assert event["detail-type"] == "Order Placed"
    assert event["detail"] == {"order": 42}
    [record] = cloud.service("events").deliveries_for("orders")
    assert record.status.value == "SUCCEEDED"
    assert record.target_arn == arn


def test_default_topic_policy_refuses_eventbridge(cloud: Cloud) -> None:
    events, sns = cloud.client("events"), cloud.client("sns")
    _wire(cloud, events, sns, policy=False)
    _put(events)
    assert len(cloud.mail.inbox(MAIL)) == 1  # the confirmation only
    [record] = cloud.service("events").deliveries_for("orders")
    assert record.status.value == "FAILED"
    assert "does not allow events.amazonaws.com" in (record.reason or "")


def test_missing_topic_is_a_failed_delivery(cloud: Cloud) -> None:
    events = cloud.client("events")
    account = cloud.default_account.account_id
    events.put_rule(Name="orders", EventPattern=json.dumps({"source": ["my.shop"]}))
    events.put_targets(
        Rule="orders", Targets=[{"Id": "t", "Arn": f"arn:aws:sns:us-east-1:{account}:gone"}]
    )
    _put(events)
    [record] = cloud.service("events").deliveries_for("orders")
    assert record.status.value == "FAILED"
    assert "does not exist" in (record.reason or "")
