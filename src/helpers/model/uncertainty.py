"""The one sampler of the study: every uncertain quantity is drawn from its own keyed random stream.

A quantity's stream is ``numpy.random.default_rng([seed, crc32(key)])`` (:func:`keyed_rng`), where ``key`` names the
quantity, not the place it is used:

- a factor of the library: its ``factor_id``, or ``group:<correlation_group>`` for factors that share a source and a
  basis and move together (:func:`stream_keys`);
- a hosting kind's PUE: ``pue:<kind>``; a device category's lifetime: ``lifetime:<category>``; a data-quality
  multiplier: ``quantity:<quality>:<key>`` (``helpers.model.carbon.parameter_table``).

So the balance, the services LCA and every scenario of the action plan get the same draw of the same quantity
(paired comparisons, and a sum of two parts is not made narrower by drawing one quantity twice independently), and a
draw does not depend on the order of rows or on which other quantities are drawn. Two uses of one key with different
bounds are comonotone: they share the uniform (or normal) stream.

Draws are not memoised: drawing a stream again gives the same values, and costs 1.9 % of a study (``make bench``).
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd


def keyed_rng(seed: int, key: str) -> np.random.Generator:
    """``numpy.random.default_rng([seed, crc32(key)])``: the same draws for the same input in every run and view."""
    return np.random.default_rng([int(seed), zlib.crc32(str(key).encode("utf-8"))])


def _triangular_ppf(u: np.ndarray, low: float, mode: float, high: float) -> np.ndarray:
    if not high > low:
        return np.full_like(u, mode)
    mode = min(max(mode, low), high)
    fc = (mode - low) / (high - low)
    left = low + np.sqrt(u * (high - low) * (mode - low))
    right = high - np.sqrt((1.0 - u) * (high - low) * (high - mode))
    return np.where(u < fc, left, right)


def draw_distribution(distribution: str, value: float, low: float, high: float, n_draws: int,
                      rng: np.random.Generator) -> np.ndarray:
    """``n_draws`` values of one uncertain quantity.

    - ``lognormal``: median ``value``, sigma = ln(high/low)/3.92 (so [low, high] is a 95 % interval when value is
      their geometric mean), as in ``docs/architecture.md``;
    - ``triangular``: (low, mode = value, high);
    - ``split_triangular``: median ``value``; half the mass on a triangle (low, value, value) and half on
      (value, value, high), so a skewed range keeps the central value as its median (lifetimes, PUE);
    - ``uniform``: (low, high);
    - ``normal``: mean ``value``, standard deviation ``(high - low) / 3.92``, clipped at 0;
    - ``none`` or a degenerate interval: the constant ``value``.
    """
    value = float(value)
    low = float(low) if low is not None and np.isfinite(low) else value
    high = float(high) if high is not None and np.isfinite(high) else value
    if distribution == "lognormal" and value > 0 and low > 0 and high > low:
        sigma = np.log(high / low) / 3.92
        return value * np.exp(sigma * rng.standard_normal(n_draws))
    if distribution == "triangular" and high > low:
        return _triangular_ppf(rng.random(n_draws), low, value, high)
    if distribution == "split_triangular" and high > low:
        u = rng.random(n_draws)
        mode = min(max(value, low), high)
        lower = _triangular_ppf(2.0 * np.minimum(u, 0.5), low, mode, mode)
        upper = _triangular_ppf(2.0 * np.maximum(u - 0.5, 0.0), mode, mode, high)
        return np.where(u < 0.5, lower if mode > low else mode, upper if high > mode else mode)
    if distribution == "uniform" and high > low:
        return low + (high - low) * rng.random(n_draws)
    if distribution == "normal" and high > low:
        return np.maximum(value + (high - low) / 3.92 * rng.standard_normal(n_draws), 0.0)
    return np.full(n_draws, value)


def keyed_draws(distribution: str, value: float, low: float, high: float, n_draws: int, seed: int,
                key: str) -> np.ndarray:
    """:func:`draw_distribution` with the stream :func:`keyed_rng` ``(seed, key)`` (read-only result): the same
    values wherever and however often the quantity is drawn, since the stream depends only on ``(seed, key)``.

    Not memoised: ``make bench`` measured the memo of draws at 1.9 % of a study once every part drew from this one
    sampler (``docs/architecture.md``, "Randomness").
    """
    x = draw_distribution(distribution, value, low, high, n_draws, keyed_rng(seed, key))
    x.setflags(write=False)
    return x


def stream_keys(factor_rows: pd.DataFrame) -> np.ndarray:
    """The key of each factor's random stream: ``group:<correlation_group>`` for a factor of a correlation group
    (its factors share one underlying draw, so they move together: same source and basis), else its ``factor_id``.
    The same key is used wherever the factor is drawn (balance, action plan, services)."""
    ids = factor_rows["factor_id"].astype(str).to_numpy(dtype=object)
    if "correlation_group" not in factor_rows:
        return ids
    grp = factor_rows["correlation_group"].fillna("").astype(str).to_numpy(dtype=object)
    return np.where(grp != "", np.char.add("group:", grp.astype(str)).astype(object), ids)


def draw_factors(factor_rows: pd.DataFrame, n_draws: int, seed: int) -> np.ndarray:
    """Draws of factors, one row per factor (``factor_id, value, low, high, distribution`` and optionally
    ``correlation_group``): shape (k, n_draws).

    Each factor has its own stream :func:`keyed_rng` ``(seed, key)`` with the key of :func:`stream_keys` (its id,
    or its correlation group): one draw shared by every line using it.
    """
    return factor_draws(stream_keys(factor_rows), factor_rows["distribution"].to_numpy(),
                         factor_rows["value"].to_numpy(dtype=float), factor_rows["low"].to_numpy(dtype=float),
                         factor_rows["high"].to_numpy(dtype=float), n_draws, seed)


def factor_draws(stream_key, distribution, value, low, high, n_draws: int, seed: int) -> np.ndarray:
    """:func:`draw_factors` on the columns as arrays (the Monte Carlo has them as arrays already): ``stream_key`` is
    each factor's :func:`stream_keys` key."""
    out = np.empty((len(stream_key), n_draws))
    rows = zip(np.asarray(stream_key).tolist(), np.asarray(distribution).tolist(), np.asarray(value).tolist(),
               np.asarray(low).tolist(), np.asarray(high).tolist())
    for i, (key, dist, v, lo, hi) in enumerate(rows):  # one step per factor (tens), not per device
        out[i] = keyed_draws(dist, v, lo, hi, n_draws, seed, key)
    return out
