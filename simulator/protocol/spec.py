"""botocore's service models, loaded once per process: the single source of truth.

Operation names, shapes, blob/timestamp members, enums and constraints all come from here;
nothing in the simulator copies the JSON or hand-writes such lists. The same
:class:`botocore.loaders.Loader` instance is handed to the botocore sessions the Cloud creates,
so a model is parsed once whether the client or the dispatcher asks for it first.
"""

from __future__ import annotations

import functools
from typing import Any

import botocore.loaders
import botocore.model

#: The services this kit simulates over the JSON 1.1 protocol, by botocore service name.
JSON_SERVICES: tuple[str, ...] = (
    "kms",
    "secretsmanager",
    "ssm",
    "acm",
    "acm-pca",
    "events",
    "cloudtrail",
)


@functools.cache
def loader() -> botocore.loaders.Loader:
    return botocore.loaders.create_loader()


@functools.cache
def service_model(service: str) -> botocore.model.ServiceModel:
    data = loader().load_service_model(service, "service-2")
    return botocore.model.ServiceModel(data, service_name=service)


@functools.cache
def target_prefixes() -> dict[str, str]:
    """``X-Amz-Target`` prefix → botocore service name, read from each model's metadata."""
    out: dict[str, str] = {}
    for name in JSON_SERVICES:
        prefix = service_model(name).metadata["targetPrefix"]
        out[prefix] = name
    return out


@functools.cache
def endpoint_data() -> dict[str, Any]:
    data: dict[str, Any] = loader().load_data("endpoints")
    return data


@functools.cache
def regions() -> tuple[str, ...]:
    """Every Region of the commercial ``aws`` partition, from botocore's endpoint data."""
    for partition in endpoint_data()["partitions"]:
        if partition["partition"] == "aws":
            return tuple(sorted(partition["regions"]))
    raise RuntimeError("botocore endpoint data has no 'aws' partition")


@functools.cache
def declared_errors(service: str) -> frozenset[str]:
    """Error codes a service's model declares (any operation, any error shape)."""
    model = service_model(service)
    codes: set[str] = set()
    for shape_name in model.shape_names:
        shape = model.shape_for(shape_name)
        if shape.metadata.get("exception"):
            codes.add(shape.error_code or shape_name)
    return frozenset(codes)
