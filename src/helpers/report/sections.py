"""Sections of the diagnostic generated at publication from ``summary.json`` and the processed tables.

- :func:`synthesis_markdown`: section 1, the figures that matter and the first actions;
- :func:`method_markdown`: the last section, method, assumptions, overrides, factor table used, environment and the
  inputs' sha256;
- :func:`write_tables_xlsx`: ``tables.xlsx`` for partners (one sheet per key table, units and sources in the sheet),
  byte-identical across runs.

Every string that comes from the inputs is escaped with :func:`helpers.report.plotting.esc`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from helpers.io.french import count_text
from helpers.report.plotting import NBSP, code, esc, fr_number, fr_sig, html_table

NA = "non disponible"
#: what the page says where an input file was not provided (issue 33), never a zero or a zero interval
NOT_GIVEN = "non fourni"


def _interval(d: dict | None, decimals: int = 0, unit: str = "") -> str:
    if not isinstance(d, dict) or d.get("value") is None:
        return NA
    text = fr_number(d["value"], decimals)
    if d.get("low") is not None and d.get("high") is not None:
        text += f" [{fr_number(d['low'], decimals)} – {fr_number(d['high'], decimals)}]"
    return f"{text}{NBSP}{unit}" if unit else text


def _per_person_references() -> str:
    """Published per-employee / per-user references (``published_benchmarks.csv``), for the synthesis."""
    from helpers.io.carbon_reference import load_published_benchmarks
    from helpers.report.carbon import per_person_references

    refs = per_person_references(load_published_benchmarks())
    return f"repères publiés : {esc(refs)}" if refs else ""


#: plain-French names of the balance's tiers, for the synthesis sentences
TIER_WORDS: dict[str, str] = {
    "terminals": "des terminaux, postes, écrans, téléphones et imprimantes",
    "services": "des services, logiciels et hébergements en nuage achetés, estimés par leur montant",
    "datacentres": "de l'hébergement et des salles serveurs",
    "paper": "du papier",
    "networks": "des réseaux",
}
EFFORT_WORDS = {1: "faible", 2: "moyen", 3: "fort"}


def _t(value) -> str:
    return f"{fr_number(value, 0)}{NBSP}tCO2e"


def _between(d: dict | None, unit: str = "tCO2e") -> str:
    """``"entre 497 et 1 120 tCO2e"`` from an interval dict, or ``""``."""
    if not isinstance(d, dict) or d.get("low") is None or d.get("high") is None:
        return ""
    return f"entre {fr_number(d['low'], 0)} et {fr_number(d['high'], 0)}{NBSP}{unit}"


def label_nr_sentence(label: dict | None) -> str:
    """French sentence when the collectivity holds the Label Numérique Responsable (``territory.yaml: label_nr``),
    with its level and year when published; empty otherwise (issue 32)."""
    if not label or not label.get("held"):
        return ""
    level = f" de niveau {label['level']}" if label.get("level") else ""
    year = f" depuis {label['year']}" if label.get("year") else ""
    note = f" ({esc(label['note'])})" if label.get("note") else ""
    return f"La collectivité détient déjà le Label Numérique Responsable{level}{year}{note}."


def provided(summary: dict, file: str) -> bool | None:
    """Whether the input ``file`` (``purchases.csv``…) was provided (``summary["inputs_provided"]``, issue 33); None
    for a summary written before that key."""
    given = summary.get("inputs_provided")
    if not isinstance(given, dict):
        return None
    return bool(given.get(file, False))


def of_name(territory: dict) -> str:
    """``"de la Commune de Trois-Lignes"``: the territory's name after "de", with its article
    (:func:`helpers.io.french.de_name`; ``territory.yaml``: ``kind``, ``article``), escaped for the page."""
    from helpers.io.french import de_name

    name = territory.get("name")
    if not name:
        return "de la collectivité"
    return esc(de_name(name, territory.get("kind"), territory.get("article")))


def footprint_sentences(carbon: dict, name: str, ref_year, purchases_given: bool | None = None) -> list[str]:
    """The footprint sentences of the synthesis (issue 32), from ``summary["carbon"]`` only: the physical scope first
    with its interval and per agent, what drives it and the manufacturing share with its base, then the purchases
    converted by a monetary ratio as their own line with their interval and the ratios' source and year, and the
    total that the trajectory follows. ``name`` is the territory's name after "de" (:func:`of_name`). Purchases not
    provided (``purchases_given`` False) are said "non fournis", never "0 t". A sentence whose data is missing is
    left out."""
    from helpers.model.carbon import SPEND_PHASE

    out: list[str] = []
    phys = carbon.get("physical_tco2e") or {}
    total = carbon.get("total_tco2e") or {}
    if phys.get("value") is None:
        if total.get("value") is not None:  # a summary without scopes (older study): the total, said as such
            out.append(f"L'empreinte carbone annuelle du numérique {name} est estimée à {_t(total['value'])} en "
                       f"{ref_year}.")
        return out
    agent = ((carbon.get("per_agent_by_scope_kgco2e") or {}).get("physical") or {}).get("value")
    per = f", soit {fr_number(agent, 0)}{NBSP}kgCO2e par agent" if agent is not None else ""
    between = _between(phys)
    out.append(f"Sur son périmètre physique (équipements, leur énergie, hébergement, réseaux et papier), l'empreinte "
               f"carbone annuelle du numérique {name} est estimée à {_t(phys['value'])} en {ref_year}"
               + (f", très probablement {between}" if between else "") + f"{per}.")
    tiers = carbon.get("by_tier_with_spend") or {k: {"value": v} for k, v in (carbon.get("by_tier") or {}).items()}
    ranked = sorted(((d.get("value") or 0.0, k) for k, d in tiers.items()
                     if k in TIER_WORDS and k not in (SPEND_PHASE, "services") and d.get("value")), reverse=True)
    share = carbon.get("equipment_manufacturing_share")
    made = ("" if share is None else
            f" ; la fabrication des équipements en représente {fr_number(100 * share, 0)}{NBSP}% (base : "
            "équipements, leur énergie, hébergement et réseaux, sans papier ni achats)")
    if len(ranked) >= 2:
        out.append(f"Elle vient d'abord {TIER_WORDS[ranked[0][1]]} ({_t(ranked[0][0])}), puis "
                   f"{TIER_WORDS[ranked[1][1]]} ({_t(ranked[1][0])}){made}.")
    elif made:
        out.append(made[3:].capitalize() + ".")
    spend = carbon.get("spend_based_tco2e") or {}
    if spend.get("value"):
        years = sorted({r["year"] for r in carbon.get("spend_based_ratios") or [] if r.get("year")})
        source = ("les ratios monétaires de l'ADEME (Base Carbone, " + ", ".join(map(str, years)) + ")" if years
                  else "des ratios monétaires")
        text = (f"S'y ajoutent, à part, les achats de services et logiciels, estimés par leur montant avec {source} : "
                f"{_t(spend['value'])}" + (f", {_between(spend)}" if _between(spend) else ""))
        if total.get("value") is not None:
            text += (f" ; le total, {_t(total['value'])}" + (f" ({_between(total)})" if _between(total) else "")
                     + ", est la base de la trajectoire")
            if all(d.get(k) is not None for d in (phys, spend) for k in ("low", "high")) and \
                    spend["high"] - spend["low"] > phys["high"] - phys["low"]:
                text += " ; l'essentiel de son incertitude vient de ces achats, faute de mesure physique"
        out.append(text + ".")
    elif purchases_given is False:
        out.append("Les achats de services et logiciels (estimés par leur montant) ne sont pas fournis : ils ne sont "
                   "pas comptés.")
    return out


def synthesis_sentences(summary: dict) -> list[str]:
    """Five to eight plain-French sentences for decision-makers, from ``summary`` only: the footprint and what drives
    it, how sure we are ("entre … et …"), the maturity level (or "questionnaire incomplet"), the plan's effect,
    whether the milestone is met ("atteint" / "non atteint", from ``trajectory.milestone_met``) and the remaining
    effort, and the three decisions to take now. Sentences whose data is missing are left out, never invented."""
    carbon = summary.get("carbon") or {}
    maturity = summary.get("maturity") or {}
    t = summary.get("trajectory") or {}
    territory = summary.get("territory") or {}
    name = of_name(territory)
    ref_year = territory.get("reference_year", "")
    out: list[str] = []
    out += footprint_sentences(carbon, name, ref_year, provided(summary, "purchases.csv"))
    if maturity.get("questionnaire_provided") is False:
        out.append("Le niveau de maturité numérique responsable n'est pas évalué : questionnaire de maturité non "
                   "fourni.")
    elif maturity.get("published") is False:
        out.append(f"Le niveau de maturité numérique responsable n'est pas publié : {esc(maturity.get('level', 'questionnaire incomplet'))}.")
    elif maturity.get("score_pct") is not None:
        out.append(f"Le niveau de maturité numérique responsable est « {esc(maturity.get('level', ''))} » "
                   f"({fr_number(maturity['score_pct'], 0)}{NBSP}% des points du questionnaire).")
    label = label_nr_sentence(territory.get("label_nr"))
    if label:
        out.append(label)
    plan = summary.get("plan_reduction_balance_tco2e_per_year") or summary.get("plan_reduction_tco2e_per_year") or {}
    info = summary.get("plan") or {}
    if plan.get("value") is not None:
        pct = info.get("reduction_pct_of_reference")
        pct = (f", soit {fr_number(pct, 0)}{NBSP}% du bilan {ref_year}" if pct is not None else "")
        rng = _between(plan)
        what = ("Le plan proposé, à décider," if info.get("status") == "proposed" else
                "Le plan adopté" if info.get("status") == "adopted" else "Le plan d'actions")
        start = f" à partir de {info['start_year']}" if info.get("start_year") else ""
        out.append(f"{what} réduirait le bilan de {_t(plan['value'])} par an une fois mis en œuvre{start}{pct}"
                   + (f" ({rng})" if rng else "") + ".")
    if t.get("milestone_met") is not None:
        m = t.get("milestone_year", 2030)
        if t["milestone_met"]:
            out.append(f"En {m}, objectif atteint : le plan mène à {_t(t['plan_2030_tco2e'])} pour "
                       f"{_t(t['target_2030_tco2e'])} visées.")
        else:
            out.append(f"En {m}, objectif non atteint : le plan mène à "
                       f"{_t(t['plan_2030_tco2e'])} pour {_t(t['target_2030_tco2e'])} visées ; il manque "
                       f"{_t(t['gap_milestone_tco2e'])} de réduction par an, soit "
                       f"{fr_number(t.get('extra_reduction_pct_of_reference', 0), 0)}{NBSP}% du bilan {ref_year}.")
        over = t.get("budget_overshoot_tco2e")
        if over is not None and t.get("target_year"):
            out[-1] += (f" Sur {t.get('reference_year', ref_year)}–{t['target_year']}, le total des émissions "
                        + (f"dépasse le budget carbone de {_t(over)} ({fr_number(t.get('budget_overshoot_pct', 0), 0)}{NBSP}%)."
                           if over > 0 else "reste dans le budget carbone."))
    decisions = _decisions(summary)
    if decisions:
        out.append(f"{_decisions_lead(summary, len(decisions))} : " + " ; ".join(decisions) + ".")
    return out


def _decisions_lead(summary: dict, n: int) -> str:
    """"Trois décisions pour lancer le plan en 2025" (the plan's decision year, never the clock)."""
    words = {1: "Une décision", 2: "Deux décisions", 3: "Trois décisions"}  # a count of at most 3, in words
    year = (summary.get("plan") or {}).get("start_year")
    return words.get(n, f"{n} décisions") + (f" pour lancer le plan en {year}" if year else " à prendre")


def _decisions(summary: dict) -> list[str]:
    """The decisions of the synthesis: adopt the proposed plan, or launch the two first actions of the adopted plan
    (the plan's one priority order, :func:`top_actions`); close the gap to the milestone (or secure the plan's
    funding when it is met); complete the maturity questionnaire when it is incomplete, else install the steering
    committee and its annual review (décret n° 2022-1084)."""
    info = summary.get("plan") or {}
    first = _plan_actions(summary)[:2]
    out = []
    if info.get("status") == "proposed":
        out.append(f"adopter le plan proposé ({count_text(len(info.get('actions_in_plan') or []), 'action')}), en le "
                   "complétant ou en le réduisant dans le fichier actions.csv")
    elif first:
        titles = " et ".join(f"« {esc(a.get('title', a.get('id', '')))} »" for a in first)
        out.append(f"lancer {titles}, premières du plan par ordre de priorité")
    t = summary.get("trajectory") or {}
    if t.get("milestone_met") is False:
        more = info.get("complementary_actions") or []
        hint = ("" if not more else f" (parmi les {len(more)} actions complémentaires proposées en partie 5, d'abord "
                f"{', '.join(more[:3])})" if len(more) > 3 else
                f" ({'action complémentaire proposée' if len(more) == 1 else 'actions complémentaires proposées'} : "
                f"{', '.join(more)})")
        out.append(f"décider de mesures supplémentaires pour {_t(t.get('gap_milestone_tco2e'))} par an d'ici "
                   f"{t.get('milestone_year', 2030)}{hint}")
    elif t.get("milestone_met"):
        out.append("inscrire au budget les moyens du plan pour tenir l'objectif")
    m = summary.get("maturity") or {}
    if m.get("questionnaire_provided") is False:
        out.append("remplir le questionnaire de maturité pour publier un niveau")
    elif m.get("published") is False:
        out.append("compléter le questionnaire de maturité pour publier un niveau")
    else:
        out.append("installer un comité de pilotage et une revue annuelle du plan")
    return out[:3]


def _plan_actions(summary: dict) -> list[dict]:
    """The plan's ranked actions in the plan's one priority order (rank 1 first), as :func:`top_actions`."""
    acts = [a for a in summary.get("actions") or []
            if a.get("rank") is not None and a.get("kind", "reduction") == "reduction" and a.get("selected", True)]
    return sorted(acts, key=lambda a: a["rank"])


def read_plan(processed: Path) -> pd.DataFrame | None:
    """The ``actions_plan`` table written by notebook 05 (costs, effort per action), or ``None``."""
    path = processed / "actions_plan.csv"
    return pd.read_csv(path) if path.exists() else None


def footprint_rows(carbon: dict, purchases_given: bool | None = None) -> list[tuple[str, str, str]]:
    """The footprint rows of the synthesis' key figures (issue 32), from ``summary["carbon"]``: the physical scope
    first, the purchases converted by a monetary ratio as their own row (ratios, source, year, the previous ratio as
    a sensitivity, and the total the trajectory follows; without purchases the physical scope is the total), per
    agent on the physical scope beside the references
    published on that same scope (perimeter and address printed), and the one manufacturing share with its base.
    Purchases not provided (``purchases_given`` False) get their row "non fourni" (issue 33), never "0 [0 – 0]"."""
    from helpers.report.carbon import same_scope_references, spend_ratios_text, spend_sensitivity_text

    physical, spend, total = carbon.get("physical_tco2e"), carbon.get("spend_based_tco2e"), carbon.get("total_tco2e")
    eq_share = carbon.get("equipment_manufacturing_share")
    share = None if eq_share is None else 100 * eq_share
    agent = (carbon.get("per_agent_by_scope_kgco2e") or {}).get("physical") or carbon.get("per_agent_kgco2e")
    refs = same_scope_references(carbon.get("benchmark_comparison"), "physical")
    ratios = spend_ratios_text(carbon.get("spend_based_ratios"))
    sens = spend_sensitivity_text(carbon.get("spend_based_sensitivity"))
    pub = carbon.get("published") or {}
    pub_share = (pub.get("split") or {}).get("manufacturing")
    share_refs = "repères sur cette base : France 78 % (ADEME–Arcep 2022), WeNR 2021 77 %" + (
        f" ; bilan publié par la collectivité ({pub.get('year')}) : {fr_number(100 * pub_share, 0)}{NBSP}%, écart "
        "expliqué en partie 3" if pub_share is not None else "")
    rows = [("Empreinte carbone annuelle du numérique, périmètre physique", _interval(physical, 0, "tCO2e/an"),
             "équipements, leur énergie, hébergement, réseaux et papier")]
    with_total = (f"total avec le périmètre physique, base de la trajectoire : {_interval(total, 0, 'tCO2e/an')}"
                  if total and total.get("value") is not None else "")
    if spend and spend.get("value"):
        rows.append(("Achats de services et logiciels, à part (ratio monétaire)", _interval(spend, 0, "tCO2e/an"),
                     " ; ".join(x for x in (esc(ratios), esc(sens), with_total) if x)))
    elif purchases_given is False:
        rows.append(("Achats de services et logiciels, à part (ratio monétaire)", NOT_GIVEN,
                     "fichier des achats absent : non comptés, le périmètre physique est le total"))
    rows += [
        ("Par agent, périmètre physique", _interval(agent, 0, "kgCO2e/an"),
         f"repères publiés sur le même périmètre : {esc(refs)}" if refs else ""),
        ("Part de la fabrication des équipements", NA if share is None else f"{fr_number(share, 0)}{NBSP}%",
         "base : équipements, leur énergie, hébergement et réseaux, sans papier ni achats ; " + share_refs),
    ]
    return rows


def first_screen_html(summary: dict) -> str:
    """The first screen of the synthesis (issue 33): at most three short sentences a phone shows above the fold,
    each led by its figure in bold — the footprint (physical scope, tCO2e per year), the milestone verdict
    ("objectif … atteint" / "non atteint") and the first decision of the synthesis. Raw HTML (one list), from
    ``summary`` only; a sentence whose data is missing is left out; ``""`` when none is left."""
    carbon = summary.get("carbon") or {}
    territory = summary.get("territory") or {}
    t = summary.get("trajectory") or {}
    items = []
    phys = carbon.get("physical_tco2e") or {}
    head = phys if phys.get("value") is not None else carbon.get("total_tco2e") or {}
    if head.get("value") is not None:
        scope = "périmètre physique, " if head is phys else ""
        between = _between(head)
        items.append(f"<strong>{fr_number(head['value'], 0)}{NBSP}tCO2e par an</strong>\u00a0: l'empreinte carbone du "
                     f"numérique en {territory.get('reference_year', '')} ({scope}"
                     + (f"très probablement {between}" if between else "valeur centrale") + ").")
    if t.get("milestone_met") is not None and t.get("plan_2030_tco2e") is not None:
        m = t.get("milestone_year", 2030)
        status = (summary.get("plan") or {}).get("status")
        plan = {"proposed": "le plan proposé", "adopted": "le plan adopté"}.get(status, "le plan d'actions")
        verdict = "atteint" if t["milestone_met"] else "non atteint"
        items.append(f"<strong>Objectif {m} {verdict}</strong>\u00a0: avec {plan}, {_t(t['plan_2030_tco2e'])} en {m} "
                     f"pour {_t(t.get('target_2030_tco2e'))} visées.")
    decisions = _decisions(summary)
    if decisions:
        year = (summary.get("plan") or {}).get("start_year")
        items.append(f"<strong>Première décision{f' en {year}' if year else ''}</strong>\u00a0: {decisions[0]}.")
    if not items:
        return ""
    return '<ul class="essentiel">\n' + "\n".join(f"<li>{x}</li>" for x in items) + "\n</ul>"


def raw_table(caption: str, headers: list[str], rows: list[tuple], row_headers: bool = False) -> str:
    """An HTML table whose cells are already safe (escaped with :func:`esc` where they come from the inputs), with
    its caption and header scopes, one line per row (a blank line would end the raw HTML block of a Markdown cell);
    ``row_headers`` makes the first cell of each row a row header."""
    out = ["<table>", f"<caption>{caption}</caption>",
           "<tr>" + "".join(f'<th scope="col">{h}</th>' for h in headers) + "</tr>"]
    for row in rows:
        cells = [f'<th scope="row">{c}</th>' if i == 0 and row_headers else f"<td>{c}</td>" for i, c in enumerate(row)]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def synthesis_markdown(summary: dict, plan: pd.DataFrame | None = None) -> str:
    """Section 1 (French), for decision-makers: the first screen (:func:`first_screen_html`: footprint, milestone
    verdict, first decision), then the full synthesis — the sentences of :func:`synthesis_sentences`, the key
    figures (with their probable range) and the first actions ranked by tonnes reduced, with cost and effort (from
    ``plan``, the ``actions_plan`` table, when given)."""
    rows = footprint_rows(summary.get("carbon") or {}, provided(summary, "purchases.csv")) + [
        ("Score de maturité numérique responsable", *_maturity_key_figure(summary)), _plan_key_figure(summary)]
    lines = ["## 1. Synthèse pour les décideurs", ""]
    if summary.get("follow_up"):  # a follow-up opens with the year-on-year verdict (issue 34)
        from helpers.report.follow_up import verdict_sentence

        lines += [f"**{verdict_sentence(summary['follow_up'])}**", ""]
    first = first_screen_html(summary)
    if first:
        lines += [first, ""]
    sentences = synthesis_sentences(summary)
    lead = _decisions_lead(summary, len(_decisions(summary)))
    decide = [x for x in sentences if x.startswith(lead)]
    facts = [x for x in sentences if x not in decide]
    if facts:
        lines += [" ".join(facts), ""]
    if decide:  # its own paragraph, bold lead: what the reader is asked to do
        lines += [decide[0].replace(lead, f"**{lead}**", 1), ""]
    lines += [raw_table("Chiffres clés (fourchette probable : 19 chances sur 20 que la valeur s'y trouve ; voir le "
                        "glossaire, partie 8)", ["Chiffre clé", "Valeur [fourchette probable]", "Repère"], rows,
                        row_headers=True)]
    return "\n".join(lines + _first_actions_markdown(summary, plan) + _avoided_markdown(summary))


def _maturity_key_figure(summary: dict) -> tuple[str, str]:
    """(value, note) of the maturity row of the key figures: not given, not published under the completeness
    threshold, or the score with its rank among sourced peers."""
    maturity = summary.get("maturity") or {}
    bench = maturity.get("benchmark") or {}
    rank = (f"rang {bench['rank']} sur {bench['n_peers'] + 1}"
            if bench.get("peers_sourced") and bench.get("rank") and bench.get("n_peers") is not None else "")
    if maturity.get("questionnaire_provided") is False:
        return NOT_GIVEN, "questionnaire de maturité absent : aucun score ni niveau"
    if maturity.get("published") is False:
        return (esc(maturity.get("level", "")),  # "questionnaire incomplet (x %)": no score, level or rank
                f"aucun score ni niveau publié sous {fr_number(maturity.get('publish_threshold_pct', 60), 0)}"
                f"{NBSP}% de réponses")
    value = (NA if maturity.get("score_pct") is None
             else f"{fr_number(maturity['score_pct'], 0)}{NBSP}% {rank}".strip())
    return value, esc(maturity.get("level", "")) + (
        "" if rank or not maturity else " ; pas de classement : aucune collectivité de comparaison sourcée")


def _eur_thousand(value) -> str:
    """Euros to the thousand (unit prices are orders of magnitude)."""
    return f"{fr_number(round(float(value), -3), 0)}{NBSP}€"


def _plan_key_figure(summary: dict) -> tuple[str, str, str]:
    """The plan's row of the key figures: its yearly reduction of the balance (share of the reference year, gain on
    the users' services), the emissions with the plan at the milestone and, when known, its budget."""
    trajectory = summary.get("trajectory") or {}
    info = summary.get("plan") or {}
    plan_red = summary.get("plan_reduction_balance_tco2e_per_year") or summary.get("plan_reduction_tco2e_per_year")
    services_red = (summary.get("plan_reduction_services_tco2e_per_year") or {}).get("value")
    ref_year = (summary.get("territory") or {}).get("reference_year", "")
    pct = info.get("reduction_pct_of_reference")
    note = (f"{fr_number(pct, 0)}{NBSP}% du bilan {ref_year}" if pct is not None else f"par rapport à {ref_year}")
    if services_red and round(services_red, 1):
        note += f", plus {fr_number(services_red, 1)}{NBSP}tCO2e/an sur les services des usagers"
    plan_word = {"proposed": "proposé, à décider", "adopted": "adopté"}.get(info.get("status"), "")
    note = (f"{note} ; émissions avec le plan en {trajectory.get('milestone_year', 2030)} : "
            f"{_interval(trajectory.get('plan_2030_tco2e_interval') or {'value': trajectory.get('plan_2030_tco2e')}, 0, 'tCO2e')}")
    totals = info.get("budget_totals") or {}
    if totals.get("years"):  # in the plan's row: the page's budget of elements
        y0, y1 = totals["years"]
        net = totals["net_eur"]
        note = (f"{note} ; budget {y0}–{y1} : {_eur_thousand(abs(net))} HT "
                f"{'de dépense nette' if net > 0 else 'd’économie nette'} (investissement "
                f"{_eur_thousand(totals['investment_eur'])}, fonctionnement {_eur_thousand(totals['operating_eur'])}, "
                f"économies {_eur_thousand(totals['savings_eur'])}), "
                f"{count_text(round(totals['staff_days']), 'jour d’agent')}, détail par année en partie 6")
    return (f"Réduction annuelle du bilan par le plan {plan_word}".strip(), _interval(plan_red, 0, "tCO2e/an"), note)


def _first_actions_markdown(summary: dict, plan: pd.DataFrame | None) -> list[str]:
    """The heading and table of the plan's first five actions (reduction, investment, yearly cost, effort from
    ``plan`` when given), or a line saying the plan is not available."""
    ranked = _plan_actions(summary)[:5]
    n_first = {1: "La première action", 2: "Les deux premières actions", 3: "Les trois premières actions",
               4: "Les quatre premières actions"}.get(len(ranked), "Les cinq premières actions")
    lines = ["", f"### {n_first} du plan, par ordre de priorité", ""]
    if not ranked:
        return lines + [f"Plan d'actions {NA}."]
    by_id = {} if plan is None or plan.empty else {r["action_id"]: r for _, r in plan.iterrows()}
    action_rows = []
    for a in ranked:
        row = by_id.get(a.get("id"))
        red = a["reduction_tco2e_per_year"]["value"]
        inv = NA if row is None else fr_number(row.get("investment_eur"), 0)
        yearly = NA if row is None else fr_number(row.get("yearly_eur"), 0)
        effort = NA if row is None else EFFORT_WORDS.get(int(row.get("effort", 0)), NA)
        # an accompanying action (lever "none": governance, training) has no carbon gain to compute, not a gain
        # of zero (issue 33: never a zero where nothing is measured)
        gain = "sans gain carbone calculé" if a.get("lever") == "none" else fr_number(red, 1)
        action_rows.append((f"{esc(a.get('id', ''))} {esc(a.get('title', ''))}", gain, inv, yearly, effort))
    return lines + [raw_table(f"{n_first} du plan : réduction du bilan, coûts hors taxes et effort",
                              ["Action", "Réduction (tCO2e/an)", "Investissement (€ HT)", "Coût annuel (€ HT)",
                               "Effort"], action_rows, row_headers=True)]


def _avoided_markdown(summary: dict) -> list[str]:
    """Apart from the ranking: the emissions the selected avoided actions avoid against the expected evolution
    without plan (none shown when rounded to zero: never a zero interval, issue 33)."""
    avoided = [a for a in summary.get("actions") or [] if a.get("kind") == "avoided" and a.get("selected", True)
               and round(((a.get("avoided_tco2e_per_year") or {}).get("value") or 0.0), 1)]
    if not avoided:
        return []
    return ["", "À part, hors classement, émissions évitées par rapport à l'évolution attendue sans plan : "
            + " ; ".join(f"{esc(a.get('title', a.get('id', '')))} — "
                         f"{_interval(a.get('avoided_tco2e_per_year'), 1, 'tCO2e/an')}" for a in avoided) + "."]


def top_actions(summary: dict, n: int = 5) -> list[str]:
    """Ids of the ``n`` first actions of the synthesis: the plan's reductions (kind ``reduction``) in rank order,
    the one list the page, the synthesis and ``summary.json`` (``synthesis.top_actions``, ``plan.top_actions``)
    show; an avoided action (against a business-as-usual counterfactual) is never among them."""
    return [a["id"] for a in _plan_actions(summary)[:n]]


def _env_versions() -> dict[str, str]:
    import platform
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("numpy", "pandas", "matplotlib", "SALib", "papermill", "nbconvert", "openpyxl"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "absent"
    return out


#: The clean tables of the territory's own input files (written by ``01_ingest``); the tables the notebooks derive
#: from them (carbon_lines, actions_plan…) repeat their comments and are not input lines.
INPUT_TABLE_STEMS: tuple[str, ...] = ("inventory", "hosting", "telecom", "purchases", "printing", "services",
                                      "rgesn", "maturity_answers", "actions", "factor_overrides",
                                      # issue 35: the territory's open data and the stakeholders' priorities
                                      "communes", "establishments", "schools", "connectivity", "datacentres",
                                      "digital_fragility", "priorities")


#: the column of an input table that says a line is assumed (the first one the table has), and the words that say it
ASSUMPTION_COLUMNS: tuple[str, ...] = ("comment", "evidence", "source")
ASSUMPTION_RE = "ASSUMPTION|HYPOTH|ASSUMED|ILLUSTRATI"


def assumed_inputs(processed: Path) -> pd.DataFrame:
    """Input lines marked as assumptions (a comment containing ``ASSUMPTION``/``HYPOTHÈSE``) in the clean tables of
    the input files (:data:`INPUT_TABLE_STEMS`), not in the tables derived from them."""
    from helpers.io.safe_write import read_csv

    rows = []
    for path in sorted(p for p in processed.glob("*.csv") if p.stem in INPUT_TABLE_STEMS):
        df = read_csv(path, dtype=str, na_values=None)  # undoes the formula-safe quoting of the processed tables
        for col in ASSUMPTION_COLUMNS:
            if col not in df.columns:
                continue
            mask = df[col].str.contains(ASSUMPTION_RE, case=False, regex=True)
            for _, r in df[mask].iterrows():
                ident = next((r[c] for c in ("line_id", "service_id", "site_id", "action_id", "entity", "commune", "group", "name") if c in df.columns), "")
                rows.append({"Fichier": f"{path.stem}.csv", "Ligne": ident, "Hypothèse": r[col]})
            break
    return pd.DataFrame(rows, columns=["Fichier", "Ligne", "Hypothèse"])


#: the clean tables of the inputs of the carbon balance (the lines behind the footprint)
BALANCE_INPUT_STEMS: tuple[str, ...] = ("inventory", "hosting", "telecom", "purchases", "printing")


def assumed_share(processed: Path) -> dict:
    """How much of the inputs is assumed (issue 36, ``summary.json`` ``inputs_assumed``): ``{rows, assumed_rows,
    share, balance_rows, balance_assumed_rows, balance_share, by_file: {stem: {rows, assumed_rows}}}``, counted on
    the clean tables of :data:`INPUT_TABLE_STEMS` with the rule of :func:`assumed_inputs`; ``balance_*`` on the
    inputs of the carbon balance (:data:`BALANCE_INPUT_STEMS`). Shares are None without any row."""
    from helpers.io.safe_write import read_csv

    by_file = {}
    for path in sorted(p for p in processed.glob("*.csv") if p.stem in INPUT_TABLE_STEMS):
        df = read_csv(path, dtype=str, na_values=None)
        col = next((c for c in ASSUMPTION_COLUMNS if c in df.columns), None)
        n = 0 if col is None else int(df[col].str.contains(ASSUMPTION_RE, case=False, regex=True).fillna(False).sum())
        by_file[path.stem] = {"rows": len(df), "assumed_rows": n}

    def share(stems) -> tuple[int, int, float | None]:
        rows = sum(v["rows"] for k, v in by_file.items() if k in stems)
        hyp = sum(v["assumed_rows"] for k, v in by_file.items() if k in stems)
        return rows, hyp, (hyp / rows if rows else None)

    rows, hyp, all_share = share(INPUT_TABLE_STEMS)
    b_rows, b_hyp, b_share = share(BALANCE_INPUT_STEMS)
    return {"rows": rows, "assumed_rows": hyp, "share": all_share, "balance_rows": b_rows,
            "balance_assumed_rows": b_hyp, "balance_share": b_share, "by_file": by_file}


def input_lines(processed: Path) -> int:
    """Lines of the clean tables of the input files (:data:`INPUT_TABLE_STEMS`), the base of
    :func:`assumed_share_text`."""
    from helpers.io.safe_write import read_csv

    return sum(len(read_csv(p, dtype=str, na_values=None)) for p in sorted(processed.glob("*.csv"))
               if p.stem in INPUT_TABLE_STEMS)


def assumed_share_text(processed: Path) -> str:
    """How many of the lines of the input files are assumptions, in French for the illustrative banner (issue 33:
    "445 des 447 lignes des fichiers fournis sont des hypothèses", not "une partie")."""
    n, total = len(assumed_inputs(processed)), input_lines(processed)
    if total == 0:
        return "aucune ligne de fichier d'entrée"
    if n == 0:
        return f"aucune des {count_text(total, 'ligne')} des fichiers fournis n'est marquée comme hypothèse".replace(
            "aucune des 1 ligne", "la seule ligne")
    if n == total:
        return ("la seule ligne des fichiers fournis est une hypothèse" if total == 1 else
                f"les {count_text(total, 'ligne')} des fichiers fournis sont toutes des hypothèses")
    verb = "est une hypothèse" if n == 1 else "sont des hypothèses"
    return f"{fr_number(n)} des {count_text(total, 'ligne')} des fichiers fournis {verb}"


#: terms a reader meets in the diagnostic, in plain French (section 8)
GLOSSARY: tuple[tuple[str, str], ...] = (
    ("tCO2e", "tonne d'équivalent CO2 : les gaz à effet de serre ramenés à l'effet du CO2."),
    ("Fourchette probable", "intervalle dans lequel la valeur se trouve 19 fois sur 20 (intervalle de confiance à "
     "95 %), obtenu en refaisant le calcul des milliers de fois avec des données et facteurs tirés dans leur plage "
     "plausible (simulation de Monte Carlo)."),
    ("Analyse de cycle de vie", "compte la fabrication, le transport, l'usage et la fin de vie d'un équipement ou "
     "d'un service ; la fabrication est répartie sur la durée de vie."),
    ("Facteur d'émission", "quantité de gaz à effet de serre par unité (par ordinateur, par kWh, par euro dépensé), "
     "tirée d'une base publique citée (ADEME, Arcep)."),
    ("Ratio monétaire", "estimation par euro dépensé, faute de mesure physique : très incertaine."),
    ("Fil de l'eau", "évolution sans plan : ce que deviendraient les émissions si rien ne changeait, d'après la tendance du parc "
     "de la collectivité."),
    ("Jalon", "année intermédiaire où la trajectoire cible est vérifiée (2030)."),
    ("Budget carbone", "total des émissions permises par la trajectoire cible, de l'année de référence à l'année "
     "cible."),
    ("PUE", "rapport entre l'énergie totale d'une salle serveurs et celle des serveurs seuls (1,5 : 50 % de plus "
     "pour le froid et l'alimentation)."),
    ("Indices de sensibilité", "part de l'incertitude du résultat due à chaque donnée (méthode de Sobol)."),
    ("RGESN", "référentiel général d'écoconception de services numériques (Arcep, Arcom, 2024)."),
)


def glossary_markdown() -> str:
    """The glossary of section 8, a definition list."""
    out = ["<dl>"]
    for term, text in GLOSSARY:
        out.append(f"<dt>{term}</dt><dd>{text}</dd>")
    out.append("</dl>")
    return "\n".join(out)


def method_markdown(summary: dict, processed: Path, factors: pd.DataFrame, overrides: pd.DataFrame | None) -> str:
    """Section 8 of the main page (French, no jargon): the method in a few sentences, what is assumed, the
    glossary; the build details (versions, fingerprints, factor table) are in :func:`reproducibility_markdown`."""
    assumed = assumed_inputs(processed)
    n_assumed = len(assumed)
    n_overrides = 0 if overrides is None else len(overrides)
    lines = ["## 8. Méthode, hypothèses, limites et glossaire", "",
             "L'empreinte d'un équipement compte la part annuelle de sa fabrication, de son transport et de sa fin de "
             "vie (l'impact divisé par sa durée de vie), plus l'électricité qu'il consomme dans l'année. Chaque facteur "
             "vient d'une base publique citée, avec sa valeur, son unité et son année. Les incertitudes sont "
             "propagées en refaisant le calcul des milliers de fois ; le résultat est reproductible à l'identique.", "",
             ("Aucune ligne des fichiers fournis n'est une hypothèse." if n_assumed == 0 else
              f"{assumed_share_text(processed)[:1].upper()}{assumed_share_text(processed)[1:]}, signalée"
              f"{'s' if n_assumed > 1 else ''} comme telle{'s' if n_assumed > 1 else ''} ; leur liste est dans les "
              "annexes et dans le classeur des tables (feuille « Hypothèses »)."),
             ("Aucun facteur de la base de référence n'a été remplacé par le territoire." if n_overrides == 0 else
              f"{count_text(n_overrides, 'facteur')} de la base de référence "
              f"{'a été remplacé' if n_overrides == 1 else 'ont été remplacés'} par le territoire (liste en annexe)."),
             "", "Limites : les gains des actions sont ceux d'un parc entièrement renouvelé ; coûts et prix sont "
             "indicatifs ; les achats de services et logiciels sont estimés par leur montant, faute de mesure.",
             "", "### Glossaire", "", glossary_markdown()]
    return "\n".join(lines)


def reproducibility_markdown(summary: dict, processed: Path, factors: pd.DataFrame,
                             overrides: pd.DataFrame | None) -> str:
    """The annex's last section (French): assumed input lines, import report, overrides, the factors that weigh
    most, versions and the inputs' sha256 (what a reviewer needs to rerun the study)."""
    lines = ["## Reproductibilité : hypothèses, facteurs, versions", "",
             "La méthode et les contrats de données sont documentés dans `docs/architecture.md` ; les sources et "
             "licences dans `docs/data_log.md` ; les hypothèses dans `docs/assumptions_caveats.md`.", "",
             "### Hypothèses sur les entrées", ""]
    assumed = assumed_inputs(processed)
    if assumed.empty:
        lines.append("Aucune ligne d'entrée n'est marquée comme hypothèse.")
    else:
        lines.append(f"{count_text(len(assumed), 'ligne')} d'entrée "
                     f"{'est une hypothèse' if len(assumed) == 1 else 'sont des hypothèses'} (marquées dans les "
                     "fichiers)" + (". Les cinq premières ; la liste complète est dans `tables.xlsx` (feuille "
                                    "« Hypothèses »)." if len(assumed) > 5 else
                                    " ; aussi dans `tables.xlsx` (feuille « Hypothèses »)."))
        lines.append("")
        lines.append(html_table(assumed, "Lignes d'entrée marquées comme hypothèses", max_rows=5))
    from helpers.report.ingest import import_report_markdown  # the import report in full (issue 17)
    lines += ["", import_report_markdown(processed)]
    lines += ["", "### Facteurs remplacés par le territoire", ""]
    if overrides is None or overrides.empty:
        lines.append("Aucun facteur de la bibliothèque n'a été remplacé.")
    else:
        lines.append(html_table(overrides, "Facteurs remplacés (valeur de la bibliothèque → valeur du territoire)", max_rows=50))
    lines += ["", "### Facteurs utilisés", ""]
    used = factors[["factor_id", "value", "unit", "low", "high", "status", "vintage", "source"]]
    lines.append(f"{len(used)} facteurs (version {code(summary.get('factors_version', NA))}), dont "
                 f"{int((used['status'] == 'assumption').sum())} hypothèses. La table complète (tous les indicateurs, "
                 "avec la source et le millésime de chaque valeur) est dans `tables.xlsx` (feuille « Facteurs »).")
    top = top_factors(processed, used, 6)  # within the annex budget (issue 32: a correlated group lists its factors)
    if top is not None:
        lines += ["", html_table(top, f"Les {len(top)} facteurs climat qui pèsent le plus sur le bilan (écart produit "
                                      "sur le total entre leur borne basse et leur borne haute)", max_rows=10)]
    lines += ["", "### Environnement et empreinte des entrées", ""]
    env = _env_versions()
    lines.append("Versions : " + ", ".join(f"{k} {v}" for k, v in env.items())
                 + f" ; code {code(summary.get('code_version', ''))}.")
    lines.append("")
    lines.append(f"Empreinte sha256 de l'ensemble des entrées : `{summary.get('inputs_sha256', '')}`. L'empreinte de chaque "
                 "fichier est dans `summary.json` (`inputs_files_sha256`).")
    return "\n".join(lines)


def top_factors(processed: Path, factors: pd.DataFrame, n: int = 10) -> pd.DataFrame | None:
    """The ``n`` climate factors with the largest swing on the balance total (``carbon_sensitivity.csv``), with
    their value, interval, unit, vintage and source, for the method section."""
    path = processed / "carbon_sensitivity.csv"
    if not path.exists():
        return None
    sens = pd.read_csv(path)
    sens = sens[sens["kind"].isin(["factor", "factor_group"])].sort_values("swing", ascending=False, kind="stable")
    if "members" in sens:  # a correlation group is one input: its factors are listed, each once (issue 32)
        sens = sens.assign(input_id=sens["members"].fillna(sens["input_id"]).astype(str).str.split("; ")).explode(
            "input_id")
    sens = sens.drop_duplicates("input_id").head(n)
    rows = sens.merge(factors, left_on="input_id", right_on="factor_id", how="left")
    interval = [f"{fr_sig(v)} [{fr_sig(lo)} – {fr_sig(hi)}]"
                for v, lo, hi in zip(rows["value"], rows["low"], rows["high"], strict=True)]
    return pd.DataFrame({"Facteur": rows["label_fr"], "Valeur [bas – haut]": interval,
                         "Unité": [fr_unit(u) for u in rows["unit"]],
                         "Source (millésime)": [f"{src} ({fr_vintage(vin)})" for src, vin in zip(
                             rows["source"], rows["vintage"], strict=True)]})


#: English words of the factor library's units and vintages, in French for the published tables
_UNIT_WORDS = {"unit": "unité", "year": "an", "page": "page", "user": "usager", "hour": "heure", "EUR": "€"}


def fr_unit(unit) -> str:
    """A library unit in French: ``kgCO2e/unit`` → ``kgCO2e/unité``, ``kgCO2e/EUR`` → ``kgCO2e/€``."""
    text = str(unit)
    if "/" not in text:
        return text
    head, _, tail = text.partition("/")
    return f"{head}/{_UNIT_WORDS.get(tail, tail)}"


def fr_vintage(vintage) -> str:
    """A library vintage in French: ``assumption 2026`` → ``hypothèse 2026``."""
    return re.sub(r"(?i)\bassumption\b", "hypothèse", str(vintage))


#: French sheet names of tables.xlsx (at most 31 characters), by table stem; other stems get a generic French name
SHEET_NAMES: dict[str, str] = {
    "inventaire": "Inventaire", "inventory": "Inventaire", "facteurs": "Facteurs", "hypotheses": "Hypothèses",
    "entites": "Entités", "actions": "Actions choisies (entrée)", "actions_criteria": "Actions multicritère",
    "actions_indicators": "Indicateurs de suivi", "actions_means": "Moyens et calendrier",
    "actions_budget_by_year": "Budget par année", "unit_prices_used": "Prix unitaires utilisés",
    "follow_up_change": "Suivi évolution", "follow_up_actions": "Suivi actions",
    "follow_up_indicators": "Suivi indicateurs",
    "actions_plan": "Plan d'actions",
    "actions_plan_criteria": "Plan multicritère", "actions_roadmap": "Feuille de route",
    "carbon_by_category": "Bilan par catégorie", "carbon_by_entity": "Bilan par entité",
    "carbon_by_phase": "Bilan par phase", "carbon_by_tier": "Bilan par niveau", "carbon_criteria": "Bilan multicritère",
    "carbon_criteria_phase_shares": "Multicritère parts par phase", "carbon_lines": "Lignes du bilan",
    "carbon_mc_quantiles": "Bilan fourchettes", "carbon_missing_factors": "Facteurs manquants",
    "carbon_overrides": "Facteurs remplacés", "carbon_purchases_view_lines": "Vue achats lignes",
    "carbon_reconciliation": "Réconciliation", "carbon_reconciliation_bridge": "Réconciliation passage",
    "carbon_sensitivity": "Bilan sensibilité", "fleet_age_profile": "Âge du parc", "fleet_ratios": "Ratios du parc",
    "hosting": "Hébergement (entrée)", "import_report": "Rapport d'import", "excluded_lines": "Lignes exclues", "maturity_answers": "Maturité réponses (entrée)",
    "maturity_answers_clean": "Maturité réponses", "maturity_benchmark": "Maturité comparaison",
    "maturity_label_nr": "Label NR indicatif", "maturity_pillar_scores": "Maturité piliers",
    "maturity_score_matrix": "Maturité matrice", "maturity_scores": "Maturité scores",
    "maturity_strengths": "Maturité points forts", "maturity_weak_axis_actions": "Actions axes faibles",
    "maturity_weaknesses": "Maturité points faibles", "printing": "Impression (entrée)", "purchases": "Achats (entrée)",
    "rgesn": "RGESN (entrée)", "rgesn_answers": "RGESN réponses", "rgesn_scores": "RGESN scores",
    "services": "Services (entrée)", "services_criteria": "Services multicritère", "services_lca": "Services empreinte",
    "services_references": "Services références ADEME", "services_scenarios": "Services scénarios",
    "services_sensitivity": "Services sensibilité", "services_swd": "Services modèle SWD", "telecom": "Télécoms (entrée)",
    "trajectory": "Trajectoire", "trajectory_budget": "Budget carbone", "factor_overrides": "Facteurs remplacés (entrée)",
    # issue 35: the territory's actors and the stakeholders' priorities
    "territory_actors": "Territoire par acteur", "territory_sectors": "Territoire secteurs",
    "territory_indicators": "Territoire indicateurs", "actions_priorities": "Priorités parties prenantes",
    "communes": "Communes (entrée)", "establishments": "Établissements (entrée)", "schools": "Écoles (entrée)",
    "connectivity": "Connectivité (entrée)", "datacentres": "Centres de données (entrée)",
    "digital_fragility": "Fragilité numérique (entrée)", "priorities": "Priorités (entrée)",
}

#: words of the processed tables' column names, in French (units are handled by :data:`_UNIT_SUFFIXES`)
_WORDS: dict[str, str] = {
    "id": "identifiant", "line": "ligne", "entity": "entité", "category": "catégorie", "tier": "niveau", "phase": "phase",
    "value": "valeur", "low": "bas", "high": "haut", "mean": "moyenne", "share": "part", "label": "libellé",
    "fr": "", "source": "source", "quantity": "quantité", "purchase": "achat", "year": "année", "years": "ans",
    "age": "âge", "lifetime": "durée de vie", "power": "puissance", "rated": "nominale", "hours": "heures",
    "per": "par", "day": "jour", "days": "jours", "yearly": "annuel", "factor": "facteur", "item": "poste",
    "quality": "qualité", "comment": "commentaire", "site": "site", "kind": "type", "pue": "PUE", "it": "informatique",
    "electricity": "électricité", "floor": "surface", "area": "", "cloud": "cloud", "spend": "dépense",
    "amount": "montant", "reference": "référence", "in": "dans", "embodied": "fabrication", "use": "usage",
    "spend_based": "ratio monétaire", "total": "total", "criterion": "indicateur", "unit": "unité", "units": "unités",
    "missing": "manquants", "items": "postes", "n": "nombre", "action": "action", "title": "titre", "axes": "axes",
    "axis": "axe", "lever": "levier", "selected": "retenue", "start": "début", "end": "fin", "param": "paramètre",
    "balance": "bilan", "services": "services", "service": "service", "investment": "investissement",
    "discount": "actualisation", "rate": "taux", "annuity": "annuité", "annualised": "annualisé", "money": "argent",
    "saved": "économisé", "cost": "coût", "effort": "effort", "months": "mois", "maturity": "maturité", "gap": "écart",
    "gain": "gain", "component": "composante", "score": "score", "origin": "origine", "status": "statut",
    "basis": "base", "scope": "périmètre", "members": "membres", "targets": "cibles", "target": "cible", "rank": "rang", "all": "tous", "indicator": "indicateur",
    "baseline": "référence", "milestone": "jalon", "full": "complète", "text": "texte", "change": "variation",
    "pct": "(%)", "old": "ancien", "new": "nouveau", "reason": "raison", "central": "central", "input": "entrée",
    "contribution": "contribution", "to": "à", "variance": "variance", "swing": "écart", "correlation": "corrélation",
    "question": "question", "level": "niveau", "not": "non", "applicable": "applicable", "evidence": "preuve",
    "collectivity": "collectivité", "pillar": "pilier", "weight": "poids", "points": "points", "max": "maximum",
    "answered": "répondues", "completeness": "complétude", "subject": "sujet", "peers": "pairs", "median": "médiane",
    "best": "meilleur", "peer": "pair", "q1": "1er quartile", "q3": "3e quartile", "theme": "thème",
    "name": "nom", "type": "type", "volume": "volume", "annual": "annuel", "page": "page", "pages": "pages",
    "visit": "visite", "requests": "requêtes", "minutes": "minutes", "loaded": "chargée", "mobile": "mobile",
    "tablet": "tablette", "network": "réseau", "computer": "ordinateur", "device": "terminal", "functional": "fonctionnelle",
    "terminals": "terminaux", "datacentre": "centre de données", "scenario": "scénario", "parameter": "paramètre",
    "bound": "borne", "base": "base", "at": "à", "file": "fichier", "key": "clé", "detail": "détail", "column": "colonne",
    "family": "famille", "activity": "activité", "priority": "priorité", "difficulty": "difficulté", "answer": "réponse",
    "justification": "justification", "number": "numéro", "criteria": "critères", "conforme": "conforme",
    "non": "non", "evalue": "évalué", "fixed": "fixe", "data": "données", "lines": "lignes", "reams": "ramettes",
    # issue 35: the territory's actors and the stakeholders' priorities
    "actor": "acteur", "driver": "activité", "intensity": "intensité", "with": "avec", "without": "sans",
    "stakeholder": "parties prenantes", "establishments": "établissements", "employees": "emplois salariés",
    "section": "section", "group": "groupe", "households": "ménages", "premises": "locaux", "pupils": "élèves",
    "ftth": "fibre", "thd": "très haut débit", "accesses": "accès", "sim": "SIM", "cards": "cartes",
    "commune": "commune", "school": "école", "sector": "secteur", "band": "tranche",
    "bau": "fil de l'eau", "plan": "plan", "cumulative": "cumulé", "budget": "budget", "overshoot": "dépassement",
    "exhausted": "épuisé", "step": "étape", "fleet": "parc", "bought": "achetés", "renewal": "renouvellement",
    "difference": "écart", "explanation": "explication", "purchases": "achats", "manufacturing": "fabrication",
    "distribution": "distribution", "end_of_life": "fin de vie", "past": "au-delà de", "role": "rôle",
    "population": "population", "vintage": "millésime", "model": "modèle", "ademe": "ADEME", "library": "bibliothèque",
    "bottom": "ascendant", "up": "", "swd": "SWD", "global": "mondial", "operational": "exploitation",
    "operating": "fonctionnement", "savings": "économies", "net": "net", "cumulated": "cumulé", "ttc": "TTC",
    "fte": "ETP", "staff": "temps d'agent", "decision": "décision", "applicability": "applicabilité",
    "note": "note", "growth": "croissance", "index": "indice", "decided": "décidé", "moved": "déplacée",
    "rating": "note", "complete": "complet", "climate": "climat", "change_kgco2e": "", "kept": "conservées",
    "read": "lues", "excluded": "exclues", "label_theme": "thème", "p2": "centile 2", "p5": "centile 5",
    "p50": "médiane", "p95": "centile 95", "p97": "centile 97", "s1": "indice premier ordre",
    "st": "indice total", "g": "(gCO2e)", "mb": "(Mo)", "gb": "(Go)", "w": "(W)", "m2": "(m²)", "m3": "(m³)",
}
#: unit suffixes of column names → French unit in brackets
_UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("tco2e", "(tCO2e)"), ("kgco2e", "(kgCO2e)"), ("gco2e", "(gCO2e)"), ("eur", "(€)"), ("kwh", "(kWh)"),
    ("mj", "(MJ)"), ("kgsbeq", "(kg Sb éq.)"), ("kbq", "(kBq)"), ("u235eq", "U235 éq."), ("hpluseq", "H+ éq."),
    ("mol", "(mol)"), ("m3", "(m³)"),
)


def french_header(name) -> str:
    """A processed table's column name in French with its unit: ``balance_low_tco2e`` → ``bilan bas (tCO2e)``,
    ``investment_eur`` → ``investissement (€)``, ``score_pct`` → ``score (%)``. A name that is already French (a
    capital, a space or an accent) is kept."""
    text = str(name)
    if not text or " " in text or text != text.lower() or not text.isascii() or text.isdigit():
        return text
    words = []
    for token in text.split("_"):
        unit = dict(_UNIT_SUFFIXES).get(token)
        words.append(unit if unit is not None else _WORDS.get(token, token))
    out = " ".join(w for w in words if w)
    out = re.sub(r"\s+", " ", out).strip()
    return (out[:1].upper() + out[1:]) if out else text


def sheet_name(stem: str) -> str:
    """French sheet name of a table (at most 31 characters)."""
    return SHEET_NAMES.get(stem, french_header(stem))[:31]


def readme_table(tables: dict[str, tuple[pd.DataFrame, str | None]]) -> pd.DataFrame:
    """The "Lisez-moi" sheet: one row per sheet — its name, one sentence on what it holds
    (:data:`helpers.report.workbook.SHEETS`, then the note given with the table, e.g. that a long inventory is cut
    at Excel's rows), the part of the diagnostic it feeds, its rows —, then the sources and how to read numbers."""
    from helpers.report.workbook import sheet_info

    rows = []
    for stem, (df, note) in tables.items():
        what, part = sheet_info(stem)
        rows.append({"Feuille": sheet_name(stem), "Ce qu'elle contient": what + (f" {note}" if note else ""),
                     "Partie du diagnostic": part, "Lignes": len(df)})
    blank = {"Feuille": "", "Ce qu'elle contient": "", "Partie du diagnostic": "", "Lignes": None}
    rows += [
        blank,
        {"Feuille": "Sources", "Ce qu'elle contient":
            "Facteurs : ADEME Base Empreinte et NegaOctet, ADEME–Arcep ; valeur, unité, source et millésime de chaque "
            "facteur dans la feuille « Facteurs ». Données de la collectivité : ses fichiers d'entrée (feuilles "
            "« (entrée) »), ses textes tels qu'elle les a écrits.", "Partie du diagnostic": "Partie 8 et annexes",
         "Lignes": None},
        {"Feuille": "Nombres", "Ce qu'elle contient":
            "Valeurs calculées, non arrondies, unités dans les en-têtes ; « borne basse » et « borne haute » "
            "encadrent la fourchette probable (19 chances sur 20) ; une part est affichée en pourcentage.",
         "Partie du diagnostic": "", "Lignes": None},
    ]
    return pd.DataFrame(rows, columns=["Feuille", "Ce qu'elle contient", "Partie du diagnostic", "Lignes"])


def write_tables_xlsx(tables: dict[str, tuple[pd.DataFrame, str | None]], path: Path) -> Path:
    """``tables.xlsx`` for people: a "Lisez-moi" sheet first (every sheet, what it holds, the part it feeds,
    sources), then one sheet per table with a French name, French column labels with units on row 1 and French
    values (:func:`helpers.report.workbook.frenchify`); byte-identical across runs. ``tables``: table stem ->
    (table, an extra note for the Lisez-moi sheet or None).

    Written by :func:`helpers.io.safe_write.write_xlsx` (every text cell a string cell, never a formula, whatever it
    starts with; characters XML forbids replaced), then dressed by :func:`dress_xlsx` (frozen header, filters,
    widths, French number display, shares in percentage format).
    """
    from helpers.io.safe_write import write_xlsx
    from helpers.report.workbook import frenchify

    sheets: dict[str, tuple[pd.DataFrame, str | None]] = {"Lisez-moi": (readme_table(tables), None)}
    percent: dict[str, set[str]] = {}
    for stem, (df, _note) in tables.items():
        sheet, shares = frenchify(stem, df)
        sheets[sheet_name(stem)] = (sheet, None)
        percent[sheet_name(stem)] = shares
    write_xlsx(sheets, path)
    return dress_xlsx(path, percent)


def dress_xlsx(path: Path, percent: dict[str, set[str]] | None = None) -> Path:
    """Frozen header row, filters over the table, column widths from the content (8 to 60 characters) and number
    formats (``# ##0`` for whole numbers, ``# ##0,0##`` otherwise, shown with the reader's French separators; the
    columns of ``percent`` (sheet -> header labels), shares of a whole, ``0,0 %``) on every sheet but the first;
    saved byte-identical across runs (fixed dates, sorted zip members). Cells keep their type: a string cell stays a
    string cell (formula safety of :mod:`helpers.io.safe_write` is preserved)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from helpers.io.safe_write import save_deterministic

    wb = load_workbook(path)
    for i, ws in enumerate(wb.worksheets):
        if ws.max_row >= 1 and ws.max_column >= 1:
            ws.freeze_panes = "A2"
            if i > 0 and ws.max_row > 1:
                ws.auto_filter.ref = ws.dimensions
        for col_idx, column in enumerate(ws.iter_cols(min_row=1, max_row=ws.max_row), start=1):
            width = 8
            numbers = [c for c in column[1:] if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)]
            integral = all(float(c.value).is_integer() for c in numbers)
            for c in column:
                if c.value is not None:
                    width = max(width, min(60, len(str(c.value)) + 2))
            header = str(column[0].value or "").lower()
            year = "année" in header or "annee" in header or "year" in header or "millésime" in header
            share = str(column[0].value or "") in (percent or {}).get(ws.title, set())
            for c in numbers:  # a year is written 2030, not 2 030; a share 48,2 %
                c.number_format = ("0.0%" if share else "0" if year and integral else "#,##0" if integral
                                   else "#,##0.0##")
            ws.column_dimensions[get_column_letter(col_idx)].width = width
    return save_deterministic(wb, path)
