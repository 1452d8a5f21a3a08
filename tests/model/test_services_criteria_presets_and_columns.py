"""Services LCA, fourth pass: exact values behind the mutants that survived the 2 December post-move mutation run
(``make mutate`` after the move of the package to ``src/helpers/``).

Each test checks one documented behaviour of ``helpers.model.services`` against a value derived here by hand on a
small hand-made input: the order of the criteria, the text presets and the index of a resolved table, the server
category read with a zero, the criteria :func:`helpers.model.services.evaluate` is asked for and the items it reports
missing, the keyed draws of a table without streams, the columns of the activity rows and of the sensitivity table,
the sensitivity's bounds, smartphone-share rerun and single active parameter, the scenarios (lazy loading and the
Wi-Fi switch on empty shares, the video-quality error, the presets of the scenario table), the SWD comparison's
columns and the reference checks (ADEME-vintage email, the library's laptop).

Each test names, in a comment, the mutant(s) it kills.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from builders import services_closed_form as cf
from builders.services_inputs import (
    DEVICES,
    KINDS,
    LIBRARY,
    NO_CATEGORIES,
    VALUES,
    VISIO_MIX,
    categories,
    central,
    factor_table,
    fresh_memos,  # noqa: F401  (autouse: the services memos emptied around each test)
    visio_inputs,
)
from builders.services_results import GB_DEC, TWO, hand_result

from helpers.io import services_inputs as si
from helpers.io.factors import load_categories
from helpers.model import services as sv
from helpers.model import uncertainty
from helpers.report import services as services_report

#: the reference library's presets of the service types and its categories (what the study passes the model)
PRESETS = si.load_presets()
CATEGORIES = load_categories()

# ----------------------------------------------------------------------------------------------------------------
# criteria, categories, resolving
# ----------------------------------------------------------------------------------------------------------------


def test_acidification_comes_before_water_in_the_criteria_order():
    """The documented order lists particulate matter, acidification, then water: a factor table giving them as
    water, acidification, particulate matter is reordered to particulate matter, acidification, water."""
    # kills xǁServiceInputsǁ__post_init____mutmut_18
    f = pd.concat([factor_table({("laptop", "manufacturing"): 1.0}, criterion=c)
                   for c in ("water", "acidification", "particulate_matter")])
    inputs = sv.ServiceInputs(resolved=pd.DataFrame(), devices=DEVICES, hosting=pd.DataFrame(), factors=f)
    assert inputs.criteria == ("particulate_matter", "acidification", "water")


def test_a_server_category_of_zero_years_and_zero_watts_leaves_the_ademe_server():
    """A ``server`` category whose lifetime and power are 0 (not a usable figure): the server keeps ADEME's
    5 years and 367 W, as when the figure is empty."""
    # kills x_build_inputs__mutmut_42
    cats = categories([dict(factor_item="server", default_lifetime_years=0.0, default_power_w=0.0)])
    inputs = sv.build_inputs(pd.DataFrame([VISIO_MIX]), factor_table(VALUES), categories=cats, hosting_kinds=KINDS,
                             devices=DEVICES, presets=PRESETS)
    assert (inputs.server_lifetime_years, inputs.server_power_w) == (5.0, 367.0)


def test_text_figures_left_empty_take_the_preset_of_their_type():
    """Presets giving streaming 4K video and email desktops: a streaming service without a quality transfers
    7 GB per hour (ADEME 4K, not the SD fallback of 0.7); an email with 20 % smartphones and 10 % tablets and no
    computer named puts the remaining 70 % on desktops, none on laptops; both defaults are recorded."""
    # kills x__resolve__mutmut_93
    presets = si.load_presets().copy()
    presets.loc["streaming", "video_quality"] = "4k"
    presets.loc["email", "computer_device"] = "desktop"
    rows = pd.DataFrame([
        dict(service_id="st", name="St", type="streaming", annual_volume=10, volume_unit="hours", audio_share=0.0,
             hosting="ademe_streaming"),
        dict(service_id="em", name="Em", type="email", annual_volume=10, volume_unit="messages", mobile_share=0.2,
             tablet_share=0.1, hosting="ademe_streaming"),
    ])
    out = sv.resolve_services(rows, presets).set_index("service_id")
    assert out.loc["st", "data_gb_per_unit"] == pytest.approx(7.0, rel=1e-12)
    assert "video_quality" in out.loc["st", "defaults_used"].split(";")
    assert out.loc["em", "share_desktop"] == pytest.approx(0.7, rel=1e-12)
    assert out.loc["em", "share_laptop"] == 0.0
    assert "computer_device" in out.loc["em", "defaults_used"].split(";")


def test_drivers_of_a_resolved_table_keep_the_services_own_index():
    """A services table indexed 7 and 9 (rows of a larger table): the drivers are written on those rows. Visio:
    5000 participant-hours a year, 0.7 GB per hour (SD); website: 1000 visits of 3 pages of 2 MB each fully
    loaded = 6 / 1024 GB per visit."""
    # kills x__resolve__mutmut_548
    web = dict(service_id="w", name="W", type="website", annual_volume=1000, volume_unit="visits",
               page_weight_mb=2.0, pages_per_visit=3, loaded_share=1.0, hosting="ademe_streaming")
    out = sv.resolve_services(pd.DataFrame([VISIO_MIX, web], index=[7, 9]), PRESETS)
    assert out.index.tolist() == [7, 9]
    assert out["units_per_year"].tolist() == [5000.0, 1000.0]
    assert out["data_gb_per_unit"].tolist() == pytest.approx([0.7, 6 / 1024], rel=1e-12)


# ----------------------------------------------------------------------------------------------------------------
# evaluate, draws, activity rows
# ----------------------------------------------------------------------------------------------------------------


def test_evaluate_computes_only_the_criteria_it_is_asked_for():
    """A library with climate change and water factors: asked for water only, :func:`evaluate` returns water
    only (the visio's laptop share 0.3 × 1 h × 134.7 / (6 × 365 × 3) of construction, same numbers in water)."""
    # kills x_evaluate__mutmut_3
    f = pd.concat([factor_table(VALUES), factor_table(VALUES, criterion="water")], ignore_index=True)
    inputs = sv.build_inputs(pd.DataFrame([VISIO_MIX]), f, categories=CATEGORIES, hosting_kinds=KINDS, devices=DEVICES, presets=PRESETS)
    assert inputs.criteria == ("climate_change", "water")
    out = cf.evaluate(inputs, cf.central_parameters(sv.parameter_table(inputs)), ("water",))
    assert list(out) == ["water"]


def test_an_email_lacking_its_laptop_factor_reports_it_though_it_also_stores_mail():
    """An email (1 MB, 1 recipient, 3 copies kept 10 years) read and written on laptops only, with no laptop factor
    in the library: the laptop is its missing item, also reported when the email needs storage (GB-years > 0),
    whose array and electricity do have factors."""
    # kills x_evaluate__mutmut_463
    row = dict(service_id="e", name="E", type="email", annual_volume=100, volume_unit="messages", recipients=1,
               message_mb=1.0, retention_years=10, replicas=3, mobile_share=0.0, tablet_share=0.0,
               computer_device="laptop", hosting="ademe_streaming")
    values = {k: v for k, v in VALUES.items() if k[0] != "laptop"}
    inputs = sv.build_inputs(pd.DataFrame([row]), factor_table(values), categories=NO_CATEGORIES,
                             hosting_kinds=KINDS, devices=DEVICES, presets=PRESETS)
    assert inputs.resolved["storage_gb_years_per_unit"].iat[0] == pytest.approx(2 * 3 * 10 / 1024, rel=1e-12)
    assert central(inputs)["missing"] == [{"laptop"}]


def test_a_table_without_streams_draws_each_parameter_on_its_own_name():
    """No ``stream`` column: parameter ``a`` uniform on (1, 3) is drawn on the stream ``a`` of the seed, so its
    CDF (x − 1) / 2 gives back that stream's uniform numbers."""
    # kills x_seeded_parameter_draws__mutmut_3, x_seeded_parameter_draws__mutmut_10
    table = pd.DataFrame({"value": [2.0], "low": [1.0], "high": [3.0], "distribution": ["uniform"]}, index=["a"])
    draws = cf.seeded_parameter_draws(table, 50, 11)
    np.testing.assert_allclose((draws["a"] - 1.0) / 2.0, uncertainty.keyed_rng(11, "a").random(50), rtol=1e-12)


def test_activity_rows_have_the_documented_columns_only():
    # kills x_activity_rows__mutmut_383, x_activity_rows__mutmut_388
    rows, _ = sv.activity_rows(visio_inputs(1.0))
    assert rows.columns.tolist() == ["service", "part", "item", "factor_phase", "activity", "quantity_param",
                                     "lifetime_param", "extra_param"]
    assert rows.index.tolist() == list(range(len(rows)))


# ----------------------------------------------------------------------------------------------------------------
# sensitivity
# ----------------------------------------------------------------------------------------------------------------

STORAGE = dict(service_id="s", name="S", type="storage", annual_volume=10, volume_unit="tb_years",
               hosting="ademe_streaming")


def storage_inputs() -> sv.ServiceInputs:
    """1 GB stored a year, no uncertainty on any factor, PUE or lifetime: the storage per unit (×0.5–×2) is the
    only parameter that moves the result (no device time, no data, no server time)."""
    return sv.build_inputs(pd.DataFrame([STORAGE]), factor_table(VALUES), categories=NO_CATEGORIES,
                           hosting_kinds=KINDS, devices=DEVICES, presets=PRESETS)


def test_a_parameter_without_any_factor_has_the_null_range_one_to_one():
    """A library without network factors: the network multiplier's range is (1, 1) (nothing to vary)."""
    # kills x__ratio__mutmut_3
    values = {k: v for k, v in VALUES.items() if not k[0].startswith("network")}
    inputs = sv.build_inputs(pd.DataFrame([VISIO_MIX]), factor_table(values, 2.0), categories=CATEGORIES,
                             hosting_kinds=KINDS, devices=DEVICES, presets=PRESETS)
    assert sv.sensitivity_bounds(inputs, 0)["network"] == (1.0, 1.0)


def test_network_range_weighs_the_fixed_and_the_mobile_factors():
    """Fixed network F = 0.0092693467 kg/GB known to ×/÷2, mobile network M = 0.02468 kg/GB exact: the network
    multiplier ranges over (F/2 + M) / (F + M) to (2F + M) / (F + M)."""
    # kills x_sensitivity_bounds__mutmut_113
    f = factor_table(VALUES)
    fixed = f["item"] == "network_fixed_fr"
    f.loc[fixed, "low"] = f.loc[fixed, "value"] / 2
    f.loc[fixed, "high"] = f.loc[fixed, "value"] * 2
    f.loc[fixed, "distribution"] = "lognormal"
    inputs = sv.build_inputs(pd.DataFrame([VISIO_MIX]), f, categories=CATEGORIES, hosting_kinds=KINDS, devices=DEVICES, presets=PRESETS)
    F, M = 0.0092693467, 0.02468
    assert sv.sensitivity_bounds(inputs, 0)["network"] == pytest.approx(((F / 2 + M) / (F + M),
                                                                         (2 * F + M) / (F + M)), rel=1e-12)


def test_a_service_with_one_active_parameter_gives_it_all_the_variance():
    """The storage service: its only active parameter, the storage per unit, has first-order and total indices 1;
    its swing from ×0.5 to ×2 is 1.5 times the central value (the whole impact is per GB-year)."""
    # kills x_sensitivity__mutmut_134
    sens = sv.sensitivity(storage_inputs(), seed=3, n_base=8)
    assert sens["parameter"].tolist() == ["storage"]
    row = sens.iloc[0]
    assert (row["s1"], row["st"]) == (1.0, 1.0)
    assert row["swing_g"] == pytest.approx(1.5 * row["base_g"], rel=1e-9)


def test_sensitivity_table_has_the_documented_columns_only():
    # kills x_sensitivity__mutmut_221
    sens = sv.sensitivity(storage_inputs(), seed=3, n_base=8)
    assert sens.columns.tolist() == ["service_id", "parameter", "low_bound", "high_bound", "base_g",
                                     "g_at_low", "g_at_high", "swing_g", "s1", "st"]
    published = services_report.labelled_sensitivity(sens)  # the French name is the report's
    assert published.columns.tolist() == ["service_id", "parameter", "label_fr", "low_bound", "high_bound", "base_g",
                                          "g_at_low", "g_at_high", "swing_g", "s1", "st"]


def test_smartphone_share_low_bound_moves_the_freed_share_to_the_laptop_of_an_all_mobile_service():
    """A visio on 80 % smartphones and 20 % tablets (no computer), laptops named, no mobile network: the smartphone
    share ranges 0.6–0.8. At 0.6 the freed 0.2 goes to laptops (the service's computer), so per hour the result
    gains 0.2 × (laptop − smartphone), each device being construction / (lifetime × 365 × 3 h) plus W / 1000 ×
    0.0569 kg/kWh: laptop 134.7 kg, 6 years, 25 W; smartphone 26.239 kg, 2.5 years, 5.6 W. The network and the data
    centre do not change (no mobile network, same data and server time)."""
    # kills x__evaluate_one__mutmut_71
    inputs = visio_inputs(1.0, mobile_share=0.8, tablet_share=0.2, mobile_network_share=0.0,
                          computer_device="laptop")
    row = sv.sensitivity(inputs, seed=3, n_base=8).set_index("parameter").loc["mobile_share"]
    assert (row["low_bound"], row["high_bound"]) == pytest.approx((0.6, 0.8), rel=1e-12)
    laptop_g = 134_700 / (6 * 365 * 3) + 25 / 1000 * 56.9
    smartphone_g = 26_239 / (2.5 * 365 * 3) + 5.6 / 1000 * 56.9
    assert row["g_at_high"] == pytest.approx(row["base_g"], rel=1e-12)
    assert row["g_at_low"] - row["base_g"] == pytest.approx(0.2 * (laptop_g - smartphone_g), rel=1e-9)


# ----------------------------------------------------------------------------------------------------------------
# scenarios
# ----------------------------------------------------------------------------------------------------------------

WEBSITE = dict(service_id="w", name="W", type="website", annual_volume=1000, volume_unit="visits",
               page_weight_mb=2.0, pages_per_visit=1, hosting="ademe_streaming")


def test_lazy_loading_of_a_page_without_loaded_share_loads_70_percent_of_it():
    """Presets that leave the loaded share empty: an empty share is a full page (1), so lazy loading at 30 %
    loads 0.7 of the 2 MB page: 1.4 / 1024 GB per visit."""
    # kills x_apply_scenario__mutmut_126
    presets = si.load_presets().copy()
    presets.loc["website", "loaded_share"] = np.nan
    out = sv.apply_scenario(pd.DataFrame([WEBSITE]), "lazy_loading", presets=presets).iloc[0]
    assert out["loaded_share"] == pytest.approx(0.7, rel=1e-12)
    assert out["data_gb_per_unit"] == pytest.approx(1.4 / 1024, rel=1e-12)


def test_wifi_switch_writes_no_mobile_network_for_an_empty_share():
    """Presets that leave the mobile network share empty: after the switch to Wi-Fi the service's share is 0
    (an empty share is read as no mobile network; 0 × 0.5 = 0), written as such in the scenario's table."""
    # kills x_apply_scenario__mutmut_225
    presets = si.load_presets().copy()
    presets.loc["website", "mobile_network_share"] = np.nan
    out = sv.apply_scenario(pd.DataFrame([WEBSITE]), "mobile_to_wifi", presets=presets).iloc[0]
    assert out["mobile_network_share"] == 0.0


def test_unknown_video_quality_error_names_the_known_qualities():
    # kills x_apply_scenario__mutmut_148
    with pytest.raises(ValueError, match=r"quality must be one of \('audio', 'sd', 'hd', '4k'\)"):
        sv.apply_scenario(pd.DataFrame([VISIO_MIX]), "video_quality", quality="8k", presets=PRESETS)


def test_scenario_table_resolves_the_scenario_with_the_presets_it_is_given():
    """Presets giving websites 4 MB pages (the reference file: 2 MB), a website with no page weight and no device
    time: its whole impact is proportional to the data (network and server time per GB), so halving the page
    weight halves it: −50 % (4 → 2 MB), not −75 % (the reference file's 2 MB halved, against a 4 MB baseline)."""
    # kills x_scenario_table__mutmut_19
    presets = si.load_presets().copy()
    presets.loc["website", "page_weight_mb"] = 4.0
    site = {k: v for k, v in WEBSITE.items() if k != "page_weight_mb"} | {"minutes_per_visit": 0.0}
    inputs = sv.build_inputs(pd.DataFrame([site]), factor_table(VALUES), categories=NO_CATEGORIES,
                             hosting_kinds=KINDS, presets=presets)
    table = sv.scenario_table(inputs, presets, scenarios=("page_weight",)).iloc[0]
    assert table["baseline_tco2e"] > 0
    assert table["change_pct"] == pytest.approx(-50.0, rel=1e-9)
    assert table["scenario_tco2e"] == pytest.approx(table["baseline_tco2e"] / 2, rel=1e-9)


# ----------------------------------------------------------------------------------------------------------------
# SWD comparison
# ----------------------------------------------------------------------------------------------------------------


def test_swd_comparison_names_its_services():
    # kills x_swd_comparison__mutmut_78
    assert sv.swd_comparison(hand_result(**TWO))["service_id"].tolist() == ["a", "b"]


def test_swd_french_operational_part_is_the_three_operational_segments_at_the_french_factor():
    """Users' and hosting's electricity both ``electricity_fr`` (56.9 g/kWh): 0.002147… GB × (data centre 0.055 +
    network 0.059 + device 0.080) kWh/GB × 56.9 g/kWh."""
    # kills x_swd_comparison__mutmut_102
    swd = sv.swd_comparison(hand_result(**TWO))
    assert swd["swd_fr_operational_g"].tolist() == pytest.approx([GB_DEC * 0.194 * 56.9] * 2, rel=1e-12)


# ----------------------------------------------------------------------------------------------------------------
# reference checks
# ----------------------------------------------------------------------------------------------------------------


def test_vintage_email_is_the_hand_computed_ademe_email():
    """The ADEME-vintage email (1 MB to 1 recipient, 3 copies kept 10 years on each side, PUE 1.16, 0.0569 kg/kWh):

    - device time (3 min + 10 s) / 60 h on ADEME's mix 45 % smartphones, 8 % tablets, 24 % laptops, 24 % desktops
      (3 h/day): construction 26.239 kg / 2.5 years, 44.5 / 3, 134.7 / 6, 416.92 / 6; power 5.6, 15, 25, 80 W;
    - network: 2 × 1/1024 GB (upload + download) on the fixed network, 0.0092693467 kg/GB;
    - server: 2 sides × 24 h × 0.22 W / (367 W × 117.7 emails) hours, 748 kg × (1 + network gear and room) over
      5 years × 8760 h, 367 W;
    - storage: 2 × 3 × 10 / 1024 GB-years on ADEME's unit (144 kg, 3.5524 × 1024 GB filled at 50 %, 6 W) over
      5 years.
    """
    # kills x__reference_totals_g__mutmut_27
    hours = (3 + 10 / 60) / 60
    mix = [(0.45, 26.239, 2.5, 5.6), (0.08, 44.5, 3.0, 15.0), (0.24, 134.7, 6.0, 25.0), (0.24, 416.92, 6.0, 80.0)]
    build_t = hours * sum(s * kg / (life * 365 * 3) for s, kg, life, _ in mix)
    use_t = hours * sum(s * w for s, _, _, w in mix) / 1000 * 0.0569
    net = 2 / 1024 * 0.0092693467
    server_h = 2 * 24 * 0.22 / (367 * 117.7)
    gb_years = 2 * 3 * 10 / 1024
    usable_gb = 3.5524 * 1024 * 0.5
    gear_kg = 0.0358 * 355 + 1.468 * 367 + 0.286 * 41.2 + 0.68 * 187 * 5 / 25
    build_d = server_h * (748 + gear_kg) / (5 * 8760) + gb_years * 144 / (usable_gb * 5)
    it_kwh = server_h * 367 / 1000 + gb_years * 6 * 8760 / usable_gb / 1000
    use_d = it_kwh * 1.16 * 0.0569
    expected_g = (build_t + use_t + net + build_d + use_d) * 1000
    ref = sv.reference_checks(factor_table(LIBRARY), NO_CATEGORIES, PRESETS, si.vintage_factor_table())
    assert ref["model_ademe_vintage_g"].iat[1] == pytest.approx(expected_g, rel=1e-9)


def test_library_column_counts_the_laptops_of_the_module_s_device_table():
    """The library column uses the module's devices (laptop: 5 years, 3 h/day) beside the TV: adding 100 kg to the
    laptop's construction adds 100,000 g / (5 × 365 × 3 h) per laptop hour: × 2 devices × 1 h for the visio on
    laptops, × 0.24 × (3 min + 10 s) / 60 h for the email's mix, × 0.15 × 1 h for the streaming's mix."""
    # kills x_reference_checks__mutmut_9
    def library(laptop_kg):
        ref = sv.reference_checks(factor_table({**LIBRARY, ("laptop", "manufacturing"): laptop_kg}), NO_CATEGORIES,
                                  PRESETS, si.vintage_factor_table())
        return ref["model_library_g"].to_numpy(float)

    per_hour = 100_000 / (5 * 365 * 3)
    delta = library(234.7) - library(134.7)
    np.testing.assert_allclose(delta, [2 * per_hour, 0.24 * (3 + 10 / 60) / 60 * per_hour, 0.15 * per_hour],
                               rtol=1e-9)
