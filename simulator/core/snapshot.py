"""Snapshots: save and load the whole simulated world.

A snapshot is one JSON document: clock, random-number state, scheduled jobs, accounts, every
service's typed state, the event history and the audit trail. Key material and credentials in
it are sealed under the Cloud's domain key (see ``sealing.py``), and the domain key itself is
never written beside them in the clear: with a ``passphrase`` it is wrapped under a key derived
by scrypt and stored in the file; without one it goes to a separate ``<file>.key`` (mode 0600)
that must travel with the snapshot. Files are written to a temporary name, fsynced and renamed,
so a crash mid-save leaves the previous file intact.
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from simulator.core.accounts import AccessKey, Account
from simulator.core.context import Principal
from simulator.core.persist import from_json, to_json

if TYPE_CHECKING:
    from simulator.cloud import Cloud

FORMAT = "secrets-lab-snapshot"
VERSION = 1


class SnapshotError(Exception):
    """A snapshot file that cannot be read back (wrong passphrase, missing key file...)."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _kek(passphrase: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=2**14, r=8, p=1).derive(passphrase.encode("utf-8"))


def key_file(path: Path) -> Path:
    return path.with_name(path.name + ".key")


def _atomic_write(path: Path, data: bytes, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with _suppress():
            os.unlink(tmp)
        raise


class _suppress:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return True


def save(cloud: Cloud, path: Path, passphrase: str | None) -> Path:
    domain_key = cloud._domain_key
    if passphrase is not None:
        salt = cloud.ids.bytes(16)
        nonce = cloud.ids.bytes(12)
        wrapped = AESGCM(_kek(passphrase, salt)).encrypt(nonce, domain_key, FORMAT.encode())
        key_info: dict[str, Any] = {
            "mode": "passphrase",
            "salt": _b64(salt),
            "wrapped": _b64(nonce + wrapped),
        }
    else:
        key_info = {"mode": "keyfile", "file": key_file(path).name}
    accounts = []
    for account in cloud.accounts.values():
        accounts.append(
            {
                "account_id": account.account_id,
                "created": _created(cloud, account.account_id),
                "root": to_json(account.root),
                "administrator": to_json(account.administrator),
                "access_key_id": account.admin_key.access_key_id,
                "sealed_secret_access_key": _b64(
                    cloud.vault.seal(
                        account.admin_key.secret_access_key.encode(), b"iam-secret-access-key"
                    )
                ),
            }
        )
    document = {
        "format": FORMAT,
        "version": VERSION,
        "domain_key": key_info,
        "seed": cloud.seed,
        "default_region": cloud.default_region,
        "default_account": cloud.default_account.account_id,
        "clock": cloud.clock.now().isoformat(),
        "ids": cloud.ids.dump(),
        "scheduler": cloud.scheduler.dump(),
        "accounts": accounts,
        "services": {name: svc.dump() for name, svc in cloud._services.items()},
        "events": cloud.events.dump(),
        "trail": cloud.trail.dump(),
        "mail": cloud.mail.dump(),
        "certificate_usage": cloud._env.certificate_usage.dump(),
    }
    payload = json.dumps(document, separators=(",", ":"), sort_keys=False).encode()
    if passphrase is None:
        _atomic_write(key_file(path), _b64(domain_key).encode() + b"\n", mode=0o600)
    _atomic_write(path, payload)
    return path


def load(cls: type[Cloud], path: Path, passphrase: str | None) -> Cloud:
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise SnapshotError(f"cannot read snapshot {path}: {exc}") from None
    if document.get("format") != FORMAT or document.get("version") != VERSION:
        raise SnapshotError(f"{path} is not a Secrets Lab snapshot (version {VERSION})")
    key_info = document["domain_key"]
    if key_info["mode"] == "passphrase":
        if passphrase is None:
            raise SnapshotError(f"{path} is protected by a passphrase; pass passphrase=...")
        salt = base64.b64decode(key_info["salt"])
        blob = base64.b64decode(key_info["wrapped"])
        try:
            domain_key = AESGCM(_kek(passphrase, salt)).decrypt(
                blob[:12], blob[12:], FORMAT.encode()
            )
        except InvalidTag:
            raise SnapshotError("wrong passphrase for this snapshot") from None
    else:
        kf = path.with_name(key_info["file"])
        try:
            domain_key = base64.b64decode(kf.read_text().strip())
        except OSError:
            raise SnapshotError(f"the snapshot's key file {kf} is missing") from None

    cloud = cls(seed=0, default_region=document["default_region"])
    cloud._domain_key = domain_key
    cloud.vault.rekey(domain_key)
    cloud.seed = document["seed"]
    cloud.scheduler.restore(document["scheduler"])
    from datetime import datetime

    cloud.clock.restore(datetime.fromisoformat(document["clock"]))
    cloud.accounts.clear()
    cloud._access_keys.clear()
    cloud._account_created.clear()
    for raw in document["accounts"]:
        admin = from_json(Principal, raw["administrator"])
        secret = cloud.vault.unseal(
            base64.b64decode(raw["sealed_secret_access_key"]), b"iam-secret-access-key"
        ).decode()
        account = Account(
            raw["account_id"],
            from_json(Principal, raw["root"]),
            admin,
            AccessKey(raw["access_key_id"], secret, admin),
        )
        cloud.accounts[account.account_id] = account
        cloud._access_keys[account.admin_key.access_key_id] = admin
        if raw.get("created"):
            cloud._account_created[account.account_id] = datetime.fromisoformat(raw["created"])
    cloud.default_account = cloud.accounts[document["default_account"]]
    for name, data in document["services"].items():
        cloud.service(name).restore(data)
    cloud.events.restore(document["events"])
    cloud.trail.restore(document["trail"])
    cloud.mail.restore(document.get("mail", {}))
    cloud._env.certificate_usage.restore(document.get("certificate_usage", {}))
    # Last: creating the saved services above may draw on the id source (IAM seals the
    # administrators' keys when it is created); the restored state then carries on exactly.
    cloud.ids.restore(document["ids"])
    return cloud


def _created(cloud: Cloud, account_id: str) -> str | None:
    when = cloud._account_created.get(account_id)
    return when.isoformat() if when is not None else None
