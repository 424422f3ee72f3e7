"""Property test: generated Lambda requests never break the simulator.

Parameters are generated from botocore's input shapes (with names, ARNs and a valid zip mixed
in) and sent through a real botocore client with client-side validation off, so the server's
own validation sees them. No answer may be an InternalFailure, every error code must be
declared in the model or common, and a failed request must leave the state unchanged.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.model import Shape
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from simulator import Cloud
from simulator.core.errors import COMMON_CODES
from simulator.protocol import spec
from simulator.services.awslambda.service import LambdaService
from tests.services.awslambda.conftest import TRUST, make_zip

WORLD = Cloud(seed=99)
_ROLE = WORLD.client("iam").create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
_CLIENT = WORLD.client("lambda", config=Config(parameter_validation=False))
_ZIP = make_zip("def handler(e, c):\n    return e\n")
_CLIENT.create_function(
    FunctionName="f",
    Runtime="python3.12",
    Role=_ROLE,
    Handler="lambda_function.handler",
    Code={"ZipFile": _ZIP},
)
_FN_ARN = WORLD.client("lambda").get_function(FunctionName="f")["Configuration"]["FunctionArn"]
REFS = ["f", _FN_ARN, "f:$LATEST", "ghost", _ROLE, "python3.12", "lambda_function.handler", "s1"]
DECLARED = spec.declared_errors("lambda") | COMMON_CODES


def _values(shape: Shape, depth: int = 0) -> st.SearchStrategy[Any]:
    kind = shape.type_name
    if kind == "string":
        enum = list(shape.enum or [])
        return st.sampled_from(REFS + enum) | st.text(max_size=12)
    if kind in ("integer", "long"):
        return st.integers(min_value=-5, max_value=20_000)
    if kind == "boolean":
        return st.booleans()
    if kind == "blob":
        return st.sampled_from([_ZIP, b"", b"{}", b'{"a": 1}', b"junk"]) | st.binary(max_size=8)
    if depth > 3:
        return st.nothing()
    if kind == "structure":
        members = {
            name: _values(m, depth + 1)
            for name, m in shape.members.items()  # type: ignore[attr-defined]
        }
        required = set(shape.required_members)  # type: ignore[attr-defined]
        return st.fixed_dictionaries(
            {k: v for k, v in members.items() if k in required},
            optional={k: v for k, v in members.items() if k not in required},
        )
    if kind == "list":
        return st.lists(_values(shape.member, depth + 1), max_size=2)  # type: ignore[attr-defined]
    if kind == "map":
        return st.dictionaries(
            st.sampled_from(["KEY", "Other_1", "x"]),
            _values(shape.value, depth + 1),  # type: ignore[attr-defined]
            max_size=2,
        )
    return st.none()


def _state() -> str:
    return json.dumps(WORLD.lambda_functions.dump(), sort_keys=True, default=str)


@pytest.mark.parametrize("operation", sorted(LambdaService.operations))
def test_generated_inputs_get_aws_errors_and_change_nothing_on_failure(operation: str) -> None:
    model = spec.service_model("lambda").operation_model(operation)
    method = getattr(_CLIENT, _snake(operation))

    @settings(
        max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(params=_values(model.input_shape))
    def check(params: dict[str, Any]) -> None:
        label = params.get("FunctionName")
        assume(not isinstance(label, str) or label not in ("", ".", ".."))
        before = _state()
        try:
            method(**params)
        except ClientError as exc:
            code = exc.response["Error"]["Code"]
            assert code in DECLARED, (params, exc.response["Error"])
            assert _state() == before, params
        except (TypeError, ValueError, AttributeError, KeyError):
            assume(False)  # botocore itself could not serialize these parameters

    check()


def _snake(name: str) -> str:
    from botocore import xform_name

    return str(xform_name(name))
