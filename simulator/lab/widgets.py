"""The ipywidgets front end of the encrypt/decrypt playground.

Owns layout only: a plaintext box, two encryption-context editors (one for Encrypt, one for
Decrypt, so the learner can make them differ), four buttons and an output area. Every button
forwards to :class:`~simulator.lab.playground.EncryptionPlayground` and renders the
:class:`~simulator.lab.playground.Outcome` it returns. ipywidgets is imported inside the
classes, so importing this module never needs Jupyter.

    from simulator.lab.widgets import playground_widget
    playground_widget(cloud)          # a Cloud, a KMS client, or an EncryptionPlayground
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from simulator.lab.playground import EncryptionPlayground, Outcome, context_from_pairs

DEFAULT_PLAINTEXT = "Hello, KMS"
DEFAULT_CONTEXT = {"purpose": "playground"}


class ContextEditor:
    """Rows of key/value text boxes for an encryption context, with a button to add a row."""

    def __init__(self, title: str, context: Mapping[str, str] | None = None, rows: int = 2) -> None:
        import ipywidgets as w  # type: ignore[import-untyped, unused-ignore]

        self._w = w
        self.rows: list[tuple[Any, Any]] = []
        self.rows_box = w.VBox()
        self.add_row_button = w.Button(description="+ pair", layout=w.Layout(width="80px"))
        self.add_row_button.on_click(lambda _button: self.add_row())
        self.root = w.VBox(
            [w.HTML(f"<b>{html.escape(title)}</b>"), self.rows_box, self.add_row_button]
        )
        for _ in range(rows):
            self.add_row()
        if context:
            self.set(context)

    def add_row(self, key: str = "", value: str = "") -> None:
        w = self._w
        row = (
            w.Text(value=key, placeholder="key", layout=w.Layout(width="180px")),
            w.Text(value=value, placeholder="value", layout=w.Layout(width="220px")),
        )
        self.rows.append(row)
        self.rows_box.children = tuple(w.HBox(list(r)) for r in self.rows)

    def pairs(self) -> list[tuple[str, str]]:
        return [(k.value.strip(), v.value) for k, v in self.rows]

    def value(self) -> dict[str, str]:
        """The context typed in; raises ValueError when a key is typed twice."""
        return context_from_pairs(self.pairs())

    def set(self, context: Mapping[str, str]) -> None:
        """Show ``context``, adding rows as needed and clearing the rest."""
        while len(self.rows) < len(context):
            self.add_row()
        items = list(context.items())
        for i, (key_box, value_box) in enumerate(self.rows):
            key_box.value, value_box.value = items[i] if i < len(items) else ("", "")


class PlaygroundView:
    """The widgets of one playground; tests click ``view.encrypt_button`` and read ``output``."""

    def __init__(
        self,
        playground: EncryptionPlayground,
        plaintext: str = DEFAULT_PLAINTEXT,
        context: Mapping[str, str] | None = None,
    ) -> None:
        import ipywidgets as w  # type: ignore[import-untyped, unused-ignore]

        self.playground = playground
        start = DEFAULT_CONTEXT if context is None else context
        self.plaintext = w.Text(
            value=plaintext, description="Plaintext", layout=w.Layout(width="420px")
        )
        self.encrypt_context = ContextEditor("Encryption context sent with Encrypt", start)
        self.decrypt_context = ContextEditor("Encryption context sent with Decrypt", start)
        self.encrypt_button = w.Button(description="Encrypt", button_style="primary")
        self.decrypt_button = w.Button(description="Decrypt", button_style="info")
        self.disable_button = w.Button(description="Disable key", button_style="warning")
        self.enable_button = w.Button(description="Enable key", button_style="success")
        self.encrypt_button.on_click(lambda _b: self.on_encrypt())
        self.decrypt_button.on_click(lambda _b: self.on_decrypt())
        self.disable_button.on_click(lambda _b: self.show(self.playground.disable_key()))
        self.enable_button.on_click(lambda _b: self.show(self.playground.enable_key()))
        self.status = w.HTML()
        self.output = w.HTML(
            "<p>Press <b>Encrypt</b>, then change the Decrypt context or "
            "disable the key, and press <b>Decrypt</b>.</p>"
        )
        self.root = w.VBox(
            [
                self.status,
                self.plaintext,
                w.HBox([self.encrypt_context.root, self.decrypt_context.root]),
                w.HBox(
                    [
                        self.encrypt_button,
                        self.decrypt_button,
                        self.disable_button,
                        self.enable_button,
                    ]
                ),
                self.output,
            ]
        )
        self.refresh_status()

    def refresh_status(self) -> None:
        pg = self.playground
        self.status.value = (
            f"<p>Key <code>{html.escape(pg.key_id)}</code> is "
            f"<b>{html.escape(pg.key_state())}</b>.</p>"
        )

    def show(self, outcome: Outcome) -> None:
        self.output.value = outcome.to_html()
        self.refresh_status()

    def _context(self, editor: ContextEditor) -> dict[str, str] | None:
        try:
            return editor.value()
        except ValueError as exc:
            self.output.value = f"<p style='color:#9a6700'>{html.escape(str(exc))}.</p>"
            return None

    def on_encrypt(self) -> None:
        context = self._context(self.encrypt_context)
        if context is None:
            return
        outcome = self.playground.encrypt(self.plaintext.value, context)
        if outcome.ok:
            # Start the Decrypt side from the matching context; the lesson is changing it.
            self.decrypt_context.set(context)
        self.show(outcome)

    def on_decrypt(self) -> None:
        context = self._context(self.decrypt_context)
        if context is not None:
            self.show(self.playground.decrypt(context))


def playground_widget(
    source: Any, *, region_name: str | None = None, key_id: str | None = None
) -> Any:
    """Build the playground over ``source``: an EncryptionPlayground, a Cloud or a KMS client.

    Returns the top-level widget (display it as a cell's last expression); the view is attached
    as ``widget.playground_view`` so a notebook can drive or inspect it.
    """
    if isinstance(source, EncryptionPlayground):
        playground = source
    elif hasattr(source, "client") and hasattr(source, "clock"):
        playground = EncryptionPlayground.from_cloud(source, region_name, key_id)
    else:
        playground = EncryptionPlayground(source, key_id)
    view = PlaygroundView(playground)
    root = view.root
    root.playground_view = view
    return root
