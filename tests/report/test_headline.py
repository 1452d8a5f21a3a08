"""Headline of the diagnostic (issue 18): the synthesis says what the summary says, scopes and kinds kept apart."""

from __future__ import annotations

import re

from helpers.model import trajectory as tj
from helpers.report import sections


def _summary(plan_2030: float, target_2030: float, cumulative: float, budget: float) -> dict:
    t = {"milestone_year": 2030, "reference_year": 2020, "target_year": 2040, "plan_2030_tco2e": plan_2030,
         "target_2030_tco2e": target_2030}
    t.update(tj.milestone_verdict(plan_2030, target_2030, cumulative, budget, 661.0))
    actions = [
        {"id": "A22", "title": "Stabiliser le parc", "kind": "avoided", "rank": None, "reduction_tco2e_per_year": None,
         "avoided_tco2e_per_year": {"value": 300.0, "low": 200.0, "high": 400.0}, "counterfactual": "tendance"},
        {"id": "A01", "title": "Allonger la durée de vie", "kind": "reduction", "rank": 1,
         "reduction_tco2e_per_year": {"value": 50.0, "low": 40.0, "high": 60.0}},
        {"id": "A02", "title": "Reconditionné", "kind": "reduction", "rank": 2,
         "reduction_tco2e_per_year": {"value": 20.0, "low": 10.0, "high": 30.0}},
    ]
    return {"carbon": {"total_tco2e": {"value": 661.0, "low": 500.0, "high": 900.0},
                       "physical_tco2e": {"value": 439.0, "low": 400.0, "high": 480.0},
                       "spend_based_tco2e": {"value": 222.0, "low": 74.0, "high": 667.0},
                       "equipment_manufacturing_share": 0.76},
            "trajectory": t, "actions": actions, "territory": {"reference_year": 2020}}


def _rows(markdown: str) -> list[str]:
    """The rows of the synthesis' HTML tables written as "| a | b | c |" (header rows included), one per line."""
    import html

    out = []
    for row in re.findall(r"<tr>(.*?)</tr>", markdown, re.S):
        cells = [html.unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        out.append("| " + " | ".join(cells) + " |")
    return out


def test_synthesis_says_the_milestone_is_missed_when_it_is():
    s = _summary(519.0, 386.0, 11_500.0, 8_224.0)
    assert s["trajectory"]["milestone_met"] is False
    text = sections.synthesis_markdown(s)
    assert "objectif non atteint" in text


def test_synthesis_says_the_milestone_is_met_when_it_is():
    s = _summary(300.0, 386.0, 8_000.0, 8_224.0)
    assert s["trajectory"]["milestone_met"] is True
    text = sections.synthesis_markdown(s)
    assert "objectif atteint" in text and "non atteint" not in text


def test_top_actions_are_reductions_only():
    s = _summary(519.0, 386.0, 11_500.0, 8_224.0)
    assert sections.top_actions(s) == ["A01", "A02"]
    text = sections.synthesis_markdown(s)
    first_five = text.split("### Les deux premières actions")[1].split("émissions évitées")[0]
    assert "Stabiliser le parc" not in first_five
    assert "Stabiliser le parc" in text.split("émissions évitées")[1]


def test_synthesis_shows_the_spend_based_line_apart_and_the_equipment_share():
    """Issue 32: the physical scope is the first figure, the purchases their own row (not called "télécoms": telecom
    lines are counted physically), the total beside them as the trajectory's base; the equipment share, not
    manufacturing ÷ total."""
    text = sections.synthesis_markdown(_summary(519.0, 386.0, 11_500.0, 8_224.0))
    rows = _rows(text)[1:]
    assert rows[0].startswith("| Empreinte carbone annuelle du numérique, périmètre physique | 439 [400 – 480]")
    assert rows[1].startswith("| Achats de services et logiciels, à part (ratio monétaire) | 222 [74 – 667]")
    assert "base de la trajectoire : 661 [500 – 900]" in rows[1] and "télécoms" not in rows[1]
    assert any(r.startswith("| Part de la fabrication des équipements | 76") for r in _rows(text))  # not ÷ total
    first_tonnes = re.search(r"(\d[\d\u202f]*)\u202ftCO2e", text.split("\n\n")[1]).group(1)
    assert first_tonnes == "439"  # the synthesis' first tCO2e figure is the physical one


def test_synthesis_publishes_no_maturity_score_below_the_threshold():
    s = _summary(519.0, 386.0, 11_500.0, 8_224.0)
    s["maturity"] = {"published": False, "publish_threshold_pct": 60.0, "score_pct": None,
                     "level": "questionnaire incomplet (2 %)", "benchmark": {"rank": None, "n_peers": 0}}
    row = next(line for line in _rows(sections.synthesis_markdown(s)) if line.startswith("| Score de maturité"))
    assert "questionnaire incomplet (2 %)" in row.replace("\\", "") and not re.search(r"rang \d", row)


def test_synthesis_ranks_only_against_sourced_peers():
    s = _summary(519.0, 386.0, 11_500.0, 8_224.0)
    s["maturity"] = {"published": True, "score_pct": 52.0, "level": "Structuré",
                     "benchmark": {"rank": 2, "n_peers": 5, "peers_sourced": False}}
    row = next(line for line in _rows(sections.synthesis_markdown(s)) if line.startswith("| Score de maturité"))
    assert "rang" not in row and "aucune collectivité de comparaison sourcée" in row
    s["maturity"]["benchmark"]["peers_sourced"] = True
    row = next(line for line in _rows(sections.synthesis_markdown(s)) if line.startswith("| Score de maturité"))
    assert "rang 2 sur 6" in row


def test_assumed_input_lines_count_input_tables_only(tmp_path):
    """Two inventory lines marked ASSUMPTION; the derived carbon_lines table repeats their comments: 2 input
    lines, not 4."""
    import pandas as pd

    inv = pd.DataFrame({"line_id": ["L1", "L2", "L3"], "comment": ["ASSUMPTION: a", "ASSUMPTION: b", "measured"]})
    inv.to_csv(tmp_path / "inventory.csv", index=False)
    inv.to_csv(tmp_path / "carbon_lines.csv", index=False)
    assert len(sections.assumed_inputs(tmp_path)) == 2
