"""Amazon EC2 (a minimal slice): Regions, Availability Zones, VPCs, subnets, tags, images."""
