"""The model's vocabulary, defined once: life-cycle phases, tiers, data qualities and impact criteria, with their
French labels.

Every module reads these names from here (``carbon``, ``factors``, ``services``, ``inventory``, ``carbon_inputs``
keep their historical aliases, e.g. ``carbon.TIERS is vocab.BALANCE_TIERS``). Three tier lists exist because three
things are split by tier, and they are not the same split:

- :data:`BALANCE_TIERS`: the carbon balance's five lines (equipment tiers, then purchased services and paper);
- :data:`DEVICE_TIERS`: the tiers a device category or a factor can belong to (``categories.csv``, ``factors.csv``);
- :data:`SERVICE_TIERS`: the three tiers of ADEME's digital-services LCA models (``terminaux``, ``réseau``,
  ``centre de données``), spelt in the singular in the services' tables and summary (``network_share`` …);
  :data:`SERVICE_TIER_TO_BALANCE` maps each to its balance tier.

Sources: phases of the ADEME–Arcep / NegaOctet method (manufacturing, distribution, use, end of life); criteria of
the PEF/EF 3.0 set used by ADEME–Arcep 2022 (their units as in Base Empreinte); the services' tiers of ADEME's
``publicodes-acv-numerique`` models.
"""

from __future__ import annotations

#: life-cycle phases of a physical object (the balance's phase split)
PHASES: tuple[str, ...] = ("manufacturing", "distribution", "use", "end_of_life")
#: the phases whose impact is embodied in the object (annualised over its lifetime)
EMBODIED_PHASES: tuple[str, ...] = ("manufacturing", "distribution", "end_of_life")

#: the carbon balance's lines
BALANCE_TIERS: tuple[str, ...] = ("terminals", "networks", "datacentres", "services", "paper")
#: tiers of a device category or of a factor
DEVICE_TIERS: tuple[str, ...] = ("terminals", "networks", "datacentres")
#: tiers of the services' LCA (ADEME's models), singular spelling of the services' tables
SERVICE_TIERS: tuple[str, ...] = ("terminals", "network", "datacentre")
SERVICE_TIER_TO_BALANCE: dict[str, str] = {"terminals": "terminals", "network": "networks",
                                           "datacentre": "datacentres"}

#: data quality of a declared quantity
QUALITIES: tuple[str, ...] = ("high", "medium", "low")

#: impact criteria and their units
CRITERIA_UNITS: dict[str, str] = {
    "climate_change": "kgCO2e",
    "adp_minerals": "kgSbeq",
    "adp_fossil": "MJ",
    "ionising_radiation": "kBq U235eq",
    "particulate_matter": "disease incidence",
    "acidification": "mol H+eq",
    "water": "m3",
    "final_energy": "kWh",
}
CRITERIA: tuple[str, ...] = tuple(CRITERIA_UNITS)

# French labels -------------------------------------------------------------------------------------------------
TIER_LABELS_FR: dict[str, str] = {"terminals": "Terminaux", "networks": "Réseaux",
                                  "datacentres": "Centres de données", "services": "Services achetés",
                                  "paper": "Papier"}
SERVICE_TIER_LABELS_FR: dict[str, str] = {t: TIER_LABELS_FR[b] for t, b in SERVICE_TIER_TO_BALANCE.items()}
#: French names of the impact criteria (:data:`CRITERIA_UNITS`)
CRITERIA_LABELS_FR: dict[str, str] = {
    "climate_change": "Changement climatique",
    "adp_minerals": "Épuisement des ressources (minéraux et métaux)",
    "adp_fossil": "Épuisement des ressources fossiles",
    "ionising_radiation": "Rayonnements ionisants",
    "particulate_matter": "Particules fines",
    "acidification": "Acidification",
    "water": "Consommation d'eau",
    "final_energy": "Énergie finale",
}
