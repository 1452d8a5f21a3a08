"""Project paths. The project root is found from this file, so notebooks and tests need no working directory."""

from __future__ import annotations

import os
import re
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("SNR_PROJECT_ROOT", Path(__file__).resolve().parents[3]))
RAW_DIR = PROJECT_ROOT / "data" / "raw"
REFERENCE_DIR = RAW_DIR / "reference"
PROCESSED_DIR = PROJECT_ROOT / "data" / "processed"
OUTPUTS_DIR = PROJECT_ROOT / "outputs"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"

#: matched with ``re.fullmatch``: ``$`` alone would accept a trailing newline ("atk-nl\n" created a folder)
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
RESERVED_SLUGS = {"reference", "batch", "bench"}


def check_slug(slug: str) -> str:
    """Return ``slug`` if it is a safe territory identifier, else raise :class:`helpers.io.errors.InputError`.

    A slug is lower-case letters, digits and hyphens (no ``/``, no ``..``), so it can never point outside
    ``data/raw/``.
    """
    from helpers.io.errors import InputError, InputProblem

    if not isinstance(slug, str) or not SLUG_RE.fullmatch(slug) or slug in RESERVED_SLUGS:
        raise InputError(
            InputProblem(
                "identifiant du territoire", None, None, slug,
                "un identifiant de territoire en lettres minuscules, chiffres et '-' seulement, 63 caractères au "
                f"plus (par ex. 'la-rochelle'), autre que {sorted(RESERVED_SLUGS)}",
            )
        )
    return slug


def raw_dir(slug: str) -> Path:
    return RAW_DIR / check_slug(slug)


def processed_dir(slug: str) -> Path:
    return PROCESSED_DIR / check_slug(slug)


def outputs_dir(slug: str) -> Path:
    return OUTPUTS_DIR / check_slug(slug)
