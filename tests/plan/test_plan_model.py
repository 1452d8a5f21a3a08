"""The plan's model (issue 29): lifecycle levers that interact instead of adding up, business as usual from the
collectivity's own plans, factors that change over time, a target per scope. Values derived by hand in each
docstring.

100 laptops (ADEME/NegaOctet 2022: manufacturing 170, distribution 12.3, end of life 2.79 kgCO2e per unit) kept
5 years; a lifetime extension may take a new laptop to 7 years at most (``max_lifetime_years``, as peers do for
computers); a laptop bought reconditioned carries 30 % of the manufacturing impact and lives its second life, 3.5
years (``second_life_years``), which an extension cannot lengthen.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.io.factors import load_categories, load_hosting_kinds
from helpers.io.prices import load_unit_prices, price_dict
from helpers.model import levers as lv
from helpers.plan import actions as ac

#: the reference unit prices (data/raw/reference/unit_prices.csv), item -> EUR excl. VAT
PRICES = price_dict(load_unit_prices())

LAPTOP = {"manufacturing": 170.0, "distribution": 12.3, "end_of_life": 2.79}
E_NEW = sum(LAPTOP.values())  # 185.09 kgCO2e per new laptop
E_RECOND = 170.0 * 0.3 + 12.3 + 2.79  # 66.09 kgCO2e per reconditioned laptop
CAP, SECOND = 7.0, 3.5
BASE = 100 * E_NEW / 5  # 3,701.8 kgCO2e/year
A01 = BASE - 100 * E_NEW / CAP  # 5 → 8 years capped at 7: 1,057.657 kgCO2e/year
A05 = BASE - (70 * E_NEW / 5 + 30 * E_RECOND / SECOND)  # 30 % reconditioned: 544.054 kgCO2e/year
BOTH = BASE - (70 * E_NEW / CAP + 30 * E_RECOND / SECOND)  # 1,284.414 kgCO2e/year


def category_table() -> pd.DataFrame:
    return pd.DataFrame([{"category": "laptop", "label_fr": "Ordinateur portable", "tier": "terminals",
                          "factor_item": "laptop", "default_lifetime_years": 5.0, "lifetime_low_years": 3.0,
                          "lifetime_high_years": 8.0, "reconditioned_embodied_share": 0.3,
                          "max_lifetime_years": CAP, "second_life_years": SECOND}])


def models(n_draws: int = 500) -> ac.Models:
    factors = pd.DataFrame([(f"laptop:{p}:climate_change", "laptop", p, "climate_change", v, "kgCO2e/unit", "unit",
                             v * 0.8, v * 1.25, "lognormal") for p, v in LAPTOP.items()],
                           columns=["factor_id", "item", "phase", "criterion", "value", "unit", "activity_unit",
                                    "low", "high", "distribution"])
    return ac.Models(categories=category_table(), factors=factors, hosting_kinds=load_hosting_kinds(),
                     reference_year=2020, criteria=("climate_change",), n_draws=n_draws, seed=20200101, prices=PRICES)


def laptops(n: float = 100.0) -> pd.DataFrame:
    return pd.DataFrame({"line_id": ["L1"], "entity": ["ville"], "category": ["laptop"], "tier": ["terminals"],
                         "factor_item": ["laptop"], "quantity": [n], "purchase_year": [2020.0],
                         "age_years": [0.0], "lifetime_years": [5.0], "power_w": [26.5], "hours_per_day": [7.0],
                         "days_per_year": [220.0], "yearly_kwh": [0.0], "reconditioned": [False],
                         "quality": ["high"], "site": [None]})


def plan(extension_years: float = 3.0, share: float = 0.3, both: bool = True) -> pd.DataFrame:
    return pd.DataFrame([
        {"action_id": "A01", "lever": "lifetime_extension", "param": extension_years, "targets": ["laptop"],
         "selected": True},
        {"action_id": "A05", "lever": "reconditioned_share", "param": share, "targets": ["laptop"],
         "selected": both},
    ])


# ----------------------------------------------------------------------------------------------------------------
# Lifecycle levers: capped, and credited once
# ----------------------------------------------------------------------------------------------------------------

def test_an_extension_stops_at_the_cap_and_never_shortens_a_life():
    inv = pd.concat([laptops(), laptops().assign(line_id="L2", lifetime_years=9.0),
                     laptops().assign(line_id="L3", reconditioned=True, lifetime_years=SECOND)], ignore_index=True)
    out = lv.lifetime_extension(inv, ["laptop"], 3.0, category_table())
    assert out["lifetime_years"].tolist() == [CAP, 9.0, SECOND]  # 5 + 3 capped at 7; 9 kept; a second life capped
    assert lv.lifetime_extension(inv, ["laptop"], 3.0)["lifetime_years"].tolist() == [8.0, 12.0, 6.5]  # uncapped


def test_a_reconditioned_unit_lives_its_second_life_whatever_the_order_of_the_levers():
    a = lv.reconditioned_share(lv.lifetime_extension(laptops(), ["laptop"], 3.0, category_table()), ["laptop"], 0.3,
                               category_table())
    b = lv.lifetime_extension(lv.reconditioned_share(laptops(), ["laptop"], 0.3, category_table()), ["laptop"], 3.0,
                              category_table())
    for out in (a, b):
        assert out["quantity"].tolist() == pytest.approx([70.0, 30.0])
        assert out["lifetime_years"].tolist() == [CAP, SECOND]


def test_a01_and_a05_together_gain_less_than_each_alone_summed_by_the_hand_derived_overlap():
    """Alone: A01 1,057.66 and A05 544.05 kgCO2e/year; together 1,284.41, i.e. 317.30 less than their sum: the 30
    reconditioned laptops no longer gain the extension, 30 × 185.09 × (1/5 − 1/7)."""
    ev = ac.evaluate(plan(), lv.PlanInputs(inventory=laptops()), models())
    alone = ev.gains.set_index("action_id")["balance_gain_tco2e"] * 1000
    assert alone["A01"] == pytest.approx(A01, rel=1e-9)
    assert alone["A05"] == pytest.approx(A05, rel=1e-9)
    assert ev.plan_central["balance"] == pytest.approx(BOTH, rel=1e-9)
    overlap = 30 * E_NEW * (1 / 5 - 1 / CAP)
    assert A01 + A05 - BOTH == pytest.approx(overlap, rel=1e-12)
    assert alone["A01"] + alone["A05"] - ev.plan_central["balance"] == pytest.approx(overlap, rel=1e-9)


@pytest.mark.parametrize("years", [1.0, 2.0, 3.0, 10.0])
@pytest.mark.parametrize("share", [0.0, 0.3, 0.9])
def test_the_lifecycle_levers_never_gain_more_than_the_physically_possible(years, share):
    """Whatever the extension and the reconditioned share, the fleet's yearly embodied impact never falls below
    the new units' impact over their capped lifetime plus the reconditioned units' over their second life; it
    reaches that floor once the extension reaches the cap (5 + years ≥ 7)."""
    floor = (1 - share) * 100 * E_NEW / CAP + share * 100 * E_RECOND / SECOND
    ev = ac.evaluate(plan(years, share), lv.PlanInputs(inventory=laptops()), models(n_draws=100))
    gain = ev.plan_central["balance"]
    assert gain <= BASE - floor + 1e-9
    if 5 + years >= CAP:
        assert gain == pytest.approx(BASE - floor, rel=1e-9)


def test_the_library_caps_computers_at_seven_years_and_gives_each_category_a_second_life():
    cats = load_categories().set_index("category")
    assert (cats.loc[["laptop", "desktop", "thin_client"], "max_lifetime_years"] == 7.0).all()
    assert (cats["max_lifetime_years"] >= cats["default_lifetime_years"]).all()
    assert (cats["second_life_years"] >= 1.0).all()
    assert (cats["second_life_years"] <= cats["lifetime_high_years"]).all()
    # professional smartphones: 3 years; the household profile of ADEME, 2.5 years, kept as a sensitivity
    assert cats.loc["smartphone", "default_lifetime_years"] == 3.0
    assert cats.loc["smartphone", "household_lifetime_years"] == 2.5
