"""Sparse territories (issue 33): the chain runs and publishes on a bare inventory, a one-category inventory (one
entity), test-mini without its maturity questionnaire and test-mini without its services; every absent input is said
"non fourni" (never a zero or a zero interval), no table is empty, no heading is left without content, no sentence
contradicts itself, counts and names agree in French, and the pages keep their budgets.

The chains are the session fixture ``sparse_project`` (``conftest.SPARSE_VARIANTS``), one run per variant shared by
every test here.
"""

from __future__ import annotations

import html
import json
import re

import pytest

from helpers.report import publish

pytestmark = pytest.mark.e2e


def _out(project):
    root, slug, _ = project
    return root / "outputs" / slug


def _page(project, name=publish.MAIN_FILE) -> str:
    return (_out(project) / name).read_text(encoding="utf-8")


def _text(page: str) -> str:
    """The reader's text of a page body: tags removed, entities decoded, every space one space."""
    body = page.split("<body>", 1)[-1]
    body = re.sub(r"<(script|style|title)[^>]*>.*?</\1>", " ", body, flags=re.S)
    body = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return re.sub(r"\s+", " ", body.replace("\u202f", " ").replace("\xa0", " "))


def _summary(project) -> dict:
    return json.loads((_out(project) / "summary.json").read_text(encoding="utf-8"))


def test_the_chain_publishes_every_sparse_variant(sparse_project):
    """Main page, annex, summary.json and tables.xlsx exist; summary.json says which inputs were given."""
    out = _out(sparse_project)
    for name in (publish.MAIN_FILE, publish.ANNEX_FILE, "summary.json", "tables.xlsx"):
        assert (out / name).is_file(), name
    provided = _summary(sparse_project)["inputs_provided"]
    assert provided["inventory.csv"] is True


def test_an_absent_input_is_said_non_fourni_never_zero(sparse_project):
    """Purchases, the maturity questionnaire and the services, when their file is absent, are said "non fourni(s)"
    on the main page; no figure of the page is a zero interval ("0 [0 – 0]", "0,0 [0,0 – 0,0]")."""
    page = _page(sparse_project)
    text = _text(page)
    provided = _summary(sparse_project)["inputs_provided"]
    if not provided.get("purchases.csv"):
        assert re.search(r"Achats de services et logiciels[^.]{0,80}non fourni", text), "purchases"
    if not provided.get("maturity.csv"):
        assert "Questionnaire de maturité : non fourni" in text
        assert "moins de 80 % du questionnaire est traité" not in text
        assert "Complétude du questionnaire : 0 %" not in text
    if not provided.get("services.csv"):
        assert "Services numériques clés : non fournis" in text
        assert "Services étudiés" not in text  # no heading of a part that has nothing to show
    zero = re.findall(r"(?<![\d,])0(?:,0+)? \[0(?:,0+)? – 0(?:,0+)?\]", text)
    assert not zero, zero


def test_no_table_is_empty_and_every_table_has_a_caption(sparse_project):
    """Both pages: every table has a caption, header cells with a scope, and at least one data row."""
    for name in (publish.MAIN_FILE, publish.ANNEX_FILE):
        page = _page(sparse_project, name)
        for table in re.findall(r"<table[^>]*>.*?</table>", page, re.S):
            assert "<caption>" in table, (name, table[:200])
            assert re.search(r"<td[ >]", table), (name, table[:300])
            assert all("scope=" in th for th in re.findall(r"<th(?:\s[^>]*)?>", table)), (name, table[:300])


def test_no_heading_is_left_without_content(sparse_project):
    """Every H3/H4 of the main page is followed by content before the next heading of its level or above."""
    page = _page(sparse_project).split("<main", 1)[1]
    parts = re.split(r"(<h[2-4][^>]*>.*?</h[2-4]>)", page, flags=re.S)
    for i in range(1, len(parts) - 1, 2):
        level = int(parts[i][2])
        if level == 2:
            continue
        following = parts[i + 1]
        nxt = parts[i + 2] if i + 2 < len(parts) else ""
        deeper = nxt.startswith("<h") and int(nxt[2]) > level
        assert _text(following).strip() or deeper, parts[i]


#: sentences that contradict themselves, or a count and its noun that disagree (issue 33's examples and their kin)
CONTRADICTIONS = (
    r"datés sur 0 années", r"\b1 coûtent\b", r"\b1 (?:lignes|fichiers|actions|équipements|entités|jours|années|axes"
    r"|facteurs|collectivités|questions|critères|services|valeurs|hypothèses)\b", r"\(s\)",
    r"\bde (?:Commune|Ville|Eurométropole|Métropole|Département|Région|Communauté|Mairie|Agglomération)\b",
    r"une partie des quantités sont des hypothèses",
)


def test_no_contradiction_and_french_grammar(sparse_project):
    """No "achats datés sur 0 années …", no "1 coûtent", no "1 lignes", no "(s)", no "de Commune de …" on either page;
    the territory's and its entities' names never follow a bare "de" when they take an article ("de
    Eurométropole …")."""
    from helpers.io.french import de_name

    root, slug, _ = sparse_project
    from helpers.io.territory import load_territory

    t = load_territory(slug, root / "data/raw" / slug / "territory.yaml")
    names = [(t.name, t.kind, t.article)] + [(e.name, e.kind, e.article) for e in t.entities]
    for page in (publish.MAIN_FILE, publish.ANNEX_FILE):
        text = _text(_page(sparse_project, page))
        for pattern in CONTRADICTIONS:
            found = re.findall(pattern, text)
            assert not found, (page, pattern, found[:3])
        for name, kind, article in names:
            if de_name(name, kind, article) != f"de {name}":
                assert f"de {name}" not in text, (page, name)


def test_sparse_pages_keep_their_budgets(sparse_project):
    main, annex = _page(sparse_project), _page(sparse_project, publish.ANNEX_FILE)
    assert publish.check_page_budget(main, publish.MAX_MAIN_PAGE_BYTES, publish.MAX_MAIN_DOM_ELEMENTS) == []
    assert publish.check_page_budget(annex) == []


def test_the_synthesis_names_the_territory_with_its_article(sparse_project):
    """The footprint sentence embeds the name after "de" with its article (kind or first word of the name)."""
    from helpers.io.french import de_name

    s = _summary(sparse_project)["territory"]
    text = _text(_page(sparse_project))
    assert f"du numérique {de_name(s['name'], s['kind'], s.get('article'))} est estimée" in text
