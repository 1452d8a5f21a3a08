"""Life-cycle assessment of the key digital services of a collectivity (website, e-administration portal,
visioconference, email, shared storage, streaming of council meetings).

The model follows the three-tier structure of ADEME's own open usage models
(``incubateur-ademe/publicodes-acv-numerique:src/{terminaux,transmission,data center,email,visio,streaming,
recherche web,fichier}.publicodes``; domain-facts §4.4, §5.1):

- **terminals**: the manufacturing, distribution and end of life of the user's device, allocated by time of use
  over the device's lifetime hours (ADEME convention ``jours par an (365) × durée de vie × profil d'utilisation``,
  ``terminaux.publicodes``), plus the device's electricity (active power W × hours × electricity factor);
- **network**: data transferred (GB) × the fixed or mobile network factor (NegaOctet per-GB factors);
- **data centre**: server and storage shares (manufacturing amortised over their lifetime, plus network gear and
  building per server) and their electricity × PUE × the hosting's electricity factor. Server time is allocated per
  GB served (web), per hour of stream (visio, streaming), per message (email); storage per GB-year.

Each service is computed per *functional unit* (one visit, one online procedure, one hour of visio per participant,
one email, one GB stored for a year, one hour of video watched) and per year (× its annual volume), for every
criterion of the factor library. The Monte Carlo writes the services as rows of the study's one activity model
(:func:`activity_rows`) and draws each factor, PUE and device lifetime from its keyed stream of the one sampler
(``helpers.model.uncertainty``), shared across services and with the balance, so their intervals are consistent.

Other pieces: the Sustainable Web Design model v4 (constants from ``thegreenwebfoundation/co2.js``, Apache-2.0) as a
second estimate for web pages; a Sobol sensitivity analysis (SALib) and one-at-a-time swings for a tornado chart;
scenarios (:func:`apply_scenario`) that return a modified services table so the same model reruns.

EcoIndex grades given by the user are shown as entered; EcoIndex is never computed here (its constants are
CC BY-NC-ND).
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.io import bounds as B
from helpers.io import vocab
from helpers.io.errors import InputError, InputProblem, display_path
from helpers.io.memo import Memo, frame_digest
from helpers.io.paths import REFERENCE_DIR
from helpers.io.tables import Column, Schema, plain, provided, read_table

# ----------------------------------------------------------------------------------------------------------------
# Vocabulary
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
VIDEO_QUALITIES: tuple[str, ...] = ("audio", "sd", "hd", "4k")
#: GB per hour of video received per device, ADEME ``visio.publicodes`` (audio 168 MB/h, SD 0.7, HD 3, 4K 7 GB/h)
VIDEO_GB_PER_HOUR: dict[str, float] = {"audio": 168 / 1024, "sd": 0.7, "hd": 3.0, "4k": 7.0}
COMPUTER_DEVICES: tuple[str, ...] = ("laptop", "desktop", "mix")
#: laptop part of the computers of each ``computer_device`` (the rest on desktops): a mix is half each
LAPTOP_PART: dict[str, float] = {"laptop": 1.0, "desktop": 0.0, "mix": 0.5}
ECOINDEX_GRADES: tuple[str, ...] = ("A", "B", "C", "D", "E", "F", "G")
DC_BASES: tuple[str, ...] = ("gb", "stream_hour", "message", "stored")
TIERS = vocab.SERVICE_TIERS
TIER_LABELS_FR = vocab.SERVICE_TIER_LABELS_FR
TYPE_LABELS_FR: dict[str, str] = {
    "website": "Site web", "portal": "Portail de démarches", "visio": "Visioconférence", "email": "Messagerie",
    "storage": "Stockage de fichiers", "streaming": "Diffusion vidéo", "other": "Autre service",
}

#: 1 GB = 1024 MB and 1 TB = 1024 GB, as in ADEME's publicodes models (``email.publicodes``: ``taille / 1024 Mo/Go``)
MB_PER_GB = 1024.0
GB_PER_TB = 1024.0
HOURS_PER_YEAR = 8760.0
#: ``publicodes-commun . jours par an`` (ADEME convention for device lifetime hours)
DAYS_PER_YEAR = 365.0
PHASES_EMBODIED = vocab.EMBODIED_PHASES

# ----------------------------------------------------------------------------------------------------------------
# Published constants of the data-centre tier (ADEME usage models), each with its source
# ----------------------------------------------------------------------------------------------------------------

#: Average server power, W (Borderstep), ``incubateur-ademe/publicodes-acv-numerique:src/data center.publicodes``.
SERVER_POWER_W = 367.0
#: Network gear and support equipment per server, kgCO2e, same file (APL Datacenter ratios): 0.0358 firewall
#: (355 kg), 1.468 switch (367 kg), 0.286 router (41.2 kg) per server, and 0.68 m² of IT room at 187 kg/m² over
#: 25 years for a 5-year server. Applied to every criterion as a ratio of the server's own embodied impact
#: (:data:`DC_OVERHEAD_RATIO`), an assumption for the criteria other than climate change.
DC_OVERHEAD_KGCO2E_PER_SERVER = 0.0358 * 355.0 + 1.468 * 367.0 + 0.286 * 41.2 + 0.68 * 187.0 * 5.0 / 25.0
#: Server embodied climate impact in the same file (748 kgCO2e), the base of the overhead ratio.
ADEME_SERVER_KGCO2E = 748.0
DC_OVERHEAD_RATIO = DC_OVERHEAD_KGCO2E_PER_SERVER / ADEME_SERVER_KGCO2E
#: Server time per GB served by a web server, h/GB: ADEME ``recherche web.publicodes`` allocates a server's life to
#: the data it processes, 255 MB/s × 3600 s × 24 h × 25 % utilisation × 1825 days = 1.00521e10 MB over 5 years,
#: i.e. 1 / (255 × 3600 × 0.25) h per MB (BioIS for ADEME, 2011).
SERVER_HOURS_PER_GB_WEB = MB_PER_GB / (255.0 * 3600.0 * 0.25)
#: Server time per hour of video stream, h/h: ADEME ``streaming.publicodes`` sizes the server fleet from Netflix's
#: 2019 electricity (94,000 + 357,000 MWh) ÷ PUE 1.3 ÷ 367 W, for 2 h/day × 365 × 167 million users of viewing.
#: ``visio.publicodes`` reuses it per hour of meeting.
SERVER_HOURS_PER_STREAM_HOUR = (94_000 + 357_000) * 1e6 / 1.3 / SERVER_POWER_W / (2.0 * 365.0 * 167e6)
#: Server time per email and per side (sender, each recipient), h: ADEME ``email.publicodes``: 0.22 W of server per
#: user (Google, Gmail) for 117.7 emails sent and received per person and day (Radicati 2015-2019).
SERVER_HOURS_PER_EMAIL_SIDE = 24.0 * 0.22 / (SERVER_POWER_W * 117.7)
#: Storage unit of ADEME's usage models (``data center.publicodes``): 144 kgCO2e, capacity 3.5524 × 1024² MB,
#: 6 W in active mode, 5 years. Used by the reference checks against ADEME's published figures.
ADEME_STORAGE_CAPACITY_GB = 3.5524 * 1024.0
ADEME_STORAGE_POWER_W = 6.0
#: Average fill rate of storage, ADEME ``email.publicodes`` (BioIS for ADEME, 2011).
STORAGE_FILL_RATE = 0.5
#: Raw capacity of the library's ``storage_array`` item (a 12-drive array with 2 controllers,
#: ``data/raw/reference/factors.csv``): ASSUMPTION 12 drives × 4 TB = 48 TB. Its power and lifetime come from the
#: ``storage_array`` category (250 W assumed, 5 years). The sensitivity analysis varies the storage per unit ×0.5–×2.
STORAGE_ARRAY_CAPACITY_GB = 12 * 4.0 * 1024.0
STORAGE_POWER_W = 250.0
STORAGE_LIFETIME_YEARS = 5.0

#: User devices of the model. ADEME terminal conventions (``acv-terminaux.publicodes@3c5a0a5``): lifetime (years,
#: overridden by ``categories.csv`` when the category exists), theoretical use profile (h/day, 365 days/year) and
#: active power (W). ``desktop`` is a professional desktop with its screen (``ordinateur fixe pro`` + ``écran``): the
#: items add up, the profile is the mean of the two (6 and 4 h/day) and the powers add up (70 + 50 W).
DEVICES = pd.DataFrame(
    {
        "device": ["smartphone", "tablet", "laptop", "desktop"],
        "items": [("smartphone",), ("tablet",), ("laptop",), ("desktop", "screen_small")],
        "lifetime_years": [2.5, 3.0, 5.0, 6.0],
        "hours_per_day": [3.0, 2.5, 3.0, 5.0],
        "power_w": [4.5, 20.0, 26.5, 120.0],
        "label_fr": ["Smartphone", "Tablette", "Ordinateur portable", "Poste fixe et écran"],
    }
).set_index("device")
DEVICES_SOURCE = "incubateur-ademe/publicodes-acv-numerique:src/acv-terminaux.publicodes@3c5a0a51df50"
#: Who uses a service (column ``audience`` of services.csv). Citizens' devices follow ADEME's consumer profile
#: (``hours_per_day`` every day of the year, :data:`DEVICES`); agents' devices the professional profile of the
#: carbon balance (``default_hours_per_day`` × ``default_days_per_year`` of ``categories.csv``, e.g. laptop
#: 7 h × 220 days), so a device's embodied impact is spread over the hours it is really used at work.
AUDIENCES: tuple[str, ...] = ("citizens", "agents")
#: Professional profile when no category gives one (typical office use, assumption F-11 of the balance).
PRO_HOURS_PER_DAY = 7.0
PRO_DAYS_PER_YEAR = 220.0

# ----------------------------------------------------------------------------------------------------------------
# Sustainable Web Design model v4 (thegreenwebfoundation/co2.js:src/constants/index.js, Apache-2.0)
# ----------------------------------------------------------------------------------------------------------------

#: kWh per GB transferred, by segment (operational and embodied) — SWD v4, co2.js ``SWDV4``.
SWD_V4_KWH_PER_GB: dict[str, float] = {
    "operational_datacentre": 0.055, "operational_network": 0.059, "operational_device": 0.080,
    "embodied_datacentre": 0.012, "embodied_network": 0.013, "embodied_device": 0.081,
}
#: Global grid intensity of SWD v4, gCO2e/kWh (co2.js ``SWDV4.GLOBAL_GRID_INTENSITY``); embodied segments always use it.
SWD_V4_GLOBAL_G_PER_KWH = 494.0
#: co2.js counts a GB as 10^9 bytes (``constants/file-size.js``).
SWD_BYTES_PER_GB = 1e9
#: SWD v4 rating thresholds, gCO2e per page view (co2.js ``SWDMV4_RATINGS``; domain-facts §5.4).
SWD_V4_RATINGS: tuple[tuple[float, str], ...] = ((0.040, "A+"), (0.079, "A"), (0.145, "B"), (0.209, "C"),
                                                 (0.278, "D"), (0.359, "E"))

# ----------------------------------------------------------------------------------------------------------------
# Input schemas
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

#: input columns that take the preset of their type when empty
PRESET_COLUMNS: tuple[str, ...] = (
    "minutes_per_visit", "page_weight_mb", "pages_per_visit", "requests_per_visit", "loaded_share", "mobile_share",
    "tablet_share", "mobile_network_share", "computer_device", "video_quality", "audio_share", "participants",
    "recipients", "message_mb", "retention_years", "replicas",
)


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


def read_services(path, hosting_site_ids=None, hosting_kinds=None) -> pd.DataFrame:
    """Read and validate ``services.csv``.

    Parameters
    ----------
    path : path of the file
    hosting_site_ids : the ``site_id`` values of the territory's ``hosting.csv`` (``[]`` or ``None``: none)
    hosting_kinds : known hosting kinds (default: ``hosting_kinds.csv`` of the reference library)

    Returns
    -------
    DataFrame with the schema's columns (empty technical figures stay empty; :func:`resolve_services` fills them)
    and ``_line``.

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
    sites = [str(s) for s in (hosting_site_ids or [])]
    kinds = list(hosting_kinds) if hosting_kinds is not None else _hosting_kinds_list()
    known = sites + [k for k in kinds if k not in sites]
    if known:
        for idx in np.flatnonzero(~df["hosting"].isin(known).to_numpy()):
            value = df["hosting"].iat[idx]
            close = difflib.get_close_matches(str(value), known, n=3, cutoff=0.5)
            hint = f" (les plus proches : {', '.join(close)})" if close else ""
            problems.append(InputProblem(
                file, int(lines[idx]), "hosting", value,
                f"un site_id de hosting.csv {sites} ou un type d'hébergement {kinds}{hint}"))
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    df.attrs["warnings"] = [p for p in problems if p.severity != "error"]
    return df


# ----------------------------------------------------------------------------------------------------------------
# Defaults and per-functional-unit drivers
# ----------------------------------------------------------------------------------------------------------------

_DEVICE_COLUMNS = ("mobile_share", "tablet_share", "mobile_network_share", "computer_device")
_WEB_COLUMNS = ("minutes_per_visit", "page_weight_mb", "pages_per_visit", "loaded_share") + _DEVICE_COLUMNS
#: the input columns that matter for each type of service (only these are reported as defaulted)
RELEVANT_COLUMNS: dict[str, tuple[str, ...]] = {
    "website": _WEB_COLUMNS, "portal": _WEB_COLUMNS, "other": _WEB_COLUMNS,
    "visio": ("video_quality", "audio_share", "participants") + _DEVICE_COLUMNS,
    "streaming": ("video_quality", "audio_share") + _DEVICE_COLUMNS,
    "email": ("minutes_per_visit", "recipients", "message_mb", "retention_years", "replicas") + _DEVICE_COLUMNS,
    "storage": ("replicas",),
}

DRIVER_COLUMNS: tuple[str, ...] = (
    "functional_unit", "units_per_year", "device_hours_per_unit", "share_smartphone", "share_tablet", "share_laptop",
    "share_desktop", "data_gb_per_unit", "mobile_traffic_share", "server_hours_per_unit",
    "storage_gb_years_per_unit", "device_kwh_per_unit", "dc_it_kwh_per_unit", "pages_per_unit", "defaults_used",
)


#: Resolved tables already computed in this process, keyed by the content of the services and presets tables: the
#: action plan resolves the same services tens of times (each lever, each indicator).
_RESOLVED = Memo(max_items=256)


def resolve_services(services: pd.DataFrame, presets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Fill empty technical figures with the defaults of the service type and compute the drivers per functional unit.

    The function is idempotent: it can be applied to its own output (e.g. after :func:`apply_scenario`).

    Drivers (per functional unit):

    - ``device_hours_per_unit``: device time; visio and streaming 1 h; email ``minutes_per_visit`` (default
      3 min writing + 10 s reading per recipient, ADEME ``email.publicodes``); storage 0 (ADEME
      ``fichier.publicodes`` leaves terminals out of file storage and transfer);
    - ``share_<device>``: device mix (smartphone = ``mobile_share``, tablet, the rest on ``computer_device``);
    - ``data_gb_per_unit``: ``gb_per_unit`` if given, else page weight × pages × loaded share (web), video GB/h of
      the quality mixed with audio (visio, streaming; ADEME ``visio.publicodes``), message × (1 + recipients)
      (email: upload + each download), 0 (storage: access traffic unknown, give ``gb_per_unit``);
    - ``mobile_traffic_share``: ``mobile_share × mobile_network_share``;
    - ``server_hours_per_unit``: data × :data:`SERVER_HOURS_PER_GB_WEB` (web, other), 1 h of stream ×
      :data:`SERVER_HOURS_PER_STREAM_HOUR` ÷ participants (visio: one meeting serves all its participants),
      × 1 (streaming), (1 + recipients) × :data:`SERVER_HOURS_PER_EMAIL_SIDE` (email), 0 (storage);
    - ``storage_gb_years_per_unit``: email (1 + recipients) × replicas × retention × size (ADEME: 3 backups, kept
      10 years on each side); storage ``replicas`` GB-years per GB-year; else 0;
    - ``device_kwh_per_unit``: measured ``device_wh_per_minute`` × minutes (NaN if not measured);
    - ``dc_it_kwh_per_unit``: measured ``dc_kwh_per_year`` ÷ annual units (NaN if not measured).

    Parameters
    ----------
    services : :func:`read_services` output (or a DataFrame with at least the required columns)
    presets : :func:`load_presets` output (default: the reference file)

    Returns
    -------
    A copy with the input columns completed and the :data:`DRIVER_COLUMNS` added (``defaults_used`` lists the
    columns that took the type's default).
    """
    presets = load_presets() if presets is None else presets
    bare = services.copy(deep=False)
    bare.attrs = {}  # the reader's warnings play no part (and pandas would deep-copy them at every step)
    key = frame_digest(bare, presets)
    hit = _RESOLVED.get(key)
    if hit is None:
        hit = _RESOLVED.put(key, _resolve(bare.copy(), presets))
        # resolving is idempotent (tests/test_services.py): the result resolves to itself, so resolving it again
        # (a scenario's table going into build_inputs) is a hit. Keyed on a copy, as returned below: the digest
        # pickles the frame, whose block layout a copy consolidates.
        _RESOLVED.put(frame_digest(hit.copy(), presets), hit)
    out = hit.copy()
    out.attrs = dict(services.attrs)
    return out


#: service types for which each preset column matters (a default taken there is reported in ``defaults_used``)
_RELEVANT_TYPES = {col: [t for t, cols in RELEVANT_COLUMNS.items() if col in cols] for col in PRESET_COLUMNS}
#: numeric columns of services.csv (kept as floats downstream)
_NUMERIC = tuple(c.name for c in SERVICES_SCHEMA.columns if c.kind in ("int", "float"))


def _floats(series: pd.Series, fill: float | None = None) -> np.ndarray:
    """The column as float64, NaN replaced by ``fill`` when given."""
    a = series.to_numpy(dtype=float)
    return a if fill is None else np.where(np.isnan(a), fill, a)


class _Columns(dict):
    """Columns of a frame read lazily; ``frame()`` is a copy of the frame with the columns set since."""

    def __init__(self, frame: pd.DataFrame):
        super().__init__()
        self._frame = frame
        self._set: list[str] = []
        self._dtypes = frame.dtypes.to_dict()

    def __missing__(self, key):
        value = self._frame[key]
        super().__setitem__(key, value)
        return value

    def __contains__(self, key):
        return dict.__contains__(self, key) or key in self._frame.columns

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        if key not in self._set:
            self._set.append(key)

    def dtype(self, key):
        """The column's dtype, None when absent (without building the column)."""
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key).dtype
        return self._dtypes.get(key)

    def frame(self) -> pd.DataFrame:
        out = self._frame.copy()
        for key in self._set:
            out[key] = dict.__getitem__(self, key)
        return out


def _resolve(services: pd.DataFrame, presets: pd.DataFrame) -> pd.DataFrame:
    """:func:`resolve_services` without the memo, on arrays: the numeric defaults and every driver are numpy
    operations on whole columns (5 to 50 services, resolved tens of times per study: pandas' per-operation cost
    dominated); text columns keep pandas' ``map``/``where`` so their dtype is exactly what pandas infers."""
    idx = services.index
    n = len(services)
    cols = _Columns(services)
    for col in SERVICES_SCHEMA.names():
        if col not in cols:
            cols[col] = (pd.Series(np.nan, index=idx) if col not in ("comment", "ecoindex_grade")
                         else pd.Series([None] * n, index=idx, dtype=object))
    typ_s = cols["type"]
    typ = typ_s.to_numpy(dtype=object)
    pos = presets.index.get_indexer(typ)
    known = pos >= 0
    take = np.where(known, pos, 0)
    defaults_used = [[] for _ in range(n)]
    for col in PRESET_COLUMNS:
        cur = cols[col]
        pcol = presets[col] if col in presets else None
        if pcol is not None and pcol.dtype.kind in "iuf" and cur.dtype.kind in "iuf":
            values = cur.to_numpy(dtype=float)
            parr = np.where(known, pcol.to_numpy(dtype=float)[take], np.nan) if len(presets) else np.full(n, np.nan)
            empty = np.isnan(values)
            if empty.any():
                cols[col] = pd.Series(np.where(empty, parr, values), index=idx)
            fillable = empty & ~np.isnan(parr)
        else:  # text columns: pandas' own inference of the mapped defaults decides the dtype
            preset = typ_s.map(pcol) if pcol is not None else pd.Series(np.nan, index=idx)
            empty_s = cur.isna()
            if cur.dtype == object or preset.dtype == object:
                cols[col] = cur.astype(object).where(~empty_s, preset)
            else:
                cols[col] = cur.where(~empty_s, preset)
            fillable = (empty_s & preset.notna()).to_numpy()
        relevant = np.isin(typ, _RELEVANT_TYPES[col])
        for i in np.flatnonzero(fillable & relevant):
            defaults_used[i].append(col)
    for name in _NUMERIC:  # whole numbers typed in a spreadsheet stay floats downstream
        dtype = cols.dtype(name)
        if dtype is not None and dtype not in (np.dtype(object), np.dtype(np.float64)):
            cols[name] = cols[name].astype(float)
    is_web = np.isin(typ, ["website", "portal", "other"])
    is_stream = np.isin(typ, ["visio", "streaming"])
    is_email = typ == "email"
    is_storage = typ == "storage"
    is_visio = typ == "visio"

    # email device time: ADEME 3 min of writing + 10 s of reading per recipient
    recipients = _floats(cols["recipients"], 1.0)
    minutes_in = _floats(cols["minutes_per_visit"])
    email_default = is_email & np.isnan(minutes_in)
    minutes = np.where(email_default, 3.0 + recipients * (10.0 / 60.0), minutes_in)
    for i in np.flatnonzero(email_default):
        defaults_used[i].append("minutes_per_visit")
    cols["minutes_per_visit"] = pd.Series(minutes, index=idx)
    hours = np.where(is_stream, 1.0, np.where(is_storage, 0.0, np.where(np.isnan(minutes), 0.0, minutes) / 60.0))

    mobile = _floats(cols["mobile_share"], 0.0)
    tablet = _floats(cols["tablet_share"], 0.0)
    computer = np.clip(1.0 - mobile - tablet, 0.0, 1.0)
    device = cols["computer_device"].fillna("laptop").to_numpy(dtype=object)
    laptop_part = np.array([LAPTOP_PART.get(d, 0.0) for d in device], dtype=float)

    pages = _floats(cols["pages_per_visit"], 1.0)
    web_gb = _floats(cols["page_weight_mb"], 0.0) * pages * _floats(cols["loaded_share"], 1.0) / MB_PER_GB
    quality = cols["video_quality"].to_numpy(dtype=object)
    video = np.array([VIDEO_GB_PER_HOUR.get(q, np.nan) if isinstance(q, str) else np.nan for q in quality],
                     dtype=float)
    video = np.where(np.isnan(video), VIDEO_GB_PER_HOUR["sd"], video)
    audio = _floats(cols["audio_share"], 0.0)
    stream_gb = (1.0 - audio) * video + audio * VIDEO_GB_PER_HOUR["audio"]
    message_gb = _floats(cols["message_mb"], 0.0) / MB_PER_GB
    email_gb = message_gb * (1.0 + recipients)
    computed_gb = np.select([is_web, is_stream, is_email], [web_gb, stream_gb, email_gb], default=0.0)
    given = _floats(cols["gb_per_unit"])
    data_gb = np.where(np.isnan(given), computed_gb, given)

    participants = _floats(cols["participants"], 1.0)
    server_hours = np.select(
        [is_web, is_visio, typ == "streaming", is_email],
        [data_gb * SERVER_HOURS_PER_GB_WEB, SERVER_HOURS_PER_STREAM_HOUR / participants,
         np.full(n, SERVER_HOURS_PER_STREAM_HOUR), (1.0 + recipients) * SERVER_HOURS_PER_EMAIL_SIDE],
        default=0.0)
    replicas = _floats(cols["replicas"], 1.0)
    retention = _floats(cols["retention_years"], 0.0)
    storage = np.select([is_email, is_storage], [(1.0 + recipients) * replicas * retention * message_gb, replicas],
                        default=0.0)

    unit = cols["volume_unit"].to_numpy(dtype=object)
    units = _floats(cols["annual_volume"]) * np.where(unit == "tb_years", GB_PER_TB, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        dc_kwh = _floats(cols["dc_kwh_per_year"]) / units
    dc_kwh = np.where(units > 0, dc_kwh, np.nan)

    cols["functional_unit"] = typ_s.map(presets["functional_unit_fr"])
    for name, values in (("units_per_year", units), ("device_hours_per_unit", hours),
                         ("share_smartphone", mobile), ("share_tablet", tablet),
                         ("share_laptop", computer * laptop_part), ("share_desktop", computer * (1.0 - laptop_part)),
                         ("data_gb_per_unit", data_gb),
                         ("mobile_traffic_share", mobile * _floats(cols["mobile_network_share"], 0.0)),
                         ("server_hours_per_unit", server_hours), ("storage_gb_years_per_unit", storage),
                         ("device_kwh_per_unit", _floats(cols["device_wh_per_minute"]) * hours * 60.0 / 1000.0),
                         ("dc_it_kwh_per_unit", dc_kwh), ("pages_per_unit", np.where(is_web, pages, np.nan))):
        cols[name] = pd.Series(values, index=idx)
    previous = services["defaults_used"] if "defaults_used" in services else pd.Series("", index=idx)
    merged = []
    for old, new in zip(previous.fillna("").astype(str), defaults_used):
        olds = old.split(";")
        merged.append(";".join([c for c in olds if c] + [c for c in new if c not in olds]))
    cols["defaults_used"] = pd.Series(merged, index=idx)
    return cols.frame()


# ----------------------------------------------------------------------------------------------------------------
# Parameters: devices, hosting, factors
# ----------------------------------------------------------------------------------------------------------------


def device_table(categories: pd.DataFrame | None = None) -> pd.DataFrame:
    """The user devices with their lifetime (``categories.csv`` when the item has a category, else ADEME), use
    profile and active power (ADEME ``acv-terminaux.publicodes``), and the relative lifetime interval.

    Returns
    -------
    DataFrame indexed by device: ``items``, ``lifetime_years``, ``lifetime_low_years``, ``lifetime_high_years``,
    ``hours_per_day``, ``power_w``, ``label_fr``, ``lifetime_source``.

    Not memoised: ``make bench`` measured its memo at −3 % of the CPU time on 2 December (within the noise).
    """
    dev = DEVICES.copy()
    dev["pro_hours_per_day"] = PRO_HOURS_PER_DAY
    dev["pro_days_per_year"] = PRO_DAYS_PER_YEAR
    dev["lifetime_low_years"] = dev["lifetime_years"] * 0.7  # assumption when no category gives an interval
    dev["lifetime_high_years"] = dev["lifetime_years"] * 1.5
    dev["lifetime_source"] = "ADEME acv-terminaux (theoretical lifetime); interval ×0.7–×1.5 assumed"
    dev["lifetime_stream"] = ""  # no category: the services' own stream ``life:<device>``
    if categories is not None and len(categories):
        cat = categories.drop_duplicates("factor_item").set_index("factor_item")
        for device, items in dev["items"].items():
            rows = [cat.loc[i] for i in items if i in cat.index]
            if not rows:
                continue
            # the services' users are households: their profile where the library gives one (a smartphone 2.5
            # years, ADEME's consumer profile), else the category's default
            dev.loc[device, "lifetime_years"] = float(np.mean([
                r["household_lifetime_years"] if pd.notna(r.get("household_lifetime_years", np.nan))
                else r["default_lifetime_years"] for r in rows]))
            dev.loc[device, "lifetime_low_years"] = float(np.mean([r["lifetime_low_years"] for r in rows]))
            dev.loc[device, "lifetime_high_years"] = float(np.mean([r["lifetime_high_years"] for r in rows]))
            dev.loc[device, "lifetime_source"] = "categories.csv"
            first = rows[0]  # the device itself (a desktop's screen follows it)
            if "category" in first and pd.notna(first["category"]):  # the balance's stream of that lifetime
                dev.loc[device, "lifetime_stream"] = f"lifetime:{first['category']}"
            if "default_hours_per_day" in first and pd.notna(first["default_hours_per_day"]):
                dev.loc[device, "pro_hours_per_day"] = float(first["default_hours_per_day"])
            if "default_days_per_year" in first and pd.notna(first["default_days_per_year"]):
                dev.loc[device, "pro_days_per_year"] = float(first["default_days_per_year"])
    return dev


def load_hosting_sites(ctx=None, path: str | Path | None = None) -> pd.DataFrame:
    """The territory's hosting sites (``site_id, kind, pue, electricity_item``): the processed ``hosting`` table when
    an earlier notebook wrote it, else a tolerant read of ``data/raw/<slug>/hosting.csv``, else an empty table."""
    cols = ["site_id", "kind", "pue", "electricity_item"]
    df = None
    if ctx is not None:
        try:
            df = ctx.read_table("hosting")
        except FileNotFoundError:
            df = None
        if df is None and provided(ctx.raw / "hosting.csv"):  # header-only = not provided (issue 17)
            path = ctx.raw / "hosting.csv"
    if df is None and path is not None and Path(path).exists():
        # through the one bounded reader path (symlinks out of the folder, FIFOs, size and field caps refused)
        from helpers.io.errors import display_path
        from helpers.io.readers import read_rows

        header, rows = read_rows(path, display_path(path))
        width = len(header)
        df = pd.DataFrame([(list(cells) + [""] * width)[:width] for _, cells in rows], columns=header, dtype=str)
        if "pue" in df:
            df["pue"] = pd.to_numeric(df["pue"].str.replace(",", "."), errors="coerce")
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


def hosting_parameters(resolved: pd.DataFrame, hosting_kinds: pd.DataFrame,
                       hosting_sites: pd.DataFrame | None = None) -> pd.DataFrame:
    """PUE and electricity item of each service's hosting.

    A service hosted in one of the territory's sites uses that site's measured PUE (no uncertainty drawn) or, when
    the site gives none, its kind's default PUE with the kind's interval; a service hosted in a kind (``hyperscale``,
    …) uses the kind's default and interval. The electricity item is the site's, else the kind's.

    Returns
    -------
    DataFrame aligned with ``resolved``: ``hosting, kind, pue, pue_low, pue_high, pue_key, pue_origin,
    electricity_item``.

    Raises
    ------
    LookupError
        if a hosting is neither a site nor a kind (:func:`read_services` reports it as an input error first).
    """
    kinds = hosting_kinds.set_index("kind")
    sites = (hosting_sites if hosting_sites is not None else pd.DataFrame(columns=["site_id", "kind", "pue",
                                                                                   "electricity_item"]))
    sites = sites.drop_duplicates("site_id").set_index("site_id")
    rows = []
    for hosting in resolved["hosting"].astype(str):
        if hosting in sites.index:
            site = sites.loc[hosting]
            kind = site["kind"]
            if kind not in kinds.index:
                raise LookupError(f"hosting site '{hosting}' has unknown kind '{kind}'")
            k = kinds.loc[kind]
            measured = pd.notna(site["pue"])
            pue = float(site["pue"]) if measured else float(k["default_pue"])
            elec = site["electricity_item"] if pd.notna(site["electricity_item"]) else k["electricity_item"]
            rows.append({
                "hosting": hosting, "kind": kind, "pue": pue,
                "pue_low": pue if measured else float(k["pue_low"]),
                "pue_high": pue if measured else float(k["pue_high"]),
                "pue_key": f"site:{hosting}" if measured else f"kind:{kind}",
                "pue_origin": "site" if measured else "kind", "electricity_item": elec,
            })
        elif hosting in kinds.index:
            k = kinds.loc[hosting]
            rows.append({"hosting": hosting, "kind": hosting, "pue": float(k["default_pue"]),
                         "pue_low": float(k["pue_low"]), "pue_high": float(k["pue_high"]),
                         "pue_key": f"kind:{hosting}", "pue_origin": "kind",
                         "electricity_item": k["electricity_item"]})
        else:
            raise LookupError(f"hosting '{hosting}' is neither a site of hosting.csv nor a hosting kind")
    return pd.DataFrame(rows, index=resolved.index)


@dataclass
class ServiceInputs:
    """Everything the model needs, gathered once: resolved services, devices, hosting, factors."""

    resolved: pd.DataFrame
    devices: pd.DataFrame
    hosting: pd.DataFrame
    factors: pd.DataFrame
    user_electricity_item: str = "electricity_fr"
    network_items: tuple[str, str] = ("network_fixed_fr", "network_mobile_fr")
    server_item: str = "server"
    storage_item: str = "storage_array"
    server_lifetime_years: float = 5.0
    server_power_w: float = SERVER_POWER_W
    storage_capacity_gb: float = STORAGE_ARRAY_CAPACITY_GB
    storage_fill_rate: float = STORAGE_FILL_RATE
    storage_power_w: float = STORAGE_POWER_W
    storage_lifetime_years: float = STORAGE_LIFETIME_YEARS
    criteria: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self):
        if not self.criteria:
            present = list(dict.fromkeys(self.factors["criterion"]))
            order = ["climate_change", "adp_minerals", "adp_fossil", "ionising_radiation", "particulate_matter",
                     "acidification", "water", "final_energy"]
            self.criteria = tuple([c for c in order if c in present] + [c for c in present if c not in order])


def build_inputs(services: pd.DataFrame, factors: pd.DataFrame, categories: pd.DataFrame | None = None,
                 hosting_kinds: pd.DataFrame | None = None, hosting_sites: pd.DataFrame | None = None,
                 presets: pd.DataFrame | None = None, devices: pd.DataFrame | None = None) -> ServiceInputs:
    """Resolve the services and gather the devices, hosting and factors of the model.

    ``categories`` and ``hosting_kinds`` default to the reference library. The server lifetime is the ``server``
    category's (ADEME: 5 years).
    """
    from helpers.io import factors as factors_mod

    if categories is None:
        categories = factors_mod.load_categories()
    if hosting_kinds is None:
        hosting_kinds = factors_mod.load_hosting_kinds()
    resolved = resolve_services(services, presets)
    devices = device_table(categories) if devices is None else devices
    hosting = hosting_parameters(resolved, hosting_kinds, hosting_sites)
    def category(item: str, col: str, default: float) -> float:
        if categories is None or item not in set(categories.get("factor_item", [])):
            return default
        value = categories.loc[categories["factor_item"] == item, col].iat[0]
        return float(value) if pd.notna(value) and value > 0 else default

    return ServiceInputs(
        resolved=resolved, devices=devices, hosting=hosting, factors=factors,
        server_lifetime_years=category("server", "default_lifetime_years", 5.0),
        server_power_w=category("server", "default_power_w", SERVER_POWER_W),
        storage_power_w=category("storage_array", "default_power_w", STORAGE_POWER_W),
        storage_lifetime_years=category("storage_array", "default_lifetime_years", STORAGE_LIFETIME_YEARS),
    )


def parameter_table(inputs: ServiceInputs) -> pd.DataFrame:
    """The uncertain parameters of the model: every factor used, each hosting PUE and each device lifetime.

    Returns
    -------
    DataFrame indexed by parameter name (``f:<factor_id>``, ``pue:<key>``, ``life:<device>``) with ``value, low,
    high, distribution, stream``. ``stream`` is the key of the quantity in the study's one sampler
    (``helpers.model.uncertainty``), shared with the carbon balance: a factor keeps the library's distribution and its
    stream (its id or correlation group); the PUE of a hosting kind is ``pue:<kind>`` and a device's lifetime is
    ``lifetime:<category>`` of its first item, both split triangular (median = default, as in the balance); a
    measured site PUE is fixed; a device with no category draws its lifetime on its own stream ``life:<device>``.
    """
    items = set(inputs.devices["items"].explode()) | {inputs.user_electricity_item, *inputs.network_items,
                                                       inputs.server_item, inputs.storage_item}
    items |= set(inputs.hosting["electricity_item"].dropna())
    from helpers.model.uncertainty import stream_keys

    f = inputs.factors[inputs.factors["item"].isin(items)]
    rows = pd.DataFrame({"value": f["value"].to_numpy(float), "low": f["low"].to_numpy(float),
                         "high": f["high"].to_numpy(float), "distribution": f["distribution"].to_numpy(object),
                         "stream": stream_keys(f) if len(f) else np.array([], dtype=object)},
                        index=["f:" + i for i in f["factor_id"]])
    pue = inputs.hosting.drop_duplicates("pue_key").set_index("pue_key")
    keys = pue.index.astype(str).to_series()
    pue_rows = pd.DataFrame({"value": pue["pue"].to_numpy(float), "low": pue["pue_low"].to_numpy(float),
                             "high": pue["pue_high"].to_numpy(float),
                             "distribution": np.where(pue["pue_low"] < pue["pue_high"], "split_triangular", "none"),
                             "stream": np.where(keys.str.startswith("kind:"),
                                                "pue:" + keys.str.removeprefix("kind:"), "pue:" + keys)},
                            index=["pue:" + k for k in keys])
    dev = inputs.devices
    own = ("life:" + dev.index.astype(str)).to_numpy(dtype=object)
    shared = (dev["lifetime_stream"].fillna("").astype(str).to_numpy(dtype=object) if "lifetime_stream" in dev
              else np.full(len(dev), "", dtype=object))
    life_rows = pd.DataFrame({"value": dev["lifetime_years"].to_numpy(float),
                              "low": dev["lifetime_low_years"].to_numpy(float),
                              "high": dev["lifetime_high_years"].to_numpy(float), "distribution": "split_triangular",
                              "stream": np.where(shared != "", shared, own)}, index=own)
    table = pd.concat([rows, pue_rows, life_rows])
    table["stream"] = table["stream"].fillna("").astype(str)
    table = table[~table.index.duplicated()]
    return table.sort_index()


def central_parameters(table: pd.DataFrame) -> dict[str, np.ndarray]:
    """The central value of every parameter, as arrays of length 1."""
    return {name: np.array([v], dtype=float) for name, v in table["value"].items()}


# ----------------------------------------------------------------------------------------------------------------
# Core formulas (pure, vectorised)
# ----------------------------------------------------------------------------------------------------------------


def device_lifetime_hours(lifetime_years, hours_per_day, days_per_year: float = DAYS_PER_YEAR):
    """Hours of use over a device's life, ADEME ``terminaux.publicodes``: ``jours par an × durée de vie × profil
    d'utilisation`` (365 days, theoretical h/day)."""
    return np.asarray(lifetime_years) * days_per_year * np.asarray(hours_per_day)


def terminals_kg(device_hours, shares, embodied_kg, lifetime_hours, power_w, electricity_kg_per_kwh,
                 device_kwh=None):
    """Terminal tier per functional unit.

    ``build = hours × Σ_d share_d × embodied_d / lifetime_hours_d`` (ADEME ``terminaux.publicodes``:
    ``construction × durée / durée d'usage``), ``use = kWh × electricity factor`` with
    ``kWh = hours × Σ_d share_d × W_d / 1000`` unless a measured ``device_kwh`` is given.

    Parameters
    ----------
    device_hours : (S, K) or (S, 1) hours of device per functional unit
    shares : (S, D) or (S, D, K) device mix
    embodied_kg, lifetime_hours, power_w : (D, K) or (D, 1) per device
    electricity_kg_per_kwh : (K,) or scalar, impact per kWh of the users' electricity
    device_kwh : (S, 1) measured kWh per unit, NaN where not measured

    Returns
    -------
    (build, use, kwh), each (S, K)
    """
    shares = np.asarray(shares, dtype=float)
    if shares.ndim == 2:
        shares = shares[:, :, None]
    per_hour = (shares * (np.asarray(embodied_kg) / np.asarray(lifetime_hours))[None]).sum(axis=1)
    watts = (shares * np.asarray(power_w)[None]).sum(axis=1)
    hours = np.asarray(device_hours, dtype=float)
    build = hours * per_hour
    kwh = hours * watts / 1000.0
    if device_kwh is not None:
        measured = np.asarray(device_kwh, dtype=float)
        kwh = np.where(np.isnan(measured), kwh, measured)
    return build, kwh * electricity_kg_per_kwh, kwh


def network_kg(data_gb, mobile_traffic_share, fixed_kg_per_gb, mobile_kg_per_gb):
    """Network tier per functional unit: ``GB × ((1 − m) × fixed + m × mobile)`` (ADEME ``transmission``,
    NegaOctet per-GB factors)."""
    m = np.asarray(mobile_traffic_share, dtype=float)
    return np.asarray(data_gb, dtype=float) * ((1.0 - m) * fixed_kg_per_gb + m * mobile_kg_per_gb)


def datacentre_kg(server_hours, storage_gb_years, server_embodied_kg, server_lifetime_years, storage_embodied_kg,
                  pue, electricity_kg_per_kwh, dc_it_kwh=None, overhead_ratio: float = DC_OVERHEAD_RATIO,
                  server_power_w: float = SERVER_POWER_W, storage_capacity_gb: float = STORAGE_ARRAY_CAPACITY_GB,
                  storage_fill_rate: float = STORAGE_FILL_RATE, storage_power_w: float = STORAGE_POWER_W,
                  storage_lifetime_years: float = STORAGE_LIFETIME_YEARS):
    """Data-centre tier per functional unit (ADEME ``data center.publicodes``).

    ``build = server_h × server_embodied × (1 + overhead) / (lifetime × 8760) + GB·years × storage_embodied /
    (capacity × fill × storage lifetime)``;
    ``IT kWh = server_h × W_server / 1000 + GB·years × W_storage × 8760 / (capacity × fill) / 1000`` (or the measured
    ``dc_it_kwh``); ``use = IT kWh × PUE × electricity factor``.

    Returns
    -------
    (build, use, it_kwh), each (S, K)
    """
    sh = np.asarray(server_hours, dtype=float)
    st = np.asarray(storage_gb_years, dtype=float)
    usable_gb = storage_capacity_gb * storage_fill_rate
    build = (sh * server_embodied_kg * (1.0 + overhead_ratio) / (server_lifetime_years * HOURS_PER_YEAR)
             + st * storage_embodied_kg / (usable_gb * storage_lifetime_years))
    it_kwh = sh * server_power_w / 1000.0 + st * storage_power_w * HOURS_PER_YEAR / usable_gb / 1000.0
    if dc_it_kwh is not None:
        measured = np.asarray(dc_it_kwh, dtype=float)
        it_kwh = np.where(np.isnan(measured), it_kwh, measured)
    return build, it_kwh * pue * electricity_kg_per_kwh, it_kwh


def swd_v4_g(data_gb_decimal, device_g_per_kwh, network_g_per_kwh, datacentre_g_per_kwh,
             embodied_g_per_kwh: float = SWD_V4_GLOBAL_G_PER_KWH) -> dict[str, np.ndarray]:
    """Sustainable Web Design model v4 per transfer (co2.js ``sustainable-web-design-v4.js``, ``perByte``).

    ``operational_segment = GB × kWh/GB × grid intensity of the segment``; ``embodied_segment = GB × kWh/GB × 494``
    (SWD v4 fixes the embodied intensity to the global grid). ``data_gb_decimal`` counts 10^9 bytes per GB.

    Returns
    -------
    dict of gCO2e per segment (``operational_datacentre`` …, ``embodied_device``) and ``total``.
    """
    gb = np.asarray(data_gb_decimal, dtype=float)
    grid = {"datacentre": datacentre_g_per_kwh, "network": network_g_per_kwh, "device": device_g_per_kwh}
    out = {}
    for seg in ("datacentre", "network", "device"):
        out[f"operational_{seg}"] = gb * SWD_V4_KWH_PER_GB[f"operational_{seg}"] * np.asarray(grid[seg], dtype=float)
        out[f"embodied_{seg}"] = gb * SWD_V4_KWH_PER_GB[f"embodied_{seg}"] * embodied_g_per_kwh
    out["total"] = sum(out.values())
    return out


def swd_rating(g_per_page_view) -> np.ndarray:
    """SWD v4 rating (A+ … F) of gCO2e per page view (co2.js ``SWDMV4_RATINGS``)."""
    g = np.asarray(g_per_page_view, dtype=float)
    out = np.full(g.shape, "F", dtype=object)
    for threshold, grade in reversed(SWD_V4_RATINGS):
        out = np.where(g <= threshold, grade, out)
    return out


# ----------------------------------------------------------------------------------------------------------------
# Evaluation
# ----------------------------------------------------------------------------------------------------------------


def _stack(arrays) -> np.ndarray:
    """Stack arrays of shape (K,) or (1,) into (N, K)."""
    arrays = [np.atleast_1d(np.asarray(a, dtype=float)) for a in arrays]
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    return np.stack([np.broadcast_to(a, shape) for a in arrays])


def _factor(values: dict, factors_index: set, item: str, phase: str, criterion: str, missing: set):
    key = f"{item}:{phase}:{criterion}"
    if key in factors_index:
        return values["f:" + key]
    missing.add(item)
    return np.zeros(1)


def _embodied(values, factors_index, items, criterion, missing):
    total = 0.0
    found = False
    lacking = []
    for item in items:
        for phase in PHASES_EMBODIED:
            key = f"{item}:{phase}:{criterion}"
            if key in factors_index:
                total = total + values["f:" + key]
                found = True
        if not any(f"{item}:{p}:{criterion}" in factors_index for p in PHASES_EMBODIED):
            lacking.append(item)
    missing.update(lacking)
    return total if found else np.zeros(1)


@dataclass
class Drivers:
    """Per-service drivers as arrays (S, 1) or (S, K), and the device mix (S, D) or (S, D, K)."""

    device_hours: np.ndarray
    shares: np.ndarray
    data_gb: np.ndarray
    mobile_traffic: np.ndarray
    server_hours: np.ndarray
    storage_gb_years: np.ndarray
    device_kwh: np.ndarray
    dc_it_kwh: np.ndarray

    @classmethod
    def from_resolved(cls, resolved: pd.DataFrame, devices: pd.DataFrame) -> Drivers:
        col = lambda c: resolved[c].to_numpy(dtype=float)[:, None]  # noqa: E731
        shares = np.column_stack([resolved.get(f"share_{d}", pd.Series(0.0, index=resolved.index))
                                  .to_numpy(dtype=float) for d in devices.index])
        return cls(col("device_hours_per_unit"), shares, col("data_gb_per_unit"), col("mobile_traffic_share"),
                   col("server_hours_per_unit"), col("storage_gb_years_per_unit"), col("device_kwh_per_unit"),
                   col("dc_it_kwh_per_unit"))


def evaluate(inputs: ServiceInputs, values: dict[str, np.ndarray], criteria=None, drivers: Drivers | None = None,
             scale: dict[str, np.ndarray] | None = None) -> dict[str, dict[str, np.ndarray]]:
    """Impacts per functional unit of every service for the given parameter values.

    Parameters
    ----------
    inputs : :func:`build_inputs` output
    values : parameter name -> array (K,) (:func:`seeded_parameter_draws` or :func:`central_parameters`)
    criteria : criteria to compute (default: all of the factor table)
    drivers : per-service drivers (default: from ``inputs.resolved``)
    scale : optional multipliers used by the sensitivity analysis (``terminal_embodied``, ``device_power``,
        ``elec_user``, ``network``, ``dc_embodied``, ``elec_dc``), each (K,)

    Returns
    -------
    dict criterion -> dict with arrays (S, K) in the criterion's unit per functional unit: ``terminals_build``,
    ``terminals_use``, ``network``, ``datacentre_build``, ``datacentre_use``, ``terminals``, ``datacentre``,
    ``total``; and ``missing`` -> list (one set of item names per service) of items without a factor for that
    criterion among those the service needs.
    """
    criteria = inputs.criteria if criteria is None else tuple(criteria)
    drv = drivers if drivers is not None else Drivers.from_resolved(inputs.resolved, inputs.devices)
    scale = scale or {}
    one = np.ones(1)
    sc = lambda k: scale.get(k, one)  # noqa: E731
    fidx = set(inputs.factors["factor_id"])
    dev = inputs.devices
    life_y = [values.get("life:" + d, np.array([dev.loc[d, "lifetime_years"]])) for d in dev.index]
    life_h = _stack([device_lifetime_hours(y, dev.loc[d, "hours_per_day"]) for y, d in zip(life_y, dev.index)])
    pro = dev if "pro_hours_per_day" in dev else dev.assign(pro_hours_per_day=PRO_HOURS_PER_DAY,
                                                              pro_days_per_year=PRO_DAYS_PER_YEAR)
    life_h_pro = _stack([device_lifetime_hours(y, pro.loc[d, "pro_hours_per_day"], pro.loc[d, "pro_days_per_year"])
                         for y, d in zip(life_y, dev.index)])
    audience = inputs.resolved["audience"] if "audience" in inputs.resolved else None
    agents = (np.asarray(audience.astype(object).fillna("citizens") == "agents")[:, None] if audience is not None
              else np.zeros((len(inputs.resolved), 1), dtype=bool))
    power = dev["power_w"].to_numpy(float)[:, None] * sc("device_power")
    pue = _stack([values["pue:" + k] for k in inputs.hosting["pue_key"]])
    S = len(inputs.resolved)
    needs_dev = np.asarray(drv.shares).reshape(S, len(dev), -1).max(axis=2) > 0
    out: dict[str, dict[str, np.ndarray]] = {}
    for crit in criteria:
        miss_dev = [set() for _ in range(S)]
        emb = []
        for j, d in enumerate(dev.index):
            m: set = set()
            emb.append(_embodied(values, fidx, dev.loc[d, "items"], crit, m) * sc("terminal_embodied"))
            for s in np.flatnonzero(needs_dev[:, j]):
                miss_dev[s] |= m
        emb = _stack(emb)
        m_user: set = set()
        elec_user = _factor(values, fidx, inputs.user_electricity_item, "use", crit, m_user) * sc("elec_user")
        build_t, use_t, _ = terminals_kg(drv.device_hours, drv.shares, emb, life_h, power, elec_user,
                                         drv.device_kwh)
        if agents.any():  # agents' services: the embodied impact over the professional hours of a lifetime
            build_pro, _, _ = terminals_kg(drv.device_hours, drv.shares, emb, life_h_pro, power, elec_user,
                                           drv.device_kwh)
            build_t = np.where(agents, build_pro, build_t)
        m_net: set = set()
        fixed = _factor(values, fidx, inputs.network_items[0], "use", crit, m_net) * sc("network")
        mobile = _factor(values, fidx, inputs.network_items[1], "use", crit, m_net) * sc("network")
        net = network_kg(drv.data_gb, drv.mobile_traffic, fixed, mobile)
        m_srv: set = set()
        m_sto: set = set()
        server_emb = _embodied(values, fidx, (inputs.server_item,), crit, m_srv) * sc("dc_embodied")
        storage_emb = _embodied(values, fidx, (inputs.storage_item,), crit, m_sto) * sc("dc_embodied")
        elec_dc = []
        m_elec_dc = []
        for item in inputs.hosting["electricity_item"]:
            m: set = set()
            elec_dc.append(_factor(values, fidx, item, "use", crit, m) * sc("elec_dc"))
            m_elec_dc.append(m)
        elec_dc = _stack(elec_dc)
        build_d, use_d, _ = datacentre_kg(drv.server_hours, drv.storage_gb_years, server_emb,
                                          inputs.server_lifetime_years, storage_emb, pue, elec_dc, drv.dc_it_kwh,
                                          server_power_w=inputs.server_power_w,
                                          storage_capacity_gb=inputs.storage_capacity_gb,
                                          storage_fill_rate=inputs.storage_fill_rate,
                                          storage_power_w=inputs.storage_power_w,
                                          storage_lifetime_years=inputs.storage_lifetime_years)
        parts = {"terminals_build": build_t, "terminals_use": use_t, "network": net,
                 "datacentre_build": build_d, "datacentre_use": use_d}
        shape = np.broadcast_shapes(*(p.shape for p in parts.values()))
        parts = {k: np.broadcast_to(v, shape).astype(float) for k, v in parts.items()}
        parts["terminals"] = parts["terminals_build"] + parts["terminals_use"]
        parts["datacentre"] = parts["datacentre_build"] + parts["datacentre_use"]
        parts["total"] = parts["terminals"] + parts["network"] + parts["datacentre"]
        missing = []
        hours = np.asarray(drv.device_hours).reshape(S, -1).max(axis=1)
        gb = np.asarray(drv.data_gb).reshape(S, -1).max(axis=1)
        srv = np.asarray(drv.server_hours).reshape(S, -1).max(axis=1)
        sto = np.asarray(drv.storage_gb_years).reshape(S, -1).max(axis=1)
        for s in range(S):
            ms = set(miss_dev[s]) if hours[s] > 0 else set()
            if hours[s] > 0:
                ms |= m_user
            if gb[s] > 0:
                ms |= m_net
            if srv[s] > 0:
                ms |= m_srv | m_elec_dc[s]
            if sto[s] > 0:
                ms |= m_sto | m_elec_dc[s]
            missing.append(ms)
        parts["missing"] = missing
        out[crit] = parts
    return out


# ----------------------------------------------------------------------------------------------------------------
# Results tables
# ----------------------------------------------------------------------------------------------------------------

PARTS: tuple[str, ...] = ("terminals_build", "terminals_use", "network", "datacentre_build", "datacentre_use",
                          "terminals", "datacentre", "total")


@dataclass
class LcaResult:
    """Central values and Monte Carlo draws of the services' impacts."""

    inputs: ServiceInputs
    central: dict
    draws: dict
    n_draws: int
    seed: int

    def per_unit(self, criterion: str = "climate_change") -> pd.DataFrame:
        """Per functional unit, in the criterion's unit: central value of every part, ``low``/``high`` of the total
        (2.5th and 97.5th percentiles)."""
        r = self.inputs.resolved
        c = self.central[criterion]
        df = pd.DataFrame({p: c[p][:, 0] for p in PARTS}, index=r["service_id"])
        tot = self.draws[criterion]["total"]
        df["low"] = np.percentile(tot, 2.5, axis=1)
        df["high"] = np.percentile(tot, 97.5, axis=1)
        df["missing_items"] = [", ".join(sorted(m)) for m in c["missing"]]
        return df

    def annual(self, criterion: str = "climate_change") -> pd.DataFrame:
        """Per year (per-unit × annual units), in the criterion's unit: ``value``, ``low``, ``high``."""
        units = self.inputs.resolved["units_per_year"].to_numpy(float)
        c = self.central[criterion]["total"][:, 0] * units
        d = self.draws[criterion]["total"] * units[:, None]
        return pd.DataFrame({"value": c, "low": np.percentile(d, 2.5, axis=1), "high": np.percentile(d, 97.5, axis=1)},
                            index=self.inputs.resolved["service_id"])

    def total_annual_draws(self, criterion: str = "climate_change") -> np.ndarray:
        units = self.inputs.resolved["units_per_year"].to_numpy(float)
        return (self.draws[criterion]["total"] * units[:, None]).sum(axis=0)


def seeded_parameter_draws(table: pd.DataFrame, n_draws: int, seed: int) -> dict[str, np.ndarray]:
    """One draw per parameter of ``table`` from the study's one sampler (``helpers.model.uncertainty.keyed_draws`` with
    the seed and the row's ``stream``, or its name when it has none), shared by every service: a quantity the
    carbon balance also draws (a factor, a kind's PUE, a category's lifetime) has the very same draw in both, so
    their sum in the action plan is not made narrower by drawing it twice independently, and no draw depends on the
    order of the rows. The arrays are read-only; the dict is the caller's own."""
    from helpers.model.uncertainty import keyed_draws

    streams = table["stream"].astype(str) if "stream" in table else pd.Series("", index=table.index)
    rows = zip(table.index.tolist(), table["distribution"].astype(str).tolist(), table["value"].tolist(),
               table["low"].tolist(), table["high"].tolist(), streams.tolist())
    return {name: keyed_draws(dist, float(value), float(low), float(high), int(n_draws), int(seed), key or name)
            for name, dist, value, low, high, key in rows}  # one step per parameter (tens)


#: the parts of a service's footprint that are activity rows (the others are their sums)
ROW_PARTS: tuple[str, ...] = ("terminals_build", "terminals_use", "network", "datacentre_build", "datacentre_use")


def activity_rows(inputs: ServiceInputs, table: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The services model as rows of the study's one activity model, per functional unit, and their multipliers.

    Each row is ``activity × factor(item, phase) × multiplier``, as in the carbon balance
    (``helpers.model.carbon.monte_carlo``), with the formulas of :func:`terminals_kg`, :func:`network_kg` and
    :func:`datacentre_kg` written out:

    - ``terminals_build``: for each device d of the mix and each embodied phase of each of its items,
      ``hours × share_d / lifetime_hours_d`` (consumer or professional profile), multiplier ``default / T`` of the
      device's lifetime T (``lifetime_param``);
    - ``terminals_use``: the device kWh (measured, or ``hours × Σ share_d × W_d / 1000``) on the users' electricity;
    - ``network``: ``GB × (1 − m)`` on the fixed network, ``GB × m`` on the mobile network;
    - ``datacentre_build``: the server's and the storage array's embodied phases, per server hour and per GB·year;
    - ``datacentre_use``: the IT kWh on the hosting's electricity, plus ``IT kWh × (PUE − 1)`` with the multiplier
      ``(P − 1) / (PUE − 1)`` of a drawn PUE (``extra_param``); a measured site PUE is a constant.

    Returns
    -------
    (rows, params): ``rows`` with ``service`` (position in ``inputs.resolved``), ``part``, ``item``,
    ``factor_phase``, ``activity``, ``quantity_param``, ``lifetime_param``, ``extra_param``; ``params`` in the
    format of ``helpers.model.carbon.parameter_table`` (``param_id`` = the stream of the one sampler, so a lifetime or a
    PUE has the same draw as in the balance, and :func:`seeded_parameter_draws` gives the same values).
    """
    table = parameter_table(inputs) if table is None else table
    drv = Drivers.from_resolved(inputs.resolved, inputs.devices)
    dev = inputs.devices
    S, D = len(inputs.resolved), len(dev)
    hours = drv.device_hours[:, 0]
    shares = np.asarray(drv.shares, dtype=float).reshape(S, D)
    pro = dev if "pro_hours_per_day" in dev else dev.assign(pro_hours_per_day=PRO_HOURS_PER_DAY,
                                                              pro_days_per_year=PRO_DAYS_PER_YEAR)
    life_years = dev["lifetime_years"].to_numpy(float)
    life_h = device_lifetime_hours(life_years, dev["hours_per_day"].to_numpy(float))
    life_h_pro = device_lifetime_hours(life_years, pro["pro_hours_per_day"].to_numpy(float),
                                       pro["pro_days_per_year"].to_numpy(float))
    audience = inputs.resolved["audience"] if "audience" in inputs.resolved else None
    agents = (np.asarray(audience.astype(object).fillna("citizens") == "agents") if audience is not None
              else np.zeros(S, dtype=bool))
    life_stream = table.loc["life:" + dev.index.astype(str), "stream"].to_numpy(dtype=object)
    names = ("service", "part", "item", "factor_phase", "activity", "quantity_param", "lifetime_param", "extra_param")
    blocks: dict[str, list[np.ndarray]] = {k: [] for k in names}  # column -> arrays, one frame at the end

    def add(service, part, item, phases, activity, lifetime="", extra=""):
        service = np.asarray(service, dtype=np.int64)
        n = len(service)
        activity = np.broadcast_to(np.asarray(activity, dtype=float), (n,))
        for phase in phases:
            for name, value in zip(names, (service, part, item, phase, activity, "", lifetime, extra)):
                blocks[name].append(value if isinstance(value, np.ndarray) else np.full(n, value, dtype=object))

    everyone = np.arange(S)
    for j, d in enumerate(dev.index):  # one step per device type (four)
        s = np.flatnonzero(shares[:, j] > 0)
        per_unit = hours[s] * shares[s, j] / np.where(agents[s], life_h_pro[j], life_h[j])
        for item in dev.loc[d, "items"]:
            add(s, "terminals_build", item, PHASES_EMBODIED, per_unit, lifetime=life_stream[j])
    watts = shares @ dev["power_w"].to_numpy(float)
    device_kwh = np.where(np.isnan(drv.device_kwh[:, 0]), hours * watts / 1000.0, drv.device_kwh[:, 0])
    add(everyone, "terminals_use", inputs.user_electricity_item, ("use",), device_kwh)
    gb, m = drv.data_gb[:, 0], drv.mobile_traffic[:, 0]
    add(everyone, "network", inputs.network_items[0], ("use",), gb * (1.0 - m))
    add(everyone, "network", inputs.network_items[1], ("use",), gb * m)
    sh, st = drv.server_hours[:, 0], drv.storage_gb_years[:, 0]
    usable_gb = inputs.storage_capacity_gb * inputs.storage_fill_rate
    add(everyone, "datacentre_build", inputs.server_item, PHASES_EMBODIED,
        sh * (1.0 + DC_OVERHEAD_RATIO) / (inputs.server_lifetime_years * HOURS_PER_YEAR))
    add(everyone, "datacentre_build", inputs.storage_item, PHASES_EMBODIED,
        st / (usable_gb * inputs.storage_lifetime_years))
    it_kwh = sh * inputs.server_power_w / 1000.0 + st * inputs.storage_power_w * HOURS_PER_YEAR / usable_gb / 1000.0
    it_kwh = np.where(np.isnan(drv.dc_it_kwh[:, 0]), it_kwh, drv.dc_it_kwh[:, 0])
    pue_rows = table.loc["pue:" + inputs.hosting["pue_key"].astype(str)]
    pue = pue_rows["value"].to_numpy(float)
    drawn = (pue_rows["distribution"] != "none").to_numpy()
    elec = inputs.hosting["electricity_item"].astype(str).to_numpy(dtype=object)
    for item in pd.unique(elec):  # one step per electricity item of the hostings (one or two)
        s = np.flatnonzero(elec == item)
        add(s, "datacentre_use", item, ("use",), it_kwh[s] * np.where(drawn[s], 1.0, pue[s]))
        o = s[drawn[s]]
        for stream in pd.unique(pue_rows["stream"].to_numpy(dtype=object)[o]):
            k = o[pue_rows["stream"].to_numpy(dtype=object)[o] == stream]
            add(k, "datacentre_use", item, ("use",), it_kwh[k] * (pue[k] - 1.0), extra=stream)
    rows = (pd.DataFrame({k: np.concatenate(v) for k, v in blocks.items()}) if blocks["service"] else
            pd.DataFrame(columns=list(names)))
    rows = rows[rows["activity"] != 0].reset_index(drop=True)
    life = table.loc["life:" + dev.index.astype(str)]
    drawn_pue = pue_rows[drawn].drop_duplicates("stream")
    params = pd.DataFrame({
        "param_id": np.r_[life["stream"].to_numpy(dtype=object), drawn_pue["stream"].to_numpy(dtype=object)],
        "kind": ["lifetime"] * len(life) + ["pue"] * len(drawn_pue),
        "key": np.r_[life.index.to_numpy(dtype=object), drawn_pue.index.to_numpy(dtype=object)],
        "distribution": np.r_[life["distribution"].to_numpy(dtype=object),
                              drawn_pue["distribution"].to_numpy(dtype=object)],
        "low": np.r_[life["low"].to_numpy(float), drawn_pue["low"].to_numpy(float)],
        "mode": np.r_[life["value"].to_numpy(float), drawn_pue["value"].to_numpy(float)],
        "high": np.r_[life["high"].to_numpy(float), drawn_pue["high"].to_numpy(float)], "quality": "",
    }).drop_duplicates("param_id").reset_index(drop=True)
    return rows, params


def activity_draws(inputs: ServiceInputs, n_draws: int, seed: int, criteria=None) -> dict[str, dict[str, np.ndarray]]:
    """Monte Carlo draws of every part of every service per functional unit, by the study's one engine
    (``helpers.model.carbon.monte_carlo`` on :func:`activity_rows`, the balance's sampler and evaluation): criterion ->
    part -> (S, n_draws), with the sums ``terminals``, ``datacentre`` and ``total`` as in :func:`evaluate`."""
    from helpers.model.carbon import monte_carlo

    criteria = inputs.criteria if criteria is None else tuple(criteria)
    rows, params = activity_rows(inputs)
    S = len(inputs.resolved)
    mc = monte_carlo(rows, inputs.factors, params, criteria, n_draws, seed, keep_cells=tuple(criteria),
                     sensitivity_criterion=None, cell_keys=("service", "part"), report_missing=False)
    service = mc.cells["service"].to_numpy(dtype=np.int64)
    part = mc.cells["part"].astype(str).to_numpy()
    out: dict[str, dict[str, np.ndarray]] = {}
    for c in criteria:
        parts = {}
        for p in ROW_PARTS:
            x = np.zeros((S, n_draws))
            sel = np.flatnonzero(part == p)
            if c in mc.draws and len(sel):
                x[service[sel]] = mc.draws[c][sel]
            parts[p] = x
        parts["terminals"] = parts["terminals_build"] + parts["terminals_use"]
        parts["datacentre"] = parts["datacentre_build"] + parts["datacentre_use"]
        parts["total"] = parts["terminals"] + parts["network"] + parts["datacentre"]
        out[c] = parts
    return out


def run_lca(inputs: ServiceInputs, n_draws: int = 10_000, seed: int = 20200101, criteria=None) -> LcaResult:
    """Central values (:func:`evaluate`, the model's formulas) and a seeded Monte Carlo by the study's one engine
    (:func:`activity_draws`: the same model as activity rows, drawn by the balance's sampler and evaluation, so a
    factor, a PUE or a lifetime has the same draw as in the balance; equal to :func:`evaluate` on
    :func:`seeded_parameter_draws` to rounding, which a test checks)."""
    table = parameter_table(inputs)
    central = evaluate(inputs, central_parameters(table), criteria)
    draws = activity_draws(inputs, max(int(n_draws), 2), seed, criteria)
    return LcaResult(inputs=inputs, central=central, draws=draws, n_draws=int(n_draws), seed=int(seed))


def annual_tco2e(services: pd.DataFrame, factors: pd.DataFrame, categories: pd.DataFrame | None = None,
                 hosting_kinds: pd.DataFrame | None = None, hosting_sites: pd.DataFrame | None = None,
                 presets: pd.DataFrame | None = None) -> pd.Series:
    """Central annual climate impact (tCO2e) per service: the entry point for the actions module (rerun after
    :func:`apply_scenario`)."""
    inputs = build_inputs(services, factors, categories, hosting_kinds, hosting_sites, presets)
    table = parameter_table(inputs)
    res = evaluate(inputs, central_parameters(table), ("climate_change",))
    per_unit = res["climate_change"]["total"][:, 0]
    return pd.Series(per_unit * inputs.resolved["units_per_year"].to_numpy(float) / 1000.0,
                     index=inputs.resolved["service_id"].to_numpy(), name="annual_tco2e")


def lca_table(result: LcaResult) -> pd.DataFrame:
    """The per-service climate table (gCO2e per unit with interval, tier split, tCO2e per year with interval).

    Columns: ``service_id, name, type, functional_unit, units_per_year, gco2e_per_unit, gco2e_low, gco2e_high,
    terminals_g, network_g, datacentre_g, terminals_share, network_share, datacentre_share, annual_tco2e,
    annual_tco2e_low, annual_tco2e_high, hosting, pue, ecoindex_grade, missing_items``.
    """
    r = result.inputs.resolved.reset_index(drop=True)
    pu = result.per_unit("climate_change").reset_index(drop=True)
    an = result.annual("climate_change").reset_index(drop=True)
    total = pu["total"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = {t: np.where(total > 0, pu[t].to_numpy() / total, np.nan) for t in TIERS}
    return pd.DataFrame({
        "service_id": r["service_id"], "name": r["name"], "type": r["type"], "functional_unit": r["functional_unit"],
        "units_per_year": r["units_per_year"],
        "gco2e_per_unit": total * 1000, "gco2e_low": pu["low"] * 1000, "gco2e_high": pu["high"] * 1000,
        "terminals_g": pu["terminals"] * 1000, "network_g": pu["network"] * 1000,
        "datacentre_g": pu["datacentre"] * 1000,
        "terminals_share": shares["terminals"], "network_share": shares["network"],
        "datacentre_share": shares["datacentre"],
        "annual_tco2e": an["value"] / 1000, "annual_tco2e_low": an["low"] / 1000,
        "annual_tco2e_high": an["high"] / 1000,
        "hosting": result.inputs.hosting["hosting"].to_numpy(), "pue": result.inputs.hosting["pue"].to_numpy(),
        "ecoindex_grade": r["ecoindex_grade"], "missing_items": pu["missing_items"],
    })


def criteria_table(result: LcaResult) -> pd.DataFrame:
    """Every criterion for every service: per functional unit and per year with 95 % intervals, and the items that
    lack a factor for that criterion (the value then covers the other items only)."""
    from helpers.io.factors import criteria_units

    units = criteria_units()
    rows = []
    per_year = result.inputs.resolved["units_per_year"].to_numpy(float)
    for crit in result.central:
        tot_c = result.central[crit]["total"][:, 0]
        tot_d = result.draws[crit]["total"]
        for s, sid in enumerate(result.inputs.resolved["service_id"]):
            missing = sorted(result.central[crit]["missing"][s])
            rows.append({
                "service_id": sid, "criterion": crit, "unit": units.get(crit, ""),
                "per_unit": tot_c[s], "per_unit_low": np.percentile(tot_d[s], 2.5),
                "per_unit_high": np.percentile(tot_d[s], 97.5),
                "per_year": tot_c[s] * per_year[s], "per_year_low": np.percentile(tot_d[s], 2.5) * per_year[s],
                "per_year_high": np.percentile(tot_d[s], 97.5) * per_year[s],
                "complete": not missing, "missing_items": ", ".join(missing),
            })
    return pd.DataFrame(rows)


def swd_comparison(result: LcaResult, types=("website", "portal")) -> pd.DataFrame:
    """SWD v4 beside the bottom-up estimate, per functional unit (gCO2e), for web services.

    Two SWD variants: ``swd_fr_g`` (operational device and network at the users' French electricity factor, data
    centre at the hosting's electricity factor, embodied at 494 g/kWh as SWD v4 prescribes) and ``swd_global_g``
    (494 g/kWh everywhere, the model's default). ``difference_pct`` = (SWD FR − bottom-up) ÷ bottom-up. The SWD
    rating is computed per page view with the global variant, as co2.js does.
    """
    inputs = result.inputs
    r = inputs.resolved.reset_index(drop=True)
    keep = r["type"].isin(types).to_numpy()
    f = inputs.factors.set_index("factor_id")["value"]
    fr = float(f.get(f"{inputs.user_electricity_item}:use:climate_change", np.nan)) * 1000
    dc = inputs.hosting["electricity_item"].map(lambda i: f.get(f"{i}:use:climate_change", np.nan)).to_numpy(float)
    gb_dec = r["data_gb_per_unit"].to_numpy(float) * 1024.0**3 / SWD_BYTES_PER_GB  # GB of 1024³ bytes -> 10⁹
    swd_fr = swd_v4_g(gb_dec, fr, fr, dc * 1000)
    swd_gl = swd_v4_g(gb_dec, SWD_V4_GLOBAL_G_PER_KWH, SWD_V4_GLOBAL_G_PER_KWH, SWD_V4_GLOBAL_G_PER_KWH)
    bottom = result.central["climate_change"]["total"][:, 0] * 1000
    pages = r["pages_per_unit"].fillna(1.0).to_numpy(float)
    out = pd.DataFrame({
        "service_id": r["service_id"], "name": r["name"], "data_mb_per_unit": r["data_gb_per_unit"] * MB_PER_GB,
        "bottom_up_g": bottom, "swd_fr_g": swd_fr["total"], "swd_global_g": swd_gl["total"],
        "swd_fr_operational_g": swd_fr["total"] - sum(swd_fr[k] for k in swd_fr if k.startswith("embodied")),
        "swd_embodied_g": sum(swd_fr[k] for k in swd_fr if k.startswith("embodied")),
        "difference_pct": (swd_fr["total"] - bottom) / bottom * 100,
        "difference_global_pct": (swd_gl["total"] - bottom) / bottom * 100,
        "swd_rating_per_page": swd_rating(swd_gl["total"] / pages),
    })
    return out[keep].reset_index(drop=True)


# ----------------------------------------------------------------------------------------------------------------
# Scenarios
# ----------------------------------------------------------------------------------------------------------------

#: scenario -> (French label, default parameters, what it changes)
SCENARIOS: dict[str, tuple[str, dict, str]] = {
    "visio_audio_only": ("Visio : une part des heures en audio seul (caméra coupée)", {"share": 0.5},
                         "audio_share of visio services: a share of the remaining video hours switch to audio"),
    "page_weight": ("Pages web allégées", {"reduction": 0.5},
                    "page_weight_mb (and gb_per_unit if given) of website/portal services × (1 − reduction)"),
    "lazy_loading": ("Chargement différé des contenus (lazy loading)", {"reduction": 0.3},
                     "loaded_share and requests_per_visit of website/portal services × (1 − reduction)"),
    "video_quality": ("Qualité vidéo réduite", {"quality": "sd", "types": ("visio", "streaming")},
                      "video_quality lowered to 'quality' (never raised) for visio/streaming services"),
    "storage_purge": ("Purge du stockage", {"reduction": 0.3},
                      "annual_volume of storage services × (1 − reduction)"),
    "mobile_to_wifi": ("Bascule du réseau mobile vers le Wi-Fi", {"share": 0.5},
                       "mobile_network_share × (1 − share) for all services"),
}
SCENARIO_ALIASES = {"visio_camera_off": "visio_audio_only", "camera_off": "visio_audio_only",
                    "audio_only": "visio_audio_only"}


def apply_scenario(services: pd.DataFrame, scenario: str, service_ids=None, presets: pd.DataFrame | None = None,
                   **params) -> pd.DataFrame:
    """Return a modified services table for a reduction scenario, so the same model reruns on it.

    Parameters
    ----------
    services : the services table (raw or resolved); defaults are filled first (:func:`resolve_services`)
    scenario : one of :data:`SCENARIOS` (aliases ``visio_camera_off``, ``camera_off``, ``audio_only``)
    service_ids : restrict the change to these services (default: every service of the relevant types)
    presets : service presets (default: reference file)
    **params : the scenario's parameters (defaults in :data:`SCENARIOS`): ``share`` (0–1), ``reduction`` (0–1),
        ``quality`` (``audio|sd|hd|4k``), ``types``

    Raises
    ------
    ValueError
        unknown scenario (with the known names) or a parameter out of range.
    """
    name = SCENARIO_ALIASES.get(scenario, scenario)
    if name not in SCENARIOS:
        raise ValueError(f"unknown scenario '{scenario}'; known: {sorted(SCENARIOS) + sorted(SCENARIO_ALIASES)}")
    p = dict(SCENARIOS[name][1])
    unknown = set(params) - set(p)
    if unknown:
        raise ValueError(f"scenario '{name}' takes {sorted(p)}, not {sorted(unknown)}")
    p.update(params)
    for key in ("share", "reduction"):
        if key in p and not 0.0 <= float(p[key]) <= 1.0:
            raise ValueError(f"scenario '{name}': {key} must be between 0 and 1, found {p[key]}")
    df = resolve_services(services, presets)
    df["scenario"] = name
    sel = pd.Series(True, index=df.index) if service_ids is None else df["service_id"].isin(list(service_ids))
    web = sel & df["type"].isin(["website", "portal"])
    if name == "visio_audio_only":
        m = sel & df["type"].eq("visio")
        df.loc[m, "audio_share"] = 1.0 - (1.0 - df.loc[m, "audio_share"].fillna(0.0)) * (1.0 - float(p["share"]))
    elif name == "page_weight":
        k = 1.0 - float(p["reduction"])
        df.loc[web, "page_weight_mb"] = df.loc[web, "page_weight_mb"] * k
        df.loc[web, "gb_per_unit"] = df.loc[web, "gb_per_unit"] * k
    elif name == "lazy_loading":
        k = 1.0 - float(p["reduction"])
        df.loc[web, "loaded_share"] = df.loc[web, "loaded_share"].fillna(1.0) * k
        df.loc[web, "requests_per_visit"] = df.loc[web, "requests_per_visit"] * k
        df.loc[web, "gb_per_unit"] = df.loc[web, "gb_per_unit"] * k
    elif name == "video_quality":
        if p["quality"] not in VIDEO_QUALITIES:
            raise ValueError(f"scenario 'video_quality': quality must be one of {VIDEO_QUALITIES}")
        order = {q: i for i, q in enumerate(VIDEO_QUALITIES)}
        m = sel & df["type"].isin(list(p["types"]))
        df["video_quality"] = df["video_quality"].astype(object)  # all empty (no video service) reads as float
        current = df.loc[m, "video_quality"].map(order)
        df.loc[m, "video_quality"] = np.where(current > order[p["quality"]], p["quality"],
                                              df.loc[m, "video_quality"])
        df.loc[m & df["gb_per_unit"].notna(), "gb_per_unit"] = np.nan  # the measured figure no longer applies
    elif name == "storage_purge":
        m = sel & df["type"].eq("storage")
        df.loc[m, "annual_volume"] = df.loc[m, "annual_volume"] * (1.0 - float(p["reduction"]))
    elif name == "mobile_to_wifi":
        k = 1.0 - float(p["share"])
        df.loc[sel, "mobile_network_share"] = df.loc[sel, "mobile_network_share"].fillna(0.0) * k
    return resolve_services(df, presets)


def scenario_table(services: pd.DataFrame, factors: pd.DataFrame, categories=None, hosting_kinds=None,
                   hosting_sites=None, presets=None, scenarios=None) -> pd.DataFrame:
    """Central annual tCO2e of every service for the baseline and each scenario (default parameters).

    Returns
    -------
    Long table ``scenario, label_fr, service_id, baseline_tco2e, scenario_tco2e, change_tco2e, change_pct``.
    """
    base = annual_tco2e(services, factors, categories, hosting_kinds, hosting_sites, presets)
    rows = []
    for name in (scenarios or SCENARIOS):
        mod = apply_scenario(services, name, presets=presets)
        new = annual_tco2e(mod, factors, categories, hosting_kinds, hosting_sites, presets)
        for sid in base.index:
            b, n = float(base[sid]), float(new[sid])
            rows.append({"scenario": name, "label_fr": SCENARIOS[name][0], "service_id": sid, "baseline_tco2e": b,
                         "scenario_tco2e": n, "change_tco2e": n - b,
                         "change_pct": (n - b) / b * 100 if b > 0 else 0.0})
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------------------------------
# Sensitivity (SALib Sobol + one-at-a-time swings)
# ----------------------------------------------------------------------------------------------------------------

SENSITIVITY_LABELS_FR: dict[str, str] = {
    "terminal_embodied": "Fabrication des terminaux",
    "lifetime": "Durée de vie des terminaux",
    "device_hours": "Temps d'usage par unité",
    "device_power": "Puissance des terminaux",
    "data_gb": "Données transférées par unité",
    "mobile_share": "Part d'usage sur smartphone",
    "mobile_network_share": "Part du réseau mobile",
    "elec_user": "Facteur d'émission de l'électricité (usagers)",
    "network": "Facteurs d'émission des réseaux",
    "pue": "PUE de l'hébergement",
    "server_hours": "Sollicitation des serveurs",
    "storage": "Stockage par unité (copies, capacité des baies)",
    "dc_embodied": "Fabrication des serveurs et du stockage",
    "elec_dc": "Facteur d'émission de l'électricité (hébergement)",
}


#: Saltelli designs on the unit hypercube by (parameters, base samples, seed): services with as many active
#: parameters share one design (read-only arrays).
def saltelli_sample(bounds, n_base: int, seed: int) -> np.ndarray:
    """Saltelli's design for first- and total-order Sobol indices over uniform ``bounds`` ([low, high] per parameter).

    The same matrix as ``SALib.sample.sobol.sample(problem, n_base, calc_second_order=False, seed=seed)`` (SALib
    1.6, scrambled Sobol' sequence of dimension 2D from ``scipy.stats.qmc.Sobol``; Saltelli 2002, *Comput. Phys.
    Commun.* 145:280, doi:10.1016/S0010-4655(02)00280-1): for each base point, the row of matrix A, the D rows of A
    with column j taken from B, then the row of B, so ``n_base × (D + 2)`` rows. Built with array operations
    instead of SALib's per-element loop (not memoised: ``make bench`` measured no gain); the scaling is
    SALib's (``u × (high − low) + low``, same operations), so the values are bit for bit SALib's
    (``tests/test_services.py``).
    """
    from scipy.stats import qmc

    b = np.asarray(bounds, dtype=float)
    lower, upper = b[:, 0], b[:, 1]
    if np.any(lower >= upper):
        raise ValueError("Sobol bounds must have low < high for every parameter")
    d = len(b)
    base = qmc.Sobol(d=2 * d, scramble=True, seed=seed).random(int(n_base))
    a, bm = base[:, :d], base[:, d:]
    blocks = np.empty((len(base), d + 2, d))
    blocks[:, 0, :] = a
    blocks[:, 1:d + 1, :] = a[:, None, :]
    cols = np.arange(d)
    blocks[:, 1 + cols, cols] = bm
    blocks[:, d + 1, :] = bm
    out = blocks.reshape(-1, d)
    np.add(np.multiply(out, upper - lower, out=out), lower, out=out)
    return out


def sobol_indices(y: np.ndarray, n_params: int) -> tuple[np.ndarray, np.ndarray]:
    """First-order and total Sobol indices of the outputs ``y`` of a :func:`saltelli_sample` design.

    The point estimates of ``SALib.analyze.sobol.analyze(..., calc_second_order=False)`` (SALib 1.6: outputs
    standardised, then the estimators of Saltelli et al. 2010, *Comput. Phys. Commun.* 181:259,
    doi:10.1016/j.cpc.2009.09.018, computed by SALib's own ``first_order`` and ``total_order``), without the
    bootstrap of their confidence intervals, which the study does not report.
    """
    from SALib.analyze.sobol import first_order, separate_output_values, total_order

    y = np.asarray(y, dtype=float)
    n = y.size // (n_params + 2)
    if n * (n_params + 2) != y.size:
        raise ValueError(f"{y.size} outputs do not make a Saltelli design of {n_params} parameters")
    y = (y - y.mean()) / y.std()
    a, b, ab, _ = separate_output_values(y, n_params, n, False)
    s1 = np.array([first_order(a, ab[:, j], b) for j in range(n_params)])
    st = np.array([total_order(a, ab[:, j], b) for j in range(n_params)])
    return s1, st


def _ratio(table: pd.DataFrame, names: list[str], weights=None) -> tuple[float, float]:
    rows = table.loc[[n for n in names if n in table.index]]
    if rows.empty:
        return 1.0, 1.0
    w = np.ones(len(rows)) if weights is None else np.asarray(weights, dtype=float)[: len(rows)]
    v = (rows["value"] * w).sum()
    if v <= 0:
        return 1.0, 1.0
    return float((rows["low"] * w).sum() / v), float((rows["high"] * w).sum() / v)


def sensitivity_bounds(inputs: ServiceInputs, s: int, table: pd.DataFrame | None = None
                       ) -> dict[str, tuple[float, float]]:
    """Ranges of the sensitivity parameters for service ``s`` (multipliers, except the two shares and the PUE which
    are absolute). Factor ranges come from the library's 95 % intervals (climate change); input ranges are
    assumptions: device time and data ×0.5–×1.5, server time and storage ×0.5–×2, device power ×0.7–×1.3,
    shares ±0.2. ``table``: :func:`parameter_table` of ``inputs`` when the caller has it."""
    table = parameter_table(inputs) if table is None else table
    r = inputs.resolved.iloc[s]
    h = inputs.hosting.iloc[s]
    dev_items = [f"f:{i}:{p}:climate_change" for d in inputs.devices.index if r.get(f"share_{d}", 0) > 0
                 for i in inputs.devices.loc[d, "items"] for p in PHASES_EMBODIED]
    lives = [f"life:{d}" for d in inputs.devices.index if r.get(f"share_{d}", 0) > 0]
    lo_l, hi_l = _ratio(table, lives)
    mns = float(r["mobile_network_share"]) if pd.notna(r["mobile_network_share"]) else 0.0
    b = {
        "terminal_embodied": _ratio(table, dev_items),
        "lifetime": (lo_l, hi_l),
        "device_hours": (0.5, 1.5),
        "device_power": (0.7, 1.3),
        "data_gb": (0.5, 1.5),
        "mobile_share": (max(0.0, r["share_smartphone"] - 0.2),
                         min(1.0 - r["share_tablet"], r["share_smartphone"] + 0.2)),
        "mobile_network_share": (max(0.0, mns - 0.2), min(1.0, mns + 0.2)),
        "elec_user": _ratio(table, [f"f:{inputs.user_electricity_item}:use:climate_change"]),
        "network": _ratio(table, [f"f:{inputs.network_items[0]}:use:climate_change",
                                  f"f:{inputs.network_items[1]}:use:climate_change"]),
        "pue": (float(h["pue_low"]), float(h["pue_high"])),
        "server_hours": (0.5, 2.0),
        "storage": (0.5, 2.0),
        "dc_embodied": _ratio(table, [f"f:{inputs.server_item}:{p}:climate_change" for p in PHASES_EMBODIED]
                              + [f"f:{inputs.storage_item}:{p}:climate_change" for p in PHASES_EMBODIED]),
        "elec_dc": _ratio(table, [f"f:{h['electricity_item']}:use:climate_change"]),
    }
    return b


@dataclass(frozen=True)
class _OneService:
    """What :func:`_evaluate_one` needs of one service, built once per service (the sensitivity evaluates it
    tens of times): its own inputs, central parameter values and drivers."""

    sub: ServiceInputs
    values: dict[str, np.ndarray]
    drivers: Drivers
    row: pd.Series


def _one_service(inputs: ServiceInputs, s: int) -> _OneService:
    sub = dataclasses.replace(inputs, resolved=inputs.resolved.iloc[[s]].reset_index(drop=True),
                              hosting=inputs.hosting.iloc[[s]].reset_index(drop=True), criteria=("climate_change",))
    return _OneService(sub, central_parameters(parameter_table(sub)), Drivers.from_resolved(sub.resolved, sub.devices),
                       sub.resolved.iloc[0])


def _evaluate_one(inputs: ServiceInputs, s: int, names: list[str], X: np.ndarray,
                  one: _OneService | None = None) -> np.ndarray:
    """Climate total (kgCO2e per unit) of service ``s`` for each row of X (columns = ``names``); ``one``:
    :func:`_one_service` of ``(inputs, s)`` when the caller keeps it (its arrays are never modified here)."""
    one = _one_service(inputs, s) if one is None else one
    sub, r, drv = one.sub, one.row, one.drivers
    values = dict(one.values)  # entries are replaced below, never modified in place
    K = X.shape[0]
    col = {n: X[:, i] for i, n in enumerate(names)}
    mult = lambda n: col.get(n, np.ones(K))[None, :]  # noqa: E731
    shares = np.repeat(drv.shares[:, :, None], K, axis=2)
    devs = list(sub.devices.index)
    mobile_traffic = drv.mobile_traffic * np.ones((1, K))
    if "mobile_share" in col:
        new_mobile = col["mobile_share"]
        computer = np.clip(1.0 - new_mobile - r["share_tablet"], 0.0, 1.0)
        old_comp = r["share_laptop"] + r["share_desktop"]
        # the computers' own laptop/desktop split; a service with no computer share takes it from its computer_device
        lap = r["share_laptop"] / old_comp if old_comp > 0 else LAPTOP_PART.get(r.get("computer_device"), 1.0)
        shares[0, devs.index("smartphone")] = new_mobile
        shares[0, devs.index("laptop")] = computer * lap
        shares[0, devs.index("desktop")] = computer * (1 - lap)
        mns = r["mobile_network_share"] if pd.notna(r["mobile_network_share"]) else 0.0
        mobile_traffic = new_mobile[None, :] * mns
    if "mobile_network_share" in col:
        mobile_share = shares[0, devs.index("smartphone")] if "mobile_share" in col else r["share_smartphone"]
        mobile_traffic = (mobile_share * col["mobile_network_share"])[None, :] * np.ones((1, K))
    data = drv.data_gb * mult("data_gb")
    server_h = drv.server_hours * mult("server_hours")
    if r["type"] in ("website", "portal", "other"):
        server_h = server_h * mult("data_gb")  # web server time follows the data served
    drivers = Drivers(drv.device_hours * mult("device_hours"), shares, data, mobile_traffic, server_h,
                      drv.storage_gb_years * mult("storage"), drv.device_kwh * mult("device_hours"),
                      drv.dc_it_kwh * np.ones((1, K)))
    for d in devs:
        key = "life:" + d
        values[key] = values[key] * col.get("lifetime", np.ones(K))
    if "pue" in col:
        values["pue:" + sub.hosting["pue_key"].iat[0]] = col["pue"]
    scale = {k: col[k] for k in ("terminal_embodied", "device_power", "elec_user", "network", "dc_embodied",
                                 "elec_dc") if k in col}
    res = evaluate(sub, values, ("climate_change",), drivers=drivers, scale=scale)
    return res["climate_change"]["total"][0]


def sensitivity(inputs: ServiceInputs, seed: int = 20200101, n_base: int = 256) -> pd.DataFrame:
    """Which parameters drive each service's climate result.

    For each service: one-at-a-time swings (each parameter at its low and high bound, others central) for a tornado
    chart, and Sobol first-order and total indices (Saltelli's design with ``n_base`` base samples,
    :func:`saltelli_sample`, and SALib's estimators, :func:`sobol_indices`; no second order) over the parameters
    that move the result.

    Returns
    -------
    Long table ``service_id, parameter, label_fr, low_bound, high_bound, g_at_low, g_at_high, swing_g, s1, st``
    (g = gCO2e per functional unit), sorted by service and decreasing ``st``.
    """
    rows = []
    table = parameter_table(inputs)
    for s in range(len(inputs.resolved)):
        bounds = sensitivity_bounds(inputs, s, table)
        names = list(bounds)
        one = _one_service(inputs, s)
        base = _evaluate_one(inputs, s, [], np.zeros((1, 0)), one)[0]
        swings = {}
        for n in names:
            lo, hi = bounds[n]
            if hi - lo <= 1e-12:
                continue
            y = _evaluate_one(inputs, s, [n], np.array([[lo], [hi]]), one)
            if abs(y[1] - y[0]) > 1e-9 * max(abs(base), 1e-12):
                swings[n] = (lo, hi, y[0], y[1])
        active = list(swings)
        s1 = dict.fromkeys(active, np.nan)
        st = dict.fromkeys(active, np.nan)
        if len(active) >= 2:
            X = saltelli_sample([bounds[n] for n in active], n_base, seed)
            first, total = sobol_indices(_evaluate_one(inputs, s, active, X, one), len(active))
            s1 = dict(zip(active, np.clip(first, 0, 1)))
            st = dict(zip(active, np.clip(total, 0, 1)))
        elif len(active) == 1:
            s1 = st = {active[0]: 1.0}
        sid = inputs.resolved["service_id"].iat[s]
        for n in active:
            lo, hi, ylo, yhi = swings[n]
            rows.append({"service_id": sid, "parameter": n, "label_fr": SENSITIVITY_LABELS_FR[n], "low_bound": lo,
                         "high_bound": hi, "base_g": base * 1000, "g_at_low": ylo * 1000, "g_at_high": yhi * 1000,
                         "swing_g": abs(yhi - ylo) * 1000, "s1": s1[n], "st": st[n]})
    out = pd.DataFrame(rows, columns=["service_id", "parameter", "label_fr", "low_bound", "high_bound", "base_g",
                                      "g_at_low", "g_at_high", "swing_g", "s1", "st"])
    return out.sort_values(["service_id", "st", "swing_g"], ascending=[True, False, False],
                           kind="mergesort").reset_index(drop=True)


# ----------------------------------------------------------------------------------------------------------------
# Reference checks (ADEME impactco2), shown in the notebook and tested in tests/test_services.py
# ----------------------------------------------------------------------------------------------------------------

#: ADEME's published figures (``incubateur-ademe/impactco2:src/data/categories/usagenumerique.json@2deca6d``),
#: kgCO2e per unit, split terminal build / terminal use / transmission / DC build / DC use.
ADEME_REFERENCES: dict[str, dict] = {
    "visio": {"label_fr": "1 h de visioconférence (2 appareils, SD, ordinateur portable, réseau fixe FR)",
              "total_kg": 0.04100456621 + 0.002845 + 0.0129770857 + 0.000236636 + 7.755216e-8},
    "email": {"label_fr": "1 courriel de 1 Mo à 1 destinataire", "total_kg": 0.001286218 + 0.00008684837
              + 0.00003580927 + 0.00093525547 + 0.00011768151},
    "streaming": {"label_fr": "1 h de vidéo en streaming (HD)", "total_kg": 0.0327361035 + 0.002903607 + 0.02780804
                  + 0.000236636 + 0.00033236641},
}


# ----------------------------------------------------------------------------------------------------------------
# Summary
# ----------------------------------------------------------------------------------------------------------------


def summary_services(result: LcaResult, rgesn_scores: pd.DataFrame | None = None) -> dict:
    """The ``services`` part of ``summary.json``."""
    table = lca_table(result)
    overall = {}
    if rgesn_scores is not None and len(rgesn_scores):
        ov = rgesn_scores[rgesn_scores["family"] == "Ensemble"]
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


# ----------------------------------------------------------------------------------------------------------------
# Reference checks shown in the notebook (the same checks are tests in tests/test_services.py)
# ----------------------------------------------------------------------------------------------------------------

#: The ADEME vintage behind impactco2's usage figures (``usagenumerique.json@2deca6d``). Devices: construction
#: (kgCO2e) of the ADEME 2018 study used by impactco2 ("Modélisation et évaluation des impacts environnementaux de
#: produits de consommation et biens d'équipement", listed in ``incubateur-ademe/impactco2#164``); lifetimes, profiles
#: (3 h/day) and active powers of ``publicodes-acv-numerique:src/acv-terminaux.publicodes@d13a17e4``. French
#: electricity 0.0569 kgCO2e/kWh: the factor of that dataset (it reproduces both its terminal-use and its DC-use
#: lines). Fixed network 9.2693467 gCO2e/GB (its per-GB transmission line; NegaOctet). Storage: ADEME unit.
ADEME_VINTAGE_DEVICES = pd.DataFrame({
    "device": ["smartphone", "tablet", "laptop", "desktop", "tv"],
    "items": [("smartphone",), ("tablet",), ("laptop",), ("desktop",), ("tv",)],
    "lifetime_years": [2.5, 3.0, 6.0, 6.0, 8.0], "lifetime_low_years": [2.5, 3.0, 6.0, 6.0, 8.0],
    "lifetime_high_years": [2.5, 3.0, 6.0, 6.0, 8.0], "hours_per_day": [3.0] * 5,
    "power_w": [5.6, 15.0, 25.0, 80.0, 65.0], "label_fr": ["Smartphone", "Tablette", "Portable", "Fixe", "TV"],
}).set_index("device")
ADEME_VINTAGE_VALUES: dict[tuple[str, str], float] = {
    ("laptop", "manufacturing"): 134.7, ("tablet", "manufacturing"): 44.5, ("smartphone", "manufacturing"): 26.239,
    ("desktop", "manufacturing"): 416.92, ("tv", "manufacturing"): 349.87, ("electricity_fr", "use"): 0.0569,
    ("network_fixed_fr", "use"): 0.0092693467, ("network_mobile_fr", "use"): 0.02468,
    ("server", "manufacturing"): 748.0, ("storage_array", "manufacturing"): 144.0,
}
#: PUE of ADEME's models: 1.3 for streaming (assumption, reused for visio), 1.16 for email (Google, Gmail)
_REFERENCE_KINDS = pd.DataFrame({
    "kind": ["ademe_streaming", "ademe_mail"], "label_fr": ["ADEME streaming", "ADEME messagerie"],
    "default_pue": [1.3, 1.16], "pue_low": [1.3, 1.16], "pue_high": [1.3, 1.16],
    "electricity_item": ["electricity_fr", "electricity_fr"], "source": ["data center.publicodes"] * 2,
})
_REFERENCE_SERVICES = pd.DataFrame([
    dict(service_id="visio", name="visio", type="visio", annual_volume=2, volume_unit="participant_hours",
         video_quality="sd", participants=2, mobile_share=0.0, tablet_share=0.0, computer_device="laptop",
         hosting="ademe_streaming"),
    dict(service_id="email", name="email", type="email", annual_volume=1, volume_unit="messages", recipients=1,
         message_mb=1.0, retention_years=10, replicas=3, hosting="ademe_mail"),
    dict(service_id="streaming", name="streaming", type="streaming", annual_volume=1, volume_unit="hours",
         video_quality="hd", mobile_share=0.0, tablet_share=0.0, hosting="ademe_streaming"),
])
#: device mixes of ADEME's email.publicodes (sum 101 % as published) and streaming.publicodes
_REFERENCE_MIX = {
    "email": {"share_desktop": 0.24, "share_laptop": 0.24, "share_tablet": 0.08, "share_smartphone": 0.45,
              "share_tv": 0.0},
    "streaming": {"share_desktop": 0.0, "share_laptop": 0.15, "share_tablet": 0.10, "share_smartphone": 0.05,
                  "share_tv": 0.70},
}


def _vintage_factor_table() -> pd.DataFrame:
    rows = []
    for (item, phase), v in ADEME_VINTAGE_VALUES.items():
        act = "kwh" if item.startswith("electricity") else "gb" if item.startswith("network") else "unit"
        rows.append({"factor_id": f"{item}:{phase}:climate_change", "item": item, "phase": phase,
                     "criterion": "climate_change", "value": v, "unit": f"kgCO2e/{act}", "activity_unit": act,
                     "low": v, "high": v, "distribution": "none", "source": "ADEME vintage of impactco2",
                     "vintage": "impactco2 usagenumerique.json@2deca6d", "status": "sourced", "note": ""})
    return pd.DataFrame(rows)


def _reference_totals_g(factors: pd.DataFrame, devices: pd.DataFrame, ademe_storage: bool,
                        categories=None) -> np.ndarray:
    inputs = build_inputs(_REFERENCE_SERVICES, factors, categories, _REFERENCE_KINDS, None, devices=devices)
    if ademe_storage:
        inputs = dataclasses.replace(inputs, server_power_w=SERVER_POWER_W, server_lifetime_years=5.0,
                                     storage_capacity_gb=ADEME_STORAGE_CAPACITY_GB,
                                     storage_power_w=ADEME_STORAGE_POWER_W, storage_lifetime_years=5.0)
    r = inputs.resolved
    r["share_tv"] = 0.0
    for sid, mix in _REFERENCE_MIX.items():
        for col, share in mix.items():
            r.loc[r["service_id"] == sid, col] = share
    r.loc[r["service_id"] == "email", "mobile_traffic_share"] = 0.0
    res = evaluate(inputs, central_parameters(parameter_table(inputs)), ("climate_change",))
    per_unit = res["climate_change"]["total"][:, 0] * 1000
    return per_unit * np.array([2.0, 1.0, 1.0])  # the visio reference is one meeting of 2 devices


def reference_checks(factors: pd.DataFrame, categories: pd.DataFrame | None = None) -> pd.DataFrame:
    """The model against ADEME's published usage figures (impactco2): 1 h of visio (57.1 g), 1 email (2.46 g),
    1 h of streaming (64 g).

    Columns: ``reference, ademe_g`` (published), ``model_ademe_vintage_g`` (this model with the parameters ADEME
    used, :data:`ADEME_VINTAGE_VALUES`), ``difference_pct``, ``model_library_g`` (this model with the current factor
    library and its device table, a TV taken as ``tv_display``).
    """
    vintage = _reference_totals_g(_vintage_factor_table(), ADEME_VINTAGE_DEVICES, True)
    lib_devices = device_table(categories)
    tv = pd.DataFrame({"items": [("tv_display",)], "lifetime_years": [8.0], "lifetime_low_years": [6.0],
                       "lifetime_high_years": [10.0], "hours_per_day": [3.0], "power_w": [65.0],
                       "label_fr": ["Téléviseur"], "lifetime_source": ["ADEME acv-terminaux"]}, index=["tv"])
    lib_devices = pd.concat([lib_devices, tv])
    library = _reference_totals_g(factors, lib_devices, False, categories)
    ademe = np.array([ADEME_REFERENCES[k]["total_kg"] * 1000 for k in ("visio", "email", "streaming")])
    return pd.DataFrame({
        "reference": [ADEME_REFERENCES[k]["label_fr"] for k in ("visio", "email", "streaming")],
        "ademe_g": ademe, "model_ademe_vintage_g": vintage, "difference_pct": (vintage - ademe) / ademe * 100,
        "model_library_g": library, "library_difference_pct": (library - ademe) / ademe * 100,
    })


# ----------------------------------------------------------------------------------------------------------------
# The whole study of notebook 03
# ----------------------------------------------------------------------------------------------------------------


@dataclass
class ServicesStudy:
    """Everything notebook 03 shows and writes."""

    available: bool
    services: pd.DataFrame
    inputs: ServiceInputs | None = None
    result: LcaResult | None = None
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    criteria: pd.DataFrame = field(default_factory=pd.DataFrame)
    swd: pd.DataFrame = field(default_factory=pd.DataFrame)
    sensitivity: pd.DataFrame = field(default_factory=pd.DataFrame)
    scenarios: pd.DataFrame = field(default_factory=pd.DataFrame)
    references: pd.DataFrame = field(default_factory=pd.DataFrame)
    rgesn_provided: bool = False
    rgesn_scores: pd.DataFrame = field(default_factory=pd.DataFrame)
    rgesn_priority: pd.DataFrame = field(default_factory=pd.DataFrame)
    rgesn_grid: pd.DataFrame = field(default_factory=pd.DataFrame)
    factor_changes: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def names(self) -> dict:
        return dict(zip(self.services.get("service_id", []), self.services.get("name", [])))

    def summary(self) -> dict:
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


def run_study(ctx, n_draws: int = 10_000, seed: int = 20200101, n_sobol: int = 256) -> ServicesStudy:
    """Read the territory's services (and RGESN answers), run the LCA, the Monte Carlo, SWD, sensitivity, scenarios
    and reference checks. A territory without ``services.csv`` gets an empty study (``available`` False)."""
    from helpers.io import factors as fm
    from helpers.model import rgesn

    path = ctx.raw / "services.csv"
    if not provided(path):  # missing or header-only (issue 17)
        return ServicesStudy(available=False, services=pd.DataFrame(columns=["service_id", "name"]))
    sites = load_hosting_sites(ctx)
    services = plain(read_services(path, list(sites["site_id"])))
    factors, changes = service_factors(ctx)
    categories = fm.load_categories()
    kinds = fm.load_hosting_kinds()
    presets = load_presets()  # once: every resolve of the scenarios would read it again
    inputs = build_inputs(services, factors, categories, kinds, sites, presets)
    result = run_lca(inputs, n_draws=n_draws, seed=seed)
    study = ServicesStudy(
        available=True, services=services.drop(columns="_line"), inputs=inputs, result=result,
        table=lca_table(result), criteria=criteria_table(result), swd=swd_comparison(result),
        sensitivity=sensitivity(inputs, seed=seed, n_base=n_sobol),
        scenarios=scenario_table(services, factors, categories, kinds, sites, presets),
        references=reference_checks(factors, categories), factor_changes=changes,
    )
    rpath = ctx.raw / "rgesn.csv"
    if provided(rpath):  # header-only = not provided (issue 17)
        criteria = rgesn.load_criteria()
        answers = plain(rgesn.read_rgesn(rpath, list(services["service_id"]), criteria))
        assessed = [s for s in services["service_id"] if s in set(answers["service_id"])]
        study.rgesn_provided = bool(assessed)
        study.rgesn_scores = rgesn.rgesn_scores(answers, criteria, assessed)
        study.rgesn_priority = rgesn.rgesn_scores(answers, criteria, assessed, by="priority")
        study.rgesn_grid = rgesn.answers_grid(answers, criteria, assessed)
    return study
