"""The follow-up of last year's study in French (issue 34): the wording of the actions' statuses, the year-on-year
verdict, the section « Suivi » and its tables. Reads the ``follow_up`` part of ``summary.json``
(:func:`helpers.run.actions_section.follow_up`) only."""

from __future__ import annotations

import pandas as pd

from helpers.report.plotting import NBSP, esc, fr_number

#: status code of an action (:data:`helpers.io.catalogue.STATUS_CODES`) -> French
STATUS_FR: dict[str, str] = {"planned": "prévue", "in_progress": "en cours", "done": "réalisée",
                             "abandoned": "abandonnée"}
PARTS_FR = {"total": "Évolution totale", "activity": "dont activité (parc, énergie, dépenses, volumes)",
            "factors_and_method": "dont facteurs et méthode (bibliothèque, millésime d'électricité, code)"}


def with_status_labels(actions: list[dict]) -> list[dict]:
    """The follow-up's actions (:func:`helpers.plan.follow_up.actions_follow_up`) with the French ``status_fr``
    right after each ``status`` (the order of the columns of the table ``follow_up_actions``)."""
    out = []
    for a in actions:
        row = {}
        for key, value in a.items():
            row[key] = value
            if key == "status":
                row["status_fr"] = STATUS_FR[value]
        out.append(row)
    return out


def _t(value) -> str:
    return f"{fr_number(value, 0)}{NBSP}tCO2e"


def _signed(value, decimals: int = 0) -> str:
    text = fr_number(abs(value), decimals)
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def verdict_sentence(follow: dict) -> str:
    """One French sentence: is the collectivity ahead of or behind its own plan of last year, in tCO2e and %, on
    its footprint at last year's method (a method change is never counted as progress)."""
    v = follow.get("verdict") or {}
    year, prev = follow["reference_year"], follow["previous_reference_year"]
    like = follow["like_for_like_tco2e"]
    if v.get("status") in ("ahead", "behind"):
        word = "en avance sur" if v["status"] == "ahead" else "en retard sur"
        return (f"Suivi {prev} → {year} : à méthode constante, l'empreinte {year} est de {_t(like)}, {word} le plan "
                f"de l'étude {prev} ({_t(v['plan_tco2e'])} prévues pour {year}) de {_t(abs(v['gap_tco2e']))} "
                f"({fr_number(abs(v['gap_pct']), 1 if abs(v['gap_pct']) < 10 else 0)}{NBSP}%).")
    return (f"Suivi {prev} → {year} : à méthode constante, l'empreinte {year} est de {_t(like)} ; l'étude {prev} ne "
            "publiait pas de trajectoire année par année, l'avance ou le retard sur son plan ne peut pas être "
            "mesuré.")


def change_table(follow: dict) -> pd.DataFrame:
    """The change of the total, split into activity and factors and method, with intervals (French headers)."""
    rows = []
    for key in ("total", "activity", "factors_and_method"):
        d = follow["change_tco2e"][key]
        interval = (f"{_signed(d['value'])} [{_signed(d['low'])} ; {_signed(d['high'])}]"
                    if d["low"] != d["high"] else f"{_signed(d['value'])} (sans tirage : même entrées, deux méthodes)")
        rows.append({"Part": PARTS_FR[key], "Évolution (tCO2e/an) [fourchette probable]": interval})
    return pd.DataFrame(rows)


def actions_table(follow: dict) -> pd.DataFrame:
    """The plan's actions of last year, their status and what their indicator shows (French headers)."""
    rows = []
    for a in follow["actions"]:
        seen = ("—" if a["indicator_current"] is None else
                f"{fr_number(a['indicator_previous'], 1)} → {fr_number(a['indicator_current'], 1)} "
                f"{esc(a['indicator_unit'] or '')}".strip() if a["indicator_previous"] is not None else
                fr_number(a["indicator_current"], 1))
        rows.append({"Action": f"{a['id']} {esc(a['title'] or '')}",
                     "Statut": a["status_fr"] + (f" ({a['year']})" if a["year"] else "")
                     + ("" if a["declared"] else " (non renseigné)"),
                     "Gain attendu (tCO2e/an)": "—" if a["expected_reduction_tco2e_per_year"] is None else
                     fr_number(a["expected_reduction_tco2e_per_year"], 1),
                     "Indicateur (an dernier → cette année)": seen})
    return pd.DataFrame(rows)


def indicators_table(follow: dict) -> pd.DataFrame:
    """Last year's indicators: baseline, milestone target, last year's value, this year's and on track (French)."""
    word = {True: "oui", False: "non", None: "—"}
    return pd.DataFrame([{
        "Indicateur": (f"{i['action_id']} : " if i["action_id"] else "") + esc(str(i["indicator"] or ""))[:70],
        "Unité": esc(str(i["unit"] or "")),
        "Référence": i["baseline"], f"Cible {follow['milestone_year']}": i["target"],
        f"Valeur {follow['reference_year']}": i["current"], "Sur la trajectoire": word[i["on_track"]],
    } for i in follow["indicators"]])


def follow_up_markdown(summary: dict) -> str:
    """The section « Suivi » (French), right after the synthesis: the verdict, the change split into activity and
    factors and method, the actions done and planned, and the rule of the indicators (tables in the annex and in
    tables.xlsx); empty without a previous study."""
    follow = summary.get("follow_up")
    if not follow:
        return ""
    c = follow["change_tco2e"]
    prev, year = follow["previous_reference_year"], follow["reference_year"]
    counts = {}
    for a in follow["actions"]:
        counts[a["status_fr"]] = counts.get(a["status_fr"], 0) + 1
    done = ", ".join(f"{n} {s}{'s' if n > 1 else ''}" for s, n in counts.items()) or "aucune"
    inds = [i for i in follow["indicators"] if i["on_track"] is not None]
    ok = sum(1 for i in inds if i["on_track"])
    lines = [
        "## Suivi depuis l'étude précédente", "",
        verdict_sentence(follow), "",
        f"- **Évolution de l'empreinte de {prev} à {year}** : {_signed(c['total']['value'])}{NBSP}tCO2e/an, dont "
        f"{_signed(c['activity']['value'])} dus à l'activité (parc, énergie, dépenses, volumes ; fourchette "
        f"{_signed(c['activity']['low'])} à {_signed(c['activity']['high'])}) et "
        f"{_signed(c['factors_and_method']['value'])} aux facteurs et à la méthode (mêmes entrées {prev} recalculées "
        f"avec la bibliothèque et le code de cette année, millésime d'électricité {year} compris). Une évolution due "
        "aux facteurs ou à la méthode n'est jamais comptée comme une réduction.",
        f"- **Actions du plan de l'étude {prev}** : {done}.",
        f"- **Indicateurs** : {ok} sur {len(inds)} sur la trajectoire (règle : depuis la référence {prev}, "
        f"l'indicateur a parcouru au moins la part du chemin vers sa cible {follow['milestone_year']} que le temps "
        "écoulé représente) ; le détail est dans les annexes et dans tables.xlsx (feuilles « Suivi … »).",
        f"- Étude précédente : {esc(follow['previous_study'])} (version du code {esc(str(follow['previous_code_version']))}, "
        f"facteurs {esc(str(follow['previous_factors_version']))}), lue dans ce qu'elle a publié.",
    ]
    return "\n".join(lines)
