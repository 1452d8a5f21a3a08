"""The study's wiring, checked on what it published: what one part passes to the next, by relations between the
published figures and values derived here by hand (issue 28).

On ``test-mini`` (adopted-plan path through the session's published study) and on the bare territory of issue 28
(only ``territory.yaml`` and a 3-line inventory: the proposed-plan path).
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from builders.project import BARE_SLUG

pytestmark = pytest.mark.e2e


def _published(root, slug):
    summary = json.loads((root / "outputs" / slug / "summary.json").read_text(encoding="utf-8"))
    processed = root / "data" / "processed" / slug
    return summary, processed


@pytest.fixture(params=["mini", "bare"])
def study(request, mini_project, bare_project):
    root, _ = mini_project if request.param == "mini" else bare_project
    return _published(root, "test-mini" if request.param == "mini" else BARE_SLUG)


def test_the_plan_path_is_built_from_the_combined_plans_gain(study):
    """Plan(t) = B0 − G × s(t) + F0 × (I_plan(t) − 1) + A(t) with G the combined plan's gain on the balance, B0 the
    reference balance, F0 its fleet-driven part and A the factor paths' adjustment, rebuilt here from the published
    parts: (e − 1)((E_f − gE_f s) I + E_o − gE_o s) + (m − 1)((M_f − gM_f s) I + M_o − gM_o s). The trajectory uses
    the combined gain, not the sum of the actions and not the gain with the services."""
    summary, processed = study
    traj = pd.read_csv(processed / "trajectory.csv")
    t, plan = summary["trajectory"], summary["plan"]
    b0, f0, g = t["baseline_tco2e"], t["fleet_driven_baseline_tco2e"], plan["balance_gain_tco2e_per_year"]
    assert g == pytest.approx(summary["plan_reduction_balance_tco2e_per_year"]["value"], rel=1e-5)
    parts, gains = t["factor_path"]["parts_tco2e"], t["factor_path"]["plan_gain_parts_tco2e"]
    s, i = traj["plan_gain_share"], traj["plan_growth_index"]
    e, m = traj["electricity_factor_index"], traj["manufacturing_factor_index"]
    adjustment = ((e - 1) * ((parts["electricity_fleet"] - gains["electricity_fleet"] * s) * i
                             + parts["electricity_other"] - gains["electricity_other"] * s)
                  + (m - 1) * ((parts["manufacturing_fleet"] - gains["manufacturing_fleet"] * s) * i
                               + parts["manufacturing_other"] - gains["manufacturing_other"] * s))
    # summary.json keeps 6 significant digits: the relations hold to ~1e-5 (a wrong gain misses by far more)
    np.testing.assert_allclose(traj["plan_factor_adjustment_tco2e"], adjustment, rtol=1e-4, atol=1e-3)
    expected = b0 - g * s + f0 * (i - 1.0) + adjustment
    np.testing.assert_allclose(traj["plan_tco2e"], expected, rtol=1e-5)
    # before the decision year nothing of the plan is implemented: the plan is business as usual
    early = traj[traj["year"] < plan["start_year"]]
    np.testing.assert_allclose(early["plan_tco2e"], early["bau_tco2e"], rtol=1e-9)


def test_business_as_usual_is_the_reference_year_moved_only_by_the_factor_paths(study):
    """Nothing declared in territory.yaml: the fleet does not grow, and BAU(t) = B0 + (e − 1)(E_f + E_o) +
    (m − 1)(M_f + M_o); with constant factors BAU 2030 is the reference total."""
    summary, processed = study
    traj = pd.read_csv(processed / "trajectory.csv")
    t = summary["trajectory"]
    assert t["bau_basis"] == "headcount_and_declared_plans" and t["bau_index_2030"] == 1.0
    parts = t["factor_path"]["parts_tco2e"]
    e, m = traj["electricity_factor_index"], traj["manufacturing_factor_index"]
    expected = (t["baseline_tco2e"] + (e - 1) * (parts["electricity_fleet"] + parts["electricity_other"])
                + (m - 1) * (parts["manufacturing_fleet"] + parts["manufacturing_other"]))
    np.testing.assert_allclose(traj["bau_tco2e"], expected, rtol=1e-5)
    assert t["sensitivities"]["constant_factors"]["bau_2030_tco2e"] == pytest.approx(t["baseline_tco2e"], rel=1e-5)
    assert "inventory_trend" in t["sensitivities"]


def test_the_milestone_per_scope_adds_up_to_the_total(study):
    summary, _ = study
    t = summary["trajectory"]
    by = t["by_scope"]
    for key in ("reference_tco2e", "plan_milestone_tco2e", "target_milestone_tco2e"):
        total = {"reference_tco2e": t["baseline_tco2e"], "plan_milestone_tco2e": t["plan_2030_tco2e"],
                 "target_milestone_tco2e": t["target_2030_tco2e"]}[key]
        assert by["physical"][key] + by["purchases"][key] == pytest.approx(total, rel=1e-5, abs=1e-6)
    for scope in by.values():
        assert scope["gap_milestone_tco2e"] == pytest.approx(
            scope["plan_milestone_tco2e"] - scope["target_milestone_tco2e"], rel=1e-5, abs=1e-6)


def test_the_milestone_gap_is_plan_minus_target_of_the_milestone_year(study):
    summary, processed = study
    traj = pd.read_csv(processed / "trajectory.csv").set_index("year")
    t = summary["trajectory"]
    m = t["milestone_year"]
    assert t["plan_2030_tco2e"] == pytest.approx(traj.loc[m, "plan_tco2e"], rel=1e-5)
    assert t["target_2030_tco2e"] == pytest.approx(traj.loc[m, "target_tco2e"], rel=1e-5)
    assert t["gap_milestone_tco2e"] == pytest.approx(traj.loc[m, "plan_tco2e"] - traj.loc[m, "target_tco2e"],
                                                     rel=1e-5, abs=1e-6)
    assert t["milestone_met"] is bool(t["gap_milestone_tco2e"] <= 0)


def test_the_carbon_budget_sums_the_target_path_over_its_stated_years(study):
    summary, processed = study
    traj = pd.read_csv(processed / "trajectory.csv")
    t = summary["trajectory"]
    years = traj["year"].between(t["reference_year"], t["target_year"])
    assert traj["year"].iat[0] == t["reference_year"] and traj["year"].iat[-1] == t["target_year"]
    assert t["budget_tco2e"] == pytest.approx(traj.loc[years, "target_tco2e"].sum(), rel=1e-5)
    # the target path: linear from the reference balance to its share in the target year
    assert traj["target_tco2e"].iat[0] == pytest.approx(t["baseline_tco2e"], rel=1e-5)
    assert traj["target_tco2e"].iat[-1] == pytest.approx(t["baseline_tco2e"] * t["target_share_of_baseline"],
                                                         rel=1e-5)


def test_the_budget_by_year_runs_from_the_decision_year_to_the_milestone_and_nets_out(study):
    summary, processed = study
    plan = summary["plan"]
    rows = plan["budget_by_year"]
    assert [r["year"] for r in rows] == list(range(plan["start_year"], summary["trajectory"]["milestone_year"] + 1))
    # summary.json keeps 6 significant digits: relations hold to a few units of the 6th digit
    for r in rows:
        assert r["net_eur"] == pytest.approx(r["investment_eur"] + r["operating_eur"] - r["savings_eur"], rel=1e-5,
                                             abs=1.0)
        assert r["fte"] == pytest.approx(r["staff_days"] / plan["days_per_fte"], rel=1e-5)
    assert rows[-1]["net_cumulated_eur"] == pytest.approx(sum(r["net_eur"] for r in rows), rel=1e-5, abs=1.0)
    # every scheduled year of the plan's actions is on or after the decision year, in the tables and the summary
    roadmap = pd.read_csv(processed / "actions_roadmap.csv")
    assert (roadmap["start_year"] >= plan["start_year"]).all()
    assert all(a["start_year"] >= plan["start_year"] for a in summary["actions"])
    # the investment spent over the years is the plan's investment (every set-up ends by the milestone here)
    invested = sum(a["investment_eur"] for a in summary["actions"] if a["selected"])
    assert plan["budget_totals"]["investment_eur"] == pytest.approx(invested, rel=1e-5)


def test_one_list_of_top_actions_in_one_order(study):
    summary, _ = study
    ranked = sorted((a for a in summary["actions"] if a["selected"] and a["rank"] is not None),
                    key=lambda a: a["rank"])
    ids = [a["id"] for a in ranked if a["kind"] == "reduction"][:5]
    assert summary["synthesis"]["top_actions"] == ids == summary["plan"]["top_actions"]


def test_one_plan_percentage_with_its_base(study):
    """The plan's % is its gain on the balance over the balance total (the services' gain is not divided by the
    balance), in summary.json and in the plan's multi-criteria table."""
    summary, processed = study
    plan = summary["plan"]
    total = summary["carbon"]["total_tco2e"]["value"]
    assert plan["reduction_pct_of_reference"] == pytest.approx(plan["balance_gain_tco2e_per_year"] / total * 100,
                                                               rel=1e-4)
    crit = pd.read_csv(processed / "actions_plan_criteria.csv").set_index("criterion")
    assert -crit.loc["climate_change", "change_pct"] == pytest.approx(plan["reduction_pct_of_reference"], rel=1e-4)


def test_the_proposed_plan_of_a_bare_inventory_holds_only_the_actions_that_apply(bare_project):
    root, _ = bare_project
    summary, processed = _published(root, BARE_SLUG)
    plan = summary["plan"]
    assert plan["status"] == "proposed" and plan["start_year_source"] == "default"
    assert plan["start_year"] == summary["territory"]["reference_year"] + 1
    void = {"A03", "A04", "A07", "A08", "A10", "A11", "A12", "A13", "A14", "A15", "A16", "A17", "A18", "A19", "A20",
            "A21", "A23", "A32", "A34", "A35"}
    by_id = {a["id"]: a for a in summary["actions"]}
    assert {i for i, a in by_id.items() if not a["applicable"]} == void
    assert all(by_id[i]["rank"] is None and not by_id[i]["selected"] for i in void)
    for i in ("A01", "A02", "A05", "A06", "A09"):  # computers and smartphones keep their actions and a rank
        assert by_id[i]["applicable"] and by_id[i]["rank"] is not None
    page = (root / "outputs" / BARE_SLUG / "diagnostic.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", page)
    assert "Plan proposé" in text and "plan proposé, à décider" in text.lower()
    assert "Année de décision à renseigner" in text


def test_an_adopted_plan_holds_the_listed_actions_and_proposes_the_others_apart(tmp_path):
    """La Rochelle's actions.csv lists 14 actions, 12 selected: those 12 are the adopted plan and its total; A11 and
    A23 are rejected; every other applicable catalogue action is complementary, outside the total."""
    from helpers.io.paths import RAW_DIR
    from helpers.run.study import compute_sections

    compute_sections("la-rochelle", n_draws=300, processed_dir=tmp_path)
    s = json.loads((tmp_path / "summary_actions.json").read_text(encoding="utf-8"))["data"]
    listed = pd.read_csv(RAW_DIR / "la-rochelle" / "actions.csv")
    chosen = set(listed.loc[listed["selected"].eq("yes"), "action_id"])
    plan = s["plan"]
    assert plan["status"] == "adopted" and plan["start_year"] == 2022 and plan["start_year_source"] == "territory"
    assert set(plan["actions_in_plan"]) == chosen and len(chosen) == 12
    assert set(plan["rejected_actions"]) == {"A11", "A23"}
    by_id = {a["id"]: a for a in s["actions"]}
    assert set(plan["complementary_actions"]) == {i for i, a in by_id.items()
                                                  if a["applicable"] and i not in set(listed["action_id"])}
    assert s["actions_meta"]["n_selected_actions"] == 12
    assert s["actions_meta"]["sum_of_actions_tco2e_per_year"] == pytest.approx(sum(
        by_id[i]["reduction_tco2e_per_year"]["value"] for i in chosen if by_id[i]["kind"] == "reduction"), rel=1e-5)
