"""The maturity questionnaire's files: the referential (axes, questions, Label NR crosswalk), the answers
(``maturity.csv``), the catalogue's axes and the published maturity scores of named collectivities.

The referential lives in ``data/raw/reference/``:

- ``maturity_axes.csv``: the 8 axes (``axis_id, label_fr, description_fr, decree_theme, source``). They follow the
  themes of décret 2022-1084 and usual SNR practice. The axis ids are also used by ``actions_catalogue.csv``
  (column ``axes``);
- ``maturity_questions.csv``: the questions (``question_id`` such as ``GOV-01``, ``axis``, ``question_fr``,
  ``pillar`` People / Planet / Prosperity, ``weight``, ``na_allowed``, ``level_0`` … ``level_4``, ``source``). The
  wording is this project's own; WeNR's and the Label NR's questionnaires are not copied (and not public);
- ``label_nr_crosswalk.csv``: an INDICATIVE map from our axes to the Label Numérique Responsable themes.

Each question is answered on an ordinal scale from 0 (nothing done) to :data:`LEVEL_MAX` (exemplary), or ``NA`` (not
applicable, only where ``na_allowed`` is yes). Every reader checks its file and reports every problem at once
(:class:`helpers.io.errors.InputError`, French, with file line and column). The scoring is
:mod:`helpers.model.maturity`.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.io.errors import InputError, InputProblem, display_path
from helpers.io.paths import REFERENCE_DIR
from helpers.io.tables import Column, Schema, plain, provided, read_table, take_report, with_warnings

AXES_PATH = REFERENCE_DIR / "maturity_axes.csv"
QUESTIONS_PATH = REFERENCE_DIR / "maturity_questions.csv"
CROSSWALK_PATH = REFERENCE_DIR / "label_nr_crosswalk.csv"
CATALOGUE_PATH = REFERENCE_DIR / "actions_catalogue.csv"
PUBLISHED_PATH = REFERENCE_DIR / "published_benchmarks.csv"

#: Highest level of the answer scale (0 = nothing done … 4 = exemplary).
LEVEL_MAX = 4
#: The pillars a question belongs to, in display order.
PILLARS: tuple[str, ...] = ("People", "Planet", "Prosperity")
#: The answers read as "not applicable" (case-insensitive).
NA_WORDS = frozenset({"na", "n/a", "n.a.", "nr", "non applicable", "non_applicable", "sans objet", "so", "n.a"})
QUESTION_ID_RE = re.compile(r"^[A-Z]{3}-[0-9]{2}$")
#: Unit of a published maturity score in ``published_benchmarks.csv`` (a sourced peer of the benchmark).
PUBLISHED_MATURITY_UNIT = "maturity_score_pct"

#: Label Numérique Responsable (INR, Agence LUCIE): self-assessment out of 1000 points, in five themes (domain-facts
#: §1.3); the crosswalk's theme points add up to it.
LABEL_NR_MAX_POINTS = 1000
LABEL_NR_THEMES: tuple[str, ...] = (
    "Stratégie et gouvernance", "Soutien à la stratégie NR", "Cycle de vie des services numériques",
    "Extension de la démarche NR", "Leviers externes des collectivités",
)

AXES_SCHEMA = Schema(
    file="maturity_axes.csv",
    description="Axes of the maturity questionnaire, following the themes of décret 2022-1084.",
    unique=("axis_id",),
    columns=(
        Column("axis_id", "str", required=True, description="axis identifier (used by actions_catalogue.csv)"),
        Column("label_fr", "str", required=True, description="French label"),
        Column("description_fr", "str", required=True, description="what the axis covers"),
        Column("decree_theme", "str", required=True, description="matching theme of décret 2022-1084"),
        Column("source", "str", required=True),
    ),
)

QUESTIONS_SCHEMA = Schema(
    file="maturity_questions.csv",
    description="Questions of the maturity questionnaire, each with its five level descriptions.",
    unique=("question_id",),
    columns=(
        Column("question_id", "str", required=True, description="identifier such as GOV-01"),
        Column("axis", "str", required=True, description="axis_id of maturity_axes.csv"),
        Column("question_fr", "str", required=True, description="the question, in French"),
        Column("pillar", "str", required=True, allowed=PILLARS),
        Column("weight", "float", required=True, min=0, min_exclusive=True, max=10,
               description="weight of the question (1 complementary, 2 important, 3 structural)"),
        Column("na_allowed", "bool", required=True, description="yes if the question may be answered NA"),
        *(Column(f"level_{k}", "str", required=True, description=f"what level {k} takes") for k in range(5)),
        Column("source", "str", required=True, description="law article, referential or practice behind the question"),
    ),
)

CROSSWALK_SCHEMA = Schema(
    file="label_nr_crosswalk.csv",
    description="INDICATIVE map from the maturity axes to the Label Numérique Responsable themes.",
    columns=(
        Column("label_theme", "str", required=True, allowed=LABEL_NR_THEMES),
        Column("theme_max_points", "float", required=True, min=0, max=LABEL_NR_MAX_POINTS,
               description="points of the theme out of 1000 (assumption)"),
        Column("axis", "str", required=True, description="axis_id of maturity_axes.csv"),
        Column("axis_weight", "float", required=True, min=0, min_exclusive=True, max=1,
               description="share of the theme given by this axis (the shares of a theme add up to 1)"),
        Column("rationale", "str"),
        Column("source", "str", required=True),
    ),
)

MATURITY_SCHEMA = Schema(
    file="maturity.csv",
    description=(
        "Answers to the responsible-digital maturity questionnaire (data/raw/reference/maturity_questions.csv), one "
        "row per collectivity and question. level is a whole number from 0 to 4 (see the level_0 … level_4 "
        "descriptions of each question) or NA where the question does not apply (only where na_allowed is yes). "
        "A question without a row is reported as not answered: it lowers the completeness and is never scored 0. "
        "collectivity is an entity id or a peer id of territory.yaml."
    ),
    columns=(
        Column("collectivity", "str", required=True, description="entity id or peer id of territory.yaml",
               example="ville", synonyms=("collectivite", "entity", "entite"),
               label_fr="un identifiant d'entité ou de collectivité de comparaison de territory.yaml"),
        Column("question_id", "str", required=True, description="question_id of maturity_questions.csv",
               example="GOV-01", synonyms=("question",), label_fr="un question_id de maturity_questions.csv"),
        Column("level", "str", required=True, description="0, 1, 2, 3, 4, or NA (not applicable)", example="2",
               synonyms=("niveau",), label_fr="0, 1, 2, 3, 4 ou NA (sans objet)"),
        Column("evidence", "str", description="evidence or comment (document, deliberation, date)",
               example="programme de travail rédigé en 2023", synonyms=("comment", "commentaire", "preuve")),
    ),
)


CATALOGUE_AXES_SCHEMA = Schema(
    file="actions_catalogue.csv",
    description="The columns of the action catalogue used to list actions per weak maturity axis.",
    unique=("action_id",),
    columns=(
        Column("action_id", "str", required=True),
        Column("title_fr", "str", required=True),
        Column("axes", "str", required=True, description="maturity axis ids separated by ';'"),
    ),
)


# --------------------------------------------------------------------------------------------------------------------
# referential

def load_axes(path: str | Path | None = None) -> pd.DataFrame:
    """Read the maturity axes (``axis_id, label_fr, description_fr, decree_theme, source``), in referential order; a
    plain frame, or ``attrs["warnings"]`` when the file has warnings."""
    path = Path(path) if path is not None else AXES_PATH
    df = read_table(path, AXES_SCHEMA)
    warnings = take_report(df).get("warnings")
    return with_warnings(df.drop(columns="_line").reset_index(drop=True), warnings)


def load_questions(path: str | Path | None = None, axes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and cross-check the questions of the referential.

    Checks, on top of the schema: ``question_id`` written ``ABC-01``, ``axis`` a known axis id, every axis with at
    least one question.

    Returns
    -------
    DataFrame ``question_id, axis, question_fr, pillar, weight, na_allowed, level_0 … level_4, source``; a plain
    frame, or ``attrs["warnings"]`` when the file has warnings.
    """
    path = Path(path) if path is not None else QUESTIONS_PATH
    axes = load_axes() if axes is None else axes
    file = display_path(path)
    problems: list[InputProblem] = []
    df = read_table(path, QUESTIONS_SCHEMA, problems_out=problems)
    warnings = take_report(df).get("warnings")
    lines = df["_line"].to_numpy()
    bad_id = ~df["question_id"].fillna("").str.match(QUESTION_ID_RE.pattern)
    for idx in np.flatnonzero(bad_id.to_numpy()):
        problems.append(InputProblem(file, int(lines[idx]), "question_id", df["question_id"].iat[idx],
                                     "un identifiant de trois lettres majuscules, un tiret et deux chiffres (par ex. GOV-01)"))
    known = list(axes["axis_id"])
    for idx in np.flatnonzero((df["axis"].notna() & ~df["axis"].isin(known)).to_numpy()):
        problems.append(InputProblem(file, int(lines[idx]), "axis", df["axis"].iat[idx],
                                     f"un axis_id de maturity_axes.csv {known}"))
    for axis in sorted(set(known) - set(df["axis"].dropna())):
        problems.append(InputProblem(file, None, "axis", axis, "au moins une question pour chaque axe"))
    if problems:
        raise InputError(problems)
    return with_warnings(df.drop(columns="_line").reset_index(drop=True), warnings)


def load_crosswalk(path: str | Path | None = None, axes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read the INDICATIVE crosswalk to the Label NR themes and check it adds up.

    Checks: one ``theme_max_points`` per theme, theme points adding up to 1000, axis shares of each theme adding up to
    1, every axis known and every axis used at least once. A plain frame, or ``attrs["warnings"]`` when the file has
    warnings.
    """
    path = Path(path) if path is not None else CROSSWALK_PATH
    axes = load_axes() if axes is None else axes
    file = display_path(path)
    df = read_table(path, CROSSWALK_SCHEMA)
    warnings = take_report(df).get("warnings")
    problems: list[InputProblem] = []
    known = list(axes["axis_id"])
    for idx in np.flatnonzero(~df["axis"].isin(known).to_numpy()):
        problems.append(InputProblem(file, int(df["_line"].iat[idx]), "axis", df["axis"].iat[idx],
                                     f"un axis_id de maturity_axes.csv {known}"))
    points = df.groupby("label_theme", sort=False)["theme_max_points"]
    for theme in points.nunique()[lambda s: s > 1].index:
        problems.append(InputProblem(file, None, "theme_max_points", theme,
                                     "le même theme_max_points sur toutes les lignes d'un thème"))
    total = points.first().sum()
    if not np.isclose(total, LABEL_NR_MAX_POINTS):
        problems.append(InputProblem(file, None, "theme_max_points", float(total),
                                     f"des points de thèmes dont la somme vaut {LABEL_NR_MAX_POINTS}"))
    shares = df.groupby("label_theme", sort=False)["axis_weight"].sum()
    for theme, s in shares[~np.isclose(shares, 1.0)].items():
        problems.append(InputProblem(file, None, "axis_weight", f"{theme}: {s:g}",
                                     "des parts d'axes dont la somme vaut 1 dans chaque thème"))
    for axis in sorted(set(known) - set(df["axis"])):
        problems.append(InputProblem(file, None, "axis", axis, "chaque axe de maturité rattaché à au moins un thème"))
    if problems:
        raise InputError(problems)
    return with_warnings(df.drop(columns="_line").reset_index(drop=True), warnings)


# --------------------------------------------------------------------------------------------------------------------
# answers

def collectivity_ids(territory) -> tuple[list[str], list[str]]:
    """(entity ids, peer ids) of a Territory, or (ids, []) for a plain list of ids."""
    if hasattr(territory, "entities"):
        return [e.id for e in territory.entities], [p.id for p in getattr(territory, "peers", ())]
    return [str(i) for i in territory], []


def parse_levels(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(level as float or NaN, is NA, is invalid) from the text of the ``level`` column."""
    text = raw.fillna("").astype(str).str.strip()
    is_na = text.str.lower().isin(NA_WORDS)
    numbers = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    whole = numbers.notna() & (numbers == np.floor(numbers.fillna(0)))
    in_range = whole & numbers.between(0, LEVEL_MAX)
    invalid = ~is_na & ~in_range
    level = numbers.where(in_range)
    return level.astype("float64"), is_na, invalid


def _closest(value, known: list[str]) -> str:
    """`` (les plus proches : a, b)`` naming the known ids closest to ``value``, or ``""``."""
    close = difflib.get_close_matches(str(value), known, n=3, cutoff=0.5)
    return f" (les plus proches : {', '.join(close)})" if close else ""


def _unknown_collectivities(file: str, df: pd.DataFrame, lines, allowed: list[str]) -> list[InputProblem]:
    """A ``collectivity`` that is neither an entity nor a peer of territory.yaml, with the closest ids."""
    coll = df["collectivity"]
    return [InputProblem(file, int(lines[idx]), "collectivity", coll.iat[idx],
                         "un identifiant d'entité ou de collectivité de comparaison (peers) de territory.yaml "
                         f"{allowed}{_closest(coll.iat[idx], allowed)}")
            for idx in np.flatnonzero((coll.notna() & ~coll.isin(allowed)).to_numpy())]


def _unknown_questions(file: str, qid: pd.Series, lines, known: list[str]) -> list[InputProblem]:
    """A ``question_id`` that is not in the referential, with the closest ids."""
    return [InputProblem(file, int(lines[idx]), "question_id", qid.iat[idx],
                         f"un question_id de maturity_questions.csv, par ex. GOV-01{_closest(qid.iat[idx], known)}")
            for idx in np.flatnonzero((qid.notna() & ~qid.isin(known)).to_numpy())]


def _bad_levels(file: str, df: pd.DataFrame, qid: pd.Series, lines, questions: pd.DataFrame):
    """(level, is NA, problems): a level that is not a whole number from 0 to 4 or NA, and NA on a question that
    always applies (``na_allowed`` no)."""
    level, is_na, invalid = parse_levels(df["level"])
    invalid &= df["level"].notna()  # an empty level is already reported by the schema
    problems = [InputProblem(file, int(lines[idx]), "level", df["level"].iat[idx],
                             f"un nombre entier de 0 à {LEVEL_MAX}, ou NA si la question ne s'applique pas")
                for idx in np.flatnonzero(invalid.to_numpy())]
    na_allowed = qid.map(questions.set_index("question_id")["na_allowed"]).fillna(True).astype(bool)
    problems += [InputProblem(file, int(lines[idx]), "level", df["level"].iat[idx],
                              f"un niveau de 0 à {LEVEL_MAX} : la question {qid.iat[idx]} s'applique toujours "
                              "(na_allowed = no), NA n'est pas accepté")
                 for idx in np.flatnonzero((is_na & ~na_allowed).to_numpy())]
    return level, is_na, problems


def _duplicate_answers(file: str, df: pd.DataFrame, qid: pd.Series, lines) -> list[InputProblem]:
    """The same question answered twice for a collectivity (the later lines, naming the first one)."""
    key = df[["collectivity", "question_id"]]
    dup = key.duplicated(keep="first") & key.notna().all(axis=1)
    first_line = pd.Series(lines).groupby([key["collectivity"], key["question_id"]]).transform("min")
    coll = df["collectivity"]
    return [InputProblem(file, int(lines[idx]), "question_id", qid.iat[idx],
                         f"une seule réponse par collectivité et par question ('{coll.iat[idx]}' a déjà répondu à "
                         f"{qid.iat[idx]} ligne {int(first_line.iat[idx])})")
            for idx in np.flatnonzero(dup.to_numpy())]


def _subject_without_answer(file: str, df: pd.DataFrame, territory) -> list[InputProblem]:
    """A warning when the assessed collectivity (``maturity_subject``) has no answer at all."""
    subject = getattr(territory, "maturity_subject", None)
    if not subject or (df["collectivity"] == subject).any():
        return []
    return [InputProblem(file, None, "collectivity", subject,
                         "des réponses pour la collectivité évaluée (maturity_subject de territory.yaml) ; "
                         "son score est affiché comme non évalué", severity="warning")]


def read_maturity(path, territory, questions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and validate ``maturity.csv``.

    Parameters
    ----------
    path : the file (CSV or .xlsx)
    territory : a :class:`helpers.io.territory.Territory` (collectivities allowed: its entity ids and peer ids) or a
        list of allowed collectivity ids
    questions : :func:`load_questions` output (default: the reference file)

    Returns
    -------
    DataFrame ``collectivity, question_id, level, not_applicable, evidence, _line``: ``level`` is a float 0-4, NaN
    when the answer is ``NA`` (then ``not_applicable`` is True).

    Raises
    ------
    InputError
        listing every problem with its file line and column: unknown collectivity or question id (with the closest
        known ids), a level that is not a whole number from 0 to 4 or ``NA``, ``NA`` on a question whose
        ``na_allowed`` is no, the same question answered twice for a collectivity. A subject entity with no answer
        at all is a warning.
    """
    questions = load_questions() if questions is None else questions
    file = display_path(path)
    problems: list[InputProblem] = []
    df = read_table(path, MATURITY_SCHEMA, problems_out=problems)
    problems.extend(take_report(df).get("warnings", []))
    lines = df["_line"].to_numpy()
    entity_ids, peer_ids = collectivity_ids(territory)
    problems += _unknown_collectivities(file, df, lines, entity_ids + peer_ids)
    qid = df["question_id"].str.strip().str.upper()
    df["question_id"] = qid
    problems += _unknown_questions(file, qid, lines, list(questions["question_id"]))
    level, is_na, level_problems = _bad_levels(file, df, qid, lines, questions)
    problems += level_problems + _duplicate_answers(file, df, qid, lines)
    if not any(p.severity == "error" for p in problems):
        problems += _subject_without_answer(file, df, territory)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    out = pd.DataFrame({
        "collectivity": df["collectivity"], "question_id": qid, "level": level, "not_applicable": is_na.to_numpy(),
        "evidence": df["evidence"], "_line": df["_line"],
    })
    out.attrs["warnings"] = [p for p in problems if p.severity != "error"]
    return out


def empty_answers() -> pd.DataFrame:
    """An answers table with no row (what :func:`read_maturity` returns for a questionnaire left blank)."""
    return pd.DataFrame({"collectivity": pd.Series(dtype=object), "question_id": pd.Series(dtype=object),
                         "level": pd.Series(dtype="float64"), "not_applicable": pd.Series(dtype=bool),
                         "evidence": pd.Series(dtype=object), "_line": pd.Series(dtype="int64")})


def read_maturity_if_provided(path, territory, questions: pd.DataFrame | None = None) -> tuple[pd.DataFrame, bool]:
    """``(answers, provided)``: :func:`read_maturity` if the file (or its .xlsx twin) exists, else no answers.

    ``maturity.csv`` is optional: without it every question is "not answered" and the subject is "not assessed".
    The answers are a plain frame (empty ``attrs``), for the scoring: the warnings of :func:`read_maturity` are
    reported by the ingest step (:func:`helpers.io.ingest.ingest_all`).
    """
    path = Path(path)
    if not path.exists() and path.with_suffix(".xlsx").exists():
        path = path.with_suffix(".xlsx")
    if not provided(path):  # missing or header-only (issue 17)
        return empty_answers(), False
    return plain(read_maturity(path, territory, questions)), True


# --------------------------------------------------------------------------------------------------------------------
# the catalogue's axes and the published scores

def load_catalogue_axes(path: str | Path | None = None) -> pd.DataFrame:
    """``action_id, title_fr, axes`` of ``actions_catalogue.csv`` (other columns are ignored), as a plain frame."""
    path = Path(path) if path is not None else CATALOGUE_PATH
    df = read_table(path, CATALOGUE_AXES_SCHEMA)
    take_report(df)  # no warning: the catalogue's other columns are expected, not a problem
    return df.drop(columns="_line")


def load_published_maturity(path: str | Path | None = None) -> pd.DataFrame:
    """Published maturity scores of named collectivities (rows of ``published_benchmarks.csv`` whose unit is
    :data:`PUBLISHED_MATURITY_UNIT`, each with its source): the only peers a benchmark may rank against."""
    path = Path(path) if path is not None else PUBLISHED_PATH
    if not path.exists():
        return pd.DataFrame(columns=["id", "label_fr", "value", "unit", "source"])
    df = pd.read_csv(path, keep_default_na=False, na_values=[""])
    return df[(df["unit"] == PUBLISHED_MATURITY_UNIT) & df["source"].fillna("").astype(str).str.strip().ne("")]
