"""The headline an auditor signs (issue 32), on La Rochelle's default study: physical scope first, purchases with
their current ratios (source, year) and the old one as a sensitivity, the collectivity's own published balance
reconciled line by line, references compared on their own scope, the 2020 electricity vintage and its method breaks;
and the two territory.yaml keys (``published_footprint``, ``label_nr``) validated like every other input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers.io.errors import InputError
from helpers.io.territory import load_territory
from helpers.model import carbon
from helpers.run.study import compute_sections


def approx(x):
    """summary.json keeps six significant digits."""
    return pytest.approx(x, rel=2e-5)


@pytest.fixture(scope="module")
def lr(tmp_path_factory) -> dict:
    """La Rochelle's ingest and carbon sections (2,000 draws), as the notebooks write them: summary_carbon.json."""
    out = tmp_path_factory.mktemp("la-rochelle")
    compute_sections("la-rochelle", n_draws=2000, processed_dir=out, sections=["ingest", "carbon"])
    return json.loads((Path(out) / "summary_carbon.json").read_text(encoding="utf-8"))["data"]


def test_the_headline_scope_is_the_physical_one(lr):
    assert lr["headline_scope"] == "physical"
    # total keeps its meaning: physical + purchases, the trajectory's base
    assert lr["total_tco2e"]["value"] == approx(lr["physical_tco2e"]["value"] + lr["spend_based_tco2e"]["value"])
    for scope in carbon.SCOPES:
        agent = lr["per_agent_by_scope_kgco2e"][scope]["value"]
        key = {"physical": "physical_tco2e", "equipment": "equipment_scope_tco2e", "spend_based": "spend_based_tco2e",
               "total": "total_tco2e"}[scope]
        assert agent == approx(1000 * lr[key]["value"] / 3000)  # 3,000 agents
    assert lr["per_agent_by_scope_kgco2e"]["total"]["value"] == approx(lr["per_agent_kgco2e"]["value"])


def test_purchases_use_the_2023_monetary_ratios_with_the_1990_ratio_as_a_sensitivity(lr):
    """IT services 1,150,000 € and software 870,000 € of 2020 (purchases.csv), cloud spend of hosting.csv: each
    ratio with its category, value, source and year; the old 0.11 kgCO2e/€ is a sensitivity only."""
    ratios = {r["category"]: r for r in lr["spend_based_ratios"]}
    assert ratios["services"]["kgco2e_per_eur"] == 0.075 and ratios["services"]["year"] == 2023
    assert "43445" in ratios["services"]["source"] and ratios["services"]["status"] == "sourced"
    assert ratios["software"]["kgco2e_per_eur"] == 0.096 and ratios["software"]["status"] == "assumption"
    assert ratios["services"]["amount_eur"] == 850_000 + 300_000 and ratios["software"]["amount_eur"] == 870_000
    for r in ratios.values():
        assert {"category", "kgco2e_per_eur", "source", "year"} <= set(r)
        assert r["tco2e"] == approx(r["amount_eur"] * r["kgco2e_per_eur"] / 1000)
    assert sum(r["tco2e"] for r in ratios.values()) == approx(lr["spend_based_tco2e"]["value"])
    s = lr["spend_based_sensitivity"]
    assert s["year"] == 1990 and s["current_tco2e"] == approx(lr["spend_based_tco2e"]["value"])
    assert s["tco2e"] == approx(sum(r["amount_eur"] for r in ratios.values()) * 0.11 / 1000)


def test_the_published_balance_is_reconciled_line_by_line(lr):
    """680 t (54 % manufacturing, 46 % use) against the equipment scope: the lines add up to the comparable total,
    every line has its reason, the published figures are the territory's, never an input of the study."""
    pub = lr["published"]
    assert pub["value_tco2e"] == 680 and pub["split"] == {"manufacturing": 0.54, "use": 0.46}
    lines = {r["line"]: r for r in pub["comparison"]}
    assert list(lines) == ["manufacturing", "use", "distribution_end_of_life", "total", "manufacturing_share",
                           "per_workstation", "outside_scope", "study_total"]
    assert all(r["reason_fr"] for r in lines.values())
    assert lines["manufacturing"]["published"] == approx(680 * 0.54)
    assert lines["use"]["published"] == approx(680 * 0.46)
    total = lines["total"]
    assert total["study"] == approx(lr["equipment_scope_tco2e"]["value"])
    assert sum(lines[k]["study"] for k in ("manufacturing", "use", "distribution_end_of_life")) == \
        approx(total["study"])
    assert lines["manufacturing_share"]["study"] == approx(lr["equipment_manufacturing_share"])
    assert lines["per_workstation"]["published"] == approx(272.0)
    assert lines["outside_scope"]["study"] + total["study"] == approx(lr["total_tco2e"]["value"])
    assert lines["study_total"]["study"] == approx(lr["total_tco2e"]["value"])
    # the use gap is explained, not closed: electricity alone would need a factor outside ADEME's series
    assert "hors de la série ADEME" in lines["use"]["reason_fr"]


def test_references_are_compared_on_their_own_scope(lr):
    """WeNR (265 kg per employee, no purchases by ratio) and Green IT against the physical scope per agent, never
    the total with purchases; La Rochelle's figures are no longer rows of the shared library."""
    rows = {r["id"]: r for r in lr["benchmark_comparison"]}
    assert not any(i.startswith("la_rochelle") for i in rows)
    wenr = rows["wenr_2021_per_employee"]
    assert wenr["compared_scope"] == "physical" and wenr["source"] == "https://wenr.isit-europe.org/wenr-2021-public-report/"
    assert wenr["our_value"] == approx(lr["per_agent_by_scope_kgco2e"]["physical"]["value"])
    # issue 36: La Rochelle counts its 40 schools; the peers that leave schools out (Ille-et-Vilaine, Metz) are set
    # aside with the reason, the Métropole de Lyon (collèges in) is shown as an order of magnitude, without a ratio
    assert lr["perimeter"]["schools"] == "included" and lr["perimeter"]["school_entities"] == ["ecoles"]
    aside = {r["id"]: r for r in lr["benchmark_set_aside"]}
    assert set(aside) == {"ille_et_vilaine_2023_per_agent", "ille_et_vilaine_2023_total", "metz_total",
                          "metz_services_share", "metz_user_equipment_share"}
    assert aside["metz_services_share"]["reason_fr"] == ("établissements scolaires exclus dans la référence, compris "
                                                        "dans cette étude")
    assert aside["ille_et_vilaine_2023_per_agent"]["source"].startswith("https://www.ille-et-vilaine.fr/")
    lyon = rows["lyon_2024_total"]
    assert lyon["reference_value"] == 2103 and lyon["year"] == 2024 and lyon["compared_scope"] == "total"
    assert lyon["our_value"] == approx(lr["total_tco2e"]["value"]) and lyon["ratio"] is None
    assert lyon["source"] == "https://www.grandlyon.com/actions/le-numerique-responsable"


def test_the_2020_electricity_vintage_and_its_method_breaks(lr):
    e = lr["electricity_factor"]
    assert e["vintage_year"] == 2020 and e["exact"] and e["value"] == 0.0599
    assert len(e["method_breaks_to_latest"]) == 2
    assert e["latest_delta_tco2e"] == approx(e["kwh_per_year"] * (0.0461 - 0.0599) / 1000)


def test_one_manufacturing_share_and_the_purchases_as_one_line(lr):
    """The phase split of the equipment scope holds the manufacturing share of the summary; the tier view has the
    purchases as one line equal to the spend-based scope."""
    phases = lr["by_phase_equipment"]
    assert phases["manufacturing"]["share"] == approx(lr["equipment_manufacturing_share"])
    assert sum(p["share"] for p in phases.values()) == approx(1.0)
    assert lr["manufacturing_share"] == lr["equipment_manufacturing_share"] and lr["manufacturing_share_base"] == \
        "equipment"
    assert lr["by_tier_with_spend"][carbon.SPEND_PHASE]["value"] == approx(lr["spend_based_tco2e"]["value"])
    assert "services" not in lr["by_tier_with_spend"]


# ----------------------------------------------------------------------------------------- territory.yaml keys

def _load(tmp_path, extra: str):
    text = (Path(__file__).resolve().parents[2] / "data/raw/test-mini/territory.yaml").read_text(encoding="utf-8")
    text = text.split("# Made-up published balance", 1)[0]
    d = tmp_path / "x-y"
    d.mkdir()
    (d / "territory.yaml").write_text(text + extra, encoding="utf-8")
    return load_territory("x-y", d / "territory.yaml")


def test_published_footprint_and_label_are_optional(tmp_path):
    t = _load(tmp_path, "")
    assert t.published_footprint is None and t.label_nr is None


def test_a_bad_published_footprint_is_refused_with_every_problem(tmp_path):
    with pytest.raises(InputError) as err:
        _load(tmp_path, "published_footprint: {value_tco2e: -1, year: 1990, scope: '', source: nope, "
                        "split: {manufacturing: 0.9, use: 0.46}, comparable_scope: all, colour: red}\n"
                        "label_nr: {held: true, level: 3}\n")
    text = str(err.value)
    for expected in ("value_tco2e", "year : l'année", "scope :", "source : une adresse web", "split :",
                     "comparable_scope", "seulement les clés", "level : 1 ou 2", "source : où l'obtention"):
        assert expected in text, expected
    assert "ligne" in text  # the line of the key in the file


def test_a_good_published_footprint_is_read(tmp_path):
    t = _load(tmp_path, "published_footprint: {value_tco2e: 85.5, year: 2022, scope: 'parc', "
                        "source: 'https://example.org/b', comparable_scope: physical}\n"
                        "label_nr: {held: false}\n")
    assert t.published_footprint == {"value_tco2e": 85.5, "year": 2022, "scope": "parc",
                                     "source": "https://example.org/b", "split": None, "workstations": None,
                                     "comparable_scope": "physical"}
    assert t.label_nr["held"] is False


def test_the_docs_quote_no_result_of_a_study():
    """Issue 32: numbers that describe a study (tonnes of a balance, its shares) are read from its summary.json, never
    copied into the method documents, where they go stale as the study changes."""
    import re

    root = Path(__file__).resolve().parents[2] / "docs"
    for name in ("assumptions_caveats.md", "architecture.md"):
        text = (root / name).read_text(encoding="utf-8")
        found = re.findall(r"\d[\d.,]*\s?(?:t/yr|tCO2e|t central|t of \d)", text)
        assert not found, (name, found)
    assert re.findall(r"\d\s?t/yr", "−18 t/yr on the balance")  # the pattern does fire
