"""Section 3 of the study, the key digital services (notebook ``03_services_lca``): read the territory's services and
RGESN answers (``helpers.io.services_inputs``, ``helpers.io.rgesn_inputs``), run their life-cycle assessment
(``helpers.model.services``) and their RGESN scores (``helpers.model.rgesn``), name what the tables publish in
French (``helpers.report.services``), and write the processed tables and the ``services`` part of ``summary.json``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.io import factors as fm
from helpers.io import rgesn_inputs as ri
from helpers.io import services_inputs as si
from helpers.io.tables import plain, provided
from helpers.model import rgesn
from helpers.model import services as sv
from helpers.report import services as labels


@dataclass
class ServicesSection(sv.ServicesStudy):
    """The services study of a territory, with the tables as published (French names in ``label_fr`` and
    ``reference``) and what the section writes."""

    def summary(self) -> dict:
        """The ``services`` part of ``summary.json``."""
        if not self.available:
            return {"services": [], "provided": False}
        out = summary_services(self.result, self.rgesn_scores if self.rgesn_provided else None)
        out["provided"] = True
        out["rgesn_provided"] = self.rgesn_provided
        out["reference_checks"] = [
            {"reference": r["reference"], "ademe_g": r["ademe_g"], "model_g": r["model_ademe_vintage_g"],
             "difference_pct": r["difference_pct"]} for _, r in self.references.iterrows()]
        return out

    def write(self, ctx) -> None:
        """Write the tables and the ``services`` part of the summary."""
        if self.available:
            ctx.write_table("services_lca", self.table)
            ctx.write_table("services_criteria", self.criteria)
            ctx.write_table("services_swd", self.swd)
            ctx.write_table("services_sensitivity", self.sensitivity)
            ctx.write_table("services_scenarios", self.scenarios)
            ctx.write_table("services_references", self.references)
            if self.rgesn_provided:
                ctx.write_table("rgesn_scores", self.rgesn_scores)
                ctx.write_table("rgesn_answers", self.rgesn_grid)
        ctx.write_summary("services", self.summary())


def summary_services(result: sv.LcaResult, rgesn_scores: pd.DataFrame | None = None) -> dict:
    """The services and their total in the ``services`` part of ``summary.json``."""
    table = sv.lca_table(result)
    overall = {}
    if rgesn_scores is not None and len(rgesn_scores):
        ov = rgesn_scores[rgesn_scores["family"] == ri.OVERALL]
        overall = dict(zip(ov["service_id"], ov["score_pct"]))
    total_draws = result.total_annual_draws("climate_change") / 1000
    out = []
    for _, row in table.iterrows():
        item = {
            "service_id": row["service_id"], "name": row["name"], "type": row["type"],
            "functional_unit": row["functional_unit"],
            "gco2e_per_unit": {"value": row["gco2e_per_unit"], "low": row["gco2e_low"], "high": row["gco2e_high"]},
            "annual_tco2e": {"value": row["annual_tco2e"], "low": row["annual_tco2e_low"],
                             "high": row["annual_tco2e_high"]},
            "tiers": {"terminals": row["terminals_share"], "network": row["network_share"],
                      "datacentre": row["datacentre_share"]},
        }
        if row["service_id"] in overall and pd.notna(overall[row["service_id"]]):
            item["rgesn_score_pct"] = overall[row["service_id"]]
        out.append(item)
    return {
        "services": out,
        "total_annual_tco2e": {"value": float(table["annual_tco2e"].sum()),
                               "low": float(np.percentile(total_draws, 2.5)),
                               "high": float(np.percentile(total_draws, 97.5))},
        "n_draws": result.n_draws, "seed": result.seed,
    }


def _rgesn(section: ServicesSection, path, services: pd.DataFrame) -> None:
    """The RGESN self-assessment of ``path`` scored for the services it assesses."""
    criteria = ri.load_criteria()
    answers = plain(ri.read_rgesn(path, list(services["service_id"]), criteria))
    assessed = [s for s in services["service_id"] if s in set(answers["service_id"])]
    section.rgesn_provided = bool(assessed)
    section.rgesn_scores = rgesn.rgesn_scores(answers, criteria, assessed)
    section.rgesn_grid = rgesn.answers_grid(answers, criteria, assessed)


def run_study(ctx, n_draws: int = 10_000, seed: int = 20200101, n_sobol: int = 256) -> ServicesSection:
    """Read the territory's services (and RGESN answers), run the LCA, the Monte Carlo, SWD, sensitivity, scenarios
    and reference checks. A territory without ``services.csv`` gets an empty study (``available`` False)."""
    path = ctx.raw / "services.csv"
    if not provided(path):  # missing or header-only (issue 17)
        return ServicesSection(available=False, services=pd.DataFrame(columns=["service_id", "name"]))
    sites = si.load_hosting_sites(ctx)
    services = plain(si.read_services(path, list(sites["site_id"])))
    factors, changes = si.service_factors(ctx)
    categories = fm.load_categories()
    presets = si.load_presets()  # once: every resolve of the scenarios would read it again
    inputs = sv.build_inputs(services, factors, categories, fm.load_hosting_kinds(), sites, presets)
    result = sv.run_lca(inputs, n_draws=n_draws, seed=seed)
    section = ServicesSection(
        available=True, services=services.drop(columns="_line"), inputs=inputs, result=result,
        table=sv.lca_table(result), criteria=sv.criteria_table(result), swd=sv.swd_comparison(result),
        sensitivity=labels.labelled_sensitivity(sv.sensitivity(inputs, seed=seed, n_base=n_sobol)),
        scenarios=labels.labelled_scenarios(sv.scenario_table(inputs, presets)),
        references=labels.labelled_references(
            sv.reference_checks(factors, categories, presets, si.vintage_factor_table())),
        factor_changes=changes,
    )
    rpath = ctx.raw / "rgesn.csv"
    if provided(rpath):  # header-only = not provided (issue 17)
        _rgesn(section, rpath, services)
    return section
