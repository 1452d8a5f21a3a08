"""Emission trajectories and carbon budget: business as usual, the action plan, and a target pathway.

Pure functions over numpy arrays (years on the last axis, Monte Carlo draws on the first when there are any); the
trajectory's figure is drawn by :func:`helpers.report.actions.trajectory_figure`.

Definitions (documented choices, see ``docs/assumptions_caveats.md``):

- **Years.** Every value is the footprint of one calendar year, in tCO2e per year, from the reference year of the
  inventory to the target year, both included.
- **Business as usual (BAU).** ``BAU(t) = B0 + F0 × (I(t) − 1)``: only the fleet-driven lines (``F0``, the
  inventory devices' manufacturing and energy) grow; paper, spend-based purchases and flat-rate telecom stay at their
  reference-year value. By default ``I`` follows the collectivity's own fleet trend (:func:`own_fleet_trend`, from
  the purchase years of its inventory; 0 % when unknown). The national trend of the ADEME–Arcep prospective study
  (+45 % in 2030 and ×2.87 in 2050 compared with 2020, driven by households' IoT and traffic; ADEME–Arcep 2023, volume 3,
  interpolated log-linearly, 3.79 %/year in 2020–2030) is a sensitivity (:func:`national_trend_index`), not the
  default: it describes households' uses, not a collectivity's internal IS. A yearly rate can also be given.
- **Plan.** ``Plan(t) = B0 − G × s(t) + F0 × (I_plan(t) − 1)`` where ``G`` is the gain of the combined plan at full
  implementation (models rerun on the combined scenario), ``s(t)`` the share of that gain reached in year t (the
  ramps of the roadmap weighted by each action's own gain) and ``I_plan`` the growth index once the fleet is
  stabilised: each year's growth rate is multiplied by ``1 − w(t)`` where ``w`` is the ramped share of the growth the
  stabilisation avoids.
- **Target pathway.** Linear from ``B0`` in the reference year to ``B0 × target_share`` in the target year.
  La Rochelle aims at carbon neutrality in 2040; we read neutrality as in the French low-carbon strategy: gross
  emissions divided by about 6 and the rest absorbed by sinks (SNBC-2, décret 2020-457: "÷6 by 2050" against 1990), so
  ``target_share = 1/6`` by default. The SNBC gives ÷6 by 2050 for the whole country; applying it at the
  territory's own target year (2040 for La Rochelle) is this study's transposition, a parameter. With reference 2020 and target 2040 the 2030 milestone is then
  ``1 − (5/6) × (10/20)`` = 58.3 % of 2020, i.e. −41.7 %.
- **Carbon budget.** The sum of the yearly values of the target pathway over every year from the reference year to the
  target year inclusive (a discrete sum of annual flows, each year counted once; not a trapezoid). The cumulative
  emissions of a scenario are the same sum over its own path; overshoot = cumulative − budget (negative: margin).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.io.carbon_reference import NATIONAL_TREND
from helpers.model.parameters import DEFAULTS


def years_range(reference_year: int, target_year: int) -> np.ndarray:
    """Every year from the reference year to the target year, both included."""
    if target_year < reference_year:
        raise ValueError("target_year must not be before reference_year")
    return np.arange(int(reference_year), int(target_year) + 1)


def national_trend_index(years, reference_year: int, trend: dict[int, float] | None = None) -> np.ndarray:
    """National trend of the digital footprint relative to ``reference_year`` (1 in that year).

    Log-linear interpolation between the points of ``trend`` (default
    :data:`helpers.io.carbon_reference.NATIONAL_TREND`); outside them the
    nearest segment's yearly rate continues.
    """
    pts = sorted((trend or NATIONAL_TREND).items())
    x = np.array([p[0] for p in pts], dtype=float)
    logy = np.log([p[1] for p in pts])

    def log_index(t):
        t = np.asarray(t, dtype=float)
        inside = np.interp(t, x, logy)
        slope_lo = (logy[1] - logy[0]) / (x[1] - x[0])
        slope_hi = (logy[-1] - logy[-2]) / (x[-1] - x[-2])
        return np.where(t < x[0], logy[0] + slope_lo * (t - x[0]),
                        np.where(t > x[-1], logy[-1] + slope_hi * (t - x[-1]), inside))

    return np.exp(log_index(years) - log_index(reference_year))


def bau_index(years, reference_year: int, growth_per_year: float | None = None) -> np.ndarray:
    """Growth index of the business-as-usual footprint: ``(1 + r)^(t − ref)`` for a given yearly rate ``r``,
    else the national trend (:func:`national_trend_index`)."""
    years = np.asarray(years, dtype=float)
    if growth_per_year is None:
        return national_trend_index(years, reference_year)
    return (1.0 + float(growth_per_year)) ** (years - reference_year)


#: Years of purchases read to estimate the collectivity's own fleet trend (the last ``window`` years up to the
#: reference year; documented choice: no longer than the shortest usual lifetime of office devices, 5 years, so
#: devices bought in the window are still in service and the purchase counts are not biased by retirements).
OWN_TREND_WINDOW_YEARS = 5
#: Minimum number of distinct purchase years with purchases in the window, and minimum share of the devices with a
#: known purchase year, for the own trend to be estimated (otherwise: unknown, 0 %).
OWN_TREND_MIN_YEARS = 3
OWN_TREND_MIN_COVERAGE = 0.5


def own_fleet_trend(inventory: pd.DataFrame, reference_year: int, window: int = OWN_TREND_WINDOW_YEARS,
                    min_years: int = OWN_TREND_MIN_YEARS, min_coverage: float = OWN_TREND_MIN_COVERAGE) -> dict:
    """Yearly growth rate of the collectivity's own fleet, from the purchase years of its inventory.

    A fleet of constant size renews the same number of devices every year; a fleet growing at a rate ``r`` buys
    ``(1 + r)`` times more each year. With ``n_{c,t}`` the devices of category c bought in year t (sum of
    ``quantity``), read over the last ``W_c = min(window, L_c)`` years up to the reference year (``L_c``: the median
    ``lifetime_years`` of the category's lines, so that devices of the window are still in service and a short-lived
    category does not look like growth because its older units were retired), ``r = exp(b) − 1`` where ``b`` is
    the slope of ``ln n_{c,t}`` on t with one intercept per category (within-category least squares, weighted by
    ``n_{c,t}``), over the categories with purchases in at least ``min_years`` years of their window (a slope from
    one or two lumpy purchase years is noise). Unknown — growth 0 and ``known = False`` — when no category has
    that many, or fewer than ``min_coverage`` of the devices have a purchase year. A falling
    estimate (fewer purchases each year, often a purchase cycle rather than a shrinking fleet) is floored at 0: the
    business as usual never assumes the fleet shrinks on its own (``raw_growth_per_year`` keeps the estimate).

    Returns
    -------
    dict ``growth_per_year``, ``known`` (bool), ``n_years``, ``coverage`` (share of devices with a purchase year),
    ``window`` ([first, last] year) and, when known, ``raw_growth_per_year`` (the estimate before the floor at 0).
    Worded in French by :func:`helpers.report.actions_summary.own_trend_basis_fr`.
    """
    n, coverage = _purchases_in_window(inventory, reference_year, window, min_years)
    first = int(reference_year) - int(window) + 1
    n_years = int(n.index.get_level_values(1).nunique()) if len(n) else 0
    out = {"growth_per_year": 0.0, "known": False, "n_years": n_years, "coverage": coverage,
           "window": [first, int(reference_year)]}
    sxx, sxy = _within_category_slope(n)
    if n_years < min_years or coverage < min_coverage or sxx <= 0:
        return out
    raw = float(np.expm1(sxy / sxx))
    out.update(growth_per_year=max(raw, 0.0), raw_growth_per_year=raw, known=True)
    return out


def _purchases_in_window(inventory: pd.DataFrame, reference_year: int, window: int, min_years: int
                         ) -> tuple[pd.Series, float]:
    """The devices bought per (category, year) in each category's window (the last ``min(window, L_c)`` years up to
    the reference year, ``L_c`` the median lifetime of the category's lines), kept for the categories with
    purchases in at least ``min_years`` years; and the share of the devices with a purchase year."""
    q = pd.to_numeric(inventory["quantity"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    nan = pd.Series(np.nan, index=inventory.index)
    year = pd.to_numeric(inventory["purchase_year"] if "purchase_year" in inventory else nan,
                         errors="coerce").to_numpy(dtype=float)
    life = pd.to_numeric(inventory["lifetime_years"] if "lifetime_years" in inventory else nan,
                         errors="coerce")
    cat = inventory["category"].astype(str).to_numpy()
    total = q.sum()
    coverage = float(q[np.isfinite(year)].sum() / total) if total > 0 else 0.0
    life_c = life.groupby(cat).median().reindex(cat).to_numpy(dtype=float)
    w_c = np.where(np.isfinite(life_c), np.clip(np.floor(life_c), 1, window), window)
    inside = np.isfinite(year) & (year > reference_year - w_c) & (year <= reference_year) & (q > 0)
    n = pd.Series(q[inside]).groupby([cat[inside], year[inside]]).sum()
    per_cat = n.groupby(level=0).transform("size")
    return n[(per_cat >= min_years).to_numpy()], coverage  # a slope from one or two lumpy purchase years is noise


def _within_category_slope(n: pd.Series) -> tuple[float, float]:
    """``(Σ w t̃², Σ w t̃ ỹ)`` of the weighted least squares of ``ln n_{c,t}`` on t with one intercept per category
    (t̃, ỹ: t and ln n minus their weighted means within the category; weights ``n_{c,t}``): the slope is their
    ratio. ``(0, 0)`` without purchases."""
    if not len(n):
        return 0.0, 0.0
    t = n.index.get_level_values(1).to_numpy(dtype=float)
    c = n.index.get_level_values(0).to_numpy()
    w = n.to_numpy(dtype=float)
    y = np.log(w)
    w_c = pd.Series(w).groupby(c).transform("sum").to_numpy()
    t_dm = t - pd.Series(t * w).groupby(c).transform("sum").to_numpy() / w_c
    y_dm = y - pd.Series(y * w).groupby(c).transform("sum").to_numpy() / w_c
    return float((w * t_dm * t_dm).sum()), float((w * t_dm * y_dm).sum())


def fleet_bau_path(baseline, fleet_baseline, index) -> np.ndarray:
    """Business as usual when only the fleet-driven lines grow: ``B0 + F0 × (I(t) − 1)``.

    ``baseline`` (B0) and ``fleet_baseline`` (F0, the inventory devices' embodied and use emissions) are scalars or
    (n_draws,) arrays; ``index`` (n_years,). Paper, spend-based purchases and flat-rate telecom do not follow the
    fleet: they stay at their reference-year value.
    """
    b = np.asarray(baseline, dtype=float)[..., None]
    f = np.asarray(fleet_baseline, dtype=float)[..., None]
    return b + f * (np.asarray(index, dtype=float) - 1.0)


def fleet_plan_path(baseline, fleet_baseline, plan_gain, gain_share, growth_index) -> np.ndarray:
    """The plan when only the fleet-driven lines grow: ``B0 − G × s(t) + F0 × (I_plan(t) − 1)``.

    ``I_plan`` is the growth index left once the fleet stabilisation is ramped in (:func:`stabilised_index`); the
    growth applies to the fleet-driven reference emissions, the plan's gain ``G`` is reached with the share s(t).
    """
    b = np.asarray(baseline, dtype=float)[..., None]
    f = np.asarray(fleet_baseline, dtype=float)[..., None]
    g = np.asarray(plan_gain, dtype=float)[..., None]
    return b - g * np.asarray(gain_share, dtype=float) + f * (np.asarray(growth_index, dtype=float) - 1.0)


def milestone_verdict(plan_milestone: float, target_milestone: float, plan_cumulative: float, budget: float,
                      reference: float) -> dict:
    """Does the plan meet the milestone and the carbon budget, and by how much does it miss them.

    ``gap_milestone_tco2e = plan − target`` at the milestone (> 0: missed; the "effort restant", the extra yearly
    reduction the milestone needs), ``gap_milestone_pct`` the same gap in % of the target,
    ``budget_overshoot_tco2e = cumulative plan − budget`` (> 0: budget exceeded) and its % of the budget,
    ``milestone_met`` / ``budget_met``; ``extra_reduction_pct_of_reference``: the gap in % of the reference year.
    """
    gap = float(plan_milestone) - float(target_milestone)
    over = float(plan_cumulative) - float(budget)
    return {"milestone_met": bool(gap <= 0), "gap_milestone_tco2e": gap,
            "gap_milestone_pct": gap / target_milestone * 100 if target_milestone else None,
            "budget_met": bool(over <= 0), "budget_overshoot_tco2e": over,
            "budget_overshoot_pct": over / budget * 100 if budget else None,
            "extra_reduction_pct_of_reference": max(gap, 0.0) / reference * 100 if reference else None}


def _clip_integral(x):
    """Antiderivative of ``clip(x, 0, 1)``: 0 below 0, x²/2 on [0, 1], x − 1/2 above 1."""
    x = np.asarray(x, dtype=float)
    return np.where(x <= 0, 0.0, np.where(x >= 1, x - 0.5, 0.5 * x * x))


def ramp_fraction(years, start_year, months) -> np.ndarray:
    """Share of an action implemented, averaged over each calendar year.

    An action starts on 1 January of ``start_year`` and its implementation grows linearly to 100 % over
    ``months``; the value for year t is the exact mean of ``clip((τ − start) × 12 ÷ months, 0, 1)`` over
    τ ∈ [t, t + 1]. E.g. start 2022 over 24 months: 2021 → 0, 2022 → 0.25, 2023 → 0.75, 2024 → 1.

    Parameters
    ----------
    years : (n_years,) calendar years
    start_year, months : scalars or (n_actions,) arrays; ``months`` = 0 means implemented at once

    Returns
    -------
    (n_actions, n_years) array (or (n_years,) for scalar inputs).
    """
    years = np.asarray(years, dtype=float)
    start = np.asarray(start_year, dtype=float)
    months = np.asarray(months, dtype=float)
    scalar = start.ndim == 0 and months.ndim == 0
    start, months = np.atleast_1d(start)[:, None], np.atleast_1d(months)[:, None]
    span = np.maximum(months, 1e-9) / 12.0  # years to reach 100 %
    a = (years[None, :] - start) / span
    b = (years[None, :] + 1.0 - start) / span
    out = (_clip_integral(b) - _clip_integral(a)) / (b - a)
    return out[0] if scalar else out


def target_pathway(years, reference_year: int, target_year: int, baseline: float,
                   target_share: float = DEFAULTS.target_share) -> np.ndarray:
    """Linear pathway from ``baseline`` in the reference year to ``baseline × target_share`` in the target year
    (constant after it). The default share, ÷ 6, reads "neutrality" as the Stratégie nationale bas-carbone révisée
    does (SNBC-2, March 2020; décret n° 2020-457 of 21 April 2020: carbon neutrality in 2050, gross emissions divided
    by at least 6 from 1990, the rest absorbed by sinks)."""
    years = np.asarray(years, dtype=float)
    frac = np.clip((years - reference_year) / float(target_year - reference_year), 0.0, 1.0)
    return baseline * (1.0 - (1.0 - float(target_share)) * frac)


def cumulative(years, values, start_year: int, end_year: int) -> np.ndarray:
    """Sum of the yearly values of ``values`` for every year from ``start_year`` to ``end_year`` inclusive.

    ``values`` is (n_years,) or (n_draws, n_years); returns a scalar or (n_draws,).
    """
    years = np.asarray(years)
    keep = (years >= start_year) & (years <= end_year)
    return np.asarray(values, dtype=float)[..., keep].sum(axis=-1)


def carbon_budget(years, pathway, start_year: int, end_year: int) -> float:
    """Carbon budget: cumulative emissions allowed along the target ``pathway`` (:func:`cumulative`)."""
    return float(cumulative(years, pathway, start_year, end_year))


def stabilised_index(bau: np.ndarray, avoided_growth_share: np.ndarray) -> np.ndarray:
    """Growth index when a share ``w(t)`` of each year's growth is avoided.

    ``I_plan(t) = Π_{τ ≤ t} (1 + (I(τ)/I(τ−1) − 1) × (1 − w(τ)))`` with ``I_plan = I`` = 1 in the first year.
    ``bau`` and ``avoided_growth_share`` are (n_years,) arrays starting at the reference year.
    """
    bau = np.asarray(bau, dtype=float)
    w = np.clip(np.asarray(avoided_growth_share, dtype=float), 0.0, 1.0)
    rate = np.r_[0.0, bau[1:] / bau[:-1] - 1.0]
    return bau[0] * np.cumprod(1.0 + rate * (1.0 - w))


def plan_path(baseline, plan_gain, gain_share, growth_index) -> np.ndarray:
    """``growth_index(t) × (baseline − plan_gain × gain_share(t))``.

    ``baseline`` and ``plan_gain`` are scalars or (n_draws,) arrays (paired Monte Carlo draws); ``gain_share`` and
    ``growth_index`` are (n_years,). Returns (n_years,) or (n_draws, n_years).
    """
    b = np.asarray(baseline, dtype=float)[..., None]
    g = np.asarray(plan_gain, dtype=float)[..., None]
    return np.asarray(growth_index, dtype=float) * (b - g * np.asarray(gain_share, dtype=float))


def gain_share(ramps: np.ndarray, gains: np.ndarray) -> np.ndarray:
    """Share of the plan's gain reached each year: ``Σ_a w_a(t) g_a ÷ Σ_a g_a`` (actions with g_a > 0 only).

    ``ramps`` is (n_actions, n_years), ``gains`` (n_actions,) central gains of the actions alone. The combined gain
    (which accounts for overlaps) is spread over time in proportion to the ramped gains of its actions.
    """
    g = np.clip(np.asarray(gains, dtype=float), 0.0, None)
    if g.sum() <= 0:
        return np.zeros(np.asarray(ramps).shape[-1])
    return (np.asarray(ramps, dtype=float) * g[:, None]).sum(axis=0) / g.sum()


def first_year_over(years, values, budget: float) -> int | None:
    """First year in which the running cumulative sum of ``values`` exceeds ``budget`` (None if never)."""
    run = np.cumsum(np.asarray(values, dtype=float))
    over = np.flatnonzero(run > budget * (1 + 1e-9))  # the target pathway itself ends exactly on the budget
    return int(np.asarray(years)[over[0]]) if len(over) else None


def trajectory_table(years, bau, plan, target, plan_low=None, plan_high=None, bau_low=None, bau_high=None
                     ) -> pd.DataFrame:
    """One row per year: the three paths (tCO2e/year), the plan's interval and the running cumulative sums."""
    out = pd.DataFrame({"year": np.asarray(years, dtype=int), "bau_tco2e": bau, "plan_tco2e": plan,
                        "target_tco2e": target})
    if plan_low is not None:
        out["plan_low_tco2e"], out["plan_high_tco2e"] = plan_low, plan_high
    if bau_low is not None:
        out["bau_low_tco2e"], out["bau_high_tco2e"] = bau_low, bau_high
    for col in ("bau", "plan", "target"):
        out[f"{col}_cumulative_tco2e"] = np.cumsum(out[f"{col}_tco2e"].to_numpy())
    return out


def budget_table(years, paths: dict[str, np.ndarray], budget: float, start_year: int, end_year: int,
                 draws: dict[str, np.ndarray] | None = None) -> pd.DataFrame:
    """Cumulative emissions of each scenario against the budget: overshoot (> 0) or margin (< 0).

    ``paths``: name -> (n_years,) central path; ``draws``: name -> (n_draws, n_years) for the intervals.
    """
    rows = []
    for name, path in paths.items():
        total = float(cumulative(years, path, start_year, end_year))
        row = {"scenario": name, "cumulative_tco2e": total, "budget_tco2e": budget,
               "overshoot_tco2e": total - budget, "overshoot_pct": (total - budget) / budget * 100 if budget else np.nan,
               "budget_exhausted_year": first_year_over(np.asarray(years)[(np.asarray(years) >= start_year)
                                                                          & (np.asarray(years) <= end_year)],
                                                        np.asarray(path)[(np.asarray(years) >= start_year)
                                                                         & (np.asarray(years) <= end_year)], budget)}
        if draws and name in draws:
            c = cumulative(years, draws[name], start_year, end_year)
            row["cumulative_low_tco2e"], row["cumulative_high_tco2e"] = np.percentile(c, [2.5, 97.5])
        rows.append(row)
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------------------------------
# Business as usual from the collectivity's own plans, and factors that change over time (issue 29)
# ----------------------------------------------------------------------------------------------------------------

def declared_index(years, reference_year: int, headcount_growth_per_year: float = 0.0,
                   declared_changes=()) -> np.ndarray:
    """Growth index of the fleet when nothing but the collectivity's own plans change it (1 in the reference year):
    ``I(t) = (1 + g)^(t − ref) × Π_{changes c with year_c ≤ t} (1 + pct_c ÷ 100)``, with ``g`` the yearly change
    of the headcount (the fleet follows the agents who use it) and each declared change (a new building, a merger,
    a school programme) a step of the fleet in its year. With nothing declared: 1 every year, the business as usual
    is the reference year repeated."""
    years = np.asarray(years, dtype=float)
    index = (1.0 + float(headcount_growth_per_year)) ** np.maximum(years - float(reference_year), 0.0)
    for change in declared_changes or ():
        index = index * np.where(years >= float(change["year"]), 1.0 + float(change["fleet_change_pct"]) / 100.0,
                                 1.0)
    return index


def vintage_path(years, reference_year: int, values_by_year: dict[int, float],
                 change_per_year_after: float = 0.0) -> np.ndarray:
    """Index of a factor published by vintages (1 in the reference year): ``v(t) ÷ v(ref)``, where ``v(t)`` is the
    vintage of year t (the latest vintage before t when t has none, the first vintage before it), and after the
    last vintage ``v(last) × (1 + r)^(t − last)``. The past years come from the published vintages, the future ones
    from the rate ``r`` (a documented assumption)."""
    years = np.asarray(years, dtype=float)
    known = sorted((int(y), float(v)) for y, v in values_by_year.items())
    ky = np.array([y for y, _ in known], dtype=float)
    kv = np.array([v for _, v in known], dtype=float)

    def value(t):
        t = np.asarray(t, dtype=float)
        idx = np.clip(np.searchsorted(ky, t, side="right") - 1, 0, len(ky) - 1)
        after = np.maximum(t - ky[-1], 0.0)
        return kv[idx] * (1.0 + float(change_per_year_after)) ** after

    return value(years) / value(float(reference_year))


def rate_path(years, reference_year: int, change_per_year: float) -> np.ndarray:
    """``(1 + r)^(t − ref)`` from the reference year on (1 before it): a factor changing by ``r`` a year."""
    years = np.asarray(years, dtype=float)
    return (1.0 + float(change_per_year)) ** np.maximum(years - float(reference_year), 0.0)


def factor_adjustment(base_parts: dict, gain_parts: dict, gain_share, growth_index, electricity_index,
                      manufacturing_index) -> np.ndarray:
    """What the factor paths add to a path (tCO2e, the unit of the parts): for each part whose factor moves,
    ``(f(t) − 1) × (part left in year t)``, the fleet's part growing with the fleet:

    ``(e − 1) × ((E_f − gE_f s) I + (E_o − gE_o s)) + (m − 1) × ((M_f − gM_f s) I + (M_o − gM_o s))``

    where E and M are the reference balance's electricity (French grid) and manufacturing parts, fleet (f) and
    other (o) (``helpers.model.carbon.central_parts``), g their gains in the combined plan, s the plan's gain share
    and I the growth index of the path (the business as usual: gains and s are 0). Returns (n_years,)."""
    s = np.asarray(gain_share, dtype=float)
    i = np.asarray(growth_index, dtype=float)
    e = np.asarray(electricity_index, dtype=float)
    m = np.asarray(manufacturing_index, dtype=float)

    def left(name):
        return base_parts[name] - gain_parts.get(name, 0.0) * s

    return ((e - 1.0) * (left("electricity_fleet") * i + left("electricity_other"))
            + (m - 1.0) * (left("manufacturing_fleet") * i + left("manufacturing_other")))
