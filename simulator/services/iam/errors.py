"""IAM error codes. Class names follow the model's error shapes; ``code`` is the shape's wire
code (``EntityAlreadyExistsException`` is sent as ``EntityAlreadyExists``) and ``status`` its
HTTP status, both checked against botocore's model by a test.

Failures every service shares are raised with the common classes of ``core/errors.py``
(``AccessDeniedException``, ``ValidationException``, ``UnrecognizedClientException``); the query
wire sends them as IAM's and STS's codes (``AccessDenied``, ``ValidationError``,
``InvalidClientTokenId``; see ``protocol/wire.py``).
"""

from __future__ import annotations

from simulator.core.errors import AWSError


class EntityAlreadyExistsException(AWSError):
    code = "EntityAlreadyExists"
    status = 409


class NoSuchEntityException(AWSError):
    code = "NoSuchEntity"
    status = 404


class MalformedPolicyDocumentException(AWSError):
    code = "MalformedPolicyDocument"
    status = 400


class LimitExceededException(AWSError):
    code = "LimitExceeded"
    status = 409


class DeleteConflictException(AWSError):
    code = "DeleteConflict"
    status = 409


class InvalidInputException(AWSError):
    code = "InvalidInput"
    status = 400


class PolicyNotAttachableException(AWSError):
    code = "PolicyNotAttachable"
    status = 400


class UnmodifiableEntityException(AWSError):
    code = "UnmodifiableEntity"
    status = 400


ALL: tuple[type[AWSError], ...] = (
    EntityAlreadyExistsException,
    NoSuchEntityException,
    MalformedPolicyDocumentException,
    LimitExceededException,
    DeleteConflictException,
    InvalidInputException,
    PolicyNotAttachableException,
    UnmodifiableEntityException,
)
