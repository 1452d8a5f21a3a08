"""Builders shared by the tests (moved from ``test_number_reader_conventions``, issue 37: no test file imports another)."""
from __future__ import annotations

import pandas as pd

from helpers.io import readers

FILE = "data/raw/t/purchases.csv"  # the path in messages; the territory.yaml hint names the file: purchases.csv


def _read(texts, decimal=None, reader=None, lines=None):
    reader = reader or readers.NumberReader(FILE, decimal)
    problems: list = []
    values, reported = reader.parse(pd.Series(texts), "amount_eur", lines or range(2, 2 + len(texts)), problems)
    return values.tolist(), reported.tolist(), problems


