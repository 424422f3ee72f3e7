"""DNS names as Route 53 handles them: normalised (lower case, trailing dot, ``\\052`` for a
wildcard label as ListResourceRecordSets shows it), validated, and ordered the way
ListResourceRecordSets orders record sets: by name with its labels reversed
(``com.example.www``), then by type (API_ListResourceRecordSets.html, "Sorting")."""

from __future__ import annotations

import ipaddress
import re

_OCTAL = re.compile(r"\\(\d{3})")
MAX_NAME = 255  # RFC 1035 and Route 53's DNSName pattern: at most 255 characters
MAX_LABEL = 63


def normalise(name: str) -> str:
    """Lower case, with a trailing dot, and ``\\ddd`` escapes decoded (``\\052`` is ``*``)."""
    text = _OCTAL.sub(lambda m: chr(int(m.group(1), 8)), name.strip())
    text = text.lower()
    return text if text.endswith(".") else text + "."


def shown(name: str) -> str:
    """How Route 53 returns a stored name: ``*`` as the octal escape ``\\052``."""
    return name.replace("*", "\\052")


def labels(name: str) -> list[str]:
    return [label for label in name.rstrip(".").split(".") if label] if name != "." else []


def valid(name: str) -> bool:
    if name == ".":
        return False
    parts = name.rstrip(".").split(".")
    return len(name) <= MAX_NAME and all(0 < len(p) <= MAX_LABEL for p in parts)


def in_zone(name: str, zone: str) -> bool:
    return name == zone or name.endswith("." + zone)


def sort_key(name: str, rtype: str) -> tuple[tuple[str, ...], str]:
    return tuple(reversed(labels(name))), rtype


def ipv4(value: str) -> bool:
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        return False
    return True


def ipv6(value: str) -> bool:
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True
