"""The layer rule of ``docs/architecture.md`` ("The package in five layers"): ``helpers.io``, ``helpers.model`` and
``helpers.plan`` never import ``helpers.report`` (French text, display tables, figures) nor ``helpers.run`` (running
the study), neither at module level nor inside a function. Read from the source (``ast``), nothing is imported."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
LOWER_LAYERS = ("io", "model", "plan")
FORBIDDEN = ("helpers.report", "helpers.run")

#: (module, enclosing function, imported module) -> why it stays. Empty: the French number format that the model
#: writes into processed tables lives in ``helpers.model.french``; a new exception needs its reason here.
ALLOWED: dict[tuple[str, str, str], str] = {}


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute module of ``from <node.module> import ...`` (relative imports resolved against ``module``)."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN)


def layer_imports(path: Path, root: Path = SRC) -> list[tuple[str, int, str, str]]:
    """Every import of ``helpers.report`` / ``helpers.run`` in ``path`` (a module under ``root``): (module, line,
    enclosing function or method, imported name)."""
    module = _module_name(path, root)
    found: list[tuple[str, int, str, str]] = []

    def visit(node: ast.AST, scope: tuple[str, ...]) -> None:
        for child in ast.iter_child_nodes(node):
            inner = scope + (child.name,) if isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else scope
            where = ".".join(scope) or "<module>"
            if isinstance(child, ast.Import):
                found.extend((module, child.lineno, where, a.name) for a in child.names if _forbidden(a.name))
            elif isinstance(child, ast.ImportFrom):
                base = _absolute(module, path, child)
                # ``from helpers.report.plotting import x``: the module; ``from helpers.report import plotting``,
                # ``from helpers import run``, ``from .. import run``: each name imported
                names = ([base] if _forbidden(base) and base not in FORBIDDEN
                         else [f"{base}.{a.name}" for a in child.names])
                found.extend((module, child.lineno, where, name) for name in names if _forbidden(name))
            elif (isinstance(child, ast.Call) and child.args and isinstance(child.args[0], ast.Constant)
                  and isinstance(child.args[0].value, str) and _forbidden(child.args[0].value)
                  and (getattr(child.func, "attr", None) or getattr(child.func, "id", None))
                  in {"import_module", "__import__"}):
                found.append((module, child.lineno, where, child.args[0].value))
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), ())
    return found


def _lower_layer_files() -> list[Path]:
    files = sorted(p for layer in LOWER_LAYERS for p in (SRC / "helpers" / layer).rglob("*.py"))
    assert files, "no module found under src/helpers/{io,model,plan}"
    return files


def test_io_model_plan_never_import_report_or_run():
    found = [f for path in _lower_layer_files() for f in layer_imports(path)]
    bad = [f"{module} line {line} (in {where}) imports {name}" for module, line, where, name in found
           if (module, where, name) not in ALLOWED]
    assert not bad, ("io/model/plan must not import helpers.report or helpers.run "
                     "(move the display code to helpers.report):\n" + "\n".join(bad))


def test_every_allowed_exception_is_still_needed():
    """An exception that is gone leaves the list: it only ever shrinks."""
    found = {(module, where, name) for path in _lower_layer_files() for module, _, where, name in layer_imports(path)}
    stale = sorted(set(ALLOWED) - found)
    assert not stale, f"ALLOWED lists imports that no longer exist: {stale}"


def test_the_check_sees_every_form_of_import(tmp_path):
    """Module level, inside a function or a method, ``from helpers import run``, relative and importlib imports."""
    package = tmp_path / "helpers" / "model"
    package.mkdir(parents=True)
    source = package / "probe.py"
    source.write_text(
        "import helpers.report.plotting\n"
        "from helpers import run\n"
        "from helpers.io import paths\n"
        "def f():\n"
        "    from helpers.report.plotting import fr_number\n"
        "class C:\n"
        "    def m(self):\n"
        "        from ..report import carbon\n"
        "        import importlib\n"
        "        importlib.import_module('helpers.run.study')\n",
        encoding="utf-8")
    found = layer_imports(source, tmp_path)
    assert [(line, where, name) for _, line, where, name in found] == [
        (1, "<module>", "helpers.report.plotting"), (2, "<module>", "helpers.run"),
        (5, "f", "helpers.report.plotting"), (8, "C.m", "helpers.report.carbon"), (10, "C.m", "helpers.run.study")]
    assert {module for module, *_ in found} == {"helpers.model.probe"}
