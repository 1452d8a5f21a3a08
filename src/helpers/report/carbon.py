"""The carbon balance in French for the published diagnostic: headline and notes, display tables and figures.

The model (``helpers.model.carbon``) holds numbers only; :mod:`helpers.report.carbon_labels` words its data; this module
turns a study (``study``: a :class:`helpers.run.carbon_section.CarbonStudy`) into what notebook ``02_carbon_balance``
shows. Nothing here is written to ``data/processed/`` or ``summary.json``: the section's outputs are
``CarbonStudy.write``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from helpers.io.french import count_text
from helpers.model.carbon import PHASES, breakdown
from helpers.report.carbon_labels import (
    AGE_NOT_GIVEN_FR,
    BENCHMARK_COLUMNS,
    CRITERIA_LABELS,
    PHASE_LABELS,
    TIER_LABELS,
    UNIT_LABELS,
    age_profile,
    category_labels,
    criteria_table,
    equipment_phase_breakdown,
    fleet_ratios,
    phase_shares_by_criterion,
    reconcile_views,
    sensitivity_table,
    territory_footprint,
    tier_breakdown_with_spend,
)
from helpers.report.carbon_labels import benchmark_comparison as compare_benchmarks


def _fr(values, decimals: int = 1) -> list[str]:
    """French display of numbers (``1 234,5``; ``n.d.`` for NaN)."""
    from helpers.report.plotting import fr_number

    return [fr_number(float(v), decimals) for v in values]


def _fr_sig(value: float, digits: int = 3) -> str:
    """French display with ``digits`` significant digits (``661 000``, ``11,5``, ``0,0142``)."""
    from helpers.report.plotting import fr_sig

    return fr_sig(value, digits)


def entity_labels(territory) -> dict[str, str]:
    return {e.id: e.name for e in territory.entities}


def display_breakdown(study, by: str) -> pd.DataFrame:
    """Breakdown by ``phase``, ``tier``, ``entity`` or ``category`` with French labels (tCO2e/an, 95 % interval).

    By phase: the equipment scope only (devices, their energy, hosting, networks), shares of that scope, the base of
    the one manufacturing share of the study (:func:`helpers.model.carbon.equipment_phase_breakdown`; paper and the
    spend-based line are outside it). By tier: the physical tiers and the purchases converted by a monetary ratio as
    one line (:func:`helpers.model.carbon.tier_breakdown_with_spend`), shares of the total (issue 32); French names
    from :mod:`helpers.report.carbon_labels`."""
    if by == "phase":
        df = equipment_phase_breakdown(study.balance.mc)
        df = df[df["scope"] == "equipment"].sort_values("value", ascending=False).reset_index(drop=True)
        return df.rename(columns={"label_fr": "label"})
    if by == "tier":
        return tier_breakdown_with_spend(study.balance.mc).rename(columns={"label_fr": "label"})
    df = breakdown(study.balance.mc, by, scale=1 / 1000.0)
    labels = {"phase": PHASE_LABELS, "tier": TIER_LABELS, "entity": entity_labels(study.territory)}.get(by)
    if by == "category":
        df["label"] = category_labels(df["category"], study.categories)
    else:
        df["label"] = [labels.get(v, v) for v in df[by]]
    return df


def given(study, table: str) -> bool:
    """Whether the territory provided the input of ``table`` (``purchases``, ``printing``, ``hosting``…): a clean
    table of 01_ingest exists (issue 33: an absent input is said "non fourni", never shown as 0)."""
    return study.inputs.get(table) is not None


def outside_phases_text(study) -> str:
    """The end of the phase figure's caption: paper and the purchases converted by a monetary ratio, outside the
    phases, with their tonnes, or "non fournis" when their file is absent (never "0 t")."""
    from helpers.report.plotting import fr_number

    d = study.data
    present, absent = [], []
    for table, word, value in (
            ("printing", "papier", (d["by_tier_with_spend"].get("paper") or {}).get("value", 0.0)),
            ("purchases", "achats par ratio monétaire", d["spend_based_tco2e"]["value"])):
        if given(study, table):
            present.append(f"{word} {fr_number(value)} t")
        else:
            absent.append(word)
    text = " et ".join(present) + " à part" if present else ""
    if absent:
        text += ("" if not text else " ; ") + " et ".join(absent) + (" : non fournis" if len(absent) > 1 or
                                                                      absent[0].startswith("achats") else
                                                                      " : non fourni")
    return text


def breakdown_alt(df: pd.DataFrame, by: str) -> str:
    """The alternative text of a breakdown figure (:func:`breakdown_figure` of :func:`display_breakdown`), whatever
    the number of rows: one phase, one category or one entity reads as such (a one-category inventory used to stop
    notebook 02 on the second row of its alt text)."""
    from helpers.report.plotting import fr_number

    d = df.sort_values("value", ascending=False, kind="stable").reset_index(drop=True)
    if d.empty:
        return "Aucune ligne du bilan à répartir."
    first = d.iloc[0]
    value = f"{fr_number(first['value'])} tCO2e par an"
    share = f"{fr_number(100 * first['share'])} %" if "share" in d and np.isfinite(first["share"]) else ""
    if by == "phase":
        return (f"La phase « {first['label']} » est la plus lourde : {value}"
                + (f", soit {share} de l'empreinte des équipements" if share else "")
                + " (base : équipements, leur énergie, hébergement et réseaux).")
    if by == "tier":
        return f"Le niveau « {first['label']} » est le premier poste : {value}" + (f" ({share} du total)." if share
                                                                                    else ".")
    if by == "entity":
        if len(d) == 1:
            return f"Une seule entité porte tout le bilan, « {first['label']} » : {value}."
        return f"« {first['label']} » porte la plus grande part du bilan : {value}" + (f" ({share})." if share else ".")
    if len(d) == 1:
        return f"Un seul poste au bilan, « {first['label']} » : {value}."
    second = d.iloc[1]
    return (f"Le premier poste est « {first['label']} » avec {value}, suivi de « {second['label']} » "
            f"({fr_number(second['value'])} tCO2e).")


def sensitivity_alt(sens: pd.DataFrame) -> str:
    """The alternative text of the tornado figure: the input that weighs most on the uncertainty."""
    from helpers.report.plotting import fr_number

    if sens.empty:
        return "Aucune entrée incertaine : le bilan n'a pas de fourchette à expliquer."
    return (f"L'entrée la plus influente est « {sens['label_fr'].iloc[0]} » : elle explique "
            f"{fr_number(100 * sens['contribution_to_variance'].iloc[0])} % de la variance du bilan.")


def french_breakdown(df: pd.DataFrame, title: str) -> pd.DataFrame:
    """Display columns of a :func:`display_breakdown` table (rounded, French headers)."""
    value = [f"{v} [{lo} – {hi}]" for v, lo, hi in zip(_fr(df["value"]), _fr(df["low"]), _fr(df["high"]))]
    return pd.DataFrame({title: df["label"], "tCO2e/an [fourchette probable]": value, "Part (%)": _fr(100 * df["share"])})


#: Short French names of the spend categories (``purchases.csv``), for the sentences on the ratios
SPEND_WORDS: dict[str, str] = {"services": "prestations informatiques", "software": "logiciels",
                               "cloud": "cloud et SaaS", "telecom": "télécoms"}


def spend_ratios_text(ratios: list | None) -> str:
    """French list of the monetary ratios used (issue 32), grouped by year of the ratio, e.g. ``ratios monétaires
    ADEME Base Carbone 2023, en kgCO2e/€ HT : prestations informatiques 0,075 ; logiciels 0,096 (hypothèse à
    vérifier)``; a ratio marked as an assumption is flagged; empty without spend."""
    from helpers.report.plotting import fr_sig

    if not ratios:
        return ""
    groups: dict = {}
    missing = []
    for r in ratios:
        word = SPEND_WORDS.get(r["category"], r["category"])
        if r.get("kgco2e_per_eur") is None:
            missing.append(f"{word} : facteur manquant")
            continue
        flag = " (hypothèse à vérifier)" if r.get("status") == "assumption" else ""
        groups.setdefault(r.get("year"), []).append(f"{word} {fr_sig(r['kgco2e_per_eur'], 2)}{flag}")
    parts = [f"ratios monétaires ADEME Base Carbone{f' {y}' if y else ''}, en kgCO2e/€ HT : " + " ; ".join(items)
             for y, items in groups.items()]
    return " ; ".join(parts + missing)


def spend_sensitivity_text(s: dict | None) -> str:
    """French sentence: the spend-based line at the previous ratio (1990 basis), a sensitivity; empty without spend."""
    from helpers.report.plotting import fr_number, fr_sig

    if not s:
        return ""
    ratios = sorted(set(s["kgco2e_per_eur"].values()))
    shown = " à ".join(fr_sig(x, 2) for x in (ratios[0], ratios[-1])) if len(ratios) > 1 else fr_sig(ratios[0], 2)
    def num(x):
        return fr_number(x, 0 if abs(x) >= 10 else 1)

    return (f"avec l'ancien ratio de l'ADEME ({shown} kgCO2e/€, données de {s['year']}), ces achats pèseraient "
            f"{num(s['tco2e'])} tCO2e ({'+' if s['delta_tco2e'] >= 0 else ''}{num(s['delta_tco2e'])} t) : "
            "une sensibilité, pas la valeur retenue")


def headline_markdown(study) -> str:
    """French headline (issue 32): the physical scope first, with its interval and per agent, per workstation, per
    inhabitant; then the purchases converted by a monetary ratio as their own line, with their interval, the ratios'
    source and year and the previous ratio as a sensitivity; then the total, the base of the trajectory; the
    manufacturing share with its base; the accounting view; the electricity factor and its method breaks."""
    from helpers.report.plotting import fr_interval, fr_number

    d = study.data
    ph, sp, tot = d["physical_tco2e"], d["spend_based_tco2e"], d["total_tco2e"]
    agent = (d.get("per_agent_by_scope_kgco2e") or {}).get("physical") or d["per_agent_kgco2e"]
    ws = (d.get("per_workstation_by_scope_kgco2e") or {}).get("physical") or d["per_workstation_kgco2e"]
    inh = (d.get("per_inhabitant_by_scope_kgco2e") or {}).get("physical") or d["per_inhabitant_kgco2e"]
    p = d["purchases_view_tco2e"]
    ratios = spend_ratios_text(d.get("spend_based_ratios"))
    sens = spend_sensitivity_text(d.get("spend_based_sensitivity"))
    lines = [
        f"**Empreinte annuelle du numérique de la collectivité ({study.territory.reference_year}), périmètre "
        f"physique (équipements, leur énergie, hébergement, réseaux, papier) : "
        f"{fr_interval(ph['value'], ph['low'], ph['high'], 0, 'tCO2e par an')}** (valeur centrale et, entre "
        "crochets, fourchette probable : 19 chances sur 20 que la valeur s'y trouve).",
        "",
        f"- sur ce périmètre, par agent ({fr_number(study.territory.agents)} agents) : "
        f"{fr_interval(agent['value'], agent['low'], agent['high'], 0, 'kgCO2e')} ; par poste de travail "
        f"({count_text(round(study.computers), 'ordinateur ou client léger', 'ordinateurs et clients légers')}) : "
        f"{fr_interval(ws['value'], ws['low'], ws['high'], 0, 'kgCO2e')} ; par habitant "
        f"({fr_number(study.territory.population)} habitants) : "
        f"{fr_interval(inh['value'], inh['low'], inh['high'], 1, 'kgCO2e')} ;",
    ]
    total = (f"total, périmètre physique et achats, base de la trajectoire : "
             f"{fr_interval(tot['value'], tot['low'], tot['high'], 0, 'tCO2e')}")
    if sp["value"]:
        lines.append(
            f"- à part, achats de services et logiciels estimés par leur montant (ratio monétaire) : "
            f"{fr_interval(sp['value'], sp['low'], sp['high'], 0, 'tCO2e')}"
            + (f" ; {ratios}" if ratios else "") + (f" ; {sens}" if sens else "") + f" ; {total} ;")
    elif not given(study, "purchases"):
        lines.append("- achats de services et logiciels (estimés par leur montant) : non fournis, donc non comptés ;")
    lines += [
        f"- part de la fabrication des équipements : {_share_text(d['equipment_manufacturing_share'])} (base : "
        "équipements, leur énergie, hébergement et réseaux, sans papier ni achats) ; vue « achats de l'année » "
        f"(comptable) : {fr_interval(p['value'], p['low'], p['high'], 0 if p['value'] >= 10 else 1, 'tCO2e')} ;",
        electricity_markdown(d.get("electricity_factor")),
    ]
    return "\n".join(lines)


def alternatives_markdown(cases: list | None) -> str:
    """French bullets: the sensitivity cases of :func:`factor_alternatives` (alternative values outside the
    intervals), each with the change of the balance."""
    from helpers.report.plotting import fr_number

    if not cases:
        return ""
    parts = [f"{c['label_fr']} : {fr_number(c['value'], 1)} → {fr_number(c['alternative'], 1)} kgCO2e, bilan "
             f"{'+' if c['delta_tco2e'] >= 0 else ''}{fr_number(c['delta_tco2e'], 1)} tCO2e par an" for c in cases]
    return ("Valeurs de facteurs citées par la bibliothèque hors de leur intervalle (cas de sensibilité, non "
            "retenus) : " + " ; ".join(parts) + ".")


def electricity_markdown(e: dict | None) -> str:
    """French bullet: the electricity factor used (vintage, source) and the latest vintage as a sensitivity."""
    from helpers.report.plotting import fr_number

    if not e:
        return ""
    if e.get("vintage_year") is None:
        used = f"{fr_number(e['value'], 4)} kgCO2e/kWh (facteur propre du territoire : {_md(e['source'])})"
    else:
        label = re.sub(r"\s*\(millésime \d{4}\)$", "", str(e["vintage"]))
        used = (f"{fr_number(e['value'], 4)} kgCO2e/kWh, millésime {e['vintage_year']} ({_md(label)})"
                + (f", {e['note']}" if e.get("note") else ""))
    text = f"- électricité française : {used}"
    if e.get("latest_delta_tco2e") is not None and e.get("latest_vintage_year") != e.get("vintage_year"):
        text += (f" ; avec le millésime le plus récent ({e['latest_vintage_year']}, "
                 f"{fr_number(e['latest_value'], 4)} kgCO2e/kWh), le bilan varierait de "
                 f"{fr_number(e['latest_delta_tco2e'], 1)} tCO2e")
        breaks = e.get("method_breaks_to_latest") or []
        if breaks:  # issue 32: the two vintages straddle a change of ADEME's method
            text += (", mais les deux millésimes ne sont pas calculés de la même façon : " + " ; ".join(breaks))
    return text + "."


def _share_text(x) -> str:
    from helpers.report.plotting import fr_number

    return "non disponible" if x is None or not np.isfinite(x) else f"{fr_number(100 * x, 0)} %"


def criteria_display(study) -> pd.DataFrame:
    """Multi-criteria totals with interval, unit and the number of (item, phase) factors missing."""
    ct = criteria_table(study.balance.mc, study.balance.units)
    shares = phase_shares_by_criterion(study.balance.mc).set_index("criterion")
    return pd.DataFrame({
        "Indicateur": ct["label_fr"], "Valeur centrale": [_fr_sig(v) for v in ct["value"]],
        "Fourchette probable": [f"{_fr_sig(lo)} – {_fr_sig(hi)}" for lo, hi in zip(ct["low"], ct["high"])],
        "Unité": ct["unit"].map(lambda u: UNIT_LABELS.get(u, u)),
        "Part fabrication (%)": _fr(100 * shares.loc[ct["criterion"], "manufacturing"].to_numpy(), 0),
        "Part utilisation (%)": _fr(100 * shares.loc[ct["criterion"], "use"].to_numpy(), 0),
        "Facteurs manquants (article:phase)": ct["n_missing"],
    })


def missing_display(study) -> pd.DataFrame:
    """Missing factors by criterion: how many, which items, and the climate impact of the rows concerned."""
    m = study.balance.mc.missing
    if m.empty:
        return pd.DataFrame(columns=["Indicateur", "Nombre", "Articles sans facteur"])
    g = m.groupby("criterion")
    out = pd.DataFrame({
        "Indicateur": [CRITERIA_LABELS.get(c, c) for c in g.groups],
        "Nombre": g.size().to_numpy(),
        "Articles sans facteur": [", ".join(sorted(set(x))) for _, x in g["item"]],
        "tCO2e (climat) des lignes sans ce facteur": _fr(np.where(
            np.array(list(g.groups)) == "climate_change", np.nan, g["climate_change_kgco2e"].sum() / 1000)),
    })
    return out


def reconciliation_display(study) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The bridge between the annualised and the purchases view, and its explanation by category (French)."""
    b = study.balance
    bridge, by_cat = reconcile_views(b.lines, b.purchases_lines, study.inputs["inventory"], study.categories,
                                     study.territory.reference_year)
    bridge = pd.DataFrame({"Étape": bridge["step"], "tCO2e": _fr(bridge["tco2e"])})
    by_cat = by_cat[by_cat["difference_tco2e"].abs() > 1e-9]
    cat = pd.DataFrame({
        "Catégorie": by_cat["label_fr"], "Amorti (tCO2e/an)": _fr(by_cat["annualised_embodied_tco2e"]),
        "Achats de l'année (tCO2e)": _fr(by_cat["purchases_embodied_tco2e"]),
        "Écart (tCO2e)": _fr(by_cat["difference_tco2e"]), "Parc": _fr(by_cat["fleet_quantity"], 0),
        "Achetés dans l'année": _fr(by_cat["bought_in_year"], 0),
        "Renouvellement moyen par an": _fr(by_cat["mean_yearly_renewal"], 0), "Explication": by_cat["explanation"]})
    return bridge, cat


def territory_markdown(study) -> str:
    """French text of the territory layer (inhabitants' footprint, two national baselines, own share)."""
    from helpers.report.ingest import actors_method_markdown
    from helpers.report.plotting import fr_interval, fr_number

    t = territory_footprint(study.territory.population, study.national, study.data["total_tco2e"]["value"],
                            study.data.get("territory_footprint_tco2e"))
    local = abs(t["value"] - t["national_value"]) > 1e-6 * max(t["national_value"], 1.0)
    return "\n".join([
        f"Empreinte numérique des {fr_number(study.territory.population)} habitants, ramenée de la moyenne "
        f"nationale de {fr_number(t['per_inhabitant_kgco2e'])} kgCO2e par habitant et par an "
        f"(source : {t['basis']})"
        + (f" : {fr_number(t['national_value'])} tCO2e par an ; répartie par acteur avec les données locales du "
           "territoire (partie 2) : " if local else " : ")
        + f"**{fr_interval(t['value'], t['low'], t['high'], 0, 'tCO2e par an')}**.",
        "",
        f"Variante : avec la réestimation de janvier 2025 qui inclut les usages hébergés à l'étranger "
        f"(29,5 MtCO2e pour 2022, soit {fr_number(t['alternative_per_inhabitant_kgco2e'])} kgCO2e par habitant), "
        f"**{fr_number(t['alternative_value'])} tCO2e par an**.",
        "",
        f"Le bilan propre de la collectivité ({fr_number(study.data['total_tco2e']['value'])} tCO2e) représente "
        f"{fr_number(100 * t['own_share'], 1)} % de l'empreinte des habitants (périmètre 2020), "
        f"{fr_number(100 * t['own_share_alternative'], 1)} % avec la variante 2025. Les deux périmètres ne se "
        "recouvrent qu'en partie : c'est un ordre de grandeur, pas une part exacte.",
        "",
        actors_method_markdown(),  # issue 35: how the footprint by actor of section 2 is computed
    ])


def benchmark_comparison(benchmarks: pd.DataFrame, slug: str, data: dict) -> pd.DataFrame:
    """The study beside each published reference, on that reference's scope: the rows of ``summary.json``
    (``carbon.benchmark_comparison``) when the summary has them, else
    :func:`helpers.report.carbon_labels.benchmark_comparison` (the one definition, issue 32)."""
    rows = data.get("benchmark_comparison")
    if rows is not None:
        return pd.DataFrame(rows, columns=BENCHMARK_COLUMNS)
    return compare_benchmarks(benchmarks, slug, data)


PER_PERSON_UNITS = {"kgco2e_per_employee_year": "par salarié", "kgco2e_per_user_year": "par utilisateur",
                    "kgco2e_per_agent_year": "par agent", "kgco2e_per_workstation_year": "par poste"}


def per_person_references(benchmarks: pd.DataFrame) -> str:
    """French list of the published per-employee / per-user references (``published_benchmarks.csv``), e.g.
    ``'WeNR 2021 … : 265 kgCO2e par salarié ; …'``; empty when there is none."""
    from helpers.report.plotting import fr_number

    rows = benchmarks[benchmarks["unit"].isin(list(PER_PERSON_UNITS))]
    return " ; ".join(f"{r.label_fr.split(' : ')[0]} : {fr_number(float(r.value))} kgCO2e {PER_PERSON_UNITS[r.unit]}"
                      for r in rows.itertuples(index=False))


def same_scope_references(comparison: list | pd.DataFrame | None, scope: str | None = None) -> str:
    """French list of the per-person references, each with this study on the same scope, the reference's perimeter
    (its first clause) and its web address (issue 32), e.g. ``WeNR 2021 : 265 kgCO2e par salarié, ici 146 sur le même
    périmètre (Système d'information d'organisations (…) ; https://…)``; only the references compared on ``scope``
    when it is given; empty without any."""
    from helpers.report.plotting import fr_number

    if comparison is None:
        return ""
    c = pd.DataFrame(comparison)
    if c.empty:
        return ""
    c = c[c["unit"].isin(list(PER_PERSON_UNITS)) & c["our_value"].astype(float).notna()]
    if scope is not None:
        c = c[c["compared_scope"] == scope]
    return " ; ".join(
        f"{r.reference.split(' : ')[0]} : {fr_number(r.reference_value)} kgCO2e {PER_PERSON_UNITS[r.unit]}, ici "
        f"{fr_number(r.our_value)} sur le même périmètre ({str(r.reference_scope).split(' ; ')[0]} ; {r.source})"
        for r in c.itertuples(index=False))


def benchmark_alt(benchmarks: pd.DataFrame, data: dict) -> str:
    """Alternative text of the benchmark figure: this balance per agent, on each reference's scope, against the
    published per-person figures."""
    from helpers.report.plotting import fr_number

    c = benchmark_comparison(benchmarks, "", data)
    c = c[c["unit"].isin(list(PER_PERSON_UNITS)) & c["our_value"].astype(float).notna()]
    if c.empty:
        return f"Ce bilan donne {fr_number(data['per_agent_kgco2e']['value'])} kgCO2e par agent."
    return ("Sur le périmètre de chaque référence, ce bilan donne " + " ; ".join(
        f"{fr_number(r.our_value)} kgCO2e {PER_PERSON_UNITS[r.unit].replace('salarié', 'agent')} contre "
        f"{fr_number(r.reference_value)} pour {r.reference.split(' : ')[0]}" for r in c.itertuples(index=False)) + ".")


BENCHMARK_UNITS_FR = {"tco2e_per_year": "tCO2e/an", "kgco2e_per_employee_year": "kgCO2e/salarié/an",
                      "kgco2e_per_user_year": "kgCO2e/utilisateur/an", "kgco2e_per_agent_year": "kgCO2e/agent/an",
                      "kgco2e_per_workstation_year": "kgCO2e/poste/an", "manufacturing_share": "part de la fabrication",
                      "services_share": "part des services achetés",
                      "terminals_share": "part des équipements utilisateurs"}


def benchmark_display(study) -> pd.DataFrame:
    """Our figures beside the published references, each on the reference's scope, with its perimeter and source
    (French headers)."""
    c = benchmark_comparison(study.benchmarks, study.territory.slug, study.data)
    share = c["unit"].str.endswith("share").to_numpy()
    ours = [(_fr([100 * v], 0)[0] + " %") if sh else _fr([v], 0)[0] for v, sh in zip(c["our_value"], share)]
    ref = [(_fr([100 * v], 0)[0] + " %") if sh else _fr([v], 0)[0] for v, sh in zip(c["reference_value"], share)]
    ivl = ["" if not np.isfinite(lo) else f"{_fr([lo], 0)[0]} – {_fr([hi], 0)[0]}"
           for lo, hi in zip(c["our_low"].astype(float), c["our_high"].astype(float))]
    return pd.DataFrame({"Référence": c["reference"], "Valeur publiée": ref, "Unité": c["unit"].map(BENCHMARK_UNITS_FR),
                         "Ce bilan": ours, "Fourchette probable": ivl, "Rapport": _fr(c["ratio"], 2),
                         "Périmètre de la référence": c["reference_scope"], "Périmètre comparé ici": c["our_scope"],
                         "Raison de l'écart": c["reason_fr"], "Source": c["source"]})


def per_person_display(study) -> pd.DataFrame:
    """The per-agent / per-workstation references of the main page (issue 32): the published value, this study on
    the same scope with its interval, the reference's perimeter and its web address."""
    from helpers.report.plotting import fr_interval, fr_number

    c = benchmark_comparison(study.benchmarks, study.territory.slug, study.data)
    c = c[c["unit"].isin(list(PER_PERSON_UNITS))]
    return pd.DataFrame({
        "Référence": [r.split(" : ")[0] for r in c["reference"]],
        "Valeur publiée (kgCO2e/an)": [f"{fr_number(v)} {PER_PERSON_UNITS[u]}" for v, u in zip(c["reference_value"],
                                                                                               c["unit"])],
        "Ce bilan, même périmètre": [fr_interval(v, lo, hi, 0) for v, lo, hi in zip(c["our_value"], c["our_low"],
                                                                                      c["our_high"])],
        "Périmètre de la référence": c["reference_scope"].to_numpy(),
        "Source": c["source"].to_numpy(),
    })


PUBLISHED_UNITS_FR = {"tCO2e/an": "t", "part": "%", "kgCO2e/poste/an": "kg/poste"}


def published_display(study) -> pd.DataFrame | None:
    """The collectivity's published balance beside the study, line by line, with the reason of each difference
    (``carbon.published.comparison``), French headers; None when the territory gives no published balance."""
    from helpers.report.plotting import fr_interval, fr_number

    pub = study.data.get("published")
    if not pub:
        return None

    def show(v, unit, decimals=0, line=""):
        if v is None or v != v:
            return "non compté" if line == "outside_scope" else "non détaillé"
        return f"{fr_number(100 * v, 0)} %" if unit == "part" else fr_number(v, decimals)

    rows = pub["comparison"]
    return pd.DataFrame({
        "Ligne": [r["label_fr"] for r in rows],
        "Publié": [show(r["published"], r["unit"], line=r["line"]) for r in rows],
        "Cette étude [fourchette probable]": [
            show(r["study"], r["unit"]) if r["unit"] == "part" or r["study_low"] != r["study_low"]
            else fr_interval(r["study"], r["study_low"], r["study_high"], 0) for r in rows],
        "Unité": [r["unit"] for r in rows],
        "Raison de l'écart": [r["reason_fr"] for r in rows],
    })


def published_list_markdown(study) -> str:
    """The published balance beside the study, line by line with the reason of each difference, as a French list
    (the main page's form: one item per line, within the page budget); empty without a published balance."""
    from helpers.report.plotting import fr_interval, fr_number

    pub = study.data.get("published")
    if not pub:
        return ""

    def show(v, unit, line=""):
        if v is None or v != v:
            return "non compté" if line == "outside_scope" else "non détaillé"
        return f"{fr_number(100 * v, 0)} %" if unit == "part" else f"{fr_number(v)} {PUBLISHED_UNITS_FR[unit]}"

    items = []
    for r in pub["comparison"]:
        ours = (show(r["study"], r["unit"]) if r["unit"] == "part" or r["study_low"] != r["study_low"]
                else fr_interval(r["study"], r["study_low"], r["study_high"], 0, PUBLISHED_UNITS_FR[r["unit"]]))
        items.append(f"- **{r['label_fr']}** : publié {show(r['published'], r['unit'], r['line'])}, cette étude "
                     f"{ours}. {r['reason_fr']}")
    return published_markdown(study) + "\n\n" + "\n".join(items)


def published_markdown(study) -> str:
    """French introduction of the published-balance table: what the collectivity published, when, on which scope,
    with its source; that nothing was tuned to meet it. Empty without a published balance."""
    from helpers.report.plotting import fr_number

    pub = study.data.get("published")
    if not pub:
        return ""
    split = pub.get("split") or {}
    parts = ", ".join(f"{fr_number(100 * v, 0)} % {'fabrication' if k == 'manufacturing' else 'usage'}"
                      for k, v in split.items())
    return (f"La collectivité a publié son bilan carbone du numérique {pub['year']} : **{fr_number(pub['value_tco2e'])} "
            f"tCO2e par an**" + (f" ({parts})" if parts else "") + f". Périmètre publié : {_md(pub['scope'])}. "
            f"Source : {_md(pub['source'])}. Ci-dessous, ce bilan et cette étude sur le même périmètre, ligne par "
            "ligne : chaque écart est expliqué, aucune donnée d'entrée n'a été ajustée pour s'en rapprocher.")


def sensitivity_display(study, top: int = 10) -> pd.DataFrame:
    """The inputs that drive the variance of the total (French headers)."""
    s = sensitivity_table(study.balance.mc, study.categories, study.hosting_kinds).head(top)
    return pd.DataFrame({"Entrée": s["label_fr"], "Part de la variance (%)": _fr(100 * s["contribution_to_variance"]),
                         "Corrélation de rang": _fr(s["rank_correlation"], 2),
                         "Bilan si entrée basse (tCO2e)": _fr(s["low_total"], 0),
                         "Bilan si entrée haute (tCO2e)": _fr(s["high_total"], 0)})


def fleet_display(study) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fleet ratios and age profile with French headers."""
    r = fleet_ratios(study.inputs["inventory"], study.territory.agents)
    shown = [AGE_NOT_GIVEN_FR if not np.isfinite(v) and i in ("mean_age_years", "share_past_lifetime")
             else f"{100 * v:.0f} %" if u == "part" else (f"{v:,.0f}".replace(",", "\u202f") if u == "unités"
                                                          else f"{v:.2f}".replace(".", ","))
             for i, v, u in zip(r["indicator"], r["value"], r["unit"])]
    ratios = pd.DataFrame({"Indicateur": r["label_fr"], "Valeur": shown})
    a = age_profile(study.inputs["inventory"], study.categories)
    bands = [c for c in ("0-2 ans", "3-5 ans", "6-8 ans", "9 ans et +") if c in a]
    ages = pd.DataFrame({"Catégorie": a["label_fr"], "Quantité": _fr(a["quantity"], 0),
                         "Âge moyen (ans)": _age_fr(a["mean_age_years"]),
                         "Durée de vie (ans)": _fr(a["mean_lifetime_years"]),
                         "Au-delà de la durée de vie (%)": _age_fr(100 * a["share_past_lifetime"], 0)})
    for b in bands:
        ages[b] = _fr(a[b], 0)
    return ratios, ages


def _age_fr(values, decimals: int = 1) -> list[str]:
    """French display of an age indicator: "non renseigné (…)" where no device is dated."""
    return [fr if np.isfinite(float(v)) else "non renseigné" for fr, v in zip(_fr(values, decimals), values)]


def benchmark_markdown(study) -> str:
    """French explanation of the differences with the published references (scope, factors), with numbers; the
    collectivity's own published balance has its own line-by-line table (:func:`published_display`)."""
    from helpers.report.plotting import fr_number

    d = study.data
    total = d["total_tco2e"]["value"]
    spend = d["spend_based_tco2e"]["value"]
    tiers = d.get("by_tier_with_spend") or {}
    paper = (tiers.get("paper") or {}).get("value", 0.0)
    dc = (tiers.get("datacentres") or {}).get("value", 0.0)
    equipment = d["equipment_scope_tco2e"]["value"]
    f = study.factors.set_index("factor_id")["value"]
    elec = fr_number(float(f.get("electricity_fr:use:climate_change", float("nan"))), 4)
    lines = [
        "Écarts de périmètre et de facteurs à garder en tête (chaque référence est comparée sur son propre "
        "périmètre, avec la raison de l'écart) :",
        "",
        f"- **Achats de services et logiciels, ratio monétaire** ({fr_number(spend)} tCO2e, "
        f"{fr_number(100 * spend / total if total else 0)} % du total) : une ligne à part, hors répartition par "
        "phase (un ratio en kgCO2e par euro n'est ni une fabrication ni un usage d'équipement) ; comptés de même "
        "dans le bilan de Metz (40 %) ; WeNR et la plupart des bilans d'équipements ne les comptent pas.",
        f"- **Papier** ({fr_number(paper)} tCO2e) : dans le périmètre physique, mais hors périmètre des bilans "
        "d'équipements et hors part de fabrication des équipements. **Centres de données et hébergement** "
        f"({fr_number(dc)} tCO2e) : salles de la collectivité et hébergement externalisé.",
        f"- Périmètre physique sans papier : **{fr_number(equipment)} tCO2e** "
        f"({fr_number(1000 * equipment / study.territory.agents)} kgCO2e par agent), dont "
        f"{_share_text(d['equipment_manufacturing_share'])} de fabrication des équipements.",
        f"- Facteurs : ADEME–NegaOctet 2022 pour les équipements ; électricité française à {elec} kgCO2e/kWh "
        "(sauf surcharge listée plus bas) ; les facteurs des bilans publiés ne sont pas détaillés dans les sources "
        "publiques.",
    ]
    aside = set_aside_markdown(d.get("benchmark_set_aside"))
    if aside:
        lines += ["", aside]
    alt = alternatives_markdown(d.get("factor_alternatives"))
    if alt:
        lines += ["", alt]
    return "\n".join(lines)


def set_aside_markdown(rows: list | None) -> str:
    """One French sentence naming the published references left out because their perimeter differs from the
    study's (``carbon.benchmark_set_aside``, issue 36): per publisher, its values, year, the reason and its address;
    empty when none was left out."""
    from helpers.report.plotting import fr_number

    if not rows:
        return ""

    def value(r):
        unit = BENCHMARK_UNITS_FR.get(r["unit"], r["unit"])
        if str(r["unit"]).endswith("share"):
            return f"{unit} {fr_number(100 * float(r['reference_value']))} %"
        return f"{fr_number(float(r['reference_value']))} {unit}"

    groups: dict[tuple, list] = {}
    for r in rows:
        year = r.get("year")
        key = (str(r["reference"]).split(" : ")[0], None if year is None or year != year else int(year),
               str(r["reason_fr"]), str(r["source"]))
        groups.setdefault(key, []).append(value(r))
    items = [f"{_md(who)} ({', '.join(values)}{f', {year}' if year else ''} ; {_md(reason)} ; {_md(source)})"
             for (who, year, reason, source), values in groups.items()]
    return ("Références publiées écartées parce que leur périmètre diffère de celui de cette étude : "
            + " ; ".join(items) + ".")


def _md(text) -> str:
    """Text from the inputs made inert for Markdown/HTML: :func:`helpers.report.plotting.esc` (the one escaping rule, which
    also stops auto-links, headings, lists and math; issue 21)."""
    from helpers.report.plotting import esc

    return esc(text)


def overrides_markdown(study) -> str:
    """Every factor override applied (territory electricity factor, factor_overrides.csv), in French (ids from the
    inputs shown as ``<code>`` through :func:`helpers.report.plotting.code`: a Markdown code span would show the escapes)."""
    from helpers.report.plotting import code

    esc = _md
    ch = study.changes
    if ch.empty:
        return ("Aucune surcharge : tous les facteurs sont ceux de la bibliothèque de référence "
                f"(version {code(study.factors_version)}).")
    lines = [f"{count_text(len(ch), 'facteur remplacé')} (bibliothèque {code(study.factors_version)}) :", ""]
    lines += [f"- {code(r.factor_id)} : {r.old_value:.4g} → **{r.new_value:.4g}** ({esc(r.origin)} ; source : "
              f"{esc(r.source)})" for r in ch.itertuples(index=False)]
    return "\n".join(lines)


def notes_markdown(study) -> str:
    """What was or was not counted (double counting avoided, rows out of the reference year, spend-based sites)."""
    esc = _md
    notes = study.data.get("notes") or []
    if not notes:
        return "Aucune remarque sur le périmètre : toutes les lignes fournies sont comptées."
    return "\n".join(f"- {esc(n)}" for n in notes)


# --------------------------------------------------------------------------------------------------------------
# Figures (French labels; value labels, markers and position so colour is never the only carrier; no hatching)
# --------------------------------------------------------------------------------------------------------------

def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def breakdown_figure(df: pd.DataFrame, label_col: str, title: str, unit: str = "tCO2e/an", max_bars: int = 15):
    """Horizontal bars (seaborn), the largest first, in one colour, with the 95 % interval of the Monte Carlo draws
    as a dark line and the value and share written at its end; at most ``max_bars`` bars (the largest), the title
    saying how many of how many are shown, so a territory of 100 entities keeps a figure of the same size (page
    budget by design; every line is in tables.xlsx)."""
    import seaborn as sns

    from helpers.report.plotting import PALETTE, fr_number, setup
    from helpers.report.report_theme import INK, bar_height_in, value_grid, wrap_labels

    plt = setup()
    if len(df) > max_bars:
        title = f"{title} : les {max_bars} premiers sur {len(df)}"
        df = df.nlargest(max_bars, "value")
    d = df.sort_values("value", ascending=False, kind="stable").reset_index(drop=True)
    labels, lines = wrap_labels(d[label_col])
    fig, ax = plt.subplots(figsize=(4.4, bar_height_in(lines) * len(d) + 1.3))
    y = np.arange(len(d))  # one bar per row, even when two rows share a label (categories by position)
    sns.barplot(x=d["value"].to_numpy(), y=y, order=list(y), orient="h", color=PALETTE[0], saturation=1.0,
                errorbar=None, width=0.7, ax=ax)
    ax.set_yticks(y, labels)
    if {"low", "high"} <= set(d.columns):
        err = np.vstack([d["value"] - d["low"], d["high"] - d["value"]]).clip(min=0)
        ax.errorbar(d["value"], y, xerr=err, fmt="none", ecolor=INK, capsize=3, linewidth=1.1)
    xmax = float((d["high"] if "high" in d else d["value"]).max() or 1)
    for i, r in d.iterrows():
        text = f"{fr_number(r['value'], 1 if r['value'] < 100 else 0)}"
        if "share" in d and np.isfinite(r["share"]):
            text += f" ({fr_number(100 * r['share'], 0)} %)"
        ax.text(max(r.get("high", r["value"]), r["value"]) + 0.025 * xmax, i, text, va="center", fontsize=9)
    ax.set_xlim(0, xmax * 1.35)
    ax.set_ylim(len(d) - 0.5, -0.5)  # the error bars would otherwise widen the margins
    value_grid(ax, "x")
    ax.tick_params(axis="y", length=0)
    ax.set_ylabel("")
    ax.set_xlabel(f"{unit} (trait : intervalle à 95 %)" if {"low", "high"} <= set(d.columns) else unit)
    ax.set_title(title, fontsize=10, loc="left")
    fig.tight_layout()
    return fig


def tornado_figure(sens: pd.DataFrame, central_tco2e: float, top: int = 10):
    """Tornado: the total when one input is at its 2.5th or 97.5th percentile, the others central."""
    from helpers.report.plotting import PALETTE, fr_number, setup

    plt = setup()
    d = sens.sort_values("swing", ascending=False).head(top).iloc[::-1].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7.5, 0.5 * len(d) + 1.6))
    y = np.arange(len(d))
    ax.barh(y, d["low_total"] - central_tco2e, left=central_tco2e, color=PALETTE[4], edgecolor="white",
            linewidth=0.5, label="entrée au 2,5e centile")
    ax.barh(y, d["high_total"] - central_tco2e, left=central_tco2e, color=PALETTE[1], edgecolor="white",
            linewidth=0.5, label="entrée au 97,5e centile")
    ax.axvline(central_tco2e, color="#000000", linewidth=1)
    for i, r in d.iterrows():
        ax.text(r["high_total"], i, f"  {fr_number(100 * r['contribution_to_variance'], 0)} % var.", va="center",
                fontsize=8)
    ax.set_yticks(y, [_wrap(t, 42) for t in d["label_fr"]], fontsize=8)
    ax.set_xlabel("Bilan total (tCO2e/an), les autres entrées à leur valeur centrale")
    ax.legend(frameon=False, fontsize=8, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.14))
    ax.set_title("Entrées qui pèsent le plus sur l'incertitude du bilan", fontsize=10)
    fig.tight_layout()
    return fig


def criteria_phase_figure(shares: pd.DataFrame):
    """100 % stacked bars: share of each phase per criterion (labelled)."""
    from helpers.report.plotting import PALETTE, setup

    plt = setup()
    d = shares.iloc[::-1].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(d) + 1.6))
    left = np.zeros(len(d))
    y = np.arange(len(d))
    for k, phase in enumerate(PHASES):
        if phase not in d:
            continue
        v = d[phase].fillna(0).to_numpy()
        ax.barh(y, v, left=left, color=PALETTE[k], edgecolor="#333333", linewidth=0.5,
                label=PHASE_LABELS[phase])
        for i in range(len(d)):
            if v[i] >= 0.08:
                ax.text(left[i] + v[i] / 2, i, f"{100 * v[i]:.0f} %", ha="center", va="center", fontsize=7,
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.8})
        left += v
    ax.set_yticks(y, d["label_fr"], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("Part de chaque phase du cycle de vie")
    ax.legend(frameon=False, fontsize=8, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    fig.tight_layout()
    return fig


def benchmark_figure(comparison: pd.DataFrame):
    """Our per-agent / per-workstation figures beside the published references, as a dot plot (seaborn): for each
    reference, its name written across the figure, then this balance (circle, with its 95 % interval as a line) and
    the published value (diamond), each with its value written beside it. Shape and position, not only colour, tell
    the two apart; the names read in full on a phone."""
    import seaborn as sns

    from helpers.report.plotting import PALETTE, fr_number, setup
    from helpers.report.report_theme import INK, value_grid

    plt = setup()
    d = comparison[comparison["unit"].str.startswith("kgco2e")].reset_index(drop=True)
    ours, ref = "Ce bilan (intervalle à 95 %)", "Référence publiée"
    step = 2.6  # per reference: its name, this balance, the reference
    y_ours, y_ref = np.arange(len(d)) * step + 1.0, np.arange(len(d)) * step + 1.7
    points = pd.DataFrame({"valeur": np.r_[d["our_value"], d["reference_value"]], "y": np.r_[y_ours, y_ref],
                           "série": [ours] * len(d) + [ref] * len(d)})
    fig, ax = plt.subplots(figsize=(4.4, 0.85 * len(d) + 1.6))
    values = np.r_[d["reference_value"], d["our_high"], d["our_value"]].astype(float)
    xmax = 1.22 * float(np.nanmax(values) if np.isfinite(values).any() else 1.0) or 1.0
    ax.hlines(y_ours, d["our_low"], d["our_high"], color=PALETTE[0], linewidth=2.2)
    sns.scatterplot(data=points, x="valeur", y="y", hue="série", style="série", hue_order=[ours, ref],
                    style_order=[ours, ref], palette=[PALETTE[0], PALETTE[5]], markers=["o", "D"], s=60,
                    edgecolor="white", linewidth=0.6, zorder=3, ax=ax)
    for i, r in d.iterrows():
        ax.text(0, i * step + 0.45, _wrap(str(r["reference"]), 52), ha="left", va="bottom", fontsize=9, color=INK,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0}, zorder=4)
        high = r["our_high"] if np.isfinite(r["our_high"]) else r["our_value"]
        ax.text(high + 0.015 * xmax, y_ours[i], fr_number(r["our_value"]), va="center", fontsize=9)
        ax.text(r["reference_value"] + 0.015 * xmax, y_ref[i], fr_number(r["reference_value"]), va="center",
                fontsize=9)
    ax.set_xlim(0, xmax)
    ax.set_ylim(len(d) * step - 0.4, -0.5)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    value_grid(ax, "x")
    ax.set_xlabel("kgCO2e par an et par agent, utilisateur ou poste")
    ax.set_ylabel("")
    ax.legend(title=None, fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=1)
    fig.tight_layout()
    return fig


def electricity_vintages_display(study) -> tuple[pd.DataFrame, str]:
    """The French electricity factor by vintage (``electricity_vintages.csv``) with ADEME's method of each, the one
    the balance used marked, and the method breaks of the series stated (issue 32): ``(table, French text)``."""
    from helpers.io.factors import ELECTRICITY_METHOD_BREAKS, ELECTRICITY_METHODS, load_electricity_vintages
    from helpers.report.plotting import fr_number

    v = load_electricity_vintages()
    used = (study.data.get("electricity_factor") or {}).get("vintage_year")
    table = pd.DataFrame({
        "Millésime": [f"{int(y)}{' (retenu)' if used is not None and int(y) == int(used) else ''}" for y in v["year"]],
        "kgCO2e/kWh": [fr_number(x, 4) for x in v["value"]],
        "Méthode de l'ADEME": [ELECTRICITY_METHODS.get(str(m), str(m)) for m in v.get("method", [""] * len(v))],
        "Source": v["source"].to_numpy(),
    })
    text = ("Ruptures de méthode de la série : " + " ; ".join(b[2] for b in ELECTRICITY_METHOD_BREAKS) + ". Deux "
            "millésimes de part et d'autre d'une rupture diffèrent par la méthode autant que par l'année.")
    return table, text
