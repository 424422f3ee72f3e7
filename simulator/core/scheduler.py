"""Scheduled work: a heap of jobs ordered by (due time, sequence number).

A job names a registered *kind* (``"kms.delete_key"``) and carries plain JSON-able arguments,
never a Python callable, so the whole queue survives :meth:`Cloud.save` / :meth:`Cloud.load`.
The operation that causes a timed transition schedules it and may cancel it by job id.
"""

from __future__ import annotations

import datetime as _dt
import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

JobHandler = Callable[[_dt.datetime, dict[str, Any]], None]


@dataclass(order=True)
class Job:
    due: _dt.datetime
    seq: int
    kind: str = field(compare=False)
    args: dict[str, Any] = field(compare=False, default_factory=dict)
    cancelled: bool = field(compare=False, default=False)


class Scheduler:
    """Owns the job heap; handlers are registered by kind when services start."""

    def __init__(self) -> None:
        self._heap: list[Job] = []
        self._by_seq: dict[int, Job] = {}
        self._seq = 0
        self._handlers: dict[str, JobHandler] = {}
        # Asked for the service a job kind's prefix names ("acm" for "acm.expire") when no
        # handler is registered yet: the Cloud creates its services on first use.
        self.resolver: Callable[[str], object] | None = None

    def register(self, kind: str, handler: JobHandler) -> None:
        self._handlers[kind] = handler

    def _handler(self, kind: str) -> JobHandler:
        handler = self._handlers.get(kind)
        if handler is None and self.resolver is not None:
            self.resolver(kind.partition(".")[0])
            handler = self._handlers.get(kind)
        if handler is None:
            raise KeyError(f"no handler registered for job kind {kind!r}")
        return handler

    def schedule(self, due: _dt.datetime, kind: str, **args: Any) -> int:
        self._handler(kind)
        self._seq += 1
        job = Job(due, self._seq, kind, dict(args))
        heapq.heappush(self._heap, job)
        self._by_seq[job.seq] = job
        return job.seq

    def cancel(self, job_id: int | None) -> None:
        if job_id is None:
            return
        job = self._by_seq.pop(job_id, None)
        if job is not None:
            job.cancelled = True

    def pending(self) -> list[Job]:
        """Live jobs in the order they will run."""
        return sorted(j for j in self._heap if not j.cancelled)

    def run_due(self, until: _dt.datetime, set_time: Callable[[_dt.datetime], None]) -> int:
        ran = 0
        while self._heap and self._heap[0].due <= until:
            job = heapq.heappop(self._heap)
            if job.cancelled:
                continue
            self._by_seq.pop(job.seq, None)
            set_time(job.due)
            self._handler(job.kind)(job.due, job.args)
            ran += 1
        return ran

    # -- snapshot -----------------------------------------------------------------------
    def dump(self) -> dict[str, Any]:
        return {
            "seq": self._seq,
            "jobs": [
                {"due": j.due.isoformat(), "seq": j.seq, "kind": j.kind, "args": j.args}
                for j in self.pending()
            ],
        }

    def restore(self, data: dict[str, Any]) -> None:
        self._seq = int(data["seq"])
        self._heap = []
        self._by_seq = {}
        for raw in data["jobs"]:
            job = Job(
                _dt.datetime.fromisoformat(raw["due"]), int(raw["seq"]), raw["kind"], raw["args"]
            )
            heapq.heappush(self._heap, job)
            self._by_seq[job.seq] = job
