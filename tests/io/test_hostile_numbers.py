"""Numbers from hostile inputs (issue 31, cases 1 and 3): bounded, finite, read with a stated decimal convention.

Case 1: an amount of ``1e400`` gave ``inf`` tonnes in the batch and ``Infinity`` in ``summary.json`` (not JSON);
``1e308`` kWh published 9.1e303 t. Every numeric column of every schema now has a physical plausibility bound
(``helpers.io.bounds``), a value beyond it or not finite is an error naming file, line, column and bound, and
``summary.json`` is strict JSON.

Case 3: ``850,000`` in a column whose other value is ``550000,5`` became 850 € with no note. The decimal convention is
decided per column (its own cells, else the other columns of the file), its evidence is in the import report, and a
value read with three decimals where the column writes fewer is a warning naming the other reading.
"""

from __future__ import annotations

import importlib
import json
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.io import paths, readers
from helpers.io.errors import InputError
from helpers.io.tables import Column, Schema, read_table, schema_markdown, take_report

ROOT = Path(__file__).resolve().parents[2]
MODULES = ("helpers.io.carbon_inputs", "helpers.io.inventory", "helpers.io.factors", "helpers.io.services_inputs",
           "helpers.io.rgesn_inputs", "helpers.io.maturity_inputs", "helpers.io.catalogue")


def all_schemas() -> list[Schema]:
    out = {}
    for name in MODULES:
        for value in vars(importlib.import_module(name)).values():
            if isinstance(value, Schema):
                out[id(value)] = value
    return list(out.values())


def test_every_numeric_column_of_every_schema_has_a_documented_plausibility_bound():
    numeric = [(s, c) for s in all_schemas() for c in s.columns if c.kind in ("int", "float", "year", "date")]
    assert len(numeric) > 80
    unbounded = [f"{s.file}:{c.name}" for s, c in numeric
                 if c.min is None or c.max is None or not (math.isfinite(c.min) and math.isfinite(c.max))]
    assert unbounded == []
    for schema in all_schemas():  # the README of a territory gives each column's range
        doc = schema_markdown(schema)
        for c in schema.columns:
            if c.kind in ("int", "float", "year", "date"):
                assert f"<= {c.max:g}" in doc, (schema.file, c.name)


def _territory(tmp_path, monkeypatch, name="t31") -> Path:
    monkeypatch.setattr(paths, "RAW_DIR", tmp_path / "raw")
    monkeypatch.setattr(paths, "PROCESSED_DIR", tmp_path / "processed")
    folder = tmp_path / "raw" / name
    shutil.copytree(ROOT / "data" / "raw" / "test-mini", folder)
    return folder


def test_1e400_euros_are_refused_naming_file_line_column_and_bound(tmp_path, monkeypatch):
    from helpers.io.carbon_inputs import read_purchases
    from helpers.io.territory import load_territory

    folder = _territory(tmp_path, monkeypatch)
    path = folder / "purchases.csv"
    path.write_text("entity,category,amount_eur,year,quality,comment\nmairie,services,20000,2023,high,x\n"
                    "mairie,software,1e400,2023,high,y\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_purchases(path, load_territory("t31"))
    message = str(exc.value)
    assert "purchases.csv, ligne 3, colonne 'amount_eur' : trouvé '1e400'" in message
    assert "un nombre fini en €, au plus 10 000 000 000" in message


@pytest.mark.parametrize("file,column,value,bound", [
    ("hosting.csv", "it_kwh_per_year", "1e308", "une valeur <= 1 000 000 000 en kWh/an"),
    ("inventory.csv", "yearly_kwh", "1e308", "une valeur <= 1 000 000 en kWh/an"),
    ("inventory.csv", "power_w", "2e9", "une valeur <= 100 000 en W"),
    ("telecom.csv", "mobile_data_gb_per_year", "1e300", "une valeur <= 1 000 000 000 en Go/an"),
    ("printing.csv", "reams_per_year", "1e12", "une valeur <= 10 000 000 en ramettes/an"),
    ("services.csv", "annual_volume", "1e15", "une valeur <= 100 000 000 000"),
])
def test_a_huge_value_is_an_error_naming_its_bound_and_nothing_is_computed(tmp_path, monkeypatch, file, column, value,
                                                                          bound):
    """The study stops at the ingest, naming the cell and the bound: no 9.1e303 t, no figure axis failing later."""
    from helpers.run.study import compute_sections

    folder = _territory(tmp_path, monkeypatch)
    table = pd.read_csv(folder / file, dtype=str, keep_default_na=False)
    table.loc[0, column] = value
    table.to_csv(folder / file, index=False)
    with pytest.raises(InputError) as exc:
        compute_sections("t31", n_draws=100, processed_dir=tmp_path / "processed" / "t31")
    message = str(exc.value)
    assert f"{file}, ligne 2, colonne '{column}' : trouvé '{value}'" in message and bound in message, message
    assert not (tmp_path / "processed" / "t31" / "summary_carbon.json").exists()


def test_the_batch_reports_1e400_as_an_input_error_not_infinity(tmp_path, monkeypatch):
    """The attack through ``make batch`` (summary mode): a failed row naming the file, never ``inf`` tonnes."""
    from helpers.run import batch

    folder = _territory(tmp_path, monkeypatch)
    monkeypatch.setattr(paths, "OUTPUTS_DIR", tmp_path / "outputs")
    text = (folder / "purchases.csv").read_text(encoding="utf-8").splitlines()
    head, first = text[0], text[1].split(",")
    first[head.split(",").index("amount_eur")] = "1e400"
    (folder / "purchases.csv").write_text("\n".join([head, ",".join(first)] + text[2:]) + "\n", encoding="utf-8")
    table = batch.run_batch(["t31"], scheduler="inline", n_draws=100, quiet=True, write_comparison=False)
    row = table.iloc[0]
    assert row["status"] == "failed" and "purchases.csv" in row["error"] and "1e400" in row["error"]
    assert row["total_tco2e"] is None or pd.isna(row["total_tco2e"])
    assert not (tmp_path / "outputs" / "t31" / "summary.json").exists()


def test_summary_json_is_strict_json():
    """NaN becomes null; an infinite figure is refused with its key, never written as ``Infinity``."""
    from helpers.run.context import NonFiniteValue, dumps

    assert json.loads(dumps({"a": float("nan"), "b": [1.5]})) == {"a": None, "b": [1.5]}
    with pytest.raises(NonFiniteValue, match=r"« carbon\.by_entity\[1\]\.tco2e »"):
        dumps({"carbon": {"by_entity": [{"tco2e": 1.0}, {"tco2e": float("inf")}]}})


def test_infinite_text_is_not_a_number(tmp_path):
    schema = Schema(file="x.csv", columns=(Column("label", required=True), Column("kwh", "float", min=0, max=10)))
    path = tmp_path / "x.csv"
    path.write_text("label,kwh\na,inf\nb,Infinity\nc,-1e999\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_table(path, schema)
    message = str(exc.value)
    assert "'inf'" in message and "'Infinity'" in message and "'-1e999'" in message and "un nombre fini" in message


# --- case 3: decimal convention per column, with its evidence ----------------------------------------------------------


AMOUNTS = Schema(file="purchases.csv", columns=(Column("label", required=True), Column("amount_eur", "float"),
                                                  Column("volume_gb", "float")))


def _read(tmp_path, text: str):
    path = tmp_path / "purchases.csv"
    path.write_text(text, encoding="utf-8")
    df = read_table(path, AMOUNTS)
    return df, take_report(df)


def test_850_000_beside_550000_5_is_read_with_the_column_convention_and_never_silently(tmp_path):
    """The attack: 850,000 and 550000,5 in one column. The column shows a decimal comma (550000,5), so 850,000 is
    850,000 = 850 as written; but a value with three decimals in a column that writes one is flagged, naming the
    other reading (850 000), and the import report says which convention and why."""
    df, report = _read(tmp_path, "label;amount_eur;volume_gb\nservices;850,000;1\nlogiciels;550000,5;2\n")
    assert df["amount_eur"].tolist() == [850.0, 550000.5]
    warning = next(str(w) for w in report["warnings"] if w.column == "amount_eur")
    assert "ligne 2" in warning and "'850,000' lu 850" in warning and "'550000,5' ligne 3" in warning
    assert "si c'est 850 000 (séparateur de milliers), corrigez la cellule" in warning
    assert report["decimals"]["amount_eur"] == (
        "virgule décimale (déduite de '550000,5' ligne 3 de la colonne ; 1 valeur(s) à deux lectures lue(s) ainsi, "
        "dont '850,000' ligne 2)")


def test_the_evidence_of_another_column_is_named(tmp_path):
    """A column with no clue of its own follows the file (issue 21), and the report says from which column: the
    ambiguous column comes first in the file, the clue after it (every column's clues are seen before any is read)."""
    df, report = _read(tmp_path, "label;volume_gb;amount_eur\npc;16,800;12,5\n")
    assert df["volume_gb"].tolist() == [16.8] and df["amount_eur"].tolist() == [12.5]
    assert report["decimals"]["volume_gb"].startswith(
        "virgule décimale (déduite d'une autre colonne du fichier : '12,5' ligne 2, colonne 'amount_eur'")
    assert report["decimals"]["amount_eur"] == "virgule décimale (déduite de '12,5' ligne 2 de la colonne)"


def test_a_column_that_writes_three_decimals_reads_d_ddd_silently(tmp_path):
    df, report = _read(tmp_path, "label;amount_eur;volume_gb\na;0,125;1\nb;1,250;2\n")
    assert df["amount_eur"].tolist() == [0.125, 1.25]
    assert not [w for w in report["warnings"] if w.column == "amount_eur"]


def test_a_value_nothing_settles_is_an_error_naming_both_readings(tmp_path):
    with pytest.raises(InputError) as exc:
        _read(tmp_path, "label;amount_eur;volume_gb\nservices;850,000;1\n")
    message = str(exc.value)
    assert "'850,000'" in message and "virgule ou point décimal, ou séparateur de milliers" in message


def test_the_import_report_shows_the_decimal_evidence_and_the_warning(tmp_path, monkeypatch):
    """Through the study's ingest: import_report.csv has one ``decimal`` row per column with decimals, and the
    warning on 850,000 reaches the ingest's warnings (console, section 2)."""
    from helpers.run.study import compute_sections

    folder = _territory(tmp_path, monkeypatch)
    (folder / "purchases.csv").write_text(
        "entity;category;amount_eur;year;quality;comment\nmairie;services;850,000;2023;high;x\n"
        "mairie;software;550000,5;2023;high;y\n", encoding="utf-8")
    out = tmp_path / "processed" / "t31"
    compute_sections("t31", n_draws=100, processed_dir=out, sections=["ingest"])
    report = pd.read_csv(out / "import_report.csv", dtype=str, keep_default_na=False)
    row = report[(report["item"] == "decimal") & report["file"].str.endswith("purchases.csv")]
    assert row["key"].tolist() == ["amount_eur"] and "'550000,5' ligne 3" in row["detail"].iat[0]
    warnings = json.loads((out / "summary_ingest.json").read_text())["data"]["warnings"]
    assert any("'850,000' lu 850" in w for w in warnings)
    from helpers.report.ingest import import_report_markdown

    assert "amount_eur : virgule décimale (déduite de '550000,5'" in import_report_markdown(out)


def test_decimal_clues_of_a_chunk_do_not_depend_on_the_column_order():
    reader, problems = readers.NumberReader("f.csv"), []
    reader.observe({"a": pd.Series(["16,800"]), "b": pd.Series(["12,5"])}, [2])
    values, reported = reader.parse(pd.Series(["16,800"]), "a", [2], problems)
    assert values.tolist() == [16.8] and not reported.any() and not problems


def test_values_at_their_bounds_give_finite_figures(tmp_path, monkeypatch):
    """Every bounded column of test-mini's files at its upper bound: the whole computation gives finite figures and
    strict-JSON summaries (the bounds are wide, they must never let an overflow through)."""
    from helpers.io import bounds as B
    from helpers.run.study import compute_sections

    folder = _territory(tmp_path, monkeypatch)
    at_bound = {"purchases.csv": {"amount_eur": B.MAX_EUR}, "hosting.csv": {"it_kwh_per_year": B.MAX_SITE_KWH_PER_YEAR},
                "telecom.csv": {"mobile_data_gb_per_year": B.MAX_GB_PER_YEAR, "mobile_lines": B.MAX_SUBSCRIPTIONS},
                "printing.csv": {"reams_per_year": B.MAX_REAMS_PER_YEAR},
                "inventory.csv": {"quantity": 1_000_000}}  # kWh and power are bounded tighter per category
    for file, values in at_bound.items():
        table = pd.read_csv(folder / file, dtype=str, keep_default_na=False)
        for column, value in values.items():
            table[column] = str(int(value))
        table.to_csv(folder / file, index=False)
    out = tmp_path / "processed" / "t31"
    compute_sections("t31", n_draws=100, processed_dir=out)

    def no_constant(text):
        raise AssertionError(f"{text} in a summary")
    for section in ("carbon", "services", "actions"):
        data = json.loads((out / f"summary_{section}.json").read_text(encoding="utf-8"), parse_constant=no_constant)
        assert data["data"]
    total = json.loads((out / "summary_carbon.json").read_text())["data"]["total_tco2e"]
    assert math.isfinite(total["value"]) and total["value"] > 1e6  # huge, finite
