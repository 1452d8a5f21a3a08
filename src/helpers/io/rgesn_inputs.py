"""The inputs of the RGESN self-assessment of the key digital services: the referential's vocabulary (its families,
priorities and difficulties, in French as the referential names them), the schemas and readers of the reference
library's ``rgesn_criteria.csv`` and of the territory's ``rgesn.csv``.

The model (:mod:`helpers.model.rgesn`) takes what these functions return as values; nothing there reads a file.
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
#: the nine families of the RGESN 2024, in the referential's order, with their number of criteria (their names are
#: the referential's, in French, as in ``rgesn_criteria.csv`` and the published tables)
FAMILIES: tuple[str, ...] = ("Stratégie", "Spécifications", "Architecture", "UX/UI", "Contenus", "Frontend",
                             "Backend", "Hébergement", "Algorithmie")
FAMILY_SIZES: dict[str, int] = {"Stratégie": 10, "Spécifications": 10, "Architecture": 7, "UX/UI": 15,
                                "Contenus": 8, "Frontend": 7, "Backend": 4, "Hébergement": 10, "Algorithmie": 7}
#: the name of the row of all families (or priorities) together, in the published tables beside the families
OVERALL = "Ensemble"
PRIORITIES: tuple[str, ...] = ("Prioritaire", "Recommandé", "Modéré")
DIFFICULTIES: tuple[str, ...] = ("Fort", "Moyen", "Faible")
ANSWERS: tuple[str, ...] = ("conforme", "non_conforme", "non_applicable")
#: the answer of a criterion left unanswered
NOT_ASSESSED = "non_evalue"
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


def _unknown(df: pd.DataFrame, file: str, column: str, known: list[str], cutoff: float, expected: str
             ) -> list[InputProblem]:
    """The rows whose ``column`` is not among ``known``, each with the closest known values."""
    problems = []
    lines = df["_line"].to_numpy()
    for idx in np.flatnonzero(~df[column].isin(known).to_numpy()):
        value = df[column].iat[idx]
        close = difflib.get_close_matches(str(value), known, n=3, cutoff=cutoff)
        hint = f" (les plus proches : {', '.join(close)})" if close else ""
        problems.append(InputProblem(file, int(lines[idx]), column, value, expected + hint))
    return problems


def _answer_problems(df: pd.DataFrame, file: str) -> list[InputProblem]:
    """Canonical answers written into ``df``, and a problem for each answer that is none of :data:`ANSWERS` (nor
    one of their accepted spellings)."""
    lines = df["_line"].to_numpy()
    answers = df["answer"].str.strip().str.lower().map(_ANSWER_SYNONYMS)
    problems = [InputProblem(file, int(lines[idx]), "answer", df["answer"].iat[idx], f"une valeur parmi {list(ANSWERS)}")
                for idx in np.flatnonzero(answers.isna().to_numpy())]
    df["answer"] = answers.fillna(df["answer"])
    return problems


def _repeat_problems(df: pd.DataFrame, file: str) -> list[InputProblem]:
    """The same criterion answered twice for a service (error); a compliant or not-applicable answer without its
    justification (warning)."""
    lines = df["_line"].to_numpy()
    problems = []
    for idx in np.flatnonzero(df.duplicated(["service_id", "criterion"], keep="first").to_numpy()):
        problems.append(InputProblem(file, int(lines[idx]), "criterion", df["criterion"].iat[idx],
                                     f"une seule réponse par service et par critère (déjà répondu pour "
                                     f"'{df['service_id'].iat[idx]}')"))
    unjustified = df["answer"].isin(["conforme", "non_applicable"]) & df["justification"].isna()
    for idx in np.flatnonzero(unjustified.to_numpy()):
        problems.append(InputProblem(file, int(lines[idx]), "justification", "",
                                     "une justification pour une réponse conforme ou non applicable (RGESN)",
                                     severity="warning"))
    return problems


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
    df["criterion"] = df["criterion"].map(_normalise_number)
    problems += _unknown(df, file, "criterion", list(criteria["number"]), 0.6,
                         "un numéro de critère du RGESN 2024, de 1.1 à 9.7")
    problems += _answer_problems(df, file)
    if service_ids is not None:
        ids = [str(s) for s in service_ids]
        problems += _unknown(df, file, "service_id", ids, 0.5, f"un service_id de services.csv {ids}")
    problems += _repeat_problems(df, file)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    df.attrs = {**report, "warnings": [p for p in problems if p.severity != "error"]}
    return df
