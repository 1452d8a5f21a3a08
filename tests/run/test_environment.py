"""The one-command setup stays honest: one dependency source, a lock, environment.yml only delegates."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[; ]", req, maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_only_pins_python_and_delegates_to_pip():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    conda = [d for d in deps if isinstance(d, str)]
    pip_lists = [d["pip"] for d in deps if isinstance(d, dict)]
    assert sorted(conda) == ["pip", "python=3.11"], f"environment.yml must only pin python and pip, found {conda}"
    assert pip_lists == [["-r requirements.lock", "-e ."]]


def test_lock_pins_every_dependency_exactly():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        wanted |= {_name(r) for r in extra}
    pinned = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^ ;]+)", line)
        if m:
            pinned[m.group(1).lower().replace("_", "-")] = m.group(2)
    missing = sorted(n for n in wanted if n not in pinned)
    assert not missing, f"requirements.lock lacks exact pins for {missing}: run 'make lock'"


def test_boaviztapi_is_not_a_runtime_dependency():
    lock = (ROOT / "requirements.lock").read_text().lower()
    assert "boaviztapi" not in lock  # AGPL-3.0 and pins pandas<3: only in tools/, in its own venv


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in ci and "make test" in readme and "make study" in readme


def test_make_help_is_the_default_goal_and_documents_targets():
    makefile = (ROOT / "Makefile").read_text()
    assert ".DEFAULT_GOAL := help" in makefile
    for target in ("setup", "study", "test", "lint", "lab", "new-territory", "bench", "help"):
        assert re.search(rf"^{target}:.*## ", makefile, re.M), f"target {target} has no '## ' help text"
