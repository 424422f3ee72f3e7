"""A KMS key's life on the virtual clock: states, deletion windows, and what each state allows.

Owns the scenario of notebook 02's first half. :class:`KeyLifecycle` drives one key through
DisableKey, EnableKey, ScheduleKeyDeletion, CancelKeyDeletion and ``cloud.clock.advance`` as
plain methods, and records every state it passes through with its virtual time, so
:func:`plot_key_states` can draw the key's life as coloured spans. :func:`state_table` asks the
simulator, operation by operation, what each key state allows, for comparison with AWS's
published table (https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html).
:class:`LifecycleView` is the ipywidgets front end. Everything goes through a KMS client's
public API; pandas, matplotlib and ipywidgets are imported inside functions.
"""

from __future__ import annotations

import datetime as _dt
import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.lab.checks import CheckResult, client_error
from simulator.lab.playground import Outcome

if TYPE_CHECKING:
    import pandas
    from matplotlib.figure import Figure

#: The pseudo-state of a key that KMS has deleted (DescribeKey answers NotFoundException).
DELETED = "Deleted"
#: K-SKD: the waiting period ScheduleKeyDeletion accepts, and its default.
MIN_WINDOW, MAX_WINDOW, DEFAULT_WINDOW = 7, 30, 30
STATE_COLOURS = {
    "Enabled": "#2f9e44",
    "Disabled": "#868e96",
    "PendingDeletion": "#e8590c",
    DELETED: "#212529",
}


@dataclass(frozen=True)
class StatePoint:
    """The key's state from ``time`` on, and the action (or service event) that set it."""

    time: _dt.datetime
    state: str
    cause: str


def key_state(kms: Any, key_id: str) -> str:
    """DescribeKey's KeyState, or ``"Deleted"`` once KMS has deleted the key."""
    try:
        return str(kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"])
    except Exception as exc:
        if client_error(exc)[0] == "NotFoundException":
            return DELETED
        raise


class KeyLifecycle:
    """One key, its actions, and the timeline of its states."""

    def __init__(
        self,
        cloud: Any,
        kms: Any | None = None,
        key_id: str | None = None,
        *,
        description: str = "Secrets Lab lifecycle key",
    ) -> None:
        self.cloud = cloud
        self.kms = kms if kms is not None else cloud.client("kms")
        if key_id is None:
            key_id = self.kms.create_key(Description=description)["KeyMetadata"]["KeyId"]
        self.key_id: str = key_id
        self.history: list[StatePoint] = [
            StatePoint(cloud.clock.now(), key_state(self.kms, key_id), "CreateKey")
        ]
        self.outcomes: list[Outcome] = []
        self.deletion_date: _dt.datetime | None = None
        self.sample = self.kms.encrypt(KeyId=key_id, Plaintext=b"lifecycle sample")[
            "CiphertextBlob"
        ]

    @property
    def state(self) -> str:
        return self.history[-1].state

    def _note(self, cause: str) -> None:
        now = key_state(self.kms, self.key_id)
        if now != self.state:
            self.history.append(StatePoint(self.cloud.clock.now(), now, cause))

    def _call(self, action: str, call: Callable[[], Any], summary: Callable[[Any], str]) -> Outcome:
        try:
            response = call()
        except Exception as exc:
            code, message = client_error(exc)
            if not code:
                raise
            outcome = Outcome(action, False, "", code, message)
        else:
            self._note(action)
            outcome = Outcome(action, True, summary(response))
        self.outcomes.append(outcome)
        return outcome

    def disable(self) -> Outcome:
        return self._call(
            "DisableKey",
            lambda: self.kms.disable_key(KeyId=self.key_id),
            lambda _r: f"the key is now {self.state}",
        )

    def enable(self) -> Outcome:
        return self._call(
            "EnableKey",
            lambda: self.kms.enable_key(KeyId=self.key_id),
            lambda _r: f"the key is now {self.state}",
        )

    def schedule_deletion(self, days: int | None = None) -> Outcome:
        params: dict[str, Any] = {"KeyId": self.key_id}
        if days is not None:
            params["PendingWindowInDays"] = days

        def said(r: Any) -> str:
            self.deletion_date = r["DeletionDate"].astimezone(_dt.UTC)
            return (
                f"deletion in {r['PendingWindowInDays']} days, on "
                f"{self.deletion_date:%Y-%m-%d %H:%M} UTC"
            )

        return self._call(
            "ScheduleKeyDeletion", lambda: self.kms.schedule_key_deletion(**params), said
        )

    def cancel_deletion(self) -> Outcome:
        def said(_r: Any) -> str:
            self.deletion_date = None
            return f"the key is now {self.state}"

        return self._call(
            "CancelKeyDeletion", lambda: self.kms.cancel_key_deletion(KeyId=self.key_id), said
        )

    def decrypt_sample(self) -> Outcome:
        """Decrypt a ciphertext made at creation: does the key still work for data?"""
        return self._call(
            "Decrypt",
            lambda: self.kms.decrypt(CiphertextBlob=self.sample),
            lambda r: f"the sample decrypts to {r['Plaintext'].decode()!r}",
        )

    def advance(self, days: int) -> Outcome:
        """Move the virtual clock; a deletion that falls due runs at its own time."""
        ran = self.cloud.clock.advance(days=days)
        now = key_state(self.kms, self.key_id)
        if now != self.state:
            # The scheduled deletion ran at DeletionDate, not at the end of the advance.
            when = self.deletion_date or self.cloud.clock.now()
            self.history.append(StatePoint(when, now, "DeleteKey (KMS)"))
        outcome = Outcome(
            "advance", True, f"{days} days later ({ran} scheduled job(s) ran); the key is {now}"
        )
        self.outcomes.append(outcome)
        return outcome

    def spans(
        self, until: _dt.datetime | None = None
    ) -> list[tuple[str, _dt.datetime, _dt.datetime]]:
        """(state, start, end) for each stretch of the key's life, up to ``until`` (now)."""
        end = until or self.cloud.clock.now()
        out = []
        for point, after in zip(self.history, [*self.history[1:], None], strict=True):
            out.append((point.state, point.time, after.time if after else end))
        return out


def plot_key_states(
    lifecycle: KeyLifecycle, *, width: float = 9.0, title: str = "Key state over virtual time"
) -> Figure:
    """The key's states as coloured spans on one row, actions marked; returns the Figure."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    fig, ax = plt.subplots(figsize=(width, 2.4))
    plt.close(fig)
    spans = lifecycle.spans()
    if spans[-1][2] <= spans[-1][1]:
        spans[-1] = (spans[-1][0], spans[-1][1], spans[-1][1] + _dt.timedelta(hours=12))
    for state, start, end in spans:
        left = mdates.date2num(start.replace(tzinfo=None))  # type: ignore[no-untyped-call, unused-ignore]
        right = mdates.date2num(end.replace(tzinfo=None))  # type: ignore[no-untyped-call, unused-ignore]
        (bar,) = ax.barh(
            0,
            right - left,
            left=left,
            height=0.5,
            color=STATE_COLOURS.get(state, "#adb5bd"),
            edgecolor="white",
        )
        bar.set_gid(f"state:{state}")
    # Actions at the same instant share one label ("CancelKeyDeletion → EnableKey").
    causes: dict[_dt.datetime, list[str]] = {}
    for point in lifecycle.history[1:]:
        causes.setdefault(point.time, []).append(point.cause)
    for n, (when, names) in enumerate(causes.items()):
        x = mdates.date2num(when.replace(tzinfo=None))  # type: ignore[no-untyped-call, unused-ignore]
        ax.axvline(x, color="black", linewidth=0.8, linestyle=":")
        ax.annotate(
            " → ".join(names),
            (x, 0.3 + 0.2 * (n % 3)),
            fontsize=8,
            ha="left",
            xytext=(3, 0),
            textcoords="offset points",
        )
    ax.set_yticks([])
    ax.set_ylim(-0.5, 1.0)
    ax.set_title(title)
    locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call, unused-ignore]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call, unused-ignore]
    seen = list(dict.fromkeys(state for state, _s, _e in spans))
    ax.legend(
        handles=[Patch(color=STATE_COLOURS.get(s, "#adb5bd"), label=s) for s in seen],
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
    )
    ax.set_xlabel("virtual time (UTC)")
    fig.tight_layout()
    return fig


# -- what each state allows ------------------------------------------------------------------
STATES = ("Enabled", "Disabled", "PendingDeletion")

#: Operations tried on a fresh key in each state: name -> call(kms, key_id, sample blob).
PROBES: dict[str, Callable[[Any, str, bytes], Any]] = {
    "Encrypt": lambda kms, k, _b: kms.encrypt(KeyId=k, Plaintext=b"probe"),
    "Decrypt": lambda kms, _k, b: kms.decrypt(CiphertextBlob=b),
    "GenerateDataKey": lambda kms, k, _b: kms.generate_data_key(KeyId=k, KeySpec="AES_256"),
    "DescribeKey": lambda kms, k, _b: kms.describe_key(KeyId=k),
    "EnableKey": lambda kms, k, _b: kms.enable_key(KeyId=k),
    "DisableKey": lambda kms, k, _b: kms.disable_key(KeyId=k),
    "ScheduleKeyDeletion": lambda kms, k, _b: kms.schedule_key_deletion(
        KeyId=k, PendingWindowInDays=7
    ),
    "CancelKeyDeletion": lambda kms, k, _b: kms.cancel_key_deletion(KeyId=k),
    "TagResource": lambda kms, k, _b: kms.tag_resource(
        KeyId=k, Tags=[{"TagKey": "probe", "TagValue": "1"}]
    ),
    "UpdateKeyDescription": lambda kms, k, _b: kms.update_key_description(
        KeyId=k, Description="probe"
    ),
}
ALLOWED = "✓"


def _key_in_state(kms: Any, state: str) -> tuple[str, bytes]:
    key_id = str(kms.create_key(Description=f"probe: {state}")["KeyMetadata"]["KeyId"])
    blob: bytes = kms.encrypt(KeyId=key_id, Plaintext=b"probe")["CiphertextBlob"]
    if state == "Disabled":
        kms.disable_key(KeyId=key_id)
    elif state == "PendingDeletion":
        kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=MAX_WINDOW)
    return key_id, blob


def state_table(kms: Any, operations: list[str] | None = None) -> pandas.DataFrame:
    """Operation × key state: ``"✓"`` or the error code the simulator answers.

    Each cell uses a fresh key put into that state (so EnableKey on one cell cannot change
    another), and the keys made for Enabled/Disabled are scheduled for deletion afterwards,
    as a tidy learner would. Rows are operations, columns are :data:`STATES`.
    """
    import pandas

    names = operations or list(PROBES)
    rows: dict[str, dict[str, str]] = {name: {} for name in names}
    made: list[str] = []
    for state in STATES:
        for name in names:
            key_id, blob = _key_in_state(kms, state)
            made.append(key_id)
            try:
                PROBES[name](kms, key_id, blob)
            except Exception as exc:
                code = client_error(exc)[0]
                if not code:
                    raise
                rows[name][state] = code
            else:
                rows[name][state] = ALLOWED
    for key_id in made:
        if key_state(kms, key_id) != "PendingDeletion":
            kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=MIN_WINDOW)
    return pandas.DataFrame.from_dict(rows, orient="index")[list(STATES)]


# -- exercise checks -------------------------------------------------------------------------
def check_deletion_scheduled(
    kms: Any, key_id: str, now: _dt.datetime, days: int = MIN_WINDOW
) -> CheckResult:
    """The key is PendingDeletion, deleted ``days`` days after ``now`` (the shortest: 7)."""
    result = CheckResult("Key deletion")
    meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    result.expect(
        meta["KeyState"] == "PendingDeletion",
        "the key is PendingDeletion",
        f"the key is {meta['KeyState']}, not PendingDeletion",
    )
    deletion = meta.get("DeletionDate")
    if result.expect(deletion is not None, "it has a DeletionDate", "it has no DeletionDate"):
        got = round((deletion - now).total_seconds() / 86400, 3)
        result.expect(
            got == days,
            f"it is deleted {days} days from now",
            f"it is deleted {got:g} days from now, not {days}",
        )
    return result


def check_key_usable(kms: Any, key_id: str) -> CheckResult:
    """The key is Enabled, has no pending deletion, and encrypts and decrypts again."""
    result = CheckResult("Key back in service")
    meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    result.expect(
        meta["KeyState"] == "Enabled",
        "the key is Enabled",
        f"the key is {meta['KeyState']}: after CancelKeyDeletion call EnableKey",
    )
    result.expect(
        "DeletionDate" not in meta, "no deletion is scheduled", "a deletion is still scheduled"
    )
    try:
        blob = kms.encrypt(KeyId=key_id, Plaintext=b"check")["CiphertextBlob"]
        works = kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"check"
    except Exception as exc:
        code, message = client_error(exc)
        result.expect(False, "", f"Encrypt/Decrypt failed: {code} {message}")
    else:
        result.expect(works, "Encrypt and Decrypt work", "Decrypt returned other bytes")
    return result


# -- widget ----------------------------------------------------------------------------------
class LifecycleView:
    """Buttons for the lifecycle actions, a status line, the last outcome and the picture."""

    def __init__(self, lifecycle: KeyLifecycle) -> None:
        import ipywidgets as w  # type: ignore[import-untyped, unused-ignore]

        self.lifecycle = lifecycle
        self.window = w.IntSlider(
            value=DEFAULT_WINDOW, min=1, max=MAX_WINDOW, description="Window (d)"
        )
        self.days = w.Dropdown(options=[1, 7, 30, 365], value=7, description="Advance (d)")
        self.buttons = {
            "disable": w.Button(description="Disable key", button_style="warning"),
            "enable": w.Button(description="Enable key", button_style="success"),
            "schedule": w.Button(description="Schedule deletion", button_style="danger"),
            "cancel": w.Button(description="Cancel deletion"),
            "decrypt": w.Button(description="Decrypt sample", button_style="info"),
            "advance": w.Button(description="Advance clock"),
        }
        actions: dict[str, Callable[[], Outcome]] = {
            "disable": lifecycle.disable,
            "enable": lifecycle.enable,
            "schedule": lambda: lifecycle.schedule_deletion(self.window.value),
            "cancel": lifecycle.cancel_deletion,
            "decrypt": lifecycle.decrypt_sample,
            "advance": lambda: lifecycle.advance(self.days.value),
        }
        for name, button in self.buttons.items():
            button.on_click(lambda _b, act=actions[name]: self.show(act()))
        self.status = w.HTML()
        self.output = w.HTML("<p>Try the buttons; the picture shows the key's life.</p>")
        self.image = w.Image(format="png")
        b = self.buttons
        self.root = w.VBox(
            [
                self.status,
                w.HBox([b["disable"], b["enable"], b["decrypt"]]),
                w.HBox([self.window, b["schedule"], b["cancel"]]),
                w.HBox([self.days, b["advance"]]),
                self.output,
                self.image,
            ]
        )
        self.render()

    def render(self) -> None:
        from simulator.lab.envelope_walk import figure_png

        lc = self.lifecycle
        self.status.value = (
            f"<p>Key <code>{html.escape(lc.key_id)}</code> is <b>{html.escape(lc.state)}</b>"
            f" at {lc.cloud.clock.now():%Y-%m-%d %H:%M} UTC.</p>"
        )
        self.image.value = figure_png(plot_key_states(lc))

    def show(self, outcome: Outcome) -> None:
        self.output.value = outcome.to_html()
        self.render()


def lifecycle_widget(lifecycle: KeyLifecycle) -> Any:
    """The lifecycle behind buttons; the view is ``widget.lifecycle_view``."""
    view = LifecycleView(lifecycle)
    root = view.root
    root.lifecycle_view = view
    return root
