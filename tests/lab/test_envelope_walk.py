"""The envelope walkthrough: six real steps, the picture of each, and its widget."""

from __future__ import annotations

from typing import Any

import pytest

from simulator import Cloud
from simulator.lab.envelope import EnvelopeFile
from simulator.lab.envelope_walk import (
    ARROWS,
    STEPS,
    EnvelopeWalkthrough,
    draw_envelope,
    envelope_widget,
)

DATA = b"quarterly numbers\n" * 600


@pytest.fixture
def walk() -> EnvelopeWalkthrough:
    cloud = Cloud(seed=7)
    kms = cloud.client("kms", region_name="eu-west-1")
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    walk = EnvelopeWalkthrough(kms, key_id, DATA, {"dept": "finance"})
    walk.cloud = cloud  # type: ignore[attr-defined]
    return walk


def _gids(fig: Any) -> set[str]:
    ax = fig.axes[0]
    return {a.get_gid() for a in [*ax.patches, *ax.lines] if a.get_gid()}


def test_six_steps_call_kms_twice_and_recover_the_data(walk: EnvelopeWalkthrough) -> None:
    cloud = walk.cloud  # type: ignore[attr-defined]
    held = []
    while not walk.done:
        walk.next_step()
        held.append(walk.holds_plaintext_key)
    assert held == [True, True, True, False, True, False]
    assert walk.recovered == DATA
    assert walk.file_bytes is not None and DATA not in walk.file_bytes
    stored = EnvelopeFile.from_bytes(walk.file_bytes)
    assert stored.encryption_context == {"dept": "finance"}
    names = [e["eventName"] for e in cloud.trail.events()]
    assert names == ["CreateKey", "GenerateDataKey", "GenerateRandom", "Decrypt"]
    assert len(walk.log) == 6 and walk.log[0].startswith("1. GenerateDataKey")
    with pytest.raises(RuntimeError):
        walk.next_step()
    walk.reset()
    assert walk.step == 0 and walk.file_bytes is None and not walk.holds_plaintext_key


def test_run_finishes_and_sizes_are_shown(walk: EnvelopeWalkthrough) -> None:
    walk.run()
    detail = walk.detail()
    assert detail["data"] == f"{len(DATA):,} bytes"
    assert detail["recovered"] == f"{len(DATA):,} bytes"
    assert "plaintext_key" not in detail  # discarded at the end


@pytest.mark.parametrize("step", range(len(STEPS) + 1))
def test_picture_of_each_step(step: int) -> None:
    gids = _gids(draw_envelope(step))
    arrows = {g for g in gids if g.startswith("arrow:")}
    assert arrows == {f"arrow:{a}->{b}" for a, b, _ in ARROWS.get(step, ())}
    assert "box:kms_key" in gids  # the KMS key is always there, in KMS
    discarded = "discarded:plaintext_key" in gids
    assert discarded == (step in (4, 6))
    if step in (1, 2, 3):
        assert "box:plaintext_key" in gids
    if step == 0:
        assert "box:plaintext_key:absent" in gids and "box:file_header:absent" in gids
    if step >= 3:
        assert "box:file_header" in gids and "box:file_body" in gids
    assert len([g for g in gids if g.startswith("region:")]) == 3


def test_picture_titles_and_bad_step() -> None:
    assert draw_envelope(0).axes[0].get_title() == "Envelope encryption: start"
    assert draw_envelope(5).axes[0].get_title().startswith("Step 5 of 6: Later")
    with pytest.raises(ValueError):
        draw_envelope(7)


def test_widget_steps_through_and_starts_over(walk: EnvelopeWalkthrough) -> None:
    widget = envelope_widget(walk)
    view = widget.envelope_view
    first_image = bytes(view.image.value)
    assert first_image.startswith(b"\x89PNG")
    assert "Press <b>Next step</b>" in view.text.value
    view.next_button.click()
    assert "GenerateDataKey" in view.text.value and walk.step == 1
    assert bytes(view.image.value) != first_image
    for _ in range(5):
        view.next_button.click()
    assert walk.done and view.next_button.disabled
    assert "Step 6" in view.text.value
    view.next_button.click()  # disabled in a browser; a stray call changes nothing
    assert walk.step == 6
    view.reset_button.click()
    assert walk.step == 0 and not view.next_button.disabled
