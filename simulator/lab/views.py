"""Pandas views for lessons: the audit trail, its summary, and the KMS keys of a Region.

Owns turning what the simulator records into small tables a learner can read. The trail views
accept a :class:`~simulator.Cloud`, its :class:`~simulator.core.audit.Trail`, or a DataFrame
already made from one. :func:`keys_table` only uses a KMS client's public API (ListKeys,
DescribeKey, ListAliases), so it reads a real AWS account just as well as the simulator, and
its calls appear in the trail like any other caller's. pandas is imported inside the functions.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas

#: What the trail views accept: a Cloud, a Trail, or a DataFrame from ``Trail.to_dataframe()``.
TrailSource = Any

#: The outcome written for a call that succeeded (failed calls show their AWS error code).
OK = "OK"

KEY_COLUMNS = [
    "KeyId",
    "Aliases",
    "Description",
    "KeyState",
    "Enabled",
    "KeyManager",
    "KeySpec",
    "KeyUsage",
    "CreationDate",
    "DeletionDate",
]
SUMMARY_COLUMNS = ["eventName", "outcome", "count"]
ERROR_COLUMNS = ["eventTime", "eventName", "errorCode", "errorMessage"]


def trail_frame(source: TrailSource) -> pandas.DataFrame:
    """The trail of ``source`` as a DataFrame (one row per event, oldest first)."""
    import pandas

    if isinstance(source, pandas.DataFrame):
        return source
    trail = getattr(source, "trail", source)
    to_dataframe = getattr(trail, "to_dataframe", None)
    if to_dataframe is None:
        raise TypeError(f"expected a Cloud, a Trail or a DataFrame, not {type(source).__name__}")
    frame: pandas.DataFrame = to_dataframe()
    return frame


def outcomes(frame: pandas.DataFrame) -> pandas.Series:
    """Per row: ``"OK"`` for a call that succeeded, else its AWS error code."""
    return frame["errorCode"].where(frame["errorCode"].notna(), OK).astype(str)


def trail_summary(source: TrailSource) -> pandas.DataFrame:
    """Count events per (eventName, outcome), in the order each pair first happened.

    ``outcome`` is ``"OK"`` or the error code, so a failed Decrypt and a successful one are
    counted on separate rows: the table answers "what was called, and what went wrong".
    """
    import pandas

    frame = trail_frame(source)
    if frame.empty:
        return pandas.DataFrame(columns=SUMMARY_COLUMNS)
    counted = frame.assign(outcome=outcomes(frame))
    summary = counted.groupby(["eventName", "outcome"], sort=False).size().reset_index(name="count")
    return summary[SUMMARY_COLUMNS]


def errors_table(source: TrailSource) -> pandas.DataFrame:
    """Only the events that failed, with the code and message AWS returned."""
    frame = trail_frame(source)
    failed = frame[frame["errorCode"].notna()]
    return failed[ERROR_COLUMNS].reset_index(drop=True)


def _utc(value: Any) -> Any:
    # botocore parses timestamps into the local timezone; a table reads better in UTC,
    # the zone the simulator's clock (and CloudTrail) uses.
    if isinstance(value, _dt.datetime):
        return value.astimezone(_dt.UTC)
    return None


def keys_table(kms: Any) -> pandas.DataFrame:
    """One row per KMS key of the client's account and Region, with its aliases.

    Makes one ListKeys and ListAliases call per page and one DescribeKey per key, as a script
    against real AWS would.
    """
    import pandas

    aliases: dict[str, list[str]] = {}
    for page in kms.get_paginator("list_aliases").paginate():
        for alias in page["Aliases"]:
            if alias.get("TargetKeyId"):
                aliases.setdefault(alias["TargetKeyId"], []).append(alias["AliasName"])
    rows = []
    for page in kms.get_paginator("list_keys").paginate():
        for entry in page["Keys"]:
            meta = kms.describe_key(KeyId=entry["KeyId"])["KeyMetadata"]
            rows.append(
                {
                    "KeyId": meta["KeyId"],
                    "Aliases": ", ".join(sorted(aliases.get(meta["KeyId"], []))),
                    "Description": meta.get("Description", ""),
                    "KeyState": meta["KeyState"],
                    "Enabled": meta["Enabled"],
                    "KeyManager": meta.get("KeyManager"),
                    "KeySpec": meta.get("KeySpec"),
                    "KeyUsage": meta.get("KeyUsage"),
                    "CreationDate": _utc(meta.get("CreationDate")),
                    "DeletionDate": _utc(meta.get("DeletionDate")),
                }
            )
    table = pandas.DataFrame(rows, columns=KEY_COLUMNS)
    for column in ("CreationDate", "DeletionDate"):
        table[column] = pandas.to_datetime(table[column], utc=True)
    return table
