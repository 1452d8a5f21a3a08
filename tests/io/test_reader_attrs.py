"""The model is handed plain frames (empty ``attrs``); the reading layer keeps its report.

pandas deep-copies a frame's ``attrs`` at every operation (``NDFrame.__finalize__``): a reading report (columns,
warnings) riding along the computation cost ~15 % of a study. The readers take it off
(:func:`helpers.io.tables.take_report`) and give back only what their callers read; the import report and the warnings
of ``helpers.io.ingest`` are unchanged.
"""

import csv
import io
import shutil

import pandas as pd
import pytest

from helpers.io import factors as fx
from helpers.io import maturity_inputs as mat
from helpers.io.ingest import ingest_all
from helpers.io.paths import RAW_DIR, REFERENCE_DIR
from helpers.io.tables import Column, Schema, plain, read_table, take_report
from helpers.io.territory import load_territory
from helpers.run.context import Context

UNKNOWN = "colonne_inconnue"


def test_reference_tables_reach_the_model_plain():
    for df in (fx.load_categories(), fx.load_hosting_kinds(), fx.load_exclusions(), mat.load_axes(),
               mat.load_questions(), mat.load_crosswalk(), mat.load_catalogue_axes()):
        assert df.attrs == {} and len(df) > 0
    factors = fx.load_factors()
    assert factors.attrs == {"warnings": []}  # the library's own warnings, nothing else
    vintage, _ = fx.apply_electricity_vintage(factors, 2020)
    overrides = pd.DataFrame({"factor_id": [fx.ELECTRICITY_FACTOR_ID], "value": [0.05], "low": [None],
                              "high": [None], "source": ["contrat"], "reason": ["test"]})
    overrides.attrs = {"warnings": [], "columns": {"value": ("value", "exact")}}
    overridden, changes = fx.apply_overrides(vintage, overrides)
    assert len(changes) == 1
    for table in (vintage, overridden, fx.electricity_override(factors, None)[0],
                  fx.electricity_override(factors, 0.05)[0]):
        assert table.attrs == {}
    assert factors.attrs == {"warnings": []} and overrides.attrs["columns"]  # the inputs keep theirs


def test_a_reference_table_with_warnings_keeps_only_them(tmp_path):
    path = tmp_path / "hosting_kinds.csv"
    rows = list(csv.reader(io.StringIO(fx.HOSTING_KINDS_PATH.read_text(encoding="utf-8"))))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([rows[0] + [UNKNOWN]] + [r + ["x"] for r in rows[1:]])
    path.write_text(buf.getvalue(), encoding="utf-8")
    kinds = fx.load_hosting_kinds(path)
    assert list(kinds.attrs) == ["warnings"]
    assert [w.column for w in kinds.attrs["warnings"]] == [UNKNOWN]


def test_read_table_keeps_its_report_until_a_reader_takes_it(tmp_csv):
    schema = Schema(file="t.csv", columns=(Column("line_id", required=True), Column("quantity", "int")))
    path = tmp_csv("line_id,Quantity,colour\nA,1,red\n", "t.csv")
    df = read_table(path, schema)
    assert df.attrs["columns"]["quantity"] == ("Quantity", "exact")
    report = take_report(df)
    assert df.attrs == {}
    assert [w.column for w in report["warnings"]] == ["colour"] and report["ignored"] == [("colour", "colonne inconnue")]
    assert report["rows_read"] == 1 and report["file"].endswith("t.csv")
    again = read_table(path, schema)  # the memo's copy is not the frame the reader emptied
    assert [w.column for w in again.attrs["warnings"]] == ["colour"]
    assert plain(again) is again and again.attrs == {}


def _edit(path, change):
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    change(rows)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _unknown_column(rows):
    rows[0].append(UNKNOWN)
    for r in rows[1:]:
        r.append("x")


def _unjustified(rows):
    answer, why = rows[0].index("answer"), rows[0].index("justification")
    next(r for r in rows[1:] if r[answer] == "conforme")[why] = ""


@pytest.fixture
def warned(tmp_path):
    """La Rochelle's inputs with an unknown column in three files and a compliant RGESN answer left unjustified."""
    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR / "la-rochelle", raw)
    for name in ("telecom.csv", "services.csv", "inventory.csv"):
        _edit(raw / name, _unknown_column)
    _edit(raw / "rgesn.csv", _unjustified)
    territory = load_territory("la-rochelle", raw / "territory.yaml")
    return Context("la-rochelle", territory, raw, REFERENCE_DIR, tmp_path / "processed")


def test_ingest_hands_plain_tables_and_keeps_the_import_report(warned):
    warned.processed.mkdir()
    report = ingest_all(warned)
    assert set(report.tables) >= {"inventory", "telecom", "services", "rgesn", "maturity_answers", "actions"}
    assert {name: df.attrs for name, df in report.tables.items() if df.attrs} == {}
    files = {f.file.rsplit("/", 1)[-1]: f for f in report.files}
    assert set(files) == {p.name for p in warned.raw.glob("*.csv")}  # every file read is in the import report
    for name in ("telecom.csv", "services.csv", "inventory.csv"):
        assert (UNKNOWN, "colonne inconnue") in files[name].ignored
        assert {w.column for w in report.warnings if w.file.endswith(name)} == {UNKNOWN}
    assert files["telecom.csv"].columns["entity"] == ("entity", "exact")
    assert files["inventory.csv"].columns["category"] == ("category", "exact")
    assert files["services.csv"].columns["service_id"] == ("service_id", "exact")
    assert [(w.row, w.column) for w in report.warnings if w.file.endswith("rgesn.csv")] == [(3, "justification")]
    table = pd.read_csv(warned.processed / "import_report.csv")
    ignored = table[table["item"] == "ignored"]
    assert set(ignored.loc[ignored["key"] == UNKNOWN, "file"].str.rsplit("/", n=1).str[-1]) == {
        "telecom.csv", "services.csv", "inventory.csv"}


def test_readers_still_return_their_report(warned):
    from helpers.io import carbon_inputs as ci
    from helpers.io import rgesn_inputs as ri
    from helpers.io.inventory import read_inventory

    telecom = ci.read_telecom(warned.raw / "telecom.csv", warned.territory)
    assert list(telecom.attrs) == ["columns", "ignored", "file", "decimals", "warnings", "rows_read"]
    assert [w.column for w in telecom.attrs["warnings"]] == [UNKNOWN]
    answers = ri.read_rgesn(warned.raw / "rgesn.csv")
    assert [w.column for w in answers.attrs["warnings"]] == ["justification"]
    assert answers.attrs["columns"]["answer"] == ("answer", "exact")
    inventory = read_inventory(warned.raw / "inventory.csv", warned.territory, fx.load_categories())
    assert list(inventory.attrs) == ["warnings", "import_report"]
    assert (UNKNOWN, "colonne inconnue") in inventory.attrs["import_report"][0].ignored


def test_the_maturity_answers_scored_are_plain():
    questions = mat.load_questions()
    territory = load_territory("la-rochelle")
    answers, provided = mat.read_maturity_if_provided(RAW_DIR / "la-rochelle" / "maturity.csv", territory, questions)
    assert provided and len(answers) > 0 and answers.attrs == {}
    assert mat.read_maturity(RAW_DIR / "la-rochelle" / "maturity.csv", territory, questions).attrs == {"warnings": []}
