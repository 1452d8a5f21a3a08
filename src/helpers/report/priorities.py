"""The stakeholders' priorities and the score weights in French for notebook 05 (issue 35): the ranking of the plan
with and without the stakeholders' criterion, and the weights of the score as ``territory.yaml`` sets them."""

from __future__ import annotations

#: ``plan_priorities.method`` of ``summary.json``: how the votes become the stakeholders' criterion
#: (:func:`helpers.plan.priorities.stakeholder_support`)
METHOD_FR = ("chaque groupe compte autant : poids divisés par leur somme ; soutien d'une action = part de l'action + "
             "moyenne des parts de ses axes, moyenne des groupes, divisée par le soutien le plus fort")

#: French names of the criteria of the priority score
CRITERIA_FR = {"gain": "gain (rang parmi les actions à gain positif)",
               "cost": "coût (1 si l'action fait économiser, 0,5 à 250 €/t)",
               "effort": "facilité (effort 1 → 1, effort 3 → 0)",
               "maturity": "écart de maturité (1 − score des axes de l'action en partie 4)",
               "stakeholders": "priorités des parties prenantes (1 pour l'action la plus soutenue)"}


def score_markdown(study) -> str:
    """French sentence: the score's formula with the weights used (``territory.yaml: score_weights``)."""
    from helpers.model.parameters import DEFAULTS
    from helpers.report.plotting import fr_number

    w = study.info.get("score_weights", dict(DEFAULTS.score_weights))
    used = [k for k in ("gain", "cost", "effort", "maturity") if k in w]
    if "priorities" in study.info:
        used.append("stakeholders")
    total = sum(w[k] for k in used)
    terms = " + ".join(f"{fr_number(w[k], 2)} × {CRITERIA_FR[k]}" for k in used)
    text = f"Score (0 à 1) = {terms}"
    if abs(total - 1.0) > 1e-9:
        text += f", divisé par la somme des poids ({fr_number(total, 2)})"
    text += ". Poids réglables dans territory.yaml (score_weights)."
    if "priorities_summary" in study.info:  # issue 35: both rankings of the plan, in one sentence (annex budget)
        p = study.info["priorities_summary"]
        text += (f" Classement du plan avec les priorités des parties prenantes : {', '.join(p['ranking_with'])} ; "
                 f"sans elles : {', '.join(p['ranking_without'])}.")
    return text


def _ordinal(n: int) -> str:
    return "1er" if n == 1 else f"{n}e"


def priorities_markdown(study) -> str:
    """French paragraph for the main page (its budget allows no table): whether the stakeholders' priorities were
    given, the groups and the weight of their criterion, and the plan's actions whose rank they change (the largest
    moves first; the two rankings in full in the annex and in the sheet « Priorités parties prenantes »)."""
    from helpers.report.plotting import esc, fr_number

    info = study.info
    if "priorities" not in info:
        return ("Aucune priorité des parties prenantes n'est fournie (fichier priorities.csv : votes d'une réunion "
                "publique, d'un conseil citoyen ou d'une enquête auprès des agents) : le classement repose sur le "
                "gain, le coût, la facilité et l'écart de maturité.")
    comp = info["priorities"]
    s = info["priorities_summary"]
    plan = comp[comp["rank_with"].notna()].copy()
    plan["move"] = plan["rank_without"].astype(int) - plan["rank_with"].astype(int)
    moved = plan[plan["move"] != 0].assign(size=lambda d: d["move"].abs()).sort_values(["size", "rank_with"],
                                                                                       ascending=[False, True])
    text = (f"**Priorités des parties prenantes.** Les votes de {len(s['groups'])} groupe(s) "
            f"({esc(', '.join(f'« {g} »' for g in s['groups']))}) forment un critère du classement, de poids "
            f"{fr_number(s['weight'], 2)} : ")
    if moved.empty:
        return text + f"ils ne changent le rang d'aucune des {len(plan)} actions du plan."
    shown = [f"« {esc(r.title_fr)} » {_ordinal(int(r.rank_with))} (sans eux : {_ordinal(int(r.rank_without))})"
             for r in moved.head(3).itertuples(index=False)]
    more = f", et {len(moved) - 3} autre(s)" if len(moved) > 3 else ""
    return (text + f"ils changent le rang de {len(moved)} des {len(plan)} actions du plan : " + " ; ".join(shown)
            + more + ". Les deux classements complets sont en annexe et dans tables.xlsx (feuille « Priorités "
            "parties prenantes »).")
