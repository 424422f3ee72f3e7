"""Multi-Region keys: ReplicateKey, UpdatePrimaryRegion, cross-Region decryption, and deleting
a primary key that still has replicas (PendingReplicaDeletion)."""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from simulator import Cloud
from simulator.services.kms.model import KeyState
from tests.conftest import error_code, error_message

PRIMARY, REPLICA, THIRD = "us-east-1", "eu-west-1", "ap-southeast-2"


@pytest.fixture
def clients(cloud: Cloud) -> dict[str, Any]:
    # No SDK retries: LimitExceededException is one of the codes botocore retries with sleeps.
    no_retry = Config(retries={"total_max_attempts": 1})
    return {
        r: cloud.client("kms", region_name=r, config=no_retry) for r in (PRIMARY, REPLICA, THIRD)
    }


@pytest.fixture
def mrk(clients: dict[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = clients[PRIMARY].create_key(MultiRegion=True, Description="primary")[
        "KeyMetadata"
    ]
    return meta


def _config(client: Any, key_id: str) -> dict[str, Any]:
    cfg: dict[str, Any] = client.describe_key(KeyId=key_id)["KeyMetadata"][
        "MultiRegionConfiguration"
    ]
    return cfg


def test_replicate_key_response_and_shared_view(
    clients: dict[str, Any], mrk: dict[str, Any], cloud: Cloud
) -> None:
    acct = cloud.default_account.account_id
    key_id = mrk["KeyId"]
    assert key_id.startswith("mrk-") and len(key_id) == 36
    out = clients[PRIMARY].replicate_key(
        KeyId=mrk["Arn"],
        ReplicaRegion=REPLICA,
        Description="replica",
        Tags=[{"TagKey": "team", "TagValue": "blue"}],
    )
    meta = out["ReplicaKeyMetadata"]
    replica_arn = f"arn:aws:kms:{REPLICA}:{acct}:key/{key_id}"
    assert (meta["KeyId"], meta["Arn"], meta["Description"]) == (key_id, replica_arn, "replica")
    # K-REPL: the new replica is reported as Creating.
    assert (meta["KeyState"], meta["Enabled"]) == ("Creating", False)
    assert (meta["KeySpec"], meta["KeyUsage"], meta["Origin"], meta["MultiRegion"]) == (
        "SYMMETRIC_DEFAULT",
        "ENCRYPT_DECRYPT",
        "AWS_KMS",
        True,
    )
    assert meta["MultiRegionConfiguration"] == {
        "MultiRegionKeyType": "REPLICA",
        "PrimaryKey": {"Arn": mrk["Arn"], "Region": PRIMARY},
        "ReplicaKeys": [{"Arn": replica_arn, "Region": REPLICA}],
    }
    assert out["ReplicaTags"] == [{"TagKey": "team", "TagValue": "blue"}]
    default = json.loads(out["ReplicaPolicy"])
    assert default["Statement"][0]["Principal"] == {"AWS": f"arn:aws:iam::{acct}:root"}
    # The transition completes at once (see multiregion.py): usable on the next call.
    described = clients[REPLICA].describe_key(KeyId=key_id)["KeyMetadata"]
    assert (described["KeyState"], described["Enabled"]) == ("Enabled", True)
    assert described["CurrentKeyMaterialId"] == mrk["CurrentKeyMaterialId"]
    assert _config(clients[PRIMARY], key_id) == {
        "MultiRegionKeyType": "PRIMARY",
        "PrimaryKey": {"Arn": mrk["Arn"], "Region": PRIMARY},
        "ReplicaKeys": [{"Arn": replica_arn, "Region": REPLICA}],
    }
    # Independent properties: description, tags, aliases.
    assert clients[PRIMARY].describe_key(KeyId=key_id)["KeyMetadata"]["Description"] == "primary"
    assert clients[PRIMARY].list_resource_tags(KeyId=key_id)["Tags"] == []
    clients[REPLICA].create_alias(AliasName="alias/eu", TargetKeyId=key_id)
    assert clients[PRIMARY].list_aliases()["Aliases"] == []


def test_every_related_key_lists_the_same_set(clients: dict[str, Any], mrk: dict[str, Any]) -> None:
    key_id = mrk["KeyId"]
    clients[PRIMARY].replicate_key(KeyId=key_id, ReplicaRegion=REPLICA)
    clients[PRIMARY].replicate_key(KeyId=key_id, ReplicaRegion=THIRD)
    views = [_config(clients[r], key_id) for r in (PRIMARY, REPLICA, THIRD)]
    assert [v["MultiRegionKeyType"] for v in views] == ["PRIMARY", "REPLICA", "REPLICA"]
    assert {json.dumps(v["ReplicaKeys"]) for v in views} == {json.dumps(views[0]["ReplicaKeys"])}
    assert [r["Region"] for r in views[0]["ReplicaKeys"]] == [REPLICA, THIRD]


def test_ciphertext_from_one_region_decrypts_in_another(
    clients: dict[str, Any], mrk: dict[str, Any]
) -> None:
    key_id = mrk["KeyId"]
    clients[PRIMARY].replicate_key(KeyId=key_id, ReplicaRegion=REPLICA)
    context = {"purpose": "dr"}
    blob = clients[PRIMARY].encrypt(KeyId=key_id, Plaintext=b"hello", EncryptionContext=context)[
        "CiphertextBlob"
    ]
    out = clients[REPLICA].decrypt(CiphertextBlob=blob, EncryptionContext=context)
    assert out["Plaintext"] == b"hello"
    assert out["KeyId"] == mrk["Arn"].replace(PRIMARY, REPLICA)
    dk = clients[REPLICA].generate_data_key(KeyId=key_id, KeySpec="AES_256")
    back = clients[PRIMARY].decrypt(CiphertextBlob=dk["CiphertextBlob"], KeyId=mrk["Arn"])
    assert back["Plaintext"] == dk["Plaintext"]
    # Regions without a replica do not know the key.
    with pytest.raises(ClientError) as exc:
        clients[THIRD].decrypt(CiphertextBlob=blob, EncryptionContext=context)
    assert error_code(exc) == "NotFoundException"


def test_shared_material_stays_in_sync_after_the_primary_gains_material(
    clients: dict[str, Any], mrk: dict[str, Any], cloud: Cloud
) -> None:
    key_id = mrk["KeyId"]
    clients[PRIMARY].replicate_key(KeyId=key_id, ReplicaRegion=REPLICA)
    acct = cloud.default_account.account_id
    primary = cloud.kms.state(acct, PRIMARY).keys[key_id]
    old = primary.current_material
    old.state = "NON_CURRENT"
    cloud.kms.generate_material(primary)  # what a rotation does
    cloud.kms.sync_replicas(primary)
    replica = cloud.kms.state(acct, REPLICA).keys[key_id]
    assert [m.material_id for m in replica.materials] == [m.material_id for m in primary.materials]
    blob = clients[PRIMARY].encrypt(KeyId=key_id, Plaintext=b"new")["CiphertextBlob"]
    assert clients[REPLICA].decrypt(CiphertextBlob=blob)["Plaintext"] == b"new"
    # Copies, not shared objects: a replica's state cannot change the primary's.
    replica.materials[0].state = "X"
    assert primary.materials[0].state == "NON_CURRENT"


def test_replicate_key_errors(clients: dict[str, Any], mrk: dict[str, Any], cloud: Cloud) -> None:
    key_id = mrk["KeyId"]
    single = clients[PRIMARY].create_key()["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as exc:
        clients[PRIMARY].replicate_key(KeyId=single, ReplicaRegion=REPLICA)
    assert error_code(exc) == "UnsupportedOperationException"
    assert "not a multi-Region key" in error_message(exc)
    with pytest.raises(ClientError) as exc:
        clients[PRIMARY].replicate_key(KeyId=key_id, ReplicaRegion=PRIMARY)
    assert error_code(exc) == "AlreadyExistsException"
    clients[PRIMARY].replicate_key(KeyId=key_id, ReplicaRegion=REPLICA)
    with pytest.raises(ClientError) as exc:
        clients[PRIMARY].replicate_key(KeyId=key_id, ReplicaRegion=REPLICA)
    assert error_code(exc) == "AlreadyExistsException"
    # Only the primary can be replicated.
    with pytest.raises(ClientError) as exc:
        clients[REPLICA].replicate_key(KeyId=key_id, ReplicaRegion=THIRD)
    assert error_code(exc) == "UnsupportedOperationException"
    assert "replica" in error_message(exc)
    for region, code in (("xx-fake-9", "ValidationException"), ("moon", "ValidationException")):
        with pytest.raises(ClientError) as exc:
            clients[PRIMARY].replicate_key(KeyId=key_id, ReplicaRegion=region)
        assert error_code(exc) == code
    with pytest.raises(ClientError) as exc:
        clients[PRIMARY].replicate_key(KeyId="mrk-" + "0" * 32, ReplicaRegion=THIRD)
    assert error_code(exc) == "NotFoundException"
    clients[PRIMARY].create_alias(AliasName="alias/m", TargetKeyId=key_id)
    with pytest.raises(ClientError) as exc:
        clients[PRIMARY].replicate_key(KeyId="alias/m", ReplicaRegion=THIRD)
    assert error_code(exc) == "NotFoundException"
    with pytest.raises(ClientError) as exc:
        clients[PRIMARY].replicate_key(
            KeyId=key_id, ReplicaRegion=THIRD, Tags=[{"TagKey": "aws:x", "TagValue": "y"}]
        )
    assert error_code(exc) == "TagException"
    assert cloud.kms.state(cloud.default_account.account_id, THIRD).keys == {}


def test_replicate_key_policy_is_checked(
    clients: dict[str, Any], mrk: dict[str, Any], cloud: Cloud
) -> None:
    stranger = json.dumps(
        {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                }
            ]
        }
    )
    with pytest.raises(ClientError) as exc:
        clients[PRIMARY].replicate_key(KeyId=mrk["KeyId"], ReplicaRegion=REPLICA, Policy=stranger)
    assert error_code(exc) == "MalformedPolicyDocumentException"
    with pytest.raises(ClientError) as exc:
        clients[PRIMARY].replicate_key(KeyId=mrk["KeyId"], ReplicaRegion=REPLICA, Policy="{")
    assert error_code(exc) == "MalformedPolicyDocumentException"
    out = clients[PRIMARY].replicate_key(
        KeyId=mrk["KeyId"],
        ReplicaRegion=REPLICA,
        Policy=stranger,
        BypassPolicyLockoutSafetyCheck=True,
    )
    assert out["ReplicaPolicy"] == stranger
    assert clients[REPLICA].get_key_policy(KeyId=mrk["KeyId"])["Policy"] == stranger
    assert "kms:*" in clients[PRIMARY].get_key_policy(KeyId=mrk["KeyId"])["Policy"]


def test_replicate_key_respects_the_primary_state(
    clients: dict[str, Any], mrk: dict[str, Any]
) -> None:
    clients[PRIMARY].disable_key(KeyId=mrk["KeyId"])
    with pytest.raises(ClientError) as exc:
        clients[PRIMARY].replicate_key(KeyId=mrk["KeyId"], ReplicaRegion=REPLICA)
    assert error_code(exc) == "DisabledException"
    clients[PRIMARY].schedule_key_deletion(KeyId=mrk["KeyId"], PendingWindowInDays=7)
    with pytest.raises(ClientError) as exc:
        clients[PRIMARY].replicate_key(KeyId=mrk["KeyId"], ReplicaRegion=REPLICA)
    assert error_code(exc) == "KMSInvalidStateException"


def test_replica_region_key_quota(
    clients: dict[str, Any], mrk: dict[str, Any], cloud: Cloud
) -> None:
    cloud.quotas.adjust(
        cloud.default_account.account_id, "customer_managed_keys", 1, region=REPLICA
    )
    clients[REPLICA].create_key()
    with pytest.raises(ClientError) as exc:
        clients[PRIMARY].replicate_key(KeyId=mrk["KeyId"], ReplicaRegion=REPLICA)
    assert error_code(exc) == "LimitExceededException"
    clients[PRIMARY].replicate_key(KeyId=mrk["KeyId"], ReplicaRegion=THIRD)


def test_replica_of_an_imported_key_waits_for_its_material(
    clients: dict[str, Any], cloud: Cloud
) -> None:
    meta = clients[PRIMARY].create_key(MultiRegion=True, Origin="EXTERNAL")["KeyMetadata"]
    # ReplicateKey needs the primary usable; pretend its material was imported.
    primary = cloud.kms.state(cloud.default_account.account_id, PRIMARY).keys[meta["KeyId"]]
    primary.state = KeyState.ENABLED
    out = clients[PRIMARY].replicate_key(KeyId=meta["KeyId"], ReplicaRegion=REPLICA)
    assert out["ReplicaKeyMetadata"]["Origin"] == "EXTERNAL"
    replica = clients[REPLICA].describe_key(KeyId=meta["KeyId"])["KeyMetadata"]
    assert replica["KeyState"] == "PendingImport"
    assert (
        cloud.kms.state(cloud.default_account.account_id, REPLICA).keys[meta["KeyId"]].materials
        == []
    )


# -- UpdatePrimaryRegion ------------------------------------------------------------------
def test_update_primary_region_swaps_roles(
    clients: dict[str, Any], mrk: dict[str, Any], cloud: Cloud
) -> None:
    key_id = mrk["KeyId"]
    clients[PRIMARY].replicate_key(KeyId=key_id, ReplicaRegion=REPLICA)
    clients[PRIMARY].replicate_key(KeyId=key_id, ReplicaRegion=THIRD)
    out = clients[PRIMARY].update_primary_region(KeyId=key_id, PrimaryRegion=REPLICA)
    assert set(out) == {"ResponseMetadata"}  # K-UPR: no output
    views = {r: _config(clients[r], key_id) for r in (PRIMARY, REPLICA, THIRD)}
    assert views[REPLICA]["MultiRegionKeyType"] == "PRIMARY"
    assert views[PRIMARY]["MultiRegionKeyType"] == "REPLICA"
    for view in views.values():
        assert view["PrimaryKey"]["Region"] == REPLICA
        assert sorted(r["Region"] for r in view["ReplicaKeys"]) == sorted([PRIMARY, THIRD])
    # Now only the new primary replicates, and the old one cannot update the primary Region.
    with pytest.raises(ClientError) as exc:
        clients[PRIMARY].replicate_key(KeyId=key_id, ReplicaRegion="eu-central-1")
    assert error_code(exc) == "UnsupportedOperationException"
    with pytest.raises(ClientError) as exc:
        clients[PRIMARY].update_primary_region(KeyId=key_id, PrimaryRegion=THIRD)
    assert error_code(exc) == "UnsupportedOperationException"
    clients[REPLICA].replicate_key(KeyId=key_id, ReplicaRegion="eu-central-1")
    states = [clients[r].describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] for r in clients]
    assert states == ["Enabled"] * 3


def test_update_primary_region_errors(clients: dict[str, Any], mrk: dict[str, Any]) -> None:
    key_id = mrk["KeyId"]
    single = clients[PRIMARY].create_key()["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as exc:
        clients[PRIMARY].update_primary_region(KeyId=single, PrimaryRegion=REPLICA)
    assert error_code(exc) == "UnsupportedOperationException"
    with pytest.raises(ClientError) as exc:
        clients[PRIMARY].update_primary_region(KeyId=key_id, PrimaryRegion=REPLICA)
    assert error_code(exc) == "NotFoundException"
    with pytest.raises(ClientError) as exc:
        clients[PRIMARY].update_primary_region(KeyId=key_id, PrimaryRegion=PRIMARY)
    assert error_code(exc) == "UnsupportedOperationException"
    clients[PRIMARY].replicate_key(KeyId=key_id, ReplicaRegion=REPLICA)
    clients[REPLICA].disable_key(KeyId=key_id)
    with pytest.raises(ClientError) as exc:
        clients[PRIMARY].update_primary_region(KeyId=key_id, PrimaryRegion=REPLICA)
    assert error_code(exc) == "DisabledException"
    assert _config(clients[PRIMARY], key_id)["MultiRegionKeyType"] == "PRIMARY"


# -- deletion -------------------------------------------------------------------------------
def test_primary_with_replicas_waits_in_pending_replica_deletion(
    clients: dict[str, Any], mrk: dict[str, Any], cloud: Cloud
) -> None:
    key_id = mrk["KeyId"]
    clients[PRIMARY].replicate_key(KeyId=key_id, ReplicaRegion=REPLICA)
    out = clients[PRIMARY].schedule_key_deletion(KeyId=key_id, PendingWindowInDays=10)
    assert (out["KeyState"], out["PendingWindowInDays"]) == ("PendingReplicaDeletion", 10)
    assert "DeletionDate" not in out
    meta = clients[PRIMARY].describe_key(KeyId=key_id)["KeyMetadata"]
    assert meta["KeyState"] == "PendingReplicaDeletion" and "DeletionDate" not in meta
    assert meta["PendingDeletionWindowInDays"] == 10
    with pytest.raises(ClientError) as exc:
        clients[PRIMARY].encrypt(KeyId=key_id, Plaintext=b"x")
    assert error_code(exc) == "KMSInvalidStateException"
    # The replica keeps working; time passes and nothing happens to the primary.
    cloud.clock.advance(days=60)
    assert (
        clients[REPLICA]
        .encrypt(KeyId=key_id, Plaintext=b"x")["KeyId"]
        .startswith("arn:aws:kms:eu-west-1")
    )
    assert clients[PRIMARY].describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == (
        "PendingReplicaDeletion"
    )
    # Deleting the last replica starts the primary's 10-day window.
    clients[REPLICA].schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    with pytest.raises(ClientError) as exc:  # K-STATE: no replicating a key being deleted
        clients[PRIMARY].replicate_key(KeyId=key_id, ReplicaRegion=THIRD)
    assert error_code(exc) == "KMSInvalidStateException"
    assert "pending replica deletion" in error_message(exc)
    cloud.clock.advance(days=7)
    deleted_at = cloud.clock.now()
    meta = clients[PRIMARY].describe_key(KeyId=key_id)["KeyMetadata"]
    assert meta["KeyState"] == "PendingDeletion"
    assert meta["DeletionDate"] == deleted_at + _dt.timedelta(days=10)
    assert meta["MultiRegionConfiguration"]["ReplicaKeys"] == []
    cloud.clock.advance(days=10)
    with pytest.raises(ClientError) as exc:
        clients[PRIMARY].describe_key(KeyId=key_id)
    assert error_code(exc) == "NotFoundException"


def test_deleting_one_replica_updates_the_others(
    clients: dict[str, Any], mrk: dict[str, Any], cloud: Cloud
) -> None:
    key_id = mrk["KeyId"]
    for region in (REPLICA, THIRD):
        clients[PRIMARY].replicate_key(KeyId=key_id, ReplicaRegion=region)
    clients[THIRD].schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    # K-REPL: a replica pending deletion still occupies its Region.
    with pytest.raises(ClientError) as exc:
        clients[PRIMARY].replicate_key(KeyId=key_id, ReplicaRegion=THIRD)
    assert error_code(exc) == "AlreadyExistsException"
    cloud.clock.advance(days=7)
    for region in (PRIMARY, REPLICA):
        regions = [r["Region"] for r in _config(clients[region], key_id)["ReplicaKeys"]]
        assert regions == [REPLICA]
    # The Region is free again.
    clients[PRIMARY].replicate_key(KeyId=key_id, ReplicaRegion=THIRD)


def test_cancel_deletion_of_a_primary_waiting_for_replicas(
    clients: dict[str, Any], mrk: dict[str, Any], cloud: Cloud
) -> None:
    key_id = mrk["KeyId"]
    clients[PRIMARY].replicate_key(KeyId=key_id, ReplicaRegion=REPLICA)
    clients[PRIMARY].schedule_key_deletion(KeyId=key_id)
    clients[PRIMARY].cancel_key_deletion(KeyId=key_id)
    meta = clients[PRIMARY].describe_key(KeyId=key_id)["KeyMetadata"]
    assert meta["KeyState"] == "Disabled" and "PendingDeletionWindowInDays" not in meta
    clients[REPLICA].schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    cloud.clock.advance(days=7)
    assert clients[PRIMARY].describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Disabled"


def test_a_primary_without_replicas_is_deleted_normally(
    clients: dict[str, Any], mrk: dict[str, Any]
) -> None:
    out = clients[PRIMARY].schedule_key_deletion(KeyId=mrk["KeyId"], PendingWindowInDays=7)
    assert out["KeyState"] == "PendingDeletion" and "DeletionDate" in out


def test_multi_region_state_survives_a_snapshot(
    clients: dict[str, Any], mrk: dict[str, Any], cloud: Cloud, tmp_path: Any
) -> None:
    clients[PRIMARY].replicate_key(KeyId=mrk["KeyId"], ReplicaRegion=REPLICA)
    blob = clients[PRIMARY].encrypt(KeyId=mrk["KeyId"], Plaintext=b"kept")["CiphertextBlob"]
    loaded = Cloud.load(cloud.save(tmp_path / "mrk.json"))
    eu = loaded.client("kms", region_name=REPLICA)
    assert eu.decrypt(CiphertextBlob=blob)["Plaintext"] == b"kept"
    assert _config(eu, mrk["KeyId"])["PrimaryKey"]["Region"] == PRIMARY


@pytest.mark.parametrize(
    ("spec", "usage"),
    [
        ("RSA_2048", "SIGN_VERIFY"),
        ("ECC_NIST_P256", "SIGN_VERIFY"),
        ("HMAC_256", "GENERATE_VERIFY_MAC"),
    ],
)
def test_asymmetric_and_hmac_replicas_share_their_material(
    clients: dict[str, Any], spec: str, usage: str
) -> None:
    key_id = clients[PRIMARY].create_key(KeySpec=spec, KeyUsage=usage, MultiRegion=True)[
        "KeyMetadata"
    ]["KeyId"]
    meta = clients[PRIMARY].replicate_key(KeyId=key_id, ReplicaRegion=REPLICA)["ReplicaKeyMetadata"]
    assert (meta["KeySpec"], meta["KeyUsage"]) == (spec, usage)
    if usage == "GENERATE_VERIFY_MAC":
        mac = clients[REPLICA].generate_mac(KeyId=key_id, Message=b"m", MacAlgorithm="HMAC_SHA_256")
        check = clients[PRIMARY].verify_mac(
            KeyId=key_id, Message=b"m", Mac=mac["Mac"], MacAlgorithm="HMAC_SHA_256"
        )
        assert check["MacValid"] is True
        return
    algorithm = "RSASSA_PSS_SHA_256" if spec.startswith("RSA") else "ECDSA_SHA_256"
    signed = clients[REPLICA].sign(KeyId=key_id, Message=b"m", SigningAlgorithm=algorithm)
    verified = clients[PRIMARY].verify(
        KeyId=key_id, Message=b"m", Signature=signed["Signature"], SigningAlgorithm=algorithm
    )
    assert verified["SignatureValid"] is True
    public = [clients[r].get_public_key(KeyId=key_id)["PublicKey"] for r in (PRIMARY, REPLICA)]
    assert public[0] == public[1]
