"""The Cloud's services by botocore name, each created the first time something needs it.

A Cloud answers fifteen services, but a notebook about KMS touches two or three of them.
Creating a service means importing its package (and, for some, ``cryptography.x509`` or big
catalogs), so the table imports and builds each one on first use: the first request to it,
``cloud.service(name)``, another service reaching it through ``env.services``, a scheduled job,
an EventBridge target or a mail link of its kind, or a snapshot that holds its state. Whether a
service has been created changes nothing a learner can observe.

``name in table`` and iteration see only the services created so far (what a snapshot saves);
``table[name]`` and ``table.get(name)`` create a known service on the spot.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from simulator.protocol import spec

if TYPE_CHECKING:
    from simulator.services.base import Service

#: Built-in services besides the JSON placeholders: botocore name -> "module:Class".
BUILT_IN: dict[str, str] = {
    "kms": "simulator.services.kms.service:KmsService",
    "events": "simulator.services.events.service:EventsService",
    "cloudtrail": "simulator.services.cloudtrail.service:CloudTrailService",
    "iam": "simulator.services.iam.service:IamService",
    "sts": "simulator.services.sts.service:StsService",
    "lambda": "simulator.services.awslambda.service:LambdaService",
    "ec2": "simulator.services.ec2.service:Ec2Service",
    "sns": "simulator.services.sns.service:SnsService",
    "route53": "simulator.services.route53.service:Route53Service",
    "acm": "simulator.services.acm.service:AcmService",
    "elbv2": "simulator.services.elbv2.service:Elbv2Service",
    "logs": "simulator.services.logs.service:LogsService",
}


def service_class(name: str) -> type[Service]:
    """The class that answers ``name``: built in, or a NotSimulated placeholder (JSON)."""
    path = BUILT_IN.get(name)
    if path is not None:
        module, _, attr = path.partition(":")
        cls: type[Service] = getattr(importlib.import_module(module), attr)
        return cls
    if name in spec.JSON_SERVICES:
        from simulator.services.unsimulated import unsimulated_service

        return unsimulated_service(name)
    raise KeyError(name)


def known_names() -> list[str]:
    """Every built-in name, JSON services first (``kms`` leading: the common first call)."""
    names = list(spec.JSON_SERVICES)
    names += [n for n in BUILT_IN if n not in names]
    return names


class ServiceTable(dict[str, "Service"]):
    """name -> service; a known name missing from the table is created by ``create``."""

    def __init__(self, create: Callable[[str], Service]) -> None:
        super().__init__()
        self._create = create
        self._names = known_names()

    def __missing__(self, name: str) -> Service:
        if name not in self._names:
            raise KeyError(name)
        return self._create(name)

    def get(self, name: str, default: Any = None) -> Any:
        try:
            return self[name]
        except KeyError:
            return default

    def names(self) -> list[str]:
        """Every name this table answers, created or not."""
        return self._names

    def add_name(self, name: str) -> None:
        if name not in self._names:
            self._names.append(name)
