"""The previous year's published study, read for a follow-up (issue 34): only from what was published.

A published study (``outputs/<slug>/``) holds ``summary.json``, ``manifest.json`` (every published file and its
sha256) and ``inputs/`` (a copy of the input files the study used, ``data/raw/<slug>/…`` and
``data/raw/reference/…``). :func:`read_previous_study` checks it before anything is run, and refuses it with a French
message (nothing published is touched) when:

- a file is missing (``summary.json``, ``manifest.json``, the archived ``territory.yaml``);
- a file's sha256 differs from the manifest (the folder was edited after publication);
- it describes another territory (its name differs from this study's);
- its reference year is not earlier than this study's.

The previous study's code is never run: its ``code_version`` and ``factors_version`` are read from its summary, and
its inputs are rerun with this year's code and library (:mod:`helpers.plan.follow_up`).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from helpers.io import paths
from helpers.io.errors import InputError, InputProblem

ARCHIVE_DIR = "inputs"
MANIFEST_FILE = "manifest.json"
SUMMARY_FILE = "summary.json"
WHAT = "étude précédente"


@dataclass(frozen=True)
class PreviousStudy:
    """What a follow-up reads of last year's study."""

    folder: Path  # the published folder given (PREVIOUS=…)
    summary: dict
    manifest: dict
    slug: str
    raw: Path  # the archived data/raw/<slug>/ of the previous study
    reference_year: int

    @property
    def total_tco2e(self) -> float | None:
        total = (self.summary.get("carbon") or {}).get("total_tco2e") or {}
        return total.get("value") if isinstance(total, dict) else total


def resolve(path: str | Path) -> Path:
    """``path`` as given (``outputs/la-rochelle``), relative to the project root unless absolute."""
    p = Path(path)
    return p if p.is_absolute() else paths.PROJECT_ROOT / p


def _name(text) -> str:
    folded = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode().lower()
    return " ".join(folded.replace("'", " ").split())


def _fail(folder: Path, expected: str, file: str | None = None, value=None):
    where = f"{folder}/{file}" if file else str(folder)
    raise InputError(InputProblem(f"{WHAT} {where}", None, None, value, expected))


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def read_previous_study(path: str | Path, territory) -> PreviousStudy:
    """Read and check last year's published study ``path`` for ``territory`` (see the module's checks).

    Raises
    ------
    InputError
        one French message naming the folder, the file and what was expected.
    """
    folder = resolve(path)
    if not folder.is_dir():
        _fail(folder, "le dossier publié de l'étude de l'an dernier (par ex. outputs/la-rochelle, produit par "
                      "make study), introuvable")
    for name in (SUMMARY_FILE, MANIFEST_FILE):
        if not (folder / name).is_file():
            _fail(folder, f"le fichier {name} de l'étude publiée (une étude publiée avant le suivi annuel n'en a "
                          "pas : republiez-la avec cette version)", name)
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        files = dict(manifest["files"])
    except (ValueError, KeyError, TypeError):
        _fail(folder, "un manifeste JSON avec la liste « files » (chemin -> sha256)", MANIFEST_FILE)
    for rel, digest in sorted(files.items()):
        target = (folder / rel).resolve()
        if folder.resolve() not in target.parents:
            _fail(folder, "des chemins à l'intérieur du dossier publié", MANIFEST_FILE, rel)
        if not target.is_file():
            _fail(folder, "ce fichier, listé dans le manifeste, présent", rel)
        if _sha256(target) != digest:
            _fail(folder, "le contenu publié (son sha256 diffère de celui du manifeste : le dossier a été modifié "
                          "après sa publication)", rel)
    summary = json.loads((folder / SUMMARY_FILE).read_text(encoding="utf-8"))
    prev = summary.get("territory") or {}
    slug = str(prev.get("slug") or "")
    if _name(prev.get("name")) != _name(territory.name):
        _fail(folder, f"une étude du même territoire que « {territory.name} »", SUMMARY_FILE, prev.get("name"))
    year = prev.get("reference_year")
    if not isinstance(year, int) or year >= int(territory.reference_year):
        _fail(folder, f"une année de référence antérieure à celle de cette étude ({territory.reference_year})",
              SUMMARY_FILE, year)
    raw = folder / ARCHIVE_DIR / "data" / "raw" / slug
    if not slug or not (raw / "territory.yaml").is_file():
        _fail(folder, "les entrées archivées de l'étude (inputs/data/raw/<territoire>/territory.yaml)",
              f"{ARCHIVE_DIR}/data/raw/{slug}/territory.yaml")
    return PreviousStudy(folder=folder, summary=summary, manifest=manifest, slug=slug, raw=raw,
                         reference_year=int(year))
