"""Builders shared by the tests (moved from ``test_lever_transforms``, issue 37: no test file imports another)."""
from __future__ import annotations

import pandas as pd


def laptops(n=100.0, kwh=48.0) -> pd.DataFrame:
    return pd.DataFrame({"line_id": ["L1"], "entity": ["ville"], "category": ["laptop"], "tier": ["terminals"],
                         "factor_item": ["laptop"], "quantity": [n], "purchase_year": [2020.0],
                         "age_years": [0.0], "lifetime_years": [5.0], "power_w": [26.5], "hours_per_day": [7.0],
                         "days_per_year": [220.0], "yearly_kwh": [kwh], "reconditioned": [False],
                         "quality": ["high"], "site": [None]})


