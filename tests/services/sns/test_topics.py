"""SNS topics: CreateTopic, ListTopics, GetTopicAttributes, DeleteTopic."""

from __future__ import annotations

import json
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from simulator.services.sns import errors
from tests.conftest import error_code, error_message


def test_create_topic_returns_the_arn_and_is_idempotent(cloud: Cloud, sns_any: Any) -> None:
    account = cloud.default_account.account_id
    arn = sns_any.create_topic(Name="alerts")["TopicArn"]
    assert arn == f"arn:aws:sns:us-east-1:{account}:alerts"
    assert sns_any.create_topic(Name="alerts")["TopicArn"] == arn
    assert sns_any.list_topics()["Topics"] == [{"TopicArn": arn}]


def test_same_name_with_other_attributes_is_refused(sns_any: Any) -> None:
    sns_any.create_topic(Name="alerts", Attributes={"DisplayName": "A"})
    assert sns_any.create_topic(Name="alerts", Attributes={"DisplayName": "A"})["TopicArn"]
    with pytest.raises(ClientError) as excinfo:
        sns_any.create_topic(Name="alerts", Attributes={"DisplayName": "B"})
    assert error_code(excinfo) == "InvalidParameter"
    assert error_message(excinfo) == (
        "Invalid parameter: Attributes Reason: Topic already exists with different attributes"
    )


@pytest.mark.parametrize("name", ["", "has space", "x" * 257, "dot.name", "ünïcode"])
def test_invalid_topic_names_are_refused(sns: Any, name: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        sns.create_topic(Name=name)
    assert error_code(excinfo) == "InvalidParameter"
    assert error_message(excinfo) == "Invalid parameter: Topic Name"
    assert sns.list_topics()["Topics"] == []


def test_longest_name_is_accepted(sns: Any) -> None:
    assert sns.create_topic(Name="a-_9" * 64)["TopicArn"].endswith("a-_9" * 64)


def test_unknown_attribute_and_fifo(sns: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        sns.create_topic(Name="t", Attributes={"Colour": "red"})
    assert error_code(excinfo) == "InvalidParameter"
    with pytest.raises(ClientError) as excinfo:
        sns.create_topic(Name="t.fifo", Attributes={"FifoTopic": "true"})
    assert error_code(excinfo) == "NotSimulatedException"
    with pytest.raises(ClientError) as excinfo:
        sns.create_topic(Name="t", Attributes={"Policy": "not json"})
    assert error_code(excinfo) == "InvalidParameter"


def test_get_topic_attributes_defaults(cloud: Cloud, sns_any: Any) -> None:
    account = cloud.default_account.account_id
    arn = sns_any.create_topic(Name="alerts")["TopicArn"]
    attrs = sns_any.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert attrs["TopicArn"] == arn
    assert attrs["Owner"] == account
    assert attrs["DisplayName"] == ""
    assert (attrs["SubscriptionsConfirmed"], attrs["SubscriptionsPending"]) == ("0", "0")
    assert attrs["SubscriptionsDeleted"] == "0"
    policy = json.loads(attrs["Policy"])
    assert policy["Id"] == "__default_policy_ID"
    statement = policy["Statement"][0]
    assert statement["Resource"] == arn
    assert statement["Condition"] == {"StringEquals": {"AWS:SourceOwner": account}}
    assert "SNS:Publish" in statement["Action"]
    assert "http" in json.loads(attrs["EffectiveDeliveryPolicy"])


def test_display_name_is_returned(sns: Any) -> None:
    arn = sns.create_topic(Name="alerts", Attributes={"DisplayName": "Ops"})["TopicArn"]
    assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["DisplayName"] == "Ops"


def test_get_attributes_of_missing_or_malformed_topic(cloud: Cloud, sns_any: Any) -> None:
    account = cloud.default_account.account_id
    with pytest.raises(ClientError) as excinfo:
        sns_any.get_topic_attributes(TopicArn=f"arn:aws:sns:us-east-1:{account}:nope")
    assert error_code(excinfo) == "NotFound"
    assert error_message(excinfo) == "Topic does not exist"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(ClientError) as excinfo:
        sns_any.get_topic_attributes(TopicArn="not-an-arn")
    assert error_code(excinfo) == "InvalidParameter"
    assert error_message(excinfo) == "Invalid parameter: TopicArn"


def test_topics_are_per_region(cloud: Cloud, sns: Any) -> None:
    arn = sns.create_topic(Name="alerts")["TopicArn"]
    west = cloud.client("sns", region_name="eu-west-1")
    assert west.list_topics()["Topics"] == []
    with pytest.raises(ClientError) as excinfo:
        west.get_topic_attributes(TopicArn=arn)
    assert error_code(excinfo) == "InvalidParameter"


def test_delete_topic_removes_subscriptions_and_is_idempotent(sns_any: Any) -> None:
    arn = sns_any.create_topic(Name="alerts")["TopicArn"]
    sns_any.subscribe(TopicArn=arn, Protocol="email", Endpoint="ops@example.com")
    sns_any.delete_topic(TopicArn=arn)
    assert sns_any.list_topics()["Topics"] == []
    assert sns_any.list_subscriptions()["Subscriptions"] == []
    sns_any.delete_topic(TopicArn=arn)  # AWS: no error for a topic that does not exist
    with pytest.raises(ClientError) as excinfo:
        sns_any.get_topic_attributes(TopicArn=arn)
    assert error_code(excinfo) == "NotFound"


def test_list_topics_pages_by_100(sns: Any) -> None:
    for n in range(105):
        sns.create_topic(Name=f"t{n:03d}")
    first = sns.list_topics()
    assert len(first["Topics"]) == 100
    second = sns.list_topics(NextToken=first["NextToken"])
    assert len(second["Topics"]) == 5
    assert "NextToken" not in second


def test_snapshot_round_trip(tmp_path: Any, cloud: Cloud, sns: Any) -> None:
    arn = sns.create_topic(Name="alerts", Tags=[{"Key": "team", "Value": "ops"}])["TopicArn"]
    sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="ops@example.com")
    service = cloud.service("sns")
    before = service.dump()
    service.restore(json.loads(json.dumps(before)))
    assert service.dump() == before


def test_error_codes_are_declared_in_the_model() -> None:
    model = botocore.session.get_session().get_service_model("sns")
    declared = {
        s.metadata["error"]["code"]: s.metadata["error"]["httpStatusCode"]
        for s in model.error_shapes
        if s.metadata.get("error")
    }
    for cls in errors.ALL:
        assert declared[cls.code] == cls.status


def test_saved_cloud_keeps_topics_and_confirmation_links(tmp_path: Any, cloud: Cloud) -> None:
    sns = cloud.client("sns")
    arn = sns.create_topic(Name="alerts")["TopicArn"]
    sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="ops@example.com")
    path = cloud.save(tmp_path / "world")
    loaded = Cloud.load(path)
    link = loaded.mail.inbox("ops@example.com")[0].link("Confirm subscription")
    assert "Subscription confirmed" in loaded.mail.follow(link)
    attrs = loaded.client("sns").get_topic_attributes(TopicArn=arn)["Attributes"]
    assert attrs["SubscriptionsConfirmed"] == "1"
