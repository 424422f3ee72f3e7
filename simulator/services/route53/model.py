"""Route 53 typed state: each account's hosted zones (with their record sets) and the changes
submitted to them. Route 53 is global, so state is kept per account, not per Region.
Everything here round-trips through snapshots (``core/persist.py``)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from enum import StrEnum


class ChangeStatus(StrEnum):
    PENDING = "PENDING"
    INSYNC = "INSYNC"


@dataclass
class RecordSet:
    name: str  # normalised: lower case, trailing dot
    type: str
    ttl: int
    values: list[str] = field(default_factory=list)


@dataclass
class HostedZone:
    zone_id: str  # "Z..." without the "/hostedzone/" prefix
    name: str  # normalised: lower case, trailing dot
    caller_reference: str
    account_id: str
    created: _dt.datetime
    name_servers: list[str] = field(default_factory=list)
    comment: str | None = None
    records: list[RecordSet] = field(default_factory=list)


@dataclass
class Change:
    change_id: str  # "C..." without the "/change/" prefix
    status: ChangeStatus
    submitted_at: _dt.datetime
    comment: str | None = None


@dataclass
class AccountState:
    zones: dict[str, HostedZone] = field(default_factory=dict)  # by id, in creation order
    changes: dict[str, Change] = field(default_factory=dict)
    caller_references: list[str] = field(default_factory=list)  # every one ever used
