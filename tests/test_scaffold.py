"""make new-territory: documented templates that validate as they are, and no overwrite of an existing folder."""

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


def _remove_example_marks(folder) -> None:
    """What the analyst does: drop the ``exemple`` column / ``EXEMPLE-`` prefix (keeping the values, which are
    consistent with each other, as a stand-in for real data)."""
    import csv
    import io

    for path in folder.glob("*.csv"):
        rows = list(csv.reader(io.StringIO(path.read_text())))
        if rows[0][-1] == "exemple":
            rows = [r[:-1] for r in rows]
        rows[1][0] = rows[1][0].removeprefix("EXEMPLE-")
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        path.write_text(buf.getvalue())


def test_templates_example_rows_are_refused_with_file_and_line(sandbox):
    """Every template's example row is marked; left in, the study refuses to run, naming each file and line 2."""
    from helpers.io.ingest import ingest_all
    from helpers.run.context import open_context
    from helpers.run.scaffold import available_schemas, new_territory

    new_territory("ma-commune")
    with pytest.raises(InputError) as exc:
        ingest_all(open_context("ma-commune"))
    flagged = {(p.file.rsplit("/", 1)[-1], p.row) for p in exc.value.problems}
    assert flagged == {(s.file, 2) for s, _, _ in available_schemas()}
    assert "ligne d'exemple" in str(exc.value)


def test_new_territories_are_not_illustrative(sandbox):
    from helpers.io.territory import load_territory
    from helpers.run.scaffold import new_territory

    new_territory("ma-commune")
    assert load_territory("ma-commune").illustrative is False


def test_templates_are_documented_and_valid_as_shipped(sandbox):
    from helpers.io.ingest import ingest_all
    from helpers.run.context import open_context
    from helpers.run.scaffold import available_schemas, new_territory

    folder = new_territory("ma-commune")
    files = {p.name for p in folder.iterdir()}
    expected = {s.file for s, _, _ in available_schemas()} | {"territory.yaml", "README.md"}
    assert files == expected
    readme = (folder / "README.md").read_text()
    for schema, _, _ in available_schemas():
        assert f"`{schema.file}`" in readme
        for col in schema.columns:
            assert f"`{col.name}`" in readme  # every column is explained
        header, example = (folder / schema.file).read_text().splitlines()[:2]
        assert header.split(",") in (schema.names(), schema.names() + ["exemple"]) and example  # one example row
    _remove_example_marks(folder)
    report = ingest_all(open_context("ma-commune"))  # the example rows are consistent with each other
    assert report.tables["inventory"]["quantity"].sum() > 0


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


def test_the_whole_computation_runs_on_the_templates_as_shipped(sandbox):
    """A fresh 'make new-territory' is a study that runs (every section, in-process, as in the batch's summary mode):
    a territory with one row per file, no video service and one maturity answer must not break any section."""
    import json

    from helpers.run.scaffold import new_territory
    from helpers.run.study import compute_sections

    _remove_example_marks(new_territory("ma-commune"))
    out = sandbox / "processed" / "ma-commune"
    compute_sections("ma-commune", n_draws=200, processed_dir=out)
    for section in ("ingest", "carbon", "services", "maturity", "actions"):
        assert json.loads((out / f"summary_{section}.json").read_text())
    carbon = json.loads((out / "summary_carbon.json").read_text())
    assert carbon["data"]["total_tco2e"]["value"] > 0
