"""The Cloud facade: an offline AWS with accounts, Regions, a virtual clock and clients.

    cloud = Cloud(seed=7)
    kms = cloud.client("kms", region_name="eu-west-1")     # a genuine botocore client
    with cloud.patch_boto3():                               # unmodified boto3 code
        boto3.client("kms", region_name="us-east-1").list_keys()
    cloud.clock.advance(days=30)
    cloud.trail.to_dataframe()

Everything reaches the one :class:`~simulator.protocol.dispatch.Dispatcher`.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.core import snapshot
from simulator.core.accounts import Account, AuthResult, CredentialStore
from simulator.core.audit import Trail
from simulator.core.clock import SEEDED_EPOCH, Clock, wall_clock_now
from simulator.core.context import Principal
from simulator.core.dns import Resolver
from simulator.core.events import EventBus
from simulator.core.ids import IdSource
from simulator.core.mail import MailSystem
from simulator.core.scheduler import Scheduler
from simulator.core.sealing import Sealer
from simulator.protocol import spec
from simulator.protocol.dispatch import Dispatcher
from simulator.services.base import Service, ServiceEnv
from simulator.services.table import ServiceTable
from simulator.transport import botocore_hook

if TYPE_CHECKING:
    import botocore.client
    import botocore.session

    from simulator.services.awslambda.service import LambdaService
    from simulator.services.iam.service import IamService
    from simulator.services.kms.service import KmsService
    from simulator.services.sts.service import StsService

DEFAULT_REGION = "us-east-1"


class Cloud:
    """A whole simulated AWS world. ``seed`` makes it reproducible (teaching mode only)."""

    def __init__(
        self,
        seed: int | None = None,
        *,
        start: _dt.datetime | None = None,
        account_id: str | None = None,
        default_region: str = DEFAULT_REGION,
    ) -> None:
        self.seed = seed
        self.ids = IdSource(seed)
        self.scheduler = Scheduler()
        if start is None:
            start = SEEDED_EPOCH if seed is not None else wall_clock_now()
        self.clock = Clock(start, self.scheduler)
        self.events = EventBus(self.ids, self.clock.now)
        self.mail = MailSystem(self.ids, self.clock.now)  # inboxes for AWS e-mail (core/mail.py)
        self.trail = Trail()
        self.regions: tuple[str, ...] = spec.regions()
        self.region_set = frozenset(self.regions)
        if default_region not in self.regions:
            raise ValueError(f"unknown Region {default_region!r}")
        self.default_region = default_region
        # The Cloud's "HSM domain key": KMS key material is held wrapped under it, in memory
        # and in snapshots, so plaintext material never sits in state, reprs or files.
        self._domain_key = self.ids.bytes(32)
        self.vault = Sealer(self._domain_key, self.ids)
        self.accounts: dict[str, Account] = {}
        # Access key id -> principal; IAM and STS keep it current (core/accounts.py).
        self._access_keys = CredentialStore()
        # Services are created on first use (services/table.py): importing and building all
        # of them would make every Cloud pay for the ones a lesson never touches.
        self._services = ServiceTable(self._create_service)
        self._account_created: dict[str, _dt.datetime] = {}
        self.default_account = self.create_account(account_id)
        env = ServiceEnv(
            self.clock,
            self.ids,
            self.scheduler,
            self.events,
            self.trail,
            self.vault,
            self._services,
            credentials=self._access_keys,
            mail=self.mail,
        )
        self._env = env
        self.quotas = env.quotas  # quota tables with per-account adjustments (core/quotas.py)
        self.scheduler.resolver = self.events.resolver = self.mail.resolver = self._ensure
        self.dispatcher = Dispatcher(self)
        env.call_on_behalf = self.dispatcher.call_on_behalf
        self._session: botocore.session.Session | None = None

    def _ensure(self, name: str) -> object:
        """Create the service ``name`` if this Cloud answers it (None if it does not)."""
        return self._services.get(name)

    def _create_service(self, name: str) -> Service:
        from simulator.services.table import service_class

        service = service_class(name)(self._env)
        dict.__setitem__(self._services, name, service)
        self._wire(name, service)
        return service

    def _wire(self, name: str, service: Any) -> None:
        """What a new service needs from the Cloud beyond its ServiceEnv."""
        if name == "iam":  # every account's Administrator becomes a real IAM user
            for account_id, account in self.accounts.items():
                service.adopt_account(account, created=self._account_created.get(account_id))
        elif name == "lambda":
            service.cloud = self  # handlers' boto3 clients reach this Cloud
        elif name == "sns":  # SNS invokes subscribed functions asynchronously through Lambda
            service.register_lambda(
                lambda d: self.lambda_functions.invoke_async(d.function_arn, d.event)
            )

    def __repr__(self) -> str:
        return (
            f"<Cloud seed={self.seed} now={self.clock.now().isoformat()} "
            f"accounts={list(self.accounts)}>"
        )

    # -- accounts and principals ----------------------------------------------------------
    def create_account(self, account_id: str | None = None) -> Account:
        account = Account.create(self.ids, account_id)
        if account.account_id in self.accounts:
            raise ValueError(f"account {account.account_id} already exists")
        self.accounts[account.account_id] = account
        self._access_keys[account.admin_key.access_key_id] = account.admin_key.principal
        self._account_created[account.account_id] = self.clock.now()
        if "iam" in self._services:  # created already: adopt now (otherwise IAM adopts it)
            self.iam.adopt_account(account, created=self.clock.now())
        return account

    def principal_for_access_key(self, access_key_id: str) -> Principal | None:
        """Whom an active, unexpired access key stands for (None: unknown or unusable)."""
        return self._access_keys.principal(access_key_id, self.clock.now())

    def authenticate(
        self, access_key_id: str, session_token: str | None
    ) -> tuple[Principal | None, AuthResult]:
        """Check a request's key id and ``X-Amz-Security-Token`` against the virtual clock."""
        return self._access_keys.authenticate(access_key_id, session_token, self.clock.now())

    def credentials(self, account_id: str | None = None) -> dict[str, str]:
        """The administrator's access key of an account, as boto3 keyword arguments."""
        account = self.accounts[account_id or self.default_account.account_id]
        return {
            "aws_access_key_id": account.admin_key.access_key_id,
            "aws_secret_access_key": account.admin_key.secret_access_key,
        }

    def throttling(self, enabled: bool = True) -> None:
        """Turn request-rate quotas on (off by default): counted per virtual-clock second."""
        self.quotas.throttling = enabled

    # -- services -------------------------------------------------------------------------
    def service(self, name: str) -> Service:
        return self._services[name]

    def service_names(self) -> Collection[str]:
        """The botocore names of the services this Cloud answers, created yet or not."""
        return self._services.names()

    def register_service(self, cls: type[Service]) -> Service:
        """Answer ``cls.service_name`` with ``cls``, replacing whatever answered it before.

        Built-in services are listed in ``services/table.py``; this adds one defined elsewhere
        (a test's, a lesson's). Requests find it by its model: the X-Amz-Target prefix for JSON
        services, otherwise the SigV4 signing name and the protocol's operation routing.
        """
        service = cls(self._env)
        self._services[cls.service_name] = service
        self._services.add_name(cls.service_name)
        self.dispatcher.forget(cls.service_name)
        return service

    @property
    def iam(self) -> IamService:
        from simulator.services.iam.service import IamService

        svc = self._services["iam"]
        assert isinstance(svc, IamService)
        return svc

    @property
    def sts(self) -> StsService:
        from simulator.services.sts.service import StsService

        svc = self._services["sts"]
        assert isinstance(svc, StsService)
        return svc

    @property
    def kms(self) -> KmsService:
        from simulator.services.kms.service import KmsService

        svc = self._services["kms"]
        assert isinstance(svc, KmsService)
        return svc

    @property
    def dns(self) -> Resolver:
        """DNS answers from public Route 53 zones, then ``cloud.dns.external`` (core/dns.py)."""
        from simulator.services.route53.service import Route53Service

        svc = self._services["route53"]
        assert isinstance(svc, Route53Service)
        return svc.resolver

    @property
    def lambda_functions(self) -> LambdaService:
        """Lambda, with the notebook helpers ``register(...)``, ``logs(name)``, ``allow_code``."""
        from simulator.services.awslambda.service import LambdaService

        svc = self._services["lambda"]
        assert isinstance(svc, LambdaService)
        return svc

    # -- clients --------------------------------------------------------------------------
    def botocore_session(self) -> botocore.session.Session:
        if self._session is None:
            self._session = botocore_hook.new_session()
        return self._session

    def client(
        self,
        service_name: str,
        region_name: str | None = None,
        account_id: str | None = None,
        **kwargs: Any,
    ) -> botocore.client.BaseClient:
        """A genuine botocore client whose requests this Cloud answers in-process.

        It signs with the account administrator's keys unless ``aws_access_key_id`` (and its
        secret, and a session token for temporary credentials) are given in ``kwargs``.
        """
        region = region_name or self.default_region
        if region not in self.regions:
            raise ValueError(f"unknown Region {region!r}; see cloud.regions")
        if account_id is not None and account_id not in self.accounts:
            raise ValueError(f"no account {account_id!r} in this Cloud; use cloud.create_account")
        signing = {**self.credentials(account_id), **kwargs}
        client = self.botocore_session().create_client(service_name, region_name=region, **signing)
        botocore_hook.attach(client, self.dispatcher)
        return client

    @contextlib.contextmanager
    def patch_boto3(self) -> Iterator[Cloud]:
        """Route every boto3/botocore client created inside the block to this Cloud."""
        with botocore_hook.patched(self):
            yield self

    # -- snapshots ------------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str], *, passphrase: str | None = None) -> Path:
        """Write the whole world atomically; key material stays wrapped (see snapshot.py)."""
        return snapshot.save(self, Path(path), passphrase)

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, passphrase: str | None = None) -> Cloud:
        # IAM adopts each account's Administrator when it is created, so a snapshot saved
        # before IAM was ever used (or older than IAM) still gets real IAM users.
        return snapshot.load(cls, Path(path), passphrase)


__all__ = ["Cloud", "DEFAULT_REGION"]
