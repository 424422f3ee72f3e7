"""Notebooks 01-03 are generated: each file equals what its builder script writes, has no
outputs, cites AWS documentation, and the lab modules behind them import no Jupyter."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "notebooks" / "build"
BUILDERS = ["build_01", "build_02", "build_03", "build_04"]


def _builder(name: str) -> ModuleType:
    sys.path.insert(0, str(BUILD))
    try:
        spec = importlib.util.spec_from_file_location(name, BUILD / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BUILD))


@pytest.mark.parametrize("name", BUILDERS)
def test_notebook_is_what_its_builder_writes(name: str) -> None:
    builder = _builder(name)
    nbbuild = sys.modules["nbbuild"]
    path = ROOT / "notebooks" / builder.NAME
    assert path.read_text(encoding="utf-8") == nbbuild.render(builder.CELLS), (
        f"{path.name} is out of date: run python notebooks/build/{name}.py"
    )


@pytest.mark.parametrize("name", BUILDERS)
def test_notebook_shape(name: str) -> None:
    builder = _builder(name)
    nb = json.loads((ROOT / "notebooks" / builder.NAME).read_text(encoding="utf-8"))
    cells = nb["cells"]
    assert all(c.get("outputs", []) == [] for c in cells if c["cell_type"] == "code")
    assert all(c.get("execution_count") is None for c in cells if c["cell_type"] == "code")
    text = ["".join(c["source"]) for c in cells]
    assert "## Learning objectives" in text[0]
    assert "## Summary and exam tips" in text[-1]
    assert "https://docs.aws.amazon.com/kms/" in text[-1]
    code = "\n".join(t for c, t in zip(cells, text, strict=True) if c["cell_type"] == "code")
    assert "check_" in code and "assert result.ok, result" in code  # checked exercises
    assert "_widget(" in code  # a widget-driven scenario


def test_lab_modules_of_notebooks_01_to_03_import_no_heavy_libraries() -> None:
    modules = [
        "checks",
        "envelope",
        "envelope_walk",
        "lifecycle",
        "rotation",
        "keyspecs",
        "keyspec_widget",
    ]
    heavy = ("ipywidgets", "matplotlib", "pandas", "IPython", "ipykernel")
    code = (
        "import sys\n"
        + "".join(f"import simulator.lab.{m}\n" for m in modules)
        + f"print(','.join(m for m in {heavy!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == ""
