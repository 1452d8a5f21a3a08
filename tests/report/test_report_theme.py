"""The report theme (seaborn over matplotlib) and the seaborn figures: one palette and font, no hatching, French
ticks, the same bytes on every draw."""

import re
import types

import numpy as np
import pandas as pd
import pytest

from helpers.report import plotting, report_theme


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def test_setup_applies_the_report_theme_and_keeps_its_own_settings():
    import matplotlib
    from matplotlib.colors import to_hex

    plt = plotting.setup()
    rc = plt.rcParams
    assert [to_hex(c) for c in rc["axes.prop_cycle"].by_key()["color"]] == [c.lower() for c in plotting.PALETTE]
    assert rc["font.sans-serif"][0] == "DejaVu Sans"  # shipped with matplotlib: the same PNG on every machine
    assert not rc["axes.spines.top"] and not rc["axes.spines.right"] and rc["patch.force_edgecolor"]
    assert rc["legend.fontsize"] >= plotting.MIN_FONT_PT and rc["xtick.labelsize"] >= plotting.MIN_FONT_PT
    # plotting.setup()'s own settings survive the theme
    assert rc["figure.dpi"] == 90 and rc["svg.hashsalt"] == "snr-diagnostic" and rc["text.parse_math"] is False
    assert matplotlib.get_backend().lower() == "agg"


def test_apply_is_idempotent():
    import matplotlib

    plotting.setup()
    report_theme.apply()
    first = dict(matplotlib.rcParams)
    report_theme.apply()
    assert dict(matplotlib.rcParams) == first


#: every rcParam after ``plotting.setup()`` in a fresh interpreter; argv[1] = "seaborn" applies the theme through
#: ``seaborn.set_theme`` (what ``report_theme.apply`` writes out), otherwise through ``report_theme.apply``
_RC_SNAPSHOT = """
import json, sys
from helpers.report import plotting, report_theme
if sys.argv[1] == "seaborn":
    def apply():
        import seaborn as sns
        sns.set_theme(context="notebook", style="ticks", palette=plotting.PALETTE, font="sans-serif",
                      color_codes=False, rc=report_theme.RC)
    report_theme.apply = apply
plt = plotting.setup()
print(json.dumps({k: repr(v) for k, v in sorted(plt.rcParams.items())}))
print("seaborn imported" if "seaborn" in sys.modules else "seaborn not imported")
"""


def test_the_theme_is_seaborn_set_theme_without_importing_seaborn():
    """``report_theme.apply`` leaves every matplotlib setting exactly as ``seaborn.set_theme`` with the same
    arguments does (the installed seaborn, in a fresh interpreter each), and imports no seaborn: a notebook that
    draws no seaborn figure does not pay for it."""
    import json
    import subprocess
    import sys

    def snapshot(mode: str) -> tuple[dict, str]:
        out = subprocess.run([sys.executable, "-c", _RC_SNAPSHOT, mode], capture_output=True, text=True,
                             timeout=120, check=True).stdout.splitlines()
        return json.loads(out[0]), out[1]

    (via_seaborn, _), (ours, imported) = snapshot("seaborn"), snapshot("ours")
    differ = {k: (via_seaborn.get(k), ours.get(k)) for k in set(via_seaborn) | set(ours)
              if via_seaborn.get(k) != ours.get(k)}
    assert not differ, differ
    assert imported == "seaborn not imported"


def _assessment():
    """A small maturity assessment: three collectivities, two axes and the overall score, one cell not scored."""
    from helpers.model.maturity import GLOBAL

    matrix = pd.DataFrame({"gov": [72.0, 40.0, np.nan], "buy": [55.0, 61.0, 20.0], GLOBAL: [64.0, 50.0, 20.0]},
                          index=["peer-a", "subject", "peer-b"])
    return types.SimpleNamespace(
        matrix=matrix, subject="subject",
        axes=pd.DataFrame({"axis_id": ["gov", "buy"], "label_fr": ["Stratégie et gouvernance", "Achats responsables"]}),
        names={"peer-a": "Agglomération A", "subject": "Ville étudiée", "peer-b": "Commune B"})


def test_heatmap_is_seaborn_with_axes_as_rows_and_every_cell_written():
    from matplotlib.collections import QuadMesh

    from helpers.report import maturity

    fig = maturity.heatmap_figure(_assessment())
    ax = fig.axes[0]
    assert any(isinstance(c, QuadMesh) for c in ax.collections)  # drawn by seaborn.heatmap
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Stratégie et gouvernance", "Achats responsables",
                                                             "Ensemble"]
    columns = [t.get_text() for t in ax.get_xticklabels()]
    assert columns[0] == "Ville étudiée"  # the studied collectivity first, in bold
    assert ax.get_xticklabels()[0].get_fontweight() == "bold"
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 9 and texts.count("n.r.") == 1 and "72" in texts


def test_heatmap_with_many_collectivities_has_them_as_rows():
    """Twelve collectivities would squeeze twelve columns into a phone's width: they become the rows."""
    from helpers.model.maturity import GLOBAL
    from helpers.report import maturity

    a = _assessment()
    ids = [f"c{i:02d}" for i in range(12)]
    a.matrix = pd.DataFrame({"gov": np.linspace(10, 90, 12), "buy": np.linspace(90, 10, 12),
                             GLOBAL: np.full(12, 50.0)}, index=ids)
    a.subject, a.names = "c07", {c: f"Commune {c}" for c in ids}
    ax = maturity.heatmap_figure(a).axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert len(rows) == 12 and rows[0] == "Commune c07" and ax.get_yticklabels()[0].get_fontweight() == "bold"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Stratégie et gouvernance", "Achats responsables",
                                                             "Ensemble"]
    assert len(ax.texts) == 36


def test_figures_have_no_hatching():
    from matplotlib.patches import Patch

    from helpers.report import carbon
    from helpers.report import services as services_report

    scen = pd.DataFrame({"scenario": ["a", "a", "b", "b"], "label_fr": ["Pages allégées"] * 2 + ["Vidéo réduite"] * 2,
                         "baseline_tco2e": [10.0, 5.0, 10.0, 5.0], "scenario_tco2e": [9.0, 4.5, 7.0, 4.0]})
    figures = [services_report.scenario_figure(scen),
               carbon.breakdown_figure(_breakdown(), "label", "Bilan par phase")]
    for fig in figures:
        patches = [p for p in fig.findobj(Patch) if p.get_hatch()]
        assert not patches


def _breakdown():
    return pd.DataFrame({"label": ["Fabrication", "Utilisation", "Fin de vie", "Fabrication"],
                         "value": [3180.5, 985.0, 84.0, 12.0], "low": [2700.0, 790.0, 60.0, 10.0],
                         "high": [4020.0, 1160.0, 110.0, 15.0], "share": [0.74, 0.23, 0.02, 0.003]})


def test_seaborn_figure_keeps_french_ticks_and_one_bar_per_row():
    from matplotlib.patches import Rectangle

    from helpers.report import carbon

    fig = carbon.breakdown_figure(_breakdown(), "label", "Bilan par phase")
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_width() > 0]
    assert len(bars) == 4  # two rows with the same label are two bars, never averaged into one
    plotting.french_axes(fig)
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert any("\u202f" in t for t in ticks), ticks  # 1 000, 2 000 … (narrow no-break space)
    assert not any("," in t or "." in t for t in ticks)
    texts = [t.get_text() for t in ax.texts]
    assert "3\u202f180 (74 %)" in texts and "84,0 (2 %)" in texts


def test_a_seaborn_figure_has_the_same_svg_bytes_on_every_draw():
    from helpers.report import maturity

    svgs = []
    for _ in range(2):
        fig = maturity.heatmap_figure(_assessment())
        plotting.french_axes(fig)
        plotting.fit_for_phone(fig)
        svgs.append(plotting.svg_bytes(fig))
    assert svgs[0] == svgs[1]
    text = svgs[0].decode()
    assert "<dc:date>" not in text and not re.search(r"\d{4}-\d{2}-\d{2}T", text)


def test_impact_effort_labels_do_not_depend_on_the_machine_speed(monkeypatch):
    """adjustText stops after 1 s of wall clock by default: a loaded machine placed the labels differently and two
    runs published different images. The figure now takes a fixed number of steps."""
    import adjustText

    from helpers.report import actions

    rng = np.random.default_rng(3)
    n = 14
    ranked = pd.DataFrame({"action_id": [f"A{i:02d}" for i in range(n)], "effort": rng.integers(1, 4, n),
                           "gain_tco2e": np.r_[rng.uniform(0.5, 40, n - 3), [0, 0, 0]],
                           "selected": rng.random(n) > 0.3})

    def draw() -> bytes:
        fig = actions.matrix_figure(ranked)
        return plotting.svg_bytes(fig)

    normal = draw()
    clock = iter(np.arange(0, 1e6, 5.0))  # every reading of the clock 5 s later: a very slow machine
    monkeypatch.setattr(adjustText, "timer", lambda: next(clock))
    assert draw() == normal
