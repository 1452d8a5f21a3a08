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
import difflib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.io import readers
from helpers.io.errors import InputError, InputProblem, display_path, quoted_names
from helpers.io.french import count_text
from helpers.io.memo import Memo

TRUE_WORDS = {"1", "true", "yes", "y", "oui", "o", "vrai", "x"}
FALSE_WORDS = {"0", "false", "no", "n", "non", "faux", ""}
#: French names of the column kinds, for the messages of columns without a ``label_fr``.
KINDS_FR = {"str": "un texte", "int": "un nombre entier", "float": "un nombre", "bool": "oui ou non",
            "year": "une année", "date": "une date ou une année"}


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
    #: French description quoted in the messages an analyst reads ("une valeur (…)"); ``description`` stays the
    #: English text of the READMEs. Empty: the French name of the kind (:data:`KINDS_FR`).
    label_fr: str = ""

    def label(self) -> str:
        """French text naming what the column holds, for messages."""
        return self.label_fr or KINDS_FR.get(self.kind, self.kind)


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


#: Letters of other scripts that look Latin (Cyrillic, Greek) and typographic marks, as their plain Latin look-alike:
#: an asset tool's language file may carry one (Snipe-IT's fr-FR ``general.category`` is stored with a Cyrillic
#: capital Es, U+0421, as its first letter), which no reader can see. Applied after Unicode compatibility normalisation (NFKC: no-break
#: and thin spaces, ligatures, full-width letters).
LOOKALIKES = str.maketrans({
    # Cyrillic capitals and small letters drawn like A B E K M H O P C T X Y I J S Q W a e o p c y x i j s h d q w l
    "\u0410": "A", "\u0412": "B", "\u0415": "E", "\u041a": "K", "\u041c": "M", "\u041d": "H", "\u041e": "O",
    "\u0420": "P", "\u0421": "C", "\u0422": "T", "\u0425": "X", "\u0423": "Y", "\u0406": "I", "\u0408": "J",
    "\u0405": "S", "\u051a": "Q", "\u051c": "W", "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p",
    "\u0441": "c", "\u0443": "y", "\u0445": "x", "\u0456": "i", "\u0458": "j", "\u0455": "s", "\u04bb": "h",
    "\u0501": "d", "\u051b": "q", "\u051d": "w", "\u04cf": "l",
    # Greek capitals and small letters drawn like A B E Z H I K M N O P T Y X o v i p u k a
    "\u0391": "A", "\u0392": "B", "\u0395": "E", "\u0396": "Z", "\u0397": "H", "\u0399": "I", "\u039a": "K",
    "\u039c": "M", "\u039d": "N", "\u039f": "O", "\u03a1": "P", "\u03a4": "T", "\u03a5": "Y", "\u03a7": "X",
    "\u03bf": "o", "\u03bd": "v", "\u03b9": "i", "\u03c1": "p", "\u03c5": "u", "\u03ba": "k", "\u03b1": "a",
    # apostrophes and dashes as word processors type them
    "\u2019": "'", "\u2018": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'", "`": "'", "\u00b4": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    # invisible: zero-width spaces and joiners, word joiner, byte-order mark, soft hyphen
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None, "\u00ad": None,
})


def fold_text(text) -> str:
    """``text`` after Unicode compatibility normalisation (NFKC) and look-alike folding (:data:`LOOKALIKES`):
    what a person reads, whatever the bytes: "Catégorie" written with a Cyrillic capital Es (U+0421) gives the Latin
    "Catégorie"; a typographic apostrophe (U+2019) gives "'"; a no-break space gives a space."""
    return unicodedata.normalize("NFKC", str(text)).translate(LOOKALIKES)


def lookalike_chars(text) -> list[str]:
    """The characters of ``text`` that :func:`fold_text` replaced or removed, as ``'?' (U+0421)`` (for messages)."""
    nfkc = unicodedata.normalize("NFKC", str(text))
    return [f"{ch!r} (U+{ord(ch):04X})" for ch in dict.fromkeys(nfkc) if ch.translate(LOOKALIKES) != ch]


def normalise_name(name: str) -> str:
    """Column-name key: look-alikes folded (:func:`fold_text`), lower case, no accents, spaces and punctuation as
    ``_``."""
    text = unicodedata.normalize("NFKD", fold_text(name)).encode("ascii", "ignore").decode()
    out = "".join(ch if ch.isalnum() else "_" for ch in text.strip().lower())
    while "__" in out:
        out = out.replace("__", "_")
    return out.strip("_")


def _decode(raw: bytes, file: str) -> str:
    """Text of a CSV's bytes (see :func:`helpers.io.readers.decode_text`)."""
    return readers.decode_text(raw, file)


def _sniff_separator(header: str) -> str:
    return readers.sniff_separator(header)


def _cell_text(value) -> str:
    return readers.cell_text(value)


XLSX_SUFFIXES = readers.XLSX_SUFFIXES


def read_xlsx_rows(path: Path, file: str, sheet: str | None = None):
    """Header and ``(row_number, cells)`` rows of an Excel sheet (see :func:`helpers.io.readers.read_xlsx_rows`)."""
    return readers.read_rows(path, file, sheet=sheet)


def read_rows(path: Path, file: str, sheet: str | None = None):
    """Header and an iterator of ``(line_number, cells)`` rows of a CSV, XLSX or ODS input; blank lines are skipped
    but counted. Safe and bounded: see :func:`helpers.io.readers.read_rows` (symlinks leaving the territory folder,
    FIFOs, devices and files over a cap refused before any read; caps on fields, rows and columns)."""
    return readers.read_rows(path, file, sheet=sheet)


def _parse_numbers(values: pd.Series, file: str, column: str, lines, problems: list):
    """Floats of the text cells ``values`` of one numeric column of ``file``, and the mask of the cells already
    reported in ``problems``.

    The decimal convention is decided per file from all its numeric values, or declared in ``territory.yaml`` (see
    :class:`helpers.io.readers.NumberReader`); ambiguous or mixed-convention values are reported, never guessed.
    """
    return readers.number_reader(file).parse(values, column, lines, problems)


#: Clean tables read in this process (see :func:`read_table`).
_TABLES = Memo(max_items=512)

#: Rows converted at once: bounds the memory of a 1,000,000-row per-asset export (see :func:`iter_table`).
CHUNK_ROWS = 100_000


def read_table(path: str | Path, schema: Schema, problems_out: list | None = None) -> pd.DataFrame:
    """Read and validate one CSV (or .xlsx) input against ``schema``.

    A clean table is cached per process, keyed by path, size, modification time and schema, and a copy is returned:
    the action plan re-evaluates the balance dozens of times and would otherwise re-read and re-validate the same
    reference files each time. A changed file is read again.

    Raises :class:`InputError` listing every problem (file, line, column, value, what was expected). Unknown columns
    are reported as warnings in ``df.attrs["warnings"]`` (a list of :class:`InputProblem`) and ignored.
    ``df.attrs["columns"]`` says how each column was recognised (see :func:`map_header`). A reader takes this report
    off before computing with the table (:func:`take_report`): the model is handed plain frames.

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


def take_report(df: pd.DataFrame) -> dict:
    """Take the reading report off ``df`` and return it: ``df.attrs`` as :func:`read_table` left it (``columns``,
    ``ignored``, ``file``, ``decimals``, ``warnings``, ``rows_read``); ``df`` is left a plain frame (empty ``attrs``).

    pandas deep-copies a frame's ``attrs`` at every operation (``NDFrame.__finalize__``), so a report riding along
    costs a copy of every warning at each step of the model. A reader takes the report off before computing and
    gives back only what its callers read (the import report of :mod:`helpers.io.ingest`, the warnings); the tables
    handed to the model carry none.
    """
    report = df.attrs
    df.attrs = {}
    return report


def plain(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with its ``attrs`` emptied (in place), for the model (see :func:`take_report`)."""
    df.attrs = {}
    return df


def with_warnings(df: pd.DataFrame, warnings) -> pd.DataFrame:
    """``df`` with ``attrs`` holding only ``warnings`` when there are any, else a plain frame: what a reference
    loader returns, so the clean shipped tables reach the model plain (see :func:`take_report`)."""
    df.attrs = {"warnings": list(warnings)} if warnings else {}
    return df


@dataclass
class HeaderMap:
    """How the header of one file maps to the schema.

    ``mapping``: header index -> schema column; ``how``: schema column -> (header as written, how it was recognised:
    ``exact``, ``synonym`` or ``synonym after a prefix`` for GLPI's ``Group - Name`` labels); ``ignored``: the headers
    not used, with the reason.
    """

    mapping: dict[int, str]
    how: dict[str, tuple[str, str]]
    ignored: list[tuple[str, str]]
    #: schema column -> an ignored header that looks like one of its names (a typo: "Catégore"), for the message
    #: that says the column is absent
    near: dict[str, str] = field(default_factory=dict)

    def absent_hint(self, column: str) -> str:
        """French hint for an absent ``column``: the ignored header that looks like it, or ``""``."""
        header = self.near.get(column)
        if header is None:
            return ""
        return (f" ; la colonne « {header} » lui ressemble mais n'est pas reconnue (faute de frappe ?) : "
                f"renommez-la « {column} » ou d'un nom du README")


#: Similarity (``difflib`` ratio of the normalised names) above which an unknown header is taken for a typo of a known
#: one, in the message saying that column is absent ("Catégore" for "catégorie": 0.94; "Lieu" for "line_id": 0.36)
NEAR_HEADER_CUTOFF = 0.85


def _header_ranks(schema: Schema) -> dict[str, tuple[str, int]]:
    """Normalised name -> (column, rank): 0 for the column's own name, then its synonyms in their declared order."""
    ranks: dict[str, tuple[str, int]] = {}
    for col in schema.columns:
        ranks.setdefault(normalise_name(col.name), (col.name, 0))
        for j, syn in enumerate(col.synonyms, start=1):
            ranks.setdefault(normalise_name(syn), (col.name, j))
    return ranks


def _header_match(name: str, key: str, ranks: dict) -> tuple[str, int, str] | None:
    """(column, rank, how) of a header cell: its exact name or a synonym, else the part after a ``<Group> - ``
    prefix (ranked after every direct match); None when unknown. ``how`` says how, and which look-alike characters
    were replaced."""
    found = ranks.get(key)
    how = "exact" if found and found[1] == 0 else "synonyme"
    if found is None and " - " in str(name):
        found = ranks.get(normalise_name(str(name).rsplit(" - ", 1)[1]))
        if found is not None:
            found, how = (found[0], 1000 + found[1]), "synonyme après préfixe"
    if found is None:
        return None
    replaced = lookalike_chars(name)
    if replaced:  # recognised once folded: say so, the reader cannot see it
        how = f"{how} ; caractères semblables remplacés : {', '.join(replaced)}"
    return found[0], found[1], how


def _keep_best(best: dict, ignored: list, header: list[str], i: int, found: tuple, file: str) -> list[InputProblem]:
    """Header cell ``i`` matched ``found`` = (column, rank, how): kept in ``best`` when it is the column's best match
    so far (the other one goes to ``ignored``); the exact name written twice is a problem."""
    target, rank, how = found
    name = header[i]
    current = best.get(target)
    if current is None:
        best[target] = (rank, i, how)
    elif rank == 0 and current[0] == 0:
        return [InputProblem(file, 1, name, None, f"la colonne '{target}' une seule fois dans l'en-tête")]
    elif rank < current[0]:
        ignored.append((header[current[1]], f"colonne '{target}' déjà lue dans la colonne '{name}'"))
        best[target] = (rank, i, how)
    else:
        ignored.append((name, f"colonne '{target}' déjà lue dans la colonne '{header[current[1]]}'"))
    return []


def map_header(header: list[str], schema: Schema, file: str, has_values=None) -> tuple[HeaderMap, list[InputProblem]]:
    """Match the header cells of a file to the schema's columns (case, accents, punctuation and look-alike
    characters ignored: see :func:`fold_text`).

    A header matches a column by its exact name, by one of its synonyms, or, for labels written
    ``<Group> - <Name>`` (GLPI prefixes the fields of a group, e.g. ``Informations financières et administratives -
    Date d'achat``, ``glpi-project/glpi:src/Search/Output/ExportSearchOutput.php``), by the part after the last
    `` - ``. When several headers match the same column, the best match wins (exact name, then synonyms in their
    declared order) and the others are ignored; the exact name written twice is an error.
    """
    ranks = _header_ranks(schema)
    problems: list[InputProblem] = []
    best: dict[str, tuple[int, int, str]] = {}  # column -> (rank, header index, how)
    ignored: list[tuple[str, str]] = []
    near: dict[str, str] = {}
    for i, name in enumerate(header):
        key = normalise_name(name)
        if not key:
            if has_values is not None and has_values(i):
                problems.append(InputProblem(file, 1, f"#{i + 1}", name,
                                             "un nom de colonne (cette colonne a des valeurs mais pas d'en-tête)"))
        elif key == EXAMPLE_COLUMN:
            ignored.append((name, "marque des lignes d'exemple du modèle"))
        elif (found := _header_match(name, key, ranks)) is None:
            ignored.append((name, "colonne inconnue"))
            close = difflib.get_close_matches(key, list(ranks), n=1, cutoff=NEAR_HEADER_CUTOFF)
            if close:
                near.setdefault(ranks[close[0]][0], name)
        else:
            problems += _keep_best(best, ignored, header, i, found, file)
    unknown = [name for name, why in ignored if why == "colonne inconnue"]
    if unknown:  # one warning per file, however many columns an export carries
        problems.append(InputProblem(file, 1, quoted_names(unknown), None,
                                     ("colonnes ignorées" if len(unknown) > 1 else "colonne ignorée")
                                     + " : ni une colonne du modèle ni un de ses synonymes "
                                     "(liste dans le README du dossier)", severity="warning", kind="note"))
    mapping = {i: target for target, (_, i, _) in best.items()}
    how = {target: (header[i], h) for target, (_, i, h) in best.items()}
    near = {target: name for target, name in near.items() if target not in best}
    return HeaderMap(dict(sorted(mapping.items())), how, ignored, near), problems


def _read_table(path: Path, schema: Schema, problems_out: list | None) -> pd.DataFrame:
    problems: list[InputProblem] = readers.BoundedProblems()  # memory bounded whatever the number of bad cells
    chunks = list(iter_table(path, schema, problems))
    decimals = chunks[-1].attrs.get("decimals", {})  # the evidence of the whole file
    report = take_report(chunks[0])  # the checks below run on plain frames; the report is put back at the end
    report["decimals"] = decimals
    for chunk in chunks[1:]:
        plain(chunk)
    out = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
    lines = out["_line"].to_numpy()
    for key in schema.unique:
        dup = out[key].duplicated(keep=False) & out[key].notna()
        for idx in np.flatnonzero(dup.to_numpy()):
            problems.append(InputProblem(file_of(path), int(lines[idx]), key, out[key].iat[idx],
                                         f"un '{key}' unique (cette valeur apparaît plusieurs fois)"))
    warnings = [p for p in problems if p.severity != "error"]
    if problems_out is not None:
        problems_out.extend(p for p in problems if p.severity == "error")
    elif any(p.severity == "error" for p in problems):
        raise InputError(problems)
    out.attrs = dict(report)
    out.attrs["warnings"] = warnings
    out.attrs["rows_read"] = int(len(out))
    return out


def file_of(path) -> str:
    """The file name used in messages (relative to the project root)."""
    return display_path(path)


def iter_table(path: Path, schema: Schema, problems: list, chunk_rows: int = CHUNK_ROWS, file: str | None = None,
               sheet: str | None = None):
    """Clean chunks of at most ``chunk_rows`` rows of one input file (see :func:`read_table`).

    Structural problems (missing file, missing required column, no data row) raise :class:`InputError` before the
    first chunk; cell problems and header warnings are appended to ``problems``. Uniqueness across chunks is the
    caller's business. Each chunk's ``attrs`` carries ``columns`` (how each column was recognised) and ``ignored``
    (the header cells not used, with the reason); at least one chunk is yielded, possibly empty. ``sheet`` names
    the sheet of a workbook to read (default: the first visible one).
    """
    import itertools

    path = Path(path)
    file = file or display_path(path)
    if sheet is not None:
        header, rows = read_xlsx_rows(path, f"{file} [{sheet}]", sheet)
        file = f"{file} [{sheet}]"
    else:
        header, rows = read_rows(path, file)
    rows = iter(rows)
    first = list(itertools.islice(rows, chunk_rows))

    def has_values(i):
        return any(i < len(cells) and cells[i] for _, cells in first)

    hmap, head_problems = map_header(header, schema, file, has_values)
    for col in schema.columns:
        if col.required and col.name not in hmap.how:
            head_problems.append(InputProblem(file, 1, col.name, None,
                                              f"une colonne '{col.name}' ({col.label()}){hmap.absent_hint(col.name)}"))
    if len(first) < schema.min_rows:
        head_problems.append(InputProblem(file, None, None, None,
                                          f"au moins {count_text(schema.min_rows, 'ligne')} de données sous l'en-tête"))
    if any(p.severity == "error" for p in head_problems):
        raise InputError(head_problems)
    problems.extend(head_problems)
    attrs = {"columns": hmap.how, "ignored": hmap.ignored, "file": file}
    if hmap.near:  # ignored headers that look like a known column (read by the inventory's messages)
        attrs["near"] = hmap.near
    chunk = first
    while True:
        df = _convert_rows(chunk, header, hmap.mapping, schema, file, problems)
        df.attrs = dict(attrs, decimals=readers.number_reader(file).notes())  # so far: complete on the last chunk
        yield df
        chunk = list(itertools.islice(rows, chunk_rows))
        if not chunk:
            break


_INTEGER_END = re.compile(r"(?:^|[^\d.,])[-+]?\d+$")
_DIGITS_START = re.compile(r"^\d{1,3}(?:$|[^\d.,])")


def split_decimal(cells: list[str]) -> tuple[str, str] | None:
    """Two neighbouring cells that look like one number cut at an unquoted decimal comma (``1`` then ``19 M€``, from
    ``1,19 M€`` in a comma-separated file), or ``None``."""
    for a, b in zip(cells, cells[1:], strict=False):
        if a and b and _INTEGER_END.search(a.strip()) and _DIGITS_START.match(b.strip()):
            return a, b
    return None


def _too_many_cells(rows, width: int, file: str, problems: list) -> None:
    """Problems for rows with more non-empty cells than the header: one for a whole shifted chunk (every row one
    cell longer: a header name is missing), else one per row, with a hint when a cell was cut at a decimal comma."""
    long = [(line, cells, split_decimal(cells)) for line, cells in rows if len(cells) > width and any(cells[width:])]
    if not long:
        return
    if (len(long) == len(rows) >= 2 and all(len(cells) == width + 1 and cut is None for _, cells, cut in long)):
        problems.append(InputProblem(
            file, long[0][0], None, None,
            f"autant de cellules que l'en-tête ({width}) ; toutes les lignes en ont une de plus : les colonnes "
            "semblent décalées d'un cran (un nom de colonne manque dans l'en-tête ?)",
            count=len(long), rows=tuple(line for line, _, _ in long[:5])))
        return
    for line, cells, cut in long:
        hint = (f" ; « {cut[0]} » puis « {cut[1]} » : un nombre à virgule décimale coupé en deux ? mettez-le entre "
                f"guillemets (\"{cut[0]},{cut[1]}\") ou enregistrez le fichier avec le séparateur « ; »") if cut else ""
        problems.append(InputProblem(file, line, None, len(cells), f"au plus {width} cellules, autant que l'en-tête{hint}"))


def _convert_rows(rows, header, mapping, schema: Schema, file: str, problems: list) -> pd.DataFrame:
    width = len(header)
    _too_many_cells(rows, width, file, problems)
    lines = np.array([line for line, _ in rows], dtype=np.int64)
    data = {}
    for i, target in mapping.items():
        data[target] = pd.Series([cells[i] if i < len(cells) else "" for _, cells in rows], dtype="object").astype(str)
    out = pd.DataFrame(index=range(len(rows)))
    numeric = {c.name: data[c.name] for c in schema.columns if c.kind in ("int", "float", "year") and c.name in data}
    readers.number_reader(file).observe(numeric, lines)  # every column's clues before any is read (issue 31)
    for col in schema.columns:
        values = data.get(col.name, pd.Series([""] * len(rows), dtype="object"))
        empty = values.eq("")
        if col.kind != "str":  # spreadsheet placeholders for a missing number
            empty |= values.str.lower().isin({"na", "n/a", "nan", "null", "none", "-"})
        if col.required:
            for idx in np.flatnonzero(empty.to_numpy()):
                problems.append(InputProblem(file, int(lines[idx]), col.name, "",
                                             f"une valeur ({col.label()})"))
        out[col.name] = _convert(values, empty, col, lines, file, problems)
    problems.extend(readers.number_reader(file).take_warnings())
    out["_line"] = lines
    if schema.extra.get("row_key"):  # the whole line as read, for "every column equal" (inventory duplicates)
        out["_row"] = np.array([hash(tuple(cells)) for _, cells in rows], dtype=np.int64)
    return out


_ISO_DATE = r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
_DMY_DATE = r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$"
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp][Mm])?)?"
_YMD_DOTS = r"^(\d{4})\.(\d{1,2})\.(\d{1,2})\.?" + _TIME + "$"
#: dates with the month in words, as Snipe-IT's display formats write them ("D M d, Y", "M j, Y", "d M, Y";
#: ``snipe/snipe-it:resources/macros/macros.php``) and as French users type them ("15 mars 2021")
_WORDED_DATE = (r"^(?:[^\W\d_]{2,9}\.?,?\s+)??(?:([^\W\d_]{3,9}\.?)\s+(\d{1,2})|(\d{1,2})(?:er)?\s+([^\W\d_]{3,9}\.?))"
                r",?\s+(\d{4})" + _TIME + "$")
_MONTHS = {
    1: ("jan", "january", "janvier", "janv"), 2: ("feb", "february", "fev", "février", "fevrier", "févr", "fevr"),
    3: ("mar", "march", "mars"), 4: ("apr", "april", "avr", "avril"), 5: ("may", "mai"), 6: ("jun", "june", "juin"),
    7: ("jul", "july", "juil", "juillet"), 8: ("aug", "august", "aout", "août"),
    9: ("sep", "sept", "september", "septembre"), 10: ("oct", "october", "octobre"),
    11: ("nov", "november", "novembre"), 12: ("dec", "december", "déc", "décembre", "decembre"),
}
_MONTH_WORDS = {word: number for number, words in _MONTHS.items() for word in words}


def _month_number(word):
    """Month number of an English or French month name or abbreviation; ``None`` otherwise."""
    return _MONTH_WORDS.get(word) if isinstance(word, str) else None
#: Excel serial day numbers accepted in a date column: 1954-04-12 .. 2119-01-10 (origin 1899-12-30, the 1900 leap-
#: year bug included, as Excel and LibreOffice count).
_SERIAL_MIN, _SERIAL_MAX = 20_000, 80_000


def dates_to_year(values: pd.Series) -> pd.Series:
    """The year of dates written as asset tools and spreadsheets export them; ``NaN`` when unreadable.

    Accepted: ``yyyy-mm-dd`` (GLPI default, ISO, with ``hh:mm[:ss]``), ``dd/mm/yyyy``, ``dd-mm-yyyy``,
    ``mm-dd-yyyy`` (GLPI ``date_format`` 1 and 2; ``glpi-project/glpi:src/Html.php``) and ``dd.mm.yyyy`` with an
    optional time; Snipe-IT's other display formats ``yyyy.mm.dd.``, ``Mar 15, 2021``, ``Mon Mar 15, 2021``,
    ``15 Mar, 2021`` and French ``15 mars 2021``; a plain year ``yyyy``, and an Excel serial day number (``43831`` =
    2020-01-01). A two-digit year (Snipe-IT's ``n/d/y``: ``12/03/19``) is not read: which century, and which of day
    and year comes first, cannot be told. The day/month order
    does not change the year, so ``03/04/2020`` needs no disambiguation here.
    """
    uniques = pd.Series(pd.unique(values.astype(str)))
    if len(uniques) < len(values):  # exports repeat a few thousand dates over many rows: parse each once
        years = dict(zip(uniques, _dates_to_year(uniques).to_numpy(), strict=True))
        return values.astype(str).map(years).astype("float64")
    return _dates_to_year(values)


def _dates_to_year(values: pd.Series) -> pd.Series:
    text = values.astype(str).str.strip()
    out = pd.Series(np.nan, index=values.index, dtype="float64")
    iso = text.str.extract(_ISO_DATE).astype(float)
    ok = iso[0].notna() & iso[1].between(1, 12) & iso[2].between(1, 31)
    out[ok] = iso.loc[ok, 0]
    dmy = text.str.extract(_DMY_DATE).astype(float)
    ok = dmy[2].notna() & dmy[0].between(1, 31) & dmy[1].between(1, 31) & ((dmy[0] <= 12) | (dmy[1] <= 12))
    out[ok] = dmy.loc[ok, 2]
    ymd_dots = text.str.extract(_YMD_DOTS).astype(float)  # Snipe-IT "Y.m.d."
    ok = ymd_dots[0].notna() & ymd_dots[1].between(1, 12) & ymd_dots[2].between(1, 31)
    out[ok] = ymd_dots.loc[ok, 0]
    worded = text.str.extract(_WORDED_DATE, flags=re.IGNORECASE)  # "Mar 15, 2021", "15 mars 2021", "Mon Mar 15, 2021"
    month = worded[0].fillna(worded[3]).str.lower().str.rstrip(".").map(_month_number)
    day = pd.to_numeric(worded[1].fillna(worded[2]), errors="coerce")
    ok = month.notna() & day.between(1, 31) & worded[4].notna()
    out[ok] = worded.loc[ok, 4].astype(float)
    year = text.str.fullmatch(r"\d{4}")
    out[year] = text[year].astype(float)
    is_serial = text.str.fullmatch(r"\d{5}(?:[.,]\d+)?")
    serial = pd.to_numeric(text.where(is_serial).str.replace(",", ".", regex=False), errors="coerce")
    ok = serial.between(_SERIAL_MIN, _SERIAL_MAX)
    if ok.any():
        days = pd.to_datetime(np.floor(serial[ok]), unit="D", origin="1899-12-30")
        out[ok] = days.dt.year.astype(float).to_numpy()
    return out


#: Units of the schemas (English, as in the READMEs) as written in the French messages.
UNITS_FR = {"units": "", "years": "ans", "h/day": "h/jour", "days/year": "jours/an", "kWh/year": "kWh/an",
            "GB/year": "Go/an", "subscriptions": "abonnements", "reams/year": "ramettes/an", "pages/year": "pages/an",
            "EUR/year": "€/an", "EUR": "€", "inches": "pouces"}


def bound_text(value: float) -> str:
    """A bound as the French messages write it: ``10 000 000 000``, ``0,5``, ``1e+15``."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}".replace(",", " ")
    return f"{value:g}".replace(".", ",")


def _convert(values, empty, col: Column, lines, file, problems) -> pd.Series:
    """One column's text cells converted to the column's kind (text, bool, number, year, date), every bad cell
    reported in ``problems`` with its line; defaults filled."""
    kind = col.kind
    if kind in ("int", "float", "year", "date") and bool(empty.all()):  # a column absent or left empty
        out = pd.Series(np.nan, index=values.index, dtype="float64")
        return out.fillna(col.default) if col.default is not None else out
    if kind == "str":
        return _convert_text(values, empty, col, lines, file, problems)
    if kind == "bool":
        return _convert_bool(values, empty, col, lines, file, problems)
    if kind == "date":
        numbers = dates_to_year(values).where(~empty)
        expected = "une date (jj/mm/aaaa, aaaa-mm-jj, avec ou sans heure, numéro de série Excel) ou une année"
    else:
        numbers, reported = _parse_numbers(values, file, col.name, lines, problems)
        expected = "un nombre entier" if kind in ("int", "year") else "un nombre"
        empty = empty | reported  # ambiguous or mixed-convention numbers: already reported by the reader
    bad = numbers.isna() & ~empty
    unit = f" en {UNITS_FR.get(col.unit, col.unit)}" if UNITS_FR.get(col.unit, col.unit) else ""
    for idx in np.flatnonzero(bad.to_numpy()):
        problems.append(InputProblem(file, int(lines[idx]), col.name, values.iat[idx], f"{expected}{unit}"))
    infinite = np.isinf(numbers.to_numpy(dtype="float64"))
    if infinite.any():  # 1e400 overflows to inf: never a number of the study (it would publish "Infinity" tonnes)
        for idx in np.flatnonzero(infinite):
            problems.append(InputProblem(file, int(lines[idx]), col.name, values.iat[idx],
                                         f"un nombre fini{unit}, au plus {bound_text(col.max)}" if col.max is not None
                                         else f"un nombre fini{unit}"))
        numbers = numbers.where(~infinite)
    if kind in ("int", "year"):
        frac = numbers.notna() & (numbers != np.floor(numbers.fillna(0)))
        for idx in np.flatnonzero(frac.to_numpy()):
            problems.append(InputProblem(file, int(lines[idx]), col.name, values.iat[idx], f"{expected}{unit}"))
    _out_of_bounds(values, numbers, col, lines, file, unit, problems)
    if col.default is not None:
        numbers = numbers.fillna(col.default)
    return numbers.astype("float64")


def _convert_text(values, empty, col: Column, lines, file, problems) -> pd.Series:
    """A text column: empty cells None (or the default), an allowed value matched whatever its case."""
    result = values.where(~empty, None)
    if col.default is not None:
        result = result.fillna(col.default)
    if col.allowed is not None:
        allowed = {a.lower(): a for a in col.allowed}
        lowered = result.str.lower()
        bad = result.notna() & ~lowered.isin(allowed)
        for idx in np.flatnonzero(bad.to_numpy()):
            problems.append(InputProblem(file, int(lines[idx]), col.name, result.iat[idx],
                                         f"une valeur parmi {list(col.allowed)}"))
        result = lowered.map(allowed).where(~bad, result)
    return result.astype(object)


def _convert_bool(values, empty, col: Column, lines, file, problems) -> pd.Series:
    """A yes/no column (:data:`TRUE_WORDS`, :data:`FALSE_WORDS`); empty cells take the default (no)."""
    lowered = values.str.lower()
    is_true = lowered.isin(TRUE_WORDS)
    is_false = lowered.isin(FALSE_WORDS) | empty
    bad = ~(is_true | is_false)
    for idx in np.flatnonzero(bad.to_numpy()):
        problems.append(InputProblem(file, int(lines[idx]), col.name, values.iat[idx],
                                     "oui/non (yes/no, true/false, 1/0)"))
    default = bool(col.default) if col.default is not None else False
    return pd.Series(np.where(empty, default, is_true.to_numpy()), dtype=bool)


def _out_of_bounds(values, numbers: pd.Series, col: Column, lines, file, unit: str, problems) -> None:
    """Numbers below the column's minimum (exclusive or not) or above its plausibility bound, reported in
    ``problems`` (bounded: :class:`helpers.io.readers.BoundedProblems`)."""
    ok = numbers.notna()
    if col.min is not None:
        low = numbers <= col.min if col.min_exclusive else numbers < col.min
        sign = ">" if col.min_exclusive else ">="
        for idx in np.flatnonzero((ok & low).to_numpy()):
            problems.append(InputProblem(file, int(lines[idx]), col.name, values.iat[idx],
                                         f"une valeur {sign} {bound_text(col.min)}{unit}"))
    if col.max is not None:
        for idx in np.flatnonzero((ok & (numbers > col.max)).to_numpy()):
            problems.append(InputProblem(file, int(lines[idx]), col.name, values.iat[idx],
                                         f"une valeur <= {bound_text(col.max)}{unit} (borne de plausibilité de la "
                                         "colonne)"))


def template_csv(schema: Schema, example_id: bool = True) -> str:
    """A template CSV for ``schema``: the header and one example row.

    The example row is marked so that a study refuses to run while it is left in (see
    :func:`example_rows`): its first column (an id) is prefixed ``EXEMPLE``, or, when the schema has no
    free-text first column, an ``exemple`` column with ``oui`` is added.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    names = schema.names()
    cells = ["" if c.example is None else c.example for c in schema.columns]
    first = schema.columns[0]
    if example_id and first.kind == "str" and first.allowed is None and _is_id(first.name):
        cells[0] = f"EXEMPLE-{cells[0]}" if cells[0] not in ("", None) else "EXEMPLE"
    else:
        names = names + [EXAMPLE_COLUMN]
        cells = cells + ["oui"]
    writer.writerow(names)
    writer.writerow(cells)
    return buf.getvalue()


#: The column that marks a template's example row when the file has no id column.
EXAMPLE_COLUMN = "exemple"


def _is_id(name: str) -> bool:
    """Only the inventory's own line id takes the ``EXEMPLE`` prefix: the other ids are referenced across files
    (``site_id``, ``service_id``) or name reference rows (``factor_id``, ``action_id``)."""
    return name == "line_id"


def example_rows(path: Path) -> list[int]:
    """Line numbers of the template example rows left in a file: first cell starting ``EXEMPLE``, or a truthy
    ``exemple`` column. Reads the raw rows (before any schema), so it works for every input file."""
    header, rows = read_rows(Path(path), display_path(path))
    keys = [normalise_name(h) for h in header]
    col = keys.index(EXAMPLE_COLUMN) if EXAMPLE_COLUMN in keys else None
    out = []
    for line, cells in rows:
        first = cells[0] if cells else ""
        flagged = col is not None and col < len(cells) and cells[col].strip().lower() in TRUE_WORDS
        if first.upper().startswith("EXEMPLE") or flagged:
            out.append(line)
    return out


def provided(path) -> bool:
    """Whether an optional input file is provided: it exists and has at least one data row (a header-only file,
    as a template emptied of its example, counts as "non fourni"). Used by the sections that read a raw file."""
    path = Path(path)
    return path.is_file() and has_data_rows(path)


def has_data_rows(path) -> bool:
    """Whether a file has a data row below its header; a file the reader refuses counts as having rows (so that
    the reader reports the problem in its own words)."""
    try:
        _, rows = read_rows(Path(path), display_path(path))
    except InputError:
        return True
    return any(True for _ in rows)


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
