"""In-process transport: answer a botocore client's HTTP send from the dispatcher.

``attach`` registers a ``before-send`` handler on one client: botocore serializes and signs
the request as usual, then, instead of opening a connection, hands it to us and parses the
response we return, exactly as it would parse AWS's. ``patched`` wraps
``botocore.session.Session.create_client`` so every client made inside the block, by any
session, including ones third-party libraries build for themselves, is attached.
"""

from __future__ import annotations

import contextlib
import inspect
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import botocore.exceptions
import botocore.session
from botocore.awsrequest import AWSResponse

from simulator.protocol import spec
from simulator.protocol.dispatch import AwsRequest, Dispatcher
from simulator.protocol.router import protocol_of

if TYPE_CHECKING:
    import botocore.client

    from simulator.cloud import Cloud


class ServiceNotSimulatedError(botocore.exceptions.BotoCoreError):  # type: ignore[misc]
    """Raised by a patched client of a service Secrets Lab does not simulate."""

    fmt = "Secrets Lab does not simulate the {service_name} service; no request was sent."


class _Body:
    """The minimal raw-response object botocore reads a body from."""

    __slots__ = ("_data",)

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data

    def read(self, *_: Any) -> bytes:
        data, self._data = self._data, b""
        return data


def new_session() -> botocore.session.Session:
    session = botocore.session.Session()
    # Share the process-wide loader so models are parsed once for clients and dispatcher.
    session.register_component("data_loader", spec.loader())
    return session


def attach(client: botocore.client.BaseClient, dispatcher: Dispatcher) -> None:
    service_name = client.meta.service_model.service_name
    if not dispatcher.serves(service_name):

        def refuse(**_: Any) -> None:
            raise ServiceNotSimulatedError(service_name=service_name)

        client.meta.events.register_first("before-send", refuse)
        return
    if protocol_of(service_name) != "json":
        client.meta.events.register_first("before-send", _wire_answer(dispatcher))
        return

    def answer(request: Any, **_: Any) -> AWSResponse:
        body = request.body
        if body is None:
            body = b""
        elif isinstance(body, str):
            body = body.encode("utf-8")
        elif not isinstance(body, (bytes, bytearray)):
            body = body.read()
        # Copy only the headers the dispatcher reads: botocore's header object is slow to
        # iterate, and this hook runs on every call.
        headers = {}
        source = request.headers
        for name in source:
            lowered = name.lower()
            if lowered in _READ_HEADERS:
                value = source[name]
                headers[lowered] = value.decode() if isinstance(value, bytes) else value
        response = dispatcher.handle(AwsRequest(headers, bytes(body), request.method))
        return AWSResponse(request.url, response.status, response.headers, _Body(response.body))

    client.meta.events.register_first("before-send", answer)


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    data = body.read()  # a streaming upload (file-like)
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def _wire_answer(dispatcher: Dispatcher) -> Any:
    """The before-send handler for query, ec2, rest-json and rest-xml clients: these protocols
    put parameters in the URI, the query string and any header, so all of them are passed."""

    def answer(request: Any, **_: Any) -> AWSResponse:
        headers = {}
        for name, value in request.headers.items():
            headers[name.lower()] = value.decode() if isinstance(value, bytes) else value
        url = urlsplit(request.url)
        target = (url.path or "/") + (f"?{url.query}" if url.query else "")
        wire_request = AwsRequest(headers, _body_bytes(request.body), request.method, target)
        response = dispatcher.handle(wire_request)
        return AWSResponse(request.url, response.status, response.headers, _Body(response.body))

    return answer


_READ_HEADERS = frozenset(
    ("x-amz-target", "authorization", "x-amz-security-token", "user-agent", "content-type")
)
_patch_lock = threading.Lock()
_ORIGINAL_CREATE_CLIENT = botocore.session.Session.create_client
_SIGNATURE = inspect.signature(_ORIGINAL_CREATE_CLIENT)


@contextlib.contextmanager
def patched(cloud: Cloud) -> Iterator[None]:
    """Within the block, every new botocore client is answered by ``cloud``."""

    def create_client(self: botocore.session.Session, *args: Any, **kwargs: Any) -> Any:
        bound = _SIGNATURE.bind(self, *args, **kwargs)
        call = bound.arguments
        key_id = call.get("aws_access_key_id")
        if key_id is None or cloud.principal_for_access_key(key_id) is None:
            # Credentials unknown to the Cloud (or none at all: a learner's laptop without
            # AWS config) are replaced by the default account's administrator key.
            call.update(cloud.credentials())
            call["aws_session_token"] = None
        if call.get("region_name") is None and self.get_config_variable("region") is None:
            call["region_name"] = cloud.default_region
        client = _ORIGINAL_CREATE_CLIENT(*bound.args, **bound.kwargs)
        attach(client, cloud.dispatcher)
        return client

    with _patch_lock:
        previous = botocore.session.Session.create_client
        botocore.session.Session.create_client = create_client
    try:
        yield
    finally:
        with _patch_lock:
            botocore.session.Session.create_client = previous
