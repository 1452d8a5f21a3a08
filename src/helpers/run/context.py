"""What a notebook needs to run: validated territory, paths, and deterministic writers.

``open_context(territory, processed_dir)`` is the first call of every notebook. ``processed_dir=None`` means
``data/processed/<territory>/`` (interactive use in JupyterLab); the pipeline passes a staging folder so that a
failed run never touches what was published before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.io import paths, safe_write
from helpers.io.safe_write import NonFiniteValue, dumps  # noqa: F401 (re-exported: the writers of this context)
from helpers.io.territory import Territory, load_territory


@dataclass
class Context:
    slug: str
    territory: Territory
    raw: Path
    reference: Path
    processed: Path

    def write_table(self, name: str, df: pd.DataFrame, index: bool = False) -> Path:
        """Write ``df`` to ``<processed>/<name>.csv`` deterministically (fixed float format, ``\\n`` line ends).

        Text cells that a spreadsheet would run as a formula are quoted with a reversible codec
        (:mod:`helpers.io.safe_write`); :meth:`read_table` undoes it, so the values read back are the values written.
        """
        return write_csv(df, self.processed / f"{name}.csv", index=index)

    def read_table(self, name: str) -> pd.DataFrame:
        """Read a table an earlier notebook wrote with :meth:`write_table` (its formula quoting undone)."""
        path = self.processed / f"{name}.csv"
        if not path.exists():
            raise FileNotFoundError(
                f"{path} est absent : exécutez d'abord les notebooks précédents (make study TERRITORY={self.slug})"
            )
        from helpers.io.ingest import text_columns

        return read_csv(path, dtype=dict.fromkeys(text_columns(name), object))  # empty text stays text

    def write_summary(self, section: str, data: dict, top_level: dict | None = None) -> Path:
        """Write this notebook's part of ``summary.json`` (assembled by the publish step)."""
        payload = {"section": section, "data": data, "top_level": top_level or {}}
        path = self.processed / f"summary_{section}.json"
        path.write_text(dumps(payload) + "\n", encoding="utf-8")
        return path

    def read_summary(self, section: str) -> dict:
        path = self.processed / f"summary_{section}.json"
        return json.loads(path.read_text(encoding="utf-8"))["data"]


def open_context(territory: str, processed_dir: str | Path | None = None) -> Context:
    slug = paths.check_slug(territory)
    terr = load_territory(slug)
    processed = Path(processed_dir) if processed_dir else paths.processed_dir(slug)
    if processed.is_symlink() and not processed.exists():  # a publication link whose first run never finished
        processed.unlink()
    processed.mkdir(parents=True, exist_ok=True)
    return Context(slug=slug, territory=terr, raw=paths.raw_dir(slug), reference=paths.REFERENCE_DIR,
                   processed=processed)


def write_csv(df: pd.DataFrame, path: Path, index: bool = False) -> Path:
    """Formula-safe, deterministic CSV (:func:`helpers.io.safe_write.write_csv`)."""
    return safe_write.write_csv(df, path, index=index)


def read_csv(path: Path, **kwargs) -> pd.DataFrame:
    """A CSV written by :func:`write_csv`, its formula quoting undone (:func:`helpers.io.safe_write.read_csv`)."""
    return safe_write.read_csv(path, **kwargs)
