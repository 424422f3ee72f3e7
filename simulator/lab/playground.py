"""The encrypt/decrypt playground: KMS Encrypt, Decrypt, DisableKey, EnableKey as plain methods.

Owns the logic of the playground notebooks show with :mod:`simulator.lab.widgets`. It is a
plain class over any KMS client (the simulator's or a real one), so every button's behaviour is
tested in pytest without a browser. Each action returns an :class:`Outcome`: what was asked,
whether it worked, and on failure the AWS error code and message exactly as botocore raised
them. Nothing is caught that a learner should not see: only botocore's ``ClientError`` (the
service said no) and ``ParamValidationError`` (botocore refused to send the request).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError, ParamValidationError

#: The code an Outcome carries when botocore itself rejected the parameters before sending:
#: not an AWS error code (the request never left the client), so it is named after the class.
CLIENT_SIDE = "ParamValidationError"


@dataclass(frozen=True)
class Outcome:
    """The result of one playground action."""

    action: str
    ok: bool
    summary: str
    error_code: str | None = None
    error_message: str | None = None
    plaintext: str | None = None
    ciphertext: bytes | None = field(default=None, repr=False)

    def __str__(self) -> str:
        if self.ok:
            return f"{self.action}: {self.summary}"
        detail = f" {self.error_message}" if self.error_message else ""
        code = f" {self.error_code}:" if self.error_code else ""
        return f"{self.action} failed:{code}{detail} {self.summary}".rstrip()

    def to_html(self) -> str:
        """A short coloured HTML report (green for success, red with the error code)."""
        if self.ok:
            return (
                f"<p style='color:#1a7f37'><b>{html.escape(self.action)}</b>: "
                f"{html.escape(self.summary)}</p>"
            )
        parts = [f"<p style='color:#cf222e'><b>{html.escape(self.action)} failed</b>"]
        if self.error_code:
            parts.append(f": <code>{html.escape(self.error_code)}</code>")
        if self.error_message:
            parts.append(f" {html.escape(self.error_message)}")
        parts.append(f"</p><p>{html.escape(self.summary)}</p>")
        return "".join(parts)


def context_from_pairs(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Build an encryption context from (key, value) rows of an editor.

    Rows with an empty key are skipped (a blank row in the editor). Keys are kept exactly as
    typed, because KMS compares the context case-sensitively; a key typed twice is an error,
    since a context is a map and cannot hold it twice.
    """
    context: dict[str, str] = {}
    for key, value in pairs:
        if not key:
            continue
        if key in context:
            raise ValueError(f"the encryption context has the key {key!r} twice")
        context[key] = value
    return context


_HINTS = {
    "InvalidCiphertextException": (
        "Decrypt needs exactly the encryption context used to encrypt: same keys, same "
        "values, same case (only the order of pairs may differ)."
    ),
    "DisabledException": "A disabled key cannot be used; press Enable key to use it again.",
    "ValidationException": (
        "KMS checked the request against the API's constraints: Encrypt takes 1 to 4,096 "
        "bytes of plaintext with a symmetric key; larger data uses envelope encryption "
        "(GenerateDataKey)."
    ),
    CLIENT_SIDE: "botocore checked the parameters against the API model and did not send the "
    "request; the service never saw it.",
}


def _failed(action: str, exc: ClientError | ParamValidationError) -> Outcome:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code, message = str(error.get("Code", "")), str(error.get("Message", ""))
    else:
        code, message = CLIENT_SIDE, str(exc)
    return Outcome(action, False, _HINTS.get(code, ""), code, message)


class EncryptionPlayground:
    """Encrypt a text under one KMS key, then try to decrypt it under different conditions.

    The playground remembers the last ciphertext and the context it was encrypted with;
    :meth:`decrypt` sends that ciphertext with whatever context it is given, so a learner can
    watch a different context fail. ``history`` lists every Outcome, oldest first.
    """

    def __init__(
        self,
        kms: Any,
        key_id: str | None = None,
        *,
        description: str = "Secrets Lab encryption playground",
    ) -> None:
        self.kms = kms
        if key_id is None:
            key_id = kms.create_key(Description=description)["KeyMetadata"]["Arn"]
        self.key_id: str = key_id
        self.ciphertext: bytes | None = None
        self.encryption_context: dict[str, str] = {}
        self.history: list[Outcome] = []

    @classmethod
    def from_cloud(
        cls, cloud: Any, region_name: str | None = None, key_id: str | None = None
    ) -> EncryptionPlayground:
        """A playground over a new KMS client of ``cloud`` (a new key unless ``key_id``)."""
        return cls(cloud.client("kms", region_name=region_name), key_id)

    def _record(self, outcome: Outcome) -> Outcome:
        self.history.append(outcome)
        return outcome

    def encrypt(self, plaintext: str, context: Mapping[str, str] | None = None) -> Outcome:
        """Encrypt ``plaintext`` (UTF-8) with ``context``; keep the ciphertext for decrypt()."""
        params: dict[str, Any] = {"KeyId": self.key_id, "Plaintext": plaintext.encode()}
        if context:
            params["EncryptionContext"] = dict(context)
        try:
            response = self.kms.encrypt(**params)
        except (ClientError, ParamValidationError) as exc:
            return self._record(_failed("Encrypt", exc))
        blob: bytes = response["CiphertextBlob"]
        self.ciphertext = blob
        self.encryption_context = dict(context or {})
        preview = base64.b64encode(blob).decode()[:24]
        summary = (
            f"{len(params['Plaintext'])} bytes of plaintext became a {len(blob)}-byte "
            f"ciphertext blob ({preview}...) under {response['KeyId']}"
        )
        return self._record(Outcome("Encrypt", True, summary, ciphertext=blob))

    def decrypt(self, context: Mapping[str, str] | None = None) -> Outcome:
        """Decrypt the last ciphertext, sending ``context`` (None or empty sends no context)."""
        if self.ciphertext is None:
            return self._record(
                Outcome("Decrypt", False, "Nothing to decrypt yet: encrypt something first.")
            )
        params: dict[str, Any] = {"CiphertextBlob": self.ciphertext}
        if context:
            params["EncryptionContext"] = dict(context)
        try:
            response = self.kms.decrypt(**params)
        except (ClientError, ParamValidationError) as exc:
            return self._record(_failed("Decrypt", exc))
        text = response["Plaintext"].decode("utf-8", errors="replace")
        return self._record(Outcome("Decrypt", True, f"the plaintext is {text!r}", plaintext=text))

    def _toggle(self, action: str) -> Outcome:
        method = self.kms.enable_key if action == "EnableKey" else self.kms.disable_key
        try:
            method(KeyId=self.key_id)
        except (ClientError, ParamValidationError) as exc:
            return self._record(_failed(action, exc))
        return self._record(Outcome(action, True, f"the key is now {self.key_state()}"))

    def disable_key(self) -> Outcome:
        """DisableKey: the key stays, with its material, but refuses every cryptographic call."""
        return self._toggle("DisableKey")

    def enable_key(self) -> Outcome:
        """EnableKey: the key works again, and data encrypted earlier is readable again."""
        return self._toggle("EnableKey")

    def key_state(self) -> str:
        """The key's KeyState as DescribeKey reports it (Enabled, Disabled, ...)."""
        return str(self.kms.describe_key(KeyId=self.key_id)["KeyMetadata"]["KeyState"])
