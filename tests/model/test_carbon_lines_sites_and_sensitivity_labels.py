"""Carbon engine, fourth pass: exact values for the survivors of the 2 December post-move mutation run.

Small hand-made inputs; every reference value is derived in the test's docstring or comments (never copied from a
run). The summary helpers are checked on draws whose percentiles are exact (numpy's linear percentile of p on
0, 1, …, 1000 is 10 × p); the tornado bounds on draws of known distributions, within their sampling error.
"""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from builders.carbon_inputs import CATEGORIES, KINDS, activity, factor, factors, inventory, run
from builders.carbon_results import _two_criteria_result

from helpers.io import carbon_reference
from helpers.model import carbon
from helpers.report import carbon_labels

#: 0, 1, …, 1000: the 2.5th, 50th and 97.5th percentiles are exactly 25, 500 and 975, the mean 500
GRID = np.arange(1001.0)


def fake_mc(cells: pd.DataFrame, draws: np.ndarray) -> SimpleNamespace:
    """A Monte Carlo result with the given cells (column ``climate_change`` = central kg) and per-cell draws."""
    return SimpleNamespace(cells=cells, draws={"climate_change": draws}, totals={"climate_change": draws.sum(axis=0)},
                           central={"climate_change": float(cells["climate_change"].sum())},
                           missing=pd.DataFrame(columns=["criterion", "item", "phase"]), n_draws=draws.shape[1],
                           seed=1)


#: a terminal's use (draws 0 … 1000 kg, central 480), a spend-based line (a constant 1000 kg) and paper (a
#: constant 200 kg)
THREE_CELLS = pd.DataFrame({"entity": ["ville"] * 3, "phase": ["use", carbon.SPEND_PHASE, "manufacturing"],
                            "tier": ["terminals", "services", "paper"], "climate_change": [480.0, 1000.0, 200.0]})
THREE_DRAWS = np.vstack([GRID, np.full(1001, 1000.0), np.full(1001, 200.0)])


# ------------------------------------------------------------------------------------------------- fleet lines

def test_reconditioned_given_as_french_text_takes_the_reconditioned_share():
    """A ``reconditioned`` column read as text: "oui" is reconditioned (share 0.3 of the laptop's manufacturing),
    "non" is new. 10 laptops ÷ 5 years: 10 × 0.3 / 5 = 0.6 and 10 / 5 = 2.0 manufacturing units a year."""
    # kills x__as_bool__mutmut_2
    inv = inventory({"category": "laptop", "quantity": 10, "reconditioned": "oui"},
                    {"category": "laptop", "quantity": 10, "reconditioned": "non"})
    lines = carbon.fleet_lines(inv, CATEGORIES)
    assert lines["manufacturing_units"].tolist() == pytest.approx([0.6, 2.0], rel=1e-12)
    assert lines["other_units"].tolist() == pytest.approx([2.0, 2.0], rel=1e-12)


def test_fleet_line_qualities_are_only_those_of_the_inventory():
    """Every line says "high": the quality column knows "high" only, no unused "medium" that would show as a row of
    0 devices in a count by quality."""
    # kills x__categorical__mutmut_22
    lines = carbon.fleet_lines(inventory({"category": "laptop", "quantity": 10, "quality": "high"}), CATEGORIES)
    assert list(lines["quality"].cat.categories) == ["high"]
    assert lines["quality"].value_counts().to_dict() == {"high": 1}


def test_line_impacts_of_a_subset_of_lines_keep_the_lines_index():
    """The servers of a laptop + server inventory (row 1 of the lines): 2 servers × 1000 kg ÷ 5 years = 400 kg a
    year of manufacturing, on index 1, so the impacts align with the lines they came from."""
    # kills x_fleet_line_impacts__mutmut_93
    inv = inventory({"category": "laptop", "quantity": 3}, {"category": "server", "quantity": 2})
    lines = carbon.fleet_lines(inv, CATEGORIES)
    servers = lines[lines["category"] == "server"]
    impacts = carbon.fleet_line_impacts(servers, factors(factor("server", 1000.0, phase="manufacturing",
                                                                activity_unit="unit")))
    assert list(impacts.index) == [1]
    assert impacts.loc[1, "manufacturing"] == pytest.approx(400.0, rel=1e-12)


# -------------------------------------------------------------------------------------------- resolve_sites

def test_site_keeps_its_own_electricity_item():
    """Site A names its electricity (Europe); site B names none and takes its kind's, electricity_fr."""
    # kills x_resolve_sites__mutmut_142
    hosting = pd.DataFrame({"site_id": ["A", "B"], "entity": "mairie", "kind": "server_room",
                            "electricity_item": ["electricity_eu", None]})
    assert carbon.resolve_sites(hosting, KINDS)["electricity_item"].tolist() == ["electricity_eu", "electricity_fr"]


# ----------------------------------------------------------------------------------------------- hosting sites

ELEC = factors(factor("electricity_fr", 0.05))


def two_sites(floor_area_b: float = np.nan) -> tuple[pd.DataFrame, list[str]]:
    """Site A holds 2 inventory servers of 300 kWh; site B holds none and measures 500 kWh at a measured PUE 1.0
    (no overhead row)."""
    hosting = pd.DataFrame({"site_id": ["A", "B"], "entity": "mairie", "kind": "server_room", "pue": [2.0, 1.0],
                            "it_kwh_per_year": [np.nan, 500.0], "floor_area_m2": [np.nan, floor_area_b]})
    inv = inventory({"category": "server", "quantity": 2, "yearly_kwh": 300.0, "site": "A"})
    return carbon.site_activities(carbon.resolve_sites(hosting, KINDS), inv, ELEC)


def test_site_listed_after_a_site_with_devices_is_still_counted():
    """Site A is counted by its devices (nothing of its own); site B, listed after it, by its 500 kWh."""
    # kills x_site_activities__mutmut_126
    rows, _ = two_sites()
    assert rows[["line_id", "activity"]].values.tolist() == [["hosting:B:energy", 500.0]]


def test_measured_site_energy_is_a_use_row():
    """The 500 kWh measured at site B are use-phase electricity (looked up in the use phase too)."""
    # kills x_site_activities__mutmut_144
    rows, _ = two_sites()
    assert rows[["phase", "item", "factor_phase"]].values.tolist() == [["use", "electricity_fr", "use"]]


def test_site_of_zero_floor_area_has_no_building_row():
    """A floor area of 0 m² adds no building row (not even one of activity 0): only B's 500 kWh."""
    # kills x_site_activities__mutmut_71
    rows, _ = two_sites(floor_area_b=0.0)
    assert rows["line_id"].tolist() == ["hosting:B:energy"]


# ----------------------------------------------------------------------------------------------------- telecom

def test_fixed_lines_without_any_fixed_factor_are_noted_with_their_row_number():
    """3 fixed lines on telecom row 1, no per-subscription factor in the library and no volume: not counted, and the
    note names row 1 (the first row, counted from 1)."""
    # kills x_telecom_activities__mutmut_153, x_telecom_activities__mutmut_154
    tel = pd.DataFrame({"entity": ["mairie"], "fixed_lines": [3]})
    rows, notes = carbon.telecom_activities(tel, factors(factor("network_mobile_fr", 0.02, activity_unit="gb")))
    notes = carbon_labels.notes_fr(notes)
    assert len(rows) == 0
    assert notes == ["Télécom ligne 1 (mairie) : 3 lignes fixes sans facteur par abonnement ni volume : non "
                     "comptées."]


# ---------------------------------------------------------------------------------------------- activities

def test_activities_of_an_empty_inventory_are_an_empty_table():
    """No inventory line and no other input: no activity row, but the table keeps its columns."""
    # kills x_build_activities__mutmut_142
    inv = inventory({"category": "laptop", "quantity": 1}).iloc[:0]
    acts = carbon.build_activities(inv, CATEGORIES, ELEC, KINDS, 2023)
    assert len(acts.table) == 0
    assert list(acts.table.columns) == carbon.ACTIVITY_COLUMNS


# ----------------------------------------------------------------------------------------------- line tables

def test_criterion_column_spells_plus_in_lower_case():
    """"mol H+eq" → "mol hpluseq" → "mol_hpluseq": the column of acidification is acidification_mol_hpluseq."""
    # kills x_criterion_column__mutmut_22
    assert carbon.criterion_column("acidification", {"acidification": "mol H+eq"}) == "acidification_mol_hpluseq"


def test_criterion_column_collapses_runs_of_separators():
    """"kg / m2": the three separators " / " become one underscore: water_kg_m2."""
    # kills x_criterion_column__mutmut_24
    assert carbon.criterion_column("water", {"water": "kg / m2"}) == "water_kg_m2"


def line_rows(entity2) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [activity("e", 10.0), {**activity("e", 20.0), "line_id": "L2", "entity": entity2}]
    acts = pd.DataFrame(rows, columns=carbon.ACTIVITY_COLUMNS)
    return acts, pd.DataFrame({"climate_change": [10.0 * 2.0, 20.0 * 2.0]})


def test_line_table_keeps_a_line_without_entity():
    """Line L2 has no entity: it stays in the line table (20 kWh × 2 kg = 40 kg), beside L1's 10 × 2 = 20 kg."""
    # kills x_line_table__mutmut_29
    acts, impacts = line_rows(None)
    out = carbon.line_table(acts, impacts, {"climate_change": "kgCO2e"})
    assert out["line_id"].tolist() == ["L1", "L2"]
    assert out["climate_change_kgco2e"].tolist() == [20.0, 40.0]


def test_line_table_names_columns_with_the_units_given():
    """Units given by the caller (climate change in t) name the column climate_change_t, not the library's unit."""
    # kills x_line_table__mutmut_36
    acts, impacts = line_rows("mairie")
    out = carbon.line_table(acts, impacts, {"climate_change": "t"})
    assert "climate_change_t" in out.columns and "climate_change_kgco2e" not in out.columns


def test_category_total_counts_a_spend_line_without_factor_as_zero():
    """A purchase of services whose spend ratio is missing (NaN): its category's total is 0 t (embodied 0 + use 0 +
    spend 0), not NaN; the laptops' 100 kg make 0.1 t and the whole total, share 1."""
    # kills x_category_table__mutmut_76
    col = "climate_change_kgco2e"
    lines = pd.DataFrame([("laptop", "terminals", "manufacturing", 100.0),
                          ("purchase_services", "services", carbon.SPEND_PHASE, np.nan)],
                         columns=["category", "tier", "phase", col])
    t = carbon.category_table(lines, inventory({"category": "laptop", "quantity": 4})).set_index("category")
    assert t.loc["purchase_services", "total_tco2e"] == 0.0
    assert t.loc["laptop", ["total_tco2e", "share"]].tolist() == pytest.approx([0.1, 1.0], rel=1e-12)
    assert t.loc["purchase_services", "share"] == 0.0


# ------------------------------------------------------------------------------------------ compute_balance

def test_balance_keeps_the_activities_of_the_purchases_view():
    """One laptop bought in the reference year 2023: the purchases view counts its whole manufacturing (activity 1,
    not amortised), the annualised view 1 ÷ 5 years = 0.2."""
    # kills x_compute_balance__mutmut_121
    inv = inventory({"category": "laptop", "quantity": 1, "purchase_year": 2023})
    lib = factors(factor("laptop", 100.0, phase="manufacturing", activity_unit="unit"), factor("electricity_fr", 0.05))
    b = carbon.compute_balance(inv, CATEGORIES, lib, KINDS, 2023, criteria=("climate_change",), n_draws=50, seed=1)
    assert isinstance(b.purchases_activities, carbon.Activities)
    assert b.purchases_activities.view == "purchases"
    made = b.purchases_activities.table.query("phase == 'manufacturing'")
    assert made["activity"].tolist() == [1.0]
    assert b.activities.table.query("phase == 'manufacturing'")["activity"].tolist() == pytest.approx([0.2])


# ---------------------------------------------------------------------------------------------- factors

def test_territory_electricity_factor_keeps_the_territorys_source():
    """territory.yaml sets 0.05 kgCO2e/kWh with its own source: the change lists that source (origin
    territory.yaml), not the generic "territory.yaml"."""
    # kills x_prepare_factors__mutmut_54
    territory = SimpleNamespace(electricity_factor_kgco2e_per_kwh=0.05, electricity_factor_source="RTE éCO2mix 2023")
    lib = factors(factor("electricity_fr", 0.0461, low=0.04, high=0.06, distribution="lognormal"))
    new, changes = carbon_reference.prepare_factors(lib, territory)
    assert changes[["factor_id", "new_value", "source", "origin"]].values.tolist() == [
        ["electricity_fr:use:climate_change", 0.05, "RTE éCO2mix 2023", "territory.yaml"]]
    assert new.set_index("factor_id").loc["electricity_fr:use:climate_change", "source"] == "RTE éCO2mix 2023"


# ------------------------------------------------------------------------------------------------ Monte Carlo

def two_quality_run() -> carbon.MonteCarloResult:
    """1000 kWh of high-quality data (95 % interval 1 ± 0.05) and 1000 kWh of low-quality data (1 ± 0.40), at a
    constant 1 kgCO2e/kWh: central total 2000 kg."""
    return run([activity("e", 1000.0, quantity_param="quantity:high:laptop", category="laptop"),
                activity("e", 1000.0, quantity_param="quantity:low:screen_small", category="screen_small")],
               factors(factor("e", 1.0)))


def test_tornado_bounds_of_each_multiplier_use_its_own_interval():
    """Each multiplier at its own 2.5th / 97.5th percentile, the other at 1: high quality 2000 ± 1000 × 0.05 =
    1950 – 2050 kg; low quality 2000 ± 1000 × 0.40 = 1600 – 2400 kg (not the percentiles of both pooled). The
    constant factor is listed too, with a zero swing at 2000 kg. 200,000 draws: sampling error about 0.1 %."""
    # kills x__sensitivity__mutmut_57
    s = two_quality_run().sensitivity.set_index("input_id")
    assert s.loc["quantity:high:laptop", ["low_total", "high_total"]].tolist() == pytest.approx([1950.0, 2050.0],
                                                                                               rel=2e-3)
    assert s.loc["quantity:low:screen_small", ["low_total", "high_total"]].tolist() == pytest.approx(
        [1600.0, 2400.0], rel=2e-3)
    assert s.loc["e:use:climate_change", ["low_total", "high_total", "swing"]].tolist() == [2000.0, 2000.0, 0.0]


def test_sensitivity_table_has_the_published_columns():
    """The tornado table: one column per published field, lowest total in ``low_total``, no other column."""
    # kills x__sensitivity__mutmut_182
    s = two_quality_run().sensitivity
    assert list(s.columns) == ["input_id", "kind", "central_input", "low_total", "high_total", "rank_correlation",
                               "contribution_to_variance", "swing", "members"]  # members: issue 32
    assert (s["low_total"] <= s["high_total"]).all()


def test_monte_carlo_of_no_draw_without_any_factor_has_an_empty_tornado():
    """0 draws and a row whose item has no factor (nothing to rank): the result is an empty sensitivity table and an
    empty total, not an error."""
    # kills x__sensitivity__mutmut_128, x__sensitivity__mutmut_51
    acts = pd.DataFrame([activity("e", 10.0)], columns=carbon.ACTIVITY_COLUMNS)
    r = carbon.monte_carlo(acts, factors(factor("other", 2.0)), carbon.parameter_table(set(), CATEGORIES, KINDS),
                           n_draws=0, seed=1)
    assert len(r.sensitivity) == 0
    assert len(r.totals["climate_change"]) == 0


# ------------------------------------------------------------------------------------------------- summaries

def test_breakdown_mean_is_the_mean_of_each_group():
    """use: draws 0 … 1000, mean 500 kg; spend: a constant 1000 kg, mean 1000; paper: 200 (not the 566.7 mean of
    every group's sums)."""
    # kills x_breakdown__mutmut_58
    b = carbon.breakdown(fake_mc(THREE_CELLS, THREE_DRAWS), "phase").set_index("phase")
    assert b["mean"].to_dict() == pytest.approx({"use": 500.0, carbon.SPEND_PHASE: 1000.0, "manufacturing": 200.0},
                                                rel=1e-12)


def test_equipment_scope_leaves_out_spend_and_paper():
    """Equipment scope = the terminal's use only: central 480 kg = 0.48 t, interval 25 – 975 kg = 0.025 – 0.975 t
    (the spend-based 1000 kg and the paper's 200 kg are out)."""
    # kills x_scope_split__mutmut_27
    s = carbon.scope_split(fake_mc(THREE_CELLS, THREE_DRAWS))
    assert s["equipment"] == pytest.approx({"value": 0.48, "low": 0.025, "high": 0.975}, rel=1e-12)


def test_quantiles_of_a_criterion_without_unit_have_an_empty_unit():
    """The water criterion has no unit in the balance's units: its row's unit is the empty text."""
    # kills x_quantiles_table__mutmut_189
    r = _two_criteria_result()
    q = carbon.quantiles_table(SimpleNamespace(mc=r, purchases_mc=r, units={"climate_change": "kgCO2e"}), agents=10,
                               population=1000, computers=0).set_index("indicator")
    assert q.loc["criterion:water", "unit"] == ""


#: national figures (hand-made): 250 kg per inhabitant, a total of 20 Mt in a 15 – 20 Mt range, 500 kg per
#: inhabitant in the alternative estimate
NATIONAL = pd.DataFrame([
    ("ademe_arcep_2020_per_inhabitant", 250.0, np.nan, np.nan, "périmètre A"),
    ("ademe_arcep_2020_total", 20.0, 15.0, 20.0, "périmètre A"),
    ("ademe_arcep_2022_with_abroad_per_inhabitant", 500.0, np.nan, np.nan, "périmètre B")],
    columns=["id", "value", "low", "high", "scope"])


def test_territory_footprint_unit_and_share_of_the_alternative():
    """1000 inhabitants × 500 kg ÷ 1000 = 500 t in the alternative estimate: an own balance of 50 t is 50 / 500 =
    0.1 of it. The footprint is published in tCO2e/an."""
    # kills x_territory_footprint__mutmut_56, x_territory_footprint__mutmut_94, x_territory_footprint__mutmut_100
    t = carbon_labels.territory_footprint(1000, NATIONAL, 50.0)
    assert t["unit"] == "tCO2e/an"
    assert t["alternative_value"] == pytest.approx(500.0, rel=1e-12)
    assert t["own_share_alternative"] == pytest.approx(0.1, rel=1e-12)


def test_summary_scope_note_in_french():
    """The summary explains what the total covers, in French."""
    # kills x_summary__mutmut_140
    mc = fake_mc(THREE_CELLS, THREE_DRAWS)
    data, _ = carbon_labels.summary_texts(*carbon.summary(
        SimpleNamespace(mc=mc, purchases_mc=mc, units={"climate_change": "kgCO2e"}),
        SimpleNamespace(agents=10, population=1000), computers=0, national=NATIONAL))
    assert data["scope_note"] == ("total = périmètre physique + achats de services et logiciels (ratio monétaire) ; "
                                  "la répartition par phase porte sur le seul périmètre physique")


def test_fleet_ratios_of_an_inventory_of_zero_devices_warn_of_nothing():
    """Every line has quantity 0: the share of reconditioned devices is not a number, without the floating-point
    warning of 0 / 0 in the notebook."""
    # kills x_fleet_ratios__mutmut_136
    inv = inventory({"category": "laptop", "quantity": 0})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = carbon.fleet_ratios(inv, agents=10).set_index("indicator")
    assert np.isnan(r.loc["share_reconditioned", "value"])


def test_age_profile_dated_quantity_counts_only_dated_devices():
    """Laptops: 5 dated (3 years old) and 10 undated: dated quantity 5 (not 5 + 1 for the undated line), mean age
    3 years over those 5."""
    # kills x_age_profile__mutmut_18
    inv = inventory({"category": "laptop", "quantity": 5, "age_years": 3.0},
                    {"category": "laptop", "quantity": 10, "age_years": np.nan})
    p = carbon.age_profile(inv).set_index("category")
    assert p.loc["laptop", ["quantity", "dated_quantity", "mean_age_years"]].tolist() == [15, 5, 3.0]


# ------------------------------------------------------------------------------------------ sensitivity labels

def labels(*rows: tuple[str, str]) -> list[str]:
    """French labels of sensitivity rows ``(input_id, kind)`` (bounds of 1000 – 3000 kg, irrelevant here)."""
    sens = pd.DataFrame({"input_id": [r[0] for r in rows], "kind": [r[1] for r in rows], "contribution": 1.0,
                         "low_total": 1000.0, "high_total": 3000.0, "swing": 2000.0})
    return carbon_labels.sensitivity_table(SimpleNamespace(sensitivity=sens), CATEGORIES, KINDS)["label_fr"].tolist()


def test_sensitivity_label_of_a_pue_names_its_kind_in_french():
    # kills x_sensitivity_table__mutmut_119
    assert labels(("pue:server_room", "pue")) == ["PUE : Salle serveurs"]


def test_sensitivity_label_of_a_measured_site_energy_names_the_site():
    # kills x_sensitivity_table__mutmut_133
    assert labels(("quantity:high:site_energy:A", "quantity")) == [
        "Quantité (qualité bonne) : énergie mesurée du site A"]


def test_sensitivity_label_of_an_unknown_quantity_keeps_its_code():
    # kills x_sensitivity_table__mutmut_147
    assert labels(("quantity:medium:mystery", "quantity")) == ["Quantité (qualité moyenne) : mystery"]


def test_sensitivity_labels_of_flow_factors():
    """World electricity, A4 paper (a manufacturing factor) and the fixed network per GB."""
    # kills x_sensitivity_table__mutmut_36, x_sensitivity_table__mutmut_38, x_sensitivity_table__mutmut_44
    assert labels(("electricity_world:use:climate_change", "factor"),
                  ("paper_a4_ream:manufacturing:climate_change", "factor"),
                  ("network_fixed_fr:use:climate_change", "factor")) == [
        "Facteur utilisation : électricité (monde)", "Facteur fabrication : papier A4",
        "Facteur utilisation : réseau fixe (par Go)"]
