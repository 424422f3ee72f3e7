"""KMS handlers: keys, aliases, symmetric encryption, data keys, deletion on the clock.

Handlers are thin: they resolve the key, ask :mod:`key_states` whether its state allows the
operation, and call :mod:`crypto`. Facts (limits, messages, defaults) come from the facts
sheet part 1 and the KMS API reference; each surprising rule cites its page.
"""

from __future__ import annotations

import base64
import datetime as _dt
import json
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from simulator.core import quotas
from simulator.core.context import RequestContext
from simulator.core.errors import NotSimulatedException, ValidationException
from simulator.protocol.registry import operation
from simulator.services.base import Service, ServiceEnv
from simulator.services.kms import crypto, key_specs, key_states
from simulator.services.kms.admission import AdmissionOps
from simulator.services.kms.annotations import (
    AnnotationOps,
    check_policy_for,
    key_resource,
    parse_tags,
    service_event,
)
from simulator.services.kms.asymmetric_ops import (
    AsymmetricOps,
    algorithm_error,
    destination_resource,
    usage_error,
)
from simulator.services.kms.errors import (
    DryRunOperationException,
    IncorrectKeyException,
    InvalidCiphertextException,
    InvalidMarkerException,
    LimitExceededException,
)
from simulator.services.kms.grants import GrantOps
from simulator.services.kms.importing import ImportOps
from simulator.services.kms.keys import KeyFinder, is_key_id, key_arn, metadata
from simulator.services.kms.model import (
    ImportState,
    Key,
    KeyManager,
    KeyMaterial,
    KeyState,
    KeyUsage,
    MultiRegionState,
    Origin,
    RegionState,
)
from simulator.services.kms.multiregion import MultiRegionOps
from simulator.services.kms.rotation import RotationOps
from simulator.services.kms.usage import UsageOps
from simulator.services.regional import RegionalStates

# Facts sheet 1.16 (K-RQ): resource quotas per account and Region (core/quotas.py).
KEYS_PER_REGION = int(quotas.default("kms", "customer_managed_keys"))
# Facts sheet 1.6 (K-SKD): the service enforces 7-30 days although the model allows 1-365.
MIN_WINDOW, MAX_WINDOW, DEFAULT_WINDOW = 7, 30, 30
DRY_RUN_MESSAGE = "The request would have succeeded, but the DryRun option is set."


def _default_policy(account_id: str) -> str:
    # K-DKP: the default key policy for keys created through the API: one statement giving the
    # account (and so IAM policies) full access to the key.
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Id": "key-default-1",
            "Statement": [
                {
                    "Sid": "Enable IAM policies",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                }
            ],
        },
        indent=2,
    )


def _marker(index: int) -> str:
    return base64.urlsafe_b64encode(f"v1:{index}".encode()).decode()


def page(
    items: list[Any], params: dict[str, Any], default_limit: int = 100
) -> tuple[list[Any], dict[str, Any]]:
    start = 0
    marker = params.get("Marker")
    if marker is not None:
        try:
            tag, _, num = base64.urlsafe_b64decode(marker.encode()).decode().partition(":")
            start = int(num)
            if tag != "v1" or start < 0:
                raise ValueError
        except ValueError:
            raise InvalidMarkerException("The marker is invalid.") from None
    limit = params.get("Limit", default_limit)
    chunk = items[start : start + limit]
    more = start + limit < len(items)
    extra: dict[str, Any] = {"Truncated": more}
    if more:
        extra["NextMarker"] = _marker(start + limit)
    return chunk, extra


class KmsService(
    AnnotationOps,
    AsymmetricOps,
    RotationOps,
    ImportOps,
    GrantOps,
    MultiRegionOps,
    AdmissionOps,
    UsageOps,
    Service,
):
    service_name = "kms"

    def __init__(self, env: ServiceEnv) -> None:
        super().__init__(env)
        self._regions = RegionalStates(RegionState)
        self._aead: dict[str, AESGCM] = {}  # unsealed material, never persisted or shown
        self.finder = KeyFinder(self.state)
        self._trail_cache: dict[str, dict[str, str]] = {}  # key ARN -> CloudTrail resource
        env.scheduler.register("kms.delete_key", self._delete_key_job)
        # Each operation mixin may register its own scheduled-job kinds.
        for klass in type(self).__mro__:
            hook = klass.__dict__.get("register_jobs")
            if hook is not None:
                hook(self)

    def __repr__(self) -> str:
        return f"<KmsService {sum(len(s.keys) for s in self._regions.values())} keys>"

    # -- state ----------------------------------------------------------------------------
    def state(self, account: str, region: str) -> RegionState:
        return self._regions.of(account, region)

    def dump(self) -> Any:
        return self._regions.dump()

    def restore(self, data: Any) -> None:
        self._regions.restore(data)
        self._aead.clear()

    def _cipher(self, key: Key, material: KeyMaterial) -> AESGCM:
        aead = self._aead.get(material.material_id)
        if aead is None:
            aead = self._aead[material.material_id] = AESGCM(self.unseal_material(key, material))
        return aead

    # -- keys -----------------------------------------------------------------------------
    @operation("CreateKey")
    def create_key(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        if "KeySpec" in p and "CustomerMasterKeySpec" in p:
            raise ValidationException(
                "You cannot specify KeySpec and CustomerMasterKeySpec in the same request. "
                "CustomerMasterKeySpec is deprecated."
            )
        spec = p.get("KeySpec") or p.get("CustomerMasterKeySpec") or "SYMMETRIC_DEFAULT"
        info = key_specs.lookup(spec)
        usage = key_specs.resolve_usage(info, p.get("KeyUsage"))
        origin = p.get("Origin", "AWS_KMS")
        if (
            origin in ("AWS_CLOUDHSM", "EXTERNAL_KEY_STORE")
            or p.get("CustomKeyStoreId")
            or (p.get("XksKeyId"))
        ):
            raise NotSimulatedException(
                "KMS custom key stores (AWS CloudHSM and external key stores) are not "
                "simulated by Secrets Lab."
            )
        policy = p.get("Policy")
        if policy is not None:
            new_arn = key_arn(ctx.region, ctx.account_id, "*")
            check_policy_for(ctx, policy, new_arn, bool(p.get("BypassPolicyLockoutSafetyCheck")))
        tags = parse_tags(p.get("Tags", []))
        st = self.state(ctx.account_id, ctx.region)
        customer_keys = sum(1 for k in st.keys.values() if k.key_manager is KeyManager.CUSTOMER)
        limit = self.env.quotas.limit(ctx.account_id, ctx.region, "kms", "customer_managed_keys")
        if customer_keys >= limit:
            raise LimitExceededException(
                f"The request was rejected because the customer managed keys quota "
                f"({limit}) for this account and Region has been reached."
            )
        multi_region = bool(p.get("MultiRegion"))
        # K-MRK: multi-Region key ids are "mrk-" and 32 hex digits.
        key_id = f"mrk-{self.env.ids.hex(32)}" if multi_region else self.env.ids.uuid()
        key = Key(
            key_id=key_id,
            arn=key_arn(ctx.region, ctx.account_id, key_id),
            account_id=ctx.account_id,
            region=ctx.region,
            creation_date=ctx.now,
            description=p.get("Description", ""),
            key_spec=spec,
            key_usage=KeyUsage(usage),
            origin=Origin(origin),
            key_manager=KeyManager.CUSTOMER,
            # K-STATE: a key for imported material waits in PendingImport.
            state=KeyState.PENDING_IMPORT if origin == "EXTERNAL" else KeyState.ENABLED,
            policy=policy if policy is not None else _default_policy(ctx.account_id),
            tags=tags,
            multi_region=MultiRegionState(ctx.region) if multi_region else None,
            imported=ImportState() if origin == "EXTERNAL" else None,
        )
        if origin != "EXTERNAL":
            self.generate_material(key)
        st.keys[key_id] = key
        return {"KeyMetadata": metadata(key)}

    def generate_material(self, key: Key) -> KeyMaterial:
        """Create and seal new backing material for ``key`` (CreateKey and rotation)."""
        info = key_specs.lookup(key.key_spec)
        if info.kind == "symmetric":
            raw = self.env.ids.bytes(32)
        else:
            raw = self.new_key_material(key, info)  # asymmetric_ops.py: HMAC, RSA, ECC
        material = self.seal_material(key, raw)
        key.materials.append(material)
        return material

    def seal_material(self, key: Key, raw: bytes) -> KeyMaterial:
        # Sealed with the key id (not the ARN) as associated data, so multi-Region replicas,
        # which share the key id, share the sealed material too.
        return KeyMaterial(
            material_id=self.env.ids.hex(64),
            sealed=self.env.vault.seal(raw, key.key_id.encode()),
            created=self.env.clock.now(),
        )

    def unseal_material(self, key: Key, material: KeyMaterial) -> bytes:
        return self.env.vault.unseal(material.sealed, key.key_id.encode())

    @operation("DescribeKey", read_only=True, resource=key_resource)
    def describe_key(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        return {"KeyMetadata": metadata(self.finder.find(ctx, p["KeyId"]))}

    @operation("ListKeys", read_only=True)
    def list_keys(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        keys = list(self.state(ctx.account_id, ctx.region).keys.values())
        chunk, extra = page(keys, p)
        return {"Keys": [{"KeyId": k.key_id, "KeyArn": k.arn} for k in chunk], **extra}

    @operation("EnableKey", resource=key_resource)
    def enable_key(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key = self.finder.find(ctx, p["KeyId"], aliases=False)
        key_states.check("EnableKey", key)
        key.state = KeyState.ENABLED
        self.import_on_enable(key)  # importing.py: missing imported material → PendingImport
        self.rotation_on_enable(key)  # rotation.py: overdue automatic rotation runs now
        return {}

    @operation("DisableKey", resource=key_resource)
    def disable_key(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key = self.finder.find(ctx, p["KeyId"], aliases=False)
        key_states.check("DisableKey", key)
        key.state = KeyState.DISABLED
        return {}

    @operation("UpdateKeyDescription", resource=key_resource)
    def update_key_description(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key = self.finder.find(ctx, p["KeyId"], aliases=False)
        key_states.check("UpdateKeyDescription", key)
        key.description = p["Description"]
        return {}

    @operation("ScheduleKeyDeletion", resource=key_resource)
    def schedule_key_deletion(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key = self.finder.find(ctx, p["KeyId"], aliases=False)
        days = p.get("PendingWindowInDays", DEFAULT_WINDOW)
        if not MIN_WINDOW <= days <= MAX_WINDOW:
            bound = (
                f"greater than or equal to {MIN_WINDOW}"
                if days < MIN_WINDOW
                else f"less than or equal to {MAX_WINDOW}"
            )
            raise ValidationException(
                f"1 validation error detected: Value '{days}' at 'pendingWindowInDays' failed "
                f"to satisfy constraint: Member must have value {bound}"
            )
        key_states.check("ScheduleKeyDeletion", key)
        if self.replicas_block_deletion(key, days):  # multiregion.py: PendingReplicaDeletion
            return {"KeyId": key.arn, "KeyState": key.state, "PendingWindowInDays": days}
        key.state = KeyState.PENDING_DELETION
        key.deletion_date = ctx.now + _dt.timedelta(days=days)
        key.pending_window_days = days
        key.deletion_job = self.env.scheduler.schedule(
            key.deletion_date,
            "kms.delete_key",
            account=key.account_id,
            region=key.region,
            key_id=key.key_id,
        )
        return {
            "KeyId": key.arn,
            "DeletionDate": key.deletion_date,
            "KeyState": key.state,
            "PendingWindowInDays": days,
        }

    @operation("CancelKeyDeletion", resource=key_resource)
    def cancel_key_deletion(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key = self.finder.find(ctx, p["KeyId"], aliases=False)
        key_states.check("CancelKeyDeletion", key)
        self.env.scheduler.cancel(key.deletion_job)
        # K-CKD: a key whose deletion is cancelled is Disabled, not Enabled.
        key.state = KeyState.DISABLED
        key.deletion_date = key.pending_window_days = key.deletion_job = None
        return {"KeyId": key.arn}

    def _delete_key_job(self, due: _dt.datetime, args: dict[str, Any]) -> None:
        st = self.state(args["account"], args["region"])
        key = st.keys.pop(args["key_id"], None)
        if key is None:
            return
        for name in [a.name for a in st.aliases.values() if a.target_key_id == key.key_id]:
            del st.aliases[name]
        for m in key.materials:
            self._aead.pop(m.material_id, None)
        for klass in type(self).__mro__:  # mixins' deletion hooks (grants, multi-Region...)
            hook = klass.__dict__.get("key_deleted")
            if hook is not None:
                hook(self, key, due)
        self.env.trail.append(service_event("DeleteKey", due, key, self.env.ids.uuid()))
        # KMS announces the deletion on EventBridge's default bus (detail-type from the KMS
        # developer guide, https://docs.aws.amazon.com/kms/latest/developerguide/kms-events.html).
        self.env.events.publish(
            source="aws.kms",
            detail_type="KMS CMK Deletion",
            account=key.account_id,
            region=key.region,
            detail={"key-id": key.key_id},
            resources=[key.arn],
        )

    # -- encryption -----------------------------------------------------------------------
    def _usable(
        self,
        ctx: RequestContext,
        op: str,
        key_id: str,
        p: dict[str, Any],
        *,
        algorithm: str | None = None,
        dry_run: bool = True,
    ) -> Key:
        """The ENCRYPT_DECRYPT key ``key_id`` if it can do ``op`` with the requested algorithm."""
        key = self.finder.find(ctx, key_id)
        key_states.check(op, key)
        if key.key_usage is not KeyUsage.ENCRYPT_DECRYPT:
            raise usage_error(key, op)
        if algorithm is None:
            algorithm = p.get("EncryptionAlgorithm", "SYMMETRIC_DEFAULT")
        if algorithm not in key_specs.lookup(key.key_spec).encryption_algorithms:
            # K-ENC: e.g. "Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_4096."
            raise algorithm_error(str(algorithm), key)
        if dry_run and p.get("DryRun"):
            raise DryRunOperationException(DRY_RUN_MESSAGE)
        return key

    def _encrypt(self, key: Key, plaintext: bytes, context: dict[str, str] | None) -> bytes:
        material = key.current_material
        return crypto.seal(
            self._cipher(key, material),
            key.key_id,
            material.material_id,
            self.env.ids.bytes(crypto.NONCE_BYTES),
            plaintext,
            context,
        )

    def _seal_for(
        self, key: Key, algorithm: str, plaintext: bytes, context: Any, dry_run: bool
    ) -> bytes:
        """Encrypt for Encrypt/ReEncrypt once every check passed (DryRun stops just before)."""
        if algorithm != "SYMMETRIC_DEFAULT":
            return self.rsa_encrypt(key, algorithm, plaintext, context, dry_run)
        if dry_run:
            raise DryRunOperationException(DRY_RUN_MESSAGE)
        return self._encrypt(key, plaintext, context)

    def _open(
        self,
        ctx: RequestContext,
        op: str,
        p: dict[str, Any],
        key_id: str | None,
        algorithm: str,
        context: Any,
    ) -> tuple[Key, bytes, KeyMaterial | None]:
        """Decrypt for Decrypt/ReEncrypt: the key, the plaintext, the symmetric material used."""
        blob: bytes | None = p.get("CiphertextBlob")
        if p.get("DryRun") and "IGNORE_CIPHERTEXT" in (p.get("DryRunModifiers") or []):
            # K-DEC: a dry run that skips the ciphertext needs the key named in the request.
            if not key_id:
                raise ValidationException(
                    "The KeyId parameter is required when DryRunModifiers is IGNORE_CIPHERTEXT."
                )
            checked = self._usable(ctx, op, key_id, p, algorithm=algorithm, dry_run=False)
            return checked, b"", None  # the caller raises DryRunOperationException
        if blob is None:
            # Optional in newer models (for DryRun); without it there is nothing to decrypt.
            raise ValidationException(
                "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy "
                "constraint: Member must not be null"
            )
        named = None
        if key_id:
            named = self._usable(ctx, op, key_id, p, algorithm=algorithm, dry_run=False)
        if named is not None and key_specs.lookup(named.key_spec).asymmetric:
            # K-DEC: asymmetric ciphertext is plain RSAES-OAEP output with no metadata.
            return named, self.rsa_decrypt(named, algorithm, blob, context), None
        try:
            header = crypto.parse_header(blob)
        except crypto.BadCiphertext:
            raise InvalidCiphertextException("") from None
        if not is_key_id(header.key_id):
            raise InvalidCiphertextException("")
        key = named or self._usable(ctx, op, header.key_id, p, algorithm=algorithm, dry_run=False)
        if key.key_id != header.key_id:
            # K-DEC: a KeyId that is not the key that encrypted the blob.
            raise IncorrectKeyException(
                "The key ID in the request does not identify a CMK that can perform this operation."
            )
        material = key.material(header.material_id)
        if material is None:
            raise InvalidCiphertextException("")
        try:
            plaintext = crypto.open_blob(self._cipher(key, material), header, blob, context)
        except crypto.BadCiphertext:
            raise InvalidCiphertextException("") from None
        return key, plaintext, material

    @operation("Encrypt", read_only=True, resource=key_resource)
    def encrypt(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key = self._usable(ctx, "Encrypt", p["KeyId"], p, dry_run=False)
        algorithm = p.get("EncryptionAlgorithm", "SYMMETRIC_DEFAULT")
        blob = self._seal_for(
            key, algorithm, p["Plaintext"], p.get("EncryptionContext"), bool(p.get("DryRun"))
        )
        return {"CiphertextBlob": blob, "KeyId": key.arn, "EncryptionAlgorithm": algorithm}

    @operation("Decrypt", read_only=True, resource=key_resource)
    def decrypt(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        if p.get("Recipient"):
            raise NotSimulatedException(
                "KMS Recipient (Nitro Enclaves attestation) is not simulated by Secrets Lab."
            )
        algorithm = p.get("EncryptionAlgorithm", "SYMMETRIC_DEFAULT")
        key, plaintext, material = self._open(
            ctx, "Decrypt", p, p.get("KeyId"), algorithm, p.get("EncryptionContext")
        )
        if p.get("DryRun"):
            raise DryRunOperationException(DRY_RUN_MESSAGE)
        out = {"KeyId": key.arn, "Plaintext": plaintext, "EncryptionAlgorithm": algorithm}
        if material is not None:
            out["KeyMaterialId"] = material.material_id
        return out

    @operation("ReEncrypt", read_only=True, resource=destination_resource)
    def re_encrypt(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        # K-REENC: decrypt and encrypt inside KMS; the source key may come from the blob.
        src_alg = p.get("SourceEncryptionAlgorithm", "SYMMETRIC_DEFAULT")
        dst_alg = p.get("DestinationEncryptionAlgorithm", "SYMMETRIC_DEFAULT")
        source, plaintext, src_material = self._open(
            ctx, "ReEncrypt", p, p.get("SourceKeyId"), src_alg, p.get("SourceEncryptionContext")
        )
        dest = self._usable(
            ctx, "ReEncrypt", p["DestinationKeyId"], p, algorithm=dst_alg, dry_run=False
        )
        context = p.get("DestinationEncryptionContext")
        blob = self._seal_for(dest, dst_alg, plaintext, context, bool(p.get("DryRun")))
        out: dict[str, Any] = {
            "CiphertextBlob": blob,
            "SourceKeyId": source.arn,
            "KeyId": dest.arn,
            "SourceEncryptionAlgorithm": src_alg,
            "DestinationEncryptionAlgorithm": dst_alg,
        }
        if src_material is not None:
            out["SourceKeyMaterialId"] = src_material.material_id
        if dst_alg == "SYMMETRIC_DEFAULT":
            out["DestinationKeyMaterialId"] = dest.current_material.material_id
        return out

    def _data_key(
        self, ctx: RequestContext, op: str, p: dict[str, Any]
    ) -> tuple[Key, bytes, bytes]:
        spec, count = p.get("KeySpec"), p.get("NumberOfBytes")
        # K-GDK: exactly one of KeySpec and NumberOfBytes.
        if (spec is None) == (count is None):
            raise ValidationException(
                "Please specify either number of bytes or key spec."
                if spec is None
                else "Please specify either number of bytes or key spec, not both."
            )
        if p.get("Recipient"):
            raise NotSimulatedException(
                "KMS Recipient (Nitro Enclaves attestation) is not simulated by Secrets Lab."
            )
        key = self._usable(ctx, op, p["KeyId"], p)
        size: int = count if count is not None else {"AES_256": 32, "AES_128": 16}[str(spec)]
        plaintext = self.env.ids.bytes(size)
        return key, plaintext, self._encrypt(key, plaintext, p.get("EncryptionContext"))

    @operation("GenerateDataKey", read_only=True, resource=key_resource)
    def generate_data_key(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key, plaintext, blob = self._data_key(ctx, "GenerateDataKey", p)
        return {
            "CiphertextBlob": blob,
            "Plaintext": plaintext,
            "KeyId": key.arn,
            "KeyMaterialId": key.current_material.material_id,
        }

    @operation("GenerateDataKeyWithoutPlaintext", read_only=True, resource=key_resource)
    def generate_data_key_without_plaintext(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        key, _plaintext, blob = self._data_key(ctx, "GenerateDataKeyWithoutPlaintext", p)
        return {
            "CiphertextBlob": blob,
            "KeyId": key.arn,
            "KeyMaterialId": key.current_material.material_id,
        }

    @operation("GenerateRandom", read_only=True)
    def generate_random(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        if p.get("CustomKeyStoreId") or p.get("Recipient"):
            raise NotSimulatedException(
                "GenerateRandom from a custom key store or for a Nitro "
                "Enclave recipient is not simulated by Secrets Lab."
            )
        if "NumberOfBytes" not in p:
            # K-RAND: required in practice although the model marks it optional.
            raise ValidationException(
                "1 validation error detected: Value null at 'numberOfBytes' failed to satisfy "
                "constraint: Member must not be null"
            )
        return {"Plaintext": self.env.ids.bytes(p["NumberOfBytes"])}
