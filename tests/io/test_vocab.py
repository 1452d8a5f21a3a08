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
    from helpers.report.services import TIER_LABELS_FR

    assert TIER_LABELS_FR == {"terminals": "Terminaux", "network": "Réseaux", "datacentre": "Centres de données"}
    assert set(vocab.DEVICE_TIERS) < set(vocab.BALANCE_TIERS) and set(vocab.CRITERIA_UNITS) >= set(carbon_labels.CRITERIA_LABELS)


def test_every_lever_is_registered_with_its_function():
    """One registry (issues 19, 37): each lever of LEVERS is one object carrying its transform: a balance transform
    when it acts on the balance, a scenario of the services model when it acts on the services, neither otherwise."""
    from helpers.model import levers

    for lever in levers.LEVERS.values():
        assert (lever.balance is not None) == ("balance" in lever.perimeters), lever.id
        assert (lever.scenario is not None) == ("services" in lever.perimeters), lever.id
        assert lever.scenario is None or lever.scenario in services.SCENARIOS, lever.id


def test_every_lever_has_its_french_name_and_unit():
    """The levers carry no French (issue 37): each one's name is in the report layer, the unit of its parameter in
    the messages of io, and nothing else is there."""
    from helpers.io.lever_units import LEVER_UNITS_FR
    from helpers.model import levers
    from helpers.report.levers import LEVER_LABELS_FR

    assert set(LEVER_LABELS_FR) == set(levers.LEVERS) == set(LEVER_UNITS_FR)
    assert all(LEVER_UNITS_FR[k] for k, lever in levers.LEVERS.items() if lever.parameter)
