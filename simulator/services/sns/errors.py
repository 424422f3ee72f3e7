"""SNS error codes. Class names follow the model's error shapes; ``code`` is the shape's wire
code (``NotFoundException`` is sent as ``NotFound``) and ``status`` its HTTP status, both as
declared in botocore's ``sns`` model (a test checks that)."""

from __future__ import annotations

from simulator.core.errors import AWSError


class InvalidParameterException(AWSError):
    code = "InvalidParameter"
    status = 400


class NotFoundException(AWSError):
    code = "NotFound"
    status = 404


class AuthorizationErrorException(AWSError):
    code = "AuthorizationError"
    status = 403


class TopicLimitExceededException(AWSError):
    code = "TopicLimitExceeded"
    status = 403


class SubscriptionLimitExceededException(AWSError):
    code = "SubscriptionLimitExceeded"
    status = 403


ALL: tuple[type[AWSError], ...] = (
    InvalidParameterException,
    NotFoundException,
    AuthorizationErrorException,
    TopicLimitExceededException,
    SubscriptionLimitExceededException,
)
