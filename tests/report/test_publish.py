"""The publisher: well-formed light HTML, table of contents, budget measurement, escaping."""

from html.parser import HTMLParser

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from helpers.report import publish


class _Balance(HTMLParser):
    """Checks that every non-void element is closed in order (a stray <a> would swallow the page)."""

    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()


def _page(cells):
    nb = new_notebook()
    nb.cells = cells
    return publish.render_html(nb, "Diagnostic — Test")


def test_headings_keep_their_text_and_no_anchor_link_leaks():
    page = _page([new_markdown_cell("## 2. État des lieux\n\nCette partie.\n\n### Parc\n\n1. **A** — 19\n"),
                  new_markdown_cell("## 3. Impact\n\n#### Détail\n\ntexte")])
    assert "anchor-link" not in page
    assert '<h2 id="2-etat-des-lieux">2. État des lieux</h2>' in page
    assert '<h3 id="parc">Parc</h3>' in page
    checker = _Balance()
    checker.feed(page)
    assert not checker.errors and checker.stack == [], (checker.errors, checker.stack)


def test_table_of_contents_lists_the_sections():
    page = _page([new_markdown_cell("## 2. État\n\n### Sous-partie\n"), new_markdown_cell("## 3. Impact")])
    toc = page[page.index("<nav"):page.index("</nav>")]
    assert '<a href="#2-etat">2. État</a>' in toc and '<a href="#3-impact">3. Impact</a>' in toc
    assert "Sous-partie" not in toc


def test_outputs_are_sanitised():
    cell = new_code_cell("")
    cell.outputs = [new_output("display_data", data={"text/html": '<p onclick="x()">ok</p><script>alert(1)</script>'
                                                                  '<img src="https://example.org/x.png" alt="x">'})]
    page = _page([new_markdown_cell("## 2. Test"), cell])
    assert "<script" not in page and "onclick" not in page and "example.org" not in page


@pytest.mark.parametrize("html, external", [
    ('<a href="https://www.insee.fr/x">source</a>', 0),  # a cited source is a link, not a request
    ('<img src="https://cdn.example/x.png" alt="">', 1),
    ('<link rel="stylesheet" href="//cdn.example/x.css">', 1),
    ("<p style=\"background:url('https://x/y.png')\">", 1),
    ('<img src="data:image/png;base64,AAAA" alt="">', 0),
])
def test_page_metrics_count_what_a_browser_would_fetch(html, external):
    assert publish.page_metrics(html)["external_refs"] == external


def test_budget_reports_every_breach():
    page = "<p>" + "<span>x</span>" * 1001 + "</p><script>1</script>" + "x" * 500_001
    problems = publish.check_page_budget(page)
    assert len(problems) == 3
    assert "éléments DOM" in problems[1] and "script" in problems[2]


def test_method_section_lists_the_factors_that_move_the_total_most(tmp_path):
    import pandas as pd

    from helpers.report import sections

    pd.DataFrame({
        "input_id": ["a:use:climate_change", "pue:server_room", "b:manufacturing:climate_change"],
        "label_fr": ["Facteur A", "PUE", "Facteur B"], "kind": ["factor", "pue", "factor"],
        "swing": [10.0, 99.0, 30.0],
    }).to_csv(tmp_path / "carbon_sensitivity.csv", index=False)
    factors = pd.DataFrame({
        "factor_id": ["a:use:climate_change", "b:manufacturing:climate_change"], "value": [0.0461, 748.0],
        "unit": ["kgCO2e/kWh", "kgCO2e/unit"], "low": [0.0442, 299.2], "high": [0.0599, 1870.0],
        "status": ["sourced", "sourced"], "vintage": ["2025", "2022"], "source": ["ADEME", "ADEME dc"],
    })
    top = sections.top_factors(tmp_path, factors, 8)
    assert list(top["Facteur"]) == ["Facteur B", "Facteur A"]  # factors only, largest swing first
    assert top["Valeur [bas – haut]"].iloc[1] == "0,0461 [0,0442 – 0,0599]"
    assert top["Source (millésime)"].iloc[0] == "ADEME dc (2022)"
    assert sections.top_factors(tmp_path / "absent", factors) is None


def test_inputs_fingerprint_never_reads_outside_the_folder(tmp_path):
    """``hosting.csv -> /etc/passwd`` and any file symlinked from outside got its sha256 into summary.json (issue 21);
    a FIFO would block the hash forever. Only regular files inside the folder are fingerprinted."""
    import os

    from helpers.report.publish import input_files, sha256_files

    raw, ref = tmp_path / "raw", tmp_path / "ref"
    raw.mkdir()
    ref.mkdir()
    (raw / "inventory.csv").write_text("a\n")
    (raw / "sub").mkdir()
    (raw / "sub" / "x.csv").write_text("b\n")
    (raw / "inside-link.csv").symlink_to(raw / "inventory.csv")
    secret = tmp_path / "secret.txt"
    secret.write_text("secret\n")
    (raw / "hosting.csv").symlink_to(secret)
    (raw / "zero.csv").symlink_to("/dev/zero")
    os.mkfifo(raw / "telecom.csv")
    (ref / "factors.csv").write_text("c\n")
    files = input_files(raw, ref)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in files) == [
        "raw/inside-link.csv", "raw/inventory.csv", "raw/sub/x.csv", "ref/factors.csv"]
    _, each = sha256_files(files, tmp_path)
    assert "raw/hosting.csv" not in each and len(each) == 4
