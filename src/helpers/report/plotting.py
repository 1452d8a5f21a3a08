"""Figures and number formatting for the French diagnostic.

- :func:`show` displays a matplotlib figure as a compact PNG (or SVG) with its alternative text (the message of the
  figure), its caption and the table of its data, which the publish step turns into ``<figure><img alt=...>
  <figcaption>…</figcaption><details>`` (the data table) ``</details></figure>``.
- :data:`PALETTE` is the Okabe-Ito colour-blind-safe palette; figures label their bars directly so no information
  is carried by colour alone (no hatching).
- :func:`fr_number` formats numbers the French way (``1 234,5``).
"""

from __future__ import annotations

import io
import re

# the French number format lives with the model, which writes French numbers into processed tables
from helpers.io.french import NBSP, fr_interval, fr_number, fr_sig  # noqa: F401 (re-exported)

# Okabe & Ito (2008), "Color Universal Design", colour-blind safe.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def setup():
    """Deterministic, light matplotlib defaults. Returns ``matplotlib.pyplot``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({
        "figure.dpi": 90,
        "savefig.dpi": 90,
        "figure.figsize": (7.5, 4.0),
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
        "svg.hashsalt": "snr-diagnostic",
        "axes.formatter.use_locale": False,
        # labels come from the inputs (entity, service names): a '$' must never start mathtext (an odd one raises)
        "text.parse_math": False,
    })
    from helpers.report import report_theme

    report_theme.apply()
    return plt


def png_bytes(fig, colours: int = 32, dpi: float | None = None) -> bytes:
    """Light PNG bytes of ``fig``: palette image of at most ``colours`` colours, no timestamp.

    Figures are flat charts (a few palette colours plus anti-aliasing), so an adaptive palette of 32 colours is
    visually lossless and divides the weight by about 3 to 4 against an RGBA PNG. The quantisation is
    deterministic (median cut, no dithering), so two runs give byte-identical images.
    """
    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None}, dpi=dpi)
    buf.seek(0)
    image = Image.open(buf).convert("RGB")
    small = image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _french_formatter():
    """A matplotlib tick formatter writing numbers the French way (``1 000``, ``0,2``), built lazily."""
    import math

    from matplotlib.ticker import Formatter

    class FrenchFormatter(Formatter):
        """Tick labels in French format, with as many decimals as the spacing of the ticks needs.

        Replaces matplotlib's default ``ScalarFormatter`` (``1000``, ``0.2``, offsets such as ``1e6``) and log
        formatters (``1.4×10⁰``) on every numeric axis, so the published figures read ``1 000`` and ``0,2``.
        """

        def __init__(self, log: bool = False):
            self.log = log
            self.decimals = 0
            self.years = False

        def set_locs(self, locs):
            super().set_locs(locs)
            finite = sorted({float(v) for v in locs if math.isfinite(v)})
            # an axis of years (whole numbers from 1900 to 2200) is written without a thousands separator: 2030
            self.years = bool(finite) and all(v.is_integer() and 1900 <= v <= 2200 for v in finite)
            steps = [b - a for a, b in zip(finite, finite[1:], strict=False) if b - a > 0]
            step = min(steps) if steps else (abs(finite[0]) if finite and finite[0] else 1.0)
            self.decimals = max(0, min(6, -math.floor(math.log10(step) + 1e-9))) if step > 0 else 0

        def __call__(self, x, pos=None):
            if self.log:
                if x <= 0:
                    return ""
                text = fr_sig(x, 2)
                return text.rstrip("0").rstrip(",") if "," in text else text
            if self.years and float(x).is_integer():
                return str(int(x))
            value = round(float(x), self.decimals)
            return fr_number(0.0 if value == 0 else value, self.decimals)

    return FrenchFormatter


def _french_where_labelled(original, french):
    """A minor-tick formatter of a log axis that labels the ticks matplotlib's own formatter labels (none when the
    axis spans several decades, a few when it spans less than about one) and writes them the French way; labelling
    every minor tick piled up "0,009 0,008 …" on the services' log axes."""
    from matplotlib.ticker import Formatter

    class FrenchWhereLabelled(Formatter):
        def set_locs(self, locs):
            original.set_locs(locs)
            french.set_locs(locs)

        def __call__(self, x, pos=None):
            return french(x, pos) if original(x, pos) else ""

    return FrenchWhereLabelled()


def french_axes(fig) -> None:
    """Give every numeric axis of ``fig`` French tick labels (categorical and date axes are left as they are)."""
    from matplotlib.ticker import LogFormatter, ScalarFormatter

    french = _french_formatter()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            current = axis.get_major_formatter()
            if isinstance(current, ScalarFormatter):
                axis.set_major_formatter(french())
            elif isinstance(current, LogFormatter):
                axis.set_major_formatter(french(log=True))
                minor = axis.get_minor_formatter()
                if isinstance(minor, LogFormatter):
                    axis.set_minor_formatter(_french_where_labelled(minor, french(log=True)))


#: widest a figure is drawn (inches): on a 390 px phone the page column is about 358 CSS px, so a figure of
#: ``PHONE_FIT_WIDTH_IN`` shown at that width keeps text of :data:`MIN_FONT_PT` at about 9 px or more
PHONE_FIT_WIDTH_IN = 4.4
#: smallest font size of any text of a published figure, in points
MIN_FONT_PT = 9.0
#: resolution of the published PNGs: twice the CSS pixel density (sharp on high-resolution screens); the ``<img>``
#: is given half the PNG's width, so it shows at its designed size
SCREEN_DPI = 90
PNG_SCALE = 2


def fit_for_phone(fig, width_in: float = PHONE_FIT_WIDTH_IN, min_font_pt: float = MIN_FONT_PT) -> None:
    """Make ``fig`` legible on a phone: at most ``width_in`` wide (height kept, so bars keep their room) and no text
    smaller than ``min_font_pt``; the layout is redone when the figure used ``tight_layout``. In place."""
    import warnings

    from matplotlib.text import Text

    w, h = fig.get_size_inches()
    if w > width_in:
        fig.set_size_inches(width_in, h)
    for text in fig.findobj(Text):
        if text.get_text() and text.get_fontsize() < min_font_pt:
            text.set_fontsize(min_font_pt)
    with warnings.catch_warnings():  # a layout that cannot be redone keeps the previous one
        warnings.simplefilter("ignore")
        _wrap_long_texts(fig, width_in)
        try:
            fig.tight_layout()  # labels and legends inside the width, so the cropped image is no wider
            renderer = fig.canvas.get_renderer()
            legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None] + list(fig.legends)
            wide = [lg for lg in legends if lg.get_window_extent(renderer).width > width_in * fig.dpi * 0.95]
            for legend in wide:  # a legend in several columns wider than the figure: one column
                legend.set_ncols(1)
            if wide:
                fig.tight_layout()
        except Exception:  # noqa: BLE001
            pass


def _wrap_long_texts(fig, width_in: float) -> None:
    """Axis labels, titles and legend entries wrapped so none is wider than the figure (about 0.55 em per
    character), so a narrow figure never gets wider than ``width_in`` because of one long label."""
    import textwrap

    def wrap(text, size_pt: float, room_in: float) -> None:
        chars = max(int(room_in * 72 / (0.55 * size_pt)), 12)
        value = text.get_text()
        if value and any(len(line) > chars for line in value.split("\n")):
            text.set_text("\n".join(textwrap.fill(line, chars) for line in value.split("\n")))

    for ax in fig.axes:
        wrap(ax.xaxis.label, ax.xaxis.label.get_fontsize(), width_in * 0.85)
        wrap(ax.yaxis.label, ax.yaxis.label.get_fontsize(), fig.get_size_inches()[1] * 0.85)
        wrap(ax.title, ax.title.get_fontsize(), width_in * 0.9)
        legend = ax.get_legend()
        if legend is not None:
            for text in legend.get_texts():
                wrap(text, text.get_fontsize(), width_in * 0.8)
        if ax.name == "rectilinear":  # long category names on the vertical axis: two lines of at most 24 characters
            labels = [t.get_text() for t in ax.get_yticklabels()]
            if any(len(t) > 24 and any(c.isalpha() for c in t) and "\n" not in t for t in labels):
                ax.set_yticks(ax.get_yticks(), [textwrap.fill(t, 24, max_lines=2, placeholder="…") if len(t) > 24
                                                else t for t in labels])
                _room_for_tick_lines(fig, ax)


def _room_for_tick_lines(fig, ax) -> None:
    """Grow the figure's height so every category of the vertical axis has room for its (wrapped) label: lines ×
    font size × 1.3 line spacing, so two-line labels never overlap their neighbours."""
    ticks = ax.get_yticklabels()
    if not ticks:
        return
    size_pt = max(t.get_fontsize() for t in ticks)
    lines = max(t.get_text().count("\n") + 1 for t in ticks)
    needed_in = len(ticks) * lines * size_pt * 1.3 / 72
    w, h = fig.get_size_inches()
    have_in = ax.get_position().height * h
    if have_in < needed_in:
        fig.set_size_inches(w, h + needed_in - have_in)


def smallest_font_pt(fig) -> float:
    """Smallest font size (points) of the visible, non-empty texts of ``fig``."""
    from matplotlib.text import Text

    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip() and t.get_visible()]
    return float(min(sizes)) if sizes else MIN_FONT_PT


#: rows of a figure's data table at most (the main page's DOM budget); the rest is named by ``full_table``
FIGURE_DATA_MAX_ROWS = 12


def show(fig, alt: str, *, caption: str, data, max_rows: int = FIGURE_DATA_MAX_ROWS, full_table: str = "",
         decimals: int | dict | None = None):
    """Display ``fig`` in the notebook with ``alt`` as its alternative text, ``caption`` and the table of its
    ``data``, then close it.

    Parameters
    ----------
    alt : the message of the figure (``<img alt>``), mandatory.
    caption : one short French sentence saying what the figure shows (``<figcaption>``), mandatory.
    data : the numbers actually plotted, aggregated (a DataFrame with French headers and units), written under the
        caption in a ``<details>`` element that is closed on screen and expanded in print. At most ``max_rows``
        rows are shown; ``full_table`` says where the full table is (e.g. ``"toutes dans la feuille « Plan
        d'actions » de tables.xlsx"``) when there are more.
    decimals : as in :func:`html_table`.

    Numeric axes get French tick labels (:func:`french_axes`) and the figure is fitted for a phone
    (:func:`fit_for_phone`, then :func:`_fit_tight_width` so that labels written outside the axes do not widen the
    cropped image) just before it is drawn, as a PNG at :data:`PNG_SCALE` x the screen density or as an SVG where
    lighter. The output metadata carries the width to show it at (CSS px), its smallest text in image pixels
    (``min_font_px``, which the publisher writes on the ``<img>`` so a test can check the text stays legible at
    390 px), the caption and the escaped HTML of the data table; the ``light`` template turns them into
    ``<figure><img><figcaption>…</figcaption><details><summary>Données de la figure</summary><table>…</details>``.
    """
    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    if not alt or not alt.strip():
        raise ValueError("every figure needs an alternative text stating its message")
    if not caption or not str(caption).strip():
        raise ValueError("every figure needs a caption (one short French sentence saying what it shows)")
    if data is None or len(getattr(data, "columns", [])) == 0:
        raise ValueError("every figure needs the table of its data (a DataFrame of the numbers plotted)")
    table_html = figure_data_html(data, max_rows=max_rows, full_table=full_table, decimals=decimals,
                                  caption=data_caption(caption))
    french_axes(fig)
    fit_for_phone(fig)
    _fit_tight_width(fig)
    font_pt = smallest_font_pt(fig)
    png = png_bytes(fig, dpi=SCREEN_DPI * PNG_SCALE)
    svg = svg_bytes(fig)
    plt.close(fig)
    from PIL import Image as PILImage

    css_width = int(round(PILImage.open(io.BytesIO(png)).size[0] / PNG_SCALE))
    common = {"alt": alt, "css_width": css_width, "caption": _SPACE_RE.sub(" ", str(caption)).strip(),
              "data_html": table_html}
    if len(svg) < len(png):  # SVG where lighter (text as text, flat shapes): natural size 96/72 px per point
        from IPython.display import SVG

        display(SVG(data=svg), metadata={"image/svg+xml": common | {"min_font_px": round(font_pt * 96 / 72, 1)}})
        return
    display(Image(data=png, format="png"), metadata={"image/png": common | {
        "min_font_px": round(font_pt * SCREEN_DPI * PNG_SCALE / 72.0, 1)}})


def _fit_tight_width(fig, width_in: float = PHONE_FIT_WIDTH_IN, tolerance_in: float = 0.15) -> None:
    """Narrow ``fig`` so that its cropped image (``bbox_inches="tight"``: value labels or legends written outside
    the axes included) is at most ``width_in`` wide, at most three passes. A figure drawn at ``width_in`` whose
    labels stick out by 0.7 in would otherwise be shown at 358 px on a phone from a 5.1 in image, its 9 pt text
    falling to 8.7 px. In place; a layout that cannot be redone is left as it is."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(3):
            try:
                renderer = fig.canvas.get_renderer()
                tight = fig.get_tightbbox(renderer).width
            except Exception:  # noqa: BLE001
                return
            w, h = fig.get_size_inches()
            if tight <= width_in + tolerance_in or w <= 2.0:
                return
            fig.set_size_inches(max(w - (tight - width_in), 2.0), h)
            try:
                fig.tight_layout()
            except Exception:  # noqa: BLE001
                return


def data_caption(figure_caption: str, max_chars: int = 90) -> str:
    """The caption of a figure's data table: "Données : " and the figure caption's first clause (before " ; " or
    " : "), cut at a word under ``max_chars`` characters."""
    text = _SPACE_RE.sub(" ", str(figure_caption)).strip()
    text = re.split(r" ; | : |\. ", text, maxsplit=1)[0].rstrip(" .,;")
    if len(text) > max_chars:
        text = text[:max_chars].rsplit(" ", 1)[0].rstrip(" ,;:") + " …"
    return f"Données : {text[:1].lower() + text[1:]}" if text else "Données de la figure"


def figure_data_html(df, max_rows: int = FIGURE_DATA_MAX_ROWS, full_table: str = "",
                     decimals: int | dict | None = None, caption: str = "") -> str:
    """The data table of a figure: ``<table>`` with its ``caption`` (:func:`data_caption` of the figure's caption),
    header cells with ``scope``, French numbers, every cell escaped (:func:`_escape`), on one line per row. When
    ``df`` has more than ``max_rows`` rows, a sentence says how many are shown and where the full table is
    (``full_table``, French, e.g. "toutes dans la feuille « Bilan par catégorie » de tables.xlsx")."""
    shown = df.head(max_rows)
    cols = list(shown.columns)
    out = ["<table>"] + ([f"<caption>{_escape(caption)}</caption>"] if caption else [])
    out.append("<tr>" + "".join(f'<th scope="col">{_escape(c)}</th>' for c in cols) + "</tr>")
    for row in shown.itertuples(index=False):
        out.append("<tr>" + "".join(f"<td>{_cell_text(v, c, decimals)}</td>" for c, v in zip(cols, row, strict=True))
                   + "</tr>")
    out.append("</table>")
    if len(df) > max_rows:
        where = full_table.strip() or "le tableau complet est dans les tables exportées (tables.xlsx)"
        out.append(f"<p>{max_rows} premières lignes sur {len(df)} ; {_escape(where)}.</p>")
    return "\n".join(out)


def svg_bytes(fig) -> bytes:
    """SVG bytes of ``fig`` with its text as text (not paths), no date, stable ids (``svg.hashsalt``)."""
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


def html_table(df, caption: str, max_rows: int = 10, decimals: int | dict | None = None) -> str:
    """A light, accessible HTML table: caption, header cells with ``scope``, French numbers, no styling noise.

    ``decimals`` is the number of decimals for every float column, or a dict column -> decimals (default: 0 for
    values >= 100, else 1, else 2 for values < 1). Every cell is escaped.
    """
    if len(df) == 0:  # never an empty table (issue 33): the caption says there is nothing
        return f"<p>{_escape(caption)} : néant.</p>"
    shown = df.head(max_rows)
    cols = list(shown.columns)
    # no <thead>/<tbody>: implicit in HTML, and every element counts in the page's DOM budget
    out = ["<table>", f"<caption>{_escape(caption)}</caption>", "<tr>"]
    out += [f'<th scope="col">{_escape(c)}</th>' for c in cols]
    out.append("</tr>")
    for row in shown.itertuples(index=False):
        cells = [f"<td>{_cell_text(value, col, decimals)}</td>" for col, value in zip(cols, row, strict=True)]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    if len(df) > max_rows:
        out.append(f"<p>{max_rows} premières lignes sur {len(df)} ; le tableau complet est dans les tables exportées.</p>")
    return "\n".join(out)


def _cell_text(value, col, decimals: int | dict | None) -> str:
    """One table cell's text: booleans as oui/non, None as n.d., numbers in French format (``decimals``: a number,
    a dict column -> number, or None for 0 from 100 up, 1 from 1 up, else 2), anything else escaped."""
    import numbers

    if isinstance(value, bool) or value is None:
        return "n.d." if value is None else ("oui" if value else "non")
    if isinstance(value, numbers.Integral):
        return fr_number(value, 0)
    if isinstance(value, numbers.Real):
        d = decimals.get(col) if isinstance(decimals, dict) else decimals
        if d is None:
            integral = float(value).is_integer()
            d = 0 if integral or abs(value) >= 100 else (1 if abs(value) >= 1 else 2)
        return fr_number(value, d)
    return _escape(value)


def table(df, caption: str, max_rows: int = 10, decimals: int | dict | None = None):
    """Display a DataFrame as a light HTML table with a caption (see :func:`html_table`)."""
    from IPython.display import HTML, display

    display(HTML(html_table(df, caption, max_rows, decimals)))


def _escape(text: str) -> str:
    """HTML-escaped text on one line: a blank line inside a table cell would end the raw HTML block of the Markdown
    cell the table sits in, and what follows would be read as Markdown."""
    import html

    return html.escape(_SPACE_RE.sub(" ", str(text)).strip(), quote=True)


#: characters that make Markdown (mistune with nbconvert's plugins: math, tables, strikethrough, task lists, URLs)
#: or HTML markup anywhere in a line, written as numeric character references (they render as the character, never
#: as markup, in Markdown text and in raw HTML alike: CommonMark 0.31, "Entity and numeric character references")
_ALWAYS = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\\": "&#92;", "`": "&#96;", "*": "&#42;", "[": "&#91;",
           "]": "&#93;", "|": "&#124;", "~": "&#126;", "$": "&#36;"}
_ALWAYS_RE = re.compile("[" + re.escape("".join(_ALWAYS)) + "]")
#: underscores start emphasis only at a word boundary (CommonMark: no intraword ``_`` emphasis), so ``a_b`` stays
_UNDERSCORE_RE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
#: a URL scheme the autolinker (mistune's ``url`` plugin, ``https?://``) would turn into a link
_SCHEME_RE = re.compile(r"(?i)(https?):(?=//)")
#: what starts a block at the start of a line: heading, list, quote, setext underline, definition, numbered list
_LINE_START_RE = re.compile(r"^(?:[-+#=:]|\d{1,9}(?=[.)]))")
_SPACE_RE = re.compile(r"[\s\x00-\x1f\x7f\u2028\u2029]+")


def esc(text) -> str:
    r"""Escape a string that comes from the inputs (territory, entity, service names, ids, comments) so that it reads
    exactly as typed wherever it lands: Markdown text, a Markdown table cell, a heading, bold text, or raw HTML.

    - ``&``, ``<``, ``>`` and the characters that make Markdown markup anywhere (``\ ` * [ ] | ~ $``) become numeric
      character references: no tag, no emphasis, no link, no table, no strikethrough, no math;
    - ``_`` only at a word boundary (``agent_id`` stays as is; ``_x_`` would be emphasis);
    - ``http://`` / ``https://``: the colon is escaped, so a bare URL is never turned into a link;
    - a first character that would start a block (``#`` heading, ``-``/``+`` list, ``1.`` numbered list, ``=``
      underline, ``:`` definition) is escaped; line breaks, tabs and control characters become one space (the text
      stays on its line), and surrounding spaces are dropped.

    Apostrophes and quotes stay as typed (``"L'Houmeau"`` renders as is). Inside a code span (backticks) references
    are shown literally: use :func:`code` for an id shown as code.
    """
    out = _SPACE_RE.sub(" ", str(text)).strip()
    out = _ALWAYS_RE.sub(lambda m: _ALWAYS[m.group()], out)
    out = _UNDERSCORE_RE.sub("&#95;", out)
    out = _SCHEME_RE.sub(r"\1&#58;", out)
    m = _LINE_START_RE.match(out)
    if m:
        first = out[0]
        out = f"&#{ord(first)};" + out[1:]
    return out


def code(text) -> str:
    """An input string shown as code (an id, a file name): ``<code>`` with :func:`esc`'s escaping, which raw HTML
    renders as typed (a Markdown code span would show the character references literally)."""
    return f"<code>{esc(text)}</code>"


def md(text: str):
    """Display Markdown written by the code (input strings must go through :func:`esc`)."""
    from IPython.display import Markdown, display

    display(Markdown(text))
