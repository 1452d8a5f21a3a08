"""territory.yaml: the default territories load; every bad case is a clear error with its line."""

import pytest

from helpers.io.errors import InputError
from helpers.io.paths import check_slug
from helpers.io.territory import load_territory

VALID = """\
name: "Ville de Test"
kind: commune
population: 60000
agents: 700
reference_year: 2023
target_year: 2040
entities:
  - {id: ville, name: "Ville de Test"}
"""


def write(tmp_path, text):
    folder = tmp_path / "t"
    folder.mkdir(exist_ok=True)
    path = folder / "territory.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path, text):
    with pytest.raises(InputError) as exc:
        load_territory("t", write(tmp_path, text))
    return exc.value


def test_default_territories_load():
    lr = load_territory("la-rochelle")
    assert lr.reference_year == 2020 and lr.target_year == 2040
    assert lr.entity_ids == ["agglo", "ville", "ecoles", "ccas"]
    assert lr.maturity_subject == "agglo" and len(lr.peers) == 4
    mini = load_territory("test-mini")
    assert mini.electricity_factor_kgco2e_per_kwh == 0.05


def test_valid_minimal_file_gets_defaults(tmp_path):
    t = load_territory("t", write(tmp_path, VALID))
    assert t.milestone_year == 2030 and t.maturity_subject == "ville" and t.peers == ()


def test_an_empty_milestone_year_takes_the_default(tmp_path):
    """``milestone_year:`` left empty is the default 2030 (it ended in a TypeError before issue 37)."""
    t = load_territory("t", write(tmp_path, VALID + "milestone_year:\n"))
    assert t.milestone_year == 2030
    err = problems(tmp_path, VALID.replace("target_year: 2040", "target_year: 2028") + "milestone_year:\n")
    assert [p.column for p in err.problems] == ["milestone_year"]


def test_missing_key_is_named(tmp_path):
    err = problems(tmp_path, VALID.replace("agents: 700\n", ""))
    assert any(p.column == "agents" for p in err.problems)


def test_unknown_key_suggests_the_closest(tmp_path):
    err = problems(tmp_path, VALID + "populaton: 3\n")
    msg = str(err)
    assert "populaton" in msg and "vouliez-vous dire 'population'" in msg
    assert err.problems[0].row == 9


def test_wrong_types_and_ranges_all_reported(tmp_path):
    text = VALID.replace("population: 60000", "population: beaucoup").replace("target_year: 2040", "target_year: 2010")
    err = problems(tmp_path, text)
    cols = {p.column for p in err.problems}
    assert {"population", "target_year"} <= cols
    assert next(p for p in err.problems if p.column == "population").row == 3


def test_yaml_syntax_error_has_a_line(tmp_path):
    err = problems(tmp_path, VALID.replace("kind: commune", "kind: [commune"))
    assert err.problems[0].row is not None and "YAML valide" in str(err)


def test_yaml_is_loaded_safely(tmp_path):
    err = problems(tmp_path, VALID.replace('"Ville de Test"\nkind', '!!python/object/apply:os.system ["echo x"]\nkind'))
    assert "YAML valide" in str(err)


def test_duplicate_entity_ids(tmp_path):
    err = problems(tmp_path, VALID + "  - {id: ville, name: Autre}\n")
    assert any("ids uniques" in p.expected for p in err.problems)


def test_electricity_override_needs_a_source(tmp_path):
    err = problems(tmp_path, VALID + "electricity_factor_kgco2e_per_kwh: 0.02\n")
    assert any(p.column == "electricity_factor_source" for p in err.problems)
    err = problems(tmp_path, VALID + "electricity_factor_kgco2e_per_kwh: 12\nelectricity_factor_source: x\n")
    assert any(p.column == "electricity_factor_kgco2e_per_kwh" for p in err.problems)


@pytest.mark.parametrize("slug", ["../etc", "a/b", "..", "La Rochelle", "", "reference"])
def test_unsafe_slugs_are_refused(slug):
    with pytest.raises(InputError):
        check_slug(slug)


def test_missing_territory_folder_says_how_to_create_it():
    with pytest.raises(InputError) as exc:
        load_territory("does-not-exist")
    assert "make new-territory" in str(exc.value)
