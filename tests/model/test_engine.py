"""The one evaluation (``helpers.model.engine.weighted_draws``) against the sum written out row by row."""

from __future__ import annotations

import numpy as np
import pytest

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


def test_more_factors_than_draws():
    """The (combination, factor) pairs are coded with the number of factors, not of draws: 50 factors, 3 draws."""
    rng = np.random.default_rng(11)
    n_rows, n_t, n_k, n_f, n_d = 120, 4, 3, 50, 3
    target, combo, factor = rng.integers(0, n_t, n_rows), rng.integers(0, n_k, n_rows), rng.integers(0, n_f, n_rows)
    weight = rng.normal(size=n_rows)
    mult, fdraws = rng.lognormal(size=(n_k, n_d)), rng.lognormal(size=(n_f, n_d))
    np.testing.assert_allclose(weighted_draws(target, combo, factor, weight, n_t, mult, fdraws),
                               _by_hand(target, combo, factor, weight, n_t, mult, fdraws), rtol=1e-12, atol=1e-12)


def test_int32_codes_do_not_overflow_the_pair_code():
    """70,000 combinations × 70,000 factors: the pair code ``combo × n_f + factor`` passes 2^31 (pandas may give
    int32 codes)."""
    n = 70_000
    mult = np.ones((n, 2))
    mult[n - 1] = [2.0, 4.0]
    fdraws = np.ones((n, 2))
    fdraws[n - 2] = [10.0, 100.0]
    combo = np.array([n - 1, 0], dtype=np.int32)
    factor = np.array([n - 2, 0], dtype=np.int32)
    got = weighted_draws(np.array([0, 1], dtype=np.int32), combo, factor, np.array([1.0, 3.0]), 2, mult, fdraws)
    assert got.tolist() == [[20.0, 400.0], [3.0, 3.0]]


def test_weights_of_an_object_column_are_summed_as_numbers():
    mult, fdraws = np.full((1, 2), 3.0), np.full((1, 2), 2.0)
    weight = np.array([1.5, 2], dtype=object)  # what a pandas object column gives
    got = weighted_draws(np.array([0, 0]), np.array([0, 0]), np.array([0, 0]), weight, 1, mult, fdraws)
    assert got.tolist() == [[21.0, 21.0]] and got.dtype == float


def test_multiplier_and_factor_draws_must_be_as_many():
    with pytest.raises(ValueError, match="differ in number"):
        weighted_draws(np.array([0]), np.array([0]), np.array([0]), np.array([1.0]), 1, np.ones((1, 3)),
                       np.ones((1, 4)))
