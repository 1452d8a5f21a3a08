"""Batch benchmark (issue 9): territories per minute on Dask, summary mode with 1 and 2 workers, full mode.

Everything runs in a temporary copy of the project holding synthetic territories (``helpers.synth``), each
measurement in its own process with ``SNR_PROJECT_ROOT`` pointing at the copy, so the real ``data/`` and
``outputs/`` are never touched. Printed as ratios against the 1-worker summary-mode baseline measured in the same
run; JSON in ``outputs/bench/batch.json``.

Full mode is limited by kernel starts: the breakdown runs every notebook of one territory through papermill and
compares each with the same section computed in-process (``helpers.study``), against the wall time of one empty
notebook (kernel start and shutdown).

Usage: ``python bench/bench_batch.py [--territories 8] [--draws 10000] [--full 2] [--profile]``.
Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "outputs" / "bench"
TARGET_PER_MINUTE = 100


def make_project(dest: Path, n: int, seed: int) -> list[str]:
    """A project copy with ``n`` synthetic territories; returns their slugs."""
    from helpers import synth

    for sub in ("notebooks", "data/raw/reference"):
        shutil.copytree(ROOT / sub, dest / sub)
    (dest / "data/processed").mkdir(parents=True)
    (dest / "outputs").mkdir()
    folders = synth.generate(n, seed, out_dir=dest / "data/raw", ratios_from=ROOT / "data/raw/la-rochelle")
    return [f.name for f in folders]


def in_copy(root: Path, code: str) -> dict:
    """Run ``code`` (which prints one JSON line last) in a fresh interpreter on the copy; return that JSON."""
    env = dict(os.environ, SNR_PROJECT_ROOT=str(root), PYTHONHASHSEED="0")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark step failed:\n{proc.stderr[-4000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["process_wall_s"] = wall
    return out


BATCH_CODE = """
import json, time
t0 = time.perf_counter()
from helpers.batch import run_batch
t_import = time.perf_counter() - t0
table = run_batch({slugs!r}, mode={mode!r}, workers={workers}, force=True, n_draws={draws}, quiet=True,
                  write_comparison=False)
wall = time.perf_counter() - t0
rows = table.to_dict("records")
print(json.dumps({{"wall_s": wall, "import_s": t_import,
                   "status": {{r["territory"]: r["status"] for r in rows}},
                   "errors": {{r["territory"]: r["error"] for r in rows if r["error"]}},
                   "territory_s": {{r["territory"]: r["seconds"] for r in rows}},
                   "timings_s": {{r["territory"]: r["timings"] for r in rows}}}}))
"""

BREAKDOWN_CODE = """
import json, os, time
import nbformat, papermill as pm
from helpers import paths, pipeline
from helpers.study import compute_sections, NOTEBOOK_OF, SECTIONS
os.environ.update(pipeline.DETERMINISM_ENV)
km = pipeline._ipc_kernel_manager_class()
nb = nbformat.v4.new_notebook()
nb.metadata = {{"kernelspec": {{"name": "python3", "display_name": "Python 3", "language": "python"}},
               "language_info": {{"name": "python"}}}}
nb.cells = [nbformat.v4.new_code_cell("pass")]
empty = paths.OUTPUTS_DIR / "empty.ipynb"
nbformat.write(nb, empty)
floor = []
for _ in range(2):
    t0 = time.perf_counter()
    pm.execute_notebook(str(empty), str(paths.OUTPUTS_DIR / "empty.out.ipynb"), kernel_name="python3",
                        progress_bar=False, kernel_manager_class=km)
    floor.append(time.perf_counter() - t0)
notebooks = {{}}
target = paths.PROCESSED_DIR / "notebook-mode"
for section in SECTIONS:
    name = NOTEBOOK_OF[section]
    t0 = time.perf_counter()
    pm.execute_notebook(str(paths.NOTEBOOKS_DIR / f"{{name}}.ipynb"), str(paths.OUTPUTS_DIR / f"{{name}}.ipynb"),
                        parameters={{"territory": {slug!r}, "seed": 20200101, "processed_dir": str(target),
                                    "n_draws": {draws}}}, kernel_name="python3", cwd=str(paths.NOTEBOOKS_DIR),
                        progress_bar=False, kernel_manager_class=km)
    notebooks[section] = time.perf_counter() - t0
sections = {{}}
t0 = time.perf_counter()
compute_sections({slug!r}, 20200101, {draws}, paths.PROCESSED_DIR / "summary-mode", timings=sections)
print(json.dumps({{"empty_notebook_s": min(floor), "notebook_s": notebooks, "section_s": sections,
                   "summary_mode_total_s": time.perf_counter() - t0}}))
"""

PROFILE_CODE = """
import cProfile, io, json, pstats
from helpers.study import compute_sections
import helpers.carbon, helpers.services, helpers.actions, helpers.maturity, helpers.ingest  # imports not profiled
pr = cProfile.Profile()
pr.enable()
compute_sections({slug!r}, 20200101, {draws}, "/tmp/snr-bench-profile-{slug}")
pr.disable()
st = pstats.Stats(pr)
rows = []
for (file, line, func), (cc, nc, tt, ct, callers) in st.stats.items():
    if "/helpers/" in file:
        rows.append({{"function": f"{{file.split('/helpers/')[-1]}}:{{func}}", "calls": nc, "cumulative_s": ct}})
rows.sort(key=lambda r: -r["cumulative_s"])
print(json.dumps({{"top_helpers_functions": rows[:15]}}))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--territories", type=int, default=8, help="synthetic territories in summary mode")
    parser.add_argument("--full", type=int, default=2, help="territories in full mode (0: skip)")
    parser.add_argument("--draws", type=int, default=10_000, help="Monte Carlo draws (the study's default)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic territories")
    parser.add_argument("--profile", action="store_true", help="add a profile of one territory in summary mode")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                 "load_average_at_start": list(os.getloadavg())},
                     "territories": args.territories, "draws": args.draws, "synth_seed": args.seed,
                     "target_territories_per_minute": TARGET_PER_MINUTE}
    with tempfile.TemporaryDirectory(prefix="snr-bench-batch-") as tmp:
        root = Path(tmp)
        slugs = make_project(root, args.territories, args.seed)
        runs = {}
        for label, mode, workers, chosen in (("summary_1_worker", "summary", 1, slugs),
                                             ("summary_2_workers", "summary", 2, slugs),
                                             ("full_2_workers", "full", 2, slugs[:args.full])):
            if not chosen:
                continue
            print(f"▶ {label}: {len(chosen)} territoire(s) …", flush=True)
            r = in_copy(root, BATCH_CODE.format(slugs=chosen, mode=mode, workers=workers, draws=args.draws))
            r["n"] = len(chosen)
            r["territories_per_minute"] = 60.0 * len(chosen) / r["wall_s"]
            ok = [s for s, st in r["status"].items() if st == "ok"]
            busy = sum(r["territory_s"][s] for s in ok)
            r["compute_territories_per_minute"] = 60.0 * len(ok) * workers / busy if busy else None
            runs[label] = r
        results["runs"] = runs
        print(f"▶ breakdown of full mode on {slugs[0]} …", flush=True)
        results["breakdown"] = in_copy(root, BREAKDOWN_CODE.format(slug=slugs[0], draws=args.draws))
        if args.profile:
            print(f"▶ profile of {slugs[0]} …", flush=True)
            results["profile"] = in_copy(root, PROFILE_CODE.format(slug=slugs[0], draws=args.draws))
    results["machine"]["load_average_at_end"] = list(os.getloadavg())

    base = runs["summary_1_worker"]["territories_per_minute"]
    print(f"\nBatch benchmark — {args.territories} synthetic territories, {args.draws} draws, "
          f"{os.cpu_count()} CPUs (baseline = summary mode, 1 worker: {base:.2f} territories/min)")
    print(f"  {'run':<20}{'n':>4}{'wall s':>9}{'terr./min':>11}{'× baseline':>12}{'compute terr./min':>19}  status")
    for label, r in runs.items():
        states = ", ".join(f"{v} {k}" for k, v in sorted(
            {st: list(r["status"].values()).count(st) for st in set(r["status"].values())}.items()))
        comp = r["compute_territories_per_minute"]
        print(f"  {label:<20}{r['n']:>4}{r['wall_s']:>9.1f}{r['territories_per_minute']:>11.2f}"
              f"{r['territories_per_minute'] / base:>12.2f}{(comp or float('nan')):>19.2f}  {states}")
        for slug, err in r["errors"].items():
            print(f"      {slug}: {err.splitlines()[0][:150]}")
    b = results["breakdown"]
    floor = b["empty_notebook_s"]
    print(f"\nWhere full mode spends its time ({slugs[0]}; empty notebook = kernel start + shutdown = {floor:.2f} s)")
    print(f"  {'section':<10}{'notebook s':>12}{'in-process s':>14}{'overhead s':>12}{'overhead / empty nb':>21}")
    for section, nb_s in b["notebook_s"].items():
        sec = b["section_s"].get(section, float("nan"))
        print(f"  {section:<10}{nb_s:>12.2f}{sec:>14.2f}{nb_s - sec:>12.2f}{(nb_s - sec) / floor:>21.2f}")
    tot_nb, tot_sec = sum(b["notebook_s"].values()), sum(b["section_s"].values())
    print(f"  {'total':<10}{tot_nb:>12.2f}{tot_sec:>14.2f}{tot_nb - tot_sec:>12.2f}{(tot_nb - tot_sec) / floor:>21.2f}")
    best = max(r["territories_per_minute"] for k, r in runs.items() if k.startswith("summary"))
    verdict = "reached" if best >= TARGET_PER_MINUTE else "NOT reached"
    print(f"\nTarget {TARGET_PER_MINUTE} territories/min in summary mode: {verdict} (best {best:.2f}).")
    if "profile" in results:
        print("\nSlowest helpers functions (cumulative, one territory in-process):")
        for row in results["profile"]["top_helpers_functions"][:10]:
            print(f"  {row['cumulative_s']:>7.2f} s  {row['calls']:>5} calls  {row['function']}")
    (OUT / "batch.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"\nResults: {(OUT / 'batch.json').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
