"""The EC2 service (a minimal slice for teaching): Regions and Availability Zones, VPCs and
subnets, tags, and images (AMIs). Each concern lives in its own module on top of
``core.Ec2Core``; this class only assembles them. Every other EC2 operation answers
NotSimulatedException. ``DryRun`` is honoured for every operation (``core.Ec2Core.admit``).
"""

from __future__ import annotations

from simulator.services.ec2.images import ImageOps
from simulator.services.ec2.network import NetworkOps
from simulator.services.ec2.regions import RegionOps
from simulator.services.ec2.tags import TagOps


class Ec2Service(RegionOps, NetworkOps, ImageOps, TagOps):
    service_name = "ec2"
