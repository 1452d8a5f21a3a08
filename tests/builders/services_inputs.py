"""Builders shared by the tests (moved from ``test_services_lifetimes_draws_and_scenarios``, issue 37: no test file imports another)."""
from __future__ import annotations

import pandas as pd
import pytest

from builders import services_closed_form as cf
from helpers.io import services_inputs as si
from helpers.io.factors import load_categories
from helpers.model import services as sv

#: the reference library's presets of the service types and its categories (what the study passes the model)
PRESETS = si.load_presets()


CATEGORIES = load_categories()


@pytest.fixture(autouse=True)
def fresh_memos():
    memos = (sv._RESOLVED,)
    for m in memos:
        m.clear()
    yield
    for m in memos:
        m.clear()


KINDS = pd.DataFrame({
    "kind": ["ademe_streaming"], "label_fr": ["ADEME streaming"], "default_pue": [1.3], "pue_low": [1.3],
    "pue_high": [1.3], "electricity_item": ["electricity_fr"], "source": ["test"],
})


#: ADEME acv-terminaux@d13a17e4 devices (lifetime, 3 h/day, active power), no lifetime interval
DEVICES = pd.DataFrame({
    "device": ["smartphone", "tablet", "laptop", "desktop"],
    "items": [("smartphone",), ("tablet",), ("laptop",), ("desktop",)],
    "lifetime_years": [2.5, 3.0, 6.0, 6.0], "lifetime_low_years": [2.5, 3.0, 6.0, 6.0],
    "lifetime_high_years": [2.5, 3.0, 6.0, 6.0], "hours_per_day": [3.0] * 4, "power_w": [5.6, 15.0, 25.0, 80.0],
    "label_fr": ["s", "t", "l", "d"],
}).set_index("device")


#: kgCO2e per unit / kWh / GB (the impactco2 vintage of ADEME, as in tests/model/test_services.py)
VALUES = {("smartphone", "manufacturing"): 26.239, ("tablet", "manufacturing"): 44.5,
          ("laptop", "manufacturing"): 134.7, ("desktop", "manufacturing"): 416.92,
          ("electricity_fr", "use"): 0.0569, ("network_fixed_fr", "use"): 0.0092693467,
          ("network_mobile_fr", "use"): 0.02468, ("server", "manufacturing"): 748.0,
          ("storage_array", "manufacturing"): 144.0}


def factor_table(values: dict, spread: float = 1.0, criterion: str = "climate_change") -> pd.DataFrame:
    """One factor per (item, phase); ``spread`` > 1 gives the lognormal interval [value / spread, value × spread]."""
    rows = []
    for (item, phase), v in values.items():
        act = "kwh" if item.startswith("electricity") else "gb" if item.startswith("network") else "unit"
        rows.append({"factor_id": f"{item}:{phase}:{criterion}", "item": item, "phase": phase,
                     "criterion": criterion, "value": v, "unit": f"kgCO2e/{act}", "activity_unit": act,
                     "low": v / spread, "high": v * spread, "distribution": "lognormal" if spread > 1 else "none",
                     "source": "test", "vintage": "test", "status": "sourced", "note": ""})
    return pd.DataFrame(rows)


#: one hour of visio for 2 participants on a device mix: 30 % smartphones, 10 % tablets, the remaining 60 %
#: on computers half laptops half desktops ("mix"), half of the smartphones' traffic on the mobile network
VISIO_MIX = dict(service_id="v", name="Visio", type="visio", annual_volume=5000, volume_unit="participant_hours",
                 video_quality="sd", participants=2, mobile_share=0.3, tablet_share=0.1, mobile_network_share=0.5,
                 computer_device="mix", hosting="ademe_streaming")


def visio_inputs(spread: float = 2.0, **changes) -> sv.ServiceInputs:
    return sv.build_inputs(pd.DataFrame([{**VISIO_MIX, **changes}]), factor_table(VALUES, spread),
                           categories=CATEGORIES, hosting_kinds=KINDS, devices=DEVICES, presets=PRESETS)


def central(inputs: sv.ServiceInputs, scale=None) -> dict:
    table = sv.parameter_table(inputs)
    return cf.evaluate(inputs, cf.central_parameters(table), ("climate_change",), scale=scale)["climate_change"]


def categories(rows: list[dict]) -> pd.DataFrame:
    columns = ["category", "factor_item", "default_lifetime_years", "lifetime_low_years", "lifetime_high_years",
               "default_power_w", "default_hours_per_day", "default_days_per_year"]
    return pd.DataFrame([{"category": r["factor_item"], **r} for r in rows], columns=columns)


#: the library items the reference services need (no categories: the device table is the module's ADEME one)
LIBRARY = {**VALUES, ("tv_display", "manufacturing"): 349.87}


NO_CATEGORIES = categories([])


