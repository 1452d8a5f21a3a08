"""How a run is started and ended (issue 31, cases 9, 10 and 11): no shell injection through make, truthful
publication messages whatever instant a run is interrupted, French errors for a bad scheduler or territory.

Case 9: ``make study "TERRITORY=x; touch F; echo"`` ran the injected command. Run parameters are now checked by make
itself against the characters each may hold (never expanded, never exported, never given to a shell unquoted).

Case 10: a SIGTERM at the switch of ``current`` printed "Rien n'a été publié" while the new version was published. A
fake run (no notebook, two files) goes through :func:`helpers.run.pipeline.main_study` exactly as a study does; a
SIGTERM is sent before each rename, replace, symlink, unlink and rmtree of the run (and after the last), and the
message is compared with what a reader of ``outputs/<slug>/`` sees.

Case 11: an unreachable scheduler ended in a traceback after 60 s; an empty ``TERRITORY=`` was refused in English.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers.io import paths
from helpers.run import publication

ROOT = Path(__file__).resolve().parents[2]
SLUG = "test-mini"


# --- case 9: make ------------------------------------------------------------------------------------------------------


def _make(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "TERRITORY", "SLUG")}
    return subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


@pytest.mark.parametrize("assignment", [
    "TERRITORY=x; touch {f}; echo",
    "TERRITORY=$(shell touch {f})",
    "TERRITORY=`touch {f}`",
    "TERRITORY=x' ; touch {f} ; echo '",
    "SEED=1 ; touch {f}",
    "DRAWS=$$(touch {f})",
    "SLUG=a;touch {f}",
    "TERRITORIES=a,b;touch {f}",
    "SCHEDULER=tcp://a:1;touch {f}",
])
def test_make_parameters_never_reach_a_shell(tmp_path, assignment):
    witness = tmp_path / "PWNED"
    target = {"SLUG": "new-territory", "TERRITORIES": "batch", "SCHEDULER": "batch"}.get(assignment.split("=")[0],
                                                                                         "study")
    proc = _make(target, assignment.format(f=witness))
    assert proc.returncode != 0
    assert not witness.exists(), "the injected command ran"
    assert "Paramètre refusé, rien n'a été exécuté" in proc.stderr and "Traceback" not in proc.stderr


def test_make_passes_each_parameter_as_one_quoted_argument():
    proc = _make("-n", "study", "TERRITORY=ma-commune", "DRAWS=200", "SEED=7")
    assert proc.returncode == 0, proc.stderr
    assert "--territory 'ma-commune' --seed '7' --draws '200'" in proc.stdout


def test_an_empty_territory_is_refused_in_french_before_anything_runs():
    """``make study TERRITORY=`` (case 11): the study's own French message, exit 2, no traceback, no argparse."""
    proc = _make("study", "TERRITORY=", timeout=300)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Paramètres refusés — rien n'a été exécuté" in proc.stderr and "TERRITORY (--territory) : ''" in proc.stderr
    assert "expected one argument" not in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("argv,expected", [
    (["study", "--territory"], "une valeur est attendue après --territory"),
    (["study", "--territory", "x", "--draws", "beaucoup"], "--draws : nombre entier attendu, trouvé 'beaucoup'"),
    (["study", "--territory", "Ma Commune"], "TERRITORY (--territory) : 'Ma Commune'"),
    (["study", "--territory", "x", "--draws", "1000001"], "--draws : 1000001 tirages Monte Carlo"),
])
def test_cli_errors_are_french(argv, expected):
    proc = subprocess.run([sys.executable, "-m", "helpers.run.cli", *argv], capture_output=True, text=True, timeout=60,
                          cwd=ROOT)
    assert proc.returncode == 2 and expected in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and "usage:" not in proc.stderr


# --- case 11: scheduler ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:1", "tcp://10.255.255.1:8786"])
def test_an_unreachable_scheduler_is_a_french_error_within_the_timeout(address):
    import time

    env = dict(os.environ, SNR_SCHEDULER_TIMEOUT="3")
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "helpers.run.batch", "--scheduler", address, "--territories",
                           "test-mini", "--draws", "200", "--force"], capture_output=True, text=True, timeout=90,
                          env=env, cwd=ROOT)
    elapsed = time.monotonic() - t0
    assert proc.returncode == 2, proc.stderr
    assert f"l'ordonnanceur Dask {address} ne répond pas" in proc.stderr and "rien n'a été calculé" in proc.stderr
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr
    assert elapsed < 60, elapsed  # 3 s per step (connection, request, reply), never distributed's 60 s


def test_a_scheduler_that_answers_something_else_is_refused(tmp_path):
    """A TCP server that answers garbage (what a proxy does): refused as not a Dask scheduler, in bounded time."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]

    def answer():
        conn, _ = server.accept()
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n" + b"\xff" * 64)
        conn.close()
    threading.Thread(target=answer, daemon=True).start()
    from helpers.run.batch import SchedulerUnreachable, check_scheduler

    with pytest.raises(SchedulerUnreachable, match="ne répond pas|n'est pas un ordonnanceur Dask"):
        check_scheduler(f"tcp://127.0.0.1:{port}", timeout_s=3)
    server.close()


# --- case 10: publication messages tell the truth at every step -------------------------------------------------------

PATCHED = (("os", "rename"), ("os", "replace"), ("os", "symlink"), ("os", "unlink"), ("shutil", "rmtree"))

SIGTERM_SCRIPT = textwrap.dedent("""
    import importlib, os, signal, sys
    sys.path.insert(0, {src!r})
    from pathlib import Path
    from helpers.io import paths
    root = Path({root!r})
    paths.PROJECT_ROOT, paths.OUTPUTS_DIR, paths.PROCESSED_DIR = root, root / "outputs", root / "data" / "processed"
    from helpers.run import pipeline
    k, after = int(sys.argv[1]), sys.argv[2] == "after"

    def fake_publish(territory, executed, processed, outputs):
        (processed / "table.csv").write_text("new")
        (outputs / "summary.json").write_text("new")
    pipeline._publish = fake_publish
    real_run = pipeline.run_study
    pipeline.run_study = lambda slug, seed, n_draws, **kw: real_run(slug, seed, n_draws, notebooks=(), quiet=True, **kw)
    calls = [0]
    for mod, name in {patched!r}:
        module = importlib.import_module(mod)
        real = getattr(module, name)
        def wrapper(*a, _real=real, **kw):
            calls[0] += 1
            if calls[0] == k and not after:
                os.kill(os.getpid(), signal.SIGTERM)
            out = _real(*a, **kw)
            if calls[0] == k and after:
                os.kill(os.getpid(), signal.SIGTERM)
            return out
        setattr(module, name, wrapper)
    code = pipeline.main_study({slug!r}, 1, 200)
    print("calls", calls[0], flush=True)
    sys.exit(code)
""")


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "PROJECT_ROOT", tmp_path)
    monkeypatch.setattr(paths, "OUTPUTS_DIR", tmp_path / "outputs")
    monkeypatch.setattr(paths, "PROCESSED_DIR", tmp_path / "data" / "processed")
    (tmp_path / "outputs").mkdir()
    (tmp_path / "data" / "processed").mkdir(parents=True)
    return tmp_path


def _publish_old() -> None:
    shutil.rmtree(paths.OUTPUTS_DIR / ".generations", ignore_errors=True)
    for p in (paths.outputs_dir(SLUG), paths.processed_dir(SLUG)):
        if p.is_symlink():
            p.unlink()
    publication.repair(SLUG)
    staging = publication.begin(SLUG)
    try:
        (staging.processed / "table.csv").write_text("old")
        (staging.outputs / "summary.json").write_text("old")
        publication.commit(staging)
    finally:
        publication.abort(staging)


def _seen() -> tuple[str | None, str | None]:
    def read(p: Path):
        try:
            return p.read_text()
        except OSError:
            return None
    return read(paths.outputs_dir(SLUG) / "summary.json"), read(paths.processed_dir(SLUG) / "table.csv")


def test_every_message_of_an_interrupted_publication_tells_what_is_published(project):
    script = project / "sigterm.py"
    script.write_text(SIGTERM_SCRIPT.format(src=str(ROOT / "src"), root=str(project), patched=PATCHED, slug=SLUG))

    def run(k: int, when: str = "before") -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(script), str(k), when], capture_output=True, text=True, timeout=120)

    _publish_old()
    clean = run(0)
    assert clean.returncode == 0, clean.stderr
    assert "Diagnostic publié" in clean.stdout and _seen() == ("new", "new")
    n = int(clean.stdout.split("calls")[-1].split()[0])
    assert n > 5
    outcomes = set()
    for k, when in [(k, "before") for k in range(1, n + 1)] + [(n, "after")]:
        _publish_old()
        res = run(k, when)
        seen = _seen()
        assert seen in (("old", "old"), ("new", "new")), (k, when, seen)
        assert res.returncode == 143, (k, when, res.stdout, res.stderr)
        assert "Interrompu (SIGTERM)" in res.stderr and "Traceback" not in res.stderr, (k, res.stderr)
        published = "La nouvelle version est publiée" in res.stderr
        nothing = "Rien n'a été publié" in res.stderr
        assert published != nothing, (k, when, res.stderr)
        assert published == (seen == ("new", "new")), (k, when, seen, res.stderr)
        outcomes.add(seen)
        publication.repair(SLUG)  # the next run's first step changes nothing a reader sees
        assert _seen() == seen, (k, when)
    assert outcomes == {("old", "old"), ("new", "new")}  # the SIGTERM fell on both sides of the switch


def test_a_failed_clean_up_after_the_switch_is_not_a_failed_run(project, monkeypatch):
    """The previous generation cannot be removed after the switch: the run is published and says so; the next
    repair removes what is left."""
    _publish_old()
    staging = publication.begin(SLUG)
    (staging.processed / "table.csv").write_text("new")
    (staging.outputs / "summary.json").write_text("new")
    real = publication._rmtree
    calls = []

    def failing(path):
        if path.name.startswith("g-") and calls == []:
            calls.append(path)
            raise PermissionError(13, "refusé", str(path))
        return real(path)
    monkeypatch.setattr(publication, "_rmtree", failing)
    name = publication.commit(staging)
    monkeypatch.setattr(publication, "_rmtree", real)
    assert _seen() == ("new", "new") and publication.current_generation(SLUG) == name and calls
    publication.repair(SLUG)
    gens = [p.name for p in publication.store(SLUG).iterdir() if p.name.startswith("g-")]
    assert gens == [name]


# --- case 7: the DRAWS maximum fits the memory a territory may use -----------------------------------------------------


def _territory(n_entities: int):
    from helpers.io.territory import Entity, load_territory

    base = load_territory("la-rochelle")
    extra = tuple(Entity(f"c-{i}", f"Commune {i}") for i in range(max(0, n_entities - len(base.entities))))
    return type("T", (), {"entities": base.entities + extra})()


def test_the_draws_maximum_fits_the_memory_budget_of_la_rochelle_and_of_100_entities():
    """Measured peaks (``helpers.run.pipeline.MAX_DRAWS``): La Rochelle 714 MB, 104 entities 1,239 MB at 100,000
    draws; 1,000,000 draws (the former maximum) needed 5.7 GB for La Rochelle."""
    from helpers.run import pipeline

    assert pipeline.MAX_DRAWS == 100_000
    for n, measured_mb in ((4, 714), (104, 1239)):
        estimate = pipeline.draws_memory_bytes(n, pipeline.MAX_DRAWS) / 1024**2
        assert measured_mb <= estimate <= 1.1 * measured_mb, (n, estimate)
        assert pipeline.draws_memory_problem(_territory(n), pipeline.MAX_DRAWS) is None
    assert pipeline.draws_memory_bytes(4, 1_000_000) > pipeline.MEMORY_BUDGET_BYTES


def test_draws_beyond_a_big_territorys_memory_are_refused_with_the_most_that_fit(tmp_path, monkeypatch):
    from helpers.io.errors import InputError
    from helpers.run import pipeline

    big = _territory(1000)
    message = pipeline.draws_memory_problem(big, 100_000)
    assert message and "pour ce territoire de 1000 entités" in message and "au plus 2 Go par territoire" in message
    fit = int(message.rsplit("au plus ", 1)[1].split()[0])
    assert pipeline.draws_memory_problem(big, fit) is None and pipeline.draws_memory_problem(big, fit + 1000)
    from helpers.run import study

    monkeypatch.setattr("helpers.io.territory.load_territory", lambda slug: big)
    with pytest.raises(InputError, match="au plus"):
        study.compute_sections("la-rochelle", n_draws=100_000, processed_dir=tmp_path / "p")
    assert not (tmp_path / "p").exists()  # refused before any section ran
