"""The one evaluation (``helpers.model.engine.weighted_draws``) against the sum written out row by row."""

from __future__ import annotations

import numpy as np

from helpers.model.engine import weighted_draws


def _by_hand(target, combo, factor, weight, n_targets, mult, fdraws):
    out = np.zeros((n_targets, fdraws.shape[1]))
    for t, k, f, w in zip(target, combo, factor, weight):
        out[t] += w * mult[k] * fdraws[f]
    return out


def test_weighted_draws_is_the_row_by_row_sum_whatever_the_chunk():
    rng = np.random.default_rng(5)
    n_rows, n_t, n_k, n_f, n_d = 300, 7, 5, 11, 40
    target, combo, factor = rng.integers(0, n_t, n_rows), rng.integers(0, n_k, n_rows), rng.integers(0, n_f, n_rows)
    weight = rng.normal(size=n_rows)
    weight[::10] = 0.0
    mult, fdraws = rng.lognormal(size=(n_k, n_d)), rng.lognormal(size=(n_f, n_d))
    expected = _by_hand(target, combo, factor, weight, n_t, mult, fdraws)
    for chunk in (1, 3, 256):
        got = weighted_draws(target, combo, factor, weight, n_t, mult, fdraws, chunk=chunk)
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def test_a_target_with_no_row_or_only_zero_rows_is_exactly_zero():
    mult, fdraws = np.full((2, 4), 3.0), np.full((3, 4), 2.0)
    got = weighted_draws(np.array([0, 2]), np.array([1, 0]), np.array([2, 1]), np.array([0.5, 0.0]), 3, mult, fdraws)
    assert got.tolist() == [[3.0] * 4, [0.0] * 4, [0.0] * 4]
    assert weighted_draws(np.array([1]), np.array([0]), np.array([0]), np.array([0.0]), 2, mult, fdraws).tolist() == \
        [[0.0] * 4, [0.0] * 4]


def test_repeated_rows_add_up():
    """Two rows with the same target, combination and factor add their activities (1 + 2 = 3 × 3 × 2 = 18)."""
    mult, fdraws = np.full((1, 2), 3.0), np.full((1, 2), 2.0)
    got = weighted_draws(np.array([0, 0]), np.array([0, 0]), np.array([0, 0]), np.array([1.0, 2.0]), 1, mult, fdraws)
    assert got.tolist() == [[18.0, 18.0]]
