"""The rest-json and rest-xml protocols: HTTP method + URI template, members bound by location.

Every operation's ``http.requestUri`` is compiled once into a route: ``{Label}`` matches one
path segment, ``{Key+}`` (greedy) the rest of the path, and literal query parts
(``/...?versionId``, ``?List=ALL``) must be present. The most specific route wins (more literal
query parts, then more literal path characters). Input members come from where the model binds
them: ``uri`` labels (percent-decoded), ``querystring`` (lists repeat the name; a map member takes
the remaining parameters), ``header`` (lists comma-separated, timestamps RFC 822, ``jsonvalue``
base64 JSON), ``headers`` (prefix maps), and the body: the ``payload`` member (raw bytes/text for
a blob/string, a document for a structure) or else every unbound member, as JSON (rest-json,
names from ``locationName``, timestamps epoch seconds) or XML (rest-xml, see xml.py).
Responses mirror this: the model's ``responseCode`` (or a ``statusCode``-bound member), header
members, then the body. Errors: rest-json sends ``x-amzn-ErrorType`` and ``{"message": ...}``;
rest-xml sends ``<ErrorResponse><Error>...``.
"""

from __future__ import annotations

import base64
import binascii
import enum
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import unquote

from botocore.model import OperationModel, Shape

from simulator.core.errors import NotSimulatedException, SerializationException
from simulator.protocol import codec, xml
from simulator.protocol.messages import AwsResponse
from simulator.protocol.wire import (
    HttpParts,
    Located,
    Wire,
    WireError,
    format_timestamp,
    scalar_text,
    scalar_value,
    type_name,
)

_LABEL = re.compile(r"\{([^}]+)\}")


@dataclass(frozen=True, slots=True)
class Route:
    operation: str
    regex: re.Pattern[str]
    labels: tuple[tuple[str, str], ...]  # (regex group, label name)
    literals: tuple[tuple[str, str | None], ...]  # query parts the URI template fixes
    rank: tuple[int, int, int]


def compile_route(operation: str, uri: str) -> Route:
    path, _, query = uri.partition("?")
    pieces: list[str] = []
    labels: list[tuple[str, str]] = []
    pos = literal_chars = greedy = 0
    for m in _LABEL.finditer(path):
        pieces.append(re.escape(path[pos : m.start()]))
        literal_chars += m.start() - pos
        name, group = m.group(1), f"g{len(labels)}"
        if name.endswith("+"):
            name, greedy = name[:-1], greedy + 1
            pieces.append(f"(?P<{group}>.+)")
        else:
            pieces.append(f"(?P<{group}>[^/]+)")
        labels.append((group, name))
        pos = m.end()
    pieces.append(re.escape(path[pos:]))
    literal_chars += len(path) - pos
    literals = []
    for part in query.split("&"):
        if part:
            key, eq, value = part.partition("=")
            literals.append((key, value if eq else None))
    return Route(
        operation,
        re.compile("".join(pieces)),
        tuple(labels),
        tuple(literals),
        (len(literals), literal_chars, -greedy),
    )


def _literals_hold(route: Route, query: dict[str, list[str]]) -> bool:
    for key, value in route.literals:
        sent = query.get(key)
        if sent is None or (value is not None and value not in sent):
            return False
    return True


def _multi(query: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in query:
        out.setdefault(key, []).append(value)
    return out


@dataclass
class _Plan:
    """Where each member of a structure lives on the wire, read from the model once."""

    uri: dict[str, tuple[str, Shape]] = field(default_factory=dict)
    query: list[tuple[str, str, Shape]] = field(default_factory=list)
    query_map: tuple[str, Shape] | None = None
    headers: list[tuple[str, str, Shape, str]] = field(default_factory=list)  # lower-cased first
    header_maps: list[tuple[str, str, Shape]] = field(default_factory=list)
    status: str | None = None
    payload: tuple[str, Shape] | None = None
    body: bool = False


_PLANS: dict[Shape, _Plan] = {}


def plan(shape: Shape) -> _Plan:
    found = _PLANS.get(shape)
    if found is not None:
        return found
    p = _Plan()
    for name, m in shape.members.items():
        ser = m.serialization
        where, wire = ser.get("location"), str(ser.get("name", name))
        if where == "uri":
            p.uri[wire] = (name, m)
        elif where == "querystring":
            if m.type_name == "map":
                p.query_map = (name, m)
            else:
                p.query.append((wire, name, m))
        elif where == "header":
            p.headers.append((wire.lower(), name, m, wire))
        elif where == "headers":
            p.header_maps.append((wire.lower(), name, m))
        elif where == "statusCode":
            p.status = name
        else:
            p.body = True
    payload = shape.serialization.get("payload")
    if payload:
        p.payload = (payload, shape.members[payload])
    _PLANS[shape] = p
    return p


def _bad(shape: Shape, text: str, where: str) -> SerializationException:
    shown = text if len(text) <= 64 else text[:61] + "..."
    return SerializationException(
        f"Value '{shown}' in {where} can not be converted to {type_name(shape)}"
    )


def _text(shape: Shape, text: str, where: str) -> Any:
    try:
        return scalar_value(shape, text)
    except ValueError:
        raise _bad(shape, text, where) from None


def split_header_list(text: str) -> list[str]:
    """``a, "b,c", "d\\"e"`` → ``['a', 'b,c', 'd"e']`` (botocore quotes items with , or ")."""
    items: list[str] = []
    buf: list[str] = []
    quoted = escaped = False
    for ch in text:
        if escaped:
            buf.append(ch)
            escaped = False
        elif quoted and ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            items.append("".join(buf).strip())
            buf = []
        else:
            buf.append(ch)
    items.append("".join(buf).strip())
    return items


def _header_value(shape: Shape, text: str, where: str) -> Any:
    if shape.type_name == "list":
        return [_text(shape.member, item, where) for item in split_header_list(text)]
    if shape.serialization.get("jsonvalue"):
        try:
            return json.loads(base64.b64decode(text, validate=True))
        except (ValueError, binascii.Error):
            raise _bad(shape, text, where) from None
    return _text(shape, text, where)


def _quote_item(text: str) -> str:
    if '"' in text or "," in text:
        return '"' + text.replace('"', '\\"') + '"'
    return text


def header_text(shape: Shape, value: Any) -> str:
    if shape.type_name == "list":
        return ",".join(_quote_item(header_text(shape.member, v)) for v in value)
    if shape.serialization.get("jsonvalue"):
        return base64.b64encode(json.dumps(value, separators=(",", ":")).encode()).decode()
    return scalar_text(shape, value, "rfc822")


# -- JSON bodies (rest-json): names from locationName, unbound members only -------------------

_JSON_DECODERS: dict[Shape, Callable[[Any], Any]] = {}
_JSON_ENCODERS: dict[Shape, Callable[[Any], Any]] = {}


def json_decoder(shape: Shape) -> Callable[[Any], Any]:
    fn = _JSON_DECODERS.get(shape)
    if fn is None:
        fn = _JSON_DECODERS[shape] = _build_json_decoder(shape)
    return fn


def json_encoder(shape: Shape) -> Callable[[Any], Any]:
    fn = _JSON_ENCODERS.get(shape)
    if fn is None:
        fn = _JSON_ENCODERS[shape] = _build_json_encoder(shape)
    return fn


def _unexpected(value: Any, shape: Shape) -> SerializationException:
    kind = "Start of structure or map" if isinstance(value, dict) else "Value"
    if isinstance(value, list):
        kind = "Start of list"
    return SerializationException(f"{kind} found where {type_name(shape)} was expected")


def _build_json_decoder(shape: Shape) -> Callable[[Any], Any]:
    t = shape.type_name
    if t == "structure":
        if shape.is_document_type:
            return lambda value: value
        names = {
            str(m.serialization.get("name", n)): (n, m)
            for n, m in shape.members.items()
            if "location" not in m.serialization
        }

        def structure(value: Any) -> Any:
            if not isinstance(value, dict):
                raise _unexpected(value, shape)
            out: dict[str, Any] = {}
            for key, raw in value.items():
                hit = names.get(key)
                if hit is not None and raw is not None:
                    out[hit[0]] = json_decoder(hit[1])(raw)
            return out

        return structure
    if t == "list":
        item = shape.member

        def listing(value: Any) -> Any:
            if not isinstance(value, list):
                raise _unexpected(value, shape)
            dec = json_decoder(item)
            return [dec(v) for v in value if v is not None]

        return listing
    if t == "map":
        ks, vs = shape.key, shape.value

        def mapping(value: Any) -> Any:
            if not isinstance(value, dict):
                raise _unexpected(value, shape)
            kd, vd = json_decoder(ks), json_decoder(vs)
            return {kd(k): vd(v) for k, v in value.items() if v is not None}

        return mapping
    return codec.decoder(shape)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _build_json_encoder(shape: Shape) -> Callable[[Any], Any]:
    t = shape.type_name
    if t == "structure":
        if shape.is_document_type:
            return lambda value: value
        members = {
            n: (str(m.serialization.get("name", n)), m)
            for n, m in shape.members.items()
            if "location" not in m.serialization
        }

        def structure(value: Any) -> Any:
            out: dict[str, Any] = {}
            for name, v in value.items():
                if v is None:
                    continue
                hit = members.get(name)
                if hit is None:
                    if name in shape.members:
                        continue  # bound to a header or the status code
                    raise KeyError(f"{shape.name} has no member {name!r}")
                out[hit[0]] = json_encoder(hit[1])(v)
            return out

        return structure
    if t == "list":
        item = shape.member
        return lambda value: [json_encoder(item)(v) for v in value]
    if t == "map":
        vs = shape.value
        return lambda value: {_plain(k): json_encoder(vs)(v) for k, v in value.items()}
    if t == "blob":
        return lambda value: base64.b64encode(
            value.encode() if isinstance(value, str) else value
        ).decode("ascii")
    if t == "timestamp":
        fmt = str(shape.serialization.get("timestampFormat", "unixTimestamp")).lower()
        if fmt == "unixtimestamp":
            return lambda value: value.timestamp() if hasattr(value, "timestamp") else value
        return lambda value: format_timestamp(value, fmt)
    return _plain


# -- the two protocols -------------------------------------------------------------------------


class RestWire(Wire):
    """What rest-json and rest-xml share; subclasses say how a body is written and read."""

    request_id_header: ClassVar[str]
    content_type: ClassVar[str]

    def __init__(self, service: str) -> None:
        super().__init__(service)
        routes: dict[str, list[Route]] = {}
        for name in self.model.operation_names:
            http = self.model.operation_model(name).http
            route = compile_route(name, http.get("requestUri", "/"))
            routes.setdefault(http.get("method", "POST").upper(), []).append(route)
        for table in routes.values():
            table.sort(key=lambda r: r.rank, reverse=True)
        self._routes = routes

    def locate(self, parts: HttpParts) -> Located | None:
        query = _multi(parts.query)
        for route in self._routes.get(parts.method, ()):
            match = route.regex.fullmatch(parts.path)
            if match is not None and _literals_hold(route, query):
                return Located(route.operation, self, (route, match, query, parts))
        return None

    def decode(self, op: OperationModel, located: Located) -> dict[str, Any]:
        shape = op.input_shape
        if shape is None:
            return {}
        route, match, query, parts = located.data
        p = plan(shape)
        params: dict[str, Any] = {}
        for group, label in route.labels:
            hit = p.uri.get(label)
            if hit is None:
                continue
            try:
                raw = unquote(match.group(group), errors="strict")
            except UnicodeDecodeError:
                raise SerializationException(f"The URI label {label} is not UTF-8") from None
            params[hit[0]] = _text(hit[1], raw, f"URI label {label}")
        claimed = {key for key, _ in route.literals}
        for wire, name, m in p.query:
            values = query.get(wire)
            claimed.add(wire)
            if not values:
                continue
            where = f"query parameter {wire}"
            if m.type_name == "list":
                params[name] = [_text(m.member, v, where) for v in values]
            else:
                params[name] = _text(m, values[-1], where)
        if p.query_map is not None:
            name, m = p.query_map
            many = m.value.type_name == "list"
            rest = {k: (v if many else v[-1]) for k, v in query.items() if k not in claimed}
            if rest:
                params[name] = rest
        headers = parts.headers
        for wire, name, m, _ in p.headers:
            text = headers.get(wire)
            if text is not None:
                params[name] = _header_value(m, text, f"header {wire}")
        for prefix, name, _ in p.header_maps:
            found = {k[len(prefix) :]: v for k, v in headers.items() if k.startswith(prefix)}
            if found:
                params[name] = found
        body = parts.body
        if p.payload is not None:
            name, m = p.payload
            if m.type_name == "blob":
                if body:
                    params[name] = body
            elif m.type_name == "string":
                if body:
                    params[name] = body.decode("utf-8", errors="replace")
            elif body:
                params[name] = self.read_body(m, body)
        elif p.body and body:
            params.update(self.read_body(shape, body))
        return params

    def encode(self, op: OperationModel, result: Any, request_id: str) -> AwsResponse:
        status = int(op.http.get("responseCode", 200))
        headers = {self.request_id_header: request_id}
        shape = op.output_shape
        body = b""
        if shape is not None:
            result = result or {}
            p = plan(shape)
            for _, name, m, wire in p.headers:
                v = result.get(name)
                if v is not None:
                    headers[wire] = header_text(m, v)
            for _, name, m in p.header_maps:
                original = str(m.serialization.get("name", name))
                for k, v in (result.get(name) or {}).items():
                    headers[original + str(k)] = str(v)
            if p.status is not None and result.get(p.status) is not None:
                status = int(result[p.status])
            if p.payload is not None:
                name, m = p.payload
                value = result.get(name)
                if m.serialization.get("eventstream"):
                    raise NotSimulatedException(
                        f"{op.name} answers with an event stream, which Secrets Lab does not "
                        "simulate."
                    )
                if m.type_name in ("blob", "string"):
                    if value is not None:
                        body = value.encode() if isinstance(value, str) else bytes(value)
                    headers["content-type"] = "application/octet-stream"
                elif value is not None:
                    root = str(m.serialization.get("name", m.name))
                    body = self.write_body(m, value, root)
            elif p.body:
                body = self.write_body(shape, result, shape.name)
        if not any(k.lower() == "content-type" for k in headers):
            headers["content-type"] = self.content_type
        headers["content-length"] = str(len(body))
        return AwsResponse(status, headers, body)

    def read_body(self, shape: Shape, body: bytes) -> Any:
        raise NotImplementedError

    def write_body(self, shape: Shape, value: Any, root: str) -> bytes:
        raise NotImplementedError


class RestJsonWire(RestWire):
    protocol = "rest-json"
    request_id_header = "x-amzn-requestid"
    content_type = "application/json"

    def read_body(self, shape: Shape, body: bytes) -> Any:
        try:
            document = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise SerializationException("Unable to parse the request body as JSON") from None
        return json_decoder(shape)(document)

    def write_body(self, shape: Shape, value: Any, root: str) -> bytes:
        return json.dumps(json_encoder(shape)(value), separators=(",", ":")).encode()

    def render_error(self, error: WireError, request_id: str) -> AwsResponse:
        body = json.dumps({"message": error.message}).encode()
        headers = {
            self.request_id_header: request_id,
            "x-amzn-errortype": error.code,
            "content-type": self.content_type,
            "content-length": str(len(body)),
        }
        return AwsResponse(error.status, headers, body)


class RestXmlWire(RestWire):
    protocol = "rest-xml"
    request_id_header = "x-amz-request-id"
    content_type = "text/xml"

    def __init__(self, service: str) -> None:
        super().__init__(service)
        self.namespace = self._find_namespace()

    def _find_namespace(self) -> str | None:
        # Route 53 and CloudFront declare the namespace on their input shapes, not in metadata.
        found = self.model.metadata.get("xmlNamespace")
        if found:
            return str(found)
        for name in self.model.operation_names:
            shape = self.model.operation_model(name).input_shape
            ns = shape.serialization.get("xmlNamespace") if shape is not None else None
            if ns:
                return str(ns["uri"] if isinstance(ns, dict) else ns)
        return None

    def read_body(self, shape: Shape, body: bytes) -> Any:
        return xml.decoder(shape)(xml.parse(body))

    def write_body(self, shape: Shape, value: Any, root: str) -> bytes:
        ns = xml.namespace_attr(shape)
        if not ns and self.namespace:
            ns = f' xmlns="{xml.escape_attr(self.namespace)}"'
        out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}{ns}>']
        xml.encode_members(shape, value, out)
        out.append(f"</{root}>")
        return "".join(out).encode()

    def render_error(self, error: WireError, request_id: str) -> AwsResponse:
        body = xml.error_response(error, request_id, self.namespace)
        headers = {
            self.request_id_header: request_id,
            "content-type": self.content_type,
            "content-length": str(len(body)),
        }
        return AwsResponse(error.status, headers, body)
