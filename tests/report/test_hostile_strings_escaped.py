"""Hostile strings through the output helpers: escaped exactly, never live markup (issue 22).

A territory, entity or service name comes from the inputs. ``HOSTILE`` holds a script tag, an attribute break-out, an
entity and Markdown markup; the checks are that the page never contains the live tag and that the escaped text is
exactly ``html.escape`` (for HTML helpers) of the input.
"""

from __future__ import annotations

import html

import pandas as pd
from nbformat.v4 import new_markdown_cell, new_notebook, new_output

from helpers.report import plotting, publish

HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)> Saint-Jean'
LIVE = ("<script", "<img src=x")  # an escaped "onerror=" is inert text


def _no_live_markup(text: str) -> None:
    for needle in LIVE:
        assert needle not in text, needle


def test_page_title_and_h1_are_escaped():
    """The title (territory name) appears in <title> and <h1> as html.escape(title): &lt;script&gt;…"""
    page = publish.render_html(new_notebook(), HOSTILE)
    _no_live_markup(page)
    escaped = html.escape(HOSTILE, quote=False)
    assert f"<h1>{escaped}</h1>" in page.replace("&#34;", '"').replace("&quot;", '"')
    assert f"<title>{escaped}</title>" in page.replace("&#34;", '"').replace("&quot;", '"')


def test_html_table_escapes_caption_headers_and_text_cells():
    df = pd.DataFrame({HOSTILE: [HOSTILE, "ok"], "n": [1, 2]})
    out = plotting.html_table(df, caption=HOSTILE)
    _no_live_markup(out)
    e = html.escape(HOSTILE, quote=True)
    assert f"<caption>{e}</caption>" in out
    assert f'<th scope="col">{e}</th>' in out
    assert f"<td>{e}</td><td>1</td>" in out


def test_html_table_numbers_are_french_and_booleans_are_words():
    """1234.5 with 1 decimal → '1 234,5' (narrow no-break space as thousands separator); True → 'oui'."""
    out = plotting.html_table(pd.DataFrame({"x": [1234.5], "b": [True]}), caption="c", decimals=1)
    assert "<td>1\u202f234,5</td><td>oui</td>" in out.replace("\xa0", "\u202f")


def test_esc_makes_markdown_and_html_inert():
    """esc: &, <, > become entities, Markdown's active characters numeric references; the text is kept."""
    out = plotting.esc("**gras** <b>x</b> [lien](http://a.b) | a_b _c_")
    assert out == ("&#42;&#42;gras&#42;&#42; &lt;b&gt;x&lt;/b&gt; &#91;lien&#93;(http&#58;//a.b) &#124; a_b "
                   "&#95;c&#95;")


def test_heading_and_alt_text_with_hostile_names_are_escaped_in_the_page():
    """A Markdown heading built with esc() and a figure whose alt text is the hostile name: no live markup, the
    name is still readable."""
    nb = new_notebook()
    md = new_markdown_cell(f"## Collectivité {plotting.esc(HOSTILE)}\n")
    fig = new_markdown_cell("x")
    nb.cells = [md, fig]
    from nbformat.v4 import new_code_cell

    img = new_code_cell("")
    img.outputs = [new_output("display_data", data={"image/png": "iVBORw0KGgo="},
                              metadata={"image/png": {"alt": HOSTILE}})]
    nb.cells.append(img)
    page = publish.render_html(nb, "Diagnostic")
    _no_live_markup(page)
    assert "Saint-Jean" in page and "&lt;script&gt;" in page
