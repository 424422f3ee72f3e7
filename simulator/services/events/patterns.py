"""The EventBridge event-pattern language: compile a pattern, then match events against it.

Semantics follow the EventBridge user guide ("Event patterns", "Content filtering",
"Comparison operators", "Arrays in event patterns") and the README of AWS's open-source
Event Ruler, the matching library EventBridge documents its behaviour with:

- A pattern is a JSON object. Its fields mirror the event's nesting; a leaf field holds an
  *array* of matchers and matches when any of them matches (OR); all fields must match (AND).
- Matchers: exact strings, numbers, ``true``/``false``/``null``; ``prefix`` and ``suffix``
  (optionally ``{"equals-ignore-case": ...}``), ``equals-ignore-case``, ``wildcard``,
  ``anything-but`` (a value, a list, or ``prefix``/``suffix``/``equals-ignore-case``/
  ``wildcard``), ``numeric`` (``=``, ``<``, ``<=``, ``>``, ``>=``, ranges), ``exists``,
  ``cidr``. ``"$or": [{...}, {...}]`` ORs whole sub-patterns.
- If the event's value is an array, the field matches when any element matches. Fields of one
  sub-pattern must match within the same element of an array of objects.
- ``exists`` and the other comparisons apply to leaf values only: a field holding an object
  does not "exist" for ``{"exists": true}`` and matches ``{"exists": false}``.
- Numbers compare numerically (``300`` matches ``3.0e2``) with six decimal places, within
  -5.0e9..5.0e9; numbers outside that range still match an identical literal.

Validation reasons mirror the wording Event Ruler gives for the same mistakes; AWS returns
them as ``InvalidEventPatternException: Event pattern is not valid. Reason: <reason>``.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

NUMERIC_LIMIT = 5.0e9
OR_KEY = "$or"
_MATCH_TYPES = frozenset(
    {
        "prefix",
        "suffix",
        "equals-ignore-case",
        "wildcard",
        "anything-but",
        "numeric",
        "exists",
        "cidr",
    }
)
_MISSING: Any = object()


class PatternError(ValueError):
    """A pattern that EventBridge refuses; the message is the documented reason."""


Test = Callable[[Any], bool]


@dataclass(frozen=True, slots=True)
class _Matcher:
    test: Test | None  # None for an ``exists`` matcher
    exists: bool | None = None


@dataclass(frozen=True, slots=True)
class _Leaf:
    matchers: tuple[_Matcher, ...]


@dataclass(frozen=True, slots=True)
class _Object:
    fields: tuple[tuple[str, _Leaf | _Object], ...]
    ors: tuple[tuple[_Object, ...], ...]


@dataclass(frozen=True)
class Pattern:
    text: str
    root: _Object

    def matches(self, event: Any) -> bool:
        return _object_matches(self.root, event)


@functools.lru_cache(maxsize=512)
def compile_pattern(text: str) -> Pattern:
    """Parse and validate a pattern; raises :class:`PatternError` with AWS's reason."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise PatternError("Invalid JSON") from None
    if not isinstance(data, dict):
        raise PatternError("Filter is not an object")
    try:
        return Pattern(text, _compile_object(data, inside_or=False))
    except RecursionError:
        raise PatternError("Filter is nested too deeply") from None


def matches(pattern_text: str, event: Any) -> bool:
    return compile_pattern(pattern_text).matches(event)


# -- compiling ------------------------------------------------------------------------------
def _compile_object(data: dict[str, Any], *, inside_or: bool) -> _Object:
    if not data:
        raise PatternError("Empty objects are not allowed")
    fields: list[tuple[str, _Leaf | _Object]] = []
    ors: list[tuple[_Object, ...]] = []
    for name, value in data.items():
        if name == OR_KEY:
            ors.append(_compile_or(value))
            continue
        if inside_or and name in _MATCH_TYPES:
            raise PatternError(
                f"{name} is Ruler reserved fieldName which cannot be used inside $or."
            )
        if isinstance(value, dict):
            fields.append((name, _compile_object(value, inside_or=inside_or)))
        elif isinstance(value, list):
            fields.append((name, _compile_leaf(value)))
        else:
            raise PatternError(f'"{name}" must be an object or an array')
    return _Object(tuple(fields), tuple(ors))


def _compile_or(value: Any) -> tuple[_Object, ...]:
    if not isinstance(value, list):
        raise PatternError("It must be an Array followed with $or.")
    alternatives = []
    for item in value:
        if not isinstance(item, dict):
            raise PatternError("Only JSON object is allowed in array of $or relationship.")
        alternatives.append(_compile_object(item, inside_or=True))
    if len(alternatives) < 2:
        raise PatternError("There must have at least 2 Objects in $or relationship.")
    return tuple(alternatives)


def _compile_leaf(values: list[Any]) -> _Leaf:
    if not values:
        raise PatternError("Empty arrays are not allowed")
    matchers: list[_Matcher] = []
    for value in values:
        if isinstance(value, dict):
            matchers.append(_compile_expression(value))
        elif isinstance(value, list):
            raise PatternError("Match value must be String, number, true, false, or null")
        else:
            matchers.append(_Matcher(_literal(value)))
    return _Leaf(tuple(matchers))


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _num_equal(a: Any, b: Any) -> bool:
    if a == b:
        return True
    if abs(a) > NUMERIC_LIMIT or abs(b) > NUMERIC_LIMIT:
        return False
    return bool(round(float(a), 6) == round(float(b), 6))


def _literal(lit: Any) -> Test:
    if isinstance(lit, str):
        return lambda v: v.__class__ is str and v == lit
    if isinstance(lit, bool):
        return lambda v: v.__class__ is bool and v == lit
    if lit is None:
        return lambda v: v is None
    return lambda v: _is_number(v) and _num_equal(v, lit)


def _compile_expression(expr: dict[str, Any]) -> _Matcher:
    if not expr:
        raise PatternError("Match expression name not found")
    if len(expr) > 1:
        raise PatternError("Only one key allowed in match expression")
    ((op, arg),) = expr.items()
    if op in ("prefix", "suffix"):
        return _Matcher(_affix(op, arg))
    if op == "equals-ignore-case":
        folded = _string(arg, "equals-ignore-case").casefold()
        return _Matcher(lambda v: v.__class__ is str and v.casefold() == folded)
    if op == "wildcard":
        regex = _wildcard_regex(_string(arg, "wildcard"))
        return _Matcher(lambda v: v.__class__ is str and regex.fullmatch(v) is not None)
    if op == "anything-but":
        return _Matcher(_anything_but(arg))
    if op == "numeric":
        return _Matcher(_numeric(arg))
    if op == "exists":
        if not isinstance(arg, bool):
            raise PatternError("exists match pattern must be either true or false.")
        return _Matcher(None, exists=arg)
    if op == "cidr":
        return _Matcher(_cidr(arg))
    raise PatternError(f"Unrecognized match type {op}")


def _string(arg: Any, op: str) -> str:
    if not isinstance(arg, str):
        raise PatternError(f"{op} match pattern must be a string")
    return arg


def _affix(op: str, arg: Any) -> Test:
    ignore_case = False
    if isinstance(arg, dict) and list(arg) == ["equals-ignore-case"]:
        ignore_case, arg = True, arg["equals-ignore-case"]
    text = _string(arg, op)
    if ignore_case:
        folded = text.casefold()
        if op == "prefix":
            return lambda v: v.__class__ is str and v.casefold().startswith(folded)
        return lambda v: v.__class__ is str and v.casefold().endswith(folded)
    if op == "prefix":
        return lambda v: v.__class__ is str and v.startswith(text)
    return lambda v: v.__class__ is str and v.endswith(text)


def _wildcard_regex(text: str) -> re.Pattern[str]:
    """``*`` matches any run of characters; ``\\*`` and ``\\\\`` are literal; ``**`` is refused."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if nxt not in ("*", "\\"):
                raise PatternError(f"Invalid escape character at pos {i}")
            out.append(re.escape(nxt))
            i += 2
            continue
        if ch == "*":
            if i + 1 < len(text) and text[i + 1] == "*":
                raise PatternError(f"Consecutive wildcard characters at pos {i + 1}")
            out.append(".*")
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out), re.DOTALL)


def _anything_but(arg: Any) -> Test:
    if isinstance(arg, dict):
        hit = _anything_but_operator(arg)
        return lambda v: not hit(v)
    items = arg if isinstance(arg, list) else [arg]
    if not isinstance(arg, (list, str)) and not _is_number(arg):
        raise PatternError("Value of anything-but must be an array or single string/number value.")
    if any(not isinstance(x, str) and not _is_number(x) for x in items):
        raise PatternError("Inside anything but list, start|null|boolean is not supported.")
    strings = [x for x in items if isinstance(x, str)]
    numbers = [x for x in items if _is_number(x)]
    if (strings and numbers) or not items:
        raise PatternError(
            "Inside anything but list, either all values are number or string, "
            "mixed type is not supported"
        )
    if strings:
        excluded = frozenset(strings)
        return lambda v: not (v.__class__ is str and v in excluded)
    return lambda v: not (_is_number(v) and any(_num_equal(v, n) for n in numbers))


def _anything_but_operator(arg: dict[str, Any]) -> Test:
    """What ``{"anything-but": {<op>: ...}}`` excludes."""
    if len(arg) != 1:
        raise PatternError("Only one key allowed in match expression")
    ((op, inner),) = arg.items()
    if op in ("prefix", "suffix"):
        if not isinstance(inner, str):
            raise PatternError("prefix/suffix match pattern must be a string")
        if not inner:
            raise PatternError("Null prefix/suffix not allowed")
        return _affix(op, inner)
    if op == "wildcard":
        regex = _wildcard_regex(_string(inner, "wildcard"))
        return lambda v: v.__class__ is str and regex.fullmatch(v) is not None
    if op == "equals-ignore-case":
        items = inner if isinstance(inner, list) else [inner]
        if not items or not all(isinstance(s, str) for s in items):
            raise PatternError(
                "Inside anything-but/equals-ignore-case list, "
                "number|start|null|boolean is not supported."
            )
        folded = {s.casefold() for s in items}
        return lambda v: v.__class__ is str and v.casefold() in folded
    raise PatternError(f"Unsupported anything-but pattern: {op}")


_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "=": lambda v, x: _num_equal(v, x),
    "<": lambda v, x: v < x,
    "<=": lambda v, x: v <= x,
    ">": lambda v, x: v > x,
    ">=": lambda v, x: v >= x,
}


def _numeric(arg: Any) -> Test:
    if not isinstance(arg, list):
        raise PatternError("Value of numeric must be an array.")
    if not arg or not isinstance(arg[0], str):
        shown = json.dumps(arg[0]) if arg else "]"
        raise PatternError(f"Invalid member in numeric match: {shown}")
    terms: list[tuple[str, float]] = []
    items = list(arg)
    while items:
        op = items.pop(0)
        if not isinstance(op, str):
            raise PatternError(f"Bad value in numeric range: {json.dumps(op)}")
        if op not in _COMPARE:
            kind = "Bad" if terms else "Unrecognized"
            raise PatternError(f"{kind} numeric range operator: {op}")
        if terms and (op not in ("<", "<=") or terms[0][0] not in (">", ">=")):
            raise PatternError(f"Bad numeric range operator: {op}")
        if not items or not _is_number(items[0]):
            raise PatternError(f"Value of {op} must be numeric")
        value = items.pop(0)
        if abs(value) > NUMERIC_LIMIT:
            raise PatternError("Value must be between -5.0E9 and 5.0E9, inclusive")
        terms.append((op, float(value)))
        if op in ("=", "<", "<=") and items:
            raise PatternError("Too many elements in numeric expression")
        if len(terms) == 2 and items:
            raise PatternError("Too many terms in numeric range expression")
    if len(terms) == 2 and terms[0][1] >= terms[1][1]:
        raise PatternError("Bottom must be less than top")
    checks = [(_COMPARE[op], x) for op, x in terms]
    return lambda v: (
        _is_number(v) and abs(v) <= NUMERIC_LIMIT and all(check(v, x) for check, x in checks)
    )


def _cidr(arg: Any) -> Test:
    text = _string(arg, "cidr")
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise PatternError(f"Malformed CIDR, one '/' required: {text}") from None

    def inside(v: Any) -> bool:
        if v.__class__ is not str:
            return False
        try:
            return ipaddress.ip_address(v) in network
        except ValueError:
            return False

    return inside


# -- matching -------------------------------------------------------------------------------
def _flatten(values: list[Any]) -> list[Any]:
    """Elements of an array, nested arrays crushed out (iteratively: events may be deep)."""
    out: list[Any] = []
    stack = [iter(values)]
    while stack:
        for item in stack[-1]:
            if isinstance(item, list):
                stack.append(iter(item))
                break
            out.append(item)
        else:
            stack.pop()
    return out


def _object_matches(node: _Object, value: Any) -> bool:
    if isinstance(value, dict):
        return _fields_match(node, value)
    if isinstance(value, list):
        candidates = [item for item in _flatten(value) if isinstance(item, dict)]
        if candidates:
            return any(_fields_match(node, item) for item in candidates)
    return _fields_match(node, {})


def _fields_match(node: _Object, obj: dict[str, Any]) -> bool:
    for name, sub in node.fields:
        value = obj.get(name, _MISSING)
        if isinstance(sub, _Leaf):
            if not _leaf_matches(sub, value):
                return False
        elif not _object_matches(sub, value):
            return False
    return all(any(_fields_match(alt, obj) for alt in group) for group in node.ors)


def _leaf_matches(leaf: _Leaf, value: Any) -> bool:
    if value is _MISSING or isinstance(value, dict):
        scalars: list[Any] = []
    elif isinstance(value, list):
        scalars = [item for item in _flatten(value) if not isinstance(item, dict)]
    else:
        scalars = [value]
    for matcher in leaf.matchers:
        if matcher.test is None:
            if matcher.exists == bool(scalars):
                return True
        elif any(matcher.test(v) for v in scalars):
            return True
    return False
