import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from builders.project import BARE_FILES, BARE_SLUG, copy_project, run_cli_study  # noqa: E402


@pytest.fixture
def tmp_csv(tmp_path):
    """Write text (or bytes) to a CSV file in a temporary folder and return its path."""

    def make(content, name="input.csv"):
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return make


# ----------------------------------------------------------------------------------------------------------------
# Whole studies run once per test session and shared by the test files that read them (each chain costs ~30 s)
# ----------------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def mini_project(tmp_path_factory):
    """The whole study of ``test-mini``, published once for the session: (project root, completed process)."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    first = run_cli_study(root, "test-mini")
    assert first.returncode == 0, first.stdout + first.stderr
    return root, first


@pytest.fixture(scope="session")
def bare_project(tmp_path_factory):
    """The whole study of the bare territory :data:`BARE_SLUG`, published once for the session."""
    root = copy_project(tmp_path_factory.mktemp("bare"), slugs=(), files={BARE_SLUG: BARE_FILES})
    first = run_cli_study(root, BARE_SLUG)
    assert first.returncode == 0, first.stdout + first.stderr
    return root, first


# ----------------------------------------------------------------------------------------------------------------
# Sparse territories (issue 33): the chain runs and publishes whatever subset of the optional files is given
# ----------------------------------------------------------------------------------------------------------------

#: a one-category, one-entity inventory and nothing else; a name that takes "de l'" (grammar of names)
ONE_CATEGORY_FILES = {
    "territory.yaml": ("name: \"Eurométropole de Monposte\"\nkind: metropole\npopulation: 80000\nagents: 900\n"
                       "reference_year: 2024\ntarget_year: 2040\n"
                       "entities:\n  - {id: emet, name: \"Eurométropole de Monposte\", kind: metropole}\n"),
    "inventory.csv": "category,quantity\nlaptop,300\n",
}
#: the variants: slug -> (files written, test-mini files left out); "bare-3" is :data:`BARE_SLUG`'s own chain
SPARSE_VARIANTS: dict[str, tuple[dict | None, tuple[str, ...]]] = {
    BARE_SLUG: (BARE_FILES, ()),
    "une-categorie": (ONE_CATEGORY_FILES, ()),
    "mini-sans-maturite": (None, ("maturity.csv",)),
    "mini-sans-services": (None, ("services.csv",)),
}
#: Monte Carlo draws of the sparse chains: their pages are checked for words and structure, not for intervals
SPARSE_DRAWS = 300


@pytest.fixture(scope="session", params=list(SPARSE_VARIANTS))
def sparse_project(request, tmp_path_factory, bare_project):
    """The whole study of one sparse variant (:data:`SPARSE_VARIANTS`), published once for the session: (project
    root, slug, completed process). The bare territory reuses :func:`bare_project`'s chain."""
    import shutil

    slug = request.param
    if slug == BARE_SLUG:
        root, run = bare_project
        return root, slug, run
    files, left_out = SPARSE_VARIANTS[slug]
    root = copy_project(tmp_path_factory.mktemp(slug), slugs=("test-mini",) if files is None else (),
                        files={slug: files} if files is not None else None)
    if files is None:  # test-mini without some optional files
        shutil.copytree(root / "data/raw/test-mini", root / "data/raw" / slug)
        for name in left_out:
            (root / "data/raw" / slug / name).unlink()
    run = run_cli_study(root, slug, SPARSE_DRAWS)
    assert run.returncode == 0, run.stdout + run.stderr
    return root, slug, run
