"""Strings of the IATI export and import (dashboard/iati/)."""

STRINGS = {
    # --- import errors (the activity identifier is in the "sheet" column of the report) ---------
    "iati.not_xml": {"fr": "fichier XML illisible : {reason}", "en": "unreadable XML file: {reason}"},
    "iati.doctype": {
        "fr": "fichier XML refusé : il déclare une DTD (<!DOCTYPE>), ce qu'un fichier IATI ne fait pas",
        "en": "XML file refused: it declares a DTD (<!DOCTYPE>), which an IATI file does not",
    },
    "iati.schema": {
        "fr": "non conforme au schéma IATI 2.03, élément {path} : {detail}",
        "en": "does not conform to the IATI 2.03 schema, element {path}: {detail}",
    },
    "iati.bad_value": {"fr": "montant absent ou non numérique, élément {path}",
                       "en": "amount missing or not a number, element {path}"},
    "iati.no_currency": {
        "fr": "devise inconnue, élément {path} : ni @currency ni default-currency sur l'activité",
        "en": "unknown currency, element {path}: neither @currency nor the activity's default-currency",
    },
    "iati.no_dates": {"fr": "aucune date dans l'activité : impossible de situer le programme",
                      "en": "no date in the activity: the programme cannot be placed in time"},
    # --- import notes (what is left out or assumed) ------------------------------------------
    "iati.notes": {"fr": "Notes sur le fichier IATI :", "en": "Notes on the IATI file:"},
    "iati.note.training": {
        "fr": "La norme IATI ne contient pas les formations (sessions, présences) : la portée des formations "
              "de ces programmes ne vient que des classeurs.",
        "en": "The IATI Standard has no trainings (sessions, attendance): the training reach of these "
              "programmes only comes from workbooks.",
    },
    "iati.note.dates_guessed": {
        "fr": "{activity} : dates de début ou de fin absentes, déduites des autres dates de l'activité",
        "en": "{activity}: start or end date missing, taken from the activity's other dates",
    },
    "iati.note.org_ignored": {"fr": "organisation participante de rôle {role} ignorée ({n})",
                              "en": "participating organisation with role {role} ignored ({n})"},
    "iati.note.budget_from_lines": {
        "fr": "budgets annuels IATI ignorés : les lignes budgétaires du fichier les détaillent",
        "en": "IATI yearly budgets ignored: the file's budget lines detail them",
    },
    "iati.note.budget_type_ignored": {"fr": "budget de type {type} ignoré ({n})",
                                      "en": "budget of type {type} ignored ({n})"},
    "iati.note.transaction_ignored": {"fr": "transaction de type {type} ignorée ({n})",
                                      "en": "transaction of type {type} ignored ({n})"},
    "iati.note.implicit_grant": {
        "fr": "versements sans engagement : convention {grant} créée (prospect, montant 0)",
        "en": "receipts with no commitment: grant {grant} created (prospect, amount 0)",
    },
    "iati.note.not_numeric": {"fr": "indicateur {indicator} : valeur non numérique ignorée ({n})",
                              "en": "indicator {indicator}: value that is not a number ignored ({n})"},
    "iati.note.disaggregated": {
        "fr": "indicateur {indicator} : valeur ventilée autrement que par pays ignorée ({n})",
        "en": "indicator {indicator}: value disaggregated other than by country ignored ({n})",
    },
    "iati.note.computed": {
        "fr": "indicateur {indicator} calculé à partir des formations ({source}) : importé avec les valeurs publiées",
        "en": "indicator {indicator} computed from trainings ({source}): imported with its published values",
    },
    # --- Funding page ---------------------------------------------------------------------------
    "fu.iati": {"fr": "Publier au format IATI (XML)", "en": "Publish as IATI (XML)"},
    "fu.iati_help": {
        "fr": "Le programme à la date choisie, au standard IATI 2.03 (activité, bailleurs, budgets, transactions, "
              "résultats), validé contre le schéma officiel.",
        "en": "The programme as of the chosen date, in the IATI 2.03 Standard (activity, funders, budgets, "
              "transactions, results), validated against the official schema.",
    },
}
