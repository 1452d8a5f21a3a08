"""Builders shared by the tests (moved from ``test_plan_criteria_costs_trajectory_and_peers``, issue 37: no test file imports another)."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from builders.one_laptop_plan import LAPTOP
from helpers.io.factors import load_hosting_kinds
from helpers.io.prices import load_unit_prices, price_dict
from helpers.io.services_inputs import load_presets
from helpers.plan import actions as ac
from helpers.run import actions_section as section

#: the reference unit prices (data/raw/reference/unit_prices.csv), item -> EUR excl. VAT
PRICES = price_dict(load_unit_prices())


WATER_M3 = 10.0  # hypothetical water factor of a laptop's manufacturing, m3 per unit (test value, not a source)


NOISE = 4.0  # a criterion of the test's own, with no unit in ``criteria_units``


def _models(criteria=("climate_change", "water", "noise")) -> ac.Models:
    """The laptop of ``test_plan_total_counts_selected_actions`` (climate change) plus a water factor of 10 m3 and a 'noise' factor of 4
    per unit manufactured; 200 draws."""
    rows = [(f"laptop:{p}:climate_change", "laptop", p, "climate_change", v, "kgCO2e/unit", "unit", v * 0.8, v * 1.25,
             "lognormal") for p, v in LAPTOP.items()]
    rows += [("laptop:manufacturing:water", "laptop", "manufacturing", "water", WATER_M3, "m3/unit", "unit", 8.0,
              12.5, "lognormal"),
             ("laptop:manufacturing:noise", "laptop", "manufacturing", "noise", NOISE, "u/unit", "unit", 3.0, 5.0,
              "lognormal")]
    factors = pd.DataFrame(rows, columns=["factor_id", "item", "phase", "criterion", "value", "unit",
                                          "activity_unit", "low", "high", "distribution"])
    categories = pd.DataFrame([{"category": "laptop", "label_fr": "Ordinateur portable", "tier": "terminals",
                                "factor_item": "laptop", "default_lifetime_years": 5.0, "lifetime_low_years": 3.0,
                                "lifetime_high_years": 8.0, "reconditioned_embodied_share": 0.3}])
    return ac.Models(categories=categories, factors=factors, hosting_kinds=load_hosting_kinds(), reference_year=2020,
                     criteria=criteria, n_draws=200, seed=20200101, prices=PRICES, presets=load_presets())


def _summary() -> dict:
    """R1 (selected reduction: 0.75 t on the balance, 0.25 t on the services), R2 (not selected) and V1 (selected,
    avoided): three catalogue actions, two selected."""
    row = {"start_year": 2025, "score": 0.5, "discount_rate": 0.032, "axes_list": [], "title_fr": "Action",
           "cost_eur_per_tco2e": np.nan, "lever": "lifetime_extension", "kind": "reduction", "basis": "reference"}
    row |= {f"{p}{b}_tco2e": 1.0 for p in ("balance_gain", "services_gain", "gain") for b in ("", "_low", "_high")}
    r1 = {**row, "action_id": "R1", "selected": True, "rank": 1.0, "rank_all": 1, "balance_gain_tco2e": 0.75,
          "services_gain_tco2e": 0.25, "services_gain_low_tco2e": 0.125, "services_gain_high_tco2e": 0.5}
    r2 = {**row, "action_id": "R2", "selected": False, "rank": np.nan, "rank_all": 2}
    v1 = {**row, "action_id": "V1", "selected": True, "rank": np.nan, "rank_all": 3, "lever": "fleet_stabilisation",
          "kind": "avoided", "basis": "bau_milestone"}
    ev = SimpleNamespace(plan_balance_draws=np.ones(10), plan_services_draws=np.zeros(10),
                         plan_central={"balance": 1.0, "services": 0.0, "total": 1.0})
    info = {"trajectory": {}, "indicators": [], "n_draws": 10, "seed": 1, "counterfactual": {"basis": "tendance"}}
    return section.ActionsStudy(plan=None, ranked=pd.DataFrame([r1, r2, v1]), evaluation=ev, roadmap=None,
                           trajectory=None, budget=None, indicators=None, axis_scores=None, info=info).summary()


def _refs(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["label_fr", "value", "unit", "applies_to", "scope", "source"])


def _data(**extra) -> dict:
    """Total 100 t, spend-based 20 t; per agent 500 kgCO2e in total [400–650], 400 on the physical scope
    [350–460]; 300 per workstation on the equipment scope with no interval."""
    return {"total_tco2e": {"value": 100.0, "low": 80.0, "high": 130.0}, "spend_based_tco2e": {"value": 20.0},
            "per_agent_kgco2e": {"value": 500.0, "low": 400.0, "high": 650.0},
            "per_agent_by_scope_kgco2e": {"total": {"value": 500.0, "low": 400.0, "high": 650.0},
                                          "physical": {"value": 400.0, "low": 350.0, "high": 460.0}},
            "per_workstation_by_scope_kgco2e": {"equipment": {"value": 300.0}},
            "per_workstation_kgco2e": {"value": 300.0}} | extra


