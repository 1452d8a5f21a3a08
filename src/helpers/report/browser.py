"""Headless Chromium driven over the DevTools protocol on a pipe: screenshots, PDF and layout measurements.

Used by ``make shots`` and ``make pdf`` (``python -m helpers.report.browser``) and by the rendering tests. No extra Python
dependency: Chromium's ``--remote-debugging-pipe`` reads NUL-terminated JSON commands on file descriptor 3 and writes
its answers on file descriptor 4 (Chrome DevTools Protocol, ``Page.captureScreenshot``, ``Page.printToPDF``,
``Runtime.evaluate``, ``Emulation.setDeviceMetricsOverride``).

The browser runs offline (no proxy, every host resolved to nothing, background networking off) with a fresh profile,
as the published page must work without network access. Chromium is Debian's package (``apt-get install chromium``,
done by ``.ci/run``); :func:`find_chromium` returns ``None`` when it is absent and callers say so in French.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--hide-scrollbars",
    "--font-render-hinting=none",
)

#: Widths at which the diagnostic is checked: a phone (390 px, iPhone 12–15 class) and a desktop.
PHONE_WIDTH_PX = 390
DESKTOP_WIDTH_PX = 1280


def find_chromium() -> str | None:
    """Path of a Chromium binary, or ``None``."""
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


class BrowserMissing(RuntimeError):
    """Chromium is not installed."""


class Browser:
    """One headless Chromium process and one page, driven over the DevTools pipe.

    Use as a context manager: ``with Browser() as b: b.open(path, width_px=390); b.screenshot(out)``.
    """

    def __init__(self, binary: str | None = None, timeout_s: float = 60.0):
        self.binary = binary or find_chromium()
        if self.binary is None:
            raise BrowserMissing(
                "Chromium est introuvable : installez-le (apt-get install chromium) ou lancez .ci/run, qui l'installe."
            )
        self.timeout_s = timeout_s
        self._id = 0
        self._buffer = b""
        self._session: str | None = None

    def __enter__(self) -> Browser:
        self._profile = tempfile.mkdtemp(prefix="snr-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # the child sees our pipe ends as its fds 3 (commands in) and 4 (answers out)
        os.set_inheritable(to_browser_r, True)
        os.set_inheritable(from_browser_w, True)

        def wire():
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self._proc = subprocess.Popen(
            [self.binary, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={self._profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire, close_fds=False,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable")
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.call("Browser.close", session=False)
        except Exception:  # noqa: BLE001 - the browser may already be gone
            pass
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self._profile, ignore_errors=True)

    # -- protocol ------------------------------------------------------------------------------------------------
    def call(self, method: str, params: dict | None = None, session: bool = True) -> dict:
        """Send one command and return its ``result`` (raises ``RuntimeError`` on a protocol error)."""
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session and self._session:
            message["sessionId"] = self._session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout_s
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def _read(self, deadline: float) -> dict:
        import select

        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium ne répond pas (délai dépassé)")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium s'est arrêté")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    # -- page ----------------------------------------------------------------------------------------------------
    def open(self, path: str | Path, width_px: int = DESKTOP_WIDTH_PX, height_px: int = 900,
             scale: float = 1.0) -> None:
        """Load a local file at a viewport ``width_px`` wide (CSS pixels) and wait until it is loaded."""
        self.call("Emulation.setDeviceMetricsOverride", {
            "width": int(width_px), "height": int(height_px), "deviceScaleFactor": scale,
            "mobile": width_px < 600,
        })
        self.call("Page.navigate", {"url": Path(path).resolve().as_uri()})
        deadline = time.monotonic() + self.timeout_s
        while self.evaluate("document.readyState") != "complete":
            if time.monotonic() > deadline:
                raise TimeoutError(f"la page {path} ne finit pas de se charger")
            time.sleep(0.05)

    def evaluate(self, expression: str):
        """Value of a JavaScript expression in the page (JSON-serialisable)."""
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"JavaScript: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def screenshot(self, out: str | Path, full_page: bool = False) -> Path:
        """PNG of the first screen (or of the whole page)."""
        params: dict = {"format": "png"}
        if full_page:
            w, h = self.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            params.update(captureBeyondViewport=True, clip={"x": 0, "y": 0, "width": w, "height": min(h, 16000),
                                                             "scale": 1})
        data = self.call("Page.captureScreenshot", params)["data"]
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(base64.b64decode(data))
        return out

    def pdf(self, out: str | Path) -> Path:
        """A4 PDF of the page with its print stylesheet (margins 15 mm, backgrounds kept)."""
        mm = 1 / 25.4
        data = self.call("Page.printToPDF", {
            "paperWidth": 210 * mm, "paperHeight": 297 * mm, "marginTop": 15 * mm, "marginBottom": 15 * mm,
            "marginLeft": 15 * mm, "marginRight": 15 * mm, "printBackground": True, "preferCSSPageSize": True,
        })["data"]
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(base64.b64decode(data))
        return out

    def layout(self) -> dict:
        """Layout facts of the loaded page: document and viewport widths, and the smallest rendered text."""
        return self.evaluate(_LAYOUT_JS)


#: Document width against the viewport, and the smallest font size of visible text (CSS px).
_LAYOUT_JS = r"""(() => {
  const doc = document.documentElement;
  let smallest = 1e9, where = '';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el || !el.getClientRects().length) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < smallest) { smallest = size; where = el.tagName + ': ' + node.textContent.trim().slice(0, 40); }
  }
  const images = [...document.images].map(img => ({
    alt: (img.alt || '').slice(0, 60), natural: img.naturalWidth, shown: img.getBoundingClientRect().width,
    min_font_px: img.dataset.minFontPx ? parseFloat(img.dataset.minFontPx) : null}));
  return {scroll_width: doc.scrollWidth, client_width: doc.clientWidth, viewport: window.innerWidth,
          smallest_text_px: smallest, smallest_text_where: where, images: images};
})()"""


#: the printable document of the diagnostic with its annex (``make pdf ANNEXES=1``), written beside the pages
COMBINED_FILE = ".diagnostic-et-annexes.html"
ANNEX_ID_PREFIX = "annexe-"


def combined_page(main: str, annex: str) -> str:
    """One HTML document for print: the main page, then the annex's sections under an "Annexes" title (a new page),
    every link between the two turned into a link inside the document (``annexes.html#x`` → ``#annexe-x``, the
    annex's own anchors prefixed so they never collide with the main page's), the annex's table of contents and
    header left out. Both pages are published by this project (``helpers.report.publish``), so their structure is
    known: one ``<main id="contenu">`` each."""
    import re

    from helpers.report.publish import ANNEX_FILE, MAIN_FILE

    body = annex.split('<main id="contenu">', 1)[1].rsplit("</main>", 1)[0]
    body = re.sub(r'<nav aria-label="Sommaire">.*?</nav>', "", body, flags=re.S)
    body = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{ANNEX_ID_PREFIX}{m.group(1)}"', body)
    body = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{ANNEX_ID_PREFIX}{m.group(1)}"', body)
    body = body.replace(f'href="{MAIN_FILE}"', 'href="#contenu"')
    main = re.sub(rf'href="{re.escape(ANNEX_FILE)}#([^"]+)"', lambda m: f'href="#{ANNEX_ID_PREFIX}{m.group(1)}"', main)
    main = main.replace(f'href="{ANNEX_FILE}"', 'href="#annexes"')
    part = f'<h1 id="annexes" class="annexes">Annexes</h1>\n{body}'
    head, tail = main.rsplit("</main>", 1)
    return f"{head}{part}\n</main>{tail}"


def print_pdf(page: str | Path, out: str | Path, with_annex: bool = False) -> Path:
    """A4 PDF of the published diagnostic ``page``; with ``with_annex``, of the diagnostic followed by its annex
    (:func:`combined_page`, the annex ``annexes.html`` beside the page), links between them kept inside the PDF."""
    from helpers.report.publish import ANNEX_FILE

    page = Path(page)
    source = page
    if with_annex:
        source = page.with_name(COMBINED_FILE)
        source.write_text(combined_page(page.read_text(encoding="utf-8"),
                                        page.with_name(ANNEX_FILE).read_text(encoding="utf-8")), encoding="utf-8")
    try:
        with Browser() as b:
            b.open(source)
            return b.pdf(out)
    finally:
        if with_annex:
            source.unlink(missing_ok=True)


def shots(page: str | Path, out_dir: str | Path, stem: str) -> list[Path]:
    """First-screen and full-page screenshots at phone and desktop widths; returns the PNG paths."""
    out_dir = Path(out_dir)
    written = []
    with Browser() as b:
        for label, width in (("telephone", PHONE_WIDTH_PX), ("bureau", DESKTOP_WIDTH_PX)):
            b.open(page, width_px=width, height_px=844 if width < 600 else 900)
            written.append(b.screenshot(out_dir / f"{stem}-{label}-premier-ecran.png"))
            written.append(b.screenshot(out_dir / f"{stem}-{label}-page.png", full_page=True))
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers.report.browser shots|pdf --territory <slug>``: screenshots or PDF of a published diagnostic."""
    import argparse
    import sys

    from helpers.io import paths

    parser = argparse.ArgumentParser(prog="helpers.report.browser", description="captures et PDF du diagnostic publié")
    parser.add_argument("what", choices=("shots", "pdf"))
    parser.add_argument("--territory", default="la-rochelle")
    parser.add_argument("--annexes", action="store_true",
                        help="PDF du diagnostic suivi de ses annexes (diagnostic-et-annexes.pdf)")
    args = parser.parse_args(argv)
    slug = paths.check_slug(args.territory)
    page = paths.outputs_dir(slug) / "diagnostic.html"
    if not page.exists():
        print(f"Aucun diagnostic publié pour '{slug}' ({page.relative_to(paths.PROJECT_ROOT)} absent) : "
              f"lancez d'abord make study TERRITORY={slug}", file=sys.stderr)
        return 2
    if find_chromium() is None:
        print("Chromium est introuvable : installez-le (apt-get install chromium), puis relancez.", file=sys.stderr)
        return 2
    if args.what == "pdf":
        name = "diagnostic-et-annexes.pdf" if args.annexes else "diagnostic.pdf"
        out = print_pdf(page, paths.outputs_dir(slug) / name, with_annex=args.annexes)
        print(f"PDF écrit : {out.relative_to(paths.PROJECT_ROOT)}")
        return 0
    written = shots(page, paths.OUTPUTS_DIR / "screenshots", slug)
    for path in written:
        print(f"Capture : {path.relative_to(paths.PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
