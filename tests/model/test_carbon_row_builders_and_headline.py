"""Carbon engine, second pass (issue 22): exact values for behaviours the mutation run still found unchecked.

Small hand-made inputs; every reference value is derived in the test's docstring or comments. The activity-row
builders are checked on the columns the Monte Carlo and the published tables read (``quantity_param``,
``lifetime_param``, ``extra_param``, ``source``, ``category``); the summary helpers on draws whose percentiles are
exact (numpy's linear percentile of p on 0, 1, …, 1000 is 10 × p).
"""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from builders.carbon_inputs import CATEGORIES, KINDS, factor, factors, inventory
from builders.carbon_results import _two_criteria_result

from helpers.model import carbon
from helpers.report import carbon_labels

#: 0, 1, …, 1000: the 2.5th, 5th, 50th, 95th and 97.5th percentiles are exactly 25, 50, 500, 950 and 975
GRID = np.arange(1001.0)


def server_at_site_a() -> pd.DataFrame:
    """2 servers of 300 kWh at site A (a server room of default PUE 2.0, high-quality data, 900 kWh measured):
    fleet_lines rescales the 600 kWh estimate to the measured 900 kWh."""
    inv = inventory({"category": "server", "quantity": 2, "yearly_kwh": 300.0, "site": "A"})
    hosting = pd.DataFrame({"site_id": ["A"], "entity": "mairie", "kind": "server_room", "it_kwh_per_year": [900.0],
                            "quality": ["high"]})
    return carbon.fleet_activities(inv, CATEGORIES, carbon.resolve_sites(hosting, KINDS))


def fake_mc(cells: pd.DataFrame, draws: np.ndarray) -> SimpleNamespace:
    """A Monte Carlo result with the given cells (column ``climate_change`` = central kg) and per-cell draws."""
    return SimpleNamespace(cells=cells, draws={"climate_change": draws}, totals={"climate_change": draws.sum(axis=0)},
                           central={"climate_change": float(cells["climate_change"].sum())})


# ------------------------------------------------------------------------------------------------- fleet rows

def test_fleet_use_rows_of_a_measured_site_carry_the_site_energy_parameter():
    """The energy of a site with a measured IT energy is uncertain as that measure, not as the inventory: its use row
    and its PUE overhead row (900 × (2 − 1) = 900 kWh) carry ``quantity:<site quality>:site_energy:<site>``, the id
    the sensitivity table labels "énergie mesurée du site A"."""
    use = server_at_site_a().query("phase == 'use'")
    assert use[["activity", "quantity_param", "extra_param"]].values.tolist() == [
        [900.0, "quantity:high:site_energy:A", ""], [900.0, "quantity:high:site_energy:A", "pue:server_room"]]


def test_fleet_embodied_rows_carry_the_lifetime_parameter_of_their_category():
    """Annualised view: each of the 3 embodied rows (2 servers ÷ 5 years = 0.4 a year) is divided by the drawn
    lifetime of its category, ``lifetime:server``."""
    emb = server_at_site_a().query("phase != 'use'")
    assert emb[["phase", "activity", "lifetime_param"]].values.tolist() == [
        ["manufacturing", 0.4, "lifetime:server"], ["distribution", 0.4, "lifetime:server"],
        ["end_of_life", 0.4, "lifetime:server"]]


# ---------------------------------------------------------------------------------------------- resolve_sites

def test_no_hosting_gives_an_empty_site_table_indexed_by_site_id():
    sites = carbon.resolve_sites(None, KINDS)
    assert len(sites) == 0 and sites.index.name == "site_id"
    assert list(sites.columns) == ["entity", "kind", "pue", "pue_measured", "pue_param", "electricity_item",
                                   "it_kwh_per_year", "floor_area_m2", "cloud_spend_eur", "quality"]


def test_resolved_sites_keep_their_kind():
    hosting = pd.DataFrame({"site_id": ["A", "B"], "entity": "mairie", "kind": ["server_room", "server_room"]})
    assert carbon.resolve_sites(hosting, KINDS)["kind"].tolist() == ["server_room", "server_room"]


# ----------------------------------------------------------------------------------------------- hosting sites

def test_site_building_row_carries_the_quantity_parameter_of_its_area():
    """50 m2 of a medium-quality site, library per m2 and year: activity 50, multiplier
    ``quantity:medium:dc_support_equipment``."""
    lib = factors(factor("dc_support_equipment", 7.48, activity_unit="m2_year"))
    hosting = pd.DataFrame({"site_id": ["A"], "entity": "mairie", "kind": "server_room", "floor_area_m2": [50.0]})
    rows, _ = carbon.site_activities(carbon.resolve_sites(hosting, KINDS), inventory(
        {"category": "laptop", "quantity": 1}), lib)
    assert rows[["line_id", "activity", "quantity_param"]].values.tolist() == [
        ["hosting:A:building", 50.0, "quantity:medium:dc_support_equipment"]]


def test_site_energy_overhead_row_carries_the_pue_parameter_of_a_default_pue():
    """1000 kWh measured in a server room without a measured PUE (default 2.0): the overhead row,
    1000 × (2 − 1) = 1000 kWh, carries the PUE multiplier ``pue:server_room``; the IT energy row carries none."""
    hosting = pd.DataFrame({"site_id": ["A"], "entity": "mairie", "kind": "server_room", "it_kwh_per_year": [1000.0]})
    rows, _ = carbon.site_activities(carbon.resolve_sites(hosting, KINDS), inventory(
        {"category": "laptop", "quantity": 1}), factors(factor("electricity_fr", 0.05)))
    assert rows[["activity", "extra_param"]].values.tolist() == [[1000.0, ""], [1000.0, "pue:server_room"]]


def test_site_counted_by_its_spend_is_in_the_cloud_spend_category():
    """2000 € of cloud spend, no device, no energy: one row of category ``cloud_spend`` (labelled "Cloud et
    hébergement externalisé (dépense)" in the category table)."""
    hosting = pd.DataFrame({"site_id": ["C"], "entity": "mairie", "kind": "server_room", "cloud_spend_eur": [2000.0]})
    rows, _ = carbon.site_activities(carbon.resolve_sites(hosting, KINDS), inventory(
        {"category": "laptop", "quantity": 1}), factors(factor("spend_cloud_saas", 0.1, activity_unit="eur")))
    assert rows[["category", "activity"]].values.tolist() == [["cloud_spend", 2000.0]]


# ----------------------------------------------------------------------------------------- telecom, purchases

SUBSCRIPTION = factors(factor("network_fixed_subscription", 1.5, activity_unit="subscription_month"))


def test_one_gb_fixed_volume_beside_fixed_subscriptions_is_noted_as_not_added():
    """3 fixed lines counted per subscription (36 subscription-months) and 1 GB of fixed data: any positive volume
    is named in the note that says it is not added (1 GB too, not only more than 1)."""
    tel = pd.DataFrame({"entity": ["mairie"], "fixed_lines": [3], "fixed_data_gb_per_year": [1.0]})
    rows, notes = carbon.telecom_activities(tel, SUBSCRIPTION)
    notes = carbon_labels.notes_fr(notes)
    assert rows["activity"].tolist() == [36.0]
    assert notes == ["Télécom ligne 1 (mairie) : réseau fixe compté par abonnement ; le volume (1 Go) n'est pas "
                     "ajouté (pas de double compte)."]


def test_telecom_table_indexed_by_its_entity_column_is_read_row_by_row():
    """A telecom table indexed by its own ``entity`` column (kept as a column too): the index is dropped, not put
    back beside the column, and the 3 fixed lines give 36 subscription-months."""
    tel = pd.DataFrame({"entity": ["mairie"], "fixed_lines": [3]}).set_index("entity", drop=False)
    rows, _ = carbon.telecom_activities(tel, SUBSCRIPTION)
    assert rows[["entity", "line_id", "activity"]].values.tolist() == [["mairie", "telecom:1:fixed", 36.0]]


PURCHASES = pd.DataFrame({"entity": ["mairie"], "category": ["services"], "amount_eur": [1000.0], "year": [2023],
                          "quality": ["low"]})


def test_purchase_quality_names_its_quantity_parameter():
    rows, _ = carbon.purchase_activities(PURCHASES, factors(factor("spend_it_services", 0.11, activity_unit="eur")),
                                         2023)
    assert rows["quantity_param"].tolist() == ["quantity:low:purchase_services"]


def test_purchase_rows_have_the_purchases_source():
    rows, _ = carbon.purchase_activities(PURCHASES, factors(factor("spend_it_services", 0.11, activity_unit="eur")),
                                         2023)
    assert rows["source"].tolist() == ["purchases"]


# ------------------------------------------------------------------------------------------------- printing

PAPER = factors(factor("paper_a4_ream", 2.5, phase="manufacturing", activity_unit="ream"))


def test_printing_reams_given_as_text_are_numbers():
    """A ``reams`` column read as text ("40") counts 40.0 reams."""
    prt = pd.DataFrame({"entity": ["ecoles"], "reams": pd.Series(["40"], dtype=object)})
    rows = carbon.printing_activities(prt, PAPER)
    assert rows["activity"].tolist() == [40.0]
    assert isinstance(rows["activity"].iat[0], float)


def test_printing_quality_names_its_quantity_parameter():
    prt = pd.DataFrame({"entity": ["ecoles", "mairie"], "reams": [40.0, 10.0], "quality": ["high", None]})
    rows = carbon.printing_activities(prt, PAPER)
    assert rows["quantity_param"].tolist() == ["quantity:high:paper", "quantity:medium:paper"]


# ---------------------------------------------------------------------------------------------- Monte Carlo

def test_monte_carlo_with_every_factor_lists_no_missing_row_under_the_published_columns():
    """Every row has its factor: the missing table is empty but keeps its columns (the CSV header)."""
    acts = pd.DataFrame([{"source": "fleet", "line_id": "L1", "entity": "mairie", "tier": "terminals",
                          "category": "c", "phase": "use", "item": "e", "factor_phase": "use", "activity": 10.0,
                          "quantity_param": "", "lifetime_param": "", "extra_param": ""}],
                        columns=carbon.ACTIVITY_COLUMNS)
    r = carbon.monte_carlo(acts, factors(factor("e", 2.0)), carbon.parameter_table(set(), CATEGORIES, KINDS),
                           n_draws=10, seed=1)
    assert len(r.missing) == 0
    assert list(r.missing.columns) == ["criterion", "item", "phase", "activity_rows", "climate_change_kgco2e"]


def test_interval_of_no_draws_is_not_a_number():
    """No draw: the central value is kept and every percentile and the mean are NaN."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy: mean of an empty slice
        iv = carbon.interval(np.array([]), central=5.0, scale=2.0)
    assert iv["value"] == 10.0
    assert all(np.isnan(iv[k]) for k in ("low", "high", "mean", "median"))


# ------------------------------------------------------------------------------------------ headline figures

def test_headline_without_workstations_gives_a_nan_interval_with_the_same_keys():
    """No computer: the per-workstation figure is not a number, but has the keys of every other figure."""
    r = _two_criteria_result()
    head = carbon.headline(SimpleNamespace(mc=r, purchases_mc=r), agents=10, population=1000, computers=0)
    w = head["per_workstation_kgco2e"]
    assert set(w) == set(head["total_tco2e"]) == {"value", "low", "high", "mean", "median"}
    assert all(np.isnan(v) for v in w.values())


def test_quantiles_table_fifth_percentile():
    """One cell whose draws are 0 … 1000 kg: total in t, p2.5 … p97.5 = 0.025, 0.05, 0.5, 0.95, 0.975."""
    cells = pd.DataFrame({"phase": ["use"], "tier": ["terminals"], "entity": ["ville"], "climate_change": [480.0]})
    mc = fake_mc(cells, GRID[None, :])
    q = carbon.quantiles_table(SimpleNamespace(mc=mc, purchases_mc=mc, units={}), agents=10, population=1000,
                               computers=0).set_index("indicator")
    assert q.loc["total", ["p2_5", "p5", "p50", "p95", "p97_5"]].tolist() == pytest.approx(
        [0.025, 0.05, 0.5, 0.95, 0.975], rel=1e-12)


def test_scope_split_total_is_physical_plus_spend_based_draw_by_draw():
    """Physical cell: draws 0 … 1000 kg (central 480); spend-based cell: a constant 1000 kg. Total draws 1000 … 2000:
    value 1.48 t, interval 1.025 – 1.975 t."""
    cells = pd.DataFrame({"phase": ["use", carbon.SPEND_PHASE], "tier": ["terminals", "services"],
                          "climate_change": [480.0, 1000.0]})
    s = carbon.scope_split(fake_mc(cells, np.vstack([GRID, np.full(1001, 1000.0)])))
    assert s["total"] == pytest.approx({"value": 1.48, "low": 1.025, "high": 1.975}, rel=1e-12)


# ------------------------------------------------------------------------------------------ sensitivity labels

def test_sensitivity_label_of_a_pue_without_a_kind_label_names_the_kind():
    """Without the hosting kinds table, a PUE input is labelled by its kind's code."""
    sens = pd.DataFrame({"input_id": ["pue:server_room"], "kind": ["pue"], "contribution": [1.0],
                         "low_total": [1000.0], "high_total": [3000.0], "swing": [2000.0]})
    t = carbon_labels.sensitivity_table(SimpleNamespace(sensitivity=sens), CATEGORIES, None)
    assert t["label_fr"].tolist() == ["PUE : server_room"]
    assert t[["low_total", "high_total", "swing"]].values.tolist() == [[1.0, 3.0, 2.0]]


# ------------------------------------------------------------------------------------------- reconciliation

def paper_reconciliation() -> pd.DataFrame:
    """Paper (no inventory line) made for 500 kg in both views: a yearly flow, not a fleet."""
    col = "climate_change_kgco2e"
    lines = pd.DataFrame([("paper", "manufacturing", 500.0)], columns=["category", "phase", col])
    _, by_cat = carbon_labels.reconcile_views(lines, lines, inventory({"category": "laptop", "quantity": 1}),
                                              CATEGORIES, 2023)
    return by_cat.set_index("category")


def test_reconciliation_labels_a_pseudo_category_in_french():
    assert paper_reconciliation().loc["paper", "label_fr"] == "Papier (ramettes A4)"


def test_reconciliation_explains_a_yearly_flow():
    r = paper_reconciliation().loc["paper"]
    assert (r["fleet_quantity"], r["difference_tco2e"]) == (0, 0.0)
    assert r["explanation"] == "flux annuel (hors parc) : compté de la même façon dans les deux vues"
