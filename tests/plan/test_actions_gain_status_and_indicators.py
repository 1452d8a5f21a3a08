"""Action plan, third pass on the ``make mutate`` survivors of ``helpers.plan.actions`` (issue 22).

100 laptops kept 5 years weigh ``BASELINE = 100 × 185.09 / 5 = 3701.8 kgCO2e`` a year (ADEME/NegaOctet 2022 laptop
factors, see ``test_actions_laptop_gains_and_costs``) and a 3-year extension saves ``G_LIFE = 1388.175 kgCO2e``. Other reference values
are derived in each test's docstring.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from builders.laptop_fleet_plan import (
    BASELINE,
    G_LIFE,
    SERVICES,
    _storage_study,
    extension_plan,
    laptops,
    models,
)
from builders.services_library import SERVICES_2  # noqa: F401

from helpers.io.factors import load_hosting_kinds
from helpers.io.prices import load_unit_prices, price_dict
from helpers.io.services_inputs import load_presets
from helpers.model import levers as lv
from helpers.plan import actions as ac
from helpers.report import actions as actions_report
from helpers.run import actions_section as section

#: the reference unit prices (data/raw/reference/unit_prices.csv), item -> EUR excl. VAT
PRICES = price_dict(load_unit_prices())

# --------------------------------------------------------------------------------------------------------------
# evaluate: status, basis and avoided gain of each kind of action
# --------------------------------------------------------------------------------------------------------------

GROWTH = 1.2  # the business-as-usual fleet is 20 % larger at the milestone


def _french_unit(got: tuple[float, str]) -> tuple[float, str]:
    """An indicator ``(value, unit code)`` with its unit as the diagnostic writes it (:mod:`helpers.report.actions`)."""
    return got[0], actions_report.INDICATOR_UNITS_FR[got[1]]


@pytest.fixture(scope="module")
def mixed():
    """X1 extends the laptops; N1 has no model (lever ``none``); P1 needs printing.csv, which is absent; V1
    stabilises half of the fleet growth."""
    plan = pd.concat([extension_plan(), pd.DataFrame([
        {"action_id": "N1", "lever": "none", "param": np.nan, "targets": [], "selected": True},
        {"action_id": "P1", "lever": "printing_reduction", "param": 0.5, "targets": [], "selected": True},
        {"action_id": "V1", "lever": "fleet_stabilisation", "param": 0.5, "targets": [], "selected": True},
    ])], ignore_index=True)
    return ac.evaluate(plan, lv.PlanInputs(inventory=laptops()), models(), growth_at_milestone=GROWTH)


def test_gain_status_says_computed_no_model_or_which_file_is_missing(mixed):
    assert mixed.gains["gain_status_code"].tolist() == ["computed", "no_carbon_model", "missing_input", "computed"]
    assert [actions_report.gain_status_fr(c, m) for c, m in zip(mixed.gains["gain_status_code"],
                                                                mixed.gains["missing_inputs"])] == [
        "calculé", "sans gain carbone calculé", "donnée absente : printing.csv", "calculé"]


def test_fleet_stabilisation_avoids_its_share_of_the_fleet_growth(mixed):
    """Share 0.5 of a growth of 20 % of the fleet-driven baseline (all of it: laptops only):
    ``0.5 × 0.2 × 3701.8 = 370.18 kgCO2e`` = 0.37018 t."""
    v1 = mixed.gains.set_index("action_id").loc["V1"]
    assert v1["gain_tco2e"] == pytest.approx(0.5 * (GROWTH - 1) * BASELINE / 1000, rel=1e-9)


def test_fleet_stabilisation_saves_its_share_of_the_renewals_of_the_growth(mixed):
    """100 laptops renewed every 5 years at the unit price of unit_prices.csv: 20 × price €/year; V1 saves
    ``0.5 × 0.2`` of it (devices of the growth not bought)."""
    v1 = mixed.gains.set_index("action_id").loc["V1"]
    expected = 0.5 * (GROWTH - 1) * 100 / 5 * PRICES["laptop"]
    assert v1["money_saved_eur_per_year"] == pytest.approx(expected, rel=1e-12)


def test_gain_basis_is_the_bau_milestone_for_fleet_stabilisation_only(mixed):
    assert mixed.gains["basis"].tolist() == ["reference", "reference", "reference", "bau_milestone"]


def test_scenarios_keep_the_inputs_of_each_rerun_action(mixed):
    """Only X1 reran a model (N1 has none, P1 lacks its input, V1 acts on the trajectory); its inputs carry the
    extended lifetime 5 + 3 = 8 years."""
    assert list(mixed.scenarios) == ["X1"]
    assert mixed.scenarios["X1"].inventory["lifetime_years"].tolist() == [8.0]


def test_plan_criteria_give_the_balance_part_in_tonnes(mixed):
    """Combined plan = X1 alone (V1 is in the trajectory, N1 and P1 change nothing): 1.388175 t on the balance."""
    climate = mixed.plan_criteria.set_index("criterion").loc["climate_change"]
    assert climate["balance"] == pytest.approx(G_LIFE / 1000, rel=1e-9)


def test_plan_criteria_value_adds_the_services_gain():
    """The storage purge removes a third of the services baseline and nothing on the balance: the plan's climate
    value is + a third of the services baseline (in t), not − a third."""
    _, _, ev = _storage_study(seed=20200101)
    climate = ev.plan_criteria.set_index("criterion").loc["climate_change"]
    third = ev.baseline_services.central["climate_change"] / 3 / 1000
    assert third > 0
    assert climate["value"] == pytest.approx(third, rel=1e-9)


# --------------------------------------------------------------------------------------------------------------
# Monitoring indicators
# --------------------------------------------------------------------------------------------------------------

def test_printing_indicator_counts_pages_as_reams_where_reams_are_missing():
    """10 reams on one line; 2,500 pages (= 2,500 / 500 = 5 reams) on the other: 15 reams a year."""
    printing = pd.DataFrame({"entity": ["ville", "ville"], "reams_per_year": [10.0, np.nan],
                             "pages_per_year": [np.nan, 2500.0]})
    got = _french_unit(ac.indicator_value(lv.PlanInputs(inventory=laptops(), printing=printing), "printing_reduction", []))
    assert got == (pytest.approx(15.0, rel=1e-12), "ramettes/an")


def test_hosting_indicator_is_the_mean_pue_of_the_rooms():
    """Two rooms measured at PUE 1.8 and 1.4: mean 1.6."""
    hosting = pd.DataFrame({"site_id": ["a", "b"], "entity": ["ville", "ville"], "kind": ["server_room"] * 2,
                            "pue": [1.8, 1.4]})
    got = _french_unit(ac.indicator_value(lv.PlanInputs(inventory=laptops(), hosting=hosting), "hosting_consolidation", [],
                                          hosting_kinds=load_hosting_kinds()))
    assert got == (pytest.approx(1.6, rel=1e-12), "PUE moyen des salles")


def test_mobile_to_fixed_indicator_sums_the_mobile_data():
    """100 GB + 50 GB of mobile data a year: 150 GB."""
    telecom = pd.DataFrame({"entity": ["ville", "ville"], "mobile_data_gb_per_year": [100.0, 50.0]})
    got = _french_unit(ac.indicator_value(lv.PlanInputs(inventory=laptops(), telecom=telecom), "mobile_to_fixed", []))
    assert got == (pytest.approx(150.0, rel=1e-12), "Go mobiles/an")




def test_audio_indicator_is_the_hours_weighted_audio_share():
    """Visio 'v' 100 h with the preset's audio share 0 and 'v2' 300 h at 0.5: (0 × 100 + 0.5 × 300) / 400 = 37.5 %."""
    got = _french_unit(ac.indicator_value(lv.PlanInputs(inventory=laptops(), services=SERVICES_2), "visio_audio_only", [], presets=load_presets()))
    assert got == (pytest.approx(37.5, rel=1e-12), "% des heures en audio")


def test_audio_indicator_counts_a_visio_without_audio_share_as_video():
    """Presets without a visio audio share: 'v' (100 h) keeps no audio share and counts as 0, so the indicator is
    still (0 × 100 + 0.5 × 300) / 400 = 37.5 %."""
    presets = load_presets()
    presets.loc["visio", "audio_share"] = np.nan
    got = _french_unit(ac.indicator_value(lv.PlanInputs(inventory=laptops(), services=SERVICES_2), "visio_audio_only", [],
                             presets=presets))
    assert got == (pytest.approx(37.5, rel=1e-12), "% des heures en audio")


def test_lazy_loading_indicator_is_the_data_per_visit_in_mb():
    """Site: 2 MB × 3 pages = 6 MB per visit, 1,000 visits; portal: 1 MB × 3 = 3 MB, 3,000 visits:
    (6 × 1000 + 3 × 3000) / 4000 = 3.75 MB per visit (the page weight alone would give 1.25)."""
    got = _french_unit(ac.indicator_value(lv.PlanInputs(inventory=laptops(), services=SERVICES), "lazy_loading", [], presets=load_presets()))
    assert got == (pytest.approx(3.75, rel=1e-12), "Mo par visite")


# --------------------------------------------------------------------------------------------------------------
# summary_actions.json
# --------------------------------------------------------------------------------------------------------------

@pytest.fixture
def summary():
    """A reduction R1 and an avoided action V1 (fleet stabilisation), 10 draws with seed 1."""
    row = {"selected": True, "start_year": 2025, "score": 0.5, "discount_rate": 0.032, "axes_list": [],
           "title_fr": "Action", "cost_eur_per_tco2e": np.nan, "rank_all": 1, "rank": 1}
    row |= {f"{p}{b}_tco2e": 1.0 for p in ("balance_gain", "services_gain", "gain") for b in ("", "_low", "_high")}
    ranked = pd.DataFrame([{**row, "action_id": "R1", "lever": "lifetime_extension", "kind": "reduction",
                            "basis": "reference"},
                           {**row, "action_id": "V1", "lever": "fleet_stabilisation", "kind": "avoided",
                            "basis": "bau_milestone", "rank_all": 2}])
    ev = SimpleNamespace(plan_balance_draws=np.ones(10), plan_services_draws=np.zeros(10),
                         plan_central={"balance": 1.0, "services": 0.0, "total": 1.0})
    info = {"trajectory": {}, "indicators": [], "n_draws": 10, "seed": 1, "counterfactual": {"basis": "tendance"}}
    return section.ActionsStudy(plan=None, ranked=ranked, evaluation=ev, roadmap=None, trajectory=None, budget=None,
                           indicators=None, axis_scores=None, info=info).summary()


def test_summary_gives_the_counterfactual_of_avoided_actions_only(summary):
    assert [(a["id"], a["counterfactual"]) for a in summary["actions"]] == [("R1", None),
                                                                           ("V1", "tendance")]


def test_summary_gives_the_draws_and_seed(summary):
    meta = summary["actions_meta"]
    assert (meta["n_draws"], meta["seed"]) == (10, 1)
