"""CreateListener, DescribeListeners, ModifyListener, DeleteListener: protocols, actions,
certificates from ACM (through the certificate hook) and the documented errors."""

from __future__ import annotations

import re
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
def alb(elbv2_any: Any, net: Network) -> dict[str, Any]:
    return make_alb(elbv2_any, net)


@pytest.fixture
def tg(elbv2_any: Any, net: Network) -> str:
    return str(make_tg(elbv2_any, net)["TargetGroupArn"])


def test_https_listener_uses_an_issued_acm_certificate(
    cloud: Cloud, elbv2_any: Any, alb: dict[str, Any], tg: str, certs: Certs
) -> None:
    cert = certs.arn("site")
    arn = make_https(elbv2_any, alb["LoadBalancerArn"], tg, cert)
    lb_id = alb["LoadBalancerArn"].rsplit("/", 1)[1]
    account = cloud.default_account.account_id
    assert re.fullmatch(
        rf"arn:aws:elasticloadbalancing:us-east-1:{account}:listener/app/web/{lb_id}/[0-9a-f]{{16}}",
        arn,
    )
    got = elbv2_any.describe_listeners(ListenerArns=[arn])["Listeners"][0]
    assert got["Protocol"] == "HTTPS" and got["Port"] == 443
    assert got["Certificates"] == [{"CertificateArn": cert}]  # no IsDefault here (docs)
    assert got["SslPolicy"] == "ELBSecurityPolicy-2016-08"  # the API's default policy
    assert got["DefaultActions"][0]["Type"] == "forward"
    assert got["DefaultActions"][0]["TargetGroupArn"] == tg
    # ACM's InUseBy names the load balancer, not the listener
    assert cloud._env.certificate_usage.in_use_by(cert) == [alb["LoadBalancerArn"]]


def test_certificate_errors(elbv2_any: Any, alb: dict[str, Any], tg: str, certs: Certs) -> None:
    lb = alb["LoadBalancerArn"]

    def https(*cert_arns: str, **extra: Any) -> Any:
        return elbv2_any.create_listener(
            LoadBalancerArn=lb,
            Protocol="HTTPS",
            Port=443,
            Certificates=[{"CertificateArn": c} for c in cert_arns],
            DefaultActions=forward(tg),
            **extra,
        )

    unknown = certs.arn("gone").replace("gone", "missing")
    assert unknown in _raises("CertificateNotFound", https, unknown)
    pending = certs.arn("pending", status="PENDING_VALIDATION")
    assert "PENDING_VALIDATION" in _raises("CertificateNotFound", https, pending)
    other_region = certs.arn("west").replace("us-east-1", "us-west-2")
    _raises("CertificateNotFound", https, other_region)
    _raises("ValidationError", https)  # HTTPS without a certificate
    _raises("ValidationError", https, certs.arn("a"), certs.arn("b"))
    _raises("SSLPolicyNotFound", https, certs.arn("a"), SslPolicy="MyPolicy")
    _raises(
        "ValidationError",
        elbv2_any.create_listener,
        LoadBalancerArn=lb,
        Protocol="HTTP",
        Port=80,
        Certificates=[{"CertificateArn": certs.arn("a")}],
        DefaultActions=forward(tg),
    )
    assert elbv2_any.describe_listeners(LoadBalancerArn=lb)["Listeners"] == []


def test_protocols_ports_and_duplicates(elbv2_any: Any, alb: dict[str, Any], tg: str) -> None:
    lb = alb["LoadBalancerArn"]
    create = elbv2_any.create_listener
    first = create(LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=forward(tg))
    again = create(LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=forward(tg))
    assert again["Listeners"][0]["ListenerArn"] == first["Listeners"][0]["ListenerArn"]
    fixed = [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}]
    _raises(
        "DuplicateListener",
        create,
        LoadBalancerArn=lb,
        Protocol="HTTP",
        Port=80,
        DefaultActions=fixed,
    )
    _raises(
        "UnsupportedProtocol",
        create,
        LoadBalancerArn=lb,
        Protocol="TCP",
        Port=81,
        DefaultActions=forward(tg),
    )
    _raises("ValidationError", create, LoadBalancerArn=lb, Protocol="HTTP", DefaultActions=fixed)
    _raises(
        "LoadBalancerNotFound",
        create,
        LoadBalancerArn=lb[:-4] + "beef",
        Protocol="HTTP",
        Port=81,
        DefaultActions=fixed,
    )


def test_listener_quota(cloud: Cloud, elbv2: Any, net: Network) -> None:
    lb = make_alb(elbv2, net)["LoadBalancerArn"]
    account = cloud.default_account.account_id
    cloud.quotas.adjust(account, "listeners_per_load_balancer", 1, service="elbv2")
    fixed = [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}]
    elbv2.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=fixed)
    _raises(
        "TooManyListeners",
        elbv2.create_listener,
        LoadBalancerArn=lb,
        Protocol="HTTP",
        Port=81,
        DefaultActions=fixed,
    )


def test_default_actions(elbv2_any: Any, net: Network, alb: dict[str, Any], tg: str) -> None:
    lb = alb["LoadBalancerArn"]

    def listen(port: int, actions: list[dict[str, Any]], protocol: str = "HTTP") -> Any:
        return elbv2_any.create_listener(
            LoadBalancerArn=lb, Protocol=protocol, Port=port, DefaultActions=actions
        )

    redirect = {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}
    out = listen(80, [{"Type": "redirect", "RedirectConfig": redirect}])
    assert out["Listeners"][0]["DefaultActions"][0]["RedirectConfig"] == redirect
    body = {"StatusCode": "503", "ContentType": "text/plain", "MessageBody": "down"}
    out = listen(81, [{"Type": "fixed-response", "FixedResponseConfig": body}])
    assert out["Listeners"][0]["DefaultActions"][0]["FixedResponseConfig"] == body
    weighted = {"TargetGroups": [{"TargetGroupArn": tg, "Weight": 7}]}
    out = listen(82, [{"Type": "forward", "ForwardConfig": weighted}])
    assert out["Listeners"][0]["DefaultActions"][0]["ForwardConfig"]["TargetGroups"] == [
        {"TargetGroupArn": tg, "Weight": 7}
    ]
    loop = {"StatusCode": "HTTP_302"}
    _raises("InvalidLoadBalancerAction", listen, 83, [{"Type": "redirect", "RedirectConfig": loop}])
    bad_type = {"StatusCode": "200", "ContentType": "image/png"}
    _raises(
        "ValidationError", listen, 83, [{"Type": "fixed-response", "FixedResponseConfig": bad_type}]
    )
    missing = tg[:-4] + "0000"
    assert missing in _raises("TargetGroupNotFound", listen, 83, forward(missing))
    tcp_tg = make_tg(elbv2_any, net, "tcp", Protocol="TCP")["TargetGroupArn"]
    _raises("IncompatibleProtocols", listen, 83, forward(tcp_tg))
    far = make_tg(elbv2_any, net, "far", VpcId=net.other_vpc_id)["TargetGroupArn"]
    _raises("InvalidConfigurationRequest", listen, 83, forward(far))
    oidc = {
        "Issuer": "i",
        "AuthorizationEndpoint": "a",
        "TokenEndpoint": "t",
        "UserInfoEndpoint": "u",
        "ClientId": "c",
    }
    _raises(
        "NotSimulatedException",
        listen,
        83,
        [{"Type": "authenticate-oidc", "AuthenticateOidcConfig": oidc, "Order": 1}],
    )
    other_lb = make_alb(elbv2_any, net, "other")["LoadBalancerArn"]
    _raises(
        "TargetGroupAssociationLimit",
        elbv2_any.create_listener,
        LoadBalancerArn=other_lb,
        Protocol="HTTP",
        Port=80,
        DefaultActions=forward(tg),
    )


def test_network_load_balancer_tls_listener(
    cloud: Cloud, elbv2: Any, net: Network, certs: Certs
) -> None:
    nlb = elbv2.create_load_balancer(Name="nlb", Type="network", Subnets=net.subnets[:1])
    lb = nlb["LoadBalancers"][0]["LoadBalancerArn"]
    tcp_tg = make_tg(elbv2, net, "tcp", Protocol="TCP", Port=8443)["TargetGroupArn"]
    cert = certs.arn("tls")
    li = elbv2.create_listener(
        LoadBalancerArn=lb,
        Protocol="TLS",
        Port=443,
        Certificates=[{"CertificateArn": cert}],
        AlpnPolicy=["HTTP2Preferred"],
        DefaultActions=forward(tcp_tg),
    )["Listeners"][0]
    assert "listener/net/nlb/" in li["ListenerArn"]
    assert li["AlpnPolicy"] == ["HTTP2Preferred"]
    assert cloud._env.certificate_usage.in_use_by(cert) == [lb]
    fixed = [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}]
    _raises(
        "InvalidLoadBalancerAction",
        elbv2.create_listener,
        LoadBalancerArn=lb,
        Protocol="TCP",
        Port=80,
        DefaultActions=fixed,
    )
    _raises(
        "UnsupportedProtocol",
        elbv2.create_listener,
        LoadBalancerArn=lb,
        Protocol="HTTP",
        Port=80,
        DefaultActions=forward(tcp_tg),
    )
    _raises(
        "ALPNPolicyNotFound",
        elbv2.create_listener,
        LoadBalancerArn=lb,
        Protocol="TLS",
        Port=444,
        Certificates=[{"CertificateArn": cert}],
        AlpnPolicy=["HTTP3"],
        DefaultActions=forward(tcp_tg),
    )


def test_describe_listeners(elbv2_any: Any, alb: dict[str, Any], tg: str) -> None:
    lb = alb["LoadBalancerArn"]
    fixed = [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}]
    arns = [
        elbv2_any.create_listener(
            LoadBalancerArn=lb, Protocol="HTTP", Port=port, DefaultActions=fixed
        )["Listeners"][0]["ListenerArn"]
        for port in (8080, 80, 81)
    ]
    ports = [li["Port"] for li in elbv2_any.describe_listeners(LoadBalancerArn=lb)["Listeners"]]
    assert ports == [80, 81, 8080]
    page = elbv2_any.describe_listeners(LoadBalancerArn=lb, PageSize=2)
    assert len(page["Listeners"]) == 2
    rest = elbv2_any.describe_listeners(LoadBalancerArn=lb, PageSize=2, Marker=page["NextMarker"])
    assert [li["Port"] for li in rest["Listeners"]] == [8080] and "NextMarker" not in rest
    assert elbv2_any.describe_listeners(ListenerArns=[arns[1]])["Listeners"][0]["Port"] == 80
    _raises("ListenerNotFound", elbv2_any.describe_listeners, ListenerArns=[arns[0][:-1] + "x"])
    _raises("ValidationError", elbv2_any.describe_listeners)
    _raises("LoadBalancerNotFound", elbv2_any.describe_listeners, LoadBalancerArn=lb[:-1] + "x")


def test_delete_listener_and_load_balancer_release_certificates(
    cloud: Cloud, elbv2_any: Any, net: Network, alb: dict[str, Any], tg: str, certs: Certs
) -> None:
    usage = cloud._env.certificate_usage
    lb = alb["LoadBalancerArn"]
    one, two = certs.arn("one"), certs.arn("two")
    first = make_https(elbv2_any, lb, tg, one, port=443)
    second = make_https(elbv2_any, lb, tg, one, port=8443)
    elbv2_any.add_listener_certificates(ListenerArn=second, Certificates=[{"CertificateArn": two}])
    other_lb = make_alb(elbv2_any, net, "other")["LoadBalancerArn"]
    fixed = [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}]
    elbv2_any.create_listener(
        LoadBalancerArn=other_lb,
        Protocol="HTTPS",
        Port=443,
        Certificates=[{"CertificateArn": one}],
        DefaultActions=fixed,
    )
    assert usage.in_use_by(one) == [lb, other_lb]
    assert usage.in_use_by(two) == [lb]
    elbv2_any.delete_listener(ListenerArn=first)
    assert usage.in_use_by(one) == [lb, other_lb]  # the 8443 listener still uses it
    elbv2_any.delete_listener(ListenerArn=second)
    assert usage.in_use_by(one) == [other_lb] and usage.in_use_by(two) == []
    second = make_https(elbv2_any, lb, tg, one, port=8443)
    elbv2_any.add_listener_certificates(ListenerArn=second, Certificates=[{"CertificateArn": two}])
    _raises("ListenerNotFound", elbv2_any.delete_listener, ListenerArn=first)
    elbv2_any.delete_load_balancer(LoadBalancerArn=lb)
    assert usage.in_use_by(one) == [other_lb] and usage.in_use_by(two) == []
    _raises("ListenerNotFound", elbv2_any.describe_listeners, ListenerArns=[second])


def test_modify_listener_switches_protocol_and_certificate(
    cloud: Cloud, elbv2_any: Any, alb: dict[str, Any], tg: str, certs: Certs
) -> None:
    usage = cloud._env.certificate_usage
    lb = alb["LoadBalancerArn"]
    li = elbv2_any.create_listener(
        LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=forward(tg)
    )["Listeners"][0]["ListenerArn"]
    _raises("ValidationError", elbv2_any.modify_listener, ListenerArn=li, Protocol="HTTPS")
    old, new = certs.arn("old"), certs.arn("new")
    out = elbv2_any.modify_listener(
        ListenerArn=li, Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": old}]
    )["Listeners"][0]
    assert (out["Protocol"], out["Port"], out["SslPolicy"]) == (
        "HTTPS",
        443,
        "ELBSecurityPolicy-2016-08",
    )
    assert usage.in_use_by(old) == [lb]
    policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
    out = elbv2_any.modify_listener(
        ListenerArn=li, Certificates=[{"CertificateArn": new}], SslPolicy=policy
    )["Listeners"][0]
    assert out["Certificates"] == [{"CertificateArn": new}] and out["SslPolicy"] == policy
    assert usage.in_use_by(old) == [] and usage.in_use_by(new) == [lb]
    pending = certs.arn("pending", status="PENDING_VALIDATION")
    _raises(
        "CertificateNotFound",
        elbv2_any.modify_listener,
        ListenerArn=li,
        Certificates=[{"CertificateArn": pending}],
    )
    assert usage.in_use_by(new) == [lb]
    out = elbv2_any.modify_listener(ListenerArn=li, Protocol="HTTP", Port=80)["Listeners"][0]
    assert "Certificates" not in out and "SslPolicy" not in out
    assert usage.in_use_by(new) == []
    other = elbv2_any.create_listener(
        LoadBalancerArn=lb, Protocol="HTTP", Port=81, DefaultActions=forward(tg)
    )["Listeners"][0]["ListenerArn"]
    _raises("DuplicateListener", elbv2_any.modify_listener, ListenerArn=other, Port=80)
    _raises("ListenerNotFound", elbv2_any.modify_listener, ListenerArn=li[:-1] + "x", Port=82)


def test_https_listener_cannot_redirect_to_http(
    elbv2_any: Any, alb: dict[str, Any], certs: Certs
) -> None:
    lb = alb["LoadBalancerArn"]
    to_http = [
        {
            "Type": "redirect",
            "RedirectConfig": {"Protocol": "HTTP", "Host": "example.com", "StatusCode": "HTTP_301"},
        }
    ]
    li = elbv2_any.create_listener(
        LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=to_http
    )["Listeners"][0]["ListenerArn"]
    cert = [{"CertificateArn": certs.arn("c")}]
    _raises(
        "InvalidLoadBalancerAction",
        elbv2_any.modify_listener,
        ListenerArn=li,
        Protocol="HTTPS",
        Certificates=cert,
    )
    _raises(
        "InvalidLoadBalancerAction",
        elbv2_any.create_listener,
        LoadBalancerArn=lb,
        Protocol="HTTPS",
        Port=443,
        Certificates=cert,
        DefaultActions=to_http,
    )
    got = elbv2_any.describe_listeners(ListenerArns=[li])["Listeners"][0]
    assert got["Protocol"] == "HTTP" and "Certificates" not in got
