"""Route 53 hosted zones and changes, through botocore on both transports."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from tests.conftest import error_code, error_message
from tests.services.route53.conftest import batch, make_zone, rrset

ZONE_ID = re.compile(r"^/hostedzone/Z[A-Z0-9]{20}$")
CHANGE_ID = re.compile(r"^/change/C[A-Z0-9]{20}$")
NAME_SERVER = re.compile(r"^ns-\d{1,4}\.awsdns-\d{2}\.(com|net|org|co\.uk)$")


def test_create_hosted_zone(cloud: Cloud, route53_any: Any) -> None:
    out = route53_any.create_hosted_zone(
        Name="Example.COM", CallerReference="r1", HostedZoneConfig={"Comment": "lab"}
    )
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 201
    zone = out["HostedZone"]
    assert ZONE_ID.match(zone["Id"])
    assert zone["Name"] == "example.com."
    assert zone["CallerReference"] == "r1"
    assert zone["Config"] == {"Comment": "lab", "PrivateZone": False}
    assert zone["ResourceRecordSetCount"] == 2  # the apex SOA and NS
    assert out["Location"] == f"https://route53.amazonaws.com/2013-04-01{zone['Id']}"
    assert CHANGE_ID.match(out["ChangeInfo"]["Id"])
    assert out["ChangeInfo"]["Status"] == "PENDING"
    assert out["ChangeInfo"]["SubmittedAt"] == cloud.clock.now()
    servers = out["DelegationSet"]["NameServers"]
    assert len(servers) == 4 and all(NAME_SERVER.match(s) for s in servers)
    records = route53_any.list_resource_record_sets(HostedZoneId=zone["Id"])
    ns, soa = records["ResourceRecordSets"]
    assert (ns["Name"], ns["Type"], ns["TTL"]) == ("example.com.", "NS", 172800)
    assert [r["Value"] for r in ns["ResourceRecords"]] == [s + "." for s in servers]
    assert (soa["Type"], soa["TTL"]) == ("SOA", 900)
    assert soa["ResourceRecords"][0]["Value"].startswith(servers[0] + ". awsdns-hostmaster.")


def test_caller_reference_is_single_use(route53_any: Any) -> None:
    zone_id = make_zone(route53_any, ref="once")
    route53_any.delete_hosted_zone(Id=zone_id)
    for name in ("example.com", "other.org"):  # same or another name, even after deletion
        with pytest.raises(ClientError) as excinfo:
            route53_any.create_hosted_zone(Name=name, CallerReference="once")
        assert error_code(excinfo) == "HostedZoneAlreadyExists"
        assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert route53_any.list_hosted_zones()["HostedZones"] == []


def test_same_name_twice_makes_two_zones(route53_any: Any) -> None:
    first = make_zone(route53_any, ref="a")
    second = make_zone(route53_any, ref="b")
    assert first != second
    assert len(route53_any.list_hosted_zones()["HostedZones"]) == 2


def test_private_zones_and_delegation_sets_are_not_simulated(route53_any: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        route53_any.create_hosted_zone(
            Name="corp.internal",
            CallerReference="p",
            HostedZoneConfig={"PrivateZone": True},
            VPC={"VPCRegion": "us-east-1", "VPCId": "vpc-1"},
        )
    assert error_code(excinfo) == "NotSimulatedException"
    with pytest.raises(ClientError) as excinfo:
        route53_any.create_hosted_zone(
            Name="example.com", CallerReference="d", DelegationSetId="N123"
        )
    assert error_code(excinfo) == "NotSimulatedException"
    assert route53_any.list_hosted_zones()["HostedZones"] == []


def test_invalid_domain_name(route53_any: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        route53_any.create_hosted_zone(Name="bad..name", CallerReference="x")
    assert error_code(excinfo) == "InvalidDomainName"
    with pytest.raises(ClientError) as excinfo:
        route53_any.create_hosted_zone(Name="a" * 64 + ".com", CallerReference="y")
    assert error_code(excinfo) == "InvalidDomainName"


def test_get_hosted_zone(route53_any: Any) -> None:
    zone_id = make_zone(route53_any)
    out = route53_any.get_hosted_zone(Id=zone_id)
    assert out["HostedZone"]["Id"] == zone_id
    assert out["HostedZone"]["Name"] == "example.com."
    assert len(out["DelegationSet"]["NameServers"]) == 4
    bare = zone_id.rsplit("/", 1)[1]
    assert route53_any.get_hosted_zone(Id=bare)["HostedZone"]["Id"] == zone_id


def test_unknown_zone(route53_any: Any) -> None:
    for call in (
        lambda: route53_any.get_hosted_zone(Id="ZNOSUCHZONE"),
        lambda: route53_any.delete_hosted_zone(Id="ZNOSUCHZONE"),
        lambda: route53_any.list_resource_record_sets(HostedZoneId="ZNOSUCHZONE"),
        lambda: route53_any.change_resource_record_sets(
            HostedZoneId="ZNOSUCHZONE",
            ChangeBatch=batch(("CREATE", rrset("a.example.com", "A", "192.0.2.1"))),
        ),
    ):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_code(excinfo) == "NoSuchHostedZone"
        assert error_message(excinfo) == "No hosted zone found with ID: ZNOSUCHZONE"
        assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_zones_are_per_account(cloud: Cloud, route53_any: Any) -> None:
    zone_id = make_zone(route53_any)
    other = cloud.create_account()
    stranger = cloud.client("route53", account_id=other.account_id)
    with pytest.raises(ClientError) as excinfo:
        stranger.get_hosted_zone(Id=zone_id)
    assert error_code(excinfo) == "NoSuchHostedZone"
    assert stranger.list_hosted_zones()["HostedZones"] == []


def test_list_hosted_zones_pages(route53_any: Any) -> None:
    ids = [make_zone(route53_any, f"z{i}.example.com", f"r{i}") for i in range(5)]
    first = route53_any.list_hosted_zones(MaxItems="2")
    assert [z["Id"] for z in first["HostedZones"]] == ids[:2]
    assert first["IsTruncated"] is True and first["MaxItems"] == "2"
    second = route53_any.list_hosted_zones(MaxItems="2", Marker=first["NextMarker"])
    assert [z["Id"] for z in second["HostedZones"]] == ids[2:4]
    assert second["Marker"] == first["NextMarker"]
    last = route53_any.list_hosted_zones(Marker=second["NextMarker"])
    assert [z["Id"] for z in last["HostedZones"]] == ids[4:]
    assert last["IsTruncated"] is False and "NextMarker" not in last
    paged = route53_any.get_paginator("list_hosted_zones").paginate(
        PaginationConfig={"PageSize": 2}
    )
    assert [z["Id"] for page in paged for z in page["HostedZones"]] == ids


def test_list_hosted_zones_bad_input(route53_any: Any) -> None:
    make_zone(route53_any)
    for kwargs in ({"MaxItems": "zero"}, {"MaxItems": "0"}, {"Marker": "ZNOTAZONE"}):
        with pytest.raises(ClientError) as excinfo:
            route53_any.list_hosted_zones(**kwargs)
        assert error_code(excinfo) == "InvalidInput"


def test_delete_hosted_zone(route53_any: Any) -> None:
    zone_id = make_zone(route53_any)
    out = route53_any.delete_hosted_zone(Id=zone_id)
    assert out["ChangeInfo"]["Status"] == "PENDING"
    assert CHANGE_ID.match(out["ChangeInfo"]["Id"])
    with pytest.raises(ClientError) as excinfo:
        route53_any.get_hosted_zone(Id=zone_id)
    assert error_code(excinfo) == "NoSuchHostedZone"
    # The deletion's change stays queryable.
    assert route53_any.get_change(Id=out["ChangeInfo"]["Id"])["ChangeInfo"]["Status"] == "PENDING"


def test_delete_refused_while_records_remain(route53_any: Any) -> None:
    zone_id = make_zone(route53_any)
    www = rrset("www.example.com", "A", "192.0.2.1")
    route53_any.change_resource_record_sets(
        HostedZoneId=zone_id, ChangeBatch=batch(("CREATE", www))
    )
    with pytest.raises(ClientError) as excinfo:
        route53_any.delete_hosted_zone(Id=zone_id)
    assert error_code(excinfo) == "HostedZoneNotEmpty"
    assert "non-required resource record sets" in error_message(excinfo)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    route53_any.change_resource_record_sets(
        HostedZoneId=zone_id, ChangeBatch=batch(("DELETE", www))
    )
    route53_any.delete_hosted_zone(Id=zone_id)


def test_get_change_goes_insync_on_the_clock(cloud: Cloud, route53_any: Any) -> None:
    out = route53_any.create_hosted_zone(Name="example.com", CallerReference="c")
    change_id = out["ChangeInfo"]["Id"]
    assert route53_any.get_change(Id=change_id)["ChangeInfo"]["Status"] == "PENDING"
    cloud.clock.advance(seconds=59)
    assert route53_any.get_change(Id=change_id)["ChangeInfo"]["Status"] == "PENDING"
    cloud.clock.advance(seconds=1)
    info = route53_any.get_change(Id=change_id)["ChangeInfo"]
    assert info["Status"] == "INSYNC"
    assert info["SubmittedAt"] == out["ChangeInfo"]["SubmittedAt"]
    waiter = route53_any.get_waiter("resource_record_sets_changed")
    waiter.wait(Id=change_id, WaiterConfig={"Delay": 0, "MaxAttempts": 1})


def test_get_change_keeps_the_batch_comment(route53_any: Any) -> None:
    zone_id = make_zone(route53_any)
    changes = batch(("CREATE", rrset("a.example.com", "A", "192.0.2.1")))
    changes["Comment"] = "add a"
    info = route53_any.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch=changes)
    assert info["ChangeInfo"]["Comment"] == "add a"
    got = route53_any.get_change(Id=info["ChangeInfo"]["Id"])["ChangeInfo"]
    assert got["Comment"] == "add a"


def test_unknown_change(route53_any: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        route53_any.get_change(Id="CNOSUCHCHANGE")
    assert error_code(excinfo) == "NoSuchChange"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_snapshot_round_trip(cloud: Cloud, route53: Any, tmp_path: Any) -> None:
    zone_id = make_zone(route53)
    change = route53.change_resource_record_sets(
        HostedZoneId=zone_id,
        ChangeBatch=batch(("CREATE", rrset("a.example.com", "A", "192.0.2.1"))),
    )["ChangeInfo"]["Id"]
    cloud.dns.external.set("example.org", "TXT", ['"hello"'])
    again = Cloud.load(cloud.save(tmp_path / "world.snap"))
    client = again.client("route53")
    assert (
        client.get_hosted_zone(Id=zone_id)["HostedZone"]
        == (route53.get_hosted_zone(Id=zone_id)["HostedZone"])
    )
    records = client.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    assert records == route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    assert again.dns.resolve("a.example.com") == ["192.0.2.1"]
    assert again.dns.resolve("example.org", "TXT") == ['"hello"']
    assert client.get_change(Id=change)["ChangeInfo"]["Status"] == "PENDING"
    again.clock.advance(minutes=1)  # the pending change's job survived the snapshot
    assert client.get_change(Id=change)["ChangeInfo"]["Status"] == "INSYNC"
    with pytest.raises(ClientError) as excinfo:  # caller references are remembered too
        client.create_hosted_zone(Name="example.com", CallerReference="ref-1")
    assert error_code(excinfo) == "HostedZoneAlreadyExists"
