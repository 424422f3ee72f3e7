"""A placeholder service for the JSON services whose simulation has not landed yet.

It has no handlers, so the dispatcher answers each of its operations (after decoding and
validating the request against the model) with ``NotSimulatedException`` naming the
operation: a clear error, never a silent success.
"""

from __future__ import annotations

from typing import Any

from simulator.services.base import Service


def unsimulated_service(name: str) -> type[Service]:
    def dump(self: Service) -> Any:
        return None

    def restore(self: Service, data: Any) -> None:
        return None

    return type(
        f"Unsimulated_{name.replace('-', '_')}",
        (Service,),
        {"service_name": name, "dump": dump, "restore": restore},
    )
