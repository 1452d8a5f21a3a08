"""Responsible-digital maturity: an open questionnaire, its scoring, a benchmark and an indicative Label NR score.

The referential lives in ``data/raw/reference/``:

- ``maturity_axes.csv``: the 8 axes (``axis_id, label_fr, description_fr, decree_theme, source``). They follow the
  themes of décret 2022-1084 and usual SNR practice. The axis ids are also used by ``actions_catalogue.csv``
  (column ``axes``): ``strategy_governance``, ``measurement_steering``, ``responsible_purchasing``,
  ``equipment_lifecycle``, ``ecodesign_services``, ``awareness_training``, ``inclusion_accessibility``,
  ``territorial_levers``;
- ``maturity_questions.csv``: the questions (``question_id`` such as ``GOV-01``, ``axis``, ``question_fr``,
  ``pillar`` People / Planet / Prosperity, ``weight``, ``na_allowed``, ``level_0`` … ``level_4``, ``source``). The
  wording is this project's own; WeNR's and the Label NR's questionnaires are not copied (and not public);
- ``label_nr_crosswalk.csv``: an INDICATIVE map from our axes to the Label Numérique Responsable themes.

Each question is answered on an ordinal scale from 0 (nothing done) to 4 (exemplary), or ``NA`` (not applicable,
only where ``na_allowed`` is yes). The scoring follows the design that domain-facts §1.1 proposes for a WeNR-like
tool (WeNR's own algorithm is not published): points = weight × level, score = points ÷ maximum applicable points,
shown in %.

Formulas (``w`` = weight, ``l`` = level 0-4; sums over the questions of the group):

- axis score % = 100 × Σ w·l ÷ Σ w·4, over the questions of the axis that are answered with a level
  (``NA`` answers are out of both the numerator and the denominator; unanswered questions too);
- global score % = the same ratio over *all* questions answered with a level (a question-weighted score, not the
  mean of the axis scores: an axis weighs by the weights of its answered questions);
- completeness % = 100 × (answered with a level + answered ``NA``) ÷ questions of the referential (or of the axis).
  ``NA`` counts as answered (the question was dealt with: it does not apply). An unanswered question is *never*
  scored 0: it lowers the completeness only, and is listed as "non répondu".
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.io.errors import InputError, InputProblem, display_path
from helpers.io.paths import REFERENCE_DIR
from helpers.io.tables import Column, Schema, plain, provided, read_table, take_report, with_warnings

AXES_PATH = REFERENCE_DIR / "maturity_axes.csv"
QUESTIONS_PATH = REFERENCE_DIR / "maturity_questions.csv"
CROSSWALK_PATH = REFERENCE_DIR / "label_nr_crosswalk.csv"

LEVEL_MAX = 4
PILLARS: tuple[str, ...] = ("People", "Planet", "Prosperity")
PILLARS_FR = {"People": "Humain", "Planet": "Planète", "Prosperity": "Prospérité"}
NA_WORDS = frozenset({"na", "n/a", "n.a.", "nr", "non applicable", "non_applicable", "sans objet", "so", "n.a"})
QUESTION_ID_RE = re.compile(r"^[A-Z]{3}-[0-9]{2}$")
GLOBAL = "global"

#: Named maturity levels: (upper bound of the score in %, exclusive; French name; meaning). The bounds are the steps
#: of the 0-4 answer scale: 25 % = an average level of 1, 50 % = 2, 75 % = 3. Below 25 % most practices are absent
#: (average below "first steps"); 25-50 %: practices started but not generalised; 50-75 %: practices organised
#: across the collectivity; 75 % and more: practices generalised and measured. Project design choice (WeNR's own
#: thresholds are not published, domain-facts §1.1 and §9).
MATURITY_LEVELS: tuple[tuple[float, str, str], ...] = (
    (25.0, "Initial", "les pratiques sont pour l'essentiel absentes ou ponctuelles"),
    (50.0, "En construction", "des pratiques sont engagées mais pas encore généralisées"),
    (75.0, "Structuré", "les pratiques sont organisées à l'échelle de la collectivité"),
    (np.inf, "Exemplaire", "les pratiques sont généralisées, mesurées et améliorées"),
)
NOT_ASSESSED_FR = "Non évalué"
#: Below this completeness the notebook warns that the score rests on few answers (project choice).
LOW_COMPLETENESS_PCT = 80.0
#: Below this completeness no score, level or rank is published: "questionnaire incomplet (x %)" (parameter,
#: issue 18; a score on a few answers says little about the collectivity).
PUBLISH_COMPLETENESS_PCT = 60.0
#: Unit of a published maturity score in ``published_benchmarks.csv`` (a sourced peer of the benchmark).
PUBLISHED_MATURITY_UNIT = "maturity_score_pct"

#: Label Numérique Responsable (INR, Agence LUCIE): self-assessment out of 1000; level 1 above 300; level 2 given as
#: 600 (zonebourse 2022) or 500 (alliancy): the sources conflict, both are shown (domain-facts §1.3).
LABEL_NR_MAX_POINTS = 1000
LABEL_NR_LEVEL1_THRESHOLD = 300
LABEL_NR_LEVEL2_THRESHOLDS = (500, 600)
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

def _ids_of(territory) -> tuple[list[str], list[str]]:
    """(entity ids, peer ids) of a Territory, or (ids, []) for a plain list of ids."""
    if hasattr(territory, "entities"):
        return [e.id for e in territory.entities], [p.id for p in getattr(territory, "peers", ())]
    return [str(i) for i in territory], []


def _parse_levels(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(level as float or NaN, is NA, is invalid) from the text of the ``level`` column."""
    text = raw.fillna("").astype(str).str.strip()
    is_na = text.str.lower().isin(NA_WORDS)
    numbers = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    whole = numbers.notna() & (numbers == np.floor(numbers.fillna(0)))
    in_range = whole & numbers.between(0, LEVEL_MAX)
    invalid = ~is_na & ~in_range
    level = numbers.where(in_range)
    return level.astype("float64"), is_na, invalid


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

    entity_ids, peer_ids = _ids_of(territory)
    allowed = entity_ids + peer_ids
    coll = df["collectivity"]
    for idx in np.flatnonzero((coll.notna() & ~coll.isin(allowed)).to_numpy()):
        value = coll.iat[idx]
        close = difflib.get_close_matches(str(value), allowed, n=3, cutoff=0.5)
        hint = f" (les plus proches : {', '.join(close)})" if close else ""
        problems.append(InputProblem(file, int(lines[idx]), "collectivity", value,
                                     f"un identifiant d'entité ou de collectivité de comparaison (peers) de territory.yaml {allowed}{hint}"))

    qid = df["question_id"].str.strip().str.upper()
    df["question_id"] = qid
    known = list(questions["question_id"])
    unknown_q = qid.notna() & ~qid.isin(known)
    for idx in np.flatnonzero(unknown_q.to_numpy()):
        value = qid.iat[idx]
        close = difflib.get_close_matches(str(value), known, n=3, cutoff=0.5)
        hint = f" (les plus proches : {', '.join(close)})" if close else ""
        problems.append(InputProblem(file, int(lines[idx]), "question_id", value,
                                     f"un question_id de maturity_questions.csv, par ex. GOV-01{hint}"))

    level, is_na, invalid = _parse_levels(df["level"])
    invalid &= df["level"].notna()  # an empty level is already reported by the schema
    for idx in np.flatnonzero(invalid.to_numpy()):
        problems.append(InputProblem(file, int(lines[idx]), "level", df["level"].iat[idx],
                                     f"un nombre entier de 0 à {LEVEL_MAX}, ou NA si la question ne s'applique pas"))
    na_allowed = qid.map(questions.set_index("question_id")["na_allowed"]).fillna(True).astype(bool)
    for idx in np.flatnonzero((is_na & ~na_allowed).to_numpy()):
        problems.append(InputProblem(file, int(lines[idx]), "level", df["level"].iat[idx],
                                     f"un niveau de 0 à {LEVEL_MAX} : la question {qid.iat[idx]} s'applique toujours "
                                     "(na_allowed = no), NA n'est pas accepté"))

    key = df[["collectivity", "question_id"]]
    complete = key.notna().all(axis=1)
    dup = key.duplicated(keep="first") & complete
    first_line = pd.Series(lines).groupby([key["collectivity"], key["question_id"]]).transform("min")
    for idx in np.flatnonzero(dup.to_numpy()):
        problems.append(InputProblem(file, int(lines[idx]), "question_id", qid.iat[idx],
                                     f"une seule réponse par collectivité et par question ('{coll.iat[idx]}' a déjà répondu à "
                                     f"{qid.iat[idx]} ligne {int(first_line.iat[idx])})"))

    if hasattr(territory, "maturity_subject") and territory.maturity_subject and not any(
            p.severity == "error" for p in problems):
        if not (coll == territory.maturity_subject).any():
            problems.append(InputProblem(file, None, "collectivity", territory.maturity_subject,
                                         "des réponses pour la collectivité évaluée (maturity_subject de territory.yaml) ; "
                                         "son score est affiché comme non évalué", severity="warning"))

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


def load_catalogue_axes(path: str | Path | None = None) -> pd.DataFrame:
    """``action_id, title_fr, axes`` of ``actions_catalogue.csv`` (other columns are ignored), as a plain frame."""
    path = Path(path) if path is not None else REFERENCE_DIR / "actions_catalogue.csv"
    df = read_table(path, CATALOGUE_AXES_SCHEMA)
    take_report(df)  # no warning: the catalogue's other columns are expected, not a problem
    return df.drop(columns="_line")


# --------------------------------------------------------------------------------------------------------------------
# scoring

def answering_collectivities(answers: pd.DataFrame, territory=None, subject: str | None = None) -> list[str]:
    """Collectivities to score: the subject first, then every collectivity with at least one answer.

    Order: the subject, the other entities then the peers in ``territory`` order (file order without a territory).
    """
    answered = list(dict.fromkeys(answers["collectivity"]))
    if territory is not None:
        entity_ids, peer_ids = _ids_of(territory)
        order = entity_ids + peer_ids
        answered = [c for c in order if c in set(answered)] + [c for c in answered if c not in set(order)]
    out = [subject] if subject else []
    return out + [c for c in answered if c != subject]


def answers_grid(answers: pd.DataFrame, questions: pd.DataFrame, collectivities) -> pd.DataFrame:
    """Every (collectivity, question) pair with its status.

    Returns
    -------
    DataFrame ``collectivity, question_id, axis, pillar, weight, question_fr, level, status, evidence`` where
    ``status`` is ``answered`` (a level 0-4), ``not_applicable`` or ``not_answered`` (no row in the answers), and
    ``level`` is NaN unless answered.
    """
    ids = list(dict.fromkeys(str(c) for c in collectivities))
    grid = pd.MultiIndex.from_product([ids, questions["question_id"]], names=["collectivity", "question_id"])
    grid = grid.to_frame(index=False).merge(
        questions[["question_id", "axis", "pillar", "weight", "question_fr"]], on="question_id", how="left")
    a = answers[["collectivity", "question_id", "level", "not_applicable", "evidence"]]
    grid = grid.merge(a, on=["collectivity", "question_id"], how="left")
    na = grid["not_applicable"].fillna(False).astype(bool)
    grid["status"] = np.where(grid["level"].notna(), "answered", np.where(na, "not_applicable", "not_answered"))
    return grid.drop(columns="not_applicable")


def _aggregate(grid: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    answered = grid["status"].eq("answered")
    g = grid.assign(
        n_questions=1,
        n_answered=answered.astype(int),
        n_not_applicable=grid["status"].eq("not_applicable").astype(int),
        n_not_answered=grid["status"].eq("not_answered").astype(int),
        points=np.where(answered, grid["weight"] * grid["level"].fillna(0), 0.0),
        max_points=np.where(answered, grid["weight"] * LEVEL_MAX, 0.0),
    )
    cols = ["n_questions", "n_answered", "n_not_applicable", "n_not_answered", "points", "max_points"]
    out = g.groupby(keys, sort=False)[cols].sum().reset_index()
    out["score_pct"] = 100.0 * out["points"] / out["max_points"].where(out["max_points"] > 0)  # NaN: nothing scored
    out["completeness_pct"] = 100.0 * (out["n_answered"] + out["n_not_applicable"]) / out["n_questions"]
    return out


def maturity_scores(grid: pd.DataFrame, axes_order=None) -> pd.DataFrame:
    """Scores per collectivity and axis, plus a ``global`` row per collectivity.

    ``score_pct = 100 × Σ weight × level ÷ Σ weight × 4`` over the questions answered with a level (``NA`` and
    unanswered questions are out of both sums; NaN when nothing is answered with a level);
    ``completeness_pct = 100 × (answered + NA) ÷ questions``.

    Parameters
    ----------
    grid : :func:`answers_grid` output
    axes_order : axis ids in display order (default: order of appearance)

    Returns
    -------
    DataFrame ``collectivity, axis, n_questions, n_answered, n_not_applicable, n_not_answered, points, max_points,
    score_pct, completeness_pct``; ``axis == "global"`` for the whole questionnaire.
    """
    by_axis = _aggregate(grid, ["collectivity", "axis"])
    overall = _aggregate(grid, ["collectivity"]).assign(axis=GLOBAL)
    out = pd.concat([by_axis, overall[by_axis.columns]], ignore_index=True)
    order = list(axes_order) if axes_order is not None else list(dict.fromkeys(grid["axis"]))
    out["_c"] = pd.Categorical(out["collectivity"], categories=list(dict.fromkeys(grid["collectivity"])))
    out["_a"] = pd.Categorical(out["axis"], categories=order + [GLOBAL])
    out = out.sort_values(["_c", "_a"]).drop(columns=["_c", "_a"]).reset_index(drop=True)
    for col in ("n_questions", "n_answered", "n_not_applicable", "n_not_answered"):
        out[col] = out[col].astype(int)
    return out


def pillar_scores(grid: pd.DataFrame) -> pd.DataFrame:
    """Scores per collectivity and People / Planet / Prosperity pillar (same formulas as :func:`maturity_scores`).

    Returns
    -------
    DataFrame ``collectivity, pillar, n_questions, n_answered, n_not_applicable, n_not_answered, points,
    max_points, score_pct, completeness_pct``.
    """
    out = _aggregate(grid, ["collectivity", "pillar"])
    out["_p"] = pd.Categorical(out["pillar"], categories=list(PILLARS))
    out["_c"] = pd.Categorical(out["collectivity"], categories=list(dict.fromkeys(grid["collectivity"])))
    return out.sort_values(["_c", "_p"]).drop(columns=["_c", "_p"]).reset_index(drop=True)


def score_matrix(scores: pd.DataFrame, value: str = "score_pct") -> pd.DataFrame:
    """Collectivities (rows, in order) × axes then ``global`` (columns) of ``value``."""
    m = scores.pivot(index="collectivity", columns="axis", values=value)
    m = m.loc[list(dict.fromkeys(scores["collectivity"])), list(dict.fromkeys(scores["axis"]))]
    m.columns.name = None
    return m


def maturity_level(score_pct):
    """Named level of a score in % (:data:`MATURITY_LEVELS`); ``"Non évalué"`` for NaN.

    Accepts a scalar or an array-like; returns a string or an array of strings.
    """
    values = np.asarray(score_pct, dtype=float)
    bounds = np.array([b for b, _, _ in MATURITY_LEVELS[:-1]])
    names = np.array([n for _, n, _ in MATURITY_LEVELS] + [NOT_ASSESSED_FR], dtype=object)
    idx = np.searchsorted(bounds, values, side="right")
    idx = np.where(np.isnan(values), len(MATURITY_LEVELS), idx)
    if values.ndim == 0:
        return str(names[int(idx)])
    return names[idx]


def benchmark(global_pct: pd.Series, subject: str) -> dict:
    """Position of ``subject`` among the collectivities answering.

    Parameters
    ----------
    global_pct : global score % indexed by collectivity (NaN: not scored, left out)
    subject : the collectivity assessed

    Returns
    -------
    dict ``rank`` (1 = best; ties share the best rank; None if the subject is not scored), ``n_peers`` (other
    collectivities with a score), ``median_pct``, ``q1_pct``, ``q3_pct`` (of the others, linear interpolation as
    ``numpy.percentile``; None without peers), ``best_peer``, ``best_peer_pct``.
    """
    s = global_pct.dropna()
    others = s.drop(subject, errors="ignore")
    mine = s.get(subject, np.nan)
    n = int(len(others))
    rank = None if np.isnan(mine) else int(1 + (others > mine).sum())
    if n:
        q1, med, q3 = np.percentile(others.to_numpy(dtype=float), [25, 50, 75])
        best = others.idxmax()
        return {"rank": rank, "n_peers": n, "median_pct": float(med), "q1_pct": float(q1), "q3_pct": float(q3),
                "best_peer": str(best), "best_peer_pct": float(others[best])}
    return {"rank": rank, "n_peers": 0, "median_pct": None, "q1_pct": None, "q3_pct": None, "best_peer": None,
            "best_peer_pct": None}


def _norm_name(text) -> str:
    """Lower-case name without accents, punctuation or repeated spaces (to compare collectivity names)."""
    import unicodedata

    t = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", t).split())


def check_peers(territory) -> None:
    """Refuse a benchmark peer that is an entity of the studied perimeter (same name or alias).

    A collectivity of the perimeter (e.g. the Ville when the Agglo is assessed on a shared IS) cannot be its own
    comparison. Raises :class:`helpers.io.errors.InputError` (French) naming the peer and the entity.
    """
    names = {}
    for e in getattr(territory, "entities", ()):
        for n in (e.id, e.name, *getattr(e, "aliases", ())):
            names[_norm_name(n)] = e
    problems = []
    for p in getattr(territory, "peers", ()):
        for n in (p.name, *getattr(p, "aliases", ())):
            e = names.get(_norm_name(n))
            if e is not None:
                problems.append(InputProblem(
                    str(getattr(territory, "source_file", "") or "territory.yaml"), None, "peers", p.name,
                    f"une collectivité extérieure au périmètre étudié : « {p.name} » ({p.id}) est l'entité "
                    f"« {e.name} » ({e.id}) du périmètre ; une entité du périmètre ne peut pas servir de "
                    "comparaison (la retirer de peers)"))
                break
    if problems:
        raise InputError(problems)


def load_published_maturity(path: str | Path | None = None) -> pd.DataFrame:
    """Published maturity scores of named collectivities (rows of ``published_benchmarks.csv`` whose unit is
    :data:`PUBLISHED_MATURITY_UNIT`, each with its source): the only peers a benchmark may rank against."""
    path = Path(path) if path is not None else REFERENCE_DIR / "published_benchmarks.csv"
    if not path.exists():
        return pd.DataFrame(columns=["id", "label_fr", "value", "unit", "source"])
    df = pd.read_csv(path, keep_default_na=False, na_values=[""])
    return df[(df["unit"] == PUBLISHED_MATURITY_UNIT) & df["source"].fillna("").astype(str).str.strip().ne("")]


def sourced_peers(territory, published: pd.DataFrame | None = None) -> dict[str, str]:
    """``{peer id: source}`` of the peers whose name (or alias) is a collectivity with a published, sourced
    maturity score (:func:`load_published_maturity`; the row's ``label_fr`` before " : " is the collectivity's
    name). Illustrative or unpublished peers are not sourced and are never ranked against."""
    published = load_published_maturity() if published is None else published
    by_name = {_norm_name(str(r.label_fr).split(" : ")[0]): str(r.source) for r in published.itertuples(index=False)}
    out = {}
    for p in getattr(territory, "peers", ()):
        for n in (p.name, *getattr(p, "aliases", ())):
            if _norm_name(n) in by_name:
                out[p.id] = by_name[_norm_name(n)]
                break
    return out


def axis_benchmark(matrix: pd.DataFrame, subject: str) -> pd.DataFrame:
    """Per axis (and ``global``): the subject's score, the peers' quartiles, the best peer and the gap to it.

    ``gap_to_best_pts = best_peer_pct − subject_pct`` in percentage points (positive: the best peer is ahead).

    Returns
    -------
    DataFrame ``axis, subject_pct, n_peers, peers_q1_pct, peers_median_pct, peers_q3_pct, best_peer,
    best_peer_pct, gap_to_best_pts``.
    """
    others = matrix.drop(index=subject, errors="ignore").astype(float)
    mine = (matrix.loc[subject].astype(float) if subject in matrix.index
            else pd.Series(np.nan, index=matrix.columns))
    has = others.notna().any(axis=0)
    q = others.quantile([0.25, 0.5, 0.75])  # linear interpolation, NaN left out
    best = (others.fillna(-np.inf).idxmax(axis=0).where(has) if len(others)
            else pd.Series(None, index=matrix.columns, dtype=object))
    best_pct = others.max(axis=0)
    return pd.DataFrame({
        "axis": list(matrix.columns),
        "subject_pct": mine.to_numpy(dtype=float),
        "n_peers": others.notna().sum(axis=0).to_numpy(dtype=int),
        "peers_q1_pct": q.loc[0.25].to_numpy(dtype=float),
        "peers_median_pct": q.loc[0.5].to_numpy(dtype=float),
        "peers_q3_pct": q.loc[0.75].to_numpy(dtype=float),
        "best_peer": best.to_numpy(dtype=object),
        "best_peer_pct": best_pct.to_numpy(dtype=float),
        "gap_to_best_pts": (best_pct - mine).to_numpy(dtype=float),
    }).reset_index(drop=True)


def strengths_weaknesses(grid: pd.DataFrame, subject: str, n: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The subject's ``n`` best and ``n`` weakest questions answered with a level.

    Strengths: highest level first, then the heaviest weight, then referential order. Weaknesses: lowest level
    first, then the heaviest weight (a heavy question at a low level matters most). A question is never in both.
    """
    g = grid[(grid["collectivity"] == subject) & grid["status"].eq("answered")].reset_index(drop=True)
    g = g.assign(_order=np.arange(len(g)))
    cols = ["question_id", "axis", "question_fr", "weight", "level", "evidence"]
    strong = g.sort_values(["level", "weight", "_order"], ascending=[False, False, True]).head(n)
    rest = g[~g["question_id"].isin(strong["question_id"])]
    weak = rest.sort_values(["level", "weight", "_order"], ascending=[True, False, True]).head(n)
    return strong[cols].reset_index(drop=True), weak[cols].reset_index(drop=True)


def weak_axes(axis_pct: pd.Series, threshold_pct: float = 50.0) -> list[str]:
    """Axes whose score is below ``threshold_pct`` (default 50 %, the start of level « Structuré »), weakest first.

    ``axis_pct`` is indexed by axis id (a ``global`` entry is ignored); NaN scores are left out.
    """
    s = axis_pct.drop(GLOBAL, errors="ignore").dropna()
    s = s[s < threshold_pct]
    return list(s.sort_values(kind="stable").index)


def actions_for_axes(weak_axes, catalogue_df: pd.DataFrame) -> pd.DataFrame:
    """Catalogue actions that address each weak axis.

    Parameters
    ----------
    weak_axes : axis ids, in the order to show them
    catalogue_df : the action catalogue with at least ``action_id, title_fr, axes`` (``axes``: axis ids separated
        by ``;``)

    Returns
    -------
    DataFrame ``axis, action_id, title_fr``: weak axes in the given order, actions in catalogue order; an action
    that addresses two weak axes appears under both.
    """
    missing = [c for c in ("action_id", "title_fr", "axes") if c not in catalogue_df.columns]
    if missing:
        raise InputError(InputProblem("actions_catalogue.csv", 1, ", ".join(missing), None,
                                      "les colonnes action_id, title_fr et axes"))
    cat = catalogue_df[["action_id", "title_fr", "axes"]].assign(_order=np.arange(len(catalogue_df)))
    cat = cat.assign(axis=cat["axes"].fillna("").astype(str).str.split(";")).explode("axis")
    cat["axis"] = cat["axis"].str.strip()
    order = {a: i for i, a in enumerate(dict.fromkeys(weak_axes))}
    out = cat[cat["axis"].isin(list(order))].assign(_axis=lambda d: d["axis"].map(order))
    out = out.sort_values(["_axis", "_order"])
    return out[["axis", "action_id", "title_fr"]].reset_index(drop=True)


def unknown_catalogue_axes(catalogue_df: pd.DataFrame, axes: pd.DataFrame) -> list[str]:
    """Axis ids used in the catalogue's ``axes`` column that are not in ``maturity_axes.csv``."""
    used = catalogue_df["axes"].fillna("").astype(str).str.split(";").explode().str.strip()
    return sorted(set(used[used != ""]) - set(axes["axis_id"]))


def label_nr_indicative(axis_pct: pd.Series, crosswalk: pd.DataFrame) -> tuple[float, pd.DataFrame]:
    """INDICATIVE Label Numérique Responsable score out of 1000 from the axis scores.

    theme % = Σ share × axis % ÷ Σ share over the theme's axes that have a score (shares re-normalised when an axis
    has no score); theme points = theme maximum points × theme % ÷ 100; score = Σ theme points. NaN when a theme has
    no scored axis. The Label's own grid is not public: the crosswalk (theme points and axis shares) is this
    project's assumption, so the score only says whether the collectivity is far from or near the level-1 threshold
    (300/1000).

    Returns
    -------
    (score, DataFrame ``label_theme, theme_max_points, theme_pct, theme_points``)
    """
    cw = crosswalk.assign(axis_pct=crosswalk["axis"].map(axis_pct).astype(float))
    cw = cw.assign(w=np.where(cw["axis_pct"].notna(), cw["axis_weight"], 0.0),
                   wp=lambda d: d["w"] * d["axis_pct"].fillna(0.0))
    themes = cw.groupby("label_theme", sort=False).agg(theme_max_points=("theme_max_points", "first"),
                                                       w=("w", "sum"), wp=("wp", "sum")).reset_index()
    themes["theme_pct"] = np.where(themes["w"] > 0, themes["wp"] / themes["w"].where(themes["w"] > 0), np.nan)
    themes["theme_points"] = themes["theme_max_points"] * themes["theme_pct"] / 100.0
    score = float(themes["theme_points"].sum()) if themes["theme_points"].notna().all() else float("nan")
    return score, themes[["label_theme", "theme_max_points", "theme_pct", "theme_points"]]


# --------------------------------------------------------------------------------------------------------------------
# whole assessment

@dataclass
class MaturityAssessment:
    """Everything the notebook shows, computed by :func:`assess`."""

    subject: str
    collectivities: list[str]
    names: dict[str, str]
    axes: pd.DataFrame
    questions: pd.DataFrame
    grid: pd.DataFrame
    scores: pd.DataFrame
    matrix: pd.DataFrame
    benchmark: dict
    axis_benchmark: pd.DataFrame
    strengths: pd.DataFrame
    weaknesses: pd.DataFrame
    weak_axes: list[str]
    label_score: float
    label_themes: pd.DataFrame
    pillars: pd.DataFrame | None = None
    illustrative_peers: bool = False
    extra: dict = field(default_factory=dict)
    #: peers with a published, sourced score (the benchmark ranks against them only)
    peers_sourced: dict = field(default_factory=dict)
    #: peers that answered the questionnaire without a published source (shown, never ranked against)
    unsourced_peers: list = field(default_factory=list)
    publish_threshold_pct: float = PUBLISH_COMPLETENESS_PCT

    @property
    def published(self) -> bool:
        """False below :attr:`publish_threshold_pct` of completeness: no score, level or rank is published."""
        return bool(self.subject_row["completeness_pct"] >= self.publish_threshold_pct)

    def status_text(self) -> str:
        """``questionnaire incomplet (x %)`` when the score is not published, else the level."""
        from helpers.io.french import NBSP, fr_number

        row = self.subject_row
        if not self.published and row["score_pct"] == row["score_pct"]:  # scored, but on too few answers
            return f"questionnaire incomplet ({fr_number(row['completeness_pct'], 0)}{NBSP}%)"
        return maturity_level(row["score_pct"])

    @property
    def subject_row(self) -> pd.Series:
        return self.scores[(self.scores["collectivity"] == self.subject) & (self.scores["axis"] == GLOBAL)].iloc[0]

    @property
    def axis_pct(self) -> pd.Series:
        return self.matrix.loc[self.subject].drop(GLOBAL)

    def summary(self) -> dict:
        """The ``maturity`` section of ``summary.json``."""
        row = self.subject_row
        b = self.benchmark
        pub = self.published
        return {
            "subject": self.subject,
            "published": pub,
            "publish_threshold_pct": float(self.publish_threshold_pct),
            "score_pct": _none(row["score_pct"]) if pub else None,
            "level": self.status_text(),
            "completeness_pct": float(row["completeness_pct"]),
            "n_questions": int(row["n_questions"]),
            "n_answered": int(row["n_answered"]),
            "n_not_applicable": int(row["n_not_applicable"]),
            "n_not_answered": int(row["n_not_answered"]),
            "by_axis": {a: (_none(v) if pub else None) for a, v in self.axis_pct.items()},
            "by_pillar": ({} if self.pillars is None or not pub else {
                p: _none(v) for p, v in self.pillars.loc[self.pillars["collectivity"] == self.subject,
                                                         ["pillar", "score_pct"]].itertuples(index=False)}),
            "benchmark": {**{k: (b[k] if pub else None) for k in ("rank", "median_pct", "q1_pct", "q3_pct")},
                          "n_peers": int(b["n_peers"]), "peers_sourced": bool(self.peers_sourced),
                          "sources": dict(self.peers_sourced), "unsourced_peers": list(self.unsourced_peers)},
            "weak_axes": list(self.weak_axes) if pub else [],
            "label_nr_indicative_score": _none(self.label_score) if pub else None,
            "label_nr_level1_threshold": LABEL_NR_LEVEL1_THRESHOLD,
            "label_nr_level2_thresholds": list(LABEL_NR_LEVEL2_THRESHOLDS),
            "label_nr_note": "indicative: the Label NR grid is not public; project crosswalk in label_nr_crosswalk.csv",
        }


def _none(value):
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else float(value)


def assess(answers: pd.DataFrame, territory, questions: pd.DataFrame | None = None, axes: pd.DataFrame | None = None,
           crosswalk: pd.DataFrame | None = None, weak_threshold_pct: float = 50.0, n_top: int = 5,
           published_maturity: pd.DataFrame | None = None,
           publish_threshold_pct: float = PUBLISH_COMPLETENESS_PCT) -> MaturityAssessment:
    """Score the subject and every collectivity answering, benchmark the subject, estimate the Label NR score.

    ``territory`` is a :class:`helpers.io.territory.Territory`; its ``maturity_subject`` is the collectivity assessed.
    The benchmark ranks the subject against the peers with a published, sourced score only
    (:func:`sourced_peers` on ``published_maturity``, default :func:`load_published_maturity`), never against an
    entity of its own perimeter (:func:`check_peers` refuses such a peer) nor an illustrative peer. Below
    ``publish_threshold_pct`` of completeness, no score, level or rank is published (:attr:`published`).
    """
    axes = load_axes() if axes is None else axes
    questions = load_questions(axes=axes) if questions is None else questions
    crosswalk = load_crosswalk(axes=axes) if crosswalk is None else crosswalk
    check_peers(territory)
    subject = territory.maturity_subject
    names = {e.id: e.name for e in tuple(territory.entities) + tuple(territory.peers)}
    colls = answering_collectivities(answers, territory, subject)
    grid = answers_grid(answers, questions, colls)
    scores = maturity_scores(grid, axes["axis_id"])
    matrix = score_matrix(scores)
    # the benchmark: the subject against sourced peers only, never entities of its own perimeter nor
    # illustrative / unpublished collectivities
    sourced = sourced_peers(territory, published_maturity)
    peer_ids = set(getattr(territory, "peer_ids", [p.id for p in getattr(territory, "peers", ())]))
    unsourced = [c for c in colls if c in peer_ids and c not in sourced]
    compared = matrix.loc[[c for c in matrix.index if c == subject or c in sourced]]
    bench = benchmark(compared[GLOBAL], subject)
    if not sourced:
        bench["rank"] = None
    ab = axis_benchmark(compared, subject)
    strong, weak = strengths_weaknesses(grid, subject, n_top)
    axis_pct = matrix.loc[subject].drop(GLOBAL)
    label_score, themes = label_nr_indicative(axis_pct, crosswalk)
    return MaturityAssessment(
        subject=subject, collectivities=colls, names=names, axes=axes, questions=questions, grid=grid,
        scores=scores, matrix=matrix, benchmark=bench, axis_benchmark=ab, strengths=strong, weaknesses=weak,
        weak_axes=weak_axes(axis_pct, weak_threshold_pct), label_score=label_score, label_themes=themes,
        pillars=pillar_scores(grid),
        illustrative_peers=any("illustrati" in str(p.name).lower() for p in territory.peers),
        peers_sourced=sourced, unsourced_peers=unsourced, publish_threshold_pct=float(publish_threshold_pct),
    )


# --------------------------------------------------------------------------------------------------------------------
# the processed table of the scores (the French display, texts and figures: helpers.report.maturity)

def display_matrix(a: MaturityAssessment) -> pd.DataFrame:
    """Collectivities × axes scores (rounded %) and completeness, for the exported table (French headers)."""
    labels = a.axes.set_index("axis_id")["label_fr"].to_dict() | {GLOBAL: "Ensemble"}
    m = a.matrix.round(1)
    m.columns = [labels.get(c, c) for c in m.columns]
    comp = a.scores[a.scores["axis"] == GLOBAL].set_index("collectivity")["completeness_pct"]
    m.insert(0, "Collectivité", [a.names.get(c, c) for c in m.index])
    m["Complétude"] = comp.reindex(a.matrix.index).round(1).to_numpy()
    return m.reset_index(drop=True)
