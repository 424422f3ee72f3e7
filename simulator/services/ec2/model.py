"""EC2 domain state, per account and Region: VPCs, subnets, the learner's own images (AMIs)
and the tags on all of them. The public image catalog is module data (``catalog.py``).

Tags are held in one table keyed by resource id, because EC2 tags are account-scoped: an
account can tag a public AMI it does not own and only it sees those tags.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field


@dataclass
class Vpc:
    vpc_id: str
    cidr_block: str
    association_id: str  # vpc-cidr-assoc-...
    instance_tenancy: str = "default"
    state: str = "available"


@dataclass
class Subnet:
    subnet_id: str
    vpc_id: str
    cidr_block: str
    availability_zone: str
    availability_zone_id: str
    state: str = "available"


@dataclass
class Image:
    """An AMI the learner registered (RegisterImage)."""

    image_id: str
    name: str
    created: _dt.datetime
    architecture: str = "x86_64"
    description: str | None = None
    image_location: str | None = None
    root_device_name: str | None = None
    virtualization_type: str = "hvm"
    boot_mode: str | None = None
    ena_support: bool | None = None


@dataclass
class RegionState:
    vpcs: dict[str, Vpc] = field(default_factory=dict)
    subnets: dict[str, Subnet] = field(default_factory=dict)
    images: dict[str, Image] = field(default_factory=dict)
    tags: dict[str, dict[str, str]] = field(default_factory=dict)  # resource id -> tags
    dhcp_options_id: str | None = None  # the Region's default DHCP option set, made lazily

    def is_empty(self) -> bool:
        return not (self.vpcs or self.subnets or self.images or self.tags)
