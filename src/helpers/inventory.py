"""The equipment inventory ``data/raw/<slug>/inventory.csv``: schema, validation and defaults.

One line per group of identical devices, in the spirit of the ADEME/Boavizta PCR-SI exchange format
(``Boavizta/PCR-SI_dataformat``: id, type, quantity, lifetime, quality, yearly electricity consumption, tags):
entity, category, quantity, purchase year or age, lifetime, optional power and hours of use, reconditioned or not,
data quality, hosting site.

Defaults (lifetime, power, hours, days, yearly kWh) come from ``data/raw/reference/categories.csv``; the clean table
records where each yearly kWh came from (``given``, ``power_x_hours`` or ``category_default``).
"""

from __future__ import annotations

import difflib
import re
import unicodedata

import numpy as np
import pandas as pd

from helpers.errors import InputError, InputProblem, display_path
from helpers.tables import Column, Schema, read_table

QUALITIES = ("high", "medium", "low")
SYNONYMS_PATH = "category_synonyms.csv"
_SCREEN_RE = re.compile(r"^(ecran|moniteur|monitor)( pc| d ordinateur)? (\d+(?:[.,]\d+)?)( pouces| po| inch| in)?$")


def _norm(text) -> str:
    """Category key: lower case, no accents, punctuation as spaces."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    return " ".join("".join(ch if ch.isalnum() or ch in ".," else " " for ch in text).split())


def load_category_synonyms(reference_dir=None) -> dict[str, str]:
    """``data/raw/reference/category_synonyms.csv`` as a dict normalised synonym -> canonical category."""
    from helpers.paths import REFERENCE_DIR

    path = (reference_dir or REFERENCE_DIR) / SYNONYMS_PATH
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {_norm(a): b for a, b in zip(table["synonym"], table["category"], strict=True)}


def canonical_categories(values: pd.Series, known: list[str], synonyms: dict[str, str]) -> pd.Series:
    """Map categories as people write them to canonical ids; unknown ones become ``None``.

    Accepted: the canonical id (``screen_small``), the id with spaces, any synonym of the table
    (``PC fixe``, ``Unité centrale``, ``copieur``, ``TBI`` …), and screens with their size
    (``écran 24"`` → ``screen_small``, ``écran 27 pouces`` → ``screen_large``; threshold 24 inches).
    """
    by_key = {_norm(k.replace("_", " ")): k for k in known}
    by_key.update({k: v for k, v in synonyms.items() if v in known})
    cache: dict[str, str | None] = {}
    out = []
    for value in values:
        if value not in cache:
            key = _norm(value)
            found = by_key.get(key)
            if found is None:
                m = _SCREEN_RE.match(key)
                if m:
                    size = float(m.group(3).replace(",", "."))
                    found = "screen_small" if size <= 24 else "screen_large"
            if found is None and "/" in str(value):  # "copieur / MFP": every part names the same category
                parts = {by_key.get(_norm(part)) for part in str(value).split("/")}
                found = parts.pop() if len(parts) == 1 else None
            cache[value] = found
        out.append(cache[value])
    return pd.Series(out, index=values.index, dtype=object)

INVENTORY_SCHEMA = Schema(
    file="inventory.csv",
    description=(
        "Equipment inventory: one line per group of identical devices of one entity. Only line_id, entity, "
        "category and quantity are required; empty optional cells take the category's default from "
        "data/raw/reference/categories.csv."
    ),
    columns=(
        Column("line_id", "str", required=True, synonyms=("id", "identifiant", "ligne", "numero de ligne"), description="unique id of the line", example="L001"),
        Column("entity", "str", required=True, synonyms=("entite", "structure", "collectivite", "organisation"), description="entity id from territory.yaml", example="ville"),
        Column("category", "str", required=True, synonyms=("categorie", "type", "type d'equipement", "type equipement", "famille"), description="category id from data/raw/reference/categories.csv",
               example="laptop"),
        Column("quantity", "int", required=True, synonyms=("quantite", "nombre", "nb", "qte", "qty"), min=0, min_exclusive=True, max=1_000_000, unit="units",
               description="number of identical devices", example=120),
        Column("purchase_year", "year", synonyms=("annee d'achat", "annee achat", "annee", "year"), min=1980, description="year of purchase (or give age_years)", example=2019),
        Column("age_years", "float", synonyms=("age", "age (ans)", "age ans"), min=0, max=40, unit="years", description="age at the reference year, if no purchase year",
               example=""),
        Column("lifetime_years", "float", synonyms=("duree de vie", "duree de vie (ans)", "duree de vie ans", "lifetime"), min=1, max=20, unit="years",
               description="expected lifetime in the organisation (default: category)", example=5),
        Column("power_w", "float", synonyms=("puissance", "puissance (w)", "puissance w", "power"), min=0, unit="W", description="average power when on (default: category)", example=""),
        Column("hours_per_day", "float", synonyms=("heures par jour", "heures/jour", "h/j"), min=0, max=24, unit="h/day", description="hours on per day of use", example=""),
        Column("days_per_year", "float", synonyms=("jours par an", "jours/an", "j/an"), min=0, max=366, unit="days/year", description="days of use per year", example=""),
        Column("yearly_kwh", "float", synonyms=("consommation annuelle", "consommation (kwh/an)", "kwh/an", "kwh par an"), min=0, unit="kWh/year", description="measured yearly consumption per device",
               example=""),
        Column("reconditioned", "bool", synonyms=("reconditionne", "reemploi", "seconde vie"), default=False, description="yes if bought reconditioned (second life)",
               example="no"),
        Column("quality", "str", synonyms=("qualite", "qualite de la donnee", "fiabilite"), allowed=QUALITIES, default="medium",
               description="data quality of the quantity: high (asset tool), medium (estimate), low (guess)",
               example="high"),
        Column("site", "str", synonyms=("salle serveur", "hebergement", "site d'hebergement"), description="hosting site id from hosting.csv, for servers, storage and network gear",
               example=""),
        Column("comment", "str", synonyms=("commentaire", "remarque", "source", "notes"), description="free text: source of the line, assumption", example="GLPI export 2023"),
    ),
    unique=("line_id",),
)


def read_inventory(path, territory, categories: pd.DataFrame, hosting_site_ids=None) -> pd.DataFrame:
    """Read, validate and complete the inventory.

    Parameters
    ----------
    path : path of ``inventory.csv``
    territory : :class:`helpers.territory.Territory` (entities, reference year)
    categories : the category table (``helpers.factors.load_categories()``)
    hosting_site_ids : known hosting site ids (``hosting.csv``), or ``None`` to skip that check

    Returns
    -------
    DataFrame with the schema's columns plus ``tier``, ``factor_item``, ``age_years``, ``yearly_kwh`` (resolved)
    and ``yearly_kwh_origin``.

    Raises
    ------
    InputError
        every problem: unknown entity or category (with the closest names), implausible lifetime or power, a purchase
        year after the reference year, duplicate line ids, bad types.
    """
    cell_problems: list[InputProblem] = []
    df = read_table(path, INVENTORY_SCHEMA, problems_out=cell_problems)
    file = display_path(path)
    problems: list[InputProblem] = cell_problems + list(df.attrs.get("warnings", []))
    cats = categories.set_index("category")

    entities = set(territory.entity_ids)
    for idx in np.flatnonzero((~df["entity"].isin(entities) & df["entity"].notna()).to_numpy()):
        problems.append(InputProblem(file, int(df["_line"].iat[idx]), "entity", df["entity"].iat[idx],
                                     f"one of the entities of territory.yaml {sorted(entities)}"))
    known = list(cats.index)
    synonyms = load_category_synonyms()
    mapped = canonical_categories(df["category"], known, synonyms)
    unknown_cat = mapped.isna() & df["category"].notna()
    names = sorted(set(known) | set(synonyms))
    unknown_values = sorted(set(df.loc[unknown_cat, "category"]))
    for idx in np.flatnonzero(unknown_cat.to_numpy()):
        value = df["category"].iat[idx]
        close = difflib.get_close_matches(_norm(value), names, n=3, cutoff=0.5)
        hint = f" (closest known names: {', '.join(close)})" if close else ""
        problems.append(InputProblem(file, int(df["_line"].iat[idx]), "category", value,
                                     f"a known category{hint}; see data/raw/reference/categories.csv "
                                     "and category_synonyms.csv"))
    if unknown_values:
        problems.append(InputProblem(file, None, "category", unknown_values,
                                     "known categories: these names are unknown (listed together above)"))
    df["category_as_given"] = df["category"]
    df["category"] = mapped.where(~unknown_cat, df["category"])
    ref = territory.reference_year
    late = df["purchase_year"] > ref
    for idx in np.flatnonzero(late.to_numpy()):
        problems.append(InputProblem(file, int(df["_line"].iat[idx]), "purchase_year", int(df["purchase_year"].iat[idx]),
                                     f"a year not after the reference year {ref}"))
    if hosting_site_ids is not None:
        sites = set(hosting_site_ids)
        bad_site = df["site"].notna() & ~df["site"].isin(sites)
        for idx in np.flatnonzero(bad_site.to_numpy()):
            expected = (f"a site id of hosting.csv {sorted(sites)}" if sites
                        else "a site id defined in hosting.csv (hosting.csv is missing or empty)")
            problems.append(InputProblem(file, int(df["_line"].iat[idx]), "site", df["site"].iat[idx], expected))
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)

    c = cats.loc[df["category"]].reset_index(drop=True)
    out = df.copy()
    out["tier"] = c["tier"].to_numpy()
    out["factor_item"] = c["factor_item"].to_numpy()
    max_power = c["max_power_w"].to_numpy(dtype=float)
    too_hot = out["power_w"].to_numpy() > max_power
    for idx in np.flatnonzero(too_hot):
        problems.append(InputProblem(file, int(out["_line"].iat[idx]), "power_w", out["power_w"].iat[idx],
                                     f"at most {max_power[idx]:g} W for a '{out['category'].iat[idx]}'"))
    too_much = out["yearly_kwh"].to_numpy() > max_power * 8.784  # kWh at max power all year
    for idx in np.flatnonzero(too_much):
        problems.append(InputProblem(file, int(out["_line"].iat[idx]), "yearly_kwh", out["yearly_kwh"].iat[idx],
                                     f"at most {max_power[idx] * 8.784:g} kWh/year for a '{out['category'].iat[idx]}'"))
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)

    age = np.where(out["purchase_year"].notna(), ref - out["purchase_year"], out["age_years"])
    out["age_years"] = age
    out["purchase_year"] = np.where(out["purchase_year"].notna(), out["purchase_year"], ref - out["age_years"])
    for col, default in (("lifetime_years", "default_lifetime_years"), ("power_w", "default_power_w"),
                         ("hours_per_day", "default_hours_per_day"), ("days_per_year", "default_days_per_year")):
        out[col] = out[col].fillna(pd.Series(c[default].to_numpy(dtype=float)))
    computed = out["power_w"] * out["hours_per_day"] * out["days_per_year"] / 1000.0
    default_kwh = pd.Series(c["default_yearly_kwh"].to_numpy(dtype=float))
    given = out["yearly_kwh"].notna()
    explicit_use = df["power_w"].notna() | df["hours_per_day"].notna() | df["days_per_year"].notna()
    use_default = ~given & ~explicit_use & default_kwh.notna()
    out["yearly_kwh"] = np.where(given, out["yearly_kwh"], np.where(use_default, default_kwh, computed))
    out["yearly_kwh_origin"] = np.where(given, "given", np.where(use_default, "category_default", "power_x_hours"))
    missing = out["yearly_kwh"].isna()
    for idx in np.flatnonzero(missing.to_numpy()):
        problems.append(InputProblem(file, int(out["_line"].iat[idx]), "yearly_kwh", None,
                                     "a yearly consumption or a power and hours of use (the category has no default)"))
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    out.attrs["warnings"] = [p for p in problems if p.severity != "error"]
    cols = ["line_id", "entity", "category", "tier", "factor_item", "quantity", "purchase_year", "age_years",
            "lifetime_years", "power_w", "hours_per_day", "days_per_year", "yearly_kwh", "yearly_kwh_origin",
            "reconditioned", "quality", "site", "comment", "category_as_given", "_line"]
    return out[cols]
