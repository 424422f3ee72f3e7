"""The three backends a workload runs against, each behind a genuine botocore KMS client.

``open_target`` yields ``(client, key_id)`` and tears the backend down afterwards:

- ``simulator``: a Secrets Lab ``Cloud`` (seeded by default, as the notebooks use it);
- ``moto``: moto's ``mock_aws`` with fake credentials in the environment;
- ``floor``: canned responses, no backend (see :mod:`benchmarks.floor`).

A fourth target, ``crypto``, has no client: it is the workload's ``cryptography`` work alone
(see :mod:`benchmarks.workloads`), run by the harness, not here.

Each client comes from a fresh ``botocore.session.Session`` in ``us-east-1`` with an explicit
access key, so the client side (serializer, signer, parser, handlers) is the same for all three.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
from collections.abc import Iterator
from typing import Any

from benchmarks.floor import REGION, floor_client
from benchmarks.workloads import Workload

TARGETS: tuple[str, ...] = ("floor", "crypto", "simulator", "moto")
CLIENT_TARGETS: tuple[str, ...] = ("floor", "simulator", "moto")
MOTO_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
}


def moto_available() -> bool:
    return importlib.util.find_spec("moto") is not None


@contextlib.contextmanager
def open_target(
    name: str, workload: Workload, *, seed: int | None = 7
) -> Iterator[tuple[Any, str]]:
    if name == "floor":
        client = floor_client(**workload.floor_options())
        yield client, client.create_key(**workload.key_params)["KeyMetadata"]["KeyId"]
    elif name == "simulator":
        from simulator import Cloud

        cloud = Cloud(seed=seed)
        client = cloud.client("kms", region_name=REGION)
        yield client, client.create_key(**workload.key_params)["KeyMetadata"]["KeyId"]
    elif name == "moto":
        # Fake credentials first, so nothing can ever reach a real account.
        os.environ.update(MOTO_CREDENTIALS)
        import botocore.session
        from moto import mock_aws

        with mock_aws():
            client = botocore.session.Session().create_client(
                "kms",
                region_name=REGION,
                aws_access_key_id=MOTO_CREDENTIALS["AWS_ACCESS_KEY_ID"],
                aws_secret_access_key=MOTO_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            )
            yield client, client.create_key(**workload.key_params)["KeyMetadata"]["KeyId"]
    else:
        raise ValueError(f"unknown target {name!r}; choose from {', '.join(CLIENT_TARGETS)}")
