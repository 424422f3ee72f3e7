"""simulator.lab.views: trail tables and the keys table, checked value by value."""

from __future__ import annotations

import datetime as dt

import pandas
import pytest

from simulator import Cloud
from simulator.lab import views
from tests.lab.conftest import Story

UTC = dt.UTC


def test_trail_frame_accepts_cloud_trail_and_frame(story: Story) -> None:
    from_cloud = views.trail_frame(story.cloud)
    from_trail = views.trail_frame(story.cloud.trail)
    assert len(from_cloud) == len(from_trail) == 8
    assert views.trail_frame(from_cloud) is from_cloud
    with pytest.raises(TypeError, match="Cloud, a Trail or a DataFrame"):
        views.trail_frame(42)


def test_trail_summary_counts_per_event_name_and_outcome(story: Story) -> None:
    summary = views.trail_summary(story.cloud)
    assert list(summary.columns) == ["eventName", "outcome", "count"]
    rows = [tuple(r) for r in summary.itertuples(index=False)]
    assert rows == [
        ("CreateKey", "OK", 1),
        ("CreateAlias", "OK", 1),
        ("Encrypt", "OK", 1),
        ("Decrypt", "InvalidCiphertextException", 1),
        ("DisableKey", "OK", 1),
        ("Encrypt", "DisabledException", 1),
        ("ScheduleKeyDeletion", "OK", 1),
        ("DeleteKey", "OK", 1),
    ]
    assert summary["count"].sum() == len(story.cloud.trail)


def test_trail_summary_groups_repeated_calls() -> None:
    cloud = Cloud(seed=1)
    kms = cloud.client("kms")
    for _ in range(3):
        kms.create_key()
    kms.list_keys()
    summary = views.trail_summary(cloud)
    assert summary.to_dict("records") == [
        {"eventName": "CreateKey", "outcome": "OK", "count": 3},
        {"eventName": "ListKeys", "outcome": "OK", "count": 1},
    ]


def test_empty_trail_gives_empty_tables_with_columns() -> None:
    cloud = Cloud(seed=1)
    assert list(views.trail_summary(cloud).columns) == views.SUMMARY_COLUMNS
    assert views.trail_summary(cloud).empty
    assert list(views.errors_table(cloud).columns) == views.ERROR_COLUMNS
    assert views.errors_table(cloud).empty


def test_errors_table_lists_only_failures_with_times(story: Story) -> None:
    errors = views.errors_table(story.cloud)
    assert list(errors.columns) == ["eventTime", "eventName", "errorCode", "errorMessage"]
    assert errors["errorCode"].tolist() == ["InvalidCiphertextException", "DisabledException"]
    assert errors["eventName"].tolist() == ["Decrypt", "Encrypt"]
    five_past = pandas.Timestamp(dt.datetime(2026, 1, 5, 9, 5, tzinfo=UTC))
    assert errors["eventTime"].tolist() == [five_past, five_past]
    assert errors["errorMessage"][1].endswith(" is disabled.")


def test_outcomes_marks_success_as_ok(story: Story) -> None:
    frame = views.trail_frame(story.cloud)
    assert views.outcomes(frame).value_counts().to_dict() == {
        "OK": 6, "InvalidCiphertextException": 1, "DisabledException": 1}


def test_keys_table_describes_every_key_with_aliases() -> None:
    cloud = Cloud(seed=3)
    kms = cloud.client("kms", region_name="eu-west-1")
    first = kms.create_key(Description="first")["KeyMetadata"]["KeyId"]
    second = kms.create_key(Description="second")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/b", TargetKeyId=first)
    kms.create_alias(AliasName="alias/a", TargetKeyId=first)
    kms.disable_key(KeyId=second)
    cloud.clock.advance(hours=1)
    kms.schedule_key_deletion(KeyId=second, PendingWindowInDays=10)

    table = views.keys_table(kms)
    assert list(table.columns) == views.KEY_COLUMNS
    assert table["KeyId"].tolist() == [first, second]
    by_id = table.set_index("KeyId")
    assert by_id.loc[first, "Aliases"] == "alias/a, alias/b"
    assert by_id.loc[second, "Aliases"] == ""
    assert by_id.loc[first, "KeyState"] == "Enabled"
    assert bool(by_id.loc[first, "Enabled"]) is True
    assert by_id.loc[second, "KeyState"] == "PendingDeletion"
    assert by_id.loc[first, "Description"] == "first"
    assert by_id.loc[first, "KeySpec"] == "SYMMETRIC_DEFAULT"
    assert by_id.loc[first, "KeyManager"] == "CUSTOMER"
    assert by_id.loc[first, "CreationDate"] == pandas.Timestamp("2026-01-05T09:00:00Z")
    assert pandas.isna(by_id.loc[first, "DeletionDate"])
    assert by_id.loc[second, "DeletionDate"] == pandas.Timestamp("2026-01-15T10:00:00Z")
    for column in ("CreationDate", "DeletionDate"):
        dtype = table[column].dtype
        assert isinstance(dtype, pandas.DatetimeTZDtype)
        assert str(dtype.tz) == "UTC"


def test_keys_table_pages_through_many_keys() -> None:
    cloud = Cloud(seed=4)
    kms = cloud.client("kms")
    for i in range(105):  # ListKeys returns at most 100 per page by default
        kms.create_key(Description=f"k{i}")
    table = views.keys_table(kms)
    assert len(table) == 105
    assert table["Description"].tolist()[-1] == "k104"
    assert views.trail_summary(cloud).set_index("eventName").loc["ListKeys", "count"] == 2


def test_keys_table_of_empty_region() -> None:
    table = views.keys_table(Cloud(seed=1).client("kms"))
    assert table.empty
    assert list(table.columns) == views.KEY_COLUMNS
