"""A CloudTrail-shaped audit trail of every call, failed ones included.

Records follow CloudTrail's event shape (eventVersion, eventTime from the virtual clock,
eventSource, eventName, awsRegion, userIdentity, requestParameters, responseElements,
errorCode/errorMessage, requestID, eventID, readOnly, resources, eventType). Secret material
never enters a record: members of ``sensitive`` shapes read ``HIDDEN_DUE_TO_SECURITY_REASONS``
and blobs (ciphertexts, plaintexts, key material) are left out, as CloudTrail does.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from botocore.model import Shape

if TYPE_CHECKING:
    import pandas

HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS"


def redact(shape: Shape | None, value: Any) -> Any:
    """A CloudTrail-safe copy of ``value``: lowerCamel member names, secrets hidden."""
    if shape is None or value is None:
        return None
    return _redactor(shape)(value)


_REDACTORS: dict[Shape, Callable[[Any], Any]] = {}


def _redactor(shape: Shape) -> Callable[[Any], Any]:
    fn = _REDACTORS.get(shape)
    if fn is None:
        fn = _REDACTORS[shape] = _build(shape)
    return fn


def _hidden(value: Any) -> str:
    return HIDDEN


def _plain(value: Any) -> Any:
    if hasattr(value, "value") and not isinstance(value, (int, str, float, bool)):
        return value.value
    return value


def _build(shape: Shape) -> Callable[[Any], Any]:
    if shape.metadata.get("sensitive"):
        return _hidden
    t = shape.type_name
    if t == "structure":
        # Blobs (plaintexts, ciphertexts, key material) are left out entirely.
        plan = {
            name: (name[:1].lower() + name[1:], member)
            for name, member in shape.members.items()
            if member.type_name != "blob"
        }

        plain = {
            name: lowered
            for name, (lowered, member) in plan.items()
            if member.type_name in ("string", "boolean", "integer", "long")
            and not member.metadata.get("sensitive")
        }

        def structure(value: Any) -> Any:
            out: dict[str, Any] = {}
            for name, v in value.items():
                if v is None:
                    continue
                lowered = plain.get(name)
                if lowered is not None and v.__class__ in (str, bool, int):
                    out[lowered] = v
                    continue
                entry = plan.get(name)
                if entry is not None:
                    out[entry[0]] = _redactor(entry[1])(v)
            return out

        return structure
    if t == "list":
        item = shape.member
        return lambda value: [_redactor(item)(v) for v in value]
    if t == "map":
        vs = shape.value
        return lambda value: {k: _redactor(vs)(v) for k, v in value.items()}
    if t == "timestamp":
        return _format_time
    return _plain


def _format_time(value: Any) -> str:
    if isinstance(value, _dt.datetime):
        return value.strftime("%b %d, %Y, %I:%M:%S %p")
    return str(value)


class Trail:
    """The audit trail: an append-only list of CloudTrail-shaped dicts."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.records)

    def __repr__(self) -> str:
        return f"<Trail {len(self.records)} events>"

    def append(self, record: dict[str, Any]) -> None:
        self.records.append(record)

    def events(
        self, *, event_name: str | None = None, event_source: str | None = None
    ) -> list[dict[str, Any]]:
        return [
            r
            for r in self.records
            if (event_name is None or r["eventName"] == event_name)
            and (event_source is None or r["eventSource"] == event_source)
        ]

    def to_dataframe(self) -> pandas.DataFrame:
        """The trail as a pandas table, one row per event, newest last."""
        import pandas

        rows = []
        for r in self.records:
            ident = r.get("userIdentity") or {}
            rows.append(
                {
                    "eventTime": pandas.Timestamp(r["eventTime"]),
                    "eventSource": r["eventSource"],
                    "eventName": r["eventName"],
                    "awsRegion": r["awsRegion"],
                    "user": ident.get("userName") or ident.get("arn") or ident.get("invokedBy"),
                    "readOnly": r.get("readOnly"),
                    "errorCode": r.get("errorCode"),
                    "errorMessage": r.get("errorMessage"),
                    "requestParameters": r.get("requestParameters"),
                    "responseElements": r.get("responseElements"),
                    "eventType": r.get("eventType"),
                    "requestID": r.get("requestID"),
                }
            )
        columns = [
            "eventTime",
            "eventSource",
            "eventName",
            "awsRegion",
            "user",
            "readOnly",
            "errorCode",
            "errorMessage",
            "requestParameters",
            "responseElements",
            "eventType",
            "requestID",
        ]
        return pandas.DataFrame(rows, columns=columns)

    def dump(self) -> list[dict[str, Any]]:
        return list(self.records)

    def restore(self, data: list[dict[str, Any]]) -> None:
        self.records = list(data)
