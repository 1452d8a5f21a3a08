"""Hostile and broken input files (issue 21, input side): each attack read in a subprocess bounded in memory
(``RLIMIT_AS`` 1.5 GB) and time (a timeout), asserting the documented outcome of :mod:`helpers.io.readers`.

Attacks are from issue 21 ("Wrong numbers accepted silently", "Tiny inputs, huge costs", "Outside the territory
folder", "Late or unclear failures"); hostile files are built in ``tmp_path`` so no large binary is committed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import helpers
from helpers.io import readers
from helpers.io.errors import InputError
from helpers.io.tables import Column, Schema, read_table

SRC = str(Path(helpers.__file__).resolve().parents[1])
MEMORY_LIMIT_BYTES = 1536 * 1024 * 1024  # 1.5 GB of address space for the reading subprocess
TIMEOUT_S = 120  # generous on a shared 2-core machine; the attacks took > 300 s or hung forever before

#: Run in the bounded subprocess: read ``path`` with ``mode`` and print one JSON line with the outcome.
DRIVER = textwrap.dedent("""
    import json, sys
    from helpers.io import readers
    from helpers.io.errors import InputError
    args = json.loads(sys.argv[1])
    for name, value in args.get("caps", {}).items():
        setattr(readers, name, value)
    try:
        if args["mode"] == "rows":
            header, rows = readers.read_rows(args["path"], args["file"], sheet=args.get("sheet"))
            rows = list(rows)
            out = {"header": header, "n": len(rows), "first": rows[:3], "last": rows[-1:]}
        elif args["mode"] == "table":
            from helpers.io.tables import Column, Schema, read_table
            cols = tuple(Column(n, k) for n, k in args["columns"])
            df = read_table(args["path"], Schema(file=args["file"], columns=cols, min_rows=0))
            out = {"table": df.drop(columns="_line").astype(object).where(df.notna(), None).values.tolist()}
        else:
            out = {"sheets": readers.list_sheets(args["path"], args["file"])}
    except InputError as exc:
        out = {"error": str(exc)}
    try:  # peak RSS of this process's memory (ru_maxrss would include pytest's, inherited across fork and exec)
        out["maxrss_kb"] = int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1])
    except (OSError, StopIteration):
        import resource
        out["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(out, default=str))
""")


def _limit():  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


def bounded_read(path, mode="rows", **args) -> dict:
    """Read ``path`` in a subprocess limited to 1.5 GB of address space and :data:`TIMEOUT_S` seconds."""
    env = dict(os.environ, PYTHONPATH=SRC, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    payload = json.dumps({"path": str(path), "file": Path(path).name, "mode": mode, **args})
    proc = subprocess.run([sys.executable, "-c", DRIVER, payload], capture_output=True, text=True, env=env,
                          timeout=TIMEOUT_S, preexec_fn=_limit, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _workbook(path, sheets: dict, hidden=(), far_cells=()) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        if title in hidden:
            ws.sheet_state = "hidden"
    for title, ref, value in far_cells:
        wb[title][ref] = value
    wb.save(path)
    return path


# --- outside the folder, not a file --------------------------------------------------------------------------------


def test_fifo_named_like_an_input_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "telecom.csv"
    os.mkfifo(fifo)
    out = bounded_read(fifo)  # opening a FIFO blocks forever: the timeout would fire
    assert "telecom.csv" in out["error"] and "FIFO" in out["error"]


def test_symlink_to_dev_zero_is_refused_before_any_read(tmp_path):
    (tmp_path / "hosting.csv").symlink_to("/dev/zero")
    out = bounded_read(tmp_path / "hosting.csv")
    assert "hosting.csv" in out["error"] and "hors du dossier" in out["error"]
    assert out["maxrss_kb"] < 400_000  # nothing of the endless device was read


def test_symlink_to_etc_passwd_is_refused_and_nothing_of_it_is_quoted(tmp_path):
    (tmp_path / "hosting.csv").symlink_to("/etc/passwd")
    out = bounded_read(tmp_path / "hosting.csv")
    assert "hosting.csv" in out["error"] and "hors du dossier" in out["error"]
    first_line = Path("/etc/passwd").read_text().splitlines()[0]
    assert first_line.split(":")[0] + ":" not in out["error"] and "/bin/" not in out["error"]


def test_symlink_inside_the_folder_is_read(tmp_path):
    (tmp_path / "real.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    (tmp_path / "link.csv").symlink_to(tmp_path / "real.csv")
    header, rows = readers.read_rows(tmp_path / "link.csv", "link.csv")
    assert header == ["a", "b"] and list(rows) == [(2, ["1", "2"])]


def test_folder_named_like_an_input_is_refused(tmp_path):
    (tmp_path / "purchases.csv").mkdir()
    with pytest.raises(InputError, match="c'est un dossier"):
        readers.read_rows(tmp_path / "purchases.csv", "purchases.csv")


def test_file_over_the_size_cap_is_refused_with_the_cap_named(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"a,b\n" + b"1,2\n" * 300)
    with pytest.raises(InputError) as exc:
        readers.check_input_file(path, tmp_path, max_bytes=1024, file="big.csv")
    assert "big.csv" in str(exc.value) and "1 Kio" in str(exc.value) and "plafond" in str(exc.value)


# --- workbooks -------------------------------------------------------------------------------------------------------


def test_xlsx_cell_at_xfd1048576_is_refused_fast_and_small(tmp_path):
    """One value at the last cell of the sheet (16,384 columns x 1,048,576 rows declared): the old reader took
    > 300 s and 8.9 GB. Now the sheet XML is streamed, the value is beyond MAX_COLUMNS: an error naming the cell."""
    path = _workbook(tmp_path / "inventory.xlsx", {"data": [["line_id", "quantity"], ["A", 1]]},
                     far_cells=[("data", "XFD1048576", "x")])
    assert path.stat().st_size < 10_000
    out = bounded_read(path)
    assert "ligne 1048576" in out["error"] and "'XFD'" in out["error"] and "1024 colonnes" in out["error"]
    assert out["maxrss_kb"] < 400_000


def test_xlsx_last_row_far_below_is_read_without_filling_the_gap(tmp_path):
    """A value at C1048576 (inside the column cap): two data rows, the million empty rows between never built."""
    path = _workbook(tmp_path / "inventory.xlsx", {"data": [["line_id", "quantity", "note"], ["A", 1, ""]]},
                     far_cells=[("data", "C1048576", "fin")])
    out = bounded_read(path)
    assert out["n"] == 2 and out["last"] == [[1048576, ["", "", "fin"]]]
    assert out["maxrss_kb"] < 400_000


def test_dense_xlsx_of_bad_values_gives_a_bounded_message(tmp_path):
    """~400 KB workbook of 40,000 non-numbers in a numeric column: the old reader printed 420,001 lines (57 MB)."""
    rows = [["line_id", "quantity"]] + [[f"L{i}", f"bad{i % 97}"] for i in range(40_000)]
    path = _workbook(tmp_path / "inventory.xlsx", {"data": rows})
    assert 200_000 < path.stat().st_size < 800_000
    out = bounded_read(path, mode="table", columns=[["line_id", "str"], ["quantity", "float"]])
    message = out["error"]
    assert len(message.splitlines()) <= 25 and len(message) < 10_000
    assert "40000" in message.replace("\u202f", "").replace(" ", "") and "quantity" in message


def test_hidden_first_sheet_is_skipped(tmp_path):
    """A hidden first sheet (an old version, 3,998 t instead of 661 t in the attack) is not read by default."""
    path = _workbook(tmp_path / "inventory.xlsx",
                     {"old": [["line_id", "quantity"], ["OLD", 999]], "data": [["line_id", "quantity"], ["A", 2]]},
                     hidden=("old",))
    out = bounded_read(path)
    assert out["first"] == [[2, ["A", "2"]]]
    assert bounded_read(path, mode="sheets")["sheets"] == ["data"]


def test_hidden_sheet_is_read_when_named(tmp_path):
    path = _workbook(tmp_path / "inventory.xlsx",
                     {"old": [["line_id", "quantity"], ["OLD", 999]], "data": [["line_id", "quantity"], ["A", 2]]},
                     hidden=("old",))
    out = bounded_read(path, sheet="old")
    assert out["first"] == [[2, ["OLD", "999"]]]


def test_date_formatted_quantity_is_an_error_not_1900(tmp_path):
    """Excel stores 1 formatted as a date as 1900-01-01: the old reader took its year, 1900, as the quantity."""
    path = _workbook(tmp_path / "inventory.xlsx",
                     {"data": [["line_id", "quantity"], ["A", dt.datetime(1900, 1, 1)], ["B", 3]]})
    out = bounded_read(path, mode="table", columns=[["line_id", "str"], ["quantity", "float"]])
    assert "ligne 2" in out["error"] and "'1900-01-01'" in out["error"] and "un nombre" in out["error"]


def test_xlsx_typed_dates_and_numbers_become_unambiguous_text(tmp_path):
    """Dates as ISO text; a typed 1.234 is not a thousands-grouped 1234 and gives no clue to the text cells."""
    path = _workbook(tmp_path / "inventory.xlsx", {"data": [
        ["line_id", "power_w", "bought", "price"],
        ["A", 1.234, dt.datetime(2021, 3, 4), "12,5"],
        ["B", 850000, dt.datetime(2021, 3, 4, 10, 30), "3"],
    ]})
    out = bounded_read(path, mode="table",
                       columns=[["line_id", "str"], ["power_w", "float"], ["bought", "str"], ["price", "float"]])
    assert out["table"] == [["A", 1.234, "2021-03-04", 12.5], ["B", 850000.0, "2021-03-04 10:30", 3.0]]


def test_zip_bomb_member_is_refused_before_decompression(tmp_path):
    """A sheet member that expands beyond MAX_ZIP_MEMBER_BYTES (lowered to 1 MB here) is refused from the zip
    directory, before any decompression."""
    path = _workbook(tmp_path / "bomb.xlsx", {"data": [["a"], ["x" * 2000]] + [["y" * 2000]] * 1000})
    out = bounded_read(path, caps={"MAX_ZIP_MEMBER_BYTES": 1024 * 1024})
    assert "bomb.xlsx" in out["error"] and "décompressé" in out["error"] and "1 Mio" in out["error"]


def test_row_cap_is_an_error_naming_the_cap(tmp_path):
    path = tmp_path / "inventory.csv"
    path.write_text("a;b\n" + "".join(f"{i};1\n" for i in range(30)), encoding="utf-8")
    out = bounded_read(path, caps={"MAX_ROWS": 20})
    assert "ligne 22" in out["error"] and "au plus 20 lignes" in out["error"]


def _ods(path: Path, body: str, styles: str = "") -> Path:
    """An ODS file: the three members LibreOffice needs, ``body`` inside ``office:spreadsheet``."""
    content = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" office:version="1.2">
<office:automatic-styles>{styles}</office:automatic-styles>
<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest xmlns:manifest='
                    '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
        zf.writestr("content.xml", content)
    return path


ODS_HIDDEN_STYLE = ('<style:style style:name="ta2" style:family="table">'
                    '<style:table-properties table:display="false"/></style:style>')


def _cell(text="", **attrs) -> str:
    attr = " ".join(f'{k.replace("__", ":").replace("_", "-")}="{v}"' for k, v in attrs.items())
    inner = f"<text:p>{text}</text:p>" if text else ""
    return f"<table:table-cell {attr}>{inner}</table:table-cell>"


def test_ods_repeated_rows_and_columns_dates_and_hidden_table(tmp_path):
    """LibreOffice's own layout: a hidden first table, then the data with 1,048,000 repeated empty rows and
    16,000 repeated empty cells; value types float, percentage, currency, date, boolean, string."""
    hidden = ('<table:table table:name="old" table:style-name="ta2"><table:table-row>'
              + _cell("line_id") + _cell("quantity") + '</table:table-row><table:table-row>'
              + _cell("OLD") + _cell("999", office__value_type="float", office__value="999")
              + "</table:table-row></table:table>")
    header = ("<table:table-row>" + _cell("line_id") + _cell("quantity") + _cell("share") + _cell("price")
              + _cell("bought") + _cell("ok") + '<table:table-cell table:number-columns-repeated="16000"/>'
              + "</table:table-row>")
    row = ("<table:table-row>" + _cell("A<text:s text:c=\"2\"/>1") + _cell("1,5", office__value_type="float",
                                                                           office__value="1.5")
           + _cell("25 %", office__value_type="percentage", office__value="0.25")
           + _cell("1 234,50 €", office__value_type="currency", office__value="1234.5")
           + _cell("04/03/2021", office__value_type="date", office__date_value="2021-03-04")
           + _cell("VRAI", office__value_type="boolean", office__boolean_value="true")
           + '<table:table-cell table:number-columns-repeated="16000"/></table:table-row>')
    repeated = ('<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="2" '
                'office:value-type="float" office:value="7"><text:p>7</text:p></table:table-cell></table:table-row>')
    empty = ('<table:table-row table:number-rows-repeated="1048000">'
             '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>')
    data = f'<table:table table:name="data">{header}{row}{repeated}{empty}</table:table>'
    path = _ods(tmp_path / "inventory.ods", hidden + data, ODS_HIDDEN_STYLE)
    out = bounded_read(path)
    assert out["header"] == ["line_id", "quantity", "share", "price", "bought", "ok"]
    assert out["first"] == [[2, ["A  1", "1.5e0", "0.25e0", "1234.5e0", "2021-03-04", "yes"]],
                            [3, ["7", "7"]], [4, ["7", "7"]]]
    assert out["n"] == 3 and out["maxrss_kb"] < 400_000
    assert bounded_read(path, mode="sheets")["sheets"] == ["data"]
    assert bounded_read(path, sheet="old")["first"] == [[2, ["OLD", "999"]]]


def test_ods_value_beyond_the_column_cap_is_an_error(tmp_path):
    body = ('<table:table table:name="t"><table:table-row>' + _cell("a")
            + '<table:table-cell table:number-columns-repeated="5000"/>' + _cell("far") + "</table:table-row>"
            + "</table:table>")
    out = bounded_read(_ods(tmp_path / "x.ods", body))
    assert "x.ods" in out["error"] and "1024 colonnes" in out["error"]


def test_ods_merged_header_is_refused(tmp_path):
    body = ('<table:table table:name="t"><table:table-row><table:table-cell table:number-columns-spanned="2">'
            "<text:p>a</text:p></table:table-cell><table:covered-table-cell/></table:table-row>"
            "<table:table-row>" + _cell("1") + _cell("2") + "</table:table-row></table:table>")
    out = bounded_read(_ods(tmp_path / "x.ods", body))
    assert "défusionnez" in out["error"]


# --- text files ------------------------------------------------------------------------------------------------------


def test_50_mb_field_gives_file_and_line(tmp_path):
    """The old message was "field larger than field limit (131072)", without the file."""
    path = tmp_path / "purchases.csv"
    with path.open("wb") as fh:
        fh.write(b"label;amount_eur\nok;1\n")
        fh.write(b"x" * (50 * 1024 * 1024))
        fh.write(b";2\n")
    out = bounded_read(path)
    assert "purchases.csv" in out["error"] and "ligne 3" in out["error"] and "32767 caractères" in out["error"]


def test_one_cp1252_byte_in_a_utf8_file_is_an_error_naming_its_line(tmp_path):
    """The old reader switched the whole file to cp1252 and published "Ã©cran" everywhere."""
    path = tmp_path / "inventory.csv"
    path.write_bytes("line_id;label\nA;écran\nB;".encode() + "caf\xe9".encode("cp1252") + "\nC;clé\n".encode())
    out = bounded_read(path)
    assert "inventory.csv" in out["error"] and "ligne 3" in out["error"] and "0xE9" in out["error"]


def test_cp1252_file_is_read_as_cp1252(tmp_path):
    path = tmp_path / "inventory.csv"
    path.write_bytes("line_id;label\nA;écran €\n".encode("cp1252"))
    header, rows = readers.read_rows(path, "inventory.csv")
    assert list(rows) == [(2, ["A", "écran €"])]


def test_utf16_file_is_read(tmp_path):
    """Excel's "Texte Unicode" export: UTF-16 with BOM, tab-separated."""
    path = tmp_path / "inventory.csv"
    path.write_bytes("line_id\tlabel\tquantity\nA\técran\t1,5\n".encode("utf-16"))
    header, rows = readers.read_rows(path, "inventory.csv")
    assert header == ["line_id", "label", "quantity"] and list(rows) == [(2, ["A", "écran", "1,5"])]


def test_control_characters_are_an_error_with_line_and_column(tmp_path):
    path = tmp_path / "services.csv"
    path.write_bytes(b"service_id;name\nS1;ok\nS2;bad\x07name\n")
    out = bounded_read(path)
    assert "ligne 3" in out["error"] and "colonne 'name'" in out["error"] and "U+0007" in out["error"]


def test_control_characters_in_an_xlsx_cell_are_an_error(tmp_path):
    """A C1 control character (U+009B, "CSI" of terminal escapes): openpyxl writes it, XML accepts it."""
    path = _workbook(tmp_path / "services.xlsx", {"data": [["service_id", "name"], ["S1", "a\x9bb"]]})
    out = bounded_read(path)
    assert "ligne 2" in out["error"] and "colonne 'name'" in out["error"] and "U+009B" in out["error"]


def test_xlsx_renamed_csv_is_refused_with_advice(tmp_path):
    src = _workbook(tmp_path / "x.xlsx", {"data": [["a"], [1]]})
    path = tmp_path / "inventory.csv"
    path.write_bytes(src.read_bytes())
    with pytest.raises(InputError, match="classeur"):
        readers.read_rows(path, "inventory.csv")


# --- numbers ---------------------------------------------------------------------------------------------------------

AMOUNTS = Schema(file="purchases.csv", columns=(Column("label", required=True), Column("amount_eur", "float"),
                                                  Column("volume_gb", "float")))


def _table(tmp_path, text: str, name="purchases.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_table(path, AMOUNTS)


def test_850_000_and_16_800_are_reported_not_read_as_850_and_16_8(tmp_path):
    """The attack: 850,000 € read as 850 and 16,800 GB as 16.8 (total 661 -> 566 t)."""
    with pytest.raises(InputError) as exc:
        _table(tmp_path, "label;amount_eur;volume_gb\npc;850,000;16,800\necran;3;2\n")
    message = str(exc.value)
    assert "'850,000'" in message and "'16,800'" in message and "ligne 2" in message
    assert "decimal" in message and "territory.yaml" in message


def test_french_grouped_numbers_are_read(tmp_path):
    """1 234,5 (space thousands, comma decimal) and 1 234 567 (no-break spaces) -> 1234.5 and 1234567."""
    df = _table(tmp_path, "label;amount_eur;volume_gb\npc;1 234,5;1\u00a0234\u00a0567\necran;12,5;0\n")
    assert df["amount_eur"].tolist() == [1234.5, 12.5] and df["volume_gb"].tolist() == [1234567.0, 0.0]


def test_a_clue_elsewhere_in_the_file_decides_the_ambiguous_values(tmp_path):
    """12,5 shows the comma convention; 16,800 in another column of the same file is then 16.8."""
    df = _table(tmp_path, "label;amount_eur;volume_gb\npc;12,5;16,800\n")
    assert df["amount_eur"].tolist() == [12.5] and df["volume_gb"].tolist() == [16.8]


def test_english_grouping_decides_the_ambiguous_values(tmp_path):
    """1,234.5 shows the dot convention: 16,800 is then 16800."""
    df = _table(tmp_path, 'label,amount_eur,volume_gb\npc,"1,234.5","16,800"\n')
    assert df["amount_eur"].tolist() == [1234.5] and df["volume_gb"].tolist() == [16800.0]


def test_both_conventions_in_one_file_are_an_error_with_examples(tmp_path):
    with pytest.raises(InputError) as exc:
        _table(tmp_path, "label;amount_eur;volume_gb\npc;12,5;0.5\n")
    message = str(exc.value)
    assert "'12,5'" in message and "'0.5'" in message and "une seule convention" in message


@pytest.mark.parametrize("decimal,expected", [(",", 16.8), (".", 16800.0)])
def test_declared_convention_resolves_the_ambiguity(tmp_path, decimal, expected):
    reader = readers.NumberReader("purchases.csv", decimal)
    problems: list = []
    values, reported = reader.parse(pd.Series(["16,800", "3"]), "volume_gb", [2, 3], problems)
    assert values.tolist() == [expected, 3.0] and not problems and not reported.any()


def test_many_ambiguous_values_make_one_problem_not_one_per_cell():
    reader = readers.NumberReader("purchases.csv")
    problems: list = []
    reader.parse(pd.Series([f"{i % 900 + 100},000" for i in range(100_000)]), "amount_eur",
                 range(2, 100_002), problems)
    assert len(problems) == 1 and "100000" in str(problems[0]).replace(" ", "").replace("\u202f", "")


@settings(max_examples=200, deadline=None)
@given(x=st.integers(min_value=-10**9, max_value=10**9), cents=st.integers(min_value=0, max_value=99))
def test_french_and_english_writings_of_one_amount_read_the_same(x, cents):
    """Property: an amount written ``-1 234 567,05`` (French, NBSP groups) and ``-1,234,567.05`` (English) gives the
    same float, and the value written with a unique reading is never reported."""
    sign = "-" if x < 0 else ""
    groups = f"{abs(x):,}"
    french = f"{sign}{groups.replace(',', chr(0xA0))},{cents:02d}"
    english = f"{sign}{groups}.{cents:02d}"
    expected = float(f"{sign}{abs(x)}.{cents:02d}")
    for text in (french, english):
        problems: list = []
        values, _ = readers.NumberReader("f").parse(pd.Series([text]), "c", [2], problems)
        assert values.iat[0] == expected and not problems, (text, problems)


@settings(max_examples=200, deadline=None)
@given(head=st.integers(min_value=1, max_value=999), tail=st.integers(min_value=0, max_value=999),
       sep=st.sampled_from([",", "."]))
def test_a_lone_d_ddd_value_is_never_read_silently(head, tail, sep):
    """Property: ``d,ddd`` or ``d.ddd`` alone in a file is reported, never given a value."""
    problems: list = []
    values, reported = readers.NumberReader("f").parse(pd.Series([f"{head}{sep}{tail:03d}"]), "c", [2], problems)
    assert values.isna().all() and reported.all() and len(problems) == 1


def test_convention_declared_in_territory_yaml_reads_the_ambiguous_values(tmp_path):
    """``files: {purchases.csv: {decimal: "."}}`` in the territory's own territory.yaml: 850,000 is 850000."""
    folder = tmp_path / "atk-decimal"
    folder.mkdir()
    yaml_text = (Path(helpers.__file__).resolve().parents[2] / "data/raw/test-mini/territory.yaml").read_text(
        encoding="utf-8")
    (folder / "territory.yaml").write_text(yaml_text + '\nfiles:\n  purchases.csv: {decimal: "."}\n', encoding="utf-8")
    df = _table(folder, "label;amount_eur;volume_gb\npc;850,000;16,800\n")
    assert df["amount_eur"].tolist() == [850000.0] and df["volume_gb"].tolist() == [16800.0]


def test_bounded_problems_keep_the_true_total_in_a_few_objects():
    """200,000 bad cells of one kind: at most MAX_PROBLEMS_KEPT_PER_KIND + 1 objects, the printed total 200000."""
    from helpers.io.errors import InputProblem

    problems = readers.BoundedProblems()
    for line in range(2, 200_002):
        problems.append(InputProblem("inventory.csv", line, "quantity", "x", "un nombre"))
    assert len(problems) == readers.MAX_PROBLEMS_KEPT_PER_KIND + 1
    message = str(InputError(list(problems)))
    assert "200000" in message.replace(" ", "").replace("\u202f", "") and len(message.splitlines()) == 2


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_and_a_quoted_newline_keep_rows_and_line_numbers(tmp_path, newline):
    """LF, CRLF and old-Mac CR files; a quoted cell spanning two lines; U+2028 inside a cell does not split a row."""
    path = tmp_path / "services.csv"
    text = newline.join(["id;name", 'S1;"two', 'lines"', "S2;a\u2028b", ""])
    path.write_bytes(text.encode("utf-8"))
    header, rows = readers.read_rows(path, "services.csv")
    assert list(rows) == [(3, ["S1", f"two{newline}lines"]), (4, ["S2", "a\u2028b"])]


def test_xlsx_formula_without_a_calculated_value_is_an_error_not_an_empty_cell(tmp_path):
    """openpyxl (and other tools) write formulas without their value: read with data_only they would be empty cells,
    so a default would silently replace the quantity."""
    path = _workbook(tmp_path / "inventory.xlsx", {"data": [["line_id", "quantity"], ["A", "=2*3"]]})
    out = bounded_read(path)
    assert "ligne 2" in out["error"] and "colonne 'B'" in out["error"] and "formule" in out["error"]


_SEEDS: dict[str, bytes] = {}


def _valid_workbooks(tmp_path) -> dict[str, bytes]:
    """A small valid XLSX and ODS, built once per session (the property test overwrites their bytes)."""
    if _SEEDS:
        return _SEEDS
    xlsx = _workbook(tmp_path / "seed.xlsx", {"data": [["line_id", "quantity", "bought"],
                                                        ["A", 1.5, dt.datetime(2020, 1, 2)], ["B", "x", None]]})
    body = ('<table:table table:name="t"><table:table-row>' + _cell("a") + _cell("b") + "</table:table-row>"
            "<table:table-row>" + _cell("1", office__value_type="float", office__value="1") + _cell("z")
            + "</table:table-row></table:table>")
    ods = _ods(tmp_path / "seed.ods", body)
    _SEEDS.update({".xlsx": xlsx.read_bytes(), ".ods": ods.read_bytes()})
    return _SEEDS


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_corrupted_workbooks_give_an_input_error_or_rows(tmp_path_factory, data):
    """Property: a valid XLSX or ODS with bytes overwritten anywhere (zip directory, compressed XML) gives rows or an
    InputError naming the file, never another exception."""
    folder = tmp_path_factory.mktemp("wb")
    suffix = data.draw(st.sampled_from([".xlsx", ".ods"]))
    raw = bytearray(_valid_workbooks(folder)[suffix])
    for _ in range(data.draw(st.integers(min_value=1, max_value=8))):
        pos = data.draw(st.integers(min_value=0, max_value=10**6)) % len(raw)
        raw[pos] = data.draw(st.integers(min_value=0, max_value=255))
    path = folder / f"inventory{suffix}"
    path.write_bytes(bytes(raw))
    try:
        header, rows = readers.read_rows(path, path.name)
        list(rows)
    except InputError as exc:
        assert path.name in str(exc)


LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lolololololololololol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
          + "]>")


def test_ods_billion_laughs_entity_bomb_is_refused_bounded(tmp_path):
    """An entity-expansion bomb in content.xml (10^9 "lol"): expat's amplification limit stops it; an InputError."""
    path = tmp_path / "inventory.ods"
    content = ('<?xml version="1.0"?>' + LAUGHS + '<office:document-content xmlns:office="urn:oasis:names:tc:'
               'opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
               '<table:table table:name="t"><table:table-row><table:table-cell><text:p>&lol9;</text:p>'
               "</table:table-cell></table:table-row></table:table></office:spreadsheet></office:body>"
               "</office:document-content>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
    out = bounded_read(path)
    assert "inventory.ods" in out["error"] and out["maxrss_kb"] < 400_000


def test_xlsx_entity_bomb_in_the_sheet_is_refused_bounded(tmp_path):
    src = _workbook(tmp_path / "seed.xlsx", {"data": [["a"], ["b"]]})
    path = tmp_path / "inventory.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                head, _, rest = text.partition("?>")
                data = (head + "?>" + LAUGHS + rest.replace("<v>", "<v>&lol9;", 1)).encode()
            zout.writestr(info, data)
    out = bounded_read(path)
    assert "inventory.xlsx" in out["error"] and out["maxrss_kb"] < 400_000


def test_convention_shown_in_an_earlier_chunk_reads_later_ambiguous_values():
    """Chunks of one file share the decision: 12,5 in the first chunk, 16,800 in the second is 16.8."""
    reader, problems = readers.NumberReader("inventory.csv"), []
    reader.parse(pd.Series(["12,5"]), "power_w", [2], problems)
    values, _ = reader.parse(pd.Series(["16,800"]), "power_w", [100_002], problems)
    assert values.tolist() == [16.8] and not problems


def test_a_contrary_convention_in_a_later_chunk_is_an_error():
    reader, problems = readers.NumberReader("inventory.csv"), []
    reader.parse(pd.Series(["12,5"]), "power_w", [2], problems)
    reader.parse(pd.Series(["0.5"]), "power_w", [100_002], problems)
    assert len(problems) == 1 and "'12,5' ligne 2" in problems[0].expected and "'0.5' ligne 100002" in \
        problems[0].expected


def test_ambiguous_values_before_the_file_shows_its_convention_are_reported_not_guessed():
    """1,234 in the first chunk, the convention only shown by a later chunk: the first is reported (the file is
    refused), never read with a convention seen afterwards."""
    reader, problems = readers.NumberReader("inventory.csv"), []
    first, reported = reader.parse(pd.Series(["1,234"]), "power_w", [2], problems)
    reader.parse(pd.Series(["12,5"]), "power_w", [100_002], problems)
    assert first.isna().all() and reported.all() and len(problems) == 1 and "'1,234'" in problems[0].expected


def test_csv_value_beyond_the_column_cap_is_an_error_empty_cells_are_dropped(tmp_path):
    path = tmp_path / "inventory.csv"
    path.write_text("a;b\n1;2;;;;;;\n3;4;;;;;x\n", encoding="utf-8")
    out = bounded_read(path, caps={"MAX_COLUMNS": 5})
    assert "ligne 3" in out["error"] and "colonne 'G'" in out["error"] and "au plus 5 colonnes" in out["error"]
    path.write_text("a;b\n1;2;;;;;;\n", encoding="utf-8")
    assert bounded_read(path, caps={"MAX_COLUMNS": 5})["first"] == [[2, ["1", "2", "", "", ""]]]


def test_xlsx_with_its_sheet_member_missing_is_an_input_error(tmp_path):
    src = _workbook(tmp_path / "seed.xlsx", {"data": [["a"], ["b"]]})
    path = tmp_path / "inventory.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                zout.writestr(info, zin.read(info.filename))
    with pytest.raises(InputError, match="inventory.xlsx"):
        header, rows = readers.read_rows(path, "inventory.xlsx")
        list(rows)


@pytest.mark.parametrize("name", ["inventory.xls", "inventory.csv"])
def test_excel_97_binary_workbook_is_refused_with_advice(tmp_path, name):
    """An .xls (OLE2 compound file) read as text would give a confusing encoding error."""
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 4)
    with pytest.raises(InputError, match=r"Excel 97-2003 \(\.xls\)"):
        readers.read_rows(path, name)


def test_decimal_note_says_which_convention_and_why(tmp_path):
    _table(tmp_path, "label;amount_eur;volume_gb\npc;3;12,5\n")
    note = readers.decimal_note(str(tmp_path / "purchases.csv"))
    assert note == "virgule décimale (déduite de '12,5' ligne 2, colonne 'volume_gb')"


# --- the attacks through the real readers of the study ---------------------------------------------------------------


def test_purchases_850_000_eur_are_refused_by_the_study_reader(tmp_path):
    """The attack on purchases.csv itself (850,000 € read as 850): read_purchases refuses the file, naming the value."""
    from helpers.io.carbon_inputs import read_purchases
    from helpers.io.territory import load_territory

    path = tmp_path / "purchases.csv"
    path.write_text("entity;category;amount_eur;year;quality;comment\n"
                    "mairie;services;850,000;2023;high;x\nmairie;software;20000;2023;high;y\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_purchases(path, load_territory("test-mini"))
    assert "'850,000'" in str(exc.value) and "amount_eur" in str(exc.value)


def test_inventory_with_a_hidden_first_sheet_counts_the_visible_sheet_only(tmp_path):
    """The attack: a hidden first sheet read as the data (661 -> 3,998 t). Through read_inventory, only the visible
    sheet's 3 + 2 devices are counted, not the hidden 999."""
    from helpers.io.factors import load_categories
    from helpers.io.inventory import read_inventory
    from helpers.io.territory import load_territory

    head = ["line_id", "entity", "category", "quantity", "purchase_year"]
    path = _workbook(tmp_path / "inventory.xlsx", {
        "old": [head, ["OLD", "mairie", "laptop", 999, 2019]],
        "data": [head, ["A", "mairie", "laptop", 3, 2019], ["B", "ecoles", "laptop", 2, 2020]],
    }, hidden=("old",))
    df = read_inventory(path, load_territory("test-mini"), load_categories())
    assert df["quantity"].sum() == 5 and "OLD" not in set(df["line_id"])
