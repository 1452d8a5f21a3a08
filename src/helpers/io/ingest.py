"""Read and validate every input of a territory, report all problems of all files at once, write clean tables.

``ingest_all(ctx)`` is what ``01_ingest`` calls. Required files: ``territory.yaml`` (validated when the context
opens) and the inventory (``inventory.csv``/``.xlsx``/``.ods`` and/or a folder ``inventory/`` of asset-tool
exports). The other files are optional: a missing or header-only optional file is reported as "non fourni" in the
diagnostic and its part of the balance is absent (never invented). A template example row left in any file stops
the study, naming the file and the line.

The **import report** says, for every input file, the rows read, kept and excluded by reason, the columns recognised
and how, the columns ignored and the defaults applied: short in the console and section 2
(:func:`import_report_short`), in full in section 8 (:func:`import_report_markdown`), as
``data/processed/<slug>/import_report.csv`` (:func:`import_report_table`) and in ``summary.json`` under ``inputs``
(:func:`import_report_summary`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from helpers.io.errors import InputError, InputProblem, display_path

REQUIRED = ("inventory.csv",)


@dataclass
class IngestReport:
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # plain frames: their report is in files, warnings
    provided: dict[str, bool] = field(default_factory=dict)
    warnings: list[InputProblem] = field(default_factory=list)
    files: list = field(default_factory=list)  # helpers.io.inventory.FileReport, one per input file read
    header_only: list[str] = field(default_factory=list)


#: what each input file holds, in the words of the page's readers (file names stay in the annex's import report)
INPUT_NAMES_FR: dict[str, str] = {
    "factor_overrides.csv": "facteurs propres à la collectivité",
    "hosting.csv": "hébergement (salles serveurs, centres de données, nuage)",
    "inventory.csv": "inventaire du parc",
    "telecom.csv": "télécoms",
    "purchases.csv": "achats de services et logiciels",
    "printing.csv": "impressions",
    "services.csv": "services numériques clés",
    "rgesn.csv": "auto-évaluation RGESN",
    "maturity.csv": "questionnaire de maturité",
    "actions.csv": "choix du plan d'actions",
}


def _readers(ctx, categories, tables, strict=None):
    """(file name, clean table name, reader) in dependency order; each reader takes the path.

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
        ("services.csv", "services", lambda p: mod("model.services").read_services(p, hosting_ids())),
        ("rgesn.csv", "rgesn", lambda p: mod("model.rgesn").read_rgesn(p, service_ids())),
        ("maturity.csv", "maturity_answers",
         lambda p: (m := mod("model.maturity")).read_maturity(p, territory, m.load_questions())),
        ("actions.csv", "actions",
         lambda p: (m := mod("plan.actions")).read_actions(p, m.load_catalogue(), territory, list(categories["category"]),
                                                      hosting_ids(), service_ids())),
    ]


def ingest_all(ctx, strict: bool | None = None) -> IngestReport:
    """Validate every input file of ``ctx``'s territory; raise one :class:`InputError` listing every problem.

    ``strict`` (default ``SNR_STRICT=1``, set by ``snr study --strict``): unknown device types are errors instead of
    excluded rows. The import report is written as ``import_report.csv`` in the processed folder.
    """
    from helpers.io.factors import load_categories
    from helpers.io.inventory import FileReport, inventory_sources
    from helpers.io.tables import example_rows, take_report

    categories = load_categories()
    report = IngestReport()
    problems: list[InputProblem] = []
    for file, name, reader in _readers(ctx, categories, report.tables, strict):
        if name == "inventory":
            sources = inventory_sources(ctx.raw)
            report.provided[file] = bool(sources)
            if not sources:
                problems.append(InputProblem(f"data/raw/{ctx.slug}/{file}", None, None, None,
                                             "ce fichier obligatoire, ou un dossier inventory/ d'exports "
                                             "(voir le README du dossier et 'make new-territory')"))
                continue
            try:
                df = reader(sources)
            except InputError as exc:
                problems.extend(exc.problems)
                problems.extend(exc.warnings)
                continue
            meta = take_report(df)  # the report stays here; the clean table is a plain frame
            report.files.extend(meta.get("import_report", []))
            report.warnings.extend(meta.get("warnings", []))
            if "hosting" not in report.tables and df["site"].notna().any():
                named = df["site"].notna()
                report.warnings.append(InputProblem(
                    ", ".join(sorted(set(df.loc[named, "source_file"]))), None, "site", None,
                    f"{int(df.loc[named, 'quantity'].sum())} équipement(s) nomment un site d'hébergement "
                    f"({', '.join(sorted(set(df.loc[named, 'site'])))}) alors que hosting.csv n'est pas fourni : "
                    "site ignoré", severity="warning", kind="note"))
                df["site"] = None
            report.tables[name] = df
            continue
        path = ctx.raw / file
        if not path.exists() and path.with_suffix(".xlsx").exists():
            path = path.with_suffix(".xlsx")  # the same table exported from a spreadsheet
        if not path.exists() or not _has_data_rows(path):
            report.provided[file] = False
            if path.exists():
                report.header_only.append(file)
            continue
        report.provided[file] = True
        try:
            examples = example_rows(path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if examples:
            problems.append(InputProblem(display_path(path), examples[0], None, None,
                                         "aucune ligne d'exemple du modèle (marquée 'EXEMPLE' ou 'exemple' = oui) : "
                                         "supprimez-la ou remplacez-la par vos données", count=len(examples),
                                         rows=tuple(examples[:5])))
            continue
        try:
            df = reader(path)
        except InputError as exc:
            problems.extend(exc.problems)
            problems.extend(exc.warnings)
            continue
        meta = take_report(df)  # the report stays here; the clean table is a plain frame
        report.warnings.extend(meta.get("warnings", []))
        report.tables[name] = df
        fr = FileReport(display_path(path), rows_read=int(len(df)), rows_kept=int(len(df)))
        fr.columns = dict(meta.get("columns", {}))
        fr.ignored = list(meta.get("ignored", []))
        report.files.append(fr)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    report.warnings.extend(p for p in problems if p.severity != "error")
    for name, df in report.tables.items():
        ctx.write_table(name, df.drop(columns=["_line"], errors="ignore"))
    ctx.write_table("import_report", import_report_table(report))
    return report


def _has_data_rows(path) -> bool:
    from helpers.io.tables import has_data_rows

    return has_data_rows(path)


#: Where the value of a column came from, in French.
HOW_FR = {"exact": "nom exact", "synonyme": "synonyme", "synonyme après préfixe": "synonyme (après le préfixe de groupe)",
          "nom du fichier": "nom du fichier"}
#: Defaults applied, in French.
DEFAULT_FR = {"quantity": "quantité 1 par ligne (une ligne par équipement)",
              "quality": "qualité de la donnée (haute pour un export d'outil de parc, moyenne sinon)",
              "entity": "entité unique du territoire",
              "lifetime_years": "durée de vie de la catégorie",
              "purchase_year": "sans date d'achat ni âge (âge inconnu)",
              "yearly_kwh": "consommation annuelle de la catégorie",
              "rated_power_w": "puissance nominale (plaque, alimentation) non prise pour une puissance moyenne : "
                               "consommation de la catégorie retenue"}


def import_report_table(report: IngestReport) -> pd.DataFrame:
    """The import report as a long table: one row per (file, item), ``item`` one of ``rows_read``, ``rows_kept``,
    ``excluded``, ``column``, ``ignored``, ``default``; ``key`` the reason, column or default; ``value`` a count or
    the header as written; ``detail`` how it was recognised or why it was ignored."""
    rows = []
    for f in report.files:
        rows.append((f.file, "rows_read", "", f.rows_read, ""))
        rows.append((f.file, "rows_kept", "", f.rows_kept, ""))
        rows += [(f.file, "excluded", reason, n, "") for reason, n in sorted(f.excluded.items())]
        rows += [(f.file, "column", col, header, how) for col, (header, how) in f.columns.items()]
        rows += [(f.file, "ignored", header, "", why) for header, why in f.ignored]
        rows += [(f.file, "default", col, n, "") for col, n in sorted(f.defaults.items()) if n]
    for file in report.header_only:
        rows.append((file, "header_only", "", 0, "en-tête seul : traité comme non fourni"))
    return pd.DataFrame(rows, columns=["file", "item", "key", "value", "detail"])


def import_report_summary(report: IngestReport) -> dict:
    """``inputs`` of ``summary.json``: ``{"<file>": {"rows_read": n, "rows_kept": n, "excluded": {"<reason>": n}}}``."""
    return {f.file: f.as_summary() for f in report.files}


def import_report_short(report: IngestReport, escape=str) -> str:
    """French lines, one per input file: rows read, kept, excluded by reason (console and section 2).

    ``escape`` is applied to the file names (``helpers.report.plotting.esc`` for Markdown).
    """
    from helpers.io.inventory import REASON_FR

    lines = []
    for f in report.files:
        excl = ", ".join(f"{n} {REASON_FR.get(r, r)}" for r, n in sorted(f.excluded.items()))
        lines.append(f"- {escape(f.file)} : {f.rows_read} lignes lues, {f.rows_kept} conservées"
                     + (f" ; exclues : {excl}" if excl else ""))
    for file in report.header_only:
        lines.append(f"- {escape(file)} : en-tête seul, traité comme non fourni")
    return "\n".join(lines)


def import_report_sentence(report: IngestReport) -> str:
    """One French sentence for section 2: rows read and kept over every input file, rows excluded by reason (the
    detail per file is in section 8, :func:`import_report_markdown`)."""
    from helpers.io.inventory import REASON_FR

    if not report.files:
        return ""
    read = sum(f.rows_read for f in report.files)
    kept = sum(f.rows_kept for f in report.files)
    excluded: dict[str, int] = {}
    for f in report.files:
        for reason, n in f.excluded.items():
            excluded[reason] = excluded.get(reason, 0) + n
    text = (f"Rapport d'import : {read} lignes lues dans {len(report.files)} fichier(s), {kept} conservées")
    if excluded:
        text += " ; exclues : " + ", ".join(f"{n} {REASON_FR.get(k, k)}" for k, n in sorted(excluded.items()))
    return text + " (détail par fichier en partie 8)."


def import_report_console(processed) -> str:
    """French lines for the console after a study: per input file, rows read, kept and excluded by reason (from
    ``import_report.csv`` of the processed folder; empty when there is none)."""
    from pathlib import Path

    from helpers.io.inventory import REASON_FR

    path = Path(processed) / "import_report.csv"
    if not path.exists():
        return ""
    table = pd.read_csv(path, keep_default_na=False, dtype=str)
    lines = ["Rapport d'import :"]
    for file, rows in table.groupby("file", sort=False):
        get = dict(zip(rows["item"], rows["value"], strict=False))
        if "header_only" in get:
            lines.append(f"  - {file} : en-tête seul, traité comme non fourni")
            continue
        excl = rows[rows["item"] == "excluded"]
        text = f"  - {file} : {get.get('rows_read', '?')} lignes lues, {get.get('rows_kept', '?')} conservées"
        if len(excl):
            text += " ; exclues : " + ", ".join(f"{n} {REASON_FR.get(k, k)}" for k, n in zip(excl["key"], excl["value"], strict=True))
        lines.append(text)
    return "\n".join(lines)


def import_report_markdown(processed) -> str:
    """French detail of the import report for section 8, from ``import_report.csv`` of the processed folder."""
    from pathlib import Path

    from helpers.io.inventory import REASON_FR
    from helpers.report.plotting import esc

    path = Path(processed) / "import_report.csv"
    out = ["### Rapport d'import des fichiers d'entrée", ""]
    if not path.exists():
        return "\n".join(out + ["Rapport d'import non disponible."])
    table = pd.read_csv(path, keep_default_na=False, dtype=str)
    for file, rows in table.groupby("file", sort=False):
        get = dict(zip(rows["item"], rows["value"], strict=False))
        if "header_only" in get:
            out.append(f"- {esc(file)} : en-tête seul, traité comme non fourni.")
            continue
        excl = rows[rows["item"] == "excluded"]
        cols = rows[rows["item"] == "column"]
        ign = rows[rows["item"] == "ignored"]
        dflt = rows[rows["item"] == "default"]
        text = f"- {esc(file)} : {get.get('rows_read', '?')} lignes lues, {get.get('rows_kept', '?')} conservées"
        if len(excl):
            text += " ; exclues : " + ", ".join(f"{n} {REASON_FR.get(k, k)}" for k, n in zip(excl["key"], excl["value"], strict=True))
        text += "."
        exact = cols["detail"] == "exact"
        if exact.any():
            text += f" {int(exact.sum())} colonne(s) au nom exact du modèle."
        if (~exact).any():
            text += " Colonnes reconnues : " + ", ".join(
                f"« {esc(h)} » → `{c}` ({HOW_FR.get(how, how)})"
                for c, h, how in zip(cols.loc[~exact, "key"], cols.loc[~exact, "value"], cols.loc[~exact, "detail"],
                                     strict=True)) + "."
        if len(ign):
            text += " Colonnes ignorées : " + ", ".join(f"« {esc(h)} »" for h in ign["key"]) + "."
        if len(dflt):
            text += " Valeurs par défaut : " + ", ".join(
                f"{DEFAULT_FR.get(k, k)} ({n} lignes)" for k, n in zip(dflt["key"], dflt["value"], strict=True)) + "."
        out.append(text)
    out += ["", "Valeurs par défaut des catégories (durée de vie, puissance, heures d'utilisation, consommation) : "
            "`data/raw/reference/categories.csv`, avec leurs sources ; l'origine de chaque consommation annuelle "
            "(donnée, puissance × heures ou valeur de la catégorie) est dans la table `inventory`."]
    return "\n".join(out)


def fleet_overview(inventory: pd.DataFrame, categories: pd.DataFrame) -> pd.DataFrame:
    """Quantities by category (rows, French labels) and entity (columns), with a total column."""
    labels = categories.set_index("category")["label_fr"]
    from helpers.report.page_budget import top_columns

    table = inventory.pivot_table(index="category", columns="entity", values="quantity", aggfunc="sum", fill_value=0)
    table = top_columns(table, list(table.columns))  # at most 6 entity columns on the page (page budget)
    table["Total"] = table.sum(axis=1)
    table = table.sort_values("Total", ascending=False).astype(int)
    table.columns.name = None
    table.index = [labels.get(c, c) for c in table.index]
    table.index.name = "Catégorie"
    return table.reset_index()


def territory_markdown(territory, report: IngestReport) -> str:
    """French description of the territory, its entities and the inputs provided (input strings escaped)."""
    from helpers.report.plotting import esc, fr_number

    lines = [
        f"**{esc(territory.name)}** — {fr_number(territory.population)} habitants, {fr_number(territory.agents)} agents, "
        f"année de référence {territory.reference_year}, objectif {territory.target_year}.",
        "",
        "Entités dans le périmètre :",
        "",
    ]
    from helpers.report.page_budget import (  # long lists summarised (page budget)
        listed_inline,
        listed_markdown,
    )
    from helpers.report.plotting import code

    lines += listed_markdown([f"{esc(e.name)} ({code(e.id)})" for e in territory.entities], "entités")
    if territory.peers:
        lines += ["", "Collectivités de comparaison (maturité) : "
                  + listed_inline([esc(p.name) for p in territory.peers], "collectivités") + "."]
    # one sentence, not one list item per file (page budget, issue 20); the full import report is in the annex
    given = [file for file, ok in report.provided.items() if ok]
    missing = [file for file, ok in report.provided.items() if not ok]
    def named(files):
        return ", ".join(esc(INPUT_NAMES_FR.get(f, f)) for f in files)

    lines += ["", f"Données fournies et validées : {named(given) or 'aucune'}."
              + (f" Non fournies (partie absente du diagnostic) : {named(missing)}." if missing else "")
              + (" " + import_report_sentence(report) if report.files else "")]
    if report.warnings:
        from helpers.io.errors import grouped_lines

        lines += ["", "Avertissements :", ""] + [f"- {esc(w)}" for w in grouped_lines(report.warnings)]
    return "\n".join(lines)


def fleet_figure(inventory: pd.DataFrame, categories: pd.DataFrame, names: dict[str, str] | None = None):
    """Horizontal bars: number of devices per category, stacked by entity; the legend, below the bars, gives each
    entity's name (``names``: entity id -> name, e.g. from the territory), never its code."""
    from helpers.report.plotting import PALETTE, setup

    plt = setup()
    labels = categories.set_index("category")["label_fr"]
    from helpers.report.page_budget import top_columns

    table = inventory.pivot_table(index="category", columns="entity", values="quantity", aggfunc="sum", fill_value=0)
    table = top_columns(table, list(table.columns))  # a readable legend however many entities
    table = table.loc[table.sum(axis=1).sort_values().index]
    fig, ax = plt.subplots(figsize=(7.5, 0.28 * len(table) + 1.2))
    left = None
    for i, entity in enumerate(table.columns):
        ax.barh([labels.get(c, c) for c in table.index], table[entity], left=left,
                label=(names or {}).get(entity, entity),
                color=PALETTE[i % len(PALETTE)], edgecolor="white", linewidth=0.5)
        left = table[entity] if left is None else left + table[entity]
    ax.set_xlabel("Nombre d'équipements")
    ax.legend(frameon=False, fontsize=9, loc="upper center", bbox_to_anchor=(0.4, -0.1 * 6 / fig.get_figheight()),
              ncol=1)
    fig.tight_layout()
    return fig


def load_inclusion_context(reference_dir=None) -> pd.DataFrame:
    """National digital-inclusion indicators (INSEE), with their source and vintage."""
    from helpers.io.paths import REFERENCE_DIR

    return pd.read_csv((reference_dir or REFERENCE_DIR) / "inclusion_context.csv")


def inclusion_markdown(territory, context: pd.DataFrame) -> str:
    """French paragraph: the national illectronisme rate and what it would mean at the territory's scale.

    The territorial figure is an upper-bound order of magnitude: the national rate (people aged 15 and over) applied
    to the whole population, since the age structure is not an input.
    """
    from helpers.report.plotting import fr_number

    row = context.set_index("indicator").loc["illectronisme"]
    people = territory.population * float(row["value"])
    old = context.set_index("indicator").loc["illectronisme_75_plus"]
    return (
        f"**Inclusion numérique.** En France, {fr_number(100 * row['value'], 1)} % des personnes de 15 ans et plus "
        f"sont en situation d'illectronisme ({int(row['vintage'])}, INSEE) et {fr_number(100 * old['value'], 0)} % "
        f"des 75 ans et plus. Appliqué à la population du territoire, ce taux correspondrait à environ "
        f"{fr_number(round(people, -2))} habitants (ordre de grandeur majorant : le taux national porte sur les "
        f"15 ans et plus). Source : {row['source'].split(' ')[0]}."
    )
