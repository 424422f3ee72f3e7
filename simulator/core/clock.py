"""The virtual clock: the simulator's only source of time.

Every timestamp the simulator writes comes from :class:`Clock`. Time moves only when a
learner calls :meth:`Clock.advance` or :meth:`Clock.advance_to`; scheduled work (key deletion,
rotation, expiry, renewal) then runs in due order, with the clock set to each job's due time
before the job runs, so a job sees exactly the instant it was scheduled for.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.core.scheduler import Scheduler

UTC = _dt.UTC

#: The instant a seeded Cloud starts at, so notebooks show the same dates on every run.
SEEDED_EPOCH = _dt.datetime(2026, 1, 5, 9, 0, 0, tzinfo=UTC)


def wall_clock_now() -> _dt.datetime:
    """The real time, used once to start an unseeded Cloud (this module owns wall time)."""
    return _dt.datetime.now(UTC).replace(microsecond=0)


def perf_seconds() -> float:
    """A monotonic wall counter for request-rate measurement outside the simulation."""
    import time

    return time.perf_counter()


class Clock:
    """Virtual, timezone-aware UTC time that only moves forward when told to."""

    __slots__ = ("_now", "_scheduler")

    def __init__(self, start: _dt.datetime, scheduler: Scheduler | None = None) -> None:
        if start.tzinfo is None:
            raise ValueError("the clock needs a timezone-aware start time")
        self._now = start.astimezone(UTC)
        self._scheduler = scheduler

    def bind(self, scheduler: Scheduler) -> None:
        self._scheduler = scheduler

    def now(self) -> _dt.datetime:
        return self._now

    def __repr__(self) -> str:
        return f"Clock({self._now.isoformat()})"

    def advance(
        self,
        *,
        days: float = 0,
        hours: float = 0,
        minutes: float = 0,
        seconds: float = 0,
    ) -> int:
        """Move time forward, running every job that falls due; returns the number run."""
        delta = _dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
        if delta < _dt.timedelta(0):
            raise ValueError("the clock cannot go backwards")
        return self.advance_to(self._now + delta)

    def advance_to(self, when: _dt.datetime) -> int:
        """Move time forward to ``when`` (aware), running due jobs in (due, seq) order."""
        if when.tzinfo is None:
            raise ValueError("advance_to needs a timezone-aware datetime")
        when = when.astimezone(UTC)
        if when < self._now:
            raise ValueError(f"the clock is at {self._now.isoformat()}; it cannot go back")
        ran = 0
        if self._scheduler is not None:
            ran = self._scheduler.run_due(until=when, set_time=self._set)
        self._now = when
        return ran

    def restore(self, instant: _dt.datetime) -> None:
        """Set the time from a snapshot (the only way to move it other than advancing)."""
        self._now = instant.astimezone(UTC)

    def _set(self, instant: _dt.datetime) -> None:
        # Jobs can be due "now" (scheduled in the past of the target); never move backwards.
        if instant > self._now:
            self._now = instant


TimeSource = Callable[[], _dt.datetime]
