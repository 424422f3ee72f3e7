"""The ACM certificate-usage hook: counted uses, InUseBy order, snapshots."""

from __future__ import annotations

from pathlib import Path

from simulator import Cloud
from simulator.core.certificates import CertificateInfo, CertificateUsage

CERT = "arn:aws:acm:us-east-1:111122223333:certificate/0c5b1a1e-0000-4000-8000-000000000001"
LB1 = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/0123456789abcdef"
LB2 = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/api/fedcba9876543210"


def test_a_resource_leaves_in_use_by_with_its_last_use() -> None:
    usage = CertificateUsage()
    usage.attach(CERT, LB1)  # listener 443
    usage.attach(CERT, LB2)
    usage.attach(CERT, LB1)  # listener 8443, same load balancer
    assert usage.in_use_by(CERT) == [LB1, LB2]
    usage.detach(CERT, LB1)
    assert usage.in_use_by(CERT) == [LB1, LB2]
    usage.detach(CERT, LB1)
    assert usage.in_use_by(CERT) == [LB2]
    usage.detach(CERT, LB1)  # nothing left to detach: no error, no change
    usage.detach_resource(LB2)
    assert usage.in_use_by(CERT) == []


def test_find_asks_acm_for_the_account_and_region() -> None:
    usage = CertificateUsage()
    assert usage.find("111122223333", "us-east-1", CERT) is None  # no ACM registered
    info = CertificateInfo(CERT, "ISSUED", "RSA_2048", "IMPORTED")
    usage.provide(lambda account, region, arn: info if region == "us-east-1" else None)
    assert usage.find("111122223333", "us-east-1", CERT) == info
    assert usage.find("111122223333", "eu-west-1", CERT) is None


def test_uses_survive_a_snapshot(tmp_path: Path) -> None:
    cloud = Cloud(seed=3)
    cloud._env.certificate_usage.attach(CERT, LB1)
    cloud._env.certificate_usage.attach(CERT, LB1)
    restored = Cloud.load(cloud.save(tmp_path / "w.json"))
    usage = restored._env.certificate_usage
    assert usage.in_use_by(CERT) == [LB1]
    usage.detach(CERT, LB1)
    assert usage.in_use_by(CERT) == [LB1]
