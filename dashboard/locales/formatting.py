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
    "ov.gcol.as_of": {"fr": "Au", "en": "As of"},
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
_ACTIONS = {
    "import": ("Import d'un classeur", "Workbook import"),
    "import_rejected": ("Import refusé", "Import refused"),
    "edit": ("Saisie enregistrée", "Entry saved"),
    "edit_refused": ("Saisie refusée", "Entry refused"),
    "comment": ("Explication enregistrée", "Explanation saved"),
    "comment_refused": ("Explication refusée", "Explanation refused"),
    "pack": ("Dossier produit", "Pack produced"),
    "user_add": ("Compte créé", "Account created"),
    "user_update": ("Compte modifié", "Account changed"),
    "user_disable": ("Compte désactivé", "Account disabled"),
    "user_enable": ("Compte réactivé", "Account enabled"),
    "user_password": ("Mot de passe réinitialisé", "Password reset"),
    "demo_mode_start": ("Début du mode démo", "Demo mode started"),
    "demo_mode_end": ("Fin du mode démo", "Demo mode ended"),
}
_ENTITIES = {
    "user": ("compte", "account"), "workbook": ("classeur", "workbook"), "database": ("base", "database"),
    "measurements": ("mesures", "measurements"), "targets": ("cibles", "targets"),
    "comments": ("explications", "explanations"), "packs": ("dossier", "pack"),
}
#: Field names met in the audit log's details, in the reader's words (others: underscores as spaces).
_FIELDS = {
    "role": ("rôle", "role"), "programmes": ("programmes", "programmes"), "countries": ("pays", "countries"),
    "funder_code": ("bailleur", "funder"), "funder": ("bailleur", "funder"), "file": ("fichier", "file"), "counts": ("lignes", "rows"),
    "inserted": ("ajoutées", "inserted"), "updated": ("modifiées", "updated"), "unchanged": ("inchangées", "unchanged"),
    "deleted": ("supprimées", "deleted"), "value": ("valeur", "value"), "target": ("cible", "target"),
    "source": ("source", "source"), "comment": ("commentaire", "comment"), "period_end": ("fin de période", "period end"),
    "country_iso3": ("pays", "country"), "version": ("version", "version"), "reason": ("motif", "reason"),
    "errors": ("erreurs", "errors"), "denied": ("refusé", "denied"), "email": ("e-mail", "e-mail"),
    "active": ("actif", "active"), "text": ("texte", "text"), "replace_programme": ("programme remplacé",
                                                                                  "programme replaced"),
}
STRINGS.update({f"data.action.{k}": {"fr": fr, "en": en} for k, (fr, en) in _ACTIONS.items()})
STRINGS.update({f"data.entity.{k}": {"fr": fr, "en": en} for k, (fr, en) in _ENTITIES.items()})
STRINGS.update({f"data.field.{k}": {"fr": fr, "en": en} for k, (fr, en) in _FIELDS.items()})
STRINGS.update({
    "data.upload_zone": {
        "fr": "La zone de dépôt ci-dessous est celle de Streamlit, écrite en anglais : « Upload » ouvre le choix "
              "des fichiers (vous pouvez aussi les glisser sur la zone) ; « {mb}MB per file » veut dire {mb} Mo au "
              "plus par fichier.",
        "en": "Click « Upload » below (or drop the files on the area); {mb} MB at most per file.",
    },
    "data.apply_nothing": {
        "fr": "« Appliquer l'import » reste grisé : ce classeur ne change rien, chacune de ses lignes est déjà "
              "dans la base telle quelle.",
        "en": "\"Apply the import\" stays greyed out: this workbook changes nothing, each of its rows is already "
              "in the database as it is.",
    },
    "data.whole_file": {"fr": "(tout le fichier)", "en": "(whole file)"},
    # --- empty states: who can add the missing data ------------------------------------------
    "empty.who_writer": {
        "fr": "Vous pouvez les ajouter : page Données, onglet « Importer un classeur » (le modèle vide s'y "
              "télécharge).",
        "en": "You can add them: Data page, \"Import a workbook\" tab (the empty template is there).",
    },
    "empty.who_reader": {
        "fr": "Ces données sont ajoutées par le gestionnaire du programme ou l'administration (page Données) : "
              "prévenez-les si elles manquent.",
        "en": "These data are added by the programme's manager or the administrator (Data page): tell them if "
              "they are missing.",
    },
    "empty.no_programme_admin": {
        "fr": "Aucun programme dans la base. Importez un classeur depuis la page Données, onglet « Importer un "
              "classeur » (le modèle vide s'y télécharge).",
        "en": "No programme in the database. Import a workbook from the Data page, \"Import a workbook\" tab (the "
              "empty template is there).",
    },
})
