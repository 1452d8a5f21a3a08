"""Many territories at once on Dask: one task per territory, a status table and a consolidated comparison.

``run_batch(slugs, mode, scheduler, workers, force, seed, n_draws)`` runs the study of every territory as one
``dask.distributed`` task and returns the status table (one row per territory: ``ok``, ``failed`` or ``skipped``,
seconds, error message, headline figures). One failing territory never stops the others.

Modes
-----
``summary``
    the computation in-process (:func:`helpers.run.study.compute_sections`, no notebook, no kernel) into staging
    folders, then ``summary.json`` assembled exactly as the pipeline does (:func:`helpers.report.publish.assemble_summary`);
    staging is swapped into ``data/processed/<slug>/`` and ``outputs/<slug>/`` only on success, under the same
    per-territory lock as ``make study``. ``outputs/<slug>/`` then holds ``summary.json``, ``run.json`` and the French
    copies of the import report (:mod:`helpers.report.csv_fr`).
``full``
    :func:`helpers.run.pipeline.run_study` in the worker: the papermill chain and the published diagnostic.

``sections`` (summary mode only, for benchmarks) runs only some sections of :func:`helpers.run.study.compute_sections`,
e.g. ``["ingest"]``: the time to read and validate the inputs with the same machinery. Such a partial run is
computed in the staging area and then discarded: never published, never taken as up to date, no comparison written.

A territory whose published ``summary.json`` has the same inputs fingerprint (``inputs_sha256``) and code version,
was computed with the same seed and number of draws by a compatible mode (a ``full`` run also serves ``summary``)
and, when a batch wrote it, with the same code fingerprint (package sources and notebooks), is skipped unless
``force``.

Scheduler
---------
Default: an embedded :class:`distributed.LocalCluster` on loopback only (processes, ``workers`` processes of one
thread each, no dashboard), closed at the end. ``scheduler="tcp://host:port"`` uses an existing cluster: its workers
must run the code on disk (checked before anything is submitted: restart them after a code change) and see the same
project folder (``SNR_PROJECT_ROOT``, checked by each task, which fails with a clear message otherwise). ``scheduler="inline"`` runs the territories one by one in this process (debugging).

Results: ``outputs/batch/comparison.html`` (French, no script), ``comparison.csv`` (French, for a spreadsheet) and
``comparison.json`` (the same rows for scripts), built from the members' ``summary.json``
(:mod:`helpers.report.comparison`).

Command line: ``python -m helpers.run.batch --mode summary --territories a,b --workers 2 [--scheduler tcp://…]
[--force] [--seed S] [--draws N]``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path

import pandas as pd

from helpers.io import paths
from helpers.run.study import DEFAULT_DRAWS, DEFAULT_SEED

MODES = ("summary", "full")
STATUSES = ("ok", "failed", "skipped")
RUN_FILE = "run.json"
BATCH_DIR_NAME = "batch"
DEFAULT_WORKERS = 2
COLUMNS = ["territory", "name", "status", "mode", "seconds", "error", "total_tco2e", "total_low_tco2e",
           "total_high_tco2e", "per_inhabitant_kgco2e", "per_agent_kgco2e", "maturity_score_pct",
           "plan_reduction_tco2e_per_year", "illustrative", "diagnostic"]


# ----------------------------------------------------------------------------------------------------------------
# Territories, fingerprints, up-to-date check
# ----------------------------------------------------------------------------------------------------------------

def discover_territories(raw_dir: Path | None = None) -> list[str]:
    """Every folder of ``data/raw/`` with a ``territory.yaml``, except ``reference`` and hidden folders; sorted."""
    raw_dir = Path(raw_dir) if raw_dir is not None else paths.RAW_DIR
    if not raw_dir.is_dir():
        return []
    return sorted(p.name for p in raw_dir.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and p.name != "reference"
                  and (p / "territory.yaml").is_file())


def _hash_tree(root: Path, patterns: tuple[str, ...]) -> hashlib._Hash:
    h = hashlib.sha256()
    if root.is_dir():
        files = sorted({p for pat in patterns for p in root.rglob(pat) if p.is_file() and "__pycache__" not in p.parts})
        for p in files:
            h.update(f"{p.relative_to(root).as_posix()}\0{hashlib.sha256(p.read_bytes()).hexdigest()}\n".encode())
    return h


def package_fingerprint() -> str:
    """sha256 of the ``helpers`` package sources (``*.py`` and templates), as they are on disk now."""
    root = Path(__file__).resolve().parents[1]
    return _hash_tree(root, ("*.py", "*.tpl", "*.j2", "*.css", "*.json")).hexdigest()


#: The package fingerprint when this module was imported: the code this process (a Dask worker) runs.
LOADED_PACKAGE = package_fingerprint()


def loaded_package_fingerprint() -> str:
    """:data:`LOADED_PACKAGE` (run on the workers of an external cluster to check they run the current code)."""
    return LOADED_PACKAGE


def code_fingerprint(package: str | None = None) -> str:
    """Fingerprint of everything that makes the results: package sources and the notebooks."""
    h = hashlib.sha256((package or package_fingerprint()).encode())
    h.update(_hash_tree(paths.NOTEBOOKS_DIR, ("*.ipynb",)).hexdigest().encode())
    return h.hexdigest()


def _read_json(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _recorded_run(out: Path, summary: dict) -> dict:
    """How the published outputs were made: ``run.json`` when a batch wrote it, else read from the summary."""
    run = _read_json(out / RUN_FILE)
    if run is not None:
        return run
    carbon = summary.get("carbon") if isinstance(summary.get("carbon"), dict) else {}
    return {
        "mode": "full" if (out / "diagnostic.html").is_file() else "summary",
        "seed": summary.get("seed", carbon.get("seed")),
        "n_draws": summary.get("n_draws", carbon.get("n_draws")),
    }


def up_to_date(slug: str, mode: str, seed: int, n_draws: int, inputs_sha256: str, version: str,
               fingerprint: str | None = None) -> dict | None:
    """The published ``summary.json`` of ``slug`` if it is up to date for this run, else None."""
    out = paths.outputs_dir(slug)
    summary = _read_json(out / "summary.json")
    if summary is None:
        return None
    if summary.get("inputs_sha256") != inputs_sha256 or summary.get("code_version") != version:
        return None
    run = _recorded_run(out, summary)
    if run.get("seed") != int(seed) or run.get("n_draws") != int(n_draws):
        return None
    if mode == "full" and (run.get("mode") != "full" or not (out / "diagnostic.html").is_file()):
        return None
    if fingerprint is not None and run.get("code_fingerprint") not in (None, fingerprint):
        return None
    return summary


# ----------------------------------------------------------------------------------------------------------------
# One territory (runs in a Dask worker, or in this process)
# ----------------------------------------------------------------------------------------------------------------

def _one_line(exc: BaseException) -> str:
    """A clear message: input errors and study failures as they are, anything else on one line."""
    from helpers.io.errors import InputError
    from helpers.run.pipeline import StudyFailed

    if isinstance(exc, (InputError, StudyFailed)):
        return str(exc)
    text = " ".join(str(exc).split())
    text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "…"


def _value(d, *keys):
    for k in keys:
        if not isinstance(d, dict):
            return None
        d = d.get(k)
    return float(d) if isinstance(d, (int, float)) and not isinstance(d, bool) else None


def headline(summary: dict) -> dict:
    """The figures compared across territories, from a ``summary.json`` (None when the section is absent)."""
    carbon = summary.get("carbon", {})
    return {
        "total_tco2e": _value(carbon, "total_tco2e", "value"),
        "total_low_tco2e": _value(carbon, "total_tco2e", "low"),
        "total_high_tco2e": _value(carbon, "total_tco2e", "high"),
        "per_inhabitant_kgco2e": _value(carbon, "per_inhabitant_kgco2e", "value"),
        "per_agent_kgco2e": _value(carbon, "per_agent_kgco2e", "value"),
        "maturity_score_pct": _value(summary.get("maturity", {}), "score_pct"),
        "plan_reduction_tco2e_per_year": _value(summary, "plan_reduction_tco2e_per_year", "value"),
    }


def _row(slug: str, mode: str, status: str, seconds: float, error: str = "", summary: dict | None = None,
         name: str | None = None, timings: dict | None = None) -> dict:
    summary = summary or {}
    terr = summary.get("territory", {})
    row = {"territory": slug, "name": terr.get("name", name or slug), "status": status, "mode": mode,
           "seconds": round(seconds, 3), "error": error}
    row.update(headline(summary))
    row["illustrative"] = bool(terr.get("illustrative", False))
    try:
        row["diagnostic"] = (paths.outputs_dir(slug) / "diagnostic.html").is_file()
    except Exception:  # a bad slug
        row["diagnostic"] = False
    row["timings"] = timings or {}
    return row


def _summary_mode(territory, seed: int, n_draws: int, digest: str, files: dict, version: str, fingerprint: str,
                  timings: dict, sections=None) -> dict:
    """Staging + :func:`compute_sections` + ``summary.json``, swapped into place like the pipeline.

    ``sections`` (a strict subset, see :func:`_partial_sections`): computed and assembled the same way, then the
    staging area is discarded (nothing published).
    """
    from helpers.report import publish
    from helpers.report.csv_fr import write_import_reports_fr
    from helpers.run import pipeline, publication
    from helpers.run.study import compute_sections

    slug = territory.slug
    # same lock and same publication as ``make study``: processed tables and outputs switch together
    with pipeline._territory_lock(slug):
        publication.repair(slug)
        staging = publication.begin(slug)
        try:
            compute_sections(slug, seed, n_draws, staging.processed, sections=sections, timings=timings)
            t0 = time.perf_counter()
            summary = publish.assemble_summary(staging.processed, territory, digest, files, version)
            publish.write_summary(summary, staging.outputs / "summary.json")
            if sections is None:
                _write_run(staging.outputs, "summary", seed, n_draws, version, fingerprint)
                write_import_reports_fr(staging.processed, staging.outputs)
                # a summary-mode study can be followed next year too (issue 34): its inputs and manifest
                publish.archive_inputs([paths.PROJECT_ROOT / rel for rel in files], paths.PROJECT_ROOT,
                                       staging.outputs)
                publish.write_manifest(staging.outputs)
            timings["publish"] = time.perf_counter() - t0
            if sections is None:  # a partial study is never published
                publication.commit(staging)
        finally:
            publication.abort(staging)
    return summary


def _write_run(out: Path, mode: str, seed: int, n_draws: int, version: str, fingerprint: str) -> None:
    from helpers.io.safe_write import dumps

    run = {"mode": mode, "seed": int(seed), "n_draws": int(n_draws), "code_version": version,
           "code_fingerprint": fingerprint}
    (out / RUN_FILE).write_text(dumps(run) + "\n", encoding="utf-8")


def _unique_kernel_sockets() -> None:
    """Give every kernel its own IPC socket path (work-around of a pipeline limit; idempotent, once per process).

    ``helpers.run.pipeline``'s IPC kernel manager leaves jupyter_client's default socket path ``kernel-ipc-<n>``,
    relative to the folder papermill switches to (``notebooks/``): two studies running at once (two Dask workers,
    or ``make study`` beside a batch) pick the same sockets and their kernels answer the wrong process ("Invalid
    Signature", "Kernel didn't respond"). Until the pipeline sets a unique absolute path itself, this does it for
    the process it runs in.
    """
    import tempfile
    import uuid

    from traitlets import default

    from helpers.run import pipeline

    make = pipeline._ipc_kernel_manager_class
    if getattr(make, "_snr_unique_sockets", False):
        return
    base = make()
    if os.path.isabs(base(kernel_name="python3").ip):  # the pipeline already does it
        return

    class UniqueIPCKernelManager(base):
        @default("ip")
        def _unique_ip(self):
            return os.path.join(tempfile.gettempdir(), f"snr-kernel-{os.getpid()}-{uuid.uuid4().hex[:12]}")

    def patched():
        return UniqueIPCKernelManager

    patched._snr_unique_sockets = True
    pipeline._ipc_kernel_manager_class = patched


def _prepare(slug: str, mode: str, seed: int, n_draws: int, force: bool, fingerprint: str,
             version: str | None = None):
    """``(territory, inputs_sha256, inputs_files, code_version, existing_summary_or_None)``; raises on bad input."""
    from helpers.io.territory import load_territory
    from helpers.report import publish
    from helpers.run import pipeline

    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    problems = pipeline.check_run_parameters(seed, n_draws)
    if problems:
        from helpers.io.errors import InputError, InputProblem

        raise InputError([InputProblem("paramètres de l'étude", None, None, None, p) for p in problems])
    territory = load_territory(slug)  # InputError on a bad slug or territory.yaml
    digest, files = publish.sha256_files(
        publish.input_files(paths.raw_dir(slug), paths.REFERENCE_DIR), paths.PROJECT_ROOT)
    version = version or pipeline.code_version()
    existing = None if force else up_to_date(slug, mode, seed, n_draws, digest, version, fingerprint)
    return territory, digest, files, version, existing


def _partial_sections(mode: str, sections) -> list[str] | None:
    """``sections`` checked: None for the whole study (None or every section), else the section names.

    Raises ValueError outside summary mode or on an unknown section name.
    """
    from helpers.run.study import SECTIONS

    if sections is None:
        return None
    if isinstance(sections, str):
        sections = [sections]
    names = list(dict.fromkeys(sections))
    unknown = sorted(set(names) - set(SECTIONS))
    if unknown:
        raise ValueError(f"unknown section(s) {unknown}; known: {list(SECTIONS)}")
    if mode != "summary":
        raise ValueError("sections= is for summary mode only (full mode runs every notebook)")
    return None if set(names) == set(SECTIONS) else names


def run_territory(slug: str, mode: str = "summary", seed: int = DEFAULT_SEED, n_draws: int = DEFAULT_DRAWS,
                  force: bool = False, sections=None) -> dict:
    """Run (or skip when up to date) the study of one territory in this process; never raises.

    Up to date means: against the code on disk now. The ``run.json`` written records the fingerprint of the code
    this process loaded (they differ only if the sources changed since), so a result made by older code is
    recomputed next time.

    ``sections`` (summary mode only; default None: the whole study): names of the sections of
    :func:`helpers.run.study.compute_sections` to run, e.g. ``["ingest"]`` (read and validate the inputs, write the
    clean tables) to measure the input floor of a batch. A partial run is computed in the staging area and
    discarded: nothing is published and it is never skipped as up to date (an unknown name, or ``sections`` in
    full mode, gives a ``failed`` row).

    Returns its status row (keys :data:`COLUMNS` and ``timings``, seconds per step).
    """
    from helpers.run import pipeline

    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    name = None
    try:
        sections = _partial_sections(mode, sections)
        territory, digest, files, version, existing = _prepare(slug, mode, seed, n_draws,
                                                               force or sections is not None, code_fingerprint())
        fingerprint = code_fingerprint(LOADED_PACKAGE)
        name = territory.name
        if existing is not None:
            return _row(slug, mode, "skipped", time.perf_counter() - t0, summary=existing, name=name)
        os.environ.update(pipeline.DETERMINISM_ENV)
        if mode == "summary":
            summary = _summary_mode(territory, seed, n_draws, digest, files, version, fingerprint, timings,
                                    sections)
        else:
            _unique_kernel_sockets()
            result = pipeline.run_study(slug, seed=seed, n_draws=n_draws, quiet=True)
            timings.update(result.timings_s)
            summary = _read_json(result.summary) or {}
            _write_run(result.summary.parent, "full", seed, n_draws, summary.get("code_version", version),
                       fingerprint)
    except Exception as exc:  # one territory's failure is a row of the table, never the end of the batch
        return _row(slug, mode, "failed", time.perf_counter() - t0, _one_line(exc), name=name, timings=timings)
    return _row(slug, mode, "ok", time.perf_counter() - t0, summary=summary, name=name, timings=timings)


def _task(slug: str, mode: str, seed: int, n_draws: int, force: bool, project_root: str, sections=None) -> dict:
    """The Dask task: check that the worker sees the same project folder, then run the territory."""
    here = Path(paths.PROJECT_ROOT).resolve()
    if here != Path(project_root).resolve():
        return _row(slug, mode, "failed", 0.0,
                    f"the worker's project folder is {here}, the batch's is {project_root}: start the workers "
                    f"with SNR_PROJECT_ROOT={project_root}")
    return run_territory(slug, mode, seed, n_draws, force, sections)


# ----------------------------------------------------------------------------------------------------------------
# The batch
# ----------------------------------------------------------------------------------------------------------------

#: seconds given to an external scheduler to answer (connection and identity); ``SNR_SCHEDULER_TIMEOUT`` overrides it
SCHEDULER_TIMEOUT_S = 20.0
#: what ``--scheduler`` accepts besides ``inline``: a Dask address ``tcp://host:port`` (or ``tls://``)
SCHEDULER_RE = re.compile(r"(?:tcp|tls)://(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):[0-9]{1,5}")


class SchedulerUnreachable(RuntimeError):
    """The external scheduler given is not a reachable Dask scheduler (French message, nothing was computed)."""


def scheduler_timeout_s() -> float:
    try:
        return max(0.5, float(os.environ.get("SNR_SCHEDULER_TIMEOUT", SCHEDULER_TIMEOUT_S)))
    except ValueError:
        return SCHEDULER_TIMEOUT_S


def check_scheduler(address: str, timeout_s: float | None = None) -> None:
    """Raise :class:`SchedulerUnreachable` unless ``address`` is a Dask scheduler that answers within ``timeout_s``.

    A connection and one ``identity`` request, with a deadline on each, before any ``distributed.Client`` exists: an
    address that does not answer (``tcp://10.255.255.1:8786``), refuses, or answers something that is not Dask (a
    proxy's bytes read as a frame of 3 EiB) gives one French message in ``timeout_s``, never a traceback nor a
    client left closing for 60 s at exit."""
    import asyncio

    timeout_s = scheduler_timeout_s() if timeout_s is None else timeout_s
    advice = ("vérifiez l'adresse et que l'ordonnanceur tourne, ou lancez sans SCHEDULER (cluster local) ; rien n'a "
              "été calculé")
    if not SCHEDULER_RE.fullmatch(address or ""):
        raise SchedulerUnreachable(f"SCHEDULER : {address!r} n'est pas une adresse d'ordonnanceur Dask ; attendu "
                                   "tcp://hôte:port (ou 'inline')")

    async def identity():
        from distributed.comm import connect

        comm = await asyncio.wait_for(connect(address, timeout=timeout_s), timeout_s + 1)
        try:
            await asyncio.wait_for(comm.write({"op": "identity", "reply": True}), timeout_s)
            return await asyncio.wait_for(comm.read(), timeout_s)
        finally:
            comm.abort()

    try:
        reply = asyncio.run(asyncio.wait_for(identity(), 2 * timeout_s + 2))
    except (TimeoutError, Exception) as exc:  # noqa: BLE001 - refused, timed out, garbage: one message
        kind = ("délai de " + f"{timeout_s:g}".replace(".", ",") + " s dépassé"
                if isinstance(exc, TimeoutError) or "Timed out" in str(exc)
                else "connexion impossible" if isinstance(exc, OSError)
                else "réponse illisible : ce n'est pas un ordonnanceur Dask")
        raise SchedulerUnreachable(f"l'ordonnanceur Dask {address} ne répond pas ({kind}) ; {advice}") from None
    if not isinstance(reply, dict) or reply.get("type") != "Scheduler":
        raise SchedulerUnreachable(f"{address} répond, mais ce n'est pas un ordonnanceur Dask ; {advice}")


@contextlib.contextmanager
def _client(scheduler, workers: int):
    """A ``distributed.Client``: on an embedded loopback LocalCluster (default) or on ``scheduler``."""
    import logging

    import dask
    from distributed import Client, LocalCluster

    if scheduler is not None and not isinstance(scheduler, str):  # an existing Client
        yield scheduler
        return
    if scheduler:
        check_scheduler(scheduler)  # a French error within the timeout, before any Client exists
        client = Client(scheduler, set_as_default=False, timeout=scheduler_timeout_s())
        try:
            yield client
        finally:
            client.close()
        return
    from helpers.run.pipeline import DETERMINISM_ENV

    # set in the worker processes before they start (thread counts before numpy loads; the project folder)
    env = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}) or {})
    env.update({k: v for k, v in DETERMINISM_ENV.items() if k != "PYTHONHASHSEED"})
    env["SNR_PROJECT_ROOT"] = str(paths.PROJECT_ROOT)
    # Dask's default MALLOC_TRIM_THRESHOLD_=65536 makes glibc hand freed memory back to the system at once: the
    # Monte Carlo allocates and frees thousands of 80 kB draw arrays per territory, each then page-faulted again
    # (measured: a territory 35 % slower in-process with that setting). glibc's own adaptive default is kept.
    env.pop("MALLOC_TRIM_THRESHOLD_", None)
    # no dashboard; the scheduler's and workers' HTTP servers (always started) serve only /health, on a random
    # loopback port (never the fixed 8787); no statistical profiler sampling the workers' stacks every 10 ms
    with dask.config.set({"distributed.nanny.pre-spawn-environ": env,
                          "distributed.scheduler.http.routes": ["distributed.http.health"],
                          "distributed.worker.http.routes": ["distributed.http.health"],
                          "distributed.worker.profile.enabled": False}):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, silence_logs=logging.ERROR,
                               scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
    client = Client(cluster, set_as_default=False)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _fr(value, decimals: int = 0) -> str:
    from helpers.report.plotting import fr_number

    return fr_number(value, decimals)


def _progress_line(i: int, n: int, row: dict) -> str:
    width = len(str(n))
    state = {"ok": "calculé", "failed": "ÉCHEC", "skipped": "à jour, non recalculé"}[row["status"]]
    line = f"[{i:>{width}}/{n}] {row['territory']} : {state} ({_fr(row['seconds'], 1)} s)"
    if row["status"] == "failed":
        line += "\n    " + row["error"].replace("\n", "\n    ")
    elif row.get("total_tco2e") is not None:
        line += f" — {_fr(row['total_tco2e'], 1)} tCO2e/an"
    return line


class StaleWorkers(RuntimeError):
    """Workers of an external cluster run another version of the code than the one on disk."""


def _check_workers_code(client) -> None:
    current = package_fingerprint()
    loaded = client.run(loaded_package_fingerprint)
    stale = sorted(addr for addr, fp in loaded.items() if fp != current)
    if stale:
        raise StaleWorkers(f"{len(stale)} worker(s) of the cluster run another version of the helpers package than "
                           f"the one on disk ({', '.join(stale)}): restart them (the code changed since they "
                           "started)")


def _precheck(slugs, mode, seed, n_draws, fingerprint, rows: dict) -> list[str]:
    """Fill ``rows`` with the territories that are up to date or whose description is invalid; return the others."""
    from helpers.run import pipeline

    version = pipeline.code_version()
    todo = []
    for slug in slugs:
        t0 = time.perf_counter()
        try:
            territory, *_, existing = _prepare(slug, mode, seed, n_draws, False, fingerprint, version)
        except Exception as exc:
            rows[slug] = _row(slug, mode, "failed", time.perf_counter() - t0, _one_line(exc))
            continue
        if existing is not None:
            rows[slug] = _row(slug, mode, "skipped", time.perf_counter() - t0, summary=existing, name=territory.name)
        else:
            todo.append(slug)
    return todo


def run_batch(slugs=None, mode: str = "summary", scheduler=None, workers: int | None = None, force: bool = False,
              seed: int = DEFAULT_SEED, n_draws: int = DEFAULT_DRAWS, quiet: bool = False,
              write_comparison: bool = True, sections=None) -> pd.DataFrame:
    """Run the study of many territories as Dask tasks; return the status table (one row per territory).

    Parameters
    ----------
    slugs : territory slugs (default: :func:`discover_territories`)
    mode : ``"summary"`` (no notebooks, ``summary.json`` only) or ``"full"`` (papermill chain + diagnostic)
    scheduler : None (embedded loopback LocalCluster), ``"tcp://host:port"`` (existing cluster), a
        ``distributed.Client``, or ``"inline"`` (one by one in this process, no Dask)
    workers : worker processes of the embedded cluster (default 2)
    force : recompute territories that are up to date
    seed, n_draws : the study's parameters
    quiet : no progress lines
    write_comparison : write ``outputs/batch/comparison.{csv,html,json}``
    sections : summary mode only (default None: the whole study): run only these sections of
        :func:`helpers.run.study.compute_sections` (e.g. ``["ingest"]``, the input floor measured by
        ``bench/bench_batch.py``); nothing is published, nothing is skipped as up to date and no comparison is
        written (see :func:`run_territory`). ValueError on an unknown name or in full mode.
    """
    sections = _checked_batch(mode, sections, seed, n_draws)
    if sections is not None:
        force, write_comparison = True, False
    slugs = discover_territories() if slugs is None else list(dict.fromkeys(slugs))
    workers = int(workers or DEFAULT_WORKERS)
    fingerprint = code_fingerprint()

    def say(msg: str) -> None:
        if not quiet:
            print(msg, flush=True)

    rows: dict[str, dict] = {}
    say(f"Lot de {len(slugs)} territoire(s) — mode {mode}, graine {seed}, {n_draws} tirages Monte-Carlo")
    todo = slugs
    if not force and scheduler != "inline":  # no cluster for what is up to date (the worker checks again)
        todo = _precheck(slugs, mode, seed, n_draws, fingerprint, rows)
        for i, slug in enumerate(s for s in slugs if s in rows):
            say(_progress_line(i + 1, len(slugs), rows[slug]))

    def record(slug: str, row: dict) -> None:  # one territory done: its row and a progress line
        rows[slug] = row
        say(_progress_line(len(rows), len(slugs), row))

    if scheduler == "inline":
        for slug in todo:
            record(slug, run_territory(slug, mode, seed, n_draws, force, sections))
    elif todo:
        _run_on_dask(todo, (mode, int(seed), int(n_draws), bool(force), sections), scheduler, workers, record)
    table = pd.DataFrame([rows[s] for s in slugs], columns=COLUMNS + ["timings"])
    if write_comparison:
        write_comparison_files(table, seed, n_draws, mode)
    counts = table["status"].value_counts().to_dict()
    say("Terminé : " + ", ".join(f"{counts.get(s, 0)} {w}" for s, w in
                                 (("ok", "calculé(s)"), ("skipped", "à jour"), ("failed", "en échec"))))
    return table


def _checked_batch(mode: str, sections, seed: int, n_draws: int):
    """The sections of a partial run (:func:`_partial_sections`), once the mode and the run's parameters are
    checked (ValueError otherwise)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    sections = _partial_sections(mode, sections)
    from helpers.run.pipeline import check_run_parameters

    problems = check_run_parameters(seed, n_draws)
    if problems:
        raise ValueError("; ".join(problems))
    return sections


def _run_on_dask(todo: list[str], params: tuple, scheduler, workers: int, record) -> None:
    """The territories ``todo`` as Dask tasks (``params`` = mode, seed, draws, force, sections), each one's row given
    to ``record(slug, row)`` as it completes; a task that dies gives a ``failed`` row and the others go on; Ctrl-C
    cancels what is left."""
    import uuid

    from distributed import as_completed

    mode = params[0]
    with _client(scheduler, workers) as client:
        if scheduler is not None:  # long-lived workers: they must run the code on disk now
            _check_workers_code(client)
        token = uuid.uuid4().hex[:8]
        futures = {client.submit(_task, slug, *params[:4], str(paths.PROJECT_ROOT), params[4],
                                 key=f"snr-{mode}-{slug}-{token}", pure=False): slug for slug in todo}
        try:
            for fut in as_completed(list(futures), loop=client.loop):
                slug = futures[fut]
                if fut.status == "finished":
                    record(slug, fut.result())
                else:  # the worker died or the task could not run: the others go on
                    exc = fut.exception()
                    record(slug, _row(slug, mode, "failed", 0.0, _one_line(exc) if exc else fut.status))
        except KeyboardInterrupt:
            client.cancel(list(futures))
            raise


# ----------------------------------------------------------------------------------------------------------------
# Consolidated comparison (helpers.report.comparison, issue 36)
# ----------------------------------------------------------------------------------------------------------------

def write_comparison_files(table: pd.DataFrame, seed: int, n_draws: int, mode: str) -> tuple[Path, Path]:
    """``outputs/batch/comparison.csv`` (French, for a spreadsheet), ``comparison.html`` and ``comparison.json``
    from the status table and the members' published summaries (:func:`helpers.report.comparison.write_comparison`);
    returns the paths of the CSV and of the page."""
    from helpers.report.comparison import write_comparison

    return write_comparison(table, seed, n_draws, mode)


# ----------------------------------------------------------------------------------------------------------------
# Command line
# ----------------------------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    """``python -m helpers.run.batch``: exit 0 when no territory failed, 1 otherwise, 2 on a usage error."""

    from helpers.run.cli import FrenchParser

    parser = FrenchParser(prog="python -m helpers.run.batch",
                          description="Étude SNR de plusieurs territoires à la fois (Dask)")
    parser.add_argument("--mode", choices=MODES, default="summary",
                        help="summary: calcul sans notebooks (summary.json) ; full: chaîne papermill et diagnostic")
    parser.add_argument("--territories", default="",
                        help="slugs séparés par des virgules (défaut : tous les dossiers de data/raw/)")
    parser.add_argument("--scheduler", default=None,
                        help="adresse d'un ordonnanceur Dask existant (tcp://hôte:port) ou 'inline'")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="processus du cluster local")
    parser.add_argument("--force", action="store_true", help="recalculer aussi les territoires à jour")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--draws", type=int, default=DEFAULT_DRAWS, help="tirages Monte-Carlo")
    args = parser.parse_args(argv)
    problems = _cli_problems(args)
    if problems:
        print("Paramètres refusés — rien n'a été exécuté :\n" + "\n".join(f"  - {p}" for p in problems),
              file=sys.stderr)
        return 2
    slugs = [s.strip() for s in args.territories.split(",") if s.strip()] or None
    table = _run_cli(args, slugs)
    if isinstance(table, int):  # interrupted or the scheduler unreachable: the exit code
        return table
    out = paths.OUTPUTS_DIR / BATCH_DIR_NAME
    try:
        shown = out.relative_to(paths.PROJECT_ROOT)
    except ValueError:
        shown = out
    print(f"Comparaison : {shown}/comparison.html et comparison.csv")
    return 1 if (table["status"] == "failed").any() else 0


def _cli_problems(args) -> list[str]:
    """The French problems of the command line's values (run parameters, workers, territory slugs, scheduler)."""
    from helpers.run.pipeline import check_run_parameters

    problems = check_run_parameters(args.seed, args.draws)
    if args.workers < 1:
        problems.append(f"--workers : {args.workers} ; attendu un entier ≥ 1")
    slugs_given = [s.strip() for s in args.territories.split(",") if s.strip()]
    for slug in slugs_given:
        if not paths.SLUG_RE.fullmatch(slug) or slug in paths.RESERVED_SLUGS:
            problems.append(f"--territories : {slug!r} ; attendu des identifiants de territoire (lettres minuscules, "
                            "chiffres et '-') séparés par des virgules")
    if args.scheduler not in (None, "", "inline") and not SCHEDULER_RE.fullmatch(args.scheduler):
        problems.append(f"--scheduler : {args.scheduler!r} ; attendu une adresse tcp://hôte:port ou 'inline'")
    return problems


def _run_cli(args, slugs: list[str] | None) -> pd.DataFrame | int:
    """:func:`run_batch` for the command line, SIGTERM handled as Ctrl-C: the status table, or the exit code after a
    French message when interrupted (130 Ctrl-C, 143 SIGTERM) or when the scheduler is unreachable or stale (2)."""
    import signal

    from helpers.run.pipeline import Interrupted, _raise_interrupted, cleanup_kernels

    # SIGTERM as Ctrl-C: workers stopped, nothing half-published
    previous_handler = signal.signal(signal.SIGTERM, _raise_interrupted)
    try:
        return run_batch(slugs, mode=args.mode, scheduler=args.scheduler or None, workers=args.workers,
                         force=args.force, seed=args.seed, n_draws=args.draws)
    except (KeyboardInterrupt, Interrupted) as exc:
        cleanup_kernels()
        how = "Ctrl-C" if isinstance(exc, KeyboardInterrupt) else str(exc)
        print(f"\nInterrompu ({how}) — chaque territoire est publié d'un seul coup ou pas du tout : ceux que ce lot "
              "avait terminés avant l'interruption sont publiés, ceux qui étaient en cours ne le sont pas (leurs "
              "résultats précédents sont inchangés).", file=sys.stderr)
        return 130 if isinstance(exc, KeyboardInterrupt) else 143
    except (StaleWorkers, SchedulerUnreachable) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # the scheduler went away after the check
        print(f"Erreur : l'ordonnanceur Dask {args.scheduler} est devenu injoignable ({type(exc).__name__} : {exc}) ; "
              "les territoires terminés sont publiés, les autres inchangés", file=sys.stderr)
        return 2
    finally:
        signal.signal(signal.SIGTERM, previous_handler)


if __name__ == "__main__":
    sys.exit(main())
