"""French-first user-facing strings and number, money and date formats.

Every string a user reads goes through :func:`t`; the catalogue below holds French and English.
Numbers, money and dates are formatted with babel (``1 234,5 €`` in French).
"""
from __future__ import annotations

import datetime as dt
import gettext
import math
from functools import lru_cache

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_currency, format_decimal, format_percent

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"
_LOCALES = {"fr": "fr_FR", "en": "en_GB"}

CATALOGUE: dict[str, dict[str, str]] = {
    # --- import report -------------------------------------------------------------------
    "imp.unknown_sheet": {
        "fr": "feuille inconnue ; feuilles attendues : {expected}",
        "en": "unknown sheet; expected sheets: {expected}",
    },
    "imp.unknown_column": {
        "fr": "colonne inconnue (faute de frappe ?) ; colonnes attendues : {expected}",
        "en": "unknown column (a typo?); expected columns: {expected}",
    },
    "imp.duplicate_column": {"fr": "colonne en double", "en": "duplicate column"},
    "imp.missing_column": {"fr": "colonne obligatoire absente", "en": "required column missing"},
    "imp.required": {"fr": "valeur obligatoire", "en": "value required"},
    "imp.bad_code": {
        "fr": "code invalide : 1 à 64 caractères, sans espace au début ni à la fin",
        "en": "invalid code: 1 to 64 characters, no leading or trailing space",
    },
    "imp.bad_date": {
        "fr": "date invalide : attendu AAAA-MM-JJ (ou JJ/MM/AAAA en CSV)",
        "en": "invalid date: expected YYYY-MM-DD (or DD/MM/YYYY in CSV)",
    },
    "imp.bad_month": {"fr": "mois invalide : attendu AAAA-MM", "en": "invalid month: expected YYYY-MM"},
    "imp.bad_number": {"fr": "nombre invalide", "en": "invalid number"},
    "imp.bad_bool": {"fr": "attendu true ou false", "en": "expected true or false"},
    "imp.bad_enum": {"fr": "valeur non autorisée ; valeurs possibles : {allowed}",
                     "en": "value not allowed; allowed values: {allowed}"},
    "imp.bad_country": {"fr": "code pays ISO 3166-1 alpha-3 inconnu (ex. SEN, MLI, FRA)",
                        "en": "unknown ISO 3166-1 alpha-3 country code (e.g. SEN, MLI, FRA)"},
    "imp.bad_currency": {"fr": "code devise ISO 4217 inconnu (ex. EUR, XOF, GNF)",
                         "en": "unknown ISO 4217 currency code (e.g. EUR, XOF, GNF)"},
    "imp.negative": {"fr": "montant négatif non autorisé ici", "en": "negative amount not allowed here"},
    "imp.must_be_positive": {"fr": "doit être strictement positif", "en": "must be greater than zero"},
    "imp.range": {"fr": "doit être compris entre {low} et {high}", "en": "must be between {low} and {high}"},
    "imp.end_before_start": {"fr": "la date de fin doit être postérieure à la date de début",
                             "en": "the end date must be after the start date"},
    "imp.end_not_before_start": {"fr": "la date de fin ne peut pas précéder la date de début",
                                 "en": "the end date cannot be before the start date"},
    "imp.duplicate_key": {"fr": "clé en double dans le classeur (déjà en ligne {first})",
                          "en": "duplicate key in the workbook (already on row {first})"},
    "imp.unknown_ref": {"fr": "référence inconnue : {what} « {value} » n'existe ni dans le classeur ni dans la base",
                        "en": "unknown reference: {what} '{value}' is neither in the workbook nor in the database"},
    "imp.parent_required": {"fr": "parent obligatoire pour ce niveau", "en": "a parent is required at this level"},
    "imp.goal_no_parent": {"fr": "l'objectif global n'a pas de parent", "en": "the goal has no parent"},
    "imp.parent_level": {"fr": "le parent d'un nœud « {level} » doit être de niveau « {expected} » (trouvé « {found} »)",
                         "en": "the parent of a '{level}' node must be a '{expected}' (found '{found}')"},
    "imp.signed_date_required": {"fr": "date de signature obligatoire pour une convention signée",
                                 "en": "signed_date is required when status is signed"},
    "imp.computed_has_measurements": {
        "fr": "indicateur calculé ({source}) : il ne peut pas avoir de mesures",
        "en": "computed indicator ({source}): it cannot have measurements",
    },
    "imp.sex_conflict": {"fr": "sexe contradictoire pour ce participant (ailleurs : {other})",
                         "en": "conflicting sex for this participant (elsewhere: {other})"},
    "imp.no_rate": {"fr": "aucun taux de change pour {currency} (ajoutez des lignes fx_rates)",
                    "en": "no exchange rate for {currency} (add fx_rates rows)"},
    "imp.builtin_rate": {"fr": "taux fixe intégré pour {currency} : pas de ligne fx_rates",
                         "en": "{currency} has a built-in fixed rate: no fx_rates row"},
    "imp.personal_data": {"fr": "ressemble à une adresse e-mail : aucune donnée personnelle des participants",
                          "en": "looks like an e-mail address: no personal data of participants"},
    "imp.unreadable": {"fr": "fichier illisible : {reason}", "en": "unreadable file: {reason}"},
    "imp.no_sheet": {"fr": "aucune feuille reconnue dans ce classeur",
                     "en": "no recognised sheet in this workbook"},
    "imp.encoding": {"fr": "encodage non reconnu (UTF-8 ou Windows-1252 attendu)",
                     "en": "unrecognised encoding (UTF-8 or Windows-1252 expected)"},
    "imp.too_long": {"fr": "texte trop long ({max} caractères au plus)", "en": "text too long ({max} characters at most)"},
    "imp.replace_missing": {"fr": "le programme {code} à remplacer n'est ni dans la base ni dans le classeur",
                            "en": "programme {code} to replace is neither in the database nor in the workbook"},
    "imp.out_of_scope": {"fr": "hors de votre périmètre d'écriture (programme, pays ou feuille réservée "
                                "à l'administration)",
                         "en": "outside your write scope (programme, country, or a sheet reserved to "
                               "administrators)"},
    "imp.report_ok": {"fr": "Import réussi", "en": "Import succeeded"},
    "imp.report_dry": {"fr": "Simulation (rien n'a été écrit)", "en": "Dry run (nothing written)"},
    "imp.report_rejected": {"fr": "Classeur refusé : {n} erreur(s), rien n'a été écrit",
                            "en": "Workbook rejected: {n} error(s), nothing was written"},
    "imp.col.sheet": {"fr": "feuille", "en": "sheet"},
    "imp.col.row": {"fr": "ligne", "en": "row"},
    "imp.col.column": {"fr": "colonne", "en": "column"},
    "imp.col.value": {"fr": "valeur", "en": "value"},
    "imp.col.message": {"fr": "message", "en": "message"},
    "imp.col.inserted": {"fr": "ajoutées", "en": "inserted"},
    "imp.col.updated": {"fr": "modifiées", "en": "updated"},
    "imp.col.unchanged": {"fr": "inchangées", "en": "unchanged"},
    "imp.col.deleted": {"fr": "supprimées", "en": "deleted"},
}

CATALOGUE.update({
    # --- shell ---------------------------------------------------------------------------
    "app.title": {"fr": "Suivi des programmes", "en": "Programme monitoring"},
    "nav.overview": {"fr": "Synthèse", "en": "Overview"},
    "nav.budget": {"fr": "Risque budgétaire", "en": "Budget risk"},
    "nav.funding": {"fr": "Diversification des financements", "en": "Funding diversification"},
    "nav.training": {"fr": "Formations et portée", "en": "Training reach"},
    "nav.progress": {"fr": "Progrès par pays", "en": "Country progress"},
    "nav.data": {"fr": "Données", "en": "Data"},
    "nav.admin": {"fr": "Administration", "en": "Administration"},
    "filter.programme": {"fr": "Programme", "en": "Programme"},
    "filter.countries": {"fr": "Pays", "en": "Countries"},
    "filter.countries_all": {"fr": "Tous les pays", "en": "All countries"},
    "filter.countries_help": {"fr": "Vide = tous les pays", "en": "Empty = every country"},
    "filter.as_of": {"fr": "Situation au", "en": "As of"},
    "filter.as_of_help": {
        "fr": "Par défaut : la dernière date des données du programme (jamais après aujourd'hui). "
              "Changez-la pour revoir la situation d'une date passée.",
        "en": "Default: the programme's latest data date (never after today). "
              "Change it to replay the situation at a past date.",
    },
    "filter.reset_as_of": {"fr": "Date par défaut", "en": "Default date"},
    "filter.lang": {"fr": "Langue", "en": "Language"},
    "filter.share": {"fr": "L'adresse de la page garde ces filtres : copiez-la pour partager cette vue.",
                     "en": "The page address keeps these filters: copy it to share this view."},
    "country.regional": {"fr": "Régional / siège", "en": "Regional / HQ"},
    "demo.banner": {
        "fr": "Données de démonstration : les chiffres sont illustratifs (programme réel, montants et "
              "participants fictifs).",
        "en": "Demo data: the figures are illustrative (a real programme, fictitious amounts and participants).",
    },
    "empty.no_programme": {
        "fr": "Aucun programme dans la base pour votre compte. L'administration ajoute les programmes (page "
              "Données) et les ouvre à votre compte (page Administration) : prévenez-la.",
        "en": "No programme in the database for your account. The administrator adds programmes (Data page) and "
              "opens them to your account (Administration page): tell them.",
    },
    "error.database": {
        "fr": "La base de données ne répond pas ({query}). Réessayez dans un instant ; si cela dure, "
              "prévenez l'administrateur.",
        "en": "The database is not answering ({query}). Try again in a moment; if it lasts, tell the administrator.",
    },
    "error.unexpected": {
        "fr": "Cette vue n'a pas pu s'afficher. L'erreur est consignée dans le journal du serveur ; "
              "changez un filtre ou prévenez l'administrateur.",
        "en": "This view could not be shown. The error is in the server log; change a filter or tell the administrator.",
    },
    "download.csv": {"fr": "CSV", "en": "CSV"},
    "download.xlsx": {"fr": "Excel", "en": "Excel"},
    # --- statuses ----------------------------------------------------------------------------
    "status.on_track": {"fr": "dans les temps", "en": "on track"},
    "status.overspend": {"fr": "surconsommation", "en": "overspend"},
    "status.underspend": {"fr": "sous-consommation", "en": "underspend"},
    "status.no_data": {"fr": "pas de données", "en": "no data"},
    "status.ahead": {"fr": "en avance", "en": "ahead"},
    "status.behind": {"fr": "en retard", "en": "behind"},
    "status.not_due": {"fr": "pas encore dû", "en": "not due"},
    "status.non_reporting": {"fr": "non renseigné", "en": "non-reporting"},
    "status.diversified": {"fr": "diversifié", "en": "diversified"},
    "status.moderate": {"fr": "modéré", "en": "moderate"},
    "status.concentrated": {"fr": "concentré", "en": "concentrated"},
    # --- overview -------------------------------------------------------------------------
    "ov.title": {"fr": "Synthèse — {name}", "en": "Overview — {name}"},
    "ov.period": {"fr": "Période : {start} → {end} · situation au {as_of} · {elapsed} du temps écoulé",
                  "en": "Period: {start} → {end} · as of {as_of} · {elapsed} of the time elapsed"},
    "ov.filtered": {"fr": "Filtré sur : {countries}", "en": "Filtered on: {countries}"},
    "ov.execution": {"fr": "Exécution budgétaire", "en": "Budget execution"},
    "ov.execution_help": {"fr": "Dépensé {spent} sur un budget de {budget} ; temps écoulé {elapsed}.",
                          "en": "Spent {spent} of a {budget} budget; time elapsed {elapsed}."},
    "ov.burn": {"fr": "Indice de consommation", "en": "Burn index"},
    "ov.burn_rule": {
        "fr": "exécution ÷ temps écoulé ; budget dépassé dès que le dépensé excède le budget, sinon "
              "surconsommation au-delà de {over}, sous-consommation en deçà de {under} (après {min_elapsed} du temps)",
        "en": "execution ÷ time elapsed; over budget as soon as spent exceeds the budget, else overspend above "
              "{over}, underspend below {under} (once {min_elapsed} of the time has elapsed)",
    },
    "ov.coverage": {"fr": "Couverture du budget", "en": "Budget coverage"},
    "ov.coverage_help": {"fr": "Financements signés {signed} ; écart {gap}.",
                         "en": "Signed funding {signed}; gap {gap}."},
    "ov.cash": {"fr": "Trésorerie avancée", "en": "Cash exposure"},
    "ov.cash_help": {"fr": "Dépensé moins reçu des bailleurs (reçu : {received}).",
                     "en": "Spent minus received from funders (received: {received})."},
    "ov.concentration": {"fr": "Concentration des financements", "en": "Funding concentration"},
    "ov.concentration_rule": {
        "fr": "HHI {hhi} ; {effective} financeurs effectifs. Diversifié sous {low}, concentré au-delà de {high}.",
        "en": "HHI {hhi}; {effective} effective funders. Diversified below {low}, concentrated above {high}.",
    },
    "ov.people": {"fr": "Personnes formées", "en": "People reached"},
    "ov.people_help": {"fr": "{organisations} organisations ; {sessions} sessions.",
                       "en": "{organisations} organisations; {sessions} sessions."},
    "ov.progress": {"fr": "Progrès du cadre logique", "en": "Logframe progress"},
    "ov.progress_rule": {
        "fr": "Moyenne des taux de réalisation (0–100 %). Un indicateur est dans les temps à ±{band} de la "
              "valeur attendue à cette date.",
        "en": "Mean achievement (0–100%). An indicator is on track within ±{band} of the value expected by now.",
    },
    "ov.alerts": {"fr": "Alertes", "en": "Alerts"},
    "ov.no_alerts": {"fr": "Aucune alerte à cette date.", "en": "No alert at this date."},
    "ov.alerts.overspent": {"fr": "Lignes budgétaires dépassées : {n}", "en": "Budget lines overspent: {n}"},
    "ov.alerts.cliff": {"fr": "Conventions se terminant dans les 6 mois sans successeur signé : {n}",
                        "en": "Grants ending within 6 months with no signed successor: {n}"},
    "ov.col.line": {"fr": "Ligne", "en": "Line"},
    "ov.col.label": {"fr": "Libellé", "en": "Label"},
    "ov.col.budget": {"fr": "Budget (EUR)", "en": "Budget (EUR)"},
    "ov.col.spent": {"fr": "Dépensé (EUR)", "en": "Spent (EUR)"},
    "ov.col.overrun": {"fr": "Dépassement (EUR)", "en": "Overrun (EUR)"},
    "ov.col.indicator": {"fr": "Indicateur", "en": "Indicator"},
    "ov.col.where": {"fr": "Périmètre", "en": "Scope"},
    "ov.col.actual": {"fr": "Réalisé", "en": "Actual"},
    "ov.col.expected": {"fr": "Attendu à date", "en": "Expected by now"},
    "ov.col.grant": {"fr": "Convention", "en": "Grant"},
    "ov.col.funder": {"fr": "Bailleur", "en": "Funder"},
    "ov.col.end": {"fr": "Fin", "en": "End"},
    "ov.col.amount": {"fr": "Montant (EUR)", "en": "Amount (EUR)"},
    "ov.col.country": {"fr": "Pays", "en": "Country"},
    "ov.col.programme": {"fr": "Programme", "en": "Programme"},
    "ov.statuses": {"fr": "État des indicateurs", "en": "Indicator statuses"},
    "ov.programme_total": {"fr": "ensemble du programme", "en": "whole programme"},
    "ov.no_indicator": {"fr": "Aucun indicateur suivi : importez les feuilles indicators et targets.",
                        "en": "No indicator tracked: import the indicators and targets sheets."},
    "ov.no_budget": {"fr": "Aucune ligne budgétaire : il faut la feuille budget_lines du modèle.",
                     "en": "No budget line: it needs the template's budget_lines sheet."},
})

CATALOGUE.update({
    # --- charts ----------------------------------------------------------------------------
    "ch.plan": {"fr": "Plan linéaire", "en": "Linear plan"},
    "ch.spent_cum": {"fr": "Dépenses cumulées", "en": "Cumulative spending"},
    "ch.forecast": {"fr": "Prévision au rythme actuel", "en": "Forecast at the current pace"},
    "ch.spend_curve": {"fr": "Dépenses cumulées, plan linéaire et prévision (EUR, au {as_of})",
                       "en": "Cumulative spending, linear plan and forecast (EUR, as of {as_of})"},
    "ch.as_of_mark": {"fr": "situation au {as_of}", "en": "as of {as_of}"},
    "ch.budget": {"fr": "Budget", "en": "Budget"},
    "ch.spent": {"fr": "Dépensé", "en": "Spent"},
    "ch.by_country": {"fr": "Budget et dépenses par pays (EUR, au {as_of})",
                      "en": "Budget and spending by country (EUR, as of {as_of})"},
    "ch.by_category": {"fr": "Budget et dépenses par catégorie (EUR, au {as_of})",
                       "en": "Budget and spending by category (EUR, as of {as_of})"},
    "ch.exposure": {"fr": "Trésorerie avancée", "en": "Cash exposure"},
    "ch.received_cum": {"fr": "Reçu des bailleurs (cumul)", "en": "Received from funders (cumulative)"},
    "ch.cash": {"fr": "Dépensé et reçu : la trésorerie avancée par l'organisation (EUR, au {as_of})",
                "en": "Spent and received: the cash the organisation advances (EUR, as of {as_of})"},
    "ch.shares_funder": {"fr": "Part de chaque bailleur dans les financements signés (%, au {as_of})",
                         "en": "Each funder's share of signed funding (%, as of {as_of})"},
    "ch.shares_type": {"fr": "Part par type de bailleur (%, au {as_of})",
                       "en": "Share by type of funder (%, as of {as_of})"},
    "ch.trend": {"fr": "Financements signés par année et type de bailleur (EUR, jusqu'au {as_of})",
                 "en": "Funding signed per year by type of funder (EUR, up to {as_of})"},
    "ch.hhi_trend": {"fr": "Concentration des financements à chaque fin d'année (HHI 0–1, jusqu'au {as_of})",
                     "en": "Funding concentration at each year end (HHI 0–1, up to {as_of})"},
    "ch.raw": {"fr": "Montant demandé", "en": "Amount applied for"},
    "ch.weighted": {"fr": "Pondéré par la probabilité", "en": "Weighted by probability"},
    "ch.pipeline": {"fr": "Demandes en préparation et déposées (EUR, brut et pondéré)",
                    "en": "Prospects and submitted applications (EUR, raw and weighted)"},
    "ch.timeline": {"fr": "Conventions signées : de leur début à leur fin (au {as_of})",
                    "en": "Signed grants: from start to end (as of {as_of})"},
    # --- categories and funder types --------------------------------------------------------
    "cat.personnel": {"fr": "Personnel", "en": "Personnel"},
    "cat.activities": {"fr": "Activités", "en": "Activities"},
    "cat.travel": {"fr": "Déplacements", "en": "Travel"},
    "cat.equipment": {"fr": "Équipement", "en": "Equipment"},
    "cat.services": {"fr": "Prestations", "en": "Services"},
    "cat.overheads": {"fr": "Frais de structure", "en": "Overheads"},
    "cat.other": {"fr": "Autres", "en": "Other"},
    "ftype.public_bilateral": {"fr": "Bailleur public bilatéral", "en": "Public bilateral"},
    "ftype.multilateral": {"fr": "Multilatéral", "en": "Multilateral"},
    "ftype.european_union": {"fr": "Union européenne", "en": "European Union"},
    "ftype.local_authority": {"fr": "Collectivité territoriale", "en": "Local authority"},
    "ftype.foundation": {"fr": "Fondation", "en": "Foundation"},
    "ftype.private_donors": {"fr": "Dons privés", "en": "Private donors"},
    "ftype.corporate": {"fr": "Entreprise", "en": "Corporate"},
    "ftype.partner_cofinancing": {"fr": "Cofinancement partenaire", "en": "Partner co-financing"},
    "ftype.own_funds": {"fr": "Fonds propres", "en": "Own funds"},
    "ftype.other": {"fr": "Autre", "en": "Other"},
    "grant.prospect": {"fr": "en préparation", "en": "prospect"},
    "grant.submitted": {"fr": "déposée", "en": "submitted"},
    "grant.signed": {"fr": "signée", "en": "signed"},
    "grant.rejected": {"fr": "refusée", "en": "rejected"},
    # --- budget page ------------------------------------------------------------------------
    "bu.title": {"fr": "Risque budgétaire — {code}", "en": "Budget risk — {code}"},
    "bu.budget": {"fr": "Budget", "en": "Budget"},
    "bu.spent": {"fr": "Dépensé", "en": "Spent"},
    "bu.spent_help": {"fr": "{execution} du budget pour {elapsed} du temps écoulé.",
                      "en": "{execution} of the budget for {elapsed} of the time elapsed."},
    "bu.eac": {"fr": "Prévision à terminaison", "en": "Forecast at completion"},
    "bu.eac_help": {"fr": "Au rythme actuel (dépensé ÷ temps écoulé) ; écart au budget : {vac}.",
                    "en": "At the current pace (spent ÷ time elapsed); variance to budget: {vac}."},
    "bu.programme_level": {
        "fr": "Couverture, écart de financement et trésorerie sont des chiffres du programme entier, "
              "quel que soit le filtre pays.",
        "en": "Coverage, funding gap and cash exposure are whole-programme figures, whatever the country filter.",
    },
    "bu.currency_note": {
        "fr": "Montants en euros. Chaque montant est converti au taux du mois de sa date (dépenses, "
              "encaissements), de la signature (conventions) ou du début du programme (lignes budgétaires) ; "
              "à défaut, le taux du mois précédent le plus proche, sinon du mois suivant. Taux fixes : "
              "1 EUR = 655,957 XOF = 655,957 XAF.",
        "en": "Amounts in euros. Each amount is converted at the rate of its own month (expenditures, "
              "receipts), of the signature (grants) or of the programme start (budget lines); failing that, "
              "the closest earlier month's rate, else the next month's. Fixed rates: 1 EUR = 655.957 XOF = "
              "655.957 XAF.",
    },
    "bu.curve_help": {
        "fr": "Le plan linéaire répartit le budget uniformément sur la durée ; la prévision prolonge le rythme "
              "observé jusqu'à la fin du programme.",
        "en": "The linear plan spreads the budget evenly over the period; the forecast extends the observed "
              "pace to the end of the programme.",
    },
    "bu.lines": {"fr": "Lignes budgétaires (dépassées et sous-consommées d'abord)",
                 "en": "Budget lines (overspent and underspent first)"},
    "bu.col.code": {"fr": "Ligne", "en": "Line"},
    "bu.col.label": {"fr": "Libellé", "en": "Label"},
    "bu.col.country": {"fr": "Pays", "en": "Country"},
    "bu.col.category": {"fr": "Catégorie", "en": "Category"},
    "bu.col.amount_local": {"fr": "Budget (devise)", "en": "Budget (currency)"},
    "bu.col.spent_local": {"fr": "Dépensé (devise)", "en": "Spent (currency)"},
    "bu.col.currency": {"fr": "Devise", "en": "Currency"},
    "bu.col.amount_eur": {"fr": "Budget (EUR)", "en": "Budget (EUR)"},
    "bu.col.spent_eur": {"fr": "Dépensé (EUR)", "en": "Spent (EUR)"},
    "bu.col.execution": {"fr": "Exécution", "en": "Execution"},
    "bu.col.burn": {"fr": "Indice", "en": "Burn index"},
    "bu.col.status": {"fr": "État", "en": "Status"},
    "bu.empty": {
        "fr": "Ce programme n'a pas encore de ligne budgétaire : il faut la feuille budget_lines du modèle, "
              "puis les dépenses (feuille expenditures).",
        "en": "This programme has no budget line yet: it needs the template's budget_lines sheet, then the "
              "expenditures sheet.",
    },
    "bu.no_spending": {"fr": "Aucune dépense enregistrée à cette date (feuille expenditures).",
                       "en": "No expenditure recorded by this date (expenditures sheet)."},
    "bu.no_cash": {"fr": "Ni dépense ni encaissement à cette date (feuilles expenditures et receipts).",
                   "en": "Neither expenditure nor receipt by this date (expenditures and receipts sheets)."},
    # --- funding page -----------------------------------------------------------------------
    "fu.title": {"fr": "Diversification des financements", "en": "Funding diversification"},
    "fu.as_of": {"fr": "Financements signés au {as_of} ; les demandes en cours ne dépendent pas de la date.",
                 "en": "Funding signed by {as_of}; the pipeline does not depend on the date."},
    "fu.scope": {"fr": "Périmètre", "en": "Scope"},
    "fu.scope.programme": {"fr": "Ce programme ({code})", "en": "This programme ({code})"},
    "fu.scope.organisation": {"fr": "Toute l'organisation", "en": "The whole organisation"},
    "fu.signed": {"fr": "Financements signés", "en": "Signed funding"},
    "fu.signed_help": {"fr": "Conventions signées au plus tard à la date de situation, apports en nature inclus.",
                       "en": "Grants signed by the as-of date, in-kind contributions included."},
    "fu.hhi": {"fr": "Indice de concentration (HHI)", "en": "Concentration index (HHI)"},
    "fu.effective": {"fr": "Nombre effectif de bailleurs", "en": "Effective number of funders"},
    "fu.effective_help": {"fr": "1 ÷ HHI : autant de bailleurs de poids égal donneraient la même concentration.",
                          "en": "1 ÷ HHI: that many equal funders would give the same concentration."},
    "fu.top": {"fr": "Premier bailleur", "en": "Largest funder"},
    "fu.top_help": {"fr": "Les trois premiers pèsent {top3}.", "en": "The three largest weigh {top3}."},
    "fu.band_rule": {
        "fr": "Le HHI additionne le carré de la part de chaque bailleur : 1 si un seul bailleur finance tout, "
              "proche de 0 si beaucoup de petits. Diversifié sous 0,15 ; modéré de 0,15 à 0,25 ; concentré "
              "au-delà de 0,25 (seuils des autorités de la concurrence américaines, 2010).",
        "en": "The HHI adds up the square of each funder's share: 1 when one funder pays for everything, close "
              "to 0 with many small ones. Diversified below 0.15; moderate from 0.15 to 0.25; concentrated "
              "above 0.25 (US competition authorities' thresholds, 2010).",
    },
    "fu.trend": {"fr": "Évolution", "en": "Trend"},
    "fu.pipeline": {"fr": "Demandes en cours", "en": "Pipeline"},
    "fu.pipeline_total": {"fr": "Total pondéré : {weighted} (brut : {raw}). Probabilité par défaut : 25 % "
                                "en préparation, 50 % déposée.",
                          "en": "Weighted total: {weighted} (raw: {raw}). Default probability: 25% for "
                                "prospects, 50% for submitted."},
    "fu.no_pipeline": {"fr": "Aucune demande en préparation ou déposée (feuille grants, statut prospect ou "
                             "submitted).",
                       "en": "No prospect or submitted application (grants sheet, status prospect or submitted)."},
    "fu.cliff": {"fr": "Échéancier des conventions (« falaise de financement »)",
                 "en": "Grant end dates (the \"funding cliff\")"},
    "fu.cliff_help": {"fr": "En rouge : conventions se terminant dans les {months} mois sans convention "
                            "successeur signée du même bailleur.",
                      "en": "In red: grants ending within {months} months with no signed successor grant "
                            "from the same funder."},
    "fu.stress": {"fr": "Test de résistance : « si ce bailleur s'arrêtait »",
                  "en": "Stress test: \"if this funder stopped\""},
    "fu.stress_pick": {"fr": "Bailleur retiré", "en": "Funder removed"},
    "fu.stress_coverage": {"fr": "Couverture sans lui", "en": "Coverage without it"},
    "fu.stress_gap": {"fr": "Écart de financement sans lui", "en": "Funding gap without it"},
    "fu.stress_hhi": {"fr": "HHI des autres", "en": "HHI of the others"},
    "fu.stress_budget": {"fr": "Budget de référence : {budget} ; couverture actuelle {coverage}.",
                         "en": "Reference budget: {budget}; current coverage {coverage}."},
    "fu.col.funder": {"fr": "Bailleur", "en": "Funder"},
    "fu.col.code": {"fr": "Code", "en": "Code"},
    "fu.col.type": {"fr": "Type", "en": "Type"},
    "fu.col.amount": {"fr": "Montant (EUR)", "en": "Amount (EUR)"},
    "fu.col.share": {"fr": "Part", "en": "Share"},
    "fu.col.grant": {"fr": "Convention", "en": "Grant"},
    "fu.col.programme": {"fr": "Programme", "en": "Programme"},
    "fu.col.status": {"fr": "Statut", "en": "Status"},
    "fu.col.probability": {"fr": "Probabilité", "en": "Probability"},
    "fu.col.weighted": {"fr": "Pondéré (EUR)", "en": "Weighted (EUR)"},
    "fu.col.start": {"fr": "Début", "en": "Start"},
    "fu.col.end": {"fr": "Fin", "en": "End"},
    "fu.col.flag": {"fr": "Sans successeur", "en": "No successor"},
    "fu.col.in_kind": {"fr": "En nature", "en": "In kind"},
    "fu.empty": {
        "fr": "Aucun financement signé à cette date. Ajoutez les bailleurs et leurs conventions (feuilles "
              "funders et grants, statut signed avec une date de signature).",
        "en": "No signed funding by this date. Add the funders and their grants (funders and grants sheets, "
              "status signed with a signature date).",
    },
})

from .locales import collect as _collect_locales  # noqa: E402  (page catalogues, dashboard/locales/)

_PAGE_STRINGS = _collect_locales()
if set(_PAGE_STRINGS) & set(CATALOGUE):
    raise ValueError(f"catalogue keys defined twice: {sorted(set(_PAGE_STRINGS) & set(CATALOGUE))}")
CATALOGUE.update(_PAGE_STRINGS)


def t(key: str, lang: str = DEFAULT_LANG, **params) -> str:
    """The catalogue string ``key`` in ``lang`` (French when missing), formatted with ``params``."""
    entry = CATALOGUE.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**params) if params else text


def _locale(lang: str) -> str:
    return _LOCALES.get(lang, _LOCALES[DEFAULT_LANG])


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _memoised(function):
    """``function`` with its texts remembered: a page formats the same figures at every rerun
    (hundreds of table cells), and babel takes tens of microseconds a number. Keyed by the value
    *and its type* (``1`` and ``1.0`` may read differently); a value that cannot be a key (or a
    zero, whose sign babel writes) is formatted afresh."""
    remembered = lru_cache(maxsize=1 << 16, typed=True)(function)

    def formatted(value, *args):
        try:
            if value == 0:  # 0 and -0.0: equal keys, and babel may write the sign
                return function(value, *args)
            return remembered(value, *args)
        except TypeError:  # unhashable, or a value without a truth (pd.NA)
            return function(value, *args)
    formatted.cache_info = remembered.cache_info
    formatted.cache_clear = remembered.cache_clear
    return formatted


@_memoised
def _number_text(value, lang: str, digits: int) -> str:
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_locale(lang))


@_memoised
def _money_text(value, lang: str, currency: str, digits: int) -> str:
    pattern = Locale.parse(_locale(lang)).currency_formats["standard"].pattern
    decimals = "." + "#" * digits if digits else ""
    pattern = pattern.replace("#,##0.00", "#,##0" + decimals)
    return format_currency(value, currency, format=pattern, locale=_locale(lang), currency_digits=False)


@_memoised
def _percent_text(value, lang: str, digits: int) -> str:
    pattern = Locale.parse(_locale(lang)).percent_formats[None].pattern
    if digits:
        pattern = pattern.replace("#,##0", "#,##0." + "0" * digits)
    return format_percent(value, format=pattern, locale=_locale(lang))


@_memoised
def _date_text(value, lang: str, style: str) -> str:
    return _babel_date(value, format=style, locale=_locale(lang))


def fmt_number(value, lang: str = DEFAULT_LANG, digits: int = 0) -> str:
    """``1234.5`` -> ``1 234,5`` (fr) / ``1,234.5`` (en) with ``digits=1``; ``—`` for a missing value."""
    if _missing(value):
        return "—"
    return _number_text(value, lang, digits)


def fmt_money(value, lang: str = DEFAULT_LANG, currency: str = "EUR", digits: int = 0) -> str:
    """``1234.5`` -> ``1 235 €`` (fr) / ``€1,235`` (en); with ``digits=1``: ``1 234,5 €``."""
    if _missing(value):
        return "—"
    return _money_text(value, lang, currency, digits)


def fmt_percent(value, lang: str = DEFAULT_LANG, digits: int = 0) -> str:
    """``0.4567`` -> ``46 %`` (fr) / ``46%`` (en)."""
    if _missing(value):
        return "—"
    return _percent_text(value, lang, digits)


def fmt_date(value: dt.date | None, lang: str = DEFAULT_LANG, style: str = "medium") -> str:
    if value is None:
        return "—"
    return _date_text(value, lang, style)


@lru_cache(maxsize=4)
def _country_translation(lang: str):
    import pycountry

    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def country_name(iso3: str | None, lang: str = DEFAULT_LANG) -> str:
    """The country's common name in ``lang``; blank ISO3 = regional / headquarters."""
    import pycountry

    if not isinstance(iso3, str) or not iso3:  # blank, None or a pandas NaN
        return t("country.regional", lang)
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return iso3
    name = getattr(country, "common_name", None) or country.name
    return _country_translation(lang).gettext(name)
