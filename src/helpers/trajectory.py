"""Emission trajectories and carbon budget: business as usual, the action plan, and a target pathway.

Pure functions over numpy arrays (years on the last axis, Monte Carlo draws on the first when there are any).

Definitions (documented choices, see ``docs/assumptions_caveats.md``):

- **Years.** Every value is the footprint of one calendar year, in tCO2e per year, from the reference year of the
  inventory to the target year, both included.
- **Business as usual (BAU).** ``BAU(t) = B0 × I(t)``. By default ``I`` is the national trend of the ADEME–Arcep
  prospective study normalised to the reference year: digital carbon footprint +45 % in 2030 and ×2.87 (+187 %) in
  2050 compared with 2020 (domain-facts §3.2), interpolated log-linearly between those points (constant yearly
  growth within a segment, 3.79 %/year in 2020–2030 and 3.47 %/year in 2030–2050; the last segment's rate is used
  beyond them). A territory can give its own yearly growth rate instead.
- **Plan.** ``Plan(t) = I_plan(t) × (B0 − G × s(t))`` where ``G`` is the gain of the combined plan at full
  implementation (models rerun on the combined scenario), ``s(t)`` the share of that gain reached in year t (the
  ramps of the roadmap weighted by each action's own gain) and ``I_plan`` the growth index once the fleet is
  stabilised: each year's growth rate is multiplied by ``1 − w(t)`` where ``w`` is the ramped share of the growth the
  stabilisation avoids.
- **Target pathway.** Linear from ``B0`` in the reference year to ``B0 × target_share`` in the target year.
  La Rochelle aims at carbon neutrality in 2040; we read neutrality as in the French low-carbon strategy: gross
  emissions divided by about 6 and the rest absorbed by sinks (SNBC, "÷6 by 2050", domain-facts §8), so
  ``target_share = 1/6`` by default. With reference 2020 and target 2040 the 2030 milestone is then
  ``1 − (5/6) × (10/20)`` = 58.3 % of 2020, i.e. −41.7 %.
- **Carbon budget.** The sum of the yearly values of the target pathway over every year from the reference year to the
  target year inclusive (a discrete sum of annual flows, each year counted once; not a trapezoid). The cumulative
  emissions of a scenario are the same sum over its own path; overshoot = cumulative − budget (negative: margin).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: ADEME–Arcep prospective study (volume 3, March 2023): index of the national digital carbon footprint,
#: 2020 = 1; +45 % in 2030 (trend scenario) and +187 % (×2.87, 49.4 MtCO2e) in 2050 (domain-facts §3.2).
NATIONAL_TREND: dict[int, float] = {2020: 1.0, 2030: 1.45, 2050: 2.87}
NATIONAL_TREND_SOURCE = ("ADEME–Arcep, évaluation de l'impact environnemental du numérique en France, volet 3 "
                         "prospectif (mars 2023) : tendanciel +45 % en 2030 et ×2,87 en 2050 par rapport à 2020")
#: default target share of the reference-year footprint at the target year ("neutrality" read as SNBC's ÷6)
DEFAULT_TARGET_SHARE = 1.0 / 6.0
TARGET_SHARE_SOURCE = ("Stratégie nationale bas carbone : neutralité = émissions brutes divisées par 6 environ, "
                       "le reste absorbé par les puits (domain-facts §8)")


def years_range(reference_year: int, target_year: int) -> np.ndarray:
    """Every year from the reference year to the target year, both included."""
    if target_year < reference_year:
        raise ValueError("target_year must not be before reference_year")
    return np.arange(int(reference_year), int(target_year) + 1)


def national_trend_index(years, reference_year: int, trend: dict[int, float] | None = None) -> np.ndarray:
    """National trend of the digital footprint relative to ``reference_year`` (1 in that year).

    Log-linear interpolation between the points of ``trend`` (default :data:`NATIONAL_TREND`); outside them the
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
                   target_share: float = DEFAULT_TARGET_SHARE) -> np.ndarray:
    """Linear pathway from ``baseline`` in the reference year to ``baseline × target_share`` in the target year
    (constant after it)."""
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


def trajectory_figure(table: pd.DataFrame, budget: float, milestone_year: int | None = None,
                      reference_year: int | None = None, target_year: int | None = None):
    """Two panels: yearly paths (BAU, plan with its 95 % band, target pathway) and cumulative emissions against the
    carbon budget. Lines differ by style and marker, not only by colour."""
    from helpers.plotting import PALETTE, fr_number, setup

    plt = setup()
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(8.0, 3.2))
    y = table["year"]
    ax.plot(y, table["bau_tco2e"], color=PALETTE[5], ls="--", marker="s", ms=3, markevery=5, label="Fil de l'eau")
    if "plan_low_tco2e" in table:
        ax.fill_between(y, table["plan_low_tco2e"], table["plan_high_tco2e"], color="#d5e6f3", lw=0,
                        label="Plan : intervalle à 95 %")
    ax.plot(y, table["plan_tco2e"], color=PALETTE[0], ls="-", marker="o", ms=3, markevery=5, label="Plan d'actions")
    ax.plot(y, table["target_tco2e"], color=PALETTE[2], ls=":", lw=2, label="Trajectoire cible")
    if milestone_year is not None:
        ax.axvline(milestone_year, color="grey", lw=0.8, ls="-.")
        ax.text(milestone_year, ax.get_ylim()[1] * 0.98, f" jalon {milestone_year}", va="top", fontsize=8)
    ax.set_ylabel("tCO2e par an")
    ax.set_title("Émissions annuelles", fontsize=9)
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=7)
    ax2.plot(y, table["bau_cumulative_tco2e"], color=PALETTE[5], ls="--", marker="s", ms=3, markevery=5,
             label="Fil de l'eau")
    ax2.plot(y, table["plan_cumulative_tco2e"], color=PALETTE[0], ls="-", marker="o", ms=3, markevery=5,
             label="Plan d'actions")
    ax2.axhline(budget, color=PALETTE[2], ls=":", lw=2,
                label=f"Budget carbone : {fr_number(budget, 0)} tCO2e")
    ax2.set_ylabel("tCO2e cumulées")
    span = f" {reference_year}–{target_year}" if reference_year and target_year else ""
    ax2.set_title(f"Émissions cumulées et budget{span}", fontsize=9)
    ax2.legend(frameon=False, fontsize=7)
    first, last = int(y.min()), int(y.max())
    ticks = sorted({first, last, *range(-(-first // 5) * 5, last + 1, 5)})
    ticks = [t for i, t in enumerate(ticks) if i == 0 or t - ticks[i - 1] >= 2 or t == last]
    for a in (ax, ax2):
        a.set_xticks(ticks)
        a.set_xlim(first - 0.5, last + 0.5)
    fig.tight_layout()
    return fig
