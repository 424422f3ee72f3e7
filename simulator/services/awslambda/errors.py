"""Lambda error codes: the model's error shapes (rest-json sends the shape name as the code)."""

from __future__ import annotations

from simulator.core.errors import AWSError


class InvalidParameterValueException(AWSError):
    code = "InvalidParameterValueException"
    status = 400


class ResourceNotFoundException(AWSError):
    code = "ResourceNotFoundException"
    status = 404


class ResourceConflictException(AWSError):
    code = "ResourceConflictException"
    status = 409


class PreconditionFailedException(AWSError):
    code = "PreconditionFailedException"
    status = 412


class InvalidRequestContentException(AWSError):
    code = "InvalidRequestContentException"
    status = 400


class RequestTooLargeException(AWSError):
    code = "RequestTooLargeException"
    status = 413


class InvalidZipFileException(AWSError):
    code = "InvalidZipFileException"
    status = 502


class PolicyLengthExceededException(AWSError):
    code = "PolicyLengthExceededException"
    status = 400


class ServiceException(AWSError):
    code = "ServiceException"
    status = 500


ALL: tuple[type[AWSError], ...] = (
    InvalidParameterValueException,
    ResourceNotFoundException,
    ResourceConflictException,
    PreconditionFailedException,
    InvalidRequestContentException,
    RequestTooLargeException,
    InvalidZipFileException,
    PolicyLengthExceededException,
    ServiceException,
)
