"""Figures and text escaping for the published diagnostic."""

import html

import mistune
import pytest

from helpers.report import plotting


@pytest.mark.parametrize("raw", [
    "L'Houmeau", 'Salle "du conseil"', "<script>alert(1)</script>", "CCAS #2 *urgent* [lien](http://x)",
    "R&D", "a_b_c `code` <b>gras</b>", "&#x27;",
])
def test_esc_renders_inputs_as_typed_text(raw):
    rendered = mistune.html(plotting.esc(raw)).strip()
    inner = rendered.removeprefix("<p>").removesuffix("</p>")
    assert "<" not in inner  # no markup at all comes from an input
    assert html.unescape(inner) == raw  # and the reader sees exactly what was typed


def test_figures_are_light_and_byte_identical():
    plt = plotting.setup()
    pngs = []
    for _ in range(2):
        fig, ax = plt.subplots()
        ax.bar(["Fabrication", "Usage", "Fin de vie"], [50.0, 30.0, 2.0], color=plotting.PALETTE[:3])
        ax.set_title("Répartition de l'empreinte")
        pngs.append(plotting.png_bytes(fig))
        plt.close(fig)
    assert pngs[0] == pngs[1]
    assert pngs[0][:8] == b"\x89PNG\r\n\x1a\n"
    assert len(pngs[0]) < 15_000, len(pngs[0])


def test_fr_number():
    assert plotting.fr_number(1234.5, 1) == "1\u202f234,5"
    assert plotting.fr_number(float("nan")) == "n.d."


@pytest.mark.parametrize("value, text", [(0.0461, "0,0461"), (748, "748"), (12345, "12\u202f300"), (2.29, "2,29"),
                                         (None, "n.d."), (0, "0")])
def test_fr_sig(value, text):
    assert plotting.fr_sig(value) == text


def test_axes_get_french_tick_labels():
    """Numeric axes read the French way: thousands separated by a narrow no-break space, decimal comma, log ticks
    without scientific notation; categorical axes keep their labels."""
    from helpers.report import plotting

    plt = plotting.setup()
    fig, (bars, line, log) = plt.subplots(1, 3)
    bars.bar(["portables", "écrans"], [1200, 3400])
    bars.set_ylim(0, 4000)
    bars.set_yticks([0, 1000, 2000, 3000, 4000])
    line.plot([0, 1], [0, 1])
    line.set_yticks([0.0, 0.2, 0.4])
    log.set_xscale("log")
    log.set_xlim(0.1, 10)
    log.set_xticks([0.1, 1, 10])
    plotting.french_axes(fig)
    fig.canvas.draw()
    nb = plotting.NBSP
    assert [t.get_text() for t in bars.get_yticklabels()] == ["0", f"1{nb}000", f"2{nb}000", f"3{nb}000", f"4{nb}000"]
    assert [t.get_text() for t in bars.get_xticklabels()] == ["portables", "écrans"]
    assert [t.get_text() for t in line.get_yticklabels()] == ["0,0", "0,2", "0,4"]
    assert [t.get_text() for t in log.get_xticklabels()] == ["0,1", "1", "10"]
    plt.close(fig)


def test_wrapped_category_labels_get_room_for_their_lines():
    """Twenty categories with long names are wrapped on two lines for a phone; the figure then grows so each
    category has at least 2 lines × font size × 1.3 of height (at 9 pt: 18 × 2 × 9 × 1.3 / 72 = 6.5 in of axes for
    20 rows), so neighbouring labels never overlap."""
    from helpers.report import plotting

    plt = plotting.setup()
    fig, ax = plt.subplots(figsize=(7.5, 0.28 * 20 + 1.2))
    ax.barh([f"Catégorie numéro {i} au nom vraiment très long" for i in range(20)], range(20))
    fig.tight_layout()
    plotting.fit_for_phone(fig)
    labels = ax.get_yticklabels()
    assert all("\n" in t.get_text() for t in labels)
    size = max(t.get_fontsize() for t in labels)
    assert ax.get_position().height * fig.get_size_inches()[1] >= 20 * 2 * size * 1.3 / 72 - 1e-6
    plt.close(fig)


def test_log_axis_minor_ticks_are_labelled_only_where_matplotlib_labels_them_and_in_french():
    """Over four decades matplotlib labels no minor tick (French labels of every minor tick piled up "0,009 0,008 …");
    over less than one decade it labels a few, which must be written the French way (2, 3, 4, 6 between 2 and 7)."""
    plt = plotting.setup()
    labels = {}
    for lo, hi in ((0.001, 10.0), (2.0, 7.0), (0.2, 0.7)):
        fig, ax = plt.subplots()
        ax.plot([lo, hi], [1, 2])
        ax.set_xscale("log")
        plotting.french_axes(fig)
        fig.canvas.draw()
        labels[lo] = [t.get_text() for t in ax.get_xticklabels(minor=True) if t.get_text()]
        plt.close(fig)
    assert labels[0.001] == []
    assert labels[2.0] == ["2", "3", "4", "6"]
    assert labels[0.2] == ["0,2", "0,3", "0,4", "0,6"]
