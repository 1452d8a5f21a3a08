"""Trajectory: the growth indices and the fleet's own trend, exact (issue 22).

Written against the survivors of ``make mutate`` in ``helpers.model.trajectory``. The own trend of a fleet whose purchases
grow by exactly 10 % a year (100, 110, 121 devices) is ``exp(slope of ln n on t) − 1 = 1.1 − 1 = 10 %`` whatever the
weights of the least squares, since ``ln n`` lies exactly on a line.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.model import trajectory as tj
from helpers.report.actions_summary import own_trend_basis_fr


def test_bau_index_without_a_rate_is_the_national_trend():
    """No rate: the national ADEME–Arcep trend (2020: 1, 2030: 1.45), log-linear in between: 2025 = √1.45."""
    assert tj.bau_index([2020, 2025, 2030], 2020) == pytest.approx([1.0, math.sqrt(1.45), 1.45], rel=1e-12)


def test_national_trend_continues_the_last_segment_beyond_its_last_point():
    """Trend 1 → 2 → 4 every ten years: 2050 continues the doubling of the last segment, 8; 2010 the first one
    backwards, 0.5."""
    trend = {2020: 1.0, 2030: 2.0, 2040: 4.0}
    assert tj.national_trend_index([2010, 2050], 2020, trend) == pytest.approx([0.5, 8.0], rel=1e-12)


def test_default_national_trend_beyond_2050():
    """2060 continues 2030–2050 (×2.87/1.45 in 20 years): 2.87 × (2.87 / 1.45)^(10/20) relative to 2020."""
    assert tj.national_trend_index([2060], 2020)[0] == pytest.approx(2.87 * math.sqrt(2.87 / 1.45), rel=1e-12)


def _growing_fleet(**columns) -> pd.DataFrame:
    return pd.DataFrame({"category": ["laptop"] * 3, "quantity": [100, 110, 121],
                         "purchase_year": [2021, 2022, 2023], **columns})


def test_own_trend_without_a_lifetime_column_reads_the_whole_window():
    """No ``lifetime_years`` column: the window is the default 5 years (2019–2023), the three purchase years are in
    it: +10 % a year, known, every device dated."""
    own = tj.own_fleet_trend(_growing_fleet(), 2023)
    assert own["growth_per_year"] == pytest.approx(0.1, rel=1e-12) and own["known"] is True
    assert (own["n_years"], own["coverage"], own["window"]) == (3, 1.0, [2019, 2023])


def test_own_trend_without_purchase_years_is_unknown():
    """No ``purchase_year`` column: no device is dated (coverage 0), so the trend is unknown and the growth 0."""
    own = tj.own_fleet_trend(pd.DataFrame({"category": ["laptop"], "quantity": [10]}), 2023)
    assert (own["growth_per_year"], own["known"], own["n_years"], own["coverage"]) == (0.0, False, 0, 0.0)
    assert own_trend_basis_fr(own) == ("tendance propre inconnue (aucun équipement de l'inventaire n'a de date d'achat) : "
                            "croissance 0 %")


def test_own_trend_unknown_says_why_without_contradiction():
    """Issue 33: every device dated but each category bought in one or two years only: the basis says so (not "achats
    datés sur 0 années …, 100 % des équipements datés"); a quarter dated: says the coverage is too low."""
    inv = pd.DataFrame({"category": ["laptop", "laptop", "screen"], "quantity": [10, 5, 8],
                        "purchase_year": [2021, 2022, 2020]})
    own = tj.own_fleet_trend(inv, 2023)
    assert own["known"] is False and own["coverage"] == 1.0
    assert own_trend_basis_fr(own) == ("tendance propre inconnue (100 % des équipements datés, mais aucune catégorie n'a d'achats "
                            "sur au moins 3 années différentes de 2019 à 2023) : croissance 0 %")
    few = pd.DataFrame({"category": ["laptop", "laptop"], "quantity": [10, 30], "purchase_year": [2021, None]})
    assert own_trend_basis_fr(tj.own_fleet_trend(few, 2023)) == (
        "tendance propre inconnue (25 % seulement des équipements ont une date d'achat, il en faut 50 %) : "
        "croissance 0 %")


def test_own_trend_counts_a_quantity_that_is_not_a_number_as_no_device():
    """A quantity cell « n.c. » counts 0 devices (never an exception): the trend is the one of the other lines."""
    inv = pd.concat([_growing_fleet(), pd.DataFrame({"category": ["laptop"], "quantity": ["n.c."],
                                                     "purchase_year": [2020]})], ignore_index=True)
    own = tj.own_fleet_trend(inv, 2023)
    assert own["growth_per_year"] == pytest.approx(0.1, rel=1e-12) and own["n_years"] == 3


def test_a_lifetime_under_one_year_still_reads_the_reference_year():
    """W_c = min(window, L_c): a category of lifetime 0.5 year reads the purchases of the reference year (2023), so
    with ``min_years=1`` its 7 devices of 2023 add a fourth purchase year to the laptops' 2020–2022 (the growth,
    from the laptops alone, stays +10 %)."""
    inv = pd.DataFrame({"category": ["dongle", "laptop", "laptop", "laptop"], "quantity": [7, 100, 110, 121],
                        "purchase_year": [2023, 2020, 2021, 2022], "lifetime_years": [0.5, 5, 5, 5]})
    own = tj.own_fleet_trend(inv, 2023, min_years=1)
    assert own["n_years"] == 4 and own["growth_per_year"] == pytest.approx(0.1, rel=1e-12)
    assert own_trend_basis_fr(own) == ("tendance propre du parc : achats de 2019 à 2023 par catégorie, dans la durée de vie de "
                            "chacune (4 années, 100 % des équipements datés) : +10,0 % par an")
