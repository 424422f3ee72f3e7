"""What every EC2 handler module shares: per-account, per-Region state, resource ids, id
checks with EC2's errors, Describe* filters and pagination, and tag helpers.

EC2 ``Filters`` match a resource when every filter matches (AND) and, within a filter, any of
its values matches (OR); values may use ``*`` and ``?`` wildcards ("Filter", EC2 API
reference). An unknown filter name is refused with InvalidParameterValue.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from simulator.core.context import RequestContext
from simulator.services.base import Service, ServiceEnv
from simulator.services.ec2.errors import (
    DryRunOperation,
    InvalidAMIIDMalformed,
    InvalidPaginationToken,
    InvalidParameterValue,
    InvalidSubnetIDMalformed,
    InvalidVpcIDMalformed,
    TagLimitExceeded,
)
from simulator.services.ec2.model import RegionState
from simulator.services.regional import RegionalStates

T = TypeVar("T")
Getter = Callable[[T], Iterable[str | None]]

_MALFORMED = {
    "vpc": InvalidVpcIDMalformed,
    "subnet": InvalidSubnetIDMalformed,
    "ami": InvalidAMIIDMalformed,
}
_ID = {prefix: re.compile(rf"^{prefix}-([0-9a-f]{{8}}|[0-9a-f]{{17}})$") for prefix in _MALFORMED}


def check_id(prefix: str, value: str) -> None:
    """Refuse an id that cannot be one of ``prefix`` (``vpc-`` + 8 or 17 hex digits)."""
    if not _ID[prefix].match(value):
        raise _MALFORMED[prefix](f'Invalid id: "{value}" (expecting "{prefix}-...")')


def _glob(pattern: str) -> re.Pattern[str]:
    body = re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".")
    return re.compile(f"^{body}$", re.DOTALL)


def apply_filters(
    items: Sequence[T],
    filters: Sequence[dict[str, Any]] | None,
    getters: dict[str, Getter[T]],
    tags_of: Callable[[T], dict[str, str]] | None = None,
) -> list[T]:
    """The items every filter matches. ``getters`` maps a filter name to the item's values."""
    chosen = list(items)
    for f in filters or []:
        name = f.get("Name") or ""
        values = [_glob(v) for v in (f.get("Values") or [])]
        get: Getter[T]
        if name.startswith("tag:") and tags_of is not None:
            get = _tag_value_getter(tags_of, name[4:])
        elif name in ("tag-key", "tag-value") and tags_of is not None:
            get = _tag_getter(tags_of, values_wanted=name == "tag-value")
        elif name in getters:
            get = getters[name]
        else:
            raise InvalidParameterValue(f"The filter '{name}' is invalid")
        chosen = [
            item
            for item in chosen
            if any(v is not None and pat.match(v) for v in get(item) for pat in values)
        ]
    return chosen


def _tag_value_getter(tags_of: Callable[[T], dict[str, str]], key: str) -> Getter[T]:
    def get(item: T) -> list[str | None]:
        return [tags_of(item).get(key)]

    return get


def _tag_getter(tags_of: Callable[[T], dict[str, str]], *, values_wanted: bool) -> Getter[T]:
    def get(item: T) -> list[str | None]:
        tags = tags_of(item)
        return list(tags.values() if values_wanted else tags)

    return get


def field(key: str) -> Getter[dict[str, Any]]:
    """A filter getter reading one key of a wire-shaped dict."""

    def get(item: dict[str, Any]) -> list[str | None]:
        return [item.get(key)]

    return get


def page(items: list[T], p: dict[str, Any]) -> tuple[list[T], str | None]:
    """Slice by ``MaxResults``/``NextToken`` (the token is the next index, opaque to callers)."""
    token = p.get("NextToken")
    start = 0
    if token is not None:
        if not token.startswith("ec2-page-") or not token[9:].isdigit():
            raise InvalidPaginationToken(f"Invalid pagination token: {token}")
        start = int(token[9:])
    size = p.get("MaxResults")
    if size is None or size <= 0:
        return items[start:], None
    end = start + size
    return items[start:end], (f"ec2-page-{end}" if end < len(items) else None)


def wire_tags(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def bool_text(value: bool) -> str:
    return "true" if value else "false"


class Ec2Core(Service):
    """Shared state and helpers; the handler mixins and :class:`Ec2Service` build on it."""

    def __init__(self, env: ServiceEnv) -> None:
        super().__init__(env)
        self._regions = RegionalStates(RegionState)

    def __repr__(self) -> str:
        vpcs = sum(len(st.vpcs) for st in self._regions.values())
        return f"<Ec2Service {vpcs} VPCs>"

    def state(self, account: str, region: str) -> RegionState:
        return self._regions.of(account, region)

    def dump(self) -> Any:
        return self._regions.dump(keep=lambda st: not st.is_empty())

    def restore(self, data: Any) -> None:
        self._regions.restore(data)

    def new_id(self, prefix: str) -> str:
        # Current EC2 ids carry 17 hex digits; AWS's begin with 0.
        return f"{prefix}-0{self.env.ids.hex(16)}"

    def admit(self, ctx: RequestContext, params: dict[str, Any]) -> None:
        # Runs after authorization: DryRun answers whether the caller may act, and stops there.
        if params.get("DryRun"):
            raise DryRunOperation("Request would have succeeded, but DryRun flag is set.")

    # -- tags -------------------------------------------------------------------------------
    def tags(self, ctx: RequestContext, resource_id: str) -> dict[str, str]:
        return self.state(ctx.account_id, ctx.region).tags.get(resource_id, {})

    def tag_spec(
        self, specs: Sequence[dict[str, Any]] | None, resource_type: str
    ) -> dict[str, str]:
        """The tags TagSpecifications give a resource being created (validated, not stored)."""
        out: dict[str, str] = {}
        for s in specs or []:
            kind = s.get("ResourceType")
            if kind != resource_type:
                raise InvalidParameterValue(
                    f"'{kind}' is not a valid taggable resource type for this operation."
                )
            for tag in s.get("Tags") or []:
                key, value = check_tag(tag)
                out[key] = value
        if len(out) > MAX_TAGS:
            raise_tag_limit()
        return out


MAX_TAGS = 50  # "Maximum number of tags per resource: 50" (EC2 user guide, Tag restrictions)


def check_tag(tag: dict[str, Any]) -> tuple[str, str]:
    """Key 1-128 chars, not ``aws:``; value 0-256 chars (EC2 user guide, Tag restrictions)."""
    key = tag.get("Key")
    value = tag.get("Value") or ""
    if not key or len(key) > 128:
        raise InvalidParameterValue(f"Tag key must be 1 to 128 characters long: '{key or ''}'")
    if key.lower().startswith("aws:"):
        raise InvalidParameterValue(
            f"Value ( {key} ) for parameter key is invalid. "
            "Tag keys starting with 'aws:' are reserved for internal use"
        )
    if len(value) > 256:
        raise InvalidParameterValue(f"Tag value for key '{key}' exceeds 256 characters")
    return key, value


def raise_tag_limit() -> None:
    raise TagLimitExceeded(f"The maximum number of tags per resource ({MAX_TAGS}) is exceeded")
