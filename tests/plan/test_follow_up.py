"""Year after year (issue 34): the follow-up study reads last year's published study and splits the change of the
footprint into activity and factors and method.

Summary-mode studies (no notebook) in a project copy under ``tmp_path``: last year is ``test-mini`` (2023), this
year a copy moved to 2024 (its spend dated 2024), with one documented change per test. ``test-mini`` has its own
electricity factor (a contract, constant whatever the vintage), so only what a test changes moves.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from builders.project import ROOT

from helpers.plan import follow_up as fu

# ----------------------------------------------------------------------------------------------------------------
# Pure rules
# ----------------------------------------------------------------------------------------------------------------


def test_the_parts_of_the_change_sum_to_the_total():
    """Published 100, rerun 97.0000004 (rounded as published: 97), current 90: activity −7, factors −3, total −10."""
    draws = np.linspace(-1, 1, 101)
    out = fu.decompose_change(100.0, 90.0, 90.0 + draws, 97.0000004, 97.0000004 + draws)
    assert out["rerun_tco2e"] == 97.0
    assert out["activity"]["value"] == pytest.approx(-7.0, abs=1e-12)
    assert out["factors_and_method"]["value"] == -3.0
    assert out["activity"]["value"] + out["factors_and_method"]["value"] == out["total"]["value"] == -10.0
    assert out["activity"]["low"] == out["activity"]["high"] == pytest.approx(-7.0)  # paired draws cancel


@pytest.mark.parametrize("value, expected", [(7.0, True), (8.0, False), (5.0, True), (None, None)])
def test_an_indicator_is_on_track_when_it_has_covered_the_share_of_the_way_the_time_covers(value, expected):
    """Baseline 10 in 2020, target 0 in 2030; in 2023, 30 % of the time has passed: it must be at 7 or below."""
    assert fu.on_track(10.0, 0.0, value, 2020, 2023, 2030) is expected


def test_statuses_as_written_in_actions_csv():
    assert [fu.status_code(s) for s in ("Réalisée", "en  cours", "prevue", "abandoned", "", None)] == [
        "done", "in_progress", "planned", "abandoned", None, None]
    assert fu.status_code("peut-être") is None


def test_the_verdict_compares_with_last_years_plan_path_at_this_year():
    paths = {"years": [2020, 2021, 2022], "plan_tco2e": [100.0, 95.0, 90.0], "target_tco2e": [100.0, 90.0, 80.0]}
    v = fu.verdict(paths, 2021, 97.0)
    assert v["status"] == "behind" and v["gap_tco2e"] == 2.0 and v["gap_pct"] == pytest.approx(2 / 95 * 100)
    assert fu.verdict(paths, 2021, 94.0)["status"] == "ahead"
    assert fu.verdict(None, 2021, 94.0)["status"] == "unknown"


# ----------------------------------------------------------------------------------------------------------------
# Whole follow-up studies (summary mode) in a project copy
# ----------------------------------------------------------------------------------------------------------------

SCRIPT = r"""
import json, sys
from pathlib import Path
from helpers.io import paths
from helpers.io.territory import load_territory
from helpers.report import publish
from helpers.run.study import compute_sections

slug, out, previous = sys.argv[1], Path(sys.argv[2]), (sys.argv[3] or None)
processed = out / "processed"
compute_sections(slug, n_draws=300, processed_dir=processed,
                 parameters={"actions": {"previous_study": previous}} if previous else None)
used = publish.input_files(paths.raw_dir(slug), paths.REFERENCE_DIR)
digest, files = publish.sha256_files(used, paths.PROJECT_ROOT)
published = out / "outputs"
published.mkdir(parents=True)
summary = publish.assemble_summary(processed, load_territory(slug), digest, files, "test")
publish.write_summary(summary, published / "summary.json")
publish.archive_inputs(used, paths.PROJECT_ROOT, published)
publish.write_manifest(published)
"""


def _study(root: Path, slug: str, out: Path, previous: Path | None = None) -> dict:
    """Compute and publish ``slug`` (summary.json, archived inputs, manifest) in ``out/outputs``, as a published
    folder; returns its summary."""
    import os

    env = dict(os.environ, SNR_PROJECT_ROOT=str(root), PYTHONHASHSEED="0")
    run = subprocess.run([sys.executable, "-c", SCRIPT, slug, str(out), str(previous or "")], cwd=root, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    return json.loads((out / "outputs" / "summary.json").read_text(encoding="utf-8"))


def _next_year(root: Path, slug: str, edit=None, contract: bool = True) -> str:
    """A copy of test-mini moved to 2024 (its 2023 spend dated 2024), with ``edit(folder)`` applied."""
    src, dst = root / "data/raw/test-mini", root / "data/raw" / slug
    shutil.copytree(src, dst)
    for f in ("territory.yaml",):
        text = (dst / f).read_text(encoding="utf-8").replace("reference_year: 2023", "reference_year: 2024")
        if not contract:
            text = text.replace("electricity_factor_kgco2e_per_kwh: 0.05\n", "").replace(
                "electricity_factor_source:", "# electricity_factor_source:")
        (dst / f).write_text(text, encoding="utf-8")
    pur = dst / "purchases.csv"
    pur.write_text(pur.read_text(encoding="utf-8").replace("100000,2023", "100000,2024"), encoding="utf-8")
    if edit:
        edit(dst)
    return slug


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("follow")
    for sub in ("notebooks", "data/raw/reference", "data/raw/test-mini"):
        shutil.copytree(ROOT / sub, root / sub)
    return root


@pytest.fixture(scope="module")
def last_year(project):
    _study(project, "test-mini", project / "studies/2023")
    return project / "studies/2023/outputs"


def test_the_same_inputs_rerun_with_an_unchanged_library_give_no_factor_part(project, last_year):
    slug = _next_year(project, "mini-same")
    s = _study(project, slug, project / "studies/same", last_year)
    c = s["follow_up"]["change_tco2e"]
    assert c["factors_and_method"]["value"] == 0.0
    assert c["activity"]["value"] == 0.0
    assert s["follow_up"]["previous_reference_year"] == 2023


def test_100_laptops_fewer_is_the_hand_computed_activity_part_and_no_factor_part(project, last_year):
    """M-01's 100 laptops leave: 100 × (170 + 12.3 + 2.79) / 5 kgCO2e of embodied impact and 100 × 48 kWh × 0.05
    kgCO2e/kWh (the contract factor) a year, i.e. −3.7018 − 0.24 = −3.9418 tCO2e."""
    from helpers.io import factors as F

    def drop(folder):
        inv = folder / "inventory.csv"
        inv.write_text("".join(line for line in inv.read_text(encoding="utf-8").splitlines(keepends=True)
                               if not line.startswith("M-01,")), encoding="utf-8")

    slug = _next_year(project, "mini-laptops", drop)
    s = _study(project, slug, project / "studies/laptops", last_year)
    fac = F.load_factors()
    per_unit = sum(F.get_value(fac, "laptop", p, "climate_change") for p in ("manufacturing", "distribution",
                                                                               "end_of_life"))
    expected = -(100 * per_unit / 5 + 100 * 48 * 0.05) / 1000
    c = s["follow_up"]["change_tco2e"]
    assert c["factors_and_method"]["value"] == 0.0
    assert c["activity"]["value"] == pytest.approx(expected, rel=1e-4)
    assert c["total"]["value"] == pytest.approx(c["activity"]["value"] + c["factors_and_method"]["value"], abs=1e-9)


def test_a_new_electricity_vintage_alone_is_a_factor_change(project, tmp_path_factory):
    """Without a contract factor, the same inputs in 2024 use the 2024 vintage instead of 2023's: the whole change
    is factors and method, kWh × (0.0519 − 0.0580) kgCO2e/kWh; activity 0."""
    from helpers.io import factors as F

    def no_contract(folder):
        text = (folder / "territory.yaml").read_text(encoding="utf-8")
        (folder / "territory.yaml").write_text(text.replace("reference_year: 2024", "reference_year: 2023"),
                                                encoding="utf-8")
        pur = folder / "purchases.csv"
        pur.write_text(pur.read_text(encoding="utf-8").replace("100000,2024", "100000,2023"), encoding="utf-8")

    base = _next_year(project, "mini-grid-2023", no_contract, contract=False)
    prev = _study(project, base, project / "studies/grid-2023")
    slug = _next_year(project, "mini-grid-2024", contract=False)
    (project / "data/raw" / slug / "territory.yaml").write_text(
        (project / "data/raw" / base / "territory.yaml").read_text(encoding="utf-8").replace(
            "reference_year: 2023", "reference_year: 2024"), encoding="utf-8")
    s = _study(project, slug, project / "studies/grid-2024", project / "studies/grid-2023/outputs")
    v = F.load_electricity_vintages().set_index("year")["value"]
    kwh = prev["carbon"]["electricity_factor"]["kwh_per_year"]
    c = s["follow_up"]["change_tco2e"]
    assert c["activity"]["value"] == 0.0
    assert c["factors_and_method"]["value"] == pytest.approx(kwh * (v[2024] - v[2023]) / 1000, rel=1e-3)


# ----------------------------------------------------------------------------------------------------------------
# A previous study that does not fit is refused, in French, before anything runs
# ----------------------------------------------------------------------------------------------------------------

def _territory(name="Commune de Test-sur-Mer (territoire de test)", year=2024):
    from types import SimpleNamespace

    return SimpleNamespace(name=name, reference_year=year)


def test_a_previous_study_of_another_territory_or_of_a_later_year_is_refused(last_year):
    from helpers.io.errors import InputError
    from helpers.io.previous import read_previous_study

    prev = read_previous_study(last_year, _territory())
    assert prev.reference_year == 2023 and prev.slug == "test-mini"
    with pytest.raises(InputError, match="une étude du même territoire"):
        read_previous_study(last_year, _territory(name="Ville de Metz"))
    with pytest.raises(InputError, match="une année de référence antérieure à celle de cette étude \\(2023\\)"):
        read_previous_study(last_year, _territory(year=2023))


def test_a_missing_or_edited_file_of_the_previous_study_is_refused(last_year, tmp_path):
    from helpers.io.errors import InputError
    from helpers.io.previous import read_previous_study

    copy = tmp_path / "prev"
    shutil.copytree(last_year, copy)
    inv = copy / "inputs/data/raw/test-mini/inventory.csv"
    inv.write_text(inv.read_text(encoding="utf-8") + "M-99,mairie,laptop,1,2023,,,,,,no,high,,added\n",
                   encoding="utf-8")
    with pytest.raises(InputError, match="son sha256 diffère de celui du manifeste"):
        read_previous_study(copy, _territory())
    (copy / "manifest.json").unlink()
    with pytest.raises(InputError, match="le fichier manifest.json de l'étude publiée"):
        read_previous_study(copy, _territory())
    with pytest.raises(InputError, match="introuvable"):
        read_previous_study(tmp_path / "nowhere", _territory())


# ----------------------------------------------------------------------------------------------------------------
# The whole chain with its page (make study … PREVIOUS=…), on the session's published test-mini
# ----------------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def followed(mini_project):
    """test-mini moved to 2024 with 100 laptops fewer and two action statuses, followed from the published 2023
    study through the command line, as ``make study TERRITORY=… PREVIOUS=outputs/test-mini`` runs it."""
    from conftest import run_cli_study

    root, _ = mini_project
    slug = "test-mini-2024"
    if not (root / "data/raw" / slug).exists():
        def edit(folder):
            inv = folder / "inventory.csv"
            inv.write_text("".join(line for line in inv.read_text(encoding="utf-8").splitlines(keepends=True)
                                   if not line.startswith("M-01,")), encoding="utf-8")
            (folder / "actions.csv").write_text("action_id,selected,status,status_year\nA01,yes,réalisée,2024\n"
                                                "A09,yes,en cours,2024\n", encoding="utf-8")
        _next_year(root, slug, edit)
    run = run_cli_study(root, slug, extra=("--previous", "outputs/test-mini"))
    assert run.returncode == 0, run.stdout + run.stderr
    return root, slug


@pytest.mark.e2e
def test_a_follow_up_publishes_its_suivi_section_keys_and_observed_points(followed):
    import re

    root, slug = followed
    out = root / "outputs" / slug
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    f = s["follow_up"]
    assert f["previous_reference_year"] == 2023
    c = f["change_tco2e"]
    assert c["activity"]["value"] + c["factors_and_method"]["value"] == pytest.approx(c["total"]["value"], abs=1e-6)
    assert c["factors_and_method"]["value"] == 0.0 and c["activity"]["value"] < 0
    statuses = {a["id"]: a["status"] for a in f["actions"]}
    assert statuses.get("A01") == "done" and statuses.get("A09") == "in_progress"
    assert all({"previous", "current", "target", "on_track"} <= set(i) for i in f["indicators"])
    assert f["verdict"]["status"] in ("ahead", "behind")
    page = (out / "diagnostic.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", page)
    assert "Suivi depuis l'étude précédente" in text
    synthesis = text.split("1. Synthèse pour les décideurs", 1)[1]
    assert synthesis.lstrip().startswith("Suivi 2023 → 2024")
    assert "Observé, à méthode constante" not in text  # a figure label, in the image only
    assert re.search(r'alt="[^"]*Suivi 2023 → 2024', page)  # the trajectory figure states the follow-up
    # the follow-up study can itself be followed: it archived its inputs and wrote its manifest
    assert (out / "manifest.json").is_file() and (out / "inputs/data/raw" / slug / "territory.yaml").is_file()


@pytest.mark.e2e
def test_a_mismatched_previous_study_stops_the_run_and_touches_nothing(followed):
    from conftest import run_cli_study

    root, slug = followed
    out = root / "outputs" / slug
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    run = run_cli_study(root, slug, extra=("--previous", f"outputs/{slug}"))  # itself: not an earlier year
    assert run.returncode == 2
    assert "une année de référence antérieure" in run.stderr and "Traceback" not in run.stderr
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
