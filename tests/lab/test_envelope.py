"""The envelope file format, seal/open through KMS, and the exercise checks of notebook 01."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from simulator.lab import envelope
from simulator.lab.checks import CheckResult, client_error
from simulator.lab.envelope import (
    EnvelopeFile,
    EnvelopeFormatError,
    EnvelopeTampered,
    check_encrypted_data_key,
    check_envelope_file,
)

CONTEXT = {"dept": "finance", "file": "report.csv"}
DATA = bytes(range(256)) * 40  # 10,240 bytes: more than Encrypt takes


@pytest.fixture
def kms() -> Any:
    return Cloud(seed=7).client("kms", region_name="eu-west-1")


@pytest.fixture
def key_id(kms: Any) -> str:
    return str(kms.create_key(Description="envelope")["KeyMetadata"]["KeyId"])


def test_seal_and_open_round_trip_through_kms(kms: Any, key_id: str) -> None:
    sealed = envelope.seal(kms, key_id, DATA, CONTEXT)
    blob = sealed.to_bytes()
    assert DATA not in blob
    assert len(blob) == len(sealed.header()) + len(DATA) + envelope.TAG_BYTES
    assert envelope.open_envelope(kms, blob, key_id) == DATA
    assert envelope.open_envelope(kms, sealed) == DATA  # KeyId optional for symmetric blobs


def test_data_key_is_bound_to_the_encryption_context(kms: Any, key_id: str) -> None:
    sealed = envelope.seal(kms, key_id, DATA, CONTEXT)
    with pytest.raises(ClientError) as excinfo:
        kms.decrypt(CiphertextBlob=sealed.encrypted_data_key)
    assert client_error(excinfo.value)[0] == "InvalidCiphertextException"
    # A file whose stored context was edited: KMS refuses the data key.
    edited = EnvelopeFile(
        sealed.encrypted_data_key, {**CONTEXT, "dept": "hr"}, sealed.nonce, sealed.ciphertext
    )
    with pytest.raises(ClientError) as excinfo:
        envelope.open_envelope(kms, edited.to_bytes())
    assert client_error(excinfo.value)[0] == "InvalidCiphertextException"


def test_open_with_another_key_id_is_refused(kms: Any, key_id: str) -> None:
    other = kms.create_key()["KeyMetadata"]["KeyId"]
    sealed = envelope.seal(kms, key_id, b"data", CONTEXT)
    with pytest.raises(ClientError) as excinfo:
        envelope.open_envelope(kms, sealed, other)
    assert client_error(excinfo.value)[0] == "IncorrectKeyException"


def test_header_is_authenticated_locally(kms: Any, key_id: str) -> None:
    sealed = envelope.seal(kms, key_id, DATA, CONTEXT)
    blob = bytearray(sealed.to_bytes())
    nonce_at = next(s.offset for s in sealed.layout() if s.name == "nonce")
    blob[nonce_at] ^= 1
    with pytest.raises(EnvelopeTampered):
        envelope.open_envelope(kms, bytes(blob))
    blob[nonce_at] ^= 1
    blob[-1] ^= 1  # the tag
    with pytest.raises(EnvelopeTampered):
        envelope.open_envelope(kms, bytes(blob))


def test_layout_covers_every_byte_in_order(kms: Any, key_id: str) -> None:
    sealed = envelope.seal(kms, key_id, b"hello", {"a": "b"})
    spans = sealed.layout()
    assert [s.name for s in spans][:2] == ["magic", "version"]
    offset = 0
    for span in spans:
        assert span.offset == offset
        offset += span.length
    assert offset == len(sealed.to_bytes())
    blob = sealed.to_bytes()
    key_span = next(s for s in spans if s.name == "encrypted data key")
    assert blob[key_span.offset : key_span.offset + key_span.length] == sealed.encrypted_data_key
    frame = sealed.layout_frame()
    assert list(frame.columns) == ["name", "offset", "length", "note"]
    assert frame["length"].sum() == len(blob)


def test_context_order_does_not_change_the_header(kms: Any, key_id: str) -> None:
    a = EnvelopeFile(b"k", {"x": "1", "y": "2"}, b"n" * 12, b"")
    b = EnvelopeFile(b"k", {"y": "2", "x": "1"}, b"n" * 12, b"")
    assert a.header() == b.header()


@pytest.mark.parametrize(
    "blob",
    [
        b"",
        b"PK\x03\x04",
        b"SLENV\x02",
        b"SLENV\x01\x00",
        b"SLENV\x01\x00\x05{}",
        b"SLENV\x01\x00\x02{}\x00\x01k" + b"n" * 12,
        b"SLENV\x01\x00\x02[]\x00\x01k" + b"n" * 28,
        b"SLENV\x01\x00\x02{x\x00\x01k" + b"n" * 28,
    ],
)
def test_from_bytes_rejects_what_is_not_an_envelope(blob: bytes) -> None:
    with pytest.raises(EnvelopeFormatError):
        EnvelopeFile.from_bytes(blob)


def test_header_rejects_a_wrong_nonce() -> None:
    with pytest.raises(EnvelopeFormatError):
        EnvelopeFile(b"k", {}, b"short", b"").header()


def test_files_on_disk(kms: Any, key_id: str, tmp_path: Path) -> None:
    source, target = tmp_path / "report.csv", tmp_path / "report.csv.slenv"
    source.write_bytes(DATA)
    envelope.encrypt_file(kms, key_id, source, target, CONTEXT)
    assert target.read_bytes().startswith(envelope.MAGIC)
    assert envelope.decrypt_file(kms, target, key_id) == DATA


def test_no_context_round_trip(kms: Any, key_id: str) -> None:
    sealed = envelope.seal(kms, key_id, b"plain")
    assert sealed.encryption_context == {}
    assert envelope.open_envelope(kms, sealed.to_bytes()) == b"plain"


def test_check_envelope_file_accepts_a_correct_answer(kms: Any, key_id: str) -> None:
    blob = envelope.seal(kms, key_id, DATA, CONTEXT).to_bytes()
    result = check_envelope_file(kms, blob, DATA, CONTEXT, key_id)
    assert result.ok, str(result)
    assert len(result.passed) == 7 and result.failed == []
    assert "passed" in str(result) and "✓" in result._repr_html_()


def test_check_envelope_file_explains_each_mistake(kms: Any, key_id: str) -> None:
    def failures(blob: bytes, context: dict[str, str] = CONTEXT) -> list[str]:
        result = check_envelope_file(kms, blob, DATA, context, key_id)
        assert not result.ok
        return result.failed

    assert "not an envelope file" in failures(b"nope")[0]
    # No context given to GenerateDataKey: KMS refuses the key with the context the file names.
    unbound = envelope.seal(kms, key_id, DATA)
    stored = EnvelopeFile(
        unbound.encrypted_data_key, CONTEXT, unbound.nonce, unbound.ciphertext
    ).to_bytes()
    assert "InvalidCiphertextException" in failures(stored)[-1]
    # The plaintext key stored in the file.
    response = kms.generate_data_key(KeyId=key_id, KeySpec="AES_256", EncryptionContext=CONTEXT)
    leaky = envelope.seal_with_data_key(
        response["Plaintext"], response["CiphertextBlob"], DATA, CONTEXT, b"n" * 12
    )
    assert any(
        "plaintext data key is stored" in f
        for f in failures(leaky.to_bytes() + response["Plaintext"])
    )
    # An AES_128 key, and the wrong data.
    short = kms.generate_data_key(KeyId=key_id, KeySpec="AES_128", EncryptionContext=CONTEXT)
    small = envelope.seal_with_data_key(
        short["Plaintext"], short["CiphertextBlob"], b"other", CONTEXT, b"n" * 12
    )
    found = failures(small.to_bytes())
    assert any("not 32" in f for f in found) and any("not to the expected" in f for f in found)
    # Another key: KMS refuses (IncorrectKeyException) and says so.
    other = kms.create_key()["KeyMetadata"]["KeyId"]
    foreign = envelope.seal(kms, other, DATA, CONTEXT).to_bytes()
    assert "IncorrectKeyException" in failures(foreign)[-1]
    # A wrong context in the header.
    assert any(
        "not {" in f for f in failures(envelope.seal(kms, key_id, DATA, {"a": "b"}).to_bytes())
    )


def test_check_envelope_file_reports_tampered_data(kms: Any, key_id: str) -> None:
    blob = bytearray(envelope.seal(kms, key_id, DATA, CONTEXT).to_bytes())
    blob[-20] ^= 0xFF
    result = check_envelope_file(kms, bytes(blob), DATA, CONTEXT, key_id)
    assert not result.ok
    assert "does not decrypt" in result.failed[-1]


def test_check_encrypted_data_key(kms: Any, key_id: str) -> None:
    blob = kms.generate_data_key_without_plaintext(
        KeyId=key_id, KeySpec="AES_256", EncryptionContext=CONTEXT
    )["CiphertextBlob"]
    good = check_encrypted_data_key(kms, blob, key_id, CONTEXT)
    assert good.ok, str(good)
    assert not check_encrypted_data_key(kms, blob, key_id, CONTEXT, number_of_bytes=16).ok
    response = {"CiphertextBlob": blob}
    wrong_type = check_encrypted_data_key(kms, response, key_id, CONTEXT)  # type: ignore[arg-type]
    assert not wrong_type.ok and "got dict" in wrong_type.failed[0]
    unbound = kms.generate_data_key_without_plaintext(KeyId=key_id, KeySpec="AES_256")
    result = check_encrypted_data_key(kms, unbound["CiphertextBlob"], key_id, CONTEXT)
    assert not result.ok and "KMS could not decrypt" in result.failed[0]
    loose = check_encrypted_data_key(kms, unbound["CiphertextBlob"], key_id, {})
    assert loose.ok


def test_check_result_needs_at_least_one_pass() -> None:
    empty = CheckResult("nothing")
    assert not empty.ok and not bool(empty)
    empty.expect(True, "yes", "no")
    assert empty.ok
    empty.expect(False, "yes", "no")
    assert not empty.ok and "✗ no" in str(empty) and "not yet" in empty._repr_html_()


def test_client_error_reads_any_exception() -> None:
    assert client_error(ValueError("boom")) == ("", "boom")
