"""Key specs as data: which KeyUsage each KeySpec allows and which algorithms it offers.

Source: https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html and
https://docs.aws.amazon.com/kms/latest/developerguide/asymmetric-key-specs.html (facts sheet
1.2-1.4). A spec that AWS has but this table does not list answers ``NotSimulatedException``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.core.errors import NotSimulatedException, ValidationException


@dataclass(frozen=True)
class KeySpecInfo:
    name: str
    kind: str  # "symmetric", "rsa", "ecc" or "hmac"
    usages: tuple[str, ...]  # allowed KeyUsage values; the first is the default
    encryption_algorithms: tuple[str, ...] = ()
    signing_algorithms: tuple[str, ...] = ()
    mac_algorithms: tuple[str, ...] = ()
    key_agreement_algorithms: tuple[str, ...] = ()
    extra: dict[str, int] = field(default_factory=dict)  # e.g. {"bits": 2048}


SPECS: dict[str, KeySpecInfo] = {
    "SYMMETRIC_DEFAULT": KeySpecInfo(
        "SYMMETRIC_DEFAULT",
        "symmetric",
        ("ENCRYPT_DECRYPT",),
        encryption_algorithms=("SYMMETRIC_DEFAULT",),
    ),
}


def lookup(spec: str) -> KeySpecInfo:
    info = SPECS.get(spec)
    if info is None:
        raise NotSimulatedException(
            f"KMS keys with KeySpec {spec} are not simulated by Secrets Lab "
            f"(simulated: {', '.join(SPECS)})."
        )
    return info


def resolve_usage(info: KeySpecInfo, usage: str | None) -> str:
    """The KeyUsage a CreateKey request ends up with, or the ValidationException AWS sends."""
    if usage is None:
        if info.kind == "hmac":
            # K-CREATE: HMAC keys need KeyUsage GENERATE_VERIFY_MAC passed explicitly.
            raise ValidationException(
                f"You must specify a KeyUsage value for all KMS keys with a KeySpec of {info.name}."
            )
        usage = "ENCRYPT_DECRYPT"
    if usage not in info.usages:
        raise ValidationException(f"KeyUsage {usage} is not compatible with KeySpec {info.name}")
    return usage
