"""Notebooks are committed clean, parameterised, and thin."""

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXPECTED = ["01_ingest", "02_carbon_balance", "03_services_lca", "04_maturity", "05_actions"]


def test_the_five_notebooks_exist_in_order():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_has_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"{path.name}: cells {dirty} have outputs or execution counts; strip them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_parameterised_and_portable(path):
    nb = nbformat.read(path, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1, "exactly one cell tagged 'parameters'"
    for name in ("territory", "seed", "processed_dir", "n_draws"):
        assert f"{name} =" in params[0].source
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith(("## ", "### ")), \
        "first cell: a title (H2 section, or H3 when the notebook continues the previous section)"


def _headings():
    import re

    out = []
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                out += [(len(m.group(1)), m.group(2)) for m in re.finditer(r"^(#{1,6}) (.+)$", cell.source, re.M)]
    return out


def test_sections_follow_the_decree_order_and_headings_never_skip_a_level():
    """2. État des lieux … 7. Indicateurs de suivi (1. Synthèse and 8. Méthode are added by the publisher)."""
    heads = _headings()
    h2 = [text.split(".")[0] for level, text in heads if level == 2]
    assert h2 == ["2", "3", "4", "5", "6", "7"], h2
    assert all(level >= 2 for level, _ in heads), "H1 is the page title, written by the publisher"
    previous = 2
    for level, text in heads:
        assert level <= previous + 1, f"heading '{text}' skips a level (H{previous} → H{level})"
        previous = level


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_stays_thin(path):
    """Computation lives in src/helpers: no function or class definitions and no loops in notebooks."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            stripped = line.lstrip()
            assert not stripped.startswith(("def ", "class ", "for ", "while ")), f"{path.name}: '{stripped}'"
