"""``make new-territory SLUG=<slug>``: create ``data/raw/<slug>/`` with documented input templates.

Templates are generated from the same :class:`helpers.io.tables.Schema` declarations the readers validate against, so
the documentation, the templates and the validation never drift apart. Each CSV template has the header and one
example row; ``README.md`` explains every file and column (type, unit, range, default, meaning).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from helpers.io import paths
from helpers.io.errors import InputError, InputProblem
from helpers.io.tables import schema_markdown, template_csv
from helpers.io.territory import KEYS

# (module, schema attribute, required?, what the file is for)
INPUT_FILES = (
    ("helpers.io.inventory", "INVENTORY_SCHEMA", True, "the equipment inventory (carbon balance)"),
    ("helpers.io.carbon_inputs", "HOSTING_SCHEMA", False, "server rooms, data centres and cloud (carbon balance)"),
    ("helpers.io.carbon_inputs", "TELECOM_SCHEMA", False, "fixed and mobile data volumes and subscriptions"),
    ("helpers.io.carbon_inputs", "PURCHASES_SCHEMA", False, "spend on IT services, software, cloud, telecom"),
    ("helpers.io.carbon_inputs", "PRINTING_SCHEMA", False, "paper and printing"),
    ("helpers.model.services", "SERVICES_SCHEMA", False, "the key digital services (services LCA)"),
    ("helpers.model.rgesn", "RGESN_SCHEMA", False, "RGESN self-assessment of the services"),
    ("helpers.model.maturity", "MATURITY_SCHEMA", False, "answers to the maturity questionnaire"),
    ("helpers.plan.actions", "ACTIONS_SCHEMA", False, "selection and parameters of the action plan"),
    ("helpers.io.prices", "TERRITORY_PRICES_SCHEMA", False, "the collectivity's own unit prices (budget of the plan)"),
    ("helpers.io.factors", "FACTOR_OVERRIDE_SCHEMA", False, "overrides of reference factors (e.g. electricity contract)"),
)

TERRITORY_TEMPLATE = """\
# Description of the territory. Keys (required unless marked optional):
{doc}
name: "Ville de Nouvelle-Commune"
kind: commune
population: 60000
agents: 800
reference_year: 2024
target_year: 2040
milestone_year: 2030
plan_start_year: null   # the year the council decides the plan (e.g. 2026); null: the year after reference_year
entities:
  - {{id: ville, name: "Ville de Nouvelle-Commune", kind: commune}}
peers: []
maturity_subject: ville
electricity_factor_kgco2e_per_kwh: null
illustrative: false
"""


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


def readme_text(slug: str) -> str:
    lines = [
        f"# Inputs of the territory `{slug}`",
        "",
        "Fill in these files, then run `make study TERRITORY=" + slug + "`. Files are CSV (`,` or `;` separator, `.` or `,`",
        "decimal mark, UTF-8 or Windows-1252), or XLSX/ODS. Each template has one **example row**, marked (its id starts",
        "with `EXEMPLE`, or its `exemple` column says `oui`): the study refuses to run while one is left, naming the file",
        "and the line. Delete it and put your own lines. Optional files may be deleted or left with their header only: the",
        "matching part of the diagnostic then says \"non fourni\".",
        "",
        "## Bringing an asset-tool export in",
        "",
        "An export of GLPI, OCS Inventory / GLPI Inventory, ServiceNow or Snipe-IT goes in **as it comes**: save it as",
        "`inventory.csv` (or `.xlsx`, `.ods`), or put one file per item type in a folder `inventory/` (e.g. GLPI's",
        "`ordinateurs.csv`, `moniteurs.csv`, `telephones.csv`, `imprimantes.csv`, `reseau.csv`). Then:",
        "",
        "- one line per asset, no quantity column: each line counts 1 and identical lines are grouped; no id column: ids",
        "  come from the file and line number; data quality defaults to `high`;",
        "- headers are recognised in French or English, GLPI's `Group - Name` labels included (`Statut`, `Entité`,",
        "  `Type`, `Date d'achat`, `install_status`, `Asset Tag`, …); the import report lists what was recognised and how;",
        "- the category comes from the type column (`Portable`, `Desktop`, `Laptops`, `écran 27 pouces`…) or, in",
        "  `inventory/`, from the file name (`moniteurs*` → screen, `imprimantes*` → printer…; override with",
        "  `inventory_files:` in `territory.yaml`); unknown types are excluded, counted and listed (`--strict`: an error);",
        "- purchase dates (`dd/mm/yyyy`, `yyyy-mm-dd`, with a time, Excel serials) become a purchase year; assets bought",
        "  after the reference year are excluded and counted;",
        "- a status column counts the assets in service (or in repair) and excludes those in stock, on order, retired,",
        "  scrapped, lost or stolen (lists in `data/raw/reference/asset_statuses.csv`; override with `statuses:` in",
        "  `territory.yaml`, e.g. `statuses: {\"Prêté\": in_service}`); an unknown status is one error listing the values;",
        "- entities are matched by id or name, ignoring case, accents and punctuation, or by `aliases:` given per entity",
        "  in `territory.yaml` (e.g. `- {id: agglo, name: \"CA Val-de-Sèvre\", aliases: [\"Agglo\", \"CAVS\"]}`).",
        "",
        "After `make study`, `data/processed/" + slug + "/import_report.csv` (and the diagnostic, sections 2 and 8) say,",
        "for every file, the rows read, kept and excluded by reason, the columns recognised and the defaults applied.",
        "",
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


def new_territory(slug: str) -> Path:
    """Create ``data/raw/<slug>/`` with templates; refuse to overwrite an existing folder."""
    slug = paths.check_slug(slug)
    folder = paths.raw_dir(slug)
    if folder.exists():
        raise InputError(InputProblem(f"data/raw/{slug}/", None, None, None,
                                      "un nouveau nom de territoire : ce dossier existe déjà et n'est jamais écrasé"))
    folder.mkdir(parents=True)
    doc = "\n".join(f"#   {k}{'' if req else ' (optional)'}: {desc}" for k, (req, desc) in KEYS.items())
    (folder / "territory.yaml").write_text(TERRITORY_TEMPLATE.format(doc=doc), encoding="utf-8")
    for schema, _required, _purpose in available_schemas():
        (folder / schema.file).write_text(template_csv(schema), encoding="utf-8")
    (folder / "README.md").write_text(readme_text(slug), encoding="utf-8")
    return folder
