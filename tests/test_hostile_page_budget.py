"""The page budget holds by design: a territory listing 100 entities (an agglomeration and its communes) publishes.

Issue 21: "An agglomeration listing its 40 communes as entities fails after the whole computation: page has 1043
DOM elements (budget 1000)". In-process checks bound what each growing list costs on the page; one papermill run
(module-scoped, marked e2e) publishes a 100-entity territory and checks the page within its budget and the full list
in ``tables.xlsx``.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers.io.territory import Entity
from helpers.report import page_budget

ROOT = Path(__file__).resolve().parents[1]
N_ENTITIES = 100


def _elements(markdown: str) -> int:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return len(re.findall(r"<[a-zA-Z]", markdown2html_mistune(markdown)))


class _Territory:
    """The attributes ``helpers.report.ingest.territory_markdown`` reads."""

    def __init__(self, n: int):
        self.name = "Agglomération de Test"
        self.population, self.agents, self.reference_year, self.target_year = 200_000, 2_000, 2023, 2040
        self.entities = tuple(Entity(f"commune-{i:03d}", f"Commune n°{i} *de test*") for i in range(n))
        self.peers = tuple(Entity(f"peer-{i:03d}", f"Pair {i}") for i in range(n))


class _Report:
    provided, files, warnings = {}, {}, []


@pytest.mark.parametrize("n", [3, 40, N_ENTITIES, 1000])
def test_territory_text_costs_the_same_whatever_the_number_of_entities(n):
    from helpers.report.ingest import territory_markdown

    text = territory_markdown(_Territory(n), _Report())
    cost = _elements(text)
    assert cost <= _elements(territory_markdown(_Territory(page_budget.MAX_LISTED + 1), _Report()))
    if n > page_budget.MAX_LISTED:
        assert f"… et {n - page_budget.MAX_LISTED} autres entités" in text and "feuille « Entités »" in text
        assert f"… et {n - page_budget.MAX_LISTED} autres collectivités" in text
    else:
        assert "autres entités" not in text


def test_fleet_table_has_at_most_six_entity_columns():
    """100 entities: 5 largest kept (by total quantity), 95 summed in one column; totals unchanged."""
    from helpers.report.ingest import fleet_overview

    rows = [{"entity": f"e{i:03d}", "category": cat, "quantity": (i + 1) * k}
            for i in range(N_ENTITIES) for k, cat in enumerate(("laptop", "screen_small"), start=1)]
    inventory = pd.DataFrame(rows)
    categories = pd.DataFrame({"category": ["laptop", "screen_small"], "label_fr": ["Portable", "Écran"]})
    table = fleet_overview(inventory, categories)
    assert list(table.columns) == ["Catégorie", "e095", "e096", "e097", "e098", "e099", "Autres entités (95)", "Total"]
    # hand check: laptops are quantity i+1 for i in 0..99, sum 5050; the five largest 96..100 sum 490
    laptop = table.set_index("Catégorie").loc["Portable"]
    assert laptop["Total"] == 5050 and laptop["Autres entités (95)"] == 5050 - 490


def test_top_columns_leaves_a_short_table_alone():
    df = pd.DataFrame({"a": [1], "b": [2]})
    assert page_budget.top_columns(df, ["a", "b"]) is df


def test_entities_sheet_lists_every_entity_and_peer():
    table = page_budget.entities_table(_Territory(N_ENTITIES))
    assert len(table) == 2 * N_ENTITIES and table["id"].iloc[-1] == "peer-099"


# ------------------------------------------------------------------------------------------------------------
# One real publication of a 100-entity territory
# ------------------------------------------------------------------------------------------------------------

def _make_big_territory(root: Path) -> str:
    slug = "agglo-100"
    src = root / "data/raw/test-mini"
    dest = root / "data/raw" / slug
    shutil.copytree(src, dest)
    yaml_text = (dest / "territory.yaml").read_text(encoding="utf-8")
    # the first communes carry hostile text: markup, a bare URL, a formula, a dollar (figures' mathtext)
    hostile = ['=HYPERLINK(\\"http://evil.example\\",\\"clic\\") **gras**', "https://evil.example/p _x_",
               "# Titre | a | $x$ `code`", "- liste [lien](http://evil.example)"]
    names = [hostile[i] if i < len(hostile) else f"Commune n°{i}" for i in range(N_ENTITIES - 2)]
    extra = "".join(f'  - {{id: commune-{i:03d}, name: "{name}", kind: commune}}\n' for i, name in enumerate(names))
    yaml_text = yaml_text.replace("peers:\n", extra + "peers:\n", 1)
    yaml_text = re.sub(r'^name: .*$', 'name: "Agglo **gras** https://evil.example/x =1+1"', yaml_text, count=1,
                       flags=re.M)
    (dest / "territory.yaml").write_text(yaml_text, encoding="utf-8")
    inv = (dest / "inventory.csv").read_text(encoding="utf-8").splitlines()
    header, first = inv[0], inv[1]  # M-01,mairie,laptop,100,…
    fields = first.split(",")
    for i in range(N_ENTITIES - 2):
        fields[0], fields[1], fields[3] = f"C-{i:03d}", f"commune-{i:03d}", str(1 + i % 7)
        inv.append(",".join(fields))
    (dest / "inventory.csv").write_text("\n".join([header] + inv[1:]) + "\n", encoding="utf-8")
    return slug


@pytest.fixture(scope="module")
def big_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("big")
    for sub in ("notebooks", "data/raw/reference", "data/raw/test-mini"):
        shutil.copytree(ROOT / sub, root / sub)
    (root / "data/processed").mkdir(parents=True)
    (root / "outputs").mkdir()
    slug = _make_big_territory(root)
    env = dict(os.environ, SNR_PROJECT_ROOT=str(root), PYTHONHASHSEED="0")
    proc = subprocess.run([sys.executable, "-m", "helpers.run.cli", "study", "--territory", slug, "--draws", "200"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=1200)
    return root, slug, proc


@pytest.mark.e2e
def test_a_territory_with_100_entities_publishes_within_budget(big_run):
    from helpers.report.publish import check_page_budget

    root, slug, proc = big_run
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = (root / "outputs" / slug / "diagnostic.html").read_text(encoding="utf-8")
    assert check_page_budget(page) == []
    assert f"… et {N_ENTITIES - page_budget.MAX_LISTED} autres entités" in page
    # hostile names are shown as typed: no link to them, no bold, no heading made of them
    assert "evil.example" in page and 'href="http://evil.example' not in page and 'href="https://evil.example' not in page
    assert "<strong>gras</strong>" not in page and "Titre | a |" in html.unescape(page)


@pytest.mark.e2e
def test_the_100_entities_are_in_full_in_tables_xlsx(big_run):
    from openpyxl import load_workbook

    from helpers.io.safe_write import formula_cells

    root, slug, proc = big_run
    assert proc.returncode == 0, proc.stdout + proc.stderr
    path = root / "outputs" / slug / "tables.xlsx"
    ws = load_workbook(path)[page_budget.ENTITIES_SHEET]
    ids = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)
           if row[0] == "entité du périmètre"]  # header on row 1; French roles (issue 33)
    assert len(ids) == N_ENTITIES and "commune-097" in ids
    assert formula_cells(path) == []
