"""The layer rule of ``docs/architecture.md`` ("The package in five layers"): io ← model ← plan ← report ← run, each
layer imports only from the layers before it (``helpers.model`` may import ``helpers.io``, never ``helpers.plan``,
``helpers.report`` or ``helpers.run``), neither at module level nor inside a function, nor through ``importlib``.
Read from the source (``ast``), nothing is imported."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
#: the layers, in order: each imports only from the ones before it
LAYERS = ("io", "model", "plan", "report", "run")

#: (module, enclosing function, imported module) -> why it stays. Issue 37 empties it; it only ever shrinks (a test
#: fails on an entry that is no longer needed), and a new entry needs its reason here.
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


def layer_of(name: str) -> int | None:
    """Index in :data:`LAYERS` of the layer of module ``name`` (``helpers.<layer>...``); None outside them."""
    parts = name.split(".")
    if len(parts) >= 2 and parts[0] == "helpers" and parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    return None


def _later(importer: str, name: str) -> bool:
    """``name`` belongs to a layer after the importer's (``helpers`` alone or an unknown name never does)."""
    mine, theirs = layer_of(importer), layer_of(name)
    return mine is not None and theirs is not None and theirs > mine


def layer_imports(path: Path, root: Path = SRC) -> list[tuple[str, int, str, str]]:
    """Every import in ``path`` (a module under ``root``) of a layer after its own: (module, line, enclosing function
    or method, imported name)."""
    module = _module_name(path, root)
    found: list[tuple[str, int, str, str]] = []

    def visit(node: ast.AST, scope: tuple[str, ...]) -> None:
        for child in ast.iter_child_nodes(node):
            inner = scope + (child.name,) if isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else scope
            where = ".".join(scope) or "<module>"
            if isinstance(child, ast.Import):
                found.extend((module, child.lineno, where, a.name) for a in child.names if _later(module, a.name))
            elif isinstance(child, ast.ImportFrom):
                base = _absolute(module, path, child)
                # ``from helpers.report.plotting import x``: the module; ``from helpers.report import plotting``,
                # ``from helpers import run``, ``from .. import run``: each name imported
                names = [base] if base.count(".") >= 2 else [f"{base}.{a.name}" for a in child.names]
                found.extend((module, child.lineno, where, name) for name in names if _later(module, name))
            elif (isinstance(child, ast.Call) and child.args and isinstance(child.args[0], ast.Constant)
                  and isinstance(child.args[0].value, str) and _later(module, child.args[0].value)
                  and (getattr(child.func, "attr", None) or getattr(child.func, "id", None))
                  in {"import_module", "__import__"}):
                found.append((module, child.lineno, where, child.args[0].value))
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), ())
    return found


def _package_files() -> list[Path]:
    files = sorted(p for layer in LAYERS for p in (SRC / "helpers" / layer).rglob("*.py"))
    assert {p.relative_to(SRC / "helpers").parts[0] for p in files} == set(LAYERS), "a layer has no module"
    return files


def test_each_layer_imports_only_from_the_layers_before_it():
    found = [f for path in _package_files() for f in layer_imports(path)]
    bad = [f"{module} line {line} (in {where}) imports {name}" for module, line, where, name in found
           if (module, where, name) not in ALLOWED]
    assert not bad, ("io ← model ← plan ← report ← run: a layer imports only from the layers before it "
                     "(move the code to the layer it belongs to):\n" + "\n".join(bad))


def test_every_module_of_the_package_is_in_a_layer():
    """Nothing beside the five layers holds code (``helpers/__init__.py`` aside): a module outside them would escape
    the rule."""
    stray = sorted(str(p.relative_to(SRC)) for p in (SRC / "helpers").glob("*.py") if p.name != "__init__.py")
    assert not stray, stray


def test_every_allowed_exception_is_still_needed():
    """An exception that is gone leaves the list: it only ever shrinks."""
    found = {(module, where, name) for path in _package_files() for module, _, where, name in layer_imports(path)}
    stale = sorted(set(ALLOWED) - found)
    assert not stale, f"ALLOWED lists imports that no longer exist: {stale}"


def test_the_check_sees_every_form_of_import(tmp_path):
    """Module level, inside a function or a method, ``from helpers import run``, relative and importlib imports; an
    import of an earlier layer (``helpers.io`` from the model) is allowed."""
    package = tmp_path / "helpers" / "model"
    package.mkdir(parents=True)
    source = package / "probe.py"
    source.write_text(
        "import helpers.report.plotting\n"
        "from helpers import run\n"
        "from helpers.io import paths\n"
        "def f():\n"
        "    from helpers.plan.actions import evaluate\n"
        "class C:\n"
        "    def m(self):\n"
        "        from ..report import carbon\n"
        "        import importlib\n"
        "        importlib.import_module('helpers.run.study')\n"
        "        from helpers.model import engine\n",
        encoding="utf-8")
    found = layer_imports(source, tmp_path)
    assert [(line, where, name) for _, line, where, name in found] == [
        (1, "<module>", "helpers.report.plotting"), (2, "<module>", "helpers.run"),
        (5, "f", "helpers.plan.actions"), (8, "C.m", "helpers.report.carbon"), (10, "C.m", "helpers.run.study")]
    assert {module for module, *_ in found} == {"helpers.model.probe"}


def test_io_may_import_nothing_of_the_other_layers(tmp_path):
    package = tmp_path / "helpers" / "io"
    package.mkdir(parents=True)
    source = package / "probe.py"
    source.write_text("from helpers.model import vocab\nfrom helpers.io import paths\n", encoding="utf-8")
    assert [name for *_, name in layer_imports(source, tmp_path)] == ["helpers.model.vocab"]
