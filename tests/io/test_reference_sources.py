"""The reference library cites public sources only (issue 18 and issue 20).

Every data table of ``data/raw/reference/`` says where each row comes from: a non-empty ``source`` (and ``vintage``
where the table has that column), never an internal file of the project (``shared/reference/domain-facts.md``
and the like), and a press article or a blog only when it says so. The electricity vintages cover every year from
the first to the last row without a gap.
"""
from __future__ import annotations

import re

import pandas as pd
import pytest

from helpers.io.paths import PROJECT_ROOT

REFERENCE_DIR = PROJECT_ROOT / "data" / "raw" / "reference"
TABLES = sorted(REFERENCE_DIR.glob("*.csv"))

#: lookup tables (synonyms, statuses) that hold no fact, hence no source column
NO_SOURCE_COLUMN = {"asset_statuses.csv", "category_synonyms.csv", "export_type_synonyms.csv"}

#: references to the project's own working files, which are not a source a reader can open
INTERNAL = re.compile(r"domain-facts|shared/reference|/work/|peer-tools\.md|published-peers\.md", re.IGNORECASE)

#: secondary sites (press, blogs, document mirrors, vendors) and the words that label them as such
SECONDARY_HOSTS = ("silicon.fr", "macg.co", "actu-environnement.com", "ekodev.com", "francebleu.fr",
                   "channelnews.fr", "paperzz.com", "businessdocbox.com", "jetiserv.com", "generation-nt.com",
                   "alliancy.fr", "ezeep.com", "imprimantelaser.org", "aguaro.io", "elusgauchenm.fr",
                   "dailymotion.com", "selectra.info")
LABELS = re.compile(r"press|presse|copy read at|relayed|rapporté|blog|vendor|éditeur|vidéo|secondaire|secondary|"
                    r"site du groupe", re.IGNORECASE)


def _read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_the_reference_tables_are_found():
    names = {p.name for p in TABLES}
    assert {"factors.csv", "electricity_vintages.csv", "unit_prices.csv", "actions_catalogue.csv"} <= names


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_no_reference_table_cites_an_internal_path(path):
    df = _read(path)
    hits = [(i + 2, col, val[:120]) for col in df.columns for i, val in enumerate(df[col]) if INTERNAL.search(val)]
    assert not hits, f"{path.name}: internal path given as a source: {hits[:5]}"


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_every_row_has_a_source_and_a_vintage(path):
    df = _read(path)
    if path.name in NO_SOURCE_COLUMN:
        assert "source" not in df.columns
        return
    assert "source" in df.columns, f"{path.name} has no source column"
    for col in ("source", "vintage"):
        if col in df.columns:
            empty = [i + 2 for i, v in enumerate(df[col]) if not v.strip()]
            assert not empty, f"{path.name}: rows {empty} have no {col}"


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_a_press_article_or_a_blog_is_named_as_such(path):
    df = _read(path)
    bad = [(i + 2, col, host) for col in df.columns for i, val in enumerate(df[col])
           for host in SECONDARY_HOSTS if host in val and not LABELS.search(val)]
    assert not bad, f"{path.name}: secondary site cited as if it were the primary source: {bad[:5]}"


def test_electricity_vintages_cover_every_year_between_the_first_and_the_last():
    v = _read(REFERENCE_DIR / "electricity_vintages.csv")
    years = sorted(int(y) for y in v["year"])
    assert years == list(range(years[0], years[-1] + 1)), years
    assert len(set(years)) == len(years)
    for col in ("source", "vintage", "status", "label"):
        assert v[col].str.strip().ne("").all(), col
    assert set(v["status"]) <= {"sourced"}


def test_sourced_unit_prices_carry_a_dated_source():
    """A price marked ``sourced`` has a source that is not the study's own hypothesis and a dated vintage."""
    p = _read(REFERENCE_DIR / "unit_prices.csv")
    assert set(p["status"]) <= {"sourced", "assumption"}
    for _, r in p[p["status"] == "sourced"].iterrows():
        assert "hypothèse" not in r["source"].lower(), r["item"]
        assert re.search(r"(19|20)\d\d", r["vintage"]), r["item"]
    for _, r in p[p["status"] == "assumption"].iterrows():
        assert "hypothèse" in r["source"].lower() or "assumption" in r["source"].lower(), r["item"]


def test_the_checks_catch_an_internal_path_and_an_unlabelled_press_link(tmp_path):
    """The patterns used above do fire (so the tests can fail)."""
    assert INTERNAL.search("value as quoted in shared/reference/domain-facts.md §4.2")
    assert INTERNAL.search("Nantes Métropole (domain-facts §6.2)")
    val = "https://silicon.fr/Thematique/green-it-1374/Breves/x.htm"
    assert any(h in val for h in SECONDARY_HOSTS) and not LABELS.search(val)
    assert LABELS.search("chiffres rapportés par la presse : " + val)
