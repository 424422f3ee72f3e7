"""The audit trail drawn over virtual time: one row per API operation, errors in red.

Owns the matplotlib picture of a trail. Each event is a point at its ``eventTime`` on the row
of its ``eventName``; calls that succeeded, calls that failed (labelled with their error code)
and events AWS wrote on its own behalf (``AwsServiceEvent``, such as KMS's ``DeleteKey`` when
a deletion window ends) are drawn as three separate series, so tests and readers can tell them
apart. The figure is created with pyplot and closed at once: it is returned, not shown, so it
works on the Agg backend, in pytest, and as the value of a notebook cell (displayed once).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.lab.views import TrailSource, trail_frame

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Series names: each scatter's ``gid``, and its legend label followed by the count.
CALLS, ERRORS, SERVICE_EVENTS = "calls", "errors", "service events"
SERVICE_EVENT = "AwsServiceEvent"


def plot_trail(
    source: TrailSource,
    *,
    title: str = "Audit trail over virtual time",
    annotate_errors: bool = True,
    width: float = 9.0,
) -> Figure:
    """Plot every event of the trail; returns the Figure (nothing is shown or saved).

    Rows follow the order in which each eventName first appears, top to bottom. With
    ``annotate_errors`` each failed call is labelled with its error code (codes failing at the
    same instant on the same row share one label, with a count: ``"DisabledException ×2"``).
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    frame = trail_frame(source)
    names = list(dict.fromkeys(frame["eventName"]))
    fig, ax = plt.subplots(figsize=(width, 1.6 + 0.45 * max(len(names), 1)))
    # Close at once: the caller gets the Figure; pyplot must not display it a second time.
    plt.close(fig)
    ax.set_title(title)
    if frame.empty:
        ax.text(
            0.5,
            0.5,
            "The trail is empty: no calls yet.",
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
        ax.set_yticks([])
        ax.set_xticks([])
        return fig

    row = {name: i for i, name in enumerate(names)}
    times = frame["eventTime"].dt.tz_convert("UTC").dt.tz_localize(None)
    ys = frame["eventName"].map(row)
    failed = frame["errorCode"].notna()
    service = frame["eventType"] == SERVICE_EVENT
    series: list[tuple[str, Any, dict[str, Any]]] = [
        (CALLS, ~failed & ~service, {"marker": "o", "color": "tab:blue"}),
        (ERRORS, failed, {"marker": "X", "color": "tab:red", "s": 80}),
        (SERVICE_EVENTS, service & ~failed, {"marker": "D", "color": "tab:purple"}),
    ]
    for label, mask, style in series:
        count = int(mask.sum())
        if count:
            collection = ax.scatter(
                times[mask], ys[mask], zorder=3, label=f"{label} ({count})", **style
            )
            collection.set_gid(label)
    if annotate_errors:
        _label_errors(ax, times[failed], ys[failed], frame["errorCode"][failed])
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.grid(axis="x", alpha=0.3)
    locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call, unused-ignore]
    formatter = mdates.ConciseDateFormatter(locator)  # type: ignore[no-untyped-call, unused-ignore]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(formatter)
    ax.set_xlabel("virtual time (UTC)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    fig.tight_layout()
    return fig


def _label_errors(ax: Any, times: Any, ys: Any, codes: Any) -> None:
    import matplotlib.dates as mdates

    # One label per point: codes that failed at the same instant on the same row are joined
    # and counted instead of being drawn on top of each other.
    points: dict[tuple[Any, int], dict[str, int]] = {}
    for when, y, code in zip(times, ys, codes, strict=True):
        seen = points.setdefault((when, int(y)), {})
        seen[str(code)] = seen.get(str(code), 0) + 1
    # Labels on one row alternate above and below it, so neighbours in time stay readable.
    on_row: dict[int, int] = {}
    for (when, y), seen in points.items():
        text = ", ".join(code if n == 1 else f"{code} ×{n}" for code, n in seen.items())
        x = mdates.date2num(when)  # type: ignore[no-untyped-call, unused-ignore]
        nth = on_row[y] = on_row.get(y, -1) + 1
        ax.annotate(
            text,
            (x, y),
            xytext=(6, 6 if nth % 2 == 0 else -14),
            textcoords="offset points",
            fontsize=8,
            color="tab:red",
        )
