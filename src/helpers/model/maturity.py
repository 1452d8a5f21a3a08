"""Responsible-digital maturity: the scoring of the questionnaire, a benchmark and an indicative Label NR score.

Functions of values: the referential (axes, questions, Label NR crosswalk) and the answers are read and checked by
:mod:`helpers.io.maturity_inputs`; the French display (level names, headline, tables, figures) is
:mod:`helpers.report.maturity`; the section's runner is :func:`helpers.run.study.run_maturity`.

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

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.io.errors import InputError, InputProblem
from helpers.io.maturity_inputs import LEVEL_MAX, PILLARS, collectivity_ids
from helpers.model.parameters import DEFAULTS

GLOBAL = "global"

#: Upper bounds (in %, exclusive) of the named maturity levels 0 … 2; level 3 is open-ended (names and meanings:
#: :data:`helpers.report.maturity.MATURITY_LEVELS`). The bounds are the steps of the 0-4 answer scale: 25 % = an
#: average level of 1, 50 % = 2, 75 % = 3. Below 25 % most practices are absent (average below "first steps");
#: 25-50 %: practices started but not generalised; 50-75 %: practices organised across the collectivity; 75 % and
#: more: practices generalised and measured. Project design choice (WeNR's own thresholds are not published,
#: domain-facts §1.1 and §9).
LEVEL_BOUNDS_PCT: tuple[float, ...] = (25.0, 50.0, 75.0)
#: :func:`level_index` of a score that is not a number (nothing scored): "not assessed".
NOT_ASSESSED_LEVEL = len(LEVEL_BOUNDS_PCT) + 1

#: Label Numérique Responsable (INR, Agence LUCIE): self-assessment out of 1000; level 1 above 300; level 2 given as
#: 600 (zonebourse 2022) or 500 (alliancy): the sources conflict, both are shown (domain-facts §1.3).
LABEL_NR_LEVEL1_THRESHOLD = 300
LABEL_NR_LEVEL2_THRESHOLDS = (500, 600)


# --------------------------------------------------------------------------------------------------------------------
# scoring

def answering_collectivities(answers: pd.DataFrame, territory=None, subject: str | None = None) -> list[str]:
    """Collectivities to score: the subject first, then every collectivity with at least one answer.

    Order: the subject, the other entities then the peers in ``territory`` order (file order without a territory).
    """
    answered = list(dict.fromkeys(answers["collectivity"]))
    if territory is not None:
        entity_ids, peer_ids = collectivity_ids(territory)
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


def level_index(score_pct):
    """Index of the named level of a score in % (0 … 3, :data:`LEVEL_BOUNDS_PCT`); :data:`NOT_ASSESSED_LEVEL` for
    NaN. Accepts a scalar or an array-like; returns an int or an array of ints."""
    values = np.asarray(score_pct, dtype=float)
    idx = np.searchsorted(np.array(LEVEL_BOUNDS_PCT), values, side="right")
    idx = np.where(np.isnan(values), NOT_ASSESSED_LEVEL, idx)
    return int(idx) if values.ndim == 0 else idx


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
    clashes = []  # (peer, entity of the perimeter it names)
    for p in getattr(territory, "peers", ()):
        entity = next((names[_norm_name(n)] for n in (p.name, *getattr(p, "aliases", ()))
                       if _norm_name(n) in names), None)
        if entity is not None:
            clashes.append((p, entity))
    if clashes:
        file = str(getattr(territory, "source_file", "") or "territory.yaml")
        raise InputError([InputProblem(
            file, None, "peers", p.name,
            f"une collectivité extérieure au périmètre étudié : « {p.name} » ({p.id}) est l'entité "
            f"« {e.name} » ({e.id}) du périmètre ; une entité du périmètre ne peut pas servir de "
            "comparaison (la retirer de peers)") for p, e in clashes])


def sourced_peers(territory, published: pd.DataFrame) -> dict[str, str]:
    """``{peer id: source}`` of the peers whose name (or alias) is a collectivity with a published, sourced
    maturity score (``published``: :func:`helpers.io.maturity_inputs.load_published_maturity`; the row's
    ``label_fr`` before " : " is the collectivity's name). Illustrative or unpublished peers are not sourced and are
    never ranked against."""
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


def weak_axes(axis_pct: pd.Series, threshold_pct: float = DEFAULTS.weak_axis_pct) -> list[str]:
    """Axes whose score is below ``threshold_pct`` (default 50 %, the start of level 2, "structured"), weakest first.

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
    publish_threshold_pct: float = DEFAULTS.publish_completeness_pct

    @property
    def published(self) -> bool:
        """False below :attr:`publish_threshold_pct` of completeness: no score, level or rank is published."""
        return bool(self.subject_row["completeness_pct"] >= self.publish_threshold_pct)

    @property
    def subject_row(self) -> pd.Series:
        return self.scores[(self.scores["collectivity"] == self.subject) & (self.scores["axis"] == GLOBAL)].iloc[0]

    @property
    def axis_pct(self) -> pd.Series:
        return self.matrix.loc[self.subject].drop(GLOBAL)

    def summary(self) -> dict:
        """The values of the ``maturity`` section of ``summary.json`` (its French ``level`` is added by
        :func:`helpers.report.maturity.section_summary`)."""
        row = self.subject_row
        b = self.benchmark
        pub = self.published
        return {
            "subject": self.subject,
            "published": pub,
            "publish_threshold_pct": float(self.publish_threshold_pct),
            "score_pct": _none(row["score_pct"]) if pub else None,
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


def assess(answers: pd.DataFrame, territory, questions: pd.DataFrame, axes: pd.DataFrame, crosswalk: pd.DataFrame,
           published_maturity: pd.DataFrame, weak_threshold_pct: float = DEFAULTS.weak_axis_pct, n_top: int = 5,
           publish_threshold_pct: float = DEFAULTS.publish_completeness_pct) -> MaturityAssessment:
    """Score the subject and every collectivity answering, benchmark the subject, estimate the Label NR score.

    ``territory`` is a :class:`helpers.io.territory.Territory`; its ``maturity_subject`` is the collectivity assessed.
    ``questions``, ``axes``, ``crosswalk`` and ``published_maturity`` are the referential's tables
    (:mod:`helpers.io.maturity_inputs`). The benchmark ranks the subject against the peers with a published, sourced
    score only (:func:`sourced_peers` on ``published_maturity``), never against an entity of its own perimeter
    (:func:`check_peers` refuses such a peer) nor an illustrative peer. Below ``publish_threshold_pct`` of
    completeness, no score, level or rank is published (:attr:`MaturityAssessment.published`).
    """
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


