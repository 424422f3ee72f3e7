"""AddListenerCertificates, RemoveListenerCertificates, DescribeListenerCertificates, and the
ACM certificate hook (InUseBy) they keep current."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from tests.conftest import error_code, error_message
from tests.services.elbv2.conftest import Certs, Network, forward, make_alb, make_https, make_tg


def _raises(code: str, fn: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as exc:
        fn(*args, **kwargs)
    assert error_code(exc) == code, error_message(exc)
    return error_message(exc)


@pytest.fixture
def https(elbv2_any: Any, net: Network, certs: Certs) -> tuple[str, str]:
    """(listener ARN, its default certificate)"""
    lb = make_alb(elbv2_any, net)["LoadBalancerArn"]
    tg = make_tg(elbv2_any, net)["TargetGroupArn"]
    default = certs.arn("default")
    return make_https(elbv2_any, lb, tg, default), default


def _one(arn: str) -> list[dict[str, str]]:
    return [{"CertificateArn": arn}]


def _lb(client: Any, listener: str) -> str:
    """ACM's InUseBy names the listener's load balancer."""
    return str(
        client.describe_listeners(ListenerArns=[listener])["Listeners"][0]["LoadBalancerArn"]
    )


def test_add_describe_remove(
    cloud: Cloud, elbv2_any: Any, https: tuple[str, str], certs: Certs
) -> None:
    usage = cloud._env.certificate_usage
    listener, default = https
    extra = certs.arn("extra")
    added = elbv2_any.add_listener_certificates(ListenerArn=listener, Certificates=_one(extra))
    assert added["Certificates"] == [{"CertificateArn": extra, "IsDefault": False}]
    elbv2_any.add_listener_certificates(ListenerArn=listener, Certificates=_one(extra))  # again
    lb = _lb(elbv2_any, listener)
    assert usage.in_use_by(extra) == [lb]
    listed = elbv2_any.describe_listener_certificates(ListenerArn=listener)["Certificates"]
    assert listed == [
        {"CertificateArn": default, "IsDefault": True},
        {"CertificateArn": extra, "IsDefault": False},
    ]
    elbv2_any.remove_listener_certificates(ListenerArn=listener, Certificates=_one(extra))
    assert usage.in_use_by(extra) == []
    assert usage.in_use_by(default) == [lb]
    listed = elbv2_any.describe_listener_certificates(ListenerArn=listener)["Certificates"]
    assert listed == [{"CertificateArn": default, "IsDefault": True}]


def test_default_certificate_in_the_list_appears_twice(
    cloud: Cloud, elbv2_any: Any, https: tuple[str, str]
) -> None:
    listener, default = https
    elbv2_any.add_listener_certificates(ListenerArn=listener, Certificates=_one(default))
    listed = elbv2_any.describe_listener_certificates(ListenerArn=listener)["Certificates"]
    assert listed == [
        {"CertificateArn": default, "IsDefault": True},
        {"CertificateArn": default, "IsDefault": False},
    ]
    page = elbv2_any.describe_listener_certificates(ListenerArn=listener, PageSize=1)
    assert page["Certificates"][0]["IsDefault"] is True and "NextMarker" in page
    # removing it takes the list entry away; it stays the default certificate, in use
    elbv2_any.remove_listener_certificates(ListenerArn=listener, Certificates=_one(default))
    listed = elbv2_any.describe_listener_certificates(ListenerArn=listener)["Certificates"]
    assert listed == [{"CertificateArn": default, "IsDefault": True}]
    assert cloud._env.certificate_usage.in_use_by(default) == [_lb(elbv2_any, listener)]


def test_errors(cloud: Cloud, elbv2_any: Any, https: tuple[str, str], certs: Certs) -> None:
    usage = cloud._env.certificate_usage
    listener, default = https
    assert "Modify" in _raises(
        "OperationNotPermitted",
        elbv2_any.remove_listener_certificates,
        ListenerArn=listener,
        Certificates=_one(default),
    )
    assert usage.in_use_by(default) == [_lb(elbv2_any, listener)]
    missing = default.replace("default", "absent")
    _raises(
        "CertificateNotFound",
        elbv2_any.add_listener_certificates,
        ListenerArn=listener,
        Certificates=_one(missing),
    )
    expired = certs.arn("old", status="EXPIRED")
    _raises(
        "CertificateNotFound",
        elbv2_any.add_listener_certificates,
        ListenerArn=listener,
        Certificates=_one(expired),
    )
    assert usage.in_use_by(expired) == []
    _raises(
        "ValidationError",
        elbv2_any.add_listener_certificates,
        ListenerArn=listener,
        Certificates=_one(certs.arn("a")) + _one(certs.arn("b")),
    )
    gone = listener[:-1] + "x"
    for op in ("add_listener_certificates", "remove_listener_certificates"):
        _raises(
            "ListenerNotFound", getattr(elbv2_any, op), ListenerArn=gone, Certificates=_one(default)
        )
    _raises("ListenerNotFound", elbv2_any.describe_listener_certificates, ListenerArn=gone)


def test_plain_listener_has_no_certificate_list(elbv2: Any, net: Network, certs: Certs) -> None:
    lb = make_alb(elbv2, net)["LoadBalancerArn"]
    tg = make_tg(elbv2, net)["TargetGroupArn"]
    li = elbv2.create_listener(
        LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=forward(tg)
    )["Listeners"][0]["ListenerArn"]
    assert elbv2.describe_listener_certificates(ListenerArn=li)["Certificates"] == []
    _raises(
        "ValidationError",
        elbv2.add_listener_certificates,
        ListenerArn=li,
        Certificates=_one(certs.arn("x")),
    )


def test_certificates_per_load_balancer_quota(
    cloud: Cloud, elbv2: Any, net: Network, certs: Certs
) -> None:
    account = cloud.default_account.account_id
    cloud.quotas.adjust(account, "certificates_per_load_balancer", 2, service="elbv2")
    lb = make_alb(elbv2, net)["LoadBalancerArn"]
    tg = make_tg(elbv2, net)["TargetGroupArn"]
    first = make_https(elbv2, lb, tg, certs.arn("d1"), port=443)
    second = make_https(elbv2, lb, tg, certs.arn("d2"), port=8443)  # defaults don't count
    elbv2.add_listener_certificates(ListenerArn=first, Certificates=_one(certs.arn("c1")))
    elbv2.add_listener_certificates(ListenerArn=second, Certificates=_one(certs.arn("c2")))
    _raises(
        "TooManyCertificates",
        elbv2.add_listener_certificates,
        ListenerArn=second,
        Certificates=_one(certs.arn("c3")),
    )
