"""Maturity questionnaire: the referential, the answers reader, the scoring computed by hand, the benchmark."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from builders.maturity_questions import mini_questions_table  # noqa: F401

from helpers.io import maturity_inputs as mi
from helpers.io.errors import InputError
from helpers.io.paths import REFERENCE_DIR
from helpers.io.territory import Entity, Territory
from helpers.model import maturity as m
from helpers.report import maturity as mat_report

HEADER = "collectivity,question_id,level,evidence\n"
AXIS_IDS = ["strategy_governance", "measurement_steering", "responsible_purchasing", "equipment_lifecycle",
            "ecodesign_services", "awareness_training", "inclusion_accessibility", "territorial_levers"]


@pytest.fixture(scope="module")
def axes():
    return mi.load_axes()


@pytest.fixture(scope="module")
def questions(axes):
    return mi.load_questions(axes=axes)


def _assess(answers, territory, questions, **kw):
    """:func:`helpers.model.maturity.assess` on the shipped referential (and the shipped published scores unless
    ``published_maturity`` is given)."""
    axes = mi.load_axes()
    kw.setdefault("published_maturity", mi.load_published_maturity())
    return m.assess(answers, territory, questions, axes=axes, crosswalk=mi.load_crosswalk(axes=axes), **kw)


@pytest.fixture
def territory():
    return Territory(
        slug="t", name="Territoire de test", kind="commune", population=60000, agents=500, reference_year=2023,
        target_year=2040, milestone_year=2030,
        entities=(Entity("ville", "Ville"), Entity("ccas", "CCAS")),
        peers=(Entity("peer-a", "Commune A (illustrative)"), Entity("peer-b", "Commune B (illustrative)")),
        maturity_subject="ville",
    )


# ------------------------------------------------------------------------------------------------ referential

def test_referential_has_40_questions_in_the_8_axes_with_5_levels(axes, questions):
    assert list(axes["axis_id"]) == AXIS_IDS  # the ids actions_catalogue.csv refers to
    assert len(questions) >= 40 and questions["question_id"].is_unique
    counts = questions["axis"].value_counts()
    assert set(counts.index) == set(AXIS_IDS) and counts.min() >= 5
    for k in range(5):  # every level of every question is described
        assert questions[f"level_{k}"].str.len().min() >= 5
    assert questions["question_id"].str.match(r"^[A-Z]{3}-\d{2}$").all()
    assert set(questions["pillar"]) == {"People", "Planet", "Prosperity"}
    assert (questions["weight"] > 0).all() and questions["na_allowed"].dtype == bool
    assert questions["source"].str.len().min() > 10 and axes["decree_theme"].str.len().min() > 10
    # French questions, own wording
    assert questions["question_fr"].str.endswith("?").all()


def test_crosswalk_adds_up_to_1000_and_covers_every_axis(axes):
    cw = mi.load_crosswalk(axes=axes)
    assert set(cw["label_theme"]) == set(mi.LABEL_NR_THEMES)
    assert cw.groupby("label_theme")["theme_max_points"].first().sum() == 1000
    assert set(cw["axis"]) == set(AXIS_IDS)
    # every axis at 100 % gives 1000 points, every axis at 30 % gives 300 (the level-1 threshold)
    assert m.label_nr_indicative(pd.Series(100.0, index=AXIS_IDS), cw)[0] == pytest.approx(1000)
    assert m.label_nr_indicative(pd.Series(30.0, index=AXIS_IDS), cw)[0] == pytest.approx(300)


def test_broken_crosswalk_is_reported(tmp_csv, axes):
    path = tmp_csv("label_theme,theme_max_points,axis,axis_weight,source\n"
                   "Stratégie et gouvernance,600,strategy_governance,0.5,x\n"
                   "Stratégie et gouvernance,600,mesure,0.4,x\n", "label_nr_crosswalk.csv")
    with pytest.raises(InputError) as exc:
        mi.load_crosswalk(path, axes)
    columns = [p.column for p in exc.value.problems]
    assert (3, "axis") in {(p.row, p.column) for p in exc.value.problems}
    assert "theme_max_points" in columns and "axis_weight" in columns  # 600 ≠ 1000; 0.5 + 0.4 ≠ 1


def test_catalogue_uses_only_our_axis_ids(axes):
    path = REFERENCE_DIR / "actions_catalogue.csv"
    if not path.exists():
        pytest.skip("actions_catalogue.csv not written yet")
    catalogue = pd.read_csv(path)
    assert m.unknown_catalogue_axes(catalogue, axes) == []


# ------------------------------------------------------------------------------------------------ scoring by hand



@pytest.fixture
def mini_questions():
    return mini_questions_table()


def _answers(rows):
    df = pd.DataFrame(rows, columns=["collectivity", "question_id", "level"])
    na = df["level"].eq("NA")
    return df.assign(level=pd.to_numeric(df["level"].where(~na), errors="coerce"), not_applicable=na, evidence="x")


def test_scores_by_hand(mini_questions):
    # s answers AAA-01 = 4 (w 3), AAA-02 = 1 (w 1), AAA-03 = NA (w 2), BBB-01 = 2 (w 2); BBB-02 (w 1) not answered.
    answers = _answers([("s", "AAA-01", 4), ("s", "AAA-02", 1), ("s", "AAA-03", "NA"), ("s", "BBB-01", 2)])
    grid = m.answers_grid(answers, mini_questions, ["s"])
    assert grid["status"].tolist() == ["answered", "answered", "not_applicable", "answered", "not_answered"]
    scores = m.maturity_scores(grid, ["a", "b"]).set_index("axis")
    # axis a: (3×4 + 1×1) ÷ ((3 + 1) × 4) = 13 / 16 = 81.25 %; the NA question (w 2) is in neither sum
    assert scores.at["a", "points"] == 13 and scores.at["a", "max_points"] == 16
    assert scores.at["a", "score_pct"] == pytest.approx(81.25)
    # axis b: 2×2 ÷ (2×4) = 50 %; the unanswered BBB-02 is NOT scored 0 (that would give 4 / 12 = 33.3 %)
    assert scores.at["b", "score_pct"] == pytest.approx(50.0)
    # global: (13 + 4) ÷ (16 + 8) = 17 / 24 = 70.83 % (question-weighted, not the mean of 81.25 and 50)
    assert scores.at["global", "score_pct"] == pytest.approx(100 * 17 / 24)
    # completeness: a (2 answered + 1 NA) / 3 = 100 %; b 1 / 2 = 50 %; global 4 / 5 = 80 %
    assert scores.at["a", "completeness_pct"] == pytest.approx(100.0)
    assert scores.at["b", "completeness_pct"] == pytest.approx(50.0)
    assert scores.at["global", "completeness_pct"] == pytest.approx(80.0)
    assert scores.loc["global", ["n_answered", "n_not_applicable", "n_not_answered"]].tolist() == [3, 1, 1]
    assert mat_report.maturity_level(scores.at["global", "score_pct"]) == "Structuré"


def test_na_is_out_of_numerator_and_denominator(mini_questions):
    with_na = _answers([("s", "AAA-01", 2), ("s", "AAA-02", 2), ("s", "AAA-03", "NA")])
    as_zero = _answers([("s", "AAA-01", 2), ("s", "AAA-02", 2), ("s", "AAA-03", 0)])
    a_na = m.maturity_scores(m.answers_grid(with_na, mini_questions, ["s"])).set_index("axis").loc["a"]
    a_zero = m.maturity_scores(m.answers_grid(as_zero, mini_questions, ["s"])).set_index("axis").loc["a"]
    assert a_na["score_pct"] == pytest.approx(100 * (3 * 2 + 1 * 2) / (4 * 4))  # 8 / 16 = 50 %
    assert a_zero["score_pct"] == pytest.approx(100 * 8 / (6 * 4))  # 8 / 24 = 33.3 %: a 0 does count
    assert a_na["completeness_pct"] == a_zero["completeness_pct"] == 100.0
    # only NA answers: no score (not 0 %), but the axis counts as fully dealt with
    only_na = _answers([("s", "AAA-03", "NA")])
    a = m.maturity_scores(m.answers_grid(only_na, mini_questions, ["s"])).set_index("axis").loc["a"]
    assert math.isnan(a["score_pct"]) and a["completeness_pct"] == pytest.approx(100 / 3)


def test_missing_answers_lower_completeness_and_are_never_zero(mini_questions):
    full = _answers([("s", "AAA-01", 3), ("s", "AAA-02", 3), ("s", "AAA-03", 3), ("s", "BBB-01", 3),
                     ("s", "BBB-02", 3)])
    partial = full.iloc[[0, 3]]
    g_full = m.maturity_scores(m.answers_grid(full, mini_questions, ["s"])).set_index("axis").loc["global"]
    g_part = m.maturity_scores(m.answers_grid(partial, mini_questions, ["s"])).set_index("axis").loc["global"]
    assert g_full["score_pct"] == g_part["score_pct"] == pytest.approx(75.0)  # 3 / 4 either way
    assert g_full["completeness_pct"] == 100.0 and g_part["completeness_pct"] == pytest.approx(40.0)  # 2 / 5
    # a collectivity with no answer at all is "not assessed", never 0 %
    nothing = m.maturity_scores(m.answers_grid(full.iloc[:0], mini_questions, ["s"])).set_index("axis")
    assert nothing["score_pct"].isna().all() and (nothing["completeness_pct"] == 0).all()
    assert mat_report.maturity_level(np.nan) == "Non évalué"


def test_named_levels_thresholds():
    assert list(mat_report.maturity_level([0, 24.9, 25, 49.99, 50, 74.9, 75, 100])) == [
        "Initial", "Initial", "En construction", "En construction", "Structuré", "Structuré", "Exemplaire",
        "Exemplaire"]


# ------------------------------------------------------------------------------------------------ benchmark

def test_benchmark_rank_median_quartiles_by_hand():
    scores = pd.Series({"s": 60.0, "p1": 40.0, "p2": 50.0, "p3": 70.0, "p4": 80.0, "p5": np.nan})
    b = m.benchmark(scores, "s")
    # two peers (70, 80) are above 60 → rank 3; p5 did not answer → 4 peers
    assert b["rank"] == 3 and b["n_peers"] == 4
    # peers sorted 40, 50, 70, 80: median (50 + 70) / 2 = 60; q1 at position 0.75 → 40 + 0.75×10 = 47.5;
    # q3 at position 2.25 → 70 + 0.25×10 = 72.5 (linear interpolation)
    assert b["median_pct"] == pytest.approx(60.0)
    assert b["q1_pct"] == pytest.approx(47.5) and b["q3_pct"] == pytest.approx(72.5)
    assert b["best_peer"] == "p4" and b["best_peer_pct"] == 80.0
    # ties share the best rank; a subject without a score has no rank
    assert m.benchmark(pd.Series({"s": 50.0, "p": 50.0, "q": 20.0}), "s")["rank"] == 1
    assert m.benchmark(pd.Series({"s": np.nan, "p": 50.0}), "s")["rank"] is None
    alone = m.benchmark(pd.Series({"s": 50.0}), "s")
    assert alone["rank"] == 1 and alone["n_peers"] == 0 and alone["median_pct"] is None


def test_axis_benchmark_gap_to_best_peer():
    matrix = pd.DataFrame({"a": [20.0, 60.0, 40.0], "b": [90.0, 50.0, np.nan], "global": [50.0, 55.0, 40.0]},
                          index=["s", "p", "q"])
    ab = m.axis_benchmark(matrix, "s").set_index("axis")
    assert ab.at["a", "best_peer"] == "p" and ab.at["a", "gap_to_best_pts"] == pytest.approx(40.0)  # 60 − 20
    assert ab.at["a", "peers_median_pct"] == pytest.approx(50.0)  # (40 + 60) / 2
    assert ab.at["b", "n_peers"] == 1 and ab.at["b", "gap_to_best_pts"] == pytest.approx(-40.0)  # 50 − 90


def test_strengths_and_weaknesses(mini_questions):
    answers = _answers([("s", "AAA-01", 4), ("s", "AAA-02", 1), ("s", "AAA-03", "NA"), ("s", "BBB-01", 1),
                        ("s", "BBB-02", 3), ("p", "AAA-01", 0)])
    grid = m.answers_grid(answers, mini_questions, ["s", "p"])
    strong, weak = m.strengths_weaknesses(grid, "s", n=2)
    assert strong["question_id"].tolist() == ["AAA-01", "BBB-02"]
    # level 1 twice: the heavier BBB-01 (w 2) comes before AAA-02 (w 1); NA and other collectivities excluded
    assert weak["question_id"].tolist() == ["BBB-01", "AAA-02"]


def test_weak_axes_and_their_actions():
    pct = pd.Series({"a": 30.0, "b": 70.0, "c": 10.0, "d": np.nan, "global": 20.0})
    assert m.weak_axes(pct) == ["c", "a"]
    catalogue = pd.DataFrame({"action_id": ["A1", "A2", "A3"], "title_fr": ["un", "deux", "trois"],
                              "axes": ["a;b", "c", "b; a"]})
    out = m.actions_for_axes(["c", "a"], catalogue)
    assert list(zip(out["axis"], out["action_id"], strict=True)) == [("c", "A2"), ("a", "A1"), ("a", "A3")]
    with pytest.raises(InputError):
        m.actions_for_axes(["a"], catalogue.drop(columns="axes"))


def test_label_nr_indicative_by_hand():
    cw = pd.DataFrame({
        "label_theme": ["Stratégie et gouvernance", "Stratégie et gouvernance", "Soutien à la stratégie NR"],
        "theme_max_points": [500.0, 500.0, 500.0], "axis": ["a", "b", "b"], "axis_weight": [0.5, 0.5, 1.0],
    })
    # theme 1: 0.5×80 + 0.5×40 = 60 % of 500 = 300; theme 2: 40 % of 500 = 200; total 500
    score, themes = m.label_nr_indicative(pd.Series({"a": 80.0, "b": 40.0}), cw)
    assert score == pytest.approx(500.0)
    assert themes["theme_points"].tolist() == pytest.approx([300.0, 200.0])
    # b not scored: theme 1 re-normalised on a alone (80 % → 400 points), theme 2 cannot be computed → no score
    score, themes = m.label_nr_indicative(pd.Series({"a": 80.0, "b": np.nan}), cw)
    assert math.isnan(score) and themes["theme_points"].iloc[0] == pytest.approx(400.0)


# ------------------------------------------------------------------------------------------------ reader

def test_read_maturity_accepts_na_spellings_and_lenient_ids(tmp_csv, territory, questions):
    path = tmp_csv(HEADER + "ville,GOV-01,3,délibération 2024\nville,mes-04,N/A,pas de salle serveur\n"
                   "peer-a,GOV-01,0,\nville,TER-01,na,\n", "maturity.csv")
    df = mi.read_maturity(path, territory, questions)
    assert df["question_id"].tolist() == ["GOV-01", "MES-04", "GOV-01", "TER-01"]
    assert df["not_applicable"].tolist() == [False, True, False, True]
    assert df["level"].iloc[0] == 3 and df["level"].iloc[2] == 0 and df["level"].iloc[[1, 3]].isna().all()


@pytest.mark.parametrize("row, column, hint", [
    ("ville,GOV-1,2,", "question_id", "GOV-01"),          # unknown question id, closest suggested
    ("ville,GOV-01,5,", "level", "de 0 à 4"),          # out of range
    ("ville,GOV-01,-1,", "level", "de 0 à 4"),
    ("ville,GOV-01,2.5,", "level", "nombre entier"),       # not an integer
    ("ville,GOV-01,deux,", "level", "nombre entier"),
    ("ville,GOV-01,NA,", "level", "na_allowed = no"),     # NA where the question always applies
    ("ville,GOV-01,,", "level", "0, 1, 2, 3, 4 ou NA"),  # empty level
    ("vile,GOV-01,2,", "collectivity", "ville"),          # unknown collectivity, closest suggested
])
def test_each_bad_answer_is_an_input_error_at_its_line_and_column(tmp_csv, territory, questions, row, column, hint):
    path = tmp_csv(HEADER + "ville,MES-01,1,ok\n" + row + "\n", "maturity.csv")
    with pytest.raises(InputError) as exc:
        mi.read_maturity(path, territory, questions)
    problems = exc.value.problems
    assert [(p.row, p.column) for p in problems] == [(3, column)]
    assert hint in problems[0].expected and "maturity.csv" in problems[0].file


def test_duplicate_answer_points_at_the_second_line(tmp_csv, territory, questions):
    path = tmp_csv(HEADER + "ville,GOV-01,1,\npeer-a,GOV-01,2,\nville,gov-01,3,\n", "maturity.csv")
    with pytest.raises(InputError) as exc:
        mi.read_maturity(path, territory, questions)
    (p,) = exc.value.problems
    assert (p.row, p.column) == (4, "question_id") and "ligne 2" in p.expected


def test_every_problem_is_reported_at_once(tmp_csv, territory, questions):
    path = tmp_csv(HEADER + "ville,GOV-01,7,\nmairie,GOV-02,1,\nville,XYZ-99,1,\nville,GOV-03,NA,\n"
                   "ville,GOV-04,1,\nville,GOV-04,2,\n", "maturity.csv")
    with pytest.raises(InputError) as exc:
        mi.read_maturity(path, territory, questions)
    found = {(p.row, p.column) for p in exc.value.problems}
    assert found == {(2, "level"), (3, "collectivity"), (4, "question_id"), (5, "level"), (7, "question_id")}
    assert "ligne 2" in str(exc.value) and "colonne 'level'" in str(exc.value)  # French since 6e98367


def test_subject_without_answers_is_a_warning(tmp_csv, territory, questions):
    df = mi.read_maturity(tmp_csv(HEADER + "peer-a,GOV-01,2,\n", "maturity.csv"), territory, questions)
    (w,) = df.attrs["warnings"]
    assert w.severity == "warning" and w.value == "ville"


# ------------------------------------------------------------------------------------------------ shipped data

@pytest.mark.parametrize("slug, subject, peers", [("la-rochelle", "agglo", 4), ("test-mini", "mairie", 2)])
def test_shipped_answers_validate_and_are_illustrative(slug, subject, peers, questions):
    from helpers.io.paths import RAW_DIR
    from helpers.io.territory import load_territory

    territory = load_territory(slug)
    answers = mi.read_maturity(RAW_DIR / slug / "maturity.csv", territory, questions)
    assert subject in set(answers["collectivity"])
    assert len(set(answers["collectivity"]) & set(territory.peer_ids)) >= peers
    assert answers["evidence"].str.contains("Illustratif|Test", regex=True).all()
    a = _assess(answers, territory, questions)
    summary = mat_report.section_summary(a)
    # issue 18: the shipped peers are illustrative (no published source): listed, never ranked against; the
    # entities of the perimeter (the Ville beside the Agglo) are not peers
    assert summary["benchmark"]["n_peers"] == 0 and summary["benchmark"]["peers_sourced"] is False
    assert summary["benchmark"]["rank"] is None
    assert set(summary["benchmark"]["unsourced_peers"]) == set(a.collectivities) & set(territory.peer_ids)
    assert not set(summary["benchmark"]["unsourced_peers"]) & set(territory.entity_ids)
    assert 0 < summary["completeness_pct"] <= 100 and summary["label_nr_level1_threshold"] == 300
    if slug == "test-mini":  # few answers, to exercise completeness: below 60 %, nothing is published
        assert summary["completeness_pct"] < 50
        assert summary["published"] is False and summary["score_pct"] is None
        assert summary["level"].startswith("questionnaire incomplet (")
    else:
        assert summary["published"] is True and summary["level"] in {n for _, n, _ in mat_report.MATURITY_LEVELS}


def test_figures_carry_more_than_colour(questions):
    from helpers.io.paths import RAW_DIR
    from helpers.io.territory import load_territory

    territory = load_territory("la-rochelle")
    # a sourced peer (as if its score were published) so the radar has the peers' line
    published = pd.DataFrame({"label_fr": ["Agglomération A (illustrative) : test"], "source": ["test"],
                              "unit": [mi.PUBLISHED_MATURITY_UNIT], "value": [50.0]})
    a = _assess(mi.read_maturity(RAW_DIR / "la-rochelle" / "maturity.csv", territory, questions), territory, questions,
                 published_maturity=published)
    radar = mat_report.radar_figure(a)
    ax = radar.axes[0]
    assert ax.name == "polar"
    styles = {(line.get_linestyle(), line.get_marker()) for line in ax.get_lines()}
    assert len(styles) == 2 and len(ax.get_legend().get_texts()) == 2
    heat = mat_report.heatmap_figure(a)
    n_cells = a.matrix.size
    assert len(heat.axes[0].texts) == n_cells  # a number written in every cell
    import matplotlib.pyplot as plt

    plt.close("all")


def test_missing_questionnaire_means_not_assessed_never_zero(tmp_path, territory, questions):
    answers, provided = mi.read_maturity_if_provided(tmp_path / "maturity.csv", territory, questions)
    assert not provided and answers.empty
    a = _assess(answers, territory, questions)
    summary = mat_report.section_summary(a)
    assert summary["score_pct"] is None and summary["level"] == "Non évalué"
    assert summary["completeness_pct"] == 0 and summary["benchmark"]["rank"] is None
    assert summary["label_nr_indicative_score"] is None
    assert "pas évaluée" in mat_report.headline_markdown(a)
    import matplotlib.pyplot as plt

    mat_report.radar_figure(a), mat_report.heatmap_figure(a)  # drawable, nothing invented
    plt.close("all")


def test_junk_answers_give_an_input_error_never_another_exception(tmp_path_factory, territory, questions):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    cell = st.one_of(st.sampled_from(["ville", "peer-a", "GOV-01", "MES-04", "0", "4", "NA", "n/a", "", "2,0"]),
                     st.text(alphabet="aAzZ09-,.;\"' é", max_size=6))
    rows = st.lists(st.tuples(cell, cell, cell, cell), min_size=1, max_size=8)

    @settings(max_examples=150, deadline=None)
    @given(rows=rows)
    def check(rows):
        import csv

        path = tmp_path_factory.mktemp("m") / "maturity.csv"
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["collectivity", "question_id", "level", "evidence"])
            writer.writerows(rows)
        try:
            df = mi.read_maturity(path, territory, questions)
        except InputError as exc:
            assert exc.problems and all(p.file.endswith("maturity.csv") for p in exc.problems)
            return
        assert df["level"].dropna().between(0, 4).all()
        assert not df.duplicated(["collectivity", "question_id"]).any()

    check()


def test_pillar_scores_by_hand(mini_questions):
    q = mini_questions.assign(pillar=["People", "Planet", "Planet", "People", "Prosperity"])
    answers = _answers([("s", "AAA-01", 4), ("s", "AAA-02", 2), ("s", "AAA-03", 1), ("s", "BBB-01", 0)])
    p = m.pillar_scores(m.answers_grid(answers, q, ["s"])).set_index("pillar")
    # People: AAA-01 (w 3, l 4) + BBB-01 (w 2, l 0) → 12 / 20 = 60 %; Planet: (1×2 + 2×1) / (3×4) = 4 / 12;
    # Prosperity: BBB-02 not answered → no score, completeness 0
    assert p.at["People", "score_pct"] == pytest.approx(60.0)
    assert p.at["Planet", "score_pct"] == pytest.approx(100 * 4 / 12)
    assert math.isnan(p.at["Prosperity", "score_pct"]) and p.at["Prosperity", "completeness_pct"] == 0


def test_question_tables_keep_their_columns_when_empty(axes, questions):
    """A territory with no maturity answers (a fresh 'make new-territory') still renders its section."""
    empty = pd.DataFrame(columns=["question_id", "axis", "question_fr", "level", "weight", "evidence"])
    shown = mat_report.display_questions(empty, axes, questions)
    assert shown.empty and set(mat_report.SHORT_QUESTION_COLUMNS) <= set(shown.columns)


# ------------------------------------------------------------------------------- sourced peers only (issue 18)

def _la_rochelle(questions, **kw):
    from helpers.io.paths import RAW_DIR
    from helpers.io.territory import load_territory

    territory = load_territory("la-rochelle")
    answers = mi.read_maturity(RAW_DIR / "la-rochelle" / "maturity.csv", territory, questions)
    return territory, answers


def test_a_peer_that_is_an_entity_of_the_perimeter_is_refused(questions):
    """A peer named as the Ville (an entity of La Rochelle's perimeter) is refused with a French message."""
    import dataclasses

    territory, answers = _la_rochelle(questions)
    ville = next(e for e in territory.entities if e.id == "ville")
    bad = dataclasses.replace(territory, peers=territory.peers + (dataclasses.replace(ville, id="ville-bis"),))
    with pytest.raises(InputError) as exc:
        _assess(answers, bad, questions)
    msg = str(exc.value)
    assert "colonne 'peers'" in msg and "Ville de La Rochelle" in msg and "ne peut pas servir de comparaison" in msg


def test_only_sourced_peers_are_ranked_against(questions):
    """Without a published source no rank; with one sourced peer the rank is among the subject and that peer."""
    territory, answers = _la_rochelle(questions)
    none = _assess(answers, territory, questions, published_maturity=pd.DataFrame(
        columns=["label_fr", "source", "unit", "value"]))
    assert none.summary()["benchmark"]["rank"] is None and none.summary()["benchmark"]["peers_sourced"] is False
    assert "pas de classement" in mat_report.headline_markdown(none)
    published = pd.DataFrame({"label_fr": ["Commune B (illustrative) : test"], "source": ["https://example.org"],
                              "unit": [mi.PUBLISHED_MATURITY_UNIT], "value": [40.0]})
    one = _assess(answers, territory, questions, published_maturity=published)
    b = one.summary()["benchmark"]
    assert b["peers_sourced"] is True and b["n_peers"] == 1 and b["sources"] == {"peer-b": "https://example.org"}
    mine, theirs = one.matrix.loc["agglo", m.GLOBAL], one.matrix.loc["peer-b", m.GLOBAL]
    assert b["rank"] == (1 if mine >= theirs else 2)


def test_nothing_is_published_below_the_completeness_threshold(questions):
    """La Rochelle's questionnaire is complete enough at 60 %; with a 99.9 % threshold the same answers publish no
    score, level, rank nor axis scores, and say 'questionnaire incomplet (x %)'."""
    territory, answers = _la_rochelle(questions)
    a = _assess(answers, territory, questions, publish_threshold_pct=99.9)
    s = mat_report.section_summary(a)
    assert s["completeness_pct"] < 99.9 and s["published"] is False
    assert s["score_pct"] is None and s["benchmark"]["rank"] is None and s["label_nr_indicative_score"] is None
    assert all(v is None for v in s["by_axis"].values())
    assert s["level"].startswith("questionnaire incomplet (")
    assert _assess(answers, territory, questions).summary()["published"] is True


def test_a_sourced_rank_is_withheld_below_the_completeness_threshold(questions):
    """With a sourced peer the benchmark has a rank, a median and quartiles; below the completeness threshold the
    same benchmark publishes none of them (the peer count and sources stay, they say nothing of the subject)."""
    territory, answers = _la_rochelle(questions)
    published = pd.DataFrame({"label_fr": ["Commune B (illustrative) : test"], "source": ["https://example.org"],
                              "unit": [mi.PUBLISHED_MATURITY_UNIT], "value": [40.0]})
    shown = _assess(answers, territory, questions, published_maturity=published).summary()["benchmark"]
    assert shown["rank"] in (1, 2) and shown["median_pct"] is not None
    hidden = _assess(answers, territory, questions, published_maturity=published,
                      publish_threshold_pct=99.9).summary()["benchmark"]
    assert {k: hidden[k] for k in ("rank", "median_pct", "q1_pct", "q3_pct")} == dict.fromkeys(
        ("rank", "median_pct", "q1_pct", "q3_pct"))
    assert hidden["n_peers"] == 1 and hidden["peers_sourced"] is True
