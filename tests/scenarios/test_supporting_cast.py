"""Issue 4's "Done means": one scenario in plain boto3 over the supporting cast, on both transports.

A learner's script creates an execution role and a Lambda function from a zip, a VPC with two
subnets, imports a certificate into ACM and puts it on an HTTPS listener of a load balancer
(after which ACM lists the load balancer in InUseBy and refuses to delete the certificate),
creates a hosted zone with records, wires an EventBridge rule to an SNS topic with a confirmed
e-mail subscription, publishes an event, finds the e-mail, and looks its own calls up in
CloudTrail. The scenario function only ever sees ``boto3.client``-style factories; the Cloud is
used for what has no AWS API (the mail inbox, the clock).
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from simulator import Cloud
from simulator.transport.http_server import serve_in_thread
from tests.conftest import TRANSPORTS, closing

REGION = "us-east-1"
MAIL = "oncall@example.com"
Factory = Callable[[str], Any]

HANDLER = """
import boto3


def handler(event, context):
    caller = boto3.client("sts").get_caller_identity()["Arn"]
    print(f"greeting {event['name']} from {context.function_name}")
    return {"greeting": "hello " + event["name"], "caller": caller}
"""


def _zip(source: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", source)
    return buffer.getvalue()


def _certificate(now: _dt.datetime) -> tuple[bytes, bytes]:
    """A self-signed certificate for www.example.com, valid around the virtual clock's now."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "www.example.com")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(0x5EC12E75)
        .not_valid_before(now - _dt.timedelta(days=1))
        .not_valid_after(now + _dt.timedelta(days=365))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("www.example.com")]), False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def _trust(service: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": service},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )


def _topic_policy(arn: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "events.amazonaws.com"},
                    "Action": "sns:Publish",
                    "Resource": arn,
                }
            ],
        }
    )


def scenario(client: Factory, cloud: Cloud, *, clean_up: bool = True) -> dict[str, Any]:
    """The learner's script. ``client(name)`` is ``boto3.client`` bound to one Region."""
    found: dict[str, Any] = {}

    # 1. An execution role and a Lambda function from a zip.
    iam = client("iam")
    role = iam.create_role(
        RoleName="web-app", AssumeRolePolicyDocument=_trust("lambda.amazonaws.com")
    )["Role"]
    iam.attach_role_policy(RoleName="web-app", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    lam = client("lambda")
    fn = lam.create_function(
        FunctionName="greeter",
        Runtime="python3.12",
        Role=role["Arn"],
        Handler="app.handler",
        Code={"ZipFile": _zip(HANDLER)},
    )
    out = lam.invoke(FunctionName="greeter", Payload=json.dumps({"name": "Ada"}).encode())
    found["lambda"] = (fn["FunctionArn"], json.loads(out["Payload"].read()))

    # 2. A VPC with two subnets in two Availability Zones.
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=az)["Subnet"]["SubnetId"]
        for cidr, az in (("10.0.1.0/24", "us-east-1a"), ("10.0.2.0/24", "us-east-1b"))
    ]

    # 3. A certificate imported into ACM, on the HTTPS listener of a load balancer.
    acm = client("acm")
    cert_pem, key_pem = _certificate(cloud.clock.now())
    cert_arn = acm.import_certificate(Certificate=cert_pem, PrivateKey=key_pem)["CertificateArn"]
    elb = client("elbv2")
    lb = elb.create_load_balancer(Name="web", Subnets=subnets)["LoadBalancers"][0]
    tg = elb.create_target_group(Name="web-targets", Protocol="HTTP", Port=80, VpcId=vpc)[
        "TargetGroups"
    ][0]
    listener = elb.create_listener(
        LoadBalancerArn=lb["LoadBalancerArn"],
        Protocol="HTTPS",
        Port=443,
        Certificates=[{"CertificateArn": cert_arn}],
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}],
    )["Listeners"][0]
    found["in_use_by"] = acm.describe_certificate(CertificateArn=cert_arn)["Certificate"]["InUseBy"]
    with pytest.raises(ClientError) as refused:
        acm.delete_certificate(CertificateArn=cert_arn)
    found["delete_refused"] = refused.value.response["Error"]["Code"]
    found["lb"], found["listener"], found["cert"] = lb, listener, cert_arn

    # 4. A hosted zone whose www record points at the load balancer.
    r53 = client("route53")
    zone = r53.create_hosted_zone(Name="example.com", CallerReference="scenario-1")
    zone_id = zone["HostedZone"]["Id"]
    change = r53.change_resource_record_sets(
        HostedZoneId=zone_id,
        ChangeBatch={
            "Changes": [
                {
                    "Action": "CREATE",
                    "ResourceRecordSet": {
                        "Name": "www.example.com",
                        "Type": "CNAME",
                        "TTL": 300,
                        "ResourceRecords": [{"Value": lb["DNSName"]}],
                    },
                }
            ]
        },
    )["ChangeInfo"]
    found["change"] = [change["Status"]]
    cloud.clock.advance(minutes=1)
    found["change"].append(r53.get_change(Id=change["Id"])["ChangeInfo"]["Status"])
    records = r53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    found["records"] = sorted((r["Name"], r["Type"]) for r in records)

    # 5. An EventBridge rule to an SNS topic with an e-mail subscription.
    sns = client("sns")
    account = client("sts").get_caller_identity()["Account"]
    arn = f"arn:aws:sns:{REGION}:{account}:orders"  # the policy names the topic it guards
    topic = sns.create_topic(Name="orders", Attributes={"Policy": _topic_policy(arn)})["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint=MAIL)
    confirm = cloud.mail.inbox(MAIL)[-1].link("Confirm subscription")
    cloud.mail.follow(confirm)
    events = client("events")
    events.put_rule(Name="big-orders", EventPattern=json.dumps({"source": ["shop.orders"]}))
    events.put_targets(Rule="big-orders", Targets=[{"Id": "mail", "Arn": topic}])
    put = events.put_events(
        Entries=[
            {
                "Source": "shop.orders",
                "DetailType": "Order Placed",
                "Detail": json.dumps({"order": 42, "total": 1999}),
            }
        ]
    )
    found["put_failed"] = put["FailedEntryCount"]
    found["mail"] = cloud.mail.inbox(MAIL)[-1]

    # 6. CloudTrail: the learner's own calls, and the function's call as its role.
    trail = client("cloudtrail")

    def lookup(key: str, value: str) -> list[dict[str, Any]]:
        attrs = [{"AttributeKey": key, "AttributeValue": value}]
        return list(trail.lookup_events(LookupAttributes=attrs, MaxResults=50)["Events"])

    found["trail_lb"] = lookup("EventName", "CreateLoadBalancer")
    found["trail_acm"] = lookup("EventSource", "acm.amazonaws.com")
    found["trail_role"] = lookup("EventName", "GetCallerIdentity")

    if not clean_up:
        return found
    # 7. Take the listener away: ACM lets the certificate go.
    elb.delete_listener(ListenerArn=listener["ListenerArn"])
    found["in_use_after"] = acm.describe_certificate(CertificateArn=cert_arn)["Certificate"][
        "InUseBy"
    ]
    acm.delete_certificate(CertificateArn=cert_arn)
    found["certs_left"] = acm.list_certificates()["CertificateSummaryList"]
    return found


@pytest.fixture(params=TRANSPORTS)
def factory(request: pytest.FixtureRequest, cloud: Cloud) -> Iterator[Factory]:
    """``boto3.client`` in-process (patched) or over real HTTP to the simulator's server."""
    quiet = Config(retries={"max_attempts": 1})
    if request.param == "in-process":
        with cloud.patch_boto3():
            yield lambda name: boto3.client(name, region_name=REGION, config=quiet)
        return
    server = serve_in_thread(cloud, "127.0.0.1", 0)
    host, port = server.server_address[:2]
    creds = cloud.credentials()
    try:
        yield lambda name: closing(
            boto3.client(
                name,
                region_name=REGION,
                endpoint_url=f"http://{host}:{port}",
                config=quiet,
                **creds,
            )
        )
    finally:
        server.shutdown()
        server.server_close()


def test_done_means(factory: Factory, cloud: Cloud) -> None:
    found = scenario(factory, cloud)
    account = cloud.default_account.account_id

    fn_arn, payload = found["lambda"]
    assert fn_arn == f"arn:aws:lambda:{REGION}:{account}:function:greeter"
    assert payload["greeting"] == "hello Ada"
    assert payload["caller"] == f"arn:aws:sts::{account}:assumed-role/web-app/greeter"

    lb = found["lb"]
    assert found["in_use_by"] == [lb["LoadBalancerArn"]]
    assert found["delete_refused"] == "ResourceInUseException"
    assert found["listener"]["Protocol"] == "HTTPS"
    assert found["listener"]["Certificates"] == [{"CertificateArn": found["cert"]}]

    assert found["change"] == ["PENDING", "INSYNC"]
    assert ("www.example.com.", "CNAME") in found["records"]
    assert cloud.dns.resolve("www.example.com", "CNAME") == [lb["DNSName"]]

    assert found["put_failed"] == 0
    mail = found["mail"]
    assert "AWS Notification" in mail.subject
    event, _ = json.JSONDecoder().raw_decode(mail.body)  # the event, then SNS's footer
    assert (event["source"], event["detail-type"]) == ("shop.orders", "Order Placed")
    assert event["detail"] == {"order": 42, "total": 1999}
    assert event["account"] == account and event["region"] == REGION

    (create_lb,) = found["trail_lb"]
    assert create_lb["Username"] == "Administrator"
    assert create_lb["EventSource"] == "elasticloadbalancing.amazonaws.com"
    acm_names = [e["EventName"] for e in found["trail_acm"]]
    assert "ImportCertificate" in acm_names and "DeleteCertificate" in acm_names
    # GetCallerIdentity twice: the function, as its execution role, and the script itself.
    identities = [json.loads(e["CloudTrailEvent"])["userIdentity"] for e in found["trail_role"]]
    assert [i["type"] for i in identities] == ["IAMUser", "AssumedRole"]  # newest first
    assert identities[1]["sessionContext"]["sessionIssuer"]["userName"] == "web-app"

    assert found["in_use_after"] == []
    assert found["certs_left"] == []


def _reads(client: Factory, found: dict[str, Any]) -> dict[str, Any]:
    """What every service shows of the scenario's world (request metadata aside)."""
    lb = found["lb"]["LoadBalancerArn"]
    calls: dict[str, Callable[[], Any]] = {
        "iam": lambda: client("iam").get_role(RoleName="web-app")["Role"],
        "iam-attached": lambda: client("iam").list_attached_role_policies(RoleName="web-app"),
        "lambda": lambda: client("lambda").get_function(FunctionName="greeter")["Configuration"],
        "ec2-vpcs": lambda: client("ec2").describe_vpcs()["Vpcs"],
        "ec2-subnets": lambda: client("ec2").describe_subnets()["Subnets"],
        "acm": lambda: client("acm").describe_certificate(CertificateArn=found["cert"]),
        "elb": lambda: client("elbv2").describe_load_balancers()["LoadBalancers"],
        "listeners": lambda: client("elbv2").describe_listeners(LoadBalancerArn=lb)["Listeners"],
        "listener-certs": lambda: client("elbv2").describe_listener_certificates(
            ListenerArn=found["listener"]["ListenerArn"]
        )["Certificates"],
        "target-groups": lambda: client("elbv2").describe_target_groups()["TargetGroups"],
        "zones": lambda: client("route53").list_hosted_zones()["HostedZones"],
        "topics": lambda: client("sns").list_topics()["Topics"],
        "subscriptions": lambda: client("sns").list_subscriptions()["Subscriptions"],
        "rules": lambda: client("events").list_rules()["Rules"],
        "targets": lambda: client("events").list_targets_by_rule(Rule="big-orders")["Targets"],
    }
    out = {}
    for name, call in calls.items():
        value = call()
        if isinstance(value, dict):
            value.pop("ResponseMetadata", None)
        out[name] = value
    return out


def test_the_whole_world_survives_a_snapshot(cloud: Cloud, tmp_path: Any) -> None:
    """Every supporting service's state round-trips through cloud.save / Cloud.load."""
    quiet = Config(retries={"max_attempts": 1})
    with cloud.patch_boto3():
        found = scenario(
            lambda name: boto3.client(name, region_name=REGION, config=quiet),
            cloud,
            clean_up=False,
        )
        before = _reads(lambda name: boto3.client(name, region_name=REGION, config=quiet), found)
    restored = Cloud.load(cloud.save(tmp_path / "world.json"))
    with restored.patch_boto3():
        after = _reads(lambda name: boto3.client(name, region_name=REGION, config=quiet), found)
        # The restored world still enforces what it learned: the certificate is in use.
        with pytest.raises(ClientError) as refused:
            boto3.client("acm", region_name=REGION).delete_certificate(CertificateArn=found["cert"])
        # ... and still runs it: the function's code, the rule, the topic and its subscriber.
        lam = boto3.client("lambda", region_name=REGION, config=quiet)
        out = lam.invoke(FunctionName="greeter", Payload=b'{"name": "Grace"}')
        assert json.loads(out["Payload"].read())["greeting"] == "hello Grace"
        events = boto3.client("events", region_name=REGION, config=quiet)
        detail = json.dumps({"order": 43, "total": 5})
        entry = {"Source": "shop.orders", "DetailType": "Order Placed", "Detail": detail}
        assert events.put_events(Entries=[entry])["FailedEntryCount"] == 0
    assert refused.value.response["Error"]["Code"] == "ResourceInUseException"
    inbox = restored.mail.inbox(MAIL)
    assert len(inbox) == len(cloud.mail.inbox(MAIL)) + 1  # the old mail, and one new
    event, _ = json.JSONDecoder().raw_decode(inbox[-1].body)
    assert event["detail"] == {"order": 43, "total": 5}
    assert after == before
    text = (tmp_path / "world.json").read_text()
    assert "PRIVATE KEY" not in text
