"""Year after year (issue 34): what changed since last year's published study, and whether the plan is on track.

The previous study is read from what it published (:mod:`helpers.io.previous`); its inputs are rerun with this
year's code and library (:func:`helpers.run.actions_section.rerun_previous_balance`), so the change of the footprint splits exactly into

- **activity**: this year's inputs against last year's, both under this year's method — ``current − rerun``;
- **factors and method**: last year's inputs under this year's method against what was published last year —
  ``rerun − published`` (a new factor library, the electricity vintage of the new reference year, a new default
  lifetime, a corrected formula). A factor or method change is never shown as a reduction.

``total = activity + factors_and_method = current − published``. The rerun's and this year's totals are rounded like
published ones (6 significant digits, :func:`helpers.io.safe_write.dumps`) before the split, so the previous inputs
rerun with an unchanged library give a factors-and-method part of exactly 0, and equal inputs an activity part of
exactly 0.

Pure functions of values: the previous study's inputs are rerun by
:func:`helpers.run.actions_section.rerun_previous_balance`; the French wording of the statuses is
:mod:`helpers.report.follow_up`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.io.catalogue import status_code


def round_published(value: float) -> float:
    """A figure as ``summary.json`` publishes it: 6 significant digits."""
    return float(f"{float(value):.6g}")


def _interval(central: float, draws) -> dict:
    lo, hi = np.percentile(np.asarray(draws, dtype=float), [2.5, 97.5])
    return {"value": float(central), "low": float(lo), "high": float(hi)}


def decompose_change(previous_tco2e: float, current_tco2e: float, current_draws, rerun_tco2e: float,
                     rerun_draws) -> dict:
    """The change of the total from last year's published value to this year's, split into activity and factors
    and method (module docstring). ``current_draws`` and ``rerun_draws`` are paired Monte Carlo draws (the same
    keyed streams), so the activity part's interval is the interval of their difference. The factors-and-method
    part compares two versions of the method on the same inputs: it has no sampling uncertainty of its own and
    its interval is its value.

    Returns ``{previous_tco2e, current_tco2e, rerun_tco2e, total, activity, factors_and_method}`` (tCO2e; the
    three parts as ``{value, low, high}``; ``activity.value + factors_and_method.value = total.value``)."""
    rerun = round_published(rerun_tco2e)
    current_tco2e = round_published(current_tco2e)  # both as published, so equal inputs give exactly 0
    activity = current_tco2e - rerun
    factors = rerun - float(previous_tco2e)
    diff = np.asarray(current_draws, dtype=float) - np.asarray(rerun_draws, dtype=float)
    act = _interval(activity, diff - np.median(diff) + activity)
    return {"previous_tco2e": float(previous_tco2e), "current_tco2e": float(current_tco2e), "rerun_tco2e": rerun,
            "total": {"value": activity + factors, "low": act["low"] + factors, "high": act["high"] + factors},
            "activity": act, "factors_and_method": {"value": factors, "low": factors, "high": factors}}


def on_track(baseline, target, value, previous_year: int, current_year: int, milestone_year: int) -> bool | None:
    """Whether an indicator is on track (the stated rule): from its baseline (last year's study) to its milestone
    target in a straight line, it must have covered at least the share of the way that the time elapsed covers,
    ``(value − baseline) ÷ (target − baseline) ≥ (current − previous) ÷ (milestone − previous)``. None when a value
    is missing, the target is the baseline, or the milestone is not after last year's reference year."""
    vals = [baseline, target, value]
    if any(v is None or (isinstance(v, float) and not np.isfinite(v)) for v in vals):
        return None
    if float(target) == float(baseline) or milestone_year <= previous_year:
        return None
    covered = (float(value) - float(baseline)) / (float(target) - float(baseline))
    elapsed = (current_year - previous_year) / (milestone_year - previous_year)
    return bool(covered >= elapsed - 1e-9)


def indicators_follow_up(previous: list[dict], current: list[dict], previous_year: int, current_year: int,
                         milestone_year: int, like_for_like_tco2e: float | None = None,
                         agents: int | None = None) -> list[dict]:
    """Each indicator of last year's study (``summary.json`` ``indicators``) with its baseline, its milestone
    target, last year's value (its baseline) and this year's (the indicator of the same action in this year's
    study; for the two footprint indicators, the footprint at last year's method, ``like_for_like_tco2e``, so a
    method change never counts as progress), and :func:`on_track`."""
    by_action = {c.get("action_id"): c for c in current if c.get("action_id")}
    out = []
    for k, p in enumerate(previous):
        aid = p.get("action_id")
        value = None
        if aid:
            value = (by_action.get(aid) or {}).get("baseline")
        elif like_for_like_tco2e is not None:
            value = like_for_like_tco2e if k == 0 or "agent" not in str(p.get("indicator", "")).lower() else (
                like_for_like_tco2e * 1000 / agents if agents else None)
        target = p.get("target_2030")
        out.append({"action_id": aid, "indicator": p.get("indicator"), "unit": p.get("unit"),
                    "baseline": p.get("baseline"), "target": target, "previous": p.get("baseline"),
                    "current": value,
                    "on_track": on_track(p.get("baseline"), target, value, previous_year, current_year,
                                         milestone_year)})
    return out


def actions_follow_up(previous_actions: list[dict], statuses: pd.DataFrame | None, indicators: list[dict]) -> list[dict]:
    """The plan's actions of last year (``selected``) with this year's status from ``actions.csv`` (``status``: a code
    of :data:`helpers.io.catalogue.STATUS_CODES`, ``status_year``, ``measured_value``; ``planned`` when not given),
    the gain last year's study expected of each and, for a done action, what its indicator shows this year."""
    st = statuses.set_index("action_id") if statuses is not None and len(statuses) else pd.DataFrame()
    ind = {i["action_id"]: i for i in indicators if i.get("action_id")}
    out = []
    for a in previous_actions:
        if not a.get("selected", a.get("rank") is not None):
            continue
        aid = a["id"]
        row = st.loc[aid] if aid in st.index else None
        code = status_code(row.get("status")) if row is not None else None
        year = row.get("status_year") if row is not None else None
        measured = row.get("measured_value") if row is not None else None
        expected = (a.get("reduction_tco2e_per_year") or a.get("avoided_tco2e_per_year") or {}).get("value")
        i = ind.get(aid) or {}
        out.append({"id": aid, "title": a.get("title"), "status": code or "planned", "declared": code is not None,
                    "year": None if year is None or pd.isna(year) else int(year),
                    "measured_value": None if measured is None or pd.isna(measured) else float(measured),
                    "expected_reduction_tco2e_per_year": expected,
                    "indicator": i.get("indicator"), "indicator_unit": i.get("unit"),
                    "indicator_previous": i.get("previous"), "indicator_current": i.get("current"),
                    "indicator_target": i.get("target"), "indicator_on_track": i.get("on_track")})
    return out


def path_value(paths: dict | None, key: str, year: int) -> float | None:
    """The value of year ``year`` on a published yearly path (``trajectory.paths`` of ``summary.json``)."""
    if not paths or key not in paths:
        return None
    years = list(paths.get("years") or [])
    return float(paths[key][years.index(year)]) if year in years else None


def verdict(previous_paths: dict | None, year: int, like_for_like_tco2e: float) -> dict:
    """Ahead of or behind last year's own plan: the footprint of ``year`` at last year's method (published total +
    activity change) against the value of last year's plan path that year (and its target path). ``gap_tco2e`` > 0:
    behind (above the plan)."""
    plan = path_value(previous_paths, "plan_tco2e", year)
    target = path_value(previous_paths, "target_tco2e", year)
    if plan is None:
        return {"plan_tco2e": None, "target_tco2e": target, "observed_tco2e": like_for_like_tco2e, "gap_tco2e": None,
                "gap_pct": None, "status": "unknown"}
    gap = like_for_like_tco2e - plan
    return {"plan_tco2e": plan, "target_tco2e": target, "observed_tco2e": like_for_like_tco2e, "gap_tco2e": gap,
            "gap_pct": gap / plan * 100 if plan else None, "status": "behind" if gap > 0 else "ahead",
            "target_gap_tco2e": None if target is None else like_for_like_tco2e - target}
