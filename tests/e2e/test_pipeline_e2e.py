"""End-to-end: the whole papermill chain on the small test territory, in an isolated copy of the project.

The study runs as a user runs it (``python -m helpers.run.cli study``) in a subprocess whose project root is a temporary
copy (``SNR_PROJECT_ROOT``), so the real ``data/processed`` and ``outputs`` are never touched.
Checks: exit codes, published files, summary values recomputed independently here, byte-identical reruns, and a
failing run that leaves the previous publication untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from builders.project import run_cli_study

from helpers.report import publish

ROOT = Path(__file__).resolve().parents[2]
SLUG = "test-mini"
pytestmark = pytest.mark.e2e


def run_study(root: Path, slug: str = SLUG, draws: int = 2000) -> subprocess.CompletedProcess:
    return run_cli_study(root, slug, draws)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def project(mini_project):
    """The session's published study of test-mini (``conftest.mini_project``)."""
    return mini_project


def test_study_prints_each_notebook_and_the_diagnostic_path(project):
    _, run = project
    for name in ("01_ingest", "02_carbon_balance", "03_services_lca", "04_maturity", "05_actions"):
        assert f"▶ {name}" in run.stdout
    assert f"outputs/{SLUG}/diagnostic.html" in run.stdout


def test_published_files_and_summary_keys(project):
    root, _ = project
    out = root / "outputs" / SLUG
    assert (out / "diagnostic.html").is_file() and (out / "summary.json").is_file()
    assert sorted(p.name for p in (out / "notebooks").glob("*.ipynb")) == [
        "01_ingest.ipynb", "02_carbon_balance.ipynb", "03_services_lca.ipynb", "04_maturity.ipynb", "05_actions.ipynb"]
    summary = json.loads((out / "summary.json").read_text())
    territory = {
        "slug": SLUG, "name": "Commune de Test-sur-Mer (territoire de test)", "kind": "commune",
        "population": 52000, "agents": 400, "reference_year": 2023, "target_year": 2040, "illustrative": True,
        # issue 32: the label the collectivity holds (test-mini's is made up)
        "label_nr": {"held": True, "level": 1, "year": 2024, "note": None,
                     "source": "https://example.org/test-sur-mer/label (adresse inventée pour le test)"},
        "article": None,  # issue 33: territory.yaml has no article: the name's first word gives it
    }
    # issue 35: the footprint by actor joins the territory's keys; test-mini has no open-data file
    actors = {"total_tco2e", "by_actor", "actor_files", "indicators"}
    assert set(summary["territory"]) == set(territory) | actors
    assert {k: summary["territory"][k] for k in territory} == territory
    assert summary["territory"]["actor_files"] == [] and summary["territory"]["indicators"] == {}
    assert [a["actor"] for a in summary["territory"]["by_actor"]] == ["terminals", "datacentres", "networks"]
    assert summary["territory"]["total_tco2e"]["value"] == summary["carbon"]["territory_footprint_tco2e"]["value"]
    for key in ("carbon", "services", "maturity", "actions", "trajectory", "inputs_sha256", "factors_version"):
        assert key in summary
    assert summary["inputs_provided"] == {  # issue 33: which inputs were given, so a page says "non fourni"
        "actions.csv": False, "factor_overrides.csv": False, "hosting.csv": True, "inventory.csv": True,
        "maturity.csv": True, "printing.csv": True, "purchases.csv": True, "rgesn.csv": False,
        "services.csv": True, "telecom.csv": True, "unit_prices.csv": False,
        # issue 35: the territory's open data and the stakeholders' priorities, none given for test-mini
        "communes.csv": False, "connectivity.csv": False, "datacentres.csv": False, "digital_fragility.csv": False,
        "establishments.csv": False, "priorities.csv": False, "schools.csv": False}
    # the inputs' fingerprint is the one computed here, independently
    files = sorted(p for sub in (f"data/raw/{SLUG}", "data/raw/reference")
                   for p in (root / sub).rglob("*") if p.is_file())
    combined = hashlib.sha256()
    for p in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        combined.update(f"{p.relative_to(root).as_posix()}\0{sha(p)}\n".encode())
    assert summary["inputs_sha256"] == combined.hexdigest()


def test_html_is_light_offline_and_accessible(project):
    root, _ = project
    page = (root / "outputs" / SLUG / "diagnostic.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fr">' in page
    assert page.count("<h1") == 1
    assert "<script" not in page.lower()
    # sources are cited as text or followable links; nothing is fetched: no remote src, stylesheet or CSS url()
    import re

    assert not re.search(r"""(?:src|srcset|poster|data|action)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"<link\b", page, re.I) and not re.search(r"url\(\s*['\"]?\s*(?:https?:)?//", page, re.I)
    assert "No description has been provided" not in page
    for img in page.split("<img")[1:]:
        assert 'alt="' in img.split(">")[0] and 'alt=""' not in img.split(">")[0]


def test_processed_tables_written(project):
    root, _ = project
    processed = root / "data" / "processed" / SLUG
    assert (processed / "inventory.csv").is_file()
    assert not list((root / "data" / "processed").glob(".staging-*"))


def test_rerun_is_byte_identical(project):
    root, _ = project
    out = root / "outputs" / SLUG
    before = {name: sha(out / name) for name in ("summary.json", "diagnostic.html")}
    again = run_study(root)
    assert again.returncode == 0, again.stderr
    assert {name: sha(out / name) for name in before} == before


def test_failure_names_notebook_and_keeps_previous_outputs(project):
    root, _ = project
    out = root / "outputs" / SLUG
    before = {p.relative_to(out): sha(p) for p in out.rglob("*") if p.is_file()}
    processed = root / "data" / "processed" / SLUG
    before_processed = {p.name: sha(p) for p in processed.iterdir()}
    inv = root / "data" / "raw" / SLUG / "inventory.csv"
    original = inv.read_text()
    try:
        inv.write_text(original.replace("M-01,mairie,laptop,100", "M-01,mairie,laptop,-3"))
        failed = run_study(root)
    finally:
        inv.write_text(original)
    assert failed.returncode == 1
    # an input error is reported as the input problems only, in French (issue 17, 1be374b): the notebook and cell
    # are named under --debug
    assert "inventory.csv, ligne 2, colonne 'quantity' : trouvé '-3'" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert {p.relative_to(out): sha(p) for p in out.rglob("*") if p.is_file()} == before
    assert {p.name: sha(p) for p in processed.iterdir()} == before_processed


def test_bad_territory_slug_is_refused_before_running(project):
    root, _ = project
    res = run_study(root, slug="../etc")
    assert res.returncode == 2 and "TERRITORY (--territory) : '../etc'" in res.stderr and "Traceback" not in res.stderr


def _published_state(root: Path) -> dict:
    state = {}
    for sub in (f"outputs/{SLUG}", f"data/processed/{SLUG}"):
        for p in (root / sub).rglob("*"):
            if p.is_file():
                state[p.relative_to(root).as_posix()] = sha(p)
    return state


def _start(root: Path) -> subprocess.Popen:
    env = dict(os.environ, SNR_PROJECT_ROOT=str(root), PYTHONHASHSEED="0")
    return subprocess.Popen(
        [sys.executable, "-m", "helpers.run.cli", "study", "--territory", SLUG, "--draws", "2000"],
        cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )


def _wait_for(proc: subprocess.Popen, marker: str) -> str:
    seen = ""
    while marker not in seen:
        ch = proc.stdout.read(1)
        if not ch:
            break
        seen += ch
    return seen


@pytest.mark.parametrize("sig", ["SIGINT", "SIGKILL"])
def test_interrupted_or_killed_run_leaves_publication_intact(project, sig):
    import signal

    root, _ = project
    before = _published_state(root)
    proc = _start(root)
    seen = _wait_for(proc, "▶ 02_carbon_balance")
    assert "▶ 02_carbon_balance" in seen
    if sig == "SIGKILL":
        os.killpg(proc.pid, signal.SIGKILL)  # the runner and its kernels die at once, no cleanup code runs
    else:
        proc.send_signal(signal.SIGINT)  # Ctrl-C
    proc.wait(timeout=120)
    if sig == "SIGINT":
        assert proc.returncode == 130
        assert "inchangés" in proc.stderr.read()
    assert _published_state(root) == before
    # the next run recovers from whatever the killed run left and publishes normally
    again = run_study(root)
    assert again.returncode == 0, again.stderr
    assert _published_state(root) == before


def test_study_runs_with_the_network_blocked(project, tmp_path):
    """Any attempt to open an internet socket fails in the runner and in every kernel; the study still succeeds."""
    root, _ = project
    block = tmp_path / "block"
    block.mkdir()
    (block / "sitecustomize.py").write_text(
        "import socket\n"
        "_connect = socket.socket.connect\n"
        "def _blocked(self, address):\n"
        "    if self.family in (socket.AF_INET, socket.AF_INET6):\n"
        "        raise OSError('network blocked by the test')\n"
        "    return _connect(self, address)\n"
        "socket.socket.connect = _blocked\n"
        "socket.create_connection = lambda *a, **k: (_ for _ in ()).throw(OSError('network blocked by the test'))\n"
    )
    before = _published_state(root)
    env = dict(os.environ, SNR_PROJECT_ROOT=str(root), PYTHONHASHSEED="0",
               PYTHONPATH=f"{block}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    res = subprocess.run([sys.executable, "-m", "helpers.run.cli", "study", "--territory", SLUG, "--draws", "2000"],
                         cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    assert _published_state(root) == before  # same inputs, same code: byte-identical publication


def test_html_within_its_sobriety_budget(project):
    from helpers.report.publish import MAX_DOM_ELEMENTS, MAX_PAGE_BYTES, page_metrics

    root, _ = project
    m = page_metrics((root / "outputs" / SLUG / "diagnostic.html").read_text())
    assert m["bytes"] <= MAX_PAGE_BYTES and m["dom_elements"] <= MAX_DOM_ELEMENTS
    assert m["external_refs"] == 0 and m["scripts"] == 0


BROWSER_INTERNAL_HOSTS = ("google.com", "googleapis.com", "gstatic.com", "gvt1.com", "chromium.org")


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_renders_in_a_real_browser_offline(project, tmp_path):
    """Headless Chromium (Debian package, installed by .ci/run) loads the page with the network off:
    no console error, no request made by the page, and a screenshot of the first screen under outputs/."""
    import re

    browser = _chromium()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run must install it (apt-get install chromium)")
        pytest.skip("chromium not installed on this machine (CI installs it)")
    root, _ = project
    page = (root / "outputs" / SLUG / "diagnostic.html").resolve()
    shots = ROOT / "outputs" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    shot = shots / f"{SLUG}-first-screen.png"
    netlog = tmp_path / "net.json"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--host-resolver-rules=MAP * ~NOTFOUND",
             "--proxy-server=127.0.0.1:9", "--enable-logging=stderr", "--v=0", "--window-size=1280,900"]
    cmd = ["unshare", "-n"] if shutil.which("unshare") and subprocess.run(
        ["unshare", "-n", "true"], capture_output=True).returncode == 0 else []
    res = subprocess.run(cmd + [browser, *flags, f"--log-net-log={netlog}", "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert "<h1" in res.stdout, res.stderr[-2000:]
    console = [line for line in res.stderr.splitlines() if ":CONSOLE" in line]
    assert not console, console
    urls = set(re.findall(r'"url":"([^"]+)"', netlog.read_text()))
    page_requests = [u for u in urls if not u.startswith(("file:", "data:"))
                     and not any(h in u.split("/")[2] for h in BROWSER_INTERNAL_HOSTS)]
    assert not page_requests, page_requests
    res = subprocess.run(cmd + [browser, *flags, f"--screenshot={shot}", page.as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 5000, res.stderr[-2000:]


def _reference_table(root: Path, name: str, key: str) -> dict[str, dict[str, str]]:
    import csv

    with open(root / "data/raw/reference" / name, encoding="utf-8") as fh:
        return {row[key]: row for row in csv.DictReader(fh)}


def test_carbon_total_matches_a_hand_computation(project):
    """The central carbon balance of test-mini, recomputed here line by line from the inputs and the factor library
    (csv module only, no helper code): annualised (manufacturing × s + distribution + end of life) × quantity ÷
    lifetime, plus yearly kWh × PUE × the territory's electricity factor (0.05 kgCO2e/kWh, override in
    territory.yaml), plus the room, telecom, purchases of the reference year and paper."""
    root, _ = project
    f = {k: float(v["value"]) for k, v in _reference_table(root, "factors.csv", "factor_id").items()}
    cats = _reference_table(root, "categories.csv", "category")
    elec = 0.05

    def embodied(cat, quantity, lifetime=None, recond=False):
        c = cats[cat]
        # a reconditioned device lives its second life with the collectivity (issue 29)
        life = lifetime or float(c["second_life_years" if recond else "default_lifetime_years"])
        share = float(c["reconditioned_embodied_share"]) if recond else 1.0
        phases = [f.get(f"{c['factor_item']}:{ph}:climate_change", 0.0) for ph in ("distribution", "end_of_life")]
        return quantity * (share * f[f"{c['factor_item']}:manufacturing:climate_change"] + sum(phases)) / life

    def use_kwh(cat):
        c = cats[cat]
        if c["default_yearly_kwh"]:
            return float(c["default_yearly_kwh"])
        return float(c["default_power_w"]) * float(c["default_hours_per_day"]) * float(c["default_days_per_year"]) / 1000

    kg = 0.0
    # inventory.csv (M-01 … E-02)
    kg += embodied("laptop", 100, 5) + 100 * use_kwh("laptop") * elec
    kg += embodied("screen_small", 150, 6) + 150 * use_kwh("screen_small") * elec
    kg += embodied("smartphone", 40) + 40 * use_kwh("smartphone") * elec
    kg += embodied("smartphone", 10, recond=True) + 10 * use_kwh("smartphone") * elec
    kg += embodied("mfp_copier", 5) + 5 * use_kwh("mfp_copier") * elec
    kg += embodied("server", 4, 5) + 4 * (300 * 24 * 365 / 1000) * 1.5 * elec  # explicit power, PUE 1.5 of sr-mairie
    kg += embodied("tablet", 40) + 40 * use_kwh("tablet") * elec
    kg += embodied("laptop", 20) + 20 * 80 * elec  # measured 80 kWh per laptop and year
    # hosting.csv: 20 m2 of server room
    kg += 20 * f["dc_support_equipment:manufacturing:climate_change"]
    # telecom.csv: 2 fixed lines × 12 months, 600 GB mobile, 1000 GB fixed
    kg += 2 * 12 * f["network_fixed_subscription:use:climate_change"]
    kg += 600 * f["network_mobile_fr:use:climate_change"] + 1000 * f["network_fixed_fr:use:climate_change"]
    # purchases.csv: only the reference year (2023) counts
    kg += 100_000 * f["spend_it_services:use:climate_change"]
    # printing.csv: 1000 reams + 250 000 pages
    kg += 1000 * f["paper_a4_ream:manufacturing:climate_change"] + 250_000 * f["paper_a4_page:manufacturing:climate_change"]

    summary = json.loads((root / "outputs" / SLUG / "summary.json").read_text())
    total = summary["carbon"]["total_tco2e"]
    assert total["value"] == pytest.approx(kg / 1000, rel=1e-5)
    assert total["low"] < total["value"] < total["high"]
    assert summary["carbon"]["per_agent_kgco2e"]["value"] == pytest.approx(kg / 400, rel=1e-5)


def _browser_or_skip():
    from helpers.report.browser import find_chromium

    if find_chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run must install it (apt-get install chromium)")
        pytest.skip("chromium not installed on this machine (CI installs it)")


@pytest.mark.parametrize("width", [390, 1280])
def test_page_fits_phone_and_desktop_widths(project, width):
    """At a phone width (390 px) and a desktop width (1280 px) the page never scrolls sideways (wide tables scroll
    inside themselves) and no text of the page is rendered below 12 px. Screenshots (first screen and whole page)
    are kept in outputs/screenshots/ for a person to look at."""
    _browser_or_skip()
    from helpers.report.browser import Browser

    root, _ = project
    page = root / "outputs" / SLUG / "diagnostic.html"
    label = "telephone" if width < 600 else "bureau"
    with Browser() as b:
        b.open(page, width_px=width)
        layout = b.layout()
        b.screenshot(ROOT / "outputs" / "screenshots" / f"{SLUG}-{label}-premier-ecran.png")
        b.screenshot(ROOT / "outputs" / "screenshots" / f"{SLUG}-{label}-page.png", full_page=True)
    assert layout["scroll_width"] <= width, layout
    assert layout["smallest_text_px"] >= 12, layout
    for image in layout["images"]:
        assert image["shown"] <= width, image


def _pdf_lines(pdf: Path) -> list[int]:
    """Lines of text of each page of ``pdf`` (pdftotext -layout, non-blank lines)."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    out = []
    for p in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), "-layout", str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        out.append(sum(1 for line in text.splitlines() if line.strip()))
    return out


def test_pdf_is_a4_with_every_section_and_no_empty_page(project, tmp_path):
    """The print stylesheet gives an A4 PDF (595 x 842 pt) in which every H2 section title of the page appears (the
    table of contents, a navigation aid, is not printed); sections flow one after the other, so at most two pages
    hold fewer than 10 lines of text (issue 33: 22 pages, 5 nearly empty); the links to the annex are not printed
    as dead words: the per-section ones are left out, the header's says the annex's file."""
    import re

    _browser_or_skip()
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext is not installed: .ci/run must install poppler-utils")
        pytest.skip("pdftotext not installed on this machine (CI installs it)")
    from helpers.report.browser import print_pdf

    root, _ = project
    page = root / "outputs" / SLUG / "diagnostic.html"
    pdf = print_pdf(page, tmp_path / "diagnostic.pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size and abs(float(size.group(1)) - 595.3) < 1 and abs(float(size.group(2)) - 841.9) < 1, info  # A4 in pt
    titles = [re.sub(r"<[^>]+>", "", t).strip() for t in re.findall(r"<h2[^>]*>(.*?)</h2>", page.read_text().split("<main", 1)[1], re.S)]
    assert titles
    lines = _pdf_lines(pdf)
    assert sum(n < 10 for n in lines) <= 2, lines
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    import html as _html

    for title in titles:
        assert " ".join(_html.unescape(title).split()) in text, title
    assert "Détail de cette partie" not in text and "fichier annexes.html" in text


def test_pdf_with_the_annex_keeps_its_links_inside(project, tmp_path):
    """``make pdf ANNEXES=1``: the page then its annex in one PDF; every link between them points inside the
    document (no "annexes.html" left), the annex's anchors never collide with the page's, and every section title of
    both is printed."""
    _browser_or_skip()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed on this machine (CI installs it)")
    from helpers.report.browser import combined_page, print_pdf

    root, _ = project
    out = root / "outputs" / SLUG
    main, annex = (out / publish.MAIN_FILE).read_text(), (out / publish.ANNEX_FILE).read_text()
    both = combined_page(main, annex)
    assert publish.ANNEX_FILE not in re.sub(r"content:[^;}]*", "", both.split("</style>", 1)[1])
    ids = re.findall(r'\bid="([^"]+)"', both)
    assert len(ids) == len(set(ids))
    for target in re.findall(r'href="#([^"]+)"', both):
        assert target in ids, target
    pdf = print_pdf(out / publish.MAIN_FILE, tmp_path / "complet.pdf", with_annex=True)
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Annexes" in text and "Reproductibilité" in text
    assert not (out / ".diagnostic-et-annexes.html").exists()


def test_phone_first_screen_shows_the_footprint_the_verdict_and_the_first_decision(project):
    """Issue 33's done-when: at 390 × 844 px the main page shows a tCO2e figure, the milestone verdict ("objectif …
    atteint") and the first decision above y = 844."""
    _browser_or_skip()
    from helpers.report.browser import Browser

    root, _ = project
    with Browser() as b:
        b.open(root / "outputs" / SLUG / "diagnostic.html", width_px=390, height_px=844)
        items = b.evaluate("[...document.querySelectorAll('.essentiel li')].map(li => "
                           "({text: li.innerText, bottom: li.getBoundingClientRect().bottom + window.scrollY}))")
    assert len(items) == 3, items
    assert all(i["bottom"] <= 844 for i in items), items
    text = " ".join(i["text"] for i in items).replace("\u202f", " ")
    assert re.search(r"\d+ tCO2e par an", text) and re.search(r"Objectif \d{4} (?:non )?atteint", text), text
    assert "Première décision" in text


@pytest.mark.parametrize("name", [publish.MAIN_FILE, publish.ANNEX_FILE])
def test_tables_at_phone_width_show_their_columns_or_scroll_from_the_keyboard(project, name):
    """At 390 px every table has a caption; a table that scrolls sideways can be reached from the keyboard and is
    named (tabindex, aria-label); a stacked table shows every column (no sideways scroll, each cell labelled with
    its column's header)."""
    _browser_or_skip()
    from helpers.report.browser import Browser

    root, _ = project
    with Browser() as b:
        b.open(root / "outputs" / SLUG / name, width_px=390, height_px=844)
        tables = b.evaluate("""[...document.querySelectorAll('table')].map(t => ({
            caption: t.caption ? t.caption.textContent.trim() : '', tabindex: t.getAttribute('tabindex'),
            label: t.getAttribute('aria-label') || '', scrolls: t.scrollWidth > t.clientWidth + 1,
            stacked: t.classList.contains('empile'),
            unlabelled: [...t.querySelectorAll('td')].filter(td => !td.dataset.label).length}))""")
    assert tables
    for t in tables:
        assert t["caption"], t
        if t["scrolls"]:
            assert t["tabindex"] == "0" and t["label"], t
        if t["stacked"]:
            assert not t["scrolls"] and t["unlabelled"] == 0, t


def test_main_page_and_annex_within_their_budgets_linked_both_ways(project):
    """The main page holds its stricter budget (600 elements, 300 KB), the annex the project's (1,000, 500 KB); each
    links to the other; the synthesis comes before the table of contents."""
    from helpers.report import publish

    root, _ = project
    out = root / "outputs" / SLUG
    main, annex = (out / "diagnostic.html").read_text(), (out / publish.ANNEX_FILE).read_text()
    assert publish.check_page_budget(main, publish.MAX_MAIN_PAGE_BYTES, publish.MAX_MAIN_DOM_ELEMENTS) == []
    assert publish.check_page_budget(annex) == []
    assert f'href="{publish.ANNEX_FILE}' in main and f'href="{publish.MAIN_FILE}"' in annex
    assert main.index("Trois décisions pour lancer le plan en") < main.index('<nav aria-label="Sommaire">')


def test_main_page_sections_1_to_7_have_no_jargon(project):
    """No analyst or build word (IC 95, tirages, Sobol, PUE, code identifiers, paths, hashes, English leftovers) in
    sections 1–7 of the published main page; they belong to the glossary (section 8) and the annex."""
    from test_deliverable import forbidden_tokens

    root, _ = project
    assert forbidden_tokens((root / "outputs" / SLUG / "diagnostic.html").read_text()) == []


def test_figure_text_stays_legible_on_a_phone(project):
    """Every figure of the published page, shown at 390 px: its smallest text (PNG pixels, written by
    plotting.show as data-min-font-px) × shown width ÷ PNG width is at least 9 CSS px."""
    _browser_or_skip()
    from helpers.report.browser import Browser

    root, _ = project
    with Browser() as b:
        b.open(root / "outputs" / SLUG / "diagnostic.html", width_px=390)
        images = b.layout()["images"]
    assert images
    for image in images:
        assert image["min_font_px"] is not None, image
        assert image["min_font_px"] * image["shown"] / image["natural"] >= 9, image


# the figures' captions and data tables (issue 20), on the pages this module's chain published
FIGURE_RE = re.compile(r"<figure>(.*?)</figure>", re.S)


@pytest.mark.e2e
@pytest.mark.parametrize("name", [publish.MAIN_FILE, publish.ANNEX_FILE])
def test_every_published_figure_has_a_caption_and_its_data_table(project, name):
    root, _ = project
    page = (root / "outputs" / SLUG / name).read_text(encoding="utf-8")
    figures = FIGURE_RE.findall(page.split("<main", 1)[1])
    assert figures, name
    for figure in figures:
        caption = re.search(r"<figcaption>(.*?)</figcaption>", figure, re.S)
        assert caption and caption.group(1).strip(), figure[-600:]
        details = re.search(r"<details><summary>Données de la figure</summary>(.*?)</details>", figure, re.S)
        assert details, figure[-600:]
        table = details.group(1)
        assert re.search(r"<table[ >]", table) and "<caption>Données : " in table, table[:300]  # issue 33: a caption
        assert '<th scope="col">' in table and len(re.findall(r"<td[ >]", table)) >= 1, table[:300]


@pytest.mark.e2e
def test_main_page_keeps_its_budget_with_the_data_tables(project):
    root, _ = project
    out = root / "outputs" / SLUG
    main = (out / publish.MAIN_FILE).read_text(encoding="utf-8")
    annex = (out / publish.ANNEX_FILE).read_text(encoding="utf-8")
    assert publish.check_page_budget(main, publish.MAX_MAIN_PAGE_BYTES, publish.MAX_MAIN_DOM_ELEMENTS) == []
    assert publish.check_page_budget(annex) == []
    assert main.count("<details>") == main.count("<figure>") > 0


# ------------------------------------------------------------------------------------------- the headline (issue 32)

def _text(html_page: str) -> str:
    """The reader's text of a page: tags removed, entities decoded, every space (narrow no-break ones included)
    one space."""
    import html as html_mod

    body = html_mod.unescape(re.sub(r"<[^>]+>", " ", html_mod.unescape(html_mod.unescape(html_page))))
    return re.sub(r"\s+", " ", body.replace("\u202f", " ").replace("\xa0", " "))


def test_headline_numbers_on_the_page_are_the_summary(project):
    """Issue 32: the published main page says what summary.json says. The synthesis' first tCO2e figure is the
    physical scope with its interval; the purchases, the total the trajectory follows, per agent on the physical
    scope, the manufacturing share (one value: synthesis, headline, alt text of the phase chart, the published-balance
    line, tables.xlsx) and every line of the published-balance comparison are the summary's numbers."""
    from openpyxl import load_workbook

    from helpers.io.french import fr_interval, fr_number

    root, _ = project
    out = root / "outputs" / SLUG
    page = (out / publish.MAIN_FILE).read_text(encoding="utf-8")
    text = _text(page)
    c = json.loads((out / "summary.json").read_text())["carbon"]
    assert c["headline_scope"] == "physical"

    def ivl(d, unit=""):
        return fr_interval(d["value"], d["low"], d["high"], 0, unit).replace("\u202f", " ")

    ph, sp, tot = c["physical_tco2e"], c["spend_based_tco2e"], c["total_tco2e"]
    synthesis = text.split("1. Synthèse pour les décideurs", 1)[1]
    first = re.search(r"(\d[\d ]*) tCO2e", synthesis).group(1).strip()
    assert first == fr_number(ph["value"]).replace("\u202f", " ")
    assert (f"estimée à {fr_number(ph['value'])} tCO2e en 2023, très probablement entre {fr_number(ph['low'])} et "
            f"{fr_number(ph['high'])} tCO2e").replace("\u202f", " ") in synthesis
    for needle in (f"périmètre physique {ivl(ph, 'tCO2e/an')}", f"(ratio monétaire) {ivl(sp, 'tCO2e/an')}",
                   f"base de la trajectoire : {ivl(tot, 'tCO2e/an')}",
                   f"Par agent, périmètre physique {ivl(c['per_agent_by_scope_kgco2e']['physical'], 'kgCO2e/an')}"):
        assert needle in synthesis, needle
    # the headline of section 3: physical first, then the purchases apart, then the total
    head = text.split("Résultat principal", 1)[1].split("Répartition par phase", 1)[0]
    assert head.index(ivl(ph, "tCO2e par an")) < head.index(ivl(sp, "tCO2e")) < head.index(ivl(tot, "tCO2e"))
    assert ivl(c["per_workstation_by_scope_kgco2e"]["physical"], "kgCO2e") in head
    for r in c["spend_based_ratios"]:
        assert r["year"] and f"ratios monétaires ADEME Base Carbone {r['year']}" in head
    # one manufacturing share everywhere it is written as a share of the equipment
    share = fr_number(100 * c["equipment_manufacturing_share"])
    said = re.findall(r"(\d+(?:,\d+)?) % (?:\(base : équipements|de l'empreinte des équipements)", text)
    said += re.findall(r"fabrication des équipements (?:en représente |: )?(\d+(?:,\d+)?) %", text)
    said += re.findall(r"Part de la fabrication des équipements (\d+(?:,\d+)?) %", text)
    assert len(said) >= 4 and set(said) == {share}, said
    wb = load_workbook(out / "tables.xlsx", read_only=True)
    rows = list(wb["Bilan par phase"].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    manuf = next(r for r in rows[1:] if r[0] == "Fabrication")  # issue 33: French values, labelled columns
    share_of = "Part des équipements, leur énergie, hébergement et réseaux"
    assert manuf[header.index(share_of)] == pytest.approx(c["equipment_manufacturing_share"])
    # the collectivity's published balance, line by line, with the summary's numbers and a reason each
    pub = c["published"]
    block = text.split("Bilan publié par la collectivité, ligne par ligne", 1)[1].split("Services numériques", 1)[0]
    for r in pub["comparison"]:
        assert r["reason_fr"] and r["label_fr"] in block, r["line"]
        if r["unit"] == "tCO2e/an" and r["published"] is not None:
            assert f"publié {fr_number(r['published'])} t".replace("\u202f", " ") in block, r["line"]
            assert ivl({"value": r["study"], "low": r["study_low"], "high": r["study_high"]}) in block, r["line"]
    assert "Score indicatif Label" not in text  # the crosswalk's estimate is in the annex, with its caveat
    assert "détient déjà le Label Numérique Responsable de niveau 1 depuis 2024" in text
