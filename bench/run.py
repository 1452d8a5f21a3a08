"""``make bench``: every benchmark of the project, printed as ratios against a baseline measured in the same run.

1. The carbon engine (``bench/bench_engine.py``): 1,000 → 1,000,000 inventory lines × 10,000 Monte Carlo draws, and
   the ratio to a per-device boaviztapi loop (in its own AGPL environment).
2. The study on the default territory (``make study``'s ``helpers.run.pipeline.run_study``): wall time per notebook and
   in total, against one empty notebook through papermill with the same kernel manager, measured in the same
   process before and after the study (the floor that any notebook pays; the faster of the two). Target of issue 19:
   the study within 10× the empty notebook. Where the environment writes no bytecode (``PYTHONDONTWRITEBYTECODE``),
   every kernel compiles its imports again: the study is measured a second time with a warm ``.pyc`` cache.
3. The batch runner (``bench/bench_batch.py``): summary mode on ``--territories`` synthetic territories with 2
   workers against the input floor (the same batch reading and validating the inputs only; target ≤ 3×),
   territories per minute, 1-worker and full-mode runs, and the peak RSS per worker over ``--memory-territories``.
4. The process-wide memos (``bench/bench_memo.py``; two remain: the reference tables and the resolved services):
   summary mode with all, none and each one disabled alone; a memo "pays" when disabling it costs more than 5 % of
   the run.
5. The ingest of a 1,000,000-row per-asset inventory (``bench/bench_ingest.py``): peak RSS and rows per second of the
   safe reader and of the whole inventory ingest, as ratios against ``csv.reader`` over the same file.

The study and the batch run in temporary copies of the project (``SNR_PROJECT_ROOT``), so the real ``data/`` and
``outputs/<slug>`` are never touched. Each part writes ``outputs/bench/<part>.json``; ``outputs/bench/results.json``
gathers them. ``--only study,memo`` runs some parts and takes the others from their last JSON (each part records when
it was measured, and ``results["parts"]`` says which were measured now); every ratio is within one part, so between
numbers of the same run. The keys of issue 19 (:data:`STABLE_KEYS`) are always present (None when not measured).

Usage: ``python bench/run.py [--only engine,study,batch,memo,ingest] [--territories 200]
[--memory-territories 1000]``. Speed is never asserted in tests; it is measured here.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_batch import EMPTY_NOTEBOOK_CODE  # noqa: E402  (the sibling script, not a package)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "outputs" / "bench"
PARTS = ("engine", "study", "batch", "memo", "ingest")
#: the study must stay within this many times one empty notebook (issue 19)
STUDY_TARGET_RATIO = 10
#: the keys of issue 19 that ``results.json`` always carries, per part
STABLE_KEYS: dict[str, tuple[str, ...]] = {
    "study": ("total_s", "empty_notebook_s", "ratio_to_empty_notebook", "target_ratio", "met",
              # issue 38: the floor of any arrangement of kernels
              "kernel_free_floor_s", "kernel_free_floor_ratio"),
    "batch": ("summary_s_per_territory", "input_floor_s_per_territory", "ratio_to_input_floor",
              "territories_per_minute", "peak_rss_mb", "target_ratio", "met",
              # issue 38
              "full_territories_per_minute"),
}
TARGETS = {"study": STUDY_TARGET_RATIO, "batch": 3}


def stable_keys(results: dict) -> dict:
    """``results`` with every key of :data:`STABLE_KEYS` present: what was not measured is None, ``met`` False."""
    for part, keys in STABLE_KEYS.items():
        section = results.setdefault(part, {})
        for key in keys:
            section.setdefault(key, None)
        if section["target_ratio"] is None:
            section["target_ratio"] = TARGETS[part]
        if section["met"] is None:
            section["met"] = False
    return results


#: The study in a fresh interpreter on a copy of the project: one empty notebook through papermill (same kernel
#: manager, options and environment as the pipeline's notebooks), the study, the empty notebook again.
STUDY_CODE = EMPTY_NOTEBOOK_CODE + """

empties = [empty_notebook()]
t0 = time.perf_counter()
result = pipeline.run_study({slug!r}, quiet=True)
total = time.perf_counter() - t0
empties.append(empty_notebook())
# the same computation with no notebook, no figure and no kernel: a fresh interpreter running every section
import subprocess, sys
t0 = time.perf_counter()
subprocess.run([sys.executable, "-c", "import sys; from helpers.run.study import compute_sections; "
                "compute_sections(sys.argv[1], processed_dir=sys.argv[2])", {slug!r},
                str(paths.PROCESSED_DIR / "compute-only")], check=True)
compute_only = time.perf_counter() - t0
print(json.dumps({{"total_s": total, "empty_notebook_runs_s": empties, "timings_s": result.timings_s,
                  "compute_only_s": compute_only}}))
"""


def study_headline(slug: str, measured: dict) -> dict:
    """The ``study`` part of ``results.json`` from one measurement of :data:`STUDY_CODE`."""
    empty = min(measured["empty_notebook_runs_s"])
    total = measured["total_s"]
    ratio = total / empty
    compute_only = measured.get("compute_only_s")
    publish = measured["timings_s"].get("publish")
    floor = compute_only + publish if compute_only is not None and publish is not None else None
    return {"territory": slug, "total_s": total, "empty_notebook_s": empty,
            # what no arrangement of kernels can go below: the sections computed in one fresh interpreter with no
            # notebook and no figure, plus the publication as the study ran it
            "compute_only_s": compute_only, "publish_s": publish, "kernel_free_floor_s": floor,
            "kernel_free_floor_ratio": floor / empty if floor is not None else None,
            "empty_notebook_runs_s": measured["empty_notebook_runs_s"],
            "ratio_to_empty_notebook": ratio, "target_ratio": STUDY_TARGET_RATIO,
            "met": bool(ratio <= STUDY_TARGET_RATIO),
            # the earlier name of the floor, kept for readers of older results
            "baseline_empty_notebook_s": empty, "timings_s": measured["timings_s"],
            "notes": ("total_s: wall time of helpers.run.pipeline.run_study (what `make study` runs after its imports) "
                      "in a copy of the project; empty_notebook_s: the faster of two empty notebooks through "
                      "papermill with the pipeline's kernel manager, one before and one after the study. Measured "
                      "in the environment as it is (see environment); with_bytecode_cache, when present: the same "
                      "with a warm .pyc cache. compute_only_s: every section in one fresh interpreter "
                      "(helpers.run.study.compute_sections: no notebook, no kernel, no figure); kernel_free_floor_s: "
                      "compute_only_s + the publication step, a floor for any way of running the notebooks.")}


def bytecode_environment() -> dict:
    """How this machine caches compiled Python: with ``PYTHONDONTWRITEBYTECODE`` set and no
    ``PYTHONPYCACHEPREFIX``, modules without a ``.pyc`` shipped (most of an environment installed by uv, and the
    project's own sources) are compiled again by every new process: every kernel of the study pays it."""
    return {name: os.environ.get(name) for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}


def _study_once(slug: str, env_changes: dict) -> dict:
    with tempfile.TemporaryDirectory(prefix="snr-bench-study-") as tmp:
        root = Path(tmp)
        for sub in ("notebooks", "data/raw/reference", f"data/raw/{slug}"):
            shutil.copytree(ROOT / sub, root / sub)
        (root / "data/processed").mkdir()
        (root / "outputs").mkdir()
        env = dict(os.environ, SNR_PROJECT_ROOT=str(root), PYTHONHASHSEED="0")
        for name, value in env_changes.items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        proc = subprocess.run([sys.executable, "-c", STUDY_CODE.format(slug=slug)], cwd=root, env=env,
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"study benchmark failed:\n{proc.stderr[-4000:]}")
        return json.loads(proc.stdout.strip().splitlines()[-1])


def study_bench(slug: str = "la-rochelle") -> dict:
    """The study in a copy of the project, in this environment; when it writes no bytecode, again with a warm
    bytecode cache in a temporary ``PYTHONPYCACHEPREFIX`` (what a machine that caches ``.pyc`` pays), reported
    under ``with_bytecode_cache``."""
    load_start = list(os.getloadavg())
    result = study_headline(slug, _study_once(slug, {}))
    result["environment"] = bytecode_environment()
    if result["environment"]["PYTHONDONTWRITEBYTECODE"] and not result["environment"]["PYTHONPYCACHEPREFIX"]:
        with tempfile.TemporaryDirectory(prefix="snr-bench-pycache-") as cache:
            changes = {"PYTHONDONTWRITEBYTECODE": None, "PYTHONPYCACHEPREFIX": cache}
            _study_once(slug, changes)  # fills the cache
            cached = study_headline(slug, _study_once(slug, changes))
        result["with_bytecode_cache"] = {k: cached[k] for k in ("total_s", "empty_notebook_s",
                                                                "empty_notebook_runs_s", "ratio_to_empty_notebook",
                                                                "met", "timings_s", "compute_only_s",
                                                                "kernel_free_floor_s", "kernel_free_floor_ratio")}
    result["load_average_at_start"] = load_start
    result["load_average_at_end"] = list(os.getloadavg())
    result["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    floor = result["empty_notebook_s"]
    print(f"\nStudy '{slug}' (baseline = one empty notebook through papermill: {floor:.2f} s, the faster of "
          + " and ".join(f"{s:.2f}" for s in result["empty_notebook_runs_s"]) + f"; load "
          f"{load_start[0]:.2f} → {result['load_average_at_end'][0]:.2f})")
    cached = result.get("with_bytecode_cache")
    if cached:
        print(f"  this environment writes no bytecode (PYTHONDONTWRITEBYTECODE): every kernel compiles its imports; "
              f"last column: again with a warm cache (empty notebook {cached['empty_notebook_s']:.2f} s)")
    print(f"  {'step':<22}{'seconds':>9}{'× baseline':>12}" + (f"{'cached s':>10}{'× baseline':>12}" if cached else ""))
    rows = dict(result["timings_s"], **{"run_study wall": result["total_s"]})
    cached_rows = dict(cached["timings_s"], **{"run_study wall": cached["total_s"]}) if cached else {}
    for step, seconds in rows.items():
        line = f"  {step:<22}{seconds:>9.2f}{seconds / floor:>12.1f}"
        if step in cached_rows:
            line += f"{cached_rows[step]:>10.2f}{cached_rows[step] / cached['empty_notebook_s']:>12.1f}"
        print(line)
    if result["kernel_free_floor_s"] is not None:
        print(f"  without any notebook: the sections in one fresh interpreter {result['compute_only_s']:.2f} s + the "
              f"publication {result['publish_s']:.2f} s = {result['kernel_free_floor_s']:.2f} s = "
              f"{result['kernel_free_floor_ratio']:.1f}× the baseline (a floor for any arrangement of kernels)")
    verdict = "met" if result["met"] else "NOT met"
    print(f"  target ≤ {STUDY_TARGET_RATIO}× the empty notebook: {verdict}"
          + (f" (with a bytecode cache: {'met' if cached['met'] else 'NOT met'})" if cached else ""))
    (OUT / "study.json").write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return result


def _script(name: str, args: list[str], title: str) -> int:
    path = ROOT / "bench" / f"bench_{name}.py"
    if not path.exists():
        return 0
    print(f"\n{title}", flush=True)
    return subprocess.run([sys.executable, str(path), *args], cwd=ROOT).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"parts to measure now, comma-separated ({','.join(PARTS)}); the others are taken "
                             "from their last JSON in outputs/bench/")
    parser.add_argument("--territories", type=int, default=200, help="batch: synthetic territories, summary mode")
    parser.add_argument("--memory-territories", type=int, default=1000,
                        help="batch: territories of the memory run (0: skip)")
    parser.add_argument("--profile", action="store_true", help="batch: profile one territory in summary mode")
    args = parser.parse_args(argv)
    only = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = sorted(set(only) - set(PARTS))
    if unknown:
        parser.error(f"unknown part(s) {unknown}; parts: {', '.join(PARTS)}")
    OUT.mkdir(parents=True, exist_ok=True)
    status: dict[str, str] = {}
    failed = False
    if "engine" in only:
        rc = _script("engine", [], "Carbon engine benchmark")
        status["engine"] = "measured now" if rc == 0 else f"failed (exit {rc})"
        if rc != 0:
            print("engine benchmark failed", file=sys.stderr)
            return rc
    if "study" in only:
        study_bench()
        status["study"] = "measured now"
    if "batch" in only:
        extra = ["--territories", str(args.territories), "--memory-territories", str(args.memory_territories)]
        rc = _script("batch", extra + (["--profile"] if args.profile else []),
                     "Batch benchmark (summary mode against the input floor, territories per minute, memory)")
        status["batch"] = "measured now" if rc == 0 else f"failed (exit {rc})"
        failed |= rc != 0
    if "memo" in only:
        rc = _script("memo", [], "Memo benchmark (does each process-wide memo pay for itself?)")
        status["memo"] = "measured now" if rc == 0 else f"failed (exit {rc})"
        failed |= rc != 0
    if "ingest" in only:
        rc = _script("ingest", [], "Ingest benchmark (1,000,000-row per-asset inventory)")
        # exit 1 means a peak RSS over target, still measured
        status["ingest"] = "measured now" if (OUT / "ingest.json").exists() else f"failed (exit {rc})"
        if rc != 0:
            print("ingest benchmark: peak RSS over target or failure (see above)", file=sys.stderr)
    results: dict = {}
    for part in PARTS:
        path = OUT / f"{part}.json"
        if not path.exists():
            status.setdefault(part, "not measured")
            continue
        if part not in only:
            status[part] = "from an earlier run (see its measured_at / machine)"
        if status.get(part, "").startswith("failed"):
            continue
        results[part] = json.loads(path.read_text(encoding="utf-8"))
    results["parts"] = status
    stable_keys(results)
    (OUT / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print("\nSummary (issue 19):")
    s, b = results["study"], results["batch"]
    if s["ratio_to_empty_notebook"] is not None:
        print(f"  study      {s['total_s']:.1f} s = {s['ratio_to_empty_notebook']:.1f}× one empty notebook "
              f"({s['empty_notebook_s']:.2f} s); target ≤ {s['target_ratio']}×: {'met' if s['met'] else 'NOT met'}")
    if b["ratio_to_input_floor"] is not None:
        print(f"  batch      {b['summary_s_per_territory']:.3f} s/territory = {b['ratio_to_input_floor']:.2f}× the "
              f"input floor ({b['input_floor_s_per_territory']:.3f} s); target ≤ {b['target_ratio']}×: "
              f"{'met' if b['met'] else 'NOT met'}; {b['territories_per_minute']:.1f} territories/min")
    if b["peak_rss_mb"] is not None:
        runs_txt = "; ".join(f"{v['peak_rss_mb']:.0f} MB over {v['territories']} territories in {k}"
                             for k, v in b.get("peak_rss_mb_by_run", {}).items())
        print(f"  memory     peak {b['peak_rss_mb']:.0f} MB per worker ({runs_txt}); target < "
              f"{b.get('peak_rss_target_mb', 2048)} MB")
    memo = results.get("memo", {})
    for name, m in memo.get("memos", {}).items():
        print(f"  memo       {name:<28} disabled: {m['cpu_ratio_to_all']:.2f}× the CPU time with all memos → "
              f"{m['verdict']}")
    for part, state in status.items():
        if state != "measured now":
            print(f"  ({part}: {state})")
    print(f"\nResults: {(OUT / 'results.json').relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
