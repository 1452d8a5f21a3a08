"""The reference figures of the carbon balance and of the territory's actors besides the factor library, and the
factors a territory's balance uses.

Read from ``data/raw/reference/`` (each row with its source, vintage and status):

- ``national_footprint.csv``: the national digital footprint (ADEME–Arcep), :func:`load_national_footprint`;
- ``published_benchmarks.csv``: published balances of organisations and collectivities,
  :func:`load_published_benchmarks`;
- ``territory_actors.csv``: the national parameters of the split by actor (issue 35), :func:`load_national_actors`.

:func:`prepare_factors` sets the factor library for a territory (the electricity vintage of its reference year, then
``factor_overrides.csv`` and ``territory.yaml``); :func:`electricity_factor_summary` describes the French electricity
factor it ended with. The model (``helpers.model.carbon``, ``helpers.model.territory_actors``) takes all of these as
values and reads nothing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.io.paths import REFERENCE_DIR

NATIONAL_PATH = REFERENCE_DIR / "national_footprint.csv"
BENCHMARKS_PATH = REFERENCE_DIR / "published_benchmarks.csv"
ACTORS_PATH = REFERENCE_DIR / "territory_actors.csv"


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def load_national_footprint(path: str | Path | None = None) -> pd.DataFrame:
    """The cited national figures (``data/raw/reference/national_footprint.csv``)."""
    return _read(Path(path) if path else NATIONAL_PATH)


def load_published_benchmarks(path: str | Path | None = None) -> pd.DataFrame:
    """The cited published benchmarks (``data/raw/reference/published_benchmarks.csv``)."""
    return _read(Path(path) if path else BENCHMARKS_PATH)


def load_national_actors(path: str | Path | None = None) -> pd.DataFrame:
    """The national parameters of the actor split (``data/raw/reference/territory_actors.csv``), each with its source,
    vintage and status."""
    return _read(Path(path) if path else ACTORS_PATH)


def prepare_factors(factors: pd.DataFrame, territory, overrides: pd.DataFrame | None = None,
                    vintages: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Set the French electricity factor to the vintage of the reference year, then apply ``factor_overrides.csv``
    and the territory's electricity override (``territory.yaml``).

    The vintage (``helpers.io.factors.apply_electricity_vintage``, ``electricity_vintages.csv``, read when
    ``vintages`` is None) is the library's value for the territory's reference year, not a change of the territory:
    it is not listed in the changes. Returns the factor table and the list of every change
    (``helpers.io.factors.apply_overrides`` columns), in the order applied; when both change the French electricity
    factor, the territory's value wins.
    """
    from helpers.io.factors import apply_electricity_vintage, apply_overrides, electricity_override

    year = getattr(territory, "reference_year", None)
    if year is not None:
        factors, _ = apply_electricity_vintage(factors, int(year), vintages)
    changes = []
    if overrides is not None and len(overrides):
        factors, ch = apply_overrides(factors, overrides.drop(columns=["_line"], errors="ignore"))
        changes.append(ch.assign(origin="factor_overrides.csv"))
    value = getattr(territory, "electricity_factor_kgco2e_per_kwh", None)
    if value is not None:
        source = getattr(territory, "electricity_factor_source", "") or "territory.yaml"
        factors, ch = electricity_override(factors, value, source=source)
        changes.append(ch.assign(origin="territory.yaml"))
    changes = [c for c in changes if len(c)]
    table = pd.concat(changes, ignore_index=True) if changes else pd.DataFrame(
        columns=["factor_id", "old_value", "new_value", "old_low", "old_high", "new_low", "new_high", "source",
                 "reason", "origin"])
    return factors, table


#: The note of the electricity factor when the territory sets its own (``territory.yaml`` or
#: ``factor_overrides.csv``), beside the notes of :func:`helpers.io.factors.electricity_vintage`.
OWN_FACTOR_NOTE = "facteur propre du territoire"


def electricity_factor_summary(factors: pd.DataFrame, territory, kwh_per_year: float | None = None,
                               vintages: pd.DataFrame | None = None) -> dict:
    """The French electricity climate factor the balance used: ``{value, vintage_year, source, vintage, exact,
    note}``, and the latest vintage as a sensitivity (``latest_value``, ``latest_vintage_year`` and, with the
    balance's French-grid electricity ``kwh_per_year`` (:func:`helpers.model.carbon.grid_kwh`),
    ``latest_delta_tco2e`` = the kWh at that factor minus the kWh at the one used: the balance is linear in the
    factor). ``vintage_year`` is None when the territory sets its own factor (``territory.yaml`` or
    ``factor_overrides.csv``). ``vintages``: ``electricity_vintages.csv`` (read when None)."""
    from helpers.io.factors import ELECTRICITY_FACTOR_ID, electricity_vintage, load_electricity_vintages

    row = factors.set_index("factor_id").loc[ELECTRICITY_FACTOR_ID]
    vintages = load_electricity_vintages() if vintages is None else vintages
    info = electricity_vintage(vintages, int(territory.reference_year))
    own = abs(float(row["value"]) - info["value"]) > 1e-12 or str(row["source"]) != info["source"]
    out = {"value": float(row["value"]), "vintage_year": None if own else info["vintage_year"],
           "source": str(row["source"]), "vintage": str(row["vintage"]), "exact": (not own) and info["exact"],
           "note": OWN_FACTOR_NOTE if own else info["note"],
           "latest_value": info["latest"]["value"], "latest_vintage_year": info["latest"]["vintage_year"],
           "method": None if own else info["method"], "method_fr": None if own else info["method_fr"],
           "latest_method_fr": info["latest"]["method_fr"],
           "method_breaks_to_latest": [] if own else info["breaks_to_latest"]}
    if kwh_per_year is not None:
        out["kwh_per_year"] = kwh_per_year
        out["latest_delta_tco2e"] = kwh_per_year * (info["latest"]["value"] - float(row["value"])) / 1000.0
    return out


# ----------------------------------------------------------------------------------------------------------------
# Small reference tables written here rather than in a CSV of the library, each with its source
# ----------------------------------------------------------------------------------------------------------------

#: The ratio every spend item had before issue 32 (ADEME Base Carbone documentation "Achat de services", the
#: "postes et télécoms" line: 16.1 tCO2e per 150,000 EUR computed from 1990 CNRS energy data): kept as a sensitivity
#: of the spend-based line, never as its central value.
PREVIOUS_SPEND_RATIOS: dict[str, float] = {"spend_it_services": 0.11, "spend_software": 0.11,
                                           "spend_cloud_saas": 0.11, "spend_telecom": 0.107333}
PREVIOUS_SPEND_SOURCE = ("ADEME Base Carbone, documentation « Achat de services » (ancienne méthode) : « postes et "
                         "télécoms », 16,1 tCO2e pour 150 000 € (données énergétiques du CNRS de 1990), "
                         "https://prod-basecarbonesolo.ademe-dri.fr/documentation/UPLOAD_DOC_FR/achat_de_services.htm")
PREVIOUS_SPEND_YEAR = 1990

#: Alternative values the library cites for a factor but that its interval does not contain (a sensitivity case
#: each, never a replacement): (factor_id, alternative, whether the alternative multiplies the value (True) or
#: replaces it (False), French label, source).
FACTOR_ALTERNATIVES: tuple[tuple[str, float, bool, str, str], ...] = (
    ("screen_small:manufacturing:climate_change", 3.0, True,
     "écrans 24 pouces : déclarations des fabricants (×3, bas de la fourchette ×3 à ×5)",
     "Boavizta/environmental-footprint-data:boavizta-data-us.csv@004e04397cdb (Dell, Lenovo monitors)"),
    ("screen_large:manufacturing:climate_change", 3.0, True,
     "écrans 27 pouces : déclarations des fabricants (×3)",
     "Boavizta/environmental-footprint-data:boavizta-data-us.csv@004e04397cdb"),
    ("server:manufacturing:climate_change", 3660.0, False,
     "serveurs : serveur NegaOctet de la Base IMPACTS (3 660 kgCO2e)",
     "Boavizta/boaviztapi:boaviztapi/data/crowdsourcing/ademe_base_impacts_negaoctet.csv@7c452d1c7f3f"),
)

#: ADEME–Arcep prospective study (volume 3, March 2023): index of the national digital carbon footprint,
#: 2020 = 1; +45 % in 2030 (trend scenario) and +187 % (×2.87, 49.4 MtCO2e) in 2050 (ADEME–Arcep 2023, volume 3).
NATIONAL_TREND: dict[int, float] = {2020: 1.0, 2030: 1.45, 2050: 2.87}
NATIONAL_TREND_SOURCE = ("ADEME–Arcep, évaluation de l'impact environnemental du numérique en France, volet 3 "
                         "prospectif (mars 2023) : tendanciel +45 % en 2030 et ×2,87 en 2050 par rapport à 2020")
