"""The reference factor library: it loads, its hand-checkable values match the cited sources, it refuses bad rows,
and territory overrides change exactly what they say."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.io import factors as fx
from helpers.io.errors import InputError
from helpers.io.paths import REFERENCE_DIR

HEADER = ("factor_id,item,phase,criterion,value,unit,activity_unit,low,high,distribution,source,vintage,status,"
          "note\n")
GOOD = ("laptop:manufacturing:climate_change,laptop,manufacturing,climate_change,170,kgCO2e/unit,unit,136,212.5,"
        "lognormal,ADEME,ADEME-NegaOctet 2022,sourced,\n")


@pytest.fixture(scope="module")
def factors():
    return fx.load_factors()


@pytest.fixture(scope="module")
def categories(factors):
    return fx.load_categories(factors=factors)


# ------------------------------------------------------------------ the shipped library
def test_library_loads_without_warnings(factors):
    assert len(factors) > 100
    assert list(factors.columns) == fx.FACTOR_COLUMNS
    assert factors.attrs["warnings"] == []
    assert factors["factor_id"].is_unique


@pytest.mark.parametrize("factor_id, expected", [
    # acv-terminaux.publicodes: 'formule: 170000 gCO2e' (laptop), 203000 (desktop pro), 64600 (screen), 77000
    ("laptop:manufacturing:climate_change", 170000 / 1000),
    ("desktop:manufacturing:climate_change", 203000 / 1000),
    ("screen_small:manufacturing:climate_change", 64600 / 1000),
    ("smartphone:manufacturing:climate_change", 77000 / 1000),
    ("laptop:distribution:climate_change", 12300 / 1000),
    # data center.publicodes: serveur . construction 748000 gCO2e
    ("server:manufacturing:climate_change", 748000 / 1000),
    # transmission.publicodes: 9.27 and 24.68 gCO2e/GB
    ("network_fixed_fr:use:climate_change", 9.27 / 1000),
    ("network_mobile_fr:use:climate_change", 24.68 / 1000),
    # Base Empreinte 2025 electricity, 46.1 gCO2e/kWh
    ("electricity_fr:use:climate_change", 46.1 / 1000),
    # data center.publicodes: 187000 gCO2e/m2 over 25 years
    ("dc_support_equipment:manufacturing:climate_change", 187.0 / 25),
    # MiNumEco bonne pratique 6: 2.29 kg per ream of 500 sheets
    ("paper_a4_page:manufacturing:climate_change", 2.29 / 500),
    # laptop water: 194000 litres
    ("laptop:manufacturing:water", 194000 / 1000),
])
def test_hand_values_from_cited_sources(factors, factor_id, expected):
    row = factors.set_index("factor_id").loc[factor_id]
    assert row["value"] == pytest.approx(expected, rel=1e-6)


def test_scaled_multicriteria_profile(factors):
    # NegaOctet laptop pro ADPe 8.60e-3 kgSbeq for a GWP of 181; scaled to the ADEME climate value 170
    expected = 8.60e-3 * 170 / 181
    assert fx.get_value(factors, "laptop", "manufacturing", "adp_minerals") == pytest.approx(expected, rel=1e-5)


def test_every_row_has_source_vintage_and_interval(factors):
    assert factors["source"].str.strip().ne("").all()
    assert factors["vintage"].str.strip().ne("").all()
    assert (factors["low"] <= factors["value"]).all()
    assert (factors["value"] <= factors["high"]).all()
    assert factors["status"].isin(fx.STATUSES).all()
    assert factors["note"].notna().all()


def test_no_negative_or_zero_values(factors):
    assert (factors[["value", "low", "high"]] >= 0).all().all()
    # a criterion without sound data is absent, never a zero row
    assert (factors["value"] > 0).all()


def test_assumptions_explain_themselves(factors):
    assumed = factors[factors["status"] == "assumption"]
    assert len(assumed) > 0
    assert assumed["note"].str.len().gt(40).all()


def test_units_follow_criterion_and_activity(factors):
    units = fx.criteria_units()
    expected = factors["criterion"].map(units) + "/" + factors["activity_unit"].map(fx.ACTIVITY_UNITS)
    assert (factors["unit"] == expected).all()
    assert units["climate_change"] == "kgCO2e" and units["water"] == "m3"
    assert set(units) == set(fx.CRITERIA)


def test_every_device_category_has_manufacturing_climate(factors, categories):
    assert len(categories) >= 21
    for item in categories["factor_item"]:
        assert fx.get_value(factors, item, "manufacturing", "climate_change") > 0


def test_categories_defaults_are_consistent(categories):
    c = categories
    assert (c["lifetime_low_years"] <= c["default_lifetime_years"]).all()
    assert (c["default_lifetime_years"] <= c["lifetime_high_years"]).all()
    assert (c["default_power_w"] <= c["max_power_w"]).all()
    assert c["tier"].isin(fx.TIERS).all()
    by = c.set_index("category")
    assert by.loc["internet_box", "tier"] == "networks"
    assert by.loc["smartphone", "reconditioned_embodied_share"] == pytest.approx(1 - 0.87)
    assert by.loc["laptop", "default_yearly_kwh"] == 48 and by.loc["desktop", "default_yearly_kwh"] == 151
    # a 5 kW laptop must be refused by the inventory reader: the ceiling is far below that
    assert by.loc["laptop", "max_power_w"] < 5000


def test_hosting_kinds(factors):
    h = fx.load_hosting_kinds(factors=factors).set_index("kind")
    assert h.loc["hyperscale", "default_pue"] == 1.2
    assert h.loc["colocation", "default_pue"] == 1.55
    assert h.loc["datacenter_fr", "default_pue"] == 1.46
    assert ((h["pue_low"] <= h["default_pue"]) & (h["default_pue"] <= h["pue_high"])).all()


def test_exclusions_are_not_in_the_table(factors):
    excl = fx.load_exclusions()
    assert len(excl) > 0
    assert excl["reason"].str.len().gt(10).all()
    in_table = set(zip(factors["item"], factors["criterion"], factors["value"].round(12)))
    for item, crit, value in zip(excl["item"], excl["criterion"], excl["source_value"]):
        assert (item, crit, round(value, 12)) not in in_table
    # the negative water values of the source never reach the table
    assert ((excl["criterion"] == "water") & (excl["source_value"] < 0)).any()
    assert not factors.loc[factors["criterion"] == "water", "value"].lt(0).any()
    # the box ADPe judged implausible is absent
    assert factors[(factors["item"] == "internet_box") & (factors["criterion"] == "adp_minerals")].empty


def test_version_string(tmp_path):
    text = fx.factors_version()
    name, digest = text.split("+sha256:")
    assert name == (REFERENCE_DIR / "factors_version.txt").read_text(encoding="utf-8").strip()
    assert len(digest) == 12 and all(c in "0123456789abcdef" for c in digest)
    # the digest follows the file content
    copy = tmp_path / "factors.csv"
    copy.write_bytes((REFERENCE_DIR / "factors.csv").read_bytes() + b"\n")
    (tmp_path / "factors_version.txt").write_text(name, encoding="utf-8")
    assert fx.factors_version(copy) != text


def test_get_value_names_what_is_missing(factors):
    with pytest.raises(LookupError, match="laptpo.*closest: laptop"):
        fx.get_value(factors, "laptpo", "manufacturing", "climate_change")
    with pytest.raises(LookupError, match="'use' factor for item 'laptop'"):
        fx.get_value(factors, "laptop", "use", "climate_change")
    with pytest.raises(LookupError, match="'water' factor for item 'server'.*climate_change"):
        fx.get_value(factors, "server", "manufacturing", "water")


# ------------------------------------------------------------------ validation of a factor file
def _problems(path):
    with pytest.raises(InputError) as exc:
        fx.load_factors(path)
    return {(p.row, p.column) for p in exc.value.problems}, str(exc.value)


def test_minimal_file_loads(tmp_csv):
    df = fx.load_factors(tmp_csv(HEADER + GOOD))
    assert df["value"].iat[0] == 170.0


def test_low_above_value_is_rejected_with_line_and_column(tmp_csv):
    bad = GOOD.replace(",136,", ",180,")
    found, text = _problems(tmp_csv(HEADER + GOOD.replace("laptop", "desktop") + bad))
    assert (3, "low") in found
    assert "ligne 3" in text and "'low'" in text and "180" in text


def test_bad_rows_are_all_reported(tmp_csv):
    body = (
        # id does not match item:phase:criterion
        "laptop:use:climate_change,laptop,manufacturing,climate_change,170,kgCO2e/unit,unit,136,212.5,"
        "lognormal,ADEME,2022,sourced,\n"
        # unknown phase and criterion
        "x:build:co2,x,build,co2,1,kgCO2e/unit,unit,1,1,none,ADEME,2022,sourced,\n"
        # lognormal with low = 0, and a unit that does not match the activity
        "y:manufacturing:climate_change,y,manufacturing,climate_change,1,kgCO2e/kWh,unit,0,2,lognormal,ADEME,"
        "2022,sourced,\n"
        # empty source, unknown status, infinite value
        "z:manufacturing:climate_change,z,manufacturing,climate_change,inf,kgCO2e/unit,unit,1,2,none,,2022,guess,\n"
    )
    found, _ = _problems(tmp_csv(HEADER + body))
    assert (2, "factor_id") in found
    assert (3, "phase") in found and (3, "criterion") in found
    assert (4, "low") in found and (4, "unit") in found
    assert (5, "source") in found and (5, "status") in found and (5, "value") in found


def test_duplicate_factor_and_missing_column(tmp_csv):
    found, _ = _problems(tmp_csv(HEADER + GOOD + GOOD))
    assert (2, "factor_id") in found and (3, "factor_id") in found
    no_vintage = HEADER.replace("vintage,", "")
    found, _ = _problems(tmp_csv(no_vintage + GOOD.replace("ADEME-NegaOctet 2022,", "")))
    assert (1, "vintage") in found


def test_negative_value_is_rejected(tmp_csv):
    found, _ = _problems(tmp_csv(HEADER + GOOD.replace(",170,", ",-170,").replace(",136,", ",-200,")))
    assert (2, "value") in found


def test_skewed_lognormal_interval_is_a_warning(tmp_csv):
    df = fx.load_factors(tmp_csv(HEADER + GOOD.replace(",212.5,", ",900,")))
    assert [w.column for w in df.attrs["warnings"]] == ["low"]


# ------------------------------------------------------------------ overrides
OV_HEADER = "factor_id,value,low,high,source,reason\n"


def test_override_changes_only_that_factor_and_reports_it(factors, tmp_csv):
    path = tmp_csv(OV_HEADER + "laptop:manufacturing:climate_change,250,200,300,PCF Dell Latitude 5440,parc homogène\n",
                   name="factor_overrides.csv")
    ov = fx.read_factor_overrides(path, factors)
    new, changes = fx.apply_overrides(factors, ov)
    assert len(changes) == 1
    ch = changes.iloc[0]
    assert ch["factor_id"] == "laptop:manufacturing:climate_change"
    assert ch["old_value"] == 170.0 and ch["new_value"] == 250.0
    assert ch["source"] == "PCF Dell Latitude 5440" and ch["reason"] == "parc homogène"
    changed = new["value"].to_numpy() != factors["value"].to_numpy()
    assert changed.sum() == 1
    row = new.set_index("factor_id").loc["laptop:manufacturing:climate_change"]
    assert (row["value"], row["low"], row["high"]) == (250.0, 200.0, 300.0)
    assert row["status"] == "override" and "170" in row["note"]
    others = new["factor_id"] != "laptop:manufacturing:climate_change"
    pd.testing.assert_frame_equal(new[others], factors[others])
    # the input table is left untouched
    assert fx.get_value(factors, "laptop", "manufacturing", "climate_change") == 170.0


def test_override_without_interval_keeps_relative_spread(factors):
    ov = pd.DataFrame({"factor_id": ["laptop:manufacturing:climate_change"], "value": [340.0], "low": [np.nan],
                       "high": [np.nan], "source": ["x"], "reason": [""]})
    new, _ = fx.apply_overrides(factors, ov)
    row = new.set_index("factor_id").loc["laptop:manufacturing:climate_change"]
    # the library's laptop interval is 170 ×/÷ (296/170) = [97.635, 296] (issue 18: contains MiNumEco's 296 kg);
    # doubling the value doubles both bounds
    assert row["low"] == pytest.approx(170 / (296 / 170) * 2, rel=1e-5) and row["high"] == pytest.approx(296 * 2)


def test_unknown_override_names_the_closest_id(factors, tmp_csv):
    path = tmp_csv(OV_HEADER + "laptop:manufacturing:climat_change,250,,,PCF,\n", name="factor_overrides.csv")
    with pytest.raises(InputError) as exc:
        fx.read_factor_overrides(path, factors)
    p = exc.value.problems[0]
    assert (p.row, p.column) == (2, "factor_id")
    assert "laptop:manufacturing:climate_change" in str(exc.value)


def test_override_interval_and_source_are_checked(factors, tmp_csv):
    body = ("laptop:manufacturing:climate_change,250,260,300,PCF,\n"
            "desktop:manufacturing:climate_change,250,200,300,,\n")
    with pytest.raises(InputError) as exc:
        fx.read_factor_overrides(tmp_csv(OV_HEADER + body), factors)
    found = {(p.row, p.column) for p in exc.value.problems}
    assert (2, "low") in found and (3, "source") in found


def test_electricity_override(factors):
    new, changes = fx.electricity_override(factors, 0.052, "territory.yaml")
    assert fx.get_value(new, "electricity_fr", "use", "climate_change") == 0.052
    assert list(changes["factor_id"]) == ["electricity_fr:use:climate_change"]
    assert changes["old_value"].iat[0] == 0.0461
    # the other criteria of electricity are unchanged
    assert fx.get_value(new, "electricity_fr", "use", "ionising_radiation") == fx.get_value(
        factors, "electricity_fr", "use", "ionising_radiation")
    same, none = fx.electricity_override(factors, None)
    assert none.empty and same.equals(factors)
    with pytest.raises(InputError, match="electricity_factor_kgco2e_per_kwh"):
        fx.electricity_override(factors, -1.0)


def test_correlation_group_is_documented_and_checked(factors, tmp_csv):
    """Issue 18: the four spend ratios share one source and basis (issue 32: ADEME's 2023 monetary ratios, one
    method): one group; a group mixing distributions cannot share one draw and is refused (line and column named)."""
    spend = factors[factors["item"].str.startswith("spend_")]
    assert set(spend["correlation_group"]) == {"ademe_ratios_monetaires_2023"}
    assert (factors.loc[~factors["item"].str.startswith("spend_"), "correlation_group"] == "").all()
    header = HEADER.rstrip("\n") + ",correlation_group\n"
    row_a = GOOD.rstrip("\n") + ",g\n"
    row_b = ("desktop:manufacturing:climate_change,desktop,manufacturing,climate_change,203,kgCO2e/unit,unit,162,"
             "259,triangular,ADEME,ADEME-NegaOctet 2022,sourced,,g\n")
    found, text = _problems(tmp_csv(header + row_a + row_b))
    assert (2, "correlation_group") in found and (3, "correlation_group") in found
    assert "groupe de corrélation 'g'" in text


# ------------------------------------------------------------------ electricity vintages (issue 18)

def test_every_vintage_row_has_source_and_vintage():
    v = fx.load_electricity_vintages()
    assert v["year"].is_monotonic_increasing and v["year"].is_unique
    for col in ("source", "vintage", "label", "status"):
        assert v[col].astype(str).str.strip().ne("").all(), col
    assert ((v["low"] <= v["value"]) & (v["value"] <= v["high"])).all()
    # the latest vintage is the library's own electricity factor
    lib = fx.load_factors().set_index("factor_id").loc[fx.ELECTRICITY_FACTOR_ID]
    assert v["value"].iat[-1] == lib["value"]


def test_electricity_factor_follows_the_reference_year():
    """Base Carbone 2020 → 0.0599 (issue 32), 2021 → 0.0569; Base Empreinte: 2022 → 0.0520, 2023 → 0.0580, 2024
    (smoothed 2021–2024) → 0.0519, 2025 (smoothed 2022–2025) → 0.0461 kgCO2e/kWh. A year without a sourced row takes
    the nearest one (the earlier on a tie) and says so: 2019 → 2020."""
    v = fx.load_electricity_vintages()
    assert fx.electricity_vintage(v, 2022)["value"] == 0.052 and fx.electricity_vintage(v, 2022)["exact"]
    assert fx.electricity_vintage(v, 2023)["value"] == 0.058
    assert fx.electricity_vintage(v, 2021)["value"] == 0.0569 and fx.electricity_vintage(v, 2021)["exact"]
    assert fx.electricity_vintage(v, 2020)["value"] == 0.0599 and fx.electricity_vintage(v, 2020)["exact"]
    old = fx.electricity_vintage(v, 2019)
    assert old["vintage_year"] == 2020 and not old["exact"] and "2019" in old["note"] and "2020" in old["note"]
    # without the 2020 and 2021 rows the nearest sourced year to 2020 is 2022
    assert fx.electricity_vintage(v[~v["year"].isin([2020, 2021])], 2020)["vintage_year"] == 2022
    assert fx.electricity_vintage(v, 2024)["value"] == 0.0519 and fx.electricity_vintage(v, 2024)["exact"]
    # without the 2024 row, 2023 and 2025 are as close to 2024: the earlier is taken
    assert fx.electricity_vintage(v[v["year"] != 2024], 2024)["vintage_year"] == 2023
    assert fx.electricity_vintage(v, 2020)["latest"]["value"] == 0.0461
    factors, info = fx.apply_electricity_vintage(fx.load_factors(), 2022)
    row = factors.set_index("factor_id").loc[fx.ELECTRICITY_FACTOR_ID]
    assert row["value"] == 0.052 and "2022" in row["vintage"] and row["source"] == info["source"]


def test_office_switch_has_an_office_class_factor(factors, categories):
    """Issue 18: office access switches are not data-centre switches. Their factor (assumption, cited bounds) lies
    between ADEME's internet box (60.8 kg) and ADEME's data-centre switch (367 kg): geometric mean
    sqrt(60.8 × 367) = 149.4 kg, 95 % interval [60.8, 367]."""
    row = factors.set_index("factor_id").loc["switch_office:manufacturing:climate_change"]
    assert row["value"] == pytest.approx((60.8 * 367) ** 0.5, abs=0.05)
    assert row["low"] == pytest.approx(60.8, rel=1e-3) and row["high"] == pytest.approx(367, rel=1e-3)
    assert row["status"] == "assumption" and "data center.publicodes" in row["source"] and row["vintage"]
    cat = categories.set_index("category").loc["switch_office"]
    assert cat["tier"] == "networks" and cat["default_power_w"] == 30


def test_new_reference_rows_are_listed_in_the_data_log():
    """Issue 18: every new factor row (vintages, office network gear) carries its source and vintage, and
    docs/data_log.md lists the new datasets."""
    from helpers.io.paths import PROJECT_ROOT

    log = (PROJECT_ROOT / "docs" / "data_log.md").read_text(encoding="utf-8")
    for name in ("electricity_vintages.csv", "switch_office", "correlation_group"):
        assert name in log, name
    lib = fx.load_factors().set_index("factor_id")
    row = lib.loc["switch_office:manufacturing:climate_change"]
    assert row["source"] and row["vintage"]


def test_the_2020_electricity_value_is_the_nos_gestes_climat_rule_of_march_2021():
    """Issue 32: 0.0599 kgCO2e/kWh, 'année 2020', rule 'intensité électricité' of incubateur-ademe/nosgestesclimat at
    commit fc0a5d3a (2021-03-22), citing the Base Carbone; ADEME's method before the January 2023 nuclear revision."""
    v = fx.load_electricity_vintages().set_index("year")
    r = v.loc[2020]
    assert r["value"] == 0.0599 and "année 2020" in r["label"]
    assert r["source"].startswith("incubateur-ademe/nosgestesclimat:data/divers.yaml@fc0a5d3a")
    assert r["method"] == "annual_before_nuclear_revision"
    assert set(v["method"]) == set(fx.ELECTRICITY_METHODS)


def test_method_breaks_are_stated_between_vintages_that_straddle_them():
    """Issue 32 (domain-facts §10.1): the nuclear factor lowered in January 2023 (2021 → 2022) and four-year smoothing
    from 2024 (2023 → 2024). 2020 against the latest vintage straddles both; 2022 against 2025 only the second; 2024
    against 2025 none."""
    v = fx.load_electricity_vintages()
    both = fx.electricity_vintage(v, 2020)["breaks_to_latest"]
    assert len(both) == 2 and "nucléaire" in both[0] and "quatre années" in both[1]
    one = fx.electricity_vintage(v, 2022)["breaks_to_latest"]
    assert len(one) == 1 and "quatre années" in one[0]
    assert fx.electricity_vintage(v, 2024)["breaks_to_latest"] == []
    assert fx.electricity_method_breaks("smoothed_4_years", "annual_before_nuclear_revision") == both
    assert fx.electricity_method_breaks("annual_before_nuclear_revision", "unknown") == []
