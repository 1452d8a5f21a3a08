"""The perimeter of a study, in the terms published balances use, so that a reference is compared only with a study
of the same perimeter (issue 36).

Published balances of collectivities differ first by what they count: Ille-et-Vilaine's 137 kgCO2e per agent leaves
the collèges out, Metz's 1,086 tCO2e leaves the schools out, the Métropole de Lyon's 2,103 tCO2e counts the collèges
(``data/raw/reference/published_benchmarks.csv``, column ``perimeter_schools``). A study counts the schools when one
of its entities is a school entity (kind ``ecoles``, ``colleges``, ``lycees``…, or a name saying « école »,
« collège », « lycée », « groupe scolaire ») **and** its balance gives that entity a footprint; an entity listed but
without any device or consumption does not put the schools in the perimeter.

Pure functions of values: the territory's entities and the balance by entity in, a small dict out.
"""

from __future__ import annotations

import re
import unicodedata

#: values of ``perimeter_schools`` (``published_benchmarks.csv``) and of ``carbon.perimeter.schools``
SCHOOLS_INCLUDED, SCHOOLS_EXCLUDED = "included", "excluded"

#: entity kinds that are schools (compared without accents, case or plural)
SCHOOL_KINDS = ("ecole", "college", "lycee", "scolaire", "school")
#: entities listed in ``carbon.perimeter`` (summary.json stays small for a syndicate of thousands of communes)
MAX_LISTED = 20
_SCHOOL_NAME_RE = re.compile(r"\b(ecoles?|colleges?|lycees?|groupes? scolaires?|etablissements? scolaires?)\b")


def _fold(text: str) -> str:
    """Lower case without accents: ``« Écoles »`` → ``"ecoles"``."""
    nfkd = unicodedata.normalize("NFKD", str(text or ""))
    return "".join(c for c in nfkd if not unicodedata.combining(c)).lower()


#: what follows these words in a name is left out of it (« Ville de Metz (hors écoles) » is not a school entity)
_EXCLUSION_RE = re.compile(r"\b(hors|sans|excepte|exclus|excluding|except|without)\b.*$")


def is_school_entity(kind: str, name: str) -> bool:
    """True when an entity is a school entity, from its kind (``ecoles``, ``colleges``, ``lycees``…) or its name
    (« Écoles de la Ville », « Collèges du Département »; not « Services (hors collèges) »)."""
    k = _fold(kind)
    named = _EXCLUSION_RE.sub("", _fold(name))
    return any(k.startswith(s) for s in SCHOOL_KINDS) or bool(_SCHOOL_NAME_RE.search(named))


def study_perimeter(entities, by_entity_tco2e: dict[str, float] | None = None) -> dict:
    """The perimeter of a study: ``{schools, school_entities, entities}``.

    ``entities``: the territory's entities (objects with ``id``, ``name``, ``kind``, or dicts); ``by_entity_tco2e``:
    the balance by entity id (``carbon.by_entity``). ``schools`` is :data:`SCHOOLS_INCLUDED` when a school entity has
    a footprint above zero (or, without ``by_entity_tco2e``, when one is listed), else :data:`SCHOOLS_EXCLUDED`;
    ``school_entities`` the ids of the school entities counted; ``entities`` the entities as ``{id, name, kind}``
    (the first :data:`MAX_LISTED`; ``n_entities`` counts them all: a syndicate may list thousands of communes).
    """
    def get(e, key):
        return e.get(key, "") if isinstance(e, dict) else getattr(e, key, "")

    listed = [{"id": str(get(e, "id")), "name": str(get(e, "name")), "kind": str(get(e, "kind") or "")}
              for e in entities]
    schools = [e["id"] for e in listed if is_school_entity(e["kind"], e["name"])]
    if by_entity_tco2e is not None:
        schools = [i for i in schools if float(by_entity_tco2e.get(i) or 0.0) > 0.0]
    return {"schools": SCHOOLS_INCLUDED if schools else SCHOOLS_EXCLUDED, "school_entities": schools[:MAX_LISTED],
            "entities": listed[:MAX_LISTED], "n_entities": len(listed)}


def perimeter_matches(reference_schools: str, study_schools: str | None) -> bool:
    """A reference is compared with a study when it sets no school perimeter (an all-sector panel, a national
    share), when the study's perimeter is unknown (a summary written before issue 36), or when both agree."""
    ref = str(reference_schools or "").strip()
    return not ref or study_schools is None or ref == study_schools
