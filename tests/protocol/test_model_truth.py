"""botocore's model is the single source of truth: registry, enums, declared errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from simulator.core.errors import COMMON_CODES, AWSError
from simulator.protocol import registry, spec
from simulator.services import table
from simulator.services.base import Service
from simulator.services.kms import errors as kms_errors
from simulator.services.kms import model as kms_model
from simulator.services.kms.service import KmsService


def test_registry_refuses_names_missing_from_the_model() -> None:
    class Bad(Service):
        service_name = "kms"

        @registry.operation("EncryptEverything")
        def nope(self, ctx: object, p: object) -> None:
            return None

    with pytest.raises(TypeError, match="'EncryptEverything' is not a kms operation"):
        registry.verify(Bad)


@pytest.mark.parametrize("name", sorted(table.BUILT_IN))
def test_every_built_in_handler_names_a_model_operation(name: str) -> None:
    registry.verify(table.service_class(name))  # raises TypeError on a typo


def test_importing_the_simulator_loads_no_model() -> None:
    """Defining service classes parses no botocore model: startup stays near botocore's own."""
    code = (
        "import simulator\n"
        "from simulator.protocol import spec\n"
        "print(spec.service_model.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


def test_kms_operations_exist_in_model_and_actions_derive_from_it() -> None:
    ops = KmsService.operations
    assert {
        "CreateKey",
        "DescribeKey",
        "ListKeys",
        "Encrypt",
        "Decrypt",
        "EnableKey",
        "DisableKey",
    } <= set(ops)
    assert ops["Encrypt"].action == "kms:Encrypt"
    cov = registry.coverage("kms", ops)
    assert set(cov["implemented"]) | set(cov["not_simulated"]) == set(
        spec.service_model("kms").operation_names
    )


def test_every_kms_error_class_is_declared_in_the_model() -> None:
    declared = spec.declared_errors("kms")
    for cls in kms_errors.ALL:
        assert issubclass(cls, AWSError)
        assert cls.code in declared, cls.code
    assert not (COMMON_CODES & declared - {"ValidationException"})


@pytest.mark.parametrize(
    ("enum_cls", "shape"),
    [
        (kms_model.KeyState, "KeyState"),
        (kms_model.KeyUsage, "KeyUsageType"),
        (kms_model.KeyManager, "KeyManagerType"),
        (kms_model.Origin, "OriginType"),
    ],
)
def test_domain_enums_match_the_model(enum_cls: type, shape: str) -> None:
    # Every value we model exists in botocore's model (newer botocore may add more, which
    # CreateKey then answers as not simulated rather than mis-handling).
    model_values = set(spec.service_model("kms").shape_for(shape).enum)
    assert {m.value for m in enum_cls} <= model_values  # type: ignore[attr-defined]


def test_target_prefixes_come_from_model_metadata() -> None:
    assert spec.target_prefixes() == {
        "TrentService": "kms",
        "secretsmanager": "secretsmanager",
        "AmazonSSM": "ssm",
        "CertificateManager": "acm",
        "ACMPrivateCA": "acm-pca",
        "AWSEvents": "events",
        "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101": "cloudtrail",
    }


def test_error_status_codes_follow_the_model() -> None:
    model = spec.service_model("kms")
    for cls in kms_errors.ALL:
        shape = model.shape_for(cls.code)
        expected = (
            500
            if shape.metadata.get("fault")
            else shape.metadata.get("error", {}).get("httpStatusCode", 400)
        )
        assert cls.status == expected, cls.code


def test_readme_names_every_kms_operation_not_simulated() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    cov = registry.coverage("kms", KmsService.operations)
    missing = [op for op in cov["not_simulated"] if op not in readme]
    assert missing == [], f"README must list these not-simulated KMS operations: {missing}"
