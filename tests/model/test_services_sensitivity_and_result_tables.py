"""Services LCA, second pass: exact values behind the mutants that survived ``make mutate`` (issue 22).

Each test checks one documented behaviour of ``helpers.model.services`` against a value derived here by hand: the
sensitivity's device-time multiplier on a measured consumption, the drawn lifetimes and the storage construction
in :func:`helpers.model.services.evaluate`, the hosting table, the columns and intervals of the result tables, the SWD
comparison, the scenarios and the entry point of the action plan.

The result tables are checked on hand-made :class:`helpers.model.services.LcaResult` objects (central values and draws
written here), so each expected percentile is read off the draws directly.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from builders import services_closed_form as cf
from builders.services_inputs import (
    DEVICES,
    KINDS,
    VALUES,
    VISIO_MIX,
    categories,
    central,
    factor_table,
    fresh_memos,  # noqa: F401  (autouse: the services memos emptied around each test)
    visio_inputs,
)
from builders.services_results import GB_DEC, TWO, hand_result  # noqa: F401

from helpers.io import services_inputs as si
from helpers.io.factors import load_categories
from helpers.model import services as sv
from helpers.report import services as services_report
from helpers.run import services_section

#: the reference library's presets of the service types and its categories (what the study passes the model)
PRESETS = si.load_presets()
CATEGORIES = load_categories()

# ----------------------------------------------------------------------------------------------------------------
# hand-made results
# ----------------------------------------------------------------------------------------------------------------






def test_annual_interval_is_each_service_s_own_percentiles():
    """a: 10 units × (2.5, 97.5) = 25 and 975 kg a year; b: 1 × (1002.5, 1097.5), not a percentile of the two
    services' draws pooled."""
    an = hand_result(**TWO).annual()
    assert an["low"].tolist() == pytest.approx([25.0, 1002.5], rel=1e-12)
    assert an["high"].tolist() == pytest.approx([975.0, 1097.5], rel=1e-12)


def test_per_unit_table_is_indexed_by_service_id():
    pu = hand_result(**TWO).per_unit()
    assert pu.index.tolist() == ["a", "b"]
    assert pu.loc["b", "total"] == 1050.0


def test_lca_table_keeps_the_annual_units_column():
    assert sv.lca_table(hand_result(**TWO))["units_per_year"].tolist() == [10.0, 1.0]


def test_criteria_table_unit_of_an_unknown_criterion_is_empty_text():
    """``criteria_units`` knows climate change (kgCO2e), not ``zz_other``: its unit is '' (an empty cell)."""
    table = sv.criteria_table(hand_result(**TWO, criteria=("climate_change", "zz_other")))
    units = dict(zip(table["criterion"], table["unit"]))
    assert units == {"climate_change": "kgCO2e", "zz_other": ""}


def test_study_summary_says_whether_rgesn_answers_were_given():
    study = services_section.ServicesSection(available=True, services=pd.DataFrame(), result=hand_result(**TWO),
                             rgesn_provided=False)
    out = study.summary()
    assert out["rgesn_provided"] is False and out["provided"] is True


# ----------------------------------------------------------------------------------------------------------------
# SWD comparison
# ----------------------------------------------------------------------------------------------------------------



def test_swd_embodied_part_is_the_three_embodied_segments_at_494_g_per_kwh():
    """SWD v4 embodied kWh/GB: data centre 0.012 + network 0.013 + device 0.081 = 0.106, at 494 g/kWh."""
    swd = sv.swd_comparison(hand_result(**TWO))
    assert swd["swd_embodied_g"].tolist() == pytest.approx([GB_DEC * 0.106 * 494.0] * 2, rel=1e-12)


def test_swd_french_variant_is_empty_without_the_users_electricity_factor():
    """No ``electricity_fr:use:climate_change`` in the library: the French variant cannot be computed (NaN), the
    global one still is: 0.002147… GB × (0.055 + 0.059 + 0.08 + 0.106) kWh/GB × 494 g/kWh."""
    factors = factor_table({k: v for k, v in VALUES.items() if k[0] != "electricity_fr"})
    swd = sv.swd_comparison(hand_result(**TWO, factors=factors))
    assert swd["swd_fr_g"].isna().all()
    assert swd["swd_global_g"].tolist() == pytest.approx([GB_DEC * 0.3 * 494.0] * 2, rel=1e-12)


# ----------------------------------------------------------------------------------------------------------------
# evaluate and the sensitivity's reruns
# ----------------------------------------------------------------------------------------------------------------


def test_device_time_multiplier_also_scales_a_measured_consumption():
    """A visio measured at 1 Wh per minute: 60 min × 1 Wh = 0.06 kWh per hour, 0.06 × 0.0569 kg of electricity.
    Twice the device time doubles the construction and that measured consumption (0.12 kWh)."""
    inputs = visio_inputs(1.0, device_wh_per_minute=1.0)
    c = central(inputs)
    assert c["terminals_use"][0, 0] == pytest.approx(0.06 * 0.0569, rel=1e-12)
    doubled = sv.service_parts(inputs, 0, ["device_hours"], np.array([[2.0]]))["total"][0]
    assert doubled == pytest.approx(c["total"][0, 0] + c["terminals_build"][0, 0] + 0.06 * 0.0569, rel=1e-12)


def test_a_drawn_device_lifetime_replaces_the_table_s():
    """A laptop drawn at 12 years (table: 6): 134.7 kg / (12 × 365 × 3 h) per hour of visio on a laptop."""
    inputs = visio_inputs(1.0, mobile_share=0.0, tablet_share=0.0, computer_device="laptop")
    values = cf.central_parameters(sv.parameter_table(inputs))
    values["life:laptop"] = np.array([12.0])
    build = cf.evaluate(inputs, values, ("climate_change",))["climate_change"]["terminals_build"][0, 0]
    assert build == pytest.approx(134.7 / (12 * 365 * 3), rel=1e-12)


def test_data_centre_construction_multiplier_scales_the_storage_array_too():
    """1 GB stored for a year, 3 replicas (preset), on the 144 kg array of 12 × 4 TB filled at 50 % over 5 years:
    3 × 144 / (24,576 GB × 5) kg; twice the data-centre construction doubles it."""
    svc = pd.DataFrame([dict(service_id="s", name="S", type="storage", annual_volume=10, volume_unit="tb_years",
                             hosting="ademe_streaming")])
    inputs = sv.build_inputs(svc, factor_table(VALUES), categories=categories([]), hosting_kinds=KINDS,
                             devices=DEVICES, presets=PRESETS)
    build = central(inputs, scale={"dc_embodied": np.array([2.0])})["datacentre_build"][0, 0]
    assert build == pytest.approx(2 * 3 * 144.0 / (24_576.0 * 5), rel=1e-12)


def test_device_time_swing_is_the_terminals_part():
    """Device time from ×0.5 to ×1.5 moves the terminals (construction and electricity, no measured kWh) by once
    their central value; the published swing is that difference in grams."""
    inputs = visio_inputs(2.0)
    terminals_g = central(inputs)["terminals"][0, 0] * 1000
    row = sv.sensitivity(inputs, seed=3, n_base=8).set_index("parameter").loc["device_hours"]
    assert row["swing_g"] == pytest.approx(terminals_g, rel=1e-9)


def test_sensitivity_bounds_of_the_data_are_half_to_one_and_a_half():
    """The stated assumption: device time and data ×0.5–×1.5."""
    b = sv.sensitivity_bounds(visio_inputs(2.0), 0)
    assert b["data_gb"] == (0.5, 1.5)
    assert b["device_hours"] == (0.5, 1.5)


# ----------------------------------------------------------------------------------------------------------------
# inputs: hosting, categories, draws, resolving
# ----------------------------------------------------------------------------------------------------------------

SITES = pd.DataFrame({"site_id": ["dc1"], "kind": ["ademe_streaming"], "pue": [1.5], "electricity_item": [np.nan]})


def test_hosting_table_is_aligned_with_the_services_index():
    resolved = pd.DataFrame({"hosting": ["ademe_streaming", "dc1"]}, index=[7, 9])
    out = sv.hosting_parameters(resolved, KINDS, SITES)
    assert out.index.tolist() == [7, 9]


def test_a_site_s_hosting_row_names_the_site_s_kind():
    """Site dc1 of kind ademe_streaming with a measured PUE of 1.5 and no electricity item of its own."""
    out = sv.hosting_parameters(pd.DataFrame({"hosting": ["dc1"]}), KINDS, SITES).iloc[0]
    assert (out["kind"], out["pue"], out["pue_key"], out["electricity_item"]) == (
        "ademe_streaming", 1.5, "site:dc1", "electricity_fr")


def test_categories_without_factor_items_leave_the_ademe_server_and_storage():
    """A categories table that names no ``factor_item``: server 5 years, 367 W; storage array 5 years, 250 W."""
    inputs = sv.build_inputs(pd.DataFrame([VISIO_MIX]), factor_table(VALUES),
                             categories=pd.DataFrame({"category": ["laptop"]}), hosting_kinds=KINDS,
                             devices=DEVICES, presets=PRESETS)
    assert (inputs.server_lifetime_years, inputs.server_power_w) == (5.0, 367.0)
    assert (inputs.storage_lifetime_years, inputs.storage_power_w) == (5.0, 250.0)


def test_drawing_a_fixed_parameter_warns_of_nothing():
    """A parameter fixed at 1 (low = high) stays 1 in every draw, without a floating-point warning (its zero-width
    interval is a division 0 / 0 the draw does not use)."""
    table = pd.DataFrame({"value": [1.0, 2.0], "low": [1.0, 1.0], "high": [1.0, 3.0],
                          "distribution": ["none", "triangular"], "stream": ["", ""]}, index=["fixed", "tri"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = cf.seeded_parameter_draws(table, 4, 0)
    assert out["fixed"].tolist() == [1.0] * 4


def test_a_column_added_while_resolving_is_known_to_the_lazy_columns():
    cols = sv._Columns(pd.DataFrame({"a": [1.0]}))
    cols["b"] = pd.Series([2.0])
    assert "b" in cols and "a" in cols and "c" not in cols


# ----------------------------------------------------------------------------------------------------------------
# scenarios and the action plan's entry point
# ----------------------------------------------------------------------------------------------------------------

WEBSITE = dict(service_id="w", name="W", type="website", annual_volume=1000, volume_unit="visits",
               hosting="ademe_streaming")


def test_lazy_loading_reduces_a_measured_gb_per_visit():
    """Lazy loading 30 %: a website measured at 0.01 GB per visit now transfers 0.007 GB."""
    out = sv.apply_scenario(pd.DataFrame([{**WEBSITE, "gb_per_unit": 0.01}]), "lazy_loading", presets=PRESETS).iloc[0]
    assert out["gb_per_unit"] == pytest.approx(0.007, rel=1e-12)
    assert out["data_gb_per_unit"] == pytest.approx(0.007, rel=1e-12)


def test_a_scenario_table_names_its_scenario():
    """A scenario's table is recorded under the scenario's name; a scenario has one name (issue 37: the old aliases
    such as ``camera_off`` are gone, the lever ``visio_audio_only`` names it)."""
    out = sv.apply_scenario(pd.DataFrame([VISIO_MIX]), "visio_audio_only", presets=PRESETS)
    assert out["scenario"].tolist() == ["visio_audio_only"]
    with pytest.raises(ValueError, match="unknown scenario 'camera_off'"):
        sv.apply_scenario(pd.DataFrame([VISIO_MIX]), "camera_off", presets=PRESETS)


def test_annual_tco2e_resolves_with_the_presets_it_is_given():
    """Presets giving websites 4 MB pages: a website without a page weight is the same website with 4 MB written
    (the reference presets say 2 MB)."""
    presets = si.load_presets().copy()
    presets.loc["website", "page_weight_mb"] = 4.0
    kw = dict(factors=factor_table(VALUES), categories=CATEGORIES, hosting_kinds=KINDS, presets=presets)
    default = sv.annual_tco2e(sv.build_inputs(pd.DataFrame([WEBSITE]), **kw))
    written = sv.annual_tco2e(sv.build_inputs(pd.DataFrame([{**WEBSITE, "page_weight_mb": 4.0}]), **kw))
    assert default["w"] == pytest.approx(written["w"], rel=1e-12)


def test_annual_tco2e_is_a_named_series_by_service():
    out = sv.annual_tco2e(sv.build_inputs(pd.DataFrame([WEBSITE]), factor_table(VALUES), categories=CATEGORIES,
                                          hosting_kinds=KINDS, presets=PRESETS))
    assert out.name == "annual_tco2e" and out.index.tolist() == ["w"]


# ----------------------------------------------------------------------------------------------------------------
# figures
# ----------------------------------------------------------------------------------------------------------------


def test_per_unit_figure_label_wraps_at_the_width_asked():
    """52 characters: the 60-character label breaks after 'démarche' (the default 70 would keep one line)."""
    label = "Portail de demandes d'actes en ligne (une démarche en ligne)"
    assert services_report._wrap_label(label, 52) == "Portail de demandes d'actes en ligne (une démarche\nen ligne)"
