"""The vocabulary is defined once (issue 19): each module's historical name is the very object of helpers.io.vocab."""

from __future__ import annotations

from helpers.io import carbon_inputs, factors, inventory, vocab
from helpers.model import carbon, services
from helpers.report import carbon_labels


def test_each_module_reads_the_one_vocabulary():
    assert carbon.PHASES is factors.PHASES is vocab.PHASES
    assert carbon.EMBODIED_PHASES is services.PHASES_EMBODIED is vocab.EMBODIED_PHASES
    assert carbon.TIERS is vocab.BALANCE_TIERS
    assert factors.TIERS is carbon.EQUIPMENT_TIERS is vocab.DEVICE_TIERS
    assert services.TIERS is vocab.SERVICE_TIERS
    assert carbon.QUALITIES is carbon_inputs.QUALITIES is inventory.QUALITIES is vocab.QUALITIES
    assert factors.CRITERIA is vocab.CRITERIA and factors.criteria_units() == vocab.CRITERIA_UNITS
    assert carbon_labels.TIER_LABELS is vocab.TIER_LABELS_FR


def test_the_services_tiers_map_onto_the_balance_equipment_tiers_with_the_same_labels():
    assert [vocab.SERVICE_TIER_TO_BALANCE[t] for t in vocab.SERVICE_TIERS] == list(vocab.DEVICE_TIERS)
    assert services.TIER_LABELS_FR == {"terminals": "Terminaux", "network": "Réseaux",
                                       "datacentre": "Centres de données"}
    assert set(vocab.DEVICE_TIERS) < set(vocab.BALANCE_TIERS) and set(vocab.CRITERIA_UNITS) >= set(carbon_labels.CRITERIA_LABELS)


def test_every_lever_is_registered_with_its_function():
    """One registry (issue 19): each lever of LEVERS has its transform in APPLY, and nothing else is there."""
    from helpers.model import levers

    assert set(levers.APPLY) == set(levers.LEVERS)
