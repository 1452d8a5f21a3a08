"""Services LCA: exact tier shares and annual intervals (issue 22).

The service is ADEME's visio (one participant-hour on a laptop, SD video, fixed French network, a streaming server
allocation, PUE 1.3), whose five parts are derived by hand below from ADEME's published parameters
(``incubateur-ademe/publicodes-acv-numerique``: ``acv-terminaux``, ``transmission``, ``streaming`` and
``data center`` publicodes; the same derivation as ``tests/model/test_services.py``). Each tier share is checked against its
own hand-computed part, and the annual value *and both bounds* against per-unit × yearly units.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from helpers.io import services_inputs as si
from helpers.io.factors import load_categories
from helpers.model import services as sv

#: the reference library's presets of the service types and its categories (what the study passes the model)
PRESETS = si.load_presets()
CATEGORIES = load_categories()

KINDS = pd.DataFrame({
    "kind": ["ademe_streaming"], "label_fr": ["ADEME streaming"], "default_pue": [1.3], "pue_low": [1.3],
    "pue_high": [1.3], "electricity_item": ["electricity_fr"], "source": ["test"],
})

#: laptop of ADEME's acv-terminaux.publicodes@d13a17e4: 6 years, 3 h/day, 25 W; construction 134.7 kgCO2e
DEVICES = pd.DataFrame({
    "device": ["smartphone", "tablet", "laptop"], "items": [("smartphone",), ("tablet",), ("laptop",)],
    "lifetime_years": [2.5, 3.0, 6.0], "lifetime_low_years": [2.5, 3.0, 6.0], "lifetime_high_years": [2.5, 3.0, 6.0],
    "hours_per_day": [3.0, 3.0, 3.0], "power_w": [5.6, 15.0, 25.0], "label_fr": ["s", "t", "l"],
}).set_index("device")

#: kgCO2e per unit / per kWh / per GB (impactco2 dataset, see tests/model/test_services.py)
CENTRAL = {("laptop", "manufacturing"): 134.7, ("tablet", "manufacturing"): 44.5,
           ("smartphone", "manufacturing"): 26.239, ("electricity_fr", "use"): 0.0569,
           ("network_fixed_fr", "use"): 0.0092693467, ("network_mobile_fr", "use"): 0.02468,
           ("server", "manufacturing"): 748.0, ("storage_array", "manufacturing"): 144.0}

# server hours per hour of stream (ADEME streaming.publicodes: Netflix 2019 94,000 + 357,000 MWh at PUE 1.3, 367 W
# per server, 2 h/day × 365 days × 167 million users) and construction per server with its share of network gear
# and room (ADEME data center.publicodes), as derived in tests/model/test_services.py
STREAM_SERVER_H = (94_000 + 357_000) * 1e6 / 1.3 / 367.0 / (2 * 365 * 167e6)
DC_PER_SERVER_KG = 748.0 + 0.0358 * 355 + 1.468 * 367 + 0.286 * 41.2 + 0.68 * 187 * 5 / 25

#: grams per participant-hour, by hand (the visio meeting of ADEME is 2 participant-hours on one server allocation)
BUILD_T = 134_700 / (6 * 365 * 3)
USE_T = 25 / 1000 * 56.9
NET = 0.7 * 9.2693467
BUILD_D = STREAM_SERVER_H * DC_PER_SERVER_KG * 1000 / (5 * 8760) / 2
USE_D = STREAM_SERVER_H * 367 / 1000 * 1.3 * 56.9 / 2
TOTAL = BUILD_T + USE_T + NET + BUILD_D + USE_D

UNITS_PER_YEAR = 5000.0  # participant-hours a year


def factors(spread: float) -> pd.DataFrame:
    rows = []
    for (item, phase), v in CENTRAL.items():
        act = "kwh" if item.startswith("electricity") else "gb" if item.startswith("network") else "unit"
        rows.append({"factor_id": f"{item}:{phase}:climate_change", "item": item, "phase": phase,
                     "criterion": "climate_change", "value": v, "unit": f"kgCO2e/{act}", "activity_unit": act,
                     "low": v / spread, "high": v * spread, "distribution": "lognormal" if spread > 1 else "none",
                     "source": "test", "vintage": "test", "status": "sourced", "note": ""})
    return pd.DataFrame(rows)


def visio_result(spread: float = 1.0, n_draws: int = 2000) -> sv.LcaResult:
    row = dict(service_id="v", name="Visio", type="visio", annual_volume=UNITS_PER_YEAR,
               volume_unit="participant_hours", video_quality="sd", participants=2, mobile_share=0, tablet_share=0,
               computer_device="laptop", hosting="ademe_streaming")
    inputs = sv.build_inputs(pd.DataFrame([row]), factors(spread), categories=CATEGORIES, hosting_kinds=KINDS,
                             devices=DEVICES, presets=PRESETS)
    inputs = dataclasses.replace(inputs, server_power_w=367.0, server_lifetime_years=5.0,
                                 storage_capacity_gb=3.5524 * 1024, storage_power_w=6.0, storage_lifetime_years=5.0,
                                 storage_fill_rate=0.5)
    return sv.run_lca(inputs, n_draws=n_draws, seed=5)


def test_per_unit_parts_are_the_hand_computed_ones():
    t = sv.lca_table(visio_result()).iloc[0]
    assert t["terminals_g"] == pytest.approx(BUILD_T + USE_T, rel=1e-9)
    assert t["network_g"] == pytest.approx(NET, rel=1e-9)
    assert t["datacentre_g"] == pytest.approx(BUILD_D + USE_D, rel=1e-9)
    assert t["gco2e_per_unit"] == pytest.approx(TOTAL, rel=1e-9)


def test_each_tier_share_is_its_own_part_of_the_total():
    """terminals (20.50 + 1.42 g) / total, network 6.49 g / total, data centre (build + use) / total: three
    different numbers, so swapping two columns cannot pass."""
    t = sv.lca_table(visio_result()).iloc[0]
    assert t["terminals_share"] == pytest.approx((BUILD_T + USE_T) / TOTAL, rel=1e-9)
    assert t["network_share"] == pytest.approx(NET / TOTAL, rel=1e-9)
    assert t["datacentre_share"] == pytest.approx((BUILD_D + USE_D) / TOTAL, rel=1e-9)


def test_annual_value_and_both_bounds_are_per_unit_times_units():
    """The per-unit draws × 5000 participant-hours: the percentiles of a scaled sample are the scaled percentiles
    (linear interpolation), so value, low and high are each exactly per-unit × 5000 (tCO2e = g × units / 10⁶)."""
    r = visio_result(spread=2.0)
    t = sv.lca_table(r).iloc[0]
    assert t["gco2e_low"] < t["gco2e_per_unit"] < t["gco2e_high"]  # real uncertainty, else the test proves nothing
    assert t["annual_tco2e"] == pytest.approx(TOTAL * UNITS_PER_YEAR / 1e6, rel=1e-9)
    assert t["annual_tco2e_low"] == pytest.approx(t["gco2e_low"] * UNITS_PER_YEAR / 1e6, rel=1e-12)
    assert t["annual_tco2e_high"] == pytest.approx(t["gco2e_high"] * UNITS_PER_YEAR / 1e6, rel=1e-12)
    annual = r.annual().iloc[0]
    draws = r.draws["climate_change"]["total"][0]
    assert annual["low"] == pytest.approx(np.percentile(draws, 2.5) * UNITS_PER_YEAR, rel=1e-12)
    assert annual["high"] == pytest.approx(np.percentile(draws, 97.5) * UNITS_PER_YEAR, rel=1e-12)


def test_criteria_table_per_year_bounds_are_per_unit_bounds_times_units():
    r = visio_result(spread=2.0)
    row = sv.criteria_table(r).iloc[0]
    assert row["per_year"] == pytest.approx(row["per_unit"] * UNITS_PER_YEAR, rel=1e-12)
    assert row["per_year_low"] == pytest.approx(row["per_unit_low"] * UNITS_PER_YEAR, rel=1e-12)
    assert row["per_year_high"] == pytest.approx(row["per_unit_high"] * UNITS_PER_YEAR, rel=1e-12)
    assert row["per_unit_low"] < row["per_unit"] < row["per_unit_high"]


def test_per_unit_interval_is_the_2_5th_and_97_5th_percentiles_of_the_draws():
    r = visio_result(spread=2.0)
    pu = r.per_unit().iloc[0]
    draws = r.draws["climate_change"]["total"][0]
    assert (pu["low"], pu["high"]) == (np.percentile(draws, 2.5), np.percentile(draws, 97.5))
    assert r.total_annual_draws() == pytest.approx(draws * UNITS_PER_YEAR, rel=1e-12)


@pytest.mark.parametrize("computer_device, laptop_part", [("laptop", 1.0), ("desktop", 0.0), ("mix", 0.5)])
def test_smartphone_share_low_bound_of_an_all_mobile_service_frees_its_share_to_its_declared_computer(
        computer_device, laptop_part):
    """A visio on 80 % smartphones and 20 % tablets (no computer share), no mobile network: the smartphone share's
    low bound 0.6 frees 0.2 of the users to the service's declared computer (``computer_device``: laptop, desktop,
    or half each for a mix), as the resolved mix puts it. Per hour, each device weighs construction / (lifetime ×
    365 × 3 h) + W / 1000 × 56.9 gCO2e/kWh (the test devices: laptop 134.7 kg, 6 years, 25 W; desktop 416.92 kg,
    6 years, 80 W; smartphone 26.239 kg, 2.5 years, 5.6 W)."""
    from test_services_lifetimes_draws_and_scenarios import visio_inputs

    inputs = visio_inputs(1.0, mobile_share=0.8, tablet_share=0.2, mobile_network_share=0.0,
                          computer_device=computer_device)
    row = sv.sensitivity(inputs, seed=3, n_base=8).set_index("parameter").loc["mobile_share"]
    laptop_g = 134_700 / (6 * 365 * 3) + 25 / 1000 * 56.9
    desktop_g = 416_920 / (6 * 365 * 3) + 80 / 1000 * 56.9
    smartphone_g = 26_239 / (2.5 * 365 * 3) + 5.6 / 1000 * 56.9
    computer_g = laptop_part * laptop_g + (1 - laptop_part) * desktop_g
    assert row["g_at_low"] - row["base_g"] == pytest.approx(0.2 * (computer_g - smartphone_g), rel=1e-9)
