"""One visual theme for every figure of the diagnostic: seaborn's theme over matplotlib.

:func:`apply` sets matplotlib's defaults as :func:`seaborn.set_theme` would (without importing seaborn), so the figures drawn with seaborn
(statistical figures: heat map, intervals, comparisons) and those drawn with matplotlib alone share one look:

- the Okabe-Ito colour-blind-safe palette of :data:`helpers.report.plotting.PALETTE`, flat colours, no hatching;
- a sans-serif font that matplotlib ships (DejaVu Sans), so the PNGs are drawn the same on every machine; the
  names after it only serve the browser that renders an SVG whose text is kept as text;
- sizes chosen for a figure shown about 358 CSS px wide on a phone (:data:`helpers.report.plotting.MIN_FONT_PT` and up),
  no top or right spine, light value grid lines only where a figure asks for them (:func:`value_grid`).

The theme sets no date, no random id and no per-run value: drawing a figure twice gives the same bytes
(``svg.hashsalt`` is set by :func:`helpers.report.plotting.setup`, and kept here).
"""

from __future__ import annotations

from helpers.report.plotting import PALETTE

#: dark grey of text, spines, ticks and interval lines (softer than black, contrast ratio about 15:1 on white)
INK = "#262626"
#: light grey of the value grid lines, and of cells or bars that carry no value ("n.r.")
LIGHT = "#E5E5E5"
#: sequential colour map of the heat maps: light (low score) to dark blue (high score); one hue, so the order
#: reads without colour vision (lightness), and it matches the palette's first colour
SEQUENTIAL = "Blues"

FONT_SANS = ["DejaVu Sans", "Verdana", "Arial", "Helvetica", "sans-serif"]

#: matplotlib settings on top of seaborn's "ticks" style and "notebook" context
RC = {
    "font.family": ["sans-serif"],
    "font.sans-serif": FONT_SANS,
    "font.size": 10.0,
    "axes.titlesize": 10.5,
    "axes.titleweight": "bold",
    "axes.labelsize": 10.0,
    "xtick.labelsize": 9.5,
    "ytick.labelsize": 9.5,
    "legend.fontsize": 9.5,
    "legend.title_fontsize": 9.5,
    "legend.frameon": False,
    "figure.titlesize": 10.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "text.color": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.linewidth": 0.8,
    "xtick.major.width": 0.8,
    "ytick.major.width": 0.8,
    "xtick.major.size": 3.5,
    "ytick.major.size": 3.5,
    "grid.color": LIGHT,
    "grid.linewidth": 0.8,
    "axes.grid": False,
    "patch.linewidth": 0.6,
    "patch.edgecolor": "white",
    "hatch.color": "white",  # no figure hatches; were one to, it would stay faint
    "image.cmap": SEQUENTIAL,
    "errorbar.capsize": 3,
    "svg.hashsalt": "snr-diagnostic",
}


#: seaborn 0.13's "notebook" context and "ticks" style (``seaborn.plotting_context("notebook")`` and
#: ``seaborn.axes_style("ticks", rc={"font.family": "sans-serif"})``) minus the keys :data:`RC` sets anyway, written
#: out so that :func:`apply` needs no seaborn import (1.7 s per kernel here, scipy.stats included) in notebooks that
#: draw no seaborn figure. ``tests/report/test_report_theme.py`` checks that :func:`apply` leaves matplotlib exactly as
#: ``seaborn.set_theme`` does.
SEABORN_BASE = {
    "axes.axisbelow": True,
    "axes.facecolor": "white",
    "axes.spines.bottom": True,
    "axes.spines.left": True,
    "figure.facecolor": "white",
    "grid.linestyle": "-",
    "lines.linewidth": 1.5,
    "lines.markersize": 6,
    "lines.solid_capstyle": "round",
    "patch.force_edgecolor": True,
    "xtick.bottom": True,
    "xtick.direction": "out",
    "xtick.minor.size": 4,
    "xtick.minor.width": 1,
    "xtick.top": False,
    "ytick.direction": "out",
    "ytick.left": True,
    "ytick.minor.size": 4,
    "ytick.minor.width": 1,
    "ytick.right": False,
}


def apply() -> None:
    """Set the report theme on matplotlib's global defaults (idempotent; call after ``matplotlib.use``).

    seaborn's "ticks" style and "notebook" context (:data:`SEABORN_BASE`), the report palette, then :data:`RC`: what
    ``seaborn.set_theme(context="notebook", style="ticks", palette=PALETTE, font="sans-serif", rc=RC)`` sets. Keys that
    :func:`helpers.report.plotting.setup` sets and this theme does not name (resolution, figure size, mathtext off,
    locale formatting off) are left as they are.
    """
    import matplotlib as mpl
    from matplotlib import colors

    mpl.rcParams.update(SEABORN_BASE)
    mpl.rcParams["axes.prop_cycle"] = mpl.cycler("color", [colors.to_rgb(c) for c in PALETTE])
    mpl.rcParams.update(RC)


def value_grid(ax, axis: str = "x") -> None:
    """Light grid lines along the value axis only (``"x"`` for horizontal bars), drawn below the data."""
    ax.set_axisbelow(True)
    ax.grid(True, axis=axis, color=LIGHT, linewidth=0.8)
    ax.grid(False, axis="y" if axis == "x" else "x")


def wrap_labels(labels, width: int = 24, max_lines: int = 3) -> tuple[list[str], int]:
    """Category labels wrapped on at most ``max_lines`` lines of ``width`` characters (the last one shortened with
    … if needed), and the largest number of lines. Labels are wrapped here, once, so
    :func:`helpers.report.plotting.fit_for_phone` keeps them (it re-wraps long one-line labels on two lines only)."""
    import textwrap

    wrapped = [textwrap.fill(str(t), width, max_lines=max_lines, placeholder="…") or str(t) for t in labels]
    return wrapped, max((w.count("\n") + 1 for w in wrapped), default=1)


def bar_height_in(lines: int) -> float:
    """Height (inches) of one horizontal bar's row whose label has ``lines`` lines at 9 pt: never less than
    0.42 in, so labels of neighbouring bars never overlap."""
    return max(0.42, lines * 9 * 1.3 / 72 + 0.08)
