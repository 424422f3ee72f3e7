"""KMS automatic and on-demand key rotation:
EnableKeyRotation,
DisableKeyRotation,
GetKeyRotationStatus,
ListKeyRotations,
RotateKeyOnDemand.

Rotation adds a key material version; the key id and ARN stay the same, new ciphertext uses the
CURRENT material and old ciphertext keeps decrypting because each blob names its material id
(K-ROT). Automatic rotation is a job on the virtual clock ("kms.rotate_key"): enabling
schedules it RotationPeriodInDays (90-2,560, default 365) after the call, each rotation
schedules the next, and DisableKeyRotation cancels it. Every rotation writes a ``RotateKey``
AwsServiceEvent to the trail and sends a ``KMS CMK Rotation`` event to EventBridge (K-CT, and
the developer guide page "Monitor KMS keys with Amazon EventBridge").

Rules with their sources:
- Only symmetric encryption keys rotate; asymmetric and HMAC keys, keys with imported material
  (automatic rotation) and AWS managed keys (customer requests) answer
  UnsupportedOperationException (K-ROT, K-ROD; key-state table footnotes 6 and 7).
- On-demand rotation: at most 25 per key, not adjustable (LimitExceededException), and it does
  not move the automatic schedule (K-ROD). Keys with imported material rotate on demand onto
  material imported beforehand with ImportType NEW_KEY_MATERIAL (state PENDING_ROTATION).
- A disabled key or a key pending deletion is not rotated when its date comes; when it is
  enabled again and the date has passed, KMS rotates at once and every period after that
  (GetKeyRotationStatus API reference). While pending deletion the status reads false.
- Multi-Region keys: rotation is set on the primary key (K-ROT); replicas answer
  UnsupportedOperationException.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

from simulator.core.context import RequestContext
from simulator.core.errors import ValidationException
from simulator.protocol.registry import operation
from simulator.services.kms import key_states
from simulator.services.kms.annotations import key_resource, service_event
from simulator.services.kms.errors import (
    ConflictException,
    LimitExceededException,
    UnsupportedOperationException,
)
from simulator.services.kms.model import (
    Key,
    KeyManager,
    KeyMaterial,
    KeyState,
    Origin,
    RotationRecord,
)

if TYPE_CHECKING:
    from simulator.services.base import ServiceEnv
    from simulator.services.kms.keys import KeyFinder
    from simulator.services.kms.model import RegionState

# K-ROT: RotationPeriodInDays bounds and default.
MIN_PERIOD, MAX_PERIOD, DEFAULT_PERIOD = 90, 2560, 365
# K-ROD / K-RQ: on-demand rotations per key; the quota is not adjustable.
ON_DEMAND_LIMIT = 25
# RotateKeyOnDemand's ConflictException: an automatic rotation is under way or due to begin
# within the next 20 minutes (KMS API model, ConflictException).
CONFLICT_WINDOW = _dt.timedelta(minutes=20)
JOB_KIND = "kms.rotate_key"


def _origin_unsupported(key: Key) -> UnsupportedOperationException:
    # Key-state table footnote 6: "<key ARN> origin is EXTERNAL which is not valid for this
    # operation."
    return UnsupportedOperationException(
        f"{key.arn} origin is {key.origin.value} which is not valid for this operation."
    )


def _is_replica(key: Key) -> bool:
    return key.multi_region is not None and key.multi_region.primary_region != key.region


class RotationOps:
    """Mixin for :class:`KmsService`; its handlers are marked with ``@operation``."""

    if TYPE_CHECKING:
        env: ServiceEnv
        finder: KeyFinder

        def state(self, account: str, region: str) -> RegionState: ...

        def generate_material(self, key: Key) -> KeyMaterial: ...

    def register_jobs(self) -> None:
        self.env.scheduler.register(JOB_KIND, self._rotate_key_job)

    # -- checks ---------------------------------------------------------------------------
    def _check_rotatable(self, key: Key, *, automatic: bool) -> None:
        """The key-type rules of K-ROT / K-ROD, checked before the key state (footnote 7)."""
        if key.key_manager is KeyManager.AWS:
            raise UnsupportedOperationException(
                f"{key.arn} is an AWS managed key: KMS rotates it every year and its rotation "
                "cannot be changed or requested."
            )
        if key.key_spec != "SYMMETRIC_DEFAULT":
            raise UnsupportedOperationException(
                f"{key.arn} has KeySpec {key.key_spec}: only symmetric encryption keys "
                "(SYMMETRIC_DEFAULT) support key rotation."
            )
        if automatic and key.origin is not Origin.AWS_KMS:
            raise _origin_unsupported(key)
        if key.origin not in (Origin.AWS_KMS, Origin.EXTERNAL):
            raise _origin_unsupported(key)
        if _is_replica(key):
            raise UnsupportedOperationException(
                f"{key.arn} is a multi-Region replica key; rotate the primary key in "
                f"{key.multi_region.primary_region if key.multi_region else ''}."
            )

    # -- automatic rotation ---------------------------------------------------------------
    @operation("EnableKeyRotation", resource=key_resource)
    def enable_key_rotation(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key = self.finder.find(ctx, p["KeyId"], aliases=False)
        days = p.get("RotationPeriodInDays", DEFAULT_PERIOD)
        if not MIN_PERIOD <= days <= MAX_PERIOD:
            bound = (
                f"greater than or equal to {MIN_PERIOD}"
                if days < MIN_PERIOD
                else f"less than or equal to {MAX_PERIOD}"
            )
            raise ValidationException(
                f"1 validation error detected: Value '{days}' at 'rotationPeriodInDays' failed "
                f"to satisfy constraint: Member must have value {bound}"
            )
        self._check_rotatable(key, automatic=True)
        key_states.check("EnableKeyRotation", key)
        rot = key.rotation
        self.env.scheduler.cancel(rot.job)
        # K-ROT: the period counts from the day rotation is enabled; calling again with a new
        # period restarts the count from this call.
        rot.enabled, rot.period_days = True, days
        self._schedule(key, ctx.now + _dt.timedelta(days=days))
        return {}

    @operation("DisableKeyRotation", resource=key_resource)
    def disable_key_rotation(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key = self.finder.find(ctx, p["KeyId"], aliases=False)
        self._check_rotatable(key, automatic=True)
        key_states.check("DisableKeyRotation", key)
        rot = key.rotation
        self.env.scheduler.cancel(rot.job)
        rot.enabled, rot.job, rot.next_rotation = False, None, None
        return {}

    @operation("GetKeyRotationStatus", read_only=True, resource=key_resource)
    def get_key_rotation_status(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key = self.finder.find(ctx, p["KeyId"], aliases=False)
        if key.origin is not Origin.AWS_KMS:
            raise _origin_unsupported(key)  # key-state table footnotes 6 and 7
        key_states.check("GetKeyRotationStatus", key)
        out: dict[str, Any] = {"KeyId": key.arn}
        rot = key.rotation
        # The API reference: "While a KMS key is pending deletion, its key rotation status is
        # false"; asymmetric and HMAC keys never rotate, so theirs is always false.
        enabled = (
            rot.enabled
            and key.key_spec == "SYMMETRIC_DEFAULT"
            and key.state not in (KeyState.PENDING_DELETION, KeyState.PENDING_REPLICA_DELETION)
        )
        out["KeyRotationEnabled"] = enabled
        if enabled:
            out["RotationPeriodInDays"] = rot.period_days
            if rot.next_rotation is not None:
                out["NextRotationDate"] = rot.next_rotation
        # On-demand rotations complete within the request here, so OnDemandRotationStartDate
        # (present only while one is in progress) never appears.
        return out

    def schedule_rotation(self, key: Key) -> None:
        """Put ``key``'s automatic rotation on the clock at ``key.rotation.next_rotation``
        (for keys created with rotation already on, such as AWS managed keys, managed.py)."""
        rot = key.rotation
        self.env.scheduler.cancel(rot.job)
        rot.job = None
        if rot.enabled and rot.next_rotation is not None:
            self._schedule(key, rot.next_rotation)

    def _schedule(self, key: Key, when: _dt.datetime) -> None:
        key.rotation.next_rotation = when
        key.rotation.job = self.env.scheduler.schedule(
            when, JOB_KIND, account=key.account_id, region=key.region, key_id=key.key_id
        )

    def _rotate_key_job(self, due: _dt.datetime, args: dict[str, Any]) -> None:
        key = self.state(args["account"], args["region"]).keys.get(args["key_id"])
        if key is None or not key.rotation.enabled:
            return
        key.rotation.job = None
        if key.state is not KeyState.ENABLED:
            # Not rotated while disabled or pending deletion; next_rotation stays in the past
            # and rotation_on_enable catches up when the key is enabled again.
            return
        self._rotate(key, "AUTOMATIC", due)
        self._schedule(key, due + _dt.timedelta(days=key.rotation.period_days))

    def rotation_on_enable(self, key: Key) -> None:
        """EnableKey hook: rotate at once if the automatic date passed while the key was off."""
        rot = key.rotation
        now = self.env.clock.now()
        if (
            key.state is KeyState.ENABLED
            and rot.enabled
            and rot.job is None
            and rot.next_rotation is not None
            and rot.next_rotation <= now
        ):
            self._rotate(key, "AUTOMATIC", now)
            self._schedule(key, now + _dt.timedelta(days=rot.period_days))

    # -- on demand ------------------------------------------------------------------------
    @operation("RotateKeyOnDemand", resource=key_resource)
    def rotate_key_on_demand(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key = self.finder.find(ctx, p["KeyId"], aliases=False)
        self._check_rotatable(key, automatic=False)
        key_states.check("RotateKeyOnDemand", key)
        rot = key.rotation
        if rot.on_demand_count >= ON_DEMAND_LIMIT:
            raise LimitExceededException(
                f"{key.arn} has reached the limit of {ON_DEMAND_LIMIT} on-demand rotations "
                "per key, which cannot be raised."
            )
        if (
            rot.enabled
            and rot.next_rotation is not None
            and rot.next_rotation - ctx.now <= CONFLICT_WINDOW
        ):
            raise ConflictException(
                f"An automatic rotation of {key.arn} is in progress or scheduled to begin "
                "within the next 20 minutes. Try again later."
            )
        if key.origin is Origin.EXTERNAL and self._pending_import(key) is None:
            # K-ROD: imported keys rotate onto material imported beforehand.
            raise UnsupportedOperationException(
                f"{key.arn} has no key material in PENDING_ROTATION state. Import new key "
                "material (ImportType NEW_KEY_MATERIAL) before rotating on demand."
            )
        rot.on_demand_count += 1
        self._rotate(key, "ON_DEMAND", ctx.now)
        # K-ROD: the automatic schedule is left exactly as it was.
        return {"KeyId": key.key_id}

    @staticmethod
    def _pending_import(key: Key) -> str | None:
        if key.imported is None:
            return None
        for rec in key.imported.materials:
            if rec.state == "PENDING_ROTATION" and rec.imported:
                return rec.material_id
        return None

    def _rotate(self, key: Key, rotation_type: str, when: _dt.datetime) -> KeyMaterial:
        """Make new material CURRENT, keep the old for Decrypt, and announce the rotation."""
        previous = key.current_material
        if key.origin is Origin.EXTERNAL:
            new_id = self._pending_import(key)
            new = key.material(new_id) if new_id is not None else None
            assert new is not None and key.imported is not None  # checked by the caller
            for rec in key.imported.materials:
                if rec.state == "CURRENT":
                    rec.state = "NON_CURRENT"
                elif rec.material_id == new.material_id:
                    rec.state = "CURRENT"
        else:
            new = self.generate_material(key)
        for m in key.materials:
            if m is not new and m.state == "CURRENT":
                m.state = "NON_CURRENT"
        new.state = "CURRENT"
        key.rotation.history.append(RotationRecord(new.material_id, when, rotation_type))
        record = service_event("RotateKey", when, key, self.env.ids.uuid())
        # K-CT "RotateKey": the service event names the rotation type and both materials.
        record["serviceEventDetails"] = {
            "rotationType": rotation_type,
            "keyOrigin": key.origin.value,
            "previousKeyMaterialId": previous.material_id,
            "currentKeyMaterialId": new.material_id,
            "keyId": key.key_id,
        }
        self.env.trail.append(record)
        self.env.events.publish(
            source="aws.kms",
            detail_type="KMS CMK Rotation",
            account=key.account_id,
            region=key.region,
            detail={
                "key-id": key.key_id,
                "key-origin": key.origin.value,
                "rotation-type": rotation_type,
                "previous-key-material-id": previous.material_id,
                "current-key-material-id": new.material_id,
            },
            resources=[key.arn],
        )
        return new

    # -- listing --------------------------------------------------------------------------
    @operation("ListKeyRotations", read_only=True, resource=key_resource)
    def list_key_rotations(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        from simulator.services.kms.service import page

        key = self.finder.find(ctx, p["KeyId"], aliases=False)
        if key.key_spec != "SYMMETRIC_DEFAULT" or key.origin not in (
            Origin.AWS_KMS,
            Origin.EXTERNAL,
        ):
            raise UnsupportedOperationException(
                f"{key.arn} does not support key rotation, so it has no key materials to list."
            )
        key_states.check("ListKeyRotations", key)
        include_all = p.get("IncludeKeyMaterial", "ROTATIONS_ONLY") == "ALL_KEY_MATERIAL"
        entries = [e for e in self._material_entries(key) if include_all or "RotationType" in e]
        chunk, extra = page(entries, p)
        return {"Rotations": chunk, **extra}

    @staticmethod
    def _material_entries(key: Key) -> list[dict[str, Any]]:
        """One RotationsListEntry per material, oldest first (first material, rotations,
        then imported material pending rotation)."""
        rotations = {r.material_id: r for r in key.rotation.history}
        out: list[dict[str, Any]] = []

        def entry(material_id: str, state: str) -> dict[str, Any]:
            e: dict[str, Any] = {
                "KeyId": key.key_id,
                "KeyMaterialId": material_id,
                "KeyMaterialState": state,
            }
            rec = rotations.get(material_id)
            if rec is not None:
                e["RotationDate"] = rec.rotation_date
                e["RotationType"] = rec.rotation_type
            return e

        if key.imported is None:
            for m in key.materials:
                out.append(entry(m.material_id, m.state))
            return out
        for im in key.imported.materials:
            e = entry(im.material_id, im.state)
            # RotationsListEntry: these fields appear for symmetric EXTERNAL keys only.
            e["ImportState"] = "IMPORTED" if im.imported else "PENDING_IMPORT"
            if im.expiration_model is not None:
                e["ExpirationModel"] = im.expiration_model
            if im.valid_to is not None:
                e["ValidTo"] = im.valid_to
            if im.description is not None:
                e["KeyMaterialDescription"] = im.description
            out.append(e)
        return out
