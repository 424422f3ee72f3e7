"""AWS STS: GetCallerIdentity, AssumeRole and GetSessionToken on the virtual clock.

Facts (STS API reference; IAM quotas page; facts sheet X-EVAL):

- AssumeRole: DurationSeconds 900-43,200, default 3,600, at most the role's
  MaxSessionDuration ("The requested DurationSeconds exceeds the MaxSessionDuration set for
  this role.") and at most one hour when a role session assumes a role ("The requested
  DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
  knowledge-center/iam-role-chaining-limit); the trust decision is ``trust.py``'s;
- the assumed-role ARN is ``arn:aws:sts::<acct>:assumed-role/<role name>/<session>`` (no role
  path) and AssumedRoleId is ``<RoleId>:<session>``;
- session policies: inline plaintext at most 2,048 characters, at most 10 managed policy ARNs,
  at most 50 session tags; PackedPolicySize reports, in percent, how full the packed form is;
- GetSessionToken: IAM users 900-129,600 s (default 43,200); the root user at most 3,600 s (a
  longer request gets one hour); never with session credentials ("Cannot call GetSessionToken
  with session credentials");
- temporary credentials stop working at Expiration: the dispatcher answers ``ExpiredToken``
  once the virtual clock passes it.

Not simulated: MFA (SerialNumber/TokenCode), SAML and web-identity federation, GetFederationToken.
PackedPolicySize is this simulator's estimate (zlib size against a 2,048-byte budget): AWS does
not publish its packing.
"""

from __future__ import annotations

import base64
import datetime as _dt
import json
import math
import zlib
from typing import Any

from simulator.core.accounts import Credential, Issuer, token_digest
from simulator.core.context import Principal, PrincipalType, RequestContext
from simulator.core.errors import (
    AccessDeniedException,
    NotSimulatedException,
    ValidationException,
)
from simulator.core.persist import from_json, to_json
from simulator.iam.policy import PolicyError, PolicyKind, Statement, parse
from simulator.protocol.registry import operation
from simulator.services.base import Service, ServiceEnv
from simulator.services.iam.core import IamCore, second
from simulator.services.iam.model import entity_arn
from simulator.services.sts import trust
from simulator.services.sts.errors import (
    MalformedPolicyDocumentException,
    PackedPolicyTooLargeException,
)
from simulator.services.sts.model import Session, SessionKind

DEFAULT_ROLE_SECONDS = 3600
CHAINED_MAX_SECONDS = 3600
USER_TOKEN_DEFAULT, ROOT_TOKEN_MAX = 43200, 3600
SESSION_POLICY_MAX_CHARS = 2048
SESSION_POLICY_ARNS_MAX = 10
PACKED_BUDGET = 2048  # bytes of the packed form: an estimate, see the module docstring
_SECRET_AAD = b"sts-secret-access-key"
# aws:PrincipalType values (reference_policies_condition-keys.html, X-GCK)
_PRINCIPAL_TYPE = {
    PrincipalType.IAM_USER: "User",
    PrincipalType.ROOT: "Account",
    PrincipalType.ASSUMED_ROLE: "AssumedRole",
}


def role_resource(svc: Any, ctx: RequestContext, p: dict[str, Any]) -> str:
    return str(p.get("RoleArn", "*"))


class StsService(Service):
    service_name = "sts"

    def __init__(self, env: ServiceEnv) -> None:
        super().__init__(env)
        self._sessions: dict[str, Session] = {}

    def dump(self) -> Any:
        return {key: to_json(s) for key, s in self._sessions.items()}

    def restore(self, data: Any) -> None:
        self._sessions = {key: from_json(Session, raw) for key, raw in (data or {}).items()}
        self.env.credentials.drop(Issuer.STS)
        for session in self._sessions.values():
            self._register(session)

    @property
    def iam(self) -> IamCore:
        svc = self.env.services["iam"]
        assert isinstance(svc, IamCore)
        return svc

    def session(self, access_key_id: str | None) -> Session | None:
        return self._sessions.get(access_key_id or "")

    # -- issuing --------------------------------------------------------------------------
    def _register(self, session: Session) -> None:
        self.env.credentials.register(
            session.access_key_id,
            Credential(
                session.principal(),
                Issuer.STS,
                expires=session.expires,
                token_digest=session.token_digest,
            ),
        )

    def _issue(
        self, session_fields: dict[str, Any], now: _dt.datetime, seconds: int
    ) -> tuple[Session, dict[str, Any]]:
        ids = self.env.ids
        key_id = "ASIA" + ids.access_key_id()[4:]
        secret = ids.secret_access_key()
        # Real tokens are long opaque base64; this one only has to be unguessable and unique.
        token = "IQoJb3JpZ2luX2VjE" + base64.b64encode(ids.bytes(192)).decode()
        issued = second(now)
        expires = issued + _dt.timedelta(seconds=seconds)
        session = Session(
            access_key_id=key_id,
            sealed_secret=self.env.vault.seal(secret.encode(), _SECRET_AAD + key_id.encode()),
            token_digest=token_digest(token),
            issued=issued,
            expires=expires,
            **session_fields,
        )
        self._sessions[key_id] = session
        self._register(session)
        credentials = {
            "AccessKeyId": key_id,
            "SecretAccessKey": secret,
            "SessionToken": token,
            "Expiration": expires,
        }
        return session, credentials

    # -- GetCallerIdentity ----------------------------------------------------------------
    @operation("GetCallerIdentity", read_only=True)
    def get_caller_identity(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        # No permission is needed: even an explicit deny cannot stop this call
        # (API_GetCallerIdentity.html).
        principal = ctx.principal
        return {
            "UserId": principal.principal_id,
            "Account": principal.account_id,
            "Arn": principal.arn,
        }

    # -- GetSessionToken ------------------------------------------------------------------
    @operation("GetSessionToken", read_only=True)
    def get_session_token(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        caller = ctx.principal
        if caller.type is PrincipalType.ASSUMED_ROLE or caller.access_key_id in self._sessions:
            raise AccessDeniedException("Cannot call GetSessionToken with session credentials")
        if caller.type not in (PrincipalType.IAM_USER, PrincipalType.ROOT):
            raise AccessDeniedException("Cannot call GetSessionToken with session credentials")
        if p.get("SerialNumber") or p.get("TokenCode"):
            raise NotSimulatedException(
                "MFA devices are not simulated by Secrets Lab yet: call GetSessionToken without "
                "SerialNumber and TokenCode."
            )
        if caller.type is PrincipalType.ROOT:
            seconds = min(p.get("DurationSeconds", ROOT_TOKEN_MAX), ROOT_TOKEN_MAX)
        else:
            seconds = p.get("DurationSeconds", USER_TOKEN_DEFAULT)
        _, credentials = self._issue(
            {
                "kind": SessionKind.SESSION_TOKEN,
                "principal_type": caller.type,
                "account_id": caller.account_id,
                "arn": caller.arn,
                "principal_id": caller.principal_id,
                "user_name": caller.user_name,
            },
            ctx.now,
            seconds,
        )
        return {"Credentials": credentials}

    # -- AssumeRole -----------------------------------------------------------------------
    def _session_policy(self, p: dict[str, Any]) -> list[Statement] | None:
        text = p.get("Policy")
        arns = [d.get("arn", "") for d in p.get("PolicyArns", [])]
        if text is None and not arns:
            return None
        if text is not None and len(text) > SESSION_POLICY_MAX_CHARS:
            raise ValidationException(  # [U] AWS documents the limit, not the error's wording
                "1 validation error detected: Value at 'policy' failed to satisfy constraint: "
                f"Member must have length less than or equal to {SESSION_POLICY_MAX_CHARS}"
            )
        if len(arns) > SESSION_POLICY_ARNS_MAX:
            raise ValidationException(  # [U] wording
                "1 validation error detected: Value at 'policyArns' failed to satisfy constraint: "
                f"Member must have length less than or equal to {SESSION_POLICY_ARNS_MAX}"
            )
        statements: list[Statement] = []
        if text is not None:
            try:
                statements += parse(text, PolicyKind.IDENTITY).statements
            except PolicyError as exc:
                raise MalformedPolicyDocumentException(exc.message) from None
        return statements

    def _context(
        self, ctx: RequestContext, caller: Principal, caller_role: str | None, p: dict[str, Any]
    ) -> dict[str, str | list[str]]:
        tags = {t["Key"]: t["Value"] for t in p.get("Tags", [])}
        context: dict[str, str | list[str]] = {
            "aws:PrincipalArn": caller_role or caller.arn,
            "aws:PrincipalAccount": caller.account_id,
            "aws:PrincipalType": _PRINCIPAL_TYPE.get(caller.type, caller.type.value),
            "aws:userid": caller.principal_id,
            "aws:MultiFactorAuthPresent": "false",
            "aws:SecureTransport": "true",
            "aws:SourceIp": ctx.source_ip,
            "aws:CurrentTime": ctx.now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "aws:EpochTime": str(int(ctx.now.timestamp())),
            "sts:RoleSessionName": p["RoleSessionName"],
        }
        if caller.user_name:
            context["aws:username"] = caller.user_name
        # Principal tags: the user's or role's tags, with a session's own tags on top.
        principal_tags = self.iam.principal_tags(caller)
        session = self.session(caller.access_key_id)
        if session is not None:
            principal_tags.update(session.tags)
        for key, value in principal_tags.items():
            context[f"aws:PrincipalTag/{key}"] = value
        for key in ("ExternalId", "SourceIdentity"):
            if key in p:
                context[f"sts:{key}"] = p[key]
        for key, value in tags.items():
            context[f"aws:RequestTag/{key}"] = value
        if tags:
            context["aws:TagKeys"] = list(tags)
        return context

    @operation("AssumeRole", resource=role_resource)
    def assume_role(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        caller = ctx.principal
        role_arn = p["RoleArn"]
        denied = AccessDeniedException(
            f"User: {caller.arn} is not authorized to perform: sts:AssumeRole on resource: "
            f"{role_arn}"
        )
        if caller.type is PrincipalType.ROOT:
            raise AccessDeniedException("Roles may not be assumed by root accounts.")
        if p.get("SerialNumber") or p.get("TokenCode"):
            raise NotSimulatedException(
                "MFA devices are not simulated by Secrets Lab yet: call AssumeRole without "
                "SerialNumber and TokenCode."
            )
        parts = role_arn.split(":", 5)
        if len(parts) != 6 or parts[2] != "iam" or not parts[5].startswith("role/"):
            raise ValidationException(f"{role_arn} is invalid")  # [U] wording
        role_account, role_name = parts[4], parts[5].rsplit("/", 1)[-1]
        role = self.iam.find_role(role_account, role_name)
        if role is None:
            raise denied  # AWS does not reveal whether the role exists
        caller_session = self.session(caller.access_key_id)
        chained = caller.type is PrincipalType.ASSUMED_ROLE
        caller_role = caller_session.role_arn if caller_session else None
        self._session_policy(p)  # checked now; enforced when the authorizer lands
        tags = {t["Key"]: t["Value"] for t in p.get("Tags", [])}
        if len({k.lower() for k in tags}) != len(tags):
            raise ValidationException(  # [U] wording (IAM's for duplicate tag keys)
                "Duplicate tag keys found. Please note that Tag keys are case insensitive."
            )
        identity, boundary = self.iam.identity_statements(caller)
        caller_policy: list[Statement] | None = None
        if caller_session and caller_session.session_policy:
            caller_policy = list(parse(caller_session.session_policy).statements)
        extra = ["sts:TagSession"] if tags else []
        if "SourceIdentity" in p:
            extra.append("sts:SetSourceIdentity")
        decision = trust.decide(
            caller=caller,
            caller_role_arn=caller_role,
            role_arn=entity_arn(role_account, "role", role.path, role.name),
            role_account=role_account,
            trust_policy=role.trust_policy,
            identity=identity,
            boundary=boundary,
            session_policy=caller_policy,
            context=self._context(ctx, caller, caller_role, p),
            extra_actions=extra,
        )
        if not decision.allowed:
            if decision.denied_action != "sts:AssumeRole":
                raise AccessDeniedException(
                    f"User: {caller.arn} is not authorized to perform: {decision.denied_action} "
                    f"on resource: {role_arn}"
                )
            raise denied
        seconds = p.get("DurationSeconds", DEFAULT_ROLE_SECONDS)
        if chained and seconds > CHAINED_MAX_SECONDS:
            raise ValidationException(
                "The requested DurationSeconds exceeds the 1 hour session limit for roles "
                "assumed by role chaining."
            )
        if seconds > role.max_session_duration:
            raise ValidationException(
                "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
            )
        # Transitive tags of a chained session carry over and cannot be replaced.
        inherited: dict[str, str] = {}
        transitive = list(p.get("TransitiveTagKeys", []))
        if caller_session:
            inherited = {
                k: v
                for k, v in caller_session.tags.items()
                if k in caller_session.transitive_tag_keys
            }
            transitive += [k for k in caller_session.transitive_tag_keys if k not in transitive]
        clash = {k.lower() for k in inherited} & {k.lower() for k in tags}
        if clash:
            raise ValidationException(  # [U] wording
                f"Transitive tag keys of the calling session cannot be overridden: {sorted(clash)}"
            )
        packed: int | None = None
        if p.get("Policy") or p.get("PolicyArns") or tags:
            blob = json.dumps([p.get("Policy"), p.get("PolicyArns"), tags], separators=(",", ":"))
            packed = math.ceil(100 * len(zlib.compress(blob.encode(), 9)) / PACKED_BUDGET)
            if packed > 100:
                raise PackedPolicyTooLargeException(  # [U] wording
                    f"Packed policy consumes {packed}% of allotted space, please use smaller "
                    "policy."
                )
        name = p["RoleSessionName"]
        session, credentials = self._issue(
            {
                "kind": SessionKind.ASSUMED_ROLE,
                "principal_type": PrincipalType.ASSUMED_ROLE,
                "account_id": role_account,
                "arn": f"arn:aws:sts::{role_account}:assumed-role/{role.name}/{name}",
                "principal_id": f"{role.role_id}:{name}",
                "role_arn": entity_arn(role_account, "role", role.path, role.name),
                "session_name": name,
                "source_identity": p.get("SourceIdentity")
                or (caller_session.source_identity if caller_session else None),
                "tags": {**inherited, **tags},
                "transitive_tag_keys": transitive,
                "session_policy": p.get("Policy"),
                "policy_arns": [d.get("arn", "") for d in p.get("PolicyArns", [])],
            },
            ctx.now,
            seconds,
        )
        role.last_used, role.last_used_region = second(ctx.now), ctx.region
        out: dict[str, Any] = {
            "Credentials": credentials,
            "AssumedRoleUser": {"AssumedRoleId": session.principal_id, "Arn": session.arn},
        }
        if packed is not None:
            out["PackedPolicySize"] = packed
        if session.source_identity:
            out["SourceIdentity"] = session.source_identity
        return out
