"""Safe, bounded readers for the input files of a territory (CSV, XLSX, ODS).

Every input file is untrusted: it may be a symbolic link to ``/etc/passwd`` or ``/dev/zero``, a FIFO that blocks
forever, a 7.9 KB workbook that declares a million rows, a zip bomb, a 50 MB field. :func:`check_input_file` refuses
what must never be opened, *before* any read; the readers below then stream the content with a cap on every
dimension. Each cap is a module constant documented here and in ``SECURITY.md``; an input beyond a cap is refused
with a French message that names the file and the cap.

Caps (see each constant):

- :data:`MAX_CSV_BYTES`, :data:`MAX_WORKBOOK_BYTES` — size of a file on disk;
- :data:`MAX_ZIP_MEMBER_BYTES`, :data:`MAX_ZIP_TOTAL_BYTES`, :data:`MAX_ZIP_MEMBERS` — uncompressed content of an
  XLSX/ODS (zip bomb);
- :data:`MAX_FIELD_CHARS` — one cell;
- :data:`MAX_ROWS`, :data:`MAX_COLUMNS`, :data:`MAX_CELLS` — data rows, columns and cells of one table (ODS repeated
  rows and columns counted as what they expand to, before they are expanded);
- :data:`MAX_PROBLEM_EXAMPLES` — examples kept per (file, column, kind of problem).
"""

from __future__ import annotations

import csv
import datetime as _dt
import os
import re
import stat
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.io.errors import InputError, InputProblem, display_path
from helpers.io.french import count_text

# --- caps -------------------------------------------------------------------------------------------------------------

#: Largest CSV file read (bytes). A 1,000,000-row per-asset GLPI export is about 100-150 MB; 256 MiB leaves room for
#: wide exports while bounding the memory of one read (the text is decoded in memory).
MAX_CSV_BYTES = 256 * 1024 * 1024

#: Largest XLSX/ODS file read (bytes, compressed on disk). Excel's own limit is 1,048,576 rows; such a sheet of ten
#: columns compresses to about 30-60 MB.
MAX_WORKBOOK_BYTES = 64 * 1024 * 1024

#: Largest uncompressed member of an XLSX/ODS zip (bytes): bounds a zip bomb (a few KB that expand to gigabytes). The
#: sheet XML of a 1,048,576 x 10 sheet is about 300-400 MB.
MAX_ZIP_MEMBER_BYTES = 512 * 1024 * 1024

#: Largest total uncompressed size of all the members of an XLSX/ODS (bytes).
MAX_ZIP_TOTAL_BYTES = 1024 * 1024 * 1024

#: Most members in an XLSX/ODS zip (a workbook has a few dozen).
MAX_ZIP_MEMBERS = 10_000

#: Longest cell (characters): 32,767 is Excel's own limit for the text of one cell.
MAX_FIELD_CHARS = 32_767

#: Most data rows in one table (rows below the header, blank rows not counted): twice Excel's 1,048,576 rows, and
#: twice the 1,000,000-row inventory measured by ``make bench``.
MAX_ROWS = 2_000_000

#: Most columns in one table: asset-tool exports have tens of columns (GLPI's widest list views about 100). Empty
#: cells beyond the cap are ignored; a non-empty one is an error.
MAX_COLUMNS = 1_024

#: Most cells in one table (each row counted up to its last non-empty cell): a 1,000,000-row export of 30 columns.
#: Bounds the memory and the time of a read whatever the shape: an ODS of 1,216 bytes declaring one row of 1,024
#: repeated cells repeated 1,999,999 times (2 billion cells, 145 s and 2.56 GB before this cap) is refused at once.
MAX_CELLS = 30_000_000

#: Examples (line, value) kept per (file, column, kind of problem); the others are only counted.
MAX_PROBLEM_EXAMPLES = 5


def _refuse(file: str, expected: str, value=None) -> InputError:
    return InputError(InputProblem(file, None, None, value, expected))


def _resolved_inside(path: Path, root: str | Path, name: str) -> tuple[Path, Path]:
    """(the resolved path, the resolved root) when ``path`` exists and leads inside ``root``; else the refusal."""
    try:
        root_real = Path(root).resolve(strict=False)
        real = path.resolve(strict=True)
    except FileNotFoundError:
        if path.is_symlink():
            raise _refuse(name, "un fichier ; ce lien symbolique pointe vers un fichier absent (le lien n'est pas suivi)") from None
        raise _refuse(name, "ce fichier (il est absent ; voir le README du dossier)") from None
    except (OSError, RuntimeError) as exc:  # symlink loop, permission denied on a parent
        raise _refuse(name, f"un fichier lisible (chemin impossible à résoudre : {type(exc).__name__})") from None
    if real != root_real and root_real not in real.parents:
        raise _refuse(
            name,
            f"un fichier situé dans le dossier {display_path(root_real)}/ ; ce chemin (ou lien symbolique) mène hors du dossier, "
            "il n'est pas lu",
        )
    return real, root_real


def _special_kind(mode: int) -> str:
    """What a path that is not a regular file is, in French (``un dossier``, ``un tube nommé (FIFO)``…)."""
    return (
        "un dossier" if stat.S_ISDIR(mode)
        else "un tube nommé (FIFO)" if stat.S_ISFIFO(mode)
        else "un périphérique" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "une socket" if stat.S_ISSOCK(mode)
        else "un fichier spécial"
    )


def check_input_file(path: str | Path, root: str | Path, *, max_bytes: int, file: str | None = None) -> Path:
    """Return the resolved ``path`` if it is safe to open, else raise :class:`InputError` before any read.

    Refused, with a French message naming the file (``file``, default the path as given):

    - a missing file;
    - a path, or a symbolic link, whose target lies outside ``root`` (the territory folder ``data/raw/<slug>/``, or
      the reference library's own folder): nothing of the target is read or quoted;
    - anything that is not a regular file: folder, FIFO (opening one blocks forever), character or block device
      (``/dev/zero`` never ends), socket;
    - a file with more than one hard link (a hard link named ``hosting.csv`` may be ``/etc/passwd``), or on another
      device than ``root`` (a mount point inside the folder);
    - a file larger than ``max_bytes`` (the cap is named in the message).

    Only ``os.stat`` metadata is consulted; the file is not opened.
    """
    path = Path(path)
    name = file or str(path)
    real, root_real = _resolved_inside(path, root, name)
    try:
        st = os.stat(real)
    except OSError as exc:
        raise _refuse(name, f"un fichier lisible ({type(exc).__name__})") from None
    if not stat.S_ISREG(st.st_mode):
        raise _refuse(name, f"un fichier ordinaire ; c'est {_special_kind(st.st_mode)}, il n'est pas lu")
    if st.st_nlink > 1:  # a hard link may be a file from anywhere on the disk (hosting.csv = /etc/passwd)
        raise _refuse(name, f"un fichier à un seul lien physique ; celui-ci en a {st.st_nlink} (un lien physique peut "
                            "désigner un fichier hors du dossier), il n'est pas lu : remplacez-le par une copie")
    try:
        root_dev = os.stat(root_real).st_dev
    except OSError:
        root_dev = st.st_dev
    if st.st_dev != root_dev:  # a mount point inside the folder leads elsewhere
        raise _refuse(name, f"un fichier du même système de fichiers que le dossier {display_path(root_real)}/ ; "
                            "celui-ci est sur un autre (point de montage), il n'est pas lu : copiez-le dans le dossier")
    if st.st_size > max_bytes:
        raise _refuse(
            name,
            f"un fichier d'au plus {_human_bytes(max_bytes)} (plafond de sécurité) ; "
            f"il fait {_human_bytes(st.st_size)}, il n'est pas lu",
        )
    return real


def _human_bytes(n: int) -> str:
    """``n`` bytes as French text: ``256 Mio``, ``1,5 Gio``, ``812 octets``."""
    for unit, size in (("Gio", 1024**3), ("Mio", 1024**2), ("Kio", 1024)):
        if n >= size:
            value = n / size
            text = f"{value:.0f}" if value >= 10 or value.is_integer() else f"{value:.1f}".replace(".", ",")
            return f"{text} {unit}"
    return f"{n} octets"


def open_checked(real: Path, file: str | None = None):
    """Open a file returned by :func:`check_input_file` for binary reading, re-checking it is a regular file with
    one link.

    ``O_NONBLOCK`` keeps the open from blocking if the path was swapped for a FIFO after the check; ``fstat`` on the
    open descriptor then refuses it. A file that cannot be opened (permission denied) is an :class:`InputError`
    naming ``file`` (default: the path).
    """
    name = file or display_path(real)
    try:
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        why = "permission refusée" if isinstance(exc, PermissionError) else type(exc).__name__
        raise _refuse(name, f"un fichier lisible ({why}) ; il est présent mais ne peut pas être ouvert") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_nlink > 1:
            raise _refuse(name, "un fichier ordinaire à un seul lien (il a changé pendant la lecture)")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


# --- problems ---------------------------------------------------------------------------------------------------------


def _column_label(header: list[str] | None, index: int) -> str:
    """The header name of column ``index`` (0-based), or its spreadsheet letter when the header has none."""
    if header is not None and index < len(header) and header[index]:
        return header[index]
    return _column_letter(index)


def _column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _grouped(count: int, rows: tuple) -> dict:
    """``count``/``rows`` arguments of a grouped :class:`InputProblem` (one problem standing for ``count`` cells)."""
    fields = getattr(InputProblem, "__dataclass_fields__", {})
    return {"count": count, "rows": rows} if "count" in fields and "rows" in fields else {}


def _examples_text(examples: list[tuple[int, str]], count: int) -> str:
    shown = ", ".join(f"{v!r} (ligne {line})" for line, v in examples[:MAX_PROBLEM_EXAMPLES])
    more = count - min(count, MAX_PROBLEM_EXAMPLES)
    return shown + (f" et {count_text(more, 'autre')}" if more > 0 else "")


#: Problems kept verbatim per (file, column, expected text, severity) by :class:`BoundedProblems`; the rest counted.
MAX_PROBLEMS_KEPT_PER_KIND = 20


class BoundedProblems(list):
    """A list of :class:`InputProblem` whose memory does not grow with the number of bad cells.

    The first :data:`MAX_PROBLEMS_KEPT_PER_KIND` problems of each (file, column, expected text, severity) are kept
    as given; the others are only counted, in one summary problem of that kind (``count`` = how many, no row; its
    value when they all share one), so the grouped printing of :mod:`helpers.io.errors` still gives the true total. A workbook of a million bad
    cells makes at most a few dozen problem objects, not a million (the 431 KB attack printed 420,001 lines).
    """

    def __init__(self, items=(), keep: int = MAX_PROBLEMS_KEPT_PER_KIND):
        super().__init__()
        self._keep = keep
        self._kept: dict[tuple, int] = {}
        self._summary: dict[tuple, InputProblem] = {}
        self.extend(items)

    def append(self, problem: InputProblem) -> None:  # noqa: D102 - list.append
        key = (problem.file, problem.column, problem.expected, problem.severity)
        n = self._kept.get(key, 0)
        if n < self._keep:
            self._kept[key] = n + 1
            super().append(problem)
            return
        count = getattr(problem, "count", 1)
        summary = self._summary.get(key)
        if summary is None:
            summary = InputProblem(problem.file, None, problem.column, problem.value, problem.expected,
                                   problem.severity, **_grouped(count, ()))
            self._summary[key] = summary
            super().append(summary)
        elif "count" in getattr(InputProblem, "__dataclass_fields__", {}):
            # our own object, never handed out before the list is read: updated in place, O(1) per problem
            object.__setattr__(summary, "count", summary.count + count)
            if summary.value is not None and summary.value != problem.value:
                object.__setattr__(summary, "value", None)  # several values: only the kept ones are quoted

    def extend(self, problems) -> None:  # noqa: D102 - list.extend
        for problem in problems:
            self.append(problem)

    def __iadd__(self, problems):
        self.extend(problems)
        return self


# --- text files -------------------------------------------------------------------------------------------------------

#: Control characters refused in any cell: C0 except tab, LF and CR; DEL; C1. They are invisible, break the XML of the
#: published workbook (``IllegalCharacterError``) and are never meaningful in an inventory.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

#: A valid multi-byte UTF-8 sequence (RFC 3629, Table 3-7 of the Unicode standard: no overlong forms, no surrogates).
_UTF8_MULTI = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def _line_of(data, pos: int) -> int:
    """1-based line of offset ``pos`` in ``data`` (bytes or str)."""
    newline = b"\n" if isinstance(data, bytes) else "\n"
    return data.count(newline, 0, pos) + 1


def decode_utf16_bom(raw: bytes, file: str, advice: str) -> str | None:
    """The text of ``raw`` when it starts with a UTF-16 byte-order mark (Excel's "Texte Unicode" export), ``None``
    when it has none; a BOM followed by invalid UTF-16 is an :class:`InputError` naming ``file`` and ending with
    ``advice`` (what to do, in French). Shared by the CSV readers and the ``territory.yaml`` reader."""
    if not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    try:
        return raw.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise InputError(InputProblem(
            file, None, None, None,
            f"un texte UTF-16 valide (marque d'ordre des octets UTF-16 présente, mais octets invalides à la "
            f"position {exc.start}) ; {advice}",
        )) from None


def decode_text(raw: bytes, file: str) -> str:
    """Decode the bytes of a text input, refusing any guess that could publish garbled text.

    - a UTF-16 byte-order mark (Excel's "Texte Unicode" export): UTF-16;
    - valid UTF-8, with or without BOM: UTF-8;
    - no valid multi-byte UTF-8 sequence anywhere, and every byte defined in Windows-1252: Windows-1252 (the
      "CSV (séparateur : point-virgule)" export of a French Excel);
    - otherwise (valid UTF-8 sequences *and* invalid bytes: a file pasted together from two encodings) an error naming
      the first invalid line. Decoding such a file as Windows-1252 would turn every accented letter of its UTF-8
      part into mojibake ("Ã©").
    """
    text = decode_utf16_bom(raw, file, "réenregistrez le fichier en CSV UTF-8")
    if text is not None:
        return text
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if _UTF8_MULTI.search(raw) is not None:
        line = _line_of(raw, first_bad)
        raise InputError(InputProblem(
            file, line, None, f"octet 0x{raw[first_bad]:02X}",
            "un fichier dans un seul encodage : le fichier est en UTF-8 mais cette ligne contient un caractère d'un "
            "autre encodage (Windows-1252 ?) ; corrigez ce caractère ou réenregistrez tout le fichier en UTF-8",
        ))
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = _line_of(raw, exc.start)
        raise InputError(InputProblem(
            file, line, None, f"octet 0x{raw[exc.start]:02X}",
            "un texte en UTF-8 ou en Windows-1252 (cet octet n'existe dans aucun des deux) ; réenregistrez le "
            "fichier en CSV UTF-8",
        )) from None


def sniff_separator(header_line: str) -> str:
    """The field separator of a CSV, decided from its header line: ``;``, tab or ``,``, whichever occurs most
    outside quotes (``,`` when none occurs: a one-column file)."""
    outside = re.sub(r'"[^"]*"', "", header_line)
    counts = {sep: outside.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] > 0 else ","


def _control_problems(text: str, file: str, sep: str) -> list[InputProblem]:
    """Problems for the control characters of a CSV text: line and column of the first few, and the count."""
    matches = []
    count = 0
    for m in _CONTROL_RE.finditer(text):
        count += 1
        if len(matches) < MAX_PROBLEM_EXAMPLES:
            matches.append(m.start())
    if not count:
        return []
    header = [c.strip().strip('"') for c in text.lstrip("\ufeff\r\n").split("\n", 1)[0].split(sep)]
    problems = []
    for pos in matches:
        line = _line_of(text, pos)
        start = text.rfind("\n", 0, pos) + 1
        column = _column_label(header, text.count(sep, start, pos))
        problems.append(InputProblem(
            file, line, column, f"U+{ord(text[pos]):04X}",
            "du texte sans caractère de contrôle (caractère invisible, souvent un copier-coller d'un autre logiciel) ; "
            f"supprimez-le{f' ({count} caractères de contrôle dans le fichier)' if count > 1 else ''}",
        ))
    return problems


def read_csv_rows(real: Path, file: str):
    """Header and an iterator of ``(line_number, cells)`` of a CSV file already checked by :func:`check_input_file`.

    Separator from the header line (:func:`sniff_separator`), encoding by :func:`decode_text`; cells are stripped;
    blank lines are skipped (but counted in line numbers); control characters, a cell over :data:`MAX_FIELD_CHARS`
    characters, more than :data:`MAX_ROWS` rows and non-empty cells beyond :data:`MAX_COLUMNS` are errors naming the
    file and the line.
    """
    with open_checked(real, file) as fh:
        raw = fh.read(MAX_CSV_BYTES + 1)
    if len(raw) > MAX_CSV_BYTES:
        raise _refuse(file, f"un fichier d'au plus {_human_bytes(MAX_CSV_BYTES)} (plafond de sécurité)")
    if raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: Excel 97-2003 .xls, old .doc
        raise _refuse(file, "un fichier CSV, XLSX ou ODS ; c'est un classeur Excel 97-2003 (.xls), format non lu : "
                            "enregistrez-le en .xlsx ou en CSV")
    if raw.startswith(b"PK\x03\x04"):
        raise _refuse(file, "un fichier CSV (texte) ; c'est un classeur (XLSX ou ODS) : donnez-lui l'extension "
                            ".xlsx ou .ods, ou enregistrez-le en CSV")
    text = decode_text(raw, file)
    del raw
    if not text.strip():
        raise _refuse(file, "une ligne d'en-tête et au moins une ligne de données ; le fichier est vide")
    first_line = text.lstrip("\ufeff\n\r").splitlines()[0]
    sep = sniff_separator(first_line)
    problems = _control_problems(text, file, sep)
    if problems:
        raise InputError(problems)
    reader = csv.reader(_lines(text), delimiter=sep)
    del text
    header = None
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                header = _check_row(reader.line_num, [c.strip() for c in cells], file, None)
                break
    except csv.Error as exc:
        raise _csv_error(exc, file, reader.line_num) from None
    if header is None:
        raise _refuse(file, "une ligne d'en-tête et au moins une ligne de données ; le fichier n'a pas de texte")
    return header, _csv_body(reader, file, header)


def _lines(text: str):
    """The lines of ``text`` with their endings, one at a time (``\n``, or ``\r`` for a file that has no ``\n``).

    ``io.StringIO`` would hold a copy of the whole text at four bytes per character (584 MB for a 146 MB export);
    slicing one line at a time keeps the peak near the size of the text itself. Only ``\n``/``\r`` end a line, not
    the other separators ``str.splitlines`` knows (U+2028 inside a cell must not split a row).
    """
    newline = "\n" if "\n" in text or "\r" not in text else "\r"
    start, size = 0, len(text)
    while start < size:
        end = text.find(newline, start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end + 1]
        start = end + 1


def _csv_error(exc: csv.Error, file: str, line: int) -> InputError:
    text = str(exc)
    if "field larger than field limit" in text:
        return InputError(InputProblem(
            file, line, None, None,
            f"des cellules d'au plus {MAX_FIELD_CHARS} caractères (plafond de sécurité) ; une cellule de cette "
            "ligne est plus longue (un guillemet non fermé ?)",
        ))
    return InputError(InputProblem(file, line, None, None, f"un CSV lisible ({text})"))


def _check_row(line: int, cells: list[str], file: str, header: list[str] | None) -> list[str]:
    """``cells`` with empty cells beyond :data:`MAX_COLUMNS` dropped; raise on a cell or a row over a cap."""
    if cells and max(map(len, cells)) > MAX_FIELD_CHARS:
        i = next(i for i, c in enumerate(cells) if len(c) > MAX_FIELD_CHARS)
        raise InputError(InputProblem(
            file, line, _column_label(header, i), f"{len(cells[i])} caractères",
            f"une cellule d'au plus {MAX_FIELD_CHARS} caractères (plafond de sécurité)",
        ))
    if len(cells) > MAX_COLUMNS:
        extra = next((i for i in range(MAX_COLUMNS, len(cells)) if cells[i]), None)
        if extra is not None:
            raise InputError(InputProblem(
                file, line, _column_letter(extra), None,
                f"au plus {MAX_COLUMNS} colonnes (plafond de sécurité) ; une valeur est écrite au-delà",
            ))
        del cells[MAX_COLUMNS:]
    return cells


def _too_many_cells(file: str, line: int) -> InputError:
    return InputError(InputProblem(
        file, line, None, None,
        f"au plus {MAX_CELLS:_} cellules dans un tableau (plafond de sécurité ; lignes répétées comprises) ; "
        "découpez le fichier ou supprimez les colonnes inutiles".replace("_", " "),
    ))


def _too_many_rows(file: str, line: int) -> InputError:
    return InputError(InputProblem(
        file, line, None, None,
        f"au plus {MAX_ROWS:_} lignes de données (plafond de sécurité) ; découpez le fichier".replace("_", " "),
    ))


def _csv_body(reader, file: str, header: list[str]):
    n = total = 0
    try:
        for cells in reader:
            cells = [c.strip() for c in cells]
            if not any(cells):
                continue
            n += 1
            if n > MAX_ROWS:
                raise _too_many_rows(file, reader.line_num)
            total += len(cells)
            if total > MAX_CELLS:
                raise _too_many_cells(file, reader.line_num)
            line = reader.line_num
            if len(cells) > MAX_COLUMNS or max(map(len, cells)) > MAX_FIELD_CHARS:
                cells = _check_row(line, cells, file, header)
            yield line, cells
    except csv.Error as exc:
        raise _csv_error(exc, file, reader.line_num) from None


# --- cells of workbooks -----------------------------------------------------------------------------------------------


def number_text(value: float) -> str:
    """Canonical text of a number typed in a workbook cell, never ambiguous for :func:`parse_numbers`.

    Whole numbers are written without separator (``850000``); other numbers in exponent form (``12.5e0``,
    ``1.234e0``), which no decimal-convention rule can read otherwise: a typed ``1.234`` must not be mistaken for one
    thousand two hundred and thirty-four, nor count as a clue for the convention of the text cells of the file.
    """
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = repr(float(value))
    return text if "e" in text else f"{text}e0"


def cell_text(value) -> str:
    """Text of a typed workbook cell (openpyxl value): text as is (stripped), numbers by :func:`number_text`, booleans
    ``yes``/``no``, dates ``YYYY-MM-DD``, date-times ``YYYY-MM-DD HH:MM``, times ``HH:MM``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, _dt.datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, _dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, _dt.time):
        return value.strftime("%H:%M")
    return str(value).strip()


def _check_cells_text(cells: list[str], line: int, file: str, header: list[str] | None) -> None:
    """Refuse control characters in the cells of one workbook row (file, line and column named)."""
    joined = "\t".join(cells)
    m = _CONTROL_RE.search(joined)
    if m is None:
        return
    index = joined.count("\t", 0, m.start())
    raise InputError(InputProblem(
        file, line, _column_label(header, index), f"U+{ord(joined[m.start()]):04X}",
        "du texte sans caractère de contrôle (caractère invisible) ; supprimez-le",
    ))


def _check_zip(fh, file: str):
    """Open ``fh`` as a zip after checking its members against the zip-bomb caps; return the ``ZipFile``.

    ``zipfile`` stops reading a member at its declared size and checks its CRC, so a member cannot expand beyond the
    size checked here.
    """
    try:
        zf = zipfile.ZipFile(fh)
    except Exception as exc:  # noqa: BLE001 - BadZipFile, OSError, NotImplementedError...: an untrusted archive
        raise _refuse(file, f"un classeur XLSX ou ODS valide (archive illisible : {type(exc).__name__})") from None
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise _refuse(file, f"un classeur d'au plus {MAX_ZIP_MEMBERS} éléments internes (plafond de sécurité)")
    total = 0
    for info in infos:
        cap = MAX_SHARED_STRINGS_BYTES if info.filename.lower().endswith("sharedstrings.xml") else MAX_ZIP_MEMBER_BYTES
        if info.file_size > cap:
            raise _refuse(file, f"un classeur dont chaque élément décompressé fait au plus {_human_bytes(cap)} "
                                f"(plafond de sécurité) ; '{info.filename}' fait {_human_bytes(info.file_size)}")
        total += info.file_size
    if total > MAX_ZIP_TOTAL_BYTES:
        raise _refuse(file, f"un classeur d'au plus {_human_bytes(MAX_ZIP_TOTAL_BYTES)} une fois décompressé "
                            f"(plafond de sécurité) ; il fait {_human_bytes(total)}")
    return zf


#: Largest uncompressed shared-strings table of an XLSX (bytes): openpyxl holds it in memory.
MAX_SHARED_STRINGS_BYTES = 128 * 1024 * 1024


def _trim(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells.pop()
    return cells


# --- XLSX -------------------------------------------------------------------------------------------------------------


def _open_xlsx(real: Path, file: str):
    import warnings

    from openpyxl import load_workbook

    fh = open_checked(real, file)
    try:
        _check_zip(fh, file).close()
        fh.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(fh, read_only=True, data_only=True)
    except InputError:
        fh.close()
        raise
    except Exception as exc:  # noqa: BLE001 - any parse failure of an untrusted workbook becomes an InputError
        fh.close()
        raise _refuse(file, f"un classeur Excel .xlsx valide ({type(exc).__name__} : {exc})") from None
    return wb, fh


def xlsx_sheets(real: Path, file: str) -> list[str]:
    """Names of the visible sheets of an XLSX workbook (hidden and "very hidden" ones left out)."""
    wb, fh = _open_xlsx(real, file)
    try:
        return [ws.title for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
    finally:
        wb.close()
        fh.close()


#: Marks a formula cell that has no cached value: openpyxl would give ``None``, read as an empty cell.
_UNCALCULATED = object()


def _parser_class():
    """openpyxl's streaming sheet parser, made to tell a formula without a cached value from an empty cell."""
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class _Parser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cell["value"] = _UNCALCULATED
            return cell

    return _Parser


def _xlsx_row_cells(r: int, parsed, file: str) -> list[str]:
    """The texts of the cells of row ``r`` of a streamed sheet (:func:`cell_text`), by column; a formula without a
    calculated value, or a value beyond :data:`MAX_COLUMNS`, is an error."""
    cells: list[str] = []
    for cell in parsed:
        value = cell["value"]
        if value is _UNCALCULATED:
            raise InputError(InputProblem(
                file, r, _column_letter(cell["column"] - 1), None,
                "une valeur ; cette cellule est une formule sans valeur calculée (fichier produit par un "
                "outil qui ne calcule pas les formules) : ouvrez-le et réenregistrez-le dans Excel ou "
                "LibreOffice",
            ))
        if value is None or value == "":
            continue
        col = cell["column"] - 1
        if col >= MAX_COLUMNS:
            if cell_text(value):
                raise InputError(InputProblem(
                    file, r, _column_letter(col), None,
                    f"au plus {MAX_COLUMNS} colonnes (plafond de sécurité) ; une valeur est écrite au-delà",
                ))
            continue
        if col >= len(cells):
            cells.extend([""] * (col + 1 - len(cells)))
        cells[col] = cell_text(value)
    return cells


def _xlsx_sheet_rows(wb, ws, file: str):
    """``(row_number, cells, merged_refs)`` of one read-only sheet, streamed, empty rows skipped.

    Cells are read from the sheet XML as they come: the declared dimension is never used, so a single cell at
    XFD1048576 costs one row, not a million. ``merged_refs`` (the ``mergeCells`` of the sheet) is filled only once the
    stream is exhausted (they follow the data in the XML).
    """
    if not hasattr(ws, "_get_source"):  # a chart sheet: no cells
        raise _refuse(file, f"une feuille de données ; '{ws.title}' est une feuille de graphique")
    try:
        src = ws._get_source()
    except Exception as exc:  # noqa: BLE001 - the sheet member is missing or damaged in an untrusted archive
        raise _refuse(file, f"un classeur Excel .xlsx valide (feuille illisible : {type(exc).__name__})") from None
    with src:
        parser = _parser_class()(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                                 date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        try:
            for r, parsed in parser.parse():
                cells = _xlsx_row_cells(r, parsed, file)
                if any(cells):
                    yield r, _trim(cells), None
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - malformed XML of an untrusted workbook
            raise _refuse(file, f"un classeur Excel .xlsx valide (feuille illisible : {type(exc).__name__})") from None
        merged = parser.merged_cells
        refs = [m.ref for m in merged.mergeCell] if merged is not None else []
        yield None, None, refs


def read_xlsx_rows(real: Path, file: str, sheet: str | None = None):
    """Header and an iterator of ``(row_number, cells)`` of an XLSX sheet, streamed with bounded memory.

    The sheet read is ``sheet`` if given (hidden or not), else the first *visible* sheet that has data: a hidden
    first sheet (a pivot source, an old version) is never read by default. Cells as :func:`cell_text`. Merged header
    cells are refused (a merged header hides which column a value belongs to); the check runs when the stream ends,
    because Excel writes the merged ranges after the data.
    """
    wb, fh = _open_xlsx(real, file)
    try:
        if sheet is not None:
            if sheet not in wb.sheetnames:
                raise InputError(InputProblem(file, None, None, sheet, f"une feuille parmi {wb.sheetnames}"))
            candidates = [wb[sheet]]
        else:
            candidates = [ws for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
        for ws in candidates:
            rows = _xlsx_sheet_rows(wb, ws, file)
            r, cells, _ = next(rows)
            if r is None:
                continue
            _check_cells_text(cells, r, file, None)
            label = file if sheet is None and len(candidates) == 1 else f"{file} [{ws.title}]"
            return cells, _xlsx_body(rows, r, label, cells, wb, fh)
    except BaseException:
        wb.close()
        fh.close()
        raise
    wb.close()
    fh.close()
    hidden = [ws.title for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") != "visible"]
    extra = f" (feuilles masquées non lues : {hidden} ; nommez la feuille à lire)" if hidden and sheet is None else ""
    raise _refuse(file, f"une ligne d'en-tête et au moins une ligne de données ; aucune feuille visible n'a de "
                        f"données{extra}")


def _xlsx_body(rows, header_row: int, file: str, header: list[str], wb, fh):
    from openpyxl.utils.cell import range_boundaries

    n = total = 0
    try:
        for r, cells, merged in rows:
            if r is None:
                bad = []
                for ref in merged or []:
                    try:
                        _, min_row, _, max_row = range_boundaries(ref)
                    except (TypeError, ValueError):
                        continue
                    if min_row <= header_row <= max_row:
                        bad.append(ref)
                if bad:
                    raise InputError(InputProblem(
                        file, header_row, None, ", ".join(bad[:MAX_PROBLEM_EXAMPLES]),
                        "une cellule d'en-tête par colonne (défusionnez les cellules de l'en-tête)",
                    ))
                return
            n += 1
            if n > MAX_ROWS:
                raise _too_many_rows(file, r)
            total += len(cells)
            if total > MAX_CELLS:
                raise _too_many_cells(file, r)
            _check_cells_text(cells, r, file, header)
            if cells and max(map(len, cells)) > MAX_FIELD_CHARS:
                _check_row(r, cells, file, header)
            yield r, cells
    finally:
        wb.close()
        fh.close()


# --- ODS --------------------------------------------------------------------------------------------------------------

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
}


def _q(prefix: str, name: str) -> str:
    return f"{{{_NS[prefix]}}}{name}"


_T_TABLE, _T_ROW, _T_CELL, _T_COVERED = _q("table", "table"), _q("table", "table-row"), _q("table", "table-cell"), \
    _q("table", "covered-table-cell")
_T_NAME, _T_STYLE = _q("table", "name"), _q("table", "style-name")
_T_COLS_REP, _T_ROWS_REP = _q("table", "number-columns-repeated"), _q("table", "number-rows-repeated")
_T_COLS_SPAN, _T_DISPLAY, _T_VISIBILITY = _q("table", "number-columns-spanned"), _q("table", "display"), \
    _q("table", "visibility")
_O_TYPE, _O_VALUE = _q("office", "value-type"), _q("office", "value")
_O_DATE, _O_BOOL, _O_TIME = _q("office", "date-value"), _q("office", "boolean-value"), _q("office", "time-value")
_TX_P, _TX_S, _TX_TAB, _TX_BR, _TX_C = _q("text", "p"), _q("text", "s"), _q("text", "tab"), _q("text", "line-break"), \
    _q("text", "c")
_S_STYLE, _S_NAME, _S_FAMILY, _S_TABLE_PROPS = _q("style", "style"), _q("style", "name"), _q("style", "family"), \
    _q("style", "table-properties")


def _ods_text(element) -> str:
    """The text of an ODS cell: its ``text:p`` paragraphs joined by newlines, ``text:s`` (repeated spaces, capped),
    ``text:tab`` and ``text:line-break`` expanded. Iterative: a deeply nested cell cannot exhaust the stack."""
    paragraphs = []
    for p in element.iter(_TX_P):
        parts: list[str] = []
        stack: list = [p]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                parts.append(item)
                continue
            if item is not p and item.tag == _TX_S:
                parts.append(" " * _int_attr(item, _TX_C, MAX_FIELD_CHARS + 1))
                continue
            if item is not p and item.tag in (_TX_TAB, _TX_BR):
                parts.append("\t" if item.tag == _TX_TAB else "\n")
                continue
            if item.text:
                parts.append(item.text)
            for child in reversed(list(item)):
                if child.tail:
                    stack.append(child.tail)
                stack.append(child)
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def _ods_cell(element) -> str:
    """Text of one ODS cell by its ``office:value-type`` (ODF 1.2, part 1, 19.385): float, percentage, currency from
    ``office:value`` (:func:`number_text`), date from ``office:date-value`` (ISO, as :func:`cell_text`), boolean
    ``yes``/``no``, anything else (string, time) as its displayed text."""
    kind = element.get(_O_TYPE)
    if kind in ("float", "percentage", "currency"):
        try:
            return number_text(float(element.get(_O_VALUE)))
        except (TypeError, ValueError):
            return _ods_text(element).strip()
    if kind == "date":
        value = element.get(_O_DATE, "")
        date, _, time = value.partition("T")
        hhmm = time[:5]
        return date if not time or hhmm in ("", "00:00") and time[5:8] in ("", ":00") else f"{date} {hhmm}"
    if kind == "boolean":
        return "yes" if element.get(_O_BOOL, "").lower() == "true" else "no"
    return _ods_text(element).strip()


def _int_attr(element, name: str, cap: int) -> int:
    try:
        return max(1, min(int(element.get(name, "1")), cap))
    except ValueError:
        return 1


def _ods_tables(real: Path, file: str, sheet: str | None):
    """Stream the tables of an ODS file: yields ``("table", name, hidden)`` at each table start and
    ``("row", row_number, cells, header_spans)`` for each non-empty row of the table being read.

    Repeated cells and rows (``number-columns-repeated``, ``number-rows-repeated``; LibreOffice writes a million empty
    repeated rows after the data) are expanded only when they carry a value, so empty repeats cost nothing.
    """
    from xml.etree.ElementTree import iterparse

    fh = open_checked(real, file)
    try:
        member = _ods_content(fh, file)
        stream = _OdsStream(file)
        try:
            for event, el in iterparse(member, events=("start", "end")):
                if event == "start":
                    item = stream.start(el)
                    if item is not None:
                        yield item
                else:
                    yield from stream.end(el)
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - malformed XML of an untrusted workbook
            raise _refuse(file, f"un classeur ODS valide (contenu illisible : {type(exc).__name__})") from None
    finally:
        fh.close()


def _ods_content(fh, file: str):
    """The ``content.xml`` member of an ODS archive (checked by :func:`_check_zip`), opened."""
    zf = _check_zip(fh, file)
    try:
        return zf.open("content.xml")
    except KeyError:
        raise _refuse(file, "un classeur ODS valide (content.xml absent)") from None
    except Exception as exc:  # noqa: BLE001 - a damaged member header of an untrusted archive
        raise _refuse(file, f"un classeur ODS valide (archive illisible : {type(exc).__name__})") from None


class _OdsStream:
    """The state of one ODS ``content.xml`` read as a stream of XML events (:func:`_ods_tables`): the hidden table
    styles, the open elements, the row being read (its cells, the empty cells pending before the next value, the
    columns where a header cell spans several) and the counts that cap the table."""

    def __init__(self, file: str):
        self.file = file
        self.hidden_styles: set[str] = set()
        self.stack: list = []
        self.row_number = self.table_cells = 0
        self.cells: list[str] = []
        self.pending_empty = 0
        self.spans: list[int] = []

    def start(self, el):
        """At an element's start: ``("table", name, hidden)`` when a table opens, else None."""
        self.stack.append(el)
        if el.tag == _T_TABLE:
            self.row_number = self.table_cells = 0
            return ("table", el.get(_T_NAME, ""), el.get(_T_STYLE, "") in self.hidden_styles)
        if el.tag == _T_ROW:
            self.cells, self.pending_empty, self.spans = [], 0, []
        return None

    def end(self, el):
        """At an element's end: the rows of a row element (repeated), ``("end",)`` at a table's end."""
        self.stack.pop()
        tag = el.tag
        if tag == _S_STYLE and el.get(_S_FAMILY) == "table":
            props = el.find(_S_TABLE_PROPS)
            if props is not None and props.get(_T_DISPLAY) == "false":
                self.hidden_styles.add(el.get(_S_NAME, ""))
        elif tag in (_T_CELL, _T_COVERED):
            self._cell(el, tag)
        elif tag == _T_ROW:
            yield from self._row(el)
        elif tag == _T_TABLE:
            _detach(self.stack, el)
            yield ("end",)

    def _cell(self, el, tag) -> None:
        """A cell (or a covered cell) of the row: its text repeated, or empty cells pending."""
        repeat = _int_attr(el, _T_COLS_REP, 1 << 20)
        text = _ods_cell(el) if tag == _T_CELL else ""
        if text:
            start = len(self.cells) + self.pending_empty
            if start + repeat > MAX_COLUMNS:
                raise InputError(InputProblem(
                    self.file, self.row_number + 1, _column_letter(min(start, MAX_COLUMNS)), None,
                    f"au plus {MAX_COLUMNS} colonnes (plafond de sécurité) ; une valeur est écrite au-delà",
                ))
            self.cells.extend([""] * self.pending_empty)
            self.pending_empty = 0
            if len(text) > MAX_FIELD_CHARS:
                _check_row(self.row_number + 1, [text], self.file, None)
            self.cells.extend([text] * repeat)
            if _int_attr(el, _T_COLS_SPAN, 1 << 20) > 1:
                self.spans.append(start)
        else:
            self.pending_empty += repeat
        el.clear()
        _detach(self.stack, el)

    def _row(self, el):
        """The row just read, once per repeat when it carries a value (the table's cells and rows capped)."""
        repeat = _int_attr(el, _T_ROWS_REP, 1 << 21)
        first = self.row_number + 1
        self.row_number += repeat
        _detach(self.stack, el)
        if any(self.cells):
            self.table_cells += len(self.cells) * repeat  # what the repeat expands to, before expanding it
            if self.table_cells > MAX_CELLS:
                raise _too_many_cells(self.file, first)
            for k in range(repeat):
                yield ("row", first + k, list(self.cells), self.spans)
                if k >= MAX_ROWS:
                    raise _too_many_rows(self.file, first + k)


def _detach(stack: list, element) -> None:
    """Remove a parsed element from its parent so the tree built by ``iterparse`` does not grow with the file."""
    if stack:
        try:
            stack[-1].remove(element)
        except ValueError:
            pass


def ods_sheets(real: Path, file: str) -> list[str]:
    """Names of the visible tables of an ODS file (tables whose style has ``table:display="false"`` left out)."""
    return [event[1] for event in _ods_tables(real, file, None) if event[0] == "table" and not event[2]]


def read_ods_rows(real: Path, file: str, sheet: str | None = None):
    """Header and an iterator of ``(row_number, cells)`` of an ODS table, streamed with the standard library.

    The table read is ``sheet`` if given, else the first visible table that has data (hidden tables skipped). Cells
    as :func:`_ods_cell`; merged header cells (``number-columns-spanned``) are refused; control characters and caps
    as for CSV.
    """
    events = _ods_tables(real, file, sheet)
    names: list[str] = []
    hidden_names: list[str] = []
    reading = False
    for event in events:
        if event[0] == "table":
            _, name, hidden = event
            names.append(name)
            if hidden:
                hidden_names.append(name)
            reading = name == sheet if sheet is not None else not hidden
        elif event[0] == "row" and reading:
            _, r, cells, spans = event
            _check_cells_text(cells, r, file, None)
            if spans:
                raise InputError(InputProblem(
                    file, r, _column_label(cells, spans[0]), None,
                    "une cellule d'en-tête par colonne (défusionnez les cellules de l'en-tête)",
                ))
            label = file if sheet is None else f"{file} [{sheet}]"
            return cells, _ods_body(events, label, cells)
    events.close()
    if sheet is not None and sheet not in names:
        raise InputError(InputProblem(file, None, None, sheet, f"une feuille parmi {names}"))
    extra = f" (feuilles masquées non lues : {hidden_names} ; nommez la feuille à lire)" if hidden_names else ""
    raise _refuse(file, f"une ligne d'en-tête et au moins une ligne de données ; aucune feuille visible n'a de "
                        f"données{extra}")


def _ods_body(events, file: str, header: list[str]):
    n = 0
    try:
        for event in events:
            if event[0] != "row":
                return  # the end of the table read
            _, r, cells, _ = event
            n += 1
            if n > MAX_ROWS:
                raise _too_many_rows(file, r)
            _check_cells_text(cells, r, file, header)
            yield r, cells
    finally:
        events.close()


# --- dispatch ---------------------------------------------------------------------------------------------------------

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
ODS_SUFFIXES = (".ods",)


def default_root(path: Path) -> Path:
    """The folder an input file must stay in: ``data/raw/<slug>/`` for a file under ``data/raw/`` (the reference
    library is ``data/raw/reference/``), else the file's own folder."""
    from helpers.io.paths import RAW_DIR

    path = Path(os.path.abspath(path))
    raw = Path(os.path.abspath(RAW_DIR))
    try:
        rel = path.relative_to(raw)
    except ValueError:
        return path.parent
    return raw / rel.parts[0] if len(rel.parts) > 1 else path.parent


def read_rows(path: str | Path, file: str, *, root: str | Path | None = None, sheet: str | None = None):
    """Header and an iterator of ``(line_number, cells)`` of one input file (CSV, XLSX or ODS by suffix).

    The file is first checked by :func:`check_input_file` against ``root`` (default :func:`default_root`) and the
    size cap of its format; then read by :func:`read_csv_rows`, :func:`read_xlsx_rows` or :func:`read_ods_rows`.
    ``line_number`` is the line of the file (CSV) or the row of the sheet (workbooks) as an editor shows it. Reading
    a new file resets the decimal-convention state of ``file`` (see :class:`NumberReader`).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    cap = MAX_WORKBOOK_BYTES if suffix in XLSX_SUFFIXES + ODS_SUFFIXES else MAX_CSV_BYTES
    real = check_input_file(path, root if root is not None else default_root(path), max_bytes=cap, file=file)
    NUMBERS.pop(file, None)
    if suffix in XLSX_SUFFIXES:
        return read_xlsx_rows(real, file, sheet)
    if suffix in ODS_SUFFIXES:
        return read_ods_rows(real, file, sheet)
    return read_csv_rows(real, file)


def list_sheets(path: str | Path, file: str, *, root: str | Path | None = None) -> list[str]:
    """The visible sheets of a workbook (XLSX or ODS), in order; ``[]`` for a CSV."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in XLSX_SUFFIXES + ODS_SUFFIXES:
        return []
    real = check_input_file(path, root if root is not None else default_root(path), max_bytes=MAX_WORKBOOK_BYTES,
                            file=file)
    return xlsx_sheets(real, file) if suffix in XLSX_SUFFIXES else ods_sheets(real, file)


def visible_sheets(path: str | Path, file: str | None = None) -> list[str]:
    """The visible sheets of a workbook (see :func:`list_sheets`), the file named by its path in messages."""
    from helpers.io.errors import display_path

    return list_sheets(path, file or display_path(path))


# --- numbers ----------------------------------------------------------------------------------------------------------

_SP = "[ \u00a0\u202f\u2009]"  # thousands separators written as spaces: space, no-break, narrow no-break, thin
_SPACE_GROUPED = re.compile(rf"^[+-]?\d{{1,3}}(?:{_SP}\d{{3}})+(?:[.,]\d+)?$")
_SPACE_CHARS = re.compile(_SP)
_INT = r"^[+-]?\d+$"
_EXP = r"^[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+$"
_DOT_GROUPS_COMMA_DEC = r"^[+-]?\d{1,3}(?:\.\d{3})+,\d+$"  # 1.234,5
_COMMA_GROUPS_DOT_DEC = r"^[+-]?\d{1,3}(?:,\d{3})+\.\d+$"  # 1,234.5
_DOT_GROUPS = r"^[+-]?\d{1,3}(?:\.\d{3}){2,}$"  # 1.234.567
_COMMA_GROUPS = r"^[+-]?\d{1,3}(?:,\d{3}){2,}$"  # 1,234,567
_DOT_AMBIGUOUS = r"^[+-]?[1-9]\d{0,2}\.\d{3}$"  # 1.234 : 1.234 or 1234
_COMMA_AMBIGUOUS = r"^[+-]?[1-9]\d{0,2},\d{3}$"  # 16,800 : 16.8 or 16800
_DOT_DEC = r"^[+-]?\d*\.\d+$"  # 0.5, 12.5, 3.14159
_COMMA_DEC = r"^[+-]?\d*,\d+$"  # 0,5, 12,5

DECIMAL_SETTING_HINT = (
    "déclarez la convention du fichier dans territory.yaml, par exemple « files: {{{name}: {{decimal: \",\"}}}} » "
    "(virgule décimale : 16,800 = 16,8) ou « decimal: \".\" » (point décimal : 16,800 = 16 800)"
)


class NumberReader:
    """The numbers of one input file, read with a decimal convention decided per column from all its cells.

    Accepted: ``-3``, ``12,5``, ``0.5``, ``1 234,5`` and ``1 234 567`` (space, no-break or narrow no-break space as
    thousands separator), ``1.234,5``, ``1,234.5``, ``1.234.567``, ``1e3``, and the canonical text of typed workbook
    numbers (:func:`number_text`). A value written only one way is a clue (``12,5``, ``0.5``, ``1.234,5``,
    ``1,234,567``...); ``1,234`` or ``1.234`` alone (one to three digits, one separator, three digits) can be read
    both ways. Its column decides: the convention its own cells show, or, when they show none, the one the other
    columns of the file show (the evidence, value, line and column, is kept for the import report:
    :meth:`notes`). Outcomes:

    - the file shows both conventions: an error with examples of each;
    - ambiguous values that nothing in the file settles: an error naming file, lines, values, the two readings and
      how to declare the convention (``files: {<file>: {decimal: ","}}`` in ``territory.yaml``) — never a silent
      guess (``850,000`` € read as 850 divided a purchase total by a thousand);
    - an ambiguous value read as a decimal with three decimals in a column whose own decimals are shorter
      (``850,000`` beside ``550000,5``): read with the column's convention, and a warning names the cell and the
      other reading;
    - ``decimal`` declared: every value is read with it; a value written with the other convention is not a number.

    Values are given chunk by chunk (:meth:`parse`; :meth:`observe` registers the clues of every column of a chunk
    first, so the order of the columns does not matter); the convention is the one shown by all the values seen so
    far, and an ambiguous value seen before the file has shown its convention is an error (the file is then refused
    rather than read with a guess). Problems are kept as one :class:`InputProblem` per (column, kind) with a count
    and a few examples, never one per cell.
    """

    def __init__(self, file: str, decimal: str | None = None, name: str | None = None):
        if decimal not in (None, ".", ","):
            raise ValueError(f"decimal must be '.' or ',', not {decimal!r}")
        self.file = file
        self.name = name or Path(file).name
        self.declared = decimal
        self.clues: dict[str, list[tuple[int, str, str]]] = {".": [], ",": []}  # examples (line, column, text)
        self.clue_counts = {".": 0, ",": 0}
        self._mixed_reported = False
        #: per column: {sep: [count, first example (line, text), longest decimal part]}
        self.column_clues: dict[str, dict[str, list]] = {}
        #: per column: [count of ambiguous cells read, first (line, text)]
        self.column_ambiguous: dict[str, list] = {}
        self._observed: set[str] = set()
        #: warnings about values read with the column's convention but worth a look (:meth:`take_warnings`)
        self.warnings: list[InputProblem] = []

    @property
    def convention(self) -> str | None:
        if self.declared:
            return self.declared
        dots, commas = self.clue_counts["."], self.clue_counts[","]
        if dots and not commas:
            return "."
        if commas and not dots:
            return ","
        return None

    def _shapes(self, values: pd.Series):
        """``(text, plain, exp, says_dot, says_comma, dot_amb, comma_amb, dot_dec, comma_dec)`` of ``values``."""
        text = values.astype(str).str.strip()
        spaced = text.str.match(_SPACE_GROUPED)
        if spaced.any():
            text = text.where(~spaced, text.str.replace(_SPACE_CHARS, "", regex=True))
        plain = text.str.match(_INT)
        rest = ~plain & text.ne("")
        false = pd.Series(False, index=values.index)

        def match(pattern):  # only the values that are not plain integers (most of an inventory's are)
            if not rest.any():
                return false
            return text[rest].str.match(pattern).reindex(values.index, fill_value=False)

        exp = match(_EXP)
        comma_shapes = match(_DOT_GROUPS_COMMA_DEC) | match(_DOT_GROUPS)
        dot_shapes = match(_COMMA_GROUPS_DOT_DEC) | match(_COMMA_GROUPS)
        dot_amb, comma_amb = match(_DOT_AMBIGUOUS), match(_COMMA_AMBIGUOUS)
        dot_dec = match(_DOT_DEC) & ~dot_amb
        comma_dec = match(_COMMA_DEC) & ~comma_amb
        return text, plain, exp, dot_shapes | dot_dec, comma_shapes | comma_dec, dot_amb, comma_amb

    def observe(self, columns: dict[str, pd.Series], lines) -> None:
        """Register the clues of every numeric column of a chunk (``{column: text cells}``) before any of them is
        parsed, so a column parsed first sees the clues of the others; :meth:`parse` of these columns then does not
        register them again (until the next chunk's :meth:`observe`)."""
        self._observed = set()
        lines = np.asarray(lines)
        for column, values in columns.items():
            text, _, _, says_dot, says_comma, _, _ = self._shapes(values)
            self._register(text, says_dot, says_comma, column, lines)
            self._observed.add(column)

    def _register(self, text, says_dot, says_comma, column: str, lines) -> None:
        own = self.column_clues.setdefault(column, {})
        for sep, mask in ((".", says_dot), (",", says_comma)):
            idx = np.flatnonzero(mask.to_numpy())
            if not len(idx):
                continue
            self.clue_counts[sep] += len(idx)
            for i in idx[: max(0, MAX_PROBLEM_EXAMPLES - len(self.clues[sep]))]:
                self.clues[sep].append((int(lines[i]), column, text.iat[i]))
            shown = text.iloc[idx]
            shown = shown[shown.str.contains(sep, regex=False)]  # 1.234.567 shows a comma convention, no decimals
            decimals = int(shown.str.rsplit(sep, n=1).str[1].str.len().max()) if len(shown) else 0
            slot = own.setdefault(sep, [0, (int(lines[idx[0]]), text.iat[idx[0]]), 0])
            slot[0] += len(idx)
            slot[2] = max(slot[2], decimals)

    def parse(self, values: pd.Series, column: str, lines, problems: list) -> tuple[pd.Series, pd.Series]:
        """Floats of ``values`` (text cells of one numeric column) and the mask of cells this reader reported.

        Not-a-number text gives ``NaN`` unreported (the caller says what was expected); ambiguous or
        mixed-convention values give ``NaN`` and a problem appended to ``problems`` (reported mask ``True``).
        """
        text, plain, exp, says_dot, says_comma, dot_amb, comma_amb = self._shapes(values)
        out = pd.Series(np.nan, index=values.index, dtype="float64")
        reported = pd.Series(False, index=values.index)
        out[plain] = pd.to_numeric(text[plain], errors="coerce")
        out[exp] = pd.to_numeric(text[exp], errors="coerce")
        lines = np.asarray(lines)
        if column not in self._observed:
            self._register(text, says_dot, says_comma, column, lines)
        if self.declared:
            ok_dot = (says_dot | dot_amb | comma_amb) if self.declared == "." else pd.Series(False, index=text.index)
            ok_comma = (says_comma | dot_amb | comma_amb) if self.declared == "," else pd.Series(False, index=text.index)
            self._fill(out, text, ok_dot, ".")
            self._fill(out, text, ok_comma, ",")
            self._count_ambiguous(column, dot_amb | comma_amb, text, lines)
            return out, reported
        if self.clue_counts["."] and self.clue_counts[","]:
            if not self._mixed_reported:
                self._mixed_reported = True
                problems.append(InputProblem(
                    self.file, None, None, None,
                    "une seule convention décimale dans le fichier ; il mélange le point décimal ("
                    + ", ".join(f"{t!r} ligne {line}, colonne '{c}'" for line, c, t in self.clues["."][:3])
                    + ") et la virgule décimale ("
                    + ", ".join(f"{t!r} ligne {line}, colonne '{c}'" for line, c, t in self.clues[","][:3])
                    + ") ; corrigez les valeurs, ou " + DECIMAL_SETTING_HINT.format(name=self.name),
                ))
            bad = says_dot | says_comma | dot_amb | comma_amb
            reported |= bad
            return out, reported
        convention = self.convention
        self._fill(out, text, says_dot, ".")
        self._fill(out, text, says_comma, ",")
        ambiguous = dot_amb | comma_amb
        if convention is not None:
            self._fill(out, text, ambiguous, convention)
            self._count_ambiguous(column, ambiguous, text, lines)
            self._warn_three_decimals(column, (dot_amb if convention == "." else comma_amb), text, out, lines,
                                      convention)
        elif ambiguous.any():
            idx = np.flatnonzero(ambiguous.to_numpy())
            examples = [(int(lines[i]), text.iat[i]) for i in idx[:MAX_PROBLEM_EXAMPLES]]
            problems.append(InputProblem(
                self.file, examples[0][0], column, None,
                "un nombre sans ambiguïté ; ces valeurs peuvent se lire de deux façons ("
                + _examples_text(examples, len(idx))
                + " : virgule ou point décimal, ou séparateur de milliers ?) et rien dans le fichier ne tranche ; "
                + DECIMAL_SETTING_HINT.format(name=self.name),
                **_grouped(len(idx), tuple(line for line, _ in examples)),
            ))
            reported |= ambiguous
        return out, reported

    def _count_ambiguous(self, column: str, mask: pd.Series, text: pd.Series, lines) -> None:
        idx = np.flatnonzero(mask.to_numpy())
        if len(idx):
            slot = self.column_ambiguous.setdefault(column, [0, (int(lines[idx[0]]), text.iat[idx[0]])])
            slot[0] += len(idx)

    def _warn_three_decimals(self, column, as_decimal: pd.Series, text, out, lines, convention) -> None:
        """Warn about ambiguous cells read with three decimals in a column whose own decimals are shorter
        (``850,000`` beside ``550000,5``): the value is read with the column's convention, the other reading named
        (kept in :attr:`warnings`, which the table reader adds to its import report)."""
        own = self.column_clues.get(column, {}).get(convention)
        if own is None or own[2] >= 3 or not as_decimal.any():
            return
        idx = np.flatnonzero(as_decimal.to_numpy())
        line0, text0 = int(lines[idx[0]]), text.iat[idx[0]]
        thousands = float(text0.replace(convention, ""))
        mark = "virgule décimale" if convention == "," else "point décimal"
        self.warnings.append(InputProblem(
            self.file, line0, column, text0,
            f"{text0!r} lu {_fr_plain(out.iat[idx[0]])} avec la convention de la colonne ({mark}, comme "
            f"{own[1][1]!r} ligne {own[1][0]}), mais avec trois décimales quand la colonne en écrit au plus "
            f"{own[2]} : si c'est {_fr_plain(thousands)} (séparateur de milliers), corrigez la cellule"
            + (f" ({len(idx)} cellules de ce genre)" if len(idx) > 1 else ""),
            severity="warning", kind="note", **_grouped(len(idx), tuple(int(lines[i]) for i in idx[:5])),
        ))

    def take_warnings(self) -> list[InputProblem]:
        """The warnings gathered since the last call (and forget them)."""
        out, self.warnings = self.warnings, []
        return out

    def notes(self) -> dict[str, str]:
        """French evidence of the decimal convention of each column that had a decimal or an ambiguous value, for
        the import report: ``{"amount_eur": "virgule décimale (déduite de '550000,5' ligne 3 de la colonne)"}``."""
        out = {}
        convention = self.convention
        if convention is None:
            return out
        mark = "virgule décimale" if convention == "," else "point décimal"
        for column in sorted(set(self.column_clues) | set(self.column_ambiguous)):
            own = self.column_clues.get(column, {}).get(convention)
            ambiguous = self.column_ambiguous.get(column)
            if own is None and ambiguous is None:
                continue
            if self.declared:
                why = "déclarée dans territory.yaml"
            elif own is not None:
                why = f"déduite de {own[1][1]!r} ligne {own[1][0]} de la colonne"
            else:
                line, other, value = self.clues[convention][0]
                why = f"déduite d'une autre colonne du fichier : {value!r} ligne {line}, colonne '{other}'"
            if ambiguous is not None:
                why += (f" ; {ambiguous[0]} valeur(s) à deux lectures lue(s) ainsi, dont {ambiguous[1][1]!r} ligne "
                        f"{ambiguous[1][0]}")
            out[column] = f"{mark} ({why})"
        return out

    @staticmethod
    def _fill(out: pd.Series, text: pd.Series, mask: pd.Series, decimal: str) -> None:
        """Write into ``out`` the values of ``text`` under ``mask`` read with ``decimal`` as decimal mark."""
        if not mask.any():
            return
        part = text[mask]
        thousands = "," if decimal == "." else "."
        valid = ~part.str.contains(re.escape(decimal) + r".*" + re.escape(thousands), regex=True)
        part = part.str.replace(thousands, "", regex=False)
        if decimal == ",":
            part = part.str.replace(",", ".", regex=False)
        values = pd.to_numeric(part.where(valid), errors="coerce")
        out[mask] = values.to_numpy()


def _fr_plain(value: float) -> str:
    """A number in a French message: ``850 000``, ``850``, ``16,8``."""
    if value != value:
        return "?"
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", " ")
    return f"{value:.6g}".replace(".", ",")


#: Decimal-convention state of the file being read, by file name (see :class:`NumberReader`); reset by
#: :func:`read_rows` at the start of each read.
NUMBERS: dict[str, NumberReader] = {}


#: Decimal marks declared by a caller, by file name as given to :func:`read_rows`; they take precedence over
#: ``territory.yaml`` (a caller that holds the territory's ``files:`` settings may set them here).
DECLARED_DECIMALS: dict[str, str] = {}


def number_reader(file: str, path: str | Path | None = None) -> NumberReader:
    """The :class:`NumberReader` of ``file`` for the current read, created with the decimal convention declared
    for it in ``territory.yaml`` (``files: {<name>: {decimal: ","}}``) when there is one."""
    reader = NUMBERS.get(file)
    if reader is None:
        decimal, name = declared_decimal(path, file)
        decimal = DECLARED_DECIMALS.get(file, decimal)
        reader = NUMBERS[file] = NumberReader(file, decimal, name)
    return reader


def decimal_note(file: str) -> str | None:
    """French note for an import report: the decimal convention used for ``file`` and why, or ``None`` when the file
    had no number with a decimal part (e.g. "virgule décimale (déduite de '12,5' ligne 3, colonne 'power_w')")."""
    reader = NUMBERS.get(file)
    if reader is None or reader.convention is None:
        return None
    name = "virgule décimale" if reader.convention == "," else "point décimal"
    if reader.declared:
        return f"{name} (déclarée dans territory.yaml)"
    line, column, text = reader.clues[reader.convention][0]
    return f"{name} (déduite de {text!r} ligne {line}, colonne '{column}')"


def declared_decimal(path: str | Path | None, file: str) -> tuple[str | None, str]:
    """``(decimal, name)``: the decimal mark declared for an input file in its territory's ``territory.yaml``, and
    the file's name relative to the territory folder (``purchases.csv``, ``inventory/ordinateurs.xlsx``)."""
    candidate = Path(path) if path is not None else Path(file)
    if not candidate.is_absolute():
        from helpers.io.paths import PROJECT_ROOT

        candidate = PROJECT_ROOT / candidate
    root = default_root(candidate)
    try:
        name = candidate.relative_to(root).as_posix()
    except ValueError:
        name = candidate.name
    settings = _file_settings(root)
    entry = settings.get(name) or settings.get(candidate.name) or {}
    return entry.get("decimal"), name


def _file_settings(root: Path) -> dict:
    """The ``files:`` settings of the territory whose folder is ``root`` ({} when there is none or it is invalid:
    the territory's own loading reports its problems)."""
    yaml_path = root / "territory.yaml"
    if not yaml_path.is_file():
        return {}
    try:
        from helpers.io.territory import load_territory

        territory = load_territory(root.name, yaml_path)
    except Exception:  # noqa: BLE001 - reported when the territory itself is loaded
        return {}
    return dict(getattr(territory, "file_settings", {}) or {})
