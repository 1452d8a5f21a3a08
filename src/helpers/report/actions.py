"""The action plan and the trajectory in French for the published diagnostic: headline, notes, display tables
and figures.

The plan (``helpers.plan.actions``, ``helpers.plan.pathways``) holds numbers and codes only; this module gives the codes
their French wording (applicability, gain status, indicator units: :func:`with_labels`, :func:`indicator_units`), builds
the French tables the section writes (:func:`means_table`) and turns a study
(:class:`helpers.run.actions_section.ActionsStudy`) into what notebook ``05_actions`` shows; the trajectory's verdict in
one French sentence (:func:`verdict_text`, read by :func:`headline_markdown`) is here. The French fields of
``summary.json`` are :mod:`helpers.report.actions_summary`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.io.catalogue import axis_labels, known_axes
from helpers.io.french import count_text
from helpers.plan.actions import CARBON_VALUE_EUR_PER_TCO2E, means_order

# ----------------------------------------------------------------------------------------------------------------
# The wording of the plan's codes (published in the tables and in summary.json)
# ----------------------------------------------------------------------------------------------------------------

#: why an action does not apply (:data:`helpers.plan.actions.APPLICABILITY_CODES`) -> French note; ``{}``: what the
#: code names (target categories, purchase categories, services types), separated by commas
APPLICABILITY_FR: dict[str, str] = {
    "": "",
    "no_target_devices": "aucun équipement visé dans l'inventaire ({})",
    "no_screens_or_computers": "pas d'écrans ou pas d'ordinateurs dans l'inventaire",
    "no_printing": "pas de consommation de papier (printing.csv)",
    "no_hosting": "pas de salle ni de site d'hébergement (hosting.csv)",
    "no_named_site": "aucun des sites visés dans hosting.csv",
    "no_own_room": "pas de salle serveur de la collectivité dans hosting.csv",
    "no_spend": "pas de dépense {} dans purchases.csv",
    "no_mobile_data": "pas de données mobiles (telecom.csv) ni de services (services.csv)",
    "no_services": "pas de services numériques décrits (services.csv)",
    "no_service_of_type": "aucun service du type visé dans services.csv ({})",
    "empty_inventory": "inventaire vide",
}
#: units of the monitoring indicators (:data:`helpers.plan.actions.INDICATOR_UNITS` and the footprint's) -> French
INDICATOR_UNITS_FR: dict[str, str] = {
    "years": "années", "percent": "%", "devices": "équipements", "screens_per_workstation": "écrans par poste",
    "kwh_per_year": "kWh/an", "reams_per_year": "ramettes/an", "pue": "PUE", "mean_pue_of_rooms": "PUE moyen des salles",
    "eur_per_year": "€ HT/an", "percent_of_monetary_intensity": "% de l'intensité des ratios monétaires",
    "gb_per_year": "Go/an", "mobile_gb_per_year": "Go mobiles/an", "tb_stored": "To stockés",
    "percent_audio_hours": "% des heures en audio", "mb_per_page": "Mo par page", "mb_per_visit": "Mo par visite",
    "percent_hd_hours": "% des heures en HD ou plus", "": "",
    "tco2e_per_year": "tCO2e/an", "kgco2e_per_agent_per_year": "kgCO2e/agent/an",
}


def applicability_note(code: str, detail=()) -> str:
    """The French note of an applicability code (empty when the action applies)."""
    return APPLICABILITY_FR[code].format(", ".join(detail))


def gain_status_fr(code: str, missing=(), note: str = "") -> str:
    """The French status of an action's gain (:data:`helpers.plan.actions.GAIN_STATUS_CODES`): computed, no carbon
    model, the missing input files, or *sans objet* with its ``note``."""
    if code == "no_carbon_model":
        return "sans gain carbone calculé"
    if code == "missing_input":
        return "donnée absente : " + ", ".join(f"{m}.csv" for m in missing)
    if code == "not_applicable":
        return "sans objet : " + str(note)
    return "calculé"


def with_labels(ranked: pd.DataFrame) -> pd.DataFrame:
    """``ranked`` (or a plan) with the French ``applicability_note`` of each action and, when its gains are there,
    its French ``gain_status``: the columns the table ``actions_plan`` and ``summary.json`` publish."""
    out = ranked.copy()
    out["applicability_note"] = [applicability_note(c, d) for c, d in zip(out["applicability_code"],
                                                                         out["applicability_detail"])]
    if "gain_status_code" in out:
        out["gain_status"] = [gain_status_fr(c, m, n) for c, m, n in zip(out["gain_status_code"],
                                                                        out["missing_inputs"],
                                                                        out["applicability_note"])]
    return out


def indicator_units(indicators: pd.DataFrame) -> pd.DataFrame:
    """The monitoring indicators (:func:`helpers.plan.actions.indicators_table`) with their French ``unit`` in place
    of ``unit_code``."""
    if "unit_code" not in indicators:
        return indicators
    out = indicators.copy()
    out["unit_code"] = out["unit_code"].map(INDICATOR_UNITS_FR)
    return out.rename(columns={"unit_code": "unit"})


def plan_notes(plan: pd.DataFrame, decision: int) -> list[str]:
    """French notes on the territory's choices the plan had to amend: start years of ``actions.csv`` moved to the
    decision year, adopted actions that have nothing to act on in the inputs."""
    notes = []
    moved = plan[plan["start_moved"]]
    if len(moved):
        notes.append(f"actions.csv : année de début antérieure à l'année de décision du plan ({decision}), ramenée "
                     f"à {decision} pour " + ", ".join(moved["action_id"]))
    void = plan[plan["decision"].eq("adopted") & ~plan["applicable"]]
    notes += [f"actions.csv : {a} est retenue mais sans objet pour les données fournies "
              f"({applicability_note(c, d)}) : son gain calculé est nul"
              for a, c, d in zip(void["action_id"], void["applicability_code"], void["applicability_detail"])]
    return notes


def means_table(plan: pd.DataFrame, ranked: pd.DataFrame) -> pd.DataFrame:
    """Means and calendar of each selected action (French headers, units): action id and title, owner, investment
    (€ HT), yearly cost (€ HT/year), set-up staff time (agent-days), recurring staff time (agent-days per year),
    years of the set-up (start–end, :func:`helpers.plan.actions.end_year`). Owner and staff time are the catalogue's
    defaults (``owner_fr``, ``staff_days``, ``staff_days_per_year``, source in ``means_source``) unless
    ``actions.csv`` gives them (``owner``, ``staff_days``); costs are scaled to the territory
    (:func:`helpers.plan.actions.build_plan`). The table ``actions_means``."""
    sel = means_order(plan, ranked)
    return pd.DataFrame({
        "Action": sel["action_id"],
        "Titre": sel["title_fr"],
        "Porteur": sel["owner"].replace("", "à désigner"),
        "Investissement (€ HT)": sel["investment_eur"].astype(float).round(0),
        "Coût annuel (€ HT/an)": sel["yearly_eur"].astype(float).round(0),
        "Temps d'agent, mise en place (jours)": sel["staff_days"].astype(float).round(0),
        "Temps d'agent récurrent (jours/an)": sel["staff_days_per_year"].astype(float).round(0),
        "Mise en place": [str(a) if a == b else f"{a}–{b}" for a, b in zip(sel["start_year"].astype(int),
                                                                              sel["end_year"].astype(int))],
    })


def pollution_transfers(criteria: pd.DataFrame, ranked: pd.DataFrame) -> pd.DataFrame:
    """Actions that raise a criterion other than climate change (avoided value < 0 with its whole 95 % interval
    below 0), with the change in % of the baseline (negative = more impact); French headers (shown by
    :func:`criteria_markdown`)."""
    from helpers.io.vocab import CRITERIA_LABELS_FR as CRITERIA_LABELS

    worse = criteria[(criteria["criterion"] != "climate_change") & (criteria["value"] < 0)
                     & (criteria["high"] < 0)]
    if worse.empty:
        return pd.DataFrame(columns=["Action", "Indicateur dégradé", "Variation (%)"])
    titles = ranked.set_index("action_id")["title_fr"]
    return pd.DataFrame({
        "Action": worse["action_id"] + " " + worse["action_id"].map(titles),
        "Indicateur dégradé": worse["criterion"].map(CRITERIA_LABELS),
        "Variation (%)": worse["value"] / worse["baseline"] * 100,
    }).reset_index(drop=True)


# ----------------------------------------------------------------------------------------------------------------
# Figures (French labels; markers, position and labels so colour is never the only carrier; no hatching)
# ----------------------------------------------------------------------------------------------------------------

def _short(text: str, n: int) -> str:
    text = str(text)
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _integer_years(ax):
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def gains_figure(ranked: pd.DataFrame, top: int = 20):
    """Horizontal bars: total gain of each action with its 95 % interval, split balance / services (actions
    measured against the reference year; the fleet stabilisation, measured against the growth, is left out)."""
    from helpers.report.plotting import PALETTE, setup

    plt = setup()
    df = ranked[(ranked["gain_tco2e"].abs() > 0) & ranked["kind"].eq("reduction")]
    df = df.sort_values(["gain_tco2e", "action_id"]).tail(top)
    fig, ax = plt.subplots(figsize=(7.5, 0.3 * len(df) + 1.3))
    labels = [f"{a} {_short(t, 45)}" for a, t in zip(df["action_id"], df["title_fr"])]
    ax.barh(labels, df["balance_gain_tco2e"], color=PALETTE[0], label="Bilan de la collectivité")
    ax.barh(labels, df["services_gain_tco2e"], left=df["balance_gain_tco2e"], color=PALETTE[1], edgecolor="white",
            label="Services (usagers compris)")
    err = np.vstack([df["gain_tco2e"] - df["gain_low_tco2e"], df["gain_high_tco2e"] - df["gain_tco2e"]])
    ax.errorbar(df["gain_tco2e"], labels, xerr=np.clip(err, 0, None), fmt="none", ecolor="black", capsize=2, lw=0.8)
    ax.set_xlabel("tCO2e évitées par an (mise en œuvre complète), intervalle à 95 %")
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def macc_figure(ranked: pd.DataFrame, carbon_value: float = CARBON_VALUE_EUR_PER_TCO2E):
    """Marginal abatement cost curve of the plan's actions (``selected``: adopted, or proposed): actions sorted by
    cost per tCO2e; bar width = tCO2e avoided per year, height = € per tCO2e. Reductions only (kind
    ``reduction``): avoided emissions are never in the curve; complementary, rejected and *sans objet* actions are
    left out (the complementary ones are in their own table).
    The vertical axis is cut at the 5th and 95th percentiles widened by 20 %; a cut bar shows its value."""
    from helpers.report.plotting import PALETTE, fr_number, setup

    plt = setup()
    df = ranked[(ranked["gain_tco2e"] > 0) & ranked["cost_eur_per_tco2e"].notna() & ranked["kind"].eq("reduction")
                & ranked["selected"]]
    df = df.sort_values(["cost_eur_per_tco2e", "action_id"])
    fig, ax = plt.subplots(figsize=(4.6, 4.4))
    c = df["cost_eur_per_tco2e"].to_numpy(dtype=float)
    lo = min(np.percentile(c, 5) * 1.2, -carbon_value) if len(c) else -1000.0
    hi = max(np.percentile(c, 95) * 1.2, 2 * carbon_value) if len(c) else 1000.0
    total = max(float(df["gain_tco2e"].sum()), 1e-9)
    x = 0.0
    cut_labels = []
    for i, r in enumerate(df.itertuples(index=False)):  # one bar per action (tens)
        h = float(np.clip(r.cost_eur_per_tco2e, lo, hi))
        saves = r.cost_eur_per_tco2e <= 0
        ax.bar(x, h, width=r.gain_tco2e, align="edge", color=PALETTE[2] if saves else PALETTE[5],
               edgecolor="white", linewidth=0.6)
        cut = r.cost_eur_per_tco2e != h  # a bar cut by the axis shows its value (issue 20: no bar cut silently)
        wide = r.gain_tco2e >= 0.05 * total  # narrower bars are named in the table of the plan
        if cut:  # above a positive bar's end, above the zero line for a negative one: never into the axis labels
            label = fr_number(r.cost_eur_per_tco2e, 0)
            cut_labels.append(ax.text(x + r.gain_tco2e / 2, max(h, 0.0) + 0.02 * (hi - lo),
                                      f"{r.action_id} : {label}" if wide else label, ha="center", va="bottom",
                                      fontsize=9, rotation=90))
        elif wide:
            y = h * (0.55 + 0.25 * (i % 2))
            ax.text(x + r.gain_tco2e / 2, y, r.action_id, ha="center", va="center", fontsize=9, rotation=90)
        x += r.gain_tco2e
    ax.axhline(0, color="black", lw=0.6)
    ax.axhline(carbon_value, color=PALETTE[0], ls="--", lw=1,
               label=f"Valeur de l'action pour le climat 2030 :\n{fr_number(carbon_value, 0)} €/tCO2e")
    ax.set_ylim(lo * 1.25, hi * 1.25)
    ax.set_xlabel("tCO2e réduites par an\n(actions une à une, mises bout à bout)")
    ax.set_ylabel("Coût net (€ par tCO2e réduite)")
    from matplotlib.patches import Patch

    handles = ax.get_legend_handles_labels()[0] + [Patch(color=PALETTE[2], label="Fait économiser de l'argent"),
                                                    Patch(color=PALETTE[5], label="Coûte de l'argent")]
    ax.legend(handles=handles, frameon=False, fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=1)
    fig.tight_layout()
    _room_above(fig, ax, cut_labels)
    return fig


def _room_above(fig, ax, texts, pad_px: float = 4.0) -> None:
    """Raise the top of ``ax`` so that every text of ``texts`` (anchored at its bottom, in data coordinates) fits
    inside it: a text of height L px anchored at data y ``a`` fits when (a − y0) / (top − y0) × H + L ≤ H, H being
    the axes' height in px, so top = y0 + (a − y0) × H / (H − L)."""
    if not texts:
        return
    renderer = fig.canvas.get_renderer()
    height_px = ax.get_window_extent(renderer).height
    y0, top = ax.get_ylim()
    for t in texts:
        need_px = t.get_window_extent(renderer).height + pad_px
        if need_px < height_px:
            top = max(top, y0 + (t.get_position()[1] - y0) * height_px / (height_px - need_px))
    ax.set_ylim(y0, top)


def matrix_figure(ranked: pd.DataFrame):
    """Impact versus effort of the actions that apply to the territory: x = effort (1–3, spread within each level),
    y = tCO2e avoided per year (log scale; actions without a computed gain on the bottom line). The plan's actions
    are filled circles, the others (complementary, rejected) hollow squares."""
    from helpers.report.plotting import PALETTE, setup

    plt = setup()
    df = ranked[ranked["applicable"]] if "applicable" in ranked else ranked
    df = df.sort_values("action_id").reset_index(drop=True)
    floor = 0.01
    y = np.where(df["gain_tco2e"] > floor, df["gain_tco2e"], floor)
    offset = df.groupby("effort").cumcount().to_numpy()
    count = df.groupby("effort")["action_id"].transform("count").to_numpy()
    x = df["effort"].to_numpy(dtype=float) + (offset - (count - 1) / 2) * (0.6 / np.maximum(count, 1))
    fig, ax = plt.subplots(figsize=(4.9, 4.6))
    sel = df["selected"].to_numpy()
    ax.scatter(x[sel], y[sel], s=30, color=PALETTE[0], marker="o", label="Dans le plan")
    ax.scatter(x[~sel], y[~sel], s=30, facecolors="none", edgecolors=PALETTE[5], marker="s", label="Hors plan")
    ax.set_yscale("log")
    from matplotlib.ticker import NullFormatter

    ax.yaxis.set_minor_formatter(NullFormatter())  # powers of ten only: labelled minor ticks piled up (0,009 …)
    ax.set_xticks([1, 2, 3], ["1 — facile", "2 — moyen", "3 — difficile"])
    ax.set_xlim(0.5, 3.5)
    ax.axhline(floor, color="grey", lw=0.5, ls=":")
    ax.text(0.55, floor * 1.3, "sans gain carbone calculé", fontsize=9, color="#555555")
    ax.set_xlabel("Effort de mise en œuvre")
    ax.set_ylabel("tCO2e réduites par an (échelle log)")
    ax.legend(frameon=False, fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2)
    fig.tight_layout()
    # labels of the actions with a gain placed apart by adjustText (Flyamer et al., adjustText 1.x); the actions
    # on the bottom line are listed in the table of the plan, not labelled here (they would pile up)
    from adjustText import adjust_text

    gain = y > floor
    texts = [ax.text(xi, yi, a, fontsize=9) for xi, yi, a in zip(x[gain], y[gain], df["action_id"][gain])]
    if texts:
        # at most 200 steps, never a time limit: adjustText's default is 1 s of wall clock, so a loaded machine
        # stopped earlier and two runs published different images (it stops sooner when no label overlaps)
        adjust_text(texts, x=x[gain], y=y[gain], ax=ax, time_lim=None, iter_lim=200,
                    arrowprops={"arrowstyle": "-", "color": "grey", "lw": 0.5})
    return fig


def governance_markdown(reference_year: int, milestone: int, target_year: int) -> str:
    """Governance of the plan (French): a steering committee and the annual review that the REEN law (loi
    n° 2021-1485, art. 35) asks for, presented with the sustainable-development report before the budget debate;
    the diagnostic is rerun each year on the year's inputs."""
    return (
        "**Gouvernance.** Un comité de pilotage (élu chargé du numérique responsable, direction générale, DSI, "
        "commande publique, ressources humaines, mission numérique responsable) se réunit deux fois par an : il suit "
        "l'avancement de chaque action auprès de son porteur et arbitre les moyens. Chaque année, le bilan de la "
        "stratégie est présenté dans le rapport sur la situation en matière de développement durable, avant le débat "
        "budgétaire, comme la loi du 15 novembre 2021 (dite REEN, article 35) le demande : ce diagnostic est refait "
        f"sur les données de l'année et comparé à {reference_year} ; la trajectoire est revue en {milestone} "
        f"et jusqu'à l'objectif {target_year}."
    )


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(str(text), width=width, max_lines=2, placeholder="…"))


def gantt_figure(plan: pd.DataFrame, ranked: pd.DataFrame, first_year: int, last_year: int):
    """Gantt chart of the plan's actions from ``first_year`` (the plan's decision year) to ``last_year`` (the target
    year): set-up (dark bar) then full implementation (light bar). Each label is the action's id, as in every
    table, and its title wrapped on two lines, so no label is cut; flat colours, a legend above the bars."""
    from helpers.report.plotting import PALETTE, setup

    plt = setup()
    sel = means_order(plan, ranked).iloc[::-1]
    labels = [f"{a} {_wrap(t, 26)}" for a, t in zip(sel["action_id"], sel["title_fr"])]
    fig, ax = plt.subplots(figsize=(4.9, 0.36 * len(sel) + 1.0))
    start = sel["start_year"].to_numpy(dtype=float)
    ramp = sel["months"].to_numpy(dtype=float) / 12.0
    ax.barh(labels, ramp, left=start, height=0.7, color=PALETTE[5], linewidth=0, label="Mise en place")
    ax.barh(labels, np.maximum(last_year + 1 - (start + ramp), 0), left=start + ramp, height=0.7, color=PALETTE[4],
            label="En œuvre")
    ax.set_xlim(first_year, last_year + 1)
    _integer_years(ax)
    ax.set_xlabel("Année (début le 1er janvier)", fontsize=10)
    ax.tick_params(axis="y", labelsize=9, length=0)
    ax.tick_params(axis="x", labelsize=9)
    from matplotlib.ticker import MultipleLocator

    ax.xaxis.set_major_locator(MultipleLocator(5 if last_year - first_year > 12 else 2))
    ax.set_ylim(-0.6, len(sel) - 0.4)
    fig.legend(frameon=False, fontsize=10, loc="upper center", ncol=2)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.35 / fig.get_figheight()))
    return fig


def trajectory_figure(table: pd.DataFrame, budget: float, milestone_year: int | None = None,
                      reference_year: int | None = None, target_year: int | None = None,
                      follow_up: dict | None = None):
    """Two panels: yearly paths (BAU, plan with its 95 % band, target pathway) and cumulative emissions against the
    carbon budget. Lines differ by style and marker, not only by colour. With a ``follow_up`` (issue 34), the
    upper panel also shows last year's plan path and the observed footprints: last year's published one and this
    year's at last year's method (a method change is not drawn as progress)."""
    from helpers.report.plotting import PALETTE, fr_number, setup

    plt = setup()
    # stacked panels, 4.9 in wide: legible on a phone (issue 20); legends below the data, the milestone label at the
    # bottom of its line, away from the legend
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(4.9, 7.4))
    y = table["year"]
    ax.plot(y, table["bau_tco2e"], color=PALETTE[5], ls="--", marker="s", ms=3, markevery=5, label="Fil de l'eau")
    if "plan_low_tco2e" in table:
        ax.fill_between(y, table["plan_low_tco2e"], table["plan_high_tco2e"], color="#d5e6f3", lw=0,
                        label="Plan : intervalle à 95 %")
    ax.plot(y, table["plan_tco2e"], color=PALETTE[0], ls="-", marker="o", ms=3, markevery=5, label="Plan d'actions")
    ax.plot(y, table["target_tco2e"], color=PALETTE[2], ls=":", lw=2, label="Trajectoire cible")
    if follow_up:
        prev = follow_up.get("previous_paths") or {}
        if prev.get("years"):
            ax.plot(prev["years"], prev["plan_tco2e"], color="#555555", ls="-", lw=0.8,
                    label=f"Plan de l'étude {follow_up['previous_reference_year']}")
        obs = [o for o in follow_up.get("observed", []) if o["what"] in ("previous_published", "current_previous_method")]
        ax.plot([o["year"] for o in obs], [o["tco2e"] for o in obs], ls="none", marker="D", ms=6, color="black",
                label="Observé, à méthode constante")
    if milestone_year is not None:
        ax.axvline(milestone_year, color="grey", lw=0.8, ls="-.")
    ax.set_ylabel("tCO2e par an")
    ax.set_title("Émissions annuelles", fontsize=10)
    ax.set_ylim(bottom=0)
    if milestone_year is not None:
        ax.text(milestone_year, ax.get_ylim()[1] * 0.03, f" {milestone_year}", va="bottom", fontsize=9)
    # one column when the follow-up adds its two entries: two would be wider than the figure on a phone
    ax.legend(frameon=False, fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=1 if follow_up else 2)
    ax2.plot(y, table["bau_cumulative_tco2e"], color=PALETTE[5], ls="--", marker="s", ms=3, markevery=5,
             label="Fil de l'eau")
    ax2.plot(y, table["plan_cumulative_tco2e"], color=PALETTE[0], ls="-", marker="o", ms=3, markevery=5,
             label="Plan d'actions")
    ax2.axhline(budget, color=PALETTE[2], ls=":", lw=2,
                label=f"Budget carbone : {fr_number(budget, 0)} tCO2e")
    ax2.set_ylabel("tCO2e cumulées")
    span = f" {reference_year}–{target_year}" if reference_year and target_year else ""
    ax2.set_title(f"Émissions cumulées et budget{span}", fontsize=10)
    ax2.legend(frameon=False, fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=1)
    first, last = int(y.min()), int(y.max())
    if follow_up:
        first = min(first, int(follow_up["previous_reference_year"]))
    ticks = sorted({first, last, *range(-(-first // 5) * 5, last + 1, 5)})
    ticks = [t for i, t in enumerate(ticks) if i == 0 or t - ticks[i - 1] >= 2 or t == last]
    for a in (ax, ax2):
        a.set_xticks(ticks)
        a.set_xlim(first - 0.5, last + 0.5)
    fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------------------------------------------
# Display tables (French headers)
# ----------------------------------------------------------------------------------------------------------------

def catalogue_markdown(catalogue: pd.DataFrame) -> str:
    """French bullet list: the number of catalogue actions per maturity axis, with their ids."""
    labels = axis_labels()
    ex = catalogue[["action_id", "axes_list"]].explode("axes_list")
    lines = []
    for axis in known_axes():
        ids = sorted(ex.loc[ex["axes_list"] == axis, "action_id"])
        lines.append(f"- {labels.get(axis, axis)} : {len(ids)} actions ({', '.join(ids)})")
    return "\n".join(lines)


def display_gains(ranked: pd.DataFrame, top: int = 8) -> pd.DataFrame:
    """The ``top`` first reductions of the plan in rank order: total gain with its interval and net cost (French
    headers; every action, with its start year and costs, is in the exported table ``actions_plan``; avoided
    emissions are shown apart by :func:`avoided_markdown`)."""
    from helpers.report.plotting import fr_interval

    df = ranked[ranked["selected"] & ranked["kind"].eq("reduction")].sort_values("rank").head(top)
    gain = [fr_interval(v, lo, hi, 1) if v else "—"
            for v, lo, hi in zip(df["gain_tco2e"], df["gain_low_tco2e"], df["gain_high_tco2e"])]
    return pd.DataFrame({
        "Rang": df["rank"].astype(int),
        "Action": [f"{a} {_short(t, 60)}" for a, t in zip(df["action_id"], df["title_fr"])],
        "tCO2e réduites par an [fourchette probable]": gain,
        "Coût net (€/tCO2e)": df["cost_eur_per_tco2e"].round(0),
    })


def criteria_markdown(plan_criteria: pd.DataFrame, criteria: pd.DataFrame, ranked: pd.DataFrame) -> str:
    """French sentences: what the combined plan avoids on the other criteria, and any pollution transfer."""
    from helpers.report.carbon_labels import CRITERIA_LABELS
    from helpers.report.plotting import fr_number

    other = plan_criteria[plan_criteria["criterion"] != "climate_change"].dropna(subset=["change_pct"])
    parts = [f"{CRITERIA_LABELS.get(c, c).lower()} {fr_number(-v, 0)} %"
             for c, v in zip(other["criterion"], other["change_pct"])]
    text = ("Sur les autres indicateurs du bilan de la collectivité, le plan complet réduit les impacts annuels de : "
            + " ; ".join(parts) + "." if parts else "")
    worse = pollution_transfers(criteria, ranked)
    if worse.empty:
        text += (" Aucune action n'augmente un autre indicateur de façon significative (hausse dont tout "
                 "l'intervalle à 95 % est au-dessus de zéro) : pas de transfert de pollution détecté.")
    else:
        items = [f"{a} ({i.lower()}, +{fr_number(-v, 1)} %)" for a, i, v in
                 zip(worse["Action"].str.split(" ").str[0], worse["Indicateur dégradé"], worse["Variation (%)"])]
        text += " Transferts de pollution : " + " ; ".join(items) + "."
    return text.strip()


def display_budget(budget: pd.DataFrame) -> pd.DataFrame:
    """Cumulative emissions of each scenario against the carbon budget (French headers)."""
    from helpers.report.plotting import fr_interval, fr_number

    names = {"bau": "Fil de l'eau", "plan": "Plan d'actions", "target": "Trajectoire cible"}
    lo = budget.get("cumulative_low_tco2e", pd.Series(np.nan, index=budget.index))
    hi = budget.get("cumulative_high_tco2e", pd.Series(np.nan, index=budget.index))
    return pd.DataFrame({
        "Scénario": budget["scenario"].map(names),
        "Émissions cumulées (tCO2e) [fourchette probable]": [fr_number(v, 0) if pd.isna(a) else fr_interval(v, a, b, 0)
                                                 for v, a, b in zip(budget["cumulative_tco2e"], lo, hi)],
        "Dépassement (+) ou marge (−) du budget (tCO2e)": budget["overshoot_tco2e"].round(0),
        "Budget épuisé en": budget["budget_exhausted_year"].map(lambda y: "—" if pd.isna(y) else str(int(y))),
    })


def display_indicators(ind: pd.DataFrame, ranked: pd.DataFrame, milestone_year: int) -> pd.DataFrame:
    """Monitoring indicators: the two footprint indicators, then those of the selected actions in rank order
    (French headers; the full table with how to measure each is exported as ``actions_indicators``)."""
    rank = ranked.set_index("action_id")["rank"]
    df = ind.assign(_r=ind["action_id"].map(rank).astype(float).fillna(0.0)).sort_values("_r", kind="stable")
    target = [t if pd.isna(v) and t else v for v, t in zip(df["target_milestone"], df["target_text_fr"])]
    return pd.DataFrame({
        "Indicateur": [(f"{a} : " if a else "") + _short(i, 70) for a, i in zip(df["action_id"], df["indicator_fr"])],
        "Unité": df["unit"],
        "Référence": df["baseline"],
        f"Cible {milestone_year}": target,
    })


# ----------------------------------------------------------------------------------------------------------------
# Narrative and alternative texts (French, numbers from the study)
# ----------------------------------------------------------------------------------------------------------------

def _carbon_total(ctx) -> float | None:
    try:
        total = ctx.read_summary("carbon").get("total_tco2e")
    except (FileNotFoundError, KeyError, ValueError):
        return None
    return total.get("value") if isinstance(total, dict) else total


def _services_total(ctx) -> float | None:
    try:
        total = ctx.read_summary("services").get("total_annual_tco2e")
    except (FileNotFoundError, KeyError, ValueError, AttributeError):
        return None
    return total.get("value") if isinstance(total, dict) else total


def consistency_note(study, ctx) -> str:
    """French sentences comparing the baselines rerun here with the totals of notebooks 02 and 03 (they must
    agree: same inputs, same factors, same seed)."""
    from helpers.report.plotting import fr_number

    out = []
    base_s = study.evaluation.baseline_services
    pairs = [("le bilan carbone", "partie 3", study.info["trajectory"]["baseline_tco2e"], _carbon_total(ctx))]
    if base_s is not None:
        pairs.append(("l'empreinte des services", "partie 3", base_s.central["climate_change"] / 1000.0,
                      _services_total(ctx)))
    for what, part, mine, other in pairs:
        if other is None:
            out.append(f"Référence recalculée pour {what} : {fr_number(mine, 1)} tCO2e/an ({part} non trouvée "
                       "pour comparaison).")
            continue
        gap = (mine - other) / other * 100 if other else float("nan")
        if abs(gap) < 0.5:
            continue  # the two parts agree: nothing for the reader to check (issue 20)
        out.append(f"Référence recalculée pour {what} : {fr_number(mine, 1)} tCO2e/an, écart de "
                   f"{fr_number(gap, 1)} % avec la {part} ({fr_number(other, 1)} tCO2e/an) : vérifier que les deux "
                   "parties utilisent les mêmes entrées.")
    return " ".join(out)


def _dec(d) -> int:
    """Decimals to show a value (a number or an interval dict): none from 100, one below."""
    value = d.get("value") if isinstance(d, dict) else d
    return 0 if abs(value or 0) >= 100 else 1


def verdict_text(t: dict) -> str:
    """One French sentence: does the plan meet the milestone and the carbon budget, the gaps in tCO2e and in %, and
    the remaining effort; ``t`` is the ``trajectory`` summary (keys of
    :func:`helpers.model.trajectory.milestone_verdict` plus ``milestone_year``, ``plan_2030_tco2e``,
    ``target_2030_tco2e``, ``reference_year``, ``target_year``)."""
    from helpers.report.plotting import fr_number

    m = t["milestone_year"]
    gap = t["gap_milestone_tco2e"]
    over = t["budget_overshoot_tco2e"]
    if t["milestone_met"]:
        head = (f"Jalon {m} : objectif atteint, le plan mène à {fr_number(t['plan_2030_tco2e'], 0)} tCO2e pour "
                f"{fr_number(t['target_2030_tco2e'], 0)} tCO2e visées (marge de {fr_number(-gap, 0)} tCO2e)")
    else:
        head = (f"Jalon {m} : objectif non atteint, le plan mène à {fr_number(t['plan_2030_tco2e'], 0)} tCO2e pour "
                f"{fr_number(t['target_2030_tco2e'], 0)} tCO2e visées, soit {fr_number(gap, 0)} tCO2e "
                f"({fr_number(t['gap_milestone_pct'], 0)} %) au-dessus de la cible ; effort restant : "
                f"{fr_number(gap, 0)} tCO2e par an de réduction supplémentaire "
                f"({fr_number(t['extra_reduction_pct_of_reference'], 0)} % du bilan {t['reference_year']})")
    budget = (f"budget carbone {t['reference_year']}–{t['target_year']} dépassé de {fr_number(over, 0)} tCO2e "
              f"({fr_number(t['budget_overshoot_pct'], 0)} %)" if over > 0 else
              f"budget carbone {t['reference_year']}–{t['target_year']} respecté (marge de "
              f"{fr_number(-over, 0)} tCO2e)")
    return f"{head} ; {budget}."


def headline_markdown(study) -> str:
    """French summary of the plan: reduction with interval, 2030 values, budget, overshoot or margin."""
    from helpers.report.plotting import fr_interval, fr_number

    s = study.summary()
    meta = s["actions_meta"]
    t = s["trajectory"]
    p, pb, ps = (s["plan_reduction_tco2e_per_year"], s["plan_reduction_balance_tco2e_per_year"],
                 s["plan_reduction_services_tco2e_per_year"])
    over = t["plan_overshoot_tco2e"]
    over_txt = (f"dépasse le budget de {fr_number(over, 0)} tCO2e ({fr_number(over / t['budget_tco2e'] * 100, 0)} %)"
                if over > 0 else f"reste sous le budget avec une marge de {fr_number(-over, 0)} tCO2e")
    m = t["milestone_year"]
    sum_parts = meta["sum_of_actions_tco2e_per_year"]

    def num(value) -> str:
        return fr_number(value, _dec(value))

    return "\n".join([
        plan_status_markdown(s),
        f"- Mises en œuvre ensemble, les actions du plan évitent **{fr_interval(p['value'], p['low'], p['high'], _dec(p))} tCO2e "
        f"par an** (fourchette probable) : {fr_interval(pb['value'], pb['low'], pb['high'], _dec(pb))} sur le bilan de "
        "la collectivité et " + (
            f"{fr_interval(ps['value'], ps['low'], ps['high'], 1)} sur les services (usagers compris)"
            if study.evaluation.baseline_services is not None else
            "rien sur les services numériques, non fournis") +
        f". La somme des actions prises une à une serait {num(sum_parts)} tCO2e/an : l'écart est le "
        "recouvrement entre actions, compté une seule fois dans le scénario combiné (les émissions évitées par "
        "rapport au fil de l'eau, comme la stabilisation du parc, sont à part et comptées dans la trajectoire).",
        f"- En {m}, le bilan serait de **{num(t['plan_2030_tco2e'])} tCO2e** avec le plan, contre "
        f"{num(t['bau_2030_tco2e'])} au fil de l'eau et {num(t['target_2030_tco2e'])} sur la trajectoire cible "
        f"(−{fr_number(t['milestone_reduction_pct'], 0)} % par rapport à {t['reference_year']}).",
        f"- Budget carbone {t['reference_year']}–{t['target_year']} : **{fr_number(t['budget_tco2e'], 0)} tCO2e**. "
        f"Le plan cumule {fr_number(t['plan_cumulative_tco2e'], 0)} tCO2e et {over_txt} ; le fil de l'eau cumulerait "
        f"{fr_number(t['bau_cumulative_tco2e'], 0)} tCO2e.",
        f"- **{verdict_text(t)}**",
        f"- Fil de l'eau : {t['bau_basis_fr']} ({t['bau_scope']}). {factor_path_text(t)} "
        f"{sensitivities_text(t)} Cible : {t['target_basis']}.",
        scope_markdown(t),
        avoided_markdown(study),
    ])


def factor_path_text(t: dict) -> str:
    """One French sentence on how the factors move along the trajectory (``trajectory.factor_path``)."""
    from helpers.report.plotting import fr_number

    fp = t.get("factor_path")
    if not fp:
        return ""
    m = t["milestone_year"]
    return (f"Facteurs d'émission au fil des années : électricité, {fp['electricity']['basis']} (indice "
            f"{fr_number(fp['electricity_index_2030'], 2)} en {m}) ; fabrication des équipements, "
            f"{fp['manufacturing']['basis'].lower()} (hypothèse, indice {fr_number(fp['manufacturing_index_2030'], 2)} "
            f"en {m}).")


def sensitivities_text(t: dict) -> str:
    """The trajectory's sensitivities in French: the inventory's own purchase trend, the national trend, constant
    factors (each with the business as usual and the plan at the milestone)."""
    from helpers.report.plotting import fr_number

    m = t["milestone_year"]
    out = []
    sens = t.get("sensitivities") or {}
    own = sens.get("inventory_trend")
    if own:
        out.append(f"avec la tendance des années d'achat de l'inventaire ({own['basis']}), "
                   f"{fr_number(own['bau_2030_tco2e'], 0)} tCO2e au fil de l'eau et "
                   f"{fr_number(own['plan_2030_tco2e'], 0)} avec le plan en {m}")
    nat = t.get("national_trend_sensitivity")
    if nat:
        out.append(f"avec la tendance nationale ADEME–Arcep appliquée à tout le bilan, "
                   f"{fr_number(nat['bau_2030_tco2e'], 0)} et {fr_number(nat['plan_2030_tco2e'], 0)}")
    flat = sens.get("constant_factors")
    if flat:
        out.append(f"avec des facteurs constants, {fr_number(flat['bau_2030_tco2e'], 0)} et "
                   f"{fr_number(flat['plan_2030_tco2e'], 0)}")
    return ("Sensibilités : " + " ; ".join(out) + ".") if out else ""


def scope_markdown(t: dict) -> str:
    """The milestone per scope (French bullet): the physical scope and the purchases, each against its share of
    the target, with the gap left (``trajectory.by_scope``)."""
    from helpers.report.plotting import fr_number

    by = t.get("by_scope")
    if not by:
        return ""
    m = t["milestone_year"]
    names = {"physical": "périmètre physique (équipements, énergie, hébergement, réseaux, papier)",
             "purchases": "achats de services et logiciels (ratios monétaires)"}
    parts = []
    for key in ("physical", "purchases"):
        d = by[key]
        gap = d["gap_milestone_tco2e"]
        parts.append(f"{names[key]} : {fr_number(d['plan_milestone_tco2e'], 0)} tCO2e avec le plan pour "
                     f"{fr_number(d['target_milestone_tco2e'], 0)} visées, "
                     + (f"écart de {fr_number(gap, 0)} tCO2e" if gap > 0 else "objectif tenu"))
    return f"- Jalon {m} par périmètre (la cible et le budget portent sur le total) — " + " ; ".join(parts) + "."


def _ids(ids) -> str:
    return ", ".join(ids)


def plan_status_markdown(summary: dict) -> str:
    """French bullets on what the plan is: adopted (the collectivity's actions.csv) or proposed (to decide), its
    decision year and where it comes from (a visible request to set ``plan_start_year`` when defaulted), the years
    of business as usual before it, the actions outside the plan, and whose unit prices price it. ``summary`` is
    :meth:`helpers.run.actions_section.ActionsStudy.summary`."""
    plan = summary["plan"]
    meta = summary["actions_meta"]
    y = plan["start_year"]
    n = meta["n_selected_actions"]
    # two bullets at most (the main page's budget of elements): what the plan is and what is outside it; when it
    # starts and what to set
    if plan["status"] == "adopted":
        what = [f"**Plan adopté : {count_text(n, 'action')}** "
                f"{'décidée' if n < 2 else 'décidées'} par la collectivité (fichier actions.csv), "
                f"{'mise' if n < 2 else 'mises'} en œuvre à partir de {y}"]
        if plan["complementary_actions"]:
            what.append(f"**actions complémentaires proposées**, hors plan adopté et hors de ses totaux, par ordre de "
                        f"priorité : {_ids(plan['complementary_actions'])} (gain et coût de chacune dans les annexes)")
        if plan["rejected_actions"]:
            what.append(f"écartées par la collectivité : {_ids(plan['rejected_actions'])}")
    else:
        what = [f"**Plan proposé : {count_text(n, 'action')}**, "
                + ("toutes celles" if n > 1 else "la seule") + " du catalogue qui s'appliquent aux données de la "
                f"collectivité, à partir de {y} ; c'est une proposition à décider : la collectivité choisit ses "
                "actions dans le fichier actions.csv, le diagnostic montre alors le plan adopté"]
    if plan["not_applicable_actions"]:
        what.append(f"sans objet pour les données fournies, donc hors plan : {_ids(plan['not_applicable_actions'])} "
                    "(équipements, fichiers ou services absents ; raison de chacune dans la feuille « Plan "
                    "d'actions » de tables.xlsx)")
    out = ["- " + " ; ".join(what) + "."]
    when = []
    if plan["start_year_source"] == "default":
        when.append(f"**Année de décision à renseigner** : faute de `plan_start_year` dans territory.yaml, le plan "
                    f"commence par défaut en {y}, l'année qui suit l'année de référence {plan['reference_year']}. "
                    "Indiquez l'année où le conseil décide le plan : le calendrier, le budget et la trajectoire "
                    "partiront de cette année.")
    bau = plan["business_as_usual_years"]
    if bau:
        span = f"En {bau[0]}" if len(bau) == 1 else f"De {bau[0]} à {bau[-1]}"
        when.append(f"{span}, avant la décision, les émissions suivent le fil de l'eau.")
    if when:
        out.append("- " + " ".join(when))
    return "\n".join(out)


def budget_table(budget: pd.DataFrame, ttc: bool = False, cumulated: bool = True, staff: bool = True) -> pd.DataFrame:
    """The plan's budget by year in French (€ HT, staff in full-time equivalents), with a total row; ``ttc`` adds
    the investment, operating and net amounts TTC beside their HT, ``cumulated`` the running net (the annex has
    both; the main page gives the TTC total and the cumulated net in its text, which the total row also shows).
    ``budget`` is the ``actions_budget_by_year`` table (:func:`helpers.plan.budget.budget_by_year`)."""
    from helpers.report.plotting import fr_number

    if budget.empty:
        return pd.DataFrame()
    total = budget.sum(numeric_only=True)
    first, last = int(budget["year"].min()), int(budget["year"].max())
    label = [str(int(y)) for y in budget["year"]] + [f"Total {first}–{last}"]

    def col(name):
        return [*budget[name].tolist(), float(total[name])]

    cum = [*budget["net_cumulated_eur"].tolist(), float(budget["net_cumulated_eur"].iat[-1])]
    out = pd.DataFrame({
        "Année": label,
        "Investissement (€ HT)": [round(v, -2) for v in col("investment_eur")],
        "Fonctionnement (€ HT)": [round(v, -2) for v in col("operating_eur")],
        "Économies (€ HT)": [round(v, -2) for v in col("savings_eur")],
        "Net (€ HT)": [round(v, -2) for v in col("net_eur")],
        "Net cumulé (€ HT)": [round(v, -2) for v in cum],
        "Temps d'agent (ETP)": [fr_number(v, 1) for v in col("fte")],
    })
    if not cumulated:
        out = out.drop(columns="Net cumulé (€ HT)")
    if not staff:  # the main page gives the staff days in its text, the annex table by year (DOM budget)
        out = out.drop(columns="Temps d'agent (ETP)")
    if ttc:
        out.insert(6, "Net (€ TTC)", [round(v, -2) for v in col("net_ttc_eur")])
        out.insert(2, "Investissement (€ TTC)", [round(v, -2) for v in col("investment_ttc_eur")])
        out.insert(4, "Fonctionnement (€ TTC)", [round(v, -2) for v in col("operating_ttc_eur")])
    return out


def budget_markdown(summary: dict) -> str:
    """French sentences under the budget table: the totals, how each column is counted, the VAT rate and the
    full-time equivalent, the cost method of the cost per tonne (annuity), and whose unit prices price the
    savings."""
    from helpers.report.plotting import fr_number

    plan = summary["plan"]
    t = plan["budget_totals"]
    if not t.get("years"):
        return ""
    y0, y1 = t["years"]
    net = t["net_eur"]

    def eur(value) -> str:  # euros to the hundred: the prices are orders of magnitude
        return fr_number(round(float(value), -2), 0)

    prices = plan["unit_prices"]
    own = prices["collectivity"]
    price_text = ("prix unitaires de la collectivité pour " + ", ".join(own) + " ; les autres, indicatifs, "
                  "viennent de la bibliothèque du projet" if own else
                  "tous les prix unitaires sont indicatifs (bibliothèque du projet) : la collectivité peut les "
                  "remplacer par les siens dans un fichier unit_prices.csv")
    rate = plan["cost_method"]["discount_rate"]
    return (
        f"De {y0} à {y1}, le plan demande {eur(t['investment_eur'])} € HT d'investissement et "
        f"{eur(t['operating_eur'])} € HT de fonctionnement ; il fait économiser "
        f"{eur(t['savings_eur'])} € HT (achats, électricité, papier et dépenses évités), soit un solde cumulé "
        + (f"de {eur(net)} € HT de dépense nette" if net > 0 else f"de {eur(-net)} € HT d'économie nette")
        + f" ({eur(abs(t['net_ttc_eur']))} € TTC au taux de TVA de {fr_number(100 * plan['vat_rate'], 0)} %)"
        f" et {fr_number(t['staff_days'], 0)} jours d'agent. Ce tableau est un budget de caisse, sans "
        "actualisation : l'investissement est réparti sur les années de mise en place, le fonctionnement compté "
        "en entier dès le début de chaque action, les économies au rythme de la montée en charge, celles du plan "
        "complet (une économie partagée par deux actions n'est comptée qu'une fois). Un ETP vaut "
        f"{fr_number(plan['days_per_fte'], 0)} jours (1 607 heures par an de la fonction publique, journées de "
        "7 heures) ; le temps d'agent compte la mise en place et le temps récurrent (pilotage, mesure annuelle, "
        "formation). Le coût par tonne du classement utilise une autre règle, l'annuité : investissement "
        f"annualisé au taux de {fr_number(100 * rate, 1) if rate is not None else '—'} % sur la durée de "
        f"l'action, plus le coût annuel, moins les économies. Prix : {price_text}."
    )


def cost_per_tonne_markdown(discount_rate: float) -> str:
    """How the cost per tonne is computed (French), with the discount rate of the run: one method, the annuity, in
    the text, in the ``actions_plan`` table and on the cost curve."""
    from helpers.report.plotting import fr_number

    rate = (f"une annuité au taux d'actualisation de {fr_number(100 * discount_rate, 1)} % par an (France "
            "Stratégie, 2021)" if discount_rate else "un amortissement linéaire, sans actualisation (taux 0)")
    return ("Coût annualisé net = investissement ramené à l'année par " + rate + " sur la durée de l'action, plus le "
            "coût annuel, moins les économies (achats, électricité, papier et dépenses évités, recalculés sur les "
            "mêmes données ; prix unitaires indicatifs ou ceux de la collectivité). Coût par tonne = coût annualisé "
            "net ÷ tCO2e réduites par an. Sur la courbe, largeur = gain, hauteur = coût par tonne ; pointillés : "
            "valeur de l'action pour le climat 2030 (250 €/tCO2e, rapport Quinet 2019). Le budget par année, plus "
            "bas, est un budget de caisse, sans actualisation.")


def complementary_table(ranked: pd.DataFrame) -> pd.DataFrame:
    """Applicable actions outside the plan (complementary, or rejected by the collectivity), each measured alone:
    gain with its interval and net cost per tonne (French headers; costs in the ``actions_plan`` table); empty when
    every applicable action is in the plan."""
    from helpers.report.plotting import fr_interval

    df = ranked[~ranked["selected"] & ranked["applicable"]].sort_values(["rank_all", "action_id"])
    decision = {"complementary": "complémentaire", "rejected": "écartée"}
    return pd.DataFrame({
        "Action": [f"{a} {_short(t, 50)} ({decision.get(d, '')})"
                   for a, t, d in zip(df["action_id"], df["title_fr"], df["decision"])],
        "tCO2e réduites par an, seule [fourchette probable]": [
            fr_interval(v, lo, hi, 1) if v else "—"
            for v, lo, hi in zip(df["gain_tco2e"], df["gain_low_tco2e"], df["gain_high_tco2e"])],
        "Coût net (€/tCO2e)": df["cost_eur_per_tco2e"].round(0),
    })


def gantt_data(plan: pd.DataFrame, ranked: pd.DataFrame) -> pd.DataFrame:
    """The data of the roadmap figure: each action of the plan (id, title), its start year and the last year of
    its set-up (French headers); owners, costs and staff are in the table of means."""
    sel = means_order(plan, ranked)
    return pd.DataFrame({"Action": sel["action_id"], "Titre": sel["title_fr"],
                         "Début": sel["start_year"].astype(int).astype(str),
                         "Fin de la mise en place": sel["end_year"].astype(int).astype(str)})


def not_applicable_table(ranked: pd.DataFrame) -> pd.DataFrame:
    """Actions *sans objet* for the territory's inputs and why (French headers)."""
    df = ranked[~ranked["applicable"]].sort_values("action_id")
    return pd.DataFrame({"Action": [f"{a} {_short(t, 60)}" for a, t in zip(df["action_id"], df["title_fr"])],
                         "Pourquoi sans objet": df["applicability_note"]})


def avoided_markdown(study) -> str:
    """French paragraph on the avoided emissions (kind ``avoided``), apart from the reductions, with their
    counterfactual and the national trend as a sensitivity; empty when no avoided action is selected."""
    from helpers.report.plotting import fr_interval, fr_number

    r = study.ranked
    rows = r[r["selected"] & r["kind"].eq("avoided")]
    if rows.empty:
        return ""
    if not rows["gain_high_tco2e"].abs().round(1).any():  # no growth to avoid: said, never a "0,0 [0,0 – 0,0]"
        cf = study.info["counterfactual"]
        return ("- Émissions évitées : " + ", ".join(f"{x.action_id} {x.title_fr}" for x in rows.itertuples())
                + f" n'évite rien ici, le fil de l'eau ne prévoyant aucune croissance du parc ({cf['basis']}).")
    cf = study.info["counterfactual"]
    sens = (f"Sensibilités : avec la tendance des années d'achat de l'inventaire, "
            f"{fr_number(cf.get('inventory_trend_sensitivity_tco2e', 0.0), 0)} tCO2e/an ; avec la tendance nationale "
            f"ADEME–Arcep, {fr_number(cf['national_sensitivity_tco2e'], 0)} tCO2e/an.")
    if cf.get("index_at_milestone", 1.0) <= 1.0:  # a fleet that does not grow leaves nothing to avoid
        ids = ", ".join(rows["action_id"])
        return (f"- Émissions évitées ({ids}, hors classement, hors courbe de coût) : aucune, le fil de l'eau ne "
                f"prévoit pas de croissance du parc ({cf['basis']}). " + sens)
    parts = []
    for x in rows.itertuples(index=False):
        parts.append(f"{x.action_id} {x.title_fr} : {fr_interval(x.gain_tco2e, x.gain_low_tco2e, x.gain_high_tco2e, 1)}"
                     f" tCO2e/an évitées en {cf['milestone_year']} par rapport au fil de l'eau, économie "
                     f"{fr_number(x.money_saved_eur_per_year, 0)} €/an d'équipements non achetés")
    return ("- Émissions évitées (hors classement, hors courbe de coût) — " + " ; ".join(parts)
            + f". Évolution de référence : {cf['basis']}, appliquée aux seules lignes liées au parc "
            f"({fr_number(cf['fleet_driven_baseline_tco2e'], 0)} tCO2e en {study.info['trajectory']['reference_year']})"
            ". " + sens + " Ce ne sont pas des réductions sous le niveau de référence.")


def alt_texts(study) -> dict[str, str]:
    """Alternative texts that state the message of each figure."""
    from helpers.report.plotting import fr_number

    r = study.ranked
    pos = r[(r["gain_tco2e"] > 0) & r["kind"].eq("reduction")].sort_values("gain_tco2e", ascending=False)
    top = pos.iloc[0] if len(pos) else None
    in_plan = pos[pos["selected"] & pos["cost_eur_per_tco2e"].notna()]  # the cost curve shows the plan's actions
    cheap = in_plan[in_plan["cost_eur_per_tco2e"] <= 0]
    costly = in_plan[in_plan["cost_eur_per_tco2e"] > CARBON_VALUE_EUR_PER_TCO2E]
    t = study.info["trajectory"]
    sel = r[r["selected"]]
    first = sel[sel["kind"].eq("reduction")].sort_values("rank").head(3)["action_id"].tolist()
    out = {
        "gains": ("Gain annuel de chaque action mise en œuvre seule : la plus forte est "
                  f"{top['action_id']} ({top['title_fr']}) avec {fr_number(top['gain_tco2e'], 0)} tCO2e par an ; "
                  "les actions sur les services pèsent peu devant celles sur le parc.") if top is not None else
                 "Aucune action n'a de gain calculé.",
        "macc": (f"Courbe de coût d'abattement du plan : {count_text(len(cheap), 'action')} sur {len(in_plan)} "
                 f"{'fait' if len(cheap) < 2 else 'font'} économiser de l'argent "
                 "(coût net négatif) grâce aux achats et à l'énergie évités"
                 + (f" ; {len(costly)} {'coûte' if len(costly) == 1 else 'coûtent'} plus que la valeur de l'action "
                    "pour le climat (250 €/tCO2e)." if len(costly) else ".")),
        "matrix": ("Impact et effort : les actions du plan les mieux classées sont " + ", ".join(first)
                   + " ; les actions d'accompagnement sans gain carbone calculé sont sur la ligne du bas."),
        "gantt": ((f"Feuille de route : {len(sel)} actions dans le plan, la première démarre en "
                   f"{int(sel['start_year'].min())} et la dernière en {int(sel['start_year'].max())}." if len(sel) > 1
                   else f"Feuille de route : une action dans le plan, qui démarre en {int(sel['start_year'].min())}.")
                  if len(sel) else "Aucune action dans le plan."),
        "trajectory": (f"En {t['milestone_year']}, le plan mène à {fr_number(t['plan_2030_tco2e'], 0)} tCO2e contre "
                       f"{fr_number(t['target_2030_tco2e'], 0)} pour la cible et {fr_number(t['bau_2030_tco2e'], 0)} "
                       f"au fil de l'eau ; sur {t['reference_year']}–{t['target_year']}, le plan "
                       + (f"dépasse le budget carbone de {fr_number(t['plan_overshoot_tco2e'], 0)} tCO2e."
                          if t["plan_overshoot_tco2e"] > 0 else
                          f"reste sous le budget carbone avec {fr_number(-t['plan_overshoot_tco2e'], 0)} tCO2e de marge.")),
    }
    follow = study.info.get("follow_up")
    if follow:
        from helpers.report.follow_up import verdict_sentence

        out["trajectory"] += " " + verdict_sentence(follow)
    return out
