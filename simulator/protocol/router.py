"""Which service and operation a request without ``X-Amz-Target`` names.

JSON-protocol requests are routed by their ``X-Amz-Target`` prefix in dispatch.py. Every other
request is routed here: first by the service name in its SigV4 credential scope (the model's
``signingName``, else its ``endpointPrefix``: ``iam``, ``sts``, ``elasticloadbalancing``,
``lambda``), matched against the services the Cloud knows, then by the protocol's own rule:
the ``Action`` form field (query, ec2; ``Version`` tells apart services sharing a signing name,
such as ELB and ELBv2), or the HTTP method and URI template (rest-json, rest-xml). The
signing-name map is filled lazily; a signing name equal to a known service's name is confirmed
from that one model, so routing IAM never parses the larger models of other services.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Collection, Iterator, Mapping

from simulator.core.errors import AWSError, NotSimulatedException, UnknownOperationException
from simulator.protocol import spec
from simulator.protocol.wire import HttpParts, Located, Wire


class _Wires(Mapping[str, type[Wire]]):
    """Protocol name -> its Wire class, imported on first use: a Cloud that only ever sees
    JSON requests (KMS) never loads the XML and form codecs."""

    _WHERE = {
        "query": "simulator.protocol.query:QueryWire",
        "ec2": "simulator.protocol.query:Ec2Wire",
        "rest-json": "simulator.protocol.rest:RestJsonWire",
        "rest-xml": "simulator.protocol.rest:RestXmlWire",
    }

    def __getitem__(self, protocol: str) -> type[Wire]:
        module, _, attr = self._WHERE[protocol].partition(":")
        cls: type[Wire] = getattr(importlib.import_module(module), attr)
        return cls

    def __iter__(self) -> Iterator[str]:
        return iter(self._WHERE)

    def __len__(self) -> int:
        return len(self._WHERE)


WIRES: Mapping[str, type[Wire]] = _Wires()


@functools.cache
def protocol_of(service: str) -> str:
    """The protocol botocore speaks to ``service`` (its first supported one)."""
    model = spec.service_model(service)
    try:
        return str(model.resolved_protocol)
    except Exception:  # an old botocore, or a model listing only protocols it lacks
        return str(model.protocol)


@functools.cache
def signing_name(service: str) -> str:
    meta = spec.service_model(service).metadata
    return str(meta.get("signingName") or meta["endpointPrefix"])


@functools.cache
def _botocore_services() -> frozenset[str]:
    return frozenset(spec.loader().list_available_services("service-2"))


class RouteError(Exception):
    """No operation found: ``error`` is written by ``wire`` (None: the JSON error format)."""

    def __init__(self, wire: Wire | None, error: AWSError) -> None:
        super().__init__(error.message)
        self.wire = wire
        self.error = error


class Router:
    def __init__(self, services: Callable[[], Collection[str]]) -> None:
        self._services = services
        self._wires: dict[str, Wire | None] = {}
        self._by_signing: dict[str, tuple[str, ...]] = {}

    def forget(self) -> None:
        """Drop what was learnt (a service was registered or replaced)."""
        self._wires.clear()
        self._by_signing.clear()

    def wire(self, service: str) -> Wire | None:
        """The service's non-JSON protocol, built once (None for a JSON service)."""
        if service in self._wires:
            return self._wires[service]
        cls = WIRES.get(protocol_of(service))
        found = cls(service) if cls is not None else None
        self._wires[service] = found
        return found

    def services_signing_as(self, signing: str) -> tuple[str, ...]:
        hit = self._by_signing.get(signing)
        if hit is not None:
            return hit
        names = self._services()
        if signing in names and signing_name(signing) == signing:
            found: tuple[str, ...] = (signing,)
        else:
            found = tuple(n for n in names if signing_name(n) == signing)
        if len(self._by_signing) < 1024:  # signing names come from callers; keep this small
            self._by_signing[signing] = found
        return found

    def find(self, parts: HttpParts, signing: str) -> Located:
        """The operation ``parts`` names, or :class:`RouteError` saying why there is none."""
        services = self.services_signing_as(signing)
        if not services:
            raise RouteError(self._foreign(signing), _not_simulated(signing))
        wires = [w for w in map(self.wire, services) if w is not None]
        if not wires:  # JSON services are only ever reached through X-Amz-Target
            raise RouteError(None, UnknownOperationException("Unknown operation target (none)"))
        for wire in wires:
            try:
                located = wire.locate(parts)
            except AWSError as exc:
                raise RouteError(wire, exc) from None
            if located is not None:
                return located
        raise RouteError(wires[0], wires[0].unknown_operation(parts))

    def is_foreign(self, signing: str) -> bool:
        """True for an AWS service botocore knows and this Cloud does not answer."""
        return not self.services_signing_as(signing) and signing in _botocore_services()

    def not_simulated(self, signing: str) -> NotSimulatedException:
        return _not_simulated(signing)

    def _foreign(self, signing: str) -> Wire | None:
        """A protocol to refuse an unsimulated AWS service in, so its SDK reads the error."""
        if signing not in _botocore_services():
            return None
        return self.wire(signing)


def _not_simulated(signing: str) -> NotSimulatedException:
    return NotSimulatedException(
        f"Secrets Lab does not simulate the {signing} service; no request was processed."
    )
