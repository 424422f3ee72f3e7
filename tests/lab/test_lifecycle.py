"""The key-lifecycle scenario: actions, the state timeline, the state table, checks, widget."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from botocore.exceptions import ParamValidationError

from simulator import Cloud
from simulator.lab.lifecycle import (
    ALLOWED,
    DELETED,
    STATES,
    KeyLifecycle,
    check_deletion_scheduled,
    check_key_usable,
    key_state,
    lifecycle_widget,
    plot_key_states,
    state_table,
)


@pytest.fixture
def cloud() -> Cloud:
    return Cloud(seed=7)


@pytest.fixture
def kms(cloud: Cloud) -> Any:
    return cloud.client("kms", region_name="eu-west-1")


def test_a_whole_life_is_recorded_with_virtual_times(cloud: Cloud, kms: Any) -> None:
    lc = KeyLifecycle(cloud, kms)
    start = cloud.clock.now()
    assert lc.state == "Enabled" and lc.decrypt_sample().ok
    assert lc.disable().ok
    failed = lc.decrypt_sample()
    assert (failed.ok, failed.error_code) == (False, "DisabledException")
    lc.advance(1)
    too_short = lc.schedule_deletion(6)
    assert too_short.error_code == "ValidationException"
    assert "greater than or equal to 7" in str(too_short.error_message)
    scheduled = lc.schedule_deletion(10)
    assert scheduled.ok and "deletion in 10 days" in scheduled.summary
    assert lc.decrypt_sample().error_code == "KMSInvalidStateException"
    lc.advance(2)
    assert lc.cancel_deletion().ok and lc.state == "Disabled"  # not Enabled (K-CKD)
    assert lc.cancel_deletion().error_code == "KMSInvalidStateException"
    assert lc.enable().ok and lc.decrypt_sample().ok
    lc.advance(1)
    assert lc.schedule_deletion().summary.startswith("deletion in 30 days")
    deletion = lc.deletion_date
    outcome = lc.advance(45)
    assert "1 scheduled job(s) ran" in outcome.summary and lc.state == DELETED
    assert lc.decrypt_sample().error_code == "NotFoundException"
    day = dt.timedelta(days=1)
    assert [(p.state, p.time - start, p.cause) for p in lc.history] == [
        ("Enabled", 0 * day, "CreateKey"),
        ("Disabled", 0 * day, "DisableKey"),
        ("PendingDeletion", 1 * day, "ScheduleKeyDeletion"),
        ("Disabled", 3 * day, "CancelKeyDeletion"),
        ("Enabled", 3 * day, "EnableKey"),
        ("PendingDeletion", 4 * day, "ScheduleKeyDeletion"),
        ("Deleted", 34 * day, "DeleteKey (KMS)"),
    ]
    assert deletion == start + 34 * day
    spans = lc.spans()
    assert spans[-1][0] == DELETED and spans[-1][2] == cloud.clock.now()
    assert [s[0] for s in spans] == [p.state for p in lc.history]


def test_key_state_of_a_deleted_key_and_other_errors(cloud: Cloud, kms: Any) -> None:
    assert key_state(kms, "11111111-2222-3333-4444-555555555555") == DELETED
    with pytest.raises(ParamValidationError):  # any other error propagates
        key_state(kms, "")


def test_plot_draws_one_span_per_state(cloud: Cloud, kms: Any) -> None:
    lc = KeyLifecycle(cloud, kms)
    lc.advance(2)
    lc.disable()
    lc.advance(2)
    lc.schedule_deletion(7)
    lc.advance(10)
    fig = plot_key_states(lc)
    ax = fig.axes[0]
    gids = [p.get_gid() for p in ax.patches if p.get_gid()]
    assert gids == ["state:Enabled", "state:Disabled", "state:PendingDeletion", "state:Deleted"]
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["DisableKey", "ScheduleKeyDeletion", "DeleteKey (KMS)"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "Enabled",
        "Disabled",
        "PendingDeletion",
        "Deleted",
    ]


def test_plot_joins_actions_at_one_instant(cloud: Cloud, kms: Any) -> None:
    lc = KeyLifecycle(cloud, kms)
    lc.disable()
    lc.enable()
    texts = [t.get_text() for t in plot_key_states(lc).axes[0].texts]
    assert texts == ["DisableKey → EnableKey"]


def test_state_table_matches_the_documented_rules(kms: Any) -> None:
    table = state_table(kms)
    assert list(table.columns) == list(STATES)
    for op in ("Encrypt", "Decrypt", "GenerateDataKey"):
        assert table.loc[op].tolist() == [ALLOWED, "DisabledException", "KMSInvalidStateException"]
    assert table.loc["DescribeKey"].tolist() == [ALLOWED] * 3
    assert table.loc["CancelKeyDeletion"].tolist() == ["KMSInvalidStateException"] * 2 + [ALLOWED]
    assert table.loc["EnableKey"].tolist() == [ALLOWED, ALLOWED, "KMSInvalidStateException"]
    # Every probe key ends up pending deletion (tidy), none is left usable.
    states = {
        kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"]
        for k in kms.list_keys()["Keys"]
    }
    assert states == {"PendingDeletion"}


def test_state_table_subset(kms: Any) -> None:
    table = state_table(kms, ["DescribeKey"])
    assert table.index.tolist() == ["DescribeKey"]


def test_check_deletion_scheduled(cloud: Cloud, kms: Any) -> None:
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    now = cloud.clock.now()
    not_yet = check_deletion_scheduled(kms, key, now)
    assert not not_yet.ok and "not PendingDeletion" in not_yet.failed[0]
    kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=8)
    wrong = check_deletion_scheduled(kms, key, now)
    assert not wrong.ok and "8 days from now, not 7" in wrong.failed[0]
    assert check_deletion_scheduled(kms, key, now, days=8).ok
    other = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.schedule_key_deletion(KeyId=other, PendingWindowInDays=7)
    assert check_deletion_scheduled(kms, other, now).ok


def test_check_key_usable(cloud: Cloud, kms: Any) -> None:
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
    pending = check_key_usable(kms, key)
    assert not pending.ok and len(pending.failed) == 3
    kms.cancel_key_deletion(KeyId=key)
    disabled = check_key_usable(kms, key)
    assert not disabled.ok and "call EnableKey" in disabled.failed[0]
    assert "DisabledException" in disabled.failed[-1]
    kms.enable_key(KeyId=key)
    assert check_key_usable(kms, key).ok


def test_widget_buttons_drive_the_lifecycle(cloud: Cloud, kms: Any) -> None:
    lc = KeyLifecycle(cloud, kms)
    view = lifecycle_widget(lc).lifecycle_view
    assert "<b>Enabled</b>" in view.status.value
    first = bytes(view.image.value)
    view.buttons["disable"].click()
    assert lc.state == "Disabled" and "Disabled" in view.status.value
    view.buttons["decrypt"].click()
    assert "DisabledException" in view.output.value
    view.window.value = 7
    view.buttons["schedule"].click()
    assert lc.state == "PendingDeletion"
    view.buttons["cancel"].click()
    view.buttons["enable"].click()
    assert lc.state == "Enabled"
    view.buttons["schedule"].click()
    view.days.value = 30
    view.buttons["advance"].click()
    assert lc.state == DELETED and "Deleted" in view.status.value
    assert bytes(view.image.value) != first
