"""FilterLogEvents filter patterns: matching terms in unstructured log events.

What is simulated (CloudWatch Logs User Guide, "Filter pattern syntax for metric filters,
subscription filters, filter log events, and Live Tail" — matching terms in unstructured log
events; FilterLogEvents API reference):

- an empty pattern (or none) matches every event;
- terms are case sensitive and match anywhere in the message;
- terms separated by spaces must all appear (AND): ``ERROR Exception``;
- a term in double quotes is matched as one exact phrase, spaces and symbols included:
  ``"Task timed out"``;
- ``-term`` excludes events containing the term: ``ERROR -Retry``;
- ``?term`` terms are alternatives (OR): ``?ERROR ?WARN`` matches either. Mixed with plain
  terms, the plain terms must all appear and at least one ``?`` term too ([U]: the guide
  shows ``?`` terms only on their own).

JSON patterns (``{ $.field = value }``), space-delimited patterns (``[ip, user, ...]``) and
regular expressions (``%regex%``) are valid on AWS but not simulated here: such a pattern is
refused with InvalidParameterException that says so, rather than matched wrongly.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.services.logs.errors import InvalidParameterException


@dataclass(frozen=True)
class TermPattern:
    required: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()

    def matches(self, message: str) -> bool:
        if any(term not in message for term in self.required):
            return False
        if any(term in message for term in self.excluded):
            return False
        return not self.optional or any(term in message for term in self.optional)


def _tokens(pattern: str) -> list[tuple[str, str]]:
    """(prefix, term) pairs: prefix is "", "-" or "?"; quoted terms keep their spaces."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(pattern)
    while i < n:
        if pattern[i].isspace():
            i += 1
            continue
        prefix = ""
        if pattern[i] in "-?" and i + 1 < n and not pattern[i + 1].isspace():
            prefix, i = pattern[i], i + 1
        if pattern[i] == '"':
            end = pattern.find('"', i + 1)
            if end < 0:
                raise InvalidParameterException(
                    f"Invalid filter pattern: unbalanced quotes in {pattern!r}"  # [U]
                )
            term = pattern[i + 1 : end]
            i = end + 1
        else:
            end = i
            while end < n and not pattern[end].isspace():
                end += 1
            term = pattern[i:end]
            i = end
        if term:
            out.append((prefix, term))
    return out


def parse(pattern: str | None) -> TermPattern:
    text = (pattern or "").strip()
    if text[:1] in ("{", "[", "%"):
        raise InvalidParameterException(
            "This simulator matches only terms and quoted phrases in filter patterns; JSON, "
            "space-delimited and regular-expression patterns are not simulated."  # [U] not AWS
        )
    required: list[str] = []
    excluded: list[str] = []
    optional: list[str] = []
    for prefix, term in _tokens(text):
        {"": required, "-": excluded, "?": optional}[prefix].append(term)
    return TermPattern(tuple(required), tuple(excluded), tuple(optional))
