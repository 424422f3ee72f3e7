"""AddTags, RemoveTags, DescribeTags for load balancers, target groups and listeners.

Facts (API reference: AddTags, RemoveTags, DescribeTags): AddTags updates the value of a key a
resource already has; DescribeTags takes up to 20 resources. Rules and trust stores are not
simulated, so their ARNs are never found (RuleNotFound, TrustStoreNotFound). Each resource keeps
at most 50 tags ([U], see ``core.MAX_TAGS``).
"""

from __future__ import annotations

from typing import Any

from simulator.core.context import RequestContext
from simulator.core.errors import ValidationException
from simulator.protocol.registry import operation
from simulator.services.elbv2.core import (
    ARN_PREFIX,
    MAX_DESCRIBE_ARNS,
    MAX_TAGS,
    Elbv2Core,
    tag_map,
    wire_tags,
)
from simulator.services.elbv2.errors import (
    RuleNotFoundException,
    TooManyTagsException,
    TrustStoreNotFoundException,
)


class TagOps(Elbv2Core):
    def _tags_of(self, ctx: RequestContext, arn: str) -> dict[str, str]:
        """The live tag dict of the resource an ARN names (raising its not-found error)."""
        parts = arn.split(":", 5)
        resource = parts[5] if len(parts) == 6 and arn.startswith(ARN_PREFIX) else ""
        kind = resource.split("/", 1)[0]
        if kind == "loadbalancer":
            return self.load_balancer(ctx, arn).tags
        if kind == "targetgroup":
            return self.target_group(ctx, arn).tags
        if kind == "listener":
            return self.listener(ctx, arn).tags
        if kind == "listener-rule":
            raise RuleNotFoundException(f"Rule '{arn}' not found")  # [U]
        if kind == "truststore":
            raise TrustStoreNotFoundException(f"Trust store '{arn}' not found")  # [U]
        raise ValidationException(f"'{arn}' is not a valid Elastic Load Balancing ARN")  # [U]

    @operation("AddTags")
    def add_tags(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        new = tag_map(p["Tags"])
        targets = [self._tags_of(ctx, arn) for arn in p["ResourceArns"]]
        for tags in targets:
            if len(tags.keys() | new.keys()) > MAX_TAGS:
                raise TooManyTagsException(  # [U]
                    "The quota for the number of tags has been reached"
                )
        for tags in targets:
            tags.update(new)
        return {}

    @operation("RemoveTags")
    def remove_tags(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        targets = [self._tags_of(ctx, arn) for arn in p["ResourceArns"]]
        for tags in targets:
            for key in p["TagKeys"]:
                tags.pop(key, None)
        return {}

    @operation("DescribeTags", read_only=True)
    def describe_tags(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        arns: list[str] = p["ResourceArns"]
        if len(arns) > MAX_DESCRIBE_ARNS:
            raise ValidationException(  # [U]
                f"You can specify up to {MAX_DESCRIBE_ARNS} resource ARNs"
            )
        return {
            "TagDescriptions": [
                {"ResourceArn": arn, "Tags": wire_tags(self._tags_of(ctx, arn))}
                for arn in dict.fromkeys(arns)
            ]
        }
