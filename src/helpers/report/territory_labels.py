"""The French of the territory's footprint by actor (issue 35): the names of the actors, of their drivers and of the
NAF sections, the method note of each line, the indicators' names, units and details, and ``territory.*`` of
``summary.json``.

The model (:mod:`helpers.model.territory_actors`) returns codes and numbers; :func:`published` turns its état des
lieux into the published form (the processed tables ``territory_actors``, ``territory_sectors`` and
``territory_indicators``, with the same columns, in the same order, as the section has always written), which
:func:`summary`, the diagnostic (:func:`helpers.report.ingest.actors_markdown`) and ``tables.xlsx`` read.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from helpers.model.territory_actors import TerritoryActors, total

#: French names of the NAF rev. 2 sections (INSEE nomenclature d'activités française)
SECTION_LABELS_FR: dict[str, str] = {
    "A": "Agriculture, sylviculture et pêche", "B": "Industries extractives", "C": "Industrie manufacturière",
    "D": "Électricité, gaz, vapeur", "E": "Eau, assainissement, déchets", "F": "Construction",
    "G": "Commerce, réparation d'automobiles", "H": "Transports et entreposage", "I": "Hébergement et restauration",
    "J": "Information et communication", "K": "Activités financières et d'assurance", "L": "Activités immobilières",
    "M": "Activités spécialisées, scientifiques et techniques", "N": "Services administratifs et de soutien",
    "O": "Administration publique", "P": "Enseignement", "Q": "Santé humaine et action sociale",
    "R": "Arts, spectacles et loisirs", "S": "Autres activités de services", "T": "Ménages employeurs",
    "U": "Activités extra-territoriales", "DE": "Énergie, eau, déchets", "MN": "Services aux entreprises",
    "OQ": "Administration, enseignement, santé, action sociale", "RU": "Autres services (arts, loisirs, ménages)",
}

#: French names of the actors (:data:`helpers.model.territory_actors.ACTORS`, the lines of ``territory.by_actor``)
ACTOR_LABELS_FR: dict[str, str] = {
    "households": "Ménages (terminaux des foyers)",
    "businesses": "Entreprises (terminaux professionnels)",
    "schools_public": "Écoles et services publics",
    "terminals": "Terminaux de tous les usagers (ménages, entreprises, services publics)",
    "other_terminals": "Autres terminaux (usagers sans donnée locale)",
    "datacentres": "Centres de données",
    "networks": "Réseaux (fixes et mobiles)",
    "networks_fixed": "Réseaux fixes (box comprises)",
    "networks_mobile": "Réseaux mobiles",
}

#: The driver of a ``local`` line, by actor (a ``national_ratio`` line's driver is the inhabitants)
LOCAL_DRIVER_FR: dict[str, str] = {
    "households": "ménages", "businesses": "emplois salariés", "schools_public": "élèves et emplois publics",
    "datacentres": "MW ou m² installés", "networks_fixed": "accès fixes", "networks_mobile": "cartes SIM",
}
NATIONAL_DRIVER_FR = "habitants"

#: The method note of each line, by (actor, basis); ``schools_public`` is worded by :func:`_schools_public_note`
LINE_NOTES_FR: dict[tuple[str, str], str] = {
    ("households", "local"): "ménages du recensement × terminaux des foyers par ménage (reste national des terminaux)",
    ("businesses", "local"): "emplois salariés des secteurs marchands × terminaux par emploi (WeNR 2021)",
    ("terminals", "national_ratio"): "part de la population dans les terminaux nationaux (79 %)",
    ("other_terminals", "national_ratio"): "terminaux nationaux au prorata de la population, moins la moyenne "
                                           "nationale des acteurs donnés localement",
    ("datacentres", "local"): "centres de données situés sur le territoire × empreinte nationale par MW (ou par m²) "
                              "installé",
    ("datacentres", "national_ratio"): "part de la population dans les centres de données utilisés depuis la France "
                                       "(16 %)",
    ("networks", "national_ratio"): "part de la population dans les réseaux nationaux (5 %)",
    ("networks_fixed", "local"): "lignes du territoire × empreinte nationale par ligne",
    ("networks_mobile", "local"): "lignes du territoire × empreinte nationale par ligne",
    ("networks_fixed", "national_ratio"): "part de la population dans ce réseau national",
    ("networks_mobile", "national_ratio"): "part de la population dans ce réseau national",
}

#: Columns of the published ``territory_actors`` table
LINE_COLUMNS = ["actor", "label_fr", "basis", "driver_fr", "driver_value", "intensity_kgco2e", "value_tco2e",
                "low_tco2e", "high_tco2e", "note"]


def _schools_public_note(pupils: float, public_jobs: float) -> str:
    parts = []
    if not np.isnan(pupils):
        parts.append(f"élèves × équipement scolaire par élève ({pupils:.0f} élèves)")
    if not np.isnan(public_jobs):
        parts.append(f"emplois salariés de l'administration, l'enseignement, la santé ({public_jobs:.0f})")
    return " ; ".join(parts)


def _line_note(r) -> str:
    if r.actor == "schools_public":
        return _schools_public_note(float(r.pupils), float(r.public_jobs))
    return LINE_NOTES_FR[(r.actor, r.basis)]


def actor_lines(lines: pd.DataFrame) -> pd.DataFrame:
    """:func:`helpers.model.territory_actors.actor_lines` as published (:data:`LINE_COLUMNS`): each actor's French
    name, its driver and the method note of its line."""
    out = lines.copy()
    out["label_fr"] = [ACTOR_LABELS_FR[a] for a in out["actor"]]
    out["driver_fr"] = [LOCAL_DRIVER_FR[a] if b == "local" else NATIONAL_DRIVER_FR
                        for a, b in zip(out["actor"], out["basis"])]
    out["note"] = [_line_note(r) for r in out.itertuples(index=False)]
    return out[LINE_COLUMNS]


def sector_table(sectors: pd.DataFrame | None) -> pd.DataFrame | None:
    """:func:`helpers.model.territory_actors.sector_table` with each section's French name (``label_fr``)."""
    if sectors is None:
        return None
    out = sectors.copy()
    out.insert(1, "label_fr", out["section"].map(SECTION_LABELS_FR).fillna(out["section"]))
    return out


#: French names and units of the indicators (:func:`helpers.model.territory_actors.indicators`)
INDICATOR_LABELS_FR: dict[str, tuple[str, str]] = {
    "people_per_household": ("Personnes par ménage", "personnes"),
    "jobs_per_inhabitant": ("Emplois salariés pour 100 habitants", "emplois pour 100 habitants"),
    "pupils": ("Élèves des écoles et établissements", "élèves"),
    "datacentres": ("Centres de données sur le territoire", "sites"),
    "ftth_share": ("Locaux éligibles à la fibre (FttH)", "%"),
    "thd_share": ("Locaux éligibles à 30 Mbit/s ou plus", "%"),
    "fixed_per_household": ("Accès internet fixes par ménage", "accès par ménage"),
    "sim_per_inhabitant": ("Cartes SIM par habitant", "cartes par habitant"),
    "fragility_mean": ("Indice de fragilité numérique (moyenne pondérée par la population)", "score"),
    "fragility_max": ("Commune la plus fragile : {commune}", "score"),
}
#: The scales of the digital-fragility index (:data:`helpers.model.territory_actors.FRAGILITY_SCALES`)
FRAGILITY_SCALES_FR: dict[str, str] = {"base_100": "base 100, moyenne nationale = 100",
                                       "one_to_ten": "de 1 (faible) à 10 (élevé)"}
ARCEP_SOURCE_FR = "Arcep « Ma connexion internet »"
INDICATOR_COLUMNS = ["indicator", "label_fr", "value", "unit", "detail"]


def _indicator_detail(r) -> str:
    """The detail of an indicator: what it rests on (communes, establishments, MW, premises) or its scale."""
    scale = FRAGILITY_SCALES_FR.get(r.scale, "")
    return {
        "people_per_household": lambda: f"{r.detail_value:.0f} commune(s), recensement INSEE",
        "jobs_per_inhabitant": lambda: f"{r.detail_value:.0f} établissement(s)",
        "datacentres": lambda: f"{r.detail_value:.2f} MW informatiques déclarés".replace(".", ","),
        "ftth_share": lambda: f"{r.detail_value:.0f} locaux, {ARCEP_SOURCE_FR}",
        "thd_share": lambda: ARCEP_SOURCE_FR,
        "fragility_mean": lambda: f"échelle {scale} ; MedNum / ANSA",
        "fragility_max": lambda: f"échelle {scale}",
    }.get(r.indicator, lambda: "")()


def indicators(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`helpers.model.territory_actors.indicators` as published (:data:`INDICATOR_COLUMNS`): each indicator's
    French name, unit and detail."""
    rows = [{"indicator": r.indicator, "label_fr": INDICATOR_LABELS_FR[r.indicator][0].format(commune=r.commune),
             "value": float(r.value), "unit": INDICATOR_LABELS_FR[r.indicator][1], "detail": _indicator_detail(r)}
            for r in table.itertuples(index=False)]
    return pd.DataFrame(rows, columns=INDICATOR_COLUMNS)


def published(actors: TerritoryActors) -> TerritoryActors:
    """The état des lieux with its tables in their published form (:func:`actor_lines`, :func:`sector_table`,
    :func:`indicators`): what the section writes and the diagnostic reads."""
    return dataclasses.replace(actors, lines=actor_lines(actors.lines), sectors=sector_table(actors.sectors),
                               indicators=indicators(actors.indicators))


def summary(actors: TerritoryActors) -> dict:
    """``territory.*`` of ``summary.json`` from the published état des lieux (:func:`published`): ``total_tco2e``,
    ``by_actor``, the files and the indicators."""
    lines = actors.lines
    return {"total_tco2e": total(lines),
            "by_actor": [{"actor": r.actor, "label": r.label_fr, "basis": r.basis,
                          "tco2e": {"value": float(r.value_tco2e), "low": float(r.low_tco2e),
                                    "high": float(r.high_tco2e)}}
                         for r in lines.itertuples(index=False)],
            "actor_files": list(actors.provided),
            "indicators": {r.indicator: {"label": r.label_fr, "value": float(r.value), "unit": r.unit}
                           for r in actors.indicators.itertuples(index=False)}}
