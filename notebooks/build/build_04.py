"""Build notebooks/04_who_did_what.ipynb (run: python notebooks/build/build_04.py)."""

from __future__ import annotations

from nbbuild import code, md, write

NAME = "04_who_did_what.ipynb"

USER_IDENTITY = (
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/"
    "cloudtrail-event-reference-user-identity.html"
)

CELLS = [
    md("""
    # 04 · Who did what: identities in CloudTrail, and certificates in use

    *About 40 minutes. No AWS account and no network: everything runs on your machine, and
    two months of virtual time pass in a second.*

    ## Learning objectives

    When you finish this notebook you will be able to:

    1. Read a CloudTrail record's `userIdentity`: tell an IAM user (`IAMUser`) from a role
       session (`AssumedRole`), and find the IAM role behind a session in
       `sessionContext.sessionIssuer`.
    2. Recognise the calls a Lambda function makes as its **execution role's** session.
    3. Find records with CloudTrail `LookupEvents` by `Username`, `EventName` and
       `ResourceName`, and know that KMS records name the key even when the call used an alias.
    4. Explain `invokedBy`: an AWS service making a request for an identity.
    5. Follow an imported ACM certificate through its life: in use by a load balancer
       (`InUseBy`, `ResourceInUseException` on delete), expiry warnings through EventBridge
       and SNS, `EXPIRED` after `NotAfter`, and deletion once nothing uses it.
    """),
    md("""
    ## 1. Setup

    A seeded `Cloud` (same ids on every run; for teaching only) and botocore clients for the
    services of this lesson, in one Region. The clients sign their requests with the access key
    of the account's administrator, an IAM user named `Administrator`.
    """),
    code("""
    import datetime as dt
    import io
    import json
    import zipfile

    from botocore.config import Config
    from botocore.exceptions import ClientError

    from simulator import Cloud
    from simulator.lab import trail

    cloud = Cloud(seed=7)
    REGION = "eu-west-1"
    iam = cloud.client("iam")
    sts = cloud.client("sts", region_name=REGION)
    kms = cloud.client("kms", region_name=REGION)
    cloudtrail = cloud.client("cloudtrail", region_name=REGION)
    account = sts.get_caller_identity()["Account"]
    print("account", account, "at", cloud.clock.now().isoformat())
    """),
    md(f"""
    ## 2. Who made the call: `userIdentity`

    Every CloudTrail record has a [`userIdentity` element]({USER_IDENTITY}): the type of
    identity that made the request and which credentials it used. For temporary credentials it
    also says how they were obtained.

    ### An IAM user with a long-term access key

    We create a KMS key for an `orders` application, and look at the record `CreateKey` left.
    The type is `IAMUser`, `userName` is the user's friendly name, and `accessKeyId` is the
    access key that signed the request.
    """),
    code("""
    orders = kms.create_key(Description="orders")["KeyMetadata"]
    kms.create_alias(AliasName="alias/orders", TargetKeyId=orders["KeyId"])

    created = cloud.trail.events(event_name="CreateKey")[-1]
    print(json.dumps(created["userIdentity"], indent=2))
    admin = created["userIdentity"]
    assert admin["type"] == "IAMUser"
    assert admin["userName"] == "Administrator"
    assert admin["arn"] == f"arn:aws:iam::{account}:user/Administrator"
    assert admin["accessKeyId"] == cloud.credentials()["aws_access_key_id"]
    assert "sessionContext" not in admin   # long-term keys: no session
    """),
    md("""
    ### A role session

    A role has no long-term keys. A principal that the role's **trust policy** allows calls
    STS [`AssumeRole`](https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html)
    and receives temporary credentials: an access key, a secret key and a **session token**.
    The `RoleSessionName` you pass becomes part of the session's ARN, which is why
    administrators ask for meaningful session names: they show up in CloudTrail.

    Below, an `Auditor` role trusted by our account, allowed to encrypt with the `orders` key.
    We assume it as `night-shift` and call KMS with the session's credentials.
    """),
    code("""
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
        "Action": "sts:AssumeRole"}]}
    auditor = iam.create_role(RoleName="Auditor",
                              AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    iam.put_role_policy(RoleName="Auditor", PolicyName="use-orders-key", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt"],
            "Resource": orders["Arn"]}]}))

    cloud.clock.advance(minutes=5)
    creds = sts.assume_role(RoleArn=auditor["Arn"], RoleSessionName="night-shift")["Credentials"]
    kms_as_auditor = cloud.client(
        "kms", region_name=REGION,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"])
    kms_as_auditor.encrypt(KeyId="alias/orders", Plaintext=b"order 1001")

    record = cloud.trail.records[-1]
    print(json.dumps(record["userIdentity"], indent=2))
    session = record["userIdentity"]
    assert session["type"] == "AssumedRole"
    assert session["arn"] == f"arn:aws:sts::{account}:assumed-role/Auditor/night-shift"
    assert session["accessKeyId"] == creds["AccessKeyId"]
    issuer = session["sessionContext"]["sessionIssuer"]
    assert issuer["type"] == "Role"
    assert issuer["arn"] == auditor["Arn"] == f"arn:aws:iam::{account}:role/Auditor"
    assert issuer["userName"] == "Auditor"
    """),
    md("""
    Two ARNs, and it matters which is which:

    - `userIdentity.arn` is the **session**: `arn:aws:sts::…:assumed-role/Auditor/night-shift`
      (STS namespace, ends with the session name).
    - `userIdentity.sessionContext.sessionIssuer.arn` is the **IAM role** the session came
      from: `arn:aws:iam::…:role/Auditor`. This is the ARN whose policies you review.

    ### A Lambda function

    A Lambda function runs with its **execution role**: when you invoke the function, Lambda
    assumes the role and gives the code temporary credentials
    ([Lambda execution role](https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html)).
    The role's trust policy must allow the service principal `lambda.amazonaws.com`. The code
    below is plain boto3: it asks STS who it is, and describes the `orders` key.
    """),
    code("""
    HANDLER = '''
    import boto3


    def handler(event, context):
        me = boto3.client("sts").get_caller_identity()["Arn"]
        boto3.client("kms").describe_key(KeyId="alias/orders")
        return {"caller": me}
    '''
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("app.py", HANDLER)

    lambda_trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
        "Action": "sts:AssumeRole"}]}
    runner = iam.create_role(RoleName="report-runner",
                             AssumeRolePolicyDocument=json.dumps(lambda_trust))["Role"]
    iam.put_role_policy(RoleName="report-runner", PolicyName="describe-orders-key",
                        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{
                            "Effect": "Allow", "Action": "kms:DescribeKey",
                            "Resource": orders["Arn"]}]}))
    lam = cloud.client("lambda", region_name=REGION)
    lam.create_function(FunctionName="nightly-report", Runtime="python3.12", Role=runner["Arn"],
                        Handler="app.handler", Code={"ZipFile": archive.getvalue()})

    cloud.clock.advance(minutes=5)
    out = lam.invoke(FunctionName="nightly-report", Payload=b"{}")
    answer = json.loads(out["Payload"].read())
    print(answer)
    assert "FunctionError" not in out
    assert answer["caller"] == f"arn:aws:sts::{account}:assumed-role/report-runner/nightly-report"

    described = cloud.trail.events(event_name="DescribeKey")[-1]["userIdentity"]
    assert described["type"] == "AssumedRole"
    assert described["sessionContext"]["sessionIssuer"]["arn"] == runner["Arn"]
    """),
    md("""
    The function's calls are recorded as an `AssumedRole` session of `report-runner`. In this
    simulator the session is named after the function (`…/report-runner/nightly-report`). The
    Lambda guide does not document the session name, so when you search a real trail for a
    function's calls, rely on the role in `sessionIssuer` first.

    Here is the trail so far as a table, one row per record, with the identity columns
    (`trail.identity_frame`). IAM calls are left out to keep it short.
    """),
    code("""
    table = trail.identity_frame(cloud)
    table = table[table["eventSource"] != "iam.amazonaws.com"].reset_index(drop=True)
    by_type = table.groupby("identityType")["eventName"].apply(list).to_dict()
    assert "Encrypt" in by_type["AssumedRole"] and "CreateKey" in by_type["IAMUser"]
    assert set(table.loc[table["identityType"] == "AssumedRole", "sessionIssuer"]) == {
        "Auditor", "report-runner"}
    table
    """),
    md("""
    ## 3. Finding things: `LookupEvents`

    CloudTrail's
    [`LookupEvents`](https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html)
    searches the management events of one Region from the last 90 days, **newest first**. It
    takes at most **one** lookup attribute; the keys are `EventId`, `EventName`, `ReadOnly`,
    `Username`, `ResourceType`, `ResourceName`, `EventSource` and `AccessKeyId`
    ([LookupAttribute](https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupAttribute.html)).
    Each event carries the full record as a JSON string in `CloudTrailEvent`.

    The API reference describes `Username` as the user name or role name of the requester.
    For a role session it holds the **session name**, as in the AWS CLI's own
    [`lookup-events` example](https://docs.aws.amazon.com/cli/latest/reference/cloudtrail/lookup-events.html),
    and the simulator does the same:
    """),
    code("""
    def lookup(key, value):
        attrs = [{"AttributeKey": key, "AttributeValue": value}]
        return cloudtrail.lookup_events(LookupAttributes=attrs)["Events"]

    night = lookup("Username", "night-shift")
    print([(e["EventName"], e["Username"]) for e in night])
    assert [e["EventName"] for e in night] == ["Encrypt"]
    identity = json.loads(night[0]["CloudTrailEvent"])["userIdentity"]
    assert identity["sessionContext"]["sessionIssuer"]["userName"] == "Auditor"

    function_calls = [e["EventName"] for e in lookup("Username", "nightly-report")]
    assert function_calls == ["DescribeKey", "GetCallerIdentity"]   # newest first
    assert [e["Username"] for e in lookup("EventName", "Encrypt")] == ["night-shift"]
    """),
    md("""
    `ResourceName` finds every call on a resource. KMS records list the KMS key they used in
    `resources`, with the key's ARN, **even when the caller named the key by its alias**: the
    Auditor's `Encrypt` used `alias/orders`, yet it is found by the key ARN
    ([examples of AWS KMS log entries](https://docs.aws.amazon.com/kms/latest/developerguide/understanding-kms-entries.html)).
    `trail.lookup_frame` runs the same lookup through the paginator and tabulates it.
    """),
    code("""
    on_key = trail.lookup_frame(cloudtrail, "ResourceName", orders["Arn"])
    assert on_key["EventName"].tolist() == ["DescribeKey", "Encrypt", "CreateAlias", "CreateKey"]
    assert on_key["Username"].tolist() == [
        "nightly-report", "night-shift", "Administrator", "Administrator"]
    encrypt = json.loads(lookup("EventName", "Encrypt")[0]["CloudTrailEvent"])
    assert encrypt["requestParameters"]["keyId"] == "alias/orders"
    assert encrypt["resources"][0]["ARN"] == orders["Arn"]
    on_key
    """),
    md(f"""
    ## 4. A service acting for you: `invokedBy`

    Some AWS services call other services for you. The CloudTrail guide defines
    [`invokedBy`]({USER_IDENTITY}) as the name of the AWS service that made the request,
    present only when a request is made by an AWS service. KMS writes a record both when you
    call it and when an AWS service calls it on your behalf.

    The documented example: Secrets Manager protects each secret value with a 256-bit data
    key that it requests from KMS with `GenerateDataKey`, using the encryption context
    `SecretARN` and `SecretVersionId`
    ([secret encryption in Secrets Manager](https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html)).
    The resulting KMS record names **you** in `userIdentity`, and Secrets Manager in
    `invokedBy`.

    **The simulator's Secrets Manager is not built yet.** The next cell is the simulator
    doing what Secrets Manager will do: `trail.stand_in_service_call` sends the request
    through the simulator's own `call_on_behalf` hook, which validates, authorizes and audits
    it like any other call. You would never write this against real AWS; there, the record
    appears because you called `CreateSecret` or `PutSecretValue`.
    """),
    code("""
    secret_arn = f"arn:aws:secretsmanager:{REGION}:{account}:secret:orders-db-AbCdEf"
    data_key = trail.stand_in_service_call(
        cloud, "secretsmanager.amazonaws.com", "kms", "GenerateDataKey",
        {"KeyId": orders["Arn"], "KeySpec": "AES_256",
         "EncryptionContext": {"SecretARN": secret_arn, "SecretVersionId": "v1"}},
        region=REGION)
    assert len(data_key["Plaintext"]) == 32   # the service keeps this; it is never logged
    del data_key

    record = cloud.trail.records[-1]
    print(json.dumps({k: record[k] for k in ("userIdentity", "sourceIPAddress", "userAgent",
                                             "requestParameters", "resources")}, indent=2))
    assert record["eventName"] == "GenerateDataKey"
    assert record["userIdentity"]["arn"] == admin["arn"]
    assert record["userIdentity"]["invokedBy"] == "secretsmanager.amazonaws.com"
    assert record["resources"][0]["ARN"] == orders["Arn"]
    assert "Plaintext" not in json.dumps(record) and "plaintext" not in json.dumps(record)
    """),
    md("""
    ## 5. Certificates in use

    ### Import a real certificate

    ACM can hold certificates from other CAs:
    [`ImportCertificate`](https://docs.aws.amazon.com/acm/latest/APIReference/API_ImportCertificate.html)
    takes a PEM certificate and its unencrypted private key. We make a self-signed certificate
    for `shop.example.com` with the `cryptography` library, valid from yesterday for 50 days.
    ACM's managed renewal does not cover imported certificates
    ([managed renewal](https://docs.aws.amazon.com/acm/latest/userguide/managed-renewal.html));
    the simulator reports their `RenewalEligibility` as `INELIGIBLE`.
    """),
    code("""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID


    def self_signed(common_name, now, days):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
        cert = (x509.CertificateBuilder()
                .subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(days=1))
                .not_valid_after(now + dt.timedelta(days=days))
                .add_extension(x509.SubjectAlternativeName([x509.DNSName(common_name)]),
                               critical=False)
                .sign(key, hashes.SHA256()))
        key_pem = key.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
        return cert.public_bytes(serialization.Encoding.PEM), key_pem


    acm = cloud.client("acm", region_name=REGION)
    cert_pem, key_pem = self_signed("shop.example.com", cloud.clock.now(), days=50)
    cert_arn = acm.import_certificate(Certificate=cert_pem, PrivateKey=key_pem)["CertificateArn"]
    cert = acm.describe_certificate(CertificateArn=cert_arn)["Certificate"]
    print({k: cert[k] for k in ("DomainName", "Type", "Status", "KeyAlgorithm",
                                "RenewalEligibility", "InUseBy")})
    not_after = cert["NotAfter"].astimezone(dt.timezone.utc)
    assert (cert["Type"], cert["Status"], cert["InUseBy"]) == ("IMPORTED", "ISSUED", [])
    assert cert["RenewalEligibility"] == "INELIGIBLE"
    """),
    md("""
    ### Put it on a load balancer

    An Application Load Balancer needs subnets in at least two Availability Zones
    ([CreateLoadBalancer](https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html)).
    Its **HTTPS listener** must have a server certificate
    ([HTTPS listeners](https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-https-listener.html));
    we give it ours. From then on, `DescribeCertificate` lists the load balancer in `InUseBy`.
    """),
    code("""
    ec2 = cloud.client("ec2", region_name=REGION)
    elb = cloud.client("elbv2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=az)["Subnet"]["SubnetId"]
        for cidr, az in (("10.0.1.0/24", "eu-west-1a"), ("10.0.2.0/24", "eu-west-1b"))]
    lb = elb.create_load_balancer(Name="shop", Subnets=subnets)["LoadBalancers"][0]
    web = elb.create_target_group(Name="shop-web", Protocol="HTTP", Port=80,
                                  VpcId=vpc)["TargetGroups"][0]
    cloud.clock.advance(hours=1)
    listener = elb.create_listener(
        LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTPS", Port=443,
        Certificates=[{"CertificateArn": cert_arn}],
        DefaultActions=[{"Type": "forward", "TargetGroupArn": web["TargetGroupArn"]}],
    )["Listeners"][0]

    in_use_by = acm.describe_certificate(CertificateArn=cert_arn)["Certificate"]["InUseBy"]
    print(in_use_by)
    assert in_use_by == [lb["LoadBalancerArn"]]
    """),
    md("""
    You cannot delete an ACM certificate that another AWS service is using:
    [`DeleteCertificate`](https://docs.aws.amazon.com/acm/latest/APIReference/API_DeleteCertificate.html)
    fails with `ResourceInUseException`. There is no "force" option; you first remove the
    association in the service that uses it
    ([deleting certificates](https://docs.aws.amazon.com/acm/latest/userguide/gs-acm-delete.html)).
    (`max_attempts=1` keeps botocore from retrying the refused call.)
    """),
    code("""
    acm_once = cloud.client("acm", region_name=REGION, config=Config(retries={"max_attempts": 1}))
    cloud.clock.advance(days=1)
    try:
        acm_once.delete_certificate(CertificateArn=cert_arn)
    except ClientError as exc:
        print(exc.response["Error"]["Code"], "-", exc.response["Error"]["Message"])
        assert exc.response["Error"]["Code"] == "ResourceInUseException"
    else:
        raise AssertionError("a certificate in use must not be deleted")
    """),
    md("""
    ### Warnings before it expires

    ACM sends the EventBridge event **ACM Certificate Approaching Expiration** (source
    `aws.acm`) once a day for each active certificate, imported ones included, starting 45 days
    before expiry for imported and private certificates (30 for public ones); the start can be
    changed with `PutAccountConfiguration`
    ([ACM events](https://docs.aws.amazon.com/acm/latest/userguide/supported-events.html)).
    The **ACM Certificate Expired** event is not sent for imported certificates.

    We route the warnings to an SNS topic with an e-mail subscription. With no execution role
    on the target, EventBridge publishes through the topic's resource-based policy, which must
    allow the service principal `events.amazonaws.com` to call `sns:Publish`
    ([EventBridge and SNS permissions](https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions)).
    The subscriber confirms by following the link in the first mail.
    """),
    code("""
    sns = cloud.client("sns", region_name=REGION)
    events = cloud.client("events", region_name=REGION)
    OPS = "ops@example.com"

    topic_arn = f"arn:aws:sns:{REGION}:{account}:cert-expiry"
    topic_policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
        "Action": "sns:Publish", "Resource": topic_arn}]}
    new_topic = sns.create_topic(Name="cert-expiry",
                                 Attributes={"Policy": json.dumps(topic_policy)})
    assert new_topic["TopicArn"] == topic_arn
    sns.subscribe(TopicArn=topic_arn, Protocol="email", Endpoint=OPS)
    cloud.mail.follow(cloud.mail.inbox(OPS)[-1].link("Confirm subscription"))

    pattern = {"source": ["aws.acm"], "detail-type": ["ACM Certificate Approaching Expiration"]}
    events.put_rule(Name="cert-expiry", EventPattern=json.dumps(pattern))
    events.put_targets(Rule="cert-expiry", Targets=[{"Id": "ops-mail", "Arn": topic_arn}])
    print(len(cloud.mail.inbox(OPS)), "mail so far:", cloud.mail.inbox(OPS)[-1].subject)
    """),
    md("""
    Now let the clock run to the day the first warning is due (45 days before `NotAfter`),
    and read the mail.
    """),
    code("""
    cloud.clock.advance_to(not_after - dt.timedelta(days=45))
    mail = cloud.mail.inbox(OPS)[-1]
    event, _ = json.JSONDecoder().raw_decode(mail.body)   # the event, then SNS's footer
    print(mail.subject)
    print(json.dumps(event, indent=2))
    assert event["detail-type"] == "ACM Certificate Approaching Expiration"
    assert event["resources"] == [cert_arn]
    assert event["detail"] == {"DaysToExpiry": 45, "CommonName": "shop.example.com"}
    """),
    md("""
    Nobody replaces the certificate. One warning a day arrives until the end. Once `NotAfter`
    has passed, the certificate is `EXPIRED` (the simulator turns it at the next second), and
    the listener still has it: nothing replaces an imported certificate for you.
    """),
    code("""
    cloud.clock.advance_to(not_after)
    warnings = [json.JSONDecoder().raw_decode(m.body)[0]["detail"]["DaysToExpiry"]
                for m in cloud.mail.inbox(OPS)[1:]]
    print(len(warnings), "warnings:", warnings[:3], "...", warnings[-3:])
    assert warnings == list(range(45, 0, -1))
    assert acm.describe_certificate(CertificateArn=cert_arn)["Certificate"]["Status"] == "ISSUED"

    cloud.clock.advance(seconds=1)
    status = acm.describe_certificate(CertificateArn=cert_arn)["Certificate"]["Status"]
    print("one second after NotAfter:", status)
    assert status == "EXPIRED"
    assert not [e for e in cloud.events.history if e["detail-type"] == "ACM Certificate Expired"]
    on_listener = elb.describe_listeners(ListenerArns=[listener["ListenerArn"]])["Listeners"][0]
    assert on_listener["Certificates"] == [{"CertificateArn": cert_arn}]
    """),
    md("""
    ### Retire it

    Remove the association where it lives (delete the HTTPS listener, or give it another
    certificate), check that `InUseBy` is empty, then delete the certificate.
    """),
    code("""
    cloud.clock.advance(days=2)
    elb.delete_listener(ListenerArn=listener["ListenerArn"])
    assert acm.describe_certificate(CertificateArn=cert_arn)["Certificate"]["InUseBy"] == []
    acm.delete_certificate(CertificateArn=cert_arn)
    try:
        acm_once.describe_certificate(CertificateArn=cert_arn)
    except ClientError as exc:
        print("after DeleteCertificate:", exc.response["Error"]["Code"])
        assert exc.response["Error"]["Code"] == "ResourceNotFoundException"
    """),
    md("""
    The certificate's life in one picture: its status, when a listener used it, the daily
    warnings, and the calls made on it (the refused delete in red).
    """),
    code("""
    fig = trail.plot_certificate_life(cloud, cert_arn, not_after,
                                      title="shop.example.com: imported, used, expired, retired")
    gids = [a.get_gid() for a in fig.axes[0].patches + fig.axes[0].collections if a.get_gid()]
    assert gids[:3] == ["status:ISSUED", "status:EXPIRED", "in use"]
    assert {"warnings", "calls", "errors"} <= set(gids)
    names = [m.name + (f" ({m.error})" if m.error else "")
             for m in trail.certificate_milestones(cloud, cert_arn)]
    assert names == ["ImportCertificate", "CreateListener",
                     "DeleteCertificate (ResourceInUseException)", "DeleteListener",
                     "DeleteCertificate"]
    fig
    """),
    md("""
    ## 6. Try it: one call, three identities

    Pick an identity and a call. The lab makes the call as that identity (the administrator's
    own key, a session of the role `lab-role`, or the Lambda function `lab-function`
    running with that role) and shows the `userIdentity` CloudTrail recorded. Compare `type`,
    `arn`, `accessKeyId` and `sessionContext`.
    """),
    code("""
    lab = trail.IdentityLab(cloud, REGION)
    seen = {who: trail.identity_fields(lab.call_as(who, "sts GetCallerIdentity"))
            for who in trail.IDENTITIES}
    assert seen[trail.ADMIN]["identityType"] == "IAMUser"
    assert seen[trail.ROLE_SESSION]["userName"] == "lab-session"
    assert seen[trail.FUNCTION]["userName"] == "lab-function"
    assert seen[trail.ROLE_SESSION]["sessionIssuerArn"] == seen[trail.FUNCTION]["sessionIssuerArn"]
    trail.identity_widget(lab)
    """),
    md("""
    ## 7. Exercises

    Each exercise cell holds a correct answer and checks it against the simulator with a
    helper from `simulator.lab.trail`. Change the answer and run the cell again to see what
    the check says.

    **Exercise 1.** Someone encrypted payroll data with the key behind `alias/payroll`, using
    a role session. Use CloudTrail `LookupEvents` to find the **ARN of the IAM role** behind
    that session.
    """),
    code("""
    payroll = kms.create_key(Description="payroll")["KeyMetadata"]
    kms.create_alias(AliasName="alias/payroll", TargetKeyId=payroll["KeyId"])
    iam.create_role(RoleName="batch-job", AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(RoleName="batch-job", PolicyName="payroll", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "kms:Encrypt", "Resource": payroll["Arn"]}]}))
    job = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/batch-job",
                          RoleSessionName="run-0042")["Credentials"]
    cloud.client("kms", region_name=REGION, aws_access_key_id=job["AccessKeyId"],
                 aws_secret_access_key=job["SecretAccessKey"],
                 aws_session_token=job["SessionToken"]).encrypt(KeyId="alias/payroll",
                                                                Plaintext=b"salaries")

    # Your answer:
    found = [json.loads(e["CloudTrailEvent"]) for e in lookup("ResourceName", payroll["Arn"])
             if e["EventName"] == "Encrypt"]
    role_arn = found[0]["userIdentity"]["sessionContext"]["sessionIssuer"]["arn"]

    result = trail.check_session_issuer(cloud, payroll["Arn"], role_arn)
    print(result)
    assert result.ok, result
    """),
    md("""
    **Exercise 2.** The security team wants its own expiry warnings at
    `security@example.com`. Create a topic they can subscribe to, confirm the subscription,
    and a rule `cert-expiry-security` that sends them the approaching-expiration events, and
    nothing else from ACM.
    """),
    code("""
    SECURITY = "security@example.com"

    # Your answer:
    security_topic = f"arn:aws:sns:{REGION}:{account}:security-alerts"
    sns.create_topic(Name="security-alerts", Attributes={"Policy": json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
            "Action": "sns:Publish", "Resource": security_topic}]})})
    sns.subscribe(TopicArn=security_topic, Protocol="email", Endpoint=SECURITY)
    cloud.mail.follow(cloud.mail.inbox(SECURITY)[-1].link("Confirm subscription"))
    events.put_rule(Name="cert-expiry-security", EventPattern=json.dumps(
        {"source": ["aws.acm"], "detail-type": ["ACM Certificate Approaching Expiration"]}))
    events.put_targets(Rule="cert-expiry-security",
                       Targets=[{"Id": "security", "Arn": security_topic}])

    result = trail.check_expiry_alarm(events, sns, "cert-expiry-security", SECURITY)
    print(result)
    assert result.ok, result
    """),
    md("""
    **Exercise 3.** The certificate for `old.example.com` is on an HTTPS listener on port 8443
    that is being retired. Delete the certificate (the check looks for it in ACM and on every
    listener).
    """),
    code("""
    old_pem, old_key = self_signed("old.example.com", cloud.clock.now(), days=90)
    old_arn = acm.import_certificate(Certificate=old_pem, PrivateKey=old_key)["CertificateArn"]
    old_listener = elb.create_listener(
        LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTPS", Port=8443,
        Certificates=[{"CertificateArn": old_arn}],
        DefaultActions=[{"Type": "forward", "TargetGroupArn": web["TargetGroupArn"]}],
    )["Listeners"][0]

    # Your answer:
    elb.delete_listener(ListenerArn=old_listener["ListenerArn"])
    acm.delete_certificate(CertificateArn=old_arn)

    result = trail.check_certificate_retired(acm, elb, old_arn)
    print(result)
    assert result.ok, result
    """),
    md("""
    ## 8. Check yourself

    Four exam-style questions on this notebook. Pick an answer and press **Submit**.
    """),
    code("""
    from quizzes import Session, load_banks
    from quizzes.widgets import quiz_widget

    bank = {q.id: q for q in load_banks()}
    questions = [bank[i] for i in ("acm-010", "acm-011", "acm-001", "acm-007")]
    quiz_widget(questions)
    """),
    code("""
    quiz = Session(questions)
    for question_id in ("acm-010", "acm-011", "acm-001", "acm-007"):
        assert quiz.submit(question_id, ["A"]).is_correct, question_id
    assert quiz.report().correct == 4
    """),
    md(f"""
    ## Summary and exam tips

    - `userIdentity.type`: `IAMUser` for an IAM user's long-term key (`userName`,
      `accessKeyId`, no `sessionContext`); `AssumedRole` for a role session.
    - For a role session, `userIdentity.arn` is the **session**
      (`arn:aws:sts::…:assumed-role/ROLE/SESSION`); the **role** is
      `sessionContext.sessionIssuer.arn` (`arn:aws:iam::…:role/ROLE`, type `Role`). Review that
      role's policies.
    - The `RoleSessionName` is part of the session's ARN: require meaningful names to tell who
      used a shared role.
    - A Lambda function calls AWS as a session of its **execution role** (trust policy:
      `lambda.amazonaws.com`).
    - `invokedBy` names the **AWS service** that made the request for the identity (for
      example Secrets Manager calling KMS `GenerateDataKey` while storing your secret); the
      identity is still yours.
    - `LookupEvents`: one Region, last 90 days, management events, **one** lookup attribute
      (`Username`, `EventName`, `ResourceName`, `EventSource`, `AccessKeyId`...), newest
      first. KMS records name the key ARN in `resources` even for calls through an alias.
    - ACM `DeleteCertificate` fails with **`ResourceInUseException`** while `InUseBy` lists a
      resource; remove the association (listener) first. No force option.
    - Imported certificates are never renewed by ACM. **ACM Certificate Approaching
      Expiration** (`aws.acm`) fires daily, from 45 days before expiry by default
      (`PutAccountConfiguration` changes it); **ACM Certificate Expired** is not sent for
      imported certificates. Route the event with EventBridge to SNS; without a target role,
      the topic policy must allow `events.amazonaws.com` to `sns:Publish`.
    - An expired certificate stays `EXPIRED` on the listener that uses it: replace it before
      `NotAfter`.

    ### Read more (AWS documentation)

    - CloudTrail `userIdentity` element: {USER_IDENTITY}
    - CloudTrail API: [LookupEvents](https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html),
      [LookupAttribute](https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupAttribute.html)
    - Examples of AWS KMS log entries:
      https://docs.aws.amazon.com/kms/latest/developerguide/understanding-kms-entries.html
    - STS [AssumeRole](https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html);
      [Lambda execution role](https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html)
    - Secrets Manager encryption (data keys, encryption context):
      https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
    - ACM API: [ImportCertificate](https://docs.aws.amazon.com/acm/latest/APIReference/API_ImportCertificate.html),
      [DeleteCertificate](https://docs.aws.amazon.com/acm/latest/APIReference/API_DeleteCertificate.html),
      [PutAccountConfiguration](https://docs.aws.amazon.com/acm/latest/APIReference/API_PutAccountConfiguration.html)
    - ACM guide: [deleting certificates](https://docs.aws.amazon.com/acm/latest/userguide/gs-acm-delete.html),
      [EventBridge events](https://docs.aws.amazon.com/acm/latest/userguide/supported-events.html),
      [managed renewal](https://docs.aws.amazon.com/acm/latest/userguide/managed-renewal.html)
    - ELB [CreateLoadBalancer](https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html),
      [HTTPS listeners](https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-https-listener.html);
      EventBridge [SNS permissions](https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions)
    """),
]

if __name__ == "__main__":
    print(write(NAME, CELLS))
