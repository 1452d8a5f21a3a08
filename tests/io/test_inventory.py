"""The inventory reader: defaults from categories, synonyms, and every bad case as a clear error."""

from __future__ import annotations

import pytest

from helpers.io.errors import InputError
from helpers.io.factors import load_categories
from helpers.io.inventory import read_inventory
from helpers.io.territory import load_territory

HEADER = "line_id,entity,category,quantity,purchase_year,lifetime_years,power_w,hours_per_day,days_per_year,yearly_kwh,reconditioned,quality,site\n"


@pytest.fixture(scope="module")
def territory():
    return load_territory("test-mini")


@pytest.fixture(scope="module")
def categories():
    return load_categories()


def read(tmp_csv, territory, categories, body, header=HEADER, sites=("sr-mairie",)):
    return read_inventory(tmp_csv(header + body), territory, categories, list(sites))


def problems(tmp_csv, territory, categories, body, header=HEADER):
    with pytest.raises(InputError) as exc:
        read(tmp_csv, territory, categories, body, header)
    return [(p.row, p.column) for p in exc.value.problems], str(exc.value)


def test_both_shipped_inventories_are_valid(territory, categories):
    from helpers.io.paths import raw_dir

    inv = read_inventory(raw_dir("test-mini") / "inventory.csv", territory, categories, ["sr-mairie"])
    assert inv["quantity"].sum() == 369
    lr = load_territory("la-rochelle")
    inv = read_inventory(raw_dir("la-rochelle") / "inventory.csv", lr, categories, None)
    computers = inv.loc[inv["category"].isin(["laptop", "desktop"]), "quantity"].sum()
    screens = inv.loc[inv["category"].str.startswith("screen"), "quantity"].sum()
    assert (computers, screens) == (2500, 3400)  # the published La Rochelle fleet (domain-facts §6.1)


def test_defaults_and_yearly_kwh_origin(tmp_csv, territory, categories):
    df = read(tmp_csv, territory, categories,
              "A,mairie,laptop,10,2020,,,,,,no,high,\n"
              "B,mairie,laptop,10,2020,,30,8,200,,no,high,\n"
              "C,mairie,laptop,10,2020,,,,,55,no,high,\n")
    cat = categories.set_index("category").loc["laptop"]
    assert df.loc[0, "lifetime_years"] == cat["default_lifetime_years"]
    assert list(df["yearly_kwh_origin"]) == ["category_default", "power_x_hours", "given"]
    assert df.loc[1, "yearly_kwh"] == pytest.approx(30 * 8 * 200 / 1000)  # W × h/day × days / 1000
    assert df.loc[2, "yearly_kwh"] == 55
    assert df.loc[0, "age_years"] == 3  # 2023 - 2020


def test_french_headers_and_category_names(tmp_csv, territory, categories):
    header = "Identifiant;Entité;Catégorie;Quantité;Année d'achat;Durée de vie (ans)\n"
    df = read(tmp_csv, territory, categories,
              "A;mairie;Ordinateur portable;3;2021;5\nB;mairie;Unité centrale;2;2020;6,5\nC;mairie;écran 27 pouces;1;2020;\n",
              header=header)
    assert list(df["category"]) == ["laptop", "desktop", "screen_large"]
    assert df.loc[1, "lifetime_years"] == 6.5


@pytest.mark.parametrize("body,expected", [
    ("A,mairie,laptop,0,2020,,,,,,no,high,\n", (2, "quantity")),
    ("A,mairie,laptop,-4,2020,,,,,,no,high,\n", (2, "quantity")),
    ("A,mairie,laptop,2.5,2020,,,,,,no,high,\n", (2, "quantity")),
    ("A,mairie,laptop,x,2020,,,,,,no,high,\n", (2, "quantity")),
    ("A,mairie,laptop,,2020,,,,,,no,high,\n", (2, "quantity")),
    ("A,mairie,laptop,1,2020,0,,,,,no,high,\n", (2, "lifetime_years")),
    ("A,mairie,laptop,1,2020,60,,,,,no,high,\n", (2, "lifetime_years")),
    ("A,mairie,laptop,1,2020,,5000,,,,no,high,\n", (2, "power_w")),
    ("A,mairie,laptop,1,2020,,,25,,,no,high,\n", (2, "hours_per_day")),
    ("A,mairie,laptop,1,1850,,,,,,no,high,\n", (2, "purchase_year")),
    ("A,mairie,laptop,1,2020,,,,,900000,no,high,\n", (2, "yearly_kwh")),
    ("A,mairie,laptop,1,2020,,,,,,peut-être,high,\n", (2, "reconditioned")),
    ("A,mairie,laptop,1,2020,,,,,,no,excellent,\n", (2, "quality")),
    ("A,mairie,laptop,1,2020,,,,,,no,high,\nA,mairie,laptop,1,2020,,,,,,no,high,\n", (3, "line_id")),
    ("A,prefecture,laptop,1,2020,,,,,,no,high,\n", (2, "entity")),
    ("A,mairie,server,1,2020,,,,,,no,high,salle-x\n", (2, "site")),
])
def test_bad_lines_are_located(tmp_csv, territory, categories, body, expected):
    found, message = problems(tmp_csv, territory, categories, body)
    assert expected in found, message
    assert "Traceback" not in message


def test_unknown_categories_listed_together_with_closest_names(tmp_csv, territory, categories):
    with pytest.raises(InputError) as exc:
        read_inventory(tmp_csv(HEADER + "A,mairie,ordinateur portabl,1,2020,,,,,,no,high,\n"
                               "B,mairie,smartfone,1,2020,,,,,,no,high,\n"), territory, categories, strict=True)
    message = str(exc.value)
    assert "les plus proches : ordinateur portable" in message
    assert "'ordinateur portabl'" in message and "'smartfone'" in message


def test_every_problem_of_the_file_at_once(tmp_csv, territory, categories):
    found, _ = problems(tmp_csv, territory, categories,
                        "A,mairie,laptop,0,2020,,,,,,no,high,\nB,nowhere,laptop,1,2020,,,,,,no,high,\n")
    assert {(2, "quantity"), (3, "entity")} <= set(found)


def test_missing_required_column(tmp_csv, territory, categories):
    found, message = problems(tmp_csv, territory, categories, "A,mairie,1\n", header="line_id,entity,quantity\n")
    assert (1, "category") in found


def test_unknown_type_is_an_error_only_in_strict_mode(tmp_csv, territory, categories):
    body = "A,mairie,grille-pain,1,2020,,,,,,no,high,\nB,mairie,laptop,2,2020,,,,,,no,high,\n"
    with pytest.raises(InputError) as exc:
        read_inventory(tmp_csv(HEADER + body), territory, categories, strict=True)
    assert [(p.row, p.column) for p in exc.value.problems] == [(2, "category")]
    df = read_inventory(tmp_csv(HEADER + body, name="again.csv"), territory, categories, strict=False)
    assert list(df["line_id"]) == ["B"]
    assert df.attrs["import_report"][0].excluded == {"unknown_type": 1}
    assert any("grille-pain" in str(w) for w in df.attrs["warnings"])


def test_bought_after_the_reference_year_excluded_and_counted(tmp_csv, territory, categories):
    """test-mini's reference year is 2023: the 2031 line is excluded with a warning, not an error."""
    df = read(tmp_csv, territory, categories, "A,mairie,laptop,1,2031,,,,,,no,high,\nB,mairie,laptop,3,2023,,,,,,no,high,\n")
    assert list(df["line_id"]) == ["B"]
    assert df.attrs["import_report"][0].excluded == {"after_reference_year": 1}
    assert any("2023" in str(w) and "exclue" in str(w) for w in df.attrs["warnings"])
