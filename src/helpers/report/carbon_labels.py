"""The French of the carbon balance's data: labels, notes, reasons, the label columns of its processed tables and the
French fields of ``summary_carbon.json``.

The model (``helpers.model.carbon``) returns codes and numbers; each function here takes what the model returns and
adds the French words the diagnostic, ``tables.xlsx`` and next year's study read, in the published form: the same
columns, in the same order, as the section has always written (``helpers.run.carbon_section`` writes them). The
display of the notebook (headline, figures, French headers) is :mod:`helpers.report.carbon`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.io import vocab
from helpers.io.french import fr_number, fr_sig
from helpers.model import carbon
from helpers.model.perimeter import SCHOOLS_EXCLUDED, SCHOOLS_INCLUDED

# --------------------------------------------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------------------------------------------

PHASE_LABELS: dict[str, str] = {"manufacturing": "Fabrication", "distribution": "Distribution",
                                "use": "Utilisation", "end_of_life": "Fin de vie",
                                carbon.SPEND_PHASE: "Achats de services et logiciels, ratio monétaire"}
TIER_LABELS = vocab.TIER_LABELS_FR
CRITERIA_LABELS = vocab.CRITERIA_LABELS_FR
#: French display of the criteria units
UNIT_LABELS: dict[str, str] = {"disease incidence": "incidence de maladies", "mol H+eq": "mol H+ éq.",
                               "kBq U235eq": "kBq U235 éq.", "kgSbeq": "kg Sb éq.", "m3": "m³"}
#: French labels of the activity categories that are not inventory categories
PSEUDO_CATEGORY_LABELS: dict[str, str] = {
    "hosted_it_energy": "Énergie informatique mesurée des sites d'hébergement",
    "dc_support_equipment": "Bâtiment et équipements techniques des salles",
    "cloud_spend": "Cloud et hébergement externalisé (dépense)",
    "network_fixed": "Réseau fixe (abonnements ou volumes)",
    "network_mobile": "Réseau mobile (volumes ou lignes)",
    "purchase_services": "Prestations et services informatiques (dépense)",
    "purchase_software": "Logiciels et licences (dépense)",
    "purchase_cloud": "Cloud et hébergement externalisé (dépense)",
    "purchase_telecom": "Services de télécommunication (dépense)",
    "paper": "Papier (ramettes A4)",
}
#: French labels of the correlation groups of the factor library (one input of the sensitivity ranking each)
GROUP_LABELS: dict[str, str] = {
    "ademe_ratios_monetaires_2023": "Ratios monétaires des achats (ADEME 2023, un tirage commun)",
}
#: French names of the scopes of the balance (:data:`helpers.model.carbon.SCOPES`), for tables and sentences
SCOPE_LABELS: dict[str, str] = {
    "physical": "périmètre physique (équipements, leur énergie, hébergement, réseaux, papier)",
    "equipment": "équipements, leur énergie, hébergement et réseaux (périmètre physique sans papier)",
    "spend_based": "achats de services et logiciels convertis par ratio monétaire",
    "total": "total (périmètre physique + achats par ratio monétaire)",
}
#: ``scope_note`` of ``summary_carbon.json``
SCOPE_NOTE = ("total = périmètre physique + achats de services et logiciels (ratio monétaire) ; la répartition par "
              "phase porte sur le seul périmètre physique")
#: The line of the purchases converted by a monetary ratio in the tier breakdown
SPEND_TIER_LABEL = "Achats de services et logiciels (ratio monétaire)"
#: What the page says of an age indicator when no device of the inventory is dated (an OCS Inventory export has
#: neither purchase dates nor ages): never "nan" nor "0 %".
AGE_NOT_GIVEN_FR = "non renseigné (aucune date d'achat dans l'inventaire)"


def category_labels(values, categories: pd.DataFrame) -> list[str]:
    """The French name of each category (``categories.csv``, then the balance's pseudo-categories)."""
    labels = dict(zip(categories["category"], categories["label_fr"]))
    labels.update(PSEUDO_CATEGORY_LABELS)
    return [labels.get(v, v) for v in values]


# --------------------------------------------------------------------------------------------------------------
# Notes on what was or was not counted (``helpers.model.carbon.note``)
# --------------------------------------------------------------------------------------------------------------

def fr_note_number(value: float, decimals: int = 0) -> str:
    """A number of an analyst-facing note written the French way (``1 500``, ``2,5``); a value that would round to
    a different whole number below 10 keeps two significant digits (0.5 Go is "0,5 Go", never "0 Go")."""
    if decimals == 0 and abs(value) < 10 and round(value) != value:
        text = fr_sig(value, 2)
        return text.rstrip("0").rstrip(",") if "," in text else text
    return fr_number(value, decimals)


#: The French of each note code (``str.format`` fields: the note's values, numbers already written the French way)
NOTE_TEMPLATES: dict[str, str] = {
    "site_spend_with_devices": "Site {site} : la dépense cloud ({amount_eur} €) n'est pas comptée car l'énergie des "
                               "équipements du site l'est déjà (pas de double compte).",
    "site_spend_with_energy": "Site {site} : la dépense ({amount_eur} €) n'est pas comptée car l'énergie mesurée du "
                              "site l'est (par l'usage plutôt que par la dépense).",
    "site_counted_by_spend": "Site {site} : compté par sa dépense (ratio monétaire), faute d'énergie mesurée ; ce "
                             "ratio est très incertain.",
    "site_building_only": "Site {site} : ni équipement dans l'inventaire, ni énergie mesurée, ni dépense ; seul son "
                          "bâtiment est compté (s'il a une surface).",
    "telecom_fixed_volume_not_added": "Télécom ligne {line} ({entity}) : réseau fixe compté par abonnement ; le volume "
                                      "({gb} Go) n'est pas ajouté (pas de double compte).",
    "telecom_fixed_lines_without_factor": "Télécom ligne {line} ({entity}) : {lines} lignes fixes sans facteur par "
                                          "abonnement ni volume : non comptées.",
    "telecom_mobile_lines_without_volume": "Télécom ligne {line} ({entity}) : {lines} lignes mobiles sans volume de "
                                           "données : le réseau mobile n'est pas compté (donner "
                                           "mobile_data_gb_per_year).",
    "purchase_outside_year": "Achats ligne {line} ({entity}, {category}, {year}) : hors année de référence "
                             "{reference_year}, non comptée.",
    "double_count_cloud": "purchases.csv contient une dépense « cloud » et hosting.csv décrit des sites : vérifier "
                          "qu'un même service n'est pas compté deux fois (par la dépense et par l'énergie ou la dépense "
                          "du site).",
    "double_count_telecom": "purchases.csv contient une dépense « telecom » et telecom.csv des abonnements ou "
                            "volumes : vérifier que la dépense ne couvre pas les mêmes lignes (double compte possible).",
}
#: The values of a note that are amounts (written with :func:`fr_note_number`)
_NOTE_NUMBERS = ("amount_eur", "gb", "lines")


def note_fr(note: dict) -> str:
    """A note of the balance (:func:`helpers.model.carbon.note`) in French."""
    values = {k: fr_note_number(v) if k in _NOTE_NUMBERS else v for k, v in note.items() if k != "code"}
    return NOTE_TEMPLATES[note["code"]].format(**values)


def notes_fr(notes: list[dict]) -> list[str]:
    """Every note in French, in order (``carbon.notes`` of ``summary.json``)."""
    return [note_fr(n) for n in notes]


# --------------------------------------------------------------------------------------------------------------
# The processed tables with their French columns (the model's tables, as published)
# --------------------------------------------------------------------------------------------------------------

def _with_label(df: pd.DataFrame, labels: list, position: int = 1, column: str = "label_fr") -> pd.DataFrame:
    out = df.copy()
    out.insert(position, column, labels)
    return out


def criteria_table(result, units: dict[str, str]) -> pd.DataFrame:
    """:func:`helpers.model.carbon.criteria_table` with the French name of each criterion (``label_fr``)."""
    t = carbon.criteria_table(result, units)
    return _with_label(t, [CRITERIA_LABELS.get(c, c) for c in t["criterion"]]) if len(t) else t


def phase_shares_by_criterion(result) -> pd.DataFrame:
    """:func:`helpers.model.carbon.phase_shares_by_criterion` with the French name of each criterion."""
    t = carbon.phase_shares_by_criterion(result)
    return _with_label(t, t["criterion"].map(CRITERIA_LABELS).to_numpy())


def category_table(lines: pd.DataFrame, inventory: pd.DataFrame, categories: pd.DataFrame,
                   column: str = "climate_change_kgco2e") -> pd.DataFrame:
    """:func:`helpers.model.carbon.category_table` with the French name of each category (``label_fr``)."""
    t = carbon.category_table(lines, inventory, column)
    return _with_label(t, category_labels(t["category"], categories))


#: The steps of the bridge between the two views (:data:`helpers.model.carbon.BRIDGE_STEPS`); ``{year}`` is the
#: reference year
BRIDGE_STEP_LABELS: dict[str, str] = {
    "annualised_total": "Bilan annualisé (empreinte amortie)",
    "minus_amortised_embodied": "− fabrication, distribution et fin de vie amorties de tout le parc",
    "plus_bought_embodied": "+ fabrication, distribution et fin de vie des équipements achetés en {year} (non "
                            "amorties)",
    "purchases_view_total": "= Vue « achats de l'année » (comptable, type Bilan Carbone / BEGES)",
}


def renewal_explanation_fr(code: str, bought_in_year: float, mean_yearly_renewal: float) -> str:
    """Why a category differs between the annualised view and the purchases view, in French."""
    ratio = bought_in_year / mean_yearly_renewal if mean_yearly_renewal else np.inf
    return {
        "flow": "flux annuel (hors parc) : compté de la même façon dans les deux vues",
        "no_purchase": "aucun achat dans l'année : rien dans la vue achats, l'amortissement du parc reste compté",
        "above": f"achats de l'année {fr_note_number(ratio, 1)} fois le renouvellement moyen (parc ÷ durée de vie) : "
                 "la vue achats est plus élevée",
        "below": f"achats de l'année {fr_note_number(ratio, 1)} fois le renouvellement moyen : la vue achats est plus "
                 "basse",
        "close": "achats proches du renouvellement moyen : les deux vues sont proches",
    }[code]


def reconcile_views(annualised_lines: pd.DataFrame, purchases_lines: pd.DataFrame, inventory: pd.DataFrame,
                    categories: pd.DataFrame, reference_year: int, column: str = "climate_change_kgco2e"
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`helpers.model.carbon.reconcile_views` in French: the bridge's steps worded, each category's French name
    (``label_fr``) and the explanation of its difference."""
    bridge, by_cat = carbon.reconcile_views(annualised_lines, purchases_lines, inventory, reference_year, column)
    bridge = bridge.assign(step=[BRIDGE_STEP_LABELS[s].format(year=reference_year) for s in bridge["step"]])
    by_cat = _with_label(by_cat, category_labels(by_cat["category"], categories))
    by_cat["explanation"] = [renewal_explanation_fr(c, b, r) for c, b, r in zip(
        by_cat["explanation"], by_cat["bought_in_year"], by_cat["mean_yearly_renewal"])]
    return bridge, by_cat


#: French names of the fleet's indicators (:func:`helpers.model.carbon.fleet_ratios`) and of their units
FLEET_RATIO_LABELS: dict[str, str] = {
    "computers": "Postes de travail (portables, fixes, clients légers)",
    "screens": "Écrans",
    "screens_per_computer": "Écrans par poste de travail",
    "computers_per_agent": "Postes de travail par agent",
    "terminals_per_agent": "Terminaux par agent",
    "devices_per_agent": "Équipements par agent (tous niveaux)",
    "phones_per_agent": "Téléphones mobiles par agent",
    "printers_per_agent": "Imprimantes et copieurs par agent",
    "dated_share": "Part des équipements datés (date d'achat ou âge dans l'inventaire)",
    "mean_age_years": "Âge moyen pondéré par les quantités (équipements datés)",
    "share_past_lifetime": "Part des équipements datés au-delà de leur durée de vie",
    "share_reconditioned": "Part des équipements reconditionnés",
}
FLEET_UNIT_LABELS: dict[str, str] = {"units": "unités", "ratio": "ratio", "share": "part", "years": "années"}


def fleet_ratios(inventory: pd.DataFrame, agents: int) -> pd.DataFrame:
    """:func:`helpers.model.carbon.fleet_ratios` with each indicator's French name (``label_fr``) and unit."""
    t = carbon.fleet_ratios(inventory, agents)
    t = _with_label(t, [FLEET_RATIO_LABELS[i] for i in t["indicator"]])
    return t.assign(unit=t["unit"].map(FLEET_UNIT_LABELS))


#: French names of the age bands of :func:`helpers.model.carbon.age_profile` (and of its undated column)
AGE_BAND_LABELS: dict[str, str] = {"0-2": "0-2 ans", "3-5": "3-5 ans", "6-8": "6-8 ans", "9+": "9 ans et +",
                                   carbon.UNDATED: "non daté"}


def age_profile(inventory: pd.DataFrame, categories: pd.DataFrame) -> pd.DataFrame:
    """:func:`helpers.model.carbon.age_profile` with each category's French name (``label_fr``) and the age bands
    named in French."""
    t = carbon.age_profile(inventory)
    return _with_label(t, category_labels(t["category"], categories)).rename(columns=AGE_BAND_LABELS)


#: French units of :func:`helpers.model.carbon.quantiles_table` that differ from the model's
QUANTILE_UNIT_LABELS: dict[str, str] = {"kgCO2e/inhabitant": "kgCO2e/habitant", "kgCO2e/workstation": "kgCO2e/poste"}


def quantiles_table(balance, agents: int, population: int, computers: float) -> pd.DataFrame:
    """:func:`helpers.model.carbon.quantiles_table` with its units written in French."""
    t = carbon.quantiles_table(balance, agents, population, computers)
    return t.assign(unit=[QUANTILE_UNIT_LABELS.get(u, u) for u in t["unit"]])


def equipment_phase_breakdown(mc, scale: float = 1 / 1000.0) -> pd.DataFrame:
    """:func:`helpers.model.carbon.equipment_phase_breakdown` with each row's French name (``label_fr``)."""
    t = carbon.equipment_phase_breakdown(mc, scale)
    apart = {"paper": "Papier (consommable, hors équipements)",
             "spend_based": "Achats de services et logiciels, ratio monétaire (hors phases)"}
    return _with_label(t, [PHASE_LABELS[p] if s == "equipment" else apart[s] for p, s in zip(t["phase"], t["scope"])])


def tier_breakdown_with_spend(mc, scale: float = 1 / 1000.0) -> pd.DataFrame:
    """:func:`helpers.model.carbon.tier_breakdown_with_spend` with each tier's French name (``label_fr``)."""
    t = carbon.tier_breakdown_with_spend(mc, scale)
    return _with_label(t, [TIER_LABELS.get(x, x) if x != carbon.SPEND_PHASE else SPEND_TIER_LABEL
                           for x in t["tier"]])


# --------------------------------------------------------------------------------------------------------------
# The inputs of the sensitivity ranking
# --------------------------------------------------------------------------------------------------------------

def _item_labels(categories: pd.DataFrame) -> dict[str, str]:
    """The French name of each factor item and category the sensitivity ranking can name (lower case after the
    first word of its label)."""
    from helpers.io.carbon_inputs import PURCHASE_CATEGORIES

    labels = dict(zip(categories["factor_item"], categories["label_fr"]))
    labels.update(dict(zip(categories["category"], categories["label_fr"])))
    labels.update({"electricity_fr": "électricité (France)", "electricity_eu": "électricité (Europe)",
                   "electricity_world": "électricité (monde)", carbon.PAPER_ITEM: "papier A4",
                   carbon.DATACENTRE_SUPPORT_ITEM: "bâtiment des salles", "network_fixed_fr": "réseau fixe (par Go)",
                   "network_mobile_fr": "réseau mobile (par Go)",
                   "network_fixed_subscription": "réseau fixe (par abonnement)"})
    labels.update({item: label.lower() for item, _tier, label in PURCHASE_CATEGORIES.values()})
    return labels


QUALITY_LABELS: dict[str, str] = {"high": "bonne", "medium": "moyenne", "low": "faible"}


def _factor_input_label(r, item_labels: dict[str, str]) -> str:
    """The French name of a factor or a group of factors of the ranking."""
    if r["kind"] == "factor_group":
        name = str(r["input_id"]).partition(":")[2]
        if name in GROUP_LABELS:
            return GROUP_LABELS[name]
        items = [m.split(":")[0] for m in str(r.get("members", "")).split("; ") if m]
        return "Facteurs liés (un tirage commun) : " + ", ".join(item_labels.get(i, i) for i in items)
    item, phase, _ = r["input_id"].split(":")
    if carbon.is_spend_item([item])[0]:
        return f"Ratio monétaire : {item_labels.get(item, item)}"
    return f"Facteur {PHASE_LABELS.get(phase, phase).lower()} : {item_labels.get(item, item)}"


def sensitivity_input_label(r, item_labels: dict[str, str], kind_labels: dict[str, str]) -> str:
    """The French name of one input of the sensitivity ranking (a row of
    :func:`helpers.model.carbon.sensitivity_ranking`): a factor, a group of factors, a lifetime, a PUE or a declared
    quantity with its data quality."""
    if r["kind"] in ("factor_group", "factor"):
        return _factor_input_label(r, item_labels)
    kind, _, key = r["input_id"].partition(":")
    if kind == "lifetime":
        return f"Durée de vie : {item_labels.get(key, key)}"
    if kind == "pue":
        return f"PUE : {kind_labels.get(key, key)}"
    quality, _, what = key.partition(":")
    if what.startswith("site_energy:"):
        what_fr = f"énergie mesurée du site {what.split(':', 1)[1]}"
    else:
        what_fr = item_labels.get(what, PSEUDO_CATEGORY_LABELS.get(what, what))
    return f"Quantité (qualité {QUALITY_LABELS.get(quality, quality)}) : {what_fr}"


def sensitivity_table(mc, categories: pd.DataFrame, hosting_kinds: pd.DataFrame | None = None,
                      scale: float = 1 / 1000.0) -> pd.DataFrame:
    """The sensitivity ranking (:func:`helpers.model.carbon.sensitivity_ranking`, totals × ``scale``, tCO2e by
    default) with the French name of each input (``label_fr``)."""
    s = carbon.sensitivity_ranking(mc, scale)
    if s.empty:
        return s
    items = _item_labels(categories)
    kinds = dict(zip(hosting_kinds["kind"], hosting_kinds["label_fr"])) if hosting_kinds is not None else {}
    return _with_label(s, s.apply(sensitivity_input_label, axis=1, args=(items, kinds)).to_numpy())


# --------------------------------------------------------------------------------------------------------------
# Published references and the collectivity's own published balance
# --------------------------------------------------------------------------------------------------------------

BENCHMARK_COLUMNS = ["id", "reference", "reference_value", "unit", "compared_scope", "reference_scope", "our_value",
                     "our_low", "our_high", "ratio", "our_scope", "reason_fr", "source", "year"]


def _benchmark_texts(case: str, scope: str, data: dict) -> tuple[str, str]:
    """``(our scope, reason of the difference)`` in French for a row of
    :func:`helpers.model.carbon.benchmark_rows`."""
    empty = {"value": float("nan")}
    if case == "manufacturing_share":
        return ("fabrication des équipements ÷ " + SCOPE_LABELS["equipment"],
                "Référence sur un autre périmètre (organisations, ou France entière avec les terminaux des ménages) ; "
                "la part dépend de l'électricité bas carbone française, des durées de vie et des heures d'usage des "
                "équipements de bureau.")
    if case == "services_share":
        return ("achats par ratio monétaire ÷ total", "Même méthode (ratio monétaire) ; la part suit les dépenses "
                "déclarées et le ratio ADEME, incertain (×/÷3).")
    if case == "terminals_share":
        return ("terminaux (postes, écrans, téléphones, imprimantes : fabrication et énergie) ÷ total",
                "Les équipements des utilisateurs comptent d'autant plus que le parc est grand par agent ; la part "
                "suit aussi le poids des achats de services, très incertain (ratio monétaire).")
    if case == "per_agent":
        per_agent = data.get("per_agent_by_scope_kgco2e") or {"total": data.get("per_agent_kgco2e")}
        return (f"par agent, {SCOPE_LABELS[scope]}", "Même périmètre, autres organisations (tous secteurs, jours "
                "travaillés, centres de données) : un ordre de grandeur. Total par agent, achats par ratio monétaire "
                f"compris : {fr_number((per_agent.get('total') or empty)['value'])} kgCO2e.")
    if case == "per_workstation":
        return (f"par poste de travail, {SCOPE_LABELS[scope]}",
                "Même périmètre ; rapporté aux ordinateurs et clients légers de l'inventaire.")
    if case == "other_total":
        return (SCOPE_LABELS[scope], "Total d'une autre collectivité, d'une autre taille : un ordre de grandeur, sans "
                "rapport ; seuls les chiffres par agent ou par poste se comparent d'une collectivité à l'autre.")
    total = (data.get("total_tco2e") or {}).get("value", float("nan"))
    return (SCOPE_LABELS[scope], "Même périmètre ; la référence ne détaille ni ses quantités ni ses facteurs. Total "
            f"de l'étude, tous périmètres : {fr_number(total)} tCO2e.")


def benchmark_comparison(benchmarks: pd.DataFrame, slug: str, data: dict) -> pd.DataFrame:
    """The study beside each published reference, on the reference's scope (:func:`helpers.model.carbon.benchmark_rows`),
    with the scope compared and the reason of the difference in French (``our_scope``, ``reason_fr``): the rows of
    ``carbon.benchmark_comparison`` in ``summary.json``. Columns :data:`BENCHMARK_COLUMNS`."""
    rows = carbon.benchmark_rows(benchmarks, slug, data)
    texts = [_benchmark_texts(c, s, data) for c, s in zip(rows["case"], rows["compared_scope"])]
    rows["our_scope"] = [t[0] for t in texts]
    rows["reason_fr"] = [t[1] for t in texts]
    return rows[BENCHMARK_COLUMNS]


SET_ASIDE_COLUMNS = ["id", "reference", "reference_value", "unit", "reference_scope", "perimeter_schools", "reason_fr",
                     "source", "year"]


def mismatch_reason_fr(reference_schools: str, study_schools: str) -> str:
    """Why a reference is left aside, in French: ``"établissements scolaires exclus dans la référence, compris dans
    cette étude"`` (values of :data:`helpers.model.perimeter.SCHOOLS_INCLUDED` / ``SCHOOLS_EXCLUDED``)."""
    where = {SCHOOLS_INCLUDED: "compris", SCHOOLS_EXCLUDED: "exclus"}
    return (f"établissements scolaires {where.get(reference_schools, reference_schools)} dans la référence, "
            f"{where.get(study_schools, study_schools)} dans cette étude")


def benchmark_set_aside(benchmarks: pd.DataFrame, slug: str, data: dict) -> pd.DataFrame:
    """:func:`helpers.model.carbon.benchmark_set_aside` with the reason in French (``reason_fr``): the rows of
    ``carbon.benchmark_set_aside`` in ``summary.json``. Columns :data:`SET_ASIDE_COLUMNS`."""
    rows = carbon.benchmark_set_aside(benchmarks, slug, data)
    ours = (data.get("perimeter") or {}).get("schools")
    rows["reason_fr"] = [mismatch_reason_fr(theirs, ours) for theirs in rows["perimeter_schools"]]
    return rows[SET_ASIDE_COLUMNS]


#: French names and units of the lines of :func:`helpers.model.carbon.published_lines`
PUBLISHED_LINE_LABELS: dict[str, str] = {
    "manufacturing": "Fabrication des équipements",
    "use": "Usage (électricité, abonnements, téléphonie)",
    "distribution_end_of_life": "Transport et fin de vie des équipements",
    "total": "Total sur le périmètre comparable",
    "manufacturing_share": "Part de la fabrication (base : équipements, sans papier ni achats)",
    "per_workstation": "Par poste de travail",
    "outside_scope": "Postes de l'étude hors du périmètre publié",
    "study_total": "Total de l'étude, tous périmètres",
}
PUBLISHED_UNIT_LABELS: dict[str, str] = {"tco2e_per_year": "tCO2e/an", "share": "part",
                                         "kgco2e_per_workstation_year": "kgCO2e/poste/an"}


def _tonnes(x: float) -> str:
    return f"{fr_number(x)}{chr(0x202f)}t"


def _use_reason(f: dict, data: dict) -> str:
    """The reason of the use line: the study's electricity and networks, then the possible causes of the gap."""
    elec = data.get("electricity_factor") or {}
    kwh, gap, net_t = f["kwh_per_year"], f["gap_tco2e"], f["networks_tco2e"]
    parts = [f"Usage de l'étude : électricité des équipements et des salles {_tonnes(f['electricity_tco2e'])} "
             f"({fr_number(kwh)} kWh à {fr_number(elec.get('value'), 4)} kgCO2e/kWh"
             + (f", millésime {elec['vintage_year']}" if elec.get("vintage_year") else "") + ") et réseaux "
             f"(abonnements fixes par ligne et par mois, mobile par Go, méthode transitoire de l'ADEME pour la "
             f"loi AGEC) {_tonnes(net_t)}."]
    if gap > 0 and kwh > 0:
        parts.append("Le bilan publié ne décrit pas sa méthode ; causes possibles de l'écart : (1) abonnements et "
                     "téléphonie comptés autrement, par exemple sur les factures par ratio monétaire — les "
                     f"réseaux seuls devraient peser {fr_number((net_t + gap) / net_t, 1) if net_t else 'n.d.'} "
                     "fois ceux de l'étude ; (2) facteur d'électricité — l'électricité seule demanderait "
                     f"{fr_number(f['needed_kgco2e_per_kwh'], 3)} kgCO2e/kWh, hors de la série ADEME 2020–2025 "
                     "(0,046 à 0,060) ; (3) périmètre plus large (voir le périmètre publié).")
    elif gap < 0:
        parts.append("L'étude compte davantage d'usage que le bilan publié : parc ou consommations supposés plus "
                     "élevés, ou postes que le bilan publié ne compte pas.")
    return " ".join(parts)


def _published_reason(r: dict, done: list[dict], data: dict, illustrative: bool) -> str:
    """The reason of the difference of line ``r`` of :func:`helpers.model.carbon.published_lines` in French
    (``done``: the lines before it, already in French)."""
    f, line = r["facts"], r["line"]
    if line == "manufacturing":
        quantities = "en partie supposées (jeu de données illustratif)" if illustrative else "celles de l'inventaire fourni"
        return (f"Quantités de l'étude {quantities}, facteurs ADEME–NegaOctet 2022 amortis sur la durée de vie ; "
                "le bilan publié ne donne ni ses quantités ni ses facteurs.")
    if line == "use":
        return _use_reason(f, data)
    if line == "distribution_end_of_life":
        return "Le bilan publié ne sépare pas ces phases : elles sont dans sa fabrication ou absentes."
    if line == "total":
        detail = " ; ".join(f"{d['label_fr'].split(' :')[0].lower()} {'+' if d['difference'] >= 0 else ''}"
                            f"{fr_number(d['difference'])} t" for d in done if d["difference"] is not None)
        return (f"Même périmètre que le bilan publié : {SCOPE_LABELS[f['scope']]}"
                + (f" ; l'écart se décompose ainsi : {detail}." if detail else "."))
    if line == "manufacturing_share":
        return "Même base ; la part de fabrication de l'étude est plus " + (
            "élevée parce que son usage est plus faible (ligne « usage »)." if r["study"] > r["published"]
            else "basse parce que son usage est plus élevé (ligne « usage »).")
    if line == "per_workstation":
        return (f"Publié rapporté aux {fr_number(f['workstations'])} postes publiés ; étude rapportée à ses "
                f"{fr_number(f['computers'])} ordinateurs et clients légers.")
    if line == "outside_scope":
        return (f"Papier {_tonnes(f['paper_tco2e'])} et achats de services et logiciels par ratio monétaire "
                f"{_tonnes(f['spend_based_tco2e'])} : le bilan publié ne les compte pas.")
    return "Ce total ajoute des postes que le bilan publié ne compte pas : " + (
        "sa proximité avec le chiffre publié est une coïncidence, pas une validation." if f["coincidence"]
        else "il ne se compare pas au chiffre publié.")


def published_comparison(published: dict, mc, data: dict, computers: float, illustrative: bool = False
                         ) -> list[dict]:
    """The collectivity's own published balance beside the study, line by line
    (:func:`helpers.model.carbon.published_lines`), each line with its French name and the reason of the difference
    (``carbon.published.comparison`` of ``summary.json``): ``line, label_fr, unit, published, study, study_low,
    study_high, difference, reason_fr``. The reasons state what would have to differ for the gap to close; nothing
    is tuned to meet the published figure. ``illustrative``: the territory's quantities are partly assumed."""
    out: list[dict] = []
    for r in carbon.published_lines(published, mc, data, computers):
        out.append({"line": r["line"], "label_fr": PUBLISHED_LINE_LABELS[r["line"]],
                    "unit": PUBLISHED_UNIT_LABELS[r["unit"]], "published": r["published"], "study": r["study"],
                    "study_low": r["study_low"], "study_high": r["study_high"], "difference": r["difference"],
                    "reason_fr": _published_reason(r, out, data, illustrative)})
    return out


# --------------------------------------------------------------------------------------------------------------
# French fields of summary_carbon.json
# --------------------------------------------------------------------------------------------------------------

#: Added to the basis of the inhabitants' footprint when the territory's local files split it by actor
BY_ACTOR_BASIS = " ; réparti par acteur avec les données locales du territoire (territory.by_actor)"


def territory_footprint(population: int, national: pd.DataFrame, own_total_tco2e: float,
                        actors_total: dict | None = None) -> dict:
    """:func:`helpers.model.carbon.territory_footprint` as published: ``unit`` ``tCO2e/an`` and a ``basis`` that
    says when the territory's local files split it by actor."""
    return footprint_fr(carbon.territory_footprint(population, national, own_total_tco2e, actors_total))


def footprint_fr(footprint: dict) -> dict:
    """A territory footprint of the model (with ``by_actor``) as published: ``unit`` ``tCO2e/an``, the basis saying
    when the local files split it by actor, ``by_actor`` left out."""
    out = {k: v for k, v in footprint.items() if k != "by_actor"}
    out["unit"] = "tCO2e/an"
    out["basis"] = footprint["basis"] + (BY_ACTOR_BASIS if footprint["by_actor"] else "")
    return out


#: ``carbon.lifetime_profile.basis`` of ``summary.json``
LIFETIME_PROFILE_BASIS = ("durées de vie professionnelles par défaut ; sensibilité : profil des ménages de l'ADEME "
                          "(acv-terminaux) pour les catégories qui en ont un")


def lifetime_profile(sensitivity: dict | None) -> dict | None:
    """:func:`helpers.model.carbon.household_lifetime_sensitivity` with its basis in French (None stays None)."""
    return None if sensitivity is None else {**sensitivity, "basis": LIFETIME_PROFILE_BASIS}


def summary_texts(data: dict, top_level: dict) -> tuple[dict, dict]:
    """The numbers of :func:`helpers.model.carbon.summary` with the French fields of ``summary_carbon.json``:
    ``scope_note``, ``scope_labels`` and the published form of ``territory_footprint_tco2e`` (:func:`footprint_fr`)."""
    data = {**data, "scope_note": SCOPE_NOTE, "scope_labels": dict(SCOPE_LABELS)}
    return data, {**top_level, "territory_footprint_tco2e": footprint_fr(top_level["territory_footprint_tco2e"])}
