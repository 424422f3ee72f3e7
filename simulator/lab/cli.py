"""Run ``python -m simulator serve`` in a subprocess and drive it with the AWS CLI.

Owns the third way into the simulator as a notebook shows it: start the server on a free
loopback port, read the endpoint and the credentials it prints, run ``aws --endpoint-url ...``
commands against it, and stop it. The served Cloud lives in its own process, so it is a
separate world from any ``Cloud`` in the notebook.

The CLI runs with a clean AWS environment: the served credentials and Region, and
``AWS_CONFIG_FILE``/``AWS_SHARED_CREDENTIALS_FILE`` pointed at the null device so that a
learner's own profiles can neither leak into the lesson nor receive its calls.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_ENDPOINT = re.compile(r"http://[0-9.]+:\d+")
_EXPORT = re.compile(r"export (AWS_[A-Z_]+)=(\S+)")
_NEEDED = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")
# Variables that would point the CLI at another account, profile or endpoint.
_SCRUBBED = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_KMS",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CA_BUNDLE",
)


class AwsCliNotFound(FileNotFoundError):
    """The ``aws`` command is not installed (``pip install awscli`` provides it)."""


class ServerDidNotStart(RuntimeError):
    """``python -m simulator serve`` exited or printed no endpoint in time."""


def find_aws_cli() -> str:
    """The ``aws`` executable next to this Python first (a venv's), then on PATH."""
    found = shutil.which("aws", path=str(Path(sys.executable).parent)) or shutil.which("aws")
    if found is None:
        raise AwsCliNotFound("the AWS CLI is not installed: pip install awscli")
    return found


@dataclass
class ServedCloud:
    """A running ``python -m simulator serve`` and what it printed at start-up."""

    endpoint_url: str
    exports: dict[str, str]
    banner: list[str]
    process: subprocess.Popen[str] = field(repr=False)

    def cli_env(self) -> dict[str, str]:
        """The environment the AWS CLI runs with: the served account and nothing else."""
        env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
        env.update(self.exports)
        env.update(
            {
                "AWS_CONFIG_FILE": os.devnull,
                "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
                "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_PAGER": "",
            }
        )
        return env

    def aws(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run ``aws --endpoint-url <endpoint> --output json <args>``; never raises on failure."""
        command = [find_aws_cli(), "--endpoint-url", self.endpoint_url, "--output", "json", *args]
        return subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=self.cli_env(),
            check=False,
        )

    def aws_json(self, *args: str, timeout: float = 60) -> Any:
        """Run an AWS CLI command and parse its JSON output; raise if the command failed."""
        done = self.aws(*args, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(
                f"aws {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}"
            )
        return json.loads(done.stdout) if done.stdout.strip() else {}


def _pump(stream: Any, lines: queue.Queue[str | None]) -> None:
    # Drain the server's output for its whole life, so a full pipe can never block it.
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put(None)


@contextmanager
def serve(
    seed: int | None = 7,
    *,
    region: str = "us-east-1",
    host: str = "127.0.0.1",
    port: int = 0,
    startup_timeout: float = 30,
) -> Iterator[ServedCloud]:
    """Start ``python -m simulator serve`` (port 0: a free port), yield it, stop it on exit."""
    command = [
        sys.executable,
        "-m",
        "simulator",
        "serve",
        "--host",
        host,
        "--port",
        str(port),
        "--region",
        region,
    ]
    if seed is not None:
        command += ["--seed", str(seed)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str | None] = queue.Queue()
    assert process.stdout is not None
    reader = threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True)
    reader.start()
    try:
        served = _await_banner(process, lines, startup_timeout)
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=10)
        process.stdout.close()


def _await_banner(
    process: subprocess.Popen[str], lines: queue.Queue[str | None], timeout: float
) -> ServedCloud:
    banner: list[str] = []
    endpoint: str | None = None
    exports: dict[str, str] = {}
    deadline = time.monotonic() + timeout
    while endpoint is None or not all(k in exports for k in _NEEDED):
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise ServerDidNotStart(
                f"no endpoint printed within {timeout:g} s:\n" + "\n".join(banner)
            ) from None
        if line is None:
            raise ServerDidNotStart(f"the server exited ({process.wait()}):\n" + "\n".join(banner))
        banner.append(line)
        if endpoint is None and (found := _ENDPOINT.search(line)):
            endpoint = found.group(0)
        if found_export := _EXPORT.search(line):
            exports[found_export.group(1)] = found_export.group(2)
    return ServedCloud(endpoint, exports, banner, process)
