"""The territory's digital footprint split by actor (issue 35): households, businesses by sector, schools and public
services, data centres, networks, each line resting on local data (``local``) or on the national average
(``national_ratio``).

Method (pure functions of values; the open-data files are read by :mod:`helpers.io.territory_data`):

- The national footprint ``P`` (ADEME–Arcep, 2020 scope: 17.05 MtCO2e, range 16.9–17.2) is split by its sourced
  tiers: terminals 79 %, data centres 16 %, networks 5 % (fixed networks 75–90 % of these). Without local data each
  tier is the territory's population share of it (``population ÷ 67,984,190``, the population under ADEME–Arcep's
  253 kgCO2e per inhabitant): the three lines add up to today's figure (``carbon.territory_footprint_tco2e``).
- A local file replaces the population by a local driver of the same pool: households (INSEE), salaried jobs by
  sector (SIRENE, CLAP, FLORES), pupils (Éducation nationale), data centres' power or floor area, fixed accesses and
  SIM cards (operators, Arcep). A line is ``local`` driver × the national intensity per driver unit:

  * per salaried job: 204 kgCO2e (WeNR 2021, 265 kg × 77 % of office equipment; 102–265);
  * per pupil: the school devices of a basket (``territory_actors.csv``, assumed) × their annual footprint from the
    factor library (manufacturing over the lifetime + electricity);
  * per household: what remains of the national terminals once the professional and school terminals are taken out
    (``(0.79 P − jobs × 204 kg − pupils × basket) ÷ households``), so the terminal actors add up to the terminal pool;
  * per MW or m² of data centre, per fixed access or SIM card: the pool ÷ the national count.

- The terminals the local files do not cover stay one ``national_ratio`` line: the population share of the terminal
  pool minus what the national average allots to the actors given locally (no sourced split of terminals between
  households, businesses and public services exists, so no line per actor is made up from a ratio).

Intervals add the lines' bounds (a prudent interval: the pools move together); a line's bounds combine the national
range, the intensity's range and, for SIRENE bands, the band bounds of its jobs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: NAF rev. 2 sections counted as schools and public services (administration, education, health and social work);
#: the split follows the sector, not the legal status (a private clinic is in Q)
PUBLIC_SECTIONS: tuple[str, ...] = ("O", "P", "Q", "OQ")

#: The actors (the lines of ``territory.by_actor``; their French names: :mod:`helpers.report.territory_labels`)
ACTORS: tuple[str, ...] = ("households", "businesses", "schools_public", "terminals", "other_terminals", "datacentres",
                           "networks", "networks_fixed", "networks_mobile")
BASES: tuple[str, ...] = ("local", "national_ratio")


@dataclass(frozen=True)
class Interval:
    """A central value and its bounds."""

    value: float
    low: float
    high: float

    def __mul__(self, other: Interval | float) -> Interval:
        if isinstance(other, Interval):  # both non-negative: bounds multiply
            return Interval(self.value * other.value, self.low * other.low, self.high * other.high)
        return Interval(self.value * other, self.low * other, self.high * other)

    __rmul__ = __mul__

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.value + other.value, self.low + other.low, self.high + other.high)

    def as_dict(self) -> dict[str, float]:
        return {"value": float(self.value), "low": float(self.low), "high": float(self.high)}


def _row(df: pd.DataFrame, key: str) -> pd.Series:
    return df.set_index("id" if "id" in df else df.columns[0]).loc[key]


def _ivl(row: pd.Series) -> Interval:
    v = float(row["value"])
    lo = float(row["low"]) if pd.notna(row.get("low")) else v
    hi = float(row["high"]) if pd.notna(row.get("high")) else v
    return Interval(v, lo, hi)


def device_annual_kgco2e(categories: pd.DataFrame, factors: pd.DataFrame, category: str
                         ) -> Interval:
    """Annual climate footprint of one device of ``category`` (kgCO2e/year): its manufacturing, distribution and end
    of life over its default lifetime, plus its default yearly electricity × the French electricity factor; bounds from
    the factors' low and high (``categories.csv``, ``factors.csv``)."""
    c = categories.set_index("category").loc[category]
    f = factors[factors["criterion"] == "climate_change"]
    emb = f[(f["item"] == c["factor_item"]) & (f["phase"] != "use")]
    elec = f.set_index("factor_id").loc["electricity_fr:use:climate_change"]
    kwh = c["default_yearly_kwh"]
    if pd.isna(kwh):
        kwh = float(c["default_power_w"]) * float(c["default_hours_per_day"]) * float(c["default_days_per_year"]) / 1000
    life = float(c["default_lifetime_years"])

    def one(col: str) -> float:
        return float(emb[col].fillna(emb["value"]).sum()) / life + float(kwh) * float(elec[col])

    return Interval(one("value"), one("low"), one("high"))


@dataclass(frozen=True)
class NationalIntensities:
    """The national pools (tCO2e/year) and the intensity per driver unit (kgCO2e/year) of each actor."""

    population: float
    pools_tco2e: dict[str, Interval]
    per_unit_kgco2e: dict[str, Interval]
    national_drivers: dict[str, float]
    sources: dict[str, str] = field(default_factory=dict)


def national_intensities(national: pd.DataFrame, actors: pd.DataFrame, categories: pd.DataFrame,
                         factors: pd.DataFrame) -> NationalIntensities:
    """Pools and intensities from the national footprint (``national_footprint.csv``), the actor parameters
    (``territory_actors.csv``) and the factor library (the pupils' school devices).

    Raises ``ValueError`` when the professional and school terminals leave no household terminals (a reference
    library out of balance)."""
    total = _row(national, "ademe_arcep_2020_total")
    p_mt = Interval((float(total["low"]) + float(total["high"])) / 2, float(total["low"]), float(total["high"]))
    p_t = p_mt * 1e6
    shares = {k: float(_row(national, f"ademe_arcep_2020_share_{k}")["value"])
              for k in ("terminals", "datacentres", "networks")}
    fixed = _ivl(_row(actors, "share_networks_fixed"))
    mobile = Interval(1 - fixed.value, 1 - fixed.high, 1 - fixed.low)
    pools = {"terminals": p_t * shares["terminals"], "datacentres": p_t * shares["datacentres"],
             "networks": p_t * shares["networks"], "networks_fixed": p_t * shares["networks"] * fixed,
             "networks_mobile": p_t * shares["networks"] * mobile}
    drivers = {k: float(_row(actors, f"fr_{k}")["value"]) for k in
               ("population", "households", "salaried_jobs", "pupils", "dc_power_mw", "dc_floor_m2",
                "fixed_accesses", "sim_cards")}
    job = _ivl(_row(actors, "job_terminals_kgco2e"))
    basket = actors[actors["id"].astype(str).str.startswith("pupil_units:")]
    pupil = Interval(0.0, 0.0, 0.0)
    for r in basket.itertuples(index=False):
        pupil = pupil + _ivl(pd.Series(r._asdict())) * device_annual_kgco2e(categories, factors, r.id.split(":", 1)[1])
    term_kg = pools["terminals"] * 1000.0
    j, s, h = drivers["salaried_jobs"], drivers["pupils"], drivers["households"]
    household = Interval((term_kg.value - job.value * j - pupil.value * s) / h,
                         (term_kg.low - job.high * j - pupil.high * s) / h,
                         (term_kg.high - job.low * j - pupil.low * s) / h)
    if household.low <= 0:
        raise ValueError("territory_actors.csv: professional and school terminals exceed the national terminal pool")
    per_unit = {"households": household, "salaried_jobs": job, "pupils": pupil,
                "dc_power_mw": pools["datacentres"] * (1000.0 / drivers["dc_power_mw"]),
                "dc_floor_m2": pools["datacentres"] * (1000.0 / drivers["dc_floor_m2"]),
                "fixed_accesses": pools["networks_fixed"] * (1000.0 / drivers["fixed_accesses"]),
                "sim_cards": pools["networks_mobile"] * (1000.0 / drivers["sim_cards"])}
    sources = {str(r.id): str(r.source) for r in actors.itertuples(index=False)}
    return NationalIntensities(drivers["population"], pools, per_unit, drivers, sources)


@dataclass
class LocalDrivers:
    """What the territory's open-data files give (``None``: the file was not provided).

    ``jobs_by_section``: one row per NAF section with ``section, establishments, employees, employees_low,
    employees_high`` (salaried jobs)."""

    households: float | None = None
    jobs_by_section: pd.DataFrame | None = None
    pupils: float | None = None
    dc_power_mw: float | None = None
    dc_floor_m2: float | None = None
    fixed_accesses: float | None = None
    sim_cards: float | None = None

    def terminal_actors(self) -> list[str]:
        out = []
        if self.households is not None:
            out.append("households")
        if self.jobs_by_section is not None:
            out.append("jobs")
        if self.pupils is not None:
            out.append("pupils")
        return out


#: Columns of :func:`actor_lines`: per line, its driver's value, the national intensity per driver unit, the
#: footprint with its bounds; ``pupils`` and ``public_jobs`` (the two drivers of ``schools_public``, NaN elsewhere).
#: The published table adds the French names, the driver and the method note
#: (:func:`helpers.report.territory_labels.actor_lines`).
LINE_COLUMNS = ["actor", "basis", "driver_value", "intensity_kgco2e", "value_tco2e", "low_tco2e", "high_tco2e",
                "pupils", "public_jobs"]

_ZERO = Interval(0.0, 0.0, 0.0)


def _jobs(df: pd.DataFrame, public: bool) -> Interval:
    mask = df["section"].isin(PUBLIC_SECTIONS) if public else ~df["section"].isin(PUBLIC_SECTIONS)
    d = df[mask]
    return Interval(float(d["employees"].sum()), float(d["employees_low"].sum()), float(d["employees_high"].sum()))


def _line(actor: str, basis: str, amount: Interval, driver_value=np.nan, intensity_kgco2e=np.nan,
          pupils=np.nan, public_jobs=np.nan) -> dict:
    return {"actor": actor, "basis": basis, "driver_value": driver_value, "intensity_kgco2e": intensity_kgco2e,
            "value_tco2e": amount.value, "low_tco2e": amount.low, "high_tco2e": amount.high, "pupils": pupils,
            "public_jobs": public_jobs}


def _per_inhabitant(actor: str, amount: Interval, population: float) -> dict:
    """A ``national_ratio`` line: the population share of a national pool, its intensity per inhabitant."""
    return _line(actor, "national_ratio", amount, population, amount.value * 1000 / population)


def _schools_public_line(local: LocalDrivers, per: dict[str, Interval], public_jobs: Interval | None) -> list[dict]:
    """The schools and public services: pupils × school devices per pupil, plus the salaried jobs of the public
    sections × terminals per job; no line when neither is given."""
    if local.pupils is None and public_jobs is None:
        return []
    amount = _ZERO
    if local.pupils is not None:
        amount = amount + per["pupils"] * (local.pupils / 1000.0)
    if public_jobs is not None:
        amount = amount + per["salaried_jobs"] * public_jobs * 0.001
    jobs_value = public_jobs.value if public_jobs is not None else np.nan
    return [_line("schools_public", "local", amount,
                  (local.pupils or 0.0) + (jobs_value if public_jobs is not None else 0.0),
                  pupils=np.nan if local.pupils is None else local.pupils, public_jobs=jobs_value)]


def _terminal_rest(population: float, ratio: float, covered: list[str], nat: NationalIntensities) -> list[dict]:
    """The terminals the local files do not cover: the population share of the terminal pool (no local actor), or
    that share minus what the national average allots to the actors given locally (bounds crossed); none when the
    three terminal actors are local."""
    pool = nat.pools_tco2e["terminals"] * ratio
    if not covered:
        return [_per_inhabitant("terminals", pool, population)]
    if len(covered) >= 3:
        return []
    key = {"households": "households", "jobs": "salaried_jobs", "pupils": "pupils"}
    taken = _ZERO
    for a in covered:
        unit = nat.per_unit_kgco2e[key[a]] * (nat.national_drivers[key[a]] * ratio / 1000.0)
        taken = taken + Interval(unit.value, unit.high, unit.low)  # what the average allots, bounds crossed
    rest = Interval(max(pool.value - taken.value, 0.0), max(pool.low - taken.low, 0.0),
                    max(pool.high - taken.high, 0.0))
    return [_line("other_terminals", "national_ratio", rest, population)]


def _terminal_lines(population: float, ratio: float, local: LocalDrivers, nat: NationalIntensities) -> list[dict]:
    """The terminals: the local actors (households, businesses, schools and public services), then what the
    national average leaves."""
    per = nat.per_unit_kgco2e
    rows = []
    if local.households is not None:
        rows.append(_line("households", "local", per["households"] * (local.households / 1000.0), local.households,
                          per["households"].value))
    jobs_p = None
    if local.jobs_by_section is not None:
        jobs_b, jobs_p = _jobs(local.jobs_by_section, False), _jobs(local.jobs_by_section, True)
        rows.append(_line("businesses", "local", per["salaried_jobs"] * jobs_b * 0.001, jobs_b.value,
                          per["salaried_jobs"].value))
    return rows + _schools_public_line(local, per, jobs_p) + _terminal_rest(population, ratio,
                                                                            local.terminal_actors(), nat)


def _datacentre_lines(population: float, ratio: float, local: LocalDrivers, nat: NationalIntensities) -> list[dict]:
    """The data centres on the territory × the national footprint per MW (or per m²) installed, else the
    population share of the national pool."""
    per = nat.per_unit_kgco2e
    if local.dc_power_mw is None and local.dc_floor_m2 is None:
        return [_per_inhabitant("datacentres", nat.pools_tco2e["datacentres"] * ratio, population)]
    amount = _ZERO
    if local.dc_power_mw:
        amount = amount + per["dc_power_mw"] * (local.dc_power_mw / 1000.0)
    if local.dc_floor_m2:
        amount = amount + per["dc_floor_m2"] * (local.dc_floor_m2 / 1000.0)
    return [_line("datacentres", "local", amount,
                  (local.dc_power_mw or 0.0) if local.dc_power_mw else (local.dc_floor_m2 or 0.0))]


def _network_lines(population: float, ratio: float, local: LocalDrivers, nat: NationalIntensities) -> list[dict]:
    """The networks: one population-share line without local lines, else fixed and mobile apart, each from the
    territory's lines × the national footprint per line, or the population share of that network."""
    if local.fixed_accesses is None and local.sim_cards is None:
        return [_per_inhabitant("networks", nat.pools_tco2e["networks"] * ratio, population)]
    rows = []
    for actor, value, key in (("networks_fixed", local.fixed_accesses, "fixed_accesses"),
                              ("networks_mobile", local.sim_cards, "sim_cards")):
        per = nat.per_unit_kgco2e[key]
        rows.append(_line(actor, "local", per * (value / 1000.0), value, per.value) if value is not None
                    else _per_inhabitant(actor, nat.pools_tco2e[actor] * ratio, population))
    return rows


def actor_lines(population: float, local: LocalDrivers, nat: NationalIntensities) -> pd.DataFrame:
    """One row per actor line (:data:`LINE_COLUMNS`): tCO2e/year with bounds, ``basis`` ``local`` or
    ``national_ratio``. Without any local driver: three ``national_ratio`` lines (terminals, data centres, networks)
    summing to ``population`` × the national footprint per inhabitant."""
    ratio = float(population) / nat.population
    rows = [row for part in (_terminal_lines, _datacentre_lines, _network_lines)
            for row in part(population, ratio, local, nat)]
    return pd.DataFrame(rows, columns=LINE_COLUMNS)


def total(lines: pd.DataFrame) -> dict[str, float]:
    """The territory's total (tCO2e/year): the sum of the lines' central values and of their bounds."""
    return {"value": float(lines["value_tco2e"].sum()), "low": float(lines["low_tco2e"].sum()),
            "high": float(lines["high_tco2e"].sum())}


def sector_table(jobs_by_section: pd.DataFrame, nat: NationalIntensities) -> pd.DataFrame:
    """Salaried jobs and terminal footprint per NAF section (``section, group, establishments, employees,
    value_tco2e, low_tco2e, high_tco2e``), the largest first; ``group`` ``businesses`` or ``schools_public``. The same
    intensity per job in every sector (no sourced intensity by sector). The published table adds each section's
    French name (:func:`helpers.report.territory_labels.sector_table`)."""
    per = nat.per_unit_kgco2e["salaried_jobs"]
    df = jobs_by_section.copy()
    df["group"] = np.where(df["section"].isin(PUBLIC_SECTIONS), "schools_public", "businesses")
    df["value_tco2e"] = df["employees"] * per.value / 1000.0
    df["low_tco2e"] = df["employees_low"] * per.low / 1000.0
    df["high_tco2e"] = df["employees_high"] * per.high / 1000.0
    cols = ["section", "group", "establishments", "employees", "employees_low", "employees_high",
            "value_tco2e", "low_tco2e", "high_tco2e"]
    return df[cols].sort_values(["employees", "section"], ascending=[False, True]).reset_index(drop=True)


# --------------------------------------------------------------------------------------------------------------
# Connectivity and inclusion indicators, and the whole état des lieux from the clean tables
# --------------------------------------------------------------------------------------------------------------

#: Columns of :func:`indicators`: ``detail_value`` the figure its detail cites (communes, establishments, premises,
#: MW), ``scale`` of the fragility index (:data:`FRAGILITY_SCALES`), ``commune`` the most fragile commune. The
#: published table (``indicator, label_fr, value, unit, detail``) is
#: :func:`helpers.report.territory_labels.indicators`.
INDICATOR_COLUMNS = ["indicator", "value", "detail_value", "scale", "commune"]
#: Scales of the digital-fragility index: base 100 (national mean 100) or 1 (low) to 10 (high)
FRAGILITY_SCALES: tuple[str, ...] = ("base_100", "one_to_ten")


def _indicator(key: str, value, detail_value=np.nan, scale: str = "", commune: str = "") -> dict:
    return {"indicator": key, "value": float(value), "detail_value": detail_value, "scale": scale,
            "commune": commune}


def _weighted_mean(values: np.ndarray, weights: np.ndarray) -> float:
    ok = np.isfinite(values) & np.isfinite(weights) & (weights > 0)
    if ok.any():
        return float(np.average(values[ok], weights=weights[ok]))
    ok = np.isfinite(values)
    return float(values[ok].mean()) if ok.any() else float("nan")


def _households(communes: pd.DataFrame | None) -> float | None:
    return float(communes["households"].sum()) if communes is not None and len(communes) else None


def _activity_indicators(population: float, communes, pupils, jobs, datacentres) -> list[dict]:
    """People per household (census), salaried jobs per 100 inhabitants, pupils, data centres on the territory."""
    rows = []
    households = _households(communes)
    if households:
        rows.append(_indicator("people_per_household", communes["population"].sum() / households, len(communes)))
    if jobs is not None and len(jobs):
        rows.append(_indicator("jobs_per_inhabitant", 100 * jobs["employees"].sum() / population,
                               float(jobs["establishments"].sum())))
    if pupils is not None:
        rows.append(_indicator("pupils", pupils))
    if datacentres is not None and len(datacentres):
        rows.append(_indicator("datacentres", len(datacentres), float(datacentres["it_power_kw"].sum()) / 1000))
    return rows


def _connectivity_indicators(population: float, households: float | None, connectivity) -> list[dict]:
    """Shares of premises eligible to fibre and to 30 Mbit/s (Arcep), fixed accesses per household, SIM cards per
    inhabitant."""
    if connectivity is None or not len(connectivity):
        return []
    rows = []
    premises = connectivity["premises"].sum()
    if premises > 0 and connectivity["ftth_premises"].notna().any():
        rows.append(_indicator("ftth_share", 100 * connectivity["ftth_premises"].sum() / premises, premises))
    if premises > 0 and connectivity["thd_premises"].notna().any():
        rows.append(_indicator("thd_share", 100 * connectivity["thd_premises"].sum() / premises))
    if households and connectivity["fixed_accesses"].notna().any():
        rows.append(_indicator("fixed_per_household", connectivity["fixed_accesses"].sum() / households))
    if connectivity["sim_cards"].notna().any():
        rows.append(_indicator("sim_per_inhabitant", connectivity["sim_cards"].sum() / population))
    return rows


def _fragility_indicators(communes, fragility) -> list[dict]:
    """The digital-fragility index (MedNum / ANSA): its mean weighted by population (a commune's population from
    ``communes`` when the index file has none), and the most fragile commune when there are several."""
    if fragility is None or not len(fragility):
        return []
    weights = fragility["population"].to_numpy(dtype=float)
    if communes is not None and np.isnan(weights).any():
        fill = fragility["commune"].map(communes.set_index("commune")["population"]).to_numpy(dtype=float)
        weights = np.where(np.isnan(weights), fill, weights)
    scores = fragility["score"].to_numpy(dtype=float)
    scale = FRAGILITY_SCALES[0] if bool(np.nanmax(scores) > 10) else FRAGILITY_SCALES[1]
    rows = [_indicator("fragility_mean", _weighted_mean(scores, weights), scale=scale)]
    if len(fragility) > 1:
        worst = fragility.iloc[int(np.nanargmax(scores))]
        name = worst["name"] if isinstance(worst.get("name"), str) and worst.get("name") else worst["commune"]
        rows.append(_indicator("fragility_max", worst["score"], scale=scale, commune=name))
    return rows


def indicators(population: float, communes: pd.DataFrame | None = None, connectivity: pd.DataFrame | None = None,
               fragility: pd.DataFrame | None = None, pupils: float | None = None,
               jobs: pd.DataFrame | None = None, datacentres: pd.DataFrame | None = None) -> pd.DataFrame:
    """Connectivity and inclusion indicators of the territory (:data:`INDICATOR_COLUMNS`), one row per indicator its
    files allow: people per household, salaried jobs per inhabitant, pupils, data centres, share of premises eligible
    to fibre (and to 30 Mbit/s), fixed accesses per household, SIM cards per inhabitant, the digital-fragility index
    (mean weighted by population, and the most fragile commune)."""
    rows = (_activity_indicators(population, communes, pupils, jobs, datacentres)
            + _connectivity_indicators(population, _households(communes), connectivity)
            + _fragility_indicators(communes, fragility))
    return pd.DataFrame(rows, columns=INDICATOR_COLUMNS)


#: The clean tables of the état des lieux (the ``helpers.io.ingest`` names of the territory's optional files)
TABLES: tuple[str, ...] = ("communes", "establishments", "schools", "connectivity", "datacentres",
                           "digital_fragility")


@dataclass
class TerritoryActors:
    """The état des lieux: actor lines, jobs by sector, indicators, the files it rests on (the published form,
    with French names, and ``territory.*`` of ``summary.json``: :mod:`helpers.report.territory_labels`)."""

    population: float
    lines: pd.DataFrame
    sectors: pd.DataFrame | None
    indicators: pd.DataFrame
    provided: list[str]
    national: NationalIntensities


def local_drivers(tables: dict) -> LocalDrivers:
    """The local drivers from the clean tables (``None`` where a file was not provided)."""
    from helpers.io.territory_data import jobs_by_section

    communes, est = tables.get("communes"), tables.get("establishments")
    schools, conn, dcs = tables.get("schools"), tables.get("connectivity"), tables.get("datacentres")
    power = area = None
    if dcs is not None and len(dcs):
        power = float(dcs["it_power_kw"].fillna(0).sum()) / 1000.0 or None
        area = float(dcs.loc[dcs["it_power_kw"].isna(), "floor_area_m2"].fillna(0).sum()) or None
    return LocalDrivers(
        households=None if communes is None else float(communes["households"].sum()),
        jobs_by_section=None if est is None else jobs_by_section(est),
        pupils=None if schools is None else float(schools["pupils"].sum()),
        dc_power_mw=power, dc_floor_m2=area,
        fixed_accesses=(float(conn["fixed_accesses"].sum()) if conn is not None and conn["fixed_accesses"].notna().any()
                        else None),
        sim_cards=(float(conn["sim_cards"].sum()) if conn is not None and conn["sim_cards"].notna().any() else None))


def assess(population: float, tables: dict, nat: NationalIntensities) -> TerritoryActors:
    """The état des lieux of ``population`` inhabitants from the clean tables of :data:`TABLES` (any may be absent)."""
    local = local_drivers(tables)
    lines = actor_lines(population, local, nat)
    sectors = None if local.jobs_by_section is None else sector_table(local.jobs_by_section, nat)
    ind = indicators(population, tables.get("communes"), tables.get("connectivity"), tables.get("digital_fragility"),
                     local.pupils, local.jobs_by_section, tables.get("datacentres"))
    return TerritoryActors(population=float(population), lines=lines, sectors=sectors, indicators=ind,
                           provided=[t for t in TABLES if tables.get(t) is not None], national=nat)
