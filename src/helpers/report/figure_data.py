"""The data tables of the published figures: small pure functions, study object -> DataFrame.

Every figure of the diagnostic is published with, collapsed under its caption, the table of the numbers it plots
(issue 20: ``plotting.show(fig, alt, caption=..., data=...)``). Each function here takes what the figure function
takes (or the study object it comes from) and returns those numbers, aggregated as the figure shows them, with
French headers and units. Values that the page shows as an interval are written ``"value [low – high]"``; numbers
stay numbers (``plotting.figure_data_html`` writes them the French way).

The tables are short by design (DOM budget of the pages, ``publish.MAX_MAIN_DOM_ELEMENTS``): the rows are in the
order a reader looks for (largest first) and ``show`` cuts them at ``max_rows`` with a sentence naming the sheet of
``tables.xlsx`` that holds them all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.report.plotting import fr_interval

#: name of the workbook every full table is in
WORKBOOK = "tables.xlsx"


def in_sheet(sheet: str) -> str:
    """French phrase naming where a full table is: ``toutes dans la feuille « X » de tables.xlsx``."""
    return f"toutes dans la feuille « {sheet} » de {WORKBOOK}"


def _interval(value, low, high, decimals: int) -> str:
    if low is None or high is None or not (np.isfinite(low) and np.isfinite(high)):
        return fr_interval(value, value, value, decimals).split(" [")[0]
    return fr_interval(value, low, high, decimals)


def _decimals(value: float) -> int:
    v = abs(float(value))
    return 0 if v >= 100 else 1 if v >= 10 else 2 if v >= 0.1 else 3


def fleet(overview: pd.DataFrame) -> pd.DataFrame:
    """Devices per category (all entities together), largest first, from ``ingest.fleet_overview`` (the figure
    stacks the same totals by entity)."""
    return pd.DataFrame({"Catégorie": overview["Catégorie"].to_numpy(),
                         "Nombre d'équipements": overview["Total"].astype(int).to_numpy()})


def breakdown(df: pd.DataFrame, label: str) -> pd.DataFrame:
    """A balance breakdown as ``report.carbon.breakdown_figure`` draws it (largest first): label, tCO2e per year with its
    probable range, share of the balance (%)."""
    d = df.sort_values("value", ascending=False)
    return pd.DataFrame({
        label: d["label"].to_numpy(),
        "tCO2e par an [fourchette probable]": [_interval(v, lo, hi, 1 if v < 100 else 0)
                                               for v, lo, hi in zip(d["value"], d["low"], d["high"], strict=True)],
        "Part (%)": (100 * d["share"]).round(1).to_numpy(),
    })


def service_tiers(table: pd.DataFrame) -> pd.DataFrame:
    """Share (%) of terminals, networks and data centres in each service's footprint per functional unit
    (``report.services.tier_figure``)."""
    from helpers.io.vocab import SERVICE_TIER_LABELS_FR as TIER_LABELS_FR
    from helpers.io.vocab import SERVICE_TIERS as TIERS

    out = pd.DataFrame({"Service": table["name"].to_numpy()})
    for tier in TIERS:
        out[f"{TIER_LABELS_FR[tier]} (%)"] = (100 * table[f"{tier}_share"].fillna(0)).round(0).astype(int).to_numpy()
    return out


def services_per_unit(table: pd.DataFrame) -> pd.DataFrame:
    """gCO2e per functional unit of each service with its probable range (``report.services.per_unit_figure``),
    largest first, its tCO2e per year (``report.services.annual_figure``, kept for analysts) and the EcoIndex grade
    the collectivity declared, if any."""
    t = table.sort_values("gco2e_per_unit", ascending=False)
    out = pd.DataFrame({
        "Service": t["name"].to_numpy(), "Unité fonctionnelle": t["functional_unit"].to_numpy(),
        "gCO2e par unité [fourchette probable]": [_interval(v, lo, hi, _decimals(v)) for v, lo, hi in
                                                  zip(t["gco2e_per_unit"], t["gco2e_low"], t["gco2e_high"], strict=True)],
        "tCO2e par an [fourchette probable]": [_interval(v, lo, hi, _decimals(v)) for v, lo, hi in
                                               zip(t["annual_tco2e"], t["annual_tco2e_low"], t["annual_tco2e_high"],
                                                   strict=True)],
    })
    if "ecoindex_grade" in t and t["ecoindex_grade"].notna().any():  # as the user entered it, never computed
        out["EcoIndex déclaré"] = t["ecoindex_grade"].fillna("–").to_numpy()
    return out


def services_annual(table: pd.DataFrame) -> pd.DataFrame:
    """tCO2e per year of each service with its probable range (``report.services.annual_figure``), largest
    first."""
    t = table.sort_values("annual_tco2e", ascending=False)
    return pd.DataFrame({
        "Service": t["name"].to_numpy(),
        "tCO2e par an [fourchette probable]": [_interval(v, lo, hi, _decimals(v)) for v, lo, hi in
                                               zip(t["annual_tco2e"], t["annual_tco2e_low"], t["annual_tco2e_high"],
                                                   strict=True)],
    })


def service_swd(swd: pd.DataFrame) -> pd.DataFrame:
    """gCO2e per visit of each web service by the bottom-up model and the two SWD v4 variants
    (``report.services.swd_figure``)."""
    return pd.DataFrame({"Service": swd["name"].to_numpy(),
                         "Modèle ascendant (g)": swd["bottom_up_g"].round(2).to_numpy(),
                         "SWD v4, électricité française (g)": swd["swd_fr_g"].round(2).to_numpy(),
                         "SWD v4, 494 g/kWh (g)": swd["swd_global_g"].round(2).to_numpy()})


def service_scenarios(scen: pd.DataFrame) -> pd.DataFrame:
    """tCO2e avoided per year by each scenario, all services together, and its share of the services' footprint
    (``report.services.scenario_figure``), largest first."""
    tot = scen.groupby(["scenario", "label_fr"], sort=False)[["baseline_tco2e", "scenario_tco2e"]].sum().reset_index()
    base = float(tot["baseline_tco2e"].iat[0]) if len(tot) else 0.0
    avoided = tot["baseline_tco2e"] - tot["scenario_tco2e"]
    out = pd.DataFrame({"Scénario": tot["label_fr"].to_numpy(), "tCO2e évitées par an": avoided.round(2).to_numpy(),
                        "Part des services (%)": (100 * avoided / base).round(1).to_numpy() if base > 0
                        else np.full(len(tot), np.nan)})
    return out.sort_values("tCO2e évitées par an", ascending=False, kind="stable").reset_index(drop=True)


def service_sensitivity(sens: pd.DataFrame, table: pd.DataFrame, top: int = 2) -> pd.DataFrame:
    """Per service, the ``top`` parameters that move its gCO2e per unit most: the result at their low and high
    bound (``report.services.tornado_figure``)."""
    names = dict(zip(table["service_id"], table["name"], strict=True))
    rows = []
    for sid in table["service_id"]:
        d = sens[sens["service_id"] == sid].sort_values("swing_g", ascending=False).head(top)
        for r in d.itertuples(index=False):
            rows.append({"Service": names[sid], "Paramètre": r.label_fr,
                         "gCO2e par unité, borne basse": round(float(min(r.g_at_low, r.g_at_high)), 3),
                         "borne haute": round(float(max(r.g_at_low, r.g_at_high)), 3)})
    return pd.DataFrame(rows, columns=["Service", "Paramètre", "gCO2e par unité, borne basse", "borne haute"])


def criteria_phases(shares: pd.DataFrame) -> pd.DataFrame:
    """Share (%) of each life-cycle phase in each indicator's total (``report.carbon.criteria_phase_figure``)."""
    from helpers.model.carbon import PHASES
    from helpers.report.carbon_labels import PHASE_LABELS

    out = pd.DataFrame({"Indicateur": shares["label_fr"].to_numpy()})
    for phase in PHASES:
        if phase in shares:
            out[f"{PHASE_LABELS[phase]} (%)"] = (100 * shares[phase].fillna(0)).round(0).astype(int).to_numpy()
    return out


def benchmark(comparison: pd.DataFrame) -> pd.DataFrame:
    """The per-person references and this balance on the same unit (``report.carbon.benchmark_figure``)."""
    d = comparison[comparison["unit"].str.startswith("kgco2e")]
    return pd.DataFrame({
        "Référence": d["reference"].to_numpy(),
        "Valeur publiée (kgCO2e par an)": d["reference_value"].round(0).to_numpy(),
        "Ce bilan (kgCO2e par an) [fourchette probable]": [_interval(v, lo, hi, 0) for v, lo, hi in
                                                           zip(d["our_value"], d["our_low"], d["our_high"], strict=True)],
    })


def trajectory_budget(table: pd.DataFrame, budget: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Both panels of ``report.actions.trajectory_figure`` by scenario (no plan, plan, target): emissions in each of
    ``years`` (the figure draws every year, all in the sheet « Trajectoire »), cumulative emissions over the period
    with their probable range (the target's is the carbon budget) and the year the budget is used up."""
    from helpers.report.plotting import fr_number

    names = {"bau": "Fil de l'eau (sans plan)", "plan": "Plan d'actions", "target": "Trajectoire cible"}
    columns = {"bau": "bau_tco2e", "plan": "plan_tco2e", "target": "target_tco2e"}
    t = table.set_index("year")
    ys = [y for y in dict.fromkeys(int(y) for y in years) if y in t.index]
    b = budget.set_index("scenario")
    span = f"{int(t.index.min())}–{int(t.index.max())}"
    rows = []
    for key, name in names.items():
        row = {"Scénario": name}
        for y in ys:
            row[f"{y} (tCO2e par an)"] = round(float(t.at[y, columns[key]]), 0)
        if key in b.index:
            r = b.loc[key]
            lo, hi = r.get("cumulative_low_tco2e"), r.get("cumulative_high_tco2e")
            row[f"Cumul {span} (tCO2e) [fourchette probable]"] = (
                fr_number(r["cumulative_tco2e"], 0) if lo is None or pd.isna(lo)
                else fr_interval(r["cumulative_tco2e"], lo, hi, 0))
            year = r.get("budget_exhausted_year")
            row["Budget épuisé en"] = "—" if year is None or pd.isna(year) else str(int(year))
        rows.append(row)
    return pd.DataFrame(rows)


def sensitivity(sens: pd.DataFrame) -> pd.DataFrame:
    """The bars of ``report.carbon.tornado_figure``, widest first: the balance when one input is at its low or high value,
    the others central, and that input's share of the uncertainty of the balance (%)."""
    d = sens.sort_values("swing", ascending=False)
    return pd.DataFrame({
        "Entrée": d["label_fr"].to_numpy(),
        "Bilan, entrée basse – haute (tCO2e par an)": [f"{fr_number_0(lo)} – {fr_number_0(hi)}"
                                                        for lo, hi in zip(d["low_total"], d["high_total"], strict=True)],
        "Part de l'incertitude du bilan (%)": (100 * d["contribution_to_variance"]).round(1).to_numpy(),
    })


def fr_number_0(value) -> str:
    """A whole number the French way."""
    from helpers.report.plotting import fr_number

    return fr_number(value, 0)


def _action(ids, titles, n: int = 48) -> list[str]:
    out = []
    for a, t in zip(ids, titles, strict=True):
        t = str(t)
        out.append(f"{a} {t if len(t) <= n else t[: n - 1].rstrip() + '…'}")
    return out


def macc(ranked: pd.DataFrame) -> pd.DataFrame:
    """The bars of the cost curve (``report.actions.macc_figure``: the plan's reductions with a gain and a cost),
    largest reduction first: tCO2e reduced per year (width) and net cost per tCO2e (height)."""
    df = ranked[(ranked["gain_tco2e"] > 0) & ranked["cost_eur_per_tco2e"].notna() & ranked["kind"].eq("reduction")
                & ranked["selected"]]
    df = df.sort_values(["gain_tco2e", "action_id"], ascending=[False, True])
    return pd.DataFrame({"Action": _action(df["action_id"], df["title_fr"]),
                         "tCO2e réduites par an": df["gain_tco2e"].round(1).to_numpy(),
                         "Coût net (€ par tCO2e)": df["cost_eur_per_tco2e"].round(0).to_numpy()})


def impact_effort(ranked: pd.DataFrame) -> pd.DataFrame:
    """The points of the impact / effort chart (``report.actions.matrix_figure``), largest reduction first: effort (1 to
    3), tCO2e reduced per year, in the plan or not (the actions that apply to the territory)."""
    df = ranked[ranked["applicable"]] if "applicable" in ranked else ranked
    df = df.sort_values(["gain_tco2e", "action_id"], ascending=[False, True])
    return pd.DataFrame({"Action": _action(df["action_id"], df["title_fr"], 40),
                         "Effort (1 à 3)": df["effort"].astype(int).to_numpy(),
                         "tCO2e réduites par an": df["gain_tco2e"].round(1).to_numpy(),
                         "Dans le plan": df["selected"].astype(bool).map({True: "oui", False: "non"}).to_numpy()})


def maturity_axes(a) -> pd.DataFrame:
    """Score (%) of the studied collectivity on each axis, and the median of the sourced peers when there are any
    (``maturity.radar_figure``); ``n.d.`` for an axis without a scored answer."""
    from helpers.model.maturity import GLOBAL

    ab = a.axis_benchmark[a.axis_benchmark["axis"] != GLOBAL]
    labels = a.axes.set_index("axis_id")["label_fr"]
    out = pd.DataFrame({"Axe": [labels.get(x, x) for x in ab["axis"]],
                        "Score (%)": ab["subject_pct"].round(0).to_numpy()})
    if (ab["n_peers"] > 0).any():
        out["Médiane des autres collectivités (%)"] = ab["peers_median_pct"].round(0).to_numpy()
    return out


def maturity_matrix(a) -> pd.DataFrame:
    """Overall score (%) of each collectivity of the heat map (``maturity.heatmap_figure``), best first, with its
    weakest axis; the full collectivities x axes matrix is in the sheet « Maturité matrice »."""
    from helpers.model.maturity import GLOBAL

    labels = a.axes.set_index("axis_id")["label_fr"].to_dict()
    m = a.matrix
    axes = [c for c in m.columns if c != GLOBAL]
    weakest = [labels.get(m.loc[i, axes].astype(float).idxmin(), "") if m.loc[i, axes].notna().any() else "n.d."
               for i in m.index]
    out = pd.DataFrame({"Collectivité": [a.names.get(c, c) + (" (étudiée)" if c == a.subject else "") for c in m.index],
                        "Ensemble (%)": m[GLOBAL].astype(float).round(0).to_numpy() if GLOBAL in m
                        else np.full(len(m), np.nan),
                        "Axe le plus faible": weakest})
    return out.sort_values("Ensemble (%)", ascending=False, kind="stable").reset_index(drop=True)
