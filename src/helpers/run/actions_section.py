"""Section 5 of the study (notebook ``05_actions``): the action plan, its trajectory and the follow-up of last year.

:func:`run_study` reads (the catalogue and ``actions.csv`` through :mod:`helpers.io.catalogue`, the unit prices through
:mod:`helpers.io.prices`, the clean tables and the earlier sections' results through the context), calls the plan
(:mod:`helpers.plan.actions`, :mod:`helpers.plan.pathways`, :mod:`helpers.plan.priorities`,
:mod:`helpers.plan.follow_up`), gives the codes their French wording (:mod:`helpers.report.actions`,
:mod:`helpers.report.actions_summary`) and returns an :class:`ActionsStudy`, whose ``write`` writes the section's
tables and ``summary_actions.json``.

One action's gain, from the catalogue to ``summary.json``:
:func:`helpers.io.catalogue.load_catalogue` (the row, its lever and default parameter) →
:func:`helpers.plan.actions.build_plan` (the territory's parameter, targets and decision) →
:func:`helpers.plan.actions.evaluate` (the balance and the services rerun with the lever applied: ``gain_tco2e`` and
its two parts, paired draws) → :func:`helpers.plan.actions.prioritise` (cost per tonne, score, rank) →
:meth:`ActionsStudy.summary` (``actions[].reduction_tco2e_per_year``, or ``avoided_tco2e_per_year``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.io import catalogue as cat
from helpers.model import levers as lv
from helpers.model import trajectory as tj
from helpers.model.parameters import DEFAULTS
from helpers.plan import actions as act
from helpers.plan import pathways as pw
from helpers.report import actions as ra
from helpers.report import actions_summary as rs

#: an action's gain (:func:`helpers.plan.actions.evaluate`) -> its column in the published table ``actions_plan``
PUBLISHED_GAIN_COLUMNS: dict[str, str] = {
    "balance_gain_tco2e": "balance_tco2e", "balance_gain_low_tco2e": "balance_low_tco2e",
    "balance_gain_high_tco2e": "balance_high_tco2e", "services_gain_tco2e": "services_tco2e",
    "services_gain_low_tco2e": "services_low_tco2e", "services_gain_high_tco2e": "services_high_tco2e",
    "gain_tco2e": "total_tco2e", "gain_low_tco2e": "total_low_tco2e", "gain_high_tco2e": "total_high_tco2e",
}
#: the columns of the table ``actions_plan`` (one row per catalogue action), in the plan's names
ACTIONS_PLAN_COLUMNS: tuple[str, ...] = (
    "rank", "rank_all", "action_id", "title_fr", "axes", "lever", "selected", "start_year", "param",
    "balance_gain_tco2e", "balance_gain_low_tco2e", "balance_gain_high_tco2e", "services_gain_tco2e",
    "services_gain_low_tco2e", "services_gain_high_tco2e", "gain_tco2e", "gain_low_tco2e", "gain_high_tco2e",
    "investment_eur", "action_lifetime_years", "discount_rate", "annuity_factor", "annualised_investment_eur",
    "yearly_eur", "money_saved_eur_per_year", "annualised_cost_eur", "cost_eur_per_tco2e", "effort", "months",
    "maturity_gap", "gain_component", "cost_component", "effort_component", "maturity_component", "score", "origin",
    "gain_status", "basis", "kind", "decision", "applicable", "applicability_note", "staff_days",
    "staff_days_per_year",
)
_BUDGET_MONEY = ("investment_eur", "operating_eur", "savings_eur", "net_eur", "investment_ttc_eur",
                 "operating_ttc_eur", "savings_ttc_eur", "net_ttc_eur")


def _float_or_none(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def _interval(x, prefix: str) -> dict:
    """``{value, low, high}`` of the gain columns ``<prefix>tco2e``, ``<prefix>low_tco2e``, ``<prefix>high_tco2e``."""
    return {"value": getattr(x, f"{prefix}tco2e"), "low": getattr(x, f"{prefix}low_tco2e"),
            "high": getattr(x, f"{prefix}high_tco2e")}


def _action_entry(x, labels: dict, counterfactual: dict) -> dict:
    """One action of ``actions`` in ``summary.json`` (``x``: a row of the ranked plan)."""
    avoided = x.kind == "avoided"
    axis = x.axes_list[0] if x.axes_list else ""
    return {
        "kind": x.kind, "counterfactual": counterfactual.get("basis") if avoided else None,
        "id": x.action_id, "title": x.title_fr, "axis": axis, "axis_label": labels.get(axis, "") if axis else "",
        "lever": x.lever,
        "reduction_tco2e_per_year": None if avoided else _interval(x, "gain_"),
        "avoided_tco2e_per_year": _interval(x, "gain_") if avoided else None,
        "balance_reduction_tco2e_per_year": _interval(x, "balance_gain_"),
        "services_reduction_tco2e_per_year": _interval(x, "services_gain_"),
        "cost_eur_per_tco2e": None if pd.isna(x.cost_eur_per_tco2e) else float(x.cost_eur_per_tco2e),
        "rank": None if pd.isna(x.rank) else int(x.rank), "start_year": int(x.start_year), "score": float(x.score),
        "basis": x.basis, "selected": bool(x.selected), "applicable": bool(getattr(x, "applicable", True)),
        "decision": getattr(x, "decision", "proposed" if x.selected else "complementary"),
        "applicability_note": getattr(x, "applicability_note", "") or None,
        "investment_eur": _float_or_none(getattr(x, "investment_eur", None)),
        "operating_eur_per_year": _float_or_none(getattr(x, "yearly_eur", None)),
        "money_saved_eur_per_year": _float_or_none(getattr(x, "money_saved_eur_per_year", None)),
    }


@dataclass
class ActionsStudy:
    """Everything notebook 05 shows and writes."""

    plan: pd.DataFrame
    ranked: pd.DataFrame  # with the French applicability_note and gain_status (helpers.report.actions.with_labels)
    evaluation: act.Evaluation
    roadmap: pd.DataFrame
    trajectory: pd.DataFrame
    budget: pd.DataFrame
    indicators: pd.DataFrame
    axis_scores: pd.Series
    info: dict
    warnings: list = field(default_factory=list)

    def actions_table(self) -> pd.DataFrame:
        """Table ``actions_plan`` (one row per catalogue action; the gains under their published names)."""
        out = self.ranked[list(ACTIONS_PLAN_COLUMNS)].rename(columns=PUBLISHED_GAIN_COLUMNS)
        out["targets"] = self.ranked["targets"].map(";".join)
        return out

    def summary(self) -> dict:
        """``summary_actions.json``: the actions (the plan's in priority order, then the others by id), the combined
        plan's reduction, the trajectory, the indicators, the avoided emissions, the plan, the follow-up."""
        r = self.ranked
        sel = pd.concat([r[r["selected"]].sort_values(["rank", "rank_all", "action_id"]),
                         r[~r["selected"]].sort_values("action_id")])
        labels = cat.axis_labels()
        counterfactual = self.info.get("counterfactual", {})
        actions = [_action_entry(x, labels, counterfactual) for x in sel.itertuples(index=False)]
        ev, info = self.evaluation, self.info
        b, s, pc = ev.plan_balance_draws / 1000.0, ev.plan_services_draws / 1000.0, ev.plan_central
        return {
            "actions": actions,
            "plan_reduction_tco2e_per_year": act.interval(b + s, pc["total"] / 1000.0),
            "plan_reduction_balance_tco2e_per_year": act.interval(b, pc["balance"] / 1000.0),
            "plan_reduction_services_tco2e_per_year": act.interval(s, pc["services"] / 1000.0),
            "trajectory": info["trajectory"],
            "indicators": info["indicators"],
            "avoided_emissions": {"counterfactual": counterfactual,
                                  "actions": [a["id"] for a in actions if a["kind"] == "avoided" and a["selected"]]},
            **({"plan": self.plan_summary(actions)} if "plan" in info else {}),
            **({"follow_up": info["follow_up"]} if info.get("follow_up") else {}),
            "plan_priorities": info.get("priorities_summary", {"provided": False}),  # issue 35
            "actions_meta": self._meta(),
        }

    def _meta(self) -> dict:
        r, info = self.ranked, self.info
        return {
            "sum_of_actions_tco2e_per_year": float(r.loc[r["selected"] & r["kind"].eq("reduction"), "gain_tco2e"].sum()),
            "n_catalogue_actions": int(len(r)), "n_selected_actions": int(r["selected"].sum()),
            "score_weights": info.get("score_weights", dict(DEFAULTS.score_weights)),
            "carbon_value_eur_per_tco2e": act.CARBON_VALUE_EUR_PER_TCO2E,
            "discount_rate": float(r["discount_rate"].iat[0]) if len(r) else None,
            "cost_per_tco2e_formula": rs.COST_PER_TCO2E_FORMULA, "perimeter_note": rs.PERIMETER_NOTE,
            "n_draws": info["n_draws"], "seed": info["seed"],
        }

    def plan_summary(self, actions: list[dict]) -> dict:
        """``plan`` of summary.json: decision year, status, the budget by year and its totals, the one list of top
        actions (priority order), the actions outside the plan, the cost method and the unit prices used."""
        info = dict(self.info["plan"])
        prices = info.pop("prices")
        budget = self.info["budget_by_year"]
        ranked = [a for a in actions if a["selected"] and a["rank"] is not None]
        own = prices[prices["origin"].eq("collectivity")]
        return {
            **info,
            "status_fr": rs.PLAN_STATUS_FR[info["status"]],
            "budget_by_year": [{"year": int(row["year"]), **{k: float(row[k]) for k in _BUDGET_MONEY},
                                "net_cumulated_eur": float(row["net_cumulated_eur"]),
                                "staff_days": float(row["staff_days"]), "fte": float(row["fte"])}
                               for row in budget.to_dict("records")],
            "budget_totals": {**{k: float(budget[k].sum()) for k in _BUDGET_MONEY},
                              "staff_days": float(budget["staff_days"].sum()),
                              "years": [int(budget["year"].min()), int(budget["year"].max())] if len(budget) else []},
            "top_actions": [a["id"] for a in sorted(ranked, key=lambda a: a["rank"])[:5]],
            "actions_in_plan": [a["id"] for a in actions if a["selected"]],
            "complementary_actions": [a["id"] for a in sorted(  # priority order, avoided emissions last
                (a for a in actions if a["decision"] == "complementary"),
                key=lambda a: (a["kind"] == "avoided", -a["score"], a["id"]))],
            "rejected_actions": [a["id"] for a in actions if a["decision"] == "rejected"],
            "not_applicable_actions": [a["id"] for a in actions if not a["applicable"]],
            "cost_method": {"per_tonne": rs.COST_METHOD_PER_TONNE,
                            "discount_rate": float(self.ranked["discount_rate"].iat[0]) if len(self.ranked) else None,
                            "budget": rs.COST_METHOD_BUDGET},
            "unit_prices": {"collectivity": [str(i) for i in own["item"]],
                            "n_indicative": int((~prices["origin"].eq("collectivity")).sum())},
        }

    def write(self, ctx) -> None:
        ctx.write_table("actions_plan", self.actions_table())
        ctx.write_table("unit_prices_used", self.info["plan"]["prices"])
        ctx.write_table("actions_criteria", self.evaluation.criteria)
        ctx.write_table("actions_plan_criteria", self.evaluation.plan_criteria)
        ctx.write_table("actions_roadmap", self.roadmap)
        ctx.write_table("actions_means", ra.means_table(self.plan, self.ranked))
        ctx.write_table("actions_budget_by_year", self.info["budget_by_year"])
        ctx.write_table("trajectory", self.trajectory)
        ctx.write_table("trajectory_budget", self.budget)
        ctx.write_table("actions_indicators", self.indicators)
        follow = self.info.get("follow_up")
        if follow:  # the follow-up's tables (sheets « Suivi … » of tables.xlsx)
            ctx.write_table("follow_up_indicators", pd.DataFrame(follow["indicators"]))
            ctx.write_table("follow_up_actions", pd.DataFrame(follow["actions"]))
            ctx.write_table("follow_up_change", pd.DataFrame([
                {"part": k, **follow["change_tco2e"][k]} for k in ("total", "activity", "factors_and_method")]))
        if "priorities" in self.info:  # issue 35: the ranking with and without the stakeholders' priorities
            ctx.write_table("actions_priorities", self.info["priorities"])
        ctx.write_summary("actions", self.summary())


# ----------------------------------------------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------------------------------------------

def _read_optional(ctx, name: str) -> pd.DataFrame | None:
    try:
        df = ctx.read_table(name)
    except FileNotFoundError:
        return None
    return df if len(df) else None


def load_inputs(ctx) -> lv.PlanInputs:
    """The clean tables notebook 01 wrote (``inventory``, ``hosting``, ``telecom``, ``purchases``, ``printing``,
    ``services``); a table that was not provided is None."""
    inv = ctx.read_table("inventory")
    if "site" in inv:
        inv["site"] = inv["site"].where(inv["site"].notna(), None)
    return lv.PlanInputs(inventory=inv, hosting=_read_optional(ctx, "hosting"),
                         telecom=_read_optional(ctx, "telecom"), purchases=_read_optional(ctx, "purchases"),
                         printing=_read_optional(ctx, "printing"), services=_read_optional(ctx, "services"))


def _scores_pct(s: pd.Series) -> pd.Series:
    return (s.drop("global", errors="ignore") / 100.0).dropna()


def maturity_axis_scores(ctx) -> pd.Series:
    """Maturity score (0–1) of each axis for the territory's maturity subject, from what notebook 04 wrote.

    Reads ``by_axis`` (axis id -> score in %) of ``summary_maturity.json`` (``helpers.model.maturity``
    ``MaturityAssessment.summary``); failing that, the table ``maturity_scores`` (``collectivity, axis, score_pct``,
    row of the subject). Empty when notebook 04 has not run: every action then gets the neutral gap 0.5.
    """
    try:
        data = ctx.read_summary("maturity")
    except (FileNotFoundError, KeyError, ValueError):
        data = {}
    by_axis = data.get("by_axis") if isinstance(data, dict) else None
    if isinstance(by_axis, dict) and by_axis:
        return _scores_pct(pd.Series({k: (np.nan if v is None else float(v)) for k, v in by_axis.items()},
                                     dtype=float))
    df = _read_optional(ctx, "maturity_scores")
    if df is not None and {"axis", "score_pct"} <= set(df.columns):
        who = next((c for c in ("collectivity", "entity", "subject") if c in df), None)
        if who is not None:
            df = df[df[who].astype(str) == str(getattr(ctx.territory, "maturity_subject", ""))]
        return _scores_pct(df.groupby("axis")["score_pct"].mean().astype(float))
    return pd.Series(dtype=float)


def _balance_factors(ctx):
    from helpers.io import factors as fm
    from helpers.io.carbon_reference import prepare_factors

    overrides = _read_optional(ctx, "factor_overrides")
    factors, _ = prepare_factors(fm.load_factors(), ctx.territory, overrides)
    return factors


def read_selection(ctx, catalogue: pd.DataFrame, categories: list[str], inputs: lv.PlanInputs
                   ) -> tuple[pd.DataFrame | None, list[str]]:
    """The territory's ``actions.csv`` (None when not provided: header-only = not provided, issue 17) and its
    warnings."""
    from helpers.io.tables import provided, take_report

    path = ctx.raw / "actions.csv"
    if not provided(path):
        return None, []
    site_ids = list(inputs.hosting["site_id"].astype(str)) if inputs.hosting is not None else []
    service_ids = list(inputs.services["service_id"].astype(str)) if inputs.services is not None else []
    selection = cat.read_actions(path, catalogue, ctx.territory, categories, site_ids, service_ids, levers=lv.LEVERS)
    return selection, [str(w) for w in take_report(selection).get("warnings", [])]


def _models(ctx, inputs: lv.PlanInputs, categories, kinds, prices: dict, n_draws: int, seed: int) -> act.Models:
    """The two models' tables for the territory: the balance's factors (its overrides applied), the services'
    library when it has services, the unit prices."""
    from helpers.io import services_inputs as si

    with_services = inputs.services is not None
    return act.Models(categories=categories, factors=_balance_factors(ctx), hosting_kinds=kinds,
                      reference_year=ctx.territory.reference_year,
                      service_factors=si.service_factors(ctx)[0] if with_services else None,
                      service_sites=si.load_hosting_sites(ctx) if with_services else None,
                      presets=si.load_presets() if with_services else None, n_draws=int(n_draws), seed=int(seed),
                      prices=prices)


def _factor_paths(territory, years) -> tuple[np.ndarray, np.ndarray, dict]:
    """The electricity and manufacturing factor indices along the trajectory (``factor_paths.csv``,
    ``electricity_vintages.csv``; :func:`helpers.plan.pathways.factor_indices`) and their French description."""
    from helpers.io import factors as fm

    table = fm.load_factor_paths().set_index("path")
    vintages = fm.load_electricity_vintages()
    own = getattr(territory, "electricity_factor_kgco2e_per_kwh", None) is not None
    elec, manuf = pw.factor_indices(years, territory.reference_year,
                                    dict(zip(vintages["year"].astype(int), vintages["value"].astype(float))),
                                    float(table.loc["electricity_fr", "change_per_year"]),
                                    float(table.loc["manufacturing", "change_per_year"]), own)
    return elec, manuf, rs.factor_path_info(table, vintages, own)


# ----------------------------------------------------------------------------------------------------------------
# The follow-up of last year's study (issue 34)
# ----------------------------------------------------------------------------------------------------------------

def rerun_previous_balance(previous, ctx, factor_overrides, work_dir: Path, n_draws: int, seed: int):
    """Last year's archived inputs rerun with this year's code and library: the inputs are read and validated by
    this year's readers (:func:`helpers.io.ingest.ingest_all` on the archived ``data/raw/<slug>/``, in a context
    like this year's ``ctx`` but pointing there and writing to ``work_dir``), the balance computed with this year's
    factors prepared for **this** year's territory (its reference year's electricity vintage, its own contract
    factor) and this year's factor overrides, with the same seed and keyed draws as this year's balance. Returns
    ``(central tCO2e, draws tCO2e)``."""
    from helpers.io import factors as fm
    from helpers.io.carbon_inputs import read_clean_inputs
    from helpers.io.carbon_reference import prepare_factors
    from helpers.io.ingest import ingest_all
    from helpers.io.territory import load_territory
    from helpers.model import carbon

    territory = load_territory(previous.slug, previous.raw / "territory.yaml")
    work_dir.mkdir(parents=True, exist_ok=True)
    rerun_ctx = dataclasses.replace(ctx, slug=previous.slug, territory=territory, raw=previous.raw,
                                    processed=work_dir)
    ingest_all(rerun_ctx, levers=lv.LEVERS)
    inputs = read_clean_inputs(rerun_ctx)
    factors, _ = prepare_factors(fm.load_factors(), ctx.territory, factor_overrides)
    balance = carbon.compute_balance(inputs["inventory"], fm.load_categories(), factors, fm.load_hosting_kinds(),
                                     territory.reference_year, inputs["hosting"], inputs["telecom"],
                                     inputs["purchases"], inputs["printing"], n_draws=n_draws, seed=seed,
                                     criteria=("climate_change",))
    return (balance.mc.central["climate_change"] / 1000.0,
            np.asarray(balance.mc.totals["climate_change"], dtype=float) / 1000.0)


def follow_up(ctx, previous_study: str | None, selection: pd.DataFrame | None, indicators: list[dict],
              current_tco2e: float, current_draws, n_draws: int, seed: int) -> dict | None:
    """The follow-up of last year's published study (issue 34; None without one): the change of the footprint split
    into activity and factors and method (:mod:`helpers.plan.follow_up`, last year's archived inputs rerun with this
    year's code and library), the plan's actions with their status (``actions.csv``), last year's indicators with
    this year's values and whether they are on track, and the verdict against last year's own plan path.
    ``current_tco2e``, ``current_draws``: this year's balance (tCO2e/year)."""
    import tempfile

    from helpers.io.previous import read_previous_study
    from helpers.plan import follow_up as fu
    from helpers.report.follow_up import with_status_labels

    if not previous_study:
        return None
    terr = ctx.territory
    prev = read_previous_study(previous_study, terr)
    with tempfile.TemporaryDirectory(prefix="snr-rerun-") as tmp:
        rerun, rerun_draws = rerun_previous_balance(prev, ctx, _read_optional(ctx, "factor_overrides"), Path(tmp),
                                                    n_draws, seed)
    change = fu.decompose_change(prev.total_tco2e, current_tco2e, current_draws, rerun, rerun_draws)
    like = prev.total_tco2e + change["activity"]["value"]  # this year's footprint at last year's method
    t_prev = prev.summary.get("trajectory") or {}
    milestone = int(t_prev.get("milestone_year") or terr.milestone_year)
    inds = fu.indicators_follow_up(prev.summary.get("indicators") or [], indicators, prev.reference_year,
                                   terr.reference_year, milestone, like, terr.agents)
    statuses = None
    if selection is not None and "status" in selection:
        statuses = selection[["action_id", "status", "status_year", "measured_value"]]
    acts = with_status_labels(fu.actions_follow_up(prev.summary.get("actions") or [], statuses, inds))
    return {"previous_study": str(previous_study), "previous_reference_year": prev.reference_year,
            "reference_year": int(terr.reference_year), "milestone_year": milestone,
            "previous_code_version": prev.summary.get("code_version"),
            "previous_factors_version": prev.summary.get("factors_version"),
            "change_tco2e": change, "like_for_like_tco2e": like, "actions": acts, "indicators": inds,
            "verdict": fu.verdict(t_prev.get("paths"), int(terr.reference_year), like),
            "observed": [{"year": prev.reference_year, "tco2e": prev.total_tco2e, "what": "previous_published"},
                         {"year": int(terr.reference_year), "tco2e": float(current_tco2e), "what": "current"},
                         {"year": int(terr.reference_year), "tco2e": like, "what": "current_previous_method"}],
            "previous_paths": t_prev.get("paths")}


# ----------------------------------------------------------------------------------------------------------------
# The section
# ----------------------------------------------------------------------------------------------------------------

def _deep_merge(numbers: dict, texts: dict) -> dict:
    """``numbers`` with the French fields of ``texts`` added at the same place of the nesting."""
    out = dict(numbers)
    for key, value in texts.items():
        out[key] = _deep_merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _indicators(plan, inputs, ramps, p: pw.Pathways, territory, kinds, models, ev) -> tuple[pd.DataFrame, list]:
    """Table ``actions_indicators`` (the two footprint indicators, then the plan's actions') and its summary."""
    own = act.indicators_table(plan, inputs, ramps, territory.milestone_year, kinds, models.presets, ev.scenarios)
    head = rs.footprint_indicators(pw.footprint_indicators(p, territory.agents))
    indicators = pd.concat([head, ra.indicator_units(own)], ignore_index=True)
    summary = [{"action_id": _text(r.action_id) or None, "indicator": r.indicator_fr, "unit": r.unit,
                "baseline": None if pd.isna(r.baseline) else float(r.baseline),
                "target_2030": None if pd.isna(r.target_milestone) else float(r.target_milestone),
                "target_text": _text(r.target_text_fr) or None} for r in indicators.itertuples(index=False)]
    return indicators, summary


def _plan_info(terr, decision: int, decision_source: str, plan, ev, p: pw.Pathways, vat_rate: float,
               prices: pd.DataFrame) -> dict:
    from helpers.plan import budget as bg

    return {
        "start_year": int(decision), "start_year_source": decision_source, "status": act.plan_status(plan),
        "reference_year": int(terr.reference_year), "milestone_year": int(terr.milestone_year),
        "business_as_usual_years": [int(y) for y in range(int(terr.reference_year) + 1, int(decision))],
        "vat_rate": float(vat_rate), "days_per_fte": float(bg.DAYS_PER_FTE),
        "balance_gain_tco2e_per_year": float(p.g_c),
        "reduction_pct_of_reference": float(p.g_c / p.b0 * 100) if p.b0 else None,
        "reduction_pct_base": rs.reduction_pct_base(terr.reference_year),
        "money_saved_eur_per_year": float(ev.plan_money_saved_eur_per_year),
        "prices": prices,
    }


def _priorities(info: dict, plan, ev, ranked, support, priorities, axis_scores, weights, discount_rate) -> None:
    """Issue 35: the ranking without the stakeholders' criterion beside the ranking with it, when they are given."""
    from helpers.plan import priorities as stk
    from helpers.report.priorities import METHOD_FR

    if support is None:
        return
    without = act.prioritise(plan, ev.gains, axis_scores, {**weights, "stakeholders": 0.0}, discount_rate)
    info["priorities"] = stk.ranking_comparison(ranked, without)
    info["priorities_summary"] = {**stk.priorities_summary(priorities, info["priorities"],
                                                           weights.get("stakeholders", 0.0)), "method": METHOD_FR}


def _plan(ctx, inputs: lv.PlanInputs, categories: pd.DataFrame):
    """The catalogue, the territory's selection, the decision year and the plan with its notes."""
    terr = ctx.territory
    catalogue = cat.load_catalogue(categories=list(categories["category"]), levers=lv.LEVERS)
    selection, warnings = read_selection(ctx, catalogue, list(categories["category"]), inputs)
    decision, decision_source = act.decision_year(terr.reference_year, terr.plan_start_year)
    plan = act.build_plan(catalogue, selection, terr, inputs.inventory, act.applicability(catalogue, inputs),
                          decision)
    return selection, plan, decision, decision_source, warnings + ra.plan_notes(plan, decision)


def run_study(ctx, n_draws: int = 10_000, seed: int = 20200101, bau_growth_per_year: float | None = None,
              target_share: float = DEFAULTS.target_share, score_weights: dict | None = None,
              discount_rate: float = DEFAULTS.discount_rate, vat_rate: float = DEFAULTS.vat_rate,
              previous_study: str | None = None) -> ActionsStudy:
    """Read the inputs and the earlier notebooks' results, evaluate every catalogue action, rank them, schedule the
    plan's actions from its decision year, compute its budget by year and the trajectory against the carbon
    budget, and follow last year's study."""
    from helpers.io import factors as fm
    from helpers.io import prices as pr
    from helpers.plan import priorities as stk

    terr = ctx.territory
    categories, kinds, inputs = fm.load_categories(), fm.load_hosting_kinds(), load_inputs(ctx)
    selection, plan, decision, decision_source, warnings = _plan(ctx, inputs, categories)
    prices = pr.effective_prices(pr.load_unit_prices(), _read_optional(ctx, "unit_prices"))
    models = _models(ctx, inputs, categories, kinds, pr.price_dict(prices), n_draws, seed)
    years = tj.years_range(terr.reference_year, terr.target_year)
    bau = pw.business_as_usual(terr, inputs.inventory, years, bau_growth_per_year)
    ev = act.evaluate(plan, inputs, models, growth_at_milestone=float(bau["index"][
        pw.milestone_index(years, terr.milestone_year)]))
    weights = score_weights or terr.score_weights  # issue 35: territory.yaml score_weights
    priorities = _read_optional(ctx, "priorities")  # issue 35: the stakeholders' priorities, None without the file
    support = stk.stakeholder_support(priorities, plan["action_id"], plan["axes_list"])
    axis_scores = maturity_axis_scores(ctx)
    ranked = act.prioritise(plan, ev.gains, axis_scores, weights, discount_rate, stakeholders=support)
    ramps = act.roadmap(plan, years)
    elec, manuf, factor_info = _factor_paths(terr, years)
    p = pw.pathways(ev, plan, ramps, years, terr.reference_year, terr.target_year, terr.milestone_year, bau["index"],
                    elec, manuf, target_share)
    budget_tab = pw.budget_table(p, terr.reference_year, terr.target_year)
    trajectory = _deep_merge(pw.trajectory_summary(p, budget_tab, bau, terr.reference_year, terr.target_year,
                                                   terr.milestone_year, target_share),
                             rs.trajectory_texts(bau, terr.target_year, target_share, factor_info))
    indicators, ind_summary = _indicators(plan, inputs, ramps, p, terr, kinds, models, ev)
    budget_years = np.arange(decision, max(int(terr.milestone_year), decision) + 1)
    info = {"trajectory": trajectory, "indicators": ind_summary, "n_draws": int(n_draws), "seed": int(seed),
            "counterfactual": {"basis": rs.bau_basis_fr(bau), **pw.counterfactual(p, bau, terr.milestone_year,
                                                                                  terr.reference_year),
                               "applies_to": rs.COUNTERFACTUAL_APPLIES_TO},
            "plan": _plan_info(terr, decision, decision_source, plan, ev, p, vat_rate, prices),
            "budget_by_year": act.plan_budget(plan, ranked, ev, budget_years, vat_rate),
            "follow_up": follow_up(ctx, previous_study or terr.previous_study, selection, ind_summary, p.b0,
                                   p.b0_draws, n_draws, seed),
            "years": years, "bau_index": bau["index"], "stabilised_index": p.plan_index, "gain_share": p.share,
            "baseline_cost": ev.baseline_cost, "score_weights": {k: float(v) for k, v in weights.items()}}
    _priorities(info, plan, ev, ranked, support, priorities, axis_scores, weights, discount_rate)
    return ActionsStudy(plan=plan, ranked=ra.with_labels(ranked), evaluation=ev, roadmap=ramps,
                        trajectory=pw.trajectory_table(p, decision), budget=budget_tab, indicators=indicators,
                        axis_scores=axis_scores, info=info, warnings=warnings)
