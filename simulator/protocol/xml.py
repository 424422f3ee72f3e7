"""XML by shape, for the query, ec2 and rest-xml protocols.

``encoder(shape)`` writes a value as an element (members named by ``locationName`` or member
name; lists as ``<member>`` items, or repeated elements when ``flattened``; maps as
``<entry><key/><value/></entry>``; timestamps ISO 8601 in UTC; blobs base64), appending text
pieces to a list that is joined once. ``decoder(shape)`` reads a parsed element back into Python
values for rest-xml request bodies. Both are closures built once per shape, like codec.py's.
Also here: the error documents the XML protocols send.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from botocore.model import Shape

from simulator.core.errors import SerializationException
from simulator.protocol.wire import WireError, scalar_text, scalar_value, type_name

Out = list[str]
Encoder = Callable[[Any, str, Out], None]
Decoder = Callable[[Any], Any]

_ESCAPES: dict[int, str] = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"}
# A carriage return would be folded into a newline by every XML parser; send it as a reference.
_ESCAPES[ord("\r")] = "&#13;"
# Characters XML 1.0 cannot carry at all become U+FFFD rather than breaking the document.
for _c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0xD800, 0xE000)]:
    _ESCAPES[_c] = "\ufffd"
_ESCAPES[0xFFFE] = _ESCAPES[0xFFFF] = "\ufffd"
_ATTR_ESCAPES = {**_ESCAPES, ord('"'): "&quot;"}


def escape(text: str) -> str:
    return text.translate(_ESCAPES)


def escape_attr(text: str) -> str:
    return text.translate(_ATTR_ESCAPES)


def namespace_attr(shape: Shape) -> str:
    """`` xmlns="..."`` (or ``xmlns:prefix``) for a shape that declares an xmlNamespace."""
    ns = shape.serialization.get("xmlNamespace")
    if ns is None:
        return ""
    if isinstance(ns, str):
        return f' xmlns="{escape_attr(ns)}"'
    name = f"xmlns:{ns['prefix']}" if ns.get("prefix") else "xmlns"
    return f' {name}="{escape_attr(ns["uri"])}"'


def member_key(member: Shape, name: str) -> str:
    """The element name a structure member is written under (botocore's reading rule)."""
    if member.type_name == "list" and member.serialization.get("flattened"):
        item_name = member.member.serialization.get("name")
        if item_name is not None:
            return str(item_name)
    return str(member.serialization.get("name", name))


_ENCODERS: dict[Shape, Encoder] = {}
_DECODERS: dict[Shape, Decoder] = {}


def encoder(shape: Shape) -> Encoder:
    fn = _ENCODERS.get(shape)
    if fn is None:
        fn = _ENCODERS[shape] = _build_encoder(shape)
    return fn


def decoder(shape: Shape) -> Decoder:
    fn = _DECODERS.get(shape)
    if fn is None:
        fn = _DECODERS[shape] = _build_decoder(shape)
    return fn


def body_members(shape: Shape) -> list[tuple[str, Shape]]:
    """Members carried in the body (not bound to a header, the URI, the query or the status)."""
    return [(n, m) for n, m in shape.members.items() if "location" not in m.serialization]


def encode_members(shape: Shape, value: dict[str, Any], out: Out) -> None:
    """The member elements of a structure, without the structure's own tags."""
    _structure_writer(shape)[1](value, out)


AttrsFn = Callable[[dict[str, Any]], str]
ChildrenFn = Callable[[dict[str, Any], Out], None]


def _structure_writer(shape: Shape) -> tuple[AttrsFn | None, ChildrenFn]:
    """(attributes of the opening tag, or None; writer of the member elements)."""
    members = dict(body_members(shape))
    keys = {n: member_key(m, n) for n, m in members.items()}
    attributes = {
        n: str(m.serialization["name"])
        for n, m in members.items()
        if m.serialization.get("xmlAttribute")
    }

    def attrs(value: dict[str, Any]) -> str:
        return "".join(
            f' {attributes[n]}="{escape_attr(str(v))}"'
            for n, v in value.items()
            if n in attributes and v is not None
        )

    def children(value: dict[str, Any], out: Out) -> None:
        for name, v in value.items():
            if v is None or name in attributes:
                continue
            member = members.get(name)
            if member is None:
                if name in shape.members:
                    continue  # bound to a header or the status code, written elsewhere
                raise KeyError(f"{shape.name} has no member {name!r}")
            encoder(member)(v, keys[name], out)

    return (attrs if attributes else None), children


def _build_encoder(shape: Shape) -> Encoder:
    t = shape.type_name
    ns = namespace_attr(shape)
    if t == "structure":
        attrs, children = _structure_writer(shape)

        def structure(value: Any, tag: str, out: Out) -> None:
            extra = attrs(value) if attrs is not None else ""
            out.append(f"<{tag}{ns}{extra}>")
            children(value, out)
            out.append(f"</{tag}>")

        return structure
    if t == "list":
        item = shape.member
        if shape.serialization.get("flattened"):

            def flat_list(value: Any, tag: str, out: Out) -> None:
                enc = encoder(item)
                for v in value:
                    enc(v, tag, out)

            return flat_list
        item_tag = str(item.serialization.get("name", "member"))

        def listing(value: Any, tag: str, out: Out) -> None:
            enc = encoder(item)
            out.append(f"<{tag}{ns}>")
            for v in value:
                enc(v, item_tag, out)
            out.append(f"</{tag}>")

        return listing
    if t == "map":
        ks, vs = shape.key, shape.value
        ktag = str(ks.serialization.get("name", "key"))
        vtag = str(vs.serialization.get("name", "value"))
        flat = bool(shape.serialization.get("flattened"))

        def mapping(value: Any, tag: str, out: Out) -> None:
            kenc, venc = encoder(ks), encoder(vs)
            if not flat:
                out.append(f"<{tag}{ns}>")
            for k, v in value.items():
                out.append("<entry>" if not flat else f"<{tag}>")
                kenc(k, ktag, out)
                venc(v, vtag, out)
                out.append("</entry>" if not flat else f"</{tag}>")
            if not flat:
                out.append(f"</{tag}>")

        return mapping
    if t == "string":

        def string(value: Any, tag: str, out: Out) -> None:
            text = value if value.__class__ is str else scalar_text(shape, value, "iso8601")
            out.append(f"<{tag}{ns}>{escape(text)}</{tag}>")

        return string

    def scalar(value: Any, tag: str, out: Out) -> None:
        out.append(f"<{tag}{ns}>{escape(scalar_text(shape, value, 'iso8601'))}</{tag}>")

    return scalar


# -- reading -----------------------------------------------------------------------------------


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse(body: bytes) -> ET.Element:
    """A request body as an element tree; document type declarations are refused outright."""
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise SerializationException("XML document type declarations are not accepted")
    try:
        return ET.fromstring(body)
    except ET.ParseError as exc:
        raise SerializationException(f"The XML document is not well formed: {exc}") from None


def _bad(shape: Shape, text: str) -> SerializationException:
    shown = text if len(text) <= 64 else text[:61] + "..."
    return SerializationException(f"Value '{shown}' can not be converted to {type_name(shape)}")


def _build_decoder(shape: Shape) -> Decoder:
    t = shape.type_name
    if t == "structure":
        entries = []
        attributes = []
        for name, m in body_members(shape):
            if m.serialization.get("xmlAttribute"):
                attributes.append((str(m.serialization["name"]), name, m))
                continue
            many = m.type_name in ("list", "map") and bool(m.serialization.get("flattened"))
            entries.append((member_key(m, name), name, m, many))

        def structure(node: Any) -> Any:
            if isinstance(node, list):
                node = node[-1]
            groups: dict[str, list[ET.Element]] = {}
            for child in node:
                groups.setdefault(local(child.tag), []).append(child)
            out: dict[str, Any] = {}
            for key, name, m, many in entries:
                found = groups.get(key)
                if found:
                    out[name] = decoder(m)(found if many else found[-1])
            for attr, name, m in attributes:
                for k, v in node.attrib.items():
                    if k == attr or local(k) == attr.rsplit(":", 1)[-1]:
                        out[name] = decoder(m)(v)
            return out

        return structure
    if t == "list":
        item = shape.member
        flat = bool(shape.serialization.get("flattened"))

        def listing(node: Any) -> Any:
            dec = decoder(item)
            items = node if flat else list(node)
            return [dec(child) for child in items]

        return listing
    if t == "map":
        ks, vs = shape.key, shape.value
        ktag = str(ks.serialization.get("name", "key"))
        vtag = str(vs.serialization.get("name", "value"))
        flat = bool(shape.serialization.get("flattened"))

        def mapping(node: Any) -> Any:
            entries = node if flat else list(node)
            out: dict[Any, Any] = {}
            for entry in entries:
                key_node = value_node = None
                for child in entry:
                    tag = local(child.tag)
                    if tag == ktag:
                        key_node = child
                    elif tag == vtag:
                        value_node = child
                if key_node is not None and value_node is not None:
                    out[decoder(ks)(key_node)] = decoder(vs)(value_node)
            return out

        return mapping

    def scalar(node: Any) -> Any:
        text = node if isinstance(node, str) else (node.text or "")
        try:
            return scalar_value(shape, text)
        except ValueError:
            raise _bad(shape, text) from None

    return scalar


# -- error documents ---------------------------------------------------------------------------


def error_response(error: WireError, request_id: str, namespace: str | None) -> bytes:
    """Query and rest-xml: ``<ErrorResponse><Error><Type/><Code/><Message/></Error>...``."""
    ns = f' xmlns="{escape_attr(namespace)}"' if namespace else ""
    kind = "Sender" if error.sender else "Receiver"
    return (
        f"<ErrorResponse{ns}><Error><Type>{kind}</Type><Code>{escape(error.code)}</Code>"
        f"<Message>{escape(error.message)}</Message></Error>"
        f"<RequestId>{escape(request_id)}</RequestId></ErrorResponse>"
    ).encode()


def ec2_error_response(error: WireError, request_id: str) -> bytes:
    """EC2: ``<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/>``."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
        f"<Code>{escape(error.code)}</Code><Message>{escape(error.message)}</Message>"
        f"</Error></Errors><RequestID>{escape(request_id)}</RequestID></Response>"
    ).encode()
