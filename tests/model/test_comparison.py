"""The club of collectivities (issue 36): the batch comparison members can trust, French CSV for people, and the
sourced peers of the reference library compared on matching perimeters only.

Pure functions on made-up summaries (fast); the batch itself is exercised in ``tests/run/test_batch.py`` (shared run)
and a new territory's benchmark in ``tests/e2e/test_plan_wiring.py``'s session study of a bare territory.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from helpers.io import carbon_reference, safe_write
from helpers.model.perimeter import is_school_entity, study_perimeter
from helpers.report import carbon_labels
from helpers.report import comparison as cmp
from helpers.report.csv_fr import excluded_lines_fr, import_report_fr, write_import_reports_fr


def ivl(value, low=None, high=None):
    return {"value": value, "low": value * 0.8 if low is None else low, "high": value * 1.25 if high is None else high}


def summary(name, kind="commune", year=2022, agents=1000, population=60000, physical=100.0, spend=20.0,
            schools="excluded", score=None, completeness=90.0, published=None, illustrative=False,
            inputs=("inventory", "hosting", "telecom", "printing", "purchases")):
    """A summary.json as a study writes it, reduced to what the comparison reads."""
    total = physical + spend
    maturity = {"questionnaire_provided": score is not None or completeness is not None,
                "published": score is not None, "score_pct": score, "level": "Structuré" if score else None,
                "completeness_pct": completeness}
    carbon_ = {
        "physical_tco2e": ivl(physical), "spend_based_tco2e": ivl(spend, spend / 3, spend * 3),
        "total_tco2e": ivl(total),
        "per_agent_by_scope_kgco2e": {"physical": ivl(1000 * physical / agents),
                                      "spend_based": ivl(1000 * spend / agents)},
        "per_workstation_by_scope_kgco2e": {"physical": ivl(1200 * physical / agents)},
        "per_inhabitant_by_scope_kgco2e": {"physical": ivl(1000 * physical / population)},
        "equipment_manufacturing_share": 0.7, "computers": agents * 0.9,
        "fleet_ratios": {"screens_per_computer": 1.3, "computers_per_agent": 0.9, "devices_per_agent": 2.5},
        "perimeter": {"schools": schools, "entities": [{"id": "main", "name": name, "kind": kind}], "n_entities": 1},
    }
    if published:
        carbon_["published"] = {"value_tco2e": published, "year": year, "scope": "parc", "source": "https://x.example",
                                "comparable_scope": "equipment",
                                "comparison": [{"line": "total", "study": 0.8 * published,
                                                "study_low": 0.6 * published, "study_high": published}]}
    return {"territory": {"slug": name.lower(), "name": name, "kind": kind, "population": population,
                          "agents": agents, "reference_year": year, "illustrative": illustrative},
            "carbon": carbon_, "maturity": maturity,
            "inputs": {f"data/raw/x/{i}.csv": {"rows_read": 3, "rows_kept": 3} for i in inputs},
            "inputs_assumed": {"share": 0.25, "balance_share": 0.5},
            "plan_reduction_tco2e_per_year": {"value": 12.0}}


def status(slug, name=None, state="ok", error="", diagnostic=False):
    return {"territory": slug, "name": name or slug, "status": state, "mode": "summary", "seconds": 1.5,
            "error": error, "illustrative": False, "diagnostic": diagnostic}


def rows_of(pairs):
    return cmp.comparison_table([cmp.member_row(st, su) for st, su in pairs])


# ----------------------------------------------------------------------------------------------------------------
# Rows, ranks
# ----------------------------------------------------------------------------------------------------------------

def test_a_member_row_carries_what_makes_figures_comparable():
    r = cmp.member_row(status("metz"), summary("Metz", kind="metropole", year=2022, agents=3800, physical=438.0,
                                               spend=333.0, published=1086.0))
    assert (r["reference_year"], r["kind"], r["agents"], r["schools"]) == (2022, "metropole", 3800, "excluded")
    assert r["physical_tco2e"] == 438.0 and r["purchases_tco2e"] == 333.0 and r["total_tco2e"] == 771.0
    assert r["per_agent_physical_kgco2e"] == pytest.approx(1000 * 438 / 3800)
    assert r["per_agent_physical_kgco2e_low"] == pytest.approx(0.8 * 1000 * 438 / 3800)
    assert r["manufacturing_share_pct"] == pytest.approx(70.0) and r["assumed_rows_pct"] == pytest.approx(25.0)
    assert r["screens_per_computer"] == 1.3 and r["devices_per_agent"] == 2.5
    # the published figure and the study on the comparable scope: ratio with its interval
    assert r["published_tco2e"] == 1086.0 and r["ratio_to_published"] == pytest.approx(0.8)
    assert (r["ratio_to_published_low"], r["ratio_to_published_high"]) == (pytest.approx(0.6), pytest.approx(1.0))
    assert "établissements scolaires exclus" in r["perimeter_note"]
    assert r["maturity"] == "incomplete" and r["maturity_score_pct"] is None


def test_purchases_not_given_are_not_zero_tonnes():
    r = cmp.member_row(status("iv"), summary("IV", spend=0.0, inputs=("inventory", "telecom")))
    assert r["purchases_tco2e"] is None and r["per_agent_purchases_kgco2e"] is None
    assert cmp.missing_text(r, "per_agent_purchases_kgco2e") == "achats non fournis"
    assert "non fournis : hébergement, impressions, achats" in r["perimeter_note"]


def test_only_members_that_answered_are_ranked_ties_share_the_best_rank():
    rows = rows_of([(status("a"), summary("Alpha", score=60.0)), (status("b"), summary("Bêta", score=None)),
                    (status("c"), summary("Gamma", score=70.0)), (status("d"), summary("Delta", score=60.0)),
                    (status("e", state="failed", error="x"), None)])
    by = {r["territory"]: r for r in rows}
    assert [by[s]["maturity_rank"] for s in "abcde"] == [2, None, 1, 2, None]
    assert {by[s]["maturity_ranked_among"] for s in "acd"} == {3} and by["b"]["maturity_ranked_among"] is None
    assert by["b"]["maturity"] == "incomplete" and by["e"]["maturity"] is None
    assert [r["territory"] for r in rows] == ["a", "b", "d", "e", "c"]  # by name (Bêta after Alpha; "e" < Gamma)
    assert cmp.competition_ranks([3.0, None, 1.0], descending=False) == [2, None, 1]


def test_the_rank_is_of_the_comparison_only_a_member_summary_never_changes(tmp_path, monkeypatch):
    """The same member ranked 1st alone and 2nd with a better one: its published folder is byte-identical
    before and after both comparisons (nothing outside outputs/batch/ is written)."""
    from helpers.io import paths

    monkeypatch.setattr(paths, "OUTPUTS_DIR", tmp_path)
    for slug, score in (("a", 60.0), ("b", 80.0)):
        (tmp_path / slug).mkdir()
        (tmp_path / slug / "summary.json").write_text(json.dumps(summary(slug.upper(), score=score)), "utf-8")

    def digests():
        return {p.relative_to(tmp_path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(tmp_path.rglob("*")) if p.is_file() and "batch" not in p.parts}

    before = digests()
    ranks = []
    for members in (["a"], ["a", "b"]):
        cmp.write_comparison(pd.DataFrame([status(s) for s in members]), 1, 100, "summary")
        data = json.loads((tmp_path / "batch/comparison.json").read_text("utf-8"))
        ranks.append({r["territory"]: r["maturity_rank"] for r in data["members"]})
    assert ranks == [{"a": 1}, {"a": 2, "b": 1}]
    assert digests() == before


# ----------------------------------------------------------------------------------------------------------------
# The page
# ----------------------------------------------------------------------------------------------------------------

class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _club():
    return rows_of([
        (status("lr", diagnostic=True), summary("La Rochelle", kind="communaute_agglomeration", year=2020,
                                                agents=3000, physical=439.0, spend=173.0, schools="included",
                                                score=59.1, published=680.0, illustrative=True)),
        (status("iv"), summary("Ille-et-Vilaine", kind="departement", agents=4300, physical=480.0, spend=0.0,
                               inputs=("inventory", "telecom"), published=589.0)),
        (status("mz"), summary("Metz <b>&</b>", kind="metropole", agents=3800, physical=438.0, spend=333.0,
                               score=64.0)),
        (status("kc", state="failed", error="1 problème :\n  - <bad> ligne 3"), None),
    ])


def test_the_page_is_french_accessible_escaped_with_a_chart_per_indicator_group():
    page = cmp.comparison_html(_club(), seed=1, n_draws=500, mode="summary")
    parser = _Page()
    parser.feed(page)
    tags = [t for t, _ in parser.tags]
    assert ("html", {"lang": "fr"}) in parser.tags and tags.count("h1") == 1
    assert "script" not in tags and "img" not in tags and "http" not in page.split("<body>")[1].split("Bilan publié")[0]
    assert "Metz &lt;b&gt;&amp;&lt;/b&gt;" in page and "<b>&" not in page and "&lt;bad&gt;" in page
    # links: the CSV, and a member's diagnostic only where one was published (in both tables of members)
    assert sorted({a["href"] for t, a in parser.tags if t == "a"}) == ["../lr/diagnostic.html", "comparison.csv"]
    assert all(a.get("scope") in ("col", "row") for t, a in parser.tags if t == "th")
    assert "Comment comparer" in page
    # one section per indicator group, each with at least one chart (HTML dot-and-interval) and its sorted table
    sections = page.split('<section aria-labelledby="g')[1:]
    assert len(sections) == len(cmp.INDICATOR_GROUPS)
    for section in sections:
        assert section.count('<figure class="chart"') >= 1 and section.count("<details>") >= 1
    # alerts: years, kinds, schools differ
    text = "".join(parser.text)
    assert "Années de référence différentes (2020, 2022)" in text
    assert "établissements scolaires compris pour La Rochelle ; exclus pour Ille-et-Vilaine, Metz <b>&</b>" in text
    assert "Metz <b>&</b> : rien" not in text and "kc) : rien n'est comparé" in text  # the failure, said


def test_each_chart_is_sorted_by_value_and_says_why_a_value_is_missing():
    rows = _club()
    html_ = cmp._chart([r for r in rows if r["status"] != "failed"], "per_agent_physical_kgco2e", "Par agent",
                       "kgCO2e/an", 0, True, "c")
    order = re.findall(r'<span class="lab">([^<]+)</span>', html_)
    assert order[:3] == ["Ille-et-Vilaine (département, 2022)", "Metz &lt;b&gt;&amp;&lt;/b&gt; (métropole, 2022)",
                         "La Rochelle (CA, 2020)"]  # 480/4300 = 112 < 438/3800 = 115 < 439/3000 = 146
    assert "112 [89 – 140]" in html_ and 'class="dot hollow"' in html_  # La Rochelle is illustrative
    mat = cmp._chart([r for r in rows if r["status"] != "failed"], "maturity_score_pct", "Score", "sur 100", 0,
                     False, "m")
    assert re.findall(r'<span class="lab">([^<]+)</span>', mat)[:2][0].startswith("Metz")  # best first
    assert "questionnaire incomplet" in mat
    ratio = cmp._chart([r for r in rows if r["status"] != "failed"], "ratio_to_published", "Rapport", "×", 2, True,
                       "r")
    assert "pas de bilan publié" in ratio and 'class="ref"' in ratio and f"×{cmp.NBSP}0,80 [0,60 – 1,00]" in ratio


def test_sorted_tables_say_whether_neighbours_are_distinct():
    rows = [cmp.member_row(status(s), summary(s.upper(), physical=p, agents=1000)) for s, p in
            (("a", 100.0), ("b", 110.0), ("c", 300.0))]
    table = cmp._sorted_table(rows, "per_agent_physical_kgco2e", "Par agent", "kgCO2e/an", 0, True)
    cells = re.findall(r"<td>(oui|non|—)</td>", table)
    assert cells == ["—", "non", "oui"]  # 110 [88 – 138] overlaps 100 [80 – 125]; 300 [240 – 375] does not


def test_nice_axis():
    assert cmp.nice_axis(172) == (200.0, [0.0, 50.0, 100.0, 150.0, 200.0])
    assert cmp.nice_axis(1.37) == (1.5, [0.0, 0.5, 1.0, 1.5])
    assert cmp.nice_axis(0) == (1.0, [0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0])


# ----------------------------------------------------------------------------------------------------------------
# French CSV for people
# ----------------------------------------------------------------------------------------------------------------

def test_the_comparison_csv_is_for_a_french_spreadsheet(tmp_path):
    frame, decimals = cmp.comparison_csv_fr(_club())
    path = safe_write.write_csv_fr(frame, tmp_path / "comparison.csv", decimals)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    header = rows[0]
    for col in ("Année de référence", "Agents", "Périmètre physique (tCO2e/an)",
                "Par agent, périmètre physique (kgCO2e/an)", "Bilan publié par le membre (tCO2e/an)",
                "Rapport étude ÷ bilan publié", "Établissements scolaires", "Notes de périmètre"):
        assert col in header, col
    body = [dict(zip(header, r)) for r in rows[1:]]
    lr = next(r for r in body if r["Identifiant"] == "lr")
    assert lr["État"] == "calculé" and lr["Jeu de données illustratif"] == "oui"
    assert lr["Nature"] == "Communauté d'agglomération" and lr["Établissements scolaires"] == "compris"
    assert lr["Périmètre physique (tCO2e/an)"] == "439" and lr["Périmètre physique, borne basse à 95 % (tCO2e/an)"] \
        == "351,2"  # 439 × 0.8, one decimal, decimal comma
    assert lr["Rapport étude ÷ bilan publié"] == "0,8" and lr["Bilan publié par le membre (tCO2e/an)"] == "680"
    assert lr["Questionnaire de maturité"] == "répondu" and lr["Rang de maturité parmi les répondants de ce lot"] == "2"
    failed = next(r for r in body if r["Identifiant"] == "kc")
    assert failed["État"] == "échec" and failed["Périmètre physique (tCO2e/an)"] == ""
    text = raw.decode("utf-8-sig")
    for english in (";ok;", ";skipped;", ";failed;", "True", "False", "included", "communaute_"):
        assert english not in text, english
    back = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")
    assert back.loc[back["Identifiant"] == "iv", "Agents"].item() == 4300


def test_write_csv_fr_is_formula_safe_rounded_and_atomic(tmp_path):
    df = pd.DataFrame({"Nom": ["=SOMME(A1)", "Écoles; x", "-b"], "Valeur": [1234.5678, None, -2.0]})
    path = safe_write.write_csv_fr(df, tmp_path / "x.csv", {"Valeur": 1})
    assert path.read_bytes() == ("\ufeffNom;Valeur\r\n'=SOMME(A1);1234,6\r\n\"Écoles; x\";\r\n'-b;-2\r\n"
                                 .encode("utf-8"))
    assert not list(tmp_path.glob(".*.tmp"))


def test_import_reports_have_french_copies_for_people(tmp_path):
    processed, outputs = tmp_path / "p", tmp_path / "o"
    processed.mkdir()
    report = pd.DataFrame([
        ("data/raw/x/inventory.csv", "rows_read", "", 13, ""), ("data/raw/x/inventory.csv", "rows_kept", "", 12, ""),
        ("data/raw/x/inventory.csv", "excluded", "unmodelled_type", 1, ""),
        ("data/raw/x/inventory.csv", "column", "category", "Type", "synonyme"),
        ("data/raw/x/inventory.csv", "default", "lifetime_years", 12, ""),
        ("data/raw/x/inventory.csv", "ignored", "=Commentaire", "", "colonne inconnue"),
    ], columns=["file", "item", "key", "value", "detail"])
    safe_write.write_csv(report, processed / "import_report.csv")
    safe_write.write_csv(pd.DataFrame([("data/raw/x/inventory.csv", 7, "type connu mais non modélisé", "category",
                                        "docking_station", "")],
                                      columns=["file", "line", "reason", "column", "value", "detail"]),
                         processed / "excluded_lines.csv")
    written = write_import_reports_fr(processed, outputs)
    assert [p.name for p in written] == ["rapport_import.csv", "lignes_exclues.csv"]
    rows = list(csv.reader(io.StringIO((outputs / "rapport_import.csv").read_text("utf-8-sig"), newline=""),
                           delimiter=";"))
    assert rows[0] == ["Fichier", "Rubrique", "Objet", "Valeur", "Détail"]
    assert rows[1][1:4] == ["lignes lues", "", "13"] and rows[3][1:4] == ["lignes exclues",
                                                                            "type connu mais non modélisé", "1"]
    assert rows[4][1:] == ["colonne reconnue", "category", "Type", "synonyme"]
    assert rows[5][1:4] == ["valeur par défaut", "durée de vie de la catégorie", "12"]
    assert rows[6][2] == "'=Commentaire"  # formula-safe, quoted once (the processed table's quoting undone)
    excl = (outputs / "lignes_exclues.csv").read_text("utf-8-sig").splitlines()
    assert excl == ["Fichier;Ligne;Raison;Colonne;Valeur;Détail",
                    "data/raw/x/inventory.csv;7;type connu mais non modélisé;category;docking_station;"]
    assert list(import_report_fr(report).columns) == ["Fichier", "Rubrique", "Objet", "Valeur", "Détail"]
    assert list(excluded_lines_fr(pd.read_csv(processed / "excluded_lines.csv")).columns)[0] == "Fichier"
    # the machine tables keep their format
    assert (processed / "import_report.csv").read_text("utf-8").startswith("file,item,key,value,detail\n")


# ----------------------------------------------------------------------------------------------------------------
# Sourced peers on matching perimeters
# ----------------------------------------------------------------------------------------------------------------

LIBRARY = carbon_reference.load_published_benchmarks()


def test_the_library_holds_the_three_peers_with_address_year_and_perimeter():
    b = LIBRARY.set_index("id")
    assert b.loc["ille_et_vilaine_2023_per_agent", "value"] == 137 and b.loc["ille_et_vilaine_2023_total", "value"] == 589
    assert b.loc["metz_total", "value"] == 1086
    assert (b.loc["metz_services_share", "value"], b.loc["metz_user_equipment_share", "value"]) == (0.40, 0.36)
    assert b.loc["lyon_2024_total", "value"] == 2103 and b.loc["lyon_2024_total", "year"] == 2024
    assert b.loc["ille_et_vilaine_2023_per_agent", "year"] == 2023
    for i, url in (("ille_et_vilaine_2023_per_agent", "https://www.ille-et-vilaine.fr/"),
                   ("metz_total", "https://lametropolitm.eurometropolemetz.eu/zoom-sur/zoom-sur-16"),
                   ("lyon_2024_total", "https://www.grandlyon.com/actions/le-numerique-responsable")):
        assert url in b.loc[i, "source"]
        assert b.loc[i, "scope"].strip()
    assert b.loc["ille_et_vilaine_2023_per_agent", "perimeter_schools"] == "excluded"
    assert b.loc["metz_total", "perimeter_schools"] == "excluded" and "écoles exclues" in b.loc["metz_total", "scope"]
    assert b.loc["lyon_2024_total", "perimeter_schools"] == "included" and "collèges" in b.loc["lyon_2024_total", "scope"]
    assert pd.isna(b.loc["wenr_2021_per_employee", "perimeter_schools"])  # all-sector panels: every study


SCOPES = {"per_agent_by_scope_kgco2e": {"physical": ivl(120.0), "total": ivl(180.0)},
          "total_tco2e": {"value": 600.0}, "physical_tco2e": ivl(400.0), "spend_based_tco2e": ivl(200.0),
          "by_tier_with_spend": {"terminals": {"value": 240.0}}}


def test_a_study_without_schools_is_compared_with_ille_et_vilaine_and_metz_not_lyon():
    data = {**SCOPES, "perimeter": {"schools": "excluded"}}
    c = carbon_labels.benchmark_comparison(LIBRARY, "new", data).set_index("id")
    assert {"ille_et_vilaine_2023_per_agent", "metz_total", "metz_services_share", "metz_user_equipment_share",
            "wenr_2021_per_employee"} <= set(c.index)
    assert "lyon_2024_total" not in c.index
    iv = c.loc["ille_et_vilaine_2023_per_agent"]
    assert (iv["our_value"], iv["compared_scope"], iv["ratio"]) == (120.0, "physical", pytest.approx(120 / 137))
    # another collectivity's total: beside the study's tonnes on the same scope, never a ratio
    assert c.loc["metz_total", "our_value"] == 600.0 and pd.isna(c.loc["metz_total", "ratio"])
    assert c.loc["ille_et_vilaine_2023_total", "our_value"] == 400.0 and pd.isna(c.loc["ille_et_vilaine_2023_total",
                                                                                      "ratio"])
    assert "ordre de grandeur" in c.loc["metz_total", "reason_fr"]
    assert c.loc["metz_user_equipment_share", "our_value"] == pytest.approx(240 / 600)
    aside = carbon_labels.benchmark_set_aside(LIBRARY, "new", data)
    assert aside["id"].tolist() == ["lyon_2024_total"]
    assert aside["reason_fr"].item() == "établissements scolaires compris dans la référence, exclus dans cette étude"


def test_a_study_with_schools_is_compared_with_lyon_and_sets_the_others_aside():
    data = {**SCOPES, "perimeter": {"schools": "included"}}
    c = carbon_labels.benchmark_comparison(LIBRARY, "new", data)
    assert "lyon_2024_total" in set(c["id"]) and not any(i.startswith(("ille_", "metz_")) for i in c["id"])
    assert set(carbon_labels.benchmark_set_aside(LIBRARY, "new", data)["id"]) == {
        "ille_et_vilaine_2023_per_agent", "ille_et_vilaine_2023_total", "metz_total", "metz_services_share",
        "metz_user_equipment_share"}
    # an older summary without a perimeter compares every reference and sets none aside
    assert len(carbon_labels.benchmark_comparison(LIBRARY, "new", SCOPES)) == len(c) + 5
    assert carbon_labels.benchmark_set_aside(LIBRARY, "new", SCOPES).empty


@pytest.mark.parametrize(("kind", "name", "expected"), [
    ("ecoles", "Écoles de la Ville (40 écoles)", True), ("", "Collèges du Département", True),
    ("", "Groupe scolaire Jean Moulin", True), ("lycees", "Lycées", True), ("college", "X", True),
    ("departement", "Services du Département (hors collèges)", False), ("commune", "Ville de Metz (hors écoles)", False),
    ("ccas", "CCAS de La Rochelle", False), ("commune", "Mairie", False),
])
def test_school_entities(kind, name, expected):
    assert is_school_entity(kind, name) is expected


def test_the_schools_are_in_the_perimeter_only_with_a_footprint():
    entities = [{"id": "mairie", "name": "Mairie", "kind": "commune"},
                {"id": "ecoles", "name": "Écoles", "kind": "ecoles"}]
    assert study_perimeter(entities)["schools"] == "included"
    assert study_perimeter(entities, {"mairie": 10.0, "ecoles": 2.0})["school_entities"] == ["ecoles"]
    empty = study_perimeter(entities, {"mairie": 10.0})
    assert empty["schools"] == "excluded" and empty["school_entities"] == [] and empty["n_entities"] == 2
    many = study_perimeter([{"id": f"c{i}", "name": f"Commune {i}"} for i in range(500)])
    assert len(many["entities"]) == 20 and many["n_entities"] == 500


def test_the_new_peers_keep_the_reference_tables_rules():
    """Every row of the library has a source; the sources of the new peers are the publishers' own pages."""
    df = pd.read_csv(Path(carbon_reference.BENCHMARKS_PATH), dtype=str, keep_default_na=False)
    assert df["source"].str.strip().ne("").all()
    assert set(df["perimeter_schools"]) <= {"", "included", "excluded"}


# ----------------------------------------------------------------------------------------------------------------
# Wiring: the studies of the session (conftest), as a new territory's user sees them
# ----------------------------------------------------------------------------------------------------------------

@pytest.mark.e2e
def test_a_new_territory_benchmark_shows_the_peers_of_its_perimeter(bare_project):
    """The bare territory (one commune, no school entity): Ille-et-Vilaine and Metz beside it, Lyon (collèges in)
    set aside with the reason, on the published page too; the French import report under outputs/."""
    root, _ = bare_project
    from conftest import BARE_SLUG

    out = root / "outputs" / BARE_SLUG
    s = json.loads((out / "summary.json").read_text("utf-8"))
    c = s["carbon"]
    assert c["perimeter"]["schools"] == "excluded"
    ids = {r["id"] for r in c["benchmark_comparison"]}
    assert {"ille_et_vilaine_2023_per_agent", "metz_total", "metz_services_share"} <= ids and "lyon_2024_total" not in ids
    assert [r["id"] for r in c["benchmark_set_aside"]] == ["lyon_2024_total"]
    iv = next(r for r in c["benchmark_comparison"] if r["id"] == "ille_et_vilaine_2023_per_agent")
    assert iv["our_value"] == pytest.approx(c["per_agent_by_scope_kgco2e"]["physical"]["value"], rel=1e-5)
    pages = (out / "diagnostic.html").read_text("utf-8") + (out / "annexes.html").read_text("utf-8")
    assert "Ille-et-Vilaine" in pages and "Références publiées écartées" in pages and "Métropole de Lyon" in pages
    assert s["inputs_assumed"]["rows"] == 3 and s["inputs_assumed"]["assumed_rows"] == 0
    assert c["fleet_ratios"]["computers"] == 500 and c["fleet_ratios"]["devices_per_agent"] == pytest.approx(650 / 650)
    raw = (out / "rapport_import.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfFichier;Rubrique;Objet;Valeur;D")
    assert "lignes lues;;3" in raw.decode("utf-8-sig")


def test_a_summary_written_before_issue_36_compares_what_it_has():
    """No perimeter, fleet ratios or assumed rows: those columns are « n.d. », the others are there."""
    old = summary("Ancienne")
    for key in ("perimeter", "fleet_ratios"):
        del old["carbon"][key]
    del old["inputs_assumed"]
    r = cmp.member_row(status("old"), old)
    assert r["schools"] is None and r["screens_per_computer"] is None and r["assumed_rows_pct"] is None
    assert r["per_agent_physical_kgco2e"] == pytest.approx(100.0)
    page = cmp.comparison_html(cmp.comparison_table([r]), 1, 100, "summary")
    assert "n.d." in page and "Traceback" not in page
