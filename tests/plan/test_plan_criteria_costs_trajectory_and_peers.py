"""Exact results against the survivors of the 2 December post-move ``make mutate`` run (issue 22) in the action plan,
the trajectory, the maturity model, the number reader, the HTML tables and the benchmark comparison.

Each test uses a small hand-made input; the expected values are derived in its docstring. Every test calls the
function it checks itself (no module-scoped fixture): mutmut only reruns, for a mutant, the tests that called the
mutated function, and a module-scoped fixture is called by the first of its tests only.

The action-plan tests use the one-laptop models of ``test_plan_total_counts_selected_actions`` (ADEME/NegaOctet 2022 laptop factors):
100 laptops kept 5 years weigh ``BASELINE = 100 × 185.09 / 5 = 3701.8 kgCO2e`` a year and a 3-year extension saves
``G_LIFE = 100 × 185.09 × (1/5 − 1/8) = 1388.175 kgCO2e`` a year (see ``test_actions_laptop_gains_and_costs``).
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from builders.laptop_fleet_plan import G_LIFE, extension_plan, laptops
from builders.plan_models import PRICES, _data, _models, _refs, _summary  # noqa: F401
from builders.services_library import SERVICES_2

from helpers.io import readers
from helpers.io.errors import InputError
from helpers.io.factors import load_hosting_kinds
from helpers.io.services_inputs import load_presets
from helpers.model import levers as lv
from helpers.model import maturity as mat
from helpers.model import trajectory as tj
from helpers.plan import actions as ac
from helpers.report import actions as actions_report
from helpers.report import carbon as carbon_report
from helpers.report.actions_summary import own_trend_basis_fr
from helpers.report.plotting import html_table

# --------------------------------------------------------------------------------------------------------------
# evaluate: the criteria tables and the basis of each gain
# --------------------------------------------------------------------------------------------------------------




def _french_unit(got: tuple[float, str]) -> tuple[float, str]:
    """An indicator ``(value, unit code)`` with its unit as the diagnostic writes it (:mod:`helpers.report.actions`)."""
    return got[0], actions_report.INDICATOR_UNITS_FR[got[1]]



def _extension_evaluation() -> ac.Evaluation:
    return ac.evaluate(extension_plan(), lv.PlanInputs(inventory=laptops()), _models())


def test_criteria_table_gives_a_non_climate_criterion_in_its_own_unit_unscaled():
    """Water (m3, no scaling, unlike climate change in tonnes): reference 100 × 10 / 5 = 200 m3 a year; the
    3-year extension saves 100 × 10 × (1/5 − 1/8) = 75 m3, all on the balance."""
    # kills helpers.plan.actions.x_evaluate__mutmut_302 (other criteria scaled by 2)
    water = _extension_evaluation().criteria.set_index("criterion").loc["water"]
    assert water["unit"] == "m3"
    assert water["baseline"] == pytest.approx(200.0, rel=1e-12)
    assert water["balance"] == pytest.approx(75.0, rel=1e-12)
    assert water["value"] == pytest.approx(75.0, rel=1e-12)
    assert water["services"] == 0.0


def test_criteria_table_gives_an_empty_unit_to_a_criterion_without_a_known_unit():
    """'noise' is not in ``criteria_units``: its unit cell is empty (its values are still there: reference
    100 × 4 / 5 = 80, gain 100 × 4 × (1/5 − 1/8) = 30)."""
    # kills helpers.plan.actions.x_evaluate__mutmut_338 (unknown unit written 'XXXX')
    noise = _extension_evaluation().criteria.set_index("criterion").loc["noise"]
    assert noise["unit"] == ""
    assert (noise["baseline"], noise["value"]) == (pytest.approx(80.0, rel=1e-12), pytest.approx(30.0, rel=1e-12))


def test_plan_criteria_give_the_balance_part_of_climate_change_in_tonnes():
    """Combined plan = X1: 1388.175 kgCO2e = 1.388175 t on the balance; water stays in m3 (75)."""
    # kills helpers.plan.actions.x_evaluate__mutmut_508 (balance divided by the scale instead of multiplied)
    plan = _extension_evaluation().plan_criteria.set_index("criterion")
    assert plan.at["climate_change", "balance"] == pytest.approx(G_LIFE / 1000, rel=1e-9)
    assert plan.at["water", "balance"] == pytest.approx(75.0, rel=1e-12)


def test_gain_basis_is_the_reference_year_except_for_fleet_stabilisation():
    """X1 (lifetime extension) is a reduction below the reference year; V1 (fleet stabilisation, half of a 20 %
    growth) is measured against the business-as-usual milestone."""
    # kills helpers.plan.actions.x_evaluate__mutmut_431 (basis None) and x_evaluate__mutmut_435 (always bau_milestone)
    plan = pd.concat([extension_plan(), pd.DataFrame([{"action_id": "V1", "lever": "fleet_stabilisation",
                                                       "param": 0.5, "targets": [], "selected": True}])],
                     ignore_index=True)
    ev = ac.evaluate(plan, lv.PlanInputs(inventory=laptops()), _models(("climate_change",)), growth_at_milestone=1.2)
    assert ev.gains["basis"].tolist() == ["reference", "bau_milestone"]


# --------------------------------------------------------------------------------------------------------------
# Costs, scores and the tables of means
# --------------------------------------------------------------------------------------------------------------

def test_yearly_cost_of_devices_in_a_site_needs_the_hosting_kinds():
    """The plan reads no file (issue 37): without ``hosting_kinds`` a site's PUE cannot be priced, and it says so;
    with the reference kinds the site's measured PUE 2.0 applies: 10 laptops × 100 kWh × 2.0 = 2,000 kWh × the
    electricity price."""
    # kills helpers.plan.actions.x_yearly_cost_eur__mutmut_53 (kinds loaded only when given, None passed on)
    hosting = pd.DataFrame({"site_id": ["a"], "entity": ["ville"], "kind": ["server_room"], "pue": [2.0]})
    inputs = lv.PlanInputs(inventory=laptops(10.0, kwh=100.0).assign(site="a"), hosting=hosting)
    with pytest.raises(ValueError, match="hosting_kinds"):
        ac.yearly_cost_eur(inputs, prices=PRICES)
    cost = ac.yearly_cost_eur(inputs, load_hosting_kinds(), prices=PRICES)
    assert cost["electricity_eur"] == pytest.approx(2000.0 * PRICES["electricity"], rel=1e-12)


def test_cost_component_is_zero_without_gain_or_without_a_cost_per_tonne():
    """Action 1: no gain (0 t) although it saves money (−10 €/t): cost component 0, not 1. Action 2: 1 t but no
    cost per tonne (NaN): 0. Scores (weights 0.40, 0.25, 0.15, 0.20), effort 1 → effort component (3 − 1) / 2 = 1,
    gap 0.5: action 1 = 0.15 × 1 + 0.20 × 0.5 = 0.25; action 2 (the only positive gain, gain component 1):
    0.40 + 0.25 = 0.65."""
    # kills helpers.plan.actions.x_priority_score__mutmut_38 ('or' of the two conditions made an 'and')
    comp = ac.priority_score([0.0, 1.0], [-10.0, np.nan], [1, 1], [0.5, 0.5])
    assert comp["cost_component"].tolist() == [0.0, 0.0]
    assert comp["score"].tolist() == [pytest.approx(0.25, rel=1e-12), pytest.approx(0.65, rel=1e-12)]


def test_maturity_gap_is_capped_at_one():
    """A score below 0 (−0.5) would give a gap of 1.5: capped at 1; a score of 0.25 gives 0.75."""
    # kills helpers.plan.actions.x_maturity_gap__mutmut_24 (no upper bound)
    assert ac.maturity_gap([["a"], ["b"]], {"a": -0.5, "b": 0.25}).tolist() == [1.0, 0.75]


def _means_plan() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A1 starts 2025, set up in 12 months (ends 2025): 1,000 €, 10 days, 100 €/year, no owner. A2 starts 2026,
    set up in 24 months (2026–2027): 3,000 €, 30 days, 50 €/year, owner DSI."""
    plan = pd.DataFrame({"action_id": ["A1", "A2"], "title_fr": ["Action 1", "Action 2"], "selected": [True, True],
                         "start_year": [2025, 2026], "months": [12.0, 24.0], "owner": ["", "DSI"],
                         "investment_eur": [1000.0, 3000.0], "yearly_eur": [100.0, 50.0],
                         "staff_days": [10.0, 30.0]})
    ranked = pd.DataFrame({"action_id": ["A1", "A2"], "rank_all": [1, 2]})
    return plan, ranked


def test_means_table_names_a_missing_owner_to_be_appointed():
    # kills helpers.plan.actions.x_means_table__mutmut_26 and x_means_table__mutmut_27
    out = actions_report.means_table(*_means_plan())
    assert out["Porteur"].tolist() == ["à désigner", "DSI"]
    assert out["Mise en place"].tolist() == ["2025", "2026–2027"]


def test_budget_by_year_spreads_the_investment_over_the_set_up_years_only():
    """A1: 1,000 € and 10 days in 2025; A2: 3,000 € and 30 days over 2026–2027, i.e. 1,500 € and 15 days a year.
    Operating costs from the start year: 100 (2025), 100 + 50 = 150 (2026, 2027, 2028)."""
    plan, ranked = _means_plan()
    sel = ac.means_order(plan.assign(staff_days_per_year=0.0), ranked)
    from helpers.plan import budget as bg

    out = bg.budget_by_year([2025, 2026, 2027, 2028], sel["start_year"], sel["end_year"], sel["investment_eur"],
                            sel["yearly_eur"], sel["staff_days"], sel["staff_days_per_year"], np.ones((2, 4)),
                            [0.0, 0.0], 0.0)
    assert out["year"].tolist() == [2025, 2026, 2027, 2028]
    assert out["investment_eur"].tolist() == [1000.0, 1500.0, 1500.0, 0.0]
    assert out["staff_days"].tolist() == [10.0, 15.0, 15.0, 0.0]
    assert out["operating_eur"].tolist() == [100.0, 150.0, 150.0, 150.0]


# --------------------------------------------------------------------------------------------------------------
# Monitoring indicators
# --------------------------------------------------------------------------------------------------------------

def test_software_indicator_without_targets_sums_the_software_purchases():
    """No target: the 'software' lines, 1,000 + 200 € (the 500 € of cloud are left out) = 1,200 € a year."""
    # kills helpers.plan.actions.x_indicator_value__mutmut_180
    purchases = pd.DataFrame({"category": ["software", "cloud", "software"], "amount_eur": [1000.0, 500.0, 200.0]})
    got = _french_unit(ac.indicator_value(lv.PlanInputs(inventory=laptops(), purchases=purchases), "software_spend", []))
    assert got == (pytest.approx(1200.0, rel=1e-12), "€ HT/an")


def test_indicator_target_reads_the_given_scenario_with_the_given_presets():
    """Presets with a visio audio share of 0.25: the inputs (SERVICES_2: 'v' 100 h without audio share, 'v2' 300 h
    at 0.5) give (0.25 × 100 + 0.5 × 300) / 400 = 43.75 %; the given scenario of A1 ('v2' at 1.0) gives
    (0.25 × 100 + 1.0 × 300) / 400 = 81.25 %; at the milestone, half implemented: 43.75 + (81.25 − 43.75) × 0.5
    = 62.5 %."""
    # kills helpers.plan.actions.x_indicators_table__mutmut_36 (scenario ignored) and
    # x_indicators_table__mutmut_56 (reference presets for the target)
    presets = load_presets()
    presets.loc["visio", "audio_share"] = 0.25
    services_done = SERVICES_2.copy()
    services_done.loc[services_done["service_id"] == "v2", "audio_share"] = 1.0
    plan = pd.DataFrame([{"action_id": "A1", "lever": "visio_audio_only", "param": 0.5, "targets": [],
                          "selected": True, "indicator_fr": "Part audio", "indicator_target_fr": None}])
    ramps = pd.DataFrame({"action_id": ["A1"], 2030: [0.5]})
    out = actions_report.indicator_units(ac.indicators_table(plan, lv.PlanInputs(inventory=laptops(), services=SERVICES_2), ramps, 2030,
                              load_hosting_kinds(), presets,
                              scenarios={"A1": lv.PlanInputs(inventory=laptops(), services=services_done)}))
    row = out.iloc[0]
    assert (row["baseline"], row["target_full"], row["target_milestone"]) == (
        pytest.approx(43.75, rel=1e-12), pytest.approx(81.25, rel=1e-12), pytest.approx(62.5, rel=1e-12))


# --------------------------------------------------------------------------------------------------------------
# summary_actions.json
# --------------------------------------------------------------------------------------------------------------



def test_summary_counts_the_catalogue_and_the_selected_actions():
    # kills helpers.plan.actions.xǁActionsStudyǁsummary__mutmut_202 (key n_selected_actions renamed)
    meta = _summary()["actions_meta"]
    assert (meta["n_catalogue_actions"], meta["n_selected_actions"]) == (3, 2)


def test_summary_gives_the_services_part_of_each_action_with_its_interval():
    # kills helpers.plan.actions.xǁActionsStudyǁsummary__mutmut_89 (key 'value' renamed)
    r1 = _summary()["actions"][0]
    assert r1["id"] == "R1"
    assert r1["services_reduction_tco2e_per_year"] == {"value": 0.25, "low": 0.125, "high": 0.5}


# --------------------------------------------------------------------------------------------------------------
# Trajectory
# --------------------------------------------------------------------------------------------------------------

def test_gain_share_leaves_out_the_actions_that_add_emissions():
    """Gains 2 t and −1 t: the second counts 0, so the share is A1's ramp alone: (1 × 2 + 0) / 2 = 1 both years
    (with the −1 t kept it would be 2 then 1)."""
    # kills helpers.model.trajectory.x_gain_share__mutmut_3 (negative gains kept)
    share = tj.gain_share(np.array([[1.0, 1.0], [0.0, 1.0]]), np.array([2.0, -1.0]))
    assert share.tolist() == [1.0, 1.0]


def test_fleet_plan_path_reads_a_share_column_with_a_missing_cell_as_not_a_number():
    """Shares 0.5 and None in an object column: B0 = 10, F0 = 2, G = 4, index 1.0 and 1.5 → first year
    10 − 4 × 0.5 + 2 × 0 = 8, second year not a number (never an exception)."""
    # kills helpers.model.trajectory.x_fleet_plan_path__mutmut_20 (gain share kept as an object array)
    out = tj.fleet_plan_path(10.0, 2.0, 4.0, pd.Series([0.5, None], dtype=object), [1.0, 1.5])
    assert out[0] == 8.0 and math.isnan(out[1])


def test_milestone_verdict_gives_the_extra_reduction_in_percent_of_the_reference():
    """Plan 110 t against a target of 100 t at the milestone, reference 200 t: gap 10 t = 10 % of the target and
    10 / 200 × 100 = 5 % of the reference."""
    # kills helpers.model.trajectory.x_milestone_verdict__mutmut_48 (× 101)
    v = tj.milestone_verdict(110.0, 100.0, 1000.0, 1200.0, 200.0)
    assert (v["milestone_met"], v["gap_milestone_tco2e"]) == (False, 10.0)
    assert v["gap_milestone_pct"] == pytest.approx(10.0, rel=1e-12)
    assert v["extra_reduction_pct_of_reference"] == pytest.approx(5.0, rel=1e-12)


def test_own_trend_of_an_inventory_without_devices_has_zero_coverage():
    """Every quantity is 0: no device, so 0 % of the devices are dated (not 0 / 0), and the trend is unknown."""
    # kills helpers.model.trajectory.x_own_fleet_trend__mutmut_54 (0 / 0 computed)
    own = tj.own_fleet_trend(pd.DataFrame({"category": ["laptop"], "quantity": [0], "purchase_year": [2022]}), 2023)
    assert (own["coverage"], own["known"], own["n_years"]) == (0.0, False, 0)
    assert own_trend_basis_fr(own) == ("tendance propre inconnue (aucun équipement de l'inventaire n'a de date d'achat) : "
                            "croissance 0 %")


# --------------------------------------------------------------------------------------------------------------
# Maturity
# --------------------------------------------------------------------------------------------------------------

def _territory(peer_name: str, **kw):
    return SimpleNamespace(entities=(SimpleNamespace(id="ville", name="Ville de Lyon", aliases=()),),
                           peers=(SimpleNamespace(id="p1", name=peer_name, aliases=()),), **kw)


def test_a_peer_named_like_an_entity_but_for_a_final_dot_is_refused():
    """'Ville de Lyon.' and 'Ville de Lyon' compare equal once punctuation and spaces are set aside."""
    # kills helpers.model.maturity.x__norm_name__mutmut_31 (punctuation replaced by 'XX XX')
    with pytest.raises(InputError) as exc:
        mat.check_peers(_territory("Ville de Lyon."))
    assert [(p.column, p.value) for p in exc.value.problems] == [("peers", "Ville de Lyon.")]


def test_refused_peer_names_the_territory_file_it_comes_from():
    # kills helpers.model.maturity.x_check_peers__mutmut_53 (file read from None)
    with pytest.raises(InputError) as exc:
        mat.check_peers(_territory("Ville de Lyon", source_file="data/raw/t/territory.yaml"))
    assert [(p.file, p.row) for p in exc.value.problems] == [("data/raw/t/territory.yaml", None)]


def test_catalogue_without_its_columns_is_a_problem_of_the_header_line():
    """No 'axes' column: the problem is on line 1 (the header) of actions_catalogue.csv, column 'axes'."""
    # kills helpers.model.maturity.x_actions_for_axes__mutmut_11 (row None)
    with pytest.raises(InputError) as exc:
        mat.actions_for_axes(["a"], pd.DataFrame({"action_id": ["A01"], "title_fr": ["Action"]}))
    assert [(p.file, p.row, p.column) for p in exc.value.problems] == [("actions_catalogue.csv", 1, "axes")]


def test_pillar_scores_have_exactly_the_documented_columns():
    """Collectivity c: People, 1 question of weight 2 at level 4 → 8 / 8 = 100 %; Planet, weight 1 at level 2 →
    2 / 4 = 50 %. Rows in pillar order, no index column."""
    # kills helpers.model.maturity.x_pillar_scores__mutmut_44 (old index kept as a column)
    grid = pd.DataFrame({"collectivity": ["c", "c"], "question_id": ["Q2", "Q1"], "pillar": ["Planet", "People"],
                         "weight": [1.0, 2.0], "level": [2.0, 4.0], "status": ["answered", "answered"]})
    out = mat.pillar_scores(grid)
    assert list(out.columns) == ["collectivity", "pillar", "n_questions", "n_answered", "n_not_applicable",
                                 "n_not_answered", "points", "max_points", "score_pct", "completeness_pct"]
    assert out["pillar"].tolist() == ["People", "Planet"] and out["score_pct"].tolist() == [100.0, 50.0]


# --------------------------------------------------------------------------------------------------------------
# Number reader
# --------------------------------------------------------------------------------------------------------------

def test_decimal_hint_names_a_file_of_a_subfolder_from_the_territory_folder(tmp_path, monkeypatch):
    """A file inventory/ordinateurs.csv of territory 't' (under data/raw/t/): the hint to declare its decimal
    convention names it 'inventory/ordinateurs.csv', as ``files:`` of territory.yaml expects, not 'ordinateurs.csv'."""
    # kills helpers.io.readers.x_number_reader__mutmut_20 (name left out: the bare file name)
    from helpers.io import paths

    monkeypatch.setattr(paths, "RAW_DIR", tmp_path / "raw")
    monkeypatch.setattr(readers, "NUMBERS", {})
    path = tmp_path / "raw" / "t" / "inventory" / "ordinateurs.csv"
    reader = readers.number_reader("ordinateurs.csv", path)
    problems: list = []
    reader.parse(pd.Series(["16,800"]), "amount_eur", [2], problems)
    assert len(problems) == 1
    assert "« files: {inventory/ordinateurs.csv: {decimal: \",\"}} »" in problems[0].expected


# --------------------------------------------------------------------------------------------------------------
# HTML tables
# --------------------------------------------------------------------------------------------------------------

def test_html_table_shows_ten_rows_by_default():
    """11 rows: the header and the first 10 rows, then the note '10 premières lignes sur 11'."""
    # kills helpers.report.plotting.x_html_table__mutmut_1 (default 11 rows)
    html = html_table(pd.DataFrame({"n": range(1, 12)}), "Onze lignes")
    assert html.count("<tr>") == 11 and "<td>11</td>" not in html
    assert html.endswith("<p>10 premières lignes sur 11 ; le tableau complet est dans les tables exportées.</p>")


# --------------------------------------------------------------------------------------------------------------
# Benchmark comparison
# --------------------------------------------------------------------------------------------------------------





def test_per_user_reference_is_compared_on_its_own_scope_per_agent():
    """Issue 32: a reference of 250 kgCO2e per user (no purchases by ratio): our 400 per agent on the physical
    scope, ratio 400 / 250 = 1.6; the total per agent with purchases (500) is only named in the reason."""
    c = carbon_report.benchmark_comparison(_refs(("Par utilisateur", 250.0, "kgco2e_per_user_year", "all", "s",
                                                  "src")), "here", _data())
    assert c[["unit", "reference_value", "our_value", "our_low", "our_high", "ratio"]].values.tolist() == [
        ["kgco2e_per_user_year", 250.0, 400.0, 350.0, 460.0, 1.6]]
    assert c.at[0, "compared_scope"] == "physical"
    assert c.at[0, "our_scope"] == ("par agent, périmètre physique (équipements, leur énergie, hébergement, réseaux, "
                                    "papier)")
    assert c.at[0, "reason_fr"].endswith("Total par agent, achats par ratio monétaire compris : 500 kgCO2e.")


def test_our_figure_without_an_interval_has_missing_bounds():
    """The per-workstation figure (equipment scope by default) has no low/high: both bounds are NaN (not None)."""
    c = carbon_report.benchmark_comparison(_refs(("Par poste", 500.0, "kgco2e_per_workstation_year", "all", "s",
                                                  "src")), "here", _data())
    assert c.at[0, "our_value"] == 300.0 and c.at[0, "compared_scope"] == "equipment"
    assert math.isnan(c.at[0, "our_low"]) and math.isnan(c.at[0, "our_high"])


def test_services_share_of_a_zero_total_is_not_available():
    """Total 0 t: the services share 0 / 0 is not available (NaN), never a division error."""
    # kills helpers.report.carbon.x_benchmark_comparison__mutmut_135 (division always done)
    data = _data(total_tco2e={"value": 0.0}, spend_based_tco2e={"value": 0.0})
    c = carbon_report.benchmark_comparison(_refs(("Part des services", 0.4, "services_share", "all", "s", "src")),
                                           "here", data)
    assert math.isnan(c.at[0, "our_value"]) and math.isnan(c.at[0, "ratio"])


def test_equipment_manufacturing_share_is_preferred_to_the_older_share():
    """Both shares in the summary, 0.6 (equipment scope) and 0.5 (older): the equipment one is compared,
    ratio 0.6 / 0.78."""
    # kills helpers.report.carbon.x_benchmark_comparison__mutmut_60 (key of equipment_manufacturing_share)
    data = _data(equipment_manufacturing_share=0.6, manufacturing_share=0.5)
    c = carbon_report.benchmark_comparison(_refs(("ADEME–Arcep", 0.78, "manufacturing_share", "all", "s", "src")),
                                           "here", data)
    assert c.at[0, "our_value"] == 0.6 and c.at[0, "ratio"] == pytest.approx(0.6 / 0.78, rel=1e-12)
