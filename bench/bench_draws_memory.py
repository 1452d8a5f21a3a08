"""Peak memory of a territory's computation against the Monte Carlo draws (issue 31: ``DRAWS`` = 1,000,000 needed 5.7 GB).

Each measure runs every section in a fresh interpreter (``helpers.run.study.compute_sections``, what ``make batch``
runs; the notebooks add their kernels' own memory) in a temporary copy of the project and reads its peak resident
memory (``VmHWM``). Territories: La Rochelle (4 entities) and La Rochelle with 100 more entities, one inventory line
each. The measures fit ``helpers.run.pipeline.draws_memory_bytes``, which refuses draws beyond 2 GB per territory.

Usage: ``python bench/bench_draws_memory.py [--draws 10000,100000]``; prints one JSON line per measure and writes
``outputs/bench/draws_memory.json``. Not part of ``make test`` (it takes minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = """
import sys, time
from helpers.run.study import compute_sections
t0 = time.perf_counter()
compute_sections(sys.argv[1], n_draws=int(sys.argv[2]), processed_dir=sys.argv[3])
hwm = int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1])
print(hwm, time.perf_counter() - t0)
"""


def with_entities(raw: Path, n: int) -> str:
    slug = f"lr-plus-{n}"
    dest = raw / slug
    shutil.copytree(raw / "la-rochelle", dest)
    text = (dest / "territory.yaml").read_text(encoding="utf-8")
    extra = "".join(f'  - {{id: commune-{i:03d}, name: "Commune {i}", kind: commune}}\n' for i in range(n))
    (dest / "territory.yaml").write_text(text.replace("peers:\n", extra + "peers:\n", 1), encoding="utf-8")
    lines = (dest / "inventory.csv").read_text(encoding="utf-8").splitlines()
    fields = lines[1].split(",")
    for i in range(n):
        fields[0], fields[1] = f"C-{i:03d}", f"commune-{i:03d}"
        lines.append(",".join(fields))
    (dest / "inventory.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return slug


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from helpers.run.pipeline import draws_memory_bytes

    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", default="10000,100000")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for sub in ("data/raw/reference", "data/raw/la-rochelle"):
            shutil.copytree(ROOT / sub, root / sub)
        territories = {"la-rochelle": 4, with_entities(root / "data/raw", 100): 104}
        env = dict(os.environ, SNR_PROJECT_ROOT=str(root), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
        for slug, entities in territories.items():
            for draws in (int(d) for d in args.draws.split(",")):
                proc = subprocess.run([sys.executable, "-c", CODE, slug, str(draws), str(root / "p" / f"{slug}-{draws}")],
                                      capture_output=True, text=True, env=env, check=True)
                kb, seconds = proc.stdout.split()
                row = {"territory": slug, "entities": entities, "draws": draws, "peak_mb": round(int(kb) / 1024),
                       "estimate_mb": round(draws_memory_bytes(entities, draws) / 1024**2), "seconds": float(seconds)}
                print(json.dumps(row), flush=True)
                results.append(row)
    out = ROOT / "outputs" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "draws_memory.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
