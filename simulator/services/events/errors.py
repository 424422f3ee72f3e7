"""EventBridge error codes, each declared in botocore's ``events`` model (a test checks that)."""

from __future__ import annotations

from simulator.core.errors import AWSError


class InvalidEventPatternException(AWSError):
    pass


class ResourceNotFoundException(AWSError):
    pass


class LimitExceededException(AWSError):
    pass


ALL: tuple[type[AWSError], ...] = (
    InvalidEventPatternException,
    ResourceNotFoundException,
    LimitExceededException,
)
