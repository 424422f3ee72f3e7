"""SNS handlers (minimal): topics, e-mail / email-json / Lambda subscriptions, Publish, and
SNS as an EventBridge rule target.

Facts (SNS API reference): topic names are 1-256 ASCII letters, digits, ``_`` and ``-``
(CreateTopic); CreateTopic is idempotent for an existing name, and refuses the same name with
other attributes; DeleteTopic of a topic that does not exist is not an error; e-mail
subscriptions stay "PendingConfirmation" until the link in the confirmation mail is followed
or ConfirmSubscription is called with its token; Subscribe answers "pending confirmation"
unless ReturnSubscriptionArn is true; Publish messages are at most 256 KB and Subject must be
ASCII, without line breaks, under 100 characters. EventBridge may only publish to a topic whose
access policy allows ``events.amazonaws.com`` (EventBridge user guide, "Amazon SNS
permissions"); the default topic policy does not, so such deliveries fail with the reason.

Not simulated (NotSimulatedException): FIFO topics, SMS / phone numbers, protocols other than
email, email-json and lambda, platform endpoints (TargetArn). Wordings marked [U] in comments
are unconfirmed.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from simulator.core.context import RequestContext
from simulator.core.errors import NotSimulatedException
from simulator.core.events import Delivery, TargetDeliveryError
from simulator.core.persist import from_json, to_json
from simulator.protocol.registry import operation
from simulator.services.base import Service, ServiceEnv
from simulator.services.sns import delivery as fmt
from simulator.services.sns.errors import InvalidParameterException, NotFoundException
from simulator.services.sns.model import (
    DeliveryRecord,
    DeliveryStatus,
    SnsState,
    Subscription,
    SubscriptionStatus,
    Topic,
)
from simulator.services.sns.policy import allows_service_publish, default_policy

PAGE = 100  # ListTopics / ListSubscriptions: "returns a limited list ... up to 100"
MAX_MESSAGE_BYTES = 256 * 1024
MAX_SUBJECT = 100
DELIVERY_LOG_LIMIT = 10_000
_NAME = re.compile(r"[A-Za-z0-9_-]{1,256}")
_TOPIC_ARN = re.compile(r"arn:aws[\w-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]{1,256})")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_LAMBDA_ARN = re.compile(r"arn:aws[\w-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+(:[\w$-]+)?")
TOPIC_ATTRIBUTES = frozenset(
    {
        "DeliveryPolicy",
        "DisplayName",
        "Policy",
        "SignatureVersion",
        "TracingConfig",
        "KmsMasterKeyId",
        "ArchivePolicy",
        "FifoTopic",
        "ContentBasedDeduplication",
        "FifoThroughputScope",
    }
)
SIMULATED_PROTOCOLS = ("email", "email-json", "lambda")
AWS_PROTOCOLS = (
    "http",
    "https",
    "email",
    "email-json",
    "sms",
    "sqs",
    "application",
    "lambda",
    "firehose",
)
ATTRIBUTE_TYPES = ("String", "Number", "Binary", "String.Array")
PENDING = "pending confirmation"  # Subscribe's answer without ReturnSubscriptionArn
EFFECTIVE_DELIVERY_POLICY = {
    "http": {
        "defaultHealthyRetryPolicy": {
            "minDelayTarget": 20,
            "maxDelayTarget": 20,
            "numRetries": 3,
            "numMaxDelayRetries": 0,
            "numNoDelayRetries": 0,
            "numMinDelayRetries": 0,
            "backoffFunction": "linear",
        },
        "disableSubscriptionOverrides": False,
        "defaultRequestPolicy": {"headerContentType": "text/plain; charset=UTF-8"},
    }
}
CONFIRM_ACTION = "sns.confirm_subscription"
UNSUBSCRIBE_ACTION = "sns.unsubscribe"


def topic_resource(svc: Any, ctx: RequestContext, p: dict[str, Any]) -> str:
    arn = p.get("TopicArn")
    if isinstance(arn, str) and arn:
        return arn
    return f"arn:aws:sns:{ctx.region}:{ctx.account_id}:{p.get('Name') or '*'}"


def _page(items: list[Any], p: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    raw = p.get("NextToken")
    start = 0
    if raw is not None:
        if not raw.isdigit():
            raise InvalidParameterException("Invalid parameter: NextToken")  # [U]
        start = int(raw)
    extra: dict[str, Any] = {}
    if start + PAGE < len(items):
        extra["NextToken"] = str(start + PAGE)
    return items[start : start + PAGE], extra


class SnsService(Service):
    service_name = "sns"

    def __init__(self, env: ServiceEnv) -> None:
        super().__init__(env)
        self.st = SnsState()
        self.deliveries: list[DeliveryRecord] = []
        self._lambda: fmt.LambdaHandler | None = None
        env.mail.register_action(CONFIRM_ACTION, self._follow_confirm)
        env.mail.register_action(UNSUBSCRIBE_ACTION, self._follow_unsubscribe)
        env.events.register_target("sns", self._from_eventbridge)

    def __repr__(self) -> str:
        return f"<SnsService {len(self.st.topics)} topics, {len(self.st.subscriptions)} subs>"

    def dump(self) -> Any:
        return {"state": to_json(self.st), "deliveries": [to_json(d) for d in self.deliveries]}

    def restore(self, data: Any) -> None:
        self.st = from_json(SnsState, data["state"])
        self.deliveries = [from_json(DeliveryRecord, raw) for raw in data["deliveries"]]

    def register_lambda(self, handler: fmt.LambdaHandler) -> None:
        """The Lambda seam: who runs functions subscribed to topics (none until Lambda is)."""
        self._lambda = handler

    # -- lookups --------------------------------------------------------------------------
    def topic(self, ctx: RequestContext, arn: str) -> Topic:
        m = _TOPIC_ARN.fullmatch(arn)
        if m is None or m.group(1) != ctx.region:
            raise InvalidParameterException("Invalid parameter: TopicArn")
        found = self.st.topics.get(arn)
        if found is None:
            raise NotFoundException("Topic does not exist")
        return found

    def subs_of(self, topic_arn: str) -> list[Subscription]:
        return [s for s in self.st.subscriptions.values() if s.topic_arn == topic_arn]

    # -- topics ---------------------------------------------------------------------------
    @operation("CreateTopic", resource=topic_resource)
    def create_topic(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        name = p["Name"]
        attributes: dict[str, str] = dict(p.get("Attributes") or {})
        if not _NAME.fullmatch(name):
            if name.endswith(".fifo"):
                raise NotSimulatedException("SNS FIFO topics are not simulated by Secrets Lab.")
            raise InvalidParameterException("Invalid parameter: Topic Name")
        for key, value in attributes.items():
            if key not in TOPIC_ATTRIBUTES:
                raise InvalidParameterException("Invalid parameter: AttributeName")
            if key == "FifoTopic" and value.lower() == "true":
                raise NotSimulatedException("SNS FIFO topics are not simulated by Secrets Lab.")
            if key in ("Policy", "DeliveryPolicy"):
                try:
                    parsed = json.loads(value)
                except ValueError:
                    parsed = None
                if not isinstance(parsed, dict):
                    raise InvalidParameterException(f"Invalid parameter: {key}")  # [U] details
        if "DataProtectionPolicy" in p:
            raise NotSimulatedException("SNS data protection policies are not simulated.")
        tags = {t["Key"]: t["Value"] for t in p.get("Tags") or [] if "Key" in t}
        arn = f"arn:aws:sns:{ctx.region}:{ctx.account_id}:{name}"
        existing = self.st.topics.get(arn)
        if existing is not None:
            # Idempotent for the same name; other attributes are refused (API_CreateTopic).
            if attributes and attributes != existing.attributes:
                raise InvalidParameterException(
                    "Invalid parameter: Attributes Reason: Topic already exists with "
                    "different attributes"
                )
            return {"TopicArn": arn}
        self.st.topics[arn] = Topic(
            name, arn, ctx.account_id, ctx.region, self.env.clock.now(), attributes, tags
        )
        return {"TopicArn": arn}

    @operation("ListTopics", read_only=True)
    def list_topics(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        arns = sorted(
            t.arn
            for t in self.st.topics.values()
            if t.account_id == ctx.account_id and t.region == ctx.region
        )
        chunk, extra = _page(arns, p)
        return {"Topics": [{"TopicArn": a} for a in chunk], **extra}

    @operation("GetTopicAttributes", read_only=True, resource=topic_resource)
    def get_topic_attributes(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        topic = self.topic(ctx, p["TopicArn"])
        subs = self.subs_of(topic.arn)
        confirmed = sum(s.status is SubscriptionStatus.CONFIRMED for s in subs)
        attrs = {
            "Policy": default_policy(topic.arn, topic.account_id),
            "DisplayName": "",
            "EffectiveDeliveryPolicy": json.dumps(EFFECTIVE_DELIVERY_POLICY),
            **topic.attributes,
            "Owner": topic.account_id,
            "TopicArn": topic.arn,
            "SubscriptionsConfirmed": str(confirmed),
            "SubscriptionsPending": str(len(subs) - confirmed),
            "SubscriptionsDeleted": str(topic.subscriptions_deleted),
        }
        return {"Attributes": attrs}

    @operation("DeleteTopic", resource=topic_resource)
    def delete_topic(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        arn = p["TopicArn"]
        try:
            topic = self.topic(ctx, arn)
        except NotFoundException:
            return {}  # "deleting a topic that does not exist does not result in an error"
        for sub in self.subs_of(topic.arn):
            del self.st.subscriptions[sub.arn]
        del self.st.topics[topic.arn]
        return {}

    # -- subscriptions --------------------------------------------------------------------
    @operation("Subscribe", resource=topic_resource)
    def subscribe(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        topic = self.topic(ctx, p["TopicArn"])
        protocol = p["Protocol"]
        endpoint = p.get("Endpoint") or ""
        if protocol not in AWS_PROTOCOLS:
            raise InvalidParameterException(
                f"Invalid parameter: Amazon SNS does not support this protocol string: {protocol}"
            )  # [U] wording
        if protocol not in SIMULATED_PROTOCOLS:
            raise NotSimulatedException(
                f"SNS {protocol} subscriptions are not simulated by Secrets Lab (email, "
                "email-json and lambda are)."
            )
        if p.get("Attributes"):
            raise NotSimulatedException("SNS subscription attributes are not simulated.")
        if protocol == "lambda":
            if not _LAMBDA_ARN.fullmatch(endpoint):
                raise InvalidParameterException("Invalid parameter: Lambda endpoint ARN")  # [U]
        elif not _EMAIL.fullmatch(endpoint):
            raise InvalidParameterException("Invalid parameter: Email address")  # [U]
        want_arn = bool(p.get("ReturnSubscriptionArn"))
        for sub in self.subs_of(topic.arn):
            if sub.protocol == protocol and sub.endpoint == endpoint:
                if sub.status is SubscriptionStatus.PENDING:
                    self._send_confirmation(topic, sub)  # AWS mails the link again [U]
                    return {"SubscriptionArn": sub.arn if want_arn else PENDING}
                return {"SubscriptionArn": sub.arn}
        arn = f"{topic.arn}:{self.env.ids.uuid()}"
        if protocol == "lambda":
            sub = Subscription(
                arn, topic.arn, protocol, endpoint, ctx.account_id, SubscriptionStatus.CONFIRMED
            )
            self.st.subscriptions[arn] = sub
            return {"SubscriptionArn": arn}
        sub = Subscription(
            arn,
            topic.arn,
            protocol,
            endpoint,
            ctx.account_id,
            SubscriptionStatus.PENDING,
            self.env.ids.hex(64),
        )
        self.st.subscriptions[arn] = sub
        self._send_confirmation(topic, sub)
        return {"SubscriptionArn": arn if want_arn else PENDING}

    def _send_confirmation(self, topic: Topic, sub: Subscription) -> None:
        self.env.mail.send(
            sender=fmt.sender(topic.attributes.get("DisplayName", "")),
            to=sub.endpoint,
            subject=fmt.CONFIRM_SUBJECT,
            body=fmt.confirmation_body(topic.arn),
            links=[
                (
                    "Confirm subscription",
                    CONFIRM_ACTION,
                    {"topic_arn": topic.arn, "token": sub.token},
                )
            ],
        )

    def confirm(self, topic_arn: str, token: str) -> Subscription:
        for sub in self.subs_of(topic_arn):
            if sub.token is not None and sub.token == token:
                sub.status = SubscriptionStatus.CONFIRMED
                return sub
        raise InvalidParameterException("Invalid token")  # [U] wording

    @operation("ConfirmSubscription", resource=topic_resource)
    def confirm_subscription(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        topic = self.topic(ctx, p["TopicArn"])
        if p.get("AuthenticateOnUnsubscribe") not in (None, "false", "False"):
            raise NotSimulatedException("AuthenticateOnUnsubscribe is not simulated.")
        return {"SubscriptionArn": self.confirm(topic.arn, p["Token"]).arn}

    def _follow_confirm(self, args: dict[str, Any]) -> str:
        if args.get("topic_arn") not in self.st.topics:
            return "Error: the topic of this subscription no longer exists."  # [U]
        try:
            sub = self.confirm(str(args.get("topic_arn")), str(args.get("token")))
        except InvalidParameterException:
            return "Error: this confirmation link is no longer valid."  # [U]
        return (
            "Subscription confirmed! You have successfully subscribed. Your subscription's id "
            f"is: {sub.arn}"
        )

    def _follow_unsubscribe(self, args: dict[str, Any]) -> str:
        arn = str(args.get("subscription_arn"))
        if self._remove(arn) is None:
            return "Error: this subscription no longer exists."  # [U]
        return "Subscription removed! Your subscription to the topic has been deleted."

    def _remove(self, arn: str) -> Subscription | None:
        sub = self.st.subscriptions.pop(arn, None)
        if sub is not None and sub.topic_arn in self.st.topics:
            self.st.topics[sub.topic_arn].subscriptions_deleted += 1
        return sub

    @staticmethod
    def _wire(sub: Subscription) -> dict[str, Any]:
        pending = sub.status is SubscriptionStatus.PENDING
        return {
            "SubscriptionArn": "PendingConfirmation" if pending else sub.arn,
            "Owner": sub.owner,
            "Protocol": sub.protocol,
            "Endpoint": sub.endpoint,
            "TopicArn": sub.topic_arn,
        }

    @operation("ListSubscriptions", read_only=True)
    def list_subscriptions(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        subs = [
            s
            for s in self.st.subscriptions.values()
            if (t := self.st.topics.get(s.topic_arn)) is not None
            and t.account_id == ctx.account_id
            and t.region == ctx.region
        ]
        chunk, extra = _page(subs, p)
        return {"Subscriptions": [self._wire(s) for s in chunk], **extra}

    @operation("ListSubscriptionsByTopic", read_only=True, resource=topic_resource)
    def list_subscriptions_by_topic(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        topic = self.topic(ctx, p["TopicArn"])
        chunk, extra = _page(self.subs_of(topic.arn), p)
        return {"Subscriptions": [self._wire(s) for s in chunk], **extra}

    @operation("Unsubscribe")
    def unsubscribe(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        arn = p["SubscriptionArn"]
        topic_arn, _, sub_id = arn.rpartition(":")
        if not sub_id or _TOPIC_ARN.fullmatch(topic_arn) is None:
            raise InvalidParameterException("Invalid parameter: SubscriptionArn")
        if self._remove(arn) is None:
            raise NotFoundException("Subscription does not exist")  # [U]
        return {}

    # -- publishing -----------------------------------------------------------------------
    @operation("Publish", resource=topic_resource)
    def publish(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        if p.get("PhoneNumber") is not None or p.get("TargetArn") is not None:
            raise NotSimulatedException(
                "SNS Publish to a phone number or platform endpoint (TargetArn) is not "
                "simulated by Secrets Lab; publish to a TopicArn."
            )
        if p.get("TopicArn") is None:
            raise InvalidParameterException(
                "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter"
            )  # [U]
        topic = self.topic(ctx, p["TopicArn"])
        message, subject = p["Message"], p.get("Subject")
        if p.get("MessageGroupId") is not None or p.get("MessageDeduplicationId") is not None:
            raise InvalidParameterException(
                "Invalid parameter: The request includes MessageGroupId parameter that is not "
                "valid for this topic type"
            )  # [U]
        if message == "":
            raise InvalidParameterException("Invalid parameter: Empty message")
        if len(message.encode()) > MAX_MESSAGE_BYTES:
            raise InvalidParameterException("Invalid parameter: Message too long")
        if subject is not None and not _valid_subject(subject):
            raise InvalidParameterException("Invalid parameter: Subject")
        per_protocol = self._structure(message, p.get("MessageStructure"))
        attributes = _attributes(p.get("MessageAttributes") or {})
        note = fmt.Notification(
            self.env.ids.uuid(),
            topic.arn,
            topic.region,
            message,
            subject,
            attributes,
            self.env.clock.now(),
        )
        self.notify(topic, note, per_protocol)
        return {"MessageId": note.message_id}

    @staticmethod
    def _structure(message: str, structure: str | None) -> dict[str, str]:
        if structure is None:
            return {}
        if structure != "json":
            raise InvalidParameterException("Invalid parameter: MessageStructure")  # [U]
        try:
            doc = json.loads(message)
        except ValueError:
            doc = None
        if not isinstance(doc, dict) or not all(isinstance(v, str) for v in doc.values()):
            raise InvalidParameterException(
                "Invalid parameter: Message Structure - JSON message body failed to parse"
            )
        if "default" not in doc:
            raise InvalidParameterException(
                "Invalid parameter: Message Structure - No default entry in JSON message body"
            )
        return {str(k): v for k, v in doc.items()}

    def notify(self, topic: Topic, note: fmt.Notification, per_protocol: dict[str, str]) -> None:
        """Deliver one published message to every confirmed subscription of ``topic``."""
        for sub in self.subs_of(topic.arn):
            if sub.status is not SubscriptionStatus.CONFIRMED:
                continue
            text = per_protocol.get(sub.protocol, per_protocol.get("default", note.message))
            this = fmt.Notification(
                note.message_id,
                note.topic_arn,
                note.region,
                text,
                note.subject,
                note.attributes,
                note.time,
            )
            self._deliver(topic, sub, this)

    def _deliver(self, topic: Topic, sub: Subscription, note: fmt.Notification) -> None:
        status, reason = DeliveryStatus.SUCCEEDED, None
        payload: Any = None
        if sub.protocol in ("email", "email-json"):
            plain = sub.protocol == "email"
            body = (fmt.email_body if plain else fmt.email_json_body)(note, sub.arn, sub.endpoint)
            payload = body
            self.env.mail.send(
                sender=fmt.sender(topic.attributes.get("DisplayName", "")),
                to=sub.endpoint,
                subject=note.subject or fmt.DEFAULT_SUBJECT,
                body=body,
                links=[("Unsubscribe", UNSUBSCRIBE_ACTION, {"subscription_arn": sub.arn})],
            )
        else:
            event = fmt.lambda_event(note, sub.arn)
            payload = event
            if self._lambda is None:
                status = DeliveryStatus.FAILED
                reason = (
                    "Lambda is not simulated in this Cloud yet (no Lambda handler is "
                    f"registered with SNS), so {sub.endpoint} was not invoked."
                )
            else:
                try:
                    self._lambda(fmt.LambdaDelivery(sub.endpoint, sub.arn, event))
                except TargetDeliveryError as exc:
                    status, reason = DeliveryStatus.FAILED, str(exc)
        self.deliveries.append(
            DeliveryRecord(
                self.env.clock.now(),
                topic.arn,
                sub.arn,
                sub.protocol,
                sub.endpoint,
                note.message_id,
                status,
                reason,
                payload,
            )
        )
        if len(self.deliveries) > 2 * DELIVERY_LOG_LIMIT:
            del self.deliveries[:-DELIVERY_LOG_LIMIT]

    # -- EventBridge target ---------------------------------------------------------------
    def _from_eventbridge(self, delivery: Delivery) -> None:
        topic = self.st.topics.get(delivery.target_arn)
        if topic is None or topic.region != delivery.region:
            raise TargetDeliveryError(f"SNS topic {delivery.target_arn} does not exist.")
        policy = topic.attributes.get("Policy", default_policy(topic.arn, topic.account_id))
        if not allows_service_publish(policy, "events.amazonaws.com"):
            raise TargetDeliveryError(
                f"The access policy of SNS topic {topic.arn} does not allow "
                "events.amazonaws.com to sns:Publish, so EventBridge could not publish to it "
                "(EventBridge user guide, 'Amazon SNS permissions')."
            )
        payload = delivery.payload
        message = payload if isinstance(payload, str) else json.dumps(payload)
        note = fmt.Notification(
            self.env.ids.uuid(), topic.arn, topic.region, message, None, {}, self.env.clock.now()
        )
        self.notify(topic, note, {})


def _valid_subject(subject: str) -> bool:
    # "ASCII text that begins with a letter, number, or punctuation mark; must not include line
    # breaks or control characters; and must be less than 100 characters long" (API_Publish).
    if not subject or len(subject) >= MAX_SUBJECT or not subject.isascii():
        return False
    if any(ord(c) < 32 or ord(c) == 127 for c in subject):
        return False
    return not subject[0].isspace()


def _attributes(raw: dict[str, Any]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name, value in raw.items():
        data_type = str(value.get("DataType", "")) if isinstance(value, dict) else ""
        base = data_type.split(".", 1)[0] if data_type != "String.Array" else data_type
        if base not in ATTRIBUTE_TYPES:
            raise InvalidParameterException(
                f"Invalid parameter: MessageAttributes Reason: The message attribute '{name}' "
                f"has an invalid message attribute type, the set of supported type prefixes is "
                "Binary, Number, and String."
            )  # [U]
        if base == "Binary":
            blob = value.get("BinaryValue")
            if not isinstance(blob, bytes) or not blob:
                raise InvalidParameterException(
                    f"Invalid parameter: MessageAttributes Reason: The message attribute "
                    f"'{name}' must contain non-empty message attribute value for message "
                    f"attribute type '{data_type}'."
                )  # [U]
            out[name] = {"Type": data_type, "Value": base64.b64encode(blob).decode()}
            continue
        text = value.get("StringValue")
        if not isinstance(text, str) or not text:
            raise InvalidParameterException(
                f"Invalid parameter: MessageAttributes Reason: The message attribute '{name}' "
                f"must contain non-empty message attribute value for message attribute type "
                f"'{data_type}'."
            )  # [U]
        out[name] = {"Type": data_type, "Value": text}
    return out
