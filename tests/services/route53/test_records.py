"""ChangeResourceRecordSets and ListResourceRecordSets: batches, validation, ordering."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_code, error_message
from tests.services.route53.conftest import batch, make_zone, rrset


@pytest.fixture
def zone(route53_any: Any) -> str:
    return make_zone(route53_any)


def _sets(client: Any, zone_id: str, **kwargs: Any) -> list[tuple[str, str, list[str]]]:
    out = client.list_resource_record_sets(HostedZoneId=zone_id, **kwargs)
    return [
        (r["Name"], r["Type"], [v["Value"] for v in r["ResourceRecords"]])
        for r in out["ResourceRecordSets"]
    ]


def _change(client: Any, zone_id: str, *changes: tuple[str, dict[str, Any]]) -> Any:
    return client.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch=batch(*changes))


def _refused(client: Any, zone_id: str, *changes: tuple[str, dict[str, Any]]) -> str:
    before = _sets(client, zone_id)
    with pytest.raises(ClientError) as excinfo:
        _change(client, zone_id, *changes)
    assert error_code(excinfo) == "InvalidChangeBatch"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert _sets(client, zone_id) == before  # all or nothing
    return error_message(excinfo)


def test_create_upsert_delete(route53_any: Any, zone: str) -> None:
    out = _change(
        route53_any,
        zone,
        ("CREATE", rrset("www.example.com", "A", "192.0.2.1", "192.0.2.2")),
        ("CREATE", rrset("example.com", "MX", "10 mail.example.com.")),
        ("CREATE", rrset("example.com", "TXT", '"v=spf1 -all"')),
        ("CREATE", rrset("v6.Example.com.", "AAAA", "2001:db8::1")),
        ("CREATE", rrset("alias.example.com", "CNAME", "www.example.com")),
        ("CREATE", rrset("sub.example.com", "NS", "ns1.example.net.")),
    )
    assert out["ChangeInfo"]["Status"] == "PENDING"
    assert ("v6.example.com.", "AAAA", ["2001:db8::1"]) in _sets(route53_any, zone)
    _change(route53_any, zone, ("UPSERT", rrset("www.example.com", "A", "198.51.100.7", ttl=60)))
    _change(route53_any, zone, ("UPSERT", rrset("new.example.com", "A", "198.51.100.8")))
    records = route53_any.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]
    www = next(r for r in records if r["Name"] == "www.example.com.")
    assert (www["TTL"], www["ResourceRecords"]) == (60, [{"Value": "198.51.100.7"}])
    assert route53_any.get_hosted_zone(Id=zone)["HostedZone"]["ResourceRecordSetCount"] == 9
    _change(route53_any, zone, ("DELETE", rrset("www.example.com", "A", "198.51.100.7", ttl=60)))
    assert all(name != "www.example.com." for name, _, _ in _sets(route53_any, zone))


def test_list_order_is_reversed_labels_then_type(route53_any: Any, zone: str) -> None:
    _change(
        route53_any,
        zone,
        ("CREATE", rrset("b.example.com", "TXT", '"t"')),
        ("CREATE", rrset("a.b.example.com", "A", "192.0.2.1")),
        ("CREATE", rrset("z.example.com", "A", "192.0.2.2")),
        ("CREATE", rrset("b.example.com", "A", "192.0.2.3")),
        ("CREATE", rrset("*.example.com", "A", "192.0.2.4")),
    )
    order = [(name, rtype) for name, rtype, _ in _sets(route53_any, zone)]
    assert order == [
        ("example.com.", "NS"),
        ("example.com.", "SOA"),
        ("\\052.example.com.", "A"),
        ("b.example.com.", "A"),
        ("b.example.com.", "TXT"),
        ("a.b.example.com.", "A"),
        ("z.example.com.", "A"),
    ]


def test_list_pages_with_start_name_and_type(route53_any: Any, zone: str) -> None:
    _change(
        route53_any,
        zone,
        *[("CREATE", rrset(f"h{i}.example.com", "A", "192.0.2.1")) for i in range(4)],
    )
    page = route53_any.list_resource_record_sets(HostedZoneId=zone, MaxItems="3")
    assert page["IsTruncated"] is True and page["MaxItems"] == "3"
    assert (page["NextRecordName"], page["NextRecordType"]) == ("h1.example.com.", "A")
    rest = _sets(
        route53_any,
        zone,
        StartRecordName=page["NextRecordName"],
        StartRecordType=page["NextRecordType"],
    )
    assert [n for n, _, _ in rest] == ["h1.example.com.", "h2.example.com.", "h3.example.com."]
    assert [n for n, _, _ in _sets(route53_any, zone, StartRecordName="h3.example.com")] == [
        "h3.example.com."
    ]
    paged = route53_any.get_paginator("list_resource_record_sets").paginate(
        HostedZoneId=zone, PaginationConfig={"PageSize": 2}
    )
    assert len([r for p in paged for r in p["ResourceRecordSets"]]) == 6
    with pytest.raises(ClientError) as excinfo:
        route53_any.list_resource_record_sets(HostedZoneId=zone, StartRecordType="A")
    assert error_code(excinfo) == "InvalidInput"


def test_create_of_an_existing_set(route53_any: Any, zone: str) -> None:
    www = rrset("www.example.com", "A", "192.0.2.1")
    _change(route53_any, zone, ("CREATE", www))
    message = _refused(route53_any, zone, ("CREATE", rrset("WWW.example.com.", "A", "192.0.2.9")))
    assert message == (
        "[Tried to create resource record set [name='www.example.com.', type='A'] "
        "but it already exists]"
    )


def test_delete_of_a_missing_or_different_set(route53_any: Any, zone: str) -> None:
    message = _refused(route53_any, zone, ("DELETE", rrset("no.example.com", "A", "192.0.2.1")))
    assert message == (
        "[Tried to delete resource record set [name='no.example.com.', type='A'] "
        "but it was not found]"
    )
    _change(route53_any, zone, ("CREATE", rrset("www.example.com", "A", "192.0.2.1")))
    for different in (
        rrset("www.example.com", "A", "192.0.2.2"),
        rrset("www.example.com", "A", "192.0.2.1", ttl=301),
    ):
        message = _refused(route53_any, zone, ("DELETE", different))
        assert "but the values provided do not match the current values" in message


def test_apex_soa_and_ns_cannot_be_deleted(route53_any: Any, zone: str) -> None:
    records = route53_any.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]
    for record in records:
        message = _refused(route53_any, zone, ("DELETE", record))
        assert f"at least one {record['Type']} record" in message
    # They can be changed with UPSERT.
    ns = dict(records[0], TTL=3600)
    _change(route53_any, zone, ("UPSERT", ns))


def test_cname_rules(route53_any: Any, zone: str) -> None:
    message = _refused(
        route53_any, zone, ("CREATE", rrset("example.com", "CNAME", "x.example.net"))
    )
    assert message == (
        "[RRSet of type CNAME with DNS name example.com. is not permitted at apex in zone "
        "example.com.]"
    )
    _change(route53_any, zone, ("CREATE", rrset("www.example.com", "A", "192.0.2.1")))
    message = _refused(route53_any, zone, ("CREATE", rrset("www.example.com", "CNAME", "x.net")))
    assert "conflicts with other records with the same DNS name" in message
    _change(route53_any, zone, ("CREATE", rrset("c.example.com", "CNAME", "x.net")))
    message = _refused(route53_any, zone, ("CREATE", rrset("c.example.com", "TXT", '"t"')))
    assert message == (
        "[RRSet of type TXT with DNS name c.example.com. is not permitted because a conflicting "
        "RRSet of type  CNAME with the same DNS name already exists in zone example.com.]"
    )
    message = _refused(route53_any, zone, ("CREATE", rrset("d.example.com", "CNAME", "a.", "b.")))
    assert "more than one resource record" in message
    # Replacing A by CNAME in one batch is fine: changes apply in order.
    _change(
        route53_any,
        zone,
        ("DELETE", rrset("www.example.com", "A", "192.0.2.1")),
        ("CREATE", rrset("www.example.com", "CNAME", "c.example.com")),
    )


def test_names_must_be_in_the_zone(route53_any: Any, zone: str) -> None:
    for outside in ("example.org", "notexample.com", "com"):
        message = _refused(route53_any, zone, ("CREATE", rrset(outside, "A", "192.0.2.1")))
        assert message == (
            f"[RRSet with DNS name {outside}. is not permitted in zone example.com.]"
        )


def test_record_values_are_checked(route53_any: Any, zone: str) -> None:
    message = _refused(route53_any, zone, ("CREATE", rrset("a.example.com", "A", "1.2.3")))
    assert "ARRDATAIllegalIPv4Address" in message and "'1.2.3'" in message
    message = _refused(route53_any, zone, ("CREATE", rrset("a.example.com", "AAAA", "1.2.3.4")))
    assert "AAAARRDATAIllegalIPv6Address" in message
    message = _refused(
        route53_any, zone, ("CREATE", rrset("x.example.com", "SOA", "a. b. 1 2 3 4 5"))
    )
    assert "only allowed at the zone apex" in message


def test_every_problem_is_reported_and_nothing_applies(route53_any: Any, zone: str) -> None:
    message = _refused(
        route53_any,
        zone,
        ("CREATE", rrset("ok.example.com", "A", "192.0.2.1")),
        ("DELETE", rrset("gone.example.com", "A", "192.0.2.1")),
        ("CREATE", rrset("out.example.org", "A", "192.0.2.1")),
    )
    assert message.count("Tried to delete") == 1 and message.count("not permitted in zone") == 1


def test_ttl_and_values_are_required(route53_any: Any, zone: str) -> None:
    no_ttl = {"Name": "a.example.com", "Type": "A", "ResourceRecords": [{"Value": "192.0.2.1"}]}
    with pytest.raises(ClientError) as excinfo:
        _change(route53_any, zone, ("CREATE", no_ttl))
    assert error_code(excinfo) == "InvalidInput"
    assert "Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords]" in (
        error_message(excinfo)
    )


def test_alias_and_routing_policies_are_not_simulated(route53_any: Any, zone: str) -> None:
    alias = {
        "Name": "a.example.com",
        "Type": "A",
        "AliasTarget": {
            "HostedZoneId": "Z2FDTNDATAQYW2",
            "DNSName": "d111111abcdef8.cloudfront.net",
            "EvaluateTargetHealth": False,
        },
    }
    weighted = dict(rrset("w.example.com", "A", "192.0.2.1"), SetIdentifier="one", Weight=10)
    for record in (alias, weighted):
        with pytest.raises(ClientError) as excinfo:
            _change(route53_any, zone, ("CREATE", record))
        assert error_code(excinfo) == "NotSimulatedException"
