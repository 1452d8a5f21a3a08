"""Carbon engine: exact values for the behaviours the mutation run of issue 22 found unchecked.

Every input is a small table built here and every reference value is derived by hand in the test's docstring or
comments (no published territory number). One behaviour per test; the survivors each test kills are listed in the
issue's closing note, not here.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from builders.carbon_inputs import (  # noqa: F401
    BENCHMARKS,
    CATEGORIES,
    KINDS,
    SUMMARY,
    activity,
    factor,
    factors,
    inventory,
    run,
)

from helpers.io import carbon_reference
from helpers.model import carbon, uncertainty
from helpers.report import carbon as carbon_report
from helpers.report import carbon_labels as labels

#: z such that Φ(z) = 0.975
Z975 = 1.959964














# ------------------------------------------------------------------------------------------ draw_distribution

def test_normal_draws_have_the_standard_deviation_of_their_95_percent_interval():
    """normal(value 1, low 0.9, high 1.1): σ = (1.1 − 0.9)/3.92 = 0.05102, so the 2.5th and 97.5th percentiles are
    1 ∓ 1.959964 × 0.05102 = 0.9000 and 1.1000, the median 1. (σ from high + low would be 0.51: 0.0 and 2.0.)
    200,000 draws: the sampling error of those percentiles is about 0.05 %."""
    x = uncertainty.draw_distribution("normal", 1.0, 0.9, 1.1, 200_000, np.random.default_rng(5))
    lo, med, hi = np.percentile(x, [2.5, 50, 97.5])
    sigma = 0.2 / 3.92
    assert lo == pytest.approx(1.0 - Z975 * sigma, rel=2e-3)
    assert hi == pytest.approx(1.0 + Z975 * sigma, rel=2e-3)
    assert med == pytest.approx(1.0, rel=1e-3)


def test_normal_draws_are_clipped_at_zero_not_above():
    """normal(value 0.1, low 0, high 0.4): σ = 0.4/3.92 = 0.102, P(X < 0) = Φ(−0.98) = 16 %: those draws become
    exactly 0 (a quantity is never negative); the others keep their value, so the median stays 0.1."""
    x = uncertainty.draw_distribution("normal", 0.1, 0.0, 0.4, 100_000, np.random.default_rng(6))
    assert x.min() == 0.0
    assert np.mean(x == 0.0) == pytest.approx(0.1635, abs=0.01)  # Φ(−0.1 / 0.10204) = Φ(−0.98) = 0.1635
    assert np.median(x) == pytest.approx(0.1, rel=0.02)


def test_distribution_none_is_a_constant_even_with_an_interval():
    """``none`` (or any name the engine does not know) draws the central value only, whatever low and high say."""
    x = uncertainty.draw_distribution("none", 2.0, 1.0, 3.0, 1000, np.random.default_rng(7))
    assert np.all(x == 2.0)


def test_split_triangular_has_its_lower_half_below_the_mode():
    """split triangular (low 3, median 5, high 8): half the mass on the left triangle (3, 5, 5), whose inverse CDF
    at 2u is 3 + 2 √(2u); half on the right one (5, 5, 8): 8 − 3 √(1 − (2u − 1)). So the 2.5th percentile is
    3 + 2 √0.05 = 3.4472, the median 5, the 97.5th 8 − 3 √0.05 = 7.3292."""
    x = uncertainty.draw_distribution("split_triangular", 5.0, 3.0, 8.0, 200_000, np.random.default_rng(8))
    lo, med, hi = np.percentile(x, [2.5, 50, 97.5])
    assert lo == pytest.approx(3.0 + 2.0 * np.sqrt(0.05), rel=3e-3)
    assert med == pytest.approx(5.0, rel=3e-3)
    assert hi == pytest.approx(8.0 - 3.0 * np.sqrt(0.05), rel=3e-3)
    assert np.mean(x < 5.0) == pytest.approx(0.5, abs=0.005)


def test_stream_key_of_a_correlated_factor_is_its_group():
    """Factors of one correlation group share the stream ``group:<name>`` (the key the services and the action plan
    use as well); a factor of no group keeps its own id."""
    rows = pd.DataFrame({"factor_id": ["a:use:climate_change", "b:use:climate_change"],
                         "correlation_group": ["elec", None]})
    assert list(uncertainty.stream_keys(rows)) == ["group:elec", "b:use:climate_change"]


# ------------------------------------------------------------------------------------------------- Monte Carlo

def test_monte_carlo_of_no_activity_is_zero():
    """An empty activity table (every line removed) gives no cell, a central total of 0 and draws of 0."""
    acts = pd.DataFrame(columns=carbon.ACTIVITY_COLUMNS)
    params = carbon.parameter_table(set(), CATEGORIES, KINDS)
    r = carbon.monte_carlo(acts, factors(factor("e", 2.0)), params, n_draws=50, seed=3)
    assert len(r.cells) == 0
    assert r.central == {"climate_change": 0.0}
    assert np.array_equal(r.totals["climate_change"], np.zeros(50))


def test_monte_carlo_result_keeps_its_seed():
    """The seed is reported with the result (``summary.json`` publishes it beside the number of draws)."""
    r = run([activity("e", 10.0)], factors(factor("e", 2.0)), n_draws=100, seed=1234)
    assert (r.seed, r.n_draws) == (1234, 100)


def test_tornado_bounds_of_a_quantity_multiplier():
    """1000 kWh × 2 kgCO2e/kWh (constant factor) of high-quality data: the quantity multiplier is normal with a 95 %
    interval 1 ± 0.05, so with every other input central the total goes from 2000 × 0.95 = 1900 to
    2000 × 1.05 = 2100 kgCO2e (swing 200). The multiplier is listed with its kind, ``quantity``."""
    r = run([activity("e", 1000.0, quantity_param="quantity:high:laptop")], factors(factor("e", 2.0)))
    s = r.sensitivity.set_index("input_id")
    q = s.loc["quantity:high:laptop"]
    assert q["kind"] == "quantity"
    assert q["low_total"] == pytest.approx(1900.0, rel=1e-3)
    assert q["high_total"] == pytest.approx(2100.0, rel=1e-3)
    assert q["swing"] == pytest.approx(200.0, rel=1e-2)
    assert s.loc["e:use:climate_change", "kind"] == "factor"


def test_sensitivity_table_labels_in_french():
    """Labels of the published tornado: a factor by its phase and item, a quantity by its data quality and category;
    the bounds in tCO2e (1900 and 2100 kg of the test above)."""
    r = run([activity("electricity_fr", 1000.0, quantity_param="quantity:high:laptop")],
            factors(factor("electricity_fr", 2.0, low=1.0, high=4.0, distribution="lognormal")), n_draws=20_000)
    t = labels.sensitivity_table(r, CATEGORIES, KINDS).set_index("input_id")
    assert t.loc["electricity_fr:use:climate_change", "label_fr"] == "Facteur utilisation : électricité (France)"
    assert t.loc["quantity:high:laptop", "label_fr"] == "Quantité (qualité bonne) : Ordinateur portable"
    assert t.loc["quantity:high:laptop", "low_total"] == pytest.approx(1.9, rel=2e-3)
    assert t.loc["quantity:high:laptop", "high_total"] == pytest.approx(2.1, rel=2e-3)


# ---------------------------------------------------------------------------------------------- fleet lines

def test_fleet_quantity_parameter_is_quality_then_category():
    """Each fleet row carries ``quantity:<quality>:<category>``, the id the sensitivity table labels."""
    acts = carbon.fleet_activities(inventory({"category": "laptop", "quantity": 10, "quality": "low"}), CATEGORIES)
    assert set(acts["quantity_param"]) == {"quantity:low:laptop"}


def test_fleet_line_without_quality_takes_medium_like_a_line_that_says_medium():
    """A missing quality is "medium", also when another line already says "medium" (one category, not two)."""
    inv = inventory({"category": "laptop", "quantity": 10, "quality": "medium"},
                    {"category": "laptop", "quantity": 5, "quality": None})
    lines = carbon.fleet_lines(inv, CATEGORIES)
    assert list(lines["quality"].astype(str)) == ["medium", "medium"]


def test_fleet_lines_without_quality_or_reconditioned_columns():
    """Both columns are optional: every line is then of medium quality and new (share of manufacturing 1):
    10 laptops ÷ 5 years = 2 units a year."""
    inv = inventory({"category": "laptop", "quantity": 10}).drop(columns=["quality", "reconditioned"])
    lines = carbon.fleet_lines(inv, CATEGORIES)
    assert list(lines["quality"].astype(str)) == ["medium"]
    assert lines["manufacturing_units"].tolist() == [2.0]


def test_fleet_lines_reject_a_zero_lifetime_and_name_the_line():
    inv = inventory({"category": "laptop", "quantity": 10}, {"category": "laptop", "quantity": 5,
                                                             "lifetime_years": 0.0})
    with pytest.raises(ValueError, match=r"lines \['L2'\]"):
        carbon.fleet_lines(inv, CATEGORIES)


def test_fleet_lines_rescale_a_site_given_as_a_categorical_with_unused_sites():
    """A categorical ``site`` column (a filtered inventory keeps every category) whose last site, C, no line uses:
    the servers of site A, estimated at 2 × 300 + 1 × 400 = 1000 kWh, are rescaled to A's measured 1500 kWh
    (× 1.5): 900 and 600 kWh; site B measures nothing, so its server keeps its estimate, 1 × 250 kWh."""
    inv = inventory({"category": "server", "quantity": 2, "yearly_kwh": 300.0, "site": "A"},
                    {"category": "server", "quantity": 1, "yearly_kwh": 400.0, "site": "A"},
                    {"category": "server", "quantity": 1, "yearly_kwh": 250.0, "site": "B"})
    inv["site"] = pd.Categorical(inv["site"], categories=["A", "B", "C"])
    hosting = pd.DataFrame({"site_id": ["A", "B", "C"], "entity": "mairie", "kind": "server_room",
                            "pue": [1.5, 1.5, 1.5], "it_kwh_per_year": [1500.0, np.nan, 800.0]})
    sites = carbon.resolve_sites(hosting, KINDS)
    lines = carbon.fleet_lines(inv, CATEGORIES, sites)
    assert lines["energy_kwh"].tolist() == pytest.approx([900.0, 600.0, 250.0])
    assert lines["measured_site"].tolist() == [True, True, False]


def test_resolved_sites_are_indexed_by_site_id():
    sites = carbon.resolve_sites(pd.DataFrame({"site_id": ["A"], "entity": "mairie", "kind": "server_room"}), KINDS)
    assert sites.index.name == "site_id"
    assert sites.loc["A", "pue"] == 2.0 and sites.loc["A", "pue_param"] == "pue:server_room"


def test_annualised_embodied_reads_quantities_given_as_text():
    """A quantity read from a text column ("100") counts as 100: 170 kg × 100 ÷ 5 years = 3400 kgCO2e/year."""
    acts = carbon.fleet_activities(inventory({"category": "laptop", "quantity": "100", "lifetime_years": 5.0}),
                                   CATEGORIES)
    lib = factors(factor("laptop", 170.0, phase="manufacturing", activity_unit="unit"))
    impact = carbon.activity_impacts(acts, lib, ["climate_change"])["climate_change"]
    assert impact[acts["phase"] == "manufacturing"].tolist() == [3400.0]


# ------------------------------------------------------------------------------- sites, telecom, purchases

def site_library() -> pd.DataFrame:
    return factors(factor("electricity_fr", 0.05), factor("spend_cloud_saas", 0.1, activity_unit="eur"))


def test_site_whose_inventory_devices_have_no_energy_is_counted_by_its_measured_energy():
    """Site A names an inventory device without any yearly kWh (its energy is unknown, 0): the site is then
    counted by its own measured IT energy, 1000 kWh, plus the PUE overhead 1000 × (1.5 − 1) = 500 kWh."""
    hosting = pd.DataFrame({"site_id": ["A"], "entity": "mairie", "kind": "server_room", "pue": [1.5],
                            "it_kwh_per_year": [1000.0]})
    inv = inventory({"category": "server", "quantity": 2, "site": "A"})
    rows, _ = carbon.site_activities(carbon.resolve_sites(hosting, KINDS), inv, site_library())
    assert rows["activity"].tolist() == [1000.0, 500.0]
    assert set(rows["line_id"]) == {"hosting:A:energy"}


def test_site_with_a_small_cloud_spend_is_counted_by_it():
    """A site with no device and no energy but 0.5 € of cloud spend is counted by that spend (0.5 € × ratio)."""
    hosting = pd.DataFrame({"site_id": ["C"], "entity": "mairie", "kind": "server_room", "cloud_spend_eur": [0.5]})
    rows, notes = carbon.site_activities(carbon.resolve_sites(hosting, KINDS), inventory(
        {"category": "laptop", "quantity": 1}), site_library())
    notes = labels.notes_fr(notes)
    assert rows[["line_id", "item", "activity"]].values.tolist() == [["hosting:C:spend", "spend_cloud_saas", 0.5]]
    assert notes == ["Site C : compté par sa dépense (ratio monétaire), faute d'énergie mesurée ; ce ratio est très "
                     "incertain."]


def test_small_mobile_volume_is_counted():
    """0.5 GB of mobile data a year is counted per GB (any positive volume)."""
    lib = factors(factor("network_mobile_fr", 0.02468, activity_unit="gb"))
    tel = pd.DataFrame({"entity": ["mairie"], "mobile_data_gb_per_year": [0.5], "quality": ["high"]})
    rows, notes = carbon.telecom_activities(tel, lib)
    assert rows[["line_id", "item", "activity"]].values.tolist() == [["telecom:1:mobile", "network_mobile_fr", 0.5]]
    assert notes == []


def test_mobile_lines_without_volume_are_reported_with_their_row_number():
    """Row 1 of telecom.csv gives 50 mobile lines and no volume, and the library has no per-line factor: nothing is
    counted and the note names row 1 (rows are numbered from 1, as in the file)."""
    lib = factors(factor("network_mobile_fr", 0.02468, activity_unit="gb"))
    tel = pd.DataFrame({"entity": ["mairie"], "mobile_lines": [50]})
    rows, notes = carbon.telecom_activities(tel, lib)
    notes = labels.notes_fr(notes)
    assert len(rows) == 0
    assert notes == ["Télécom ligne 1 (mairie) : 50 lignes mobiles sans volume de données : le réseau mobile n'est "
                     "pas compté (donner mobile_data_gb_per_year)."]


def test_purchases_without_quality_column_are_of_medium_quality():
    lib = factors(factor("spend_it_services", 0.11, activity_unit="eur"))
    pur = pd.DataFrame({"entity": ["mairie"], "category": ["services"], "amount_eur": [1000.0], "year": [2023]})
    rows, _ = carbon.purchase_activities(pur, lib, 2023)
    assert rows["quantity_param"].tolist() == ["quantity:medium:purchase_services"]
    assert rows["activity"].tolist() == [1000.0]


def test_printing_without_paper_factor_is_one_manufacturing_row():
    """With no paper factor in the library, printing still gives one manufacturing row per line (listed as a missing
    factor ``paper_a4_ream:manufacturing``, not dropped): 250,000 pages = 500 reams."""
    prt = pd.DataFrame({"entity": ["ecoles"], "reams_per_year": [np.nan], "pages_per_year": [250_000.0]})
    rows = carbon.printing_activities(prt, factors(factor("electricity_fr", 0.05)))
    assert rows[["phase", "item", "activity"]].values.tolist() == [["manufacturing", "paper_a4_ream", 500.0]]


CLOUD_NOTE = ("purchases.csv contient une dépense « cloud » et hosting.csv décrit des sites : vérifier qu'un même "
              "service n'est pas compté deux fois (par la dépense et par l'énergie ou la dépense du site).")


def test_cloud_spend_and_hosting_sites_raise_the_double_counting_note():
    pur = pd.DataFrame({"entity": ["mairie"], "category": ["cloud"], "amount_eur": [1000.0], "year": [2023]})
    hosting = pd.DataFrame({"site_id": ["A"], "entity": ["mairie"], "kind": ["server_room"]})
    assert labels.notes_fr(carbon.double_counting_notes(pur, hosting, None, 2023)) == [CLOUD_NOTE]


def test_cloud_spend_without_hosting_raises_no_note():
    pur = pd.DataFrame({"entity": ["mairie"], "category": ["cloud"], "amount_eur": [1000.0], "year": [2023]})
    assert carbon.double_counting_notes(pur, None, None, 2023) == []


# ------------------------------------------------------------------------------------------- category table

def test_category_table_values_quantities_and_order():
    """Per category (kgCO2e → t): laptop embodied 1000 + 200 = 1.2 t, use 0.3 t, total 1.5 t, 10 units (6 + 4);
    server: its manufacturing row has no factor (NaN, summed as 0 with its use), use 2.0 t, total 2.0 t, 2 units;
    smartphones: only an embodied row without factor, so embodied unknown (NaN) and a total of 0; IT services
    spend 5.0 t, no inventory quantity. Largest first; shares of 8.5 t."""
    col = "climate_change_kgco2e"
    lines = pd.DataFrame([("laptop", "terminals", "manufacturing", 1000.0), ("laptop", "terminals", "distribution",
                                                                              200.0),
                          ("laptop", "terminals", "use", 300.0), ("purchase_services", "services", "spend_based",
                                                                  5000.0),
                          ("server", "datacentres", "manufacturing", np.nan), ("server", "datacentres", "use", 2000.0),
                          ("smartphone", "terminals", "manufacturing", np.nan)],
                         columns=["category", "tier", "phase", col])
    inv = inventory({"category": "laptop", "quantity": 6}, {"category": "laptop", "quantity": 4},
                    {"category": "server", "quantity": 2})
    t = carbon.category_table(lines, inv)
    assert t["category"].tolist() == ["purchase_services", "server", "laptop", "smartphone"]
    t = t.set_index("category")
    assert t.loc["laptop", ["embodied_tco2e", "use_tco2e", "spend_based_tco2e", "total_tco2e"]].tolist() == \
        pytest.approx([1.2, 0.3, 0.0, 1.5])
    assert t.loc["server", ["embodied_tco2e", "total_tco2e"]].tolist() == pytest.approx([0.0, 2.0])
    assert np.isnan(t.loc["smartphone", "embodied_tco2e"])
    assert t.loc["smartphone", "total_tco2e"] == 0.0
    assert t.loc["purchase_services", "spend_based_tco2e"] == pytest.approx(5.0)
    assert t.loc["laptop", "quantity"] == 10 and t.loc["server", "quantity"] == 2
    assert np.isnan(t.loc["purchase_services", "quantity"])
    assert t["share"].tolist() == pytest.approx([5.0 / 8.5, 2.0 / 8.5, 1.5 / 8.5, 0.0])


# ------------------------------------------------------------------------------------------ reconciliation

def test_reconciliation_bridge_and_yearly_renewal():
    """Annualised lines: laptop manufacturing 1000 kg + use 500 kg, screens 600 kg, smartphones 400 kg; purchases
    view: laptops bought 1000 kg, smartphones 1000 kg, same use. Bridge: 2.5 t − 2.0 t amortised + 2.0 t bought =
    2.5 t. Mean yearly renewal = fleet ÷ lifetime: laptops 50/5 = 10 (10 bought: close), screens 30/6 = 5 (none
    bought), smartphones 10/2.5 = 4 (10 bought: 2.5 times)."""
    col = "climate_change_kgco2e"
    ann = pd.DataFrame([("laptop", "manufacturing", 1000.0), ("laptop", "use", 500.0),
                        ("screen_small", "manufacturing", 600.0), ("smartphone", "manufacturing", 400.0)],
                       columns=["category", "phase", col])
    pur = pd.DataFrame([("laptop", "manufacturing", 1000.0), ("laptop", "use", 500.0),
                        ("smartphone", "manufacturing", 1000.0)], columns=["category", "phase", col])
    inv = inventory({"category": "laptop", "quantity": 10, "purchase_year": 2023},
                    {"category": "laptop", "quantity": 40, "purchase_year": 2020},
                    {"category": "screen_small", "quantity": 30, "purchase_year": 2021},
                    {"category": "smartphone", "quantity": 10, "purchase_year": 2023})
    bridge, by_cat = labels.reconcile_views(ann, pur, inv, CATEGORIES, 2023)
    assert bridge["step"].tolist() == [
        "Bilan annualisé (empreinte amortie)",
        "− fabrication, distribution et fin de vie amorties de tout le parc",
        "+ fabrication, distribution et fin de vie des équipements achetés en 2023 (non amorties)",
        "= Vue « achats de l'année » (comptable, type Bilan Carbone / BEGES)"]
    assert bridge["tco2e"].tolist() == pytest.approx([2.5, -2.0, 2.0, 2.5])
    r = by_cat.set_index("category")
    assert r["mean_yearly_renewal"].to_dict() == pytest.approx({"laptop": 10.0, "screen_small": 5.0,
                                                                "smartphone": 4.0})
    assert r.loc["laptop", "explanation"] == "achats proches du renouvellement moyen : les deux vues sont proches"
    assert r.loc["screen_small", "explanation"].startswith("aucun achat dans l'année")
    assert r.loc["smartphone", "explanation"].startswith("achats de l'année 2")


# ---------------------------------------------------------------------------------------------- fleet ratios

def ratio_inventory() -> pd.DataFrame:
    """10 laptops (3 years, 5-year life), 5 desktops (6 years: past), 20 undated screens, 4 reconditioned
    smartphones (1 year), 2 copiers (4 years), 3 servers (3 years)."""
    rows = [("laptop", "terminals", 10, 3.0, 5.0, False), ("desktop", "terminals", 5, 6.0, 5.0, False),
            ("screen_small", "terminals", 20, np.nan, 6.0, False), ("smartphone", "terminals", 4, 1.0, 2.5, True),
            ("mfp_copier", "terminals", 2, 4.0, 5.0, False), ("server", "datacentres", 3, 3.0, 5.0, False)]
    return pd.DataFrame(rows, columns=["category", "tier", "quantity", "age_years", "lifetime_years",
                                       "reconditioned"])


def test_fleet_ratio_values():
    """44 devices, 10 agents: computers 15, screens 20, 20/15 screens per computer, terminals 41 (not the servers),
    4 phones, 2 copiers; dated 24 of 44; mean age (10×3 + 5×6 + 4×1 + 2×4 + 3×3)/24 = 81/24; past lifetime 5/24;
    reconditioned 4/44."""
    r = carbon.fleet_ratios(ratio_inventory(), agents=10)
    assert dict(zip(r["indicator"], r["value"])) == pytest.approx({
        "computers": 15.0, "screens": 20.0, "screens_per_computer": 20 / 15, "computers_per_agent": 1.5,
        "terminals_per_agent": 4.1, "devices_per_agent": 4.4, "phones_per_agent": 0.4, "printers_per_agent": 0.2,
        "dated_share": 24 / 44, "mean_age_years": 81 / 24, "share_past_lifetime": 5 / 24,
        "share_reconditioned": 4 / 44}, rel=1e-12)


def test_fleet_ratio_labels():
    r = labels.fleet_ratios(ratio_inventory(), agents=10)
    assert r[["indicator", "label_fr", "unit"]].values.tolist() == [
        ["computers", "Postes de travail (portables, fixes, clients légers)", "unités"],
        ["screens", "Écrans", "unités"],
        ["screens_per_computer", "Écrans par poste de travail", "ratio"],
        ["computers_per_agent", "Postes de travail par agent", "ratio"],
        ["terminals_per_agent", "Terminaux par agent", "ratio"],
        ["devices_per_agent", "Équipements par agent (tous niveaux)", "ratio"],
        ["phones_per_agent", "Téléphones mobiles par agent", "ratio"],
        ["printers_per_agent", "Imprimantes et copieurs par agent", "ratio"],
        ["dated_share", "Part des équipements datés (date d'achat ou âge dans l'inventaire)", "part"],
        ["mean_age_years", "Âge moyen pondéré par les quantités (équipements datés)", "années"],
        ["share_past_lifetime", "Part des équipements datés au-delà de leur durée de vie", "part"],
        ["share_reconditioned", "Part des équipements reconditionnés", "part"]]


def test_age_profile_bands_past_lifetime_and_order():
    """Laptops: 10 of 5 years with a 5-year life (at the end of it, not past), 5 of 7 years (past): past share 5/15;
    bands (2, 5] and (5, 8]. Screens: 30 of 1 year, 10 undated: 40 in all, so listed first."""
    inv = pd.DataFrame([("laptop", 10, 5.0, 5.0), ("laptop", 5, 7.0, 5.0), ("screen_small", 30, 1.0, 6.0),
                        ("screen_small", 10, np.nan, 6.0)],
                       columns=["category", "quantity", "age_years", "lifetime_years"])
    p = labels.age_profile(inv, CATEGORIES)
    assert p["category"].tolist() == ["screen_small", "laptop"]
    p = p.set_index("category")
    assert p.loc["laptop", "share_past_lifetime"] == pytest.approx(5 / 15)
    assert p.loc["screen_small", "share_past_lifetime"] == 0.0
    assert p.loc["laptop", ["0-2 ans", "3-5 ans", "6-8 ans"]].tolist() == [0, 10, 5]
    assert p.loc["screen_small", ["0-2 ans", "non daté"]].tolist() == [30, 10]


# ---------------------------------------------------------------------------------------- reference figures

def test_territory_footprint_per_inhabitant_figure():
    """1000 inhabitants × 253 kgCO2e ÷ 1000 is the top of the range (17.2 Mt): 253 t; low × 16.9/17.2; central
    the middle, × 17.05/17.2."""
    t = carbon.territory_footprint(1000, carbon_reference.load_national_footprint(), own_total_tco2e=50.0)
    assert t["per_inhabitant_kgco2e"] == 253.0
    assert (t["value"], t["low"], t["high"]) == pytest.approx((253.0 * 17.05 / 17.2, 253.0 * 16.9 / 17.2, 253.0))





def test_benchmark_comparison_values_and_scopes():
    """The published total is compared with the equipment scope (75 t, ratio 75/680); both manufacturing shares
    with 0.6 (their one base, the equipment scope); the services share with 20/100 = 0.2. The reference of another
    territory is left out."""
    c = carbon_report.benchmark_comparison(BENCHMARKS, "here", SUMMARY)
    assert c[["reference", "unit", "our_value", "our_low", "our_high"]].values.tolist()[0] == [
        "Bilan publié : 680 t", "tco2e_per_year", 75.0, 66.0, 85.0]
    assert c["our_value"].tolist() == pytest.approx([75.0, 0.6, 0.6, 0.2])
    assert c["ratio"].tolist() == pytest.approx([75.0 / 680.0, 0.6 / 0.5, 0.6 / 0.78, 0.2 / 0.4])
    assert c["compared_scope"].tolist() == ["equipment", "equipment", "equipment", "total"]
    assert c.loc[0, "our_scope"] == ("équipements, leur énergie, hébergement et réseaux (périmètre physique sans "
                                     "papier)")


def test_benchmark_comparison_reasons_state_the_total():
    """Reason of a total on the equipment scope: the study's total, all scopes, 100 t, is named beside it; the
    manufacturing shares get one reason (a collectivity's own published figures are reconciled line by line by
    ``published_comparison``, issue 32)."""
    c = carbon_report.benchmark_comparison(BENCHMARKS, "here", SUMMARY)
    assert c.loc[0, "reason_fr"] == ("Même périmètre ; la référence ne détaille ni ses quantités ni ses facteurs. "
                                     "Total de l'étude, tous périmètres : 100 tCO2e.")
    assert c.loc[1, "reason_fr"] == c.loc[2, "reason_fr"]


def test_benchmark_comparison_reads_an_older_summary_share():
    """A summary written before ``equipment_manufacturing_share`` existed gives its ``manufacturing_share``."""
    data = {k: v for k, v in SUMMARY.items() if k != "equipment_manufacturing_share"}
    c = carbon_report.benchmark_comparison(BENCHMARKS, "here", data)
    assert c.loc[c["unit"] == "manufacturing_share", "our_value"].tolist() == [0.6, 0.6]


# ------------------------------------------------------------------------------------------ French display

def test_share_text_of_a_missing_share():
    assert carbon_report._share_text(None) == "non disponible"
    assert carbon_report._share_text(float("nan")) == "non disponible"
    assert carbon_report._share_text(0.537) == "54 %"


def test_french_breakdown_cells():
    """Value and interval with one decimal and a French comma; share in percent."""
    df = pd.DataFrame({"label": ["Terminaux"], "value": [12.34], "low": [10.0], "high": [15.55], "share": [0.25]})
    out = carbon_report.french_breakdown(df, "Niveau")
    assert out.values.tolist() == [["Terminaux", "12,3 [10,0 – 15,6]", "25,0"]]
    assert list(out.columns) == ["Niveau", "tCO2e/an [fourchette probable]", "Part (%)"]


def test_prepare_factors_without_change_gives_the_empty_change_table():
    fac = factors(factor("electricity_fr", 0.05))
    out, changes = carbon_reference.prepare_factors(fac, SimpleNamespace())
    assert out is fac
    assert list(changes.columns) == ["factor_id", "old_value", "new_value", "old_low", "old_high", "new_low",
                                     "new_high", "source", "reason", "origin"]
    assert len(changes) == 0


def test_factor_alternatives_skip_an_unused_factor_and_go_on():
    """The screen factor is in the library but no row uses it: skipped; the server (2 units a year, 748 kg) is
    still listed: 2 × (3660 − 748) / 1000 = 5.824 tCO2e."""
    lib = factors(factor("screen_small", 64.6, phase="manufacturing", activity_unit="unit"),
                  factor("server", 748.0, phase="manufacturing", activity_unit="unit"))
    acts = pd.DataFrame([activity("server", 2.0, phase="manufacturing")], columns=carbon.ACTIVITY_COLUMNS)
    alt = carbon.factor_alternatives(acts, lib)
    assert alt["factor_id"].tolist() == ["server:manufacturing:climate_change"]
    assert alt["delta_tco2e"].tolist() == pytest.approx([5.824])


def test_electricity_summary_counts_the_kwh_of_the_french_electricity_only():
    """1000 + 500 kWh of French electricity; 200 GB of fixed network (a use row of another item) is not electricity.
    With the 2025 vintage (0.0461) against the factor used (0.05): 1500 × (0.0461 − 0.05) / 1000 tCO2e."""
    lib = factors(factor("electricity_fr", 0.05), factor("network_fixed_fr", 0.00927, activity_unit="gb"))
    acts = pd.DataFrame([activity("electricity_fr", 1000.0), activity("electricity_fr", 500.0),
                         activity("network_fixed_fr", 200.0)], columns=carbon.ACTIVITY_COLUMNS)
    e = carbon_reference.electricity_factor_summary(lib, SimpleNamespace(reference_year=2023), carbon.grid_kwh(acts))
    assert e["kwh_per_year"] == 1500.0
    assert e["latest_delta_tco2e"] == pytest.approx(1500.0 * (e["latest_value"] - 0.05) / 1000.0, rel=1e-12)


# ------------------------------------------------------------------------------------------------- summary

def test_summary_tier_values_in_tonnes_with_their_intervals():
    """10 servers, 100 kg to manufacture each (constant factor), a fixed 5-year life (low = high): 200 kg a year,
    0.2 tCO2e in ``by_tier`` and ``by_phase``; the interval comes from the high-quality quantity multiplier alone,
    0.2 × (1 ∓ 0.05)."""
    inv = inventory({"category": "server", "quantity": 10, "age_years": 3.0})
    lib = factors(factor("server", 100.0, phase="manufacturing", activity_unit="unit"))
    b = carbon.compute_balance(inv, CATEGORIES, lib, KINDS, 2023, criteria=("climate_change",), n_draws=20_000,
                               seed=5)
    terr = SimpleNamespace(agents=10, population=1000)
    data, _ = carbon.summary(b, terr, computers=0.0, national=carbon_reference.load_national_footprint())
    assert data["by_tier"] == pytest.approx({"datacentres": 0.2})
    iv = data["by_phase_interval"]["manufacturing"]
    assert set(iv) == {"value", "low", "high"}
    assert (iv["value"], iv["low"], iv["high"]) == pytest.approx((0.2, 0.19, 0.21), rel=3e-3)
    assert data["seed"] == 5


def test_notes_write_their_numbers_the_french_way():
    """1,500 mobile lines are written "1 500" (narrow no-break space), never "1,500", which a French reader takes for
    1.5; the same for a site's cloud spend of 1,500 € next to devices whose energy is already counted."""
    lib = factors(factor("network_mobile_fr", 0.02468, activity_unit="gb"))
    _, notes = carbon.telecom_activities(pd.DataFrame({"entity": ["mairie"], "mobile_lines": [1500]}), lib)
    notes = labels.notes_fr(notes)
    assert notes[0].startswith("Télécom ligne 1 (mairie) : 1\u202f500 lignes mobiles sans volume")
    hosting = pd.DataFrame({"site_id": ["A"], "entity": "mairie", "kind": "server_room", "pue": [1.5],
                            "cloud_spend_eur": [1500.0]})
    inv = inventory({"category": "server", "quantity": 2, "site": "A", "yearly_kwh": 100.0})
    _, notes = carbon.site_activities(carbon.resolve_sites(hosting, KINDS), inv, site_library())
    notes = labels.notes_fr(notes)
    assert any("la dépense cloud (1\u202f500 €)" in n for n in notes), notes


def test_a_small_fixed_volume_in_a_note_is_not_rounded_to_zero():
    """3 fixed lines and 0.5 GB of fixed data: the note says the 0,5 Go are not added (it said "0 Go")."""
    lib = factors(factor("network_fixed_subscription", 4.1, activity_unit="subscription_month"),
                  factor("network_fixed_fr", 0.00927, activity_unit="gb"))
    tel = pd.DataFrame({"entity": ["mairie"], "fixed_lines": [3], "fixed_data_gb_per_year": [0.5]})
    _, notes = carbon.telecom_activities(tel, lib)
    notes = labels.notes_fr(notes)
    assert any("(0,5 Go)" in n for n in notes), notes


def test_benchmark_comparison_on_a_summary_with_only_the_totals():
    """A summary written before issue 32 (totals only, no scope): the services share is the spend 0 ÷ 100; every
    scoped comparison is not available (NaN), never the total with purchases set against a reference that has none;
    each row still names the scope it would compare."""
    data = {k: SUMMARY[k] for k in ("total_tco2e", "per_agent_kgco2e", "per_workstation_kgco2e")}
    refs = pd.DataFrame(
        [("Bilan publié : 680 t", 680.0, "tco2e_per_year", "here", "s1", "src1"),
         ("Par salarié", 265.0, "kgco2e_per_employee_year", "all", "s2", "src2"),
         ("Par poste", 500.0, "kgco2e_per_workstation_year", "all", "s3", "src3"),
         ("Part des services", 0.4, "services_share", "all", "s4", "src4")],
        columns=["label_fr", "value", "unit", "applies_to", "scope", "source"])
    c = carbon_report.benchmark_comparison(refs, "here", data).set_index("unit")
    assert c.loc["services_share", "our_value"] == 0.0
    for unit in ("tco2e_per_year", "kgco2e_per_employee_year", "kgco2e_per_workstation_year"):
        assert np.isnan(c.loc[unit, "our_value"]) and np.isnan(c.loc[unit, "ratio"]), unit
    assert c.loc["kgco2e_per_workstation_year", "our_scope"].startswith("par poste de travail, équipements")
    assert c.loc["kgco2e_per_employee_year", "our_scope"].startswith("par agent, périmètre physique")
    assert c.loc["services_share", "our_scope"] == "achats par ratio monétaire ÷ total"
