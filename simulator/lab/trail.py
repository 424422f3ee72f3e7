"""Who did what: CloudTrail identities as tables, a three-identity scenario, and the life of a
certificate as a picture, for notebook 04.

Owns reading ``userIdentity`` (CloudTrail user guide, "CloudTrail userIdentity element"): the
identity type, the principal's ARN, the name LookupEvents reports as ``Username``, the role
behind a session (``sessionContext.sessionIssuer``) and the service that acted for the
identity (``invokedBy``). :class:`IdentityLab` makes one call as three kinds of identity (the
account's administrator, an assumed-role session, a Lambda function's execution role) and
returns the record each one left; :func:`identity_widget` is its ipywidgets front end.
:func:`plot_certificate_life` draws an ACM certificate from import to deletion. The
exercise checks live in ``trail_checks.py`` and are re-exported here.

pandas, matplotlib and ipywidgets are imported inside the functions that need them.
"""

from __future__ import annotations

import datetime as _dt
import html
import io
import json
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas
    from matplotlib.figure import Figure

    from simulator import Cloud

IDENTITY_COLUMNS = [
    "eventTime",
    "eventSource",
    "eventName",
    "identityType",
    "userName",
    "sessionIssuer",
    "invokedBy",
    "resources",
    "outcome",
]
LOOKUP_COLUMNS = [
    "EventTime",
    "EventName",
    "Username",
    "identityType",
    "sessionIssuer",
    "invokedBy",
    "Resources",
]

#: The approaching-expiration event ACM sends to EventBridge (ACM user guide, supported-events).
EXPIRY_PATTERN = {"source": ["aws.acm"], "detail-type": ["ACM Certificate Approaching Expiration"]}


# -- reading userIdentity -----------------------------------------------------------------------
def session_name(identity: Mapping[str, Any]) -> str | None:
    """The user name CloudTrail shows: an IAM user's name, or an assumed role's session name."""
    if identity.get("userName"):
        return str(identity["userName"])
    arn = str(identity.get("arn") or "")
    if identity.get("type") == "AssumedRole" and "/" in arn:
        return arn.rsplit("/", 1)[1]
    return None


def identity_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    """The identity of one CloudTrail record, flattened into the columns a table shows."""
    ident = record.get("userIdentity") or {}
    issuer = (ident.get("sessionContext") or {}).get("sessionIssuer") or {}
    resources = record.get("resources") or []
    return {
        "identityType": ident.get("type"),
        "arn": ident.get("arn"),
        "userName": session_name(ident),
        "sessionIssuer": issuer.get("userName"),
        "sessionIssuerArn": issuer.get("arn"),
        "invokedBy": ident.get("invokedBy"),
        "accessKeyId": ident.get("accessKeyId"),
        "resources": ", ".join(str(r.get("ARN", "")) for r in resources),
    }


def _records(source: Any) -> list[dict[str, Any]]:
    trail = getattr(source, "trail", source)
    return list(getattr(trail, "records", trail))


def identity_frame(source: Any, *, event_source: str | None = None) -> pandas.DataFrame:
    """One row per record of a Cloud's trail (or a list of records), with identity columns.

    ``outcome`` is ``"OK"`` or the AWS error code. ``event_source`` keeps one service's records
    (``"kms.amazonaws.com"``).
    """
    import pandas

    rows = []
    for record in _records(source):
        if event_source is not None and record.get("eventSource") != event_source:
            continue
        fields = identity_fields(record)
        rows.append(
            {
                "eventTime": pandas.Timestamp(record["eventTime"]),
                "eventSource": record["eventSource"],
                "eventName": record["eventName"],
                "identityType": fields["identityType"],
                "userName": fields["userName"],
                "sessionIssuer": fields["sessionIssuer"] or "",
                "invokedBy": fields["invokedBy"] or "",
                "resources": fields["resources"],
                "outcome": record.get("errorCode") or "OK",
            }
        )
    return pandas.DataFrame(rows, columns=IDENTITY_COLUMNS)


def lookup_frame(cloudtrail: Any, key: str, value: str) -> pandas.DataFrame:
    """CloudTrail LookupEvents with one lookup attribute, newest first, as a table.

    Uses only the public API (the ``lookup_events`` paginator), so it reads a real account the
    same way; the identity columns come from each event's ``CloudTrailEvent`` JSON.
    """
    import pandas

    rows = []
    attributes = [{"AttributeKey": key, "AttributeValue": value}]
    for page in cloudtrail.get_paginator("lookup_events").paginate(LookupAttributes=attributes):
        for event in page["Events"]:
            fields = identity_fields(json.loads(event["CloudTrailEvent"]))
            rows.append(
                {
                    "EventTime": event["EventTime"],
                    "EventName": event["EventName"],
                    "Username": event.get("Username"),
                    "identityType": fields["identityType"],
                    "sessionIssuer": fields["sessionIssuer"] or "",
                    "invokedBy": fields["invokedBy"] or "",
                    "Resources": ", ".join(
                        r.get("ResourceName", "") for r in event.get("Resources", [])
                    ),
                }
            )
    return pandas.DataFrame(rows, columns=LOOKUP_COLUMNS)


# -- a service acting for the administrator -----------------------------------------------------
def stand_in_service_call(
    cloud: Cloud,
    invoked_by: str,
    service: str,
    operation: str,
    params: dict[str, Any],
    *,
    region: str = "us-east-1",
) -> Any:
    """The simulator making the request an AWS service would make for the administrator.

    A teaching stand-in for an integrated service that is not simulated yet (Secrets Manager
    asking KMS for a data key): the request runs through the simulator's own
    ``call_on_behalf`` hook, which validates, authorizes and audits it like any other, with
    the administrator in ``userIdentity`` and ``invoked_by`` in ``invokedBy``.
    """
    from simulator.core.context import RequestContext

    call = cloud._env.call_on_behalf
    if call is None:  # pragma: no cover - every Cloud sets it
        raise RuntimeError("this Cloud has no call_on_behalf hook")
    admin = cloud.default_account.administrator
    caller = RequestContext(
        invoked_by.split(".", 1)[0],
        operation,
        admin.account_id,
        region,
        admin,
        cloud.ids.uuid(),
        cloud.clock.now(),
    )
    return call(caller, invoked_by, service, operation, params, region=region)


# -- one call, three identities -----------------------------------------------------------------
ADMIN, ROLE_SESSION, FUNCTION = "administrator (IAM user)", "role session", "Lambda function"
IDENTITIES = (ADMIN, ROLE_SESSION, FUNCTION)

#: The calls the scenario offers: label -> (service, boto3 method, parameters, eventName).
CALLS: dict[str, tuple[str, str, dict[str, Any], str]] = {
    "sts GetCallerIdentity": ("sts", "get_caller_identity", {}, "GetCallerIdentity"),
    "kms ListKeys": ("kms", "list_keys", {}, "ListKeys"),
    "kms GenerateRandom": ("kms", "generate_random", {"NumberOfBytes": 16}, "GenerateRandom"),
}

_CALLER_CODE = """
import boto3


def handler(event, context):
    client = boto3.client(event["service"])
    getattr(client, event["method"])(**event["params"])
    return {"called": event["method"]}
"""


def _trust(*principals: Mapping[str, str]) -> str:
    statements = [
        {"Effect": "Allow", "Principal": dict(p), "Action": "sts:AssumeRole"} for p in principals
    ]
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def _zip(source: str, name: str = "app.py") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, source)
    return buffer.getvalue()


class IdentityLab:
    """Make one call as the administrator, as a role session, or as a Lambda function.

    Creates (once) a role ``role_name`` that the account and Lambda may assume, with an inline
    policy allowing the calls in :data:`CALLS`, a session of it named ``session_name``, and a
    function ``function_name`` whose execution role it is and whose handler makes the call it
    is given. :meth:`call_as` returns the CloudTrail record the call left.
    """

    def __init__(
        self,
        cloud: Cloud,
        region: str = "eu-west-1",
        *,
        role_name: str = "lab-role",
        session_name: str = "lab-session",
        function_name: str = "lab-function",
    ) -> None:
        self.cloud, self.region = cloud, region
        self.session_name, self.function_name = session_name, function_name
        iam = cloud.client("iam")
        account = cloud.default_account.account_id
        self.role_arn: str = iam.create_role(
            RoleName=role_name,
            AssumeRolePolicyDocument=_trust(
                {"AWS": f"arn:aws:iam::{account}:root"}, {"Service": "lambda.amazonaws.com"}
            ),
        )["Role"]["Arn"]
        actions = sorted({f"{svc}:{event}" for svc, _, _, event in CALLS.values()})
        iam.put_role_policy(
            RoleName=role_name,
            PolicyName="identity-lab-calls",
            PolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}],
                }
            ),
        )
        sts = cloud.client("sts", region_name=region)
        creds = sts.assume_role(RoleArn=self.role_arn, RoleSessionName=session_name)["Credentials"]
        self._session_keys = {
            "aws_access_key_id": creds["AccessKeyId"],
            "aws_secret_access_key": creds["SecretAccessKey"],
            "aws_session_token": creds["SessionToken"],
        }
        cloud.client("lambda", region_name=region).create_function(
            FunctionName=function_name,
            Runtime="python3.12",
            Role=self.role_arn,
            Handler="app.handler",
            Code={"ZipFile": _zip(_CALLER_CODE)},
        )

    def call_as(self, identity: str, call: str) -> dict[str, Any]:
        """Make ``call`` (a key of :data:`CALLS`) as ``identity``; the record it left."""
        service, method, params, event_name = CALLS[call]
        trail = self.cloud.trail
        before = len(trail)
        if identity == ADMIN:
            getattr(self.cloud.client(service, region_name=self.region), method)(**params)
        elif identity == ROLE_SESSION:
            client = self.cloud.client(service, region_name=self.region, **self._session_keys)
            getattr(client, method)(**params)
        elif identity == FUNCTION:
            event = {"service": service, "method": method, "params": params}
            out = self.cloud.client("lambda", region_name=self.region).invoke(
                FunctionName=self.function_name, Payload=json.dumps(event).encode()
            )
            if out.get("FunctionError"):
                raise RuntimeError(out["Payload"].read().decode())
        else:
            raise ValueError(f"unknown identity {identity!r}; pick one of {IDENTITIES}")
        made = [r for r in trail.records[before:] if r["eventName"] == event_name]
        return made[-1]


class IdentityView:
    """The widgets of one :class:`IdentityLab`: two dropdowns, a button and the record."""

    def __init__(self, lab: IdentityLab) -> None:
        import ipywidgets as w  # type: ignore[import-untyped, unused-ignore]

        self.lab = lab
        self.identity = w.Dropdown(options=list(IDENTITIES), description="Identity")
        self.call = w.Dropdown(options=list(CALLS), description="Call")
        self.button = w.Button(description="Make the call", button_style="primary")
        self.button.on_click(lambda _b: self.run())
        self.output = w.HTML("<p>Pick an identity and a call, then press <b>Make the call</b>.</p>")
        self.root = w.VBox([w.HBox([self.identity, self.call, self.button]), self.output])

    def run(self) -> dict[str, Any]:
        record = self.lab.call_as(self.identity.value, self.call.value)
        fields = identity_fields(record)
        rows = "".join(
            f"<tr><td>{html.escape(k)}</td><td><code>{html.escape(str(v))}</code></td></tr>"
            for k, v in fields.items()
            if v
        )
        raw = html.escape(json.dumps(record["userIdentity"], indent=2))
        self.output.value = (
            f"<p><b>{html.escape(record['eventName'])}</b> as "
            f"<b>{html.escape(self.identity.value)}</b></p><table>{rows}</table>"
            f'<pre>"userIdentity": {raw}</pre>'
        )
        return record


def identity_widget(lab: IdentityLab) -> Any:
    """An ipywidgets box for ``lab``; its ``identity_view`` attribute holds the widgets."""
    view = IdentityView(lab)
    view.root.identity_view = view
    return view.root


# -- a certificate's life -----------------------------------------------------------------------
@dataclass(frozen=True)
class Milestone:
    """One API call on the certificate or its listener, from the trail."""

    time: _dt.datetime
    name: str
    error: str | None


def certificate_milestones(cloud: Cloud, cert_arn: str) -> list[Milestone]:
    """The write calls that named the certificate, or a listener created with it, in order."""
    listeners: set[str] = set()
    out = []
    for record in cloud.trail.records:
        if record.get("readOnly"):
            continue
        text = json.dumps(
            [record.get("requestParameters"), record.get("responseElements")], default=str
        )
        if cert_arn in text:
            if record["eventName"] == "CreateListener":
                listeners.update(_listener_arns(record.get("responseElements")))
        elif not any(arn in text for arn in listeners):
            continue
        out.append(
            Milestone(_utc(record["eventTime"]), record["eventName"], record.get("errorCode"))
        )
    return out


def _utc(text: str) -> _dt.datetime:
    return _dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=_dt.UTC)


def _listener_arns(value: Any) -> Iterable[str]:
    text = json.dumps(value, default=str)
    for piece in text.split('"'):
        if ":listener/" in piece:
            yield piece


def expiry_warnings(cloud: Cloud, cert_arn: str) -> list[tuple[_dt.datetime, int]]:
    """(time, DaysToExpiry) of every approaching-expiration event ACM sent for the certificate."""
    kind = EXPIRY_PATTERN["detail-type"][0]
    return [
        (_utc(event["time"]), int(event["detail"]["DaysToExpiry"]))
        for event in cloud.events.history
        if event.get("detail-type") == kind and cert_arn in event.get("resources", [])
    ]


def plot_certificate_life(
    cloud: Cloud, cert_arn: str, not_after: _dt.datetime, *, title: str = "A certificate's life"
) -> Figure:
    """Status (ISSUED, then EXPIRED after NotAfter), use by a listener, expiry warnings and
    the calls on the certificate, over virtual time. Returned, not shown (closed at once).

    Artists carry gids for tests: ``status:ISSUED``, ``status:EXPIRED``, ``in use`` (bars),
    ``warnings``, ``calls`` and ``errors`` (scatters).
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    marks = certificate_milestones(cloud, cert_arn)
    warnings = expiry_warnings(cloud, cert_arn)
    fig, ax = plt.subplots(figsize=(10, 4.2))
    plt.close(fig)
    ax.set_title(title)
    if not marks:
        ax.text(0.5, 0.5, "No calls on this certificate yet.", ha="center", transform=ax.transAxes)
        return fig

    def num(t: _dt.datetime) -> float:
        return float(mdates.date2num(t.astimezone(_dt.UTC).replace(tzinfo=None)))  # type: ignore[no-untyped-call, unused-ignore]

    start = marks[0].time
    end = max([m.time for m in marks] + [t for t, _ in warnings] + [not_after])
    deleted = next((m.time for m in marks if m.name == "DeleteCertificate" and not m.error), end)
    rows = ["status", "in use", "expiry warnings", "API calls"]
    bars = [("status:ISSUED", start, min(not_after, deleted), 0, "tab:green")]
    if deleted > not_after:
        bars.append(("status:EXPIRED", not_after, deleted, 0, "tab:red"))
    opened = [m.time for m in marks if m.name == "CreateListener" and not m.error]
    closed = [m.time for m in marks if m.name == "DeleteListener" and not m.error]
    for i, t in enumerate(opened):
        bars.append(("in use", t, closed[i] if i < len(closed) else deleted, 1, "tab:blue"))
    for gid, a, b, y, colour in bars:
        patch = ax.barh(y, num(b) - num(a), left=num(a), height=0.5, color=colour, alpha=0.6)[0]
        patch.set_gid(gid)
        ax.annotate(
            gid.split(":")[-1], (num(a), y), xytext=(4, -3), textcoords="offset points", fontsize=8
        )
    if warnings:
        pts = ax.scatter(
            [num(t) for t, _ in warnings],
            [2] * len(warnings),
            marker="|",
            color="tab:orange",
            label=f"warnings ({len(warnings)})",
        )
        pts.set_gid("warnings")
        first, days = warnings[0]
        ax.annotate(
            f"{days} days left",
            (num(first), 2),
            xytext=(0, 8),
            textcoords="offset points",
            fontsize=8,
        )
    for gid, chosen, style in (
        ("calls", [m for m in marks if not m.error], {"marker": "o", "color": "tab:blue"}),
        ("errors", [m for m in marks if m.error], {"marker": "X", "color": "tab:red", "s": 80}),
    ):
        if chosen:
            pts = ax.scatter(
                [num(m.time) for m in chosen],
                [3] * len(chosen),
                zorder=3,
                label=f"{gid} ({len(chosen)})",
                **style,
            )
            pts.set_gid(gid)
    # Calls close in time get labels on different levels, alternating above and below.
    near = (num(end) - num(start)) / 12
    for nth, m in enumerate(marks):
        label = f"{m.name} ✗ {m.error}" if m.error else m.name
        level = sum(1 for p in marks[:nth] if num(m.time) - num(p.time) < near)
        ax.annotate(
            label,
            (num(m.time), 3),
            xytext=(4, (10, -16, 22, -28)[level % 4]),
            textcoords="offset points",
            fontsize=8,
            color="tab:red" if m.error else "black",
        )
    ax.axvline(num(not_after), color="tab:red", linestyle="--", linewidth=1)
    ax.set_yticks(range(len(rows)), rows)
    ax.set_ylim(len(rows) - 0.4, -0.6)
    ax.set_xlim(num(start) - 2, num(end) + 6)
    locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call, unused-ignore]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call, unused-ignore]
    ax.set_xlabel("virtual time (UTC); dashed line: NotAfter")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


# The exercise checks, re-exported so the notebook reads ``trail.check_...`` (import at the end:
# trail_checks reads EXPIRY_PATTERN from this module).
from simulator.lab.trail_checks import (  # noqa: E402
    check_certificate_retired as check_certificate_retired,
)
from simulator.lab.trail_checks import check_expiry_alarm as check_expiry_alarm  # noqa: E402
from simulator.lab.trail_checks import check_session_issuer as check_session_issuer  # noqa: E402
