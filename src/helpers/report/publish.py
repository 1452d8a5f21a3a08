"""Publish the executed notebooks as one light, offline, accessible HTML diagnostic and one ``summary.json``.

This module imports nbconvert (slow); notebooks never import it. It:

- normalises executed notebooks (papermill/nbclient timing metadata removed, stable cell ids) so two runs give
  byte-identical files (``tooling-findings.md`` §3.2);
- merges them into one notebook, drops parameter cells and code inputs, renders it with the ``light`` template
  (no JavaScript, no CDN, images as data URIs with alt text, ``lang="fr"``, one H1) and adds a table of contents;
- assembles ``summary.json`` from the ``summary_<section>.json`` files the notebooks wrote.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

from helpers.io.previous import ARCHIVE_DIR, MANIFEST_FILE  # the archive a follow-up reads (issue 34)
from helpers.io.safe_write import dumps

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"
# cells tagged "analyst" stay in the notebooks (JupyterLab, executed copies) but are not published: the HTML keeps
# the rows and figures that matter, within its budget; the full tables are in tables.xlsx.
DROP_TAGS = {"parameters", "injected-parameters", "remove-cell", "analyst"}
#: cells that go to ``annexes.html`` (the detail: the data tables of the figures, sensitivity, multi-criteria detail,
#: factor table, reproducibility), not to the main page a partner reads (issue 20); "analyst" cells (the longest
#: working tables) stay in the executed notebooks and in tables.xlsx, so both pages hold their budget by design
ANNEX_TAGS = {"annex"}
#: the annex file, in the same folder as ``diagnostic.html``
ANNEX_FILE = "annexes.html"
MAIN_FILE = "diagnostic.html"
KEEP_CELL_METADATA = {"tags"}


def normalise_notebook(nb, stem: str):
    """Strip run-specific metadata and give stable cell ids, in place. Returns ``nb``."""
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{stem}-{i:03d}"
        cell.metadata = {k: v for k, v in cell.metadata.items() if k in KEEP_CELL_METADATA}
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                out.get("metadata", {}).pop("papermill", None)
    return nb


def merge_notebooks(paths: list[Path]):
    """One notebook made of the cells of ``paths`` in order, without parameter cells."""
    import nbformat

    merged = None
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        normalise_notebook(nb, Path(path).stem)
        cells = [c for c in nb.cells if not DROP_TAGS & set(c.metadata.get("tags", []))]
        if merged is None:
            merged = nb
            merged.cells = cells
        else:
            merged.cells.extend(cells)
    return merged


_MD_HEADING_RE = re.compile(r"^(#{2,4})\s+(.+?)\s*$", re.M)


#: a cell tagged ``requires-<stem>`` is published only when ``<stem>.csv`` was provided (issue 33): the headings and
#: method texts of a part whose input is absent leave the page, which says "non fourni" once instead
REQUIRES_PREFIX = "requires-"


def drop_cells_requiring(nb, provided: dict | None):
    """``nb`` without the cells tagged ``requires-<stem>`` whose input file ``<stem>.csv`` was not provided
    (``provided``: ``summary["inputs_provided"]``, file name -> bool; a file it does not list is kept). In place;
    returns ``nb``."""
    given = provided or {}

    def keep(cell) -> bool:
        for tag in cell.metadata.get("tags", []):
            if tag.startswith(REQUIRES_PREFIX) and given.get(f"{tag[len(REQUIRES_PREFIX):]}.csv") is False:
                return False
        return True

    nb.cells = [c for c in nb.cells if keep(c)]
    return nb


def _headings(cell) -> list[tuple[int, str]]:
    """(level, text) of the Markdown headings of a Markdown cell, in order."""
    if cell.cell_type != "markdown":
        return []
    return [(len(m.group(1)), m.group(2)) for m in _MD_HEADING_RE.finditer(cell.source)]


def annex_slug(text: str) -> str:
    """The anchor :func:`add_toc` gives to the first heading with ``text`` on a page."""
    return _slug(text, set())


def split_annex(nb):
    """Split a merged notebook into the main page and the annex: cells tagged with :data:`ANNEX_TAGS` go to the
    annex, each preceded by the H2/H3 heading of the section it came from (once), so the annex reads on its own;
    the main page gets one line per H2 section pointing to its detail in the annex. Returns ``(main, annex)``.
    """
    import copy

    from nbformat.v4 import new_markdown_cell

    main, annex = copy.copy(nb), copy.copy(nb)
    main.cells, annex.cells = [], []
    context: dict[int, str] = {}  # level -> current heading text in the main flow
    emitted: dict[int, str] = {}  # level -> heading text last written in the annex
    linked: set[str] = set()
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        if not ANNEX_TAGS & tags:
            for level, text in _headings(cell):
                context[level] = text
                for deeper in [k for k in context if k > level]:
                    del context[deeper]
            main.cells.append(cell)
            continue
        own = _headings(cell)
        first_level = own[0][0] if own and cell.source.lstrip().startswith("#") else 99
        h2_before = context.get(2)
        for level in sorted(context):
            if level >= first_level:
                break
            if emitted.get(level) != context[level]:
                annex.cells.append(new_markdown_cell(f"{'#' * level} {context[level]}", id=f"annexe-{len(annex.cells)}"))
                emitted[level] = context[level]
                for deeper in [k for k in emitted if k > level]:
                    del emitted[deeper]
        for level, text in own:
            emitted[level] = context[level] = text
            for deeper in [k for k in context if k > level]:
                del context[deeper]
        annex.cells.append(cell)
        h2 = h2_before or context.get(2)
        if h2 and h2 not in linked:
            linked.add(h2)
            # the annex section of this part: its H2 context, or the cell's own H2 when it brings one (the main page's
            # "8. Méthode" links to the annex's "Reproductibilité": no dead anchor, issue 33)
            target = own[0][1] if own and first_level == 2 else h2
            main.cells.append(new_markdown_cell(
                f'<p class="annexe">Détail de cette partie : <a href="{ANNEX_FILE}#{annex_slug(target)}">annexes</a>.</p>',
                id=f"lien-annexe-{len(linked)}"))
    return main, annex


_HEADING_RE = re.compile(r"<h([23]) id=\"([^\"]+)\">(.*?)</h\1>", re.S)
_ANCHOR_RE = re.compile(r"<a class=\"anchor-link\"[^>]*?(?:/>|>.*?</a>)", re.S)  # nbconvert writes <a .../> when the text is empty
_TAG_RE = re.compile(r"<[^>]+>")


def _slug(text: str, used: set[str]) -> str:
    import unicodedata

    base = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "-", base).strip("-")[:60] or "section"
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    used.add(slug)
    return slug


def add_toc(page: str, toc_first: bool = False) -> str:
    """Replace ``__TOC__`` with the list of H2 sections; give every H2/H3 heading a short, stable anchor."""
    used: set[str] = set()
    entries: list[tuple[int, str, str]] = []

    def repl(m: re.Match) -> str:
        level, inner = int(m.group(1)), _ANCHOR_RE.sub("", m.group(3)).strip()
        text = html.unescape(_TAG_RE.sub("", inner)).strip()
        anchor = _slug(text, used)
        entries.append((level, anchor, text))
        return f'<h{level} id="{anchor}">{inner}</h{level}>'

    page = _HEADING_RE.sub(repl, page)
    # the table of contents lists the H2 sections (every H2/H3 keeps its anchor): a TOC of every H3 would cost
    # about a hundred DOM elements of the page's budget for little use on a 15-minute read. It is placed after the
    # first section (the synthesis), so the first screen of a phone shows numbers, not a list of links (issue 20).
    out = ['<nav aria-label="Sommaire"><p class="toc-title">Sommaire</p>', "<ol>"]
    out += [f'<li><a href="#{anchor}">{html.escape(text)}</a></li>' for level, anchor, text in entries if level == 2]
    out.append("</ol></nav>")
    toc = "\n".join(out)
    page = page.replace("__TOC__", "", 1)
    main_at = page.find("<main")
    first = page.find("<h2", main_at) if main_at >= 0 else -1
    if toc_first and first >= 0:  # the annex: the list of its sections comes first
        return page[:first] + toc + "\n" + page[first:]
    second = page.find("<h2", first + 1) if first >= 0 else -1
    if second < 0:
        end = page.find("</main>")
        return page[:end] + toc + "\n" + page[end:] if end >= 0 else page + toc
    return page[:second] + toc + "\n" + page[second:]


ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "ul", "ol", "li", "table", "caption", "thead", "tbody", "tr", "th", "td", "strong", "em",
    "code", "pre", "a", "img", "figure", "figcaption", "br", "span", "div", "sup", "sub", "abbr", "blockquote", "hr",
    "dl", "dt", "dd", "details", "summary",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "data-min-font-px"}, "th": {"scope"},
                       "abbr": {"title", "lang"}, "span": {"lang"}, "em": {"lang"}, "i": {"lang"}}


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name in ("class", "id"):
        return True
    if tag == "img" and name == "src":
        return value.startswith("data:image/")  # never a request outside the file
    if tag == "img" and name in ("width", "data-min-font-px"):
        return re.fullmatch(r"\d{1,4}(?:\.\d)?", value) is not None  # a number, nothing else
    return name in _ALLOWED_ATTRIBUTES.get(tag, ())


def sanitize_html(fragment: str) -> str:
    """Keep only harmless markup (no script, no style, no event handlers, no remote images); strip the rest.

    Input strings are already escaped where they are written; this is the second line of defence.
    """
    import bleach

    fragment = _ANCHOR_RE.sub("", str(fragment))
    return bleach.clean(fragment, tags=ALLOWED_TAGS, attributes=_allowed_attribute,
                        protocols=["data", "https", "http", "mailto"], strip=True, strip_comments=True)


def render_html(nb, title: str, header_html: str = "", footer_html: str = "", toc_first: bool = False) -> str:
    """Render a merged notebook with the light template. ``header_html``/``footer_html`` must be escaped already.
    The table of contents follows the first section (the synthesis), or comes first when ``toc_first``."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="light",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    css = (TEMPLATES_DIR / "light" / "light.css").read_text(encoding="utf-8")
    resources = {"diagnostic": {"title": title, "css": css, "header_html": header_html, "footer_html": footer_html}}
    exporter.register_filter("sanitize", sanitize_html)
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    body = add_toc(body, toc_first)
    body = accessible_tables(body)
    body = mark_foreign_terms(body)
    body = re.sub(r"\n{3,}", "\n\n", body)
    return body.strip() + "\n"


# ----------------------------------------------------------------------------------------------------------------
# Tables a phone reader can read, and foreign terms marked (issue 33)
# ----------------------------------------------------------------------------------------------------------------

_TABLE_RE = re.compile(r"<table>(.*?)</table>", re.S)
_ROW_RE = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL_RE = re.compile(r"<(t[hd])((?:\s[^>]*)?)>(.*?)</\1>", re.S)
_CAPTION_RE = re.compile(r"<caption>(.*?)</caption>", re.S)
#: a table of at least this many columns is stacked on a phone (light.css, ``table.empile``): each row becomes a block
#: and each cell shows its column's header before its value, so no column is hidden; narrower tables wrap in place
STACK_FROM_COLUMNS = 3
#: a table of at least this many columns is also stacked on a tablet (up to 960 px, the page's width): it would
#: scroll sideways there (class ``large``)
STACK_ON_TABLETS_FROM_COLUMNS = 6
#: a table of at most this many data rows is never split across printed pages (``table.court``: it moves whole, and
#: leaves at most a quarter of a page blank); a longer one may split, with its header row repeated on every page
#: (``<thead>``, from :data:`REPEAT_HEADER_FROM_ROWS` rows: a table that may split at all)
SHORT_TABLE_ROWS = 12
REPEAT_HEADER_FROM_ROWS = SHORT_TABLE_ROWS + 1


def _plain(fragment: str) -> str:
    """The text of an HTML fragment on one line (tags removed, entities kept escaped)."""
    return re.sub(r"\s+", " ", _TAG_RE.sub("", fragment)).strip()


def accessible_tables(page: str) -> str:
    """Every ``<table>`` of a rendered page made readable on a phone and reachable from the keyboard:

    - ``tabindex="0"`` and ``aria-label`` (its caption) on the table, which is its own horizontal scroller
      (light.css), so a keyboard user can scroll a wide table and a screen reader names it;
    - header cells of the first row get ``scope="col"``, other header cells ``scope="row"`` (when they have none);
    - every data cell gets ``data-label``, the header of its column, and a table of :data:`STACK_FROM_COLUMNS`
      columns or more the class ``empile``: on a screen narrower than 600 px each row is stacked as a block
      whose cells show their column's name (light.css), so every column is read without scrolling; a table of
      :data:`STACK_ON_TABLETS_FROM_COLUMNS` columns or more (``large``) is stacked up to 960 px;
    - in print, a table of at most :data:`SHORT_TABLE_ROWS` rows is kept on one page (class ``court``), a longer
      one gets its header row in a ``<thead>``, repeated on every page it spans.

    No element is added except that ``<thead>`` (the pages' DOM budgets); a table without a caption keeps no label
    (tests require one).
    """
    def one(m: re.Match) -> str:
        inner = m.group(1)
        cap = _CAPTION_RE.search(inner)
        label = _plain(cap.group(1)) if cap else ""
        headers: list[str] = []
        n_cols = 0
        first = True

        def row(rm: re.Match) -> str:
            nonlocal headers, n_cols, first
            cells = _CELL_RE.findall(rm.group(1))
            is_header = first and cells and all(tag == "th" for tag, _, _ in cells)
            out = []
            for i, (tag, attrs, text) in enumerate(cells):
                if tag == "th" and "scope=" not in attrs:
                    attrs += ' scope="col"' if is_header else ' scope="row"'
                elif tag == "td" and i < len(headers) and headers[i] and "data-label=" not in attrs:
                    attrs += f' data-label="{html.escape(html.unescape(headers[i]), quote=True)}"'
                out.append(f"<{tag}{attrs}>{text}</{tag}>")
            if is_header:
                headers = [_plain(text) for _, _, text in cells]
                n_cols = len(cells)
            first = False
            return "<tr>" + "".join(out) + "</tr>"

        inner = _ROW_RE.sub(row, inner)
        n_rows = len(_ROW_RE.findall(inner)) - (1 if headers else 0)
        if headers and n_rows >= REPEAT_HEADER_FROM_ROWS and "<thead>" not in inner:
            inner = re.sub(r"(?:<tbody>\s*)?(<tr>.*?</tr>)", r"<thead>\1</thead><tbody>", inner, count=1, flags=re.S)
            if "</tbody>" not in inner:
                inner = inner + "</tbody>"
        attrs = ' tabindex="0"'
        if label:
            attrs += f' aria-label="{html.escape(html.unescape(label), quote=True)}"'
        classes = ((["empile"] if n_cols >= STACK_FROM_COLUMNS else [])
                   + (["large"] if n_cols >= STACK_ON_TABLETS_FROM_COLUMNS else [])
                   + (["court"] if n_rows <= SHORT_TABLE_ROWS else []))
        if classes:
            attrs += f' class="{" ".join(classes)}"'
        return f"<table{attrs}>{inner}</table>"

    return _TABLE_RE.sub(one, page)


#: terms in a foreign language that the diagnostic writes as their authors do (reference names, methods), marked
#: with their language so a screen reader pronounces them right (WCAG 2.1, 3.1.2 Language of Parts); the longest
#: first so "Benchmark Green IT" is one span
FOREIGN_TERMS: tuple[tuple[str, str], ...] = tuple(sorted((
    ("Benchmark Green IT", "en"), ("Green IT", "en"), ("Sustainable Web Design", "en"), ("lazy loading", "en"),
    ("Digital Collaborative Lab", "en"), ("Software as a Service", "en"), ("Power Usage Effectiveness", "en"),
    ("Sustainable IT", "en"), ("Green Software Foundation", "en"), ("streaming", "en"), ("co2.js", "en"),
), key=lambda t: -len(t[0])))
_FOREIGN_RE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(t) for t, _ in FOREIGN_TERMS) + r")(?![\w-])")
_LANG_OF = {t: lang for t, lang in FOREIGN_TERMS}
#: elements whose text is never marked (not read as prose, or attributes only)
_NO_MARK_TAGS = ("title", "style", "script", "code", "pre", "caption", "summary")


def mark_foreign_terms(page: str) -> str:
    """Wrap each occurrence of a :data:`FOREIGN_TERMS` term in the text of ``page`` (never in a tag, an attribute, a
    title, a code span, a caption or an existing ``lang`` span) in ``<span lang="…">``."""
    parts = re.split(r"(<[^>]+>)", page)
    skip: list[str] = []  # open elements whose text is left as it is
    body = False
    for i, part in enumerate(parts):
        if part.startswith("<"):
            m = re.match(r"<(/?)([a-zA-Z0-9]+)", part)
            if not m:
                continue
            closing, tag = bool(m.group(1)), m.group(2).lower()
            if tag == "body":
                body = not closing
            elif closing and skip and skip[-1] == tag:
                skip.pop()
            elif not closing and not part.endswith("/>") and (
                    tag in _NO_MARK_TAGS or (tag == "span" and ("lang=" in part or (skip and skip[-1] == "span")))):
                skip.append(tag)
            continue
        if body and not skip and part:
            parts[i] = _FOREIGN_RE.sub(lambda t: f'<span lang="{_LANG_OF[t.group(1)]}">{t.group(1)}</span>', part)
    return "".join(parts)


def sha256_files(files: list[Path], root: Path) -> tuple[str, dict[str, str]]:
    """Combined sha256 of ``files`` (path relative to ``root`` and content), and one hash per file."""
    combined = hashlib.sha256()
    each = {}
    for f in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        with open(f, "rb") as fh:  # streamed: a large input costs no memory
            digest = hashlib.file_digest(fh, "sha256").hexdigest()
        rel = f.relative_to(root).as_posix()
        each[rel] = digest
        combined.update(f"{rel}\0{digest}\n".encode())
    return combined.hexdigest(), each


def _inside_regular_files(folder: Path) -> list[Path]:
    """Regular, non-hidden files of ``folder`` whose real path stays inside it: a symlink leading out of the folder
    (``hosting.csv -> /etc/passwd``), a FIFO or a device is never opened, and no hash of it is published."""
    import os
    import stat

    real_root = folder.resolve()
    out = []
    for p in folder.rglob("*"):
        if p.name.startswith("."):
            continue
        try:
            real = p.resolve(strict=True)
            mode = os.stat(real).st_mode
        except (OSError, RuntimeError):
            continue
        if stat.S_ISREG(mode) and (real == real_root or real_root in real.parents):
            out.append(p)
    return out


def input_files(raw_dir: Path, reference_dir: Path) -> list[Path]:
    """The input files fingerprinted in ``summary.json``: regular files inside each folder (see
    :func:`_inside_regular_files`)."""
    return _inside_regular_files(raw_dir) + _inside_regular_files(reference_dir)




def archive_inputs(files: list[Path], root: Path, outputs: Path) -> Path:
    """Copy the input files the study used (``files``, as :func:`input_files` lists them) into
    ``outputs/inputs/<path relative to root>``: next year's follow-up study reruns them with its own library
    (issue 34), whatever the collectivity has since written over ``data/raw/<slug>/``."""
    import shutil

    dest = outputs / ARCHIVE_DIR
    for f in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        target = dest / f.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, target)
    return dest


def write_manifest(outputs: Path) -> Path:
    """``manifest.json``: every published file of ``outputs`` (path relative to it, ``/``-separated) and its
    sha256, sorted; the manifest itself is not listed. A follow-up study checks the previous study's files against
    it before reading them."""

    files = [p for p in outputs.rglob("*") if p.is_file() and p.name != MANIFEST_FILE]
    _, each = sha256_files(files, outputs)
    path = outputs / MANIFEST_FILE
    path.write_text(dumps({"algorithm": "sha256", "files": dict(sorted(each.items()))}) + "\n", encoding="utf-8")
    return path


def assemble_summary(processed_dir: Path, territory, inputs_sha256: str, inputs_files: dict[str, str],
                     code_version: str) -> dict:
    """``summary.json``: the territory, every section the notebooks wrote, and the provenance of the run.

    Sections that no notebook wrote stay absent or empty; nothing is invented.
    """
    summary: dict = {
        "territory": {
            "slug": territory.slug, "name": territory.name, "kind": territory.kind,
            "population": territory.population, "agents": territory.agents,
            "reference_year": territory.reference_year, "target_year": territory.target_year,
            "illustrative": territory.illustrative,
            "label_nr": getattr(territory, "label_nr", None),  # issue 32: the label the collectivity holds
            "article": getattr(territory, "article", None),  # issue 33: the article of its name, when given
        },
        "carbon": {},
        "services": [],
        "maturity": {},
        "actions": [],
        "trajectory": {},
        "inputs_sha256": inputs_sha256,
        "inputs_files_sha256": inputs_files,
        "code_version": code_version,
    }
    for path in sorted(processed_dir.glob("summary_*.json")):
        payload = json.loads(path.read_text(encoding="utf-8"))
        section, data = payload["section"], payload["data"]
        if section == "services" and isinstance(data, dict) and "services" in data:
            summary["services"] = data["services"]
        elif section == "actions" and isinstance(data, dict):
            summary["actions"] = data.get("actions", [])
            for key, value in data.items():
                if key != "actions":
                    summary[key] = value
        elif section == "territory":  # issue 35: the actors' split joins the territory's keys
            summary["territory"].update(data)
        elif section == "ingest":  # issue 33: which input files were given, so a page says "non fourni"
            summary["inputs_provided"] = dict(sorted((data.get("files_provided") or {}).items()))
        else:
            summary[section] = data
        summary.update(payload.get("top_level", {}))
    from helpers.report.sections import assumed_share, top_actions

    summary["synthesis"] = {"top_actions": top_actions(summary)}
    summary["inputs_assumed"] = assumed_share(processed_dir)  # issue 36: the batch comparison's trust column
    return summary


def write_summary(summary: dict, path: Path) -> Path:
    path.write_text(dumps(summary) + "\n", encoding="utf-8")
    return path


#: budget of the annex (and of any page without its own budget): the project's sobriety budget
MAX_PAGE_BYTES = 500_000
MAX_DOM_ELEMENTS = 1000
#: budget of the main page a partner reads: with one request, 600 DOM elements and 300 KB keep it within an
#: EcoIndex-method grade B (the grade itself is not computed here; see the closing note of issue 20)
MAX_MAIN_PAGE_BYTES = 300_000
MAX_MAIN_DOM_ELEMENTS = 600
# what a browser would fetch: src/srcset/poster/data/action attributes and <link href>, CSS url(); a plain
# <a href> to a cited source is a link the reader may follow, not a request made by the page.
_EXTERNAL_RE = re.compile(r"""(?:\b(?:src|srcset|action|poster|data)|<link\b[^>]*\bhref)\s*=\s*["']?\s*(?:https?:)?//""",
                          re.I)
_CSS_URL_RE = re.compile(r"url\(\s*['\"]?\s*(?:https?:)?//", re.I)


def page_metrics(page: str) -> dict:
    """Size in bytes, number of DOM elements (as an HTML parser counts them) and external references of a page."""
    from html.parser import HTMLParser

    class Counter(HTMLParser):
        def __init__(self):
            super().__init__()
            self.elements = 0

        def handle_starttag(self, tag, attrs):
            self.elements += 1

        def handle_startendtag(self, tag, attrs):
            self.elements += 1

    counter = Counter()
    counter.feed(page)
    external = len(_EXTERNAL_RE.findall(page)) + len(_CSS_URL_RE.findall(page))
    return {"bytes": len(page.encode("utf-8")), "dom_elements": counter.elements, "external_refs": external,
            "scripts": page.lower().count("<script")}


def check_page_budget(page: str, max_bytes: int = MAX_PAGE_BYTES, max_elements: int = MAX_DOM_ELEMENTS) -> list[str]:
    """What breaks a page's sobriety budget (empty when the page is within it). The main page is checked with
    :data:`MAX_MAIN_PAGE_BYTES` / :data:`MAX_MAIN_DOM_ELEMENTS`, the annex with the defaults."""
    m = page_metrics(page)
    problems = []
    if m["bytes"] > max_bytes:
        problems.append(f"la page pèse {m['bytes']} octets (budget {max_bytes})")
    if m["dom_elements"] > max_elements:
        problems.append(f"la page a {m['dom_elements']} éléments DOM (budget {max_elements})")
    if m["external_refs"]:
        problems.append(f"la page fait référence à {m['external_refs']} ressource(s) externe(s)")
    if m["scripts"]:
        problems.append("la page contient un script")
    return problems
