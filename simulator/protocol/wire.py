"""What the non-JSON wire protocols (query, ec2, rest-json, rest-xml) share.

A :class:`Wire` is one service's protocol, built once from its botocore model: it finds the
operation a request names (:meth:`Wire.locate`), decodes the parameters by the input shape,
encodes a handler's result by the output shape, and writes errors in the protocol's format.

Error codes: handlers and the dispatcher raise the JSON-era common classes
(``ValidationException``, ``AccessDeniedException`` ...). Query-family services send other codes
for the same failures (IAM's Common Errors page lists ``ValidationError``,
``InvalidClientTokenId``, ``InvalidAction``; EC2's error-code page lists ``AuthFailure``,
``UnauthorizedOperation``, ``InvalidParameterValue``, ``RequestLimitExceeded``), so each
protocol translates them through the tables below. An error shape declared in the service's
model wins: its ``error.code`` (IAM's ``EntityAlreadyExistsException`` is sent as
``EntityAlreadyExists``) and its ``error.httpStatusCode`` are what goes on the wire.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import email.utils
import enum
import functools
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import parse_qsl

from botocore.model import OperationModel, Shape

from simulator.core.errors import AWSError, UnknownOperationException
from simulator.protocol import spec
from simulator.protocol.messages import AwsRequest, AwsResponse

UTC = _dt.UTC

# JSON-era common code → (wire code, HTTP status), per protocol.
_COMMON: dict[str, dict[str, tuple[str, int]]] = {
    "query": {
        "ValidationException": ("ValidationError", 400),
        "SerializationException": ("ValidationError", 400),
        "UnknownOperationException": ("InvalidAction", 400),
        "UnrecognizedClientException": ("InvalidClientTokenId", 403),
        "AccessDeniedException": ("AccessDenied", 403),
        "ThrottlingException": ("Throttling", 400),
        "ExpiredTokenException": ("ExpiredToken", 403),
    },
    "ec2": {
        "ValidationException": ("InvalidParameterValue", 400),
        "SerializationException": ("InvalidParameterValue", 400),
        "UnknownOperationException": ("InvalidAction", 400),
        "UnrecognizedClientException": ("AuthFailure", 401),
        "AccessDeniedException": ("UnauthorizedOperation", 403),
        "ThrottlingException": ("RequestLimitExceeded", 503),
        "InternalFailure": ("InternalError", 500),
        "ServiceUnavailable": ("Unavailable", 503),
        "ExpiredTokenException": ("RequestExpired", 400),
    },
    "rest-json": {
        "UnknownOperationException": ("UnknownOperationException", 404),
        "UnrecognizedClientException": ("UnrecognizedClientException", 403),
        "AccessDeniedException": ("AccessDeniedException", 403),
        "ExpiredTokenException": ("ExpiredTokenException", 403),
    },
    "rest-xml": {
        "ValidationException": ("ValidationError", 400),
        "SerializationException": ("MalformedInput", 400),
        "UnknownOperationException": ("UnknownOperationException", 404),
        "UnrecognizedClientException": ("InvalidClientTokenId", 403),
        "AccessDeniedException": ("AccessDenied", 403),
        "ThrottlingException": ("Throttling", 400),
        "ExpiredTokenException": ("ExpiredToken", 403),
    },
}
# Services whose codes differ from their protocol's: Route 53 answers constraint failures with
# InvalidInput ("1 validation error detected: ..."); SNS refuses access with AuthorizationError.
_SERVICE_COMMON: dict[str, dict[str, tuple[str, int]]] = {
    "route53": {"ValidationException": ("InvalidInput", 400)},
    "sns": {"AccessDeniedException": ("AuthorizationError", 403)},
    # STS's model declares ExpiredTokenException for expired web-identity tokens; expired
    # session credentials are refused as ExpiredToken, like every query service.
    "sts": {"ExpiredTokenException": ("ExpiredToken", 403)},
}

#: Every code the protocol layer itself may put on the wire besides the common JSON codes.
PROTOCOL_CODES: frozenset[str] = frozenset(
    code for table in (*_COMMON.values(), *_SERVICE_COMMON.values()) for code, _ in table.values()
)


@dataclass(frozen=True, slots=True)
class WireError:
    code: str
    status: int
    message: str

    @property
    def sender(self) -> bool:
        return self.status < 500


@dataclass(slots=True)
class HttpParts:
    """A request split the way the rest and query protocols read it."""

    method: str
    path: str  # percent-encoded, without the query string
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes

    @classmethod
    def of(cls, request: AwsRequest) -> HttpParts:
        path, _, qs = request.path.partition("?")
        try:
            query = parse_qsl(qs, keep_blank_values=True, errors="strict")
        except (UnicodeDecodeError, ValueError):
            query = []
        return cls(request.method.upper(), path or "/", query, request.headers, request.body)


@dataclass(slots=True)
class Located:
    """The operation a request names, with what its protocol already parsed to find it."""

    operation: str
    wire: Wire
    data: Any


@functools.cache
def _model_errors(service: str) -> dict[str, tuple[str, int]]:
    """Error shape name and error code → (wire code, status), read from the model."""
    model = spec.service_model(service)
    out: dict[str, tuple[str, int]] = {}
    for name in model.shape_names:
        shape = model.shape_for(name)
        if not shape.metadata.get("exception"):
            continue
        err = shape.metadata.get("error", {})
        code = err.get("code") or name
        status = int(err.get("httpStatusCode") or 400)
        out[name] = out[code] = (code, status)
    return out


class Wire(ABC):
    """One service's non-JSON protocol. Subclasses implement the protocol's four jobs."""

    protocol: ClassVar[str]

    def __init__(self, service: str) -> None:
        self.service = service
        self.model = spec.service_model(service)

    @abstractmethod
    def locate(self, parts: HttpParts) -> Located | None:
        """The operation this request names, or None if it names none of this service's."""

    def unknown_operation(self, parts: HttpParts) -> AWSError:
        """The error for a request that names none of this service's operations."""
        return UnknownOperationException(f"No operation matches {parts.method} {parts.path}")

    @abstractmethod
    def decode(self, op: OperationModel, located: Located) -> dict[str, Any]:
        """The request's parameters as Python values (raises AWSError on malformed input)."""

    @abstractmethod
    def encode(self, op: OperationModel, result: Any, request_id: str) -> AwsResponse:
        """A handler's result as the protocol's HTTP response."""

    @abstractmethod
    def render_error(self, error: WireError, request_id: str) -> AwsResponse:
        """An error document in the protocol's format."""

    def translate(self, exc: AWSError) -> WireError:
        declared = _model_errors(self.service)
        hit = _SERVICE_COMMON.get(self.service, {}).get(exc.code) or declared.get(exc.code)
        if hit is None:
            common = _SERVICE_COMMON.get(self.service, {}).get(exc.code) or _COMMON[
                self.protocol
            ].get(exc.code)
            hit = declared.get(common[0], common) if common else (exc.code, exc.status)
        return WireError(hit[0], hit[1], exc.message)

    def error(self, exc: AWSError, request_id: str) -> tuple[AwsResponse, WireError]:
        info = self.translate(exc)
        return self.render_error(info, request_id), info


# -- scalars as text (query fields, XML text, URI labels, query strings, headers) --------------


def iso8601(value: _dt.datetime) -> str:
    value = value.astimezone(UTC) if value.tzinfo else value
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    micros = value.microsecond
    if micros:
        text += f".{micros // 1000:03d}" if micros % 1000 == 0 else f".{micros:06d}"
    return text + "Z"


def format_timestamp(value: Any, fmt: str) -> str:
    """``value`` (aware datetime, or epoch seconds) in a model timestampFormat, as text."""
    if isinstance(value, str):
        return value
    if not isinstance(value, _dt.datetime):
        value = _dt.datetime.fromtimestamp(value, UTC)
    fmt = fmt.lower()
    if fmt == "unixtimestamp":
        seconds = value.timestamp()
        return str(int(seconds)) if seconds.is_integer() else repr(seconds)
    if fmt == "rfc822":
        return email.utils.format_datetime(value.astimezone(UTC), usegmt=True)
    return iso8601(value)


def parse_timestamp(text: str) -> _dt.datetime:
    """ISO 8601, epoch seconds or RFC 822 text → aware datetime (ValueError if none fits)."""
    text = text.strip()
    try:
        return _dt.datetime.fromtimestamp(float(text), UTC)
    except (ValueError, OverflowError, OSError):
        pass
    try:
        parsed = _dt.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            raise ValueError(text) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def float_text(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(float(value))


def scalar_text(shape: Shape, value: Any, ts_format: str) -> str:
    """A scalar output value as wire text (``ts_format``: the protocol's default)."""
    t = shape.type_name
    if isinstance(value, enum.Enum):
        value = value.value
    if t == "boolean":
        return "true" if value else "false"
    if t == "timestamp":
        return format_timestamp(value, shape.serialization.get("timestampFormat", ts_format))
    if t == "blob":
        raw = value.encode() if isinstance(value, str) else bytes(value)
        return base64.b64encode(raw).decode("ascii")
    if t in ("float", "double"):
        return float_text(value)
    return str(value)


def scalar_value(shape: Shape, text: str) -> Any:
    """Wire text → the Python value of a scalar shape (ValueError if it is not one)."""
    t = shape.type_name
    if t == "string":
        return text
    if t in ("integer", "long"):
        return int(text.strip())
    if t == "boolean":
        lowered = text.strip().lower()
        if lowered not in ("true", "false"):
            raise ValueError(text)
        return lowered == "true"
    if t in ("float", "double"):
        return float(text)
    if t == "blob":
        try:
            return binascii.a2b_base64(text.encode("ascii"), strict_mode=True)
        except (binascii.Error, UnicodeEncodeError):
            raise ValueError("not base64") from None
    if t == "timestamp":
        return parse_timestamp(text)
    raise ValueError(f"{t} is not a scalar")


_TYPE_NAMES = {
    "integer": "an Integer",
    "long": "a Long",
    "boolean": "a Boolean",
    "float": "a Float",
    "double": "a Double",
    "blob": "base64-encoded bytes",
    "timestamp": "a timestamp",
    "structure": "a structure",
    "list": "a list",
    "map": "a map",
    "string": "a String",
}


def type_name(shape: Shape) -> str:
    name: str = shape.type_name
    return _TYPE_NAMES.get(name, name)


__all__ = [
    "PROTOCOL_CODES",
    "HttpParts",
    "Located",
    "Wire",
    "WireError",
    "format_timestamp",
    "iso8601",
    "parse_timestamp",
    "scalar_text",
    "scalar_value",
]
