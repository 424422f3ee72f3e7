"""CloudTrail error codes, each declared in botocore's ``cloudtrail`` model (a test checks it)."""

from __future__ import annotations

from simulator.core.errors import AWSError


class InvalidLookupAttributesException(AWSError):
    pass


class InvalidTimeRangeException(AWSError):
    pass


class InvalidNextTokenException(AWSError):
    pass


ALL: tuple[type[AWSError], ...] = (
    InvalidLookupAttributesException,
    InvalidTimeRangeException,
    InvalidNextTokenException,
)
