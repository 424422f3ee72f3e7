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

import botocore.exceptions
import botocore.session
from botocore.awsrequest import AWSResponse

from simulator.protocol import spec
from simulator.protocol.dispatch import AwsRequest, Dispatcher

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
    if service_name not in spec.JSON_SERVICES:

        def refuse(**_: Any) -> None:
            raise ServiceNotSimulatedError(service_name=service_name)

        client.meta.events.register_first("before-send", refuse)
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


_READ_HEADERS = frozenset(("x-amz-target", "authorization", "user-agent", "content-type"))
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
