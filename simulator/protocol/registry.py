"""The ``@operation`` decorator and the per-service dispatch table it builds.

A handler declares the AWS operation it implements, whether CloudTrail calls it read-only,
and how to name the resource it acts on for authorization. Its IAM action is derived from the
model (``<signingName>:<Operation>``). A name that is not an operation in botocore's model is
refused when the service class is defined, so typos fail at import, not at request time.
"""

from __future__ import annotations

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
    action: str
    read_only: bool
    method_name: str
    resource: ResourceFn | None


def operation(
    name: str, *, read_only: bool = False, resource: ResourceFn | None = None
) -> Callable[[F], F]:
    def mark(fn: F) -> F:
        fn.__aws_operation__ = OperationInfo(name, read_only, resource)  # type: ignore[attr-defined]
        return fn

    return mark


def collect(cls: type, service: str) -> dict[str, OperationSpec]:
    """Find the ``@operation`` methods of ``cls`` and check each against the model."""
    found: list[tuple[str, OperationInfo]] = []
    for klass in reversed(cls.__mro__):
        for attr, fn in vars(klass).items():
            info: OperationInfo | None = getattr(fn, "__aws_operation__", None)
            if info is not None:
                found.append((attr, info))
    table: dict[str, OperationSpec] = {}
    if not found:
        return table  # no model needed (and none loaded) for a service with no handlers yet
    model = spec.service_model(service)
    known = set(model.operation_names)
    prefix = model.signing_name
    for attr, info in found:
        if info.name not in known:
            raise TypeError(f"{cls.__name__}.{attr}: {info.name!r} is not a {service} operation")
        table[info.name] = OperationSpec(
            service=service,
            name=info.name,
            action=f"{prefix}:{info.name}",
            read_only=info.read_only,
            method_name=attr,
            resource=info.resource,
        )
    return table


def coverage(service: str, implemented: dict[str, OperationSpec]) -> dict[str, list[str]]:
    """Which of the model's operations are simulated and which are not (for docs and tests)."""
    names = sorted(spec.service_model(service).operation_names)
    return {
        "implemented": [n for n in names if n in implemented],
        "not_simulated": [n for n in names if n not in implemented],
    }
