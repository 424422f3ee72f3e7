"""What every simulated service gets from the Cloud, and the base class it builds on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from simulator.core.accounts import CredentialStore
from simulator.core.certificates import CertificateUsage
from simulator.core.quotas import QuotaBook
from simulator.protocol import registry

if TYPE_CHECKING:
    from simulator.core.audit import Trail
    from simulator.core.clock import Clock
    from simulator.core.events import EventBus
    from simulator.core.ids import IdSource
    from simulator.core.mail import MailSystem
    from simulator.core.scheduler import Scheduler
    from simulator.core.sealing import Sealer


@dataclass
class ServiceEnv:
    """Core services handed to each simulated service (never reached through globals)."""

    clock: Clock
    ids: IdSource
    scheduler: Scheduler
    events: EventBus
    trail: Trail
    vault: Sealer
    services: dict[str, Service]
    quotas: QuotaBook = field(default_factory=QuotaBook)
    credentials: CredentialStore = field(default_factory=CredentialStore)  # IAM and STS write
    mail: MailSystem = field(kw_only=True)  # AWS e-mail to learners (core/mail.py)
    # ACM certificate <-> integrated resources (ELBv2 listeners); ACM's InUseBy reads it
    certificate_usage: CertificateUsage = field(default_factory=CertificateUsage, kw_only=True)
    # Dispatcher.call_on_behalf (set by the Cloud): one service calling another for a caller,
    # audited with invokedBy (e.g. Secrets Manager -> KMS)
    call_on_behalf: Callable[..., Any] | None = field(default=None, kw_only=True)


class Service:
    """Base class: subclasses set ``service_name`` and mark handlers with ``@operation``."""

    service_name: ClassVar[str]
    operations: ClassVar[dict[str, registry.OperationSpec]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "service_name" in cls.__dict__:
            cls.operations = registry.collect(cls, cls.service_name)

    def __init__(self, env: ServiceEnv) -> None:
        self.env = env

    def dump(self) -> Any:
        raise NotImplementedError

    def restore(self, data: Any) -> None:
        raise NotImplementedError
