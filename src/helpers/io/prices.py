"""Unit prices: the reference schedule of ``data/raw/reference/unit_prices.csv`` and a territory's own prices.

- :func:`load_unit_prices` reads the reference schedule (one row per equipment category or price parameter, each
  with its source, vintage and status). No public purchase-price schedule exists for French collectivities
  (``docs/data_log.md``; the décret n° 2022-1413 figures are resale caps for donated equipment, not purchase prices),
  so most rows are study assumptions, flagged as such.
- :func:`read_territory_prices` reads the optional ``data/raw/<slug>/unit_prices.csv`` in which a collectivity
  replaces reference prices line by line with its own (its purchase contracts, its electricity bill).
- :func:`effective_prices` merges the two: one row per item with the value used and where it comes from
  (``origin``: ``collectivity`` or ``reference``), which the diagnostic shows.

Prices are in euros excluding VAT (HT), as in public procurement.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.io.errors import InputError, InputProblem, display_path
from helpers.io.paths import REFERENCE_DIR
from helpers.io.tables import Column, Schema, read_table

UNIT_PRICES_PATH = REFERENCE_DIR / "unit_prices.csv"
#: items of ``unit_prices.csv`` that are not equipment categories
PRICE_PARAMETERS: tuple[str, ...] = ("reconditioned_discount", "electricity", "paper_ream")
UNIT_PRICE_COLUMNS: tuple[str, ...] = ("item", "value_eur", "unit", "source", "vintage", "status")
STATUSES: tuple[str, ...] = ("sourced", "assumption")
#: plausible upper bound of each kind of price, EUR excl. VAT (a typo of three zeros stops the study with a message)
MAX_EQUIPMENT_PRICE_EUR = 500_000.0
MAX_ELECTRICITY_EUR_PER_KWH = 5.0
MAX_PAPER_EUR_PER_REAM = 100.0


def load_unit_prices(path: str | Path | None = None) -> pd.DataFrame:
    """Read the unit prices of ``data/raw/reference/unit_prices.csv`` (columns :data:`UNIT_PRICE_COLUMNS`).

    One row per item: the equipment categories of ``categories.csv`` (EUR excl. VAT per new unit) and the parameters
    :data:`PRICE_PARAMETERS` (``reconditioned_discount`` is a fraction of the new price, ``electricity`` EUR/kWh,
    ``paper_ream`` EUR per A4 80 g ream). Each row carries its source, vintage and status (``sourced`` or
    ``assumption``): the file says which figure comes from where. Every problem is reported at once (line, column,
    what was expected, in French).
    """
    path = Path(path) if path else UNIT_PRICES_PATH
    name = display_path(path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in UNIT_PRICE_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(InputProblem(name, None, ", ".join(missing), "", "les colonnes "
                                      + ", ".join(UNIT_PRICE_COLUMNS)))
    problems = []
    value = pd.to_numeric(df["value_eur"], errors="coerce")
    for i, row in df.iterrows():
        line = int(i) + 2
        if not (value[i] >= 0):
            problems.append(InputProblem(name, line, "value_eur", row["value_eur"], "un nombre positif ou nul"))
        for col in ("item", "unit", "source", "vintage"):
            if not row[col].strip():
                problems.append(InputProblem(name, line, col, "", "une valeur non vide"))
        if row["status"] not in STATUSES:
            problems.append(InputProblem(name, line, "status", row["status"], f"une valeur parmi {list(STATUSES)}"))
    dup = df["item"][df["item"].duplicated()]
    problems += [InputProblem(name, int(i) + 2, "item", v, "un article unique") for i, v in dup.items()]
    absent = [p for p in PRICE_PARAMETERS if p not in set(df["item"])]
    problems += [InputProblem(name, None, "item", p, "une ligne pour ce paramètre de prix") for p in absent]
    if problems:
        raise InputError(problems)
    return df.assign(value_eur=value.astype(float))


#: the territory's ``unit_prices.csv``: only the prices it replaces, each with where it comes from
TERRITORY_PRICES_SCHEMA = Schema(
    file="unit_prices.csv",
    description=(
        "Optional: the collectivity's own unit prices, excluding VAT, replacing the indicative reference prices of "
        "data/raw/reference/unit_prices.csv line by line (equipment categories in EUR per new unit; electricity in "
        "EUR per kWh; paper_ream in EUR per ream; reconditioned_discount as a fraction of the new price). They "
        "price the money an action saves (renewals, electricity, paper avoided)."
    ),
    unique=("item",),
    columns=(
        Column("item", "str", required=True, synonyms=("article", "categorie", "category"),
               description="an item of data/raw/reference/unit_prices.csv (e.g. laptop, electricity)",
               example="laptop", label_fr="un article de data/raw/reference/unit_prices.csv"),
        Column("value_eur", "float", required=True, min=0, unit="EUR excl. VAT", synonyms=("prix", "prix_ht", "valeur"),
               description="the collectivity's price, excluding VAT", example=850),
        Column("source", "str", synonyms=("origine", "marche"),
               description="where the price comes from (contract, invoice, year)", example="marché UGAP 2024"),
        Column("comment", "str", synonyms=("commentaire",), description="free text", example=""),
    ),
)


def _price_bound(item: str) -> tuple[float, str]:
    if item == "reconditioned_discount":
        return 1.0, "une fraction du prix neuf entre 0 et 1 (par ex. 0,35)"
    if item == "electricity":
        return MAX_ELECTRICITY_EUR_PER_KWH, f"un prix en euros HT par kWh entre 0 et {MAX_ELECTRICITY_EUR_PER_KWH:g}"
    if item == "paper_ream":
        return MAX_PAPER_EUR_PER_REAM, f"un prix en euros HT par ramette entre 0 et {MAX_PAPER_EUR_PER_REAM:g}"
    return MAX_EQUIPMENT_PRICE_EUR, f"un prix unitaire en euros HT entre 0 et {MAX_EQUIPMENT_PRICE_EUR:,.0f}".replace(
        ",", " ")


def read_territory_prices(path, reference: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and validate a territory's ``unit_prices.csv`` (:data:`TERRITORY_PRICES_SCHEMA`).

    Every item must be one of the reference schedule (``reference``, default :func:`load_unit_prices`), with the
    closest items suggested; each value must lie within its kind's plausible bound (a fraction for
    ``reconditioned_discount``). All problems are reported at once with line and column.
    """
    import difflib

    reference = load_unit_prices() if reference is None else reference
    known = list(reference["item"])
    problems: list[InputProblem] = []
    df = read_table(path, TERRITORY_PRICES_SCHEMA, problems_out=problems)
    file = display_path(path)
    for idx, (item, value) in enumerate(zip(df["item"], df["value_eur"])):
        line = int(df["_line"].iat[idx])
        if item is None:
            continue
        if item not in known:
            close = difflib.get_close_matches(str(item), known, n=2)
            hint = f" (les plus proches : {', '.join(close)})" if close else ""
            problems.append(InputProblem(file, line, "item", item, f"un article de "
                                         f"data/raw/reference/unit_prices.csv{hint}"))
            continue
        bound, expected = _price_bound(str(item))
        if value == value and not 0 <= value <= bound:
            problems.append(InputProblem(file, line, "value_eur", value, expected))
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return df.reset_index(drop=True)


def effective_prices(reference: pd.DataFrame, territory: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per item of ``reference``: ``item, value_eur, unit, source, status, origin`` where the territory's
    price replaces the reference one (``origin`` ``collectivity``, ``source`` the territory's or "prix de la
    collectivité") and the others keep theirs (``origin`` ``reference``)."""
    out = reference[["item", "value_eur", "unit", "source", "status"]].copy()
    out["origin"] = "reference"
    if territory is not None and len(territory):
        own = territory.set_index("item")
        hit = out["item"].isin(own.index).to_numpy()
        items = out.loc[hit, "item"]
        out.loc[hit, "value_eur"] = items.map(own["value_eur"]).astype(float).to_numpy()
        src = items.map(own["source"]).fillna("").astype(str).str.strip() if "source" in own else None
        out.loc[hit, "source"] = ["prix de la collectivité" + (f" : {s}" if s else "")
                                  for s in (src if src is not None else [""] * int(hit.sum()))]
        out.loc[hit, "status"] = "collectivity"
        out.loc[hit, "origin"] = "collectivity"
    return out.reset_index(drop=True)


def price_dict(prices: pd.DataFrame) -> dict[str, float]:
    """``item -> value_eur`` of an :func:`effective_prices` (or :func:`load_unit_prices`) table."""
    return dict(zip(prices["item"], prices["value_eur"].astype(float)))
