"""KMS asymmetric and HMAC key operations:
Sign,
Verify,
GenerateMac,
VerifyMac,
GetPublicKey,
DeriveSharedSecret,
GenerateDataKeyPair,
GenerateDataKeyPairWithoutPlaintext;
plus the RSAES-OAEP half of Encrypt, Decrypt and ReEncrypt (called from ``service.py``).

Rules (facts sheet 1.2-1.4, 1.12, 1.13 and the KMS API reference): each operation needs its key
usage (``InvalidKeyUsageException``), an algorithm the key spec offers (``InvalidKeyUsageException``
"Algorithm X is incompatible with key spec Y.", as real KMS words it in error reports quoted in
public issues, e.g. zalando/spring-cloud-config-aws-kms#82), a MessageType DIGEST
exactly as long as the algorithm's hash, and no encryption context with asymmetric keys. A failed
verification is an error, never ``false`` (K-VERIFY). Unsealed private keys are cached on the
service by material id, never persisted.
"""

from __future__ import annotations

import hmac as _hmac
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric import ec, rsa

from simulator.core.context import RequestContext
from simulator.core.errors import NotSimulatedException, ValidationException
from simulator.protocol.registry import operation
from simulator.services.kms import asymmetric, key_specs, key_states
from simulator.services.kms.annotations import key_resource
from simulator.services.kms.errors import (
    DryRunOperationException,
    InvalidCiphertextException,
    InvalidKeyUsageException,
    KMSInvalidMacException,
    KMSInvalidSignatureException,
    UnsupportedOperationException,
)
from simulator.services.kms.key_specs import KeySpecInfo
from simulator.services.kms.model import Key, KeyMaterial, KeyUsage

if TYPE_CHECKING:
    from simulator.services.base import ServiceEnv
    from simulator.services.kms.keys import KeyFinder

DRY_RUN_MESSAGE = "The request would have succeeded, but the DryRun option is set."


def usage_error(key: Key, op: str) -> InvalidKeyUsageException:
    return InvalidKeyUsageException(
        f"{key.arn} key usage is {key.key_usage.value} which is not valid for {op}."
    )


def algorithm_error(algorithm: str, key: Key) -> InvalidKeyUsageException:
    return InvalidKeyUsageException(
        f"Algorithm {algorithm} is incompatible with key spec {key.key_spec}."
    )


def _no_recipient(p: dict[str, Any], op: str) -> None:
    if p.get("Recipient"):
        raise NotSimulatedException(
            f"{op} with a Recipient (Nitro Enclaves attestation) is not simulated by Secrets Lab."
        )


class AsymmetricOps:
    """Mixin for :class:`KmsService`; its handlers are marked with ``@operation``."""

    finder: KeyFinder
    env: ServiceEnv
    _pairs: dict[str, tuple[bytes, asymmetric.PrivateKey]]

    if TYPE_CHECKING:

        def unseal_material(self, key: Key, material: KeyMaterial) -> bytes: ...

        def _encrypt(self, key: Key, plaintext: bytes, context: dict[str, str] | None) -> bytes: ...

        def _usable(
            self,
            ctx: RequestContext,
            op: str,
            key_id: str,
            p: dict[str, Any],
            *,
            algorithm: str | None = None,
            dry_run: bool = True,
        ) -> Key: ...

    # -- material -----------------------------------------------------------------------------
    @property
    def _seeded(self) -> bool:
        return self.env.ids.seed is not None

    def new_key_material(self, key: Key, info: KeySpecInfo) -> bytes:
        """HMAC or asymmetric material for a new KMS key; sets ``key.public_key`` when known."""
        raw, public = asymmetric.new_material(info, self.env.ids.bytes, self._seeded)
        if public is not None:
            key.public_key = public
        return raw

    def private_key(self, key: Key) -> asymmetric.PrivateKey:
        """The key's current private key, unsealed once and cached by material id."""
        material = key.current_material
        try:
            cache = self._pairs
        except AttributeError:
            cache = self._pairs = {}
        hit = cache.get(material.material_id)
        if hit is not None and hit[0] == material.sealed:
            return hit[1]
        private = asymmetric.load_private(self.unseal_material(key, material))
        cache[material.material_id] = (material.sealed, private)
        return private

    def public_key_der(self, key: Key) -> bytes:
        if key.public_key is not None:
            return key.public_key
        return asymmetric.public_der(self.private_key(key))  # e.g. a snapshot without it

    def _key_for(self, ctx: RequestContext, op: str, key_id: str, usage: KeyUsage) -> Key:
        key = self.finder.find(ctx, key_id)
        key_states.check(op, key)
        if key.key_usage is not usage:
            raise usage_error(key, op)
        return key

    # -- RSAES-OAEP for Encrypt, Decrypt and ReEncrypt -----------------------------------------
    def _no_context(self, key: Key, context: dict[str, str] | None) -> None:
        if context:
            # K-EC: an encryption context is for symmetric encryption keys only.
            raise ValidationException(
                f"EncryptionContext is not supported with asymmetric KMS keys ({key.key_spec}); "
                "only symmetric encryption KMS keys use an encryption context."
            )

    def rsa_encrypt(
        self,
        key: Key,
        algorithm: str,
        plaintext: bytes,
        context: dict[str, str] | None,
        dry_run: bool,
    ) -> bytes:
        self._no_context(key, context)
        bits = key_specs.lookup(key.key_spec).extra["bits"]
        limit = asymmetric.oaep_limit(bits, algorithm)
        if len(plaintext) > limit:
            # K-ENC: RSA_2048 takes at most 214 (SHA-1) or 190 (SHA-256) bytes.
            raise ValidationException(
                f"Plaintext is too long: {key.key_spec} with {algorithm} encrypts at most "
                f"{limit} bytes, got {len(plaintext)}."
            )
        if dry_run:
            raise DryRunOperationException(DRY_RUN_MESSAGE)
        public = self.private_key(key).public_key()
        assert isinstance(public, rsa.RSAPublicKey)
        return asymmetric.oaep_encrypt(public, algorithm, plaintext)

    def rsa_decrypt(
        self, key: Key, algorithm: str, blob: bytes, context: dict[str, str] | None
    ) -> bytes:
        self._no_context(key, context)
        private = self.private_key(key)
        assert isinstance(private, rsa.RSAPrivateKey)
        try:
            return asymmetric.oaep_decrypt(private, algorithm, blob)
        except asymmetric.BadCiphertext:
            raise InvalidCiphertextException("") from None

    # -- Sign / Verify ------------------------------------------------------------------------
    def _signing(self, ctx: RequestContext, op: str, p: dict[str, Any]) -> tuple[Key, bool]:
        """Resolve and check a Sign/Verify request; returns the key and whether it is a digest."""
        key = self._key_for(ctx, op, p["KeyId"], KeyUsage.SIGN_VERIFY)
        algorithm = p["SigningAlgorithm"]
        if algorithm not in key_specs.lookup(key.key_spec).signing_algorithms:
            raise algorithm_error(algorithm, key)
        message_type = p.get("MessageType", "RAW")
        if message_type == "EXTERNAL_MU":
            # K-SIGN: EXTERNAL_MU is the ML-DSA mu, for ML_DSA_* keys only.
            raise ValidationException(
                f"Message type EXTERNAL_MU is incompatible with key spec {key.key_spec}."
            )
        digest = message_type == "DIGEST"
        if algorithm == "ED25519_SHA_512" and digest:
            raise ValidationException(
                "Signing algorithm ED25519_SHA_512 requires MessageType RAW; "
                "use ED25519_PH_SHA_512 for a message digest."
            )
        if algorithm == "ED25519_PH_SHA_512" and not digest:
            raise ValidationException(
                "Signing algorithm ED25519_PH_SHA_512 requires MessageType DIGEST; "
                "use ED25519_SHA_512 for a raw message."
            )
        size = asymmetric.digest_size(algorithm)
        if digest and len(p["Message"]) != size:
            # K-SIGN: with DIGEST the message length must equal the algorithm's hash length.
            raise ValidationException(
                f"Digest is invalid length for algorithm {algorithm}: MessageType DIGEST needs "
                f"a {size}-byte message, got {len(p['Message'])} bytes."
            )
        if algorithm == "ED25519_PH_SHA_512":
            raise NotSimulatedException(
                "ED25519_PH_SHA_512 (Ed25519ph) is not simulated by Secrets Lab: the "
                "cryptography library offers pure Ed25519 only. Use ED25519_SHA_512 with "
                "MessageType RAW."
            )
        if p.get("DryRun"):
            raise DryRunOperationException(DRY_RUN_MESSAGE)
        return key, digest

    @operation("Sign", read_only=True, resource=key_resource)
    def sign(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key, digest = self._signing(ctx, "Sign", p)
        algorithm = p["SigningAlgorithm"]
        signature = asymmetric.sign(
            self.private_key(key), algorithm, p["Message"], digest, self._seeded
        )
        return {"KeyId": key.arn, "Signature": signature, "SigningAlgorithm": algorithm}

    @operation("Verify", read_only=True, resource=key_resource)
    def verify(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key, digest = self._signing(ctx, "Verify", p)
        algorithm = p["SigningAlgorithm"]
        public = self.private_key(key).public_key()
        if not asymmetric.verify(public, algorithm, p["Message"], digest, p["Signature"]):
            # K-VERIFY: a signature that does not verify is an error, never SignatureValid false.
            raise KMSInvalidSignatureException("")
        return {"KeyId": key.arn, "SignatureValid": True, "SigningAlgorithm": algorithm}

    # -- GenerateMac / VerifyMac --------------------------------------------------------------
    def _mac(self, ctx: RequestContext, op: str, p: dict[str, Any]) -> tuple[Key, bytes]:
        key = self._key_for(ctx, op, p["KeyId"], KeyUsage.GENERATE_VERIFY_MAC)
        algorithm = p["MacAlgorithm"]
        if algorithm not in key_specs.lookup(key.key_spec).mac_algorithms:
            raise algorithm_error(algorithm, key)
        if p.get("DryRun"):
            raise DryRunOperationException(DRY_RUN_MESSAGE)
        secret = self.unseal_material(key, key.current_material)
        return key, asymmetric.hmac_tag(secret, algorithm, p["Message"])

    @operation("GenerateMac", read_only=True, resource=key_resource)
    def generate_mac(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key, tag = self._mac(ctx, "GenerateMac", p)
        return {"Mac": tag, "MacAlgorithm": p["MacAlgorithm"], "KeyId": key.arn}

    @operation("VerifyMac", read_only=True, resource=key_resource)
    def verify_mac(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key, tag = self._mac(ctx, "VerifyMac", p)
        if not _hmac.compare_digest(tag, p["Mac"]):
            # K-MAC: a mismatch is KMSInvalidMacException, never MacValid false.
            raise KMSInvalidMacException("")
        return {"KeyId": key.arn, "MacValid": True, "MacAlgorithm": p["MacAlgorithm"]}

    # -- GetPublicKey -------------------------------------------------------------------------
    @operation("GetPublicKey", read_only=True, resource=key_resource)
    def get_public_key(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key = self.finder.find(ctx, p["KeyId"])
        key_states.check("GetPublicKey", key)
        info = key_specs.lookup(key.key_spec)
        if not info.asymmetric:
            raise UnsupportedOperationException(
                f"{key.arn} key spec is {key.key_spec}; GetPublicKey works only with "
                "asymmetric KMS keys."
            )
        out: dict[str, Any] = {
            "KeyId": key.arn,
            "PublicKey": self.public_key_der(key),
            "CustomerMasterKeySpec": key.key_spec,
            "KeySpec": key.key_spec,
            "KeyUsage": key.key_usage,
        }
        # K-MODEL: each algorithm list appears only for the matching key usage.
        if key.key_usage is KeyUsage.ENCRYPT_DECRYPT:
            out["EncryptionAlgorithms"] = list(info.encryption_algorithms)
        elif key.key_usage is KeyUsage.SIGN_VERIFY:
            out["SigningAlgorithms"] = list(info.signing_algorithms)
        elif key.key_usage is KeyUsage.KEY_AGREEMENT:
            out["KeyAgreementAlgorithms"] = list(info.key_agreement_algorithms)
        return out

    # -- DeriveSharedSecret -------------------------------------------------------------------
    @operation("DeriveSharedSecret", read_only=True, resource=key_resource)
    def derive_shared_secret(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        _no_recipient(p, "DeriveSharedSecret")
        key = self._key_for(ctx, "DeriveSharedSecret", p["KeyId"], KeyUsage.KEY_AGREEMENT)
        algorithm = p["KeyAgreementAlgorithm"]
        if algorithm not in key_specs.lookup(key.key_spec).key_agreement_algorithms:
            raise algorithm_error(algorithm, key)
        private = self.private_key(key)
        assert isinstance(private, ec.EllipticCurvePrivateKey)
        try:
            secret = asymmetric.ecdh(private, p["PublicKey"])
        except asymmetric.BadInput as exc:
            raise ValidationException(str(exc)) from None
        if p.get("DryRun"):
            raise DryRunOperationException(DRY_RUN_MESSAGE)
        return {
            "KeyId": key.arn,
            "SharedSecret": secret,
            "KeyAgreementAlgorithm": algorithm,
            "KeyOrigin": key.origin,
        }

    # -- GenerateDataKeyPair ------------------------------------------------------------------
    def _data_key_pair(
        self, ctx: RequestContext, op: str, p: dict[str, Any]
    ) -> tuple[Key, dict[str, Any], bytes]:
        _no_recipient(p, op)
        spec = p["KeyPairSpec"]
        info = key_specs.lookup(spec)  # SM2 and ML-KEM answer NotSimulatedException
        if not info.asymmetric:
            raise ValidationException(f"KeyPairSpec {spec} is not an asymmetric key pair spec.")
        # K-GDKP: the private key is encrypted under a symmetric encryption KMS key.
        key = self._usable(ctx, op, p["KeyId"], p)
        private = asymmetric.generate(info, self.env.ids.bytes, self._seeded)
        der = asymmetric.private_der(private)
        out = {
            "PrivateKeyCiphertextBlob": self._encrypt(key, der, p.get("EncryptionContext")),
            "PublicKey": asymmetric.public_der(private),
            "KeyId": key.arn,
            "KeyPairSpec": spec,
            "KeyMaterialId": key.current_material.material_id,
        }
        return key, out, der

    @operation("GenerateDataKeyPair", read_only=True, resource=key_resource)
    def generate_data_key_pair(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        _key, out, der = self._data_key_pair(ctx, "GenerateDataKeyPair", p)
        return {**out, "PrivateKeyPlaintext": der}

    @operation("GenerateDataKeyPairWithoutPlaintext", read_only=True, resource=key_resource)
    def generate_data_key_pair_without_plaintext(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        _key, out, _der = self._data_key_pair(ctx, "GenerateDataKeyPairWithoutPlaintext", p)
        return out


def destination_resource(svc: Any, ctx: RequestContext, p: dict[str, Any]) -> str:
    """ReEncrypt acts on its destination key (kms:ReEncryptTo); the source is read from."""
    return key_resource(svc, ctx, {"KeyId": p.get("DestinationKeyId")})
