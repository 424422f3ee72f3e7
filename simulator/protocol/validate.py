"""Server-side input validation from the model's constraints.

botocore's client checks only ``required`` and ``min``; AWS's front end also enforces ``max``,
``pattern``, ``enum`` and numeric ranges, for every caller (the AWS CLI over HTTP included).
Messages follow AWS's style::

    1 validation error detected: Value at 'plaintext' failed to satisfy constraint:
    Member must have length less than or equal to 4096

Member paths use a lower-cased first letter and number list items from 1
(``tags.1.member.tagKey``); values of ``sensitive`` shapes (and blobs) are left out.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from botocore.model import Shape

from simulator.core.errors import ValidationException

# Java regex classes some models use that Python's ``re`` lacks; only ever inside [...] here.
_JAVA_CLASSES = {
    r"\p{L}": r"\w",
    r"\p{N}": r"\w",
    r"\p{Z}": "\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000",
}


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    for java, py in _JAVA_CLASSES.items():
        pattern = pattern.replace(java, py)
    return re.compile(pattern)


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _render(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_render(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_render(v)}" for k, v in value.items()) + "}"
    return str(value)


def _fail(errors: list[str], path: str, shape: Shape, value: Any, constraint: str) -> None:
    if value is None:
        shown = "Value null at"
    elif shape.metadata.get("sensitive") or shape.type_name == "blob":
        shown = "Value at"
    else:
        shown = f"Value '{_render(value)}' at"
    errors.append(f"{shown} '{path}' failed to satisfy constraint: Member must {constraint}")


def validate(shape: Shape | None, params: dict[str, Any]) -> None:
    """Raise ``ValidationException`` listing every failed constraint, or return None."""
    if shape is None:
        return
    errors: list[str] = []
    _check_structure(shape, params, "", errors)
    if errors:
        n = len(errors)
        noun = "error" if n == 1 else "errors"
        raise ValidationException(f"{n} validation {noun} detected: " + "; ".join(errors))


def _check_structure(shape: Shape, value: dict[str, Any], prefix: str, errors: list[str]) -> None:
    members = shape.members
    for name in shape.required_members:
        if value.get(name) is None:
            _fail(errors, prefix + _lower_first(name), members[name], None, "not be null")
    for name, v in value.items():
        if v is None:
            continue
        _check(members[name], v, prefix + _lower_first(name), errors)


def _check(shape: Shape, value: Any, path: str, errors: list[str]) -> None:
    t = shape.type_name
    meta = shape.metadata
    if t == "structure":
        _check_structure(shape, value, path + ".", errors)
        return
    if t in ("string", "blob", "list", "map"):
        size = len(value)
        lo = meta.get("min")
        hi = meta.get("max")
        if lo is not None and size < lo:
            _fail(errors, path, shape, value, f"have length greater than or equal to {lo}")
        if hi is not None and size > hi:
            _fail(errors, path, shape, value, f"have length less than or equal to {hi}")
        if t == "string":
            enum_values = shape.enum
            if enum_values and value not in enum_values:
                allowed = ", ".join(enum_values)
                _fail(errors, path, shape, value, f"satisfy enum value set: [{allowed}]")
            pattern = meta.get("pattern")
            if pattern and _compiled(pattern).fullmatch(value) is None:
                _fail(errors, path, shape, value, f"satisfy regular expression pattern: {pattern}")
        elif t == "list":
            member = shape.member
            for i, item in enumerate(value, start=1):
                _check(member, item, f"{path}.{i}.member", errors)
        elif t == "map":
            for k, v in value.items():
                _check(shape.key, k, f"{path}.key", errors)
                _check(shape.value, v, f"{path}.value", errors)
        return
    if t in ("integer", "long", "double", "float"):
        lo = meta.get("min")
        hi = meta.get("max")
        if lo is not None and value < lo:
            _fail(errors, path, shape, value, f"have value greater than or equal to {lo}")
        if hi is not None and value > hi:
            _fail(errors, path, shape, value, f"have value less than or equal to {hi}")
