"""Clear, actionable errors on bad input, in French (the analysts who read them are French).

Every reader collects *all* the problems of a file before failing, so the analyst fixes a file in one go.
An :class:`InputError` prints the problems **grouped**: one line per (file, column, problem) with how many rows
carry it, the first few line numbers and the values seen (a wrong entity on 3,000 rows is one line, not 3,000),
at most :data:`MAX_LINES_PER_FILE` lines per file, then "… et N autres types de problème". It never needs a
traceback to be understood.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from helpers.io.french import count_text

#: Grouped problem lines printed per file before "… et N autres types de problème".
MAX_LINES_PER_FILE = 20
#: Line numbers and distinct values quoted in one grouped line.
MAX_ROWS_QUOTED = 5
MAX_VALUES_QUOTED = 5


@dataclass(frozen=True)
class InputProblem:
    """One problem in an input file.

    ``row`` is the 1-based line number in the file as a spreadsheet or an editor shows it (header = line 1), or
    ``None`` when the problem concerns the whole file or a whole column. ``severity`` is ``"error"`` or
    ``"warning"``; warnings are reported but do not stop the run. ``expected`` is French text (what the value should
    be), read by the analyst. One problem may stand for ``count`` rows with the same value, the first of them in
    ``rows`` (a wrong entity on 3,000 rows is one problem).
    """

    file: str
    row: int | None
    column: str | None
    value: object
    expected: str
    severity: str = "error"
    count: int = 1
    rows: tuple = ()
    #: ``"expected"`` (``expected`` says what the value should be) or ``"note"`` (``expected`` is a plain message,
    #: e.g. "12 ligne(s) exclue(s) : statut « au rebut »")
    kind: str = "expected"

    def __str__(self) -> str:
        if self.count > 1:
            return _group_line([self])
        where = [self.file]
        if self.row is not None:
            where.append(f"ligne {self.row}")
        if self.column:
            where.append(f"colonne '{self.column}'")
        found = "" if self.value is None else f"trouvé {_shown(self.value)} ; "
        prefix = "avertissement : " if self.severity == "warning" else ""
        if self.kind == "note":
            return f"{prefix}{', '.join(where)} : {self.expected}"
        return f"{prefix}{', '.join(where)} : {found}attendu {self.expected}"


#: Longest quoted value: a message quotes at most the offending cell, and at most this much of it (a 32,767-character
#: cell, or the first line of a file that is not what its name says, is never printed whole).
MAX_VALUE_CHARS = 80


def _shown(value) -> str:
    """``repr`` of a found value as the analyst wrote it: numpy scalars as plain numbers (``0.5``, not
    ``np.float64(0.5)``); a text longer than :data:`MAX_VALUE_CHARS` cut, its length said."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)) and getattr(value, "ndim", 1) == 0:
        value = value.item()
    if isinstance(value, str) and len(value) > MAX_VALUE_CHARS:
        return repr(value[:MAX_VALUE_CHARS]) + f"… ({len(value)} caractères)"
    return repr(value)


def quoted_names(names, n: int = 10, chars: int = 40) -> str:
    """Names (header cells) for a message: at most ``n``, each cut at ``chars`` characters, then "… et K autres"."""
    names = [str(x) for x in names]
    shown = [x if len(x) <= chars else x[:chars] + "…" for x in names[:n]]
    return ", ".join(shown) + (f" … et {len(names) - n} autres" if len(names) > n else "")


def _rows_text(rows: list[int], total: int) -> str:
    shown = ", ".join(str(r) for r in rows[:MAX_ROWS_QUOTED])
    return shown + (", …" if max(len(rows), total) > MAX_ROWS_QUOTED else "")


def _group_line(group: list[InputProblem]) -> str:
    """One French line for problems sharing (file, column, expected, severity)."""
    if len(group) == 1 and group[0].count <= 1:
        return str(group[0])
    first = group[0]
    rows = sorted({r for p in group for r in (p.rows or ((p.row,) if p.row is not None else ()))})
    values: Counter = Counter()
    for p in group:
        if p.value is not None:
            values[_shown(p.value)] += p.count
    total = sum(p.count for p in group)
    where = [first.file]
    if first.column:
        where.append(f"colonne '{first.column}'")
    count = f"{total} {'ligne' if total < 2 else 'lignes'}" if rows else f"{total} cas"
    if rows:
        count += f" (lignes {_rows_text(rows, total)})"
    seen = ""
    if values:
        items = [f"{v} ({n}×)" if n > 1 else v for v, n in values.most_common(MAX_VALUES_QUOTED)]
        more = len(values) - MAX_VALUES_QUOTED
        seen = " ; valeurs trouvées : " + ", ".join(items) + (f" et {count_text(more, 'autre')}" if more > 0 else "")
    prefix = "avertissement : " if first.severity == "warning" else ""
    return f"{prefix}{', '.join(where)} : {count}{seen} ; attendu {first.expected}"


def grouped_lines(problems: list[InputProblem], max_per_file: int = MAX_LINES_PER_FILE) -> list[str]:
    """French lines, one per (file, column, expected text, severity), in first-seen order.

    At most ``max_per_file`` lines per file; the rest of that file is summarised as
    "… et N autres types de problème".
    """
    groups: dict[tuple, list[InputProblem]] = {}
    for p in problems:
        groups.setdefault((p.file, p.column, p.expected, p.severity), []).append(p)
    lines: list[str] = []
    shown: Counter = Counter()
    hidden: Counter = Counter()
    order: list[str] = []
    for (file, *_), group in groups.items():
        if file not in order:
            order.append(file)
        if shown[file] < max_per_file:
            shown[file] += 1
            lines.append((file, _group_line(group)))
        else:
            hidden[file] += 1
    out = []
    for file in order:
        out += [text for f, text in lines if f == file]
        if hidden[file]:
            out.append(f"{file} : … et {hidden[file]} autres types de problème")
    return out


class InputError(Exception):
    """One or more problems in the inputs; the message lists every kind of problem, grouped."""

    def __init__(self, problems: list[InputProblem] | InputProblem):
        if isinstance(problems, InputProblem):
            problems = [problems]
        self.problems = [p for p in problems if p.severity == "error"]
        self.warnings = [p for p in problems if p.severity != "error"]
        super().__init__(self.message())

    def message(self) -> str:
        files = sorted({p.file for p in self.problems})
        kinds = len({(p.file, p.column, p.expected) for p in self.problems})
        values = sum(max(1, p.count) for p in self.problems)
        extent = f" portant sur {values} valeurs" if values > kinds else ""
        head = f"{count_text(kinds, 'problème')}{extent} dans les données d'entrée ({', '.join(files)}) :"
        lines = [head] + [f"  - {text}" for text in grouped_lines(self.problems)]
        lines += [f"  - {text}" for text in grouped_lines(self.warnings)]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.message()


def display_path(path: str | Path) -> str:
    """Path relative to the project root when possible, for messages."""
    from helpers.io.paths import PROJECT_ROOT

    p = Path(path)
    try:
        return str(p.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(p)
    except (OSError, RuntimeError):  # a looping link: named as given, never followed
        try:
            return str(Path(os.path.abspath(p)).relative_to(Path(os.path.abspath(PROJECT_ROOT))))
        except ValueError:
            return str(p)


def raise_if(problems: list[InputProblem]) -> list[InputProblem]:
    """Raise :class:`InputError` if any problem is an error; return the warnings otherwise."""
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return [p for p in problems if p.severity != "error"]
