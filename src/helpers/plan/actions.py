"""Action plan: catalogue, territory selection, gains by rerunning the models, prioritisation, roadmap, indicators.

- :func:`load_catalogue` reads ``data/raw/reference/actions_catalogue.csv`` (each action bound to a lever of
  :mod:`helpers.model.levers`, with default parameter, costs, effort, indicator and sources) and checks it.
- :func:`read_actions` reads the territory's optional ``data/raw/<slug>/actions.csv`` (selection, start year,
  parameter and cost overrides) and reports every problem with its line and column.
- :func:`evaluate` computes the gain of every action by **rerunning** the carbon balance (:mod:`helpers.model.carbon`)
  and the services LCA (:mod:`helpers.model.services`) on the inputs with the lever applied, with the same seed: the
  Monte Carlo draws of every factor and parameter are the same in both runs (keyed draws), so the gain's interval
  comes from the paired differences. The plan's total is computed on the combined scenario (all selected levers
  applied together), so overlaps are never double counted.
- :func:`prioritise` ranks the actions (documented score: gain, cost per tCO2e, effort, maturity gaps).
- :func:`roadmap` schedules them (linear ramp-up) and :func:`run_study` assembles what notebook 05 shows, with the
  trajectory of :mod:`helpers.model.trajectory`.
- Numbers only: the French text, display tables and figures of notebook 05 are in :mod:`helpers.report.actions`.

Perimeters. The *balance* perimeter is the collectivity's own annualised footprint (notebook 02): this is the
footprint the trajectory and the carbon budget follow. The *services* perimeter is the LCA of the key services
(notebook 03), which includes the users' devices and networks. Each lever acts on one of them (``mobile_to_fixed``
on both: agents' lines and users' networks), so an action's total gain (balance + services) does not count the same
emissions twice; the two parts are always shown separately as well.

Costs. Annualised cost = investment ÷ lifetime of the action + yearly cost − money saved per year (straight line,
no discounting: the horizon is short and the cost figures are orders of magnitude). The money saved is computed from
the same rerun: equipment renewals avoided (quantity ÷ lifetime × unit price), electricity, paper and spend
(:func:`yearly_cost_eur`, prices read from ``data/raw/reference/unit_prices.csv`` by :func:`load_unit_prices`). Cost per tCO2e = annualised cost ÷
total gain (tCO2e/year).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.io import bounds as B
from helpers.io import services_inputs as si
from helpers.io.errors import InputError, InputProblem, display_path
from helpers.io.lever_units import LEVER_UNITS_FR
from helpers.io.paths import REFERENCE_DIR
from helpers.io.prices import PRICE_PARAMETERS, UNIT_PRICE_COLUMNS, load_unit_prices  # noqa: F401 (re-exported)
from helpers.io.services_inputs import VIDEO_QUALITIES
from helpers.io.tables import Column, Schema, plain, provided, read_table, take_report
from helpers.model import levers as lv
from helpers.model import trajectory as tj
from helpers.plan import budget as bg

CATALOGUE_PATH = REFERENCE_DIR / "actions_catalogue.csv"
MATURITY_AXES_PATH = REFERENCE_DIR / "maturity_axes.csv"

#: maturity axes used until ``maturity_axes.csv`` exists (ids of the maturity module)
FALLBACK_AXES: tuple[str, ...] = (
    "strategy_governance", "measurement_steering", "responsible_purchasing", "equipment_lifecycle",
    "ecodesign_services", "awareness_training", "inclusion_accessibility", "territorial_levers",
)
AXIS_LABELS_FR: dict[str, str] = {
    "strategy_governance": "Stratégie et gouvernance", "measurement_steering": "Mesure et pilotage",
    "responsible_purchasing": "Achats responsables", "equipment_lifecycle": "Cycle de vie des équipements",
    "ecodesign_services": "Écoconception des services", "awareness_training": "Sensibilisation et formation",
    "inclusion_accessibility": "Inclusion et accessibilité", "territorial_levers": "Leviers territoriaux",
}
COST_SCALINGS: tuple[str, ...] = ("fixed", "per_1000_agents", "per_device")
STATUSES: tuple[str, ...] = ("sourced", "assumption")

#: French value of climate action for 2030 (valeur tutélaire du carbone), €/tCO2e: Quinet commission, France
#: Stratégie (Feb. 2019), https://strategie.gouv.fr/actualites/de-laction-climat-cest-quoi — reference line of the MACC
#: and the half-point of the cost score.
CARBON_VALUE_EUR_PER_TCO2E = 250.0

#: Discount rate of the annualised investment (real, per year): risk-free 1.2 % + beta × risk premium 2 % with the
#: conventional beta of 1, i.e. 3.2 %. France Stratégie, Guide de l'évaluation socioéconomique des investissements
#: publics, complément opérationnel I « Révision du taux d'actualisation » (J. Ni, J. Maurice; validated by the
#: committee of experts on 21 October 2021); the formula « Taux d'actualisation = 1,2 % + ß x 2 % » and the 3.2 %
#: example are quoted by France Stratégie, « Taux d'actualisation : un bêta sensible »,
#: https://strategie.gouv.fr/infographies/taux-dactualisation-un-beta-sensible . A parameter (``discount_rate`` of
#: notebook 05); 0 gives the former straight-line annualisation.
DISCOUNT_RATE = 0.032

#: weights of the priority score (documented choice; they sum to 1)
SCORE_WEIGHTS: dict[str, float] = {"gain": 0.40, "cost": 0.25, "effort": 0.15, "maturity": 0.20}

_UNIT_PRICES = load_unit_prices()
_PRICE = dict(zip(_UNIT_PRICES["item"], _UNIT_PRICES["value_eur"]))
#: Unit prices excl. VAT of new equipment (EUR), from ``unit_prices.csv`` (see its ``source`` and ``status``
#: columns: study assumptions where no public catalogue price was found), used only for the money saved; replace
#: them with the collectivity's own prices.
UNIT_PRICES_EUR: dict[str, float] = {k: v for k, v in _PRICE.items() if k not in PRICE_PARAMETERS}
RECONDITIONED_DISCOUNT: float = _PRICE["reconditioned_discount"]  # fraction of the new price (unit_prices.csv)
ELECTRICITY_PRICE_EUR_PER_KWH: float = _PRICE["electricity"]  # EUR/kWh excl. VAT (unit_prices.csv)
PAPER_PRICE_EUR_PER_REAM: float = _PRICE["paper_ream"]  # EUR per A4 80 g ream excl. VAT (unit_prices.csv)

# ----------------------------------------------------------------------------------------------------------------
# Catalogue
# ----------------------------------------------------------------------------------------------------------------

CATALOGUE_SCHEMA = Schema(
    file="actions_catalogue.csv",
    description="Catalogue of reduction actions: each bound to a lever with a default parameter, costs, effort, "
                "a monitoring indicator and sources.",
    unique=("action_id",),
    columns=(
        Column("action_id", "str", required=True, description="unique id", example="A01"),
        Column("title_fr", "str", required=True, description="short French title"),
        Column("description_fr", "str", required=True, description="what is done, in French"),
        Column("axes", "str", required=True, description="maturity axis ids, separated by ';'"),
        Column("lever", "str", required=True, allowed=tuple(lv.LEVERS), description="lever id (helpers.model.levers)"),
        Column("lever_target", "str", description="categories, sites, service ids or quality, separated by ';'"),
        Column("param_value", "float", min=0, max=B.MAX_LEVER_PARAMETER, description="default parameter of the lever (years, share, ratio, PUE)"),
        Column("cost_investment_eur", "float", min=0, max=B.MAX_EUR, unit="EUR", default=0.0, description="one-off investment"),
        Column("cost_yearly_eur", "float", min=0, max=B.MAX_EUR_PER_YEAR, unit="EUR/year", default=0.0, description="yearly running cost"),
        Column("cost_scaling", "str", allowed=COST_SCALINGS, default="fixed",
               description="costs are fixed, per 1000 agents, or per device of the target categories"),
        Column("action_lifetime_years", "float", min=1, max=30, default=5.0, unit="years",
               description="years over which the investment is annualised"),
        Column("effort", "int", required=True, min=1, max=3, description="1 easy, 2 medium, 3 hard"),
        Column("time_to_implement_months", "float", required=True, min=0, max=120, unit="months",
               description="months from the start to full implementation (linear ramp)"),
        Column("co_benefits_fr", "str", description="co-benefits, in French"),
        Column("indicator_fr", "str", required=True, description="monitoring indicator and how to measure it"),
        Column("indicator_target_fr", "str", description="target of the indicator when the lever has no model"),
        Column("source", "str", required=True, description="source of the default parameter"),
        Column("status", "str", required=True, allowed=STATUSES, description="sourced or assumption"),
        Column("cost_source", "str", description="source of the costs"),
        Column("owner_fr", "str", default="", description="default owner of the action (service or role), French"),
        Column("staff_days", "float", min=0, max=10_000, default=0.0, unit="days",
               description="staff time to put the action in place (agent-days over the ramp-up)"),
        Column("means_source", "str", default="", description="source of owner_fr and staff_days, or 'hypothèse'"),
        Column("staff_days_per_year", "float", min=0, max=10_000, default=0.0, unit="days/year",
               description="recurring staff time once the action runs (governance, yearly measurement, training), "
                           "agent-days per year from its start"),
    ),
)


def known_axes(path: str | Path | None = None) -> list[str]:
    """Maturity axis ids: ``maturity_axes.csv`` (column ``axis_id``, ``axis`` or ``id``) if it exists, else
    :data:`FALLBACK_AXES`."""
    path = Path(path) if path else MATURITY_AXES_PATH
    if path.exists():
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        for col in ("axis_id", "axis", "id"):
            if col in df:
                return [a for a in df[col].tolist() if a]
    return list(FALLBACK_AXES)


def axis_labels(path: str | Path | None = None) -> dict[str, str]:
    """French labels of the axes (``label_fr`` of ``maturity_axes.csv`` if present)."""
    labels = dict(AXIS_LABELS_FR)
    path = Path(path) if path else MATURITY_AXES_PATH
    if path.exists():
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        key = next((c for c in ("axis_id", "axis", "id") if c in df), None)
        lab = next((c for c in ("label_fr", "name_fr", "title_fr", "label") if c in df), None)
        if key and lab:
            labels.update(dict(zip(df[key], df[lab])))
    return labels


def _target_problems(file, line, column, lever: str, targets: list[str], categories: list[str] | None
                     ) -> list[InputProblem]:
    spec = lv.LEVERS[lever]
    problems = []
    if spec.target_kind == "categories":
        if not targets:
            problems.append(InputProblem(file, line, column, "", f"les catégories d'équipement sur lesquelles agit le levier "
                                                                 f"'{lever}' (par ex. 'laptop;desktop')"))
        elif categories is not None:
            for t in targets:
                if t not in categories:
                    close = difflib.get_close_matches(t, categories, n=2)
                    hint = f" (les plus proches : {', '.join(close)})" if close else ""
                    problems.append(InputProblem(file, line, column, t, f"une catégorie de categories.csv{hint}"))
    elif spec.target_kind == "purchase_categories":
        for t in targets:
            if t not in lv.PURCHASE_CATEGORIES:
                problems.append(InputProblem(file, line, column, t, f"une valeur parmi {list(lv.PURCHASE_CATEGORIES)}"))
    elif spec.target_kind == "quality":
        for t in targets:
            if t not in VIDEO_QUALITIES:
                problems.append(InputProblem(file, line, column, t, f"une valeur parmi {list(VIDEO_QUALITIES)}"))
    return problems


def _param_problem(file, line, column, lever: str, value) -> InputProblem | None:
    spec = lv.LEVERS[lever]
    if value is None or (isinstance(value, float) and np.isnan(value)):
        if spec.parameter and spec.min is not None:
            return InputProblem(file, line, column, "", f"une valeur pour le levier '{lever}' ({LEVER_UNITS_FR[lever]})")
        return None
    if spec.min is not None and value < spec.min or spec.max is not None and value > spec.max:
        return InputProblem(file, line, column, value,
                            f"une valeur entre {spec.min:g} et {spec.max:g} pour le levier '{lever}' ({LEVER_UNITS_FR[lever]})")
    return None


def load_catalogue(path: str | Path | None = None, axes: list[str] | None = None,
                   categories: list[str] | None = None) -> pd.DataFrame:
    """Read and check the action catalogue.

    Checks (all reported at once): lever known, every axis known (:func:`known_axes`), default parameter within the
    lever's bounds, targets valid for the lever (categories of ``categories.csv``, purchase categories, quality).

    Returns
    -------
    DataFrame with the schema's columns plus ``_line``, ``axes_list`` and ``targets`` (lists).
    """
    path = Path(path) if path else CATALOGUE_PATH
    file = display_path(path)
    df = read_table(path, CATALOGUE_SCHEMA)
    axes = known_axes() if axes is None else list(axes)
    if categories is None:
        from helpers.io.factors import load_categories

        categories = list(load_categories()["category"])
    problems: list[InputProblem] = []
    df["axes_list"] = df["axes"].map(lv.parse_target)
    df["targets"] = df["lever_target"].map(lv.parse_target)
    for line, r in zip(df["_line"].astype(int), df.itertuples(index=False)):  # one step per action (tens)
        for a in r.axes_list:
            if a not in axes:
                close = difflib.get_close_matches(a, axes, n=1)
                hint = f" (vouliez-vous dire '{close[0]}' ?)" if close else ""
                problems.append(InputProblem(file, line, "axes", a, f"un axe de maturité parmi {axes}{hint}"))
        if not r.axes_list:
            problems.append(InputProblem(file, line, "axes", "", "au moins un axe de maturité"))
        p = _param_problem(file, line, "param_value", r.lever, r.param_value)
        if p:
            problems.append(p)
        problems += _target_problems(file, line, "lever_target", r.lever, r.targets, categories)
    if problems:
        raise InputError(problems)
    return plain(df.reset_index(drop=True))


# ----------------------------------------------------------------------------------------------------------------
# Territory selection: actions.csv
# ----------------------------------------------------------------------------------------------------------------

ACTIONS_SCHEMA = Schema(
    file="actions.csv",
    description=(
        "Optional selection of catalogue actions for the territory (data/raw/reference/actions_catalogue.csv) and "
        "overrides of their parameters. A catalogue action that is not listed keeps its defaults and is in the "
        "plan; write selected = no to leave it out. Every action is evaluated either way (gains, costs) so the "
        "diagnostic can compare them."
    ),
    unique=("action_id",),
    columns=(
        Column("action_id", "str", required=True, synonyms=("action", "id"),
               description="id of a catalogue action", example="A01",
               label_fr="l'identifiant d'une action du catalogue"),
        Column("selected", "bool", default=True, synonyms=("retenue", "selection"),
               description="yes if the action is in the plan", example="yes"),
        Column("start_year", "year", min=2000, max=2100, synonyms=("annee de debut", "debut"),
               description="first year of implementation (default: reference year + effort)", example=2024),
        Column("param_value", "float", min=0, max=B.MAX_LEVER_PARAMETER, synonyms=("parametre", "valeur"),
               description="override of the lever's parameter (years, share 0-1, ratio, PUE)", example=""),
        Column("target", "str", synonyms=("cible", "lever_target"),
               description="override of the lever's target (categories, sites or 'from>to' merges, service ids)",
               example=""),
        Column("cost_investment_eur", "float", min=0, max=B.MAX_EUR, unit="EUR", description="override: total investment",
               example=""),
        Column("cost_yearly_eur", "float", min=0, max=B.MAX_EUR_PER_YEAR, unit="EUR/year", description="override: total yearly cost",
               example=""),
        Column("time_to_implement_months", "float", min=0, max=120, unit="months",
               description="override: months to full implementation", example=""),
        Column("owner", "str", synonyms=("porteur", "responsable"),
               description="override: owner of the action (service or role)", example=""),
        Column("staff_days", "float", min=0, max=10_000, unit="days", synonyms=("jours agent", "jours"),
               description="override: agent-days to put the action in place", example=""),
        Column("status", "str", synonyms=("statut", "etat", "avancement"),
               description="follow-up: prévue, en cours, réalisée or abandonnée (empty: prévue)", example=""),
        Column("status_year", "year", min=2000, max=2100, synonyms=("annee du statut", "annee de realisation"),
               description="follow-up: the year the status was reached", example=""),
        Column("measured_value", "float", min=-B.MAX_INDICATOR_VALUE, max=B.MAX_INDICATOR_VALUE,
               synonyms=("valeur mesuree", "mesure"),
               description="follow-up: the value of the action's indicator measured by the collectivity", example=""),
        Column("comment", "str", synonyms=("commentaire",), description="free text: decision, source", example=""),
    ),
)


def read_actions(path, catalogue: pd.DataFrame, territory=None, categories: list[str] | None = None,
                 site_ids: list[str] | None = None, service_ids: list[str] | None = None) -> pd.DataFrame:
    """Read and validate the territory's ``actions.csv``.

    Parameters
    ----------
    path : the file
    catalogue : :func:`load_catalogue` output
    territory : :class:`helpers.io.territory.Territory`; start years must lie from its reference year to its target
        year (without it: 2000–2100)
    categories, site_ids, service_ids : known ids to check ``target`` overrides (unchecked when None)

    Raises
    ------
    InputError
        every problem with file, line, column, value and what was expected: unknown action id (with the closest
        ids), start year outside the reference–target years, parameter outside the lever's bounds, unknown target,
        duplicate action ids, bad numbers.
    """
    file = display_path(path)
    problems: list[InputProblem] = []
    df = read_table(path, ACTIONS_SCHEMA, problems_out=problems)
    problems += list(df.attrs.get("warnings", []))
    known = list(catalogue["action_id"])
    lever_of = dict(zip(catalogue["action_id"], catalogue["lever"]))
    for idx, r in enumerate(df.itertuples(index=False)):  # one step per line (tens)
        line = int(df["_line"].iat[idx])
        if r.action_id is None:
            continue
        if r.action_id not in lever_of:
            close = difflib.get_close_matches(str(r.action_id), known, n=2)
            hint = f" (les plus proches : {', '.join(close)})" if close else ""
            problems.append(InputProblem(file, line, "action_id", r.action_id,
                                         f"un action_id de data/raw/reference/actions_catalogue.csv{hint}"))
            continue
        lever = lever_of[r.action_id]
        if not np.isnan(r.param_value):
            p = _param_problem(file, line, "param_value", lever, r.param_value)
            if p:
                problems.append(p)
            elif not lv.LEVERS[lever].parameter or lv.LEVERS[lever].min is None:
                problems.append(InputProblem(file, line, "param_value", r.param_value,
                                             f"aucune valeur : le levier '{lever}' de {r.action_id} ne prend pas de paramètre",
                                             severity="warning"))
        targets = lv.parse_target(r.target)
        if targets:
            kind = lv.LEVERS[lever].target_kind
            problems += _target_problems(file, line, "target", lever, targets, categories)
            if kind == "sites" and site_ids is not None:
                for t in targets:
                    for s in t.split(">"):
                        if s.strip() not in site_ids:
                            problems.append(InputProblem(file, line, "target", s.strip(),
                                                         f"un site_id de hosting.csv {sorted(site_ids)}"))
            if kind == "services" and service_ids is not None:
                for t in targets:
                    if t not in service_ids:
                        problems.append(InputProblem(file, line, "target", t,
                                                     f"un service_id de services.csv {sorted(service_ids)}"))
            if kind == "none":
                problems.append(InputProblem(file, line, "target", r.target,
                                             f"aucune cible : le levier '{lever}' n'en prend pas", severity="warning"))
    if "status" in df:
        from helpers.plan.follow_up import status_code

        for idx in np.flatnonzero(df["status"].notna().to_numpy()):
            if status_code(df["status"].iat[idx]) is None:
                problems.append(InputProblem(file, int(df["_line"].iat[idx]), "status", df["status"].iat[idx],
                                             "prévue, en cours, réalisée ou abandonnée (ou vide)"))
    if territory is not None:
        lo, hi = int(territory.reference_year), int(territory.target_year)
        bad = df["start_year"].notna() & ((df["start_year"] < lo) | (df["start_year"] > hi))
        for idx in np.flatnonzero(bad.to_numpy()):
            problems.append(InputProblem(file, int(df["_line"].iat[idx]), "start_year", int(df["start_year"].iat[idx]),
                                         f"une année entre l'année de référence {lo} et l'année cible {hi}"))
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    df.attrs["warnings"] = [p for p in problems if p.severity != "error"]
    return df.reset_index(drop=True)


def decision_year(reference_year: int, plan_start_year: int | None = None) -> tuple[int, str]:
    """The plan's decision year and where it comes from: ``plan_start_year`` of ``territory.yaml`` (``territory``),
    else the year after the reference year of the inputs (``default``; the diagnostic asks to set it). Never the
    clock: a rerun gives the same plan whatever day it runs. The years between the reference year and the decision
    year are business as usual."""
    if plan_start_year is not None:
        return int(plan_start_year), "territory"
    return int(reference_year) + 1, "default"


def default_start_year(decision: int, effort) -> np.ndarray:
    """Default start of an action: the decision year for easy actions, one more year per level of effort
    (``decision + effort − 1``). A documented scheduling rule, to be replaced by the territory's decisions."""
    return int(decision) + np.asarray(effort, dtype=int) - 1


#: what an action's decision is (``decision`` column of the plan, ``decision`` of summary.json's actions)
DECISIONS: tuple[str, ...] = ("adopted", "proposed", "complementary", "rejected", "not_applicable")
#: plan status: ``proposed`` (no actions.csv: every applicable action is proposed to the council) or ``adopted``
#: (actions.csv lists the actions the collectivity decided)
PLAN_STATUSES: tuple[str, ...] = ("proposed", "adopted")

#: services types each services lever acts on (``services.csv`` column ``type``)
_SERVICE_TYPES: dict[str, tuple[str, ...]] = {
    "storage_purge": ("storage",), "visio_audio_only": ("visio",), "page_weight": ("website", "portal"),
    "lazy_loading": ("website", "portal"), "video_quality": ("visio", "streaming"),
}


def _positive(df: pd.DataFrame | None, column: str, mask=None) -> bool:
    if df is None or not len(df) or column not in df:
        return False
    values = pd.to_numeric(df[column], errors="coerce").fillna(0.0)
    if mask is not None:
        values = values[np.asarray(mask, dtype=bool)]
    return bool((values > 0).any())


def applicability(plan: pd.DataFrame, inputs: lv.PlanInputs, hosting_kinds: pd.DataFrame | None = None
                  ) -> pd.DataFrame:
    """Whether each action of ``plan`` applies to the territory's inputs, and why not.

    An action is *sans objet* (not applicable) when what its lever changes is absent or zero in the inputs: no
    device of its target categories in the inventory (e.g. screens, servers, IP phones), no screen or no computer
    for the screens-per-workstation ratio, no ``printing.csv``, no hosting site it could improve (the
    collectivity's own rooms, or the sites it names), no spend of its purchase categories, no mobile data
    (``telecom.csv``) and no services for the move to Wi-Fi, no service of the type a services lever acts on. An
    action with no computed carbon gain (governance, training, inclusion: lever ``none``) always applies, as does
    the fleet stabilisation of a non-empty inventory.

    Returns
    -------
    DataFrame ``action_id, applicable, applicability_note`` (French reason when not applicable, else "").
    """
    from helpers.model.carbon import COMPUTER_CATEGORIES, SCREEN_CATEGORIES

    inv = inputs.inventory
    qty = pd.to_numeric(inv["quantity"], errors="coerce").fillna(0.0).groupby(inv["category"].astype(str)).sum()

    def devices(cats) -> float:
        return float(qty.reindex(list(cats)).fillna(0.0).sum())

    services = inputs.services
    types = (set(services["type"].astype(str)) if services is not None and len(services) and "type" in services
             else set())
    out = []
    for r in plan.itertuples(index=False):  # one step per catalogue action (tens)
        lever, targets = r.lever, list(r.targets)
        note = ""
        if lever in ("lifetime_extension", "reconditioned_share", "fleet_reduction", "power_management"):
            if devices(targets) <= 0:
                note = "aucun équipement visé dans l'inventaire (" + ", ".join(targets) + ")"
        elif lever == "screens_per_workstation":
            if devices(SCREEN_CATEGORIES) <= 0 or devices(COMPUTER_CATEGORIES) <= 0:
                note = "pas d'écrans ou pas d'ordinateurs dans l'inventaire"
        elif lever == "printing_reduction":
            p = inputs.printing
            if not (_positive(p, "reams") or _positive(p, "reams_per_year") or _positive(p, "pages_per_year")):
                note = "pas de consommation de papier (printing.csv)"
        elif lever == "hosting_consolidation":
            h = inputs.hosting
            if h is None or not len(h):
                note = "pas de salle ni de site d'hébergement (hosting.csv)"
            else:
                named = {t.split(">", 1)[0].strip() for t in targets}
                chosen = h["site_id"].astype(str).isin(named) if named else h["kind"].isin(lv.OWN_SITE_KINDS)
                if not chosen.any():
                    note = ("aucun des sites visés dans hosting.csv" if named
                            else "pas de salle serveur de la collectivité dans hosting.csv")
        elif lever in ("software_spend", "supplier_intensity"):
            pur = inputs.purchases
            cats = targets or (["software"] if lever == "software_spend" else ["services"])
            if pur is None or not len(pur) or not _positive(pur, "amount_eur", pur["category"].isin(cats)):
                note = "pas de dépense " + ", ".join(cats) + " dans purchases.csv"
        elif lever == "mobile_to_fixed":
            if not _positive(inputs.telecom, "mobile_data_gb_per_year") and not types:
                note = "pas de données mobiles (telecom.csv) ni de services (services.csv)"
        elif lever in _SERVICE_TYPES:
            wanted = _SERVICE_TYPES[lever]
            if services is None or not len(services):
                note = "pas de services numériques décrits (services.csv)"
            elif not types & set(wanted) or (lever != "video_quality" and targets and not set(
                    services.loc[services["type"].isin(wanted), "service_id"].astype(str)) & set(targets)):
                note = "aucun service du type visé dans services.csv (" + ", ".join(wanted) + ")"
        elif lever == "fleet_stabilisation":
            if devices(qty.index) <= 0:
                note = "inventaire vide"
        out.append({"action_id": r.action_id, "applicable": note == "", "applicability_note": note})
    return pd.DataFrame(out, columns=["action_id", "applicable", "applicability_note"])


def build_plan(catalogue: pd.DataFrame, selection: pd.DataFrame | None, territory,
               inventory: pd.DataFrame | None = None, applicable: pd.DataFrame | None = None,
               decision: int | None = None) -> pd.DataFrame:
    """Every catalogue action with the territory's choices applied: ``decision``, ``selected``, ``start_year``,
    effective parameter, targets and costs (scaled to the territory: ``per_1000_agents`` × agents ÷ 1000,
    ``per_device`` × devices of the target categories).

    The plan is **proposed** when the territory gives no ``actions.csv`` (``selection`` None or empty): every
    applicable action (``applicable``, from :func:`applicability`; all when None) is proposed and in the plan's
    total, the others are ``not_applicable``. It is **adopted** when ``actions.csv`` lists actions: those marked
    selected are ``adopted`` (in the total), those marked not selected ``rejected``, the applicable ones it does
    not list ``complementary`` (proposed to the council, outside the adopted total), the others
    ``not_applicable``. Start years default to :func:`default_start_year` from the decision year (``decision``,
    default :func:`decision_year`); a start year of ``actions.csv`` before the decision year is moved to it
    (``start_moved`` is True and the plan's notes say so).

    Returns
    -------
    DataFrame: catalogue columns plus ``decision, selected, applicable, applicability_note, start_year,
    start_moved, param, targets, investment_eur, yearly_eur, months, origin`` (``catalogue`` or ``actions.csv``),
    ``owner``, ``staff_days``, ``staff_days_per_year``.
    """
    plan = catalogue.copy()
    if decision is None:
        decision = decision_year(territory.reference_year, getattr(territory, "plan_start_year", None))[0]
    if applicable is None:
        plan["applicable"] = True
        plan["applicability_note"] = ""
    else:
        a = applicable.set_index("action_id")
        plan["applicable"] = plan["action_id"].map(a["applicable"]).fillna(True).astype(bool)
        plan["applicability_note"] = plan["action_id"].map(a["applicability_note"]).fillna("").astype(str)
    adopted = selection is not None and len(selection) > 0
    plan["selected"] = False if adopted else plan["applicable"]
    plan["decision"] = np.where(plan["applicable"], "complementary" if adopted else "proposed", "not_applicable")
    plan["start_year"] = default_start_year(decision, plan["effort"])
    plan["start_moved"] = False
    plan["param"] = plan["param_value"].astype(float)
    plan["months"] = plan["time_to_implement_months"].astype(float)
    plan["origin"] = "catalogue"
    plan["owner"] = plan["owner_fr"].fillna("").astype(str) if "owner_fr" in plan else ""
    plan["staff_days"] = plan["staff_days"].astype(float) if "staff_days" in plan else 0.0
    plan["staff_days_per_year"] = (plan["staff_days_per_year"].astype(float).fillna(0.0)
                                   if "staff_days_per_year" in plan else 0.0)
    inv_q = (inventory.groupby("category")["quantity"].sum() if inventory is not None else pd.Series(dtype=float))
    devices = plan["targets"].map(lambda t: float(inv_q.reindex(t).fillna(0).sum()) if t else 0.0)
    scale = np.select([plan["cost_scaling"].eq("per_1000_agents"), plan["cost_scaling"].eq("per_device")],
                      [territory.agents / 1000.0, devices], default=1.0)
    plan["investment_eur"] = plan["cost_investment_eur"].astype(float) * scale
    plan["yearly_eur"] = plan["cost_yearly_eur"].astype(float) * scale
    if adopted:
        sel = selection.set_index("action_id")
        idx = plan["action_id"].map(lambda a: a in sel.index).to_numpy()
        s = sel.reindex(plan.loc[idx, "action_id"])
        chosen = s["selected"].astype(bool).to_numpy()
        plan.loc[idx, "selected"] = chosen
        plan.loc[idx, "decision"] = np.where(chosen, "adopted", "rejected")
        plan.loc[idx, "origin"] = "actions.csv"
        for col, src in (("start_year", "start_year"), ("param", "param_value"), ("investment_eur", "cost_investment_eur"),
                         ("yearly_eur", "cost_yearly_eur"), ("months", "time_to_implement_months")):
            given = s[src].to_numpy(dtype=float)
            cur = plan.loc[idx, col].to_numpy(dtype=float)
            plan.loc[idx, col] = np.where(np.isnan(given), cur, given)
        if "staff_days" in s:
            given = s["staff_days"].to_numpy(dtype=float)
            plan.loc[idx, "staff_days"] = np.where(np.isnan(given), plan.loc[idx, "staff_days"].to_numpy(dtype=float),
                                                   given)
        if "owner" in s:
            given_owner = s["owner"].fillna("").astype(str).str.strip().to_numpy()
            plan.loc[idx, "owner"] = np.where(given_owner != "", given_owner, plan.loc[idx, "owner"].to_numpy())
        tgt = s["target"].map(lv.parse_target).tolist()
        plan.loc[idx, "targets"] = pd.Series([t if t else old for t, old in zip(tgt, plan.loc[idx, "targets"])],
                                             index=plan.index[idx], dtype=object)
    early = plan["start_year"].astype(float) < decision
    plan["start_moved"] = early.to_numpy() & plan["origin"].eq("actions.csv").to_numpy()
    plan.loc[early, "start_year"] = decision
    plan["start_year"] = plan["start_year"].astype(int)
    plan["selected"] = plan["selected"].astype(bool)
    plan["applicable"] = plan["applicable"].astype(bool)
    return plan


def plan_status(plan: pd.DataFrame) -> str:
    """``adopted`` when the territory's ``actions.csv`` decided the plan (:func:`build_plan`), else ``proposed``."""
    return "adopted" if plan["decision"].isin(["adopted", "rejected"]).any() else "proposed"


def plan_notes(plan: pd.DataFrame, decision: int) -> list[str]:
    """French notes on the territory's choices the plan had to amend: start years of ``actions.csv`` moved to the
    decision year, adopted actions that have nothing to act on in the inputs."""
    notes = []
    moved = plan[plan["start_moved"]]
    if len(moved):
        notes.append(f"actions.csv : année de début antérieure à l'année de décision du plan ({decision}), ramenée "
                     f"à {decision} pour " + ", ".join(moved["action_id"]))
    void = plan[plan["decision"].eq("adopted") & ~plan["applicable"]]
    notes += [f"actions.csv : {a} est retenue mais sans objet pour les données fournies ({n}) : son gain calculé est nul"
              for a, n in zip(void["action_id"], void["applicability_note"])]
    return notes


# ----------------------------------------------------------------------------------------------------------------
# Money: what the inputs cost per year (for the money saved by an action)
# ----------------------------------------------------------------------------------------------------------------

#: the tables :func:`yearly_cost_eur` reads
_COST_TABLES = ("inventory", "hosting", "printing", "purchases")


def yearly_cost_eur(inputs: lv.PlanInputs, hosting_kinds: pd.DataFrame | None = None,
                    prices: dict[str, float] | None = None) -> dict[str, float]:
    """Yearly spending implied by the inputs, EUR: equipment renewals (quantity ÷ lifetime × unit price, reconditioned
    lines at −:data:`RECONDITIONED_DISCOUNT`), electricity (kWh × PUE of the site × price), paper (reams × price) and
    the spend of ``purchases.csv``. Only differences between two scenarios are used (money saved)."""
    prices = prices or UNIT_PRICES_EUR
    discount = float(prices.get("reconditioned_discount", RECONDITIONED_DISCOUNT))
    kwh_price = float(prices.get("electricity", ELECTRICITY_PRICE_EUR_PER_KWH))
    ream_price = float(prices.get("paper_ream", PAPER_PRICE_EUR_PER_REAM))
    inv = inputs.inventory
    price = inv["category"].map(prices).fillna(0.0).to_numpy(dtype=float)
    recond = lv._bool(inv["reconditioned"]) if "reconditioned" in inv else np.zeros(len(inv), dtype=bool)
    q = inv["quantity"].to_numpy(dtype=float)
    equipment = float((q / inv["lifetime_years"].to_numpy(dtype=float) * price
                       * np.where(recond, 1.0 - discount, 1.0)).sum())
    pue = np.ones(len(inv))
    if inputs.hosting is not None and len(inputs.hosting) and "site" in inv:
        if hosting_kinds is None:
            from helpers.io.factors import load_hosting_kinds

            hosting_kinds = load_hosting_kinds()
        site_pue = pd.Series(lv.effective_pue(inputs.hosting, hosting_kinds).to_numpy(),
                             index=inputs.hosting["site_id"].astype(str))
        pue = inv["site"].astype(str).map(site_pue).fillna(1.0).to_numpy(dtype=float)
    kwh = float((q * inv["yearly_kwh"].fillna(0.0).to_numpy(dtype=float) * pue).sum())
    paper = 0.0
    if inputs.printing is not None and len(inputs.printing):
        p = inputs.printing
        reams = p["reams"] if "reams" in p else p["reams_per_year"].fillna(p["pages_per_year"] / 500.0)
        paper = float(pd.to_numeric(reams, errors="coerce").fillna(0).sum())
    spend = 0.0
    if inputs.purchases is not None and len(inputs.purchases):
        pur = inputs.purchases
        keep = pur["in_reference_year"].astype(bool) if "in_reference_year" in pur else pd.Series(True, index=pur.index)
        spend = float(pur.loc[keep, "amount_eur"].astype(float).sum())
    return {"equipment_eur": equipment, "electricity_eur": kwh * kwh_price,
            "paper_eur": paper * ream_price, "spend_eur": spend,
            "total_eur": equipment + kwh * kwh_price + paper * ream_price + spend}


# ----------------------------------------------------------------------------------------------------------------
# Model runs
# ----------------------------------------------------------------------------------------------------------------

@dataclass
class Models:
    """Everything the two models need besides the inputs (factor tables already prepared)."""

    categories: pd.DataFrame
    factors: pd.DataFrame
    hosting_kinds: pd.DataFrame
    reference_year: int
    service_factors: pd.DataFrame | None = None
    service_sites: pd.DataFrame | None = None
    presets: pd.DataFrame | None = None
    criteria: tuple[str, ...] = ()
    n_draws: int = 10_000
    seed: int = 20200101
    electricity_item: str = "electricity_fr"
    #: unit prices (item -> EUR excl. VAT) that price the money saved; None: the reference schedule
    prices: dict | None = None

    def __post_init__(self):
        if not self.criteria:
            from helpers.io.factors import CRITERIA

            self.criteria = tuple(CRITERIA)
        if "climate_change" not in self.criteria:  # the plan ranks, schedules and sums actions by their tCO2e
            raise ValueError(f"the action plan needs the criterion 'climate_change' among {list(self.criteria)}")


@dataclass
class Run:
    """Central values and Monte Carlo draws of one model run: criterion -> kg (or the criterion's unit) per year."""

    central: dict[str, float]
    draws: dict[str, np.ndarray]


def run_balance(inputs: lv.PlanInputs, models: Models, reuse: dict | None = None) -> Run:
    """The carbon balance (annualised view) of ``inputs``: central totals and draws of every criterion.

    Calls ``helpers.model.carbon.build_activities`` / ``parameter_table`` / ``monte_carlo`` with the models' seed: factor
    and parameter draws are keyed by their id (``helpers.model.carbon.keyed_rng``), so two runs on different inputs share
    the draws of every input they have in common and their difference is paired. ``reuse``: passed to
    ``build_activities`` (parts of the balance whose tables a lever left untouched are built once).
    """
    return _run_table(_balance_table(inputs, models, reuse), models)


def _run_table(table: pd.DataFrame, models: Models) -> Run:
    """:func:`run_balance` on activity rows already built."""
    from helpers.model import carbon

    mc = carbon.monte_carlo(table, models.factors, _balance_params([table], models), models.criteria,
                            models.n_draws, models.seed, keep_cells=(), sensitivity_criterion=None,
                            report_missing=False)
    return Run(dict(mc.central), dict(mc.totals))


def _balance_table(inputs: lv.PlanInputs, models: Models, reuse: dict | None = None) -> pd.DataFrame:
    """Activity rows of the annualised balance of ``inputs`` (``helpers.model.carbon.build_activities``)."""
    from helpers.model import carbon

    return carbon.build_activities(inputs.inventory, models.categories, models.factors, models.hosting_kinds,
                                   models.reference_year, inputs.hosting, inputs.telecom, inputs.purchases,
                                   inputs.printing, models.electricity_item, "annualised", reuse=reuse).table


def _balance_params(tables: list[pd.DataFrame], models: Models) -> pd.DataFrame:
    """``helpers.model.carbon.parameter_table`` of every multiplier named in ``tables``."""
    from helpers.model import carbon

    ids = set()
    for table in tables:
        for col in ("quantity_param", "lifetime_param", "extra_param"):
            ids |= set(table[col].astype(str))
    return carbon.parameter_table(ids, models.categories, models.hosting_kinds)


def run_services(inputs: lv.PlanInputs, models: Models, built=None) -> Run | None:
    """The services LCA of ``inputs.services`` per year (kg of each criterion), or None without services.

    ``helpers.model.services.run_lca`` draws every parameter from its keyed stream in the study's one sampler
    (``helpers.model.uncertainty``), so runs with the same seed are paired parameter by parameter, even when a lever adds
    or removes one (a service moved to another hosting kind). ``built``: the
    :func:`helpers.model.services.build_inputs` of ``inputs`` when the caller already has it.
    """
    from helpers.model import services as sv

    if inputs.services is None or len(inputs.services) == 0 or models.service_factors is None:
        return None
    built = _build_services(inputs, models) if built is None else built
    res = sv.run_lca(built, n_draws=models.n_draws, seed=models.seed)
    units = built.resolved["units_per_year"].to_numpy(dtype=float)
    central = {c: float((res.central[c]["total"][:, 0] * units).sum()) for c in res.central}
    draws = {c: res.total_annual_draws(c) for c in res.central}
    return Run(central, draws)


def _services_rows(inputs: lv.PlanInputs, models: Models) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The services of ``inputs`` per year as activity rows of the one activity model
    (``helpers.model.services.annual_rows``) and their multipliers."""
    from helpers.model import services as sv

    return sv.annual_rows(_build_services(inputs, models))


def _build_services(inputs: lv.PlanInputs, models: Models):
    """``helpers.model.services.build_inputs`` on the services of ``inputs`` with the models' library."""
    from helpers.model import services as sv

    return sv.build_inputs(inputs.services, models.service_factors, models.categories, models.hosting_kinds,
                           models.service_sites, models.presets)


def _interval(draws: np.ndarray, central: float, scale: float = 1.0) -> dict[str, float]:
    return _intervals([(draws, central, scale)])[0]


def _intervals(items) -> list[dict[str, float]]:
    """``value`` (central × scale) and the 2.5th/97.5th percentiles of the draws (× scale) of each
    ``(draws, central, scale)``; draws of the same length go through one ``np.percentile`` call (the action plan
    has hundreds of intervals: one call per action instead of one per interval, same values)."""
    items = list(items)
    out: list[dict[str, float] | None] = [None] * len(items)
    by_length: dict[int, list[int]] = {}
    for i, (draws, _, _) in enumerate(items):
        by_length.setdefault(len(draws), []).append(i)
    for length, idx in by_length.items():
        q = (np.percentile(np.stack([items[i][0] for i in idx]), [2.5, 97.5], axis=1) if length
             else np.full((2, len(idx)), np.nan))
        for j, i in enumerate(idx):
            _, central, scale = items[i]
            out[i] = {"value": float(central) * scale, "low": float(q[0, j]) * scale, "high": float(q[1, j]) * scale}
    return out


# ----------------------------------------------------------------------------------------------------------------
# Evaluation
# ----------------------------------------------------------------------------------------------------------------

@dataclass
class Evaluation:
    """Gains of each action alone and of the combined plan (paired Monte Carlo differences)."""

    gains: pd.DataFrame  # one row per action
    criteria: pd.DataFrame  # long: action_id, criterion, perimeter parts, value/low/high
    baseline_balance: Run
    baseline_services: Run | None
    plan_balance_draws: np.ndarray  # kgCO2e/year, combined plan, balance perimeter
    plan_services_draws: np.ndarray
    plan_central: dict[str, float]  # balance/services/total central kgCO2e/year
    plan_criteria: pd.DataFrame
    baseline_cost: dict[str, float]
    notes: list[str] = field(default_factory=list)
    scenarios: dict[str, lv.PlanInputs] = field(default_factory=dict)  # action_id -> inputs with its lever applied
    baseline_fleet: Run | None = None  # the fleet-driven part of the reference balance (with a fleet stabilisation)
    plan_money_saved_eur_per_year: float = 0.0  # money the combined plan saves in steady state (EUR HT)
    #: central parts of the reference balance and of the combined plan (``helpers.model.carbon.central_parts``)
    plan_parts: dict = field(default_factory=dict)


#: Levers whose gain is emissions avoided against a business-as-usual counterfactual, not a reduction below the
#: reference year: shown apart, never ranked with the reductions, never in the MACC or the cost per tonne.
AVOIDED_LEVERS: tuple[str, ...] = ("fleet_stabilisation",)
KINDS: tuple[str, ...] = ("reduction", "avoided")


def action_kind(lever: str) -> str:
    """``avoided`` (lower than a business-as-usual counterfactual) or ``reduction`` (lower than the reference
    year)."""
    return "avoided" if lever in AVOIDED_LEVERS else "reduction"


def _missing_inputs(inputs: lv.PlanInputs, lever: str) -> list[str]:
    return [n for n in lv.LEVERS[lever].needs if getattr(inputs, n) is None or len(getattr(inputs, n)) == 0]


def _apply_rows(plan: pd.DataFrame) -> list[tuple[str, float, list[str]]]:
    return [(r.lever, r.param, list(r.targets)) for r in plan.itertuples(index=False)]


def evaluate(plan: pd.DataFrame, inputs: lv.PlanInputs, models: Models, growth_at_milestone: float = 1.0
             ) -> Evaluation:
    """Gain of every action of ``plan`` (alone) and of its selected actions combined.

    For each action: apply its lever (:func:`helpers.model.levers.apply_lever`) on the perimeters it acts on, rerun the
    model(s) with the same seed, and take ``baseline − scenario`` draw by draw for every criterion. On the balance
    and on the services alike (both are rows of the one activity model: ``helpers.model.services.activity_rows``), all
    the scenarios are computed together by ``helpers.model.carbon.scenario_gains``, which takes the difference on the
    activities before multiplying by the draws (the model is linear in them: same paired draws, no cancellation
    of two large totals). The gain on the balance and on the services are kept apart and summed draw by draw for the
    total. ``fleet_stabilisation`` is of kind ``avoided`` (every other action: ``reduction``): it lowers nothing
    below the reference year, it avoids the growth of a business-as-usual counterfactual. Its gain is
    ``share × max(growth_at_milestone − 1, 0) × F0`` where ``F0`` is the fleet-driven part of the reference balance
    (the inventory devices' manufacturing and energy: paper, spend-based purchases and flat-rate telecom do not grow
    with the fleet) and ``growth_at_milestone`` the counterfactual's index at the milestone (by default the
    collectivity's own fleet trend, ``helpers.model.trajectory.own_fleet_trend``: 0 for a flat fleet). Its money saved is
    the same share of the equipment renewals only (devices not bought), not of the whole yearly spending.

    Returns
    -------
    :class:`Evaluation` (tCO2e in the ``gains`` table; the criteria table in each criterion's unit).
    """
    from helpers.io.factors import criteria_units
    from helpers.model import carbon

    units = criteria_units()
    notes: list[str] = []
    reuse: dict = {}  # balance parts by identity of their tables: levers are pure and replace what they change
    base_table = _balance_table(inputs, models, reuse)
    base_b = _run_table(base_table, models)
    base_s = run_services(inputs, models)
    base_cost = yearly_cost_eur(inputs, models.hosting_kinds, models.prices)
    # the fleet-driven part of the reference: the inventory devices' rows (categories of categories.csv)
    fleet_rows = base_table["category"].astype(str).isin(set(models.categories["category"].astype(str)))
    base_fleet = _run_table(base_table[fleet_rows.to_numpy()].reset_index(drop=True), models)
    n = models.n_draws
    balance_tables: list[pd.DataFrame] = []  # the balance scenarios, evaluated together below
    services_tables: list[pd.DataFrame] = []  # the services scenarios (activity rows per year), likewise
    services_params: list[pd.DataFrame] = []
    if base_s is not None:
        base_services, params = _services_rows(inputs, models)
        services_params.append(params)

    def base_value(c: str) -> float:
        return base_b.central.get(c, 0.0) + (base_s.central.get(c, 0.0) if base_s else 0.0)

    def scenario(rows_to_apply, perimeters) -> tuple[lv.PlanInputs, int | None, int | None]:
        mod = lv.apply_levers(inputs, rows_to_apply, models.hosting_kinds, models.presets, perimeters,
                              models.categories)
        b = None
        if "balance" in perimeters:  # the ~20 scenarios keep only what their totals depend on
            balance_tables.append(carbon.gain_rows(_balance_table(mod, models, reuse)))
            b = len(balance_tables) - 1
        rs = None
        if "services" in perimeters and base_s is not None:
            rows, params = _services_rows(mod, models)
            services_tables.append(carbon.gain_rows(rows))
            services_params.append(params)
            rs = len(services_tables) - 1
        return mod, b, rs

    runs = []
    for r in plan.itertuples(index=False):  # one model rerun per action (tens)
        spec = lv.LEVERS[r.lever]
        missing = _missing_inputs(inputs, r.lever)
        perims = tuple(p for p in spec.perimeters if p in ("balance", "services"))
        status = "calculé"
        applies = bool(getattr(r, "applicable", True))
        if r.lever == "none":
            status = "sans gain carbone calculé"
        elif missing:
            status = "donnée absente : " + ", ".join(f"{m}.csv" for m in missing)
        elif not applies:
            status = "sans objet : " + str(getattr(r, "applicability_note", ""))
        mod, b, rs = inputs, None, None
        if perims and not missing and applies:
            mod, b, rs = scenario([(r.lever, r.param, list(r.targets))], perims)
        runs.append((r, status, mod, b, rs))

    # the combined plan: every selected lever applied together (fleet stabilisation is in the trajectory)
    sel = plan[plan["selected"] & ~plan["lever"].isin(["none", "fleet_stabilisation"])]
    sel = sel[[not _missing_inputs(inputs, lev) for lev in sel["lever"]]]
    combined, plan_b, ps = scenario(_apply_rows(sel), ("balance", "services"))
    fleet_cats = set(models.categories["category"].astype(str))
    parts = {"base": carbon.central_parts(base_table, models.factors, fleet_cats, models.electricity_item),
             "combined": carbon.central_parts(_balance_table(combined, models, reuse), models.factors, fleet_cats,
                                              models.electricity_item)}
    combined_saved = (0.0 if all(getattr(combined, t) is getattr(inputs, t) for t in _COST_TABLES)
                      else base_cost["total_eur"] - yearly_cost_eur(combined, models.hosting_kinds,
                                                                    models.prices)["total_eur"])

    gained = carbon.scenario_gains(base_table, balance_tables, models.factors,
                                   _balance_params([base_table, *balance_tables], models), models.criteria, n,
                                   models.seed)

    services_gained = None
    if base_s is not None:  # every services scenario in one evaluation, as the balance's
        params = pd.concat(services_params, ignore_index=True).drop_duplicates()
        if params["param_id"].duplicated().any():  # levers never change a lifetime or a hosting kind's PUE
            raise ValueError("a services scenario changes the distribution of a multiplier: "
                             f"{sorted(params.loc[params['param_id'].duplicated(), 'param_id'])}")
        services_gained = carbon.scenario_gains(base_services, services_tables, models.service_factors, params,
                                                models.criteria, n, models.seed)

    def balance_diff(b: int | None, c: str) -> tuple[float, np.ndarray]:
        if b is None or c not in gained.central:
            return 0.0, np.zeros(n)
        return float(gained.central[c][b]), gained.draws[c][b]

    def services_diff(s: int | None, c: str) -> tuple[float, np.ndarray]:
        if s is None or services_gained is None or c not in base_s.central:
            return 0.0, np.zeros(n)  # a criterion the services model does not compute adds nothing
        return float(services_gained.central[c][s]), services_gained.draws[c][s]

    rows, crit_rows, scenarios = [], [], {}
    for r, status, mod, b, rs in runs:
        if b is not None or rs is not None:
            scenarios[r.action_id] = mod
        rec = {"action_id": r.action_id, "gain_status": status}
        gains_c = {}
        for c in models.criteria:
            if r.lever == "fleet_stabilisation":
                share = 1.0 if np.isnan(r.param) else float(r.param)
                k = share * max(growth_at_milestone - 1.0, 0.0)
                gains_c[c] = (base_fleet.central[c] * k, base_fleet.draws[c] * k, *services_diff(rs, c))
            else:
                gains_c[c] = (*balance_diff(b, c), *services_diff(rs, c))
        scales = {c: 1 / 1000.0 if c == "climate_change" else 1.0 for c in models.criteria}
        wanted = [(b_d + s_d, b_val + s_val, scales[c]) for c, (b_val, b_d, s_val, s_d) in gains_c.items()]
        if "climate_change" in gains_c:
            b_val, b_d, s_val, s_d = gains_c["climate_change"]
            wanted += [(b_d, b_val, 1 / 1000.0), (s_d, s_val, 1 / 1000.0)]
        ivs = _intervals(wanted)  # one percentile call per action
        for (c, (b_val, _, s_val, _)), t_iv in zip(gains_c.items(), ivs):
            scale = scales[c]
            crit_rows.append({"action_id": r.action_id, "criterion": c,  # climate change in tonnes (scale)
                              "unit": "tCO2e" if c == "climate_change" else units.get(c, ""),
                              "balance": b_val * scale, "services": s_val * scale, "value": t_iv["value"],
                              "low": t_iv["low"], "high": t_iv["high"],
                              "baseline": base_value(c) * scale})
            if c == "climate_change":
                for name, iv in zip(("balance", "services", "total"), (ivs[-2], ivs[-1], t_iv)):
                    rec[f"{name}_tco2e"], rec[f"{name}_low_tco2e"], rec[f"{name}_high_tco2e"] = (
                        iv["value"], iv["low"], iv["high"])
        if r.lever == "fleet_stabilisation":
            share = 1.0 if np.isnan(r.param) else float(r.param)
            saved = base_cost["equipment_eur"] * share * max(growth_at_milestone - 1.0, 0.0)
        elif all(getattr(mod, t) is getattr(inputs, t) for t in _COST_TABLES):
            saved = 0.0  # a lever on other tables (services, telecom) spends the same
        else:
            saved = base_cost["total_eur"] - yearly_cost_eur(mod, models.hosting_kinds, models.prices)["total_eur"]
        rec["money_saved_eur_per_year"] = saved
        rec["basis"] = "bau_milestone" if r.lever == "fleet_stabilisation" else "reference"
        rec["kind"] = action_kind(r.lever)
        rows.append(rec)
    gains = pd.DataFrame(rows)
    criteria = pd.DataFrame(crit_rows)

    plan_rows = []
    pc = {}
    for c in models.criteria:
        b_val, b_d = balance_diff(plan_b, c)
        s_val, s_d = services_diff(ps, c)
        scale = 1 / 1000.0 if c == "climate_change" else 1.0
        iv = _interval(b_d + s_d, b_val + s_val, scale)
        base_bal = base_b.central.get(c, 0.0)
        base_svc = base_s.central.get(c, 0.0) if base_s else 0.0
        # one percentage, one base: the balance's change over the balance (the trajectory's perimeter); the
        # services' gain (users' devices and networks included) is in tonnes beside it, never over the balance
        plan_rows.append({"criterion": c, "unit": "tCO2e" if c == "climate_change" else units.get(c, ""),
                          "baseline": base_bal * scale, "services_baseline": base_svc * scale,
                          "balance": b_val * scale, "services": s_val * scale,
                          "value": iv["value"], "low": iv["low"], "high": iv["high"],
                          "change_pct": -b_val / base_bal * 100 if base_bal else np.nan})
        if c == "climate_change":
            pc = {"balance": b_val, "services": s_val, "total": b_val + s_val}
            plan_b_draws, plan_s_draws = b_d, s_d
    return Evaluation(gains=gains, criteria=criteria, baseline_balance=base_b, baseline_services=base_s,
                      baseline_fleet=base_fleet,
                      plan_balance_draws=plan_b_draws, plan_services_draws=plan_s_draws, plan_central=pc,
                      plan_criteria=pd.DataFrame(plan_rows), baseline_cost=base_cost, notes=sorted(set(notes)),
                      scenarios=scenarios, plan_money_saved_eur_per_year=float(combined_saved), plan_parts=parts)


# ----------------------------------------------------------------------------------------------------------------
# Prioritisation
# ----------------------------------------------------------------------------------------------------------------

def annuity_factor(discount_rate, lifetime_years):
    """Capital recovery factor ``r ÷ (1 − (1 + r)^−n)``: the constant yearly payment that repays 1 EUR invested
    over ``n`` years at the rate ``r``; ``1 ÷ n`` when ``r = 0`` (straight line)."""
    r = np.asarray(discount_rate, dtype=float)
    n = np.asarray(lifetime_years, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        crf = r / (1.0 - (1.0 + r) ** (-n))
    return np.where(np.abs(r) < 1e-12, 1.0 / n, crf)


def annualised_cost_eur(investment_eur, yearly_eur, action_lifetime_years, money_saved_eur_per_year=0.0,
                        discount_rate=0.0):
    """``investment × annuity_factor(r, lifetime) + yearly cost − money saved`` (EUR/year).

    With ``discount_rate = 0`` the investment is spread in a straight line (``investment ÷ lifetime``)."""
    return (np.asarray(investment_eur, dtype=float) * annuity_factor(discount_rate, action_lifetime_years)
            + np.asarray(yearly_eur, dtype=float) - np.asarray(money_saved_eur_per_year, dtype=float))


def cost_per_tco2e(annual_cost_eur, gain_tco2e_per_year):
    """EUR per tCO2e avoided; NaN when the action avoids nothing (gain <= 0)."""
    gain = np.asarray(gain_tco2e_per_year, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(gain > 0, np.asarray(annual_cost_eur, dtype=float) / gain, np.nan)


def maturity_gap(axes_lists, axis_scores: pd.Series | dict | None) -> np.ndarray:
    """Mean of ``1 − score`` over an action's axes (scores in 0–1); 0.5 (neutral) when no axis is scored."""
    scores = pd.Series(axis_scores if axis_scores is not None else {}, dtype=float)
    out = []
    for axes in axes_lists:
        vals = [1.0 - scores[a] for a in axes if a in scores.index and np.isfinite(scores[a])]
        out.append(float(np.mean(vals)) if vals else 0.5)
    return np.clip(np.array(out, dtype=float), 0.0, 1.0)


def priority_score(gain_tco2e, cost_eur_per_tco2e, effort, gap, weights: dict[str, float] | None = None,
                   carbon_value: float = CARBON_VALUE_EUR_PER_TCO2E, stakeholders=None) -> pd.DataFrame:
    """Components and score of each action (all components in 0–1, higher = do first).

    - gain: rank of the gain (tCO2e/year, total of both perimeters) among the actions with a positive gain,
      divided by their number (the largest gain scores 1; 0 without gain). A rank rather than ``gain ÷ max`` so one
      very large action (e.g. the fleet stabilisation, measured against the business-as-usual growth) does not
      flatten the others;
    - cost: 1 when the action saves money (cost ≤ 0), ``1 ÷ (1 + cost ÷ 250 €/t)`` otherwise (0.5 at the French
      2030 value of climate action), 0 when it avoids nothing;
    - effort: ``(3 − effort) ÷ 2`` (1 easy, 0 hard);
    - maturity: :func:`maturity_gap` (weak axes first);
    - stakeholders (issue 35, only when given): the stakeholders' support in 0–1
      (:func:`helpers.plan.priorities.stakeholder_support`), weight ``weights["stakeholders"]``;
    - score = Σ weight × component ÷ Σ weight of the components used (:data:`SCORE_WEIGHTS`: 0.40, 0.25, 0.15, 0.20,
      whose sum is 1; ``weights`` from ``territory.yaml: score_weights``).
    """
    w = {**SCORE_WEIGHTS, **(weights or {})}
    gain = np.clip(np.nan_to_num(np.asarray(gain_tco2e, dtype=float)), 0.0, None)
    positive = gain > 0
    g_score = np.zeros(len(gain))
    if positive.any():
        g_score[positive] = pd.Series(gain[positive]).rank(method="average").to_numpy() / positive.sum()
    cost = np.asarray(cost_eur_per_tco2e, dtype=float)
    c_score = np.where(np.isnan(cost) | (gain <= 0), 0.0,
                       np.where(cost <= 0, 1.0, 1.0 / (1.0 + np.maximum(cost, 0) / carbon_value)))
    e_score = (3.0 - np.asarray(effort, dtype=float)) / 2.0
    out = pd.DataFrame({"gain_component": g_score, "cost_component": c_score, "effort_component": e_score,
                        "maturity_component": np.asarray(gap, dtype=float)})
    out["score"] = (w["gain"] * out["gain_component"] + w["cost"] * out["cost_component"]
                    + w["effort"] * out["effort_component"] + w["maturity"] * out["maturity_component"])
    used = w["gain"] + w["cost"] + w["effort"] + w["maturity"]
    if stakeholders is not None:  # issue 35: the stakeholders' priorities, a criterion of its own
        out["stakeholder_component"] = np.asarray(stakeholders, dtype=float)
        out["score"] += w.get("stakeholders", 0.0) * out["stakeholder_component"]
        used += w.get("stakeholders", 0.0)
    if abs(used - 1.0) > 1e-9 and used > 0:
        out["score"] /= used
    return out


def prioritise(plan: pd.DataFrame, gains: pd.DataFrame, axis_scores=None, weights=None,
               discount_rate: float = 0.0, stakeholders: pd.Series | None = None) -> pd.DataFrame:
    """One row per action: gains, costs, cost per tCO2e, score components, score, and ``rank`` among the selected
    reductions that apply (1 = first; ties broken by action id) and ``rank_all`` among every catalogue action that
    applies (an action *sans objet*, ``applicable`` False, has neither and comes last).

    Only actions of kind ``reduction`` are ranked and priced per tonne: an ``avoided`` action (against a
    business-as-usual counterfactual, :data:`AVOIDED_LEVERS`) has no ``rank``, no cost per tonne and no gain
    component; it comes after every reduction in ``rank_all`` and is shown apart with its counterfactual."""
    df = plan.merge(gains, on="action_id", how="left")
    for col, default in (("applicable", True), ("applicability_note", ""), ("staff_days_per_year", 0.0)):
        if col not in df:  # a plan built by hand, without build_plan's columns
            df[col] = default
    if "decision" not in df:
        df["decision"] = np.where(df["selected"].astype(bool), "proposed", "complementary")
    if "kind" not in df:
        df["kind"] = [action_kind(lev) for lev in df["lever"]]
    df["kind"] = df["kind"].fillna(pd.Series([action_kind(lev) for lev in df["lever"]], index=df.index))
    reduction = (df["kind"] == "reduction").to_numpy()
    df["discount_rate"] = float(discount_rate)
    df["annuity_factor"] = annuity_factor(discount_rate, df["action_lifetime_years"])
    df["annualised_investment_eur"] = df["investment_eur"].astype(float) * df["annuity_factor"]
    df["annualised_cost_eur"] = annualised_cost_eur(df["investment_eur"], df["yearly_eur"],
                                                    df["action_lifetime_years"], df["money_saved_eur_per_year"],
                                                    discount_rate)
    df["gross_annualised_cost_eur"] = annualised_cost_eur(df["investment_eur"], df["yearly_eur"],
                                                          df["action_lifetime_years"], 0.0, discount_rate)
    df["cost_eur_per_tco2e"] = np.where(reduction, cost_per_tco2e(df["annualised_cost_eur"], df["total_tco2e"]),
                                        np.nan)
    df["maturity_gap"] = maturity_gap(df["axes_list"], axis_scores)
    comp = priority_score(np.where(reduction, df["total_tco2e"], 0.0), df["cost_eur_per_tco2e"], df["effort"],
                          df["maturity_gap"], weights, stakeholders=None if stakeholders is None else
                          df["action_id"].astype(str).map(stakeholders).fillna(0.0).to_numpy())
    df = pd.concat([df.reset_index(drop=True), comp], axis=1)
    applies = (df["applicable"].astype(bool) if "applicable" in df else pd.Series(True, index=df.index)).to_numpy()
    df["_avoided"] = ~reduction
    df["_void"] = ~applies
    order = df.sort_values(["_void", "_avoided", "score", "action_id"], ascending=[True, True, False, True]).index
    df = df.drop(columns=["_avoided", "_void"])
    df["_order"] = 0
    df.loc[order, "_order"] = np.arange(1, len(df) + 1)
    ranked_all = [i for i in order if applies[i]]
    df["rank_all"] = pd.array([pd.NA] * len(df), dtype="Int64")
    df.loc[ranked_all, "rank_all"] = np.arange(1, len(ranked_all) + 1)
    sel_order = [i for i in order if df.at[i, "selected"] and reduction[i] and applies[i]]
    df["rank"] = pd.array([pd.NA] * len(df), dtype="Int64")
    df.loc[sel_order, "rank"] = np.arange(1, len(sel_order) + 1)
    return df.sort_values("_order").drop(columns="_order").reset_index(drop=True)


# ----------------------------------------------------------------------------------------------------------------
# Roadmap and indicators
# ----------------------------------------------------------------------------------------------------------------

def roadmap(plan: pd.DataFrame, years) -> pd.DataFrame:
    """Implementation share of each selected action by year (:func:`helpers.model.trajectory.ramp_fraction`).

    Returns a wide DataFrame ``action_id, start_year, end_year, <year>...``.
    """
    sel = plan[plan["selected"]].reset_index(drop=True)
    ramps = tj.ramp_fraction(years, sel["start_year"].to_numpy(), sel["months"].to_numpy())
    ramps = np.atleast_2d(ramps) if len(sel) else np.zeros((0, len(years)))
    out = pd.DataFrame(ramps, columns=[int(y) for y in years])
    out.insert(0, "end_year", sel["start_year"] + np.ceil(sel["months"] / 12.0).astype(int))
    out.insert(0, "start_year", sel["start_year"].to_numpy())
    out.insert(0, "action_id", sel["action_id"].to_numpy())
    return out


def indicator_value(inputs: lv.PlanInputs, lever: str, targets, hosting_kinds=None, presets=None
                    ) -> tuple[float, str]:
    """The monitoring indicator of a lever measured on ``inputs``: ``(value, unit in French)``; ``presets``: the
    services' presets (default: the reference file).

    NaN when the inputs do not carry it (e.g. no printing.csv) or the lever has no model (``none``).
    """
    inv = inputs.inventory
    targets = list(targets)
    nan = float("nan")

    def cat_mask():
        return inv["category"].isin(targets).to_numpy()

    if lever == "lifetime_extension":
        m = cat_mask()
        q = inv.loc[m, "quantity"].astype(float)
        return (float(np.average(inv.loc[m, "lifetime_years"], weights=q)) if q.sum() else nan), "années"
    if lever == "reconditioned_share":
        m = cat_mask()
        q = inv.loc[m, "quantity"].astype(float)
        r = lv._bool(inv.loc[m, "reconditioned"]) if "reconditioned" in inv else np.zeros(m.sum(), dtype=bool)
        return (float(q[r].sum() / q.sum() * 100) if q.sum() else nan), "%"
    if lever == "fleet_reduction":
        return float(inv.loc[cat_mask(), "quantity"].sum()), "équipements"
    if lever == "screens_per_workstation":
        from helpers.model.carbon import COMPUTER_CATEGORIES, SCREEN_CATEGORIES

        comp = float(inv.loc[inv["category"].isin(COMPUTER_CATEGORIES), "quantity"].sum())
        scr = float(inv.loc[inv["category"].isin(SCREEN_CATEGORIES), "quantity"].sum())
        return (scr / comp if comp else nan), "écrans par poste"
    if lever == "power_management":
        m = cat_mask()
        return float((inv.loc[m, "quantity"] * inv.loc[m, "yearly_kwh"].fillna(0)).sum()), "kWh/an"
    if lever == "printing_reduction":
        if inputs.printing is None or not len(inputs.printing):
            return nan, "ramettes/an"
        p = inputs.printing
        reams = p["reams"] if "reams" in p else p["reams_per_year"].fillna(p["pages_per_year"] / 500.0)
        return float(pd.to_numeric(reams, errors="coerce").sum()), "ramettes/an"
    if lever == "hosting_consolidation":
        if inputs.hosting is None or not len(inputs.hosting):
            return nan, "PUE"
        pue = lv.effective_pue(inputs.hosting, hosting_kinds if hosting_kinds is not None else
                               __import__("helpers.io.factors", fromlist=["x"]).load_hosting_kinds())
        return float(pue.mean()), "PUE moyen des salles"
    if lever == "software_spend":
        if inputs.purchases is None or not len(inputs.purchases):
            return nan, "€ HT/an"
        p = inputs.purchases
        return float(p.loc[p["category"].isin(targets or ["software"]), "amount_eur"].astype(float).sum()), "€ HT/an"
    if lever == "supplier_intensity":
        if inputs.purchases is None or not len(inputs.purchases):
            return nan, "% de l'intensité des ratios monétaires"
        p = inputs.purchases
        m = p["category"].isin(targets or ["services"]).to_numpy()
        amount = p.loc[m, "amount_eur"].astype(float)
        mult = (p.loc[m, "carbon_intensity_multiplier"].astype(float) if "carbon_intensity_multiplier" in p
                else pd.Series(1.0, index=amount.index))
        return (float((amount * mult).sum() / amount.sum() * 100) if amount.sum() else nan), \
            "% de l'intensité des ratios monétaires"
    if lever == "mobile_to_fixed":
        if inputs.telecom is None or not len(inputs.telecom):
            return nan, "Go/an"
        return float(pd.to_numeric(inputs.telecom["mobile_data_gb_per_year"], errors="coerce").sum()), "Go mobiles/an"
    svc = inputs.services
    if svc is None or not len(svc):
        return nan, ""
    from helpers.model.services import resolve_services

    s = resolve_services(svc, presets)
    if lever == "storage_purge":
        m = s["type"].eq("storage")
        return float(s.loc[m, "units_per_year"].sum() / 1024.0), "To stockés"
    if lever == "visio_audio_only":
        m = s["type"].eq("visio")
        w = s.loc[m, "units_per_year"]
        return (float(np.average(s.loc[m, "audio_share"].fillna(0), weights=w) * 100) if w.sum() else nan), \
            "% des heures en audio"
    if lever in ("page_weight", "lazy_loading"):
        m = s["type"].isin(["website", "portal"])
        w = s.loc[m, "units_per_year"]
        col = "page_weight_mb" if lever == "page_weight" else "data_gb_per_unit"
        vals = s.loc[m, col].astype(float) * (1.0 if lever == "page_weight" else 1024.0)
        return (float(np.average(vals, weights=w)) if w.sum() else nan), \
            ("Mo par page" if lever == "page_weight" else "Mo par visite")
    if lever == "video_quality":
        m = s["type"].isin(["visio", "streaming"])
        w = s.loc[m, "units_per_year"]
        hd = s.loc[m, "video_quality"].isin(["hd", "4k"]).to_numpy()
        return (float(w[hd].sum() / w.sum() * 100) if w.sum() else nan), "% des heures en HD ou plus"
    return nan, ""


# ----------------------------------------------------------------------------------------------------------------
# Means, calendar and budget of the plan's actions (tables actions_means and actions_budget_by_year)
# ----------------------------------------------------------------------------------------------------------------

def end_year(start_year, months) -> np.ndarray:
    """Last year of the ramp-up: an action starting on 1 January of ``start_year`` and reaching full implementation
    after ``months`` months ends its set-up in ``start_year + ceil(months / 12) − 1`` (its start year when
    ``months`` ≤ 12)."""
    start = np.asarray(start_year, dtype=int)
    years = np.ceil(np.asarray(months, dtype=float) / 12.0).astype(int)
    return start + np.maximum(years - 1, 0)


def means_order(plan: pd.DataFrame, ranked: pd.DataFrame) -> pd.DataFrame:
    """Selected actions in calendar order (start year, then priority rank, then id), with their ``end_year``: the
    order of the Gantt chart and of the table of means (each action named by its id, as everywhere)."""
    rank = ranked.set_index("action_id")["rank_all" if "rank_all" in ranked else "rank"]
    sel = plan[plan["selected"]].copy()
    sel["_rank"] = sel["action_id"].map(rank).astype(float).fillna(1e9)
    sel = sel.sort_values(["start_year", "_rank", "action_id"], kind="stable").reset_index(drop=True)
    sel["end_year"] = end_year(sel["start_year"], sel["months"])
    if "staff_days_per_year" not in sel:  # a plan built by hand, without build_plan's columns
        sel["staff_days_per_year"] = 0.0
    return sel.drop(columns="_rank")


def means_table(plan: pd.DataFrame, ranked: pd.DataFrame) -> pd.DataFrame:
    """Means and calendar of each selected action (French headers, units): action id and title, owner, investment
    (€ HT), yearly cost (€ HT/year), set-up staff time (agent-days), recurring staff time (agent-days per year),
    years of the set-up (start–end, :func:`end_year`). Owner and staff time are the catalogue's defaults
    (``owner_fr``, ``staff_days``, ``staff_days_per_year``, source in ``means_source``) unless ``actions.csv`` gives
    them (``owner``, ``staff_days``); costs are scaled to the territory (:func:`build_plan`)."""
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


def plan_budget(plan: pd.DataFrame, ranked: pd.DataFrame, evaluation: Evaluation, years,
                vat_rate: float = bg.VAT_RATE) -> pd.DataFrame:
    """The budget by year of the plan's actions (:func:`helpers.plan.budget.budget_by_year`) over ``years`` (the
    decision year to the milestone): investment over each set-up, operating costs from each start, the combined
    plan's savings reached as its actions ramp up (reductions only: emissions avoided against a growth save nothing
    of today's budget), staff time including the recurring days."""
    sel = means_order(plan, ranked)
    money = evaluation.gains.set_index("action_id")
    kind = sel["action_id"].map(money["kind"]) if "kind" in money else pd.Series("reduction", index=sel.index)
    saved = sel["action_id"].map(money["money_saved_eur_per_year"]).astype(float).fillna(0.0)
    saved = saved.where(kind.eq("reduction"), 0.0).to_numpy(dtype=float)
    ramps = tj.ramp_fraction(np.asarray(years), sel["start_year"].to_numpy(), sel["months"].to_numpy(dtype=float))
    ramps = np.atleast_2d(ramps) if len(sel) else np.zeros((0, len(years)))
    return bg.budget_by_year(years, sel["start_year"].to_numpy(), sel["end_year"].to_numpy(),
                             sel["investment_eur"].to_numpy(dtype=float), sel["yearly_eur"].to_numpy(dtype=float),
                             sel["staff_days"].to_numpy(dtype=float), sel["staff_days_per_year"].to_numpy(dtype=float),
                             ramps, saved, evaluation.plan_money_saved_eur_per_year, vat_rate)


# ----------------------------------------------------------------------------------------------------------------
# The whole study of notebook 05
# ----------------------------------------------------------------------------------------------------------------

def _read_optional(ctx, name: str) -> pd.DataFrame | None:
    try:
        df = ctx.read_table(name)
    except FileNotFoundError:
        return None
    return df if len(df) else None


def load_inputs(ctx) -> lv.PlanInputs:
    """The clean tables notebook 01 wrote (``inventory``, ``hosting``, ``telecom``, ``purchases``, ``printing``,
    ``services``); a table that was not provided is None."""
    inv = ctx.read_table("inventory")
    if "site" in inv:
        inv["site"] = inv["site"].where(inv["site"].notna(), None)
    return lv.PlanInputs(inventory=inv, hosting=_read_optional(ctx, "hosting"),
                         telecom=_read_optional(ctx, "telecom"), purchases=_read_optional(ctx, "purchases"),
                         printing=_read_optional(ctx, "printing"), services=_read_optional(ctx, "services"))


def maturity_axis_scores(ctx) -> pd.Series:
    """Maturity score (0–1) of each axis for the territory's maturity subject, from what notebook 04 wrote.

    Reads ``by_axis`` (axis id -> score in %) of ``summary_maturity.json`` (``helpers.model.maturity``
    ``MaturityAssessment.summary``); failing that, the table ``maturity_scores`` (``collectivity, axis, score_pct``,
    row of the subject). Empty when notebook 04 has not run: every action then gets the neutral gap 0.5.
    """
    subject = getattr(ctx.territory, "maturity_subject", "")
    try:
        data = ctx.read_summary("maturity")
    except (FileNotFoundError, KeyError, ValueError):
        data = {}
    by_axis = data.get("by_axis") if isinstance(data, dict) else None
    if isinstance(by_axis, dict) and by_axis:
        s = pd.Series({k: (np.nan if v is None else float(v)) for k, v in by_axis.items()}, dtype=float)
        return (s.drop("global", errors="ignore") / 100.0).dropna()
    df = _read_optional(ctx, "maturity_scores")
    if df is not None and {"axis", "score_pct"} <= set(df.columns):
        who = next((c for c in ("collectivity", "entity", "subject") if c in df), None)
        if who is not None:
            df = df[df[who].astype(str) == str(subject)]
        s = df.groupby("axis")["score_pct"].mean().astype(float)
        return (s.drop("global", errors="ignore") / 100.0).dropna()
    return pd.Series(dtype=float)


@dataclass
class ActionsStudy:
    """Everything notebook 05 shows and writes."""

    plan: pd.DataFrame
    ranked: pd.DataFrame
    evaluation: Evaluation
    roadmap: pd.DataFrame
    trajectory: pd.DataFrame
    budget: pd.DataFrame
    indicators: pd.DataFrame
    axis_scores: pd.Series
    info: dict
    warnings: list = field(default_factory=list)

    def actions_table(self) -> pd.DataFrame:
        """Table ``actions_plan`` (one row per catalogue action)."""
        cols = ["rank", "rank_all", "action_id", "title_fr", "axes", "lever", "selected", "start_year", "param",
                "balance_tco2e", "balance_low_tco2e", "balance_high_tco2e", "services_tco2e",
                "services_low_tco2e", "services_high_tco2e", "total_tco2e", "total_low_tco2e", "total_high_tco2e",
                "investment_eur", "action_lifetime_years", "discount_rate", "annuity_factor",
                "annualised_investment_eur", "yearly_eur", "money_saved_eur_per_year", "annualised_cost_eur",
                "cost_eur_per_tco2e", "effort", "months", "maturity_gap", "gain_component", "cost_component",
                "effort_component", "maturity_component", "score", "origin", "gain_status", "basis", "kind",
                "decision", "applicable", "applicability_note", "staff_days", "staff_days_per_year"]
        out = self.ranked[cols].copy()
        out["targets"] = self.ranked["targets"].map(";".join)
        return out

    def summary(self) -> dict:
        r = self.ranked
        # the plan's actions in priority order, then the others (complementary, rejected, sans objet) by id
        sel = pd.concat([r[r["selected"]].sort_values(["rank", "rank_all", "action_id"]),
                         r[~r["selected"]].sort_values("action_id")])
        labels = axis_labels()
        actions = []
        counterfactual = self.info.get("counterfactual", {})
        for x in sel.itertuples(index=False):  # one entry per catalogue action
            avoided = x.kind == "avoided"
            actions.append({
                "kind": x.kind,
                "counterfactual": counterfactual.get("basis") if avoided else None,
                "id": x.action_id, "title": x.title_fr, "axis": x.axes_list[0] if x.axes_list else "",
                "axis_label": labels.get(x.axes_list[0], "") if x.axes_list else "", "lever": x.lever,
                "reduction_tco2e_per_year": None if avoided else {"value": x.total_tco2e, "low": x.total_low_tco2e,
                                                                  "high": x.total_high_tco2e},
                "avoided_tco2e_per_year": {"value": x.total_tco2e, "low": x.total_low_tco2e,
                                           "high": x.total_high_tco2e} if avoided else None,
                "balance_reduction_tco2e_per_year": {"value": x.balance_tco2e, "low": x.balance_low_tco2e,
                                                     "high": x.balance_high_tco2e},
                "services_reduction_tco2e_per_year": {"value": x.services_tco2e, "low": x.services_low_tco2e,
                                                      "high": x.services_high_tco2e},
                "cost_eur_per_tco2e": None if pd.isna(x.cost_eur_per_tco2e) else float(x.cost_eur_per_tco2e),
                "rank": None if pd.isna(x.rank) else int(x.rank), "start_year": int(x.start_year),
                "score": float(x.score),
                "basis": x.basis,
                "selected": bool(x.selected), "applicable": bool(getattr(x, "applicable", True)),
                "decision": getattr(x, "decision", "proposed" if x.selected else "complementary"),
                "applicability_note": getattr(x, "applicability_note", "") or None,
                "investment_eur": _float_or_none(getattr(x, "investment_eur", None)),
                "operating_eur_per_year": _float_or_none(getattr(x, "yearly_eur", None)),
                "money_saved_eur_per_year": _float_or_none(getattr(x, "money_saved_eur_per_year", None)),
            })
        ev = self.evaluation
        b = ev.plan_balance_draws / 1000.0
        s = ev.plan_services_draws / 1000.0
        pc = ev.plan_central
        info = self.info
        return {
            "actions": actions,
            "plan_reduction_tco2e_per_year": _interval(b + s, pc["total"] / 1000.0),
            "plan_reduction_balance_tco2e_per_year": _interval(b, pc["balance"] / 1000.0),
            "plan_reduction_services_tco2e_per_year": _interval(s, pc["services"] / 1000.0),
            "trajectory": info["trajectory"],
            "indicators": info["indicators"],
            "avoided_emissions": {"counterfactual": info.get("counterfactual", {}),
                                  "actions": [a["id"] for a in actions if a["kind"] == "avoided" and a["selected"]]},
            **({"plan": self.plan_summary(actions)} if "plan" in info else {}),
            **({"follow_up": info["follow_up"]} if info.get("follow_up") else {}),
            "plan_priorities": info.get("priorities_summary", {"provided": False}),  # issue 35
            "actions_meta": {
                "sum_of_actions_tco2e_per_year": float(r.loc[r["selected"] & r["kind"].eq("reduction"),
                                                             "total_tco2e"].sum()),
                "n_catalogue_actions": int(len(r)), "n_selected_actions": int(r["selected"].sum()),
                "score_weights": info.get("score_weights", dict(SCORE_WEIGHTS)), "carbon_value_eur_per_tco2e": CARBON_VALUE_EUR_PER_TCO2E,
                "discount_rate": float(r["discount_rate"].iat[0]) if len(r) else None,
                "cost_per_tco2e_formula": "(investment_eur × annuity_factor + yearly_eur − money_saved_eur_per_year)"
                                          " ÷ total_tco2e ; annuity_factor = r ÷ (1 − (1 + r)^−action_lifetime_years)"
                                          " ; réductions seulement (table actions_plan)",
                "perimeter_note": "reduction = bilan de la collectivité + services (usagers compris); la trajectoire "
                                  "ne suit que le bilan",
                "n_draws": info["n_draws"], "seed": info["seed"],
            },
        }

    def plan_summary(self, actions: list[dict]) -> dict:
        """``plan`` of summary.json: decision year, status, the budget by year and its totals, the one list of top
        actions (priority order), the actions outside the plan, the cost method and the unit prices used."""
        info = dict(self.info["plan"])
        prices = info.pop("prices")
        budget = self.info["budget_by_year"]
        money = ["investment_eur", "operating_eur", "savings_eur", "net_eur", "investment_ttc_eur",
                 "operating_ttc_eur", "savings_ttc_eur", "net_ttc_eur"]
        ranked = [a for a in actions if a["selected"] and a["rank"] is not None]
        own = prices[prices["origin"].eq("collectivity")]
        return {
            **info,
            "status_fr": "plan adopté" if info["status"] == "adopted" else "plan proposé",
            "budget_by_year": [{"year": int(row["year"]), **{k: float(row[k]) for k in money},
                                "net_cumulated_eur": float(row["net_cumulated_eur"]),
                                "staff_days": float(row["staff_days"]), "fte": float(row["fte"])}
                               for row in budget.to_dict("records")],
            "budget_totals": {**{k: float(budget[k].sum()) for k in money},
                              "staff_days": float(budget["staff_days"].sum()),
                              "years": [int(budget["year"].min()), int(budget["year"].max())] if len(budget) else []},
            "top_actions": [a["id"] for a in sorted(ranked, key=lambda a: a["rank"])[:5]],
            "actions_in_plan": [a["id"] for a in actions if a["selected"]],
            "complementary_actions": [a["id"] for a in sorted(  # priority order, avoided emissions last
                (a for a in actions if a["decision"] == "complementary"),
                key=lambda a: (a["kind"] == "avoided", -a["score"], a["id"]))],
            "rejected_actions": [a["id"] for a in actions if a["decision"] == "rejected"],
            "not_applicable_actions": [a["id"] for a in actions if not a["applicable"]],
            "cost_method": {
                "per_tonne": "annuité : investissement × r ÷ (1 − (1 + r)^−durée de l'action) + coût annuel − "
                             "économies, divisé par les tCO2e réduites par an",
                "discount_rate": float(self.ranked["discount_rate"].iat[0]) if len(self.ranked) else None,
                "budget": "décaissements de l'année, sans actualisation : investissement réparti sur la mise en "
                          "place, coûts de fonctionnement dès le début, économies au rythme de la montée en charge",
            },
            "unit_prices": {"collectivity": [str(i) for i in own["item"]],
                            "n_indicative": int((~prices["origin"].eq("collectivity")).sum())},
        }

    def write(self, ctx) -> None:
        ctx.write_table("actions_plan", self.actions_table())
        ctx.write_table("unit_prices_used", self.info["plan"]["prices"])
        ctx.write_table("actions_criteria", self.evaluation.criteria)
        ctx.write_table("actions_plan_criteria", self.evaluation.plan_criteria)
        ctx.write_table("actions_roadmap", self.roadmap)
        ctx.write_table("actions_means", means_table(self.plan, self.ranked))
        ctx.write_table("actions_budget_by_year", self.info["budget_by_year"])
        ctx.write_table("trajectory", self.trajectory)
        ctx.write_table("trajectory_budget", self.budget)
        ctx.write_table("actions_indicators", self.indicators)
        follow = self.info.get("follow_up")
        if follow:  # the follow-up's tables (sheets « Suivi … » of tables.xlsx)
            ctx.write_table("follow_up_indicators", pd.DataFrame(follow["indicators"]))
            ctx.write_table("follow_up_actions", pd.DataFrame(follow["actions"]))
            ctx.write_table("follow_up_change", pd.DataFrame([
                {"part": k, **follow["change_tco2e"][k]} for k in ("total", "activity", "factors_and_method")]))
        if "priorities" in self.info:  # issue 35: the ranking with and without the stakeholders' priorities
            ctx.write_table("actions_priorities", self.info["priorities"])
        ctx.write_summary("actions", self.summary())


def _balance_factors(ctx):
    from helpers.io import factors as fm
    from helpers.model import carbon

    overrides = _read_optional(ctx, "factor_overrides")
    factors, _ = carbon.prepare_factors(fm.load_factors(), ctx.territory, overrides)
    return factors


def _float_or_none(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def indicators_table(plan: pd.DataFrame, inputs: lv.PlanInputs, ramps: pd.DataFrame, milestone_year: int,
                     hosting_kinds: pd.DataFrame, presets=None, scenarios: dict | None = None) -> pd.DataFrame:
    """Monitoring indicators of the selected actions: baseline value (inputs), target at full implementation
    (inputs with the lever applied) and at the milestone (ramped), unit and how to measure. ``scenarios``: the
    inputs with each action's lever applied when the caller has them (:attr:`Evaluation.scenarios`)."""
    scenarios = scenarios or {}
    rows = []
    ramp_m = ramps.set_index("action_id")[milestone_year] if milestone_year in ramps else pd.Series(dtype=float)
    for r in plan[plan["selected"]].itertuples(index=False):  # one row per selected action
        base, unit = indicator_value(inputs, r.lever, r.targets, hosting_kinds, presets)
        full = np.nan
        if r.lever not in ("none", "fleet_stabilisation") and np.isfinite(base):
            mod = scenarios.get(r.action_id)
            if mod is None:
                mod = lv.apply_lever(inputs, r.lever, r.param, r.targets, hosting_kinds, presets)
            full, _ = indicator_value(mod, r.lever, r.targets, hosting_kinds, presets)
        if r.lever == "fleet_stabilisation":
            base, unit = float(inputs.inventory["quantity"].sum()), "équipements"
            full = base
        w = float(ramp_m.get(r.action_id, np.nan))
        at_m = base + (full - base) * w if np.isfinite(full) and np.isfinite(w) else np.nan
        rows.append({"action_id": r.action_id, "indicator_fr": r.indicator_fr, "unit": unit, "baseline": base,
                     "target_milestone": at_m, "target_full": full,
                     "target_text_fr": _text(r.indicator_target_fr)})
    return pd.DataFrame(rows)


def business_as_usual(territory, inventory: pd.DataFrame, years, growth_per_year: float | None = None) -> dict:
    """The business as usual of the trajectory (issue 29): the fleet follows the collectivity's headcount and its
    declared plans (``business_as_usual:`` of ``territory.yaml``; nothing declared: 0 %, the reference year
    repeated), or a yearly rate given as a parameter. The inventory's purchase-year trend
    (:func:`helpers.model.trajectory.own_fleet_trend`), which reads a renewal wave as growth, is a sensitivity.

    Returns ``{index, growth_per_year, basis, basis_fr, declared, own_fleet_trend}``."""
    own = tj.own_fleet_trend(inventory, territory.reference_year)
    ref = territory.reference_year
    if growth_per_year is not None:
        rate = float(growth_per_year)
        return {"index": tj.bau_index(years, ref, rate), "growth_per_year": rate, "basis": "parameter",
                "basis_fr": f"taux donné en paramètre : {100 * rate:+.2f} % par an".replace(".", ","),
                "declared": None, "own_fleet_trend": own}
    declared = getattr(territory, "business_as_usual", None) or {"headcount_growth_per_year": 0.0,
                                                                  "declared_changes": []}
    g = float(declared["headcount_growth_per_year"])
    changes = declared["declared_changes"]
    parts = [f"effectifs {100 * g:+.1f} % par an".replace(".", ",") if g else "effectifs constants"]
    parts += [f"{c['year']} : parc {c['fleet_change_pct']:+g} %".replace(".", ",")
              + (f" ({c['note']})" if c.get("note") else "") for c in changes]
    source = ("déclarés par la collectivité (territory.yaml)" if getattr(territory, "business_as_usual", None)
              else "rien de déclaré par la collectivité : le parc reste celui de l'année de référence")
    return {"index": tj.declared_index(years, ref, g, changes), "growth_per_year": g,
            "basis": "headcount_and_declared_plans",
            "basis_fr": "effectifs et projets de la collectivité, " + source + " : " + " ; ".join(parts),
            "declared": declared, "own_fleet_trend": own}


def factor_paths(territory, years, models: Models) -> dict:
    """The yearly index of the French grid's electricity factor and of the manufacturing factors along the
    trajectory (1 in the reference year; issue 29): electricity from the published vintages for the past years
    (``electricity_vintages.csv``, method breaks included) and ``factor_paths.csv`` after the last one (a
    territory's own contract factor stays constant); manufacturing at the yearly change of ``factor_paths.csv``.
    Returns ``{electricity, manufacturing, info}``."""
    from helpers.io import factors as fm

    table = fm.load_factor_paths().set_index("path")
    vintages = fm.load_electricity_vintages()
    ref = territory.reference_year
    own = getattr(territory, "electricity_factor_kgco2e_per_kwh", None)
    e_rate = float(table.loc["electricity_fr", "change_per_year"])
    m_rate = float(table.loc["manufacturing", "change_per_year"])
    if own is not None:
        elec = np.ones(len(years))
        e_basis = "facteur électricité propre de la collectivité (contrat) : constant"
    else:
        elec = tj.vintage_path(years, ref, dict(zip(vintages["year"].astype(int), vintages["value"].astype(float))),
                               e_rate)
        e_basis = (f"millésimes publiés {int(vintages['year'].min())}–{int(vintages['year'].max())} "
                   f"(electricity_vintages.csv, ruptures de méthode comprises), puis "
                   f"{table.loc['electricity_fr', 'label_fr']}")
    manuf = tj.rate_path(years, ref, m_rate)
    info = {"electricity": {"basis": e_basis, "change_per_year_after_last_vintage": e_rate,
                            "source": str(table.loc["electricity_fr", "source"]),
                            "status": str(table.loc["electricity_fr", "status"])},
            "manufacturing": {"basis": str(table.loc["manufacturing", "label_fr"]), "change_per_year": m_rate,
                              "source": str(table.loc["manufacturing", "source"]),
                              "status": str(table.loc["manufacturing", "status"])},
            "sensitivity": "facteurs constants (trajectory.sensitivities.constant_factors)"}
    return {"electricity": elec, "manufacturing": manuf, "info": info}


def _parts_tco2e(plan_parts: dict) -> tuple[dict, dict]:
    """The reference balance's parts and the combined plan's gain on each, in tCO2e."""
    base = {k: v / 1000.0 for k, v in plan_parts["base"].items()}
    gain = {k: (plan_parts["base"][k] - plan_parts["combined"][k]) / 1000.0 for k in plan_parts["base"]}
    return base, gain


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.abs(b) > 1e-12, a / b, 1.0)


def scope_milestones(parts: dict, gain_parts: dict, baseline: float, gain_share, plan, bau, target,
                     mi: int) -> dict:
    """Milestone figures of the two scopes (issue 29): ``purchases`` (spend converted by monetary ratios: no growth,
    no factor path; its gain reached with the plan's share) and ``physical`` (the rest of the total); each scope's
    target is the total's target in the same proportion as its reference (``reference_scope × target ÷
    reference_total``). ``{scope: {reference_tco2e, bau_milestone_tco2e, plan_milestone_tco2e,
    target_milestone_tco2e, gap_milestone_tco2e, plan_gain_tco2e_per_year}}``."""
    share = float(np.asarray(gain_share)[mi])
    p0, gp = parts["purchases"], gain_parts.get("purchases", 0.0)
    k = float(target[mi]) / baseline if baseline else 0.0
    purchases = {"reference_tco2e": p0, "bau_milestone_tco2e": p0, "plan_milestone_tco2e": p0 - gp * share,
                 "target_milestone_tco2e": p0 * k, "plan_gain_tco2e_per_year": gp}
    physical = {"reference_tco2e": baseline - p0, "bau_milestone_tco2e": float(bau[mi]) - p0,
                "plan_milestone_tco2e": float(plan[mi]) - purchases["plan_milestone_tco2e"],
                "target_milestone_tco2e": (baseline - p0) * k,
                "plan_gain_tco2e_per_year": gain_parts.get("total", 0.0) - gp}
    for d in (purchases, physical):
        d["gap_milestone_tco2e"] = d["plan_milestone_tco2e"] - d["target_milestone_tco2e"]
        d["milestone_met"] = bool(d["gap_milestone_tco2e"] <= 0)
    return {"physical": physical, "purchases": purchases}


def follow_up(ctx, previous_study: str | None, selection: pd.DataFrame | None, indicators: list[dict],
              total_tco2e: float, total_draws, n_draws: int, seed: int) -> dict | None:
    """The follow-up of last year's published study (issue 34; None without one): the change of the footprint split
    into activity and factors and method (:mod:`helpers.plan.follow_up`, last year's archived inputs rerun with this
    year's code and library), the plan's actions with their status (``actions.csv``), last year's indicators with
    this year's values and whether they are on track, and the verdict against last year's own plan path."""
    import tempfile

    from helpers.io.previous import read_previous_study
    from helpers.plan import follow_up as fu

    if not previous_study:
        return None
    terr = ctx.territory
    prev = read_previous_study(previous_study, terr)
    with tempfile.TemporaryDirectory(prefix="snr-rerun-") as tmp:
        rerun, rerun_draws = fu.rerun_previous_balance(prev, ctx, _read_optional(ctx, "factor_overrides"),
                                                       Path(tmp), n_draws, seed)
    change = fu.decompose_change(prev.total_tco2e, total_tco2e, total_draws, rerun, rerun_draws)
    like = prev.total_tco2e + change["activity"]["value"]  # this year's footprint at last year's method
    t_prev = prev.summary.get("trajectory") or {}
    milestone = int(t_prev.get("milestone_year") or terr.milestone_year)
    inds = fu.indicators_follow_up(prev.summary.get("indicators") or [], indicators, prev.reference_year,
                                   terr.reference_year, milestone, like, terr.agents)
    statuses = None
    if selection is not None and "status" in selection:
        statuses = selection[["action_id", "status", "status_year", "measured_value"]]
    acts = fu.actions_follow_up(prev.summary.get("actions") or [], statuses, inds)
    return {"previous_study": str(previous_study), "previous_reference_year": prev.reference_year,
            "reference_year": int(terr.reference_year), "milestone_year": milestone,
            "previous_code_version": prev.summary.get("code_version"),
            "previous_factors_version": prev.summary.get("factors_version"),
            "change_tco2e": change, "like_for_like_tco2e": like, "actions": acts, "indicators": inds,
            "verdict": fu.verdict(t_prev.get("paths"), int(terr.reference_year), like),
            "observed": [{"year": prev.reference_year, "tco2e": prev.total_tco2e, "what": "previous_published"},
                         {"year": int(terr.reference_year), "tco2e": float(total_tco2e), "what": "current"},
                         {"year": int(terr.reference_year), "tco2e": like, "what": "current_previous_method"}],
            "previous_paths": t_prev.get("paths")}


def run_study(ctx, n_draws: int = 10_000, seed: int = 20200101, bau_growth_per_year: float | None = None,
              target_share: float = tj.DEFAULT_TARGET_SHARE, score_weights: dict | None = None,
              discount_rate: float = DISCOUNT_RATE, vat_rate: float = bg.VAT_RATE,
              previous_study: str | None = None) -> ActionsStudy:
    """Read the inputs and the earlier notebooks' results, evaluate every catalogue action, rank them, schedule the
    plan's actions from its decision year, compute its budget by year and the trajectory against the carbon
    budget."""
    from helpers.io import factors as fm
    from helpers.io import french
    from helpers.io import prices as pr
    from helpers.plan import priorities as stk

    terr = ctx.territory
    categories = fm.load_categories()
    kinds = fm.load_hosting_kinds()
    catalogue = load_catalogue(categories=list(categories["category"]))
    inputs = load_inputs(ctx)
    warnings = []
    selection = None
    path = ctx.raw / "actions.csv"
    if provided(path):  # header-only = not provided (issue 17)
        site_ids = list(inputs.hosting["site_id"].astype(str)) if inputs.hosting is not None else []
        service_ids = list(inputs.services["service_id"].astype(str)) if inputs.services is not None else []
        selection = read_actions(path, catalogue, terr, list(categories["category"]), site_ids, service_ids)
        warnings += [str(w) for w in take_report(selection).get("warnings", [])]
    decision, decision_source = decision_year(terr.reference_year, terr.plan_start_year)
    presets = si.load_presets() if inputs.services is not None else None
    plan = build_plan(catalogue, selection, terr, inputs.inventory,
                      applicability(catalogue, inputs, kinds), decision)
    warnings += plan_notes(plan, decision)
    prices = pr.effective_prices(pr.load_unit_prices(), _read_optional(ctx, "unit_prices"))
    svc_factors = si.service_factors(ctx)[0] if inputs.services is not None else None
    models = Models(categories=categories, factors=_balance_factors(ctx), hosting_kinds=kinds,
                    reference_year=terr.reference_year, service_factors=svc_factors,
                    service_sites=si.load_hosting_sites(ctx) if inputs.services is not None else None,
                    presets=presets, n_draws=int(n_draws), seed=int(seed), prices=pr.price_dict(prices))
    years = tj.years_range(terr.reference_year, terr.target_year)
    bau = business_as_usual(terr, inputs.inventory, years, bau_growth_per_year)
    index, rate, own = bau["index"], bau["growth_per_year"], bau["own_fleet_trend"]
    m = terr.milestone_year
    mi = int(np.flatnonzero(years == m)[0]) if m in years else len(years) - 1
    g_m = float(index[mi])
    nat_index = tj.national_trend_index(years, terr.reference_year)
    g_nat = float(tj.national_trend_index([m], terr.reference_year)[0])
    own_index = tj.bau_index(years, terr.reference_year, own["growth_per_year"])
    ev = evaluate(plan, inputs, models, growth_at_milestone=g_m)
    weights = score_weights or terr.score_weights  # issue 35: territory.yaml score_weights
    priorities = _read_optional(ctx, "priorities")  # issue 35: the stakeholders' priorities, None without the file
    support = stk.stakeholder_support(priorities, plan["action_id"], plan["axes_list"])
    ranked = prioritise(plan, ev.gains, maturity_axis_scores(ctx), weights, discount_rate, stakeholders=support)
    ramps = roadmap(plan, years)

    # trajectory (balance perimeter)
    b0_d = ev.baseline_balance.draws["climate_change"] / 1000.0
    b0 = ev.baseline_balance.central["climate_change"] / 1000.0
    sel = plan[plan["selected"]].reset_index(drop=True)
    gains_b = sel["action_id"].map(ev.gains.set_index("action_id")["balance_tco2e"]).to_numpy(dtype=float)
    ramp_arr = ramps[[int(y) for y in years]].to_numpy(dtype=float)
    regular = ~sel["lever"].isin(["none", "fleet_stabilisation"]).to_numpy()
    share_t = tj.gain_share(ramp_arr[regular], gains_b[regular]) if regular.any() else np.zeros(len(years))
    stab = sel["lever"].eq("fleet_stabilisation").to_numpy()
    w_stab = (ramp_arr[stab] * sel.loc[stab, "param"].fillna(1.0).to_numpy()[:, None]).max(axis=0) \
        if stab.any() else np.zeros(len(years))
    i_plan = tj.stabilised_index(index, w_stab)
    g_d = ev.plan_balance_draws / 1000.0
    g_c = ev.plan_central["balance"] / 1000.0
    f0 = ev.baseline_fleet.central["climate_change"] / 1000.0
    f0_d = ev.baseline_fleet.draws["climate_change"] / 1000.0
    fp = factor_paths(terr, years, models)
    parts, gparts = _parts_tco2e(ev.plan_parts)
    adj_bau = tj.factor_adjustment(parts, {}, np.zeros(len(years)), index, fp["electricity"], fp["manufacturing"])
    adj_plan = tj.factor_adjustment(parts, gparts, share_t, i_plan, fp["electricity"], fp["manufacturing"])
    plan_flat = tj.fleet_plan_path(b0, f0, g_c, share_t, i_plan)  # constant factors: the sensitivity
    bau_flat = tj.fleet_bau_path(b0, f0, index)
    plan_c, bau_c = plan_flat + adj_plan, bau_flat + adj_bau
    # the draws move with the central path (the factor paths are documented assumptions, not drawn)
    plan_d = tj.fleet_plan_path(b0_d, f0_d, g_d, share_t, i_plan) * _ratio(plan_c, plan_flat)
    bau_d = tj.fleet_bau_path(b0_d, f0_d, index) * _ratio(bau_c, bau_flat)
    # sensitivities: the collectivity's own purchase-year trend (the former default) and the national ADEME–Arcep
    # trend on the whole balance
    own_plan_index = tj.stabilised_index(own_index, w_stab)
    own_bau = tj.fleet_bau_path(b0, f0, own_index) + tj.factor_adjustment(
        parts, {}, np.zeros(len(years)), own_index, fp["electricity"], fp["manufacturing"])
    own_plan = tj.fleet_plan_path(b0, f0, g_c, share_t, own_plan_index) + tj.factor_adjustment(
        parts, gparts, share_t, own_plan_index, fp["electricity"], fp["manufacturing"])
    bau_nat = b0 * nat_index
    plan_nat = tj.plan_path(b0, g_c, share_t, tj.stabilised_index(nat_index, w_stab))
    target = tj.target_pathway(years, terr.reference_year, terr.target_year, b0, target_share)
    traj = tj.trajectory_table(years, bau_c, plan_c, target, *np.percentile(plan_d, [2.5, 97.5], axis=0),
                               *np.percentile(bau_d, [2.5, 97.5], axis=0))
    # what the plan's path is built from, published so its wiring can be checked: Plan(t) = B0 − G × s(t) +
    # F0 × (I_plan(t) − 1) + the factor paths' adjustment, with G the combined plan's gain on the balance
    traj["plan_gain_share"] = share_t
    traj["plan_growth_index"] = i_plan
    traj["bau_growth_index"] = index
    traj["electricity_factor_index"] = fp["electricity"]
    traj["manufacturing_factor_index"] = fp["manufacturing"]
    traj["plan_factor_adjustment_tco2e"] = adj_plan
    traj["bau_factor_adjustment_tco2e"] = adj_bau
    traj["plan_decided"] = years >= decision
    budget = tj.carbon_budget(years, target, terr.reference_year, terr.target_year)
    budget_tab = tj.budget_table(years, {"bau": bau_c, "plan": plan_c, "target": target}, budget,
                                 terr.reference_year, terr.target_year, {"bau": bau_d, "plan": plan_d})

    def ivl(central, draws):
        lo, hi = np.percentile(draws, [2.5, 97.5])
        return {"value": float(central), "low": float(lo), "high": float(hi)}

    cum = {"reference": terr.reference_year, "target": terr.target_year}
    trajectory = {
        "reference_year": int(terr.reference_year), "target_year": int(terr.target_year), "milestone_year": int(m),
        "baseline_tco2e": float(b0), "baseline_tco2e_interval": ivl(b0, b0_d),
        "bau_2030_tco2e": float(bau_c[mi]), "bau_2030_tco2e_interval": ivl(bau_c[mi], bau_d[:, mi]),
        "plan_2030_tco2e": float(plan_c[mi]), "plan_2030_tco2e_interval": ivl(plan_c[mi], plan_d[:, mi]),
        "target_2030_tco2e": float(target[mi]), "target_level_tco2e": float(target[-1]),
        "target_share_of_baseline": float(target_share),
        "milestone_reduction_pct": float((1 - target[mi] / b0) * 100) if b0 else None,
        "budget_tco2e": budget,
        "plan_cumulative_tco2e": float(tj.cumulative(years, plan_c, cum["reference"], cum["target"])),
        "bau_cumulative_tco2e": float(tj.cumulative(years, bau_c, cum["reference"], cum["target"])),
        "plan_overshoot_tco2e": float(budget_tab.set_index("scenario").loc["plan", "overshoot_tco2e"]),
        "bau_overshoot_tco2e": float(budget_tab.set_index("scenario").loc["bau", "overshoot_tco2e"]),
        "budget_definition": "somme des valeurs annuelles de la trajectoire cible, de l'année de référence à "
                             "l'année cible incluses",
        "bau_growth": bau["basis_fr"], "bau_basis": bau["basis"], "bau_basis_fr": bau["basis_fr"],
        "bau_growth_per_year": rate, "own_fleet_trend": own, "bau_declared": bau["declared"],
        "bau_scope": "lignes liées au parc (fabrication et énergie des équipements de l'inventaire) ; papier, achats "
                     "par ratio monétaire et télécoms au forfait sans croissance ; facteurs d'émission selon leur "
                     "chemin (factor_path)",
        "fleet_driven_baseline_tco2e": float(f0),
        "bau_index_2030": g_m, "perimeter": "bilan de la collectivité (notebook 02)",
        "target_basis": (f"SNBC-2 (2020) : émissions brutes divisées par au moins 6 en 2050 par rapport à 1990 "
                         f"(neutralité, le reste absorbé par les puits) ; transposé par cette étude à l'année cible "
                         f"{terr.target_year} du territoire et à son bilan de référence (objectif : "
                         f"{french.fr_number(100 * target_share, 1)} % de ce bilan, un choix de l'étude que la "
                         f"collectivité peut changer)"),
        "national_trend_sensitivity": {
            "basis": tj.NATIONAL_TREND_SOURCE + " ; appliquée à tout le bilan, facteurs constants",
            "bau_2030_tco2e": float(bau_nat[mi]), "plan_2030_tco2e": float(plan_nat[mi]),
            "bau_index_2030": g_nat,
            "avoided_by_stabilisation_tco2e": float(f0 * max(g_nat - 1.0, 0.0)),
            "plan_overshoot_tco2e": float(tj.cumulative(years, plan_nat, cum["reference"], cum["target"]))
            - budget,
        },
        "factor_path": {**fp["info"], "parts_tco2e": parts, "plan_gain_parts_tco2e": gparts,
                        "electricity_index_2030": float(fp["electricity"][mi]),
                        "manufacturing_index_2030": float(fp["manufacturing"][mi])},
        "sensitivities": {
            "inventory_trend": {
                "basis": own["basis"], "growth_per_year": float(own["growth_per_year"]),
                "bau_2030_tco2e": float(own_bau[mi]), "plan_2030_tco2e": float(own_plan[mi]),
                "avoided_by_stabilisation_tco2e": float(f0 * max(float(own_index[mi]) - 1.0, 0.0)),
                "plan_overshoot_tco2e": float(tj.cumulative(years, own_plan, cum["reference"], cum["target"]))
                - budget},
            "constant_factors": {
                "basis": "facteurs d'émission constants, ceux de l'année de référence",
                "bau_2030_tco2e": float(bau_flat[mi]), "plan_2030_tco2e": float(plan_flat[mi]),
                "plan_overshoot_tco2e": float(tj.cumulative(years, plan_flat, cum["reference"], cum["target"]))
                - budget},
        },
    }
    trajectory["by_scope"] = scope_milestones(parts, gparts, b0, share_t, plan_c, bau_c, target, mi)
    verdict = tj.milestone_verdict(plan_c[mi], target[mi], trajectory["plan_cumulative_tco2e"], budget, b0)
    trajectory.update(verdict)
    # the yearly paths, for next year's follow-up study (issue 34)
    trajectory["paths"] = {"years": [int(y) for y in years], "bau_tco2e": [float(v) for v in bau_c],
                           "plan_tco2e": [float(v) for v in plan_c], "target_tco2e": [float(v) for v in target]}
    indicators = indicators_table(plan, inputs, ramps, m, kinds, models.presets, ev.scenarios)
    n_agents = terr.agents
    head = pd.DataFrame([
        {"action_id": "", "indicator_fr": "Empreinte carbone annuelle du numérique de la collectivité (bilan "
                                          "annualisé, rejouer ce diagnostic)", "unit": "tCO2e/an", "baseline": b0,
         "target_milestone": float(target[mi]), "target_full": float(target[-1]), "target_text_fr": ""},
        {"action_id": "", "indicator_fr": "Empreinte carbone par agent", "unit": "kgCO2e/agent/an",
         "baseline": b0 * 1000 / n_agents, "target_milestone": float(target[mi]) * 1000 / n_agents,
         "target_full": float(target[-1]) * 1000 / n_agents, "target_text_fr": ""},
    ])
    indicators = pd.concat([head, indicators], ignore_index=True)
    ind_summary = [{"action_id": _text(r.action_id) or None, "indicator": r.indicator_fr, "unit": r.unit,
                    "baseline": None if pd.isna(r.baseline) else float(r.baseline),
                    "target_2030": None if pd.isna(r.target_milestone) else float(r.target_milestone),
                    "target_text": _text(r.target_text_fr) or None} for r in indicators.itertuples(index=False)]
    counterfactual = {"basis": bau["basis_fr"], "growth_per_year": rate, "index_at_milestone": g_m,
                      "milestone_year": int(m), "fleet_driven_baseline_tco2e": float(f0),
                      "applies_to": "lignes liées au parc uniquement ; économie en euros sur les seuls équipements "
                                    "non achetés",
                      "national_sensitivity_tco2e": float(f0 * max(g_nat - 1.0, 0.0)),
                      "inventory_trend_sensitivity_tco2e": float(f0 * max(float(own_index[mi]) - 1.0, 0.0))}
    budget_years = np.arange(decision, max(int(m), decision) + 1)
    budget_rows = plan_budget(plan, ranked, ev, budget_years, vat_rate)
    plan_info = {
        "start_year": int(decision), "start_year_source": decision_source, "status": plan_status(plan),
        "reference_year": int(terr.reference_year), "milestone_year": int(m),
        "business_as_usual_years": [int(y) for y in range(int(terr.reference_year) + 1, int(decision))],
        "vat_rate": float(vat_rate), "days_per_fte": float(bg.DAYS_PER_FTE),
        "balance_gain_tco2e_per_year": float(g_c),
        "reduction_pct_of_reference": float(g_c / b0 * 100) if b0 else None,
        "reduction_pct_base": "réduction du bilan de la collectivité par le plan complet, en % du bilan "
                              f"{terr.reference_year} (achats compris) ; les services des usagers sont à part",
        "money_saved_eur_per_year": float(ev.plan_money_saved_eur_per_year),
        "prices": prices,
    }
    follow = follow_up(ctx, previous_study or terr.previous_study, selection, ind_summary, b0, b0_d, n_draws, seed)
    info = {"trajectory": trajectory, "indicators": ind_summary, "n_draws": int(n_draws), "seed": int(seed),
            "counterfactual": counterfactual, "plan": plan_info, "budget_by_year": budget_rows, "follow_up": follow,
            "years": years, "bau_index": index, "stabilised_index": i_plan, "gain_share": share_t,
            "baseline_cost": ev.baseline_cost, "score_weights": {k: float(v) for k, v in weights.items()}}
    if support is not None:  # issue 35: the ranking without the stakeholders' criterion, beside
        info["priorities"] = stk.ranking_comparison(ranked, prioritise(plan, ev.gains, maturity_axis_scores(ctx),
                                                                      {**weights, "stakeholders": 0.0},
                                                                      discount_rate))
        info["priorities_summary"] = stk.priorities_summary(priorities, info["priorities"],
                                                           weights.get("stakeholders", 0.0))
    return ActionsStudy(plan=plan, ranked=ranked, evaluation=ev, roadmap=ramps, trajectory=traj,
                        budget=budget_tab, indicators=indicators, axis_scores=maturity_axis_scores(ctx),
                        info=info, warnings=warnings + ev.notes)


# ----------------------------------------------------------------------------------------------------------------
# Pollution transfers (the actions that raise another criterion than climate change; shown by
# helpers.report.actions.criteria_markdown)
# ----------------------------------------------------------------------------------------------------------------

def pollution_transfers(criteria: pd.DataFrame, ranked: pd.DataFrame) -> pd.DataFrame:
    """Actions that raise a criterion other than climate change (avoided value < 0 with its whole 95 % interval
    below 0), with the change in % of the baseline (negative = more impact)."""
    from helpers.model.carbon import CRITERIA_LABELS

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
