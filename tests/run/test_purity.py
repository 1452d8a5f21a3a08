"""The model and the plan are functions of values (issue 37; ``docs/architecture.md``, "The package in five layers"):
no module of ``helpers.model`` or ``helpers.plan`` reads or writes a file, takes the study's context (``ctx``) or
holds French text for a reader. French stays only where an analyst reads it from these layers: the message of an
exception they raise (an input error names the file, line and column in French). Labels, notes and display tables
live in ``helpers.report``; readers in ``helpers.io``; the section runners in ``helpers.run``.

Read from the source (``ast``), nothing is imported. A French text is a string literal with a letter of French
beyond ASCII (é, è, à, ç, œ, « », ’ …) that is neither a docstring nor inside a ``raise`` statement: English
identifiers and codes never carry one, so the heuristic has no false positive on this package's code (checked by
the tests of the checker below)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "helpers"
PURE = ("model", "plan")
FRENCH = re.compile(r"[À-ÿŒœ«»’]")
#: calls that read or write a file, or list a folder (pandas, pathlib, the builtins, the project's readers);
#: not ``rename``, which a DataFrame has too
FILE_CALLS = frozenset({
    "open", "read_csv", "read_excel", "read_json", "read_parquet", "to_csv", "to_excel", "to_json", "to_parquet",
    "read_text", "write_text", "read_bytes", "write_bytes", "mkdir", "unlink", "glob",
    "rglob", "iterdir", "exists", "is_file", "is_dir", "load_territory", "safe_load", "dump",
})
#: names of the io layer that point at the file system
FILE_NAMES = frozenset({"REFERENCE_DIR", "RAW_DIR", "PROCESSED_DIR", "OUTPUTS_DIR"})


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
        # the ``#:`` documentation of an attribute written as a string right after it is a docstring too
    return found


def impurities(source: str) -> list[tuple[int, str, str]]:
    """(line, kind, what) for each French literal outside ``raise`` and docstrings, each file access and each
    ``ctx`` parameter of one module's ``source``."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    in_raise = {id(sub) for node in ast.walk(tree) if isinstance(node, ast.Raise) for sub in ast.walk(node)}
    found: list[tuple[int, str, str]] = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
                and id(node) not in in_raise and FRENCH.search(node.value)):
            found.append((node.lineno, "French text", node.value[:60]))
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in FILE_CALLS:
                found.append((node.lineno, "file access", f"{name}()"))
        elif isinstance(node, (ast.Name, ast.Attribute)):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name in FILE_NAMES:
                found.append((node.lineno, "file access", name))
        elif isinstance(node, ast.arg) and node.arg == "ctx":
            found.append((node.lineno, "study context", "ctx"))
    return sorted(found)


def test_model_and_plan_are_pure_functions_of_values():
    problems = []
    for layer in PURE:
        for path in sorted((SRC / layer).glob("*.py")):
            for line, kind, what in impurities(path.read_text(encoding="utf-8")):
                problems.append(f"helpers/{layer}/{path.name}:{line}: {kind}: {what!r}")
    assert problems == [], "\n".join(problems)


# ---------------------------------------------------------------------------------------------------------------
# The checker itself: each kind of impurity is found, and what is allowed is not reported
# ---------------------------------------------------------------------------------------------------------------

def test_checker_finds_a_french_label_a_file_read_and_a_context():
    source = ('LABELS = {"use": "Utilisation"}\nNOTE = "énergie"\n'
              'def f(ctx, path):\n    return pd.read_csv(path), REFERENCE_DIR\n')
    kinds = [(line, kind) for line, kind, _ in impurities(source)]
    assert kinds == [(2, "French text"), (3, "study context"), (4, "file access"), (4, "file access")]


def test_checker_allows_french_in_raise_messages_and_docstrings():
    source = ('"""Modèle pur."""\ndef f(x):\n    """Renvoie la somme."""\n    if x < 0:\n'
              '        raise ValueError(f"valeur négative : {x} (attendu ≥ 0)")\n    return {"total_kgco2e": x}\n')
    assert impurities(source) == []
