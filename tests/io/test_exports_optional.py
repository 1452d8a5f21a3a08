"""Optional inputs are really optional (issue 17): deleted, or left with their header only, the study still runs.

In-process (``helpers.run.study.compute_sections``, the notebooks' summary mode) on a copy of ``test-mini``: each optional
file removed, each header-only, all removed; plus one papermill run of the five notebooks with every optional file
removed (module-scoped, in an isolated copy of the project, as ``tests/e2e/test_pipeline_e2e.py`` does).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.io import paths
from helpers.io.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "data" / "raw" / "test-mini"
OPTIONAL = ("hosting.csv", "telecom.csv", "purchases.csv", "printing.csv", "services.csv", "rgesn.csv",
            "maturity.csv", "actions.csv", "factor_overrides.csv")
SECTIONS = ("ingest", "carbon", "services", "maturity", "actions")


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "RAW_DIR", tmp_path / "raw")
    monkeypatch.setattr(paths, "PROCESSED_DIR", tmp_path / "processed")
    shutil.copytree(SOURCE, tmp_path / "raw" / "opt")
    return tmp_path


def run(sandbox) -> dict:
    """Every section in-process; the ``files_provided`` of the ingest summary."""
    from helpers.run.study import compute_sections

    out = sandbox / "processed" / "opt"
    compute_sections("opt", n_draws=100, processed_dir=out)
    for section in SECTIONS:
        assert (out / f"summary_{section}.json").exists(), section
    return json.loads((out / "summary_ingest.json").read_text())["data"]["files_provided"]


def header_only(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


def drop_site_references(folder: Path) -> None:
    """Services hosted in a site of hosting.csv are moved to the hosting kind of that site (a server room)."""
    path = folder / "services.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",sr-mairie,", ",server_room,"), encoding="utf-8")


@pytest.mark.parametrize("name", [n for n in OPTIONAL if n != "hosting.csv"])
def test_each_optional_file_removed(sandbox, name):
    (sandbox / "raw" / "opt" / name).unlink(missing_ok=True)
    assert run(sandbox).get(name, False) is False


@pytest.mark.parametrize("name", [n for n in OPTIONAL if (SOURCE / n).exists()])
def test_each_optional_file_header_only(sandbox, name):
    folder = sandbox / "raw" / "opt"
    if name == "hosting.csv":
        drop_site_references(folder)
    header_only(folder / name)
    provided = run(sandbox)
    assert provided[name] is False
    report = (sandbox / "processed" / "opt" / "import_report.csv").read_text(encoding="utf-8")
    assert f"{name},header_only" in report


def test_hosting_removed_while_services_name_its_site_is_one_clear_error(sandbox):
    """A service hosted in 'sr-mairie' of a hosting.csv that is gone: an error naming the service's file and line;
    the inventory's site references only give a warning (the site is ignored)."""
    (sandbox / "raw" / "opt" / "hosting.csv").unlink()
    with pytest.raises(InputError) as exc:
        run(sandbox)
    assert {p.file.rsplit("/", 1)[-1] for p in exc.value.problems} == {"services.csv"}
    drop_site_references(sandbox / "raw" / "opt")
    assert run(sandbox)["hosting.csv"] is False


def test_all_optional_files_removed(sandbox):
    for name in OPTIONAL:
        (sandbox / "raw" / "opt" / name).unlink(missing_ok=True)
    provided = run(sandbox)
    assert provided == {name: name == "inventory.csv" for name in provided}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """One papermill run of the whole chain with only territory.yaml and inventory.csv."""
    root = tmp_path_factory.mktemp("project")
    for sub in ("notebooks", "data/raw/reference", "data/raw/test-mini"):
        shutil.copytree(ROOT / sub, root / sub)
    for name in OPTIONAL:
        (root / "data/raw/test-mini" / name).unlink(missing_ok=True)
    (root / "data/processed").mkdir(parents=True)
    (root / "outputs").mkdir()
    env = dict(os.environ, SNR_PROJECT_ROOT=str(root), PYTHONHASHSEED="0")
    run_ = subprocess.run([sys.executable, "-m", "helpers.run.cli", "study", "--territory", "test-mini", "--draws", "300"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=600)
    return root, run_


@pytest.mark.e2e
def test_notebooks_publish_with_every_optional_file_removed(published):
    root, run_ = published
    assert run_.returncode == 0, run_.stdout + run_.stderr
    html = (root / "outputs/test-mini/diagnostic.html").read_text(encoding="utf-8")
    assert "non fourni" in html.lower() and "Rapport d'import" in html
    summary = json.loads((root / "outputs/test-mini/summary.json").read_text(encoding="utf-8"))
    assert summary["inputs"] == {"data/raw/test-mini/inventory.csv": {"rows_read": 8, "rows_kept": 8, "excluded": {}}}
