"""Carbon balance: exact values where other tests only check an ordering (issue 22).

Every reference value is derived by hand in the test's docstring or comments, on small synthetic inputs built here
(never La Rochelle's published numbers):

- the 95 % interval is the 2.5th–97.5th percentile pair: checked on a grid whose percentiles are exact, and on the
  analytic percentiles of the distributions the engine draws (lognormal: ``median × exp(±1.96 σ)`` with
  ``σ = ln(high/low)/3.92``; triangular(a, c, b) from its inverse CDF; the quantity multiplier: normal of mean 1 whose
  95 % interval is ``1 ± half-width`` of the data quality);
- a hosting site counted by its measured IT energy carries its PUE overhead;
- the breakdown's shares are each cell's part of the total.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from builders.carbon_results import KINDS, NO_CATEGORIES, _two_criteria_result, activity_row, factor  # noqa: F401

from helpers.model import carbon
from helpers.report import carbon_labels as labels

#: z such that Φ(z) = 0.975 (normal quantile, 4 decimals: 1.95996); the engine's sigma convention uses 3.92 = 2 × 1.96
Z975 = 1.959964







def run(rows: list[dict], factors: list[dict], n_draws: int = 200_000, seed: int = 11) -> carbon.MonteCarloResult:
    acts = pd.DataFrame(rows, columns=carbon.ACTIVITY_COLUMNS)
    params = carbon.parameter_table(set(acts["quantity_param"]), NO_CATEGORIES, KINDS)
    return carbon.monte_carlo(acts, pd.DataFrame(factors), params, n_draws=n_draws, seed=seed)


# ------------------------------------------------------------------------------------------- interval: percentiles

def test_interval_is_the_2_5th_and_97_5th_percentiles():
    """On the 1,001 draws 0, 1, …, 1000, numpy's linear percentile of p is exactly 1000 × p / 100: the 2.5th is 25,
    the median 500, the 97.5th 975 (a 90 % interval would give 50 and 950)."""
    iv = carbon.interval(np.arange(1001.0), central=480.0, scale=0.001)
    assert iv == pytest.approx({"value": 0.48, "low": 0.025, "high": 0.975, "mean": 0.5, "median": 0.5},
                               rel=1e-12)


def test_monte_carlo_interval_of_a_lognormal_factor_matches_its_analytic_percentiles():
    """1000 kWh × a lognormal factor of median 2, low 1, high 4: σ = ln(4/1)/3.92, so the total's percentiles are
    1000 × 2 × exp(±1.959964 σ) = 1000.0 × 2 × 4^(∓0.49999) ≈ 1000.0 and 4000.0 (kgCO2e); a 5/95 pair would be
    2000 × exp(±1.645 σ) = 1118 and 3577, 11 % off. With 200,000 draws the sampling error of a 2.5th percentile is
    about 0.3 %: tolerance 1.5 %."""
    r = run([activity_row("e", 1000.0)], [factor("e", 2.0, 1.0, 4.0, "lognormal")])
    sigma = np.log(4.0) / 3.92
    iv = carbon.interval(r.totals["climate_change"], r.central["climate_change"])
    assert iv["value"] == pytest.approx(2000.0, rel=1e-12)
    assert iv["low"] == pytest.approx(2000.0 * np.exp(-Z975 * sigma), rel=0.015)
    assert iv["high"] == pytest.approx(2000.0 * np.exp(Z975 * sigma), rel=0.015)
    assert iv["median"] == pytest.approx(2000.0, rel=0.01)


def test_breakdown_interval_of_a_triangular_factor_matches_its_inverse_cdf():
    """100 units × triangular(a=1, c=2, b=4): F(c) = (c−a)/(b−a) = 1/3, so the 2.5th percentile is on the left
    branch, a + √(p (b−a)(c−a)) = 1 + √(0.025 × 3 × 1) = 1.273861, and the 97.5th on the right one,
    b − √((1−p)(b−a)(b−c)) = 4 − √(0.025 × 3 × 2) = 3.612702; × 100 units. (5th/95th: 1.387 and 3.452.)"""
    r = run([activity_row("t", 100.0, phase="manufacturing")],
            [factor("t", 2.0, 1.0, 4.0, "triangular", phase="manufacturing", activity_unit="unit")])
    row = carbon.breakdown(r, "tier").iloc[0]
    assert row["value"] == pytest.approx(200.0, rel=1e-12)
    assert row["low"] == pytest.approx(100 * (1 + np.sqrt(0.025 * 3 * 1)), rel=0.01)
    assert row["high"] == pytest.approx(100 * (4 - np.sqrt(0.025 * 3 * 2)), rel=0.01)


# ------------------------------------------------------------------------------------ quantity: data-quality widths

@pytest.mark.parametrize("quality, half_width", [("high", 0.05), ("medium", 0.15), ("low", 0.40)])
def test_quantity_multiplier_bounds_are_one_plus_or_minus_the_quality_half_width(quality, half_width):
    """Documented assumption (``quality_half_width`` of helpers.model.parameters.DEFAULTS,
    docs/assumptions_caveats.md): a declared quantity's 95 % interval is ± 5 % (high), ± 15 % (medium), ± 40 %
    (low)."""
    p = carbon.parameter_table([f"quantity:{quality}:laptop"], NO_CATEGORIES, KINDS).iloc[0]
    assert (p["distribution"], p["low"], p["mode"], p["high"]) == ("normal", pytest.approx(1 - half_width), 1.0,
                                                                   pytest.approx(1 + half_width))


def test_unknown_quality_gets_the_medium_width():
    p = carbon.parameter_table(["quantity:unsure:laptop"], NO_CATEGORIES, KINDS).iloc[0]
    assert (p["low"], p["high"]) == (pytest.approx(0.85), pytest.approx(1.15))


@pytest.mark.parametrize("quality, half_width", [("high", 0.05), ("low", 0.40)])
def test_monte_carlo_interval_of_a_declared_quantity_is_its_quality_width(quality, half_width):
    """500 kWh of quality q × a certain factor 0.1: the total is 50 × Q, Q normal of mean 1 and standard deviation
    hw/1.96, so its 2.5th/97.5th percentiles are 50 × (1 ∓ 1.959964 × hw/1.96) = 50 × (1 ∓ 0.99998 hw):
    47.5/52.5 (high), 30/70 (low). Sampling error of the percentile at 200,000 draws: < 0.3 % of 50."""
    r = run([activity_row("e", 500.0, quantity_param=f"quantity:{quality}:c")], [factor("e", 0.1, 0.1, 0.1, "none")])
    iv = carbon.interval(r.totals["climate_change"], r.central["climate_change"])
    assert iv["low"] == pytest.approx(50 * (1 - Z975 * half_width / 1.96), abs=0.25)
    assert iv["high"] == pytest.approx(50 * (1 + Z975 * half_width / 1.96), abs=0.25)


# ------------------------------------------------------------------------------------- hosting site: PUE overhead

def test_measured_site_energy_carries_its_pue_overhead():
    """A site with no device in the inventory is counted by its measured IT energy × PUE: 461 kWh at a measured
    PUE of 2.0 is 922 kWh of electricity (461 IT + 461 overhead); × 0.0461 kgCO2e/kWh = 42.5042 kgCO2e."""
    hosting = pd.DataFrame({"site_id": ["room"], "entity": ["ville"], "kind": ["server_room"], "pue": [2.0],
                            "it_kwh_per_year": [461.0]})
    sites = carbon.resolve_sites(hosting, KINDS)
    no_devices = pd.DataFrame({"quantity": [1.0], "yearly_kwh": [10.0], "site": [""]})
    factors = pd.DataFrame([factor("electricity_fr", 0.0461, 0.0442, 0.0599, "triangular")])
    acts, _ = carbon.site_activities(sites, no_devices, factors)
    energy = acts[acts["line_id"] == "hosting:room:energy"]
    assert energy["activity"].sum() == pytest.approx(922.0, rel=1e-12)
    impacts = carbon.activity_impacts(acts, factors, ["climate_change"])["climate_change"]
    assert impacts.sum() == pytest.approx(922.0 * 0.0461, rel=1e-12)


def test_site_at_pue_one_has_no_overhead_row():
    """PUE 1.0 (all energy is IT): the energy alone, 461 kWh, and no overhead row."""
    hosting = pd.DataFrame({"site_id": ["room"], "entity": ["ville"], "kind": ["server_room"], "pue": [1.0],
                            "it_kwh_per_year": [461.0]})
    acts, _ = carbon.site_activities(carbon.resolve_sites(hosting, KINDS),
                                     pd.DataFrame({"quantity": [1.0], "yearly_kwh": [0.0], "site": [""]}),
                                     pd.DataFrame([factor("electricity_fr", 0.0461, 0.0442, 0.0599, "triangular")]))
    assert acts["activity"].tolist() == [461.0]


# ------------------------------------------------------------------------------------------- breakdown: the shares

def test_breakdown_shares_are_each_cells_part_of_the_total():
    """Two tiers with certain factors: terminals 300 × 0.5 = 150 kg, networks 100 × 0.5 = 50 kg: shares 0.75 and
    0.25, values 150 and 50, and with no uncertainty every bound equals the value."""
    rows = [activity_row("e", 300.0), {**activity_row("e", 100.0), "tier": "networks", "line_id": "L2"}]
    r = run(rows, [factor("e", 0.5, 0.5, 0.5, "none")], n_draws=50)
    b = carbon.breakdown(r, "tier").set_index("tier")
    assert b.loc["terminals", ["value", "share", "low", "high"]].tolist() == pytest.approx([150, 0.75, 150, 150])
    assert b.loc["networks", ["value", "share", "low", "high"]].tolist() == pytest.approx([50, 0.25, 50, 50])


# ------------------------------------------------------------------------------- criteria table and phase shares



def test_criteria_table_lists_each_criterions_own_missing_factors():
    """climate: 100 × 0.05 + 2 × 10 = 25 kg, nothing missing; water: 100 × 0.01 = 1 m³, the manufacturing of 'm'
    missing (counted 0, listed)."""
    t = labels.criteria_table(_two_criteria_result(), {"climate_change": "kgCO2e", "water": "m3"}).set_index(
        "criterion")
    assert t.loc["climate_change", ["value", "low", "high", "n_missing"]].tolist() == pytest.approx([25, 25, 25, 0])
    assert t.loc["climate_change", "missing_items"] == ""
    assert t.loc["water", ["value", "n_missing"]].tolist() == pytest.approx([1.0, 1])
    assert (t.loc["water", "missing_items"], t.loc["water", "unit"]) == ("m:manufacturing", "m3")
    assert t.loc["water", "label_fr"] == labels.CRITERIA_LABELS["water"]


def test_phase_shares_of_each_criterion():
    """climate: use 5 kg of 25 (0.2), manufacturing 20 of 25 (0.8); water: use 1 m³ of 1 m³ (a total of exactly 1
    is a share of 1, not a missing value)."""
    s = carbon.phase_shares_by_criterion(_two_criteria_result()).set_index("criterion")
    assert s.loc["climate_change", ["manufacturing", "distribution", "use", "end_of_life"]].tolist() == \
        pytest.approx([0.8, 0.0, 0.2, 0.0])
    assert s.loc["water", ["manufacturing", "use"]].tolist() == pytest.approx([0.0, 1.0])


def test_quantiles_table_scales_each_headline_figure():
    """The 25 kg balance of _two_criteria_result (no uncertainty: every percentile is the central value) for 10
    agents, 1000 inhabitants and 5 workstations: 0.025 t, 2.5 kg/agent, 0.025 kg/inhabitant, 5 kg/workstation; the
    purchases view here is a second balance of 25 kg (0.025 t); by phase: use 0.005 t, manufacturing 0.020 t; water
    1 m³ in its own unit."""
    from types import SimpleNamespace

    r = _two_criteria_result()
    balance = SimpleNamespace(mc=r, purchases_mc=r, units={"climate_change": "kgCO2e", "water": "m3"})
    q = labels.quantiles_table(balance, agents=10, population=1000, computers=5).set_index("indicator")
    expected = {"total": (0.025, "tCO2e"), "per_agent": (2.5, "kgCO2e/agent"),
                "per_inhabitant": (0.025, "kgCO2e/habitant"), "per_workstation": (5.0, "kgCO2e/poste"),
                "purchases_view": (0.025, "tCO2e"), "phase:use": (0.005, "tCO2e"),
                "phase:manufacturing": (0.020, "tCO2e"), "tier:terminals": (0.025, "tCO2e"),
                "entity:ville": (0.025, "tCO2e"), "criterion:water": (1.0, "m3")}
    assert sorted(q.index) == sorted(expected)
    for name, (value, unit) in expected.items():
        row = q.loc[name]
        assert row["unit"] == unit, name
        assert row[["central", "mean", "p2_5", "p5", "p50", "p95", "p97_5"]].tolist() == pytest.approx([value] * 7,
                                                                                                      rel=1e-9), name


# ----------------------------------------------------------------------------------------------- telecom activities

def _network_factors(subscriptions: bool) -> pd.DataFrame:
    rows = [factor("network_fixed_fr", 0.00927, 0.0046, 0.0185, "lognormal", activity_unit="gb"),
            factor("network_mobile_fr", 0.02468, 0.0123, 0.0494, "lognormal", activity_unit="gb")]
    if subscriptions:
        rows += [factor("network_fixed_subscription", 4.1, 2.73, 6.15, "lognormal",
                        activity_unit="subscription_month"),
                 factor("network_mobile_subscription", 1.0, 0.5, 2.0, "lognormal",
                        activity_unit="subscription_month")]
    return pd.DataFrame(rows)


def test_telecom_rows_follow_the_agec_method_exactly():
    """ADEME transitional method (loi AGEC art. 13): fixed network per subscription-month when lines are given (10
    lines → 120 months; the 500 GB are then not added, with a note), else per GB (100 GB); mobile per GB when the
    volume is given (300 GB), else per subscription-month (5 lines → 60). Each row's data quality names its
    quantity multipliers."""
    telecom = pd.DataFrame({"entity": ["ville", "ecole"], "fixed_lines": [10, np.nan],
                            "fixed_data_gb_per_year": [500, 100], "mobile_lines": [20, 5],
                            "mobile_data_gb_per_year": [300, np.nan], "quality": ["high", "low"]})
    acts, notes = carbon.telecom_activities(telecom, _network_factors(subscriptions=True))
    notes = labels.notes_fr(notes)
    got = [tuple(r) for r in acts[["line_id", "entity", "tier", "category", "phase", "item", "factor_phase",
                                   "activity", "quantity_param"]].itertuples(index=False)]
    assert got == [
        ("telecom:1:fixed", "ville", "networks", "network_fixed", "use", "network_fixed_subscription", "use", 120.0,
         "quantity:high:network_fixed"),
        ("telecom:1:mobile", "ville", "networks", "network_mobile", "use", "network_mobile_fr", "use", 300.0,
         "quantity:high:network_mobile"),
        ("telecom:2:fixed", "ecole", "networks", "network_fixed", "use", "network_fixed_fr", "use", 100.0,
         "quantity:low:network_fixed"),
        ("telecom:2:mobile", "ecole", "networks", "network_mobile", "use", "network_mobile_subscription", "use", 60.0,
         "quantity:low:network_mobile"),
    ]
    assert (acts["source"] == "telecom").all() and (acts["lifetime_param"] == "").all()
    assert len(notes) == 1 and notes[0].startswith("Télécom ligne 1 (ville)") and "500" in notes[0]


def test_telecom_lines_without_a_factor_or_volume_are_noted_not_counted():
    telecom = pd.DataFrame({"entity": ["ville"], "fixed_lines": [3], "mobile_lines": [4]})
    acts, notes = carbon.telecom_activities(telecom, _network_factors(subscriptions=False))
    notes = labels.notes_fr(notes)
    assert len(acts) == 0
    assert len(notes) == 2 and "3 lignes fixes" in notes[0] and "4 lignes mobiles" in notes[1]
