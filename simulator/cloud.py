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
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.core import snapshot
from simulator.core.accounts import Account
from simulator.core.audit import Trail
from simulator.core.clock import SEEDED_EPOCH, Clock, wall_clock_now
from simulator.core.context import Principal
from simulator.core.events import EventBus
from simulator.core.ids import IdSource
from simulator.core.scheduler import Scheduler
from simulator.core.sealing import Sealer
from simulator.protocol import spec
from simulator.protocol.dispatch import Dispatcher
from simulator.services.base import Service, ServiceEnv
from simulator.services.kms.service import KmsService
from simulator.services.unsimulated import unsimulated_service
from simulator.transport import botocore_hook

if TYPE_CHECKING:
    import botocore.client
    import botocore.session

DEFAULT_REGION = "us-east-1"
_SERVICE_CLASSES: dict[str, type[Service]] = {"kms": KmsService}


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
        self._access_keys: dict[str, Principal] = {}
        self.default_account = self.create_account(account_id)
        self._services: dict[str, Service] = {}
        env = ServiceEnv(
            self.clock,
            self.ids,
            self.scheduler,
            self.events,
            self.trail,
            self.vault,
            self._services,
        )
        self._env = env
        self.quotas = env.quotas  # quota tables with per-account adjustments (core/quotas.py)
        for name in spec.JSON_SERVICES:
            cls = _SERVICE_CLASSES.get(name) or unsimulated_service(name)
            self._services[name] = cls(env)
        self.dispatcher = Dispatcher(self)
        self._session: botocore.session.Session | None = None

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
        return account

    def principal_for_access_key(self, access_key_id: str) -> Principal | None:
        return self._access_keys.get(access_key_id)

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

    @property
    def kms(self) -> KmsService:
        svc = self._services["kms"]
        assert isinstance(svc, KmsService)
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
        """A genuine botocore client whose requests this Cloud answers in-process."""
        region = region_name or self.default_region
        if region not in self.regions:
            raise ValueError(f"unknown Region {region!r}; see cloud.regions")
        if account_id is not None and account_id not in self.accounts:
            raise ValueError(f"no account {account_id!r} in this Cloud; use cloud.create_account")
        client = self.botocore_session().create_client(
            service_name, region_name=region, **self.credentials(account_id), **kwargs
        )
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
        return snapshot.load(cls, Path(path), passphrase)


__all__ = ["Cloud", "DEFAULT_REGION"]
