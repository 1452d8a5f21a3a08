"""Fleet-age indicators when the inventory has no purchase dates (issue 17: an OCS Inventory export has neither
dates nor ages): the page says "non renseigné (aucune date d'achat dans l'inventaire)", ``summary.json`` gets
``null``, never "Âge moyen … nan" nor "0 % au-delà de leur durée de vie"; with some dated devices the indicators
are computed on those only and the share of dated devices is shown."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest

from helpers.io.factors import load_categories
from helpers.io.inventory import read_inventory
from helpers.io.territory import load_territory
from helpers.model import carbon
from helpers.report import carbon as carbon_report
from helpers.report import carbon_labels
from helpers.run.context import dumps


@pytest.fixture(scope="module")
def categories():
    return load_categories()


def read(tmp_csv, categories, text):
    """A per-asset export (one line per asset, no quantity column) of test-mini (reference year 2023)."""
    return read_inventory(tmp_csv(text, "inventory.csv"), load_territory("test-mini"), categories, [])


#: OCS Inventory-like export: names, a type and the entity, no purchase date, no age
UNDATED = "Nom,Type,Entité\nPC-001,laptop,mairie\nPC-002,laptop,mairie\nPC-003,desktop,ecoles\n"
#: the same fleet, two laptops dated: 2015 (age 8 > laptop lifetime 5 years) and 2020 (age 3); PC-003 undated
PARTLY = "Nom,Type,Entité,Date d'achat\nPC-001,laptop,mairie,12/03/2015\nPC-002,laptop,mairie,2020-06-01\n" \
         "PC-003,desktop,ecoles,\n"


def study(inv, categories):
    return SimpleNamespace(inputs={"inventory": inv}, territory=SimpleNamespace(agents=10), categories=categories)


def test_no_dated_device_gives_no_age_indicator(tmp_csv, categories):
    inv = read(tmp_csv, categories, UNDATED)
    age = carbon.fleet_age(inv)
    assert age["dated_share"] == 0.0
    assert np.isnan(age["mean_age_years"]) and np.isnan(age["share_past_lifetime"])


def test_no_dated_device_is_null_in_the_summary(tmp_csv, categories):
    """carbon_section.run_study puts fleet_age in summary_carbon.json, written by context.dumps (NaN as null)."""
    age = json.loads(dumps({"fleet_age": carbon.fleet_age(read(tmp_csv, categories, UNDATED))}))["fleet_age"]
    assert age == {"dated_share": 0.0, "mean_age_years": None, "share_past_lifetime": None}


def test_no_dated_device_is_said_on_the_page(tmp_csv, categories):
    ratios, ages = carbon_report.fleet_display(study(read(tmp_csv, categories, UNDATED), categories))
    shown = dict(zip(ratios["Indicateur"], ratios["Valeur"]))
    assert shown["Âge moyen pondéré par les quantités (équipements datés)"] == \
        "non renseigné (aucune date d'achat dans l'inventaire)"
    assert shown["Part des équipements datés au-delà de leur durée de vie"] == \
        "non renseigné (aucune date d'achat dans l'inventaire)"
    assert shown["Part des équipements datés (date d'achat ou âge dans l'inventaire)"] == "0 %"
    assert not any("nan" in v.lower() for v in ratios["Valeur"])
    assert set(ages["Âge moyen (ans)"]) == {"non renseigné"}
    assert set(ages["Au-delà de la durée de vie (%)"]) == {"non renseigné"}


def test_age_indicators_use_the_dated_devices_only(tmp_csv, categories):
    """By hand: dated laptops aged 2023 − 2015 = 8 and 2023 − 2020 = 3, lifetime 5 (categories.csv):
    mean age (8 + 3) / 2 = 5.5; past lifetime 1 of the 2 dated = 0.5 (counting the undated desktop as new would
    give 1/3); dated share 2/3."""
    inv = read(tmp_csv, categories, PARTLY)
    age = carbon.fleet_age(inv)
    assert age["dated_share"] == pytest.approx(2 / 3)
    assert age["mean_age_years"] == pytest.approx(5.5)
    assert age["share_past_lifetime"] == pytest.approx(0.5)
    ratios, _ = carbon_report.fleet_display(study(inv, categories))
    shown = dict(zip(ratios["Indicateur"], ratios["Valeur"]))
    assert shown["Part des équipements datés (date d'achat ou âge dans l'inventaire)"] == "67 %"
    assert shown["Part des équipements datés au-delà de leur durée de vie"] == "50 %"
    assert shown["Âge moyen pondéré par les quantités (équipements datés)"] == "5,50"


def test_age_profile_per_category_ignores_undated_devices(tmp_csv, categories):
    """Laptops: 2 dated, mean 5.5, half past lifetime; desktop: none dated, so no mean age (not 0)."""
    prof = carbon_labels.age_profile(read(tmp_csv, categories, PARTLY), categories).set_index("category")
    assert prof.loc["laptop", "dated_quantity"] == 2
    assert prof.loc["laptop", "mean_age_years"] == pytest.approx(5.5)
    assert prof.loc["laptop", "share_past_lifetime"] == pytest.approx(0.5)
    assert prof.loc["desktop", "dated_quantity"] == 0
    assert np.isnan(prof.loc["desktop", "mean_age_years"]) and np.isnan(prof.loc["desktop", "share_past_lifetime"])
    assert prof.loc["desktop", "non daté"] == 1 and "nan" not in prof.columns  # undated: its own band, no 'nan'
