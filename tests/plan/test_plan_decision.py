"""The plan as a decision (issue 28): its decision year, proposed vs adopted, the actions that apply, its budget by
year and the unit prices a collectivity replaces. Values derived by hand in each docstring."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from helpers.io import catalogue as io_catalogue
from helpers.io.errors import InputError
from helpers.io.prices import effective_prices, load_unit_prices, price_dict, read_territory_prices
from helpers.io.territory import load_territory
from helpers.model import levers as lv
from helpers.plan import actions as ac
from helpers.plan import budget as bg
from helpers.report import actions as actions_report

#: the catalogue actions that have nothing to act on for an inventory of laptops, desktops and smartphones only
#: (screens, servers and network gear, copiers and printers, IP phones, tablets, paper, hosting, services, purchases
#: spend, mobile data)
NOT_APPLICABLE_TO_COMPUTERS_AND_PHONES = {"A03", "A04", "A07", "A08", "A10", "A11", "A12", "A13", "A14", "A15",
                                          "A16", "A17", "A18", "A19", "A20", "A21", "A23", "A32", "A34", "A35"}


def territory(ref=2020, target=2040, agents=1000, plan_start_year=None):
    return SimpleNamespace(reference_year=ref, target_year=target, milestone_year=2030, agents=agents,
                           plan_start_year=plan_start_year)


def three_lines() -> pd.DataFrame:
    """300 laptops, 200 desktops, 150 smartphones: the bare inventory of the issue."""
    return pd.DataFrame({"line_id": ["1", "2", "3"], "entity": ["mairie"] * 3,
                         "category": ["laptop", "desktop", "smartphone"], "quantity": [300.0, 200.0, 150.0],
                         "lifetime_years": [5.0, 5.0, 2.5], "yearly_kwh": [48.0, 120.0, 4.0],
                         "reconditioned": [False] * 3, "site": [None] * 3})


# ----------------------------------------------------------------------------------------------------------------
# Decision year
# ----------------------------------------------------------------------------------------------------------------

def test_the_decision_year_is_the_territorys_or_the_year_after_the_reference_year():
    assert ac.decision_year(2020, 2024) == (2024, "territory")
    assert ac.decision_year(2020, None) == (2021, "default")


def test_default_start_years_begin_at_the_decision_year():
    """Effort 1 starts in the decision year, effort 2 one year later, effort 3 two years later."""
    assert ac.default_start_year(2025, [1, 2, 3]).tolist() == [2025, 2026, 2027]


def _write_territory(tmp_path, extra: str):
    folder = tmp_path / "data" / "raw" / "t"
    folder.mkdir(parents=True)
    (folder / "territory.yaml").write_text(
        "name: Commune de Test\nkind: commune\npopulation: 60000\nagents: 600\nreference_year: 2022\n"
        "target_year: 2040\nentities:\n  - {id: mairie, name: Mairie}\n" + extra, encoding="utf-8")
    return folder / "territory.yaml"


@pytest.mark.parametrize("year", [2022, 2015, 2041, "2025"])
def test_a_plan_start_year_outside_the_reference_and_target_years_is_refused(tmp_path, year):
    path = _write_territory(tmp_path, f"plan_start_year: {year!r}\n" if isinstance(year, str) else
                            f"plan_start_year: {year}\n")
    with pytest.raises(InputError) as err:
        load_territory("t", path)
    text = str(err.value)
    assert "plan_start_year" in text and "après reference_year et au plus target_year" in text


def test_a_plan_start_year_is_read(tmp_path):
    t = load_territory("t", _write_territory(tmp_path, "plan_start_year: 2026\n"))
    assert t.plan_start_year == 2026
    assert load_territory("t", _write_territory(tmp_path / "b", "")).plan_start_year is None


def test_an_actions_csv_start_year_before_the_decision_year_is_moved_to_it_with_a_note(tmp_csv):
    cat = io_catalogue.load_catalogue(levers=lv.LEVERS)
    sel = io_catalogue.read_actions(tmp_csv("action_id,selected,start_year\nA01,yes,2021\nA02,yes,2027\nA09,yes,\n",
                                  "actions.csv"), cat, territory(), levers=lv.LEVERS)
    plan = ac.build_plan(cat, sel, territory(plan_start_year=2025), three_lines(), decision=2025)
    p = plan.set_index("action_id")
    assert p.loc["A01", "start_year"] == 2025 and p.loc["A01", "start_moved"]
    assert p.loc["A02", "start_year"] == 2027 and not p.loc["A02", "start_moved"]
    assert p.loc["A09", "start_year"] == 2025 + int(p.loc["A09", "effort"]) - 1
    assert (plan["start_year"] >= 2025).all()
    notes = actions_report.plan_notes(plan, 2025)
    assert len(notes) == 1 and "ramenée à 2025 pour A01" in notes[0]


# ----------------------------------------------------------------------------------------------------------------
# Applicable actions, proposed vs adopted
# ----------------------------------------------------------------------------------------------------------------

def test_actions_on_what_a_bare_inventory_lacks_are_sans_objet():
    cat = io_catalogue.load_catalogue(levers=lv.LEVERS)
    app = ac.applicability(cat, lv.PlanInputs(inventory=three_lines()))
    void = set(app.loc[~app["applicable"], "action_id"])
    assert void == NOT_APPLICABLE_TO_COMPUTERS_AND_PHONES
    assert app.set_index("action_id").loc["A03", "applicability_code"] == "no_target_devices"
    notes = actions_report.with_labels(app).set_index("action_id")["applicability_note"]
    assert notes["A03"] == "aucun équipement visé dans l'inventaire (screen_small, screen_large)"
    assert notes["A13"] == "pas de consommation de papier (printing.csv)"
    assert notes["A01"] == "" and notes["A24"] == ""  # computers; governance always applies


def test_a_hosting_lever_applies_only_to_the_collectivitys_own_rooms_or_the_sites_it_names():
    cat = io_catalogue.load_catalogue(levers=lv.LEVERS)
    cloud = pd.DataFrame({"site_id": ["saas"], "kind": ["cloud"], "pue": [np.nan]})
    inputs = lv.PlanInputs(inventory=three_lines(), hosting=cloud)
    app = ac.applicability(cat[cat["action_id"].eq("A15")], inputs).set_index("action_id")
    assert not app.loc["A15", "applicable"] and app.loc["A15", "applicability_code"] == "no_own_room"
    assert actions_report.applicability_note("no_own_room") == "pas de salle serveur de la collectivité dans hosting.csv"
    room = pd.DataFrame({"site_id": ["sr"], "kind": ["server_room"], "pue": [np.nan]})
    app = ac.applicability(cat[cat["action_id"].eq("A15")], inputs.replace(hosting=room))
    assert app["applicable"].all()


def test_without_actions_csv_the_plan_is_proposed_and_holds_the_applicable_actions_only():
    cat = io_catalogue.load_catalogue(levers=lv.LEVERS)
    app = ac.applicability(cat, lv.PlanInputs(inventory=three_lines()))
    plan = ac.build_plan(cat, None, territory(), three_lines(), app)
    assert ac.plan_status(plan) == "proposed"
    assert set(plan.loc[plan["selected"], "action_id"]) == set(cat["action_id"]) - NOT_APPLICABLE_TO_COMPUTERS_AND_PHONES
    assert set(plan.loc[plan["decision"].eq("not_applicable"), "action_id"]) == NOT_APPLICABLE_TO_COMPUTERS_AND_PHONES


def test_with_actions_csv_the_unlisted_applicable_actions_are_complementary(tmp_csv):
    cat = io_catalogue.load_catalogue(levers=lv.LEVERS)
    sel = io_catalogue.read_actions(tmp_csv("action_id,selected\nA01,yes\nA02,no\nA13,yes\n", "actions.csv"), cat,
                                    territory(), levers=lv.LEVERS)
    app = ac.applicability(cat, lv.PlanInputs(inventory=three_lines()))
    plan = ac.build_plan(cat, sel, territory(), three_lines(), app).set_index("action_id")
    assert plan.loc["A01", "decision"] == "adopted" and plan.loc["A02", "decision"] == "rejected"
    assert plan.loc["A05", "decision"] == "complementary" and not plan.loc["A05", "selected"]
    assert plan.loc["A03", "decision"] == "not_applicable"
    # adopted although sans objet: kept in the plan (the collectivity decided it), said in a note
    assert plan.loc["A13", "selected"] and not plan.loc["A13", "applicable"]
    notes = actions_report.plan_notes(plan.reset_index(), 2021)
    assert any("A13 est retenue mais sans objet" in n for n in notes)


def test_an_action_sans_objet_has_no_rank_and_comes_last():
    cat = io_catalogue.load_catalogue(levers=lv.LEVERS).head(4)  # A01, A02, A03, A04
    plan = ac.build_plan(cat, None, territory(), three_lines(),
                         ac.applicability(cat, lv.PlanInputs(inventory=three_lines())))
    gains = pd.DataFrame({"action_id": cat["action_id"], "gain_tco2e": [10.0, 5.0, 0.0, 0.0],
                          "money_saved_eur_per_year": 0.0, "kind": "reduction"})
    ranked = ac.prioritise(plan, gains).set_index("action_id")
    assert ranked.loc["A01", "rank"] == 1 and ranked.loc["A02", "rank"] == 2
    assert pd.isna(ranked.loc["A03", "rank"]) and pd.isna(ranked.loc["A04", "rank_all"])
    assert list(ranked.index[-2:]) == ["A03", "A04"]


# ----------------------------------------------------------------------------------------------------------------
# Budget by year
# ----------------------------------------------------------------------------------------------------------------

def test_one_full_time_equivalent_is_1607_hours_of_7_hours():
    assert bg.DAYS_PER_FTE == pytest.approx(229.571, abs=1e-3)


def test_savings_reach_the_combined_plan_as_its_actions_ramp_up():
    """Two actions saving 300 and 100 € alone, ramped 0.5/1 and 0/1: shares (0.5 × 300) / 400 = 0.375 then 1; the
    combined plan saves 350 € (less than 400: an overlap is saved once), so 131.25 € then 350 €."""
    share = bg.savings_share(np.array([[0.5, 1.0], [0.0, 1.0]]), [300.0, 100.0])
    assert share.tolist() == [0.375, 1.0]
    t = bg.budget_by_year([2025, 2026], [2025, 2026], [2025, 2026], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0],
                          [0.0, 0.0], np.array([[0.5, 1.0], [0.0, 1.0]]), [300.0, 100.0], 350.0)
    assert t["savings_eur"].tolist() == [131.25, 350.0]


def test_net_is_investment_plus_operating_minus_savings_and_ttc_adds_the_vat():
    """One action from 2025, set up over 2025–2026: 10,000 € invested (5,000 a year), 1,000 €/year from 2025,
    20 set-up days (10 a year) plus 46 days a year of governance, savings of 4,000 € reached at 25 %, 75 %, 100 %.
    2025: 5,000 + 1,000 − 1,000 = 5,000; 2026: 5,000 + 1,000 − 3,000 = 3,000; 2027: 1,000 − 4,000 = −3,000;
    cumulated 5,000, 8,000, 5,000; TTC × 1.2; FTE (10 + 46) / 229.57 = 0.2439."""
    t = bg.budget_by_year([2025, 2026, 2027], [2025], [2026], [10_000.0], [1_000.0], [20.0], [46.0],
                          np.array([[0.25, 0.75, 1.0]]), [4_000.0], 4_000.0, vat_rate=0.2)
    assert t["net_eur"].tolist() == pytest.approx([5_000.0, 3_000.0, -3_000.0], rel=1e-12)
    assert (t["net_eur"] == t["investment_eur"] + t["operating_eur"] - t["savings_eur"]).all()
    assert t["net_cumulated_eur"].tolist() == pytest.approx([5_000.0, 8_000.0, 5_000.0], rel=1e-12)
    assert t["net_ttc_eur"].tolist() == pytest.approx([6_000.0, 3_600.0, -3_600.0], rel=1e-12)
    assert t["staff_days"].tolist() == [56.0, 56.0, 46.0]
    assert t["fte"].iat[0] == pytest.approx(56 / (1607 / 7), rel=1e-12)


def test_the_governance_actions_carry_recurring_staff_time():
    cat = io_catalogue.load_catalogue(levers=lv.LEVERS).set_index("action_id")
    assert (cat.loc[["A24", "A25", "A26"], "staff_days_per_year"] > 0).all()
    assert "temps récurrent : hypothèse du projet" in cat.loc["A24", "means_source"]


# ----------------------------------------------------------------------------------------------------------------
# Unit prices a collectivity replaces
# ----------------------------------------------------------------------------------------------------------------

def test_a_territorys_prices_replace_the_reference_line_by_line(tmp_csv):
    reference = load_unit_prices()
    own = read_territory_prices(tmp_csv("item,value_eur,source\nlaptop,780,marché 2024\nelectricity,0.26,\n",
                                        "unit_prices.csv"), reference)
    prices = effective_prices(reference, own).set_index("item")
    assert prices.loc["laptop", "value_eur"] == 780.0 and prices.loc["laptop", "origin"] == "collectivity"
    assert prices.loc["laptop", "source"] == "prix de la collectivité : marché 2024"
    assert prices.loc["electricity", "source"] == "prix de la collectivité"
    assert prices.loc["desktop", "origin"] == "reference"
    assert prices.loc["desktop", "value_eur"] == reference.set_index("item").loc["desktop", "value_eur"]


def test_the_money_saved_uses_the_territorys_prices():
    """100 laptops of 48 kWh: 4,800 kWh × 0.26 €/kWh = 1,248 € of electricity; 100 / 5 × 780 € = 15,600 € of
    renewals."""
    inv = three_lines().iloc[[0]].assign(quantity=100.0)
    reference = load_unit_prices()
    own = pd.DataFrame({"item": ["laptop", "electricity"], "value_eur": [780.0, 0.26], "source": ["", ""]})
    cost = ac.yearly_cost_eur(lv.PlanInputs(inventory=inv), prices=price_dict(effective_prices(reference, own)))
    assert cost["electricity_eur"] == pytest.approx(1_248.0, rel=1e-12)
    assert cost["equipment_eur"] == pytest.approx(15_600.0, rel=1e-12)


@pytest.mark.parametrize("row, column, expected", [
    ("laptpo,780", "item", "les plus proches : laptop"),
    ("electricity,20", "value_eur", "entre 0 et 5"),
    ("reconditioned_discount,35", "value_eur", "une fraction du prix neuf entre 0 et 1"),
])
def test_a_bad_territory_price_names_its_line_column_and_what_was_expected(tmp_csv, row, column, expected):
    path = tmp_csv(f"item,value_eur\n{row}\n", "unit_prices.csv")
    with pytest.raises(InputError) as err:
        read_territory_prices(path)
    text = str(err.value)
    assert "unit_prices.csv" in text and "ligne 2" in text and column in text and expected in text


# ----------------------------------------------------------------------------------------------------------------
# Wiring of dates: a purchase date at a year's edge lands in the right year, hence in or out of the reference year
# ----------------------------------------------------------------------------------------------------------------

def test_purchase_dates_at_a_years_edge_land_in_the_right_year(tmp_path):
    """Reference year 2020. Kept: 31/12/2020, 2020-12-31 23:59:59, Excel serial 44196 (= 2020-12-31) and 43830
    (= 2019-12-31). Excluded as bought after the reference year: 01/01/2021 and serial 44197 (= 2021-01-01)."""
    from helpers.io.factors import load_categories
    from helpers.io.inventory import read_inventory
    from helpers.io.tables import take_report

    folder = tmp_path / "data" / "raw" / "t"
    folder.mkdir(parents=True)
    (folder / "territory.yaml").write_text(
        "name: Commune de Test\nkind: commune\npopulation: 60000\nagents: 600\nreference_year: 2020\n"
        "target_year: 2040\nentities:\n  - {id: mairie, name: Mairie}\n", encoding="utf-8")
    terr = load_territory("t", folder / "territory.yaml")
    dates = ["31/12/2020", "2020-12-31 23:59:59", "44196", "43830", "01/01/2021", "44197"]
    (folder / "inventory.csv").write_text(
        "serial,category,date d'achat\n" + "".join(f"S{i},laptop,{d}\n" for i, d in enumerate(dates)),
        encoding="utf-8")
    inv = read_inventory(folder / "inventory.csv", terr, load_categories())
    report = take_report(inv)["import_report"][0]
    assert report.excluded == {"after_reference_year": 2}
    assert inv["quantity"].sum() == 4
    assert sorted(inv["purchase_year"].repeat(inv["quantity"].astype(int)).tolist()) == [2019, 2020, 2020, 2020]
