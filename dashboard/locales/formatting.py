"""Strings of the shared table and file formats (dashboard.ui.formatting), the short Excel sheet
titles of the downloads, and the Data and Administration pages' added texts."""

STRINGS = {
    "fmt.yes": {"fr": "oui", "en": "yes"},
    "fmt.no": {"fr": "non", "en": "no"},
    # printf format of the percentage-point bars (sprintf-js: the same in every browser)
    "fmt.points": {"fr": "%.0f\u00a0%%", "en": "%.0f%%"},
    "bu.sheet": {"fr": "Lignes budgétaires", "en": "Budget lines"},
}
STRINGS.update({
    "ov.sheet.grid": {"fr": "Programmes par pays", "en": "Programmes by country"},
    "ov.sheet.overspent": {"fr": "Lignes dépassées", "en": "Lines overspent"},
    "ov.sheet.behind": {"fr": "Indicateurs en retard", "en": "Indicators behind"},
    "ov.sheet.cliff": {"fr": "Conventions sans successeur", "en": "Grants with no successor"},
    "ov.gcol.execution": {"fr": "Exécution budgétaire", "en": "Budget execution"},
    "ov.gcol.burn": {"fr": "Indice de consommation", "en": "Burn index"},
    "ov.gcol.progress": {"fr": "Progrès du cadre logique", "en": "Logframe progress"},
    "ov.gcol.participants": {"fr": "Personnes formées", "en": "People reached"},
})
STRINGS.update({
    "pg.tree_alt": {"fr": "Cadre logique : objectifs, résultats et activités, avec les indicateurs de chacun",
                    "en": "Logframe: objectives, results and activities, with their indicators"},
})
STRINGS.update({
    "pg.sheet": {"fr": "Indicateurs", "en": "Indicators"},
    "tr.sheet.reach": {"fr": "Portée des cibles", "en": "Reach against targets"},
    "tr.sheet.sessions": {"fr": "Sessions", "en": "Sessions"},
    "fu.sheet.shares": {"fr": "Parts des bailleurs", "en": "Funder shares"},
    "fu.sheet.pipeline": {"fr": "Demandes en cours", "en": "Pipeline"},
    "fu.sheet.cliff": {"fr": "Échéancier des conventions", "en": "Grant end dates"},
    "data.sheet.errors": {"fr": "Erreurs d'import", "en": "Import errors"},
    "data.sheet.audit": {"fr": "Journal d'audit", "en": "Audit log"},
})
