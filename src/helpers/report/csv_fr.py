"""French copies, for people, of the import reports (issue 36): ``outputs/<slug>/rapport_import.csv`` and
``outputs/<slug>/lignes_exclues.csv``.

The machine tables of ``data/processed/<slug>/`` (``import_report.csv``, ``excluded_lines.csv``) keep their format:
the notebooks, the annex and next year's study read them. The copies under ``outputs/`` are for the analyst who
opens them in a French spreadsheet by a double click: ``;`` separator, decimal comma, UTF-8 with BOM
(:func:`helpers.io.safe_write.write_csv_fr`), French headers, French items and reasons.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

IMPORT_REPORT_FR = "rapport_import.csv"
EXCLUDED_LINES_FR = "lignes_exclues.csv"

#: the items of ``import_report.csv`` (:func:`helpers.io.ingest.import_report_table`) in French
ITEM_FR = {
    "rows_read": "lignes lues", "rows_kept": "lignes conservées", "excluded": "lignes exclues",
    "column": "colonne reconnue", "ignored": "colonne ignorée", "default": "valeur par défaut",
    "refined": "lecture affinée", "warning": "avertissement", "header_only": "en-tête seul",
}
IMPORT_REPORT_COLUMNS_FR = {"file": "Fichier", "item": "Rubrique", "key": "Objet", "value": "Valeur",
                            "detail": "Détail"}
EXCLUDED_COLUMNS_FR = {"file": "Fichier", "line": "Ligne", "reason": "Raison", "column": "Colonne",
                       "value": "Valeur", "detail": "Détail"}


def import_report_fr(table: pd.DataFrame) -> pd.DataFrame:
    """``import_report.csv`` for people: French headers; items, exclusion reasons, defaults and how a column was
    recognised in French (the column names of the model and the headers as written stay as they are)."""
    from helpers.io.inventory import REASON_FR
    from helpers.report.ingest import DEFAULT_FR, HOW_FR

    t = table.fillna("").astype(str)
    item = t["item"]
    key = t["key"].where(item != "excluded", t["key"].map(lambda k: REASON_FR.get(k, k)))
    key = key.where(item != "default", t["key"].map(lambda k: DEFAULT_FR.get(k, k)))
    detail = t["detail"].where(item != "column", t["detail"].map(lambda d: HOW_FR.get(d, d)))
    counts = pd.to_numeric(t["value"], errors="coerce")
    is_count = counts.notna() & item.isin(["rows_read", "rows_kept", "excluded", "default", "refined", "warning",
                                           "header_only"])
    # counts are whole numbers: written without a decimal part; headers as written stay text
    value = t["value"].where(~is_count, counts.map(lambda v: f"{v:.0f}" if v == v else ""))
    out = pd.DataFrame({"file": t["file"], "item": item.map(lambda i: ITEM_FR.get(i, i)), "key": key,
                        "value": value, "detail": detail})
    return out.rename(columns=IMPORT_REPORT_COLUMNS_FR)


def excluded_lines_fr(table: pd.DataFrame) -> pd.DataFrame:
    """``excluded_lines.csv`` for people: French headers (the reasons are already French)."""
    return table.rename(columns=EXCLUDED_COLUMNS_FR)[list(EXCLUDED_COLUMNS_FR.values())]


def write_import_reports_fr(processed: Path, outputs: Path) -> list[Path]:
    """Write the French copies of the import report and of the excluded lines found in ``processed`` into
    ``outputs``; returns the files written (none when the study has no import report)."""
    from helpers.io import safe_write

    written = []
    report = Path(processed) / "import_report.csv"
    if report.is_file():
        table = safe_write.read_csv(report, dtype=str)  # written by ctx.write_table: its quoting undone
        written.append(safe_write.write_csv_fr(import_report_fr(table), Path(outputs) / IMPORT_REPORT_FR))
    excluded = Path(processed) / "excluded_lines.csv"
    if excluded.is_file():
        table = safe_write.read_csv(excluded, dtype=str)
        written.append(safe_write.write_csv_fr(excluded_lines_fr(table), Path(outputs) / EXCLUDED_LINES_FR))
    return written
