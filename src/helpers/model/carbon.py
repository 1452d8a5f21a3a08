"""Carbon balance engine: annualised multi-criteria LCA of a collectivity's digital estate, with Monte Carlo.

The engine works in three steps, each a pure function of DataFrames / numpy arrays:

1. **Activities** (:func:`build_activities`): every input (inventory lines, hosting sites, telecom, purchases, paper)
   becomes rows ``(line, phase, item, factor_phase, activity)`` where ``activity`` is a yearly amount in the activity
   unit of the factor looked up with ``(item, factor_phase, criterion)``. For a device line::

       manufacturing   = quantity × s / lifetime      (s = reconditioned_embodied_share if reconditioned, else 1)
       distribution    = quantity / lifetime
       end_of_life     = quantity / lifetime
       use (kWh)       = quantity × yearly_kwh × PUE  (PUE = 1 outside a hosting site)

   so that ``impact = activity × factor``. This is the annualised ("amortised") footprint of ADEME's digital LCA
   models (``incubateur-ademe/publicodes-acv-numerique:src/acv-terminaux.publicodes``: manufacturing ÷ lifetime +
   W × h × electricity factor) and of WeNR / the PCR-SI exchange format. Each row also names the uncertain
   multipliers it depends on: the quantity of its quality class, the lifetime of its category, the PUE of its
   hosting kind.
2. **Central values** (:func:`activity_impacts`, :func:`line_table`): activity × central factor, per line and
   phase and criterion. A factor absent from the library gives NaN, never 0 (``docs/architecture.md``).
3. **Monte Carlo** (:func:`monte_carlo`): inventory lines are first summed by entity × category × quality × site
   (:func:`aggregate_fleet`), activity rows by (cell, factor, multipliers), where a cell is (entity, tier, category,
   phase); then each factor and each multiplier is drawn once (``helpers.model.uncertainty``, the one sampler) and shared
   by all rows using it, and the products are summed per cell by the one evaluation (``helpers.model.engine``, in
   chunks of (combination, factor) pairs). Cost and memory grow with the number of
   distinct groups (about a thousand for any realistic inventory), not with the number of inventory lines:
   1,000,000 lines × 10,000 draws take under a second on a 2-core machine (``bench/bench_engine.py``).

Monte Carlo inputs (documented assumptions, see ``docs/assumptions_caveats.md``):

- factors: the library's distribution (``lognormal`` median = value, sigma = ln(high/low)/3.92; ``triangular``;
  ``uniform``; ``none``), one draw per ``factor_id`` shared by every line (criteria drawn independently); the
  factors of one ``correlation_group`` (same source and basis, e.g. the four spend ratios) share one underlying
  draw (:func:`stream_keys`), and the services LCA draws the library's factors from the same keyed streams;
- lifetimes: per category, a split triangular distribution of median default_lifetime_years over
  [lifetime_low_years, lifetime_high_years] of ``categories.csv`` (half the mass below the default, half above),
  applied as the ratio default / draw to every line of the category;
- quantities: per (quality class, category), a normal multiplier of mean 1 whose 95 % interval is ± 5 % (high),
  ± 15 % (medium), ± 40 % (low): ``quality_half_width`` of :data:`helpers.model.parameters.DEFAULTS`;
- PUE of sites without a measured PUE: split triangular of median default_pue over [pue_low, pue_high] of
  ``hosting_kinds.csv``, per kind.

Every random draw comes from ``numpy.random.default_rng([seed, crc32(input id)])``: the notebook's seed plus a stable
key of the input, so a factor has the same draws whichever lines, views or criteria use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.io import vocab
from helpers.io.carbon_reference import (
    FACTOR_ALTERNATIVES,
    PREVIOUS_SPEND_RATIOS,
    PREVIOUS_SPEND_SOURCE,
    PREVIOUS_SPEND_YEAR,
)
from helpers.model.engine import weighted_draws
from helpers.model.parameters import DEFAULTS
from helpers.model.perimeter import perimeter_matches
from helpers.model.uncertainty import factor_draws, keyed_draws, stream_keys

PHASES = vocab.PHASES
EMBODIED_PHASES = vocab.EMBODIED_PHASES
TIERS = vocab.BALANCE_TIERS
SOURCES: tuple[str, ...] = ("fleet", "hosting", "telecom", "purchases", "printing")
QUALITIES = vocab.QUALITIES

COMPUTER_CATEGORIES: tuple[str, ...] = ("laptop", "desktop", "thin_client")
SCREEN_CATEGORIES: tuple[str, ...] = ("screen_small", "screen_large")
PRINTER_CATEGORIES: tuple[str, ...] = ("printer", "mfp_copier")
PHONE_CATEGORIES: tuple[str, ...] = ("smartphone", "feature_phone")

DEFAULT_ELECTRICITY_ITEM = "electricity_fr"
DATACENTRE_SUPPORT_ITEM = "dc_support_equipment"
PAPER_ITEM = "paper_a4_ream"
CLOUD_SPEND_ITEM = "spend_cloud_saas"
NETWORK_ITEMS: dict[str, str] = {
    "fixed_gb": "network_fixed_fr",
    "mobile_gb": "network_mobile_fr",
    "fixed_subscription": "network_fixed_subscription",
    "mobile_subscription": "network_mobile_subscription",
}
MONTHS_PER_YEAR = 12
DATACENTRE_SUPPORT_LIFETIME_YEARS = 25.0  # ADEME data-centre model: 187 kgCO2e/m2 over 25 years (domain-facts §4.1)

ACTIVITY_COLUMNS: list[str] = ["source", "line_id", "entity", "tier", "category", "phase", "item", "factor_phase",
                               "activity", "quantity_param", "lifetime_param", "extra_param"]
CELL_KEYS: tuple[str, ...] = ("entity", "tier", "category", "phase")
#: the activity columns a total depends on besides the activity (:func:`gain_rows`, :func:`scenario_gains`)
GAIN_KEYS: list[str] = ["item", "factor_phase", "quantity_param", "lifetime_param", "extra_param"]

#: Pseudo-phase of the spend-based scope: purchased IT services, software, cloud and telecom converted by a monetary
#: ratio (kgCO2e/EUR). Their factor is looked up in the library's ``use`` phase (``factor_phase``) but they are not a
#: life-cycle phase of a physical object: they are reported as their own line, never inside the phase split.
SPEND_PHASE = "spend_based"
#: Items converted by a monetary ratio (``spend_*`` of the factor library).
SPEND_ITEM_PREFIX = "spend_"
#: Tiers whose embodied impact is equipment manufacturing (paper is a consumable, not equipment).
EQUIPMENT_TIERS = vocab.DEVICE_TIERS


# --------------------------------------------------------------------------------------------------------------
# Activities
# --------------------------------------------------------------------------------------------------------------

def _as_bool(series: pd.Series) -> np.ndarray:
    if series.dtype == bool:
        return series.to_numpy()
    return series.astype(str).str.strip().str.lower().isin({"true", "1", "yes", "oui", "vrai"}).to_numpy()


def _text(series: pd.Series) -> np.ndarray:
    return series.where(series.notna(), "").astype(str).to_numpy(dtype=object)


def _quantity_param(quality, key) -> np.ndarray:
    quality = np.asarray(quality, dtype=object)
    return np.char.add(np.char.add("quantity:", quality.astype(str)), np.char.add(":", np.asarray(key, dtype=str))
                       ).astype(object)


def _frames(blocks: list[tuple[dict, int]]) -> pd.DataFrame:
    """One activity DataFrame from blocks of rows ``(columns, n)``, in order: each column is an array or a scalar
    broadcast to the block's ``n`` rows. Built once from the concatenated arrays, not as a concat of small frames."""
    data = {}
    for name in ACTIVITY_COLUMNS:
        parts = []
        for columns, n in blocks:
            value = columns.get(name, "")
            parts.append(np.full(n, value, dtype=float if name == "activity" else object) if np.ndim(value) == 0
                         else np.asarray(value))
        data[name] = parts[0] if len(parts) == 1 else np.concatenate(parts)
    return pd.DataFrame(data)


def item_phases(factors: pd.DataFrame, item: str) -> list[str]:
    """Phases the library has for ``item`` (any criterion), in :data:`PHASES` order."""
    have = set(factors.loc[factors["item"] == item, "phase"])
    return [p for p in PHASES if p in have]


def item_activity_unit(factors: pd.DataFrame, item: str) -> str | None:
    units = factors.loc[factors["item"] == item, "activity_unit"]
    return None if units.empty else str(units.iat[0])


def resolve_sites(hosting: pd.DataFrame | None, hosting_kinds: pd.DataFrame,
                  default_electricity_item: str = DEFAULT_ELECTRICITY_ITEM) -> pd.DataFrame:
    """Hosting sites with their PUE and electricity item resolved (measured value, else the kind's default).

    Returns
    -------
    DataFrame indexed by ``site_id`` with ``entity, kind, pue, pue_measured, pue_param, electricity_item,
    it_kwh_per_year, floor_area_m2, cloud_spend_eur, quality``. ``pue_param`` is ``"pue:<kind>"`` when the PUE is
    the kind's default (uncertain), ``""`` when it was measured.
    """
    cols = ["entity", "kind", "pue", "pue_measured", "pue_param", "electricity_item", "it_kwh_per_year",
            "floor_area_m2", "cloud_spend_eur", "quality"]
    if hosting is None or len(hosting) == 0:
        return pd.DataFrame(columns=cols, index=pd.Index([], name="site_id"))
    kinds = hosting_kinds.set_index("kind")
    h = hosting.copy()
    for col in ("pue", "it_kwh_per_year", "floor_area_m2", "cloud_spend_eur"):
        h[col] = pd.to_numeric(h.get(col), errors="coerce") if col in h else np.nan
    for col in ("electricity_item", "quality"):
        if col not in h:
            h[col] = np.nan
    k = kinds.reindex(h["kind"])
    measured = h["pue"].notna().to_numpy()
    out = pd.DataFrame(index=pd.Index(h["site_id"].astype(str).to_numpy(), name="site_id"))
    out["entity"] = h["entity"].to_numpy()
    out["kind"] = h["kind"].to_numpy()
    out["pue"] = np.where(measured, h["pue"].to_numpy(dtype=float), k["default_pue"].to_numpy(dtype=float))
    out["pue_measured"] = measured
    out["pue_param"] = np.where(measured | (out["pue"].to_numpy() <= 1.0), "", "pue:" + h["kind"].astype(str).to_numpy())
    default_item = k["electricity_item"].fillna(default_electricity_item).to_numpy(dtype=object)
    out["electricity_item"] = np.where(h["electricity_item"].notna(), h["electricity_item"].to_numpy(dtype=object),
                                       default_item)
    out["it_kwh_per_year"] = h["it_kwh_per_year"].to_numpy(dtype=float)
    out["floor_area_m2"] = h["floor_area_m2"].to_numpy(dtype=float)
    out["cloud_spend_eur"] = h["cloud_spend_eur"].to_numpy(dtype=float)
    out["quality"] = h["quality"].astype(object).where(h["quality"].notna(), "medium").to_numpy(dtype=object)
    return out


FLEET_KEYS: list[str] = ["entity", "tier", "category", "item", "quality", "site"]


def _categorical(values, fill: str | None = None) -> pd.Categorical:
    """A categorical from any column, with ``fill`` for missing values (one hash pass, no string copies)."""
    if isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        cat = values.array if isinstance(values, pd.Series) else values
        if fill is not None and cat.isna().any():
            cat = cat.add_categories([fill]).fillna(fill) if fill not in cat.categories else cat.fillna(fill)
        return cat
    codes, uniques = pd.factorize(values)
    uniques = pd.Index(uniques, dtype=object)
    if fill is not None and (codes < 0).any():
        if fill in uniques:
            codes = np.where(codes < 0, uniques.get_loc(fill), codes)
        else:
            codes = np.where(codes < 0, len(uniques), codes)
            uniques = uniques.append(pd.Index([fill], dtype=object))
    return pd.Categorical.from_codes(codes, categories=uniques)


def _mapped_categorical(codes: np.ndarray, values_per_code) -> pd.Categorical:
    """Categorical of ``values_per_code[codes]`` without materialising the strings."""
    vcodes, vuniq = pd.factorize(pd.Index(values_per_code, dtype=object))
    return pd.Categorical.from_codes(vcodes[codes], categories=pd.Index(vuniq, dtype=object))


def _line_categories(inv: pd.DataFrame, categories: pd.DataFrame) -> tuple[np.ndarray, pd.Index, pd.DataFrame]:
    """The category code of each inventory line, the category names, and their rows of ``categories.csv``.

    Raises ``ValueError`` naming the categories that ``categories.csv`` does not have."""
    cats = categories.set_index("category")
    category = _categorical(inv["category"])
    ccode = np.asarray(category.codes)
    cuniq = pd.Index(category.categories).astype(str)
    unknown = sorted(set(cuniq[np.unique(ccode)]) - set(cats.index)) if len(inv) else []
    if unknown:
        raise ValueError(f"categories not in categories.csv: {unknown}")
    return ccode, cuniq, cats.reindex(cuniq)


def _embodied_units(inv: pd.DataFrame, quantity: np.ndarray, lifetime_years: np.ndarray, view: str,
                    reference_year: int | None) -> tuple[np.ndarray, np.ndarray]:
    """(whether each line has embodied rows in ``view``, its embodied units): quantity ÷ lifetime in the annualised
    view; in the purchases view the quantity of the lines bought in ``reference_year`` (0 for the others)."""
    n = len(inv)
    if view == "annualised":
        embodied = np.ones(n, dtype=bool)
        divisor = lifetime_years
    else:
        if reference_year is None:
            raise ValueError("reference_year is required for the purchases view")
        embodied = inv["purchase_year"].to_numpy(dtype=float) == float(reference_year)
        divisor = np.ones(n)
    return embodied, np.where(embodied, quantity / divisor, 0.0)


def _site_energy(inv: pd.DataFrame, energy_kwh: np.ndarray, sites: pd.DataFrame | None
                 ) -> tuple[pd.Categorical, np.ndarray, np.ndarray]:
    """(the site of each line, its IT energy in kWh/year, whether it was rescaled): the energy of the devices of a
    site with a measured ``it_kwh_per_year`` is rescaled to it, in proportion to each line's estimate.

    Raises ``ValueError`` when lines name a site that ``hosting.csv`` does not describe."""
    n = len(inv)
    site = _categorical(inv["site"] if "site" in inv else pd.Series([None] * n), fill="")
    scode = np.asarray(site.codes)
    suniq = pd.Index(site.categories).astype(str)
    measured_site = np.zeros(n, dtype=bool)
    real = suniq != ""
    if not real.any():
        return site, energy_kwh, measured_site
    if sites is None or len(sites) == 0:
        raise ValueError("inventory lines name a hosting site but no hosting.csv was given")
    used = np.zeros(len(suniq), dtype=bool)
    used[np.unique(scode)] = True
    missing = sorted(set(suniq[real & used]) - set(sites.index))
    if missing:
        raise ValueError(f"inventory sites not in hosting.csv: {missing}")
    measured_kwh = sites["it_kwh_per_year"].reindex(suniq).to_numpy(dtype=float)
    site_sum_kwh = np.bincount(scode, weights=energy_kwh, minlength=len(suniq))
    rescale = real & np.isfinite(measured_kwh) & (site_sum_kwh > 0)
    factor = np.where(rescale, measured_kwh / np.where(site_sum_kwh > 0, site_sum_kwh, 1.0), 1.0)
    return site, energy_kwh * factor[scode], rescale[scode]


def fleet_lines(inventory: pd.DataFrame, categories: pd.DataFrame, sites: pd.DataFrame | None = None,
                view: str = "annualised", reference_year: int | None = None) -> pd.DataFrame:
    """Numeric coefficients of each inventory line (vectorised; text columns are categoricals, no string copies).

    Parameters
    ----------
    inventory : the clean inventory (``data/processed/<slug>/inventory.csv``): ``line_id, entity, category,
        quantity, purchase_year, lifetime_years, yearly_kwh, reconditioned, quality, site``
    categories : ``categories.csv`` (``tier``, ``factor_item``, ``reconditioned_embodied_share``)
    sites : :func:`resolve_sites` output; the IT energy of the devices of a site with a measured
        ``it_kwh_per_year`` is rescaled to it (in proportion to each line's estimate)
    view : ``"annualised"`` (embodied ÷ lifetime, every line) or ``"purchases"`` (the accounting view of a Bilan
        Carbone / BEGES: embodied impacts of the devices bought in ``reference_year``, not amortised)
    reference_year : required for ``view="purchases"``

    Returns
    -------
    DataFrame with :data:`FLEET_KEYS` (categoricals), ``line_id`` and

    - ``manufacturing_units`` = quantity × s ÷ lifetime (s = reconditioned share or 1; no ÷ lifetime in the
      purchases view, and 0 for the lines not bought in the reference year),
    - ``other_units`` = quantity ÷ lifetime (distribution and end of life; same view rules),
    - ``energy_kwh`` = quantity × yearly_kwh (IT energy, before PUE),
    - ``embodied`` (bool): whether the line has embodied rows in this view,
    - ``measured_site`` (bool): the energy was rescaled to the site's measured IT energy.
    """
    if view not in ("annualised", "purchases"):
        raise ValueError(f"view must be 'annualised' or 'purchases', not {view!r}")
    inv = inventory.reset_index(drop=True)
    n = len(inv)
    ccode, cuniq, per_cat = _line_categories(inv, categories)
    quantity = inv["quantity"].to_numpy(dtype=float)
    lifetime_years = inv["lifetime_years"].to_numpy(dtype=float)
    if np.any(~(lifetime_years > 0)):
        bad = inv["line_id"].to_numpy()[~(lifetime_years > 0)][:5]
        raise ValueError(f"lifetime_years must be > 0 on every inventory line (lines {list(bad)})")
    recond = _as_bool(inv["reconditioned"]) if "reconditioned" in inv else np.zeros(n, dtype=bool)
    share = np.where(recond, per_cat["reconditioned_embodied_share"].to_numpy(dtype=float)[ccode], 1.0)
    embodied, other = _embodied_units(inv, quantity, lifetime_years, view, reference_year)
    site, energy_kwh, measured_site = _site_energy(
        inv, quantity * np.nan_to_num(inv["yearly_kwh"].to_numpy(dtype=float)), sites)
    quality = _categorical(inv["quality"] if "quality" in inv else pd.Series([None] * n), fill="medium")
    return pd.DataFrame({
        "line_id": inv["line_id"].to_numpy(),
        "entity": _categorical(inv["entity"]),
        "tier": _mapped_categorical(ccode, per_cat["tier"].to_numpy()),
        "category": pd.Categorical.from_codes(ccode, categories=pd.Index(cuniq, dtype=object)),
        "item": _mapped_categorical(ccode, per_cat["factor_item"].to_numpy()),
        "quality": quality, "site": site,
        "manufacturing_units": other * share, "other_units": other, "energy_kwh": energy_kwh,
        "embodied": embodied, "measured_site": measured_site,
    })


def aggregate_fleet(lines: pd.DataFrame) -> pd.DataFrame:
    """Sum the coefficients of :func:`fleet_lines` by :data:`FLEET_KEYS` (and ``measured_site``).

    The Monte Carlo only needs these sums (its multipliers depend on the category, quality and site, never on the
    line), so a million lines shrink to a few hundred rows before any phase row or random draw is made.
    """
    keys = ["entity", "category", "quality", "site", "measured_site"]  # tier and item follow the category
    gid, out = group_rows(lines, keys, extra=["tier", "item"])
    for col in ("manufacturing_units", "other_units", "energy_kwh"):
        out[col] = np.bincount(gid, weights=lines[col].to_numpy(dtype=float), minlength=len(out))
    out["embodied"] = np.bincount(gid, weights=lines["embodied"].to_numpy(dtype=float), minlength=len(out)) > 0
    out.insert(0, "line_id", "aggregate")
    return out


def _site_attributes(site: np.ndarray, sites: pd.DataFrame | None, electricity_item: str):
    """(electricity item, PUE, PUE parameter, site quality) for each row's site ("" = no site)."""
    n = len(site)
    elec = np.full(n, electricity_item, dtype=object)
    pue = np.ones(n)
    pue_param = np.full(n, "", dtype=object)
    site_quality = np.full(n, "medium", dtype=object)
    hosted = site != ""
    if hosted.any():
        s = sites.reindex(site[hosted])
        elec[hosted] = s["electricity_item"].to_numpy(dtype=object)
        pue[hosted] = s["pue"].to_numpy(dtype=float)
        pue_param[hosted] = s["pue_param"].to_numpy(dtype=object)
        site_quality[hosted] = s["quality"].to_numpy(dtype=object)
    return elec, pue, pue_param, site_quality


def fleet_rows(lines: pd.DataFrame, sites: pd.DataFrame | None = None,
               electricity_item: str = DEFAULT_ELECTRICITY_ITEM, view: str = "annualised") -> pd.DataFrame:
    """Activity rows (:data:`ACTIVITY_COLUMNS`) of :func:`fleet_lines` or :func:`aggregate_fleet` rows.

    Three embodied rows per line (item = the category's factor item; with the lifetime parameter of the category in
    the annualised view), one use row (electricity item of the site or ``electricity_item``) and, inside a site with
    PUE > 1, an overhead row ``energy × (PUE − 1)`` carrying the PUE parameter when the PUE is the kind's default.
    """
    n = len(lines)
    category = lines["category"].to_numpy(dtype=object)
    quality = lines["quality"].to_numpy(dtype=object)
    site = lines["site"].to_numpy(dtype=object)
    qparam = _quantity_param(quality, category)
    lparam = (np.char.add("lifetime:", category.astype(str)).astype(object) if view == "annualised"
              else np.full(n, "", dtype=object))
    keep = lines["embodied"].to_numpy(dtype=bool)
    base = {c: lines[c].to_numpy(dtype=object) for c in ("line_id", "entity", "tier", "category", "item")}
    blocks = []
    for phase in EMBODIED_PHASES:
        coef = lines["manufacturing_units" if phase == "manufacturing" else "other_units"].to_numpy(dtype=float)
        blocks.append(({
            **{k: v[keep] for k, v in base.items()}, "source": "fleet", "phase": phase, "factor_phase": phase,
            "activity": coef[keep], "quantity_param": qparam[keep], "lifetime_param": lparam[keep],
            "extra_param": ""}, int(keep.sum())))
    elec, pue, pue_param, site_quality = _site_attributes(site, sites, electricity_item)
    measured = lines["measured_site"].to_numpy(dtype=bool)
    use_qparam = qparam.copy()
    if measured.any():
        use_qparam[measured] = _quantity_param(site_quality[measured],
                                               np.char.add("site_energy:", site[measured].astype(str)))
    energy = lines["energy_kwh"].to_numpy(dtype=float)
    hosted = site != ""
    use_base = {**base, "source": np.where(hosted, "hosting", "fleet").astype(object), "phase": "use",
                "factor_phase": "use", "lifetime_param": ""}
    blocks.append(({**use_base, "item": elec, "activity": energy, "quantity_param": use_qparam,
                    "extra_param": ""}, n))
    over = hosted & (pue > 1.0)
    if over.any():
        blocks.append(({**{k: (v[over] if np.ndim(v) else v) for k, v in use_base.items()},
                        "item": elec[over], "activity": energy[over] * (pue[over] - 1.0),
                        "quantity_param": use_qparam[over], "extra_param": pue_param[over]}, int(over.sum())))
    return _frames(blocks)


def fleet_activities(inventory: pd.DataFrame, categories: pd.DataFrame, sites: pd.DataFrame | None = None,
                     electricity_item: str = DEFAULT_ELECTRICITY_ITEM, view: str = "annualised",
                     reference_year: int | None = None, aggregate: bool = False) -> pd.DataFrame:
    """Activity rows of the inventory: :func:`fleet_lines` then :func:`fleet_rows`.

    With ``aggregate=True`` the lines are first summed by :func:`aggregate_fleet` (``line_id = "aggregate"``):
    same totals and same Monte Carlo, far fewer rows. Use ``aggregate=False`` for per-line tables.

    Examples
    --------
    One laptop (ADEME/NegaOctet 2022: 170.0 + 12.3 + 2.79 kgCO2e, 5 years, 48 kWh/yr) gives the activities 1/5
    for each embodied phase and 48 kWh of ``electricity_fr`` (0.0461 kgCO2e/kWh), i.e. 37.018 + 2.2128 kgCO2e.
    """
    lines = fleet_lines(inventory, categories, sites, view, reference_year)
    if aggregate:
        lines = aggregate_fleet(lines)
    return fleet_rows(lines, sites, electricity_item, view)


def fleet_line_impacts(lines: pd.DataFrame, factors: pd.DataFrame, criterion: str = "climate_change",
                       sites: pd.DataFrame | None = None, electricity_item: str = DEFAULT_ELECTRICITY_ITEM
                       ) -> pd.DataFrame:
    """Central impact of each line of :func:`fleet_lines` by phase, fully vectorised (one column per phase).

    Same values as :func:`activity_impacts` on the per-line activities (NaN where a factor is missing), without
    building the phase rows: used for very large inventories and the benchmark.
    """
    ii, items = _codes(lines["item"])
    table = _lookup(factors, criterion, pd.Index(items.astype(str)), pd.Index(PHASES))
    out = {}
    for j, phase in enumerate(PHASES):
        if phase == "use":
            continue
        units = lines["manufacturing_units" if phase == "manufacturing" else "other_units"].to_numpy(dtype=float)
        value = units * table[ii, j]
        out[phase] = np.where(lines["embodied"].to_numpy(dtype=bool), value, np.nan)
    scode, usite = _codes(lines["site"])
    elec, pue, _, _ = _site_attributes(np.asarray(usite.astype(str), dtype=object), sites, electricity_item)
    elec_items = pd.Index(pd.unique(elec))
    etable = _lookup(factors, criterion, elec_items, pd.Index(["use"]))[:, 0]
    per_site = etable[elec_items.get_indexer(elec)] * pue
    out["use"] = lines["energy_kwh"].to_numpy(dtype=float) * per_site[scode]
    return pd.DataFrame(out, index=lines.index)[list(PHASES)]


def _flow_rows(factors: pd.DataFrame, item: str, base: dict, n: int) -> list[tuple[dict, int]]:
    """Blocks of activity rows (for :func:`_frames`) of a flow item (electricity, network, spend, paper), one for
    every phase the library has for it.

    An item absent from the library still gets one row (phase ``use``) so its impacts show as missing, not zero.
    """
    phases = item_phases(factors, item) or ["use"]
    return [({**base, "phase": p, "item": item, "factor_phase": p}, n) for p in phases]


def note(code: str, **values) -> dict:
    """A note on what was or was not counted: ``{"code": code, **values}``; the diagnostic words it
    (:func:`helpers.report.carbon_labels.note_fr`)."""
    return {"code": code, **values}


def _site_energy_by_id(inventory: pd.DataFrame) -> tuple[set, pd.Series]:
    """The hosting sites the inventory's devices name and their devices' IT energy (kWh/year) by site."""
    inv_sites = set(_text(inventory["site"])) - {""} if "site" in inventory else set()
    inv_energy = pd.Series(dtype=float)
    if inv_sites:
        e = inventory["quantity"].to_numpy(dtype=float) * inventory["yearly_kwh"].fillna(0).to_numpy(dtype=float)
        inv_energy = pd.Series(e).groupby(_text(inventory["site"])).sum()
    return inv_sites, inv_energy


def _site_building_rows(site_id, s: pd.Series, base: dict, support_unit: str | None, factors: pd.DataFrame
                        ) -> list[tuple[dict, int]]:
    """The building and technical equipment of a site: ``floor_area_m2`` × ``dc_support_equipment`` (per m2 and
    year, or per m2 amortised over :data:`DATACENTRE_SUPPORT_LIFETIME_YEARS` when the library gives it per m2)."""
    if not (np.isfinite(s["floor_area_m2"]) and s["floor_area_m2"] > 0):
        return []
    area_m2 = float(s["floor_area_m2"])
    activity = area_m2 / DATACENTRE_SUPPORT_LIFETIME_YEARS if support_unit == "m2" else area_m2
    return _flow_rows(factors, DATACENTRE_SUPPORT_ITEM, {
        **base, "line_id": f"hosting:{site_id}:building", "category": "dc_support_equipment",
        "activity": activity, "quantity_param": f"quantity:{s['quality']}:dc_support_equipment"}, 1)


def _site_without_devices(site_id, s: pd.Series, base: dict, factors: pd.DataFrame
                          ) -> tuple[list[tuple[dict, int]], list[dict]]:
    """A site with no device in the inventory: its measured IT energy × PUE, else its ``cloud_spend_eur`` × the
    cloud monetary ratio (``spend_cloud_saas``), else nothing but its building; with the notes saying which."""
    kwh, spend_eur = s["it_kwh_per_year"], s["cloud_spend_eur"]
    has_spend = bool(np.isfinite(spend_eur) and spend_eur > 0)
    if np.isfinite(kwh) and kwh > 0:
        row = {**base, "line_id": f"hosting:{site_id}:energy", "category": "hosted_it_energy", "phase": "use",
               "item": s["electricity_item"], "factor_phase": "use",
               "quantity_param": f"quantity:{s['quality']}:site_energy:{site_id}"}
        frames = [({**row, "activity": float(kwh)}, 1)]
        if s["pue"] > 1.0:
            frames.append(({**row, "activity": float(kwh) * (s["pue"] - 1.0), "extra_param": s["pue_param"]}, 1))
        return frames, [note("site_spend_with_energy", site=site_id, amount_eur=spend_eur)] if has_spend else []
    if has_spend:
        return _flow_rows(factors, CLOUD_SPEND_ITEM, {
            **base, "line_id": f"hosting:{site_id}:spend", "category": "cloud_spend", "activity": float(spend_eur),
            "quantity_param": f"quantity:{s['quality']}:cloud_spend"}, 1), [note("site_counted_by_spend", site=site_id)]
    return [], [note("site_building_only", site=site_id)]


def site_activities(sites: pd.DataFrame, inventory: pd.DataFrame, factors: pd.DataFrame
                    ) -> tuple[pd.DataFrame, list[dict]]:
    """Activity rows of the hosting sites themselves, and notes for the diagnostic (:func:`note`).

    - ``floor_area_m2`` × ``dc_support_equipment`` (building and technical equipment; per m2 and year, or per m2
      amortised over 25 years when the library gives it per m2);
    - a site with no device in the inventory: its measured IT energy × PUE, otherwise its ``cloud_spend_eur`` ×
      the cloud monetary ratio (``spend_cloud_saas``).

    The spend of a site whose energy is known is not counted (it would count the same servers twice) and a note says
    so.
    """
    frames: list[tuple[dict, int]] = []
    notes: list[dict] = []
    if sites is None or len(sites) == 0:
        return pd.DataFrame(columns=ACTIVITY_COLUMNS), notes
    inv_sites, inv_energy = _site_energy_by_id(inventory)
    support_unit = item_activity_unit(factors, DATACENTRE_SUPPORT_ITEM)
    for site_id, s in sites.iterrows():  # one loop step per hosting site (a handful), not per device
        base = {"source": "hosting", "entity": s["entity"], "tier": "datacentres", "lifetime_param": "",
                "extra_param": ""}
        frames += _site_building_rows(site_id, s, base, support_unit, factors)
        if site_id in inv_sites and inv_energy.get(site_id, 0.0) > 0:
            spend_eur = s["cloud_spend_eur"]
            if np.isfinite(spend_eur) and spend_eur > 0:
                notes.append(note("site_spend_with_devices", site=site_id, amount_eur=spend_eur))
            continue
        rows, site_notes = _site_without_devices(site_id, s, base, factors)
        frames += rows
        notes += site_notes
    if not frames:
        return pd.DataFrame(columns=ACTIVITY_COLUMNS), notes
    return _frames(frames), notes


def _telecom_fixed(i: int, r, base: dict, quality: str, have: set, factors: pd.DataFrame
                   ) -> tuple[list[tuple[dict, int]], list[dict]]:
    """The fixed network of telecom row ``i``: per subscription-month when lines are given and the library has the
    factor, else per GB; the notes when a volume is not added or lines cannot be counted."""
    fixed_lines = _num(getattr(r, "fixed_lines", np.nan))
    fixed_gb = _num(getattr(r, "fixed_data_gb_per_year", np.nan))
    row = {**base, "line_id": f"telecom:{i + 1}:fixed", "category": "network_fixed",
           "quantity_param": f"quantity:{quality}:network_fixed"}
    if fixed_lines > 0 and NETWORK_ITEMS["fixed_subscription"] in have:
        frames = _flow_rows(factors, NETWORK_ITEMS["fixed_subscription"],
                            {**row, "activity": fixed_lines * MONTHS_PER_YEAR}, 1)
        return frames, ([note("telecom_fixed_volume_not_added", line=i + 1, entity=r.entity, gb=fixed_gb)]
                        if fixed_gb > 0 else [])
    if fixed_gb > 0:
        return _flow_rows(factors, NETWORK_ITEMS["fixed_gb"], {**row, "activity": fixed_gb}, 1), []
    if fixed_lines > 0:
        return [], [note("telecom_fixed_lines_without_factor", line=i + 1, entity=r.entity, lines=fixed_lines)]
    return [], []


def _telecom_mobile(i: int, r, base: dict, quality: str, have: set, factors: pd.DataFrame
                    ) -> tuple[list[tuple[dict, int]], list[dict]]:
    """The mobile network of telecom row ``i``: per GB when the volume is given, else per subscription-month when
    the library has that factor; a note when lines are given without a volume the balance can use."""
    mobile_lines = _num(getattr(r, "mobile_lines", np.nan))
    mobile_gb = _num(getattr(r, "mobile_data_gb_per_year", np.nan))
    row = {**base, "line_id": f"telecom:{i + 1}:mobile", "category": "network_mobile",
           "quantity_param": f"quantity:{quality}:network_mobile"}
    if mobile_gb > 0:
        return _flow_rows(factors, NETWORK_ITEMS["mobile_gb"], {**row, "activity": mobile_gb}, 1), []
    if mobile_lines > 0 and NETWORK_ITEMS["mobile_subscription"] in have:
        return _flow_rows(factors, NETWORK_ITEMS["mobile_subscription"],
                          {**row, "activity": mobile_lines * MONTHS_PER_YEAR}, 1), []
    if mobile_lines > 0:
        return [], [note("telecom_mobile_lines_without_volume", line=i + 1, entity=r.entity, lines=mobile_lines)]
    return [], []


def telecom_activities(telecom: pd.DataFrame | None, factors: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """Activity rows of ``telecom.csv`` and notes (:func:`note`).

    Fixed network: per subscription-month (``fixed_lines × 12`` × ``network_fixed_subscription``) when lines are
    given, otherwise per GB (``network_fixed_fr``). Mobile network: per GB (``network_mobile_fr``) when the volume is
    given, otherwise per subscription-month if the library has ``network_mobile_subscription``. This follows the ADEME
    transitional method of loi AGEC art. 13 (fixed per subscriber and month, mobile per GB; domain-facts §2.3, §4.3)
    and never counts the same network twice for an entity.
    """
    notes: list[dict] = []
    if telecom is None or len(telecom) == 0:
        return pd.DataFrame(columns=ACTIVITY_COLUMNS), notes
    have = set(factors["item"])
    frames = []
    for i, r in enumerate(telecom.reset_index(drop=True).itertuples(index=False)):  # one step per telecom row
        quality = getattr(r, "quality", None) or "medium"
        base = {"source": "telecom", "entity": r.entity, "tier": "networks", "lifetime_param": "",
                "extra_param": ""}
        for part in (_telecom_fixed, _telecom_mobile):
            rows, part_notes = part(i, r, base, quality, have, factors)
            frames += rows
            notes += part_notes
    if not frames:
        return pd.DataFrame(columns=ACTIVITY_COLUMNS), notes
    return _frames(frames), notes


def _num(value) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return float("nan")
    return out


def purchase_activities(purchases: pd.DataFrame | None, factors: pd.DataFrame, reference_year: int
                        ) -> tuple[pd.DataFrame, list[dict]]:
    """Activity rows of ``purchases.csv`` (rows of the reference year; amount in EUR × ``spend_*`` ratio), and a
    note (:func:`note`) for every row of another year (not counted)."""
    from helpers.io.carbon_inputs import PURCHASE_CATEGORIES

    notes: list[dict] = []
    if purchases is None or len(purchases) == 0:
        return pd.DataFrame(columns=ACTIVITY_COLUMNS), notes
    p = purchases.reset_index(drop=True)
    year = pd.to_numeric(p["year"], errors="coerce").fillna(reference_year).to_numpy()
    # the spend's carbon intensity relative to the monetary ratio (1; lower with suppliers chosen on their carbon
    # data, lever ``supplier_intensity``)
    intensity = (pd.to_numeric(p["carbon_intensity_multiplier"], errors="coerce").fillna(1.0).to_numpy()
                 if "carbon_intensity_multiplier" in p else np.ones(len(p)))
    frames = []
    for i, r in enumerate(p.itertuples(index=False)):  # one step per spend row
        if year[i] != reference_year:
            notes.append(note("purchase_outside_year", line=i + 1, entity=r.entity, category=r.category,
                              year=int(year[i]), reference_year=reference_year))
            continue
        item, tier, _label = PURCHASE_CATEGORIES[r.category]
        quality = getattr(r, "quality", None) or "medium"
        frames += _flow_rows(factors, item, {
            "source": "purchases", "line_id": f"purchases:{i + 1}", "entity": r.entity, "tier": tier,
            "category": f"purchase_{r.category}", "activity": float(r.amount_eur) * float(intensity[i]),
            "quantity_param": f"quantity:{quality}:purchase_{r.category}", "lifetime_param": "", "extra_param": ""}, 1)
    if not frames:
        return pd.DataFrame(columns=ACTIVITY_COLUMNS), notes
    return _frames(frames), notes


def printing_activities(printing: pd.DataFrame | None, factors: pd.DataFrame) -> pd.DataFrame:
    """Activity rows of ``printing.csv``: reams × ``paper_a4_ream`` (pages ÷ 500 when only pages are given)."""
    if printing is None or len(printing) == 0:
        return pd.DataFrame(columns=ACTIVITY_COLUMNS)
    p = printing.reset_index(drop=True)
    reams = p["reams"] if "reams" in p else p["reams_per_year"].fillna(p["pages_per_year"] / 500.0)
    quality = p["quality"].fillna("medium") if "quality" in p else pd.Series(["medium"] * len(p))
    frames = []
    for phase in item_phases(factors, PAPER_ITEM) or ["manufacturing"]:
        frames.append(({
            "source": "printing", "line_id": np.array([f"printing:{i + 1}" for i in range(len(p))], dtype=object),
            "entity": _text(p["entity"]), "tier": "paper", "category": "paper", "phase": phase, "item": PAPER_ITEM,
            "factor_phase": phase, "activity": reams.to_numpy(dtype=float),
            "quantity_param": _quantity_param(quality.to_numpy(dtype=object), np.full(len(p), "paper")),
            "lifetime_param": "", "extra_param": "",
        }, len(p)))
    return _frames(frames)


@dataclass
class Activities:
    """All activity rows of one view of the balance, plus the notes explaining what was (not) counted."""

    table: pd.DataFrame
    #: :func:`note` dicts, in the order of the inputs
    notes: list[dict] = field(default_factory=list)
    view: str = "annualised"


def build_activities(inventory: pd.DataFrame, categories: pd.DataFrame, factors: pd.DataFrame,
                     hosting_kinds: pd.DataFrame, reference_year: int, hosting: pd.DataFrame | None = None,
                     telecom: pd.DataFrame | None = None, purchases: pd.DataFrame | None = None,
                     printing: pd.DataFrame | None = None, electricity_item: str = DEFAULT_ELECTRICITY_ITEM,
                     view: str = "annualised", aggregate: bool = False, reuse: dict | None = None) -> Activities:
    """Every activity row of the balance (fleet, hosting, telecom, purchases, printing) for one view.

    ``view="purchases"`` differs from ``"annualised"`` only in the fleet's embodied rows (devices bought in the
    reference year, not amortised); energy, networks, spend and paper are yearly flows in both views.
    ``aggregate=True`` sums the inventory lines first (:func:`aggregate_fleet`): same totals and Monte Carlo.

    ``reuse``: a dict the caller keeps across calls whose input tables are not modified in between (the action
    plan's reruns: each lever replaces one table and leaves the others as the very same objects). Each part is
    computed once per identity of the tables it reads; the dict holds those tables, so an identity is never reused.
    """
    def part(name, deps, compute):
        if reuse is None:
            return compute()
        key = (name, view, aggregate, reference_year, electricity_item, *map(id, deps))
        hit = reuse.get(key)
        if hit is None or any(a is not b for a, b in zip(hit[0], deps)):
            hit = reuse[key] = (deps, compute())
        return hit[1]

    refs = (categories, factors, hosting_kinds)
    sites = part("sites", (hosting, hosting_kinds), lambda: resolve_sites(hosting, hosting_kinds, electricity_item))
    parts = [part("fleet", (inventory, hosting, *refs), lambda: fleet_activities(
        inventory, categories, sites, electricity_item, view, reference_year, aggregate))]
    notes: list[dict] = []
    site_rows, n1 = part("site", (hosting, inventory, *refs), lambda: site_activities(sites, inventory, factors))
    tel_rows, n2 = part("telecom", (telecom, *refs), lambda: telecom_activities(telecom, factors))
    pur_rows, n3 = part("purchases", (purchases, *refs),
                        lambda: purchase_activities(purchases, factors, reference_year))
    parts += [site_rows, tel_rows, pur_rows,
              part("printing", (printing, *refs), lambda: printing_activities(printing, factors))]
    notes += n1 + n2 + n3 + double_counting_notes(purchases, hosting, telecom, reference_year)
    parts = [p for p in parts if len(p)]
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=ACTIVITY_COLUMNS)
    table["activity"] = table["activity"].astype(float)
    table["phase"] = np.where(is_spend_item(table["item"]), SPEND_PHASE, table["phase"].astype(object))
    return Activities(table=table[ACTIVITY_COLUMNS], notes=notes, view=view)


def is_spend_item(items) -> np.ndarray:
    """True for the items converted by a monetary ratio (``spend_*``): the spend-based scope of the balance."""
    return np.char.startswith(np.asarray(items, dtype=str), SPEND_ITEM_PREFIX)


def double_counting_notes(purchases, hosting, telecom, reference_year) -> list[dict]:
    """Warnings (:func:`note`) when the same thing may be counted twice across files: a cloud spend beside hosting
    sites (``double_count_cloud``), a telecom spend beside telecom lines or volumes (``double_count_telecom``)."""
    notes: list[dict] = []
    if purchases is None or len(purchases) == 0:
        return notes
    year = pd.to_numeric(purchases["year"], errors="coerce").fillna(reference_year)
    cur = purchases[year == reference_year]
    if hosting is not None and len(hosting) and (cur["category"] == "cloud").any():
        notes.append(note("double_count_cloud"))
    if telecom is not None and len(telecom) and (cur["category"] == "telecom").any():
        notes.append(note("double_count_telecom"))
    return notes


# --------------------------------------------------------------------------------------------------------------
# Central values
# --------------------------------------------------------------------------------------------------------------

def _lookup(factors: pd.DataFrame, criterion: str, items: pd.Index, phases: pd.Index, column: str = "value"
            ) -> np.ndarray:
    """Table ``[item code, phase code] -> factor value`` (NaN where the library has no factor)."""
    table = np.full((len(items), len(phases)), np.nan)
    f = factors[factors["criterion"] == criterion]
    i = items.get_indexer(f["item"])
    j = phases.get_indexer(f["phase"])
    ok = (i >= 0) & (j >= 0)
    table[i[ok], j[ok]] = f[column].to_numpy(dtype=float)[ok]
    return table


def criterion_column(criterion: str, units: dict[str, str] | None = None) -> str:
    """Column name of a criterion with its unit, e.g. ``climate_change_kgco2e``, ``water_m3``."""
    unit = (units or vocab.CRITERIA_UNITS).get(criterion, "")
    slug = "".join(ch if ch.isalnum() else "_" for ch in unit.lower().replace("+", "plus")).strip("_")
    while "__" in slug:
        slug = slug.replace("__", "_")
    return f"{criterion}_{slug}" if slug else criterion


def activity_impacts(activities: pd.DataFrame, factors: pd.DataFrame, criteria: list[str] | tuple[str, ...]
                     ) -> pd.DataFrame:
    """Central impact of every activity row for each criterion (``activity × factor``); NaN when no factor.

    Returns a DataFrame aligned on ``activities`` with one column per criterion (criterion ids as column names).
    """
    items = pd.Index(pd.unique(activities["item"].astype(str)))
    phases = pd.Index(PHASES)
    ii = items.get_indexer(activities["item"].astype(str))
    jj = phases.get_indexer(activities["factor_phase"].astype(str))
    act = activities["activity"].to_numpy(dtype=float)
    out = {}
    for c in criteria:
        table = _lookup(factors, c, items, phases)
        out[c] = act * table[ii, jj]
    return pd.DataFrame(out, index=activities.index)


def line_table(activities: pd.DataFrame, impacts: pd.DataFrame, units: dict[str, str] | None = None
               ) -> pd.DataFrame:
    """Central impacts per (source, line, entity, tier, category, phase), one column per criterion with its unit.

    A criterion missing for a line and phase stays NaN (``sum`` with ``min_count=1``).
    """
    keys = ["source", "line_id", "entity", "tier", "category", "phase"]
    df = pd.concat([activities[keys], impacts], axis=1)
    out = df.groupby(keys, sort=False, dropna=False).sum(min_count=1).reset_index()
    out = out.rename(columns={c: criterion_column(c, units) for c in impacts.columns})
    return out


# --------------------------------------------------------------------------------------------------------------
# Random draws
# --------------------------------------------------------------------------------------------------------------

def parameter_table(param_ids, categories: pd.DataFrame, hosting_kinds: pd.DataFrame | None = None,
                    half_width: Mapping[str, float] = DEFAULTS.quality_half_width) -> pd.DataFrame:
    """Distributions of the multipliers named in the activity rows.

    - ``quantity:<quality>:<key>``: normal, mean 1, 95 % interval 1 ± ``half_width[quality]`` (the study's
      ``quality_half_width``, :data:`helpers.model.parameters.DEFAULTS`; a quality it does not name is medium);
    - ``lifetime:<category>``: default / T, T ~ split triangular(lifetime_low, default, lifetime_high) of
      ``categories.csv`` (median = default);
    - ``pue:<kind>``: (P - 1) / (default - 1), P ~ split triangular(pue_low, default_pue, pue_high) of
      ``hosting_kinds.csv`` (median = default).

    Returns
    -------
    DataFrame ``param_id, kind, key, distribution, low, mode, high`` (the distribution of the underlying quantity).
    """
    cats = categories.set_index("category")
    kinds = hosting_kinds.set_index("kind") if hosting_kinds is not None else None
    rows = []
    for pid in sorted({p for p in param_ids if p}):
        kind, _, key = pid.partition(":")
        if kind == "quantity":
            quality, _, what = key.partition(":")
            hw = half_width.get(quality, half_width["medium"])
            rows.append((pid, kind, what, "normal", 1.0 - hw, 1.0, 1.0 + hw, quality))
        elif kind == "lifetime":
            c = cats.loc[key]
            rows.append((pid, kind, key, "split_triangular", float(c["lifetime_low_years"]),
                         float(c["default_lifetime_years"]), float(c["lifetime_high_years"]), ""))
        elif kind == "pue":
            if kinds is None:
                raise ValueError("hosting_kinds is needed for PUE parameters")
            k = kinds.loc[key]
            rows.append((pid, kind, key, "split_triangular", float(k["pue_low"]), float(k["default_pue"]),
                         float(k["pue_high"]), ""))
        else:
            raise ValueError(f"unknown parameter kind in {pid!r}")
    return pd.DataFrame(rows, columns=["param_id", "kind", "key", "distribution", "low", "mode", "high", "quality"])


def draw_parameters(params: pd.DataFrame, n_draws: int, seed: int) -> np.ndarray:
    """Multiplier draws (central value 1), one row per parameter: shape (len(params), n_draws)."""
    out = np.empty((len(params), n_draws))
    rows = zip(*(params[c].to_numpy().tolist() for c in ("param_id", "kind", "distribution", "low", "mode", "high")))
    for i, (pid, kind, dist, low, mode, high) in enumerate(rows):  # one step per parameter (tens)
        x = keyed_draws(dist, mode, low, high, n_draws, seed, pid)
        if kind == "lifetime":
            out[i] = mode / x
        elif kind == "pue":
            out[i] = (x - 1.0) / (mode - 1.0) if mode > 1.0 else np.ones(n_draws)
        else:
            out[i] = x
    return out


# --------------------------------------------------------------------------------------------------------------
# Monte Carlo
# --------------------------------------------------------------------------------------------------------------

def _multiplier_slots(rows: pd.DataFrame, pindex: dict[str, int]) -> np.ndarray:
    """(n, 3) row of each row's quantity, lifetime and extra multiplier in the parameter draws (0: no multiplier)."""
    slots = []
    for col in ("quantity_param", "lifetime_param", "extra_param"):
        ids = rows[col].astype(str)
        unknown = sorted(set(ids) - set(pindex) - {""})
        if unknown:
            raise ValueError(f"parameters missing from the parameter table: {unknown[:5]}")
        slots.append(ids.map(lambda p: pindex.get(p, 0)).to_numpy(dtype=np.int64))
    return np.vstack(slots).T


def _multipliers(rows: pd.DataFrame, params: pd.DataFrame, n_draws: int, seed: int):
    """Multiplier draws of ``rows``: ``pdraws`` (row 0 = 1, then :func:`draw_parameters`), the distinct
    (quantity, lifetime, extra) combinations, each row's combination and the product draws of each combination."""
    pindex = {pid: i + 1 for i, pid in enumerate(params["param_id"])}
    pdraws = np.vstack([np.ones((1, n_draws)), draw_parameters(params, n_draws, seed)])
    combo, combo_index = np.unique(_multiplier_slots(rows, pindex), axis=0, return_inverse=True)
    mult = pdraws[combo[:, 0]] * pdraws[combo[:, 1]] * pdraws[combo[:, 2]]  # (n_combos, n_draws)
    return pdraws, combo, combo_index.ravel(), mult


class _FactorLibrary:
    """The factor library as arrays, once, and the row giving each activity row's factor for a criterion."""

    def __init__(self, factors: pd.DataFrame, rows: pd.DataFrame):
        items = pd.Index(pd.unique(rows["item"].astype(str)))
        phases = pd.Index(PHASES)
        self.shape = (len(items), len(phases))
        self.gi = items.get_indexer(rows["item"].astype(str))
        self.gp = phases.get_indexer(rows["factor_phase"].astype(str))
        self.f_item = items.get_indexer(factors["item"].astype(str))
        self.f_phase = phases.get_indexer(factors["phase"].astype(str))
        self.f_crit = factors["criterion"].astype(str).to_numpy(dtype=object)
        self.f_known = (self.f_item >= 0) & (self.f_phase >= 0)
        self.f_id = factors["factor_id"].astype(str).to_numpy(dtype=object)
        self.f_key = stream_keys(factors)
        self.f_value = factors["value"].to_numpy(dtype=float)
        self.f_low = factors["low"].to_numpy(dtype=float)
        self.f_high = factors["high"].to_numpy(dtype=float)
        self.f_dist = factors["distribution"].to_numpy(dtype=object)

    def lookup(self, criterion: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """For ``criterion``: each activity row's factor value (NaN: no factor), the rows without one, the library
        rows used (in the order of their ids: the order of the draws and of the sensitivity table) and each
        activity row's index among them (0 where it has none)."""
        table = np.full(self.shape, -1, dtype=np.int64)
        sel = np.flatnonzero(self.f_known & (self.f_crit == criterion))
        table[self.f_item[sel], self.f_phase[sel]] = sel
        rows = table[self.gi, self.gp]
        value = np.where(rows >= 0, self.f_value[np.maximum(rows, 0)], np.nan)
        miss = np.isnan(value)
        used = np.unique(rows[~miss])
        used = used[np.argsort(self.f_id[used].astype(str), kind="stable")]
        position = np.zeros(len(self.f_id), dtype=np.int64)
        position[used] = np.arange(len(used))
        return value, miss, used, np.where(miss, 0, position[np.maximum(rows, 0)])

    def frame(self, used: np.ndarray) -> pd.DataFrame:
        """The factors ``used``: ``factor_id, value, low, high, distribution`` and ``key``, the key of their random
        stream (:func:`helpers.model.uncertainty.stream_keys`: ``group:<name>`` for a correlation group)."""
        return pd.DataFrame({"factor_id": self.f_id[used].astype(str), "value": self.f_value[used],
                             "low": self.f_low[used], "high": self.f_high[used], "distribution": self.f_dist[used],
                             "key": self.f_key[used].astype(str)})

    def draws(self, used: np.ndarray, n_draws: int, seed: int) -> np.ndarray:
        """Draws of the factors ``used`` (:func:`helpers.model.uncertainty.factor_draws` on their
        :func:`helpers.model.uncertainty.stream_keys`): shape (len(used), n_draws)."""
        return factor_draws(self.f_key[used].astype(str), self.f_dist[used], self.f_value[used], self.f_low[used],
                             self.f_high[used], n_draws, seed)


def _codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    if isinstance(values.dtype, pd.CategoricalDtype):
        return np.asarray(values.cat.codes, dtype=np.int64), pd.Index(values.cat.categories)
    codes, uniques = pd.factorize(values, sort=False)
    return codes.astype(np.int64), pd.Index(uniques)


def group_rows(df: pd.DataFrame, keys: list[str], extra: list[str] | None = None) -> tuple[np.ndarray, pd.DataFrame]:
    """Group ids of the rows of ``df`` by ``keys`` (hash-based, in order of first appearance) and the key table.

    ``extra`` columns (functions of the keys) are copied from the first row of each group."""
    combined = np.zeros(len(df), dtype=np.int64)
    bound = 1
    for k in keys:
        codes, uniques = _codes(df[k])
        card = max(len(uniques), 1)
        if bound * card > 2**62:  # re-compact before the mixed radix could overflow
            combined, uniq = _codes(pd.Series(combined))
            bound = max(len(uniq), 1)
        combined = combined * card + codes
        bound *= card
    group, _ = _codes(pd.Series(combined))
    n_groups = int(group.max()) + 1 if len(group) else 0
    first = np.full(n_groups, len(df), dtype=np.int64)
    np.minimum.at(first, group, np.arange(len(df), dtype=np.int64))
    key_table = df[keys + list(extra or [])].iloc[first].reset_index(drop=True)
    for col in key_table.columns:  # plain text columns for the (small) key table
        if isinstance(key_table[col].dtype, pd.CategoricalDtype):
            key_table[col] = key_table[col].astype(object)
    return group, key_table


@dataclass
class MonteCarloResult:
    """Draws of the balance by cell (entity, tier, category, phase) and criterion.

    Attributes
    ----------
    cells : cell keys plus the central value of each criterion (NaN-free: missing factors count 0 and are listed
        in ``missing``)
    draws : criterion -> (n_cells, n_draws) draws (kept for the criteria of ``keep_cells``)
    totals : criterion -> (n_draws,) draws of the total
    central : criterion -> central total (factors at their central value, multipliers at 1)
    missing : ``criterion, item, phase, activity_rows, climate_change_kgco2e`` of the rows with no factor
    sensitivity : inputs of ``sensitivity_criterion`` with their contribution to the variance and tornado bounds
    """

    cells: pd.DataFrame
    draws: dict[str, np.ndarray]
    totals: dict[str, np.ndarray]
    central: dict[str, float]
    missing: pd.DataFrame
    sensitivity: pd.DataFrame
    n_draws: int
    seed: int
    n_groups: int = 0


def monte_carlo(activities: pd.DataFrame, factors: pd.DataFrame, params: pd.DataFrame,
                criteria: list[str] | tuple[str, ...] = ("climate_change",), n_draws: int = 10_000,
                seed: int = 20200101, keep_cells: tuple[str, ...] = ("climate_change",),
                sensitivity_criterion: str | None = "climate_change", cell_keys: tuple[str, ...] = CELL_KEYS,
                report_missing: bool = True) -> MonteCarloResult:
    """Monte Carlo of the balance: aggregate rows by (cell, factor, multipliers), then draw.

    Parameters
    ----------
    activities : activity rows (:data:`ACTIVITY_COLUMNS`)
    factors : factor library (central value, low, high, distribution)
    params : :func:`parameter_table` of the multipliers named in ``activities``
    criteria : criteria to simulate
    n_draws, seed : number of draws and the notebook's seed
    keep_cells : criteria whose per-cell draws are kept (breakdowns with intervals)
    sensitivity_criterion : criterion whose inputs are ranked (contribution to variance, tornado)
    cell_keys : columns defining the cells
    report_missing : list the rows with no factor in ``missing`` (False: leave it empty, for reruns that only
        need the totals)

    Notes
    -----
    For criterion c and draw d, with groups g of rows sharing (cell, item, factor phase, multipliers)::

        T_c[d] = sum_g  A_g × Q[q_g, d] × L[l_g, d] × X[x_g, d] × F[f(g, c), d]

    where A_g is the summed activity, Q, L, X the quantity, lifetime and PUE multipliers (1 when absent) and F the
    factor draws. The cost is O(groups × draws), independent of the number of inventory lines.
    Sensitivity: squared Spearman rank correlation of each input with the total, normalised to sum to 1
    ("contribution to variance"), and a one-at-a-time tornado: the total when one input is at its 2.5th or 97.5th
    percentile and every other input at its central value (the total is linear in each input).
    """
    groups, a, cell_id, cells, starts = _cell_groups(activities, cell_keys)
    pdraws, combo, combo_index, mult = _multipliers(groups, params, n_draws, seed)
    lib = _FactorLibrary(factors, groups)
    draws, totals, central, missing_rows = {}, {}, {}, []
    clim_central = a * lib.lookup("climate_change")[0]
    sens = pd.DataFrame()
    for c in criteria:
        value, miss, used_rows, findex = lib.lookup(c)
        if miss.any() and report_missing:
            missing_rows.append(_missing_factor_rows(groups, miss, clim_central, c))
        fdraws = lib.draws(used_rows, n_draws, seed)
        central_g = np.where(miss, 0.0, a * np.nan_to_num(value))
        cells[c] = np.add.reduceat(central_g, starts) if len(starts) else np.zeros(0)
        central[c] = float(central_g.sum())
        a_used = np.where(miss, 0.0, a)
        if c in keep_cells:  # the draws of every cell (the one evaluation, ``helpers.model.engine``)
            draws[c] = _target_draws(cell_id, combo_index, findex, a_used, len(cells), mult, fdraws)
            totals[c] = draws[c].sum(axis=0)
        else:  # only the total is wanted: one target, no per-cell draws
            totals[c] = _target_draws(np.zeros(len(a_used), dtype=np.int64), combo_index, findex, a_used, 1, mult,
                                      fdraws)[0]
        if c == sensitivity_criterion:
            sens = _sensitivity(totals[c], central[c], fdraws, lib.frame(used_rows), np.where(miss, -1, findex),
                                miss, a, value, pdraws, params, combo, combo_index)
    return MonteCarloResult(cells=cells, draws=draws, totals=totals, central=central,
                            missing=_missing_table(missing_rows), sensitivity=sens, n_draws=n_draws, seed=seed, n_groups=len(groups))


def _cell_groups(activities: pd.DataFrame, cell_keys: tuple[str, ...]):
    """The activity rows summed by (cell, factor, multipliers), ordered by cell so that per-cell sums are contiguous
    (``np.add.reduceat``): ``(groups, summed activity, cell of each group, cells, first group of each cell)``."""
    keys = list(cell_keys) + ["item", "factor_phase", "quantity_param", "lifetime_param", "extra_param"]
    act = activities.reset_index(drop=True)
    gid, groups = group_rows(act, keys)
    a = np.bincount(gid, weights=act["activity"].to_numpy(dtype=float), minlength=len(groups))
    cell_id, cells = group_rows(groups, list(cell_keys))
    order = np.argsort(cell_id, kind="stable")
    groups, a, cell_id = groups.iloc[order].reset_index(drop=True), a[order], cell_id[order]
    starts = np.flatnonzero(np.r_[True, np.diff(cell_id) != 0]) if len(cell_id) else np.array([], dtype=int)
    return groups, a, cell_id, cells.copy(), starts


def _missing_factor_rows(groups: pd.DataFrame, miss: np.ndarray, climate_kgco2e: np.ndarray, criterion: str
                         ) -> pd.DataFrame:
    """The groups with no factor for ``criterion``, summed by (item, phase): ``criterion, item, phase,
    activity_rows, climate_change_kgco2e`` (the climate impact of those rows, 0 where it is missing too)."""
    m = pd.DataFrame({"item": groups["item"].to_numpy()[miss], "phase": groups["factor_phase"].to_numpy()[miss],
                      "activity_rows": 1, "climate_change_kgco2e": np.nan_to_num(climate_kgco2e[miss])})
    m = m.groupby(["item", "phase"], as_index=False).sum()
    m.insert(0, "criterion", criterion)
    return m


def _missing_table(missing_rows: list[pd.DataFrame]) -> pd.DataFrame:
    """The rows of :func:`_missing_factor_rows` of every criterion, one table (empty with its columns when none)."""
    if not missing_rows:
        return pd.DataFrame(columns=["criterion", "item", "phase", "activity_rows", "climate_change_kgco2e"])
    return pd.concat(missing_rows, ignore_index=True)


def _target_draws(target, combo_index, findex, activity, n_targets: int, mult: np.ndarray, fdraws: np.ndarray
                  ) -> np.ndarray:
    """:func:`helpers.model.engine.weighted_draws` of the groups, or zeros when no group has a factor."""
    if not len(fdraws):
        return np.zeros((n_targets, mult.shape[1]))
    return weighted_draws(target, combo_index, findex, activity, n_targets, mult, fdraws)


@dataclass
class ScenarioGains:
    """Paired gains ``base − scenario`` of the balance totals, one row per scenario.

    ``central``: criterion -> (n_scenarios,) central gains; ``draws``: criterion -> (n_scenarios, n_draws).
    """

    central: dict[str, np.ndarray]
    draws: dict[str, np.ndarray]


def gain_rows(activities: pd.DataFrame) -> pd.DataFrame:
    """The activity rows summed by :data:`GAIN_KEYS` (in order of first appearance): what a total depends on.

    The action plan keeps this for each of its ~20 scenarios instead of the whole activity table; equal tables give
    equal sums, bit for bit (the same rows added in the same order).
    """
    gid, keys = group_rows(activities.reset_index(drop=True), GAIN_KEYS)
    keys["activity"] = np.bincount(gid, weights=activities["activity"].to_numpy(dtype=float), minlength=len(keys))
    return keys


#: parts of a balance whose factors change over time along the trajectory (issue 29) or that have a target of their
#: own: the French grid's electricity and manufacturing, each for the fleet (grows with it) and the rest, and the
#: purchases converted by a monetary ratio
PART_KEYS: tuple[str, ...] = ("total", "fleet", "electricity_fleet", "electricity_other", "manufacturing_fleet",
                              "manufacturing_other", "purchases")


def central_parts(table: pd.DataFrame, factors: pd.DataFrame, fleet_categories, electricity_item: str,
                  criterion: str = "climate_change") -> dict[str, float]:
    """Central value of each part of :data:`PART_KEYS` of a balance's activity rows (kg of ``criterion`` a year):
    ``activity × factor`` at the factor's central value (every multiplier's median is 1), summed over the rows of
    the part. ``fleet``: rows of the inventory's categories (``fleet_categories``); electricity: rows of
    ``electricity_item`` (the grid whose factor follows the trajectory's path; a foreign grid does not);
    manufacturing: rows of the ``manufacturing`` phase but paper's; purchases: the spend-based phase
    (:data:`SPEND_PHASE`)."""
    f = factors[factors["criterion"].eq(criterion)].set_index(["item", "phase"])["value"].astype(float)
    key = pd.MultiIndex.from_arrays([table["item"].astype(str), table["factor_phase"].astype(str)])
    value = table["activity"].to_numpy(dtype=float) * f.reindex(key).fillna(0.0).to_numpy(dtype=float)
    fleet = table["category"].astype(str).isin(set(map(str, fleet_categories))).to_numpy()
    elec = (table["item"].astype(str) == str(electricity_item)).to_numpy()
    # the manufacturing of equipment (devices, network gear, data-centre equipment), not of paper
    manuf = ((table["factor_phase"].astype(str) == "manufacturing") & (table["tier"].astype(str) != "paper")).to_numpy()
    spend = (table["phase"].astype(str) == SPEND_PHASE).to_numpy()
    return {"total": float(value.sum()), "fleet": float(value[fleet].sum()),
            "electricity_fleet": float(value[elec & fleet].sum()), "electricity_other": float(value[elec & ~fleet].sum()),
            "manufacturing_fleet": float(value[manuf & fleet].sum()),
            "manufacturing_other": float(value[manuf & ~fleet].sum()), "purchases": float(value[spend].sum())}


def scenario_gains(base: pd.DataFrame, scenarios: list[pd.DataFrame], factors: pd.DataFrame, params: pd.DataFrame,
                   criteria: list[str] | tuple[str, ...] = ("climate_change",), n_draws: int = 10_000,
                   seed: int = 20200101) -> ScenarioGains:
    """Gains of many variants of the same balance (the action plan's reruns), in one pass over all their rows.

    The balance is linear in the summed activities (:func:`monte_carlo`): with ``W_s[k, f]`` the activity of
    scenario s under multiplier combination k and factor f, ``T_s[d] = sum_k M[k, d] × (W_s @ F)[k, d]``. The gain
    is therefore computed as ``sum_k M[k] × ((W_base − W_s) @ F)[k]`` over the combinations a scenario changes,
    not as the difference of two totals: the same paired draws (factors and multipliers are keyed by their id), no
    cancellation between two large totals, and a scenario that changes nothing gains exactly 0.

    Parameters
    ----------
    base, scenarios : activity tables, or their :func:`gain_rows` (each table is summed by :data:`GAIN_KEYS`
        first); rows with no factor for a criterion count 0
    params : :func:`parameter_table` of the multipliers named in all the tables
    criteria, n_draws, seed : as in :func:`monte_carlo` (same draws)
    """
    tables = [gain_rows(t) for t in (base, *scenarios)]
    n_s = len(scenarios)
    act = pd.concat(tables, ignore_index=True)
    scenario = np.repeat(np.arange(len(tables)), [len(t) for t in tables])
    a = act["activity"].to_numpy(dtype=float)
    _, _, combo_index, mult = _multipliers(act, params, n_draws, seed)
    n_k = len(mult)
    lib = _FactorLibrary(factors, act)
    central, draws = {}, {}
    for c in criteria:
        _, miss, used, findex = lib.lookup(c)  # a row without a factor counts 0, as in monte_carlo
        known = ~miss
        n_f = len(used)
        cell = (scenario * n_k + combo_index) * n_f + findex
        w = np.bincount(cell[known], weights=a[known], minlength=len(tables) * n_k * n_f).reshape(len(tables), n_k,
                                                                                                   n_f)
        delta = w[0] - w[1:]  # (scenarios, combinations, factors): exactly 0 where a scenario changes nothing
        central[c] = (delta @ lib.f_value[used]).sum(axis=1)  # multipliers at 1
        s_, k_, f_ = np.nonzero(delta)  # only what each scenario changes
        draws[c] = (weighted_draws(s_, k_, f_, delta[s_, k_, f_], n_s, mult, lib.draws(used, n_draws, seed))
                    if n_f else np.zeros((n_s, n_draws)))
    return ScenarioGains(central=central, draws=draws)


def _ranks(x: np.ndarray) -> np.ndarray:
    """Ranks (0 … n-1) along the last axis, with one argsort."""
    order = np.argsort(x, axis=-1)
    ranks = np.empty(x.shape, dtype=float)
    np.put_along_axis(ranks, order, np.broadcast_to(np.arange(x.shape[-1], dtype=float), x.shape), axis=-1)
    return ranks


def _rank_corr(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Spearman correlation of each row of ``x`` (k, n) with ``y`` (n,); 0 for constant rows."""
    rx = _ranks(x)
    ry = _ranks(y)
    rx -= rx.mean(axis=1, keepdims=True)
    ry -= ry.mean()
    constant = np.ptp(x, axis=1) == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = (rx @ ry) / np.sqrt((rx ** 2).sum(axis=1) * (ry ** 2).sum())
    return np.where(constant | ~np.isfinite(rho), 0.0, rho)


def _sensitivity(total, central_total, fdraws, frows, findex, miss, a, value, pdraws, params, combo, combo_index
                 ) -> pd.DataFrame:
    """Inputs (factors, multipliers) ranked by contribution to the variance of ``total``, with tornado bounds.

    The factors of one correlation group share one underlying draw (:func:`helpers.model.uncertainty.stream_keys`):
    they are one input, ranked once (issue 32: the four spend ratios were three bars of 32 % each for one draw).
    Its row has ``input_id = "group:<name>"``, kind ``factor_group`` and its tornado bounds move every member to the
    same percentile together (they are comonotonic); ``members`` lists the factor ids behind every factor row.
    """
    ok = ~miss
    central_g = np.where(ok, a * np.nan_to_num(value), 0.0)
    # d total / d factor (others central) = sum of the activities using it
    slope_f = np.bincount(findex[ok], weights=a[ok], minlength=len(frows))
    # d total / d multiplier (relative) = sum of the central contributions of the groups using it
    slope_p = np.zeros(pdraws.shape[0])
    for slot in range(3):
        np.add.at(slope_p, combo[combo_index, slot], central_g)
    slope_p = slope_p[1:]
    f_lo, f_hi = np.percentile(fdraws, [2.5, 97.5], axis=1) if len(frows) else (np.zeros(0), np.zeros(0))
    p_lo, p_hi = np.percentile(pdraws[1:], [2.5, 97.5], axis=1) if len(params) else (np.zeros(0), np.zeros(0))
    fval = frows["value"].to_numpy(dtype=float)
    # one input per stream key: a factor alone, or every factor of a correlation group (summed effects)
    keys = frows["key"].astype(str).to_numpy() if "key" in frows else frows["factor_id"].astype(str).to_numpy()
    gid, ukeys = pd.factorize(keys, sort=False)
    n_inputs = len(ukeys)
    used = slope_f != 0
    members = ["; ".join(frows["factor_id"].astype(str).to_numpy()[(gid == g)]) for g in range(n_inputs)]
    n_used = np.bincount(gid, weights=used.astype(float), minlength=n_inputs)
    grouped = np.array([k.startswith("group:") for k in ukeys], dtype=bool) & (n_used > 1)
    first = np.unique(gid, return_index=True)[1]  # the first member of each input (its own row when alone)
    ids = np.where(grouped, np.asarray(ukeys, dtype=object), frows["factor_id"].astype(str).to_numpy()[first])
    g_slope = np.bincount(gid, weights=slope_f, minlength=n_inputs)
    g_lo = np.bincount(gid, weights=slope_f * (f_lo - fval), minlength=n_inputs) if len(frows) else np.zeros(0)
    g_hi = np.bincount(gid, weights=slope_f * (f_hi - fval), minlength=n_inputs) if len(frows) else np.zeros(0)
    g_draws = np.zeros((n_inputs, fdraws.shape[1] if fdraws.ndim == 2 else 0))
    if len(frows):
        np.add.at(g_draws, gid, slope_f[:, None] * fdraws)  # the group's effect on the total, draw by draw
    inputs = pd.concat([
        pd.DataFrame({"input_id": ids, "kind": np.where(grouped, "factor_group", "factor"),
                      "central_input": np.where(grouped, np.nan, fval[first] if len(frows) else np.zeros(0)),
                      "low_total": central_total + g_lo, "high_total": central_total + g_hi, "members": members}),
        pd.DataFrame({"input_id": params["param_id"], "kind": params["kind"], "central_input": 1.0,
                      "low_total": central_total + slope_p * (p_lo - 1.0),
                      "high_total": central_total + slope_p * (p_hi - 1.0), "members": ""}),
    ], ignore_index=True)
    x = np.vstack([g_draws, pdraws[1:]]) if len(params) else g_draws
    rho = _rank_corr(x, total) if x.shape[0] else np.zeros(0)
    affects = np.r_[g_slope != 0, slope_p != 0]
    rho = np.where(affects, rho, 0.0)
    inputs["rank_correlation"] = rho
    r2 = rho ** 2
    inputs["contribution_to_variance"] = r2 / r2.sum() if r2.sum() > 0 else 0.0
    lo = np.minimum(inputs["low_total"], inputs["high_total"])
    hi = np.maximum(inputs["low_total"], inputs["high_total"])
    inputs["low_total"], inputs["high_total"] = lo, hi
    inputs["swing"] = hi - lo
    inputs = inputs[[c for c in inputs.columns if c != "members"] + ["members"]]
    inputs = inputs[affects].sort_values(["contribution_to_variance", "swing"], ascending=False)
    return inputs.reset_index(drop=True)


# --------------------------------------------------------------------------------------------------------------
# Summaries
# --------------------------------------------------------------------------------------------------------------

def interval(draws: np.ndarray, central: float, scale: float = 1.0) -> dict[str, float]:
    """``{value, low, high, mean, median}``: central value and the 95 % interval (2.5th–97.5th percentiles)."""
    p = np.percentile(draws, [2.5, 50, 97.5]) if len(draws) else [np.nan] * 3
    return {"value": central * scale, "low": float(p[0]) * scale, "high": float(p[2]) * scale,
            "mean": float(np.mean(draws)) * scale, "median": float(p[1]) * scale}


def breakdown(result: MonteCarloResult, by: str | list[str], criterion: str = "climate_change",
              scale: float = 1.0) -> pd.DataFrame:
    """Central value, share and 95 % interval of the criterion by ``by`` (e.g. ``"tier"``, ``["tier","phase"]``).

    Returns a DataFrame with the ``by`` columns, ``value, low, high, mean, share`` (values × ``scale``).
    """
    by = [by] if isinstance(by, str) else list(by)
    cells = result.cells
    gid, keys = group_rows(cells, by)
    central = np.bincount(gid, weights=cells[criterion].to_numpy(dtype=float), minlength=len(keys))
    out = keys.copy()
    out["value"] = central * scale
    if criterion in result.draws:
        d = result.draws[criterion]
        sums = np.zeros((len(keys), d.shape[1]))
        np.add.at(sums, gid, d)
        lo, hi = np.percentile(sums, [2.5, 97.5], axis=1)
        out["low"], out["high"], out["mean"] = lo * scale, hi * scale, sums.mean(axis=1) * scale
    total = central.sum()
    out["share"] = central / total if total else np.nan
    return out.sort_values("value", ascending=False).reset_index(drop=True)


def criteria_table(result: MonteCarloResult, units: dict[str, str], n_missing: dict[str, int] | None = None
                   ) -> pd.DataFrame:
    """One row per criterion: central value, 95 % interval, unit, whether items are missing (``criterion, unit,
    value, low, high, missing_items, n_missing``; the published table adds the French name,
    :func:`helpers.report.carbon_labels.criteria_table`)."""
    rows = []
    for c, t in result.totals.items():
        iv = interval(t, result.central[c])
        miss = result.missing[result.missing["criterion"] == c]
        rows.append({"criterion": c, "unit": units.get(c, ""),
                     "value": iv["value"], "low": iv["low"], "high": iv["high"],
                     "missing_items": ", ".join(sorted(set(miss["item"] + ":" + miss["phase"]))),
                     "n_missing": int(len(miss))})
    return pd.DataFrame(rows)


def phase_shares_by_criterion(result: MonteCarloResult) -> pd.DataFrame:
    """Share of each phase in each criterion's central total on the physical scope (where criteria disagree: use vs
    manufacturing). The spend-based line (:data:`SPEND_PHASE`) is not a phase and is left out."""
    crit = [c for c in result.totals if c in result.cells]
    by_phase = result.cells.groupby("phase")[crit].sum().reindex(list(PHASES)).fillna(0.0)
    shares = by_phase / by_phase.sum(axis=0).replace(0, np.nan)
    return shares.T.reset_index().rename(columns={"index": "criterion"})


def missing_criteria(result: MonteCarloResult) -> dict[str, list[str]]:
    """``{criterion: ["item:phase", ...]}`` of the factors missing from the library for the items used."""
    out: dict[str, list[str]] = {}
    for c, grp in result.missing.groupby("criterion"):
        out[str(c)] = sorted(set(grp["item"].astype(str) + ":" + grp["phase"].astype(str)))
    return out


def category_table(lines: pd.DataFrame, inventory: pd.DataFrame, column: str = "climate_change_kgco2e"
                   ) -> pd.DataFrame:
    """Central impact by category (embodied, use and spend-based, tCO2e) with tier and quantity, the largest first
    (``category, tier, embodied_tco2e, use_tco2e, spend_based_tco2e, total_tco2e, quantity, share``; the published
    table adds the French name, :func:`helpers.report.carbon_labels.category_table`).

    ``spend_based_tco2e`` holds the lines converted by a monetary ratio (:data:`SPEND_PHASE`): they are neither
    embodied nor use of a physical object."""
    embodied = lines["phase"].isin(EMBODIED_PHASES).to_numpy()
    spend = (lines["phase"] == SPEND_PHASE).to_numpy()
    df = pd.DataFrame({"category": lines["category"], "tier": lines["tier"],
                       "embodied": np.where(embodied, lines[column], 0.0),
                       "use": np.where(~embodied & ~spend, lines[column], 0.0),
                       "spend_based": np.where(spend, lines[column], 0.0)})
    out = df.groupby(["category", "tier"], as_index=False).sum(min_count=1)
    out["total"] = out["embodied"].fillna(0) + out["use"].fillna(0) + out["spend_based"].fillna(0)
    for col in ("embodied", "use", "spend_based", "total"):
        out[col] = out[col] / 1000.0
    out = out.rename(columns={"embodied": "embodied_tco2e", "use": "use_tco2e", "spend_based": "spend_based_tco2e",
                              "total": "total_tco2e"})
    qty = inventory.groupby("category")["quantity"].sum()
    out["quantity"] = out["category"].map(qty)
    out["share"] = out["total_tco2e"] / out["total_tco2e"].sum()
    return out.sort_values("total_tco2e", ascending=False).reset_index(drop=True)


# --------------------------------------------------------------------------------------------------------------
# Purchases view and reconciliation
# --------------------------------------------------------------------------------------------------------------

#: The steps of the bridge from the annualised balance to the purchases view (:func:`reconcile_views`)
BRIDGE_STEPS: tuple[str, ...] = ("annualised_total", "minus_amortised_embodied", "plus_bought_embodied",
                                 "purchases_view_total")


def _renewal_explanation(fleet_quantity: float, bought_in_year: float, mean_yearly_renewal: float) -> str:
    """Why a category differs between the two views, as a code: ``flow`` (not a fleet: a yearly flow, the same in
    both), ``no_purchase`` (nothing bought in the year), ``above`` / ``below`` (the year's purchases over 1.1 or
    under 0.9 times the mean renewal, fleet ÷ lifetime), ``close`` (in between)."""
    if fleet_quantity == 0:
        return "flow"
    if bought_in_year == 0:
        return "no_purchase"
    ratio = bought_in_year / mean_yearly_renewal if mean_yearly_renewal else np.inf
    return "above" if ratio > 1.1 else "below" if ratio < 0.9 else "close"


def reconcile_views(annualised_lines: pd.DataFrame, purchases_lines: pd.DataFrame, inventory: pd.DataFrame,
                    reference_year: int, column: str = "climate_change_kgco2e"
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Explain the difference between the annualised balance and the purchases-of-the-year view.

    Returns
    -------
    bridge : rows ``step, tco2e`` (steps :data:`BRIDGE_STEPS`) from the annualised total to the purchases view
    by_category : per category, embodied impact amortised (fleet ÷ lifetime) vs embodied impact of the year's
        acquisitions, the quantities behind them and an ``explanation`` code (:func:`_renewal_explanation`; the
        published table words it, :func:`helpers.report.carbon_labels.reconcile_views`)
    """
    emb_a = annualised_lines[annualised_lines["phase"].isin(EMBODIED_PHASES)]
    emb_p = purchases_lines[purchases_lines["phase"].isin(EMBODIED_PHASES)]
    total_a = annualised_lines[column].sum() / 1000.0
    total_p = purchases_lines[column].sum() / 1000.0
    amortised = emb_a[column].sum() / 1000.0
    bought = emb_p[column].sum() / 1000.0
    bridge = pd.DataFrame({"step": list(BRIDGE_STEPS), "tco2e": [total_a, -amortised, bought, total_p]})
    a = emb_a.groupby("category")[column].sum() / 1000.0
    p = emb_p.groupby("category")[column].sum() / 1000.0
    inv = inventory.copy()
    inv["bought"] = np.where(inv["purchase_year"].to_numpy(dtype=float) == reference_year, inv["quantity"], 0)
    inv["renewal"] = inv["quantity"] / inv["lifetime_years"]
    q = inv.groupby("category")[["quantity", "bought", "renewal"]].sum()
    out = pd.DataFrame({"category": sorted(set(a.index) | set(p.index))})
    out["annualised_embodied_tco2e"] = out["category"].map(a).fillna(0.0)
    out["purchases_embodied_tco2e"] = out["category"].map(p).fillna(0.0)
    out["difference_tco2e"] = out["purchases_embodied_tco2e"] - out["annualised_embodied_tco2e"]
    out["fleet_quantity"] = out["category"].map(q["quantity"]).fillna(0).astype(int)
    out["bought_in_year"] = out["category"].map(q["bought"]).fillna(0).astype(int)
    out["mean_yearly_renewal"] = out["category"].map(q["renewal"]).fillna(0.0)
    out["explanation"] = [_renewal_explanation(f, b, r) for f, b, r in zip(
        out["fleet_quantity"], out["bought_in_year"], out["mean_yearly_renewal"])]
    return bridge, out.sort_values("difference_tco2e").reset_index(drop=True)


# --------------------------------------------------------------------------------------------------------------
# Fleet ratios
# --------------------------------------------------------------------------------------------------------------

def fleet_ratios(inventory: pd.DataFrame, agents: int) -> pd.DataFrame:
    """Ratios of the fleet: screens per computer, devices per agent, age, devices past their lifetime
    (``indicator, value, unit``, ``unit`` one of ``units``, ``ratio``, ``share``, ``years``; the published table
    adds the French name, :func:`helpers.report.carbon_labels.fleet_ratios`).

    Computers are laptops, desktops and thin clients; screens are small and large screens; terminals are the
    devices of tier ``terminals``.
    """
    inv = inventory
    q = inv.groupby("category")["quantity"].sum()

    def qty(cats) -> float:
        return float(q.reindex(list(cats)).fillna(0).sum())

    computers = qty(COMPUTER_CATEGORIES)
    screens = qty(SCREEN_CATEGORIES)
    terminals = float(inv.loc[inv["tier"] == "terminals", "quantity"].sum())
    devices = float(inv["quantity"].sum())
    w = inv["quantity"].to_numpy(dtype=float)
    age_ind = fleet_age(inv)
    rows = [
        ("computers", computers, "units"),
        ("screens", screens, "units"),
        ("screens_per_computer", screens / computers if computers else np.nan, "ratio"),
        ("computers_per_agent", computers / agents, "ratio"),
        ("terminals_per_agent", terminals / agents, "ratio"),
        ("devices_per_agent", devices / agents, "ratio"),
        ("phones_per_agent", qty(PHONE_CATEGORIES) / agents, "ratio"),
        ("printers_per_agent", qty(PRINTER_CATEGORIES) / agents, "ratio"),
        ("dated_share", age_ind["dated_share"], "share"),
        ("mean_age_years", age_ind["mean_age_years"], "years"),
        ("share_past_lifetime", age_ind["share_past_lifetime"], "share"),
        ("share_reconditioned", float(w[_as_bool(inv["reconditioned"])].sum() / w.sum()) if w.sum() else np.nan,
         "share"),
    ]
    return pd.DataFrame(rows, columns=["indicator", "value", "unit"])


def fleet_age(inventory: pd.DataFrame) -> dict:
    """Age indicators of the fleet, computed on the dated devices only.

    A device is dated when the inventory gives its purchase date or its age (``age_years`` finite after
    :func:`helpers.io.inventory.read_inventory`). Returns ``dated_share`` (share of the devices, by quantity, that are
    dated), ``mean_age_years`` (quantity-weighted mean age of the dated devices) and ``share_past_lifetime`` (share
    of the dated devices older than their lifetime); the last two are ``NaN`` (``null`` in ``summary.json``) when no
    device is dated, instead of counting undated devices as new.
    """
    w = inventory["quantity"].to_numpy(dtype=float)
    age = inventory["age_years"].to_numpy(dtype=float)
    dated = np.isfinite(age)
    total, dated_q = float(w.sum()), float(w[dated].sum())
    if dated_q <= 0:
        return {"dated_share": 0.0 if total else np.nan, "mean_age_years": np.nan, "share_past_lifetime": np.nan}
    past = dated & (age > inventory["lifetime_years"].to_numpy(dtype=float))
    return {"dated_share": dated_q / total, "mean_age_years": float(np.average(age[dated], weights=w[dated])),
            "share_past_lifetime": float(w[past].sum()) / dated_q}


#: Age bands of :func:`age_profile` (upper bounds 2, 5 and 8 years, then older), and the column of the undated
#: devices
AGE_BANDS: tuple[str, ...] = ("0-2", "3-5", "6-8", "9+")
UNDATED = "undated"


def age_profile(inventory: pd.DataFrame) -> pd.DataFrame:
    """Per category, the largest first: quantity, dated quantity, mean age and share past lifetime of the dated
    devices (``NaN`` when none is dated), lifetime, and quantities by age band (:data:`AGE_BANDS`; the undated
    devices in :data:`UNDATED`, in no band). The published table adds the French names,
    :func:`helpers.report.carbon_labels.age_profile`."""
    inv = inventory.copy()
    dated = np.isfinite(inv["age_years"].to_numpy(dtype=float))
    inv["dated"] = np.where(dated, inv["quantity"], 0)
    inv["w_age"] = np.where(dated, inv["quantity"] * inv["age_years"], 0.0)
    inv["w_life"] = inv["quantity"] * inv["lifetime_years"]
    inv["past"] = np.where(inv["age_years"] > inv["lifetime_years"], inv["quantity"], 0)
    bands = pd.cut(inv["age_years"], [-0.1, 2, 5, 8, np.inf], labels=list(AGE_BANDS))
    inv["band"] = bands.astype(str).where(dated, UNDATED)
    g = inv.groupby("category")
    dated_q = g["dated"].sum().astype(float).replace(0.0, np.nan)
    out = pd.DataFrame({"quantity": g["quantity"].sum(), "dated_quantity": g["dated"].sum(),
                        "mean_age_years": g["w_age"].sum() / dated_q,
                        "mean_lifetime_years": g["w_life"].sum() / g["quantity"].sum(),
                        "share_past_lifetime": g["past"].sum() / dated_q})
    wide = inv.pivot_table(index="category", columns="band", values="quantity", aggfunc="sum", fill_value=0)
    out = out.join(wide).reset_index()
    return out.sort_values("quantity", ascending=False).reset_index(drop=True)


# --------------------------------------------------------------------------------------------------------------
# Reference figures: national footprint (territory layer) and published benchmarks
# --------------------------------------------------------------------------------------------------------------

def territory_footprint(population: int, national: pd.DataFrame, own_total_tco2e: float,
                        actors_total: dict | None = None) -> dict:
    """Digital footprint of the inhabitants, downscaled from the national per-inhabitant figure.

    ``population × 253 kgCO2e ÷ 1000`` (ADEME–Arcep 2022, 2020 scope) goes with the top of the study's national
    range (17.2 MtCO2e; 16.9–17.2): ``high`` is that, ``low`` the same × 16.9/17.2 and the central ``value`` the
    middle of the range (× 17.05/17.2), so the central value is not the upper bound; ``alternative`` uses the
    January 2025 re-estimate that includes uses
    hosted abroad (29.5 MtCO2e for 2022 ÷ the population used there). ``own_share`` is the collectivity's own
    balance divided by the inhabitants' footprint (a scale comparison: the scopes overlap only in part).

    ``actors_total`` (issue 35): the territory's total by actor (``territory.total_tco2e``,
    :func:`helpers.model.territory_actors.total`), which replaces ``value``, ``low`` and ``high`` when given (it
    equals the national ratio above when no local file is provided); ``national_value`` keeps the downscaled figure
    and ``by_actor`` says whether the local files moved the figure away from it. ``basis`` is the scope of the
    national figure (``national_footprint.csv``); values in tCO2e a year (the published form:
    :func:`helpers.report.carbon_labels.territory_footprint`).
    """
    n = national.set_index("id")
    per_inh = float(n.loc["ademe_arcep_2020_per_inhabitant", "value"])
    total = n.loc["ademe_arcep_2020_total"]
    low_ratio = float(total["low"]) / float(total["value"])
    high_ratio = float(total["high"]) / float(total["value"])
    alt = n.loc["ademe_arcep_2022_with_abroad_per_inhabitant"]
    top = population * per_inh / 1000.0 * high_ratio  # 253 kg per inhabitant is 17.2 Mt ÷ the population
    value = top * (low_ratio + high_ratio) / 2.0 / high_ratio
    low, high, national_value = top * low_ratio / high_ratio, top, value
    if actors_total is not None:
        value, low, high = (float(actors_total[k]) for k in ("value", "low", "high"))
    return {
        "value": value, "low": low, "high": high, "national_value": national_value,
        "by_actor": actors_total is not None and abs(value - national_value) > 1e-6 * max(national_value, 1.0),
        "per_inhabitant_kgco2e": per_inh, "basis": str(n.loc["ademe_arcep_2020_per_inhabitant", "scope"]),
        "alternative_value": population * float(alt["value"]) / 1000.0,
        "alternative_per_inhabitant_kgco2e": float(alt["value"]), "alternative_basis": str(alt["scope"]),
        "own_share": own_total_tco2e / value if value else float("nan"),
        "own_share_alternative": own_total_tco2e / (population * float(alt["value"]) / 1000.0),
    }


# --------------------------------------------------------------------------------------------------------------
# Orchestration: the whole balance of a territory
# --------------------------------------------------------------------------------------------------------------

@dataclass
class Balance:
    """Everything the notebook shows about the carbon balance."""

    activities: Activities
    lines: pd.DataFrame
    mc: MonteCarloResult
    purchases_activities: Activities
    purchases_lines: pd.DataFrame
    purchases_mc: MonteCarloResult
    params: pd.DataFrame
    criteria: tuple[str, ...]
    units: dict[str, str]


def compute_balance(inventory: pd.DataFrame, categories: pd.DataFrame, factors: pd.DataFrame,
                    hosting_kinds: pd.DataFrame, reference_year: int, hosting=None, telecom=None, purchases=None,
                    printing=None, criteria: tuple[str, ...] | None = None, n_draws: int = 10_000,
                    seed: int = 20200101, electricity_item: str = DEFAULT_ELECTRICITY_ITEM) -> Balance:
    """The whole balance: activities, per-line central values, Monte Carlo, and the purchases-of-the-year view."""
    criteria = tuple(criteria or vocab.CRITERIA)
    units = dict(vocab.CRITERIA_UNITS)
    views, agg = {}, {}
    args = (inventory, categories, factors, hosting_kinds, reference_year, hosting, telecom, purchases, printing,
            electricity_item)
    for view in ("annualised", "purchases"):
        acts = build_activities(*args, view=view)
        impacts = activity_impacts(acts.table, factors, criteria)
        views[view] = (acts, line_table(acts.table, impacts, units))
        agg[view] = build_activities(*args, view=view, aggregate=True).table
    param_ids = set()
    for table in agg.values():
        for col in ("quantity_param", "lifetime_param", "extra_param"):
            param_ids |= set(table[col].astype(str))
    params = parameter_table(param_ids, categories, hosting_kinds)
    mc = monte_carlo(agg["annualised"], factors, params, criteria, n_draws, seed, keep_cells=("climate_change",))
    pmc = monte_carlo(agg["purchases"], factors, params, ("climate_change",), n_draws, seed, keep_cells=(),
                      sensitivity_criterion=None)
    return Balance(activities=views["annualised"][0], lines=views["annualised"][1], mc=mc,
                   purchases_activities=views["purchases"][0], purchases_lines=views["purchases"][1],
                   purchases_mc=pmc, params=params, criteria=criteria, units=units)


def count_computers(inventory: pd.DataFrame) -> float:
    """Number of workstations: laptops + desktops + thin clients."""
    return float(inventory.loc[inventory["category"].isin(COMPUTER_CATEGORIES), "quantity"].sum())


def headline(balance: Balance, agents: int, population: int, computers: float) -> dict:
    """Headline figures with their 95 % intervals: total (tCO2e), per agent, per inhabitant, per workstation (kg)."""
    t = balance.mc.totals["climate_change"]
    c = balance.mc.central["climate_change"]
    out = {
        "total_tco2e": interval(t, c, 1 / 1000.0),
        "per_agent_kgco2e": interval(t, c, 1 / agents),
        "per_inhabitant_kgco2e": interval(t, c, 1 / population),
        "per_workstation_kgco2e": interval(t, c, 1 / computers) if computers else
        {"value": np.nan, "low": np.nan, "high": np.nan, "mean": np.nan, "median": np.nan},
        "purchases_view_tco2e": interval(balance.purchases_mc.totals["climate_change"],
                                         balance.purchases_mc.central["climate_change"], 1 / 1000.0),
    }
    return out


def quantiles_table(balance: Balance, agents: int, population: int, computers: float) -> pd.DataFrame:
    """Monte Carlo quantiles of every headline figure and breakdown (table ``carbon_mc_quantiles``; the published
    table writes the units in French, :func:`helpers.report.carbon_labels.quantiles_table`)."""
    rows = []

    def add(name, draws, central, unit):
        p = np.percentile(draws, [2.5, 5, 50, 95, 97.5])
        rows.append({"indicator": name, "unit": unit, "central": central, "mean": float(np.mean(draws)),
                     "p2_5": p[0], "p5": p[1], "p50": p[2], "p95": p[3], "p97_5": p[4]})

    mc = balance.mc
    t, c = mc.totals["climate_change"], mc.central["climate_change"]
    add("total", t / 1000, c / 1000, "tCO2e")
    add("per_agent", t / agents, c / agents, "kgCO2e/agent")
    add("per_inhabitant", t / population, c / population, "kgCO2e/inhabitant")
    if computers:
        add("per_workstation", t / computers, c / computers, "kgCO2e/workstation")
    add("purchases_view", balance.purchases_mc.totals["climate_change"] / 1000,
        balance.purchases_mc.central["climate_change"] / 1000, "tCO2e")
    d = mc.draws["climate_change"]
    for by in ("phase", "tier", "entity"):
        gid, keys = group_rows(mc.cells, [by])
        sums = np.zeros((len(keys), d.shape[1]))
        np.add.at(sums, gid, d)
        cent = np.bincount(gid, weights=mc.cells["climate_change"].to_numpy(), minlength=len(keys))
        for i, k in enumerate(keys[by]):
            add(f"{by}:{k}", sums[i] / 1000, cent[i] / 1000, "tCO2e")
    for crit in mc.totals:
        if crit != "climate_change":
            add(f"criterion:{crit}", mc.totals[crit], mc.central[crit], balance.units.get(crit, ""))
    return pd.DataFrame(rows)


def sensitivity_ranking(mc: MonteCarloResult, scale: float = 1 / 1000.0) -> pd.DataFrame:
    """The sensitivity ranking of the Monte Carlo (:func:`monte_carlo`) with its totals × ``scale`` (tCO2e by
    default); the published table adds the French name of each input
    (:func:`helpers.report.carbon_labels.sensitivity_table`)."""
    s = mc.sensitivity.copy()
    if s.empty:
        return s
    for col in ("low_total", "high_total", "swing"):
        s[col] = s[col] * scale
    return s


#: The scopes of the climate balance (issue 32): ``physical`` (devices' manufacturing, distribution and end of life,
#: energy, hosting, networks, paper), ``equipment`` (the physical scope without paper: the scope of the published
#: "manufacturing / use" balances), ``spend_based`` (purchases converted by a monetary ratio) and ``total``
#: (physical + spend-based, the trajectory's base). The headline of the diagnostic is the physical scope.
SCOPES: tuple[str, ...] = ("physical", "equipment", "spend_based", "total")
HEADLINE_SCOPE = "physical"

def scope_masks(cells: pd.DataFrame) -> dict[str, np.ndarray]:
    """Boolean mask of the cells of each scope of :data:`SCOPES` (and ``paper``), from the cells' phase and tier."""
    spend = (cells["phase"].astype(str) == SPEND_PHASE).to_numpy()
    paper = (cells["tier"].astype(str) == "paper").to_numpy()
    return {"physical": ~spend, "equipment": ~spend & ~paper, "spend_based": spend, "paper": paper & ~spend,
            "total": np.ones(len(cells), dtype=bool)}


def masked_interval(mc: MonteCarloResult, mask: np.ndarray, scale: float = 1 / 1000.0) -> dict[str, float]:
    """Central value and 95 % interval of the climate cells selected by ``mask`` (same draws as the total)."""
    d = mc.draws["climate_change"]
    c = mc.cells["climate_change"].to_numpy(dtype=float)
    return _ivl(interval(d[mask].sum(axis=0), float(c[mask].sum()), scale))


def scope_split(mc: MonteCarloResult, scale: float = 1 / 1000.0) -> dict[str, dict[str, float]]:
    """Physical scope and spend-based scope of the climate balance, each with its 95 % interval.

    - ``physical``: equipment manufacturing, distribution and end of life, use energy, hosting, networks, paper
      (every cell whose phase is a life-cycle phase);
    - ``spend_based``: the lines converted by a monetary ratio (:data:`SPEND_PHASE`: purchased IT services,
      software, cloud and telecom spend);
    - ``total`` = physical + spend-based, draw by draw (same draws as the total of the balance);
    - ``equipment``: the physical scope without paper (devices, their energy, hosting, networks), the scope of the
      published "manufacturing / use" balances.

    The two parts are summed from the same per-cell draws, so ``physical + spend_based = total`` in every draw.
    """
    masks = scope_masks(mc.cells)
    return {name: masked_interval(mc, masks[name], scale) for name in ("physical", "spend_based", "equipment", "total")}


def per_scope(mc: MonteCarloResult, divisor: float) -> dict[str, dict[str, float]]:
    """Each scope of :data:`SCOPES` divided by ``divisor`` (agents, workstations), in kgCO2e, with its interval;
    NaN when ``divisor`` is 0."""
    masks = scope_masks(mc.cells)
    if not divisor:
        return {s: {"value": np.nan, "low": np.nan, "high": np.nan} for s in SCOPES}
    return {s: masked_interval(mc, masks[s], 1.0 / divisor) for s in SCOPES}


def equipment_phase_breakdown(mc: MonteCarloResult, scale: float = 1 / 1000.0) -> pd.DataFrame:
    """The equipment scope by life-cycle phase (tCO2e, 95 % interval) with each phase's share of that scope, the
    base of :func:`equipment_manufacturing_share`; then paper and the spend-based line as their own rows, outside
    the shares (``share`` NaN), so the table adds up to the total and shows one manufacturing share (issue 32).
    Columns ``phase, scope, value, low, high, share`` (the published table adds the French name of each row,
    :func:`helpers.report.carbon_labels.equipment_phase_breakdown`)."""
    cells = mc.cells
    masks = scope_masks(cells)
    phase = cells["phase"].astype(str).to_numpy()
    rows = []
    equipment_central = float(cells["climate_change"].to_numpy(dtype=float)[masks["equipment"]].sum())
    for p in PHASES:
        m = masks["equipment"] & (phase == p)
        if m.any():
            iv = masked_interval(mc, m, scale)
            rows.append({"phase": p, "scope": "equipment", **iv,
                         "share": iv["value"] / (equipment_central * scale) if equipment_central else np.nan})
    for name in ("paper", "spend_based"):
        if masks[name].any():
            rows.append({"phase": "paper" if name == "paper" else SPEND_PHASE, "scope": name,
                         **masked_interval(mc, masks[name], scale), "share": np.nan})
    return pd.DataFrame(rows, columns=["phase", "scope", "value", "low", "high", "share"])


def tier_breakdown_with_spend(mc: MonteCarloResult, scale: float = 1 / 1000.0) -> pd.DataFrame:
    """The physical scope by tier (terminals, networks, data centres, paper) and every spend-based cell as one line
    (tier :data:`SPEND_PHASE`, whatever tier its spend category belongs to), so the purchases have one value on the
    page (issue 32). Columns ``tier, value, low, high, share`` (share of the total), largest first; the published
    table adds the French name of each tier (:func:`helpers.report.carbon_labels.tier_breakdown_with_spend`)."""
    cells = mc.cells
    masks = scope_masks(cells)
    tier = cells["tier"].astype(str).to_numpy()
    c = cells["climate_change"].to_numpy(dtype=float)
    total = float(c.sum())
    rows = []
    for t in pd.unique(tier[masks["physical"]]):
        m = masks["physical"] & (tier == t)
        rows.append({"tier": str(t), **masked_interval(mc, m, scale)})
    if masks["spend_based"].any():
        rows.append({"tier": SPEND_PHASE, **masked_interval(mc, masks["spend_based"], scale)})
    out = pd.DataFrame(rows, columns=["tier", "value", "low", "high"])
    out["share"] = out["value"] / (total * scale) if total else np.nan
    return out.sort_values("value", ascending=False, kind="stable").reset_index(drop=True)


def equipment_manufacturing_share(mc: MonteCarloResult) -> float | None:
    """Share of equipment manufacturing in the physical scope without paper (central values).

    ``manufacturing of terminals, networks and data-centre gear ÷ (physical scope − paper)``: the scope of the
    published "manufacturing / use" splits (ADEME–Arcep 2022: 78 % manufacturing; La Rochelle 2020: 54 %), which
    count devices and their energy and networks, not paper nor purchases converted by a monetary ratio. Paper is a
    consumable, not equipment; the spend-based line is not a life-cycle phase (:func:`scope_split`).
    """
    cells = mc.cells
    v = cells["climate_change"].to_numpy(dtype=float)
    phase = cells["phase"].astype(str).to_numpy()
    tier = cells["tier"].astype(str).to_numpy()
    equipment = np.isin(tier, EQUIPMENT_TIERS) & (phase != SPEND_PHASE)
    denominator = float(v[equipment].sum())
    if denominator <= 0:
        return None
    return float(v[equipment & (phase == "manufacturing")].sum()) / denominator


def _year_of(text: str) -> int | None:
    """The last four-digit year (19xx or 20xx) written in ``text``, or None."""
    import re

    years = re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", str(text))
    return int(years[-1]) if years else None


def spend_ratios(activities: pd.DataFrame, factors: pd.DataFrame) -> list[dict]:
    """The monetary ratio of each spend category the balance converts (issue 32), for ``summary.json``
    (``carbon.spend_based_ratios``) and the page: ``category`` (the ``purchases.csv`` category), ``item``,
    ``label_fr``, ``kgco2e_per_eur`` with ``low``/``high``, ``source``, ``year`` (of the ratio, from its vintage),
    ``vintage``, ``status``, ``amount_eur`` (spend converted, purchases and hosting spend of the reference year) and
    ``tco2e`` (central). Ordered by tonnes, largest first."""
    from helpers.io.carbon_inputs import PURCHASE_CATEGORIES

    category_of = {item: (cat, label) for cat, (item, _tier, label) in PURCHASE_CATEGORIES.items()}
    acts = activities[is_spend_item(activities["item"])]
    f = factors[(factors["criterion"] == "climate_change")].set_index(["item", "phase"])
    rows = []
    for item, grp in acts.groupby("item", sort=True):
        phase = str(grp["factor_phase"].iat[0])
        amount = float(grp["activity"].sum())
        cat, label = category_of.get(str(item), (str(item), str(item)))
        if (item, phase) not in f.index:
            rows.append({"category": cat, "item": str(item), "label_fr": label, "kgco2e_per_eur": None, "low": None,
                         "high": None, "source": "", "year": None, "vintage": "", "status": "missing",
                         "amount_eur": amount, "tco2e": None})
            continue
        r = f.loc[(item, phase)]
        rows.append({"category": cat, "item": str(item), "label_fr": label, "kgco2e_per_eur": float(r["value"]),
                     "low": float(r["low"]), "high": float(r["high"]), "source": str(r["source"]),
                     "year": _year_of(r["vintage"]), "vintage": str(r["vintage"]), "status": str(r["status"]),
                     "amount_eur": amount, "tco2e": amount * float(r["value"]) / 1000.0})
    return sorted(rows, key=lambda r: -(r["tco2e"] or 0.0))


def spend_based_sensitivity(ratios: list[dict], previous_ratios: Mapping[str, float] = PREVIOUS_SPEND_RATIOS,
                            source: str = PREVIOUS_SPEND_SOURCE, year: int = PREVIOUS_SPEND_YEAR) -> dict | None:
    """The spend-based line at the previous ratios (kgCO2e/EUR by item; default
    :data:`helpers.io.carbon_reference.PREVIOUS_SPEND_RATIOS`, ADEME 1990 basis) instead of the current ones:
    ``{tco2e, current_tco2e, delta_tco2e, kgco2e_per_eur, source, year}`` (the line is linear in each ratio, same
    spends; ``source`` and ``year`` are those of the previous ratios); None without spend."""
    rows = [r for r in ratios if r["tco2e"] is not None and r["item"] in previous_ratios]
    if not rows:
        return None
    old = sum(r["amount_eur"] * previous_ratios[r["item"]] for r in rows) / 1000.0
    cur = sum(r["tco2e"] for r in rows)
    return {"tco2e": old, "current_tco2e": cur, "delta_tco2e": old - cur,
            "kgco2e_per_eur": {r["category"]: previous_ratios[r["item"]] for r in rows},
            "source": source, "year": year}


#: The study's scope set against a published reference when the library gives none (``compared_scope`` of
#: ``published_benchmarks.csv``): per person or workstation and totals on the physical or equipment scope (no
#: published per-person benchmark converts purchases by a monetary ratio), shares on their own base.
DEFAULT_COMPARED_SCOPE: dict[str, str] = {
    "kgco2e_per_employee_year": "physical", "kgco2e_per_user_year": "physical", "kgco2e_per_agent_year": "physical",
    "kgco2e_per_workstation_year": "equipment", "tco2e_per_year": "equipment", "manufacturing_share": "equipment",
    "services_share": "total", "terminals_share": "total",
}
PER_AGENT_UNITS = ("kgco2e_per_employee_year", "kgco2e_per_user_year", "kgco2e_per_agent_year")
#: Columns of :func:`benchmark_rows`; ``case`` says which figure of the study stands beside the reference
#: (:func:`_benchmark_case`)
BENCHMARK_ROW_COLUMNS = ["id", "reference", "reference_value", "unit", "compared_scope", "reference_scope",
                         "our_value", "our_low", "our_high", "ratio", "case", "source", "year"]


def _url(text: str) -> str:
    """The first web address written in ``text`` (without trailing punctuation), or ``""``."""
    import re

    m = re.search(r"https?://[^\s;,)\u00bb]+", str(text))  # ends at a closing French quote too
    return m.group(0).rstrip(".") if m else ""


def _cell(value) -> str:
    """A cell of the library as text: blank for NaN or None."""
    return "" if value is None or value != value else str(value).strip()


def _year(value) -> int | None:
    """A year cell of the library: None when blank."""
    return None if value in ("", None) or value != value else int(float(value))


def _references(benchmarks: pd.DataFrame, slug: str):
    """The references of the library that apply to the study (``applies_to`` = ``slug`` or ``all``) in a unit it
    can compare (:data:`DEFAULT_COMPARED_SCOPE`), as named tuples."""
    for r in benchmarks.itertuples(index=False):
        if r.applies_to in ("all", slug) and r.unit in DEFAULT_COMPARED_SCOPE:
            yield r


def _benchmark_case(r, scope: str, data: dict) -> tuple[str, dict, str]:
    """``(case, the study's figure {value, low, high}, the scope compared)`` for reference ``r`` compared on
    ``scope``, from the carbon summary ``data``: the manufacturing share on its base (equipment), the services share
    as the spend-based line ÷ total, the user-equipment share as the terminals ÷ total (``by_tier_with_spend``), per
    agent or per workstation on ``scope``, tonnes on ``scope`` (``other_total`` for another collectivity's total,
    ``own_total`` for the collectivity's own). A summary without the figures of that scope compares nothing (NaN)."""
    nan = float("nan")
    empty = {"value": nan, "low": nan, "high": nan}
    total = (data.get("total_tco2e") or {}).get("value", nan)
    if r.unit == "manufacturing_share":
        share = data.get("equipment_manufacturing_share", data.get("manufacturing_share"))  # older summaries
        return "manufacturing_share", {"value": nan if share is None else share, "low": nan, "high": nan}, "equipment"
    if r.unit in ("services_share", "terminals_share"):
        part = ((data.get("spend_based_tco2e") or {}).get("value", 0.0) if r.unit == "services_share" else
                ((data.get("by_tier_with_spend") or {}).get("terminals") or {}).get("value", nan))
        return r.unit, {"value": part / total if total else nan, "low": nan, "high": nan}, "total"
    if r.unit in PER_AGENT_UNITS:
        per_agent = data.get("per_agent_by_scope_kgco2e") or {"total": data.get("per_agent_kgco2e")}
        return "per_agent", per_agent.get(scope) or empty, scope
    if r.unit == "kgco2e_per_workstation_year":
        per_ws = data.get("per_workstation_by_scope_kgco2e") or {"total": data.get("per_workstation_kgco2e")}
        return "per_workstation", per_ws.get(scope) or empty, scope
    tonnes = {"physical": data.get("physical_tco2e"), "equipment": data.get("equipment_scope_tco2e"),
              "spend_based": data.get("spend_based_tco2e"), "total": data.get("total_tco2e")}
    return ("other_total" if r.applies_to == "all" else "own_total"), tonnes.get(scope) or empty, scope


def benchmark_rows(benchmarks: pd.DataFrame, slug: str, data: dict) -> pd.DataFrame:
    """The study beside each published reference of the library (``applies_to`` = ``slug`` or ``all``), on the
    reference's own scope (issue 32): the scope named by ``compared_scope`` (:data:`DEFAULT_COMPARED_SCOPE` when
    blank), the study's figure on it from the carbon summary ``data`` (:func:`_benchmark_case`). The total with
    purchases is never set against a reference that has none. Nothing is tuned to match a reference.

    Only the references of the study's perimeter (issue 36): a reference whose ``perimeter_schools`` differs from
    ``data["perimeter"]["schools"]`` is left out (:func:`benchmark_set_aside` lists it). The total of another
    collectivity (``tco2e_per_year`` for ``all``) is an order of magnitude: shown beside the study's tonnes on the
    same scope, without a ratio (the sizes differ).

    Columns :data:`BENCHMARK_ROW_COLUMNS`; ``source`` is the reference's web address when it has one. The published
    table adds each row's scope and reason in French (:func:`helpers.report.carbon_labels.benchmark_comparison`).
    """
    nan = float("nan")
    ours_schools = (data.get("perimeter") or {}).get("schools")
    rows = []
    for r in _references(benchmarks, slug):
        if not perimeter_matches(_cell(getattr(r, "perimeter_schools", "")), ours_schools):
            continue
        scope = str(getattr(r, "compared_scope", "") or "") or DEFAULT_COMPARED_SCOPE[r.unit]
        case, ours, scope = _benchmark_case(r, scope, data)
        ref = float(r.value)
        rows.append({"id": getattr(r, "id", r.label_fr), "reference": r.label_fr, "reference_value": ref,
                     "unit": r.unit, "compared_scope": scope, "reference_scope": r.scope, "our_value": ours["value"],
                     "our_low": ours.get("low", nan), "our_high": ours.get("high", nan),
                     "ratio": ours["value"] / ref if ref and case != "other_total" else nan, "case": case,
                     "source": _url(r.source) or str(r.source), "year": _year(getattr(r, "year", ""))})
    return pd.DataFrame(rows, columns=BENCHMARK_ROW_COLUMNS)


#: Columns of :func:`benchmark_set_aside` (the published table adds ``reason_fr`` after ``perimeter_schools``)
SET_ASIDE_ROW_COLUMNS = ["id", "reference", "reference_value", "unit", "reference_scope", "perimeter_schools",
                         "source", "year"]


def benchmark_set_aside(benchmarks: pd.DataFrame, slug: str, data: dict) -> pd.DataFrame:
    """The references of the library left out of :func:`benchmark_rows` because their perimeter differs from the
    study's (issue 36), each with its perimeter, source and year: what a reader needs to know was not compared
    (the reason in French: :func:`helpers.report.carbon_labels.benchmark_set_aside`). Columns
    :data:`SET_ASIDE_ROW_COLUMNS`; empty when every reference matches or the study's perimeter is unknown."""
    ours = (data.get("perimeter") or {}).get("schools")
    rows = []
    for r in _references(benchmarks, slug):
        theirs = _cell(getattr(r, "perimeter_schools", ""))
        if perimeter_matches(theirs, ours):
            continue
        rows.append({"id": r.id, "reference": r.label_fr, "reference_value": float(r.value), "unit": r.unit,
                     "reference_scope": r.scope, "perimeter_schools": theirs,
                     "source": _url(r.source) or str(r.source), "year": _year(getattr(r, "year", ""))})
    return pd.DataFrame(rows, columns=SET_ASIDE_ROW_COLUMNS)


def _published_line(line: str, published: float | None, study: dict, unit: str = "tco2e_per_year", **facts) -> dict:
    """One line of :func:`published_lines`: ``difference`` = study − published (None without a published figure or
    a study value); ``facts`` holds what the reason of the difference is worded from."""
    nan = float("nan")
    diff = None if published is None or study["value"] != study["value"] else study["value"] - published
    return {"line": line, "unit": unit, "published": published, "study": study["value"],
            "study_low": study.get("low", nan), "study_high": study.get("high", nan), "difference": diff,
            "facts": facts}


def _published_phase_lines(mc: MonteCarloResult, in_scope: np.ndarray, published_tco2e: float, split: dict,
                           data: dict) -> list[dict]:
    """The ``manufacturing`` and ``use`` lines of :func:`published_lines` (when the publication splits them) and
    ``distribution_end_of_life`` (which it never splits). The use line's facts: the study's electricity of devices
    and rooms and its networks (tCO2e), the French-grid kWh (``data["electricity_factor"]``), the gap to the
    published use and, when the study is below it, the electricity factor that would close the gap alone."""
    phase = mc.cells["phase"].astype(str).to_numpy()
    tier = mc.cells["tier"].astype(str).to_numpy()
    use_mask = in_scope & (phase == "use")
    rows = []
    if "manufacturing" in split:
        rows.append(_published_line("manufacturing", published_tco2e * split["manufacturing"],
                                    masked_interval(mc, in_scope & (phase == "manufacturing"))))
    if "use" in split:
        pub = published_tco2e * split["use"]
        use = masked_interval(mc, use_mask)
        kwh = float((data.get("electricity_factor") or {}).get("kwh_per_year") or 0.0)
        electricity_tco2e = masked_interval(mc, use_mask & (tier != "networks"))["value"]
        gap_tco2e = pub - use["value"]
        rows.append(_published_line(
            "use", pub, use, electricity_tco2e=electricity_tco2e,
            networks_tco2e=masked_interval(mc, use_mask & (tier == "networks"))["value"], kwh_per_year=kwh,
            gap_tco2e=gap_tco2e, needed_kgco2e_per_kwh=(electricity_tco2e * 1000.0 + gap_tco2e * 1000.0) / kwh
            if gap_tco2e > 0 and kwh > 0 else None))
    if split:
        rows.append(_published_line("distribution_end_of_life", None,
                                    masked_interval(mc, in_scope & np.isin(phase, ["distribution", "end_of_life"]))))
    return rows


def published_lines(published: dict, mc: MonteCarloResult, data: dict, computers: float) -> list[dict]:
    """The collectivity's own published balance (``territory.yaml: published_footprint``) beside the study on the
    comparable scope, line by line (issue 32), with the facts each line's reason is worded from
    (:func:`helpers.report.carbon_labels.published_comparison`). Explained, never tuned: nothing here changes an
    input.

    Lines (``line``): ``manufacturing`` and ``use`` (when the split is published), ``distribution_end_of_life``
    (not split in the published figures), ``total`` (the comparable scope), ``manufacturing_share``,
    ``per_workstation`` (when a number of workstations is published), ``outside_scope`` (the study's lines outside
    the published scope) and ``study_total``. Each row: ``line, unit, published, study, study_low, study_high,
    difference, facts``; ``unit`` one of ``tco2e_per_year``, ``share``, ``kgco2e_per_workstation_year``;
    ``published`` None where the publication gives no figure.
    """
    nan = float("nan")
    masks = scope_masks(mc.cells)
    scope = published.get("comparable_scope") or "equipment"
    in_scope = masks[scope]
    value = float(published["value_tco2e"])
    split = published.get("split") or {}
    rows = _published_phase_lines(mc, in_scope, value, split, data)
    rows.append(_published_line("total", value, masked_interval(mc, in_scope), scope=scope))
    share = data.get("equipment_manufacturing_share")
    if "manufacturing" in split and share is not None:
        rows.append(_published_line("manufacturing_share", split["manufacturing"],
                                    {"value": share, "low": nan, "high": nan}, unit="share"))
    ws = published.get("workstations")
    if ws:
        rows.append(_published_line(
            "per_workstation", 1000.0 * value / ws, masked_interval(mc, in_scope, 1.0 / computers) if computers else
            {"value": nan, "low": nan, "high": nan}, unit="kgco2e_per_workstation_year", workstations=ws,
            computers=computers))
    out_mask = ~in_scope
    if out_mask.any():
        rows.append(_published_line("outside_scope", None, masked_interval(mc, out_mask),
                                    paper_tco2e=masked_interval(mc, out_mask & masks["paper"])["value"],
                                    spend_based_tco2e=masked_interval(mc, out_mask & masks["spend_based"])["value"]))
    if scope == "total":
        return rows
    study_total = masked_interval(mc, masks["total"])
    close = abs(study_total["value"] - value) <= 0.1 * value
    rows.append(_published_line("study_total", value, study_total, coincidence=bool(close and out_mask.any())))
    return rows


def _breakdown_summary(mc: MonteCarloResult) -> dict:
    """``by_phase`` (physical scope: the spend-based line is not a phase), ``by_tier`` and ``by_entity`` in tCO2e,
    each with its ``*_interval`` twin (``{value, low, high}``)."""
    out = {}
    for by in ("phase", "tier", "entity"):
        df = breakdown(mc, by, scale=1 / 1000.0)
        if by == "phase":
            df = df[df["phase"] != SPEND_PHASE].reset_index(drop=True)
        out[f"by_{by}"] = {str(k): float(v) for k, v in zip(df[by], df["value"])}
        out[f"by_{by}_interval"] = {str(r[by]): {"value": r["value"], "low": r["low"], "high": r["high"]}
                                    for _, r in df.iterrows()}
    return out


def _criteria_summary(mc: MonteCarloResult, units: dict[str, str]) -> dict:
    """Each criterion's central value and 95 % interval, its unit and whether a factor is missing (``partial``)."""
    crit = {}
    for c in mc.totals:
        iv = interval(mc.totals[c], mc.central[c])
        crit[c] = {"value": iv["value"], "low": iv["low"], "high": iv["high"], "unit": units.get(c, ""),
                   "partial": bool((mc.missing["criterion"] == c).any())}
    return crit


def _scope_summary(mc: MonteCarloResult, agents: float, computers: float, population: float) -> dict:
    """Issue 32: the headline is the physical scope; per agent / workstation / inhabitant on every scope (each
    reference is compared on its own); the phases of the equipment scope (the base of the manufacturing share); the
    tiers with the purchases as one line."""
    scopes = scope_split(mc)
    return {
        "physical_tco2e": scopes["physical"], "spend_based_tco2e": scopes["spend_based"],
        "equipment_scope_tco2e": scopes["equipment"],
        "headline_scope": HEADLINE_SCOPE,
        "manufacturing_share_base": "equipment",
        "per_agent_by_scope_kgco2e": per_scope(mc, agents),
        "per_workstation_by_scope_kgco2e": per_scope(mc, computers),
        "per_inhabitant_by_scope_kgco2e": per_scope(mc, population),
        "by_phase_equipment": {r["phase"]: {k: r[k] for k in ("value", "low", "high", "share")}
                               for r in equipment_phase_breakdown(mc).to_dict("records") if r["scope"] == "equipment"},
        "by_tier_with_spend": {r["tier"]: {k: r[k] for k in ("value", "low", "high", "share")}
                               for r in tier_breakdown_with_spend(mc).to_dict("records")},
    }


def summary(balance: Balance, territory, computers: float, national: pd.DataFrame,
            actors_total: dict | None = None) -> tuple[dict, dict]:
    """``(data, top_level)``: the numbers of ``summary_carbon.json`` (the run layer adds the French fields,
    :func:`helpers.report.carbon_labels.summary_texts`). ``territory``: ``agents`` and ``population``; ``national``:
    ``national_footprint.csv``; ``actors_total``: the territory's total by actor (:func:`territory_footprint`).
    ``top_level["territory_footprint_tco2e"]`` holds the figures of :func:`territory_footprint` the summary
    publishes, with ``by_actor``."""
    mc = balance.mc
    head = headline(balance, territory.agents, territory.population, computers)
    equipment_share = equipment_manufacturing_share(mc)
    total = head["total_tco2e"]
    terr = territory_footprint(territory.population, national, total["value"], actors_total)
    data = {
        "total_tco2e": _ivl(total),
        **_breakdown_summary(mc),
        "per_agent_kgco2e": _ivl(head["per_agent_kgco2e"]),
        "per_inhabitant_kgco2e": _ivl(head["per_inhabitant_kgco2e"]),
        "per_workstation_kgco2e": _ivl(head["per_workstation_kgco2e"]),
        "purchases_view_tco2e": _ivl(head["purchases_view_tco2e"]),
        "equipment_manufacturing_share": equipment_share,
        "manufacturing_share": equipment_share,
        "criteria": _criteria_summary(mc, balance.units),
        "missing_criteria": missing_criteria(mc),
        "computers": computers,
        "n_draws": mc.n_draws, "seed": mc.seed,
        "territory_footprint_tco2e": {k: terr[k] for k in ("value", "low", "high")},
        "own_share_of_territory_footprint": terr["own_share"],
        **_scope_summary(mc, territory.agents, computers, territory.population),
    }
    top = {"territory_footprint_tco2e": {k: terr[k] for k in ("value", "low", "high", "basis", "by_actor",
                                                              "alternative_value", "alternative_basis")}}
    return data, top


def _ivl(d: dict) -> dict:
    return {"value": d["value"], "low": d["low"], "high": d["high"]}


# --------------------------------------------------------------------------------------------------------------
# Sensitivities
# --------------------------------------------------------------------------------------------------------------

def household_lifetime_sensitivity(inventory: pd.DataFrame, categories: pd.DataFrame, factors: pd.DataFrame,
                                   balance_total_tco2e: float | None = None) -> dict | None:
    """The balance if the fleet's devices lived as long as a household keeps them (ADEME's consumer profile,
    ``household_lifetime_years`` of ``categories.csv``) instead of the professional default: a sensitivity (issue
    29). Only lines whose lifetime is the category default change (a lifetime the inventory gives is kept):

    ``delta = Σ q × (s × F_manufacturing + F_distribution + F_end_of_life) × (1/h − 1/L)`` (kgCO2e/year) with ``s``
    the reconditioned embodied share (1 for new devices), ``h`` the household lifetime and ``L`` the line's
    lifetime; climate change factors at their central value (the balance is linear in each). Returns ``{delta_tco2e,
    total_tco2e, categories: {category: [professional, household]}}`` (``total_tco2e``: ``balance_total_tco2e`` +
    delta) or None when no category of the inventory has a household profile of its own. The published form adds the
    basis in French (:func:`helpers.report.carbon_labels.lifetime_profile`).
    """
    if "household_lifetime_years" not in categories or "lifetime_origin" not in inventory:
        return None
    cats = categories.set_index("category")
    household = cats["household_lifetime_years"].astype(float)
    inv = inventory[inventory["category"].isin(household.dropna().index)
                    & inventory["lifetime_origin"].eq("category_default")]
    if inv.empty:
        return None
    f = factors[factors["criterion"].eq("climate_change")].set_index(["item", "phase"])["value"].astype(float)

    def factor(items, phase):
        return np.array([float(f.get((i, phase), 0.0)) for i in items])

    items = inv["category"].map(cats["factor_item"]).to_numpy()
    recond = _as_bool(inv["reconditioned"]) if "reconditioned" in inv else np.zeros(len(inv), dtype=bool)
    share = np.where(recond, inv["category"].map(cats["reconditioned_embodied_share"]).to_numpy(dtype=float), 1.0)
    per_unit = (share * factor(items, "manufacturing") + factor(items, "distribution")
                + factor(items, "end_of_life"))
    life = inv["lifetime_years"].to_numpy(dtype=float)
    h = inv["category"].map(household).to_numpy(dtype=float)
    delta = float((inv["quantity"].to_numpy(dtype=float) * per_unit * (1.0 / h - 1.0 / life)).sum()) / 1000.0
    used = sorted(set(inv["category"]))
    return {"delta_tco2e": delta,
            "total_tco2e": None if balance_total_tco2e is None else float(balance_total_tco2e) + delta,
            "categories": {c: [float(cats.loc[c, "default_lifetime_years"]), float(household[c])] for c in used}}


def factor_alternatives(activities: pd.DataFrame, factors: pd.DataFrame,
                        alternatives=FACTOR_ALTERNATIVES) -> pd.DataFrame:
    """Sensitivity cases: the change of the climate balance (tCO2e/year) if one factor took an alternative value the
    library cites outside its interval (manufacturer declarations for screens, the NegaOctet server).

    ``delta = Σ activity of the rows using the factor × (alternative − value)`` (the balance is linear in each
    factor). Only factors the balance uses are listed. Columns ``factor_id, label_fr, value, alternative,
    delta_tco2e, source``.
    """
    f = factors.set_index("factor_id")
    rows = []
    for fid, alt, relative, label, source in alternatives:
        if fid not in f.index:
            continue
        item, phase, _ = fid.split(":")
        a = float(activities.loc[(activities["item"] == item) & (activities["factor_phase"] == phase),
                                 "activity"].sum())
        if a <= 0:
            continue
        v = float(f.loc[fid, "value"])
        new = v * alt if relative else alt
        rows.append({"factor_id": fid, "label_fr": label, "value": v, "alternative": new,
                     "delta_tco2e": a * (new - v) / 1000.0, "source": source})
    return pd.DataFrame(rows, columns=["factor_id", "label_fr", "value", "alternative", "delta_tco2e", "source"])


def grid_kwh(activities: pd.DataFrame, electricity_item: str = DEFAULT_ELECTRICITY_ITEM) -> float:
    """The electricity of the balance's activity rows on the grid ``electricity_item`` (kWh/year, PUE overhead
    included): what a change of that grid's factor multiplies (the balance is linear in it)."""
    return float(activities.loc[(activities["item"] == electricity_item) & (activities["factor_phase"] == "use"),
                                "activity"].sum())
