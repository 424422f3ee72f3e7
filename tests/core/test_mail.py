"""The simulated mail system: inboxes, action links, snapshots."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import pytest

from simulator import Cloud
from simulator.core.mail import MailError


def confirm_mail(cloud: Cloud, to: str | list[str] = "admin@example.com") -> None:
    cloud.mail.send(
        sender="no-reply@sns.amazonaws.com",
        to=to,
        subject="AWS Notification - Subscription Confirmation",
        body="You have chosen to subscribe to the topic alerts.",
        links=[("Confirm subscription", "test.confirm", {"token": "t-1", "topic": "alerts"})],
    )


def test_inbox_holds_messages_stamped_by_the_clock(cloud: Cloud) -> None:
    assert cloud.mail.inbox("admin@example.com") == []
    cloud.clock.advance(hours=2)
    confirm_mail(cloud)
    (message,) = cloud.mail.inbox("admin@example.com")
    assert message.sender == "no-reply@sns.amazonaws.com"
    assert message.to == "admin@example.com"
    assert message.subject == "AWS Notification - Subscription Confirmation"
    assert "subscribe" in message.body
    assert message.sent_at == _dt.datetime(2026, 1, 5, 11, tzinfo=_dt.UTC)
    assert [link.label for link in message.links] == ["Confirm subscription"]


def test_addresses_are_case_insensitive_and_separate(cloud: Cloud) -> None:
    confirm_mail(cloud, ["Admin@Example.com", "ops@example.com"])
    assert len(cloud.mail.inbox("admin@example.com")) == 1
    assert len(cloud.mail.inbox("OPS@example.com")) == 1
    assert cloud.mail.inbox("someone@example.com") == []
    assert cloud.mail.addresses() == ["admin@example.com", "ops@example.com"]
    first, second = cloud.mail.inbox("admin@example.com")[0], cloud.mail.inbox("ops@example.com")[0]
    assert first.links[0].url != second.links[0].url  # each copy has its own link


def test_following_a_link_runs_the_registered_action(cloud: Cloud) -> None:
    calls: list[dict[str, Any]] = []

    def confirm(args: dict[str, Any]) -> str:
        calls.append(args)
        return "arn:aws:sns:us-east-1:111122223333:alerts:sub-1"

    cloud.mail.register_action("test.confirm", confirm)
    confirm_mail(cloud)
    (message,) = cloud.mail.inbox("admin@example.com")
    assert cloud.mail.follow(message.link("confirm")) == (
        "arn:aws:sns:us-east-1:111122223333:alerts:sub-1"
    )
    assert calls == [{"token": "t-1", "topic": "alerts"}]
    cloud.mail.follow(message.links[0].url)  # by URL, as a learner might paste it
    assert len(calls) == 2
    assert len(message.links[0].followed) == 2


def test_links_that_cannot_be_followed(cloud: Cloud) -> None:
    confirm_mail(cloud)
    (message,) = cloud.mail.inbox("admin@example.com")
    with pytest.raises(MailError, match="nothing handles links of kind 'test.confirm'"):
        cloud.mail.follow(message.links[0])
    with pytest.raises(MailError, match="no message in this Cloud has the link"):
        cloud.mail.follow("https://example.com/unknown")
    with pytest.raises(MailError, match="no link labelled 'unsubscribe'"):
        message.link("unsubscribe")


def test_mail_survives_snapshots(cloud: Cloud, tmp_path: Path) -> None:
    confirm_mail(cloud)
    path = cloud.save(tmp_path / "world.json")
    loaded = Cloud.load(path)
    (message,) = loaded.mail.inbox("admin@example.com")
    original = cloud.mail.inbox("admin@example.com")[0]
    assert message == original
    seen: list[dict[str, Any]] = []
    loaded.mail.register_action("test.confirm", seen.append)  # services re-register on start
    loaded.mail.follow(message.links[0].url)
    assert seen == [{"token": "t-1", "topic": "alerts"}]
