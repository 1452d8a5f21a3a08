"""The project copies and the study as a user runs it, shared by conftest's session fixtures and the tests (issue 37:
no test file imports conftest or another test file)."""
from __future__ import annotations

import sys
from pathlib import Path

#: the checkout
ROOT = Path(__file__).resolve().parents[2]

#: the bare territory of issue 28: only territory.yaml and a 3-line inventory (no other input file)
BARE_SLUG = "bare-3"
BARE_FILES = {
    "territory.yaml": ("name: \"Commune de Trois-Lignes\"\nkind: commune\npopulation: 60000\nagents: 650\n"
                       "reference_year: 2024\ntarget_year: 2040\n"
                       "entities:\n  - {id: mairie, name: \"Mairie de Trois-Lignes\", kind: commune}\n"),
    "inventory.csv": "category,quantity\nlaptop,300\ndesktop,200\nsmartphone,150\n",
}


def copy_project(dest: Path, slugs=("test-mini",), files: dict | None = None) -> Path:
    """A project copy in ``dest``: notebooks, reference library, the territories ``slugs`` copied from data/raw/
    and the territories of ``files`` ({slug: {file name: text}}) written; empty processed and outputs folders."""
    import shutil

    for sub in ("notebooks", "data/raw/reference", *(f"data/raw/{s}" for s in slugs)):
        shutil.copytree(ROOT / sub, dest / sub)
    for slug, content in (files or {}).items():
        (dest / "data" / "raw" / slug).mkdir(parents=True)
        for name, text in content.items():
            (dest / "data" / "raw" / slug / name).write_text(text, encoding="utf-8")
    (dest / "data/processed").mkdir(parents=True, exist_ok=True)
    (dest / "outputs").mkdir(exist_ok=True)
    return dest


def run_cli_study(root: Path, slug: str, draws: int = 2000, extra=()):
    """``python -m helpers.run.cli study`` as a user runs it, in the project copy ``root`` (``extra``: more
    arguments, e.g. ``("--previous", "outputs/test-mini")``)."""
    import os
    import subprocess

    env = dict(os.environ, SNR_PROJECT_ROOT=str(root), PYTHONHASHSEED="0")
    return subprocess.run(
        [sys.executable, "-m", "helpers.run.cli", "study", "--territory", slug, "--draws", str(draws), *extra],
        cwd=root, env=env, capture_output=True, text=True, timeout=600,
    )
