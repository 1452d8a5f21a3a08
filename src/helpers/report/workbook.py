"""``tables.xlsx`` for a French spreadsheet user (issue 33): column labels, values, formats and the Lisez-moi sheet.

The processed tables keep their machine names (``balance_low_tco2e``, ``manufacturing``, ``True``): next year's study
and the tests read them. The workbook a partner opens shows instead:

- :data:`COLUMN_LABELS`, the one dictionary of column labels, each written by a person with its unit ("Bilan, borne
  basse (tCO2e/an)"), keyed by the column name, or by ``"table.column"`` where a name means something else in one
  table; a column it does not hold falls back to :func:`helpers.report.sections.french_header` (and a test lists the
  processed tables' columns, so a new one is caught);
- French values instead of codes (:func:`french_values`): categories, phases, tiers, criteria, axes, levers,
  decisions, scenarios, qualities, statuses, units, factor ids, ``oui`` / ``non`` for booleans. What a collectivity
  wrote (its comments, entity and site ids, service names, an export's headers) stays as written;
- shares of a whole (0 to 1) in percentage format (:data:`SHARE_COLUMNS`: Excel shows ``48,2 %``);
- :data:`SHEETS`: for every sheet, one sentence on what it holds and the part of the diagnostic it feeds, written in
  the "Lisez-moi" sheet.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

# ----------------------------------------------------------------------------------------------------------------
# One dictionary of column labels (units in brackets; "/an" for a yearly flow)
# ----------------------------------------------------------------------------------------------------------------

COLUMN_LABELS: dict[str, str] = {
    # identifiers and names
    "line_id": "Ligne", "entity": "Entité", "site": "Site d'hébergement", "site_id": "Site", "service_id": "Service",
    "action_id": "Action", "question_id": "N° de question", "collectivity": "Collectivité", "name": "Nom",
    "title_fr": "Intitulé", "label_fr": "Libellé", "label_theme": "Thème du Label NR", "number": "Numéro du critère",
    "id": "Identifiant", "role": "Rôle", "population": "Population (habitants)", "file": "Fichier",
    "source_file": "Fichier d'origine", "source_rows": "Lignes d'origine",
    # inventory
    "category": "Catégorie", "category_as_given": "Catégorie telle qu'écrite dans le fichier",
    "factor_item": "Facteur d'émission utilisé", "tier": "Niveau", "quantity": "Quantité (unités)",
    "purchase_year": "Année d'achat", "age_years": "Âge (ans)", "lifetime_years": "Durée de vie (ans)",
    "lifetime_origin": "Origine de la durée de vie", "power_w": "Puissance moyenne (W)",
    "rated_power_w": "Puissance nominale (W)", "hours_per_day": "Heures d'usage par jour",
    "days_per_year": "Jours d'usage par an", "yearly_kwh": "Consommation (kWh/an)",
    "yearly_kwh_origin": "Origine de la consommation", "reconditioned": "Reconditionné",
    "quality": "Qualité de la donnée", "comment": "Commentaire", "item_type": "Type d'équipement (export)",
    "status": "Statut", "screen_size_in": "Taille d'écran (pouces)", "serial": "Numéro de série",
    "asset_tag": "Numéro d'inventaire", "model": "Modèle",
    # excluded lines of the inventory
    "excluded_lines.line": "Ligne du fichier", "excluded_lines.reason": "Motif",
    "excluded_lines.column": "Colonne qui a décidé (telle qu'écrite)", "excluded_lines.value": "Valeur qui a décidé",
    "excluded_lines.detail": "Détail",
    # hosting, telecom, purchases, printing
    "kind": "Type", "pue": "PUE (énergie totale ÷ énergie informatique)",
    "it_kwh_per_year": "Énergie informatique mesurée (kWh/an)", "electricity_item": "Électricité utilisée",
    "floor_area_m2": "Surface (m²)", "cloud_spend_eur": "Dépense de cloud (€ HT/an)",
    "fixed_data_gb_per_year": "Données sur le réseau fixe (Go/an)",
    "mobile_data_gb_per_year": "Données sur le réseau mobile (Go/an)", "fixed_lines": "Lignes fixes",
    "mobile_lines": "Lignes mobiles", "amount_eur": "Montant (€ HT)", "year": "Année",
    "in_reference_year": "Compté (année de référence)", "reams_per_year": "Ramettes par an",
    "pages_per_year": "Pages par an", "reams": "Ramettes (équivalent, par an)",
    # the territory's actors and its stakeholders (issue 35)
    "commune": "Commune", "date": "Date", "employees": "Salariés", "employees_band": "Tranche d'effectif salarié",
    "establishments": "Établissements", "fixed_accesses": "Accès fixes", "ftth_premises": "Locaux raccordables à la fibre",
    "group": "Groupe de parties prenantes", "households": "Ménages", "it_power_kw": "Puissance informatique (kW)",
    "operator": "Opérateur", "premises": "Locaux", "pupils": "Élèves", "school_id": "Établissement scolaire",
    "school_year": "Année scolaire", "sector": "Secteur d'activité", "sim_cards": "Cartes SIM",
    "thd_premises": "Locaux éligibles au très haut débit",
    # the follow-up of last year's study (issue 34)
    "actions_priorities.change": "Places gagnées avec les priorités", "actions_priorities.rank_with":
    "Rang dans le plan, avec les priorités", "actions_priorities.rank_without": "Rang dans le plan, sans les priorités",
    "actions_priorities.rank_all_with": "Rang au catalogue, avec les priorités",
    "actions_priorities.rank_all_without": "Rang au catalogue, sans les priorités",
    "actions_priorities.score_with": "Score avec les priorités", "actions_priorities.score_without":
    "Score sans les priorités", "actions_priorities.stakeholder_component": "Composante des parties prenantes (0 à 1)",
    "employees_low": "Salariés, borne basse", "employees_high": "Salariés, borne haute", "section": "Secteur (NAF)",
    "priorities.target_id": "Action ou axe visé", "priorities.target_kind": "Type de cible (action ou axe)",
    "territory_actors.actor": "Acteur", "territory_actors.driver_fr": "Donnée locale utilisée",
    "territory_actors.driver_value": "Valeur de la donnée locale", "territory_actors.intensity_kgco2e":
    "Empreinte par unité de la donnée (kgCO2e)", "territory_actors.value_tco2e": "Empreinte (tCO2e/an)",
    "territory_actors.low_tco2e": "Empreinte, borne basse (tCO2e/an)", "territory_actors.high_tco2e":
    "Empreinte, borne haute (tCO2e/an)", "territory_sectors.value_tco2e": "Empreinte (tCO2e/an)",
    "territory_sectors.low_tco2e": "Empreinte, borne basse (tCO2e/an)", "territory_sectors.high_tco2e":
    "Empreinte, borne haute (tCO2e/an)", "follow_up_actions.title": "Intitulé",
    "follow_up_indicators.baseline": "Référence de l'étude précédente",
    "measured_value": "Valeur mesurée par la collectivité", "status_year": "Année du statut",
    "status_fr": "Statut", "declared": "Statut renseigné", "expected_reduction_tco2e_per_year":
    "Gain attendu l'an dernier (tCO2e/an)", "indicator_unit": "Unité de l'indicateur",
    "indicator_previous": "Indicateur, l'an dernier", "indicator_current": "Indicateur, cette année",
    "indicator_target": "Indicateur, cible", "indicator_on_track": "Indicateur sur la trajectoire",
    "previous": "Valeur l'an dernier", "current": "Valeur cette année", "on_track": "Sur la trajectoire",
    "follow_up_change.part": "Part de l'évolution",
    # the plan's model over time (issue 29)
    "electricity_factor_index": "Indice du facteur électricité", "manufacturing_factor_index":
    "Indice des facteurs de fabrication", "plan_factor_adjustment_tco2e": "Effet des facteurs sur le plan (tCO2e)",
    "bau_factor_adjustment_tco2e": "Effet des facteurs sur le fil de l'eau (tCO2e)",
    # services
    "type": "Type de service", "annual_volume": "Volume annuel", "volume_unit": "Unité du volume",
    "page_weight_mb": "Poids d'une page (Mo)", "pages_per_visit": "Pages par visite",
    "requests_per_visit": "Requêtes par visite", "minutes_per_visit": "Minutes par visite",
    "loaded_share": "Part des pages chargées", "mobile_share": "Part des usages sur mobile",
    "tablet_share": "Part des usages sur tablette", "mobile_network_share": "Part des données sur réseau mobile",
    "computer_device": "Ordinateur des usagers", "video_quality": "Qualité vidéo", "audio_share": "Part en audio seul",
    "participants": "Participants par réunion", "recipients": "Destinataires par courriel",
    "message_mb": "Taille d'un courriel (Mo)", "retention_years": "Durée de conservation (ans)",
    "replicas": "Copies de sauvegarde", "gb_per_unit": "Données par unité (Go)", "hosting": "Hébergement",
    "device_wh_per_minute": "Consommation du terminal (Wh/minute)", "dc_kwh_per_year": "Énergie du centre de données (kWh/an)",
    "ecoindex_grade": "Note EcoIndex déclarée", "audience": "Usagers", "functional_unit": "Unité fonctionnelle",
    "units_per_year": "Unités fonctionnelles par an", "gco2e_per_unit": "Empreinte par unité (gCO2e)",
    "gco2e_low": "Empreinte par unité, borne basse (gCO2e)", "gco2e_high": "Empreinte par unité, borne haute (gCO2e)",
    "terminals_g": "Terminaux (gCO2e par unité)", "network_g": "Réseaux (gCO2e par unité)",
    "datacentre_g": "Centres de données (gCO2e par unité)", "terminals_share": "Part des terminaux",
    "network_share": "Part des réseaux", "datacentre_share": "Part des centres de données",
    "annual_tco2e": "Empreinte annuelle (tCO2e/an)", "annual_tco2e_low": "Empreinte annuelle, borne basse (tCO2e/an)",
    "annual_tco2e_high": "Empreinte annuelle, borne haute (tCO2e/an)", "missing_items": "Facteurs manquants",
    "complete": "Indicateur complet", "per_unit": "Par unité fonctionnelle", "per_unit_low": "Par unité, borne basse",
    "per_unit_high": "Par unité, borne haute", "per_year": "Par an", "per_year_low": "Par an, borne basse",
    "per_year_high": "Par an, borne haute", "reference": "Référence publiée", "ademe_g": "Valeur ADEME (gCO2e)",
    "model_ademe_vintage_g": "Ce modèle, hypothèses de l'ADEME (gCO2e)", "difference_pct": "Écart (%)",
    "model_library_g": "Ce modèle, facteurs de ce diagnostic (gCO2e)",
    "library_difference_pct": "Écart avec les facteurs de ce diagnostic (%)", "scenario": "Scénario",
    "baseline_tco2e": "Référence (tCO2e/an)", "scenario_tco2e": "Avec le scénario (tCO2e/an)",
    "change_tco2e": "Variation (tCO2e/an)", "change_pct": "Variation (%)", "parameter": "Paramètre",
    "low_bound": "Borne basse (facteur multiplicatif)", "high_bound": "Borne haute (facteur multiplicatif)",
    "base_g": "Valeur centrale (gCO2e par unité)", "g_at_low": "Paramètre à sa borne basse (gCO2e par unité)",
    "g_at_high": "Paramètre à sa borne haute (gCO2e par unité)", "swing_g": "Écart entre les deux (gCO2e par unité)",
    "s1": "Indice de Sobol du premier ordre", "st": "Indice de Sobol total",
    "data_mb_per_unit": "Données par visite (Mo)", "bottom_up_g": "Modèle ascendant de ce diagnostic (gCO2e)",
    "swd_fr_g": "Modèle SWD, électricité française (gCO2e)", "swd_global_g": "Modèle SWD, électricité mondiale (gCO2e)",
    "swd_fr_operational_g": "Modèle SWD, part exploitation (gCO2e)", "swd_embodied_g": "Modèle SWD, part fabrication (gCO2e)",
    "difference_global_pct": "Écart avec le modèle SWD mondial (%)", "swd_rating_per_page": "Note SWD par page",
    # RGESN
    "criterion": "Indicateur environnemental", "rgesn.criterion": "Critère du RGESN", "answer": "Réponse",
    "justification": "Justification", "family": "Famille de critères", "priority": "Priorité",
    "difficulty": "Difficulté", "rgesn_answers.criterion": "Critère du RGESN", "n_criteria": "Critères",
    "n_conforme": "Conformes", "n_non_conforme": "Non conformes", "n_non_applicable": "Non applicables",
    "n_non_evalue": "Non évalués", "answered_pct": "Critères évalués (%)",
    # maturity
    "level": "Niveau (0 à 4)", "not_applicable": "Non applicable", "evidence": "Éléments déclarés",
    "axis": "Axe", "pillar": "Pilier", "weight": "Poids", "question_fr": "Question",
    "maturity_answers_clean.status": "Réponse", "n_questions": "Questions", "n_answered": "Questions notées",
    "n_not_applicable": "Questions non applicables", "n_not_answered": "Questions sans réponse",
    "points": "Points obtenus", "max_points": "Points possibles", "score_pct": "Score (%)",
    "completeness_pct": "Complétude (%)", "subject_pct": "Collectivité étudiée (%)",
    "n_peers": "Collectivités de comparaison", "peers_q1_pct": "Comparaison, premier quartile (%)",
    "peers_median_pct": "Comparaison, médiane (%)", "peers_q3_pct": "Comparaison, troisième quartile (%)",
    "best_peer": "Meilleure collectivité de comparaison", "best_peer_pct": "Meilleur score de comparaison (%)",
    "gap_to_best_pts": "Écart au meilleur (points)", "theme_max_points": "Points possibles du thème (hypothèse)",
    "theme_pct": "Score du thème (%)", "theme_points": "Points indicatifs du thème",
    # the carbon balance
    "phase": "Phase du cycle de vie", "scope": "Périmètre", "value": "Valeur centrale", "low": "Borne basse",
    "high": "Borne haute", "mean": "Moyenne des tirages",
    **{f"{t}.{c}": f"{w} (tCO2e/an)" for t in ("carbon_by_phase", "carbon_by_tier", "carbon_by_entity")
       for c, w in (("value", "Valeur centrale"), ("low", "Borne basse"), ("high", "Borne haute"),
                    ("mean", "Moyenne des tirages"))},
    "share": "Part du total", "carbon_by_phase.share": "Part des équipements, leur énergie, hébergement et réseaux",
    "tco2e": "Émissions (tCO2e/an)", "embodied_tco2e": "Fabrication, transport et fin de vie (tCO2e/an)",
    "use_tco2e": "Utilisation (tCO2e/an)", "spend_based_tco2e": "Achats par ratio monétaire (tCO2e/an)",
    "total_tco2e": "Total (tCO2e/an)", "unit": "Unité", "n_missing": "Facteurs manquants (nombre)",
    "distribution": "Distribution", "manufacturing": "Fabrication", "use": "Utilisation", "end_of_life": "Fin de vie",
    "carbon_criteria_phase_shares.distribution": "Distribution (transport)",
    "climate_change_kgco2e": "Changement climatique (kgCO2e/an)",
    "adp_minerals_kgsbeq": "Épuisement des minéraux et métaux (kg Sb éq./an)",
    "adp_fossil_mj": "Épuisement des ressources fossiles (MJ/an)",
    "ionising_radiation_kbq_u235eq": "Rayonnements ionisants (kBq U235 éq./an)",
    "particulate_matter_disease_incidence": "Particules fines (incidence de maladies/an)",
    "acidification_mol_hpluseq": "Acidification (mol H+ éq./an)", "water_m3": "Consommation d'eau (m³/an)",
    "final_energy_kwh": "Énergie finale (kWh/an)", "source": "Source", "indicator": "Indicateur",
    "central": "Valeur centrale", "p2_5": "Centile 2,5", "p5": "Centile 5", "p50": "Médiane", "p95": "Centile 95",
    "p97_5": "Centile 97,5", "item": "Poste", "activity_rows": "Lignes concernées",
    "carbon_missing_factors.climate_change_kgco2e": "Changement climatique des lignes concernées (kgCO2e/an)",
    "factor_id": "Facteur", "old_value": "Valeur de la bibliothèque", "new_value": "Valeur retenue",
    "old_low": "Borne basse de la bibliothèque", "old_high": "Borne haute de la bibliothèque",
    "new_low": "Borne basse retenue", "new_high": "Borne haute retenue", "reason": "Raison", "origin": "Origine",
    "annualised_embodied_tco2e": "Fabrication amortie sur la durée de vie (tCO2e/an)",
    "purchases_embodied_tco2e": "Fabrication des achats de l'année (tCO2e)", "difference_tco2e": "Écart (tCO2e)",
    "fleet_quantity": "Parc (unités)", "bought_in_year": "Achetés dans l'année (unités)",
    "mean_yearly_renewal": "Renouvellement moyen (unités/an)", "explanation": "Explication", "step": "Étape",
    "input_id": "Entrée", "central_input": "Valeur centrale de l'entrée", "low_total": "Bilan, entrée basse (tCO2e/an)",
    "high_total": "Bilan, entrée haute (tCO2e/an)", "rank_correlation": "Corrélation de rang",
    "contribution_to_variance": "Part de la variance du bilan", "swing": "Écart entre les deux (tCO2e/an)",
    "members": "Facteurs du groupe", "dated_quantity": "Dont datés (unités)", "mean_age_years": "Âge moyen (ans)",
    "mean_lifetime_years": "Durée de vie moyenne (ans)", "share_past_lifetime": "Part au-delà de la durée de vie",
    "non daté": "Non datés", "fleet_ratios.value": "Valeur",
    # import report
    "import_report.item": "Élément", "import_report.key": "Colonne du modèle ou motif",
    "import_report.value": "Valeur (nombre, ou en-tête tel qu'écrit dans le fichier)",
    "import_report.detail": "Détail", "key": "Clé", "detail": "Détail",
    # actions: input and plan
    "selected": "Retenue", "start_year": "Année de début", "param_value": "Paramètre du levier",
    "target": "Cible du levier", "cost_investment_eur": "Investissement (€ HT)", "cost_yearly_eur": "Coût annuel (€ HT/an)",
    "time_to_implement_months": "Durée de mise en place (mois)", "owner": "Porteur",
    "staff_days": "Temps d'agent, mise en place (jours)", "rank": "Rang dans le plan",
    "rank_all": "Rang parmi toutes les actions", "axes": "Axes de maturité", "lever": "Levier", "param": "Paramètre",
    "balance_tco2e": "Gain sur le bilan (tCO2e/an)", "balance_low_tco2e": "Gain sur le bilan, borne basse (tCO2e/an)",
    "balance_high_tco2e": "Gain sur le bilan, borne haute (tCO2e/an)",
    "services_tco2e": "Gain sur les services (tCO2e/an)",
    "services_low_tco2e": "Gain sur les services, borne basse (tCO2e/an)",
    "services_high_tco2e": "Gain sur les services, borne haute (tCO2e/an)", "actions_plan.total_tco2e": "Gain total (tCO2e/an)",
    "total_low_tco2e": "Gain total, borne basse (tCO2e/an)", "total_high_tco2e": "Gain total, borne haute (tCO2e/an)",
    "investment_eur": "Investissement (€ HT)", "action_lifetime_years": "Durée de l'action (ans)",
    "discount_rate": "Taux d'actualisation", "annuity_factor": "Facteur d'annuité",
    "annualised_investment_eur": "Investissement annualisé (€ HT/an)", "yearly_eur": "Coût annuel (€ HT/an)",
    "money_saved_eur_per_year": "Économies (€ HT/an)", "annualised_cost_eur": "Coût annualisé net (€ HT/an)",
    "cost_eur_per_tco2e": "Coût net par tonne réduite (€ HT/tCO2e)", "effort": "Effort (1 à 3)",
    "months": "Durée de mise en place (mois)", "maturity_gap": "Écart de maturité des axes (0 à 1)",
    "gain_component": "Note de gain (0 à 1)", "cost_component": "Note de coût (0 à 1)",
    "effort_component": "Note de facilité (0 à 1)", "maturity_component": "Note de maturité (0 à 1)",
    "score": "Score de priorité (0 à 1)", "gain_status": "Gain", "basis": "Base du gain", "decision": "Décision",
    "applicable": "S'applique au territoire", "applicability_note": "Pourquoi sans objet",
    "staff_days_per_year": "Temps d'agent récurrent (jours/an)", "targets": "Équipements ou services visés",
    "end_year": "Année de fin de la mise en place",
    "actions_criteria.baseline": "Bilan de référence", "actions_criteria.balance": "Gain sur le bilan",
    "actions_criteria.services": "Gain sur les services", "actions_criteria.value": "Gain total",
    "actions_criteria.low": "Gain total, borne basse", "actions_criteria.high": "Gain total, borne haute",
    "actions_plan_criteria.baseline": "Bilan de référence", "services_baseline": "Services, référence",
    "actions_plan_criteria.balance": "Gain du plan sur le bilan",
    "actions_plan_criteria.services": "Gain du plan sur les services", "actions_plan_criteria.value": "Gain total du plan",
    "actions_plan_criteria.low": "Gain total, borne basse", "actions_plan_criteria.high": "Gain total, borne haute",
    "indicator_fr": "Indicateur", "actions_indicators.baseline": "Valeur de référence",
    "target_milestone": "Cible au jalon", "target_full": "Cible à mise en œuvre complète", "target_text_fr": "Cible (texte)",
    # budget by year
    "operating_eur": "Fonctionnement (€ HT)", "savings_eur": "Économies (€ HT)", "net_eur": "Net (€ HT)",
    "net_cumulated_eur": "Net cumulé (€ HT)", "investment_ttc_eur": "Investissement (€ TTC)",
    "operating_ttc_eur": "Fonctionnement (€ TTC)", "savings_ttc_eur": "Économies (€ TTC)", "net_ttc_eur": "Net (€ TTC)",
    "actions_budget_by_year.staff_days": "Temps d'agent (jours)", "fte": "Temps d'agent (ETP)",
    # unit prices
    "value_eur": "Prix (€ HT)", "vintage": "Millésime",
    # trajectory and carbon budget
    "bau_tco2e": "Fil de l'eau (tCO2e/an)", "plan_tco2e": "Avec le plan (tCO2e/an)",
    "target_tco2e": "Trajectoire cible (tCO2e/an)", "plan_low_tco2e": "Avec le plan, borne basse (tCO2e/an)",
    "plan_high_tco2e": "Avec le plan, borne haute (tCO2e/an)", "bau_low_tco2e": "Fil de l'eau, borne basse (tCO2e/an)",
    "bau_high_tco2e": "Fil de l'eau, borne haute (tCO2e/an)", "bau_cumulative_tco2e": "Fil de l'eau, cumul (tCO2e)",
    "plan_cumulative_tco2e": "Avec le plan, cumul (tCO2e)", "target_cumulative_tco2e": "Trajectoire cible, cumul (tCO2e)",
    "plan_gain_share": "Montée en charge du plan", "plan_growth_index": "Indice de croissance avec le plan",
    "bau_growth_index": "Indice de croissance au fil de l'eau", "plan_decided": "Plan décidé",
    "cumulative_tco2e": "Émissions cumulées (tCO2e)", "budget_tco2e": "Budget carbone (tCO2e)",
    "overshoot_tco2e": "Dépassement (+) ou marge (−) du budget (tCO2e)", "overshoot_pct": "Dépassement du budget (%)",
    "budget_exhausted_year": "Année où le budget est épuisé", "cumulative_low_tco2e": "Émissions cumulées, borne basse (tCO2e)",
    "cumulative_high_tco2e": "Émissions cumulées, borne haute (tCO2e)",
    # factors
    "activity_unit": "Unité d'activité", "note": "Note", "correlation_group": "Groupe de facteurs corrélés",
}

#: columns holding a share of a whole (0 to 1): shown in percentage format (``48,2 %``)
SHARE_COLUMNS: frozenset[str] = frozenset({
    "share", "share_past_lifetime", "terminals_share", "network_share", "datacentre_share", "loaded_share",
    "mobile_share", "tablet_share", "mobile_network_share", "audio_share", "contribution_to_variance",
    "plan_gain_share", "discount_rate", "carbon_criteria_phase_shares.manufacturing",
    "carbon_criteria_phase_shares.distribution", "carbon_criteria_phase_shares.use",
    "carbon_criteria_phase_shares.end_of_life",
})

#: code columns dropped when the same table gives their French label beside them (``label_fr``)
CODES_WITH_LABELS: frozenset[str] = frozenset({"category", "phase", "tier", "criterion", "indicator", "input_id",
                                               "scenario", "parameter"})

# ----------------------------------------------------------------------------------------------------------------
# French values
# ----------------------------------------------------------------------------------------------------------------

QUALITY_FR = {"high": "bonne", "medium": "moyenne", "low": "faible"}
SCOPE_FR = {"equipment": "équipements, leur énergie, hébergement et réseaux", "paper": "papier",
            "spend_based": "achats par ratio monétaire", "physical": "périmètre physique", "total": "total"}
#: identifiers that look like numbers (RGESN criteria "1.10" ≠ "1.1"): read as text for the workbook
TEXT_COLUMNS: dict[str, tuple[str, ...]] = {"rgesn": ("criterion",), "rgesn_answers": ("number",),
                                           "rgesn_scores": (), "maturity_answers": ("question_id",)}
DECISION_FR = {"adopted": "adoptée", "proposed": "proposée", "complementary": "complémentaire proposée",
               "rejected": "écartée", "not_applicable": "sans objet"}
KIND_FR = {"reduction": "réduction", "avoided": "émissions évitées", "factor": "facteur",
           "factor_group": "groupe de facteurs corrélés", "lifetime": "durée de vie", "quantity": "quantité",
           "pue": "PUE", "site_energy": "énergie mesurée d'un site"}
STATUS_FR = {"sourced": "sourcé", "assumption": "hypothèse", "answered": "répondue", "not_answered": "sans réponse",
             "not_applicable": "non applicable", "published": "publié"}
SCENARIO_FR = {"bau": "Fil de l'eau (sans plan)", "plan": "Plan d'actions", "target": "Trajectoire cible"}
BASIS_FR = {"reference": "par rapport à l'année de référence", "bau_milestone": "par rapport au fil de l'eau au jalon",
            "local": "données locales", "national_ratio": "ratio national"}
ORIGIN_FR = {"catalogue": "catalogue de l'outil", "reference": "bibliothèque de référence",
             "collectivity": "prix de la collectivité", "territory": "territoire"}
LINE_SOURCE_FR = {"fleet": "parc", "hosting": "hébergement", "printing": "impressions", "purchases": "achats",
                  "telecom": "télécoms", "inventory": "inventaire", "paper": "papier", "services": "services"}
VALUE_ORIGIN_FR = {"category_default": "valeur de la catégorie", "given": "donnée du fichier",
                   "power_x_hours": "puissance × heures d'usage", "measured": "mesurée"}
VOLUME_UNIT_FR = {"visits": "visites", "transactions": "démarches", "participant_hours": "heures par participant",
                  "hours": "heures", "messages": "courriels", "tb_years": "To stockés pendant un an",
                  "gb_years": "Go stockés pendant un an", "units": "unités"}
VIDEO_FR = {"audio": "audio seul", "sd": "définition standard (SD)", "hd": "haute définition (HD)", "4k": "4K"}
AUDIENCE_FR = {"citizens": "habitants", "agents": "agents"}
DEVICE_FR = {"mix": "moitié portables, moitié fixes"}
DISTRIBUTION_FR = {"lognormal": "log-normale", "triangular": "triangulaire", "normal": "normale",
                   "uniform": "uniforme", "none": "aucune (valeur fixe)"}
IMPORT_ITEM_FR = {"rows_read": "lignes lues", "rows_kept": "lignes conservées", "excluded": "lignes exclues",
                  "column": "colonne reconnue", "ignored": "colonne ignorée", "default": "valeur par défaut appliquée",
                  "refined": "lignes interprétées", "warning": "avertissement", "header_only": "en-tête seul"}
ROLE_FR = {"entité": "entité du périmètre", "comparaison": "collectivité de comparaison"}
KIND_OF_TERRITORY_FR = {"commune": "commune", "communaute_communes": "communauté de communes",
                        "communaute_agglomeration": "communauté d'agglomération",
                        "communaute_urbaine": "communauté urbaine", "metropole": "métropole",
                        "departement": "département", "region": "région", "syndicat": "syndicat", "other": "autre",
                        "ecoles": "écoles", "ccas": "CCAS"}
UNIT_FR = {"EUR excl. VAT per new unit": "€ HT par unité neuve", "EUR excl. VAT per kWh": "€ HT par kWh",
           "EUR excl. VAT per ream (A4 80 g, 500 sheets)": "€ HT par ramette (A4, 80 g, 500 feuilles)",
           "fraction of the new unit price (not EUR)": "part du prix neuf (pas en €)",
           "disease incidence": "incidence de maladies", "mol H+eq": "mol H+ éq.", "kBq U235eq": "kBq U235 éq.",
           "kgSbeq": "kg Sb éq.", "m3": "m³", "unit": "unité", "units": "unités", "years": "ans", "year": "an",
           "part": "part", "ratio": "rapport"}
#: the processed tables' line ids: prefixes and words of the generated ones ("hosting:sr-mairie:building")
LINE_ID_WORDS = {"hosting": "hébergement", "telecom": "télécoms", "printing": "impressions", "purchases": "achats",
                 "inventory": "inventaire", "building": "bâtiment", "fixed": "fixe", "mobile": "mobile",
                 "cloud": "cloud", "it": "informatique", "energy": "énergie"}
#: the indicators of the Monte Carlo quantiles table
QUANTILE_INDICATOR_FR = {"total": "Total", "physical": "Périmètre physique", "equipment": "Équipements",
                         "spend_based": "Achats par ratio monétaire", "per_agent": "Par agent",
                         "per_inhabitant": "Par habitant", "per_workstation": "Par poste de travail",
                         "purchases_view": "Vue « achats de l'année »"}
TRUE_VALUES = {True, "True", "true"}
FALSE_VALUES = {False, "False", "false"}


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict]:
    """French labels read from the reference library and the model's vocabulary (once per process)."""
    from helpers.io.carbon_inputs import PURCHASE_CATEGORIES
    from helpers.io.catalogue import axis_labels
    from helpers.io.factors import load_categories, load_hosting_kinds
    from helpers.report.carbon_labels import (
        CRITERIA_LABELS,
        GROUP_LABELS,
        PHASE_LABELS,
        PSEUDO_CATEGORY_LABELS,
        TIER_LABELS,
    )
    from helpers.report.levers import LEVER_LABELS_FR
    from helpers.report.maturity import PILLARS_FR
    from helpers.report.services import ANSWER_LABELS_FR, TYPE_LABELS_FR

    cats = load_categories()
    category = dict(zip(cats["category"], cats["label_fr"]))
    category.update(PSEUDO_CATEGORY_LABELS)
    items = dict(zip(cats["factor_item"], cats["label_fr"])) | category
    items.update({"electricity_fr": "Électricité (France)", "electricity_eu": "Électricité (Europe)",
                  "electricity_world": "Électricité (monde)", "electricity": "Électricité",
                  "paper_a4_ream": "Papier A4 (ramette)", "paper_a4_page": "Papier A4 (page)",
                  "paper_ream": "Papier A4 (ramette)", "network_fixed_fr": "Réseau fixe (par Go, France)",
                  "network_fixed_eu": "Réseau fixe (par Go, Europe)", "network_mobile_fr": "Réseau mobile (par Go, France)",
                  "network_mobile_eu": "Réseau mobile (par Go, Europe)",
                  "network_fixed_fr_nobox": "Réseau fixe sans box (par Go, France)",
                  "network_fixed_subscription": "Réseau fixe (par abonnement)",
                  "reconditioned_discount": "Décote du reconditionné", "mix": DEVICE_FR["mix"]})
    purchase = {code: label for code, (_item, _tier, label) in PURCHASE_CATEGORIES.items()}
    items.update({item: label for _code, (item, _tier, label) in PURCHASE_CATEGORIES.items()})
    kinds = load_hosting_kinds()
    hosting = dict(zip(kinds["kind"], kinds["label_fr"]))
    phase = dict(PHASE_LABELS) | {"paper": "Papier", "spend_based": "Achats (ratio monétaire)"}
    tier = dict(TIER_LABELS) | {"spend_based": "Achats (ratio monétaire)", "network": "Réseaux",
                                "datacentre": "Centres de données"}
    axes = dict(axis_labels()) | {"global": "Ensemble du questionnaire"}
    return {"category": category, "item": items, "purchase": purchase, "hosting": hosting, "phase": phase,
            "tier": tier, "criterion": dict(CRITERIA_LABELS), "axis": axes, "pillar": dict(PILLARS_FR),
            "lever": dict(LEVER_LABELS_FR) | {"none": "aucun (accompagnement)"},
            "rgesn": dict(ANSWER_LABELS_FR), "service_type": dict(TYPE_LABELS_FR), "group": dict(GROUP_LABELS)}


def factor_label(factor_id) -> str:
    """A factor id of the library in French: ``laptop:manufacturing:climate_change`` → ``Ordinateur portable —
    fabrication (changement climatique)``; ``group:x`` → the group's label; anything else unchanged."""
    text = str(factor_id)
    lab = _labels()
    if text.startswith("group:"):
        return lab["group"].get(text[6:], "Groupe de facteurs corrélés")
    kind, _, rest = text.partition(":")
    if kind == "lifetime" and rest:
        return f"Durée de vie : {lab['item'].get(rest, rest)}"
    if kind == "pue" and rest:
        return f"PUE : {lab['hosting'].get(rest, rest)}"
    if kind == "quantity" and rest:
        quality, _, what = rest.partition(":")
        return f"Quantité (qualité {QUALITY_FR.get(quality, quality)}) : {lab['item'].get(what, what)}"
    parts = text.split(":")
    if len(parts) == 3:
        item, phase, criterion = parts
        return (f"{lab['item'].get(item, item)} — {lab['phase'].get(phase, phase).lower()} "
                f"({lab['criterion'].get(criterion, criterion).lower()})")
    return text


def factor_unit(unit) -> str:
    """A factor's unit in French: ``kgCO2e/unit`` → ``kgCO2e/unité``, ``disease incidence/kWh`` → ``incidence de
    maladies/kWh``."""
    from helpers.report.sections import fr_unit

    text = str(unit)
    for en, fr in UNIT_FR.items():
        if " " in en or en.endswith("eq"):
            text = text.replace(en, fr)
    return fr_unit(text)


def _map_list(value, mapping: dict, sep: str = ";", join: str = ", ") -> str:
    return join.join(mapping.get(v.strip(), v.strip()) for v in str(value).split(sep) if v.strip())


def _line_id(value) -> str:
    """A generated line id in French (``hosting:sr-mairie:building`` → ``hébergement:sr-mairie:bâtiment``); an id the
    collectivity wrote (no colon) is kept."""
    text = str(value)
    if ":" not in text:
        return text
    return ":".join(LINE_ID_WORDS.get(part, part) for part in text.split(":"))


def _missing_items(value) -> str:
    """``server:distribution, network_fixed_fr`` → ``Serveur (distribution), Réseau fixe (par Go, France)``."""
    lab = _labels()
    out = []
    for x in str(value).split(", "):
        item, _, phase = x.strip().partition(":")
        if item:
            out.append(lab["item"].get(item, item) + (f" ({lab['phase'].get(phase, phase).lower()})" if phase else ""))
    return ", ".join(out)


def _quantile_indicator(value) -> str:
    text = str(value)
    lab = _labels()
    kind, _, key = text.partition(":")
    if not key:
        return QUANTILE_INDICATOR_FR.get(text, text)
    table = {"phase": ("Phase", lab["phase"]), "tier": ("Niveau", lab["tier"]),
             "criterion": ("Indicateur", lab["criterion"]), "entity": ("Entité", {})}.get(kind)
    return f"{table[0]} : {table[1].get(key, key)}" if table else text


#: columns of a table written as they are (a citation, a file, the collectivity's text, a criterion number), not
#: mapped to French by :func:`_value_maps`
_KEPT_AS_IS = {
    "import_report": ("source",), "carbon_overrides": ("source", "kind"), "unit_prices_used": ("source", "kind"),
    "inventory": ("source", "kind"), "excluded_lines": ("source", "kind", "column", "value", "reason", "detail"),
    "facteurs": ("source",), "factors": ("source",), "services": ("source",), "services_lca": ("source",),
    # a criterion number of the RGESN, not an environmental indicator
    "rgesn": ("criterion",), "rgesn_answers": ("criterion",),
}


def _value_maps(stem: str) -> dict:
    """Column -> function or mapping turning the codes of table ``stem`` into French."""
    lab = _labels()
    maps: dict = {
        "quality": QUALITY_FR, "phase": lab["phase"], "tier": lab["tier"], "criterion": lab["criterion"],
        "axis": lab["axis"], "pillar": lab["pillar"], "lever": lab["lever"], "decision": DECISION_FR,
        "basis": BASIS_FR, "scenario": SCENARIO_FR, "kind": KIND_FR, "status": STATUS_FR,
        "category": lab["category"], "factor_item": lab["item"],
        "computer_device": lab["item"], "item": lab["item"], "electricity_item": lab["item"],
        "hosting": lab["hosting"], "type": lab["service_type"], "volume_unit": VOLUME_UNIT_FR,
        "video_quality": VIDEO_FR, "audience": AUDIENCE_FR, "lifetime_origin": VALUE_ORIGIN_FR,
        "yearly_kwh_origin": VALUE_ORIGIN_FR, "distribution": DISTRIBUTION_FR, "unit": UNIT_FR,
        "activity_unit": UNIT_FR, "origin": ORIGIN_FR, "answer": lab["rgesn"], "source": LINE_SOURCE_FR,
        "role": ROLE_FR, "correlation_group": lab["group"], "scope": SCOPE_FR,
        "axes": lambda v: _map_list(v, lab["axis"]), "targets": lambda v: _map_list(v, lab["item"]),
        "target": lambda v: _map_list(v, lab["item"]),
        "members": lambda v: "; ".join(factor_label(x) for x in str(v).split("; ") if x),
        "factor_id": factor_label, "input_id": factor_label, "line_id": _line_id, "missing_items": _missing_items,
    }
    maps.update(_table_maps(stem, lab))
    for col in _KEPT_AS_IS.get(stem, ()):
        maps.pop(col, None)
    return maps


def _table_maps(stem: str, lab: dict) -> dict:
    """The maps of table ``stem`` that differ from the common ones (a column whose codes mean another thing there)."""
    if stem in ("territory_actors", "territory_sectors"):  # the territory's actors (issue 35), by their French name
        from helpers.report.territory_labels import ACTOR_LABELS_FR

        return {"actor": ACTOR_LABELS_FR, "group": ACTOR_LABELS_FR}
    if stem == "import_report":
        from helpers.io.inventory import REASON_FR

        return {"item": IMPORT_ITEM_FR, "key": lambda v: COLUMN_LABELS.get(str(v), REASON_FR.get(str(v), str(v))),
                "detail": lambda v: {"exact": "nom exact"}.get(str(v), str(v))}
    if stem in ("facteurs", "factors"):
        return {"unit": factor_unit, "vintage": lambda v: re.sub(r"(?i)\bassumption\b", "hypothèse", str(v))}
    if stem == "unit_prices_used":
        return {"item": lab["item"],
                "vintage": lambda v: str(v).replace("undated (study assumption)", "non daté (hypothèse de l'étude)")}
    return {"hosting": {"kind": lab["hosting"]}, "purchases": {"category": lab["purchase"]},
            "carbon_missing_factors": {"item": lab["item"]}, "carbon_mc_quantiles": {"indicator": _quantile_indicator},
            "entites": {"kind": KIND_OF_TERRITORY_FR}}.get(stem, {})


def label(stem: str, column) -> str:
    """The French label of ``column`` in table ``stem`` (:data:`COLUMN_LABELS`, table-qualified first)."""
    from helpers.report.sections import french_header

    name = str(column)
    return COLUMN_LABELS.get(f"{stem}.{name}", COLUMN_LABELS.get(name, french_header(name)))


def _is_bool(series: pd.Series) -> bool:
    values = set(series.dropna().unique())
    return bool(values) and values <= (TRUE_VALUES | FALSE_VALUES)


def french_values(stem: str, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` (a processed table named ``stem``) with French values: booleans ``oui`` / ``non``, codes in French
    (:func:`_value_maps`), and a code column dropped when a ``label_fr`` column gives its label. Numbers and the
    collectivity's own texts are left as they are."""
    out = df.copy()
    if "label_fr" in out.columns:
        out = out.drop(columns=[c for c in out.columns if c in CODES_WITH_LABELS])
    maps = _value_maps(stem)
    for col in out.columns:
        series = out[col]
        text = not pd.api.types.is_numeric_dtype(series) or series.dtype == bool
        if series.dtype == bool or (text and _is_bool(series)):
            out[col] = series.map(lambda v: "oui" if v in TRUE_VALUES else "non" if v in FALSE_VALUES else v)
            continue
        how = maps.get(str(col))
        if how is None or not text:
            continue
        if callable(how):
            out[col] = series.map(lambda v, f=how: v if not isinstance(v, str) or v == "" else f(v)).astype(object)
        else:
            out[col] = series.map(lambda v, m=how: m.get(v, v) if isinstance(v, str) else v).astype(object)
    return out


def frenchify(stem: str, df: pd.DataFrame) -> tuple[pd.DataFrame, set[str]]:
    """The sheet of table ``stem``: French values (:func:`french_values`) and French column labels
    (:func:`label`); returns it with the labels of its share columns (percentage format)."""
    values = french_values(stem, df)
    shares = {label(stem, c) for c in values.columns if f"{stem}.{c}" in SHARE_COLUMNS or str(c) in SHARE_COLUMNS
              or (stem == "actions_roadmap" and str(c).isdigit())}  # the ramp of each year, 0 to 1
    renamed = values.rename(columns={c: label(stem, c) for c in values.columns})
    return renamed, shares


# ----------------------------------------------------------------------------------------------------------------
# What each sheet holds and which part of the diagnostic it feeds (the Lisez-moi sheet)
# ----------------------------------------------------------------------------------------------------------------

#: table stem -> (one sentence: what the sheet holds, the part of the diagnostic it feeds)
SHEETS: dict[str, tuple[str, str]] = {
    "inventaire": ("Le parc déclaré après validation, une ligne par groupe d'équipements identiques, avec les valeurs "
                   "par défaut appliquées et leur origine.", "Partie 2 (parc d'équipements) et partie 3 (bilan)"),
    "excluded_lines": ("Chaque ligne d'inventaire écartée ou fusionnée (doublon) : fichier, ligne, motif, colonne et "
                       "valeur qui ont décidé.", "Annexes, rapport d'import"),
    "import_report": ("Pour chaque fichier d'entrée : lignes lues, conservées et exclues, colonnes reconnues et valeurs "
                      "par défaut appliquées.", "Partie 2 et annexes, rapport d'import"),
    "hosting": ("Les sites d'hébergement déclarés (salles, centres de données, cloud), tels que validés.",
                "Partie 3 (centres de données)"),
    "telecom": ("Les lignes et volumes de télécommunication déclarés, tels que validés.", "Partie 3 (réseaux)"),
    "purchases": ("Les achats de services et logiciels déclarés, l'année de référence marquée.",
                  "Partie 3 (achats par ratio monétaire)"),
    "printing": ("Les impressions déclarées (ramettes et pages), telles que validées.", "Partie 3 (papier)"),
    "services": ("Les services numériques déclarés et leurs caractéristiques, telles que validées.",
                 "Partie 3 (services numériques clés)"),
    "rgesn": ("L'auto-évaluation RGESN déclarée, critère par critère.", "Annexes, auto-évaluation RGESN"),
    "maturity_answers": ("Les réponses au questionnaire de maturité, telles que déclarées.", "Partie 4"),
    "actions": ("Les choix de la collectivité sur les actions (retenue, année de début, paramètres).",
                "Parties 5 et 6 (plan adopté)"),
    "factor_overrides": ("Les facteurs que la collectivité remplace, tels que déclarés.", "Partie 8 et annexes"),
    "unit_prices": ("Les prix unitaires de la collectivité, tels que déclarés.", "Partie 6 (budget)"),
    "carbon_lines": ("Chaque ligne du bilan carbone annualisé, phase par phase, sur les huit indicateurs "
                     "environnementaux.", "Partie 3 et annexes"),
    "carbon_by_category": ("Le bilan par catégorie d'équipement ou de dépense, fabrication et utilisation séparées.",
                           "Annexes, répartition par catégorie"),
    "carbon_by_entity": ("Le bilan de chaque entité du périmètre, avec sa fourchette probable.",
                         "Annexes, répartition par entité"),
    "carbon_by_phase": ("Le bilan par phase du cycle de vie des équipements, leur énergie, l'hébergement et les réseaux "
                        "(la base de la part de fabrication du diagnostic), papier et achats par ratio monétaire en "
                        "lignes à part, sans part.", "Partie 3, répartition par phase"),
    "carbon_by_tier": ("Le bilan par niveau (terminaux, réseaux, centres de données, papier) et les achats en une "
                       "ligne.", "Partie 1 (synthèse) et annexes"),
    "carbon_criteria": ("Le total de chaque indicateur environnemental, avec sa fourchette probable et les facteurs "
                        "manquants.", "Annexes, vue multicritère"),
    "carbon_criteria_phase_shares": ("La part de chaque phase du cycle de vie dans chaque indicateur.",
                                     "Annexes, vue multicritère"),
    "carbon_mc_quantiles": ("Les centiles des tirages de Monte Carlo des principaux totaux.",
                            "Partie 3 (fourchettes probables)"),
    "carbon_missing_factors": ("Les facteurs manquants par indicateur, poste et phase (ces lignes ne sont pas "
                               "comptées).", "Annexes, vue multicritère"),
    "carbon_overrides": ("Les facteurs de la bibliothèque remplacés pour ce territoire, avant et après.",
                         "Partie 8 et annexes"),
    "carbon_purchases_view_lines": ("Les lignes de la vue « achats de l'année » (fabrication des achats sans "
                                    "amortissement).", "Annexes, réconciliation"),
    "carbon_reconciliation": ("L'écart entre le bilan annualisé et la vue « achats de l'année », catégorie par "
                              "catégorie, avec son explication.", "Annexes, réconciliation"),
    "carbon_reconciliation_bridge": ("Le passage du bilan annualisé à la vue « achats de l'année », en quelques "
                                     "étapes.", "Annexes, réconciliation"),
    "carbon_sensitivity": ("Les entrées classées par leur part de l'incertitude du bilan ; un groupe de facteurs "
                           "corrélés (un tirage commun) est une seule entrée, ses facteurs dans la dernière colonne.",
                           "Annexes, incertitude"),
    "fleet_age_profile": ("L'âge du parc par catégorie, par tranche d'âge.", "Partie 5 (fil de l'eau)"),
    "fleet_ratios": ("Les ratios du parc (écrans par poste, équipements par agent, âge).",
                     "Partie 7 (indicateurs)"),
    "services_lca": ("L'empreinte de chaque service par unité fonctionnelle et par an, par niveau.",
                     "Partie 3 (services) et annexes"),
    "services_criteria": ("Les impacts de chaque service sur chaque indicateur environnemental.",
                          "Annexes, services"),
    "services_references": ("Le modèle des services confronté aux valeurs publiées par l'ADEME.",
                             "Annexes, vérification"),
    "services_scenarios": ("L'effet de chaque scénario de réduction, service par service.", "Annexes, scénarios"),
    "services_sensitivity": ("La sensibilité de l'empreinte de chaque service à ses paramètres (indices de Sobol).",
                             "Annexes, sensibilité des services"),
    "services_swd": ("Les sites web selon ce diagnostic et selon le modèle Sustainable Web Design.",
                     "Annexes, sites web"),
    "rgesn_answers": ("Les réponses RGESN complétées du référentiel (famille, priorité, difficulté).",
                      "Annexes, auto-évaluation RGESN"),
    "rgesn_scores": ("Le taux de conformité RGESN de chaque service, par famille de critères.",
                     "Annexes, auto-évaluation RGESN"),
    "maturity_answers_clean": ("Chaque réponse au questionnaire de maturité avec sa question, son axe et son poids.",
                               "Partie 4"),
    "maturity_scores": ("Le score et la complétude de chaque collectivité, axe par axe.", "Partie 4"),
    "maturity_score_matrix": ("Les scores de toutes les collectivités ayant répondu, axe par axe (la carte).",
                              "Annexes, comparaison entre collectivités"),
    "maturity_benchmark": ("La collectivité étudiée face aux collectivités de comparaison, axe par axe.",
                           "Partie 4 et annexes"),
    "maturity_pillar_scores": ("Le score par pilier (humain, planète, prospérité).", "Partie 4"),
    "maturity_strengths": ("Les questions les mieux notées (mesures déjà menées).", "Partie 4, points forts"),
    "maturity_weaknesses": ("Les questions les moins bien notées.", "Partie 4, points faibles"),
    "maturity_label_nr": ("Les points indicatifs par thème du Label Numérique Responsable (hypothèses de "
                          "correspondance).", "Annexes, Label NR"),
    "maturity_weak_axis_actions": ("Les actions du catalogue qui répondent aux axes faibles.",
                                   "Partie 4, axes faibles"),
    "actions_plan": ("Chaque action du catalogue : décision, gain avec sa fourchette, coûts, coût par tonne, score "
                     "de priorité.", "Parties 1, 5 et 6"),
    "actions_criteria": ("Le gain de chaque action sur chaque indicateur environnemental.",
                         "Partie 6 (transferts de pollution)"),
    "actions_plan_criteria": ("Le gain du plan complet sur chaque indicateur environnemental.", "Partie 6"),
    "actions_indicators": ("Les indicateurs de suivi : valeur de référence, cible au jalon et à mise en œuvre "
                           "complète.", "Partie 7"),
    "actions_means": ("Les moyens de chaque action du plan : porteur, investissement, coût annuel, temps d'agent, "
                      "années de mise en place.", "Partie 6 et annexes"),
    "actions_roadmap": ("La montée en charge de chaque action, année par année (0 à 1).",
                        "Partie 6 (feuille de route)"),
    "actions_budget_by_year": ("Le budget du plan année par année, hors taxes et toutes taxes comprises, et le temps "
                               "d'agent.", "Partie 6 (budget)"),
    "unit_prices_used": ("Les prix unitaires qui chiffrent les économies, avec leur source et leur origine.",
                         "Partie 6 (budget)"),
    "trajectory": ("Les émissions année par année : fil de l'eau, avec le plan (et sa fourchette), trajectoire "
                   "cible, et leurs cumuls.", "Parties 1 et 5"),
    "trajectory_budget": ("Les émissions cumulées de chaque scénario face au budget carbone.", "Parties 1 et 5"),
    "entites": ("Les entités du périmètre et les collectivités de comparaison (liste complète).", "Partie 2"),
    "facteurs": ("La bibliothèque de facteurs utilisée, après remplacements : valeur, unité, bornes, source et "
                 "millésime de chaque facteur.", "Parties 3 et 8"),
    "hypotheses": ("Les lignes des fichiers d'entrée marquées comme hypothèses.", "Partie 8 et bandeau du diagnostic"),
    # issue 34: the follow-up from the previous study
    "follow_up_change": ("L'évolution du bilan depuis l'étude précédente, séparée entre l'activité (le parc, les "
                         "usages) et les facteurs et la méthode.", "Suivi depuis l'étude précédente"),
    "follow_up_actions": ("Chaque action de l'étude précédente : son état déclaré (réalisée, en cours, non commencée) "
                          "et l'année de cet état.", "Suivi depuis l'étude précédente"),
    "follow_up_indicators": ("Chaque indicateur de suivi : valeur de l'étude précédente, valeur de cette année, cible "
                             "et position par rapport à la trajectoire.", "Suivi depuis l'étude précédente et partie 7"),
    # issue 35: the territory's actors and the stakeholders' priorities
    "territory_actors": ("L'empreinte numérique des acteurs du territoire (ménages, entreprises, écoles, "
                         "collectivité), la donnée locale utilisée et sa fourchette.", "Partie 2 (le territoire)"),
    "territory_sectors": ("Les emplois salariés par secteur d'activité et l'empreinte de leurs terminaux "
                          "professionnels.", "Partie 2 (le territoire)"),
    "territory_indicators": ("Les indicateurs du territoire tirés des données ouvertes (personnes par ménage, emplois, "
                             "couverture en fibre).", "Partie 2 (le territoire)"),
    "actions_priorities": ("Le rang de chaque action avec et sans les priorités des parties prenantes, et la part de "
                           "ces priorités dans son score.", "Partie 6 (priorités des parties prenantes)"),
    "priorities": ("Les priorités exprimées par les parties prenantes (groupe, axe ou action, poids), telles que "
                   "déclarées.", "Partie 6 (priorités des parties prenantes)"),
    "communes": ("Les communes du territoire, leur population et leurs ménages (recensement), tels que déclarés.",
                 "Partie 2 (le territoire)"),
    "establishments": ("Les établissements et emplois salariés par commune et secteur, tels que déclarés.",
                       "Partie 2 (le territoire)"),
    "schools": ("Les écoles du territoire et leurs élèves, tels que déclarés.", "Partie 2 (le territoire)"),
    "connectivity": ("Les locaux et leur éligibilité à la fibre par commune (Arcep), tels que déclarés.",
                     "Partie 2 (le territoire)"),
    "datacentres": ("Les centres de données du territoire (puissance, surface), tels que déclarés.",
                    "Partie 2 (le territoire)"),
    "digital_fragility": ("L'indice de fragilité numérique par commune, tel que déclaré.", "Partie 2 (le territoire)"),
}


def sheet_info(stem: str) -> tuple[str, str]:
    """(what the sheet of table ``stem`` holds, the part of the diagnostic it feeds); a table this dictionary does
    not know gets a generic sentence (a test lists the processed tables, so a new one is caught)."""
    return SHEETS.get(stem, ("Table calculée par l'étude (unités dans les en-têtes).", "Annexes"))
