"""Seeded generator of realistic synthetic territories, to test and benchmark many territories at once.

``generate(n, seed)`` writes ``data/raw/synth-001/`` … ``synth-NNN/``: each a complete set of inputs that runs the
whole chain — ``territory.yaml``, ``inventory.csv``, ``hosting.csv``, ``telecom.csv``, ``purchases.csv``,
``printing.csv``, ``services.csv``, ``rgesn.csv``, ``maturity.csv``, ``actions.csv``. Nothing in them describes a
real collectivity:

- the size is drawn (agents log-uniform in ``agents``, inhabitants = agents ÷ a drawn staff rate);
- the fleet is sized from the agents with ratios drawn around those of the illustrative La Rochelle dataset
  (``data/raw/la-rochelle/inventory.csv`` ÷ its 3,000 agents: 0.83 computers per agent, 1.36 screens per computer,
  …), each ratio multiplied by a log-normal factor (territory-wide σ 0.15, per entity and category σ 0.30);
  telecom volumes and lines, spend and paper likewise from its ``telecom.csv``, ``purchases.csv``, ``printing.csv``
  (per agent, σ 0.30), when the dataset has them;
- services, RGESN answers, maturity answers and action choices are drawn around La Rochelle's illustrative ones;
  maturity answers use the question ids of ``data/raw/reference/maturity_questions.csv``.

Every file says it is synthetic: ``territory.yaml`` (``illustrative: true``, name "Territoire synthétique NNN",
description), and the ``comment`` (or ``evidence``) column of every row of every CSV starts with ``SYNTHETIC``.
A hidden marker file ``.synthetic`` identifies the folders this module made: they are regenerated; an existing
folder without it is never touched (:class:`SynthConflict`).

Territory ``i`` draws from ``numpy.random.default_rng([seed, i])``, so it is the same whatever ``n`` is, and the
same seed always gives byte-identical files.

Command line: ``python -m helpers.run.synth --n 8 --seed 1``.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.io import paths

GENERATOR = "helpers.run.synth v1"
MARKER = ".synthetic"
DEFAULT_PREFIX = "synth-"
DEFAULT_AGENTS = (60, 6000)
#: Agents per inhabitant: drawn uniformly in this range (ASSUMPTION: French municipal blocks employ roughly
#: 10 to 30 agents per 1,000 inhabitants; the La Rochelle dataset has 3,000 / 172,000 = 17.4 per 1,000).
STAFF_RATE = (0.010, 0.030)
SIGMA_TERRITORY = 0.15  # log-normal σ of the territory-wide equipment intensity (ASSUMPTION)
SIGMA_LINE = 0.30       # log-normal σ of each entity × category ratio (ASSUMPTION)
#: La Rochelle entity -> synthetic entity (the main entity is the town hall or the intercommunality's seat).
ENTITY_MAP = {"agglo": "main", "ville": "main", "ecoles": "ecoles", "ccas": "ccas"}
IN_SERVER_ROOM = {"server", "storage_array", "switch", "firewall"}
RECONDITIONABLE = {"laptop", "desktop", "smartphone", "tablet", "screen_small"}
LIFETIME_AGE_MAX = 7  # purchase years drawn from reference_year - 7 to reference_year (La Rochelle: 2014-2020)


class SynthConflict(Exception):
    """A target folder exists and was not made by this generator: nothing was written."""


# ----------------------------------------------------------------------------------------------------------------
# Ratios from the La Rochelle dataset
# ----------------------------------------------------------------------------------------------------------------

#: Optional carbon inputs scaled per agent like the inventory: file -> (key columns, amount columns).
SCALED_FILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "telecom.csv": ((), ("fixed_data_gb_per_year", "mobile_data_gb_per_year", "fixed_lines", "mobile_lines")),
    "purchases.csv": (("category",), ("amount_eur",)),
    "printing.csv": ((), ("reams_per_year", "pages_per_year")),
}


def reference_ratios(folder: Path | None = None) -> dict[str, pd.DataFrame]:
    """Amounts per agent of the illustrative La Rochelle dataset, by synthetic entity.

    Returns ``{"inventory.csv": entity, category, per_agent, in_room; "telecom.csv": entity, <amount>…; …}``
    where ``entity`` is ``main``, ``ecoles`` or ``ccas`` (:data:`ENTITY_MAP`) and each amount is divided by the
    dataset's agents (``territory.yaml``). ``purchases.csv`` keeps the rows of the reference year only (the others
    are not counted by the balance). A file the dataset lacks is absent.
    """
    import yaml

    folder = Path(folder) if folder is not None else paths.RAW_DIR / "la-rochelle"
    terr = yaml.safe_load((folder / "territory.yaml").read_text(encoding="utf-8"))
    agents = float(terr["agents"])
    inv = pd.read_csv(folder / "inventory.csv", keep_default_na=False, na_values=[""])
    inv["entity"] = inv["entity"].map(ENTITY_MAP).fillna("main")
    inv["in_room"] = inv["site"].notna() & (inv["site"].astype(str) != "")
    fleet = inv.groupby(["entity", "category"], sort=True).agg(quantity=("quantity", "sum"),
                                                                in_room=("in_room", "any")).reset_index()
    fleet["per_agent"] = fleet["quantity"] / agents
    out = {"inventory.csv": fleet[["entity", "category", "per_agent", "in_room"]]}
    for name, (keys, amounts) in SCALED_FILES.items():
        if not (folder / name).is_file():
            continue
        df = pd.read_csv(folder / name, keep_default_na=False, na_values=[""])
        if "year" in df:
            df = df[df["year"].isna() | (df["year"] == terr["reference_year"])]
        df = df.assign(entity=df["entity"].map(ENTITY_MAP).fillna("main"))
        cols = [c for c in amounts if c in df]
        per = df.groupby(["entity", *keys], sort=True)[cols].sum(min_count=1).reset_index()
        per[cols] = per[cols] / agents
        out[name] = per
    return out


# ----------------------------------------------------------------------------------------------------------------
# One territory
# ----------------------------------------------------------------------------------------------------------------

def _csv(header: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue()


def _fmt(x: float, digits: int = 3) -> str:
    return f"{x:.{digits}g}"


def _territory(rng: np.random.Generator, i: int, seed: int, agents_range) -> dict:
    lo, hi = agents_range
    agents = int(round(np.exp(rng.uniform(np.log(lo), np.log(hi)))))
    rate = rng.uniform(*STAFF_RATE)
    population = int(round(agents / rate, -2)) or 100
    if agents < 400:
        kind = "commune"
    else:
        kind = str(rng.choice(["commune", "communaute_communes", "communaute_agglomeration"], p=[0.5, 0.2, 0.3]))
    main = "mairie" if kind == "commune" else "siege"
    main_name = "Mairie" if kind == "commune" else "Siège de l'intercommunalité"
    entities = [(main, f"{main_name} (synthétique)", kind), ("ecoles", "Écoles (synthétique)", "ecoles")]
    if rng.random() < 0.5:
        entities.append(("ccas", "CCAS (synthétique)", "ccas"))
    ref = int(rng.integers(2021, 2025))
    peers = [(f"pair-{k}", f"Collectivité de comparaison {k} (synthétique)", kind,
              int(round(population * np.exp(rng.normal(0, 0.4)), -2)) or 100) for k in ("a", "b", "c")]
    return {"index": i, "seed": seed, "agents": agents, "population": population, "kind": kind, "main": main,
            "entities": entities, "reference_year": ref, "target_year": int(rng.choice([2040, 2050])),
            "peers": peers}


def _yaml(t: dict, slug: str) -> str:
    def q(s: str) -> str:
        return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar

    nnn = slug.rsplit("-", 1)[-1]
    lines = [
        f"# SYNTHETIC territory generated by {GENERATOR} (seed {t['seed']}, territory {t['index']}).",
        "# Every figure is drawn at random: it describes no real collectivity. Regenerate with: python -m helpers.run.synth",
        f"name: {q('Territoire synthétique ' + nnn)}",
        f"kind: {t['kind']}",
        f"population: {t['population']}",
        f"agents: {t['agents']}",
        f"reference_year: {t['reference_year']}",
        f"target_year: {t['target_year']}",
        "milestone_year: 2030",
        "entities:",
        *[f"  - {{id: {eid}, name: {q(name)}, kind: {kind}}}" for eid, name, kind in t["entities"]],
        "peers:",
        *[f"  - {{id: {pid}, name: {q(name)}, kind: {kind}, population: {pop}}}" for pid, name, kind, pop in t["peers"]],
        f"maturity_subject: {t['main']}",
        "electricity_factor_kgco2e_per_kwh: null",
        "illustrative: true",
        "description: " + q(
            f"Territoire entièrement synthétique, généré au hasard par {GENERATOR} (graine {t['seed']}, "
            f"territoire {t['index']}) autour des ratios du jeu illustratif de La Rochelle. Il ne décrit aucune "
            "collectivité réelle : il sert à tester et à mesurer le traitement de nombreux territoires."),
        "",
    ]
    return "\n".join(lines)


def _entity_of(t: dict, entity: str) -> str:
    """The synthetic territory's entity for a La Rochelle entity group (a missing CCAS goes to the main entity)."""
    ids = [e[0] for e in t["entities"]]
    return t["main"] if entity == "main" or entity not in ids else entity


def _inventory(rng: np.random.Generator, t: dict, ratios: pd.DataFrame) -> tuple[str, bool]:
    """``inventory.csv`` text and whether a line sits in the server room."""
    ids = [e[0] for e in t["entities"]]
    # equipment of an entity the territory lacks (a CCAS) goes to the main entity
    fleet = ratios.assign(entity=[_entity_of(t, e) for e in ratios["entity"]])
    fleet = fleet.groupby(["entity", "category"], sort=False).agg(per_agent=("per_agent", "sum"),
                                                                   in_room=("in_room", "any")).reset_index()
    fleet = fleet.sort_values(["entity", "category"], key=lambda c: c.map(ids.index) if c.name == "entity" else c,
                              kind="stable").reset_index(drop=True)
    intensity = np.exp(rng.normal(0.0, SIGMA_TERRITORY))
    noise = np.exp(rng.normal(0.0, SIGMA_LINE, size=len(fleet)))
    rows, in_room = [], False
    counter: dict[str, int] = {}
    ref = t["reference_year"]
    for r, f in zip(fleet.itertuples(index=False), noise):
        entity = r.entity
        qty = int(round(r.per_agent * t["agents"] * intensity * f))
        if qty < 1:
            continue
        n_lines = 1 if qty < 20 else int(rng.integers(1, 4))
        years = np.sort(rng.choice(np.arange(ref - LIFETIME_AGE_MAX, ref + 1), size=n_lines, replace=False))
        parts = rng.multinomial(qty, np.full(n_lines, 1.0 / n_lines))
        for year, part in zip(years, parts):
            if part < 1:
                continue
            counter[entity] = counter.get(entity, 0) + 1
            recond = "yes" if r.category in RECONDITIONABLE and rng.random() < 0.08 else "no"
            quality = str(rng.choice(["high", "medium", "low"], p=[0.3, 0.5, 0.2]))
            site = f"sr-{t['main']}" if r.category in IN_SERVER_ROOM and r.in_room else ""
            in_room |= bool(site)
            rows.append([f"S-{entity[:3].upper()}-{counter[entity]:03d}", entity, r.category, int(part), int(year),
                         "", "", "", "", "", recond, quality, site,
                         f"SYNTHETIC: drawn around the La Rochelle illustrative ratio of {_fmt(r.per_agent)} "
                         "per agent (ASSUMPTION)"])
    header = ["line_id", "entity", "category", "quantity", "purchase_year", "lifetime_years", "power_w",
              "hours_per_day", "days_per_year", "yearly_kwh", "reconditioned", "quality", "site", "comment"]
    return _csv(header, rows), in_room


def _scaled(rng: np.random.Generator, t: dict, name: str, per_agent: pd.DataFrame) -> str:
    """``telecom.csv``, ``purchases.csv`` or ``printing.csv``: La Rochelle's amounts per agent × agents × noise."""
    keys, amounts = SCALED_FILES[name]
    cols = [c for c in amounts if c in per_agent]
    df = per_agent.assign(entity=[_entity_of(t, e) for e in per_agent["entity"]])
    df = df.groupby(["entity", *keys], sort=False)[cols].sum(min_count=1).reset_index()
    ids = [e[0] for e in t["entities"]]
    df = df.sort_values("entity", key=lambda c: c.map(ids.index), kind="stable")
    rows = []
    for r in df.to_dict("records"):
        values = []
        for c in cols:
            v = r[c]
            values.append("" if pd.isna(v) else max(int(round(v * t["agents"] * np.exp(rng.normal(0.0, SIGMA_LINE)))), 1))
        if all(v == "" for v in values):
            continue
        extra = [t["reference_year"]] if name == "purchases.csv" else []
        quality = str(rng.choice(["high", "medium", "low"], p=[0.2, 0.5, 0.3]))
        rows.append([r["entity"], *[r[k] for k in keys], *values, *extra, quality,
                     "SYNTHETIC: amount drawn around the La Rochelle illustrative amount per agent (ASSUMPTION)"])
    header = ["entity", *keys, *cols] + (["year"] if name == "purchases.csv" else []) + ["quality", "comment"]
    return _csv(header, rows)


def _hosting(rng: np.random.Generator, t: dict, in_room: bool) -> tuple[str, list[str]]:
    rows = []
    if in_room:
        area = int(round(8 + t["agents"] * rng.uniform(0.005, 0.015)))
        rows.append([f"sr-{t['main']}", t["main"], "server_room", "", "", "", area, "", "medium",
                     "SYNTHETIC: server room of the main entity, floor area drawn (ASSUMPTION)"])
    if rng.random() < 0.5:
        spend = int(round(t["agents"] * rng.uniform(10, 40), -2)) or 100
        rows.append(["cloud-1", t["main"], "cloud_eu", "", "", "", "", spend, "low",
                     "SYNTHETIC: hosted software spend drawn at 10-40 EUR per agent and year (ASSUMPTION)"])
    header = ["site_id", "entity", "kind", "pue", "it_kwh_per_year", "electricity_item", "floor_area_m2",
              "cloud_spend_eur", "quality", "comment"]
    return _csv(header, rows), [r[0] for r in rows]


SERVICES_HEADER = ["service_id", "name", "type", "annual_volume", "volume_unit", "page_weight_mb", "pages_per_visit",
                   "minutes_per_visit", "mobile_share", "mobile_network_share", "video_quality", "audio_share",
                   "participants", "recipients", "message_mb", "retention_years", "replicas", "hosting",
                   "ecoindex_grade", "comment"]


def _services(rng: np.random.Generator, t: dict, in_room: bool) -> tuple[str, list[str]]:
    """Services with volumes drawn around La Rochelle's per inhabitant or per agent (its services.csv)."""
    pop, agents = t["population"], t["agents"]
    room = "server_room"

    def ln(median: float, sigma: float = 0.4) -> float:
        return float(median * np.exp(rng.normal(0.0, sigma)))

    base = "SYNTHETIC: volume drawn around the La Rochelle illustrative dataset"
    rows = [
        ["site", "Site web de la collectivité (synthétique)", "website", int(round(pop * ln(20), -2)), "visits",
         _fmt(ln(2.2, 0.3), 2), _fmt(ln(3, 0.2), 2), _fmt(ln(3, 0.3), 2), _fmt(rng.uniform(0.4, 0.6), 2),
         _fmt(rng.uniform(0.4, 0.6), 2), "", "", "", "", "", "", "", "colocation",
         str(rng.choice(list("BCDEF"))), f"{base} (about 20 visits per inhabitant a year; ASSUMPTION)"],
        ["messagerie", "Messagerie des agents (synthétique)", "email", int(round(agents * ln(5500), -3)),
         "messages", "", "", "", "0.1", "0.3", "", "", "", _fmt(ln(2.5, 0.2), 2), _fmt(ln(0.25, 0.3), 2), "5", "3",
         room if in_room else "datacenter_fr", "", f"{base} (about 5,500 emails sent per agent a year; ASSUMPTION)"],
        ["visio", "Visioconférence des agents (synthétique)", "visio", int(round(agents * ln(33), -1)) or 10,
         "participant_hours", "", "", "", "0.05", "0.3", str(rng.choice(["sd", "hd"])), _fmt(rng.uniform(0.1, 0.5), 2),
         str(int(rng.integers(3, 7))), "", "", "", "", "cloud_eu", "",
         f"{base} (about 33 participant-hours per agent a year; ASSUMPTION)"],
    ]
    if rng.random() < 0.6:
        rows.append(["demarches", "Portail de démarches en ligne (synthétique)", "portal",
                     int(round(pop * ln(0.7), -1)) or 10, "transactions", _fmt(ln(1.5, 0.3), 2), _fmt(ln(8, 0.3), 2),
                     _fmt(ln(12, 0.3), 2), "0.35", "0.4", "", "", "", "", "", "", "", "datacenter_fr", "",
                     f"{base} (about 0.7 online procedures per inhabitant a year; ASSUMPTION)"])
    if rng.random() < 0.6:
        rows.append(["stockage", "Partages de fichiers (synthétique)", "storage",
                     _fmt(max(agents * ln(0.02), 0.1), 3), "tb_years", "", "", "", "", "", "", "", "", "", "", "", "3",
                     room if in_room else "datacenter_fr", "",
                     f"{base} (about 20 GB kept per agent, 3 copies; ASSUMPTION)"])
    if rng.random() < 0.4:
        rows.append(["conseils", "Retransmission des conseils (synthétique)", "streaming",
                     int(round(pop * ln(0.1), -1)) or 10, "hours", "", "", "", "0.4", "0.5", "hd", "", "", "", "", "",
                     "", "cloud_world", "", f"{base} (about 0.1 hour watched per inhabitant a year; ASSUMPTION)"])
    return _csv(SERVICES_HEADER, rows), [r[0] for r in rows]


def _rgesn(rng: np.random.Generator, service_ids: list[str], criteria: pd.DataFrame) -> str:
    rows = []
    numbers = list(criteria["number"].astype(str))
    for sid in [s for s in ("site", "demarches") if s in service_ids]:
        chosen = sorted(rng.choice(len(numbers), size=int(rng.integers(15, 40)), replace=False))
        for k in chosen:
            answer = str(rng.choice(["conforme", "non_conforme", "non_applicable"], p=[0.4, 0.45, 0.15]))
            just = "Réponse synthétique tirée au hasard" if answer != "non_conforme" else ""
            rows.append([sid, numbers[k], answer, just, "SYNTHETIC: answer drawn at random"])
    return _csv(["service_id", "criterion", "answer", "justification", "comment"], rows)


def _maturity(rng: np.random.Generator, t: dict, questions: pd.DataFrame) -> str:
    rows = []
    qids = list(questions["question_id"])
    na_ok = dict(zip(questions["question_id"], questions["na_allowed"].astype(str).str.lower().isin(
        ["yes", "true", "1", "oui"])))
    who = [(t["main"], 1.0)] + [(p[0], rng.uniform(0.6, 1.0)) for p in t["peers"]]
    for coll, coverage in who:
        propensity = rng.uniform(0.5, 2.8)
        for q in qids:
            if coll != t["main"] and rng.random() > coverage:
                continue  # peers leave some questions unanswered
            if na_ok.get(q, False) and rng.random() < 0.05:
                level = "NA"
            else:
                level = str(int(np.clip(np.rint(propensity + rng.normal(0.0, 0.8)), 0, 4)))
            rows.append([coll, q, level, "SYNTHETIC: level drawn at random (not a real self-assessment)"])
    return _csv(["collectivity", "question_id", "level", "evidence"], rows)


def _actions(rng: np.random.Generator, t: dict, catalogue: pd.DataFrame) -> str:
    ids = list(catalogue["action_id"])
    chosen = sorted(rng.choice(len(ids), size=min(len(ids), int(rng.integers(4, 9))), replace=False))
    rows = []
    for k in chosen:
        selected = "yes" if rng.random() < 0.75 else "no"
        start = int(rng.integers(t["reference_year"] + 1, 2031)) if selected == "yes" else ""
        rows.append([ids[k], selected, start, "", "", "", "", "",
                     "SYNTHETIC: choice and start year drawn at random"])
    header = ["action_id", "selected", "start_year", "param_value", "target", "cost_investment_eur",
              "cost_yearly_eur", "time_to_implement_months", "comment"]
    return _csv(header, rows)


def territory_files(i: int, seed: int, slug: str, ratios: dict[str, pd.DataFrame], questions: pd.DataFrame,
                    criteria: pd.DataFrame, catalogue: pd.DataFrame, agents=DEFAULT_AGENTS) -> dict[str, str]:
    """File name -> text of synthetic territory ``i`` (deterministic for ``seed``, ``i`` and the references)."""
    rng = np.random.default_rng([int(seed), int(i)])
    t = _territory(rng, i, seed, agents)
    inventory, in_room = _inventory(rng, t, ratios["inventory.csv"])
    hosting, _ = _hosting(rng, t, in_room)
    services, service_ids = _services(rng, t, in_room)
    files = {
        "territory.yaml": _yaml(t, slug),
        "inventory.csv": inventory,
        "hosting.csv": hosting,
        "services.csv": services,
        "rgesn.csv": _rgesn(rng, service_ids, criteria),
        "maturity.csv": _maturity(rng, t, questions),
        "actions.csv": _actions(rng, t, catalogue),
    }
    for name in SCALED_FILES:
        if name in ratios:
            files[name] = _scaled(rng, t, name, ratios[name])
    return files


# ----------------------------------------------------------------------------------------------------------------
# Folders
# ----------------------------------------------------------------------------------------------------------------

def is_synthetic(folder: Path) -> bool:
    """True when ``folder`` was made by this generator (it holds the :data:`MARKER` file)."""
    return (Path(folder) / MARKER).is_file()


def _references(raw_dir: Path):
    from helpers.io import maturity_inputs as maturity
    from helpers.io import rgesn_inputs

    ref = raw_dir / "reference"
    questions = maturity.load_questions(ref / "maturity_questions.csv", maturity.load_axes(ref / "maturity_axes.csv"))
    criteria = rgesn_inputs.load_criteria(ref / "rgesn_criteria.csv")
    catalogue = maturity.load_catalogue_axes(ref / "actions_catalogue.csv")
    return questions, criteria, catalogue


def generate(n: int, seed: int, out_dir: Path | None = None, prefix: str = DEFAULT_PREFIX,
             agents: tuple[int, int] = DEFAULT_AGENTS, ratios_from: Path | None = None) -> list[Path]:
    """Write ``n`` synthetic territories ``<out_dir>/<prefix>001`` … and return their folders.

    Parameters
    ----------
    n : number of territories (1 to 999)
    seed : seed of the generator; territory ``i`` uses ``numpy.random.default_rng([seed, i])``
    out_dir : the ``data/raw`` folder (default :data:`helpers.io.paths.RAW_DIR`); the reference library is read from
        ``<out_dir>/reference`` and the ratios from ``<out_dir>/la-rochelle``
    ratios_from : another dataset folder to draw the ratios around (default ``<out_dir>/la-rochelle``)
    prefix : slug prefix
    agents : range of the number of agents (drawn log-uniform)

    Raises
    ------
    SynthConflict
        a target folder exists and is not synthetic (nothing is written).
    """
    if not 1 <= int(n) <= 999:
        raise ValueError("n must be from 1 to 999")
    raw_dir = Path(out_dir) if out_dir is not None else paths.RAW_DIR
    slugs = [paths.check_slug(f"{prefix}{i:03d}") for i in range(1, int(n) + 1)]
    conflicts = [s for s in slugs if (raw_dir / s).exists() and not is_synthetic(raw_dir / s)]
    if conflicts:
        raise SynthConflict(f"these folders exist and were not made by the generator, nothing was written: "
                            f"{', '.join(conflicts)} (choose another --prefix)")
    ratios = reference_ratios(ratios_from if ratios_from is not None else raw_dir / "la-rochelle")
    questions, criteria, catalogue = _references(raw_dir)
    out = []
    for i, slug in enumerate(slugs, 1):
        files = territory_files(i, seed, slug, ratios, questions, criteria, catalogue, agents)
        final = raw_dir / slug
        tmp = raw_dir / f".{slug}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")
        (tmp / MARKER).write_text(json.dumps({"generator": GENERATOR, "seed": int(seed), "index": i,
                                              "agents_range": list(agents)}) + "\n", encoding="utf-8")
        if final.exists():
            shutil.rmtree(final)
        tmp.rename(final)
        out.append(final)
    return out


def remove(out_dir: Path | None = None, prefix: str = DEFAULT_PREFIX) -> list[Path]:
    """Delete every synthetic folder ``<out_dir>/<prefix>*`` (never a folder without the marker)."""
    raw_dir = Path(out_dir) if out_dir is not None else paths.RAW_DIR
    gone = [p for p in sorted(raw_dir.glob(f"{prefix}*")) if p.is_dir() and is_synthetic(p)]
    for p in gone:
        shutil.rmtree(p)
    return gone


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers.run.synth --n 8 --seed 1 [--prefix synth-] [--clean]``."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m helpers.run.synth",
                                     description="Génère des territoires synthétiques dans data/raw/")
    parser.add_argument("--n", type=int, default=8, help="nombre de territoires (1 à 999)")
    parser.add_argument("--seed", type=int, default=1, help="graine du générateur")
    parser.add_argument("--prefix", default=DEFAULT_PREFIX, help="préfixe des dossiers (défaut synth-)")
    parser.add_argument("--min-agents", type=int, default=DEFAULT_AGENTS[0])
    parser.add_argument("--max-agents", type=int, default=DEFAULT_AGENTS[1])
    parser.add_argument("--clean", action="store_true",
                        help="supprimer d'abord tous les dossiers synthétiques de ce préfixe")
    args = parser.parse_args(argv)
    if not 1 <= args.n <= 999 or not 1 <= args.min_agents <= args.max_agents:
        parser.error("--n must be from 1 to 999 and 1 <= --min-agents <= --max-agents")
    try:
        if args.clean:
            remove(prefix=args.prefix)
        folders = generate(args.n, args.seed, prefix=args.prefix, agents=(args.min_agents, args.max_agents))
    except SynthConflict as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    try:
        shown = folders[0].parent.relative_to(paths.PROJECT_ROOT)
    except ValueError:
        shown = folders[0].parent
    print(f"{len(folders)} territoire(s) synthétique(s) dans {shown}/ : {folders[0].name} … {folders[-1].name} "
          f"(graine {args.seed}). Lancer : python -m helpers.run.batch --territories "
          + ",".join(f.name for f in folders[:3]) + ("…" if len(folders) > 3 else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
