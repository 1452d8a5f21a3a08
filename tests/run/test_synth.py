"""Synthetic territories: deterministic for a seed, marked synthetic everywhere, valid inputs, realistic ratios,
never written over a real territory's folder."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from helpers.run import synth

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"


@pytest.fixture
def raw(tmp_path):
    """A ``data/raw`` folder with the reference library and the La Rochelle dataset (the ratios' source)."""
    out = tmp_path / "raw"
    for sub in ("reference", "la-rochelle"):
        shutil.copytree(RAW / sub, out / sub)
    return out


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_same_seed_same_bytes_other_seed_other_files(raw, tmp_path):
    a = synth.generate(3, seed=7, out_dir=raw)
    other = tmp_path / "other"
    shutil.copytree(raw / "reference", other / "reference")
    shutil.copytree(raw / "la-rochelle", other / "la-rochelle")
    b = synth.generate(3, seed=7, out_dir=other)
    assert [p.name for p in a] == ["synth-001", "synth-002", "synth-003"]
    for pa, pb in zip(a, b):
        assert digests(pa) == digests(pb)
    c = synth.generate(3, seed=8, out_dir=other)
    assert digests(a[0])["inventory.csv"] != digests(c[0])["inventory.csv"]


def test_territory_i_does_not_depend_on_n(raw, tmp_path):
    first = digests(synth.generate(2, seed=5, out_dir=raw)[1])
    again = digests(synth.generate(4, seed=5, out_dir=raw)[1])
    assert first == again


def test_every_file_says_synthetic(raw):
    folder = synth.generate(1, seed=3, out_dir=raw)[0]
    desc = yaml.safe_load((folder / "territory.yaml").read_text(encoding="utf-8"))
    assert desc["illustrative"] is True
    assert desc["name"] == "Territoire synthétique 001"
    assert "synthétique" in desc["description"] and "aucune collectivité réelle" in desc["description"]
    assert (folder / "territory.yaml").read_text(encoding="utf-8").startswith("# SYNTHETIC")
    csvs = sorted(folder.glob("*.csv"))
    assert {p.name for p in csvs} >= {"inventory.csv", "hosting.csv", "services.csv", "maturity.csv", "rgesn.csv",
                                      "actions.csv"}
    for path in csvs:
        data = rows(path)
        assert data, path.name
        column = "evidence" if path.name == "maturity.csv" else "comment"
        assert all(r[column].startswith("SYNTHETIC") for r in data), path.name
    assert synth.is_synthetic(folder)


def test_maturity_answers_use_the_reference_question_ids(raw):
    folder = synth.generate(1, seed=11, out_dir=raw)[0]
    reference = {r["question_id"] for r in rows(raw / "reference" / "maturity_questions.csv")}
    subject = yaml.safe_load((folder / "territory.yaml").read_text(encoding="utf-8"))["maturity_subject"]
    answers = rows(folder / "maturity.csv")
    assert {r["question_id"] for r in answers if r["collectivity"] == subject} == reference
    assert {r["level"] for r in answers} <= {"0", "1", "2", "3", "4", "NA"}


def test_fleet_ratios_are_drawn_around_la_rochelle(raw):
    """La Rochelle (illustrative dataset): 2,500 computers (published) and 3,400 screens (published) for 3,000 agents
    (assumed): 0.833 computers per agent, 1.36 screens per computer. Over 40 synthetic territories the median ratio
    stays within 20 % of these (log-normal noise σ 0.30 × 0.15 around them)."""
    folders = synth.generate(40, seed=2, out_dir=raw)
    per_agent, screens = [], []
    for folder in folders:
        agents = yaml.safe_load((folder / "territory.yaml").read_text(encoding="utf-8"))["agents"]
        inv = rows(folder / "inventory.csv")
        qty = {}
        for r in inv:
            qty[r["category"]] = qty.get(r["category"], 0) + int(r["quantity"])
        computers = qty.get("desktop", 0) + qty.get("laptop", 0) + qty.get("thin_client", 0)
        per_agent.append(computers / agents)
        screens.append((qty.get("screen_small", 0) + qty.get("screen_large", 0)) / computers)
    assert abs(np.median(per_agent) / (2500 / 3000) - 1) < 0.2
    assert abs(np.median(screens) / (3400 / 2500) - 1) < 0.2


def test_agents_range_is_respected(raw):
    for folder in synth.generate(10, seed=4, out_dir=raw, agents=(60, 150)):
        desc = yaml.safe_load((folder / "territory.yaml").read_text(encoding="utf-8"))
        assert 60 <= desc["agents"] <= 150
        assert desc["population"] > desc["agents"]


def test_a_real_folder_is_never_overwritten_synthetic_ones_are_regenerated(raw):
    real = raw / "synth-002"
    real.mkdir()
    (real / "territory.yaml").write_text("name: real\n", encoding="utf-8")
    with pytest.raises(synth.SynthConflict, match="synth-002"):
        synth.generate(3, seed=1, out_dir=raw)
    assert not (raw / "synth-001").exists()  # nothing was written
    assert (real / "territory.yaml").read_text(encoding="utf-8") == "name: real\n"
    shutil.rmtree(real)
    folder = synth.generate(1, seed=1, out_dir=raw)[0]
    before = digests(folder)
    (folder / "inventory.csv").write_text("damaged\n", encoding="utf-8")
    (folder / "stray.csv").write_text("x\n", encoding="utf-8")
    synth.generate(1, seed=1, out_dir=raw)
    assert digests(folder) == before
    assert [p.name for p in synth.remove(raw)] == ["synth-001"]
    assert (raw / "la-rochelle").is_dir()


def test_generated_inputs_pass_every_reader(raw, monkeypatch):
    """The files validate with the project's strict readers (ingest of notebook 01), without warnings."""
    from helpers.io import paths
    from helpers.io.ingest import ingest_all
    from helpers.run.context import open_context

    monkeypatch.setattr(paths, "RAW_DIR", raw)
    monkeypatch.setattr(paths, "PROCESSED_DIR", raw.parent / "processed")
    for folder in synth.generate(3, seed=9, out_dir=raw):
        ctx = open_context(folder.name, raw.parent / "processed" / folder.name)
        report = ingest_all(ctx)
        missing = [f for f, ok in report.provided.items() if not ok]
        # every input but the optional overrides and own unit prices (synthetic territories use the reference prices)
        # and the territory's open data and stakeholders' priorities of issue 35 (their footprint by actor is the
        # national ratio)
        assert missing == ["factor_overrides.csv", "unit_prices.csv", "communes.csv", "establishments.csv",
                           "schools.csv", "connectivity.csv", "datacentres.csv", "digital_fragility.csv",
                           "priorities.csv"], report.provided
        assert report.warnings == []
