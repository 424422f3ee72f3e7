"""Per-account, per-Region state of a service: the map EC2, ELBv2 and KMS keep, written once.

Slots are named ``"<account>:<region>"``; a slot is made empty on first use. Snapshots hold the
slots as persist.py JSON, optionally leaving out the empty ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from simulator.core.persist import from_json, to_json

S = TypeVar("S")


class RegionalStates(dict[str, S], Generic[S]):
    """slot ``"<account>:<region>"`` -> the service's typed state for it."""

    def __init__(self, factory: type[S]) -> None:
        super().__init__()
        self._factory = factory

    def of(self, account: str, region: str) -> S:
        slot = f"{account}:{region}"
        st = self.get(slot)
        if st is None:
            st = self[slot] = self._factory()
        return st

    def dump(self, keep: Callable[[S], bool] | None = None) -> dict[str, Any]:
        return {slot: to_json(st) for slot, st in self.items() if keep is None or keep(st)}

    def restore(self, data: dict[str, Any]) -> None:
        self.clear()
        self.update({slot: from_json(self._factory, raw) for slot, raw in data.items()})
