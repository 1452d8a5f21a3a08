"""Ingest of a 1,000,000-row per-asset inventory (issue 21): peak memory and rows per second.

A GLPI-like export is generated (seeded, byte-identical on every run): one line per asset, French headers, ``;``,
UTF-8 with BOM, a trailing delimiter on every line, dates ``dd/mm/yyyy``, a ``Statut`` column with some retired
assets, entities written by name and no quantity column (``/work/shared/reference/asset-exports.md`` §1). Three
readings of the same file, each in its own subprocess so that its peak RSS (``VmHWM`` of ``/proc/self/status``; Linux's
``ru_maxrss`` would carry the parent's peak across fork and exec) is its own:

1. baseline: ``csv.reader`` over the decoded text, counting rows (the floor of any CSV reading in Python);
2. ``readers.read_rows``: the safe reader alone (checks, encoding decision, control characters, caps);
3. ``inventory.read_inventory``: the whole inventory ingest (schema, statuses, entities, categories, aggregation).

The same export saved as an XLSX sheet (:data:`XLSX_ROWS` rows) is then read by ``readers.read_rows`` and, as its
baseline, by openpyxl's own read-only ``iter_rows``. Printed as rows per second and as ratios to the baseline measured in the same run; the target is a peak RSS under
2 GB for the whole ingest. Results go to ``outputs/bench/ingest.json``. Run: ``python bench/bench_ingest.py [rows]``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "outputs" / "bench"
TARGET_PEAK_RSS_MB = 2048
#: Rows of the XLSX part (openpyxl writes about 20,000 rows/s; reading is measured against openpyxl's own reader).
XLSX_ROWS = 100_000

HEADER = ["Nom", "Entité", "Statut", "Type", "Fabricant", "Modèle", "Numéro de série", "Lieu",
          "Informations financières et administratives - Date d'achat"]
TYPES = ["Ordinateurs portables", "Ordinateur de bureau", "Écrans", "Smartphones", "Tablettes"]
TYPE_WEIGHTS = [0.35, 0.25, 0.3, 0.07, 0.03]
STATUSES = ["En service", "En service", "En service", "En service", "En stock", "Au rebut"]
ENTITIES = ["Mairie de Test-sur-Mer", "MAIRIE DE TEST-SUR-MER", "Écoles de Test-sur-Mer"]
MAKERS = ["Dell", "HP", "Lenovo", "Fujitsu", "Apple", "Samsung"]


def generate(path: Path, rows: int, seed: int = 20231) -> None:
    """Write the export: ``rows`` asset lines, vectorised (numpy), seeded."""
    rng = np.random.default_rng(seed)
    types = np.array(TYPES)[rng.choice(len(TYPES), size=rows, p=TYPE_WEIGHTS)]
    status = np.array(STATUSES)[rng.integers(0, len(STATUSES), rows)]
    entity = np.array(ENTITIES)[rng.integers(0, len(ENTITIES), rows)]
    maker = np.array(MAKERS)[rng.integers(0, len(MAKERS), rows)]
    model = np.char.add("Modèle ", rng.integers(100, 999, rows).astype(str))
    day = rng.integers(1, 29, rows)
    month = rng.integers(1, 13, rows)
    year = rng.integers(2012, 2023, rows)  # before the reference year 2023 of test-mini
    date = [f"{d:02d}/{m:02d}/{y}" for d, m, y in zip(day, month, year, strict=True)]
    ids = np.arange(1, rows + 1)
    lines = [";".join(f'"{c}"' for c in HEADER) + ";"]
    lines += [
        f'"PC-{i:07d}";"{e}";"{s}";"{t}";"{mk}";"{md}";"SN{i:09d}";"Bâtiment A > Bureau {i % 400:03d}";"{dt}";'
        for i, e, s, t, mk, md, dt in zip(ids, entity, status, types, maker, model, date, strict=True)
    ]
    path.write_bytes(b"\xef\xbb\xbf" + ("\n".join(lines) + "\n").encode("utf-8"))


#: Each reading: (imports, timed code); the imports are not timed (they are the same for any file size).
READERS = {
    "baseline csv.reader": ("import csv, io", """
text = open(PATH, encoding="utf-8-sig").read()
n = sum(1 for _ in csv.reader(io.StringIO(text, newline=""), delimiter=";")) - 1
"""),
    "readers.read_rows": ("from helpers.io import readers", """
header, rows = readers.read_rows(PATH, "inventory.csv")
n = sum(1 for _ in rows)
"""),
    "inventory.read_inventory": ("""
from helpers.io.factors import load_categories
from helpers.io.inventory import read_inventory
from helpers.io.territory import load_territory
territory, categories = load_territory("test-mini"), load_categories()""", """
df = read_inventory(PATH, territory, categories)
n = sum(r.rows_read for r in df.attrs["import_report"])  # rows read, retired and in-stock ones included
"""),
}

#: The workbook part: the same export as an XLSX sheet (fewer rows: writing it with openpyxl is the slow part).
XLSX_READERS = {
    "baseline openpyxl read_only": ("from openpyxl import load_workbook", """
wb = load_workbook(PATH, read_only=True, data_only=True)
n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True)) - 1
wb.close()
"""),
    "readers.read_rows (xlsx)": ("from helpers.io import readers", """
header, rows = readers.read_rows(PATH, "inventory.xlsx")
n = sum(1 for _ in rows)
"""),
}


def generate_xlsx(csv_path: Path, path: Path, rows: int) -> None:
    """The first ``rows`` lines of the CSV export as a one-sheet workbook (openpyxl write-only mode), dates typed."""
    import csv
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Ordinateurs")
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        for i, cells in enumerate(csv.reader(fh, delimiter=";")):
            if i > rows:
                break
            cells = cells[:-1]  # GLPI's trailing delimiter
            if i:
                d, m, y = map(int, cells[-1].split("/"))
                cells[-1] = dt.datetime(y, m, d)
            ws.append(cells)
    wb.save(path)


DRIVER = """
import json, resource, sys, time
PATH = sys.argv[1]
{setup}
t0 = time.perf_counter()
{code}
seconds = time.perf_counter() - t0
try:  # peak RSS of this process's own memory (ru_maxrss would include the parent's at fork/exec on Linux)
    hwm_kb = int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1])
except (OSError, StopIteration):
    hwm_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"rows": n, "seconds": seconds, "peak_rss_mb": hwm_kb / 1024}}))
"""


def measure(name: str, path: Path, readers: dict | None = None) -> dict:
    """Run one reading in a fresh subprocess; its rows, seconds and peak RSS."""
    setup, code = (readers or READERS)[name]
    env = {"PYTHONPATH": str(ROOT / "src"), "OPENBLAS_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", DRIVER.format(setup=setup, code=code), str(path)], capture_output=True,
                          text=True, env=env, cwd=ROOT, check=False)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _print_table(results: dict, baseline: str) -> None:
    """Rows per second and peak RSS of each reading, and their ratios to ``baseline`` (added to ``results``)."""
    base = results[baseline]
    print(f"  {'reading':<30}{'rows/s':>12}{'× time':>9}{'peak RSS MB':>13}{'× RSS':>8}")
    for name, r in results.items():
        if "error" in r or "error" in base:
            print(f"  {name:<30} failed: {r.get('error') or base.get('error')}")
            continue
        r["rows_per_s"] = r["rows"] / r["seconds"] if r["seconds"] else float("inf")
        r["time_ratio_to_baseline"] = r["seconds"] / base["seconds"]
        r["rss_ratio_to_baseline"] = r["peak_rss_mb"] / base["peak_rss_mb"]
        print(f"  {name:<30}{r['rows_per_s']:>12,.0f}{r['time_ratio_to_baseline']:>9.1f}"
              f"{r['peak_rss_mb']:>13,.0f}{r['rss_ratio_to_baseline']:>8.1f}")


def main(rows: int = 1_000_000) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "ingest_inventory.csv"
    t0 = time.perf_counter()
    generate(path, rows)
    print(f"Ingest benchmark: {rows:,} per-asset rows, {path.stat().st_size / 1e6:.0f} MB "
          f"(generated in {time.perf_counter() - t0:.1f} s)")
    results = {name: measure(name, path) for name in READERS}
    _print_table(results, "baseline csv.reader")
    xlsx_rows = min(rows, XLSX_ROWS)
    xlsx = OUT / "ingest_inventory.xlsx"
    t0 = time.perf_counter()
    generate_xlsx(path, xlsx, xlsx_rows)
    print(f"\n  the same export as XLSX: {xlsx_rows:,} rows, {xlsx.stat().st_size / 1e6:.0f} MB "
          f"(generated in {time.perf_counter() - t0:.1f} s)")
    xlsx_results = {name: measure(name, xlsx, XLSX_READERS) for name in XLSX_READERS}
    _print_table(xlsx_results, "baseline openpyxl read_only")
    results.update(xlsx_results)
    xlsx.unlink()
    whole = results["inventory.read_inventory"]
    verdict = "error" if "error" in whole else ("under" if whole["peak_rss_mb"] < TARGET_PEAK_RSS_MB else "OVER")
    print(f"  whole ingest peak RSS {verdict} the {TARGET_PEAK_RSS_MB} MB target")
    (OUT / "ingest.json").write_text(json.dumps({"rows": rows, "file_bytes": path.stat().st_size,
                                                 "target_peak_rss_mb": TARGET_PEAK_RSS_MB, "results": results},
                                                indent=2, sort_keys=True) + "\n")
    path.unlink()
    return 0 if verdict == "under" else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000))
