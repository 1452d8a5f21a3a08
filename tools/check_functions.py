"""``make lint``'s function budget: no function of ``src/`` over 60 lines or over cyclomatic complexity 12 (issue 37).

Length is the number of source lines of the ``def`` (decorators aside), docstring and comments included, read with
``ast``; complexity is ruff's C901 (McCabe) with ``max-complexity = 12``. A function over either budget is printed
``path:line: name: N lines`` / ``complexity N`` and the check fails; ``--report`` prints every function over budget
and always exits 0 (the list to work from).

Usage: ``python tools/check_functions.py [--report] [paths ...]`` (default ``src``).
"""

from __future__ import annotations

import argparse
import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 60
MAX_COMPLEXITY = 12


def long_functions(path: Path, max_lines: int = MAX_LINES) -> list[tuple[str, int, str, int]]:
    """(path, line, qualified name, lines) of every function or method of ``path`` longer than ``max_lines``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []

    def visit(node: ast.AST, scope: tuple[str, ...]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = scope + (child.name,)
                if not isinstance(child, ast.ClassDef):
                    lines = child.end_lineno - child.lineno + 1
                    if lines > max_lines:
                        found.append((str(path), child.lineno, ".".join(name), lines))
                visit(child, name)
            else:
                visit(child, scope)

    visit(tree, ())
    return found


def complex_functions(paths: list[str], max_complexity: int = MAX_COMPLEXITY) -> list[tuple[str, int, str, int]]:
    """(path, line, name, complexity) of every function over ``max_complexity`` (ruff C901)."""
    ruff = Path(sys.executable).with_name("ruff")
    cmd = [str(ruff) if ruff.exists() else "ruff", "check", "--isolated", "--select", "C901", "--output-format",
           "json", "--config", f"lint.mccabe.max-complexity={max_complexity}", *paths]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if out.returncode not in (0, 1):
        raise SystemExit(f"ruff failed: {out.stderr}")
    found = []
    for item in json.loads(out.stdout or "[]"):
        message = item["message"]  # "`name` is too complex (13 > 12)"
        name = message.split("`")[1]
        complexity = int(message.rsplit("(", 1)[1].split(" ")[0])
        found.append((_shown(item["filename"]), item["location"]["row"], name, complexity))
    return found


def _shown(path) -> str:
    """``path`` relative to the checkout when it is inside it (as ``make lint`` prints it), else as given."""
    path = Path(path).resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=["src"])
    parser.add_argument("--report", action="store_true", help="print every function over budget, exit 0")
    args = parser.parse_args(argv)
    files = sorted(p for a in args.paths for p in ((ROOT / a).rglob("*.py") if (ROOT / a).is_dir() else [ROOT / a]))
    long = [(_shown(p), line, name, n) for f in files for p, line, name, n in long_functions(f)]
    complex_ = complex_functions(args.paths)
    for path, line, name, n in sorted(long):
        print(f"{path}:{line}: {name}: {n} lines (> {MAX_LINES})")
    for path, line, name, n in sorted(complex_):
        print(f"{path}:{line}: {name}: complexity {n} (> {MAX_COMPLEXITY})")
    total = len(long) + len(complex_)
    if total:
        print(f"{len(long)} function(s) over {MAX_LINES} lines, {len(complex_)} over complexity {MAX_COMPLEXITY}")
    return 0 if args.report or not total else 1


if __name__ == "__main__":
    sys.exit(main())
