"""The levers' names and the units of their parameter in French, by lever id (``helpers.model.levers.LEVERS``, the
ids of ``data/raw/reference/actions_catalogue.csv``): what the catalogue's input messages and the published tables
call them. The model's levers carry no French; ``tests/test_vocab.py`` checks that every lever has its label here.
"""

from __future__ import annotations

#: lever id -> its name in the diagnostic
LEVER_LABELS_FR: dict[str, str] = {
    "lifetime_extension": "Allongement de la durée de vie",
    "reconditioned_share": "Achats reconditionnés",
    "fleet_reduction": "Réduction du nombre d'équipements",
    "screens_per_workstation": "Écrans par poste de travail",
    "power_management": "Gestion de l'énergie (extinction, veille)",
    "printing_reduction": "Réduction des impressions",
    "hosting_consolidation": "Hébergement plus efficace (PUE cible, regroupement de salles)",
    "software_spend": "Mutualisation des logiciels et logiciels libres",
    "supplier_intensity": "Prestataires choisis sur leurs données carbone",
    "mobile_to_fixed": "Wi-Fi ou fixe plutôt que réseau mobile",
    "storage_purge": "Purge du stockage",
    "visio_audio_only": "Visioconférence en audio seul",
    "page_weight": "Allègement des pages web",
    "lazy_loading": "Chargement différé des contenus",
    "video_quality": "Qualité vidéo plafonnée",
    "fleet_stabilisation": "Stabilisation du parc (pas de croissance)",
    "none": "Sans gain carbone calculé (indicateur propre)",
}

#: lever id -> the unit of its parameter, as the catalogue's messages name it ("" for a lever without parameter)
LEVER_UNITS_FR: dict[str, str] = {
    "lifetime_extension": "années ajoutées",
    "reconditioned_share": "part des achats",
    "fleet_reduction": "part du parc retirée",
    "screens_per_workstation": "écrans par poste (cible)",
    "power_management": "part de l'énergie économisée",
    "printing_reduction": "part du papier économisée",
    "hosting_consolidation": "PUE cible",
    "software_spend": "part de la dépense économisée",
    "supplier_intensity": "part de l'intensité carbone des achats réduite",
    "mobile_to_fixed": "part des données mobiles basculée",
    "storage_purge": "part du volume stocké supprimée",
    "visio_audio_only": "part des heures vidéo passées en audio",
    "page_weight": "part du poids des pages retirée",
    "lazy_loading": "part des contenus non chargés",
    "video_quality": "qualité maximale",
    "fleet_stabilisation": "part de la croissance évitée",
    "none": "",
}
