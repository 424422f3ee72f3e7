"""KMS error codes, each declared in botocore's KMS model (a test checks that)."""

from __future__ import annotations

from simulator.core.errors import AWSError


class NotFoundException(AWSError):
    pass


class DisabledException(AWSError):
    pass


class KMSInvalidStateException(AWSError):
    pass


class InvalidCiphertextException(AWSError):
    pass


class IncorrectKeyException(AWSError):
    pass


class InvalidKeyUsageException(AWSError):
    pass


class InvalidMarkerException(AWSError):
    pass


class AlreadyExistsException(AWSError):
    pass


class InvalidAliasNameException(AWSError):
    pass


class InvalidArnException(AWSError):
    pass


class TagException(AWSError):
    pass


class LimitExceededException(AWSError):
    pass


class UnsupportedOperationException(AWSError):
    pass


class MalformedPolicyDocumentException(AWSError):
    pass


ALL: tuple[type[AWSError], ...] = (
    NotFoundException,
    DisabledException,
    KMSInvalidStateException,
    InvalidCiphertextException,
    IncorrectKeyException,
    InvalidKeyUsageException,
    InvalidMarkerException,
    AlreadyExistsException,
    InvalidAliasNameException,
    InvalidArnException,
    TagException,
    LimitExceededException,
    UnsupportedOperationException,
    MalformedPolicyDocumentException,
)


class DryRunOperationException(AWSError):
    pass


class KMSInvalidSignatureException(AWSError):
    pass


class KMSInvalidMacException(AWSError):
    pass


class ExpiredImportTokenException(AWSError):
    pass


class InvalidImportTokenException(AWSError):
    pass


class IncorrectKeyMaterialException(AWSError):
    pass


class InvalidGrantIdException(AWSError):
    pass


class InvalidGrantTokenException(AWSError):
    pass


class ConflictException(AWSError):
    pass


ALL = (
    *ALL,
    DryRunOperationException,
    KMSInvalidSignatureException,
    KMSInvalidMacException,
    ExpiredImportTokenException,
    InvalidImportTokenException,
    IncorrectKeyMaterialException,
    InvalidGrantIdException,
    InvalidGrantTokenException,
    ConflictException,
)
