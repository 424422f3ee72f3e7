"""Fixed data: Regions (from botocore's endpoint data), Availability Zones and the built-in
catalog of public images (Amazon Linux 2023, Ubuntu 24.04, Windows Server 2022).

Availability Zones are a teaching stand-in: every Region gets three zones ``<region>a/b/c``
whose zone ids follow AWS's documented form ``<region code>-az<n>`` (``use1-az1``). In real
AWS many Regions have more zones, and the mapping of zone names to zone ids differs between
accounts ("AZ IDs", EC2 user guide); here it is the same fixed ``a -> az1`` for everybody.

Catalog images are the same in every Region but, as in AWS, each Region has its own ImageId;
the id is derived from the Region and image name (a hash), so it is stable across Clouds and
seeds. Names, owners and dates mimic the real families; the exact builds are illustrative.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from simulator.protocol import spec

# Regions launched after 20 March 2019 are disabled by default and must be enabled ("opt-in
# Regions", AWS account management guide). The simulator answers them all, so they show as
# "opted-in"; the older Regions show "opt-in-not-required".
OPT_IN_REGIONS = frozenset(
    {
        "af-south-1", "ap-east-1", "ap-east-2", "ap-south-2", "ap-southeast-3",
        "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-west-1",
        "eu-central-2", "eu-south-1", "eu-south-2", "il-central-1", "me-central-1",
        "me-south-1", "mx-central-1",
    }
)  # fmt: skip
_DIRECTIONS = {
    "northeast": "ne", "southeast": "se", "northwest": "nw", "southwest": "sw",
    "north": "n", "south": "s", "east": "e", "west": "w", "central": "c",
}  # fmt: skip
ZONE_LETTERS = ("a", "b", "c")


def region_opt_in(region: str) -> str:
    return "opted-in" if region in OPT_IN_REGIONS else "opt-in-not-required"


def regions() -> tuple[str, ...]:
    return spec.regions()


def region_code(region: str) -> str:
    """``us-east-1`` -> ``use1``, ``ap-southeast-2`` -> ``apse2`` (AWS's zone-id prefix)."""
    parts = region.split("-")
    middle = "".join(_DIRECTIONS.get(p, p[:1]) for p in parts[1:-1])
    return f"{parts[0]}{middle}{parts[-1]}"


@dataclass(frozen=True)
class Zone:
    name: str
    zone_id: str
    region: str


def zones(region: str) -> tuple[Zone, ...]:
    code = region_code(region)
    return tuple(
        Zone(f"{region}{letter}", f"{code}-az{i}", region)
        for i, letter in enumerate(ZONE_LETTERS, start=1)
    )


@dataclass(frozen=True)
class CatalogImage:
    name: str
    owner_id: str
    owner_alias: str | None
    architecture: str
    description: str
    created: str  # EC2 sends CreationDate as an ISO 8601 string
    root_device_name: str
    platform: str | None  # "windows" or absent
    boot_mode: str

    def image_id(self, region: str) -> str:
        digest = hashlib.sha256(f"{region}/{self.name}".encode()).hexdigest()
        return f"ami-0{digest[:16]}"  # current-style ids: 17 hex digits, led by 0


AMAZON = "137112412989"  # owner of Amazon Linux AMIs (alias "amazon")
WINDOWS = "801119661308"  # owner of Windows Server AMIs (alias "amazon")
CANONICAL = "099720109477"  # Canonical, publisher of Ubuntu AMIs (no alias)
_AL = "2023.6.20241121.0"
_UBUNTU = "20241119"

CATALOG: tuple[CatalogImage, ...] = tuple(
    [
        CatalogImage(
            f"al2023-ami-{_AL}-kernel-6.1-{arch}", AMAZON, "amazon", arch,
            f"Amazon Linux 2023 AMI {_AL} {arch} HVM kernel-6.1", "2024-11-21T20:31:51.000Z",
            "/dev/xvda", None, "uefi-preferred",
        )
        for arch in ("x86_64", "arm64")
    ]
    + [
        CatalogImage(
            f"ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-{deb}-server-{_UBUNTU}", CANONICAL,
            None, arch, f"Canonical, Ubuntu, 24.04, {deb} noble image",
            "2024-11-19T06:14:02.000Z", "/dev/sda1", None, "uefi-preferred",
        )
        for arch, deb in (("x86_64", "amd64"), ("arm64", "arm64"))
    ]
    + [
        CatalogImage(
            "Windows_Server-2022-English-Full-Base-2024.11.13", WINDOWS, "amazon", "x86_64",
            "Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon",
            "2024-11-13T19:44:37.000Z", "/dev/sda1", "windows", "legacy-bios",
        )
    ]
)  # fmt: skip


def catalog_by_id(region: str) -> dict[str, CatalogImage]:
    return {img.image_id(region): img for img in CATALOG}
