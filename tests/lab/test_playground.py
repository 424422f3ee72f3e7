"""simulator.lab.playground: every button's logic, with the AWS error codes it must surface."""

from __future__ import annotations

from typing import Any

import pytest

from simulator import Cloud
from simulator.lab.playground import (
    CLIENT_SIDE,
    EncryptionPlayground,
    Outcome,
    context_from_pairs,
)

CONTEXT = {"department": "finance", "purpose": "payroll"}


@pytest.fixture
def pg(cloud: Cloud) -> EncryptionPlayground:
    return EncryptionPlayground.from_cloud(cloud, "eu-west-1")


def test_creates_its_own_key_when_none_given(cloud: Cloud, pg: EncryptionPlayground) -> None:
    assert pg.key_id.startswith(f"arn:aws:kms:eu-west-1:{cloud.default_account.account_id}:key/")
    assert pg.key_state() == "Enabled"
    meta = pg.kms.describe_key(KeyId=pg.key_id)["KeyMetadata"]
    assert meta["Description"] == "Secrets Lab encryption playground"


def test_uses_a_given_key(cloud: Cloud, kms: Any) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    pg = EncryptionPlayground(kms, key_id)
    assert pg.key_id == key_id
    assert len(kms.list_keys()["Keys"]) == 1


def test_round_trip_with_the_same_context(pg: EncryptionPlayground) -> None:
    enc = pg.encrypt("héllo", CONTEXT)
    assert enc.ok and enc.action == "Encrypt"
    assert enc.ciphertext == pg.ciphertext and enc.ciphertext is not None
    assert enc.summary.startswith(f"6 bytes of plaintext became a {len(enc.ciphertext)}-byte")
    assert pg.encryption_context == CONTEXT
    dec = pg.decrypt(CONTEXT)
    assert dec == Outcome("Decrypt", True, "the plaintext is 'héllo'", plaintext="héllo")


def test_pair_order_does_not_matter(pg: EncryptionPlayground) -> None:
    pg.encrypt("x", CONTEXT)
    assert pg.decrypt(dict(reversed(list(CONTEXT.items())))).plaintext == "x"


@pytest.mark.parametrize("context", [
    {"department": "Finance", "purpose": "payroll"},   # value differs in case
    {"Department": "finance", "purpose": "payroll"},   # key differs in case
    {"department": "finance"},                         # a pair missing
    {**CONTEXT, "extra": "pair"},                      # a pair too many
    None,                                              # no context at all
])
def test_any_other_context_is_invalid_ciphertext(pg: EncryptionPlayground,
                                                 context: dict[str, str] | None) -> None:
    pg.encrypt("secret", CONTEXT)
    out = pg.decrypt(context)
    assert not out.ok
    assert out.error_code == "InvalidCiphertextException"
    assert out.plaintext is None
    assert "exactly the encryption context" in out.summary


def test_no_context_round_trips_without_context(pg: EncryptionPlayground) -> None:
    pg.encrypt("plain", {})
    assert pg.decrypt().plaintext == "plain"
    assert pg.decrypt({"a": "b"}).error_code == "InvalidCiphertextException"


def test_disabled_key_refuses_both_directions_until_enabled(pg: EncryptionPlayground) -> None:
    pg.encrypt("kept", CONTEXT)
    off = pg.disable_key()
    assert off == Outcome("DisableKey", True, "the key is now Disabled")
    dec = pg.decrypt(CONTEXT)
    assert dec.error_code == "DisabledException"
    assert dec.error_message == f"{pg.key_id} is disabled."
    assert "Enable key" in dec.summary
    enc = pg.encrypt("new", CONTEXT)
    assert enc.error_code == "DisabledException"
    assert pg.ciphertext is not None and pg.encryption_context == CONTEXT  # old blob kept
    assert pg.enable_key().summary == "the key is now Enabled"
    assert pg.decrypt(CONTEXT).plaintext == "kept"


def test_plaintext_over_4096_bytes_is_a_validation_exception(pg: EncryptionPlayground) -> None:
    assert pg.encrypt("a" * 4096).ok
    out = pg.encrypt("a" * 4097)
    assert out.error_code == "ValidationException"
    assert out.error_message is not None
    assert "length less than or equal to 4096" in out.error_message
    assert "GenerateDataKey" in out.summary


def test_empty_plaintext_is_refused_by_kms(pg: EncryptionPlayground) -> None:
    # botocore does not check blob lengths, so the service answers (DESIGN.md section 4).
    out = pg.encrypt("")
    assert out.error_code == "ValidationException"
    assert out.error_message == ("1 validation error detected: Value at 'plaintext' failed to "
                                 "satisfy constraint: Member must have length greater than or "
                                 "equal to 1")


def test_wrong_parameter_type_is_refused_by_botocore_before_sending(
        cloud: Cloud, pg: EncryptionPlayground) -> None:
    before = len(cloud.trail)
    out = pg.encrypt("x", {"count": 1})  # type: ignore[dict-item]
    assert out.error_code == CLIENT_SIDE
    assert "EncryptionContext.count" in (out.error_message or "")
    assert "did not send the request" in out.summary
    assert len(cloud.trail) == before  # the service never saw the request


def test_decrypt_before_encrypt_explains(pg: EncryptionPlayground) -> None:
    out = pg.decrypt()
    assert not out.ok and out.error_code is None
    assert "encrypt something first" in out.summary


def test_failed_toggle_reports_the_aws_error(kms: Any) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    pg = EncryptionPlayground(kms, key_id)
    kms.schedule_key_deletion(KeyId=key_id)
    out = pg.enable_key()
    assert out.error_code == "KMSInvalidStateException"
    assert out.error_message is not None and out.error_message.endswith("is pending deletion.")


def test_history_and_trail_record_every_action(cloud: Cloud, pg: EncryptionPlayground) -> None:
    pg.encrypt("a", CONTEXT)
    pg.decrypt({"department": "hr"})
    pg.disable_key()
    assert [(o.action, o.ok) for o in pg.history] == [
        ("Encrypt", True), ("Decrypt", False), ("DisableKey", True)]
    names = [r["eventName"] for r in cloud.trail.records]
    # CreateKey by the playground; DescribeKey comes from key_state() after DisableKey.
    assert names == ["CreateKey", "Encrypt", "Decrypt", "DisableKey", "DescribeKey"]
    assert cloud.trail.records[2]["errorCode"] == "InvalidCiphertextException"


def test_outcome_text_and_html() -> None:
    ok = Outcome("Decrypt", True, "the plaintext is '<b>'")
    assert str(ok) == "Decrypt: the plaintext is '<b>'"
    assert "&lt;b&gt;" in ok.to_html() and "#1a7f37" in ok.to_html()
    bad = Outcome("Decrypt", False, "hint", "DisabledException", "arn is disabled.")
    assert str(bad) == "Decrypt failed: DisabledException: arn is disabled. hint"
    assert "<code>DisabledException</code>" in bad.to_html() and "#cf222e" in bad.to_html()
    assert "ciphertext" not in repr(Outcome("Encrypt", True, "s", ciphertext=b"\x00"))


def test_context_from_pairs() -> None:
    assert context_from_pairs([("a", "1"), ("", "ignored"), ("B", "")]) == {"a": "1", "B": ""}
    assert context_from_pairs([("a", "1"), ("A", "2")]) == {"a": "1", "A": "2"}
    with pytest.raises(ValueError, match="'a' twice"):
        context_from_pairs([("a", "1"), ("a", "2")])
