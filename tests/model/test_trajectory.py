"""Trajectories and carbon budget: reference values computed by hand in the tests."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.model import trajectory as tj
from helpers.report.actions import verdict_text


def test_budget_is_the_inclusive_sum_of_the_yearly_target_values():
    # linear from 600 t in 2020 to 100 t in 2040: 21 yearly values, an arithmetic series
    years = tj.years_range(2020, 2040)
    assert len(years) == 21
    path = tj.target_pathway(years, 2020, 2040, 600.0, target_share=100.0 / 600.0)
    assert path[0] == pytest.approx(600) and path[-1] == pytest.approx(100)
    assert path[10] == pytest.approx(350)  # 2030: halfway
    expected = 21 * (600 + 100) / 2  # = 7,350 tCO2e
    assert tj.carbon_budget(years, path, 2020, 2040) == pytest.approx(expected)
    # and it is the explicit sum of every year, not a trapezoid (which would give 7,000)
    assert tj.carbon_budget(years, path, 2020, 2040) == pytest.approx(sum(600 - 25 * k for k in range(21)))
    trapezoid = float(((path[1:] + path[:-1]) / 2).sum())  # = 7,000
    assert trapezoid == pytest.approx(7000) and tj.carbon_budget(years, path, 2020, 2040) != pytest.approx(trapezoid)


def test_default_target_reads_neutrality_as_gross_emissions_divided_by_six():
    years = tj.years_range(2020, 2040)
    path = tj.target_pathway(years, 2020, 2040, 680.0)
    assert path[-1] == pytest.approx(680 / 6)
    # 2030 milestone: 1 − (5/6)(10/20) = 7/12 of 2020, i.e. −41.7 %
    assert path[10] / 680 == pytest.approx(7 / 12)


def test_national_trend_gives_plus_45_percent_in_2030():
    idx = tj.national_trend_index([2020, 2025, 2030, 2050], 2020)
    assert idx[0] == 1 and idx[2] == pytest.approx(1.45) and idx[3] == pytest.approx(2.87)
    assert idx[1] == pytest.approx(1.45 ** 0.5)  # constant yearly growth within 2020-2030
    # relative to another reference year
    assert tj.national_trend_index([2030], 2025)[0] == pytest.approx(1.45 ** 0.5)
    assert tj.bau_index([2022], 2020, 0.10)[0] == pytest.approx(1.21)


def test_ramp_fraction_is_the_yearly_mean_of_a_linear_ramp():
    r = tj.ramp_fraction(np.arange(2020, 2026), 2022, 24)
    assert list(r) == pytest.approx([0, 0, 0.25, 0.75, 1, 1])
    r6 = tj.ramp_fraction(np.arange(2022, 2024), 2022, 6)
    # 6 months: ramp over half a year (mean 0.25 × 0.5) then full (0.5): 0.125 + 0.5 = 0.75
    assert list(r6) == pytest.approx([0.75, 1.0])
    assert list(tj.ramp_fraction([2021, 2022], 2022, 0)) == pytest.approx([0, 1])
    both = tj.ramp_fraction(np.arange(2020, 2023), np.array([2020, 2021]), np.array([12, 12]))
    assert both.shape == (2, 3)


def test_plan_path_and_cumulative_overshoot():
    years = tj.years_range(2020, 2022)
    growth = np.array([1.0, 1.1, 1.21])
    share = np.array([0.0, 0.5, 1.0])
    plan = tj.plan_path(100.0, 20.0, share, growth)
    assert list(plan) == pytest.approx([100, 1.1 * 90, 1.21 * 80])
    target = tj.target_pathway(years, 2020, 2022, 100.0, 0.5)  # 100, 75, 50
    budget = tj.carbon_budget(years, target, 2020, 2022)
    assert budget == pytest.approx(225)
    table = tj.budget_table(years, {"plan": plan, "target": target}, budget, 2020, 2022).set_index("scenario")
    assert table.loc["plan", "overshoot_tco2e"] == pytest.approx(100 + 99 + 96.8 - 225)
    assert table.loc["target", "overshoot_tco2e"] == pytest.approx(0)
    assert table.loc["plan", "budget_exhausted_year"] == 2022  # 199 after 2021, 295.8 after 2022
    # draws: one row per draw
    draws = tj.plan_path(np.array([100.0, 120.0]), np.array([20.0, 30.0]), share, growth)
    assert draws.shape == (2, 3) and draws[1, 2] == pytest.approx(1.21 * 90)


def test_stabilised_index():
    bau = np.array([1.0, 1.1, 1.21])
    assert list(tj.stabilised_index(bau, np.zeros(3))) == pytest.approx(list(bau))
    assert list(tj.stabilised_index(bau, np.ones(3))) == pytest.approx([1, 1, 1])
    # growth stopped from the third year only
    assert list(tj.stabilised_index(bau, np.array([0, 0, 1.0]))) == pytest.approx([1, 1.1, 1.1])


def test_gain_share_weights_the_ramps_by_each_action_gain():
    ramps = np.array([[0, 1, 1], [0, 0, 1.0]])
    share = tj.gain_share(ramps, np.array([30.0, 10.0]))
    assert list(share) == pytest.approx([0, 0.75, 1.0])
    assert list(tj.gain_share(ramps, np.array([0.0, 0.0]))) == [0, 0, 0]


# ------------------------------------------------------------------------ own fleet trend and verdict (issue 18)

def _fleet(counts, category="laptop", lifetime=5.0):
    import pandas as pd

    return pd.DataFrame({"category": category, "quantity": [float(q) for q in counts.values()],
                         "purchase_year": list(counts), "lifetime_years": lifetime})


def test_flat_fleet_has_no_own_growth():
    """20 laptops bought every year 2016–2020: a fleet of constant size, growth 0."""
    out = tj.own_fleet_trend(_fleet({2016: 20, 2017: 20, 2018: 20, 2019: 20, 2020: 20}), 2020)
    assert out["known"] and out["growth_per_year"] == pytest.approx(0.0, abs=1e-12)


def test_growing_fleet_gives_its_yearly_rate():
    """100, 110, 121, 133.1 units bought in 2017–2020: ×1.1 a year, growth 10 %."""
    out = tj.own_fleet_trend(_fleet({2017: 100, 2018: 110, 2019: 121, 2020: 133.1}), 2020)
    assert out["growth_per_year"] == pytest.approx(0.10, rel=1e-9)


def test_purchases_older_than_the_lifetime_are_not_read_as_growth():
    """Laptops bought evenly, smartphones (3-year lifetime) 5 a year in 2018–2020 plus 1 survivor of 2016: only
    the phones' last 3 years are read (the 2016 cohort is mostly retired, its one survivor is not a sign of growth),
    so the fleet is flat; reading 5 years for the phones would give a positive slope."""
    import pandas as pd

    inv = pd.concat([_fleet({2016: 20, 2017: 20, 2018: 20, 2019: 20, 2020: 20}),
                     _fleet({2016: 1, 2018: 5, 2019: 5, 2020: 5}, category="smartphone", lifetime=3.0)],
                    ignore_index=True)
    assert tj.own_fleet_trend(inv, 2020)["growth_per_year"] == pytest.approx(0.0, abs=1e-12)
    assert tj.own_fleet_trend(inv.assign(lifetime_years=5.0), 2020)["growth_per_year"] > 0.01


def test_unknown_purchase_years_give_zero_growth():
    out = tj.own_fleet_trend(_fleet({2019: 50, 2020: 80}), 2020)  # two years only: not enough
    assert not out["known"] and out["growth_per_year"] == 0.0
    import pandas as pd

    undated = _fleet({2018: 10, 2019: 10, 2020: 10}).assign(purchase_year=np.nan)
    assert tj.own_fleet_trend(pd.DataFrame(undated), 2020)["growth_per_year"] == 0.0


def test_falling_purchases_do_not_make_the_fleet_shrink_by_itself():
    """100, 50, 25 units: raw estimate −50 %/year; the business as usual keeps growth 0."""
    out = tj.own_fleet_trend(_fleet({2018: 100, 2019: 50, 2020: 25}), 2020)
    assert out["raw_growth_per_year"] == pytest.approx(-0.5, rel=1e-9)
    assert out["growth_per_year"] == 0.0


def test_only_fleet_driven_lines_grow_in_the_business_as_usual():
    """B0 = 100 t of which F0 = 60 t from the fleet; fleet index 1.5 → 100 + 60 × 0.5 = 130 t."""
    assert tj.fleet_bau_path(100.0, 60.0, np.array([1.0, 1.5]))[-1] == pytest.approx(130.0)
    # plan: gain 20 t fully reached, growth stopped → 80 t
    assert tj.fleet_plan_path(100.0, 60.0, 20.0, np.array([1.0]), np.array([1.0]))[0] == pytest.approx(80.0)


def test_verdict_states_missed_or_met_consistently():
    """Plan 519 t against 386 t at the milestone: gap 133 t = 34.5 % of the target, 133 / 661 = 20 % of the
    reference; cumulative 11,500 t against a budget of 8,224 t: overshoot 3,276 t (39.8 %)."""
    v = tj.milestone_verdict(519.0, 386.0, 11_500.0, 8_224.0, 661.0)
    assert not v["milestone_met"] and v["gap_milestone_tco2e"] == pytest.approx(133.0)
    assert v["gap_milestone_pct"] == pytest.approx(133 / 386 * 100)
    assert v["budget_overshoot_tco2e"] == pytest.approx(3276.0)
    t = {**v, "milestone_year": 2030, "plan_2030_tco2e": 519.0, "target_2030_tco2e": 386.0, "reference_year": 2020,
         "target_year": 2040}
    text = verdict_text(t)
    assert "objectif non atteint" in text and "133" in text and "3 276" in text.replace("\u202f", " ")
    met = tj.milestone_verdict(300.0, 386.0, 8_000.0, 8_224.0, 661.0)
    assert met["milestone_met"] and met["budget_met"]
    text = verdict_text({**t, **met, "plan_2030_tco2e": 300.0})
    assert "objectif atteint" in text and "non atteint" not in text
