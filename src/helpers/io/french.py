"""French number format, shared by the texts the model writes into processed tables (notes, summary fields) and
by the report layer (``helpers.report.plotting`` re-exports these names).

``1234.5`` → ``'1 234,5'``: a narrow no-break space (U+202F) groups the thousands and a comma marks the decimals
(French typography).
"""

from __future__ import annotations

NBSP = "\u202f"  # narrow no-break space, the French thousands separator


def fr_number(value: float | int | None, decimals: int = 0, unit: str = "") -> str:
    """French number format: ``1234.5`` → ``'1 234,5'`` (narrow no-break space, decimal comma).

    ``None`` or NaN gives ``'n.d.'`` (non disponible).
    """
    if value is None or value != value:
        return "n.d."
    text = f"{value:,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return f"{text}{NBSP}{unit}" if unit else text


def fr_sig(value: float | None, digits: int = 3) -> str:
    """French format with ``digits`` significant digits: ``0.0461`` → ``'0,0461'``, ``748`` → ``'748'``,
    ``12345`` → ``'12 300'``; ``None``/NaN → ``'n.d.'``."""
    import math

    if value is None or value != value or math.isinf(value):
        return "n.d."
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(digits - 1 - magnitude, 0)
    return fr_number(round(float(value), digits - 1 - magnitude), decimals)


def fr_interval(value: float, low: float, high: float, decimals: int = 0, unit: str = "") -> str:
    """``'680 [590 – 790] tCO2e'``: a value with its 95 % interval."""
    core = f"{fr_number(value, decimals)} [{fr_number(low, decimals)} – {fr_number(high, decimals)}]"
    return f"{core}{NBSP}{unit}" if unit else core


# ----------------------------------------------------------------------------------------------------------------
# Grammar: names after "de" and counted nouns (issue 33: "de Département d'Ille-et-Vilaine", "1 lignes lues")
# ----------------------------------------------------------------------------------------------------------------

#: the articles a name can take, as written in ``territory.yaml`` (``article:``); "" for a name without article
ARTICLES: tuple[str, ...] = ("le", "la", "l'", "les", "")

#: the first word of a collectivity's name (lower case, no accent folding) -> its article: the institutions that
#: name French local authorities and their bodies (feminine "la", masculine "le", plural "les"; "l'" is chosen
#: before a vowel by :func:`_article_before`)
_NOUN_ARTICLES: dict[str, str] = {
    # feminine
    "ville": "la", "commune": "la", "communauté": "la", "communaute": "la", "métropole": "la", "metropole": "la",
    "eurométropole": "la", "eurometropole": "la", "agglomération": "la", "agglomeration": "la", "agglo": "la",
    "région": "la", "region": "la", "mairie": "la", "collectivité": "la", "collectivite": "la",
    "intercommunalité": "la", "intercommunalite": "la", "préfecture": "la", "prefecture": "la",
    "direction": "la", "mission": "la", "caisse": "la", "régie": "la", "regie": "la", "société": "la",
    "societe": "la", "maison": "la", "cité": "la", "cite": "la", "ca": "la", "cc": "la", "cu": "la", "ctc": "la",
    "cea": "la", "dsi": "la",
    # masculine
    "département": "le", "departement": "le", "conseil": "le", "syndicat": "le", "centre": "le", "pays": "le",
    "établissement": "le", "etablissement": "le", "office": "le", "territoire": "le", "groupement": "le",
    "pôle": "le", "pole": "le", "service": "le", "sivu": "le", "sivom": "le", "sdis": "le", "ccas": "le",
    "cias": "le", "epci": "le", "ept": "le", "petr": "le", "smictom": "le", "sictom": "le", "gip": "le",
    "cd": "le", "cr": "le", "grand": "le",
    # plural
    "écoles": "les", "ecoles": "les", "services": "les", "communes": "les", "collèges": "les", "colleges": "les",
    "lycées": "les", "lycees": "les", "établissements": "les", "etablissements": "les",
}
#: the kinds of ``territory.yaml`` (``kind:``) -> the article of their own noun, used when the name starts with
#: that noun in another spelling than the lexicon knows
_KIND_ARTICLES: dict[str, str] = {
    "commune": "la", "communaute_communes": "la", "communaute_agglomeration": "la", "communaute_urbaine": "la",
    "metropole": "la", "departement": "le", "region": "la", "syndicat": "le", "ecoles": "les", "ccas": "le",
}
_VOWELS = "aeiouyàâäéèêëîïôöùûüœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ"


def name_article(name: str, kind: str | None = None, article: str | None = None) -> str:
    """The article of a collectivity's or entity's name when it is not the first word of the name: ``article`` when
    given (``territory.yaml``: ``article:``), else read from the first word of the name (``Ville``, ``Département``,
    ``Eurométropole``, ``CCAS``, ``Écoles``…), else ``""`` (a proper name: "La Rochelle", "Rennes Métropole",
    "Orléans"). ``kind`` only confirms a first word the lexicon does not know but that is the kind's own noun
    (``departement`` → "Département…"). Returns one of :data:`ARTICLES`, "l'" folded into "le"/"la"."""
    if article is not None:
        a = str(article).strip().lower().replace("’", "'")
        return {"l'": "la", "l": "la"}.get(a, a) if a in ARTICLES or a == "l" else ""
    words = str(name).strip().split()
    if not words:
        return ""
    first = words[0].replace("’", "'").split("'")[0].strip(",;:()").lower()
    if first in ("la", "le", "les", "l"):  # the article is part of the proper name: "La Rochelle", "Le Havre"
        return ""
    if first in _NOUN_ARTICLES:
        return _NOUN_ARTICLES[first]
    if kind:
        noun = str(kind).split("_")[0].lower()
        if first.startswith(noun[:5]) and kind in _KIND_ARTICLES:
            return _KIND_ARTICLES[kind]
    return ""


def _starts_with_vowel(text: str) -> bool:
    """Elision before a vowel (an initial h is taken as aspirated: "de Haguenau"; ``article:`` overrides)."""
    return bool(text) and text[0] in _VOWELS


def de_name(name: str, kind: str | None = None, article: str | None = None) -> str:
    """``name`` after the preposition "de", with its article: ``"de la Commune de Trois-Lignes"``, ``"du Département
    d'Ille-et-Vilaine"``, ``"de l'Eurométropole de Metz"``, ``"des Écoles de la Ville"``, ``"de La Rochelle"``,
    ``"du Havre"`` ("Le Havre"), ``"des Mureaux"`` ("Les Mureaux"), ``"d'Orléans"``. ``kind`` and ``article`` as in
    :func:`name_article`. ``name`` is used as given (escape it before when it goes into Markdown)."""
    text = str(name).strip()
    art = name_article(text, kind, article)
    lead = text.split(" ", 1)
    if not art and len(lead) == 2 and lead[0] in ("Le", "Les"):  # "Le Havre" -> "du Havre"
        return ("du " if lead[0] == "Le" else "des ") + lead[1]
    if art == "le":
        return ("de l'" if _starts_with_vowel(text) else "du ") + text
    if art == "la":
        return ("de l'" if _starts_with_vowel(text) else "de la ") + text
    if art == "les":
        return "des " + text
    return ("d'" if _starts_with_vowel(text) else "de ") + text


def the_name(name: str, kind: str | None = None, article: str | None = None, capital: bool = False) -> str:
    """``name`` as the subject of a sentence, with its article: ``"la Commune de Trois-Lignes"``, ``"l'Eurométropole
    de Metz"``, ``"le CCAS de La Rochelle"``, ``"La Rochelle"``; ``capital`` capitalises the article (sentence
    start)."""
    text = str(name).strip()
    art = name_article(text, kind, article)
    if art in ("le", "la"):
        out = ("l'" if _starts_with_vowel(text) else f"{art} ") + text
    elif art == "les":
        out = "les " + text
    else:
        out = text
    return out[:1].upper() + out[1:] if capital else out


#: words a count never puts in the plural (prepositions, articles, adverbs) and the words after which the rest of
#: a noun phrase stays as it is ("jour d'agent" -> "jours d'agent")
_INVARIABLE = {"de", "du", "des", "la", "le", "les", "à", "au", "aux", "en", "par", "sur", "sans", "avec", "non",
               "et", "ou", "pour", "dans", "plus", "moins", "très"}


def plural_of(words: str) -> str:
    """French plural of a short noun phrase, word by word: ``"ligne lue"`` → ``"lignes lues"``, ``"équipement sans
    date"`` → ``"équipements sans date"``, ``"jour d'agent"`` → ``"jours d'agent"``, ``"action complémentaire"`` →
    ``"actions complémentaires"``; a word ending in s, x or z is unchanged; "-al" → "-aux" ("total" → "totaux")."""
    out = []
    frozen = False
    for w in str(words).split(" "):
        low = w.lower()
        if frozen or not w or low in _INVARIABLE or "'" in w or "’" in w or not w[-1].isalpha():
            frozen = frozen or low in _INVARIABLE - {"non", "et", "ou", "très", "plus", "moins"} or "'" in w or "’" in w
            out.append(w)
        elif low.endswith(("s", "x", "z")):
            out.append(w)
        elif low.endswith("al") and low not in ("final", "fatal", "natal", "naval", "banal", "bal", "carnaval"):
            out.append(w[:-2] + "aux")
        elif low.endswith(("eau", "au", "eu")) and low not in ("pneu", "bleu"):
            out.append(w + "x")
        else:
            out.append(w + "s")
    return " ".join(out)


def count_text(n, singular: str, plural: str | None = None, decimals: int = 0) -> str:
    """A count and its noun agreed in number, French rule (plural from 2: "0 ligne", "1 ligne", "2 lignes", "1,5
    jour"), decided on the number as printed (1.6 with no decimal is "2 jours"): ``count_text(1, "ligne lue")`` → ``"1 ligne lue"``, ``count_text(445, "ligne")`` → ``"445 lignes"``
    (number in French format). ``plural`` when the word-by-word rule of :func:`plural_of` does not fit."""
    value = float(n) if n is not None else 0.0
    shown = float(f"{value:.{decimals}f}") if value == value else 0.0  # the number as printed: "2 jours" for 1.6
    noun = singular if abs(shown) < 2 else (plural or plural_of(singular))
    return f"{fr_number(n, decimals)} {noun}"
