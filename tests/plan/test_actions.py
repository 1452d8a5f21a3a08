"""Action plan: catalogue, actions.csv reader, levers, gains by rerunning the models, costs and ranking.

Reference values are computed by hand here from the cited factors (ADEME/NegaOctet 2022 laptop: manufacturing 170,
distribution 12.3, end of life 2.79 kgCO2e per unit, ``incubateur-ademe/publicodes-acv-numerique:src/
acv-terminaux.publicodes``), on small factor and category tables written in the test so the library can evolve.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from helpers.io import catalogue as io_catalogue
from helpers.io.errors import InputError
from helpers.io.factors import load_categories, load_hosting_kinds
from helpers.io.prices import PRICE_PARAMETERS, load_unit_prices, price_dict
from helpers.io.services_inputs import load_presets
from helpers.model import levers as lv
from helpers.model.parameters import DEFAULTS
from helpers.plan import actions as ac
from helpers.report import actions as actions_report
from helpers.run import actions_section as section

#: the reference unit prices (data/raw/reference/unit_prices.csv), item -> EUR excl. VAT
PRICES = price_dict(load_unit_prices())
#: the equipment categories' prices (the items that are not price parameters)
EQUIPMENT_PRICES = {k: v for k, v in PRICES.items() if k not in PRICE_PARAMETERS}

LAPTOP = {"manufacturing": 170.0, "distribution": 12.3, "end_of_life": 2.79}  # kgCO2e per unit, ADEME 2022
ELEC = 0.0461  # kgCO2e/kWh, Base Empreinte 2025 mix moyen (publicodes-commun)


def factor_table() -> pd.DataFrame:
    rows = [(f"laptop:{p}:climate_change", "laptop", p, "climate_change", v, "kgCO2e/unit", "unit", v * 0.8, v * 1.25,
             "lognormal") for p, v in LAPTOP.items()]
    rows.append(("electricity_fr:use:climate_change", "electricity_fr", "use", "climate_change", ELEC, "kgCO2e/kWh",
                 "kwh", 0.0442, 0.0599, "triangular"))
    return pd.DataFrame(rows, columns=["factor_id", "item", "phase", "criterion", "value", "unit", "activity_unit",
                                       "low", "high", "distribution"])


def category_table() -> pd.DataFrame:
    return pd.DataFrame([{"category": "laptop", "label_fr": "Ordinateur portable", "tier": "terminals",
                          "factor_item": "laptop", "default_lifetime_years": 5.0, "lifetime_low_years": 3.0,
                          "lifetime_high_years": 8.0, "reconditioned_embodied_share": 0.3}])


def laptops(n=100, lifetime=5.0, kwh=48.0) -> pd.DataFrame:
    return pd.DataFrame({"line_id": ["L1"], "entity": ["ville"], "category": ["laptop"], "tier": ["terminals"],
                         "factor_item": ["laptop"], "quantity": [float(n)], "purchase_year": [2020.0],
                         "age_years": [0.0], "lifetime_years": [lifetime], "power_w": [26.5], "hours_per_day": [7.0],
                         "days_per_year": [220.0], "yearly_kwh": [kwh], "reconditioned": [False],
                         "quality": ["high"], "site": [None]})


def models(n_draws=2000) -> ac.Models:
    return ac.Models(categories=category_table(), factors=factor_table(), hosting_kinds=load_hosting_kinds(),
                     reference_year=2020, criteria=("climate_change",), n_draws=n_draws, seed=20200101, prices=PRICES, presets=load_presets())


def one_action_plan(rows) -> pd.DataFrame:
    return pd.DataFrame([{"action_id": a, "lever": lev, "param": p, "targets": t, "selected": True}
                         for a, lev, p, t in rows])


# --------------------------------------------------------------------------------------------------------------
# Gains by rerunning the carbon model
# --------------------------------------------------------------------------------------------------------------

def test_lifetime_extension_equals_the_hand_computed_annualised_difference():
    # 100 laptops: (170 + 12.3 + 2.79) kg / 5 years vs / 8 years
    per_unit = 170.0 + 12.3 + 2.79
    expected_kg = 100 * per_unit / 5 - 100 * per_unit / 8  # = 1,388.175 kgCO2e per year
    assert expected_kg == pytest.approx(1388.175)
    inputs = lv.PlanInputs(inventory=laptops())
    ev = ac.evaluate(one_action_plan([("X1", "lifetime_extension", 3.0, ["laptop"])]), inputs, models())
    row = ev.gains.set_index("action_id").loc["X1"]
    assert row["balance_gain_tco2e"] == pytest.approx(expected_kg / 1000, rel=1e-9)
    assert row["services_gain_tco2e"] == 0.0
    # paired draws: the difference is never negative and its interval brackets the central value
    assert 0 < row["balance_gain_low_tco2e"] < row["balance_gain_tco2e"] < row["balance_gain_high_tco2e"]
    # use energy is the same in both runs, so it cancels: the plan's gain (one action) is the same number
    assert ev.plan_central["balance"] == pytest.approx(expected_kg, rel=1e-9)


def test_combining_two_actions_on_the_same_line_gives_less_than_the_sum():
    per_unit = 170.0 + 12.3 + 2.79
    base = 100 * per_unit / 5
    # +3 years alone
    g_life = base - 100 * per_unit / 8
    # half of the laptops reconditioned alone: manufacturing × 0.3 on 50 units
    g_recond = 50 * 170.0 * (1 - 0.3) / 5
    # both: 50 new and 50 reconditioned laptops, all kept 8 years
    combined = base - (50 * per_unit + 50 * (170.0 * 0.3 + 12.3 + 2.79)) / 8
    assert combined < g_life + g_recond
    inputs = lv.PlanInputs(inventory=laptops())
    plan = one_action_plan([("X1", "lifetime_extension", 3.0, ["laptop"]),
                            ("X2", "reconditioned_share", 0.5, ["laptop"])])
    ev = ac.evaluate(plan, inputs, models())
    g = ev.gains.set_index("action_id")["balance_gain_tco2e"] * 1000
    assert g["X1"] == pytest.approx(g_life, rel=1e-9)
    assert g["X2"] == pytest.approx(g_recond, rel=1e-9)
    assert ev.plan_central["balance"] == pytest.approx(combined, rel=1e-9)
    assert ev.plan_central["balance"] < g.sum()


def test_power_management_changes_only_the_use_phase():
    # 100 laptops × 48 kWh × 40 % × 0.0461 kgCO2e/kWh (MiNumEco bonne pratique 3: -40 %)
    expected = 100 * 48 * 0.4 * ELEC
    ev = ac.evaluate(one_action_plan([("X1", "power_management", 0.4, ["laptop"])]),
                     lv.PlanInputs(inventory=laptops()), models())
    assert ev.gains["balance_gain_tco2e"].iat[0] * 1000 == pytest.approx(expected, rel=1e-9)


def test_action_without_its_input_has_no_gain_and_says_why():
    ev = ac.evaluate(one_action_plan([("X1", "printing_reduction", 0.5, [])]), lv.PlanInputs(inventory=laptops()),
                     models(200))
    assert ev.gains["gain_tco2e"].iat[0] == 0.0
    row = ev.gains.iloc[0]
    assert (row["gain_status_code"], row["missing_inputs"]) == ("missing_input", ("printing",))
    assert "printing.csv" in actions_report.gain_status_fr(row["gain_status_code"], row["missing_inputs"])


def test_fleet_stabilisation_avoids_the_growth_of_the_milestone():
    per_unit = 170.0 + 12.3 + 2.79
    base = 100 * per_unit / 5 + 100 * 48 * ELEC
    ev = ac.evaluate(one_action_plan([("X1", "fleet_stabilisation", 1.0, [])]), lv.PlanInputs(inventory=laptops()),
                     models(200), growth_at_milestone=1.45)
    assert ev.gains["balance_gain_tco2e"].iat[0] * 1000 == pytest.approx(0.45 * base, rel=1e-9)
    assert ev.plan_central["balance"] == 0.0  # not part of the combined rerun: it acts on the trajectory


def test_avoided_action_counts_fleet_driven_lines_only_and_devices_not_bought():
    """100 laptops (fleet-driven: (170 + 12.3 + 2.79) / 5 + 48 × 0.0461 kg each) and 1,000 reams of paper (not
    fleet-driven: paper does not grow with the fleet). With a counterfactual index 1.45 at the milestone, the avoided
    emissions are 0.45 × the laptops only; the money saved is 0.45 × the laptops' yearly renewals only
    (100 / 5 × 900 EUR = 18,000 EUR → 8,100 EUR), not of the paper or the energy bill."""
    printing = pd.DataFrame({"entity": ["ville"], "reams": [1000.0], "quality": ["high"]})
    fac = pd.concat([factor_table(), pd.DataFrame([{
        "factor_id": "paper_a4_ream:manufacturing:climate_change", "item": "paper_a4_ream", "phase": "manufacturing",
        "criterion": "climate_change", "value": 2.29, "unit": "kgCO2e/ream", "activity_unit": "ream", "low": 1.75,
        "high": 3.65, "distribution": "triangular"}])], ignore_index=True)
    m = models(200)
    m.factors = fac
    laptops_kg = 100 * ((170.0 + 12.3 + 2.79) / 5 + 48 * ELEC)
    ev = ac.evaluate(one_action_plan([("X1", "fleet_stabilisation", 1.0, [])]),
                     lv.PlanInputs(inventory=laptops(), printing=printing), m, growth_at_milestone=1.45)
    row = ev.gains.iloc[0]
    assert row["kind"] == "avoided"
    assert row["balance_gain_tco2e"] * 1000 == pytest.approx(0.45 * laptops_kg, rel=1e-9)
    assert row["money_saved_eur_per_year"] == pytest.approx(0.45 * 100 / 5 * PRICES["laptop"])


def test_flat_fleet_gives_a_zero_counterfactual():
    """An inventory buying the same number of laptops every year: own trend 0 %, index 1 at the milestone, so the
    fleet stabilisation avoids nothing and saves nothing."""
    from helpers.model import trajectory as tj

    inv = pd.concat([laptops(20).assign(line_id=f"L{y}", purchase_year=float(y)) for y in range(2016, 2021)],
                    ignore_index=True)
    own = tj.own_fleet_trend(inv, 2020)
    g_m = float(tj.bau_index([2030], 2020, own["growth_per_year"])[0])
    assert g_m == pytest.approx(1.0)
    ev = ac.evaluate(one_action_plan([("X1", "fleet_stabilisation", 1.0, [])]), lv.PlanInputs(inventory=inv),
                     models(200), growth_at_milestone=g_m)
    assert ev.gains["gain_tco2e"].iat[0] == 0.0 and ev.gains["money_saved_eur_per_year"].iat[0] == 0.0


def test_avoided_action_is_never_ranked_priced_or_in_the_macc():
    """A large avoided gain (100 t) beside a small reduction (1 t): only the reduction is ranked and priced."""
    plan = pd.DataFrame({"action_id": ["A1", "A2"], "lever": ["lifetime_extension", "fleet_stabilisation"],
                         "selected": [True, True], "investment_eur": [1000.0, 0.0], "yearly_eur": [0.0, 0.0],
                         "action_lifetime_years": [5.0, 5.0], "effort": [1, 1], "axes_list": [["a"], ["a"]]})
    gains = pd.DataFrame({"action_id": ["A1", "A2"], "gain_tco2e": [1.0, 100.0],
                          "money_saved_eur_per_year": [0.0, 50_000.0], "kind": ["reduction", "avoided"]})
    ranked = ac.prioritise(plan, gains, discount_rate=0.0).set_index("action_id")
    assert ranked.loc["A1", "rank"] == 1 and pd.isna(ranked.loc["A2", "rank"])
    assert ranked.loc["A1", "rank_all"] == 1 and ranked.loc["A2", "rank_all"] == 2
    assert np.isnan(ranked.loc["A2", "cost_eur_per_tco2e"]) and ranked.loc["A2", "gain_component"] == 0.0
    assert ranked.loc["A1", "cost_eur_per_tco2e"] == pytest.approx(200.0)  # 1,000 EUR / 5 years / 1 t
    shown = actions_report.display_gains(ranked.reset_index().assign(title_fr="t", gain_low_tco2e=0.0,
                                                                     gain_high_tco2e=0.0))
    assert list(shown["Action"].str[:2]) == ["A1"]


# --------------------------------------------------------------------------------------------------------------
# Levers (pure transforms)
# --------------------------------------------------------------------------------------------------------------

def test_levers_do_not_modify_their_input():
    inv = laptops()
    before = inv.copy()
    lv.lifetime_extension(inv, ["laptop"], 3)
    lv.reconditioned_share(inv, ["laptop"], 0.5)
    lv.power_management(inv, ["laptop"], 0.4)
    pd.testing.assert_frame_equal(inv, before)


def test_reconditioned_share_reaches_the_target_share_and_keeps_the_quantity():
    inv = pd.concat([laptops(80), laptops(20).assign(line_id="L2", reconditioned=True)], ignore_index=True)
    out = lv.reconditioned_share(inv, ["laptop"], 0.5)
    assert out["quantity"].sum() == pytest.approx(100)
    assert out.loc[out["reconditioned"].astype(bool), "quantity"].sum() == pytest.approx(50)
    unchanged = lv.reconditioned_share(inv, ["laptop"], 0.1)  # already 20 % reconditioned
    assert list(unchanged["quantity"]) == [80, 20]


def test_screens_per_workstation_scales_screens_to_the_ratio():
    inv = pd.concat([laptops(100), laptops(150).assign(line_id="S1", category="screen_small")], ignore_index=True)
    out = lv.screens_per_workstation(inv, 1.1)
    assert out.loc[out["category"] == "screen_small", "quantity"].sum() == pytest.approx(110)
    assert lv.screens_per_workstation(inv, 2.0)["quantity"].sum() == pytest.approx(250)  # already below: unchanged


def test_hosting_consolidation_caps_pue_and_merges_sites():
    kinds = load_hosting_kinds()
    hosting = pd.DataFrame({"site_id": ["a", "b"], "entity": ["ville", "ville"], "kind": ["server_room"] * 2,
                            "pue": [np.nan, 1.4], "it_kwh_per_year": [np.nan, np.nan], "floor_area_m2": [30.0, 50.0]})
    inv = laptops().assign(site="a")
    h, i = lv.hosting_consolidation(hosting, inv, kinds, 1.5, ["a>b"])
    assert list(i["site"]) == ["b"]
    assert np.isnan(h.loc[h["site_id"] == "a", "floor_area_m2"].iat[0])
    assert h.loc[h["site_id"] == "b", "pue"].iat[0] == 1.4  # already below the target
    h2, _ = lv.hosting_consolidation(hosting, inv, kinds, 1.5)
    assert h2.loc[h2["site_id"] == "a", "pue"].iat[0] == 1.5  # server_room default 2.0 capped


def test_mobile_to_fixed_moves_the_volume():
    tel = pd.DataFrame({"entity": ["ville"], "fixed_data_gb_per_year": [np.nan], "mobile_data_gb_per_year": [1000.0],
                        "fixed_lines": [np.nan], "mobile_lines": [10.0]})
    out = lv.mobile_to_fixed_telecom(tel, 0.5)
    assert out["mobile_data_gb_per_year"].iat[0] == 500 and out["fixed_data_gb_per_year"].iat[0] == 500


def test_unknown_lever_is_refused():
    with pytest.raises(ValueError, match="unknown lever"):
        lv.apply_lever(lv.PlanInputs(inventory=laptops()), "teleportation", 1, [])


# --------------------------------------------------------------------------------------------------------------
# Catalogue and actions.csv
# --------------------------------------------------------------------------------------------------------------

def test_catalogue_has_25_actions_known_levers_and_axes():
    cat = io_catalogue.load_catalogue(levers=lv.LEVERS)
    assert len(cat) >= 25
    assert set(cat["lever"]) <= set(lv.LEVERS)
    axes = set(io_catalogue.known_axes())
    assert all(set(a) <= axes for a in cat["axes_list"])
    assert set().union(*cat["axes_list"]) == axes, "every maturity axis has at least one action"
    assert cat["source"].notna().all() and cat["indicator_fr"].notna().all()
    assert (cat["lever"] == "none").sum() >= 3, "actions without carbon gain are kept with their own indicator"
    categories = set(load_categories()["category"])
    for lever, targets in zip(cat["lever"], cat["targets"]):
        if lv.LEVERS[lever].target_kind == "categories":
            assert targets and set(targets) <= categories


def test_catalogue_errors_give_line_and_column(tmp_path):
    text = io_catalogue.CATALOGUE_PATH.read_text(encoding="utf-8").splitlines()
    bad = text[1].replace("equipment_lifecycle;responsible_purchasing", "equipment_lifecycle;astrology", 1)
    path = tmp_path / "actions_catalogue.csv"
    path.write_text("\n".join([text[0], bad] + text[2:]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        io_catalogue.load_catalogue(path, levers=lv.LEVERS)
    assert "ligne 2, colonne 'axes' : trouvé 'astrology'" in str(exc.value)  # French since 6e98367


def territory(ref=2020, target=2040, agents=1000):
    return SimpleNamespace(reference_year=ref, target_year=target, milestone_year=2030, agents=agents)


def test_bad_actions_lines_give_input_error_with_line_and_column(tmp_csv):
    cat = io_catalogue.load_catalogue(levers=lv.LEVERS)
    path = tmp_csv(
        "action_id,selected,start_year,param_value,target\n"
        "A01,yes,2024,,\n"          # fine
        "A99,yes,2024,,\n"          # unknown action id
        "A02,yes,2015,,\n"          # before the reference year
        "A05,yes,20x4,,\n"          # not a year
        "A09,maybe,2024,,\n"        # not yes/no
        "A13,yes,2024,1.5,\n"       # a share above 1
        "A03,yes,2024,,teapot\n",   # unknown category
        "actions.csv")
    with pytest.raises(InputError) as exc:
        io_catalogue.read_actions(path, cat, territory(), list(load_categories()["category"]), levers=lv.LEVERS)
    msg = str(exc.value)
    assert "ligne 3, colonne 'action_id' : trouvé 'A99'" in msg and "les plus proches" in msg
    assert "ligne 4, colonne 'start_year' : trouvé 2015 ; attendu une année entre l'année de référence 2020" in msg
    assert "ligne 5, colonne 'start_year' : trouvé '20x4'" in msg
    assert "ligne 6, colonne 'selected' : trouvé 'maybe'" in msg
    assert "ligne 7, colonne 'param_value' : trouvé 1.5" in msg
    assert "ligne 8, colonne 'target' : trouvé 'teapot'" in msg
    assert "ligne 2," not in msg


def test_duplicate_action_is_an_error(tmp_csv):
    path = tmp_csv("action_id,selected\nA01,yes\nA01,no\n", "actions.csv")
    with pytest.raises(InputError, match=r"colonne 'action_id' : 2 lignes \(lignes 2, 3\)"):
        io_catalogue.read_actions(path, io_catalogue.load_catalogue(levers=lv.LEVERS), territory())


def test_the_la_rochelle_selection_is_valid():
    from helpers.io.paths import RAW_DIR

    sel = io_catalogue.read_actions(RAW_DIR / "la-rochelle" / "actions.csv", io_catalogue.load_catalogue(levers=lv.LEVERS), territory(),
                          list(load_categories()["category"]))
    assert {"A01", "A08", "A26"} <= set(sel["action_id"])


def test_build_plan_applies_overrides_and_scales_costs(tmp_csv):
    cat = io_catalogue.load_catalogue(levers=lv.LEVERS)
    sel = io_catalogue.read_actions(tmp_csv("action_id,selected,start_year,param_value,cost_yearly_eur\n"
                                  "A01,yes,2025,2,\nA13,no,,,\nA09,yes,,,999\n", "actions.csv"),
                          cat, territory(), levers=lv.LEVERS)
    plan = ac.build_plan(cat, sel, territory(agents=3000), laptops(100)).set_index("action_id")
    assert plan.loc["A01", "param"] == 2 and plan.loc["A01", "start_year"] == 2025
    # listed 'yes': adopted, in the plan; listed 'no': rejected; not listed: proposed in complement, outside the plan
    assert plan.loc["A01", "decision"] == "adopted" and plan.loc["A01", "selected"]
    assert plan.loc["A13", "decision"] == "rejected" and not plan.loc["A13", "selected"]
    assert plan.loc["A02", "decision"] == "complementary" and not plan.loc["A02", "selected"]
    assert ac.plan_status(plan.reset_index()) == "adopted"
    assert plan.loc["A09", "yearly_eur"] == 999
    a01 = cat.set_index("action_id").loc["A01"]
    assert plan.loc["A01", "investment_eur"] == pytest.approx(a01["cost_investment_eur"] * 100)  # per device
    a26 = cat.set_index("action_id").loc["A26"]
    assert plan.loc["A26", "investment_eur"] == pytest.approx(a26["cost_investment_eur"] * 3)  # per 1000 agents
    # default start: the decision year (by default the year after the reference year) + effort − 1
    assert plan.loc["A02", "start_year"] == 2021 + int(cat.set_index("action_id").loc["A02", "effort"]) - 1


# --------------------------------------------------------------------------------------------------------------
# Costs and prioritisation
# --------------------------------------------------------------------------------------------------------------

def test_money_saved_by_a_lifetime_extension():
    base = ac.yearly_cost_eur(lv.PlanInputs(inventory=laptops()), prices=PRICES)
    ext = ac.yearly_cost_eur(lv.PlanInputs(inventory=lv.lifetime_extension(laptops(), ["laptop"], 3)), prices=PRICES)
    price = PRICES["laptop"]
    assert base["equipment_eur"] - ext["equipment_eur"] == pytest.approx(100 * price * (1 / 5 - 1 / 8))


def test_cost_per_tco2e_and_annualised_cost():
    # 10,000 € over 5 years + 1,000 €/year − 500 € saved = 2,500 €/year; for 5 tCO2e/year: 500 €/t
    cost = ac.annualised_cost_eur(10_000, 1_000, 5, 500)
    assert cost == pytest.approx(2_500)
    assert ac.cost_per_tco2e(cost, 5.0) == pytest.approx(500)
    assert np.isnan(ac.cost_per_tco2e(cost, 0.0))


def test_annuity_factor_by_hand():
    """r = 3.2 %, n = 5: 1.032^5 = 1.170573, 1 − 1/1.170573 = 0.145717, 0.032 / 0.145717 = 0.21960; r = 0: 1/5."""
    assert float(ac.annuity_factor(0.032, 5)) == pytest.approx(0.21960, abs=5e-5)
    assert float(ac.annuity_factor(0.0, 5)) == pytest.approx(0.2)
    # 10,000 EUR over 5 years at 3.2 % + 1,000 EUR/yr − 500 EUR saved = 2,196.0 + 500 EUR/yr
    assert float(ac.annualised_cost_eur(10_000, 1_000, 5, 500, 0.032)) == pytest.approx(2696.0, abs=0.5)


def test_cost_per_tonne_can_be_recomputed_from_the_table():
    """Every priced reduction: (investment × annuity_factor + yearly − money saved) ÷ gain (``gain_tco2e``, published as
    ``total_tco2e``), columns of the exported table."""
    plan = pd.DataFrame({"action_id": ["A1", "A2"], "lever": ["lifetime_extension", "power_management"],
                         "selected": [True, True], "investment_eur": [12_000.0, 3_000.0],
                         "yearly_eur": [200.0, 0.0], "action_lifetime_years": [5.0, 8.0], "effort": [1, 2],
                         "axes_list": [["a"], ["a"]]})
    gains = pd.DataFrame({"action_id": ["A1", "A2"], "gain_tco2e": [4.0, 0.5],
                          "money_saved_eur_per_year": [1_000.0, 100.0], "kind": ["reduction", "reduction"]})
    t = ac.prioritise(plan, gains, discount_rate=0.032)
    recomputed = ((t["investment_eur"] * t["annuity_factor"] + t["yearly_eur"] - t["money_saved_eur_per_year"])
                  / t["gain_tco2e"])
    np.testing.assert_allclose(t["cost_eur_per_tco2e"], recomputed)
    a1 = t.set_index("action_id").loc["A1"]
    assert a1["cost_eur_per_tco2e"] == pytest.approx((12_000 * 0.21960 + 200 - 1_000) / 4, rel=2e-4)


def test_priority_score_components():
    comp = ac.priority_score([10.0, 5.0, 0.0], [-100.0, 250.0, np.nan], [1, 3, 1], [0.2, 0.8, 0.5])
    # gain: ranks among positive gains ÷ 2; cost: saves money → 1, 250 €/t → 0.5, no gain → 0
    assert list(comp["gain_component"]) == [1.0, 0.5, 0.0]
    assert list(comp["cost_component"]) == [1.0, 0.5, 0.0]
    assert list(comp["effort_component"]) == [1.0, 0.0, 1.0]
    w = DEFAULTS.score_weights
    assert comp["score"].iat[0] == pytest.approx(w["gain"] + w["cost"] + w["effort"] + 0.2 * w["maturity"])


def test_maturity_gap_uses_the_weak_axes():
    gaps = ac.maturity_gap([["a", "b"], ["c"], []], {"a": 0.2, "b": 0.6})
    assert list(gaps) == pytest.approx([0.6, 0.5, 0.5])


def test_roadmap_ramps_linearly():
    plan = pd.DataFrame({"action_id": ["X"], "selected": [True], "start_year": [2022], "months": [24.0]})
    r = ac.roadmap(plan, np.arange(2020, 2026)).set_index("action_id")
    assert list(r.loc["X", [2020, 2021, 2022, 2023, 2024, 2025]]) == pytest.approx([0, 0, 0.25, 0.75, 1, 1])


def test_services_lever_reruns_the_services_model_with_paired_draws():
    """A storage purge of one third removes exactly one third of a storage service (the model is linear in the
    stored volume); with paired draws the gain's interval is one third of the baseline's, draw by draw."""
    from helpers.io.factors import load_factors
    from helpers.model.services import build_inputs, run_lca

    services = pd.DataFrame([{"service_id": "stockage", "name": "Partages", "type": "storage", "annual_volume": 60.0,
                              "volume_unit": "tb_years", "replicas": 3.0, "hosting": "server_room"}])
    factors = load_factors()
    m = models(1000)
    m.service_factors, m.categories = factors, load_categories()
    inputs = lv.PlanInputs(inventory=laptops(), services=services)
    ev = ac.evaluate(one_action_plan([("X1", "storage_purge", 1 / 3, [])]), inputs, m)
    base = run_lca(build_inputs(services, factors, load_categories(), load_hosting_kinds(), presets=load_presets()),
                   1000, m.seed)
    base_draws = base.total_annual_draws("climate_change") / 1000
    row = ev.gains.iloc[0]
    assert row["balance_gain_tco2e"] == 0.0
    assert row["services_gain_tco2e"] == pytest.approx(ev.baseline_services.central["climate_change"] / 3 / 1000, rel=1e-9)
    assert row["services_gain_low_tco2e"] == pytest.approx(np.percentile(base_draws, 2.5) / 3, rel=1e-9)
    assert row["services_gain_high_tco2e"] == pytest.approx(np.percentile(base_draws, 97.5) / 3, rel=1e-9)


def test_study_on_the_test_territory(tmp_path):
    """The whole notebook-05 computation on ``test-mini``: summary contract and the plan's invariants."""
    from helpers.io.ingest import ingest_all
    from helpers.run.context import open_context

    ctx = open_context("test-mini", tmp_path)
    ingest_all(ctx)
    study = section.run_study(ctx, n_draws=300, seed=1)
    study.write(ctx)
    s = ctx.read_summary("actions")
    assert {"actions", "plan_reduction_tco2e_per_year", "trajectory", "indicators"} <= set(s)
    # the plan's reductions are ranked 1..n; an avoided action (issue 18), an action outside the plan or sans objet
    # has no rank and comes after them
    ranks = [a["rank"] for a in s["actions"] if a["kind"] == "reduction" and a["selected"] and a["applicable"]]
    assert ranks == list(range(1, len(ranks) + 1))
    assert all(a["rank"] is None for a in s["actions"] if not (a["selected"] and a["applicable"]))
    assert all(a["rank"] is None and a["reduction_tco2e_per_year"] is None
               for a in s["actions"] if a["kind"] == "avoided")
    t = s["trajectory"]
    for key in ("reference_year", "target_year", "baseline_tco2e", "bau_2030_tco2e", "plan_2030_tco2e",
                "budget_tco2e", "plan_cumulative_tco2e", "bau_cumulative_tco2e"):
        assert key in t
    traj = ctx.read_table("trajectory")
    assert t["budget_tco2e"] == pytest.approx(traj["target_tco2e"].sum(), rel=1e-5)
    assert t["plan_cumulative_tco2e"] == pytest.approx(traj["plan_tco2e"].sum(), rel=1e-5)
    assert traj["year"].iat[0] == 2023 and traj["year"].iat[-1] == 2040
    # the combined plan never exceeds the sum of its actions (stabilisation excluded: it acts on the growth)
    assert s["plan_reduction_tco2e_per_year"]["value"] <= s["actions_meta"]["sum_of_actions_tco2e_per_year"] + 1e-9
    assert t["plan_2030_tco2e"] < t["bau_2030_tco2e"]


def test_each_lever_acts_only_on_its_perimeters(tmp_path):
    """A lever applied on its own perimeters (as ``evaluate`` does) gives the inputs it gives on both: the
    indicators table reuses ``Evaluation.scenarios`` instead of applying every lever a second time."""
    from helpers.io.factors import load_categories as cats
    from helpers.io.ingest import ingest_all
    from helpers.run.context import open_context

    ctx = open_context("test-mini", tmp_path)
    ingest_all(ctx)
    inputs = section.load_inputs(ctx)
    plan = ac.build_plan(io_catalogue.load_catalogue(categories=list(cats()["category"]), levers=lv.LEVERS), None, ctx.territory,
                         inputs.inventory)
    kinds, presets = load_hosting_kinds(), load_presets()
    checked = 0
    for r in plan.itertuples(index=False):
        perims = tuple(p for p in lv.LEVERS[r.lever].perimeters if p in ("balance", "services"))
        if not perims or ac._missing_inputs(inputs, r.lever):
            continue
        own = lv.apply_lever(inputs, r.lever, r.param, r.targets, kinds, presets, perims)
        both = lv.apply_lever(inputs, r.lever, r.param, r.targets, kinds, presets)
        for name in ("inventory", "hosting", "telecom", "purchases", "printing", "services"):
            a, b = getattr(own, name), getattr(both, name)
            if a is None or b is None:
                assert a is b
            else:
                pd.testing.assert_frame_equal(a, b)
        checked += 1
    assert checked >= 15


def test_macc_draws_reductions_only():
    """The cost curve has one bar per priced reduction; the avoided action (large, cheap) is not drawn."""
    import matplotlib.pyplot as plt

    plan = pd.DataFrame({"action_id": ["A1", "A2", "A3"],
                         "lever": ["lifetime_extension", "power_management", "fleet_stabilisation"],
                         "selected": [True, True, True], "investment_eur": [1000.0, 500.0, 0.0],
                         "yearly_eur": [0.0, 0.0, 0.0], "action_lifetime_years": [5.0, 5.0, 5.0], "effort": [1, 1, 1],
                         "axes_list": [["a"], ["a"], ["a"]]})
    gains = pd.DataFrame({"action_id": ["A1", "A2", "A3"], "gain_tco2e": [2.0, 1.0, 100.0],
                          "money_saved_eur_per_year": [0.0, 0.0, 90_000.0],
                          "kind": ["reduction", "reduction", "avoided"]})
    fig = actions_report.macc_figure(ac.prioritise(plan, gains))
    assert len(fig.axes[0].patches) == 2
    plt.close(fig)


def test_macc_label_of_a_cut_bar_stays_inside_the_axes():
    """One action saves 9,000 € per tCO2e, far below the others: its bar is cut by the axis and says its value; the
    label stays inside the plotting area (it used to run below the bar, over the axis's tick labels)."""
    import matplotlib.pyplot as plt

    ids = [f"A{i}" for i in range(1, 7)]
    plan = pd.DataFrame({"action_id": ids, "lever": ["lifetime_extension"] * 6, "selected": [True] * 6,
                         "investment_eur": [100.0] * 6, "yearly_eur": [0.0] * 6, "action_lifetime_years": [5.0] * 6,
                         "effort": [1] * 6, "axes_list": [["a"]] * 6})
    gains = pd.DataFrame({"action_id": ids, "gain_tco2e": [10.0] * 6,
                          "money_saved_eur_per_year": [90_020.0, 400.0, 300.0, 200.0, 100.0, 0.0],
                          "kind": ["reduction"] * 6})
    ranked = ac.prioritise(plan, gains)
    assert ranked.set_index("action_id").loc["A1", "cost_eur_per_tco2e"] < -8000
    fig = actions_report.macc_figure(ranked)
    from helpers.report import plotting

    plotting.fit_for_phone(fig)  # as published (plotting.show)
    ax = fig.axes[0]
    fig.canvas.draw()
    box = ax.get_window_extent()
    cut = [t for t in ax.texts if t.get_text().startswith("A1 :")]
    assert len(cut) == 1 and "9" in cut[0].get_text()
    ext = cut[0].get_window_extent()
    assert box.y0 <= ext.y0 and ext.y1 <= box.y1
    plt.close(fig)


# ----------------------------------------------------------------------------------------------------------------
# Unit prices (data/raw/reference/unit_prices.csv)
# ----------------------------------------------------------------------------------------------------------------

def test_unit_prices_every_row_has_source_vintage_and_status():
    """Each price row says where its figure comes from (source), of when (vintage) and whether it is sourced or a
    study assumption: no bare number."""
    df = load_unit_prices()
    assert len(df) == len(EQUIPMENT_PRICES) + len(PRICE_PARAMETERS)
    assert (df["source"].str.strip() != "").all()
    assert (df["vintage"].str.strip() != "").all()
    assert set(df["status"]) <= {"sourced", "assumption"}


def test_unit_prices_cover_every_category_a_lever_can_buy():
    """Every equipment category of categories.csv (the targets of the category levers) has a unit price, so no
    renewal avoided is silently priced at 0 EUR by ``yearly_cost_eur``."""
    categories = set(load_categories()["category"])
    assert categories - set(EQUIPMENT_PRICES) == set()


def test_unit_prices_constants_are_read_from_the_file():
    """The module constants are the file's values (kept at the first version's figures: 900 EUR per laptop, 35 %
    reconditioned discount, 0.20 EUR/kWh, 5 EUR per ream)."""
    assert PRICES["laptop"] == 900.0
    assert PRICES["reconditioned_discount"] == 0.35
    assert PRICES["electricity"] == 0.20
    assert PRICES["paper_ream"] == 5.0


def test_unit_prices_bad_file_lists_every_problem(tmp_path):
    """A price file with an empty source, a negative value, an unknown status and no electricity row is refused with
    one French message naming each line and column."""
    p = tmp_path / "unit_prices.csv"
    p.write_text("item,value_eur,unit,source,vintage,status\n"
                 "laptop,-1,EUR,,2024,sourced\n"
                 "reconditioned_discount,0.35,fraction,x,2024,guess\n"
                 "paper_ream,5,EUR,x,2024,assumption\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_unit_prices(p)
    msg = str(exc.value)
    for text in ("value_eur", "source", "status", "electricity"):
        assert text in msg
    cells = {(pr.row, pr.column) for pr in exc.value.problems}
    assert {(2, "value_eur"), (2, "source"), (3, "status"), (None, "item")} <= cells
