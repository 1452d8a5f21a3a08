"""The study's computation without notebooks ("summary mode"): every section, in-process, in the notebooks' order.

``compute_sections(slug, seed, n_draws, processed_dir)`` calls exactly the functions that the code cells of
``notebooks/01_ingest`` … ``05_actions`` call, with the same arguments and in the same order, and skips the calls
that only display (tables, figures, Markdown). It writes the same processed tables and the same
``summary_<section>.json`` files, so ``helpers.publish.assemble_summary`` gives a byte-identical ``summary.json``
whether the study ran through papermill (``helpers.pipeline.run_study``) or here. Used by ``helpers.batch`` to run
many territories at once without paying a kernel start per notebook (``tooling-findings.md`` §2.2).

Each ``section_*`` function mirrors one notebook: it opens its own context, as the notebook does, so no state
passes from one section to the next except through the processed folder. When a notebook changes, the matching
function here must change with it; ``tests/test_batch.py`` checks that both modes give the same files.

A section whose notebook does not exist yet would be listed in :data:`NOT_WIRED` and skipped; every notebook of
``helpers.pipeline.NOTEBOOKS`` is mirrored now.
"""

from __future__ import annotations

import time

from helpers.context import open_context

DEFAULT_SEED = 20200101
DEFAULT_DRAWS = 10_000

#: Sections in the order of the notebooks, and the notebook each mirrors.
NOTEBOOK_OF: dict[str, str] = {
    "ingest": "01_ingest",
    "carbon": "02_carbon_balance",
    "services": "03_services_lca",
    "maturity": "04_maturity",
    "actions": "05_actions",
}

#: Defaults of the extra parameters of notebook 05's ``parameters`` cell (papermill injects only ``territory``,
#: ``seed``, ``processed_dir`` and ``n_draws``, so the notebook runs with these). A test compares them with the
#: notebook.
ACTIONS_PARAMETERS: dict = {"bau_growth_per_year": None, "target_share": 1 / 6, "discount_rate": 0.032}


def section_ingest(territory: str, seed: int, n_draws: int, processed_dir) -> None:
    """Notebook 01: validate every input, write the clean tables and the ``ingest`` summary."""
    from helpers.ingest import import_report_summary, ingest_all

    ctx = open_context(territory, processed_dir)
    report = ingest_all(ctx)
    inventory = report.tables["inventory"]
    ctx.write_summary("ingest", {
        "files_provided": report.provided,
        "inventory_lines": int(len(inventory)),
        "devices": int(inventory["quantity"].sum()),
        "warnings": [str(w) for w in report.warnings],
    }, top_level={"inputs": import_report_summary(report)})


def section_carbon(territory: str, seed: int, n_draws: int, processed_dir) -> None:
    """Notebook 02: the carbon balance (activities, Monte Carlo, breakdowns); tables and ``carbon`` summary."""
    from helpers import carbon

    ctx = open_context(territory, processed_dir)
    study = carbon.run_study(ctx, n_draws=n_draws, seed=seed)
    carbon.write_outputs(ctx, study)


def section_services(territory: str, seed: int, n_draws: int, processed_dir) -> None:
    """Notebook 03: services LCA, Monte Carlo, SWD, sensitivity, scenarios, RGESN; tables and ``services`` summary."""
    from helpers import services as sv

    ctx = open_context(territory, processed_dir)
    study = sv.run_study(ctx, n_draws=n_draws, seed=seed)
    study.write(ctx)


def section_maturity(territory: str, seed: int, n_draws: int, processed_dir) -> None:
    """Notebook 04: maturity scores, benchmark, Label NR indicative score, actions of the weak axes.

    The notebook computes ``weak_actions`` inside a display cell; this mirrors its code line by line (see the
    report of task F: ``helpers.maturity`` could expose ``run_section(ctx) -> result with .write(ctx)``).
    """
    from helpers import maturity as mat

    ctx = open_context(territory, processed_dir)
    axes = mat.load_axes()
    questions = mat.load_questions(axes=axes)
    answers, provided = mat.read_maturity_if_provided(ctx.raw / "maturity.csv", ctx.territory, questions)
    result = mat.assess(answers, ctx.territory, questions, axes)
    catalogue_path = ctx.reference / "actions_catalogue.csv"
    weak_actions = None
    if catalogue_path.exists():
        weak_actions = mat.actions_for_axes(result.weak_axes, mat.load_catalogue_axes(catalogue_path))
    ctx.write_table("maturity_scores", result.scores)
    ctx.write_table("maturity_score_matrix", mat.display_matrix(result))
    ctx.write_table("maturity_answers_clean", result.grid)
    ctx.write_table("maturity_benchmark", result.axis_benchmark)
    ctx.write_table("maturity_strengths", result.strengths)
    ctx.write_table("maturity_weaknesses", result.weaknesses)
    ctx.write_table("maturity_label_nr", result.label_themes)
    ctx.write_table("maturity_pillar_scores", result.pillars)
    if weak_actions is not None:
        ctx.write_table("maturity_weak_axis_actions", weak_actions)
    ctx.write_summary("maturity", result.summary() | {"questionnaire_provided": provided})


def section_actions(territory: str, seed: int, n_draws: int, processed_dir) -> None:
    """Notebook 05: evaluate the catalogue actions, rank them, roadmap, trajectory and carbon budget."""
    from helpers import actions

    ctx = open_context(territory, processed_dir)
    study = actions.run_study(ctx, n_draws=n_draws, seed=seed,
                              bau_growth_per_year=ACTIONS_PARAMETERS["bau_growth_per_year"],
                              target_share=ACTIONS_PARAMETERS["target_share"],
                              discount_rate=ACTIONS_PARAMETERS["discount_rate"])
    study.write(ctx)


#: Section name -> function mirroring its notebook, in the notebooks' order. Only wired sections are listed.
SECTIONS: dict = {
    "ingest": section_ingest,
    "carbon": section_carbon,
    "services": section_services,
    "maturity": section_maturity,
    "actions": section_actions,
}

#: Sections whose notebook does not exist yet, so there is nothing to mirror.
NOT_WIRED: tuple[str, ...] = tuple(s for s in NOTEBOOK_OF if s not in SECTIONS)


def compute_sections(slug: str, seed: int = DEFAULT_SEED, n_draws: int = DEFAULT_DRAWS, processed_dir=None,
                     sections=None, timings: dict | None = None) -> None:
    """Run the study's computation for ``slug`` in this process and write the processed tables and summaries.

    Parameters
    ----------
    slug : territory slug (``data/raw/<slug>/``)
    seed, n_draws : as the notebooks' parameters
    processed_dir : where to write (``None``: ``data/processed/<slug>/``, like the notebooks)
    sections : names of the sections to run, in the notebooks' order (default: every wired section)
    timings : if given, filled with the wall time of each section in seconds

    Raises
    ------
    InputError
        bad inputs (raised by the section that reads them, listing every problem).
    """
    names = list(SECTIONS) if sections is None else [s for s in SECTIONS if s in set(sections)]
    unknown = set(sections or ()) - set(SECTIONS)
    if unknown:
        raise ValueError(f"unknown or unwired section(s) {sorted(unknown)}; wired: {list(SECTIONS)}")
    for name in names:
        t0 = time.perf_counter()
        SECTIONS[name](slug, int(seed), int(n_draws), processed_dir)
        if timings is not None:
            timings[name] = time.perf_counter() - t0
