"""Images (AMIs): DescribeImages over the built-in public catalog (``catalog.py``) plus the
learner's own images, RegisterImage and DeregisterImage.

A registered image is ``available`` at once (in AWS it is ``pending`` while its snapshot is
processed); snapshots, S3 bundles, launch permissions and sharing are not simulated.
``exists_image`` lets other services (Parameter Store's ``aws:ec2:image`` data type) check an
AMI id against what the account can see in a Region.
"""

from __future__ import annotations

import re
from typing import Any

from simulator.core.context import RequestContext
from simulator.protocol.registry import operation
from simulator.services.ec2 import catalog
from simulator.services.ec2.core import (
    Ec2Core,
    apply_filters,
    bool_text,
    check_id,
    field,
    page,
    wire_tags,
)
from simulator.services.ec2.errors import (
    AuthFailure,
    InvalidAMIIDNotFound,
    InvalidAMINameDuplicate,
    InvalidAMINameMalformed,
    InvalidParameterValue,
)
from simulator.services.ec2.model import Image

# RegisterImage "Name": 3-128 alphanumeric characters, parentheses, square brackets, spaces,
# periods, slashes, dashes, single quotes, at-signs or underscores (EC2 API reference).
_NAME = re.compile(r"^[A-Za-z0-9()\[\] ./\-'@_]{3,128}$")
_ARCHITECTURES = ("i386", "x86_64", "arm64", "x86_64_mac", "arm64_mac")


def _catalog_out(region: str, img: catalog.CatalogImage) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ImageId": img.image_id(region),
        "ImageLocation": f"{img.owner_alias or img.owner_id}/{img.name}",
        "State": "available",
        "OwnerId": img.owner_id,
        "CreationDate": img.created,
        "Public": True,
        "Architecture": img.architecture,
        "ImageType": "machine",
        "Name": img.name,
        "Description": img.description,
        "RootDeviceType": "ebs",
        "RootDeviceName": img.root_device_name,
        "VirtualizationType": "hvm",
        "Hypervisor": "xen",
        "EnaSupport": True,
        "SriovNetSupport": "simple",
        "BootMode": img.boot_mode,
        "PlatformDetails": "Windows" if img.platform else "Linux/UNIX",
        "UsageOperation": "RunInstances:0002" if img.platform else "RunInstances",
    }
    if img.owner_alias:
        out["ImageOwnerAlias"] = img.owner_alias
    if img.platform:
        out["Platform"] = img.platform
    return out


def _own_out(account: str, img: Image) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ImageId": img.image_id,
        "ImageLocation": img.image_location or f"{account}/{img.name}",
        "State": "available",
        "OwnerId": account,
        "CreationDate": img.created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "Public": False,
        "Architecture": img.architecture,
        "ImageType": "machine",
        "Name": img.name,
        "RootDeviceType": "ebs",
        "VirtualizationType": img.virtualization_type,
        "Hypervisor": "xen",
        "PlatformDetails": "Linux/UNIX",
        "UsageOperation": "RunInstances",
    }
    optional = {
        "Description": img.description,
        "RootDeviceName": img.root_device_name,
        "BootMode": img.boot_mode,
        "EnaSupport": img.ena_support,
    }
    out.update({k: v for k, v in optional.items() if v is not None})
    return out


_FILTERS: dict[str, Any] = {
    name: field(key)
    for name, key in {
        "name": "Name",
        "image-id": "ImageId",
        "owner-alias": "ImageOwnerAlias",
        "owner-id": "OwnerId",
        "architecture": "Architecture",
        "state": "State",
        "platform": "Platform",
        "image-type": "ImageType",
        "root-device-type": "RootDeviceType",
        "root-device-name": "RootDeviceName",
        "virtualization-type": "VirtualizationType",
        "description": "Description",
        "hypervisor": "Hypervisor",
        "platform-details": "PlatformDetails",
    }.items()
}
_FILTERS["is-public"] = lambda img: [bool_text(img["Public"])]


def _owned_by(img: dict[str, Any], owner: str, account: str) -> bool:
    if owner == "self":
        return bool(img["OwnerId"] == account)
    if owner in ("amazon", "aws-marketplace", "aws-backup-vault"):
        return img.get("ImageOwnerAlias") == owner
    return bool(img["OwnerId"] == owner)


class ImageOps(Ec2Core):
    def _images(self, account: str, region: str) -> list[dict[str, Any]]:
        own = self.state(account, region).images.values()
        return [_catalog_out(region, c) for c in catalog.CATALOG] + [
            _own_out(account, i) for i in own
        ]

    def exists_image(self, account: str, region: str, image_id: str) -> bool:
        """Whether ``image_id`` is an available AMI this account can see in ``region``."""
        if image_id in catalog.catalog_by_id(region):
            return True
        slot = self._regions.get(f"{account}:{region}")
        return slot is not None and image_id in slot.images

    @operation("DescribeImages", read_only=True)
    def describe_images(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        images = self._images(ctx.account_id, ctx.region)
        ids = p.get("ImageIds") or []
        for image_id in ids:
            check_id("ami", image_id)
        if ids:
            known = {img["ImageId"] for img in images}
            missing = [i for i in ids if i not in known]
            if missing:
                raise InvalidAMIIDNotFound(f"The image id '[{', '.join(missing)}]' does not exist")
            images = [img for img in images if img["ImageId"] in ids]
        owners = p.get("Owners") or []
        if owners:
            images = [
                img for img in images if any(_owned_by(img, o, ctx.account_id) for o in owners)
            ]
        st = self.state(ctx.account_id, ctx.region)
        found = apply_filters(
            images, p.get("Filters"), _FILTERS, lambda img: st.tags.get(img["ImageId"], {})
        )
        shown, token = page(found, p)
        for img in shown:
            tags = st.tags.get(img["ImageId"])
            if tags:
                img["Tags"] = wire_tags(tags)
        out: dict[str, Any] = {"Images": shown}
        if token:
            out["NextToken"] = token
        return out

    @operation("RegisterImage")
    def register_image(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        name = p.get("Name") or ""
        if not _NAME.match(name):
            raise InvalidAMINameMalformed(
                "AMI names must be between 3 and 128 characters long, and may contain letters, "
                "numbers, '(', ')', '[', ']', ' ', '.', '/', '-', ''', '@' and '_'"
            )
        arch = p.get("Architecture") or "x86_64"
        if arch not in _ARCHITECTURES:
            raise InvalidParameterValue(f"Value ({arch}) for parameter architecture is invalid.")
        st = self.state(ctx.account_id, ctx.region)
        for other in st.images.values():
            if other.name == name:
                raise InvalidAMINameDuplicate(
                    f"AMI name {name} is already in use by AMI {other.image_id}"
                )
        tags = self.tag_spec(p.get("TagSpecifications"), "image")
        image = Image(
            image_id=self.new_id("ami"),
            name=name,
            created=self.env.clock.now(),
            architecture=arch,
            description=p.get("Description"),
            image_location=p.get("ImageLocation"),
            root_device_name=p.get("RootDeviceName"),
            virtualization_type=p.get("VirtualizationType") or "hvm",
            boot_mode=p.get("BootMode"),
            ena_support=p.get("EnaSupport"),
        )
        st.images[image.image_id] = image
        if tags:
            st.tags[image.image_id] = tags
        return {"ImageId": image.image_id}

    @operation("DeregisterImage")
    def deregister_image(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        image_id = p.get("ImageId") or ""
        check_id("ami", image_id)
        st = self.state(ctx.account_id, ctx.region)
        if image_id in catalog.catalog_by_id(ctx.region):
            raise AuthFailure(f"Not authorized for image:{image_id}")
        if image_id not in st.images:
            raise InvalidAMIIDNotFound(f"The image id '[{image_id}]' does not exist")
        del st.images[image_id]
        st.tags.pop(image_id, None)
        return {"Return": True}
