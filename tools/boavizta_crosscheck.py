"""Cross-check the carbon engine against boaviztapi 2.5.0 on the archetypes both cover.

One command (``make crosscheck`` or ``python tools/boavizta_crosscheck.py``):

1. creates ``.venv-boavizta/`` (once) with ``pip install -r tools/boavizta-requirements.txt`` (``boaviztapi==2.5.0``).
   boaviztapi is AGPL-3.0 and pins ``pandas<3``: it lives in its own environment and is never imported by the
   project's runtime code; this file only *calls* it in a subprocess (``--worker``), offline, as a reference;
2. computes, in that environment, one year (8,760 h) of embedded and use climate impact of each archetype
   (laptop-pro, desktop-pro, monitor-default, smartphone-default, tablet-default, server platform_compute_medium),
   in France, with boaviztapi's own FRA electricity factor (0.098 kgCO2e/kWh) and with ours;
3. computes the same device with our engine (``helpers.model.carbon``), once with our defaults (``categories.csv``
   lifetime and kWh) and once with boaviztapi's lifetime and kWh, so that the remaining gap is the embedded factor;
4. writes ``outputs/crosscheck/boavizta.csv`` and prints the differences with their explanation.

The worker mode (``--worker crosscheck`` / ``--worker bench N``) runs inside ``.venv-boavizta`` and prints JSON; it
imports only boaviztapi and the standard library.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv-boavizta"
REQUIREMENTS = ROOT / "tools" / "boavizta-requirements.txt"
OUT = ROOT / "outputs" / "crosscheck"
HOURS_PER_YEAR = 8760.0

#: boaviztapi archetype -> (device class, our category)
ARCHETYPES = {
    "laptop-pro": ("Laptop", "laptop"),
    "desktop-pro": ("Desktop", "desktop"),
    "monitor-default": ("Monitor", "screen_small"),
    "smartphone-default": ("Smartphone", "smartphone"),
    "tablet-default": ("Tablet", "tablet"),
    "platform_compute_medium": ("Server", "server"),
}


# ------------------------------------------------------------------------------------------------ environment

def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv(quiet: bool = False) -> Path:
    """Create ``.venv-boavizta`` with boaviztapi 2.5.0 if it is not there yet; return its interpreter."""
    py = venv_python()
    ok = py.exists() and subprocess.run([str(py), "-c", "import boaviztapi"], capture_output=True).returncode == 0
    if ok:
        return py
    if not quiet:
        print(f"Creating {VENV.name}/ with boaviztapi 2.5.0 (AGPL-3.0, separate from the project's environment)…")
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", str(REQUIREMENTS)],
                   check=True)
    return py


def run_worker(*args: str) -> dict:
    """Run this file in ``.venv-boavizta`` with ``--worker *args`` and return its JSON output."""
    py = ensure_venv()
    proc = subprocess.run([str(py), str(Path(__file__).resolve()), "--worker", *args], capture_output=True,
                          text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"boaviztapi worker failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------------------ worker side

def _device(cls_name: str, archetype: str, elec_gwp: float | None):
    from boaviztapi.data.archetype import get_server_archetype, get_user_terminal_archetype
    from boaviztapi.dto.device import user_terminal as ut
    from boaviztapi.dto.device.device import Server, mapper_server
    from boaviztapi.dto.usage import Usage, UsageServer
    from boaviztapi.dto.usage.usage import ElecFactors

    factors = ElecFactors(gwp=elec_gwp) if elec_gwp is not None else ElecFactors()
    if cls_name == "Server":
        usage = UsageServer(usage_location="FRA", elec_factors=factors)
        return mapper_server(Server(usage=usage), archetype=get_server_archetype(archetype))
    usage = Usage(usage_location="FRA", elec_factors=factors)
    return ut.mapper_user_terminal(getattr(ut, cls_name)(usage=usage), archetype=get_user_terminal_archetype(archetype))


def worker_crosscheck(elec_gwp: float) -> dict:
    """One year of each archetype in France: embedded and use gwp, with FRA's factor and with ``elec_gwp``."""
    import boaviztapi
    from boaviztapi.compute.impacts_computation import compute_impacts

    out = {"boaviztapi_version": getattr(boaviztapi, "__version__", "2.5.0"), "devices": {}}
    for archetype, (cls_name, _cat) in ARCHETYPES.items():
        row = {}
        for label, factor in (("fra", None), ("ours", elec_gwp)):
            dev = _device(cls_name, archetype, factor)
            compute_impacts(model=dev, selected_criteria=["gwp"], duration=HOURS_PER_YEAR)
            imp = dev.impacts["gwp"]
            row[f"embedded_{label}"] = float(imp["embedded"].value)
            row[f"use_{label}"] = float(imp["use"].value)
            row["hours_life_time"] = float(dev.usage.hours_life_time.value)
        dev = _device(cls_name, archetype, None)
        row["fra_factor"] = float(dev.usage.elec_factors["gwp"].value)
        row["embedded_total"] = row["embedded_fra"] * row["hours_life_time"] / HOURS_PER_YEAR
        row["yearly_kwh"] = row["use_ours"] / elec_gwp
        out["devices"][archetype] = row
    return out


def worker_bench(n_devices: int, criteria: list[str]) -> dict:
    """Per-device loop: one ``compute_impacts`` call per device, fleet mix of peer-tools.md §1 (40 % laptops,
    15 % desktops, 30 % monitors, 13 % smartphones, 2 % servers)."""
    import random

    from boaviztapi.compute.impacts_computation import compute_impacts

    rng = random.Random(20200101)
    mix = [("Laptop", "laptop-pro")] * 40 + [("Desktop", "desktop-pro")] * 15 + [("Monitor", "monitor-default")] * 30 \
        + [("Smartphone", "smartphone-default")] * 13 + [("Server", "platform_compute_medium")] * 2
    devices = [mix[rng.randrange(len(mix))] for _ in range(n_devices)]
    _device("Laptop", "laptop-pro", None)  # warm the imports and the data files
    t0 = time.perf_counter()
    total = 0.0
    for cls_name, archetype in devices:  # the per-device loop being measured
        dev = _device(cls_name, archetype, None)
        compute_impacts(model=dev, selected_criteria=criteria, duration=HOURS_PER_YEAR)
        total += dev.impacts["gwp"]["embedded"].value + dev.impacts["gwp"]["use"].value
    seconds = time.perf_counter() - t0
    return {"n_devices": n_devices, "criteria": criteria, "seconds": seconds, "per_device_s": seconds / n_devices,
            "total_gwp_kg": total}


# ------------------------------------------------------------------------------------------------ our side

EXPLANATIONS = {
    "laptop-pro": "boaviztapi: NegaOctet 'laptop pro' 181 kg (embedded without our split into distribution and end "
                  "of life), lifetime 4 years and 75 W × 30 % of the time (197 kWh/yr); ours: ADEME 170 + 12.3 + "
                  "2.79 kg over 5 years, 48 kWh/yr (MiNumEco).",
    "desktop-pro": "boaviztapi: 277 kg over 6 years, 175 W × 30 % (460 kWh/yr); ours: ADEME 'fixe pro' 203 + 1.85 + "
                   "6.61 kg over 6 years and 151 kWh/yr (MiNumEco). Power assumptions differ most.",
    "monitor-default": "Same ADEME/NegaOctet screen (64.7 kg), boaviztapi adds no distribution/end of life and uses "
                       "6.6 years and 55 W × 30 % (145 kWh/yr); ours 6 years and 36 kWh/yr (24-inch TEC).",
    "smartphone-default": "boaviztapi 84 kg (NegaOctet smartphone) vs ADEME 77 + 2.27 + 0.25 kg; both 2.5 years; "
                          "use 1 W × 30 % vs ADEME 4.5 W × 3 h/day.",
    "tablet-default": "boaviztapi 75.9 kg over 3 years, 7.5 W × 30 %; ours ADEME tablet 80.5 + 3.43 + 0.36 kg over "
                      "3 years, 20 W × 2.5 h × 220 days.",
    "platform_compute_medium": "boaviztapi: bottom-up components (CPU, RAM, SSD, PSU…) and a CPU load curve, no end "
                               "of life; ours: ADEME data-centre model 748 kg per server (manufacturing only), "
                               "367 W around the clock (Borderstep) — a generic server, not this configuration.",
}


def our_side(bz: dict) -> list[dict]:
    """Our engine on one device of each matching category, with our defaults and with boaviztapi's lifetime/kWh."""
    sys.path.insert(0, str(ROOT / "src"))
    import numpy as np
    import pandas as pd

    from helpers.io import factors as F
    from helpers.model import carbon

    fac = F.load_factors()
    cats = F.load_categories().set_index("category")
    elec = F.get_value(fac, "electricity_fr", "use", "climate_change")
    rows = []
    for archetype, (_cls, cat) in ARCHETYPES.items():
        b = bz["devices"][archetype]
        c = cats.loc[cat]
        default_kwh = c["default_yearly_kwh"]
        if not np.isfinite(default_kwh):
            default_kwh = c["default_power_w"] * c["default_hours_per_day"] * c["default_days_per_year"] / 1000
        variants = {"ours": (float(c["default_lifetime_years"]), float(default_kwh)),
                    "ours_bz_lifetime_kwh": (b["hours_life_time"] / HOURS_PER_YEAR, b["yearly_kwh"])}
        res = {}
        for name, (lifetime, kwh) in variants.items():
            inv = pd.DataFrame({"line_id": ["x"], "entity": ["e"], "category": [cat], "tier": [c["tier"]],
                                "factor_item": [c["factor_item"]], "quantity": [1.0], "purchase_year": [2020],
                                "lifetime_years": [lifetime], "yearly_kwh": [kwh], "reconditioned": [False],
                                "quality": ["high"], "site": [np.nan]})
            acts = carbon.fleet_activities(inv, cats.reset_index())
            imp = carbon.activity_impacts(acts, fac, ["climate_change"])["climate_change"]
            res[name] = (float(np.nansum(imp[acts["phase"] != "use"])), float(np.nansum(imp[acts["phase"] == "use"])),
                         lifetime, kwh)
        rows.append({
            "archetype": archetype, "category": cat,
            "bz_lifetime_years": b["hours_life_time"] / HOURS_PER_YEAR, "our_lifetime_years": res["ours"][2],
            "bz_yearly_kwh": b["yearly_kwh"], "our_yearly_kwh": res["ours"][3],
            "bz_embedded_total_kgco2e": b["embedded_total"],
            "our_embedded_total_kgco2e": res["ours"][0] * res["ours"][2],
            "bz_embedded_kgco2e_per_year": b["embedded_fra"], "our_embedded_kgco2e_per_year": res["ours"][0],
            "our_embedded_same_lifetime_kgco2e_per_year": res["ours_bz_lifetime_kwh"][0],
            "bz_use_fra_0098_kgco2e_per_year": b["use_fra"], "bz_use_our_factor_kgco2e_per_year": b["use_ours"],
            "our_use_kgco2e_per_year": res["ours"][1],
            "our_use_same_kwh_kgco2e_per_year": res["ours_bz_lifetime_kwh"][1],
            "bz_fra_factor_kgco2e_per_kwh": b["fra_factor"], "our_factor_kgco2e_per_kwh": elec,
            "explanation": EXPLANATIONS[archetype],
        })
    return rows


def main(argv: list[str]) -> int:
    if argv[:1] == ["--worker"]:
        if argv[1] == "crosscheck":
            print(json.dumps(worker_crosscheck(float(argv[2]))))
        elif argv[1] == "bench":
            print(json.dumps(worker_bench(int(argv[2]), argv[3].split(",") if len(argv) > 3 else ["gwp"])))
        return 0
    sys.path.insert(0, str(ROOT / "src"))
    import pandas as pd

    from helpers.io import factors as F

    elec = F.get_value(F.load_factors(), "electricity_fr", "use", "climate_change")
    bz = run_worker("crosscheck", repr(elec))
    df = pd.DataFrame(our_side(bz))
    df["embedded_gap_same_lifetime"] = df["our_embedded_same_lifetime_kgco2e_per_year"] / \
        df["bz_embedded_kgco2e_per_year"] - 1
    df["use_formula_gap_same_kwh"] = df["our_use_same_kwh_kgco2e_per_year"] / \
        df["bz_use_our_factor_kgco2e_per_year"] - 1
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "boavizta.csv"
    df.to_csv(path, index=False, float_format="%.6g", lineterminator="\n")
    print(f"boaviztapi {bz['boaviztapi_version']} vs helpers.model.carbon, one device for one year (kgCO2e/year), France")
    print(f"electricity: boaviztapi FRA {df['bz_fra_factor_kgco2e_per_kwh'].iat[0]:.4g} kg/kWh (2019 LCA paper), "
          f"ours {elec:.4g} kg/kWh (Base Empreinte 2025)\n")
    head = (f"{'archetype':<24}{'life bz/us':>11}{'kWh bz/us':>13}{'emb bz':>9}{'emb us':>9}{'emb us@bz':>10}"
            f"{'gap':>7}{'use bz.098':>11}{'use bz@us':>10}{'use us':>8}{'use us@bz':>10}")
    print(head)
    for r in df.itertuples(index=False):
        print(f"{r.archetype:<24}{r.bz_lifetime_years:>5.1f}/{r.our_lifetime_years:<5.1f}"
              f"{r.bz_yearly_kwh:>7.0f}/{r.our_yearly_kwh:<5.0f}{r.bz_embedded_kgco2e_per_year:>9.1f}"
              f"{r.our_embedded_kgco2e_per_year:>9.1f}{r.our_embedded_same_lifetime_kgco2e_per_year:>10.1f}"
              f"{100 * r.embedded_gap_same_lifetime:>6.0f}%{r.bz_use_fra_0098_kgco2e_per_year:>11.2f}"
              f"{r.bz_use_our_factor_kgco2e_per_year:>10.2f}{r.our_use_kgco2e_per_year:>8.2f}"
              f"{r.our_use_same_kwh_kgco2e_per_year:>10.2f}")
    print("\nemb us@bz / use us@bz: our engine with boaviztapi's lifetime and yearly kWh; 'gap' is then only the "
          "embedded factor.\nWith the same kWh and electricity factor the use phase agrees to "
          f"{100 * df['use_formula_gap_same_kwh'].abs().max():.2g} % (same formula).\n")
    for r in df.itertuples(index=False):
        print(f"- {r.archetype}: {r.explanation}")
    print(f"\nWritten: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
