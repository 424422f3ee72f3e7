"""KMS imported key material (BYOK):
GetParametersForImport,
ImportKeyMaterial,
DeleteImportedKeyMaterial.

The flow (facts sheet 1.14, K-GPI, K-IKM, K-DIKM): CreateKey(Origin=EXTERNAL) leaves a key in
PendingImport; GetParametersForImport hands out an RSA wrapping public key and an import
token, valid together for 24 hours; ImportKeyMaterial unwraps the material with the matching
private key and the key becomes Enabled. Material imported with an expiry is deleted by KMS at
ValidTo (a "kms.expire_key_material" job on the virtual clock): the key goes back to
PendingImport, the trail gets a ``DeleteExpiredKeyMaterial`` AwsServiceEvent and EventBridge a
``KMS Imported Key Material Expiration`` event. Re-importing the same material restores the
key, and ciphertext made before the deletion decrypts again.

Symmetric keys may hold several imported materials: ImportType NEW_KEY_MATERIAL adds one in
PENDING_ROTATION state for RotateKeyOnDemand (rotation.py), EXISTING_KEY_MATERIAL re-imports
one already associated. KMS derives the KeyMaterialId from the key id and the material, so a
re-import is recognised by its id even after the material itself is gone; we do the same with
HMAC-SHA256 keyed by the material, which reveals nothing about it.

Simulated: symmetric (SYMMETRIC_DEFAULT) keys, wrapping keys RSA_2048/3072/4096 with
RSAES_OAEP_SHA_1/256 and RSA_AES_KEY_WRAP_SHA_1/256. RSAES_PKCS1_V1_5 has been refused since
2023-10-10 and SM2 exists only in the China Regions (K-GPI). Importing into asymmetric or HMAC
keys answers NotSimulatedException. The RSA wrapping key pair always comes from the OS CSPRNG
(through ``cryptography``), even in a seeded Cloud: it never appears in notebooks, and RSA key
generation cannot be driven from the seed.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import hashes, keywrap, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from simulator.core.context import RequestContext
from simulator.core.errors import NotSimulatedException, ValidationException
from simulator.protocol.registry import operation
from simulator.services.kms import key_states
from simulator.services.kms.annotations import key_resource, service_event
from simulator.services.kms.errors import (
    ExpiredImportTokenException,
    IncorrectKeyMaterialException,
    InvalidCiphertextException,
    InvalidImportTokenException,
    KMSInvalidStateException,
    NotFoundException,
    UnsupportedOperationException,
)
from simulator.services.kms.model import (
    ImportedMaterial,
    ImportParameters,
    ImportState,
    Key,
    KeyMaterial,
    KeyState,
    Origin,
)

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from simulator.services.base import ServiceEnv
    from simulator.services.kms.keys import KeyFinder
    from simulator.services.kms.model import RegionState

# K-GPI: a public key and its import token are valid for 24 hours.
PARAMETERS_VALID_FOR = _dt.timedelta(hours=24)
# K-IKM: ValidTo must be in the future and at most 365 days after the request.
MAX_VALID_FOR = _dt.timedelta(days=365)
WRAPPING_KEY_BITS = {"RSA_2048": 2048, "RSA_3072": 3072, "RSA_4096": 4096}
TOKEN_BYTES = 32
SYMMETRIC_MATERIAL_BYTES = 32  # K-IKM: symmetric key material is 256 bits
EXPIRES, DOES_NOT_EXPIRE = "KEY_MATERIAL_EXPIRES", "KEY_MATERIAL_DOES_NOT_EXPIRE"
NEW, EXISTING = "NEW_KEY_MATERIAL", "EXISTING_KEY_MATERIAL"
PERMANENT = ("CURRENT", "NON_CURRENT")  # PENDING_ROTATION material is not yet associated
JOB_KIND = "kms.expire_key_material"


def material_id_for(key_id: str, raw: bytes) -> str:
    """The KeyMaterialId of imported material: a function of the key id and the material."""
    return hmac.new(
        raw, b"kms-imported-key-material:" + key_id.encode(), hashlib.sha256
    ).hexdigest()


def _wrapping_aad(key: Key, token: str) -> bytes:
    return f"{key.key_id}/import/{token}".encode()


def _oaep(algorithm: str) -> padding.OAEP:
    digest: hashes.HashAlgorithm = (
        hashes.SHA256() if algorithm.endswith("SHA_256") else hashes.SHA1()
    )
    return padding.OAEP(mgf=padding.MGF1(digest), algorithm=digest, label=None)


class ImportOps:
    """Mixin for :class:`KmsService`; its handlers are marked with ``@operation``."""

    if TYPE_CHECKING:
        env: ServiceEnv
        finder: KeyFinder
        _aead: dict[str, AESGCM]

        def state(self, account: str, region: str) -> RegionState: ...

        def seal_material(self, key: Key, raw: bytes) -> KeyMaterial: ...

    def register_jobs(self) -> None:
        self.env.scheduler.register(JOB_KIND, self._expire_material_job)

    def _import_key(self, ctx: RequestContext, key_id: str, op: str) -> tuple[Key, ImportState]:
        key = self.finder.find(ctx, key_id, aliases=False)
        if key.origin is not Origin.EXTERNAL or key.imported is None:
            # Key-state table footnote 9: a key that cannot have imported material.
            raise UnsupportedOperationException(
                f"{key.arn} origin is {key.origin.value} which is not valid for this operation."
            )
        key_states.check(op, key)
        if key.key_spec != "SYMMETRIC_DEFAULT":
            raise NotSimulatedException(
                f"Importing key material into {key.key_spec} keys is not simulated by Secrets "
                "Lab (simulated: SYMMETRIC_DEFAULT)."
            )
        return key, key.imported

    # -- GetParametersForImport -----------------------------------------------------------
    @operation("GetParametersForImport", resource=key_resource)
    def get_parameters_for_import(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key, imp = self._import_key(ctx, p["KeyId"], "GetParametersForImport")
        algorithm, spec = p["WrappingAlgorithm"], p["WrappingKeySpec"]
        if algorithm == "RSAES_PKCS1_V1_5":
            raise UnsupportedOperationException(
                "The RSAES_PKCS1_V1_5 wrapping algorithm is not supported: KMS stopped "
                "accepting it on October 10, 2023. Use RSAES_OAEP_SHA_256 or "
                "RSA_AES_KEY_WRAP_SHA_256."
            )
        if algorithm == "SM2PKE" or spec == "SM2":
            if ctx.region.startswith("cn-"):
                raise NotSimulatedException("SM2 wrapping keys are not simulated by Secrets Lab.")
            raise UnsupportedOperationException(
                "The SM2 wrapping key spec and SM2PKE wrapping algorithm are available only "
                "in the China Regions."
            )
        private = rsa.generate_private_key(public_exponent=65537, key_size=WRAPPING_KEY_BITS[spec])
        token = self.env.ids.bytes(TOKEN_BYTES).hex()
        der = private.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        valid_to = ctx.now + PARAMETERS_VALID_FOR
        imp.parameters.append(
            ImportParameters(
                token=token,
                wrapping_key_spec=spec,
                wrapping_algorithm=algorithm,
                sealed_wrapping_key=self.env.vault.seal(der, _wrapping_aad(key, token)),
                valid_to=valid_to,
            )
        )
        public = private.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return {
            "KeyId": key.arn,
            "ImportToken": bytes.fromhex(token),
            "PublicKey": public,
            "ParametersValidTo": valid_to,
        }

    # -- ImportKeyMaterial ----------------------------------------------------------------
    def _parameters(
        self, key: Key, imp: ImportState, wire: bytes, now: _dt.datetime
    ) -> ImportParameters:
        token = wire.hex()
        for params in imp.parameters:
            if hmac.compare_digest(params.token, token):
                if now >= params.valid_to:
                    raise ExpiredImportTokenException(
                        "The import token expired at "
                        f"{params.valid_to.strftime('%Y-%m-%dT%H:%M:%SZ')}. Call "
                        "GetParametersForImport for a new public key and import token."
                    )
                return params
        raise InvalidImportTokenException(
            f"The import token is invalid or belongs to a different KMS key than {key.arn}."
        )

    def _unwrap(self, key: Key, params: ImportParameters, blob: bytes) -> bytes:
        der = self.env.vault.unseal(params.sealed_wrapping_key, _wrapping_aad(key, params.token))
        private = serialization.load_der_private_key(der, password=None)
        assert isinstance(private, rsa.RSAPrivateKey)
        oaep = _oaep(params.wrapping_algorithm)
        try:
            if params.wrapping_algorithm.startswith("RSAES_OAEP"):
                return private.decrypt(blob, oaep)
            # RSA_AES_KEY_WRAP_*: an ephemeral AES key wrapped with RSA-OAEP, followed by the
            # material wrapped under it with AES Key Wrap with Padding (RFC 5649).
            n = private.key_size // 8
            if len(blob) <= n:
                raise ValueError("no wrapped material after the wrapped AES key")
            aes_key = private.decrypt(blob[:n], oaep)
            return keywrap.aes_key_unwrap_with_padding(aes_key, blob[n:])
        except (ValueError, keywrap.InvalidUnwrap):
            raise InvalidCiphertextException(
                "KMS could not decrypt the encrypted key material with the wrapping key and "
                f"wrapping algorithm ({params.wrapping_algorithm}) of this import token."
            ) from None

    @operation("ImportKeyMaterial", resource=key_resource)
    def import_key_material(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key, imp = self._import_key(ctx, p["KeyId"], "ImportKeyMaterial")
        model = p.get("ExpirationModel", EXPIRES)
        valid_to: _dt.datetime | None = p.get("ValidTo")
        if model == EXPIRES:
            if valid_to is None:
                raise ValidationException(
                    "ValidTo is required when ExpirationModel is KEY_MATERIAL_EXPIRES."
                )
            if valid_to <= ctx.now:
                raise ValidationException("ValidTo must be a future date and time.")
            if valid_to > ctx.now + MAX_VALID_FOR:
                raise ValidationException(
                    "ValidTo must be no more than 365 days after the request date."
                )
        elif valid_to is not None:
            raise ValidationException(
                "ValidTo is not valid when ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE."
            )
        params = self._parameters(key, imp, p["ImportToken"], ctx.now)
        raw = self._unwrap(key, params, p["EncryptedKeyMaterial"])
        if len(raw) != SYMMETRIC_MATERIAL_BYTES:
            raise IncorrectKeyMaterialException(
                f"The key material is {len(raw) * 8} bits long; key material for a "
                "SYMMETRIC_DEFAULT key must be 256 bits (32 bytes)."
            )
        mid = material_id_for(key.key_id, raw)
        rec = next((r for r in imp.materials if r.material_id == mid), None)
        # K-IKM: ImportType defaults to NEW before the first import, EXISTING afterwards.
        import_type = p.get("ImportType") or (NEW if not imp.materials else EXISTING)
        given_id = p.get("KeyMaterialId")
        if import_type == NEW:
            if given_id is not None:
                raise ValidationException(
                    "You cannot specify a KeyMaterialId when ImportType is NEW_KEY_MATERIAL."
                )
            if rec is not None:
                raise IncorrectKeyMaterialException(
                    f"This key material is already associated with {key.arn} (KeyMaterialId "
                    f"{mid}). Import it with ImportType EXISTING_KEY_MATERIAL."
                )
            if any(r.state == "PENDING_ROTATION" for r in imp.materials):
                raise KMSInvalidStateException(
                    f"{key.arn} already has key material in PENDING_ROTATION state. Rotate "
                    "onto it (RotateKeyOnDemand) or delete it before importing other new "
                    "key material."
                )
        elif rec is None or (given_id is not None and given_id != mid):
            raise IncorrectKeyMaterialException(
                f"The key material is not the key material previously imported into {key.arn}"
                + (f" with KeyMaterialId {given_id}." if given_id else ".")
            )
        # -- every check passed: change state ---------------------------------------------
        if rec is None:
            # The first material is the key's CURRENT one; later new ones wait for rotation.
            rec = ImportedMaterial(mid, "CURRENT" if not imp.materials else "PENDING_ROTATION")
            imp.materials.append(rec)
        if key.material(mid) is None:
            sealed = self.seal_material(key, raw)
            sealed.material_id, sealed.state = mid, rec.state
            key.materials.append(sealed)
        rec.imported = True
        if p.get("KeyMaterialDescription") is not None:
            rec.description = p["KeyMaterialDescription"]
        self.env.scheduler.cancel(rec.expiry_job)
        rec.expiration_model, rec.valid_to, rec.expiry_job = model, valid_to, None
        if valid_to is not None:
            rec.expiry_job = self.env.scheduler.schedule(
                valid_to,
                JOB_KIND,
                account=key.account_id,
                region=key.region,
                key_id=key.key_id,
                material_id=mid,
            )
        permanent = [r for r in imp.materials if r.state in PERMANENT]
        # K-IKM: the key is Enabled once every material associated with it is imported.
        if key.state is KeyState.PENDING_IMPORT and all(r.imported for r in permanent):
            key.state = KeyState.ENABLED
        self._refresh_expiry(imp)
        return {"KeyId": key.arn, "KeyMaterialId": mid}

    @staticmethod
    def _refresh_expiry(imp: ImportState) -> None:
        """DescribeKey's ExpirationModel and ValidTo: the earliest expiry among imported
        materials permanently associated with the key (KeyMetadata.ValidTo)."""
        live = [r for r in imp.materials if r.state in PERMANENT and r.imported]
        ends = [r.valid_to for r in live if r.valid_to is not None]
        if ends:
            imp.expiration_model, imp.valid_to = EXPIRES, min(ends)
        else:
            imp.valid_to = None
            if live:
                imp.expiration_model = DOES_NOT_EXPIRE

    # -- deletion and expiry --------------------------------------------------------------
    @operation("DeleteImportedKeyMaterial", resource=key_resource)
    def delete_imported_key_material(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        key, imp = self._import_key(ctx, p["KeyId"], "DeleteImportedKeyMaterial")
        wanted = p.get("KeyMaterialId")
        if wanted is None:
            # K-DIKM: without a KeyMaterialId, KMS deletes the current key material.
            rec = next((r for r in imp.materials if r.state == "CURRENT"), None)
        else:
            rec = next((r for r in imp.materials if r.material_id == wanted), None)
            if rec is None:
                raise NotFoundException(f"Key material {wanted} is not associated with {key.arn}.")
        if rec is None:
            return {"KeyId": key.arn}  # nothing imported yet: no effect
        self._remove_material(key, imp, rec)
        return {"KeyId": key.arn, "KeyMaterialId": rec.material_id}

    def _remove_material(self, key: Key, imp: ImportState, rec: ImportedMaterial) -> None:
        self.env.scheduler.cancel(rec.expiry_job)
        rec.expiry_job = None
        material = key.material(rec.material_id)
        if material is not None:
            key.materials.remove(material)
            self._aead.pop(rec.material_id, None)
        if rec.state == "PENDING_ROTATION":
            # Not permanently associated: it goes away entirely and the key is unaffected.
            imp.materials.remove(rec)
        else:
            rec.imported, rec.valid_to = False, None
            # K-DIKM: a key pending deletion keeps its state; any other key needs the
            # material back before it can be used (PendingImport).
            if key.state not in (KeyState.PENDING_DELETION, KeyState.PENDING_REPLICA_DELETION):
                key.state = KeyState.PENDING_IMPORT
        self._refresh_expiry(imp)

    def _expire_material_job(self, due: _dt.datetime, args: dict[str, Any]) -> None:
        key = self.state(args["account"], args["region"]).keys.get(args["key_id"])
        if key is None or key.imported is None:
            return
        imp = key.imported
        rec = next((r for r in imp.materials if r.material_id == args["material_id"]), None)
        if rec is None or not rec.imported:
            return
        rec.expiry_job = None
        self._remove_material(key, imp, rec)
        record = service_event("DeleteExpiredKeyMaterial", due, key, self.env.ids.uuid())
        record["serviceEventDetails"] = {"keyId": key.key_id, "keyMaterialId": rec.material_id}
        self.env.trail.append(record)
        self.env.events.publish(
            source="aws.kms",
            detail_type="KMS Imported Key Material Expiration",
            account=key.account_id,
            region=key.region,
            detail={"key-id": key.key_id, "key-material-id": rec.material_id},
            resources=[key.arn],
        )

    def import_on_enable(self, key: Key) -> None:
        """EnableKey hook: a key whose imported material is gone cannot be Enabled; it waits
        in PendingImport (e.g. material deleted while pending deletion, then cancelled)."""
        if key.imported is not None and any(
            r.state in PERMANENT and not r.imported for r in key.imported.materials
        ):
            key.state = KeyState.PENDING_IMPORT
