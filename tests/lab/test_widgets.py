"""simulator.lab.widgets: the ipywidgets layer forwards clicks and renders outcomes."""

from __future__ import annotations

from typing import Any

import pytest

from simulator import Cloud
from simulator.lab.playground import EncryptionPlayground
from simulator.lab.widgets import ContextEditor, PlaygroundView, playground_widget

ipywidgets = pytest.importorskip("ipywidgets")


@pytest.fixture
def view(cloud: Cloud) -> PlaygroundView:
    widget = playground_widget(cloud, region_name="eu-west-1")
    assert isinstance(widget, ipywidgets.VBox)
    found: PlaygroundView = widget.playground_view
    return found


def test_builds_from_cloud_client_or_playground(cloud: Cloud, kms: Any) -> None:
    assert playground_widget(kms).playground_view.playground.kms is kms
    pg = EncryptionPlayground(kms)
    assert playground_widget(pg).playground_view.playground is pg
    from_cloud = playground_widget(cloud, region_name="ap-south-1").playground_view
    assert ":ap-south-1:" in from_cloud.playground.key_id


def test_starts_with_matching_contexts_and_shows_the_key_state(view: PlaygroundView) -> None:
    assert view.encrypt_context.value() == {"purpose": "playground"}
    assert view.decrypt_context.value() == {"purpose": "playground"}
    assert "<b>Enabled</b>" in view.status.value
    assert view.playground.key_id in view.status.value


def test_encrypt_then_decrypt_clicks(view: PlaygroundView) -> None:
    view.plaintext.value = "top secret"
    view.encrypt_context.set({"app": "lab", "stage": "test"})
    view.encrypt_button.click()
    assert "Encrypt</b>: 10 bytes of plaintext" in view.output.value
    assert view.decrypt_context.value() == {"app": "lab", "stage": "test"}  # copied over
    view.decrypt_button.click()
    assert "the plaintext is &#x27;top secret&#x27;" in view.output.value


def test_changed_decrypt_context_shows_invalid_ciphertext(view: PlaygroundView) -> None:
    view.encrypt_button.click()
    view.decrypt_context.rows[0][1].value = "Playground"
    view.decrypt_button.click()
    assert "Decrypt failed" in view.output.value
    assert "<code>InvalidCiphertextException</code>" in view.output.value


def test_disable_and_enable_buttons(view: PlaygroundView) -> None:
    view.encrypt_button.click()
    view.disable_button.click()
    assert "<b>Disabled</b>" in view.status.value
    view.decrypt_button.click()
    assert "<code>DisabledException</code>" in view.output.value
    view.enable_button.click()
    assert "<b>Enabled</b>" in view.status.value
    view.decrypt_button.click()
    assert "the plaintext is &#x27;Hello, KMS&#x27;" in view.output.value


def test_duplicate_key_in_editor_is_reported_not_sent(cloud: Cloud,
                                                      view: PlaygroundView) -> None:
    before = len(cloud.trail)
    view.encrypt_context.set({"a": "1", "b": "2"})
    view.encrypt_context.rows[1][0].value = "a"
    view.encrypt_button.click()
    assert "twice" in view.output.value
    assert len(cloud.trail) == before


def test_context_editor_rows() -> None:
    editor = ContextEditor("ctx", rows=1)
    assert editor.value() == {}
    editor.set({"a": "1", "b": "2", "c": "3"})
    assert len(editor.rows) == 3
    assert editor.value() == {"a": "1", "b": "2", "c": "3"}
    editor.set({"z": "9"})
    assert editor.pairs() == [("z", "9"), ("", ""), ("", "")]
    editor.add_row_button.click()
    assert len(editor.rows_box.children) == 4
    editor.rows[0][0].value = "  z  "  # keys are trimmed, values kept as typed
    assert editor.value() == {"z": "9"}
