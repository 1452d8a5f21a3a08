"""Read and validate every input of a territory, report all problems of all files at once, write clean tables.

``ingest_all(ctx)`` is what ``01_ingest`` calls. Required files: ``territory.yaml`` (validated when the context
opens) and the inventory (``inventory.csv``/``.xlsx``/``.ods`` and/or a folder ``inventory/`` of asset-tool
exports). The other files are optional: a missing or header-only optional file is reported as "non fourni" in the
diagnostic and its part of the balance is absent (never invented). A template example row left in any file stops
the study, naming the file and the line.

The **import report** says, for every input file, the rows read, kept and excluded by reason, the columns recognised
and how, the columns ignored and the defaults applied: as ``data/processed/<slug>/import_report.csv``
(:func:`import_report_table`) and in ``summary.json`` under ``inputs`` (:func:`import_report_summary`). Its French
texts (short in the console and section 2, in full in section 8) and the territory's, the fleet's and the inclusion
context's display are in :mod:`helpers.report.ingest`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pandas as pd

from helpers.io.errors import InputError, InputProblem, display_path
from helpers.io.french import count_text

REQUIRED = ("inventory.csv",)

#: clean input table -> (module, schema) whose text columns are read back as text by ``Context.read_table``
INPUT_SCHEMAS: dict[str, tuple[str, str]] = {
    "inventory": ("io.inventory", "INVENTORY_SCHEMA"), "hosting": ("io.carbon_inputs", "HOSTING_SCHEMA"),
    "telecom": ("io.carbon_inputs", "TELECOM_SCHEMA"), "purchases": ("io.carbon_inputs", "PURCHASES_SCHEMA"),
    "printing": ("io.carbon_inputs", "PRINTING_SCHEMA"), "services": ("io.services_inputs", "SERVICES_SCHEMA"),
    "rgesn": ("io.rgesn_inputs", "RGESN_SCHEMA"), "maturity_answers": ("io.maturity_inputs", "MATURITY_SCHEMA"),
    "actions": ("io.catalogue", "ACTIONS_SCHEMA"), "factor_overrides": ("io.factors", "FACTOR_OVERRIDE_SCHEMA"),
}
#: text columns the inventory reader adds to its schema's (``helpers.io.inventory.read_inventory``)
INVENTORY_TEXT_COLUMNS = ("tier", "factor_item", "yearly_kwh_origin", "category_as_given", "lifetime_origin",
                          "source_file")


def text_columns(name: str) -> tuple[str, ...]:
    """The columns of the clean table ``name`` that hold text (ids, names, free text) whatever their values.

    A CSV has no types: read back, a text column left empty by a real export (no ``site``, no ``comment``) would
    become a float column of NaN, and the first id written into it (a merge of server rooms, ``sr-agglo``) a
    ``TypeError`` (issue 31). ``Context.read_table`` reads these columns as text; empty for a table that is not an
    input (its columns are the model's own)."""
    import importlib

    spec = INPUT_SCHEMAS.get(name)
    if spec is None:
        return ()
    schema = getattr(importlib.import_module(f"helpers.{spec[0]}"), spec[1])
    extra = INVENTORY_TEXT_COLUMNS if name == "inventory" else ()
    return tuple(c.name for c in schema.columns if c.kind == "str") + extra


@dataclass
class IngestReport:
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # plain frames: their report is in files, warnings
    provided: dict[str, bool] = field(default_factory=dict)
    warnings: list[InputProblem] = field(default_factory=list)
    files: list = field(default_factory=list)  # helpers.io.inventory.FileReport, one per input file read
    header_only: list[str] = field(default_factory=list)
    #: every excluded or merged inventory line (``helpers.io.inventory.excluded_lines_table``)
    excluded_lines: pd.DataFrame | None = None
    #: optional files looked for and not found (paths as in messages): listed in the import report
    absent: list[str] = field(default_factory=list)


def _readers(ctx, categories, tables, strict=None, levers=None):
    """(file name, clean table name, reader) in dependency order; each reader takes the path; ``levers``: the lever
    registry ``actions.csv`` is checked against (:func:`helpers.io.catalogue.read_actions`).

    Modules are imported only when their file is present, so the notebook stays import-light.
    """
    import importlib

    territory = ctx.territory

    def mod(name):
        return importlib.import_module(f"helpers.{name}")

    def hosting_ids():
        hosting = tables.get("hosting")
        return [] if hosting is None else list(hosting["site_id"])

    def inventory_sites():  # the inventory's sites are checked only against a provided hosting.csv
        hosting = tables.get("hosting")
        return None if hosting is None else list(hosting["site_id"])

    def service_ids():
        services = tables.get("services")
        return [] if services is None else list(services["service_id"])

    return [
        ("factor_overrides.csv", "factor_overrides", lambda p: mod("io.factors").read_factor_overrides(p)),
        ("hosting.csv", "hosting", lambda p: mod("io.carbon_inputs").read_hosting(p, territory)),
        ("inventory.csv", "inventory",
         lambda p: mod("io.inventory").read_inventory(p, territory, categories, inventory_sites(), strict=strict)),
        ("telecom.csv", "telecom", lambda p: mod("io.carbon_inputs").read_telecom(p, territory)),
        ("purchases.csv", "purchases", lambda p: mod("io.carbon_inputs").read_purchases(p, territory)),
        ("printing.csv", "printing", lambda p: mod("io.carbon_inputs").read_printing(p, territory)),
        ("services.csv", "services", lambda p: mod("io.services_inputs").read_services(p, hosting_ids())),
        ("rgesn.csv", "rgesn", lambda p: mod("io.rgesn_inputs").read_rgesn(p, service_ids())),
        ("maturity.csv", "maturity_answers",
         lambda p: (m := mod("io.maturity_inputs")).read_maturity(p, territory, m.load_questions())),
        ("unit_prices.csv", "unit_prices", lambda p: mod("io.prices").read_territory_prices(p)),
        # the territory's open data (issue 35): the état des lieux of digital uses, every file optional
        ("communes.csv", "communes", lambda p: mod("io.territory_data").read_communes(p)),
        ("establishments.csv", "establishments", lambda p: mod("io.territory_data").read_establishments(p)),
        ("schools.csv", "schools", lambda p: mod("io.territory_data").read_schools(p)),
        ("connectivity.csv", "connectivity", lambda p: mod("io.territory_data").read_connectivity(p)),
        ("datacentres.csv", "datacentres", lambda p: mod("io.territory_data").read_datacentres(p)),
        ("digital_fragility.csv", "digital_fragility", lambda p: mod("io.territory_data").read_fragility(p)),
        ("priorities.csv", "priorities", lambda p: mod("io.priorities").read_priorities(p)),
        ("actions.csv", "actions",
         lambda p: (m := mod("io.catalogue")).read_actions(p, m.load_catalogue(levers=levers), territory,
                                                           list(categories["category"]), hosting_ids(), service_ids(),
                                                           levers=levers)),
    ]


def _read(reader, source, problems: list[InputProblem]):
    """``reader(source)`` and its report (``take_report``: the clean table is left a plain frame), or ``(None,
    None)`` with the reader's problems and warnings added to ``problems``."""
    from helpers.io.tables import take_report

    try:
        df = reader(source)
    except InputError as exc:
        problems.extend(exc.problems)
        problems.extend(exc.warnings)
        return None, None
    return df, take_report(df)


def ingest_all(ctx, strict: bool | None = None, levers=None) -> IngestReport:
    """Validate every input file of ``ctx``'s territory; raise one :class:`InputError` listing every problem.

    ``strict`` (default ``SNR_STRICT=1``, set by ``snr study --strict``): unknown device types are errors instead of
    excluded rows. ``levers``: the lever registry (:data:`helpers.model.levers.LEVERS`, passed by the run layer)
    that checks the parameters and targets of ``actions.csv`` (without it they are checked when the action plan is
    built). The import report is written as ``import_report.csv`` in the processed folder.
    """
    from helpers.io.factors import load_categories

    categories = load_categories()
    report = IngestReport()
    problems: list[InputProblem] = []
    for file, name, reader in _readers(ctx, categories, report.tables, strict, levers):
        if name == "inventory":
            _ingest_inventory(ctx, file, reader, report, problems)
        else:
            _ingest_file(ctx, file, name, reader, report, problems)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    report.warnings.extend(p for p in problems if p.severity != "error")
    _write_ingested(ctx, report)
    return report


def _ingest_inventory(ctx, file: str, reader, report: IngestReport, problems: list[InputProblem]) -> None:
    """The inventory (``inventory.csv`` or the exports in ``inventory/``): read into ``report`` (table, per-file
    reports, warnings, excluded lines), or its problems added to ``problems`` (absent, header only, unreadable)."""
    from helpers.io.inventory import inventory_sources

    sources = inventory_sources(ctx.raw)
    report.provided[file] = bool(sources)
    if not sources:
        problems.append(InputProblem(f"data/raw/{ctx.slug}/{file}", None, None, None,
                                     "ce fichier obligatoire, ou un dossier inventory/ d'exports "
                                     "(voir le README du dossier et 'make new-territory')"))
        return
    if len(sources) == 1 and sources[0].parent == ctx.raw and not _has_data_rows(sources[0]):
        problems.append(InputProblem(
            display_path(sources[0]), None, None, None,
            "un inventaire : ce fichier n'a que son en-tête et le dossier inventory/ est vide ; copiez "
            "l'export de votre outil de parc (GLPI, Snipe-IT, OCS, ServiceNow… tel quel) dans inventory/, "
            "ou remplissez ce fichier (voir le README du dossier)"))
        return
    df, meta = _read(reader, sources, problems)
    if df is None:
        return
    report.files.extend(meta.get("import_report", []))
    report.warnings.extend(meta.get("warnings", []))
    report.excluded_lines = mod_inventory().excluded_lines_table(meta.get("import_report", []))
    if "hosting" not in report.tables and df["site"].notna().any():
        report.warnings.append(_unhosted_sites(df))
        df["site"] = None
    report.tables["inventory"] = df


def _unhosted_sites(df) -> InputProblem:
    """The warning for inventory lines naming a hosting site while ``hosting.csv`` is not provided (the site is
    ignored)."""
    named = df["site"].notna()
    quantity = df.loc[named, "quantity"].sum()
    return InputProblem(
        ", ".join(sorted(set(df.loc[named, "source_file"]))), None, "site", None,
        f"{count_text(int(quantity), 'équipement')} "
        f"{'nomment' if quantity >= 2 else 'nomme'} un site d'hébergement "
        f"({', '.join(sorted(set(df.loc[named, 'site'])))}) alors que hosting.csv n'est pas fourni : "
        "site ignoré", severity="warning", kind="note")


def _ingest_file(ctx, file: str, name: str, reader, report: IngestReport, problems: list[InputProblem]) -> None:
    """One territory file other than the inventory (its ``.xlsx`` twin when the CSV is absent): absent and
    header-only files are noted in ``report``; a file with template example rows or bad cells adds its problems;
    else its table and reading report go into ``report``."""
    from helpers.io.inventory import FileReport
    from helpers.io.tables import example_rows

    path = ctx.raw / file
    if not os.path.lexists(path) and os.path.lexists(path.with_suffix(".xlsx")):
        path = path.with_suffix(".xlsx")  # the same table exported from a spreadsheet
    if not os.path.lexists(path):  # a dangling or looping link is present: the reader refuses it below
        report.provided[file] = False
        report.absent.append(display_path(path))
        return
    if not _has_data_rows(path):
        report.provided[file] = False
        report.header_only.append(file)
        return
    report.provided[file] = True
    try:
        examples = example_rows(path)
    except InputError as exc:
        problems.extend(exc.problems)
        return
    if examples:
        problems.append(InputProblem(display_path(path), examples[0], None, None,
                                     "aucune ligne d'exemple du modèle (marquée 'EXEMPLE' ou 'exemple' = oui) : "
                                     "supprimez-la ou remplacez-la par vos données", count=len(examples),
                                     rows=tuple(examples[:5])))
        return
    df, meta = _read(reader, path, problems)
    if df is None:
        return
    report.warnings.extend(meta.get("warnings", []))
    report.tables[name] = df
    fr = FileReport(display_path(path), rows_read=int(meta.get("rows_read", len(df))), rows_kept=int(len(df)))
    fr.columns = dict(meta.get("columns", {}))
    fr.ignored = list(meta.get("ignored", []))
    fr.decimals = dict(meta.get("decimals", {}))
    report.files.append(fr)


def _write_ingested(ctx, report: IngestReport) -> None:
    """Every clean table, the import report and the excluded lines (a previous run's list removed when none is)
    written to the processed folder."""
    for name, df in report.tables.items():
        ctx.write_table(name, df.drop(columns=["_line"], errors="ignore"))
    ctx.write_table("import_report", import_report_table(report))
    excluded = ctx.processed / f"{EXCLUDED_LINES}.csv"
    if report.excluded_lines is not None and len(report.excluded_lines):
        ctx.write_table(EXCLUDED_LINES, report.excluded_lines)
    elif excluded.exists():  # a previous interactive run's list, not this one's
        excluded.unlink()


#: Table of every excluded or merged inventory line (``data/processed/<slug>/excluded_lines.csv``; sheet « Lignes
#: exclues » of ``tables.xlsx``), written only when some line was excluded.
EXCLUDED_LINES = "excluded_lines"


def mod_inventory():
    import importlib

    return importlib.import_module("helpers.io.inventory")


def _has_data_rows(path) -> bool:
    from helpers.io.tables import has_data_rows

    return has_data_rows(path)


def import_report_table(report: IngestReport) -> pd.DataFrame:
    """The import report as a long table: one row per (file, item), ``item`` one of ``rows_read``, ``rows_kept``,
    ``excluded``, ``column``, ``ignored``, ``default``, ``refined`` (rows read otherwise than as written: screen
    size from the model name, status badges, misspelt statuses), ``warning``; ``key`` the reason, column, default
    or refinement; ``value`` a count or the header as written; ``detail`` how it was recognised, why it was ignored,
    what the refinement means, or the warning in French."""
    rows = []
    for f in report.files:
        rows.append((f.file, "rows_read", "", f.rows_read, ""))
        rows.append((f.file, "rows_kept", "", f.rows_kept, ""))
        rows += [(f.file, "excluded", reason, n, "") for reason, n in sorted(f.excluded.items())]
        rows += [(f.file, "column", col, header, how) for col, (header, how) in f.columns.items()]
        rows += [(f.file, "ignored", header, "", why) for header, why in f.ignored]
        rows += [(f.file, "default", col, n, "") for col, n in sorted(f.defaults.items()) if n]
        rows += [(f.file, "refined", key, n, refined_fr(key)) for key, n in sorted(getattr(f, "refined", {}).items())
                 if n]
        rows += [(f.file, "decimal", col, "", note) for col, note in sorted(getattr(f, "decimals", {}).items())]
    rows += _warning_rows(report.warnings)
    for file in report.header_only:
        rows.append((file, "header_only", "", 0, "en-tête seul : traité comme non fourni"))
    for file in report.absent:
        rows.append((file, "absent", "", 0, "absent : fichier facultatif non fourni"))
    return pd.DataFrame(rows, columns=["file", "item", "key", "value", "detail"])


def _warning_rows(warnings: list[InputProblem]) -> list[tuple]:
    """Rows ``(file, "warning", column, count, French line)`` for the warnings that say what was expected (unknown
    types, tags shared by different assets, statuses read as the closest known one…), grouped as the console prints
    them; the notes (columns ignored, lines excluded, defaults) are already items of the report."""
    from helpers.io.errors import _group_line

    groups: dict[tuple, list[InputProblem]] = {}
    for p in warnings:
        if p.severity != "error" and p.kind != "note":
            groups.setdefault((p.file, p.column, p.expected), []).append(p)
    return [(file, "warning", column or "", sum(p.count for p in group), _group_line(group))
            for (file, column, _), group in groups.items()]


def refined_fr(key: str) -> str:
    """French meaning of a refinement key of the import report (``helpers.io.inventory.REFINED_FR``)."""
    return mod_inventory().REFINED_FR.get(key, key)


def import_report_summary(report: IngestReport) -> dict:
    """``inputs`` of ``summary.json``: ``{"<file>": {"rows_read": n, "rows_kept": n, "excluded": {"<reason>": n}}}``."""
    return {f.file: f.as_summary() for f in report.files}


def load_inclusion_context(reference_dir=None) -> pd.DataFrame:
    """National digital-inclusion indicators (INSEE), with their source and vintage."""
    from helpers.io.paths import REFERENCE_DIR

    return pd.read_csv((reference_dir or REFERENCE_DIR) / "inclusion_context.csv")
