"""The cited, multi-criteria reference factor library and its loader.

The library lives in ``data/raw/reference/``:

- ``factors.csv``: one tidy row per (item, phase, criterion) with a central value, a 95 % interval, a distribution, a
  source, a vintage and a status (``sourced``, ``derived``, ``assumption``); see ``docs/architecture.md``;
- ``categories.csv``: canonical equipment categories with their defaults (lifetime, power, hours, yearly kWh) and the
  factor item they use;
- ``hosting_kinds.csv``: kinds of hosting (server room, colocation, hyperscale, cloud) with their PUE;
- ``factors_version.txt``: the version name of the set; :func:`factors_version` appends the sha256 of ``factors.csv``;
- ``factor_exclusions.csv``: source values deliberately left out (negative water use, …) with the reason.

Every reader validates its file with :func:`helpers.io.tables.read_table` and adds the cross-column checks (interval
around the value, id consistent with item/phase/criterion, unit consistent with criterion and activity). Problems are
reported together as one :class:`helpers.io.errors.InputError` with file, line, column, value and what was expected.

A territory may override any factor with ``factor_overrides.csv`` (:func:`read_factor_overrides`,
:func:`apply_overrides`) and its electricity factor with ``territory.yaml`` (:func:`electricity_override`); both return
the new table and a table of what changed, so the diagnostic can show it.
"""

from __future__ import annotations

import difflib
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.io import bounds as B
from helpers.io import vocab
from helpers.io.errors import InputError, InputProblem, display_path, raise_if
from helpers.io.paths import REFERENCE_DIR
from helpers.io.tables import Column, Schema, plain, read_table, take_report, with_warnings

FACTORS_PATH = REFERENCE_DIR / "factors.csv"
CATEGORIES_PATH = REFERENCE_DIR / "categories.csv"
HOSTING_KINDS_PATH = REFERENCE_DIR / "hosting_kinds.csv"
VERSION_PATH = REFERENCE_DIR / "factors_version.txt"
EXCLUSIONS_PATH = REFERENCE_DIR / "factor_exclusions.csv"
ELECTRICITY_VINTAGES_PATH = REFERENCE_DIR / "electricity_vintages.csv"

PHASES = vocab.PHASES
_CRITERIA_UNITS = vocab.CRITERIA_UNITS
CRITERIA = vocab.CRITERIA

#: activity unit id -> how it is written after the "/" of the ``unit`` column
ACTIVITY_UNITS: dict[str, str] = {
    "unit": "unit",
    "kwh": "kWh",
    "gb": "GB",
    "eur": "EUR",
    "ream": "ream",
    "page": "page",
    "m2_year": "m2/year",
    "subscription_month": "subscription/month",
    "user_year": "user/year",
}
DISTRIBUTIONS: tuple[str, ...] = ("lognormal", "triangular", "uniform", "none")
STATUSES: tuple[str, ...] = ("sourced", "derived", "assumption")
TIERS = vocab.DEVICE_TIERS

FACTOR_COLUMNS: list[str] = ["factor_id", "item", "phase", "criterion", "value", "unit", "activity_unit", "low", "high",
                             "distribution", "source", "vintage", "status", "note", "correlation_group"]

FACTOR_SCHEMA = Schema(
    file="factors.csv",
    description="Reference factor library: one row per (item, phase, criterion).",
    unique=("factor_id",),
    columns=(
        Column("factor_id", "str", required=True, description="<item>:<phase>:<criterion>"),
        Column("item", "str", required=True, description="device category or activity (electricity_fr, …)"),
        Column("phase", "str", required=True, allowed=PHASES, description="life-cycle phase"),
        Column("criterion", "str", required=True, allowed=CRITERIA, description="impact criterion"),
        Column("value", "float", required=True, min=0, max=B.MAX_FACTOR_VALUE, description="central value"),
        Column("unit", "str", required=True, description="<criterion unit>/<activity unit>, e.g. kgCO2e/unit"),
        Column("activity_unit", "str", required=True, allowed=tuple(ACTIVITY_UNITS), description="activity unit"),
        Column("low", "float", required=True, min=0, max=B.MAX_FACTOR_VALUE, description="2.5th percentile"),
        Column("high", "float", required=True, min=0, max=B.MAX_FACTOR_VALUE, description="97.5th percentile"),
        Column("distribution", "str", allowed=DISTRIBUTIONS, default="none",
               description="uncertainty distribution (empty = none: the CSV reader reads 'none' as empty)"),
        Column("source", "str", required=True, description="URL, owner/repo:path@commit or document"),
        Column("vintage", "str", required=True, description="dataset year or version"),
        Column("status", "str", required=True, allowed=STATUSES, description="sourced, derived or assumption"),
        Column("note", "str", description="free text"),
        Column("correlation_group", "str", default="",
               description="factors of one group share one draw in the Monte Carlo (same source and basis, so "
                           "their errors move together); empty = drawn alone"),
    ),
)

CATEGORY_COLUMNS: list[str] = ["category", "label_fr", "tier", "factor_item", "default_lifetime_years",
                               "lifetime_low_years", "lifetime_high_years", "default_power_w", "default_hours_per_day",
                               "default_days_per_year", "default_yearly_kwh", "max_power_w",
                               "reconditioned_embodied_share", "household_lifetime_years", "max_lifetime_years",
                               "second_life_years", "source"]

CATEGORY_SCHEMA = Schema(
    file="categories.csv",
    description="Canonical equipment categories and their defaults.",
    unique=("category",),
    columns=(
        Column("category", "str", required=True, description="category id used in inventory.csv"),
        Column("label_fr", "str", required=True, description="French label shown in the diagnostic"),
        Column("tier", "str", required=True, allowed=TIERS, description="terminals, networks or datacentres"),
        Column("factor_item", "str", required=True, description="item of factors.csv"),
        Column("default_lifetime_years", "float", required=True, min=0, min_exclusive=True, max=B.MAX_LIFETIME_YEARS, unit="years"),
        Column("lifetime_low_years", "float", required=True, min=0, min_exclusive=True, max=B.MAX_LIFETIME_YEARS, unit="years"),
        Column("lifetime_high_years", "float", required=True, min=0, min_exclusive=True, max=B.MAX_LIFETIME_YEARS, unit="years"),
        Column("default_power_w", "float", required=True, min=0, max=B.MAX_DEVICE_POWER_W, unit="W"),
        Column("default_hours_per_day", "float", required=True, min=0, max=24, unit="h/day"),
        Column("default_days_per_year", "float", required=True, min=0, max=366, unit="days/year"),
        Column("default_yearly_kwh", "float", min=0, max=B.MAX_DEVICE_KWH_PER_YEAR, unit="kWh/year"),
        Column("max_power_w", "float", required=True, min=0, min_exclusive=True, max=B.MAX_DEVICE_POWER_W, unit="W"),
        Column("reconditioned_embodied_share", "float", required=True, min=0, max=1),
        Column("household_lifetime_years", "float", min=0, min_exclusive=True, max=B.MAX_LIFETIME_YEARS,
               unit="years",
               description="lifetime of the household (consumer) profile where it differs from the professional "
                           "default: users' devices in the services LCA, and the fleet's household sensitivity"),
        Column("max_lifetime_years", "float", required=True, min=0, min_exclusive=True, max=B.MAX_LIFETIME_YEARS,
               unit="years",
               description="longest lifetime a lifetime extension may reach for a device bought new"),
        Column("second_life_years", "float", required=True, min=0, min_exclusive=True, max=B.MAX_LIFETIME_YEARS,
               unit="years",
               description="lifetime with the collectivity of a device bought reconditioned (its second life); "
                           "a lifetime extension never takes it further"),
        Column("source", "str", required=True),
    ),
)

HOSTING_COLUMNS: list[str] = ["kind", "label_fr", "default_pue", "pue_low", "pue_high", "electricity_item", "source"]

HOSTING_SCHEMA = Schema(
    file="hosting_kinds.csv",
    description="Kinds of hosting and their power usage effectiveness (PUE).",
    unique=("kind",),
    columns=(
        Column("kind", "str", required=True),
        Column("label_fr", "str", required=True),
        Column("default_pue", "float", required=True, min=1, max=B.MAX_PUE),
        Column("pue_low", "float", required=True, min=1, max=B.MAX_PUE),
        Column("pue_high", "float", required=True, min=1, max=B.MAX_PUE),
        Column("electricity_item", "str", required=True, description="electricity item of factors.csv"),
        Column("source", "str", required=True),
    ),
)

FACTOR_OVERRIDE_SCHEMA = Schema(
    file="factor_overrides.csv",
    description=("Optional overrides of reference factors (e.g. a supplier's product carbon footprint). Without "
                 "low/high, the reference factor's relative interval is kept around the new value."),
    unique=("factor_id",),
    columns=(
        Column("factor_id", "str", required=True, description="factor id of data/raw/reference/factors.csv",
               example="laptop:manufacturing:climate_change", label_fr="un factor_id de data/raw/reference/factors.csv"),
        Column("value", "float", required=True, min=0, max=B.MAX_FACTOR_VALUE, description="new central value, in the factor's unit",
               example=250, label_fr="la nouvelle valeur centrale, dans l'unité du facteur"),
        Column("low", "float", min=0, max=B.MAX_FACTOR_VALUE, description="2.5th percentile (optional)", example=200),
        Column("high", "float", min=0, max=B.MAX_FACTOR_VALUE, description="97.5th percentile (optional)", example=300),
        Column("source", "str", required=True, description="where the value comes from (document, URL)",
               example="PCF fabricant, modèle X, 2023", label_fr="la source de la valeur (document, URL)"),
        Column("reason", "str", description="why the reference value is replaced", example="modèle unique du parc"),
    ),
)

CHANGE_COLUMNS: list[str] = ["factor_id", "old_value", "new_value", "old_low", "old_high", "new_low", "new_high",
                             "source", "reason"]


def criteria_units() -> dict[str, str]:
    """Criterion id -> unit of its impact (see ``docs/architecture.md``)."""
    return dict(_CRITERIA_UNITS)


def _line(df: pd.DataFrame, idx: int) -> int:
    return int(df["_line"].iat[idx])


def _interval_problems(df: pd.DataFrame, file: str, value_col: str, low_col: str, high_col: str) -> list[InputProblem]:
    problems = []
    value, low, high = (df[c].to_numpy(dtype=float) for c in (value_col, low_col, high_col))
    for col, arr in ((value_col, value), (low_col, low), (high_col, high)):
        bad = ~np.isfinite(arr) & ~np.isnan(arr)
        for idx in np.flatnonzero(bad):
            problems.append(InputProblem(file, _line(df, idx), col, df[col].iat[idx], "un nombre fini"))
    with np.errstate(invalid="ignore"):
        for idx in np.flatnonzero(low > value):
            problems.append(InputProblem(file, _line(df, idx), low_col, low[idx],
                                         f"{low_col} <= {value_col} ({value_col} vaut {value[idx]:g})"))
        for idx in np.flatnonzero(high < value):
            problems.append(InputProblem(file, _line(df, idx), high_col, high[idx],
                                         f"{high_col} >= {value_col} ({value_col} vaut {value[idx]:g})"))
    return problems


def check_factor_table(df: pd.DataFrame, file: str) -> list[InputProblem]:
    """Cross-column checks of a factor table read by :func:`read_table` (needs the ``_line`` column)."""
    problems = _interval_problems(df, file, "value", "low", "high")
    parts = df[["item", "phase", "criterion"]]
    expected_id = parts["item"].astype(str) + ":" + parts["phase"].astype(str) + ":" + parts["criterion"].astype(str)
    complete = parts.notna().all(axis=1) & df["factor_id"].notna()
    for idx in np.flatnonzero((complete & (df["factor_id"] != expected_id)).to_numpy()):
        problems.append(InputProblem(file, _line(df, idx), "factor_id", df["factor_id"].iat[idx],
                                     f"'{expected_id.iat[idx]}' (item:phase:criterion, les colonnes de la ligne)"))
    lognormal = (df["distribution"] == "lognormal").to_numpy()
    for col in ("low", "value"):
        bad = lognormal & ~(df[col].to_numpy(dtype=float) > 0)
        for idx in np.flatnonzero(bad):
            problems.append(InputProblem(file, _line(df, idx), col, df[col].iat[idx],
                                         f"{col} > 0 pour une distribution lognormale"))
    crit_unit = df["criterion"].map(_CRITERIA_UNITS)
    act_unit = df["activity_unit"].map(ACTIVITY_UNITS)
    expected_unit = crit_unit + "/" + act_unit
    bad_unit = expected_unit.notna() & (df["unit"] != expected_unit)
    for idx in np.flatnonzero(bad_unit.to_numpy()):
        problems.append(InputProblem(file, _line(df, idx), "unit", df["unit"].iat[idx],
                                     f"'{expected_unit.iat[idx]}' (unité du critère / unité d'activité)"))
    # a lognormal is symmetric in log space around its median: flag intervals that are far from it
    with np.errstate(divide="ignore", invalid="ignore"):
        v, lo, hi = (df[c].to_numpy(dtype=float) for c in ("value", "low", "high"))
        skew = np.abs(np.log(hi / v) - np.log(v / lo))
    for idx in np.flatnonzero(lognormal & (skew > np.log(1.5))):
        problems.append(InputProblem(
            file, _line(df, idx), "low", f"{lo[idx]:g}-{hi[idx]:g}",
            "un intervalle à peu près symétrique en échelle logarithmique autour de la valeur pour une lognormale "
            "(son sigma vaut ln(high/low)/3,92 autour de la médiane = value) ; utiliser 'triangular' pour un "
            "intervalle dissymétrique",
            severity="warning"))
    # a correlation group shares one underlying draw: its factors need the same distribution family (a lognormal
    # and a triangular of one stream would not move together) and the same criterion
    if "correlation_group" in df:
        grp = df["correlation_group"].fillna("").astype(str)
        member = (grp != "").to_numpy()
        for col in ("distribution", "criterion"):
            mixed = (df[col].fillna("").astype(str).groupby(grp).transform("nunique") > 1).to_numpy() & member
            for idx in np.flatnonzero(mixed):
                problems.append(InputProblem(file, _line(df, idx), "correlation_group", grp.iat[idx],
                                             f"une même valeur de {col} pour tous les facteurs du groupe de corrélation '{grp.iat[idx]}'"))
    # one activity unit per item, so that phases and criteria of an item add up
    units_per_item = df.groupby("item")["activity_unit"].transform("nunique")
    for idx in np.flatnonzero((units_per_item > 1).to_numpy()):
        problems.append(InputProblem(file, _line(df, idx), "activity_unit", df["activity_unit"].iat[idx],
                                     f"la même unité d'activité sur toutes les lignes de l'item '{df['item'].iat[idx]}'"))
    return problems


def _numeric(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
    return pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")


def _read_checked(path: Path, schema: Schema, cross_check) -> tuple[pd.DataFrame, dict]:
    """``read_table`` plus cross-column checks, reporting column and cross-column problems together.

    Returns the table, plain (empty ``attrs``), and the reading report of :func:`helpers.io.tables.take_report` whose
    ``warnings`` are the warnings of the read and of the cross-column checks.

    When the strict read fails, the file is read again leniently (every column as text, nothing required) so the
    cross-column checks can still run, and their problems are added to the error (one per line and column).
    """
    file = display_path(path)
    try:
        df = read_table(path, schema)
    except InputError as err:
        lenient = Schema(file=schema.file, columns=tuple(Column(c.name, "str") for c in schema.columns))
        try:
            raw = read_table(path, lenient)
        except InputError:
            raise err from None
        for col in schema.columns:
            if col.kind in ("float", "int", "year"):
                raw[col.name] = _numeric(raw[col.name])
        seen = {(p.row, p.column) for p in err.problems}
        extra = [p for p in cross_check(raw, file) if p.severity == "error" and (p.row, p.column) not in seen]
        raise InputError(err.problems + extra + err.warnings) from None
    report = take_report(df)
    problems = list(report.get("warnings", [])) + cross_check(df, file)
    report["warnings"] = raise_if(problems)
    return df, report


def load_factors(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate the factor library.

    Parameters
    ----------
    path : path of ``factors.csv`` (default: ``data/raw/reference/factors.csv``)

    Returns
    -------
    DataFrame with the columns of ``docs/architecture.md`` (``factor_id`` … ``note``), one row per factor, in file
    order; ``attrs`` holds only ``warnings`` (the model takes the table through :func:`apply_electricity_vintage`,
    :func:`apply_overrides` or :func:`electricity_override`, which return plain frames).

    Raises
    ------
    InputError
        listing every problem: missing columns, unknown phase or criterion, value not finite, ``low > value`` or
        ``high < value``, ``low <= 0`` with a lognormal distribution, ``factor_id`` not ``item:phase:criterion`` or
        duplicated, unit not ``<criterion unit>/<activity unit>``, empty source or vintage, unknown status.
    """
    path = Path(path) if path is not None else FACTORS_PATH
    df, report = _read_checked(path, FACTOR_SCHEMA, check_factor_table)
    if "correlation_group" not in df:  # a library written before the column existed
        df = df.assign(correlation_group="")
    out = df[FACTOR_COLUMNS].copy()
    out["note"] = out["note"].fillna("")
    out["correlation_group"] = out["correlation_group"].fillna("").astype(str)
    out = out.reset_index(drop=True)
    out.attrs = {"warnings": report["warnings"]}
    return out


def load_categories(path: str | Path | None = None, factors: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and validate the canonical equipment categories.

    Parameters
    ----------
    path : path of ``categories.csv`` (default: the reference library)
    factors : factor table; when given, every ``factor_item`` must have a manufacturing climate-change factor.

    Returns
    -------
    DataFrame with the columns listed in ``docs/architecture.md`` (``category`` … ``source``); a plain frame, or
    ``attrs["warnings"]`` when the file has warnings.

    Raises
    ------
    InputError
        bad types or bounds, ``lifetime_low_years > default > lifetime_high_years``, a default power above
        ``max_power_w``, duplicated category, and (with ``factors``) a ``factor_item`` without a manufacturing
        climate-change factor.
    """
    path = Path(path) if path is not None else CATEGORIES_PATH

    def cross(df, file):
        problems = _interval_problems(df, file, "default_lifetime_years", "lifetime_low_years", "lifetime_high_years")
        with np.errstate(invalid="ignore"):
            short = df["max_lifetime_years"].to_numpy(dtype=float) < df["default_lifetime_years"].to_numpy(dtype=float)
        for idx in np.flatnonzero(short):
            problems.append(InputProblem(file, _line(df, idx), "max_lifetime_years", df["max_lifetime_years"].iat[idx],
                                         f"au moins default_lifetime_years ({df['default_lifetime_years'].iat[idx]:g})"))
        with np.errstate(invalid="ignore"):
            over = df["default_power_w"].to_numpy(dtype=float) > df["max_power_w"].to_numpy(dtype=float)
        for idx in np.flatnonzero(over):
            problems.append(InputProblem(file, _line(df, idx), "default_power_w", df["default_power_w"].iat[idx],
                                         f"au plus max_power_w ({df['max_power_w'].iat[idx]:g})"))
        if factors is not None:
            have = set(factors.loc[(factors["phase"] == "manufacturing")
                                   & (factors["criterion"] == "climate_change"), "item"])
            for idx in np.flatnonzero((df["factor_item"].notna() & ~df["factor_item"].isin(have)).to_numpy()):
                problems.append(InputProblem(file, _line(df, idx), "factor_item", df["factor_item"].iat[idx],
                                             "un item ayant un facteur climate_change de fabrication (manufacturing) dans factors.csv"))
        return problems

    df, report = _read_checked(path, CATEGORY_SCHEMA, cross)
    return with_warnings(df[CATEGORY_COLUMNS].reset_index(drop=True), report["warnings"])


def load_hosting_kinds(path: str | Path | None = None, factors: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and validate the hosting kinds (``kind, label_fr, default_pue, pue_low, pue_high, electricity_item,
    source``); ``pue_low <= default_pue <= pue_high``. With ``factors``, each ``electricity_item`` must have a
    use-phase climate-change factor per kWh. A plain frame, or ``attrs["warnings"]`` when the file has warnings."""
    path = Path(path) if path is not None else HOSTING_KINDS_PATH

    def cross(df, file):
        problems = _interval_problems(df, file, "default_pue", "pue_low", "pue_high")
        if factors is not None:
            have = set(factors.loc[(factors["phase"] == "use") & (factors["criterion"] == "climate_change")
                                   & (factors["activity_unit"] == "kwh"), "item"])
            bad = df["electricity_item"].notna() & ~df["electricity_item"].isin(have)
            for idx in np.flatnonzero(bad.to_numpy()):
                problems.append(InputProblem(file, _line(df, idx), "electricity_item", df["electricity_item"].iat[idx],
                                             "un item d'électricité (kWh, phase d'usage) de factors.csv"))
        return problems

    df, report = _read_checked(path, HOSTING_SCHEMA, cross)
    return with_warnings(df[HOSTING_COLUMNS].reset_index(drop=True), report["warnings"])


def load_exclusions(path: str | Path | None = None) -> pd.DataFrame:
    """Source values deliberately left out of the library (item, criterion, source_value, unit, source, reason)."""
    path = Path(path) if path is not None else EXCLUSIONS_PATH
    schema = Schema(file="factor_exclusions.csv", columns=(
        Column("item", "str", required=True), Column("criterion", "str", required=True),
        Column("source_value", "float"), Column("unit", "str"), Column("source", "str", required=True),
        Column("reason", "str", required=True)))
    df = read_table(path, schema)
    warnings = take_report(df).get("warnings")
    return with_warnings(df.drop(columns="_line"), warnings)


def factors_version(path: str | Path | None = None) -> str:
    """``"<content of factors_version.txt>+sha256:<first 12 hex of factors.csv>"``.

    ``path`` is the ``factors.csv`` to hash (default: the reference library); the version file is read from the same
    folder.
    """
    path = Path(path) if path is not None else FACTORS_PATH
    version_file = path.parent / VERSION_PATH.name
    name = version_file.read_text(encoding="utf-8").strip() if version_file.exists() else "unversioned"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"{name}+sha256:{digest}"


def read_factor_overrides(path: str | Path, factors: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and validate a territory's ``factor_overrides.csv``.

    Parameters
    ----------
    path : the file
    factors : factor table the ids must exist in (default: :func:`load_factors`)

    Returns
    -------
    DataFrame ``factor_id, value, low, high, source, reason, _line`` (``low``/``high`` may be empty).

    Raises
    ------
    InputError
        unknown ``factor_id`` (with the closest ids), ``low > value``, ``high < value``, ``low <= 0`` or
        ``value <= 0`` on a factor with a lognormal distribution, missing source.
    """
    if factors is None:
        factors = load_factors()
    path = Path(path)
    known = list(factors["factor_id"])
    dist_of = factors.set_index("factor_id")["distribution"]

    def cross(df, file):
        problems = []
        unknown = df["factor_id"].notna() & ~df["factor_id"].isin(known)
        for idx in np.flatnonzero(unknown.to_numpy()):
            value = df["factor_id"].iat[idx]
            close = difflib.get_close_matches(str(value), known, n=3, cutoff=0.5)
            hint = f" (les plus proches : {', '.join(close)})" if close else ""
            problems.append(InputProblem(file, _line(df, idx), "factor_id", value,
                                         f"un factor_id de data/raw/reference/factors.csv{hint}"))
        problems += _interval_problems(df, file, "value", "low", "high")
        with np.errstate(invalid="ignore"):
            crossed = (df["low"] > df["high"]) & ~(df["low"] > df["value"]) & ~(df["high"] < df["value"])
        for idx in np.flatnonzero(crossed.to_numpy()):
            problems.append(InputProblem(file, _line(df, idx), "low", df["low"].iat[idx], "low <= high (borne basse au plus égale à la borne haute)"))
        dist = df["factor_id"].map(dist_of)
        for col in ("value", "low"):
            with np.errstate(invalid="ignore"):
                bad = (dist == "lognormal") & df[col].notna() & ~(df[col] > 0)
            for idx in np.flatnonzero(bad.to_numpy()):
                problems.append(InputProblem(file, _line(df, idx), col, df[col].iat[idx],
                                             f"{col} > 0 (le facteur a une distribution lognormale)"))
        return problems

    df, report = _read_checked(path, FACTOR_OVERRIDE_SCHEMA, cross)
    out = df[["factor_id", "value", "low", "high", "source", "reason", "_line"]].copy()
    out["reason"] = out["reason"].fillna("")
    out = out.reset_index(drop=True)
    out.attrs = report  # the reading report, for the import report of helpers.io.ingest
    return out


def apply_overrides(factors: pd.DataFrame, overrides: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Replace factors by the territory's overrides.

    Without ``low``/``high`` in an override, the reference factor's *relative* interval is kept around the new value
    (``new_low = value × old_low / old_value``), so the uncertainty of the library is not silently dropped. The
    overridden rows get ``status = "override"``, ``vintage = "override"``, the override's source and a note giving the
    reason and the old value.

    Parameters
    ----------
    factors : factor table (:func:`load_factors`)
    overrides : ``factor_id, value, low, high, source, reason`` (:func:`read_factor_overrides`)

    Returns
    -------
    (new factor table, changes) where ``changes`` has the columns ``factor_id, old_value, new_value, old_low,
    old_high, new_low, new_high, source, reason``, one row per overridden factor. The new table is a plain frame
    (empty ``attrs``): the reading report of ``factors`` and ``overrides`` stays with them.

    Raises
    ------
    LookupError
        if an override names a factor absent from ``factors`` (use :func:`read_factor_overrides` to get a clear
        input error first).
    """
    new = plain(factors.copy())
    if overrides is None or len(overrides) == 0:
        return new, pd.DataFrame(columns=CHANGE_COLUMNS)
    ov = _checked_overrides(overrides, new)
    pos = pd.Index(new["factor_id"]).get_indexer(ov["factor_id"])
    old_value = new["value"].to_numpy(dtype=float)[pos]
    old_low = new["low"].to_numpy(dtype=float)[pos]
    old_high = new["high"].to_numpy(dtype=float)[pos]
    value = ov["value"].to_numpy(dtype=float)
    low, high = _override_interval(value, old_value, old_low, old_high, ov["low"].to_numpy(dtype=float),
                                   ov["high"].to_numpy(dtype=float))
    reasons = ov["reason"].fillna("").astype(str).to_numpy()
    sources = ov["source"].astype(str).to_numpy()
    new = _write_overrides(new, pos, value, low, high, sources, reasons, old_value)
    changes = pd.DataFrame({
        "factor_id": ov["factor_id"].to_numpy(), "old_value": old_value, "new_value": value,
        "old_low": old_low, "old_high": old_high, "new_low": low, "new_high": high,
        "source": sources, "reason": reasons,
    })
    return new, changes


def _checked_overrides(overrides: pd.DataFrame, factors: pd.DataFrame) -> pd.DataFrame:
    """The overrides as a plain frame with ``low``, ``high`` and ``reason`` present (absent: NaN, NaN, ""), the last
    override of a factor kept; :class:`LookupError` if one names a factor absent from ``factors``."""
    ov = plain(overrides.copy())
    for col in ("low", "high", "reason"):
        if col not in ov:
            ov[col] = np.nan if col != "reason" else ""
    missing = sorted(set(ov["factor_id"]) - set(factors["factor_id"]))
    if missing:
        raise LookupError(f"factor override for unknown factor_id(s): {', '.join(missing)}")
    return ov.drop_duplicates("factor_id", keep="last")


def _override_interval(value, old_value, old_low, old_high, low, high) -> tuple[np.ndarray, np.ndarray]:
    """The (low, high) interval of overridden factors: the given bounds, else the reference factor's relative
    interval around the new value (``new_low = value × old_low / old_value``; the value itself when the old value is
    not positive); always containing the value."""
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(old_value > 0, value / old_value, np.nan)
    low = np.where(np.isnan(low), np.where(np.isnan(scale), value, old_low * scale), low)
    high = np.where(np.isnan(high), np.where(np.isnan(scale), value, old_high * scale), high)
    return np.minimum(low, value), np.maximum(high, value)


def _write_overrides(new: pd.DataFrame, pos, value, low, high, sources, reasons, old_value) -> pd.DataFrame:
    """The factor table with the rows at ``pos`` overridden: value, interval, distribution (``none`` when the interval
    is degenerate, or not positive for a lognormal), source, ``vintage``/``status`` ``override`` and a French note
    giving the reason and the reference value."""
    new = new.astype({"value": float, "low": float, "high": float})
    rows = new.index[pos]
    new.loc[rows, "value"] = value
    new.loc[rows, "low"] = low
    new.loc[rows, "high"] = high
    dist = new["distribution"].to_numpy(dtype=object)[pos]
    degenerate = (low == high) | ((dist == "lognormal") & ~(low > 0))
    new.loc[rows, "distribution"] = np.where(degenerate, "none", dist)
    new.loc[rows, "source"] = sources
    new.loc[rows, "vintage"] = "override"
    new.loc[rows, "status"] = "override"
    new.loc[rows, "note"] = [f"remplacé ({r or 'sans motif donné'}) ; valeur de référence {v:g}"
                             for r, v in zip(reasons, old_value)]
    return new


ELECTRICITY_FACTOR_ID = "electricity_fr:use:climate_change"


def electricity_override(factors: pd.DataFrame, value_kgco2e_per_kwh: float | None,
                         source: str = "territory.yaml (electricity_factor_kgco2e_per_kwh)"
                         ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Override the climate-change factor of French electricity (``electricity_fr:use:climate_change``).

    Convenience for ``territory.yaml``'s ``electricity_factor_kgco2e_per_kwh``. ``None`` returns the table unchanged
    and an empty change table. The library's relative interval is kept around the new value. The table returned
    is a plain frame (see :func:`apply_overrides`).

    Raises
    ------
    InputError
        if the value is not a finite number > 0.
    """
    if value_kgco2e_per_kwh is None:
        return plain(factors.copy()), pd.DataFrame(columns=CHANGE_COLUMNS)
    try:
        value = float(value_kgco2e_per_kwh)
    except (TypeError, ValueError):
        value = float("nan")
    if not np.isfinite(value) or value <= 0:
        raise InputError(InputProblem("territory.yaml", None, "electricity_factor_kgco2e_per_kwh",
                                      value_kgco2e_per_kwh, "un nombre > 0 en kgCO2e/kWh (par ex. 0.052)"))
    overrides = pd.DataFrame({"factor_id": [ELECTRICITY_FACTOR_ID], "value": [value], "low": [np.nan],
                              "high": [np.nan], "source": [source],
                              "reason": ["facteur d'électricité fixé dans territory.yaml"]})
    return apply_overrides(factors, overrides)


FACTOR_PATHS_PATH = REFERENCE_DIR / "factor_paths.csv"
#: paths ``factor_paths.csv`` must give (issue 29): the French grid after its last vintage, and manufacturing
FACTOR_PATHS: tuple[str, ...] = ("electricity_fr", "manufacturing")


def load_factor_paths(path: str | Path | None = None) -> pd.DataFrame:
    """How factors change over the trajectory (``factor_paths.csv``: ``path, change_per_year, label_fr, source,
    status, note``), one row per :data:`FACTOR_PATHS`; a yearly change within ±20 %, a source and a status
    (``sourced`` or ``assumption``) on every row. Every problem reported at once (line, column, expected)."""
    path = Path(path) if path else FACTOR_PATHS_PATH
    name = display_path(path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    problems = []
    missing = [c for c in ("path", "change_per_year", "label_fr", "source", "status") if c not in df]
    if missing:
        raise InputError(InputProblem(name, None, ", ".join(missing), "", "les colonnes path, change_per_year, "
                                      "label_fr, source, status, note"))
    rate = pd.to_numeric(df["change_per_year"], errors="coerce")
    for i in range(len(df)):
        line = i + 2
        if not (abs(rate.iat[i]) <= 0.2):
            problems.append(InputProblem(name, line, "change_per_year", df["change_per_year"].iat[i],
                                         "une évolution annuelle entre -0.2 et 0.2 (par ex. -0.01 pour -1 % par an)"))
        if df["status"].iat[i] not in ("sourced", "assumption"):
            problems.append(InputProblem(name, line, "status", df["status"].iat[i], "sourced ou assumption"))
        if not df["source"].iat[i].strip():
            problems.append(InputProblem(name, line, "source", "", "une source ou la justification de l'hypothèse"))
    for p in FACTOR_PATHS:
        if p not in set(df["path"]):
            problems.append(InputProblem(name, None, "path", p, "une ligne pour ce chemin"))
    if problems:
        raise InputError(problems)
    return df.assign(change_per_year=rate.astype(float))


def load_electricity_vintages(path: str | Path | None = None) -> pd.DataFrame:
    """The French electricity climate factor by year (``electricity_vintages.csv``: ``year, value, low, high,
    distribution, label, source, vintage, status, note``), each row with its source, sorted by year."""
    path = Path(path) if path is not None else ELECTRICITY_VINTAGES_PATH
    df = pd.read_csv(path, keep_default_na=False, na_values=[""])
    return df.sort_values("year").reset_index(drop=True)


#: ADEME's method behind each vintage of the French electricity series (``electricity_vintages.csv``, column
#: ``method``), in the order the series went through them, with its French description.
ELECTRICITY_METHODS: dict[str, str] = {
    "annual_before_nuclear_revision": "valeur d'une seule année, facteur du nucléaire antérieur à la révision de "
                                      "janvier 2023",
    "annual_after_nuclear_revision": "valeur d'une seule année, facteur du nucléaire révisé en janvier 2023 "
                                     "(environ 4 gCO2e/kWh)",
    "smoothed_4_years": "moyenne lissée sur quatre années",
}
#: The method breaks of the series: (method before, method after, French statement with its source). Two values on
#: either side of a break differ by method as well as by year: the diagnostic says so (issue 32).
ELECTRICITY_METHOD_BREAKS: tuple[tuple[str, str, str], ...] = (
    ("annual_before_nuclear_revision", "annual_after_nuclear_revision",
     "en janvier 2023, la gouvernance de la Base Carbone a abaissé le facteur du nucléaire à environ 4 gCO2e/kWh : "
     "les valeurs calculées depuis (millésimes 2022 et suivants) sont plus basses à mix égal (décision rapportée "
     "dans incubateur-ademe/nosgestesclimat, ticket 1658 du 11/01/2023)"),
    ("annual_after_nuclear_revision", "smoothed_4_years",
     "à partir du millésime 2024, chaque valeur est une moyenne lissée sur quatre années, et non plus la valeur "
     "d'une seule année (Base Empreinte, règle « mix électrique . empreinte carbone » de "
     "incubateur-ademe/publicodes-commun)"),
)


def electricity_method_breaks(method_a: str, method_b: str) -> list[str]:
    """The French statements of the method breaks between two vintages' methods (:data:`ELECTRICITY_METHODS`
    order), in order; empty when both vintages share one method or a method is unknown."""
    order = list(ELECTRICITY_METHODS)
    if method_a not in order or method_b not in order:
        return []
    lo, hi = sorted((order.index(method_a), order.index(method_b)))
    return [text for before, after, text in ELECTRICITY_METHOD_BREAKS
            if lo <= order.index(before) and order.index(after) <= hi]


def electricity_vintage(vintages: pd.DataFrame, reference_year: int) -> dict:
    """The vintage of the French electricity factor that follows ``reference_year``.

    The row of that year when the table has it; otherwise the nearest year with a sourced value (the earlier one
    on a tie), with ``exact = False`` and a French note saying so (a 2019 reference year takes 2020, the first
    vintage). ``latest`` is the most recent row (the sensitivity case). ``method`` is ADEME's method of the vintage
    (:data:`ELECTRICITY_METHODS`) and ``breaks_to_latest`` the French statements of the method breaks between it and
    the latest vintage (:func:`electricity_method_breaks`). Returns ``{value, low, high, distribution,
    vintage_year, source, label, exact, note, method, method_fr, breaks_to_latest, latest}``.
    """
    v = vintages.reset_index(drop=True)
    years = v["year"].to_numpy(dtype=int)
    i = int(np.lexsort((years, np.abs(years - int(reference_year))))[0])
    r = v.iloc[i]
    exact = int(r["year"]) == int(reference_year)
    note = "" if exact else (f"pas de valeur {int(reference_year)} sur la même base dans la bibliothèque de "
                             f"référence : millésime le plus proche, {int(r['year'])}")
    latest = v.iloc[-1]
    method = str(r.get("method", "") or "")
    latest_method = str(latest.get("method", "") or "")
    return {"value": float(r["value"]), "low": float(r["low"]), "high": float(r["high"]),
            "distribution": str(r["distribution"]), "vintage_year": int(r["year"]), "source": str(r["source"]),
            "label": str(r["label"]), "exact": exact, "note": note,
            "method": method, "method_fr": ELECTRICITY_METHODS.get(method, ""),
            "breaks_to_latest": electricity_method_breaks(method, latest_method),
            "latest": {"value": float(latest["value"]), "vintage_year": int(latest["year"]),
                       "source": str(latest["source"]), "label": str(latest["label"]), "method": latest_method,
                       "method_fr": ELECTRICITY_METHODS.get(latest_method, "")}}


def apply_electricity_vintage(factors: pd.DataFrame, reference_year: int, vintages: pd.DataFrame | None = None
                              ) -> tuple[pd.DataFrame, dict]:
    """The library with ``electricity_fr:use:climate_change`` set to the vintage of ``reference_year``
    (:func:`electricity_vintage`: value, interval, source, vintage), and the vintage's description.

    Applied before the territory's overrides, which win (a contract's own factor, ``factor_overrides.csv``). The
    table returned is a plain frame (see :func:`apply_overrides`).
    """
    vintages = load_electricity_vintages() if vintages is None else vintages
    info = electricity_vintage(vintages, reference_year)
    out = plain(factors.copy())
    row = out["factor_id"] == ELECTRICITY_FACTOR_ID
    if row.any():
        out.loc[row, ["value", "low", "high"]] = [info["value"], info["low"], info["high"]]
        out.loc[row, "distribution"] = info["distribution"]
        out.loc[row, "source"] = info["source"]
        out.loc[row, "vintage"] = f"{info['label']} (millésime {info['vintage_year']})"
    return out, info


def get_value(factors: pd.DataFrame, item: str, phase: str, criterion: str) -> float:
    """Central value of one factor.

    Raises
    ------
    LookupError
        naming what is missing: the item (with the closest items), the phase for that item, or the criterion for that
        item and phase (with the criteria available).
    """
    rows = factors[factors["item"] == item]
    if rows.empty:
        close = difflib.get_close_matches(str(item), sorted(set(factors["item"])), n=3, cutoff=0.5)
        hint = f"; closest: {', '.join(close)}" if close else ""
        raise LookupError(f"no factor for item '{item}' in the factor library{hint}")
    at_phase = rows[rows["phase"] == phase]
    if at_phase.empty:
        raise LookupError(f"no '{phase}' factor for item '{item}'; phases available: "
                          f"{', '.join(sorted(set(rows['phase'])))}")
    hit = at_phase[at_phase["criterion"] == criterion]
    if hit.empty:
        raise LookupError(f"no '{criterion}' factor for item '{item}', phase '{phase}'; criteria available: "
                          f"{', '.join(sorted(set(at_phase['criterion'])))}")
    return float(hit["value"].iat[0])
