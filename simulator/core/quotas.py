"""Service quotas as data, their per-account adjustments, and request-rate throttling.

The KMS tables come from the facts sheet, section 1.16: resource quotas from
https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html (K-RQ) and request
quotas from https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html
(K-REQ). Services read a limit with :meth:`QuotaBook.value`, which applies any adjustment a
learner made with :meth:`QuotaBook.adjust` (the Service Quotas console, in AWS terms), so
"raise my quota" is a one-liner in a notebook and a test can lower a limit of 50,000 to 3.

Request-rate throttling is off by default: notebooks fire requests far faster than any real
account would, and the virtual clock only moves when a learner advances it. With
``cloud.throttling(True)`` every request counts against its quota bucket for the current
virtual-clock second (per account and Region, as AWS counts them), so 10,001 Encrypt calls in
one virtual second meet ``ThrottlingException``. The counters are not simulated state: they are
not snapshotted and a failed request never changes a service's ``dump()``.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

RESOURCE = "resource"
RATE = "rate"


@dataclass(frozen=True)
class Quota:
    """One row of a quota table. ``default`` may be overridden per Region by ``regional``."""

    service: str
    name: str  # stable identifier used by code and by QuotaBook.adjust
    description: str  # the wording of the AWS quota table
    default: float
    adjustable: bool
    kind: str  # RESOURCE or RATE
    unit: str  # "keys", "aliases", "grants", "bytes", "rotations", "requests per second"...
    regional: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    operations: tuple[str, ...] = ()  # RATE quotas: the operations that share the bucket
    source: str = ""

    def default_for(self, region: str) -> float:
        return self.regional.get(region, self.default)


def _regions(value: float, *names: str) -> dict[str, float]:
    return dict.fromkeys(names, value)


# K-REQ: the shared symmetric cryptographic quota is higher in the busiest Regions.
_SYMMETRIC_BY_REGION = MappingProxyType(
    {
        **_regions(
            20_000,
            "us-east-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-northeast-1",
            "eu-central-1",
            "eu-west-2",
        ),
        **_regions(100_000, "us-east-1", "us-west-2", "eu-west-1"),
    }
)
_CHINA = ("cn-north-1", "cn-northwest-1")


def _kms_resource(
    name: str, description: str, default: float, adjustable: bool, unit: str, source: str
) -> Quota:
    return Quota("kms", name, description, default, adjustable, RESOURCE, unit, source=source)


def _kms_rate(
    name: str,
    description: str,
    default: float,
    operations: Iterable[str],
    *,
    adjustable: bool = True,
    regional: Mapping[str, float] | None = None,
    source: str = "K-REQ",
) -> Quota:
    return Quota(
        "kms",
        name,
        description,
        default,
        adjustable,
        RATE,
        "requests per second",
        MappingProxyType(dict(regional or {})),
        tuple(operations),
        source,
    )


def _per_operation(rate: float, *operations: str) -> list[Quota]:
    """K-REQ: each of these operations has its own, independent quota of ``rate``."""
    return [_kms_rate(f"{op}_rate", f"{op} request rate", rate, (op,)) for op in operations]


_GDKP = ("GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext")


def _data_key_pair(spec: str, rate: float, china: float | None = None) -> Quota:
    # K-REQ: GenerateDataKeyPair has one quota per KeyPairSpec, shared by both operations.
    regional = dict.fromkeys(_CHINA, china) if china is not None else None
    return _kms_rate(
        f"GenerateDataKeyPair_{spec}_rate",
        f"Cryptographic operations (GenerateDataKeyPair {spec}) request rate",
        rate,
        _GDKP,
        regional=regional,
    )


KMS_QUOTAS: tuple[Quota, ...] = (
    # -- resource quotas, per account and Region (K-RQ) ---------------------------------
    _kms_resource(
        "customer_managed_keys",
        "Customer managed keys",
        100_000,
        True,
        "keys",
        "K-RQ; AWS managed and AWS owned keys do not count",
    ),
    _kms_resource("aliases_per_key", "Aliases per KMS key", 50, True, "aliases", "K-RQ"),
    _kms_resource("grants_per_key", "Grants per KMS key", 50_000, True, "grants", "K-RQ"),
    _kms_resource("custom_key_stores", "Custom key stores", 10, True, "key stores", "K-RQ"),
    _kms_resource(
        "on_demand_rotations_per_key",
        "On-demand rotations per KMS key",
        25,
        False,
        "rotations",
        "K-RQ, K-ROD",
    ),
    _kms_resource(
        "key_policy_document_size",
        "Key policy document size",
        32_768,
        False,
        "bytes",
        "K-PKP; archived K-RQ tables (K-HIST)",
    ),
    # -- request quotas, requests per second per account and Region (K-REQ) --------------
    _kms_rate(
        "cryptographic_operations_symmetric_rate",
        "Cryptographic operations (symmetric) request rate",
        10_000,
        (
            "Decrypt",
            "Encrypt",
            "GenerateDataKey",
            "GenerateDataKeyWithoutPlaintext",
            "GenerateMac",
            "GenerateRandom",
            "ReEncrypt",
            "VerifyMac",
        ),
        regional=_SYMMETRIC_BY_REGION,
    ),
    _kms_rate(
        "cryptographic_operations_rsa_rate",
        "Cryptographic operations (RSA) request rate",
        1_000,
        ("Decrypt", "Encrypt", "ReEncrypt", "Sign", "Verify"),
        source="K-REQ (value not re-verified; archived docs said 500)",
    ),
    _kms_rate(
        "cryptographic_operations_ecc_rate",
        "Cryptographic operations (ECC and SM2) request rate",
        1_000,
        ("Sign", "Verify", "DeriveSharedSecret", "Encrypt", "Decrypt", "ReEncrypt"),
        source="K-REQ (value not re-verified; archived docs said 300)",
    ),
    _kms_rate(
        "cryptographic_operations_ml_dsa_rate",
        "Cryptographic operations (ML-DSA) request rate",
        1_000,
        ("Sign", "Verify"),
        source="K-REQ (value not re-verified)",
    ),
    *(
        _data_key_pair(spec, 100)
        for spec in (
            "ECC_NIST_P256",
            "ECC_NIST_P384",
            "ECC_NIST_P521",
            "ECC_SECG_P256K1",
            "ECC_NIST_EDWARDS25519",
        )
    ),
    _data_key_pair("RSA_2048", 20, china=1),
    _data_key_pair("RSA_3072", 4, china=0.5),
    _data_key_pair("RSA_4096", 1, china=0.1),
    _data_key_pair("SM2", 25),
    *_per_operation(2_000, "DescribeKey", "GetPublicKey", "ListResourceTags"),
    *_per_operation(1_000, "GetKeyPolicy", "GetKeyRotationStatus"),
    *_per_operation(500, "ListAliases", "ListKeys"),
    *_per_operation(
        100, "ListGrants", "ListKeyPolicies", "ListRetirableGrants", "ListKeyRotations"
    ),
    *_per_operation(50, "CreateGrant", "RetireGrant", "RevokeGrant"),
    *_per_operation(
        15,
        "DeleteAlias",
        "EnableKeyRotation",
        "PutKeyPolicy",
        "ScheduleKeyDeletion",
        "ImportKeyMaterial",
        "DeleteImportedKeyMaterial",
    ),
    *_per_operation(10, "TagResource"),
    *_per_operation(
        5,
        "CreateKey",
        "CreateAlias",
        "UpdateAlias",
        "EnableKey",
        "DisableKey",
        "DisableKeyRotation",
        "CancelKeyDeletion",
        "UntagResource",
        "UpdateKeyDescription",
        "ReplicateKey",
        "UpdatePrimaryRegion",
        "RotateKeyOnDemand",
        "GetKeyLastUsage",
    ),
    *_per_operation(1, "GetParametersForImport"),
)

_ROWS: dict[tuple[str, str], Quota] = {(q.service, q.name): q for q in KMS_QUOTAS}
TABLE: Mapping[tuple[str, str], Quota] = MappingProxyType(_ROWS)


def register(*rows: Quota) -> None:
    """Add another service's quota table (each service module registers its own rows)."""
    for q in rows:
        _ROWS.setdefault((q.service, q.name), q)


def lookup(service: str, name: str) -> Quota:
    try:
        return TABLE[(service, name)]
    except KeyError:
        known = ", ".join(sorted(n for s, n in TABLE if s == service))
        raise KeyError(f"no {service} quota named {name!r}; known: {known}") from None


def default(service: str, name: str) -> float:
    """The documented default of a quota (no Region, no adjustment)."""
    return lookup(service, name).default


class QuotaBook:
    """A Cloud's view of the quota tables: adjustments per account, and rate counters."""

    def __init__(self) -> None:
        # (account, service, name, region or None) -> adjusted value
        self._adjusted: dict[tuple[str, str, str, str | None], float] = {}
        # (account, region, service, name) -> [window start (epoch seconds), requests counted]
        self._windows: dict[tuple[str, str, str, str], list[int]] = {}
        self.throttling = False

    def __repr__(self) -> str:
        state = "on" if self.throttling else "off"
        return f"<QuotaBook throttling={state} adjustments={len(self._adjusted)}>"

    def value(self, account: str, region: str, service: str, name: str) -> float:
        """The quota in force for ``account`` in ``region``, after any adjustment."""
        quota = lookup(service, name)
        adjusted = self._adjusted.get((account, service, name, region))
        if adjusted is None:
            adjusted = self._adjusted.get((account, service, name, None))
        return adjusted if adjusted is not None else quota.default_for(region)

    def limit(self, account: str, region: str, service: str, name: str) -> int:
        """A resource quota as a whole number (resource quotas are counts or bytes)."""
        return int(self.value(account, region, service, name))

    def adjust(
        self,
        account: str,
        name: str,
        value: float,
        *,
        service: str = "kms",
        region: str | None = None,
    ) -> None:
        """Change a quota for one account (in one Region, or in all when ``region`` is None).

        Refuses quotas AWS marks as not adjustable, like the 25 on-demand rotations per key.
        """
        quota = lookup(service, name)
        if not quota.adjustable:
            raise ValueError(
                f"the {service} quota {name!r} ({quota.description}) is not adjustable"
            )
        if not value > 0 or math.isinf(value):
            raise ValueError(f"a quota must be a positive finite number, not {value!r}")
        self._adjusted[(account, service, name, region)] = float(value)

    def reset(self, account: str | None = None) -> None:
        """Forget adjustments (of one account, or all) and every rate counter."""
        if account is None:
            self._adjusted.clear()
        else:
            for k in [k for k in self._adjusted if k[0] == account]:
                del self._adjusted[k]
        self._windows.clear()

    def admit(self, account: str, region: str, service: str, name: str, now: _dt.datetime) -> bool:
        """Count one request against a rate quota; False if it is over the rate.

        A rate of ``r`` per second allows ``floor(r * w)`` requests in windows of ``w`` virtual
        seconds, with ``w`` the smallest whole number of seconds holding at least one request
        (so 0.1 per second means one request per 10 seconds).
        """
        rate = self.value(account, region, service, name)
        width = max(1, math.ceil(1 / rate)) if rate > 0 else 1
        allowed = max(1, math.floor(rate * width))
        second = int(now.timestamp())
        start = second - second % width
        slot = (account, region, service, name)
        window = self._windows.get(slot)
        if window is None or window[0] != start:
            window = self._windows[slot] = [start, 0]
        if window[1] >= allowed:
            return False
        window[1] += 1
        return True


__all__ = [
    "KMS_QUOTAS",
    "Quota",
    "QuotaBook",
    "RATE",
    "RESOURCE",
    "TABLE",
    "default",
    "lookup",
    "register",
]
