"""KMS key usage tracking: GetKeyLastUsage.

After every successful cryptographic operation the dispatcher calls :meth:`UsageOps.succeeded`,
which records the operation, the time, the CloudTrail event id and the request id on each key
the operation used (both keys of a ReEncrypt). The operations tracked are the model's
``KeyLastUsageTrackingOperation`` enum, read from botocore, not listed by hand. In the
simulator tracking starts when a key is created, so ``TrackingStartDate`` is the creation date.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from simulator.core.context import RequestContext
from simulator.protocol import spec
from simulator.protocol.registry import operation
from simulator.services.kms.annotations import key_resource
from simulator.services.kms.model import KeyLastUsage

if TYPE_CHECKING:
    from simulator.services.kms.keys import KeyFinder
    from simulator.services.kms.model import Key, RegionState


@functools.cache
def tracked_operations() -> frozenset[str]:
    shape = spec.service_model("kms").shape_for("KeyLastUsageTrackingOperation")
    return frozenset(shape.enum)


class UsageOps:
    """Mixin for :class:`KmsService`."""

    finder: KeyFinder

    def state(self, account: str, region: str) -> RegionState:
        raise NotImplementedError

    def succeeded(self, ctx: RequestContext, result: Any) -> None:
        if ctx.operation not in tracked_operations() or not isinstance(result, dict):
            return
        used = KeyLastUsage(ctx.operation, ctx.now, ctx.event_id, ctx.request_id)
        for member in ("KeyId", "SourceKeyId"):
            arn = result.get(member)
            if isinstance(arn, str):
                key = self._key_by_arn(ctx, arn)
                if key is not None:
                    key.last_usage = used

    def _key_by_arn(self, ctx: RequestContext, arn: str) -> Key | None:
        parts = arn.split(":", 5)
        if len(parts) != 6 or not parts[5].startswith("key/"):
            return None
        return self.state(parts[4], parts[3]).keys.get(parts[5][4:])

    @operation("GetKeyLastUsage", read_only=True, resource=key_resource)
    def get_key_last_usage(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        # K-GKLU: key id or key ARN only (no aliases), no cross-account use.
        key = self.finder.find(ctx, p["KeyId"], aliases=False)
        last: dict[str, Any] = {}
        if key.last_usage is not None:
            u = key.last_usage
            last = {
                "Operation": u.operation,
                "Timestamp": u.timestamp,
                "CloudTrailEventId": u.cloudtrail_event_id,
                "KmsRequestId": u.request_id,
            }
        return {
            "KeyId": key.key_id,
            "KeyLastUsage": last,
            "TrackingStartDate": key.creation_date,
            "KeyCreationDate": key.creation_date,
        }
