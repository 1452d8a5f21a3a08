"""The benchmark's stable keys (issue 19) and the ``sections=`` keyword of ``helpers.run.batch`` it measures the input
floor with. No timing is asserted: speed is measured by ``make bench``, never in tests.

The partial run goes through a temporary copy of the project (``SNR_PROJECT_ROOT`` in a subprocess, as
``tests/run/test_batch.py`` does), on the small ``test-mini`` territory.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.run import batch

ROOT = Path(__file__).resolve().parents[2]


def _bench(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}_under_test", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ----------------------------------------------------------------------------------------------------------------
# run_territory / run_batch(..., sections=...)
# ----------------------------------------------------------------------------------------------------------------

PARTIAL_CODE = """
import json
from helpers.io import paths
from helpers.run.batch import run_batch, run_territory
partial = run_territory("test-mini", "summary", n_draws=100, sections=["ingest"])
inline = run_batch(["test-mini"], scheduler="inline", n_draws=100, quiet=True, sections=["ingest"])
bad = run_territory("test-mini", "summary", n_draws=100, sections=["nope"])
full = run_territory("test-mini", "full", n_draws=100, sections=["ingest"])
print(json.dumps({
    "partial": {k: partial[k] for k in ("status", "error", "timings", "total_tco2e")},
    "inline": inline.loc[0, ["status", "error"]].to_dict() | {"timings": inline.loc[0, "timings"]},
    "bad": {k: bad[k] for k in ("status", "error")},
    "full": {k: full[k] for k in ("status", "error")},
    "published": sorted(p.name for p in paths.OUTPUTS_DIR.iterdir()),
    "processed": sorted(p.name for p in paths.PROCESSED_DIR.iterdir()),
}))
"""


@pytest.fixture(scope="module")
def partial_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench-keys")
    for sub in ("data/raw/reference", "data/raw/test-mini"):
        shutil.copytree(ROOT / sub, root / sub)
    (root / "data/processed").mkdir()
    (root / "outputs").mkdir()
    env = dict(os.environ, SNR_PROJECT_ROOT=str(root), PYTHONHASHSEED="0")
    proc = subprocess.run([sys.executable, "-c", PARTIAL_CODE], cwd=root, env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_a_partial_run_computes_only_its_sections(partial_run):
    for key in ("partial", "inline"):
        row = partial_run[key]
        assert row["status"] == "ok", row["error"]
        assert set(row["timings"]) == {"ingest", "publish"}  # no carbon, services, maturity nor actions
    assert partial_run["partial"]["total_tco2e"] is None  # no carbon section ran


def test_a_partial_run_publishes_nothing(partial_run):
    # no outputs/test-mini nor data/processed/test-mini (only the generations' store, left empty), no comparison
    assert "test-mini" not in partial_run["published"] and "batch" not in partial_run["published"]
    assert "test-mini" not in partial_run["processed"]


def test_a_partial_run_refuses_unknown_sections_and_full_mode(partial_run):
    assert partial_run["bad"]["status"] == "failed" and "nope" in partial_run["bad"]["error"]
    assert partial_run["full"]["status"] == "failed" and "summary mode" in partial_run["full"]["error"]
    with pytest.raises(ValueError, match="nope"):
        batch.run_batch(["test-mini"], sections=["nope"], scheduler="inline", quiet=True)
    with pytest.raises(ValueError, match="summary mode"):
        batch.run_batch(["test-mini"], mode="full", sections=["ingest"], scheduler="inline", quiet=True)


def test_every_section_is_the_whole_study():
    from helpers.run.study import SECTIONS

    assert batch._partial_sections("summary", None) is None
    assert batch._partial_sections("summary", list(SECTIONS)) is None
    assert batch._partial_sections("summary", "ingest") == ["ingest"]


# ----------------------------------------------------------------------------------------------------------------
# The keys of results.json
# ----------------------------------------------------------------------------------------------------------------

def test_results_always_carry_the_stable_keys():
    run = _bench("run")
    results = run.stable_keys({"engine": {"x": 1}})
    for part, keys in run.STABLE_KEYS.items():
        assert set(keys) <= set(results[part])
    assert results["study"]["target_ratio"] == 10 and results["batch"]["target_ratio"] == 3
    assert results["study"]["met"] is False and results["batch"]["peak_rss_mb"] is None
    assert results["engine"] == {"x": 1}


def test_study_headline_is_the_ratio_to_the_faster_empty_notebook():
    run = _bench("run")
    study = run.study_headline("la-rochelle", {"total_s": 30.0, "empty_notebook_runs_s": [2.5, 2.0],
                                               "timings_s": {"total": 29.0}})
    assert study["empty_notebook_s"] == 2.0 and study["ratio_to_empty_notebook"] == pytest.approx(15.0)
    assert study["met"] is False and study["target_ratio"] == 10
    assert set(run.STABLE_KEYS["study"]) <= set(study)
    assert study["kernel_free_floor_s"] is None  # not measured: no floor made up
    floor = run.study_headline("la-rochelle", {"total_s": 30.0, "empty_notebook_runs_s": [2.0],
                                               "timings_s": {"publish": 3.0}, "compute_only_s": 9.0})
    assert floor["kernel_free_floor_s"] == 12.0 and floor["kernel_free_floor_ratio"] == pytest.approx(6.0)


def _run(wall, tasks, peaks):
    return {"wall_s": wall, "batch_s": tasks, "client_start_s": 2.0, "n": 4,
            "workers_memory_end": [{"peak_rss_mb": p} for p in peaks]}


def test_batch_headline_keys_and_ratios():
    bench = _bench("bench_batch")
    runs = {"summary_2_workers": _run(40.0, 32.0, [300.0, 350.0]), "input_floor_2_workers": _run(16.0, 8.0, [90.0])}
    h = bench.headline(runs, None, 4)
    assert set(_bench("run").STABLE_KEYS["batch"]) <= set(h)
    assert h["summary_s_per_territory"] == 10.0 and h["input_floor_s_per_territory"] == 4.0
    assert h["ratio_to_input_floor"] == pytest.approx(2.5) and h["met"] is True
    assert h["ratio_to_input_floor_excluding_client_start"] == pytest.approx(4.0)
    assert h["territories_per_minute"] == pytest.approx(6.0)
    assert h["full_territories_per_minute"] is None and h["full_met"] is False  # full mode not measured: nothing made up
    full = dict(_run(24.0, 20.0, [500.0]), n=2)
    h_full = bench.headline(dict(runs, full_2_workers=full), None, 4)
    assert h_full["full_territories_per_minute"] == pytest.approx(5.0) and h_full["full_territories"] == 2
    assert h_full["full_met"] is False and h_full["full_target_territories_per_minute"] == 10
    assert h["peak_rss_mb"] == 350.0 and h["peak_rss_run"] == "summary_2_workers" and h["peak_rss_met"] is True
    memory = dict(_run(100.0, 90.0, [2100.0, 900.0]), n=10)
    h = bench.headline(runs, memory, 4)
    assert h["peak_rss_mb"] == 2100.0 and h["peak_rss_territories"] == 10 and h["peak_rss_met"] is False
    assert h["peak_rss_run"] == "memory" and h["peak_rss_mb_by_run"]["summary_2_workers"]["peak_rss_mb"] == 350.0
    memory = dict(_run(100.0, 90.0, [300.0, 200.0]), n=10)  # the headline run peaked higher
    h = bench.headline(runs, memory, 4)
    assert h["peak_rss_mb"] == 350.0 and h["peak_rss_run"] == "summary_2_workers" and h["peak_rss_territories"] == 4


def test_memo_verdicts():
    bench = _bench("bench_memo")
    runs = {"all": {"wall_s": 100.0, "cpu_s": 90.0, "memo_gets": {"carbon._DRAWS": {"hits": 5, "misses": 1}}},
            "all (repeat)": {"wall_s": 102.0, "cpu_s": 91.8},
            "without carbon._DRAWS": {"wall_s": 130.0, "cpu_s": 120.0, "peak_rss_mb": 1.0},
            "without tables._TABLES": {"wall_s": 110.0, "cpu_s": 90.9, "peak_rss_mb": 1.0}}
    v = bench.verdicts(runs, ["carbon._DRAWS", "tables._TABLES", "services._DEVICES"])
    assert v["noise_pct"] == pytest.approx(2.0) and v["noise_cpu_pct"] == pytest.approx(2.0)
    drawn, tables = v["memos"]["carbon._DRAWS"], v["memos"]["tables._TABLES"]
    assert drawn["verdict"] == "pays" and drawn["hits_with_all"] == 5 and drawn["within_noise"] is False
    assert drawn["cost_pct"] == pytest.approx(100 * (120 / 90 - 1))
    # the verdict is on CPU time: 1 % CPU does not pay, even if the wall time (shared cores) says 10 %
    assert tables["verdict"] == "does not pay" and tables["verdict_wall"] == "pays" and tables["within_noise"]
    assert set(v["memos"]) == {"carbon._DRAWS", "tables._TABLES"}
    assert [label for label, _ in bench.configurations(["a", "b"])] == ["all", "none", "without a", "without b",
                                                                        "all (repeat)"]


def test_the_memo_benchmark_finds_every_memo_of_the_package():
    import importlib

    from helpers.io import tables
    from helpers.io.memo import Memo

    memos = _bench("bench_memo").discover_memos()
    assert memos["io.tables._TABLES"] == ("helpers.io.tables", "_TABLES")
    instances = [getattr(importlib.import_module(module), attribute) for module, attribute in memos.values()]
    assert all(isinstance(m, Memo) for m in instances) and len({id(m) for m in instances}) == len(instances)
    assert tables._TABLES in instances
