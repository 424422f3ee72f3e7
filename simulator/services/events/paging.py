"""NextToken pagination shared by the EventBridge list operations.

Tokens are opaque to callers; here they are the position to resume from, base64url-encoded.
A token that does not decode is refused with ``ValidationException``.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, TypeVar

from simulator.core.errors import ValidationException

T = TypeVar("T")
MAX_LIMIT = 100  # "The maximum number of results per page for requests is 100."


def token(position: int) -> str:
    return base64.urlsafe_b64encode(f"v1:{position}".encode()).decode()


def position(params: dict[str, Any]) -> int:
    raw = params.get("NextToken")
    if raw is None:
        return 0
    try:
        tag, _, number = base64.urlsafe_b64decode(raw.encode()).decode().partition(":")
        start = int(number)
        if tag != "v1" or start < 0:
            raise ValueError(raw)
    except (ValueError, binascii.Error, UnicodeError):
        raise ValidationException("The NextToken provided is invalid.") from None
    return start


def page(items: list[T], params: dict[str, Any]) -> tuple[list[T], dict[str, Any]]:
    """A page of ``items`` and ``{"NextToken": ...}`` when more remain."""
    start = position(params)
    limit = params.get("Limit") or MAX_LIMIT
    chunk = items[start : start + limit]
    extra: dict[str, Any] = {}
    if start + limit < len(items):
        extra["NextToken"] = token(start + limit)
    return chunk, extra
