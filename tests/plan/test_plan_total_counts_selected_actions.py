"""Action plan: the plan total counts the selected actions only (issue 22).

100 laptops (ADEME/NegaOctet 2022: manufacturing 170, distribution 12.3, end of life 2.79 kgCO2e per unit,
``incubateur-ademe/publicodes-acv-numerique:src/acv-terminaux.publicodes``) kept 5 years. Extending their life by
3 years saves ``100 × 185.09 / 5 − 100 × 185.09 / 8 = 1388.175 kgCO2e`` a year; reconditioning half of them alone
would save ``50 × 170 × (1 − 0.3) / 5 = 1190 kgCO2e`` (reconditioned embodied share 0.3).
"""

from __future__ import annotations

import pandas as pd
import pytest
from builders.one_laptop_plan import LAPTOP, PRICES, models  # noqa: F401

from helpers.model import levers as lv
from helpers.plan import actions as ac
from helpers.report import actions as actions_report
from helpers.run import actions_section as section

PER_UNIT = sum(LAPTOP.values())  # 185.09 kgCO2e
G_LIFE = 100 * PER_UNIT / 5 - 100 * PER_UNIT / 8  # 1388.175 kgCO2e/year
G_RECOND = 50 * 170.0 * (1 - 0.3) / 5  # 1190 kgCO2e/year



def _french_unit(got: tuple[float, str]) -> tuple[float, str]:
    """An indicator ``(value, unit code)`` with its unit as the diagnostic writes it (:mod:`helpers.report.actions`)."""
    return got[0], actions_report.INDICATOR_UNITS_FR[got[1]]



def laptops() -> pd.DataFrame:
    return pd.DataFrame({"line_id": ["L1"], "entity": ["ville"], "category": ["laptop"], "tier": ["terminals"],
                         "factor_item": ["laptop"], "quantity": [100.0], "purchase_year": [2020.0],
                         "age_years": [0.0], "lifetime_years": [5.0], "power_w": [26.5], "hours_per_day": [7.0],
                         "days_per_year": [220.0], "yearly_kwh": [0.0], "reconditioned": [False],
                         "quality": ["high"], "site": [None]})


def plan(selected_recond: bool) -> pd.DataFrame:
    return pd.DataFrame([
        {"action_id": "X1", "lever": "lifetime_extension", "param": 3.0, "targets": ["laptop"], "selected": True},
        {"action_id": "X2", "lever": "reconditioned_share", "param": 0.5, "targets": ["laptop"],
         "selected": selected_recond},
    ])


def test_plan_total_leaves_out_an_unselected_action():
    """X2 is not selected: the plan's gain is X1's alone, 1388.175 kgCO2e, although X2 is still evaluated (its own
    gain, 1190 kg, is in the gains table)."""
    ev = ac.evaluate(plan(selected_recond=False), lv.PlanInputs(inventory=laptops()), models())
    assert ev.plan_central["balance"] == pytest.approx(G_LIFE, rel=1e-9)
    assert ev.plan_central["total"] == pytest.approx(G_LIFE, rel=1e-9)
    gains = ev.gains.set_index("action_id")["balance_gain_tco2e"] * 1000
    assert gains["X2"] == pytest.approx(G_RECOND, rel=1e-9)
    climate = ev.plan_criteria.set_index("criterion").loc["climate_change"]
    assert climate["value"] == pytest.approx(G_LIFE / 1000, rel=1e-9)


def test_plan_total_with_both_selected_is_the_combined_gain():
    """Both selected: 50 new and 50 reconditioned laptops, all kept 8 years:
    ``100 × 185.09 / 5 − (50 × 185.09 + 50 × (170 × 0.3 + 12.3 + 2.79)) / 8 = 2131.9125 kgCO2e``."""
    combined = 100 * PER_UNIT / 5 - (50 * PER_UNIT + 50 * (170.0 * 0.3 + 12.3 + 2.79)) / 8
    ev = ac.evaluate(plan(selected_recond=True), lv.PlanInputs(inventory=laptops()), models())
    assert ev.plan_central["balance"] == pytest.approx(combined, rel=1e-9)


@pytest.fixture(scope="module")
def mini_study(tmp_path_factory):
    from helpers.io.ingest import ingest_all
    from helpers.run.context import open_context

    ctx = open_context("test-mini", tmp_path_factory.mktemp("mini"))
    ingest_all(ctx)
    return section.run_study(ctx, n_draws=300, seed=1)


def test_summary_plan_reductions_are_the_evaluations_in_tonnes(mini_study):
    """summary.json: each plan reduction (total, balance, services) is the evaluation's kgCO2e central value ÷ 1000,
    its bounds the 2.5th/97.5th percentiles of the paired draws ÷ 1000, and the total the sum of the two parts."""
    import numpy as np

    s = mini_study.summary()
    ev = mini_study.evaluation
    parts = {"balance": ev.plan_balance_draws, "services": ev.plan_services_draws,
             "total": ev.plan_balance_draws + ev.plan_services_draws}
    for name, draws in parts.items():
        key = "plan_reduction_tco2e_per_year" if name == "total" else f"plan_reduction_{name}_tco2e_per_year"
        low, high = np.percentile(draws, [2.5, 97.5]) / 1000.0
        assert s[key]["value"] == pytest.approx(ev.plan_central[name] / 1000.0, rel=1e-12), name
        assert (s[key]["low"], s[key]["high"]) == (pytest.approx(low, rel=1e-12), pytest.approx(high, rel=1e-12))
    assert ev.plan_central["total"] == pytest.approx(ev.plan_central["balance"] + ev.plan_central["services"])
    assert ev.plan_central["balance"] > 0


def _fleet() -> pd.DataFrame:
    """30 reconditioned laptops kept 8 years (40 kWh/year each) and 70 new ones kept 5 years (50 kWh), 150 screens."""
    inv = pd.concat([laptops()] * 3, ignore_index=True)
    inv["line_id"] = ["L1", "L2", "S1"]
    inv["category"] = ["laptop", "laptop", "screen_small"]
    inv["quantity"] = [30.0, 70.0, 150.0]
    inv["lifetime_years"] = [8.0, 5.0, 6.0]
    inv["yearly_kwh"] = [40.0, 50.0, 20.0]
    inv["reconditioned"] = [True, False, False]
    return inv


@pytest.mark.parametrize("lever, value, unit", [
    ("lifetime_extension", (30 * 8 + 70 * 5) / 100, "années"),      # quantity-weighted mean lifetime: 5.9
    ("reconditioned_share", 30.0, "%"),                              # 30 of 100 laptops
    ("fleet_reduction", 100.0, "équipements"),
    ("power_management", 30 * 40 + 70 * 50, "kWh/an"),               # 1200 + 3500 = 4700
    ("screens_per_workstation", 150 / 100, "écrans par poste"),
])
def test_monitoring_indicator_of_each_fleet_lever(lever, value, unit):
    got = _french_unit(ac.indicator_value(lv.PlanInputs(inventory=_fleet()), lever, ["laptop"]))
    assert got == (pytest.approx(value, rel=1e-12), unit)


def test_indicators_without_their_input_are_not_available():
    inputs = lv.PlanInputs(inventory=_fleet())
    assert _french_unit(ac.indicator_value(inputs, "printing_reduction", []))[1] == "ramettes/an"
    value, _ = _french_unit(ac.indicator_value(inputs, "printing_reduction", []))
    assert value != value  # NaN: no printing.csv


def test_criteria_table_gives_climate_change_in_tonnes_with_its_unit():
    """The per-action criteria table (``actions_criteria.csv``, sheet « Actions multicritère ») divides climate change
    by 1,000 like the plan's table: its unit says tCO2e, not the factors' kgCO2e. X1 saves 1.388175 tCO2e a year
    against a reference of 100 × 185.09 / 5 = 3,701.8 kg = 3.7018 t."""
    ev = ac.evaluate(plan(selected_recond=False), lv.PlanInputs(inventory=laptops()), models())
    x1 = ev.criteria.set_index(["action_id", "criterion"]).loc[("X1", "climate_change")]
    assert x1["unit"] == "tCO2e" == ev.plan_criteria.set_index("criterion").loc["climate_change", "unit"]
    assert x1["value"] == pytest.approx(G_LIFE / 1000, rel=1e-9)
    assert x1["baseline"] == pytest.approx(100 * PER_UNIT / 5 / 1000, rel=1e-9)


def test_models_without_climate_change_are_refused():
    """The plan ranks and sums the actions by their tCO2e: models given other criteria only are refused at once
    (they used to fail at the end of the evaluation with an unbound variable)."""
    with pytest.raises(ValueError, match="climate_change"):
        ac.Models(categories=pd.DataFrame(), factors=pd.DataFrame(), hosting_kinds=pd.DataFrame(),
                  reference_year=2020, criteria=("water",), prices=PRICES)
    assert "climate_change" in ac.Models(categories=pd.DataFrame(), factors=pd.DataFrame(),
                                         hosting_kinds=pd.DataFrame(), reference_year=2020, prices=PRICES).criteria
