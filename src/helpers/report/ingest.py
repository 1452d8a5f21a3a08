"""The import in French for the published diagnostic: the territory, the fleet, the digital-inclusion context and the
import report, as texts, display tables and a figure.

The io layer (``helpers.io.ingest``) reads and validates the inputs and writes the clean tables and the import report
(``import_report.csv``, :func:`helpers.io.ingest.import_report_table`; ``summary.json`` ``inputs``,
:func:`helpers.io.ingest.import_report_summary`); this module turns them into what notebook ``01_ingest``, the console
(:func:`import_report_console`) and the annex (:func:`import_report_markdown`) show. Nothing here is written to
``data/processed/`` or ``summary.json``.
"""

from __future__ import annotations

import pandas as pd

from helpers.io.french import count_text
from helpers.io.ingest import IngestReport

#: what each input file holds, in the words of the page's readers (file names stay in the annex's import report)
INPUT_NAMES_FR: dict[str, str] = {
    "factor_overrides.csv": "facteurs propres à la collectivité",
    "hosting.csv": "hébergement (salles serveurs, centres de données, nuage)",
    "inventory.csv": "inventaire du parc",
    "telecom.csv": "télécoms",
    "purchases.csv": "achats de services et logiciels",
    "printing.csv": "impressions",
    "services.csv": "services numériques clés",
    "rgesn.csv": "auto-évaluation RGESN",
    "maturity.csv": "questionnaire de maturité",
    "unit_prices.csv": "prix unitaires de la collectivité",
    "actions.csv": "choix du plan d'actions",
}


#: Where the value of a column came from, in French.
HOW_FR = {"exact": "nom exact", "synonyme": "synonyme", "synonyme après préfixe": "synonyme (après le préfixe de groupe)",
          "nom du fichier": "nom du fichier"}
#: Defaults applied, in French.
DEFAULT_FR = {"quantity": "quantité 1 par ligne (une ligne par équipement)",
              "quality": "qualité de la donnée (haute pour un export d'outil de parc, moyenne sinon)",
              "entity": "entité unique du territoire",
              "lifetime_years": "durée de vie de la catégorie",
              "purchase_year": "sans date d'achat ni âge (âge inconnu)",
              "yearly_kwh": "consommation annuelle de la catégorie",
              "rated_power_w": "puissance nominale (plaque, alimentation) non prise pour une puissance moyenne : "
                               "consommation de la catégorie retenue"}


def read_kept_text(read, kept) -> str:
    """``"3 lignes lues, 1 conservée"``: the rows read and kept of one file, agreed in number (a value that is not a
    number, "?" when the report lacks it, is written as it is)."""
    def count(value, singular: str, plural: str) -> str:
        try:
            n = int(value)
        except (TypeError, ValueError):
            return f"{value} {plural}"
        return count_text(n, singular, plural)

    return f"{count(read, 'ligne lue', 'lignes lues')}, {count(kept, 'conservée', 'conservées')}"


def import_report_short(report: IngestReport, escape=str) -> str:
    """French lines, one per input file: rows read, kept, excluded by reason (console and section 2).

    ``escape`` is applied to the file names (``helpers.report.plotting.esc`` for Markdown).
    """
    from helpers.io.inventory import REASON_FR

    lines = []
    for f in report.files:
        excl = ", ".join(f"{n} {REASON_FR.get(r, r)}" for r, n in sorted(f.excluded.items()))
        lines.append(f"- {escape(f.file)} : {read_kept_text(f.rows_read, f.rows_kept)}"
                     + (f" ; exclues : {excl}" if excl else ""))
    for file in report.header_only:
        lines.append(f"- {escape(file)} : en-tête seul, traité comme non fourni")
    for file in getattr(report, "absent", []):
        lines.append(f"- {escape(file)} : absent (fichier facultatif non fourni)")
    return "\n".join(lines)


def import_report_sentence(report: IngestReport) -> str:
    """One French sentence for section 2: rows read and kept over every input file, rows excluded by reason (the
    detail per file is in section 8, :func:`import_report_markdown`)."""
    from helpers.io.inventory import REASON_FR

    if not report.files:
        return ""
    read = sum(f.rows_read for f in report.files)
    kept = sum(f.rows_kept for f in report.files)
    excluded: dict[str, int] = {}
    for f in report.files:
        for reason, n in f.excluded.items():
            excluded[reason] = excluded.get(reason, 0) + n
    text = (f"Rapport d'import : {count_text(read, 'ligne lue')} dans {count_text(len(report.files), 'fichier')}, "
            f"{kept} {'conservées' if kept > 1 else 'conservée'}")
    if excluded:
        text += " ; exclues : " + ", ".join(f"{n} {REASON_FR.get(k, k)}" for k, n in sorted(excluded.items()))
    where = "détail par fichier dans les annexes, « Rapport d'import des fichiers d'entrée »"
    if excluded:
        where += f" ; chaque ligne exclue dans tables.xlsx, feuille « {EXCLUDED_SHEET} »"
    return text + f" ({where})."


#: The sheet of ``tables.xlsx`` listing every excluded inventory line (``helpers.report.sections.SHEET_NAMES``).
EXCLUDED_SHEET = "Lignes exclues"
#: Excluded lines printed in the console and shown in the annex; the rest are counted (all in ``tables.xlsx``).
EXCLUDED_SHOWN = 20


def _excluded_lines(processed):
    """``excluded_lines.csv`` of the processed folder (``None`` when no line was excluded)."""
    from pathlib import Path

    path = Path(processed) / "excluded_lines.csv"
    if not path.exists():
        return None
    return pd.read_csv(path, keep_default_na=False, dtype=str)


def excluded_line_text(row) -> str:
    """One excluded line in French, the file by its name (its folder is in the report above): ``inventory.csv,
    ligne 12 : statut « en stock » (status 'En stock')``."""
    value = (f" ({row['column']} '{row['value']}')" if row["column"] else f" ({row['value']})") if row["value"] else ""
    detail = f" ; {row['detail']}" if row["detail"] else ""
    return f"{str(row['file']).rsplit('/', 1)[-1]}, ligne {row['line']} : {row['reason']}{value}{detail}"


def import_report_console(processed) -> str:
    """French lines for the console after a study: per input file, rows read, kept and excluded by reason (from
    ``import_report.csv`` of the processed folder; empty when there is none)."""
    from pathlib import Path

    from helpers.io.inventory import REASON_FR

    path = Path(processed) / "import_report.csv"
    if not path.exists():
        return ""
    table = pd.read_csv(path, keep_default_na=False, dtype=str)
    lines = ["Rapport d'import :"]
    for file, rows in table.groupby("file", sort=False):
        get = dict(zip(rows["item"], rows["value"], strict=False))
        if "header_only" in get:
            lines.append(f"  - {file} : en-tête seul, traité comme non fourni")
            continue
        if "absent" in get:
            lines.append(f"  - {file} : absent (fichier facultatif non fourni)")
            continue
        excl = rows[rows["item"] == "excluded"]
        text = f"  - {file} : {read_kept_text(get.get('rows_read', '?'), get.get('rows_kept', '?'))}"
        if len(excl):
            text += " ; exclues : " + ", ".join(f"{n} {REASON_FR.get(k, k)}" for k, n in zip(excl["key"], excl["value"], strict=True))
        lines.append(text)
        refined = rows[rows["item"] == "refined"]
        lines += [f"    {n} {detail}" for n, detail in zip(refined["value"], refined["detail"], strict=True)]
    warnings = table[table["item"] == "warning"]
    if len(warnings):
        lines.append("Avertissements :")
        lines += [f"  - {text}" for text in warnings["detail"]]
    excluded = _excluded_lines(processed)
    if excluded is not None and len(excluded):
        lines.append(_excluded_values(excluded))
        shown = excluded.head(EXCLUDED_SHOWN)
        lines.append(f"Lignes exclues ({len(shown)} premières sur {len(excluded)} ; liste complète dans tables.xlsx, "
                     f"feuille « {EXCLUDED_SHEET} ») :" if len(excluded) > len(shown) else
                     f"Lignes exclues (liste aussi dans tables.xlsx, feuille « {EXCLUDED_SHEET} ») :")
        lines += [f"  - {excluded_line_text(row)}" for _, row in shown.iterrows()]
        if len(excluded) > len(shown):
            lines.append(f"  … et {len(excluded) - len(shown)} autres")
    return "\n".join(lines)


def _excluded_values(excluded: pd.DataFrame) -> str:
    """French line naming the values that excluded lines, per reason, most frequent first (at most 5 per reason)."""
    parts = []
    for reason, rows in excluded.groupby("reason", sort=True):
        counts = rows["value"].value_counts()
        shown = ", ".join(f"'{v}' ({n}×)" if n > 1 else f"'{v}'" for v, n in counts.head(5).items() if v)
        more = len(counts) - 5
        if shown:
            parts.append(f"{reason} : {shown}" + (f" et {count_text(more, 'autre')}" if more > 0 else ""))
    return "Valeurs écartées : " + " ; ".join(parts) if parts else "Valeurs écartées : aucune"


def import_report_markdown(processed) -> str:
    """French detail of the import report for section 8, from ``import_report.csv`` of the processed folder."""
    from pathlib import Path

    path = Path(processed) / "import_report.csv"
    out = ["### Rapport d'import des fichiers d'entrée", ""]
    if not path.exists():
        return "\n".join(out + ["Rapport d'import non disponible."])
    table = pd.read_csv(path, keep_default_na=False, dtype=str)
    out += [_file_markdown(file, rows) for file, rows in table.groupby("file", sort=False)]
    out += ["", "Valeurs par défaut des catégories (durée de vie, puissance, heures d'utilisation, consommation) : "
            "`data/raw/reference/categories.csv`, avec leurs sources ; l'origine de chaque consommation annuelle "
            "(donnée, puissance × heures ou valeur de la catégorie) est dans la table `inventory`."]
    excluded = _excluded_lines(processed)
    if excluded is not None and len(excluded):
        out += _excluded_markdown(excluded)
    return "\n".join(out)


def _file_markdown(file: str, rows: pd.DataFrame) -> str:
    """The French list item of one file of the import report: not provided, or the lines read and kept, the lines
    excluded, the columns recognised and ignored, the defaults, the lines interpreted and the decimal convention."""
    from helpers.io.inventory import REASON_FR
    from helpers.report.plotting import esc

    get = dict(zip(rows["item"], rows["value"], strict=False))
    if "header_only" in get:
        return f"- {esc(file)} : en-tête seul, traité comme non fourni."
    if "absent" in get:
        return f"- {esc(file)} : absent (fichier facultatif non fourni)."
    item = {name: rows[rows["item"] == name] for name in ("excluded", "column", "ignored", "default", "refined",
                                                           "decimal")}
    excl = item["excluded"]
    text = f"- {esc(file)} : {read_kept_text(get.get('rows_read', '?'), get.get('rows_kept', '?'))}"
    if len(excl):
        text += " ; exclues : " + ", ".join(f"{n} {REASON_FR.get(k, k)}" for k, n in zip(excl["key"], excl["value"], strict=True))
    text += "." + _columns_text(item["column"], item["ignored"])
    dflt, refined = item["default"], item["refined"]
    if len(dflt):
        text += " Valeurs par défaut : " + ", ".join(
            f"{DEFAULT_FR.get(k, k)} ({count_text(int(n), 'ligne')})" for k, n in zip(dflt["key"], dflt["value"],
                                                                          strict=True)) + "."
    if len(refined):
        text += " Lignes interprétées : " + ", ".join(
            f"{esc(d)} ({count_text(int(n), 'ligne')})" for n, d in zip(refined["value"], refined["detail"],
                                                                    strict=True)) + "."
    dec = item["decimal"]
    if len(dec):  # the decimal convention of the columns with decimals (issue 31); each column's evidence is in
        text += " " + decimal_sentence(dec["key"].tolist(), dec["detail"].tolist(), esc)  # import_report
    return text


def _columns_text(cols: pd.DataFrame, ign: pd.DataFrame) -> str:
    """French sentences on a file's columns: how many have the template's exact name, how the others were
    recognised, which were ignored (empty when there is nothing to say)."""
    from helpers.report.plotting import esc

    text = ""
    exact = cols["detail"] == "exact"
    if exact.any():
        text += f" {count_text(int(exact.sum()), 'colonne')} au nom exact du modèle."
    if (~exact).any():
        text += " Colonnes reconnues : " + ", ".join(
            f"« {esc(h)} » → `{c}` ({HOW_FR.get(how, how)})"
            for c, h, how in zip(cols.loc[~exact, "key"], cols.loc[~exact, "value"], cols.loc[~exact, "detail"],
                                 strict=True)) + "."
    if len(ign):
        text += " Colonnes ignorées : " + ", ".join(f"« {esc(h)} »" for h in ign["key"]) + "."
    return text


def _excluded_markdown(excluded: pd.DataFrame) -> list[str]:
    """The French lines on the inventory's excluded lines: a sentence and the table of the first
    :data:`EXCLUDED_SHOWN` (file, line, reason, deciding value, detail; the file in the caption when only one)."""
    from helpers.report.plotting import html_table

    shown = excluded.head(EXCLUDED_SHOWN)
    more = (f"les {len(shown)} premières ; la liste complète ({len(excluded)} lignes) est dans `tables.xlsx`, "
            f"feuille « {EXCLUDED_SHEET} »" if len(excluded) > len(shown)
            else f"toutes, aussi dans `tables.xlsx`, feuille « {EXCLUDED_SHEET} »")
    names = shown["file"].map(lambda f: f.rsplit("/", 1)[-1])
    table = pd.DataFrame({"Fichier": names, "Ligne": shown["line"], "Motif": shown["reason"],
                          "Valeur décisive": [f"{c} : {v}" if c and v else v for c, v in
                                              zip(shown["column"], shown["value"], strict=True)],
                          "Détail": shown["detail"]})
    caption = "Lignes exclues de l'inventaire"
    if names.nunique() == 1:  # one file: named once in the caption, not on every row (narrow screens)
        table = table.drop(columns="Fichier")
        caption += f" ({names.iat[0]})"
    return ["", f"{count_text(len(excluded), 'ligne')} de l'inventaire "
            f"{'sont exclues ou fusionnées' if len(excluded) > 1 else 'est exclue ou fusionnée'} ({more}) : "
            "ligne, motif et valeur qui a décidé.", "",
            html_table(table, caption, max_rows=EXCLUDED_SHOWN)]


def decimal_sentence(columns: list[str], notes: list[str], escape=str) -> str:
    """One French sentence on the decimal convention of a file's columns (as text: no element per column): the
    convention and the columns that show it themselves; the columns read with another column's evidence, a
    declaration or with values that could be read two ways are named with their note."""
    plain = {"virgule décimale": [], "point décimal": []}
    special = []
    for column, note in zip(columns, notes, strict=True):
        mark = "virgule décimale" if note.startswith("virgule") else "point décimal"
        if "de la colonne)" in note:
            plain[mark].append(escape(column))
        else:
            special.append(f"{escape(column)} : {escape(note)}")
    parts = [f"{mark} (colonne{'s' if len(cols) > 1 else ''} {', '.join(cols)})" for mark, cols in plain.items() if cols]
    return "Convention décimale : " + " ; ".join(parts + special) + "."


def fleet_overview(inventory: pd.DataFrame, categories: pd.DataFrame) -> pd.DataFrame:
    """Quantities by category (rows, French labels) and entity (columns), with a total column."""
    labels = categories.set_index("category")["label_fr"]
    from helpers.report.page_budget import top_columns

    table = inventory.pivot_table(index="category", columns="entity", values="quantity", aggfunc="sum", fill_value=0)
    table = top_columns(table, list(table.columns))  # at most 6 entity columns on the page (page budget)
    table["Total"] = table.sum(axis=1)
    table = table.sort_values("Total", ascending=False).astype(int)
    table.columns.name = None
    table.index = [labels.get(c, c) for c in table.index]
    table.index.name = "Catégorie"
    return table.reset_index()


def territory_markdown(territory, report: IngestReport) -> str:
    """French description of the territory, its entities and the inputs provided (input strings escaped)."""
    from helpers.report.plotting import esc, fr_number

    lines = [
        f"**{esc(territory.name)}** — {fr_number(territory.population)} habitants, {fr_number(territory.agents)} agents, "
        f"année de référence {territory.reference_year}, objectif {territory.target_year}.",
        "",
        "Entités dans le périmètre :",
        "",
    ]
    from helpers.report.page_budget import (  # long lists summarised (page budget)
        listed_inline,
        listed_markdown,
    )
    from helpers.report.plotting import code

    lines += listed_markdown([f"{esc(e.name)} ({code(e.id)})" for e in territory.entities], "entités")
    if territory.peers:
        lines += ["", "Collectivités de comparaison (maturité) : "
                  + listed_inline([esc(p.name) for p in territory.peers], "collectivités") + "."]
    # one sentence, not one list item per file (page budget, issue 20); the full import report is in the annex
    given = [file for file, ok in report.provided.items() if ok]
    missing = [file for file, ok in report.provided.items() if not ok]
    def named(files):
        return ", ".join(esc(INPUT_NAMES_FR.get(f, f)) for f in files)

    lines += ["", f"Données fournies et validées : {named(given) or 'aucune'}."
              + (f" Non fournies (partie absente du diagnostic) : {named(missing)}." if missing else "")
              + (" " + import_report_sentence(report) if report.files else "")]
    if report.warnings:
        from helpers.io.errors import grouped_lines

        lines += ["", "Avertissements :", ""] + [f"- {esc(w)}" for w in grouped_lines(report.warnings)]
    return "\n".join(lines)


def fleet_figure(inventory: pd.DataFrame, categories: pd.DataFrame, names: dict[str, str] | None = None):
    """Horizontal bars: number of devices per category, stacked by entity; the legend, below the bars, gives each
    entity's name (``names``: entity id -> name, e.g. from the territory), never its code."""
    from helpers.report.plotting import PALETTE, setup

    plt = setup()
    labels = categories.set_index("category")["label_fr"]
    from helpers.report.page_budget import top_columns

    table = inventory.pivot_table(index="category", columns="entity", values="quantity", aggfunc="sum", fill_value=0)
    table = top_columns(table, list(table.columns))  # a readable legend however many entities
    table = table.loc[table.sum(axis=1).sort_values().index]
    fig, ax = plt.subplots(figsize=(7.5, 0.28 * len(table) + 1.2))
    left = None
    for i, entity in enumerate(table.columns):
        ax.barh([labels.get(c, c) for c in table.index], table[entity], left=left,
                label=(names or {}).get(entity, entity),
                color=PALETTE[i % len(PALETTE)], edgecolor="white", linewidth=0.5)
        left = table[entity] if left is None else left + table[entity]
    ax.set_xlabel("Nombre d'équipements")
    ax.legend(frameon=False, fontsize=9, loc="upper center", bbox_to_anchor=(0.4, -0.1 * 6 / fig.get_figheight()),
              ncol=1)
    fig.tight_layout()
    return fig


def inclusion_markdown(territory, context: pd.DataFrame) -> str:
    """French paragraph: the national illectronisme rate and what it would mean at the territory's scale.

    The territorial figure is an upper-bound order of magnitude: the national rate (people aged 15 and over) applied
    to the whole population, since the age structure is not an input.
    """
    from helpers.report.plotting import fr_number

    row = context.set_index("indicator").loc["illectronisme"]
    people = territory.population * float(row["value"])
    old = context.set_index("indicator").loc["illectronisme_75_plus"]
    return (
        f"**Inclusion numérique.** En France, {fr_number(100 * row['value'], 1)} % des personnes de 15 ans et plus "
        f"sont en situation d'illectronisme ({int(row['vintage'])}, INSEE) et {fr_number(100 * old['value'], 0)} % "
        f"des 75 ans et plus. Appliqué à la population du territoire, ce taux correspondrait à environ "
        f"{fr_number(round(people, -2))} habitants (ordre de grandeur majorant : le taux national porte sur les "
        f"15 ans et plus). Source : {row['source'].split(' ')[0]}."
    )


# ----------------------------------------------------------------------------------------------------------------
# The territory's actors (issue 35): footprint by actor, connectivity and inclusion indicators
# ----------------------------------------------------------------------------------------------------------------

#: French name of each basis of an actor line
BASIS_FR = {"local": "données locales", "national_ratio": "moyenne nationale"}
#: what each of the territory's open-data files gives, for the sentence under the table
ACTOR_FILES_FR = {"communes": "ménages de l'INSEE", "establishments": "emplois salariés par secteur de l'INSEE",
                  "schools": "élèves de l'Éducation nationale", "connectivity": "connectivité de l'Arcep",
                  "datacentres": "centres de données locaux", "digital_fragility": "indice de fragilité numérique"}
INPUT_NAMES_FR.update({
    "communes.csv": "population et ménages par commune (INSEE)",
    "establishments.csv": "établissements et emplois par secteur (INSEE)",
    "schools.csv": "élèves par école (Éducation nationale)",
    "connectivity.csv": "connectivité fixe par commune (Arcep)",
    "datacentres.csv": "centres de données du territoire",
    "digital_fragility.csv": "indice de fragilité numérique",
    "priorities.csv": "priorités des parties prenantes",
})


def actors_sentence(lines: pd.DataFrame) -> str:
    """The actor lines in one French sentence (the page budget allows no table here; the table is the sheet
    « Territoire par acteur » of ``tables.xlsx``): ``ménages : 23 406 tCO2e par an [17 923 – 31 338], données
    locales ; …``."""
    from helpers.io.french import fr_interval

    def label(text: str) -> str:
        return text[0].lower() + text[1:]

    return " ; ".join(f"{label(r.label_fr)} {fr_interval(r.value_tco2e, r.low_tco2e, r.high_tco2e)}, "
                      f"{BASIS_FR.get(r.basis, r.basis)}" for r in lines.itertuples(index=False))


def actors_markdown(actors, territory) -> str:
    """French text of section 2 on the territory's footprint by actor: what it rests on, each line with its interval
    and basis, the total, and the connectivity and inclusion indicators (two paragraphs: the main page's budget; the
    lines, the jobs by sector and the indicators are sheets of ``tables.xlsx``, the method in the annex)."""
    from helpers.io.french import fr_interval
    from helpers.model.territory_actors import total
    from helpers.report.plotting import esc, fr_number

    lines = actors.lines
    local = lines[lines["basis"] == "local"]
    t = total(lines)
    head = "**Usages numériques du territoire par acteur.** "
    if local.empty:
        text = (head + "Sans donnée locale sur les usages (fichiers ouverts de l'INSEE, de l'Arcep, de l'Éducation "
                f"nationale…), l'empreinte numérique du territoire est la moyenne nationale ramenée à ses "
                f"{fr_number(territory.population)} habitants (ADEME–Arcep, 253 kgCO2e par habitant, périmètre 2020), "
                "répartie entre terminaux, centres de données et réseaux (aucune répartition publiée ne sépare les "
                "terminaux des ménages, des entreprises et des services publics). ")
    else:
        files = ", ".join(ACTOR_FILES_FR[f] for f in actors.provided if f in ACTOR_FILES_FR)
        text = (head + f"{len(local)} ligne(s) de l'empreinte numérique du territoire reposent sur ses données "
                f"({esc(files)}) : l'activité locale × l'empreinte nationale par unité (ADEME–Arcep 2020) ; les "
                "autres restent à la moyenne nationale ramenée à la population")
        if lines.loc[lines["actor"] == "datacentres", "basis"].eq("local").any():
            text += " ; les centres de données comptés sont ceux situés sur le territoire"
        if getattr(territory, "illustrative", False):
            text += " (extrait illustratif : valeurs locales supposées, signalées dans chaque fichier)"
        text += ". "
    text += ("En tCO2e par an : " + actors_sentence(lines) + f" ; **total {fr_interval(t['value'], t['low'], t['high'], 0, 'tCO2e par an')}**"
             " (fourchette prudente ; détail dans tables.xlsx, feuille « Territoire par acteur »"
             + (" et, par secteur, « Territoire secteurs »" if actors.sectors is not None else "") + ").")
    ind = actors.indicators
    if not len(ind):
        return text

    def one(r):
        decimals = 0 if r.unit in ("élèves", "sites") or abs(r.value) >= 100 else 2 if r.value < 10 and \
            r.unit.startswith(("accès", "cartes")) else 1
        label = esc(r.label_fr[0].lower() + r.label_fr[1:])
        return f"{label} : {fr_number(r.value, decimals)}{' %' if r.unit == '%' else ''}"

    return text + "\n\nConnectivité et inclusion : " + " ; ".join(one(r) for r in ind.itertuples(index=False)) + "."


def actors_method_markdown(nat=None) -> str:
    """French paragraph of the annex: how each local line of the territory's footprint by actor is computed, with
    the per-unit intensities (``data/raw/reference/territory_actors.csv``)."""
    from helpers.report.plotting import fr_number

    if nat is None:
        from helpers.io import factors as fm
        from helpers.io.carbon_reference import load_national_actors, load_national_footprint
        from helpers.model import territory_actors as ta

        nat = ta.national_intensities(load_national_footprint(), load_national_actors(),
                                      fm.load_categories(), fm.load_factors())
    per = nat.per_unit_kgco2e

    def ivl(key, d=0):
        return f"{fr_number(per[key].value, d)} [{fr_number(per[key].low, d)} – {fr_number(per[key].high, d)}]"

    return ("Répartition par acteur (partie 2) : chaque ligne sur données locales est l'activité du territoire × "
            "l'empreinte nationale par unité (ADEME–Arcep 2020, terminaux 79 %, centres de données 16 %, réseaux "
            f"5 %), en kgCO2e par an : par ménage {ivl('households')}, ce que laissent les terminaux nationaux une "
            f"fois ôtés ceux des emplois et des écoles ; par emploi salarié {ivl('salaried_jobs')} (WeNR 2021 : "
            "265 kg par salarié dont 77 % de fabrication des équipements de bureau, même valeur dans tous les "
            f"secteurs) ; par élève {ivl('pupils', 1)} (équipement scolaire supposé : un ordinateur et une tablette "
            "pour dix élèves, un écran interactif par classe, un vidéoprojecteur pour deux classes) ; par MW "
            f"informatique de centre de données {fr_number(per['dc_power_mw'].value / 1000)} tCO2e (1 606 MW en "
            f"France) ; par accès fixe {fr_number(per['fixed_accesses'].value, 1)} ; par carte SIM "
            f"{fr_number(per['sim_cards'].value, 1)}. Les terminaux qu'aucun fichier ne couvre restent une ligne à la "
            "moyenne nationale (aucune répartition publiée par acteur) ; la fourchette du total additionne celles "
            "des lignes. Sources et statut de chaque paramètre : data/raw/reference/territory_actors.csv.")
