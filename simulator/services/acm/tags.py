"""ACM certificate tags: the restrictions of the ACM User Guide's "Tag restrictions" page
(https://docs.aws.amazon.com/acm/latest/userguide/tags-restrictions.html).

- at most 50 tags per certificate (``TooManyTagsException``);
- keys of at most 127 characters and values of at most 255, as that page states (the model
  allows 128 and 256, so botocore lets the longer ones through and ACM refuses them);
- the ``aws:`` prefix is reserved: "you cannot add, edit, or delete tags whose key begins with
  aws:" (``InvalidTagException``, whose model documentation names that prefix).

Tag keys and values are case-sensitive; adding a key that exists replaces its value. Tag
policies (``TagPolicyException``) belong to AWS Organizations, which is not simulated.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from simulator.services.acm.errors import InvalidTagException, TooManyTagsException
from simulator.services.acm.model import Tag

MAX_TAGS = 50
MAX_KEY = 127
MAX_VALUE = 255
RESERVED = "aws:"


def parse(raw: Iterable[dict[str, Any]]) -> list[Tag]:
    """The request's tags, checked one by one (keys and values as the page allows)."""
    tags = []
    for item in raw:
        key, value = str(item["Key"]), item.get("Value")
        if key.lower().startswith(RESERVED):
            raise InvalidTagException(
                f"Tag key '{key}' uses the reserved prefix 'aws:'. You cannot add, edit, or "
                "delete tags whose key begins with aws:."
            )  # [U]
        if len(key) > MAX_KEY:
            raise InvalidTagException(
                f"Tag key '{key[:20]}...' is longer than {MAX_KEY} characters."
            )  # [U]
        if value is not None and len(str(value)) > MAX_VALUE:
            raise InvalidTagException(
                f"The value of tag '{key}' is longer than {MAX_VALUE} characters."
            )  # [U]
        tags.append(Tag(key, None if value is None else str(value)))
    return tags


def merged(existing: list[Tag], new: list[Tag]) -> list[Tag]:
    """``existing`` with ``new`` added (same key: new value), refused beyond 50 tags."""
    out = {t.key: Tag(t.key, t.value) for t in existing}
    for tag in new:
        out[tag.key] = Tag(tag.key, tag.value)
    if len(out) > MAX_TAGS:
        raise TooManyTagsException(
            f"The request contains too many tags: a certificate can have at most {MAX_TAGS} "
            f"tags, and this would give it {len(out)}."
        )  # [U]
    return list(out.values())


def removed(existing: list[Tag], gone: list[Tag]) -> list[Tag]:
    """``existing`` without ``gone``: a tag given without a value goes whatever its value;
    with a value, only if the value matches (API_RemoveTagsFromCertificate.html)."""
    out = []
    for tag in existing:
        hit = any(g.key == tag.key and (g.value is None or g.value == tag.value) for g in gone)
        if not hit:
            out.append(tag)
    return out


def shown(tags: list[Tag]) -> list[dict[str, str]]:
    return [{"Key": t.key} if t.value is None else {"Key": t.key, "Value": t.value} for t in tags]
