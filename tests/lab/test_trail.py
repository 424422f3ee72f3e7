"""simulator.lab.trail: identity columns, lookups, the stand-in service call, the three-identity
lab and its widget, the certificate picture, and the exercise checks of notebook 04."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from simulator import Cloud
from simulator.lab import trail

REGION = "eu-west-1"
QUIET = Config(retries={"max_attempts": 1})


def _trust(account: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )


@dataclass
class World:
    cloud: Cloud
    key_arn: str
    role_arn: str
    session_arn: str


@pytest.fixture
def world() -> World:
    """A key with an alias; a role session that encrypts with it through the alias."""
    cloud = Cloud(seed=7)
    account = cloud.default_account.account_id
    kms = cloud.client("kms", region_name=REGION)
    key = kms.create_key(Description="orders")["KeyMetadata"]
    kms.create_alias(AliasName="alias/orders", TargetKeyId=key["KeyId"])
    iam = cloud.client("iam")
    role = iam.create_role(RoleName="Auditor", AssumeRolePolicyDocument=_trust(account))["Role"]
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "kms:Encrypt", "Resource": key["Arn"]}],
    }
    iam.put_role_policy(RoleName="Auditor", PolicyName="p", PolicyDocument=json.dumps(policy))
    sts = cloud.client("sts", region_name=REGION)
    creds = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="night-shift")["Credentials"]
    cloud.client(
        "kms",
        region_name=REGION,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    ).encrypt(KeyId="alias/orders", Plaintext=b"x")
    session = f"arn:aws:sts::{account}:assumed-role/Auditor/night-shift"
    return World(cloud, key["Arn"], role["Arn"], session)


# -- identity columns ---------------------------------------------------------------------------
def test_identity_fields_of_a_user_and_a_session(world: World) -> None:
    create = world.cloud.trail.events(event_name="CreateKey")[-1]
    user = trail.identity_fields(create)
    assert user["identityType"] == "IAMUser"
    assert user["userName"] == "Administrator"
    assert user["sessionIssuer"] is None and user["invokedBy"] is None
    assert user["resources"] == world.key_arn
    session = trail.identity_fields(world.cloud.trail.events(event_name="Encrypt")[-1])
    assert session["identityType"] == "AssumedRole"
    assert session["arn"] == world.session_arn
    assert session["userName"] == "night-shift"  # the session name, as LookupEvents shows it
    assert (session["sessionIssuer"], session["sessionIssuerArn"]) == ("Auditor", world.role_arn)


def test_session_name_of_other_identities() -> None:
    assert trail.session_name({"type": "AWSService"}) is None
    assert trail.session_name({"type": "AssumedRole", "arn": "no-slash"}) is None


def test_identity_frame_columns_and_filter(world: World) -> None:
    frame = trail.identity_frame(world.cloud)
    assert list(frame.columns) == trail.IDENTITY_COLUMNS
    assert len(frame) == len(world.cloud.trail)
    kms_only = trail.identity_frame(world.cloud, event_source="kms.amazonaws.com")
    assert kms_only["eventName"].tolist() == ["CreateKey", "CreateAlias", "Encrypt"]
    assert kms_only["identityType"].tolist() == ["IAMUser", "IAMUser", "AssumedRole"]
    assert kms_only["sessionIssuer"].tolist() == ["", "", "Auditor"]
    assert set(kms_only["outcome"]) == {"OK"}


def test_identity_frame_outcome_shows_error_codes(world: World) -> None:
    kms = world.cloud.client("kms", region_name=REGION, config=QUIET)
    with pytest.raises(ClientError):
        kms.describe_key(KeyId="alias/missing")
    frame = trail.identity_frame(world.cloud.trail.records)
    assert frame["outcome"].iloc[-1] == "NotFoundException"


def test_lookup_frame_by_resource_name_and_username(world: World) -> None:
    ct = world.cloud.client("cloudtrail", region_name=REGION)
    on_key = trail.lookup_frame(ct, "ResourceName", world.key_arn)
    assert list(on_key.columns) == trail.LOOKUP_COLUMNS
    assert on_key["EventName"].tolist() == ["Encrypt", "CreateAlias", "CreateKey"]
    assert on_key["Username"].tolist() == ["night-shift", "Administrator", "Administrator"]
    assert on_key["sessionIssuer"].tolist() == ["Auditor", "", ""]
    assert on_key["Resources"].iloc[0] == world.key_arn
    assert trail.lookup_frame(ct, "Username", "nobody").empty


# -- a service acting for the administrator -----------------------------------------------------
def test_stand_in_service_call_records_invoked_by(world: World) -> None:
    cloud = world.cloud
    before = len(cloud.trail)
    out = trail.stand_in_service_call(
        cloud,
        "secretsmanager.amazonaws.com",
        "kms",
        "GenerateDataKey",
        {"KeyId": world.key_arn, "KeySpec": "AES_256"},
        region=REGION,
    )
    assert len(out["Plaintext"]) == 32
    assert len(cloud.trail) == before + 1
    record = cloud.trail.records[-1]
    fields = trail.identity_fields(record)
    assert fields["invokedBy"] == "secretsmanager.amazonaws.com"
    assert fields["arn"] == cloud.default_account.administrator.arn
    assert fields["resources"] == world.key_arn
    assert record["awsRegion"] == REGION


# -- one call, three identities -----------------------------------------------------------------
@pytest.fixture
def lab(world: World) -> trail.IdentityLab:
    return trail.IdentityLab(world.cloud, REGION)


@pytest.mark.parametrize("call", list(trail.CALLS))
def test_identity_lab_calls_as_each_identity(lab: trail.IdentityLab, call: str) -> None:
    account = lab.cloud.default_account.account_id
    seen = {who: trail.identity_fields(lab.call_as(who, call)) for who in trail.IDENTITIES}
    assert seen[trail.ADMIN]["identityType"] == "IAMUser"
    assert seen[trail.ADMIN]["sessionIssuerArn"] is None
    role = f"arn:aws:iam::{account}:role/lab-role"
    assert seen[trail.ROLE_SESSION]["arn"] == (
        f"arn:aws:sts::{account}:assumed-role/lab-role/lab-session"
    )
    assert seen[trail.FUNCTION]["arn"] == (
        f"arn:aws:sts::{account}:assumed-role/lab-role/lab-function"
    )
    for who in (trail.ROLE_SESSION, trail.FUNCTION):
        assert seen[who]["identityType"] == "AssumedRole"
        assert seen[who]["sessionIssuerArn"] == role


def test_identity_lab_refuses_an_unknown_identity(lab: trail.IdentityLab) -> None:
    with pytest.raises(ValueError, match="unknown identity"):
        lab.call_as("root", "kms ListKeys")


def test_identity_widget_renders_the_record(lab: trail.IdentityLab) -> None:
    ipywidgets = pytest.importorskip("ipywidgets")
    box = trail.identity_widget(lab)
    assert isinstance(box, ipywidgets.VBox)
    view: trail.IdentityView = box.identity_view
    view.identity.value = trail.ROLE_SESSION
    view.call.value = "kms ListKeys"
    view.button.click()
    assert "<b>ListKeys</b>" in view.output.value
    assert "lab-session" in view.output.value and "sessionIssuer" in view.output.value


# -- a certificate's life -----------------------------------------------------------------------
def _certificate(now: dt.datetime, days: int) -> tuple[bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "shop.example.com")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), pem


@dataclass
class Site:
    cloud: Cloud
    acm: Any
    elb: Any
    cert_arn: str
    lb_arn: str
    tg_arn: str
    listener_arn: str
    not_after: dt.datetime


@pytest.fixture
def site() -> Site:
    cloud = Cloud(seed=7)
    acm = cloud.client("acm", region_name=REGION, config=QUIET)
    pem, key = _certificate(cloud.clock.now(), days=50)
    arn = acm.import_certificate(Certificate=pem, PrivateKey=key)["CertificateArn"]
    not_after = acm.describe_certificate(CertificateArn=arn)["Certificate"]["NotAfter"]
    ec2 = cloud.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{z}")[
            "Subnet"
        ]["SubnetId"]
        for i, z in ((1, "a"), (2, "b"))
    ]
    elb = cloud.client("elbv2", region_name=REGION)
    lb = elb.create_load_balancer(Name="shop", Subnets=subnets)["LoadBalancers"][0]
    tg = elb.create_target_group(Name="web", Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0]
    cloud.clock.advance(days=1)
    listener = elb.create_listener(
        LoadBalancerArn=lb["LoadBalancerArn"],
        Protocol="HTTPS",
        Port=443,
        Certificates=[{"CertificateArn": arn}],
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}],
    )["Listeners"][0]
    return Site(
        cloud,
        acm,
        elb,
        arn,
        lb["LoadBalancerArn"],
        tg["TargetGroupArn"],
        listener["ListenerArn"],
        not_after.astimezone(dt.UTC),
    )


def _retire_after_expiry(site: Site) -> None:
    with pytest.raises(ClientError):
        site.acm.delete_certificate(CertificateArn=site.cert_arn)
    site.cloud.clock.advance_to(site.not_after + dt.timedelta(days=2))
    site.elb.delete_listener(ListenerArn=site.listener_arn)
    site.acm.delete_certificate(CertificateArn=site.cert_arn)


def test_milestones_follow_the_certificate_and_its_listener(site: Site) -> None:
    _retire_after_expiry(site)
    marks = trail.certificate_milestones(site.cloud, site.cert_arn)
    assert [(m.name, m.error) for m in marks] == [
        ("ImportCertificate", None),
        ("CreateListener", None),
        ("DeleteCertificate", "ResourceInUseException"),
        ("DeleteListener", None),
        ("DeleteCertificate", None),
    ]
    assert marks[1].time - marks[0].time == dt.timedelta(days=1)
    assert all(m.time.tzinfo is dt.UTC for m in marks)


def test_expiry_warnings_are_daily_from_45_days(site: Site) -> None:
    site.cloud.clock.advance_to(site.not_after)
    warnings = trail.expiry_warnings(site.cloud, site.cert_arn)
    assert [days for _, days in warnings] == list(range(45, 0, -1))
    assert warnings[0][0] == site.not_after - dt.timedelta(days=45)
    assert trail.expiry_warnings(site.cloud, "arn:aws:acm:eu-west-1:1:certificate/none") == []


def test_plot_certificate_life(site: Site) -> None:
    import matplotlib.dates as mdates

    _retire_after_expiry(site)
    fig = trail.plot_certificate_life(site.cloud, site.cert_arn, site.not_after, title="t")
    ax = fig.axes[0]
    bars = {p.get_gid(): p for p in ax.patches if p.get_gid()}
    assert list(bars) == ["status:ISSUED", "status:EXPIRED", "in use"]
    expiry = mdates.date2num(site.not_after.replace(tzinfo=None))
    issued = bars["status:ISSUED"]
    assert issued.get_x() + issued.get_width() == pytest.approx(expiry)
    points = {c.get_gid(): len(c.get_offsets()) for c in ax.collections if c.get_gid()}
    assert points == {"warnings": 45, "calls": 4, "errors": 1}
    labels = [t.get_text() for t in ax.texts]
    assert "DeleteCertificate ✗ ResourceInUseException" in labels
    assert "45 days left" in labels
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "status",
        "in use",
        "expiry warnings",
        "API calls",
    ]


def test_plot_without_expiry_or_calls(site: Site) -> None:
    fig = trail.plot_certificate_life(site.cloud, site.cert_arn, site.not_after)
    gids = [p.get_gid() for p in fig.axes[0].patches if p.get_gid()]
    assert gids == ["status:ISSUED", "in use"]  # not expired, still on the listener
    empty = trail.plot_certificate_life(site.cloud, "arn:none", site.not_after)
    assert [t.get_text() for t in empty.axes[0].texts] == ["No calls on this certificate yet."]


# -- exercise checks ------------------------------------------------------------------------------
def test_check_session_issuer(world: World) -> None:
    assert trail.check_session_issuer(world.cloud, world.key_arn, world.role_arn).ok
    session = trail.check_session_issuer(world.cloud, world.key_arn, world.session_arn)
    assert not session.ok and "sessionIssuer.arn" in str(session)
    assert not trail.check_session_issuer(world.cloud, world.key_arn, None).ok
    nobody = trail.check_session_issuer(world.cloud, "arn:aws:kms:x:1:key/none", world.role_arn)
    assert not nobody.ok and "no role session" in str(nobody)


def _alarm(
    cloud: Cloud, *, policy: bool, confirm: bool, pattern: dict[str, Any]
) -> tuple[Any, Any]:
    account = cloud.default_account.account_id
    sns = cloud.client("sns", region_name=REGION)
    events = cloud.client("events", region_name=REGION)
    arn = f"arn:aws:sns:{REGION}:{account}:alerts"
    statement = {
        "Effect": "Allow",
        "Principal": {"Service": "events.amazonaws.com"},
        "Action": "sns:Publish",
        "Resource": arn,
    }
    attrs = (
        {"Policy": json.dumps({"Version": "2012-10-17", "Statement": [statement]})}
        if policy
        else {}
    )
    sns.create_topic(Name="alerts", Attributes=attrs)
    sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="sec@example.com")
    if confirm:
        cloud.mail.follow(cloud.mail.inbox("sec@example.com")[-1].link("Confirm subscription"))
    events.put_rule(Name="expiry", EventPattern=json.dumps(pattern))
    events.put_targets(Rule="expiry", Targets=[{"Id": "t", "Arn": arn}])
    return events, sns


def test_check_expiry_alarm_passes_for_the_documented_setup() -> None:
    cloud = Cloud(seed=7)
    events, sns = _alarm(cloud, policy=True, confirm=True, pattern=trail.EXPIRY_PATTERN)
    result = trail.check_expiry_alarm(events, sns, "expiry", "sec@example.com")
    assert result.ok, result


def test_check_expiry_alarm_names_what_is_missing() -> None:
    cloud = Cloud(seed=7)
    events, sns = _alarm(cloud, policy=False, confirm=False, pattern={"source": ["aws.acm"]})
    result = trail.check_expiry_alarm(events, sns, "expiry", "sec@example.com")
    text = str(result)
    assert not result.ok
    assert "also matches other ACM events" in text
    assert "does not allow events.amazonaws.com" in text
    assert "no confirmed email subscription" in text
    missing = trail.check_expiry_alarm(events, sns, "nope", "sec@example.com")
    assert not missing.ok and "ResourceNotFoundException" in str(missing)


def test_check_expiry_alarm_without_a_topic_target() -> None:
    cloud = Cloud(seed=7)
    events = cloud.client("events", region_name=REGION)
    events.put_rule(Name="expiry", EventPattern=json.dumps(trail.EXPIRY_PATTERN))
    sns = cloud.client("sns", region_name=REGION)
    result = trail.check_expiry_alarm(events, sns, "expiry", "sec@example.com")
    assert not result.ok and "no SNS topic target" in str(result)


def test_check_certificate_retired(site: Site) -> None:
    in_use = trail.check_certificate_retired(site.acm, site.elb, site.cert_arn)
    assert not in_use.ok and "still on 1 listener" in str(in_use)
    assert "still exists" in str(in_use)
    site.elb.delete_listener(ListenerArn=site.listener_arn)
    site.acm.delete_certificate(CertificateArn=site.cert_arn)
    assert trail.check_certificate_retired(site.acm, site.elb, site.cert_arn).ok
    bad = trail.check_certificate_retired(site.acm, site.elb, "not-an-arn")
    assert not bad.ok


# -- the module's imports ------------------------------------------------------
def test_importing_the_module_loads_no_heavy_libraries() -> None:
    heavy = ("ipywidgets", "matplotlib", "pandas", "IPython", "ipykernel")
    code = (
        "import sys\nimport simulator.lab.trail\n"
        f"print(','.join(m for m in {heavy!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == ""
