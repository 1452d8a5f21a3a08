"""``priorities.csv``: the priorities the territory's stakeholders set (issue 35), e.g. the votes of a public meeting,
of a citizens' council or of an agents' survey, read strictly.

One row per (stakeholder group, action or axis): the group's weight or number of votes for it. An action is named by
its catalogue id (``A01``) or title, an axis by its id (``equipment_lifecycle``) or French name (« Cycle de vie des
équipements »). How the votes enter the prioritisation is :mod:`helpers.plan.priorities`.
"""

from __future__ import annotations

import difflib

import pandas as pd

from helpers.io.errors import InputProblem, display_path
from helpers.io.tables import Column, Schema, normalise_name

PRIORITIES_SCHEMA = Schema(
    file="priorities.csv",
    description=(
        "Optional: the stakeholders' priorities, e.g. from a public meeting, a citizens' council or an agents' "
        "survey: one row per stakeholder group and action (catalogue id such as A01, or its title) or axis (id such "
        "as equipment_lifecycle, or its French name), with the group's weight or number of votes. Each group counts "
        "equally; the votes become the 'stakeholders' criterion of the action ranking (weight score_weights: "
        "stakeholders in territory.yaml, 0.20 by default), and the diagnostic shows the ranking with and without it."
    ),
    columns=(
        Column("group", "str", required=True,
               synonyms=("groupe", "partie_prenante", "parties_prenantes", "stakeholder", "stakeholder_group",
                         "college", "acteur", "participants", "groupe_de_parties_prenantes"),
               description="stakeholder group (e.g. habitants, agents, élus, entreprises)", example="habitants",
               label_fr="le groupe de parties prenantes (par ex. habitants, agents, élus)"),
        Column("target", "str", required=True,
               synonyms=("action", "axe", "axis", "action_id", "action_ou_axe", "cible", "priorite", "theme"),
               description="action id or title of the catalogue, or axis id or French name", example="A01",
               label_fr="un identifiant ou un titre d'action du catalogue, ou un axe (identifiant ou nom)"),
        Column("weight", "float", required=True, min=0, max=1_000_000,
               synonyms=("poids", "votes", "vote", "points", "nombre_de_votes", "voix", "note"),
               description="weight or number of votes of the group for the action or axis", example=12,
               label_fr="un poids ou un nombre de votes positif ou nul"),
        Column("comment", "str", synonyms=("commentaire", "source"),
               description="free text: meeting, date, how the votes were collected", example="réunion publique"),
    ),
)


def _targets(catalogue: pd.DataFrame, axes: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Normalised name -> (kind, id) for every action id and title and every axis id and name."""
    out: dict[str, tuple[str, str]] = {}
    for aid, title in zip(catalogue["action_id"], catalogue["title_fr"], strict=True):
        out.setdefault(normalise_name(aid), ("action", str(aid)))
        out.setdefault(normalise_name(title), ("action", str(aid)))
    for axis, label in axes.items():
        out.setdefault(normalise_name(axis), ("axis", str(axis)))
        out.setdefault(normalise_name(label), ("axis", str(axis)))
    return out


def read_priorities(path, catalogue: pd.DataFrame | None = None, axes: dict[str, str] | None = None
                    ) -> pd.DataFrame:
    """Read ``priorities.csv`` (:data:`PRIORITIES_SCHEMA`) and add ``target_kind`` (``action`` or ``axis``) and
    ``target_id``; an unknown action or axis is an error naming the closest ones, a group that gives no positive
    weight is a warning (it counts for nothing)."""
    from helpers.io import catalogue as cat
    from helpers.io.carbon_inputs import _finish, _read

    catalogue = cat.load_catalogue() if catalogue is None else catalogue
    axes = cat.axis_labels() if axes is None else axes
    known = _targets(catalogue, axes)
    df, problems, report = _read(path, PRIORITIES_SCHEMA)
    file = display_path(path)
    kinds, ids = [], []
    for line, value in zip(df["_line"], df["target"], strict=True):
        hit = known.get(normalise_name(value)) if value is not None else None
        kinds.append(hit[0] if hit else None)
        ids.append(hit[1] if hit else None)
        if value is not None and hit is None:
            close = difflib.get_close_matches(normalise_name(value), list(known), n=3, cutoff=0.6)
            names = sorted({known[c][1] for c in close})
            hint = f" (les plus proches : {', '.join(names)})" if names else ""
            problems.append(InputProblem(file, int(line), "target", value, "un identifiant ou un titre d'action du "
                                         f"catalogue, ou un axe (identifiant ou nom){hint}"))
    df["target_kind"], df["target_id"] = kinds, ids
    totals = df.groupby("group")["weight"].sum()
    for group in totals.index[totals <= 0]:
        problems.append(InputProblem(file, None, "weight", group, f"le groupe « {group} » ne donne aucun poids "
                                     "positif : il ne compte pas", severity="warning", kind="note"))
    return _finish(df, problems, report)
