"""Strings of the protections against hostile files and faults (limits, restore, errors)."""

STRINGS = {
    "imp.date_range": {"fr": "date hors de la plage acceptée ({low}–{high})",
                       "en": "date outside the accepted range ({low}–{high})"},
    "imp.too_large": {"fr": "valeur trop grande : {max} au plus (en valeur absolue)",
                      "en": "value too large: {max} at most (in absolute value)"},
    "imp.amount_too_large": {"fr": "montant trop grand : {max} EUR au plus après conversion (trouvé {eur} EUR)",
                             "en": "amount too large: {max} EUR at most after conversion (found {eur} EUR)"},
    "imp.too_many_rows": {"fr": "la feuille {sheet} dépasse {max} lignes de données : classeur refusé "
                                "(découpez-le, ou demandez à l'administrateur de relever la limite)",
                          "en": "sheet {sheet} has more than {max} data rows: workbook refused "
                                "(split it, or ask the administrator to raise the limit)"},
    "imp.more_errors": {"fr": "… et {n} autre(s) erreur(s), non listée(s)",
                        "en": "… and {n} more error(s), not listed"},
    "error.db_file_gone": {
        "fr": "Le fichier de la base de données a été supprimé ou remplacé pendant que l'application tournait : "
              "rien n'a été enregistré. Prévenez l'administrateur (restaurer la base, puis redémarrer l'application).",
        "en": "The database file was deleted or replaced while the application was running: nothing was saved. "
              "Tell the administrator (restore the database, then restart the application).",
    },
    "filter.as_of_refused": {
        "fr": "La date de situation du lien n'est pas acceptée : elle doit être comprise entre le {low} et "
              "aujourd'hui ({high}). La date par défaut du programme est affichée.",
        "en": "The as-of date in the link is not accepted: it must lie between {low} and today ({high}). "
              "The programme's default date is shown.",
    },
    "data.reading": {"fr": "Lecture du classeur…", "en": "Reading the workbook…"},
}
