"""``make bench``: every benchmark of the project, printed as ratios against a baseline measured in the same run.

1. The carbon engine (``bench/bench_engine.py``): 1,000 → 1,000,000 inventory lines × 10,000 Monte Carlo draws, and
   the ratio to a per-device boaviztapi loop (in its own AGPL environment).
2. The study on the default territory: wall time per notebook and in total, against a baseline of one empty kernel
   start measured in the same run (the floor that any notebook pays).
3. The batch runner (``bench/bench_batch.py``): territories per minute in summary mode (1 and 2 workers) and full
   mode, as ratios against the 1-worker summary baseline.
4. The ingest of a 1,000,000-row per-asset inventory (``bench/bench_ingest.py``): peak RSS and rows per second of the
   safe reader and of the whole inventory ingest, as ratios against ``csv.reader`` over the same file.

Results go to ``outputs/bench/`` as JSON. Speed is never asserted in tests; it is measured here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "outputs" / "bench"


def kernel_floor_s() -> float:
    """Wall time of executing an empty notebook with papermill in this process (kernel start + shutdown)."""
    import nbformat
    import papermill as pm

    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                   "language_info": {"name": "python"}}
    nb.cells = [nbformat.v4.new_code_cell("pass")]
    src = OUT / "empty.ipynb"
    nbformat.write(nb, src)
    t0 = time.perf_counter()
    pm.execute_notebook(str(src), str(OUT / "empty.out.ipynb"), kernel_name="python3", progress_bar=False)
    return time.perf_counter() - t0


def study_bench(slug: str = "la-rochelle") -> dict:
    from helpers.pipeline import run_study

    floor = kernel_floor_s()
    result = run_study(slug, quiet=True)
    timings = result.timings_s
    print(f"\nStudy '{slug}' (baseline = one empty notebook through papermill: {floor:.2f} s)")
    print(f"  {'step':<22}{'seconds':>9}{'× baseline':>12}")
    for step, seconds in timings.items():
        print(f"  {step:<22}{seconds:>9.2f}{seconds / floor:>12.1f}")
    return {"territory": slug, "baseline_empty_notebook_s": floor, "timings_s": timings}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict = {}
    engine = ROOT / "bench" / "bench_engine.py"
    if engine.exists():
        print("Carbon engine benchmark")
        proc = subprocess.run([sys.executable, str(engine)], cwd=ROOT)
        if proc.returncode != 0:
            print("engine benchmark failed", file=sys.stderr)
            return proc.returncode
        engine_json = OUT / "engine.json"
        if engine_json.exists():
            results["engine"] = json.loads(engine_json.read_text())
    results["study"] = study_bench()
    batch = ROOT / "bench" / "bench_batch.py"
    if batch.exists():
        print("\nBatch benchmark (territories per minute)")
        proc = subprocess.run([sys.executable, str(batch)], cwd=ROOT)
        if proc.returncode == 0 and (OUT / "batch.json").exists():
            results["batch"] = json.loads((OUT / "batch.json").read_text())
    ingest = ROOT / "bench" / "bench_ingest.py"
    if ingest.exists():
        print("\nIngest benchmark (1,000,000-row per-asset inventory)")
        proc = subprocess.run([sys.executable, str(ingest)], cwd=ROOT)
        if (OUT / "ingest.json").exists():
            results["ingest"] = json.loads((OUT / "ingest.json").read_text())
        if proc.returncode != 0:
            print("ingest benchmark: peak RSS over target or failure (see above)", file=sys.stderr)
    (OUT / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(f"\nResults: {(OUT / 'results.json').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
