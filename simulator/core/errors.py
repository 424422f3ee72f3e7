"""AWS errors: one class per AWS error code, and the codes every service shares.

A handler raises an :class:`AWSError` subclass; the dispatcher turns it into the JSON body AWS
sends (``{"__type": code, "message": msg}``) with the class's HTTP status, which botocore turns
back into ``client.exceptions.<Code>``. Service-specific codes live in each service's
``errors.py``; a test checks that every code a service can raise is declared in its botocore
model or in :data:`COMMON_CODES` here.
"""

from __future__ import annotations

from typing import ClassVar


class AWSError(Exception):
    """An error AWS would return. ``code`` defaults to the class name."""

    code: ClassVar[str] = "AWSError"
    status: ClassVar[int] = 400

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "code" not in cls.__dict__:
            cls.code = cls.__name__

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def __repr__(self) -> str:
        return f"{self.code}({self.message!r})"


# -- codes common to every AWS JSON service (AWS "Common Errors" pages) ------------------
class ValidationException(AWSError):
    pass


class SerializationException(AWSError):
    pass


class UnknownOperationException(AWSError):
    pass


class InternalFailure(AWSError):
    status = 500


class ServiceUnavailable(AWSError):
    status = 503


class ThrottlingException(AWSError):
    pass


class AccessDeniedException(AWSError):
    pass


class UnrecognizedClientException(AWSError):
    pass


class IncompleteSignature(AWSError):
    pass


class MissingAuthenticationTokenException(AWSError):
    code = "MissingAuthenticationToken"
    status = 403


class ExpiredTokenException(AWSError):
    """Temporary credentials used after their Expiration (query services send ExpiredToken)."""

    status = 400


class NotSimulatedException(AWSError):
    """Secrets Lab's own code: the operation exists in AWS but this simulator does not do it.

    It is deliberately not an AWS code, so that nobody mistakes a simulator gap for AWS
    behaviour; the message names the operation or feature.
    """

    status = 501


COMMON_ERRORS: tuple[type[AWSError], ...] = (
    ValidationException,
    SerializationException,
    UnknownOperationException,
    InternalFailure,
    ServiceUnavailable,
    ThrottlingException,
    AccessDeniedException,
    UnrecognizedClientException,
    IncompleteSignature,
    MissingAuthenticationTokenException,
    ExpiredTokenException,
    NotSimulatedException,
)
COMMON_CODES: frozenset[str] = frozenset(cls.code for cls in COMMON_ERRORS)
