"""The services' life-cycle assessment in French for the published diagnostic: display tables, figures and their
alternative texts.

The model (``helpers.model.services``, ``helpers.model.rgesn``) holds numbers and codes only; this module holds their
French names (types of service, scenarios, sensitivity parameters, ADEME references, RGESN answers), puts them in
the tables the section publishes (:func:`labelled_scenarios`, :func:`labelled_sensitivity`,
:func:`labelled_references`) and turns a :class:`helpers.model.services.ServicesStudy` into what notebook
``03_services_lca`` shows. Nothing here is written to ``data/processed/`` or ``summary.json``: the section's outputs
are written by ``helpers.run.services_section``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.io.rgesn_inputs import FAMILIES, OVERALL
from helpers.io.vocab import SERVICE_TIER_LABELS_FR as TIER_LABELS_FR
from helpers.model.services import MB_PER_GB, TIERS, ServicesStudy

#: the types of service (``services.csv`` column ``type``)
TYPE_LABELS_FR: dict[str, str] = {
    "website": "Site web", "portal": "Portail de démarches", "visio": "Visioconférence", "email": "Messagerie",
    "storage": "Stockage de fichiers", "streaming": "Diffusion vidéo", "other": "Autre service",
}
#: the services' scenarios (``helpers.model.services.SCENARIOS``), column ``label_fr`` of ``services_scenarios``
SCENARIO_LABELS_FR: dict[str, str] = {
    "visio_audio_only": "Visio : une part des heures en audio seul (caméra coupée)",
    "page_weight": "Pages web allégées",
    "lazy_loading": "Chargement différé des contenus (lazy loading)",
    "video_quality": "Qualité vidéo réduite",
    "storage_purge": "Purge du stockage",
    "mobile_to_wifi": "Bascule du réseau mobile vers le Wi-Fi",
}
#: the parameters of the sensitivity analysis (``helpers.model.services.SENSITIVITY_PARAMETERS``)
SENSITIVITY_LABELS_FR: dict[str, str] = {
    "terminal_embodied": "Fabrication des terminaux",
    "lifetime": "Durée de vie des terminaux",
    "device_hours": "Temps d'usage par unité",
    "device_power": "Puissance des terminaux",
    "data_gb": "Données transférées par unité",
    "mobile_share": "Part d'usage sur smartphone",
    "mobile_network_share": "Part du réseau mobile",
    "elec_user": "Facteur d'émission de l'électricité (usagers)",
    "network": "Facteurs d'émission des réseaux",
    "pue": "PUE de l'hébergement",
    "server_hours": "Sollicitation des serveurs",
    "storage": "Stockage par unité (copies, capacité des baies)",
    "dc_embodied": "Fabrication des serveurs et du stockage",
    "elec_dc": "Facteur d'émission de l'électricité (hébergement)",
}
#: ADEME's published usage figures (``helpers.model.services.ADEME_REFERENCES``)
REFERENCE_LABELS_FR: dict[str, str] = {
    "visio": "1 h de visioconférence (2 appareils, SD, ordinateur portable, réseau fixe FR)",
    "email": "1 courriel de 1 Mo à 1 destinataire",
    "streaming": "1 h de vidéo en streaming (HD)",
}
#: the answers of the RGESN self-assessment
ANSWER_LABELS_FR = {"conforme": "Conforme", "non_conforme": "Non conforme", "non_applicable": "Non applicable",
                    "non_evalue": "Non évalué"}


def labelled_scenarios(table: pd.DataFrame) -> pd.DataFrame:
    """The scenario table (``helpers.model.services.scenario_table``) with each scenario's French name in
    ``label_fr``, after ``scenario`` (the published ``services_scenarios`` table)."""
    out = table.copy()
    out.insert(1, "label_fr", out["scenario"].map(SCENARIO_LABELS_FR))
    return out


def labelled_sensitivity(table: pd.DataFrame) -> pd.DataFrame:
    """The sensitivity table (``helpers.model.services.sensitivity``) with each parameter's French name in
    ``label_fr``, after ``parameter`` (the published ``services_sensitivity`` table)."""
    out = table.copy()
    out.insert(2, "label_fr", out["parameter"].map(SENSITIVITY_LABELS_FR))
    return out


def labelled_references(table: pd.DataFrame) -> pd.DataFrame:
    """The reference checks (``helpers.model.services.reference_checks``) with each reference named in French in
    ``reference`` (the published ``services_references`` table)."""
    return table.assign(reference=table["reference"].map(REFERENCE_LABELS_FR))


def display_references(ref: pd.DataFrame) -> pd.DataFrame:
    from helpers.report.plotting import fr_number

    if ref is None or ref.empty:
        return pd.DataFrame({"Référence ADEME (impactco2)": []})
    return pd.DataFrame({
        "Référence ADEME (impactco2)": ref["reference"],
        "Publié (gCO2e)": [fr_number(v, 2 if v < 10 else 1) for v in ref["ademe_g"]],
        "Modèle, paramètres ADEME (gCO2e)": [fr_number(v, 2 if v < 10 else 1) for v in ref["model_ademe_vintage_g"]],
        "Écart": [f"{v:+.1f} %".replace(".", ",") for v in ref["difference_pct"]],
        "Modèle, facteurs de ce diagnostic (gCO2e)": [fr_number(v, 2 if v < 10 else 1) for v in ref["model_library_g"]],
        "Écart ": [f"{v:+.0f} %" for v in ref["library_difference_pct"]],
    })


def display_inputs(study: ServicesStudy) -> pd.DataFrame:
    """The services as described, with their hosting, PUE and the figures that took a default."""
    from helpers.report.plotting import fr_number

    if not study.available:
        return pd.DataFrame({"Service": []})
    r = study.inputs.resolved
    h = study.inputs.hosting
    unit_fr = {"visits": "visites", "transactions": "démarches", "participant_hours": "heures × participants",
               "hours": "heures de visionnage", "messages": "courriels", "tb_years": "To stockés (année)",
               "gb_years": "Go stockés (année)", "units": "unités"}
    return pd.DataFrame({
        "Service": r["name"], "Type": r["type"].map(TYPE_LABELS_FR),
        "Volume annuel": [f"{fr_number(v)} {unit_fr.get(u, u)}" for v, u in zip(r["annual_volume"], r["volume_unit"])],
        "Données par unité": [f"{fr_number(v * MB_PER_GB, 1)} Mo" for v in r["data_gb_per_unit"]],
        "Hébergement": h["hosting"].to_numpy(),
        "PUE": [f"{p:.2f}".replace(".", ",") + (" (mesuré)" if o == "site" else "") for p, o in
                zip(h["pue"], h["pue_origin"])],
        "Valeurs par défaut utilisées": r["defaults_used"].str.replace(";", ", ").replace("", "aucune"),
    })


def display_criteria(study: ServicesStudy) -> pd.DataFrame:
    """Annual impacts on every criterion, all services together, with the completeness flag."""
    from helpers.report.plotting import fr_interval

    labels = {"climate_change": "Changement climatique", "adp_minerals": "Épuisement des ressources (minéraux, métaux)",
              "adp_fossil": "Épuisement des ressources fossiles", "ionising_radiation": "Radiations ionisantes",
              "particulate_matter": "Particules fines", "acidification": "Acidification", "water": "Eau",
              "final_energy": "Énergie finale"}
    if not study.available:
        return pd.DataFrame({"Indicateur": []})
    c = study.criteria
    rows = []
    for crit, g in c.groupby("criterion", sort=False):
        draws = study.result.draws[crit]["total"] * study.inputs.resolved["units_per_year"].to_numpy(float)[:, None]
        tot = draws.sum(axis=0)
        value = float(g["per_year"].sum())
        lo, hi = np.percentile(tot, [2.5, 97.5])
        scale = 10 ** np.floor(np.log10(abs(value))) if value > 0 else 1.0
        digits = int(max(0, 2 - np.log10(scale))) if value > 0 else 0
        missing = sorted({i for s in g["missing_items"] for i in s.split(", ") if i})
        rows.append({"Indicateur": labels.get(crit, crit), "Unité (par an)": g["unit"].iat[0],
                     "Tous services [fourchette probable]": fr_interval(value, lo, hi, min(digits, 6)),
                     "Complet": "oui" if not missing else "partiel : sans " + ", ".join(missing)})
    return pd.DataFrame(rows)


def display_sensitivity(study: ServicesStudy, top: int = 3) -> pd.DataFrame:
    """The ``top`` parameters of each service by Sobol total index."""
    from helpers.report.plotting import fr_number

    if not study.available or study.sensitivity.empty:
        return pd.DataFrame({"Service": []})
    s = study.sensitivity.groupby("service_id", sort=False).head(top)
    return pd.DataFrame({
        "Service": s["service_id"].map(study.names), "Paramètre": s["label_fr"],
        "Indice de Sobol total": [f"{v:.2f}".replace(".", ",") for v in s["st"]],
        "gCO2e par unité (bas → haut)": [f"{fr_number(a, 2)} → {fr_number(b, 2)}" for a, b in
                                          zip(s["g_at_low"], s["g_at_high"])],
    })


def not_provided_markdown() -> str:
    """The services part when ``services.csv`` is absent or holds its header only (issue 33): one sentence, no
    heading left empty."""
    return ("Services numériques clés : **non fournis** (fichier des services absent ou vide). Leur empreinte n'est "
            "pas estimée ; les actions du plan sur les services sont sans objet. Le fichier se décrit service par "
            "service (site web, démarches en ligne, visioconférence, messagerie, stockage…) : voir le modèle écrit "
            "par « make new-territory ».")


def alt_texts(study: ServicesStudy) -> dict[str, str]:
    """The message of each figure, in French, computed from the results (used as alternative text)."""
    from helpers.report.plotting import fr_number

    if not study.available:
        empty = "Aucun service numérique n'a été décrit pour ce territoire."
        return dict.fromkeys(("per_unit", "annual", "tiers", "swd", "tornado", "scenarios", "rgesn"), empty)
    t = study.table
    top_unit = t.loc[t["gco2e_per_unit"].idxmax()]
    low_unit = t.loc[t["gco2e_per_unit"].idxmin()]
    top_year = t.loc[t["annual_tco2e"].idxmax()]
    term = t.loc[t["terminals_share"].idxmax()]
    out = {
        "per_unit": f"Par unité fonctionnelle, « {top_unit['name']} » est le plus élevé "
                    f"({fr_number(top_unit['gco2e_per_unit'], 1)} gCO2e par {top_unit['functional_unit']}) et "
                    f"« {low_unit['name']} » le plus faible ({fr_number(low_unit['gco2e_per_unit'], 2)} gCO2e par "
                    f"{low_unit['functional_unit']}).",
        "annual": f"Sur une année, « {top_year['name']} » pèse le plus : {fr_number(top_year['annual_tco2e'], 1)} "
                  f"tCO2e sur {fr_number(t['annual_tco2e'].sum(), 1)} tCO2e pour l'ensemble des services étudiés.",
        "tiers": f"Les terminaux des usagers dominent l'empreinte de la plupart des services (jusqu'à "
                 f"{term['terminals_share'] * 100:.0f} % pour « {term['name']} »).",
    }
    if not study.swd.empty:
        s = study.swd.iloc[0]
        out["swd"] = (f"Pour « {s['name']} », le modèle SWD v4 donne {fr_number(s['swd_fr_g'], 2)} g par visite avec "
                      f"l'électricité française et {fr_number(s['swd_global_g'], 2)} g avec l'intensité mondiale, "
                      f"contre {fr_number(s['bottom_up_g'], 2)} g pour le modèle ascendant.")
    else:
        out["swd"] = "Aucun site web n'est décrit : pas de comparaison avec le modèle SWD."
    if not study.sensitivity.empty:
        first = study.sensitivity.sort_values("st", ascending=False).groupby("service_id").head(1)
        common = first["label_fr"].value_counts().index[0]
        out["tornado"] = (f"Le paramètre le plus influent est le plus souvent « {common} » "
                          f"({(first['label_fr'] == common).sum()} services sur {len(first)}).")
    else:
        out["tornado"] = "Aucun paramètre ne fait varier les résultats."
    tot = study.scenarios.groupby("label_fr", sort=False)[["baseline_tco2e", "scenario_tco2e"]].sum()
    gain = (tot["baseline_tco2e"] - tot["scenario_tco2e"])
    best = gain.idxmax()
    out["scenarios"] = (f"Le scénario le plus efficace est « {best} » : −{fr_number(gain.max(), 2)} tCO2e par an "
                        f"({gain.max() / tot['baseline_tco2e'].iat[0] * 100:.0f} % de l'empreinte des services).")
    if study.rgesn_provided:
        ov = study.rgesn_scores[study.rgesn_scores["family"] == OVERALL]
        out["rgesn"] = "Taux de conformité RGESN : " + " ; ".join(
            f"« {study.names.get(s, s)} » {v:.0f} % ({a:.0f} % du référentiel évalué)"
            for s, v, a in zip(ov["service_id"], ov["score_pct"], ov["answered_pct"])) + "."
    else:
        out["rgesn"] = "Aucune auto-évaluation RGESN n'a été fournie."
    return out


# ----------------------------------------------------------------------------------------------------------------
# Figures (French labels; colour never the only carrier of information)
# ----------------------------------------------------------------------------------------------------------------


def _fmt(v: float, unit: str = "") -> str:
    from helpers.report.plotting import fr_number

    decimals = 0 if abs(v) >= 100 else 1 if abs(v) >= 10 else 2 if abs(v) >= 0.1 else 3
    return fr_number(v, decimals, unit)


def per_unit_figure(table: pd.DataFrame):
    """gCO2e per functional unit of each service (seaborn dot plot, log scale: units differ by orders of magnitude):
    the central value as a dot, its 95 % interval as a line, the value written beside it, and the service with its
    functional unit written above, across the figure, so the names read in full on a phone. A dot, not a bar: on a
    log scale a bar's length depends on where the axis starts."""
    import seaborn as sns
    from matplotlib.ticker import NullFormatter

    from helpers.report.plotting import PALETTE, setup
    from helpers.report.report_theme import INK, value_grid

    plt = setup()
    t = table.sort_values("gco2e_per_unit", ascending=False, kind="stable").reset_index(drop=True)
    step = 1.6  # per service: its name, then its dot
    y = np.arange(len(t)) * step + 0.95
    fig, ax = plt.subplots(figsize=(4.4, 0.62 * len(t) + 1.2))
    ax.set_xscale("log")
    ax.hlines(y, t["gco2e_low"], t["gco2e_high"], color=PALETTE[0], linewidth=2.2)
    sns.scatterplot(x=t["gco2e_per_unit"].to_numpy(), y=y, color=PALETTE[0], s=50, edgecolor="white", linewidth=0.6,
                    zorder=3, ax=ax)
    for yi, r in zip(y, t.itertuples(index=False), strict=True):
        ax.text(0, yi - 0.5, _wrap_label(f"{r.name} ({r.functional_unit})", 52), transform=ax.get_yaxis_transform(),
                ha="left", va="bottom", fontsize=9, color=INK, zorder=4,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0})
        ax.text(r.gco2e_high * 1.12, yi, _fmt(r.gco2e_per_unit, "g"), va="center", fontsize=9)
    values = t[["gco2e_low", "gco2e_per_unit", "gco2e_high"]].to_numpy(dtype=float)
    positive = values[np.isfinite(values) & (values > 0)]
    if positive.size:
        ax.set_xlim(positive.min() / 2, positive.max() * 6)
    ax.xaxis.set_minor_formatter(NullFormatter())  # powers of ten only
    ax.set_ylim(len(t) * step - 0.3, -0.5)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    value_grid(ax, "x")
    ax.set_xlabel("gCO2e par unité fonctionnelle (échelle logarithmique ; trait : intervalle à 95 %)")
    fig.tight_layout()
    return fig


def _wrap_label(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def annual_figure(table: pd.DataFrame):
    """tCO2e per year of each service (seaborn bars, the largest first, one colour) with the 95 % interval of the
    Monte Carlo draws as a dark line and the value written at its end."""
    import seaborn as sns

    from helpers.report.plotting import PALETTE, setup
    from helpers.report.report_theme import INK, bar_height_in, value_grid, wrap_labels

    plt = setup()
    t = table.sort_values("annual_tco2e", ascending=False, kind="stable").reset_index(drop=True)
    labels, lines = wrap_labels(t["name"])
    fig, ax = plt.subplots(figsize=(4.4, bar_height_in(lines) * len(t) + 1.2))
    y = np.arange(len(t))  # one bar per service, even when two share a name (categories by position)
    sns.barplot(x=t["annual_tco2e"].to_numpy(), y=y, order=list(y), orient="h", color=PALETTE[1], saturation=1.0,
                errorbar=None, width=0.7, ax=ax)
    ax.set_yticks(y, labels)
    err = np.vstack([t["annual_tco2e"] - t["annual_tco2e_low"], t["annual_tco2e_high"] - t["annual_tco2e"]])
    ax.errorbar(t["annual_tco2e"], y, xerr=err.clip(min=0), fmt="none", ecolor=INK, capsize=3, linewidth=1.1)
    top = float(t["annual_tco2e_high"].max()) if len(t) else 1.0
    for yi, v, hi in zip(y, t["annual_tco2e"], t["annual_tco2e_high"], strict=True):
        ax.text(hi + 0.025 * top, yi, _fmt(v, "t"), fontsize=9, va="center")
    ax.tick_params(axis="y", labelsize=9, length=0)
    ax.set_xlabel("tCO2e par an (trait : intervalle à 95 %)")
    ax.set_xlim(0, (top or 1.0) * 1.3)
    ax.set_ylim(len(t) - 0.5, -0.5)  # the error bars would otherwise widen the margins
    value_grid(ax, "x")
    fig.tight_layout()
    return fig


def tier_figure(table: pd.DataFrame):
    """Share of terminals, networks and data centres in each service's footprint (100 % stacked bars)."""
    from helpers.report.plotting import PALETTE, setup

    plt = setup()
    t = table.iloc[::-1]
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(t) + 1.5))
    left = np.zeros(len(t))
    for i, tier in enumerate(TIERS):
        v = t[f"{tier}_share"].fillna(0).to_numpy() * 100
        ax.barh(t["name"], v, left=left, color=PALETTE[i], edgecolor="white",
                label=TIER_LABELS_FR[tier])
        for yi, (l0, w) in enumerate(zip(left, v)):
            if w >= 8:
                ax.text(l0 + w / 2, yi, f"{w:.0f} %", ha="center", va="center", fontsize=8,
                        bbox={"facecolor": "white", "alpha": 0.7, "pad": 1, "linewidth": 0})
        left = left + v
    ax.set_xlim(0, 100)
    ax.set_xlabel("Part de l'empreinte carbone par unité fonctionnelle (%)")
    ax.legend(ncol=3, frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    ax.tick_params(axis="y", labelsize=8)
    fig.tight_layout()
    return fig


def swd_figure(swd: pd.DataFrame):
    """Bottom-up estimate beside the two SWD v4 variants, per functional unit, for the web services."""
    from helpers.report.plotting import PALETTE, setup

    plt = setup()
    fig, ax = plt.subplots(figsize=(7.5, 0.9 * len(swd) + 1.4))
    y = np.arange(len(swd))
    h = 0.26
    series = [("bottom_up_g", "Modèle ascendant (ce diagnostic)"), ("swd_fr_g", "SWD v4, électricité française"),
              ("swd_global_g", "SWD v4, intensité mondiale 494 g/kWh")]
    for i, (col, label) in enumerate(series):
        ax.barh(y + (1 - i) * h, swd[col], height=h, color=PALETTE[i], edgecolor="white",
                label=label)
        for yi, v in zip(y + (1 - i) * h, swd[col]):
            ax.text(v, yi, " " + _fmt(v, "g"), va="center", fontsize=8)
    ax.set_yticks(y, swd["name"], fontsize=8)
    ax.set_xlabel("gCO2e par unité fonctionnelle")
    ax.set_xlim(0, swd[[c for c, _ in series]].to_numpy().max() * 1.3)
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=1)
    fig.tight_layout()
    return fig


def tornado_figure(sens: pd.DataFrame, table: pd.DataFrame, top: int = 6):
    """One tornado per service: gCO2e per unit when each parameter is at its low and high bound."""
    from helpers.report.plotting import PALETTE, setup

    plt = setup()
    ids = list(table["service_id"])
    n = len(ids)
    ncols = 2 if n > 1 else 1
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(7.5, 2.3 * nrows + 0.6), squeeze=False)
    names = dict(zip(table["service_id"], table["name"]))
    for k, sid in enumerate(ids):
        ax = axes[k // ncols][k % ncols]
        d = sens[sens["service_id"] == sid].sort_values("swing_g", ascending=False).head(top).iloc[::-1]
        if d.empty:
            ax.axis("off")
            continue
        base = d["base_g"].iat[0]
        lo = np.minimum(d["g_at_low"], d["g_at_high"]).to_numpy()
        hi = np.maximum(d["g_at_low"], d["g_at_high"]).to_numpy()
        ax.barh(d["label_fr"], hi - base, left=base, color=PALETTE[5], edgecolor="white", label="hausse")
        ax.barh(d["label_fr"], lo - base, left=base, color=PALETTE[0], edgecolor="white", label="baisse")
        ax.axvline(base, color="black", linewidth=0.8)
        ax.set_title(str(names[sid])[:45], fontsize=9)
        ax.tick_params(axis="y", labelsize=7)
        ax.tick_params(axis="x", labelsize=7)
        ax.set_xlabel("gCO2e par unité", fontsize=7)
    for k in range(n, nrows * ncols):
        axes[k // ncols][k % ncols].axis("off")
    fig.suptitle("gCO2e par unité quand chaque paramètre est à sa borne basse puis haute\n"
                 "trait : valeur centrale ; à gauche (bleu) : baisse du résultat ;\nà droite (rouge) : hausse",
                 fontsize=9)
    fig.tight_layout()
    return fig


def scenario_figure(scen: pd.DataFrame):
    """tCO2e avoided per year by each scenario, all services together (central values): seaborn bars, the most
    effective first, each with its tonnes and its share of the services' current footprint written at its end."""
    import seaborn as sns

    from helpers.report.plotting import PALETTE, fr_number, setup
    from helpers.report.report_theme import bar_height_in, value_grid, wrap_labels

    plt = setup()
    tot = scen.groupby(["scenario", "label_fr"], sort=False)[["baseline_tco2e", "scenario_tco2e"]].sum().reset_index()
    base = tot["baseline_tco2e"].iat[0]
    tot["avoided"] = tot["baseline_tco2e"] - tot["scenario_tco2e"]
    tot = tot.sort_values("avoided", ascending=False, kind="stable").reset_index(drop=True)
    labels, lines = wrap_labels(tot["label_fr"])
    fig, ax = plt.subplots(figsize=(4.4, bar_height_in(lines) * len(tot) + 1.4))
    y = np.arange(len(tot))  # categories by position
    sns.barplot(x=tot["avoided"].to_numpy(), y=y, order=list(y), orient="h", color=PALETTE[2], saturation=1.0,
                errorbar=None, width=0.7, ax=ax)
    ax.set_yticks(y, labels)
    for yi, v in enumerate(tot["avoided"]):
        share = v / base * 100 if base > 0 else 0.0
        ax.text(v, yi, f" −{_fmt(v, 't')} ({fr_number(share, 1)} %)", va="center", fontsize=9)
    ax.tick_params(axis="y", labelsize=9, length=0)
    ax.set_xlim(0, max(tot["avoided"].max(), 1e-9) * 1.6)
    value_grid(ax, "x")
    ax.set_xlabel(f"tCO2e évitées par an, tous services (situation actuelle : {_fmt(base, 't')} par an)")
    fig.tight_layout()
    return fig


def placeholder_figure(message: str):
    """A small figure that states why there is nothing to plot."""
    from helpers.report.plotting import setup

    plt = setup()
    fig, ax = plt.subplots(figsize=(7.5, 1.0))
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=10)
    return fig


def rgesn_table(scores: pd.DataFrame, names: dict | None = None) -> pd.DataFrame:
    """The RGESN self-assessment's overall score per service with French headers (``helpers.model.rgesn.rgesn_scores``
    rows of the overall family, ``helpers.io.rgesn_inputs.OVERALL``), for the notebook."""
    names = names or {}
    if scores is None or scores.empty:
        return pd.DataFrame({"Service": [], "Taux de conformité": []})
    ov = scores[scores["family"] == OVERALL]
    return pd.DataFrame({
        "Service": [names.get(s, s) for s in ov["service_id"]],
        "Conformes": ov["n_conforme"].to_numpy(),
        "Non conformes": ov["n_non_conforme"].to_numpy(),
        "Non applicables": ov["n_non_applicable"].to_numpy(),
        "Non évalués": ov["n_non_evalue"].to_numpy(),
        "Taux de conformité": [("n.d." if np.isnan(v) else f"{v:.0f} %") for v in ov["score_pct"]],
        "Part du référentiel évaluée": [f"{v:.0f} %" for v in ov["answered_pct"]],
    })


def scores_figure(scores: pd.DataFrame, names: dict | None = None):
    """Heat-map-like table of family scores per service, the value written in each cell (not colour alone)."""
    from helpers.report.plotting import setup

    plt = setup()
    names = names or {}
    pivot = scores.pivot(index="service_id", columns="family", values="score_pct")
    pivot = pivot.loc[list(dict.fromkeys(scores["service_id"]))]
    cols = [f for f in list(FAMILIES) + [OVERALL] if f in pivot.columns]
    pivot = pivot[cols]
    fig, ax = plt.subplots(figsize=(7.5, 0.5 * len(pivot) + 1.8))
    data = pivot.to_numpy(dtype=float)
    ax.imshow(np.nan_to_num(data, nan=0.0), cmap="Greens", vmin=0, vmax=100, aspect="auto")
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            v = data[i, j]
            text = "n.a." if np.isnan(v) else f"{v:.0f} %"
            ax.text(j, i, text, ha="center", va="center", fontsize=8,
                    color="white" if (not np.isnan(v) and v > 60) else "black",
                    fontweight="bold" if cols[j] == OVERALL else "normal")
    ax.set_xticks(range(len(cols)), cols, rotation=35, ha="right", fontsize=8)
    labels = [str(names.get(s, s)) for s in pivot.index]
    ax.set_yticks(range(len(pivot)), [t if len(t) <= 40 else t[:39] + "…" for t in labels], fontsize=8)
    ax.set_title("Taux de conformité RGESN par famille (conformes ÷ applicables)", fontsize=9)
    for spine in ax.spines.values():
        spine.set_visible(False)
    fig.tight_layout()
    return fig


def study_figure(study: ServicesStudy, name: str):
    """The figure ``name`` of notebook 03 (``per_unit``, ``annual``, ``tiers``, ``swd``, ``tornado``,
    ``scenarios``, ``rgesn``), or a placeholder stating why there is nothing to show."""
    if not study.available:
        return placeholder_figure("Aucun service numérique décrit (data/raw/<territoire>/services.csv absent).")
    if name == "per_unit":
        return per_unit_figure(study.table)
    if name == "annual":
        return annual_figure(study.table)
    if name == "tiers":
        return tier_figure(study.table)
    if name == "swd":
        return swd_figure(study.swd) if not study.swd.empty else placeholder_figure("Aucun site web décrit.")
    if name == "tornado":
        return tornado_figure(study.sensitivity, study.table)
    if name == "scenarios":
        return scenario_figure(study.scenarios)
    if name == "rgesn":
        if not study.rgesn_provided:
            return placeholder_figure("Aucune auto-évaluation RGESN fournie (rgesn.csv absent).")
        return scores_figure(study.rgesn_scores, study.names)
    raise ValueError(f"unknown figure '{name}'")
