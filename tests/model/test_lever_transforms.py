"""Levers: exact results of each transform and of the dispatch (issue 22, survivors of ``make mutate``).

Each test feeds a small hand-made table to one lever and checks the values it returns against arithmetic done in
the docstring; the hosting kinds are the reference file's (server room: default PUE 2.0).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from builders.lever_tables import laptops  # noqa: F401

from helpers.io.factors import load_hosting_kinds
from helpers.model import levers as lv
from helpers.plan import actions as ac
from helpers.report import actions as actions_report


def _french_unit(got: tuple[float, str]) -> tuple[float, str]:
    """An indicator ``(value, unit code)`` with its unit as the diagnostic writes it (:mod:`helpers.report.actions`)."""
    return got[0], actions_report.INDICATOR_UNITS_FR[got[1]]



def purchases() -> pd.DataFrame:
    """1,000 € of software and 4,000 € of cloud in the reference year."""
    return pd.DataFrame({"entity": ["ville", "ville"], "category": ["software", "cloud"],
                         "amount_eur": [1000.0, 4000.0], "in_reference_year": [True, True]})


# --------------------------------------------------------------------------------------------------------------
# Yes/no flags
# --------------------------------------------------------------------------------------------------------------

def test_reconditioned_flags_written_in_words_are_read_as_yes():
    """Six laptops, one per line, flagged 'True', 'YES', ' oui ', '1', 'Vrai' and 'no': five of six are
    reconditioned, so the reconditioned-share indicator is 5 / 6 × 100 = 83.33 %."""
    inv = pd.concat([laptops(1.0)] * 6, ignore_index=True)
    inv["reconditioned"] = pd.Series(["True", "YES", " oui ", "1", "Vrai", "no"], dtype=object)
    value, unit = _french_unit(ac.indicator_value(lv.PlanInputs(inventory=inv), "reconditioned_share", ["laptop"]))
    assert (value, unit) == (pytest.approx(500 / 6, rel=1e-12), "%")


# --------------------------------------------------------------------------------------------------------------
# Inventory levers
# --------------------------------------------------------------------------------------------------------------

def test_reconditioned_part_of_a_line_is_a_new_line_named_after_it():
    """Half of L1's 100 laptops bought reconditioned: L1 keeps 50 new, a line 'L1:recond' holds the other 50."""
    out = lv.reconditioned_share(laptops(), ["laptop"], 0.5)
    assert list(out["line_id"]) == ["L1", "L1:recond"]
    assert list(out["quantity"]) == [50.0, 50.0]
    assert list(out["reconditioned"]) == [False, True]


def test_power_management_on_whole_kwh_gives_fractional_savings():
    """yearly_kwh read as whole numbers (int column): 45 kWh × (1 − 0.5) = 22.5 kWh, with no column added."""
    inv = laptops().assign(yearly_kwh=[45])
    out = lv.power_management(inv, ["laptop"], 0.5)
    assert out["yearly_kwh"].tolist() == [22.5]
    assert list(out.columns) == list(inv.columns)


def test_apply_lever_fleet_reduction_removes_the_share_of_the_target_devices():
    """fleet_reduction 0.25 on 100 laptops through the dispatch: 100 × (1 − 0.25) = 75."""
    out = lv.apply_lever(lv.PlanInputs(inventory=laptops()), "fleet_reduction", 0.25, ["laptop"])
    assert out.inventory["quantity"].tolist() == [75.0]


@pytest.mark.parametrize("lever, value, targets", [
    ("screens_per_workstation", 1.0, []),
    ("software_spend", 0.5, ["software"]),
])
def test_balance_lever_leaves_the_inputs_alone_on_the_services_perimeter(lever, value, targets):
    """Applied on the services perimeter only, a balance lever returns the very same inputs (100 laptops,
    200 screens: the screen lever would otherwise scale the screens down to 100)."""
    inv = pd.concat([laptops(), laptops(200.0).assign(line_id="S1", category="screen_small")], ignore_index=True)
    inputs = lv.PlanInputs(inventory=inv, purchases=purchases())
    assert lv.apply_lever(inputs, lever, value, targets, perimeters=("services",)) is inputs


# --------------------------------------------------------------------------------------------------------------
# Other inputs of the balance
# --------------------------------------------------------------------------------------------------------------

def test_printing_reduction_also_reduces_pages_per_year():
    """printing.csv given in pages: 50,000 pages × (1 − 0.4) = 30,000 pages."""
    printing = pd.DataFrame({"entity": ["ville"], "reams_per_year": [np.nan], "pages_per_year": [50_000.0]})
    out = lv.printing_reduction(printing, 0.4)
    assert out["pages_per_year"].tolist() == [pytest.approx(30_000.0, rel=1e-12)]


def test_software_spend_acts_on_the_purchase_categories_it_targets():
    """Target 'cloud', reduction 0.5: cloud 4,000 → 2,000 €, software unchanged at 1,000 € (dispatch and lever)."""
    out = lv.apply_lever(lv.PlanInputs(inventory=laptops(), purchases=purchases()), "software_spend", 0.5, ["cloud"])
    assert out.purchases["amount_eur"].tolist() == [1000.0, 2000.0]


def test_software_spend_without_target_acts_on_software():
    """No target: the software line, 1,000 € × (1 − 0.5) = 500 €; cloud unchanged."""
    out = lv.software_spend(purchases(), 0.5, [])
    assert out["amount_eur"].tolist() == [500.0, 4000.0]


# --------------------------------------------------------------------------------------------------------------
# Hosting consolidation
# --------------------------------------------------------------------------------------------------------------

def test_merging_a_site_with_a_measured_energy_adds_its_measure_to_the_receiving_site():
    """'a>b': a measured 10,000 kWh of IT, b 50,000 kWh, so b measures 60,000 kWh after the merge and a nothing
    (the 100 laptops × 48 kWh moved would be the estimate only without a's measure)."""
    hosting = pd.DataFrame({"site_id": ["a", "b"], "entity": ["ville", "ville"], "kind": ["server_room"] * 2,
                            "pue": [np.nan, 1.4], "it_kwh_per_year": [10_000.0, 50_000.0],
                            "floor_area_m2": [30.0, 50.0]})
    h, inv = lv.hosting_consolidation(hosting, laptops().assign(site="a"), load_hosting_kinds(), 1.5, ["a>b"])
    it = h.set_index("site_id")["it_kwh_per_year"]
    assert it["b"] == 60_000.0 and np.isnan(it["a"])
    assert inv["site"].tolist() == ["b"]


def test_hosting_consolidation_without_a_pue_column_sets_the_target_on_own_rooms():
    """No 'pue' column: the server room's default PUE (2.0) is above the target 1.5, so the room gets 1.5; the
    colocation site (not the collectivity's to change) stays without a PUE."""
    hosting = pd.DataFrame({"site_id": ["salle", "coloc"], "entity": ["ville", "ville"],
                            "kind": ["server_room", "colocation"]})
    h, _ = lv.hosting_consolidation(hosting, laptops(), load_hosting_kinds(), 1.5)
    pue = h.set_index("site_id")["pue"]
    assert pue["salle"] == 1.5 and np.isnan(pue["coloc"])


def test_hosting_consolidation_reads_a_pue_written_as_text():
    """PUE read as text ('2.4', ''), site a targeted: a's 2.4 is capped at 1.5; b's empty PUE is a missing
    number (NaN), not an empty string; no column is added."""
    hosting = pd.DataFrame({"site_id": ["a", "b"], "entity": ["ville", "ville"], "kind": ["colocation"] * 2,
                            "pue": pd.Series(["2.4", ""], dtype=object)})
    h, _ = lv.hosting_consolidation(hosting, laptops(), load_hosting_kinds(), 1.5, ["a"])
    assert h["pue"].iat[0] == 1.5 and np.isnan(h["pue"].iat[1])
    assert list(h.columns) == list(hosting.columns)
