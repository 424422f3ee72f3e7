#!/usr/bin/env python3
"""Secrets Lab's two set-up commands, with nothing but Python 3.11+ needed first.

    python3 kit.py lab     # make .venv, install the kit, open JupyterLab on the start notebook
    python3 kit.py test    # make .venv, install the kit, run every test (unit, notebooks, quizzes)

Both create (or reuse) a virtual environment in ``.venv`` next to this file and install the
package with its test extras into it; a changed ``pyproject.toml`` triggers a reinstall.
Extra arguments after ``test`` go to pytest.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".secrets-lab-installed"


def _python() -> Path:
    sub = "Scripts" if os.name == "nt" else "bin"
    exe = "python.exe" if os.name == "nt" else "python"
    return VENV / sub / exe


def ensure_environment() -> Path:
    if not _python().exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        print("Installing Secrets Lab and its dependencies ...", flush=True)
        subprocess.run(
            [
                str(_python()),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-e",
                f"{ROOT}[test]",
            ],
            check=True,
        )
        STAMP.write_text(wanted)
    return _python()


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("lab", "test"):
        print(__doc__)
        return 2
    python = ensure_environment()
    os.chdir(ROOT)
    if argv[0] == "lab":
        cmd = [str(python), "-m", "jupyter", "lab", "notebooks/00_start_here.ipynb", *argv[1:]]
    else:
        cmd = [
            str(python),
            "-m",
            "pytest",
            "tests",
            "notebooks",
            "--nbval-lax",
            "--nbval-current-env",
            "-q",
            *argv[1:],
        ]
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
