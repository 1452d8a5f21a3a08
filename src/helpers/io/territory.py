"""The territory description ``data/raw/<slug>/territory.yaml``: loading and strict validation.

The file is a small text of trusted shape, read defensively (``SECURITY.md``):

- opened only if it is a regular file inside the territory folder, of at most :data:`MAX_YAML_BYTES`
  (:func:`helpers.io.readers.check_input_file`: symlinks leaving the folder, FIFOs and devices refused before any read);
- decoded as UTF-8 (with or without BOM) or UTF-16 with a BOM; any other encoding is an error naming the file and
  the line of the first invalid byte;
- checked on the YAML *event stream* before anything is built: anchors and aliases are refused (a 1 KB "billion
  laughs" alias bomb took 59 s and 3.4 GB), nesting deeper than :data:`MAX_YAML_DEPTH` is refused (a 20,000-deep file
  made the recursive composer raise RecursionError);
- duplicate keys are an error naming both lines (YAML loaders silently keep the last one);
- then read with ``yaml.safe_load`` (no object construction from input).

Every problem is reported at once, in French, with its line in the file: missing or unknown keys (with the closest
known key), wrong types, out-of-range or implausible values (population at most :data:`MAX_POPULATION`, agents at most
the population, an entity's population at most the territory's), duplicate or unknown entity ids.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from helpers.io import paths
from helpers.io.errors import InputError, InputProblem, display_path

#: libyaml's C parser when PyYAML was built with it (same events and nodes, much faster), else the Python one
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Core12Loader(_BASE_LOADER):
    """A safe loader that resolves plain scalars as the YAML 1.2 core schema does (yaml.org/spec/1.2.2, 10.3), not
    as YAML 1.1: ``0172000`` is 172000 (1.1 read it as the octal 62464), ``50:00`` is the text "50:00" (1.1 read
    the sexagesimal 3000), ``1_000``, ``yes``, ``on`` and ``0b101`` are texts. Integers are read as written, or
    refused by the checks of :func:`load_territory`; never silently converted."""


_Core12Loader.yaml_implicit_resolvers = {}
for _tag, _regexp, _first in (
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     list("-+.0123456789")),
):
    _Core12Loader.add_implicit_resolver(_tag, re.compile(_regexp), _first)


def _construct_int_as_written(loader, node) -> int:
    """A YAML 1.2 core integer: decimal as written (leading zeros kept out: ``0172000`` = 172000), ``0o`` octal and
    ``0x`` hexadecimal only when so marked."""
    text = loader.construct_scalar(node)
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    if digits.startswith("0o"):
        return int(digits[2:], 8)
    if digits.startswith("0x"):
        return int(digits[2:], 16)
    return sign * int(digits, 10)


_Core12Loader.add_constructor("tag:yaml.org,2002:int", _construct_int_as_written)
_LOADER = _Core12Loader

KINDS = (
    "commune", "communaute_communes", "communaute_agglomeration", "communaute_urbaine", "metropole",
    "departement", "region", "syndicat", "other",
)
ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,40}")

#: territory.yaml larger than this is refused before it is read (a territory listing 5,000 communes is ~400 KB)
MAX_YAML_BYTES = 1024 * 1024
#: deepest nesting of mappings and lists accepted (the format needs 3: top level, entities list, one entity)
MAX_YAML_DEPTH = 20
#: most inhabitants (France: 68.4 million in 2024, INSEE; a French collectivity cannot have more)
MAX_POPULATION = 70_000_000
#: most entities or peers listed (France has about 35,000 communes; no collectivity groups more than ~5,100)
MAX_ENTITIES = 10_000
#: longest name and description accepted (characters)
MAX_NAME_CHARS = 300
MAX_DESCRIPTION_CHARS = 5_000
#: a number written the YAML 1.1 way (sexagesimal ``50:00``, ``1_000``) or with spaces: read as a text
_NUMBER_LOOKALIKE = re.compile(r"[+-]?[0-9][0-9_: .\u00a0\u202f]*")
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")

# key: (required, description used in messages and templates)
KEYS: dict[str, tuple[bool, str]] = {
    "name": (True, "le nom de la collectivité, par ex. 'Ville de Trifouillis'"),
    "kind": (True, f"l'un de {list(KINDS)}"),
    "article": (False, "l'article du nom dans une phrase, quand le premier mot du nom ne le dit pas : « la », « le », "
                       "« l' », « les » ou « » (aucun, nom propre) ; par ex. « le » pour « Grand Poitiers » "
                       "(« du Grand Poitiers »)"),
    "population": (True, f"le nombre d'habitants (entier > 0, au plus {MAX_POPULATION:_})".replace("_", " ")),
    "agents": (True, "le nombre d'agents du périmètre (entier > 0, au plus la population)"),
    "reference_year": (True, "l'année que décrit l'inventaire (par ex. 2023)"),
    "target_year": (True, "l'année de l'objectif de réduction (après reference_year, par ex. 2040)"),
    "milestone_year": (False, "une année d'étape intermédiaire (2030 par défaut)"),
    "plan_start_year": (False, "l'année où le plan d'actions est décidé et commence (après reference_year, par ex. "
                               "l'année de la délibération ; défaut : l'année qui suit reference_year, signalée "
                               "dans le diagnostic)"),
    "entities": (True, "la liste des entités du périmètre, chacune avec 'id' et 'name' (par ex. ville, agglo, ccas)"),
    "peers": (False, "d'autres collectivités répondant au questionnaire de maturité, pour la comparaison "
                     "(id, name, kind)"),
    "maturity_subject": (False, "l'id de l'entité dont la maturité est notée dans la synthèse (défaut : la première)"),
    "electricity_factor_kgco2e_per_kwh": (False, "un facteur électricité propre en kgCO2e/kWh (par ex. contrat vert)"),
    "electricity_factor_source": (False, "la source de ce facteur (obligatoire quand il est donné)"),
    "illustrative": (False, "true quand le jeu de données est illustratif (en partie supposé), signalé dans le "
                            "diagnostic"),
    "description": (False, "un texte libre affiché dans le diagnostic"),
    "files": (False, "des réglages par fichier d'entrée, par ex. « files: {achats.csv: {decimal: \",\"}} » "
                     "(decimal : \",\" ou \".\" ; sheet : nom de la feuille à lire)"),
    "statuses": (False, "les statuts de l'export d'inventaire absents de data/raw/reference/asset_statuses.csv, ou "
                        "remplacés : valeur -> in_service, in_repair, in_stock, on_order, retired, scrapped, lost "
                        "ou stolen"),
    "inventory_files": (False, "la catégorie des fichiers de inventory/ selon leur nom, par ex. "
                               "« inventory_files: {\"postes*\": laptop} »"),
    "published_footprint": (False, "le bilan carbone du numérique déjà publié par la collectivité, pour le comparer "
                                   "à l'étude : value_tco2e, year, scope (texte), source (adresse), et si publiés "
                                   "split {manufacturing: 0.54, use: 0.46}, workstations, comparable_scope "
                                   "(equipment, physical ou total)"),
    "label_nr": (False, "le Label Numérique Responsable détenu par la collectivité : held (true/false), source, et "
                        "si connus level (1 ou 2), year, note"),
    "previous_study": (False, "le dossier publié de l'étude de l'an dernier, pour le suivi annuel (par ex. "
                              "outputs/la-rochelle ; aussi make study … PREVIOUS=…)"),
    "business_as_usual": (False, "l'évolution sans plan que la collectivité prévoit : headcount_growth_per_year "
                                 "(évolution annuelle des effectifs, par ex. 0.01 pour +1 %/an ; 0 par défaut) et "
                                 "declared_changes, une liste de {year, fleet_change_pct, note} (par ex. un nouvel "
                                 "équipement public : +5 % du parc en 2027)"),
    "score_weights": (False, "les poids des critères de priorisation des actions, par ex. « score_weights: {gain: 0.40, "
                             "cost: 0.25, effort: 0.15, maturity: 0.20, stakeholders: 0.20} » (nombres positifs ou "
                             "nuls ; stakeholders ne compte que si priorities.csv est fourni)"),
}
#: Weights of the action ranking's criteria (``score_weights:``): the plan's defaults (``helpers.model.parameters.DEFAULTS.
#: score_weights``) and the stakeholders' criterion of issue 35 (``helpers.plan.priorities.DEFAULT_STAKEHOLDER_WEIGHT``)
DEFAULT_SCORE_WEIGHTS: dict[str, float] = {"gain": 0.40, "cost": 0.25, "effort": 0.15, "maturity": 0.20,
                                           "stakeholders": 0.20}
FILE_SETTING_KEYS = {"decimal": (",", "."), "sheet": None}

#: Words on the first line of the ``territory.yaml`` that ``make new-territory`` writes (``helpers.run.scaffold``).
TEMPLATE_MARKER = "modèle écrit par 'make new-territory'"
#: Facts of a new territory that only the collectivity knows: left blank in the template, refused while blank.
TEMPLATE_FIELDS = ("name", "kind", "population", "agents", "reference_year")
#: Placeholder values of the template written before issue 30 (a name, 60,000 inhabitants, 800 agents): a file that
#: still carries its name is a template, never published as a territory.
OLD_TEMPLATE_VALUES = {"name": "Ville de Nouvelle-Commune", "population": 60000, "agents": 800}


def unfilled_template(text: str, data: dict, file: str) -> InputProblem | None:
    """One problem naming every field still to fill of a ``territory.yaml`` written by ``make new-territory``, or
    ``None`` (a file filled in, or not from the template: then the usual checks say what is wrong key by key)."""
    old = data.get("name") == OLD_TEMPLATE_VALUES["name"]
    if TEMPLATE_MARKER not in text and not old:
        return None

    def blank(value, key=None) -> bool:
        return value in (None, "") or (old and key in OLD_TEMPLATE_VALUES and value == OLD_TEMPLATE_VALUES[key])

    missing = [f"{k} ({KEYS[k][1]})" for k in TEMPLATE_FIELDS if blank(data.get(k), k)]
    entities = data.get("entities")
    if isinstance(entities, list):
        missing += [f"entities[{i}].name (le nom de l'entité « {e.get('id')} »)" for i, e in enumerate(entities)
                    if isinstance(e, dict) and blank(e.get("name"), "name")]
    elif blank(entities):
        missing.append(f"entities ({KEYS['entities'][1]})")
    if not missing:
        return None
    return InputProblem(file, None, None, None,
                        "territory.yaml n'est pas encore rempli (modèle de 'make new-territory') : renseignez "
                        + " ; ".join(missing) + ". Un exemple rempli est dans exemples/territory.yaml.", kind="note")


#: Reasons a status value may be given in ``statuses:`` (see ``helpers.io.inventory``).
STATUS_REASONS = ("in_service", "in_repair", "in_stock", "on_order", "retired", "scrapped", "lost", "stolen")


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    kind: str = ""
    population: int | None = None
    aliases: tuple[str, ...] = ()
    #: ``article:`` of the entity (« la », « le », « l' », « les », « » ), or None: read from its name
    #: (:func:`helpers.io.french.name_article`)
    article: str | None = None


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
    #: the decision year of the plan (``plan_start_year:``), or None when the territory has not set it
    plan_start_year: int | None = None
    peers: tuple[Entity, ...] = ()
    maturity_subject: str = ""
    electricity_factor_kgco2e_per_kwh: float | None = None
    electricity_factor_source: str = ""
    illustrative: bool = False
    description: str = ""
    source_file: str = field(default="", compare=False)
    #: per input file settings (``files:``): file name -> {"decimal": "," | ".", "sheet": name}
    file_settings: dict = field(default_factory=dict, compare=False, hash=False)
    #: ``statuses:``: asset status value -> reason (see ``helpers.io.inventory.load_statuses``)
    statuses: dict = field(default_factory=dict, compare=False, hash=False)
    #: ``inventory_files:``: file-name pattern of ``inventory/`` -> category id
    inventory_files: dict = field(default_factory=dict, compare=False, hash=False)
    #: ``published_footprint:``: the collectivity's own published balance (:func:`_published_footprint`), or None
    published_footprint: dict | None = field(default=None, compare=False, hash=False)
    #: ``label_nr:``: the Label Numérique Responsable the collectivity holds (:func:`_label_nr`), or None
    label_nr: dict | None = field(default=None, compare=False, hash=False)
    #: ``business_as_usual:``: the collectivity's own plans without the action plan (:func:`_business_as_usual`):
    #: ``{headcount_growth_per_year, declared_changes: [{year, fleet_change_pct, note}]}``; None when not declared
    business_as_usual: dict | None = field(default=None, compare=False, hash=False)
    #: ``previous_study:``: last year's published folder (a path as written), or None
    previous_study: str | None = field(default=None, compare=False, hash=False)
    #: ``score_weights:``: the weights of the action ranking's criteria (:func:`_score_weights`)
    score_weights: dict = field(default_factory=lambda: dict(DEFAULT_SCORE_WEIGHTS), compare=False, hash=False)
    #: ``article:`` of the territory's name (« la », « le », « l' », « les », « » ), or None: read from the name
    article: str | None = field(default=None, compare=False, hash=False)

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


def _key_lines(node) -> dict[str, int]:
    """1-based line of each top-level key, and of each list item as ``key[i]``, from the composed document."""
    lines: dict[str, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key_node, value_node in node.value:
        key = str(key_node.value)
        lines.setdefault(key, key_node.start_mark.line + 1)
        if isinstance(value_node, yaml.SequenceNode):
            for i, item in enumerate(value_node.value):
                lines[f"{key}[{i}]"] = item.start_mark.line + 1
    return lines


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def read_yaml_text(path: Path, file: str, root: Path) -> str:
    """The text of a YAML input: a regular file inside ``root``, at most :data:`MAX_YAML_BYTES`, decoded as UTF-8
    (BOM or not) or BOM-marked UTF-16; otherwise an :class:`InputError` naming the file (and the line of the first
    byte that is not UTF-8)."""
    from helpers.io import readers

    real = readers.check_input_file(path, root, max_bytes=MAX_YAML_BYTES, file=file)
    with readers.open_checked(real, file) as fh:
        raw = fh.read(MAX_YAML_BYTES + 1)
    if len(raw) > MAX_YAML_BYTES:  # grew after the check
        raise InputError(InputProblem(file, None, None, None, f"un fichier d'au plus {MAX_YAML_BYTES // 1024} Kio"))
    text = readers.decode_utf16_bom(raw, file, "enregistrez-le en UTF-8")
    if text is not None:
        return text
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(InputProblem(
            file, line, None, f"octet 0x{raw[exc.start]:02X}",
            "un fichier texte en UTF-8 (ou UTF-16 avec marque d'ordre des octets) ; ce fichier est dans un autre "
            "encodage (Windows-1252 ?) : enregistrez-le en UTF-8")) from None


def check_yaml_events(text: str, file: str) -> None:
    """Refuse anchors, aliases and nesting deeper than :data:`MAX_YAML_DEPTH`, on the event stream (bounded memory,
    no recursion), before the document is composed. Raises :class:`InputError` with the line."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise InputError(InputProblem(
                    file, line, None, None,
                    "un YAML sans ancre (&nom) ni alias (*nom) : ils ne sont pas acceptés dans territory.yaml "
                    "(un alias peut démultiplier la taille du document) ; écrivez les valeurs en entier"))
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise InputError(InputProblem(
                        file, line, None, None,
                        f"une imbrication d'au plus {MAX_YAML_DEPTH} niveaux de listes ou de dictionnaires"))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, file) from None


def _yaml_error(exc: yaml.YAMLError, file: str) -> InputError:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark else None
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if "nesting depth" in problem:  # libyaml stops at its own limit (1,000 levels) before our count sees it
        return InputError(InputProblem(
            file, line, None, None, f"une imbrication d'au plus {MAX_YAML_DEPTH} niveaux de listes ou de dictionnaires"))
    return InputError(InputProblem(file, line, None, None, f"un YAML valide ({problem})"))


def duplicate_keys(node, file: str) -> list[InputProblem]:
    """Every key given twice in the same mapping, at any depth, naming both lines (iterative walk)."""
    problems = []
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, yaml.MappingNode):
            seen: dict = {}
            for key_node, value_node in n.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                line = key_node.start_mark.line + 1
                if key is not None and key in seen:
                    problems.append(InputProblem(
                        file, line, str(key), None,
                        f"une clé donnée une seule fois ; « {key} » est déjà donnée ligne {seen[key]} "
                        "(gardez une seule des deux)"))
                elif key is not None:
                    seen[key] = line
                stack.append(value_node)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
    return problems


def _text_problem(value: str, max_chars: int) -> str | None:
    if len(value) > max_chars:
        return f"un texte d'au plus {max_chars} caractères (il en a {len(value)})"
    if _CONTROL_RE.search(value):
        return "un texte sans caractère de contrôle (tabulation, saut de ligne mis à part)"
    return None


def load_territory(slug: str, path: str | Path | None = None) -> Territory:
    """Load and validate ``data/raw/<slug>/territory.yaml`` (or ``path``).

    Raises
    ------
    InputError
        listing every problem with its line in the file (French messages).
    """
    slug = paths.check_slug(slug)
    path = Path(path) if path else paths.raw_dir(slug) / "territory.yaml"
    file = display_path(path)
    node, data = _read_document(path, file, slug)
    bad = _Problems(file, _key_lines(node))
    fields = _territory_fields(data, bad)
    if bad.problems:
        raise InputError(bad.problems)
    return Territory(slug=slug, source_file=file, **fields)


def _read_document(path: Path, file: str, slug: str):
    """(composed node, data) of a territory.yaml: a mapping, read safely (:func:`read_yaml_text`,
    :func:`check_yaml_events`), without duplicate keys, not the unfilled template of 'make new-territory'."""
    if not path.parent.exists():
        raise InputError(InputProblem(
            file, None, None, None,
            f"un dossier data/raw/{slug}/ avec les entrées du territoire (créez-le avec 'make new-territory "
            f"TERRITORY={slug}')",
        ))
    if not path.exists() and not path.is_symlink():
        raise InputError(InputProblem(file, None, None, None, "ce fichier (voir 'make new-territory')"))
    text = read_yaml_text(path, file, path.parent)
    check_yaml_events(text, file)
    try:
        node = yaml.compose(text, Loader=_LOADER)
        dups = duplicate_keys(node, file)
        if dups:
            raise InputError(dups)
        data = yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, file) from None
    if not isinstance(data, dict):
        raise InputError(InputProblem(file, None, None, type(data).__name__,
                                      "un dictionnaire de clés (name: ..., population: ...)"))
    unfilled = unfilled_template(text, data, file)  # the template of 'make new-territory': one message, every field
    if unfilled is not None:
        raise InputError(unfilled)
    return node, data


class _Problems:
    """The problems of one territory.yaml, in the order they are found; calling it reports one with its line in
    the file: ``bad(key, value, expected, item=None)`` (``item``: the index in a list such as ``entities``)."""

    def __init__(self, file: str, lines: dict[str, int]):
        self.file, self.lines, self.problems = file, lines, []

    def __call__(self, key, value, expected, item=None) -> None:
        line = self.lines.get(f"{key}[{item}]" if item is not None else key)
        if isinstance(value, str) and _NUMBER_LOOKALIKE.fullmatch(value.strip()) and (
                "entier" in expected or "année" in expected or "nombre" in expected):
            expected += (" ; cette valeur est lue comme un texte (YAML 1.2) : écrivez le nombre en chiffres seuls, "
                         "sans « : », « _ » ni espace")
        self.problems.append(InputProblem(self.file, line, key if item is None else f"{key}[{item}]", value,
                                          expected))

    def missing(self, key: str) -> None:
        """A required key absent or empty (no line: it is nowhere in the file)."""
        self.problems.append(InputProblem(self.file, None, key, None, f"la clé '{key}' : {KEYS[key][1]}"))


def _territory_fields(data: dict, bad: _Problems) -> dict:
    """The fields of :class:`Territory` (all but ``slug`` and ``source_file``) from the data of territory.yaml; every
    problem reported through ``bad``, in the order of the keys' groups (meaningless when there is one)."""
    this_year = _dt.date.today().year
    _check_keys(data, bad)
    name = _name(data.get("name"), bad)
    kind = _kind(data.get("kind"), bad)
    population, agents = _headcounts(data, bad)
    years = _years(data, bad, this_year)
    entities = _parse_entities(data.get("entities"), "entities", bad, population)
    peers = _parse_entities(data.get("peers"), "peers", bad, population)
    _unique_ids(entities + peers, bad)
    subject = _maturity_subject(data.get("maturity_subject"), entities, bad)
    elec = _electricity(data, bad)
    illustrative = data.get("illustrative", False)
    if not isinstance(illustrative, bool):
        bad("illustrative", illustrative, "true ou false")
    description = data.get("description")
    if description is not None and (not isinstance(description, str)
                                    or _text_problem(description.replace("\n", " "), MAX_DESCRIPTION_CHARS)):
        bad("description", None, _text_problem(str(description).replace("\n", " "), MAX_DESCRIPTION_CHARS)
            or "un texte")
    fields = dict(
        name=name, kind=kind, population=population, agents=agents, **years, entities=entities, peers=peers,
        maturity_subject=subject, electricity_factor_kgco2e_per_kwh=elec,
        electricity_factor_source=str(data.get("electricity_factor_source") or ""), illustrative=illustrative,
        description=str(description or ""), file_settings=_file_settings(data.get("files"), bad),
    )
    return fields | _settings(data, bad, this_year, years)


def _settings(data: dict, bad: _Problems, this_year: int, years: dict) -> dict:
    """The optional settings of territory.yaml: statuses, inventory files, article, published footprint, Label NR,
    business as usual, previous study and ranking weights (fields of :class:`Territory`)."""
    statuses = data.get("statuses") or {}
    if not isinstance(statuses, dict) or not all(isinstance(v, str) and v in STATUS_REASONS for v in statuses.values()):
        bad("statuses", None, f"une table valeur de statut -> l'un de {list(STATUS_REASONS)}")
        statuses = {}
    inventory_files = data.get("inventory_files") or {}
    if not isinstance(inventory_files, dict) or not all(isinstance(v, str) for v in inventory_files.values()):
        bad("inventory_files", None, "une table motif de nom de fichier -> id de catégorie")
        inventory_files = {}
    article = _article(data.get("article"))
    if article is False:
        bad("article", data.get("article"), KEYS["article"][1])
        article = None
    published_footprint = _published_footprint(data.get("published_footprint"), bad, this_year)
    label_nr = _label_nr(data.get("label_nr"), bad, this_year)
    bau = _business_as_usual(data.get("business_as_usual"), bad, years["reference_year"], years["target_year"])
    previous = data.get("previous_study")
    if previous is not None and (not isinstance(previous, str) or not previous.strip()
                                 or _text_problem(previous, MAX_NAME_CHARS)):
        bad("previous_study", None, KEYS["previous_study"][1])
        previous = None
    return dict(
        statuses={str(k): v for k, v in statuses.items()},
        inventory_files={str(k): v for k, v in inventory_files.items()}, article=article,
        published_footprint=published_footprint, label_nr=label_nr, business_as_usual=bau,
        previous_study=previous.strip() if previous else None,
        score_weights=_score_weights(data.get("score_weights"), bad),
    )


def _check_keys(data: dict, bad: _Problems) -> None:
    """An unknown key (with the closest known one), then every required key absent or empty."""
    for key in data:
        if key not in KEYS:
            close = difflib.get_close_matches(str(key), list(KEYS), n=1)
            hint = f" (vouliez-vous dire '{close[0]}' ?)" if close else ""
            bad(key, None, f"une clé connue{hint} ; clés connues : {', '.join(KEYS)}")
    for key, (required, _) in KEYS.items():
        if required and data.get(key) in (None, ""):
            bad.missing(key)


def _name(name, bad: _Problems) -> str | None:
    """``name:``, stripped (None when absent or invalid)."""
    if name is None:
        return None
    if not isinstance(name, str) or not name.strip():
        bad("name", name, KEYS["name"][1])
        return None
    if _text_problem(name, MAX_NAME_CHARS):
        bad("name", name[:40], _text_problem(name, MAX_NAME_CHARS))
    return name.strip()


def _kind(kind, bad: _Problems):
    """``kind:``, one of :data:`KINDS` (with the closest one when it is not)."""
    if kind is not None and kind not in KINDS:
        close = difflib.get_close_matches(str(kind), KINDS, n=1)
        bad("kind", kind, f"l'un de {list(KINDS)}" + (f" (vouliez-vous dire '{close[0]}' ?)" if close else ""))
    return kind


def _headcounts(data: dict, bad: _Problems) -> tuple[int | None, int | None]:
    """(population, agents): whole numbers > 0, the population at most :data:`MAX_POPULATION`, the agents at most the
    population. The population is None when invalid (the entities are not checked against it)."""
    population = data.get("population")
    if population is not None and (not _is_int(population) or not 0 < population <= MAX_POPULATION):
        bad("population", population, f"un nombre entier d'habitants > 0 et d'au plus {MAX_POPULATION:,}"
            .replace(",", " ") + " (la population de la France)")
        population = None
    agents = data.get("agents")
    if agents is not None and (not _is_int(agents) or agents <= 0):
        bad("agents", agents, "un nombre entier d'agents > 0")
    elif _is_int(agents) and population is not None and agents > population:
        bad("agents", agents, f"au plus la population ({population}) : une collectivité n'a pas plus d'agents que "
            "d'habitants")
    return population, agents


def _years(data: dict, bad: _Problems, this_year: int) -> dict:
    """``reference_year`` (2000 to this year), ``target_year`` (after it, at most 2100), ``milestone_year`` (2030 by
    default, between them) and ``plan_start_year`` (optional, between them): the fields of :class:`Territory`; a
    reference or target year is None when invalid (the later checks then skip the comparison)."""
    ref = data.get("reference_year")
    if ref is not None and (not _is_int(ref) or not 2000 <= ref <= this_year):
        bad("reference_year", ref, f"une année entre 2000 et {this_year}")
        ref = None
    target = data.get("target_year")
    if target is not None and (not _is_int(target) or (ref is not None and target <= ref) or target > 2100):
        bad("target_year", target, "une année après reference_year et au plus 2100")
        target = None
    milestone = data.get("milestone_year")
    milestone = 2030 if milestone is None else milestone  # absent or left empty: the default
    if milestone is not None and ref is not None and target is not None:
        if not _is_int(milestone) or not ref < milestone <= target:
            bad("milestone_year", milestone, "une année après reference_year et au plus target_year")
    plan_start = data.get("plan_start_year")
    if plan_start is not None and (not _is_int(plan_start) or (ref is not None and plan_start <= ref)
                                   or (target is not None and plan_start > target)):
        bad("plan_start_year", plan_start, "l'année de décision du plan, après reference_year et au plus "
            "target_year")
    return {"reference_year": ref, "target_year": target, "milestone_year": milestone, "plan_start_year": plan_start}


def _parse_entities(raw, key: str, bad: _Problems, population: int | None) -> tuple[Entity, ...]:
    """``entities:`` or ``peers:``: a list (non-empty for the entities) of at most :data:`MAX_ENTITIES` items, each
    a name or a mapping with ``id``, ``name``, ``kind``, ``population``, ``aliases``, ``article``."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or (key == "entities" and not raw):
        bad(key, raw if not isinstance(raw, (dict, list)) else None, "une liste non vide d'éléments avec 'id' et 'name'")
        return ()
    if len(raw) > MAX_ENTITIES:
        bad(key, len(raw), f"au plus {MAX_ENTITIES} éléments")
        return ()
    parsed = (_entity({"id": item, "name": item} if isinstance(item, str) else item, key, i, bad, population)
              for i, item in enumerate(raw))
    return tuple(e for e in parsed if e is not None)


def _entity(item, key: str, i: int, bad: _Problems, population: int | None) -> Entity | None:
    """Item ``i`` of ``entities:`` or ``peers:`` (None when it cannot be read: no valid id, name or kind)."""
    if not isinstance(item, dict):
        bad(key, None, "un élément avec 'id' et 'name'", i)
        return None
    unknown = set(map(str, item)) - {"id", "name", "kind", "population", "aliases", "article"}
    if unknown:
        bad(key, sorted(unknown), "seulement les clés id, name, kind, population, aliases, article", i)
    article = _article(item.get("article"))
    if article is False:
        bad(key, item.get("article"), KEYS["article"][1], i)
        article = None
    aliases = _aliases(item.get("aliases") or [], key, i, bad)
    eid = item.get("id")
    if not isinstance(eid, str) or not ID_RE.fullmatch(eid):
        bad(key, eid if isinstance(eid, (str, int, float)) else None,
            "un 'id' en lettres minuscules, chiffres, '-' ou '_' (par ex. 'ville'), 41 caractères au plus", i)
        return None
    name, kind = str(item.get("name") or eid), str(item.get("kind") or "")
    for text, max_chars in ((name, MAX_NAME_CHARS), (kind, 60)):
        if _text_problem(text, max_chars):
            bad(key, text[:40], _text_problem(text, max_chars), i)
            return None
    pop = _entity_population(item.get("population"), key, i, bad, population)
    return Entity(eid, name, kind, pop, aliases, article)


def _aliases(aliases, key: str, i: int, bad: _Problems) -> tuple[str, ...]:
    """``aliases:`` of an entity: a list of names, stripped (empty when invalid)."""
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() and not
                                                _text_problem(a, MAX_NAME_CHARS) for a in aliases):
        bad(key, None, "'aliases' : une liste de noms, par ex. [\"Agglo\", \"CA Val-de-Sèvre\"]", i)
        return ()
    return tuple(a.strip() for a in aliases)


def _entity_population(pop, key: str, i: int, bad: _Problems, population: int | None) -> int | None:
    """An entity's ``population``: a whole number > 0, at most the territory's for an entity of the perimeter."""
    if pop is not None and (not _is_int(pop) or not 0 < pop <= MAX_POPULATION):
        bad(key, pop, f"une population entière > 0 et d'au plus {MAX_POPULATION}", i)
        return None
    if pop is not None and key == "entities" and population is not None and pop > population:
        bad(key, pop, f"une population d'entité d'au plus celle du territoire ({population})", i)
        return None
    return pop


def _unique_ids(entities: tuple[Entity, ...], bad: _Problems) -> None:
    """An id given twice among the entities and the peers."""
    counts: dict[str, int] = {}
    for e in entities:
        counts[e.id] = counts.get(e.id, 0) + 1
    for dup in sorted(i for i, n in counts.items() if n > 1):
        bad("entities", dup, "des ids uniques parmi les entités et les pairs")


def _maturity_subject(subject, entities: tuple[Entity, ...], bad: _Problems) -> str:
    """``maturity_subject:``, an entity id (default: the first entity)."""
    subject = subject or (entities[0].id if entities else "")
    if entities and subject not in {e.id for e in entities}:
        shown = [e.id for e in entities[:10]] + (["…"] if len(entities) > 10 else [])
        bad("maturity_subject", subject, f"l'un des ids d'entité {shown}")
    return subject


def _electricity(data: dict, bad: _Problems) -> float | None:
    """``electricity_factor_kgco2e_per_kwh:`` (between 0 and 1.5, with its source) and its source, a text."""
    elec = data.get("electricity_factor_kgco2e_per_kwh")
    if elec is not None:
        if isinstance(elec, bool) or not isinstance(elec, (int, float)) or not 0 < elec < 1.5:
            bad("electricity_factor_kgco2e_per_kwh", elec,
                "un nombre de kgCO2e par kWh entre 0 et 1,5 (France ≈ 0,05)")
        elif not data.get("electricity_factor_source"):
            bad("electricity_factor_source", None,
                "la source du facteur électricité propre (contrat, fournisseur)")
    source = data.get("electricity_factor_source")
    if source is not None and (not isinstance(source, str) or _text_problem(source, MAX_NAME_CHARS)):
        bad("electricity_factor_source", None, _text_problem(str(source), MAX_NAME_CHARS) or "un texte")
    return None if elec is None else float(elec)


def _article(value) -> str | None | bool:
    """``article:`` of a name: None when absent, the article (« la », « le », « l' », « les », « » ) when valid,
    False when it is something else."""
    from helpers.io.french import ARTICLES

    if value is None:
        return None
    if not isinstance(value, str):
        return False
    text = value.strip().lower().replace("’", "'")
    return text if text in ARTICLES else False


#: the scopes of the study a published balance can be set against (``published_footprint: comparable_scope``):
#: equipment = devices, their energy, hosting and networks; physical = the same plus paper; total = physical plus
#: the purchases converted by a monetary ratio
COMPARABLE_SCOPES = ("equipment", "physical", "total")
_FOOTPRINT_KEYS = {"value_tco2e", "year", "scope", "split", "source", "workstations", "comparable_scope"}
_SPLIT_KEYS = ("manufacturing", "use")


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _keyed_section(raw, bad, key: str, allowed, expected_keys: str):
    """The opening checks of a ``key:`` section that must be a mapping of ``allowed`` keys: None when absent or not a
    mapping (reported), else ``(bad, found)`` as :func:`_counting` gives, an unknown key already reported with
    ``expected_keys`` (the French list of the allowed keys)."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        bad(key, None, KEYS[key][1])
        return None
    bad, found = _counting(bad)
    unknown = sorted(set(map(str, raw)) - set(allowed))
    if unknown:
        bad(key, unknown, expected_keys)
    return bad, found


def _counting(bad):
    """``bad`` that also records each problem in the list returned with it."""
    found: list = []

    def report(*args, **kwargs):
        found.append(args)
        bad(*args, **kwargs)

    return report, found


def _valid_split(split) -> bool:
    """``split:`` of a published footprint: shares of :data:`_SPLIT_KEYS` between 0 and 1, adding up to 1 (± 0.011,
    published shares are rounded) when both are given."""
    return (isinstance(split, dict) and not set(map(str, split)) - set(_SPLIT_KEYS)
            and all(_number(v) and 0 <= v <= 1 for v in split.values())
            and not (len(split) == len(_SPLIT_KEYS) and abs(sum(split.values()) - 1) > 0.011))


def _footprint_texts(raw: dict, bad) -> None:
    """``scope`` and ``source`` of a published footprint: texts, the source a web address."""
    key = "published_footprint"
    for text_key, what in (("scope", "scope : le périmètre du bilan publié, tel qu'il est écrit"),
                           ("source", "source : l'adresse de la publication (https://…)")):
        text = raw.get(text_key)
        if not isinstance(text, str) or not text.strip() or _text_problem(text, MAX_DESCRIPTION_CHARS):
            bad(key, None, what)
    source = raw.get("source")
    if isinstance(source, str) and "http" not in source:
        bad(key, source[:40], "source : une adresse web (https://…) où le bilan est publié")


def _published_footprint(raw, bad, this_year: int) -> dict | None:
    """``published_footprint:``, the collectivity's own published balance: ``{value_tco2e, year, scope, source,
    split, workstations, comparable_scope}`` (split and workstations None when not published; comparable_scope
    "equipment" by default). Problems reported through ``bad``; None when absent or invalid."""
    key = "published_footprint"
    opened = _keyed_section(raw, bad, key, _FOOTPRINT_KEYS, f"seulement les clés {', '.join(sorted(_FOOTPRINT_KEYS))}")
    if opened is None:
        return None
    bad, found = opened
    value = raw.get("value_tco2e")
    if not _number(value) or not 0 < value < 10_000_000:
        bad(key, value if _number(value) else None, "value_tco2e : le total publié en tCO2e par an (nombre > 0)")
    year = raw.get("year")
    if not _is_int(year) or not 2000 <= year <= this_year:
        bad(key, year if _is_int(year) else None, f"year : l'année décrite par le bilan publié (2000 à {this_year})")
    _footprint_texts(raw, bad)
    split = raw.get("split")
    if split is not None and not _valid_split(split):
        bad(key, None, "split : les parts publiées, par ex. {manufacturing: 0.54, use: 0.46} (entre 0 et 1, "
                       "de somme 1)")
        split = None
    workstations = raw.get("workstations")
    if workstations is not None and (not _is_int(workstations) or workstations <= 0):
        bad(key, workstations, "workstations : le nombre de postes publié (entier > 0)")
    scope_key = raw.get("comparable_scope", "equipment")
    if scope_key not in COMPARABLE_SCOPES:
        bad(key, scope_key, f"comparable_scope : l'un de {list(COMPARABLE_SCOPES)}")
    if found:
        return None
    return {"value_tco2e": float(value), "year": int(year), "scope": raw["scope"].strip(),
            "source": raw["source"].strip(), "split": {k: float(v) for k, v in split.items()} if split else None,
            "workstations": workstations, "comparable_scope": scope_key}


def _label_nr(raw, bad, this_year: int) -> dict | None:
    """``label_nr:``: ``{held, level, year, source, note}`` (level, year, note None when not given); a label held
    needs its source. Problems reported through ``bad``; None when absent or invalid."""
    key = "label_nr"
    opened = _keyed_section(raw, bad, key, {"held", "level", "year", "source", "note"},
                            "seulement les clés held, level, year, source, note")
    if opened is None:
        return None
    bad, found = opened
    held = raw.get("held")
    if not isinstance(held, bool):
        bad(key, held, "held : true si la collectivité détient le label, false sinon")
    level = raw.get("level")
    if level is not None and level not in (1, 2):
        bad(key, level, "level : 1 ou 2 (le niveau du label), ou rien s'il n'est pas publié")
    year = raw.get("year")
    if year is not None and (not _is_int(year) or not 2019 <= year <= this_year):
        bad(key, year, f"year : l'année d'obtention (2019, création du label, à {this_year})")
    for text_key in ("source", "note"):
        text = raw.get(text_key)
        if text is not None and (not isinstance(text, str) or _text_problem(text, MAX_NAME_CHARS)):
            bad(key, None, f"{text_key} : un texte d'au plus {MAX_NAME_CHARS} caractères")
    if held is True and not (isinstance(raw.get("source"), str) and raw["source"].strip()):
        bad(key, None, "source : où l'obtention du label est publiée (adresse)")
    if found:
        return None
    return {"held": held, "level": level, "year": year, "source": (raw.get("source") or "").strip(),
            "note": (raw.get("note") or "").strip() or None}


#: bounds of the declared business as usual: a headcount moving by more than 10 % a year, or a single declared
#: change of the fleet by more than ±50 %, is a typo rather than a plan
MAX_HEADCOUNT_GROWTH = 0.10
MAX_FLEET_CHANGE_PCT = 50.0


def _business_as_usual(raw, bad, ref, target) -> dict | None:
    """``business_as_usual:``: ``{headcount_growth_per_year, declared_changes: [{year, fleet_change_pct, note}]}``
    (growth a fraction per year within ±:data:`MAX_HEADCOUNT_GROWTH`; each change a year after ``reference_year``
    and at most ``target_year``, a percentage within ±:data:`MAX_FLEET_CHANGE_PCT`). Problems reported through
    ``bad``; None when absent or invalid."""
    key = "business_as_usual"
    opened = _keyed_section(raw, bad, key, {"headcount_growth_per_year", "declared_changes"},
                            "seulement les clés headcount_growth_per_year et declared_changes")
    if opened is None:
        return None
    bad, found = opened
    growth = raw.get("headcount_growth_per_year", 0.0)
    if isinstance(growth, bool) or not isinstance(growth, (int, float)) or not abs(growth) <= MAX_HEADCOUNT_GROWTH:
        bad(key, growth, f"headcount_growth_per_year : une fraction par an entre −{MAX_HEADCOUNT_GROWTH:g} et "
            f"{MAX_HEADCOUNT_GROWTH:g} (0.01 pour +1 % par an)")
    changes = raw.get("declared_changes") or []
    clean = []
    if not isinstance(changes, list):
        bad(key, None, "declared_changes : une liste de {year, fleet_change_pct, note}")
        changes = []
    for i, c in enumerate(changes):
        if not isinstance(c, dict) or set(map(str, c)) - {"year", "fleet_change_pct", "note"}:
            bad(key, None, "declared_changes : des éléments {year, fleet_change_pct, note}", i)
            continue
        year, pct = c.get("year"), c.get("fleet_change_pct")
        if not _is_int(year) or (ref is not None and year <= ref) or (target is not None and year > target):
            bad(key, year, "declared_changes : year, une année après reference_year et au plus target_year", i)
        if isinstance(pct, bool) or not isinstance(pct, (int, float)) or not abs(pct) <= MAX_FLEET_CHANGE_PCT:
            bad(key, pct, f"declared_changes : fleet_change_pct, un pourcentage entre −{MAX_FLEET_CHANGE_PCT:g} et "
                f"{MAX_FLEET_CHANGE_PCT:g}", i)
        note = c.get("note")
        if note is not None and (not isinstance(note, str) or _text_problem(note, MAX_NAME_CHARS)):
            bad(key, None, f"declared_changes : note, un texte d'au plus {MAX_NAME_CHARS} caractères", i)
        clean.append({"year": year, "fleet_change_pct": pct, "note": (note or "").strip()})
    if found:
        return None
    return {"headcount_growth_per_year": float(growth),
            "declared_changes": sorted(({**c, "year": int(c["year"]), "fleet_change_pct": float(c["fleet_change_pct"])}
                                        for c in clean), key=lambda c: c["year"])}


def _score_weights(raw, bad) -> dict:
    """``score_weights:``: the weights of the ranking's criteria, each a number ≥ 0 (those not given keep their
    default, :data:`DEFAULT_SCORE_WEIGHTS`), not all zero. Problems reported through ``bad``."""
    key = "score_weights"
    out = dict(DEFAULT_SCORE_WEIGHTS)
    if raw is None:
        return out
    if not isinstance(raw, dict):
        bad(key, None, KEYS[key][1])
        return out
    for name, value in raw.items():
        if str(name) not in DEFAULT_SCORE_WEIGHTS:
            bad(key, str(name)[:40], f"un critère parmi {', '.join(DEFAULT_SCORE_WEIGHTS)}")
        elif isinstance(value, bool) or not _number(value) or not 0 <= float(value) <= 100:
            bad(key, f"{name}: {value}"[:60], f"{name} : un nombre positif ou nul (par ex. 0.25)")
        else:
            out[str(name)] = float(value)
    if sum(v for k, v in out.items() if k != "stakeholders") <= 0:
        bad(key, None, "au moins un poids positif parmi gain, cost, effort, maturity")
    return out


def _file_settings(raw, bad) -> dict:
    """``files:``: input file name -> {"decimal": "," | ".", "sheet": name}; problems reported through ``bad``."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        bad("files", None, KEYS["files"][1])
        return {}
    out = {}
    for name, settings in raw.items():
        if not isinstance(name, str) or not isinstance(settings, dict):
            bad("files", str(name)[:40], KEYS["files"][1])
            continue
        clean = {}
        for key, value in settings.items():
            allowed = FILE_SETTING_KEYS.get(key, False)
            if allowed is False:
                bad("files", f"{name}: {key}", "seulement les réglages decimal et sheet")
            elif allowed is not None and value not in allowed:
                bad("files", f"{name}: {key}: {value}", f"decimal : l'un de {list(allowed)}")
            elif allowed is None and (not isinstance(value, str) or not value.strip()):
                bad("files", f"{name}: {key}", "sheet : le nom d'une feuille")
            else:
                clean[key] = value
        out[name] = clean
    return out
