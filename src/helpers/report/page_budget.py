"""The page budget holds by design: lists that grow with the territory (entities, communes, peers, lines) are
summarised on the published page and given in full in ``tables.xlsx``.

The diagnostic must stay within 1,000 DOM elements (``publish.check_page_budget``, EcoIndex method). Each listed
entity costs elements (a list item and its code span; one table cell per row and entity), so a territory listing its
40 communes used to fail after the whole computation ("page has 1043 DOM elements"). Every list below shows at most
:data:`MAX_LISTED` items, then one line "… et N autres", which costs one element whatever N is.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd

#: items of a list shown on the page (entities, peers); the rest is counted, listed in full in tables.xlsx
MAX_LISTED = 8
#: entity columns of a table by entity on the page; the others are summed in one "Autres entités" column
MAX_ENTITY_COLUMNS = 6
#: sheet of tables.xlsx with every entity and peer of the territory
ENTITIES_SHEET = "Entités"


def listed_markdown(items: list[str], what: str, sheet: str = ENTITIES_SHEET, n: int = MAX_LISTED) -> list[str]:
    """Markdown list lines: the first ``n`` items (already escaped), then "… et K autres {what}" pointing to the sheet
    of ``tables.xlsx`` with the full list. ``what`` is a plural French noun ("entités")."""
    lines = [f"- {item}" for item in items[:n]]
    if len(items) > n:
        lines.append(f"- … et {len(items) - n} autres {what} : liste complète dans `tables.xlsx` (feuille « {sheet} »)")
    return lines


def listed_inline(items: list[str], what: str, sheet: str = ENTITIES_SHEET, n: int = MAX_LISTED) -> str:
    """The same, as one comma-separated phrase."""
    text = ", ".join(items[:n])
    if len(items) > n:
        text += f" … et {len(items) - n} autres {what} (liste complète dans `tables.xlsx`, feuille « {sheet} »)"
    return text


def top_columns(table: pd.DataFrame, columns: list, n: int = MAX_ENTITY_COLUMNS, other: str = "Autres entités"
                ) -> pd.DataFrame:
    """``table`` with at most ``n`` of ``columns``: the ``n - 1`` largest by column sum (ties: first listed) kept, the
    others summed into one column ``"{other} ({k})"``. Unchanged when ``len(columns) <= n``."""
    if len(columns) <= n:
        return table
    sums = table[columns].sum(axis=0)
    order = sorted(range(len(columns)), key=lambda i: (-float(sums.iloc[i]), i))
    keep = [columns[i] for i in sorted(order[: n - 1])]
    rest = [c for c in columns if c not in keep]
    out = table.drop(columns=rest)
    position = max(out.columns.get_loc(c) for c in keep) + 1
    out.insert(position, f"{other} ({len(rest)})", table[rest].sum(axis=1))
    return out


def entities_table(territory) -> pd.DataFrame:
    """Every entity and peer of ``territory`` (the sheet :data:`ENTITIES_SHEET` of ``tables.xlsx``)."""
    rows = [{"role": "entité", "id": e.id, "name": e.name, "kind": e.kind, "population": e.population}
            for e in territory.entities]
    rows += [{"role": "comparaison", "id": e.id, "name": e.name, "kind": e.kind, "population": e.population}
             for e in territory.peers]
    return pd.DataFrame(rows, columns=["role", "id", "name", "kind", "population"])


# ----------------------------------------------------------------------------------------------------------------
# Pages that hold their budget whatever the territory (issue 31): overflow moves, never refuses the study
# ----------------------------------------------------------------------------------------------------------------
#
# A study is never refused for the size of its pages. What does not fit the main page's budget moves to the annex
# (the costliest blocks first, each replaced by one sentence and a link saying where it went); what does not fit the
# annex's budget moves to ``tables.xlsx`` (its tables as a sheet "Annexe N", the block replaced by one sentence naming
# the sheet; a figure keeps its image and gives its data table). Blocks are code cells' outputs: the narrative and
# the headings stay.

#: prefix of the sheets of tables.xlsx holding what did not fit the annex ("Annexe 1", "Annexe 2"…)
OVERFLOW_SHEET = "Annexe"
_IMAGE_TYPES = ("image/png", "image/svg+xml")
_TAG_OPEN = r"<[a-zA-Z]"


def _markdown_html(text: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(text)


def output_html(output) -> str:
    """The HTML a code cell's output becomes on the page (as the ``light`` template renders it), for its cost."""
    import re

    data = output.get("data", {}) if isinstance(output, dict) else {}
    for kind in _IMAGE_TYPES:
        if kind in data:
            meta = output.get("metadata", {}).get(kind, {})
            caption = meta.get("caption", "")
            table = meta.get("data_html", "")
            return (f'<figure><img src="{len(str(data[kind])) * "x"}" alt="{meta.get("alt", "")}">'
                    + (f"<figcaption>{caption}</figcaption>" if caption else "")
                    + (f"<details><summary>Données de la figure</summary>{table}</details>" if table else "")
                    + "</figure>")
    if "text/html" in data:
        return str(data["text/html"])
    if "text/markdown" in data:
        return _markdown_html(str(data["text/markdown"]))
    if "text/plain" in data and output.get("output_type") in ("display_data", "execute_result"):
        return "<pre>" + re.sub(r"<", "&lt;", str(data["text/plain"])) + "</pre>"
    return ""


def cell_cost(cell) -> tuple[int, int]:
    """``(DOM elements, bytes)`` a code cell's outputs add to its page (an estimate, to choose what to move)."""
    import re

    if cell.get("cell_type") != "code":
        return 0, 0
    html = "".join(output_html(o) for o in cell.get("outputs", []))
    return len(re.findall(_TAG_OPEN, html)), len(html.encode("utf-8"))


def cell_title(cell) -> str:
    """A short French name of a block, for the sentence that replaces it: its caption, first heading or first
    words (plain text, unescaped)."""
    import html as _html
    import re

    for output in cell.get("outputs", []):
        data = output.get("data", {})
        for kind in _IMAGE_TYPES:
            if kind in data:
                caption = output.get("metadata", {}).get(kind, {}).get("caption", "")
                if caption:
                    return _short(caption)
        text = output_html(output)
        for pattern in (r"<caption>(.*?)</caption>", r"<h[2-4][^>]*>(.*?)</h[2-4]>", r"<p>(.*?)</p>",
                        r"<strong>(.*?)</strong>"):
            m = re.search(pattern, text, re.S)
            if m:  # plain text: tags and the headings' anchor mark (¶) left out
                return _short(_html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).replace("¶", ""))
    return "Tableau détaillé"


def _short(text: str, n: int = 80) -> str:
    """``text`` on one line, at most ``n`` characters, cut at a word."""
    text = " ".join(str(text).split()).rstrip(" :.")
    if len(text) <= n:
        return text
    cut = text[: n - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:") + "…"


#: the HTML elements whose text is a block of a fragment without a table (one row each in :func:`html_frame`)
_TEXT_BLOCKS = ("p", "li", "h2", "h3", "h4", "pre", "figcaption")


class _TableCollector(HTMLParser):
    """The rows of the top-level tables of an HTML fragment (cells as whitespace-normalised text) and the text of
    its blocks outside tables."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self.blocks: list[str] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.block: list[str] | None = None
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.depth += 1
            if self.depth == 1:
                self.tables.append([])
        elif tag == "tr" and self.depth == 1:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag in _TEXT_BLOCKS and self.depth == 0:
            self.block = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.depth -= 1
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.tables:
                self.tables[-1].append(self.row)
            self.row = None
        elif tag in _TEXT_BLOCKS and self.block is not None:
            text = " ".join("".join(self.block).split())
            if text:
                self.blocks.append(text)
            self.block = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
        elif self.block is not None:
            self.block.append(data)


def html_frame(fragment: str) -> pd.DataFrame:
    """The tables of an HTML fragment as one frame (the first table's header row as columns, further tables below
    it); a fragment without a table gives one row per paragraph or list item, in a column "Texte"."""
    parser = _TableCollector()
    parser.feed(fragment)
    rows = [r for t in parser.tables for r in t]
    if not rows:
        return pd.DataFrame({"Texte": parser.blocks})
    header = parser.tables[0][0] if parser.tables[0] else []
    width = max(len(r) for r in rows)
    body = [r + [""] * (width - len(r)) for r in rows[1:]]
    return pd.DataFrame(body, columns=_sheet_columns(header, width))


def _sheet_columns(header: list[str], width: int) -> list[str]:
    """``width`` unique column names from a header row: a missing or empty cell is "Colonne i", a repeated name
    gets " (2)", " (3)"…"""
    columns = [(header[i] if i < len(header) and header[i] else f"Colonne {i + 1}") for i in range(width)]
    seen: dict[str, int] = {}
    for i, c in enumerate(columns):  # unique headers (a sheet's header row)
        seen[c] = seen.get(c, 0) + 1
        if seen[c] > 1:
            columns[i] = f"{c} ({seen[c]})"
    return columns


def fits(page: str, max_bytes: int, max_elements: int) -> tuple[int, int]:
    """``(elements over, bytes over)`` of ``page`` (both <= 0 when it fits)."""
    from helpers.report.publish import page_metrics

    m = page_metrics(page)
    return m["dom_elements"] - max_elements, m["bytes"] - max_bytes


def _pick(cells: list, over_elements: int, over_bytes: int) -> list[int]:
    """Indices of the blocks to move so that their estimated cost covers the overflow (with a margin: each move
    leaves a sentence of a few elements behind): the cheapest block that covers it alone, else the costliest blocks
    in turn. Ties: the later block (the synthesis and the first sections stay)."""
    by_bytes = over_bytes > 0 and over_elements <= 0
    need = (max(over_bytes, 0) + 1_000) if by_bytes else (max(over_elements, 0) + 5)
    costs = []
    for i, cell in cells:
        e, b = cell_cost(cell)
        gain = (b - 300) if by_bytes else (e - 3)
        if gain > 0:
            costs.append((gain, i))
    enough = [(g, i) for g, i in costs if g >= need]
    if enough:
        return [min(enough, key=lambda x: (x[0], -x[1]))[1]]
    chosen, total = [], 0
    for g, i in sorted(costs, key=lambda x: (-x[0], -x[1])):
        chosen.append(i)
        total += g
        if total >= need:
            break
    return chosen


def fit_main_page(merged, render, max_bytes: int, max_elements: int, annex_file: str):
    """Split ``merged`` into the main page and the annex so that the main page holds its budget: while it does
    not, its costliest blocks (code cells' outputs; the synthesis, narrative and headings stay) move to the annex,
    each replaced on the page by one sentence with a link to it. Returns ``(main, annex, page, moved titles)``;
    ``merged`` is changed in place (moved cells tagged ``annex``)."""
    import html as _html

    from nbformat.v4 import new_markdown_cell

    from helpers.report.publish import ANNEX_TAGS, _headings, annex_slug, split_annex

    moved: list[str] = []
    for _ in range(50):  # each round moves at least one block: bounded by the number of blocks
        main, annex = split_annex(merged)
        page = render(main)
        over_e, over_b = fits(page, max_bytes, max_elements)
        if over_e <= 0 and over_b <= 0:
            return main, annex, page, moved
        movable = [(i, c) for i, c in enumerate(merged.cells)
                   if c.cell_type == "code" and c.get("outputs") and not ANNEX_TAGS & set(c.metadata.get("tags", []))]
        chosen = _pick(movable, over_e, over_b)
        if not chosen:
            return main, annex, page, moved
        for i in sorted(chosen, reverse=True):
            cell = merged.cells[i]
            title = cell_title(cell)
            cell.metadata["tags"] = list(cell.metadata.get("tags", [])) + ["annex"]
            h2 = next((text for c in reversed(merged.cells[:i]) for level, text in reversed(_headings(c))
                       if level == 2), None)  # the section it is in, where the annex puts it
            href = f"{annex_file}#{annex_slug(h2)}" if h2 else annex_file
            note = new_markdown_cell(
                f'<p class="annexe">« {_html.escape(title)} » : en annexe, faute de place sur cette page (budget de '
                f'sobriété) — <a href="{href}">annexes</a>.</p>', id=f"deplace-{len(moved) + 1}")
            merged.cells.insert(i + 1, note)
            moved.append(title)
    main, annex = split_annex(merged)
    return main, annex, render(main), moved


def fit_annex_page(annex, render, max_bytes: int, max_elements: int, first_sheet: int = 1):
    """Make the annex hold its budget: while it does not, its costliest blocks go to ``tables.xlsx`` (their tables
    as a sheet "Annexe N" by :func:`html_frame`; the block replaced by one sentence naming the sheet; a figure
    keeps its image and gives its data table). Returns ``(page, sheets)`` with ``sheets`` ``{name: (frame, note)}``
    for :func:`helpers.report.sections.write_tables_xlsx`; ``annex`` is changed in place."""
    import html as _html

    from nbformat.v4 import new_markdown_cell

    sheets: dict[str, tuple[pd.DataFrame, str]] = {}
    done: set[int] = set()  # blocks already given to tables.xlsx
    for _ in range(50):
        page = render(annex)
        over_e, over_b = fits(page, max_bytes, max_elements)
        if over_e <= 0 and over_b <= 0:
            return page, sheets
        movable = [(i, c) for i, c in enumerate(annex.cells) if c.cell_type == "code" and c.get("outputs")
                   and id(c) not in done]
        chosen = _pick(movable, over_e, over_b)
        if not chosen:
            return page, sheets
        for i in sorted(chosen):
            cell = annex.cells[i]
            done.add(id(cell))
            title = cell_title(cell)
            sheet = f"{OVERFLOW_SHEET} {first_sheet + len(sheets)}"
            sentence = (f"« {_html.escape(title)} » : trop long pour cette page (budget de sobriété) ; en entier dans "
                        f"<code>tables.xlsx</code>, feuille « {sheet} ».")
            figures = [o for o in cell.outputs if any(k in o.get("data", {}) for k in _IMAGE_TYPES)]
            if figures:  # a figure keeps its image; its data table goes to the sheet
                frames = []
                for o in figures:
                    kind = next(k for k in _IMAGE_TYPES if k in o["data"])
                    meta = o.setdefault("metadata", {}).setdefault(kind, {})
                    if meta.get("data_html"):
                        frames.append(html_frame(meta["data_html"]))
                        meta["data_html"] = f"<p>{sentence}</p>"
                others = [o for o in cell.outputs if o not in figures]
                frames += [html_frame(output_html(o)) for o in others if output_html(o)]
                cell.outputs = figures
                frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({"Texte": []})
            else:
                frame = html_frame("".join(output_html(o) for o in cell.outputs))
                annex.cells[i] = new_markdown_cell(f'<p class="annexe">{sentence}</p>', id=f"vers-tableur-{len(sheets) + 1}")
            sheets[sheet] = (frame, f"Contenu de l'annexe « {title} », trop long pour la page (budget de sobriété).")
    return render(annex), sheets
