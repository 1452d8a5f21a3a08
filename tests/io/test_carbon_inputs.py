"""Readers of hosting.csv, telecom.csv, purchases.csv, printing.csv: every problem with its file line and column."""

import pandas as pd
import pytest

from helpers.io import carbon_inputs as ci
from helpers.io.errors import InputError
from helpers.io.tables import template_csv
from helpers.io.territory import Entity, Territory

TERRITORY = Territory(slug="t", name="T", kind="commune", population=60000, agents=800, reference_year=2023,
                      target_year=2040, milestone_year=2030,
                      entities=(Entity("ville", "Ville"), Entity("agglo", "Agglo")))
KINDS = pd.DataFrame({"kind": ["server_room", "cloud_eu"], "label_fr": ["Salle", "Cloud"], "default_pue": [2.0, 1.2],
                      "pue_low": [1.5, 1.1], "pue_high": [3.0, 1.6], "electricity_item": ["electricity_fr"] * 2,
                      "source": ["x", "x"]})
FACTORS = pd.DataFrame({"item": ["electricity_fr", "electricity_eu"], "phase": ["use", "use"],
                        "activity_unit": ["kwh", "kwh"]})


def problems(call):
    with pytest.raises(InputError) as exc:
        call()
    return {(p.row, p.column) for p in exc.value.problems}


def test_hosting_good_file(tmp_csv):
    path = tmp_csv("site_id,entity,kind,pue,it_kwh_per_year,floor_area_m2\nsr,ville,server_room,1.8,,40\n"
                   "saas,agglo,cloud_eu,,,\n", "hosting.csv")
    df = ci.read_hosting(path, TERRITORY, KINDS, FACTORS)
    assert list(df["site_id"]) == ["sr", "saas"] and df.loc[0, "pue"] == 1.8 and df.loc[1, "quality"] == "medium"


def test_hosting_every_problem(tmp_csv):
    path = tmp_csv("site_id,entity,kind,pue,electricity_item\nsr,ville,serveur_room,0.8,\nsr,mairie,server_room,,"
                   "electricity_mars\n", "hosting.csv")
    found = problems(lambda: ci.read_hosting(path, TERRITORY, KINDS, FACTORS))
    assert {(2, "kind"), (2, "pue"), (3, "entity"), (3, "electricity_item"), (2, "site_id"), (3, "site_id")} <= found


def test_hosting_kind_hint(tmp_csv):
    path = tmp_csv("site_id,entity,kind\nsr,ville,serveur_room\n", "hosting.csv")
    with pytest.raises(InputError, match="les plus proches : server_room"):
        ci.read_hosting(path, TERRITORY, KINDS, FACTORS)


def test_telecom_row_with_nothing_to_count(tmp_csv):
    path = tmp_csv("entity,fixed_data_gb_per_year,mobile_data_gb_per_year,fixed_lines,mobile_lines\n"
                   "ville,,600,2,50\nagglo,,,,\nville,-5,,,\n", "telecom.csv")
    found = problems(lambda: ci.read_telecom(path, TERRITORY))
    assert (3, None) in found and (4, "fixed_data_gb_per_year") in found


def test_purchases_year_default_and_late_year(tmp_csv):
    ok = ci.read_purchases(tmp_csv("entity,category,amount_eur,year\nville,services,1000,\nagglo,software,5,2022\n",
                                   "purchases.csv"), TERRITORY)
    assert list(ok["year"]) == [2023, 2022] and list(ok["in_reference_year"]) == [True, False]
    path = tmp_csv("entity,category,amount_eur,year\nville,hardware,1000,2024\nville,services,abc,\n",
                   "purchases.csv")
    assert {(2, "category"), (2, "year"), (3, "amount_eur")} <= problems(lambda: ci.read_purchases(path, TERRITORY))


def test_printing_reams_from_pages_and_warnings(tmp_csv):
    df = ci.read_printing(tmp_csv("entity;reams_per_year;pages_per_year\nville;;250000\nagglo;10;5000\n",
                                  "printing.csv"), TERRITORY)
    assert list(df["reams"]) == [500.0, 10.0]
    assert [w.row for w in df.attrs["warnings"]] == [3]
    path = tmp_csv("entity,reams_per_year,pages_per_year\nville,,\n", "printing.csv")
    assert (2, "reams_per_year") in problems(lambda: ci.read_printing(path, TERRITORY))


@pytest.mark.parametrize("schema", [ci.HOSTING_SCHEMA, ci.TELECOM_SCHEMA, ci.PURCHASES_SCHEMA, ci.PRINTING_SCHEMA],
                         ids=lambda s: s.file)
def test_templates_are_valid_inputs(tmp_csv, schema):
    """``make new-territory`` writes these templates: they must pass their own reader."""
    path = tmp_csv(template_csv(schema), schema.file)
    reader = {"hosting.csv": lambda p: ci.read_hosting(p, TERRITORY, KINDS, FACTORS),
              "telecom.csv": lambda p: ci.read_telecom(p, TERRITORY),
              "purchases.csv": lambda p: ci.read_purchases(p, TERRITORY),
              "printing.csv": lambda p: ci.read_printing(p, TERRITORY)}[schema.file]
    assert len(reader(path)) == 1


@pytest.mark.parametrize("slug", ["la-rochelle", "test-mini"])
def test_shipped_territory_files_are_valid(slug):
    from helpers.io.paths import RAW_DIR
    from helpers.io.territory import load_territory

    t = load_territory(slug)
    raw = RAW_DIR / slug
    assert len(ci.read_hosting(raw / "hosting.csv", t)) >= 1
    assert len(ci.read_telecom(raw / "telecom.csv", t)) >= 1
    assert len(ci.read_purchases(raw / "purchases.csv", t)) >= 1
    assert len(ci.read_printing(raw / "printing.csv", t)) >= 1
    if slug == "la-rochelle":  # every assumed figure is marked in the comment column
        for name in ("hosting", "telecom", "purchases", "printing"):
            comments = pd.read_csv(raw / f"{name}.csv")["comment"]
            assert comments.str.startswith("HYPOTHÈSE : ").all(), name  # issue 33: French comments


def test_entities_by_name_ignoring_case_and_accents_one_problem_per_value(tmp_csv):
    """'VILLE' and 'agglo' match by name/id; 'Métropole' on three rows is one problem with its rows."""
    df = ci.read_telecom(tmp_csv("entity,mobile_lines\nVILLE,3\nAgglo,2\n", "telecom.csv"), TERRITORY)
    assert list(df["entity"]) == ["ville", "agglo"]
    path = tmp_csv("entity,mobile_lines\nMétropole,1\nMétropole,1\nville,1\nMétropole,1\n", "telecom.csv")
    with pytest.raises(InputError) as exc:
        ci.read_telecom(path, TERRITORY)
    [problem] = exc.value.problems
    assert (problem.count, problem.rows) == (3, (2, 3, 5))
    assert "3 lignes (lignes 2, 3, 5)" in str(exc.value)
