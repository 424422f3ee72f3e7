"""EC2 error codes. EC2's botocore model declares no error shapes: the codes below are the ones
listed on the EC2 API reference page "Error codes for the Amazon EC2 API" (client errors are
sent with HTTP 400; DryRunOperation with 412). Messages follow what AWS is reported to send;
where only third-party reports of the wording were found, the issue report says so [U].
"""

from __future__ import annotations

from simulator.core.errors import AWSError


class InvalidParameterValue(AWSError):
    pass


class MissingParameter(AWSError):
    pass


class InvalidVpcIDNotFound(AWSError):
    code = "InvalidVpcID.NotFound"


class InvalidVpcIDMalformed(AWSError):
    code = "InvalidVpcID.Malformed"


class InvalidSubnetIDNotFound(AWSError):
    code = "InvalidSubnetID.NotFound"


class InvalidSubnetIDMalformed(AWSError):
    code = "InvalidSubnetID.Malformed"


class InvalidAMIIDNotFound(AWSError):
    code = "InvalidAMIID.NotFound"


class InvalidAMIIDMalformed(AWSError):
    code = "InvalidAMIID.Malformed"


class InvalidAMINameDuplicate(AWSError):
    code = "InvalidAMIName.Duplicate"


class InvalidAMINameMalformed(AWSError):
    code = "InvalidAMIName.Malformed"


class InvalidVpcRange(AWSError):
    code = "InvalidVpc.Range"


class InvalidSubnetRange(AWSError):
    code = "InvalidSubnet.Range"


class InvalidSubnetConflict(AWSError):
    code = "InvalidSubnet.Conflict"


class DependencyViolation(AWSError):
    pass


class InvalidID(AWSError):
    pass


class TagLimitExceeded(AWSError):
    pass


class InvalidPaginationToken(AWSError):
    pass


class AuthFailure(AWSError):
    """Acting on an image the caller does not own (EC2 answers AuthFailure, not 403)."""


class DryRunOperation(AWSError):
    status = 412


ALL: tuple[type[AWSError], ...] = (
    InvalidParameterValue,
    MissingParameter,
    InvalidVpcIDNotFound,
    InvalidVpcIDMalformed,
    InvalidSubnetIDNotFound,
    InvalidSubnetIDMalformed,
    InvalidAMIIDNotFound,
    InvalidAMIIDMalformed,
    InvalidAMINameDuplicate,
    InvalidAMINameMalformed,
    InvalidVpcRange,
    InvalidSubnetRange,
    InvalidSubnetConflict,
    DependencyViolation,
    InvalidID,
    TagLimitExceeded,
    InvalidPaginationToken,
    AuthFailure,
    DryRunOperation,
)
