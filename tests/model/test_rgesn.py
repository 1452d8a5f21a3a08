"""RGESN self-assessment: the criteria file, the answers reader and the compliance score computed by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.io import rgesn_inputs as ri
from helpers.io.errors import InputError
from helpers.model import rgesn

HEADER = "service_id,criterion,answer,justification\n"


@pytest.fixture(scope="module")
def criteria():
    return ri.load_criteria()


def test_criteria_file_matches_the_2024_referential(criteria):
    # counts from DISIC/MiNumEco:_data/referentiel-ecoconception.json (domain-facts §7)
    assert len(criteria) == 78 and criteria["number"].is_unique
    assert criteria["family"].value_counts().to_dict() == ri.FAMILY_SIZES
    assert criteria["priority"].value_counts().to_dict() == {"Prioritaire": 30, "Recommandé": 29, "Modéré": 19}
    assert criteria["difficulty"].value_counts().to_dict() == {"Moyen": 41, "Faible": 21, "Fort": 16}
    # numbering: family k holds k.1 … k.n in order, and "1.10" is kept apart from "1.1"
    for k, fam in enumerate(rgesn.FAMILIES, start=1):
        numbers = criteria.loc[criteria["family"] == fam, "number"].tolist()
        assert numbers == [f"{k}.{i}" for i in range(1, ri.FAMILY_SIZES[fam] + 1)]
    # own short labels, not the official questions ("Le service numérique … ?")
    assert not criteria["label_fr"].str.contains(r"\?|Le service numérique", regex=True).any()
    assert criteria["label_fr"].str.len().max() <= 80


def test_read_rgesn_normalises_answers_and_warns_on_missing_justification(tmp_csv, criteria):
    path = tmp_csv(HEADER + "web,1.1,Conforme,utilité étudiée\nweb,1.10,NA,\nweb,2.1,non conforme,\n"
                   + "web,\"4,1\",C,pas de lecture automatique\n", "rgesn.csv")
    df = ri.read_rgesn(path, ["web"], criteria)
    assert df["answer"].tolist() == ["conforme", "non_applicable", "non_conforme", "conforme"]
    assert df["criterion"].tolist() == ["1.1", "1.10", "2.1", "4.1"]
    warnings = df.attrs["warnings"]
    assert [(w.row, w.column) for w in warnings] == [(3, "justification")]


def test_read_rgesn_reports_every_problem(tmp_csv, criteria):
    path = tmp_csv(HEADER + "web,1.1,conforme,x\nweb,1.11,conforme,x\nmail,2.1,peut-être,\nweb,1.1,non_conforme,\n",
                   "rgesn.csv")
    with pytest.raises(InputError) as exc:
        ri.read_rgesn(path, ["web", "mel"], criteria)
    found = {(p.row, p.column) for p in exc.value.problems}
    assert found == {(3, "criterion"), (4, "answer"), (4, "service_id"), (5, "criterion")}
    unknown = next(p for p in exc.value.problems if p.column == "service_id")
    assert "mel" in unknown.expected


def test_scores_by_hand(criteria):
    answers = pd.DataFrame({
        "service_id": ["web"] * 6,
        "criterion": ["7.1", "7.2", "7.4", "1.1", "1.10", "9.1"],
        "answer": ["conforme", "non_conforme", "non_applicable", "conforme", "non_applicable", "non_applicable"],
        "justification": ["x"] * 6,
    })
    scores = rgesn.rgesn_scores(answers, criteria, ["web", "mail"]).set_index(["service_id", "family"])
    backend = scores.loc[("web", "Backend")]
    # Backend: 4 criteria, 1 compliant, 1 not applicable, 7.3 not answered -> 1 / (4 - 1)
    assert backend["score_pct"] == pytest.approx(100 / 3)
    assert (backend["n_conforme"], backend["n_non_conforme"], backend["n_non_applicable"], backend["n_non_evalue"]) \
        == (1, 1, 1, 1)
    assert backend["answered_pct"] == pytest.approx(75.0)
    # Stratégie: 10 criteria, 1 compliant, 1 not applicable -> 1 / 9
    assert scores.loc[("web", "Stratégie"), "score_pct"] == pytest.approx(100 / 9)
    # overall: 78 criteria, 2 compliant, 3 not applicable -> 2 / 75
    overall = scores.loc[("web", "Ensemble")]
    assert overall["score_pct"] == pytest.approx(200 / 75)
    assert overall["n_non_evalue"] == 78 - 6
    # a service without any answer: nothing compliant, nothing assessed
    assert scores.loc[("mail", "Ensemble"), "score_pct"] == 0.0
    assert scores.loc[("mail", "Ensemble"), "answered_pct"] == 0.0
    assert scores.loc[("mail", "Ensemble"), "n_non_evalue"] == 78
    # by priority: 7.4, 1.1, 1.5 … are "Prioritaire"; 7.4 and 9.1 not applicable, 1.1 compliant -> 1 / (30 - 2)
    prio = rgesn.rgesn_scores(answers, criteria, ["web"], by="priority").set_index("priority")
    assert prio.loc["Prioritaire", "score_pct"] == pytest.approx(100 / 28)


def test_family_with_everything_not_applicable_has_no_score(criteria):
    answers = pd.DataFrame({"service_id": ["web"] * 7, "criterion": [f"9.{i}" for i in range(1, 8)],
                            "answer": ["non_applicable"] * 7, "justification": ["pas d'IA"] * 7})
    scores = rgesn.rgesn_scores(answers, criteria, ["web"]).set_index("family")
    assert pd.isna(scores.loc["Algorithmie", "score_pct"])
    assert scores.loc["Ensemble", "score_pct"] == 0.0


def test_la_rochelle_answers_are_valid(criteria):
    from helpers.io.paths import RAW_DIR

    df = ri.read_rgesn(RAW_DIR / "la-rochelle" / "rgesn.csv", ["site-ville", "e-demarches", "visio"], criteria)
    assert set(df["service_id"]) == {"site-ville", "e-demarches"}


def test_rgesn_table_shows_the_overall_score_of_each_service_in_french(criteria):
    from helpers.report.services import rgesn_table

    answers = pd.DataFrame({"service_id": ["web"] * 4, "criterion": ["1.1", "1.2", "1.3", "2.1"],
                            "answer": ["conforme", "non_conforme", "non_applicable", "conforme"],
                            "justification": ["x"] * 4})
    scores = rgesn.rgesn_scores(answers, criteria, ["web", "mail"])
    t = rgesn_table(scores, {"web": "Site de la ville"})
    assert t.columns.tolist() == ["Service", "Conformes", "Non conformes", "Non applicables", "Non évalués",
                                  "Taux de conformité", "Part du référentiel évaluée"]
    # web: 2 compliant of 78 - 1 not applicable = 2.6 % -> "3 %"; 4 of 78 answered = 5.1 % -> "5 %"
    assert t.iloc[0].tolist() == ["Site de la ville", 2, 1, 1, 74, "3 %", "5 %"]
    # a service with no name keeps its id; nothing answered: 0 %
    assert t.iloc[1].tolist() == ["mail", 0, 0, 0, 78, "0 %", "0 %"]
    assert rgesn_table(None).empty and rgesn_table(scores.iloc[:0]).columns.tolist() == ["Service",
                                                                                         "Taux de conformité"]
