"""Maturity: the published ``summary.json`` section, the exported tables and the peer checks, exact (issue 22).

Written against the survivors of ``make mutate`` in ``helpers.model.maturity``. One hand-made assessment: two axes,
five questions (the ``mini_questions`` of ``test_maturity.py``), a subject ``s`` and one sourced peer ``p``.

Subject ``s``: AAA-01 = 4 (weight 3), AAA-02 = 1 (w 1), AAA-03 = NA (w 2), BBB-01 = 1 (w 2), BBB-02 unanswered (w 1).

- axis a: (3×4 + 1×1) ÷ ((3 + 1) × 4) = 13 / 16 = 81.25 %;
- axis b: 2×1 ÷ (2×4) = 2 / 8 = 25 %;
- global: (13 + 2) ÷ (16 + 8) = 15 / 24 = 62.5 % → « Structuré » (50 ≤ 62.5 < 75);
- completeness: (3 answered + 1 NA) / 5 = 80 % ≥ 60 % (published);
- Label NR (indicative), crosswalk T1 = axis a (600 points), T2 = axis b (400 points):
  600 × 0.8125 + 400 × 0.25 = 487.5 + 100 = 587.5.

Peer ``p`` answers level 2 everywhere: 50 % on every axis and overall; the subject ranks 1st of 2.
"""

from __future__ import annotations

import pandas as pd
import pytest
from builders.maturity_questions import mini_questions_table

from helpers.io.errors import InputError
from helpers.io.maturity_inputs import PUBLISHED_MATURITY_UNIT
from helpers.io.territory import Entity, Territory
from helpers.model import maturity as m
from helpers.report import maturity as mat_report

SOURCE = "https://example.org/maturite"


def _questions() -> pd.DataFrame:
    return mini_questions_table()


def _answers(rows) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["collectivity", "question_id", "level"])
    na = df["level"].eq("NA")
    return df.assign(level=pd.to_numeric(df["level"].where(~na), errors="coerce"), not_applicable=na, evidence="x")


SUBJECT_ROWS = [("s", "AAA-01", 4), ("s", "AAA-02", 1), ("s", "AAA-03", "NA"), ("s", "BBB-01", 1)]
PEER_ROWS = [("p", q, 2) for q in ("AAA-01", "AAA-02", "AAA-03", "BBB-01", "BBB-02")]


def _territory(**kw) -> Territory:
    fields = dict(slug="t", name="Territoire de test", kind="commune", population=60000, agents=500,
                  reference_year=2023, target_year=2040, milestone_year=2030,
                  entities=(Entity("s", "Ville S"),), peers=(Entity("p", "Commune P"),), maturity_subject="s")
    return Territory(**(fields | kw))


def _assess(**kw) -> m.MaturityAssessment:
    axes = pd.DataFrame({"axis_id": ["a", "b"], "label_fr": ["Axe A", "Axe B"]})
    crosswalk = pd.DataFrame({"label_theme": ["T1", "T2"], "theme_max_points": [600.0, 400.0], "axis": ["a", "b"],
                              "axis_weight": [1.0, 1.0]})
    published = pd.DataFrame({"label_fr": ["Commune P : autodiagnostic 2023"], "source": [SOURCE],
                              "unit": [PUBLISHED_MATURITY_UNIT], "value": [50.0]})
    return m.assess(_answers(SUBJECT_ROWS + PEER_ROWS), _territory(), _questions(), axes=axes, crosswalk=crosswalk,
                    published_maturity=published, **kw)


def test_summary_section_exact():
    """Every key and value of the ``maturity`` section of ``summary.json`` (derivations in the module docstring)."""
    assert mat_report.section_summary(_assess()) == {
        "subject": "s",
        "published": True,
        "publish_threshold_pct": 60.0,
        "score_pct": 62.5,
        "level": "Structuré",
        "completeness_pct": 80.0,
        "n_questions": 5,
        "n_answered": 3,
        "n_not_applicable": 1,
        "n_not_answered": 1,
        "by_axis": {"a": 81.25, "b": 25.0},
        "by_pillar": {"Planet": 62.5},
        "benchmark": {"rank": 1, "median_pct": 50.0, "q1_pct": 50.0, "q3_pct": 50.0, "n_peers": 1,
                      "peers_sourced": True, "sources": {"p": SOURCE}, "unsourced_peers": []},
        "weak_axes": ["b"],  # 25 % < 50 %
        "label_nr_indicative_score": 587.5,
        "label_nr_level1_threshold": 300,
        "label_nr_level2_thresholds": [500, 600],
        "label_nr_note": "indicative: the Label NR grid is not public; project crosswalk in label_nr_crosswalk.csv",
    }


def test_assessment_weaknesses_are_the_weakest_questions_not_already_strengths():
    """With one question per list: the strength is AAA-01 (level 4); of the two level-1 questions the weakness is the
    heavier BBB-01 (weight 2) before AAA-02 (weight 1). The table is exported as ``maturity_weaknesses``."""
    a = _assess(n_top=1)
    assert a.strengths["question_id"].tolist() == ["AAA-01"]
    assert a.weaknesses["question_id"].tolist() == ["BBB-01"]
    assert a.weaknesses[["level", "weight"]].to_numpy().tolist() == [[1.0, 2.0]]


def test_pillar_counts_are_integers():
    """The exported ``maturity_pillar_scores`` table counts questions as integers (1, not 1.0), every count
    column: the subject has 5 Planet questions, 3 answered, 1 NA, 1 unanswered."""
    grid = m.answers_grid(_answers(SUBJECT_ROWS), _questions(), ["s"])
    p = m.pillar_scores(grid)
    counts = ["n_questions", "n_answered", "n_not_applicable", "n_not_answered"]
    assert p[counts].to_numpy().tolist() == [[5, 3, 1, 1]]
    assert all(p[c].dtype.kind == "i" for c in counts), p[counts].dtypes.to_dict()


def test_a_peer_named_as_an_alias_of_an_entity_is_refused():
    """The Agglo is known by its alias « CA de S »: a peer of that name is the Agglo itself, refused."""
    agglo = Entity("agglo", "Communauté d'agglomération de S", aliases=("CA de S",))
    territory = _territory(entities=(Entity("s", "Ville S"), agglo), peers=(Entity("p", "CA de S"),))
    with pytest.raises(InputError) as exc:
        m.check_peers(territory)
    assert "« CA de S » (p) est l'entité « Communauté d'agglomération de S » (agglo) du périmètre" in str(exc.value)


def test_unknown_catalogue_axes_ignores_actions_without_axes():
    """An action with no axis (empty cell, missing value, or a stray ';') names no unknown axis; 'zzz' is one."""
    catalogue = pd.DataFrame({"axes": ["a; b", "", None, "b;", "zzz"]})
    axes = pd.DataFrame({"axis_id": ["a", "b"]})
    assert m.unknown_catalogue_axes(catalogue, axes) == ["zzz"]
