"""Key rotation over simulated years: material versions, and which ciphertext used which.

Owns the rotation scenario of notebook 02. :class:`RotationStory` encrypts records under one
key while the virtual clock runs through automatic (EnableKeyRotation) and on-demand
(RotateKeyOnDemand) rotations. :func:`materials_table` lists the key's material versions from
ListKeyRotations (``IncludeKeyMaterial=ALL_KEY_MATERIAL``), each with the period it was
current; :func:`record_materials` asks Decrypt which material each record used (Decrypt
returns ``KeyMaterialId``). :func:`plot_rotation_timeline` draws both: one row per material
version, one marker per record. Rotation only changes the material used for *new* encryption;
KMS keeps every earlier version for Decrypt
(https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simulator.lab.checks import CheckResult, client_error

if TYPE_CHECKING:
    import pandas
    from matplotlib.figure import Figure

#: ListKeyRotations has no RotationType for the key's first material; we call it this.
INITIAL = "INITIAL"
TYPE_COLOURS = {INITIAL: "#868e96", "AUTOMATIC": "#1c7ed6", "ON_DEMAND": "#e8590c"}
MATERIAL_COLUMNS = [
    "version",
    "KeyMaterialId",
    "RotationType",
    "KeyMaterialState",
    "current_from",
    "current_until",
]


def _utc(value: _dt.datetime) -> _dt.datetime:
    # botocore parses timestamps into the local zone; the lesson reads in UTC.
    return value.astimezone(_dt.UTC)


@dataclass
class EncryptedRecord:
    label: str
    time: _dt.datetime
    blob: bytes = field(repr=False)


def list_materials(kms: Any, key_id: str) -> list[dict[str, Any]]:
    """Every RotationsListEntry of the key (all material, oldest first), all pages."""
    entries: list[dict[str, Any]] = []
    params: dict[str, Any] = {"KeyId": key_id, "IncludeKeyMaterial": "ALL_KEY_MATERIAL"}
    while True:
        page = kms.list_key_rotations(**params)
        entries += page["Rotations"]
        if not page.get("Truncated"):
            return entries
        params["Marker"] = page["NextMarker"]


def materials_table(kms: Any, key_id: str, now: _dt.datetime) -> pandas.DataFrame:
    """One row per material version: when it became current and until when (or ``now``)."""
    import pandas

    created = _utc(kms.describe_key(KeyId=key_id)["KeyMetadata"]["CreationDate"])
    rows = []
    for n, entry in enumerate(list_materials(kms, key_id), 1):
        rows.append(
            {
                "version": n,
                "KeyMaterialId": entry["KeyMaterialId"],
                "RotationType": entry.get("RotationType", INITIAL),
                "KeyMaterialState": entry.get("KeyMaterialState", ""),
                "current_from": _utc(entry["RotationDate"]) if "RotationDate" in entry else created,
            }
        )
    for row, after in zip(rows, [*rows[1:], None], strict=True):
        row["current_until"] = after["current_from"] if after else now
    return pandas.DataFrame(rows, columns=MATERIAL_COLUMNS)


def record_materials(kms: Any, records: list[EncryptedRecord]) -> dict[str, str]:
    """label -> the KeyMaterialId Decrypt reports for that record."""
    return {r.label: str(kms.decrypt(CiphertextBlob=r.blob)["KeyMaterialId"]) for r in records}


class RotationStory:
    """Records encrypted under one key while its material rotates on the virtual clock."""

    def __init__(self, cloud: Any, kms: Any | None = None, key_id: str | None = None) -> None:
        self.cloud = cloud
        self.kms = kms if kms is not None else cloud.client("kms")
        if key_id is None:
            key_id = self.kms.create_key(Description="rotation story")["KeyMetadata"]["KeyId"]
        self.key_id: str = key_id
        self.records: list[EncryptedRecord] = []

    def encrypt(self, label: str, data: bytes | None = None) -> EncryptedRecord:
        blob = self.kms.encrypt(KeyId=self.key_id, Plaintext=data or label.encode())[
            "CiphertextBlob"
        ]
        record = EncryptedRecord(label, self.cloud.clock.now(), blob)
        self.records.append(record)
        return record

    def enable_rotation(self, period_days: int = 365) -> dict[str, Any]:
        self.kms.enable_key_rotation(KeyId=self.key_id, RotationPeriodInDays=period_days)
        status: dict[str, Any] = self.kms.get_key_rotation_status(KeyId=self.key_id)
        return status

    def rotate_on_demand(self) -> None:
        self.kms.rotate_key_on_demand(KeyId=self.key_id)

    def advance(self, days: int) -> int:
        """Move the virtual clock; returns how many times this key rotated meanwhile."""
        before = len(list_materials(self.kms, self.key_id))
        self.cloud.clock.advance(days=days)
        return len(list_materials(self.kms, self.key_id)) - before

    def materials(self) -> pandas.DataFrame:
        return materials_table(self.kms, self.key_id, self.cloud.clock.now())

    def record_materials(self) -> dict[str, str]:
        return record_materials(self.kms, self.records)

    def figure(self, **kwargs: Any) -> Figure:
        return plot_rotation_timeline(
            self.materials(), self.records, self.record_materials(), **kwargs
        )


def plot_rotation_timeline(
    materials: pandas.DataFrame,
    records: list[EncryptedRecord],
    used: dict[str, str],
    *,
    width: float = 9.0,
    title: str = "Key material versions and the ciphertext they protect",
) -> Figure:
    """One row per material version (bar = when it was current), one marker per record.

    Each record is drawn at its encryption time on the row of the material Decrypt reported
    (``used``), so a marker inside its row's bar shows that KMS encrypted with the material
    current at that moment, and still decrypts with it after later rotations.
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.artist import Artist
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    rows = len(materials)
    fig, ax = plt.subplots(figsize=(width, 1.4 + 0.5 * max(rows, 1)))
    plt.close(fig)
    row_of = {mid: i for i, mid in enumerate(materials["KeyMaterialId"])}

    def num(value: _dt.datetime) -> float:
        return float(mdates.date2num(_utc(value).replace(tzinfo=None)))  # type: ignore[no-untyped-call, unused-ignore]

    for i, row in enumerate(materials.itertuples()):
        left, right = num(row.current_from), num(row.current_until)
        (bar,) = ax.barh(
            i,
            max(right - left, 0.5),
            left=left,
            height=0.55,
            color=TYPE_COLOURS.get(str(row.RotationType), "#adb5bd"),
            alpha=0.8,
        )
        bar.set_gid(f"material:{row.version}")
    xs, ys = [], []
    for record in records:
        if record.label in used and used[record.label] in row_of:
            xs.append(num(record.time))
            ys.append(row_of[used[record.label]])
            ax.annotate(
                record.label,
                (xs[-1], ys[-1]),
                xytext=(4, 7),
                textcoords="offset points",
                fontsize=8,
            )
    if xs:
        dots = ax.scatter(xs, ys, marker="o", s=40, color="black", zorder=3)
        dots.set_gid("records")
    labels = [f"v{r.version} {str(r.KeyMaterialId)[:8]}…" for r in materials.itertuples()]
    ax.set_yticks(range(rows), labels)
    ax.set_ylim(rows - 0.5, -0.5)
    locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call, unused-ignore]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call, unused-ignore]
    kinds = list(dict.fromkeys(str(t) for t in materials["RotationType"]))
    handles: list[Artist] = [Patch(color=TYPE_COLOURS.get(k, "#adb5bd"), label=k) for k in kinds]
    handles.append(Line2D([], [], marker="o", color="black", linestyle="", label="record"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    ax.set_title(title)
    ax.set_xlabel("virtual time (UTC)")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


# -- exercise checks -------------------------------------------------------------------------
def check_rotation_enabled(
    kms: Any, key_id: str, period_days: int, now: _dt.datetime
) -> CheckResult:
    """Automatic rotation is on, every ``period_days``, next rotation ``period_days`` from now."""
    result = CheckResult("Automatic rotation")
    try:
        status = kms.get_key_rotation_status(KeyId=key_id)
    except Exception as exc:
        code, message = client_error(exc)
        result.expect(False, "", f"GetKeyRotationStatus failed: {code} {message}")
        return result
    if not result.expect(
        status["KeyRotationEnabled"],
        "automatic rotation is enabled",
        "automatic rotation is not enabled (EnableKeyRotation)",
    ):
        return result
    got = status.get("RotationPeriodInDays")
    result.expect(
        got == period_days,
        f"the period is {period_days} days",
        f"the period is {got} days, not {period_days}",
    )
    nxt = status.get("NextRotationDate")
    expected = now + _dt.timedelta(days=period_days)
    result.expect(
        nxt is not None and _utc(nxt) == expected,
        f"the next rotation is on {expected:%Y-%m-%d}",
        f"the next rotation is {nxt}, not {expected:%Y-%m-%d}",
    )
    return result


def check_material_answer(kms: Any, key_id: str, blob: bytes, answer: str) -> CheckResult:
    """``answer`` is the KeyMaterialId that protects ``blob`` (one of the key's versions)."""
    result = CheckResult("Key material of a ciphertext")
    used = str(kms.decrypt(CiphertextBlob=blob, KeyId=key_id)["KeyMaterialId"])
    known = {e["KeyMaterialId"] for e in list_materials(kms, key_id)}
    result.expect(
        answer in known,
        "the answer is one of the key's material versions",
        "the answer is not a KeyMaterialId listed by ListKeyRotations",
    )
    result.expect(
        answer == used,
        "it is the material Decrypt reports for this ciphertext",
        "Decrypt reports another material for this ciphertext",
    )
    return result
