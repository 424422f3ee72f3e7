"""Amazon Route 53 (minimal): public hosted zones, simple record sets and their changes.

Route 53 is global (endpoint route53.amazonaws.com, signing Region us-east-1), so state is kept
per account. A new zone gets four name servers in the awsdns style and the apex SOA and NS
record sets (API_CreateHostedZone.html). Every change (CreateHostedZone, DeleteHostedZone,
ChangeResourceRecordSets) is PENDING when submitted and INSYNC once "propagated to all Route 53
DNS servers" (API_GetChange.html): here a scheduler job of kind ``route53.insync`` 60 s of
virtual time later. ``cloud.dns`` (core/dns.py) answers queries from the public zones.

Not simulated (NotSimulatedException): private zones and VPCs, reusable delegation sets, alias
and routing-policy record sets, health checks, traffic policies, DNSSEC, query logging, tags.
Messages marked [U] follow third-party reports of AWS's wording, not AWS documentation.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from typing import Any

from simulator.core.context import RequestContext
from simulator.core.dns import ExternalDns, Resolver
from simulator.core.errors import NotSimulatedException
from simulator.core.persist import from_json, to_json
from simulator.protocol.registry import operation
from simulator.services.base import Service, ServiceEnv
from simulator.services.route53 import names
from simulator.services.route53.errors import (
    HostedZoneAlreadyExists,
    HostedZoneNotEmpty,
    InvalidDomainName,
    InvalidInput,
    NoSuchChange,
    NoSuchHostedZone,
    TooManyHostedZones,
)
from simulator.services.route53.model import (
    AccountState,
    Change,
    ChangeStatus,
    HostedZone,
    RecordSet,
)
from simulator.services.route53.records import apply_batch

ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
ZONES_PER_ACCOUNT = 500  # "Route 53 quotas": hosted zones per account, default 500
PROPAGATION = _dt.timedelta(seconds=60)
NS_TTL, SOA_TTL = 172800, 900  # the defaults Route 53 gives the apex NS and SOA record sets
SOA_TAIL = "awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"
ENDPOINT = "https://route53.amazonaws.com/2013-04-01"
NS_DOMAINS = ("com", "net", "org", "co.uk")


def _bare(value: Any, prefix: str) -> str:
    # botocore strips "/hostedzone/" and "/change/" from ids before sending; accept both.
    text = str(value)
    return text[len(prefix) :] if text.startswith(prefix) else text


def zone_resource(svc: Any, ctx: RequestContext, p: dict[str, Any]) -> str:
    zone = _bare(p.get("Id") or p.get("HostedZoneId") or "*", "/hostedzone/")
    return f"arn:aws:route53:::hostedzone/{zone}"


def change_resource(svc: Any, ctx: RequestContext, p: dict[str, Any]) -> str:
    return f"arn:aws:route53:::change/{_bare(p.get('Id', '*'), '/change/')}"


def _max_items(p: dict[str, Any], default: int) -> int:
    raw = p.get("MaxItems")
    if raw is None:
        return default
    text = str(raw)
    if not text.isdigit() or int(text) < 1:
        raise InvalidInput(f"MaxItems must be a positive whole number: {text}")  # [U]
    return min(int(text), default)


class Route53Service(Service):
    service_name = "route53"

    def __init__(self, env: ServiceEnv) -> None:
        super().__init__(env)
        self._accounts: dict[str, AccountState] = {}
        self.external = ExternalDns()
        self.resolver = Resolver(self.public_zones, self.external)
        env.scheduler.register("route53.insync", self._insync)

    def __repr__(self) -> str:
        zones = sum(len(a.zones) for a in self._accounts.values())
        return f"<Route53Service {zones} hosted zones>"

    # -- state ----------------------------------------------------------------------------
    def state(self, account: str) -> AccountState:
        st = self._accounts.get(account)
        if st is None:
            st = self._accounts[account] = AccountState()
        return st

    def dump(self) -> Any:
        return {
            "accounts": {a: to_json(st) for a, st in self._accounts.items()},
            "external": self.external.dump(),
        }

    def restore(self, data: Any) -> None:
        self._accounts = {a: from_json(AccountState, raw) for a, raw in data["accounts"].items()}
        self.external.restore(data["external"])  # in place: cloud.dns keeps its provider

    def public_zones(self) -> Iterator[HostedZone]:
        """Every account's hosted zones (all public here), oldest first."""
        zones = [z for st in self._accounts.values() for z in st.zones.values()]
        yield from sorted(zones, key=lambda z: (z.created, z.zone_id))

    def zone(self, ctx: RequestContext, zone_id: Any) -> HostedZone:
        bare = _bare(zone_id, "/hostedzone/")
        found = self.state(ctx.account_id).zones.get(bare)
        if found is None:
            raise NoSuchHostedZone(f"No hosted zone found with ID: {bare}")
        return found

    # -- changes --------------------------------------------------------------------------
    def _submit(self, ctx: RequestContext, comment: str | None = None) -> Change:
        now = self.env.clock.now()
        change = Change("C" + self.env.ids.chars(ID_ALPHABET, 20), ChangeStatus.PENDING, now)
        change.comment = comment
        self.state(ctx.account_id).changes[change.change_id] = change
        self.env.scheduler.schedule(
            now + PROPAGATION, "route53.insync", account=ctx.account_id, change=change.change_id
        )
        return change

    def _insync(self, due: _dt.datetime, args: dict[str, Any]) -> None:
        found = self.state(args["account"]).changes.get(args["change"])
        if found is not None:
            found.status = ChangeStatus.INSYNC

    @staticmethod
    def change_info(change: Change) -> dict[str, Any]:
        info: dict[str, Any] = {
            "Id": f"/change/{change.change_id}",
            "Status": change.status.value,
            "SubmittedAt": change.submitted_at,
        }
        if change.comment is not None:
            info["Comment"] = change.comment
        return info

    @operation("GetChange", read_only=True, resource=change_resource)
    def get_change(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        bare = _bare(p["Id"], "/change/")
        change = self.state(ctx.account_id).changes.get(bare)
        if change is None:
            raise NoSuchChange(f"A change with the specified change ID does not exist: {bare}")
        return {"ChangeInfo": self.change_info(change)}

    # -- hosted zones ---------------------------------------------------------------------
    @staticmethod
    def zone_shape(zone: HostedZone) -> dict[str, Any]:
        config: dict[str, Any] = {"PrivateZone": False}
        if zone.comment is not None:
            config["Comment"] = zone.comment
        return {
            "Id": f"/hostedzone/{zone.zone_id}",
            "Name": names.shown(zone.name),
            "CallerReference": zone.caller_reference,
            "Config": config,
            "ResourceRecordSetCount": len(zone.records),
        }

    def _name_servers(self) -> list[str]:
        servers = []
        for tld in NS_DOMAINS:
            number = int(self.env.ids.digits(4)) % 2048
            group = int(self.env.ids.digits(2)) % 64
            servers.append(f"ns-{number}.awsdns-{group:02d}.{tld}")
        return servers

    @operation("CreateHostedZone", resource=zone_resource)
    def create_hosted_zone(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        config = p.get("HostedZoneConfig") or {}
        if p.get("VPC") is not None or config.get("PrivateZone"):
            raise NotSimulatedException(
                "Route 53 private hosted zones are not simulated by Secrets Lab yet; create a "
                "public hosted zone (no VPC, PrivateZone false)."
            )
        if p.get("DelegationSetId") is not None:
            raise NotSimulatedException(
                "Route 53 reusable delegation sets are not simulated by Secrets Lab yet."
            )
        name = names.normalise(str(p["Name"]))
        if not names.valid(name):
            raise InvalidDomainName(f"{p['Name']} is not a valid domain name.")  # [U]
        st = self.state(ctx.account_id)
        reference = str(p["CallerReference"])
        if reference in st.caller_references:
            # "returned when a hosted zone has already been created with the specified
            # CallerReference" (HostedZoneAlreadyExists), deleted zones included.
            raise HostedZoneAlreadyExists(
                f"A hosted zone has already been created with the specified caller reference "
                f"{reference}."
            )
        if len(st.zones) >= ZONES_PER_ACCOUNT:
            raise TooManyHostedZones(
                "This operation would exceed the hosted zone limit for this account."
            )  # [U]
        zone = HostedZone(
            zone_id="Z" + self.env.ids.chars(ID_ALPHABET, 20),
            name=name,
            caller_reference=reference,
            account_id=ctx.account_id,
            created=self.env.clock.now(),
            comment=config.get("Comment"),
        )
        zone.name_servers = self._name_servers()
        zone.records = [
            RecordSet(name, "NS", NS_TTL, [ns + "." for ns in zone.name_servers]),
            RecordSet(name, "SOA", SOA_TTL, [f"{zone.name_servers[0]}. {SOA_TAIL}"]),
        ]
        st.zones[zone.zone_id] = zone
        st.caller_references.append(reference)
        change = self._submit(ctx)
        return {
            "HostedZone": self.zone_shape(zone),
            "ChangeInfo": self.change_info(change),
            "DelegationSet": {"NameServers": list(zone.name_servers)},
            "Location": f"{ENDPOINT}/hostedzone/{zone.zone_id}",
        }

    @operation("GetHostedZone", read_only=True, resource=zone_resource)
    def get_hosted_zone(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        zone = self.zone(ctx, p["Id"])
        return {
            "HostedZone": self.zone_shape(zone),
            "DelegationSet": {"NameServers": list(zone.name_servers)},
        }

    @operation("ListHostedZones", read_only=True)
    def list_hosted_zones(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        if p.get("DelegationSetId") is not None:
            raise NotSimulatedException(
                "Route 53 reusable delegation sets are not simulated by Secrets Lab yet."
            )
        limit = _max_items(p, 100)  # MaxItems: "at most 100" (API_ListHostedZones.html)
        zones = list(self.state(ctx.account_id).zones.values())
        if p.get("HostedZoneType") is not None:  # PrivateHostedZone: none exist here
            zones = []
        marker = p.get("Marker")
        if marker is not None:
            ids = [z.zone_id for z in zones]
            bare = _bare(marker, "/hostedzone/")
            if bare not in ids:
                raise InvalidInput(f"Invalid marker: {marker}")  # [U]
            zones = zones[ids.index(bare) :]
        chunk = zones[:limit]
        out: dict[str, Any] = {
            "HostedZones": [self.zone_shape(z) for z in chunk],
            "IsTruncated": len(zones) > limit,
            "MaxItems": str(limit),
        }
        if marker is not None:
            out["Marker"] = marker
        if len(zones) > limit:
            out["NextMarker"] = zones[limit].zone_id
        return out

    @operation("DeleteHostedZone", resource=zone_resource)
    def delete_hosted_zone(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        zone = self.zone(ctx, p["Id"])
        extra = [r for r in zone.records if not (r.name == zone.name and r.type in ("SOA", "NS"))]
        if extra:
            # API_DeleteHostedZone.html: only the default SOA and NS record sets may remain.
            raise HostedZoneNotEmpty(
                "The specified hosted zone contains non-required resource record sets and so "
                "cannot be deleted."
            )
        del self.state(ctx.account_id).zones[zone.zone_id]
        return {"ChangeInfo": self.change_info(self._submit(ctx))}

    # -- record sets ----------------------------------------------------------------------
    @operation("ChangeResourceRecordSets", resource=zone_resource)
    def change_resource_record_sets(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        zone = self.zone(ctx, p["HostedZoneId"])
        batch = p["ChangeBatch"]
        zone.records = apply_batch(zone, batch)  # raises before any change when invalid
        return {"ChangeInfo": self.change_info(self._submit(ctx, batch.get("Comment")))}

    @operation("ListResourceRecordSets", read_only=True, resource=zone_resource)
    def list_resource_record_sets(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        zone = self.zone(ctx, p["HostedZoneId"])
        limit = _max_items(p, 300)  # "up to 300 records" per page (API_ListResourceRecordSets)
        start_name, start_type = p.get("StartRecordName"), p.get("StartRecordType")
        if start_type is not None and start_name is None:
            raise InvalidInput("The input is not valid: StartRecordType without StartRecordName")
        if p.get("StartRecordIdentifier") is not None:
            raise NotSimulatedException("Route 53 routing-policy record sets are not simulated.")
        records = sorted(zone.records, key=lambda r: names.sort_key(r.name, r.type))
        if start_name is not None:
            first = names.sort_key(names.normalise(str(start_name)), str(start_type or ""))
            records = [r for r in records if names.sort_key(r.name, r.type) >= first]
        chunk = records[:limit]
        out: dict[str, Any] = {
            "ResourceRecordSets": [
                {
                    "Name": names.shown(r.name),
                    "Type": r.type,
                    "TTL": r.ttl,
                    "ResourceRecords": [{"Value": v} for v in r.values],
                }
                for r in chunk
            ],
            "IsTruncated": len(records) > limit,
            "MaxItems": str(limit),
        }
        if len(records) > limit:
            out["NextRecordName"] = names.shown(records[limit].name)
            out["NextRecordType"] = records[limit].type
        return out
