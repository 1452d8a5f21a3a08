"""make new-territory: a first run that works (header-only templates, examples apart, optional files on request, an
unedited territory.yaml refused naming its fields), and no overwrite of anything."""

from __future__ import annotations

import pytest

from helpers.io import paths
from helpers.io.errors import InputError


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "RAW_DIR", tmp_path / "raw")
    monkeypatch.setattr(paths, "PROCESSED_DIR", tmp_path / "processed")
    (tmp_path / "raw").mkdir()
    return tmp_path


FILLED = {"name": '"Ville de Trifouillis"', "kind": "commune", "population": "52000", "agents": "700",
          "reference_year": "2024"}


def _fill_territory(folder, skip=()) -> None:
    """What the analyst does to ``territory.yaml``: give the blank fields a value (all but ``skip``)."""
    import re

    path = folder / "territory.yaml"
    text = path.read_text(encoding="utf-8")
    for key, value in FILLED.items():
        if key not in skip:
            text = re.sub(rf"^{key}:\s+#.*$", f"{key}: {value}", text, count=1, flags=re.M)
    if "entities" not in skip:
        text = re.sub(r"^    name:\s+#.*$", '    name: "Ville de Trifouillis"', text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")


def _use_examples(folder, files) -> None:
    """Copy the examples of ``files`` over the templates, without their ``exemple`` marks (their values are
    consistent with each other, a stand-in for real data)."""
    import csv
    import io

    for name in files:
        rows = list(csv.reader(io.StringIO((folder / "exemples" / name).read_text(encoding="utf-8"))))
        if rows[0][-1] == "exemple":
            rows = [r[:-1] for r in rows]
        rows[1][0] = rows[1][0].removeprefix("EXEMPLE-")
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        (folder / name).write_text(buf.getvalue(), encoding="utf-8")


def test_a_fresh_territory_is_refused_with_one_message_naming_the_fields(sandbox):
    """Unedited, the template is refused before anything runs: one problem naming every field to fill, never a
    territory published with invented figures."""
    from helpers.io.territory import load_territory
    from helpers.run.scaffold import new_territory

    new_territory("ma-commune")
    with pytest.raises(InputError) as exc:
        load_territory("ma-commune")
    [problem] = exc.value.problems
    text = str(problem)
    for field in ("name (", "kind (", "population (", "agents (", "reference_year (", "entities[0].name ("):
        assert field in text, field
    assert "n'est pas encore rempli" in text and "exemples/territory.yaml" in text
    # half filled: only what is still blank is named
    _fill_territory(paths.RAW_DIR / "ma-commune", skip=("agents", "entities"))
    with pytest.raises(InputError) as exc:
        load_territory("ma-commune")
    [problem] = exc.value.problems
    assert "agents (" in str(problem) and "entities[0].name (" in str(problem)
    assert "population (" not in str(problem) and "name (le nom de la collectivité" not in str(problem)
    _fill_territory(paths.RAW_DIR / "ma-commune", skip=())
    territory = load_territory("ma-commune")
    assert (territory.name, territory.population, territory.agents, territory.illustrative) == (
        "Ville de Trifouillis", 52000, 700, False)


def test_the_old_template_placeholders_are_refused(sandbox):
    """A territory.yaml written by the earlier template ("Ville de Nouvelle-Commune", 60,000 inhabitants, 800
    agents) is still a template: refused, naming the placeholders."""
    from helpers.io.territory import load_territory

    folder = paths.RAW_DIR / "ancien"
    folder.mkdir()
    (folder / "territory.yaml").write_text(
        'name: "Ville de Nouvelle-Commune"\nkind: commune\npopulation: 60000\nagents: 800\nreference_year: 2024\n'
        'target_year: 2040\nentities:\n  - {id: ville, name: "Ville de Nouvelle-Commune", kind: commune}\n',
        encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_territory("ancien")
    text = str(exc.value)
    assert "name (" in text and "population (" in text and "agents (" in text and "entities[0].name (" in text
    assert "kind (" not in text and "reference_year (" not in text


def test_a_first_run_needs_only_territory_yaml_and_an_export(sandbox):
    """make new-territory, fill territory.yaml, copy one export as it comes into inventory/: the ingest runs, with
    nothing to delete (the header-only inventory.csv and exemples/ are not read)."""
    from pathlib import Path

    from helpers.io.ingest import ingest_all
    from helpers.run.context import open_context
    from helpers.run.scaffold import new_territory

    folder = new_territory("ma-commune")
    _fill_territory(folder)
    # GLPI's computers list of a one-entity install: every asset under the root entity (no alias needed)
    export = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "glpi" / "raw" / "inventory" / "ordinateurs.csv"
    text = export.read_bytes().decode("cp1252")
    for spelling in ("Mairie de Saint-Aubin", "MAIRIE DE SAINT-AUBIN", "Écoles de saint-aubin",
                     "Communauté de communes du Val-de-Sèvre", "CCVS"):
        text = text.replace(f'"Entité racine > {spelling}"', '"Entité racine"')
    (folder / "inventory" / "export glpi.csv").write_bytes(text.encode("cp1252"))
    report = ingest_all(open_context("ma-commune", paths.PROCESSED_DIR / "ma-commune"))
    assert [Path(f.file).name for f in report.files] == ["export glpi.csv"]
    assert report.tables["inventory"]["quantity"].sum() == report.files[0].rows_kept > 0
    assert report.provided["inventory.csv"] and not report.provided["hosting.csv"]


def test_no_export_and_a_header_only_inventory_is_one_clear_message(sandbox):
    from helpers.io.ingest import ingest_all
    from helpers.run.context import open_context
    from helpers.run.scaffold import new_territory

    _fill_territory(new_territory("ma-commune"))
    with pytest.raises(InputError) as exc:
        ingest_all(open_context("ma-commune", paths.PROCESSED_DIR / "ma-commune"))
    [problem] = exc.value.problems
    assert problem.file.endswith("inventory.csv") and "n'a que son en-tête" in problem.expected
    assert "inventory/" in problem.expected


def test_templates_are_header_only_documented_and_exemplified(sandbox):
    """The files the study reads have their header only; every input has its example in exemples/ (never read);
    optional inputs are created only on request; the README documents every file and column."""
    from helpers.run.scaffold import available_schemas, new_territory

    folder = new_territory("ma-commune")
    assert {p.name for p in folder.iterdir()} == {"territory.yaml", "inventory.csv", "inventory", "exemples",
                                                  "README.md"}
    schemas = {s.file: s for s, _, _ in available_schemas()}
    assert (folder / "inventory.csv").read_text().splitlines() == [",".join(schemas["inventory.csv"].names())]
    assert {p.name for p in (folder / "exemples").iterdir()} == set(schemas) | {"territory.yaml"}
    for schema in schemas.values():
        header, example = (folder / "exemples" / schema.file).read_text().splitlines()[:2]
        assert header.split(",") in (schema.names(), schema.names() + ["exemple"]) and example
    readme = (folder / "README.md").read_text()
    assert "1. **Fill `territory.yaml`**" in readme and "5. **Check the import**" in readme
    for schema in schemas.values():
        assert f"`{schema.file}`" in readme
        for col in schema.columns:
            assert f"`{col.name}`" in readme  # every column is explained
    assert "FILES=hosting,telecom" in readme


def test_optional_templates_only_on_request_and_never_overwritten(sandbox):
    from helpers.run.scaffold import new_territory, optional_files

    folder = new_territory("ma-commune", ["hosting", "telecom.csv"])
    assert (folder / "hosting.csv").read_text().count("\n") == 1 and (folder / "telecom.csv").exists()
    assert not (folder / "services.csv").exists()
    new_territory("ma-commune", ["services"])  # added later to the existing folder
    assert (folder / "services.csv").exists()
    (folder / "hosting.csv").write_text("mine")
    with pytest.raises(InputError, match="jamais écrasés"):
        new_territory("ma-commune", ["hosting"])
    assert (folder / "hosting.csv").read_text() == "mine"
    with pytest.raises(InputError, match="fichier facultatif"):
        new_territory("ma-commune", ["hebergement"])
    new_territory("autre", ["all"])
    assert {f for f in optional_files() if (paths.RAW_DIR / "autre" / f).exists()} == set(optional_files())


def test_existing_folder_is_never_overwritten(sandbox):
    from helpers.run.scaffold import new_territory

    new_territory("ma-commune")
    (paths.RAW_DIR / "ma-commune" / "inventory.csv").write_text("mine")
    with pytest.raises(InputError, match="n'est jamais écrasé"):
        new_territory("ma-commune")
    assert (paths.RAW_DIR / "ma-commune" / "inventory.csv").read_text() == "mine"


@pytest.mark.parametrize("slug", ["../evil", "a/b", "Ma Commune"])
def test_unsafe_slug_is_refused(sandbox, slug):
    from helpers.run.scaffold import new_territory

    with pytest.raises(InputError):
        new_territory(slug)


def test_the_whole_computation_runs_on_the_examples(sandbox):
    """A new territory with every optional file, filled with the examples of exemples/, is a study that runs (every
    section, in-process, as in the batch's summary mode): a territory with one row per file, no video service and
    one maturity answer must not break any section."""
    import json

    from helpers.run.scaffold import available_schemas, new_territory
    from helpers.run.study import compute_sections

    folder = new_territory("ma-commune", ["all"])
    _fill_territory(folder)
    _use_examples(folder, [s.file for s, _, _ in available_schemas()])
    out = sandbox / "processed" / "ma-commune"
    compute_sections("ma-commune", n_draws=200, processed_dir=out)
    for section in ("ingest", "carbon", "services", "maturity", "actions"):
        assert json.loads((out / f"summary_{section}.json").read_text())
    carbon = json.loads((out / "summary_carbon.json").read_text())
    assert carbon["data"]["total_tco2e"]["value"] > 0
