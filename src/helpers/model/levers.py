"""Reduction levers: pure transforms of a territory's inputs, so the carbon and services models rerun on them.

A lever never computes a gain itself. It returns modified copies of the inputs (inventory, hosting, telecom,
purchases, printing, services); :mod:`helpers.plan.actions` reruns the carbon balance (:mod:`helpers.model.carbon`) and the
services LCA (:mod:`helpers.model.services`) on them with the same seed, and the gain is the paired difference.

Every lever is *steady state* in the annualised view of the balance: e.g. a lifetime extension divides the yearly
share of the manufacturing impact by the new lifetime, which is what the fleet reaches once it has been renewed under
the new rule (the embodied rows of ``helpers.model.carbon.build_activities``: quantity × E ÷ lifetime). The time it takes to get there is the ramp of the
roadmap (:mod:`helpers.model.trajectory`).

Levers (``LEVERS``: each one object with its parameter, targets, perimeters and transform; the catalogue
``data/raw/reference/actions_catalogue.csv`` binds each action to one; their French names are
``helpers.report.levers``, the units of their parameter ``helpers.io.lever_units``):

==========================  ==========================================================  ===================
lever                       what changes                                                perimeter
==========================  ==========================================================  ===================
``lifetime_extension``      ``lifetime_years`` + N of the target categories             balance
``reconditioned_share``     share of the target categories bought reconditioned         balance
``fleet_reduction``         quantity of the target categories × (1 − x)                 balance
``screens_per_workstation`` screens scaled down to a target ratio per computer          balance
``power_management``        ``yearly_kwh`` of the target categories × (1 − x)           balance
``printing_reduction``      reams of paper × (1 − x)                                    balance
``hosting_consolidation``   PUE of the sites capped at a target; optional site merge    balance
``software_spend``          spend of the target purchase categories × (1 − x)           balance
``supplier_intensity``      carbon intensity of the target purchases × (1 − x)          balance
``mobile_to_fixed``         share x of mobile data moved to fixed/Wi-Fi                 balance + services
``storage_purge``           stored volume of storage services × (1 − x)                 services
``visio_audio_only``        share x of the video hours of visio switched to audio       services
``page_weight``             page weight of websites and portals × (1 − x)               services
``lazy_loading``            share of the page loaded × (1 − x)                          services
``video_quality``           video quality capped (target ``sd``)                        services
``fleet_stabilisation``     no growth of the fleet (acts on the trajectory only)        trajectory
``none``                    no carbon gain (inclusion, training, governance)            —
==========================  ==========================================================  ===================

A lever on the services names its scenario of the services model (``helpers.model.services.SCENARIOS``, the
services' scenario table runs the same scenarios alone: ``mobile_to_fixed`` is the scenario ``mobile_to_wifi`` there);
the action plan and that table compute its gain the same way (``helpers.model.services.annual_rows`` differenced by
``helpers.model.carbon.scenario_gains``).

A lever acts on the balance *or* on the services wherever the two perimeters could hold the same emissions
(e.g. a storage purge changes the storage service, not the storage arrays of the inventory), so one action's gain is
never counted twice. ``mobile_to_fixed`` acts on both because the telecom lines of the agents (balance) and the
mobile networks of the services' users are different emissions (the agents' own visio traffic may overlap; this is
noted as a caveat).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.io.carbon_inputs import PURCHASE_CATEGORIES as _PURCHASES
from helpers.model.carbon import COMPUTER_CATEGORIES, SCREEN_CATEGORIES
from helpers.model.services import apply_scenario


@dataclass(frozen=True)
class PlanInputs:
    """The inputs the models rerun on. Every table is optional except the inventory; ``None`` = not provided.

    ``inventory`` has the clean columns of ``helpers.io.inventory.read_inventory`` (line_id, entity, category, tier,
    factor_item, quantity, purchase_year, age_years, lifetime_years, power_w, hours_per_day, days_per_year,
    yearly_kwh, reconditioned, quality, site).
    """

    inventory: pd.DataFrame
    hosting: pd.DataFrame | None = None
    telecom: pd.DataFrame | None = None
    purchases: pd.DataFrame | None = None
    printing: pd.DataFrame | None = None
    services: pd.DataFrame | None = None

    def replace(self, **changes) -> PlanInputs:
        return dataclasses.replace(self, **changes)


#: purchases.csv categories (``helpers.io.carbon_inputs.PURCHASE_CATEGORIES``)
PURCHASE_CATEGORIES: tuple[str, ...] = tuple(_PURCHASES)


def parse_target(text) -> list[str]:
    """``"laptop; desktop"`` → ``["laptop", "desktop"]``; empty or NaN → ``[]``."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return []
    return [t.strip() for t in str(text).split(";") if t.strip()]


# ----------------------------------------------------------------------------------------------------------------
# Inventory levers
# ----------------------------------------------------------------------------------------------------------------

def _mask(inventory: pd.DataFrame, categories) -> np.ndarray:
    cats = list(categories) if categories else []
    if not cats:
        raise ValueError("this lever needs target categories (e.g. 'laptop;desktop')")
    return inventory["category"].isin(cats).to_numpy()


def _bool(series: pd.Series) -> np.ndarray:
    if series.dtype == bool:
        return series.to_numpy()
    return series.astype(str).str.strip().str.lower().isin({"true", "1", "yes", "oui", "vrai"}).to_numpy()


def _category_years(inventory: pd.DataFrame, table: pd.DataFrame | None, column: str) -> np.ndarray:
    """Per inventory line, ``column`` of the line's category in ``table`` (``categories.csv``); +inf where the
    table or the column is absent (no cap)."""
    if table is None or column not in table:
        return np.full(len(inventory), np.inf)
    values = table.drop_duplicates("category").set_index("category")[column].astype(float)
    return inventory["category"].map(values).fillna(np.inf).to_numpy(dtype=float)


def lifetime_caps(inventory: pd.DataFrame, category_table: pd.DataFrame | None) -> np.ndarray:
    """The longest lifetime each line may reach: ``max_lifetime_years`` of its category for a device bought new,
    ``second_life_years`` for a device bought reconditioned (its first life is already behind it); +inf without a
    category table."""
    recond = _bool(inventory["reconditioned"]) if "reconditioned" in inventory else np.zeros(len(inventory), bool)
    return np.where(recond, _category_years(inventory, category_table, "second_life_years"),
                    _category_years(inventory, category_table, "max_lifetime_years"))


def lifetime_extension(inventory: pd.DataFrame, categories, years: float,
                       category_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add ``years`` to the lifetime of every line of ``categories``, up to the line's cap.

    The annualised embodied impact of a line is ``quantity × E ÷ lifetime`` (ADEME's amortisation,
    the embodied rows of ``helpers.model.carbon.build_activities``), so the yearly gain of 100 laptops kept 7 years instead of 5
    is ``100 × (170 + 12.3 + 2.79) × (1/5 − 1/7)`` = 1,058 kgCO2e with the ADEME/NegaOctet 2022 factors. MiNumEco
    (bonne pratique 1) gives −65 kgCO2e per computer kept 3 more years (``DISIC/MiNumEco:content/ressources/
    documents-reference/impact-bonnes-pratiques/bonne-pratique-1-allonger-duree-vie-materiel.md``).

    The new lifetime is ``min(lifetime + years, cap)`` (:func:`lifetime_caps`: ``max_lifetime_years`` of the
    category for new devices, 7 years for computers as peers do; ``second_life_years`` for reconditioned devices,
    which an extension cannot take past their physical life), and never shorter than the line's own lifetime.
    """
    out = inventory.copy()
    m = _mask(out, categories)
    life = out["lifetime_years"].astype(float).to_numpy()
    cap = lifetime_caps(out, category_table)
    out["lifetime_years"] = np.where(m, np.maximum(life, np.minimum(life + float(years), cap)), life)
    return out


def reconditioned_share(inventory: pd.DataFrame, categories, share: float,
                        category_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Bring the reconditioned share of the quantity of ``categories`` up to ``share`` (never down).

    In steady state the share of a fleet bought reconditioned equals the share of its purchases, so each new line
    is split in two: a reconditioned part (line id ``<id>:recond``, carrying the category's
    ``reconditioned_embodied_share`` of the manufacturing impact in the carbon engine) and the rest. The moved
    fraction ``f = (share × Q − R) ÷ (Q − R)`` over all lines of the categories, where ``Q`` is their quantity and
    ``R`` the part already reconditioned. A reconditioned unit lives its second life: its lifetime is the
    category's ``second_life_years`` (capped by the line's own lifetime when that is shorter), not the first-life
    lifetime of the new line it replaces, so a lifetime extension and reconditioned purchases never credit the same
    years twice (without a category table the line's lifetime is kept). Quantities may become fractional (they
    are averages of a renewed fleet).
    """
    out = inventory.copy()
    m = _mask(out, categories)
    recond = _bool(out["reconditioned"]) if "reconditioned" in out else np.zeros(len(out), dtype=bool)
    q = out["quantity"].to_numpy(dtype=float)
    total = q[m].sum()
    already = q[m & recond].sum()
    if total <= 0 or already >= share * total:
        return out
    f = (float(share) * total - already) / (total - already)
    move = m & ~recond
    new = out.loc[move].copy()
    new["quantity"] = new["quantity"].astype(float) * f
    new["reconditioned"] = True
    new["line_id"] = new["line_id"].astype(str) + ":recond"
    second = _category_years(new, category_table, "second_life_years")
    new["lifetime_years"] = np.where(np.isfinite(second), second, new["lifetime_years"].astype(float))
    out["quantity"] = out["quantity"].astype(float)
    out.loc[move, "quantity"] = out.loc[move, "quantity"] * (1.0 - f)
    out["reconditioned"] = recond
    return pd.concat([out, new], ignore_index=True)


def fleet_reduction(inventory: pd.DataFrame, categories, reduction: float) -> pd.DataFrame:
    """Quantity of ``categories`` × (1 − ``reduction``) (e.g. pooled printers, softphones, virtualised servers).

    Devices that remain are assumed to take over the work of those removed with no extra energy (assumption).
    """
    out = inventory.copy()
    m = _mask(out, categories)
    out["quantity"] = out["quantity"].astype(float)
    out.loc[m, "quantity"] = out.loc[m, "quantity"] * (1.0 - float(reduction))
    return out


def screens_per_workstation(inventory: pd.DataFrame, ratio: float,
                            screen_categories=SCREEN_CATEGORIES, computer_categories=COMPUTER_CATEGORIES
                            ) -> pd.DataFrame:
    """Scale the screens down so that screens ÷ computers = ``ratio`` (unchanged if already at or below it).

    All screen lines are scaled by the same factor ``k = ratio × computers ÷ screens``. La Rochelle published 3,400
    screens for 2,500 computer units (1.36; domain-facts §6.1).
    """
    out = inventory.copy()
    screens = out["category"].isin(list(screen_categories)).to_numpy()
    computers = float(out.loc[out["category"].isin(list(computer_categories)), "quantity"].sum())
    n_screens = float(out.loc[screens, "quantity"].sum())
    if n_screens <= 0 or computers <= 0 or n_screens <= ratio * computers:
        return out
    k = float(ratio) * computers / n_screens
    out["quantity"] = out["quantity"].astype(float)
    out.loc[screens, "quantity"] = out.loc[screens, "quantity"] * k
    return out


def power_management(inventory: pd.DataFrame, categories, reduction: float) -> pd.DataFrame:
    """``yearly_kwh`` of ``categories`` × (1 − ``reduction``).

    MiNumEco (bonne pratique 3): switching off instead of standby and managing sleep saves 40 % of the energy of a
    workstation (``DISIC/MiNumEco:…/bonne-pratique-3-gerer-energie.md``). Lines in a hosting site with a measured
    ``it_kwh_per_year`` are rescaled to that measure by the engine, so the lever should target terminals.
    """
    out = inventory.copy()
    m = _mask(out, categories)
    out["yearly_kwh"] = out["yearly_kwh"].astype(float)
    out.loc[m, "yearly_kwh"] = out.loc[m, "yearly_kwh"] * (1.0 - float(reduction))
    return out


# ----------------------------------------------------------------------------------------------------------------
# Other inputs of the balance
# ----------------------------------------------------------------------------------------------------------------

def printing_reduction(printing: pd.DataFrame | None, reduction: float) -> pd.DataFrame | None:
    """Reams (and pages) × (1 − ``reduction``). MiNumEco (bonne pratique 6): halving printing saves
    3.43 kgCO2e per employee per month."""
    if printing is None:
        return None
    out = printing.copy()
    for col in ("reams", "reams_per_year", "pages_per_year"):
        if col in out:
            out[col] = pd.to_numeric(out[col], errors="coerce") * (1.0 - float(reduction))
    return out


def software_spend(purchases: pd.DataFrame | None, reduction: float, purchase_categories=("software",)
                   ) -> pd.DataFrame | None:
    """``amount_eur`` of the rows of ``purchase_categories`` × (1 − ``reduction``) (pooling, open source)."""
    if purchases is None:
        return None
    out = purchases.copy()
    m = out["category"].isin(list(purchase_categories) or ["software"]).to_numpy()
    out["amount_eur"] = out["amount_eur"].astype(float)
    out.loc[m, "amount_eur"] = out.loc[m, "amount_eur"] * (1.0 - float(reduction))
    return out


def supplier_intensity(purchases: pd.DataFrame | None, reduction: float, purchase_categories=("services",)
                       ) -> pd.DataFrame | None:
    """The carbon intensity of the spend of ``purchase_categories`` × (1 − ``reduction``): the same euros spent
    with suppliers chosen on their carbon data (column ``carbon_intensity_multiplier``, read by
    ``helpers.model.carbon.purchase_activities``; the money spent is unchanged)."""
    if purchases is None:
        return None
    out = purchases.copy()
    m = out["category"].isin(list(purchase_categories) or ["services"]).to_numpy()
    mult = (out["carbon_intensity_multiplier"].astype(float) if "carbon_intensity_multiplier" in out
            else pd.Series(1.0, index=out.index))
    out["carbon_intensity_multiplier"] = np.where(m, mult * (1.0 - float(reduction)), mult)
    return out


#: hosting kinds the collectivity runs itself (``hosting_kinds.csv``), improved by default by hosting_consolidation
OWN_SITE_KINDS: tuple[str, ...] = ("server_room",)


def effective_pue(hosting: pd.DataFrame, hosting_kinds: pd.DataFrame) -> pd.Series:
    """PUE of each site: measured, else the default of its kind (``hosting_kinds.csv``)."""
    kinds = hosting_kinds.set_index("kind")["default_pue"]
    measured = pd.to_numeric(hosting.get("pue"), errors="coerce") if "pue" in hosting else pd.Series(np.nan, index=hosting.index)
    return measured.fillna(hosting["kind"].map(kinds)).astype(float)


def hosting_consolidation(hosting: pd.DataFrame | None, inventory: pd.DataFrame, hosting_kinds: pd.DataFrame,
                          target_pue: float, targets=()) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """Cap the PUE of hosting sites at ``target_pue`` and optionally merge sites.

    Parameters
    ----------
    hosting : ``hosting.csv`` (``site_id, kind, pue, it_kwh_per_year, floor_area_m2, …``)
    inventory : the inventory (lines point to sites with ``site``)
    hosting_kinds : ``hosting_kinds.csv`` (default PUE of each kind)
    target_pue : the PUE after the works (urbanised room, efficient cooling) or of the receiving data centre;
        ADEME-Arcep 2022 typical values: colocation ≈ 1.55, hyperscale ≈ 1.2, edge ≈ 2 (domain-facts §3.4)
    targets : site ids to improve (default: the collectivity's own rooms, kinds :data:`OWN_SITE_KINDS`, whose PUE
        is above the target; a colocation or cloud PUE is not the collectivity's to change) and merges written
        ``"from>to"``: the inventory lines of ``from`` move to ``to``; ``from`` loses its floor area (its building is
        no longer counted) and ``to``'s measured IT energy, if any, grows by ``from``'s

    Returns
    -------
    (hosting, inventory) modified copies. A PUE set by the lever is a fixed value (no uncertainty drawn).
    """
    if hosting is None or len(hosting) == 0:
        return hosting, inventory
    h = hosting.copy()
    inv = inventory.copy()
    merges = [t.split(">", 1) for t in targets if ">" in t]
    sites = [t for t in targets if ">" not in t]
    for src, dst in ((a.strip(), b.strip()) for a, b in merges):  # one step per merge (a handful)
        on_src = inv["site"].astype(str).eq(src)
        moved_kwh = float((inv.loc[on_src, "quantity"] * inv.loc[on_src, "yearly_kwh"].fillna(0)).sum())
        inv.loc[on_src, "site"] = dst
        s, d = h["site_id"].eq(src), h["site_id"].eq(dst)
        if "it_kwh_per_year" in h:
            measured_src = pd.to_numeric(h.loc[s, "it_kwh_per_year"], errors="coerce")
            add = float(measured_src.iloc[0]) if len(measured_src) and np.isfinite(measured_src.iloc[0]) else moved_kwh
            h.loc[d & h["it_kwh_per_year"].notna(), "it_kwh_per_year"] = h.loc[d, "it_kwh_per_year"] + add
            h.loc[s, "it_kwh_per_year"] = np.nan
        if "floor_area_m2" in h:
            h.loc[s, "floor_area_m2"] = np.nan
    pue = effective_pue(h, hosting_kinds)
    chosen = (h["site_id"].isin(sites) if sites else h["kind"].isin(OWN_SITE_KINDS)).to_numpy()
    lower = chosen & (pue.to_numpy() > float(target_pue))
    h["pue"] = pd.to_numeric(h["pue"], errors="coerce") if "pue" in h else np.nan
    h.loc[lower, "pue"] = float(target_pue)
    return h, inv


def mobile_to_fixed_telecom(telecom: pd.DataFrame | None, share: float) -> pd.DataFrame | None:
    """Move ``share`` of the mobile data volume to the fixed network (Wi-Fi at the office).

    The moved GB are added to ``fixed_data_gb_per_year``; when the fixed network is counted per subscription (the
    engine's rule when ``fixed_lines`` is given) they add nothing, which is the ADEME transitional method (fixed per
    subscriber-month, domain-facts §2.3). Factors per GB: fixed FR 9.27 vs mobile FR 24.68 gCO2e (§4.3).
    """
    if telecom is None:
        return None
    out = telecom.copy()
    mobile = pd.to_numeric(out["mobile_data_gb_per_year"], errors="coerce")
    moved = mobile.fillna(0.0) * float(share)
    out["mobile_data_gb_per_year"] = mobile * (1.0 - float(share))
    fixed = pd.to_numeric(out["fixed_data_gb_per_year"], errors="coerce")
    out["fixed_data_gb_per_year"] = np.where(moved > 0, fixed.fillna(0.0) + moved, fixed)
    return out


# ----------------------------------------------------------------------------------------------------------------
# The registry
# ----------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LeverSettings:
    """What a lever's transform may need besides the inputs: the hosting kinds (PUE by kind), the services' presets
    and the perimeters to act on."""

    hosting_kinds: pd.DataFrame | None
    presets: pd.DataFrame | None
    perimeters: tuple[str, ...]
    #: ``categories.csv`` (lifetime caps and second lives of the lifecycle levers); None: no cap
    categories: pd.DataFrame | None = None


#: the change of the balance's inputs of a lever: ``f(inputs, value, targets, settings) -> PlanInputs``
BalanceTransform = Callable[["PlanInputs", object, list, LeverSettings], "PlanInputs"]


@dataclass(frozen=True)
class Lever:
    """A lever: its parameter (name and bounds; ``parameter`` is also the parameter of its services scenario), the
    kind of target it takes, the models it changes, the inputs it needs (attribute names of :class:`PlanInputs`)
    and what it changes: ``balance`` (the balance's inputs) and ``scenario`` (the services, a key of
    ``helpers.model.services.SCENARIOS``). A lever with neither changes no input (no carbon gain, or the
    trajectory only)."""

    id: str
    parameter: str
    min: float | None
    max: float | None
    target_kind: str  # categories | purchase_categories | sites | services | quality | none
    perimeters: tuple[str, ...]
    needs: tuple[str, ...] = ()
    balance: BalanceTransform | None = None
    scenario: str | None = None

    def apply(self, inputs: PlanInputs, value, targets: list, settings: LeverSettings) -> PlanInputs:
        """``inputs`` with the lever applied on the perimeters of ``settings`` (a lever acting on both takes its
        targets on the balance; its services part then acts on every service)."""
        out = inputs
        if self.balance is not None and "balance" in settings.perimeters:
            out = self.balance(out, value, targets, settings)
        if self.scenario is not None and "services" in settings.perimeters:
            svc_targets = [] if self.balance is not None else targets
            out = out.replace(services=services_lever(out.services, self, value, svc_targets, settings.presets))
        return out


def services_lever(services: pd.DataFrame | None, lever: Lever, value, targets=(), presets=None
                   ) -> pd.DataFrame | None:
    """The services with ``lever``'s scenario applied (``helpers.model.services.apply_scenario``; ``targets``:
    service ids, default all; for a lever of target kind ``quality`` the target is the quality, e.g. ``sd``)."""
    if services is None or len(services) == 0:
        return services
    if lever.target_kind == "quality":
        quality = (list(targets) or ["sd"])[0]
        return apply_scenario(services, lever.scenario, presets=presets, **{lever.parameter: quality})
    ids = list(targets) or None
    return apply_scenario(services, lever.scenario, service_ids=ids, presets=presets,
                          **{lever.parameter: float(value)})


def _on_balance(table: str, transform) -> BalanceTransform:
    """A balance transform that replaces one input table by ``transform(inputs, targets, value, settings)``."""

    def apply(inputs: PlanInputs, value, targets: list, settings: LeverSettings) -> PlanInputs:
        return inputs.replace(**{table: transform(inputs, targets, value, settings)})

    return apply


def _hosting(inputs: PlanInputs, value, targets: list, settings: LeverSettings) -> PlanInputs:
    if settings.hosting_kinds is None:
        raise ValueError("the lever 'hosting_consolidation' needs the hosting kinds (helpers.io.factors)")
    h, i = hosting_consolidation(inputs.hosting, inputs.inventory, settings.hosting_kinds, value, targets)
    return inputs.replace(hosting=h, inventory=i)


_INVENTORY, _SERVICES = ("inventory",), ("services",)

#: every lever, by id (the one place to register a lever and its transform)
LEVERS: dict[str, Lever] = {lv.id: lv for lv in (
    Lever("lifetime_extension", "years", 0, 15, "categories", ("balance",), _INVENTORY, _on_balance(
        "inventory", lambda i, t, v, s: lifetime_extension(i.inventory, t, v, s.categories))),
    Lever("reconditioned_share", "share", 0, 1, "categories", ("balance",), _INVENTORY, _on_balance(
        "inventory", lambda i, t, v, s: reconditioned_share(i.inventory, t, v, s.categories))),
    Lever("fleet_reduction", "reduction", 0, 1, "categories", ("balance",), _INVENTORY, _on_balance(
        "inventory", lambda i, t, v, _: fleet_reduction(i.inventory, t, v))),
    Lever("screens_per_workstation", "ratio", 0.5, 4, "none", ("balance",), _INVENTORY, _on_balance(
        "inventory", lambda i, t, v, _: screens_per_workstation(i.inventory, v))),
    Lever("power_management", "reduction", 0, 1, "categories", ("balance",), _INVENTORY, _on_balance(
        "inventory", lambda i, t, v, _: power_management(i.inventory, t, v))),
    Lever("printing_reduction", "reduction", 0, 1, "none", ("balance",), ("printing",), _on_balance(
        "printing", lambda i, t, v, _: printing_reduction(i.printing, v))),
    Lever("hosting_consolidation", "pue", 1.0, 3.0, "sites", ("balance",), ("hosting",), _hosting),
    Lever("software_spend", "reduction", 0, 1, "purchase_categories", ("balance",), ("purchases",), _on_balance(
        "purchases", lambda i, t, v, _: software_spend(i.purchases, v, t))),
    Lever("supplier_intensity", "reduction", 0, 1, "purchase_categories", ("balance",), ("purchases",), _on_balance(
        "purchases", lambda i, t, v, _: supplier_intensity(i.purchases, v, t))),
    Lever("mobile_to_fixed", "share", 0, 1, "none", ("balance", "services"), (), _on_balance(
        "telecom", lambda i, t, v, _: mobile_to_fixed_telecom(i.telecom, v)), scenario="mobile_to_wifi"),
    Lever("storage_purge", "reduction", 0, 1, "services", ("services",), _SERVICES, scenario="storage_purge"),
    Lever("visio_audio_only", "share", 0, 1, "services", ("services",), _SERVICES, scenario="visio_audio_only"),
    Lever("page_weight", "reduction", 0, 1, "services", ("services",), _SERVICES, scenario="page_weight"),
    Lever("lazy_loading", "reduction", 0, 1, "services", ("services",), _SERVICES, scenario="lazy_loading"),
    Lever("video_quality", "quality", None, None, "quality", ("services",), _SERVICES, scenario="video_quality"),
    Lever("fleet_stabilisation", "share", 0, 1, "none", ("trajectory",)),
    Lever("none", "", None, None, "none", ()),
)}


def apply_lever(inputs: PlanInputs, lever: str, value, targets=(), hosting_kinds: pd.DataFrame | None = None,
                presets: pd.DataFrame | None = None, perimeters=("balance", "services"),
                categories: pd.DataFrame | None = None) -> PlanInputs:
    """``inputs`` with one lever applied (pure: the original tables are not modified).

    Parameters
    ----------
    inputs : the tables the models rerun on
    lever : a key of :data:`LEVERS`
    value : the lever's parameter (years, share, reduction, ratio, PUE)
    targets : categories, purchase categories, site ids / merges, service ids or a quality (see :data:`LEVERS`)
    hosting_kinds : ``hosting_kinds.csv``, needed by ``hosting_consolidation``
    presets : ``service_presets.csv``, needed by the levers on the services
    perimeters : apply only the parts acting on these perimeters
    categories : ``categories.csv``: the lifetime caps and second lives of the lifecycle levers (None: uncapped)
    """
    if lever not in LEVERS:
        raise ValueError(f"unknown lever '{lever}'; known: {sorted(LEVERS)}")
    return LEVERS[lever].apply(inputs, value, list(targets),
                               LeverSettings(hosting_kinds, presets, tuple(perimeters), categories))


def apply_levers(inputs: PlanInputs, rows, hosting_kinds: pd.DataFrame | None = None,
                 presets: pd.DataFrame | None = None, perimeters=("balance", "services"),
                 categories: pd.DataFrame | None = None) -> PlanInputs:
    """Apply several levers one after the other (``rows``: iterable of ``(lever, value, targets)``).

    The combined scenario is what the plan's total gain is computed on: two actions on the same lines compose
    (e.g. reconditioned purchases lower the manufacturing impact that a longer lifetime divides), so the combined
    gain is at most the sum of the separate gains.
    """
    out = inputs
    for lever, value, targets in rows:  # one step per action of the plan (tens)
        out = apply_lever(out, lever, value, targets, hosting_kinds, presets, perimeters, categories)
    return out
