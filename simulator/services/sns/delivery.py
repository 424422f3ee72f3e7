"""What SNS sends to endpoints: the e-mails (confirmation and notifications, ``email`` plain
text and ``email-json``) and the Lambda event, plus the seam Lambda deliveries go through.

Formats follow the SNS developer guide: the email-json and HTTP notification document
("HTTP/HTTPS notification JSON format": Type, MessageId, TopicArn, Subject, Message, Timestamp,
SignatureVersion, Signature, SigningCertURL, UnsubscribeURL, MessageAttributes) and the Lambda
event ("Records" with EventSource ``aws:sns`` and an ``Sns`` object). Signatures are not
computed (there is no SNS signing certificate offline); the field holds a placeholder.
The e-mail wording follows the mails AWS sends; the exact text is unconfirmed [U].
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

SENDER_ADDRESS = "no-reply@sns.amazonaws.com"
DEFAULT_SENDER_NAME = "AWS Notifications"
DEFAULT_SUBJECT = "AWS Notification Message"
CONFIRM_SUBJECT = "AWS Notification - Subscription Confirmation"
SIGNATURE_PLACEHOLDER = "NOT-SIGNED-BY-SECRETS-LAB"
FOOTER = (
    "Please do not reply directly to this email. If you have any questions or comments "
    "regarding this email, please contact us at https://aws.amazon.com/support"
)


@dataclass(frozen=True)
class Notification:
    """One published message, as the delivery formats need it."""

    message_id: str
    topic_arn: str
    region: str
    message: str
    subject: str | None
    attributes: dict[str, dict[str, str]]  # name -> {"Type": ..., "Value": ...}
    time: _dt.datetime


@dataclass(frozen=True)
class LambdaDelivery:
    """What a Lambda handler registered with SNS receives for one subscription."""

    function_arn: str
    subscription_arn: str
    event: dict[str, Any]


LambdaHandler = Callable[[LambdaDelivery], None]


def sender(display_name: str) -> str:
    return f"{display_name or DEFAULT_SENDER_NAME} <{SENDER_ADDRESS}>"


def timestamp(when: _dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def unsubscribe_url(region: str, subscription_arn: str, endpoint: str) -> str:
    return (
        f"https://sns.{region}.amazonaws.com/unsubscribe.html?SubscriptionArn="
        f"{quote(subscription_arn, safe='')}&Endpoint={quote(endpoint, safe='')}"
    )


def confirmation_body(topic_arn: str) -> str:
    return (
        f"You have chosen to subscribe to the topic: \n{topic_arn}\n\n"
        "To confirm this subscription, click or visit the link below (If this was in error "
        "no action is necessary): \nConfirm subscription\n\n" + FOOTER
    )


def email_body(note: Notification, subscription_arn: str, endpoint: str) -> str:
    return (
        f"{note.message}\n\n--\nIf you wish to stop receiving notifications from this topic, "
        "please click or visit the link below to unsubscribe:\n"
        f"{unsubscribe_url(note.region, subscription_arn, endpoint)}\n\n{FOOTER}"
    )


def json_document(note: Notification, subscription_arn: str, endpoint: str) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "Type": "Notification",
        "MessageId": note.message_id,
        "TopicArn": note.topic_arn,
    }
    if note.subject is not None:
        doc["Subject"] = note.subject
    doc.update(
        {
            "Message": note.message,
            "Timestamp": timestamp(note.time),
            "SignatureVersion": "1",
            "Signature": SIGNATURE_PLACEHOLDER,
            "SigningCertURL": f"https://sns.{note.region}.amazonaws.com/"
            "SimpleNotificationService-secrets-lab.pem",
            "UnsubscribeURL": unsubscribe_url(note.region, subscription_arn, endpoint),
        }
    )
    if note.attributes:
        doc["MessageAttributes"] = note.attributes
    return doc


def email_json_body(note: Notification, subscription_arn: str, endpoint: str) -> str:
    return json.dumps(json_document(note, subscription_arn, endpoint))


def lambda_event(note: Notification, subscription_arn: str) -> dict[str, Any]:
    sns = json_document(note, subscription_arn, subscription_arn)
    sns.setdefault("Subject", None)
    sns["MessageAttributes"] = note.attributes
    return {
        "Records": [
            {
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "EventSubscriptionArn": subscription_arn,
                "Sns": sns,
            }
        ]
    }
