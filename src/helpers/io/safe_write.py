"""The one writer of every spreadsheet-readable file the project produces (CSV and xlsx): no formula, ever.

Spreadsheet programs (Excel, LibreOffice Calc) run a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (``=HYPERLINK("http://…")``, ``=WEBSERVICE(…)``), and a tab or carriage return at the start of a field can
smuggle one past a naive check. Any text that comes from the inputs (ids, comments, service or territory names) may
start that way, so every text cell goes through this module:

- **CSV** (:func:`write_csv`): a text cell starting with one of :data:`FORMULA_PREFIXES` is written with a leading
  apostrophe ``'`` (OWASP "CSV Injection"; OWASP ASVS 5.0 requirement 1.2.10; CWE-1236). So that the processed tables,
  which later notebooks read back, keep their exact values (joins on ids), the quoting is a *reversible codec*: a text
  cell that already starts with ``'`` gets one more. :func:`decode_frame` (used by
  :meth:`helpers.run.context.Context.read_table` and :func:`read_csv`) removes exactly one leading apostrophe from every
  text cell that has one, so ``decode(encode(x)) == x`` for every string ``x``.
- **xlsx** (:func:`write_xlsx`): openpyxl stores any string starting with ``=`` as a live formula (``data_type 'f'``).
  Every text cell is forced to a string cell (``data_type 's'``), and one starting with a formula prefix also gets
  Excel's ``quotePrefix`` style (what Excel itself stores when a user types ``'=…``): the value stays exactly the text,
  shown as text. Characters that XML 1.0 forbids (control characters other than tab, line feed, carriage return; they
  make openpyxl raise ``IllegalCharacterError``) are replaced with U+FFFD, never a crash. The file is byte-identical
  across runs (fixed timestamps, sorted zip members).

References: OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection ; OWASP ASVS 5.0.0, V1.2.10 ;
MITRE CWE-1236, "Improper Neutralization of Formula Elements in a CSV File".
"""

from __future__ import annotations

import json
import math
import re
import zipfile
from pathlib import Path

import pandas as pd

#: first characters that make a spreadsheet read a cell as a formula (OWASP/ASVS: = + - @ tab CR NUL; plus the
#: full-width forms ＝ ＋ － ＠ that some East Asian versions of Excel also accept)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0", "\uff1d", "\uff0b", "\uff0d", "\uff20")
QUOTE = "'"
#: one pass over a column: a cell starting with a formula prefix or a quote, or holding a CR anywhere
_NEEDS_CSV_TEXT_RE = "^[" + re.escape("".join(FORMULA_PREFIXES) + QUOTE) + "]|\r"
#: what XML 1.0 forbids in text (openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE): C0 controls except tab, LF, CR
ILLEGAL_XML_RE = re.compile(r"[\000-\010\013\014\016-\037]")
REPLACEMENT = "\ufffd"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_BAD_SHEET_CHARS = re.compile(r"[\\*?:/\[\]]")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula (it starts with one of :data:`FORMULA_PREFIXES`)."""
    return isinstance(text, str) and text.startswith(FORMULA_PREFIXES)


def encode_text(text: str) -> str:
    """``'=1+1'`` → ``"'=1+1"``, ``"'x"`` → ``"''x"`` (reversible), anything else unchanged."""
    if isinstance(text, str) and (text.startswith(FORMULA_PREFIXES) or text.startswith(QUOTE)):
        return QUOTE + text
    return text


def decode_text(text: str) -> str:
    """Inverse of :func:`encode_text`: one leading apostrophe removed."""
    if isinstance(text, str) and text.startswith(QUOTE):
        return text[1:]
    return text


def _text_columns(df: pd.DataFrame) -> list:
    return [c for c in df.columns if df[c].dtype == object or isinstance(df[c].dtype, pd.StringDtype)]


def _map_text(values: pd.Series, fn) -> pd.Series:
    return values.map(lambda v: fn(v) if isinstance(v, str) else v)


def csv_text(text: str) -> str:
    """A text cell for CSV: carriage returns as line feeds, then :func:`encode_text`.

    Python's ``csv`` writer with ``\\n`` line ends does not quote a field holding a bare CR, which a spreadsheet then
    reads as a row break (the rest of the field, ``=…``, would start a new row). As line feeds the field is quoted.
    The only change a reader sees: CR → LF (as in xlsx, where XML reads a CR back as LF).
    """
    if isinstance(text, str) and "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return encode_text(text)


def _needs_csv_text(values: pd.Series) -> pd.Series:
    """Vectorised: which cells :func:`csv_text` would change (text starting with a prefix or a quote, or with a CR)."""
    try:
        text = values.str
    except AttributeError:  # no text at all in an object column
        return pd.Series(False, index=values.index)
    return text.contains(_NEEDS_CSV_TEXT_RE, regex=True, na=False).astype(bool)


def encode_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells, column names and text index are encoded with :func:`csv_text` (only the
    cells that need it are touched: a 1,000,000-row table costs one vectorised test per text column)."""
    out = df.copy(deep=False)
    for col in _text_columns(out):
        mask = _needs_csv_text(out[col])
        if mask.any():
            values = out[col].astype(object)
            values[mask] = values[mask].map(csv_text)
            out[col] = values
    out.columns = [csv_text(c) if isinstance(c, str) else c for c in out.columns]
    if out.index.dtype == object:
        out.index = pd.Index([csv_text(v) if isinstance(v, str) else v for v in out.index], name=out.index.name)
    return out


def decode_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Undo :func:`encode_frame` on a table read back from CSV (text cells and column names), in a copy.

    A text column whose every value was quoted because it starts with ``-`` or ``+`` (``'-3``) would have been read as
    numbers without the codec: such a column is converted back to numbers when every value converts, as
    ``pandas.read_csv`` would have done.
    """
    out = df.copy(deep=False)
    out.columns = [decode_text(c) if isinstance(c, str) else c for c in out.columns]
    for col in _text_columns(out):
        values = out[col]
        try:
            quoted = values.str.startswith(QUOTE, na=False).astype(bool)
        except AttributeError:  # no text in this column
            continue
        if not quoted.any():
            continue
        decoded = values.astype(object)
        decoded[quoted] = decoded[quoted].str[1:]
        numbers = pd.to_numeric(decoded, errors="coerce")
        if numbers.notna().sum() == decoded.notna().sum():
            decoded = numbers
        elif isinstance(values.dtype, pd.StringDtype):
            decoded = decoded.astype(values.dtype)  # the dtype pandas gave the column, as without the codec
        out[col] = decoded
    return out


def write_csv(df: pd.DataFrame, path: str | Path, index: bool = False) -> Path:
    """Write ``df`` to ``path`` as UTF-8 CSV, formula-safe (:func:`encode_frame`) and deterministic (``%.10g`` floats,
    ``\\n`` line ends). Written to a temporary name then renamed, so a reader never sees half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = encode_frame(df).to_csv(index=index, float_format="%.10g", lineterminator="\n")
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


#: what a French spreadsheet (Excel, LibreOffice Calc with a French locale) opens by a double click without an import
#: dialog: ``;`` between fields, a decimal comma, UTF-8 announced by its byte order mark (without it, Excel reads the
#: accents as Windows-1252), CRLF line ends
FR_SEPARATOR, FR_DECIMAL, FR_ENCODING = ";", ",", "utf-8-sig"


def write_csv_fr(df: pd.DataFrame, path: str | Path, decimals: dict | None = None) -> Path:
    """Write ``df`` as a CSV for people with a French spreadsheet (issue 36): :data:`FR_SEPARATOR`, decimal comma,
    UTF-8 with BOM, ``\r\n`` line ends, formula-safe (:func:`encode_frame`), written then renamed.

    ``decimals``: column -> decimals to round a number column to (others: up to 10 significant digits). Booleans
    and text are written as they are: translate them before (``oui``/``non``, French statuses). The machine tables
    of ``data/processed`` keep :func:`write_csv`.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = df.copy()
    for col, n in (decimals or {}).items():
        if col in out.columns:
            out[col] = pd.to_numeric(out[col], errors="coerce").round(int(n))
    text = encode_frame(out).to_csv(index=False, sep=FR_SEPARATOR, decimal=FR_DECIMAL, float_format="%.10g",
                                    lineterminator="\r\n")
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(text.encode(FR_ENCODING))
    tmp.replace(path)
    return path


def read_csv(path: str | Path, **kwargs) -> pd.DataFrame:
    """Read a CSV written by :func:`write_csv` and undo its quoting (:func:`decode_frame`)."""
    kwargs.setdefault("keep_default_na", False)
    kwargs.setdefault("na_values", [""])
    return decode_frame(pd.read_csv(path, **kwargs))


def clean_xml_text(text: str) -> str:
    """``text`` with every character XML 1.0 forbids replaced by U+FFFD (openpyxl would raise on them)."""
    return ILLEGAL_XML_RE.sub(REPLACEMENT, text)


def xlsx_value(value):
    """A Python value for an xlsx cell: NaN/None → empty, numpy scalars → Python, ±inf → text, text cleaned."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
    if value is pd.NaT:
        return None
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value).decode("utf-8", "replace")
    if isinstance(value, str):
        return clean_xml_text(value)
    if isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value if hasattr(value, "isoformat") else clean_xml_text(str(value))


def _sheet_title(name: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("_", clean_xml_text(str(name))).strip("'")[:31] or "feuille"
    title, n = base, 2
    while title.lower() in used:
        suffix = f"_{n}"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def _put_row(ws, row_idx: int, values, quote_style) -> None:
    """Write one row; every text cell a string cell, a formula-like one with Excel's quote prefix."""
    for col_idx, raw in enumerate(values, start=1):
        value = xlsx_value(raw)
        if value is None:
            continue
        cell = ws.cell(row=row_idx, column=col_idx)
        if isinstance(value, str):
            cell.value = value  # openpyxl marks '=…' as a formula here …
            cell.data_type = "s"  # … so the type is forced back to a plain string
            if is_formula_like(value):
                cell.quotePrefix = True
        else:
            cell.value = value


def write_xlsx(sheets: dict[str, tuple[pd.DataFrame, str | None]], path: str | Path) -> Path:
    """One sheet per table (``name -> (table, note)``), the note in the first row when given, then the header and the
    rows; no formula cell, no illegal character; byte-identical across runs; written to a temporary name then
    renamed."""

    from openpyxl import Workbook

    path = Path(path)
    wb = Workbook(write_only=False)
    wb.remove(wb.active)
    used: set[str] = set()
    for name, (df, note) in sheets.items():
        ws = wb.create_sheet(title=_sheet_title(name, used))
        r = 1
        if note is not None:
            _put_row(ws, r, [note], None)
            r += 1
        _put_row(ws, r, [str(c) for c in df.columns], None)
        for row in df.itertuples(index=False):
            r += 1
            _put_row(ws, r, row, None)
    return save_deterministic(wb, path)


def save_deterministic(wb, path: str | Path) -> Path:
    """Save the openpyxl workbook ``wb`` to ``path`` byte-identically across runs: fixed creation and modification
    dates (openpyxl stamps the save time in ``docProps/core.xml``), sorted zip members with a fixed timestamp, and
    an atomic replace of ``path``."""
    import datetime as dt

    path = Path(path)
    fixed = dt.datetime(2000, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "snr-diagnostic"
    tmp = path.with_name(f".{path.stem}.tmp.xlsx")
    wb.save(tmp)
    out_tmp = path.with_name(f".{path.name}.tmp")
    with zipfile.ZipFile(tmp) as src, zipfile.ZipFile(out_tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                for tag in (rb"modified", rb"created"):
                    data = re.sub(rb"<dcterms:" + tag + rb"([^>]*)>[^<]*</dcterms:" + tag + rb">",
                                  rb"<dcterms:" + tag + rb"\1>2000-01-01T00:00:00Z</dcterms:" + tag + rb">", data)
            fixed_info = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed_info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed_info, data)
    tmp.unlink()
    out_tmp.replace(path)
    return path


def formula_cells(path: str | Path) -> list[str]:
    """Every cell of the xlsx at ``path`` that a spreadsheet would evaluate: formula cells, and string cells
    starting with a formula prefix without Excel's quote prefix. ``['sheet!A6', …]``; empty when the file is safe."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    bad = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and is_formula_like(cell.value)
                                             and not cell.quotePrefix):
                    bad.append(f"{ws.title}!{cell.coordinate}")
    return bad


# ----------------------------------------------------------------------------------------------------------------
# Deterministic, strict JSON (summary.json and its parts, the manifest)
# ----------------------------------------------------------------------------------------------------------------

class NonFiniteValue(ValueError):
    """A figure to be written as JSON is infinite: never published (``summary.json`` is strict JSON, issue 31)."""


def _round(obj, digits: int = 6, where: str = ""):
    if isinstance(obj, float):
        if obj != obj:  # NaN is not JSON
            return None
        if obj in (float("inf"), float("-inf")):
            raise NonFiniteValue(f"valeur non finie ({obj}) à la clé « {where or '(racine)'} » : aucune figure "
                                 "infinie n'est publiée ; une entrée hors de ses bornes a échappé aux contrôles, "
                                 "signalez-le avec le fichier d'entrée en cause")
        return float(f"{obj:.{digits}g}")
    if isinstance(obj, dict):
        return {str(k): _round(v, digits, f"{where}.{k}" if where else str(k)) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_round(v, digits, f"{where}[{i}]") for i, v in enumerate(obj)]
    if hasattr(obj, "item"):  # numpy scalar
        return _round(obj.item(), digits, where)
    return obj


def dumps(obj) -> str:
    """Deterministic, strict JSON: floats to 6 significant digits, NaN as null, sorted keys, UTF-8 text; an
    infinite value raises :class:`NonFiniteValue` naming its key (``Infinity`` is not JSON)."""
    return json.dumps(_round(obj), ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False)
