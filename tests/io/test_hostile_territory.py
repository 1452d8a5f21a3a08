"""Hostile ``territory.yaml`` files and command-line arguments: each refused early, in French, naming the file and
the line, within bounded time and memory (the costly attacks run in a subprocess with ``RLIMIT_AS`` and a timeout).

Attacks from issue 21: alias bomb (1 KB → 59 s, 3.4 GB), 20,000-deep nesting (RecursionError), cp1252 / UTF-16
files ("UnicodeDecodeError" without the file), duplicate keys (last one won), population 10^30, agents > population,
a slug with a trailing newline (created ``data/raw/atk-nl\\n/``), ``--draws 0/-5/1`` and ``--seed -1`` (crashed inside
the notebooks).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers.io import paths
from helpers.io.errors import InputError
from helpers.io.territory import MAX_POPULATION, MAX_YAML_BYTES, MAX_YAML_DEPTH, load_territory

ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT = 1024 * 1024 * 1024  # 1 GiB of address space for the whole child interpreter
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


def write(tmp_path, data, name="t") -> Path:
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    path = folder / "territory.yaml"
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def refused(path: Path) -> InputError:
    with pytest.raises(InputError) as exc:
        load_territory("t", path)
    return exc.value


def bounded_load(path: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """``load_territory`` in a child limited to :data:`MEMORY_LIMIT` of memory and ``timeout`` seconds; prints the
    error message, exit 3 on InputError, 0 when it loaded."""
    code = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))
        sys.path.insert(0, {str(ROOT / 'src')!r})
        from helpers.io.errors import InputError
        from helpers.io.territory import load_territory
        try:
            load_territory("t", {str(path)!r})
        except InputError as exc:
            print(exc)
            sys.exit(3)
    """)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)


# --- resource attacks (subprocess, bounded) ---------------------------------------------------------------------

def test_alias_bomb_is_refused_at_once(tmp_path):
    """The classic "billion laughs": 9 levels of 9 aliases, under 1 KB, expanding to 9^9 items."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    text = VALID + "\n".join(lines) + "\n"
    assert len(text.encode()) < 1024 + len(VALID)
    res = bounded_load(write(tmp_path, text))
    assert res.returncode == 3, res.stdout + res.stderr
    assert "territory.yaml, ligne 9" in res.stdout and "alias" in res.stdout


def test_a_single_anchor_is_refused_too(tmp_path):
    err = refused(write(tmp_path, VALID + "description: &d texte\n"))
    assert err.problems[0].row == 9 and "ancre" in str(err)


@pytest.mark.parametrize("shape", ["flow", "block"])
def test_deep_nesting_is_refused_without_recursion_error(tmp_path, shape):
    depth = 20_000
    if shape == "flow":
        deep = "[" * depth + "]" * depth
    else:
        deep = "\n  " + "- " * depth + "x"  # "- - x" is a list in a list: 2 bytes per level
    res = bounded_load(write(tmp_path, VALID + "description: " + deep + "\n"))
    assert res.returncode == 3, res.stdout + res.stderr[-2000:]
    assert "RecursionError" not in res.stdout + res.stderr
    assert f"imbrication d'au plus {MAX_YAML_DEPTH} niveaux" in res.stdout and "territory.yaml, ligne" in res.stdout


def test_a_file_over_the_size_cap_is_refused_before_reading(tmp_path):
    path = write(tmp_path, VALID + "description: '" + "x" * MAX_YAML_BYTES + "'\n")
    err = refused(path)
    assert "territory.yaml" in str(err) and "plafond" in str(err) and "1 Mio" in str(err)


def test_a_fifo_is_refused_without_blocking(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    os.mkfifo(folder / "territory.yaml")
    res = bounded_load(folder / "territory.yaml", timeout=30)  # opening a FIFO would block forever
    assert res.returncode == 3 and "tube nommé" in res.stdout


def test_a_symlink_out_of_the_folder_is_not_read(tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text(VALID.replace("Ville de Test", "SECRET-CONTENT"), encoding="utf-8")
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "territory.yaml").symlink_to(secret)
    err = refused(folder / "territory.yaml")
    assert "hors du dossier" in str(err) and "SECRET-CONTENT" not in str(err)


# --- encodings ----------------------------------------------------------------------------------------------------

def test_cp1252_is_refused_naming_the_file_and_line(tmp_path):
    err = refused(write(tmp_path, VALID.replace("Ville de Test\"\nkind", "Ville de Tést\"\nkind").encode("cp1252")))
    p = err.problems[0]
    assert p.file.endswith("territory.yaml") and p.row == 1 and "UTF-8" in p.expected and "0xE9" in str(p.value)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_utf8_bom_and_utf16_bom_are_accepted(tmp_path, encoding):
    text = VALID.replace("Ville de Test\"\nkind", "Ville de Tést\"\nkind")
    t = load_territory("t", write(tmp_path, text.encode(encoding)))  # Python's utf-16 codec writes the BOM
    assert t.name == "Ville de Tést"


def test_utf16_without_bom_is_refused(tmp_path):
    err = refused(write(tmp_path, VALID.encode("utf-16-le")))
    assert err.problems[0].file.endswith("territory.yaml")


# --- meaning ------------------------------------------------------------------------------------------------------

def test_duplicate_top_level_key_names_both_lines(tmp_path):
    err = refused(write(tmp_path, VALID + "population: 90000\n"))
    p = err.problems[0]
    assert p.row == 9 and p.column == "population" and "déjà donnée ligne 3" in p.expected


def test_duplicate_key_inside_an_entity(tmp_path):
    err = refused(write(tmp_path, VALID + "  - {id: ecoles, name: A, name: B}\n"))
    assert err.problems[0].row == 9 and "« name » est déjà donnée ligne 9" in err.problems[0].expected


@pytest.mark.parametrize("population", [10**30, MAX_POPULATION + 1, 0, -5])
def test_implausible_population_is_refused(tmp_path, population):
    err = refused(write(tmp_path, VALID.replace("population: 60000", f"population: {population}")))
    p = next(p for p in err.problems if p.column == "population")
    assert p.row == 3 and "70 000 000" in p.expected


def test_population_at_the_bound_is_accepted(tmp_path):
    text = VALID.replace("population: 60000", f"population: {MAX_POPULATION}")
    assert load_territory("t", write(tmp_path, text)).population == MAX_POPULATION


def test_more_agents_than_inhabitants_is_refused(tmp_path):
    err = refused(write(tmp_path, VALID.replace("agents: 700", "agents: 60001")))
    p = next(p for p in err.problems if p.column == "agents")
    assert p.row == 4 and "au plus la population (60000)" in p.expected


def test_entity_larger_than_the_territory_is_refused(tmp_path):
    err = refused(write(tmp_path, VALID + "  - {id: ecoles, name: Écoles, population: 60001}\n"))
    p = err.problems[0]
    assert p.column == "entities[1]" and p.row == 9 and "celle du territoire" in p.expected


def test_control_characters_in_a_name_are_refused_with_the_line(tmp_path):
    err = refused(write(tmp_path, VALID.replace('"Ville de Test"\nkind', '"Ville\\x07 de Test"\nkind')))
    p = err.problems[0]
    assert p.column == "name" and p.row == 1 and "contrôle" in p.expected


def test_file_settings_are_validated(tmp_path):
    t = load_territory("t", write(tmp_path, VALID + 'files: {achats.csv: {decimal: ","}}\n'))
    assert t.file_settings == {"achats.csv": {"decimal": ","}}
    err = refused(write(tmp_path, VALID + 'files: {achats.csv: {decimal: ";"}}\n'))
    assert err.problems[0].column == "files" and err.problems[0].row == 9


@pytest.mark.parametrize("slug", ["atk-nl\n", "ok\n", "a" * 64, "-x", "x\x00"])
def test_slugs_are_fully_matched(slug):
    with pytest.raises(InputError):
        paths.check_slug(slug)


def test_new_territory_with_a_trailing_newline_creates_nothing(tmp_path, monkeypatch):
    from helpers.run import scaffold

    monkeypatch.setattr(paths, "RAW_DIR", tmp_path / "raw")
    with pytest.raises(InputError):
        scaffold.new_territory("atk-nl\n")
    assert not (tmp_path / "raw").exists() or not any((tmp_path / "raw").iterdir())


# --- command-line arguments: refused before any kernel starts -----------------------------------------------------

def _cli(tmp_path, *args, module="helpers.run.cli") -> subprocess.CompletedProcess:
    (tmp_path / "outputs").mkdir(exist_ok=True)
    env = dict(os.environ, SNR_PROJECT_ROOT=str(tmp_path), PYTHONPATH=str(ROOT / "src"))
    return subprocess.run([sys.executable, "-m", module, *args], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("args", [("--draws", "0"), ("--draws", "-5"), ("--draws", "1"), ("--draws", "99"),
                                  ("--draws", "1000001"), ("--seed", "-1")])
def test_study_refuses_bad_parameters_before_running(tmp_path, args):
    res = _cli(tmp_path, "study", "--territory", "test-mini", *args)
    assert res.returncode == 2, res.stdout + res.stderr
    assert "Paramètres refusés" in res.stderr and args[0] in res.stderr and "Traceback" not in res.stderr
    assert "Étude SNR" not in res.stdout  # nothing started
    assert [p.name for p in (tmp_path / "outputs").iterdir()] == []


@pytest.mark.parametrize("args", [("--draws", "0"), ("--seed", "-1"), ("--workers", "0")])
def test_batch_refuses_bad_parameters_before_running(tmp_path, args):
    res = _cli(tmp_path, *args, module="helpers.run.batch")
    assert res.returncode == 2, res.stdout + res.stderr
    assert "Paramètres refusés" in res.stderr and args[0] in res.stderr and "Traceback" not in res.stderr


def test_the_minimum_draws_are_accepted():
    from helpers.run.pipeline import MIN_DRAWS, check_run_parameters

    assert check_run_parameters(0, MIN_DRAWS) == []
    assert len(check_run_parameters(-1, MIN_DRAWS - 1)) == 2


def test_a_hostile_territory_leaves_the_previous_publication_untouched(tmp_path):
    """Through the command line, with a publication already in place: the alias bomb is refused (exit 2, French,
    file and line) within 1 GiB and a timeout, and both published folders are byte for byte as before."""
    import hashlib

    slug = "atk"
    (tmp_path / "data/raw" / slug).mkdir(parents=True)
    bomb = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    bomb += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    (tmp_path / "data/raw" / slug / "territory.yaml").write_text(VALID + "\n".join(bomb) + "\n", encoding="utf-8")
    code = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))
        sys.path.insert(0, {str(ROOT / 'src')!r})
        from helpers.io import paths
        from helpers.run import cli, publication
        if sys.argv[1] == "publish":
            st = publication.begin({slug!r})
            (st.processed / "table.csv").write_text("old")
            (st.outputs / "summary.json").write_text("old")
            publication.commit(st)
        else:
            sys.exit(cli.main(["study", "--territory", {slug!r}, "--draws", "200"]))
    """)
    env = dict(os.environ, SNR_PROJECT_ROOT=str(tmp_path))

    def run(what):
        return subprocess.run([sys.executable, "-c", code, what], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=120)

    def published():
        return {p.relative_to(tmp_path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for sub in (f"outputs/{slug}", f"data/processed/{slug}") for p in (tmp_path / sub).rglob("*")
                if p.is_file()}

    assert run("publish").returncode == 0
    before = published()
    assert len(before) == 2
    res = run("study")
    assert res.returncode == 2, res.stdout + res.stderr
    assert f"data/raw/{slug}/territory.yaml, ligne 9" in res.stderr and "alias" in res.stderr
    assert "Traceback" not in res.stderr
    assert published() == before


# --- YAML 1.1 oddities (issue 31, case 4): integers read as written, never silently converted --------------------------


def test_a_population_written_with_a_leading_zero_is_read_as_written_not_as_octal(tmp_path):
    """``population: 0172000``: YAML 1.1 read the octal 62,464; read as written (YAML 1.2 core), 172,000."""
    territory = load_territory("t", write(tmp_path, VALID.replace("population: 60000", "population: 0172000")))
    assert territory.population == 172_000


@pytest.mark.parametrize("text,shown", [("agents: 50:00", "'50:00'"), ("agents: 1_000", "'1_000'"),
                                        ("agents: 7 00", "'7 00'")])
def test_a_sexagesimal_or_underscored_number_is_refused_not_converted(tmp_path, text, shown):
    """``agents: 50:00``: YAML 1.1 read the sexagesimal 3,000; here a text, refused naming its line and why."""
    message = str(refused(write(tmp_path, VALID.replace("agents: 700", text))))
    assert f"ligne 4, colonne 'agents' : trouvé {shown}" in message
    assert "lue comme un texte (YAML 1.2)" in message and "3000" not in message


@pytest.mark.parametrize("text,value", [("reference_year: 2023", 2023), ("reference_year: 0x7E7", 2023),
                                        ("reference_year: 0o3747", 2023)])
def test_integers_marked_as_hexadecimal_or_octal_are_read_as_marked(tmp_path, text, value):
    assert load_territory("t", write(tmp_path, VALID.replace("reference_year: 2023", text))).reference_year == value


def test_yes_and_on_are_texts_not_booleans(tmp_path):
    """A status ``on`` or ``yes`` of an export stays a text key (YAML 1.1 made it True); ``illustrative: yes`` is
    refused (true or false), not guessed."""
    territory = load_territory("t", write(tmp_path, VALID + "statuses: {on: in_service, yes: in_stock}\n"))
    assert territory.statuses == {"on": "in_service", "yes": "in_stock"}
    assert "true ou false" in str(refused(write(tmp_path, VALID + "illustrative: yes\n")))


def test_an_infinite_electricity_factor_is_refused(tmp_path):
    text = VALID + "electricity_factor_kgco2e_per_kwh: .inf\nelectricity_factor_source: contrat\n"
    assert "entre 0 et 1,5" in str(refused(write(tmp_path, text)))
