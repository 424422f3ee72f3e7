"""STS error codes declared in botocore's STS model (a test checks code and status).

Common failures (access denied, validation) use the classes of ``core/errors.py``; the query
wire sends them as ``AccessDenied`` and ``ValidationError``.
"""

from __future__ import annotations

from simulator.core.errors import AWSError


class MalformedPolicyDocumentException(AWSError):
    code = "MalformedPolicyDocument"
    status = 400


class PackedPolicyTooLargeException(AWSError):
    code = "PackedPolicyTooLarge"
    status = 400


ALL: tuple[type[AWSError], ...] = (MalformedPolicyDocumentException, PackedPolicyTooLargeException)
