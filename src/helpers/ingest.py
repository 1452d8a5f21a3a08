"""Read and validate every input of a territory, report all problems of all files at once, write clean tables.

``ingest_all(ctx)`` is what ``01_ingest`` calls. Required files: ``territory.yaml`` (validated when the context
opens) and ``inventory.csv``. The other files are optional: a missing optional file is reported as "not provided"
in the diagnostic and its part of the balance is absent (never invented).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from helpers.errors import InputError, InputProblem

REQUIRED = ("inventory.csv",)


@dataclass
class IngestReport:
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    provided: dict[str, bool] = field(default_factory=dict)
    warnings: list[InputProblem] = field(default_factory=list)


def _readers(ctx, categories, tables):
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

    def service_ids():
        services = tables.get("services")
        return [] if services is None else list(services["service_id"])

    return [
        ("factor_overrides.csv", "factor_overrides", lambda p: mod("factors").read_factor_overrides(p)),
        ("hosting.csv", "hosting", lambda p: mod("carbon_inputs").read_hosting(p, territory)),
        ("inventory.csv", "inventory", lambda p: mod("inventory").read_inventory(p, territory, categories, hosting_ids())),
        ("telecom.csv", "telecom", lambda p: mod("carbon_inputs").read_telecom(p, territory)),
        ("purchases.csv", "purchases", lambda p: mod("carbon_inputs").read_purchases(p, territory)),
        ("printing.csv", "printing", lambda p: mod("carbon_inputs").read_printing(p, territory)),
        ("services.csv", "services", lambda p: mod("services").read_services(p, hosting_ids())),
        ("rgesn.csv", "rgesn", lambda p: mod("rgesn").read_rgesn(p, service_ids())),
        ("maturity.csv", "maturity_answers",
         lambda p: (m := mod("maturity")).read_maturity(p, territory, m.load_questions())),
        ("actions.csv", "actions",
         lambda p: (m := mod("actions")).read_actions(p, m.load_catalogue(), territory, list(categories["category"]),
                                                      hosting_ids(), service_ids())),
    ]


def ingest_all(ctx) -> IngestReport:
    """Validate every input file of ``ctx``'s territory; raise one :class:`InputError` listing every problem."""
    from helpers.factors import load_categories

    categories = load_categories()
    report = IngestReport()
    problems: list[InputProblem] = []
    for file, name, reader in _readers(ctx, categories, report.tables):
        path = ctx.raw / file
        if not path.exists() and path.with_suffix(".xlsx").exists():
            path = path.with_suffix(".xlsx")  # the same table exported from a spreadsheet
        if not path.exists():
            report.provided[file] = False
            if file in REQUIRED:
                problems.append(InputProblem(f"data/raw/{ctx.slug}/{file}", None, None, None,
                                             "this required file (see the folder's README and 'make new-territory')"))
            continue
        report.provided[file] = True
        try:
            df = reader(path)
        except InputError as exc:
            problems.extend(exc.problems)
            problems.extend(exc.warnings)
            continue
        report.warnings.extend(df.attrs.get("warnings", []))
        report.tables[name] = df
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    report.warnings.extend(p for p in problems if p.severity != "error")
    for name, df in report.tables.items():
        ctx.write_table(name, df.drop(columns=["_line"], errors="ignore"))
    return report


def fleet_overview(inventory: pd.DataFrame, categories: pd.DataFrame) -> pd.DataFrame:
    """Quantities by category (rows, French labels) and entity (columns), with a total column."""
    labels = categories.set_index("category")["label_fr"]
    table = inventory.pivot_table(index="category", columns="entity", values="quantity", aggfunc="sum", fill_value=0)
    table["Total"] = table.sum(axis=1)
    table = table.sort_values("Total", ascending=False).astype(int)
    table.columns.name = None
    table.index = [labels.get(c, c) for c in table.index]
    table.index.name = "Catégorie"
    return table.reset_index()


def territory_markdown(territory, report: IngestReport) -> str:
    """French description of the territory, its entities and the inputs provided (input strings escaped)."""
    from helpers.plotting import esc, fr_number

    lines = [
        f"**{esc(territory.name)}** — {fr_number(territory.population)} habitants, {fr_number(territory.agents)} agents, "
        f"année de référence {territory.reference_year}, objectif {territory.target_year}.",
        "",
        "Entités dans le périmètre :",
        "",
    ]
    lines += [f"- {esc(e.name)} (`{esc(e.id)}`)" for e in territory.entities]
    if territory.peers:
        lines += ["", "Collectivités de comparaison (maturité) : " + ", ".join(esc(p.name) for p in territory.peers) + "."]
    lines += ["", "Fichiers d'entrée :", ""]
    for file, ok in report.provided.items():
        lines.append(f"- `{file}` : {'fourni et validé' if ok else 'non fourni (partie absente du diagnostic)'}")
    if report.warnings:
        lines += ["", "Avertissements :", ""] + [f"- {esc(w)}" for w in report.warnings]
    return "\n".join(lines)


def fleet_figure(inventory: pd.DataFrame, categories: pd.DataFrame):
    """Horizontal bars: number of devices per category, stacked by entity (hatched so colour is not needed)."""
    from helpers.plotting import HATCHES, PALETTE, setup

    plt = setup()
    labels = categories.set_index("category")["label_fr"]
    table = inventory.pivot_table(index="category", columns="entity", values="quantity", aggfunc="sum", fill_value=0)
    table = table.loc[table.sum(axis=1).sort_values().index]
    fig, ax = plt.subplots(figsize=(7.5, 0.28 * len(table) + 1.2))
    left = None
    for i, entity in enumerate(table.columns):
        ax.barh([labels.get(c, c) for c in table.index], table[entity], left=left, label=entity,
                color=PALETTE[i % len(PALETTE)], hatch=HATCHES[i % len(HATCHES)], edgecolor="white", linewidth=0.5)
        left = table[entity] if left is None else left + table[entity]
    ax.set_xlabel("Nombre d'équipements")
    ax.legend(title="Entité", frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def load_inclusion_context(reference_dir=None) -> pd.DataFrame:
    """National digital-inclusion indicators (INSEE), with their source and vintage."""
    from helpers.paths import REFERENCE_DIR

    return pd.read_csv((reference_dir or REFERENCE_DIR) / "inclusion_context.csv")


def inclusion_markdown(territory, context: pd.DataFrame) -> str:
    """French paragraph: the national illectronisme rate and what it would mean at the territory's scale.

    The territorial figure is an upper-bound order of magnitude: the national rate (people aged 15 and over) applied
    to the whole population, since the age structure is not an input.
    """
    from helpers.plotting import fr_number

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
