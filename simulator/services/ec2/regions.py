"""DescribeRegions and DescribeAvailabilityZones over fixed data (``catalog.py``).

Regions come from botocore's endpoint data, each with its documented endpoint
``ec2.<region>.amazonaws.com``. Without ``AllRegions`` AWS lists only the Regions enabled for
the account; the simulator answers every Region, so every Region is listed as enabled.
"""

from __future__ import annotations

from typing import Any

from simulator.core.context import RequestContext
from simulator.protocol.registry import operation
from simulator.services.ec2 import catalog
from simulator.services.ec2.core import Ec2Core, apply_filters
from simulator.services.ec2.errors import InvalidParameterValue


def _region(name: str) -> dict[str, Any]:
    return {
        "RegionName": name,
        "Endpoint": f"ec2.{name}.amazonaws.com",
        "OptInStatus": catalog.region_opt_in(name),
    }


def _zone(z: catalog.Zone) -> dict[str, Any]:
    return {
        "ZoneName": z.name,
        "ZoneId": z.zone_id,
        "RegionName": z.region,
        "State": "available",
        "OptInStatus": "opt-in-not-required",
        "Messages": [],
        "GroupName": z.region,
        "NetworkBorderGroup": z.region,
        "ZoneType": "availability-zone",
    }


_REGION_FILTERS: dict[str, Any] = {
    "region-name": lambda r: [r["RegionName"]],
    "endpoint": lambda r: [r["Endpoint"]],
    "opt-in-status": lambda r: [r["OptInStatus"]],
}
_ZONE_FILTERS: dict[str, Any] = {
    "zone-name": lambda z: [z["ZoneName"]],
    "zone-id": lambda z: [z["ZoneId"]],
    "region-name": lambda z: [z["RegionName"]],
    "state": lambda z: [z["State"]],
    "zone-type": lambda z: [z["ZoneType"]],
    "group-name": lambda z: [z["GroupName"]],
    "network-border-group": lambda z: [z["NetworkBorderGroup"]],
    "opt-in-status": lambda z: [z["OptInStatus"]],
}


class RegionOps(Ec2Core):
    @operation("DescribeRegions", read_only=True)
    def describe_regions(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        known = catalog.regions()
        names = p.get("RegionNames") or list(known)
        for name in names:
            if name not in known:
                raise InvalidParameterValue(f"Invalid region: {name}")
        found = apply_filters([_region(n) for n in names], p.get("Filters"), _REGION_FILTERS)
        return {"Regions": found}

    @operation("DescribeAvailabilityZones", read_only=True)
    def describe_availability_zones(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        zones = [_zone(z) for z in catalog.zones(ctx.region)]
        wanted_names = p.get("ZoneNames") or []
        wanted_ids = p.get("ZoneIds") or []
        for name in wanted_names:
            if name not in {z["ZoneName"] for z in zones}:
                raise InvalidParameterValue(f"The zone '{name}' does not exist.")
        for zid in wanted_ids:
            if zid not in {z["ZoneId"] for z in zones}:
                raise InvalidParameterValue(f"The zone ID '{zid}' does not exist.")
        if wanted_names or wanted_ids:
            zones = [z for z in zones if z["ZoneName"] in wanted_names or z["ZoneId"] in wanted_ids]
        return {"AvailabilityZones": apply_filters(zones, p.get("Filters"), _ZONE_FILTERS)}
