"""House style is checked by the test command: ruff (lint, banned time/random APIs) and
mypy --strict on the packages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_ruff_lint_is_clean() -> None:
    proc = _run("ruff", "check", "simulator", "quizzes", "tests", "benchmarks", "kit.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict_is_clean() -> None:
    proc = _run("mypy", "--cache-dir", "/dev/null" if sys.platform != "win32" else ".mypy_cache")
    assert proc.returncode == 0, proc.stdout + proc.stderr
