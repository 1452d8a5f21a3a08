"""The plan's trajectory against the carbon budget (balance perimeter): business as usual, plan and target paths, their
Monte Carlo bands, the sensitivities and the milestone figures. Pure functions of values.

The plan's path is ``Plan(t) = B0 − G × s(t) + F0 × (I_plan(t) − 1) + A(t)``: ``B0`` the reference balance, ``G`` the
combined plan's gain on the balance (:func:`helpers.plan.actions.evaluate`), ``s(t)`` the share of it reached as the
actions ramp up (:func:`helpers.model.trajectory.gain_share`), ``F0`` the fleet-driven part of the balance and
``I_plan(t)`` the growth index of the business as usual held back by a fleet stabilisation, ``A(t)`` the factor paths'
adjustment (:func:`helpers.model.trajectory.factor_adjustment`). The French wording of the bases is
:mod:`helpers.report.actions_summary`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.model import trajectory as tj
from helpers.model.parameters import DEFAULTS


def milestone_index(years, milestone_year: int) -> int:
    """Index of the milestone year in ``years`` (the last year when the milestone is outside them)."""
    years = np.asarray(years)
    return int(np.flatnonzero(years == milestone_year)[0]) if milestone_year in years else len(years) - 1


def business_as_usual(territory, inventory: pd.DataFrame, years, growth_per_year: float | None = None) -> dict:
    """The business as usual of the trajectory (issue 29): the fleet follows the collectivity's headcount and its
    declared plans (``business_as_usual:`` of ``territory.yaml``; nothing declared: 0 %, the reference year
    repeated), or a yearly rate given as a parameter. The inventory's purchase-year trend
    (:func:`helpers.model.trajectory.own_fleet_trend`), which reads a renewal wave as growth, is a sensitivity.

    Returns ``{index, growth_per_year, basis, declared, declared_by_territory, own_fleet_trend}`` (``basis``:
    ``parameter`` or ``headcount_and_declared_plans``)."""
    own = tj.own_fleet_trend(inventory, territory.reference_year)
    ref = territory.reference_year
    if growth_per_year is not None:
        rate = float(growth_per_year)
        return {"index": tj.bau_index(years, ref, rate), "growth_per_year": rate, "basis": "parameter",
                "declared": None, "declared_by_territory": False, "own_fleet_trend": own}
    given = getattr(territory, "business_as_usual", None)
    declared = given or {"headcount_growth_per_year": 0.0, "declared_changes": []}
    g = float(declared["headcount_growth_per_year"])
    return {"index": tj.declared_index(years, ref, g, declared["declared_changes"]), "growth_per_year": g,
            "basis": "headcount_and_declared_plans", "declared": declared, "declared_by_territory": bool(given),
            "own_fleet_trend": own}


def factor_indices(years, reference_year: int, vintages: dict[int, float], electricity_change_per_year: float,
                   manufacturing_change_per_year: float, own_electricity_factor: bool) -> tuple[np.ndarray, np.ndarray]:
    """The yearly index of the French grid's electricity factor and of the manufacturing factors along the
    trajectory (1 in the reference year; issue 29): electricity from the published vintages for the past years
    (``vintages``: year -> value, method breaks included) and its yearly change after the last one (a territory's
    own contract factor, ``own_electricity_factor``, stays constant); manufacturing at its yearly change."""
    if own_electricity_factor:
        electricity = np.ones(len(years))
    else:
        electricity = tj.vintage_path(years, reference_year, vintages, electricity_change_per_year)
    return electricity, tj.rate_path(years, reference_year, manufacturing_change_per_year)


def parts_tco2e(plan_parts: dict) -> tuple[dict, dict]:
    """The reference balance's parts and the combined plan's gain on each, in tCO2e."""
    base = {k: v / 1000.0 for k, v in plan_parts["base"].items()}
    gain = {k: (plan_parts["base"][k] - plan_parts["combined"][k]) / 1000.0 for k in plan_parts["base"]}
    return base, gain


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.abs(b) > 1e-12, a / b, 1.0)


def scope_milestones(parts: dict, gain_parts: dict, baseline: float, gain_share, plan, bau, target,
                     mi: int) -> dict:
    """Milestone figures of the two scopes (issue 29): ``purchases`` (spend converted by monetary ratios: no growth,
    no factor path; its gain reached with the plan's share) and ``physical`` (the rest of the total); each scope's
    target is the total's target in the same proportion as its reference (``reference_scope × target ÷
    reference_total``). ``{scope: {reference_tco2e, bau_milestone_tco2e, plan_milestone_tco2e,
    target_milestone_tco2e, gap_milestone_tco2e, plan_gain_tco2e_per_year}}``."""
    share = float(np.asarray(gain_share)[mi])
    p0, gp = parts["purchases"], gain_parts.get("purchases", 0.0)
    k = float(target[mi]) / baseline if baseline else 0.0
    purchases = {"reference_tco2e": p0, "bau_milestone_tco2e": p0, "plan_milestone_tco2e": p0 - gp * share,
                 "target_milestone_tco2e": p0 * k, "plan_gain_tco2e_per_year": gp}
    physical = {"reference_tco2e": baseline - p0, "bau_milestone_tco2e": float(bau[mi]) - p0,
                "plan_milestone_tco2e": float(plan[mi]) - purchases["plan_milestone_tco2e"],
                "target_milestone_tco2e": (baseline - p0) * k,
                "plan_gain_tco2e_per_year": gain_parts.get("total", 0.0) - gp}
    for d in (purchases, physical):
        d["gap_milestone_tco2e"] = d["plan_milestone_tco2e"] - d["target_milestone_tco2e"]
        d["milestone_met"] = bool(d["gap_milestone_tco2e"] <= 0)
    return {"physical": physical, "purchases": purchases}


def ramped_shares(plan: pd.DataFrame, gains: pd.DataFrame, ramps: pd.DataFrame, years) -> tuple[np.ndarray, np.ndarray]:
    """``(s(t), w(t))``: the share of the combined plan's gain on the balance reached each year (the selected
    reductions' ramps weighted by their gains on the balance) and the share of the growth a fleet stabilisation
    holds back (its ramp × its share, the largest if several)."""
    sel = plan[plan["selected"]].reset_index(drop=True)
    gains_b = sel["action_id"].map(gains.set_index("action_id")["balance_gain_tco2e"]).to_numpy(dtype=float)
    ramp_arr = ramps[[int(y) for y in years]].to_numpy(dtype=float)
    regular = ~sel["lever"].isin(["none", "fleet_stabilisation"]).to_numpy()
    share_t = tj.gain_share(ramp_arr[regular], gains_b[regular]) if regular.any() else np.zeros(len(years))
    stab = sel["lever"].eq("fleet_stabilisation").to_numpy()
    w_stab = (ramp_arr[stab] * sel.loc[stab, "param"].fillna(1.0).to_numpy()[:, None]).max(axis=0) \
        if stab.any() else np.zeros(len(years))
    return share_t, w_stab


@dataclass
class Pathways:
    """The trajectory's yearly paths (tCO2e/year, balance perimeter) and what they are built from."""

    years: np.ndarray
    mi: int  # index of the milestone year in ``years``
    b0: float  # reference balance
    b0_draws: np.ndarray
    f0: float  # its fleet-driven part
    g_c: float  # the combined plan's gain on the balance
    share: np.ndarray  # s(t)
    stabilised: np.ndarray  # w(t)
    bau_index: np.ndarray
    plan_index: np.ndarray  # I_plan(t)
    electricity: np.ndarray
    manufacturing: np.ndarray
    parts: dict
    gain_parts: dict
    bau: np.ndarray
    plan: np.ndarray
    bau_draws: np.ndarray
    plan_draws: np.ndarray
    bau_flat: np.ndarray  # constant factors (the sensitivity)
    plan_flat: np.ndarray
    adj_bau: np.ndarray
    adj_plan: np.ndarray
    target: np.ndarray
    budget: float


def _central_paths(p: dict, index: np.ndarray) -> dict:
    """Business as usual and plan with the factor paths (``bau``, ``plan``), with constant factors (``*_flat``)
    and the factor adjustments."""
    zeros = np.zeros(len(index))
    adj_bau = tj.factor_adjustment(p["parts"], {}, zeros, index, p["electricity"], p["manufacturing"])
    adj_plan = tj.factor_adjustment(p["parts"], p["gain_parts"], p["share"], p["plan_index"], p["electricity"],
                                    p["manufacturing"])
    plan_flat = tj.fleet_plan_path(p["b0"], p["f0"], p["g_c"], p["share"], p["plan_index"])
    bau_flat = tj.fleet_bau_path(p["b0"], p["f0"], index)
    return {"adj_bau": adj_bau, "adj_plan": adj_plan, "plan_flat": plan_flat, "bau_flat": bau_flat,
            "plan": plan_flat + adj_plan, "bau": bau_flat + adj_bau}


def pathways(evaluation, plan: pd.DataFrame, ramps: pd.DataFrame, years, reference_year: int, target_year: int,
             milestone_year: int, bau_index: np.ndarray, electricity: np.ndarray, manufacturing: np.ndarray,
             target_share: float = DEFAULTS.target_share) -> Pathways:
    """The trajectory of the plan (module docstring) from its :class:`helpers.plan.actions.Evaluation`: central paths
    with the factor paths, their draws (which move with the central path: the factor paths are documented
    assumptions, not drawn), the target pathway and the carbon budget."""
    ev = evaluation
    years = np.asarray(years)
    mi = milestone_index(years, milestone_year)
    share, stabilised = ramped_shares(plan, ev.gains, ramps, years)
    parts, gain_parts = parts_tco2e(ev.plan_parts)
    p = {"b0": ev.baseline_balance.central["climate_change"] / 1000.0, "f0": ev.baseline_fleet.central[
        "climate_change"] / 1000.0, "g_c": ev.plan_central["balance"] / 1000.0, "share": share,
        "plan_index": tj.stabilised_index(bau_index, stabilised), "parts": parts, "gain_parts": gain_parts,
        "electricity": electricity, "manufacturing": manufacturing}
    c = _central_paths(p, bau_index)
    b0_d = ev.baseline_balance.draws["climate_change"] / 1000.0
    f0_d = ev.baseline_fleet.draws["climate_change"] / 1000.0
    plan_d = tj.fleet_plan_path(b0_d, f0_d, ev.plan_balance_draws / 1000.0, share, p["plan_index"]) * _ratio(
        c["plan"], c["plan_flat"])
    bau_d = tj.fleet_bau_path(b0_d, f0_d, bau_index) * _ratio(c["bau"], c["bau_flat"])
    target = tj.target_pathway(years, reference_year, target_year, p["b0"], target_share)
    return Pathways(years=years, mi=mi, b0=p["b0"], b0_draws=b0_d, f0=p["f0"], g_c=p["g_c"], share=share,
                    stabilised=stabilised, bau_index=bau_index, plan_index=p["plan_index"], electricity=electricity,
                    manufacturing=manufacturing, parts=parts, gain_parts=gain_parts, bau=c["bau"], plan=c["plan"],
                    bau_draws=bau_d, plan_draws=plan_d, bau_flat=c["bau_flat"], plan_flat=c["plan_flat"],
                    adj_bau=c["adj_bau"], adj_plan=c["adj_plan"], target=target,
                    budget=tj.carbon_budget(years, target, reference_year, target_year))


def trajectory_table(p: Pathways, decision: int) -> pd.DataFrame:
    """Table ``trajectory``: the yearly paths with their bands, and what the plan's path is built from, published
    so its wiring can be checked (``Plan(t) = B0 − G × s(t) + F0 × (I_plan(t) − 1) + A(t)``)."""
    traj = tj.trajectory_table(p.years, p.bau, p.plan, p.target, *np.percentile(p.plan_draws, [2.5, 97.5], axis=0),
                               *np.percentile(p.bau_draws, [2.5, 97.5], axis=0))
    traj["plan_gain_share"] = p.share
    traj["plan_growth_index"] = p.plan_index
    traj["bau_growth_index"] = p.bau_index
    traj["electricity_factor_index"] = p.electricity
    traj["manufacturing_factor_index"] = p.manufacturing
    traj["plan_factor_adjustment_tco2e"] = p.adj_plan
    traj["bau_factor_adjustment_tco2e"] = p.adj_bau
    traj["plan_decided"] = p.years >= decision
    return traj


def budget_table(p: Pathways, reference_year: int, target_year: int) -> pd.DataFrame:
    """Table ``trajectory_budget``: cumulative emissions of each scenario against the carbon budget."""
    return tj.budget_table(p.years, {"bau": p.bau, "plan": p.plan, "target": p.target}, p.budget, reference_year,
                           target_year, {"bau": p.bau_draws, "plan": p.plan_draws})


def _interval(central, draws) -> dict:
    lo, hi = np.percentile(draws, [2.5, 97.5])
    return {"value": float(central), "low": float(lo), "high": float(hi)}


def _sensitivities(p: Pathways, own: dict, own_index: np.ndarray, nat_index: np.ndarray, g_nat: float,
                   reference_year: int, target_year: int) -> dict:
    """The collectivity's own purchase-year trend (the former default), the national ADEME–Arcep trend on the whole
    balance and constant factors, each with the business as usual and the plan at the milestone and the plan's
    overshoot of the budget."""
    mi, zeros = p.mi, np.zeros(len(p.years))
    own_plan_index = tj.stabilised_index(own_index, p.stabilised)
    own_bau = tj.fleet_bau_path(p.b0, p.f0, own_index) + tj.factor_adjustment(
        p.parts, {}, zeros, own_index, p.electricity, p.manufacturing)
    own_plan = tj.fleet_plan_path(p.b0, p.f0, p.g_c, p.share, own_plan_index) + tj.factor_adjustment(
        p.parts, p.gain_parts, p.share, own_plan_index, p.electricity, p.manufacturing)
    plan_nat = tj.plan_path(p.b0, p.g_c, p.share, tj.stabilised_index(nat_index, p.stabilised))

    def overshoot(path) -> float:
        return float(tj.cumulative(p.years, path, reference_year, target_year)) - p.budget

    national = {"bau_2030_tco2e": float((p.b0 * nat_index)[mi]), "plan_2030_tco2e": float(plan_nat[mi]),
                "bau_index_2030": g_nat, "avoided_by_stabilisation_tco2e": float(p.f0 * max(g_nat - 1.0, 0.0)),
                "plan_overshoot_tco2e": overshoot(plan_nat)}
    inventory = {"growth_per_year": float(own["growth_per_year"]),
                 "bau_2030_tco2e": float(own_bau[mi]), "plan_2030_tco2e": float(own_plan[mi]),
                 "avoided_by_stabilisation_tco2e": float(p.f0 * max(float(own_index[mi]) - 1.0, 0.0)),
                 "plan_overshoot_tco2e": overshoot(own_plan)}
    flat = {"bau_2030_tco2e": float(p.bau_flat[mi]), "plan_2030_tco2e": float(p.plan_flat[mi]),
            "plan_overshoot_tco2e": overshoot(p.plan_flat)}
    return {"national_trend_sensitivity": national,
            "sensitivities": {"inventory_trend": inventory, "constant_factors": flat}}


def trajectory_summary(p: Pathways, budget_tab: pd.DataFrame, bau: dict, reference_year: int, target_year: int,
                       milestone_year: int, target_share: float) -> dict:
    """The numbers of ``trajectory`` in ``summary.json`` (the French bases are added by
    :func:`helpers.report.actions_summary.trajectory_texts`): the milestone's paths with their intervals, the
    budget and the overshoots, the sensitivities, the scopes, the verdict and the yearly paths."""
    mi, years = p.mi, p.years
    own = bau["own_fleet_trend"]
    nat_index = tj.national_trend_index(years, reference_year)
    g_nat = float(tj.national_trend_index([milestone_year], reference_year)[0])
    own_index = tj.bau_index(years, reference_year, own["growth_per_year"])
    over = budget_tab.set_index("scenario")["overshoot_tco2e"]
    out = {
        "reference_year": int(reference_year), "target_year": int(target_year), "milestone_year": int(milestone_year),
        "baseline_tco2e": float(p.b0), "baseline_tco2e_interval": _interval(p.b0, p.b0_draws),
        "bau_2030_tco2e": float(p.bau[mi]), "bau_2030_tco2e_interval": _interval(p.bau[mi], p.bau_draws[:, mi]),
        "plan_2030_tco2e": float(p.plan[mi]), "plan_2030_tco2e_interval": _interval(p.plan[mi], p.plan_draws[:, mi]),
        "target_2030_tco2e": float(p.target[mi]), "target_level_tco2e": float(p.target[-1]),
        "target_share_of_baseline": float(target_share),
        "milestone_reduction_pct": float((1 - p.target[mi] / p.b0) * 100) if p.b0 else None,
        "budget_tco2e": p.budget,
        "plan_cumulative_tco2e": float(tj.cumulative(years, p.plan, reference_year, target_year)),
        "bau_cumulative_tco2e": float(tj.cumulative(years, p.bau, reference_year, target_year)),
        "plan_overshoot_tco2e": float(over.loc["plan"]), "bau_overshoot_tco2e": float(over.loc["bau"]),
        "bau_basis": bau["basis"], "bau_growth_per_year": bau["growth_per_year"], "own_fleet_trend": own,
        "bau_declared": bau["declared"], "fleet_driven_baseline_tco2e": float(p.f0),
        "bau_index_2030": float(bau["index"][mi]),
        "factor_path": {"parts_tco2e": p.parts, "plan_gain_parts_tco2e": p.gain_parts,
                        "electricity_index_2030": float(p.electricity[mi]),
                        "manufacturing_index_2030": float(p.manufacturing[mi])},
        **_sensitivities(p, own, own_index, nat_index, g_nat, reference_year, target_year),
        "by_scope": scope_milestones(p.parts, p.gain_parts, p.b0, p.share, p.plan, p.bau, p.target, mi),
    }
    out.update(tj.milestone_verdict(p.plan[mi], p.target[mi], out["plan_cumulative_tco2e"], p.budget, p.b0))
    # the yearly paths, for next year's follow-up study (issue 34)
    out["paths"] = {"years": [int(y) for y in years], "bau_tco2e": [float(v) for v in p.bau],
                    "plan_tco2e": [float(v) for v in p.plan], "target_tco2e": [float(v) for v in p.target]}
    return out


def counterfactual(p: Pathways, bau: dict, milestone_year: int, reference_year: int) -> dict:
    """The numbers of the counterfactual of the avoided emissions (``avoided_emissions.counterfactual`` of
    ``summary.json``; its French basis is added by :mod:`helpers.report.actions_summary`): the business as usual's
    growth, its index at the milestone, the fleet-driven reference and the sensitivities to the national trend and
    to the inventory's own trend."""
    g_nat = float(tj.national_trend_index([milestone_year], reference_year)[0])
    own_index = tj.bau_index(p.years, reference_year, bau["own_fleet_trend"]["growth_per_year"])
    return {"growth_per_year": bau["growth_per_year"], "index_at_milestone": float(bau["index"][p.mi]),
            "milestone_year": int(milestone_year), "fleet_driven_baseline_tco2e": float(p.f0),
            "national_sensitivity_tco2e": float(p.f0 * max(g_nat - 1.0, 0.0)),
            "inventory_trend_sensitivity_tco2e": float(p.f0 * max(float(own_index[p.mi]) - 1.0, 0.0))}


def footprint_indicators(p: Pathways, agents) -> pd.DataFrame:
    """The two indicators of the whole footprint that head the monitoring indicators (rerun the diagnostic each
    year): the balance (tCO2e/year) and the balance per agent (kgCO2e/agent/year), each with its baseline and its
    targets at the milestone and at the target year. Codes ``indicator_code``, ``unit_code`` (French wording:
    :mod:`helpers.report.actions_summary`)."""
    mi = p.mi
    return pd.DataFrame([
        {"indicator_code": "footprint", "unit_code": "tco2e_per_year", "baseline": p.b0,
         "target_milestone": float(p.target[mi]), "target_full": float(p.target[-1])},
        {"indicator_code": "footprint_per_agent", "unit_code": "kgco2e_per_agent_per_year",
         "baseline": p.b0 * 1000 / agents, "target_milestone": float(p.target[mi]) * 1000 / agents,
         "target_full": float(p.target[-1]) * 1000 / agents},
    ])
