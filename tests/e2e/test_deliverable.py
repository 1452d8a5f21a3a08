"""The published diagnostic as a deliverable (issue 20): main page and annex, synthesis for decision-makers,
glossary, budgets."""

from __future__ import annotations

import re

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from helpers.model import trajectory as tj
from helpers.report import publish, sections


def _nb(cells):
    nb = new_notebook()
    nb.cells = cells
    return nb


def _annex(source, code=False):
    cell = new_code_cell(source) if code else new_markdown_cell(source)
    cell.metadata["tags"] = ["annex"]
    return cell


def test_annex_cells_leave_the_main_page_with_their_section_heading():
    """A detail cell tagged 'annex' under '## 3. Impact' / '### Incertitude' moves to the annex, preceded there by
    those two headings (once), and the main page keeps one link to the annex's section 3."""
    nb = _nb([new_markdown_cell("## 3. Impact\n\ntexte"), new_markdown_cell("### Incertitude"),
              _annex("détail A"), _annex("détail B"), new_markdown_cell("## 4. Maturité")])
    main, annex = publish.split_annex(nb)
    main_text = [c.source for c in main.cells]
    assert not any("détail" in t for t in main_text)
    assert [c.source for c in annex.cells] == ["## 3. Impact", "### Incertitude", "détail A", "détail B"]
    links = [t for t in main_text if "annexes.html#3-impact" in t]
    assert len(links) == 1


def test_an_annex_subsection_brings_only_its_h2_context():
    """An annex cell that starts with its own H3 gets the H2 of its section before it, not the previous H3."""
    nb = _nb([new_markdown_cell("## 3. Impact"), new_markdown_cell("### Par phase"),
              _annex("### Vue multicritère\n\ntexte"), _annex("table", code=True)])
    _, annex = publish.split_annex(nb)
    assert [c.source for c in annex.cells] == ["## 3. Impact", "### Vue multicritère\n\ntexte", "table"]


def test_main_page_budget_is_stricter_than_the_annex_budget():
    """650 elements: within the annex budget (1,000), over the main page's (600)."""
    page = "<p>" + "<span>x</span>" * 649 + "</p>"
    assert publish.check_page_budget(page) == []
    problems = publish.check_page_budget(page, publish.MAX_MAIN_PAGE_BYTES, publish.MAX_MAIN_DOM_ELEMENTS)
    assert problems == ["la page a 650 éléments DOM (budget 600)"]


def test_toc_comes_after_the_synthesis():
    """On a phone the first screen shows the synthesis (numbers), the table of contents follows it."""
    page = publish.render_html(_nb([new_markdown_cell("## 1. Synthèse\n\n661 tCO2e"),
                                    new_markdown_cell("## 2. État")]), "Diagnostic")
    assert page.index("661 tCO2e") < page.index('<nav aria-label="Sommaire">') < page.index('id="2-etat"')


def _summary(plan_2030: float, target_2030: float, cumulative: float, budget: float) -> dict:
    t = {"milestone_year": 2030, "reference_year": 2020, "target_year": 2040, "plan_2030_tco2e": plan_2030,
         "target_2030_tco2e": target_2030}
    t.update(tj.milestone_verdict(plan_2030, target_2030, cumulative, budget, 661.0))
    return {
        "territory": {"name": "Ville de Test", "reference_year": 2020, "target_year": 2040},
        "carbon": {"total_tco2e": {"value": 661.0, "low": 500.0, "high": 900.0},
                   "physical_tco2e": {"value": 439.0, "low": 400.0, "high": 480.0},
                   "spend_based_tco2e": {"value": 222.0, "low": 74.0, "high": 667.0},
                   "per_agent_kgco2e": {"value": 220.0, "low": 170.0, "high": 300.0},
                   "by_tier": {"terminals": 280.0, "services": 222.0, "paper": 52.0},
                   "equipment_manufacturing_share": 0.76},
        "maturity": {"published": True, "score_pct": 59.0, "level": "Structuré"},
        "plan_reduction_tco2e_per_year": {"value": 173.4, "low": 149.0, "high": 215.0},
        "plan_reduction_balance_tco2e_per_year": {"value": 170.0, "low": 146.0, "high": 212.0},
        "plan_reduction_services_tco2e_per_year": {"value": 3.4, "low": 2.3, "high": 5.7},
        "plan": {"status": "adopted", "start_year": 2022, "reduction_pct_of_reference": 170.0 / 661.0 * 100,
                 "actions_in_plan": ["A02", "A01", "A13"], "complementary_actions": ["A05"]},
        "trajectory": t,
        "actions": [
            {"id": "A01", "title": "Allonger la durée de vie", "kind": "reduction", "rank": 2, "selected": True,
             "reduction_tco2e_per_year": {"value": 31.0, "low": 20.0, "high": 48.0}},
            {"id": "A02", "title": "Reconditionné", "kind": "reduction", "rank": 1, "selected": True,
             "reduction_tco2e_per_year": {"value": 19.0, "low": 9.0, "high": 30.0}},
            {"id": "A13", "title": "Imprimer moins", "kind": "reduction", "rank": 3, "selected": True,
             "reduction_tco2e_per_year": {"value": 26.0, "low": 20.0, "high": 41.0}},
            {"id": "A05", "title": "Hors plan", "kind": "reduction", "rank": None, "selected": False,
             "reduction_tco2e_per_year": {"value": 50.0, "low": 40.0, "high": 60.0}},
        ],
    }


def test_synthesis_sentences_state_the_summary():
    """Physical scope first (issue 32): 439 t 'entre 400 et 480'; the purchases apart, 222 t 'entre 74 et 667', then
    the total 661 t 'entre 500 et 900' the trajectory follows; the level, the adopted plan's 170 t on the balance
    (26 % of 661; the services' 3.4 t are not divided by the balance), the missed milestone with its gap (519 − 386 =
    133 t) and three decisions for the plan's decision year, the first launching the plan's two first actions by
    priority (A02 rank 1, A01 rank 2; A05, outside the plan, is never among them)."""
    s = _summary(519.0, 386.0, 11_500.0, 8_224.0)
    sentences = sections.synthesis_sentences(s)
    text = " ".join(sentences).replace("\u202f", " ")
    assert 5 <= len(sentences) <= 8
    assert "estimée à 439 tCO2e en 2020, très probablement entre 400 et 480 tCO2e" in text
    assert "222 tCO2e, entre 74 et 667 tCO2e" in text
    assert "le total, 661 tCO2e (entre 500 et 900 tCO2e), est la base de la trajectoire" in text
    assert text.index("439 tCO2e") < text.index("222 tCO2e") < text.index("661 tCO2e")
    assert "« Structuré »" in text
    assert "Le plan adopté réduirait le bilan de 170 tCO2e par an" in text and "26 % du bilan 2020" in text
    assert "objectif non atteint" in text and "il manque 133 tCO2e" in text
    decisions = text.split("Trois décisions pour lancer le plan en 2022 : ")[1]
    assert decisions.startswith("lancer « Reconditionné » et « Allonger la durée de vie »")
    assert "(action complémentaire proposée : A05)" in decisions  # one action: singular (issue 33)
    assert decisions.count(" ; ") == 2


def test_synthesis_asks_to_adopt_a_proposed_plan():
    s = _summary(519.0, 386.0, 11_500.0, 8_224.0)
    s["plan"]["status"] = "proposed"
    text = " ".join(sections.synthesis_sentences(s)).replace("\u202f", " ")
    assert "Le plan proposé, à décider, réduirait le bilan" in text
    assert "adopter le plan proposé (3 actions)" in text
    assert sections.top_actions(s) == ["A02", "A01", "A13"]


def test_synthesis_says_atteint_iff_the_milestone_is_met():
    for plan, met in ((519.0, False), (300.0, True)):
        s = _summary(plan, 386.0, 8_000.0 if met else 11_500.0, 8_224.0)
        assert s["trajectory"]["milestone_met"] is met
        text = " ".join(sections.synthesis_sentences(s))
        assert ("non atteint" in text) is (not met)
        assert "objectif atteint" in text if met else "objectif atteint" not in text


def test_synthesis_says_questionnaire_incomplet_instead_of_a_level():
    s = _summary(519.0, 386.0, 11_500.0, 8_224.0)
    s["maturity"] = {"published": False, "level": "questionnaire incomplet (2 %)", "score_pct": None}
    text = " ".join(sections.synthesis_sentences(s))
    assert "questionnaire incomplet (2 %)" in text and "Structuré" not in text
    assert "compléter le questionnaire de maturité" in text


def test_synthesis_leaves_out_what_the_summary_lacks():
    """No trajectory, no maturity: no verdict sentence, no level sentence, nothing invented."""
    s = _summary(519.0, 386.0, 11_500.0, 8_224.0)
    s["trajectory"], s["maturity"] = {}, {}
    text = " ".join(sections.synthesis_sentences(s))
    assert "atteint" not in text and "maturité" not in text.split("Trois décisions")[0]


#: words of the analyst or of the build that must not appear in sections 1–7 of the published main page (issue 20)
FORBIDDEN_IN_BODY = ("IC 95", "tirages", "centile", "Sobol", "SALib", "PUE", "bau_", "docs/", "sha256", "numpy",
                     "pandas", "matplotlib", "ASSUMED", "assumption", "published:", "kgCO2e/unit",
                     "identique à la partie", "au jalon", "shared/reference", "domain-facts", "\\+")


def forbidden_tokens(page: str) -> list[str]:
    """Forbidden tokens found in the text of sections 1–7 of a published page (before the section 8 heading)."""
    body = page.split("<main", 1)[-1]
    body = re.split(r'<h2 id="8-', body)[0]
    body = re.sub(r"<[^>]+>", " ", body)
    import html

    text = html.unescape(body)
    return [t for t in FORBIDDEN_IN_BODY if t in text]


def test_forbidden_tokens_are_found():
    page = "<main><h2 id=\"3-x\">3.</h2><p>IC 95 % sur 10 000 tirages</p><h2 id=\"8-methode\">8.</h2><p>PUE</p></main>"
    assert forbidden_tokens(page) == ["IC 95", "tirages"]


def test_year_axes_have_no_thousands_separator():
    """French tick labels write 1 000 for a quantity but 2030 for a year (whole numbers from 1900 to 2200)."""
    from helpers.report.plotting import french_axes, setup

    plt = setup()
    fig, (years, amounts) = plt.subplots(1, 2)
    years.plot([2020, 2030, 2040], [1, 2, 3])
    amounts.plot([0, 1000, 3000], [1, 2, 3])
    french_axes(fig)
    fig.canvas.draw()
    year_labels = [t.get_text() for t in years.get_xticklabels() if t.get_text()]
    amount_labels = [t.get_text() for t in amounts.get_xticklabels() if t.get_text()]
    plt.close(fig)
    assert "2030" in year_labels and all("\u202f" not in t for t in year_labels)
    assert "1\u202f000" in amount_labels


def test_means_spread_investment_and_staff_time_over_the_set_up():
    """Two actions: A (start 2021, 24 months: set-up 2021–2022, 10 000 €, 20 days, 1 000 €/yr) and B (start 2022,
    6 months: set-up 2022, 3 000 €, 5 days, 0 €/yr). By hand: 2021 → 5 000 €, 10 days, 1 000 €/yr; 2022 → 5 000 +
    3 000 = 8 000 €, 10 + 5 = 15 days, 1 000 €/yr; then '2023 et suivantes' → 1 000 €/yr."""
    import pandas as pd

    from helpers.plan import actions
    from helpers.report import actions as actions_report

    plan = pd.DataFrame({"action_id": ["A", "B"], "title_fr": ["Action A", "Action B"], "selected": [True, True],
                         "start_year": [2021, 2022], "months": [24.0, 6.0], "investment_eur": [10_000.0, 3_000.0],
                         "yearly_eur": [1_000.0, 0.0], "staff_days": [20.0, 5.0], "owner": ["DSI", ""]})
    ranked = pd.DataFrame({"action_id": ["A", "B"], "rank": [2, 1]})
    table = actions_report.means_table(plan, ranked)
    assert list(table["Action"]) == ["A", "B"]  # calendar order first, rank second; one id everywhere
    assert list(table["Titre"]) == ["Action A", "Action B"]
    assert list(table["Mise en place"]) == ["2021–2022", "2022"]
    assert list(table["Porteur"]) == ["DSI", "à désigner"]
    import numpy as np

    from helpers.plan import budget as bg

    sel = actions.means_order(plan, ranked)
    years = bg.budget_by_year([2021, 2022, 2023], sel["start_year"], sel["end_year"], sel["investment_eur"],
                              sel["yearly_eur"], sel["staff_days"], sel["staff_days_per_year"], np.ones((2, 3)),
                              [0.0, 0.0], 0.0)
    assert list(years["investment_eur"]) == [5_000.0, 8_000.0, 0.0]
    assert list(years["staff_days"]) == [10.0, 15.0, 0.0]
    assert list(years["operating_eur"]) == [1_000.0, 1_000.0, 1_000.0]


def test_a_territory_overrides_owner_and_staff_time_in_actions_csv(tmp_csv):
    """Catalogue defaults (owner of the main axis, 10/30/60 days by effort, marked 'hypothèse') unless actions.csv
    gives 'porteur' / 'jours agent' (French synonyms accepted)."""
    from types import SimpleNamespace

    from helpers.io import catalogue as io_catalogue
    from helpers.model import levers as lv
    from helpers.plan import actions as ac

    territory = SimpleNamespace(reference_year=2020, target_year=2040, milestone_year=2030, agents=1000)
    cat = io_catalogue.load_catalogue(levers=lv.LEVERS)
    assert cat["means_source"].str.contains("hypothèse").all()
    sel = io_catalogue.read_actions(tmp_csv("action_id,selected,porteur,jours agent\nA01,yes,Direction du numérique,45\n"
                                            "A02,yes,,\n", "actions.csv"), cat, territory, levers=lv.LEVERS)
    plan = ac.build_plan(cat, sel, territory).set_index("action_id")
    assert plan.loc["A01", "owner"] == "Direction du numérique" and plan.loc["A01", "staff_days"] == 45
    a02 = cat.set_index("action_id").loc["A02"]  # effort 1, axis equipment_lifecycle
    assert plan.loc["A02", "owner"] == a02["owner_fr"] == "DSI, gestion du parc"
    assert plan.loc["A02", "staff_days"] == 10


def test_tables_xlsx_is_for_people(tmp_path):
    """Reopened with openpyxl: 'Lisez-moi' first listing every sheet with what it holds and the part it feeds;
    French sheet names, column labels with units and French values on row 1 (issue 33: "Phase du cycle de vie",
    "Fabrication", "oui"); frozen header; filters; widths; a whole-number column shown '# ##0' but a year '0' and a
    share '0,0 %'; an '=' label stays text; two writes give the same bytes."""
    import pandas as pd
    from openpyxl import load_workbook

    from helpers.io.safe_write import formula_cells

    tables = {
        "carbon_by_phase": (pd.DataFrame({"phase": ["manufacturing", "use"], "value": [318.48, 90.75],
                                          "low": [271.7, 77.6], "high": [397.6, 112.5], "share": [0.78, 0.22]}),
                            None),
        "actions_plan": (pd.DataFrame({"action_id": ["A01"], "start_year": [2023], "investment_eur": [100000],
                                       "total_tco2e": [31.47], "selected": [True]}), None),
        "carbon_reconciliation_bridge": (pd.DataFrame({"step": ["= total du bilan"], "tco2e": [10.0]}), None),
    }
    path = sections.write_tables_xlsx(tables, tmp_path / "tables.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Lisez-moi", "Bilan par phase", "Plan d'actions", "Réconciliation passage"]
    readme = list(wb["Lisez-moi"].iter_rows(min_row=1, values_only=True))
    assert readme[0] == ("Feuille", "Ce qu'elle contient", "Partie du diagnostic", "Lignes")
    assert {"Bilan par phase", "Plan d'actions", "Réconciliation passage", "Sources"} <= {r[0] for r in readme}
    phase_row = next(r for r in readme if r[0] == "Bilan par phase")
    assert phase_row[1].startswith("Le bilan par phase") and phase_row[2] == "Partie 3, répartition par phase"
    plan = wb["Plan d'actions"]
    assert [c.value for c in plan[1]] == ["Action", "Année de début", "Investissement (€ HT)", "Gain total (tCO2e/an)",
                                         "Retenue"]
    assert plan["E2"].value == "oui"
    assert plan.freeze_panes == "A2" and plan.auto_filter.ref == "A1:E2"
    assert plan["B2"].number_format == "0" and plan["C2"].number_format == "#,##0"
    assert plan["D2"].number_format == "#,##0.0##"
    assert plan.column_dimensions["C"].width >= len("Investissement (€ HT)")
    phase = wb["Bilan par phase"]
    assert [c.value for c in phase[1]] == ["Phase du cycle de vie", "Valeur centrale (tCO2e/an)",
                                          "Borne basse (tCO2e/an)", "Borne haute (tCO2e/an)",
                                          "Part des équipements, leur énergie, hébergement et réseaux"]
    assert [phase["A2"].value, phase["A3"].value] == ["Fabrication", "Utilisation"]
    assert phase["E2"].value == 0.78 and phase["E2"].number_format == "0.0%"
    assert wb["Réconciliation passage"]["A2"].value == "= total du bilan" and formula_cells(path) == []
    again = sections.write_tables_xlsx(tables, tmp_path / "again.xlsx")
    assert again.read_bytes() == path.read_bytes()


def test_french_header_translates_words_and_units():
    assert sections.french_header("balance_low_tco2e") == "Bilan bas (tCO2e)"
    assert sections.french_header("score_pct") == "Score (%)"
    assert sections.french_header("Temps d'agent (jours)") == "Temps d'agent (jours)"  # already French: kept


def test_annex_table_of_contents_comes_first():
    page = publish.render_html(_nb([new_markdown_cell("## 3. Impact\n\ndétail"), new_markdown_cell("## 4. Maturité")]),
                               "Annexes", toc_first=True)
    assert page.index('<nav aria-label="Sommaire">') < page.index('id="3-impact"')
