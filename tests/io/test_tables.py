"""The generic CSV reader: French-style files accepted, every problem reported with line and column."""

import pytest

from helpers.io.errors import InputError
from helpers.io.tables import Column, Schema, read_table

SCHEMA = Schema(
    file="x.csv",
    columns=(
        Column("line_id", required=True),
        Column("quantity", "int", required=True, min=0, min_exclusive=True),
        Column("power_w", "float", min=0, max=1000, unit="W"),
        Column("reconditioned", "bool"),
        Column("quality", allowed=("high", "medium", "low"), default="medium"),
    ),
    unique=("line_id",),
)


def errors(path):
    with pytest.raises(InputError) as exc:
        read_table(path, SCHEMA)
    return exc.value.problems


def test_semicolon_decimal_comma_and_bom(tmp_csv):
    path = tmp_csv("\ufeffline_id;quantity;power_w;reconditioned;quality\nA;3;12,5;oui;HIGH\n".encode())
    df = read_table(path, SCHEMA)
    assert df.loc[0, "power_w"] == 12.5 and bool(df.loc[0, "reconditioned"]) and df.loc[0, "quality"] == "high"


def test_windows_1252(tmp_csv):
    path = tmp_csv("line_id;quantity;power_w\nÉcole;2;1\n".encode("cp1252"))
    assert read_table(path, SCHEMA).loc[0, "line_id"] == "École"


def test_defaults_and_case_insensitive_headers(tmp_csv):
    df = read_table(tmp_csv("Line_ID,QUANTITY\nA,1\n"), SCHEMA)
    assert df.loc[0, "quality"] == "medium" and not df.loc[0, "reconditioned"]
    assert df.loc[0, "_line"] == 2


def test_every_problem_with_its_line_and_column(tmp_csv):
    text = "line_id,quantity,power_w,reconditioned,quality\nA,0,5,no,high\n\nB,x,5000,maybe,great\nA,2.5,,,\n"
    found = {(p.row, p.column) for p in errors(tmp_csv(text))}
    assert {(2, "quantity"), (4, "quantity"), (4, "power_w"), (4, "reconditioned"), (4, "quality"),
            (5, "quantity"), (2, "line_id"), (5, "line_id")} <= found


def test_missing_required_column(tmp_csv):
    probs = errors(tmp_csv("line_id,power_w\nA,1\n"))
    assert probs[0].column == "quantity" and probs[0].row == 1


def test_unknown_column_is_a_warning(tmp_csv):
    df = read_table(tmp_csv("line_id,quantity,colour\nA,1,red\n"), SCHEMA)
    assert [w.column for w in df.attrs["warnings"]] == ["colour"]


@pytest.mark.parametrize("content,expected", [
    ("", "empty"),
    ("line_id,quantity\n", "au moins 1 ligne de données"),
    (b"PK\x03\x04rest", "c'est un classeur"),
])
def test_empty_header_only_and_wrong_format(tmp_csv, content, expected):
    assert expected in str(errors(tmp_csv(content))[0])


def test_missing_file(tmp_path):
    probs = errors(tmp_path / "nope.csv")
    assert "absent" in probs[0].expected


def test_message_is_readable_without_traceback(tmp_csv):
    with pytest.raises(InputError) as exc:
        read_table(tmp_csv("line_id,quantity\nA,-1\n"), SCHEMA)
    assert "ligne 2, colonne 'quantity' : trouvé '-1' ; attendu une valeur > 0" in str(exc.value)


def test_xlsx_first_sheet_with_row_numbers(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Line_ID", "quantity", "power_w"])
    ws.append(["A", 3, 12.5])
    ws.append([None, None, None])
    ws.append(["B", -1, None])
    path = tmp_path / "inv.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as exc:
        read_table(path, SCHEMA)
    assert [(p.row, p.column) for p in exc.value.problems] == [(4, "quantity")]


def test_xlsx_merged_header_cells_are_refused(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["line_id", "quantity", ""])
    ws.append(["A", 3, 4])
    ws.merge_cells("B1:C1")
    path = tmp_path / "inv.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as exc:
        read_table(path, SCHEMA)
    assert "défusionnez" in str(exc.value) and "B1:C1" in str(exc.value)


@pytest.mark.parametrize("text,year", [
    ("2019-03-12", 2019), ("12/03/2019", 2019), ("12/03/2019 14:05", 2019), ("2019-03-12 14:05:09", 2019),
    ("03-12-2019", 2019), ("2019", 2019), ("43831", 2020), ("43831.5", 2020), ("2019-03-12T08:00", 2019),
])
def test_dates_become_a_year(text, year):
    """43831 is the Excel serial of 2020-01-01 (days since 1899-12-30)."""
    import pandas as pd

    from helpers.io.tables import dates_to_year

    assert dates_to_year(pd.Series([text])).iat[0] == year


@pytest.mark.parametrize("text", ["32/13/2019", "2019-13-01", "hier", "12/03/19", "99999"])
def test_unreadable_dates_are_nan(text):
    import pandas as pd

    from helpers.io.tables import dates_to_year

    assert pd.isna(dates_to_year(pd.Series([text])).iat[0])


def test_glpi_group_prefix_and_best_synonym_win(tmp_csv):
    """``Group - Name`` labels match by their last part; of two headers for one column the exact name wins."""
    schema = Schema(file="x.csv", columns=(Column("line_id", synonyms=("id", "serial")), Column("year", "date", synonyms=("date d'achat",))))
    df = read_table(tmp_csv("serial;line_id;Informations financières et administratives - Date d'achat\nS1;A;12/03/2019\n"), schema)
    assert df.loc[0, "line_id"] == "A" and df.loc[0, "year"] == 2019
    assert df.attrs["columns"]["year"][1] == "synonyme après préfixe"
    assert [name for name, _ in df.attrs["ignored"]] == ["serial"]


def test_grouped_error_one_line_for_many_rows(tmp_csv):
    """3,000 rows with the same problem give one line with the count, the first rows and the value seen."""
    body = "".join(f"L{i},-1\n" for i in range(3000))
    with pytest.raises(InputError) as exc:
        read_table(tmp_csv("line_id,quantity\n" + body), SCHEMA)
    lines = str(exc.value).splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith("1 problème portant sur 3000 valeurs dans les données d'entrée")
    assert "3000 lignes (lignes 2, 3, 4, 5, 6, …)" in lines[1] and "'-1' (3000×)" in lines[1]


def test_at_most_twenty_kinds_of_problem_per_file(tmp_csv):
    from helpers.io.errors import InputProblem, grouped_lines

    probs = [InputProblem("f.csv", 2, f"c{i}", None, "x") for i in range(25)]
    lines = grouped_lines(probs)
    assert len(lines) == 21 and lines[-1] == "f.csv : … et 5 autres types de problème"
