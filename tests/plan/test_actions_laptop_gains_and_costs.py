"""Action plan: exact values where ``make mutate`` found results no test checked (issue 22).

Laptop factors are ADEME/NegaOctet 2022 (manufacturing 170, distribution 12.3, end of life 2.79 kgCO2e per unit,
``incubateur-ademe/publicodes-acv-numerique:src/acv-terminaux.publicodes``): 100 laptops kept 5 years weigh
``100 × 185.09 / 5 = 3701.8 kgCO2e`` a year and a 3-year extension saves ``100 × 185.09 × (1/5 − 1/8) = 1388.175``,
i.e. 37.5 % (``1 − 5/8``). Other reference values are derived in each test's docstring.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from builders.laptop_fleet_plan import (  # noqa: F401
    BASELINE,
    G_LIFE,
    SERVICES,
    _storage_study,
    extension_plan,
    laptops,
    models,
    territory,
)

from helpers.io import catalogue as io_catalogue
from helpers.io.errors import InputError
from helpers.io.factors import load_categories, load_hosting_kinds
from helpers.io.prices import PRICE_PARAMETERS, load_unit_prices, price_dict
from helpers.io.services_inputs import load_presets
from helpers.model import levers as lv
from helpers.plan import actions as ac
from helpers.report import actions as actions_report
from helpers.run import actions_section as section

#: the reference unit prices (data/raw/reference/unit_prices.csv), item -> EUR excl. VAT
PRICES = price_dict(load_unit_prices())
#: the reference price parameters (reconditioned discount, electricity, paper ream), no equipment price
PARAMETERS = {k: PRICES[k] for k in PRICE_PARAMETERS}




def _french_unit(got: tuple[float, str]) -> tuple[float, str]:
    """An indicator ``(value, unit code)`` with its unit as the diagnostic writes it (:mod:`helpers.report.actions`)."""
    return got[0], actions_report.INDICATOR_UNITS_FR[got[1]]









# --------------------------------------------------------------------------------------------------------------
# Catalogue checks: each problem names its file, line and column
# --------------------------------------------------------------------------------------------------------------

def _catalogue_problems(tmp_path, action_id, **cells):
    """Load a copy of the reference catalogue with ``cells`` changed on ``action_id``'s row; its problems."""
    df = pd.read_csv(io_catalogue.CATALOGUE_PATH, dtype=str, keep_default_na=False)
    for col, value in cells.items():
        df.loc[df["action_id"] == action_id, col] = value
    path = tmp_path / "actions_catalogue.csv"
    df.to_csv(path, index=False)
    line = int(np.flatnonzero(df["action_id"] == action_id)[0]) + 2  # header = line 1
    with pytest.raises(InputError) as exc:
        io_catalogue.load_catalogue(path, categories=list(load_categories()["category"]), levers=lv.LEVERS)
    return line, exc.value.problems


@pytest.mark.parametrize("action_id, cells, column, value, expected", [
    ("A01", {"param_value": ""}, "param_value", "",
     "une valeur pour le levier 'lifetime_extension' (années ajoutées)"),
    ("A01", {"lever_target": ""}, "lever_target", "",
     "les catégories d'équipement sur lesquelles agit le levier 'lifetime_extension' (par ex. 'laptop;desktop')"),
    ("A23", {"lever_target": "licences"}, "lever_target", "licences",
     "une valeur parmi ['services', 'software', 'cloud', 'telecom']"),
    ("A18", {"lever_target": "8k"}, "lever_target", "8k", "une valeur parmi ['audio', 'sd', 'hd', '4k']"),
])
def test_catalogue_problem_gives_file_line_column_value_and_what_is_expected(tmp_path, action_id, cells, column,
                                                                           value, expected):
    line, problems = _catalogue_problems(tmp_path, action_id, **cells)
    assert [(p.file.endswith("actions_catalogue.csv"), p.row, p.column, p.value, p.expected) for p in problems] \
        == [(True, line, column, value, expected)]


# --------------------------------------------------------------------------------------------------------------
# build_plan: the territory's choices and scaled costs
# --------------------------------------------------------------------------------------------------------------

def test_yearly_cost_per_1000_agents_is_scaled_by_the_agents():
    """A26 costs its catalogue yearly cost per 1,000 agents (3,000 €/year today): 2,000 agents → × 2."""
    cat = io_catalogue.load_catalogue(levers=lv.LEVERS)
    plan = ac.build_plan(cat, None, territory(agents=2000), laptops()).set_index("action_id")
    a26 = cat.set_index("action_id").loc["A26"]
    assert a26["cost_scaling"] == "per_1000_agents" and a26["cost_yearly_eur"] > 0
    assert plan.loc["A26", "yearly_eur"] == pytest.approx(a26["cost_yearly_eur"] * 2, rel=1e-12)


def test_per_device_costs_without_an_inventory_are_zero():
    """No inventory: no device to count, so a per-device action (A01: 40 € + 10 €/year per device) costs 0."""
    plan = ac.build_plan(io_catalogue.load_catalogue(levers=lv.LEVERS), None, territory()).set_index("action_id")
    assert (plan.loc["A01", "investment_eur"], plan.loc["A01", "yearly_eur"]) == (0.0, 0.0)


@pytest.fixture
def overridden_plan(tmp_csv):
    """actions.csv: A01 gets an owner and no target; A23 no owner and the target 'cloud'."""
    cat = io_catalogue.load_catalogue(levers=lv.LEVERS)
    sel = io_catalogue.read_actions(tmp_csv("action_id,owner,target\nA01,Service informatique,\nA23,,cloud\n", "actions.csv"),
                          cat, territory(), levers=lv.LEVERS)
    return cat.set_index("action_id"), ac.build_plan(cat, sel, territory(), laptops()).set_index("action_id")


def test_owner_given_in_actions_csv_replaces_the_catalogue_default(overridden_plan):
    cat, plan = overridden_plan
    assert plan.loc["A01", "owner"] == "Service informatique"
    assert plan.loc["A23", "owner"] == cat.loc["A23", "owner_fr"]  # empty cell: the catalogue's owner


def test_empty_target_in_actions_csv_keeps_the_catalogue_target(overridden_plan):
    cat, plan = overridden_plan
    assert plan.loc["A01", "targets"] == cat.loc["A01", "targets"] != []
    assert plan.loc["A23", "targets"] == ["cloud"]


# --------------------------------------------------------------------------------------------------------------
# Money: yearly spending of the inputs
# --------------------------------------------------------------------------------------------------------------

def test_reconditioned_devices_cost_the_discounted_price():
    """10 reconditioned laptops at 1,000 € kept 5 years: 10 / 5 × 1,000 × (1 − discount) €/year."""
    inv = laptops(10.0).assign(reconditioned=[True])
    cost = ac.yearly_cost_eur(lv.PlanInputs(inventory=inv), prices={**PARAMETERS, "laptop": 1000.0})
    assert cost["equipment_eur"] == pytest.approx(2000.0 * (1 - PRICES["reconditioned_discount"]), rel=1e-12)


def test_electricity_of_a_device_in_a_site_includes_the_site_pue():
    """100 laptops × 48 kWh in a room measured at PUE 1.8: 8,640 kWh × the electricity price."""
    hosting = pd.DataFrame({"site_id": ["salle"], "entity": ["ville"], "kind": ["server_room"], "pue": [1.8]})
    inputs = lv.PlanInputs(inventory=laptops(kwh=48.0).assign(site=["salle"]), hosting=hosting)
    cost = ac.yearly_cost_eur(inputs, load_hosting_kinds(), prices=PRICES)
    assert cost["electricity_eur"] == pytest.approx(8640.0 * PRICES["electricity"], rel=1e-12)


@pytest.mark.parametrize("in_reference_year, spend", [([True, False], 1000.0), (None, 5000.0)])
def test_spend_counts_the_purchases_of_the_reference_year(in_reference_year, spend):
    """1,000 € in the reference year and 4,000 € outside it: 1,000 €; without the flag every row counts, 5,000 €."""
    pur = pd.DataFrame({"entity": ["ville", "ville"], "category": ["software", "cloud"], "amount_eur": [1000.0, 4000.0]})
    if in_reference_year is not None:
        pur["in_reference_year"] = in_reference_year
    cost = ac.yearly_cost_eur(lv.PlanInputs(inventory=laptops(), purchases=pur), prices=PRICES)
    assert cost["spend_eur"] == spend


# --------------------------------------------------------------------------------------------------------------
# evaluate
# --------------------------------------------------------------------------------------------------------------

def test_plan_criteria_give_the_baseline_and_the_change_in_percent():
    """Baseline 3,701.8 kg = 3.7018 t; the extension saves 1,388.175 kg: change −1388.175 / 3701.8 × 100 = −37.5 %."""
    ev = ac.evaluate(extension_plan(), lv.PlanInputs(inventory=laptops()), models())
    climate = ev.plan_criteria.set_index("criterion").loc["climate_change"]
    assert climate["baseline"] == pytest.approx(BASELINE / 1000, rel=1e-9)
    assert climate["change_pct"] == pytest.approx(-37.5, rel=1e-9)


def test_a_computed_gain_says_calcule():
    ev = ac.evaluate(extension_plan(), lv.PlanInputs(inventory=laptops()), models())
    assert ev.gains["gain_status_code"].tolist() == ["computed"]
    assert actions_report.gain_status_fr("computed") == "calculé"


def test_gain_draws_are_paired_with_the_baseline_of_the_models_seed():
    """Seed 7: the plan's gain draws are, draw by draw, the baseline's draws minus the extended fleet's draws (both
    with seed 7), so the action's interval is their 2.5th and 97.5th percentiles."""
    m = models(seed=7)
    inputs = lv.PlanInputs(inventory=laptops())
    ev = ac.evaluate(extension_plan(), inputs, m)
    paired = (ac.run_balance(inputs, m).draws["climate_change"]
              - ac.run_balance(lv.apply_lever(inputs, "lifetime_extension", 3.0, ["laptop"]), m).draws["climate_change"])
    np.testing.assert_allclose(ev.plan_balance_draws, paired, rtol=1e-9)
    row = ev.gains.iloc[0]
    low, high = np.percentile(paired, [2.5, 97.5]) / 1000
    assert (row["gain_low_tco2e"], row["gain_high_tco2e"]) == (pytest.approx(low, rel=1e-9),
                                                                 pytest.approx(high, rel=1e-9))


def test_without_monte_carlo_draws_gains_are_central_values_without_bounds():
    """n_draws = 0: the gain is still 1.388175 t; its bounds are not available (NaN)."""
    ev = ac.evaluate(extension_plan(), lv.PlanInputs(inventory=laptops()), models(n_draws=0))
    row = ev.gains.iloc[0]
    assert row["gain_tco2e"] == pytest.approx(G_LIFE / 1000, rel=1e-9)
    assert np.isnan(row["gain_low_tco2e"]) and np.isnan(row["gain_high_tco2e"])




def test_plan_total_counts_the_gain_on_the_services():
    """The only selected action removes a third of the stored volume (the model is linear in it): the plan's
    services gain is a third of the services baseline, as is the action's."""
    _, _, ev = _storage_study(seed=20200101)
    third = ev.baseline_services.central["climate_change"] / 3
    assert ev.plan_central["services"] == pytest.approx(third, rel=1e-9)
    assert ev.plan_central["total"] == pytest.approx(third, rel=1e-9)


def test_services_runs_use_the_models_seed():
    """Seed 7: the services baseline draws are those of ``run_lca`` with seed 7."""
    from helpers.model.services import build_inputs, run_lca

    inputs, m, ev = _storage_study(seed=7)
    built = build_inputs(inputs.services, m.service_factors, m.categories, m.hosting_kinds, presets=m.presets)
    expected = run_lca(built, m.n_draws, 7).total_annual_draws("climate_change")
    np.testing.assert_allclose(ev.baseline_services.draws["climate_change"], expected, rtol=1e-12)


# --------------------------------------------------------------------------------------------------------------
# Monitoring indicators
# --------------------------------------------------------------------------------------------------------------



@pytest.mark.parametrize("lever, value, unit", [
    ("storage_purge", 60.0, "To stockés"),                  # 60 TB-years stored (61,440 GB ÷ 1024)
    ("page_weight", (2.0 * 1000 + 1.0 * 3000) / 4000, "Mo par page"),  # weighted by visits: 1.25, not 1.5
    ("video_quality", 300 / (100 + 300) * 100, "% des heures en HD ou plus"),  # 300 h of HD streaming of 400 h
])
def test_monitoring_indicator_of_each_services_lever(lever, value, unit):
    got = _french_unit(ac.indicator_value(lv.PlanInputs(inventory=laptops(), services=SERVICES), lever, [], presets=load_presets()))
    assert got == (pytest.approx(value, rel=1e-12), unit)


@pytest.mark.parametrize("lever, unit", [("software_spend", "€ HT/an"), ("mobile_to_fixed", "Go/an")])
def test_indicator_without_its_input_is_not_available_with_its_unit(lever, unit):
    value, got_unit = _french_unit(ac.indicator_value(lv.PlanInputs(inventory=laptops()), lever, []))
    assert np.isnan(value) and got_unit == unit


def _indicators(milestone_year):
    """X1 extends 100 laptops from 5 to 8 years and is half implemented in 2030 (ramp 0.5)."""
    plan = extension_plan().assign(indicator_fr="Durée de vie moyenne des portables", indicator_target_fr=np.nan)
    ramps = pd.DataFrame({"action_id": ["X1"], "start_year": [2028], "end_year": [2031], 2030: [0.5]})
    return actions_report.indicator_units(ac.indicators_table(plan, lv.PlanInputs(inventory=laptops()), ramps, milestone_year, load_hosting_kinds()))


def test_indicator_at_the_milestone_follows_the_ramp():
    """Baseline 5 years, 8 at full implementation; at the milestone 5 + (8 − 5) × 0.5 = 6.5 years."""
    row = _indicators(2030).set_index("action_id").loc["X1"]
    assert (row["unit"], row["baseline"], row["target_full"], row["target_milestone"]) == ("années", 5.0, 8.0, 6.5)


def test_indicator_without_a_ramp_for_the_milestone_has_no_milestone_target():
    """The milestone 2035 is not in the roadmap's years: no milestone target (NaN), the full target is kept."""
    row = _indicators(2035).set_index("action_id").loc["X1"]
    assert np.isnan(row["target_milestone"]) and row["target_full"] == 8.0


# --------------------------------------------------------------------------------------------------------------
# Scores
# --------------------------------------------------------------------------------------------------------------

def test_cost_component_of_a_cheap_action_below_one_euro_per_tonne():
    """0.5 €/tCO2e: 1 / (1 + 0.5 / 250) = 250 / 250.5."""
    comp = ac.priority_score([1.0], [0.5], [1], [0.5])
    assert comp["cost_component"].iat[0] == pytest.approx(250 / 250.5, rel=1e-12)


def test_axis_scored_none_is_not_scored():
    """Score None for the only axis: neutral gap 0.5."""
    assert list(ac.maturity_gap([["a"]], {"a": None})) == [0.5]


# --------------------------------------------------------------------------------------------------------------
# Means tables (French headers)
# --------------------------------------------------------------------------------------------------------------

def _means_plan():
    """One action from 2025 with 24 months of set-up (ends 2026): 1,234.56 € invested, 300 €/year, 10 agent-days."""
    plan = pd.DataFrame({"action_id": ["X1"], "title_fr": ["Allonger la durée de vie"], "selected": [True],
                         "owner": ["DSI"], "investment_eur": [1234.56], "yearly_eur": [300.0], "staff_days": [10.0],
                         "start_year": [2025], "months": [24.0]})
    return plan, pd.DataFrame({"action_id": ["X1"], "rank_all": [1]})


def test_means_table_headers_and_rounded_euros():
    t = actions_report.means_table(*_means_plan())
    assert list(t.columns) == ["Action", "Titre", "Porteur", "Investissement (€ HT)", "Coût annuel (€ HT/an)",
                               "Temps d'agent, mise en place (jours)", "Temps d'agent récurrent (jours/an)",
                               "Mise en place"]
    assert t.iloc[0].tolist() == ["X1", "Allonger la durée de vie", "DSI", 1235.0, 300.0, 10.0, 0.0, "2025–2026"]


def test_budget_by_year_spreads_investment_and_staff_time_over_the_set_up():
    """2025 and 2026: 1,234.56 / 2 = 617.28 € and 10 / 2 = 5 days each; 300 €/year from 2025 on; nothing saved."""
    from helpers.plan import budget as bg

    t = bg.budget_by_year([2025, 2026, 2027], [2025], [2026], [1234.56], [300.0], [10.0], [0.0],
                          np.array([[0.25, 0.75, 1.0]]), [0.0], 0.0)
    assert t["investment_eur"].tolist() == pytest.approx([617.28, 617.28, 0.0], rel=1e-12)
    assert t["operating_eur"].tolist() == [300.0, 300.0, 300.0]
    assert t["staff_days"].tolist() == [5.0, 5.0, 0.0]
    assert t["net_eur"].tolist() == pytest.approx([917.28, 917.28, 300.0], rel=1e-12)


def test_budget_by_year_without_action_keeps_its_columns():
    from helpers.plan import budget as bg

    t = bg.budget_by_year([2025, 2026], [], [], [], [], [], [], np.zeros((0, 2)), [], 0.0)
    assert list(t.columns) == list(bg.BUDGET_COLUMNS)
    assert t.drop(columns="year").to_numpy().tolist() == [[0.0] * 11, [0.0] * 11]


# --------------------------------------------------------------------------------------------------------------
# summary_actions.json
# --------------------------------------------------------------------------------------------------------------

@pytest.fixture
def summary():
    """A reduction R1 (axis strategy_governance) and an avoided action V1 on an axis without label."""
    row = {"selected": True, "lever": "lifetime_extension", "start_year": 2025, "score": 0.5, "basis": "reference",
           "discount_rate": 0.032, "balance_gain_tco2e": 2.0, "balance_gain_low_tco2e": 1.5, "balance_gain_high_tco2e": 2.5,
           "services_gain_tco2e": 0.0, "services_gain_low_tco2e": 0.0, "services_gain_high_tco2e": 0.0}
    ranked = pd.DataFrame([
        {**row, "action_id": "R1", "title_fr": "Réduire", "axes_list": ["strategy_governance"], "kind": "reduction",
         "rank": 1, "rank_all": 1, "gain_tco2e": 2.0, "gain_low_tco2e": 1.5, "gain_high_tco2e": 2.5,
         "cost_eur_per_tco2e": 100.0},
        {**row, "action_id": "V1", "title_fr": "Éviter", "axes_list": ["axe_inconnu"], "kind": "avoided",
         "lever": "fleet_stabilisation", "rank": pd.NA, "rank_all": 2, "gain_tco2e": 3.0, "gain_low_tco2e": 2.0,
         "gain_high_tco2e": 4.0, "cost_eur_per_tco2e": np.nan, "basis": "bau_milestone"},
    ])
    ranked["rank"] = ranked["rank"].astype("Int64")
    ev = SimpleNamespace(plan_balance_draws=np.full(10, 2000.0), plan_services_draws=np.zeros(10),
                         plan_central={"balance": 2000.0, "services": 0.0, "total": 2000.0})
    info = {"trajectory": {}, "indicators": [], "n_draws": 10, "seed": 1,
            "counterfactual": {"basis": "tendance du parc"}}
    study = section.ActionsStudy(plan=None, ranked=ranked, evaluation=ev, roadmap=None, trajectory=None, budget=None,
                            indicators=None, axis_scores=None, info=info)
    return study.summary()


def test_summary_gives_each_action_its_axis_and_label(summary):
    first, second = summary["actions"]
    assert (first["id"], first["axis"], first["axis_label"]) == ("R1", "strategy_governance", "Stratégie et gouvernance")
    assert (second["id"], second["axis"], second["axis_label"]) == ("V1", "axe_inconnu", "")


def test_summary_gives_the_avoided_emissions_with_their_interval(summary):
    avoided = summary["actions"][1]
    assert avoided["avoided_tco2e_per_year"] == {"value": 3.0, "low": 2.0, "high": 4.0}
    assert avoided["reduction_tco2e_per_year"] is None
    assert summary["avoided_emissions"] == {"counterfactual": {"basis": "tendance du parc"}, "actions": ["V1"]}


def test_summary_says_the_trajectory_follows_the_balance_only(summary):
    assert summary["actions_meta"]["perimeter_note"] == ("reduction = bilan de la collectivité + services (usagers "
                                                         "compris); la trajectoire ne suit que le bilan")
