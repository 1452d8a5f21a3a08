"""RGESN self-assessment of the key digital services (Référentiel général d'écoconception de services numériques).

The 2024 referential (Arcep, Arcom, ADEME, DINUM, CNIL, Inria; 17 May 2024) has 78 criteria in 9 families
(Stratégie 10, Spécifications 10, Architecture 7, UX/UI 15, Contenus 8, Frontend 7, Backend 4, Hébergement 10,
Algorithmie 7). ``data/raw/reference/rgesn_criteria.csv`` lists them with their number, family, priority and
difficulty taken from ``DISIC/MiNumEco:_data/referentiel-ecoconception.json`` and a short French label written for
this project (the official wording is not copied).

Each criterion is answered *conforme*, *non conforme* or *non applicable*. The compliance score is
``conforme ÷ (total − non applicable)`` (``DISIC/MiNumEco:content/ressources/documents-reference/
referentiel-general-ecoconception/a-propos.md``), per family and overall. Criteria left unanswered are reported as
such; they count in the denominator (they are not shown as compliant), and the share answered is given beside the
score.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.io.errors import InputError, InputProblem, display_path
from helpers.io.paths import REFERENCE_DIR
from helpers.io.tables import Column, Schema, plain, read_table, take_report

CRITERIA_PATH = REFERENCE_DIR / "rgesn_criteria.csv"
FAMILIES: tuple[str, ...] = ("Stratégie", "Spécifications", "Architecture", "UX/UI", "Contenus", "Frontend",
                             "Backend", "Hébergement", "Algorithmie")
FAMILY_SIZES: dict[str, int] = {"Stratégie": 10, "Spécifications": 10, "Architecture": 7, "UX/UI": 15,
                                "Contenus": 8, "Frontend": 7, "Backend": 4, "Hébergement": 10, "Algorithmie": 7}
PRIORITIES: tuple[str, ...] = ("Prioritaire", "Recommandé", "Modéré")
DIFFICULTIES: tuple[str, ...] = ("Fort", "Moyen", "Faible")
ANSWERS: tuple[str, ...] = ("conforme", "non_conforme", "non_applicable")
ANSWER_LABELS_FR = {"conforme": "Conforme", "non_conforme": "Non conforme", "non_applicable": "Non applicable",
                    "non_evalue": "Non évalué"}
#: accepted spellings -> canonical answer
_ANSWER_SYNONYMS = {
    "conforme": "conforme", "c": "conforme", "oui": "conforme", "yes": "conforme", "compliant": "conforme",
    "non_conforme": "non_conforme", "non conforme": "non_conforme", "non-conforme": "non_conforme",
    "nc": "non_conforme", "non": "non_conforme", "no": "non_conforme", "not compliant": "non_conforme",
    "non_applicable": "non_applicable", "non applicable": "non_applicable", "non-applicable": "non_applicable",
    "na": "non_applicable", "n/a": "non_applicable", "sans objet": "non_applicable",
}

CRITERIA_SCHEMA = Schema(
    file="rgesn_criteria.csv",
    description="The 78 criteria of the RGESN 2024 with family, priority, difficulty and a short French label.",
    unique=("number",),
    columns=(
        Column("number", "str", required=True, description="criterion number, e.g. 1.1"),
        Column("family", "str", required=True, allowed=FAMILIES),
        Column("priority", "str", required=True, allowed=PRIORITIES),
        Column("difficulty", "str", required=True, allowed=DIFFICULTIES),
        Column("label_fr", "str", required=True, description="short label (own wording)"),
        Column("source", "str", required=True),
    ),
)

RGESN_SCHEMA = Schema(
    file="rgesn.csv",
    description=(
        "RGESN self-assessment: one row per service and criterion answered (conforme, non_conforme, "
        "non_applicable). Criteria not listed are reported as not assessed. Compliant and not-applicable answers "
        "should be justified."
    ),
    columns=(
        Column("service_id", "str", required=True, description="service_id of services.csv", example="site-ville",
               label_fr="un service_id de services.csv"),
        Column("criterion", "str", required=True, description="RGESN 2024 criterion number", example="1.1",
               label_fr="un numéro de critère du RGESN 2024, par ex. 1.1"),
        Column("answer", "str", required=True, description="conforme, non_conforme or non_applicable",
               example="conforme", label_fr="conforme, non_conforme ou non_applicable"),
        Column("justification", "str", description="why the criterion is met or does not apply",
               example="déclaration d'écoconception publiée"),
        Column("comment", "str", description="free text", example=""),
    ),
)


def load_criteria(path: str | Path | None = None) -> pd.DataFrame:
    """Read the RGESN criteria (``number, family, priority, difficulty, label_fr, source``), in referential order."""
    path = Path(path) if path is not None else CRITERIA_PATH
    df = read_table(path, CRITERIA_SCHEMA).drop(columns="_line")
    counts = df["family"].value_counts()
    bad = {f: int(counts.get(f, 0)) for f, n in FAMILY_SIZES.items() if counts.get(f, 0) != n}
    if bad:
        raise InputError(InputProblem(display_path(path), None, "family", bad,
                                      f"les effectifs des familles du RGESN 2024 {FAMILY_SIZES}"))
    return plain(df.reset_index(drop=True))


def _normalise_number(value: str) -> str:
    return str(value).strip().replace(",", ".").lstrip("0") or "0"


def read_rgesn(path, service_ids=None, criteria: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and validate ``rgesn.csv``.

    Parameters
    ----------
    path : the file
    service_ids : the ``service_id`` values of ``services.csv`` (``None``: not checked)
    criteria : :func:`load_criteria` output (default: the reference file)

    Returns
    -------
    DataFrame ``service_id, criterion, answer, justification, comment, _line`` with canonical answers.

    Raises
    ------
    InputError
        unknown service or criterion (with the closest), an answer other than conforme / non_conforme /
        non_applicable, the same criterion answered twice for a service. An empty justification of a compliant or
        not-applicable answer is a warning.
    """
    criteria = load_criteria() if criteria is None else criteria
    file = display_path(path)
    df = read_table(path, RGESN_SCHEMA)
    report = take_report(df)  # the checks run on a plain frame; the report is put back on the table returned
    problems: list[InputProblem] = list(report.get("warnings", []))
    lines = df["_line"].to_numpy()
    df["criterion"] = df["criterion"].map(_normalise_number)
    known = list(criteria["number"])
    for idx in np.flatnonzero(~df["criterion"].isin(known).to_numpy()):
        value = df["criterion"].iat[idx]
        close = difflib.get_close_matches(str(value), known, n=3, cutoff=0.6)
        hint = f" (les plus proches : {', '.join(close)})" if close else ""
        problems.append(InputProblem(file, int(lines[idx]), "criterion", value,
                                     f"un numéro de critère du RGESN 2024, de 1.1 à 9.7{hint}"))
    answers = df["answer"].str.strip().str.lower().map(_ANSWER_SYNONYMS)
    for idx in np.flatnonzero(answers.isna().to_numpy()):
        problems.append(InputProblem(file, int(lines[idx]), "answer", df["answer"].iat[idx],
                                     f"une valeur parmi {list(ANSWERS)}"))
    df["answer"] = answers.fillna(df["answer"])
    if service_ids is not None:
        ids = [str(s) for s in service_ids]
        for idx in np.flatnonzero(~df["service_id"].isin(ids).to_numpy()):
            value = df["service_id"].iat[idx]
            close = difflib.get_close_matches(str(value), ids, n=3, cutoff=0.5)
            hint = f" (les plus proches : {', '.join(close)})" if close else ""
            problems.append(InputProblem(file, int(lines[idx]), "service_id", value,
                                         f"un service_id de services.csv {ids}{hint}"))
    dup = df.duplicated(["service_id", "criterion"], keep="first")
    for idx in np.flatnonzero(dup.to_numpy()):
        problems.append(InputProblem(file, int(lines[idx]), "criterion", df["criterion"].iat[idx],
                                     f"une seule réponse par service et par critère (déjà répondu pour "
                                     f"'{df['service_id'].iat[idx]}')"))
    unjustified = df["answer"].isin(["conforme", "non_applicable"]) & df["justification"].isna()
    for idx in np.flatnonzero(unjustified.to_numpy()):
        problems.append(InputProblem(file, int(lines[idx]), "justification", "",
                                     "une justification pour une réponse conforme ou non applicable (RGESN)",
                                     severity="warning"))
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    df.attrs = {**report, "warnings": [p for p in problems if p.severity != "error"]}
    return df


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
    grid["answer"] = grid["answer"].fillna("non_evalue")
    return grid


def _score(group: pd.DataFrame) -> pd.Series:
    n = len(group)
    c = int((group["answer"] == "conforme").sum())
    nc = int((group["answer"] == "non_conforme").sum())
    na = int((group["answer"] == "non_applicable").sum())
    ne = int((group["answer"] == "non_evalue").sum())
    applicable = n - na
    return pd.Series({
        "n_criteria": n, "n_conforme": c, "n_non_conforme": nc, "n_non_applicable": na, "n_non_evalue": ne,
        "score_pct": c / applicable * 100 if applicable > 0 else np.nan,
        "answered_pct": (n - ne) / n * 100 if n else np.nan,
    })


def rgesn_scores(answers: pd.DataFrame, criteria: pd.DataFrame, service_ids, by: str = "family") -> pd.DataFrame:
    """Compliance score per service, per family (or priority) and overall (``Ensemble``).

    ``score_pct = conforme ÷ (criteria − non applicable) × 100``; unanswered criteria (``n_non_evalue``) stay in the
    denominator; ``answered_pct`` tells how much of the referential was assessed.

    Parameters
    ----------
    answers : :func:`read_rgesn` output
    criteria : :func:`load_criteria` output
    service_ids : services to score (a service with no answer gets a row with everything ``non évalué``)
    by : ``"family"`` or ``"priority"``

    Returns
    -------
    DataFrame ``service_id, <by>, n_criteria, n_conforme, n_non_conforme, n_non_applicable, n_non_evalue,
    score_pct, answered_pct`` (groups in referential order, then ``Ensemble``).
    """
    grid = answers_grid(answers, criteria, service_ids)
    order = list(FAMILIES) if by == "family" else list(PRIORITIES)
    parts = []
    for sid, g in grid.groupby("service_id", sort=False):
        rows = [(_score(g[g[by] == key]).rename(key)) for key in order if (g[by] == key).any()]
        rows.append(_score(g).rename("Ensemble"))
        t = pd.DataFrame(rows)
        t.index.name = by
        t = t.reset_index()
        t.insert(0, "service_id", sid)
        parts.append(t)
    out = pd.concat(parts, ignore_index=True)
    for col in ("n_criteria", "n_conforme", "n_non_conforme", "n_non_applicable", "n_non_evalue"):
        out[col] = out[col].astype(int)
    return out
