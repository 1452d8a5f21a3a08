"""The equipment inventory ``data/raw/<slug>/inventory.csv`` (and/or ``inventory/``): schema, validation, defaults.

One line per group of identical devices, in the spirit of the ADEME/Boavizta PCR-SI exchange format
(``Boavizta/PCR-SI_dataformat``: id, type, quantity, lifetime, quality, yearly electricity consumption, tags):
entity, category, quantity, purchase year or age, lifetime, optional power and hours of use, reconditioned or not,
data quality, hosting site.

An asset-tool export goes in as it comes (``/work/shared/reference/asset-exports.md``: GLPI, OCS Inventory,
ServiceNow, Snipe-IT): one line per asset and no quantity column (quantity 1 per row, identical lines aggregated,
the clean table keeps ``source_rows``), no id column (stable ids from file and line), dates of purchase as dates,
a status column (retired, scrapped, lost, stolen, in-stock assets excluded and counted, see
``data/raw/reference/asset_statuses.csv``), entities by id, name or alias, one file per item type in a folder
``inventory/`` with the category taken from the file name when the type column does not decide. Every excluded row
is counted by reason in the import report (``df.attrs["import_report"]``).

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
from helpers.io.errors import InputError, InputProblem, display_path
from helpers.io.tables import Column, Schema, take_report
from helpers.model import vocab

QUALITIES = vocab.QUALITIES
SYNONYMS_PATH = "category_synonyms.csv"
_SCREEN_RE = re.compile(r"^(ecran|moniteur|monitor)( pc| d ordinateur)? (\d+(?:[.,]\d+)?)( pouces| po| inch| in)?$")


def _norm(text) -> str:
    """Category key: lower case, no accents, punctuation as spaces."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
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
    "in_stock": "statut « en stock »", "on_order": "statut « en commande »", "retired": "statut « réformé / retiré »",
    "scrapped": "statut « au rebut »", "lost": "statut « perdu »", "stolen": "statut « volé »",
    "after_reference_year": "acheté après l'année de référence",
    "unknown_type": "type d'équipement inconnu",
    "unmodelled_type": "type connu mais non modélisé",
    "duplicate": "doublon (même identifiant qu'une ligne précédente)",
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
    """Entity matching key: no case, no accents, no punctuation or spaces (``CA Val-de-Sèvre`` = ``ca val de sevre``)."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in text if ch.isalnum())


def entity_lookup(territory) -> dict[str, str]:
    """Matching key -> entity id, from each entity's id, name and ``aliases`` (``territory.yaml``)."""
    out: dict[str, str] = {}
    for e in territory.entities:
        for text in (e.id, e.name, *getattr(e, "aliases", ())):
            out.setdefault(entity_key(text), e.id)
    return out


def match_entities(values: pd.Series, lookup: dict[str, str]) -> pd.Series:
    """Entity ids for the values as written (``None`` when unmatched); a GLPI tree path ``Racine > Mairie`` also
    matches by its last part."""
    uniques = pd.unique(values.dropna())
    found = {}
    for v in uniques:
        hit = lookup.get(entity_key(v))
        if hit is None and ">" in str(v):
            hit = lookup.get(entity_key(str(v).rsplit(">", 1)[1]))
        found[v] = hit
    return values.map(found).astype(object)


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
        Column("line_id", "str", synonyms=("id", "identifiant", "ligne", "numero de ligne", "asset tag", "asset_tag",
                                           "numero d'inventaire", "inventory number", "etiquette de l'actif",
                                           "numero de serie", "serial number", "serial_number", "serial", "serie",
                                           "n° inventaire", "no inventaire", "nom", "name", "asset name",
                                           "nom de l'actif", "machine"),
               description="unique id of the line (default: file and line number)", example="L001"),
        Column("entity", "str", synonyms=("entite", "structure", "collectivite", "organisation", "entity", "company",
                                          "societe", "tag"),
               description="entity id, name or alias from territory.yaml (default: the only entity)", example="ville"),
        Column("category", "str",
               synonyms=("categorie", "type", "type d'equipement", "type equipement", "famille", "category",
                         "chassis type", "chassis_type", "form factor", "form_factor",
                         "model category", "model_category"),
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
    ),
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

    def exclude(self, reason: str, n: int) -> None:
        if n:
            self.excluded[reason] = self.excluded.get(reason, 0) + int(n)

    def as_summary(self) -> dict:
        return {"rows_read": self.rows_read, "rows_kept": self.rows_kept, "excluded": dict(sorted(self.excluded.items()))}


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
    from pathlib import Path

    from helpers.io.tables import CHUNK_ROWS

    if isinstance(path, (list, tuple)):
        files = [Path(p) for p in path]
    elif Path(path).is_dir() and Path(path).name == "inventory":  # the folder of exports itself
        files = [f for f in inventory_sources(Path(path).parent) if f.parent == Path(path)]
    elif Path(path).is_dir():  # a territory folder
        files = inventory_sources(path)
    else:
        files = [Path(path)]
    cats = categories.set_index("category")
    known = list(cats.index)
    synonyms = load_category_synonyms()
    export_syn = load_export_synonyms()
    statuses = load_statuses(overrides=getattr(territory, "statuses", None) or {})
    lookup = entity_lookup(territory)
    file_map = getattr(territory, "inventory_files", None) or {}
    strict = strict_mode(strict)
    ref = territory.reference_year
    bad_map = {k: v for k, v in file_map.items() if v not in known and v != UNMODELLED}
    if bad_map:
        raise InputError([InputProblem(getattr(territory, "source_file", "territory.yaml"), None, "inventory_files",
                                       f"{k}: {v}", f"un identifiant de catégorie de data/raw/reference/categories.csv "
                                       f"({', '.join(known)})") for k, v in bad_map.items()])
    problems: list[InputProblem] = []
    reports: list[FileReport] = []
    kept: list[pd.DataFrame] = []
    seen_ids: set = set()
    for f in files:
        report = FileReport(display_path(f))
        reports.append(report)
        collector = _Collector(report.file)
        cell_problems: list[InputProblem] = []
        try:
            chunks = _file_chunks(f, cell_problems, chunk_rows or CHUNK_ROWS)
            for chunk in chunks:
                kept.append(_process_chunk(chunk, f, report, collector, cell_problems, territory, lookup, statuses,
                                           known, synonyms, export_syn, file_map, ref, strict, seen_ids))
        except InputError as exc:
            problems += exc.problems + exc.warnings
            continue
        problems += cell_problems + collector.problems()
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputError(problems)
    df = pd.concat(kept, ignore_index=True) if kept else pd.DataFrame()
    if df.empty:
        raise InputError(problems + [InputProblem(
            ", ".join(r.file for r in reports), None, None, None,
            "au moins un équipement en service : toutes les lignes sont exclues ("
            + "; ".join(f"{r.file} : {_reasons_fr(r.excluded)}" for r in reports) + ")")])
    grouped = df.loc[~df["_per_asset"].astype(bool)]
    dup = grouped["line_id"].duplicated(keep=False) & grouped["line_id"].notna()
    for idx in np.flatnonzero(dup.to_numpy()):
        problems.append(InputProblem(grouped["source_file"].iat[idx], int(grouped["_line"].iat[idx]), "line_id",
                                     grouped["line_id"].iat[idx],
                                     "un 'line_id' unique (cette valeur apparaît plusieurs fois)"))
    df = _aggregate(df)
    df = _complete(df, cats, ref, hosting_site_ids, problems)
    for r in reports:  # category defaults taken, in source rows (assets), for the import report
        mine = df["source_file"].str.startswith(r.file)
        rows = df["source_rows"].where(mine, 0)
        for key, taken in (("lifetime_years", df["lifetime_origin"] == "category_default"),
                           ("yearly_kwh", df["yearly_kwh_origin"] == "category_default")):
            n = int(rows[taken].sum())
            if n:
                r.defaults[key] = n
        undated = int(rows[df["purchase_year"].isna()].sum())
        if undated:
            r.defaults["purchase_year"] = undated
            problems.append(InputProblem(r.file, None, "purchase_year", None,
                                         f"{undated} équipement(s) sans date d'achat ni âge : âge inconnu, les "
                                         "indicateurs d'âge portent sur les autres", severity="warning", kind="note"))
    for r in reports:  # one line per file (unknown types are also listed value by value above)
        if r.excluded:
            detail = ", ".join(f"{n} {REASON_FR.get(k, k)}" + (f" {ref}" if k == "after_reference_year" else "")
                               for k, n in sorted(r.excluded.items()))
            problems.append(InputProblem(r.file, None, None, None,
                                         f"{sum(r.excluded.values())} ligne(s) exclue(s) sur {r.rows_read} : {detail}",
                                         severity="warning", kind="note"))
    df.attrs["warnings"] = [p for p in problems if p.severity != "error"]
    df.attrs["import_report"] = reports
    return df


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


def _process_chunk(df, path, report, collector, cell_problems, territory, lookup, statuses, known, synonyms,
                   export_syn, file_map, ref, strict, seen_ids) -> pd.DataFrame:
    """Resolve one clean chunk: exclusions counted, entities and categories matched, per-asset lines aggregated."""
    meta = take_report(df)  # the header report goes to the FileReport; the chunk is computed as a plain frame
    columns = meta.get("columns", {})
    sheet = meta.get("sheet")
    file = report.file if sheet is None else f"{report.file} [{sheet}]"
    if not report.columns:
        report.columns = dict(columns)
        report.ignored = list(meta.get("ignored", []))
    report.decimals.update(meta.get("decimals", {}))  # the file's evidence so far (complete on its last chunk)
    per_asset = "quantity" not in columns
    report.per_asset = per_asset
    n = len(df)
    report.rows_read += n
    lines = df["_line"].to_numpy()
    keep = np.ones(n, dtype=bool)

    # template example rows: refused (named with file and line)
    ids = df["line_id"]
    example = ids.notna() & ids.astype(str).str.upper().str.startswith("EXEMPLE")
    if example.any():
        collector.add("line_id", ids[example], lines[example.to_numpy()],
                      "aucune ligne d'exemple du modèle : supprimez cette ligne (modèle de 'make new-territory')")
        keep &= ~example.to_numpy()
        report.exclude("example_row", int(example.sum()))

    # status
    if "status" in columns:
        raw = df["status"]
        reason = _map_unique(raw, lambda v: statuses.get(_norm(v))).where(raw.notna(), "in_service")
        unknown = raw.notna() & reason.isna()
        if unknown.any():
            collector.add("status", raw[unknown], lines[unknown.to_numpy()],
                          "un statut connu (en service, en stock, au rebut, réformé, perdu, volé, in use, retired…) ; "
                          "ajoutez-le sous 'statuses:' dans territory.yaml (valeur: in_service, in_repair, in_stock, "
                          "on_order, retired, scrapped, lost ou stolen)")
            keep &= ~unknown.to_numpy()
        out_of_fleet = reason.notna() & ~reason.isin(COUNTED_REASONS) & pd.Series(keep, index=df.index)
        for r, count in reason[out_of_fleet].value_counts().items():
            report.exclude(r, count)
        keep &= ~out_of_fleet.to_numpy()

    # bought after the reference year
    late = (df["purchase_year"] > ref).to_numpy() & keep
    report.exclude("after_reference_year", int(late.sum()))
    keep &= ~late

    # duplicates of per-asset rows (same id as an earlier row, in this file or another)
    if per_asset and "line_id" in columns:
        given = ids.notna().to_numpy() & keep
        id_values = ids.to_numpy()
        dup = np.zeros(n, dtype=bool)
        idx = np.flatnonzero(given)
        sub = pd.Series(id_values[idx])
        repeated = (sub.duplicated() | sub.isin(seen_ids)).to_numpy()
        dup[idx[repeated]] = True
        seen_ids.update(sub[~repeated])
        report.exclude("duplicate", int(dup.sum()))
        keep &= ~dup

    # entity
    if "entity" in columns:
        entity = match_entities(df["entity"], lookup)
        bad = (entity.isna() & df["entity"].notna()).to_numpy() & keep
        names = {e.id: e.name for e in territory.entities}
        keys = list(lookup)

        def closest(value):
            close = difflib.get_close_matches(entity_key(value), keys, n=3, cutoff=0.4)
            ids_close = list(dict.fromkeys(lookup[k] for k in close))
            hint = (" ; entités les plus proches : " + ", ".join(f"{i} ({names[i]})" for i in ids_close)) if ids_close else ""
            return (f"une entité de territory.yaml (id, nom ou alias ; {', '.join(names)}){hint} ; "
                    "ajoutez l'orthographe sous 'aliases:' de l'entité si c'est la même")
        if bad.any():
            collector.add("entity", df["entity"][bad], lines[bad], closest)
        missing = df["entity"].isna().to_numpy() & keep
        if missing.any():
            if len(territory.entities) == 1:
                entity[missing] = territory.entities[0].id
                report.defaults["entity"] = report.defaults.get("entity", 0) + int(missing.sum())
            else:
                collector.add("entity", pd.Series([""] * int(missing.sum())), lines[missing],
                              "une entité (le territoire en a plusieurs)")
        df["entity"] = entity
    elif len(territory.entities) == 1:
        df["entity"] = territory.entities[0].id
        report.defaults["entity"] = report.defaults.get("entity", 0) + n
    else:
        collector.add("entity", pd.Series(["(colonne absente)"]), np.array([1]),
                      f"une colonne 'entity' (le territoire a {len(territory.entities)} entités)")

    # category: the type column, else the file name's family
    mapped, family = _categories(df, path, known, synonyms, export_syn, file_map, sheet)
    if "category" not in columns and "item_type" not in columns and not family:
        collector.add("category", pd.Series(["(colonne absente)"]), np.array([1]),
                      "une colonne 'category' (type d'équipement), ou un nom de fichier qui la donne "
                      "(ordinateurs*, moniteurs*, telephones*, imprimantes*, reseau*… ou 'inventory_files:')")
    df["category_as_given"] = df["category"]
    unmodelled = (mapped == UNMODELLED).to_numpy() & keep
    unknown = mapped.isna().to_numpy() & keep
    if unknown.any():
        names = sorted(set(known) | set(synonyms) | {k for k, v in export_syn.items() if v != UNMODELLED})

        def nearest(value):
            close = difflib.get_close_matches(_norm(value), names, n=3, cutoff=0.5)
            hint = f" ; les plus proches : {', '.join(close)}" if close else ""
            return (f"un type d'équipement connu{hint} (data/raw/reference/categories.csv, category_synonyms.csv) ; "
                    + ("erreur en mode --strict" if strict else "lignes exclues du parc"))
        collector.add("category", df["category"][unknown].fillna("(vide)"), lines[unknown], nearest,
                      severity="error" if strict else "warning")
        report.exclude("unknown_type", int(unknown.sum()))
        keep &= ~unknown
    if unmodelled.any():
        collector.add("category", df["category"][unmodelled].fillna("(vide)"), lines[unmodelled],
                      "un type modélisé : ce type est connu mais n'a pas de facteur d'impact ; lignes exclues du parc",
                      severity="error" if strict else "warning")
        report.exclude("unmodelled_type", int(unmodelled.sum()))
        keep &= ~unmodelled
    df["category"] = mapped.where(mapped.notna(), df["category"])
    if family:
        report.columns.setdefault("category", (path.name, "nom du fichier"))

    # quantity, quality, ids
    if not per_asset:  # a grouped file: every kept line needs its quantity (a bad value is already reported)
        reported = {p.row for p in cell_problems if p.column == "quantity"}
        empty = df["quantity"].isna().to_numpy() & keep & ~np.isin(lines, list(reported))
        if empty.any():
            collector.add("quantity", pd.Series([""] * int(empty.sum())), lines[empty],
                          "une quantité (nombre d'équipements identiques de la ligne)")
    if per_asset:
        df["quantity"] = 1.0
        report.defaults["quantity"] = report.defaults.get("quantity", 0) + int(keep.sum())
    rated = int((df["rated_power_w"].notna().to_numpy() & keep).sum())
    if rated:  # a nameplate or power-supply rating is not an average draw: the category's consumption is kept
        report.defaults["rated_power_w"] = report.defaults.get("rated_power_w", 0) + rated
    quality_default = "high" if per_asset else "medium"
    report.defaults["quality"] = report.defaults.get("quality", 0) + int((df["quality"].isna().to_numpy() & keep).sum())
    df["quality"] = df["quality"].fillna(quality_default)
    stem = path.stem
    generated = [f"{stem}:{line}" for line in lines]
    df["line_id"] = ids.where(ids.notna(), pd.Series(generated, index=df.index))
    df["source_file"] = file
    df["source_rows"] = 1
    df["_per_asset"] = per_asset
    out = df.loc[keep]
    report.rows_kept += int(len(out))
    if per_asset:
        out = _aggregate(out)
    return out


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
    key = _norm(value)
    if key.endswith("s"):
        singular = key[:-1]
        return {**{_norm(k.replace("_", " ")): k for k in known}, **synonyms}.get(singular)
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


def _complete(df, cats, ref, hosting_site_ids, problems) -> pd.DataFrame:
    """Category attributes and defaults (lifetime, power, hours, days, yearly kWh); plausibility checks."""
    df = df.sort_values(["_per_asset", "source_file", "_line"], kind="stable").reset_index(drop=True)
    if hosting_site_ids is not None:
        sites = set(hosting_site_ids)
        bad_site = df["site"].notna() & ~df["site"].isin(sites)
        for idx in np.flatnonzero(bad_site.to_numpy()):
            expected = (f"un identifiant de site de hosting.csv {sorted(sites)}" if sites
                        else "un identifiant de site défini dans hosting.csv (hosting.csv absent ou vide)")
            problems.append(InputProblem(df["source_file"].iat[idx], int(df["_line"].iat[idx]), "site",
                                         df["site"].iat[idx], expected))
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    c = cats.loc[df["category"]].reset_index(drop=True)
    out = df.copy()
    out["tier"] = c["tier"].to_numpy()
    out["factor_item"] = c["factor_item"].to_numpy()
    max_power = c["max_power_w"].to_numpy(dtype=float)
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
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)

    age = np.where(out["purchase_year"].notna(), ref - out["purchase_year"], out["age_years"])
    out["age_years"] = age
    out["purchase_year"] = np.where(out["purchase_year"].notna(), out["purchase_year"], ref - out["age_years"])
    given_power = df["power_w"].notna()
    out["lifetime_origin"] = np.where(out["lifetime_years"].notna(), "given", "category_default")
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
