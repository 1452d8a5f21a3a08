"""Atomic publication: ``data/processed/<slug>`` and ``outputs/<slug>`` switch together, by one ``os.replace``.

Layout (every path under ``outputs/``)::

    outputs/.generations/<slug>/
        current -> g-<id>             the one pointer, switched by a single atomic os.replace
        g-<id>/processed/             the published processed tables
        g-<id>/outputs/               the published diagnostic, summary.json, tables.xlsx, notebooks
        .staging/{processed,outputs}  a run being built (removed or renamed to g-<id> at its end)
    outputs/<slug>         -> .generations/<slug>/current/outputs      stable symlink, created once
    data/processed/<slug>  -> ../../outputs/.generations/<slug>/current/processed   stable symlink, created once

Both public paths go through ``current``: a reader sees the old generation or the new one for both, never a mix,
whatever instant a run is killed at (the two public symlinks never change after their creation; they are created,
dangling, *before* the first switch). A run:

1. :func:`repair` (under the territory lock): whatever an interrupted run left (``.staging``, generations other than
   the current one, the temporary pointer, the old layout's ``.staging-<slug>`` and ``.<slug>.previous`` folders,
   IPC sockets and connection files of kernels whose runner is dead) is removed; a publication in the old layout
   (real folders) is moved into a generation (once).
2. :func:`begin`: an empty ``.staging`` with ``processed/`` and ``outputs/`` (fixed names: the executed notebooks
   record the same paths run after run).
3. :func:`commit`: ``.staging`` renamed ``g-<id>``, public links created if missing, ``current`` switched by
   ``os.replace`` of a temporary symlink (the single atomic step), the previous generation removed.

Only the current generation is kept. ``make clean`` removes ``outputs/.generations`` with the rest.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from helpers.io import paths

STORE_NAME = ".generations"
CURRENT = "current"
STAGING = ".staging"
TMP_POINTER = ".current.tmp"
KERNEL_PREFIX = "snr-kernel-"


@dataclass(frozen=True)
class Staging:
    """Where a run writes before it is published."""

    slug: str
    root: Path

    @property
    def processed(self) -> Path:
        return self.root / "processed"

    @property
    def outputs(self) -> Path:
        return self.root / "outputs"


def store(slug: str) -> Path:
    """``outputs/.generations/<slug>``: the generations of one territory."""
    return paths.OUTPUTS_DIR / STORE_NAME / paths.check_slug(slug)


def current_generation(slug: str) -> str | None:
    """Name of the published generation (``g-…``), or None when nothing is published."""
    pointer = store(slug) / CURRENT
    try:
        target = os.readlink(pointer)
    except OSError:
        return None
    return target if (pointer.parent / target).is_dir() else None


def _public_links(slug: str) -> list[tuple[Path, str]]:
    """``(public path, symlink target)`` of the two public paths, targets relative to the link's folder."""
    base = store(slug) / CURRENT
    out = []
    for public, sub in ((paths.outputs_dir(slug), "outputs"), (paths.processed_dir(slug), "processed")):
        out.append((public, os.path.relpath(base / sub, public.parent)))
    return out


def _rmtree(path: Path) -> None:
    """Remove a folder, a file or a symlink (never follows a symlink); no error when absent."""
    if path.is_symlink() or path.is_file():
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def _symlink_replace(target: str, link: Path) -> None:
    """Make ``link`` a symlink to ``target`` atomically (a temporary link renamed over it)."""
    tmp = link.with_name(f".{link.name}.link-tmp")
    _rmtree(tmp)
    os.symlink(target, tmp)
    os.replace(tmp, link)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False when the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def _link_public(slug: str) -> None:
    """Create the two public symlinks if missing (a real folder of the old layout is swapped out atomically when
    the system allows it). Links already right are left untouched."""
    for public, target in _public_links(slug):
        public.parent.mkdir(parents=True, exist_ok=True)
        if public.is_symlink():
            if os.readlink(public) != target:
                _symlink_replace(target, public)
            continue
        if not public.exists():
            _symlink_replace(target, public)
            continue
        # a real folder (old layout), already copied into the current generation by _migrate
        old = public.with_name(f".{public.name}.previous")
        _rmtree(old)
        tmp = public.with_name(f".{public.name}.link-tmp")
        _rmtree(tmp)
        os.symlink(target, tmp)
        if _exchange(tmp, public):
            _rmtree(tmp)  # now the old real folder
        else:
            os.rename(public, old)
            os.replace(tmp, public)
            _rmtree(old)


def _new_generation_name(root: Path) -> str:
    name = f"g-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{os.getpid()}"
    n = 1
    while (root / name).exists():
        n += 1
        name = f"g-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{os.getpid()}-{n}"
    return name


def _migrate_old_layout(slug: str) -> bool:
    """A publication made by the old layout (real folders ``outputs/<slug>``, ``data/processed/<slug>``) becomes a
    generation: both folders are *copied* into one (the public folders stay readable meanwhile), the pointer is set,
    then :func:`_link_public` swaps each real folder for its link. True when there was one."""
    outputs, processed = paths.outputs_dir(slug), paths.processed_dir(slug)
    for final in (outputs, processed):  # the old two-rename swap interrupted between its renames
        prev = final.with_name(f".{final.name}.previous")
        if prev.is_dir() and not final.exists() and not final.is_symlink():
            os.rename(prev, final)
    real = [p for p in (outputs, processed) if p.is_dir() and not p.is_symlink()]
    if not real:
        return False
    root = store(slug)
    root.mkdir(parents=True, exist_ok=True)
    building = root / STAGING
    _rmtree(building)
    building.mkdir()
    for public, sub in ((outputs, "outputs"), (processed, "processed")):
        if public.is_dir() and not public.is_symlink():
            shutil.copytree(public, building / sub, symlinks=True)
        else:
            (building / sub).mkdir()
    name = _new_generation_name(root)
    os.rename(building, root / name)
    _switch(root, name)
    return True


def _switch(root: Path, name: str) -> None:
    """THE atomic step: ``current`` -> ``name`` by one ``os.replace`` of a temporary symlink."""
    tmp = root / TMP_POINTER
    _rmtree(tmp)
    os.symlink(name, tmp)
    os.replace(tmp, root / CURRENT)


def _dead_kernel_files(tmpdir: str | None = None) -> list[Path]:
    """IPC sockets and connection files ``snr-kernel-<pid>-…`` of runners that no longer exist."""
    folder = Path(tmpdir or tempfile.gettempdir())
    out = []
    for p in folder.glob(f"{KERNEL_PREFIX}*"):
        pid = p.name[len(KERNEL_PREFIX):].split("-", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            out.append(p)
        except PermissionError:  # alive, someone else's
            pass
    return out


def repair(slug: str) -> list[str]:
    """Bring the territory's publication to a clean state (call under the territory lock). Returns what was done,
    one French phrase per item (empty when there was nothing to do).

    Never changes what readers see, except to finish a switch an interrupted run had already made (public links
    missing while a generation is current) or to move an old-layout publication into a generation (same content).
    """
    done: list[str] = []
    for old in (paths.PROCESSED_DIR / f".staging-{slug}", paths.OUTPUTS_DIR / f".staging-{slug}"):
        if old.exists() or old.is_symlink():
            _rmtree(old)
            done.append(f"dossier de travail {old.name} d'une exécution interrompue supprimé")
    if current_generation(slug) is None and _migrate_old_layout(slug):
        done.append("publication existante déplacée dans une génération (nouvelle organisation)")
    current = current_generation(slug)
    done += _drop_unpublished(slug, current)
    if current is not None:
        before = [p.is_symlink() for p, _ in _public_links(slug)]
        _link_public(slug)
        if not all(before):
            done.append("liens de publication rétablis")
    return done + _drop_leftovers(slug)


def _drop_unpublished(slug: str, current: str | None) -> list[str]:
    """Every entry of the territory's store but the current generation removed (unpublished generations, working
    folders; a dangling ``current`` link when no generation is current); one French phrase per removal."""
    done: list[str] = []
    root = store(slug)
    if not root.is_dir():
        return done
    for entry in sorted(root.iterdir()):
        if entry.name in (CURRENT, current):
            continue
        _rmtree(entry)
        what = "génération non publiée" if entry.name.startswith("g-") else "dossier de travail"
        done.append(f"{what} {entry.name} d'une exécution interrompue supprimé(e)")
    if current is None and (root / CURRENT).is_symlink():
        _rmtree(root / CURRENT)
    return done


def _drop_leftovers(slug: str) -> list[str]:
    """The leftovers of an interrupted switch of public links and the files of dead kernels removed; one French
    phrase per removal."""
    done: list[str] = []
    for public, _ in _public_links(slug):
        for leftover in (public.with_name(f".{public.name}.previous"), public.with_name(f".{public.name}.link-tmp")):
            if leftover.exists() or leftover.is_symlink():
                _rmtree(leftover)
                done.append(f"reste {leftover.name} d'une exécution interrompue supprimé")
    for p in _dead_kernel_files():
        with contextlib.suppress(OSError):
            p.unlink()
            done.append(f"fichier de noyau orphelin {p.name} supprimé")
    return done


def begin(slug: str) -> Staging:
    """An empty staging area ``.staging/{processed,outputs}`` for a run (call after :func:`repair`)."""
    root = store(slug)
    root.mkdir(parents=True, exist_ok=True)
    staging = Staging(slug, root / STAGING)
    _rmtree(staging.root)
    staging.processed.mkdir(parents=True)
    staging.outputs.mkdir()
    return staging


def commit(staging: Staging) -> str:
    """Publish ``staging``: rename it to a new generation, make sure the public links exist, switch ``current`` in
    one ``os.replace``, remove the previous generation. Returns the new generation's name.

    If anything fails before the switch, the previous publication is untouched (the new generation is removed on
    the way out, or by the next :func:`repair`); after the switch, only the clean-up of the old one can fail, and
    the next :func:`repair` finishes it.
    """
    root = staging.root.parent
    name = _new_generation_name(root)
    previous = current_generation(staging.slug)
    os.rename(staging.root, root / name)
    try:
        _link_public(staging.slug)
        _switch(root, name)
    except BaseException:
        if current_generation(staging.slug) != name:
            with contextlib.suppress(OSError):
                _rmtree(root / name)
        raise
    if previous and previous != name:
        try:  # published: a failure of the clean-up must not make the run look failed; the next repair ends it
            _rmtree(root / previous)
        except OSError:
            pass
    return name


def abort(staging: Staging) -> None:
    """Remove a staging area (a failed or interrupted run); the store folder too when it holds nothing.

    Never raises: on Ctrl-C, threads of the interrupted run may still write into the staging area while it is
    removed (a few retries); whatever stays is removed by the next run's :func:`repair`.
    """
    for attempt in range(3):
        try:
            _rmtree(staging.root)
            break
        except OSError:
            time.sleep(0.2 * (attempt + 1))
    root = staging.root.parent
    with contextlib.suppress(OSError):
        if root.is_dir() and not any(root.iterdir()):
            root.rmdir()
