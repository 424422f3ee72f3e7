"""CloudTrail event history: LookupEvents over the Cloud's audit trail (``cloud.trail``).

The trail holds the CloudTrail-shaped record of every call the dispatcher answered and every
event AWS services wrote on their own (``AwsServiceEvent``, e.g. KMS DeleteKey and RotateKey
on the clock). LookupEvents, per its API reference and facts sheet 6.5:

- returns only the caller's account and Region, newest first, for the last 90 days (older
  management events need a trail; S-CT);
- filters by at most one lookup attribute (EventId, EventName, EventSource, Username,
  ResourceName, ResourceType, ReadOnly, AccessKeyId) and by StartTime/EndTime, both inclusive;
  a StartTime after the EndTime is InvalidTimeRangeException;
- pages with MaxResults (1-50, default 50) and a NextToken that is valid only with the same
  parameters (InvalidNextTokenException otherwise);
- answers each event with its CloudTrail record as the ``CloudTrailEvent`` JSON string.

Insights events are not simulated: ``EventCategory=insight`` finds none. Trails, event data
stores and CloudTrail Lake are not simulated (their operations answer NotSimulatedException).
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

from simulator.core.context import RequestContext
from simulator.protocol.registry import operation
from simulator.services.base import Service
from simulator.services.cloudtrail.errors import (
    InvalidLookupAttributesException,
    InvalidNextTokenException,
    InvalidTimeRangeException,
)

HISTORY_DAYS = 90
DEFAULT_RESULTS = 50
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # eventTime in records: sortable as text

Record = dict[str, Any]


def username(record: Record) -> str | None:
    """The user or role name LookupEvents shows for a record's ``userIdentity``."""
    ident = record.get("userIdentity") or {}
    if ident.get("userName"):
        return str(ident["userName"])
    kind = ident.get("type")
    if kind == "Root":
        return "root"
    if kind == "AssumedRole" and ident.get("arn"):
        return str(ident["arn"]).rsplit("/", 1)[-1]  # the role session name
    return None


def resources(record: Record) -> list[dict[str, str]]:
    out = []
    for res in record.get("resources") or []:
        item = {}
        if res.get("type"):
            item["ResourceType"] = str(res["type"])
        if res.get("ARN"):
            item["ResourceName"] = str(res["ARN"])
        out.append(item)
    return out


_FILTERS: dict[str, Callable[[Record, str], bool]] = {
    "EventId": lambda r, v: r.get("eventID") == v,
    "EventName": lambda r, v: r.get("eventName") == v,
    "EventSource": lambda r, v: r.get("eventSource") == v,
    "ReadOnly": lambda r, v: str(bool(r.get("readOnly"))).lower() == v,
    "Username": lambda r, v: username(r) == v,
    "AccessKeyId": lambda r, v: (r.get("userIdentity") or {}).get("accessKeyId") == v,
    "ResourceName": lambda r, v: any(x.get("ResourceName") == v for x in resources(r)),
    "ResourceType": lambda r, v: any(x.get("ResourceType") == v for x in resources(r)),
}


def _bound(when: _dt.datetime | None, *, ceil: bool) -> str | None:
    """A StartTime/EndTime as record-time text (second precision, inclusive)."""
    if when is None:
        return None
    when = when.astimezone(_dt.UTC)
    if ceil and when.microsecond:
        when = when.replace(microsecond=0) + _dt.timedelta(seconds=1)
    return when.strftime(_TIME_FORMAT)


class CloudTrailService(Service):
    service_name = "cloudtrail"

    def dump(self) -> Any:
        return None  # the event history is the Cloud's trail, saved with the snapshot

    def restore(self, data: Any) -> None:
        return None

    @operation("LookupEvents", read_only=True)
    def lookup_events(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        attributes = p.get("LookupAttributes") or []
        if len(attributes) > 1:
            # API reference: "Currently the list can contain only one item."
            raise InvalidLookupAttributesException(
                "You can specify only one lookup attribute in a request."
            )
        start = _bound(p.get("StartTime"), ceil=True)
        end = _bound(p.get("EndTime"), ceil=False)
        if start is not None and end is not None and start > end:
            raise InvalidTimeRangeException("Start time must be before or equal to end time.")
        records = self.env.trail.records
        fingerprint = _fingerprint(ctx, p)
        cursor = _cursor(p.get("NextToken"), fingerprint, len(records))
        if p.get("EventCategory") == "insight":
            return {"Events": []}  # no trail has Insights enabled in this Cloud

        oldest = (ctx.now - _dt.timedelta(days=HISTORY_DAYS)).strftime(_TIME_FORMAT)
        floor = max(oldest, start) if start is not None else oldest
        test, value = None, ""
        if attributes:
            test = _FILTERS[attributes[0]["AttributeKey"]]
            value = attributes[0]["AttributeValue"]
        limit = p.get("MaxResults") or DEFAULT_RESULTS

        found: list[Record] = []
        index = cursor - 1
        next_token = None
        while index >= 0:
            record = records[index]
            when = str(record.get("eventTime", ""))
            if when < floor:
                break  # records are in clock order: everything older is out of range too
            if (
                record.get("awsRegion") == ctx.region
                and record.get("recipientAccountId") == ctx.account_id
                and (end is None or when <= end)
                and (test is None or test(record, value))
            ):
                if len(found) == limit:
                    next_token = _token(index + 1, fingerprint)
                    break
                found.append(record)
            index -= 1
        out: dict[str, Any] = {"Events": [_event(r) for r in found]}
        if next_token is not None:
            out["NextToken"] = next_token
        return out


def _event(record: Record) -> dict[str, Any]:
    out: dict[str, Any] = {
        "EventId": record.get("eventID"),
        "EventName": record.get("eventName"),
        "ReadOnly": str(bool(record.get("readOnly"))).lower(),
        "EventTime": _dt.datetime.strptime(str(record["eventTime"]), _TIME_FORMAT).replace(
            tzinfo=_dt.UTC
        ),
        "EventSource": record.get("eventSource"),
        "Resources": resources(record),
        "CloudTrailEvent": json.dumps(record, separators=(",", ":")),
    }
    access_key = (record.get("userIdentity") or {}).get("accessKeyId")
    if access_key:
        out["AccessKeyId"] = access_key
    name = username(record)
    if name is not None:
        out["Username"] = name
    return out


def _fingerprint(ctx: RequestContext, p: dict[str, Any]) -> str:
    # A NextToken is only valid "with the same parameters that were specified in the
    # original call" (API reference, LookupEvents).
    same = [
        ctx.account_id,
        ctx.region,
        p.get("LookupAttributes") or [],
        str(p.get("StartTime")),
        str(p.get("EndTime")),
        p.get("EventCategory"),
    ]
    return hashlib.sha256(json.dumps(same, default=str).encode()).hexdigest()[:16]


def _token(cursor: int, fingerprint: str) -> str:
    return base64.urlsafe_b64encode(f"{fingerprint}:{cursor}".encode()).decode()


def _cursor(token: str | None, fingerprint: str, size: int) -> int:
    if token is None:
        return size
    try:
        mark, _, number = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        cursor = int(number)
    except (ValueError, binascii.Error, UnicodeError):
        raise InvalidNextTokenException("The NextToken is not valid.") from None
    if mark != fingerprint or not 0 <= cursor <= size:
        raise InvalidNextTokenException(
            "The NextToken is not valid for these parameters: pass the same parameters "
            "as the call that returned it."
        )
    return cursor
