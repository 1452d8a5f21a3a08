"""Carbon engine, second pass of issue 22: exact values for behaviours the mutation run still found unchecked.

Small hand-made inputs; every reference value is derived in the test's docstring or comments. One behaviour per
test. The helpers (factor library, inventory lines, activity rows, Monte Carlo run) are those of
``tests/model/test_carbon_hand_values.py``.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from builders.carbon_inputs import (
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
from helpers.io.factors import ELECTRICITY_FACTOR_ID, electricity_vintage, load_electricity_vintages
from helpers.model import carbon, uncertainty
from helpers.report import carbon as carbon_report
from helpers.report import carbon_labels

# ------------------------------------------------------------------------------------------ draw_distribution


def test_uniform_draws_spread_evenly_between_low_and_high():
    """uniform(low 1, high 3): the p-th percentile is 1 + 2p, so 1.05, 2.00 and 2.95 for 2.5 %, 50 % and 97.5 %;
    no draw leaves [1, 3]. (A constant would give 2 everywhere; a width of high + low = 4, 1.1, 3.0 and 4.9.)"""
    x = uncertainty.draw_distribution("uniform", 2.0, 1.0, 3.0, 200_000, np.random.default_rng(3))
    assert np.percentile(x, [2.5, 50, 97.5]) == pytest.approx([1.05, 2.0, 2.95], abs=5e-3)
    assert x.min() >= 1.0 and x.max() <= 3.0


def test_lognormal_with_a_zero_low_bound_is_the_constant_value():
    """A lognormal needs low > 0 (sigma = ln(high/low)/3.92): with low = 0 the interval is degenerate and every draw
    is the central value 2."""
    x = uncertainty.draw_distribution("lognormal", 2.0, 0.0, 3.0, 1000, np.random.default_rng(3))
    assert x.tolist() == [2.0] * 1000


def test_pue_multiplier_of_a_pue_of_one_is_one():
    """A PUE parameter whose default is 1 (no overhead) has no relative spread: (P − 1)/(default − 1) would be 0/0,
    the multiplier is 1 on every draw."""
    params = pd.DataFrame([("pue:none", "pue", "none", "split_triangular", 1.0, 1.0, 1.0, "")],
                          columns=["param_id", "kind", "key", "distribution", "low", "mode", "high", "quality"])
    assert carbon.draw_parameters(params, 50, 7).tolist() == [[1.0] * 50]


# ------------------------------------------------------------------------------------ Monte Carlo summaries

def test_tornado_bounds_of_a_factor_are_its_2_5_and_97_5_percentiles():
    """1000 kWh × a uniform factor (value 2, low 1, high 3): its 2.5th and 97.5th percentiles are 1.05 and 2.95,
    so with every other input central the total goes from 2000 + 1000 × (1.05 − 2) = 1050 to
    2000 + 1000 × (2.95 − 2) = 2950 kgCO2e. (The 3.5th percentile, 1.07, would give 1070.)"""
    r = run([activity("e", 1000.0)], factors(factor("e", 2.0, low=1.0, high=3.0, distribution="uniform")))
    f = r.sensitivity.set_index("input_id").loc["e:use:climate_change"]
    assert f["low_total"] == pytest.approx(1050.0, abs=3.0)
    assert f["high_total"] == pytest.approx(2950.0, abs=3.0)


def test_breakdown_gives_the_mean_of_the_draws():
    """1000 kWh × 2 kgCO2e/kWh, constant factor and no multiplier: every draw is 2000, so the breakdown's ``mean``
    column is 2000 (beside value, low and high)."""
    r = run([activity("e", 1000.0)], factors(factor("e", 2.0)), n_draws=100)
    b = carbon.breakdown(r, "tier")
    assert b[["tier", "value", "low", "high", "mean"]].values.tolist() == [["terminals", 2000.0, 2000.0, 2000.0,
                                                                            2000.0]]


# ------------------------------------------------------------------------------------------------ fleet lines

def test_purchases_view_without_reference_year_says_so():
    with pytest.raises(ValueError, match="^reference_year is required for the purchases view$"):
        carbon.fleet_lines(inventory({"category": "laptop", "quantity": 1}), CATEGORIES, view="purchases")


def test_inventory_site_missing_from_hosting_is_named():
    """Site Z of the inventory is not in hosting.csv (which describes A only): the error names it."""
    sites = carbon.resolve_sites(pd.DataFrame({"site_id": ["A"], "entity": "mairie", "kind": "server_room"}), KINDS)
    inv = inventory({"category": "server", "quantity": 1, "yearly_kwh": 100.0, "site": "Z"})
    with pytest.raises(ValueError, match=r"^inventory sites not in hosting.csv: \['Z'\]$"):
        carbon.fleet_lines(inv, CATEGORIES, sites)


def test_use_row_of_a_measured_site_carries_the_site_quality():
    """Site A measures its IT energy and its data are of low quality: the use rows of its servers (energy and PUE
    overhead) carry the quantity parameter of the site's energy at the site's quality, ``quantity:low:
    site_energy:A``, not the inventory line's (high)."""
    hosting = pd.DataFrame({"site_id": ["A"], "entity": "mairie", "kind": "server_room", "pue": [1.5],
                            "it_kwh_per_year": [1000.0], "quality": ["low"]})
    sites = carbon.resolve_sites(hosting, KINDS)
    lines = carbon.fleet_lines(inventory({"category": "server", "quantity": 2, "yearly_kwh": 300.0, "site": "A"}),
                               CATEGORIES, sites)
    rows = carbon.fleet_rows(lines, sites)
    use = rows[rows["phase"] == "use"]
    assert use["quantity_param"].tolist() == ["quantity:low:site_energy:A"] * 2


# --------------------------------------------------------------------------------------------- column names

def test_criterion_without_a_unit_keeps_its_bare_name():
    """A criterion whose unit is empty, or has no letter or digit ("%"), gives no slug: the column is the criterion
    id alone, without a trailing underscore."""
    assert carbon.criterion_column("x", {"x": ""}) == "x"
    assert carbon.criterion_column("x", {"x": "%"}) == "x"


# --------------------------------------------------------------------------------------------------- notes

def test_telecom_spend_and_telecom_lines_raise_the_double_counting_note():
    pur = pd.DataFrame({"entity": ["mairie"], "category": ["telecom"], "amount_eur": [1000.0], "year": [2023]})
    tel = pd.DataFrame({"entity": ["mairie"], "mobile_lines": [10]})
    assert carbon_labels.notes_fr(carbon.double_counting_notes(pur, None, tel, 2023)) == [
        "purchases.csv contient une dépense « telecom » et telecom.csv des abonnements ou volumes : vérifier que la "
        "dépense ne couvre pas les mêmes lignes (double compte possible)."]


# ------------------------------------------------------------------------------------------------ age profile

def test_age_profile_mean_age_is_weighted_by_quantity():
    """Laptops: 1 aged 2 and 3 aged 6: mean age (1 × 2 + 3 × 6) / 4 = 5 years."""
    inv = inventory({"category": "laptop", "quantity": 1, "age_years": 2.0},
                    {"category": "laptop", "quantity": 3, "age_years": 6.0})
    prof = carbon.age_profile(inv)
    assert prof["mean_age_years"].tolist() == [5.0]


# ------------------------------------------------------------------------------------------------- benchmarks

def test_benchmark_per_employee_scope_text():
    """Issue 32: a per-employee reference is compared per agent on the physical scope (200 kg, not the 250 kg total
    with purchases); a library row naming another scope (``compared_scope = total``) gets that one."""
    refs = pd.DataFrame([("Par salarié", 200.0, "kgco2e_per_employee_year", "all", "scope", "src", ""),
                         ("Par salarié, achats compris", 300.0, "kgco2e_per_employee_year", "all", "scope", "src",
                          "total")], columns=[*BENCHMARKS.columns, "compared_scope"])
    data = SUMMARY | {"per_agent_by_scope_kgco2e": {"physical": {"value": 200.0, "low": 180.0, "high": 230.0},
                                                    "total": SUMMARY["per_agent_kgco2e"]}}
    c = carbon_report.benchmark_comparison(refs, "here", data)
    assert c[["our_value", "compared_scope", "our_scope"]].values.tolist() == [
        [200.0, "physical", "par agent, périmètre physique (équipements, leur énergie, hébergement, réseaux, papier)"],
        [250.0, "total", "par agent, total (périmètre physique + achats par ratio monétaire)"]]


def test_benchmark_reason_of_another_territorys_manufacturing_share():
    """The national manufacturing share (applies to all) is on another scope: the reason says so in full."""
    c = carbon_report.benchmark_comparison(BENCHMARKS, "here", SUMMARY)
    assert c.loc[2, "reference"] == "Part de fabrication nationale"
    assert c.loc[2, "reason_fr"] == (
        "Référence sur un autre périmètre (organisations, ou France entière avec les terminaux des ménages) ; la part "
        "dépend de l'électricité bas carbone française, des durées de vie et des heures d'usage des équipements de "
        "bureau.")


# -------------------------------------------------------------------------------------- electricity summary

def _electricity_library(value: float, source: str) -> pd.DataFrame:
    lib = factors(factor("electricity_fr", value))
    lib["factor_id"] = ELECTRICITY_FACTOR_ID
    lib["source"] = source
    return lib


VINTAGE_2023 = electricity_vintage(load_electricity_vintages(), 2023)  # 0.058 kgCO2e/kWh, exact year


def test_electricity_factor_a_tenth_of_a_gram_off_the_vintage_is_the_territorys_own():
    """0.0581 kgCO2e/kWh with the library's source differs from the 2023 vintage (0.058) by 1e-4 > 1e-12: it is the
    territory's own factor, so no vintage year, not exact, and the note says so."""
    e = carbon_reference.electricity_factor_summary(_electricity_library(0.0581, VINTAGE_2023["source"]),
                                          SimpleNamespace(reference_year=2023))
    assert (e["value"], e["vintage_year"], e["exact"], e["note"]) == (0.0581, None, False,
                                                                      "facteur propre du territoire")


def test_electricity_factor_of_the_vintage_is_exact_only_for_the_vintage_itself():
    """The 2023 vintage itself (0.058, same source) in 2023 is exact; a territory's own 0.07 is never exact, even
    for a year the vintage table has."""
    ref = SimpleNamespace(reference_year=2023)
    same = carbon_reference.electricity_factor_summary(_electricity_library(0.058, VINTAGE_2023["source"]), ref)
    own = carbon_reference.electricity_factor_summary(_electricity_library(0.07, "territory.yaml"), ref)
    assert (same["vintage_year"], same["exact"]) == (2023, True)
    assert (own["vintage_year"], own["exact"]) == (None, False)
