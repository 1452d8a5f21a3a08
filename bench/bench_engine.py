"""Benchmark of the carbon engine, printed as ratios against a baseline measured in the same run.

- The engine (``helpers.model.carbon``: numeric coefficients of every line, central value of every line and phase,
  aggregation of the lines by entity × category × quality × site, phase rows, Monte Carlo aggregated by factor with
  sensitivity ranking, 95 % interval) on 1,000 / 10,000 / 100,000 / 1,000,000 synthetic inventory lines with 10,000 draws, each size in its
  own subprocess: wall time (``time.perf_counter`` around the engine call, input generation excluded, median of 3
  runs) and peak memory
  (``resource.getrusage`` peak RSS of the subprocess, and ``tracemalloc`` peak of the engine call in a second run).
- A per-device loop calling boaviztapi 2.5.0 on 10,000 devices (one ``compute_impacts`` per device) in the separate
  AGPL environment ``.venv-boavizta`` (created by ``tools/boavizta_crosscheck.py`` if missing), for the ratio per
  device.

Baseline = the engine on 1,000 lines. Targets (issue): 1,000,000 lines × 10,000 draws in under 2 s and under 2 GB;
at least 1,000× faster per device than the boaviztapi loop. Results: ``outputs/bench/engine.json``.

Usage: ``python bench/bench_engine.py`` (all), ``--sizes 1000,10000``, ``--draws 10000``, ``--no-boavizta``;
``--one N`` is the subprocess mode.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "outputs" / "bench"
SIZES = (1_000, 10_000, 100_000, 1_000_000)
SEED = 20200101
REPEATS = 3


def synthetic_inventory(n: int, categories, seed: int = SEED):
    """``n`` clean inventory lines: every category, 4 entities, 2 server rooms, mixed quality and ages."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    cats = categories.reset_index(drop=True)
    ci = rng.integers(0, len(cats), n)
    c = cats.iloc[ci].reset_index(drop=True)
    kwh = c["default_yearly_kwh"].to_numpy(dtype=float)
    computed = (c["default_power_w"] * c["default_hours_per_day"] * c["default_days_per_year"] / 1000).to_numpy()
    kwh = np.where(np.isfinite(kwh), kwh, computed)
    hosted = c["tier"].isin(["datacentres"]).to_numpy() | (c["category"].eq("switch").to_numpy() & (rng.random(n) < .5))
    site = np.where(hosted, np.where(rng.random(n) < 0.5, "sr-a", "sr-b"), None)
    year = 2023 - rng.integers(0, 8, n)
    return pd.DataFrame({
        "line_id": np.char.add("L", np.arange(n).astype(str)), "entity": rng.choice(["a", "b", "c", "d"], n),
        "category": c["category"].to_numpy(), "tier": c["tier"].to_numpy(), "factor_item": c["factor_item"].to_numpy(),
        "quantity": rng.integers(1, 50, n).astype(float), "purchase_year": year.astype(float),
        "age_years": (2023 - year).astype(float), "lifetime_years": c["default_lifetime_years"].to_numpy(dtype=float),
        "yearly_kwh": kwh * rng.uniform(0.7, 1.3, n), "reconditioned": rng.random(n) < 0.1,
        "quality": rng.choice(["high", "medium", "low"], n, p=[0.3, 0.5, 0.2]), "site": site,
    })


def one(n: int, n_draws: int, criteria: list[str], trace: bool) -> dict:
    """Subprocess mode: run the engine once on ``n`` lines and report time and memory."""
    import numpy as np
    import pandas as pd

    from helpers.io import factors as F
    from helpers.model import carbon

    fac = F.load_factors()
    cats = F.load_categories()
    kinds = F.load_hosting_kinds()
    sites = carbon.resolve_sites(pd.DataFrame({"site_id": ["sr-a", "sr-b"], "entity": ["a", "b"],
                                               "kind": ["server_room", "colocation"], "pue": [np.nan, 1.6]}), kinds)
    inv = synthetic_inventory(n, cats)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        import tracemalloc

        tracemalloc.start()
    def engine():
        lines = carbon.fleet_lines(inv, cats, sites)  # numeric coefficients of every line
        central = {c: carbon.fleet_line_impacts(lines, fac, c, sites) for c in criteria}  # every line × phase
        acts = carbon.fleet_rows(carbon.aggregate_fleet(lines), sites)  # aggregate first, then phase rows
        ids = set()
        for col in ("quantity_param", "lifetime_param", "extra_param"):
            ids |= set(pd.unique(acts[col]))
        params = carbon.parameter_table(ids, cats, kinds)
        mc = carbon.monte_carlo(acts, fac, params, criteria, n_draws, SEED)
        return central, acts, mc, carbon.interval(mc.totals["climate_change"], mc.central["climate_change"], 1e-3)

    times = []
    for _ in range(1 if trace else REPEATS):  # median of REPEATS runs (1 under tracemalloc)
        t0 = time.perf_counter()
        central, acts, mc, headline = engine()
        times.append(time.perf_counter() - t0)
    seconds = float(np.median(times))
    out = {"lines": n, "devices": float(inv["quantity"].sum()), "draws": n_draws, "criteria": criteria, "activity_rows": len(acts), "groups": mc.n_groups,
           "seconds": seconds, "runs_s": times, "total_tco2e": headline,
           "central_matches_lines": bool(np.isclose(np.nansum(central["climate_change"].to_numpy()),
                                                    mc.central["climate_change"]))}
    if trace:
        out["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    else:
        out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out["rss_before_engine_mb"] = rss_before / 1024
    # like-for-like with a deterministic per-device calculator: central values only, no Monte Carlo
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        carbon.fleet_line_impacts(carbon.fleet_lines(inv, cats, sites), fac, "climate_change", sites)
        times.append(time.perf_counter() - t0)
    out["central_only_seconds"] = float(np.median(times))
    return out


def run_size(n: int, n_draws: int, criteria: list[str]) -> dict:
    def call(extra):
        proc = subprocess.run([sys.executable, __file__, "--one", str(n), "--draws", str(n_draws),
                               "--criteria", ",".join(criteria), *extra], capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr[-3000:])
        return json.loads(proc.stdout.strip().splitlines()[-1])

    res = call([])
    res["tracemalloc_peak_mb"] = call(["--trace"])["tracemalloc_peak_mb"]
    return res


def boavizta_loop(n_devices: int = 10_000) -> dict | None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import boavizta_crosscheck as bc

        return bc.run_worker("bench", str(n_devices), "gwp")
    except Exception as exc:  # no network to create the environment, etc.: reported, not fatal
        print(f"boaviztapi loop not measured: {type(exc).__name__}: {str(exc)[:300]}")
        return None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--one", type=int)
    ap.add_argument("--trace", action="store_true")
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--criteria", default="climate_change")
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)))
    ap.add_argument("--no-boavizta", action="store_true")
    args = ap.parse_args(argv)
    criteria = args.criteria.split(",")
    if args.one:
        print(json.dumps(one(args.one, args.draws, criteria, args.trace)))
        return 0

    sizes = [int(s) for s in args.sizes.split(",")]
    results = [run_size(n, args.draws, criteria) for n in sizes]
    from helpers.io.factors import CRITERIA

    all_criteria = run_size(max(sizes), args.draws, list(CRITERIA))
    base = results[0]
    print(f"Carbon engine, {args.draws:,} Monte Carlo draws, criterion {criteria}; baseline = {base['lines']:,} lines "
          f"({base['seconds']:.3f} s)")
    print(f"  {'lines':>10}{'rows':>11}{'groups':>8}{'seconds':>9}{'× base':>8}{'µs/line':>9}{'peak RSS MB':>13}"
          f"{'engine MB':>11}")
    for r in results:
        print(f"  {r['lines']:>10,}{r['activity_rows']:>11,}{r['groups']:>8}{r['seconds']:>9.3f}"
              f"{r['seconds'] / base['seconds']:>8.1f}{1e6 * r['seconds'] / r['lines']:>9.2f}{r['peak_rss_mb']:>13.0f}"
              f"{r['tracemalloc_peak_mb']:>11.0f}")
    a = all_criteria
    print(f"  all {len(CRITERIA)} criteria at {a['lines']:,} lines: {a['seconds']:.3f} s "
          f"({a['seconds'] / base['seconds']:.1f} × base), peak RSS {a['peak_rss_mb']:.0f} MB")
    big = results[-1]
    target = {"lines": big["lines"], "seconds": big["seconds"], "under_2_s": big["seconds"] < 2.0,
              "peak_rss_mb": big["peak_rss_mb"], "under_2_gb": big["peak_rss_mb"] < 2048}
    print(f"Target 1,000,000 lines × 10,000 draws < 2 s and < 2 GB: {big['seconds']:.2f} s, "
          f"{big['peak_rss_mb']:.0f} MB peak RSS → {'met' if target['under_2_s'] and target['under_2_gb'] else 'NOT met'}")

    bz = None if args.no_boavizta else boavizta_loop()
    per_device = None
    if bz:
        engine_per_line = big["seconds"] / big["lines"]
        central_per_line = big["central_only_seconds"] / big["lines"]
        per_device = {"boaviztapi_per_device_s": bz["per_device_s"], "engine_per_line_s": engine_per_line,
                      "engine_central_only_per_line_s": central_per_line,
                      "ratio_with_monte_carlo": bz["per_device_s"] / engine_per_line,
                      "ratio_central_only": bz["per_device_s"] / central_per_line,
                      "engine_per_device_in_inventory_s": big["seconds"] / big["devices"],
                      "ratio_per_device_in_inventory": bz["per_device_s"] / (big["seconds"] / big["devices"])}
        print(f"\nboaviztapi per-device loop: {bz['n_devices']:,} devices in {bz['seconds']:.2f} s "
              f"= {1e3 * bz['per_device_s']:.3f} ms per device (1 criterion, no uncertainty draws)")
        print(f"engine at {big['lines']:,} lines: {1e6 * engine_per_line:.2f} µs per line with {args.draws:,} draws "
              f"→ {per_device['ratio_with_monte_carlo']:,.0f}× faster per device; central values only: "
              f"{1e6 * central_per_line:.2f} µs → {per_device['ratio_central_only']:,.0f}× "
              f"(target ≥ 1,000×)")
        print(f"one line = one device above; in the synthetic inventory a line holds {big['devices'] / big['lines']:.1f} "
              f"devices on average: {per_device['ratio_per_device_in_inventory']:,.0f}× per device with Monte Carlo")
    OUT.mkdir(parents=True, exist_ok=True)
    payload = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                           "processor": platform.processor()},
               "baseline": {"lines": base["lines"], "seconds": base["seconds"]},
               "sizes": [{**r, "ratio_to_baseline": r["seconds"] / base["seconds"]} for r in results],
               "all_criteria": a, "target_1m": target, "boaviztapi": bz, "per_device": per_device}
    (OUT / "engine.json").write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")
    print(f"Written: {(OUT / 'engine.json').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
