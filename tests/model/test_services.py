"""Services LCA: input validation, formulas checked by hand, ADEME reference figures, hosting PUE, SWD v4, Monte
Carlo, scenarios and sensitivity.

Reference values are computed here from the cited published parameters, never copied from the code's output.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from builders import services_closed_form as cf

from helpers.io import services_inputs as si
from helpers.io.errors import InputError
from helpers.io.factors import load_categories
from helpers.model import services as sv
from helpers.report import services as services_report
from helpers.run import services_section

#: the reference library's presets of the service types and its categories (what the study passes the model)
PRESETS = si.load_presets()
CATEGORIES = load_categories()

# ----------------------------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------------------------

HEADER = "service_id,name,type,annual_volume,volume_unit,mobile_share,tablet_share,hosting\n"


def factor_rows(values: dict, criterion: str = "climate_change", spread: float = 1.0) -> pd.DataFrame:
    """A small factor table: ``{(item, phase): value}`` in the library's units (kg per unit, per kWh, per GB)."""
    units = {"climate_change": "kgCO2e", "water": "m3"}
    rows = []
    for (item, phase), v in values.items():
        act = "kwh" if item.startswith("electricity") else "gb" if item.startswith("network") else "unit"
        rows.append({
            "factor_id": f"{item}:{phase}:{criterion}", "item": item, "phase": phase, "criterion": criterion,
            "value": v, "unit": f"{units[criterion]}/{act}", "activity_unit": act, "low": v / spread,
            "high": v * spread, "distribution": "lognormal" if spread > 1 else "none", "source": "test",
            "vintage": "test", "status": "sourced", "note": "",
        })
    return pd.DataFrame(rows)


KINDS = pd.DataFrame({
    "kind": ["server_room", "hyperscale", "ademe_streaming", "ademe_mail"],
    "label_fr": ["Salle", "Hyperscale", "ADEME streaming", "ADEME mail"],
    "default_pue": [2.0, 1.2, 1.3, 1.16], "pue_low": [1.5, 1.1, 1.3, 1.16], "pue_high": [2.5, 1.4, 1.3, 1.16],
    "electricity_item": ["electricity_fr"] * 4, "source": ["test"] * 4,
})

#: ADEME devices of the vintage behind impactco2's usage figures: lifetimes, profiles and active powers from
#: incubateur-ademe/publicodes-acv-numerique:src/acv-terminaux.publicodes@d13a17e4 (laptop 6 yr, 3 h/day, 25 W;
#: desktop 6 yr, 3 h/day, 50 W + screen 6 yr, 3 h/day, 30 W; tablet 3 yr, 3 h/day, 15 W; smartphone 2.5 yr, 3 h/day,
#: 5.6 W; TV 8 yr, 3 h/day, 65 W).
ADEME_DEVICES = pd.DataFrame({
    "device": ["smartphone", "tablet", "laptop", "desktop", "tv"],
    "items": [("smartphone",), ("tablet",), ("laptop",), ("desktop",), ("tv",)],
    "lifetime_years": [2.5, 3.0, 6.0, 6.0, 8.0],
    "lifetime_low_years": [2.5, 3.0, 6.0, 6.0, 8.0],
    "lifetime_high_years": [2.5, 3.0, 6.0, 6.0, 8.0],
    "hours_per_day": [3.0, 3.0, 3.0, 3.0, 3.0],
    "power_w": [5.6, 15.0, 25.0, 80.0, 65.0],
    "label_fr": ["s", "t", "l", "d", "tv"],
}).set_index("device")

#: Device construction (manufacturing + distribution + end of life, kgCO2e) of the ADEME 2018 study used by
#: impactco2 ("Modélisation et évaluation des impacts environnementaux de produits de consommation et biens
#: d'équipement", as listed in incubateur-ademe/impactco2#164): laptop 134.7, tablet 44.5, smartphone 26.239,
#: desktop + screen 416.92, TV 349.87. French electricity 0.0569 kgCO2e/kWh: the factor of that impactco2 dataset
#: (2 h × 25 W × 0.0569 = its visio terminal-use line 2.845 g; 0.7 GB × 1.947 Wh/GB × 0.0569 = its DC-use line).
#: Fixed network FR 9.2693467 gCO2e/GB (its "Go de donnée" transmission line; NegaOctet, transmission.publicodes
#: 9.27 g/GB). Server 748 kgCO2e / 5 yr, storage 144 kgCO2e (data center.publicodes).
ADEME_FACTORS = factor_rows({
    ("laptop", "manufacturing"): 134.7, ("tablet", "manufacturing"): 44.5,
    ("smartphone", "manufacturing"): 26.239, ("desktop", "manufacturing"): 416.92, ("tv", "manufacturing"): 349.87,
    ("electricity_fr", "use"): 0.0569, ("network_fixed_fr", "use"): 0.0092693467,
    ("network_mobile_fr", "use"): 0.02468, ("server", "manufacturing"): 748.0,
    ("storage_array", "manufacturing"): 144.0,
})

#: impactco2 usagenumerique.json@2deca6d, kgCO2e: terminal build, terminal use, transmission, DC build, DC use
ADEME_VISIO = (0.04100456621, 0.002845, 0.0129770857, 0.000236636, 7.755216e-8)
ADEME_EMAIL = (0.001286218, 0.00008684837, 0.00003580927, 0.00093525547, 0.00011768151)
ADEME_STREAMING = (0.0327361035, 0.002903607, 0.02780804, 0.000236636, 0.00033236641)

# server time per hour of stream, computed here from ADEME streaming.publicodes: Netflix 2019 electricity
# 94,000 + 357,000 MWh, PUE 1.3, 367 W per server, 2 h/day × 365 days × 167 million users
STREAM_SERVER_H = (94_000 + 357_000) * 1e6 / 1.3 / 367.0 / (2 * 365 * 167e6)
# ADEME data center.publicodes: construction per server incl. firewall, switches, routers and room (kgCO2e)
DC_PER_SERVER_KG = 748.0 + 0.0358 * 355 + 1.468 * 367 + 0.286 * 41.2 + 0.68 * 187 * 5 / 25


def ademe_inputs(rows: list[dict]) -> sv.ServiceInputs:
    inputs = sv.build_inputs(pd.DataFrame(rows), ADEME_FACTORS, categories=CATEGORIES, hosting_kinds=KINDS,
                             presets=PRESETS, devices=ADEME_DEVICES)
    return dataclasses.replace(inputs, server_power_w=367.0, server_lifetime_years=5.0,
                               storage_capacity_gb=3.5524 * 1024, storage_power_w=6.0, storage_lifetime_years=5.0,
                               storage_fill_rate=0.5)


def central(inputs, criteria=("climate_change",)):
    """Central values per functional unit (criterion -> part -> (S, 1)) and ``missing`` (one set of items without a
    factor per service), as ``run_lca`` gives them."""
    values, _ = sv.evaluate(inputs, criteria)
    missing = sv.missing_items(inputs, criteria)
    return {c: {**parts, "missing": missing[c]} for c, parts in values.items()}


# ----------------------------------------------------------------------------------------------------------------
# input validation
# ----------------------------------------------------------------------------------------------------------------


def test_read_services_accepts_both_territories():
    for slug in ("la-rochelle", "test-mini"):
        import pandas as pd

        from helpers.io.paths import RAW_DIR

        sites = list(pd.read_csv(RAW_DIR / slug / "hosting.csv")["site_id"])
        df = si.read_services(RAW_DIR / slug / "services.csv", sites, hosting_kinds=list(KINDS["kind"])
                              + ["colocation", "datacenter_fr", "cloud_eu", "cloud_world"])
        assert len(df) >= 3 and df["service_id"].is_unique


def test_read_services_reports_every_problem_with_line_and_column(tmp_csv):
    # first stage (types, ranges, allowed values, unique ids): every problem of the file at once
    path = tmp_csv(
        HEADER
        + "a,Site,website,100,visits,0.5,0.2,server_room\n"        # fine
        + "b,Blog,webstie,100,visits,0.5,0,server_room\n"          # unknown type
        + "c,Visio,visio,100,participant_hours,1.4,0,server_room\n"  # share > 1
        + "a,Double,email,many,messages,0.1,0,server_room\n",      # duplicate id, not a number
        "services.csv")
    with pytest.raises(InputError) as exc:
        si.read_services(path, ["sr-mairie"], hosting_kinds=["server_room", "hyperscale"])
    found = {(p.row, p.column) for p in exc.value.problems}
    assert found == {(3, "type"), (4, "mobile_share"), (2, "service_id"), (5, "service_id"), (5, "annual_volume")}
    # second stage (cross-checks): unit that does not fit the type, shares above 1, unknown hosting
    path2 = tmp_csv(
        HEADER
        + "c,Visio,visio,100,visits,0.4,0,server_room\n"
        + "d,Mail,email,100,messages,0.7,0.5,sr-mairi\n"
        + "e,Site,website,100,visits,0.5,0,sr-mairie\n",           # fine: a site of hosting.csv
        "s2.csv")
    with pytest.raises(InputError) as exc2:
        si.read_services(path2, ["sr-mairie"], hosting_kinds=["server_room"])
    found2 = {(p.row, p.column) for p in exc2.value.problems}
    assert found2 == {(2, "volume_unit"), (3, "tablet_share"), (3, "hosting")}
    hosting = next(p for p in exc2.value.problems if p.column == "hosting")
    assert "les plus proches : sr-mairie" in hosting.expected and hosting.value == "sr-mairi"
    assert "ligne 3" in str(exc2.value)  # French since 6e98367


# ----------------------------------------------------------------------------------------------------------------
# drivers and formulas by hand
# ----------------------------------------------------------------------------------------------------------------


def test_resolve_fills_type_defaults_and_computes_drivers():
    df = pd.DataFrame([
        dict(service_id="w", name="W", type="website", annual_volume=10, volume_unit="visits", page_weight_mb=2.0,
             pages_per_visit=4, loaded_share=0.5, minutes_per_visit=6, mobile_share=0.5, tablet_share=0.1,
             mobile_network_share=0.4, computer_device="mix", hosting="hyperscale"),
        dict(service_id="e", name="E", type="email", annual_volume=10, volume_unit="messages", recipients=3,
             message_mb=2.0, hosting="server_room"),
        dict(service_id="v", name="V", type="visio", annual_volume=10, volume_unit="participant_hours",
             video_quality="hd", audio_share=0.25, participants=4, hosting="hyperscale"),
        dict(service_id="s", name="S", type="storage", annual_volume=2, volume_unit="tb_years", replicas=2,
             hosting="server_room"),
    ])
    r = sv.resolve_services(df, PRESETS).set_index("service_id")
    # web: 2 MB × 4 pages × 0.5 loaded / 1024; 6 min; device mix; mobile traffic 0.5 × 0.4
    assert r.loc["w", "data_gb_per_unit"] == pytest.approx(4.0 / 1024)
    assert r.loc["w", "device_hours_per_unit"] == pytest.approx(0.1)
    assert r.loc["w", ["share_smartphone", "share_tablet", "share_laptop", "share_desktop"]].tolist() == \
        pytest.approx([0.5, 0.1, 0.2, 0.2])
    assert r.loc["w", "mobile_traffic_share"] == pytest.approx(0.2)
    assert r.loc["w", "server_hours_per_unit"] == pytest.approx(4.0 / 1024 * 1024 / (255 * 3600 * 0.25))
    # email: ADEME 3 min writing + 10 s reading per recipient; upload + 3 downloads; email preset (3 copies, 10 yr)
    assert r.loc["e", "device_hours_per_unit"] == pytest.approx((3 + 3 * 10 / 60) / 60)
    assert r.loc["e", "data_gb_per_unit"] == pytest.approx(2.0 * 4 / 1024)
    assert r.loc["e", "storage_gb_years_per_unit"] == pytest.approx(4 * 3 * 10 * 2.0 / 1024)
    assert r.loc["e", "server_hours_per_unit"] == pytest.approx(4 * 24 * 0.22 / (367 * 117.7))
    # visio: 75 % HD (3 GB/h) + 25 % audio (168 MB/h); server time of one meeting shared by 4 participants
    assert r.loc["v", "data_gb_per_unit"] == pytest.approx(0.75 * 3 + 0.25 * 168 / 1024)
    assert r.loc["v", "server_hours_per_unit"] == pytest.approx(STREAM_SERVER_H / 4)
    assert r.loc["v", "device_hours_per_unit"] == 1.0
    # storage: no terminal, 2 copies, TB-years counted in GB-years
    assert r.loc["s", "device_hours_per_unit"] == 0.0
    assert r.loc["s", "storage_gb_years_per_unit"] == 2.0
    assert r.loc["s", "units_per_year"] == 2 * 1024
    assert "page_weight_mb" not in r.loc["w", "defaults_used"]
    assert "participants" not in r.loc["v", "defaults_used"] and "message_mb" not in r.loc["e", "defaults_used"]
    # idempotent, to the dtype and the column order (resolve_services memoises its result as its own resolve):
    # computed again, not read from the memo
    once = sv.resolve_services(df, PRESETS)
    pd.testing.assert_frame_equal(sv._resolve(once.copy(), si.load_presets()), once, check_exact=True)
    for name in sv.SCENARIOS:  # the scenarios' tables too (they go on into build_inputs)
        mod = sv.apply_scenario(df, name, presets=PRESETS)
        pd.testing.assert_frame_equal(sv._resolve(mod.copy(), si.load_presets()), mod, check_exact=True)


def test_tier_formulas_by_hand():
    # one service, two devices: 0.5 h, 60 % laptop (200 kg, 5 yr × 365 × 3 h, 30 W), 40 % phone (80 kg, 2.5 yr × 3 h, 5 W)
    life = sv.device_lifetime_hours(np.array([[5.0], [2.5]]), np.array([[3.0], [3.0]]))
    build, use, kwh = cf.terminals_kg(np.array([[0.5]]), np.array([[0.6, 0.4]]), np.array([[200.0], [80.0]]), life,
                                      np.array([[30.0], [5.0]]), 0.05)
    assert build[0, 0] == pytest.approx(0.5 * (0.6 * 200 / 5475 + 0.4 * 80 / 2737.5))
    assert kwh[0, 0] == pytest.approx(0.5 * (0.6 * 30 + 0.4 * 5) / 1000)
    assert use[0, 0] == pytest.approx(0.5 * 20 / 1000 * 0.05)
    # network: 2 GB, 25 % on mobile
    assert cf.network_kg(2.0, 0.25, 0.01, 0.03) == pytest.approx(2 * (0.75 * 0.01 + 0.25 * 0.03))
    # data centre: 0.1 server-hour, 0.5 GB-year, PUE 1.5
    b, u, it = cf.datacentre_kg(0.1, 0.5, 1000.0, 5.0, 800.0, 1.5, 0.05, overhead_ratio=0.5, server_power_w=400,
                                storage_capacity_gb=1000.0, storage_fill_rate=0.5, storage_power_w=100,
                                storage_lifetime_years=4)
    assert b == pytest.approx(0.1 * 1000 * 1.5 / (5 * 8760) + 0.5 * 800 / (500 * 4))
    assert it == pytest.approx(0.1 * 0.4 + 0.5 * 100 * 8760 / 500 / 1000)
    assert u == pytest.approx(it * 1.5 * 0.05)


def test_measured_device_and_server_energy_replace_the_estimates():
    rows = [dict(service_id="w", name="W", type="website", annual_volume=1000, volume_unit="visits",
                 minutes_per_visit=2, device_wh_per_minute=0.5, dc_kwh_per_year=10.0, hosting="ademe_mail")]
    inputs = ademe_inputs(rows)
    r = inputs.resolved.iloc[0]
    assert r["device_kwh_per_unit"] == pytest.approx(2 * 0.5 / 1000)
    assert r["dc_it_kwh_per_unit"] == pytest.approx(10.0 / 1000)
    res = central(inputs)["climate_change"]
    assert res["terminals_use"][0, 0] == pytest.approx(0.001 * 0.0569)
    assert res["datacentre_use"][0, 0] == pytest.approx(0.01 * 1.16 * 0.0569)


# ----------------------------------------------------------------------------------------------------------------
# reference checks against ADEME's published usage figures (impactco2); tolerance 10 %, never tuned
# ----------------------------------------------------------------------------------------------------------------


def test_visio_reproduces_ademe_57_g_per_hour():
    """ADEME visio.publicodes defaults: 1 h, 2 devices ('emplacements'), SD 0.7 GB/h each, laptop, fixed FR network;
    DC: streaming server allocation per hour of meeting, PUE 1.3. Our functional unit is one participant-hour, so
    the meeting is 2 units with participants = 2."""
    inputs = ademe_inputs([dict(service_id="v", name="V", type="visio", annual_volume=2,
                                volume_unit="participant_hours", video_quality="sd", participants=2, mobile_share=0,
                                tablet_share=0, computer_device="laptop", hosting="ademe_streaming")])
    res = central(inputs)["climate_change"]
    per_meeting = {k: 2 * res[k][0, 0] * 1000 for k in ("terminals_build", "terminals_use", "network",
                                                          "datacentre_build", "datacentre_use", "total")}
    # by hand, grams for the 2-device meeting hour
    build = 2 * 1.0 * 134_700 / (6 * 365 * 3)
    use = 2 * 1.0 * 25 / 1000 * 56.9
    net = 2 * 0.7 * 9.2693467
    dc_build = STREAM_SERVER_H * DC_PER_SERVER_KG * 1000 / (5 * 8760)
    dc_use = STREAM_SERVER_H * 367 / 1000 * 1.3 * 56.9
    assert per_meeting["terminals_build"] == pytest.approx(build, rel=1e-9)
    assert per_meeting["terminals_use"] == pytest.approx(use, rel=1e-9)
    assert per_meeting["network"] == pytest.approx(net, rel=1e-9)
    assert per_meeting["datacentre_build"] == pytest.approx(dc_build, rel=1e-9)
    assert per_meeting["datacentre_use"] == pytest.approx(dc_use, rel=1e-9)
    # the published components that our structure reproduces exactly
    assert build == pytest.approx(ADEME_VISIO[0] * 1000, rel=1e-6)
    assert use == pytest.approx(ADEME_VISIO[1] * 1000, rel=1e-6)
    assert net == pytest.approx(ADEME_VISIO[2] * 1000, rel=1e-6)
    assert dc_build == pytest.approx(ADEME_VISIO[3] * 1000, rel=1e-3)
    # the published total: 57.1 g
    assert per_meeting["total"] == pytest.approx(sum(ADEME_VISIO) * 1000, rel=0.10)


def test_email_reproduces_ademe_2_46_g():
    """ADEME email.publicodes defaults: 1 MB, 1 recipient, 3 min writing + 10 s reading, device mix 24 % desktop +
    screen, 24 % laptop, 8 % tablet, 45 % smartphone (101 % as published), 3 backups kept 10 years on each side,
    0.22 W of server per user for 117.7 emails a day, storage 144 kg / 3.5524 TB filled at 50 %, 6 W, PUE 1.16.
    Our network tier counts the upload and the download (2 × 1 MB); ADEME also counts backup traffic at 2.59 g/GB."""
    inputs = ademe_inputs([dict(service_id="e", name="E", type="email", annual_volume=1, volume_unit="messages",
                                recipients=1, message_mb=1.0, retention_years=10, replicas=3, hosting="ademe_mail")])
    for col, share in (("share_desktop", 0.24), ("share_laptop", 0.24), ("share_tablet", 0.08),
                       ("share_smartphone", 0.45)):
        inputs.resolved[col] = share
    inputs.resolved["mobile_traffic_share"] = 0.0
    res = central(inputs)["climate_change"]
    h = (3 + 10 / 60) / 60
    per_h = (0.24 * 416_920 / (6 * 365 * 3) + 0.24 * 134_700 / (6 * 365 * 3) + 0.08 * 44_500 / (3 * 365 * 3)
             + 0.45 * 26_239 / (2.5 * 365 * 3))
    build = h * per_h
    use = h * (0.24 * 80 + 0.24 * 25 + 0.08 * 15 + 0.45 * 5.6) / 1000 * 56.9
    net = 2 * (1 / 1024) * 9.2693467
    server_h = 2 * 24 * 0.22 / (367 * 117.7)
    stored = 2 * 3 * 10 * (1 / 1024)
    usable = 3.5524 * 1024 * 0.5
    dc_build = server_h * DC_PER_SERVER_KG * 1000 / (5 * 8760) + stored * 144_000 / (usable * 5)
    dc_use = (server_h * 367 + stored * 6 * 8760 / usable) / 1000 * 1.16 * 56.9
    total = build + use + net + dc_build + dc_use
    assert res["total"][0, 0] * 1000 == pytest.approx(total, rel=1e-9)
    # exact components: terminal use and the whole data-centre tier
    assert use == pytest.approx(ADEME_EMAIL[1] * 1000, rel=1e-4)
    assert dc_build == pytest.approx(ADEME_EMAIL[3] * 1000, rel=1e-4)
    assert dc_use == pytest.approx(ADEME_EMAIL[4] * 1000, rel=1e-4)
    assert total == pytest.approx(sum(ADEME_EMAIL) * 1000, rel=0.10)


def test_streaming_reproduces_ademe_64_g_per_hour():
    """ADEME streaming.publicodes defaults: 1 h of HD (3 GB), fixed FR network, device mix 15 % laptop, 10 % tablet,
    5 % smartphone, 70 % TV; server time from Netflix 2019, PUE 1.3."""
    inputs = ademe_inputs([dict(service_id="s", name="S", type="streaming", annual_volume=1, volume_unit="hours",
                                video_quality="hd", mobile_share=0, tablet_share=0, hosting="ademe_streaming")])
    for col, share in (("share_laptop", 0.15), ("share_tablet", 0.10), ("share_smartphone", 0.05),
                       ("share_tv", 0.70)):
        inputs.resolved[col] = share
    res = central(inputs)["climate_change"]
    build = (0.15 * 134_700 / (6 * 365 * 3) + 0.10 * 44_500 / (3 * 365 * 3) + 0.05 * 26_239 / (2.5 * 365 * 3)
             + 0.70 * 349_870 / (8 * 365 * 3))
    use = (0.15 * 25 + 0.10 * 15 + 0.05 * 5.6 + 0.70 * 65) / 1000 * 56.9
    net = 3.0 * 9.2693467
    dc = STREAM_SERVER_H * (DC_PER_SERVER_KG * 1000 / (5 * 8760) + 367 / 1000 * 1.3 * 56.9)
    total = build + use + net + dc
    assert res["total"][0, 0] * 1000 == pytest.approx(total, rel=1e-9)
    assert use == pytest.approx(ADEME_STREAMING[1] * 1000, rel=1e-4)
    assert net == pytest.approx(ADEME_STREAMING[2] * 1000, rel=1e-6)
    assert total == pytest.approx(sum(ADEME_STREAMING) * 1000, rel=0.10)


def test_published_reference_totals_are_the_sum_of_their_components():
    assert sv.ADEME_REFERENCES["visio"] == pytest.approx(sum(ADEME_VISIO))
    assert sv.ADEME_REFERENCES["email"] == pytest.approx(sum(ADEME_EMAIL))
    assert sv.ADEME_REFERENCES["streaming"] == pytest.approx(sum(ADEME_STREAMING))
    assert sum(ADEME_VISIO) * 1000 == pytest.approx(57.1, abs=0.1)
    assert sum(ADEME_EMAIL) * 1000 == pytest.approx(2.46, abs=0.01)
    assert sum(ADEME_STREAMING) * 1000 == pytest.approx(64.0, abs=0.1)


# ----------------------------------------------------------------------------------------------------------------
# hosting: a service in the territory's server room uses that room's PUE
# ----------------------------------------------------------------------------------------------------------------


def test_service_in_a_server_room_uses_that_rooms_pue():
    sites = pd.DataFrame({"site_id": ["sr-agglo", "sr-ecole"], "kind": ["server_room", "server_room"],
                          "pue": [2.4, np.nan], "electricity_item": [np.nan, np.nan]})
    rows = [dict(service_id=sid, name=sid, type="storage", annual_volume=1, volume_unit="gb_years", replicas=1,
                 hosting=h) for sid, h in (("room", "sr-agglo"), ("room-no-pue", "sr-ecole"), ("kind", "server_room"),
                                           ("hyper", "hyperscale"))]
    inputs = sv.build_inputs(pd.DataFrame(rows), ADEME_FACTORS, categories=CATEGORIES, hosting_kinds=KINDS,
                             hosting_sites=sites, presets=PRESETS, devices=ADEME_DEVICES)
    inputs = dataclasses.replace(inputs, storage_capacity_gb=1000.0, storage_fill_rate=0.5, storage_power_w=100.0)
    assert inputs.hosting["pue"].tolist() == [2.4, 2.0, 2.0, 1.2]
    assert inputs.hosting["pue_origin"].tolist() == ["site", "kind", "kind", "kind"]
    use = central(inputs)["climate_change"]["datacentre_use"][:, 0]
    it_kwh = 1.0 * 100 * 8760 / 500 / 1000  # 1 GB-year of a 1000 GB array filled at 50 %, 100 W
    assert use[0] == pytest.approx(it_kwh * 2.4 * 0.0569)
    assert use[1] == pytest.approx(it_kwh * 2.0 * 0.0569)  # the site gives no PUE: its kind's default
    assert use[2] == pytest.approx(it_kwh * 2.0 * 0.0569)
    assert use[3] == pytest.approx(it_kwh * 1.2 * 0.0569)
    # a measured site PUE is not drawn in the Monte Carlo; a kind's PUE is
    table = sv.parameter_table(inputs)
    assert table.loc["pue:site:sr-agglo", "distribution"] == "none"
    assert table.loc["pue:kind:server_room", "distribution"] == "split_triangular"  # the balance's (issue 19)
    assert table.loc["pue:kind:server_room", "stream"] == "pue:server_room"
    # the activity rows in the one engine: the measured PUE a constant, the kinds' drawn, same draws as the formulas
    rows = sv.evaluate(inputs, None, 300, 4)[1]["climate_change"]["datacentre_use"]
    formulas = cf.evaluate(inputs, cf.seeded_parameter_draws(table, 300, 4))["climate_change"]["datacentre_use"]
    np.testing.assert_allclose(rows, formulas, rtol=1e-12)
    assert np.ptp(rows[0]) == 0 and np.ptp(rows[2]) > 0


def test_hosting_sites_are_read_tolerantly(tmp_path):
    raw = tmp_path / "hosting.csv"
    raw.write_text("site_id;entity;kind;pue;comment\nsr-agglo;agglo;server_room;1,8;salle\n", encoding="utf-8")
    sites = si.load_hosting_sites(path=raw)
    assert sites.loc[0, "site_id"] == "sr-agglo" and sites.loc[0, "pue"] == pytest.approx(1.8)
    assert si.load_hosting_sites(path=tmp_path / "absent.csv").empty


# ----------------------------------------------------------------------------------------------------------------
# Sustainable Web Design v4 (co2.js)
# ----------------------------------------------------------------------------------------------------------------


def test_swd_v4_matches_co2js_test_values():
    # co2.js src/sustainable-web-design-v4.test.js: 1 GB at the global 494 g/kWh
    g = sv.swd_v4_g(1.0, 494, 494, 494)
    assert g["operational_datacentre"] == pytest.approx(27.17, abs=1e-3)
    assert g["operational_network"] == pytest.approx(29.146, abs=1e-3)
    assert g["operational_device"] == pytest.approx(39.52, abs=1e-3)
    assert g["embodied_datacentre"] == pytest.approx(5.928, abs=1e-3)
    assert g["embodied_network"] == pytest.approx(6.422, abs=1e-3)
    assert g["embodied_device"] == pytest.approx(40.014, abs=1e-3)
    assert g["total"] == pytest.approx(148.2, abs=1e-3)
    # custom operational grids: data centre 100, network 200, device 300 g/kWh; embodied stays at 494
    g2 = sv.swd_v4_g(1.0, 300, 200, 100)
    assert (g2["operational_datacentre"], g2["operational_network"], g2["operational_device"]) == \
        pytest.approx((5.5, 11.8, 24.0))
    assert g2["embodied_device"] == pytest.approx(40.014, abs=1e-3)
    assert sv.swd_rating([0.03, 0.1, 0.2, 0.5]).tolist() == ["A+", "B", "C", "F"]


def test_swd_comparison_uses_french_grid_for_users_and_hosting_grid_for_dc():
    inputs = ademe_inputs([dict(service_id="w", name="W", type="website", annual_volume=1, volume_unit="visits",
                                page_weight_mb=1.0, pages_per_visit=1, hosting="hyperscale")])
    res = sv.run_lca(inputs, n_draws=50, seed=1)
    swd = sv.swd_comparison(res).iloc[0]
    gb = 1.0 / 1024 * 1024**3 / 1e9
    fr = 56.9
    expected = gb * ((0.055 + 0.059 + 0.080) * fr + (0.012 + 0.013 + 0.081) * 494)
    assert swd["swd_fr_g"] == pytest.approx(expected)
    assert swd["swd_global_g"] == pytest.approx(gb * 0.3 * 494)
    assert swd["difference_pct"] == pytest.approx((expected - swd["bottom_up_g"]) / swd["bottom_up_g"] * 100)


# ----------------------------------------------------------------------------------------------------------------
# Monte Carlo, criteria, annual figures
# ----------------------------------------------------------------------------------------------------------------


def mc_inputs():
    f = pd.concat([
        factor_rows({("laptop", "manufacturing"): 185.0, ("smartphone", "manufacturing"): 80.0,
                     ("electricity_fr", "use"): 0.05, ("network_fixed_fr", "use"): 0.009,
                     ("network_mobile_fr", "use"): 0.025, ("server", "manufacturing"): 750.0,
                     ("storage_array", "manufacturing"): 800.0}, spread=1.5),
        factor_rows({("laptop", "manufacturing"): 190.0, ("electricity_fr", "use"): 0.1,
                     ("network_fixed_fr", "use"): 0.001}, criterion="water", spread=2.0),
    ], ignore_index=True)
    rows = [dict(service_id="a", name="A", type="website", annual_volume=1000, volume_unit="visits",
                 hosting="hyperscale"),
            dict(service_id="b", name="B", type="website", annual_volume=1000, volume_unit="visits",
                 hosting="hyperscale"),
            dict(service_id="s", name="S", type="storage", annual_volume=2, volume_unit="tb_years",
                 hosting="server_room")]
    return sv.build_inputs(pd.DataFrame(rows), f, categories=CATEGORIES, hosting_kinds=KINDS, presets=PRESETS)


def test_monte_carlo_is_seeded_shared_and_brackets_the_central_value():
    inputs = mc_inputs()
    r1 = sv.run_lca(inputs, n_draws=2000, seed=7)
    r2 = sv.run_lca(inputs, n_draws=2000, seed=7)
    d1 = r1.draws["climate_change"]["total"]
    np.testing.assert_array_equal(d1, r2.draws["climate_change"]["total"])
    # two identical services get the very same draws (one draw per factor shared across services)
    np.testing.assert_array_equal(d1[0], d1[1])
    table = sv.lca_table(r1)
    assert (table["gco2e_low"] < table["gco2e_per_unit"]).all() and (table["gco2e_per_unit"] < table["gco2e_high"]).all()
    assert (table["annual_tco2e_low"] <= table["annual_tco2e"]).all()
    # storage: 2 TB-years are 2048 GB-years
    assert table.loc[2, "annual_tco2e"] == pytest.approx(table.loc[2, "gco2e_per_unit"] * 2048 / 1e6)
    assert table[["terminals_share", "network_share", "datacentre_share"]].sum(axis=1).tolist() == \
        pytest.approx([1, 1, 1])


def test_lognormal_draws_follow_the_library_convention():
    table = pd.DataFrame({"value": [2.0], "low": [1.0], "high": [4.0], "distribution": ["lognormal"],
                          "stream": [""]}, index=["x"])
    x = cf.seeded_parameter_draws(table, 200_000, 3)["x"]
    assert np.median(x) == pytest.approx(2.0, rel=0.01)
    assert np.percentile(x, 2.5) == pytest.approx(1.0, rel=0.02)
    assert np.percentile(x, 97.5) == pytest.approx(4.0, rel=0.02)
    tri = pd.DataFrame({"value": [1.5], "low": [1.0], "high": [3.0], "distribution": ["triangular"],
                        "stream": [""]}, index=["t"])
    t = cf.seeded_parameter_draws(tri, 100_000, 4)["t"]
    assert t.min() >= 1.0 and t.max() <= 3.0 and t.mean() == pytest.approx((1.0 + 1.5 + 3.0) / 3, rel=0.01)


def test_other_criteria_by_hand_and_missing_items_reported():
    inputs = mc_inputs()
    res = sv.run_lca(inputs, n_draws=200, seed=1)
    crit = sv.criteria_table(res).set_index(["service_id", "criterion"])
    r = inputs.resolved.set_index("service_id").loc["a"]
    life_laptop = inputs.devices.loc["laptop", "lifetime_years"] * 365 * 3.0
    water = (r["device_hours_per_unit"] * r["share_laptop"] * 190.0 / life_laptop
             + r["device_hours_per_unit"] * (r["share_laptop"] * 26.5 + r["share_smartphone"] * 4.5
                                             + r["share_tablet"] * 20.0) / 1000 * 0.1
             + r["data_gb_per_unit"] * (1 - r["mobile_traffic_share"]) * 0.001  # no mobile-network water factor
             + r["server_hours_per_unit"] * inputs.server_power_w / 1000 * 1.2 * 0.1)  # server electricity, no build
    assert crit.loc[("a", "water"), "per_unit"] == pytest.approx(water)
    missing = crit.loc[("a", "water"), "missing_items"]
    for item in ("smartphone", "tablet", "network_mobile_fr", "server"):
        assert item in missing
    assert not crit.loc[("a", "water"), "complete"]
    assert crit.loc[("s", "water"), "missing_items"] == "storage_array"
    # a complete criterion is flagged as such
    assert crit.loc[("s", "climate_change"), "complete"]


# ----------------------------------------------------------------------------------------------------------------
# scenarios
# ----------------------------------------------------------------------------------------------------------------


def scenario_services():
    return pd.DataFrame([
        dict(service_id="w", name="W", type="website", annual_volume=1000, volume_unit="visits", page_weight_mb=2.0,
             pages_per_visit=3, requests_per_visit=100, mobile_share=0.6, mobile_network_share=0.5,
             hosting="hyperscale"),
        dict(service_id="v", name="V", type="visio", annual_volume=100, volume_unit="participant_hours",
             video_quality="hd", audio_share=0.2, participants=4, hosting="hyperscale"),
        dict(service_id="s", name="S", type="storage", annual_volume=10, volume_unit="tb_years", hosting="server_room"),
        dict(service_id="t", name="T", type="streaming", annual_volume=100, volume_unit="hours", video_quality="sd",
             mobile_share=0.5, mobile_network_share=0.8, hosting="hyperscale"),
    ])


def test_scenarios_modify_the_services_table_as_documented():
    df = scenario_services()
    pw = sv.apply_scenario(df, "page_weight", reduction=0.5, presets=PRESETS).set_index("service_id")
    assert pw.loc["w", "page_weight_mb"] == 1.0
    assert pw.loc["w", "data_gb_per_unit"] == pytest.approx(1.0 * 3 / 1024)
    lazy = sv.apply_scenario(df, "lazy_loading", reduction=0.3, presets=PRESETS).set_index("service_id")
    assert lazy.loc["w", "loaded_share"] == pytest.approx(0.7) and lazy.loc["w", "requests_per_visit"] == 70
    audio = sv.apply_scenario(df, "visio_audio_only", share=0.5, presets=PRESETS).set_index("service_id")
    assert audio.loc["v", "audio_share"] == pytest.approx(1 - 0.8 * 0.5)
    q = sv.apply_scenario(df, "video_quality", quality="sd", presets=PRESETS).set_index("service_id")
    assert q.loc["v", "video_quality"] == "sd" and q.loc["t", "video_quality"] == "sd"  # lowered, never raised
    q_audio = sv.apply_scenario(df, "video_quality", quality="hd", presets=PRESETS).set_index("service_id")
    assert q_audio.loc["t", "video_quality"] == "sd"
    purge = sv.apply_scenario(df, "storage_purge", reduction=0.3, presets=PRESETS).set_index("service_id")
    assert purge.loc["s", "annual_volume"] == pytest.approx(7.0)
    wifi = sv.apply_scenario(df, "mobile_to_wifi", share=0.5, presets=PRESETS).set_index("service_id")
    assert wifi.loc["t", "mobile_traffic_share"] == pytest.approx(0.5 * 0.4)
    only = sv.apply_scenario(df, "mobile_to_wifi", service_ids=["w"], presets=PRESETS).set_index("service_id")
    assert only.loc["t", "mobile_network_share"] == 0.8
    with pytest.raises(ValueError, match="unknown scenario"):
        sv.apply_scenario(df, "dark_mode", presets=PRESETS)
    with pytest.raises(ValueError, match="between 0 and 1"):
        sv.apply_scenario(df, "page_weight", reduction=1.5, presets=PRESETS)


def test_scenarios_accept_whole_numbers_typed_as_integers():
    """A storage volume typed as ``2`` (int64 column) is purged like ``2.0`` (found by the batch on synthetic data)."""
    df = scenario_services()
    df = df[df["service_id"].eq("s")].copy()
    df["annual_volume"] = 2
    assert df["annual_volume"].dtype.kind == "i"
    purge = sv.apply_scenario(df, "storage_purge", reduction=0.3, presets=PRESETS).set_index("service_id")
    assert purge.loc["s", "annual_volume"] == pytest.approx(1.4)


def test_scenarios_rerun_the_same_model_and_reduce_emissions():
    f = factor_rows({("laptop", "manufacturing"): 185.0, ("smartphone", "manufacturing"): 80.0,
                     ("tablet", "manufacturing"): 80.0, ("electricity_fr", "use"): 0.05,
                     ("network_fixed_fr", "use"): 0.009, ("network_mobile_fr", "use"): 0.025,
                     ("server", "manufacturing"): 750.0, ("storage_array", "manufacturing"): 800.0})
    df = scenario_services()
    base = sv.build_inputs(df, f, categories=CATEGORIES, hosting_kinds=KINDS, presets=PRESETS)
    table = sv.scenario_table(base, PRESETS).set_index(["scenario", "service_id"])
    assert (table["change_tco2e"] <= 1e-12).all()
    # storage purge: −30 % of the volume, −30 % of the storage service's tonnes
    assert table.loc[("storage_purge", "s"), "change_pct"] == pytest.approx(-30.0)
    # page weight halves only the data-driven parts of the website (network and web server time)
    parts = central(base)["climate_change"]
    data_part = (parts["network"][0, 0] + parts["datacentre"][0, 0]) * 1000 / 1000
    assert table.loc[("page_weight", "w"), "change_tco2e"] == pytest.approx(-0.5 * data_part, rel=1e-9)
    assert table.loc[("video_quality", "v"), "change_tco2e"] < 0
    assert table.loc[("mobile_to_wifi", "t"), "change_tco2e"] < 0


# ----------------------------------------------------------------------------------------------------------------
# sensitivity and summary
# ----------------------------------------------------------------------------------------------------------------


def test_sensitivity_ranks_the_parameters_of_each_service():
    inputs = mc_inputs()
    sens = sv.sensitivity(inputs, seed=3, n_base=64)
    assert set(sens["service_id"]) == {"a", "b", "s"}
    s = sens[sens["service_id"] == "s"]
    # a storage service has no terminal: device parameters do not appear
    assert not set(s["parameter"]) & {"terminal_embodied", "lifetime", "device_hours", "mobile_share"}
    assert {"storage", "dc_embodied", "pue"} <= set(s["parameter"])
    a = sens[sens["service_id"] == "a"]
    assert a["parameter"].iat[0] in {"device_hours", "lifetime", "terminal_embodied"}
    assert a["st"].between(0, 1).all() and a["s1"].between(0, 1).all()
    # the swings bracket the central value
    assert ((a[["g_at_low", "g_at_high"]].min(axis=1) <= a["base_g"] + 1e-12)
            & (a[["g_at_low", "g_at_high"]].max(axis=1) >= a["base_g"] - 1e-12)).all()
    # one-at-a-time: halving device time halves the time-driven parts, by hand
    res = central(inputs)["climate_change"]
    row = a.set_index("parameter").loc["device_hours"]
    assert row["g_at_low"] == pytest.approx((res["total"][0, 0] - 0.5 * res["terminals"][0, 0]) * 1000)


@pytest.mark.parametrize("n_params,n_base,seed", [(2, 16, 3), (5, 64, 20200101), (13, 32, 7)])
def test_saltelli_design_and_indices_are_salib_s_bit_for_bit(n_params, n_base, seed):
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    rng = np.random.default_rng(n_params)
    low = rng.uniform(0.1, 1.0, n_params)
    bounds = [[lo, lo + w] for lo, w in zip(low, rng.uniform(0.5, 2.0, n_params))]
    problem = {"num_vars": n_params, "names": [f"x{i}" for i in range(n_params)], "bounds": bounds}
    expected = sobol_sample.sample(problem, n_base, calc_second_order=False, seed=seed)
    for _ in range(2):  # the second call reads the memoised unit design
        x = sv.saltelli_sample(bounds, n_base, seed)
        assert x.shape == expected.shape and np.array_equal(x, expected)
    x[0, 0] = -1.0  # the caller's copy: the memo is not changed
    assert np.array_equal(sv.saltelli_sample(bounds, n_base, seed), expected)
    y = np.sin(expected).sum(axis=1) + expected[:, 0] * expected[:, -1] ** 2
    si = sobol_analyze.analyze(problem, y, calc_second_order=False, print_to_console=False, seed=seed)
    s1, st = sv.sobol_indices(y, n_params)
    assert np.array_equal(s1, si["S1"]) and np.array_equal(st, si["ST"])


def test_sobol_indices_of_the_ishigami_function_match_its_analytic_values():
    # Ishigami & Homma (1990), a = 7, b = 0.1 on [-pi, pi]^3: analytic S1 = (0.3139, 0.4424, 0) and
    # ST = (0.5576, 0.4424, 0.2437) (Saltelli et al. 2008, Global Sensitivity Analysis: The Primer, §4.2)
    x = sv.saltelli_sample([[-np.pi, np.pi]] * 3, 4096, 1)
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    s1, st = sv.sobol_indices(y, 3)
    np.testing.assert_allclose(s1, [0.3139, 0.4424, 0.0], atol=0.02)
    np.testing.assert_allclose(st, [0.5576, 0.4424, 0.2437], atol=0.02)
    with pytest.raises(ValueError, match="Saltelli design"):
        sv.sobol_indices(y[:-1], 3)
    with pytest.raises(ValueError, match="low < high"):
        sv.saltelli_sample([[1.0, 1.0]], 16, 1)


def test_summary_has_the_documented_structure():
    inputs = mc_inputs()
    res = sv.run_lca(inputs, n_draws=300, seed=2)
    scores = pd.DataFrame({"service_id": ["a"], "family": ["Ensemble"], "score_pct": [40.0]})
    summ = services_section.summary_services(res, scores)
    first = summ["services"][0]
    assert set(first) >= {"name", "type", "functional_unit", "gco2e_per_unit", "annual_tco2e", "tiers",
                          "rgesn_score_pct"}
    assert set(first["gco2e_per_unit"]) == {"value", "low", "high"}
    assert set(first["tiers"]) == {"terminals", "network", "datacentre"}
    assert "rgesn_score_pct" not in summ["services"][1]
    assert summ["total_annual_tco2e"]["value"] == pytest.approx(sv.lca_table(res)["annual_tco2e"].sum())


# ----------------------------------------------------------------------------------------------------------------
# the study of notebook 03
# ----------------------------------------------------------------------------------------------------------------


class FakeContext:
    """The part of helpers.run.context.Context the study uses, on a chosen raw folder."""

    def __init__(self, raw, processed):
        self.raw, self.processed = raw, processed
        self.tables, self.summaries = {}, {}

    def read_table(self, name):
        raise FileNotFoundError(name)

    def write_table(self, name, df):
        self.tables[name] = df

    def write_summary(self, section, data):
        self.summaries[section] = data


def test_study_runs_on_the_test_territory(tmp_path):
    from helpers.io.paths import RAW_DIR

    ctx = FakeContext(RAW_DIR / "test-mini", tmp_path)
    study = services_section.run_study(ctx, n_draws=300, seed=5, n_sobol=16)
    assert study.available and len(study.table) == 3
    study.write(ctx)
    assert {"services_lca", "services_criteria", "services_swd", "services_sensitivity", "services_scenarios",
            "services_references"} <= set(ctx.tables)
    summary = ctx.summaries["services"]
    assert [s["service_id"] for s in summary["services"]] == ["site", "messagerie", "visio"]
    # the EcoIndex grade is shown as the user entered it
    assert study.table.set_index("service_id").loc["site", "ecoindex_grade"] == "D"
    # the reference checks shown in the notebook stay within 10 % of ADEME's figures
    assert (study.references["difference_pct"].abs() < 10).all()
    alts = services_report.alt_texts(study)
    assert all(isinstance(t, str) and t for t in alts.values())


def test_study_without_services_file_is_empty_but_complete(tmp_path):
    ctx = FakeContext(tmp_path, tmp_path)
    study = services_section.run_study(ctx, n_draws=100, seed=1)
    assert not study.available
    study.write(ctx)
    assert ctx.summaries["services"] == {"services": [], "provided": False}
    for shown in (services_report.display_inputs(study), services_report.display_criteria(study),
                  services_report.display_references(study.references), services_report.display_sensitivity(study)):
        assert shown.empty
    for name in ("per_unit", "annual", "tiers", "swd", "tornado", "scenarios", "rgesn"):
        fig = services_report.study_figure(study, name)
        assert fig is not None
    assert set(services_report.alt_texts(study)) >= {"per_unit", "rgesn"}


def test_video_quality_scenario_without_any_video_service():
    """A territory with only a website (a fresh template): lowering video quality changes nothing, fails nowhere."""
    df = scenario_services()
    df = df[df["type"].eq("website")].copy()
    df["video_quality"] = np.nan  # an empty column reads as float
    out = sv.apply_scenario(df, "video_quality", quality="sd", presets=PRESETS)
    assert out["video_quality"].isna().all() and len(out) == len(df)


def test_resolve_memo_returns_an_independent_copy_of_the_same_result():
    """``resolve_services`` is memoised on the tables' content: same result, never shared, other content recomputed."""
    df = pd.DataFrame([dict(service_id="w", name="W", type="website", annual_volume=10, volume_unit="visits",
                            page_weight_mb=2.0, hosting="hyperscale")])
    df.attrs["warnings"] = ["kept"]
    first = sv.resolve_services(df, PRESETS)
    expected = first.loc[0, "data_gb_per_unit"]  # 2 MB × the website preset's pages per visit
    assert expected > 0
    first.loc[0, "data_gb_per_unit"] = -1.0  # a caller changing its copy does not change the next result
    second = sv.resolve_services(df, PRESETS)
    assert second.loc[0, "data_gb_per_unit"] == expected
    assert second.attrs == {"warnings": ["kept"]}
    heavier = df.assign(page_weight_mb=4.0)
    assert sv.resolve_services(heavier, PRESETS).loc[0, "data_gb_per_unit"] == pytest.approx(2 * expected)


def test_a_factor_shared_with_the_balance_has_the_same_draw():
    """Issue 18: the services draw the library's factors from the balance's keyed streams, so the laptop and
    electricity factors have the very same draws in the services LCA and in the carbon balance (seed 7)."""
    from helpers.model import uncertainty

    table = sv.parameter_table(mc_inputs())
    draws = cf.seeded_parameter_draws(table, 500, 7)
    f = mc_inputs().factors.set_index("factor_id")
    for fid in ("laptop:manufacturing:climate_change", "electricity_fr:use:climate_change"):
        balance = uncertainty.draw_factors(f.loc[[fid]].reset_index(), 500, 7)[0]
        np.testing.assert_array_equal(draws["f:" + fid], balance)
    # issue 19: every parameter has a stream; a hosting kind's PUE is the balance's ``pue:<kind>``
    assert (table["stream"] != "").all()
    assert table.loc["pue:kind:hyperscale", "stream"] == "pue:hyperscale"


def test_agents_services_use_the_professional_profile():
    """Issue 18: the same visio used by agents spreads the laptop's 134.7 kg over the professional hours of its
    lifetime (6 yr × 220 days × 7 h, the fallback profile: ADEME_DEVICES has none) instead of the consumer hours
    (6 yr × 365 days × 3 h): build per meeting 2 × 134,700 g / (6 × 220 × 7) = 29.156 g instead of 41.005 g; the
    energy, network and data-centre parts do not change."""
    row = dict(service_id="v", name="V", type="visio", annual_volume=2, volume_unit="participant_hours",
               video_quality="sd", participants=2, mobile_share=0, tablet_share=0, computer_device="laptop",
               hosting="ademe_streaming")
    both = ademe_inputs([row, {**row, "service_id": "w", "audience": "agents"}])
    res = central(both)["climate_change"]
    assert 2 * res["terminals_build"][0, 0] * 1000 == pytest.approx(2 * 134_700 / (6 * 365 * 3), rel=1e-9)
    assert 2 * res["terminals_build"][1, 0] * 1000 == pytest.approx(2 * 134_700 / (6 * 220 * 7), rel=1e-9)
    for part in ("terminals_use", "network", "datacentre_build", "datacentre_use"):
        assert res[part][1, 0] == pytest.approx(res[part][0, 0], rel=1e-12)


def test_hosting_sites_fallback_refuses_a_symlink_out_of_its_folder(tmp_path):
    """The raw hosting.csv fallback goes through the bounded reader path: a hosting.csv that is a symlink to a file
    outside its folder is refused before any read, and nothing of the target is quoted."""
    from helpers.io.errors import InputError

    outside = tmp_path / "outside.csv"
    outside.write_text("site_id,kind,pue\nsecret-site,server_room,1.5\n", encoding="utf-8")
    folder = tmp_path / "territory"
    folder.mkdir()
    (folder / "hosting.csv").symlink_to(outside)
    with pytest.raises(InputError) as info:
        si.load_hosting_sites(path=folder / "hosting.csv")
    assert "secret-site" not in str(info.value)


@pytest.mark.parametrize("slug", ["la-rochelle", "test-mini"])
def test_activity_rows_reproduce_the_models_draws_in_the_one_engine(slug, tmp_path):
    """Issue 19, one activity model: the services written as activity rows and drawn by the balance's engine
    (``helpers.model.carbon.monte_carlo``) give the draws of the model's formulas (:func:`evaluate` on the same sampler's
    draws) for every criterion and part: agents' professional profile, desktops with their screen, several hosting
    kinds with a drawn PUE, websites, visio and storage."""
    from helpers.run.context import open_context

    inputs = services_section.run_study(open_context(slug, tmp_path), n_draws=50, seed=1).inputs
    table = sv.parameter_table(inputs)
    formulas = cf.evaluate(inputs, cf.seeded_parameter_draws(table, 400, 9))
    rows = sv.evaluate(inputs, None, 400, 9)[1]
    assert set(rows) == set(inputs.criteria)
    for c in rows:
        for part in sv.PARTS:
            np.testing.assert_allclose(rows[c][part], np.broadcast_to(formulas[c][part], rows[c][part].shape),
                                       rtol=1e-12, atol=1e-300, err_msg=f"{slug} {c} {part}")
    lines, params = sv.activity_rows(inputs, table)
    assert set(lines["part"]) <= set(sv.ROW_PARTS) and (lines["activity"] != 0).all()
    assert set(lines["lifetime_param"]) - {""} <= set(params["param_id"])
    assert set(lines["extra_param"]) - {""} <= set(params["param_id"])
