"""Builders shared by the tests (moved from ``test_carbon_hand_values``, issue 37: no test file imports another)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.model import carbon

CATEGORIES = pd.DataFrame(
    [("laptop", "Ordinateur portable", "terminals", "laptop", 5.0, 3.0, 8.0, 0.3),
     ("screen_small", "Écran", "terminals", "screen_small", 6.0, 4.0, 10.0, 0.3),
     ("smartphone", "Smartphone", "terminals", "smartphone", 2.5, 2.0, 5.0, 0.5),
     ("server", "Serveur", "datacentres", "server", 5.0, 5.0, 5.0, 0.3)],
    columns=["category", "label_fr", "tier", "factor_item", "default_lifetime_years", "lifetime_low_years",
             "lifetime_high_years", "reconditioned_embodied_share"])


KINDS = pd.DataFrame([("server_room", "Salle serveurs", 2.0, 1.5, 3.0, "electricity_fr")],
                     columns=["kind", "label_fr", "default_pue", "pue_low", "pue_high", "electricity_item"])


def factor(item: str, value: float, phase: str = "use", activity_unit: str = "kwh", low: float | None = None,
           high: float | None = None, distribution: str = "none", criterion: str = "climate_change") -> dict:
    return {"factor_id": f"{item}:{phase}:{criterion}", "item": item, "phase": phase, "criterion": criterion,
            "value": value, "low": value if low is None else low, "high": value if high is None else high,
            "distribution": distribution, "activity_unit": activity_unit, "unit": "kgCO2e/" + activity_unit,
            "source": "test", "vintage": "test", "status": "sourced", "note": ""}


def factors(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def inventory(*lines: dict) -> pd.DataFrame:
    """Clean inventory lines; each dict gives at least ``category`` and ``quantity``."""
    rows = []
    for i, line in enumerate(lines):
        cat = CATEGORIES.set_index("category").loc[line["category"]]
        row = {"line_id": f"L{i + 1}", "entity": "mairie", "tier": cat["tier"], "purchase_year": 2020,
               "age_years": 3.0, "lifetime_years": cat["default_lifetime_years"], "yearly_kwh": np.nan,
               "reconditioned": False, "quality": "high", "site": np.nan}
        row.update(line)
        rows.append(row)
    return pd.DataFrame(rows)


def activity(item: str, amount: float, phase: str = "use", quantity_param: str = "", category: str = "c",
             tier: str = "terminals") -> dict:
    return {"source": "fleet", "line_id": "L1", "entity": "mairie", "tier": tier, "category": category,
            "phase": phase, "item": item, "factor_phase": phase, "activity": amount,
            "quantity_param": quantity_param, "lifetime_param": "", "extra_param": ""}


def run(rows: list[dict], fac: pd.DataFrame, n_draws: int = 200_000, seed: int = 11) -> carbon.MonteCarloResult:
    acts = pd.DataFrame(rows, columns=carbon.ACTIVITY_COLUMNS)
    params = carbon.parameter_table(set(acts["quantity_param"]), CATEGORIES, KINDS)
    return carbon.monte_carlo(acts, fac, params, n_draws=n_draws, seed=seed)


BENCHMARKS = pd.DataFrame(
    [("Bilan publié : 680 t", 680.0, "tco2e_per_year", "here", "scope A", "src1"),
     ("Part de fabrication publiée", 0.5, "manufacturing_share", "here", "scope B", "src2"),
     ("Part de fabrication nationale", 0.78, "manufacturing_share", "all", "scope C", "src3"),
     ("Part des services", 0.4, "services_share", "all", "scope D", "src4"),
     ("Ailleurs", 1.0, "tco2e_per_year", "elsewhere", "scope E", "src5")],
    columns=["label_fr", "value", "unit", "applies_to", "scope", "source"])


#: a summary: total 100 t = physical 80 t + spend-based 20 t; equipment scope 75 t (paper 5 t); manufacturing 60 %
SUMMARY = {"total_tco2e": {"value": 100.0, "low": 80.0, "high": 130.0},
           "spend_based_tco2e": {"value": 20.0, "low": 7.0, "high": 60.0},
           "physical_tco2e": {"value": 80.0, "low": 70.0, "high": 90.0},
           "equipment_scope_tco2e": {"value": 75.0, "low": 66.0, "high": 85.0},
           "by_tier": {"terminals": 60.0, "paper": 5.0},
           "equipment_manufacturing_share": 0.6, "manufacturing_share": 0.6,
           "per_agent_kgco2e": {"value": 250.0, "low": 200.0, "high": 320.0},
           "per_workstation_kgco2e": {"value": 400.0, "low": 330.0, "high": 500.0}}


