"""The inputs of the services' life-cycle assessment: the services' vocabulary, the schemas and readers of the
territory's ``services.csv`` and ``hosting.csv`` (tolerant read), of the reference library's ``service_presets.csv``,
the factor library the services use (the territory's overrides and the reference year's electricity applied), and
the factor table of the ADEME vintage behind impactco2's usage figures (the model's reference checks). The RGESN
self-assessment's inputs are :mod:`helpers.io.rgesn_inputs`.

The model (:mod:`helpers.model.services`) takes what these functions return as values; nothing there reads a file.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.io import bounds as B
from helpers.io.errors import InputError, InputProblem, display_path
from helpers.io.paths import REFERENCE_DIR
from helpers.io.tables import Column, Schema, plain, provided, read_table

# ----------------------------------------------------------------------------------------------------------------
# Vocabulary of the services
# ----------------------------------------------------------------------------------------------------------------

SERVICE_TYPES: tuple[str, ...] = ("website", "portal", "visio", "email", "storage", "streaming", "other")
VOLUME_UNITS: tuple[str, ...] = ("visits", "transactions", "participant_hours", "hours", "messages", "tb_years",
                                 "gb_years", "units")
#: volume units accepted for each type of service
TYPE_UNITS: dict[str, tuple[str, ...]] = {
    "website": ("visits",),
    "portal": ("transactions", "visits"),
    "visio": ("participant_hours",),
    "email": ("messages",),
    "storage": ("tb_years", "gb_years"),
    "streaming": ("hours",),
    "other": VOLUME_UNITS,
}
#: video qualities, lowest first (services.csv, the presets, the video-quality lever's target)
VIDEO_QUALITIES: tuple[str, ...] = ("audio", "sd", "hd", "4k")
COMPUTER_DEVICES: tuple[str, ...] = ("laptop", "desktop", "mix")
ECOINDEX_GRADES: tuple[str, ...] = ("A", "B", "C", "D", "E", "F", "G")
#: what a service's server time is allocated by (``service_presets.csv``)
DC_BASES: tuple[str, ...] = ("gb", "stream_hour", "message", "stored")
#: Who uses a service (column ``audience`` of services.csv): citizens' devices follow ADEME's consumer profile,
#: agents' devices the professional profile of the carbon balance (``helpers.model.services.device_table``).
AUDIENCES: tuple[str, ...] = ("citizens", "agents")

# ----------------------------------------------------------------------------------------------------------------
# Schemas
# ----------------------------------------------------------------------------------------------------------------

SERVICES_SCHEMA = Schema(
    file="services.csv",
    description=(
        "Key digital services of the collectivity, one row per service, for their life-cycle assessment. Only "
        "service_id, name, type, annual_volume, volume_unit and hosting are required; empty technical figures take "
        "the default of the service type (data/raw/reference/service_presets.csv). Mark every assumed value in "
        "'comment'."
    ),
    unique=("service_id",),
    columns=(
        Column("service_id", "str", required=True, description="unique id of the service", example="site-ville",
               label_fr="l'identifiant unique du service"),
        Column("name", "str", required=True, description="name shown in the diagnostic", example="Site internet de la ville",
               label_fr="le nom affiché dans le diagnostic"),
        Column("type", "str", required=True, allowed=SERVICE_TYPES, description="kind of service", example="website",
               label_fr="le type de service"),
        Column("annual_volume", "float", required=True, min=0, max=B.MAX_FUNCTIONAL_UNITS_PER_YEAR, description="number of functional units per year",
               example=1_000_000, label_fr="le nombre d'unités fonctionnelles par an"),
        Column("volume_unit", "str", required=True, allowed=VOLUME_UNITS,
               description="unit of annual_volume: visits, transactions, participant_hours (visio), hours (viewer "
                           "hours of streaming), messages, tb_years or gb_years (storage), units (other)",
               example="visits", label_fr="l'unité de annual_volume"),
        Column("page_weight_mb", "float", min=0, max=500, unit="MB",
               description="data transferred per page view (website, portal)", example=2.0),
        Column("pages_per_visit", "float", min=0, min_exclusive=True, max=1000, description="pages per visit",
               example=3),
        Column("requests_per_visit", "float", min=0, max=B.MAX_REQUESTS_PER_VISIT, description="HTTP requests per visit (shown; scaled by the "
                                                                 "lazy-loading scenario)", example=""),
        Column("minutes_per_visit", "float", min=0, max=1440, unit="min",
               description="device time per functional unit: per visit or procedure, per email (writing + reading)",
               example=3),
        Column("loaded_share", "float", min=0, max=1,
               description="share of the page weight actually loaded per visit (lazy loading, cache)", example=""),
        Column("mobile_share", "float", min=0, max=1, description="share of use on a smartphone", example=0.5),
        Column("tablet_share", "float", min=0, max=1, description="share of use on a tablet", example=""),
        Column("mobile_network_share", "float", min=0, max=1,
               description="share of the smartphone users on a mobile network rather than Wi-Fi", example=0.5),
        Column("computer_device", "str", allowed=COMPUTER_DEVICES,
               description="computer of the non-mobile users: laptop, desktop (with screen) or mix (half each)",
               example="laptop"),
        Column("video_quality", "str", allowed=VIDEO_QUALITIES, description="video quality (visio, streaming)",
               example=""),
        Column("audio_share", "float", min=0, max=1,
               description="share of visio or streaming hours in audio only (camera off)", example=""),
        Column("participants", "float", min=1, max=10_000, description="participants per visio meeting", example=""),
        Column("recipients", "float", min=0, max=10_000, description="recipients per email", example=""),
        Column("message_mb", "float", min=0, max=100, unit="MB", description="size of an email with attachments",
               example=""),
        Column("retention_years", "float", min=0, max=100, unit="years", description="how long emails are kept",
               example=""),
        Column("replicas", "float", min=1, max=20, description="copies of stored data (backups, replication)",
               example=""),
        Column("gb_per_unit", "float", min=0, max=B.MAX_GB_PER_UNIT, unit="GB",
               description="measured data transferred per functional unit (replaces the computed value)", example=""),
        Column("hosting", "str", required=True,
               description="site_id of hosting.csv, or a hosting kind of data/raw/reference/hosting_kinds.csv",
               example="hyperscale", label_fr="un site_id de hosting.csv ou un type d'hébergement de hosting_kinds.csv"),
        Column("device_wh_per_minute", "float", min=0, max=100, unit="Wh/min",
               description="measured device energy per minute of use (replaces power × time)", example=""),
        Column("dc_kwh_per_year", "float", min=0, max=B.MAX_SITE_KWH_PER_YEAR, unit="kWh/year",
               description="measured IT electricity of the service's servers (before PUE)", example=""),
        Column("ecoindex_grade", "str", allowed=ECOINDEX_GRADES,
               description="EcoIndex grade A–G measured by the user (shown as is, never computed)", example=""),
        Column("audience", "str", allowed=AUDIENCES, default="citizens",
               description="who uses the service: citizens (consumer device profile, ADEME: hours a day every day) "
                           "or agents (professional profile of the balance, categories.csv: e.g. 7 h × 220 days)",
               example="citizens"),
        Column("comment", "str", description="source of the figures; mark every assumption (HYPOTHÈSE)",
               example="HYPOTHÈSE : volumes estimés"),
    ),
)

PRESETS_PATH = REFERENCE_DIR / "service_presets.csv"

PRESETS_SCHEMA = Schema(
    file="service_presets.csv",
    description="Default technical figures of each type of service, with their source.",
    unique=("type",),
    columns=(
        Column("type", "str", required=True, allowed=SERVICE_TYPES),
        Column("label_fr", "str", required=True),
        Column("functional_unit_fr", "str", required=True),
        Column("dc_basis", "str", required=True, allowed=DC_BASES),
        Column("minutes_per_visit", "float", min=0, max=1440),
        Column("page_weight_mb", "float", min=0, max=500),
        Column("pages_per_visit", "float", min=0, max=1000),
        Column("requests_per_visit", "float", min=0, max=B.MAX_REQUESTS_PER_VISIT),
        Column("loaded_share", "float", min=0, max=1),
        Column("mobile_share", "float", min=0, max=1),
        Column("tablet_share", "float", min=0, max=1),
        Column("mobile_network_share", "float", min=0, max=1),
        Column("computer_device", "str", allowed=COMPUTER_DEVICES),
        Column("video_quality", "str", allowed=VIDEO_QUALITIES),
        Column("audio_share", "float", min=0, max=1),
        Column("participants", "float", min=1, max=10_000),
        Column("recipients", "float", min=0, max=10_000),
        Column("message_mb", "float", min=0, max=100),
        Column("retention_years", "float", min=0, max=100),
        Column("replicas", "float", min=1, max=20),
        Column("source", "str", required=True),
    ),
)


# ----------------------------------------------------------------------------------------------------------------
# Readers of the services
# ----------------------------------------------------------------------------------------------------------------


def load_presets(path: str | Path | None = None) -> pd.DataFrame:
    """Read the default figures of each service type (``data/raw/reference/service_presets.csv``).

    Returns
    -------
    DataFrame indexed by ``type`` with the columns of :data:`PRESETS_SCHEMA`.
    """
    path = Path(path) if path is not None else PRESETS_PATH
    df = read_table(path, PRESETS_SCHEMA)
    missing = sorted(set(SERVICE_TYPES) - set(df["type"]))
    if missing:
        raise InputError(InputProblem(display_path(path), None, "type", None,
                                      f"une ligne pour chaque type de service ; manquants : {missing}"))
    return plain(df.drop(columns="_line").set_index("type"))


def _hosting_kinds_list() -> list[str]:
    try:
        from helpers.io.factors import load_hosting_kinds

        return list(load_hosting_kinds()["kind"])
    except (FileNotFoundError, InputError, ImportError):
        return []


def _unit_problems(df: pd.DataFrame, file: str) -> list[InputProblem]:
    """A volume unit that does not fit the type (e.g. ``visits`` for a visio), and mobile + tablet shares above 1."""
    problems = []
    lines = df["_line"].to_numpy()
    for idx in range(len(df)):
        typ, unit = df["type"].iat[idx], df["volume_unit"].iat[idx]
        if typ in TYPE_UNITS and unit not in TYPE_UNITS[typ]:
            problems.append(InputProblem(file, int(lines[idx]), "volume_unit", unit,
                                         f"pour un service de type '{typ}', une unité parmi {list(TYPE_UNITS[typ])}"))
    both = df["mobile_share"].fillna(0) + df["tablet_share"].fillna(0)
    for idx in np.flatnonzero((both > 1 + 1e-9).to_numpy()):
        problems.append(InputProblem(file, int(lines[idx]), "tablet_share", df["tablet_share"].iat[idx],
                                     f"mobile_share + tablet_share <= 1 (somme trouvée : {both.iat[idx]:g})"))
    return problems


def _hosting_problems(df: pd.DataFrame, file: str, sites: list[str], kinds: list[str]) -> list[InputProblem]:
    """A hosting that is neither a site of hosting.csv nor a hosting kind, with the closest names."""
    known = sites + [k for k in kinds if k not in sites]
    if not known:
        return []
    problems = []
    lines = df["_line"].to_numpy()
    for idx in np.flatnonzero(~df["hosting"].isin(known).to_numpy()):
        value = df["hosting"].iat[idx]
        close = difflib.get_close_matches(str(value), known, n=3, cutoff=0.5)
        hint = f" (les plus proches : {', '.join(close)})" if close else ""
        problems.append(InputProblem(file, int(lines[idx]), "hosting", value,
                                     f"un site_id de hosting.csv {sites} ou un type d'hébergement {kinds}{hint}"))
    return problems


def read_services(path, hosting_site_ids=None, hosting_kinds=None) -> pd.DataFrame:
    """Read and validate ``services.csv``.

    Parameters
    ----------
    path : path of the file
    hosting_site_ids : the ``site_id`` values of the territory's ``hosting.csv`` (``[]`` or ``None``: none)
    hosting_kinds : known hosting kinds (default: ``hosting_kinds.csv`` of the reference library)

    Returns
    -------
    DataFrame with the schema's columns (empty technical figures stay empty;
    :func:`helpers.model.services.resolve_services` fills them) and ``_line``.

    Raises
    ------
    InputError
        every problem with file, line, column, value and what was expected: unknown type or unit, a unit that does
        not fit the type (e.g. ``visits`` for a visio), shares outside 0–1, ``mobile_share + tablet_share > 1``,
        unknown hosting (with the closest names), duplicate ids, bad numbers.
    """
    file = display_path(path)
    df = read_table(path, SERVICES_SCHEMA)
    problems: list[InputProblem] = list(df.attrs.get("warnings", []))
    problems += _unit_problems(df, file)
    sites = [str(s) for s in (hosting_site_ids or [])]
    kinds = list(hosting_kinds) if hosting_kinds is not None else _hosting_kinds_list()
    problems += _hosting_problems(df, file, sites, kinds)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    df.attrs["warnings"] = [p for p in problems if p.severity != "error"]
    return df


#: the columns of a hosting site the services use
HOSTING_SITE_COLUMNS: tuple[str, ...] = ("site_id", "kind", "pue", "electricity_item")


def _read_raw_hosting(path: Path) -> pd.DataFrame:
    """A tolerant read of a raw ``hosting.csv``, through the one bounded reader path (symlinks out of the folder,
    FIFOs, size and field caps refused); a PUE written with a decimal comma is read."""
    from helpers.io.readers import read_rows

    header, rows = read_rows(path, display_path(path))
    width = len(header)
    df = pd.DataFrame([(list(cells) + [""] * width)[:width] for _, cells in rows], columns=header, dtype=str)
    if "pue" in df:
        df["pue"] = pd.to_numeric(df["pue"].str.replace(",", "."), errors="coerce")
    return df


def load_hosting_sites(ctx=None, path: str | Path | None = None) -> pd.DataFrame:
    """The territory's hosting sites (``site_id, kind, pue, electricity_item``): the processed ``hosting`` table when
    an earlier notebook wrote it, else a tolerant read of ``data/raw/<slug>/hosting.csv``, else an empty table."""
    cols = list(HOSTING_SITE_COLUMNS)
    df = None
    if ctx is not None:
        try:
            df = ctx.read_table("hosting")
        except FileNotFoundError:
            df = None
        if df is None and provided(ctx.raw / "hosting.csv"):  # header-only = not provided (issue 17)
            path = ctx.raw / "hosting.csv"
    if df is None and path is not None and Path(path).exists():
        df = _read_raw_hosting(Path(path))
    if df is None:
        return pd.DataFrame(columns=cols)
    for c in cols:
        if c not in df:
            df[c] = np.nan
    out = df[cols].copy()
    out["site_id"] = out["site_id"].astype(str)
    out["pue"] = pd.to_numeric(out["pue"], errors="coerce")
    out["electricity_item"] = out["electricity_item"].replace("", np.nan)
    return out.reset_index(drop=True)


def service_factors(ctx) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The factor library with the territory's ``factor_overrides.csv`` applied, and the table of changes.

    The territory's electricity override (``territory.yaml``) is not applied: users' devices and networks draw from
    the French grid, whatever the collectivity's own electricity contract (location-based); that grid's factor is
    the vintage of the reference year (``helpers.io.factors.apply_electricity_vintage``), as in the balance.
    """
    from helpers.io import factors as fm

    factors = fm.load_factors()
    year = getattr(getattr(ctx, "territory", None), "reference_year", None)
    if year is not None:
        factors, _ = fm.apply_electricity_vintage(factors, int(year))
    path = ctx.raw / "factor_overrides.csv"
    if provided(path):  # header-only = not provided (issue 17)
        return fm.apply_overrides(factors, fm.read_factor_overrides(path, factors))
    return factors, pd.DataFrame(columns=fm.CHANGE_COLUMNS)


# ----------------------------------------------------------------------------------------------------------------
# The ADEME vintage behind impactco2's usage figures (the model's reference checks)
# ----------------------------------------------------------------------------------------------------------------

#: The ADEME vintage behind impactco2's usage figures (``usagenumerique.json@2deca6d``), per (item, phase), in the
#: library's units (kgCO2e per unit, per kWh, per GB). Devices: construction (kgCO2e) of the ADEME 2018 study used
#: by impactco2 ("Modélisation et évaluation des impacts environnementaux de produits de consommation et biens
#: d'équipement", listed in ``incubateur-ademe/impactco2#164``). French electricity 0.0569 kgCO2e/kWh: the factor
#: of that dataset (it reproduces both its terminal-use and its DC-use lines). Fixed network 9.2693467 gCO2e/GB
#: (its per-GB transmission line; NegaOctet). Server 748 kgCO2e and the storage unit 144 kgCO2e of
#: ``data center.publicodes``.
ADEME_VINTAGE_VALUES: dict[tuple[str, str], float] = {
    ("laptop", "manufacturing"): 134.7, ("tablet", "manufacturing"): 44.5, ("smartphone", "manufacturing"): 26.239,
    ("desktop", "manufacturing"): 416.92, ("tv", "manufacturing"): 349.87, ("electricity_fr", "use"): 0.0569,
    ("network_fixed_fr", "use"): 0.0092693467, ("network_mobile_fr", "use"): 0.02468,
    ("server", "manufacturing"): 748.0, ("storage_array", "manufacturing"): 144.0,
}


def vintage_factor_table() -> pd.DataFrame:
    """:data:`ADEME_VINTAGE_VALUES` as a factor table in the library's format (climate change, no uncertainty)."""
    rows = []
    for (item, phase), v in ADEME_VINTAGE_VALUES.items():
        act = "kwh" if item.startswith("electricity") else "gb" if item.startswith("network") else "unit"
        rows.append({"factor_id": f"{item}:{phase}:climate_change", "item": item, "phase": phase,
                     "criterion": "climate_change", "value": v, "unit": f"kgCO2e/{act}", "activity_unit": act,
                     "low": v, "high": v, "distribution": "none", "source": "ADEME vintage of impactco2",
                     "vintage": "impactco2 usagenumerique.json@2deca6d", "status": "sourced", "note": ""})
    return pd.DataFrame(rows)
