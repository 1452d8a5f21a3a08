"""The levers' names in French, by lever id (``helpers.model.levers.LEVERS``, the ids of
``data/raw/reference/actions_catalogue.csv``): what the published tables (``tables.xlsx``) call them. The model's
levers carry no French; ``tests/io/test_vocab.py`` checks that every lever has its name here.
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
