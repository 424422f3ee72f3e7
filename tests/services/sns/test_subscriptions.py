"""SNS subscriptions: Subscribe, the confirmation mail, ConfirmSubscription, listing,
Unsubscribe."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from tests.conftest import error_code, error_message

MAIL = "ops@example.com"
FUNCTION = "arn:aws:lambda:us-east-1:111122223333:function:notify"


def _topic(sns: Any, name: str = "alerts") -> str:
    return str(sns.create_topic(Name=name)["TopicArn"])


def test_email_subscription_is_pending_and_mails_a_confirmation(cloud: Cloud, sns_any: Any) -> None:
    arn = _topic(sns_any)
    resp = sns_any.subscribe(TopicArn=arn, Protocol="email", Endpoint=MAIL)
    assert resp["SubscriptionArn"] == "pending confirmation"
    resp = sns_any.subscribe(TopicArn=arn, Protocol="email", Endpoint=MAIL)
    assert resp["SubscriptionArn"] == "pending confirmation"
    inbox = cloud.mail.inbox(MAIL)
    assert len(inbox) == 2  # subscribing again while pending mails the link again
    message = inbox[0]
    assert message.subject == "AWS Notification - Subscription Confirmation"
    assert arn in message.body
    assert message.link("Confirm subscription").action == "sns.confirm_subscription"
    listed = sns_any.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
    assert listed == [
        {
            "SubscriptionArn": "PendingConfirmation",
            "Owner": cloud.default_account.account_id,
            "Protocol": "email",
            "Endpoint": MAIL,
            "TopicArn": arn,
        }
    ]
    attrs = sns_any.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert (attrs["SubscriptionsPending"], attrs["SubscriptionsConfirmed"]) == ("1", "0")


def test_following_the_link_confirms(cloud: Cloud, sns_any: Any) -> None:
    arn = _topic(sns_any)
    sub_arn = sns_any.subscribe(
        TopicArn=arn, Protocol="email-json", Endpoint=MAIL, ReturnSubscriptionArn=True
    )["SubscriptionArn"]
    assert sub_arn.startswith(arn + ":")
    page = cloud.mail.follow(cloud.mail.inbox(MAIL)[0].link("Confirm subscription"))
    assert sub_arn in page
    listed = sns_any.list_subscriptions()["Subscriptions"]
    assert [s["SubscriptionArn"] for s in listed] == [sub_arn]
    attrs = sns_any.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert (attrs["SubscriptionsPending"], attrs["SubscriptionsConfirmed"]) == ("0", "1")
    # Subscribing a confirmed endpoint again answers its ARN, without another mail.
    again = sns_any.subscribe(TopicArn=arn, Protocol="email-json", Endpoint=MAIL)
    assert again["SubscriptionArn"] == sub_arn
    assert len(cloud.mail.inbox(MAIL)) == 1


def test_confirm_subscription_with_the_token(cloud: Cloud, sns_any: Any) -> None:
    arn = _topic(sns_any)
    sns_any.subscribe(TopicArn=arn, Protocol="email", Endpoint=MAIL)
    token = cloud.mail.inbox(MAIL)[0].link("Confirm").args["token"]
    sub_arn = sns_any.confirm_subscription(TopicArn=arn, Token=token)["SubscriptionArn"]
    assert sns_any.list_subscriptions()["Subscriptions"][0]["SubscriptionArn"] == sub_arn
    with pytest.raises(ClientError) as excinfo:
        sns_any.confirm_subscription(TopicArn=arn, Token="0" * 64)
    assert error_code(excinfo) == "InvalidParameter"
    assert error_message(excinfo) == "Invalid token"
    with pytest.raises(ClientError) as excinfo:
        sns_any.confirm_subscription(TopicArn=arn + "-gone", Token=token)
    assert error_code(excinfo) == "NotFound"


def test_link_of_a_deleted_topic_does_nothing(cloud: Cloud, sns: Any) -> None:
    arn = _topic(sns)
    sns.subscribe(TopicArn=arn, Protocol="email", Endpoint=MAIL)
    sns.delete_topic(TopicArn=arn)
    assert "no longer exists" in cloud.mail.follow(cloud.mail.inbox(MAIL)[0].link("Confirm"))
    assert sns.list_subscriptions()["Subscriptions"] == []


def test_lambda_subscription_is_confirmed_at_once(sns_any: Any) -> None:
    arn = _topic(sns_any)
    sub_arn = sns_any.subscribe(TopicArn=arn, Protocol="lambda", Endpoint=FUNCTION)[
        "SubscriptionArn"
    ]
    assert sub_arn.startswith(arn + ":")
    listed = sns_any.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
    assert listed[0]["SubscriptionArn"] == sub_arn
    assert listed[0]["Protocol"] == "lambda"


@pytest.mark.parametrize(
    ("protocol", "endpoint", "code"),
    [
        ("carrier-pigeon", MAIL, "InvalidParameter"),
        ("email", "not-an-address", "InvalidParameter"),
        ("email", "", "InvalidParameter"),
        ("lambda", "notify", "InvalidParameter"),
        ("sqs", "arn:aws:sqs:us-east-1:111122223333:q", "NotSimulatedException"),
    ],
)
def test_subscribe_refusals(sns: Any, protocol: str, endpoint: str, code: str) -> None:
    arn = _topic(sns)
    with pytest.raises(ClientError) as excinfo:
        sns.subscribe(TopicArn=arn, Protocol=protocol, Endpoint=endpoint)
    assert error_code(excinfo) == code
    assert sns.list_subscriptions()["Subscriptions"] == []


def test_subscribe_to_missing_topic(cloud: Cloud, sns_any: Any) -> None:
    account = cloud.default_account.account_id
    with pytest.raises(ClientError) as excinfo:
        sns_any.subscribe(
            TopicArn=f"arn:aws:sns:us-east-1:{account}:nope", Protocol="email", Endpoint=MAIL
        )
    assert error_code(excinfo) == "NotFound"
    assert cloud.mail.inbox(MAIL) == []


def test_unsubscribe(cloud: Cloud, sns_any: Any) -> None:
    arn = _topic(sns_any)
    sub_arn = sns_any.subscribe(TopicArn=arn, Protocol="lambda", Endpoint=FUNCTION)[
        "SubscriptionArn"
    ]
    sns_any.unsubscribe(SubscriptionArn=sub_arn)
    assert sns_any.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"] == []
    attrs = sns_any.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert attrs["SubscriptionsDeleted"] == "1"
    with pytest.raises(ClientError) as excinfo:
        sns_any.unsubscribe(SubscriptionArn=sub_arn)
    assert error_code(excinfo) == "NotFound"
    with pytest.raises(ClientError) as excinfo:
        sns_any.unsubscribe(SubscriptionArn="pending confirmation")
    assert error_code(excinfo) == "InvalidParameter"


def test_list_subscriptions_by_missing_topic(cloud: Cloud, sns: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        sns.list_subscriptions_by_topic(
            TopicArn=f"arn:aws:sns:us-east-1:{cloud.default_account.account_id}:nope"
        )
    assert error_code(excinfo) == "NotFound"
