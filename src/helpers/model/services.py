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
criterion of the factor library.

**One model, one path.** The services are rows of the study's one activity model (:func:`activity_rows`: activity ×
factor × multiplier, as the carbon balance), evaluated by its one engine (``helpers.model.carbon.monte_carlo``):
the central values, the Monte Carlo draws (each factor, PUE and device lifetime drawn from its keyed stream of the
one sampler, ``helpers.model.uncertainty``, shared with the balance), the one-at-a-time swings and Sobol indices of
the sensitivity (the same rows for copies of a service with its parameters moved, :func:`service_parts`), the ADEME
reference checks and the gain of a scenario (the services' rows per year, :func:`annual_rows`, before and after a
scenario, differenced by ``helpers.model.carbon.scenario_gains`` as the action plan does).

Other pieces: the Sustainable Web Design model v4 (constants from ``thegreenwebfoundation/co2.js``, Apache-2.0) as a
second estimate for web pages; scenarios (:data:`SCENARIOS`, :func:`apply_scenario`) that return a modified services
table so the same model reruns (the services part of the plan's levers, ``helpers.model.levers``).

EcoIndex grades given by the user are shown as entered; EcoIndex is never computed here (its constants are
CC BY-NC-ND). Nothing here reads a file: the readers are in :mod:`helpers.io.services_inputs`, the French labels in
:mod:`helpers.report.services`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.io import vocab
from helpers.io.memo import Memo, frame_digest
from helpers.io.services_inputs import SERVICES_SCHEMA, VIDEO_QUALITIES
from helpers.model import carbon
from helpers.model.engine import weighted_draws
from helpers.model.uncertainty import stream_keys

# ----------------------------------------------------------------------------------------------------------------
# Conventions
# ----------------------------------------------------------------------------------------------------------------

#: GB per hour of video received per device, ADEME ``visio.publicodes`` (audio 168 MB/h, SD 0.7, HD 3, 4K 7 GB/h)
VIDEO_GB_PER_HOUR: dict[str, float] = {"audio": 168 / 1024, "sd": 0.7, "hd": 3.0, "4k": 7.0}
#: laptop part of the computers of each ``computer_device`` (the rest on desktops): a mix is half each
LAPTOP_PART: dict[str, float] = {"laptop": 1.0, "desktop": 0.0, "mix": 0.5}
TIERS = vocab.SERVICE_TIERS

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

#: User devices of the model. ADEME terminal conventions
#: (``incubateur-ademe/publicodes-acv-numerique:src/acv-terminaux.publicodes@3c5a0a51df50``): lifetime (years,
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
    }
).set_index("device")
#: Professional profile when no category gives one (typical office use, assumption F-11 of the balance): agents'
#: devices (``audience`` = ``agents``) spread their embodied impact over the hours they are really used at work.
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
# Defaults and per-functional-unit drivers
# ----------------------------------------------------------------------------------------------------------------

#: input columns that take the preset of their type when empty
PRESET_COLUMNS: tuple[str, ...] = (
    "minutes_per_visit", "page_weight_mb", "pages_per_visit", "requests_per_visit", "loaded_share", "mobile_share",
    "tablet_share", "mobile_network_share", "computer_device", "video_quality", "audio_share", "participants",
    "recipients", "message_mb", "retention_years", "replicas",
)
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


def _need(value, what: str):
    """``value``, or a ValueError naming the table the caller must pass (the model reads no file)."""
    if value is None:
        raise ValueError(f"the services model needs {what}")
    return value


def resolve_services(services: pd.DataFrame, presets: pd.DataFrame) -> pd.DataFrame:
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
    services : ``helpers.io.services_inputs.read_services`` output (or a DataFrame with at least the required
        columns)
    presets : ``helpers.io.services_inputs.load_presets`` output

    Returns
    -------
    A copy with the input columns completed and the :data:`DRIVER_COLUMNS` added (``defaults_used`` lists the
    columns that took the type's default).
    """
    presets = _need(presets, "the presets of the service types (helpers.io.services_inputs.load_presets)")
    bare = services.copy(deep=False)
    bare.attrs = {}  # the reader's warnings play no part (and pandas would deep-copy them at every step)
    key = frame_digest(bare, presets)
    hit = _RESOLVED.get(key)
    if hit is None:
        hit = _RESOLVED.put(key, _resolve(bare.copy(), presets))
        # resolving is idempotent (tests/model/test_services.py): the result resolves to itself, so resolving it again
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


def _fill_one_preset(cols: _Columns, col: str, typ_s: pd.Series, presets: pd.DataFrame, pos: np.ndarray
                     ) -> np.ndarray:
    """Fill the empty cells of ``col`` with the preset of their type; returns where a preset was taken."""
    idx, n = typ_s.index, len(typ_s)
    known = pos >= 0
    cur = cols[col]
    pcol = presets[col] if col in presets else None
    if pcol is not None and pcol.dtype.kind in "iuf" and cur.dtype.kind in "iuf":
        values = cur.to_numpy(dtype=float)
        parr = (np.where(known, pcol.to_numpy(dtype=float)[np.where(known, pos, 0)], np.nan) if len(presets)
                else np.full(n, np.nan))
        empty = np.isnan(values)
        if empty.any():
            cols[col] = pd.Series(np.where(empty, parr, values), index=idx)
        return empty & ~np.isnan(parr)
    # text columns: pandas' own inference of the mapped defaults decides the dtype
    preset = typ_s.map(pcol) if pcol is not None else pd.Series(np.nan, index=idx)
    empty_s = cur.isna()
    if cur.dtype == object or preset.dtype == object:
        cols[col] = cur.astype(object).where(~empty_s, preset)
    else:
        cols[col] = cur.where(~empty_s, preset)
    return (empty_s & preset.notna()).to_numpy()


def _fill_presets(cols: _Columns, presets: pd.DataFrame) -> list[list[str]]:
    """Every empty preset column filled with its type's default; per service, the relevant columns so filled."""
    typ_s = cols["type"]
    typ = typ_s.to_numpy(dtype=object)
    pos = presets.index.get_indexer(typ)
    defaults_used: list[list[str]] = [[] for _ in range(len(typ))]
    for col in PRESET_COLUMNS:
        fillable = _fill_one_preset(cols, col, typ_s, presets, pos)
        for i in np.flatnonzero(fillable & np.isin(typ, _RELEVANT_TYPES[col])):
            defaults_used[i].append(col)
    for name in _NUMERIC:  # whole numbers typed in a spreadsheet stay floats downstream
        dtype = cols.dtype(name)
        if dtype is not None and dtype not in (np.dtype(object), np.dtype(np.float64)):
            cols[name] = cols[name].astype(float)
    return defaults_used


def _device_drivers(cols: _Columns, typ: np.ndarray, defaults_used: list[list[str]]) -> dict[str, np.ndarray]:
    """Device time per unit (the email's default minutes written back) and the device mix."""
    idx = cols["type"].index
    is_stream = np.isin(typ, ["visio", "streaming"])
    is_email = typ == "email"
    # email device time: ADEME 3 min of writing + 10 s of reading per recipient
    recipients = _floats(cols["recipients"], 1.0)
    minutes_in = _floats(cols["minutes_per_visit"])
    email_default = is_email & np.isnan(minutes_in)
    minutes = np.where(email_default, 3.0 + recipients * (10.0 / 60.0), minutes_in)
    for i in np.flatnonzero(email_default):
        defaults_used[i].append("minutes_per_visit")
    cols["minutes_per_visit"] = pd.Series(minutes, index=idx)
    hours = np.where(is_stream, 1.0, np.where(typ == "storage", 0.0,
                                              np.where(np.isnan(minutes), 0.0, minutes) / 60.0))
    mobile = _floats(cols["mobile_share"], 0.0)
    tablet = _floats(cols["tablet_share"], 0.0)
    computer = np.clip(1.0 - mobile - tablet, 0.0, 1.0)
    device = cols["computer_device"].fillna("laptop").to_numpy(dtype=object)
    laptop_part = np.array([LAPTOP_PART.get(d, 0.0) for d in device], dtype=float)
    return {"device_hours_per_unit": hours, "share_smartphone": mobile, "share_tablet": tablet,
            "share_laptop": computer * laptop_part, "share_desktop": computer * (1.0 - laptop_part),
            "mobile_traffic_share": mobile * _floats(cols["mobile_network_share"], 0.0),
            "device_kwh_per_unit": _floats(cols["device_wh_per_minute"]) * hours * 60.0 / 1000.0}


def _data_drivers(cols: _Columns, typ: np.ndarray) -> dict[str, np.ndarray]:
    """Data per unit, server time per unit and storage per unit."""
    is_web = np.isin(typ, ["website", "portal", "other"])
    is_stream = np.isin(typ, ["visio", "streaming"])
    is_email = typ == "email"
    recipients = _floats(cols["recipients"], 1.0)
    pages = _floats(cols["pages_per_visit"], 1.0)
    web_gb = _floats(cols["page_weight_mb"], 0.0) * pages * _floats(cols["loaded_share"], 1.0) / MB_PER_GB
    quality = cols["video_quality"].to_numpy(dtype=object)
    video = np.array([VIDEO_GB_PER_HOUR.get(q, np.nan) if isinstance(q, str) else np.nan for q in quality],
                     dtype=float)
    video = np.where(np.isnan(video), VIDEO_GB_PER_HOUR["sd"], video)
    audio = _floats(cols["audio_share"], 0.0)
    stream_gb = (1.0 - audio) * video + audio * VIDEO_GB_PER_HOUR["audio"]
    message_gb = _floats(cols["message_mb"], 0.0) / MB_PER_GB
    computed_gb = np.select([is_web, is_stream, is_email], [web_gb, stream_gb, message_gb * (1.0 + recipients)],
                            default=0.0)
    given = _floats(cols["gb_per_unit"])
    data_gb = np.where(np.isnan(given), computed_gb, given)
    participants = _floats(cols["participants"], 1.0)
    server_hours = np.select(
        [is_web, typ == "visio", typ == "streaming", is_email],
        [data_gb * SERVER_HOURS_PER_GB_WEB, SERVER_HOURS_PER_STREAM_HOUR / participants,
         np.full(len(typ), SERVER_HOURS_PER_STREAM_HOUR), (1.0 + recipients) * SERVER_HOURS_PER_EMAIL_SIDE],
        default=0.0)
    replicas = _floats(cols["replicas"], 1.0)
    retention = _floats(cols["retention_years"], 0.0)
    storage = np.select([is_email, typ == "storage"],
                        [(1.0 + recipients) * replicas * retention * message_gb, replicas], default=0.0)
    return {"data_gb_per_unit": data_gb, "server_hours_per_unit": server_hours,
            "storage_gb_years_per_unit": storage, "pages_per_unit": np.where(is_web, pages, np.nan)}


def _resolve(services: pd.DataFrame, presets: pd.DataFrame) -> pd.DataFrame:
    """:func:`resolve_services` without the memo, on arrays: the numeric defaults and every driver are numpy
    operations on whole columns (5 to 50 services, resolved tens of times per study: pandas' per-operation cost
    dominated); text columns keep pandas' ``map``/``where`` so their dtype is exactly what pandas infers."""
    idx = services.index
    cols = _Columns(services)
    for col in SERVICES_SCHEMA.names():
        if col not in cols:
            cols[col] = (pd.Series(np.nan, index=idx) if col not in ("comment", "ecoindex_grade")
                         else pd.Series([None] * len(services), index=idx, dtype=object))
    defaults_used = _fill_presets(cols, presets)
    typ = cols["type"].to_numpy(dtype=object)
    drivers = _device_drivers(cols, typ, defaults_used) | _data_drivers(cols, typ)
    unit = cols["volume_unit"].to_numpy(dtype=object)
    units = _floats(cols["annual_volume"]) * np.where(unit == "tb_years", GB_PER_TB, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        dc_kwh = _floats(cols["dc_kwh_per_year"]) / units
    drivers["units_per_year"] = units
    drivers["dc_it_kwh_per_unit"] = np.where(units > 0, dc_kwh, np.nan)
    cols["functional_unit"] = cols["type"].map(presets["functional_unit_fr"])
    for name in DRIVER_COLUMNS[1:-1]:  # in the documented order
        cols[name] = pd.Series(drivers[name], index=idx)
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


def _category_lifetimes(rows: list[pd.Series]) -> tuple[float, float, float]:
    """Mean lifetime (the households' where the library gives one: the services' users are households, e.g. a
    smartphone 2.5 years, ADEME's consumer profile; else the category's default), low and high of ``rows``."""
    return (float(np.mean([r["household_lifetime_years"] if pd.notna(r.get("household_lifetime_years", np.nan))
                           else r["default_lifetime_years"] for r in rows])),
            float(np.mean([r["lifetime_low_years"] for r in rows])),
            float(np.mean([r["lifetime_high_years"] for r in rows])))


def _set_category(dev: pd.DataFrame, device: str, rows: list[pd.Series]) -> None:
    """Lifetimes, stream and professional profile of ``device`` from its categories ``rows`` (its items')."""
    life, low, high = _category_lifetimes(rows)
    dev.loc[device, ["lifetime_years", "lifetime_low_years", "lifetime_high_years"]] = [life, low, high]
    dev.loc[device, "lifetime_source"] = "categories.csv"
    first = rows[0]  # the device itself (a desktop's screen follows it)
    if "category" in first and pd.notna(first["category"]):  # the balance's stream of that lifetime
        dev.loc[device, "lifetime_stream"] = f"lifetime:{first['category']}"
    for own, col in (("pro_hours_per_day", "default_hours_per_day"), ("pro_days_per_year", "default_days_per_year")):
        if col in first and pd.notna(first[col]):
            dev.loc[device, own] = float(first[col])


def device_table(categories: pd.DataFrame | None = None) -> pd.DataFrame:
    """The user devices with their lifetime (``categories.csv`` when the item has a category, else ADEME), use
    profile and active power (ADEME ``acv-terminaux.publicodes``), and the relative lifetime interval.

    Returns
    -------
    DataFrame indexed by device: ``items``, ``lifetime_years``, ``lifetime_low_years``, ``lifetime_high_years``,
    ``hours_per_day``, ``power_w``, ``lifetime_source``, ``lifetime_stream``, ``pro_hours_per_day``,
    ``pro_days_per_year``.

    Not memoised: ``make bench`` measured its memo at −3 % of the CPU time on 2 December (within the noise).
    """
    dev = DEVICES.copy()
    dev["pro_hours_per_day"] = PRO_HOURS_PER_DAY
    dev["pro_days_per_year"] = PRO_DAYS_PER_YEAR
    dev["lifetime_low_years"] = dev["lifetime_years"] * 0.7  # assumption when no category gives an interval
    dev["lifetime_high_years"] = dev["lifetime_years"] * 1.5
    dev["lifetime_source"] = "ADEME acv-terminaux (theoretical lifetime); interval 0.7 to 1.5 times assumed"
    dev["lifetime_stream"] = ""  # no category: the services' own stream ``life:<device>``
    if categories is not None and len(categories):
        cat = categories.drop_duplicates("factor_item").set_index("factor_item")
        for device, items in dev["items"].items():
            rows = [cat.loc[i] for i in items if i in cat.index]
            if rows:
                _set_category(dev, device, rows)
    return dev


def _site_hosting(hosting: str, site: pd.Series, kinds: pd.DataFrame) -> dict:
    kind = site["kind"]
    if kind not in kinds.index:
        raise LookupError(f"hosting site '{hosting}' has unknown kind '{kind}'")
    k = kinds.loc[kind]
    measured = pd.notna(site["pue"])
    pue = float(site["pue"]) if measured else float(k["default_pue"])
    elec = site["electricity_item"] if pd.notna(site["electricity_item"]) else k["electricity_item"]
    return {"hosting": hosting, "kind": kind, "pue": pue,
            "pue_low": pue if measured else float(k["pue_low"]), "pue_high": pue if measured else float(k["pue_high"]),
            "pue_key": f"site:{hosting}" if measured else f"kind:{kind}",
            "pue_origin": "site" if measured else "kind", "electricity_item": elec}


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
        if a hosting is neither a site nor a kind (``helpers.io.services_inputs.read_services`` reports it as an
        input error first).
    """
    kinds = hosting_kinds.set_index("kind")
    sites = (hosting_sites if hosting_sites is not None else pd.DataFrame(columns=["site_id", "kind", "pue",
                                                                                   "electricity_item"]))
    sites = sites.drop_duplicates("site_id").set_index("site_id")
    rows = []
    for hosting in resolved["hosting"].astype(str):
        if hosting in sites.index:
            rows.append(_site_hosting(hosting, sites.loc[hosting], kinds))
        elif hosting in kinds.index:
            k = kinds.loc[hosting]
            rows.append({"hosting": hosting, "kind": hosting, "pue": float(k["default_pue"]),
                         "pue_low": float(k["pue_low"]), "pue_high": float(k["pue_high"]),
                         "pue_key": f"kind:{hosting}", "pue_origin": "kind",
                         "electricity_item": k["electricity_item"]})
        else:
            raise LookupError(f"hosting '{hosting}' is neither a site of hosting.csv nor a hosting kind")
    return pd.DataFrame(rows, index=resolved.index)


#: the criteria in the order of the tables (then any other criterion of the factor table, in its order)
CRITERIA_ORDER: tuple[str, ...] = ("climate_change", "adp_minerals", "adp_fossil", "ionising_radiation",
                                   "particulate_matter", "acidification", "water", "final_energy")


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
            self.criteria = tuple([c for c in CRITERIA_ORDER if c in present]
                                  + [c for c in present if c not in CRITERIA_ORDER])


def build_inputs(services: pd.DataFrame, factors: pd.DataFrame, categories: pd.DataFrame | None = None,
                 hosting_kinds: pd.DataFrame | None = None, hosting_sites: pd.DataFrame | None = None,
                 presets: pd.DataFrame | None = None, devices: pd.DataFrame | None = None) -> ServiceInputs:
    """Resolve the services and gather the devices, hosting and factors of the model.

    ``hosting_kinds`` (``hosting_kinds.csv``) and ``presets`` (``service_presets.csv``) are needed; ``categories``
    (``categories.csv``) gives the devices' lifetimes and profiles and the server's and storage array's lifetime and
    power (None: ADEME's, :data:`DEVICES`, 5 years and 367 W for a server).
    """
    hosting_kinds = _need(hosting_kinds, "the hosting kinds (helpers.io.factors.load_hosting_kinds)")
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


def device_lifetime_hours(lifetime_years, hours_per_day, days_per_year: float = DAYS_PER_YEAR):
    """Hours of use over a device's life, ADEME ``terminaux.publicodes``: ``jours par an × durée de vie × profil
    d'utilisation`` (365 days, theoretical h/day)."""
    return np.asarray(lifetime_years) * days_per_year * np.asarray(hours_per_day)


# ----------------------------------------------------------------------------------------------------------------
# The services as rows of the one activity model
# ----------------------------------------------------------------------------------------------------------------


@dataclass
class Drivers:
    """Per-service drivers per functional unit, each (S,), and the device mix (S, D) over ``inputs.devices``.

    ``life_scale``, ``power_scale`` (multipliers of the devices' lifetimes and powers) and ``pue`` (a PUE fixed per
    service instead of its hosting's) are what the sensitivity analysis moves (:func:`service_parts`)."""

    device_hours: np.ndarray
    shares: np.ndarray
    data_gb: np.ndarray
    mobile_traffic: np.ndarray
    server_hours: np.ndarray
    storage_gb_years: np.ndarray
    device_kwh: np.ndarray
    dc_it_kwh: np.ndarray
    agents: np.ndarray
    life_scale: np.ndarray
    power_scale: np.ndarray
    pue: np.ndarray | None = None

    @classmethod
    def from_resolved(cls, resolved: pd.DataFrame, devices: pd.DataFrame) -> Drivers:
        col = lambda c: resolved[c].to_numpy(dtype=float)  # noqa: E731
        shares = np.column_stack([resolved.get(f"share_{d}", pd.Series(0.0, index=resolved.index))
                                  .to_numpy(dtype=float) for d in devices.index]).reshape(len(resolved), len(devices))
        audience = resolved["audience"] if "audience" in resolved else None
        agents = (np.asarray(audience.astype(object).fillna("citizens") == "agents") if audience is not None
                  else np.zeros(len(resolved), dtype=bool))
        ones = np.ones(len(resolved))
        return cls(col("device_hours_per_unit"), shares, col("data_gb_per_unit"), col("mobile_traffic_share"),
                   col("server_hours_per_unit"), col("storage_gb_years_per_unit"), col("device_kwh_per_unit"),
                   col("dc_it_kwh_per_unit"), agents, ones, ones)


#: the parts of a service's footprint that are activity rows (the others are their sums)
ROW_PARTS: tuple[str, ...] = ("terminals_build", "terminals_use", "network", "datacentre_build", "datacentre_use")
#: every part of a service's footprint: the rows' parts and their sums by tier and in total
PARTS: tuple[str, ...] = ROW_PARTS + ("terminals", "datacentre", "total")
#: the columns of the activity rows
ROW_COLUMNS: tuple[str, ...] = ("service", "part", "item", "factor_phase", "activity", "quantity_param",
                                "lifetime_param", "extra_param")


class _Rows:
    """Activity rows gathered as arrays, one frame at the end (the rows with no activity left out)."""

    def __init__(self):
        self.blocks: dict[str, list[np.ndarray]] = {k: [] for k in ROW_COLUMNS}

    def add(self, service, part: str, item: str, phases, activity, lifetime="", extra="") -> None:
        service = np.asarray(service, dtype=np.int64)
        n = len(service)
        activity = np.broadcast_to(np.asarray(activity, dtype=float), (n,))
        for phase in phases:
            for name, value in zip(ROW_COLUMNS, (service, part, item, phase, activity, "", lifetime, extra)):
                self.blocks[name].append(value if isinstance(value, np.ndarray) else np.full(n, value, dtype=object))

    def frame(self) -> pd.DataFrame:
        rows = (pd.DataFrame({k: np.concatenate(v) for k, v in self.blocks.items()}) if self.blocks["service"] else
                pd.DataFrame(columns=list(ROW_COLUMNS)))
        return rows[rows["activity"] != 0].reset_index(drop=True)


def _terminal_rows(rows: _Rows, inputs: ServiceInputs, drv: Drivers, life_stream: np.ndarray) -> None:
    """``terminals_build``: for each device d of the mix and each embodied phase of each of its items,
    ``hours × share_d / lifetime_hours_d`` (consumer or professional profile), multiplier ``default / T`` of the
    device's lifetime T; ``terminals_use``: the device kWh (measured, or ``hours × Σ share_d × W_d / 1000``) on the
    users' electricity."""
    dev = inputs.devices
    pro = dev if "pro_hours_per_day" in dev else dev.assign(pro_hours_per_day=PRO_HOURS_PER_DAY,
                                                              pro_days_per_year=PRO_DAYS_PER_YEAR)
    life_years = dev["lifetime_years"].to_numpy(float)
    life_h = device_lifetime_hours(life_years, dev["hours_per_day"].to_numpy(float))
    life_h_pro = device_lifetime_hours(life_years, pro["pro_hours_per_day"].to_numpy(float),
                                       pro["pro_days_per_year"].to_numpy(float))
    for j, d in enumerate(dev.index):  # one step per device type (four)
        s = np.flatnonzero(drv.shares[:, j] > 0)
        per_unit = (drv.device_hours[s] * drv.shares[s, j]
                    / (np.where(drv.agents[s], life_h_pro[j], life_h[j]) * drv.life_scale[s]))
        for item in dev.loc[d, "items"]:
            rows.add(s, "terminals_build", item, PHASES_EMBODIED, per_unit, lifetime=life_stream[j])
    watts = (drv.shares @ dev["power_w"].to_numpy(float)) * drv.power_scale
    device_kwh = np.where(np.isnan(drv.device_kwh), drv.device_hours * watts / 1000.0, drv.device_kwh)
    rows.add(np.arange(len(drv.device_hours)), "terminals_use", inputs.user_electricity_item, ("use",), device_kwh)


def _datacentre_rows(rows: _Rows, inputs: ServiceInputs, drv: Drivers, table: pd.DataFrame) -> pd.DataFrame:
    """``datacentre_build``: the server's and the storage array's embodied phases, per server hour and per GB·year;
    ``datacentre_use``: the IT kWh on the hosting's electricity, plus ``IT kWh × (PUE − 1)`` with the multiplier
    ``(P − 1) / (PUE − 1)`` of a drawn PUE; a measured site PUE (or one the caller fixes, ``drv.pue``) is a
    constant. Returns the drawn PUEs' rows of ``table``."""
    everyone = np.arange(len(drv.server_hours))
    sh, st = drv.server_hours, drv.storage_gb_years
    usable_gb = inputs.storage_capacity_gb * inputs.storage_fill_rate
    rows.add(everyone, "datacentre_build", inputs.server_item, PHASES_EMBODIED,
             sh * (1.0 + DC_OVERHEAD_RATIO) / (inputs.server_lifetime_years * HOURS_PER_YEAR))
    rows.add(everyone, "datacentre_build", inputs.storage_item, PHASES_EMBODIED,
             st / (usable_gb * inputs.storage_lifetime_years))
    it_kwh = sh * inputs.server_power_w / 1000.0 + st * inputs.storage_power_w * HOURS_PER_YEAR / usable_gb / 1000.0
    it_kwh = np.where(np.isnan(drv.dc_it_kwh), it_kwh, drv.dc_it_kwh)
    pue_rows = table.loc["pue:" + inputs.hosting["pue_key"].astype(str)]
    pue = pue_rows["value"].to_numpy(float) if drv.pue is None else np.asarray(drv.pue, dtype=float)
    drawn = (pue_rows["distribution"] != "none").to_numpy() & (drv.pue is None)
    streams = pue_rows["stream"].to_numpy(dtype=object)
    elec = inputs.hosting["electricity_item"].astype(str).to_numpy(dtype=object)
    for item in pd.unique(elec):  # one step per electricity item of the hostings (one or two)
        s = np.flatnonzero(elec == item)
        rows.add(s, "datacentre_use", item, ("use",), it_kwh[s] * np.where(drawn[s], 1.0, pue[s]))
        o = s[drawn[s]]
        for stream in pd.unique(streams[o]):
            k = o[streams[o] == stream]
            rows.add(k, "datacentre_use", item, ("use",), it_kwh[k] * (pue[k] - 1.0), extra=stream)
    return pue_rows[drawn].drop_duplicates("stream")


def _row_params(table: pd.DataFrame, devices: pd.DataFrame, drawn_pue: pd.DataFrame) -> pd.DataFrame:
    """The multipliers of the rows in the format of ``helpers.model.carbon.parameter_table``: each device's lifetime
    and each drawn PUE, ``param_id`` = the stream of the one sampler."""
    life = table.loc["life:" + devices.index.astype(str)]
    return pd.DataFrame({
        "param_id": np.r_[life["stream"].to_numpy(dtype=object), drawn_pue["stream"].to_numpy(dtype=object)],
        "kind": ["lifetime"] * len(life) + ["pue"] * len(drawn_pue),
        "key": np.r_[life.index.to_numpy(dtype=object), drawn_pue.index.to_numpy(dtype=object)],
        "distribution": np.r_[life["distribution"].to_numpy(dtype=object),
                              drawn_pue["distribution"].to_numpy(dtype=object)],
        "low": np.r_[life["low"].to_numpy(float), drawn_pue["low"].to_numpy(float)],
        "mode": np.r_[life["value"].to_numpy(float), drawn_pue["value"].to_numpy(float)],
        "high": np.r_[life["high"].to_numpy(float), drawn_pue["high"].to_numpy(float)], "quality": "",
    }).drop_duplicates("param_id").reset_index(drop=True)


def activity_rows(inputs: ServiceInputs, table: pd.DataFrame | None = None, drivers: Drivers | None = None
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The services model as rows of the study's one activity model, per functional unit, and their multipliers.

    Each row is ``activity × factor(item, phase) × multiplier``, as in the carbon balance
    (``helpers.model.carbon.monte_carlo``): the terminals' construction and electricity (:func:`_terminal_rows`),
    the network (``GB × (1 − m)`` on the fixed network, ``GB × m`` on the mobile network) and the data centre's
    construction and electricity (:func:`_datacentre_rows`).

    Parameters
    ----------
    inputs : :func:`build_inputs` output
    table : :func:`parameter_table` of ``inputs`` when the caller has it
    drivers : the drivers of ``inputs.resolved`` (default: :meth:`Drivers.from_resolved`), or moved ones

    Returns
    -------
    (rows, params): ``rows`` with ``service`` (position in ``inputs.resolved``), ``part``, ``item``,
    ``factor_phase``, ``activity``, ``quantity_param``, ``lifetime_param``, ``extra_param``; ``params`` in the
    format of ``helpers.model.carbon.parameter_table`` (``param_id`` = the stream of the one sampler, so a lifetime or
    a PUE has the same draw as in the balance).
    """
    table = parameter_table(inputs) if table is None else table
    drv = Drivers.from_resolved(inputs.resolved, inputs.devices) if drivers is None else drivers
    life_stream = table.loc["life:" + inputs.devices.index.astype(str), "stream"].to_numpy(dtype=object)
    rows = _Rows()
    _terminal_rows(rows, inputs, drv, life_stream)
    everyone = np.arange(len(drv.data_gb))
    rows.add(everyone, "network", inputs.network_items[0], ("use",), drv.data_gb * (1.0 - drv.mobile_traffic))
    rows.add(everyone, "network", inputs.network_items[1], ("use",), drv.data_gb * drv.mobile_traffic)
    drawn_pue = _datacentre_rows(rows, inputs, drv, table)
    return rows.frame(), _row_params(table, inputs.devices, drawn_pue)


def annual_rows(inputs: ServiceInputs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`activity_rows` per year (each service's rows × its functional units per year) and their multipliers:
    the services in the action plan, and the rows whose difference is a scenario's gain (:func:`service_gains`)."""
    rows, params = activity_rows(inputs)
    units = inputs.resolved["units_per_year"].to_numpy(dtype=float)
    return rows.assign(activity=rows["activity"].to_numpy(dtype=float) * units[rows["service"].to_numpy()]), params


# ----------------------------------------------------------------------------------------------------------------
# Evaluation on the one engine
# ----------------------------------------------------------------------------------------------------------------


def _by_part(cells: pd.DataFrame, values: np.ndarray, n_services: int) -> dict[str, np.ndarray]:
    """Per-cell ``values`` (cells ``service, part``; (n_cells, width)) as ``part -> (n_services, width)``, with the
    tiers' and the total's sums."""
    service = cells["service"].to_numpy(dtype=np.int64)
    part = cells["part"].astype(str).to_numpy()
    out = {}
    for p in ROW_PARTS:
        x = np.zeros((n_services, values.shape[1]))
        sel = np.flatnonzero(part == p)
        x[service[sel]] = values[sel]
        out[p] = x
    out["terminals"] = out["terminals_build"] + out["terminals_use"]
    out["datacentre"] = out["datacentre_build"] + out["datacentre_use"]
    out["total"] = out["terminals"] + out["network"] + out["datacentre"]
    return out


def _central(rows: pd.DataFrame, factors: pd.DataFrame, criteria, n_services: int) -> dict[str, dict]:
    """Central values of activity rows: criterion -> part -> (n_services, 1), by the engine's one sum
    (``helpers.model.engine.weighted_draws``) with every multiplier at 1 and every factor at its central value; a
    row without a factor for a criterion counts 0."""
    cells = pd.DataFrame({"service": np.repeat(np.arange(n_services), len(ROW_PARTS)),
                          "part": np.tile(np.array(ROW_PARTS, dtype=object), n_services)})
    cell = rows["service"].to_numpy(dtype=np.int64) * len(ROW_PARTS) + pd.Index(ROW_PARTS).get_indexer(rows["part"])
    item_code, items = pd.factorize(rows["item"].astype(str).to_numpy(dtype=object))
    phase_code, phases = pd.factorize(rows["factor_phase"].astype(str).to_numpy(dtype=object))
    pair = item_code.astype(np.int64) * max(len(phases), 1) + phase_code
    activity = rows["activity"].to_numpy(dtype=float)
    out = {}
    for c in criteria:
        f = factors[factors["criterion"] == c]
        value = dict(zip(zip(f["item"].astype(str), f["phase"].astype(str)), f["value"].astype(float)))
        central = np.array([[value.get((i, p), 0.0)] for i in items for p in phases]).reshape(-1, 1)
        totals = (weighted_draws(cell, np.zeros(len(cell), dtype=np.int64), pair, activity, len(cells), np.ones((1, 1)),
                                 central) if len(central) else np.zeros((len(cells), 1)))
        out[c] = _by_part(cells, totals, n_services)
    return out


def _draws(rows: pd.DataFrame, params: pd.DataFrame, factors: pd.DataFrame, criteria, n_draws: int, seed: int,
           n_services: int) -> dict[str, dict]:
    """Monte Carlo draws of activity rows by the balance's engine (``helpers.model.carbon.monte_carlo``, cells
    ``service, part``): criterion -> part -> (n_services, n_draws)."""
    mc = carbon.monte_carlo(rows, factors, params, criteria, n_draws, seed, keep_cells=tuple(criteria),
                            sensitivity_criterion=None, cell_keys=("service", "part"), report_missing=False)
    return {c: _by_part(mc.cells, mc.draws[c], n_services) for c in criteria}


def evaluate(inputs: ServiceInputs, criteria=None, n_draws: int = 0, seed: int = 20200101) -> tuple[dict, dict]:
    """The services' activity rows (:func:`activity_rows`) on the one engine.

    Returns
    -------
    (central, drawn): criterion -> part (:data:`PARTS`) -> (S, 1) central values per functional unit (factors at
    their central value, multipliers at 1), and, when ``n_draws`` > 0, criterion -> part -> (S, n_draws) seeded draws
    (each factor, PUE and lifetime on its keyed stream of the one sampler: the same draw as in the balance; else
    empty). A row without a factor for a criterion counts 0 (:func:`missing_items` says which).
    """
    criteria = inputs.criteria if criteria is None else tuple(criteria)
    rows, params = activity_rows(inputs)
    S = len(inputs.resolved)
    central = _central(rows, inputs.factors, criteria, S)
    drawn = _draws(rows, params, inputs.factors, criteria, int(n_draws), seed, S) if n_draws else {}
    return central, drawn


def _lacking(keys: set[str], criterion: str, items, phases) -> set[str]:
    """The ``items`` with a factor for none of ``phases`` of ``criterion`` (``keys``: the library's factor ids)."""
    return {i for i in items if not any(f"{i}:{p}:{criterion}" in keys for p in phases)}


def missing_items(inputs: ServiceInputs, criteria=None) -> dict[str, list[set[str]]]:
    """For each criterion, per service, the items it needs that have no factor for that criterion (the value then
    covers the other items only): a device of its mix with no embodied phase (when it has device time), the
    users' electricity (device time), both networks (data), the server or the storage array with no embodied phase
    and the hosting's electricity (server time, storage)."""
    criteria = inputs.criteria if criteria is None else tuple(criteria)
    drv = Drivers.from_resolved(inputs.resolved, inputs.devices)
    dev = inputs.devices
    elec_dc = inputs.hosting["electricity_item"].tolist()
    keys = set(inputs.factors["factor_id"].astype(str))
    out = {}
    for crit in criteria:
        device = [_lacking(keys, crit, dev.loc[d, "items"], PHASES_EMBODIED) for d in dev.index]
        user = _lacking(keys, crit, [inputs.user_electricity_item], ("use",))
        network = _lacking(keys, crit, inputs.network_items, ("use",))
        server = _lacking(keys, crit, [inputs.server_item], PHASES_EMBODIED)
        storage = _lacking(keys, crit, [inputs.storage_item], PHASES_EMBODIED)
        per_service = []
        for s in range(len(drv.device_hours)):
            ms: set[str] = set()
            if drv.device_hours[s] > 0:
                ms = ms.union(*(m for j, m in enumerate(device) if drv.shares[s, j] > 0), user)
            if drv.data_gb[s] > 0:
                ms |= network
            hosting = _lacking(keys, crit, [elec_dc[s]], ("use",))
            ms |= (server | hosting) if drv.server_hours[s] > 0 else set()
            ms |= (storage | hosting) if drv.storage_gb_years[s] > 0 else set()
            per_service.append(ms)
        out[crit] = per_service
    return out


# ----------------------------------------------------------------------------------------------------------------
# Results tables
# ----------------------------------------------------------------------------------------------------------------


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


def run_lca(inputs: ServiceInputs, n_draws: int = 10_000, seed: int = 20200101, criteria=None) -> LcaResult:
    """Central values and a seeded Monte Carlo of the services, both from one evaluation of their activity rows by
    the study's one engine (:func:`evaluate`: a factor, a PUE or a lifetime has the same draw as in the balance)."""
    central, drawn = evaluate(inputs, criteria, max(int(n_draws), 2), seed)
    missing = missing_items(inputs, tuple(central))  # per criterion, one set of items per service
    central = {c: {**parts, "missing": missing[c]} for c, parts in central.items()}
    return LcaResult(inputs=inputs, central=central, draws=drawn, n_draws=int(n_draws), seed=int(seed))


def annual_tco2e(inputs: ServiceInputs) -> pd.Series:
    """Central annual climate impact (tCO2e) per service."""
    per_unit = evaluate(inputs, ("climate_change",))[0]["climate_change"]["total"][:, 0]
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
    units = dict(vocab.CRITERIA_UNITS)
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


# ----------------------------------------------------------------------------------------------------------------
# Sustainable Web Design v4
# ----------------------------------------------------------------------------------------------------------------


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
# Scenarios: the services part of the plan's levers, each a change of the services table
# ----------------------------------------------------------------------------------------------------------------

_WEB_TYPES = ("website", "portal")


def _visio_audio_only(df: pd.DataFrame, sel: pd.Series, share: float) -> None:
    """A share of the remaining video hours of the visio services switch to audio only (camera off)."""
    m = sel & df["type"].eq("visio")
    df.loc[m, "audio_share"] = 1.0 - (1.0 - df.loc[m, "audio_share"].fillna(0.0)) * (1.0 - float(share))


def _page_weight(df: pd.DataFrame, sel: pd.Series, reduction: float) -> None:
    """``page_weight_mb`` (and ``gb_per_unit`` if given) of website/portal services × (1 − reduction)."""
    web = sel & df["type"].isin(list(_WEB_TYPES))
    k = 1.0 - float(reduction)
    df.loc[web, "page_weight_mb"] = df.loc[web, "page_weight_mb"] * k
    df.loc[web, "gb_per_unit"] = df.loc[web, "gb_per_unit"] * k


def _lazy_loading(df: pd.DataFrame, sel: pd.Series, reduction: float) -> None:
    """``loaded_share`` (an empty share is a full page), ``requests_per_visit`` and ``gb_per_unit`` of
    website/portal services × (1 − reduction)."""
    web = sel & df["type"].isin(list(_WEB_TYPES))
    k = 1.0 - float(reduction)
    df.loc[web, "loaded_share"] = df.loc[web, "loaded_share"].fillna(1.0) * k
    df.loc[web, "requests_per_visit"] = df.loc[web, "requests_per_visit"] * k
    df.loc[web, "gb_per_unit"] = df.loc[web, "gb_per_unit"] * k


def _video_quality(df: pd.DataFrame, sel: pd.Series, quality: str, types) -> None:
    """``video_quality`` lowered to ``quality`` (never raised) for the services of ``types``; a measured
    ``gb_per_unit`` no longer applies."""
    if quality not in VIDEO_QUALITIES:
        raise ValueError(f"scenario 'video_quality': quality must be one of {VIDEO_QUALITIES}")
    order = {q: i for i, q in enumerate(VIDEO_QUALITIES)}
    m = sel & df["type"].isin(list(types))
    df["video_quality"] = df["video_quality"].astype(object)  # all empty (no video service) reads as float
    current = df.loc[m, "video_quality"].map(order)
    df.loc[m, "video_quality"] = np.where(current > order[quality], quality, df.loc[m, "video_quality"])
    df.loc[m & df["gb_per_unit"].notna(), "gb_per_unit"] = np.nan


def _storage_purge(df: pd.DataFrame, sel: pd.Series, reduction: float) -> None:
    """``annual_volume`` of storage services × (1 − reduction)."""
    m = sel & df["type"].eq("storage")
    df.loc[m, "annual_volume"] = df.loc[m, "annual_volume"] * (1.0 - float(reduction))


def _mobile_to_wifi(df: pd.DataFrame, sel: pd.Series, share: float) -> None:
    """``mobile_network_share`` × (1 − share) for all services (an empty share is no mobile network)."""
    df.loc[sel, "mobile_network_share"] = df.loc[sel, "mobile_network_share"].fillna(0.0) * (1.0 - float(share))


@dataclass(frozen=True)
class Scenario:
    """A change of the services table: its name (in the services' scenario table), its parameters with the values
    the scenario table runs it at, and its transform ``transform(resolved, selected_rows, **parameters)`` (in place
    on a copy). The plan's levers act on the services through these (``helpers.model.levers.LEVERS``)."""

    id: str
    defaults: dict
    transform: Callable[..., None]


#: the services' scenarios, in the order of the scenario table
SCENARIOS: dict[str, Scenario] = {s.id: s for s in (
    Scenario("visio_audio_only", {"share": 0.5}, _visio_audio_only),
    Scenario("page_weight", {"reduction": 0.5}, _page_weight),
    Scenario("lazy_loading", {"reduction": 0.3}, _lazy_loading),
    Scenario("video_quality", {"quality": "sd", "types": ("visio", "streaming")}, _video_quality),
    Scenario("storage_purge", {"reduction": 0.3}, _storage_purge),
    Scenario("mobile_to_wifi", {"share": 0.5}, _mobile_to_wifi),
)}


def _scenario_parameters(scenario: str, params: dict) -> dict:
    """The scenario's defaults updated with ``params``; ValueError for an unknown scenario or parameter, or a share
    or reduction outside 0–1."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario '{scenario}'; known: {sorted(SCENARIOS)}")
    p = dict(SCENARIOS[scenario].defaults)
    unknown = set(params) - set(p)
    if unknown:
        raise ValueError(f"scenario '{scenario}' takes {sorted(p)}, not {sorted(unknown)}")
    p.update(params)
    for key in ("share", "reduction"):
        if key in p and not 0.0 <= float(p[key]) <= 1.0:
            raise ValueError(f"scenario '{scenario}': {key} must be between 0 and 1, found {p[key]}")
    return p


def apply_scenario(services: pd.DataFrame, scenario: str, service_ids=None, presets: pd.DataFrame | None = None,
                   **params) -> pd.DataFrame:
    """Return a modified services table for a reduction scenario, so the same model reruns on it.

    Parameters
    ----------
    services : the services table (raw or resolved); defaults are filled first (:func:`resolve_services`)
    scenario : one of :data:`SCENARIOS`
    service_ids : restrict the change to these services (default: every service of the relevant types)
    presets : service presets (``helpers.io.services_inputs.load_presets``)
    **params : the scenario's parameters (defaults in :data:`SCENARIOS`): ``share`` (0–1), ``reduction`` (0–1),
        ``quality`` (``audio|sd|hd|4k``), ``types``

    Raises
    ------
    ValueError
        unknown scenario (with the known names) or a parameter out of range.
    """
    p = _scenario_parameters(scenario, params)
    df = resolve_services(services, presets)
    df["scenario"] = scenario
    sel = pd.Series(True, index=df.index) if service_ids is None else df["service_id"].isin(list(service_ids))
    SCENARIOS[scenario].transform(df, sel, **p)
    return resolve_services(df, presets)


def service_gains(base: ServiceInputs, scenarios: list[ServiceInputs], criteria=("climate_change",)
                  ) -> dict[str, np.ndarray]:
    """Central gain (baseline − scenario, kg of the criterion a year) of each service under each scenario: the action
    plan's gain (the rows per year of :func:`annual_rows`, differenced by ``helpers.model.carbon.scenario_gains``),
    one service at a time. Returns criterion -> (n_scenarios, S)."""
    base_rows, base_params = annual_rows(base)
    changed = [annual_rows(x) for x in scenarios]
    params = pd.concat([base_params] + [p for _, p in changed], ignore_index=True).drop_duplicates()
    if params["param_id"].duplicated().any():  # a scenario never changes a lifetime or a hosting kind's PUE
        raise ValueError("a services scenario changes the distribution of a multiplier: "
                         f"{sorted(params.loc[params['param_id'].duplicated(), 'param_id'])}")
    S = len(base.resolved)
    out = {c: np.zeros((len(scenarios), S)) for c in criteria}
    for s in range(S):  # one step per service (5 to 50); only the central gains are used, so one draw
        own = [r[r["service"].to_numpy() == s] for r, _ in changed]
        gains = carbon.scenario_gains(base_rows[base_rows["service"].to_numpy() == s], own, base.factors, params,
                                      criteria, 1, 0)
        for c in criteria:
            out[c][:, s] = gains.central[c]
    return out


def scenario_table(inputs: ServiceInputs, presets: pd.DataFrame, scenarios=None) -> pd.DataFrame:
    """Central annual tCO2e of every service for the baseline and each scenario (default parameters).

    ``change_tco2e`` is minus the scenario's gain (:func:`service_gains`, the action plan's), ``scenario_tco2e``
    the baseline minus the gain.

    Returns
    -------
    Long table ``scenario, service_id, baseline_tco2e, scenario_tco2e, change_tco2e, change_pct``.
    """
    names = list(scenarios or SCENARIOS)
    base = annual_tco2e(inputs)
    changed = [dataclasses.replace(inputs, resolved=apply_scenario(inputs.resolved, name, presets=presets))
               for name in names]
    gains = service_gains(inputs, changed)["climate_change"] / 1000.0
    rows = []
    for k, name in enumerate(names):
        for s, sid in enumerate(base.index):
            b, g = float(base.iat[s]), float(gains[k, s])
            change = 0.0 - g  # not -g: no gain is a change of 0.0, not -0.0
            rows.append({"scenario": name, "service_id": sid, "baseline_tco2e": b, "scenario_tco2e": b - g,
                         "change_tco2e": change, "change_pct": change / b * 100 if b > 0 else 0.0})
    return pd.DataFrame(rows, columns=["scenario", "service_id", "baseline_tco2e", "scenario_tco2e", "change_tco2e",
                                       "change_pct"])


# ----------------------------------------------------------------------------------------------------------------
# Sensitivity (Sobol indices + one-at-a-time swings) on copies of a service
# ----------------------------------------------------------------------------------------------------------------

#: the parameters of the sensitivity analysis, in the order of their bounds (:func:`sensitivity_bounds`)
SENSITIVITY_PARAMETERS: tuple[str, ...] = (
    "terminal_embodied", "lifetime", "device_hours", "device_power", "data_gb", "mobile_share",
    "mobile_network_share", "elec_user", "network", "pue", "server_hours", "storage", "dc_embodied", "elec_dc")
#: the multipliers of a factor's value, by the part whose rows they scale (the model is linear in each factor)
_FACTOR_SCALES: dict[str, str] = {"terminal_embodied": "terminals_build", "elec_user": "terminals_use",
                                  "network": "network", "dc_embodied": "datacentre_build", "elec_dc": "datacentre_use"}


def saltelli_sample(bounds, n_base: int, seed: int) -> np.ndarray:
    """Saltelli's design for first- and total-order Sobol indices over uniform ``bounds`` ([low, high] per parameter).

    The same matrix as ``SALib.sample.sobol.sample(problem, n_base, calc_second_order=False, seed=seed)`` (SALib
    1.6, scrambled Sobol' sequence of dimension 2D from ``scipy.stats.qmc.Sobol``; Saltelli 2002, *Comput. Phys.
    Commun.* 145:280, doi:10.1016/S0010-4655(02)00280-1): for each base point, the row of matrix A, the D rows of A
    with column j taken from B, then the row of B, so ``n_base × (D + 2)`` rows. Built with array operations
    instead of SALib's per-element loop (not memoised: ``make bench`` measured no gain); the scaling is
    SALib's (``u × (high − low) + low``, same operations), so the values are bit for bit SALib's
    (``tests/model/test_services.py``).
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


def _climate(*keys: str) -> list[str]:
    return [f"f:{k}:climate_change" for k in keys]


def sensitivity_bounds(inputs: ServiceInputs, s: int, table: pd.DataFrame | None = None
                       ) -> dict[str, tuple[float, float]]:
    """Ranges of the sensitivity parameters for service ``s`` (multipliers, except the two shares and the PUE which
    are absolute). Factor ranges come from the library's 95 % intervals (climate change); input ranges are
    assumptions: device time and data ×0.5–×1.5, server time and storage ×0.5–×2, device power ×0.7–×1.3,
    shares ±0.2. ``table``: :func:`parameter_table` of ``inputs`` when the caller has it."""
    table = parameter_table(inputs) if table is None else table
    r = inputs.resolved.iloc[s]
    h = inputs.hosting.iloc[s]
    used = [d for d in inputs.devices.index if r.get(f"share_{d}", 0) > 0]
    dev_items = _climate(*(f"{i}:{p}" for d in used for i in inputs.devices.loc[d, "items"] for p in PHASES_EMBODIED))
    mns = float(r["mobile_network_share"]) if pd.notna(r["mobile_network_share"]) else 0.0
    return {
        "terminal_embodied": _ratio(table, dev_items),
        "lifetime": _ratio(table, [f"life:{d}" for d in used]),
        "device_hours": (0.5, 1.5),
        "device_power": (0.7, 1.3),
        "data_gb": (0.5, 1.5),
        "mobile_share": (max(0.0, r["share_smartphone"] - 0.2),
                         min(1.0 - r["share_tablet"], r["share_smartphone"] + 0.2)),
        "mobile_network_share": (max(0.0, mns - 0.2), min(1.0, mns + 0.2)),
        "elec_user": _ratio(table, _climate(f"{inputs.user_electricity_item}:use")),
        "network": _ratio(table, _climate(*(f"{i}:use" for i in inputs.network_items))),
        "pue": (float(h["pue_low"]), float(h["pue_high"])),
        "server_hours": (0.5, 2.0),
        "storage": (0.5, 2.0),
        "dc_embodied": _ratio(table, _climate(*(f"{i}:{p}" for i in (inputs.server_item, inputs.storage_item)
                                                for p in PHASES_EMBODIED))),
        "elec_dc": _ratio(table, _climate(f"{h['electricity_item']}:use")),
    }


def _copies(inputs: ServiceInputs, s: int, k: int) -> ServiceInputs:
    """``k`` copies of service ``s`` (climate change only)."""
    pick = [s] * k
    return dataclasses.replace(inputs, resolved=inputs.resolved.iloc[pick].reset_index(drop=True),
                               hosting=inputs.hosting.iloc[pick].reset_index(drop=True), criteria=("climate_change",))


def _moved_shares(drv: Drivers, r: pd.Series, devices: pd.Index, col: dict) -> None:
    """The smartphone share and the mobile network share of ``col`` written into the copies' drivers: the other
    computers take what the smartphones free, split as the service's own laptop/desktop split (a service with no
    computer share takes it from its ``computer_device``)."""
    devs = list(devices)
    mns = r["mobile_network_share"] if pd.notna(r["mobile_network_share"]) else 0.0
    if "mobile_share" in col:
        new_mobile = col["mobile_share"]
        computer = np.clip(1.0 - new_mobile - r["share_tablet"], 0.0, 1.0)
        old_comp = r["share_laptop"] + r["share_desktop"]
        lap = r["share_laptop"] / old_comp if old_comp > 0 else LAPTOP_PART.get(r.get("computer_device"), 1.0)
        drv.shares[:, devs.index("smartphone")] = new_mobile
        drv.shares[:, devs.index("laptop")] = computer * lap
        drv.shares[:, devs.index("desktop")] = computer * (1 - lap)
        drv.mobile_traffic = new_mobile * mns
    if "mobile_network_share" in col:
        mobile_share = drv.shares[:, devs.index("smartphone")] if "mobile_share" in col else r["share_smartphone"]
        drv.mobile_traffic = mobile_share * col["mobile_network_share"] * np.ones(len(drv.data_gb))


def _moved_drivers(one: ServiceInputs, names: list[str], X: np.ndarray) -> Drivers:
    """The drivers of the copies of one service (``one``), each moved by its row of ``X`` (columns = ``names``)."""
    K = X.shape[0]
    col = {n: X[:, i] for i, n in enumerate(names)}
    mult = lambda n: col.get(n, np.ones(K))  # noqa: E731
    r = one.resolved.iloc[0]
    drv = Drivers.from_resolved(one.resolved, one.devices)
    drv.shares = drv.shares.copy()
    _moved_shares(drv, r, one.devices.index, col)
    drv.data_gb = drv.data_gb * mult("data_gb")
    drv.server_hours = drv.server_hours * mult("server_hours")
    if r["type"] in ("website", "portal", "other"):
        drv.server_hours = drv.server_hours * mult("data_gb")  # web server time follows the data served
    drv.storage_gb_years = drv.storage_gb_years * mult("storage")
    drv.device_hours = drv.device_hours * mult("device_hours")
    drv.device_kwh = drv.device_kwh * mult("device_hours")
    drv.life_scale = mult("lifetime")
    drv.power_scale = mult("device_power")
    if "pue" in col:
        drv.pue = col["pue"]
    return drv


def service_parts(inputs: ServiceInputs, s: int, names: list[str], X: np.ndarray, table: pd.DataFrame | None = None
                  ) -> dict[str, np.ndarray]:
    """Climate change per functional unit of service ``s`` (kgCO2e), by part, for each row of ``X`` (columns =
    ``names``, parameters of :data:`SENSITIVITY_PARAMETERS`): the service's activity rows at their central values
    (:func:`_central`, as :func:`evaluate`) for ``len(X)`` copies of it, each with its drivers moved (device time,
    data, server time, storage, shares, device lifetimes and power, a fixed PUE) and the rows of each factor's
    part scaled by that factor's multiplier. ``table``: :func:`parameter_table` of ``inputs`` when the caller has
    it. Returns part -> (len(X),)."""
    one = _copies(inputs, s, X.shape[0])
    table = parameter_table(inputs) if table is None else table
    rows, _ = activity_rows(one, table, _moved_drivers(one, names, X))
    part = rows["part"].to_numpy(dtype=object)
    activity = rows["activity"].to_numpy(dtype=float).copy()
    service = rows["service"].to_numpy(dtype=np.int64)
    for i, n in enumerate(names):
        if n in _FACTOR_SCALES:
            on = part == _FACTOR_SCALES[n]
            activity[on] = activity[on] * X[service[on], i]
    central = _central(rows.assign(activity=activity), one.factors, ("climate_change",), X.shape[0])
    return {p: v[:, 0] for p, v in central["climate_change"].items()}


def _swings(inputs: ServiceInputs, s: int, bounds: dict, base: float, table: pd.DataFrame) -> dict[str, tuple]:
    """One-at-a-time: each parameter at its low and high bound, the others central; the parameters that move the
    result: name -> (low, high, value at low, value at high)."""
    swings = {}
    for n, (lo, hi) in bounds.items():
        if hi - lo <= 1e-12:
            continue
        y = service_parts(inputs, s, [n], np.array([[lo], [hi]]), table)["total"]
        if abs(y[1] - y[0]) > 1e-9 * max(abs(base), 1e-12):
            swings[n] = (lo, hi, y[0], y[1])
    return swings


def _sobol(inputs: ServiceInputs, s: int, bounds: dict, active: list[str], seed: int, n_base: int,
           table: pd.DataFrame) -> tuple[dict, dict]:
    """First-order and total indices of the ``active`` parameters (clipped to 0–1): Saltelli's design when there
    are two or more, all the variance to a single one."""
    if len(active) >= 2:
        X = saltelli_sample([bounds[n] for n in active], n_base, seed)
        first, total = sobol_indices(service_parts(inputs, s, active, X, table)["total"], len(active))
        return dict(zip(active, np.clip(first, 0, 1))), dict(zip(active, np.clip(total, 0, 1)))
    if len(active) == 1:
        return {active[0]: 1.0}, {active[0]: 1.0}
    return {}, {}


def sensitivity(inputs: ServiceInputs, seed: int = 20200101, n_base: int = 256) -> pd.DataFrame:
    """Which parameters drive each service's climate result.

    For each service: one-at-a-time swings (each parameter at its low and high bound, others central) for a tornado
    chart, and Sobol first-order and total indices (Saltelli's design with ``n_base`` base samples,
    :func:`saltelli_sample`, and SALib's estimators, :func:`sobol_indices`; no second order) over the parameters
    that move the result; every value by :func:`service_parts`.

    Returns
    -------
    Long table ``service_id, parameter, low_bound, high_bound, base_g, g_at_low, g_at_high, swing_g, s1, st``
    (g = gCO2e per functional unit), sorted by service and decreasing ``st``.
    """
    rows = []
    table = parameter_table(inputs)
    for s in range(len(inputs.resolved)):
        bounds = sensitivity_bounds(inputs, s, table)
        base = service_parts(inputs, s, [], np.zeros((1, 0)), table)["total"][0]
        swings = _swings(inputs, s, bounds, base, table)
        s1, st = _sobol(inputs, s, bounds, list(swings), seed, n_base, table)
        sid = inputs.resolved["service_id"].iat[s]
        for n, (lo, hi, ylo, yhi) in swings.items():
            rows.append({"service_id": sid, "parameter": n, "low_bound": lo, "high_bound": hi, "base_g": base * 1000,
                         "g_at_low": ylo * 1000, "g_at_high": yhi * 1000, "swing_g": abs(yhi - ylo) * 1000,
                         "s1": s1[n], "st": st[n]})
    out = pd.DataFrame(rows, columns=["service_id", "parameter", "low_bound", "high_bound", "base_g", "g_at_low",
                                      "g_at_high", "swing_g", "s1", "st"])
    return out.sort_values(["service_id", "st", "swing_g"], ascending=[True, False, False],
                           kind="mergesort").reset_index(drop=True)


# ----------------------------------------------------------------------------------------------------------------
# Reference checks (ADEME impactco2), shown in the notebook and tested in tests/model/test_services.py
# ----------------------------------------------------------------------------------------------------------------

#: ADEME's published figures (``incubateur-ademe/impactco2:src/data/categories/usagenumerique.json@2deca6d``),
#: kgCO2e per unit, split terminal build / terminal use / transmission / DC build / DC use: 1 h of visio (2 devices,
#: SD, laptop, French fixed network), 1 email of 1 MB to 1 recipient, 1 h of HD streaming.
ADEME_REFERENCES: dict[str, float] = {
    "visio": 0.04100456621 + 0.002845 + 0.0129770857 + 0.000236636 + 7.755216e-8,
    "email": 0.001286218 + 0.00008684837 + 0.00003580927 + 0.00093525547 + 0.00011768151,
    "streaming": 0.0327361035 + 0.002903607 + 0.02780804 + 0.000236636 + 0.00033236641,
}
#: Devices of that ADEME vintage: lifetimes, profiles (3 h/day) and active powers of
#: ``publicodes-acv-numerique:src/acv-terminaux.publicodes@d13a17e4`` (construction in the vintage factor table,
#: ``helpers.io.services_inputs.vintage_factor_table``).
ADEME_VINTAGE_DEVICES = pd.DataFrame({
    "device": ["smartphone", "tablet", "laptop", "desktop", "tv"],
    "items": [("smartphone",), ("tablet",), ("laptop",), ("desktop",), ("tv",)],
    "lifetime_years": [2.5, 3.0, 6.0, 6.0, 8.0], "lifetime_low_years": [2.5, 3.0, 6.0, 6.0, 8.0],
    "lifetime_high_years": [2.5, 3.0, 6.0, 6.0, 8.0], "hours_per_day": [3.0] * 5,
    "power_w": [5.6, 15.0, 25.0, 80.0, 65.0],
}).set_index("device")
#: PUE of ADEME's models: 1.3 for streaming (assumption, reused for visio), 1.16 for email (Google, Gmail)
_REFERENCE_KINDS = pd.DataFrame({
    "kind": ["ademe_streaming", "ademe_mail"], "default_pue": [1.3, 1.16], "pue_low": [1.3, 1.16],
    "pue_high": [1.3, 1.16], "electricity_item": ["electricity_fr", "electricity_fr"],
    "source": ["data center.publicodes"] * 2,
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
#: the TV of ADEME's streaming mix in the library (``tv_display``: 8 years, 3 h/day, 65 W; ADEME acv-terminaux)
_LIBRARY_TV = pd.DataFrame({"items": [("tv_display",)], "lifetime_years": [8.0], "lifetime_low_years": [6.0],
                            "lifetime_high_years": [10.0], "hours_per_day": [3.0], "power_w": [65.0],
                            "lifetime_source": ["ADEME acv-terminaux"]}, index=["tv"])


def _reference_totals_g(factors: pd.DataFrame, devices: pd.DataFrame, ademe_storage: bool, presets: pd.DataFrame,
                        categories=None) -> np.ndarray:
    inputs = build_inputs(_REFERENCE_SERVICES, factors, categories, _REFERENCE_KINDS, None, presets, devices=devices)
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
    per_unit = evaluate(inputs, ("climate_change",))[0]["climate_change"]["total"][:, 0] * 1000
    return per_unit * np.array([2.0, 1.0, 1.0])  # the visio reference is one meeting of 2 devices


def reference_checks(factors: pd.DataFrame, categories: pd.DataFrame | None, presets: pd.DataFrame,
                     vintage_factors: pd.DataFrame) -> pd.DataFrame:
    """The model against ADEME's published usage figures (impactco2): 1 h of visio (57.1 g), 1 email (2.46 g),
    1 h of streaming (64 g).

    Columns: ``reference`` (a key of :data:`ADEME_REFERENCES`), ``ademe_g`` (published), ``model_ademe_vintage_g``
    (this model with the parameters ADEME used: ``vintage_factors``, ``helpers.io.services_inputs.
    vintage_factor_table``, and :data:`ADEME_VINTAGE_DEVICES`), ``difference_pct``, ``model_library_g`` (this model
    with the current factor library and its device table, a TV taken as ``tv_display``), ``library_difference_pct``.
    """
    vintage = _reference_totals_g(vintage_factors, ADEME_VINTAGE_DEVICES, True, presets)
    lib_devices = pd.concat([device_table(categories), _LIBRARY_TV])
    library = _reference_totals_g(factors, lib_devices, False, presets, categories)
    keys = list(ADEME_REFERENCES)
    ademe = np.array([ADEME_REFERENCES[k] * 1000 for k in keys])
    return pd.DataFrame({
        "reference": keys, "ademe_g": ademe, "model_ademe_vintage_g": vintage,
        "difference_pct": (vintage - ademe) / ademe * 100,
        "model_library_g": library, "library_difference_pct": (library - ademe) / ademe * 100,
    })


# ----------------------------------------------------------------------------------------------------------------
# The whole study of notebook 03
# ----------------------------------------------------------------------------------------------------------------


@dataclass
class ServicesStudy:
    """Everything notebook 03 shows and writes (``helpers.run.services_section`` computes and writes it)."""

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
    rgesn_grid: pd.DataFrame = field(default_factory=pd.DataFrame)
    factor_changes: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def names(self) -> dict:
        return dict(zip(self.services.get("service_id", []), self.services.get("name", [])))
