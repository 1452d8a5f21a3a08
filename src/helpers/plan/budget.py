"""The plan's budget by year, as a finance officer prepares it: cash out (investment, operating), cash saved, net,
cumulated, and staff time in full-time equivalents.

Pure functions of arrays (one entry per action of the plan, one column per year); the French table is
:func:`helpers.report.actions.budget_table`.

Definitions (documented choices, see ``docs/assumptions_caveats.md``):

- **Investment** (EUR excl. VAT, HT) is spent evenly over the years of an action's set-up (from its start year to
  :func:`helpers.plan.actions.end_year`), as cash, without annualisation: the budget by year is a cash view. The
  cost per tonne of the prioritisation uses the annualised view (annuity at the discount rate); both are stated.
- **Operating costs** (EUR HT per year) count in full from the action's start year (prudent: the budget never
  assumes a running cost arrives late).
- **Savings** (EUR HT per year) are the money the *combined* plan saves in steady state (equipment renewals,
  electricity, paper and spend avoided, priced by the unit prices), reached in each year in proportion to the
  ramped savings of its actions (as the trajectory spreads the combined carbon gain): overlapping actions never
  save the same euro twice. Emissions avoided against a business-as-usual growth save no euro of today's budget
  and are left out.
- **Net** = investment + operating − savings; **cumulated net** its running sum from the decision year.
- **TTC** (VAT included) = HT × (1 + VAT rate); the VAT rate is a parameter (default ``DEFAULTS.vat_rate`` of
  :mod:`helpers.model.parameters`: 20 %, Code général des impôts, art. 278). The FCTVA
  refund of part of the VAT on investment is not modelled.
- **Staff** in full-time equivalents: set-up days spread over the set-up years, plus the recurring days of an
  action (governance, yearly measurement, training) every year from its start, divided by :data:`DAYS_PER_FTE`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.model.parameters import DEFAULTS

#: Working days of one full-time equivalent: 1,607 hours a year (décret n° 2000-815 du 25 août 2000, art. 1,
#: applied to the territorial civil service by loi n° 2019-828 du 6 août 2019, art. 47) ÷ 7 hours a day
#: (35-hour week over 5 days; assumption of this study) = 229.6 days.
HOURS_PER_FTE = 1607.0
HOURS_PER_DAY = 7.0
DAYS_PER_FTE = HOURS_PER_FTE / HOURS_PER_DAY

BUDGET_COLUMNS: tuple[str, ...] = (
    "year", "investment_eur", "operating_eur", "savings_eur", "net_eur", "net_cumulated_eur",
    "investment_ttc_eur", "operating_ttc_eur", "savings_ttc_eur", "net_ttc_eur", "staff_days", "fte",
)


def spread_over_set_up(years, start_year, end_year, amount) -> np.ndarray:
    """(n_years,) totals of ``amount`` spread evenly over each action's years ``start_year`` … ``end_year``
    (inclusive); ``start_year``, ``end_year``, ``amount`` are (n_actions,)."""
    years = np.asarray(years, dtype=int)
    start = np.asarray(start_year, dtype=int)
    stop = np.asarray(end_year, dtype=int)
    span = np.maximum(stop - start + 1, 1).astype(float)
    active = (years[:, None] >= start[None, :]) & (years[:, None] <= stop[None, :])
    return active @ (np.asarray(amount, dtype=float) / span)


def from_start(years, start_year, amount_per_year) -> np.ndarray:
    """(n_years,) totals of ``amount_per_year`` counted every year from each action's ``start_year``."""
    years = np.asarray(years, dtype=int)
    running = years[:, None] >= np.asarray(start_year, dtype=int)[None, :]
    return running @ np.asarray(amount_per_year, dtype=float)


def savings_share(ramps, savings_eur) -> np.ndarray:
    """Share of the combined plan's savings reached each year: ``Σ_a w_a(t) m_a ÷ Σ_a m_a`` over the actions that
    save money (``m_a > 0``); ``ramps`` is (n_actions, n_years), ``savings_eur`` (n_actions,) each action's savings
    alone. Zero when no action saves money."""
    m = np.clip(np.nan_to_num(np.asarray(savings_eur, dtype=float)), 0.0, None)
    ramps = np.asarray(ramps, dtype=float)
    if m.sum() <= 0:
        return np.zeros(ramps.shape[-1])
    return (ramps * m[:, None]).sum(axis=0) / m.sum()


def budget_by_year(years, start_year, end_year, investment_eur, operating_eur_per_year, staff_days,
                   staff_days_per_year, ramps, savings_alone_eur, combined_savings_eur: float,
                   vat_rate: float = DEFAULTS.vat_rate, days_per_fte: float = DAYS_PER_FTE) -> pd.DataFrame:
    """The plan's budget, one row per year of ``years`` (the decision year to the milestone).

    Parameters
    ----------
    years : (n_years,) calendar years
    start_year, end_year : (n_actions,) first and last year of each action's set-up
    investment_eur : (n_actions,) one-off investment, EUR HT
    operating_eur_per_year : (n_actions,) running cost, EUR HT per year
    staff_days, staff_days_per_year : (n_actions,) set-up days; recurring days per year
    ramps : (n_actions, n_years) share of each action implemented in each year
        (:func:`helpers.model.trajectory.ramp_fraction`)
    savings_alone_eur : (n_actions,) money each action saves alone in steady state, EUR HT per year (weights)
    combined_savings_eur : money the combined plan saves in steady state, EUR HT per year
    vat_rate : VAT rate for the TTC columns (0.20)
    days_per_fte : working days of one full-time equivalent (:data:`DAYS_PER_FTE`)

    Returns
    -------
    DataFrame with :data:`BUDGET_COLUMNS` (EUR; ``net_eur = investment_eur + operating_eur − savings_eur``).
    """
    years = np.asarray(years, dtype=int)
    invest = spread_over_set_up(years, start_year, end_year, investment_eur)
    operating = from_start(years, start_year, operating_eur_per_year)
    savings = float(combined_savings_eur) * savings_share(ramps, savings_alone_eur)
    days = (spread_over_set_up(years, start_year, end_year, staff_days)
            + from_start(years, start_year, staff_days_per_year))
    net = invest + operating - savings
    k = 1.0 + float(vat_rate)
    return pd.DataFrame({
        "year": years, "investment_eur": invest, "operating_eur": operating, "savings_eur": savings,
        "net_eur": net, "net_cumulated_eur": np.cumsum(net), "investment_ttc_eur": invest * k,
        "operating_ttc_eur": operating * k, "savings_ttc_eur": savings * k, "net_ttc_eur": net * k,
        "staff_days": days, "fte": days / float(days_per_fte),
    }, columns=list(BUDGET_COLUMNS))
