"""The exercise checks of notebook 04 ("Who did what"), graded through public AWS APIs only.

Each returns a :class:`~simulator.lab.checks.CheckResult` and never raises on a wrong answer.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError, ParamValidationError

from simulator.lab.checks import CheckResult, client_error
from simulator.lab.trail import EXPIRY_PATTERN

if TYPE_CHECKING:
    from typing import Any

    from simulator import Cloud


def check_session_issuer(cloud: Cloud, key_arn: str, answer: str | None) -> CheckResult:
    """Exercise: the IAM role whose session called Encrypt with ``key_arn`` (its role ARN)."""
    result = CheckResult("Who encrypted with the key")
    sessions = [
        r
        for r in cloud.trail.records
        if r["eventName"] == "Encrypt"
        and any(res.get("ARN") == key_arn for res in r.get("resources") or [])
        and r["userIdentity"].get("type") == "AssumedRole"
    ]
    if not result.expect(
        bool(sessions),
        "the trail has an Encrypt by a role session",
        "no role session called Encrypt with this key",
    ):
        return result
    identity = sessions[-1]["userIdentity"]
    role_arn = identity["sessionContext"]["sessionIssuer"]["arn"]
    if answer == identity["arn"]:
        result.expect(
            False,
            "",
            "that is the session's ARN (userIdentity.arn, sts namespace); "
            "the role is userIdentity.sessionContext.sessionIssuer.arn",
        )
        return result
    result.expect(
        answer == role_arn,
        f"the role is {role_arn}",
        f"{answer!r} is not the role behind the session",
    )
    return result


def check_expiry_alarm(events: Any, sns: Any, rule: str, address: str) -> CheckResult:
    """Exercise: rule ``rule`` mails ``address`` through SNS for ACM expiry warnings."""
    result = CheckResult("Expiry alarm")
    try:
        pattern = events.describe_rule(Name=rule).get("EventPattern", "")
    except (ClientError, ParamValidationError) as exc:
        result.expect(False, "", f"rule {rule!r}: {client_error(exc)[0]}")
        return result
    sample = {
        "version": "0",
        "id": "1",
        "detail-type": EXPIRY_PATTERN["detail-type"][0],
        "source": "aws.acm",
        "account": "111122223333",
        "time": "2026-01-01T00:00:00Z",
        "region": "eu-west-1",
        "resources": [],
        "detail": {"DaysToExpiry": 45},
    }
    other = dict(sample, **{"detail-type": "ACM Certificate Expired"})
    matches = events.test_event_pattern(EventPattern=pattern, Event=json.dumps(sample))["Result"]
    result.expect(
        matches,
        "the rule matches ACM Certificate Approaching Expiration",
        "the rule does not match an ACM Certificate Approaching Expiration event",
    )
    too_wide = events.test_event_pattern(EventPattern=pattern, Event=json.dumps(other))["Result"]
    result.expect(
        not too_wide,
        "and only that detail-type",
        "the rule also matches other ACM events: name the detail-type",
    )
    topics = [
        t["Arn"] for t in events.list_targets_by_rule(Rule=rule)["Targets"] if ":sns:" in t["Arn"]
    ]
    if not result.expect(bool(topics), "its target is an SNS topic", "no SNS topic target"):
        return result
    topic = topics[0]
    policy = sns.get_topic_attributes(TopicArn=topic)["Attributes"].get("Policy", "{}")
    allowed = any(
        s.get("Effect") == "Allow"
        and "events.amazonaws.com" in json.dumps(s.get("Principal"))
        and "sns:Publish" in json.dumps(s.get("Action"))
        for s in json.loads(policy).get("Statement", [])
    )
    result.expect(
        allowed,
        "the topic policy lets events.amazonaws.com publish",
        "the topic policy does not allow events.amazonaws.com to sns:Publish",
    )
    subs = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    confirmed = [
        s
        for s in subs
        if s["Protocol"] == "email"
        and s["Endpoint"] == address
        and s["SubscriptionArn"].startswith("arn:")
    ]
    result.expect(
        bool(confirmed),
        f"{address} has a confirmed email subscription",
        f"no confirmed email subscription for {address}",
    )
    return result


def check_certificate_retired(acm: Any, elbv2: Any, cert_arn: str) -> CheckResult:
    """Exercise: the certificate is deleted and no listener refers to it any more."""
    result = CheckResult("Retire the certificate")
    still_used = [
        listener["ListenerArn"]
        for lb in elbv2.describe_load_balancers()["LoadBalancers"]
        for listener in elbv2.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]
        if any(c.get("CertificateArn") == cert_arn for c in listener.get("Certificates", []))
    ]
    result.expect(
        not still_used,
        "no listener uses the certificate",
        f"still on {len(still_used)} listener(s): remove it there first",
    )
    try:
        acm.describe_certificate(CertificateArn=cert_arn)
    except (ClientError, ParamValidationError) as exc:
        code = client_error(exc)[0]
        result.expect(
            code == "ResourceNotFoundException",
            "the certificate is deleted",
            f"DescribeCertificate answered {code}",
        )
    else:
        result.expect(False, "", "the certificate still exists: call DeleteCertificate")
    return result
