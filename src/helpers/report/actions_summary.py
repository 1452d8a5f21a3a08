"""The French fields of the action plan's part of ``summary.json`` and of its tables: the bases of the business as
usual and of the factor paths, the definitions and methods stated beside the numbers, the wording of the codes the
plan returns (plan status) and the two footprint indicators.

The numbers are :mod:`helpers.plan.actions` and :mod:`helpers.plan.pathways`; :mod:`helpers.run.actions_section`
puts both together. The texts are part of the published contract (``summary.json`` is read by the diagnostic and by
next year's study): they do not change without a reason.
"""

from __future__ import annotations

import pandas as pd

from helpers.io import french
from helpers.io.carbon_reference import NATIONAL_TREND_SOURCE
from helpers.model import trajectory as tj

BUDGET_DEFINITION = ("somme des valeurs annuelles de la trajectoire cible, de l'année de référence à l'année cible "
                     "incluses")
BAU_SCOPE = ("lignes liées au parc (fabrication et énergie des équipements de l'inventaire) ; papier, achats par "
             "ratio monétaire et télécoms au forfait sans croissance ; facteurs d'émission selon leur chemin "
             "(factor_path)")
PERIMETER = "bilan de la collectivité (notebook 02)"
NATIONAL_TREND_BASIS = NATIONAL_TREND_SOURCE + " ; appliquée à tout le bilan, facteurs constants"
CONSTANT_FACTORS_BASIS = "facteurs d'émission constants, ceux de l'année de référence"
FACTOR_PATH_SENSITIVITY = "facteurs constants (trajectory.sensitivities.constant_factors)"
OWN_ELECTRICITY_BASIS = "facteur électricité propre de la collectivité (contrat) : constant"
COUNTERFACTUAL_APPLIES_TO = ("lignes liées au parc uniquement ; économie en euros sur les seuls équipements non "
                             "achetés")
COST_PER_TCO2E_FORMULA = ("(investment_eur × annuity_factor + yearly_eur − money_saved_eur_per_year) ÷ total_tco2e ; "
                          "annuity_factor = r ÷ (1 − (1 + r)^−action_lifetime_years) ; réductions seulement (table "
                          "actions_plan)")
PERIMETER_NOTE = ("reduction = bilan de la collectivité + services (usagers compris); la trajectoire ne suit que le "
                  "bilan")
#: ``plan.status`` (:data:`helpers.plan.actions.PLAN_STATUSES`) -> ``plan.status_fr``
PLAN_STATUS_FR: dict[str, str] = {"adopted": "plan adopté", "proposed": "plan proposé"}
COST_METHOD_PER_TONNE = ("annuité : investissement × r ÷ (1 − (1 + r)^−durée de l'action) + coût annuel − économies, "
                         "divisé par les tCO2e réduites par an")
COST_METHOD_BUDGET = ("décaissements de l'année, sans actualisation : investissement réparti sur la mise en place, "
                      "coûts de fonctionnement dès le début, économies au rythme de la montée en charge")
#: the two footprint indicators heading the monitoring indicators (:func:`helpers.plan.pathways.footprint_indicators`)
FOOTPRINT_INDICATORS_FR: dict[str, str] = {
    "footprint": "Empreinte carbone annuelle du numérique de la collectivité (bilan annualisé, rejouer ce diagnostic)",
    "footprint_per_agent": "Empreinte carbone par agent",
}


def bau_basis_fr(bau: dict) -> str:
    """What the business as usual follows, in French (``bau`` of :func:`helpers.plan.pathways.business_as_usual`):
    the rate given as a parameter, or the collectivity's headcount and declared plans."""
    if bau["basis"] == "parameter":
        return f"taux donné en paramètre : {100 * bau['growth_per_year']:+.2f} % par an".replace(".", ",")
    g = bau["growth_per_year"]
    parts = [f"effectifs {100 * g:+.1f} % par an".replace(".", ",") if g else "effectifs constants"]
    parts += [f"{c['year']} : parc {c['fleet_change_pct']:+g} %".replace(".", ",")
              + (f" ({c['note']})" if c.get("note") else "") for c in bau["declared"]["declared_changes"]]
    source = ("déclarés par la collectivité (territory.yaml)" if bau["declared_by_territory"]
              else "rien de déclaré par la collectivité : le parc reste celui de l'année de référence")
    return "effectifs et projets de la collectivité, " + source + " : " + " ; ".join(parts)


def target_basis(target_year: int, target_share: float) -> str:
    """Where the target comes from (SNBC-2) and how the study transposes it to the territory, in French."""
    return (f"SNBC-2 (2020) : émissions brutes divisées par au moins 6 en 2050 par rapport à 1990 (neutralité, le reste "
            f"absorbé par les puits) ; transposé par cette étude à l'année cible {target_year} du territoire et à son "
            f"bilan de référence (objectif : {french.fr_number(100 * target_share, 1)} % de ce bilan, un choix de "
            "l'étude que la collectivité peut changer)")


def factor_path_info(paths: pd.DataFrame, vintages: pd.DataFrame, own_electricity_factor: bool) -> dict:
    """``trajectory.factor_path`` without its numbers of the run: how the electricity and the manufacturing factors
    move (French bases, yearly changes, sources and statuses of ``factor_paths.csv``, indexed by ``path``; the
    published vintages of ``electricity_vintages.csv``)."""
    e, m = paths.loc["electricity_fr"], paths.loc["manufacturing"]
    e_basis = OWN_ELECTRICITY_BASIS if own_electricity_factor else (
        f"millésimes publiés {int(vintages['year'].min())}–{int(vintages['year'].max())} (electricity_vintages.csv, "
        f"ruptures de méthode comprises), puis {e['label_fr']}")
    return {"electricity": {"basis": e_basis, "change_per_year_after_last_vintage": float(e["change_per_year"]),
                            "source": str(e["source"]), "status": str(e["status"])},
            "manufacturing": {"basis": str(m["label_fr"]), "change_per_year": float(m["change_per_year"]),
                              "source": str(m["source"]), "status": str(m["status"])},
            "sensitivity": FACTOR_PATH_SENSITIVITY}


def own_trend_basis_fr(own: dict, min_years: int = tj.OWN_TREND_MIN_YEARS,
                       min_coverage: float = tj.OWN_TREND_MIN_COVERAGE) -> str:
    """What the collectivity's own fleet trend rests on, in French (``own`` of
    :func:`helpers.model.trajectory.own_fleet_trend`, computed with ``min_years`` and ``min_coverage``): the purchase
    years read and the estimate, floored at 0; or why it is unknown, without contradiction (issue 33: never
    "achats datés sur 0 années …, 100 % datés")."""
    first, last = own["window"]
    coverage = own["coverage"]
    if own["known"]:
        raw = own["raw_growth_per_year"]
        text = (f"tendance propre du parc : achats de {first} à {last} par catégorie, dans la durée de vie de chacune "
                f"({own['n_years']} années, {100 * coverage:.0f} % des équipements datés) : "
                f"{100 * raw:+.1f} % par an".replace(".", ","))
        if raw < 0:
            text += " ; le fil de l'eau ne suppose pas que le parc baisse de lui-même : croissance retenue 0 %"
        return text
    if coverage <= 0:
        why = "aucun équipement de l'inventaire n'a de date d'achat"
    elif coverage < min_coverage:
        why = (f"{100 * coverage:.0f} % seulement des équipements ont une date d'achat, il en faut "
               f"{100 * min_coverage:.0f} %")
    else:
        why = (f"{100 * coverage:.0f} % des équipements datés, mais aucune catégorie n'a d'achats sur au moins "
               f"{min_years} années différentes de {first} à {last}")
    return f"tendance propre inconnue ({why}) : croissance 0 %"


def trajectory_texts(bau: dict, target_year: int, target_share: float, factor_info: dict) -> dict:
    """The French fields of ``trajectory`` (nested as in ``summary.json``; merged into the numbers of
    :func:`helpers.plan.pathways.trajectory_summary`)."""
    basis = bau_basis_fr(bau)
    own_basis = own_trend_basis_fr(bau["own_fleet_trend"])
    return {"budget_definition": BUDGET_DEFINITION, "bau_growth": basis, "bau_basis_fr": basis,
            "bau_scope": BAU_SCOPE, "perimeter": PERIMETER, "target_basis": target_basis(target_year, target_share),
            "national_trend_sensitivity": {"basis": NATIONAL_TREND_BASIS},
            "factor_path": factor_info,
            "own_fleet_trend": {"basis": own_basis},
            "sensitivities": {"constant_factors": {"basis": CONSTANT_FACTORS_BASIS},
                              "inventory_trend": {"basis": own_basis}}}


def reduction_pct_base(reference_year: int) -> str:
    """What ``plan.reduction_pct_of_reference`` is a percentage of, in French."""
    return (f"réduction du bilan de la collectivité par le plan complet, en % du bilan {reference_year} (achats "
            "compris) ; les services des usagers sont à part")


def footprint_indicators(rows: pd.DataFrame) -> pd.DataFrame:
    """The two footprint indicators (:func:`helpers.plan.pathways.footprint_indicators`) as rows of the table
    ``actions_indicators``: French name and unit."""
    from helpers.report.actions import INDICATOR_UNITS_FR

    return pd.DataFrame([{"action_id": "", "indicator_fr": FOOTPRINT_INDICATORS_FR[r.indicator_code],
                          "unit": INDICATOR_UNITS_FR[r.unit_code], "baseline": r.baseline,
                          "target_milestone": r.target_milestone, "target_full": r.target_full,
                          "target_text_fr": ""} for r in rows.itertuples(index=False)])
