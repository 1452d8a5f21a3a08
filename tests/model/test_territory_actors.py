"""Issue 35: the territory's footprint by actor from open data, and the stakeholders' priorities in the ranking."""

import json

import numpy as np
import pandas as pd
import pytest

from helpers.io import carbon_reference
from helpers.io import factors as fm
from helpers.io.errors import InputError
from helpers.model import carbon
from helpers.model import territory_actors as ta
from helpers.model.parameters import DEFAULTS
from helpers.plan import actions as ac
from helpers.plan import priorities as stk
from helpers.report import territory_labels

NATIONAL = carbon_reference.load_national_footprint()


@pytest.fixture(scope="module")
def nat():
    return ta.national_intensities(NATIONAL, carbon_reference.load_national_actors(), fm.load_categories(), fm.load_factors())


# --------------------------------------------------------------------------------------------------------------
# The model: national pools, intensities, actor lines
# --------------------------------------------------------------------------------------------------------------

def test_without_any_file_the_total_is_todays_figure_in_three_national_ratio_lines(nat):
    lines = ta.actor_lines(172_000, ta.LocalDrivers(), nat)
    today = carbon.territory_footprint(172_000, NATIONAL, 600.0)
    assert list(lines["actor"]) == ["terminals", "datacentres", "networks"]
    assert set(lines["basis"]) == {"national_ratio"}
    t = ta.total(lines)
    for k in ("value", "low", "high"):
        assert t[k] == pytest.approx(today[k], rel=1e-6)
    # 172,000 × 253 kg × 17.05/17.2 = 43,136.5 t (the figure of the issue), split 79/16/5
    assert t["value"] == pytest.approx(43_136.5, abs=0.5)
    assert lines["value_tco2e"].tolist() == pytest.approx([0.79 * 43_136.5, 0.16 * 43_136.5, 0.05 * 43_136.5],
                                                          rel=1e-6)


def test_intensities_by_hand(nat):
    per = nat.per_unit_kgco2e
    # the pupils' basket: 0.1 laptop + 0.1 tablet + 0.04 interactive display + 0.02 video projector, each its
    # manufacturing + distribution + end of life over its lifetime plus its kWh × 0.0461 (factors.csv, categories.csv)
    laptop = (170 + 12.3 + 2.79) / 5 + 48 * 0.0461
    assert laptop == pytest.approx(39.2308, rel=1e-4)
    assert per["pupils"].value == pytest.approx(0.1 * laptop + 0.1 * 28.6051 + 0.04 * 89.6756 + 0.02 * 9.52944,
                                                rel=1e-4)
    # per job: WeNR 265 kg × 77 %
    assert per["salaried_jobs"].value == pytest.approx(204.05)
    # per household: the national terminals (0.79 × 17.05 Mt) less 25,152,000 jobs and 12,800,000 pupils
    hh = (0.79 * 17.05e9 - 204.05 * 25_152_000 - per["pupils"].value * 12_800_000) / 30_907_289
    assert per["households"].value == pytest.approx(hh, rel=1e-9)
    assert 150 < hh < 400
    # per MW of data centre: 16 % of 17.05 Mt over 1,606 MW
    assert per["dc_power_mw"].value == pytest.approx(0.16 * 17.05e9 / 1606, rel=1e-9)


def test_local_lines_by_hand_and_the_rest_of_the_terminals(nat):
    per = nat.per_unit_kgco2e
    jobs = pd.DataFrame({"section": ["G", "P"], "establishments": [10.0, 2.0], "employees": [300.0, 100.0],
                         "employees_low": [250.0, 100.0], "employees_high": [350.0, 100.0]})
    local = ta.LocalDrivers(households=20_000, jobs_by_section=jobs, dc_power_mw=0.5)
    lines = ta.actor_lines(45_000, local, nat).set_index("actor")
    assert lines.loc["households", "value_tco2e"] == pytest.approx(20_000 * per["households"].value / 1000)
    assert lines.loc["businesses", "value_tco2e"] == pytest.approx(300 * 204.05 / 1000)
    assert lines.loc["businesses", "low_tco2e"] == pytest.approx(250 * 102.0 / 1000)
    assert lines.loc["businesses", "high_tco2e"] == pytest.approx(350 * 265.0 / 1000)
    assert lines.loc["schools_public", "value_tco2e"] == pytest.approx(100 * 204.05 / 1000)  # P: public services
    assert lines.loc["datacentres", "value_tco2e"] == pytest.approx(0.5 * 0.16 * 17.05e9 / 1606 / 1000)
    assert lines.loc["datacentres", "basis"] == "local"
    # terminals not covered (pupils not given): the population share of the pool less the national average of the
    # households and jobs, both given locally
    ratio = 45_000 / 67_984_190
    rest = ratio * (0.79 * 17.05e6 - (per["households"].value * 30_907_289 + 204.05 * 25_152_000) / 1000)
    assert lines.loc["other_terminals", "value_tco2e"] == pytest.approx(rest, rel=1e-6)
    assert lines.loc["other_terminals", "basis"] == "national_ratio"
    assert lines.loc["networks", "basis"] == "national_ratio"
    assert ta.total(lines.reset_index())["value"] == pytest.approx(lines["value_tco2e"].sum())
    assert (lines["low_tco2e"] <= lines["value_tco2e"]).all() and (lines["value_tco2e"] <= lines["high_tco2e"]).all()


def test_a_territory_at_the_national_average_keeps_its_total(nat):
    """Local drivers equal to the national average per inhabitant give back today's total (the split changes, not
    the sum)."""
    pop = 100_000
    r = pop / nat.population
    d = nat.national_drivers
    jobs = pd.DataFrame({"section": ["G"], "establishments": [1.0], "employees": [d["salaried_jobs"] * r],
                         "employees_low": [d["salaried_jobs"] * r], "employees_high": [d["salaried_jobs"] * r]})
    local = ta.LocalDrivers(households=d["households"] * r, jobs_by_section=jobs, pupils=d["pupils"] * r,
                            fixed_accesses=d["fixed_accesses"] * r, sim_cards=d["sim_cards"] * r)
    lines = ta.actor_lines(pop, local, nat)
    assert "other_terminals" not in set(lines["actor"])
    assert (lines["basis"] == "local").sum() == 5
    assert ta.total(lines)["value"] == pytest.approx(pop * 253 * 17.05 / 17.2 / 1000, rel=1e-6)


def test_every_line_the_model_can_make_is_published_with_its_french_name_driver_and_note(nat):
    """The model's lines carry codes; the published table (``territory_actors.csv``, ``territory.by_actor``) names
    each actor, its driver and its method in French, for every combination of local files."""
    jobs = pd.DataFrame({"section": ["C", "O"], "establishments": [3, 2], "employees": [100.0, 50.0],
                         "employees_low": [90.0, 45.0], "employees_high": [110.0, 55.0]})
    every = ta.LocalDrivers(40_000.0, jobs, 12_000.0, 3.5, None, 50_000.0, None)
    only_pupils = ta.LocalDrivers(pupils=1_200.0, sim_cards=90_000.0)
    for local in (ta.LocalDrivers(), every, only_pupils):
        model = ta.actor_lines(150_000, local, nat)
        assert "label_fr" not in model and "note" not in model
        out = territory_labels.actor_lines(model)
        assert list(out.columns) == territory_labels.LINE_COLUMNS
        assert out["label_fr"].str.len().gt(0).all() and out["note"].str.len().gt(0).all()
        assert (out.loc[out["basis"] == "national_ratio", "driver_fr"] == "habitants").all()
    out = territory_labels.actor_lines(ta.actor_lines(150_000, every, nat)).set_index("actor")
    assert out.loc["schools_public", "note"] == ("élèves × équipement scolaire par élève (12000 élèves) ; emplois "
                                                 "salariés de l'administration, l'enseignement, la santé (50)")
    assert out.loc["networks_mobile", "basis"] == "national_ratio"
    assert out.loc["networks_fixed", "driver_fr"] == "accès fixes"
    pupils_only = territory_labels.actor_lines(ta.actor_lines(150_000, only_pupils, nat)).set_index("actor")
    assert pupils_only.loc["schools_public", "note"] == "élèves × équipement scolaire par élève (1200 élèves)"


# --------------------------------------------------------------------------------------------------------------
# The readers: producers' formats and clear French errors
# --------------------------------------------------------------------------------------------------------------

def test_sirene_stock_bands_sections_and_closed_establishments(tmp_csv):
    from helpers.io.territory_data import jobs_by_section, read_establishments

    path = tmp_csv("siret,codeCommuneEtablissement,activitePrincipaleEtablissement,trancheEffectifsEtablissement,"
                   "etatAdministratifEtablissement\n"
                   "1,17300,62.01Z,11,A\n2,17300,47.11F,02,A\n3,17300,84.11Z,12,A\n4,17300,47.11F,03,F\n"
                   "5,17028,85.20Z,NN,A\n", "establishments.csv")
    df = read_establishments(path)
    assert list(df["section"]) == ["J", "G", "O", "P"]
    assert list(df["employees"]) == [14.5, 4.0, 34.5, 0.0]
    assert list(df["employees_low"]) == [10, 3, 20, 0] and list(df["employees_high"]) == [19, 5, 49, 0]
    assert any("fermé" in str(w) for w in df.attrs["warnings"])
    by = jobs_by_section(df).set_index("section")
    assert by.loc["G", "establishments"] == 1


def test_bad_sector_and_band_name_line_and_column(tmp_csv):
    from helpers.io.territory_data import read_establishments

    path = tmp_csv("CODGEO;NAF;effectif;tranche\n17300;XX9;;\n17300;G;;99\n", "establishments.csv")
    with pytest.raises(InputError) as err:
        read_establishments(path)
    text = str(err.value)
    assert "ligne 2" in text and "'sector'" in text and "code NAF" in text
    assert "ligne 3" in text and "tranche d'effectif SIRENE" in text


def test_insee_communes_and_households_above_population(tmp_csv):
    from helpers.io.territory_data import read_communes

    ok = read_communes(tmp_csv("CODGEO;LIBGEO;P20_POP;P20_MEN\n17300;La Rochelle;77205;43000\n"
                               "1004;Ambérieu;14000;6000\n", "communes.csv"))
    assert list(ok["commune"]) == ["17300", "01004"]
    with pytest.raises(InputError) as err:
        read_communes(tmp_csv("CODGEO,P20_POP,P20_MEN\n17300,1000,2000\nabc,10,5\n", "communes.csv"))
    text = str(err.value)
    assert "ligne 2" in text and "au plus la population" in text
    assert "ligne 3" in text and "code INSEE" in text


def test_arcep_commune_file_keeps_the_latest_quarter(tmp_csv):
    from helpers.io.territory_data import read_connectivity

    df = read_connectivity(tmp_csv("code_insee;nom_com;date;nbr;elig_ftth\n17300;La Rochelle;2020-12-31;60000;50000\n"
                                   "17300;La Rochelle;2021-03-31;60500;52000\n", "connectivity.csv"))
    assert len(df) == 1 and df["ftth_premises"].iat[0] == 52000
    with pytest.raises(InputError) as err:
        read_connectivity(tmp_csv("code_insee;nbr;elig_ftth\n17300;100;120\n", "connectivity.csv"))
    assert "ligne 2" in str(err.value) and "au plus le nombre de locaux" in str(err.value)


def test_datacentre_needs_power_or_area_and_fragility_one_scale(tmp_csv):
    from helpers.io.territory_data import read_datacentres, read_fragility

    with pytest.raises(InputError) as err:
        read_datacentres(tmp_csv("name,commune,it_power_kw,floor_area_m2\nDC A,17300,,\n", "datacentres.csv"))
    assert "ligne 2" in str(err.value) and "puissance informatique" in str(err.value)
    with pytest.raises(InputError) as err:
        read_fragility(tmp_csv("commune,score\n17300,4.5\n17028,120\n", "digital_fragility.csv"))
    assert "une seule échelle" in str(err.value)


def test_indicators_weight_the_fragility_index_by_population():
    communes = pd.DataFrame({"commune": ["17300", "17028"], "population": [80_000.0, 20_000.0],
                             "households": [40_000.0, 9_000.0]})
    frag = pd.DataFrame({"commune": ["17300", "17028"], "name": ["La Rochelle", "Aytré"], "score": [4.0, 9.0],
                         "population": [np.nan, np.nan]})
    conn = pd.DataFrame({"premises": [50_000.0], "ftth_premises": [45_000.0], "thd_premises": [np.nan],
                         "fixed_accesses": [np.nan], "sim_cards": [np.nan]})
    ind = territory_labels.indicators(ta.indicators(100_000, communes, conn, frag)).set_index("indicator")
    assert ind.loc["fragility_mean", "value"] == pytest.approx((4 * 80 + 9 * 20) / 100)
    assert ind.loc["fragility_max", "label_fr"].endswith("Aytré")
    assert ind.loc["ftth_share", "value"] == pytest.approx(90.0)
    assert ind.loc["people_per_household", "value"] == pytest.approx(100_000 / 49_000)


# --------------------------------------------------------------------------------------------------------------
# Stakeholders' priorities
# --------------------------------------------------------------------------------------------------------------

def test_priorities_change_the_order_as_the_weights_say():
    """Three actions: A, B, C with gains 3, 2, 1 t (gain components 1, 2/3, 1/3), all saving money (cost 1), effort 1
    (1), maturity gap 0.5: scores 0.9, 0.7667, 0.6333 without priorities → A, B, C.

    Votes: group g1 gives C 3 and B 1 (shares 0.75, 0.25); group g2 gives the axis X, C's only axis, 1. Support:
    A 0; B (0.25 + 0)/2 = 0.125; C (0.75 + 1)/2 = 0.875; divided by the largest: 0, 1/7, 1.
    Stakeholders' weight 0.20: (0.9, 0.7667 + 0.2/7, 0.6333 + 0.2) / 1.2 = 0.75, 0.6627, 0.6944 → A, C, B.
    Weight 1.0: (0.9, 0.7667 + 1/7, 0.6333 + 1) / 2 = 0.45, 0.4548, 0.8167 → C, B, A."""
    votes = pd.DataFrame({"group": ["g1", "g1", "g2"], "target_kind": ["action", "action", "axis"],
                          "target_id": ["C", "B", "X"], "weight": [3.0, 1.0, 1.0]})
    support = stk.stakeholder_support(votes, ["A", "B", "C"], [["Y"], ["Y"], ["X"]])
    assert support.tolist() == pytest.approx([0.0, 1 / 7, 1.0])

    def order(weights, s):
        comp = ac.priority_score([3.0, 2.0, 1.0], [-1.0, -1.0, -1.0], [1, 1, 1], [0.5, 0.5, 0.5], weights,
                                 stakeholders=s)
        return "".join(np.array(list("ABC"))[np.argsort(-comp["score"].to_numpy(), kind="stable")]), comp["score"]

    assert order(None, None)[0] == "ABC"
    assert order(None, None)[1].tolist() == pytest.approx([0.9, 0.4 * 2 / 3 + 0.5, 0.4 / 3 + 0.5])
    with_02, scores = order({"stakeholders": 0.2}, support.to_numpy())
    assert with_02 == "ACB"
    assert scores.tolist() == pytest.approx([0.75, (0.4 * 2 / 3 + 0.5 + 0.2 / 7) / 1.2, (0.4 / 3 + 0.5 + 0.2) / 1.2])
    assert order({"stakeholders": 1.0}, support.to_numpy())[0] == "CBA"


def test_priorities_reader_resolves_actions_and_axes_and_names_unknown_ones(tmp_csv):
    from helpers.io.priorities import read_priorities

    df = read_priorities(tmp_csv("groupe;action;votes\nhabitants;a01;5\nhabitants;Cycle de vie des équipements;3\n"
                                 "agents;Diviser les impressions par deux;2\n", "priorities.csv"))
    assert list(df["target_kind"]) == ["action", "axis", "action"]
    assert list(df["target_id"]) == ["A01", "equipment_lifecycle", "A13"]
    with pytest.raises(InputError) as err:
        read_priorities(tmp_csv("group,target,weight\nélus,equipment_lifecyle,2\nélus,A01,-1\n", "priorities.csv"))
    text = str(err.value)
    assert "ligne 2" in text and "equipment_lifecycle" in text  # the closest axis named
    assert "ligne 3" in text and "'weight'" in text


def test_score_weights_in_territory_yaml(tmp_path):
    from helpers.io.territory import DEFAULT_SCORE_WEIGHTS, load_territory

    assert {k: v for k, v in DEFAULT_SCORE_WEIGHTS.items() if k != "stakeholders"} == DEFAULTS.score_weights
    assert DEFAULT_SCORE_WEIGHTS["stakeholders"] == stk.DEFAULT_STAKEHOLDER_WEIGHT
    base = ("name: X\nkind: commune\npopulation: 60000\nagents: 500\nreference_year: 2023\ntarget_year: 2040\n"
            "entities:\n  - {id: ville, name: Ville}\n")
    path = tmp_path / "territory.yaml"
    path.write_text(base + "score_weights: {gain: 0.5, stakeholders: 0.3}\n", encoding="utf-8")
    t = load_territory("x", path)
    assert t.score_weights == {"gain": 0.5, "cost": 0.25, "effort": 0.15, "maturity": 0.2, "stakeholders": 0.3}
    path.write_text(base + "score_weights: {gain: -1, popularity: 2}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_territory("x", path)
    assert "score_weights" in str(err.value) and "popularity" in str(err.value)


# --------------------------------------------------------------------------------------------------------------
# Wiring: summary.json of a bare territory and of La Rochelle
# --------------------------------------------------------------------------------------------------------------

def test_bare_territory_summary_every_line_national_and_todays_total(bare_project):
    from conftest import BARE_SLUG

    root, _ = bare_project
    s = json.loads((root / "outputs" / BARE_SLUG / "summary.json").read_text(encoding="utf-8"))
    terr = s["territory"]
    assert {a["basis"] for a in terr["by_actor"]} == {"national_ratio"}
    assert sum(a["tco2e"]["value"] for a in terr["by_actor"]) == pytest.approx(terr["total_tco2e"]["value"],
                                                                              rel=1e-5)
    assert terr["total_tco2e"]["value"] == pytest.approx(60_000 * 253 * (16.9 / 17.2 + 1) / 2 / 1000, rel=1e-5)
    assert s["carbon"]["territory_footprint_tco2e"]["value"] == terr["total_tco2e"]["value"]
    assert s["territory_footprint_tco2e"]["value"] == terr["total_tco2e"]["value"]
    assert s["plan_priorities"] == {"provided": False}


@pytest.fixture(scope="module")
def la_rochelle(tmp_path_factory):
    from pathlib import Path

    from helpers.io.territory import load_territory
    from helpers.report import publish
    from helpers.run.study import compute_sections

    out = tmp_path_factory.mktemp("lr-actors")
    compute_sections("la-rochelle", n_draws=300, processed_dir=out)
    return publish.assemble_summary(Path(out), load_territory("la-rochelle"), "x", {}, "v"), out


def test_la_rochelle_extract_three_local_actors_summing_to_the_total(la_rochelle):
    s, _ = la_rochelle
    terr = s["territory"]
    local = [a["actor"] for a in terr["by_actor"] if a["basis"] == "local"]
    assert len(local) >= 3 and {"households", "businesses", "schools_public"} <= set(local)
    assert sum(a["tco2e"]["value"] for a in terr["by_actor"]) == pytest.approx(terr["total_tco2e"]["value"],
                                                                              rel=1e-5)
    for a in terr["by_actor"]:
        assert a["tco2e"]["low"] <= a["tco2e"]["value"] <= a["tco2e"]["high"]
        assert a["basis"] in ("local", "national_ratio")
    assert s["carbon"]["territory_footprint_tco2e"]["value"] == terr["total_tco2e"]["value"]
    assert terr["indicators"]["ftth_share"]["value"] == pytest.approx(100 * 103_000 / 118_000, rel=1e-5)


def test_la_rochelle_ranking_with_and_without_priorities(la_rochelle):
    s, out = la_rochelle
    p = s["plan_priorities"]
    assert p["provided"] and p["weight"] == 0.2 and len(p["groups"]) == 3
    ranked = [a["id"] for a in sorted((a for a in s["actions"] if a["rank"] is not None), key=lambda a: a["rank"])]
    assert ranked == p["ranking_with"]
    assert sorted(p["ranking_with"]) == sorted(p["ranking_without"])
    table = pd.read_csv(out / "actions_priorities.csv")
    assert {"rank_with", "rank_without", "stakeholder_component"} <= set(table.columns)
    assert table["stakeholder_component"].max() == pytest.approx(1.0)
    assert s["actions_meta"]["score_weights"]["stakeholders"] == 0.2


def test_sirene_blank_band_and_schools_of_several_years(tmp_csv):
    """The SIRENE stock leaves the band empty for establishments without employee information (counted without
    employee, said once); the Éducation nationale file holds several school years (the latest kept)."""
    from helpers.io.territory_data import read_establishments, read_schools

    df = read_establishments(tmp_csv("codeCommuneEtablissement,activitePrincipaleEtablissement,"
                                     "trancheEffectifsEtablissement\n17300,62.01Z,\n17300,47.11F,12\n",
                                     "establishments.csv"))
    assert list(df["employees"]) == [0.0, 34.5]
    assert any("sans tranche d'effectif" in str(w) for w in df.attrs["warnings"])
    schools = read_schools(tmp_csv("Rentrée scolaire;Commune;Numéro de l'école;Dénomination principale;"
                                   "Nombre total d'élèves\n2023;Trifouillis;0170001A;ECOLE JEAN MACE;190\n"
                                   "2024;Trifouillis;0170001A;ECOLE JEAN MACE;184\n2024;Trifouillis;0170002B;"
                                   "ECOLE LES PINS;95\n", "schools.csv"))
    assert list(schools["pupils"]) == [184, 95]
