"""Safe, bounded readers for the input files of a territory (CSV, XLSX, ODS).

Every input file is untrusted: it may be a symbolic link to ``/etc/passwd`` or ``/dev/zero``, a FIFO that blocks
forever, a 7.9 KB workbook that declares a million rows, a zip bomb, a 50 MB field. :func:`check_input_file` refuses
what must never be opened, *before* any read; the readers below then stream the content with a cap on every
dimension. Each cap is a module constant documented here and in ``SECURITY.md``; an input beyond a cap is refused
with a French message that names the file and the cap.

Caps (see each constant):

- :data:`MAX_CSV_BYTES`, :data:`MAX_WORKBOOK_BYTES` — size of a file on disk;
- :data:`MAX_ZIP_MEMBER_BYTES`, :data:`MAX_ZIP_TOTAL_BYTES`, :data:`MAX_ZIP_MEMBERS` — uncompressed content of an
  XLSX/ODS (zip bomb);
- :data:`MAX_FIELD_CHARS` — one cell;
- :data:`MAX_ROWS`, :data:`MAX_COLUMNS` — data rows and columns of one table;
- :data:`MAX_PROBLEM_EXAMPLES` — examples kept per (file, column, kind of problem).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from helpers.errors import InputError, InputProblem, display_path

# --- caps -------------------------------------------------------------------------------------------------------------

#: Largest CSV file read (bytes). A 1,000,000-row per-asset GLPI export is about 100-150 MB; 256 MiB leaves room for
#: wide exports while bounding the memory of one read (the text is decoded in memory).
MAX_CSV_BYTES = 256 * 1024 * 1024

#: Largest XLSX/ODS file read (bytes, compressed on disk). Excel's own limit is 1,048,576 rows; such a sheet of ten
#: columns compresses to about 30-60 MB.
MAX_WORKBOOK_BYTES = 64 * 1024 * 1024

#: Largest uncompressed member of an XLSX/ODS zip (bytes): bounds a zip bomb (a few KB that expand to gigabytes). The
#: sheet XML of a 1,048,576 x 10 sheet is about 300-400 MB.
MAX_ZIP_MEMBER_BYTES = 512 * 1024 * 1024

#: Largest total uncompressed size of all the members of an XLSX/ODS (bytes).
MAX_ZIP_TOTAL_BYTES = 1024 * 1024 * 1024

#: Most members in an XLSX/ODS zip (a workbook has a few dozen).
MAX_ZIP_MEMBERS = 10_000

#: Longest cell (characters): 32,767 is Excel's own limit for the text of one cell.
MAX_FIELD_CHARS = 32_767

#: Most data rows in one table (rows below the header, blank rows not counted): twice Excel's 1,048,576 rows, and
#: twice the 1,000,000-row inventory measured by ``make bench``.
MAX_ROWS = 2_000_000

#: Most columns in one table: asset-tool exports have tens of columns (GLPI's widest list views about 100). Empty
#: cells beyond the cap are ignored; a non-empty one is an error.
MAX_COLUMNS = 1_024

#: Examples (line, value) kept per (file, column, kind of problem); the others are only counted.
MAX_PROBLEM_EXAMPLES = 5


def _refuse(file: str, expected: str, value=None) -> InputError:
    return InputError(InputProblem(file, None, None, value, expected))


def check_input_file(path: str | Path, root: str | Path, *, max_bytes: int, file: str | None = None) -> Path:
    """Return the resolved ``path`` if it is safe to open, else raise :class:`InputError` before any read.

    Refused, with a French message naming the file (``file``, default the path as given):

    - a missing file;
    - a path, or a symbolic link, whose target lies outside ``root`` (the territory folder ``data/raw/<slug>/``, or
      the reference library's own folder): nothing of the target is read or quoted;
    - anything that is not a regular file: folder, FIFO (opening one blocks forever), character or block device
      (``/dev/zero`` never ends), socket;
    - a file larger than ``max_bytes`` (the cap is named in the message).

    Only ``os.stat`` metadata is consulted; the file is not opened.
    """
    path = Path(path)
    name = file or str(path)
    try:
        root_real = Path(root).resolve(strict=False)
        real = path.resolve(strict=True)
    except FileNotFoundError:
        if path.is_symlink():
            raise _refuse(name, "un fichier ; ce lien symbolique pointe vers un fichier absent (le lien n'est pas suivi)") from None
        raise _refuse(name, "ce fichier (il est absent ; voir le README du dossier)") from None
    except (OSError, RuntimeError) as exc:  # symlink loop, permission denied on a parent
        raise _refuse(name, f"un fichier lisible (chemin impossible à résoudre : {type(exc).__name__})") from None
    if real != root_real and root_real not in real.parents:
        raise _refuse(
            name,
            f"un fichier situé dans le dossier {display_path(root_real)}/ ; ce chemin (ou lien symbolique) mène hors du dossier, "
            "il n'est pas lu",
        )
    try:
        st = os.stat(real)
    except OSError as exc:
        raise _refuse(name, f"un fichier lisible ({type(exc).__name__})") from None
    if not stat.S_ISREG(st.st_mode):
        kind = (
            "un dossier" if stat.S_ISDIR(st.st_mode)
            else "un tube nommé (FIFO)" if stat.S_ISFIFO(st.st_mode)
            else "un périphérique" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
            else "une socket" if stat.S_ISSOCK(st.st_mode)
            else "un fichier spécial"
        )
        raise _refuse(name, f"un fichier ordinaire ; c'est {kind}, il n'est pas lu")
    if st.st_size > max_bytes:
        raise _refuse(
            name,
            f"un fichier d'au plus {_human_bytes(max_bytes)} (plafond de sécurité) ; "
            f"il fait {_human_bytes(st.st_size)}, il n'est pas lu",
        )
    return real


def _human_bytes(n: int) -> str:
    """``n`` bytes as French text: ``256 Mio``, ``1,5 Gio``, ``812 octets``."""
    for unit, size in (("Gio", 1024**3), ("Mio", 1024**2), ("Kio", 1024)):
        if n >= size:
            value = n / size
            text = f"{value:.0f}" if value >= 10 or value.is_integer() else f"{value:.1f}".replace(".", ",")
            return f"{text} {unit}"
    return f"{n} octets"


def open_checked(real: Path):
    """Open a file returned by :func:`check_input_file` for binary reading, re-checking it is a regular file.

    ``O_NONBLOCK`` keeps the open from blocking if the path was swapped for a FIFO after the check; ``fstat`` on the
    open descriptor then refuses it.
    """
    fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _refuse(str(real), "un fichier ordinaire (il a changé pendant la lecture)")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
