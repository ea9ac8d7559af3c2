"""Strings of the Synthèse grid and of the two status counts (indicators at programme level,
country × indicator rows) shared by the Synthèse, the progress page and the board pack."""
from __future__ import annotations

STRINGS = {
    # the two counts: one name each, the unit in the name
    "sc.programme": {"fr": "Indicateurs (niveau programme)", "en": "Indicators (programme level)"},
    "sc.programme_help": {
        "fr": "Un par indicateur suivi par pays (l'agrégat des pays), plus chaque cible régionale.",
        "en": "One per indicator tracked by country (the countries' roll-up), plus each regional target.",
    },
    "sc.country": {"fr": "Lignes pays × indicateur", "en": "Country × indicator rows"},
    "sc.country_help": {
        "fr": "Une par pays et par indicateur : un indicateur suivi dans 5 pays compte 5 lignes.",
        "en": "One per country and indicator: an indicator tracked in 5 countries counts 5 rows.",
    },
    "sc.count": {"fr": "{status} : {n}", "en": "{status}: {n}"},
    "sc.none": {"fr": "aucune", "en": "none"},
    "sc.unit_count": {"fr": "{unit} : {n}", "en": "{unit}: {n}"},
    "sc.alerts_behind": {"fr": "En retard (rythme < 85 % de l'attendu) — {counts}",
                         "en": "Behind (pace < 85% of expected) — {counts}"},
    # the grid
    "ovg.title": {"fr": "Programmes × pays", "en": "Programmes × countries"},
    "ovg.metric": {"fr": "Indicateur affiché", "en": "Figure shown"},
    "ovg.metric.progress": {"fr": "Progrès du cadre logique", "en": "Logframe progress"},
    "ovg.metric.status": {"fr": "État du budget", "en": "Budget status"},
    "ovg.metric.execution": {"fr": "Exécution du budget", "en": "Budget execution"},
    "ovg.help.progress": {
        "fr": "Chaque case : progrès des indicateurs du pays (moyenne des taux de réalisation, 0–100 %).",
        "en": "Each cell: progress of the country's indicators (mean achievement, 0–100%).",
    },
    "ovg.help.status": {
        "fr": "Chaque case : état de la consommation du budget du pays (rythme de dépense rapporté au temps écoulé).",
        "en": "Each cell: the country's budget burn status (spending pace against time elapsed).",
    },
    "ovg.help.execution": {
        "fr": "Chaque case : part du budget du pays dépensée à la date de situation.",
        "en": "Each cell: share of the country's budget spent by the as-of date.",
    },
    "ovg.column": {"fr": "{code} (au {date})", "en": "{code} (as of {date})"},
    "ovg.note_default": {
        "fr": "Aucune date de situation choisie : chaque programme est lu à sa propre date par défaut, "
              "indiquée en tête de sa colonne.",
        "en": "No as-of date chosen: each programme is read at its own default date, shown at the head "
              "of its column.",
    },
    "ovg.note_explicit": {"fr": "Tous les programmes sont lus au {date}.",
                          "en": "Every programme is read as of {date}."},
    "ovg.note_countries": {"fr": "Pays retenus dans le filtre : {countries}.",
                           "en": "Countries in the filter: {countries}."},
    "ovg.empty_countries": {"fr": "Aucun programme n'a de données pour les pays retenus.",
                            "en": "No programme has data for the chosen countries."},
}
