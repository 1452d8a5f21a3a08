"""The territory paragraph of section 1 names the inputs in the readers' words, not by file name (issue 20: no file
paths or code identifiers in sections 1-7; the annex's import report keeps the file names)."""

from __future__ import annotations

from types import SimpleNamespace

from helpers.io.ingest import IngestReport, _readers
from helpers.io.territory import Entity
from helpers.report.ingest import INPUT_NAMES_FR, territory_markdown


class _Territory:
    name = "Commune d'essai"
    population, agents, reference_year, target_year = 60_000, 800, 2024, 2040
    entities = (Entity("ville", "Ville d'essai"),)
    peers = ()


def test_provided_and_missing_inputs_are_named_in_french_not_by_file_name():
    report = IngestReport()
    report.provided = {"inventory.csv": True, "maturity.csv": True, "telecom.csv": False}
    text = territory_markdown(_Territory(), report)
    assert "Données fournies et validées : inventaire du parc, questionnaire de maturité." in text
    assert "Non fournies (partie absente du diagnostic) : télécoms." in text
    assert ".csv" not in text


def test_every_input_file_has_a_french_name():
    files = [file for file, _, _ in _readers(SimpleNamespace(territory=None), None, {}, False)]
    assert sorted(files) == sorted(INPUT_NAMES_FR)
