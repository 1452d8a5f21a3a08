"""Exact results against the survivors of the second 2 December ``make mutate`` run (run E) in the action plan
(``helpers.plan.actions``) and the benchmark comparison (``helpers.report.carbon.benchmark_comparison``).

Each test uses a small hand-made input; the expected values are derived in its docstring or comments. Every test
calls the function it checks itself (no module-scoped fixture): mutmut only reruns, for a mutant, the tests that
called the mutated function during its stats run, and a module-scoped fixture is called by the first test only.

The action-plan tests use the one-laptop models of ``test_plan_total_counts_selected_actions`` (ADEME/NegaOctet 2022 laptop factors):
100 laptops kept 5 years weigh ``BASELINE = 100 × 185.09 / 5 = 3701.8 kgCO2e`` a year (see ``test_actions_laptop_gains_and_costs``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from builders.laptop_fleet_plan import BASELINE, extension_plan, laptops, models
from builders.plan_models import _data, _models, _refs, _summary

from helpers.io.factors import load_categories, load_factors, load_hosting_kinds
from helpers.io.prices import PRICE_PARAMETERS, load_unit_prices, price_dict
from helpers.model import levers as lv
from helpers.plan import actions as ac
from helpers.report import actions as actions_report
from helpers.report import carbon as carbon_report

#: the reference unit prices (data/raw/reference/unit_prices.csv), item -> EUR excl. VAT
PRICES = price_dict(load_unit_prices())
#: the reference price parameters (reconditioned discount, electricity, paper ream), no equipment price
PARAMETERS = {k: PRICES[k] for k in PRICE_PARAMETERS}

# --------------------------------------------------------------------------------------------------------------
# Hosting kinds of the tests: a server room without a measured PUE counts 3.0 (the reference file says 2.0)
# --------------------------------------------------------------------------------------------------------------

OWN_PUE = 3.0  # default PUE of a server room in the test's hosting kinds (test value, not a source)
REF_PUE = 2.0  # default PUE of a server room in hosting_kinds.csv (ADEME-Arcep 2022, edge ≈ 2)



def _french_unit(got: tuple[float, str]) -> tuple[float, str]:
    """An indicator ``(value, unit code)`` with its unit as the diagnostic writes it (:mod:`helpers.report.actions`)."""
    return got[0], actions_report.INDICATOR_UNITS_FR[got[1]]

def _kinds() -> pd.DataFrame:
    """``hosting_kinds.csv`` with the server room's default PUE raised to 3.0 (interval 1.5–3.5)."""
    kinds = load_hosting_kinds().copy()
    room = kinds["kind"] == "server_room"
    kinds.loc[room, "default_pue"] = OWN_PUE
    kinds.loc[room, "pue_high"] = 3.5
    return kinds


def _room_inputs() -> lv.PlanInputs:
    """100 laptops of 100 kWh a year each, all in site 'a', a server room whose PUE is not measured."""
    hosting = pd.DataFrame({"site_id": ["a"], "entity": ["ville"], "kind": ["server_room"], "pue": [np.nan]})
    return lv.PlanInputs(inventory=laptops(kwh=100.0).assign(site=["a"]), hosting=hosting)


def _room_models() -> ac.Models:
    m = models(n_draws=50)
    m.hosting_kinds = _kinds()
    return m


def test_reference_hosting_kinds_give_a_server_room_pue_of_two():
    """Guard of the tests below: they need the reference default (2.0) to differ from the test's (3.0)."""
    kinds = load_hosting_kinds().set_index("kind")
    assert kinds.at["server_room", "default_pue"] == REF_PUE != OWN_PUE


# --------------------------------------------------------------------------------------------------------------
# evaluate
# --------------------------------------------------------------------------------------------------------------

def test_money_saved_by_a_lever_prices_the_scenario_with_the_models_hosting_kinds():
    """Power management −40 % on 100 laptops × 100 kWh in a room at the models' PUE 3.0: the reference uses
    10,000 × 3.0 = 30,000 kWh, the scenario 6,000 × 3.0 = 18,000 kWh, so 12,000 kWh × the price are saved (with the
    reference file's PUE 2.0 for the scenario only it would be 30,000 − 12,000 = 18,000 kWh)."""
    # kills helpers.plan.actions.x_evaluate__mutmut_431 (scenario priced with the reference hosting kinds)
    plan = pd.DataFrame([{"action_id": "E1", "lever": "power_management", "param": 0.4, "targets": ["laptop"],
                          "selected": True}])
    ev = ac.evaluate(plan, _room_inputs(), _room_models())
    assert ev.gains.at[0, "money_saved_eur_per_year"] == pytest.approx(12000.0 * PRICES["electricity"],
                                                                      rel=1e-12)


def test_scenario_of_a_hosting_consolidation_uses_the_models_hosting_kinds():
    """Consolidation to PUE 2.5: with the models' kinds the unmeasured room counts 3.0 > 2.5, so it is lowered to 2.5
    and 10,000 kWh × (3.0 − 2.5) = 5,000 kWh a year are saved. With the reference kinds (2.0 < 2.5) the room would be
    left as it is and nothing saved."""
    # kills helpers.plan.actions.x_evaluate__mutmut_71 (levers applied with the reference hosting kinds)
    plan = pd.DataFrame([{"action_id": "H1", "lever": "hosting_consolidation", "param": 2.5, "targets": [],
                          "selected": True}])
    ev = ac.evaluate(plan, _room_inputs(), _room_models())
    assert ev.scenarios["H1"].hosting["pue"].tolist() == [2.5]
    assert ev.gains.at[0, "money_saved_eur_per_year"] == pytest.approx(5000.0 * PRICES["electricity"],
                                                                      rel=1e-12)


def test_fleet_stabilisation_without_a_share_avoids_all_the_growth_and_its_renewals():
    """V1 has no parameter (NaN): its share is 1. Growth 20 %: it avoids 1 × 0.2 × 3701.8 kgCO2e = 0.74036 t and
    saves 1 × 0.2 of the renewals, 0.2 × 100 / 5 × the laptop's unit price (20 laptops bought a year)."""
    # kills helpers.plan.actions.x_evaluate__mutmut_397 (NaN share kept for the money saved)
    plan = pd.DataFrame([{"action_id": "V1", "lever": "fleet_stabilisation", "param": np.nan, "targets": [],
                          "selected": True}])
    ev = ac.evaluate(plan, lv.PlanInputs(inventory=laptops()), models(n_draws=50), growth_at_milestone=1.2)
    v1 = ev.gains.iloc[0]
    assert v1["gain_tco2e"] == pytest.approx(0.2 * BASELINE / 1000, rel=1e-9)
    assert v1["money_saved_eur_per_year"] == pytest.approx(0.2 * 100 / 5 * PRICES["laptop"], rel=1e-12)


def test_plan_criteria_give_a_non_climate_criterion_its_unit():
    """Water is in m3 (``criteria_units``) in the plan's criteria table, as in the per-action one."""
    # kills helpers.plan.actions.x_evaluate__mutmut_508 (unit of the other criteria looked up under '')
    ev = ac.evaluate(extension_plan(), lv.PlanInputs(inventory=laptops()), _models())
    units = ev.plan_criteria.set_index("criterion")["unit"]
    assert units.to_dict() == {"climate_change": "tCO2e", "water": "m3", "noise": ""}


def test_baseline_of_a_criterion_the_services_model_does_not_compute_is_the_balance_alone():
    """'noise' (4 per laptop manufactured) has no services factor: with a storage service present, its baseline is
    the balance's alone, 100 × 4 / 5 = 80, in both criteria tables (the services add 0, not an error)."""
    # kills helpers.plan.actions.x_evaluate__mutmut_63 (missing services criterion read as None)
    services = pd.DataFrame([{"service_id": "stockage", "name": "Partages", "type": "storage",
                              "annual_volume": 60.0, "volume_unit": "tb_years", "replicas": 3.0,
                              "hosting": "server_room"}])
    m = _models(("climate_change", "noise"))
    m.n_draws = 50
    m.service_factors, m.categories = load_factors(), load_categories()
    plan = pd.DataFrame([{"action_id": "S1", "lever": "storage_purge", "param": 1 / 3, "targets": [],
                          "selected": True}])
    ev = ac.evaluate(plan, lv.PlanInputs(inventory=laptops(), services=services), m)
    assert ev.criteria.set_index("criterion").at["noise", "baseline"] == pytest.approx(80.0, rel=1e-12)
    assert ev.plan_criteria.set_index("criterion").at["noise", "baseline"] == pytest.approx(80.0, rel=1e-12)


# --------------------------------------------------------------------------------------------------------------
# Money
# --------------------------------------------------------------------------------------------------------------

def test_yearly_cost_without_printing_has_no_paper():
    """No printing.csv: paper costs 0; 100 laptops at 1,000 € kept 5 years, no energy: 20,000 € in all."""
    # kills helpers.plan.actions.x_yearly_cost_eur__mutmut_85 (one ream counted without printing)
    cost = ac.yearly_cost_eur(lv.PlanInputs(inventory=laptops()), prices={**PARAMETERS, "laptop": 1000.0})
    assert cost["paper_eur"] == 0.0
    assert cost["total_eur"] == pytest.approx(20000.0, rel=1e-12)


# --------------------------------------------------------------------------------------------------------------
# Scores and ranks
# --------------------------------------------------------------------------------------------------------------

def test_maturity_gap_is_at_least_zero():
    """An axis scored above 1 (1.2) would give a gap of −0.2: floored at 0; a score of 0.25 gives 0.75."""
    # kills helpers.plan.actions.x_maturity_gap__mutmut_23 (no lower bound)
    assert ac.maturity_gap([["a"], ["b"]], {"a": 1.2, "b": 0.25}).tolist() == [0.0, 0.75]


def test_priority_score_reads_a_missing_cost_as_not_a_number():
    """Costs given as a list with a missing cell (None) and 100 €/t: the missing one is NaN, so its cost component
    is 0; the other is 1 / (1 + 100 / 250) = 1 / 1.4."""
    # kills helpers.plan.actions.x_priority_score__mutmut_30 (costs kept as an object array)
    comp = ac.priority_score([1.0, 1.0], [None, 100.0], [1, 1], [0.5, 0.5])
    assert comp["cost_component"].tolist() == [0.0, pytest.approx(1 / 1.4, rel=1e-12)]


def test_an_action_that_saves_money_scores_one_on_cost_even_with_a_zero_carbon_value():
    """Carbon value 0 €/t: the action saving money (−10 €/t) still scores 1 on cost (not 1 / (1 + 0 / 0)); the one
    costing 100 €/t scores 1 / (1 + 100 / 0) = 0."""
    # kills helpers.plan.actions.x_priority_score__mutmut_43 (the 'cost ≤ 0' test dropped)
    with np.errstate(divide="ignore", invalid="ignore"):
        comp = ac.priority_score([1.0, 1.0], [-10.0, 100.0], [1, 1], [0.5, 0.5], carbon_value=0.0)
    assert comp["cost_component"].tolist() == [1.0, 0.0]


def test_equal_scores_are_ranked_by_action_id():
    """A2 and A1 are identical (1 t a year, no cost, effort 1, no axis): equal scores, so A1 comes first (rank 1)
    although the plan lists A2 first."""
    # kills helpers.plan.actions.x_prioritise__mutmut_181 (ties broken by descending action id)
    plan = pd.DataFrame({"action_id": ["A2", "A1"], "lever": ["lifetime_extension"] * 2, "selected": [True, True],
                         "action_lifetime_years": [5.0, 5.0], "investment_eur": [0.0, 0.0],
                         "yearly_eur": [0.0, 0.0], "effort": [1, 1], "axes_list": [[], []]})
    gains = pd.DataFrame({"action_id": ["A2", "A1"], "gain_tco2e": [1.0, 1.0],
                          "money_saved_eur_per_year": [0.0, 0.0], "kind": ["reduction", "reduction"]})
    out = ac.prioritise(plan, gains)
    assert out["action_id"].tolist() == ["A1", "A2"]
    assert out["rank_all"].tolist() == [1, 2] and out["rank"].tolist() == [1, 2]


# --------------------------------------------------------------------------------------------------------------
# Monitoring indicators and tables of means
# --------------------------------------------------------------------------------------------------------------

def test_printing_indicator_reads_a_reams_column():
    """printing with a ``reams`` column (10 and 5 reams): 15 reams a year, without a ``reams_per_year`` column."""
    # kills helpers.plan.actions.x_indicator_value__mutmut_118 (the 'reams' column never looked for)
    printing = pd.DataFrame({"entity": ["ville", "ville"], "reams": [10.0, 5.0]})
    got = _french_unit(ac.indicator_value(lv.PlanInputs(inventory=laptops(), printing=printing), "printing_reduction", []))
    assert got == (pytest.approx(15.0, rel=1e-12), "ramettes/an")


def test_indicator_target_applies_the_lever_with_the_given_hosting_kinds():
    """No scenario given: the lever is applied here. With the given kinds the unmeasured room counts 3.0, the
    consolidation to 2.5 lowers it: baseline 3.0, target 2.5, at the milestone (ramp 0.5) 3.0 − 0.5 × 0.5 = 2.75.
    (With the reference kinds for the lever the room, at 2.0 < 2.5, would not be lowered: target 3.0.)"""
    # kills helpers.plan.actions.x_indicators_table__mutmut_49 (presets passed as the hosting kinds)
    plan = pd.DataFrame([{"action_id": "H1", "lever": "hosting_consolidation", "param": 2.5, "targets": [],
                          "selected": True, "indicator_fr": "PUE", "indicator_target_fr": None}])
    ramps = pd.DataFrame({"action_id": ["H1"], 2030: [0.5]})
    out = actions_report.indicator_units(ac.indicators_table(plan, _room_inputs(), ramps, 2030, _kinds()))
    row = out.iloc[0]
    assert (row["baseline"], row["target_full"], row["target_milestone"]) == (
        pytest.approx(3.0, rel=1e-12), pytest.approx(2.5, rel=1e-12), pytest.approx(2.75, rel=1e-12))


def test_budget_by_year_has_one_row_per_year_indexed_from_zero():
    """A1 starts 2025, set up in 12 months: rows 2025 and 2026, labelled 0 and 1, 1,000 € invested in 2025 only."""
    from helpers.plan import budget as bg

    out = bg.budget_by_year([2025, 2026], [2025], [2025], [1000.0], [100.0], [10.0], [0.0],
                            np.array([[0.5, 1.0]]), [0.0], 0.0)
    assert out.index.tolist() == [0, 1] and out["year"].tolist() == [2025, 2026]
    assert out["investment_eur"].tolist() == [1000.0, 0.0]


# --------------------------------------------------------------------------------------------------------------
# summary_actions.json
# --------------------------------------------------------------------------------------------------------------

def test_summary_gives_the_balance_part_of_each_action_with_its_interval():
    """R1: 0.75 t on the balance, bounds 1.0 and 1.0 (the row's defaults in ``_summary``)."""
    # kills helpers.plan.actions.xǁActionsStudyǁsummary__mutmut_81 and __mutmut_82 (keys 'value', 'low' renamed)
    r1 = _summary()["actions"][0]
    assert r1["id"] == "R1"
    assert r1["balance_reduction_tco2e_per_year"] == {"value": 0.75, "low": 1.0, "high": 1.0}


def test_summary_gives_the_discount_rate():
    """Every ranked row carries the discount rate 3.2 %: ``actions_meta.discount_rate`` = 0.032."""
    # kills helpers.plan.actions.xǁActionsStudyǁsummary__mutmut_212 (key discount_rate renamed)
    assert _summary()["actions_meta"]["discount_rate"] == 0.032


# --------------------------------------------------------------------------------------------------------------
# Benchmark comparison
# --------------------------------------------------------------------------------------------------------------

def test_services_share_reason_says_the_ratio_is_uncertain_by_a_factor_three():
    """A services share reference: spend 20 t of 100 t = 20 %, ratio 0.2 / 0.4 = 0.5; its reason ends on the factor
    of uncertainty of the monetary ratio."""
    # kills helpers.report.carbon.x_benchmark_comparison__mutmut_173 (text '(×/÷3).' changed)
    c = carbon_report.benchmark_comparison(_refs(("Metz", 0.4, "services_share", "all", "s", "src")), "here",
                                           _data())
    assert c.at[0, "our_value"] == pytest.approx(0.2, rel=1e-12)
    assert c.at[0, "ratio"] == pytest.approx(0.5, rel=1e-12)
    assert c.at[0, "reason_fr"] == ("Même méthode (ratio monétaire) ; la part suit les dépenses déclarées et le "
                                    "ratio ADEME, incertain (×/÷3).")
