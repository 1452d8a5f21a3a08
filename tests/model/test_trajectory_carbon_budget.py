"""Trajectory: exact carbon budget, overshoot and budget-exhaustion year of each pathway (issue 22).

Reference year 2020, target year 2050, reference footprint 100 tCO2e/year, target share 1/6 (SNBC, documented in
``helpers.model.trajectory``). The target pathway is linear: ``100 × (1 − (5/6) × k/30)`` for k = 0 … 30, so the budget
is ``Σ = 31 × 100 − 100 × (5/6)/30 × Σk = 3100 − (50/18) × 465 = 1808.333… tCO2e``.
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers.model import trajectory as tj

YEARS = np.arange(2020, 2051)
BUDGET = 3100 - 100 * (5 / 6) / 30 * 465  # 1808.333…


def target() -> np.ndarray:
    return tj.target_pathway(YEARS, 2020, 2050, 100.0)


def test_target_pathway_and_its_budget_by_hand():
    t = target()
    assert t[[0, 15, 30]] == pytest.approx([100.0, 100 * (1 - 5 / 12), 100 / 6], rel=1e-12)
    assert tj.carbon_budget(YEARS, t, 2020, 2050) == pytest.approx(BUDGET, rel=1e-12)


def test_budget_exhaustion_year_of_each_pathway():
    """Cumulative sums against 1808.33: a flat 100/year passes it in its 19th year (1900 > 1808.33 > 1800): 2038;
    a flat 60/year in its 31st (1860 > 1808.33 > 1800): 2050; a flat 50/year never (1550); the target pathway ends
    exactly on its own budget, so never either — although its running float sum ends 2.3e-13 above the budget's
    (the reason for the relative tolerance of ``first_year_over``)."""
    t = target()
    assert np.cumsum(t)[-1] > tj.carbon_budget(YEARS, t, 2020, 2050)  # the float situation the tolerance is for
    paths = {"bau": np.full(31, 100.0), "slow": np.full(31, 60.0), "plan": np.full(31, 50.0), "target": t}
    table = tj.budget_table(YEARS, paths, BUDGET, 2020, 2050).set_index("scenario")
    years = table["budget_exhausted_year"].to_dict()
    assert years["bau"] == 2038 and years["slow"] == 2050
    assert years["plan"] is None or np.isnan(years["plan"])
    assert years["target"] is None or np.isnan(years["target"])


def test_overshoot_and_margin_by_hand():
    """bau: 3100 − 1808.33 = 1291.67 tCO2e over, 71.43 % of the budget; plan: 1550 − 1808.33 = −258.33 (a margin)."""
    paths = {"bau": np.full(31, 100.0), "plan": np.full(31, 50.0)}
    table = tj.budget_table(YEARS, paths, BUDGET, 2020, 2050).set_index("scenario")
    assert table.loc["bau", "cumulative_tco2e"] == pytest.approx(3100.0)
    assert table.loc["bau", "overshoot_tco2e"] == pytest.approx(3100 - BUDGET)
    assert table.loc["bau", "overshoot_pct"] == pytest.approx((3100 - BUDGET) / BUDGET * 100)
    assert table.loc["plan", "overshoot_tco2e"] == pytest.approx(1550 - BUDGET)


def test_budget_window_excludes_years_outside_it():
    """Budget counted 2025–2030 only: a path of 10/year before 2025 and 1000/year after 2030 sums 6 × 20 = 120."""
    path = np.where(YEARS < 2025, 10.0, np.where(YEARS > 2030, 1000.0, 20.0))
    assert tj.cumulative(YEARS, path, 2025, 2030) == pytest.approx(120.0)
    assert tj.first_year_over(YEARS, path, 35.0) == 2023  # 10 + 10 + 10 = 30, then 40 > 35 in the 4th year, 2023
    # the exhaustion year counts from the window's first year: 20 + 20 = 40 > 35 in 2026, not 2023
    table = tj.budget_table(YEARS, {"p": path}, 35.0, 2025, 2030)
    assert table.loc[0, "budget_exhausted_year"] == 2026 and table.loc[0, "cumulative_tco2e"] == pytest.approx(120.0)
