"""The optional inputs of the carbon balance besides the inventory: schemas and strict readers.

- ``hosting.csv``: server rooms, data centres and cloud/hosted services (one row per site);
- ``telecom.csv``: fixed and mobile data volumes and subscriptions (one or more rows per entity);
- ``purchases.csv``: spend on IT services, software, cloud and telecom (monetary ratios);
- ``printing.csv``: paper (reams or pages per year).

Each reader validates its file with :func:`helpers.io.tables.read_table` (types, units, bounds), then the cross-checks
that need the territory or the reference library (unknown entity, unknown hosting kind, a row with nothing to
count). Every problem of a file is reported at once as one :class:`helpers.io.errors.InputError` with file line and
column. Each file has an optional ``quality`` column (``high``/``medium``/``low``) used by the Monte Carlo for the
uncertainty of the declared amounts, like the inventory's.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.io import bounds as B
from helpers.io import vocab
from helpers.io.errors import InputError, InputProblem, display_path
from helpers.io.tables import Column, Schema, read_table, take_report

QUALITIES = vocab.QUALITIES

#: purchases.csv category -> (factor item of the monetary ratio, tier of the balance, French label).
#: The items are the ``spend_*`` monetary ratios (kgCO2e per EUR excl. VAT) of ``data/raw/reference/factors.csv``.
PURCHASE_CATEGORIES: dict[str, tuple[str, str, str]] = {
    "services": ("spend_it_services", "services", "Prestations et services informatiques"),
    "software": ("spend_software", "services", "Logiciels et licences"),
    "cloud": ("spend_cloud_saas", "datacentres", "Cloud et hébergement externalisé"),
    "telecom": ("spend_telecom", "networks", "Services de télécommunication"),
}

SHEETS_PER_REAM = 500  # an A4 ream holds 500 sheets


def _quality_column() -> Column:
    return Column("quality", "str", allowed=QUALITIES, default="medium",
                  description="data quality of the amounts: high (metered, invoiced), medium (estimate), low (guess)",
                  example="medium")


HOSTING_SCHEMA = Schema(
    file="hosting.csv",
    description=(
        "Hosting sites: the collectivity's server rooms and data centres, colocation and cloud or hosted services. "
        "Servers, storage and network gear of the inventory point to a site with their 'site' column; the site's "
        "PUE multiplies their IT energy. A site without inventory devices is counted from its measured IT energy "
        "(it_kwh_per_year) or, failing that, from its spend (cloud_spend_eur)."
    ),
    unique=("site_id",),
    columns=(
        Column("site_id", "str", required=True, description="unique id of the site, used in inventory.csv 'site'",
               example="sr-mairie", label_fr="l'identifiant unique du site (colonne site de inventory.csv)"),
        Column("entity", "str", required=True, description="entity id from territory.yaml", example="ville",
               label_fr="une entité de territory.yaml (id, nom ou alias)"),
        Column("kind", "str", required=True, description="kind of hosting from data/raw/reference/hosting_kinds.csv",
               example="server_room", label_fr="un type d'hébergement de hosting_kinds.csv"),
        Column("pue", "float", min=1, max=4, description="measured power usage effectiveness (default: the kind's)",
               example=""),
        Column("it_kwh_per_year", "float", min=0, max=B.MAX_SITE_KWH_PER_YEAR, unit="kWh/year",
               description="measured IT electricity of the site (replaces the inventory's estimate)", example=""),
        Column("electricity_item", "str", description="electricity factor item (default: the kind's)", example=""),
        Column("floor_area_m2", "float", min=0, max=100_000, unit="m2",
               description="floor area of the room, for the building and technical equipment (dc_support_equipment)",
               example=40),
        Column("cloud_spend_eur", "float", min=0, max=B.MAX_EUR_PER_YEAR, unit="EUR/year",
               description="yearly spend on the hosted service, used only if no energy is known", example=""),
        _quality_column(),
        Column("comment", "str", description="free text: source, assumption", example="salle serveur de la mairie"),
    ),
)

TELECOM_SCHEMA = Schema(
    file="telecom.csv",
    description=(
        "Telecommunications of each entity over the reference year: data volumes and subscriptions. The fixed "
        "network is counted per subscription-month when fixed_lines is given, otherwise per GB; the mobile network "
        "per GB when mobile_data_gb_per_year is given, otherwise per line if the library has a factor for it "
        "(ADEME transitional method of loi AGEC art. 13)."
    ),
    columns=(
        Column("entity", "str", required=True, description="entity id from territory.yaml", example="ville",
               label_fr="une entité de territory.yaml (id, nom ou alias)"),
        Column("fixed_data_gb_per_year", "float", min=0, max=B.MAX_GB_PER_YEAR, unit="GB/year", description="data volume on fixed lines",
               example=""),
        Column("mobile_data_gb_per_year", "float", min=0, max=B.MAX_GB_PER_YEAR, unit="GB/year", description="data volume on mobile lines",
               example=1200),
        Column("fixed_lines", "float", min=0, max=B.MAX_SUBSCRIPTIONS, unit="subscriptions", description="fixed internet subscriptions",
               example=12),
        Column("mobile_lines", "float", min=0, max=B.MAX_SUBSCRIPTIONS, unit="subscriptions", description="mobile subscriptions (SIM)",
               example=150),
        _quality_column(),
        Column("comment", "str", description="free text: source (operator invoices), assumption", example=""),
    ),
)

PURCHASES_SCHEMA = Schema(
    file="purchases.csv",
    description=(
        "Yearly spend on IT services and software (excl. VAT), converted with monetary ratios (kgCO2e per EUR). "
        "Only the rows of the reference year are counted; equipment purchases belong in inventory.csv."
    ),
    columns=(
        Column("entity", "str", required=True, description="entity id from territory.yaml", example="ville",
               label_fr="une entité de territory.yaml (id, nom ou alias)"),
        Column("category", "str", required=True, allowed=tuple(PURCHASE_CATEGORIES),
               description="kind of spend", example="services", label_fr="le type de dépense"),
        Column("amount_eur", "float", required=True, min=0, max=B.MAX_EUR, unit="EUR", description="amount excl. VAT",
               example=250000, label_fr="le montant hors taxes en €"),
        Column("year", "year", min=2000, max=2100, description="year of the spend (default: the reference year)",
               example=""),
        _quality_column(),
        Column("comment", "str", description="free text: account, contract, assumption", example="compte 6156"),
    ),
)

PRINTING_SCHEMA = Schema(
    file="printing.csv",
    description=(
        "Paper used per entity and year: reams of A4 (500 sheets) or printed pages (converted at 500 pages per ream, "
        "i.e. single-sided; give reams if the share of double-sided printing is known). Printers and copiers "
        "themselves belong in inventory.csv."
    ),
    columns=(
        Column("entity", "str", required=True, description="entity id from territory.yaml", example="ville",
               label_fr="une entité de territory.yaml (id, nom ou alias)"),
        Column("reams_per_year", "float", min=0, max=B.MAX_REAMS_PER_YEAR, unit="reams/year", description="reams of A4 paper bought per year",
               example=1500),
        Column("pages_per_year", "float", min=0, max=B.MAX_PAGES_PER_YEAR, unit="pages/year", description="printed pages per year (copier meters)",
               example=""),
        _quality_column(),
        Column("comment", "str", description="free text: source, assumption", example="marché papier 2023"),
    ),
)


def _read(path, schema: Schema) -> tuple[pd.DataFrame, list[InputProblem], dict]:
    """Read with the strict schema; if it fails, read again leniently so that the cross-checks still run.

    Returns the table (plain: empty ``attrs``), the problems found so far, so one :class:`InputError` can list every
    problem of the file (bad numbers *and* unknown entities, kinds, years…) at once, and the reading report
    (:func:`helpers.io.tables.take_report`) that :func:`_finish` puts back on the table returned.
    """
    try:
        df = read_table(path, schema)
        report = take_report(df)
        return df, list(report.get("warnings", [])), report
    except InputError as exc:
        first = exc.problems + exc.warnings
    lenient = Schema(file=schema.file, description=schema.description, min_rows=schema.min_rows, columns=tuple(
        replace(c, kind="str", required=False, min=None, max=None, allowed=None) for c in schema.columns))
    df = read_table(path, lenient)
    report = take_report(df)
    for c in schema.columns:
        if c.kind in ("int", "float", "year"):
            text = df[c.name].astype(str).str.replace(",", ".", regex=False).str.replace(" ", "", regex=False)
            df[c.name] = pd.to_numeric(text.where(df[c.name].notna()), errors="coerce")
        elif c.allowed:
            df[c.name] = df[c.name].str.lower()
    return df, first, report


def _entity_problems(df: pd.DataFrame, file: str, territory) -> list[InputProblem]:
    """Entities matched by id, name or alias, ignoring case, accents and punctuation (as in the inventory); the
    ``entity`` column is replaced by the ids. Each unmatched value is one problem with its rows and closest ids."""
    from helpers.io.inventory import entity_lookup, match_entities

    lookup = entity_lookup(territory)
    matched = match_entities(df["entity"], lookup)
    entities = list(territory.entity_ids)
    bad = matched.isna() & df["entity"].notna()
    problems = []
    for value in pd.unique(df.loc[bad, "entity"]):
        rows = df.loc[bad & df["entity"].eq(value), "_line"].astype(int).tolist()
        close = difflib.get_close_matches(str(value), entities, n=1)
        hint = f" (l'entité la plus proche : '{close[0]}')" if close else ""
        problems.append(InputProblem(file, rows[0], "entity", value,
                                     f"une entité de territory.yaml (id, nom ou alias) parmi {sorted(entities)}{hint}",
                                     count=len(rows), rows=tuple(rows[:5])))
    df["entity"] = matched.where(~bad, df["entity"])
    return problems


def _finish(df: pd.DataFrame, problems: list[InputProblem], report: dict) -> pd.DataFrame:
    """The table returned by a reader, with the reading report and the warnings in ``attrs`` (for the import report
    of :mod:`helpers.io.ingest`); raises :class:`InputError` on any error."""
    seen, unique = set(), []
    for p in problems:
        key = (p.row, p.column, p.severity, p.expected)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    problems = unique
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    out = df.reset_index(drop=True)
    out.attrs = {**report, "warnings": [p for p in problems if p.severity != "error"]}
    return out


def read_hosting(path, territory, hosting_kinds: pd.DataFrame | None = None,
                 factors: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and validate ``hosting.csv``.

    Parameters
    ----------
    path : the file
    territory : :class:`helpers.io.territory.Territory` (entity ids)
    hosting_kinds : the hosting kinds (default: :func:`helpers.io.factors.load_hosting_kinds`)
    factors : the factor library, to check ``electricity_item`` (default: :func:`helpers.io.factors.load_factors`)

    Returns
    -------
    DataFrame with the schema's columns plus ``_line``.

    Raises
    ------
    InputError
        every problem: unknown entity or kind (with the closest kinds), unknown electricity item, bad numbers.
    """
    from helpers.io import factors as factors_mod

    df, problems, report = _read(path, HOSTING_SCHEMA)
    file = display_path(path)
    problems += _entity_problems(df, file, territory)
    kinds = hosting_kinds if hosting_kinds is not None else factors_mod.load_hosting_kinds()
    known = list(kinds["kind"])
    for idx in np.flatnonzero(~df["kind"].isin(known).to_numpy()):
        value = df["kind"].iat[idx]
        close = difflib.get_close_matches(str(value).lower(), known, n=2, cutoff=0.4)
        hint = f" (les plus proches : {', '.join(close)})" if close else ""
        problems.append(InputProblem(file, int(df["_line"].iat[idx]), "kind", value,
                                     f"un type d'hébergement parmi {known}{hint}"))
    if df["electricity_item"].notna().any():
        table = factors if factors is not None else factors_mod.load_factors()
        elec = sorted(set(table.loc[(table["activity_unit"] == "kwh") & (table["phase"] == "use"), "item"]))
        bad = df["electricity_item"].notna() & ~df["electricity_item"].isin(elec)
        for idx in np.flatnonzero(bad.to_numpy()):
            problems.append(InputProblem(file, int(df["_line"].iat[idx]), "electricity_item",
                                         df["electricity_item"].iat[idx], f"un poste d'électricité parmi {elec}"))
    return _finish(df, problems, report)


def read_telecom(path, territory) -> pd.DataFrame:
    """Read and validate ``telecom.csv``; each row must give at least one volume or one number of lines.

    Raises
    ------
    InputError
        unknown entity, negative or non-numeric values, a row with nothing to count.
    """
    df, problems, report = _read(path, TELECOM_SCHEMA)
    file = display_path(path)
    problems += _entity_problems(df, file, territory)
    amounts = ["fixed_data_gb_per_year", "mobile_data_gb_per_year", "fixed_lines", "mobile_lines"]
    empty = df[amounts].isna().all(axis=1)
    for idx in np.flatnonzero(empty.to_numpy()):
        problems.append(InputProblem(file, int(df["_line"].iat[idx]), None, None,
                                     f"au moins une valeur parmi {amounts} sur cette ligne"))
    return _finish(df, problems, report)


def read_purchases(path, territory) -> pd.DataFrame:
    """Read and validate ``purchases.csv``; an empty ``year`` means the reference year.

    Rows of other years are kept (``in_reference_year`` is False) so the diagnostic can show them as excluded.

    Raises
    ------
    InputError
        unknown entity or category, negative amounts, a year after the reference year.
    """
    df, problems, report = _read(path, PURCHASES_SCHEMA)
    file = display_path(path)
    problems += _entity_problems(df, file, territory)
    ref = int(territory.reference_year)
    df["year"] = df["year"].fillna(ref)
    late = df["year"] > ref
    for idx in np.flatnonzero(late.to_numpy()):
        problems.append(InputProblem(file, int(df["_line"].iat[idx]), "year", int(df["year"].iat[idx]),
                                     f"une année au plus égale à l'année de référence {ref}"))
    df["in_reference_year"] = df["year"] == ref
    return _finish(df, problems, report)


def read_printing(path, territory) -> pd.DataFrame:
    """Read and validate ``printing.csv``; adds ``reams`` (reams, else pages ÷ 500).

    A row with both reams and pages uses the reams (warning); a row with neither is an error.
    """
    df, problems, report = _read(path, PRINTING_SCHEMA)
    file = display_path(path)
    problems += _entity_problems(df, file, territory)
    neither = df["reams_per_year"].isna() & df["pages_per_year"].isna()
    for idx in np.flatnonzero(neither.to_numpy()):
        problems.append(InputProblem(file, int(df["_line"].iat[idx]), "reams_per_year", None,
                                     "reams_per_year ou pages_per_year sur cette ligne"))
    both = df["reams_per_year"].notna() & df["pages_per_year"].notna()
    for idx in np.flatnonzero(both.to_numpy()):
        problems.append(InputProblem(file, int(df["_line"].iat[idx]), "pages_per_year", df["pages_per_year"].iat[idx],
                                     "des ramettes ou des pages, pas les deux ; les ramettes sont retenues",
                                     severity="warning"))
    df["reams"] = df["reams_per_year"].fillna(df["pages_per_year"] / SHEETS_PER_REAM)
    return _finish(df, problems, report)


#: The clean tables of the carbon balance written by ``01_ingest`` (``data/processed/<slug>/<name>.csv``)
CLEAN_INPUT_TABLES: tuple[str, ...] = ("inventory", "hosting", "telecom", "purchases", "printing", "factor_overrides")


def read_clean_inputs(ctx) -> dict[str, pd.DataFrame | None]:
    """The clean tables the balance reads, from a study context (``helpers.run.context.Context``: its
    ``processed`` folder and ``read_table``), ``None`` for an optional file the territory did not provide. Without
    the clean inventory, the context's clear error ("run 01_ingest first")."""
    out: dict[str, pd.DataFrame | None] = {}
    for name in CLEAN_INPUT_TABLES:
        path = Path(ctx.processed) / f"{name}.csv"
        out[name] = ctx.read_table(name) if path.exists() else None
    if out["inventory"] is None:
        ctx.read_table("inventory")  # raises the context's clear "run 01_ingest first" error
    return out
