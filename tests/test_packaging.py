"""Packaging stays honest: pyproject and environment.yml agree, the README's two commands are
the ones CI runs, the public API is what ``__all__`` says."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

import simulator

ROOT = Path(__file__).resolve().parents[1]


def _split(req: str) -> tuple[str, str]:
    m = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", req.strip())
    assert m, req
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(
        _split(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]
    )
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = dict(_split(d) for d in env["dependencies"] if isinstance(d, str))
    # Packages conda-forge may not carry sit in a `pip:` subsection; they count the same.
    conda.update(
        _split(d) for e in env["dependencies"] if isinstance(e, dict) for d in e.get("pip", [])
    )
    conda.pop("pip")
    assert conda.pop("python") == ">=3.11"
    assert project["requires-python"] == ">=3.11"
    assert conda == wanted
    assert env["channels"] == ["conda-forge"]


def test_binder_installs_the_package() -> None:
    # Binder reads environment.yml and postBuild from the root when there is no binder/ folder.
    assert not (ROOT / "binder").exists() and (ROOT / "environment.yml").exists()
    post = (ROOT / "postBuild").read_text()
    assert "pip install" in post and "-e ." in post


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Set up", 1)[1].split("```", 2)[1]
    commands = [
        line for line in block.splitlines()[1:] if line.strip() and not line.startswith("#")
    ]
    assert commands == ["python3 kit.py lab", "python3 kit.py test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.strip().splitlines()[-1] == "exec python3 kit.py test"


def test_public_api() -> None:
    assert sorted(simulator.__all__) == [
        "AWSError",
        "Cloud",
        "NotSimulatedException",
        "ServiceNotSimulatedError",
        "SnapshotError",
    ]
    for name in simulator.__all__:
        assert hasattr(simulator, name)


def test_core_does_not_import_jupyter_or_pandas_at_import_time() -> None:
    import subprocess
    import sys

    code = (
        "import sys, simulator; from simulator import Cloud; Cloud(seed=1); "
        "bad = [m for m in ('pandas', 'matplotlib', 'ipywidgets', 'IPython', 'boto3') "
        "if m in sys.modules]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


BANNED = [
    r"datetime\.now\(",
    r"\butcnow\(",
    r"\btime\.time\(",
    r"^\s*import random\b",
    r"\buuid4\(",
    r"\bos\.urandom\(",
]
ALLOWED = {"simulator/core/clock.py", "simulator/core/ids.py"}


def test_clock_and_ids_are_the_only_sources_of_time_and_randomness() -> None:
    offenders = []
    for path in sorted((ROOT / "simulator").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in ALLOWED:
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if any(re.search(p, line) for p in BANNED):
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert offenders == []


def test_modules_stay_small_and_documented() -> None:
    for path in sorted((ROOT / "simulator").rglob("*.py")):
        text = path.read_text()
        assert len(text.splitlines()) <= 600, path
        if text.strip():
            assert text.lstrip().startswith('"""'), f"{path} has no module docstring"
