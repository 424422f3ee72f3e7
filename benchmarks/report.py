"""Plain-text tables and ratios for the benchmark scripts (no third-party formatting)."""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Sequence

# The targets: the simulator within 1.3x of the floor, per call and at startup.
TARGET_RATIO = 1.3


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], align: str | None = None) -> str:
    """A fixed-width table; ``align`` has one of ``<``/``>`` per column (text left by default)."""
    align = align or "<" + ">" * (len(headers) - 1)
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(f"{c:{a}{w}}" for c, a, w in zip(cells, align, widths, strict=True))

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "n/a"
    return f"{a / b:.2f}x"


def verdict(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return "n/a"
    return "meets" if a / b <= TARGET_RATIO else "misses"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return (
        f"Python {platform.python_version()} on {platform.system()} {cpu}, "
        f"{os.cpu_count()} CPUs, {sys.executable}"
    )


def botocore_version() -> str:
    import botocore

    return f"botocore {botocore.__version__}"
