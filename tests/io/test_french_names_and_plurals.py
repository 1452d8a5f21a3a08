"""French grammar of the published text (issue 33; ``helpers.io.french``): a collectivity's name after « de » and as a
subject with its article, and counted nouns agreed in number. Each expected string is written out by hand from the
rules of French (elision before a vowel, « du »/« des » contractions, plural word by word up to the first
preposition or elided word); the docstrings of :func:`helpers.io.french.de_name` and
:func:`helpers.io.french.plural_of` give the same examples."""

from __future__ import annotations

import pytest

from helpers.io.french import count_text, de_name, name_article, plural_of, the_name


@pytest.mark.parametrize(("name", "kind", "article", "expected"), [
    ("Commune de Trois-Lignes", None, None, "la"),
    ("Département d'Ille-et-Vilaine", None, None, "le"),
    ("Eurométropole de Metz", None, None, "la"),
    ("Écoles de la Ville", None, None, "les"),
    ("CCAS de La Rochelle", None, None, "le"),
    ("La Rochelle", None, None, ""),  # the article belongs to the proper name
    ("L'Haÿ-les-Roses", None, None, ""),
    ("Orléans", None, None, ""),
    ("", None, None, ""),
    ("  ", "commune", None, ""),
    ("Departemnt du Nord", "departement", None, "le"),  # a first word the lexicon does not know, confirmed by kind
    ("Departemnt du Nord", None, None, ""),  # … and without the kind, a proper name
    ("Departemnt du Nord", "ecoles", None, ""),  # a kind whose noun the first word does not start with
    ("Rennes Métropole", "metropole", None, ""),
    ("Syndicat Mixte", None, "LA", "la"),  # given article, any case
    ("Pays Basque", None, "l'", "la"),  # l' folded into la
    ("Pays Basque", None, "l’", "la"),  # typographic apostrophe
    ("Pays Basque", None, "l", "la"),
    ("Pays Basque", None, " les ", "les"),
    ("Pays Basque", None, "", ""),
    ("Pays Basque", None, "un", ""),  # not an article
    ("Ville, centre", None, None, "la"),  # punctuation after the first word
    ("Agglo’ de Pau", None, None, "la"),
])
def test_name_article(name, kind, article, expected):
    assert name_article(name, kind, article) == expected


@pytest.mark.parametrize(("name", "kwargs", "expected"), [
    ("Commune de Trois-Lignes", {}, "de la Commune de Trois-Lignes"),
    ("Département d'Ille-et-Vilaine", {}, "du Département d'Ille-et-Vilaine"),
    ("Eurométropole de Metz", {}, "de l'Eurométropole de Metz"),
    ("Établissement public", {}, "de l'Établissement public"),
    ("Écoles de la Ville", {}, "des Écoles de la Ville"),
    ("La Rochelle", {}, "de La Rochelle"),
    ("Le Havre", {}, "du Havre"),
    ("Les Mureaux", {}, "des Mureaux"),
    ("Orléans", {}, "d'Orléans"),
    ("Haguenau", {}, "de Haguenau"),  # an initial h is aspirated
    ("  Rennes  ", {}, "de Rennes"),
    ("Pays Basque", {"article": "le"}, "du Pays Basque"),
    ("Île-de-France Mobilités", {"article": "la"}, "de l'Île-de-France Mobilités"),
    ("Le", {}, "de Le"),  # one word: no contraction
])
def test_de_name(name, kwargs, expected):
    assert de_name(name, **kwargs) == expected


@pytest.mark.parametrize(("name", "kwargs", "expected"), [
    ("Commune de Trois-Lignes", {}, "la Commune de Trois-Lignes"),
    ("Eurométropole de Metz", {}, "l'Eurométropole de Metz"),
    ("CCAS de La Rochelle", {}, "le CCAS de La Rochelle"),
    ("Écoles de la Ville", {}, "les Écoles de la Ville"),
    ("La Rochelle", {}, "La Rochelle"),
    ("Commune de Trois-Lignes", {"capital": True}, "La Commune de Trois-Lignes"),
    ("Eurométropole de Metz", {"capital": True}, "L'Eurométropole de Metz"),
    ("orléans", {"capital": True}, "Orléans"),
    (" Syndicat des eaux ", {}, "le Syndicat des eaux"),
])
def test_the_name(name, kwargs, expected):
    assert the_name(name, **kwargs) == expected


@pytest.mark.parametrize(("words", "expected"), [
    ("ligne lue", "lignes lues"),
    ("équipement sans date", "équipements sans date"),
    ("jour d'agent", "jours d'agent"),
    ("jour d’agent", "jours d’agent"),
    ("action complémentaire", "actions complémentaires"),
    ("total", "totaux"),
    ("final", "finals"),
    ("prix", "prix"),
    ("gaz", "gaz"),
    ("bureau", "bureaux"),
    ("tuyau", "tuyaux"),
    ("jeu", "jeux"),
    ("pneu", "pneus"),
    ("site non daté", "sites non datés"),
    ("poste et écran", "postes et écrans"),
    ("ligne de la commune", "lignes de la commune"),
    ("écran 27", "écrans 27"),  # a word not ending in a letter stays
    ("", ""),
])
def test_plural_of(words, expected):
    assert plural_of(words) == expected


@pytest.mark.parametrize(("n", "args", "expected"), [
    (0, ("ligne",), "0 ligne"),
    (1, ("ligne lue",), "1 ligne lue"),
    (1.5, ("jour",), "2 jours"),  # printed "2": plural (1.5 rounds half to even, as the printed number)
    (2.5, ("jour",), "2 jours"),
    (1.4, ("jour",), "1 jour"),
    (-3, ("tonne",), "-3 tonnes"),
    (2, ("ligne",), "2 lignes"),
    (445, ("ligne",), "445 lignes"),
    (3, ("œil", "yeux"), "3 yeux"),
    (None, ("ligne",), "n.d. ligne"),
    (float("nan"), ("ligne",), "n.d. ligne"),
])
def test_count_text(n, args, expected):
    assert count_text(n, *args) == expected


def test_count_text_agrees_with_the_decimals_printed():
    assert count_text(1.5, "jour", decimals=1) == "1,5 jour" and count_text(1.96, "jour", decimals=1) == "2,0 jours"
