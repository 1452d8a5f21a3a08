"""Many territories at once on Dask (``helpers.run.batch``) and the in-process study (``helpers.run.study``).

Everything runs in an isolated copy of the project: subprocesses get ``SNR_PROJECT_ROOT``, and the Dask worker
processes started here inherit it from the environment, so the real ``data/processed`` and ``outputs`` are never
touched. Checks: a batch gives the same files as single runs one by one; a failing territory is reported with its
error while the others complete; an external scheduler on loopback runs the same tasks; up-to-date territories are
skipped; summary mode writes what the notebooks write; the comparison page is accessible and escaped.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.run import batch, pipeline, study, synth

ROOT = Path(__file__).resolve().parents[2]
DRAWS = 500
SLUGS = ["test-mini", "synth-001", "synth-002"]
BROKEN = "test-broken"


def _copy_project(dest: Path) -> Path:
    for sub in ("notebooks", "data/raw/reference", "data/raw/test-mini"):
        shutil.copytree(ROOT / sub, dest / sub)
    (dest / "data/processed").mkdir(parents=True)
    (dest / "outputs").mkdir()
    # seed 3 once gave a storage volume of exactly 2 TB that broke 'storage_purge' (int64 column, now fixed and
    # covered by test_services.test_scenarios_accept_whole_numbers_typed_as_integers)
    synth.generate(2, seed=4, out_dir=dest / "data/raw", agents=(60, 150),
                   ratios_from=ROOT / "data/raw/la-rochelle")
    broken = dest / "data/raw" / BROKEN
    shutil.copytree(dest / "data/raw/test-mini", broken)
    inv = (broken / "inventory.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    inv[2] = inv[2].replace(",150,", ",-150,", 1)  # file line 3: a negative quantity
    (broken / "inventory.csv").write_text("".join(inv), encoding="utf-8")
    return dest


def _env(root: Path) -> dict:
    return dict(os.environ, SNR_PROJECT_ROOT=str(root), PYTHONHASHSEED="0")


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers.run.batch", "--draws", str(DRAWS), *args], cwd=root,
                          env=_env(root), capture_output=True, text=True, timeout=900)


def run_py(root: Path, code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=root, env=_env(root), capture_output=True, text=True,
                          timeout=900)


def tree_digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def status_table(root: Path) -> dict[str, dict]:
    """The members of the last comparison, by slug (``comparison.json``: the machine copy of ``comparison.csv``)."""
    data = json.loads((root / "outputs/batch/comparison.json").read_text(encoding="utf-8"))
    return {r["territory"]: r for r in data["members"]}


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory):
    """One batch of four territories (three good, one broken) on the embedded two-worker cluster."""
    root = _copy_project(tmp_path_factory.mktemp("batch"))
    code = batch.package_fingerprint()
    proc = run_cli(root, "--territories", ",".join(SLUGS + [BROKEN]), "--workers", "2")
    snapshot = {s: {"summary": (root / "outputs" / s / "summary.json").read_bytes(),
                    "outputs": tree_digests(root / "outputs" / s),
                    "processed": tree_digests(root / "data/processed" / s)}
                for s in SLUGS if (root / "outputs" / s / "summary.json").exists()}
    snapshot["code"] = code
    return root, proc, snapshot


def skip_if_code_changed(snapshot) -> None:
    """Results legitimately change when the package sources change (other work in the same checkout)."""
    if batch.package_fingerprint() != snapshot["code"]:
        pytest.skip("the helpers sources changed while these tests ran")


def test_batch_reports_every_territory_and_the_failure(batch_run):
    root, proc, _ = batch_run
    assert proc.returncode == 1, proc.stdout + proc.stderr  # one territory failed
    table = status_table(root)
    assert [table[s]["status"] for s in SLUGS] == ["ok", "ok", "ok"], proc.stdout + proc.stderr
    failed = table[BROKEN]
    assert failed["status"] == "failed"
    assert f"data/raw/{BROKEN}/inventory.csv, ligne 3, colonne 'quantity'" in failed["error"]
    assert "Traceback" not in proc.stdout + proc.stderr
    for slug in SLUGS + [BROKEN]:
        assert re.search(rf"\[\d/4\] {slug} : ", proc.stdout)  # progress, one line per territory
    # the failure published nothing; the others published their summary
    assert not (root / "outputs" / BROKEN).exists() and not (root / "data/processed" / BROKEN).exists()
    for slug in SLUGS:
        summary = json.loads((root / "outputs" / slug / "summary.json").read_text(encoding="utf-8"))
        assert summary["territory"]["slug"] == slug
        score = summary["maturity"]["score_pct"]  # None when the questionnaire is below the completeness threshold
        if score is None or not summary["maturity"]["published"]:
            assert table[slug]["maturity_score_pct"] is None and table[slug]["maturity_rank"] is None
        else:
            assert table[slug]["maturity_score_pct"] == pytest.approx(score)
        assert table[slug]["plan_reduction_tco2e_per_year"] == pytest.approx(
            summary["plan_reduction_tco2e_per_year"]["value"])
        physical = summary["carbon"]["per_agent_by_scope_kgco2e"]["physical"]
        assert table[slug]["per_agent_physical_kgco2e_low"] == pytest.approx(physical["low"])
        assert table[slug]["reference_year"] == summary["territory"]["reference_year"]
        assert not list((root / "outputs").glob(".staging-*"))


def test_batch_gives_the_same_files_as_single_runs_one_by_one(batch_run, tmp_path):
    root, _, snapshot = batch_run
    other = tmp_path / "single"
    for sub in ("notebooks", "data/raw/reference", *(f"data/raw/{s}" for s in SLUGS)):
        shutil.copytree(root / sub, other / sub)
    (other / "data/processed").mkdir()
    (other / "outputs").mkdir()
    code = ("from helpers.run.batch import run_territory\n"
            f"for slug in {SLUGS!r}:\n"
            f"    row = run_territory(slug, 'summary', n_draws={DRAWS})\n"
            "    assert row['status'] == 'ok', row['error']\n")
    proc = run_py(other, code)
    assert proc.returncode == 0, proc.stderr
    assert set(snapshot) - {"code"} == set(SLUGS)
    skip_if_code_changed(snapshot)
    for slug in SLUGS:
        assert (other / "outputs" / slug / "summary.json").read_bytes() == snapshot[slug]["summary"], slug
        assert tree_digests(other / "data/processed" / slug) == snapshot[slug]["processed"], slug
        # issue 36: a member's published folder (summary, run, French import report) never depends on who else is
        # in the batch: the comparison and its ranks live in outputs/batch/ only
        assert tree_digests(other / "outputs" / slug) == snapshot[slug]["outputs"], slug
        assert "rapport_import.csv" in snapshot[slug]["outputs"]


def test_the_batch_comparison_is_french_for_people_and_ranks_only_members_that_answered(batch_run):
    root, _, _ = batch_run
    raw = (root / "outputs/batch/comparison.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    header, body = rows[0], {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    for col in ("Année de référence", "Agents", "Périmètre physique (tCO2e/an)",
                "Par agent, périmètre physique (kgCO2e/an)", "Bilan publié par le membre (tCO2e/an)"):
        assert col in header
    assert set(body) == set(SLUGS + [BROKEN])
    assert body[BROKEN]["État"] == "échec" and "ligne 3" in body[BROKEN]["Erreur"]
    mini = body["test-mini"]
    assert mini["État"] == "calculé" and mini["Bilan publié par le membre (tCO2e/an)"] == "120"
    assert re.fullmatch(r"\d+,\d", mini["Périmètre physique (tCO2e/an)"])  # decimal comma
    members = status_table(root)
    scores = {s: members[s]["maturity_score_pct"] for s in SLUGS}
    answered = {s: v for s, v in scores.items() if v is not None}
    for s in SLUGS:
        expected = None if s not in answered else 1 + sum(v > answered[s] for v in answered.values())
        assert members[s]["maturity_rank"] == expected, (s, scores)
    page = (root / "outputs/batch/comparison.html").read_text(encoding="utf-8")
    assert page.count('<figure class="chart"') >= len(page.split('<section aria-labelledby="g')) - 1 >= 6


def test_up_to_date_territories_are_skipped(batch_run):
    root, _, snapshot = batch_run
    skip_if_code_changed(snapshot)  # a code change makes every territory out of date, rightly
    before = {s: (root / "outputs" / s / "summary.json").stat().st_mtime_ns for s in SLUGS}
    proc = run_cli(root, "--territories", ",".join(SLUGS))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [status_table(root)[s]["status"] for s in SLUGS] == ["skipped"] * 3
    assert {s: (root / "outputs" / s / "summary.json").stat().st_mtime_ns for s in SLUGS} == before
    # a changed input makes its territory out of date, and only that one
    inv = root / "data/raw/synth-001/inventory.csv"
    lines = inv.read_text(encoding="utf-8").splitlines(keepends=True)
    fields = lines[1].split(",")
    fields[3] = str(int(fields[3]) + 1)
    lines[1] = ",".join(fields)
    inv.write_text("".join(lines), encoding="utf-8")
    proc = run_cli(root, "--territories", ",".join(SLUGS))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [status_table(root)[s]["status"] for s in SLUGS] == ["skipped", "ok", "skipped"]


def test_up_to_date_needs_same_inputs_code_draws_and_mode(batch_run, monkeypatch):
    root, _, _ = batch_run
    from helpers.io import paths

    monkeypatch.setattr(paths, "OUTPUTS_DIR", root / "outputs")
    summary = json.loads((root / "outputs/test-mini/summary.json").read_text(encoding="utf-8"))
    sha, version = summary["inputs_sha256"], summary["code_version"]
    seed = pipeline.DEFAULT_SEED
    assert batch.up_to_date("test-mini", "summary", seed, DRAWS, sha, version) == summary
    assert batch.up_to_date("test-mini", "summary", seed, DRAWS + 1, sha, version) is None
    assert batch.up_to_date("test-mini", "summary", seed + 1, DRAWS, sha, version) is None
    assert batch.up_to_date("test-mini", "summary", seed, DRAWS, "0" * 64, version) is None
    assert batch.up_to_date("test-mini", "summary", seed, DRAWS, sha, version + "+other") is None
    assert batch.up_to_date("test-mini", "full", seed, DRAWS, sha, version) is None  # no diagnostic yet
    assert batch.up_to_date("test-mini", "summary", seed, DRAWS, sha, version, fingerprint="f" * 64) is None


def test_same_tasks_on_an_external_scheduler_on_loopback(batch_run, monkeypatch):
    from distributed import LocalCluster

    root, _, snapshot = batch_run
    monkeypatch.setenv("SNR_PROJECT_ROOT", str(root))  # the worker processes inherit it when they start
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        proc = run_cli(root, "--territories", "synth-002", "--scheduler", address, "--force")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert status_table(root)["synth-002"]["status"] == "ok"
        if batch.package_fingerprint() == snapshot["code"]:
            assert (root / "outputs/synth-002/summary.json").read_bytes() == snapshot["synth-002"]["summary"]
        # a batch from another project folder is refused by the workers, clearly
        elsewhere = _copy_project(root.parent / "elsewhere")
        proc = run_cli(elsewhere, "--territories", "synth-002", "--scheduler", address)
        assert proc.returncode == 1
        assert "SNR_PROJECT_ROOT" in status_table(elsewhere)["synth-002"]["error"]


# ----------------------------------------------------------------------------------------------------------------
# Summary mode mirrors the notebooks
# ----------------------------------------------------------------------------------------------------------------

def _code_cells(name: str) -> list[str]:
    nb = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def test_every_existing_notebook_is_a_section():
    existing = [n for n in pipeline.NOTEBOOKS if (ROOT / "notebooks" / f"{n}.ipynb").exists()]
    assert [study.NOTEBOOK_OF[s] for s in study.SECTIONS] == existing
    assert list(study.NOTEBOOK_OF.values()) == list(pipeline.NOTEBOOKS)


@pytest.mark.parametrize("section", list(study.SECTIONS))
def test_each_notebook_runs_and_writes_its_section_through_the_one_definition(section):
    """The notebook's first code cell after the parameters gets its result from ``run_section("<section>", ctx, …)``
    and its last code cell is ``<result>.write(ctx)``; no cell writes a table or a summary of its own, so summary
    mode (which calls the same two functions) cannot drift from the notebook."""
    cells = _code_cells(study.NOTEBOOK_OF[section])
    call = re.search(r"^(\w+) = run_section\(\"([a-z]+)\", ctx\b", cells[1], re.M)
    assert call is not None and call.group(2) == section, cells[1]
    assert re.fullmatch(rf"(written = )?{call.group(1)}\.write\(ctx\)", cells[-1].strip()), cells[-1]
    body = "\n".join(cells[:-1])
    assert not re.search(r"write_(table|summary|outputs|csv)\(|\.write\(", body)


def test_run_section_refuses_a_parameter_its_section_does_not_take():
    with pytest.raises(TypeError, match="target_share"):
        study.run_section("carbon", None, target_share=0.5)


def test_extra_notebook_parameters_are_the_notebook_defaults():
    params = next(c for c in _code_cells("05_actions") if "bau_growth_per_year" in c and "target_share" in c)
    values = {}
    for node in ast.parse(params).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            values[node.targets[0].id] = eval(compile(ast.Expression(node.value), "<parameters>", "eval"),
                                              {"__builtins__": {}})
    assert {k: values[k] for k in study.ACTIONS_PARAMETERS} == study.ACTIONS_PARAMETERS


@pytest.mark.e2e
def test_summary_mode_writes_exactly_what_the_notebooks_write(tmp_path):
    """The wired notebooks run through papermill (as the pipeline runs them) and ``compute_sections`` write
    byte-identical processed tables and section summaries."""
    root = _copy_project(tmp_path / "project")
    code = f"""
import filecmp, os
import papermill as pm
from helpers.io import paths
from helpers.run import pipeline
from helpers.run.study import compute_sections, SECTIONS, NOTEBOOK_OF
os.environ.update(pipeline.DETERMINISM_ENV)
nb_dir = paths.PROCESSED_DIR / "notebook-mode"
for section in SECTIONS:
    name = NOTEBOOK_OF[section]
    pm.execute_notebook(str(paths.NOTEBOOKS_DIR / f"{{name}}.ipynb"), str(paths.OUTPUTS_DIR / f"{{name}}.ipynb"),
                        parameters={{"territory": "test-mini", "seed": 20200101, "processed_dir": str(nb_dir),
                                    "n_draws": {DRAWS}}},
                        kernel_name="python3", cwd=str(paths.NOTEBOOKS_DIR), progress_bar=False)
compute_sections("test-mini", 20200101, {DRAWS}, paths.PROCESSED_DIR / "summary-mode")
"""
    proc = run_py(root, code)
    assert proc.returncode == 0, proc.stderr[-3000:]
    notebook_mode = tree_digests(root / "data/processed/notebook-mode")
    assert {"summary_ingest.json", "summary_services.json"} <= set(notebook_mode)
    assert tree_digests(root / "data/processed/summary-mode") == notebook_mode


@pytest.mark.e2e
@pytest.mark.skipif(not all((ROOT / "notebooks" / f"{n}.ipynb").exists() for n in pipeline.NOTEBOOKS),
                    reason="full mode needs every notebook of the chain")
def test_full_mode_and_summary_mode_give_the_same_summary(tmp_path):
    root = _copy_project(tmp_path / "project")
    proc = run_cli(root, "--territories", "test-mini", "--mode", "full", "--workers", "1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (root / "outputs/test-mini/diagnostic.html").is_file()
    full = (root / "outputs/test-mini/summary.json").read_bytes()
    proc = run_cli(root, "--territories", "test-mini", "--force", "--scheduler", "inline")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (root / "outputs/test-mini/summary.json").read_bytes() == full


# ----------------------------------------------------------------------------------------------------------------
# Workers (the comparison page and CSV: tests/model/test_comparison.py)
# ----------------------------------------------------------------------------------------------------------------

def _worker_settings():
    import os

    import dask

    return os.environ.get("MALLOC_TRIM_THRESHOLD_"), dask.config.get("distributed.worker.profile.enabled")


def test_embedded_workers_keep_glibc_memory_defaults_and_no_stack_profiler(monkeypatch):
    """Dask's default MALLOC_TRIM_THRESHOLD_=65536 made a territory ~35 % slower (freed draw arrays page-faulted
    again) and its 10 ms stack sampler ~6 %: the embedded cluster drops both (measured in ``make bench``)."""
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    with batch._client(None, 1) as client:
        settings = set(client.run(_worker_settings).values())
    assert settings == {(None, False)}
