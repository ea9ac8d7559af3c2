"""Strings of the import's write-scope checks and of the exchange-rate impact report."""

STRINGS = {
    "imp.scope_regional": {"fr": "régional", "en": "regional"},
    "imp.scope_outside": {"fr": "{n} lignes hors de votre périmètre ({where})",
                          "en": "{n} rows outside your scope ({where})"},
    "imp.scope_outside_one": {"fr": "{n} ligne hors de votre périmètre ({where})",
                              "en": "{n} row outside your scope ({where})"},
    "imp.scope_outside_nowhere": {"fr": "{n} lignes hors de votre périmètre",
                                  "en": "{n} rows outside your scope"},
    "imp.scope_outside_one_nowhere": {"fr": "{n} ligne hors de votre périmètre",
                                      "en": "{n} row outside your scope"},
    "imp.scope_admin_only": {"fr": "{n} lignes : feuille réservée à l'administration",
                             "en": "{n} rows: a sheet only administrators may write"},
    "imp.scope_admin_only_one": {"fr": "{n} ligne : feuille réservée à l'administration",
                                 "en": "{n} row: a sheet only administrators may write"},
    "imp.moved_programme": {
        "fr": "{code} appartient déjà au programme {old} : il ne peut pas passer au programme {new}",
        "en": "{code} already belongs to programme {old}: it cannot move to programme {new}",
    },
    "imp.rates_outside_scope": {
        "fr": "ces taux de change modifieraient les montants en euros de programmes hors de votre "
              "périmètre : {programmes}",
        "en": "these exchange rates would change the euro amounts of programmes outside your scope: {programmes}",
    },
    "imp.rates_changed": {"fr": "Taux de change existants modifiés : {n}",
                          "en": "Existing exchange rates changed: {n}"},
    "imp.rate_change": {"fr": "{currency} {month} : {old} → {new}", "en": "{currency} {month}: {old} → {new}"},
    "imp.rates_programmes": {"fr": "Programmes dont les montants en euros changent : {programmes}",
                             "en": "Programmes whose euro amounts change: {programmes}"},
    "data.rates_warning": {
        "fr": "Les taux de change sont communs à tous les programmes : ce classeur modifie des taux existants "
              "ou les montants en euros déjà enregistrés.",
        "en": "Exchange rates are shared by every programme: this workbook changes existing rates or euro "
              "amounts already stored.",
    },
    "imp.rates_kept": {"fr": "Taux non importés (la base a déjà des taux pour ces devises, conservés) : {n}",
                       "en": "Rates not imported (the database already has rates for these currencies, kept): {n}"},
}
