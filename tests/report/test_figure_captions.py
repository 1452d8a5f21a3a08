"""Every published figure has a caption and, collapsed under it, the table of its data (issue 20).

The page-level checks are in ``test_pipeline_e2e`` (they read the pages its one chain published for the test
territory: the chain runs once per test run); the unit checks here render a figure through ``plotting.show`` and the ``light`` template
without a kernel.
"""

from __future__ import annotations

import base64
import html
import re

import pandas as pd
import pytest
from nbformat.v4 import new_markdown_cell, new_notebook, new_output

from helpers.report import plotting, publish

FIGURE_RE = re.compile(r"<figure>(.*?)</figure>", re.S)


def _figures(page: str) -> list[str]:
    return FIGURE_RE.findall(page.split("<main", 1)[1])


def _shown(fig, **kwargs) -> tuple[object, dict]:
    """What ``plotting.show`` displays: the IPython object and its metadata (no kernel needed)."""
    import IPython.display

    captured = []
    original = IPython.display.display
    IPython.display.display = lambda obj, metadata=None: captured.append((obj, metadata))
    try:
        plotting.show(fig, **kwargs)
    finally:
        IPython.display.display = original
    assert len(captured) == 1
    return captured[0]


def _page_of(obj, metadata: dict) -> str:
    """The published HTML of one displayed figure (template ``light`` and its sanitiser)."""
    mime = next(iter(metadata))
    raw = obj.data
    data = raw.decode() if mime == "image/svg+xml" and isinstance(raw, bytes) else raw
    if mime == "image/png":
        data = base64.b64encode(raw).decode()
    out = new_output("display_data", data={mime: data}, metadata=metadata)
    from nbformat.v4 import new_code_cell

    nb = new_notebook()
    nb.cells = [new_markdown_cell("## 1. Figure"), new_code_cell("show(...)", outputs=[out])]
    return publish.render_html(nb, "Essai")


def _small_figure():
    plt = plotting.setup()
    fig, ax = plt.subplots()
    ax.barh(["a", "b"], [1.0, 2.0])
    return fig


# ---------------------------------------------------------------------------------------------------------------
# unit: show, template, sanitiser
# ---------------------------------------------------------------------------------------------------------------

def test_show_writes_a_figcaption_and_a_collapsed_data_table():
    data = pd.DataFrame({"Phase": ["Fabrication", "Utilisation"], "tCO2e par an": [318.5, 98.5]})
    page = _page_of(*_shown(_small_figure(), alt="La fabrication domine.", caption="Bilan par phase.", data=data))
    (figure,) = _figures(page)
    assert re.search(r"<img [^>]*alt=\"La fabrication domine.\"", figure)
    assert "<figcaption>Bilan par phase.</figcaption>" in figure
    details = figure.split("<details>", 1)[1]
    assert re.match(r"<summary>Données de la figure</summary><table[ >]", details)
    assert "<caption>Données : bilan par phase</caption>" in details  # issue 33: every table has a caption
    assert '<th scope="col">tCO2e par an</th>' in details
    assert re.search(r"<td[^>]*>98,5</td>", details) and re.search(r"<td[^>]*>318</td>", details)
    assert figure.index("<img") < figure.index("<figcaption>") < figure.index("<details>")


def test_a_hostile_data_label_or_caption_comes_out_as_text():
    """A label from the inputs holding markup or a spreadsheet formula is shown as typed, never as markup."""
    hostile = ['<script>alert("x")</script>', '=HYPERLINK("http://evil.example","clic")']
    data = pd.DataFrame({"Entité <b>x</b>": hostile, "tCO2e par an": [1.0, 2.0]})
    page = _page_of(*_shown(_small_figure(), alt="Message.", caption="Légende <img src=x onerror=alert(1)>",
                            data=data))
    (figure,) = _figures(page)
    assert "<script" not in page.lower() and "onerror=" not in figure.split("&lt;img", 1)[0]
    assert "<b>" not in figure and "&lt;b&gt;x&lt;/b&gt;" in figure
    assert "&lt;script&gt;" in figure and "<img src=x" not in figure
    cells = [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", figure)]
    assert cells[0] == hostile[0] and cells[2] == hostile[1]  # read exactly as typed
    assert '<a ' not in figure  # the URL in the formula is not turned into a link


def test_a_long_data_table_is_cut_and_says_where_the_rest_is():
    data = pd.DataFrame({"Action": [f"A{i:02d}" for i in range(20)], "tCO2e par an": range(20)})
    page = _page_of(*_shown(_small_figure(), alt="Message.", caption="Légende.", data=data, max_rows=5,
                            full_table="toutes dans la feuille « Plan d'actions » de tables.xlsx"))
    (figure,) = _figures(page)
    assert figure.count("<tr>") == 6  # header + 5 rows
    assert "5 premières lignes sur 20 ; toutes dans la feuille « Plan d'actions » de tables.xlsx." in figure


@pytest.mark.parametrize("missing", ["caption", "data"])
def test_show_refuses_a_figure_without_caption_or_data(missing):
    kwargs = {"alt": "Message.", "caption": "Légende.", "data": pd.DataFrame({"x": [1]})}
    kwargs[missing] = None
    with pytest.raises(ValueError):
        plotting.show(_small_figure(), **kwargs)


def test_labels_outside_the_axes_do_not_widen_the_image_on_a_phone():
    """A label written past the right edge of the axes (as the benchmark and per-unit figures do) used to make the
    cropped image 5.1 in wide for a 4.4 in figure, so its 9 pt text fell to 8.7 px at 390 px; the figure is now
    narrowed until the cropped image is at most 4.4 in (+ 0.15 in)."""
    plt = plotting.setup()
    fig, ax = plt.subplots(figsize=(7.5, 3))
    ax.barh(["référence publiée", "ce bilan"], [265, 220])
    fig.text(0.85, 0.5, "265 kgCO2e par agent et par an", va="center", fontsize=9)  # outside what tight_layout fits
    plotting.fit_for_phone(fig)
    renderer = fig.canvas.get_renderer()
    assert fig.get_tightbbox(renderer).width > plotting.PHONE_FIT_WIDTH_IN + 0.3  # the case the fix is about
    plotting._fit_tight_width(fig)
    assert fig.get_tightbbox(fig.canvas.get_renderer()).width <= plotting.PHONE_FIT_WIDTH_IN + 0.15 + 0.02
    plt.close(fig)


def test_the_sanitiser_keeps_details_and_summary():
    kept = publish.sanitize_html("<details><summary>Données</summary><table><tr><td>1</td></tr></table></details>")
    assert kept.startswith("<details><summary>Données</summary><table>")
