"""Sections of the diagnostic generated at publication from ``summary.json`` and the processed tables.

- :func:`synthesis_markdown`: section 1, the figures that matter and the first actions;
- :func:`method_markdown`: the last section, method, assumptions, overrides, factor table used, environment and the
  inputs' sha256;
- :func:`write_tables_xlsx`: ``tables.xlsx`` for partners (one sheet per key table, units and sources in the sheet),
  byte-identical across runs.

Every string that comes from the inputs is escaped with :func:`helpers.plotting.esc`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.plotting import NBSP, esc, fr_number, fr_sig, html_table

NA = "non disponible"


def _interval(d: dict | None, decimals: int = 0, unit: str = "") -> str:
    if not isinstance(d, dict) or d.get("value") is None:
        return NA
    text = fr_number(d["value"], decimals)
    if d.get("low") is not None and d.get("high") is not None:
        text += f" [{fr_number(d['low'], decimals)} – {fr_number(d['high'], decimals)}]"
    return f"{text}{NBSP}{unit}" if unit else text


def _per_person_references() -> str:
    """Published per-employee / per-user references (``published_benchmarks.csv``), for the synthesis."""
    from helpers.carbon import load_published_benchmarks, per_person_references

    refs = per_person_references(load_published_benchmarks())
    return f"repères publiés : {esc(refs)}" if refs else ""


def synthesis_markdown(summary: dict) -> str:
    """Section 1 (French): five headline figures with intervals and the five first actions, from ``summary``."""
    carbon = summary.get("carbon") or {}
    maturity = summary.get("maturity") or {}
    trajectory = summary.get("trajectory") or {}
    territory = summary.get("territory") or {}
    total = carbon.get("total_tco2e")
    physical, spend = carbon.get("physical_tco2e"), carbon.get("spend_based_tco2e")
    eq_share = carbon.get("equipment_manufacturing_share")
    share = None if eq_share is None else 100 * eq_share
    bench = maturity.get("benchmark") or {}
    rank = (f"rang {bench['rank']} sur {bench['n_peers'] + 1}"
            if bench.get("peers_sourced") and bench.get("rank") and bench.get("n_peers") is not None else "")
    if maturity.get("published") is False:
        maturity_value = esc(maturity.get("level", ""))  # "questionnaire incomplet (x %)": no score, level or rank
        maturity_note = (f"aucun score, niveau ni rang publié sous {fr_number(maturity.get('publish_threshold_pct', 60), 0)}"
                         f"{NBSP}% de complétude")
    else:
        maturity_value = (NA if maturity.get("score_pct") is None
                          else f"{fr_number(maturity['score_pct'], 0)}{NBSP}% {rank}".strip())
        maturity_note = esc(maturity.get("level", "")) + (
            "" if rank or not maturity else " ; pas de classement : aucune collectivité de comparaison sourcée")
    plan = summary.get("plan_reduction_tco2e_per_year")
    ref_year = territory.get("reference_year", "")
    rows = [
        ("Empreinte carbone annuelle du numérique de la collectivité", _interval(total, 0, "tCO2e/an"),
         f"IC 95 % ; dont périmètre physique (équipements, énergie, hébergement, réseaux, papier) "
         f"{_interval(physical, 0, 't')} et achats de services et logiciels, ratio monétaire "
         f"{_interval(spend, 0, 't')} (ligne à part, hors répartition par phase, ×/÷3)"),
        ("Par agent", _interval(carbon.get("per_agent_kgco2e"), 0, "kgCO2e/an"), _per_person_references()),
        ("Part de la fabrication des équipements", NA if share is None else f"{fr_number(share, 0)}{NBSP}%",
         "sur le périmètre physique sans papier (équipements, leur énergie, hébergement, réseaux) ; repères : "
         "ADEME–Arcep 78 %, La Rochelle publié 54 %"),
        ("Score de maturité numérique responsable", maturity_value, maturity_note),
        ("Réduction annuelle apportée par le plan d'actions (bilan et services)", _interval(plan, 0, "tCO2e/an"),
         f"par rapport à {ref_year} ; émissions du plan en {trajectory.get('milestone_year', 2030)} : "
         f"{_interval(trajectory.get('plan_2030_tco2e_interval') or {'value': trajectory.get('plan_2030_tco2e')}, 0, 'tCO2e')}"),
    ]
    lines = ["## 1. Synthèse", "",
             "Les chiffres qui comptent. Les intervalles entre crochets sont des intervalles de confiance à 95 % "
             "issus de la simulation de Monte Carlo (incertitude des facteurs, des durées de vie et des quantités).", "",
             "| Indicateur | Valeur | Repère |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    if trajectory.get("milestone_met") is not None:
        from helpers.trajectory import verdict_text

        lines += ["", f"**{esc(verdict_text(trajectory))}**"]
    by_id = {a.get("id"): a for a in summary.get("actions") or []}
    top = (summary.get("synthesis") or {}).get("top_actions") or top_actions(summary)
    lines += ["", "### Les cinq premières actions", ""]
    if top:
        for i, aid in enumerate(top, 1):
            a = by_id[aid]
            red = a.get("reduction_tco2e_per_year")
            lines.append(f"{i}. **{esc(a.get('title', aid))}** — {_interval(red, 1, 'tCO2e/an de réduction')}")
    else:
        lines.append(f"Plan d'actions {NA}.")
    avoided = [a for a in summary.get("actions") or [] if a.get("kind") == "avoided"]
    if avoided:
        lines += ["", "Réductions sous le niveau de référence. À part, émissions évitées par rapport au fil de "
                  "l'eau (hors classement) : " + " ; ".join(
                      f"{esc(a.get('title', a.get('id', '')))} — "
                      f"{_interval(a.get('avoided_tco2e_per_year'), 1, 'tCO2e/an')} "
                      f"({esc(a.get('counterfactual') or '')})" for a in avoided) + "."]
    return "\n".join(lines)


def top_actions(summary: dict, n: int = 5) -> list[str]:
    """Ids of the ``n`` first actions of the synthesis: selected reductions (kind ``reduction``) in rank order;
    an avoided action (against a business-as-usual counterfactual) is never among them."""
    actions = [a for a in summary.get("actions") or []
               if a.get("rank") is not None and a.get("kind", "reduction") == "reduction"]
    return [a["id"] for a in sorted(actions, key=lambda a: a["rank"])[:n]]


def _env_versions() -> dict[str, str]:
    import platform
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("numpy", "pandas", "matplotlib", "SALib", "papermill", "nbconvert", "openpyxl"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "absent"
    return out


#: The clean tables of the territory's own input files (written by ``01_ingest``); the tables the notebooks derive
#: from them (carbon_lines, actions_plan…) repeat their comments and are not input lines.
INPUT_TABLE_STEMS: tuple[str, ...] = ("inventory", "hosting", "telecom", "purchases", "printing", "services",
                                      "rgesn", "maturity_answers", "actions", "factor_overrides")


def assumed_inputs(processed: Path) -> pd.DataFrame:
    """Input lines marked as assumptions (a comment containing ``ASSUMPTION``/``HYPOTHÈSE``) in the clean tables of
    the input files (:data:`INPUT_TABLE_STEMS`), not in the tables derived from them."""
    rows = []
    for path in sorted(p for p in processed.glob("*.csv") if p.stem in INPUT_TABLE_STEMS):
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        for col in ("comment", "evidence", "source"):
            if col not in df.columns:
                continue
            mask = df[col].str.contains("ASSUMPTION|HYPOTH|ASSUMED|ILLUSTRATI", case=False, regex=True)
            for _, r in df[mask].iterrows():
                ident = next((r[c] for c in ("line_id", "service_id", "site_id", "action_id", "entity") if c in df.columns), "")
                rows.append({"Fichier": path.stem, "Ligne": ident, "Hypothèse": r[col]})
            break
    return pd.DataFrame(rows, columns=["Fichier", "Ligne", "Hypothèse"])


def method_markdown(summary: dict, processed: Path, factors: pd.DataFrame, overrides: pd.DataFrame | None) -> str:
    """Last section (French): method, assumptions, overrides, factors, environment, inputs' fingerprints."""
    lines = ["## 8. Méthode, hypothèses, limites et sources", "",
             "Empreinte annualisée (analyse de cycle de vie) : fabrication, distribution et fin de vie divisées par la "
             "durée de vie, plus l'usage (électricité × facteur d'émission). Facteurs cités (valeur, unité, source, "
             "millésime) ; incertitudes propagées par Monte Carlo avec une graine fixe. La méthode et les contrats de "
             "données sont documentés dans `docs/architecture.md` ; les sources et licences dans `docs/data_log.md` ; "
             "les hypothèses dans `docs/assumptions_caveats.md`.", ""]
    lines += ["### Hypothèses sur les entrées", ""]
    assumed = assumed_inputs(processed)
    if assumed.empty:
        lines.append("Aucune ligne d'entrée n'est marquée comme hypothèse.")
    else:
        lines.append(f"{len(assumed)} lignes d'entrée sont des hypothèses (marquées dans les fichiers). "
                     "Les cinq premières ; la liste complète est dans `tables.xlsx` (feuille « hypotheses »).")
        lines.append("")
        lines.append(html_table(assumed, "Lignes d'entrée marquées comme hypothèses", max_rows=5))
    from helpers.ingest import import_report_markdown  # the import report in full (issue 17)
    lines += ["", import_report_markdown(processed)]
    lines += ["", "### Facteurs remplacés par le territoire", ""]
    if overrides is None or overrides.empty:
        lines.append("Aucun facteur de la bibliothèque n'a été remplacé.")
    else:
        lines.append(html_table(overrides, "Facteurs remplacés (valeur de la bibliothèque → valeur du territoire)", max_rows=50))
    lines += ["", "### Facteurs utilisés", ""]
    used = factors[["factor_id", "value", "unit", "low", "high", "status", "vintage", "source"]]
    lines.append(f"{len(used)} facteurs (version `{esc(summary.get('factors_version', NA))}`), dont "
                 f"{int((used['status'] == 'assumption').sum())} hypothèses. La table complète (tous les indicateurs, "
                 "avec la source et le millésime de chaque valeur) est dans `tables.xlsx` (feuille « facteurs »).")
    top = top_factors(processed, used, 8)
    if top is not None:
        lines += ["", html_table(top, f"Les {len(top)} facteurs climat qui pèsent le plus sur le bilan (écart produit "
                                      "sur le total entre leur borne basse et leur borne haute)", max_rows=10)]
    lines += ["", "### Environnement et empreinte des entrées", ""]
    env = _env_versions()
    lines.append("Versions : " + ", ".join(f"{k} {v}" for k, v in env.items()) + f" ; code {esc(summary.get('code_version', ''))}.")
    lines.append("")
    lines.append(f"Empreinte sha256 de l'ensemble des entrées : `{summary.get('inputs_sha256', '')}`. L'empreinte de chaque "
                 "fichier est dans `summary.json` (`inputs_files_sha256`).")
    return "\n".join(lines)


def top_factors(processed: Path, factors: pd.DataFrame, n: int = 10) -> pd.DataFrame | None:
    """The ``n`` climate factors with the largest swing on the balance total (``carbon_sensitivity.csv``), with
    their value, interval, unit, vintage and source, for the method section."""
    path = processed / "carbon_sensitivity.csv"
    if not path.exists():
        return None
    sens = pd.read_csv(path)
    sens = sens[sens["kind"].eq("factor")].sort_values("swing", ascending=False, kind="stable").head(n)
    rows = sens.merge(factors, left_on="input_id", right_on="factor_id", how="left")
    interval = [f"{fr_sig(v)} [{fr_sig(lo)} – {fr_sig(hi)}]"
                for v, lo, hi in zip(rows["value"], rows["low"], rows["high"], strict=True)]
    return pd.DataFrame({"Facteur": rows["label_fr"], "Valeur [bas – haut]": interval, "Unité": rows["unit"],
                         "Source (millésime)": [f"{src} ({vin})" for src, vin in zip(rows["source"], rows["vintage"],
                                                                                       strict=True)]})


SHEET_NOTES = {
    "inventaire": "Inventaire validé (une ligne par groupe d'équipements identiques). Unités : quantité (unités), durée de vie (ans), puissance (W), consommation (kWh/an).",
    "facteurs": "Bibliothèque de facteurs utilisée (après remplacements). Unités dans la colonne unit ; source et millésime par ligne.",
    "hypotheses": "Lignes d'entrée marquées comme hypothèses.",
}


def write_tables_xlsx(tables: dict[str, tuple[pd.DataFrame, str]], path: Path) -> Path:
    """One sheet per table, a first row saying what the sheet holds (units, sources); byte-identical across runs.

    Written by :func:`helpers.safe_write.write_xlsx`: every text cell is a string cell (never a formula, whatever it
    starts with), characters XML forbids are replaced.
    """
    from helpers.safe_write import write_xlsx

    return write_xlsx(tables, path)
