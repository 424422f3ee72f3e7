"""The AWS Encryption SDK for Python (classic master-key-provider API) against the simulator.

The SDK builds its own boto3 KMS clients; ``cloud.patch_boto3()`` routes them here, so these
tests exercise envelope encryption exactly as an application would run it against AWS:
GenerateDataKey for the first key, Encrypt for each extra key, Decrypt of one encrypted data
key on the way back, with the message's encryption context passed to KMS as AAD.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from aws_encryption_sdk import (
    CommitmentPolicy,
    DiscoveryAwsKmsMasterKeyProvider,
    EncryptionSDKClient,
    StrictAwsKmsMasterKeyProvider,
)
from aws_encryption_sdk.exceptions import DecryptKeyError, MasterKeyProviderError
from aws_encryption_sdk.key_providers.kms import DiscoveryFilter
from botocore.exceptions import ClientError

from simulator import Cloud

MESSAGE = bytes(range(256)) * 4096  # 1 MiB: 256 frames of the SDK's default 4 KiB
CONTEXT = {"purpose": "interop-encryption-context", "tenant": "42"}
SDK_AGENT = "AwsEncryptionSdkPython/"


@pytest.fixture
def sdk() -> Any:
    return EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)


@pytest.fixture
def patched(cloud: Cloud) -> Iterator[Cloud]:
    with cloud.patch_boto3():
        yield cloud


def _arn(kms: Any, description: str) -> str:
    return str(kms.create_key(Description=description)["KeyMetadata"]["Arn"])


def _sdk_calls(cloud: Cloud) -> list[tuple[str, str, str | None]]:
    """(eventName, keyId, errorCode) of every KMS call the SDK made, in order."""
    return [
        (r["eventName"], r["requestParameters"]["keyId"], r.get("errorCode"))
        for r in cloud.trail
        if SDK_AGENT in r.get("userAgent", "")
    ]


def test_one_mib_round_trip_keeps_the_context_and_leaves_a_trail(
    patched: Cloud, kms: Any, sdk: Any
) -> None:
    arn = _arn(kms, "esdk")
    provider = StrictAwsKmsMasterKeyProvider(key_ids=[arn])
    ciphertext, enc_header = sdk.encrypt(
        source=MESSAGE, key_provider=provider, encryption_context=CONTEXT
    )
    assert MESSAGE[:4096] not in ciphertext and len(ciphertext) > len(MESSAGE)
    plaintext, dec_header = sdk.decrypt(source=ciphertext, key_provider=provider)
    assert plaintext == MESSAGE

    # The header read back from the ciphertext carries our pairs (plus the SDK's own public
    # key for the signing algorithm suite), unchanged.
    assert dec_header.encryption_context == enc_header.encryption_context
    assert CONTEXT.items() <= dec_header.encryption_context.items()
    (edk,) = dec_header.encrypted_data_keys
    assert edk.key_provider.provider_id == "aws-kms"
    assert edk.key_provider.key_info == arn.encode()

    assert _sdk_calls(patched) == [("GenerateDataKey", arn, None), ("Decrypt", arn, None)]
    generate, decrypt = (r for r in patched.trail if SDK_AGENT in r.get("userAgent", ""))
    # The SDK binds the whole header context to the data key: KMS saw it on both calls.
    for record in (generate, decrypt):
        assert record["eventSource"] == "kms.amazonaws.com"
        assert record["requestParameters"]["encryptionContext"] == dec_header.encryption_context
    assert generate["requestParameters"]["numberOfBytes"] == 32
    assert decrypt["readOnly"] is True and "errorCode" not in decrypt


def test_disabled_key_fails_decryption_with_the_sdks_error(
    patched: Cloud, kms: Any, sdk: Any, caplog: pytest.LogCaptureFixture
) -> None:
    arn = _arn(kms, "esdk")
    provider = StrictAwsKmsMasterKeyProvider(key_ids=[arn])
    ciphertext, _ = sdk.encrypt(source=MESSAGE, key_provider=provider, encryption_context=CONTEXT)
    kms.disable_key(KeyId=arn)

    with caplog.at_level(logging.ERROR, logger="aws_encryption_sdk"):
        with pytest.raises(DecryptKeyError) as excinfo:
            sdk.decrypt(source=ciphertext, key_provider=provider)
    # The SDK's final error names no KMS code; the KMS error is what its master key logged.
    assert str(excinfo.value) == "Unable to decrypt any data key"
    causes = [r.exc_info[1] for r in caplog.records if r.exc_info and r.exc_info[1]]
    kms_errors = [e for e in causes if isinstance(e, ClientError)]
    assert [e.response["Error"]["Code"] for e in kms_errors] == ["DisabledException"]
    assert kms_errors[0].response["Error"]["Message"] == f"{arn} is disabled."
    assert _sdk_calls(patched)[-1] == ("Decrypt", arn, "DisabledException")

    kms.enable_key(KeyId=arn)
    assert sdk.decrypt(source=ciphertext, key_provider=provider)[0] == MESSAGE


def test_tampered_header_context_is_refused_by_kms(patched: Cloud, kms: Any, sdk: Any) -> None:
    arn = _arn(kms, "esdk")
    provider = StrictAwsKmsMasterKeyProvider(key_ids=[arn])
    ciphertext, _ = sdk.encrypt(source=b"short", key_provider=provider, encryption_context=CONTEXT)
    # Same length, so the header still parses; the SDK sends the altered context to KMS before
    # it can check the header's own authentication tag, and KMS refuses the AAD mismatch.
    original = CONTEXT["purpose"].encode()
    assert ciphertext.count(original) == 1
    forged = ciphertext.replace(original, b"interop-encryption-contexT")
    with pytest.raises(DecryptKeyError):
        sdk.decrypt(source=forged, key_provider=provider)
    assert _sdk_calls(patched)[-1] == ("Decrypt", arn, "InvalidCiphertextException")


def test_two_keys_each_decrypt_alone_and_a_disabled_one_is_skipped(
    patched: Cloud, kms: Any, sdk: Any
) -> None:
    first, second = _arn(kms, "esdk one"), _arn(kms, "esdk two")
    both = StrictAwsKmsMasterKeyProvider(key_ids=[first, second])
    ciphertext, header = sdk.encrypt(source=MESSAGE, key_provider=both, encryption_context=CONTEXT)
    assert sorted(k.key_provider.key_info for k in header.encrypted_data_keys) == sorted(
        [first.encode(), second.encode()]
    )
    # One data key: generated under the first key, then wrapped again by the second.
    assert _sdk_calls(patched) == [("GenerateDataKey", first, None), ("Encrypt", second, None)]

    only_second = StrictAwsKmsMasterKeyProvider(key_ids=[second])
    assert sdk.decrypt(source=ciphertext, key_provider=only_second)[0] == MESSAGE
    assert _sdk_calls(patched)[-1] == ("Decrypt", second, None)

    # The SDK tries the data keys in the header's (set) order, so the disabled key may or may
    # not be asked first; either way the other key decrypts the message.
    kms.disable_key(KeyId=first)
    before = len(_sdk_calls(patched))
    assert sdk.decrypt(source=ciphertext, key_provider=both)[0] == MESSAGE
    tried = _sdk_calls(patched)[before:]
    assert tried[-1] == ("Decrypt", second, None)
    assert set(tried[:-1]) <= {("Decrypt", first, "DisabledException")}


def test_discovery_provider_limited_to_the_account(patched: Cloud, kms: Any, sdk: Any) -> None:
    arn = _arn(kms, "esdk")
    account = arn.split(":")[4]
    strict = StrictAwsKmsMasterKeyProvider(key_ids=[arn])
    ciphertext, _ = sdk.encrypt(source=b"hello", key_provider=strict, encryption_context=CONTEXT)

    mine = DiscoveryAwsKmsMasterKeyProvider(
        discovery_filter=DiscoveryFilter(account_ids=[account], partition="aws")
    )
    assert sdk.decrypt(source=ciphertext, key_provider=mine)[0] == b"hello"

    # A filter for another account never calls KMS at all.
    calls = len(_sdk_calls(patched))
    other = DiscoveryAwsKmsMasterKeyProvider(
        discovery_filter=DiscoveryFilter(account_ids=["999999999999"], partition="aws")
    )
    with pytest.raises(MasterKeyProviderError, match="not allowed by this Master Key Provider"):
        sdk.decrypt(source=ciphertext, key_provider=other)
    assert len(_sdk_calls(patched)) == calls
