"""``cloud.dns``: answers from public hosted zones of every account, then the external
provider a notebook edits."""

from __future__ import annotations

from typing import Any

from simulator import Cloud
from tests.services.route53.conftest import batch, make_zone, rrset


def _add(client: Any, zone_id: str, *records: dict[str, Any]) -> None:
    client.change_resource_record_sets(
        HostedZoneId=zone_id, ChangeBatch=batch(*[("UPSERT", r) for r in records])
    )


def test_answers_follow_changes(cloud: Cloud, route53_any: Any) -> None:
    zone = make_zone(route53_any)
    assert cloud.dns.resolve("www.example.com") == []
    _add(route53_any, zone, rrset("www.example.com", "A", "192.0.2.1", "192.0.2.2"))
    assert cloud.dns.resolve("WWW.Example.com.", "a") == ["192.0.2.1", "192.0.2.2"]
    assert cloud.dns.resolve("www.example.com", "AAAA") == []
    _add(route53_any, zone, rrset("www.example.com", "A", "198.51.100.1"))
    assert cloud.dns.resolve("www.example.com") == ["198.51.100.1"]
    ns = cloud.dns.resolve("example.com", "NS")
    assert len(ns) == 4 and all(".awsdns-" in n for n in ns)


def test_cname_chasing(cloud: Cloud, route53_any: Any) -> None:
    zone = make_zone(route53_any)
    _add(
        route53_any,
        zone,
        rrset("www.example.com", "CNAME", "web.example.com"),
        rrset("web.example.com", "CNAME", "cdn.example.org."),
        rrset("loop.example.com", "CNAME", "loop.example.com"),
    )
    cloud.dns.external.set("cdn.example.org", "A", ["203.0.113.5"])
    assert cloud.dns.resolve("www.example.com") == ["203.0.113.5"]
    assert cloud.dns.resolve("www.example.com", "CNAME") == ["web.example.com"]
    assert cloud.dns.resolve("loop.example.com") == []


def test_most_specific_zone_wins_across_accounts(cloud: Cloud, route53_any: Any) -> None:
    parent = make_zone(route53_any)
    _add(route53_any, parent, rrset("api.dev.example.com", "A", "192.0.2.1"))
    other = cloud.client("route53", account_id=cloud.create_account().account_id)
    child = make_zone(other, "dev.example.com", "child")
    _add(other, child, rrset("app.dev.example.com", "A", "192.0.2.2"))
    assert cloud.dns.zone_for("x.dev.example.com") is not None
    assert cloud.dns.resolve("app.dev.example.com") == ["192.0.2.2"]
    # The child zone is authoritative: the parent's record under it is not seen.
    assert cloud.dns.resolve("api.dev.example.com") == []


def test_zones_hide_the_external_provider(cloud: Cloud, route53_any: Any) -> None:
    cloud.dns.external.set("www.example.com", "A", ["203.0.113.1"])
    assert cloud.dns.resolve("www.example.com") == ["203.0.113.1"]
    zone = make_zone(route53_any)
    assert cloud.dns.resolve("www.example.com") == []
    route53_any.delete_hosted_zone(Id=zone)
    assert cloud.dns.resolve("www.example.com") == ["203.0.113.1"]


def test_wildcards(cloud: Cloud, route53_any: Any) -> None:
    zone = make_zone(route53_any)
    _add(
        route53_any,
        zone,
        rrset("*.example.com", "A", "192.0.2.9"),
        rrset("named.example.com", "TXT", '"t"'),
    )
    assert cloud.dns.resolve("anything.example.com") == ["192.0.2.9"]
    assert cloud.dns.resolve("deep.anything.example.com") == ["192.0.2.9"]
    assert cloud.dns.resolve("named.example.com") == []  # the name exists: no wildcard
    assert cloud.dns.resolve("example.com") == []


def test_external_provider(cloud: Cloud) -> None:
    external = cloud.dns.external
    external.set("Mail.Example.NET", "mx", ["10 mx.example.net."])
    assert cloud.dns.resolve("mail.example.net.", "MX") == ["10 mx.example.net."]
    assert external.get("mail.example.net", "MX") == ["10 mx.example.net."]
    assert cloud.dns.resolve("mail.example.net", "A") == []
    external.delete("mail.example.net", "MX")
    assert cloud.dns.resolve("mail.example.net", "MX") == []
    external.set("a.example.net", "A", ["203.0.113.1"])
    external.clear()
    assert cloud.dns.resolve("a.example.net") == []
    assert "ExternalDns" in repr(external)
