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
from collections.abc import Callable
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
    checker(shape)(params, "", errors)
    if errors:
        n = len(errors)
        noun = "error" if n == 1 else "errors"
        raise ValidationException(f"{n} validation {noun} detected: " + "; ".join(errors))


Checker = Callable[[Any, str, list[str]], None]
_CHECKERS: dict[Shape, Checker] = {}


def checker(shape: Shape) -> Checker:
    """The shape's constraints as one closure, built once (validation runs on every call)."""
    fn = _CHECKERS.get(shape)
    if fn is None:
        # A placeholder breaks cycles in recursive shapes while the closure is being built.
        _CHECKERS[shape] = lambda value, path, errors: checker_now(shape)(value, path, errors)
        fn = _CHECKERS[shape] = _build(shape)
    return fn


def checker_now(shape: Shape) -> Checker:
    return _CHECKERS[shape]


def _noop(value: Any, path: str, errors: list[str]) -> None:
    return None


def _build(shape: Shape) -> Checker:
    t = shape.type_name
    meta = shape.metadata
    if t == "structure":
        members = dict(shape.members)
        names = {name: _lower_first(name) for name in members}
        required = [(n, names[n], members[n]) for n in shape.required_members]

        # Members without constraints are skipped entirely rather than called.
        checks = {n: checker(m) for n, m in members.items()}
        active = {n: (names[n], c) for n, c in checks.items() if c is not _noop}

        def structure(value: Any, path: str, errors: list[str]) -> None:
            prefix = path + "." if path else ""
            for name, lowered, member in required:
                if value.get(name) is None:
                    _fail(errors, prefix + lowered, member, None, "not be null")
            for name, v in value.items():
                entry = active.get(name)
                if entry is not None and v is not None:
                    entry[1](v, prefix + entry[0], errors)

        return structure
    if t in ("string", "blob", "list", "map"):
        lo, hi = meta.get("min"), meta.get("max")
        enum_values = shape.enum if t == "string" else None
        pattern = meta.get("pattern") if t == "string" else None
        regex = _compiled(pattern) if pattern else None
        allowed = ", ".join(enum_values) if enum_values else ""
        enum_set = frozenset(enum_values or ())
        item = shape.member if t == "list" else None
        kv = (shape.key, shape.value) if t == "map" else None
        if kv is not None and checker(kv[0]) is _noop and checker(kv[1]) is _noop:
            kv = None
        unconstrained = lo is None and hi is None and not enum_set and regex is None
        if unconstrained and item is None and kv is None:
            return _noop

        def sized(value: Any, path: str, errors: list[str]) -> None:
            size = len(value)
            if lo is not None and size < lo:
                _fail(errors, path, shape, value, f"have length greater than or equal to {lo}")
            if hi is not None and size > hi:
                _fail(errors, path, shape, value, f"have length less than or equal to {hi}")
            if enum_set and value not in enum_set:
                _fail(errors, path, shape, value, f"satisfy enum value set: [{allowed}]")
            if regex is not None and regex.fullmatch(value) is None:
                _fail(errors, path, shape, value, f"satisfy regular expression pattern: {pattern}")
            if item is not None:
                check = checker(item)
                for i, element in enumerate(value, start=1):
                    check(element, f"{path}.{i}.member", errors)
            elif kv is not None:
                kc, vc = checker(kv[0]), checker(kv[1])
                for k, v in value.items():
                    kc(k, f"{path}.key", errors)
                    vc(v, f"{path}.value", errors)

        return sized
    if t in ("integer", "long", "double", "float"):
        lo, hi = meta.get("min"), meta.get("max")
        if lo is None and hi is None:
            return _noop

        def ranged(value: Any, path: str, errors: list[str]) -> None:
            if lo is not None and value < lo:
                _fail(errors, path, shape, value, f"have value greater than or equal to {lo}")
            if hi is not None and value > hi:
                _fail(errors, path, shape, value, f"have value less than or equal to {hi}")

        return ranged
    return _noop
