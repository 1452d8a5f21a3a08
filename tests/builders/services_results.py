"""Builders shared by the tests (moved from ``test_services_sensitivity_and_result_tables``, issue 37: no test file imports another)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from builders.services_inputs import (
    DEVICES,
    VALUES,
    factor_table,
    fresh_memos,  # noqa: F401  (autouse: the services memos emptied around each test)
)
from helpers.model import services as sv


def hand_result(totals: list[float], draws: list[np.ndarray], units: list[float], criteria=("climate_change",),
                factors: pd.DataFrame | None = None) -> sv.LcaResult:
    """Two web services ``a`` and ``b`` whose whole impact is in the terminals' construction: central ``totals``
    (kg per unit), Monte Carlo ``draws`` of the total, ``units`` per year; the same figures for every criterion."""
    n = len(totals)
    ids = ["a", "b"][:n]
    resolved = pd.DataFrame({"service_id": ids, "name": [i.upper() for i in ids], "type": "website",
                             "functional_unit": "une visite", "units_per_year": units, "ecoindex_grade": None,
                             "data_gb_per_unit": 0.002, "pages_per_unit": 1.0})
    hosting = pd.DataFrame({"hosting": "ademe_streaming", "pue": 1.3, "electricity_item": "electricity_fr"},
                           index=range(n))
    tot = np.array(totals, dtype=float)[:, None]
    zero = np.zeros_like(tot)
    parts = {"terminals_build": tot, "terminals_use": zero, "network": zero, "datacentre_build": zero,
             "datacentre_use": zero, "terminals": tot, "datacentre": zero, "total": tot, "missing": [set()] * n}
    drawn = {"total": np.vstack(draws).astype(float)}
    factors = factor_table(VALUES) if factors is None else factors
    inputs = sv.ServiceInputs(resolved=resolved, devices=DEVICES, hosting=hosting, factors=factors,
                              criteria=tuple(criteria))
    return sv.LcaResult(inputs=inputs, central={c: parts for c in criteria}, draws={c: drawn for c in criteria},
                        n_draws=len(draws[0]), seed=1)


#: service a: draws 0, 1, …, 100 kg (2.5th percentile 2.5, 97.5th 97.5), 10 units a year;
#: service b: draws 1000, …, 1100 kg (1002.5 and 1097.5), 1 unit a year
TWO = dict(totals=[50.0, 1050.0], draws=[np.arange(101.0), 1000.0 + np.arange(101.0)], units=[10.0, 1.0])


#: 0.002 GB of 1024³ bytes = 0.002147483648 GB of 10⁹ bytes
GB_DEC = 0.002 * 1024.0**3 / 1e9


