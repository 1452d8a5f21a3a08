"""The one evaluation of the model: weighted activities times multiplier and factor draws, summed per target.

Every total of the balance is a sum over aggregated activity rows ``r`` (see ``helpers.model.carbon.monte_carlo``)::

    T[t, d] = sum_{r : target(r) = t}  a_r × M[k_r, d] × F[f_r, d]

where ``a_r`` is the summed activity of the row, ``k_r`` its multiplier combination (quantity × lifetime × PUE, drawn
by the one sampler ``helpers.model.uncertainty``), ``f_r`` its factor and ``t`` what the row adds to: the total (one
target), a cell of a breakdown (entity, tier, category, phase), or a scenario of the action plan (with ``a_r`` the
difference of activity between the reference and the scenario). :func:`weighted_draws` is that one sum; the balance's
totals, its breakdowns with intervals and the action plan's paired gains all go through it.

Cost: rows sharing a (combination, factor) pair are multiplied once (``M[k] × F[f]``, one array per pair), then a
sparse (targets × pairs) matrix of summed activities is applied to them, in chunks of pairs so the temporaries stay
at ``chunk × n_draws`` whatever the size of the inventory.
"""

from __future__ import annotations

import numpy as np

#: pairs (combination, factor) multiplied per chunk: bounds the temporary ``chunk × n_draws`` array (~20 MB at
#: 10,000 draws)
PAIR_CHUNK = 256


def weighted_draws(target: np.ndarray, combo: np.ndarray, factor: np.ndarray, weight: np.ndarray, n_targets: int,
                   mult: np.ndarray, fdraws: np.ndarray, chunk: int = PAIR_CHUNK) -> np.ndarray:
    """``T[t, d] = sum_r weight[r] × mult[combo[r], d] × fdraws[factor[r], d]`` over the rows ``r`` of target ``t``.

    Parameters
    ----------
    target, combo, factor : integer arrays (n_rows,): the row's target in ``[0, n_targets)``, its multiplier
        combination (row of ``mult``) and its factor (row of ``fdraws``)
    weight : float array (n_rows,): the row's activity (0 rows add nothing; a target with no row is exactly 0)
    mult : (n_combinations, n_draws) multiplier draws; fdraws : (n_factors, n_draws) factor draws
    chunk : pairs multiplied at once

    The codes may be of any integer type (they are widened to int64 before ``combo × n_factors + factor``, which
    overflows 32 bits beyond ~46,000 combinations and factors) and the weights of any numeric type.

    Returns
    -------
    (n_targets, n_draws) array.
    """
    from scipy.sparse import csr_matrix

    n_draws = fdraws.shape[1]
    if mult.shape[1] != n_draws:
        raise ValueError(f"multiplier draws ({mult.shape[1]}) and factor draws ({n_draws}) differ in number")
    out = np.zeros((int(n_targets), n_draws))
    keep = np.asarray(weight) != 0
    if not keep.any():
        return out
    target, combo, factor = (np.asarray(x, dtype=np.int64)[keep] for x in (target, combo, factor))
    weight = np.asarray(weight, dtype=float)[keep]
    n_f = fdraws.shape[0]
    pairs, inverse = np.unique(combo * n_f + factor, return_inverse=True)
    activity = csr_matrix((weight, (target, inverse.ravel())), shape=(int(n_targets), len(pairs)))  # sums repeats
    for start in range(0, len(pairs), chunk):  # chunks of (combination, factor) pairs, not rows
        p = pairs[start:start + chunk]
        product = mult[p // n_f] * fdraws[p % n_f]  # (chunk, n_draws)
        out += activity[:, start:start + len(p)] @ product
    return out
