"""Every combination of optional files and empty optional columns runs the chain (issue 31, case 5).

The attack: a real export whose ``site`` column is empty crashed notebook 05 (``TypeError: Invalid value 'sr-agglo'
for dtype 'float64'``, the merge of server rooms of action A15 writing a site id into a column read back as floats).
The root: a clean table read back from CSV typed an empty text column as float; ``Context.read_table`` now reads the
text columns of the input tables as text (``helpers.io.ingest.text_columns``).

The base is La Rochelle (every optional file, with cross-references: services hosted in a server room of
``hosting.csv``, action A15 merging two rooms, RGESN answers per service) plus a ``factor_overrides.csv``. Each file
is ``full``, ``empty`` (its optional columns blanked, the header kept) or ``absent`` (optional files only). The
combinations are a pairwise covering array (every pair of levels of every pair of files appears in some row; the
3^9 x 2 full product would take hours), plus the all-full, all-empty and all-absent rows; each row runs every
section in-process (``helpers.run.study.compute_sections``, what ``make batch`` and the notebooks compute). Its outcome
is known in advance: the study completes with a strict-JSON summary of finite figures, or, exactly when a file
references a file that is absent (a service hosted in a room of a missing ``hosting.csv``), one clear
:class:`InputError` naming the referencing file. One papermill run of the five notebooks checks the figures on the
all-empty row.
"""

from __future__ import annotations

import csv
import importlib
import io
import itertools
import json
import math
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.io import ingest, paths
from helpers.io.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "data" / "raw" / "la-rochelle"
#: file -> clean table name (``helpers.io.ingest.INPUT_SCHEMAS``)
FILES = {"inventory.csv": "inventory", "hosting.csv": "hosting", "telecom.csv": "telecom",
         "purchases.csv": "purchases", "printing.csv": "printing", "services.csv": "services", "rgesn.csv": "rgesn",
         "maturity.csv": "maturity_answers", "actions.csv": "actions", "factor_overrides.csv": "factor_overrides"}
#: columns kept in "empty" mode besides the schema's required ones: what makes a line a line (an inventory line
#: needs its entity, category and quantity; a telecom or printing line needs one of its figures, the reader says so)
KEEP = {"inventory.csv": ("line_id", "entity", "category", "quantity"),
        "telecom.csv": ("fixed_data_gb_per_year", "mobile_data_gb_per_year", "fixed_lines", "mobile_lines"),
        "printing.csv": ("reams_per_year", "pages_per_year")}
OVERRIDES = ("factor_id,value,low,high,source,reason\n"
             "laptop:manufacturing:climate_change,250,200,300,PCF fabricant 2023,modèle unique du parc\n")
LEVELS = {f: (("full", "empty") if f == "inventory.csv" else ("full", "empty", "absent")) for f in FILES}


def covering_rows(levels: dict[str, tuple[str, ...]], seed: int = 31) -> list[dict[str, str]]:
    """A pairwise covering array over ``levels`` (greedy, seeded: the same rows on every run), plus the rows where
    every file is at the same level."""
    names = list(levels)
    uncovered = {(a, la, b, lb) for a, b in itertools.combinations(names, 2) for la in levels[a] for lb in levels[b]}
    rng = random.Random(seed)
    rows = [{f: (lv if lv in levels[f] else levels[f][-1]) for f in names} for lv in ("full", "empty", "absent")]
    for row in rows:
        uncovered -= {(a, row[a], b, row[b]) for a, b in itertools.combinations(names, 2)}
    while uncovered:
        best, gain = None, -1
        for _ in range(60):
            a, la, b, lb = sorted(uncovered)[rng.randrange(len(uncovered))]
            row = {f: rng.choice(levels[f]) for f in names}
            row[a], row[b] = la, lb
            g = sum((x, row[x], y, row[y]) in uncovered for x, y in itertools.combinations(names, 2))
            if g > gain:
                best, gain = row, g
        rows.append(best)
        uncovered -= {(a, best[a], b, best[b]) for a, b in itertools.combinations(names, 2)}
    return rows


ROWS = covering_rows(LEVELS)


def expected_errors(row: dict[str, str]) -> set[str]:
    """The files that must be named by the error of ``row`` (empty: the study must complete). In La Rochelle,
    services are hosted in ``sr-agglo`` (required column ``hosting``, kept when emptied), action A15 merges
    ``sr-ville>sr-agglo`` (column ``target``, blanked when emptied) and RGESN answers name services (required)."""
    out = set()
    if row["hosting.csv"] == "absent":
        if row["services.csv"] != "absent":
            out.add("services.csv")
        if row["actions.csv"] == "full":
            out.add("actions.csv")
    if row["services.csv"] == "absent" and row["rgesn.csv"] != "absent":
        out.add("rgesn.csv")
    return out


def _schema(table: str):
    module, name = ingest.INPUT_SCHEMAS[table]
    return getattr(importlib.import_module(f"helpers.{module}"), name)


def blank_optional_columns(path: Path, file: str) -> None:
    """Blank every cell of the columns that are neither required by the schema nor in :data:`KEEP` (header kept)."""
    keep = {c.name for c in _schema(FILES[file]).columns if c.required} | set(KEEP.get(file, ()))
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    kept = {i for i, h in enumerate(rows[0]) if h in keep}
    out = [rows[0]] + [[c if i in kept else "" for i, c in enumerate(r)] for r in rows[1:]]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(out)
    path.write_text(buf.getvalue(), encoding="utf-8")


def make_territory(folder: Path, row: dict[str, str]) -> None:
    shutil.copytree(BASE, folder)
    (folder / "factor_overrides.csv").write_text(OVERRIDES, encoding="utf-8")
    for file, level in row.items():
        if level == "absent":
            (folder / file).unlink()
        elif level == "empty":
            blank_optional_columns(folder / file, file)


def _no_constant(text):
    raise AssertionError(f"non-JSON constant {text} in a summary")


def finite_numbers(obj, where="") -> list[str]:
    """Keys of ``obj`` holding a non-finite float (none may reach summary.json)."""
    if isinstance(obj, float):
        return [] if math.isfinite(obj) else [where]
    if isinstance(obj, dict):
        return [k for key, v in obj.items() for k in finite_numbers(v, f"{where}.{key}")]
    if isinstance(obj, list):
        return [k for i, v in enumerate(obj) for k in finite_numbers(v, f"{where}[{i}]")]
    return []


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "RAW_DIR", tmp_path / "raw")
    monkeypatch.setattr(paths, "PROCESSED_DIR", tmp_path / "processed")
    return tmp_path


def test_the_covering_array_covers_every_pair_of_levels():
    for a, b in itertools.combinations(FILES, 2):
        seen = {(r[a], r[b]) for r in ROWS}
        assert seen == set(itertools.product(LEVELS[a], LEVELS[b])), (a, b)
    assert len(ROWS) <= 25  # bounded: each row is one study in-process


@pytest.mark.parametrize("row", ROWS, ids=[",".join(f"{f.split('.')[0][:4]}={v[0]}" for f, v in r.items())
                                           for r in ROWS])
def test_every_combination_of_optional_files_and_empty_columns_runs_the_chain(sandbox, row):
    from helpers.run.study import compute_sections

    make_territory(sandbox / "raw" / "combo", row)
    out = sandbox / "processed" / "combo"
    errors = expected_errors(row)
    if errors:
        with pytest.raises(InputError) as exc:
            compute_sections("combo", n_draws=100, processed_dir=out)
        named = {p.file.rsplit("/", 1)[-1] for p in exc.value.problems}
        assert errors <= named, (errors, str(exc.value))
        assert "Traceback" not in str(exc.value)
        return
    compute_sections("combo", n_draws=100, processed_dir=out)
    for section in ("ingest", "carbon", "services", "maturity", "actions"):
        text = (out / f"summary_{section}.json").read_text(encoding="utf-8")
        data = json.loads(text, parse_constant=_no_constant)  # strict JSON: no NaN, no Infinity
        assert finite_numbers(data) == [], section
    provided = json.loads((out / "summary_ingest.json").read_text())["data"]["files_provided"]
    for file, level in row.items():
        if file != "inventory.csv":
            assert provided[file] is (level != "absent"), file
    report = (out / "import_report.csv").read_text(encoding="utf-8")
    for file, level in row.items():  # every file considered is in the import report, the absent ones too
        assert f"raw/combo/{file}," in report, file
        if level == "absent":
            assert f"raw/combo/{file},absent" in report, file


def test_an_export_with_an_empty_site_column_runs_the_action_plan(sandbox):
    """The attack itself: La Rochelle with its inventory's ``site`` column emptied (A15 merges sr-ville into
    sr-agglo): the action plan runs and A15 is evaluated, with a finite gain."""
    from helpers.run.study import compute_sections

    folder = sandbox / "raw" / "nosite"
    shutil.copytree(BASE, folder)
    rows = list(csv.reader(io.StringIO((folder / "inventory.csv").read_text(encoding="utf-8"))))
    col = rows[0].index("site")
    assert any(r[col] for r in rows[1:])  # the base names rooms
    for r in rows[1:]:
        r[col] = ""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (folder / "inventory.csv").write_text(buf.getvalue(), encoding="utf-8")
    compute_sections("nosite", n_draws=100, processed_dir=sandbox / "processed" / "nosite")
    summary = json.loads((sandbox / "processed" / "nosite" / "summary_actions.json").read_text())
    a15 = [a for a in summary["data"]["actions"] if a.get("id") == "A15"]
    assert a15 and finite_numbers(a15) == []


@pytest.fixture(scope="module")
def empty_columns_study(tmp_path_factory):
    """One papermill run of the five notebooks on the all-empty row (figures built from empty optional columns)."""
    root = tmp_path_factory.mktemp("empty-columns")
    for sub in ("notebooks", "data/raw/reference"):
        shutil.copytree(ROOT / sub, root / sub)
    (root / "data/processed").mkdir(parents=True)
    (root / "outputs").mkdir()
    make_territory(root / "data/raw/vide", ROWS[1])
    env = dict(os.environ, SNR_PROJECT_ROOT=str(root), PYTHONHASHSEED="0")
    proc = subprocess.run([sys.executable, "-m", "helpers.run.cli", "study", "--territory", "vide", "--draws", "200"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=900)
    return root, proc


@pytest.mark.e2e
def test_the_notebooks_publish_a_territory_whose_optional_columns_are_all_empty(empty_columns_study):
    root, proc = empty_columns_study
    assert ROWS[1] == {f: "empty" for f in FILES}
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    summary = (root / "outputs" / "vide" / "summary.json").read_text(encoding="utf-8")
    assert finite_numbers(json.loads(summary, parse_constant=_no_constant)) == []
    assert (root / "outputs" / "vide" / "diagnostic.html").stat().st_size > 0
