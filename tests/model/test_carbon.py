"""Carbon balance engine: reference values computed by hand from the cited factors.

Device factors (kgCO2e per unit, manufacturing / distribution / end of life) are the ADEME–NegaOctet 2022 values coded
in ADEME's model ``incubateur-ademe/publicodes-acv-numerique:src/acv-terminaux.publicodes@70676e4``
(domain-facts §4.1): laptop 170.0 / 12.3 / 2.79 (5 years), screen 24" 64.6 / 1.29 / 3.95 (6 years), smartphone
77.0 / 2.27 / 0.25 (2.5 years). French electricity: 0.0461 kgCO2e/kWh (Base Empreinte 2025, mix moyen,
``incubateur-ademe/publicodes-commun:src/commun.publicodes``). Networks: fixed FR 9.27 gCO2e/GB, mobile FR
24.68 gCO2e/GB (``…/src/transmission.publicodes``); fixed line 4.1 kgCO2e per subscriber and month (AGEC art. 13).
"""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from helpers.io import carbon_reference
from helpers.model import carbon, uncertainty
from helpers.report import carbon as carbon_report
from helpers.report import carbon_labels as labels

ELEC_FR = 0.0461
LAPTOP = (170.0, 12.3, 2.79)
SCREEN = (64.6, 1.29, 3.95)
PHONE = (77.0, 2.27, 0.25)


def factor_rows(rows):
    """rows: (item, phase, criterion, value, low, high, distribution, activity_unit)."""
    df = pd.DataFrame(rows, columns=["item", "phase", "criterion", "value", "low", "high", "distribution",
                                     "activity_unit"])
    df.insert(0, "factor_id", df["item"] + ":" + df["phase"] + ":" + df["criterion"])
    df["unit"] = ""
    df["source"] = "test"
    df["vintage"] = "test"
    df["status"] = "sourced"
    df["note"] = ""
    return df


def device(item, values, spread=1.25, dist="lognormal"):
    return [(item, phase, "climate_change", v, v / spread, v * spread, dist, "unit")
            for phase, v in zip(("manufacturing", "distribution", "end_of_life"), values)]


FACTORS = factor_rows(
    device("laptop", LAPTOP) + device("screen_small", SCREEN) + device("smartphone", PHONE)
    + device("server", (748.0, 0.0, 0.0))
    + [("electricity_fr", "use", "climate_change", ELEC_FR, 0.0442, 0.0599, "triangular", "kwh"),
       ("network_fixed_fr", "use", "climate_change", 0.00927, 0.0046, 0.0185, "lognormal", "gb"),
       ("network_mobile_fr", "use", "climate_change", 0.02468, 0.0123, 0.0494, "lognormal", "gb"),
       ("network_fixed_subscription", "use", "climate_change", 4.1, 2.73, 6.15, "lognormal", "subscription_month"),
       ("spend_it_services", "use", "climate_change", 0.11, 0.037, 0.33, "lognormal", "eur"),
       ("spend_cloud_saas", "use", "climate_change", 0.11, 0.037, 0.33, "lognormal", "eur"),
       ("paper_a4_ream", "manufacturing", "climate_change", 2.29, 1.75, 3.65, "triangular", "ream"),
       ("dc_support_equipment", "manufacturing", "climate_change", 7.48, 3.74, 14.96, "lognormal", "m2_year")]
)

CATEGORIES = pd.DataFrame(
    [("laptop", "Ordinateur portable", "terminals", "laptop", 5, 3, 8, 0.3),
     ("screen_small", "Écran", "terminals", "screen_small", 6, 4, 10, 0.3),
     ("smartphone", "Smartphone", "terminals", "smartphone", 2.5, 2, 5, 0.13),
     ("server", "Serveur", "datacentres", "server", 5, 3, 8, 0.3)],
    columns=["category", "label_fr", "tier", "factor_item", "default_lifetime_years", "lifetime_low_years",
             "lifetime_high_years", "reconditioned_embodied_share"])

KINDS = pd.DataFrame([("server_room", "Salle serveurs", 2.0, 1.5, 3.0, "electricity_fr"),
                      ("cloud_eu", "Cloud", 1.2, 1.1, 1.6, "electricity_fr")],
                     columns=["kind", "label_fr", "default_pue", "pue_low", "pue_high", "electricity_item"])


def inventory(*lines):
    """lines: dicts with at least category and quantity."""
    rows = []
    for i, line in enumerate(lines):
        cat = CATEGORIES.set_index("category").loc[line["category"]]
        rows.append({"line_id": line.get("line_id", f"L{i}"), "entity": line.get("entity", "ville"),
                     "category": line["category"], "tier": cat["tier"], "factor_item": cat["factor_item"],
                     "quantity": line["quantity"], "purchase_year": line.get("purchase_year", 2020),
                     "age_years": 2023 - line.get("purchase_year", 2020),
                     "lifetime_years": line.get("lifetime_years", cat["default_lifetime_years"]),
                     "yearly_kwh": line.get("yearly_kwh", 0.0), "reconditioned": line.get("reconditioned", False),
                     "quality": line.get("quality", "high"), "site": line.get("site", np.nan)})
    return pd.DataFrame(rows)


def central_total(inv, factors=FACTORS, sites=None, criterion="climate_change"):
    acts = carbon.fleet_activities(inv, CATEGORIES, sites)
    return float(np.nansum(carbon.activity_impacts(acts, factors, [criterion])[criterion]))


def params_for(acts):
    ids = set()
    for col in ("quantity_param", "lifetime_param", "extra_param"):
        ids |= set(acts[col])
    return carbon.parameter_table(ids, CATEGORIES, KINDS)


# ---------------------------------------------------------------------------------------------------- formulas

def test_annualised_formula_for_one_laptop():
    """One laptop over 5 years: its embodied rows are 1/5 of a unit each, (170.0 + 12.3 + 2.79) / 5 = 37.018 kgCO2e
    a year, and its 48 kWh × 0.0461 = 2.2128 kgCO2e of use; a lifetime of 0 years is refused."""
    acts = carbon.fleet_activities(inventory({"category": "laptop", "quantity": 1, "yearly_kwh": 48}), CATEGORIES)
    impact = carbon.activity_impacts(acts, FACTORS, ["climate_change"])["climate_change"]
    assert impact[acts["phase"] != "use"].sum() == pytest.approx(37.018)
    assert impact[acts["phase"] == "use"].sum() == pytest.approx(2.2128)
    with pytest.raises(ValueError, match="lifetime"):
        carbon.fleet_activities(inventory({"category": "laptop", "quantity": 1, "lifetime_years": 0}), CATEGORIES)


def test_one_laptop_by_hand():
    inv = inventory({"category": "laptop", "quantity": 1, "yearly_kwh": 48})
    expected = (170.0 + 12.3 + 2.79) / 5 + 48 * 0.0461
    assert central_total(inv) == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(39.2308)


def test_one_screen_by_hand():
    inv = inventory({"category": "screen_small", "quantity": 1, "yearly_kwh": 36})
    assert central_total(inv) == pytest.approx((64.6 + 1.29 + 3.95) / 6 + 36 * 0.0461, rel=1e-12)


def test_one_smartphone_by_hand():
    kwh = 4.5 * 3 * 365 / 1000  # ADEME: 4.5 W, 3 h/day, every day = 4.9275 kWh
    inv = inventory({"category": "smartphone", "quantity": 1, "yearly_kwh": kwh})
    assert central_total(inv) == pytest.approx((77.0 + 2.27 + 0.25) / 2.5 + 4.9275 * 0.0461, rel=1e-12)


def test_quantities_and_lifetime_scale_linearly():
    inv = inventory({"category": "laptop", "quantity": 120, "lifetime_years": 8, "yearly_kwh": 30})
    assert central_total(inv) == pytest.approx(120 * (sum(LAPTOP) / 8 + 30 * ELEC_FR))


def test_reconditioned_laptop_carries_its_share_of_manufacturing_only():
    inv = inventory({"category": "laptop", "quantity": 1, "reconditioned": True})
    assert central_total(inv) == pytest.approx((170.0 * 0.3 + 12.3 + 2.79) / 5)


def test_use_phase_energy_and_pue_of_the_hosting_site():
    hosting = pd.DataFrame({"site_id": ["measured", "default"], "entity": ["ville", "ville"],
                            "kind": ["server_room", "server_room"], "pue": [1.5, np.nan]})
    sites = carbon.resolve_sites(hosting, KINDS)
    kwh = 300 * 24 * 365 / 1000  # 2628 kWh/yr
    inv = inventory({"category": "server", "quantity": 4, "yearly_kwh": kwh, "site": "measured"},
                    {"category": "server", "quantity": 1, "yearly_kwh": kwh, "site": "default"})
    acts = carbon.fleet_activities(inv, CATEGORIES, sites)
    use = acts[acts["phase"] == "use"]
    # IT energy + overhead (PUE − 1) rows
    assert use.loc[use["line_id"] == "L0", "activity"].sum() == pytest.approx(4 * 2628 * 1.5)
    assert use.loc[use["line_id"] == "L1", "activity"].sum() == pytest.approx(2628 * 2.0)  # server_room default
    impacts = carbon.activity_impacts(acts, FACTORS, ["climate_change"])["climate_change"]
    assert impacts[acts["phase"] == "use"].sum() == pytest.approx((4 * 1.5 + 2.0) * 2628 * 0.0461)
    # measured PUE: no PUE parameter; default PUE: the kind's parameter
    assert set(use["extra_param"]) == {"", "pue:server_room"}


def test_measured_site_energy_replaces_the_inventory_estimate():
    hosting = pd.DataFrame({"site_id": ["s"], "entity": ["ville"], "kind": ["server_room"], "pue": [1.5],
                            "it_kwh_per_year": [5000.0]})
    sites = carbon.resolve_sites(hosting, KINDS)
    inv = inventory({"category": "server", "quantity": 2, "yearly_kwh": 2628, "site": "s"},
                    {"category": "server", "quantity": 1, "yearly_kwh": 1000, "site": "s"})
    acts = carbon.fleet_activities(inv, CATEGORIES, sites)
    use = acts[acts["phase"] == "use"]
    assert use["activity"].sum() == pytest.approx(5000 * 1.5)
    # allocated to the lines in proportion to their estimate
    assert use.loc[use["line_id"] == "L1", "activity"].sum() == pytest.approx(5000 * 1.5 * 1000 / 6256)


def test_factor_override_and_territory_electricity_override():
    overrides = pd.DataFrame({"factor_id": ["laptop:manufacturing:climate_change"], "value": [250.0],
                              "low": [np.nan], "high": [np.nan], "source": ["PCF fabricant"], "reason": ["test"]})
    territory = SimpleNamespace(electricity_factor_kgco2e_per_kwh=0.05, electricity_factor_source="contrat")
    factors, changes = carbon_reference.prepare_factors(FACTORS, territory, overrides)
    inv = inventory({"category": "laptop", "quantity": 1, "yearly_kwh": 48})
    assert central_total(inv, factors) == pytest.approx((250 + 12.3 + 2.79) / 5 + 48 * 0.05)
    assert list(changes["factor_id"]) == ["laptop:manufacturing:climate_change", "electricity_fr:use:climate_change"]
    assert list(changes["origin"]) == ["factor_overrides.csv", "territory.yaml"]
    # the relative interval of the library is kept around the new value
    row = factors.set_index("factor_id").loc["laptop:manufacturing:climate_change"]
    assert row["low"] == pytest.approx(250 / 1.25) and row["high"] == pytest.approx(250 * 1.25)


def test_no_override_leaves_factors_unchanged():
    factors, changes = carbon_reference.prepare_factors(FACTORS, SimpleNamespace(electricity_factor_kgco2e_per_kwh=None), None)
    assert changes.empty and factors["value"].tolist() == FACTORS["value"].tolist()


# ---------------------------------------------------------------------------------------------------- other inputs

def test_telecom_fixed_by_subscription_mobile_by_volume():
    telecom = pd.DataFrame({"entity": ["mairie", "ecoles"], "fixed_data_gb_per_year": [5000.0, 1000.0],
                            "mobile_data_gb_per_year": [600.0, np.nan], "fixed_lines": [2.0, np.nan],
                            "mobile_lines": [50.0, np.nan], "quality": ["high", "medium"]})
    acts, notes = carbon.telecom_activities(telecom, FACTORS)
    notes = labels.notes_fr(notes)
    total = carbon.activity_impacts(acts, FACTORS, ["climate_change"])["climate_change"].sum()
    # mairie: 2 lines × 12 months × 4.1 (its 5000 GB are not added) + 600 GB × 0.02468; ecoles: 1000 GB × 0.00927
    assert total == pytest.approx(2 * 12 * 4.1 + 600 * 0.02468 + 1000 * 0.00927)
    assert any("pas de double compte" in n for n in notes)


def test_purchases_count_only_the_reference_year_and_paper_pages_become_reams():
    purchases = pd.DataFrame({"entity": ["m", "m"], "category": ["services", "services"],
                              "amount_eur": [100_000.0, 20_000.0], "year": [2023, 2022], "quality": ["high"] * 2})
    acts, notes = carbon.purchase_activities(purchases, FACTORS, 2023)
    notes = labels.notes_fr(notes)
    assert carbon.activity_impacts(acts, FACTORS, ["climate_change"])["climate_change"].sum() == pytest.approx(11_000)
    assert len(notes) == 1 and "2022" in notes[0]
    printing = pd.DataFrame({"entity": ["m", "e"], "reams": [1000.0, 250_000 / 500], "quality": ["high", "low"]})
    p = carbon.printing_activities(printing, FACTORS)
    assert carbon.activity_impacts(p, FACTORS, ["climate_change"])["climate_change"].sum() == pytest.approx(
        1500 * 2.29)


def test_site_spend_counts_only_when_no_energy_is_known():
    hosting = pd.DataFrame({"site_id": ["saas", "room"], "entity": ["v", "v"], "kind": ["cloud_eu", "server_room"],
                            "cloud_spend_eur": [10_000.0, 5_000.0], "floor_area_m2": [np.nan, 20.0]})
    sites = carbon.resolve_sites(hosting, KINDS)
    inv = inventory({"category": "server", "quantity": 1, "yearly_kwh": 1000, "site": "room"})
    acts, notes = carbon.site_activities(sites, inv, FACTORS)
    notes = labels.notes_fr(notes)
    total = carbon.activity_impacts(acts, FACTORS, ["climate_change"])["climate_change"].sum()
    assert total == pytest.approx(10_000 * 0.11 + 20 * 7.48)  # room: building only, its spend is not added
    assert any("room" in n and "double compte" in n for n in notes)


# ---------------------------------------------------------------------------------------------------- missing data

def test_missing_criterion_is_nan_and_listed_never_zero():
    factors = pd.concat([FACTORS, factor_rows([("laptop", "manufacturing", "water", 194.0, 97.0, 388.0,
                                                "lognormal", "unit")])], ignore_index=True)
    inv = inventory({"category": "laptop", "quantity": 1}, {"category": "screen_small", "quantity": 1})
    acts = carbon.fleet_activities(inv, CATEGORIES)
    impacts = carbon.activity_impacts(acts, factors, ["climate_change", "water"])
    lines = carbon.line_table(acts, impacts, {"climate_change": "kgCO2e", "water": "m3"})
    screen = lines[lines["category"] == "screen_small"]
    assert screen["water_m3"].isna().all()
    laptop = lines[lines["category"] == "laptop"].set_index("phase")
    assert laptop.loc["manufacturing", "water_m3"] == pytest.approx(194.0 / 5)
    assert np.isnan(laptop.loc["distribution", "water_m3"])
    mc = carbon.monte_carlo(acts, factors, params_for(acts), ["climate_change", "water"], 200, 1)
    missing = carbon.missing_criteria(mc)
    assert "screen_small:manufacturing" in missing["water"] and "laptop:distribution" in missing["water"]
    assert "climate_change" not in missing
    assert mc.central["water"] == pytest.approx(194.0 / 5)


# ---------------------------------------------------------------------------------------------------- Monte Carlo

def test_mc_mean_matches_the_lognormal_mean_of_one_factor():
    factors = factor_rows([("laptop", "manufacturing", "climate_change", 100.0, 50.0, 200.0, "lognormal", "unit")])
    cats = CATEGORIES.assign(lifetime_low_years=5, lifetime_high_years=5)  # no lifetime uncertainty
    inv = inventory({"category": "laptop", "quantity": 10, "quality": "high"})
    acts = carbon.fleet_activities(inv, cats)
    acts = acts[acts["phase"] == "manufacturing"]
    params = carbon.parameter_table(set(acts["quantity_param"]) | set(acts["lifetime_param"]), cats)
    mc = carbon.monte_carlo(acts, factors, params, ["climate_change"], 40_000, 7)
    sigma = np.log(200 / 50) / 3.92
    assert mc.central["climate_change"] == pytest.approx(200.0)  # 10 × 100 / 5
    assert mc.totals["climate_change"].mean() == pytest.approx(200.0 * np.exp(sigma ** 2 / 2), rel=0.01)
    assert np.median(mc.totals["climate_change"]) == pytest.approx(200.0, rel=0.02)


def test_mc_mean_is_close_to_the_deterministic_total():
    inv = inventory({"category": "laptop", "quantity": 500, "yearly_kwh": 48},
                    {"category": "screen_small", "quantity": 700, "yearly_kwh": 36, "quality": "medium"},
                    {"category": "smartphone", "quantity": 300, "yearly_kwh": 4.93, "quality": "low"})
    acts = carbon.fleet_activities(inv, CATEGORIES)
    mc = carbon.monte_carlo(acts, FACTORS, params_for(acts), ["climate_change"], 10_000, 20200101)
    central, draws = mc.central["climate_change"], mc.totals["climate_change"]
    assert central == pytest.approx(central_total(inv))
    assert abs(draws.mean() - central) / central < 0.05
    lo, hi = np.percentile(draws, [2.5, 97.5])
    assert lo < central < hi


def test_the_same_factor_is_drawn_once_for_every_line_using_it():
    inv = inventory({"category": "laptop", "quantity": 10, "entity": "ville"},
                    {"category": "laptop", "quantity": 30, "entity": "ecoles", "lifetime_years": 4},
                    {"category": "screen_small", "quantity": 10, "entity": "ville"})
    acts = carbon.fleet_activities(inv, CATEGORIES)
    mc = carbon.monte_carlo(acts, FACTORS, params_for(acts), ["climate_change"], 5000, 3)
    cells = mc.cells.reset_index(drop=True)
    d = mc.draws["climate_change"]

    def cell(entity, category, phase):
        return d[cells.index[(cells["entity"] == entity) & (cells["category"] == category)
                             & (cells["phase"] == phase)][0]]

    a, b = cell("ville", "laptop", "manufacturing"), cell("ecoles", "laptop", "manufacturing")
    assert np.corrcoef(a, b)[0, 1] == pytest.approx(1.0, abs=1e-12)  # same factor, same multipliers
    assert np.allclose(b / a, 30 / 4 / (10 / 5))
    s = cell("ville", "screen_small", "manufacturing")
    assert abs(np.corrcoef(a, s)[0, 1]) < 0.1  # different factors, lifetimes and quantities: independent


def test_monte_carlo_is_deterministic_with_a_seed():
    inv = inventory({"category": "laptop", "quantity": 10, "yearly_kwh": 48},
                    {"category": "screen_small", "quantity": 5, "quality": "low"})
    acts = carbon.fleet_activities(inv, CATEGORIES)
    p = params_for(acts)
    one = carbon.monte_carlo(acts, FACTORS, p, ["climate_change"], 1000, 42).totals["climate_change"]
    two = carbon.monte_carlo(acts, FACTORS, p, ["climate_change"], 1000, 42).totals["climate_change"]
    other = carbon.monte_carlo(acts, FACTORS, p, ["climate_change"], 1000, 43).totals["climate_change"]
    assert np.array_equal(one, two)
    assert not np.allclose(one, other)
    # a factor's draws do not depend on which other lines are present
    alone = carbon.fleet_activities(inv.iloc[:1], CATEGORIES)
    f1 = uncertainty.draw_factors(FACTORS[FACTORS["item"] == "laptop"], 100, 42)
    f2 = uncertainty.draw_factors(FACTORS[FACTORS["item"] == "laptop"].iloc[::-1], 100, 42)[::-1]
    assert np.array_equal(f1, f2) and len(alone)


def test_cost_depends_on_groups_not_on_inventory_lines():
    rng = np.random.default_rng(0)
    small = inventory(*[{"category": c, "quantity": 5} for c in ("laptop", "screen_small")])
    big = inventory(*[{"category": c, "quantity": int(q), "line_id": f"B{i}"}
                      for i, (c, q) in enumerate(zip(rng.choice(["laptop", "screen_small"], 3000),
                                                     rng.integers(1, 50, 3000)))])
    n = []
    for inv in (small, big):
        acts = carbon.fleet_activities(inv, CATEGORIES)
        n.append(carbon.monte_carlo(acts, FACTORS, params_for(acts), ["climate_change"], 100, 1).n_groups)
    assert n[0] == n[1]


def test_sensitivity_ranks_the_dominant_input_first():
    factors = factor_rows([("laptop", "manufacturing", "climate_change", 100.0, 10.0, 1000.0, "lognormal", "unit"),
                           ("screen_small", "manufacturing", "climate_change", 100.0, 95.0, 105.0, "lognormal",
                            "unit")])
    inv = inventory({"category": "laptop", "quantity": 10}, {"category": "screen_small", "quantity": 12})
    acts = carbon.fleet_activities(inv, CATEGORIES)
    acts = acts[acts["phase"] == "manufacturing"]
    mc = carbon.monte_carlo(acts, factors, params_for(acts), ["climate_change"], 5000, 1)
    s = mc.sensitivity
    assert s.iloc[0]["input_id"] == "laptop:manufacturing:climate_change"
    assert s["contribution_to_variance"].sum() == pytest.approx(1.0)
    # one-at-a-time bounds: central 10 × 100 / 5 + 12 × 100 / 6 = 400; laptop factor at ≈ 10 and ≈ 1000
    top = s.iloc[0]
    assert mc.central["climate_change"] == pytest.approx(400)
    assert top["low_total"] == pytest.approx(400 + 10 / 5 * (10 - 100), rel=0.05)
    assert top["high_total"] == pytest.approx(400 + 10 / 5 * (1000 - 100), rel=0.1)


# ---------------------------------------------------------------------------------------------------- views

def test_purchases_view_and_its_reconciliation():
    inv = inventory({"category": "laptop", "quantity": 10, "purchase_year": 2023},
                    {"category": "laptop", "quantity": 20, "purchase_year": 2019},
                    {"category": "screen_small", "quantity": 6, "purchase_year": 2018})
    ann = carbon.fleet_activities(inv, CATEGORIES)
    pur = carbon.fleet_activities(inv, CATEGORIES, view="purchases", reference_year=2023)
    crit = ["climate_change"]
    la = carbon.line_table(ann, carbon.activity_impacts(ann, FACTORS, crit), {"climate_change": "kgCO2e"})
    lp = carbon.line_table(pur, carbon.activity_impacts(pur, FACTORS, crit), {"climate_change": "kgCO2e"})
    emb_p = lp.loc[lp["phase"] != "use", "climate_change_kgco2e"].sum()
    assert emb_p == pytest.approx(10 * sum(LAPTOP))  # the year's acquisitions, not amortised
    bridge, by_cat = labels.reconcile_views(la, lp, inv, CATEGORIES, 2023)
    assert bridge["tco2e"].iloc[:3].sum() == pytest.approx(bridge["tco2e"].iloc[3])
    expected_amortised = (30 * sum(LAPTOP) / 5 + 6 * sum(SCREEN) / 6) / 1000
    assert -bridge["tco2e"].iloc[1] == pytest.approx(expected_amortised)
    screen = by_cat.set_index("category").loc["screen_small"]
    assert screen["bought_in_year"] == 0 and "aucun achat" in screen["explanation"]


def test_fleet_ratios():
    inv = inventory({"category": "laptop", "quantity": 100, "purchase_year": 2015},  # 8 years > 5: past lifetime
                    {"category": "screen_small", "quantity": 150, "purchase_year": 2021},
                    {"category": "smartphone", "quantity": 50, "reconditioned": True, "purchase_year": 2021})
    r = carbon.fleet_ratios(inv, agents=200).set_index("indicator")["value"]
    assert r["screens_per_computer"] == pytest.approx(1.5)
    assert r["computers_per_agent"] == pytest.approx(0.5)
    assert r["devices_per_agent"] == pytest.approx(1.5)
    assert r["share_past_lifetime"] == pytest.approx(100 / 300)
    assert r["share_reconditioned"] == pytest.approx(50 / 300)
    assert r["mean_age_years"] == pytest.approx((100 * 8 + 150 * 2 + 50 * 2) / 300)


def test_territory_layer_downscales_the_national_figure():
    national = carbon_reference.load_national_footprint()
    t = carbon.territory_footprint(100_000, national, own_total_tco2e=253.0)
    # 253 kg per inhabitant goes with the top of the 16.9–17.2 Mt range (issue 18: central = middle of the range)
    top = 100_000 * 253 / 1000  # 25,300 t
    assert t["high"] == pytest.approx(top) and t["low"] == pytest.approx(top * 16.9 / 17.2)
    assert t["value"] == pytest.approx(top * (16.9 / 17.2 + 1) / 2)  # 25,079.4 t
    assert t["low"] < t["value"] < t["high"]
    assert t["alternative_value"] == pytest.approx(100_000 * 29.5e9 / 68.4e6 / 1000, rel=1e-3)
    assert t["own_share"] == pytest.approx(253.0 / t["value"])


def test_reference_csvs_carry_a_source_on_every_row():
    for df in (carbon_reference.load_national_footprint(), carbon_reference.load_published_benchmarks()):
        assert df["source"].astype(str).str.len().gt(5).all()
    b = carbon_reference.load_published_benchmarks().set_index("id")["value"]
    assert b["wenr_2021_per_employee"] == 265 and b["greenit_2021_per_user"] == 460
    # issue 32: La Rochelle's own published balance is a key of its territory.yaml, not a row of the shared library
    assert not any(i.startswith("la_rochelle") for i in b.index)
    from helpers.io.territory import load_territory

    pub = load_territory("la-rochelle").published_footprint
    assert pub["value_tco2e"] == 680 and pub["split"] == {"manufacturing": 0.54, "use": 0.46} and pub["year"] == 2020
    assert pub["workstations"] == 2500 and pub["source"].count("https://dev-durable.agglo-larochelle.fr/") == 1


# ---------------------------------------------------------------------------------------------------- test-mini

def test_test_mini_balance_recomputed_by_hand():
    """The whole test-mini territory with the reference library, recomputed line by line."""
    from helpers.io import carbon_inputs
    from helpers.io import factors as F
    from helpers.io.inventory import read_inventory
    from helpers.io.paths import RAW_DIR
    from helpers.io.territory import load_territory

    t = load_territory("test-mini")
    raw = RAW_DIR / "test-mini"
    fac = F.load_factors()
    cats = F.load_categories()
    kinds = F.load_hosting_kinds()
    hosting = carbon_inputs.read_hosting(raw / "hosting.csv", t)
    inv = read_inventory(raw / "inventory.csv", t, cats, list(hosting["site_id"]))
    tel = carbon_inputs.read_telecom(raw / "telecom.csv", t)
    pur = carbon_inputs.read_purchases(raw / "purchases.csv", t)
    prt = carbon_inputs.read_printing(raw / "printing.csv", t)
    fac, changes = carbon_reference.prepare_factors(fac, t, None)
    b = carbon.compute_balance(inv, cats, fac, kinds, t.reference_year, hosting, tel, pur, prt, n_draws=2000, seed=1,
                               criteria=("climate_change",))

    def emb(item, recond_share=1.0):
        v = {p: F.get_value(fac, item, p, "climate_change") if p in carbon.item_phases(fac, item) else 0.0
             for p in carbon.EMBODIED_PHASES}
        return v["manufacturing"] * recond_share + v["distribution"] + v["end_of_life"]

    e = 0.05  # test-mini overrides the electricity factor in territory.yaml
    share_phone = float(cats.set_index("category").loc["smartphone", "reconditioned_embodied_share"])
    expected = (
        100 * emb("laptop") / 5 + 100 * 48 * e                                  # M-01
        + 150 * emb("screen_small") / 6 + 150 * 36 * e                          # M-02
        + 40 * emb("smartphone") / 3 + 40 * 4.5 * 3 * 365 / 1000 * e            # M-03 (professional: 3 years)
        + 10 * emb("smartphone", share_phone) / 2 + 10 * 4.9275 * e             # M-04 reconditioned: 2nd life 2 years
        + 5 * emb("mfp_copier") / 5 + 5 * 150 * e                               # M-05
        + 4 * emb("server") / 5 + 4 * 300 * 24 * 365 / 1000 * 1.5 * e           # M-06 in sr-mairie, PUE 1.5
        + 40 * emb("tablet") / 3 + 40 * 20 * 2.5 * 220 / 1000 * e               # E-01
        + 20 * emb("laptop") / 5 + 20 * 80 * e                                  # E-02
        + 20 * F.get_value(fac, "dc_support_equipment", "manufacturing", "climate_change")  # 20 m2
        + 2 * 12 * F.get_value(fac, "network_fixed_subscription", "use", "climate_change")
        + 600 * F.get_value(fac, "network_mobile_fr", "use", "climate_change")
        + 1000 * F.get_value(fac, "network_fixed_fr", "use", "climate_change")
        + 100_000 * F.get_value(fac, "spend_it_services", "use", "climate_change")
        + 1500 * F.get_value(fac, "paper_a4_ream", "manufacturing", "climate_change")
    )
    assert b.mc.central["climate_change"] == pytest.approx(expected, rel=1e-9)
    assert b.lines["climate_change_kgco2e"].sum() == pytest.approx(expected, rel=1e-9)
    data, top = carbon.summary(b, t, carbon.count_computers(inv), carbon_reference.load_national_footprint())
    assert data["total_tco2e"]["value"] == pytest.approx(expected / 1000)
    assert data["total_tco2e"]["low"] < data["total_tco2e"]["value"] < data["total_tco2e"]["high"]
    assert data["per_workstation_kgco2e"]["value"] == pytest.approx(expected / 120)
    # scopes kept apart (issue 18): the only spend-based line of test-mini is 100,000 EUR of IT services × 0.11
    # kgCO2e/EUR = 11,000 kgCO2e = 11 t; the phase split sums to the physical scope = total − 11 t
    spend = 100_000 * F.get_value(fac, "spend_it_services", "use", "climate_change")
    assert data["spend_based_tco2e"]["value"] == pytest.approx(spend / 1000)
    assert data["physical_tco2e"]["value"] == pytest.approx((expected - spend) / 1000)
    assert sum(data["by_phase"].values()) == pytest.approx((expected - spend) / 1000)
    assert carbon.SPEND_PHASE not in data["by_phase"]
    assert set(data["by_tier"]) == {"terminals", "datacentres", "networks", "services", "paper"}
    # 253 kg per inhabitant is the top of the national range 16.9–17.2 Mt (issue 18: the central value is the
    # middle of the range, not its upper bound): 52,000 × 253 / 1000 = 13,156 t high, × (16.9/17.2 + 1) / 2 central
    assert top["territory_footprint_tco2e"]["high"] == pytest.approx(52_000 * 253 / 1000)
    assert top["territory_footprint_tco2e"]["value"] == pytest.approx(52_000 * 253 / 1000 * (16.9 / 17.2 + 1) / 2)
    assert top["territory_footprint_tco2e"]["low"] < top["territory_footprint_tco2e"]["value"] < \
        top["territory_footprint_tco2e"]["high"]
    # purchases view: E-01 tablets and M-04 smartphones were bought in 2023
    pv = b.purchases_lines
    emb_pv = pv.loc[pv["source"].isin(["fleet", "hosting"]) & pv["phase"].isin(carbon.EMBODIED_PHASES)
                    & (pv["category"] != "dc_support_equipment"), "climate_change_kgco2e"].sum()
    assert emb_pv == pytest.approx(40 * emb("tablet") + 10 * emb("smartphone", share_phone))


def test_lifetime_draws_keep_the_default_as_their_median():
    rng = np.random.default_rng(0)
    x = uncertainty.draw_distribution("split_triangular", 2.5, 2.0, 5.0, 100_000, rng)  # smartphone 2–2.5–5 years
    assert np.median(x) == pytest.approx(2.5, abs=0.01)
    assert x.min() >= 2.0 and x.max() <= 5.0
    assert np.percentile(x, 97.5) == pytest.approx(5.0 - np.sqrt(0.05 * 2.5 * 2.5), rel=0.01)  # upper triangle


def test_aggregated_fleet_gives_the_same_balance_and_draws():
    hosting = pd.DataFrame({"site_id": ["s"], "entity": ["ville"], "kind": ["server_room"]})
    sites = carbon.resolve_sites(hosting, KINDS)
    inv = inventory({"category": "laptop", "quantity": 10, "yearly_kwh": 48},
                    {"category": "laptop", "quantity": 7, "yearly_kwh": 30, "reconditioned": True},
                    {"category": "laptop", "quantity": 3, "quality": "low", "entity": "ecoles"},
                    {"category": "server", "quantity": 2, "yearly_kwh": 2628, "site": "s"},
                    {"category": "server", "quantity": 1, "yearly_kwh": 1000, "site": "s", "lifetime_years": 7})
    per_line = carbon.fleet_activities(inv, CATEGORIES, sites)
    agg = carbon.fleet_activities(inv, CATEGORIES, sites, aggregate=True)
    assert len(agg) < len(per_line)
    p = params_for(per_line)
    one = carbon.monte_carlo(per_line, FACTORS, p, ["climate_change"], 2000, 5)
    two = carbon.monte_carlo(agg, FACTORS, p, ["climate_change"], 2000, 5)
    assert one.central["climate_change"] == pytest.approx(two.central["climate_change"])
    assert np.allclose(one.totals["climate_change"], two.totals["climate_change"])
    # the vectorised per-line central values equal the generic path
    lines = carbon.fleet_lines(inv, CATEGORIES, sites)
    fast = carbon.fleet_line_impacts(lines, FACTORS, "climate_change", sites)
    slow = carbon.activity_impacts(per_line, FACTORS, ["climate_change"])["climate_change"]
    assert np.nansum(fast.to_numpy()) == pytest.approx(slow.sum())
    by_line = pd.Series(slow.to_numpy()).groupby(per_line["line_id"].to_numpy()).sum()
    assert np.allclose(np.nansum(fast.to_numpy(), axis=1), by_line.reindex(lines["line_id"]).to_numpy())


def test_run_study_writes_the_summary_contract(tmp_path):
    """The notebook's calls on test-mini: clean tables as 01_ingest writes them, then the section's outputs."""
    import json

    from helpers.io import carbon_inputs
    from helpers.io import factors as F
    from helpers.io.inventory import read_inventory
    from helpers.run.context import open_context

    ctx = open_context("test-mini", tmp_path)
    raw = ctx.raw
    hosting = carbon_inputs.read_hosting(raw / "hosting.csv", ctx.territory)
    tables = {"hosting": hosting,
              "inventory": read_inventory(raw / "inventory.csv", ctx.territory, F.load_categories(),
                                          list(hosting["site_id"])),
              "telecom": carbon_inputs.read_telecom(raw / "telecom.csv", ctx.territory),
              "purchases": carbon_inputs.read_purchases(raw / "purchases.csv", ctx.territory),
              "printing": carbon_inputs.read_printing(raw / "printing.csv", ctx.territory)}
    for name, df in tables.items():
        ctx.write_table(name, df.drop(columns=["_line"], errors="ignore"))
    from helpers.run import carbon_section

    study = carbon_section.run_study(ctx, n_draws=500, seed=1)
    written = carbon_section.write_outputs(ctx, study)
    assert {"carbon_lines", "carbon_by_category", "carbon_by_entity", "carbon_mc_quantiles", "carbon_sensitivity",
            "fleet_ratios"} <= set(written)
    payload = json.loads((tmp_path / "summary_carbon.json").read_text(encoding="utf-8"))
    data, top = payload["data"], payload["top_level"]
    for key in ("total_tco2e", "per_agent_kgco2e", "per_inhabitant_kgco2e", "per_workstation_kgco2e",
                "purchases_view_tco2e"):
        assert set(data[key]) == {"value", "low", "high"}, key
    assert set(data["by_phase"]) == set(carbon.PHASES)
    assert {"by_tier", "by_entity", "criteria", "missing_criteria"} <= set(data)
    assert set(data["criteria"]["climate_change"]) >= {"value", "low", "high", "unit"}
    assert data["criteria"]["final_energy"]["partial"] is True  # no final-energy factor for manufacturing
    assert data["overrides"][0]["factor_id"] == "electricity_fr:use:climate_change"  # test-mini sets 0.05
    assert set(top) == {"territory_footprint_tco2e", "factors_version"}
    assert top["factors_version"].startswith(open(F.VERSION_PATH).read().strip())
    # the markdown helpers run and the overrides are listed
    assert "electricity_fr:use:climate_change" in carbon_report.overrides_markdown(study).replace("\\_", "_")
    assert "tCO2e" in carbon_report.headline_markdown(study)


def test_per_person_references_come_from_the_published_benchmarks():
    b = carbon_reference.load_published_benchmarks()
    text = carbon_report.per_person_references(b)
    assert "265" in text and "460" in text  # WeNR 2021 and Green IT 2021, as published_benchmarks.csv gives them
    # issue 32: each reference against this balance on its own scope (physical for WeNR and Green IT), never the
    # total with purchases; a summary without per-scope figures compares nothing
    scopes = {"physical": {"value": 146.2, "low": 127.0, "high": 172.0},
              "total": {"value": 220.4, "low": 160.0, "high": 320.0}}
    with_schools = {"per_agent_kgco2e": scopes["total"], "per_agent_by_scope_kgco2e": scopes,
                    "perimeter": {"schools": "included"}}
    alt = carbon_report.benchmark_alt(b, with_schools)
    assert alt == ("Sur le périmètre de chaque référence, ce bilan donne 146 kgCO2e par agent contre 265 pour WeNR "
                   "2021 ; 146 kgCO2e par utilisateur contre 460 pour Benchmark Green IT 2021.")
    # issue 36: Ille-et-Vilaine (137 kg per agent, collèges excluded) only beside a study without schools
    alt = carbon_report.benchmark_alt(b, {**with_schools, "perimeter": {"schools": "excluded"}})
    assert alt == ("Sur le périmètre de chaque référence, ce bilan donne 146 kgCO2e par agent contre 265 pour WeNR "
                   "2021 ; 146 kgCO2e par agent contre 137 pour Département d'Ille-et-Vilaine ; 146 kgCO2e par "
                   "utilisateur contre 460 pour Benchmark Green IT 2021.")
    assert carbon_report.benchmark_alt(b, {"per_agent_kgco2e": {"value": 220.4}}) == \
        "Ce bilan donne 220 kgCO2e par agent."


def test_keyed_draws_are_the_keyed_stream():
    """``keyed_draws`` is exactly ``draw_distribution`` on ``keyed_rng(seed, key)``, read-only, the same every time
    (no memo since issue 19: the stream depends only on the seed and the key)."""
    direct = uncertainty.draw_distribution("lognormal", 10.0, 8.0, 12.5, 500, uncertainty.keyed_rng(7, "laptop:use"))
    memo = uncertainty.keyed_draws("lognormal", 10.0, 8.0, 12.5, 500, 7, "laptop:use")
    assert np.array_equal(direct, memo)
    assert np.array_equal(uncertainty.keyed_draws("lognormal", 10.0, 8.0, 12.5, 500, 7, "laptop:use"), memo)
    assert not memo.flags.writeable
    # an absent bound (NaN) is a constant draw
    a = uncertainty.keyed_draws("none", 3.0, np.nan, np.nan, 50, 7, "x")
    assert np.array_equal(uncertainty.keyed_draws("none", 3.0, float("nan"), float("nan"), 50, 7, "x"), a)
    assert np.array_equal(a, np.full(50, 3.0))
    # another seed, key or parameter is another draw
    assert not np.array_equal(memo, uncertainty.keyed_draws("lognormal", 10.0, 8.0, 12.5, 500, 8, "laptop:use"))
    assert not np.array_equal(memo, uncertainty.keyed_draws("lognormal", 10.0, 8.0, 13.0, 500, 7, "laptop:use"))


def test_totals_without_cells_equal_the_sum_of_cell_draws():
    """The totals-only path (one target in ``helpers.model.engine.weighted_draws``) gives the same draws as summing the per-cell draws."""
    inv = inventory({"category": "laptop", "quantity": 10, "yearly_kwh": 48},
                    {"category": "screen_small", "quantity": 5, "quality": "low"},
                    {"category": "smartphone", "quantity": 7, "entity": "agglo", "line_id": "P1"})
    acts = carbon.fleet_activities(inv, CATEGORIES)
    p = params_for(acts)
    with_cells = carbon.monte_carlo(acts, FACTORS, p, ["climate_change"], 2000, 42)
    totals_only = carbon.monte_carlo(acts, FACTORS, p, ["climate_change"], 2000, 42, keep_cells=(),
                                     sensitivity_criterion=None, report_missing=False)
    assert "climate_change" in with_cells.draws and not totals_only.draws
    np.testing.assert_allclose(totals_only.totals["climate_change"], with_cells.totals["climate_change"],
                               rtol=1e-12)
    assert totals_only.central == with_cells.central


def _test_mini_tables():
    """The balance inputs of the test territory: inventory, categories, factors, hosting kinds, reference year,
    hosting, telecom, purchases, printing (the arguments of ``build_activities`` in order)."""
    from helpers.io import carbon_inputs
    from helpers.io import factors as F
    from helpers.io.inventory import read_inventory
    from helpers.io.paths import RAW_DIR
    from helpers.io.territory import load_territory

    t = load_territory("test-mini")
    raw = RAW_DIR / "test-mini"
    fac, cats, kinds = F.load_factors(), F.load_categories(), F.load_hosting_kinds()
    hosting = carbon_inputs.read_hosting(raw / "hosting.csv", t)
    inv = read_inventory(raw / "inventory.csv", t, cats, list(hosting["site_id"]))
    return (inv, cats, fac, kinds, t.reference_year, hosting, carbon_inputs.read_telecom(raw / "telecom.csv", t),
            carbon_inputs.read_purchases(raw / "purchases.csv", t), carbon_inputs.read_printing(raw / "printing.csv", t))


def test_build_activities_reuses_parts_of_untouched_tables_only():
    """``reuse`` (the action plan's reruns): same rows as a fresh build; a part is rebuilt when one of its tables is
    replaced, and kept (the same object) when its tables are the same objects."""
    from helpers.model.levers import printing_reduction

    inv, cats, fac, kinds, year, hosting, tel, pur, prt = _test_mini_tables()
    args = (inv, cats, fac, kinds, year, hosting, tel, pur)
    reuse: dict = {}
    first = carbon.build_activities(*args, prt, reuse=reuse)
    pd.testing.assert_frame_equal(first.table, carbon.build_activities(*args, prt).table)
    fleet = {k: v[1] for k, v in reuse.items() if k[0] == "fleet"}
    less = printing_reduction(prt, 0.3)
    second = carbon.build_activities(*args, less, reuse=reuse)
    pd.testing.assert_frame_equal(second.table, carbon.build_activities(*args, less).table)
    assert not second.table.equals(first.table)  # the printing part was rebuilt on the new table
    assert all(reuse[k][1] is v for k, v in fleet.items())  # the fleet part was not
    assert sum(k[0] == "printing" for k in reuse) == 2


def test_scenario_gains_equal_the_difference_of_two_monte_carlo_runs():
    """The action plan's batched gains: base − scenario of two full Monte Carlo runs (same draws), to rounding; a
    scenario that changes nothing gains exactly 0; a printing cut by 30 % gains 30 % of the printing rows."""
    from helpers.io.factors import CRITERIA
    from helpers.model.levers import lifetime_extension, printing_reduction

    inv, cats, fac, kinds, year, hosting, tel, pur, prt = _test_mini_tables()
    reuse: dict = {}

    def table(inventory=inv, printing=prt):
        return carbon.build_activities(inventory, cats, fac, kinds, year, hosting, tel, pur, printing,
                                       reuse=reuse).table

    base = table()
    scenarios = [table(), table(printing=printing_reduction(prt, 0.3)),
                 table(inventory=lifetime_extension(inv, ["laptop", "smartphone"], 2))]
    ids = set()
    for t in (base, *scenarios):
        ids |= set(t[["quantity_param", "lifetime_param", "extra_param"]].astype(str).to_numpy().ravel())
    params = carbon.parameter_table(ids, cats, kinds)
    criteria = tuple(CRITERIA)
    got = carbon.scenario_gains(base, scenarios, fac, params, criteria, 2000, 7)
    summed = carbon.scenario_gains(carbon.gain_rows(base), [carbon.gain_rows(t) for t in scenarios], fac, params,
                                   criteria, 2000, 7)  # what the action plan keeps: the same numbers, bit for bit
    assert len(carbon.gain_rows(base)) < len(base)
    for c in criteria:
        assert np.array_equal(summed.central[c], got.central[c]) and np.array_equal(summed.draws[c], got.draws[c])

    def run(t):
        return carbon.monte_carlo(t, fac, params, criteria, 2000, 7, keep_cells=(), sensitivity_criterion=None)

    ref = run(base)
    for s, t in enumerate(scenarios):
        mc = run(t)
        for c in criteria:
            scale = abs(ref.central[c]) or 1.0
            assert got.central[c][s] == pytest.approx(ref.central[c] - mc.central[c], rel=1e-9, abs=1e-12 * scale)
            np.testing.assert_allclose(got.draws[c][s], ref.totals[c] - mc.totals[c], rtol=1e-9,
                                       atol=1e-12 * np.abs(ref.totals[c]).max())
    for c in criteria:
        assert got.central[c][0] == 0.0 and not got.draws[c][0].any()
    printing_only = run(base[base["source"] == "printing"])
    assert printing_only.central["climate_change"] > 0
    assert got.central["climate_change"][1] == pytest.approx(0.3 * printing_only.central["climate_change"],
                                                             rel=1e-12)
    assert got.central["climate_change"][2] > 0


# ------------------------------------------------------------------------------------ scopes kept apart (issue 18)

def _scoped_balance(n_draws=2000):
    """One laptop (48 kWh), 1,000 EUR of IT services and 100 reams, through build_activities and the Monte Carlo."""
    inv = inventory({"category": "laptop", "quantity": 1, "yearly_kwh": 48})
    purchases = pd.DataFrame({"entity": ["ville"], "category": ["services"], "amount_eur": [1000.0],
                              "year": [2023], "quality": ["high"]})
    printing = pd.DataFrame({"entity": ["ville"], "reams": [100.0], "quality": ["high"]})
    acts = carbon.build_activities(inv, CATEGORIES, FACTORS, KINDS, 2023, purchases=purchases,
                                   printing=printing).table
    return acts, carbon.monte_carlo(acts, FACTORS, params_for(acts), ["climate_change"], n_draws, 3)


def test_spend_based_lines_are_their_own_scope_not_a_phase():
    """1,000 EUR × 0.11 kgCO2e/EUR = 110 kgCO2e spend-based; physical = laptop (170 + 12.3 + 2.79) / 5 + 48 ×
    0.0461 = 39.2308 kg + paper 100 × 2.29 = 229 kg = 268.2308 kg. The phase split sums to the physical scope."""
    acts, mc = _scoped_balance()
    assert set(acts.loc[acts["item"] == "spend_it_services", "phase"]) == {carbon.SPEND_PHASE}
    assert set(acts.loc[acts["item"] == "spend_it_services", "factor_phase"]) == {"use"}
    scopes = carbon.scope_split(mc, scale=1.0)
    assert scopes["spend_based"]["value"] == pytest.approx(110.0)
    assert scopes["physical"]["value"] == pytest.approx(39.2308 + 229.0)
    by_phase = carbon.breakdown(mc, "phase")
    physical_phases = by_phase[by_phase["phase"] != carbon.SPEND_PHASE]
    assert physical_phases["value"].sum() == pytest.approx(scopes["physical"]["value"])
    assert set(physical_phases["phase"]) <= set(carbon.PHASES)
    # the use phase holds the laptop's electricity only (48 × 0.0461), not the spend
    assert by_phase.set_index("phase").loc["use", "value"] == pytest.approx(48 * 0.0461)
    # physical + spend-based = total, draw by draw
    d = mc.draws["climate_change"]
    spend = (mc.cells["phase"] == carbon.SPEND_PHASE).to_numpy()
    assert np.allclose(d[~spend].sum(axis=0) + d[spend].sum(axis=0), mc.totals["climate_change"])


def test_equipment_manufacturing_share_leaves_out_paper_and_spend():
    """Equipment scope = the laptop only: manufacturing 170 / 5 = 34 kg over 39.2308 kg = 0.86667; paper (229 kg,
    a 'manufacturing' factor) and the spend line are not equipment."""
    _, mc = _scoped_balance()
    assert carbon.equipment_manufacturing_share(mc) == pytest.approx(34.0 / 39.2308)


# ------------------------------------------------------------------------------ correlated factors (issue 18)

def _spend_factors(group: str) -> pd.DataFrame:
    f = factor_rows([("spend_it_services", "use", "climate_change", 0.11, 0.11 / 3, 0.33, "lognormal", "eur"),
                     ("spend_software", "use", "climate_change", 0.11, 0.11 / 3, 0.33, "lognormal", "eur"),
                     ("spend_cloud_saas", "use", "climate_change", 0.11, 0.11 / 3, 0.33, "lognormal", "eur")])
    f["correlation_group"] = group
    return f


def test_factors_of_one_correlation_group_move_together():
    """Same group: one underlying normal draw, so the rank correlation of two factors is 1; no group: independent
    streams, rank correlation near 0."""
    grouped = uncertainty.draw_factors(_spend_factors("g"), 4000, 11)
    apart = uncertainty.draw_factors(_spend_factors(""), 4000, 11)
    assert carbon._rank_corr(grouped[1:2], grouped[0])[0] == pytest.approx(1.0)
    assert abs(carbon._rank_corr(apart[1:2], apart[0])[0]) < 0.06
    # each keeps its own marginal: median 0.11, 95 % interval ≈ [0.0367, 0.33]
    assert np.median(grouped[1]) == pytest.approx(0.11, rel=0.05)


def test_grouped_spend_ratios_widen_the_spend_line():
    """Three spend lines of 100,000 EUR each: drawn together, the 95 % interval of their sum is the interval of one
    ratio × 300,000 EUR, i.e. [0.11/3, 0.33] × 300,000 = [11, 99] t; drawn apart it is narrower."""
    acts = pd.DataFrame({"source": "purchases", "line_id": ["p1", "p2", "p3"], "entity": "ville",
                         "tier": "services", "category": ["s", "w", "c"], "phase": carbon.SPEND_PHASE,
                         "item": ["spend_it_services", "spend_software", "spend_cloud_saas"], "factor_phase": "use",
                         "activity": 100_000.0, "quantity_param": "", "lifetime_param": "", "extra_param": ""})
    params = carbon.parameter_table(set(), CATEGORIES, KINDS)

    def interval(group):
        mc = carbon.monte_carlo(acts, _spend_factors(group), params, ["climate_change"], 20_000, 5)
        return np.percentile(mc.totals["climate_change"], [2.5, 97.5]) / 1000

    lo, hi = interval("g")
    assert lo == pytest.approx(11.0, rel=0.05) and hi == pytest.approx(99.0, rel=0.05)
    lo_apart, hi_apart = interval("")
    assert lo_apart > 1.3 * lo and hi_apart < 0.85 * hi


def test_a_correlation_group_is_one_input_of_the_sensitivity_ranking():
    """Issue 32: three spend lines drawn together (one correlation group) are one input of the ranking, attributed
    once: kind ``factor_group``, all of the variance (nothing else is uncertain), tornado bounds = the sum of the
    three lines at the ratio's 2.5th and 97.5th percentiles, i.e. ≈ [11, 99] t around 33 t; its members listed.
    Drawn apart, they are three inputs sharing the variance."""
    acts = pd.DataFrame({"source": "purchases", "line_id": ["p1", "p2", "p3"], "entity": "ville",
                         "tier": "services", "category": ["s", "w", "c"], "phase": carbon.SPEND_PHASE,
                         "item": ["spend_it_services", "spend_software", "spend_cloud_saas"], "factor_phase": "use",
                         "activity": 100_000.0, "quantity_param": "", "lifetime_param": "", "extra_param": ""})
    params = carbon.parameter_table(set(), CATEGORIES, KINDS)
    s = carbon.monte_carlo(acts, _spend_factors("g"), params, ["climate_change"], 20_000, 5).sensitivity
    assert len(s) == 1 and s.loc[0, "kind"] == "factor_group" and s.loc[0, "input_id"] == "group:g"
    assert s.loc[0, "contribution_to_variance"] == pytest.approx(1.0)
    assert s.loc[0, "low_total"] / 1000 == pytest.approx(11.0, rel=0.05)
    assert s.loc[0, "high_total"] / 1000 == pytest.approx(99.0, rel=0.05)
    assert s.loc[0, "members"].split("; ") == ["spend_cloud_saas:use:climate_change",
                                                 "spend_it_services:use:climate_change",
                                                 "spend_software:use:climate_change"]
    label = labels.sensitivity_table(SimpleNamespace(sensitivity=s), CATEGORIES, KINDS)["label_fr"].iat[0]
    assert label.startswith("Facteurs liés (un tirage commun)") and "logiciels et licences" in label
    apart = carbon.monte_carlo(acts, _spend_factors(""), params, ["climate_change"], 20_000, 5).sensitivity
    assert list(apart["kind"]) == ["factor"] * 3
    assert apart["contribution_to_variance"].max() < 0.5


def test_balance_uses_the_vintage_of_the_reference_year_and_the_territory_override_wins():
    from helpers.io import factors as F

    t = SimpleNamespace(reference_year=2022, electricity_factor_kgco2e_per_kwh=None)
    fac, changes = carbon_reference.prepare_factors(F.load_factors(), t)
    assert F.get_value(fac, "electricity_fr", "use", "climate_change") == 0.052 and changes.empty
    s = carbon_reference.electricity_factor_summary(fac, t)
    assert s["vintage_year"] == 2022 and s["exact"] and s["latest_value"] == 0.0461
    own = SimpleNamespace(reference_year=2022, electricity_factor_kgco2e_per_kwh=0.03,
                          electricity_factor_source="contrat")
    fac, changes = carbon_reference.prepare_factors(F.load_factors(), own)
    assert F.get_value(fac, "electricity_fr", "use", "climate_change") == 0.03
    assert carbon_reference.electricity_factor_summary(fac, own)["vintage_year"] is None


def test_office_switch_without_a_site_has_no_pue():
    """One office switch, 30 W around the clock = 262.8 kWh, no hosting site: 149.4 / 5 kg + 262.8 kWh × the
    electricity factor, with no PUE (a data-centre switch in a server room would carry the room's PUE)."""
    from helpers.io import factors as F

    fac, cats = F.load_factors(), F.load_categories()
    inv = pd.DataFrame([{"line_id": "S1", "entity": "ville", "category": "switch_office", "quantity": 1.0,
                         "purchase_year": 2020, "lifetime_years": 5.0, "yearly_kwh": 30 * 24 * 365 / 1000,
                         "reconditioned": False, "quality": "high", "site": np.nan}])
    acts = carbon.fleet_activities(inv, cats, None)
    total = float(np.nansum(carbon.activity_impacts(acts, fac, ["climate_change"])["climate_change"]))
    elec = F.get_value(fac, "electricity_fr", "use", "climate_change")
    assert total == pytest.approx(F.get_value(fac, "switch_office", "manufacturing", "climate_change") / 5
                                  + 262.8 * elec, rel=1e-9)
    assert (acts["extra_param"] == "").all()  # no PUE multiplier


def test_alternative_factor_values_are_sensitivity_cases():
    """Two screens of 64.6 kg over 6 years (activity 2/6 unit-years): manufacturers' ×3 gives 193.8 kg, so the
    balance would change by 2/6 × (193.8 − 64.6) = 43.07 kg; an unused factor (server) is not listed."""
    inv = inventory({"category": "screen_small", "quantity": 2})
    acts = carbon.fleet_activities(inv, CATEGORIES, None)
    cases = carbon.factor_alternatives(acts, FACTORS)
    assert list(cases["factor_id"]) == ["screen_small:manufacturing:climate_change"]
    assert cases["alternative"].iat[0] == pytest.approx(3 * 64.6)
    assert cases["delta_tco2e"].iat[0] * 1000 == pytest.approx(2 / 6 * (3 * 64.6 - 64.6))


def test_overrides_markdown_shows_hostile_ids_as_escaped_code_not_code_spans():
    """Ids from the inputs are shown as <code> with esc's character references (a Markdown code span would print
    the references literally), so '<b>' and '*' stay text and no backtick code span is opened."""
    from types import SimpleNamespace

    import pandas as pd

    changes = pd.DataFrame([{"factor_id": "<b>x*y</b>", "old_value": 1.0, "new_value": 2.0, "origin": "o",
                             "source": "s"}])
    text = carbon_report.overrides_markdown(SimpleNamespace(factors_version="v1", changes=changes))
    assert "<code>&lt;b&gt;x&#42;y&lt;/b&gt;</code>" in text
    assert "`" not in text and "<b>" not in text
