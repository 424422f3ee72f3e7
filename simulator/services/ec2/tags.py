"""CreateTags, DeleteTags and DescribeTags on the resources simulated here: VPCs, subnets and
images (the learner's own and, account-scoped, the public catalog's).

Limits from "Tag your Amazon EC2 resources" (EC2 user guide, Tag restrictions): 50 tags per
resource, keys 1-128 characters and not starting with ``aws:``, values up to 256 characters.
"""

from __future__ import annotations

from typing import Any

from simulator.core.context import RequestContext
from simulator.protocol.registry import operation
from simulator.services.ec2 import catalog
from simulator.services.ec2.core import (
    MAX_TAGS,
    Ec2Core,
    apply_filters,
    check_id,
    check_tag,
    field,
    page,
    raise_tag_limit,
)
from simulator.services.ec2.errors import (
    InvalidAMIIDNotFound,
    InvalidID,
    InvalidSubnetIDNotFound,
    InvalidVpcIDNotFound,
    MissingParameter,
)

_TYPES = {"vpc": "vpc", "subnet": "subnet", "ami": "image"}


class TagOps(Ec2Core):
    def _resource_type(self, ctx: RequestContext, resource_id: str) -> str:
        """The resource's type name, after checking that the account can see it."""
        prefix = resource_id.split("-", 1)[0]
        if prefix not in _TYPES:
            raise InvalidID(f"The ID '{resource_id}' is not valid")
        check_id(prefix, resource_id)
        st = self.state(ctx.account_id, ctx.region)
        if prefix == "vpc" and resource_id not in st.vpcs:
            raise InvalidVpcIDNotFound(f"The vpc ID '{resource_id}' does not exist")
        if prefix == "subnet" and resource_id not in st.subnets:
            raise InvalidSubnetIDNotFound(f"The subnet ID '{resource_id}' does not exist")
        if prefix == "ami" and not (
            resource_id in st.images or resource_id in catalog.catalog_by_id(ctx.region)
        ):
            raise InvalidAMIIDNotFound(f"The image id '[{resource_id}]' does not exist")
        return _TYPES[prefix]

    @operation("CreateTags")
    def create_tags(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        resources = p.get("Resources") or []
        if not resources:
            raise MissingParameter("The request must contain the parameter resourceIdSet")
        new = dict(check_tag(t) for t in p.get("Tags") or [])
        st = self.state(ctx.account_id, ctx.region)
        for rid in resources:
            self._resource_type(ctx, rid)
            if len({**st.tags.get(rid, {}), **new}) > MAX_TAGS:
                raise_tag_limit()
        for rid in resources:  # validated all first: a refused request changes nothing
            st.tags[rid] = {**st.tags.get(rid, {}), **new}
        return {}

    @operation("DeleteTags")
    def delete_tags(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        resources = p.get("Resources") or []
        if not resources:
            raise MissingParameter("The request must contain the parameter resourceIdSet")
        for rid in resources:
            self._resource_type(ctx, rid)
        st = self.state(ctx.account_id, ctx.region)
        given = p.get("Tags")
        for rid in resources:
            tags = st.tags.get(rid, {})
            if given is None:  # no Tags: delete all of the resource's tags (DeleteTags docs)
                tags = {}
            for tag in given or []:
                key, value = tag.get("Key"), tag.get("Value")
                # With a value, only a tag with that key and value goes; without, any value.
                if key in tags and (value is None or tags[key] == value):
                    del tags[key]
            if tags:
                st.tags[rid] = tags
            else:
                st.tags.pop(rid, None)
        return {}

    @operation("DescribeTags", read_only=True)
    def describe_tags(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        st = self.state(ctx.account_id, ctx.region)
        rows = [
            {"ResourceId": rid, "ResourceType": _TYPES[rid.split("-", 1)[0]], "Key": k, "Value": v}
            for rid in sorted(st.tags)
            for k, v in sorted(st.tags[rid].items())
        ]
        getters: dict[str, Any] = {
            name: field(key)
            for name, key in {
                "resource-id": "ResourceId",
                "resource-type": "ResourceType",
                "key": "Key",
                "value": "Value",
            }.items()
        }
        found = apply_filters(rows, p.get("Filters"), getters)
        shown, token = page(found, p)
        out: dict[str, Any] = {"Tags": shown}
        if token:
            out["NextToken"] = token
        return out
