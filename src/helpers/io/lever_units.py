"""The unit of each lever's parameter in French, by lever id (``helpers.model.levers.LEVERS``, the ids of
``data/raw/reference/actions_catalogue.csv``): what the messages on a wrong value in ``actions.csv`` call it. They
live in io, beside the readers' other French messages (``helpers.io.tables.Column.label_fr``), because the reader of
``actions.csv`` may not import the report layer; the levers' display names are ``helpers.report.levers``.
``tests/io/test_vocab.py`` checks that every lever has its unit here.
"""

from __future__ import annotations

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
