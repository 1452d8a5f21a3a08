"""``make new-territory TERRITORY=<slug> [FILES=hosting,telecom|all]``: create ``data/raw/<slug>/`` for a first run that
works.

Templates are generated from the same :class:`helpers.io.tables.Schema` declarations the readers validate against, so
the documentation, the templates and the validation never drift apart. The files the study reads have their header
only (nothing to delete before a first run); one example of each, with an example row, is in ``exemples/``, which
the study never reads. Optional inputs are created only on request. ``territory.yaml`` leaves blank what only the
collectivity knows, and the study refuses it, naming the fields, until they are filled. ``README.md`` is a numbered
walk-through, then every file and column (type, unit, range, default, meaning).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from helpers.io import paths
from helpers.io.errors import InputError, InputProblem
from helpers.io.tables import EXAMPLE_COLUMN, schema_markdown, template_csv
from helpers.io.territory import KEYS, KINDS, TEMPLATE_MARKER

# (module, schema attribute, required?, what the file is for)
INPUT_FILES = (
    ("helpers.io.inventory", "INVENTORY_SCHEMA", True, "the equipment inventory (carbon balance)"),
    ("helpers.io.carbon_inputs", "HOSTING_SCHEMA", False, "server rooms, data centres and cloud (carbon balance)"),
    ("helpers.io.carbon_inputs", "TELECOM_SCHEMA", False, "fixed and mobile data volumes and subscriptions"),
    ("helpers.io.carbon_inputs", "PURCHASES_SCHEMA", False, "spend on IT services, software, cloud, telecom"),
    ("helpers.io.carbon_inputs", "PRINTING_SCHEMA", False, "paper and printing"),
    ("helpers.io.services_inputs", "SERVICES_SCHEMA", False, "the key digital services (services LCA)"),
    ("helpers.io.rgesn_inputs", "RGESN_SCHEMA", False, "RGESN self-assessment of the services"),
    ("helpers.io.maturity_inputs", "MATURITY_SCHEMA", False, "answers to the maturity questionnaire"),
    ("helpers.plan.actions", "ACTIONS_SCHEMA", False, "selection and parameters of the action plan"),
    ("helpers.io.prices", "TERRITORY_PRICES_SCHEMA", False, "the collectivity's own unit prices (budget of the plan)"),
    ("helpers.io.factors", "FACTOR_OVERRIDE_SCHEMA", False, "overrides of reference factors (e.g. electricity contract)"),
    # issue 35: the territory's open data (état des lieux of digital uses) and the stakeholders' priorities
    ("helpers.io.territory_data", "COMMUNES_SCHEMA", False, "population and households by commune (INSEE)"),
    ("helpers.io.territory_data", "ESTABLISHMENTS_SCHEMA", False,
     "establishments and salaried jobs by sector (INSEE SIRENE, CLAP, FLORES)"),
    ("helpers.io.territory_data", "SCHOOLS_SCHEMA", False, "pupils by school (Éducation nationale)"),
    ("helpers.io.territory_data", "CONNECTIVITY_SCHEMA", False, "fixed connectivity by commune (Arcep)"),
    ("helpers.io.territory_data", "DATACENTRES_SCHEMA", False, "the data centres located on the territory"),
    ("helpers.io.territory_data", "FRAGILITY_SCHEMA", False, "the digital-fragility index by commune (MedNum)"),
    ("helpers.io.priorities", "PRIORITIES_SCHEMA", False, "the stakeholders' priorities (votes, weights)"),
)

#: ``territory.yaml`` as ``make new-territory`` writes it: the facts only the collectivity knows are left blank
#: (nothing invented is ever published), the rest has its default. Its first line carries
#: :data:`helpers.io.territory.TEMPLATE_MARKER`: while a field is blank the study stops with one message naming them.
TERRITORY_TEMPLATE = """\
# territory.yaml — {marker} : remplissez les champs marqués À REMPLIR, puis lancez
# « make study TERRITORY={slug} ». Tant qu'un de ces champs est vide, l'étude s'arrête en les nommant.
# Un exemple rempli est dans exemples/territory.yaml. Clés (obligatoires sauf mention) :
{doc}

name:                # À REMPLIR : le nom de la collectivité, par ex. "Ville de Trifouillis"
kind:                # À REMPLIR : {kinds}
population:          # À REMPLIR : le nombre d'habitants (INSEE, population municipale), par ex. 52000
agents:              # À REMPLIR : le nombre d'agents du périmètre, par ex. 700
reference_year:      # À REMPLIR : l'année que décrit l'inventaire, par ex. 2024
target_year: 2040
milestone_year: 2030
plan_start_year:     # l'année où le conseil décide le plan d'actions, par ex. 2026 (vide : l'année qui suit
                     # reference_year, et le diagnostic demande de la renseigner)
# Une entité par structure du périmètre (ville, CCAS, agglomération…). Les exports la nomment par son id, son nom
# ou un alias (aliases: ["Mairie", "Hôtel de ville"]) ; une seule entité : celle de la collectivité.
entities:
  - id: ville
    name:            # À REMPLIR : le nom de l'entité, par ex. "Ville de Trifouillis"
peers: []
electricity_factor_kgco2e_per_kwh: null
illustrative: false
"""

#: A filled ``territory.yaml`` for ``exemples/`` (never read by the study).
TERRITORY_EXAMPLE = """\
# Exemple rempli (jamais lu par l'étude) : une ville et son CCAS.
name: "Ville de Trifouillis"
kind: commune
population: 52000
agents: 700
reference_year: 2024
target_year: 2040
milestone_year: 2030
plan_start_year: 2025   # l'année où le conseil décide le plan d'actions
entities:
  - {id: ville, name: "Ville de Trifouillis", aliases: ["Mairie", "Hôtel de ville"]}
  - {id: ccas, name: "CCAS de Trifouillis", kind: ccas}
peers: []
maturity_subject: ville
electricity_factor_kgco2e_per_kwh: null
illustrative: false
"""

#: Folder of a new territory with one example file per input (never read by the study).
EXAMPLES_DIR = "exemples"
#: Folder where asset-tool exports go as they come (read by ``helpers.io.inventory.inventory_sources``).
EXPORTS_DIR = "inventory"


def available_schemas():
    """The input schemas of the modules present in this version of the package."""
    out = []
    for module, attr, required, purpose in INPUT_FILES:
        try:
            schema = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError):
            continue
        out.append((schema, required, purpose))
    return out


def optional_files() -> list[str]:
    """The file names of the optional inputs (what ``--files`` may ask for)."""
    return [schema.file for schema, required, _ in available_schemas() if not required]


def resolve_files(names) -> list[str]:
    """Optional input files asked for by name (``hosting``, ``hosting.csv``, ``all``); an unknown name is an error
    listing the known ones."""
    known = optional_files()
    out: list[str] = []
    for name in names:
        name = str(name).strip()
        if not name:
            continue
        if name in ("all", "tous", "tout"):
            out += known
            continue
        file = name if name.endswith(".csv") else f"{name}.csv"
        if file not in known:
            raise InputError(InputProblem(
                "make new-territory", None, "FILES", name,
                f"un fichier facultatif parmi {', '.join(f.removesuffix('.csv') for f in known)} (ou all)"))
        out.append(file)
    return list(dict.fromkeys(out))


#: the README's part on the files' format and on how an asset-tool export is read (the same for every territory)
_README_READING = [
    "Files are CSV (`,` or `;` separator, `.` or `,` decimal mark, UTF-8 or Windows-1252), or XLSX/ODS.",
    "",
    "## How an asset-tool export is read",
    "",
    "- one line per asset, no quantity column: each line counts 1 and identical lines are grouped; no id column: ids",
    "  come from the file and line number; data quality defaults to `high`;",
    "- headers are recognised in French or English as GLPI, OCS Inventory, Snipe-IT and ServiceNow write them",
    "  (`Statut`, `Entité`, `Compagnie`, `Type`, `Catégorie`, `Modèle`, `Numéro de série`, `Numéro d'inventaire`,",
    "  `Date d'achat`, GLPI's `Group - Name` labels, `install_status`, `Asset Tag`…), after Unicode normalisation",
    "  and folding of look-alike letters (Snipe-IT's French « Catégorie » is stored with a Cyrillic capital Es,",
    "  U+0421, for its C: it is read as the Latin letter); the import report",
    "  lists what was recognised and how;",
    "- the category comes from the type column (`Portable`, `Desktop`, `Laptops`, `écran 27 pouces`…) or, in",
    "  `inventory/`, from the file name (`moniteurs*` → screen, `imprimantes*` → printer…; override with",
    "  `inventory_files:` in `territory.yaml`); a screen's size is read from its model name when no column gives it",
    "  (`P2722H`, `27\"`, `U3423WE`); unknown types are excluded and listed (`--strict`: an error);",
    "- purchase dates (`dd/mm/yyyy`, `yyyy-mm-dd`, `Mar 15, 2021`, with a time, Excel serials) become a purchase",
    "  year; assets bought after the reference year are excluded and listed;",
    "- a status column counts the assets in service (or in repair) and excludes those in stock, pending or on",
    "  order, retired, scrapped, lost or stolen (lists in `data/raw/reference/asset_statuses.csv`; override with",
    "  `statuses:` in `territory.yaml`, e.g. `statuses: {\"Prêté\": in_service}`); Snipe-IT's « Déployé » badge",
    "  after a label and an assignment in brackets mean the asset is in use; a misspelt status close to a known one",
    "  is read as it, with a warning naming both; an unknown status is one error listing the values;",
    "- the same serial number twice is one asset (the later lines are listed as duplicates), and so is the same",
    "  line word for word; the same tag or inventory number on different assets is two assets, with a warning",
    "  listing the lines;",
    "- entities are matched by id or name, ignoring case, accents and punctuation, or by `aliases:` given per entity",
    "  in `territory.yaml` (e.g. `- {id: agglo, name: \"CA Val-de-Sèvre\", aliases: [\"Agglo\", \"CAVS\"]}`).",
    "",
]


def readme_text(slug: str) -> str:
    """The territory folder's ``README.md``: a numbered walk-through, then every file and column."""
    lines = _readme_steps(slug) + _README_READING + [
        "## `territory.yaml` (required)",
        "",
        "| key | required | meaning |",
        "|---|---|---|",
    ]
    lines += [f"| `{k}` | {'yes' if req else 'no'} | {desc} |" for k, (req, desc) in KEYS.items()]
    lines.append("")
    for schema, required, purpose in available_schemas():
        lines.append(f"## `{schema.file}` ({'required' if required else 'optional'}): {purpose}")
        lines.append("")
        lines.append(schema_markdown(schema))
    return "\n".join(lines)



def _readme_steps(slug: str) -> list[str]:
    """The README's title and its numbered walk-through of a first run."""
    optional = ", ".join(f.removesuffix(".csv") for f in optional_files())
    return [
        f"# Inputs of the territory `{slug}`",
        "",
        "## First run, step by step",
        "",
        "1. **Fill `territory.yaml`**: the fields marked `À REMPLIR` (name, kind, population, agents, reference",
        "   year, the name of each entity). Until they are filled the study stops with one message naming them. A",
        f"   filled example is in `{EXAMPLES_DIR}/territory.yaml`.",
        "2. **Bring the inventory in**, either way:",
        "   - copy the export of your asset tool (GLPI, OCS Inventory / GLPI Inventory, Snipe-IT, ServiceNow, or a",
        f"     LibreOffice/Excel sheet) **as it comes** into `{EXPORTS_DIR}/` (any file name; CSV, XLSX or ODS; one",
        "     file per item type is fine, e.g. GLPI's `ordinateurs.csv`, `moniteurs.csv`); nothing to rename;",
        "   - or write `inventory.csv` by hand below its header, one line per group of identical devices",
        f"     (example: `{EXAMPLES_DIR}/inventory.csv`).",
        f"3. **Optional inputs** ({optional}): add their header-only templates with",
        f"   `make new-territory TERRITORY={slug} FILES=hosting,telecom` (or `FILES=all`); an existing file is never",
        "   overwritten. A part whose file is absent or header-only is marked \"non fourni\" in the diagnostic, never",
        f"   invented. `{EXAMPLES_DIR}/` has one example of each; it is never read.",
        f"4. **Run** `make study TERRITORY={slug}`. The diagnostic is `outputs/{slug}/diagnostic.html`.",
        "5. **Check the import** in the console, in the annex (« Rapport d'import des fichiers d'entrée ») and in",
        f"   `outputs/{slug}/tables.xlsx` (sheets « Rapport d'import » and « Lignes exclues »): rows read, kept and",
        "   excluded by reason, every excluded line with the value that decided, the columns recognised and how. An",
        "   unknown status or entity stops the study with the values to map (`statuses:`, `aliases:` in",
        "   `territory.yaml`); fix, and run again.",
        "",
    ]


def header_only_csv(schema) -> str:
    """The header line of ``schema``'s file: the template a study reads (no example row to delete)."""
    return template_csv(schema).splitlines()[0].removesuffix(f",{EXAMPLE_COLUMN}") + "\n"


def _schemas_by_file() -> dict:
    return {schema.file: schema for schema, _, _ in available_schemas()}


def new_territory(slug: str, files=()) -> Path:
    """Create ``data/raw/<slug>/`` for a first run that works; refuse to overwrite anything.

    Written: ``territory.yaml`` with the facts to fill left blank (:data:`TERRITORY_TEMPLATE`), ``inventory.csv``
    with its header only, an empty ``inventory/`` for exports as they come, ``README.md`` (a numbered walk-through
    and every column), and ``exemples/`` with one example of every input (never read). The optional inputs'
    header-only templates are written only when asked for (``files``: names such as ``hosting``, or ``all``); asked
    for on an existing folder, the missing ones are added and nothing else is touched.
    """
    slug = paths.check_slug(slug)
    folder = paths.raw_dir(slug)
    wanted = resolve_files(files)
    schemas = _schemas_by_file()
    if folder.exists():
        if not wanted:
            raise InputError(InputProblem(
                f"data/raw/{slug}/", None, None, None,
                "un nouveau nom de territoire : ce dossier existe déjà et n'est jamais écrasé (pour y ajouter des "
                f"modèles de fichiers facultatifs : make new-territory TERRITORY={slug} FILES=hosting,telecom)"))
        present = [f for f in wanted if (folder / f).exists()]
        if present:
            raise InputError(InputProblem(
                f"data/raw/{slug}/", None, None, ", ".join(present),
                "des fichiers absents du dossier : ceux-ci existent déjà et ne sont jamais écrasés"))
        for file in wanted:
            (folder / file).write_text(header_only_csv(schemas[file]), encoding="utf-8")
        return folder
    folder.mkdir(parents=True)
    doc = "\n".join(f"#   {k}{'' if req else ' (facultatif)'} : {desc}" for k, (req, desc) in KEYS.items())
    (folder / "territory.yaml").write_text(
        TERRITORY_TEMPLATE.format(marker=TEMPLATE_MARKER, slug=slug, doc=doc, kinds=", ".join(KINDS)),
        encoding="utf-8")
    required = [schema.file for schema, req, _ in available_schemas() if req]
    for file in required + wanted:
        (folder / file).write_text(header_only_csv(schemas[file]), encoding="utf-8")
    (folder / EXPORTS_DIR).mkdir()
    (folder / EXPORTS_DIR / "README.md").write_text(
        "# Exports d'inventaire\n\nCopiez ici l'export de votre outil de parc tel qu'il sort (GLPI, OCS Inventory, "
        "Snipe-IT, ServiceNow, tableur) : CSV, XLSX ou ODS, un ou plusieurs fichiers. Ce fichier README n'est pas lu.\n",
        encoding="utf-8")
    examples = folder / EXAMPLES_DIR
    examples.mkdir()
    (examples / "territory.yaml").write_text(TERRITORY_EXAMPLE, encoding="utf-8")
    for schema, _required, _purpose in available_schemas():
        (examples / schema.file).write_text(template_csv(schema), encoding="utf-8")
    (folder / "README.md").write_text(readme_text(slug), encoding="utf-8")
    return folder
