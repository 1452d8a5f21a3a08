"""Builders shared by the tests (moved from ``test_carbon_intervals_and_percentiles``, issue 37: no test file imports another)."""
from __future__ import annotations

import pandas as pd

from helpers.model import carbon

KINDS = pd.DataFrame([("server_room", "Salle serveurs", 2.0, 1.5, 3.0, "electricity_fr")],
                     columns=["kind", "label_fr", "default_pue", "pue_low", "pue_high", "electricity_item"])


NO_CATEGORIES = pd.DataFrame({"category": pd.Series([], dtype=str)})


def factor(item: str, value: float, low: float, high: float, distribution: str, phase: str = "use",
           activity_unit: str = "kwh") -> dict:
    return {"factor_id": f"{item}:{phase}:climate_change", "item": item, "phase": phase,
            "criterion": "climate_change", "value": value, "low": low, "high": high, "distribution": distribution,
            "activity_unit": activity_unit, "unit": "kgCO2e/" + activity_unit, "source": "test", "vintage": "test",
            "status": "sourced", "note": ""}


def activity_row(item: str, activity: float, quantity_param: str = "", category: str = "c", phase: str = "use"
                 ) -> dict:
    return {"source": "fleet", "line_id": "L1", "entity": "ville", "tier": "terminals", "category": category,
            "phase": phase, "item": item, "factor_phase": phase, "activity": activity,
            "quantity_param": quantity_param, "lifetime_param": "", "extra_param": ""}


def _two_criteria_result() -> carbon.MonteCarloResult:
    """100 kWh (use) and 2 units (manufacturing): climate factors 0.05 kg/kWh and 10 kg/unit, water 0.01 m³/kWh
    only (no water factor for the unit's manufacturing)."""
    factors = [factor("e", 0.05, 0.05, 0.05, "none"),
               factor("m", 10.0, 10.0, 10.0, "none", phase="manufacturing", activity_unit="unit"),
               {**factor("e", 0.01, 0.01, 0.01, "none"), "criterion": "water",
                "factor_id": "e:use:water", "unit": "m3/kwh"}]
    rows = [activity_row("e", 100.0), {**activity_row("m", 2.0, phase="manufacturing"), "line_id": "L2"}]
    acts = pd.DataFrame(rows, columns=carbon.ACTIVITY_COLUMNS)
    params = carbon.parameter_table(set(), NO_CATEGORIES, KINDS)
    return carbon.monte_carlo(acts, pd.DataFrame(factors), params, criteria=("climate_change", "water"),
                              n_draws=20, seed=3)


