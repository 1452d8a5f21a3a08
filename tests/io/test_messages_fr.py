"""Messages an analyst reads are French: the column texts quoted in input errors, and the checks of the territory
files read by services, maturity, actions, rgesn and factors (issue 17, "Messages in French")."""

from __future__ import annotations

import pytest

from helpers.io import rgesn_inputs as ri
from helpers.io import services_inputs as si
from helpers.io.errors import InputError
from helpers.io.tables import Column, Schema, read_table


def test_missing_required_column_quotes_the_french_label(tmp_csv):
    """services.csv without a 'hosting' column: the message quotes the column's label_fr, not its English
    README description."""
    path = tmp_csv("service_id,name,type,annual_volume,volume_unit\nsite,Site,website,100,visits\n", "services.csv")
    with pytest.raises(InputError) as exc:
        read_table(path, si.SERVICES_SCHEMA)
    msg = str(exc.value)
    assert ("ligne 1, colonne 'hosting' : attendu une colonne 'hosting' (un site_id de hosting.csv ou un type "
            "d'hébergement de hosting_kinds.csv)") in msg
    assert "site_id of hosting.csv" not in msg


def test_empty_required_value_quotes_the_french_label(tmp_csv):
    path = tmp_csv("service_id,name,type,annual_volume,volume_unit,hosting\nsite,,website,100,visits,cloud\n",
                   "services.csv")
    with pytest.raises(InputError) as exc:
        read_table(path, si.SERVICES_SCHEMA)
    assert "ligne 2, colonne 'name' : trouvé '' ; attendu une valeur (le nom affiché dans le diagnostic)" in \
        str(exc.value)


@pytest.mark.parametrize("kind, text", [("str", "un texte"), ("int", "un nombre entier"), ("float", "un nombre"),
                                        ("year", "une année")])
def test_a_column_without_label_fr_is_named_by_its_kind_in_french(tmp_csv, kind, text):
    """Reference-file columns have no label_fr: the English description is not quoted, the kind is, in French."""
    schema = Schema(file="x.csv", columns=(Column("a", "str"), Column("b", kind, required=True,
                                                                      description="English README text")))
    with pytest.raises(InputError) as exc:
        read_table(tmp_csv("a\n1\n", "x.csv"), schema)
    assert f"attendu une colonne 'b' ({text})" in str(exc.value) and "English" not in str(exc.value)


def test_every_required_column_of_a_territory_input_has_a_french_label():
    """The territory's own files (the analyst fills them in): each required column quotes a French label."""
    from helpers.io import carbon_inputs, catalogue, factors
    from helpers.io import maturity_inputs as maturity

    schemas = [si.SERVICES_SCHEMA, maturity.MATURITY_SCHEMA, ri.RGESN_SCHEMA, catalogue.ACTIONS_SCHEMA,
               factors.FACTOR_OVERRIDE_SCHEMA, carbon_inputs.HOSTING_SCHEMA, carbon_inputs.TELECOM_SCHEMA,
               carbon_inputs.PURCHASES_SCHEMA, carbon_inputs.PRINTING_SCHEMA]
    missing = [(s.file, c.name) for s in schemas for c in s.columns if c.required and not c.label_fr]
    assert missing == []


def test_services_cross_checks_are_french(tmp_csv):
    """A visio counted in visits, shares above 1 and an unknown hosting: the three messages in French."""
    path = tmp_csv("service_id,name,type,annual_volume,volume_unit,mobile_share,tablet_share,hosting\n"
                   "c,Visio,visio,100,visits,0.4,0,server_room\n"
                   "d,Mail,email,100,messages,0.7,0.5,sr-mairi\n", "services.csv")
    with pytest.raises(InputError) as exc:
        si.read_services(path, ["sr-mairie"], hosting_kinds=["server_room"])
    msg = str(exc.value)
    assert "ligne 2, colonne 'volume_unit' : trouvé 'visits' ; attendu pour un service de type 'visio', une unité " \
           "parmi" in msg
    assert "ligne 3, colonne 'tablet_share' : trouvé 0.5 ; attendu mobile_share + tablet_share <= 1 (somme " \
           "trouvée : 1.2)" in msg
    assert "ligne 3, colonne 'hosting' : trouvé 'sr-mairi' ; attendu un site_id de hosting.csv ['sr-mairie'] ou " \
           "un type d'hébergement ['server_room'] (les plus proches : sr-mairie)" in msg


def test_rgesn_answer_and_unjustified_compliance_are_french(tmp_csv):
    path = tmp_csv("service_id,criterion,answer,justification\nsite,1.1,peut-être,\nsite,1.2,conforme,\n",
                   "rgesn.csv")
    with pytest.raises(InputError) as exc:
        ri.read_rgesn(path, ["site"])
    msg = str(exc.value)
    assert "ligne 2, colonne 'answer' : trouvé 'peut-être' ; attendu une valeur parmi" in msg
    assert ("avertissement : " in msg and "ligne 3, colonne 'justification' : trouvé '' ; attendu une justification "
            "pour une réponse conforme ou non applicable (RGESN)") in msg
