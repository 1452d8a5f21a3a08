"""Does each process-wide memo pay for itself? (issue 19: "Caches: none unless a benchmark shows one pays for itself")

The package keeps process-wide :class:`helpers.io.memo.Memo` instances (six when this was written, two now:
:data:`KNOWN_MEMOS`; :func:`discover_memos` finds every module-level one). This runs summary mode
(:func:`helpers.run.study.compute_sections`) on La Rochelle and on ``--synthetic`` (10) synthetic territories one after
the other in one fresh process, as a batch worker does, in these configurations:

(a) ``all``: every memo as shipped (run twice, first and last, to see the run-to-run noise);
(b) ``none``: every memo disabled;
(c) ``without <memo>``: that memo disabled alone.

A memo is disabled from here only, by patching the instance in the fresh process (``m.get = lambda key: None;
m.put = lambda key, value: value``): every lookup misses and nothing is kept; the source is never changed.
Reported: CPU and wall time of the territories, ratios to (a), peak RSS, and for each memo its hits and misses in
(a) and a verdict: "pays" when disabling it costs more than :data:`PAYS_ABOVE` (5 %) of the run, else "does not
pay". The verdict is on the process's CPU time (see :func:`verdicts`: the wall time of configurations sharing 2 cores
with each other and with other people's work measures the scheduler too); the wall-time verdict is reported beside.

Everything runs in a temporary copy of the project (``SNR_PROJECT_ROOT``); ``--jobs`` configurations run at once
(default 2, one per core: the situation of a 2-worker batch; keeps the whole under 5 minutes on 2 cores). JSON in
``outputs/bench/memo.json``. Usage: ``python bench/bench_memo.py [--synthetic 10] [--draws 10000] [--jobs 2]``.
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "outputs" / "bench"
#: The memos that pay for themselves (issue 19: the memo of draws, the Saltelli design and the device table did not and
#: were removed);
#: :func:`discover_memos` finds the ones there are now.
KNOWN_MEMOS = ("io.tables._TABLES", "model.services._RESOLVED")
#: disabling a memo must cost more than this share of the run for it to "pay"
PAYS_ABOVE = 0.05

#: One configuration in a fresh interpreter: argv = [disabled memos (JSON), slugs (JSON), out dir, draws].
RUN_CODE = """
import importlib, json, os, sys, time
from pathlib import Path
disabled, slugs, out, draws = json.loads(sys.argv[1]), json.loads(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
MEMOS = json.loads(sys.argv[5])
from helpers.io.memo import Memo
from helpers.run.study import compute_sections
import helpers.plan.actions, helpers.model.carbon, helpers.io.ingest, helpers.model.maturity, helpers.model.services, helpers.io.tables  # noqa
counts = {}
for name, (module, attribute) in MEMOS.items():
    memo = getattr(importlib.import_module(module), attribute)
    if not isinstance(memo, Memo):
        raise SystemExit(f"{module}.{attribute} is not a helpers.io.memo.Memo any more: update bench/bench_memo.py")
    if name in disabled:
        memo.get = lambda key: None
        memo.put = lambda key, value: value
    else:  # count hits and misses, and time each miss until its value is stored (the computation a hit saves)
        c = counts[name] = {"hits": 0, "misses": 0, "miss_compute_s": 0.0, "timed_misses": 0}
        pending = {}

        def counted(key, _get=memo.get, _c=c, _pending=pending):
            value = _get(key)
            if value is not None:
                _c["hits"] += 1
            else:
                _c["misses"] += 1
                _pending[key] = time.perf_counter()
            return value

        def timed(key, value, _put=memo.put, _c=c, _pending=pending):
            started = _pending.pop(key, None)
            if started is not None:
                _c["miss_compute_s"] += time.perf_counter() - started
                _c["timed_misses"] += 1
            return _put(key, value)

        memo.get, memo.put = counted, timed
per = {}
t0, c0 = time.perf_counter(), time.process_time()
for slug in slugs:
    t = time.perf_counter()
    compute_sections(slug, 20200101, draws, out / slug)
    per[slug] = time.perf_counter() - t
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
with open("/proc/self/status", encoding="ascii") as fh:
    hwm = next(int(line.split()[1]) / 1024 for line in fh if line.startswith("VmHWM:"))
print(json.dumps({"wall_s": wall, "cpu_s": cpu, "territory_s": per, "peak_rss_mb": hwm, "memo_gets": counts}))
"""


def discover_memos() -> dict[str, tuple[str, str]]:
    """Every process-wide memo of the package: ``"<module>.<attribute>" -> ("helpers.<module>", attribute)`` for each
    module-level :class:`helpers.io.memo.Memo` of a ``helpers`` module (an alias of the same instance in another module
    is listed once, under the first module in alphabetical order). Found, not listed by hand, so the benchmark
    follows the code when a memo moves or goes."""
    import importlib
    import pkgutil

    import helpers
    from helpers.io.memo import Memo

    found: dict[str, tuple[str, str]] = {}
    seen: set[int] = set()
    for info in sorted(pkgutil.walk_packages(helpers.__path__, prefix="helpers."), key=lambda i: i.name):
        name = info.name.removeprefix("helpers.")
        if info.ispkg or name.rsplit(".", 1)[-1] in ("memo", "browser", "cli"):
            continue
        module = importlib.import_module(info.name)
        for attribute, value in sorted(vars(module).items()):
            if isinstance(value, Memo) and id(value) not in seen:
                seen.add(id(value))
                found[f"{name}.{attribute}"] = (module.__name__, attribute)
    return found


def configurations(memos) -> list[tuple[str, list[str]]]:
    """(label, disabled memos) in run order: all, none, each alone, all again."""
    return ([("all", []), ("none", list(memos))] + [(f"without {name}", [name]) for name in memos]
            + [("all (repeat)", [])])


def lowest_cpu(repeats: list[dict]) -> dict:
    """The run of lowest CPU time among repeats of one configuration, with every repeat's times beside it."""
    best = dict(min(repeats, key=lambda r: r["cpu_s"]))
    best["repeats_cpu_s"] = [r["cpu_s"] for r in repeats]
    best["repeats_wall_s"] = [r["wall_s"] for r in repeats]
    return best


def verdicts(runs: dict, memos) -> dict:
    """Ratios to the run with all memos (the lower of its two runs) and a verdict per memo.

    The verdict is on the CPU time of the measuring process (user + system): on a shared 2-core machine, with two
    configurations at once and other people's processes, the wall time of one configuration measures the scheduler
    as much as the code (a run that had a core to itself looks faster), while the CPU time is what the memo saves.
    The verdict on the wall time is reported beside it, and the noise is the spread of the two runs with all memos.
    """
    base_runs = [runs[k] for k in ("all", "all (repeat)") if k in runs]
    base = min(r["wall_s"] for r in base_runs)
    base_cpu = min(r["cpu_s"] for r in base_runs)
    noise = (max(r["wall_s"] for r in base_runs) / base - 1) if len(base_runs) > 1 else None
    noise_cpu = (max(r["cpu_s"] for r in base_runs) / base_cpu - 1) if len(base_runs) > 1 else None
    for r in runs.values():
        r["ratio_to_all"] = r["wall_s"] / base
        r["cpu_ratio_to_all"] = r["cpu_s"] / base_cpu
    out = {}
    for name in memos:
        r = runs.get(f"without {name}")
        if r is None:
            continue
        cost = r["ratio_to_all"] - 1
        cpu_cost = r["cpu_ratio_to_all"] - 1
        gets = runs["all"].get("memo_gets", {}).get(name, {})
        per_miss = gets["miss_compute_s"] / gets["timed_misses"] if gets.get("timed_misses") else None
        saved = None if per_miss is None else gets.get("hits", 0) * per_miss
        out[name] = {"wall_s": r["wall_s"], "cpu_s": r["cpu_s"], "ratio_to_all": r["ratio_to_all"],
                     "cpu_ratio_to_all": r["cpu_ratio_to_all"], "cost_pct": 100 * cpu_cost,
                     "wall_cost_pct": 100 * cost, "peak_rss_mb": r["peak_rss_mb"],
                     "hits_with_all": gets.get("hits"), "misses_with_all": gets.get("misses"),
                     "compute_per_miss_ms": None if per_miss is None else 1000 * per_miss,
                     "estimated_saved_s": saved,
                     "estimated_saved_pct": None if saved is None else 100 * saved / base_cpu,
                     "verdict": "pays" if cpu_cost > PAYS_ABOVE else "does not pay",
                     "verdict_wall": "pays" if cost > PAYS_ABOVE else "does not pay",
                     "within_noise": None if noise_cpu is None else bool(abs(cpu_cost) <= noise_cpu)}
    return {"baseline_wall_s": base, "baseline_cpu_s": base_cpu,
            "noise_pct": None if noise is None else 100 * noise,
            "noise_cpu_pct": None if noise_cpu is None else 100 * noise_cpu, "memos": out,
            "notes": ("verdict: 'pays' when disabling the memo alone costs more than 5 % of the CPU time of the run "
                      "with all memos (the lower of two runs); cost_pct is that CPU cost, wall_cost_pct the same on "
                      "wall time, verdict_wall its verdict; within_noise: the cost is no larger than the spread of "
                      "the two runs with all memos. estimated_saved_s: a second opinion, less noisy: the hits of the "
                      "run with all memos times the mean time of a miss (from the lookup that missed to the store "
                      "of its value), as a share of the baseline CPU time; it leaves out what a hit itself costs "
                      "(a copy of a table) and the memory the memo holds.")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=10, help="synthetic territories after La Rochelle")
    parser.add_argument("--draws", type=int, default=10_000, help="Monte Carlo draws (the study's default)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic territories")
    parser.add_argument("--jobs", type=int, default=2, help="configurations run at once")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each configuration (the lower CPU time is kept; 1 keeps the whole < 5 min)")
    args = parser.parse_args(argv)
    from helpers.run import synth
    from helpers.run.pipeline import DETERMINISM_ENV

    OUT.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                 "load_average_at_start": list(os.getloadavg())},
                     "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "draws": args.draws, "jobs": args.jobs,
                     "repeat": args.repeat,
                     "pays_above_pct": 100 * PAYS_ABOVE}
    t_all = time.perf_counter()
    memos = discover_memos()
    results["memo_names"] = memos
    results["known_memos_not_found"] = [m for m in KNOWN_MEMOS if m not in memos]
    with tempfile.TemporaryDirectory(prefix="snr-bench-memo-") as tmp:
        root = Path(tmp)
        for sub in ("data/raw/reference", "data/raw/la-rochelle"):
            shutil.copytree(ROOT / sub, root / sub)
        (root / "data/processed").mkdir()
        (root / "outputs").mkdir()
        folders = synth.generate(args.synthetic, args.seed, out_dir=root / "data/raw",
                                 ratios_from=ROOT / "data/raw/la-rochelle") if args.synthetic else []
        slugs = ["la-rochelle"] + [f.name for f in folders]
        results["territories"] = slugs
        env = dict(os.environ, SNR_PROJECT_ROOT=str(root), **DETERMINISM_ENV)
        env.pop("MALLOC_TRIM_THRESHOLD_", None)  # as the batch workers (docs/architecture.md)

        def run(i: int, label: str, disabled: list[str]) -> tuple[str, dict]:
            cmd = [sys.executable, "-c", RUN_CODE, json.dumps(disabled), json.dumps(slugs),
                   str(root / "data/processed" / f"run-{i}"), str(args.draws), json.dumps(memos)]
            proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
            if proc.returncode != 0:
                raise RuntimeError(f"memo benchmark '{label}' failed:\n{proc.stderr[-4000:]}")
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            r["disabled"] = disabled
            print(f"  {label:<36}{r['wall_s']:>8.1f} s  (load {os.getloadavg()[0]:.2f})", flush=True)
            return label, r

        configs = configurations(memos)
        print(f"▶ {len(configs)} configurations × {len(slugs)} territories, {args.jobs} at once; memos: "
              + ", ".join(memos), flush=True)
        order = [c for _ in range(max(1, args.repeat)) for c in configs]
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = [pool.submit(run, i, label, disabled) for i, (label, disabled) in enumerate(order)]
            runs: dict = {}
            for f in futures:
                label, r = f.result()
                runs.setdefault(label, []).append(r)
    runs = {label: lowest_cpu(rs) for label, rs in runs.items()}
    results["runs"] = runs
    results.update(verdicts(runs, memos))
    results["machine"]["load_average_at_end"] = list(os.getloadavg())
    results["total_s"] = time.perf_counter() - t_all
    report(results)
    (OUT / "memo.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"\nResults: {(OUT / 'memo.json').relative_to(ROOT)}")
    return 0


def report(results: dict) -> None:
    base, base_cpu = results["baseline_wall_s"], results["baseline_cpu_s"]
    noise, noise_cpu = results["noise_pct"], results["noise_cpu_pct"]
    print(f"\nMemos — summary mode on {len(results['territories'])} territories in one process, {results['draws']} "
          f"draws, {results['jobs']} configurations at once; load {results['machine']['load_average_at_start'][0]:.2f}"
          f" → {results['machine']['load_average_at_end'][0]:.2f}")
    print(f"baseline = all memos: {base_cpu:.1f} s CPU, {base:.1f} s wall"
          + (f" (its two runs differ by {noise_cpu:.1f} % CPU, {noise:.1f} % wall)" if noise is not None else ""))
    print(f"  {'configuration':<36}{'CPU s':>8}{'CPU × all':>11}{'wall s':>8}{'wall × all':>12}{'peak MB':>9}")
    for label, r in results["runs"].items():
        print(f"  {label:<36}{r['cpu_s']:>8.1f}{r['cpu_ratio_to_all']:>11.2f}{r['wall_s']:>8.1f}"
              f"{r['ratio_to_all']:>12.2f}{r['peak_rss_mb']:>9.0f}")
    if results.get("known_memos_not_found"):
        print("  (memos of issue 19 not found in the package now: " + ", ".join(results["known_memos_not_found"])
              + ")")
    print(f"\n  {'memo':<28}{'hits':>7}{'misses':>7}{'ms/miss':>9}{'hits×miss':>11}{'CPU cost if off':>17}"
          f"{'wall':>8}  verdict (CPU > {results['pays_above_pct']:.0f} %)")
    for name, m in results["memos"].items():
        est = m.get("estimated_saved_pct")
        per = m.get("compute_per_miss_ms")
        print(f"  {name:<28}{m['hits_with_all'] or 0:>7}{m['misses_with_all'] or 0:>7}"
              f"{(per if per is not None else float('nan')):>9.1f}{(est if est is not None else float('nan')):>10.1f}%"
              f"{m['cost_pct']:>16.1f}%{m['wall_cost_pct']:>7.1f}%  {m['verdict']}"
              + ("  (within the noise)" if m["within_noise"] else ""))
    print("  (hits×miss: the hits times the mean time of a miss, as a share of the CPU time with all memos)")


if __name__ == "__main__":
    sys.exit(main())
