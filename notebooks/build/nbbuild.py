"""Shared helper of the notebook builders: turn a list of cells into a clean .ipynb.

Each ``build_NN.py`` script lists its cells as ``md(...)`` and ``code(...)`` and calls
:func:`write`. Cells get stable ids (``c00``, ``c01``...) and no outputs, so regenerating a
notebook from an unchanged script gives an identical file (``tests/lab/test_notebook_builds.py``
checks this), and a diff of a notebook is the diff of its lesson.

    python notebooks/build/build_01.py      # rewrites notebooks/01_envelope_encryption.ipynb
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[1]
Cell = tuple[str, str]


def md(text: str) -> Cell:
    return ("markdown", textwrap.dedent(text).strip("\n"))


def code(text: str) -> Cell:
    return ("code", textwrap.dedent(text).strip("\n"))


def notebook(cells: list[Cell]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for i, (kind, source) in enumerate(cells):
        make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        cell = make(source)
        cell.id = f"c{i:02d}"
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def render(cells: list[Cell]) -> str:
    """The notebook file's text, exactly as :func:`write` saves it."""
    return nbformat.writes(notebook(cells)) + "\n"


def write(name: str, cells: list[Cell]) -> Path:
    path = NOTEBOOKS / name
    path.write_text(render(cells), encoding="utf-8")
    return path
