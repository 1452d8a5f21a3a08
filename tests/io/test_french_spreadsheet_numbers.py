"""Numbers as French spreadsheets write them are read as numbers (issue 22).

A French export writes ``1 234,5`` (space or no-break space as thousands separator, comma as decimal mark) and
``1 234 567``; both must read as 1234.5 and 1234567, whatever the reader's internals.
"""

from __future__ import annotations

import pytest

from helpers.io.tables import Column, Schema, read_table

SCHEMA = Schema(file="n.csv", columns=(Column("id", required=True), Column("amount", "float"),
                                        Column("count", "int")))


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f"], ids=["space", "nbsp", "narrow-nbsp"])
def test_french_thousands_separators_are_read(tmp_csv, space):
    text = f"id;amount;count\na;1{space}234,5;1{space}234\nb;1{space}234{space}567;2{space}000{space}000\n"
    df = read_table(tmp_csv(text, name=f"n{ord(space)}.csv"), SCHEMA)
    assert df["amount"].tolist() == [1234.5, 1234567.0]
    assert df["count"].tolist() == [1234, 2_000_000]


def test_quoted_french_number_in_a_comma_separated_file(tmp_csv):
    df = read_table(tmp_csv('id,amount\na,"1 234,5"\nb,1 234 567\n', name="q.csv"), SCHEMA)
    assert df["amount"].tolist() == [1234.5, 1234567.0]


def test_typed_workbook_numbers_get_an_unambiguous_text():
    """helpers.io.readers.number_text (documented contract): whole numbers below 10^15 without separator, other
    numbers in exponent form so that no decimal-convention rule can misread them (1.234 is never 1234)."""
    from helpers.io.readers import number_text

    # 10^15 itself is past the whole-number rule: Python's repr writes it positionally ('1000000000000000.0'),
    # 10^20 in exponent form ('1e+20')
    assert [number_text(v) for v in (850000.0, -3.0, 0.0, 12.5, 1.234, 1e15, 1e20)] == \
        ["850000", "-3", "0", "12.5e0", "1.234e0", "1000000000000000.0e0", "1e+20"]
    assert [number_text(v) for v in (float("nan"), float("inf"), float("-inf"))] == ["nan", "inf", "-inf"]
