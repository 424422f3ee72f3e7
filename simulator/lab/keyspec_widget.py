"""The key-spec explorer: pick a KeySpec and a KeyUsage, read its algorithms, try it live.

Owns the widget of notebook 03 and the logic behind its "Try it" button. :func:`describe_spec`
summarises one KeySpec × KeyUsage from the simulator's SPECS table (algorithms, plaintext
limits, rotation). :func:`demonstrate` creates a key of that kind and performs the operation
the usage is for, checking the result the way a client outside AWS would: encrypt with the
public key and decrypt in KMS, sign in KMS and verify offline, MAC and VerifyMac, ECDH on both
sides. Both are plain functions tested in pytest; :class:`KeySpecExplorer` only lays them out.
"""

from __future__ import annotations

import html
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from simulator.lab.checks import client_error
from simulator.lab.keyspecs import (
    SYMMETRIC_LIMIT,
    algorithms_for,
    encrypt_offline,
    load_public_key,
    rsa_max_plaintext,
    verify_offline,
)
from simulator.lab.playground import Outcome
from simulator.services.kms.key_specs import SPECS

_CURVES: dict[str, type[ec.EllipticCurve]] = {
    "ECC_NIST_P256": ec.SECP256R1,
    "ECC_NIST_P384": ec.SECP384R1,
    "ECC_NIST_P521": ec.SECP521R1,
}


def describe_spec(key_spec: str, usage: str) -> dict[str, str]:
    """What a key of this spec and usage offers, as label -> text."""
    info = SPECS[key_spec]
    if usage not in info.usages:
        raise ValueError(f"{key_spec} does not allow KeyUsage {usage}")
    algorithms = algorithms_for(info, usage)
    out = {
        "KeySpec": key_spec,
        "KeyUsage": usage,
        "kind": info.kind,
        "algorithms": ", ".join(algorithms),
        "other usages": ", ".join(u for u in info.usages if u != usage) or "none",
        "rotation": (
            "automatic or on demand"
            if info.kind == "symmetric"
            else "manual only (new key, move the alias)"
        ),
    }
    if usage == "ENCRYPT_DECRYPT":
        out["largest plaintext"] = ", ".join(
            f"{SYMMETRIC_LIMIT if info.kind == 'symmetric' else rsa_max_plaintext(key_spec, a)}"
            f" B ({a})"
            for a in algorithms
        )
    if info.kind in ("rsa", "ecc", "ed25519"):
        out["public key"] = "downloadable with GetPublicKey; the private key never leaves KMS"
    elif info.kind == "hmac":
        out["public key"] = "none: the HMAC key never leaves KMS, so only KMS can verify"
    return out


def _run(action: str, kms: Any, body: Any) -> Outcome:
    try:
        summary: str = body()
    except Exception as exc:
        code, message = client_error(exc)
        if not code:
            raise
        return Outcome(action, False, "", code, message)
    return Outcome(action, True, summary)


def demonstrate(kms: Any, key_spec: str, usage: str) -> Outcome:
    """Create a key of ``key_spec``/``usage`` and use it for what the usage is for."""
    info = SPECS[key_spec]
    message = b"Secrets Lab demo message"

    def body() -> str:
        key_id = kms.create_key(
            KeySpec=key_spec, KeyUsage=usage, Description=f"explorer {key_spec}"
        )["KeyMetadata"]["KeyId"]
        offered = algorithms_for(info, usage)
        # AWS recommends RSAES_OAEP_SHA_256 (listed last) for encryption (K-ENC); for the
        # other usages the first algorithm works on a RAW message.
        algorithm = offered[-1] if usage == "ENCRYPT_DECRYPT" else offered[0]
        try:
            return _use(kms, key_id, key_spec, usage, algorithm, message)
        finally:
            kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)

    return _run(f"{key_spec} / {usage}", kms, body)


def _use(kms: Any, key_id: str, key_spec: str, usage: str, algorithm: str, message: bytes) -> str:
    if usage == "ENCRYPT_DECRYPT" and key_spec == "SYMMETRIC_DEFAULT":
        blob = kms.encrypt(KeyId=key_id, Plaintext=message)["CiphertextBlob"]
        back = kms.decrypt(CiphertextBlob=blob)["Plaintext"]
        assert back == message
        return f"Encrypt then Decrypt in KMS: {len(blob)}-byte ciphertext, round trip OK"
    if usage == "ENCRYPT_DECRYPT":
        public = kms.get_public_key(KeyId=key_id)["PublicKey"]
        blob = encrypt_offline(public, message, algorithm)
        back = kms.decrypt(CiphertextBlob=blob, KeyId=key_id, EncryptionAlgorithm=algorithm)[
            "Plaintext"
        ]
        assert back == message
        return (
            f"encrypted offline with the public key ({algorithm}), decrypted by KMS: "
            f"{len(blob)}-byte ciphertext, round trip OK"
        )
    if usage == "SIGN_VERIFY":
        signature = kms.sign(KeyId=key_id, Message=message, SigningAlgorithm=algorithm)["Signature"]
        public = kms.get_public_key(KeyId=key_id)["PublicKey"]
        assert verify_offline(public, message, signature, algorithm)
        return (
            f"signed in KMS ({algorithm}, {len(signature)}-byte signature), "
            "verified offline with the public key"
        )
    if usage == "GENERATE_VERIFY_MAC":
        mac = kms.generate_mac(KeyId=key_id, Message=message, MacAlgorithm=algorithm)["Mac"]
        kms.verify_mac(KeyId=key_id, Message=message, Mac=mac, MacAlgorithm=algorithm)
        return f"GenerateMac then VerifyMac in KMS ({algorithm}, {len(mac)}-byte MAC)"
    # KEY_AGREEMENT: ECDH between the KMS key and a local key pair; both sides agree.
    local = ec.generate_private_key(_CURVES[key_spec]())
    local_public = local.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    shared = kms.derive_shared_secret(
        KeyId=key_id, KeyAgreementAlgorithm="ECDH", PublicKey=local_public
    )["SharedSecret"]
    kms_public = load_public_key(kms.get_public_key(KeyId=key_id)["PublicKey"])
    assert local.exchange(ec.ECDH(), kms_public) == shared
    return f"DeriveSharedSecret (ECDH) matches the local side: {len(shared)}-byte secret"


class KeySpecExplorer:
    """Dropdown of key specs, buttons for its usages, the summary table and a Try it button."""

    def __init__(self, kms: Any) -> None:
        import ipywidgets as w  # type: ignore[import-untyped, unused-ignore]

        self.kms = kms
        self.spec = w.Dropdown(options=list(SPECS), value="ECC_NIST_P256", description="KeySpec")
        self.usage = w.ToggleButtons(
            options=list(SPECS["ECC_NIST_P256"].usages), description="KeyUsage"
        )
        self.summary = w.HTML()
        self.try_button = w.Button(description="Try it", button_style="primary")
        self.output = w.HTML("<p>Press <b>Try it</b> to create such a key and use it.</p>")
        self.spec.observe(lambda _change: self.on_spec(), names="value")
        self.usage.observe(lambda _change: self.render(), names="value")
        self.try_button.on_click(lambda _b: self.on_try())
        self.root = w.VBox([self.spec, self.usage, self.summary, self.try_button, self.output])
        self.render()

    def on_spec(self) -> None:
        usages = list(SPECS[self.spec.value].usages)
        self.usage.options = usages
        self.usage.value = usages[0]
        self.render()

    def render(self) -> None:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td style='text-align:left'>{html.escape(v)}</td></tr>"
            for k, v in describe_spec(self.spec.value, self.usage.value).items()
        )
        self.summary.value = f"<table>{rows}</table>"

    def on_try(self) -> None:
        self.output.value = demonstrate(self.kms, self.spec.value, self.usage.value).to_html()


def keyspec_widget(kms: Any) -> Any:
    """The explorer over a KMS client; the view is ``widget.explorer``."""
    view = KeySpecExplorer(kms)
    root = view.root
    root.explorer = view
    return root
