"""Clear, actionable errors on bad input.

Every reader collects *all* the problems of a file before failing, so the analyst fixes a file in one go.
An :class:`InputError` prints as a list of lines ``file, line N, column C: found 'x'; expected ...`` and never needs
a traceback to be understood.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class InputProblem:
    """One problem in an input file.

    ``row`` is the 1-based line number in the file as a spreadsheet or an editor shows it (header = line 1), or
    ``None`` when the problem concerns the whole file or a whole column. ``severity`` is ``"error"`` or
    ``"warning"``; warnings are reported but do not stop the run.
    """

    file: str
    row: int | None
    column: str | None
    value: object
    expected: str
    severity: str = "error"

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"line {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        found = "" if self.value is None else f"found {self.value!r}; "
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{prefix}{', '.join(where)}: {found}expected {self.expected}"


class InputError(Exception):
    """One or more problems in the inputs; the message lists every one of them."""

    def __init__(self, problems: list[InputProblem] | InputProblem):
        if isinstance(problems, InputProblem):
            problems = [problems]
        self.problems = [p for p in problems if p.severity == "error"]
        self.warnings = [p for p in problems if p.severity != "error"]
        super().__init__(self.message())

    def message(self) -> str:
        files = sorted({p.file for p in self.problems})
        head = f"{len(self.problems)} problem(s) in the inputs ({', '.join(files)}):"
        lines = [head] + [f"  - {p}" for p in self.problems]
        lines += [f"  - {w}" for w in self.warnings]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.message()


def display_path(path: str | Path) -> str:
    """Path relative to the project root when possible, for messages."""
    from helpers.paths import PROJECT_ROOT

    p = Path(path)
    try:
        return str(p.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(p)


def raise_if(problems: list[InputProblem]) -> list[InputProblem]:
    """Raise :class:`InputError` if any problem is an error; return the warnings otherwise."""
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return [p for p in problems if p.severity != "error"]
