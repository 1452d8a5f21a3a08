"""The page's markup: sizes kept on figures only as plain numbers, and missing table cells (issue 22).

Written against the survivors of ``make mutate`` in ``helpers.report.publish`` (the sanitiser's attribute rule) and
``helpers.report.plotting`` (``html_table``). A figure's ``<img>`` carries its display ``width`` and the smallest font size
it was drawn with (``data-min-font-px``, read by the phone-layout check); :func:`helpers.report.publish.sanitize_html` keeps
those two attributes on ``<img>`` only, and only when their value is a number (up to 4 digits, one decimal):
anything else could carry CSS or script and is dropped.
"""

from __future__ import annotations

import pandas as pd

from helpers.report import plotting, publish

IMG = "data:image/png;base64,AAAA"


def test_figure_width_and_min_font_size_are_kept_when_numbers():
    for width, font in (("320", "9.5"), ("1000", "12")):
        kept = f'<img alt="t" width="{width}" data-min-font-px="{font}" src="{IMG}">'
        assert publish.sanitize_html(kept) == kept


def test_figure_width_and_min_font_size_that_are_not_plain_numbers_are_dropped():
    """A unit, a percentage, five digits, two decimals or a script are not the number the page writes."""
    for width, font in (("100%", "9px"), ("12345", "1.25"), ("320;x", "javascript:alert(1)")):
        dirty = f'<img alt="t" width="{width}" data-min-font-px="{font}">'
        assert publish.sanitize_html(dirty) == '<img alt="t">', (width, font)


def test_width_and_min_font_size_are_dropped_on_other_elements():
    """Only a figure's image may carry them: on a table cell or a paragraph they are dropped, numbers or not."""
    out = publish.sanitize_html('<table><tbody><tr><td width="12" data-min-font-px="9">x</td></tr></tbody></table>'
                                '<p width="3">y</p>')
    assert out == "<table><tbody><tr><td>x</td></tr></tbody></table><p>y</p>"


def test_html_table_shows_a_missing_cell_as_nd_never_non():
    """A None cell (an object column keeps None, not NaN) reads « n.d. » (not available); booleans oui/non."""
    df = pd.DataFrame({"t": pd.Series(["x", None], dtype=object), "ok": pd.Series([True, None], dtype=object)})
    rows = [line for line in plotting.html_table(df, "c").split("\n") if line.startswith("<tr><td>")]
    assert rows == ["<tr><td>x</td><td>oui</td></tr>", "<tr><td>n.d.</td><td>n.d.</td></tr>"]
