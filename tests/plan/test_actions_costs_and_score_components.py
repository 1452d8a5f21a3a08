"""Action plan, third pass on ``make mutate`` survivors (issue 22): exact values of the plan, the costs and the scores.

Small hand-made tables; each reference value is derived in the test's docstring.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from builders.laptop_fleet_plan import laptops, models, territory

from helpers.io.factors import load_hosting_kinds
from helpers.io.prices import PRICE_PARAMETERS, load_unit_prices, price_dict
from helpers.model import levers as lv
from helpers.plan import actions as ac

#: the reference unit prices (data/raw/reference/unit_prices.csv), item -> EUR excl. VAT
PRICES = price_dict(load_unit_prices())
#: the reference price parameters (reconditioned discount, electricity, paper ream), no equipment price
PARAMETERS = {k: PRICES[k] for k in PRICE_PARAMETERS}


def catalogue(**extra) -> pd.DataFrame:
    """One action A1: fixed cost 1,000 € + 100 €/year, effort 1, 3 months, no owner in the catalogue."""
    row = {"action_id": "A1", "lever": "lifetime_extension", "effort": 1, "param_value": 2.0,
           "time_to_implement_months": 3.0, "targets": ["laptop"], "cost_scaling": "fixed",
           "cost_investment_eur": 1000.0, "cost_yearly_eur": 100.0, "owner_fr": None, "staff_days": 4.0}
    row.update(extra)
    return pd.DataFrame([row])


def selection(**extra) -> pd.DataFrame:
    """actions.csv choosing A1 with no value given (every override empty)."""
    row = {"action_id": "A1", "selected": True, "start_year": np.nan, "param_value": np.nan,
           "cost_investment_eur": np.nan, "cost_yearly_eur": np.nan, "time_to_implement_months": np.nan,
           "target": ""}
    row.update(extra)
    return pd.DataFrame([row])


# --------------------------------------------------------------------------------------------------------------
# build_plan
# --------------------------------------------------------------------------------------------------------------

def test_fixed_cost_is_not_scaled():
    """cost_scaling 'fixed' (neither per 1,000 agents nor per device): scale 1, the catalogue's 1,000 € and 100 €."""
    plan = ac.build_plan(catalogue(), None, territory(agents=5000), laptops())
    assert (plan.at[0, "investment_eur"], plan.at[0, "yearly_eur"]) == (1000.0, 100.0)


def test_missing_catalogue_owner_is_an_empty_text():
    """owner_fr empty in the catalogue: owner '' (not 'nan' nor a placeholder)."""
    assert ac.build_plan(catalogue(), None, territory()).at[0, "owner"] == ""


def test_action_chosen_in_actions_csv_says_so_in_origin():
    plan = ac.build_plan(catalogue(), selection(), territory())
    assert plan.at[0, "origin"] == "actions.csv"


def test_staff_days_given_in_actions_csv_replace_the_catalogue_value():
    """Catalogue 4 staff days; actions.csv gives 9."""
    plan = ac.build_plan(catalogue(), selection(staff_days=9.0), territory())
    assert plan.at[0, "staff_days"] == 9.0


# --------------------------------------------------------------------------------------------------------------
# yearly_cost_eur
# --------------------------------------------------------------------------------------------------------------

def test_category_without_a_unit_price_costs_nothing():
    """No price for 'laptop' in the price list: equipment 0 € (not 1 € per unit)."""
    cost = ac.yearly_cost_eur(lv.PlanInputs(inventory=laptops(10.0)), prices={**PARAMETERS, "desktop": 800.0})
    assert cost["equipment_eur"] == 0.0


def test_device_without_yearly_kwh_uses_no_electricity():
    """yearly_kwh empty: 0 kWh, so 0 € of electricity."""
    cost = ac.yearly_cost_eur(lv.PlanInputs(inventory=laptops(kwh=np.nan)), prices=PRICES)
    assert cost["electricity_eur"] == 0.0


def test_paper_from_reams_per_year_or_pages():
    """printing.csv without 'reams': 4 reams/year given, and 1,000 pages → 1,000 ÷ 500 = 2 reams; 6 reams."""
    printing = pd.DataFrame({"reams_per_year": [4.0, np.nan], "pages_per_year": [np.nan, 1000.0]})
    cost = ac.yearly_cost_eur(lv.PlanInputs(inventory=laptops(), printing=printing), prices=PRICES)
    assert cost["paper_eur"] == pytest.approx(6 * PRICES["paper_ream"], rel=1e-12)


def test_total_adds_the_paper():
    """No equipment price, no kWh, no purchase: the total is the paper alone, 10 reams × the ream price."""
    printing = pd.DataFrame({"reams": [10.0]})
    cost = ac.yearly_cost_eur(lv.PlanInputs(inventory=laptops(), printing=printing), prices={**PARAMETERS, "desktop": 800.0})
    assert cost["total_eur"] == pytest.approx(10 * PRICES["paper_ream"], rel=1e-12)


# --------------------------------------------------------------------------------------------------------------
# Costs and scores
# --------------------------------------------------------------------------------------------------------------

def test_annuity_of_a_missing_lifetime_is_not_available():
    """Lifetimes in an object column (4 and None): 1 ÷ 4 = 0.25 at r = 0, NaN for the missing one."""
    out = ac.annuity_factor(0.0, pd.Series([4, None], dtype=object))
    assert out[0] == 0.25 and np.isnan(out[1])


def test_missing_gain_counts_as_no_gain():
    """Gains 2 t and None (object column): the only positive gain ranks 1 ÷ 1 = 1, the missing one 0."""
    comp = ac.priority_score(pd.Series([2.0, None], dtype=object), [10.0, 10.0], [1, 1], [0.5, 0.5])
    assert list(comp["gain_component"]) == [1.0, 0.0]


def test_maturity_component_is_a_float_for_integer_gaps():
    """Gaps given as integers 0 and 1: components 0.0 and 1.0 as floats (like every other component)."""
    comp = ac.priority_score([1.0, 2.0], [10.0, 10.0], [1, 1], [0, 1])
    assert comp["maturity_component"].dtype == np.float64 and list(comp["maturity_component"]) == [0.0, 1.0]


def _ranked() -> pd.DataFrame:
    """A1 (2 t/year) and A2 (1 t/year), reductions: 1,000 € over 5 years + 50 €/year, 30 €/year saved, r = 0."""
    plan = pd.DataFrame({"action_id": ["A1", "A2"], "lever": ["lifetime_extension"] * 2, "selected": [True, True],
                         "investment_eur": [1000.0, 1000.0], "yearly_eur": [50.0, 50.0],
                         "action_lifetime_years": [5.0, 5.0], "effort": [1, 1], "axes_list": [[], []]})
    gains = pd.DataFrame({"action_id": ["A1", "A2"], "gain_tco2e": [2.0, 1.0],
                          "money_saved_eur_per_year": [30.0, 30.0]})
    return ac.prioritise(plan, gains, discount_rate=0.0).set_index("action_id")


def test_gross_annualised_cost_leaves_out_the_money_saved():
    """1,000 ÷ 5 + 50 = 250 €/year before the 30 € saved (net 220)."""
    ranked = _ranked()
    assert ranked.at["A1", "gross_annualised_cost_eur"] == 250.0
    assert ranked.at["A1", "annualised_cost_eur"] == 220.0


def test_gain_component_ranks_the_reductions_by_their_gain():
    """Two positive gains 2 t and 1 t: ranks 2 and 1 over 2 → components 1.0 and 0.5."""
    ranked = _ranked()
    assert (ranked.at["A1", "gain_component"], ranked.at["A2", "gain_component"]) == (1.0, 0.5)


# --------------------------------------------------------------------------------------------------------------
# Model runs and levers without their input
# --------------------------------------------------------------------------------------------------------------

def test_services_without_a_services_library_are_not_run():
    """services.csv given but the models carry no services factors: no services run (None)."""
    services = pd.DataFrame({"service_id": ["S1"], "units_per_year": [1.0]})
    inputs = lv.PlanInputs(inventory=laptops(), services=services)
    assert ac.run_services(inputs, models()) is None


def test_hosting_consolidation_without_hosting_changes_nothing():
    """No hosting.csv (None): the lever returns the inputs as they are."""
    inv = laptops()
    hosting, out = lv.hosting_consolidation(None, inv, load_hosting_kinds(), 1.5)
    assert hosting is None and out is inv
