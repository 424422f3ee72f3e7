"""Key specs as data: which KeyUsage each KeySpec allows and which algorithms it offers.

Source: https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html and
https://docs.aws.amazon.com/kms/latest/developerguide/asymmetric-key-specs.html (facts sheet
1.2-1.4). Algorithm lists keep the order DescribeKey returns them in (the DescribeKey and
CreateKey examples in the KMS API model). A spec that AWS has but this table does not list
answers ``NotSimulatedException``, with the reason when there is one (``UNSIMULATED``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.core.errors import NotSimulatedException, ValidationException


@dataclass(frozen=True)
class KeySpecInfo:
    name: str
    kind: str  # "symmetric", "rsa", "ecc", "ed25519" or "hmac"
    usages: tuple[str, ...]  # allowed KeyUsage values; the first is the default
    encryption_algorithms: tuple[str, ...] = ()
    signing_algorithms: tuple[str, ...] = ()
    mac_algorithms: tuple[str, ...] = ()
    key_agreement_algorithms: tuple[str, ...] = ()
    # e.g. {"bits": 2048} for RSA, {"key_bytes": 32} for HMAC key material
    extra: dict[str, int] = field(default_factory=dict)

    @property
    def asymmetric(self) -> bool:
        return self.kind in ("rsa", "ecc", "ed25519")


_ENCRYPT, _SIGN = "ENCRYPT_DECRYPT", "SIGN_VERIFY"
_MAC, _AGREE = "GENERATE_VERIFY_MAC", "KEY_AGREEMENT"

# K-ASYM: RSAES_OAEP with the same hash for MGF1 and an empty label.
RSA_ENCRYPTION = ("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256")
# K-ASYM: PKCS #1 v1.5 and PSS (salt length = hash length), in DescribeKey's order.
RSA_SIGNING = (
    "RSASSA_PKCS1_V1_5_SHA_256",
    "RSASSA_PKCS1_V1_5_SHA_384",
    "RSASSA_PKCS1_V1_5_SHA_512",
    "RSASSA_PSS_SHA_256",
    "RSASSA_PSS_SHA_384",
    "RSASSA_PSS_SHA_512",
)


def _rsa(bits: int) -> KeySpecInfo:
    return KeySpecInfo(
        f"RSA_{bits}",
        "rsa",
        (_ENCRYPT, _SIGN),
        encryption_algorithms=RSA_ENCRYPTION,
        signing_algorithms=RSA_SIGNING,
        extra={"bits": bits},
    )


def _ecc(name: str, signing: str, agreement: bool) -> KeySpecInfo:
    # K-CREATE: NIST curves sign or agree keys; secp256k1 only signs.
    return KeySpecInfo(
        name,
        "ecc",
        (_SIGN, _AGREE) if agreement else (_SIGN,),
        signing_algorithms=(signing,),
        key_agreement_algorithms=("ECDH",) if agreement else (),
    )


def _hmac(bits: int) -> KeySpecInfo:
    # The spec names the key length: HMAC_256 holds a 256-bit (32-byte) secret.
    return KeySpecInfo(
        f"HMAC_{bits}",
        "hmac",
        (_MAC,),
        mac_algorithms=(f"HMAC_SHA_{bits}",),
        extra={"key_bytes": bits // 8},
    )


SPECS: dict[str, KeySpecInfo] = {
    "SYMMETRIC_DEFAULT": KeySpecInfo(
        "SYMMETRIC_DEFAULT",
        "symmetric",
        (_ENCRYPT,),
        encryption_algorithms=("SYMMETRIC_DEFAULT",),
    ),
    **{f"RSA_{bits}": _rsa(bits) for bits in (2048, 3072, 4096)},
    "ECC_NIST_P256": _ecc("ECC_NIST_P256", "ECDSA_SHA_256", agreement=True),
    "ECC_NIST_P384": _ecc("ECC_NIST_P384", "ECDSA_SHA_384", agreement=True),
    "ECC_NIST_P521": _ecc("ECC_NIST_P521", "ECDSA_SHA_512", agreement=True),
    "ECC_SECG_P256K1": _ecc("ECC_SECG_P256K1", "ECDSA_SHA_256", agreement=False),
    # K-SIGN: ED25519_SHA_512 takes MessageType RAW only, ED25519_PH_SHA_512 DIGEST only.
    "ECC_NIST_EDWARDS25519": KeySpecInfo(
        "ECC_NIST_EDWARDS25519",
        "ed25519",
        (_SIGN,),
        signing_algorithms=("ED25519_SHA_512", "ED25519_PH_SHA_512"),
    ),
    **{f"HMAC_{bits}": _hmac(bits) for bits in (224, 256, 384, 512)},
}

# Specs AWS has that Secrets Lab does not simulate, with the reason a learner sees.
UNSIMULATED: dict[str, str] = {
    "SM2": "SM2 keys exist only in the AWS China Regions (K-CREATE)",
    **{
        f"ML_DSA_{n}": "the cryptography library has no ML-DSA (FIPS 204)"
        for n in ("44", "65", "87")
    },
    **{
        f"ML_KEM_{n}": "the cryptography library has no ML-KEM (FIPS 203)"
        for n in ("512", "768", "1024")
    },
}


def lookup(spec: str) -> KeySpecInfo:
    info = SPECS.get(spec)
    if info is None:
        why = UNSIMULATED.get(spec)
        raise NotSimulatedException(
            f"KMS keys with KeySpec {spec} are not simulated by Secrets Lab"
            + (f": {why}." if why else ".")
            + f" Simulated key specs: {', '.join(SPECS)}."
        )
    return info


def resolve_usage(info: KeySpecInfo, usage: str | None) -> str:
    """The KeyUsage a CreateKey request ends up with, or the ValidationException AWS sends."""
    if usage is None:
        if info.kind != "symmetric":
            # K-CREATE: KeyUsage "is optional when you are creating a symmetric encryption KMS
            # key; otherwise, it is required" (HMAC and every asymmetric spec).
            raise ValidationException(
                f"You must specify a KeyUsage value for all KMS keys with a KeySpec of {info.name}."
            )
        usage = "ENCRYPT_DECRYPT"
    if usage not in info.usages:
        raise ValidationException(f"KeyUsage {usage} is not compatible with KeySpec {info.name}")
    return usage
