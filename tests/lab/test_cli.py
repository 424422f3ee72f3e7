"""simulator.lab.cli: a served simulator in a subprocess, driven by the real AWS CLI."""

from __future__ import annotations

import os

import pytest

from simulator.lab import cli
from simulator.lab.cli import ServedCloud


@pytest.fixture(scope="module")
def served() -> object:
    try:
        cli.find_aws_cli()
    except cli.AwsCliNotFound:
        pytest.skip("the AWS CLI is not installed")
    with cli.serve(seed=7, region="eu-west-1") as running:
        yield running


def test_banner_gives_loopback_endpoint_and_credentials(served: ServedCloud) -> None:
    assert served.endpoint_url.startswith("http://127.0.0.1:")
    assert not served.endpoint_url.endswith(":0")
    assert served.exports["AWS_DEFAULT_REGION"] == "eu-west-1"
    assert served.exports["AWS_ACCESS_KEY_ID"].startswith("AKIA")
    assert served.process.poll() is None


def test_cli_environment_ignores_the_learners_profiles(served: ServedCloud,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "production")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "leaked")
    env = served.cli_env()
    assert "AWS_PROFILE" not in env and "AWS_SESSION_TOKEN" not in env
    assert env["AWS_CONFIG_FILE"] == env["AWS_SHARED_CREDENTIALS_FILE"] == os.devnull
    assert env["AWS_ACCESS_KEY_ID"] == served.exports["AWS_ACCESS_KEY_ID"]


def test_aws_cli_creates_and_lists_keys(served: ServedCloud) -> None:
    created = served.aws_json("kms", "create-key", "--description", "from the CLI")
    meta = created["KeyMetadata"]
    assert meta["KeyState"] == "Enabled"
    assert meta["Arn"].startswith("arn:aws:kms:eu-west-1:")
    listed = served.aws_json("kms", "list-keys")
    assert meta["KeyId"] in [k["KeyId"] for k in listed["Keys"]]


def test_aws_cli_errors_keep_the_aws_code(served: ServedCloud) -> None:
    done = served.aws("kms", "describe-key", "--key-id",
                      "1234abcd-12ab-34cd-56ef-1234567890ab")
    assert done.returncode != 0
    assert "NotFoundException" in done.stderr
    with pytest.raises(RuntimeError, match="NotFoundException"):
        served.aws_json("kms", "describe-key", "--key-id", "alias/none")


def test_server_is_stopped_on_exit() -> None:
    with cli.serve(seed=None) as running:
        process = running.process
        assert process.poll() is None
    assert process.poll() is not None
    assert process.stdout is not None and process.stdout.closed


def test_a_server_that_cannot_start_is_reported() -> None:
    with pytest.raises(cli.ServerDidNotStart, match="exited"), \
            cli.serve(region="not-a-region"):
        pass  # pragma: no cover - never reached
