"""Generic, strict reader for the CSV inputs of a territory.

A :class:`Schema` declares the columns of one input file (name, kind, unit, bounds, allowed values, default,
description, example). The same declaration drives three things, so they never drift apart:

- :func:`read_table` parses and validates a file and reports *every* problem with its file line and column;
- :func:`template_csv` writes the documented template used by ``make new-territory``;
- :func:`schema_markdown` documents the file for the territory README.

Accepted input: UTF-8 (with or without BOM) or Windows-1252 text, ``,`` or ``;`` separator, ``.`` or ``,`` decimal
mark. The returned DataFrame has one column per schema column (typed, defaults applied) plus ``_line``, the file
line number of each row (header = line 1) so later checks can point at the row.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import readers
from helpers.errors import InputError, InputProblem, display_path
from helpers.memo import Memo

TRUE_WORDS = {"1", "true", "yes", "y", "oui", "o", "vrai", "x"}
FALSE_WORDS = {"0", "false", "no", "n", "non", "faux", ""}


@dataclass(frozen=True)
class Column:
    """One column of an input file."""

    name: str
    kind: str = "str"  # str | int | float | bool | year
    required: bool = False
    unit: str = ""
    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False
    allowed: tuple[str, ...] | None = None
    default: object = None
    description: str = ""
    example: object = ""
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Schema:
    """The declared columns of one input file."""

    file: str
    columns: tuple[Column, ...]
    description: str = ""
    unique: tuple[str, ...] = ()
    min_rows: int = 1
    extra: dict = field(default_factory=dict)

    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def normalise_name(name: str) -> str:
    """Column-name key: lower case, no accents, spaces and punctuation as ``_``."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    out = "".join(ch if ch.isalnum() else "_" for ch in text.strip().lower())
    while "__" in out:
        out = out.replace("__", "_")
    return out.strip("_")


def _decode(raw: bytes, file: str) -> str:
    """Text of a CSV's bytes (see :func:`helpers.readers.decode_text`)."""
    return readers.decode_text(raw, file)


def _sniff_separator(header: str) -> str:
    return readers.sniff_separator(header)


def _cell_text(value) -> str:
    return readers.cell_text(value)


XLSX_SUFFIXES = readers.XLSX_SUFFIXES


def read_xlsx_rows(path: Path, file: str, sheet: str | None = None):
    """Header and ``(row_number, cells)`` rows of an Excel sheet (see :func:`helpers.readers.read_xlsx_rows`)."""
    return readers.read_rows(path, file, sheet=sheet)


def read_rows(path: Path, file: str, sheet: str | None = None):
    """Header and an iterator of ``(line_number, cells)`` rows of a CSV, XLSX or ODS input; blank lines are skipped
    but counted. Safe and bounded: see :func:`helpers.readers.read_rows` (symlinks leaving the territory folder,
    FIFOs, devices and files over a cap refused before any read; caps on fields, rows and columns)."""
    header, rows = readers.read_rows(path, file, sheet=sheet)
    return header, list(rows)


def _to_number(values: pd.Series) -> pd.Series:
    """Floats of text cells read on their own (no file context): values that can be read two ways are ``NaN``."""
    return readers.NumberReader("").parse(values, "", np.arange(len(values)), [])[0]


def _parse_numbers(values: pd.Series, file: str, column: str, lines, problems: list):
    """Floats of the text cells ``values`` of one numeric column of ``file``, and the mask of the cells already
    reported in ``problems``.

    The decimal convention is decided per file from all its numeric values, or declared in ``territory.yaml`` (see
    :class:`helpers.readers.NumberReader`); ambiguous or mixed-convention values are reported, never guessed.
    """
    return readers.number_reader(file).parse(values, column, lines, problems)


#: Clean tables read in this process (see :func:`read_table`).
_TABLES = Memo(max_items=512)


def read_table(path: str | Path, schema: Schema, problems_out: list | None = None) -> pd.DataFrame:
    """Read and validate one CSV (or .xlsx) input against ``schema``.

    A clean table is cached per process, keyed by path, size, modification time and schema, and a copy is returned:
    the action plan re-evaluates the balance dozens of times and would otherwise re-read and re-validate the same
    reference files each time. A changed file is read again.

    Raises :class:`InputError` listing every problem (file, line, column, value, what was expected). Unknown columns
    are reported as warnings in ``df.attrs["warnings"]`` (a list of :class:`InputProblem`) and ignored.

    If ``problems_out`` is a list, cell-level problems are appended to it instead of raised, and the table is returned
    with the bad cells empty, so the caller can add its own cross-checks and report everything at once. Structural
    problems (missing file, missing required column, no data row) are always raised.
    """
    path = Path(path)
    key = None
    if problems_out is None and path.exists():
        stat = path.stat()
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, id(schema))
        hit = _TABLES.get(key)
        if hit is not None:
            return hit.copy()
    df = _read_table(path, schema, problems_out)
    if key is not None:
        _TABLES.put(key, df.copy())
    return df


def _read_table(path: Path, schema: Schema, problems_out: list | None) -> pd.DataFrame:
    file = display_path(path)
    header, rows = read_rows(path, file)
    problems: list[InputProblem] = []

    by_key = {}
    for col in schema.columns:
        by_key[normalise_name(col.name)] = col.name
        for syn in col.synonyms:
            by_key[normalise_name(syn)] = col.name
    mapping: dict[int, str] = {}
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        key = normalise_name(name)
        if not key:
            if any(i < len(cells) and cells[i] for _, cells in rows):
                problems.append(InputProblem(file, 1, f"#{i + 1}", name, "a column name (this column has values but no header)"))
            continue
        target = by_key.get(key)
        if target is None:
            problems.append(
                InputProblem(file, 1, name, None, f"one of the known columns {schema.names()}; this column is ignored",
                             severity="warning")
            )
            continue
        if target in seen:
            problems.append(InputProblem(file, 1, name, None, f"column '{target}' only once in the header"))
            continue
        seen[target] = i
        mapping[i] = target
    for col in schema.columns:
        if col.required and col.name not in seen:
            problems.append(InputProblem(file, 1, col.name, None, f"a column '{col.name}' ({col.description or col.kind})"))
    if len(rows) < schema.min_rows:
        problems.append(InputProblem(file, None, None, None, f"at least {schema.min_rows} data row(s) below the header"))
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)

    width = len(header)
    for line, cells in rows:
        if len(cells) > width and any(cells[width:]):
            problems.append(InputProblem(file, line, None, len(cells), f"at most {width} cells, as many as the header"))
    lines = np.array([line for line, _ in rows], dtype=np.int64)
    data = {}
    for i, target in mapping.items():
        data[target] = pd.Series([cells[i] if i < len(cells) else "" for _, cells in rows], dtype="object").astype(str)
    out = pd.DataFrame(index=range(len(rows)))
    for col in schema.columns:
        values = data.get(col.name, pd.Series([""] * len(rows), dtype="object"))
        empty = values.eq("")
        if col.kind != "str":  # spreadsheet placeholders for a missing number
            empty |= values.str.lower().isin({"na", "n/a", "nan", "null", "none", "-"})
        if col.required:
            for idx in np.flatnonzero(empty.to_numpy()):
                problems.append(InputProblem(file, int(lines[idx]), col.name, "", f"a value ({col.description or col.kind})"))
        out[col.name] = _convert(values, empty, col, lines, file, problems)
    out["_line"] = lines
    for key in schema.unique:
        dup = out[key].duplicated(keep=False) & out[key].notna()
        for idx in np.flatnonzero(dup.to_numpy()):
            problems.append(InputProblem(file, int(lines[idx]), key, out[key].iat[idx], f"a unique '{key}' (this value appears more than once)"))
    warnings = [p for p in problems if p.severity != "error"]
    if problems_out is not None:
        problems_out.extend(p for p in problems if p.severity == "error")
    elif any(p.severity == "error" for p in problems):
        raise InputError(problems)
    out.attrs["warnings"] = warnings
    return out


def _convert(values, empty, col: Column, lines, file, problems) -> pd.Series:
    kind = col.kind
    if kind == "str":
        result = values.where(~empty, None)
        if col.default is not None:
            result = result.fillna(col.default)
        if col.allowed is not None:
            allowed = {a.lower(): a for a in col.allowed}
            lowered = result.str.lower()
            bad = result.notna() & ~lowered.isin(allowed)
            for idx in np.flatnonzero(bad.to_numpy()):
                problems.append(InputProblem(file, int(lines[idx]), col.name, result.iat[idx], f"one of {list(col.allowed)}"))
            result = lowered.map(allowed).where(~bad, result)
        return result.astype(object)
    if kind == "bool":
        lowered = values.str.lower()
        is_true = lowered.isin(TRUE_WORDS)
        is_false = lowered.isin(FALSE_WORDS) | empty
        bad = ~(is_true | is_false)
        for idx in np.flatnonzero(bad.to_numpy()):
            problems.append(InputProblem(file, int(lines[idx]), col.name, values.iat[idx], "yes/no (oui/non, true/false, 1/0)"))
        default = bool(col.default) if col.default is not None else False
        return pd.Series(np.where(empty, default, is_true.to_numpy()), dtype=bool)
    numbers = _to_number(values)
    bad = numbers.isna() & ~empty
    expected = "a whole number" if kind in ("int", "year") else "a number"
    unit = f" in {col.unit}" if col.unit else ""
    for idx in np.flatnonzero(bad.to_numpy()):
        problems.append(InputProblem(file, int(lines[idx]), col.name, values.iat[idx], f"{expected}{unit}"))
    if kind in ("int", "year"):
        frac = numbers.notna() & (numbers != np.floor(numbers.fillna(0)))
        for idx in np.flatnonzero(frac.to_numpy()):
            problems.append(InputProblem(file, int(lines[idx]), col.name, values.iat[idx], f"{expected}{unit}"))
    ok = numbers.notna()
    if col.min is not None:
        low = numbers <= col.min if col.min_exclusive else numbers < col.min
        sign = ">" if col.min_exclusive else ">="
        for idx in np.flatnonzero((ok & low).to_numpy()):
            problems.append(InputProblem(file, int(lines[idx]), col.name, values.iat[idx], f"a value {sign} {col.min:g}{unit}"))
    if col.max is not None:
        for idx in np.flatnonzero((ok & (numbers > col.max)).to_numpy()):
            problems.append(InputProblem(file, int(lines[idx]), col.name, values.iat[idx], f"a value <= {col.max:g}{unit}"))
    if col.default is not None:
        numbers = numbers.fillna(col.default)
    return numbers.astype("float64")


def template_csv(schema: Schema) -> str:
    """A template CSV for ``schema``: the header and one example row."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(schema.names())
    writer.writerow(["" if c.example is None else c.example for c in schema.columns])
    return buf.getvalue()


def schema_markdown(schema: Schema) -> str:
    """Markdown documentation of one input file (used in territory READMEs)."""
    out = [f"### `{schema.file}`", "", schema.description, "",
           "| column | required | type | unit | allowed / range | default | meaning |",
           "|---|---|---|---|---|---|---|"]
    for c in schema.columns:
        rng = ", ".join(c.allowed) if c.allowed else ""
        if c.min is not None or c.max is not None:
            lo = "" if c.min is None else (f"> {c.min:g}" if c.min_exclusive else f">= {c.min:g}")
            hi = "" if c.max is None else f"<= {c.max:g}"
            rng = " and ".join(x for x in (lo, hi) if x)
        default = "" if c.default is None else str(c.default)
        syn = f" (also accepted: {', '.join(c.synonyms)})" if c.synonyms else ""
        out.append(f"| `{c.name}` | {'yes' if c.required else 'no'} | {c.kind} | {c.unit} | {rng} | {default} | {c.description}{syn} |")
    return "\n".join(out) + "\n"
