"""The services model in closed form: the formulas of ADEME's usage models written per tier (terminals, network, data
centre) and evaluated on parameter draws, kept as a test oracle of ``helpers.model.services``, whose one path is
the activity rows on the study's engine (issue 37). The activity rows must give, draw by draw, what these formulas
give on the same sampler's draws (``tests/model/test_services.py``).

A builder module (not collected by pytest); imported by the services tests.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.model.services import (
    DC_OVERHEAD_RATIO,
    HOURS_PER_YEAR,
    PHASES_EMBODIED,
    PRO_DAYS_PER_YEAR,
    PRO_HOURS_PER_DAY,
    SERVER_POWER_W,
    STORAGE_ARRAY_CAPACITY_GB,
    STORAGE_FILL_RATE,
    STORAGE_LIFETIME_YEARS,
    STORAGE_POWER_W,
    ServiceInputs,
    device_lifetime_hours,
)


def central_parameters(table: pd.DataFrame) -> dict[str, np.ndarray]:
    """The central value of every parameter, as arrays of length 1."""
    return {name: np.array([v], dtype=float) for name, v in table["value"].items()}


def seeded_parameter_draws(table: pd.DataFrame, n_draws: int, seed: int) -> dict[str, np.ndarray]:
    """One draw per parameter of ``table`` (``helpers.model.services.parameter_table``) from the study's one sampler
    (``helpers.model.uncertainty.keyed_draws`` with the seed and the row's ``stream``, or its name when it has
    none)."""
    from helpers.model.uncertainty import keyed_draws

    streams = table["stream"].astype(str) if "stream" in table else pd.Series("", index=table.index)
    rows = zip(table.index.tolist(), table["distribution"].astype(str).tolist(), table["value"].tolist(),
               table["low"].tolist(), table["high"].tolist(), streams.tolist())
    return {name: keyed_draws(dist, float(value), float(low), float(high), int(n_draws), int(seed), key or name)
            for name, dist, value, low, high, key in rows}


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
    """Per-service drivers as arrays (S, 1), and the device mix (S, D)."""

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


