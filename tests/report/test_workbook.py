"""tables.xlsx for a French spreadsheet user (issue 33): one dictionary of column labels with units, French values,
shares in percentage format, a Lisez-moi naming what each sheet holds and the part of the diagnostic it feeds, and
French comments in the project's own data files."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.report import workbook

ROOT = Path(__file__).resolve().parents[2]

#: the words the issue found in the headers and values of tables.xlsx, English or code; none may be left
WORDS = ("time", "owner", "staff", "based", "of life", "disease", "recipients", "replicas", "hosting", "as given",
         "source rows", "desktop", "laptop", "manufacturing", "terminals", "climate_change", "bau", "answered",
         "assumption", "published", "reconditioned")
WORD_RE = re.compile(r"(?<![\w])(" + "|".join(re.escape(w) for w in WORDS) + r")(?![\w])", re.I)
#: a text cell this long or shorter is a "short value" (a code, a label, a unit), longer is prose
SHORT_VALUE_CHARS = 60
#: a file name is a name the user types (``hosting.csv``): never translated
FILE_NAME_RE = re.compile(r"[\w.-]+\.(?:csv|yaml|xlsx|ods|json)\b")
#: columns whose label says they hold the text of an input file as written (an export's header, a category as the
#: collectivity wrote it): a collectivity's own text stays as written
VERBATIM_RE = re.compile(r"tel(?:le)? qu'écrite?")


def english_words(path: Path) -> list[tuple[str, str, str]]:
    """(sheet, header or value, the word) of every header and short value of the workbook ``path`` holding a word of
    :data:`WORDS` (file names and verbatim columns aside)."""
    from openpyxl import load_workbook

    found = []
    wb = load_workbook(path, read_only=True)
    for ws in wb.worksheets:
        rows = ws.iter_rows(values_only=True)
        header = [str(h or "") for h in next(rows, ())]
        for h in header:
            m = WORD_RE.search(FILE_NAME_RE.sub("", h))
            if m:
                found.append((ws.title, h, m.group(1)))
        for row in rows:
            for h, v in zip(header, row, strict=False):
                if not isinstance(v, str) or len(v) > SHORT_VALUE_CHARS or VERBATIM_RE.search(h):
                    continue
                m = WORD_RE.search(FILE_NAME_RE.sub("", v))
                if m:
                    found.append((ws.title, v, m.group(1)))
    return found


def test_the_word_check_finds_what_issue_33_found(tmp_path):
    """The check fails on the headers and values the issue quotes ("Time à implement mois", "Fin of life",
    "desktop", "climate_change", "bau", "ASSUMPTION: …") and passes on their French replacements."""
    from helpers.io.safe_write import write_xlsx

    bad = pd.DataFrame({"Time à implement mois": [1], "Fin of life": ["desktop"], "Statut": ["climate_change"],
                        "Scénario": ["bau"], "Commentaire": ["ASSUMPTION: split"]})
    good = pd.DataFrame({"Durée de mise en place (mois)": [1], "Fin de vie": ["Ordinateur fixe"],
                         "Fichier": ["hosting.csv"], "Catégorie telle qu'écrite dans le fichier": ["desktop"]})
    write_xlsx({"bad": (bad, None), "good": (good, None)}, tmp_path / "t.xlsx")
    words = {w.lower() for _, _, w in english_words(tmp_path / "t.xlsx")}
    assert words == {"time", "of life", "desktop", "climate_change", "bau", "assumption"}


def test_every_column_of_the_processed_tables_has_a_label_written_by_a_person():
    """Every snake_case column name that the study writes (the columns of its processed tables, listed from the
    code's ``COLUMN_LABELS`` keys and the input schemas) has its own entry: no header is translated word by word."""
    from helpers.run.scaffold import available_schemas

    columns = {c.name for schema, _, _ in available_schemas() for c in schema.columns}
    missing = sorted(c for c in columns if c not in workbook.COLUMN_LABELS and c.isascii())
    assert missing == [], missing


def test_codes_become_french_values_and_shares_a_percentage():
    df = pd.DataFrame({"scenario": ["bau", "plan", "target"], "cumulative_tco2e": [10.0, 8.0, 6.0],
                       "reconditioned": [True, False, True], "quality": ["high", "medium", "low"],
                       "share": [0.5, 0.3, 0.2]})
    sheet, shares = workbook.frenchify("trajectory_budget", df)
    assert list(sheet.columns) == ["Scénario", "Émissions cumulées (tCO2e)", "Reconditionné", "Qualité de la donnée",
                                   "Part du total"]
    assert list(sheet["Scénario"]) == ["Fil de l'eau (sans plan)", "Plan d'actions", "Trajectoire cible"]
    assert list(sheet["Reconditionné"]) == ["oui", "non", "oui"]
    assert list(sheet["Qualité de la donnée"]) == ["bonne", "moyenne", "faible"]
    assert shares == {"Part du total"}
    assert workbook.factor_label("laptop:manufacturing:climate_change") == (
        "Ordinateur portable — fabrication (changement climatique)")


def test_the_project_s_own_data_files_have_french_comments():
    """The comments of the illustrative territories (La Rochelle, test-mini) and the notes of the factor library are
    French: none holds an English marker or function word (a citation, a path or an address aside)."""
    english = re.compile(r"\b(the|of|and|with|from|per|is|are|not|for|by|every|assumed|assumption|published|"
                         r"illustrative|test line|test data)\b", re.I)
    files = [*sorted((ROOT / "data/raw/la-rochelle").glob("*.csv")), *sorted((ROOT / "data/raw/test-mini").glob("*.csv")),
             ROOT / "data/raw/reference/factors.csv"]
    found = []
    for path in files:
        with open(path, encoding="utf-8") as fh:
            for line, row in enumerate(csv.DictReader(fh), start=2):
                for col in ("comment", "note", "evidence"):
                    text = re.sub(r"\S*/\S*|«[^»]*»|https?://\S+", "", row.get(col) or "")
                    if english.search(text):
                        found.append(f"{path.name}:{line}:{col}: {row[col][:60]}")
    assert found == [], found[:10]


@pytest.mark.e2e
def test_tables_xlsx_of_test_mini_has_no_english_header_or_code(mini_project):
    """Issue 33's done-when on the published workbook of test-mini: no header or short value holds a word of the
    list; the Lisez-moi says for every sheet what it holds and the part it feeds."""
    from openpyxl import load_workbook

    root, _ = mini_project
    path = root / "outputs" / "test-mini" / "tables.xlsx"
    assert english_words(path) == []
    wb = load_workbook(path, read_only=True)
    readme = list(wb["Lisez-moi"].iter_rows(values_only=True))
    assert readme[0] == ("Feuille", "Ce qu'elle contient", "Partie du diagnostic", "Lignes")
    sheets = {r[0]: r for r in readme[1:] if r[0]}
    for name in wb.sheetnames[1:]:
        assert name in sheets, name
        what, part = sheets[name][1], sheets[name][2]
        assert what and what.endswith(".") and "calculée par l'étude" not in what, (name, what)
        assert part and (part.startswith(("Partie", "Parties", "Annexes"))), (name, part)


def _unlabelled(processed: Path) -> list[str]:
    """``table.column`` of every snake_case column of the processed tables in ``processed`` that
    :data:`helpers.report.workbook.COLUMN_LABELS` does not label (it would be translated word by word)."""
    out = []
    for path in sorted(processed.glob("*.csv")):
        for col in pd.read_csv(path, nrows=0).columns:
            name = str(col)
            if re.fullmatch(r"[a-z][a-z0-9_]*", name) and f"{path.stem}.{name}" not in workbook.COLUMN_LABELS \
                    and name not in workbook.COLUMN_LABELS:
                out.append(f"{path.stem}.{name}")
    return out


@pytest.mark.e2e
def test_every_processed_column_of_test_mini_has_a_label(mini_project):
    root, _ = mini_project
    assert _unlabelled(root / "data" / "processed" / "test-mini") == []


@pytest.mark.e2e
def test_tables_xlsx_of_sparse_territories_has_no_english_header_or_code(sparse_project):
    root, slug, _ = sparse_project
    assert english_words(root / "outputs" / slug / "tables.xlsx") == []
    assert _unlabelled(root / "data" / "processed" / slug) == []
