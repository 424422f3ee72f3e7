"""simulator.lab is imported lazily: importing its modules pulls in no Jupyter or plotting."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("ipywidgets", "matplotlib", "pandas", "IPython", "ipykernel")


def test_lab_modules_import_no_heavy_libraries() -> None:
    code = (
        "import sys\n"
        "import simulator.lab, simulator.lab.views, simulator.lab.timeline\n"
        "import simulator.lab.playground, simulator.lab.widgets, simulator.lab.cli\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.strip() == ""


def test_core_never_imports_lab() -> None:
    code = "import sys, simulator\nprint(any(m.startswith('simulator.lab') for m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.strip() == "False"
