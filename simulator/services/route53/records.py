"""ChangeResourceRecordSets validation: a change batch is checked in full against a copy of
the zone's record sets and applied only if every change is valid ("Route 53 validates the
changes in the request and then either makes all or none of the changes",
API_ChangeResourceRecordSets.html). Messages follow what Route 53 sends inside its
InvalidChangeBatch response as users report it (aws/aws-sdk-java#1996, presslabs/zinc#178,
meltwater/terraform-aws-asg-dns-handler#38); AWS documentation does not give the wording [U].
Several problems are reported together, in brackets, comma-separated."""

from __future__ import annotations

import copy
from typing import Any

from simulator.core.errors import NotSimulatedException
from simulator.services.route53 import names
from simulator.services.route53.errors import InvalidChangeBatch, InvalidInput
from simulator.services.route53.model import HostedZone, RecordSet

# Routing policies and aliases are not simulated: only simple record sets.
_NOT_SIMULATED = (
    "AliasTarget",
    "SetIdentifier",
    "Weight",
    "Region",
    "GeoLocation",
    "Failover",
    "MultiValueAnswer",
    "HealthCheckId",
    "TrafficPolicyInstanceId",
    "CidrRoutingConfig",
    "GeoProximityLocation",
)
_APEX_ONLY = ("SOA",)


def _label(name: str, rtype: str) -> str:
    return f"[name='{names.shown(name)}', type='{rtype}']"


def _record(change: dict[str, Any]) -> RecordSet:
    raw = change.get("ResourceRecordSet") or {}
    for key in _NOT_SIMULATED:
        if raw.get(key) is not None:
            raise NotSimulatedException(
                f"Route 53 {key} (alias and routing-policy record sets) is not simulated by "
                "Secrets Lab yet; use simple record sets with TTL and ResourceRecords."
            )
    name, rtype = str(raw.get("Name", "")), str(raw.get("Type", ""))
    values = [str(r.get("Value", "")) for r in raw.get("ResourceRecords") or []]
    ttl = raw.get("TTL")
    if ttl is None or not values:
        # Route 53 reports the missing TTL/ResourceRecords pair as InvalidInput [U: wording].
        raise InvalidInput(
            "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and "
            "ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with "
            f"[Action={change.get('Action')}, Name={name}, Type={rtype}, SetIdentifier=null]"
        )
    return RecordSet(names.normalise(name), rtype, int(ttl), values)


def _value_problems(record: RecordSet) -> list[str]:
    problems: list[str] = []
    for value in record.values:
        if record.type == "A" and not names.ipv4(value):
            problems.append(
                "Invalid Resource Record: 'FATAL problem: ARRDATAIllegalIPv4Address (Value is "
                f"not a valid IPv4 address) encountered with '{value}''"
            )
        elif record.type == "AAAA" and not names.ipv6(value):
            problems.append(
                "Invalid Resource Record: 'FATAL problem: AAAARRDATAIllegalIPv6Address (Value "
                f"is not a valid IPv6 address) encountered with '{value}''"
            )
    if record.type in ("CNAME", "SOA") and len(record.values) > 1:
        problems.append(
            f"RRSet of type {record.type} with DNS name {names.shown(record.name)} "
            "has more than one resource record"
        )
    return problems


def apply_batch(zone: HostedZone, batch: dict[str, Any]) -> list[RecordSet]:
    """The zone's record sets after the batch, or InvalidChangeBatch listing every problem."""
    records = copy.deepcopy(zone.records)
    problems: list[str] = []
    zone_shown = zone.name.rstrip(".")
    for change in batch.get("Changes") or []:
        action = change.get("Action")
        record = _record(change)
        where = _label(record.name, record.type)
        if not names.valid(record.name) or not names.in_zone(record.name, zone.name):
            problems.append(
                f"RRSet with DNS name {names.shown(record.name)} is not permitted in zone "
                f"{zone_shown}."
            )
            continue
        existing = next(
            (r for r in records if r.name == record.name and r.type == record.type), None
        )
        if action == "DELETE":
            if existing is None:
                problems.append(f"Tried to delete resource record set {where} but it was not found")
            elif (existing.ttl, existing.values) != (record.ttl, record.values):
                problems.append(
                    f"Tried to delete resource record set {where} but the values provided do "
                    "not match the current values"
                )
            elif record.name == zone.name and record.type in ("SOA", "NS"):
                # The apex SOA and NS belong to the zone (API_DeleteHostedZone.html) [U: wording].
                problems.append(
                    f"A HostedZone must contain at least one {record.type} record for the zone "
                    "itself."
                )
            else:
                records.remove(existing)
            continue
        problems += _value_problems(record)
        if record.type in _APEX_ONLY and record.name != zone.name:
            problems.append(
                f"RRSet of type SOA with DNS name {names.shown(record.name)} is not permitted "
                f"because SOA records are only allowed at the zone apex {zone_shown}."
            )
            continue
        if action == "CREATE" and existing is not None:
            problems.append(f"Tried to create resource record set {where} but it already exists")
            continue
        others = [r for r in records if r.name == record.name and r.type != record.type]
        if record.type == "CNAME" and record.name == zone.name:
            problems.append(
                f"RRSet of type CNAME with DNS name {names.shown(record.name)} is not permitted "
                f"at apex in zone {zone_shown}."
            )
            continue
        if record.type == "CNAME" and others:
            problems.append(
                f"RRSet of type CNAME with DNS name {names.shown(record.name)} is not permitted "
                f"as it conflicts with other records with the same DNS name in zone {zone_shown}."
            )
            continue
        if any(r.type == "CNAME" for r in others):
            # AWS's wording, double space included (reported in presslabs/zinc#178) [U].
            problems.append(
                f"RRSet of type {record.type} with DNS name {names.shown(record.name)} is not "
                "permitted because a conflicting RRSet of type  CNAME with the same DNS name "
                f"already exists in zone {zone_shown}."
            )
            continue
        if existing is not None:
            records.remove(existing)
        records.append(record)
    if problems:
        raise InvalidChangeBatch("[" + ", ".join(problems) + "]")
    return records
