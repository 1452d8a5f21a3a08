"""French number formatting, the light HTML tables and the page sanitiser: exact output (issue 22).

Written against the survivors of ``make mutate`` in ``helpers.report.plotting`` and ``helpers.report.publish``: the rules below are
the documented ones (docstrings of :func:`helpers.report.plotting.html_table`, :func:`helpers.report.plotting.fr_number`,
:func:`helpers.report.publish.sanitize_html`), and every expected string is written out by hand.
"""

from __future__ import annotations

import pandas as pd

from helpers.report import plotting, publish

S = "\u202f"  # narrow no-break space: the French thousands separator and the space before a unit


def test_fr_number_interval_and_units():
    assert plotting.fr_number(1234.5, 1) == f"1{S}234,5"
    assert plotting.fr_number(1234.5, 1, "kg") == f"1{S}234,5{S}kg"
    assert plotting.fr_number(float("nan")) == "n.d." and plotting.fr_number(None) == "n.d."
    assert plotting.fr_interval(680.4, 590.2, 790.6) == "680 [590 – 791]"
    assert plotting.fr_interval(0.125, 0.1, 0.25, 2, "tCO2e") == f"0,12 [0,10 – 0,25]{S}tCO2e"


def test_fr_sig_significant_digits_and_missing_values():
    """0.0461 → '0,0461'; 748 → '748'; 12345 → '12 300' (3 significant digits); NaN and ±inf → 'n.d.'."""
    assert [plotting.fr_sig(v) for v in (0.0461, 748, 12345, 0)] == ["0,0461", "748", f"12{S}300", "0"]
    assert [plotting.fr_sig(v) for v in (float("nan"), float("inf"), float("-inf"), None)] == ["n.d."] * 4


def test_html_table_exact_markup_and_default_decimals():
    """Default decimals: 0 for integral values and |x| ≥ 100, 1 for 1 ≤ |x| < 100, 2 below 1; integers, booleans
    (oui/non) and None (n.d.) by their own rule. 100.5 → '100' (0 decimals, round half to even), 1.5 → '1,5',
    0.25 → '0,25', 12.0 → '12'."""
    df = pd.DataFrame({"a": [100.5, 1.5], "b": [0.25, 12.0], "n": [1234, 5], "ok": [True, False],
                       "t": ["x", None]})
    out = plotting.html_table(df, caption="Légende")
    assert out == "\n".join([
        "<table>", "<caption>Légende</caption>", "<tr>",
        '<th scope="col">a</th>', '<th scope="col">b</th>', '<th scope="col">n</th>', '<th scope="col">ok</th>',
        '<th scope="col">t</th>', "</tr>",
        f"<tr><td>100</td><td>0,25</td><td>1{S}234</td><td>oui</td><td>x</td></tr>",
        "<tr><td>1,5</td><td>12</td><td>5</td><td>non</td><td>n.d.</td></tr>",
        "</table>"])


def test_html_table_decimals_per_column_and_for_all():
    df = pd.DataFrame({"a": [2.0], "b": [3.14159]})
    assert "<tr><td>2,000</td><td>3,1</td></tr>" in plotting.html_table(df, "c", decimals={"a": 3, "b": 1})
    assert "<tr><td>2,00</td><td>3,14</td></tr>" in plotting.html_table(df, "c", decimals=2)


def test_html_table_truncation_note_only_beyond_max_rows():
    """12 rows shown 10: a note says so; exactly 10 rows: every row, no note."""
    twelve = plotting.html_table(pd.DataFrame({"k": range(12)}), "c", max_rows=10)
    assert twelve.count("<tr><td>") == 10
    assert twelve.endswith("</table>\n<p>10 premières lignes sur 12 ; le tableau complet est dans les tables "
                           "exportées.</p>")
    ten = plotting.html_table(pd.DataFrame({"k": range(10)}), "c", max_rows=10)
    assert ten.count("<tr><td>") == 10 and ten.endswith("</table>")


def test_sanitize_strips_scripts_and_comments_keeps_text():
    assert publish.sanitize_html("<p>a<script>b</script><!-- c --></p>") == "<p>ab</p>"


def test_sanitize_keeps_the_allowed_attributes_only():
    """class and id everywhere, scope on th, href on links (https, http, mailto), alt and an inline data: image on
    img; an event handler, a style and a remote image are dropped."""
    kept = ('<p class="k" id="i">x</p><table><tbody><tr><th scope="col">h</th></tr></tbody></table>'
            '<a href="https://a.fr/">s</a><a href="http://a.fr/">h</a><a href="mailto:x@a.fr">m</a>'
            '<img alt="t" src="data:image/png;base64,AAAA">')
    assert publish.sanitize_html(kept) == kept
    dropped = publish.sanitize_html('<p onclick="e()" style="x">y</p><img alt="t" src="https://evil.example/p.png">')
    assert dropped == '<p>y</p><img alt="t">'
