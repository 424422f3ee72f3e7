"""The rotation scenario: material versions over years, record materials, picture, checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from simulator import Cloud
from simulator.lab.rotation import (
    INITIAL,
    MATERIAL_COLUMNS,
    RotationStory,
    check_material_answer,
    check_rotation_enabled,
    list_materials,
)


@pytest.fixture
def story() -> RotationStory:
    cloud = Cloud(seed=7)
    story = RotationStory(cloud, cloud.client("kms", region_name="eu-west-1"))
    story.encrypt("year 0")
    story.enable_rotation(365)
    for year in (1, 2):
        assert story.advance(365) == 1  # one automatic rotation a year
        story.encrypt(f"year {year}")
    story.advance(30)
    story.rotate_on_demand()
    story.encrypt("on demand")
    return story


def test_materials_table_lists_every_version_with_its_period(story: RotationStory) -> None:
    table = story.materials()
    assert list(table.columns) == MATERIAL_COLUMNS
    assert table["version"].tolist() == [1, 2, 3, 4]
    assert table["RotationType"].tolist() == [INITIAL, "AUTOMATIC", "AUTOMATIC", "ON_DEMAND"]
    assert table["KeyMaterialState"].tolist() == ["NON_CURRENT"] * 3 + ["CURRENT"]
    start = table["current_from"].iloc[0]
    offsets = [(t - start).days for t in table["current_from"]]
    assert offsets == [0, 365, 730, 760]
    # Each version is current until the next one starts; the last until now.
    assert table["current_until"].tolist()[:3] == table["current_from"].tolist()[1:]
    assert table["current_until"].iloc[-1] == story.cloud.clock.now()
    current = story.kms.describe_key(KeyId=story.key_id)["KeyMetadata"]["CurrentKeyMaterialId"]
    assert table["KeyMaterialId"].iloc[-1] == current


def test_each_record_decrypts_with_the_material_current_when_it_was_made(
    story: RotationStory,
) -> None:
    table = story.materials()
    used = story.record_materials()
    assert used == dict(
        zip(["year 0", "year 1", "year 2", "on demand"], table["KeyMaterialId"], strict=True)
    )


def test_on_demand_rotation_keeps_the_automatic_schedule(story: RotationStory) -> None:
    status = story.kms.get_key_rotation_status(KeyId=story.key_id)
    created = story.materials()["current_from"].iloc[0]
    assert status["NextRotationDate"].astimezone(dt.UTC) == created + dt.timedelta(days=3 * 365)


def test_list_materials_follows_pages(story: RotationStory) -> None:
    calls: list[dict[str, Any]] = []
    real = story.kms.list_key_rotations

    def small_pages(**params: Any) -> Any:
        calls.append(params)
        return real(Limit=1, **params)

    story.kms.list_key_rotations = small_pages  # type: ignore[method-assign]
    try:
        assert len(list_materials(story.kms, story.key_id)) == 4
    finally:
        story.kms.list_key_rotations = real  # type: ignore[method-assign]
    assert len(calls) == 4 and "Marker" in calls[-1]


def test_rotation_picture(story: RotationStory) -> None:
    fig = story.figure()
    ax = fig.axes[0]
    bars = [p.get_gid() for p in ax.patches if p.get_gid()]
    assert bars == ["material:1", "material:2", "material:3", "material:4"]
    (dots,) = [c for c in ax.collections if c.get_gid() == "records"]
    rows = [int(y) for _x, y in dots.get_offsets()]
    assert rows == [0, 1, 2, 3]  # each record on its own material's row
    assert [t.get_text() for t in ax.texts] == ["year 0", "year 1", "year 2", "on demand"]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0].startswith("v1 ") and len(labels) == 4


def test_check_rotation_enabled() -> None:
    cloud = Cloud(seed=7)
    kms = cloud.client("kms", region_name="eu-west-1")
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    now = cloud.clock.now()
    off = check_rotation_enabled(kms, key, 180, now)
    assert not off.ok and "not enabled" in off.failed[0]
    kms.enable_key_rotation(KeyId=key)
    wrong = check_rotation_enabled(kms, key, 180, now)
    assert not wrong.ok and "365 days, not 180" in wrong.failed[0]
    kms.enable_key_rotation(KeyId=key, RotationPeriodInDays=180)
    assert check_rotation_enabled(kms, key, 180, now).ok
    late = check_rotation_enabled(kms, key, 180, now - dt.timedelta(days=1))
    assert not late.ok and "next rotation" in late.failed[0]
    missing = check_rotation_enabled(kms, "11111111-2222-3333-4444-555555555555", 180, now)
    assert not missing.ok and "NotFoundException" in missing.failed[0]


def test_check_material_answer(story: RotationStory) -> None:
    first = story.records[0]
    table = story.materials()
    v1, v2 = table["KeyMaterialId"].iloc[0], table["KeyMaterialId"].iloc[1]
    assert check_material_answer(story.kms, story.key_id, first.blob, v1).ok
    wrong = check_material_answer(story.kms, story.key_id, first.blob, v2)
    assert not wrong.ok and wrong.failed == ["Decrypt reports another material for this ciphertext"]
    bogus = check_material_answer(story.kms, story.key_id, first.blob, "0" * 64)
    assert len(bogus.failed) == 2
