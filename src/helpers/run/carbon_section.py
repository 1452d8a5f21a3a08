"""Section 2 of the study, the carbon balance: read, compute, word and write (``02_carbon_balance``, ``make study``).

:func:`run_study` reads the clean inputs and the reference library (``helpers.io``), computes the balance and its
summary (``helpers.model.carbon``), adds the French fields of the summary (``helpers.report.carbon_labels``) and
returns a :class:`CarbonStudy`, whose :meth:`CarbonStudy.write` writes the section's processed tables (with their
French label columns) and ``summary_carbon.json``. ``helpers.run.study`` dispatches the section here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.io import factors as fmod
from helpers.io.carbon_inputs import read_clean_inputs
from helpers.io.carbon_reference import (
    electricity_factor_summary,
    load_national_footprint,
    load_published_benchmarks,
    prepare_factors,
)
from helpers.model import carbon
from helpers.model.perimeter import study_perimeter
from helpers.report import carbon_labels as labels


@dataclass
class CarbonStudy:
    """What the carbon notebook shows: inputs, factors and their overrides, the balance and its summary."""

    territory: object
    inputs: dict
    categories: pd.DataFrame
    hosting_kinds: pd.DataFrame
    factors: pd.DataFrame
    changes: pd.DataFrame
    balance: carbon.Balance
    computers: float
    data: dict
    top_level: dict
    national: pd.DataFrame
    benchmarks: pd.DataFrame
    factors_version: str

    def write(self, ctx) -> list[str]:
        """Write the section's tables and ``summary_carbon.json`` (:func:`write_outputs`)."""
        return write_outputs(ctx, self)


def territory_total(ctx) -> dict | None:
    """``territory.total_tco2e`` drawn up by ``01_ingest`` (issue 35: the footprint by actor), or None when the
    processed folder has none (a section run on its own: the national ratio)."""
    path = Path(ctx.processed) / "summary_territory.json"
    return ctx.read_summary("territory")["total_tco2e"] if path.exists() else None


def inputs_summary(balance: carbon.Balance, inventory: pd.DataFrame, categories: pd.DataFrame,
                   factors: pd.DataFrame, changes: pd.DataFrame, territory, balance_total_tco2e: float | None) -> dict:
    """The summary fields on the inputs and factors behind the balance: the overrides, the notes on what was (not)
    counted, the electricity factor, the fleet's age and ratios, the sensitivity cases (alternative factors, the
    previous spend ratios, households' lifetimes)."""
    acts = balance.activities.table
    ratios = carbon.spend_ratios(acts, factors)
    return {
        "overrides": changes[["factor_id", "old_value", "new_value", "source", "origin"]].to_dict("records"),
        "notes": labels.notes_fr(balance.activities.notes),
        "electricity_factor": electricity_factor_summary(factors, territory, carbon.grid_kwh(acts)),
        "fleet_age": carbon.fleet_age(inventory),  # NaN -> null: no dated device, no age published
        "factor_alternatives": carbon.factor_alternatives(acts, factors).to_dict("records"),
        "spend_based_ratios": ratios,
        "spend_based_sensitivity": carbon.spend_based_sensitivity(ratios),
        "lifetime_profile": labels.lifetime_profile(carbon.household_lifetime_sensitivity(
            inventory, categories, factors, balance_total_tco2e)),
        # issue 36: the batch comparison's fleet columns
        "fleet_ratios": {r["indicator"]: r["value"] for r in carbon.fleet_ratios(inventory, territory.agents)
                         .to_dict("records")},
    }


def comparisons_summary(data: dict, benchmarks: pd.DataFrame, territory, balance: carbon.Balance,
                        computers: float) -> dict:
    """The summary fields that set the study beside others: its perimeter (issue 36), the published references on
    their own scope and those set aside, and the collectivity's own published balance line by line (issue 32).
    ``data`` holds the summary's figures already (the comparisons read them)."""
    data = {**data, "perimeter": study_perimeter(territory.entities, data.get("by_entity"))}
    out = {"perimeter": data["perimeter"],
           "benchmark_comparison": labels.benchmark_comparison(benchmarks, territory.slug, data).to_dict("records"),
           "benchmark_set_aside": labels.benchmark_set_aside(benchmarks, territory.slug, data).to_dict("records")}
    pub = getattr(territory, "published_footprint", None)
    if pub:
        out["published"] = {**pub, "comparison": labels.published_comparison(
            pub, balance.mc, data, computers, bool(getattr(territory, "illustrative", False)))}
    return out


def run_study(ctx, n_draws: int = 10_000, seed: int = 20200101) -> CarbonStudy:
    """Compute the carbon balance of ``ctx``'s territory from the clean inputs and the reference library."""
    inputs = read_clean_inputs(ctx)
    categories = fmod.load_categories()
    kinds = fmod.load_hosting_kinds()
    factors, changes = prepare_factors(fmod.load_factors(), ctx.territory, inputs["factor_overrides"])
    t = ctx.territory
    balance = carbon.compute_balance(inputs["inventory"], categories, factors, kinds, t.reference_year,
                                     inputs["hosting"], inputs["telecom"], inputs["purchases"], inputs["printing"],
                                     n_draws=n_draws, seed=seed)
    computers = carbon.count_computers(inputs["inventory"])
    national = load_national_footprint()
    data, top = labels.summary_texts(*carbon.summary(balance, t, computers, national, territory_total(ctx)))
    top["factors_version"] = fmod.factors_version()
    data.update(inputs_summary(balance, inputs["inventory"], categories, factors, changes, t,
                               (data.get("total_tco2e") or {}).get("value")))
    benchmarks = load_published_benchmarks()
    data.update(comparisons_summary(data, benchmarks, t, balance, computers))
    return CarbonStudy(territory=t, inputs=inputs, categories=categories, hosting_kinds=kinds, factors=factors,
                       changes=changes, balance=balance, computers=computers, data=data, top_level=top,
                       national=national, benchmarks=benchmarks, factors_version=top["factors_version"])


def output_tables(study: CarbonStudy) -> dict[str, pd.DataFrame]:
    """The processed tables of the section (written by :func:`write_outputs`), with their French label columns."""
    b, t = study.balance, study.territory
    inv = study.inputs["inventory"]
    by_entity = carbon.breakdown(b.mc, ["entity", "tier"], scale=1 / 1000.0).rename(columns={"value": "tco2e"})
    bridge, rec = labels.reconcile_views(b.lines, b.purchases_lines, inv, study.categories, t.reference_year)
    return {
        "carbon_lines": b.lines,
        "carbon_purchases_view_lines": b.purchases_lines,
        "carbon_by_category": labels.category_table(b.lines, inv, study.categories),
        "carbon_by_entity": by_entity,
        "carbon_by_phase": labels.equipment_phase_breakdown(b.mc),  # shares of the equipment scope (issue 32)
        "carbon_by_tier": labels.tier_breakdown_with_spend(b.mc),  # the purchases as one line (issue 32)
        "carbon_mc_quantiles": labels.quantiles_table(b, t.agents, t.population, study.computers),
        "carbon_sensitivity": labels.sensitivity_table(b.mc, study.categories, study.hosting_kinds),
        "carbon_criteria": labels.criteria_table(b.mc, b.units),
        "carbon_criteria_phase_shares": labels.phase_shares_by_criterion(b.mc),
        "carbon_missing_factors": b.mc.missing,
        "carbon_reconciliation": rec,
        "carbon_reconciliation_bridge": bridge,
        "carbon_overrides": study.changes,
        "fleet_ratios": labels.fleet_ratios(inv, t.agents),
        "fleet_age_profile": labels.age_profile(inv, study.categories),
    }


def write_outputs(ctx, study: CarbonStudy) -> list[str]:
    """Write the section's tables and ``summary_carbon.json``; returns the table names."""
    tables = output_tables(study)
    for name, df in tables.items():
        ctx.write_table(name, df)
    ctx.write_summary("carbon", study.data, top_level=study.top_level)
    return sorted(tables)
