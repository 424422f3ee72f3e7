"""KMS multi-Region keys: ReplicateKey, UpdatePrimaryRegion, and deleting related keys.

Facts (sheet 1.15 and 1.6; https://docs.aws.amazon.com/kms/latest/APIReference/
API_ReplicateKey.html, K-REPL; API_UpdatePrimaryRegion.html, K-UPR; API_ScheduleKeyDeletion.html,
K-SKD):

- only a multi-Region *primary* key can be replicated (``UnsupportedOperationException``
  otherwise), into another Region of the same account and partition, once per Region
  (``AlreadyExistsException``, also while that replica is pending deletion);
- related keys share the key id, the key material, key spec, key usage, origin and the
  automatic rotation setting; policy, grants, aliases, tags, description and state are their
  own. Materials are sealed with the key id as associated data, so the replica simply holds
  copies of the primary's sealed materials and ciphertext from one Region decrypts in another.
  A primary with imported material gets a replica with no material, in ``PendingImport``;
- every related key's :class:`MultiRegionState` lists the primary Region and all replica Regions
  (DescribeKey's MultiRegionConfiguration shows the same set from any of them);
- a primary scheduled for deletion while it has replicas waits in ``PendingReplicaDeletion``
  with no deletion date; its waiting period starts when the last replica is deleted.

Transient states: AWS reports a new replica as ``Creating`` (and both keys as ``Updating``
during UpdatePrimaryRegion) for "a few seconds". The virtual clock does not move on its own, so
a wait here would never end for code that polls DescribeKey the way AWS advises. The simulator
therefore returns ``Creating`` in the ReplicateKey response, as AWS does, and completes the
transition at once: the next request already sees the replica ``Enabled`` (or ``PendingImport``).
"""

from __future__ import annotations

import copy
import datetime as _dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from simulator.core.context import RequestContext
from simulator.core.errors import ValidationException
from simulator.protocol import spec
from simulator.protocol.registry import operation
from simulator.services.kms import key_states
from simulator.services.kms.annotations import check_policy, key_resource, parse_tags
from simulator.services.kms.errors import (
    AlreadyExistsException,
    LimitExceededException,
    NotFoundException,
    UnsupportedOperationException,
)
from simulator.services.kms.keys import key_arn, metadata
from simulator.services.kms.model import (
    ImportState,
    Key,
    KeyManager,
    KeyState,
    MultiRegionState,
    Origin,
    RotationState,
)

if TYPE_CHECKING:
    from simulator.services.base import ServiceEnv
    from simulator.services.kms.keys import KeyFinder
    from simulator.services.kms.model import RegionState


def _not_primary(key: Key) -> UnsupportedOperationException:
    if key.multi_region is None:
        return UnsupportedOperationException(f"{key.arn} is not a multi-Region key.")
    return UnsupportedOperationException(
        f"{key.arn} is a multi-Region replica key; only the primary key "
        f"(in {key.multi_region.primary_region}) can be used for this operation."
    )


class MultiRegionOps:
    """Mixin for :class:`KmsService`; its handlers are marked with ``@operation``."""

    env: ServiceEnv
    finder: KeyFinder

    def state(self, account: str, region: str) -> RegionState:
        raise NotImplementedError

    # -- the set of related keys -----------------------------------------------------------
    def related_keys(self, key: Key) -> Iterator[Key]:
        """Every existing key of a multi-Region key's set (primary first), ``key`` included."""
        mr = key.multi_region
        if mr is None:
            yield key
            return
        for region in [mr.primary_region, *mr.replica_regions]:
            other = self.state(key.account_id, region).keys.get(key.key_id)
            if other is not None:
                yield other

    def _share(self, keys: list[Key], primary: str, replicas: list[str]) -> None:
        for k in keys:
            k.multi_region = MultiRegionState(primary, list(replicas))

    def sync_replicas(self, primary: Key) -> None:
        """Copy the shared properties (materials, rotation setting) to every replica.

        For the rotation mixin: call after rotating a multi-Region primary key (KMS does this
        with its ``SynchronizeMultiRegionKey`` service event, K-CT).
        """
        for replica in self.related_keys(primary):
            if replica is primary or primary.origin is Origin.EXTERNAL:
                continue
            replica.materials = [copy.copy(m) for m in primary.materials]
            replica.rotation = self._shared_rotation(primary.rotation)

    @staticmethod
    def _shared_rotation(rotation: RotationState) -> RotationState:
        # The rotation setting and history are shared; the job runs on the primary only.
        return RotationState(
            enabled=rotation.enabled,
            period_days=rotation.period_days,
            next_rotation=rotation.next_rotation,
            on_demand_count=rotation.on_demand_count,
            history=[copy.copy(r) for r in rotation.history],
        )

    # -- deletion hooks (called from ScheduleKeyDeletion and the deletion job) --------------
    def replicas_block_deletion(self, key: Key, days: int) -> bool:
        """K-SKD: a primary with replicas waits in PendingReplicaDeletion; True if so."""
        mr = key.multi_region
        if mr is None or mr.primary_region != key.region:
            return False
        if not any(k is not key for k in self.related_keys(key)):
            return False
        key.state = KeyState.PENDING_REPLICA_DELETION
        key.pending_window_days = days
        key.deletion_date = None
        return True

    def key_deleted(self, key: Key, due: _dt.datetime) -> None:
        """Deletion hook: drop a deleted replica from its set; start the primary's window."""
        mr = key.multi_region
        if mr is None or key.region == mr.primary_region:
            return
        replicas = [r for r in mr.replica_regions if r != key.region]
        others = [k for k in self.related_keys(key) if k is not key]
        self._share(others, mr.primary_region, replicas)
        primary = next((k for k in others if k.region == mr.primary_region), None)
        if (
            primary is not None
            and primary.state is KeyState.PENDING_REPLICA_DELETION
            and len(others) == 1
        ):
            days = primary.pending_window_days or 30
            primary.state = KeyState.PENDING_DELETION
            primary.deletion_date = due + _dt.timedelta(days=days)
            primary.deletion_job = self.env.scheduler.schedule(
                primary.deletion_date,
                "kms.delete_key",
                account=primary.account_id,
                region=primary.region,
                key_id=primary.key_id,
            )

    # -- operations -----------------------------------------------------------------------
    @operation("ReplicateKey", resource=key_resource)
    def replicate_key(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        from simulator.services.kms.service import _default_policy

        primary = self.finder.find(ctx, p["KeyId"], aliases=False)
        mr = primary.multi_region
        if mr is None or mr.primary_region != primary.region:
            raise _not_primary(primary)
        region = p["ReplicaRegion"]
        if region not in spec.regions():
            raise ValidationException(
                f"{region} is not a valid AWS Region for KMS in this partition."
            )
        if (
            region == mr.primary_region
            or region in mr.replica_regions
            or (primary.key_id in self.state(primary.account_id, region).keys)
        ):
            raise AlreadyExistsException(
                f"{key_arn(region, primary.account_id, primary.key_id)} already exists"
            )
        key_states.check("ReplicateKey", primary)
        replica_arn = key_arn(region, primary.account_id, primary.key_id)
        policy = p.get("Policy")
        if policy is not None:
            check_policy(
                policy,
                caller_arn=ctx.principal.arn,
                account=ctx.account_id,
                key_arn=replica_arn,
                bypass=bool(p.get("BypassPolicyLockoutSafetyCheck")),
            )
        tags = parse_tags(p.get("Tags", []))
        st = self.state(primary.account_id, region)
        limit = self.env.quotas.limit(primary.account_id, region, "kms", "customer_managed_keys")
        if sum(1 for k in st.keys.values() if k.key_manager is KeyManager.CUSTOMER) >= limit:
            raise LimitExceededException(
                f"The request was rejected because the customer managed keys quota ({limit}) "
                f"for this account and Region {region} has been reached."
            )
        external = primary.origin is Origin.EXTERNAL
        replica = Key(
            key_id=primary.key_id,
            arn=replica_arn,
            account_id=primary.account_id,
            region=region,
            creation_date=ctx.now,
            description=p.get("Description", ""),
            key_spec=primary.key_spec,
            key_usage=primary.key_usage,
            origin=primary.origin,
            key_manager=primary.key_manager,
            # K-REPL: Creating for a few seconds, then Enabled (or PendingImport); see the
            # module docstring for why the transition completes at once here.
            state=KeyState.PENDING_IMPORT if external else KeyState.ENABLED,
            policy=policy if policy is not None else _default_policy(primary.account_id),
            tags=tags,
            # K-REPL: with imported material the replica starts with no material at all.
            materials=[] if external else [copy.copy(m) for m in primary.materials],
            public_key=primary.public_key,
            rotation=self._shared_rotation(primary.rotation),
            imported=ImportState() if external else None,
        )
        st.keys[replica.key_id] = replica
        keys = [*self.related_keys(primary), replica]
        self._share(keys, mr.primary_region, [*mr.replica_regions, region])
        shown = metadata(replica)
        shown.update(KeyState=KeyState.CREATING, Enabled=False)
        return {
            "ReplicaKeyMetadata": shown,
            "ReplicaPolicy": replica.policy,
            "ReplicaTags": [{"TagKey": k, "TagValue": v} for k, v in tags.items()],
        }

    @operation("UpdatePrimaryRegion", resource=key_resource)
    def update_primary_region(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        primary = self.finder.find(ctx, p["KeyId"], aliases=False)
        mr = primary.multi_region
        if mr is None or mr.primary_region != primary.region:
            raise _not_primary(primary)
        region = p["PrimaryRegion"]
        if region == primary.region:
            raise UnsupportedOperationException(
                f"{primary.arn} is already the primary key in {region}."
            )
        new_primary = self.state(primary.account_id, region).keys.get(primary.key_id)
        if new_primary is None or region not in mr.replica_regions:
            raise NotFoundException(
                f"Key '{key_arn(region, primary.account_id, primary.key_id)}' does not exist"
            )
        key_states.check("UpdatePrimaryRegion", primary)
        key_states.check("UpdatePrimaryRegion", new_primary)
        # K-UPR: both keys pass through Updating; done at once here (module docstring).
        replicas = [r for r in mr.replica_regions if r != region] + [primary.region]
        self._share(list(self.related_keys(primary)), region, replicas)
        return {}
