"""Exact results against the second round of survivors of ``make mutate`` (issue 22): pollution transfers, the
maturity levels table and a benchmark for a collectivity without answers, balance levers, the trajectory's
verdict and budget table, and a file that mixes decimal conventions.

Each test uses a small hand-made input; the expected values are derived in its docstring.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from builders.lever_tables import laptops
from builders.number_reader import _read

from helpers.io.factors import load_hosting_kinds
from helpers.model import levers as lv
from helpers.model import maturity as mat
from helpers.model import trajectory as tj
from helpers.report import actions as actions_report
from helpers.report import maturity as mat_report

# --------------------------------------------------------------------------------------------------------------
# Pollution transfers (actions)
# --------------------------------------------------------------------------------------------------------------

RANKED = pd.DataFrame({"action_id": ["A1", "A2"], "title_fr": ["Allonger la durée de vie", "Mutualiser"]})


def _criteria(rows):
    return pd.DataFrame(rows, columns=["action_id", "criterion", "value", "high", "baseline"])


def test_pollution_transfer_lists_a_worse_criterion_with_its_change_in_percent():
    """A1 worsens water by 20 (interval up to −5, all below 0) on a baseline of 400: −20 ÷ 400 × 100 = −5 %.
    Left out: A1's climate change (the main criterion) and A2's particulate matter (interval reaches +2)."""
    criteria = _criteria([("A1", "water", -20.0, -5.0, 400.0),
                          ("A1", "climate_change", -10.0, -1.0, 100.0),
                          ("A2", "particulate_matter", -3.0, 2.0, 50.0)])
    out = actions_report.pollution_transfers(criteria, RANKED)
    assert out.to_dict("records") == [{"Action": "A1 Allonger la durée de vie",
                                       "Indicateur dégradé": "Consommation d'eau", "Variation (%)": -5.0}]


def test_pollution_transfer_needs_a_central_change_below_zero():
    """A2's acidification: central change exactly 0 (interval top −1): no worsening, so no transfer listed."""
    out = actions_report.pollution_transfers(_criteria([("A2", "acidification", 0.0, -1.0, 50.0)]), RANKED)
    assert out.empty


def test_no_pollution_transfer_gives_the_french_headers():
    """Nothing worse: an empty table with the three French headers of the published table."""
    out = actions_report.pollution_transfers(_criteria([("A1", "water", 5.0, 9.0, 400.0)]), RANKED)
    assert list(out.columns) == ["Action", "Indicateur dégradé", "Variation (%)"] and out.empty


# --------------------------------------------------------------------------------------------------------------
# Maturity
# --------------------------------------------------------------------------------------------------------------

def test_levels_table_names_each_level_with_its_score_range_and_meaning():
    """Thresholds 25, 50, 75 % (MATURITY_LEVELS): four rows, the last one open-ended ('75 % et plus')."""
    table = mat_report.levels_table()
    assert list(table.columns) == ["Niveau", "Score", "Signification"]
    assert table.to_dict("records")[0] == {
        "Niveau": "Initial", "Score": "de 0 % à moins de 25 %",
        "Signification": "les pratiques sont pour l'essentiel absentes ou ponctuelles"}
    assert table["Score"].tolist() == ["de 0 % à moins de 25 %", "de 25 % à moins de 50 %",
                                       "de 50 % à moins de 75 %", "75 % et plus"]


def test_axis_benchmark_of_a_collectivity_without_answers_still_ranks_the_peers():
    """Subject 'x' is not in the matrix: its scores and gaps are missing (NaN), the peers' figures are kept:
    axis a, peers 60 and 40 → best p at 60; global, peers 55 and 40 → best p at 55."""
    matrix = pd.DataFrame({"a": [60.0, 40.0], "global": [55.0, 40.0]}, index=["p", "q"])
    ab = mat.axis_benchmark(matrix, "x")
    assert ab["axis"].tolist() == ["a", "global"]
    assert ab["subject_pct"].isna().all() and ab["gap_to_best_pts"].isna().all()
    assert ab["best_peer"].tolist() == ["p", "p"] and ab["best_peer_pct"].tolist() == [60.0, 55.0]


# --------------------------------------------------------------------------------------------------------------
# Levers
# --------------------------------------------------------------------------------------------------------------

def test_a_lever_built_on_the_balance_acts_on_the_balance_perimeter():
    """A balance lever made by ``_on_balance`` around ``fleet_reduction``, applied with the balance perimeter:
    100 laptops × (1 − 0.25) = 75. (Built inside the test: the levers of ``LEVERS`` are built at import.)"""
    apply = lv._on_balance("inventory", lambda i, t, v, _: lv.fleet_reduction(i.inventory, t, v))
    ctx = lv.LeverSettings(hosting_kinds=None, presets=None, perimeters=("balance",))
    out = apply(lv.PlanInputs(inventory=laptops()), 0.25, ["laptop"], ctx)
    assert out.inventory["quantity"].tolist() == [75.0]


def test_merging_a_site_without_a_measure_moves_the_estimated_energy_of_its_lines():
    """'a>b': a has no IT measure, b measures 50,000 kWh; a's lines (100 laptops × 48 kWh = 4,800 kWh) move to b,
    which then measures 50,000 + 4,800 = 54,800 kWh."""
    hosting = pd.DataFrame({"site_id": ["a", "b"], "entity": ["ville", "ville"], "kind": ["server_room"] * 2,
                            "pue": [np.nan, 1.4], "it_kwh_per_year": [np.nan, 50_000.0],
                            "floor_area_m2": [30.0, 50.0]})
    h, _ = lv.hosting_consolidation(hosting, laptops().assign(site="a"), load_hosting_kinds(), 1.5, ["a>b"])
    assert h.set_index("site_id").at["b", "it_kwh_per_year"] == 54_800.0


def test_mobile_to_fixed_keeps_the_fixed_volume_of_a_line_without_mobile_data():
    """Share 0.5: line 1 moves 1,000 × 0.5 = 500 GB (fixed 200 → 700); line 2 has no mobile data, its fixed
    300 GB stay 300."""
    telecom = pd.DataFrame({"mobile_data_gb_per_year": [1000.0, 0.0], "fixed_data_gb_per_year": [200.0, 300.0]})
    out = lv.mobile_to_fixed_telecom(telecom, 0.5)
    assert out["mobile_data_gb_per_year"].tolist() == [500.0, 0.0]
    assert out["fixed_data_gb_per_year"].tolist() == [700.0, 300.0]


# --------------------------------------------------------------------------------------------------------------
# Trajectory
# --------------------------------------------------------------------------------------------------------------

def test_milestone_missed_by_half_a_tonne_is_not_met():
    """Plan 100.5 tCO2e at the milestone for a target of 100: gap +0.5 > 0, the milestone is missed."""
    verdict = tj.milestone_verdict(100.5, 100.0, 150.0, 200.0, 661.0)
    assert verdict["milestone_met"] is False and verdict["gap_milestone_tco2e"] == 0.5


def test_budget_overshoot_in_percent_of_the_budget():
    """Cumulative plan 210 for a budget of 200: overshoot 10 tCO2e = 10 ÷ 200 × 100 = 5 % of the budget."""
    verdict = tj.milestone_verdict(90.0, 100.0, 210.0, 200.0, 661.0)
    assert verdict["budget_overshoot_tco2e"] == 10.0 and verdict["budget_overshoot_pct"] == pytest.approx(5.0)


def test_budget_table_carries_the_budget_beside_each_cumulative():
    """Path 10, 20, 30 over 2020–2022: cumulative 60 against a budget of 50, overshoot 10 = 20 %."""
    table = tj.budget_table([2020, 2021, 2022], {"plan": np.array([10.0, 20.0, 30.0])}, 50.0, 2020, 2022)
    row = table.iloc[0]
    assert (row["cumulative_tco2e"], row["budget_tco2e"], row["overshoot_tco2e"]) == (60.0, 50.0, 10.0)
    assert row["overshoot_pct"] == pytest.approx(20.0)


def test_stabilised_index_caps_the_avoided_share_at_the_whole_growth():
    """BAU 1 → 1.1 → 1.21 (+10 % a year); an avoided share of 2 in year 2 counts as 1 (all the growth avoided,
    the index stays at 1, it never falls), year 3 keeps its growth: 1 × 1.1 = 1.1."""
    index = tj.stabilised_index(np.array([1.0, 1.1, 1.21]), np.array([0.0, 2.0, 0.0]))
    assert index.tolist() == pytest.approx([1.0, 1.0, 1.1], rel=1e-12)


# --------------------------------------------------------------------------------------------------------------
# Reading numbers
# --------------------------------------------------------------------------------------------------------------

def test_mixed_conventions_also_report_the_ambiguous_values():
    """'1,5' (comma decimal) and '2.5' (point decimal) make the file mixed: no value is read, and '1.234' (1.234
    or 1234) is reported with them rather than left as an unexplained missing number."""
    values, reported, problems = _read(["1,5", "2.5", "1.234"])
    assert all(math.isnan(v) for v in values) and reported == [True, True, True] and len(problems) == 1
