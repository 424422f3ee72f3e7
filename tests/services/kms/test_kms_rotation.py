"""KMS key rotation on the virtual clock: automatic rotation over simulated years, on-demand
rotation and its quota, which keys may rotate, key states, trail/EventBridge records, snapshots."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from simulator import Cloud
from simulator.services.kms.model import Key, KeyManager, KeyUsage, MultiRegionState
from tests.conftest import error_code, error_message

DAY = _dt.timedelta(days=1)


def _key(cloud: Cloud, key_id: str, region: str = "us-east-1") -> Key:
    return cloud.kms.state(cloud.default_account.account_id, region).keys[key_id]


def _non_symmetric_key(cloud: Cloud, kms: Any, spec: str, usage: str) -> str:
    """An asymmetric or HMAC key; where those specs are not simulated yet, a symmetric key
    relabelled in state (the rotation rules read only the key spec)."""
    try:
        return str(kms.create_key(KeySpec=spec, KeyUsage=usage)["KeyMetadata"]["KeyId"])
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "NotSimulatedException":
            raise
    key_id = str(kms.create_key()["KeyMetadata"]["KeyId"])
    key = _key(cloud, key_id)
    key.key_spec, key.key_usage = spec, KeyUsage(usage)
    return key_id


def test_enable_disable_and_status(kms_any: Any, cloud: Cloud) -> None:
    key_id = kms_any.create_key()["KeyMetadata"]["KeyId"]
    arn = _key(cloud, key_id).arn
    assert kms_any.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is False
    kms_any.enable_key_rotation(KeyId=key_id)
    status = kms_any.get_key_rotation_status(KeyId=arn)
    assert status["KeyId"] == arn and status["KeyRotationEnabled"] is True
    assert status["RotationPeriodInDays"] == 365
    assert status["NextRotationDate"] == cloud.clock.now() + 365 * DAY
    assert "OnDemandRotationStartDate" not in status
    kms_any.disable_key_rotation(KeyId=key_id)
    status = kms_any.get_key_rotation_status(KeyId=key_id)
    assert status["KeyRotationEnabled"] is False
    assert "NextRotationDate" not in status and "RotationPeriodInDays" not in status
    assert cloud.scheduler.pending() == []
    # Management operations take a key id or key ARN, not an alias.
    kms_any.create_alias(AliasName="alias/r", TargetKeyId=key_id)
    with pytest.raises(ClientError) as exc:
        kms_any.enable_key_rotation(KeyId="alias/r")
    assert error_code(exc) == "NotFoundException"


def test_three_years_of_automatic_rotation(kms: Any, cloud: Cloud) -> None:
    start = cloud.clock.now()
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    arn = _key(cloud, key_id).arn
    first = kms.describe_key(KeyId=key_id)["KeyMetadata"]["CurrentKeyMaterialId"]
    kms.enable_key_rotation(KeyId=key_id)
    eras = [(first, kms.encrypt(KeyId=key_id, Plaintext=b"era 0")["CiphertextBlob"])]
    for year in range(1, 4):
        assert cloud.clock.advance(days=365) == 1
        current = kms.describe_key(KeyId=key_id)["KeyMetadata"]["CurrentKeyMaterialId"]
        assert current not in [m for m, _ in eras]
        blob = kms.encrypt(KeyId=key_id, Plaintext=f"era {year}".encode())["CiphertextBlob"]
        eras.append((current, blob))
        assert kms.generate_data_key(KeyId=key_id, KeySpec="AES_256")["KeyMaterialId"] == current

    for era, (material_id, blob) in enumerate(eras):
        out = kms.decrypt(CiphertextBlob=blob)
        assert out["Plaintext"] == f"era {era}".encode()
        assert out["KeyMaterialId"] == material_id

    rotations = kms.list_key_rotations(KeyId=key_id)
    assert rotations["Truncated"] is False
    assert [
        (r["KeyId"], r["KeyMaterialId"], r["RotationDate"], r["RotationType"])
        for r in rotations["Rotations"]
    ] == [(key_id, eras[y][0], start + 365 * y * DAY, "AUTOMATIC") for y in (1, 2, 3)]
    assert [r["KeyMaterialState"] for r in rotations["Rotations"]] == [
        "NON_CURRENT",
        "NON_CURRENT",
        "CURRENT",
    ]
    everything = kms.list_key_rotations(KeyId=key_id, IncludeKeyMaterial="ALL_KEY_MATERIAL")
    assert [r["KeyMaterialId"] for r in everything["Rotations"]] == [m for m, _ in eras]
    assert "RotationDate" not in everything["Rotations"][0]
    assert "RotationType" not in everything["Rotations"][0]
    status = kms.get_key_rotation_status(KeyId=key_id)
    assert status["NextRotationDate"] == start + 4 * 365 * DAY

    # Each rotation is a RotateKey service event in the trail and an EventBridge event.
    records = cloud.trail.events(event_name="RotateKey")
    assert [r["eventTime"] for r in records] == [
        (start + 365 * y * DAY).strftime("%Y-%m-%dT%H:%M:%SZ") for y in (1, 2, 3)
    ]
    assert records[0]["eventType"] == "AwsServiceEvent"
    assert records[0]["resources"][0]["ARN"] == arn
    assert records[0]["serviceEventDetails"] == {
        "rotationType": "AUTOMATIC",
        "keyOrigin": "AWS_KMS",
        "previousKeyMaterialId": eras[0][0],
        "currentKeyMaterialId": eras[1][0],
        "keyId": key_id,
    }
    events = [e for e in cloud.events.history if e["detail-type"] == "KMS CMK Rotation"]
    assert len(events) == 3 and events[2]["source"] == "aws.kms"
    assert events[2]["resources"] == [arn]
    assert events[2]["detail"]["current-key-material-id"] == eras[3][0]
    assert events[2]["detail"]["rotation-type"] == "AUTOMATIC"


def test_rotation_period_bounds_and_restart(cloud: Cloud) -> None:
    # botocore checks only the minimum client-side; turn that off to reach the service.
    kms = cloud.client("kms", config=Config(parameter_validation=False))
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    for days, phrase in ((89, "greater than or equal to 90"), (2561, "less than or equal to 2560")):
        with pytest.raises(ClientError) as exc:
            kms.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=days)
        assert error_code(exc) == "ValidationException" and phrase in error_message(exc)
    assert kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is False
    for days in (90, 2560, 180):
        kms.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=days)
        status = kms.get_key_rotation_status(KeyId=key_id)
        assert status["RotationPeriodInDays"] == days
        assert status["NextRotationDate"] == cloud.clock.now() + days * DAY
    assert len(cloud.scheduler.pending()) == 1  # each call replaced the previous schedule
    cloud.clock.advance(days=100)
    kms.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=90)  # restarts from this call
    cloud.clock.advance(days=89)
    assert kms.list_key_rotations(KeyId=key_id)["Rotations"] == []
    cloud.clock.advance(days=1)
    (rotation,) = kms.list_key_rotations(KeyId=key_id)["Rotations"]
    assert rotation["RotationDate"] == cloud.clock.now()


def test_on_demand_rotation_limit_and_schedule(kms: Any, cloud: Cloud) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=730)
    scheduled = kms.get_key_rotation_status(KeyId=key_id)["NextRotationDate"]
    old = kms.encrypt(KeyId=key_id, Plaintext=b"before")["CiphertextBlob"]
    for _ in range(25):
        assert kms.rotate_key_on_demand(KeyId=key_id)["KeyId"] == key_id
        cloud.clock.advance(hours=1)
    with pytest.raises(ClientError) as exc:
        kms.rotate_key_on_demand(KeyId=key_id)
    assert error_code(exc) == "LimitExceededException" and "25" in error_message(exc)
    # K-ROD: on-demand rotations leave the automatic schedule alone.
    assert kms.get_key_rotation_status(KeyId=key_id)["NextRotationDate"] == scheduled
    page1 = kms.list_key_rotations(KeyId=key_id, Limit=10)
    page2 = kms.list_key_rotations(KeyId=key_id, Limit=10, Marker=page1["NextMarker"])
    page3 = kms.list_key_rotations(KeyId=key_id, Limit=10, Marker=page2["NextMarker"])
    assert (page1["Truncated"], page2["Truncated"], page3["Truncated"]) == (True, True, False)
    assert "NextMarker" not in page3
    listed = page1["Rotations"] + page2["Rotations"] + page3["Rotations"]
    assert len(listed) == 25 and {r["RotationType"] for r in listed} == {"ON_DEMAND"}
    assert [r["RotationDate"] for r in listed] == sorted(r["RotationDate"] for r in listed)
    with pytest.raises(ClientError) as exc:
        kms.list_key_rotations(KeyId=key_id, Marker="bogus")
    assert error_code(exc) == "InvalidMarkerException"
    assert kms.decrypt(CiphertextBlob=old)["Plaintext"] == b"before"
    # The automatic rotation still comes on its date, after all 25 on-demand ones.
    cloud.clock.advance_to(scheduled)
    last = kms.list_key_rotations(KeyId=key_id)["Rotations"][-1]
    assert (last["RotationType"], last["RotationDate"]) == ("AUTOMATIC", scheduled)


def test_on_demand_conflicts_with_imminent_automatic_rotation(kms: Any, cloud: Cloud) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=key_id)
    cloud.clock.advance(days=365, minutes=-15)
    with pytest.raises(ClientError) as exc:
        kms.rotate_key_on_demand(KeyId=key_id)
    assert error_code(exc) == "ConflictException"
    cloud.clock.advance(minutes=15)
    kms.rotate_key_on_demand(KeyId=key_id)
    types = [r["RotationType"] for r in kms.list_key_rotations(KeyId=key_id)["Rotations"]]
    assert types == ["AUTOMATIC", "ON_DEMAND"]


def test_keys_that_cannot_rotate(kms: Any, cloud: Cloud) -> None:
    external = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]
    for call in (kms.enable_key_rotation, kms.disable_key_rotation, kms.get_key_rotation_status):
        with pytest.raises(ClientError) as exc:
            call(KeyId=external["KeyId"])
        assert error_code(exc) == "UnsupportedOperationException"
        assert error_message(exc) == (
            f"{external['Arn']} origin is EXTERNAL which is not valid for this operation."
        )
    for spec, usage in (("RSA_2048", "SIGN_VERIFY"), ("HMAC_256", "GENERATE_VERIFY_MAC")):
        key_id = _non_symmetric_key(cloud, kms, spec, usage)
        for call in (kms.enable_key_rotation, kms.disable_key_rotation, kms.rotate_key_on_demand):
            with pytest.raises(ClientError) as exc:
                call(KeyId=key_id)
            assert error_code(exc) == "UnsupportedOperationException" and spec in error_message(exc)
        with pytest.raises(ClientError) as exc:
            kms.list_key_rotations(KeyId=key_id)
        assert error_code(exc) == "UnsupportedOperationException"
        # The API reference: the rotation status of these keys is always false.
        assert kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is False

    managed = kms.create_key()["KeyMetadata"]["KeyId"]
    _key(cloud, managed).key_manager = KeyManager.AWS
    for call in (kms.enable_key_rotation, kms.rotate_key_on_demand):
        with pytest.raises(ClientError) as exc:
            call(KeyId=managed)
        assert error_code(exc) == "UnsupportedOperationException"
        assert "AWS managed" in error_message(exc)

    replica = kms.create_key(MultiRegion=True)["KeyMetadata"]["KeyId"]
    _key(cloud, replica).multi_region = MultiRegionState("us-west-2", ["us-east-1"])
    with pytest.raises(ClientError) as exc:
        kms.enable_key_rotation(KeyId=replica)
    assert error_code(exc) == "UnsupportedOperationException"
    assert "primary key in us-west-2" in error_message(exc)
    assert cloud.scheduler.pending() == []


def test_key_states_for_rotation_operations(kms: Any, cloud: Cloud) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    arn = _key(cloud, key_id).arn
    kms.enable_key_rotation(KeyId=key_id)
    kms.disable_key(KeyId=key_id)
    for call in (kms.enable_key_rotation, kms.disable_key_rotation, kms.rotate_key_on_demand):
        with pytest.raises(ClientError) as exc:
            call(KeyId=key_id)
        assert (error_code(exc), error_message(exc)) == ("DisabledException", f"{arn} is disabled.")
    # The status of a disabled key does not change.
    assert kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is True
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    with pytest.raises(ClientError) as exc:
        kms.rotate_key_on_demand(KeyId=key_id)
    assert error_code(exc) == "KMSInvalidStateException"
    assert error_message(exc) == f"{arn} is pending deletion."
    # While pending deletion the status reads false; cancelling restores it.
    assert kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is False
    assert kms.list_key_rotations(KeyId=key_id)["Rotations"] == []
    kms.cancel_key_deletion(KeyId=key_id)
    assert kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is True
    with pytest.raises(ClientError) as exc:
        kms.get_key_rotation_status(KeyId="alias/none")
    assert error_code(exc) == "NotFoundException"


def test_disabled_key_is_not_rotated_and_catches_up_when_enabled(kms: Any, cloud: Cloud) -> None:
    late = kms.create_key()["KeyMetadata"]["KeyId"]
    early = kms.create_key()["KeyMetadata"]["KeyId"]
    for key_id in (late, early):
        kms.enable_key_rotation(KeyId=key_id)
        kms.disable_key(KeyId=key_id)
    due = kms.get_key_rotation_status(KeyId=late)["NextRotationDate"]
    cloud.clock.advance(days=200)
    kms.enable_key(KeyId=early)  # before its date: the schedule simply resumes
    assert kms.list_key_rotations(KeyId=early)["Rotations"] == []
    cloud.clock.advance(days=200)
    assert kms.list_key_rotations(KeyId=late)["Rotations"] == []  # disabled on its date
    assert kms.get_key_rotation_status(KeyId=late)["NextRotationDate"] == due
    (on_time,) = kms.list_key_rotations(KeyId=early)["Rotations"]
    assert on_time["RotationDate"] == due
    kms.enable_key(KeyId=late)  # overdue: KMS rotates at once, then every period after
    (caught_up,) = kms.list_key_rotations(KeyId=late)["Rotations"]
    assert (caught_up["RotationDate"], caught_up["RotationType"]) == (
        cloud.clock.now(),
        "AUTOMATIC",
    )
    status = kms.get_key_rotation_status(KeyId=late)
    assert status["NextRotationDate"] == cloud.clock.now() + 365 * DAY


def test_snapshot_keeps_rotation_schedule(tmp_path: Path) -> None:
    cloud = Cloud(seed=21)
    kms = cloud.client("kms")
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=100)
    kms.rotate_key_on_demand(KeyId=key_id)
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"kept")["CiphertextBlob"]
    due = kms.get_key_rotation_status(KeyId=key_id)["NextRotationDate"]
    loaded = Cloud.load(cloud.save(tmp_path / "world.json"))
    kms2 = loaded.client("kms")
    assert kms2.get_key_rotation_status(KeyId=key_id)["NextRotationDate"] == due
    assert loaded.clock.advance(days=200) == 2
    rotations = kms2.list_key_rotations(KeyId=key_id)["Rotations"]
    assert [r["RotationType"] for r in rotations] == ["ON_DEMAND", "AUTOMATIC", "AUTOMATIC"]
    assert rotations[1]["RotationDate"] == due
    assert kms2.decrypt(CiphertextBlob=blob)["Plaintext"] == b"kept"
    assert _key(loaded, key_id).rotation.on_demand_count == 1
