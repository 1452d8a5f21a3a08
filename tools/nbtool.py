"""Build a notebook from a compact description (used by maintainers to write notebooks reproducibly).

Usage from a script::

    from nbtool import build
    build("notebooks/01_ingest.ipynb", [("md", "## 1. ..."), ("params", "territory = ..."), ("code", "...")])

Notebooks are written without outputs, with stable cell ids and the ``python3`` kernel.
"""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


def build(path: str, cells: list[tuple[str, str]]) -> None:
    nb = new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    stem = path.rsplit("/", 1)[-1].split(".")[0].split("_")[0]
    for i, (kind, src) in enumerate(cells):
        src = src.strip("\n")
        if kind == "md":
            cell = new_markdown_cell(src)
        else:
            cell = new_code_cell(src)
            if kind == "params":
                cell.metadata["tags"] = ["parameters"]
        cell.id = f"nb{stem}-c{i:02d}"
        nb.cells.append(cell)
    nbformat.validate(nb)
    nbformat.write(nb, path)
