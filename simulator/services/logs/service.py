"""CloudWatch Logs (minimal): the log groups Lambda writes, read with the real Logs API.

Only the groups ``/aws/lambda/<function>`` exist: Lambda creates one the first time a function
writes to it and one log stream per invocation (see ``awslambda/invoke.py``). The events live
in the Lambda service's state (one copy, saved with its snapshot); this module only reads them
through ``LambdaService.log_streams``. Operations, per the CloudWatch Logs API reference
(API_DescribeLogGroups, API_DescribeLogStreams, API_GetLogEvents, API_FilterLogEvents):

- DescribeLogGroups: ASCII order by name; ``logGroupNamePrefix`` or ``logGroupNamePattern``
  (case-sensitive substring; the answer then holds only arn, creationTime and logGroupName),
  never both; ``logGroupIdentifiers``; ``logGroupClass``; ``limit`` 1-50, default 50;
- DescribeLogStreams: by ``logGroupName`` or ``logGroupIdentifier`` (name or ARN), exactly
  one; ``orderBy`` LogStreamName (default) or LastEventTime, which cannot be combined with
  ``logStreamNamePrefix``; ``descending``; ``limit`` 1-50, default 50; ``storedBytes`` is
  always 0 for streams (deprecated since June 2019);
- GetLogEvents: ``startTime`` inclusive, ``endTime`` exclusive; ``startFromHead`` (default
  false: the latest events); ``limit`` up to 10,000 (default 10,000: the 1 MB cap is not
  simulated); both tokens are always returned, and at the end of the stream the token passed
  in comes back unchanged;
- FilterLogEvents: events of the whole group, or of ``logStreamNames`` or streams named with
  ``logStreamNamePrefix`` (not both); ``startTime`` and ``endTime`` inclusive; oldest first
  unless ``startFromHead`` is false (then a ``startTime`` given must be on or after
  2024-01-01; none at all is accepted here [U]);
  ``limit`` default 10,000; a ``nextToken`` only while more events match (it keeps the first
  request's direction); ``searchedLogStreams`` is always empty (deprecated since May 2020);
  filter patterns as in ``patterns.py``.

An unknown group is ResourceNotFoundException "The specified log group does not exist.", an
unknown stream "The specified log stream does not exist.". Every other Logs operation
(CreateLogGroup, PutLogEvents, metric filters, Insights queries ...) answers NotSimulated.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from typing import Any

from simulator.core.context import RequestContext
from simulator.protocol.registry import operation
from simulator.services.awslambda.model import LogEvent, LogStream
from simulator.services.base import Service
from simulator.services.logs import patterns
from simulator.services.logs.errors import (
    NO_GROUP,
    NO_STREAM,
    InvalidParameterException,
    ResourceNotFoundException,
)

DESCRIBE_LIMIT = 50
EVENTS_LIMIT = 10_000
NEWEST_FIRST_FROM = 1_704_067_200_000  # 2024-01-01T00:00:00Z: startFromHead=false needs it
LAMBDA_PREFIX = "/aws/lambda/"
_ARN = re.compile(r"^arn:aws[a-z-]*:logs:([a-z0-9-]*):(\d*):log-group:([^:]+)(?::\*)?$")
_EVENT_TOKEN = re.compile(r"^([fb])/(\d{1,56})/s$")

Groups = dict[str, list[LogStream]]


def group_arn(ctx: RequestContext, name: str) -> str:
    return f"arn:aws:logs:{ctx.region}:{ctx.account_id}:log-group:{name}"


def _named_group(p: dict[str, Any]) -> str:
    """The group a request names, without checking it (authorization runs first)."""
    ident = str(p.get("logGroupName") or p.get("logGroupIdentifier") or "*")
    m = _ARN.match(ident)
    return m.group(3) if m else ident


def group_resource(svc: Any, ctx: RequestContext, p: dict[str, Any]) -> str:
    return f"{group_arn(ctx, _named_group(p))}:*"


def stream_resource(svc: Any, ctx: RequestContext, p: dict[str, Any]) -> str:
    stream = str(p.get("logStreamName") or "*")
    return f"{group_arn(ctx, _named_group(p))}:log-stream:{stream}"


def _message(event: LogEvent) -> str:
    return event.message + "\n"  # [U] Lambda's runtime writes each line with its line break


class LogsService(Service):
    service_name = "logs"

    def dump(self) -> Any:
        return None  # the events are Lambda's state, saved with the Lambda service

    def restore(self, data: Any) -> None:
        return None

    # -- reading Lambda's logs ----------------------------------------------------------
    def groups(self, account_id: str, region: str) -> Groups:
        """Log group name -> its streams (oldest first), for groups that exist."""
        lam = self.env.services["lambda"]
        found: dict[str, list[LogStream]] = lam.log_streams(account_id, region)  # type: ignore[attr-defined]
        return {LAMBDA_PREFIX + fn: streams for fn, streams in found.items() if streams}

    def _group(self, ctx: RequestContext, p: dict[str, Any]) -> tuple[str, list[LogStream]]:
        name, ident = p.get("logGroupName"), p.get("logGroupIdentifier")
        if (name is None) == (ident is None):
            raise InvalidParameterException(  # [U] wording
                "You must specify either logGroupName or logGroupIdentifier, but not both."
            )
        if ident is not None:
            name = ident
            m = _ARN.match(ident)
            if m is not None:
                if m.group(1) != ctx.region or m.group(2) != ctx.account_id:
                    raise ResourceNotFoundException(NO_GROUP)
                name = m.group(3)
        streams = self.groups(ctx.account_id, ctx.region).get(str(name))
        if streams is None:
            raise ResourceNotFoundException(NO_GROUP)
        return str(name), streams

    # -- DescribeLogGroups --------------------------------------------------------------
    @operation("DescribeLogGroups", read_only=True)
    def describe_log_groups(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        prefix, pattern = p.get("logGroupNamePrefix"), p.get("logGroupNamePattern")
        idents = p.get("logGroupIdentifiers")
        if prefix is not None and pattern is not None:
            raise InvalidParameterException(  # [U] wording
                "logGroupNamePrefix and logGroupNamePattern are mutually exclusive."
            )
        if idents is not None and (prefix is not None or pattern is not None):
            raise InvalidParameterException(  # [U] wording
                "logGroupIdentifiers cannot be combined with logGroupNamePrefix or "
                "logGroupNamePattern."
            )
        groups = self.groups(ctx.account_id, ctx.region)
        names = sorted(groups)
        if prefix is not None:
            names = [n for n in names if n.startswith(prefix)]
        if pattern:
            names = [n for n in names if pattern in n]
        if idents is not None:
            wanted = {_named_group({"logGroupIdentifier": i}) for i in idents}
            names = [n for n in names if n in wanted]
        if p.get("logGroupClass") not in (None, "STANDARD"):
            names = []  # every Lambda log group here is of the Standard class
        start = _position(p, "DescribeLogGroups", [prefix, pattern, idents])
        limit = p.get("limit") or DESCRIBE_LIMIT
        out: dict[str, Any] = {"logGroups": []}
        for name in names[start : start + limit]:
            streams = groups[name]
            entry: dict[str, Any] = {
                "logGroupName": name,
                "creationTime": streams[0].created,
                "arn": f"{group_arn(ctx, name)}:*",
            }
            if pattern is None:
                entry.update(
                    metricFilterCount=0,
                    storedBytes=sum(len(_message(e).encode()) for s in streams for e in s.events),
                    logGroupClass="STANDARD",
                    logGroupArn=group_arn(ctx, name),
                )
            out["logGroups"].append(entry)
        if start + limit < len(names):
            out["nextToken"] = _token("DescribeLogGroups", [prefix, pattern, idents], start + limit)
        return out

    # -- DescribeLogStreams -------------------------------------------------------------
    @operation("DescribeLogStreams", read_only=True, resource=group_resource)
    def describe_log_streams(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        prefix = p.get("logStreamNamePrefix")
        by_time = p.get("orderBy") == "LastEventTime"
        if by_time and prefix is not None:
            # wording as AWS answers it (quoted in turbot/steampipe-plugin-aws#1949)
            raise InvalidParameterException(
                "Cannot order by LastEventTime with a logStreamNamePrefix."
            )
        group, streams = self._group(ctx, p)
        chosen = [s for s in streams if prefix is None or s.name.startswith(prefix)]
        if by_time:
            chosen.sort(key=lambda s: (s.events[-1].timestamp if s.events else 0, s.name))
        else:
            chosen.sort(key=lambda s: s.name)
        if p.get("descending"):
            chosen.reverse()
        same = [group, prefix, p.get("orderBy"), bool(p.get("descending"))]
        start = _position(p, "DescribeLogStreams", same)
        limit = p.get("limit") or DESCRIBE_LIMIT
        out: dict[str, Any] = {
            "logStreams": [_stream(ctx, group, s) for s in chosen[start : start + limit]]
        }
        if start + limit < len(chosen):
            out["nextToken"] = _token("DescribeLogStreams", same, start + limit)
        return out

    # -- GetLogEvents -------------------------------------------------------------------
    @operation("GetLogEvents", read_only=True, resource=stream_resource)
    def get_log_events(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        _, streams = self._group(ctx, p)
        stream = next((s for s in streams if s.name == p["logStreamName"]), None)
        if stream is None:
            raise ResourceNotFoundException(NO_STREAM)
        events = stream.events
        start, end = p.get("startTime"), p.get("endTime")
        # (position in the stream, event) within [startTime, endTime)
        window = [
            (i, e)
            for i, e in enumerate(events)
            if (start is None or e.timestamp >= start) and (end is None or e.timestamp < end)
        ]
        limit = p.get("limit") or EVENTS_LIMIT
        given = p.get("nextToken")
        if given is not None:
            m = _EVENT_TOKEN.match(given)
            if m is None or int(m.group(2)) > len(events):
                raise InvalidParameterException("The specified nextToken is invalid.")  # [U]
            forward, mark = m.group(1) == "f", int(m.group(2))
        else:
            forward = bool(p.get("startFromHead"))
            mark = 0 if forward else len(events)
        if forward:
            page = [x for x in window if x[0] >= mark][:limit]
        else:
            page = [x for x in window if x[0] < mark][-limit:] if limit else []
        if page:
            after, first = page[-1][0] + 1, page[0][0]
        else:
            after = first = mark  # the end of the stream: the token given comes back
        return {
            "events": [
                {"timestamp": e.timestamp, "message": _message(e), "ingestionTime": e.timestamp}
                for _, e in page
            ],
            "nextForwardToken": f"f/{after:056d}/s",
            "nextBackwardToken": f"b/{first:056d}/s",
        }

    # -- FilterLogEvents ----------------------------------------------------------------
    @operation("FilterLogEvents", read_only=True, resource=group_resource)
    def filter_log_events(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        names, prefix = p.get("logStreamNames"), p.get("logStreamNamePrefix")
        if names is not None and prefix is not None:
            raise InvalidParameterException(  # [U] wording
                "logStreamNames and logStreamNamePrefix cannot both be specified."
            )
        start, end = p.get("startTime"), p.get("endTime")
        head = p.get("startFromHead", True) is not False
        if not head and start is not None and start < NEWEST_FIRST_FROM:
            raise InvalidParameterException(  # [U] wording; the rule is the API reference's
                "startFromHead can be false only with a startTime on or after "
                "Jan 1, 2024 00:00:00 UTC."
            )
        matcher = patterns.parse(p.get("filterPattern"))
        group, streams = self._group(ctx, p)
        same = [group, names, prefix, start, end, p.get("filterPattern")]
        after = _resume(p, same)
        if after is not None:
            head = after[0] == "f"
        found: list[tuple[tuple[int, int, str, int], LogStream, LogEvent]] = []
        for stream in streams:
            if names is not None and stream.name not in names:
                continue
            if prefix is not None and not stream.name.startswith(prefix):
                continue
            for i, event in enumerate(stream.events):
                ts = event.timestamp
                if (start is not None and ts < start) or (end is not None and ts > end):
                    continue
                if matcher.matches(event.message):
                    found.append(((ts, stream.created, stream.name, i), stream, event))
        found.sort(key=lambda x: x[0], reverse=not head)
        if after is not None:
            last = (int(after[1][0]), int(after[1][1]), str(after[1][2]), int(after[1][3]))
            found = [x for x in found if (x[0] > last if head else x[0] < last)]
        limit = p.get("limit") or EVENTS_LIMIT
        page = found[:limit]
        out: dict[str, Any] = {
            "events": [
                {
                    "logStreamName": stream.name,
                    "timestamp": event.timestamp,
                    "message": _message(event),
                    "ingestionTime": event.timestamp,
                    "eventId": _event_id(key),
                }
                for key, stream, event in page
            ],
            "searchedLogStreams": [],
        }
        if len(found) > limit:
            direction = "f" if head else "b"
            raw = json.dumps([_fingerprint("FilterLogEvents", same), direction, page[-1][0]])
            out["nextToken"] = base64.urlsafe_b64encode(raw.encode()).decode()
        return out


def _stream(ctx: RequestContext, group: str, stream: LogStream) -> dict[str, Any]:
    out: dict[str, Any] = {
        "logStreamName": stream.name,
        "creationTime": stream.created,
        "arn": f"{group_arn(ctx, group)}:log-stream:{stream.name}",
        "storedBytes": 0,  # deprecated for log streams: "always reported as zero"
    }
    if stream.events:
        out["firstEventTimestamp"] = stream.events[0].timestamp
        out["lastEventTimestamp"] = stream.events[-1].timestamp
        out["lastIngestionTime"] = stream.events[-1].timestamp
    return out


def _event_id(key: tuple[int, int, str, int]) -> str:
    """A 56-digit event ID (AWS's are 56 digits too), stable for the same event."""
    ts, _, name, index = key
    stream_part = int(hashlib.sha256(name.encode()).hexdigest()[:14], 16) % 10**18
    return f"{ts:020d}{stream_part:018d}{index:018d}"


def _fingerprint(operation_name: str, same: list[Any]) -> str:
    raw = json.dumps([operation_name, same], default=str, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _token(operation_name: str, same: list[Any], position: int) -> str:
    raw = f"{_fingerprint(operation_name, same)}:{position}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _position(p: dict[str, Any], operation_name: str, same: list[Any]) -> int:
    token = p.get("nextToken")
    if token is None:
        return 0
    try:
        mark, _, number = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        position = int(number)
    except (ValueError, binascii.Error, UnicodeError):
        position = -1
    if position < 0 or mark != _fingerprint(operation_name, same):
        raise InvalidParameterException("The specified nextToken is invalid.")  # [U]
    return position


def _resume(p: dict[str, Any], same: list[Any]) -> tuple[str, list[Any]] | None:
    """(direction, last key returned) from a FilterLogEvents nextToken."""
    token = p.get("nextToken")
    if token is None:
        return None
    try:
        mark, direction, key = json.loads(base64.urlsafe_b64decode(token.encode()).decode())
        ok = (
            mark == _fingerprint("FilterLogEvents", same)
            and direction in ("f", "b")
            and isinstance(key, list)
            and [type(k) for k in key] == [int, int, str, int]
        )
    except (ValueError, TypeError, binascii.Error, UnicodeError):
        ok = False
    if not ok:
        raise InvalidParameterException("The specified nextToken is invalid.")  # [U]
    return str(direction), list(key)
