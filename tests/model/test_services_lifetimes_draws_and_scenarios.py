"""Services LCA: exact values behind the mutants that survived ``make mutate`` (issue 22).

Each test checks one documented behaviour of ``helpers.model.services`` against a value derived here by hand: device
lifetimes and professional profile, the server and storage figures read from ``categories.csv``, the inverse-CDF
draws, the sensitivity multipliers and bounds, the scenarios, the reference checks' library column and the order
of the criteria.

Every test starts from empty memos (:func:`fresh_memos`), as a study's first run in a new process does: a wrong
computation cannot hide behind a correct result memoised earlier in the same process.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from builders import services_closed_form as cf
from builders.services_inputs import (  # noqa: F401
    CATEGORIES,
    DEVICES,
    KINDS,
    LIBRARY,
    NO_CATEGORIES,
    PRESETS,
    VALUES,
    VISIO_MIX,
    categories,
    central,
    factor_table,
    fresh_memos,
    visio_inputs,
)

from helpers.io import services_inputs as si
from helpers.model import services as sv
from helpers.model import uncertainty

# ----------------------------------------------------------------------------------------------------------------
# small hand-made inputs
# ----------------------------------------------------------------------------------------------------------------















# ----------------------------------------------------------------------------------------------------------------
# criteria, devices, categories
# ----------------------------------------------------------------------------------------------------------------


def test_criteria_come_in_the_documented_order_whatever_the_factor_table_order():
    """climate change, minerals, fossil resources, …, water, then the criteria the list does not know, in the
    order of the factor table: the row order of the criteria table."""
    f = pd.concat([factor_table({("laptop", "manufacturing"): 1.0}, criterion=c)
                   for c in ("water", "adp_fossil", "zz_other", "climate_change", "adp_minerals")])
    inputs = sv.ServiceInputs(resolved=pd.DataFrame(), devices=DEVICES, hosting=pd.DataFrame(), factors=f)
    assert inputs.criteria == ("climate_change", "adp_minerals", "adp_fossil", "water", "zz_other")


def test_device_lifetime_interval_without_category_is_0_7_to_1_5_times_the_lifetime():
    """The assumption stated in ``lifetime_source``: laptop 5 years -> 3.5–7.5, desktop 6 years -> 4.2–9."""
    dev = sv.device_table(None)
    assert dev.loc["laptop", "lifetime_low_years"] == pytest.approx(3.5)
    assert dev.loc["laptop", "lifetime_high_years"] == pytest.approx(7.5)
    assert dev.loc["desktop", "lifetime_low_years"] == pytest.approx(4.2)
    assert dev.loc["desktop", "lifetime_high_years"] == pytest.approx(9.0)


def test_agents_laptop_is_spread_over_the_working_hours_and_days_of_its_category():
    """A laptop category of 4 years, 8 h a day, 200 working days: an agents' hour of visio on a laptop carries
    134,700 g / (4 × 200 × 8) = 21.047 g of construction (not the fallback 220 days nor 7 h)."""
    cats = categories([dict(factor_item="laptop", default_lifetime_years=4.0, lifetime_low_years=3.0,
                            lifetime_high_years=6.0, default_power_w=25.0, default_hours_per_day=8.0,
                            default_days_per_year=200.0)])
    row = {**VISIO_MIX, "mobile_share": 0.0, "tablet_share": 0.0, "computer_device": "laptop", "audience": "agents"}
    inputs = sv.build_inputs(pd.DataFrame([row]), factor_table(VALUES), categories=cats, hosting_kinds=KINDS, presets=PRESETS)
    assert central(inputs)["terminals_build"][0, 0] * 1000 == pytest.approx(134_700 / (4 * 200 * 8), rel=1e-12)


def test_server_and_storage_figures_come_from_their_own_categories():
    cats = categories([dict(factor_item="storage_array", default_lifetime_years=7.0, default_power_w=300.0),
                       dict(factor_item="server", default_lifetime_years=4.0, default_power_w=400.0)])
    inputs = sv.build_inputs(pd.DataFrame([VISIO_MIX]), factor_table(VALUES), categories=cats, hosting_kinds=KINDS,
                             devices=DEVICES, presets=PRESETS)
    assert (inputs.server_lifetime_years, inputs.server_power_w) == (4.0, 400.0)
    assert (inputs.storage_lifetime_years, inputs.storage_power_w) == (7.0, 300.0)


def test_server_without_category_lives_the_ademe_5_years():
    """ADEME data center.publicodes: 5 years, 367 W, when categories.csv has no ``server`` row."""
    cats = categories([dict(factor_item="laptop", default_lifetime_years=4.0, lifetime_low_years=3.0,
                            lifetime_high_years=6.0)])
    inputs = sv.build_inputs(pd.DataFrame([VISIO_MIX]), factor_table(VALUES), categories=cats, hosting_kinds=KINDS,
                             devices=DEVICES, presets=PRESETS)
    assert (inputs.server_lifetime_years, inputs.server_power_w) == (5.0, 367.0)


# ----------------------------------------------------------------------------------------------------------------
# resolving and parameter draws
# ----------------------------------------------------------------------------------------------------------------


def test_a_type_without_preset_takes_no_default():
    """With presets for websites only, a visio keeps its own figures: no functional unit, no default recorded,
    the SD video of the model (0.7 GB/h) since it names no quality."""
    presets = si.load_presets().loc[["website"]]
    row = {k: v for k, v in VISIO_MIX.items() if k != "video_quality"}
    out = sv.resolve_services(pd.DataFrame([row]), presets).iloc[0]
    assert pd.isna(out["functional_unit"]) and out["defaults_used"] == ""
    assert out["data_gb_per_unit"] == pytest.approx(0.7)


def test_resolving_a_resolved_table_gives_it_back():
    once = sv.resolve_services(pd.DataFrame([VISIO_MIX]), PRESETS)
    twice = sv.resolve_services(once, PRESETS)
    pd.testing.assert_frame_equal(twice, once)


def test_uniform_and_narrow_triangular_draws_are_their_inverse_cdf():
    """Inverse-CDF sampling in the one sampler: the CDF of each draw gives back the uniform number of its keyed
    stream. Uniform (1, 3): F(x) = (x − 1) / 2. Triangular low a = 1.0, mode c = 1.1, high b = 1.5 (a PUE: width
    0.5, below 1): F(x) = (x − a)² / ((b − a)(c − a)) up to the mode, 1 − (b − x)² / ((b − a)(b − c)) above it."""
    table = pd.DataFrame({"value": [2.0, 1.1], "low": [1.0, 1.0], "high": [3.0, 1.5],
                          "distribution": ["uniform", "triangular"], "stream": ["", ""]}, index=["a", "b"])
    draws = cf.seeded_parameter_draws(table, 1000, 11)
    u = {k: uncertainty.keyed_rng(11, k).random(1000) for k in ("a", "b")}
    np.testing.assert_allclose((draws["a"] - 1.0) / 2.0, u["a"], rtol=1e-12)
    x = draws["b"]
    cdf = np.where(x <= 1.1, (x - 1.0) ** 2 / (0.5 * 0.1), 1.0 - (1.5 - x) ** 2 / (0.5 * 0.4))
    np.testing.assert_allclose(cdf, u["b"], rtol=1e-9, atol=1e-12)


def test_lifetimes_and_pue_are_the_balance_draws():
    """Issue 19, one sampler: a hosting kind's PUE and a device category's lifetime are drawn on the balance's
    streams (``pue:<kind>``, ``lifetime:<category>``, split triangular with the default as median), so the services
    and the carbon balance see the very same draw of each; a device with no category keeps its own stream."""
    from helpers.model import carbon

    kinds = KINDS.assign(pue_low=1.2, pue_high=1.6)
    categories = pd.DataFrame({"category": ["laptop_cat"], "factor_item": ["laptop"], "default_lifetime_years": [5.0],
                               "lifetime_low_years": [3.0], "lifetime_high_years": [8.0]})
    inputs = sv.build_inputs(pd.DataFrame([VISIO_MIX]), factor_table(VALUES, 2.0), categories=categories,
                             hosting_kinds=kinds, presets=PRESETS)
    table = sv.parameter_table(inputs)
    seeded = cf.seeded_parameter_draws(table, 200, 9)
    balance = carbon.parameter_table(["lifetime:laptop_cat", "pue:ademe_streaming"], categories, kinds)
    multipliers = dict(zip(balance["param_id"], carbon.draw_parameters(balance, 200, 9)))
    np.testing.assert_allclose(5.0 / seeded["life:laptop"], multipliers["lifetime:laptop_cat"], rtol=1e-12)
    np.testing.assert_allclose((seeded["pue:kind:ademe_streaming"] - 1.0) / 0.3, multipliers["pue:ademe_streaming"],
                               rtol=1e-12)
    assert table.loc["life:smartphone", "stream"] == "life:smartphone"  # no category: its own stream
    own = uncertainty.keyed_draws("split_triangular", 2.5, 1.75, 3.75, 200, 9, "life:smartphone")
    np.testing.assert_array_equal(seeded["life:smartphone"], own)


def test_a_draw_does_not_depend_on_the_order_of_the_parameters():
    """Each parameter has its own keyed stream: reversing the table's rows changes no draw."""
    inputs = sv.build_inputs(pd.DataFrame([VISIO_MIX]), factor_table(VALUES, 2.0), categories=CATEGORIES,
                             hosting_kinds=KINDS.assign(pue_low=1.2, pue_high=1.6), presets=PRESETS)
    table = sv.parameter_table(inputs)
    forward, backward = cf.seeded_parameter_draws(table, 50, 3), cf.seeded_parameter_draws(table.iloc[::-1], 50, 3)
    assert forward.keys() == backward.keys()
    for name in forward:
        np.testing.assert_array_equal(forward[name], backward[name])


# ----------------------------------------------------------------------------------------------------------------
# sensitivity
# ----------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key,part", [("terminal_embodied", "terminals_build"), ("device_power", "terminals_use"),
                                      ("elec_user", "terminals_use"), ("network", "network"),
                                      ("dc_embodied", "datacentre_build"), ("elec_dc", "datacentre_use")])
def test_a_sensitivity_multiplier_scales_its_own_part_only(key, part):
    """``scale`` of :func:`evaluate`: doubling one multiplier doubles the part it belongs to (every part of this
    visio is positive), and leaves the other parts as they were."""
    base = central(visio_inputs(1.0))
    scaled = central(visio_inputs(1.0), scale={key: np.array([2.0])})
    for p in ("terminals_build", "terminals_use", "network", "datacentre_build", "datacentre_use"):
        assert base[p][0, 0] > 0
        assert scaled[p][0, 0] == pytest.approx(base[p][0, 0] * (2.0 if p == part else 1.0), rel=1e-12), p


def test_sensitivity_bounds_of_the_terminals_and_shares():
    """Factors at ×/÷2 (lognormal spread 2): the devices' construction varies ×0.5–×2. Smartphone share
    0.3 ± 0.2 = 0.1–0.5 (below 1 − 10 % tablets); mobile network share 0.5 ± 0.2 = 0.3–0.7."""
    b = sv.sensitivity_bounds(visio_inputs(2.0), 0)
    assert b["terminal_embodied"] == pytest.approx((0.5, 2.0), rel=1e-12)
    assert b["mobile_share"] == pytest.approx((0.1, 0.5), rel=1e-12)
    assert b["mobile_network_share"] == pytest.approx((0.3, 0.7), rel=1e-12)


def test_smartphone_share_swing_is_the_model_rerun_with_that_share():
    """The tornado's smartphone-share bars: at the low bound 0.1 the computers take 1 − 0.1 − 0.1 = 0.8, split half
    laptops half desktops as in the service ("mix"); the value is the model run on the service described with a
    10 % (resp. 50 %) smartphone share."""
    sens = sv.sensitivity(visio_inputs(2.0), seed=3, n_base=8).set_index("parameter")
    row = sens.loc["mobile_share"]
    assert (row["low_bound"], row["high_bound"]) == pytest.approx((0.1, 0.5))
    at_low = central(visio_inputs(2.0, mobile_share=0.1))["total"][0, 0] * 1000
    at_high = central(visio_inputs(2.0, mobile_share=0.5))["total"][0, 0] * 1000
    assert row["g_at_low"] == pytest.approx(at_low, rel=1e-12)
    assert row["g_at_high"] == pytest.approx(at_high, rel=1e-12)


def test_first_order_indices_are_clipped_to_one():
    """With 8 base samples (seed 14) the first-order estimator of the devices' construction exceeds 1 (sampling
    noise of a small design); the published index is clipped to 1, as the total index is."""
    inputs = visio_inputs(2.0)
    sens = sv.sensitivity(inputs, seed=14, n_base=8)
    names = list(sens["parameter"])  # the active parameters (every swing of this service is non-zero)
    bounds = sv.sensitivity_bounds(inputs, 0)
    active = [n for n in bounds if n in names]
    x = sv.saltelli_sample([bounds[n] for n in active], 8, 14)
    raw_s1, _ = sv.sobol_indices(sv.service_parts(inputs, 0, active, x)["total"], len(active))
    assert raw_s1[active.index("terminal_embodied")] > 1.0  # the case this test is about
    s1 = sens.set_index("parameter")["s1"]
    assert s1["terminal_embodied"] == 1.0
    assert s1.between(0.0, 1.0).all()


# ----------------------------------------------------------------------------------------------------------------
# scenarios
# ----------------------------------------------------------------------------------------------------------------

SCENARIO_SERVICES = pd.DataFrame([
    dict(service_id="w", name="W", type="website", annual_volume=1000, volume_unit="visits", page_weight_mb=2.0,
         hosting="ademe_streaming"),
    dict(service_id="s", name="S", type="storage", annual_volume=10, volume_unit="tb_years",
         hosting="ademe_streaming"),
    dict(service_id="z", name="Z", type="website", annual_volume=0, volume_unit="visits", page_weight_mb=2.0,
         hosting="ademe_streaming"),
])


def test_storage_purge_reduces_the_storage_services_only():
    """Purge 30 %: the storage service's 10 TB-years become 7, the websites' visits do not change."""
    out = sv.apply_scenario(SCENARIO_SERVICES, "storage_purge", reduction=0.3, presets=PRESETS).set_index("service_id")
    assert out.loc["s", "annual_volume"] == pytest.approx(7.0)
    assert out.loc["w", "annual_volume"] == 1000 and out.loc["z", "annual_volume"] == 0


def test_a_scenario_resolves_with_the_presets_it_is_given():
    presets = si.load_presets().copy()
    presets.loc["website", "functional_unit_fr"] = "une visite (préréglage du test)"
    out = sv.apply_scenario(SCENARIO_SERVICES, "page_weight", presets=presets).set_index("service_id")
    assert out.loc["w", "functional_unit"] == "une visite (préréglage du test)"


def test_a_service_without_emissions_has_no_relative_change():
    """A website of 0 visits a year emits 0 t: its change under a scenario is 0 t and 0 %, not a percentage of 0."""
    inputs = sv.build_inputs(SCENARIO_SERVICES, factor_table(VALUES), categories=CATEGORIES, hosting_kinds=KINDS,
                             presets=PRESETS)
    table = sv.scenario_table(inputs, PRESETS, scenarios=("page_weight",)).set_index("service_id")
    assert table.loc["z", "baseline_tco2e"] == 0.0 and table.loc["z", "change_tco2e"] == 0.0
    assert table.loc["z", "change_pct"] == 0.0
    assert table.loc["w", "change_pct"] < 0  # the other website does change


# ----------------------------------------------------------------------------------------------------------------
# reference checks: the library column
# ----------------------------------------------------------------------------------------------------------------



def library_column(changes: dict | None = None) -> np.ndarray:
    ref = sv.reference_checks(factor_table({**LIBRARY, **(changes or {})}), NO_CATEGORIES, PRESETS,
                              si.vintage_factor_table())
    return ref["model_library_g"].to_numpy(float)


def test_library_streaming_hour_counts_the_tv_of_ademe_s_mix():
    """ADEME's streaming hour is watched 70 % on a TV (``tv_display``, 8 years × 365 days × 3 h): adding 100 kg to
    the TV's construction adds 0.70 × 100,000 g / 8760 h = 7.991 g to the library's streaming hour and nothing to
    the visio and the email, which use no TV."""
    delta = library_column({("tv_display", "manufacturing"): 449.87}) - library_column()
    np.testing.assert_allclose(delta, [0.0, 0.0, 0.70 * 100_000 / (8 * 365 * 3)], rtol=1e-9, atol=1e-12)


def test_library_email_stores_on_the_library_storage_array():
    """The library column keeps the library's storage array (48 TB filled at 50 %, 5 years), not ADEME's unit: the
    email (1 MB, 1 recipient, 3 copies kept 10 years on both sides: 2 × 3 × 10 / 1024 GB-years) gains
    60/1024 × 100,000 g / (24,576 GB × 5 years) = 0.04768 g when the array's construction grows by 100 kg."""
    delta = library_column({("storage_array", "manufacturing"): 244.0}) - library_column()
    expected = 60 / 1024 * 100_000 / (48 * 1024 * 0.5 * 5)
    np.testing.assert_allclose(delta, [0.0, expected, 0.0], rtol=1e-9, atol=1e-12)
