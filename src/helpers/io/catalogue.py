"""The action plan's inputs: the reference catalogue of actions, the territory's ``actions.csv`` and the maturity axes.

- :func:`load_catalogue` reads ``data/raw/reference/actions_catalogue.csv`` (each action bound to a lever of
  :mod:`helpers.model.levers`, with default parameter, costs, effort, indicator and sources) and checks it.
- :func:`read_actions` reads the territory's optional ``data/raw/<slug>/actions.csv`` (selection, start year,
  parameter and cost overrides, follow-up status) and reports every problem with its line and column.
- :func:`known_axes` and :func:`axis_labels` read the maturity axes (``maturity_axes.csv``).

The checks that depend on a lever (its parameter's bounds, the kind of target it takes) need the lever registry of
the model, which this layer cannot import: the caller passes it (``levers``, :data:`helpers.model.levers.LEVERS`).
Without it, those checks are left to the caller that has it (the action plan's section always passes it).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.io import bounds as B
from helpers.io.carbon_inputs import PURCHASE_CATEGORIES
from helpers.io.errors import InputError, InputProblem, display_path
from helpers.io.lever_units import LEVER_UNITS_FR
from helpers.io.paths import REFERENCE_DIR
from helpers.io.services_inputs import VIDEO_QUALITIES
from helpers.io.tables import Column, Schema, plain, read_table

CATALOGUE_PATH = REFERENCE_DIR / "actions_catalogue.csv"
MATURITY_AXES_PATH = REFERENCE_DIR / "maturity_axes.csv"

#: maturity axes used until ``maturity_axes.csv`` exists (ids of the maturity module)
FALLBACK_AXES: tuple[str, ...] = (
    "strategy_governance", "measurement_steering", "responsible_purchasing", "equipment_lifecycle",
    "ecodesign_services", "awareness_training", "inclusion_accessibility", "territorial_levers",
)
#: French labels of :data:`FALLBACK_AXES` (``label_fr`` of ``maturity_axes.csv`` replaces them when present)
AXIS_LABELS_FR: dict[str, str] = {
    "strategy_governance": "Stratégie et gouvernance", "measurement_steering": "Mesure et pilotage",
    "responsible_purchasing": "Achats responsables", "equipment_lifecycle": "Cycle de vie des équipements",
    "ecodesign_services": "Écoconception des services", "awareness_training": "Sensibilisation et formation",
    "inclusion_accessibility": "Inclusion et accessibilité", "territorial_levers": "Leviers territoriaux",
}
COST_SCALINGS: tuple[str, ...] = ("fixed", "per_1000_agents", "per_device")
STATUSES: tuple[str, ...] = ("sourced", "assumption")
#: the targets of the lever ``video_quality`` (qualities of ``services.csv``)

#: statuses of an action in ``actions.csv`` (column ``status``), as written -> code
STATUS_CODES: dict[str, str] = {
    "prévue": "planned", "prevue": "planned", "planned": "planned", "a faire": "planned", "à faire": "planned",
    "en cours": "in_progress", "in progress": "in_progress", "in_progress": "in_progress",
    "réalisée": "done", "realisee": "done", "réalisé": "done", "realise": "done", "done": "done", "terminée": "done",
    "abandonnée": "abandoned", "abandonnee": "abandoned", "abandoned": "abandoned",
}


def status_code(text) -> str | None:
    """The code of a status as written in ``actions.csv`` (:data:`STATUS_CODES`), None when empty."""
    if text is None or (isinstance(text, float) and np.isnan(text)) or not str(text).strip():
        return None
    return STATUS_CODES.get(" ".join(str(text).strip().lower().split()))


def parse_target(text) -> list[str]:
    """``"laptop; desktop"`` → ``["laptop", "desktop"]``; empty or NaN → ``[]``."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return []
    return [t.strip() for t in str(text).split(";") if t.strip()]


# ----------------------------------------------------------------------------------------------------------------
# Maturity axes
# ----------------------------------------------------------------------------------------------------------------

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


# ----------------------------------------------------------------------------------------------------------------
# Catalogue
# ----------------------------------------------------------------------------------------------------------------

def catalogue_schema(lever_ids=None) -> Schema:
    """The schema of ``actions_catalogue.csv``; ``lever_ids``: the levers a row may name (unchecked when None)."""
    allowed = None if lever_ids is None else tuple(lever_ids)
    return Schema(
        file="actions_catalogue.csv",
        description="Catalogue of reduction actions: each bound to a lever with a default parameter, costs, effort, "
                    "a monitoring indicator and sources.",
        unique=("action_id",),
        columns=(
            Column("action_id", "str", required=True, description="unique id", example="A01"),
            Column("title_fr", "str", required=True, description="short French title"),
            Column("description_fr", "str", required=True, description="what is done, in French"),
            Column("axes", "str", required=True, description="maturity axis ids, separated by ';'"),
            Column("lever", "str", required=True, allowed=allowed, description="lever id (helpers.model.levers)"),
            Column("lever_target", "str", description="categories, sites, service ids or quality, separated by ';'"),
            Column("param_value", "float", min=0, max=B.MAX_LEVER_PARAMETER,
                   description="default parameter of the lever (years, share, ratio, PUE)"),
            Column("cost_investment_eur", "float", min=0, max=B.MAX_EUR, unit="EUR", default=0.0,
                   description="one-off investment"),
            Column("cost_yearly_eur", "float", min=0, max=B.MAX_EUR_PER_YEAR, unit="EUR/year", default=0.0,
                   description="yearly running cost"),
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
                   description="recurring staff time once the action runs (governance, yearly measurement, "
                               "training), agent-days per year from its start"),
        ),
    )


#: the schema of ``actions_catalogue.csv`` without the lever check (the columns, their kinds and bounds, which the
#: documentation and the bounds' tests read); :func:`load_catalogue` checks the levers against its ``levers``
CATALOGUE_SCHEMA = catalogue_schema()


def _category_problems(file, line, column, lever: str, targets: list[str], categories: list[str] | None
                       ) -> list[InputProblem]:
    if not targets:
        return [InputProblem(file, line, column, "", f"les catégories d'équipement sur lesquelles agit le levier "
                                                     f"'{lever}' (par ex. 'laptop;desktop')")]
    problems = []
    for t in targets if categories is not None else ():
        if t not in categories:
            close = difflib.get_close_matches(t, categories, n=2)
            hint = f" (les plus proches : {', '.join(close)})" if close else ""
            problems.append(InputProblem(file, line, column, t, f"une catégorie de categories.csv{hint}"))
    return problems


def _target_problems(file, line, column, lever: str, spec, targets: list[str], categories: list[str] | None
                     ) -> list[InputProblem]:
    """The targets of an action checked against the kind its lever ``spec`` takes (categories, purchase categories,
    quality; sites and services are checked by :func:`read_actions`, which knows the territory's ids)."""
    if spec.target_kind == "categories":
        return _category_problems(file, line, column, lever, targets, categories)
    allowed = {"purchase_categories": list(PURCHASE_CATEGORIES), "quality": list(VIDEO_QUALITIES)}.get(
        spec.target_kind)
    if allowed is None:
        return []
    return [InputProblem(file, line, column, t, f"une valeur parmi {allowed}") for t in targets if t not in allowed]


def _param_problem(file, line, column, lever: str, spec, value) -> InputProblem | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        if spec.parameter and spec.min is not None:
            return InputProblem(file, line, column, "", f"une valeur pour le levier '{lever}' ({LEVER_UNITS_FR[lever]})")
        return None
    if spec.min is not None and value < spec.min or spec.max is not None and value > spec.max:
        return InputProblem(file, line, column, value,
                            f"une valeur entre {spec.min:g} et {spec.max:g} pour le levier '{lever}' ({LEVER_UNITS_FR[lever]})")
    return None


def _axis_problems(file, line, axes_list: list[str], axes: list[str]) -> list[InputProblem]:
    problems = []
    for a in axes_list:
        if a not in axes:
            close = difflib.get_close_matches(a, axes, n=1)
            hint = f" (vouliez-vous dire '{close[0]}' ?)" if close else ""
            problems.append(InputProblem(file, line, "axes", a, f"un axe de maturité parmi {axes}{hint}"))
    if not axes_list:
        problems.append(InputProblem(file, line, "axes", "", "au moins un axe de maturité"))
    return problems


def load_catalogue(path: str | Path | None = None, axes: list[str] | None = None,
                   categories: list[str] | None = None, levers: Mapping | None = None) -> pd.DataFrame:
    """Read and check the action catalogue.

    Checks (all reported at once): every axis known (:func:`known_axes`); with ``levers`` (the lever registry,
    :data:`helpers.model.levers.LEVERS`), the lever known, the default parameter within the lever's bounds and the
    targets valid for the lever (categories of ``categories.csv``, purchase categories, quality).

    Returns
    -------
    DataFrame with the schema's columns plus ``_line``, ``axes_list`` and ``targets`` (lists).
    """
    path = Path(path) if path else CATALOGUE_PATH
    file = display_path(path)
    df = read_table(path, catalogue_schema(None if levers is None else list(levers)))
    axes = known_axes() if axes is None else list(axes)
    if categories is None:
        from helpers.io.factors import load_categories

        categories = list(load_categories()["category"])
    problems: list[InputProblem] = []
    df["axes_list"] = df["axes"].map(parse_target)
    df["targets"] = df["lever_target"].map(parse_target)
    for line, r in zip(df["_line"].astype(int), df.itertuples(index=False)):  # one step per action (tens)
        problems += _axis_problems(file, line, r.axes_list, axes)
        if levers is None:
            continue
        p = _param_problem(file, line, "param_value", r.lever, levers[r.lever], r.param_value)
        problems += [p] if p else []
        problems += _target_problems(file, line, "lever_target", r.lever, levers[r.lever], r.targets, categories)
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


def _unknown_action(file, line, action_id, known: list[str]) -> InputProblem:
    close = difflib.get_close_matches(str(action_id), known, n=2)
    hint = f" (les plus proches : {', '.join(close)})" if close else ""
    return InputProblem(file, line, "action_id", action_id,
                        f"un action_id de data/raw/reference/actions_catalogue.csv{hint}")


def _param_override_problems(file, line, action_id, lever: str, spec, value) -> list[InputProblem]:
    """A ``param_value`` of ``actions.csv``: within the lever's bounds, or a warning when the lever takes none."""
    if np.isnan(value):
        return []
    p = _param_problem(file, line, "param_value", lever, spec, value)
    if p:
        return [p]
    if not spec.parameter or spec.min is None:
        return [InputProblem(file, line, "param_value", value,
                             f"aucune valeur : le levier '{lever}' de {action_id} ne prend pas de paramètre",
                             severity="warning")]
    return []


def _id_problems(file, line, targets: list[str], ids: list[str] | None, expected: str, split: bool = False
                 ) -> list[InputProblem]:
    """Targets that are not among ``ids`` (site merges ``from>to`` split on ``>`` when ``split``)."""
    if ids is None:
        return []
    names = [s.strip() for t in targets for s in (t.split(">") if split else [t])]
    return [InputProblem(file, line, "target", s, f"{expected} {sorted(ids)}") for s in names if s not in ids]


def _target_override_problems(file, line, r, lever: str, spec, categories, site_ids, service_ids
                              ) -> list[InputProblem]:
    """A ``target`` of ``actions.csv`` checked against what the action's lever takes and the territory's ids."""
    targets = parse_target(r.target)
    if not targets:
        return []
    problems = _target_problems(file, line, "target", lever, spec, targets, categories)
    if spec.target_kind == "sites":
        problems += _id_problems(file, line, targets, site_ids, "un site_id de hosting.csv", split=True)
    if spec.target_kind == "services":
        problems += _id_problems(file, line, targets, service_ids, "un service_id de services.csv")
    if spec.target_kind == "none":
        problems.append(InputProblem(file, line, "target", r.target,
                                     f"aucune cible : le levier '{lever}' n'en prend pas", severity="warning"))
    return problems


def _status_problems(file, df: pd.DataFrame) -> list[InputProblem]:
    if "status" not in df:
        return []
    return [InputProblem(file, int(df["_line"].iat[idx]), "status", df["status"].iat[idx],
                         "prévue, en cours, réalisée ou abandonnée (ou vide)")
            for idx in np.flatnonzero(df["status"].notna().to_numpy())
            if status_code(df["status"].iat[idx]) is None]


def _start_year_problems(file, df: pd.DataFrame, territory) -> list[InputProblem]:
    if territory is None:
        return []
    lo, hi = int(territory.reference_year), int(territory.target_year)
    bad = df["start_year"].notna() & ((df["start_year"] < lo) | (df["start_year"] > hi))
    return [InputProblem(file, int(df["_line"].iat[idx]), "start_year", int(df["start_year"].iat[idx]),
                         f"une année entre l'année de référence {lo} et l'année cible {hi}")
            for idx in np.flatnonzero(bad.to_numpy())]


def read_actions(path, catalogue: pd.DataFrame, territory=None, categories: list[str] | None = None,
                 site_ids: list[str] | None = None, service_ids: list[str] | None = None,
                 levers: Mapping | None = None) -> pd.DataFrame:
    """Read and validate the territory's ``actions.csv``.

    Parameters
    ----------
    path : the file
    catalogue : :func:`load_catalogue` output
    territory : :class:`helpers.io.territory.Territory`; start years must lie from its reference year to its target
        year (without it: 2000–2100)
    categories, site_ids, service_ids : known ids to check ``target`` overrides (unchecked when None)
    levers : the lever registry (:data:`helpers.model.levers.LEVERS`) to check ``param_value`` and ``target``
        overrides against each action's lever (unchecked when None)

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
            problems.append(_unknown_action(file, line, r.action_id, known))
            continue
        lever = lever_of[r.action_id]
        if levers is not None:
            problems += _param_override_problems(file, line, r.action_id, lever, levers[lever], r.param_value)
            problems += _target_override_problems(file, line, r, lever, levers[lever], categories, site_ids,
                                                  service_ids)
    problems += _status_problems(file, df) + _start_year_problems(file, df, territory)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    df.attrs["warnings"] = [p for p in problems if p.severity != "error"]
    return df.reset_index(drop=True)
