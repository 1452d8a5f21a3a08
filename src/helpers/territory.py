"""The territory description ``data/raw/<slug>/territory.yaml``: loading and strict validation.

The file is read with ``yaml.safe_load`` (no object construction from input). Every problem is reported at once with
its line in the file: missing or unknown keys (with the closest known key), wrong types, out-of-range values,
duplicate or unknown entity ids.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from helpers import paths
from helpers.errors import InputError, InputProblem, display_path

KINDS = (
    "commune", "communaute_communes", "communaute_agglomeration", "communaute_urbaine", "metropole",
    "departement", "region", "syndicat", "other",
)
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,40}$")

# key: (required, description used in messages and templates)
KEYS: dict[str, tuple[bool, str]] = {
    "name": (True, "the collectivity's name, e.g. 'Ville de Trifouillis'"),
    "kind": (True, f"one of {list(KINDS)}"),
    "population": (True, "the number of inhabitants (whole number > 0)"),
    "agents": (True, "the number of agents (staff) in scope (whole number > 0)"),
    "reference_year": (True, "the year the inventory describes (e.g. 2023)"),
    "target_year": (True, "the year of the reduction target (after reference_year, e.g. 2040)"),
    "milestone_year": (False, "an intermediate milestone year (default 2030)"),
    "entities": (True, "the list of entities in scope, each with 'id' and 'name' (e.g. ville, agglo, ccas, ecoles)"),
    "peers": (False, "other collectivities answering the maturity questionnaire for the benchmark (id, name, kind)"),
    "maturity_subject": (False, "the entity id whose maturity is scored in the summary (default: first entity)"),
    "electricity_factor_kgco2e_per_kwh": (False, "override of the electricity factor in kgCO2e/kWh (e.g. a green contract)"),
    "electricity_factor_source": (False, "the source of that override (required when the override is set)"),
    "illustrative": (False, "true when the dataset is illustrative (partly assumed), shown in the diagnostic"),
    "description": (False, "a free text shown in the diagnostic"),
}


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    kind: str = ""
    population: int | None = None


@dataclass(frozen=True)
class Territory:
    slug: str
    name: str
    kind: str
    population: int
    agents: int
    reference_year: int
    target_year: int
    milestone_year: int
    entities: tuple[Entity, ...]
    peers: tuple[Entity, ...] = ()
    maturity_subject: str = ""
    electricity_factor_kgco2e_per_kwh: float | None = None
    electricity_factor_source: str = ""
    illustrative: bool = False
    description: str = ""
    source_file: str = field(default="", compare=False)

    @property
    def entity_ids(self) -> list[str]:
        return [e.id for e in self.entities]

    @property
    def peer_ids(self) -> list[str]:
        return [e.id for e in self.peers]

    def as_dict(self) -> dict:
        return {
            "slug": self.slug, "name": self.name, "kind": self.kind, "population": self.population,
            "agents": self.agents, "reference_year": self.reference_year, "target_year": self.target_year,
            "milestone_year": self.milestone_year, "entities": [e.id for e in self.entities],
            "illustrative": self.illustrative,
        }


def _key_lines(text: str) -> dict[str, int]:
    """1-based line of each top-level key, and of each list item as ``key[i]``."""
    lines: dict[str, int] = {}
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return lines
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key_node, value_node in node.value:
        key = str(key_node.value)
        lines[key] = key_node.start_mark.line + 1
        if isinstance(value_node, yaml.SequenceNode):
            for i, item in enumerate(value_node.value):
                lines[f"{key}[{i}]"] = item.start_mark.line + 1
    return lines


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def load_territory(slug: str, path: str | Path | None = None) -> Territory:
    """Load and validate ``data/raw/<slug>/territory.yaml`` (or ``path``).

    Raises
    ------
    InputError
        listing every problem with its line in the file.
    """
    slug = paths.check_slug(slug)
    path = Path(path) if path else paths.raw_dir(slug) / "territory.yaml"
    file = display_path(path)
    if not path.parent.exists():
        raise InputError(InputProblem(
            file, None, None, None,
            f"a folder data/raw/{slug}/ with the territory's inputs (create it with 'make new-territory SLUG={slug}')",
        ))
    if not path.exists():
        raise InputError(InputProblem(file, None, None, None, "this file to exist (see 'make new-territory')"))
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(InputProblem(file, line, None, None, f"valid YAML ({problem})")) from None
    if not isinstance(data, dict):
        raise InputError(InputProblem(file, None, None, type(data).__name__, "a mapping of keys (name: ..., population: ...)"))
    lines = _key_lines(text)
    problems: list[InputProblem] = []

    def bad(key, value, expected, item=None):
        line = lines.get(f"{key}[{item}]" if item is not None else key)
        problems.append(InputProblem(file, line, key if item is None else f"{key}[{item}]", value, expected))

    for key in data:
        if key not in KEYS:
            close = difflib.get_close_matches(str(key), list(KEYS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            bad(key, None, f"a known key{hint}; known keys: {', '.join(KEYS)}")
    for key, (required, desc) in KEYS.items():
        if required and data.get(key) in (None, ""):
            problems.append(InputProblem(file, None, key, None, f"key '{key}': {desc}"))

    this_year = _dt.date.today().year
    name = data.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        bad("name", name, KEYS["name"][1])
    kind = data.get("kind")
    if kind is not None and kind not in KINDS:
        close = difflib.get_close_matches(str(kind), KINDS, n=1)
        bad("kind", kind, f"one of {list(KINDS)}" + (f" (did you mean '{close[0]}'?)" if close else ""))
    for key in ("population", "agents"):
        v = data.get(key)
        if v is not None and (not _is_int(v) or v <= 0):
            bad(key, v, "a whole number > 0")
    ref = data.get("reference_year")
    if ref is not None and (not _is_int(ref) or not 2000 <= ref <= this_year):
        bad("reference_year", ref, f"a year between 2000 and {this_year}")
        ref = None
    target = data.get("target_year")
    if target is not None and (not _is_int(target) or (ref is not None and target <= ref) or target > 2100):
        bad("target_year", target, "a year after reference_year and not after 2100")
        target = None
    milestone = data.get("milestone_year", 2030)
    if milestone is not None and ref is not None and target is not None:
        if not _is_int(milestone) or not ref < milestone <= target:
            bad("milestone_year", milestone, "a year after reference_year and not after target_year")

    def parse_entities(key: str) -> tuple[Entity, ...]:
        raw = data.get(key)
        if raw is None:
            return ()
        if not isinstance(raw, list) or (key == "entities" and not raw):
            bad(key, raw, "a non-empty list of items with 'id' and 'name'")
            return ()
        out = []
        for i, item in enumerate(raw):
            if isinstance(item, str):
                item = {"id": item, "name": item}
            if not isinstance(item, dict):
                bad(key, item, "an item with 'id' and 'name'", i)
                continue
            unknown = set(item) - {"id", "name", "kind", "population"}
            if unknown:
                bad(key, sorted(unknown), "only the keys id, name, kind, population", i)
            eid = item.get("id")
            if not isinstance(eid, str) or not ID_RE.match(eid):
                bad(key, eid, "an 'id' of lower-case letters, digits, '-' or '_' (e.g. 'ville')", i)
                continue
            pop = item.get("population")
            if pop is not None and (not _is_int(pop) or pop <= 0):
                bad(key, pop, "a population as a whole number > 0", i)
                pop = None
            out.append(Entity(eid, str(item.get("name") or eid), str(item.get("kind") or ""), pop))
        return tuple(out)

    entities = parse_entities("entities")
    peers = parse_entities("peers")
    ids = [e.id for e in entities + peers]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        bad("entities", dup, "ids unique across entities and peers")
    subject = data.get("maturity_subject") or (entities[0].id if entities else "")
    if entities and subject not in [e.id for e in entities]:
        bad("maturity_subject", subject, f"one of the entity ids {[e.id for e in entities]}")

    elec = data.get("electricity_factor_kgco2e_per_kwh")
    if elec is not None:
        if isinstance(elec, bool) or not isinstance(elec, (int, float)) or not 0 < elec < 1.5:
            bad("electricity_factor_kgco2e_per_kwh", elec, "a number of kgCO2e per kWh between 0 and 1.5 (France ≈ 0.05)")
        elif not data.get("electricity_factor_source"):
            bad("electricity_factor_source", None, "the source of the electricity factor override (contract, supplier)")
    illustrative = data.get("illustrative", False)
    if not isinstance(illustrative, bool):
        bad("illustrative", illustrative, "true or false")

    if problems:
        raise InputError(problems)
    return Territory(
        slug=slug, name=name.strip(), kind=kind, population=int(data["population"]), agents=int(data["agents"]),
        reference_year=int(ref), target_year=int(target), milestone_year=int(milestone), entities=entities,
        peers=peers, maturity_subject=subject,
        electricity_factor_kgco2e_per_kwh=None if elec is None else float(elec),
        electricity_factor_source=str(data.get("electricity_factor_source") or ""),
        illustrative=illustrative, description=str(data.get("description") or ""), source_file=file,
    )
