"""simulator.lab.timeline: the plotted points, rows and labels match the trail."""

from __future__ import annotations

import datetime as dt

import matplotlib.dates as mdates
import pytest
from matplotlib.figure import Figure

from simulator import Cloud
from simulator.lab import timeline
from tests.lab.conftest import Story

UTC = dt.UTC


def _series(fig: Figure) -> dict[str, object]:
    return {c.get_gid(): c for c in fig.axes[0].collections}


def test_one_row_per_event_name_in_first_seen_order(story: Story) -> None:
    fig = timeline.plot_trail(story.cloud)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["CreateKey", "CreateAlias", "Encrypt", "Decrypt", "DisableKey",
                      "ScheduleKeyDeletion", "DeleteKey"]
    assert ax.get_title() == "Audit trail over virtual time"
    assert ax.get_xlabel() == "virtual time (UTC)"


def test_points_split_into_calls_errors_and_service_events(story: Story) -> None:
    fig = timeline.plot_trail(story.cloud)
    series = _series(fig)
    assert set(series) == {timeline.CALLS, timeline.ERRORS, timeline.SERVICE_EVENTS}
    counts = {name: len(c.get_offsets()) for name, c in series.items()}
    assert counts == {"calls": 5, "errors": 2, "service events": 1}
    assert sum(counts.values()) == len(story.cloud.trail)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["calls (5)", "errors (2)", "service events (1)"]


def test_errors_sit_on_their_rows_at_their_times_with_codes(story: Story) -> None:
    fig = timeline.plot_trail(story.cloud)
    errors = _series(fig)[timeline.ERRORS].get_offsets()
    five_past = mdates.date2num(dt.datetime(2026, 1, 5, 9, 5))
    assert [tuple(p) for p in errors] == [
        pytest.approx((five_past, 3.0)),  # Decrypt row
        pytest.approx((five_past, 2.0)),  # Encrypt row
    ]
    notes = [t.get_text() for t in fig.axes[0].texts]
    assert notes == ["InvalidCiphertextException", "DisabledException"]


def test_service_event_is_drawn_when_the_window_ends(story: Story) -> None:
    fig = timeline.plot_trail(story.cloud)
    (point,) = _series(fig)[timeline.SERVICE_EVENTS].get_offsets()
    # ScheduleKeyDeletion at 09:05 with a 7-day window: DeleteKey at 09:05 a week later.
    assert tuple(point) == pytest.approx((mdates.date2num(dt.datetime(2026, 1, 12, 9, 5)), 6.0))


def test_errors_at_the_same_point_share_one_counted_label() -> None:
    cloud = Cloud(seed=5)
    kms = cloud.client("kms")
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"x", EncryptionContext={"a": "b"})
    for _ in range(3):
        with pytest.raises(kms.exceptions.InvalidCiphertextException):
            kms.decrypt(CiphertextBlob=blob["CiphertextBlob"])
    kms.disable_key(KeyId=key_id)
    with pytest.raises(kms.exceptions.DisabledException):
        kms.decrypt(CiphertextBlob=blob["CiphertextBlob"])
    fig = timeline.plot_trail(cloud)
    assert len(_series(fig)[timeline.ERRORS].get_offsets()) == 4
    assert [t.get_text() for t in fig.axes[0].texts] == [
        "InvalidCiphertextException ×3, DisabledException"]


def test_labels_on_one_row_alternate_above_and_below() -> None:
    cloud = Cloud(seed=6)
    kms = cloud.client("kms")
    for _ in range(3):
        with pytest.raises(kms.exceptions.NotFoundException):
            kms.describe_key(KeyId="alias/missing")
        cloud.clock.advance(days=1)
    texts = timeline.plot_trail(cloud).axes[0].texts
    assert [t.get_text() for t in texts] == ["NotFoundException"] * 3
    assert [t.xyann[1] for t in texts] == [6, -14, 6]


def test_annotations_can_be_switched_off(story: Story) -> None:
    fig = timeline.plot_trail(story.cloud, annotate_errors=False, title="quiet")
    assert len(fig.axes[0].texts) == 0
    assert fig.axes[0].get_title() == "quiet"


def test_only_calls_when_nothing_failed() -> None:
    cloud = Cloud(seed=2)
    kms = cloud.client("kms")
    kms.create_key()
    kms.list_keys()
    fig = timeline.plot_trail(cloud.trail)
    assert {k: len(v.get_offsets()) for k, v in _series(fig).items()} == {"calls": 2}


def test_empty_trail_draws_a_message_not_an_error() -> None:
    fig = timeline.plot_trail(Cloud(seed=1))
    assert isinstance(fig, Figure)
    assert len(fig.axes[0].collections) == 0
    assert [t.get_text() for t in fig.axes[0].texts] == ["The trail is empty: no calls yet."]


def test_figure_is_returned_closed_and_renders(story: Story) -> None:
    import matplotlib.pyplot as plt

    fig = timeline.plot_trail(story.cloud)
    assert fig.number not in plt.get_fignums()  # not left open for pyplot to show again
    fig.canvas.draw()  # renders on the Agg backend without a display
