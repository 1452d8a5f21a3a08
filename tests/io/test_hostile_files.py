"""Input files that are present but not what they seem (issue 31, cases 2, 7 and 8).

Case 2: an optional input that is a dangling or looping symbolic link was treated as absent and dropped a whole tier
silently (661 → 609 t); now it is an error naming the file, and the import report lists every file considered,
the optional ones found absent too.

Case 7: a 1,216-byte ODS (one row of repeated cells repeated 1,999,999 times) cost 145 s and 2.56 GB and was accepted;
now every table is capped in cells, repeats counted before they are expanded (read in a subprocess bounded in memory
and time, as in ``tests/io/test_readers_hostile.py``).

Case 8: a hard link to ``/etc/passwd`` named ``hosting.csv`` was read and its first line quoted in a warning; now a
file with more than one link, or on another device than its folder, is refused before any read, and a message quotes
at most the offending cell (cut at 80 characters).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

import helpers
from helpers.io import paths, readers
from helpers.io.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
SRC = str(Path(helpers.__file__).resolve().parents[1])
SECRET = "root:x:0:0:root:/root:/bin/bash"


@pytest.fixture
def territory(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "RAW_DIR", tmp_path / "raw")
    monkeypatch.setattr(paths, "PROCESSED_DIR", tmp_path / "processed")
    folder = tmp_path / "raw" / "t31"
    shutil.copytree(ROOT / "data" / "raw" / "test-mini", folder)
    return folder


def ingest(tmp_path):
    from helpers.run.study import compute_sections

    compute_sections("t31", n_draws=100, processed_dir=tmp_path / "processed" / "t31", sections=["ingest"])


# --- case 2: present but unreadable ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["hosting.csv", "telecom.csv", "purchases.csv", "printing.csv", "services.csv"])
def test_a_dangling_link_in_place_of_an_optional_file_is_an_error_not_an_absent_file(tmp_path, territory, name):
    (territory / name).unlink()
    (territory / name).symlink_to(territory / "gone.csv")
    with pytest.raises(InputError) as exc:
        ingest(tmp_path)
    message = str(exc.value)
    assert f"{name} : attendu un fichier ; ce lien symbolique pointe vers un fichier absent" in message


def test_a_looping_link_is_an_error_naming_the_file(tmp_path, territory):
    (territory / "telecom.csv").unlink()
    (territory / "telecom.csv").symlink_to(territory / "loop.csv")
    (territory / "loop.csv").symlink_to(territory / "telecom.csv")
    with pytest.raises(InputError) as exc:
        ingest(tmp_path)
    assert "telecom.csv : attendu un fichier lisible (chemin impossible à résoudre" in str(exc.value)


def test_a_dangling_inventory_link_beside_an_inventory_folder_is_not_skipped(tmp_path, territory):
    folder = territory / "inventory"
    folder.mkdir()
    shutil.copy(territory / "inventory.csv", folder / "parc.csv")
    (territory / "inventory.csv").unlink()
    (territory / "inventory.csv").symlink_to(territory / "ancien.csv")
    with pytest.raises(InputError) as exc:
        ingest(tmp_path)
    assert "inventory.csv : attendu un fichier ; ce lien symbolique pointe vers un fichier absent" in str(exc.value)


def test_a_file_that_cannot_be_opened_is_an_error_naming_it(tmp_path, monkeypatch):
    """Permission denied (simulated: the tests may run as root, who reads everything)."""
    path = tmp_path / "hosting.csv"
    path.write_text("site_id\nx\n", encoding="utf-8")
    real_open = os.open
    target = str(path.resolve())

    def denied(p, *a, **k):
        if str(p) == target:
            raise PermissionError(13, "Permission denied", str(p))
        return real_open(p, *a, **k)
    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(InputError, match=r"hosting\.csv : attendu un fichier lisible \(permission refusée\)"):
        readers.read_rows(path, "hosting.csv")


def test_the_import_report_lists_the_optional_files_found_absent(tmp_path, territory):
    for name in ("telecom.csv", "printing.csv"):
        (territory / name).unlink()
    ingest(tmp_path)
    report = (tmp_path / "processed" / "t31" / "import_report.csv").read_text(encoding="utf-8")
    for name in ("telecom.csv", "printing.csv", "rgesn.csv", "actions.csv", "factor_overrides.csv"):
        assert f"raw/t31/{name},absent,,0,absent : fichier facultatif non fourni" in report, name
    from helpers.report.ingest import import_report_console

    console = import_report_console(tmp_path / "processed" / "t31")
    assert "raw/t31/telecom.csv : absent (fichier facultatif non fourni)" in console


# --- case 8: links out of the folder, quoted cells ---------------------------------------------------------------------


def test_a_hard_link_to_a_file_outside_the_folder_is_refused_and_nothing_of_it_is_quoted(tmp_path, territory):
    secret = tmp_path / "passwd"  # a file outside the territory folder, on the same file system
    secret.write_text(SECRET + "\n" + "daemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n", encoding="utf-8")
    (territory / "hosting.csv").unlink()
    os.link(secret, territory / "hosting.csv")
    with pytest.raises(InputError) as exc:
        ingest(tmp_path)
    message = str(exc.value) + "".join(str(w) for w in exc.value.warnings)
    assert "hosting.csv : attendu un fichier à un seul lien physique ; celui-ci en a 2" in message
    assert "root:" not in message and "/bin/bash" not in message and "nologin" not in message


def test_a_file_on_another_device_than_its_folder_is_refused(tmp_path, monkeypatch):
    """A mount point inside the territory folder (simulated: the file's ``st_dev`` differs from the folder's)."""
    folder = tmp_path / "t"
    folder.mkdir()
    path = folder / "hosting.csv"
    path.write_text("site_id\nx\n", encoding="utf-8")
    real_stat = os.stat
    target = str(path.resolve())

    def stat(p, *a, **k):
        st = real_stat(p, *a, **k)
        if str(p) == target:
            return os.stat_result((st.st_mode, st.st_ino, st.st_dev + 1) + tuple(st)[3:])
        return st
    monkeypatch.setattr(os, "stat", stat)
    with pytest.raises(InputError, match="un fichier du même système de fichiers que le dossier"):
        readers.check_input_file(path, folder, max_bytes=1000, file="hosting.csv")


def test_a_message_quotes_at_most_the_offending_cell_cut_short(tmp_path):
    """A 5,000-character cell is quoted on 80 characters with its length; an unknown header of 3,000 characters on
    40; 201 unknown columns: 10 named, the others counted."""
    from helpers.io.tables import Column, Schema, read_table

    schema = Schema(file="x.csv", columns=(Column("label", required=True), Column("kwh", "float", min=0, max=10)))
    long = "x" * 5000
    head = ["label", "kwh", "y" * 3000] + [f"extra{i}" for i in range(200)]
    path = tmp_path / "x.csv"
    path.write_text(";".join(head) + "\n" + f"a;{long}" + ";" * 201 + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_table(path, schema)
    message = str(exc.value)
    assert f"trouvé '{'x' * 80}'… (5000 caractères)" in message and "x" * 81 not in message
    assert "y" * 40 + "…" in message and "y" * 41 not in message and "… et 191 autres" in message


# --- case 7: the ODS reader bounded like the XLSX one ------------------------------------------------------------------

MEMORY_LIMIT_BYTES = 1536 * 1024 * 1024
DRIVER = textwrap.dedent("""
    import json, sys, time
    from helpers.io import readers
    from helpers.io.errors import InputError
    t0 = time.monotonic()
    try:
        header, rows = readers.read_rows(sys.argv[1], "inventory.ods")
        out = {"rows": sum(1 for _ in rows)}
    except InputError as exc:
        out = {"error": str(exc)}
    out["seconds"] = time.monotonic() - t0
    out["maxrss_kb"] = int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1])
    print(json.dumps(out))
""")


def _ods(path: Path, rows: int, cols: int, header: bool = True) -> Path:
    """An ODS of ``rows`` repeated rows of ``cols`` repeated numeric cells (LibreOffice's own repeat attributes)."""
    head = ('<table:table-row><table:table-cell office:value-type="string"><text:p>line_id</text:p>'
            '</table:table-cell><table:table-cell office:value-type="string"><text:p>quantity</text:p>'
            '</table:table-cell></table:table-row>') if header else ""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
        '<office:spreadsheet><table:table table:name="Feuille1">' + head
        + f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell office:value-type="float" '
        f'office:value="1" table:number-columns-repeated="{cols}"><text:p>1</text:p></table:table-cell>'
        '</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content)
    return path


def _limit():  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


def bounded_read(path: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=SRC, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, "-c", DRIVER, str(path)], capture_output=True, text=True, env=env,
                          timeout=120, preexec_fn=_limit, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("header", [True, False])
def test_a_tiny_ods_of_two_billion_repeated_cells_is_refused_at_once(tmp_path, header):
    path = _ods(tmp_path / "inventory.ods", rows=1_999_999, cols=readers.MAX_COLUMNS, header=header)
    assert path.stat().st_size < 2_000
    out = bounded_read(path)
    assert "au plus 30 000 000 cellules dans un tableau" in out["error"] and "inventory.ods" in out["error"]
    assert out["maxrss_kb"] < 300_000  # refused before the repeat is expanded (2.56 GB and 145 s before)


def test_repeated_rows_within_the_cell_cap_are_read(tmp_path):
    """LibreOffice writes identical consecutive rows once with a repeat count: a per-asset export of 20,000
    identical lines is 20,000 rows."""
    out = bounded_read(_ods(tmp_path / "inventory.ods", rows=20_000, cols=2))
    assert out["rows"] == 20_000


def test_the_cell_cap_holds_for_csv_too(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_CELLS", 1_000)
    path = tmp_path / "inventory.csv"
    path.write_text("a;b;c;d\n" + "1;2;3;4\n" * 300, encoding="utf-8")
    header, rows = readers.read_rows(path, "inventory.csv")
    with pytest.raises(InputError, match="au plus 1 000 cellules"):
        list(rows)
