"""Reading numbers: thousands separators, a declared decimal mark, and the exact messages (issue 22).

Written against the survivors of ``make mutate`` in ``helpers.io.readers`` (:class:`helpers.io.readers.NumberReader`).
The rules are the class docstring's: ``1.234,5`` and ``1.234.567`` show a decimal comma, ``1,234.5`` a decimal point;
with ``decimal`` declared, every value is read with it and a value written with the other convention is not a
number; a file that mixes both conventions is one error, with examples of each; ambiguous values (``16,800``) in a
file that never shows its convention are one error naming their lines and how to declare the convention.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from builders.number_reader import FILE, _read  # noqa: F401

from helpers.io import readers

HINT = ("déclarez la convention du fichier dans territory.yaml, par exemple « files: {purchases.csv: {decimal: \",\"}} "
        "» (virgule décimale : 16,800 = 16,8) ou « decimal: \".\" » (point décimal : 16,800 = 16 800)")




def _same(got, expected):
    """Lists of floats equal, NaN equal to NaN."""
    return len(got) == len(expected) and all(
        (math.isnan(g) and math.isnan(e)) or g == e for g, e in zip(got, expected, strict=True))


def test_dot_grouped_thousands_with_a_decimal_comma():
    """``1.234,5`` = 1234.5 and ``1.234.567`` = 1 234 567: the dots are thousands separators, removed."""
    values, reported, problems = _read(["1.234,5", "1.234.567"])
    assert values == [1234.5, 1234567.0] and reported == [False, False] and problems == []


def test_declared_decimal_comma_reads_dot_decimals_as_not_numbers():
    """``decimal: ","``: 16,800 = 16.8, 1.234,5 = 1234.5; ``0.5`` and ``1,234.5`` are written with the other
    convention: not numbers (NaN, not reported here: the caller says a number was expected)."""
    values, reported, problems = _read(["16,800", "1.234,5", "0.5", "1,234.5"], decimal=",")
    assert _same(values, [16.8, 1234.5, math.nan, math.nan]), values
    assert reported == [False] * 4 and problems == []


def test_declared_decimal_point_reads_every_dot_writing():
    """``decimal: "."``: 0.5, 1,234.5 = 1234.5, 1,234,567 = 1 234 567, 16,800 = 16 800; ``1.234,5`` (decimal comma)
    is not a number."""
    values, reported, problems = _read(["0.5", "1,234.5", "1,234,567", "16,800", "1.234,5"], decimal=".")
    assert _same(values, [0.5, 1234.5, 1234567.0, 16800.0, math.nan]), values
    assert reported == [False] * 5 and problems == []


def test_a_declared_decimal_other_than_point_or_comma_is_refused():
    with pytest.raises(ValueError, match=r"^decimal must be '\.' or ',', not ';'$"):
        readers.NumberReader(FILE, ";")


def test_mixed_conventions_message_exact():
    """Both conventions in one file: one error, examples of each (value, line, column), then how to fix it."""
    _, reported, problems = _read(["12,5", "0.5", "3"])
    assert reported == [True, True, False] and len(problems) == 1
    assert problems[0].expected == (
        "une seule convention décimale dans le fichier ; il mélange le point décimal ('0.5' ligne 3, colonne "
        "'amount_eur') et la virgule décimale ('12,5' ligne 2, colonne 'amount_eur') ; corrigez les valeurs, ou "
        + HINT)


def test_mixed_conventions_are_reported_once_per_file_not_once_per_chunk():
    """A file read in two chunks, each mixing both conventions: still one error."""
    reader, problems = readers.NumberReader(FILE), []
    reader.parse(pd.Series(["12,5", "0.5"]), "amount_eur", [2, 3], problems)
    reader.parse(pd.Series(["1,5", "2.5"]), "amount_eur", [100_002, 100_003], problems)
    assert len(problems) == 1


def test_ambiguous_values_error_names_every_line_and_the_file_setting():
    """``16,800`` (line 2) and ``1.234`` (line 4) in a file that never shows its convention: one error for both
    lines, the hint naming the file by its name (purchases.csv), not its path."""
    values, reported, problems = _read(["16,800", "3", "1.234"])
    assert _same(values, [math.nan, 3.0, math.nan]) and reported == [True, False, True]
    assert str(problems[0]) == (
        f"{FILE}, colonne 'amount_eur' : 2 lignes (lignes 2, 4) ; attendu un nombre sans ambiguïté ; ces valeurs "
        "peuvent se lire de deux façons ('16,800' (ligne 2), '1.234' (ligne 4) : virgule ou point décimal, ou "
        "séparateur de milliers ?) et rien dans le fichier ne tranche ; " + HINT)


def test_the_hint_uses_the_given_name():
    _, _, problems = _read(["16,800"], reader=readers.NumberReader(FILE, name="achats.xlsx"))
    assert "« files: {achats.xlsx: {decimal: \",\"}} »" in problems[0].expected


def test_examples_kept_per_convention_are_capped():
    """The reader keeps at most MAX_PROBLEM_EXAMPLES (5) examples of each convention however many values show it
    (memory bounded on a million-row file): two chunks of 10 dot decimals keep 5, and count 20."""
    reader = readers.NumberReader(FILE)
    for start in (2, 12):
        reader.parse(pd.Series(["0.5"] * 10), "amount_eur", range(start, start + 10), [])
    assert readers.MAX_PROBLEM_EXAMPLES == 5
    assert [line for line, _, _ in reader.clues["."]] == [2, 3, 4, 5, 6] and reader.clue_counts["."] == 20
