"""Builders shared by the tests (moved from ``test_plan_total_counts_selected_actions``, issue 37: no test file imports another)."""
from __future__ import annotations

import pandas as pd

from helpers.io.factors import load_hosting_kinds
from helpers.io.prices import load_unit_prices, price_dict
from helpers.io.services_inputs import load_presets
from helpers.plan import actions as ac

#: the reference unit prices (data/raw/reference/unit_prices.csv), item -> EUR excl. VAT
PRICES = price_dict(load_unit_prices())


LAPTOP = {"manufacturing": 170.0, "distribution": 12.3, "end_of_life": 2.79}


def models(seed: int = 20200101, n_draws: int = 500) -> ac.Models:
    factors = pd.DataFrame([(f"laptop:{p}:climate_change", "laptop", p, "climate_change", v, "kgCO2e/unit", "unit",
                             v * 0.8, v * 1.25, "lognormal") for p, v in LAPTOP.items()],
                           columns=["factor_id", "item", "phase", "criterion", "value", "unit", "activity_unit",
                                    "low", "high", "distribution"])
    categories = pd.DataFrame([{"category": "laptop", "label_fr": "Ordinateur portable", "tier": "terminals",
                                "factor_item": "laptop", "default_lifetime_years": 5.0, "lifetime_low_years": 3.0,
                                "lifetime_high_years": 8.0, "reconditioned_embodied_share": 0.3}])
    return ac.Models(categories=categories, factors=factors, hosting_kinds=load_hosting_kinds(), reference_year=2020,
                     criteria=("climate_change",), n_draws=n_draws, seed=seed, prices=PRICES, presets=load_presets())


