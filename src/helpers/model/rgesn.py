"""RGESN self-assessment of the key digital services (Référentiel général d'écoconception de services numériques).

The 2024 referential (Arcep, Arcom, ADEME, DINUM, CNIL, Inria; 17 May 2024) has 78 criteria in 9 families
(Stratégie 10, Spécifications 10, Architecture 7, UX/UI 15, Contenus 8, Frontend 7, Backend 4, Hébergement 10,
Algorithmie 7). ``data/raw/reference/rgesn_criteria.csv`` lists them with their number, family, priority and
difficulty taken from ``DISIC/MiNumEco:_data/referentiel-ecoconception.json`` and a short French label written for
this project (the official wording is not copied); ``helpers.io.rgesn_inputs`` reads it and the territory's
answers.

Each criterion is answered *conforme*, *non conforme* or *non applicable*. The compliance score is
``conforme ÷ (total − non applicable)`` (``DISIC/MiNumEco:content/ressources/documents-reference/
referentiel-general-ecoconception/a-propos.md``), per family and overall. Criteria left unanswered are reported as
such; they count in the denominator (they are not shown as compliant), and the share answered is given beside the
score.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.io.rgesn_inputs import FAMILIES, NOT_ASSESSED, OVERALL, PRIORITIES


def answers_grid(answers: pd.DataFrame, criteria: pd.DataFrame, service_ids) -> pd.DataFrame:
    """Every (service, criterion) pair with its answer, ``non_evalue`` where none was given.

    Returns
    -------
    DataFrame ``service_id, number, family, priority, difficulty, label_fr, answer, justification``.
    """
    ids = [str(s) for s in service_ids]
    grid = pd.MultiIndex.from_product([ids, criteria["number"]], names=["service_id", "number"]).to_frame(index=False)
    grid = grid.merge(criteria[["number", "family", "priority", "difficulty", "label_fr"]], on="number", how="left")
    a = answers.rename(columns={"criterion": "number"})[["service_id", "number", "answer", "justification"]]
    grid = grid.merge(a, on=["service_id", "number"], how="left")
    grid["answer"] = grid["answer"].fillna(NOT_ASSESSED)
    return grid


def _score(group: pd.DataFrame) -> pd.Series:
    n = len(group)
    c = int((group["answer"] == "conforme").sum())
    nc = int((group["answer"] == "non_conforme").sum())
    na = int((group["answer"] == "non_applicable").sum())
    ne = int((group["answer"] == NOT_ASSESSED).sum())
    applicable = n - na
    return pd.Series({
        "n_criteria": n, "n_conforme": c, "n_non_conforme": nc, "n_non_applicable": na, "n_non_evalue": ne,
        "score_pct": c / applicable * 100 if applicable > 0 else np.nan,
        "answered_pct": (n - ne) / n * 100 if n else np.nan,
    })


def rgesn_scores(answers: pd.DataFrame, criteria: pd.DataFrame, service_ids, by: str = "family") -> pd.DataFrame:
    """Compliance score per service, per family (or priority) and overall (the row :data:`OVERALL`).

    ``score_pct = conforme ÷ (criteria − non applicable) × 100``; unanswered criteria (``n_non_evalue``) stay in the
    denominator; ``answered_pct`` tells how much of the referential was assessed.

    Parameters
    ----------
    answers : ``helpers.io.rgesn_inputs.read_rgesn`` output
    criteria : ``helpers.io.rgesn_inputs.load_criteria`` output
    service_ids : services to score (a service with no answer gets a row with everything ``non évalué``)
    by : ``"family"`` or ``"priority"``

    Returns
    -------
    DataFrame ``service_id, <by>, n_criteria, n_conforme, n_non_conforme, n_non_applicable, n_non_evalue,
    score_pct, answered_pct`` (groups in referential order, then the overall row).
    """
    grid = answers_grid(answers, criteria, service_ids)
    order = list(FAMILIES) if by == "family" else list(PRIORITIES)
    parts = []
    for sid, g in grid.groupby("service_id", sort=False):
        rows = [(_score(g[g[by] == key]).rename(key)) for key in order if (g[by] == key).any()]
        rows.append(_score(g).rename(OVERALL))
        t = pd.DataFrame(rows)
        t.index.name = by
        t = t.reset_index()
        t.insert(0, "service_id", sid)
        parts.append(t)
    out = pd.concat(parts, ignore_index=True)
    for col in ("n_criteria", "n_conforme", "n_non_conforme", "n_non_applicable", "n_non_evalue"):
        out[col] = out[col].astype(int)
    return out
