"""The maturity questionnaire in French for the published diagnostic: headline, notes, display tables and figures.

The model (``helpers.model.maturity``) scores the questionnaire; this module turns a
:class:`helpers.model.maturity.MaturityAssessment` into what notebook ``04_maturity`` shows. Nothing here is written to
``data/processed/`` or ``summary.json`` here: the section's outputs are ``helpers.run.study.MaturityResult.write``,
which takes from here the French ``level`` of the summary (:func:`section_summary`) and the processed score matrix
(:func:`display_matrix`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.io.french import count_text
from helpers.io.maturity_inputs import LABEL_NR_MAX_POINTS
from helpers.model.maturity import (
    GLOBAL,
    LABEL_NR_LEVEL1_THRESHOLD,
    LABEL_NR_LEVEL2_THRESHOLDS,
    LEVEL_BOUNDS_PCT,
    MaturityAssessment,
    level_index,
)
from helpers.model.parameters import DEFAULTS

#: Named maturity levels: (upper bound of the score in %, exclusive; French name; meaning). The bounds are the
#: model's :data:`helpers.model.maturity.LEVEL_BOUNDS_PCT` (the steps of the 0-4 answer scale, project choice).
MATURITY_LEVELS: tuple[tuple[float, str, str], ...] = (
    (LEVEL_BOUNDS_PCT[0], "Initial", "les pratiques sont pour l'essentiel absentes ou ponctuelles"),
    (LEVEL_BOUNDS_PCT[1], "En construction", "des pratiques sont engagées mais pas encore généralisées"),
    (LEVEL_BOUNDS_PCT[2], "Structuré", "les pratiques sont organisées à l'échelle de la collectivité"),
    (np.inf, "Exemplaire", "les pratiques sont généralisées, mesurées et améliorées"),
)
NOT_ASSESSED_FR = "Non évalué"
PILLARS_FR = {"People": "Humain", "Planet": "Planète", "Prosperity": "Prospérité"}

# --------------------------------------------------------------------------------------------------------------------
# French display

def maturity_level(score_pct):
    """Named level of a score in % (:data:`MATURITY_LEVELS`); ``"Non évalué"`` for NaN.

    Accepts a scalar or an array-like; returns a string or an array of strings.
    """
    names = np.array([n for _, n, _ in MATURITY_LEVELS] + [NOT_ASSESSED_FR], dtype=object)
    idx = level_index(score_pct)
    return str(names[idx]) if np.ndim(idx) == 0 else names[idx]


def status_text(a: MaturityAssessment) -> str:
    """``questionnaire incomplet (x %)`` when the score is not published, else the level."""
    from helpers.io.french import NBSP, fr_number

    row = a.subject_row
    if not a.published and row["score_pct"] == row["score_pct"]:  # scored, but on too few answers
        return f"questionnaire incomplet ({fr_number(row['completeness_pct'], 0)}{NBSP}%)"
    return maturity_level(row["score_pct"])


def section_summary(a: MaturityAssessment) -> dict:
    """The ``maturity`` section of ``summary.json``: the model's values and the French ``level`` (the named level,
    or ``questionnaire incomplet (x %)`` below the publication threshold, :func:`status_text`)."""
    return a.summary() | {"level": status_text(a)}


def display_matrix(a: MaturityAssessment) -> pd.DataFrame:
    """Collectivities × axes scores (rounded %) and completeness, for the exported table (French headers)."""
    labels = a.axes.set_index("axis_id")["label_fr"].to_dict() | {GLOBAL: "Ensemble"}
    m = a.matrix.round(1)
    m.columns = [labels.get(c, c) for c in m.columns]
    comp = a.scores[a.scores["axis"] == GLOBAL].set_index("collectivity")["completeness_pct"]
    m.insert(0, "Collectivité", [a.names.get(c, c) for c in m.index])
    m["Complétude"] = comp.reindex(a.matrix.index).round(1).to_numpy()
    return m.reset_index(drop=True)


def _pct(value, decimals: int = 0) -> str:
    from helpers.report.plotting import NBSP, fr_number

    return "n.d." if value is None or value != value else f"{fr_number(value, decimals)}{NBSP}%"


def _count(n, word: str) -> str:
    """``'1 notée'``, ``'3 notées'``, ``'2 non applicables'`` (:func:`helpers.io.french.count_text`)."""
    return count_text(int(n), word)


def _entity_grammar(territory, entity_id: str) -> tuple[str | None, str | None]:
    """(kind, article) of an entity or peer of ``territory`` (``None, None`` when unknown), for
    :func:`helpers.io.french.de_name`."""
    if territory is None:
        return None, None
    for e in tuple(getattr(territory, "entities", ())) + tuple(getattr(territory, "peers", ())):
        if e.id == entity_id:
            return (e.kind or None), getattr(e, "article", None)
    return None, None


def subject_names(a: MaturityAssessment, territory=None) -> tuple[str, str]:
    """The rated entity's name as a subject (``"La Mairie de Trois-Lignes"``) and after "de" (``"de la Mairie de
    Trois-Lignes"``), escaped for the page (:func:`helpers.io.french.the_name`, :func:`~helpers.io.french.de_name`)."""
    from helpers.io.french import de_name, the_name
    from helpers.report.plotting import esc

    raw = a.names.get(a.subject, a.subject)
    kind, article = _entity_grammar(territory, a.subject)
    return esc(the_name(raw, kind, article, capital=True)), esc(de_name(raw, kind, article))


def not_provided_markdown(a: MaturityAssessment, territory=None) -> str:
    """The whole maturity headline when ``maturity.csv`` is absent (issue 33): one sentence, no completeness of 0 %,
    no empty comparison, no warning about the share answered."""
    _, of = subject_names(a, territory)
    return (f"Questionnaire de maturité : **non fourni** (fichier maturity.csv absent). La maturité {of} n'est pas "
            "évaluée et les mesures déjà menées ne sont pas recensées : le questionnaire, ses grilles et ses sources "
            "sont dans la bibliothèque de référence de l'outil (maturity_questions.csv).")


def headline_markdown(a: MaturityAssessment, label_nr: dict | None = None, territory=None,
                      low_completeness_pct: float = DEFAULTS.low_completeness_pct) -> str:
    """French paragraph with the subject's score, level, completeness and rank, and whether the collectivity holds
    the Label Numérique Responsable (``label_nr``, from ``territory.yaml``). The indicative Label NR score of the
    project's crosswalk is not here: it is in the annex with its caveat (:func:`label_nr_markdown`, issue 32).
    ``territory`` gives the rated entity's kind and article (its name in a sentence). Below
    ``low_completeness_pct`` of completeness, a published score carries a warning."""
    from helpers.report.plotting import fr_number

    row = a.subject_row
    b = a.benchmark
    subject, of = subject_names(a, territory)
    scored = row["score_pct"] == row["score_pct"]
    head = (f"**{subject}** obtient un score de maturité numérique responsable de **{_pct(row['score_pct'])}**, "
            f"niveau **{maturity_level(row['score_pct'])}**." if scored else
            f"La maturité {of} n'est **pas évaluée** : aucune question n'a de réponse notée.")
    if scored and not a.published:
        head = (f"La maturité {of} n'est **pas publiée** : **{status_text(a)}**, sous le seuil de "
                f"{fr_number(a.publish_threshold_pct, 0)} % de complétude en dessous duquel aucun score, niveau ni "
                "rang n'est publié.")
    lines = [
        head,
        "",
        f"- Complétude du questionnaire : {_pct(row['completeness_pct'])} ({_count(row['n_answered'], 'notée')}, "
        f"{_count(row['n_not_applicable'], 'non applicable')}, {_count(row['n_not_answered'], 'non répondue')} sur "
        f"{int(row['n_questions'])} questions). Les questions non répondues ne sont pas comptées comme 0 : elles sont "
        "exclues du score et signalées.",
    ]
    if not a.peers_sourced:
        n_other = len(a.unsourced_peers)
        lines.append(
            "- Comparaison : aucune collectivité de comparaison n'a de score de maturité publié et sourcé : pas de "
            "classement." + ((f" Les {count_text(n_other, 'autre collectivité')} ayant répondu (sans source publiée) "
                              "sont montrées à titre indicatif dans les tableaux, pas classées." if n_other > 1 else
                              " L'autre collectivité ayant répondu (sans source publiée) est montrée à titre "
                              "indicatif dans les tableaux, pas classée.") if n_other else "")
            + " Repère publié (autre questionnaire, tous secteurs) : score moyen WeNR 2021 de 59 % sur 75 "
            "organisations (wenr.isit-europe.org).")
    elif not a.published:
        lines.append("- Comparaison : pas de rang publié (questionnaire incomplet).")
    elif b["n_peers"]:
        lines.append(
            f"- Comparaison : rang **{b['rank'] if b['rank'] is not None else 'n.d.'} sur {b['n_peers'] + 1}** "
            f"collectivités ayant répondu ; médiane des autres collectivités {_pct(b['median_pct'])} "
            f"(premier quartile {_pct(b['q1_pct'])}, troisième quartile {_pct(b['q3_pct'])}).")
    else:
        lines.append("- Comparaison : aucune autre collectivité n'a répondu, pas de classement possible.")
    held = label_held_text(label_nr)
    if held:
        lines.append(f"- {held}")
    if scored and a.published and row["completeness_pct"] < low_completeness_pct:
        # only for a published score (issue 33: never beside "non évaluée" or "non publiée", which say it already)
        lines += ["", f"**Attention** : moins de {low_completeness_pct:.0f} % du questionnaire est traité ; le score ne "
                  "porte que sur les questions répondues et peut changer nettement quand le questionnaire sera "
                  "complété."]
    if a.illustrative_peers:
        lines += ["", "Les collectivités de comparaison et leurs réponses sont **illustratives** : elles montrent le "
                  "fonctionnement du comparatif et ne décrivent aucune collectivité réelle."]
    return "\n".join(lines)


def label_held_text(label_nr: dict | None) -> str:
    """French sentence saying the collectivity holds the Label Numérique Responsable (level, year, note and source
    when given), or ``""`` (issue 32)."""
    from helpers.report.plotting import esc

    if not label_nr or not label_nr.get("held"):
        return ""
    level = f" de niveau {label_nr['level']}" if label_nr.get("level") else ""
    year = f" depuis {label_nr['year']}" if label_nr.get("year") else ""
    note = f" ({esc(label_nr['note'])})" if label_nr.get("note") else ""
    source = f" Source : {esc(label_nr['source'])}." if label_nr.get("source") else ""
    return f"Label Numérique Responsable : la collectivité le détient déjà{level}{year}{note}.{source}"


def label_nr_markdown(score: float, label_nr: dict | None = None) -> str:
    """French sentence placing an indicative Label NR score against the level thresholds, with the caveat (annex
    only), and the label the collectivity holds when it does."""
    from helpers.report.plotting import fr_number

    lo, hi = LABEL_NR_LEVEL2_THRESHOLDS
    if score != score:
        where = "non calculable (un thème du label n'a aucune réponse notée)"
    elif score <= LABEL_NR_LEVEL1_THRESHOLD:
        where = f"sous le seuil du niveau 1 ({LABEL_NR_LEVEL1_THRESHOLD})"
    elif score < lo:
        where = (f"au-dessus du seuil du niveau 1 ({LABEL_NR_LEVEL1_THRESHOLD}), sous les seuils du niveau 2 "
                 f"({lo} ou {hi})")
    elif score < hi:
        where = (f"au-dessus du seuil du niveau 1 ; entre les deux seuils publiés pour le niveau 2 ({lo} selon une "
                 f"source, {hi} selon une autre)")
    else:
        where = f"au-dessus des deux seuils publiés pour le niveau 2 ({lo} et {hi})"
    value = "n.d." if score != score else fr_number(score, 0)
    return (f"Score **indicatif** : **{value} / {LABEL_NR_MAX_POINTS}**, {where}. Ce chiffre n'est pas une "
            "évaluation du Label Numérique Responsable : la grille du label n'est pas publique ; la correspondance "
            "entre nos axes et les thèmes du label, et les points de chaque thème, sont des hypothèses de ce projet "
            "(`data/raw/reference/label_nr_crosswalk.csv`). Seul un audit du label fait foi."
            + (" " + label_held_text(label_nr) if label_held_text(label_nr) else ""))


def levels_table() -> pd.DataFrame:
    """The named levels and their thresholds, in French."""
    rows, low = [], 0.0
    for high, name, meaning in MATURITY_LEVELS:
        span = f"{low:.0f} % et plus" if np.isinf(high) else f"de {low:.0f} % à moins de {high:.0f} %"
        rows.append({"Niveau": name, "Score": span, "Signification": meaning})
        low = high
    return pd.DataFrame(rows)


def levels_markdown() -> str:
    """One French sentence naming the levels and their thresholds (the published form of :func:`levels_table`)."""
    parts = [f"« {r.Niveau} » ({r.Score})" for r in levels_table().itertuples(index=False)]
    return "Niveaux de maturité selon le score global : " + ", ".join(parts) + "."


# columns of :func:`display_questions` shown in the published diagnostic (the full table is in the notebook)
SHORT_QUESTION_COLUMNS = ["Axe", "Intitulé", "Niveau (0 à 4)", "Ce que le niveau atteint signifie"]


def display_scores(a: MaturityAssessment) -> pd.DataFrame:
    """Per axis: the subject's score, completeness, the peers' median and the gap to the best peer (French)."""
    labels = a.axes.set_index("axis_id")["label_fr"].to_dict() | {GLOBAL: "Ensemble du questionnaire"}
    s = a.scores[a.scores["collectivity"] == a.subject].set_index("axis")
    ab = a.axis_benchmark.set_index("axis")
    idx = list(s.index)
    out = pd.DataFrame({
        "Axe": [labels.get(x, x) for x in idx],
        "Score": [_pct(v) for v in s["score_pct"]],
        "Niveau": list(maturity_level(s["score_pct"].to_numpy())),
        "Complétude": [_pct(v) for v in s["completeness_pct"]],
        "Non répondues": s["n_not_answered"].to_numpy(),
        "Médiane des autres": [_pct(v) for v in ab.loc[idx, "peers_median_pct"]],
        "Meilleure autre": [_pct(v) for v in ab.loc[idx, "best_peer_pct"]],
        "Écart au meilleur (points)": [("n.d." if v != v else f"{v:+.0f}") for v in ab.loc[idx, "gap_to_best_pts"]],
    })
    if ab.loc[idx, "peers_median_pct"].isna().all():  # no sourced peer: a column of "n.d." says nothing
        out = out.drop(columns=["Médiane des autres"])
    return out


def display_questions(df: pd.DataFrame, axes: pd.DataFrame, questions: pd.DataFrame) -> pd.DataFrame:
    """Strengths or weaknesses with French headers and the description of the level reached."""
    labels = axes.set_index("axis_id")["label_fr"]
    q = questions.set_index("question_id")
    level_text = [q.at[qid, f"level_{int(lv)}"] for qid, lv in zip(df["question_id"], df["level"], strict=True)]
    if df.empty:  # same columns as a filled table, so callers can select them
        return pd.DataFrame(columns=["Question", "Axe", "Intitulé", "Niveau (0 à 4)",
                                     "Ce que le niveau atteint signifie", "Poids", "Éléments déclarés"])
    return pd.DataFrame({
        "Question": df["question_id"].to_numpy(),
        "Axe": df["axis"].map(labels).to_numpy(),
        "Intitulé": df["question_fr"].to_numpy(),
        "Niveau (0 à 4)": df["level"].astype(int).to_numpy(),
        "Ce que le niveau atteint signifie": level_text,
        "Poids": df["weight"].to_numpy(),
        "Éléments déclarés": df["evidence"].fillna("").to_numpy(),
    })


def display_pillars(a: MaturityAssessment) -> pd.DataFrame:
    """The subject's score per People / Planet / Prosperity pillar, beside the median of the others (French)."""
    p = a.pillars
    mine = p[p["collectivity"] == a.subject].set_index("pillar")
    others = p[p["collectivity"] != a.subject].groupby("pillar")["score_pct"].median()
    return pd.DataFrame({
        "Pilier": [PILLARS_FR[x] for x in mine.index],
        "Questions": mine["n_questions"].to_numpy(),
        "Score": [_pct(v) for v in mine["score_pct"]],
        "Complétude": [_pct(v) for v in mine["completeness_pct"]],
        "Médiane des autres": [_pct(others.get(x, np.nan)) for x in mine.index],
    })


def display_label_themes(a: MaturityAssessment) -> pd.DataFrame:
    """Label NR themes with their indicative points (French)."""
    t = a.label_themes
    return pd.DataFrame({
        "Thème du Label NR": t["label_theme"].to_numpy(),
        "Points maximum (hypothèse)": t["theme_max_points"].round(0).astype(int).to_numpy(),
        "Score du thème": [_pct(v) for v in t["theme_pct"]],
        "Points indicatifs": t["theme_points"].round(0).to_numpy(),
    })


def display_actions(actions: pd.DataFrame, axes: pd.DataFrame) -> pd.DataFrame:
    labels = axes.set_index("axis_id")["label_fr"]
    return pd.DataFrame({
        "Axe faible": actions["axis"].map(labels).to_numpy(),
        "Action": actions["action_id"].to_numpy(),
        "Intitulé": actions["title_fr"].to_numpy(),
    })


def weak_axes_markdown(a: MaturityAssessment, threshold_pct: float = DEFAULTS.weak_axis_pct) -> str:
    """French sentence listing the weak axes (or saying there are none)."""
    from helpers.report.plotting import esc

    labels = a.axes.set_index("axis_id")["label_fr"]
    if a.axis_pct.isna().all():
        return "Aucun axe n'a de score : les axes faibles ne peuvent pas être identifiés."
    if not a.weak_axes:
        return f"Aucun axe n'a un score inférieur à {threshold_pct:.0f} % : pas d'axe faible à ce seuil."
    items = [f"{esc(labels.get(x, x))} ({_pct(a.axis_pct[x])})" for x in a.weak_axes]
    return f"Axes dont le score est inférieur à {threshold_pct:.0f} % (du plus faible au moins faible) : " + \
        " ; ".join(items) + "."


def radar_alt(a: MaturityAssessment) -> str:
    """Alternative text of :func:`radar_figure`: the message of the figure, in French."""
    labels = a.axes.set_index("axis_id")["label_fr"]
    ab = a.axis_benchmark[a.axis_benchmark["axis"] != GLOBAL].set_index("axis")
    name = a.names.get(a.subject, a.subject)
    s = ab["subject_pct"].dropna()
    if s.empty:
        return f"Radar des scores par axe : aucune question notée, aucun score à afficher pour {name}."
    best, worst = s.idxmax(), s.idxmin()
    from helpers.io.french import de_name

    text = (f"Radar des scores par axe {de_name(name)} : score le plus élevé en « {labels[best]} » ({_pct(s[best])}), "
            f"le plus bas en « {labels[worst]} » ({_pct(s[worst])})")
    gap = (ab["subject_pct"] - ab["peers_median_pct"]).dropna().round(1)
    if not gap.empty:
        above, below = int((gap > 0).sum()), int((gap < 0).sum())
        text += (f" ; par rapport à la médiane des autres collectivités : au-dessus sur {count_text(above, 'axe')}, "
                 f"au niveau sur {len(gap) - above - below}, en dessous sur {below}")
        if below:
            text += f", le plus grand retard étant en « {labels[gap.idxmin()]} » ({abs(gap.min()):.0f} points)"
    return text + "."


def heatmap_alt(a: MaturityAssessment) -> str:
    """Alternative text of :func:`heatmap_figure`: the message of the figure, in French."""
    g = a.matrix[GLOBAL].dropna()
    if g.empty:
        return "Carte des scores par collectivité et par axe : aucune collectivité n'a de réponse notée."
    top, low = g.idxmax(), g.idxmin()
    return (f"Carte des scores par collectivité et par axe, valeur écrite dans chaque case : "
            f"{count_text(len(g), 'collectivité notée')} ; score global le plus élevé {a.names.get(top, top)} ({_pct(g[top])}), le plus bas "
            f"{a.names.get(low, low)} ({_pct(g[low])}) ; {a.names.get(a.subject, a.subject)} : "
            f"{_pct(a.matrix.at[a.subject, GLOBAL])}.")


# --------------------------------------------------------------------------------------------------------------------
# figures

#: most collectivities shown as columns of :func:`heatmap_figure` (about 0.45 in each on a phone); beyond, they are rows
HEATMAP_MAX_COLUMNS = 8


def _short(text: str, n: int = 28) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _wrap(text: str, width: int = 18, lines: int = 2) -> str:
    """Wrap a label on at most ``lines`` lines (the last one shortened with … if needed)."""
    import textwrap

    parts = textwrap.wrap(str(text), width)
    if len(parts) > lines:
        parts = parts[: lines - 1] + [_short(" ".join(parts[lines - 1:]), width)]
    return "\n".join(parts)


def radar_figure(a: MaturityAssessment):
    """Polar chart of the subject's axis scores against the median of the other collectivities.

    Solid line with round markers for the subject, dashed line with square markers for the median, so colour is not
    the only carrier; axis labels are the French axis names. An axis without a score interrupts the line (it is
    never drawn at 0).
    """
    from helpers.report.plotting import PALETTE, setup

    plt = setup()
    ab = a.axis_benchmark[a.axis_benchmark["axis"] != GLOBAL]
    labels = a.axes.set_index("axis_id")["label_fr"]
    n = len(ab)
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
    closed = np.append(angles, angles[0])

    def close(values):  # NaN (no scored answer) stays NaN: the line is interrupted, never drawn at 0
        v = np.asarray(values, dtype=float)
        return np.append(v, v[0])

    fig, ax = plt.subplots(figsize=(7.0, 6.0), subplot_kw={"polar": True})
    name = a.names.get(a.subject, a.subject)
    ax.plot(closed, close(ab["subject_pct"]), color=PALETTE[0], linestyle="-", marker="o", linewidth=2,
            label=_short(name, 45))
    if ab["subject_pct"].notna().all():
        ax.fill(closed, close(ab["subject_pct"]), color=PALETTE[0], alpha=0.12)
    if (ab["n_peers"] > 0).any():
        ax.plot(closed, close(ab["peers_median_pct"]), color=PALETTE[5], linestyle="--", marker="s", linewidth=1.6,
                label="Médiane des autres collectivités")
    ax.set_theta_offset(np.pi / 2)  # first axis at the top, then clockwise
    ax.set_theta_direction(-1)
    ax.set_xticks(angles, [_wrap(labels.get(x, x), 20, 3) for x in ab["axis"]], fontsize=8)
    ax.tick_params(axis="x", pad=10)
    ax.set_ylim(0, 100)
    ax.set_yticks([25, 50, 75, 100], ["25 %", "50 %", "75 %", "100 %"], fontsize=7)
    ax.set_rlabel_position(180 / n)  # radial labels between the first two axes
    ax.set_title("Score de maturité par axe (%)", fontsize=10, pad=18)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


def heatmap_figure(a: MaturityAssessment):
    """Axes × collectivities heat map (seaborn) with the score written in every cell (``n.r.`` on a grey cell when
    nothing is scored). One row per axis and the overall score last, set apart by a white rule; one column per
    collectivity, the studied one first in bold. One blue scale from 0 to 100 % and no colour bar, since every
    value is written; axes as rows so their long names read horizontally on a phone. With more than
    :data:`HEATMAP_MAX_COLUMNS` collectivities they become the rows (and the axes the columns), so the figure grows
    in height rather than squeezing its columns."""
    import seaborn as sns

    from helpers.report.plotting import setup
    from helpers.report.report_theme import INK, LIGHT, SEQUENTIAL

    plt = setup()
    labels = a.axes.set_index("axis_id")["label_fr"].to_dict() | {GLOBAL: "Ensemble"}
    order = [a.subject] if a.subject in a.matrix.index else []
    m = a.matrix.loc[order + [c for c in a.matrix.index if c not in order]].astype(float)  # collectivities × axes
    by_axis = len(m) <= HEATMAP_MAX_COLUMNS
    if by_axis:
        m = m.T  # axes × collectivities
    row_names = (lambda r: labels.get(r, r)) if by_axis else (lambda r: a.names.get(r, r))
    col_names = (lambda c: a.names.get(c, c)) if by_axis else (lambda c: labels.get(c, c))
    data = m.to_numpy()
    fig, ax = plt.subplots(figsize=(4.4, 0.4 * len(m) + 2.4))
    ax.set_facecolor(LIGHT)  # a cell without a score shows the axes' light grey
    sns.heatmap(m, ax=ax, cmap=SEQUENTIAL, vmin=0, vmax=100, cbar=False, annot=False, linewidths=1.0,
                linecolor="white")
    for (i, j), v in np.ndenumerate(data):  # one text per cell (tests count them): the score or "n.r."
        bold = a.subject in (m.index[i], m.columns[j]) or GLOBAL in (m.index[i], m.columns[j])
        ax.text(j + 0.5, i + 0.5, "n.r." if np.isnan(v) else f"{v:.0f}", ha="center", va="center", fontsize=9,
                color="white" if (not np.isnan(v) and v > 60) else INK, fontweight="bold" if bold else "normal")
    if GLOBAL in m.index:  # the overall score set apart from the axes
        ax.axhline(list(m.index).index(GLOBAL), color="white", linewidth=4)
    if GLOBAL in m.columns:
        ax.axvline(list(m.columns).index(GLOBAL), color="white", linewidth=4)
    ax.set_yticks(np.arange(len(m)) + 0.5, [_wrap(row_names(r), 24) for r in m.index], rotation=0, fontsize=9)
    ax.set_xticks(np.arange(len(m.columns)) + 0.5, [_wrap(col_names(c), 26) for c in m.columns], rotation=90,
                  fontsize=9)
    ax.xaxis.tick_top()
    for ticks, names in ((ax.get_xticklabels(), m.columns), (ax.get_yticklabels(), m.index)):
        for tick, c in zip(ticks, names, strict=True):
            tick.set_fontweight("bold" if c in (a.subject, GLOBAL) else "normal")
    ax.tick_params(length=0)
    ax.set_xlabel("")
    ax.set_ylabel("")
    fig.suptitle("Score de maturité (%) par axe et par collectivité\nen gras : la collectivité étudiée et le "
                 "score d'ensemble", x=0.02, ha="left", fontsize=10, fontweight="bold")
    fig.tight_layout()
    return fig
