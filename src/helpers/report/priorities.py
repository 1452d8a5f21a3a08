"""The stakeholders' priorities and the score weights in French for notebook 05 (issue 35): the ranking of the plan
with and without the stakeholders' criterion, and the weights of the score as ``territory.yaml`` sets them."""

from __future__ import annotations

import pandas as pd

#: French names of the criteria of the priority score
CRITERIA_FR = {"gain": "gain (rang parmi les actions à gain positif)",
               "cost": "coût (1 si l'action fait économiser, 0,5 à 250 €/t)",
               "effort": "facilité (effort 1 → 1, effort 3 → 0)",
               "maturity": "écart de maturité (1 − score des axes de l'action en partie 4)",
               "stakeholders": "priorités des parties prenantes (1 pour l'action la plus soutenue)"}
#: actions of the plan shown on the main page (all in the annex and in tables.xlsx)
TOP_SHOWN = 5


def score_markdown(study) -> str:
    """French sentence: the score's formula with the weights used (``territory.yaml: score_weights``)."""
    from helpers.plan.actions import SCORE_WEIGHTS
    from helpers.report.plotting import fr_number

    w = study.info.get("score_weights", dict(SCORE_WEIGHTS))
    used = [k for k in ("gain", "cost", "effort", "maturity") if k in w]
    if "priorities" in study.info:
        used.append("stakeholders")
    total = sum(w[k] for k in used)
    terms = " + ".join(f"{fr_number(w[k], 2)} × {CRITERIA_FR[k]}" for k in used)
    text = f"Score (0 à 1) = {terms}"
    if abs(total - 1.0) > 1e-9:
        text += f", divisé par la somme des poids ({fr_number(total, 2)})"
    return text + ". Poids réglables dans territory.yaml (score_weights)."


def priorities_markdown(study) -> str:
    """French text for the main page: whether the stakeholders' priorities were given and how they move the plan's
    first actions (a short table: rank with, rank without, action)."""
    from helpers.report.plotting import esc, fr_number, html_table

    info = study.info
    if "priorities" not in info:
        return ("Aucune priorité des parties prenantes n'est fournie (fichier priorities.csv : votes d'une réunion "
                "publique, d'un conseil citoyen ou d'une enquête auprès des agents) : le classement repose sur le "
                "gain, le coût, la facilité et l'écart de maturité.")
    comp = info["priorities"]
    s = info["priorities_summary"]
    plan = comp[comp["rank_with"].notna()].sort_values("rank_with")
    moved = int((plan["rank_with"].astype(int) != plan["rank_without"].astype(int)).sum())
    text = (f"Les priorités de {len(s['groups'])} groupe(s) de parties prenantes ({esc(', '.join(s['groups']))}) "
            f"forment un critère du classement, de poids {fr_number(s['weight'], 2)} : elles changent le rang de "
            f"{moved} des {len(plan)} actions du plan (classement sans elles en annexe, « Priorités des parties "
            "prenantes »).")
    top = plan.head(TOP_SHOWN)
    table = pd.DataFrame({"Rang avec": top["rank_with"].astype(int), "Rang sans": top["rank_without"].astype(int),
                          "Action": top["title_fr"]})
    return text + "\n\n" + html_table(table, f"Les {len(top)} premières actions du plan, avec et sans les priorités "
                                             "des parties prenantes", max_rows=TOP_SHOWN)


def priorities_table(study) -> pd.DataFrame | None:
    """The annex table: every ranked action with its rank with and without the stakeholders' criterion, its support
    and its score with and without; None without priorities."""
    comp = study.info.get("priorities")
    if comp is None:
        return None
    def rank(v):
        return "" if pd.isna(v) else int(v)

    return pd.DataFrame({
        "Action": comp["action_id"] + " " + comp["title_fr"],
        "Rang avec": [rank(v) for v in comp["rank_with"]],
        "Rang sans": [rank(v) for v in comp["rank_without"]],
        "Soutien (0 à 1)": comp["stakeholder_component"].round(2),
        "Score avec": comp["score_with"].round(3), "Score sans": comp["score_without"].round(3)})
