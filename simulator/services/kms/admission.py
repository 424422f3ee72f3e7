"""What KMS checks after authentication and before a handler runs.

The dispatcher calls :meth:`AdmissionOps.admit` for every KMS request. It does two things:

1. Request-rate quotas (facts sheet 1.16-1.17, K-REQ, K-THR), when the Cloud's throttling is on:
   the request counts against its bucket for the current virtual-clock second. Cryptographic
   operations share one bucket per key type (symmetric, RSA, ECC/SM2, ML-DSA), GenerateDataKeyPair
   has one per KeyPairSpec, and every other operation has its own. Over the rate:
   ``ThrottlingException`` "You have exceeded the rate at which you may call KMS. Reduce the
   frequency of your calls." The calling account is counted, even for another account's key.
2. The key policies of AWS managed keys (``managed.py``): customers cannot manage those keys and
   can use them only through the owning service, which AWS enforces with the key policy.

Everything here reads state and never changes it; a key that cannot be resolved is left for the
handler, which raises the AWS error for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.core import quotas
from simulator.core.context import RequestContext
from simulator.core.errors import AWSError, ThrottlingException
from simulator.services.kms import crypto, policies
from simulator.services.kms.managed import access_denied
from simulator.services.kms.model import Key, KeyManager

if TYPE_CHECKING:
    from simulator.services.base import ServiceEnv
    from simulator.services.kms.keys import KeyFinder
    from simulator.services.kms.model import RegionState

THROTTLED = (
    "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls."
)

# K-REQ: operations that share the per-key-type cryptographic quotas.
_CRYPTO_OPS = frozenset(
    {
        "Encrypt",
        "Decrypt",
        "ReEncrypt",
        "GenerateDataKey",
        "GenerateDataKeyWithoutPlaintext",
        "GenerateMac",
        "VerifyMac",
        "GenerateRandom",
        "Sign",
        "Verify",
        "DeriveSharedSecret",
    }
)
_DATA_KEY_PAIR_OPS = frozenset({"GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext"})
# Where each operation names its key, when it is not "KeyId".
_KEY_PARAM = {"CreateAlias": "TargetKeyId", "UpdateAlias": "TargetKeyId"}
# K-RETIRE: permission to retire a grant comes from the grant itself, not the key policy.
_NOT_BY_KEY_POLICY = frozenset({"RetireGrant"})


def _kind(key: Key | None) -> str:
    """The cryptographic quota bucket a key's spec falls in (K-REQ)."""
    spec = key.key_spec if key is not None else "SYMMETRIC_DEFAULT"
    if spec.startswith("RSA_"):
        return "rsa"
    if spec.startswith(("ECC_", "SM2")):
        return "ecc"
    if spec.startswith("ML_DSA"):
        return "ml_dsa"
    return "symmetric"


def rate_bucket(operation: str, params: dict[str, Any], key: Key | None) -> str | None:
    """The name of the rate quota a request counts against, or None if it has none."""
    if operation in _DATA_KEY_PAIR_OPS:
        spec = params.get("KeyPairSpec")
        return f"GenerateDataKeyPair_{spec}_rate" if isinstance(spec, str) else None
    if operation in _CRYPTO_OPS:
        return f"cryptographic_operations_{_kind(key)}_rate"
    return f"{operation}_rate"


class AdmissionOps:
    """Mixin for :class:`KmsService`: throttling and AWS managed key policies."""

    env: ServiceEnv
    finder: KeyFinder

    def state(self, account: str, region: str) -> RegionState:
        raise NotImplementedError

    def admit(self, ctx: RequestContext, params: dict[str, Any]) -> None:
        """Raise ThrottlingException or AccessDeniedException before the handler runs."""
        op = ctx.operation
        keys = self._request_keys(ctx, op, params)
        book = self.env.quotas
        if book.throttling:
            bucket = rate_bucket(op, params, keys[0][1] if keys else None)
            if bucket is not None and self._has_quota(bucket):
                if not book.admit(ctx.account_id, ctx.region, "kms", bucket, ctx.now):
                    raise ThrottlingException(THROTTLED)
        for action, key in keys:
            if key.key_manager is KeyManager.AWS and op not in _NOT_BY_KEY_POLICY:
                self._check_managed_policy(ctx, action, key, params)

    @staticmethod
    def _has_quota(name: str) -> bool:
        return ("kms", name) in quotas.TABLE

    def _find(self, ctx: RequestContext, ref: Any) -> Key | None:
        if not isinstance(ref, str) or not ref:
            return None
        try:
            return self.finder.find(ctx, ref)
        except (AWSError, KeyError):
            return None

    def _from_blob(self, ctx: RequestContext, blob: Any) -> Key | None:
        if not isinstance(blob, bytes):
            return None
        try:
            header = crypto.parse_header(blob)
        except Exception:  # any malformed blob is the handler's InvalidCiphertextException
            return None
        return self.state(ctx.account_id, ctx.region).keys.get(header.key_id)

    def _request_keys(
        self, ctx: RequestContext, op: str, params: dict[str, Any]
    ) -> list[tuple[str, Key]]:
        """(IAM action, key) for each key the request uses; the first one sets the bucket."""
        found: list[tuple[str, Key | None]] = []
        if op == "ReEncrypt":
            source = self._find(ctx, params.get("SourceKeyId")) or self._from_blob(
                ctx, params.get("CiphertextBlob")
            )
            found = [
                ("kms:ReEncryptFrom", source),
                ("kms:ReEncryptTo", self._find(ctx, params.get("DestinationKeyId"))),
            ]
        elif op == "Decrypt":
            key = self._find(ctx, params.get("KeyId")) or self._from_blob(
                ctx, params.get("CiphertextBlob")
            )
            found = [("kms:Decrypt", key)]
        elif op == "DeleteAlias":
            alias = self.state(ctx.account_id, ctx.region).aliases.get(params.get("AliasName", ""))
            if alias is not None:
                found = [("kms:DeleteAlias", self._find(ctx, alias.target_key_id))]
        else:
            found = [(f"kms:{op}", self._find(ctx, params.get(_KEY_PARAM.get(op, "KeyId"))))]
        return [(action, key) for action, key in found if key is not None]

    def _check_managed_policy(
        self, ctx: RequestContext, action: str, key: Key, params: dict[str, Any]
    ) -> None:
        context: dict[str, str | list[str]] = {
            "kms:CallerAccount": ctx.account_id,
            "aws:PrincipalArn": ctx.principal.arn,
        }
        invoked_by = ctx.principal.invoked_by
        if invoked_by and invoked_by.endswith(".amazonaws.com"):
            service = invoked_by.removesuffix(".amazonaws.com")
            context["kms:ViaService"] = f"{service}.{ctx.region}.amazonaws.com"
            if ctx.operation == "CreateGrant":
                context["kms:GrantIsForAWSResource"] = "true"
        if ctx.operation == "CreateGrant" and isinstance(params.get("Operations"), list):
            context["kms:GrantOperations"] = [str(o) for o in params["Operations"]]
        if ctx.operation == "ReEncrypt":
            keys = {k.key_id for _, k in self._request_keys(ctx, "ReEncrypt", params)}
            context["kms:ReEncryptOnSameKey"] = "true" if len(keys) == 1 else "false"
        try:
            statements = policies.parse(key.policy)
        except AWSError:
            statements = []
        request = policies.Request(ctx.principal.arn, ctx.account_id, action, key.arn, context)
        decision = policies.decide(statements, request)
        if decision != "Allow":
            raise access_denied(ctx, action, key.arn, explicit=decision == "Deny")
