"""Services are created on first use (services/table.py), and nothing a learner sees depends
on when: ids, IAM users, EventBridge targets, scheduled jobs, mail links and snapshots."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from simulator import Cloud
from simulator.services import table


def test_a_kms_lesson_creates_only_kms() -> None:
    cloud = Cloud(seed=1)
    assert list(cloud._services) == []
    cloud.client("kms").create_key()
    assert list(cloud._services) == ["kms"]
    assert set(table.BUILT_IN) <= set(cloud.service_names())  # answered, created or not


def test_importing_the_simulator_imports_no_service_package() -> None:
    code = (
        "import sys, simulator\n"
        "print(sorted(m for m in sys.modules if m.startswith('simulator.services.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['simulator.services.base', 'simulator.services.table']"


def test_iam_created_late_still_dates_the_administrator_from_the_account() -> None:
    cloud = Cloud(seed=1)
    created = cloud.clock.now()
    cloud.clock.advance(days=3)
    user = cloud.client("iam").get_user(UserName="Administrator")["User"]
    assert user["CreateDate"] == created.replace(microsecond=0)


def test_accounts_made_before_and_after_iam_are_both_adopted() -> None:
    cloud = Cloud(seed=1)
    early = cloud.create_account()
    cloud.client("iam").list_users()  # IAM exists from here on
    late = cloud.create_account()
    for account in (early, late):
        iam = cloud.client("iam", account_id=account.account_id)
        names = [u["UserName"] for u in iam.list_users()["Users"]]
        assert names == ["Administrator"]


def test_an_eventbridge_target_creates_its_service() -> None:
    """A rule targeting SNS before SNS was ever used: the delivery reaches SNS, which answers
    that the topic does not exist (not "no handler")."""
    cloud = Cloud(seed=1)
    events = cloud.client("events")
    account = cloud.default_account.account_id
    events.put_rule(Name="r", EventPattern=json.dumps({"source": ["app"]}))
    topic = f"arn:aws:sns:us-east-1:{account}:missing"
    events.put_targets(Rule="r", Targets=[{"Id": "t", "Arn": topic}])
    assert "sns" not in cloud._services
    events.put_events(Entries=[{"Source": "app", "DetailType": "x", "Detail": "{}"}])
    assert "sns" in cloud._services
    [delivery] = cloud.service("events").deliveries  # type: ignore[attr-defined]
    assert delivery.target_arn == topic
    assert delivery.status.value == "FAILED"
    assert "No simulated service" not in (delivery.reason or "")


def test_a_snapshot_restores_only_what_was_created_and_carries_on_identically(
    tmp_path: Path,
) -> None:
    cloud = Cloud(seed=5)
    cloud.client("kms").create_key()
    restored = Cloud.load(cloud.save(tmp_path / "w.json"))
    assert list(restored._services) == ["kms"]
    # IAM is created after the load in both worlds: the same users, the same next ids.
    for world in (cloud, restored):
        world.client("iam").create_user(UserName="alice")
    assert (
        restored.client("iam").get_user(UserName="alice")["User"]["UserId"]
        == cloud.client("iam").get_user(UserName="alice")["User"]["UserId"]
    )
    assert (
        restored.client("kms").create_key()["KeyMetadata"]["KeyId"]
        == cloud.client("kms").create_key()["KeyMetadata"]["KeyId"]
    )
