"""KMS key usage tracking: GetKeyLastUsage.

``trail_resources`` names the KMS keys a call used in its CloudTrail record's ``resources``
(``{"accountId", "type": "AWS::KMS::Key", "ARN"}``, as the records in the KMS developer guide's
"Logging AWS KMS API calls with AWS CloudTrail" examples show), failed calls included when the
key exists.

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
from simulator.core.errors import AWSError
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
    _trail_cache: dict[str, dict[str, str]]

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

    _RESULT_KEYS = ("KeyId", "SourceKeyId")
    _PARAM_KEYS = ("KeyId", "TargetKeyId", "DestinationKeyId", "SourceKeyId")

    def trail_resources(
        self, ctx: RequestContext, params: dict[str, Any], result: Any
    ) -> list[dict[str, str]] | None:
        """The keys this call used, for its CloudTrail record (None: it named no key)."""
        found: list[str] = []
        if isinstance(result, dict):
            meta = result.get("KeyMetadata")
            if isinstance(meta, dict) and isinstance(meta.get("Arn"), str):
                found.append(meta["Arn"])
            for member in self._RESULT_KEYS:
                value = result.get(member)
                if isinstance(value, str) and value.startswith("arn:") and value not in found:
                    found.append(value)
        if not found:
            for member in self._PARAM_KEYS:
                ref = params.get(member)
                if isinstance(ref, str) and ref:
                    try:
                        arn = self.finder.find(ctx, ref).arn
                    except AWSError:
                        continue
                    if arn not in found:
                        found.append(arn)
        if not found:
            return None
        return [self._trail_resource(arn) for arn in found]

    def _trail_resource(self, arn: str) -> dict[str, str]:
        entry = self._trail_cache.get(arn)
        if entry is None:
            entry = self._trail_cache[arn] = {
                "accountId": arn.split(":", 5)[4],
                "type": "AWS::KMS::Key",
                "ARN": arn,
            }
        return dict(entry)

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
