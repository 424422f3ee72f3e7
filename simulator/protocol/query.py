"""The query and ec2 protocols: form-encoded requests, XML responses, driven by the model.

A request is ``Action=CreateUser&Version=2010-05-08&UserName=bob&Tags.member.1.Key=team...``,
POSTed as ``application/x-www-form-urlencoded`` (or sent as a GET query string). The flat keys
are folded into a tree once, then read by per-shape closures:

* query: members by ``locationName`` or member name; lists as ``Name.member.N`` (the item's
  ``locationName`` replaces ``member``), or ``Name.N`` when ``flattened``; an empty list is sent
  as ``Name=``; maps as ``Name.entry.N.key`` / ``.value``;
* ec2: members by ``queryName``, else ``locationName`` with its first letter capitalised, else
  member name; every list is ``Name.N``.

Scalars are text: ``true``/``false``, decimal numbers, base64 blobs, ISO 8601 timestamps.
Responses are ``<OpResponse xmlns=...><OpResult>...</OpResult><ResponseMetadata>...`` (query;
the result element is the output shape's ``resultWrapper``) or ``<OpResponse xmlns=...>
<requestId>...</requestId>...`` (ec2); errors are query's ``<ErrorResponse>`` and EC2's
``<Response><Errors>`` documents.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from botocore.model import OperationModel, Shape

from simulator.core.errors import AWSError, SerializationException, UnknownOperationException
from simulator.protocol import xml
from simulator.protocol.messages import AwsResponse
from simulator.protocol.wire import (
    HttpParts,
    Located,
    Wire,
    WireError,
    scalar_value,
    type_name,
)


class Node:
    """One dotted-key segment of a form: its own value (if sent) and its sub-keys."""

    __slots__ = ("children", "value")

    def __init__(self) -> None:
        self.value: str | None = None
        self.children: dict[str, Node] = {}


def form_tree(fields: list[tuple[str, str]]) -> Node:
    root = Node()
    for key, value in fields:
        node = root
        for part in key.split("."):
            child = node.children.get(part)
            if child is None:
                child = node.children[part] = Node()
            node = child
        node.value = value
    return root


QueryDecoder = Callable[[Node, str], Any]
_DECODERS: dict[tuple[Shape, bool], QueryDecoder] = {}


def decoder(shape: Shape, ec2: bool) -> QueryDecoder:
    fn = _DECODERS.get((shape, ec2))
    if fn is None:
        fn = _DECODERS[(shape, ec2)] = _build(shape, ec2)
    return fn


def wire_name(member: Shape, name: str, ec2: bool) -> str:
    """The form key a structure member is sent under."""
    ser = member.serialization
    if ec2:
        if "queryName" in ser:
            return str(ser["queryName"])
        if "name" in ser:
            located = str(ser["name"])
            return located[:1].upper() + located[1:]
        return name
    if member.type_name == "list" and ser.get("flattened"):
        item_name = member.member.serialization.get("name")
        if item_name:
            return str(item_name)
    return str(ser.get("name", name))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _indexed(holder: Node, path: str) -> list[tuple[str, Node]]:
    items = []
    for key, child in holder.children.items():
        if not (key.isascii() and key.isdigit()):
            raise SerializationException(f"Parameter {_join(path, key)} is not a list index")
        items.append((int(key), key, child))
    items.sort(key=lambda item: item[0])
    return [(key, child) for _, key, child in items]


def _build(shape: Shape, ec2: bool) -> QueryDecoder:
    t = shape.type_name
    if t == "structure":
        entries = [(wire_name(m, n, ec2), n, m) for n, m in shape.members.items()]

        def structure(node: Node, path: str) -> Any:
            children = node.children
            out: dict[str, Any] = {}
            if not children:
                return out
            for key, name, member in entries:
                sub = children.get(key)
                if sub is not None:
                    out[name] = decoder(member, ec2)(sub, _join(path, key))
            return out

        return structure
    if t == "list":
        item = shape.member
        flat = ec2 or bool(shape.serialization.get("flattened"))
        item_key = None if flat else str(item.serialization.get("name", "member"))

        def listing(node: Node, path: str) -> Any:
            holder = node if item_key is None else node.children.get(item_key)
            if holder is None:
                return []  # "Name=" is how query sends an empty list
            base = path if item_key is None else _join(path, item_key)
            dec = decoder(item, ec2)
            return [dec(child, _join(base, key)) for key, child in _indexed(holder, base)]

        return listing
    if t == "map":
        ks, vs = shape.key, shape.value
        kname = str(ks.serialization.get("name", "key"))
        vname = str(vs.serialization.get("name", "value"))
        flat = bool(shape.serialization.get("flattened"))

        def mapping(node: Node, path: str) -> Any:
            holder = node if flat else node.children.get("entry")
            if holder is None:
                return {}
            base = path if flat else _join(path, "entry")
            out: dict[Any, Any] = {}
            for key, entry in _indexed(holder, base):
                where = _join(base, key)
                key_node = entry.children.get(kname)
                if key_node is None:
                    raise SerializationException(f"Parameter {_join(where, kname)} is missing")
                value_node = entry.children.get(vname)
                if value_node is not None:
                    k = decoder(ks, ec2)(key_node, _join(where, kname))
                    out[k] = decoder(vs, ec2)(value_node, _join(where, vname))
            return out

        return mapping

    def scalar(node: Node, path: str) -> Any:
        text = node.value
        if text is None:
            raise SerializationException(f"Parameter {path} must be {type_name(shape)}")
        try:
            return scalar_value(shape, text)
        except ValueError:
            shown = text if len(text) <= 64 else text[:61] + "..."
            raise SerializationException(
                f"Value '{shown}' for parameter {path} is invalid: expected {type_name(shape)}"
            ) from None

    return scalar


def _form_fields(parts: HttpParts) -> list[tuple[str, str]]:
    fields = list(parts.query)
    ctype = parts.headers.get("content-type", "")
    if parts.body and ("x-www-form-urlencoded" in ctype or not ctype):
        try:
            text = parts.body.decode("utf-8")
            fields += parse_qsl(text, keep_blank_values=True, errors="strict")
        except (UnicodeDecodeError, ValueError):
            raise SerializationException("The request body is not valid form data") from None
    return fields


class QueryWire(Wire):
    protocol = "query"
    ec2 = False

    def __init__(self, service: str) -> None:
        super().__init__(service)
        self._operations = frozenset(self.model.operation_names)
        self.version = str(self.model.metadata.get("apiVersion", ""))
        self.namespace = self.model.metadata.get("xmlNamespace")

    def locate(self, parts: HttpParts) -> Located | None:
        fields = _form_fields(parts)
        action = version = None
        rest = []
        for key, value in fields:
            if key == "Action":
                action = value
            elif key == "Version":
                version = value
            else:
                rest.append((key, value))
        if action is None or action not in self._operations:
            return None
        if version is not None and version != self.version:
            return None  # another API version of this endpoint (ELB and ELBv2 share one)
        return Located(action, self, rest)

    def unknown_operation(self, parts: HttpParts) -> AWSError:
        fields = dict(_form_fields(parts))
        action, version = fields.get("Action"), fields.get("Version", self.version)
        if action is None:
            return UnknownOperationException("The request must contain the parameter Action.")
        if self.ec2:
            return UnknownOperationException(
                f"The action {action} is not valid for this web service."
            )
        return UnknownOperationException(f"Could not find operation {action} for version {version}")

    def decode(self, op: OperationModel, located: Located) -> dict[str, Any]:
        shape = op.input_shape
        if shape is None:
            return {}
        params: dict[str, Any] = decoder(shape, self.ec2)(form_tree(located.data), "")
        return params

    def _response(self, status: int, body: bytes, request_id: str) -> AwsResponse:
        return AwsResponse(
            status,
            {
                "x-amzn-requestid": request_id,
                "content-type": "text/xml",
                "content-length": str(len(body)),
            },
            body,
        )

    def encode(self, op: OperationModel, result: Any, request_id: str) -> AwsResponse:
        name = op.name
        ns = f' xmlns="{xml.escape_attr(self.namespace)}"' if self.namespace else ""
        out = [f"<{name}Response{ns}>"]
        shape = op.output_shape
        if shape is not None:
            wrapper = shape.serialization.get("resultWrapper")
            if wrapper:
                out.append(f"<{wrapper}>")
            xml.encode_members(shape, result or {}, out)
            if wrapper:
                out.append(f"</{wrapper}>")
        out.append(
            f"<ResponseMetadata><RequestId>{xml.escape(request_id)}</RequestId>"
            f"</ResponseMetadata></{name}Response>"
        )
        return self._response(200, "".join(out).encode(), request_id)

    def render_error(self, error: WireError, request_id: str) -> AwsResponse:
        body = xml.error_response(error, request_id, self.namespace)
        return self._response(error.status, body, request_id)


class Ec2Wire(QueryWire):
    protocol = "ec2"
    ec2 = True

    def encode(self, op: OperationModel, result: Any, request_id: str) -> AwsResponse:
        name = op.name
        ns = f' xmlns="{xml.escape_attr(self.namespace)}"' if self.namespace else ""
        out = [f"<{name}Response{ns}><requestId>{xml.escape(request_id)}</requestId>"]
        if op.output_shape is not None:
            xml.encode_members(op.output_shape, result or {}, out)
        out.append(f"</{name}Response>")
        return self._response(200, "".join(out).encode(), request_id)

    def render_error(self, error: WireError, request_id: str) -> AwsResponse:
        return self._response(error.status, xml.ec2_error_response(error, request_id), request_id)
