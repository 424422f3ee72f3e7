"""CloudWatch Logs error codes, each declared in botocore's ``logs`` model (a test checks it)."""

from __future__ import annotations

from simulator.core.errors import AWSError


class InvalidParameterException(AWSError):
    pass


class ResourceNotFoundException(AWSError):
    pass


ALL: tuple[type[AWSError], ...] = (InvalidParameterException, ResourceNotFoundException)

# Wording of real answers, as AWS callers report them (e.g. DescribeLogStreams and
# PutLogEvents errors quoted in aws/aws-cli#4005, mentum/lawgs#11).
NO_GROUP = "The specified log group does not exist."
NO_STREAM = "The specified log stream does not exist."
