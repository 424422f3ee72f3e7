"""Snapshots round-trip the whole world, atomically, with no plaintext material in the file."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud, SnapshotError


def _world(cloud: Cloud) -> tuple[Any, str, bytes, str]:
    kms = cloud.client("kms", region_name="eu-west-1")
    key_id = kms.create_key(Description="kept", Tags=[{"TagKey": "t", "TagValue": "v"}])[
        "KeyMetadata"
    ]["KeyId"]
    kms.create_alias(AliasName="alias/kept", TargetKeyId=key_id)
    blob = kms.encrypt(KeyId="alias/kept", Plaintext=b"survives", EncryptionContext={"a": "b"})[
        "CiphertextBlob"
    ]
    doomed = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.schedule_key_deletion(KeyId=doomed, PendingWindowInDays=7)
    return kms, key_id, blob, doomed


def _materials(cloud: Cloud) -> list[bytes]:
    out = []
    for st in cloud.kms._regions.values():
        for key in st.keys.values():
            for m in key.materials:
                out.append(cloud.vault.unseal(m.sealed, key.key_id.encode()))
    return out


def test_round_trip_keeps_clock_jobs_keys_trail(tmp_path: Path) -> None:
    cloud = Cloud(seed=11)
    kms, key_id, blob, doomed = _world(cloud)
    cloud.clock.advance(days=2)
    path = cloud.save(tmp_path / "world.json")
    loaded = Cloud.load(path)
    twin = Cloud.load(path)
    # Ids continue from the saved random state: both worlds mint the same next key.
    assert (
        twin.client("kms").create_key()["KeyMetadata"]["KeyId"]
        == cloud.client("kms").create_key()["KeyMetadata"]["KeyId"]
    )
    assert loaded.clock.now() == cloud.clock.now()
    assert len(loaded.trail) == len(cloud.trail) - 1
    assert [j.kind for j in loaded.scheduler.pending()] == ["kms.delete_key"]
    kms2 = loaded.client("kms", region_name="eu-west-1")
    assert (
        kms2.decrypt(CiphertextBlob=blob, EncryptionContext={"a": "b"})["Plaintext"] == b"survives"
    )
    assert kms2.describe_key(KeyId="alias/kept")["KeyMetadata"]["Description"] == "kept"
    assert kms2.list_resource_tags(KeyId=key_id)["Tags"] == [{"TagKey": "t", "TagValue": "v"}]
    # The scheduled deletion still happens, on the loaded clock.
    loaded.clock.advance(days=5)
    with pytest.raises(ClientError) as exc:
        kms2.describe_key(KeyId=doomed)
    assert exc.value.response["Error"]["Code"] == "NotFoundException"


def test_file_holds_no_plaintext_material_or_secrets(tmp_path: Path) -> None:
    cloud = Cloud(seed=5)
    _world(cloud)
    path = cloud.save(tmp_path / "world.json")
    text = path.read_bytes()
    secret_key = cloud.credentials()["aws_secret_access_key"]
    needles = [secret_key.encode(), cloud._domain_key] + _materials(cloud)
    for raw in needles:
        assert raw not in text
        assert base64.b64encode(raw) not in text
        assert raw.hex().encode() not in text
    assert b"survives" not in text
    key_file = tmp_path / "world.json.key"
    assert key_file.exists() and (key_file.stat().st_mode & 0o777) == 0o600


def test_passphrase_mode(tmp_path: Path) -> None:
    cloud = Cloud(seed=5)
    _kms, key_id, blob, _ = _world(cloud)
    path = cloud.save(tmp_path / "p.json", passphrase="open sesame")
    assert not (tmp_path / "p.json.key").exists()
    assert base64.b64encode(cloud._domain_key) not in path.read_bytes()
    with pytest.raises(SnapshotError):
        Cloud.load(path)
    with pytest.raises(SnapshotError):
        Cloud.load(path, passphrase="wrong")
    loaded = Cloud.load(path, passphrase="open sesame")
    out = loaded.client("kms", region_name="eu-west-1").decrypt(
        CiphertextBlob=blob, EncryptionContext={"a": "b"}
    )
    assert out["Plaintext"] == b"survives"


def test_crash_mid_save_leaves_previous_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cloud = Cloud(seed=5)
    _world(cloud)
    path = cloud.save(tmp_path / "w.json")
    before = path.read_bytes()
    cloud.client("kms").create_key(Description="after")

    def crash(src: str, dst: str) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        cloud.save(path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert len(Cloud.load(path).trail) == len(cloud.trail) - 1


def test_not_a_snapshot(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"hello": 1}')
    with pytest.raises(SnapshotError):
        Cloud.load(bad)
    with pytest.raises(SnapshotError):
        Cloud.load(tmp_path / "missing.json")
