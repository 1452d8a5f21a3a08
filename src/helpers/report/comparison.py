"""The comparison of the members of a batch (issue 36): ``outputs/batch/comparison.{html,csv,json}``.

A network of collectivities runs ``make batch TERRITORIES=a,b,c`` and reads one page that it can trust:

- one row per member with what makes figures comparable or not: reference year, kind, agents, population, the
  perimeter (entities, schools in or out, the input files given), the physical scope and the purchases converted
  by a monetary ratio apart, per agent and per workstation on the physical scope with their 95 % intervals, the
  manufacturing share (base: equipment), fleet ratios, the share of assumed input rows, the maturity score and
  level when the questionnaire was answered, the member's own published balance and the ratio of the study to it
  on the comparable scope (``territory.yaml: published_footprint``, issue 32);
- one dot-and-interval chart per indicator (HTML and CSS, no script, no image: readable at phone width, printable),
  each followed by its values sorted by that indicator (the page is "sortable" by one static table per key);
- a short « Comment comparer » note, and alerts when the members differ in perimeter, kind or reference year.

Members that answered the maturity questionnaire are ranked among themselves **here only**: a member's
``summary.json`` and diagnostic never depend on who else is in the batch (they are written before the comparison,
by the member's own study; nothing here writes outside ``outputs/batch/``).

Everything is read from the members' ``summary.json``: :func:`member_row` is a pure function of the batch status
row and the summary; :func:`comparison_table` adds the ranks; :func:`comparison_html`, :func:`comparison_csv_fr`
render it; :func:`write_comparison` is the only function that writes (three files, each written then renamed).

The CSV is for people with a French spreadsheet (``;``, decimal comma, UTF-8 with BOM, French headers and statuses);
``comparison.json`` holds the same rows with English keys and full numbers for scripts.
"""

from __future__ import annotations

import html
import json
import math
import unicodedata
from pathlib import Path

import pandas as pd

from helpers.io.french import NBSP, fr_number

BATCH_DIR_NAME = "batch"
STATUS_FR = {"ok": "calculé", "skipped": "à jour (non recalculé)", "failed": "échec"}
MODE_FR = {"summary": "résumé (calcul sans notebooks)", "full": "complet (notebooks et diagnostic)"}
KIND_FR = {"commune": "Commune", "communaute_communes": "Communauté de communes",
           "communaute_agglomeration": "Communauté d'agglomération", "communaute_urbaine": "Communauté urbaine",
           "metropole": "Métropole", "departement": "Département", "region": "Région", "syndicat": "Syndicat",
           "other": "Autre"}
KIND_SHORT = {"commune": "commune", "communaute_communes": "CC", "communaute_agglomeration": "CA",
              "communaute_urbaine": "CU", "metropole": "métropole", "departement": "département",
              "region": "région", "syndicat": "syndicat", "other": "autre"}
SCHOOLS_FR = {"included": "compris", "excluded": "exclus"}
#: the input files that change the physical scope, in the words of the note (inventory always given)
OPTIONAL_INPUTS_FR = {"hosting": "hébergement", "telecom": "télécoms", "printing": "impressions",
                      "purchases": "achats"}
COMPARABLE_SCOPE_FR = {"equipment": "équipements, énergie, hébergement, réseaux",
                       "physical": "périmètre physique (avec le papier)",
                       "total": "total (avec les achats par ratio monétaire)"}


# ----------------------------------------------------------------------------------------------------------------
# One member: a pure function of its status row and its summary.json
# ----------------------------------------------------------------------------------------------------------------

def _num(d, *keys) -> float | None:
    for k in keys:
        if not isinstance(d, dict):
            return None
        d = d.get(k)
    if isinstance(d, bool) or not isinstance(d, (int, float)):
        return None
    return None if d != d else float(d)


def _ivl(prefix: str, d: dict | None, scale: float = 1.0) -> dict:
    """``{prefix: value, prefix_low: low, prefix_high: high}`` from an interval dict (None where absent)."""
    out = {}
    for k, suffix in (("value", ""), ("low", "_low"), ("high", "_high")):
        v = _num(d, k)
        out[prefix + suffix] = None if v is None else v * scale
    return out


def _given_inputs(summary: dict) -> list[str]:
    """The optional input files the member gave (``summary["inputs"]``), as keys of :data:`OPTIONAL_INPUTS_FR`."""
    given = set()
    for path, info in (summary.get("inputs") or {}).items():
        stem = Path(str(path)).stem
        if stem in OPTIONAL_INPUTS_FR and (not isinstance(info, dict) or (info.get("rows_kept") or 0) > 0):
            given.add(stem)
    return [k for k in OPTIONAL_INPUTS_FR if k in given]


def perimeter_note_fr(summary: dict) -> str:
    """The member's perimeter in one French sentence: entities, schools in or out, input files given or not."""
    carbon = summary.get("carbon") or {}
    perimeter = carbon.get("perimeter") or {}
    entities = [e.get("name") or e.get("id") for e in perimeter.get("entities") or []]
    parts = []
    if entities:
        shown = entities[:6]
        more = int(perimeter.get("n_entities") or len(entities)) - len(shown)
        parts.append("Entités : " + ", ".join(shown) + (f" et {more} autre(s)" if more > 0 else ""))
    if perimeter.get("schools") in SCHOOLS_FR:
        parts.append(f"établissements scolaires {SCHOOLS_FR[perimeter['schools']]}")
    given = _given_inputs(summary)
    missing = [OPTIONAL_INPUTS_FR[k] for k in OPTIONAL_INPUTS_FR if k not in given]
    if summary.get("inputs"):
        parts.append("fournis : inventaire" + "".join(f", {OPTIONAL_INPUTS_FR[k]}" for k in given))
        if missing:
            parts.append("non fournis : " + ", ".join(missing))
    return " ; ".join(parts)


def maturity_state(maturity: dict) -> str:
    """``answered`` (a published score), ``incomplete`` (below the completeness threshold) or ``absent``."""
    if not maturity or not maturity.get("questionnaire_provided", bool(maturity)):
        return "absent"
    if maturity.get("published") and _num(maturity, "score_pct") is not None:
        return "answered"
    return "incomplete"


def published_columns(carbon: dict) -> dict:
    """The member's own published balance and the study on the comparable scope (``carbon.published``)."""
    pub = carbon.get("published") or {}
    out = {"published_tco2e": _num(pub, "value_tco2e"), "published_year": pub.get("year"),
           "published_scope": pub.get("scope"), "published_source": pub.get("source"),
           "published_comparable_scope": pub.get("comparable_scope"),
           "study_on_published_scope_tco2e": None, "study_on_published_scope_low_tco2e": None,
           "study_on_published_scope_high_tco2e": None, "ratio_to_published": None, "ratio_to_published_low": None,
           "ratio_to_published_high": None}
    total = next((r for r in pub.get("comparison") or [] if r.get("line") == "total"), None)
    if total is not None and out["published_tco2e"]:
        p = out["published_tco2e"]
        for key, src in (("", "study"), ("_low", "study_low"), ("_high", "study_high")):
            v = _num(total, src)
            out[f"study_on_published_scope{key}_tco2e"] = v
            out[f"ratio_to_published{key}"] = None if v is None else v / p
    return out


def member_row(status: dict, summary: dict | None) -> dict:
    """One member of the comparison, from its batch status row (``helpers.run.batch._row``) and its
    ``summary.json`` (None when it failed): machine keys with units, None where a figure is not available."""
    s = summary or {}
    terr = s.get("territory") or {}
    carbon = s.get("carbon") or {}
    maturity = s.get("maturity") or {}
    per_agent = carbon.get("per_agent_by_scope_kgco2e") or {}
    per_ws = carbon.get("per_workstation_by_scope_kgco2e") or {}
    per_inh = carbon.get("per_inhabitant_by_scope_kgco2e") or {}
    fleet = carbon.get("fleet_ratios") or {}
    assumed = s.get("inputs_assumed") or {}
    state = maturity_state(maturity) if summary is not None else None
    share = _num(carbon, "equipment_manufacturing_share")
    given = _given_inputs(s)
    spend = carbon.get("spend_based_tco2e")
    if "purchases" not in given and not _num(spend, "value"):  # no purchase given: « non fourni », not 0 t
        spend, per_agent = None, {k: v for k, v in per_agent.items() if k != "spend_based"}
    row = {
        "territory": status.get("territory"), "name": terr.get("name", status.get("name")),
        "status": status.get("status"), "mode": status.get("mode"), "seconds": status.get("seconds"),
        "error": status.get("error") or "", "illustrative": bool(terr.get("illustrative", status.get("illustrative"))),
        "diagnostic": bool(status.get("diagnostic")),
        "reference_year": terr.get("reference_year"), "kind": terr.get("kind"), "agents": terr.get("agents"),
        "population": terr.get("population"),
        "schools": (carbon.get("perimeter") or {}).get("schools"),
        "perimeter_note": perimeter_note_fr(s) if summary is not None else "",
        "inputs_given": given,
        **_ivl("physical_tco2e", carbon.get("physical_tco2e")),
        **_ivl("purchases_tco2e", spend),
        **_ivl("total_tco2e", carbon.get("total_tco2e")),
        **_ivl("per_agent_physical_kgco2e", per_agent.get("physical")),
        **_ivl("per_workstation_physical_kgco2e", per_ws.get("physical")),
        **_ivl("per_agent_purchases_kgco2e", per_agent.get("spend_based")),
        "per_inhabitant_physical_kgco2e": _num(per_inh, "physical", "value"),
        "manufacturing_share_pct": None if share is None else 100 * share,
        "computers": _num(carbon, "computers"),
        "screens_per_computer": _num(fleet, "screens_per_computer"),
        "computers_per_agent": _num(fleet, "computers_per_agent"),
        "devices_per_agent": _num(fleet, "devices_per_agent"),
        "assumed_rows_pct": None if _num(assumed, "share") is None else 100 * _num(assumed, "share"),
        "balance_assumed_rows_pct": (None if _num(assumed, "balance_share") is None
                                     else 100 * _num(assumed, "balance_share")),
        "maturity": state,
        "maturity_score_pct": _num(maturity, "score_pct") if state == "answered" else None,
        "maturity_level": maturity.get("level") if state == "answered" else None,
        "maturity_completeness_pct": _num(maturity, "completeness_pct"),
        "maturity_rank": None, "maturity_ranked_among": None,
        "label_nr_held": (terr.get("label_nr") or {}).get("held"),
        "label_nr_level": (terr.get("label_nr") or {}).get("level"),
        **published_columns(carbon),
        "plan_reduction_tco2e_per_year": _num(s, "plan_reduction_tco2e_per_year", "value"),
    }
    return row


def competition_ranks(values: list[float | None], descending: bool = True) -> list[int | None]:
    """Rank 1 = best (highest when ``descending``); ties share the best rank (1, 1, 3); None stays unranked."""
    import bisect

    known = sorted(v for v in values if v is not None)
    n = len(known)
    if descending:  # 1 + how many are strictly greater
        return [None if v is None else 1 + n - bisect.bisect_right(known, v) for v in values]
    return [None if v is None else 1 + bisect.bisect_left(known, v) for v in values]


def _sort_key(name: str) -> str:
    nfkd = unicodedata.normalize("NFKD", str(name))
    return "".join(c for c in nfkd if not unicodedata.combining(c)).casefold()


def comparison_table(members: list[dict]) -> list[dict]:
    """The members sorted by name (French order, accents ignored), with the maturity rank among those that
    answered the questionnaire (``maturity_rank``, ``maturity_ranked_among``): a rank of this comparison only."""
    rows = sorted((dict(m) for m in members), key=lambda r: (_sort_key(r["name"]), str(r["territory"])))
    scores = [r["maturity_score_pct"] for r in rows]
    n = sum(1 for v in scores if v is not None)
    for r, rank in zip(rows, competition_ranks(scores)):
        r["maturity_rank"], r["maturity_ranked_among"] = rank, (n if rank is not None else None)
    return rows


# ----------------------------------------------------------------------------------------------------------------
# The indicators: one chart and one sorted table each
# ----------------------------------------------------------------------------------------------------------------

#: (group title, [(key, French label, unit, decimals, interval?, lower is better?, note)])
INDICATOR_GROUPS: tuple = (
    ("Empreinte sur le périmètre physique, par agent et par poste", [
        ("per_agent_physical_kgco2e", "Par agent, périmètre physique", "kgCO2e/an", 0, True,
         "Équipements, leur énergie, hébergement, réseaux et papier, divisés par les agents déclarés."),
        ("per_workstation_physical_kgco2e", "Par poste de travail, périmètre physique", "kgCO2e/an", 0, True,
         "Même périmètre, divisé par les ordinateurs et clients légers de l'inventaire."),
    ]),
    ("Achats de services et logiciels, à part", [
        ("per_agent_purchases_kgco2e", "Achats convertis par ratio monétaire, par agent", "kgCO2e/an", 0, True,
         "Estimation par euro dépensé (ratios ADEME), très incertaine : jamais ajoutée au périmètre physique ici."),
    ]),
    ("Composition et parc", [
        ("manufacturing_share_pct", "Part de la fabrication des équipements", "%", 0, False,
         "Base : équipements, leur énergie, hébergement et réseaux (sans papier ni achats)."),
        ("screens_per_computer", "Écrans par poste de travail", "", 2, False,
         "Écrans de l'inventaire divisés par les ordinateurs et clients légers."),
        ("devices_per_agent", "Équipements par agent (tous types)", "", 2, False,
         "Tous les équipements de l'inventaire (terminaux, réseau, serveurs) divisés par les agents."),
    ]),
    ("Fiabilité des données", [
        ("assumed_rows_pct", "Lignes d'entrée signalées comme hypothèses", "%", 0, False,
         "Part des lignes des fichiers fournis dont le commentaire dit qu'elles sont supposées."),
    ]),
    ("Maturité (membres ayant répondu au questionnaire)", [
        ("maturity_score_pct", "Score de maturité", "sur 100", 0, False,
         "Rang parmi les membres de cette comparaison qui ont répondu ; la page de chaque membre n'en dépend pas."),
    ]),
    ("Bilan publié par chaque membre", [
        ("ratio_to_published", "Étude ÷ bilan publié, sur le périmètre comparable", "×", 2, True,
         "1 : l'étude retrouve le chiffre publié ; l'écart dit un périmètre ou une méthode différente, pas une "
         "erreur (détail ligne à ligne dans le diagnostic du membre)."),
    ]),
)


def nice_axis(x: float) -> tuple[float, list[float]]:
    """``(end, ticks)`` of an axis from 0 that holds ``x``: a step of 1, 2 or 5 × 10^k giving 3 to 6 intervals, the
    end the first tick at or above ``x`` (``nice_axis(172)`` → ``(200, [0, 50, 100, 150, 200])``)."""
    if not x or x <= 0 or not math.isfinite(x):
        x = 1.0
    for exp in range(math.floor(math.log10(x)) - 1, math.floor(math.log10(x)) + 2):
        for m in (1, 2, 5):
            step = m * 10.0 ** exp
            n = math.ceil(x / step - 1e-9)
            if n <= 6:
                n = max(n, 3)
                return step * n, [step * i for i in range(n + 1)]
    return x, [0.0, x]


def _fmt(value, decimals: int = 0, unit: str = "") -> str:
    if value is None or value != value:
        return "n.d."
    text = fr_number(value, decimals)
    if unit == "%":
        return f"{text}{NBSP}%"
    if unit == "×":
        return f"×{NBSP}{text}"
    return text


def _fmt_interval(r: dict, key: str, decimals: int, unit: str, interval: bool) -> str:
    text = _fmt(r.get(key), decimals, unit)
    lo, hi = r.get(f"{key}_low"), r.get(f"{key}_high")
    if interval and r.get(key) is not None and lo is not None and hi is not None:
        text += f" [{fr_number(lo, decimals)} – {fr_number(hi, decimals)}]"
    return text


def missing_text(r: dict, key: str) -> str:
    """Why a member has no value for ``key``, in French (« non répondu », « achats non fournis », …)."""
    if key == "maturity_score_pct":
        return {"incomplete": "questionnaire incomplet", "absent": "non répondu"}.get(str(r.get("maturity")), "n.d.")
    if key.startswith("ratio_to_published"):
        return "pas de bilan publié" if r.get("published_tco2e") is None else "n.d."
    if "purchases" in key and "purchases" not in (r.get("inputs_given") or []):
        return "achats non fournis"
    return "n.d."


def member_label(r: dict) -> str:
    """``Name (CA, 2020)``: the kind and the reference year beside every name of a chart."""
    bits = [KIND_SHORT.get(str(r.get("kind")), str(r.get("kind") or "")), str(r.get("reference_year") or "")]
    return f"{r['name']} ({', '.join(b for b in bits if b)})"


def _chart(rows: list[dict], key: str, label: str, unit: str, decimals: int, interval: bool, chart_id: str) -> str:
    """A dot-and-interval chart in HTML and CSS: one line per member (its name, the interval as a bar, the value as
    a dot, the value written), sorted by the value; members without the figure listed at the end as « n.d. »."""
    esc = html.escape
    have = sorted((r for r in rows if r.get(key) is not None), key=lambda r: (r[key], _sort_key(r["name"])))
    missing = [r for r in rows if r.get(key) is None]
    if key == "maturity_score_pct":
        have = have[::-1]
    top = max([r.get(f"{key}_high") or r[key] for r in have] + ([1.0] if unit == "×" else []), default=1.0)
    top, ticks = (100.0, [0.0, 25.0, 50.0, 75.0, 100.0]) if unit in ("%", "sur 100") else nice_axis(top)

    def pct(v):
        return f"{max(0.0, min(100.0, 100.0 * v / top)):.2f}%"

    # the ratio to the published balance: a dashed line at 1 in every row (the study finds the published figure)
    ref = f'<span class="ref" style="left:{pct(1.0)}"></span>' if unit == "×" else ""
    step = ticks[1] - ticks[0]
    tick_decimals = 0 if step >= 1 else (1 if step >= 0.1 else 2)
    tick_html = "".join(f'<span style="left:{pct(t)}">{esc(_fmt(t, tick_decimals))}</span>' for t in ticks)
    lines = []
    for r in have:
        lo, hi = r.get(f"{key}_low"), r.get(f"{key}_high")
        bar = (f'<span class="bar" style="left:{pct(lo)};width:calc({pct(hi)} - {pct(lo)})"></span>'
               if interval and lo is not None and hi is not None else "")
        dot_class = "dot hollow" if r.get("illustrative") else "dot"
        lines.append(f'<li><span class="lab">{esc(member_label(r))}</span><span class="track" aria-hidden="true">'
                     f'{ref}{bar}<span class="{dot_class}" style="left:{pct(r[key])}"></span></span>'
                     f'<span class="val">{esc(_fmt_interval(r, key, decimals, unit, interval))}</span></li>')
    for r in missing:
        lines.append(f'<li><span class="lab">{esc(member_label(r))}</span><span class="track" aria-hidden="true">'
                     f'{ref}</span><span class="val">{esc(missing_text(r, key))}</span></li>')
    unit_text = {"%": "en %", "×": "rapport", "sur 100": "score sur 100", "": "rapport"}.get(unit, unit)
    return (f'<figure class="chart" id="{chart_id}"><figcaption>{esc(label)} ({esc(unit_text)})'
            + (" — point : valeur ; trait : intervalle à 95 %" if interval else "") + "</figcaption>"
            f'<ul class="dots">{"".join(lines)}</ul>'
            f'<div class="axis" aria-hidden="true"><span class="lab"></span><span class="track">{tick_html}'
            '</span><span class="val"></span></div></figure>')


def _sorted_table(rows: list[dict], key: str, label: str, unit: str, decimals: int, interval: bool) -> str:
    """The values of one indicator, sorted (the static table of that key), with what makes them comparable."""
    esc = html.escape
    have = sorted((r for r in rows if r.get(key) is not None), key=lambda r: (r[key], _sort_key(r["name"])))
    if key == "maturity_score_pct":
        have = have[::-1]
    body = []
    previous = None
    for i, r in enumerate(have, start=1):
        distinct = ""
        if interval:
            lo, hi = r.get(f"{key}_low"), (previous or {}).get(f"{key}_high")
            distinct = ("—" if previous is None else "n.d." if lo is None or hi is None
                        else "oui" if lo > hi else "non")
            previous = r
        extra = ""
        if key == "maturity_score_pct":
            extra = f"{esc(str(r.get('maturity_level') or ''))}, rang {r['maturity_rank']} sur {r['maturity_ranked_among']}"
        elif key == "ratio_to_published":
            extra = (f"publié {fr_number(r['published_tco2e'])} t ({esc(str(r.get('published_year') or ''))}), "
                     f"étude {fr_number(r['study_on_published_scope_tco2e'])} t ; "
                     f"{esc(COMPARABLE_SCOPE_FR.get(str(r.get('published_comparable_scope')), ''))}")
        else:
            extra = esc(SCHOOLS_FR.get(str(r.get("schools")), "n.d.") if r.get("schools") else "n.d.")
        body.append(f'<tr><td class="n">{i}</td><th scope="row">{esc(member_label(r))}</th>'
                    f'<td class="n">{esc(_fmt_interval(r, key, decimals, unit, interval))}</td>'
                    + (f"<td>{distinct}</td>" if interval else "") + f"<td>{extra}</td></tr>")
    if not body:
        return '<p class="note">Aucun membre ne donne cet indicateur.</p>'
    third = {"maturity_score_pct": "Niveau et rang", "ratio_to_published": "Bilan publié et étude"}.get(
        key, "Établissements scolaires")
    distinct_head = ('<th scope="col">Distinct du précédent (intervalles disjoints)</th>' if interval else "")
    order = " décroissante" if key == "maturity_score_pct" else " croissante"
    return (f"<details><summary>Tableau : {esc(label)}, membres classés par valeur{order}</summary>"
            f'<div class="scroll" role="region" tabindex="0" aria-label="{esc(label)}, membres classés">'
            '<table class="sorted"><caption>' + esc(label) + " : membres classés par valeur" + order
            + "</caption><thead><tr>"
            '<th scope="col">Ordre</th><th scope="col">Membre</th><th scope="col">Valeur'
            + (" [intervalle à 95 %]" if interval else "") + f'</th>{distinct_head}<th scope="col">{third}</th>'
            "</tr></thead><tbody>" + "".join(body) + "</tbody></table></div></details>")


# ----------------------------------------------------------------------------------------------------------------
# The page
# ----------------------------------------------------------------------------------------------------------------

_CSS = """body{font-family:system-ui,sans-serif;max-width:76rem;margin:1rem auto;padding:0 1rem;color:#1a1a1a;
line-height:1.45}h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}table{border-collapse:collapse}
caption{text-align:left;font-weight:600;padding:.4rem 0}th,td{border-bottom:1px solid #ccc;padding:.3rem .5rem;
vertical-align:top;text-align:left}td.n{text-align:right;white-space:nowrap}th[scope=col]{background:#f2f2f2}
.note{color:#444;font-size:.9em}.scroll{overflow-x:auto;max-width:100%}.scroll:focus{outline:2px solid #0072B2}
table{font-size:.9em}pre{white-space:pre-wrap;font-size:.85em;background:#f6f6f6;padding:.5rem}
.alert{border-left:4px solid #D55E00;padding:.3rem .8rem;background:#fff6ef}
.chart{margin:1rem 0}.chart figcaption{font-weight:600;margin-bottom:.3rem}.dots{list-style:none;margin:0;padding:0}
.dots li,.axis{display:grid;grid-template-columns:minmax(8rem,16rem) 1fr minmax(7rem,11rem);gap:.6rem;
align-items:center;min-height:1.7rem}.track{position:relative;height:1.2rem;border-left:1px solid #999}
.axis .track{height:1.1rem;border-left:0;font-size:.75em;color:#444}.axis .track span{position:absolute;top:0;
transform:translateX(-50%)}.bar{position:absolute;top:.5rem;border-top:3px solid #0072B2;min-width:2px}
.dot{position:absolute;top:.15rem;width:.8rem;height:.8rem;margin-left:-.45rem;border:.15rem solid #0072B2;
border-radius:50%;background:#0072B2}.dot.hollow{background:#fff}.ref{position:absolute;top:0;bottom:0;
border-left:2px dashed #D55E00}.val{font-variant-numeric:tabular-nums;font-size:.9em}
.legend{font-size:.9em}details{margin:.4rem 0 1rem}summary{cursor:pointer;color:#0b4f8a}.legend .dot{position:static;display:inline-block;margin:0 .3rem 0 0;vertical-align:middle}
.val{white-space:nowrap}.perimeters li{margin:.3rem 0}
@media (max-width:40rem){.dots li,.axis{grid-template-columns:1fr 8.5rem;grid-template-areas:"lab lab" "track val"}
.dots .lab,.axis .lab{grid-area:lab}.track{grid-area:track}.val{grid-area:val}.axis .lab{display:none}}
@media print{.dot{print-color-adjust:exact;-webkit-print-color-adjust:exact}}"""


def alerts_fr(rows: list[dict]) -> list[str]:
    """French warnings on what differs between the members and weighs on the comparison."""
    ok = [r for r in rows if r["status"] != "failed"]
    out = []
    years = sorted({r["reference_year"] for r in ok if r.get("reference_year")})
    if len(years) > 1:
        out.append("Années de référence différentes (" + ", ".join(str(y) for y in years) + ") : facteurs "
                   "électricité et parcs d'années différentes.")
    kinds = sorted({KIND_FR.get(str(r.get("kind")), str(r.get("kind"))) for r in ok if r.get("kind")})
    if len(kinds) > 1:
        out.append("Natures différentes (" + ", ".join(kinds) + ") : compétences et métiers différents ; le « par "
                   "habitant » ne se compare pas entre elles (il n'est pas montré ici).")
    schools = {r["schools"] for r in ok if r.get("schools")}
    if len(schools) > 1:
        inc = [r["name"] for r in ok if r.get("schools") == "included"]
        exc = [r["name"] for r in ok if r.get("schools") == "excluded"]
        out.append(f"Périmètres différents : établissements scolaires compris pour {', '.join(inc)} ; exclus pour "
                   f"{', '.join(exc)}.")
    illustrative = [r["name"] for r in ok if r.get("illustrative")]
    if illustrative:
        out.append("Jeux de données illustratifs, en partie supposés (cercle creux) : " + ", ".join(illustrative)
                   + ".")
    return out


HOW_TO_COMPARE_FR = (
    "Comparer <strong>par agent ou par poste, sur le périmètre physique</strong> : jamais les totaux (les tailles "
    "diffèrent) ni le « par habitant » entre collectivités de natures différentes (un département n'a pas les "
    "compétences d'une agglomération).",
    "Avant de comparer deux membres, vérifier dans le tableau l'<strong>année de référence</strong>, la "
    "<strong>nature</strong>, les <strong>notes de périmètre</strong> (écoles ou collèges compris ou non, fichiers "
    "fournis) et la <strong>part de lignes supposées</strong> : une différence de périmètre ou d'hypothèses peut "
    "expliquer un écart plus que les pratiques.",
    "Les <strong>achats de services et logiciels</strong> sont estimés par euro dépensé (ratio monétaire, très "
    "incertain) : ils restent à part et ne classent personne.",
    "Chaque valeur a son <strong>intervalle à 95 %</strong> : deux membres dont les intervalles se chevauchent ne se "
    "distinguent pas ; l'ordre des tableaux ci-dessous n'est alors pas significatif.",
    "La <strong>maturité</strong> classe seulement les membres qui ont répondu au questionnaire, entre eux et dans "
    "cette comparaison ; le diagnostic de chaque membre n'en dépend pas.",
    "Le <strong>rapport au bilan publié</strong> compare l'étude au chiffre que le membre a publié, sur le périmètre "
    "qu'il déclare comparable : loin de 1, il signale un périmètre ou une méthode différente, expliqués ligne à ligne "
    "dans son diagnostic ; aucune donnée n'a été ajustée pour s'en rapprocher.",
)


def _scroll_table(caption: str, head: list[str], body: list[str], label: str) -> str:
    return (f'<div class="scroll" role="region" aria-label="{label} (défilement horizontal)" tabindex="0">'
            f"<table><caption>{caption}</caption><thead><tr>"
            + "".join(f'<th scope="col">{h}</th>' for h in head) + "</tr></thead><tbody>" + "".join(body)
            + "</tbody></table></div>")


def _member_cell(r: dict) -> str:
    esc = html.escape
    label = esc(str(r["name"]))
    if r.get("diagnostic"):
        label = f'<a href="../{esc(str(r["territory"]))}/diagnostic.html">{label}</a>'
    return (f'<th scope="row">{label} <span class="note">({esc(str(r["territory"]))}'
            f'{", illustratif" if r.get("illustrative") else ""})</span></th>')


def _maturity_text(r: dict) -> str:
    if r["maturity"] == "answered":
        return (f"{_fmt(r['maturity_score_pct'])}/100, {html.escape(str(r['maturity_level']))} "
                f"(rang {r['maturity_rank']} sur {r['maturity_ranked_among']})")
    if r["maturity"] == "incomplete":
        return f"questionnaire incomplet ({_fmt(r['maturity_completeness_pct'])}{NBSP}%)"
    return "non répondu" if r["maturity"] == "absent" else "n.d."


def _cells(cells) -> str:
    return "".join(f'<td class="{c}">{v}</td>' if c else f"<td>{v}</td>" for c, v in cells)


def _members_table(rows: list[dict]) -> str:
    """Who is compared: year, kind, size, perimeter in short, data quality, maturity, published balance, state."""
    esc = html.escape
    head = ["Membre", "Année de référence", "Nature", "Agents", "Habitants", "Établissements scolaires",
            "Non fournis", "Lignes supposées (%)", "Maturité", "Bilan publié", "État"]
    body = []
    for r in rows:
        pub = "non publié"
        if r.get("published_tco2e") is not None:
            pub = f"{fr_number(r['published_tco2e'])}{NBSP}t ({esc(str(r.get('published_year') or ''))})"
        missing = [OPTIONAL_INPUTS_FR[k] for k in OPTIONAL_INPUTS_FR if k not in (r.get("inputs_given") or [])]
        failed = r["status"] == "failed"
        body.append("<tr>" + _member_cell(r) + _cells([
            ("n", esc(str(r.get("reference_year") or "n.d."))),
            ("", esc(KIND_FR.get(str(r.get("kind")), str(r.get("kind") or "n.d.")))),
            ("n", _fmt(r.get("agents"))), ("n", _fmt(r.get("population"))),
            ("", esc(SCHOOLS_FR.get(str(r.get("schools")), "n.d."))),
            ("", "n.d." if failed else esc(", ".join(missing) or "—")),
            ("n", _fmt(r.get("assumed_rows_pct"))), ("", "n.d." if failed else _maturity_text(r)), ("", pub),
            ("", esc(STATUS_FR.get(str(r["status"]), str(r["status"])))),
        ]) + "</tr>")
    return _scroll_table("Les membres : ce qui rend leurs chiffres comparables ou non", head, body,
                         "Tableau des membres")


def _indicators_table(rows: list[dict]) -> str:
    """The figures of every member side by side, with their 95 % intervals."""
    head = ["Membre", "Périmètre physique (tCO2e/an)", "Achats, ratio monétaire (tCO2e/an)",
            "Par agent, physique (kgCO2e/an)", "Par poste, physique (kgCO2e/an)", "Fabrication (%)",
            "Écrans par poste", "Équipements par agent", "Étude ÷ bilan publié"]
    body = []
    for r in rows:
        body.append("<tr>" + _member_cell(r) + _cells([
            ("n", _fmt_interval(r, "physical_tco2e", 0, "", True)),
            ("n", _fmt_interval(r, "purchases_tco2e", 0, "", True) if r.get("purchases_tco2e") is not None
             else missing_text(r, "purchases_tco2e")),
            ("n", _fmt_interval(r, "per_agent_physical_kgco2e", 0, "", True)),
            ("n", _fmt_interval(r, "per_workstation_physical_kgco2e", 0, "", True)),
            ("n", _fmt(r.get("manufacturing_share_pct"))),
            ("n", _fmt(r.get("screens_per_computer"), 2)), ("n", _fmt(r.get("devices_per_agent"), 2)),
            ("n", _fmt_interval(r, "ratio_to_published", 2, "", True) if r.get("ratio_to_published") is not None
             else missing_text(r, "ratio_to_published")),
        ]) + "</tr>")
    return _scroll_table("Les indicateurs de chaque membre (entre crochets : intervalle à 95 %)", head, body,
                         "Tableau des indicateurs")


def _perimeters(rows: list[dict]) -> str:
    esc = html.escape
    items = [f"<li><strong>{esc(str(r['name']))}</strong> : {esc(r['perimeter_note'])}."
             + (f" Bilan publié : {esc(str(r['published_scope']).rstrip('.'))}." if r.get("published_scope") else "")
             + "</li>"
             for r in rows if r.get("perimeter_note")]
    return "<ul class=\"perimeters\">" + "".join(items) + "</ul>" if items else ""


def comparison_html(rows: list[dict], seed: int, n_draws: int, mode: str) -> str:
    """The French comparison page: one H1, the « Comment comparer » note and the alerts, the table of members,
    then per group of indicators a chart and a sorted table per indicator; failures at the end. No script, no
    external request, every name escaped."""
    esc = html.escape
    ok = [r for r in rows if r["status"] != "failed"]
    failures = [r for r in rows if r["status"] == "failed"]
    n_answered = sum(1 for r in ok if r["maturity"] == "answered")
    parts = [
        "<!DOCTYPE html>", '<html lang="fr">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Comparaison des membres — diagnostic numérique responsable</title>",
        f"<style>{_CSS}</style>", "</head>", "<body>", "<main>",
        "<h1>Comparaison des collectivités membres</h1>",
        f"<p>{len(rows)} membre(s), dont {len(failures)} en échec ; calcul en mode "
        f"{esc(MODE_FR.get(mode, mode))}, graine {int(seed)}, {int(n_draws)} tirages Monte-Carlo. Chaque chiffre "
        "vient du diagnostic du membre (son fichier summary.json) ; « n.d. » : non disponible. Tableau pour tableur : "
        '<a href="comparison.csv">comparison.csv</a>.</p>',
        '<section aria-labelledby="comment"><h2 id="comment">Comment comparer</h2><ul>',
        *[f"<li>{item}</li>" for item in HOW_TO_COMPARE_FR], "</ul>",
    ]
    alerts = alerts_fr(rows)
    if alerts:
        parts.append('<div class="alert"><p><strong>Dans ce lot :</strong></p><ul>'
                     + "".join(f"<li>{esc(a)}</li>" for a in alerts) + "</ul></div>")
    parts += ["</section>", '<h2 id="membres">Les membres</h2>', _members_table(rows),
              '<h3 id="perimetres">Périmètre de chaque membre</h3>', _perimeters(rows),
              '<h2 id="indicateurs">Leurs indicateurs</h2>', _indicators_table(rows),
              '<p class="legend"><span class="dot"></span>valeur, trait : intervalle à 95 % ; '
              '<span class="dot hollow"></span>jeu de données illustratif (en partie supposé).'
              f" Maturité : {n_answered} membre(s) ont répondu au questionnaire.</p>"]
    n = 0
    for title, indicators in INDICATOR_GROUPS:
        n += 1
        parts.append(f'<section aria-labelledby="g{n}"><h2 id="g{n}">{esc(title)}</h2>')
        for key, label, unit, decimals, interval, note in indicators:
            parts.append(_chart(ok, key, label, unit, decimals, interval, f"c-{key}"))
            parts.append(f'<p class="note">{esc(note)}</p>')
            parts.append(_sorted_table(ok, key, label, unit, decimals, interval))
        parts.append("</section>")
    if failures:
        parts.append('<h2 id="echecs">Membres en échec</h2>')
        for r in failures:
            parts.append(f"<p><strong>{esc(str(r['name']))}</strong> ({esc(str(r['territory']))}) : rien n'est "
                         "comparé ; ses résultats publiés auparavant, s'il y en a, sont inchangés.</p>"
                         f"<pre>{esc(str(r['error']))}</pre>")
    parts += ["</main>", "</body>", "</html>", ""]
    return french_spaces("\n".join(parts))


def french_spaces(text: str) -> str:
    """No line break inside « … » nor before % (narrow no-break spaces, French typography)."""
    return text.replace("« ", f"«{NBSP}").replace(" »", f"{NBSP}»").replace(" %", f"{NBSP}%")


# ----------------------------------------------------------------------------------------------------------------
# The CSV for people (French) and the JSON for scripts
# ----------------------------------------------------------------------------------------------------------------

#: (machine key, French header, decimals or None for text)
CSV_COLUMNS_FR: tuple[tuple[str, str, int | None], ...] = (
    ("territory", "Identifiant", None), ("name", "Collectivité", None), ("status", "État", None),
    ("illustrative", "Jeu de données illustratif", None), ("reference_year", "Année de référence", 0),
    ("kind", "Nature", None), ("agents", "Agents", 0), ("population", "Habitants", 0),
    ("schools", "Établissements scolaires", None), ("perimeter_note", "Notes de périmètre", None),
    ("physical_tco2e", "Périmètre physique (tCO2e/an)", 1),
    ("physical_tco2e_low", "Périmètre physique, borne basse à 95 % (tCO2e/an)", 1),
    ("physical_tco2e_high", "Périmètre physique, borne haute à 95 % (tCO2e/an)", 1),
    ("purchases_tco2e", "Achats par ratio monétaire, à part (tCO2e/an)", 1),
    ("purchases_tco2e_low", "Achats, borne basse à 95 % (tCO2e/an)", 1),
    ("purchases_tco2e_high", "Achats, borne haute à 95 % (tCO2e/an)", 1),
    ("total_tco2e", "Total, physique et achats (tCO2e/an)", 1),
    ("per_agent_physical_kgco2e", "Par agent, périmètre physique (kgCO2e/an)", 0),
    ("per_agent_physical_kgco2e_low", "Par agent, borne basse à 95 % (kgCO2e/an)", 0),
    ("per_agent_physical_kgco2e_high", "Par agent, borne haute à 95 % (kgCO2e/an)", 0),
    ("per_workstation_physical_kgco2e", "Par poste de travail, périmètre physique (kgCO2e/an)", 0),
    ("per_workstation_physical_kgco2e_low", "Par poste, borne basse à 95 % (kgCO2e/an)", 0),
    ("per_workstation_physical_kgco2e_high", "Par poste, borne haute à 95 % (kgCO2e/an)", 0),
    ("per_agent_purchases_kgco2e", "Achats par agent, ratio monétaire (kgCO2e/an)", 0),
    ("per_inhabitant_physical_kgco2e", "Par habitant, périmètre physique (kgCO2e/an ; même nature seulement)", 2),
    ("manufacturing_share_pct", "Part de la fabrication, base équipements (%)", 1),
    ("computers", "Postes de travail", 0), ("screens_per_computer", "Écrans par poste", 2),
    ("computers_per_agent", "Postes par agent", 2), ("devices_per_agent", "Équipements par agent", 2),
    ("assumed_rows_pct", "Lignes d'entrée supposées (%)", 1),
    ("balance_assumed_rows_pct", "Lignes supposées des entrées du bilan carbone (%)", 1),
    ("maturity", "Questionnaire de maturité", None), ("maturity_score_pct", "Score de maturité (sur 100)", 1),
    ("maturity_level", "Niveau de maturité", None),
    ("maturity_rank", "Rang de maturité parmi les répondants de ce lot", 0),
    ("maturity_ranked_among", "Répondants classés", 0),
    ("maturity_completeness_pct", "Questionnaire rempli (%)", 0),
    ("published_tco2e", "Bilan publié par le membre (tCO2e/an)", 1), ("published_year", "Année du bilan publié", 0),
    ("published_scope", "Périmètre du bilan publié", None),
    ("published_comparable_scope", "Périmètre de l'étude comparé au bilan publié", None),
    ("study_on_published_scope_tco2e", "Étude sur ce périmètre (tCO2e/an)", 1),
    ("ratio_to_published", "Rapport étude ÷ bilan publié", 2),
    ("ratio_to_published_low", "Rapport, borne basse à 95 %", 2),
    ("ratio_to_published_high", "Rapport, borne haute à 95 %", 2),
    ("published_source", "Source du bilan publié", None),
    ("label_nr_held", "Label Numérique Responsable", None),
    ("plan_reduction_tco2e_per_year", "Réduction du plan d'actions (tCO2e/an)", 1),
    ("mode", "Mode de calcul", None), ("seconds", "Durée du calcul (s)", 1), ("error", "Erreur", None),
)
MATURITY_FR = {"answered": "répondu", "incomplete": "incomplet", "absent": "non fourni"}


def comparison_csv_fr(rows: list[dict]) -> tuple[pd.DataFrame, dict]:
    """``(table, decimals)`` for :func:`helpers.io.safe_write.write_csv_fr`: French headers, statuses, kinds, yes/no;
    numbers stay numbers (rounded by ``decimals``, written with a decimal comma)."""
    def text(key, v):
        if v is None:
            return ""
        if key == "status":
            return STATUS_FR.get(str(v), str(v))
        if key == "kind":
            return KIND_FR.get(str(v), str(v))
        if key == "schools":
            return SCHOOLS_FR.get(str(v), str(v))
        if key == "maturity":
            return MATURITY_FR.get(str(v), str(v))
        if key == "published_comparable_scope":
            return COMPARABLE_SCOPE_FR.get(str(v), str(v))
        if key == "mode":
            return MODE_FR.get(str(v), str(v))
        if isinstance(v, bool):
            return "oui" if v else "non"
        return str(v)

    data, decimals = {}, {}
    for key, header, dec in CSV_COLUMNS_FR:
        values = [r.get(key) for r in rows]
        if dec is None:
            data[header] = [text(key, v) for v in values]
        else:
            data[header] = pd.array([None if v is None else float(v) for v in values], dtype="Float64")
            decimals[header] = dec
    return pd.DataFrame(data), decimals


def _json_default(obj):
    if hasattr(obj, "item"):
        return obj.item()
    raise TypeError(type(obj).__name__)


def comparison_json(rows: list[dict], seed: int, n_draws: int, mode: str) -> str:
    """The same rows with their machine keys, for scripts (sorted keys, UTF-8, no NaN)."""
    clean = [{k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()} for r in rows]
    return json.dumps({"seed": int(seed), "n_draws": int(n_draws), "mode": mode, "members": clean},
                      ensure_ascii=False, sort_keys=True, indent=1, default=_json_default) + "\n"


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def read_summary(slug: str) -> dict | None:
    """The member's published ``summary.json`` (None when absent or unreadable)."""
    from helpers.io import paths

    try:
        data = json.loads((paths.outputs_dir(slug) / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def members_from_status(table: pd.DataFrame) -> list[dict]:
    """The comparison rows of a batch status table: each member that was computed or is up to date with its
    published summary; a failed member with its error only (an older publication is not shown as current)."""
    members = []
    for status in table.to_dict("records"):
        summary = read_summary(str(status["territory"])) if status["status"] in ("ok", "skipped") else None
        members.append(member_row(status, summary))
    return comparison_table(members)


def write_comparison(table: pd.DataFrame, seed: int, n_draws: int, mode: str) -> tuple[Path, Path]:
    """``outputs/batch/comparison.csv`` (French, for people), ``comparison.html`` and ``comparison.json``; returns
    the paths of the CSV and the page. Writes nothing else (the members' own outputs are never touched)."""
    from helpers.io import paths, safe_write

    rows = members_from_status(table)
    out = paths.OUTPUTS_DIR / BATCH_DIR_NAME
    out.mkdir(parents=True, exist_ok=True)
    csv_path, html_path = out / "comparison.csv", out / "comparison.html"
    frame, decimals = comparison_csv_fr(rows)
    safe_write.write_csv_fr(frame, csv_path, decimals)
    _atomic_write(out / "comparison.json", comparison_json(rows, seed, n_draws, mode))
    _atomic_write(html_path, comparison_html(rows, seed, n_draws, mode))
    return csv_path, html_path
