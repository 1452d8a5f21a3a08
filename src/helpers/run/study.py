"""One definition of each section of the study, used by the notebooks, by ``make study`` and by ``make batch``.

A section is a function ``run(ctx, **parameters) -> result`` whose result has ``write(ctx)``: it writes the section's
processed tables and its ``summary_<section>.json``. The notebook of a section calls :func:`run_section` in its
first code cell, shows what it likes from the result, and calls ``result.write(ctx)`` in its last cell; summary mode
(:func:`compute_sections`, used by ``helpers.run.batch``) calls the same two functions with no notebook and no kernel.
So a section is defined once: a notebook adds only narrative, figures and tables to read, and ``summary.json`` is
byte-identical whichever way the study ran (``tests/run/test_batch.py`` checks it).

+-----------+----------------------------+---------------------------------------------------------------------+
| section   | notebook                   | run                                                                 |
+===========+============================+=====================================================================+
| ingest    | ``01_ingest``              | :func:`run_ingest` (validate every input, clean tables)             |
| carbon    | ``02_carbon_balance``      | :func:`helpers.run.carbon_section.run_study`                               |
| services  | ``03_services_lca``        | :func:`helpers.run.services_section.run_study`                             |
| maturity  | ``04_maturity``            | :func:`run_maturity`                                                 |
| actions   | ``05_actions``             | :func:`helpers.run.actions_section.run_study`                             |
+-----------+----------------------------+---------------------------------------------------------------------+

Each section opens its own context, as its notebook does, so no state passes from one section to the next except
through the processed folder.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from helpers.model.parameters import DEFAULTS
from helpers.report import territory_labels
from helpers.run.context import open_context

DEFAULT_SEED = 20200101
DEFAULT_DRAWS = 10_000


# ----------------------------------------------------------------------------------------------------------------
# Sections whose model lives in several modules: their result is defined here
# ----------------------------------------------------------------------------------------------------------------

@dataclass
class IngestResult:
    """Every input validated (``helpers.io.ingest.ingest_all``): the import report and the clean inventory."""

    report: Any
    categories: pd.DataFrame
    #: the territory's actors and indicators (issue 35, :func:`helpers.model.territory_actors.assess`)
    actors: Any = None

    @property
    def inventory(self) -> pd.DataFrame:
        return self.report.tables["inventory"]

    def write(self, ctx) -> None:
        """``summary_ingest.json`` (the clean tables are written by ``ingest_all`` as it validates them)."""
        from helpers.io.ingest import import_report_summary

        ctx.write_summary("ingest", {
            "files_provided": self.report.provided,
            "inventory_lines": int(len(self.inventory)),
            "devices": int(self.inventory["quantity"].sum()),
            "warnings": [str(w) for w in self.report.warnings],
        }, top_level={"inputs": import_report_summary(self.report)})
        if self.actors is not None:  # issue 35: summary.json territory.total_tco2e, territory.by_actor
            ctx.write_table("territory_actors", self.actors.lines)
            ctx.write_table("territory_indicators", self.actors.indicators)
            if self.actors.sectors is not None:
                ctx.write_table("territory_sectors", self.actors.sectors)
            elif (ctx.processed / "territory_sectors.csv").exists():  # an earlier run's, not this one's
                (ctx.processed / "territory_sectors.csv").unlink()
            ctx.write_summary("territory", territory_labels.summary(self.actors))


def territory_actors(ctx, tables: dict):
    """The territory's footprint by actor and its indicators from the clean tables of its open-data files (issue
    35; :func:`helpers.model.territory_actors.assess`)."""
    from helpers.io import factors as fm
    from helpers.io.carbon_reference import load_national_actors, load_national_footprint
    from helpers.model import territory_actors as ta

    nat = ta.national_intensities(load_national_footprint(), load_national_actors(), fm.load_categories(),
                                  fm.load_factors())
    return territory_labels.published(ta.assess(ctx.territory.population, {t: tables.get(t) for t in ta.TABLES}, nat))


def run_ingest(ctx) -> IngestResult:
    """Section 1: read and validate every input of ``ctx``'s territory, write the clean tables, and draw up the
    territory's footprint by actor (issue 35)."""
    from helpers.io.factors import load_categories
    from helpers.io.ingest import ingest_all
    from helpers.model.levers import LEVERS

    report = ingest_all(ctx, levers=LEVERS)
    return IngestResult(report=report, categories=load_categories(), actors=territory_actors(ctx, report.tables))


@dataclass
class MaturityResult:
    """The maturity questionnaire scored (``helpers.model.maturity.assess``) and the catalogue's actions of its weak axes."""

    axes: pd.DataFrame
    questions: pd.DataFrame
    provided: bool
    result: Any
    weak_actions: pd.DataFrame | None = field(default=None)

    def write(self, ctx) -> None:
        from helpers.report import maturity as report

        r = self.result
        ctx.write_table("maturity_scores", r.scores)
        ctx.write_table("maturity_score_matrix", report.display_matrix(r))
        ctx.write_table("maturity_answers_clean", r.grid)
        ctx.write_table("maturity_benchmark", r.axis_benchmark)
        ctx.write_table("maturity_strengths", r.strengths)
        ctx.write_table("maturity_weaknesses", r.weaknesses)
        ctx.write_table("maturity_label_nr", r.label_themes)
        ctx.write_table("maturity_pillar_scores", r.pillars)
        if self.weak_actions is not None:
            ctx.write_table("maturity_weak_axis_actions", self.weak_actions)
        ctx.write_summary("maturity", report.section_summary(r) | {"questionnaire_provided": self.provided})


def run_maturity(ctx) -> MaturityResult:
    """Section 4: maturity scores, benchmark, Label NR indicative score and the actions of the weak axes (``None``
    when the reference library has no actions catalogue)."""
    from helpers.io import maturity_inputs as mi
    from helpers.model import maturity as mat

    axes = mi.load_axes()
    questions = mi.load_questions(axes=axes)
    answers, provided = mi.read_maturity_if_provided(ctx.raw / "maturity.csv", ctx.territory, questions)
    result = mat.assess(answers, ctx.territory, questions, axes, mi.load_crosswalk(axes=axes),
                        mi.load_published_maturity())
    catalogue_path = ctx.reference / "actions_catalogue.csv"
    weak_actions = None
    if catalogue_path.exists():
        weak_actions = mat.actions_for_axes(result.weak_axes, mi.load_catalogue_axes(catalogue_path))
    return MaturityResult(axes=axes, questions=questions, provided=provided, result=result,
                          weak_actions=weak_actions)


def _carbon(ctx, *, seed: int, n_draws: int):
    from helpers.run import carbon_section

    return carbon_section.run_study(ctx, n_draws=n_draws, seed=seed)


def _services(ctx, *, seed: int, n_draws: int):
    from helpers.run import services_section

    return services_section.run_study(ctx, n_draws=n_draws, seed=seed)


def _actions(ctx, *, seed: int, n_draws: int, bau_growth_per_year=None, target_share: float = DEFAULTS.target_share,
             discount_rate: float = DEFAULTS.discount_rate, vat_rate: float = DEFAULTS.vat_rate,
             previous_study: str | None = None):
    from helpers.run import actions_section

    return actions_section.run_study(ctx, n_draws=n_draws, seed=seed, bau_growth_per_year=bau_growth_per_year,
                             target_share=target_share, discount_rate=discount_rate, vat_rate=vat_rate,
                             previous_study=previous_study)


# ----------------------------------------------------------------------------------------------------------------
# The registry
# ----------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Section:
    """One section: its notebook, its run function ``run(ctx, *, seed, n_draws, **defaults)`` and the defaults of
    its own parameters."""

    name: str
    notebook: str
    run: Callable
    #: defaults of the section's own parameters (those papermill does not inject), equal to its notebook's
    defaults: dict = field(default_factory=dict)


#: Defaults of the extra parameters of notebook 05's ``parameters`` cell (papermill injects only ``territory``,
#: ``seed``, ``processed_dir`` and ``n_draws``, so the notebook runs with these). A test compares them with the
#: notebook.
ACTIONS_PARAMETERS: dict = {"bau_growth_per_year": None, "target_share": DEFAULTS.target_share,
                             "discount_rate": DEFAULTS.discount_rate, "vat_rate": DEFAULTS.vat_rate,
                             "previous_study": None}

#: The sections in the order of the notebooks.
SECTIONS: dict[str, Section] = {s.name: s for s in (
    Section("ingest", "01_ingest", lambda ctx, **_: run_ingest(ctx)),
    Section("carbon", "02_carbon_balance", _carbon),
    Section("services", "03_services_lca", _services),
    Section("maturity", "04_maturity", lambda ctx, **_: run_maturity(ctx)),
    Section("actions", "05_actions", _actions, ACTIONS_PARAMETERS),
)}

#: Section name -> notebook name.
NOTEBOOK_OF: dict[str, str] = {s.name: s.notebook for s in SECTIONS.values()}


def run_section(name: str, ctx, seed: int = DEFAULT_SEED, n_draws: int = DEFAULT_DRAWS, **parameters):
    """Run section ``name`` on ``ctx`` and return its result (call ``result.write(ctx)`` to write its outputs).

    ``parameters`` are the section's own parameters (``helpers.run.study.SECTIONS[name].defaults``); an unknown one is
    an error, so a notebook parameter that the section would ignore cannot pass unnoticed.
    """
    section = SECTIONS[name]
    unknown = set(parameters) - set(section.defaults)
    if unknown:
        raise TypeError(f"section {name!r} has no parameter {sorted(unknown)}; it takes {list(section.defaults)}")
    return section.run(ctx, seed=int(seed), n_draws=int(n_draws), **(section.defaults | parameters))


def compute_sections(slug: str, seed: int = DEFAULT_SEED, n_draws: int = DEFAULT_DRAWS, processed_dir=None,
                     sections=None, timings: dict | None = None, parameters: dict | None = None) -> None:
    """Run the study's computation for ``slug`` in this process and write the processed tables and summaries
    (summary mode: the same :func:`run_section` and ``write`` as the notebooks, without displaying anything).

    Parameters
    ----------
    slug : territory slug (``data/raw/<slug>/``)
    seed, n_draws : as the notebooks' parameters
    processed_dir : where to write (``None``: ``data/processed/<slug>/``, like the notebooks)
    sections : names of the sections to run, in the notebooks' order (default: every section)
    timings : if given, filled with the wall time of each section in seconds
    parameters : a section's own parameters by section name (e.g. ``{"actions": {"previous_study": "…"}}``)

    Raises
    ------
    InputError
        bad inputs (raised by the section that reads them, listing every problem).
    """
    unknown = set(sections or ()) - set(SECTIONS)
    if unknown:
        raise ValueError(f"unknown section(s) {sorted(unknown)}; sections: {list(SECTIONS)}")
    names = list(SECTIONS) if sections is None else [s for s in SECTIONS if s in set(sections)]
    from helpers.io.errors import InputError, InputProblem
    from helpers.io.territory import load_territory
    from helpers.run.pipeline import draws_memory_problem

    memory = draws_memory_problem(load_territory(slug), n_draws)
    if memory:  # the draws of this territory would not fit the memory a territory may use
        raise InputError(InputProblem("paramètres de l'étude", None, None, None, memory))
    for name in names:
        t0 = time.perf_counter()
        ctx = open_context(slug, processed_dir)
        run_section(name, ctx, seed, n_draws, **(parameters or {}).get(name, {})).write(ctx)
        if timings is not None:
            timings[name] = time.perf_counter() - t0
