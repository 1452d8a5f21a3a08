"""Run the whole study for one territory: the notebook chain, then the published diagnostic.

All notebooks run from this one Python process (papermill imported once), each in a fresh kernel for isolation
(``tooling-findings.md`` §2.2). Notebooks that only depend on ``01_ingest`` (carbon balance, services, maturity) run
side by side, one kernel per core (:data:`WAVES`); each writes only its own tables, so the results do not depend on
the order in which they finish. Everything is built into staging folders; only when every step succeeded are they
swapped into ``data/processed/<slug>/`` and ``outputs/<slug>/``. A failure or an interruption therefore leaves the
previously published results exactly as they were.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from helpers import paths
from helpers.errors import InputError

NOTEBOOKS = ("01_ingest", "02_carbon_balance", "03_services_lca", "04_maturity", "05_actions")
#: dependency waves: a notebook reads only what the notebooks of earlier waves wrote (docs/architecture.md)
WAVES = (("01_ingest",), ("02_carbon_balance", "03_services_lca", "04_maturity"), ("05_actions",))
DEFAULT_SEED = 20200101
DEFAULT_DRAWS = 10_000

DETERMINISM_ENV = {
    "PYTHONHASHSEED": "0",
    "SOURCE_DATE_EPOCH": "0",
    "MPLBACKEND": "Agg",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}


class StudyFailed(Exception):
    """A step of the study failed; the message says which and why (no traceback needed)."""


@dataclass
class StudyResult:
    slug: str
    diagnostic: Path
    summary: Path
    timings_s: dict[str, float] = field(default_factory=dict)


def code_version() -> str:
    """Package version plus the git commit when the code runs from a clone."""
    from helpers import __version__

    try:
        out = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=paths.PROJECT_ROOT,
                             capture_output=True, text=True, timeout=5)
        commit = out.stdout.strip() if out.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{__version__}+{commit}" if commit else __version__


def _previous(final: Path) -> Path:
    return final.with_name(f".{final.name}.previous")


def _recover(final: Path) -> None:
    """Undo a swap interrupted between its two renames."""
    prev = _previous(final)
    if prev.exists():
        if not final.exists():
            prev.rename(final)
        else:
            shutil.rmtree(prev)


def _swap_in(staging: Path, final: Path) -> None:
    prev = _previous(final)
    if final.exists():
        final.rename(prev)
    staging.rename(final)
    if prev.exists():
        shutil.rmtree(prev)


@contextlib.contextmanager
def _territory_lock(slug: str):
    paths.OUTPUTS_DIR.mkdir(parents=True, exist_ok=True)
    lock_path = paths.OUTPUTS_DIR / f".{slug}.lock"
    with open(lock_path, "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StudyFailed(f"another run of the study for '{slug}' is in progress") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _ipc_kernel_manager_class():
    """Kernels talk to this process over local IPC sockets instead of loopback TCP (no plain-text TCP port)."""
    import tempfile
    import uuid

    from jupyter_client.manager import AsyncKernelManager
    from traitlets import Unicode, default

    class IPCKernelManager(AsyncKernelManager):
        transport = Unicode("ipc")

        @default("ip")
        def _unique_ipc_path(self) -> str:
            # jupyter_client numbers IPC sockets after a relative "kernel-ipc" prefix, checking which files exist:
            # two kernels starting at once would race for the same names. A unique absolute prefix per kernel.
            return os.path.join(tempfile.gettempdir(), f"snr-kernel-{os.getpid()}-{uuid.uuid4().hex[:12]}")

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            # The kernel process's own log (not the cells' output, which comes back through the notebook) only holds
            # jupyter_client's shutdown noise ("KeyboardInterrupt caught in kernel" after the interrupt it sends
            # before every shutdown). Shown with --debug / SNR_DEBUG=1.
            if os.environ.get("SNR_DEBUG") != "1":
                kw.setdefault("stderr", subprocess.DEVNULL)
            return await super()._async_launch_kernel(kernel_cmd, **kw)

    return IPCKernelManager


def _describe_failure(nb_name: str, exc) -> str:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    if ename == "InputError" and os.environ.get("SNR_DEBUG") != "1":
        return evalue  # the input problems only; the notebook and cell stay under --debug (issue 17)
    exec_count = getattr(exc, "exec_count", None)
    source = (getattr(exc, "source", "") or "").strip().splitlines()
    first = source[0] if source else ""
    where = f"cell {exec_count}" if exec_count is not None else "a cell"
    msg = [f"notebook {nb_name} failed in {where} ({first[:80]!r}):"]
    if ename == "InputError":
        msg.append(evalue)
    else:
        msg.append(f"{ename}: {evalue}")
    return "\n".join(msg)


def run_study(slug: str, seed: int = DEFAULT_SEED, n_draws: int = DEFAULT_DRAWS, notebooks=NOTEBOOKS,
              kernel_name: str = "python3", quiet: bool = False) -> StudyResult:
    """Run the notebook chain for ``slug`` and publish ``outputs/<slug>/diagnostic.html`` and ``summary.json``.

    Raises
    ------
    InputError
        the territory description is invalid (nothing was run).
    StudyFailed
        a notebook or the publishing step failed; the message names the notebook, the cell and the error.
    """
    from helpers.territory import load_territory

    def say(msg: str, end: str = "\n") -> None:
        if not quiet:
            print(msg, end=end, flush=True)

    slug = paths.check_slug(slug)
    territory = load_territory(slug)  # fail fast and clearly on a bad territory.yaml
    os.environ.update(DETERMINISM_ENV)
    final_processed, final_outputs = paths.processed_dir(slug), paths.outputs_dir(slug)
    staging_processed = paths.PROCESSED_DIR / f".staging-{slug}"
    staging_outputs = paths.OUTPUTS_DIR / f".staging-{slug}"
    timings: dict[str, float] = {}
    t_start = time.perf_counter()
    with _territory_lock(slug):
        for final in (final_processed, final_outputs):
            _recover(final)
        for staging in (staging_processed, staging_outputs):
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir(parents=True)
        try:
            import papermill as pm
            from papermill.exceptions import PapermillExecutionError

            executed_dir = staging_outputs / "notebooks"
            executed_dir.mkdir()
            rel_processed = os.path.relpath(staging_processed, paths.NOTEBOOKS_DIR)
            params = {"territory": slug, "seed": int(seed), "processed_dir": rel_processed, "n_draws": int(n_draws)}
            km_class = _ipc_kernel_manager_class()

            def execute(name: str) -> float:
                t0 = time.perf_counter()
                pm.execute_notebook(
                    str(paths.NOTEBOOKS_DIR / f"{name}.ipynb"), str(executed_dir / f"{name}.ipynb"),
                    parameters=params, kernel_name=kernel_name, progress_bar=False, log_output=False,
                    record_timing=False, kernel_manager_class=km_class,
                    # the kernel starts in notebooks/ (nbclient's resource path), as in JupyterLab; papermill's
                    # own ``cwd`` would chdir this whole process, which parallel notebooks cannot share
                    resources={"metadata": {"path": str(paths.NOTEBOOKS_DIR)}},
                )
                return time.perf_counter() - t0

            for wave in _waves(notebooks):
                results = _run_wave(wave, execute, max(1, min(len(wave), os.cpu_count() or 1)), say)
                for name in wave:  # report the first failure in the notebooks' order
                    outcome = results[name]
                    if isinstance(outcome, PapermillExecutionError):
                        _keep_failed(slug, executed_dir / f"{name}.ipynb")
                        raise StudyFailed(_describe_failure(name, outcome)) from None
                    if isinstance(outcome, BaseException):
                        raise outcome
                    timings[name] = outcome
            executed = [executed_dir / f"{name}.ipynb" for name in notebooks]
            t0 = time.perf_counter()
            say("▶ publication du diagnostic …", end=" ")
            try:
                _publish(territory, executed, staging_processed, staging_outputs)
            except StudyFailed:
                _keep_rejected(slug, staging_processed, staging_outputs)
                raise
            timings["publish"] = time.perf_counter() - t0
            say(f"{timings['publish']:.1f} s")
            _swap_in(staging_processed, final_processed)
            _swap_in(staging_outputs, final_outputs)
        finally:
            for staging in (staging_processed, staging_outputs):
                shutil.rmtree(staging, ignore_errors=True)
    timings["total"] = time.perf_counter() - t_start
    return StudyResult(slug, final_outputs / "diagnostic.html", final_outputs / "summary.json", timings)


def _waves(notebooks) -> list[tuple[str, ...]]:
    """The requested notebooks grouped by :data:`WAVES` (a notebook outside them runs alone, in order)."""
    wanted = list(notebooks)
    out: list[tuple[str, ...]] = []
    for name in wanted:
        wave = next((w for w in WAVES if name in w), (name,))
        group = tuple(n for n in wave if n in wanted)
        if group not in out:
            out.append(group)
    return out


def _run_wave(wave: tuple[str, ...], execute, workers: int, say) -> dict:
    """Run the notebooks of one wave (in parallel threads when ``workers`` > 1); name -> seconds or exception.

    Threads are daemons: on Ctrl-C the main thread stops waiting at once, the staging folders are removed, and the
    kernels exit with this process (they watch their parent). Nothing is published.
    """
    import queue
    import threading

    results: dict = {}
    if workers == 1:
        for name in wave:
            say(f"▶ {name} …", end=" ")
            try:
                results[name] = execute(name)
            except Exception as exc:  # reported by the caller, in order
                results[name] = exc
                say("échec")
                break
            say(f"{results[name]:.1f} s")
        return results
    say(f"▶ {', '.join(wave)} : en parallèle sur {workers} cœurs")
    done: queue.Queue = queue.Queue()
    pending = list(wave)
    running: set[str] = set()

    def work(name: str) -> None:
        try:
            done.put((name, execute(name)))
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            done.put((name, exc))

    def start_next() -> None:
        name = pending.pop(0)
        running.add(name)
        threading.Thread(target=work, args=(name,), name=f"snr-{name}", daemon=True).start()

    while pending and len(running) < workers:
        start_next()
    while running:
        name, outcome = done.get()
        running.discard(name)
        results[name] = outcome
        say(f"▶ {name} … " + ("échec" if isinstance(outcome, BaseException) else f"{outcome:.1f} s"))
        if pending and not any(isinstance(v, BaseException) for v in results.values()):
            start_next()
    return results


def _keep_failed(slug: str, executed: Path) -> None:
    """Keep the failed executed notebook for inspection, outside the published folder."""
    if executed.exists():
        dest = paths.OUTPUTS_DIR / ".failed" / slug
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True)
        shutil.copy2(executed, dest / executed.name)


def _keep_rejected(slug: str, processed: Path, outputs: Path) -> None:
    """Keep a run whose publication was refused (tables, executed notebooks, rejected page) for inspection."""
    dest = paths.OUTPUTS_DIR / ".failed" / slug
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    shutil.copytree(processed, dest / "processed")
    shutil.copytree(outputs, dest / "outputs")


def _publish(territory, executed: list[Path], processed: Path, outputs: Path) -> None:
    import html

    import nbformat

    from helpers import publish

    for path in executed:
        nb = nbformat.read(path, as_version=4)
        publish.normalise_notebook(nb, path.stem)
        nbformat.write(nb, path)
    digest, files = publish.sha256_files(
        publish.input_files(paths.raw_dir(territory.slug), paths.REFERENCE_DIR), paths.PROJECT_ROOT)
    version = code_version()
    summary = publish.assemble_summary(processed, territory, digest, files, version)
    publish.write_summary(summary, outputs / "summary.json")
    merged = publish.merge_notebooks(executed)
    factors_used, changes = _factors_used(territory, processed)
    from nbformat.v4 import new_markdown_cell

    from helpers import sections

    merged.cells.insert(0, new_markdown_cell(sections.synthesis_markdown(summary), id="synthese"))
    merged.cells.append(new_markdown_cell(sections.method_markdown(summary, processed, factors_used, changes),
                                          id="methode"))
    _write_tables(processed, outputs, factors_used)
    name = html.escape(territory.name)
    header = [f"<p>{name} — année de référence {territory.reference_year} — objectif {territory.target_year}.</p>"]
    if territory.illustrative:
        header.append('<p class="note">Jeu de données <strong>illustratif</strong> : une partie des quantités sont des '
                      "hypothèses, signalées comme telles dans la section Méthode.</p>")
    factors = html.escape(str(summary.get("factors_version", "n.d.")))
    footer = (f"<p>Produit par snr-diagnostic {html.escape(version)} — facteurs {factors} — empreinte des entrées "
              f"sha256 {digest[:16]}. Code sous licence EUPL-1.2.</p>")
    page = publish.render_html(merged, f"Diagnostic numérique responsable — {territory.name}", "\n".join(header), footer)
    over = publish.check_page_budget(page)
    if over:
        (outputs / "diagnostic.html").write_text(page, encoding="utf-8")
        raise StudyFailed("the published diagnostic breaks its sobriety budget: " + "; ".join(over)
                          + f" (the rejected page is outputs/.failed/{territory.slug}/outputs/diagnostic.html)")
    (outputs / "diagnostic.html").write_text(page, encoding="utf-8")


def _factors_used(territory, processed: Path):
    """The factor table after the territory's overrides, and the table of changes (for the method section)."""
    import pandas as pd

    from helpers import factors as fx
    from helpers import safe_write

    table = fx.load_factors()
    changes = []
    overrides_path = processed / "factor_overrides.csv"
    if overrides_path.exists():
        table, change = fx.apply_overrides(table, safe_write.read_csv(overrides_path))
        changes.append(change)
    if territory.electricity_factor_kgco2e_per_kwh is not None:
        table, change = fx.electricity_override(table, territory.electricity_factor_kgco2e_per_kwh,
                                                territory.electricity_factor_source)
        changes.append(change)
    change_table = pd.concat(changes, ignore_index=True) if changes else None
    return table, change_table


def _write_tables(processed: Path, outputs: Path, factors_used) -> None:
    """``tables.xlsx``: the key tables for partners, one sheet each, with what they hold in the first row."""
    from helpers import safe_write, sections

    tables = {}
    notes = {
        "inventory": ("inventaire", sections.SHEET_NOTES["inventaire"]),
    }
    for name, (sheet, note) in notes.items():
        path = processed / f"{name}.csv"
        if path.exists():
            tables[sheet] = (safe_write.read_csv(path), note)
    for path in sorted(processed.glob("*.csv")):
        if path.stem in notes:
            continue
        tables[path.stem[:31]] = (safe_write.read_csv(path), f"Table « {path.stem} » produite par l'étude (unités dans les noms de colonnes).")
    tables["facteurs"] = (factors_used, sections.SHEET_NOTES["facteurs"])
    tables["hypotheses"] = (sections.assumed_inputs(processed), sections.SHEET_NOTES["hypotheses"])
    sections.write_tables_xlsx(tables, outputs / "tables.xlsx")


def main_study(slug: str, seed: int, n_draws: int) -> int:
    """Command-line entry: run, print timings and the path of the diagnostic; exit codes 0/1/2."""
    try:
        print(f"Étude SNR — territoire '{slug}' (seed {seed}, {n_draws} tirages Monte Carlo)")
        result = run_study(slug, seed=seed, n_draws=n_draws)
    except InputError as exc:
        print(f"\nInput error — nothing was run, previous results are unchanged:\n{exc}", file=sys.stderr)
        return 2
    except StudyFailed as exc:
        print(f"\nThe study failed — previous results in outputs/{slug}/ are unchanged.\n{exc}", file=sys.stderr)
        failed = paths.OUTPUTS_DIR / ".failed" / slug
        if failed.exists():
            print(f"What the failed run produced (executed notebooks, tables) is kept in "
                  f"{failed.relative_to(paths.PROJECT_ROOT)}/ for inspection.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\nInterrupted — previous results in outputs/{slug}/ are unchanged.", file=sys.stderr)
        return 130
    total = result.timings_s["total"]
    print(f"Terminé en {total:.1f} s. Diagnostic publié : {result.diagnostic.relative_to(paths.PROJECT_ROOT)}")
    print(f"Résumé machine : {result.summary.relative_to(paths.PROJECT_ROOT)}")
    return 0
