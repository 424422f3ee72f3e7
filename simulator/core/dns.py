"""DNS inside the Cloud: ``cloud.dns.resolve(name, rtype)``.

Names inside a public Route 53 hosted zone (of any account) are answered from that zone's
record sets: the most specific zone wins (``sub.example.com.`` over ``example.com.``) and, when
several accounts host a zone of the same name, the one created first (a real resolver would
follow the registrar's delegation, which is not simulated). A zone is authoritative: a name it
does not hold answers nothing and is not looked up elsewhere. Wildcard records (``*.zone``)
answer names with no records of their own, and CNAMEs are chased (up to 8 hops) unless the
CNAME itself is asked for.

Names outside every hosted zone come from :class:`ExternalDns`, the "rest of the internet"
that a notebook edits: ``cloud.dns.external.set("example.org", "TXT", ['"v=spf1 -all"'])``.
Its records live in the Route 53 service's state, so they round-trip through snapshots.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

MAX_CNAME_HOPS = 8


class RecordView(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def values(self) -> Sequence[str]: ...


class ZoneView(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def records(self) -> Sequence[RecordView]: ...


def normalise(name: str) -> str:
    text = name.strip().lower()
    return text if text.endswith(".") else text + "."


class ExternalDns:
    """Records of names no hosted zone holds, keyed by (normalised name, type)."""

    def __init__(self) -> None:
        self.records: dict[tuple[str, str], list[str]] = {}

    def __repr__(self) -> str:
        return f"<ExternalDns {len(self.records)} record sets>"

    def set(self, name: str, rtype: str, values: Sequence[str]) -> None:
        self.records[(normalise(name), rtype.upper())] = list(values)

    def get(self, name: str, rtype: str) -> list[str]:
        return list(self.records.get((normalise(name), rtype.upper()), []))

    def delete(self, name: str, rtype: str) -> None:
        self.records.pop((normalise(name), rtype.upper()), None)

    def clear(self) -> None:
        self.records.clear()

    def dump(self) -> list[list[object]]:
        return [[name, rtype, values] for (name, rtype), values in self.records.items()]

    def restore(self, data: Iterable[Sequence[object]]) -> None:
        self.records = {}
        for name, rtype, values in data:
            assert isinstance(values, list)
            self.records[(str(name), str(rtype))] = [str(v) for v in values]


class Resolver:
    """Answers queries from public hosted zones, then from the external provider."""

    def __init__(self, zones: Callable[[], Iterable[ZoneView]], external: ExternalDns) -> None:
        self._zones = zones  # public zones of every account, oldest first
        self.external = external

    def __repr__(self) -> str:
        return f"<Resolver external={self.external!r}>"

    def zone_for(self, name: str) -> ZoneView | None:
        """The hosted zone authoritative for ``name``: the most specific, then the oldest."""
        qname = normalise(name)
        best: ZoneView | None = None
        for zone in self._zones():
            if qname == zone.name or qname.endswith("." + zone.name):
                if best is None or len(zone.name) > len(best.name):
                    best = zone
        return best

    def resolve(self, name: str, rtype: str = "A") -> list[str]:
        """The values answering ``name``/``rtype`` (empty: no such name or no such data)."""
        qname, qtype = normalise(name), rtype.upper()
        for _ in range(MAX_CNAME_HOPS + 1):
            found = self._lookup(qname, qtype)
            if found:
                return found
            if qtype == "CNAME":
                return []
            cname = self._lookup(qname, "CNAME")
            if not cname:
                return []
            qname = normalise(cname[0])
        return []  # a CNAME loop or too long a chain: resolvers give up (SERVFAIL)

    def _lookup(self, qname: str, qtype: str) -> list[str]:
        zone = self.zone_for(qname)
        if zone is None:
            return self.external.get(qname, qtype)
        owners = {r.name for r in zone.records}
        target = qname
        if qname not in owners:  # RFC 4592: the closest wildcard answers a name with no records
            target = ""
            parts = qname.split(".")
            for i in range(1, len(parts) - 1):
                parent = ".".join(parts[i:])
                if not (parent == zone.name or parent.endswith("." + zone.name)):
                    break
                if "*." + parent in owners:
                    target = "*." + parent
                    break
                if parent in owners:
                    break  # an existing name blocks wildcards above it
        for record in zone.records:
            if record.name == target and record.type == qtype:
                return list(record.values)
        return []
