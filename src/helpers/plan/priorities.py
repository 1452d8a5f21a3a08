"""The stakeholders' priorities as a criterion of the action ranking (issue 35): pure functions of values.

``priorities.csv`` (read by :mod:`helpers.io.priorities`) gives, per stakeholder group, a weight or a number of votes
for actions or axes. :func:`stakeholder_support` turns them into one component per action in 0–1:

1. each group counts equally: its weights are divided by their sum (``share_g(x) = w_g(x) ÷ Σ w_g``);
2. an action's support from a group is the group's share for the action plus the mean of its shares for the action's
   axes (a vote for an axis supports every action of that axis; an action of two axes gets the mean of both);
3. the support is averaged over the groups and divided by the largest support, so the most supported action scores
   1 and an action nobody voted for 0.

The component enters :func:`helpers.plan.actions.priority_score` with the weight ``score_weights: stakeholders`` of
``territory.yaml`` (:data:`DEFAULT_STAKEHOLDER_WEIGHT` by default); :func:`ranking_comparison` sets the ranking with
it beside the ranking without it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: weight of the stakeholders' criterion when ``territory.yaml`` does not set it (the study's choice: as much as the
#: maturity gap; used only when ``priorities.csv`` is provided)
DEFAULT_STAKEHOLDER_WEIGHT = 0.20


def stakeholder_support(priorities: pd.DataFrame | None, action_ids, axes_lists) -> pd.Series | None:
    """The stakeholders' component of each action (Series indexed by action id, in 0–1), or None without
    priorities.

    ``priorities``: columns ``group, target_kind (action|axis), target_id, weight``; ``axes_lists``: the axes of
    each action of ``action_ids`` (same order)."""
    if priorities is None or not len(priorities):
        return None
    ids = [str(a) for a in action_ids]
    df = priorities[["group", "target_kind", "target_id", "weight"]].copy()
    df["weight"] = df["weight"].astype(float)
    totals = df.groupby("group")["weight"].transform("sum")
    df = df[totals > 0]
    if not len(df):
        return None
    df["share"] = df["weight"] / df.groupby("group")["weight"].transform("sum")
    groups = sorted(df["group"].unique())
    per_group = df.pivot_table(index=["target_kind", "target_id"], columns="group", values="share", aggfunc="sum",
                               fill_value=0.0).reindex(columns=groups, fill_value=0.0)
    zero = np.zeros(len(groups))

    def share(kind: str, key: str) -> np.ndarray:
        return per_group.loc[(kind, key)].to_numpy(dtype=float) if (kind, key) in per_group.index else zero

    support = np.array([(share("action", a) + (np.mean([share("axis", x) for x in axes], axis=0) if len(axes)
                                               else zero)).mean()
                        for a, axes in zip(ids, axes_lists, strict=True)])
    top = support.max()
    return pd.Series(support / top if top > 0 else support, index=ids, name="stakeholder_component")


def ranking_comparison(with_priorities: pd.DataFrame, without: pd.DataFrame) -> pd.DataFrame:
    """The actions of the plan ranked with and without the stakeholders' criterion: ``action_id, title_fr,
    rank_with, rank_without, change`` (positive: the stakeholders move the action up), ``stakeholder_component``,
    ``score_with, score_without``; in the order of the ranking with the criterion, then the actions ranked only
    among all applicable actions (``rank_all``)."""
    a = with_priorities.set_index("action_id")
    b = without.set_index("action_id")
    ranked = a[a["rank_all"].notna()].sort_values("rank_all")
    out = pd.DataFrame({
        "action_id": ranked.index,
        "title_fr": ranked["title_fr"].to_numpy(),
        "selected": ranked["selected"].astype(bool).to_numpy(),
        "rank_with": ranked["rank"].to_numpy(),
        "rank_without": b.loc[ranked.index, "rank"].to_numpy(),
        "rank_all_with": ranked["rank_all"].to_numpy(),
        "rank_all_without": b.loc[ranked.index, "rank_all"].to_numpy(),
        "stakeholder_component": ranked.get("stakeholder_component", pd.Series(0.0, index=ranked.index)).to_numpy(),
        "score_with": ranked["score"].to_numpy(dtype=float),
        "score_without": b.loc[ranked.index, "score"].to_numpy(dtype=float),
    })
    out["change"] = (pd.array(out["rank_all_without"], dtype="Int64")
                     - pd.array(out["rank_all_with"], dtype="Int64"))
    return out.reset_index(drop=True)


def priorities_summary(priorities: pd.DataFrame, comparison: pd.DataFrame, weight: float) -> dict:
    """``plan_priorities`` of ``summary.json``: the groups, the number of rows, the weight of the criterion and the
    plan's ranking with and without it (action ids in order); its French ``method`` is
    :data:`helpers.report.priorities.METHOD_FR`."""
    sel = comparison[comparison["rank_with"].notna()]
    return {
        "provided": True, "weight": float(weight),
        "groups": sorted(map(str, priorities["group"].unique())), "n_rows": int(len(priorities)),
        "ranking_with": [str(a) for a in sel.sort_values("rank_with")["action_id"]],
        "ranking_without": [str(a) for a in sel.sort_values("rank_without")["action_id"]],
    }
