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
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.io.paths import REFERENCE_DIR

ACTORS_PATH = REFERENCE_DIR / "territory_actors.csv"

#: NAF rev. 2 sections counted as schools and public services (administration, education, health and social work);
#: the split follows the sector, not the legal status (a private clinic is in Q)
PUBLIC_SECTIONS: tuple[str, ...] = ("O", "P", "Q", "OQ")

#: French names of the NAF rev. 2 sections (INSEE nomenclature d'activités française)
SECTION_LABELS_FR: dict[str, str] = {
    "A": "Agriculture, sylviculture et pêche", "B": "Industries extractives", "C": "Industrie manufacturière",
    "D": "Électricité, gaz, vapeur", "E": "Eau, assainissement, déchets", "F": "Construction",
    "G": "Commerce, réparation d'automobiles", "H": "Transports et entreposage", "I": "Hébergement et restauration",
    "J": "Information et communication", "K": "Activités financières et d'assurance", "L": "Activités immobilières",
    "M": "Activités spécialisées, scientifiques et techniques", "N": "Services administratifs et de soutien",
    "O": "Administration publique", "P": "Enseignement", "Q": "Santé humaine et action sociale",
    "R": "Arts, spectacles et loisirs", "S": "Autres activités de services", "T": "Ménages employeurs",
    "U": "Activités extra-territoriales", "DE": "Énergie, eau, déchets", "MN": "Services aux entreprises",
    "OQ": "Administration, enseignement, santé, action sociale", "RU": "Autres services (arts, loisirs, ménages)",
}

#: French names of the actors (the lines of ``territory.by_actor``)
ACTOR_LABELS_FR: dict[str, str] = {
    "households": "Ménages (terminaux des foyers)",
    "businesses": "Entreprises (terminaux professionnels)",
    "schools_public": "Écoles et services publics",
    "terminals": "Terminaux de tous les usagers (ménages, entreprises, services publics)",
    "other_terminals": "Autres terminaux (usagers sans donnée locale)",
    "datacentres": "Centres de données",
    "networks": "Réseaux (fixes et mobiles)",
    "networks_fixed": "Réseaux fixes (box comprises)",
    "networks_mobile": "Réseaux mobiles",
}
BASES: tuple[str, ...] = ("local", "national_ratio")


def load_national_actors(path: str | Path | None = None) -> pd.DataFrame:
    """The national parameters of the actor split (``data/raw/reference/territory_actors.csv``), each with its source,
    vintage and status."""
    return pd.read_csv(Path(path) if path else ACTORS_PATH, keep_default_na=False, na_values=[""])


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


LINE_COLUMNS = ["actor", "label_fr", "basis", "driver_fr", "driver_value", "intensity_kgco2e", "value_tco2e",
                "low_tco2e", "high_tco2e", "note"]


def _jobs(df: pd.DataFrame, public: bool) -> Interval:
    mask = df["section"].isin(PUBLIC_SECTIONS) if public else ~df["section"].isin(PUBLIC_SECTIONS)
    d = df[mask]
    return Interval(float(d["employees"].sum()), float(d["employees_low"].sum()), float(d["employees_high"].sum()))


def actor_lines(population: float, local: LocalDrivers, nat: NationalIntensities) -> pd.DataFrame:
    """One row per actor line (:data:`LINE_COLUMNS`): tCO2e/year with bounds, ``basis`` ``local`` or
    ``national_ratio``. Without any local driver: three ``national_ratio`` lines (terminals, data centres, networks)
    summing to ``population`` × the national footprint per inhabitant."""
    ratio = float(population) / nat.population
    per = nat.per_unit_kgco2e
    rows: list[dict] = []

    def add(actor, basis, amount: Interval, driver_fr="", driver_value=np.nan, intensity=np.nan, note=""):
        rows.append({"actor": actor, "label_fr": ACTOR_LABELS_FR[actor], "basis": basis, "driver_fr": driver_fr,
                     "driver_value": driver_value, "intensity_kgco2e": intensity, "value_tco2e": amount.value,
                     "low_tco2e": amount.low, "high_tco2e": amount.high, "note": note})

    # terminals: the local actors, then what the national average leaves
    if local.households is not None:
        add("households", "local", per["households"] * (local.households / 1000.0), "ménages",
            local.households, per["households"].value,
            "ménages du recensement × terminaux des foyers par ménage (reste national des terminaux)")
    if local.jobs_by_section is not None:
        jobs_b, jobs_p = _jobs(local.jobs_by_section, False), _jobs(local.jobs_by_section, True)
        add("businesses", "local", per["salaried_jobs"] * jobs_b * 0.001, "emplois salariés", jobs_b.value,
            per["salaried_jobs"].value, "emplois salariés des secteurs marchands × terminaux par emploi (WeNR 2021)")
    else:
        jobs_p = None
    if local.pupils is not None or jobs_p is not None:
        amount = Interval(0.0, 0.0, 0.0)
        parts = []
        if local.pupils is not None:
            amount = amount + per["pupils"] * (local.pupils / 1000.0)
            parts.append(f"élèves × équipement scolaire par élève ({local.pupils:.0f} élèves)")
        if jobs_p is not None:
            amount = amount + per["salaried_jobs"] * jobs_p * 0.001
            parts.append(f"emplois salariés de l'administration, l'enseignement, la santé ({jobs_p.value:.0f})")
        add("schools_public", "local", amount, "élèves et emplois publics",
            (local.pupils or 0.0) + (jobs_p.value if jobs_p is not None else 0.0), np.nan, " ; ".join(parts))
    covered = local.terminal_actors()
    pool = nat.pools_tco2e["terminals"] * ratio
    if not covered:
        add("terminals", "national_ratio", pool, "habitants", population, pool.value * 1000 / population,
            "part de la population dans les terminaux nationaux (79 %)")
    else:
        key = {"households": "households", "jobs": "salaried_jobs", "pupils": "pupils"}
        taken = Interval(0.0, 0.0, 0.0)
        for a in covered:
            unit = per[key[a]] * (nat.national_drivers[key[a]] * ratio / 1000.0)
            taken = taken + Interval(unit.value, unit.high, unit.low)  # what the average allots, bounds crossed
        rest = Interval(max(pool.value - taken.value, 0.0), max(pool.low - taken.low, 0.0),
                        max(pool.high - taken.high, 0.0))
        if len(covered) < 3:
            add("other_terminals", "national_ratio", rest, "habitants", population, np.nan,
                "terminaux nationaux au prorata de la population, moins la moyenne nationale des acteurs donnés "
                "localement")
    # data centres
    if local.dc_power_mw is not None or local.dc_floor_m2 is not None:
        amount = Interval(0.0, 0.0, 0.0)
        if local.dc_power_mw:
            amount = amount + per["dc_power_mw"] * (local.dc_power_mw / 1000.0)
        if local.dc_floor_m2:
            amount = amount + per["dc_floor_m2"] * (local.dc_floor_m2 / 1000.0)
        add("datacentres", "local", amount, "MW ou m² installés",
            (local.dc_power_mw or 0.0) if local.dc_power_mw else (local.dc_floor_m2 or 0.0), np.nan,
            "centres de données situés sur le territoire × empreinte nationale par MW (ou par m²) installé")
    else:
        dc = nat.pools_tco2e["datacentres"] * ratio
        add("datacentres", "national_ratio", dc, "habitants", population, dc.value * 1000 / population,
            "part de la population dans les centres de données utilisés depuis la France (16 %)")
    # networks
    if local.fixed_accesses is None and local.sim_cards is None:
        net = nat.pools_tco2e["networks"] * ratio
        add("networks", "national_ratio", net, "habitants", population, net.value * 1000 / population,
            "part de la population dans les réseaux nationaux (5 %)")
    else:
        for actor, value, key in (("networks_fixed", local.fixed_accesses, "fixed_accesses"),
                                  ("networks_mobile", local.sim_cards, "sim_cards")):
            if value is not None:
                add(actor, "local", per[key] * (value / 1000.0),
                    "accès fixes" if key == "fixed_accesses" else "cartes SIM", value, per[key].value,
                    "lignes du territoire × empreinte nationale par ligne")
            else:
                amount = nat.pools_tco2e[actor] * ratio
                add(actor, "national_ratio", amount, "habitants", population, amount.value * 1000 / population,
                    "part de la population dans ce réseau national")
    return pd.DataFrame(rows, columns=LINE_COLUMNS)


def total(lines: pd.DataFrame) -> dict[str, float]:
    """The territory's total (tCO2e/year): the sum of the lines' central values and of their bounds."""
    return {"value": float(lines["value_tco2e"].sum()), "low": float(lines["low_tco2e"].sum()),
            "high": float(lines["high_tco2e"].sum())}


def sector_table(jobs_by_section: pd.DataFrame, nat: NationalIntensities) -> pd.DataFrame:
    """Salaried jobs and terminal footprint per NAF section (``section, label_fr, group, establishments, employees,
    value_tco2e, low_tco2e, high_tco2e``), the largest first; ``group`` ``businesses`` or ``schools_public``. The same
    intensity per job in every sector (no sourced intensity by sector)."""
    per = nat.per_unit_kgco2e["salaried_jobs"]
    df = jobs_by_section.copy()
    df["label_fr"] = df["section"].map(SECTION_LABELS_FR).fillna(df["section"])
    df["group"] = np.where(df["section"].isin(PUBLIC_SECTIONS), "schools_public", "businesses")
    df["value_tco2e"] = df["employees"] * per.value / 1000.0
    df["low_tco2e"] = df["employees_low"] * per.low / 1000.0
    df["high_tco2e"] = df["employees_high"] * per.high / 1000.0
    cols = ["section", "label_fr", "group", "establishments", "employees", "employees_low", "employees_high",
            "value_tco2e", "low_tco2e", "high_tco2e"]
    return df[cols].sort_values(["employees", "section"], ascending=[False, True]).reset_index(drop=True)


def summary(lines: pd.DataFrame) -> dict:
    """``territory.total_tco2e`` and ``territory.by_actor`` of ``summary.json``."""
    return {"total_tco2e": total(lines),
            "by_actor": [{"actor": r.actor, "label": r.label_fr, "basis": r.basis,
                          "tco2e": {"value": float(r.value_tco2e), "low": float(r.low_tco2e),
                                    "high": float(r.high_tco2e)}}
                         for r in lines.itertuples(index=False)]}


# --------------------------------------------------------------------------------------------------------------
# Connectivity and inclusion indicators, and the whole état des lieux from the clean tables
# --------------------------------------------------------------------------------------------------------------

INDICATOR_COLUMNS = ["indicator", "label_fr", "value", "unit", "detail"]


def _weighted_mean(values: np.ndarray, weights: np.ndarray) -> float:
    ok = np.isfinite(values) & np.isfinite(weights) & (weights > 0)
    if ok.any():
        return float(np.average(values[ok], weights=weights[ok]))
    ok = np.isfinite(values)
    return float(values[ok].mean()) if ok.any() else float("nan")


def indicators(population: float, communes: pd.DataFrame | None = None, connectivity: pd.DataFrame | None = None,
               fragility: pd.DataFrame | None = None, pupils: float | None = None,
               jobs: pd.DataFrame | None = None, datacentres: pd.DataFrame | None = None) -> pd.DataFrame:
    """Connectivity and inclusion indicators of the territory (:data:`INDICATOR_COLUMNS`), one row per indicator its
    files allow: people per household, salaried jobs per inhabitant, pupils, data centres, share of premises eligible
    to fibre (and to 30 Mbit/s), fixed accesses per household, SIM cards per inhabitant, the digital-fragility index
    (mean weighted by population, and the most fragile commune)."""
    rows: list[dict] = []

    def add(key, label, value, unit, detail=""):
        rows.append({"indicator": key, "label_fr": label, "value": float(value), "unit": unit, "detail": detail})

    households = None
    if communes is not None and len(communes):
        households = float(communes["households"].sum())
        if households > 0:
            add("people_per_household", "Personnes par ménage", communes["population"].sum() / households,
                "personnes", f"{len(communes)} commune(s), recensement INSEE")
    if jobs is not None and len(jobs):
        add("jobs_per_inhabitant", "Emplois salariés pour 100 habitants", 100 * jobs["employees"].sum() / population,
            "emplois pour 100 habitants", f"{jobs['establishments'].sum():.0f} établissement(s)")
    if pupils is not None:
        add("pupils", "Élèves des écoles et établissements", pupils, "élèves")
    if datacentres is not None and len(datacentres):
        add("datacentres", "Centres de données sur le territoire", len(datacentres), "sites",
            f"{datacentres['it_power_kw'].sum() / 1000:.2f} MW informatiques déclarés".replace(".", ","))
    if connectivity is not None and len(connectivity):
        premises = connectivity["premises"].sum()
        if premises > 0 and connectivity["ftth_premises"].notna().any():
            add("ftth_share", "Locaux éligibles à la fibre (FttH)", 100 * connectivity["ftth_premises"].sum() / premises,
                "%", f"{premises:.0f} locaux, Arcep « Ma connexion internet »")
        if premises > 0 and connectivity["thd_premises"].notna().any():
            add("thd_share", "Locaux éligibles à 30 Mbit/s ou plus", 100 * connectivity["thd_premises"].sum() / premises,
                "%", "Arcep « Ma connexion internet »")
        if households and connectivity["fixed_accesses"].notna().any():
            add("fixed_per_household", "Accès internet fixes par ménage",
                connectivity["fixed_accesses"].sum() / households, "accès par ménage")
        if connectivity["sim_cards"].notna().any():
            add("sim_per_inhabitant", "Cartes SIM par habitant", connectivity["sim_cards"].sum() / population,
                "cartes par habitant")
    if fragility is not None and len(fragility):
        weights = fragility["population"].to_numpy(dtype=float)
        if communes is not None and np.isnan(weights).any():
            fill = fragility["commune"].map(communes.set_index("commune")["population"]).to_numpy(dtype=float)
            weights = np.where(np.isnan(weights), fill, weights)
        scores = fragility["score"].to_numpy(dtype=float)
        base100 = bool(np.nanmax(scores) > 10)
        scale = "base 100, moyenne nationale = 100" if base100 else "de 1 (faible) à 10 (élevé)"
        add("fragility_mean", "Indice de fragilité numérique (moyenne pondérée par la population)",
            _weighted_mean(scores, weights), "score", f"échelle {scale} ; MedNum / ANSA")
        if len(fragility) > 1:
            worst = fragility.iloc[int(np.nanargmax(scores))]
            name = worst["name"] if isinstance(worst.get("name"), str) and worst.get("name") else worst["commune"]
            add("fragility_max", f"Commune la plus fragile : {name}", worst["score"], "score", f"échelle {scale}")
    return pd.DataFrame(rows, columns=INDICATOR_COLUMNS)


#: The clean tables of the état des lieux (the ``helpers.io.ingest`` names of the territory's optional files)
TABLES: tuple[str, ...] = ("communes", "establishments", "schools", "connectivity", "datacentres",
                           "digital_fragility")


@dataclass
class TerritoryActors:
    """The état des lieux: actor lines, jobs by sector, indicators, the files it rests on."""

    population: float
    lines: pd.DataFrame
    sectors: pd.DataFrame | None
    indicators: pd.DataFrame
    provided: list[str]
    national: NationalIntensities

    def summary(self) -> dict:
        """``territory.*`` keys of ``summary.json`` (``total_tco2e``, ``by_actor``) and the files and indicators."""
        return {**summary(self.lines), "actor_files": list(self.provided),
                "indicators": {r.indicator: {"label": r.label_fr, "value": float(r.value), "unit": r.unit}
                               for r in self.indicators.itertuples(index=False)}}


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
