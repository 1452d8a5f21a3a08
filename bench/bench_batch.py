"""Batch benchmark (issues 9 and 19): territories per minute on Dask, the ratio to the input floor, peak memory.

Everything runs in a temporary copy of the project holding synthetic territories (``helpers.run.synth``), each
measurement in its own process with ``SNR_PROJECT_ROOT`` pointing at the copy, so the real ``data/`` and
``outputs/`` are never touched. Every number is printed as a ratio against a baseline measured in the same run; JSON
in ``outputs/bench/batch.json``.

Runs, each a fresh process that starts its own embedded cluster (``helpers.run.batch._client``, as ``make batch``):

``summary_2_workers``
    the headline: ``--territories`` (200) synthetic territories in summary mode on 2 workers.
``input_floor_2_workers``
    the same territories, same 2 workers, only reading and validating the inputs (``run_batch(...,
    sections=["ingest"])``: the same tasks, the same input fingerprint, lock and staging; nothing published). The
    issue's target: summary mode within 3× this floor.
``summary_1_worker``
    the first ``--one-worker`` (20) territories on 1 worker: the scaling baseline of the earlier benchmark.
``full_2_workers``
    ``--full`` (2) territories through the papermill chain; then the breakdown of full mode on one territory (each
    notebook against the same section in-process, against one empty notebook).
``memory``
    ``--memory-territories`` (1000; 0 skips) territories in summary mode on 2 workers with the study's 10,000 draws:
    the peak RSS of each worker process (``VmHWM`` of ``/proc/<pid>/status``, read in the worker at the end; its
    RSS is also sampled from outside every few seconds to show whether it keeps growing). Target: under 2,048 MB.

Each batch run reports its wall time from the interpreter's start of the imports to the cluster's close
(``wall_s``, the headline: what a user of ``make batch`` waits for) and the time of the tasks alone, from the
cluster ready to the last result (``batch_s``); the headline ratios use ``wall_s`` for both the summary and the
floor, the ratios without the one-off start are reported beside them.

Usage: ``python bench/bench_batch.py [--territories 200] [--memory-territories 1000] [--one-worker 20] [--full 2]
[--draws 10000] [--profile]``. Speed is measured here, never asserted in tests.
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
#: summary mode must stay within this many times the input floor (issue 19)
TARGET_RATIO_TO_INPUT_FLOOR = 3
#: peak RSS of one worker (issue 19)
TARGET_PEAK_RSS_MB = 2048
#: issue 38: full mode (notebooks, figures and pages) with 2 workers, territories per minute
TARGET_FULL_PER_MINUTE = 10
#: ``helpers.run.synth.generate`` writes at most this many territories per prefix
SYNTH_MAX = 999


def make_project(dest: Path, n: int, seed: int) -> list[str]:
    """A project copy with ``n`` synthetic territories; returns their slugs.

    Beyond 999 territories (one prefix of ``helpers.run.synth``), further blocks use the prefixes ``synthb-``,
    ``synthc-`` … and the seeds ``seed + 1``, ``seed + 2`` … (territory ``i`` of a block draws from
    ``default_rng([seed, i])``: another seed, other territories).
    """
    from helpers.run import synth

    for sub in ("notebooks", "data/raw/reference"):
        shutil.copytree(ROOT / sub, dest / sub)
    (dest / "data/processed").mkdir(parents=True)
    (dest / "outputs").mkdir()
    slugs: list[str] = []
    block = 0
    while len(slugs) < n:
        k = min(SYNTH_MAX, n - len(slugs))
        prefix = synth.DEFAULT_PREFIX if block == 0 else f"synth{chr(ord('a') + block)}-"
        folders = synth.generate(k, seed + block, out_dir=dest / "data/raw", prefix=prefix,
                                 ratios_from=ROOT / "data/raw/la-rochelle")
        slugs += [f.name for f in folders]
        block += 1
    return slugs


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


#: One batch in a fresh interpreter: ``wall_s`` from before the imports to the cluster's close, ``client_start_s``
#: (cluster and client ready), ``batch_s`` (``run_batch`` on the ready cluster), each worker's memory read in the
#: worker at the start and at the end, and its RSS sampled from outside every ``poll_s`` seconds.
BATCH_CODE = """
import json, threading, time
t0 = time.perf_counter()
import psutil
from helpers.run.batch import _client, run_batch
t_import = time.perf_counter() - t0


def worker_memory():
    import os
    import resource
    status = {{}}
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                status[key] = int(value.split()[0]) / 1024
    return {{"pid": os.getpid(), "rss_mb": status.get("VmRSS"), "peak_rss_mb": status.get("VmHWM"),
             "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}


samples = []
with _client(None, {workers}) as client:
    t_client = time.perf_counter() - t0 - t_import
    start = client.run(worker_memory)
    procs = [psutil.Process(m["pid"]) for m in start.values()]
    stop = threading.Event()

    def poll():
        while not stop.wait({poll_s}):
            rss = []
            for p in procs:
                try:
                    rss.append(p.memory_info().rss / 2**20)
                except psutil.Error:
                    pass
            samples.append([round(time.perf_counter() - t0, 1), round(max(rss), 1) if rss else None])

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    t1 = time.perf_counter()
    table = run_batch({slugs!r}, mode={mode!r}, scheduler=client, force=True, n_draws={draws}, quiet=True,
                      write_comparison=False, sections={sections!r})
    batch_s = time.perf_counter() - t1
    stop.set()
    poller.join()
    end = client.run(worker_memory)
wall = time.perf_counter() - t0
rows = table.to_dict("records")
print(json.dumps({{"wall_s": wall, "import_s": t_import, "client_start_s": t_client, "batch_s": batch_s,
                   "sections": {sections!r},
                   "workers_memory_start": list(start.values()), "workers_memory_end": list(end.values()),
                   "workers_restarted": sorted(m["pid"] for m in start.values())
                                        != sorted(m["pid"] for m in end.values()),
                   "rss_samples_s_mb": samples,
                   "status": {{r["territory"]: r["status"] for r in rows}},
                   "errors": {{r["territory"]: r["error"] for r in rows if r["error"]}},
                   "territory_s": {{r["territory"]: r["seconds"] for r in rows}},
                   "timings_s": {{r["territory"]: r["timings"] for r in rows}}}}))
"""

#: Code (a ``str.format`` template) defining ``empty_notebook()``: the wall time of one empty notebook through
#: papermill with the pipeline's kernel manager, options and environment (kernel start and shutdown). Shared by
#: :data:`BREAKDOWN_CODE` and ``bench/run.py``'s study measurement.
EMPTY_NOTEBOOK_CODE = """
import json, os, time
import nbformat, papermill as pm
from helpers.io import paths
from helpers.run import pipeline
os.environ.update(pipeline.DETERMINISM_ENV)
nb = nbformat.v4.new_notebook()
nb.metadata = {{"kernelspec": {{"name": "python3", "display_name": "Python 3", "language": "python"}},
               "language_info": {{"name": "python"}}}}
nb.cells = [nbformat.v4.new_code_cell("pass")]
empty = paths.OUTPUTS_DIR / "empty.ipynb"
nbformat.write(nb, empty)


def empty_notebook():
    km = pipeline._ipc_kernel_manager_class()
    t0 = time.perf_counter()
    pm.execute_notebook(str(empty), str(paths.OUTPUTS_DIR / "empty.out.ipynb"), kernel_name="python3",
                        progress_bar=False, log_output=False, record_timing=False, kernel_manager_class=km,
                        resources={{"metadata": {{"path": str(paths.NOTEBOOKS_DIR)}}}})
    seconds = time.perf_counter() - t0
    pipeline.cleanup_kernels(getattr(km, "launched", {{}}))
    return seconds
"""

BREAKDOWN_CODE = EMPTY_NOTEBOOK_CODE + """
from helpers.run.study import compute_sections, NOTEBOOK_OF, SECTIONS
floor = [empty_notebook() for _ in range(2)]
km = pipeline._ipc_kernel_manager_class()
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
pipeline.cleanup_kernels(getattr(km, "launched", {{}}))
sections = {{}}
t0 = time.perf_counter()
compute_sections({slug!r}, 20200101, {draws}, paths.PROCESSED_DIR / "summary-mode", timings=sections)
print(json.dumps({{"empty_notebook_s": min(floor), "notebook_s": notebooks, "section_s": sections,
                   "summary_mode_total_s": time.perf_counter() - t0}}))
"""

PROFILE_CODE = """
import cProfile, json, pstats
from helpers.run.study import compute_sections
import helpers.model.carbon, helpers.model.services, helpers.plan.actions, helpers.model.maturity, helpers.io.ingest  # imports not profiled
pr = cProfile.Profile()
pr.enable()
timings = {{}}
compute_sections({slug!r}, 20200101, {draws}, "/tmp/snr-bench-profile-{slug}", timings=timings)
pr.disable()
st = pstats.Stats(pr)
rows = []
for (file, line, func), (cc, nc, tt, ct, callers) in st.stats.items():
    if "/helpers/" in file:
        rows.append({{"function": f"{{file.split('/helpers/')[-1]}}:{{func}}", "calls": nc, "cumulative_s": ct,
                      "own_s": tt}})
rows.sort(key=lambda r: -r["cumulative_s"])
own = sorted(({{"function": "/".join(file.split("/")[-2:]) + f":{{func}}", "calls": nc, "own_s": tt}}
             for (file, line, func), (cc, nc, tt, ct, callers) in st.stats.items()), key=lambda r: -r["own_s"])
print(json.dumps({{"section_s": timings, "top_helpers_functions": rows[:25], "top_own_time": own[:25]}}))
"""


def peak_of(run: dict) -> float | None:
    """Peak RSS (MB) of the most demanding worker of a batch run (``VmHWM`` read in each worker at the end)."""
    peaks = [m.get("peak_rss_mb") for m in run.get("workers_memory_end", []) if m.get("peak_rss_mb") is not None]
    return max(peaks) if peaks else None


def headline(runs: dict, memory: dict | None, n: int) -> dict:
    """The stable keys of issue 19 from the measured runs (see the module's docstring for what each run is).

    ``runs`` holds ``summary_2_workers`` and ``input_floor_2_workers`` (each with ``wall_s`` and ``batch_s``);
    ``memory`` is the memory run or None. The peak RSS is the highest of the memory run and the headline run (both
    the full study on 2 workers), with the run and its number of territories.
    """
    summary, floor = runs["summary_2_workers"], runs["input_floor_2_workers"]
    per = summary["wall_s"] / n
    floor_per = floor["wall_s"] / n
    per_tasks = summary["batch_s"] / n
    floor_tasks = floor["batch_s"] / n
    ratio = per / floor_per
    # the highest peak of the full-study runs on 2 workers (the memory run and the headline run)
    by_run = {label: (peak_of(r), r.get("n", n)) for label, r in (("memory", memory), ("summary_2_workers", summary))
              if r is not None and peak_of(r) is not None}
    peak_label = max(by_run, key=lambda k: by_run[k][0]) if by_run else None
    peak = by_run[peak_label][0] if by_run else None
    full = runs.get("full_2_workers")
    # issue 38: full mode (notebooks and pages) with 2 workers, territories per minute of the whole batch's wall time
    full_per_minute = 60.0 * full["n"] / full["wall_s"] if full and full.get("wall_s") else None
    return {
        "territories": n,
        "workers": 2,
        "summary_s_per_territory": per,
        "summary_s_per_territory_excluding_client_start": per_tasks,
        "input_floor_s_per_territory": floor_per,
        "input_floor_s_per_territory_excluding_client_start": floor_tasks,
        "ratio_to_input_floor": ratio,
        "ratio_to_input_floor_excluding_client_start": per_tasks / floor_tasks,
        "target_ratio": TARGET_RATIO_TO_INPUT_FLOOR,
        "met": bool(ratio <= TARGET_RATIO_TO_INPUT_FLOOR),
        "territories_per_minute": 60.0 * n / summary["wall_s"],
        "full_territories_per_minute": full_per_minute,
        "full_territories": full.get("n") if full else None,
        "full_target_territories_per_minute": TARGET_FULL_PER_MINUTE,
        "full_met": bool(full_per_minute is not None and full_per_minute >= TARGET_FULL_PER_MINUTE),
        "client_start_s": summary["client_start_s"],
        "peak_rss_mb": peak,
        "peak_rss_territories": by_run[peak_label][1] if by_run else None,
        "peak_rss_run": peak_label,
        "peak_rss_mb_by_run": {label: {"peak_rss_mb": p, "territories": t} for label, (p, t) in by_run.items()},
        "peak_rss_target_mb": TARGET_PEAK_RSS_MB,
        "peak_rss_met": bool(peak is not None and peak < TARGET_PEAK_RSS_MB),
        "notes": (
            "Headline times per territory are a batch's whole wall time (interpreter imports, embedded 2-worker "
            "cluster start, tasks, cluster close) divided by the territories: what a user of `make batch` waits "
            "for. The one-off start is a few seconds, spread over all the territories; the ratios without it "
            "(tasks only, cluster ready to last result) are reported beside. The input floor is the same batch "
            "machinery with only the `ingest` section (read, validate and write the clean tables; input "
            "fingerprint, lock and staging as in summary mode; nothing published). Peak RSS is VmHWM of each "
            "worker process read in the worker at the end (not ru_maxrss, which carries the parent's peak across "
            "fork and exec), max over workers, and the highest of the memory run and the headline run."),
    }


def _states(r: dict) -> str:
    values = list(r["status"].values())
    return ", ".join(f"{values.count(st)} {st}" for st in sorted(set(values)))


def _batch(root: Path, label: str, slugs: list[str], mode: str, workers: int, draws: int,
           sections: list[str] | None = None, poll_s: float = 5.0) -> dict:
    print(f"▶ {label}: {len(slugs)} territoire(s) …", flush=True)
    r = in_copy(root, BATCH_CODE.format(slugs=slugs, mode=mode, workers=workers, draws=draws, sections=sections,
                                        poll_s=poll_s))
    r["n"] = len(slugs)
    r["workers"] = workers
    r["territories_per_minute"] = 60.0 * len(slugs) / r["wall_s"]
    ok = [s for s, st in r["status"].items() if st == "ok"]
    busy = sum(r["territory_s"][s] for s in ok)
    r["compute_territories_per_minute"] = 60.0 * len(ok) * workers / busy if busy else None
    r["peak_rss_mb"] = peak_of(r)
    r["load_average_at_end"] = list(os.getloadavg())
    print(f"  {r['wall_s']:.1f} s ({_states(r)}), peak RSS {r['peak_rss_mb'] or float('nan'):.0f} MB, "
          f"load {r['load_average_at_end'][0]:.2f}", flush=True)
    return r


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--territories", type=int, default=200, help="synthetic territories in summary mode")
    parser.add_argument("--memory-territories", type=int, default=1000,
                        help="territories of the separate memory run (summary mode, 2 workers; 0: skip)")
    parser.add_argument("--one-worker", type=int, default=20,
                        help="territories of the 1-worker summary baseline (0: skip)")
    parser.add_argument("--full", type=int, default=2, help="territories in full mode (0: skip)")
    parser.add_argument("--draws", type=int, default=10_000, help="Monte Carlo draws (the study's default)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic territories")
    parser.add_argument("--profile", action="store_true", help="add a profile of one territory in summary mode")
    parser.add_argument("--no-breakdown", action="store_true", help="skip the breakdown of full mode")
    args = parser.parse_args(argv)
    if args.territories < 1 or args.memory_territories < 0:
        parser.error("--territories ≥ 1 and --memory-territories ≥ 0")
    OUT.mkdir(parents=True, exist_ok=True)
    n = args.territories
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                 "load_average_at_start": list(os.getloadavg()),
                                 "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE")},
                     "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                     "territories": n, "draws": args.draws, "synth_seed": args.seed,
                     "target_territories_per_minute": TARGET_PER_MINUTE}
    with tempfile.TemporaryDirectory(prefix="snr-bench-batch-") as tmp:
        root = Path(tmp)
        slugs = make_project(root, max(n, args.memory_territories, args.one_worker, args.full), args.seed)
        runs = {}
        # the floor right before the headline run: the same territories, the same load
        runs["input_floor_2_workers"] = _batch(root, "input_floor_2_workers", slugs[:n], "summary", 2, args.draws,
                                               sections=["ingest"])
        runs["summary_2_workers"] = _batch(root, "summary_2_workers", slugs[:n], "summary", 2, args.draws)
        if args.one_worker:
            runs["summary_1_worker"] = _batch(root, "summary_1_worker", slugs[:args.one_worker], "summary", 1,
                                              args.draws)
        if args.full:
            runs["full_2_workers"] = _batch(root, "full_2_workers", slugs[:args.full], "full", 2, args.draws)
        results["runs"] = runs
        if not args.no_breakdown:
            print(f"▶ breakdown of full mode on {slugs[0]} …", flush=True)
            results["breakdown"] = in_copy(root, BREAKDOWN_CODE.format(slug=slugs[0], draws=args.draws))
        if args.profile:
            print(f"▶ profile of {slugs[0]} …", flush=True)
            results["profile"] = in_copy(root, PROFILE_CODE.format(slug=slugs[0], draws=args.draws))
        memory = None
        if args.memory_territories:
            memory = _batch(root, "memory", slugs[:args.memory_territories], "summary", 2, args.draws, poll_s=10.0)
            results["memory"] = memory
    results["machine"]["load_average_at_end"] = list(os.getloadavg())
    results.update(headline(runs, memory, n))
    report(results, slugs[0])
    (OUT / "batch.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"\nResults: {(OUT / 'batch.json').relative_to(ROOT)}")
    return 0


def report(results: dict, first_slug: str) -> None:
    """Print the runs and the headline as ratios against baselines of the same run."""
    runs = results["runs"]
    floor_run = runs["input_floor_2_workers"]
    print(f"\nBatch benchmark — {results['territories']} synthetic territories, {results['draws']} draws, "
          f"{results['machine']['cpus']} CPUs, load {results['machine']['load_average_at_start'][0]:.2f} → "
          f"{results['machine']['load_average_at_end'][0]:.2f}")
    print(f"(baseline = input floor, 2 workers: {floor_run['territories_per_minute']:.1f} territories/min)")
    print(f"  {'run':<24}{'n':>5}{'wall s':>9}{'terr./min':>11}{'floor / run':>13}{'compute terr./min':>19}"
          f"{'peak MB':>9}  status")
    base = floor_run["territories_per_minute"]
    for label, r in runs.items():
        comp = r["compute_territories_per_minute"]
        print(f"  {label:<24}{r['n']:>5}{r['wall_s']:>9.1f}{r['territories_per_minute']:>11.2f}"
              f"{base / r['territories_per_minute']:>13.2f}{(comp or float('nan')):>19.2f}"
              f"{(r.get('peak_rss_mb') or float('nan')):>9.0f}  {_states(r)}")
        for slug, err in list(r["errors"].items())[:5]:
            print(f"      {slug}: {err.splitlines()[0][:150]}")
    if "breakdown" in results:
        b = results["breakdown"]
        floor = b["empty_notebook_s"]
        print(f"\nWhere full mode spends its time ({first_slug}; empty notebook = kernel start + shutdown = "
              f"{floor:.2f} s)")
        print(f"  {'section':<10}{'notebook s':>12}{'in-process s':>14}{'overhead s':>12}{'overhead / empty nb':>21}")
        for section, nb_s in b["notebook_s"].items():
            sec = b["section_s"].get(section, float("nan"))
            print(f"  {section:<10}{nb_s:>12.2f}{sec:>14.2f}{nb_s - sec:>12.2f}{(nb_s - sec) / floor:>21.2f}")
        tot_nb, tot_sec = sum(b["notebook_s"].values()), sum(b["section_s"].values())
        print(f"  {'total':<10}{tot_nb:>12.2f}{tot_sec:>14.2f}{tot_nb - tot_sec:>12.2f}"
              f"{(tot_nb - tot_sec) / floor:>21.2f}")
    if "profile" in results:
        p = results["profile"]
        print("\nOne territory in-process, seconds per section: "
              + ", ".join(f"{k} {v:.2f}" for k, v in p.get("section_s", {}).items()))
        print("Slowest helpers functions (cumulative):")
        for row in p["top_helpers_functions"][:12]:
            print(f"  {row['cumulative_s']:>7.2f} s  {row['calls']:>6} calls  {row['function']}")
        print("Most own time (any module):")
        for row in p.get("top_own_time", [])[:10]:
            print(f"  {row['own_s']:>7.2f} s  {row['calls']:>7} calls  {row['function']}")
    if "memory" in results:
        m = results["memory"]
        samples = [s for s in m.get("rss_samples_s_mb", []) if s[1] is not None]
        if samples:
            picks = [samples[int(q * (len(samples) - 1))] for q in (0, 0.25, 0.5, 0.75, 1)]
            print("\nMemory run: RSS of the largest worker over time (s: MB): "
                  + ", ".join(f"{t:.0f}: {mb:.0f}" for t, mb in picks))
        if m.get("workers_restarted"):
            print("  a worker was restarted during the memory run: its peak is lost (see workers_memory_*)")
    h = results
    print(f"\nHeadline (issue 19), {h['territories']} territories, 2 workers:")
    print(f"  summary mode     {h['summary_s_per_territory']:.3f} s/territory "
          f"({h['territories_per_minute']:.1f} territories/min; tasks only "
          f"{h['summary_s_per_territory_excluding_client_start']:.3f} s; cluster start {h['client_start_s']:.1f} s)")
    print(f"  input floor      {h['input_floor_s_per_territory']:.3f} s/territory (tasks only "
          f"{h['input_floor_s_per_territory_excluding_client_start']:.3f} s)")
    verdict = "met" if h["met"] else "NOT met"
    print(f"  summary / floor  {h['ratio_to_input_floor']:.2f}× (tasks only "
          f"{h['ratio_to_input_floor_excluding_client_start']:.2f}×); target ≤ {h['target_ratio']}×: {verdict}")
    if h["peak_rss_mb"] is not None:
        under = "under" if h["peak_rss_met"] else "NOT under"
        runs_txt = ", ".join(f"{v['peak_rss_mb']:.0f} MB over {v['territories']} in {k}"
                             for k, v in h["peak_rss_mb_by_run"].items())
        print(f"  peak RSS         {h['peak_rss_mb']:.0f} MB per worker ({runs_txt}): {under} "
              f"{h['peak_rss_target_mb']} MB")
    best = max(r["territories_per_minute"] for k, r in runs.items() if k.startswith("summary"))
    reached = "reached" if best >= TARGET_PER_MINUTE else "NOT reached"
    print(f"  earlier target of {TARGET_PER_MINUTE} territories/min in summary mode: {reached} (best {best:.1f}).")


if __name__ == "__main__":
    sys.exit(main())
