"""Run the whole study for one territory: the notebook chain, then the published diagnostic.

All notebooks run from this one Python process (papermill imported once), each in a fresh kernel for isolation
(``tooling-findings.md`` §2.2). Notebooks that only depend on ``01_ingest`` (carbon balance, services, maturity) run
side by side, one kernel per core (:data:`WAVES`); each writes only its own tables, so the results do not depend on
the order in which they finish. Everything is built into a staging area; only when every step succeeded is it
published, ``data/processed/<slug>/`` and ``outputs/<slug>/`` together, by one atomic switch
(:mod:`helpers.run.publication`). A failure, an interruption or a kill at any instant therefore leaves the previously
published results exactly as they were, and the next run clears what the interrupted one left.

Kernels die with this process (``PR_SET_PDEATHSIG``, :func:`die_with_parent`), their connection files and IPC sockets live in the temporary
folder as ``snr-kernel-<pid>-…`` and are removed on exit, on Ctrl-C and on SIGTERM.
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

from helpers.io import paths
from helpers.io.errors import InputError

NOTEBOOKS = ("01_ingest", "02_carbon_balance", "03_services_lca", "04_maturity", "05_actions")
#: dependency waves: a notebook reads only what the notebooks of earlier waves wrote (docs/architecture.md)
WAVES = (("01_ingest",), ("02_carbon_balance", "03_services_lca", "04_maturity"), ("05_actions",))
DEFAULT_SEED = 20200101
DEFAULT_DRAWS = 10_000
#: fewest Monte Carlo draws accepted: the 95 % intervals are the 2.5th and 97.5th percentiles, so each tail needs
#: several draws (1 / 0.025 = 40 draws leave one draw per tail; 100 leave 2.5)
MIN_DRAWS = 100
#: most draws accepted. Memory grows linearly with the draws and with the entities (the balance keeps one array of
#: draws per breakdown cell): measured peaks of the whole computation in one process (``bench``-like, VmHWM), La
#: Rochelle (4 entities) 206 MB at 10,000 draws, 714 MB at 100,000, 1,279 MB at 200,000; the same with 100 more
#: entities 1,239 MB at 100,000 and 2,378 MB at 200,000 (``python bench/bench_draws_memory.py``). 1,000,000 draws
#: needed 5.7 GB for La Rochelle (issue 31):
#: the cap is 100,000, within the 2 GB a territory may use (README), and :func:`draws_memory_problem` refuses, per
#: territory, draws whose estimated peak exceeds it.
MAX_DRAWS = 100_000
#: memory a territory's run may use (bytes): the README's target per worker
MEMORY_BUDGET_BYTES = 2 * 1024**3
#: the estimate of :func:`draws_memory_problem`, fitted on the measures above (and rounded up): a fixed part, then
#: per draw a part for the study and a part per entity
MEMORY_BASE_BYTES = 150 * 1024**2
MEMORY_BYTES_PER_DRAW = 5_800
MEMORY_BYTES_PER_DRAW_AND_ENTITY = 60
MAX_SEED = 2**63 - 1

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


def check_run_parameters(seed, n_draws) -> list[str]:
    """French messages for out-of-range run parameters (empty when valid); checked before any kernel starts."""
    import numbers

    def whole(v) -> bool:
        return isinstance(v, numbers.Integral) and not isinstance(v, bool)

    problems = []
    if not whole(n_draws) or not MIN_DRAWS <= n_draws <= MAX_DRAWS:
        problems.append(f"--draws : {n_draws!r} tirages Monte Carlo ; attendu un entier entre {MIN_DRAWS} et "
                        f"{MAX_DRAWS} (les intervalles à 95 % sont des percentiles 2,5/97,5 : il faut plusieurs "
                        "tirages dans chaque queue)")
    if not whole(seed) or not 0 <= seed <= MAX_SEED:
        problems.append(f"--seed : {seed!r} ; attendu un entier entre 0 et {MAX_SEED}")
    return problems


def draws_memory_bytes(n_entities: int, n_draws: int) -> int:
    """Estimated peak memory (bytes) of a study of ``n_entities`` entities with ``n_draws`` draws."""
    return int(MEMORY_BASE_BYTES + n_draws * (MEMORY_BYTES_PER_DRAW + MEMORY_BYTES_PER_DRAW_AND_ENTITY * n_entities))


def draws_memory_problem(territory, n_draws: int) -> str | None:
    """French message when ``n_draws`` would take more than :data:`MEMORY_BUDGET_BYTES` for ``territory`` (its
    estimated peak, :func:`draws_memory_bytes`), with the most draws that fit; ``None`` when they fit."""
    n = len(territory.entities)
    need = draws_memory_bytes(n, n_draws)
    if need <= MEMORY_BUDGET_BYTES:
        return None
    fit = int((MEMORY_BUDGET_BYTES - MEMORY_BASE_BYTES) // (MEMORY_BYTES_PER_DRAW + MEMORY_BYTES_PER_DRAW_AND_ENTITY * n))
    fit = max(MIN_DRAWS, fit // 1000 * 1000 if fit >= 1000 else fit)
    return (f"--draws : {n_draws} tirages Monte Carlo demanderaient environ {need / 1024**3:.1f} Go pour ce territoire "
            f"de {n} entités (au plus {MEMORY_BUDGET_BYTES / 1024**3:.0f} Go par territoire) ; attendu au plus {fit} "
            "tirages").replace(".", ",")


@contextlib.contextmanager
def _territory_lock(slug: str):
    paths.OUTPUTS_DIR.mkdir(parents=True, exist_ok=True)
    lock_path = paths.OUTPUTS_DIR / f".{slug}.lock"
    with open(lock_path, "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StudyFailed(f"une autre exécution de l'étude de '{slug}' est en cours (verrou {lock_path.name})"
                              ) from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


#: kernels started by this process that may still run: pid -> (Popen, socket and connection-file prefix)
_KERNELS: dict[int, tuple[object, str]] = {}
#: what is running now, for the message printed on Ctrl-C / SIGTERM
_RUNNING: list[str] = []
#: slug -> the generation published when this run started (after its repair): the messages printed on a failure or
#: an interruption say what is published by comparing it with the generation published when they are printed
_PUBLISHED_BEFORE: dict[str, str | None] = {}


@contextlib.contextmanager
def signals_held():
    """Hold SIGTERM and Ctrl-C (SIGINT) while the block runs, then deliver them (raise :class:`Interrupted` or
    ``KeyboardInterrupt``) once it has finished: the publication's switch and clean-up run to their end. In a thread
    other than the main one (signals cannot be handled there) the block runs as is."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []

    def hold(signum, _frame):
        pending.append(signum)

    previous = {s: signal.signal(s, hold) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if pending:
            if pending[0] == signal.SIGINT:
                raise KeyboardInterrupt
            raise Interrupted(signal.Signals(pending[0]).name)


def published_state(slug: str) -> tuple[bool, str]:
    """``(published, French sentence)``: whether this run's new version is the published one (the generation
    published now differs from the one published when the run started), and what a reader of outputs/<slug>/ sees."""
    from helpers.run import publication

    now = publication.current_generation(slug)
    if slug in _PUBLISHED_BEFORE and now is not None and now != _PUBLISHED_BEFORE[slug]:
        return True, (f"La nouvelle version est publiée : outputs/{slug}/ et data/processed/{slug}/ la montrent, "
                      "complète (la bascule est atomique) ; ce qui restait à nettoyer le sera par l'exécution suivante.")
    if now is None:
        return False, (f"Rien n'a été publié ; outputs/{slug}/ et data/processed/{slug}/ sont inchangés (aucune "
                       "publication antérieure).")
    return False, (f"Rien n'a été publié ; les résultats précédents de outputs/{slug}/ et data/processed/{slug}/ "
                   "sont inchangés.")


#: started in place of the kernel: ask Linux to SIGKILL this process when the runner's thread that started it dies
#: (``prctl(PR_SET_PDEATHSIG)``, prctl(2); the setting survives ``execve``), exit if the runner is already gone, then
#: become the kernel (``exec``). A separate program rather than a ``preexec_fn``: code run between ``fork`` and
#: ``exec`` in a multi-threaded runner (parallel notebooks) may deadlock on a lock another thread held.
_DIE_WITH_PARENT = (
    "import ctypes, os, sys\n"
    "try:\n"
    "    ctypes.CDLL(None, use_errno=True).prctl(1, 9, 0, 0, 0)\n"  # PR_SET_PDEATHSIG = 1, SIGKILL = 9
    "except (OSError, AttributeError):\n"
    "    pass\n"
    "if os.getppid() != int(sys.argv[1]):\n"
    "    os._exit(1)\n"
    "os.execvp(sys.argv[2], sys.argv[2:])\n"
)


def die_with_parent(kernel_cmd: list[str]) -> list[str]:
    """``kernel_cmd`` wrapped so the kernel dies with this process (Linux; elsewhere unchanged)."""
    if not sys.platform.startswith("linux"):
        return list(kernel_cmd)
    return [sys.executable, "-S", "-c", _DIE_WITH_PARENT, str(os.getpid()), *kernel_cmd]


def kernel_files_prefix() -> str:
    """``<tmp>/snr-kernel-<pid>-``: IPC sockets and connection files of this runner's kernels start with it."""
    import tempfile

    return os.path.join(tempfile.gettempdir(), f"snr-kernel-{os.getpid()}-")


def _ipc_kernel_manager_class():
    """Kernels talk to this process over local IPC sockets instead of loopback TCP (no plain-text TCP port); they
    die with this process, and their connection file sits beside their sockets (removed with them)."""
    import uuid

    from jupyter_client.manager import AsyncKernelManager
    from traitlets import Unicode, default

    class IPCKernelManager(AsyncKernelManager):
        transport = Unicode("ipc")

        @default("ip")
        def _unique_ipc_path(self) -> str:
            # jupyter_client numbers IPC sockets after a relative "kernel-ipc" prefix, checking which files exist:
            # two kernels starting at once would race for the same names. A unique absolute prefix per kernel.
            return kernel_files_prefix() + uuid.uuid4().hex[:12]

        @default("connection_file")
        def _connection_file_beside_sockets(self) -> str:
            return f"{self.ip}.json"

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            # The kernel process's own log (not the cells' output, which comes back through the notebook) only holds
            # jupyter_client's shutdown noise ("KeyboardInterrupt caught in kernel" after the interrupt it sends
            # before every shutdown). Shown with --debug / SNR_DEBUG=1.
            if os.environ.get("SNR_DEBUG") != "1":
                kw.setdefault("stderr", subprocess.DEVNULL)
            result = await super()._async_launch_kernel(die_with_parent(kernel_cmd), **kw)
            proc = getattr(self.provisioner, "process", None)
            if proc is not None:
                _KERNELS[proc.pid] = self.launched[proc.pid] = (proc, self.ip)
            return result

    #: the kernels of this run only (one class per run): its clean-up never touches another run's kernels
    IPCKernelManager.launched = {}
    return IPCKernelManager


def cleanup_kernels(kernels: dict | None = None) -> list[str]:
    """Kill the kernels that still run and remove their connection files and IPC sockets; return the removed files'
    names. ``kernels`` (pid -> (Popen, file prefix)) limits it to one run's kernels; by default (Ctrl-C, SIGTERM)
    every kernel this process started, and every ``snr-kernel-<this pid>-*`` file. Idempotent, never raises."""
    import glob
    import signal

    whole_process = kernels is None
    targets = dict(_KERNELS if whole_process else kernels)
    removed = []
    for pid, (proc, prefix) in targets.items():
        if proc.poll() is None:
            with contextlib.suppress(OSError):
                if os.getpgid(pid) == pid:  # jupyter_client starts each kernel in its own session
                    os.killpg(pid, signal.SIGKILL)
                else:
                    os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(Exception):
                proc.wait(timeout=5)
        _KERNELS.pop(pid, None)
        if kernels is not None:
            kernels.pop(pid, None)
        for path in glob.glob(glob.escape(prefix) + "*"):
            with contextlib.suppress(OSError):
                os.unlink(path)
                removed.append(os.path.basename(path))
    if whole_process:
        for path in glob.glob(glob.escape(kernel_files_prefix()) + "*"):
            with contextlib.suppress(OSError):
                os.unlink(path)
                removed.append(os.path.basename(path))
    return removed


def _describe_failure(nb_name: str, exc) -> str:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    if ename == "InputError" and os.environ.get("SNR_DEBUG") != "1":
        return evalue  # the input problems only; the notebook and cell stay under --debug (issue 17)
    exec_count = getattr(exc, "exec_count", None)
    source = (getattr(exc, "source", "") or "").strip().splitlines()
    first = source[0] if source else ""
    where = f"la cellule {exec_count}" if exec_count is not None else "une cellule"
    msg = [f"le notebook {nb_name} a échoué dans {where} ({first[:80]!r}) :"]
    if ename == "InputError":
        msg.append(evalue)
    else:
        msg.append(f"{ename}: {evalue}")
    return "\n".join(msg)


def run_study(slug: str, seed: int = DEFAULT_SEED, n_draws: int = DEFAULT_DRAWS, notebooks=NOTEBOOKS,
              kernel_name: str = "python3", quiet: bool = False, previous: str | None = None) -> StudyResult:
    """Run the notebook chain for ``slug`` and publish ``outputs/<slug>/diagnostic.html`` and ``summary.json``.

    Raises
    ------
    InputError
        the territory description is invalid (nothing was run).
    StudyFailed
        a notebook or the publishing step failed; the message names the notebook, the cell and the error.
    """
    from helpers.run import publication

    def say(msg: str, end: str = "\n") -> None:
        if not quiet:
            print(msg, end=end, flush=True)

    slug, territory, previous = _checked_study(slug, seed, n_draws, previous)
    os.environ.update(DETERMINISM_ENV)
    timings: dict[str, float] = {}
    t_start = time.perf_counter()
    with _territory_lock(slug):
        for item in publication.repair(slug):
            say(f"▶ remise en ordre : {item}")
        _PUBLISHED_BEFORE[slug] = publication.current_generation(slug)  # what the messages compare with
        staging = publication.begin(slug)
        km_class = None
        try:
            km_class = _ipc_kernel_manager_class()
            executed = _run_notebooks(slug, staging, notebooks, (seed, n_draws, previous), (kernel_name, km_class),
                                      say, timings)
            _publish_staged(slug, territory, executed, staging, say, timings)
            _RUNNING[:] = ["bascule de la publication"]
            with signals_held():  # the switch and its clean-up are not cut in two by Ctrl-C or SIGTERM
                publication.commit(staging)
            _RUNNING.clear()
        finally:
            if km_class is not None:  # first: no kernel of this run left writing into the staging area
                cleanup_kernels(getattr(km_class, "launched", {}))
            publication.abort(staging)
    timings["total"] = time.perf_counter() - t_start
    final_outputs = paths.outputs_dir(slug)
    return StudyResult(slug, final_outputs / "diagnostic.html", final_outputs / "summary.json", timings)


def _checked_study(slug: str, seed: int, n_draws: int, previous: str | None):
    """(slug, territory, previous study) once everything a run needs is checked, before anything runs: the run's
    parameters, the slug, ``territory.yaml``, the memory of the draws and last year's study (issue 34); an
    :class:`InputError` otherwise, nothing published being touched."""
    from helpers.io.errors import InputProblem
    from helpers.io.territory import load_territory

    problems = check_run_parameters(seed, n_draws)
    if problems:
        raise InputError([InputProblem("paramètres de l'étude", None, None, None, p) for p in problems])
    slug = paths.check_slug(slug)
    territory = load_territory(slug)  # fail fast and clearly on a bad territory.yaml
    memory = draws_memory_problem(territory, n_draws)
    if memory:
        raise InputError(InputProblem("paramètres de l'étude", None, None, None, memory))
    previous = previous or territory.previous_study
    if previous:  # last year's study checked before anything runs (issue 34): nothing published is touched
        from helpers.io.previous import read_previous_study

        read_previous_study(previous, territory)
    return slug, territory, previous


def _run_notebooks(slug: str, staging, notebooks, run: tuple, kernel: tuple, say, timings: dict[str, float]
                   ) -> list[Path]:
    """The notebooks executed by papermill into the staging area, wave by wave (the notebooks of a wave in
    parallel), ``run`` = (seed, draws, previous study) given as parameters with the territory and the processed
    folder (``previous_study`` to notebook 05 alone); ``kernel`` = (kernel name, kernel manager class). Each one's time goes into ``timings``; the first failure in
    the notebooks' order raises :class:`StudyFailed` (the failed notebook kept). Returns the executed notebooks."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    kernel_name, km_class = kernel
    seed, n_draws, previous = run
    executed_dir = staging.outputs / "notebooks"
    executed_dir.mkdir()
    rel_processed = os.path.relpath(staging.processed, paths.NOTEBOOKS_DIR)
    params = {"territory": slug, "seed": int(seed), "processed_dir": rel_processed, "n_draws": int(n_draws)}
    # notebook 05's own parameter (the follow-up), given to it alone
    extra = {"05_actions": {"previous_study": str(previous)}} if previous else {}

    def execute(name: str) -> float:
        t0 = time.perf_counter()
        pm.execute_notebook(
            str(paths.NOTEBOOKS_DIR / f"{name}.ipynb"), str(executed_dir / f"{name}.ipynb"),
            parameters=params | extra.get(name, {}), kernel_name=kernel_name, progress_bar=False,
            log_output=False,
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
    return [executed_dir / f"{name}.ipynb" for name in notebooks]


def _publish_staged(slug: str, territory, executed: list[Path], staging, say, timings: dict[str, float]) -> None:
    """:func:`_publish` into the staging area, timed; a failure keeps the run in ``outputs/.failed/<slug>/`` and
    becomes a :class:`StudyFailed` with a French message (the Python trace under ``SNR_DEBUG=1``)."""
    t0 = time.perf_counter()
    say("▶ publication du diagnostic …", end=" ")
    _RUNNING[:] = ["publication du diagnostic"]
    try:
        _publish(territory, executed, staging.processed, staging.outputs)
    except StudyFailed:
        _keep_rejected(slug, staging.processed, staging.outputs)
        raise
    except Exception as exc:  # any other failure of the publication: same kept copy, a clear message
        _keep_rejected(slug, staging.processed, staging.outputs)
        if os.environ.get("SNR_DEBUG") == "1":
            raise
        raise StudyFailed(f"la publication du diagnostic a échoué : {type(exc).__name__} : {exc} "
                          f"(ce que l'exécution a produit est dans outputs/.failed/{slug}/ ; --debug "
                          "pour la trace Python)") from None
    timings["publish"] = time.perf_counter() - t0
    say(f"{timings['publish']:.1f} s")


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

    Threads are daemons: on Ctrl-C or SIGTERM the main thread stops waiting at once, the staging area is removed,
    the kernels are killed (and die with this process in any case: ``PR_SET_PDEATHSIG``). Nothing is published.
    """
    import queue
    import threading

    results: dict = {}
    if workers == 1:
        for name in wave:
            say(f"▶ {name} …", end=" ")
            _RUNNING[:] = [name]
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
        _RUNNING[:] = sorted(running)
        threading.Thread(target=work, args=(name,), name=f"snr-{name}", daemon=True).start()

    while pending and len(running) < workers:
        start_next()
    while running:
        name, outcome = done.get()
        running.discard(name)
        _RUNNING[:] = sorted(running)
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
    """The publication of an executed run into ``outputs``: ``summary.json``, the French import reports, the archived
    inputs, ``diagnostic.html`` and ``annexes.html`` within their page budgets (overflow to ``tables.xlsx``),
    ``tables.xlsx`` and the manifest; :class:`StudyFailed` when the page is over its budget all the same."""
    from helpers.report import publish

    summary, digest, version = _publish_summary(territory, executed, processed, outputs)
    merged = publish.drop_cells_requiring(publish.merge_notebooks(executed), summary.get("inputs_provided"))
    factors_used, changes = _factors_used(territory, processed)
    _add_written_sections(merged, summary, processed, factors_used, changes)
    render_main, render_annex = _page_renderers(territory, summary, processed, version, digest)
    # page budgets by design (issue 31): never refused for its size; the main page's overflow goes to the annex,
    # the annex's to tables.xlsx, each with a sentence saying where
    from helpers.report import page_budget

    main_nb, annex_nb, page, _moved = page_budget.fit_main_page(
        merged, render_main, publish.MAX_MAIN_PAGE_BYTES, publish.MAX_MAIN_DOM_ELEMENTS, publish.ANNEX_FILE)
    annex, overflow = page_budget.fit_annex_page(annex_nb, render_annex, publish.MAX_PAGE_BYTES,
                                                 publish.MAX_DOM_ELEMENTS)
    _write_tables(processed, outputs, factors_used, territory, overflow)
    over = (publish.check_page_budget(page, publish.MAX_MAIN_PAGE_BYTES, publish.MAX_MAIN_DOM_ELEMENTS)
            + [f"{publish.ANNEX_FILE} : {p}" for p in publish.check_page_budget(annex)])
    (outputs / publish.ANNEX_FILE).write_text(annex, encoding="utf-8")
    if over:
        (outputs / "diagnostic.html").write_text(page, encoding="utf-8")
        raise StudyFailed("le diagnostic publié dépasse son budget de sobriété malgré le report en annexe et dans "
                          "tables.xlsx : " + "; ".join(over)
                          + f" (la page refusée est outputs/.failed/{territory.slug}/outputs/diagnostic.html)")
    (outputs / "diagnostic.html").write_text(page, encoding="utf-8")
    publish.write_manifest(outputs)  # last: every published file and its sha256 (issue 34)


def _publish_summary(territory, executed: list[Path], processed: Path, outputs: Path) -> tuple[dict, str, str]:
    """The executed notebooks normalised, the inputs hashed and archived, ``summary.json`` and the French import
    reports written; returns (summary, inputs' sha256, code version)."""
    import nbformat

    from helpers.report import publish
    from helpers.report.csv_fr import write_import_reports_fr

    for path in executed:
        nb = nbformat.read(path, as_version=4)
        publish.normalise_notebook(nb, path.stem)
        nbformat.write(nb, path)
    used = publish.input_files(paths.raw_dir(territory.slug), paths.REFERENCE_DIR)
    digest, files = publish.sha256_files(used, paths.PROJECT_ROOT)
    publish.archive_inputs(used, paths.PROJECT_ROOT, outputs)  # what next year's follow-up reruns (issue 34)
    version = code_version()
    summary = publish.assemble_summary(processed, territory, digest, files, version)
    publish.write_summary(summary, outputs / "summary.json")
    write_import_reports_fr(processed, outputs)  # French copies for people (issue 36)
    return summary, digest, version


def _add_written_sections(merged, summary: dict, processed: Path, factors_used, changes) -> None:
    """The sections written from the summary put into the merged notebook: the synthesis first, the follow-up after
    it when there is one (issue 34), the method and the reproducibility annex last."""
    from nbformat.v4 import new_markdown_cell

    from helpers.report import sections
    from helpers.report.follow_up import follow_up_markdown

    merged.cells.insert(0, new_markdown_cell(sections.synthesis_markdown(summary, sections.read_plan(processed)),
                                             id="synthese"))
    follow = follow_up_markdown(summary)
    if follow:  # « Suivi », right after the synthesis (issue 34)
        merged.cells.insert(1, new_markdown_cell(follow, id="suivi"))
    merged.cells.append(new_markdown_cell(sections.method_markdown(summary, processed, factors_used, changes),
                                          id="methode"))
    merged.cells.append(new_markdown_cell(sections.reproducibility_markdown(summary, processed, factors_used, changes),
                                          id="reproductibilite", metadata={"tags": ["annex"]}))


def _page_renderers(territory, summary: dict, processed: Path, version: str, digest: str):
    """(render the main page, render the annex): notebook -> HTML with the French header (reference and target
    years, link to the annex; the illustrative-data note), the annex's header and the footer (code, factors and
    inputs' versions, licence)."""
    import html

    from helpers.report import publish, sections

    name = html.escape(territory.name)
    # the h1 names the territory: the header line does not repeat it (a phone's first screen, issue 33)
    header = [f"<p>Année de référence {territory.reference_year}, objectif {territory.target_year}. Détail, tables "
              f'complètes et reproductibilité : <a href="{publish.ANNEX_FILE}">annexes</a>.</p>']
    if territory.illustrative:
        header.append(f'<p class="note">Jeu de données <strong>illustratif</strong> : '
                      f"{sections.assumed_share_text(processed)} (liste dans les annexes).</p>")
    factors = html.escape(str(summary.get("factors_version", "n.d.")))
    footer = (f"<p>Produit par snr-diagnostic {html.escape(version)} — facteurs {factors} — empreinte des entrées "
              f"sha256 {digest[:16]}. Code sous licence EUPL-1.2.</p>")
    annex_header = (f"<p>{name} — détail du diagnostic : tables longues, sensibilité, vue multicritère, facteurs et "
                    f'reproductibilité. Retour au <a href="{publish.MAIN_FILE}">diagnostic</a>.</p>')

    def render_main(nb):
        return publish.render_html(nb, f"Diagnostic numérique responsable — {territory.name}", "\n".join(header),
                                   footer)

    def render_annex(nb):
        return publish.render_html(nb, f"Annexes du diagnostic numérique responsable — {territory.name}",
                                   annex_header, footer, toc_first=True)

    return render_main, render_annex


def _factors_used(territory, processed: Path):
    """The factor table after the territory's overrides, and the table of changes (for the method section)."""
    import pandas as pd

    from helpers.io import factors as fx
    from helpers.io import safe_write

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


#: Data rows of one sheet of tables.xlsx: Excel's 1,048,576 rows, less the header row.
XLSX_MAX_DATA_ROWS = 1_048_575


def _write_tables(processed: Path, outputs: Path, factors_used, territory=None, overflow: dict | None = None) -> None:
    """``tables.xlsx``: the key tables for partners, one sheet each, with what they hold in the first row; the
    territory's entities and peers in full (the page lists the first ones only); ``overflow`` (sheet -> (frame,
    note)): what did not fit the annex (:func:`helpers.report.page_budget.fit_annex_page`)."""
    from helpers.io import safe_write
    from helpers.report import page_budget, sections

    tables: dict = {}  # stem -> (table, extra note for the Lisez-moi sheet); what each sheet holds: report.workbook
    for name, sheet in (("inventory", "inventaire"), ("excluded_lines", "excluded_lines")):
        path = processed / f"{name}.csv"
        if path.exists():
            df, note = safe_write.read_csv(path), None
            if len(df) > XLSX_MAX_DATA_ROWS:  # a sheet holds 1,048,576 rows: the rest is in the processed CSV
                note = (f"Les {XLSX_MAX_DATA_ROWS} premières lignes sur {len(df)} ; toutes dans "
                        f"data/processed/{territory.slug if territory is not None else processed.name}/{name}.csv.")
                df = df.head(XLSX_MAX_DATA_ROWS)
            tables[sheet] = (df, note)
    from helpers.report.workbook import TEXT_COLUMNS

    for path in sorted(processed.glob("*.csv")):
        if path.stem in ("inventory", "excluded_lines"):
            continue
        text = {c: str for c in TEXT_COLUMNS.get(path.stem, ())}  # ids such as RGESN criterion "1.10", kept as text
        tables[path.stem[:31]] = (safe_write.read_csv(path, dtype=text or None), None)
    if territory is not None:
        tables["entites"] = (page_budget.entities_table(territory), None)
    tables["facteurs"] = (factors_used, None)
    tables["hypotheses"] = (sections.assumed_inputs(processed), None)
    tables.update(overflow or {})  # what did not fit the annex (issue 31)
    sections.write_tables_xlsx(tables, outputs / "tables.xlsx")


class Interrupted(BaseException):
    """SIGTERM received (raised in the main thread, like KeyboardInterrupt for Ctrl-C)."""


def _raise_interrupted(signum, _frame):
    import signal

    raise Interrupted(signal.Signals(signum).name)


def interruption_message(slug: str, how: str) -> str:
    """French message after Ctrl-C or SIGTERM: what was running, and what is published now (read from the
    publication itself, not assumed: an interruption at the switch may come after it)."""
    running = ", ".join(_RUNNING) if _RUNNING else "la préparation"
    _RUNNING.clear()
    _, state = published_state(slug)
    return (f"\nInterrompu ({how}) pendant : {running}. {state} Les dossiers de travail, noyaux, fichiers de "
            "connexion et sockets de cette exécution ont été supprimés.")


def main_study(slug: str, seed: int, n_draws: int, previous: str | None = None) -> int:
    """Command-line entry: run, print timings and the path of the diagnostic.

    Exit codes: 0 published, 1 the study failed, 2 bad input or parameters (nothing run), 130 Ctrl-C, 143 SIGTERM.
    """
    import signal

    previous_handler = signal.signal(signal.SIGTERM, _raise_interrupted)
    try:
        problems = check_run_parameters(seed, n_draws)
        if not isinstance(slug, str) or not paths.SLUG_RE.fullmatch(slug) or slug in paths.RESERVED_SLUGS:
            problems.insert(0, f"TERRITORY (--territory) : {slug!r} ; attendu l'identifiant d'un dossier de data/raw/ "
                               "(lettres minuscules, chiffres et '-', par ex. la-rochelle ; 'make new-territory "
                               "TERRITORY=…' en crée un)")
        if problems:
            print("Paramètres refusés — rien n'a été exécuté :\n" + "\n".join(f"  - {p}" for p in problems),
                  file=sys.stderr)
            return 2
        print(f"Étude SNR — territoire '{slug}' (seed {seed}, {n_draws} tirages Monte Carlo)")
        if previous:
            print(f"Suivi annuel : étude précédente {previous}")
        result = run_study(slug, seed=seed, n_draws=n_draws, previous=previous or None)
    except InputError as exc:
        print(f"\nErreur dans les entrées — rien n'a été exécuté, les résultats précédents sont inchangés :\n{exc}",
              file=sys.stderr)
        return 2
    except StudyFailed as exc:
        published, state = published_state(slug)
        head = "L'étude a échoué après sa publication" if published else "L'étude a échoué"
        print(f"\n{head} — {state}\n{exc}", file=sys.stderr)
        failed = paths.OUTPUTS_DIR / ".failed" / slug
        if failed.exists():
            print(f"Ce que l'exécution en échec a produit (notebooks exécutés, tables) est conservé dans "
                  f"{failed.relative_to(paths.PROJECT_ROOT)}/ pour examen.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        cleanup_kernels()
        print(interruption_message(slug, "Ctrl-C"), file=sys.stderr)
        return 130
    except Interrupted as exc:
        cleanup_kernels()
        print(interruption_message(slug, str(exc)), file=sys.stderr)
        return 143
    finally:
        signal.signal(signal.SIGTERM, previous_handler)
    total = result.timings_s["total"]
    print(f"Terminé en {total:.1f} s. Diagnostic publié : {result.diagnostic.relative_to(paths.PROJECT_ROOT)}")
    print(f"Résumé machine : {result.summary.relative_to(paths.PROJECT_ROOT)}")
    # rows read, kept, excluded per input file (issue 17)
    from helpers.report.ingest import import_report_console
    print(import_report_console(paths.processed_dir(slug)))
    copies = [p.name for p in (result.summary.parent / n for n in ("rapport_import.csv", "lignes_exclues.csv"))
              if p.is_file()]
    if copies:  # French copies for a spreadsheet (issue 36)
        print(f"Pour un tableur : {' et '.join(copies)} dans {result.summary.parent.relative_to(paths.PROJECT_ROOT)}/")
    return 0
