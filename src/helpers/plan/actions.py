"""Action plan: the territory's choices, gains by rerunning the models, prioritisation, roadmap, indicators.

Pure functions of values: the catalogue and the territory's ``actions.csv`` are read by :mod:`helpers.io.catalogue`,
the unit prices by :mod:`helpers.io.prices`; :mod:`helpers.run.actions_section` reads them, calls these functions and
writes the tables and the summary; the French labels of the codes returned here (applicability, gain status,
indicator units) and the display tables are in :mod:`helpers.report.actions`.

- :func:`build_plan` applies the territory's choices to the catalogue (decision, start years, parameters, costs);
  :func:`applicability` says which actions have something to act on in the inputs.
- :func:`evaluate` computes the gain of every action by **rerunning** the carbon balance (:mod:`helpers.model.carbon`)
  and the services LCA (:mod:`helpers.model.services`) on the inputs with the lever applied, with the same seed: the
  Monte Carlo draws of every factor and parameter are the same in both runs (keyed draws), so the gain's interval
  comes from the paired differences. The plan's total is computed on the combined scenario (all selected levers
  applied together), so overlaps are never double counted.
- :func:`prioritise` ranks the actions (documented score: gain, cost per tCO2e, effort, maturity gaps).
- :func:`roadmap` schedules them (linear ramp-up); the trajectory against the carbon budget is
  :mod:`helpers.plan.pathways`.

Perimeters. The *balance* perimeter is the collectivity's own annualised footprint (notebook 02): this is the
footprint the trajectory and the carbon budget follow. The *services* perimeter is the LCA of the key services
(notebook 03), which includes the users' devices and networks. Each lever acts on one of them (``mobile_to_fixed``
on both: agents' lines and users' networks), so an action's gain (balance + services) does not count the same
emissions twice; the two parts are always shown separately as well.

Names. An action's gain is ``gain_tco2e`` (both perimeters) with its parts ``balance_gain_tco2e`` and
``services_gain_tco2e`` (tCO2e/year, each with ``_low``/``_high`` bounds); the published table ``actions_plan``
keeps its columns ``total_tco2e``, ``balance_tco2e``, ``services_tco2e``
(:data:`helpers.run.actions_section.PUBLISHED_GAIN_COLUMNS`).

Costs. Annualised cost = investment × annuity factor + yearly cost − money saved per year. The money saved is
computed from the same rerun: equipment renewals avoided (quantity ÷ lifetime × unit price), electricity, paper and
spend (:func:`yearly_cost_eur`, prices passed in as :attr:`Models.prices`). Cost per tCO2e = annualised cost ÷ gain
(tCO2e/year).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.io.catalogue import parse_target
from helpers.model import levers as lv
from helpers.model import trajectory as tj
from helpers.model.parameters import DEFAULTS
from helpers.plan import budget as bg

#: French value of climate action for 2030 (valeur tutélaire du carbone), €/tCO2e: Quinet commission, France
#: Stratégie (Feb. 2019), https://strategie.gouv.fr/actualites/de-laction-climat-cest-quoi — reference line of the MACC
#: and the half-point of the cost score.
CARBON_VALUE_EUR_PER_TCO2E = 250.0


# ----------------------------------------------------------------------------------------------------------------
# The plan: decision, applicability, the territory's choices
# ----------------------------------------------------------------------------------------------------------------

def decision_year(reference_year: int, plan_start_year: int | None = None) -> tuple[int, str]:
    """The plan's decision year and where it comes from: ``plan_start_year`` of ``territory.yaml`` (``territory``),
    else the year after the reference year of the inputs (``default``; the diagnostic asks to set it). Never the
    clock: a rerun gives the same plan whatever day it runs. The years between the reference year and the decision
    year are business as usual."""
    if plan_start_year is not None:
        return int(plan_start_year), "territory"
    return int(reference_year) + 1, "default"


def default_start_year(decision: int, effort) -> np.ndarray:
    """Default start of an action: the decision year for easy actions, one more year per level of effort
    (``decision + effort − 1``). A documented scheduling rule, to be replaced by the territory's decisions."""
    return int(decision) + np.asarray(effort, dtype=int) - 1


#: what an action's decision is (``decision`` column of the plan, ``decision`` of summary.json's actions)
DECISIONS: tuple[str, ...] = ("adopted", "proposed", "complementary", "rejected", "not_applicable")
#: plan status: ``proposed`` (no actions.csv: every applicable action is proposed to the council) or ``adopted``
#: (actions.csv lists the actions the collectivity decided)
PLAN_STATUSES: tuple[str, ...] = ("proposed", "adopted")

#: services types each services lever acts on (``services.csv`` column ``type``)
_SERVICE_TYPES: dict[str, tuple[str, ...]] = {
    "storage_purge": ("storage",), "visio_audio_only": ("visio",), "page_weight": ("website", "portal"),
    "lazy_loading": ("website", "portal"), "video_quality": ("visio", "streaming"),
}
#: why an action does not apply (``applicability_code``; empty when it applies), each with its French wording in
#: :data:`helpers.report.actions.APPLICABILITY_FR`
APPLICABILITY_CODES: tuple[str, ...] = (
    "no_target_devices", "no_screens_or_computers", "no_printing", "no_hosting", "no_named_site", "no_own_room",
    "no_spend", "no_mobile_data", "no_services", "no_service_of_type", "empty_inventory",
)
_INVENTORY_LEVERS = ("lifetime_extension", "reconditioned_share", "fleet_reduction", "power_management")


def _positive(df: pd.DataFrame | None, column: str, mask=None) -> bool:
    if df is None or not len(df) or column not in df:
        return False
    values = pd.to_numeric(df[column], errors="coerce").fillna(0.0)
    if mask is not None:
        values = values[np.asarray(mask, dtype=bool)]
    return bool((values > 0).any())


def _device_count(quantities: pd.Series, categories) -> float:
    return float(quantities.reindex(list(categories)).fillna(0.0).sum())


def _hosting_reason(hosting: pd.DataFrame | None, targets: list[str]) -> str:
    if hosting is None or not len(hosting):
        return "no_hosting"
    named = {t.split(">", 1)[0].strip() for t in targets}
    chosen = hosting["site_id"].astype(str).isin(named) if named else hosting["kind"].isin(lv.OWN_SITE_KINDS)
    if chosen.any():
        return ""
    return "no_named_site" if named else "no_own_room"


def _services_reason(lever: str, targets: list[str], services: pd.DataFrame | None, types: set) -> str:
    wanted = _SERVICE_TYPES[lever]
    if services is None or not len(services):
        return "no_services"
    named = set(services.loc[services["type"].isin(wanted), "service_id"].astype(str))
    if not types & set(wanted) or (lever != "video_quality" and targets and not named & set(targets)):
        return "no_service_of_type"
    return ""


def _spend_categories(lever: str, targets: list[str]) -> list[str]:
    """The purchase categories a spend lever acts on: its targets, else software or services."""
    return targets or (["software"] if lever == "software_spend" else ["services"])


def _reason(lever: str, targets: list[str], inputs: lv.PlanInputs, quantities: pd.Series, types: set
            ) -> tuple[str, tuple[str, ...]]:
    """``(applicability code, what it names)`` of one action; ``("", ())`` when it applies."""
    from helpers.model.carbon import COMPUTER_CATEGORIES, SCREEN_CATEGORIES

    if lever in _INVENTORY_LEVERS:
        return ("no_target_devices", tuple(targets)) if _device_count(quantities, targets) <= 0 else ("", ())
    if lever == "screens_per_workstation":
        none = _device_count(quantities, SCREEN_CATEGORIES) <= 0 or _device_count(quantities, COMPUTER_CATEGORIES) <= 0
        return ("no_screens_or_computers", ()) if none else ("", ())
    if lever == "printing_reduction":
        p = inputs.printing
        paper = _positive(p, "reams") or _positive(p, "reams_per_year") or _positive(p, "pages_per_year")
        return ("", ()) if paper else ("no_printing", ())
    if lever == "hosting_consolidation":
        return _hosting_reason(inputs.hosting, targets), ()
    if lever in ("software_spend", "supplier_intensity"):
        pur, cats = inputs.purchases, _spend_categories(lever, targets)
        spent = pur is not None and len(pur) and _positive(pur, "amount_eur", pur["category"].isin(cats))
        return ("", ()) if spent else ("no_spend", tuple(cats))
    if lever == "mobile_to_fixed":
        none = not _positive(inputs.telecom, "mobile_data_gb_per_year") and not types
        return ("no_mobile_data", ()) if none else ("", ())
    if lever in _SERVICE_TYPES:
        code = _services_reason(lever, targets, inputs.services, types)
        return code, (_SERVICE_TYPES[lever] if code == "no_service_of_type" else ())
    if lever == "fleet_stabilisation" and _device_count(quantities, quantities.index) <= 0:
        return "empty_inventory", ()
    return "", ()


def applicability(plan: pd.DataFrame, inputs: lv.PlanInputs) -> pd.DataFrame:
    """Whether each action of ``plan`` applies to the territory's inputs, and why not.

    An action is *sans objet* (not applicable) when what its lever changes is absent or zero in the inputs: no
    device of its target categories in the inventory (e.g. screens, servers, IP phones), no screen or no computer
    for the screens-per-workstation ratio, no ``printing.csv``, no hosting site it could improve (the
    collectivity's own rooms, or the sites it names), no spend of its purchase categories, no mobile data
    (``telecom.csv``) and no services for the move to Wi-Fi, no service of the type a services lever acts on. An
    action with no computed carbon gain (governance, training, inclusion: lever ``none``) always applies, as does
    the fleet stabilisation of a non-empty inventory.

    Returns
    -------
    DataFrame ``action_id, applicable, applicability_code, applicability_detail``: the code
    (:data:`APPLICABILITY_CODES`, empty when the action applies) and what it names (target categories, purchase
    categories or services types; a tuple).
    """
    inv = inputs.inventory
    quantities = pd.to_numeric(inv["quantity"], errors="coerce").fillna(0.0).groupby(inv["category"].astype(str)).sum()
    services = inputs.services
    types = (set(services["type"].astype(str)) if services is not None and len(services) and "type" in services
             else set())
    out = []
    for r in plan.itertuples(index=False):  # one step per catalogue action (tens)
        code, detail = _reason(r.lever, list(r.targets), inputs, quantities, types)
        out.append({"action_id": r.action_id, "applicable": code == "", "applicability_code": code,
                    "applicability_detail": detail})
    return pd.DataFrame(out, columns=["action_id", "applicable", "applicability_code", "applicability_detail"])


def _with_applicability(plan: pd.DataFrame, applicable: pd.DataFrame | None) -> None:
    """``applicable``, ``applicability_code`` and ``applicability_detail`` of each action (all apply when None)."""
    if applicable is None:
        plan["applicable"] = True
        plan["applicability_code"] = ""
        plan["applicability_detail"] = [() for _ in range(len(plan))]
        return
    a = applicable.set_index("action_id")
    plan["applicable"] = plan["action_id"].map(a["applicable"]).fillna(True).astype(bool)
    plan["applicability_code"] = plan["action_id"].map(a["applicability_code"]).fillna("").astype(str)
    detail = dict(zip(a.index, a["applicability_detail"]))
    plan["applicability_detail"] = [tuple(detail.get(i, ())) for i in plan["action_id"]]


def _catalogue_defaults(plan: pd.DataFrame, decision: int, adopted: bool) -> None:
    """Decision, start year, parameter, months, owner and staff time as the catalogue sets them."""
    plan["selected"] = False if adopted else plan["applicable"]
    plan["decision"] = np.where(plan["applicable"], "complementary" if adopted else "proposed", "not_applicable")
    plan["start_year"] = default_start_year(decision, plan["effort"])
    plan["start_moved"] = False
    plan["param"] = plan["param_value"].astype(float)
    plan["months"] = plan["time_to_implement_months"].astype(float)
    plan["origin"] = "catalogue"
    plan["owner"] = plan["owner_fr"].fillna("").astype(str) if "owner_fr" in plan else ""
    plan["staff_days"] = plan["staff_days"].astype(float) if "staff_days" in plan else 0.0
    plan["staff_days_per_year"] = (plan["staff_days_per_year"].astype(float).fillna(0.0)
                                   if "staff_days_per_year" in plan else 0.0)


def _scaled_costs(plan: pd.DataFrame, agents, inventory: pd.DataFrame | None) -> None:
    """Costs scaled to the territory: ``per_1000_agents`` × agents ÷ 1000, ``per_device`` × devices of the targets."""
    inv_q = (inventory.groupby("category")["quantity"].sum() if inventory is not None else pd.Series(dtype=float))
    devices = plan["targets"].map(lambda t: float(inv_q.reindex(t).fillna(0).sum()) if t else 0.0)
    scale = np.select([plan["cost_scaling"].eq("per_1000_agents"), plan["cost_scaling"].eq("per_device")],
                      [agents / 1000.0, devices], default=1.0)
    plan["investment_eur"] = plan["cost_investment_eur"].astype(float) * scale
    plan["yearly_eur"] = plan["cost_yearly_eur"].astype(float) * scale


def _given(plan: pd.DataFrame, idx, column: str, values: np.ndarray) -> None:
    """``column`` of the rows ``idx`` replaced by ``values`` where they are given (not NaN)."""
    current = plan.loc[idx, column].to_numpy(dtype=float)
    plan.loc[idx, column] = np.where(np.isnan(values), current, values)


def _apply_selection(plan: pd.DataFrame, selection: pd.DataFrame) -> None:
    """The choices of ``actions.csv``: selected (adopted) or not (rejected), and each override it gives."""
    sel = selection.set_index("action_id")
    idx = plan["action_id"].map(lambda a: a in sel.index).to_numpy()
    s = sel.reindex(plan.loc[idx, "action_id"])
    chosen = s["selected"].astype(bool).to_numpy()
    plan.loc[idx, "selected"] = chosen
    plan.loc[idx, "decision"] = np.where(chosen, "adopted", "rejected")
    plan.loc[idx, "origin"] = "actions.csv"
    for col, src in (("start_year", "start_year"), ("param", "param_value"), ("investment_eur", "cost_investment_eur"),
                     ("yearly_eur", "cost_yearly_eur"), ("months", "time_to_implement_months")):
        _given(plan, idx, col, s[src].to_numpy(dtype=float))
    if "staff_days" in s:
        _given(plan, idx, "staff_days", s["staff_days"].to_numpy(dtype=float))
    if "owner" in s:
        given_owner = s["owner"].fillna("").astype(str).str.strip().to_numpy()
        plan.loc[idx, "owner"] = np.where(given_owner != "", given_owner, plan.loc[idx, "owner"].to_numpy())
    tgt = s["target"].map(parse_target).tolist()
    plan.loc[idx, "targets"] = pd.Series([t if t else old for t, old in zip(tgt, plan.loc[idx, "targets"])],
                                         index=plan.index[idx], dtype=object)


def build_plan(catalogue: pd.DataFrame, selection: pd.DataFrame | None, territory,
               inventory: pd.DataFrame | None = None, applicable: pd.DataFrame | None = None,
               decision: int | None = None) -> pd.DataFrame:
    """Every catalogue action with the territory's choices applied: ``decision``, ``selected``, ``start_year``,
    effective parameter, targets and costs (scaled to the territory: ``per_1000_agents`` × agents ÷ 1000,
    ``per_device`` × devices of the target categories).

    The plan is **proposed** when the territory gives no ``actions.csv`` (``selection`` None or empty): every
    applicable action (``applicable``, from :func:`applicability`; all when None) is proposed and in the plan's
    total, the others are ``not_applicable``. It is **adopted** when ``actions.csv`` lists actions: those marked
    selected are ``adopted`` (in the total), those marked not selected ``rejected``, the applicable ones it does
    not list ``complementary`` (proposed to the council, outside the adopted total), the others
    ``not_applicable``. Start years default to :func:`default_start_year` from the decision year (``decision``,
    default :func:`decision_year`); a start year of ``actions.csv`` before the decision year is moved to it
    (``start_moved`` is True and the plan's notes say so).

    Returns
    -------
    DataFrame: catalogue columns plus ``decision, selected, applicable, applicability_code, applicability_detail,
    start_year, start_moved, param, targets, investment_eur, yearly_eur, months, origin`` (``catalogue`` or
    ``actions.csv``), ``owner``, ``staff_days``, ``staff_days_per_year``.
    """
    plan = catalogue.copy()
    if decision is None:
        decision = decision_year(territory.reference_year, getattr(territory, "plan_start_year", None))[0]
    _with_applicability(plan, applicable)
    adopted = selection is not None and len(selection) > 0
    _catalogue_defaults(plan, decision, adopted)
    _scaled_costs(plan, territory.agents, inventory)
    if adopted:
        _apply_selection(plan, selection)
    early = plan["start_year"].astype(float) < decision
    plan["start_moved"] = early.to_numpy() & plan["origin"].eq("actions.csv").to_numpy()
    plan.loc[early, "start_year"] = decision
    plan["start_year"] = plan["start_year"].astype(int)
    plan["selected"] = plan["selected"].astype(bool)
    plan["applicable"] = plan["applicable"].astype(bool)
    return plan


def plan_status(plan: pd.DataFrame) -> str:
    """``adopted`` when the territory's ``actions.csv`` decided the plan (:func:`build_plan`), else ``proposed``."""
    return "adopted" if plan["decision"].isin(["adopted", "rejected"]).any() else "proposed"


# ----------------------------------------------------------------------------------------------------------------
# Money: what the inputs cost per year (for the money saved by an action)
# ----------------------------------------------------------------------------------------------------------------

#: the tables :func:`yearly_cost_eur` reads
_COST_TABLES = ("inventory", "hosting", "printing", "purchases")


def _line_pue(inputs: lv.PlanInputs, hosting_kinds: pd.DataFrame | None) -> np.ndarray:
    """PUE of the site of each inventory line (1 without hosting or site)."""
    inv = inputs.inventory
    if inputs.hosting is None or not len(inputs.hosting) or "site" not in inv:
        return np.ones(len(inv))
    if hosting_kinds is None:
        raise ValueError("yearly_cost_eur needs hosting_kinds (hosting_kinds.csv) to price the sites' electricity")
    site_pue = pd.Series(lv.effective_pue(inputs.hosting, hosting_kinds).to_numpy(),
                         index=inputs.hosting["site_id"].astype(str))
    return inv["site"].astype(str).map(site_pue).fillna(1.0).to_numpy(dtype=float)


def _reams(printing: pd.DataFrame | None) -> float:
    if printing is None or not len(printing):
        return 0.0
    p = printing
    reams = p["reams"] if "reams" in p else p["reams_per_year"].fillna(p["pages_per_year"] / 500.0)
    return float(pd.to_numeric(reams, errors="coerce").fillna(0).sum())


def _spend_eur(purchases: pd.DataFrame | None) -> float:
    if purchases is None or not len(purchases):
        return 0.0
    pur = purchases
    keep = pur["in_reference_year"].astype(bool) if "in_reference_year" in pur else pd.Series(True, index=pur.index)
    return float(pur.loc[keep, "amount_eur"].astype(float).sum())


def yearly_cost_eur(inputs: lv.PlanInputs, hosting_kinds: pd.DataFrame | None = None, *, prices: dict[str, float]
                    ) -> dict[str, float]:
    """Yearly spending implied by the inputs, EUR: equipment renewals (quantity ÷ lifetime × unit price, reconditioned
    lines at − ``reconditioned_discount``), electricity (kWh × PUE of the site × price), paper (reams × price) and
    the spend of ``purchases.csv``. Only differences between two scenarios are used (money saved).

    ``prices``: item -> EUR excl. VAT (:func:`helpers.io.prices.price_dict`): the equipment categories and the
    parameters ``reconditioned_discount``, ``electricity`` (EUR/kWh) and ``paper_ream``; ``hosting_kinds``: the
    hosting kinds' PUE, needed when the inventory has sites in ``inputs.hosting``."""
    discount = float(prices["reconditioned_discount"])
    kwh_price = float(prices["electricity"])
    ream_price = float(prices["paper_ream"])
    inv = inputs.inventory
    price = inv["category"].map(prices).fillna(0.0).to_numpy(dtype=float)
    recond = lv._bool(inv["reconditioned"]) if "reconditioned" in inv else np.zeros(len(inv), dtype=bool)
    q = inv["quantity"].to_numpy(dtype=float)
    equipment = float((q / inv["lifetime_years"].to_numpy(dtype=float) * price
                       * np.where(recond, 1.0 - discount, 1.0)).sum())
    kwh = float((q * inv["yearly_kwh"].fillna(0.0).to_numpy(dtype=float) * _line_pue(inputs, hosting_kinds)).sum())
    paper = _reams(inputs.printing)
    spend = _spend_eur(inputs.purchases)
    return {"equipment_eur": equipment, "electricity_eur": kwh * kwh_price,
            "paper_eur": paper * ream_price, "spend_eur": spend,
            "total_eur": equipment + kwh * kwh_price + paper * ream_price + spend}


# ----------------------------------------------------------------------------------------------------------------
# Model runs
# ----------------------------------------------------------------------------------------------------------------

@dataclass
class Models:
    """Everything the two models need besides the inputs (factor tables already prepared)."""

    categories: pd.DataFrame
    factors: pd.DataFrame
    hosting_kinds: pd.DataFrame
    reference_year: int
    service_factors: pd.DataFrame | None = None
    service_sites: pd.DataFrame | None = None
    presets: pd.DataFrame | None = None
    criteria: tuple[str, ...] = ()
    n_draws: int = 10_000
    seed: int = 20200101
    electricity_item: str = "electricity_fr"
    #: unit prices (item -> EUR excl. VAT, :func:`helpers.io.prices.price_dict`) that price the money saved
    prices: dict = field(kw_only=True)

    def __post_init__(self):
        if not self.criteria:
            from helpers.io.vocab import CRITERIA

            self.criteria = tuple(CRITERIA)
        if "climate_change" not in self.criteria:  # the plan ranks, schedules and sums actions by their tCO2e
            raise ValueError(f"the action plan needs the criterion 'climate_change' among {list(self.criteria)}")


@dataclass
class Run:
    """Central values and Monte Carlo draws of one model run: criterion -> kg (or the criterion's unit) per year."""

    central: dict[str, float]
    draws: dict[str, np.ndarray]


def run_balance(inputs: lv.PlanInputs, models: Models, reuse: dict | None = None) -> Run:
    """The carbon balance (annualised view) of ``inputs``: central totals and draws of every criterion.

    Calls ``helpers.model.carbon.build_activities`` / ``parameter_table`` / ``monte_carlo`` with the models' seed: factor
    and parameter draws are keyed by their id (``helpers.model.uncertainty.keyed_rng``), so two runs on different inputs share
    the draws of every input they have in common and their difference is paired. ``reuse``: passed to
    ``build_activities`` (parts of the balance whose tables a lever left untouched are built once).
    """
    return _run_table(_balance_table(inputs, models, reuse), models)


def _run_table(table: pd.DataFrame, models: Models) -> Run:
    """:func:`run_balance` on activity rows already built."""
    from helpers.model import carbon

    mc = carbon.monte_carlo(table, models.factors, _balance_params([table], models), models.criteria,
                            models.n_draws, models.seed, keep_cells=(), sensitivity_criterion=None,
                            report_missing=False)
    return Run(dict(mc.central), dict(mc.totals))


def _balance_table(inputs: lv.PlanInputs, models: Models, reuse: dict | None = None) -> pd.DataFrame:
    """Activity rows of the annualised balance of ``inputs`` (``helpers.model.carbon.build_activities``)."""
    from helpers.model import carbon

    return carbon.build_activities(inputs.inventory, models.categories, models.factors, models.hosting_kinds,
                                   models.reference_year, inputs.hosting, inputs.telecom, inputs.purchases,
                                   inputs.printing, models.electricity_item, "annualised", reuse=reuse).table


def _balance_params(tables: list[pd.DataFrame], models: Models) -> pd.DataFrame:
    """``helpers.model.carbon.parameter_table`` of every multiplier named in ``tables``."""
    from helpers.model import carbon

    ids = set()
    for table in tables:
        for col in ("quantity_param", "lifetime_param", "extra_param"):
            ids |= set(table[col].astype(str))
    return carbon.parameter_table(ids, models.categories, models.hosting_kinds)


def run_services(inputs: lv.PlanInputs, models: Models, built=None) -> Run | None:
    """The services LCA of ``inputs.services`` per year (kg of each criterion), or None without services.

    ``helpers.model.services.run_lca`` draws every parameter from its keyed stream in the study's one sampler
    (``helpers.model.uncertainty``), so runs with the same seed are paired parameter by parameter, even when a lever adds
    or removes one (a service moved to another hosting kind). ``built``: the
    :func:`helpers.model.services.build_inputs` of ``inputs`` when the caller already has it.
    """
    from helpers.model import services as sv

    if inputs.services is None or len(inputs.services) == 0 or models.service_factors is None:
        return None
    built = _build_services(inputs, models) if built is None else built
    res = sv.run_lca(built, n_draws=models.n_draws, seed=models.seed)
    units = built.resolved["units_per_year"].to_numpy(dtype=float)
    central = {c: float((res.central[c]["total"][:, 0] * units).sum()) for c in res.central}
    draws = {c: res.total_annual_draws(c) for c in res.central}
    return Run(central, draws)


def _services_rows(inputs: lv.PlanInputs, models: Models) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The services of ``inputs`` per year as activity rows of the one activity model
    (``helpers.model.services.annual_rows``) and their multipliers."""
    from helpers.model import services as sv

    return sv.annual_rows(_build_services(inputs, models))


def _build_services(inputs: lv.PlanInputs, models: Models):
    """``helpers.model.services.build_inputs`` on the services of ``inputs`` with the models' library."""
    from helpers.model import services as sv

    return sv.build_inputs(inputs.services, models.service_factors, models.categories, models.hosting_kinds,
                           models.service_sites, models.presets)


def interval(draws: np.ndarray, central: float, scale: float = 1.0) -> dict[str, float]:
    """``{value, low, high}``: ``central × scale`` and the 2.5th/97.5th percentiles of the draws × scale."""
    return _intervals([(draws, central, scale)])[0]


def _intervals(items) -> list[dict[str, float]]:
    """``value`` (central × scale) and the 2.5th/97.5th percentiles of the draws (× scale) of each
    ``(draws, central, scale)``; draws of the same length go through one ``np.percentile`` call (the action plan
    has hundreds of intervals: one call per action instead of one per interval, same values)."""
    items = list(items)
    out: list[dict[str, float] | None] = [None] * len(items)
    by_length: dict[int, list[int]] = {}
    for i, (draws, _, _) in enumerate(items):
        by_length.setdefault(len(draws), []).append(i)
    for length, idx in by_length.items():
        q = (np.percentile(np.stack([items[i][0] for i in idx]), [2.5, 97.5], axis=1) if length
             else np.full((2, len(idx)), np.nan))
        for j, i in enumerate(idx):
            _, central, scale = items[i]
            out[i] = {"value": float(central) * scale, "low": float(q[0, j]) * scale, "high": float(q[1, j]) * scale}
    return out


# ----------------------------------------------------------------------------------------------------------------
# Evaluation
# ----------------------------------------------------------------------------------------------------------------

@dataclass
class Evaluation:
    """Gains of each action alone and of the combined plan (paired Monte Carlo differences)."""

    gains: pd.DataFrame  # one row per action
    criteria: pd.DataFrame  # long: action_id, criterion, perimeter parts, value/low/high
    baseline_balance: Run
    baseline_services: Run | None
    plan_balance_draws: np.ndarray  # kgCO2e/year, combined plan, balance perimeter
    plan_services_draws: np.ndarray
    plan_central: dict[str, float]  # balance/services/total central kgCO2e/year
    plan_criteria: pd.DataFrame
    baseline_cost: dict[str, float]
    scenarios: dict[str, lv.PlanInputs] = field(default_factory=dict)  # action_id -> inputs with its lever applied
    baseline_fleet: Run | None = None  # the fleet-driven part of the reference balance (with a fleet stabilisation)
    plan_money_saved_eur_per_year: float = 0.0  # money the combined plan saves in steady state (EUR HT)
    #: central parts of the reference balance and of the combined plan (``helpers.model.carbon.central_parts``)
    plan_parts: dict = field(default_factory=dict)


#: Levers whose gain is emissions avoided against a business-as-usual counterfactual, not a reduction below the
#: reference year: shown apart, never ranked with the reductions, never in the MACC or the cost per tonne.
AVOIDED_LEVERS: tuple[str, ...] = ("fleet_stabilisation",)
KINDS: tuple[str, ...] = ("reduction", "avoided")
#: how an action's gain was obtained (``gain_status_code``), each with its French wording in
#: :func:`helpers.report.actions.gain_status_fr`
GAIN_STATUS_CODES: tuple[str, ...] = ("computed", "no_carbon_model", "missing_input", "not_applicable")


def action_kind(lever: str) -> str:
    """``avoided`` (lower than a business-as-usual counterfactual) or ``reduction`` (lower than the reference
    year)."""
    return "avoided" if lever in AVOIDED_LEVERS else "reduction"


def _missing_inputs(inputs: lv.PlanInputs, lever: str) -> list[str]:
    return [n for n in lv.LEVERS[lever].needs if getattr(inputs, n) is None or len(getattr(inputs, n)) == 0]


def _apply_rows(plan: pd.DataFrame) -> list[tuple[str, float, list[str]]]:
    return [(r.lever, r.param, list(r.targets)) for r in plan.itertuples(index=False)]


@dataclass
class _Baseline:
    """The reference runs every gain is measured against."""

    table: pd.DataFrame  # the balance's activity rows
    balance: Run
    services: Run | None
    fleet: Run  # the fleet-driven part of the balance: the inventory devices' rows (categories of categories.csv)
    cost: dict[str, float]
    services_rows: pd.DataFrame | None = None


def _baseline(inputs: lv.PlanInputs, models: Models, reuse: dict) -> _Baseline:
    table = _balance_table(inputs, models, reuse)
    balance = _run_table(table, models)
    services = run_services(inputs, models)
    cost = yearly_cost_eur(inputs, models.hosting_kinds, prices=models.prices)
    fleet_rows = table["category"].astype(str).isin(set(models.categories["category"].astype(str)))
    fleet = _run_table(table[fleet_rows.to_numpy()].reset_index(drop=True), models)
    return _Baseline(table, balance, services, fleet, cost)


@dataclass
class _Scenarios:
    """The scenarios of one evaluation (inputs with levers applied), kept as the rows their totals depend on
    (``helpers.model.carbon.gain_rows``) so that all of them are evaluated together."""

    inputs: lv.PlanInputs
    models: Models
    reuse: dict  # balance parts by identity of their tables: levers are pure and replace what they change
    with_services: bool
    balance: list = field(default_factory=list)
    services: list = field(default_factory=list)
    services_params: list = field(default_factory=list)

    def add(self, rows_to_apply, perimeters) -> tuple[lv.PlanInputs, int | None, int | None]:
        """Apply ``rows_to_apply`` on ``perimeters``; the modified inputs and the scenario's index on the balance
        and on the services (None where it does not act)."""
        from helpers.model import carbon

        m = self.models
        mod = lv.apply_levers(self.inputs, rows_to_apply, m.hosting_kinds, m.presets, perimeters, m.categories)
        b = None
        if "balance" in perimeters:  # the ~20 scenarios keep only what their totals depend on
            self.balance.append(carbon.gain_rows(_balance_table(mod, m, self.reuse)))
            b = len(self.balance) - 1
        s = None
        if "services" in perimeters and self.with_services:
            rows, params = _services_rows(mod, m)
            self.services.append(carbon.gain_rows(rows))
            self.services_params.append(params)
            s = len(self.services) - 1
        return mod, b, s


def _gain_status(r, inputs: lv.PlanInputs) -> tuple[str, list[str]]:
    """``(gain status code, missing input tables)`` of one action of the plan (:data:`GAIN_STATUS_CODES`)."""
    missing = _missing_inputs(inputs, r.lever)
    if r.lever == "none":
        return "no_carbon_model", missing
    if missing:
        return "missing_input", missing
    if not bool(getattr(r, "applicable", True)):
        return "not_applicable", missing
    return "computed", missing


def _action_scenarios(plan: pd.DataFrame, inputs: lv.PlanInputs, scenarios: _Scenarios) -> list[tuple]:
    """One scenario per action that has something to rerun: ``(row, status, missing, inputs, b, s)``."""
    runs = []
    for r in plan.itertuples(index=False):  # one model rerun per action (tens)
        status, missing = _gain_status(r, inputs)
        perims = tuple(p for p in lv.LEVERS[r.lever].perimeters if p in ("balance", "services"))
        mod, b, rs = inputs, None, None
        if perims and not missing and bool(getattr(r, "applicable", True)):
            mod, b, rs = scenarios.add([(r.lever, r.param, list(r.targets))], perims)
        runs.append((r, status, missing, mod, b, rs))
    return runs


def _saved_eur(mod: lv.PlanInputs, inputs: lv.PlanInputs, base_cost: dict, models: Models) -> float:
    """Money a scenario saves per year: 0 when it leaves every priced table untouched (a lever on the services or
    the telecom spends the same)."""
    if all(getattr(mod, t) is getattr(inputs, t) for t in _COST_TABLES):
        return 0.0
    return base_cost["total_eur"] - yearly_cost_eur(mod, models.hosting_kinds, prices=models.prices)["total_eur"]


@dataclass
class _Differences:
    """The scenarios' gains (``helpers.model.carbon.scenario_gains``) on the balance and on the services."""

    balance: object
    services: object | None
    base_services: Run | None
    n: int

    def on_balance(self, b: int | None, c: str) -> tuple[float, np.ndarray]:
        if b is None or c not in self.balance.central:
            return 0.0, np.zeros(self.n)
        return float(self.balance.central[c][b]), self.balance.draws[c][b]

    def on_services(self, s: int | None, c: str) -> tuple[float, np.ndarray]:
        if s is None or self.services is None or c not in self.base_services.central:
            return 0.0, np.zeros(self.n)  # a criterion the services model does not compute adds nothing
        return float(self.services.central[c][s]), self.services.draws[c][s]


def _differences(base: _Baseline, scenarios: _Scenarios, models: Models) -> _Differences:
    """Every scenario of the balance in one evaluation, and every scenario of the services in another."""
    from helpers.model import carbon

    n = models.n_draws
    gained = carbon.scenario_gains(base.table, scenarios.balance, models.factors,
                                   _balance_params([base.table, *scenarios.balance], models), models.criteria, n,
                                   models.seed)
    services_gained = None
    if base.services is not None:
        params = pd.concat(scenarios.services_params, ignore_index=True).drop_duplicates()
        if params["param_id"].duplicated().any():  # levers never change a lifetime or a hosting kind's PUE
            raise ValueError("a services scenario changes the distribution of a multiplier: "
                             f"{sorted(params.loc[params['param_id'].duplicated(), 'param_id'])}")
        services_gained = carbon.scenario_gains(base.services_rows, scenarios.services, models.service_factors,
                                                params, models.criteria, n, models.seed)
    return _Differences(gained, services_gained, base.services, n)


def _share(param) -> float:
    """The share of a fleet stabilisation (1 when not given)."""
    return 1.0 if np.isnan(param) else float(param)


def _criterion_gains(r, b, rs, diff: _Differences, base: _Baseline, models: Models, growth_at_milestone: float
                     ) -> dict[str, tuple]:
    """Criterion -> ``(balance value, balance draws, services value, services draws)`` of one action."""
    out = {}
    for c in models.criteria:
        if r.lever == "fleet_stabilisation":
            k = _share(r.param) * max(growth_at_milestone - 1.0, 0.0)
            out[c] = (base.fleet.central[c] * k, base.fleet.draws[c] * k, *diff.on_services(rs, c))
        else:
            out[c] = (*diff.on_balance(b, c), *diff.on_services(rs, c))
    return out


def _scale(criterion: str) -> float:
    """Climate change in tonnes (the models' kg ÷ 1000), every other criterion in its unit."""
    return 1 / 1000.0 if criterion == "climate_change" else 1.0


def _unit(criterion: str, units: dict[str, str]) -> str:
    return "tCO2e" if criterion == "climate_change" else units.get(criterion, "")


def _baseline_value(base: _Baseline, c: str) -> float:
    return base.balance.central.get(c, 0.0) + (base.services.central.get(c, 0.0) if base.services else 0.0)


def _action_gain_rows(action_id: str, gains_c: dict, base: _Baseline, units: dict) -> tuple[dict, list[dict]]:
    """The climate-change gain of one action (tCO2e/year, ``gain_tco2e`` and its two parts, with intervals) and its
    rows of the criteria table (every criterion in its unit)."""
    wanted = [(b_d + s_d, b_val + s_val, _scale(c)) for c, (b_val, b_d, s_val, s_d) in gains_c.items()]
    b_val, b_d, s_val, s_d = gains_c["climate_change"]
    wanted += [(b_d, b_val, 1 / 1000.0), (s_d, s_val, 1 / 1000.0)]
    ivs = _intervals(wanted)  # one percentile call per action
    crit_rows, rec = [], {}
    for (c, (b_val, _, s_val, _)), t_iv in zip(gains_c.items(), ivs):
        scale = _scale(c)
        crit_rows.append({"action_id": action_id, "criterion": c, "unit": _unit(c, units),
                          "balance": b_val * scale, "services": s_val * scale, "value": t_iv["value"],
                          "low": t_iv["low"], "high": t_iv["high"], "baseline": _baseline_value(base, c) * scale})
        if c == "climate_change":
            for name, iv in zip(("balance_gain", "services_gain", "gain"), (ivs[-2], ivs[-1], t_iv)):
                rec[f"{name}_tco2e"], rec[f"{name}_low_tco2e"], rec[f"{name}_high_tco2e"] = (
                    iv["value"], iv["low"], iv["high"])
    return rec, crit_rows


def _action_money_saved(r, mod, inputs, base: _Baseline, models: Models, growth_at_milestone: float) -> float:
    """A fleet stabilisation saves the same share of the equipment renewals only (devices not bought); every other
    action what its scenario saves (:func:`_saved_eur`)."""
    if r.lever == "fleet_stabilisation":
        return base.cost["equipment_eur"] * _share(r.param) * max(growth_at_milestone - 1.0, 0.0)
    return _saved_eur(mod, inputs, base.cost, models)


def _plan_rows(diff: _Differences, base: _Baseline, plan_b, ps, models: Models, units: dict
               ) -> tuple[list[dict], dict, np.ndarray, np.ndarray]:
    """The combined plan: its criteria rows, its central gains (kg/year) and its climate-change draws."""
    rows, pc, plan_b_draws, plan_s_draws = [], {}, None, None
    for c in models.criteria:
        b_val, b_d = diff.on_balance(plan_b, c)
        s_val, s_d = diff.on_services(ps, c)
        scale = _scale(c)
        iv = interval(b_d + s_d, b_val + s_val, scale)
        base_bal = base.balance.central.get(c, 0.0)
        base_svc = base.services.central.get(c, 0.0) if base.services else 0.0
        # one percentage, one base: the balance's change over the balance (the trajectory's perimeter); the
        # services' gain (users' devices and networks included) is in tonnes beside it, never over the balance
        rows.append({"criterion": c, "unit": _unit(c, units),
                     "baseline": base_bal * scale, "services_baseline": base_svc * scale,
                     "balance": b_val * scale, "services": s_val * scale,
                     "value": iv["value"], "low": iv["low"], "high": iv["high"],
                     "change_pct": -b_val / base_bal * 100 if base_bal else np.nan})
        if c == "climate_change":
            pc = {"balance": b_val, "services": s_val, "total": b_val + s_val}
            plan_b_draws, plan_s_draws = b_d, s_d
    return rows, pc, plan_b_draws, plan_s_draws


def _combined(plan: pd.DataFrame, inputs: lv.PlanInputs, scenarios: _Scenarios, base: _Baseline, models: Models
              ) -> tuple[int | None, int | None, dict, float]:
    """The combined plan: every selected lever applied together (the fleet stabilisation is in the trajectory);
    its scenario indexes, the central parts of the reference and of the combined balance, and its money saved."""
    from helpers.model import carbon

    sel = plan[plan["selected"] & ~plan["lever"].isin(["none", "fleet_stabilisation"])]
    sel = sel[[not _missing_inputs(inputs, lev) for lev in sel["lever"]]]
    combined, plan_b, ps = scenarios.add(_apply_rows(sel), ("balance", "services"))
    fleet_cats = set(models.categories["category"].astype(str))
    parts = {"base": carbon.central_parts(base.table, models.factors, fleet_cats, models.electricity_item),
             "combined": carbon.central_parts(_balance_table(combined, models, scenarios.reuse), models.factors,
                                              fleet_cats, models.electricity_item)}
    return plan_b, ps, parts, _saved_eur(combined, inputs, base.cost, models)


def evaluate(plan: pd.DataFrame, inputs: lv.PlanInputs, models: Models, growth_at_milestone: float = 1.0
             ) -> Evaluation:
    """Gain of every action of ``plan`` (alone) and of its selected actions combined.

    For each action: apply its lever (:func:`helpers.model.levers.apply_lever`) on the perimeters it acts on, rerun the
    model(s) with the same seed, and take ``baseline − scenario`` draw by draw for every criterion. On the balance
    and on the services alike (both are rows of the one activity model: ``helpers.model.services.activity_rows``), all
    the scenarios are computed together by ``helpers.model.carbon.scenario_gains``, which takes the difference on the
    activities before multiplying by the draws (the model is linear in them: same paired draws, no cancellation
    of two large totals). The gain on the balance and on the services are kept apart and summed draw by draw for the
    total. ``fleet_stabilisation`` is of kind ``avoided`` (every other action: ``reduction``): it lowers nothing
    below the reference year, it avoids the growth of a business-as-usual counterfactual. Its gain is
    ``share × max(growth_at_milestone − 1, 0) × F0`` where ``F0`` is the fleet-driven part of the reference balance
    (the inventory devices' manufacturing and energy: paper, spend-based purchases and flat-rate telecom do not grow
    with the fleet) and ``growth_at_milestone`` the counterfactual's index at the milestone (by default the
    collectivity's own fleet trend, ``helpers.model.trajectory.own_fleet_trend``: 0 for a flat fleet). Its money saved is
    the same share of the equipment renewals only (devices not bought), not of the whole yearly spending.

    Returns
    -------
    :class:`Evaluation` (tCO2e in the ``gains`` table: ``gain_tco2e``, ``balance_gain_tco2e``,
    ``services_gain_tco2e`` with their bounds, ``gain_status_code`` and ``missing_inputs``; the criteria table in
    each criterion's unit).
    """
    from helpers.io.vocab import CRITERIA_UNITS

    reuse: dict = {}
    base = _baseline(inputs, models, reuse)
    scenarios = _Scenarios(inputs, models, reuse, with_services=base.services is not None)
    if base.services is not None:
        base.services_rows, params = _services_rows(inputs, models)
        scenarios.services_params.append(params)
    runs = _action_scenarios(plan, inputs, scenarios)
    plan_b, ps, parts, combined_saved = _combined(plan, inputs, scenarios, base, models)
    diff = _differences(base, scenarios, models)
    rows, crit_rows, modified = [], [], {}
    for r, status, missing, mod, b, rs in runs:
        if b is not None or rs is not None:
            modified[r.action_id] = mod
        gains_c = _criterion_gains(r, b, rs, diff, base, models, growth_at_milestone)
        rec, crit = _action_gain_rows(r.action_id, gains_c, base, CRITERIA_UNITS)
        crit_rows += crit
        rows.append({"action_id": r.action_id, "gain_status_code": status, "missing_inputs": tuple(missing), **rec,
                     "money_saved_eur_per_year": _action_money_saved(r, mod, inputs, base, models,
                                                                     growth_at_milestone),
                     "basis": "bau_milestone" if r.lever == "fleet_stabilisation" else "reference",
                     "kind": action_kind(r.lever)})
    plan_rows, pc, plan_b_draws, plan_s_draws = _plan_rows(diff, base, plan_b, ps, models, CRITERIA_UNITS)
    return Evaluation(gains=pd.DataFrame(rows), criteria=pd.DataFrame(crit_rows), baseline_balance=base.balance,
                      baseline_services=base.services, baseline_fleet=base.fleet,
                      plan_balance_draws=plan_b_draws, plan_services_draws=plan_s_draws, plan_central=pc,
                      plan_criteria=pd.DataFrame(plan_rows), baseline_cost=base.cost, scenarios=modified,
                      plan_money_saved_eur_per_year=float(combined_saved), plan_parts=parts)


# ----------------------------------------------------------------------------------------------------------------
# Prioritisation
# ----------------------------------------------------------------------------------------------------------------

def annuity_factor(discount_rate, lifetime_years):
    """Capital recovery factor ``r ÷ (1 − (1 + r)^−n)``: the constant yearly payment that repays 1 EUR invested
    over ``n`` years at the rate ``r``; ``1 ÷ n`` when ``r = 0`` (straight line)."""
    r = np.asarray(discount_rate, dtype=float)
    n = np.asarray(lifetime_years, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        crf = r / (1.0 - (1.0 + r) ** (-n))
    return np.where(np.abs(r) < 1e-12, 1.0 / n, crf)


def annualised_cost_eur(investment_eur, yearly_eur, action_lifetime_years, money_saved_eur_per_year=0.0,
                        discount_rate=0.0):
    """``investment × annuity_factor(r, lifetime) + yearly cost − money saved`` (EUR/year).

    With ``discount_rate = 0`` the investment is spread in a straight line (``investment ÷ lifetime``)."""
    return (np.asarray(investment_eur, dtype=float) * annuity_factor(discount_rate, action_lifetime_years)
            + np.asarray(yearly_eur, dtype=float) - np.asarray(money_saved_eur_per_year, dtype=float))


def cost_per_tco2e(annual_cost_eur, gain_tco2e_per_year):
    """EUR per tCO2e avoided; NaN when the action avoids nothing (gain <= 0)."""
    gain = np.asarray(gain_tco2e_per_year, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(gain > 0, np.asarray(annual_cost_eur, dtype=float) / gain, np.nan)


def maturity_gap(axes_lists, axis_scores: pd.Series | dict | None) -> np.ndarray:
    """Mean of ``1 − score`` over an action's axes (scores in 0–1); 0.5 (neutral) when no axis is scored."""
    scores = pd.Series(axis_scores if axis_scores is not None else {}, dtype=float)
    out = []
    for axes in axes_lists:
        vals = [1.0 - scores[a] for a in axes if a in scores.index and np.isfinite(scores[a])]
        out.append(float(np.mean(vals)) if vals else 0.5)
    return np.clip(np.array(out, dtype=float), 0.0, 1.0)


def priority_score(gain_tco2e, cost_eur_per_tco2e, effort, gap, weights: dict[str, float] | None = None,
                   carbon_value: float = CARBON_VALUE_EUR_PER_TCO2E, stakeholders=None) -> pd.DataFrame:
    """Components and score of each action (all components in 0–1, higher = do first).

    - gain: rank of the gain (tCO2e/year, total of both perimeters) among the actions with a positive gain,
      divided by their number (the largest gain scores 1; 0 without gain). A rank rather than ``gain ÷ max`` so one
      very large action (e.g. the fleet stabilisation, measured against the business-as-usual growth) does not
      flatten the others;
    - cost: 1 when the action saves money (cost ≤ 0), ``1 ÷ (1 + cost ÷ 250 €/t)`` otherwise (0.5 at the French
      2030 value of climate action), 0 when it avoids nothing;
    - effort: ``(3 − effort) ÷ 2`` (1 easy, 0 hard);
    - maturity: :func:`maturity_gap` (weak axes first);
    - stakeholders (issue 35, only when given): the stakeholders' support in 0–1
      (:func:`helpers.plan.priorities.stakeholder_support`), weight ``weights["stakeholders"]``;
    - score = Σ weight × component ÷ Σ weight of the components used (``DEFAULTS.score_weights`` of
      :mod:`helpers.model.parameters`: 0.40, 0.25, 0.15, 0.20, whose sum is 1; ``weights`` from ``territory.yaml:
      score_weights``).
    """
    w = {**DEFAULTS.score_weights, **(weights or {})}
    gain = np.clip(np.nan_to_num(np.asarray(gain_tco2e, dtype=float)), 0.0, None)
    positive = gain > 0
    g_score = np.zeros(len(gain))
    if positive.any():
        g_score[positive] = pd.Series(gain[positive]).rank(method="average").to_numpy() / positive.sum()
    cost = np.asarray(cost_eur_per_tco2e, dtype=float)
    c_score = np.where(np.isnan(cost) | (gain <= 0), 0.0,
                       np.where(cost <= 0, 1.0, 1.0 / (1.0 + np.maximum(cost, 0) / carbon_value)))
    e_score = (3.0 - np.asarray(effort, dtype=float)) / 2.0
    out = pd.DataFrame({"gain_component": g_score, "cost_component": c_score, "effort_component": e_score,
                        "maturity_component": np.asarray(gap, dtype=float)})
    out["score"] = (w["gain"] * out["gain_component"] + w["cost"] * out["cost_component"]
                    + w["effort"] * out["effort_component"] + w["maturity"] * out["maturity_component"])
    used = w["gain"] + w["cost"] + w["effort"] + w["maturity"]
    if stakeholders is not None:  # issue 35: the stakeholders' priorities, a criterion of its own
        out["stakeholder_component"] = np.asarray(stakeholders, dtype=float)
        out["score"] += w.get("stakeholders", 0.0) * out["stakeholder_component"]
        used += w.get("stakeholders", 0.0)
    if abs(used - 1.0) > 1e-9 and used > 0:
        out["score"] /= used
    return out


def _with_plan_columns(df: pd.DataFrame) -> None:
    """The columns of :func:`build_plan` a plan built by hand may lack, with their defaults, and the kind."""
    for col, default in (("applicable", True), ("applicability_code", ""), ("staff_days_per_year", 0.0)):
        if col not in df:  # a plan built by hand, without build_plan's columns
            df[col] = default
    if "decision" not in df:
        df["decision"] = np.where(df["selected"].astype(bool), "proposed", "complementary")
    if "kind" not in df:
        df["kind"] = [action_kind(lev) for lev in df["lever"]]
    df["kind"] = df["kind"].fillna(pd.Series([action_kind(lev) for lev in df["lever"]], index=df.index))


def _costs(df: pd.DataFrame, reduction: np.ndarray, discount_rate: float) -> None:
    """Annuity, annualised investment and cost (net of the money saved, and gross), cost per tCO2e (reductions)."""
    df["discount_rate"] = float(discount_rate)
    df["annuity_factor"] = annuity_factor(discount_rate, df["action_lifetime_years"])
    df["annualised_investment_eur"] = df["investment_eur"].astype(float) * df["annuity_factor"]
    df["annualised_cost_eur"] = annualised_cost_eur(df["investment_eur"], df["yearly_eur"],
                                                    df["action_lifetime_years"], df["money_saved_eur_per_year"],
                                                    discount_rate)
    df["gross_annualised_cost_eur"] = annualised_cost_eur(df["investment_eur"], df["yearly_eur"],
                                                          df["action_lifetime_years"], 0.0, discount_rate)
    df["cost_eur_per_tco2e"] = np.where(reduction, cost_per_tco2e(df["annualised_cost_eur"], df["gain_tco2e"]),
                                        np.nan)


def _ranks(df: pd.DataFrame, reduction: np.ndarray) -> pd.DataFrame:
    """``rank_all`` among the applicable actions and ``rank`` among the selected applicable reductions, in the order
    applicable first, reductions first, score, id; the rows sorted in that order."""
    applies = df["applicable"].astype(bool).to_numpy()
    df["_avoided"] = ~reduction
    df["_void"] = ~applies
    order = df.sort_values(["_void", "_avoided", "score", "action_id"], ascending=[True, True, False, True]).index
    df = df.drop(columns=["_avoided", "_void"])
    df["_order"] = 0
    df.loc[order, "_order"] = np.arange(1, len(df) + 1)
    ranked_all = [i for i in order if applies[i]]
    df["rank_all"] = pd.array([pd.NA] * len(df), dtype="Int64")
    df.loc[ranked_all, "rank_all"] = np.arange(1, len(ranked_all) + 1)
    sel_order = [i for i in order if df.at[i, "selected"] and reduction[i] and applies[i]]
    df["rank"] = pd.array([pd.NA] * len(df), dtype="Int64")
    df.loc[sel_order, "rank"] = np.arange(1, len(sel_order) + 1)
    return df.sort_values("_order").drop(columns="_order").reset_index(drop=True)


def prioritise(plan: pd.DataFrame, gains: pd.DataFrame, axis_scores=None, weights=None,
               discount_rate: float = DEFAULTS.discount_rate, stakeholders: pd.Series | None = None) -> pd.DataFrame:
    """One row per action: gains, costs, cost per tCO2e, score components, score, and ``rank`` among the selected
    reductions that apply (1 = first; ties broken by action id) and ``rank_all`` among every catalogue action that
    applies (an action *sans objet*, ``applicable`` False, has neither and comes last).

    Only actions of kind ``reduction`` are ranked and priced per tonne: an ``avoided`` action (against a
    business-as-usual counterfactual, :data:`AVOIDED_LEVERS`) has no ``rank``, no cost per tonne and no gain
    component; it comes after every reduction in ``rank_all`` and is shown apart with its counterfactual.
    ``discount_rate``: of the annuity (default ``DEFAULTS.discount_rate``, :mod:`helpers.model.parameters`)."""
    df = plan.merge(gains, on="action_id", how="left")
    _with_plan_columns(df)
    reduction = (df["kind"] == "reduction").to_numpy()
    _costs(df, reduction, discount_rate)
    df["maturity_gap"] = maturity_gap(df["axes_list"], axis_scores)
    comp = priority_score(np.where(reduction, df["gain_tco2e"], 0.0), df["cost_eur_per_tco2e"], df["effort"],
                          df["maturity_gap"], weights, stakeholders=None if stakeholders is None else
                          df["action_id"].astype(str).map(stakeholders).fillna(0.0).to_numpy())
    df = pd.concat([df.reset_index(drop=True), comp], axis=1)
    return _ranks(df, reduction)


# ----------------------------------------------------------------------------------------------------------------
# Roadmap and indicators
# ----------------------------------------------------------------------------------------------------------------

def roadmap(plan: pd.DataFrame, years) -> pd.DataFrame:
    """Implementation share of each selected action by year (:func:`helpers.model.trajectory.ramp_fraction`).

    Returns a wide DataFrame ``action_id, start_year, end_year, <year>...`` (``end_year`` here: the year full
    implementation is reached, ``start_year + ceil(months / 12)``).
    """
    sel = plan[plan["selected"]].reset_index(drop=True)
    ramps = tj.ramp_fraction(years, sel["start_year"].to_numpy(), sel["months"].to_numpy())
    ramps = np.atleast_2d(ramps) if len(sel) else np.zeros((0, len(years)))
    out = pd.DataFrame(ramps, columns=[int(y) for y in years])
    out.insert(0, "end_year", sel["start_year"] + np.ceil(sel["months"] / 12.0).astype(int))
    out.insert(0, "start_year", sel["start_year"].to_numpy())
    out.insert(0, "action_id", sel["action_id"].to_numpy())
    return out


_NAN = float("nan")


def _weighted(values, weights) -> float:
    return float(np.average(values, weights=weights)) if weights.sum() else _NAN


def _inventory_indicator(inputs: lv.PlanInputs, lever: str, targets: list[str]) -> tuple[float, str]:
    """Indicators of the levers on the inventory's target categories."""
    inv = inputs.inventory
    m = inv["category"].isin(targets).to_numpy()
    q = inv.loc[m, "quantity"].astype(float)
    if lever == "lifetime_extension":
        return _weighted(inv.loc[m, "lifetime_years"], q), "years"
    if lever == "reconditioned_share":
        r = lv._bool(inv.loc[m, "reconditioned"]) if "reconditioned" in inv else np.zeros(m.sum(), dtype=bool)
        return (float(q[r].sum() / q.sum() * 100) if q.sum() else _NAN), "percent"
    if lever == "fleet_reduction":
        return float(inv.loc[m, "quantity"].sum()), "devices"
    return float((inv.loc[m, "quantity"] * inv.loc[m, "yearly_kwh"].fillna(0)).sum()), "kwh_per_year"


def _screens_indicator(inputs: lv.PlanInputs) -> tuple[float, str]:
    from helpers.model.carbon import COMPUTER_CATEGORIES, SCREEN_CATEGORIES

    inv = inputs.inventory
    comp = float(inv.loc[inv["category"].isin(COMPUTER_CATEGORIES), "quantity"].sum())
    scr = float(inv.loc[inv["category"].isin(SCREEN_CATEGORIES), "quantity"].sum())
    return (scr / comp if comp else _NAN), "screens_per_workstation"


def _hosting_indicator(inputs: lv.PlanInputs, hosting_kinds) -> tuple[float, str]:
    if inputs.hosting is None or not len(inputs.hosting):
        return _NAN, "pue"
    if hosting_kinds is None:
        raise ValueError("indicator_value needs hosting_kinds (hosting_kinds.csv) for the sites' PUE")
    return float(lv.effective_pue(inputs.hosting, hosting_kinds).mean()), "mean_pue_of_rooms"


def _purchases_indicator(inputs: lv.PlanInputs, lever: str, targets: list[str]) -> tuple[float, str]:
    p = inputs.purchases
    unit = "eur_per_year" if lever == "software_spend" else "percent_of_monetary_intensity"
    if p is None or not len(p):
        return _NAN, unit
    m = p["category"].isin(_spend_categories(lever, targets)).to_numpy()
    amount = p.loc[m, "amount_eur"].astype(float)
    if lever == "software_spend":
        return float(amount.sum()), unit
    mult = (p.loc[m, "carbon_intensity_multiplier"].astype(float) if "carbon_intensity_multiplier" in p
            else pd.Series(1.0, index=amount.index))
    return (float((amount * mult).sum() / amount.sum() * 100) if amount.sum() else _NAN), unit


def _services_indicator(inputs: lv.PlanInputs, lever: str, presets) -> tuple[float, str]:
    from helpers.model.services import resolve_services

    if inputs.services is None or not len(inputs.services):
        return _NAN, ""
    s = resolve_services(inputs.services, presets)
    if lever == "storage_purge":
        return float(s.loc[s["type"].eq("storage"), "units_per_year"].sum() / 1024.0), "tb_stored"
    m = s["type"].isin(_SERVICE_TYPES.get(lever, ())).to_numpy()
    w = s.loc[m, "units_per_year"]
    if lever == "visio_audio_only":
        return (_weighted(s.loc[m, "audio_share"].fillna(0), w) * 100 if w.sum() else _NAN), "percent_audio_hours"
    if lever == "page_weight":
        return _weighted(s.loc[m, "page_weight_mb"].astype(float), w), "mb_per_page"
    if lever == "lazy_loading":
        return _weighted(s.loc[m, "data_gb_per_unit"].astype(float) * 1024.0, w), "mb_per_visit"
    if lever == "video_quality":
        hd = s.loc[m, "video_quality"].isin(["hd", "4k"]).to_numpy()
        return (float(w[hd].sum() / w.sum() * 100) if w.sum() else _NAN), "percent_hd_hours"
    return _NAN, ""


def _paper_indicator(inputs: lv.PlanInputs) -> tuple[float, str]:
    if inputs.printing is None or not len(inputs.printing):
        return _NAN, "reams_per_year"
    return _reams(inputs.printing), "reams_per_year"


def _mobile_indicator(inputs: lv.PlanInputs) -> tuple[float, str]:
    if inputs.telecom is None or not len(inputs.telecom):
        return _NAN, "gb_per_year"
    return float(pd.to_numeric(inputs.telecom["mobile_data_gb_per_year"], errors="coerce").sum()), "mobile_gb_per_year"


#: units of the monitoring indicators (``unit_code`` of :func:`indicators_table`), each with its French wording in
#: :data:`helpers.report.actions.INDICATOR_UNITS_FR`
INDICATOR_UNITS: tuple[str, ...] = (
    "years", "percent", "devices", "screens_per_workstation", "kwh_per_year", "reams_per_year", "pue",
    "mean_pue_of_rooms", "eur_per_year", "percent_of_monetary_intensity", "gb_per_year", "mobile_gb_per_year",
    "tb_stored", "percent_audio_hours", "mb_per_page", "mb_per_visit", "percent_hd_hours", "",
)


def indicator_value(inputs: lv.PlanInputs, lever: str, targets, hosting_kinds=None, presets=None
                    ) -> tuple[float, str]:
    """The monitoring indicator of a lever measured on ``inputs``: ``(value, unit code)`` (:data:`INDICATOR_UNITS`);
    ``hosting_kinds``: the hosting kinds' PUE (needed for ``hosting_consolidation``); ``presets``: the services'
    presets (``helpers.io.services_inputs.load_presets``; needed by the services' levers).

    NaN when the inputs do not carry it (e.g. no printing.csv) or the lever has no model (``none``).
    """
    targets = list(targets)
    if lever in _INVENTORY_LEVERS:
        return _inventory_indicator(inputs, lever, targets)
    if lever == "screens_per_workstation":
        return _screens_indicator(inputs)
    if lever == "printing_reduction":
        return _paper_indicator(inputs)
    if lever == "mobile_to_fixed":
        return _mobile_indicator(inputs)
    if lever == "hosting_consolidation":
        return _hosting_indicator(inputs, hosting_kinds)
    if lever in ("software_spend", "supplier_intensity"):
        return _purchases_indicator(inputs, lever, targets)
    return _services_indicator(inputs, lever, presets)


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def _indicator_row(r, inputs: lv.PlanInputs, ramp_m: pd.Series, hosting_kinds, presets, scenarios: dict) -> dict:
    base, unit = indicator_value(inputs, r.lever, r.targets, hosting_kinds, presets)
    full = np.nan
    if r.lever not in ("none", "fleet_stabilisation") and np.isfinite(base):
        mod = scenarios.get(r.action_id)
        if mod is None:
            mod = lv.apply_lever(inputs, r.lever, r.param, r.targets, hosting_kinds, presets)
        full, _ = indicator_value(mod, r.lever, r.targets, hosting_kinds, presets)
    if r.lever == "fleet_stabilisation":
        base, unit = float(inputs.inventory["quantity"].sum()), "devices"
        full = base
    w = float(ramp_m.get(r.action_id, np.nan))
    at_m = base + (full - base) * w if np.isfinite(full) and np.isfinite(w) else np.nan
    return {"action_id": r.action_id, "indicator_fr": r.indicator_fr, "unit_code": unit, "baseline": base,
            "target_milestone": at_m, "target_full": full, "target_text_fr": _text(r.indicator_target_fr)}


def indicators_table(plan: pd.DataFrame, inputs: lv.PlanInputs, ramps: pd.DataFrame, milestone_year: int,
                     hosting_kinds: pd.DataFrame, presets=None, scenarios: dict | None = None) -> pd.DataFrame:
    """Monitoring indicators of the selected actions: baseline value (inputs), target at full implementation
    (inputs with the lever applied) and at the milestone (ramped), unit code (:data:`INDICATOR_UNITS`) and how to
    measure (the catalogue's ``indicator_fr``). ``scenarios``: the inputs with each action's lever applied when the
    caller has them (:attr:`Evaluation.scenarios`)."""
    ramp_m = ramps.set_index("action_id")[milestone_year] if milestone_year in ramps else pd.Series(dtype=float)
    rows = [_indicator_row(r, inputs, ramp_m, hosting_kinds, presets, scenarios or {})
            for r in plan[plan["selected"]].itertuples(index=False)]  # one row per selected action
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------------------------------
# Means, calendar and budget of the plan's actions (tables actions_means and actions_budget_by_year)
# ----------------------------------------------------------------------------------------------------------------

def end_year(start_year, months) -> np.ndarray:
    """Last year of the ramp-up: an action starting on 1 January of ``start_year`` and reaching full implementation
    after ``months`` months ends its set-up in ``start_year + ceil(months / 12) − 1`` (its start year when
    ``months`` ≤ 12)."""
    start = np.asarray(start_year, dtype=int)
    years = np.ceil(np.asarray(months, dtype=float) / 12.0).astype(int)
    return start + np.maximum(years - 1, 0)


def means_order(plan: pd.DataFrame, ranked: pd.DataFrame) -> pd.DataFrame:
    """Selected actions in calendar order (start year, then priority rank, then id), with their ``end_year``: the
    order of the Gantt chart and of the table of means (each action named by its id, as everywhere)."""
    rank = ranked.set_index("action_id")["rank_all" if "rank_all" in ranked else "rank"]
    sel = plan[plan["selected"]].copy()
    sel["_rank"] = sel["action_id"].map(rank).astype(float).fillna(1e9)
    sel = sel.sort_values(["start_year", "_rank", "action_id"], kind="stable").reset_index(drop=True)
    sel["end_year"] = end_year(sel["start_year"], sel["months"])
    if "staff_days_per_year" not in sel:  # a plan built by hand, without build_plan's columns
        sel["staff_days_per_year"] = 0.0
    return sel.drop(columns="_rank")


def plan_budget(plan: pd.DataFrame, ranked: pd.DataFrame, evaluation: Evaluation, years,
                vat_rate: float = DEFAULTS.vat_rate) -> pd.DataFrame:
    """The budget by year of the plan's actions (:func:`helpers.plan.budget.budget_by_year`) over ``years`` (the
    decision year to the milestone): investment over each set-up, operating costs from each start, the combined
    plan's savings reached as its actions ramp up (reductions only: emissions avoided against a growth save nothing
    of today's budget), staff time including the recurring days."""
    sel = means_order(plan, ranked)
    money = evaluation.gains.set_index("action_id")
    kind = sel["action_id"].map(money["kind"]) if "kind" in money else pd.Series("reduction", index=sel.index)
    saved = sel["action_id"].map(money["money_saved_eur_per_year"]).astype(float).fillna(0.0)
    saved = saved.where(kind.eq("reduction"), 0.0).to_numpy(dtype=float)
    ramps = tj.ramp_fraction(np.asarray(years), sel["start_year"].to_numpy(), sel["months"].to_numpy(dtype=float))
    ramps = np.atleast_2d(ramps) if len(sel) else np.zeros((0, len(years)))
    return bg.budget_by_year(years, sel["start_year"].to_numpy(), sel["end_year"].to_numpy(),
                             sel["investment_eur"].to_numpy(dtype=float), sel["yearly_eur"].to_numpy(dtype=float),
                             sel["staff_days"].to_numpy(dtype=float), sel["staff_days_per_year"].to_numpy(dtype=float),
                             ramps, saved, evaluation.plan_money_saved_eur_per_year, vat_rate)
