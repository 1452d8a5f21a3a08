"""The equipment inventory ``data/raw/<slug>/inventory.csv`` (and/or ``inventory/``): schema, validation, defaults.

One line per group of identical devices, in the spirit of the ADEME/Boavizta PCR-SI exchange format
(``Boavizta/PCR-SI_dataformat``: id, type, quantity, lifetime, quality, yearly electricity consumption, tags):
entity, category, quantity, purchase year or age, lifetime, optional power and hours of use, reconditioned or not,
data quality, hosting site.

An asset-tool export goes in as it comes (``/work/shared/reference/asset-exports.md``: GLPI, OCS Inventory,
ServiceNow, Snipe-IT): one line per asset and no quantity column (quantity 1 per row, identical lines aggregated,
the clean table keeps ``source_rows``), no id column (stable ids from file and line), headers as each tool writes
them in French or English (compared after look-alike folding, ``helpers.io.tables.fold_text``), dates of purchase as
dates, a status column (retired, scrapped, lost, stolen, in-stock, pending assets excluded and counted, see
``data/raw/reference/asset_statuses.csv``; Snipe-IT's "Déployé" badge and assignments read, close misspellings read
with a warning: :func:`resolve_status`), duplicates that are duplicates (same serial, or the same line word for word
when it carries an identifier; a tag on different assets is two assets, warned: :class:`_Duplicates`), screen sizes
read from model names (:func:`screen_size_from_model`), entities by id, name or alias, one file per item type in a
folder ``inventory/`` with the category taken from the file name when the type column does not decide. Every
excluded row is counted by reason in the import report (``df.attrs["import_report"]``) and listed with the column and
value that decided (:func:`excluded_lines_table`).

Defaults (lifetime, power, hours, days, yearly kWh) come from ``data/raw/reference/categories.csv``; the clean table
records where each yearly kWh came from (``given``, ``power_x_hours`` or ``category_default``).
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.io import bounds as B
from helpers.io import vocab
from helpers.io.errors import InputError, InputProblem, display_path
from helpers.io.french import count_text
from helpers.io.tables import Column, Schema, fold_text, take_report

QUALITIES = vocab.QUALITIES
SYNONYMS_PATH = "category_synonyms.csv"
_SCREEN_RE = re.compile(r"^(ecran|moniteur|monitor)( pc| d ordinateur)? (\d+(?:[.,]\d+)?)( pouces?| po| inch| in)?$")


def _norm(text) -> str:
    """Category key: look-alikes folded (``helpers.io.tables.fold_text``), lower case, no accents, punctuation as
    spaces."""
    text = unicodedata.normalize("NFKD", fold_text(text)).encode("ascii", "ignore").decode().lower()
    return " ".join("".join(ch if ch.isalnum() or ch in ".," else " " for ch in text).split())


def load_category_synonyms(reference_dir=None) -> dict[str, str]:
    """``data/raw/reference/category_synonyms.csv`` as a dict normalised synonym -> canonical category."""
    from helpers.io.paths import REFERENCE_DIR

    path = (reference_dir or REFERENCE_DIR) / SYNONYMS_PATH
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {_norm(a): b for a, b in zip(table["synonym"], table["category"], strict=True)}


def canonical_categories(values: pd.Series, known: list[str], synonyms: dict[str, str]) -> pd.Series:
    """Map categories as people write them to canonical ids; unknown ones become ``None``.

    Accepted: the canonical id (``screen_small``), the id with spaces, any synonym of the table
    (``PC fixe``, ``Unité centrale``, ``copieur``, ``TBI`` …), and screens with their size
    (``écran 24"`` → ``screen_small``, ``écran 27 pouces`` → ``screen_large``; threshold 24 inches).
    """
    by_key = {_norm(k.replace("_", " ")): k for k in known}
    by_key.update({k: v for k, v in synonyms.items() if v in known})
    cache: dict[str, str | None] = {}
    out = []
    for value in values:
        if value not in cache:
            key = _norm(value)
            found = by_key.get(key)
            if found is None:
                m = _SCREEN_RE.match(key)
                if m:
                    size = float(m.group(3).replace(",", "."))
                    found = "screen_small" if size <= 24 else "screen_large"
            if found is None and "/" in str(value):  # "copieur / MFP": every part names the same category
                parts = {by_key.get(_norm(part)) for part in str(value).split("/")}
                found = parts.pop() if len(parts) == 1 else None
            cache[value] = found
        out.append(cache[value])
    return pd.Series(out, index=values.index, dtype=object)

EXPORT_SYNONYMS_PATH = "export_type_synonyms.csv"
STATUSES_PATH = "asset_statuses.csv"
#: Category value for device types known from asset tools but without an impact factor (excluded and listed).
UNMODELLED = "unmodelled"
#: Status reasons counted in the fleet; every other reason excludes the row.
COUNTED_REASONS = ("in_service", "in_repair")
STATUS_REASONS = ("in_service", "in_repair", "in_stock", "on_order", "retired", "scrapped", "lost", "stolen")
#: French labels of the exclusion reasons (import report, console, diagnostic).
REASON_FR = {
    "status": "statut hors service",
    "in_stock": "statut « en stock »", "on_order": "statut « en attente / en commande »", "retired": "statut « réformé / retiré »",
    "scrapped": "statut « au rebut »", "lost": "statut « perdu »", "stolen": "statut « volé »",
    "after_reference_year": "acheté après l'année de référence",
    "unknown_type": "type d'équipement inconnu",
    "unmodelled_type": "type connu mais non modélisé",
    "duplicate": "doublon (même équipement qu'une ligne précédente)",
    "example_row": "ligne d'exemple du modèle",
}

#: Default mapping of an inventory file's name (in ``inventory/``) to a category family: (name patterns, category used
#: when the type column does not name a known category; ``None``: the type column must decide). A territory may
#: override or extend it with ``inventory_files:`` in ``territory.yaml`` (pattern -> category id). GLPI exports one file
#: per item type (Ordinateurs, Moniteurs, Téléphones, Imprimantes, Matériels réseau, Périphériques; asset-exports.md §1.3).
FILE_CATEGORY_DEFAULTS: tuple[tuple[tuple[str, ...], str | None], ...] = (
    (("ordinateur*", "computer*", "postes*", "pc*"), None),
    (("moniteur*", "monitor*", "ecran*", "screen*"), "screen_small"),
    (("telephones mobiles*", "mobiles*", "smartphone*"), "smartphone"),
    (("telephone*", "phone*"), "desk_phone_ip"),
    (("imprimante*", "printer*"), "printer"),
    (("reseau*", "materiels reseau*", "materiel reseau*", "network*"), "switch"),
    (("serveur*", "server*"), "server"),
    (("tablette*", "tablet*"), "tablet"),
    (("peripherique*", "peripheral*"), UNMODELLED),
)


def load_export_synonyms(reference_dir=None) -> dict[str, str]:
    """``export_type_synonyms.csv``: type names seen in asset-tool exports -> category (or ``unmodelled``)."""
    from helpers.io.paths import REFERENCE_DIR

    path = (reference_dir or REFERENCE_DIR) / EXPORT_SYNONYMS_PATH
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {_norm(a): b for a, b in zip(table["synonym"], table["category"], strict=True)}


def load_statuses(reference_dir=None, overrides: dict | None = None) -> dict[str, str]:
    """Status value (normalised: no case, accents, punctuation) -> reason, from ``asset_statuses.csv``.

    ``overrides`` (``statuses:`` of ``territory.yaml``: value -> reason) replaces or adds values. The default lists
    come from the public vocabularies of GLPI, ServiceNow and Snipe-IT (``asset-exports.md`` §1.5, §3, §4).
    """
    from helpers.io.paths import REFERENCE_DIR

    table = pd.read_csv((reference_dir or REFERENCE_DIR) / STATUSES_PATH, dtype=str, keep_default_na=False)
    out = {_norm(v): r for v, r in zip(table["value"], table["reason"], strict=True)}
    out.update({_norm(v): r for v, r in (overrides or {}).items()})
    return out


def entity_key(text) -> str:
    """Entity matching key: no case, no accents, no punctuation or spaces, look-alikes folded (``CA Val-de-Sèvre`` =
    ``ca val de sevre``)."""
    text = unicodedata.normalize("NFKD", fold_text(text)).encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in text if ch.isalnum())


def entity_lookup(territory) -> dict[str, str]:
    """Matching key -> entity id, from each entity's id, name and ``aliases`` (``territory.yaml``)."""
    out: dict[str, str] = {}
    for e in territory.entities:
        for text in (e.id, e.name, *getattr(e, "aliases", ())):
            out.setdefault(entity_key(text), e.id)
    return out


#: GLPI's root entity as its install names it (inserted as ``__('Root entity')``, in the install's language: "Entité
#: racine" in French; ``glpi-project/glpi`` install and update scripts), as matching keys: a one-entity install
#: exports every asset under it.
ROOT_ENTITY_KEYS = ("entiteracine", "rootentity")


def match_entities(values: pd.Series, lookup: dict[str, str]) -> pd.Series:
    """Entity ids for the values as written (``None`` when unmatched); a GLPI tree path ``Racine > Mairie`` also
    matches by its last part; GLPI's root entity alone ("Entité racine") is the territory's entity when it has only
    one."""
    uniques = pd.unique(values.dropna())
    only = set(lookup.values())
    found = {}
    for v in uniques:
        hit = lookup.get(entity_key(v))
        if hit is None and ">" in str(v):
            hit = lookup.get(entity_key(str(v).rsplit(">", 1)[1]))
        if hit is None and len(only) == 1 and entity_key(v) in ROOT_ENTITY_KEYS:
            hit = next(iter(only))
        found[v] = hit
    return values.map(found).astype(object).where(lambda v: v.notna(), None)


def file_category(name: str, overrides: dict | None = None) -> tuple[bool, str | None]:
    """(the file name maps to a family, the category used when its type column does not decide).

    ``overrides`` (``inventory_files:`` of ``territory.yaml``) are tried first, then :data:`FILE_CATEGORY_DEFAULTS`;
    patterns are shell-style (``fnmatch``) on the normalised file stem.
    """
    import fnmatch

    stem = _norm(name.rsplit(".", 1)[0])
    for pattern, category in (overrides or {}).items():
        if fnmatch.fnmatch(stem, _norm(pattern.replace("*", "STAR")).replace("star", "*")):
            return True, category
    for patterns, category in FILE_CATEGORY_DEFAULTS:
        if any(fnmatch.fnmatch(stem, p) for p in patterns):
            return True, category
    return False, None


INVENTORY_SCHEMA = Schema(
    file="inventory.csv",
    description=(
        "Equipment inventory: one line per group of identical devices of one entity, or one line per asset as an "
        "asset tool exports it (no quantity column: 1 per line; no id column: ids from the line numbers). Only "
        "category is always required; entity when the territory has several entities; quantity for grouped lines. "
        "Empty optional cells take the category's default from data/raw/reference/categories.csv. Several files may "
        "be put in a folder inventory/ (CSV, XLSX, ODS), the category then possibly coming from the file name."
    ),
    columns=(
        Column("line_id", "str", synonyms=("id", "identifiant", "ligne", "numero de ligne", "nom", "name",
                                           "asset name", "nom de l'actif", "display name", "display_name", "machine"),
               description="unique id of the line, or the asset's name in an export (default: file and line number)",
               example="L001"),
        Column("entity", "str", synonyms=("entite", "structure", "collectivite", "organisation", "entity", "company",
                                          "compagnie", "societe", "tag"),
               description="entity id, name or alias from territory.yaml (default: the only entity)", example="ville"),
        Column("category", "str",
               synonyms=("categorie", "type", "type d'equipement", "type equipement", "famille", "category",
                         "chassis type", "chassis_type", "form factor", "form_factor",
                         "model category", "model_category", "categorie d'actifs", "assets category"),
               description="category id from data/raw/reference/categories.csv, or a type name as exported",
               example="laptop"),
        Column("quantity", "int", synonyms=("quantite", "nombre", "nb", "qte", "qty"), min=0, min_exclusive=True,
               max=1_000_000, unit="units",
               description="number of identical devices (no column: 1 per line)", example=120),
        Column("purchase_year", "date",
               synonyms=("annee d'achat", "annee achat", "annee", "year", "date d'achat", "date achat",
                         "purchase date", "purchase_date", "date of purchase", "date de mise en service",
                         "startup date", "install_date", "date d'installation"),
               min=1980, max=B.MAX_YEAR, description="year or date of purchase (or give age_years)", example=2019),
        Column("age_years", "float", synonyms=("age (ans)", "age ans", "age en annees"), min=0, max=40, unit="years", description="age at the reference year, if no purchase year",
               example=""),
        Column("lifetime_years", "float", synonyms=("duree de vie", "duree de vie (ans)", "duree de vie ans", "lifetime"), min=1, max=20, unit="years",
               description="expected lifetime in the organisation (default: category)", example=5),
        Column("power_w", "float", synonyms=("puissance moyenne", "puissance moyenne (w)", "average power",
                                             "average power (w)", "avg power"),
               min=0, max=B.MAX_DEVICE_POWER_W, unit="W", description="average power when on, measured or from the model's datasheet (default: "
                                            "category)", example=""),
        Column("rated_power_w", "float",
               synonyms=("puissance", "puissance (w)", "puissance w", "power", "power (w)", "puissance nominale",
                         "rated power", "nameplate power", "puissance alimentation", "alimentation (w)", "psu (w)",
                         "power supply (w)", "puissance max", "puissance maximale"),
               min=0, max=B.MAX_DEVICE_POWER_W, unit="W",
               description="power rating as asset tools export it (nameplate, power supply): checked for plausibility "
                           "but never used as the average draw, the consumption stays the category's",
               example=""),
        Column("hours_per_day", "float", synonyms=("heures par jour", "heures/jour", "h/j"), min=0, max=24, unit="h/day", description="hours on per day of use", example=""),
        Column("days_per_year", "float", synonyms=("jours par an", "jours/an", "j/an"), min=0, max=366, unit="days/year", description="days of use per year", example=""),
        Column("yearly_kwh", "float", synonyms=("consommation annuelle", "consommation (kwh/an)", "kwh/an", "kwh par an"), min=0, max=B.MAX_DEVICE_KWH_PER_YEAR, unit="kWh/year", description="measured yearly consumption per device",
               example=""),
        Column("reconditioned", "bool", synonyms=("reconditionne", "reemploi", "seconde vie"), default=False, description="yes if bought reconditioned (second life)",
               example="no"),
        Column("quality", "str", synonyms=("qualite", "qualite de la donnee", "fiabilite"), allowed=QUALITIES,
               description="data quality of the quantity: high (asset tool), medium (estimate), low (guess); "
                           "default: high for one line per asset, medium for grouped lines",
               example="high"),
        Column("site", "str", synonyms=("salle serveur", "hebergement", "site d'hebergement"), description="hosting site id from hosting.csv, for servers, storage and network gear",
               example=""),
        Column("item_type", "str", synonyms=("item type", "type d'element", "itemtype", "sys_class_name", "classe"),
               description="the kind of item in a mixed export (GLPI's 'Item type' of 'All assets': Computer, "
                           "Monitor, Phone…): decides the category like a file name when the type column does not",
               example=""),
        Column("status", "str", synonyms=("statut", "etat", "status", "state", "install_status", "status label",
                                          "status_label", "statut de l'actif"),
               description="status as the asset tool writes it: in service counts; in stock, retired, scrapped, "
                           "lost, stolen are excluded and counted (data/raw/reference/asset_statuses.csv)",
               example=""),
        Column("screen_size_in", "float", synonyms=("taille", "size", "diagonale", "taille (pouces)", "taille ecran"),
               min=5, max=120, unit="inches", description="screen size: > 24 inches makes a large screen",
               example=""),
        Column("comment", "str", synonyms=("commentaire", "remarque", "source", "notes"), description="free text: source of the line, assumption", example="GLPI export 2023"),
        Column("serial", "str",
               synonyms=("numero de serie", "serial number", "serial_number", "serial", "serie", "n° de serie",
                         "no de serie", "bios numero de serie", "bios serial number", "ssn"),
               description="the asset's serial number in an export: two lines with the same serial are one asset "
                           "(the later ones are listed as duplicates)", example=""),
        Column("asset_tag", "str",
               synonyms=("numero d'inventaire", "inventory number", "asset tag", "asset_tag", "etiquette de l'actif",
                         "n° inventaire", "no inventaire", "n° d'inventaire", "etiquette"),
               description="the asset's tag or inventory number in an export: lines sharing one are the same asset "
                           "only when every column is equal (else both are counted, with a warning)", example=""),
        Column("model", "str", synonyms=("modele", "model", "model_id", "nom du modele", "model name"),
               description="the model name in an export: a screen size in it (P2722H, 27\", U3423WE) picks the "
                           "screen category when neither the type nor a size column gives the size", example=""),
    ),
    extra={"row_key": True},
)

#: Columns that make two per-asset lines identical (everything the computation uses).
GROUP_KEYS = ("entity", "category", "category_as_given", "purchase_year", "age_years", "lifetime_years", "power_w",
              "rated_power_w",
              "hours_per_day", "days_per_year", "yearly_kwh", "reconditioned", "quality", "site")
#: Spreadsheet files accepted in ``inventory/``.
INVENTORY_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".ods")


def inventory_sources(raw_dir) -> list:
    """The inventory files of a territory folder: ``inventory.csv`` (or ``.xlsx``/``.ods``) and every spreadsheet
    of ``inventory/`` (sorted by name; hidden files and lock files ``~$…``/``.~lock…`` skipped)."""
    from pathlib import Path

    raw_dir = Path(raw_dir)
    out = []
    for suffix in (".csv", ".xlsx", ".ods"):
        if os.path.lexists(raw_dir / f"inventory{suffix}"):  # a dangling link too: the reader refuses it, never skipped
            out.append(raw_dir / f"inventory{suffix}")
            break
    folder = raw_dir / "inventory"
    if folder.is_dir():
        exports = sorted(p for p in folder.iterdir()
                         if p.suffix.lower() in INVENTORY_SUFFIXES and not p.name.startswith((".", "~")))
        if exports and out:  # the template inventory.csv emptied of its example row is not an input
            from helpers.io.tables import has_data_rows

            out = [p for p in out if has_data_rows(p)]
        out += exports
    elif os.path.lexists(folder):  # present but not a folder (a dangling link, a file): the reader refuses it
        out.append(folder)
    return out


@dataclass
class FileReport:
    """What happened to the rows of one inventory file (the import report)."""

    file: str
    rows_read: int = 0
    rows_kept: int = 0
    excluded: dict = field(default_factory=dict)
    columns: dict = field(default_factory=dict)  # schema column -> (header, how)
    ignored: list = field(default_factory=list)  # (header, why)
    defaults: dict = field(default_factory=dict)  # column -> rows that took a default
    per_asset: bool = False
    decimals: dict = field(default_factory=dict)  # column -> evidence of its decimal convention (French)

    #: rows read otherwise than as written: key -> count (``screen_size_from_model``, ``status_badge``,
    #: ``status_assignment``, ``status_close``), with the French detail of each in :data:`REFINED_FR`
    refined: dict = field(default_factory=dict)
    #: every excluded or merged line: frames of (file, line, reason, column, value, detail), see :meth:`log`
    lines: list = field(default_factory=list)

    def exclude(self, reason: str, n: int) -> None:
        if n:
            self.excluded[reason] = self.excluded.get(reason, 0) + int(n)

    def refine(self, key: str, n: int) -> None:
        if n:
            self.refined[key] = self.refined.get(key, 0) + int(n)

    def log(self, file: str, lines, reason: str, column: str, values, detail=None) -> None:
        """List excluded lines: their file (with the sheet), line numbers, reason, the column and value that
        decided, and a French detail (which earlier line a duplicate repeats…)."""
        n = len(lines)
        self.lines.append(pd.DataFrame({
            "file": file, "line": np.asarray(lines, dtype=np.int64), "reason": reason, "column": column,
            "value": pd.Series(values, dtype=object).where(lambda v: v.notna(), "").astype(str).to_numpy()
            if n else [],
            "detail": ("" if detail is None else pd.Series(detail, dtype=object).fillna("").astype(str).to_numpy()),
        }))

    def as_summary(self) -> dict:
        return {"rows_read": self.rows_read, "rows_kept": self.rows_kept, "excluded": dict(sorted(self.excluded.items()))}

    def excluded_lines(self) -> pd.DataFrame:
        """Every excluded or merged line of the file, in file and line order (see :func:`excluded_lines_table`)."""
        if not self.lines:
            return pd.DataFrame(columns=EXCLUDED_LINES_COLUMNS)
        out = pd.concat(self.lines, ignore_index=True)
        return out.sort_values(["file", "line"], kind="stable").reset_index(drop=True)[EXCLUDED_LINES_COLUMNS]


#: Columns of the list of excluded lines (``excluded_lines.csv``, sheet « Lignes exclues » of ``tables.xlsx``).
EXCLUDED_LINES_COLUMNS = ["file", "line", "reason", "column", "value", "detail"]
#: What each refinement of :attr:`FileReport.refined` means, in French.
REFINED_FR = {
    "screen_size_from_model": "écrans classés par la taille lue dans le nom du modèle (P2722H, 27\", U3423WE…)",
    "status_badge": "lignes conservées dont le statut est suivi du badge « Déployé » de Snipe-IT (équipement "
                    "attribué) : comptées en service",
    "status_assignment": "lignes conservées dont le statut est suivi d'une attribution entre parenthèses (équipement "
                         "attribué) : comptées en service",
    "status_close": "lignes conservées dont le statut mal orthographié est lu comme le statut connu le plus proche "
                    "(voir les avertissements)",
}


def excluded_lines_table(reports) -> pd.DataFrame:
    """Every excluded or merged line of the inventory files, one row each: file (and sheet), line, reason (French),
    the column and value that decided, and a detail. The ``reason`` codes of :data:`REASON_FR` are given in French;
    the counts by code stay in the import report."""
    frames = [r.excluded_lines() for r in reports]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=EXCLUDED_LINES_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    out["reason"] = out["reason"].map(lambda r: REASON_FR.get(r, r))
    return out


class _Collector:
    """Problems gathered across the chunks of one file, one :class:`InputProblem` per (column, value, kind)."""

    def __init__(self, file: str):
        self.file = file
        self.groups: dict[tuple, list] = {}  # (column, value, expected, severity) -> [count, first rows]

    def add(self, column, values: pd.Series, lines: np.ndarray, expected, severity="error"):
        """Count each distinct value of ``values`` (aligned with ``lines``); ``expected`` may be a function of it."""
        if not len(values):
            return
        frame = pd.DataFrame({"v": values.astype(str).to_numpy(), "line": lines})
        for value, grp in frame.groupby("v", sort=True):
            text = expected(value) if callable(expected) else expected
            key = (column, value, text, severity)
            slot = self.groups.setdefault(key, [0, []])
            slot[0] += len(grp)
            slot[1] = sorted(slot[1] + list(grp["line"].to_numpy()[:5]))[:5]

    def problems(self) -> list[InputProblem]:
        return [InputProblem(self.file, rows[0] if rows else None, column, value, text, severity, count=n,
                             rows=tuple(int(r) for r in rows))
                for (column, value, text, severity), (n, rows) in self.groups.items()]


def strict_mode(strict: bool | None = None) -> bool:
    """``--strict`` of the command line, passed to the notebooks as ``SNR_STRICT=1``: unknown types are errors."""
    import os

    return bool(strict) if strict is not None else os.environ.get("SNR_STRICT") == "1"


def read_inventory(path, territory, categories: pd.DataFrame, hosting_site_ids=None, strict: bool | None = None,
                   chunk_rows: int | None = None) -> pd.DataFrame:
    """Read, validate and complete the inventory: one file, a folder ``inventory/``, or a list of files.

    Parameters
    ----------
    path : ``inventory.csv`` (or ``.xlsx``/``.ods``), a folder of such files, or a list of them
    territory : :class:`helpers.io.territory.Territory` (entities with aliases, reference year, statuses, file mapping)
    categories : the category table (``helpers.io.factors.load_categories()``)
    hosting_site_ids : known hosting site ids (``hosting.csv``), or ``None`` to skip that check
    strict : unknown device types are errors instead of excluded rows (default: ``SNR_STRICT=1``)
    chunk_rows : rows converted at once (default :data:`helpers.io.tables.CHUNK_ROWS`)

    Returns
    -------
    DataFrame with the schema's columns plus ``tier``, ``factor_item``, ``age_years``, ``yearly_kwh`` (resolved),
    ``yearly_kwh_origin``, ``source_rows`` (asset rows aggregated into the line) and ``source_file``.
    ``attrs["import_report"]`` is the list of :class:`FileReport`, ``attrs["warnings"]`` the warnings.

    Raises
    ------
    InputError
        every problem, grouped: unknown entity (with the closest names) or status (with the values seen), a template
        example row left in, implausible lifetime or power, duplicate line ids in a grouped file, bad types.
    """
    cats = categories.set_index("category")
    reading = _reading(territory, list(cats.index), strict)
    kept, reports, problems = _read_files(_inventory_files(path), reading, chunk_rows)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    df = pd.concat(kept, ignore_index=True) if kept else pd.DataFrame()
    if df.empty:
        raise InputError(problems + [InputProblem(
            ", ".join(r.file for r in reports), None, None, None,
            "au moins un équipement en service : toutes les lignes sont exclues ("
            + "; ".join(f"{r.file} : {_reasons_fr(r.excluded)}" for r in reports) + ")")])
    problems += _duplicate_line_ids(df)
    df = _complete(_aggregate(df), cats, reading.ref, hosting_site_ids, problems)
    for r in reports:  # category defaults taken, in source rows (assets), for the import report
        problems += _count_defaults(df, r)
    for r in reports:  # one line per file (unknown types are also listed value by value above)
        if r.excluded:
            detail = ", ".join(f"{n} {REASON_FR.get(k, k)}" + (f" {reading.ref}" if k == "after_reference_year" else "")
                               for k, n in sorted(r.excluded.items()))
            problems.append(InputProblem(r.file, None, None, None,
                                         f"{count_text(sum(r.excluded.values()), 'ligne exclue')} sur {r.rows_read} : {detail}",
                                         severity="warning", kind="note"))
    df.attrs["warnings"] = [p for p in problems if p.severity != "error"]
    df.attrs["import_report"] = reports
    return df


def _inventory_files(path) -> list:
    """The files of an inventory given as a list of files, the folder ``inventory/``, a territory folder or a file."""
    from pathlib import Path

    if isinstance(path, (list, tuple)):
        return [Path(p) for p in path]
    if Path(path).is_dir() and Path(path).name == "inventory":  # the folder of exports itself
        return [f for f in inventory_sources(Path(path).parent) if f.parent == Path(path)]
    if Path(path).is_dir():  # a territory folder
        return inventory_sources(path)
    return [Path(path)]


def _reading(territory, known: list, strict: bool | None) -> _Reading:
    """What every chunk is resolved against: the territory's entities, statuses and file map, the reference
    library's categories and synonyms; a file map naming an unknown category is an error."""
    synonyms, export_syn = load_category_synonyms(), load_export_synonyms()
    statuses = load_statuses(overrides=getattr(territory, "statuses", None) or {})
    lookup = entity_lookup(territory)
    file_map = getattr(territory, "inventory_files", None) or {}
    reading = _Reading(territory=territory, lookup=lookup, statuses=statuses, known=known, synonyms=synonyms,
                       export_syn=export_syn, file_map=file_map, ref=territory.reference_year,
                       strict=strict_mode(strict), dups=_Duplicates())
    bad_map = {k: v for k, v in file_map.items() if v not in known and v != UNMODELLED}
    if bad_map:
        raise InputError([InputProblem(getattr(territory, "source_file", "territory.yaml"), None, "inventory_files",
                                       f"{k}: {v}", f"un identifiant de catégorie de data/raw/reference/categories.csv "
                                       f"({', '.join(known)})") for k, v in bad_map.items()])
    return reading


def _read_files(files: list, reading: _Reading, chunk_rows: int | None):
    """(clean chunks kept, one :class:`FileReport` per file, problems) of the inventory's files, chunk by chunk; a
    file that cannot be read adds its problems and the others are still read."""
    from helpers.io.tables import CHUNK_ROWS

    problems: list[InputProblem] = []
    reports: list[FileReport] = []
    kept: list[pd.DataFrame] = []
    for f in files:
        report = FileReport(display_path(f))
        reports.append(report)
        collector = _Collector(report.file)
        cell_problems: list[InputProblem] = []
        try:
            for chunk in _file_chunks(f, cell_problems, chunk_rows or CHUNK_ROWS):
                kept.append(_process_chunk(chunk, f, report, collector, cell_problems, reading))
        except InputError as exc:
            problems += exc.problems + exc.warnings
            continue
        problems += cell_problems + collector.problems()
        dups = reading.dups
        problems += [w for w in (dups.shared_warning(name) for name in list(dups.shared)) if w is not None]
    return kept, reports, problems


def _duplicate_line_ids(df: pd.DataFrame) -> list[InputProblem]:
    """A ``line_id`` given twice among the lines of grouped files (per-asset lines are aggregated instead)."""
    grouped = df.loc[~df["_per_asset"].astype(bool)]
    dup = grouped["line_id"].duplicated(keep=False) & grouped["line_id"].notna()
    return [InputProblem(grouped["source_file"].iat[idx], int(grouped["_line"].iat[idx]), "line_id",
                         grouped["line_id"].iat[idx], "un 'line_id' unique (cette valeur apparaît plusieurs fois)")
            for idx in np.flatnonzero(dup.to_numpy())]


def _count_defaults(df: pd.DataFrame, r: FileReport) -> list[InputProblem]:
    """The category defaults taken by the lines of file ``r``, in source rows (assets), into its import report; a
    note for the devices without a purchase date (their age is unknown)."""
    mine = df["source_file"].str.startswith(r.file)
    rows = df["source_rows"].where(mine, 0)
    for key, taken in (("lifetime_years", df["lifetime_origin"] == "category_default"),
                       ("yearly_kwh", df["yearly_kwh_origin"] == "category_default")):
        n = int(rows[taken].sum())
        if n:
            r.defaults[key] = n
    undated_mask = df["purchase_year"].isna()
    undated = int(rows[undated_mask].sum())
    if not undated:
        return []
    r.defaults["purchase_year"] = undated
    # lines and devices (a line of a quantity file holds many); "the others" only when there are others
    devices = int(pd.to_numeric(df.loc[undated_mask & mine, "quantity"], errors="coerce").fillna(0).sum())
    every = bool(undated_mask[mine].all())
    return [InputProblem(
        r.file, None, "purchase_year", None,
        f"{count_text(undated, 'ligne')} ({count_text(devices, 'équipement')}) sans date d'achat ni âge : âge "
        "inconnu, " + ("aucun indicateur d'âge n'est calculé" if every else
                       "les indicateurs d'âge portent sur les autres équipements"),
        severity="warning", kind="note")]


def _reasons_fr(excluded: dict) -> str:
    return ", ".join(f"{REASON_FR.get(k, k)} : {n}" for k, n in sorted(excluded.items())) or "aucune exclusion"


def _file_chunks(path, problems: list, chunk_rows: int):
    """Clean chunks of one inventory file; every visible sheet of a workbook is read when it has several."""
    from helpers.io.tables import iter_table

    sheets = _sheets(path)
    if not sheets:
        yield from iter_table(path, INVENTORY_SCHEMA, problems, chunk_rows)
        return
    for sheet in sheets:
        for chunk in iter_table(path, INVENTORY_SCHEMA, problems, chunk_rows, sheet=sheet):
            chunk.attrs["sheet"] = sheet
            yield chunk


def _sheets(path) -> list[str]:
    """The visible sheets of a workbook (XLSX or ODS) when it has more than one: each is read as one export."""
    from helpers.io import readers

    if path.suffix.lower() not in (".xlsx", ".xlsm", ".ods"):
        return []
    names = readers.visible_sheets(path)
    return names if len(names) > 1 else []


#: The "Deployed" badge Snipe-IT writes after the status label of a checked-out asset, in the hardware list and its
#: export ("Ready to Deploy Deployed"; ``general.deployed``: en-US "Deployed", fr-FR "Déployé";
#: ``snipe/snipe-it:resources/views/partials/bootstrap-table.blade.php``, ``app/Presenters/AssetPresenter.php``
#: ``statusMeta``), normalised.
DEPLOYED_BADGES = ("deployed", "deploye", "deployee")
#: A trailing assignment in brackets: "Prêt à être déployé (Jean Dupont)".
_ASSIGNMENT_RE = re.compile(r"\s*\(([^()]*)\)\s*$")
#: Tags listed (with their lines) in the warning about tags carried by different assets; the others are counted.
MAX_SHARED_TAGS_LISTED = 10
#: ``difflib`` similarity above which an unknown status is read as the closest known one, with a warning naming both
#: ("En servise" → "en service": 0.95; "Hors service" → "en service": 0.82, not taken).
STATUS_CLOSE_CUTOFF = 0.85
#: Reasons of an asset that is attributed (badge or assignment): counted in service.
_ATTRIBUTED_FROM = ("in_stock", "on_order", "in_service")


def resolve_status(value, statuses: dict[str, str]) -> tuple[str | None, str]:
    """``(reason, how)`` of one status value as an asset tool exports it; ``(None, "")`` when unknown.

    ``how`` is ``exact``; ``badge`` (the label followed by Snipe-IT's "Deployed" badge: the asset is checked out),
    ``assignment`` (followed by a name in brackets); and, after ``|``, ``close=<known value>`` when the value was
    read as the closest known status (a misspelling). An attributed asset whose label means available (in stock,
    pending) is in service.
    """
    key = _norm(value)
    if key in statuses:
        return statuses[key], "exact"
    text = fold_text(value).strip()
    attributed = []
    m = _ASSIGNMENT_RE.search(text)
    if m and m.start() > 0:
        text = text[:m.start()]
        attributed.append("assignment")
    base = _norm(text)
    reason = statuses.get(base)
    if reason is None:
        for word in DEPLOYED_BADGES:
            if base.endswith(" " + word) and statuses.get(base[: -len(word) - 1].strip()):
                base = base[: -len(word) - 1].strip()
                reason = statuses[base]
                attributed.insert(0, "badge")
                break
    close = None
    if reason is None:
        close = _close_status(base, statuses)
        if close is None:
            return None, ""
        reason = statuses[close]
    if attributed and reason in _ATTRIBUTED_FROM:
        reason = "in_service"
    how = attributed[0] if attributed else "exact"
    return reason, how + (f"|close={close}" if close else "")


def _close_status(key: str, statuses: dict[str, str]) -> str | None:
    """The known status closest to ``key`` when it is close enough and the choice is clear (no other candidate of a
    different reason almost as close), else ``None``."""
    if len(key) < 5:
        return None
    scored = sorted(((difflib.SequenceMatcher(None, key, k).ratio(), k) for k in statuses), reverse=True)
    best_score, best = scored[0] if scored else (0.0, None)
    if best is None or best_score < STATUS_CLOSE_CUTOFF:
        return None
    for score, k in scored[1:]:
        if score < best_score - 0.05:
            break
        if statuses[k] != statuses[best]:
            return None
    return best


def resolve_statuses(values: pd.Series, statuses: dict[str, str]) -> tuple[pd.Series, pd.Series]:
    """:func:`resolve_status` of each value (once per distinct value): reasons and hows, aligned with ``values``."""
    found = {v: resolve_status(v, statuses) for v in pd.unique(values.dropna())}
    reason = values.map({v: r for v, (r, _) in found.items()}).astype(object)
    how = values.map({v: h for v, (_, h) in found.items()}).astype(object)
    return reason, how


def _how_parts(how: str) -> tuple[str, str | None]:
    """``(kind, closest known value)`` of a :func:`resolve_status` ``how``: ``("badge", None)``,
    ``("exact", "en service")``…"""
    kind, _, close = str(how).partition("|close=")
    return kind, (close or None)


def _report_status_readings(raw, how, reason, lines, keep, collector) -> dict[str, np.ndarray]:
    """Warn for each misspelt status value, naming it and the known status it was read as; return the masks of the
    statuses read otherwise than as written (badges, assignments, misspellings), counted on the lines finally
    kept. Computed once per distinct value (a per-asset export repeats a few statuses)."""
    read = raw.notna().to_numpy() & reason.notna().to_numpy() & keep
    parts = {h: _how_parts(h) for h in pd.unique(how.dropna())}
    kind = how.map({h: k for h, (k, _) in parts.items()}).to_numpy()
    close_of = how.map({h: c for h, (_, c) in parts.items()})
    readings = {"status_badge": (kind == "badge") & read, "status_assignment": (kind == "assignment") & read,
                "status_close": close_of.notna().to_numpy() & read}
    close = readings["status_close"]
    if close.any():
        known = dict(zip(raw[close], close_of[close], strict=True))
        reason_of = dict(zip(close_of[close], reason[close], strict=True))

        def read_as(value):
            k = known[value]
            meaning = {"in_service": "en service, compté", "in_repair": "en réparation, compté"}.get(
                reason_of[k], f"{REASON_FR.get(reason_of[k], reason_of[k])}, exclu")
            return (f"un statut connu ; lu comme « {k} » ({meaning}), le statut connu le plus proche : corrigez la "
                    "valeur ou ajoutez-la sous 'statuses:' dans territory.yaml")

        collector.add("status", raw[close], lines[close], read_as, severity="warning")
    return readings


def _status_detail(how: pd.Series, reason: pd.Series) -> pd.Series:
    """French detail of a status exclusion: how the value was read when not as written (once per distinct value)."""
    def text(h) -> str:
        kind, close = _how_parts(h)
        if close:
            return f"lu comme « {close} » (orthographe la plus proche)"
        return {"badge": "badge « Déployé » retiré", "assignment": "attribution entre parenthèses retirée"}.get(kind, "")

    return how.map({h: text(h) for h in pd.unique(how.dropna())}).astype(object).fillna("")


#: The screen categories, whose size decides which (``categories.csv``: <= 24 inches small, above large).
SCREEN_CATEGORIES = ("screen_small", "screen_large")
#: Screen sizes accepted from a model name (inches): monitors; a laptop's 14 or a TV's 65 are not read.
MODEL_SIZE_RANGE_IN = (15, 49)
_SIZE_PATTERNS = (
    # a size written out: 27", 27'', 27 pouces, 27-inch, 23,8 po
    re.compile(r"(?<![\d.,])(\d{2}(?:[.,]\d)?)\s*(?:\"|''|\u201d|\u2033|POUCES?\b|PO\b|INCH(?:ES)?\b|IN\b|-INCH)"),
    # Dell and iiyama: letters, two digits of size, two of year: P2722H, U3423WE, SE2422H, XU2493HS
    re.compile(r"\b[A-Z]{1,3}(\d{2})\d{2}[A-Z]{0,3}\b"),
    # letters then the size: HP P24h / E24 G5, Lenovo T24i-20, Samsung LS27A600 / C24F390, AOC Q27P2Q
    re.compile(r"\b[A-Z]{1,3}(\d{2})(?=[A-Z]|\b)"),
    # the size first: LG 27UL500, AOC 24B2XH, Philips 243V7QDSB, HP 24mh
    re.compile(r"(?:^|\s)(\d{2})\d?[A-Z]"),
)


def screen_size_from_model(model) -> float | None:
    """The screen size (inches) a monitor's model name carries, or ``None``.

    Read in this order: a size written out (``27"``, ``27 pouces``, ``27-inch``); a Dell-style reference whose
    first two digits are the size (``P2722H`` 27, ``U3423WE`` 34, ``XU2493HS`` 24); letters then the size (``P24h``,
    ``E24``, ``T24i-20``, ``LS27A600``); the size first (``27UL500``, ``24B2XH``, ``243V7QDSB``). Sizes outside
    :data:`MODEL_SIZE_RANGE_IN` are not read. The vendors' naming rules are public (Dell "P2722H": P series,
    27-inch, 2022, HDMI).
    """
    if model is None or (isinstance(model, float) and np.isnan(model)):
        return None
    text = fold_text(model).upper()
    lo, hi = MODEL_SIZE_RANGE_IN
    for pattern in _SIZE_PATTERNS:
        for m in pattern.finditer(text):
            size = float(m.group(1).replace(",", "."))
            if lo <= size <= hi:
                return size
    return None


def _sizes_from_model(df: pd.DataFrame, columns: dict) -> pd.Series:
    """Screen sizes read from the model names (``NaN`` elsewhere) where no size column nor the type gives the size;
    written into ``screen_size_in`` so that the category follows (:func:`_categories`)."""
    none = pd.Series(np.nan, index=df.index, dtype="float64")
    if "model" not in columns:
        return none
    sizes = _map_unique(df["model"], screen_size_from_model).astype("float64")
    typed = _map_unique(df["category"], lambda v: bool(_SCREEN_RE.match(_norm(v)))).fillna(False).astype(bool)
    use = sizes.notna() & df["screen_size_in"].isna() & ~typed
    df.loc[use, "screen_size_in"] = sizes[use]
    return sizes.where(use)


class _Duplicates:
    """Which per-asset lines repeat an asset already read (in this file or an earlier one).

    A line carrying an identifier (serial, asset tag or inventory number, name) is the same asset as an earlier
    line when it has the same serial number, or when the whole line is the same word for word; the same tag on
    different assets (other serial, other columns) is two assets, with a warning listing the lines. Lines without
    any identifier are not compared here: identical ones are a quantity (:func:`_aggregate`).
    """

    def __init__(self):
        self.files: list[str] = []
        self.serials: dict = {}  # serial -> position (file index, line) of its first line
        self.rows: dict = {}  # whole-line key -> position
        self.tags: dict = {}  # asset tag -> position
        self.shared: dict = {}  # file -> {tag: [lines (or "ligne N de f.csv" in another file)]}, see shared_warning

    def _where(self, position: int) -> str:
        file, line = self.files[position >> 32], position & 0xFFFFFFFF
        return f"ligne {line} de {file.rsplit('/', 1)[-1]}"

    def mark(self, df, keep, lines, file):
        """``(duplicates, deciding values, details, deciding columns)`` for the kept lines of one chunk; the tags
        carried by different assets are collected for :meth:`shared_warning`."""
        if file not in self.files:
            self.files.append(file)
        base = self.files.index(file) << 32
        n = len(df)
        dup = np.zeros(n, dtype=bool)
        values = np.full(n, None, dtype=object)
        detail = np.full(n, None, dtype=object)
        serial, tag, name = df["serial"], df["asset_tag"], df["line_id"]
        has_id = (serial.notna() | tag.notna() | name.notna()).to_numpy()
        positions = base + lines.astype(np.int64)
        candidates = keep & has_id

        which = np.full(n, "", dtype=object)  # the column that decided: "serial", or "" for the whole line

        def repeat(key: pd.Series, mask: np.ndarray, seen: dict, label, column: str):
            idx = np.flatnonzero(mask)
            if not len(idx):
                return
            sub = pd.Series(key.to_numpy()[idx])
            pos = pd.Series(positions[idx])
            before = sub.map(seen)
            first = pos.groupby(sub.to_numpy()).transform("first")
            again = before.notna().to_numpy() | sub.duplicated().to_numpy()
            origin = before.where(before.notna(), first).astype(np.int64).to_numpy()
            for j in np.flatnonzero(again):
                i = idx[j]
                dup[i] = True
                values[i], detail[i] = label(sub.iat[j], self._where(int(origin[j])))
                which[i] = column
            fresh = ~again
            seen.update(zip(sub[fresh].to_numpy(), pos[fresh].to_numpy(), strict=True))

        repeat(serial, candidates & serial.notna().to_numpy(), self.serials,
               lambda v, where: (f"{v}", f"même numéro de série que la {where}"), "serial")
        # a line with a serial that is the same word for word as an earlier one has its serial: already found
        repeat(df["_row"], candidates & ~dup & serial.isna().to_numpy(), self.rows,
               lambda v, where: ("(toutes les colonnes)", f"mêmes valeurs dans toutes les colonnes que la {where}"), "")
        idx = np.flatnonzero(candidates & ~dup & tag.notna().to_numpy())
        if len(idx):
            sub = pd.Series(tag.to_numpy()[idx])
            pos = pd.Series(positions[idx])
            before = sub.map(self.tags)
            many = sub.duplicated(keep=False).to_numpy() | before.notna().to_numpy()
            shared = self.shared.setdefault(file, {})
            for value, group in pd.Series(np.flatnonzero(many)).groupby(sub.to_numpy()[many], sort=True):
                earlier = before.iat[group.iat[0]]
                if value not in shared and pd.notna(earlier):  # the first line of the tag opens the list
                    shared[value] = [self._where(int(earlier)) if self.files[int(earlier) >> 32] != file
                                     else str(int(earlier) & 0xFFFFFFFF)]
                shared.setdefault(value, []).extend(str(int(lines[idx[j]])) for j in group)
            fresh = ~sub.duplicated().to_numpy() & before.isna().to_numpy()
            self.tags.update(zip(sub[fresh].to_numpy(), pos[fresh].to_numpy(), strict=True))
        return dup, values, detail, which

    def shared_warning(self, file: str) -> InputProblem | None:
        """One warning for ``file`` listing the tags carried by different assets and their lines (each asset is
        counted), or ``None``."""
        shared = self.shared.pop(file, {})
        if not shared:
            return None
        items = sorted(shared.items(), key=lambda kv: kv[1][0].zfill(12))
        def lines_text(where: list[str]) -> str:
            if all(w.isdigit() for w in where):
                return f"lignes {', '.join(where[:-1])} et {where[-1]}"
            where = [f"ligne {w}" if w.isdigit() else w for w in where]
            return f"{', '.join(where[:-1])} et {where[-1]}"

        shown = " ; ".join(f"« {tag} » {lines_text(where)}" for tag, where in items[:MAX_SHARED_TAGS_LISTED])
        more = len(items) - MAX_SHARED_TAGS_LISTED
        rows = tuple(int(w) for _, where in items[:5] for w in where if w.isdigit())[:5]
        return InputProblem(
            file, None, "asset_tag", None,
            f"un numéro d'inventaire par équipement ; {count_text(len(items), 'numéro')} "
            f"{'sont portés' if len(items) > 1 else 'est porté'} par des équipements "
            "différents (numéro de série ou autres colonnes différents), chacun est compté : " + shown
            + (f" ; … et {count_text(more, 'autre')}" if more > 0 else ""),
            severity="warning", count=sum(len(w) for _, w in items), rows=rows)


@dataclass
class _Reading:
    """What every chunk of an inventory is resolved against (built once by :func:`read_inventory`)."""

    territory: object
    lookup: dict
    statuses: dict
    known: list
    synonyms: dict
    export_syn: dict
    file_map: dict
    ref: int
    strict: bool
    dups: _Duplicates


class _Chunk:
    """One clean chunk being resolved: its rows, the mask of the rows kept, and where its exclusions and problems go
    (the file's :class:`FileReport` and :class:`_Collector`)."""

    def __init__(self, df: pd.DataFrame, path, report, collector, cell_problems: list):
        self.meta = take_report(df)  # the header report goes to the FileReport; the chunk is a plain frame
        self.df, self.path, self.report, self.collector = df, path, report, collector
        self.cell_problems = cell_problems
        self.columns = self.meta.get("columns", {})
        self.sheet = self.meta.get("sheet")
        self.file = report.file if self.sheet is None else f"{report.file} [{self.sheet}]"
        self.per_asset = "quantity" not in self.columns
        self.lines = df["_line"].to_numpy()
        self.keep = np.ones(len(df), dtype=bool)
        self.headers = {c: h for c, (h, _) in self.columns.items()}  # the column as the file names it

    def count(self, key: str, n: int) -> None:
        """``n`` more rows took the default of ``key`` (import report)."""
        self.report.defaults[key] = self.report.defaults.get(key, 0) + n

    def drop(self, mask: np.ndarray, reason: str, column, values, detail=None) -> None:
        """Exclude the rows of ``mask`` for ``reason``: counted, and listed with the deciding column (as the file
        names it) and value. ``column`` is a schema column, or an array of them (one per row)."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        self.report.exclude(reason, int(mask.sum()))
        named = (self.headers.get(column, column) if isinstance(column, str)
                 else np.array([self.headers.get(c, c) for c in _at(column, mask)], dtype=object))
        self.report.log(self.file, self.lines[mask], reason, named, _at(values, mask),
                        None if detail is None else _at(detail, mask))
        self.keep[mask] = False


def _process_chunk(df, path, report, collector, cell_problems, reading: _Reading) -> pd.DataFrame:
    """Resolve one clean chunk: exclusions counted and listed, entities and categories matched, per-asset lines
    aggregated."""
    chunk = _Chunk(df, path, report, collector, cell_problems)
    if not report.columns:
        report.columns = dict(chunk.columns)
        report.ignored = list(chunk.meta.get("ignored", []))
    report.decimals.update(chunk.meta.get("decimals", {}))  # the file's evidence so far (complete on its last chunk)
    report.per_asset = chunk.per_asset
    report.rows_read += len(df)
    _drop_examples(chunk)
    # shifted columns: a type column made of numbers (a header cell missing or a row one cell short)
    if _check_shift(df, chunk.columns, chunk.lines, collector):  # every value is in the wrong column: nothing else
        return df.iloc[:0]
    readings = _resolve_statuses(chunk, reading.statuses)
    _drop_late(chunk, reading.ref)
    if chunk.per_asset:  # the same serial, or the same line word for word when it carries an identifier
        dup, values, detail, which = reading.dups.mark(df, chunk.keep, chunk.lines, chunk.file)
        chunk.drop(dup, "duplicate", which, values, detail)
    _resolve_entities(chunk, reading.territory, reading.lookup)
    _resolve_categories(chunk, reading)
    _quantities_and_ids(chunk)
    for key, mask in readings.items():
        report.refine(key, int((mask & chunk.keep).sum()))
    out = df.loc[chunk.keep]
    report.rows_kept += int(len(out))
    return _aggregate(out) if chunk.per_asset else out


def _drop_examples(chunk: _Chunk) -> None:
    """Template example rows: refused (named with file and line)."""
    ids = chunk.df["line_id"]
    example = ids.notna() & ids.astype(str).str.upper().str.startswith("EXEMPLE")
    if example.any():
        chunk.collector.add("line_id", ids[example], chunk.lines[example.to_numpy()],
                            "aucune ligne d'exemple du modèle : supprimez cette ligne (les exemples sont dans le "
                            "dossier exemples/ de 'make new-territory')")
        chunk.drop(example.to_numpy(), "example_row", "line_id", ids)


def _resolve_statuses(chunk: _Chunk, statuses: dict) -> dict[str, np.ndarray]:
    """The status as the asset tool writes it (badges, assignments, close misspellings read and reported): unknown
    statuses are errors, statuses of a device not counted exclude it. Returns the masks of the statuses read
    otherwise than as written (:func:`_report_status_readings`); none without a status column."""
    if "status" not in chunk.columns:
        return {}
    raw, keep, lines = chunk.df["status"], chunk.keep, chunk.lines
    reason, how = resolve_statuses(raw, statuses)
    reason = reason.where(raw.notna(), "in_service")
    detail = _status_detail(how, reason)
    unknown = (raw.notna() & reason.isna()).to_numpy() & keep
    if unknown.any():
        chunk.collector.add("status", raw[unknown], lines[unknown],
                            "un statut connu (en service, en stock, au rebut, réformé, perdu, volé, in use, "
                            "retired…) ; ajoutez-le sous 'statuses:' dans territory.yaml (valeur: in_service, "
                            "in_repair, in_stock, on_order, retired, scrapped, lost ou stolen)")
        keep &= ~unknown
    readings = _report_status_readings(raw, how, reason, lines, keep, chunk.collector)
    for r in STATUS_REASONS:
        if r not in COUNTED_REASONS:
            chunk.drop(reason.eq(r).to_numpy() & keep, r, "status", raw, detail)
    return readings


def _drop_late(chunk: _Chunk, ref: int) -> None:
    """Devices bought after the reference year are excluded."""
    years = chunk.df["purchase_year"]
    late = (years > ref).to_numpy() & chunk.keep
    chunk.drop(late, "after_reference_year", "purchase_year",
               _Lazy(lambda m: [f"{y:.0f}" for y in years.to_numpy()[m]]),
               _Lazy(lambda m: [f"après l'année de référence {ref}"] * int(m.sum())))


def _resolve_entities(chunk: _Chunk, territory, lookup: dict) -> None:
    """The ``entity`` column matched to the territory's entities (id, name or alias); the only entity when the
    territory has one and the column or the value is absent."""
    df, collector = chunk.df, chunk.collector
    if "entity" not in chunk.columns:
        if len(territory.entities) == 1:
            df["entity"] = territory.entities[0].id
            chunk.count("entity", len(df))
        else:
            collector.add("entity", pd.Series(["(colonne absente)"]), np.array([1]),
                          f"une colonne 'entity' (le territoire a {len(territory.entities)} entités)"
                          + _absent_hint(chunk.meta, "entity"))
        return
    entity = match_entities(df["entity"], lookup)
    bad = (entity.isna() & df["entity"].notna()).to_numpy() & chunk.keep
    if bad.any():
        collector.add("entity", df["entity"][bad], chunk.lines[bad], _closest_entity(territory, lookup))
    missing = df["entity"].isna().to_numpy() & chunk.keep
    if missing.any() and len(territory.entities) == 1:
        entity[missing] = territory.entities[0].id
        chunk.count("entity", int(missing.sum()))
    elif missing.any():
        collector.add("entity", pd.Series([""] * int(missing.sum())), chunk.lines[missing],
                      "une entité (le territoire en a plusieurs)")
    df["entity"] = entity


def _closest_entity(territory, lookup: dict):
    """The French expectation for an unknown entity value, naming the closest entities."""
    names = {e.id: e.name for e in territory.entities}
    keys = list(lookup)

    def closest(value):
        close = difflib.get_close_matches(entity_key(value), keys, n=3, cutoff=0.4)
        ids_close = list(dict.fromkeys(lookup[k] for k in close))
        hint = (" ; entités les plus proches : " + ", ".join(f"{i} ({names[i]})" for i in ids_close)) if ids_close else ""
        return (f"une entité de territory.yaml (id, nom ou alias ; {', '.join(names)}){hint} ; "
                "ajoutez l'orthographe sous 'aliases:' de l'entité si c'est la même")

    return closest


def _resolve_categories(chunk: _Chunk, reading: _Reading) -> None:
    """The category: the type column (screen sizes from the model name when no size column gives them), else the
    file name's family; unknown and unmodelled types excluded (errors in strict mode)."""
    df, columns, keep, strict = chunk.df, chunk.columns, chunk.keep, reading.strict
    from_model = _sizes_from_model(df, columns)  # P2722H, 27", U3423WE
    mapped, family = _categories(df, chunk.path, reading.known, reading.synonyms, reading.export_syn,
                                 reading.file_map, chunk.sheet)
    no_type = "category" not in columns and "item_type" not in columns and not family
    if no_type:
        chunk.collector.add("category", pd.Series(["(colonne absente)"]), np.array([1]),
                            "une colonne 'category' (type d'équipement), ou un nom de fichier qui la donne "
                            "(ordinateurs*, moniteurs*, telephones*, imprimantes*, reseau*… ou 'inventory_files:')"
                            + _absent_hint(chunk.meta, "category"))
    refined = from_model.notna().to_numpy() & mapped.isin(SCREEN_CATEGORIES).to_numpy() & keep
    if refined.any():
        chunk.report.refine("screen_size_from_model", int(refined.sum()))
    df["category_as_given"] = df["category"]
    unmodelled = (mapped == UNMODELLED).to_numpy() & keep
    unknown = mapped.isna().to_numpy() & keep & (not no_type)
    given = df["category"].fillna("(vide)")
    if unknown.any():
        chunk.collector.add("category", given[unknown], chunk.lines[unknown], _nearest_category(reading),
                            severity="error" if strict else "warning")
        chunk.drop(unknown, "unknown_type", "category", given)
    if unmodelled.any():
        chunk.collector.add("category", given[unmodelled], chunk.lines[unmodelled],
                            "un type modélisé : ce type est connu mais n'a pas de facteur d'impact ; lignes exclues "
                            "du parc", severity="error" if strict else "warning")
        chunk.drop(unmodelled, "unmodelled_type", "category", given)
    df["category"] = mapped.where(mapped.notna(), df["category"])
    if family:
        chunk.report.columns.setdefault("category", (chunk.path.name, "nom du fichier"))


def _nearest_category(reading: _Reading):
    """The French expectation for an unknown type, naming the closest known ones."""
    names = sorted(set(reading.known) | set(reading.synonyms)
                   | {k for k, v in reading.export_syn.items() if v != UNMODELLED})

    def nearest(value):
        close = difflib.get_close_matches(_norm(value), names, n=3, cutoff=0.5)
        hint = f" ; les plus proches : {', '.join(close)}" if close else ""
        return (f"un type d'équipement connu{hint} (data/raw/reference/categories.csv, category_synonyms.csv) ; "
                + ("erreur en mode --strict" if reading.strict else "lignes exclues du parc"))

    return nearest


def _quantities_and_ids(chunk: _Chunk) -> None:
    """Quantity (1 per asset; required in a grouped file), quality (high per asset, medium grouped, by default), the
    line id (given, else the asset tag or serial, else ``<file stem>:<line>``) and the source columns."""
    df, keep, lines, per_asset = chunk.df, chunk.keep, chunk.lines, chunk.per_asset
    if not per_asset:  # a grouped file: every kept line needs its quantity (a bad value is already reported)
        reported = {p.row for p in chunk.cell_problems if p.column == "quantity"}
        empty = df["quantity"].isna().to_numpy() & keep & ~np.isin(lines, list(reported))
        if empty.any():
            chunk.collector.add("quantity", pd.Series([""] * int(empty.sum())), lines[empty],
                                "une quantité (nombre d'équipements identiques de la ligne)")
    else:
        df["quantity"] = 1.0
        chunk.count("quantity", int(keep.sum()))
    rated = int((df["rated_power_w"].notna().to_numpy() & keep).sum())
    if rated:  # a nameplate or power-supply rating is not an average draw: the category's consumption is kept
        chunk.count("rated_power_w", rated)
    chunk.count("quality", int((df["quality"].isna().to_numpy() & keep).sum()))
    df["quality"] = df["quality"].fillna("high" if per_asset else "medium")
    ids = df["line_id"]
    generated = pd.Series([f"{chunk.path.stem}:{line}" for line in lines], index=df.index)
    df["line_id"] = ids.where(ids.notna(), df["asset_tag"].where(df["asset_tag"].notna(), df["serial"])).where(
        lambda v: v.notna(), generated)
    df["source_file"] = chunk.file
    df["source_rows"] = 1
    df["_per_asset"] = per_asset


class _Lazy:
    """Values computed only for the rows of a mask (a few excluded lines out of a million)."""

    def __init__(self, fn):
        self.fn = fn


def _at(values, mask: np.ndarray) -> np.ndarray:
    """The values of a Series, an array or a :class:`_Lazy` under a boolean mask, as an array."""
    if isinstance(values, _Lazy):
        return np.asarray(values.fn(mask), dtype=object)
    return np.asarray(values.to_numpy() if hasattr(values, "to_numpy") else values, dtype=object)[mask]


def _absent_hint(meta: dict, column: str) -> str:
    """French hint naming the ignored header that looks like ``column`` (a typo), or ``""``."""
    header = (meta.get("near") or {}).get(column)
    if header is None:
        return ""
    return (f" ; la colonne « {header} » lui ressemble mais n'est pas reconnue (faute de frappe ?) : renommez-la "
            f"« {column} » ou d'un nom du README")


_NUMBER_RE = re.compile(r"[-+]?\d+(?:[.,]\d+)?")
#: Share of numbers among the values of the type column above which the columns are taken as shifted.
SHIFT_SHARE = 0.8


def _check_shift(df: pd.DataFrame, columns: dict, lines: np.ndarray, collector) -> bool:
    """An error when the type column holds numbers: the columns are shifted (a header cell or a first cell missing),
    every value below is in the wrong column. Not a warning: the study would exclude every line as of unknown type.
    Returns whether the columns are shifted."""
    if "category" not in columns:
        return False
    values = df["category"].dropna().astype(str)
    if len(values) == 0:
        return False
    numeric = _map_unique(values, lambda v: bool(_NUMBER_RE.fullmatch(v.strip()))).astype(bool)
    if numeric.mean() < SHIFT_SHARE:
        return False
    values = values.str.strip()
    header = columns["category"][0]
    rows = lines[df["category"].notna().to_numpy()][numeric.to_numpy()]
    collector.add("category", values[numeric], rows,
                  f"des types d'équipement ; les colonnes semblent décalées d'un cran : la colonne « {header} » "
                  "(category) contient des nombres ; vérifiez que chaque ligne a autant de cellules que l'en-tête et "
                  "qu'aucun nom de colonne ne manque (les autres colonnes ne sont pas vérifiées tant que ce n'est pas "
                  "corrigé)")
    return True


def _categories(df, path, known, synonyms, export_syn, file_map, sheet=None):
    """Canonical categories from the type column, with the file name's fallback; ``unmodelled`` kept as such."""
    mapped = canonical_categories(df["category"].fillna(""), known, {**export_syn, **synonyms})
    extra = _map_unique(df["category"], lambda v: export_syn.get(_norm(v)))
    mapped = mapped.where(mapped.notna(), extra)
    plural = _map_unique(df["category"], lambda v: _plural(v, known, {**export_syn, **synonyms}))
    mapped = mapped.where(mapped.notna(), plural)
    family, fallback = file_category(path.name, file_map)
    if not family and sheet:  # a workbook with one sheet per item type
        family, fallback = file_category(sheet, file_map)
    if fallback is not None:
        large = df["screen_size_in"] > 24
        fb = pd.Series(fallback, index=df.index, dtype=object)
        if fallback.startswith("screen"):
            fb = fb.where(~large, "screen_large").where(~(df["screen_size_in"] <= 24), "screen_small")
        mapped = mapped.where(mapped.notna(), fb)
    if df["item_type"].notna().any():  # a mixed export: each row's item type acts as its file name
        per_row = _map_unique(df["item_type"], lambda v: file_category(v, file_map)[1])
        mapped = mapped.where(mapped.notna(), per_row)
    screens = mapped.isin(["screen_small", "screen_large"]) & df["screen_size_in"].notna()
    mapped = mapped.where(~screens, np.where(df["screen_size_in"] > 24, "screen_large", "screen_small"))
    return mapped.astype(object), family


def _map_unique(values: pd.Series, fn) -> pd.Series:
    """``fn`` applied once per distinct non-empty value (a per-asset export repeats a few values many times)."""
    uniques = pd.unique(values.dropna())
    return values.map({v: fn(v) for v in uniques}).astype(object)


def _plural(value, known, synonyms):
    """The category of a plural type name, as asset tools' category lists write them: the whole name without its
    final ``s`` (``Laptops``), then every word without its plural ``s`` or ``x`` (``Bornes Wi-Fi``, ``Imprimantes
    multifonctions``, ``Téléphones IP``, ``Écrans 27 pouces``)."""
    key = _norm(value)
    table = {**{_norm(k.replace("_", " ")): k for k in known}, **synonyms}
    import itertools

    words = key.split()
    if len(words) > 6:
        return None
    options = [(w, w[:-1]) if len(w) > 3 and w[-1] in "sx" else (w,) for w in words]  # "acces" stays possible
    candidates = ([key[:-1]] if key.endswith("s") else []) + [" ".join(c) for c in itertools.product(*options)]
    for singular in candidates:
        found = table.get(singular)
        if found is None:
            m = _SCREEN_RE.match(singular)
            if m:
                found = "screen_small" if float(m.group(3).replace(",", ".")) <= 24 else "screen_large"
        if found is not None and (found in known or found == UNMODELLED):
            return found
    return None


def _aggregate(df: pd.DataFrame) -> pd.DataFrame:
    """Identical per-asset lines as one line: quantity and ``source_rows`` summed, first id and line kept.

    Vectorised ``groupby`` on :data:`GROUP_KEYS` plus the source file (missing values are a group of their own).
    Grouped lines (a file with a quantity column) are left as they are.
    """
    if df.empty:
        return df
    per = df["_per_asset"].astype(bool).to_numpy()
    if not per.any():
        return df
    assets = df.loc[per]
    keys = [k for k in GROUP_KEYS if k in assets] + ["source_file"]
    assets = assets.sort_values("_line", kind="stable")
    agg = {c: "first" for c in assets.columns if c not in keys}
    agg.update({"quantity": "sum", "source_rows": "sum", "_line": "min"})
    out = assets.groupby(keys, dropna=False, sort=False).agg(agg).reset_index()
    out = out[df.columns]
    return pd.concat([df.loc[~per], out], ignore_index=True)


def _unknown_sites(df: pd.DataFrame, sites: set) -> list[InputProblem]:
    """A ``site`` that is not a site id of hosting.csv."""
    bad_site = df["site"].notna() & ~df["site"].isin(sites)
    expected = (f"un identifiant de site de hosting.csv {sorted(sites)}" if sites
                else "un identifiant de site défini dans hosting.csv (hosting.csv absent ou vide)")
    return [InputProblem(df["source_file"].iat[idx], int(df["_line"].iat[idx]), "site", df["site"].iat[idx], expected)
            for idx in np.flatnonzero(bad_site.to_numpy())]


def _implausible_power(out: pd.DataFrame, max_power: np.ndarray) -> list[InputProblem]:
    """A power (or rated power) above the category's maximum, a yearly consumption above that maximum all year."""
    problems = []
    for col in ("power_w", "rated_power_w"):
        too_hot = out[col].to_numpy() > max_power
        for idx in np.flatnonzero(too_hot):
            problems.append(InputProblem(out["source_file"].iat[idx], int(out["_line"].iat[idx]), col,
                                         out[col].iat[idx],
                                         f"au plus {max_power[idx]:g} W pour un(e) '{out['category'].iat[idx]}'"))
    too_much = out["yearly_kwh"].to_numpy() > max_power * 8.784  # kWh at max power all year
    for idx in np.flatnonzero(too_much):
        problems.append(InputProblem(out["source_file"].iat[idx], int(out["_line"].iat[idx]), "yearly_kwh",
                                     out["yearly_kwh"].iat[idx],
                                     f"au plus {max_power[idx] * 8.784:g} kWh/an pour un(e) '{out['category'].iat[idx]}'"))
    return problems


def _complete(df, cats, ref, hosting_site_ids, problems) -> pd.DataFrame:
    """Category attributes and defaults (lifetime, power, hours, days, yearly kWh); plausibility checks."""
    df = df.sort_values(["_per_asset", "source_file", "_line"], kind="stable").reset_index(drop=True)
    if hosting_site_ids is not None:
        problems += _unknown_sites(df, set(hosting_site_ids))
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    c = cats.loc[df["category"]].reset_index(drop=True)
    out = df.copy()
    out["tier"] = c["tier"].to_numpy()
    out["factor_item"] = c["factor_item"].to_numpy()
    problems += _implausible_power(out, c["max_power_w"].to_numpy(dtype=float))
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)

    age = np.where(out["purchase_year"].notna(), ref - out["purchase_year"], out["age_years"])
    out["age_years"] = age
    out["purchase_year"] = np.where(out["purchase_year"].notna(), out["purchase_year"], ref - out["age_years"])
    given_power = df["power_w"].notna()
    out["lifetime_origin"] = np.where(out["lifetime_years"].notna(), "given", "category_default")
    if "second_life_years" in c:  # a device bought reconditioned lives its second life with the collectivity
        recond = out["reconditioned"].fillna(False).astype(bool).to_numpy() if "reconditioned" in out else False
        second = recond & out["lifetime_years"].isna().to_numpy()
        out["lifetime_years"] = out["lifetime_years"].fillna(pd.Series(np.where(
            recond, c["second_life_years"].to_numpy(dtype=float), np.nan), index=out.index))
        out["lifetime_origin"] = np.where(second, "second_life_default", out["lifetime_origin"])
    for col, default in (("lifetime_years", "default_lifetime_years"), ("power_w", "default_power_w"),
                         ("hours_per_day", "default_hours_per_day"), ("days_per_year", "default_days_per_year")):
        out[col] = out[col].fillna(pd.Series(c[default].to_numpy(dtype=float)))
    computed = out["power_w"] * out["hours_per_day"] * out["days_per_year"] / 1000.0
    default_kwh = pd.Series(c["default_yearly_kwh"].to_numpy(dtype=float))
    given = out["yearly_kwh"].notna()
    explicit_use = given_power | df["hours_per_day"].notna() | df["days_per_year"].notna()
    use_default = ~given & ~explicit_use & default_kwh.notna()
    out["yearly_kwh"] = np.where(given, out["yearly_kwh"], np.where(use_default, default_kwh, computed))
    out["yearly_kwh_origin"] = np.where(given, "given", np.where(use_default, "category_default", "power_x_hours"))
    missing = out["yearly_kwh"].isna()
    for idx in np.flatnonzero(missing.to_numpy()):
        problems.append(InputProblem(out["source_file"].iat[idx], int(out["_line"].iat[idx]), "yearly_kwh", None,
                                     "une consommation annuelle, ou une puissance et des heures d'utilisation "
                                     "(la catégorie n'a pas de valeur par défaut)"))
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    cols = ["line_id", "entity", "category", "tier", "factor_item", "quantity", "purchase_year", "age_years",
            "lifetime_years", "power_w", "rated_power_w", "hours_per_day", "days_per_year", "yearly_kwh",
            "yearly_kwh_origin",
            "reconditioned", "quality", "site", "comment", "category_as_given", "lifetime_origin", "source_file",
            "source_rows", "_line"]
    return out[cols]
