"""A boto3-shaped client that calls IAM/STS handlers directly, with no transport.

It authenticates the way the dispatcher does (``cloud.authenticate``), validates parameters
against the model, calls the handler and, like botocore, decodes IAM's URL-encoded policy
documents; errors come out as ``botocore.exceptions.ClientError`` with the code and status the
query wire would send. Tests use
it where the trail or the wire is beside the point, and the same tests run over real botocore
clients (both transports) through the fixtures in ``fixtures.py``.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError
from botocore.handlers import _decode_policy_types

from simulator import Cloud
from simulator.core.accounts import AuthResult
from simulator.core.context import RequestContext
from simulator.core.errors import AWSError, ExpiredTokenException, UnrecognizedClientException
from simulator.protocol import spec
from simulator.protocol.query import QueryWire
from simulator.protocol.validate import validate


class DirectClient:
    def __init__(
        self,
        cloud: Cloud,
        service: str,
        access_key_id: str,
        session_token: str | None = None,
        region: str = "us-east-1",
    ) -> None:
        self._cloud = cloud
        self._service = service
        self._key = access_key_id
        self._token = session_token
        self._region = region
        model = spec.service_model(service)
        self._ops = {botocore_name(n): n for n in model.operation_names}

    def __getattr__(self, name: str) -> Any:
        operation = self._ops.get(name)
        if operation is None:
            raise AttributeError(name)

        def call(**params: Any) -> dict[str, Any]:
            return self._call(operation, params)

        return call

    def _call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        cloud = self._cloud
        service = cloud.service(self._service)
        op_model = spec.service_model(self._service).operation_model(operation)
        try:
            principal, result = cloud.authenticate(self._key, self._token)
            if result is AuthResult.EXPIRED:
                raise ExpiredTokenException("The security token included in the request is expired")
            if principal is None:
                raise UnrecognizedClientException(
                    "The security token included in the request is invalid."
                )
            validate(op_model.input_shape, params)
            op_spec = service.operations[operation]
            ctx = RequestContext(
                service=self._service,
                operation=operation,
                account_id=principal.account_id,
                region=self._region,
                principal=principal,
                request_id=cloud.ids.uuid(),
                now=cloud.clock.now(),
            )
            admit = getattr(service, "admit", None)
            if admit is not None:
                admit(ctx, params)
            out: dict[str, Any] = getattr(service, op_spec.method_name)(ctx, params)
        except AWSError as exc:
            wire = QueryWire(self._service).translate(exc)  # the codes the query wire sends
            raise ClientError(
                {
                    "Error": {"Code": wire.code, "Message": wire.message},
                    "ResponseMetadata": {"HTTPStatusCode": wire.status},
                },
                operation,
            ) from None
        if self._service == "iam" and op_model.output_shape is not None:
            _decode_policy_types(out, op_model.output_shape)
        return out


def botocore_name(operation: str) -> str:
    from botocore import xform_name

    return str(xform_name(operation))
