"""The ``@operation`` decorator and the per-service dispatch table it builds.

A handler declares the AWS operation it implements, whether CloudTrail calls it read-only,
and how to name the resource it acts on for authorization. Its IAM action is derived from the
model (``<signingName>:<Operation>``). A name that is not an operation in botocore's model is
refused by :func:`verify`: the dispatcher runs it when a service answers its first request, and
a test runs it over every built-in service, so a typo fails the suite. Defining a service class
loads no model: importing the simulator stays as cheap as importing botocore.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from simulator.protocol import spec

if TYPE_CHECKING:
    from simulator.core.context import RequestContext

ResourceFn = Callable[[Any, "RequestContext", dict[str, Any]], str]
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class OperationInfo:
    name: str
    read_only: bool
    resource: ResourceFn | None


@dataclass(frozen=True)
class OperationSpec:
    service: str
    name: str
    read_only: bool
    method_name: str
    resource: ResourceFn | None

    @functools.cached_property
    def action(self) -> str:
        """The IAM action, ``<signingName>:<Operation>`` from the model (read once)."""
        return f"{spec.service_model(self.service).signing_name}:{self.name}"


def operation(
    name: str, *, read_only: bool = False, resource: ResourceFn | None = None
) -> Callable[[F], F]:
    def mark(fn: F) -> F:
        fn.__aws_operation__ = OperationInfo(name, read_only, resource)  # type: ignore[attr-defined]
        return fn

    return mark


def collect(cls: type, service: str) -> dict[str, OperationSpec]:
    """Find the ``@operation`` methods of ``cls`` (checked against the model by verify)."""
    found: list[tuple[str, OperationInfo]] = []
    for klass in reversed(cls.__mro__):
        for attr, fn in vars(klass).items():
            info: OperationInfo | None = getattr(fn, "__aws_operation__", None)
            if info is not None:
                found.append((attr, info))
    return {
        info.name: OperationSpec(
            service=service,
            name=info.name,
            read_only=info.read_only,
            method_name=attr,
            resource=info.resource,
        )
        for attr, info in found
    }


_VERIFIED: set[type] = set()


def verify(cls: Any) -> None:
    """Refuse (TypeError) a service class whose handlers name operations its model lacks."""
    if cls in _VERIFIED:
        return
    table: dict[str, OperationSpec] = cls.operations
    if table:
        known = set(spec.service_model(cls.service_name).operation_names)
        for op in table.values():
            if op.name not in known:
                raise TypeError(
                    f"{cls.__name__}.{op.method_name}: {op.name!r} is not a "
                    f"{cls.service_name} operation"
                )
    _VERIFIED.add(cls)


def coverage(service: str, implemented: dict[str, OperationSpec]) -> dict[str, list[str]]:
    """Which of the model's operations are simulated and which are not (for docs and tests)."""
    names = sorted(spec.service_model(service).operation_names)
    return {
        "implemented": [n for n in names if n in implemented],
        "not_simulated": [n for n in names if n not in implemented],
    }
