"""SNS Publish: delivery to confirmed e-mail (plain text and JSON) and Lambda subscriptions,
and the documented refusals."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from simulator.core.events import TargetDeliveryError
from simulator.services.sns.delivery import LambdaDelivery
from simulator.services.sns.model import DeliveryStatus
from tests.conftest import error_code, error_message

MAIL = "ops@example.com"
FUNCTION = "arn:aws:lambda:us-east-1:111122223333:function:notify"


def _confirmed(cloud: Cloud, sns: Any, protocol: str, address: str = MAIL) -> tuple[str, str]:
    arn = str(sns.create_topic(Name="alerts")["TopicArn"])
    sub = sns.subscribe(
        TopicArn=arn, Protocol=protocol, Endpoint=address, ReturnSubscriptionArn=True
    )["SubscriptionArn"]
    cloud.mail.follow(cloud.mail.inbox(address)[-1].link("Confirm subscription"))
    return arn, str(sub)


def test_publish_to_email_sends_the_plain_text_mail(cloud: Cloud, sns_any: Any) -> None:
    arn, sub = _confirmed(cloud, sns_any, "email")
    message_id = sns_any.publish(TopicArn=arn, Message="disk full", Subject="Alarm")["MessageId"]
    assert len(message_id) == 36
    mail = cloud.mail.inbox(MAIL)[-1]
    assert mail.subject == "Alarm"
    assert mail.sender == "AWS Notifications <no-reply@sns.amazonaws.com>"
    assert mail.body.startswith("disk full\n\n--\nIf you wish to stop receiving notifications")
    assert "unsubscribe.html?SubscriptionArn=" in mail.body
    # Following the unsubscribe link removes the subscription.
    cloud.mail.follow(mail.link("Unsubscribe"))
    assert sns_any.list_subscriptions()["Subscriptions"] == []
    sns_any.publish(TopicArn=arn, Message="again")
    assert [m.subject for m in cloud.mail.inbox(MAIL)][1:] == ["Alarm"]
    attrs = sns_any.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert attrs["SubscriptionsDeleted"] == "1"


def test_default_subject_and_display_name(cloud: Cloud, sns: Any) -> None:
    arn = sns.create_topic(Name="alerts", Attributes={"DisplayName": "Ops"})["TopicArn"]
    sns.subscribe(TopicArn=arn, Protocol="email", Endpoint=MAIL)
    assert cloud.mail.inbox(MAIL)[0].sender == "Ops <no-reply@sns.amazonaws.com>"
    cloud.mail.follow(cloud.mail.inbox(MAIL)[0].link("Confirm"))
    sns.publish(TopicArn=arn, Message="hi")
    assert cloud.mail.inbox(MAIL)[-1].subject == "AWS Notification Message"


def test_publish_to_email_json_sends_the_json_document(cloud: Cloud, sns_any: Any) -> None:
    arn, sub = _confirmed(cloud, sns_any, "email-json")
    message_id = sns_any.publish(
        TopicArn=arn,
        Message="disk full",
        Subject="Alarm",
        MessageAttributes={"severity": {"DataType": "String", "StringValue": "high"}},
    )["MessageId"]
    doc = json.loads(cloud.mail.inbox(MAIL)[-1].body)
    assert doc["Type"] == "Notification"
    assert doc["MessageId"] == message_id
    assert doc["TopicArn"] == arn
    assert doc["Subject"] == "Alarm"
    assert doc["Message"] == "disk full"
    assert doc["Timestamp"] == "2026-01-05T09:00:00.000Z"
    assert doc["SignatureVersion"] == "1"
    assert "SubscriptionArn=" in doc["UnsubscribeURL"]
    assert doc["MessageAttributes"] == {"severity": {"Type": "String", "Value": "high"}}


def test_pending_subscriptions_get_nothing(cloud: Cloud, sns: Any) -> None:
    arn = sns.create_topic(Name="alerts")["TopicArn"]
    sns.subscribe(TopicArn=arn, Protocol="email", Endpoint=MAIL)
    sns.publish(TopicArn=arn, Message="hello")
    assert len(cloud.mail.inbox(MAIL)) == 1  # the confirmation only


def test_message_structure_json_picks_the_protocol_entry(cloud: Cloud, sns: Any) -> None:
    arn, _ = _confirmed(cloud, sns, "email")
    body = json.dumps({"default": "plain", "email": "for e-mail"})
    sns.publish(TopicArn=arn, Message=body, MessageStructure="json")
    assert cloud.mail.inbox(MAIL)[-1].body.startswith("for e-mail\n")
    with pytest.raises(ClientError) as excinfo:
        sns.publish(TopicArn=arn, Message='{"email": "x"}', MessageStructure="json")
    assert error_code(excinfo) == "InvalidParameter"
    assert error_message(excinfo) == (
        "Invalid parameter: Message Structure - No default entry in JSON message body"
    )


def test_lambda_delivery_to_a_missing_function_fails(cloud: Cloud, sns: Any) -> None:
    arn = sns.create_topic(Name="alerts")["TopicArn"]
    sub = sns.subscribe(TopicArn=arn, Protocol="lambda", Endpoint=FUNCTION)["SubscriptionArn"]
    message_id = sns.publish(TopicArn=arn, Message="hello")["MessageId"]
    [record] = cloud.service("sns").deliveries
    assert record.status is DeliveryStatus.FAILED
    assert record.subscription_arn == sub
    assert record.message_id == message_id
    assert record.reason == f"Function not found: {FUNCTION}"


def test_a_subscribed_function_really_runs_with_the_sns_event(cloud: Cloud, sns: Any) -> None:
    """SNS invokes the function asynchronously with the documented Records/Sns event."""
    seen: list[dict[str, Any]] = []

    def notify(event: dict[str, Any], context: Any) -> None:
        seen.append(event)
        print("got", event["Records"][0]["Sns"]["Message"])

    account = cloud.default_account.account_id
    role = cloud.client("iam").create_role(
        RoleName="notify-role",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )["Role"]["Arn"]
    cloud.lambda_functions.register("notify", notify, role=role)
    function = f"arn:aws:lambda:us-east-1:{account}:function:notify"
    arn = sns.create_topic(Name="alerts")["TopicArn"]
    sub = sns.subscribe(TopicArn=arn, Protocol="lambda", Endpoint=function)["SubscriptionArn"]
    sns.publish(TopicArn=arn, Message="disk full", Subject="ops")
    [event] = seen
    record = event["Records"][0]
    assert (record["EventSource"], record["EventSubscriptionArn"]) == ("aws:sns", sub)
    assert (record["Sns"]["Message"], record["Sns"]["Subject"]) == ("disk full", "ops")
    [delivery] = cloud.service("sns").deliveries
    assert delivery.status is DeliveryStatus.SUCCEEDED
    assert "got disk full" in cloud.lambda_functions.logs("notify")


def test_lambda_deliveries_go_through_the_seam(cloud: Cloud, sns: Any) -> None:
    received: list[LambdaDelivery] = []

    def handler(delivery: LambdaDelivery) -> None:
        if "fail" in delivery.event["Records"][0]["Sns"]["Message"]:
            raise TargetDeliveryError("function threw")
        received.append(delivery)

    cloud.service("sns").register_lambda(handler)
    arn = sns.create_topic(Name="alerts")["TopicArn"]
    sub = sns.subscribe(TopicArn=arn, Protocol="lambda", Endpoint=FUNCTION)["SubscriptionArn"]
    sns.publish(TopicArn=arn, Message="hello", Subject="S")
    [delivery] = received
    assert delivery.function_arn == FUNCTION
    record = delivery.event["Records"][0]
    assert record["EventSource"] == "aws:sns"
    assert record["EventSubscriptionArn"] == sub
    assert record["Sns"]["Message"] == "hello"
    assert record["Sns"]["Subject"] == "S"
    sns.publish(TopicArn=arn, Message="fail")
    statuses = [(d.status, d.reason) for d in cloud.service("sns").deliveries]
    assert statuses == [(DeliveryStatus.SUCCEEDED, None), (DeliveryStatus.FAILED, "function threw")]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"Message": ""}, "Invalid parameter: Empty message"),
        ({"Message": "x" * (256 * 1024 + 1)}, "Invalid parameter: Message too long"),
        ({"Message": "m", "Subject": "line\nbreak"}, "Invalid parameter: Subject"),
        ({"Message": "m", "Subject": "s" * 100}, "Invalid parameter: Subject"),
        ({"Message": "m", "Subject": "café"}, "Invalid parameter: Subject"),
    ],
)
def test_publish_refusals(cloud: Cloud, sns: Any, kwargs: dict[str, Any], message: str) -> None:
    arn, _ = _confirmed(cloud, sns, "email")
    with pytest.raises(ClientError) as excinfo:
        sns.publish(TopicArn=arn, **kwargs)
    assert error_code(excinfo) == "InvalidParameter"
    assert error_message(excinfo) == message
    assert len(cloud.mail.inbox(MAIL)) == 1


def test_publish_message_of_exactly_256_kb(cloud: Cloud, sns: Any) -> None:
    arn, _ = _confirmed(cloud, sns, "email")
    sns.publish(TopicArn=arn, Message="x" * (256 * 1024), Subject="s" * 99)
    assert len(cloud.mail.inbox(MAIL)) == 2


def test_bad_message_attributes(cloud: Cloud, sns: Any) -> None:
    arn, _ = _confirmed(cloud, sns, "email")
    for attrs in (
        {"a": {"DataType": "Colour", "StringValue": "red"}},
        {"a": {"DataType": "String"}},
        {"a": {"DataType": "Binary"}},
    ):
        with pytest.raises(ClientError) as excinfo:
            sns.publish(TopicArn=arn, Message="m", MessageAttributes=attrs)
        assert error_code(excinfo) == "InvalidParameter"
    binary = {"b": {"DataType": "Binary", "BinaryValue": b"\x01"}}
    sns.publish(TopicArn=arn, Message="m", MessageAttributes=binary)
    assert len(cloud.mail.inbox(MAIL)) == 2


def test_publish_to_missing_topic_and_unsimulated_targets(cloud: Cloud, sns_any: Any) -> None:
    account = cloud.default_account.account_id
    with pytest.raises(ClientError) as excinfo:
        sns_any.publish(TopicArn=f"arn:aws:sns:us-east-1:{account}:nope", Message="m")
    assert error_code(excinfo) == "NotFound"
    with pytest.raises(ClientError) as excinfo:
        sns_any.publish(PhoneNumber="+15555550100", Message="m")
    assert error_code(excinfo) == "NotSimulatedException"
    with pytest.raises(ClientError) as excinfo:
        sns_any.publish(Message="m")
    assert error_code(excinfo) == "InvalidParameter"
