"""Envelope encryption step by step: a walkthrough, its matplotlib picture, and its widget.

Owns the scenario notebook 01 animates. :class:`EnvelopeWalkthrough` performs the six steps
of envelope encryption against a real KMS client, one per call of :meth:`~EnvelopeWalkthrough.
next_step` (GenerateDataKey, encrypt locally, store, discard the plaintext key, Decrypt the
data key, decrypt locally), and remembers what exists after each. :func:`draw_envelope` draws
that state as boxes (AWS KMS, your application's memory, storage) and arrows (the step just
taken). :func:`envelope_widget` puts both behind a "Next step" button. matplotlib and
ipywidgets are imported inside the functions that need them.
"""

from __future__ import annotations

import html
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.lab.envelope import (
    EnvelopeFile,
    new_nonce,
    open_with_data_key,
    seal_with_data_key,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class Step:
    title: str
    api: str  # the KMS operation the step calls, or "" for local work
    explanation: str


STEPS: tuple[Step, ...] = (
    Step(
        "Ask KMS for a data key",
        "GenerateDataKey",
        "KMS returns a fresh 256-bit data key twice: in plaintext, and encrypted under your "
        "KMS key (bound to the encryption context). The KMS key itself never leaves KMS.",
    ),
    Step(
        "Encrypt the data locally",
        "",
        "Your code encrypts the data with the plaintext data key (AES-256-GCM here). The data "
        "never goes to KMS, so its size is not limited by Encrypt's 4,096 bytes.",
    ),
    Step(
        "Store the encrypted data key beside the data",
        "",
        "The file holds the encryption context, the encrypted data key, the nonce and the "
        "ciphertext. Nothing in it is secret without KMS.",
    ),
    Step(
        "Discard the plaintext data key",
        "",
        "Drop every copy of the plaintext data key from memory as soon as you are done. "
        "From now on, only KMS can turn the encrypted data key back into a usable key.",
    ),
    Step(
        "Later: ask KMS to decrypt the data key",
        "Decrypt",
        "To read the file, send the small encrypted data key (not the data) to KMS Decrypt, "
        "with the same encryption context. The key policy decides who may do this.",
    ),
    Step(
        "Decrypt the data locally, discard the key again",
        "",
        "The plaintext data key decrypts the file locally; then it is discarded again.",
    ),
)

# What exists after each step (index = number of steps done): the boxes drawn solid.
_PRESENT: tuple[frozenset[str], ...] = (
    frozenset({"kms_key", "data"}),
    frozenset({"kms_key", "data", "plaintext_key", "encrypted_key"}),
    frozenset({"kms_key", "data", "plaintext_key", "encrypted_key", "ciphertext"}),
    frozenset({"kms_key", "data", "plaintext_key", "encrypted_key", "ciphertext", "file"}),
    frozenset({"kms_key", "data", "file"}),
    frozenset({"kms_key", "file", "plaintext_key"}),
    frozenset({"kms_key", "file", "recovered"}),
)
# The arrows of each step (step number from 1), as (from box, to box, label).
ARROWS: dict[int, tuple[tuple[str, str, str], ...]] = {
    1: (
        ("kms_key", "plaintext_key", "plaintext copy"),
        ("kms_key", "encrypted_key", "encrypted copy"),
    ),
    2: (("plaintext_key", "ciphertext", "AES-GCM key"), ("data", "ciphertext", "")),
    3: (("encrypted_key", "file_header", ""), ("ciphertext", "file_body", "")),
    4: (),
    5: (
        ("file_header", "kms_key", "Decrypt(encrypted key, context)"),
        ("kms_key", "plaintext_key", "plaintext key"),
    ),
    6: (("plaintext_key", "recovered", "AES-GCM key"), ("file_body", "recovered", "")),
}

# Box geometry: (x, y, width, height, label).
_BOXES: dict[str, tuple[float, float, float, float, str]] = {
    "kms_key": (0.3, 2.6, 2.4, 1.3, "KMS key\n(never leaves KMS)"),
    "plaintext_key": (3.9, 4.3, 2.0, 1.0, "plaintext\ndata key"),
    "encrypted_key": (6.3, 4.3, 2.0, 1.0, "encrypted\ndata key"),
    "data": (3.9, 0.6, 2.0, 1.0, "your data"),
    "ciphertext": (6.3, 0.6, 2.0, 1.0, "ciphertext"),
    "recovered": (3.9, 2.45, 2.0, 1.0, "decrypted\ndata"),
    "file_header": (9.3, 3.3, 2.4, 1.5, "header: context,\nencrypted data key,\nnonce"),
    "file_body": (9.3, 1.0, 2.4, 1.5, "ciphertext + tag"),
}
_FILL = {
    "kms_key": "#ffd8a8",
    "plaintext_key": "#ffc9c9",
    "encrypted_key": "#b2f2bb",
    "data": "#d0ebff",
    "ciphertext": "#e9ecef",
    "recovered": "#d0ebff",
    "file_header": "#b2f2bb",
    "file_body": "#e9ecef",
}


def _present(step: int) -> frozenset[str]:
    names = set(_PRESENT[step])
    if "file" in names:
        names |= {"file_header", "file_body"}
    return frozenset(names)


def _anchor(name: str, towards: str) -> tuple[float, float]:
    """The middle of the side of box ``name`` that faces box ``towards``."""
    x, y, w, h, _ = _BOXES[name]
    ox, oy, ow, oh, _ = _BOXES[towards]
    dx, dy = (ox + ow / 2) - (x + w / 2), (oy + oh / 2) - (y + h / 2)
    if abs(dx) * h >= abs(dy) * w:
        return (x + w, y + h / 2) if dx > 0 else (x, y + h / 2)
    return (x + w / 2, y + h) if dy > 0 else (x + w / 2, y)


def draw_envelope(
    step: int, *, detail: Mapping[str, str] | None = None, width: float = 10.0
) -> Figure:
    """Draw the envelope after ``step`` steps (0 to 6); returns the Figure, closed.

    Boxes that exist are filled; the others are dashed outlines. The arrows of the step just
    taken are drawn (gid ``arrow:<from>-><to>``), and the discarded plaintext key is struck
    through after step 4. ``detail`` adds a second line to a box's label (e.g. its size).
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

    if not 0 <= step <= len(STEPS):
        raise ValueError(f"step must be between 0 and {len(STEPS)}")
    fig, ax = plt.subplots(figsize=(width, width * 0.5))
    plt.close(fig)
    ax.set_xlim(0, 12)
    ax.set_ylim(0, 6.4)
    ax.axis("off")
    title = (
        "Envelope encryption: start"
        if step == 0
        else (f"Step {step} of {len(STEPS)}: {STEPS[step - 1].title}")
    )
    ax.set_title(title)
    for x, w, name in (
        (0.1, 2.8, "AWS KMS"),
        (3.6, 4.9, "Your application (memory)"),
        (9.0, 2.9, "Storage: one file"),
    ):
        region = Rectangle((x, 0.2), w, 5.7, fill=False, linestyle=":", edgecolor="#868e96")
        region.set_gid(f"region:{name}")
        ax.add_patch(region)
        ax.text(x + w / 2, 6.05, name, ha="center", fontsize=10, weight="bold")
    present = _present(step)
    arrows = ARROWS.get(step, ())
    new = {target for _source, target, _label in arrows}
    for name, (x, y, w, h, label) in _BOXES.items():
        exists = name in present
        box = FancyBboxPatch(
            (x, y),
            w,
            h,
            boxstyle="round,pad=0.05",
            facecolor=_FILL[name] if exists else "white",
            edgecolor="black" if exists else "#adb5bd",
            linestyle="-" if exists else "--",
            linewidth=2.5 if exists and name in new else 1.0,
        )
        box.set_gid(f"box:{name}" + ("" if exists else ":absent"))
        ax.add_patch(box)
        extra = (detail or {}).get(name)
        text = label + (f"\n{extra}" if extra and exists else "")
        ax.text(
            x + w / 2,
            y + h / 2,
            text,
            ha="center",
            va="center",
            fontsize=8,
            color="black" if exists else "#adb5bd",
        )
    if step in (4, 6):
        x, y, w, h, _label = _BOXES["plaintext_key"]
        (strike,) = ax.plot([x, x + w], [y, y + h], color="#cf222e", linewidth=3)
        strike.set_gid("discarded:plaintext_key")
        ax.text(x + w / 2, y - 0.3, "discarded", ha="center", color="#cf222e", fontsize=9)
    for nth, (source, target, label) in enumerate(arrows):
        start, end = _anchor(source, target), _anchor(target, source)
        arrow = FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=16,
            color="#1c7ed6",
            linewidth=2,
            shrinkA=3,
            shrinkB=3,
        )
        arrow.set_gid(f"arrow:{source}->{target}")
        ax.add_patch(arrow)
        if label:
            # Two arrows leave the same box in steps 1 and 5: label one near its start,
            # the other near its end, so the labels do not overlap.
            at = 0.3 if nth == 0 else 0.7
            ax.text(
                start[0] + at * (end[0] - start[0]),
                start[1] + at * (end[1] - start[1]) + (0.2 if nth == 0 else -0.35),
                label,
                ha="center",
                fontsize=8,
                color="#1c7ed6",
            )
    return fig


class EnvelopeWalkthrough:
    """The six steps of envelope encryption, one per :meth:`next_step`, with real KMS calls."""

    def __init__(
        self, kms: Any, key_id: str, data: bytes, context: Mapping[str, str] | None = None
    ) -> None:
        self.kms = kms
        self.key_id = key_id
        self.data = data
        self.context = dict(context or {})
        self.reset()

    def reset(self) -> None:
        self.step = 0
        self.encrypted_data_key: bytes | None = None
        self.envelope: EnvelopeFile | None = None
        self.file_bytes: bytes | None = None
        self.recovered: bytes | None = None
        self.log: list[str] = []
        self._plaintext_key: bytes | None = None

    @property
    def done(self) -> bool:
        return self.step == len(STEPS)

    @property
    def holds_plaintext_key(self) -> bool:
        """Whether the application holds a plaintext data key right now."""
        return self._plaintext_key is not None

    def _kms_params(self, **params: Any) -> dict[str, Any]:
        if self.context:
            params["EncryptionContext"] = self.context
        return params

    def next_step(self) -> str:
        """Perform the next step; returns one line saying what happened."""
        if self.done:
            raise RuntimeError("the walkthrough is finished; call reset() to start over")
        number = self.step + 1
        if number == 1:
            response = self.kms.generate_data_key(
                **self._kms_params(KeyId=self.key_id, KeySpec="AES_256")
            )
            self._plaintext_key = response["Plaintext"]
            self.encrypted_data_key = response["CiphertextBlob"]
            line = (
                f"GenerateDataKey: a 32-byte plaintext data key and a "
                f"{len(response['CiphertextBlob'])}-byte encrypted copy"
            )
        elif number == 2:
            assert self._plaintext_key is not None and self.encrypted_data_key is not None
            self.envelope = seal_with_data_key(
                self._plaintext_key,
                self.encrypted_data_key,
                self.data,
                self.context,
                new_nonce(self.kms),
            )
            line = (
                f"AES-GCM: {len(self.data):,} bytes of data became "
                f"{len(self.envelope.ciphertext):,} bytes (ciphertext and 16-byte tag)"
            )
        elif number == 3:
            assert self.envelope is not None
            self.file_bytes = self.envelope.to_bytes()
            line = (
                f"file: {len(self.file_bytes):,} bytes, of which "
                f"{len(self.envelope.header()):,} are the header"
            )
        elif number == 4:
            self._plaintext_key = None
            self.encrypted_data_key = None
            line = "the plaintext data key is gone; only the file remains"
        elif number == 5:
            assert self.file_bytes is not None
            stored = EnvelopeFile.from_bytes(self.file_bytes)
            response = self.kms.decrypt(
                **self._kms_params(CiphertextBlob=stored.encrypted_data_key, KeyId=self.key_id)
            )
            self._plaintext_key = response["Plaintext"]
            line = f"Decrypt: KMS returned the data key ({len(response['Plaintext'])} bytes)"
        else:
            assert self.file_bytes is not None and self._plaintext_key is not None
            self.recovered = open_with_data_key(
                self._plaintext_key, EnvelopeFile.from_bytes(self.file_bytes)
            )
            self._plaintext_key = None
            line = f"AES-GCM: the file decrypted to {len(self.recovered):,} bytes"
        self.step = number
        self.log.append(f"{number}. {line}")
        return line

    def run(self) -> None:
        """All remaining steps."""
        while not self.done:
            self.next_step()

    def detail(self) -> dict[str, str]:
        """Sizes to print in the boxes of the picture."""
        out = {"data": f"{len(self.data):,} bytes", "recovered": ""}
        if self.encrypted_data_key is not None:
            out["encrypted_key"] = f"{len(self.encrypted_data_key)} bytes"
        if self.envelope is not None:
            out["ciphertext"] = f"{len(self.envelope.ciphertext):,} bytes"
        if self.file_bytes is not None:
            out["file_body"] = f"{len(self.file_bytes):,}-byte file"
        if self.recovered is not None:
            out["recovered"] = f"{len(self.recovered):,} bytes"
        if self._plaintext_key is not None:
            out["plaintext_key"] = "32 bytes"
        return out

    def figure(self, width: float = 10.0) -> Figure:
        return draw_envelope(self.step, detail=self.detail(), width=width)


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes (for an ipywidgets Image)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    return buffer.getvalue()


class EnvelopeView:
    """The widgets of the walkthrough; tests click ``next_button`` and read ``text``/``image``."""

    def __init__(self, walkthrough: EnvelopeWalkthrough) -> None:
        import ipywidgets as w  # type: ignore[import-untyped, unused-ignore]

        self.walkthrough = walkthrough
        self.next_button = w.Button(description="Next step ▶", button_style="primary")
        self.reset_button = w.Button(description="Start over")
        self.next_button.on_click(lambda _b: self.on_next())
        self.reset_button.on_click(lambda _b: self.on_reset())
        self.text = w.HTML()
        self.image = w.Image(format="png")
        self.root = w.VBox([w.HBox([self.next_button, self.reset_button]), self.text, self.image])
        self.render()

    def render(self) -> None:
        wt = self.walkthrough
        if wt.step == 0:
            head = "<p>Press <b>Next step</b> to walk through envelope encryption.</p>"
        else:
            step = STEPS[wt.step - 1]
            api = f" (<code>{step.api}</code>)" if step.api else " (local, no KMS call)"
            head = (
                f"<p><b>Step {wt.step}: {html.escape(step.title)}</b>{api}<br>"
                f"{html.escape(step.explanation)}</p>"
            )
        log = "".join(f"<li>{html.escape(line)}</li>" for line in wt.log)
        self.text.value = head + (f"<ul style='font-size:90%'>{log}</ul>" if log else "")
        self.image.value = figure_png(wt.figure())
        self.next_button.disabled = wt.done

    def on_next(self) -> None:
        if not self.walkthrough.done:
            self.walkthrough.next_step()
        self.render()

    def on_reset(self) -> None:
        self.walkthrough.reset()
        self.render()


def envelope_widget(walkthrough: EnvelopeWalkthrough) -> Any:
    """The walkthrough behind a Next step button; the view is ``widget.envelope_view``."""
    view = EnvelopeView(walkthrough)
    root = view.root
    root.envelope_view = view
    return root
