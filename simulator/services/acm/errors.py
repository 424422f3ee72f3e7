"""ACM error codes, each an error shape of botocore's ``acm`` model (a test checks codes and
HTTP statuses against it). ACM declares no HTTP status for any of them, so all answer 400.

Not raised here: ``TagPolicyException`` (Organizations tag policies are not simulated),
``ConflictException`` and ``RequestInProgressException`` (no certificate is ever mid-request
while only imported certificates exist).
"""

from __future__ import annotations

from simulator.core.errors import AWSError


class InvalidArnException(AWSError):
    pass


class InvalidParameterException(AWSError):
    pass


class InvalidTagException(AWSError):
    pass


class TooManyTagsException(AWSError):
    pass


class LimitExceededException(AWSError):
    pass


class ResourceNotFoundException(AWSError):
    pass


class ResourceInUseException(AWSError):
    pass


class InvalidArgsException(AWSError):
    pass


ALL: tuple[type[AWSError], ...] = (
    InvalidArnException,
    InvalidParameterException,
    InvalidTagException,
    TooManyTagsException,
    LimitExceededException,
    ResourceNotFoundException,
    ResourceInUseException,
    InvalidArgsException,
)
