"""The empty import template: one sheet per table with its headers, and a README sheet
(``LISEZ-MOI``, which the importer ignores) explaining every column in French and English."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from .spec import SHEETS

# (French, English) for every column, as in docs/DATA_CONTRACT.md.
HELP: dict[str, dict[str, tuple[str, str]]] = {
    "programmes": {
        "code": ("Code court du programme, ex. PCRPM-C2", "Short programme code, e.g. PCRPM-C2"),
        "name": ("Nom complet", "Full name"),
        "start_date": ("Début (AAAA-MM-JJ)", "Start (YYYY-MM-DD)"),
        "end_date": ("Fin, après le début", "End, after the start"),
        "lead_organisation": ("Organisation cheffe de file (facultatif)", "Lead organisation (optional)"),
        "description": ("Description (facultatif)", "Description (optional)"),
    },
    "logframe": {
        "programme_code": ("Code du programme", "Programme code"),
        "code": ("Code du nœud : OG, OS1, R1.1, A1.1.1…", "Node code: OG, OS1, R1.1, A1.1.1…"),
        "level": ("goal, objective, result ou activity", "goal, objective, result or activity"),
        "parent_code": ("Nœud parent, un niveau au-dessus (vide pour l'objectif global)",
                        "Parent node, one level up (blank for the goal)"),
        "title": ("Intitulé", "Title"),
        "description": ("Description (facultatif)", "Description (optional)"),
    },
    "indicators": {
        "programme_code": ("Code du programme", "Programme code"),
        "code": ("Code de l'indicateur", "Indicator code"),
        "logframe_code": ("Nœud du cadre logique mesuré", "Logframe node it measures"),
        "label": ("Libellé, ex. Nombre d'OSC formées", "Label, e.g. Number of CSOs trained"),
        "unit": ("count, percent, currency ou other", "count, percent, currency or other"),
        "direction": ("increase (défaut) ou decrease", "increase (default) or decrease"),
        "aggregation": ("sum (chaque mesure = réalisé de la période, défaut) ou latest (niveau atteint)",
                        "sum (each measurement = achieved in its period, default) or latest (level reached)"),
        "baseline": ("Valeur de référence (défaut 0)", "Baseline (default 0)"),
        "computed_from": ("Vide = mesures saisies ; ou sessions, participants, organisations (calculé)",
                          "Blank = measurements; or sessions, participants, organisations (computed)"),
    },
    "targets": {
        "programme_code": ("Code du programme", "Programme code"),
        "indicator_code": ("Code de l'indicateur", "Indicator code"),
        "country_iso3": ("Pays ISO3 (vide = cible régionale)", "ISO3 country (blank = regional target)"),
        "period_end": ("Date à laquelle la valeur doit être atteinte", "Date by which the value is due"),
        "target": ("Valeur cumulée à atteindre", "Cumulative value to reach"),
    },
    "measurements": {
        "programme_code": ("Code du programme", "Programme code"),
        "indicator_code": ("Code de l'indicateur", "Indicator code"),
        "country_iso3": ("Pays ISO3 (vide = régional)", "ISO3 country (blank = regional)"),
        "period_end": ("Fin de la période de suivi", "End of the reporting period"),
        "value": ("Valeur (voir aggregation)", "Value (see aggregation)"),
        "source": ("Source de vérification (facultatif)", "Means of verification (optional)"),
        "comment": ("Commentaire (facultatif)", "Comment (optional)"),
    },
    "funders": {
        "code": ("Code du bailleur, ex. AFD", "Funder code, e.g. AFD"),
        "name": ("Nom", "Name"),
        "type": ("public_bilateral, multilateral, european_union, local_authority, foundation, private_donors, "
                 "corporate, partner_cofinancing, own_funds, other", "same list"),
        "country_iso3": ("Pays ISO3 (facultatif)", "ISO3 country (optional)"),
        "iati_ref": ("Identifiant d'organisation IATI, ex. FR-6 (facultatif)",
                     "IATI organisation identifier, e.g. FR-6 (optional)"),
    },
    "grants": {
        "code": ("Référence de la convention", "Agreement reference"),
        "funder_code": ("Code du bailleur", "Funder code"),
        "programme_code": ("Code du programme", "Programme code"),
        "status": ("prospect, submitted, signed ou rejected", "prospect, submitted, signed or rejected"),
        "amount": ("Montant total", "Total amount"),
        "currency": ("Devise ISO 4217 (EUR, XOF…)", "ISO 4217 currency (EUR, XOF…)"),
        "signed_date": ("Date de signature (obligatoire si signed)", "Signature date (required if signed)"),
        "start_date": ("Début de la période couverte (facultatif)", "Start of the period covered (optional)"),
        "end_date": ("Fin de la période couverte (facultatif)", "End of the period covered (optional)"),
        "probability": ("0 à 1 pour les demandes (défaut 0,25 prospect, 0,5 submitted)",
                        "0 to 1 for applications (default 0.25 prospect, 0.5 submitted)"),
        "in_kind": ("true si apport valorisé en nature (défaut false)", "true for an in-kind contribution"),
    },
    "receipts": {
        "grant_code": ("Référence de la convention", "Agreement reference"),
        "date": ("Date de l'encaissement", "Date received"),
        "reference": ("Référence bancaire (facultatif)", "Bank reference (optional)"),
        "amount": ("Montant reçu", "Amount received"),
        "currency": ("Devise ISO 4217", "ISO 4217 currency"),
    },
    "budget_lines": {
        "programme_code": ("Code du programme", "Programme code"),
        "code": ("Code de la ligne, ex. SEN-ACT-01", "Line code, e.g. SEN-ACT-01"),
        "country_iso3": ("Pays ISO3 (vide = régional / siège)", "ISO3 country (blank = regional / HQ)"),
        "category": ("personnel, activities, travel, equipment, services, overheads, other", "same list"),
        "logframe_code": ("Activité ou résultat financé (facultatif)", "Activity or result funded (optional)"),
        "label": ("Libellé", "Label"),
        "amount": ("Montant prévu sur toute la période", "Planned amount for the whole period"),
        "currency": ("Devise ISO 4217", "ISO 4217 currency"),
    },
    "expenditures": {
        "programme_code": ("Code du programme", "Programme code"),
        "reference": ("N° de pièce comptable, unique dans le programme", "Voucher number, unique in the programme"),
        "budget_line_code": ("Code de la ligne budgétaire", "Budget line code"),
        "date": ("Date de la dépense", "Date of the expense"),
        "amount": ("Montant (négatif = avoir / correction)", "Amount (negative = credit note)"),
        "currency": ("Devise ISO 4217", "ISO 4217 currency"),
        "grant_code": ("Convention imputée (facultatif)", "Grant charged (optional)"),
        "description": ("Description (facultatif)", "Description (optional)"),
    },
    "organisations": {
        "code": ("Code de l'organisation", "Organisation code"),
        "name": ("Nom", "Name"),
        "country_iso3": ("Pays ISO3", "ISO3 country"),
        "type": ("local_association, diaspora_association, network, ngo, public_authority, local_authority, "
                 "international_organisation, other", "same list"),
        "city": ("Ville (facultatif)", "City (optional)"),
        "iati_ref": ("Identifiant d'organisation IATI (facultatif)", "IATI organisation identifier (optional)"),
    },
    "sessions": {
        "code": ("Code de la session", "Session code"),
        "programme_code": ("Code du programme", "Programme code"),
        "logframe_code": ("Activité mise en œuvre, ex. A2.1.3", "Activity implemented, e.g. A2.1.3"),
        "title": ("Intitulé", "Title"),
        "kind": ("training, field_visit, exchange, workshop, webinar, other", "same list"),
        "country_iso3": ("Pays ISO3 (vide = régional / en ligne)", "ISO3 country (blank = regional / online)"),
        "city": ("Ville (facultatif)", "City (optional)"),
        "latitude": ("Latitude (facultatif, sinon centre du pays)", "Latitude (optional)"),
        "longitude": ("Longitude (facultatif)", "Longitude (optional)"),
        "start_date": ("Début", "Start"),
        "end_date": ("Fin", "End"),
        "hours": ("Heures de formation par participant", "Training hours per participant"),
        "theme": ("Thème (facultatif)", "Theme (optional)"),
    },
    "attendance": {
        "session_code": ("Code de la session", "Session code"),
        "participant_key": ("Clé pseudonyme stable (jamais de nom ni d'e-mail)",
                            "Stable pseudonymous key (never a name or e-mail)"),
        "organisation_code": ("Organisation du participant (facultatif)", "Participant's organisation (optional)"),
        "sex": ("F, M, X ou vide", "F, M, X or blank"),
        "age_band": ("<25, 25-34, 35-49, 50+ ou vide", "<25, 25-34, 35-49, 50+ or blank"),
    },
    "fx_rates": {
        "currency": ("Devise (pas EUR, XOF, XAF : taux fixes intégrés)", "Currency (not EUR, XOF, XAF: built in)"),
        "month": ("Mois AAAA-MM", "Month YYYY-MM"),
        "per_eur": ("Unités de la devise pour 1 EUR (ex. TND 3,35)", "Units of the currency for 1 EUR"),
    },
    "comments": {
        "programme_code": ("Code du programme", "Programme code"),
        "subject": ("Objet expliqué : indicator, budget_line ou country",
                    "What is explained: indicator, budget_line or country"),
        "code": ("Code de l'indicateur ou de la ligne budgétaire (vide pour un pays)",
                 "Indicator or budget line code (blank for a country)"),
        "country_iso3": ("Pays (ISO3) ; vide = régional / tout le programme ; pour une ligne : son pays",
                         "Country (ISO3); blank = regional / whole programme; for a line: its country"),
        "period_end": ("Fin de la période de suivi expliquée (AAAA-MM-JJ)", "End of the reporting period explained"),
        "text": ("Explication : ce qui s'est passé, ce qui est prévu (1 000 caractères au plus)",
                 "Explanation: what happened, what is planned (1,000 characters at most)"),
        "shared_with_funders": ("Visible des bailleurs : oui / non (défaut : non)",
                                "Shown to funders: yes / no (default: no)"),
    },
}

INTRO = [
    "Modèle d'import du tableau de bord de suivi des programmes — Programme dashboard import template",
    "Une feuille par table ; la première ligne porte les noms de colonnes exacts. Remplissez les feuilles "
    "utiles, supprimez ou laissez vides les autres. Dates AAAA-MM-JJ ; codes pays ISO3 ; devises ISO 4217.",
    "Tout le classeur est vérifié avant l'écriture : s'il y a une erreur, rien n'est écrit et chaque erreur est "
    "listée (feuille, ligne, colonne, valeur, message). Réimporter le même classeur ne change rien.",
    "One sheet per table; the first row holds the exact column names. The whole workbook is checked before "
    "anything is written. Full reference: docs/DATA_CONTRACT.md.",
]


def template_xlsx() -> bytes:
    book = Workbook()
    readme = book.active
    readme.title = "LISEZ-MOI"
    for line in INTRO:
        readme.append([line])
    readme.append([])
    readme.append(["feuille / sheet", "colonne / column", "obligatoire / required", "français", "English"])
    header_row = readme.max_row
    for name, sheet in SHEETS.items():
        for col in sheet.columns:
            fr, en = HELP[name][col.name]
            readme.append([name, col.name, "oui / yes" if col.required else "non / no", fr, en])
    for cell in readme[header_row]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDE", (16, 20, 14, 70, 60)):
        readme.column_dimensions[column].width = width
    readme["A1"].font = Font(bold=True, size=13)
    for row in readme.iter_rows(min_row=2, max_row=len(INTRO)):
        row[0].alignment = Alignment(wrap_text=False)
    fill = PatternFill("solid", fgColor="DCE6F0")
    for name, sheet in SHEETS.items():
        ws = book.create_sheet(name)
        ws.append(sheet.column_names)
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = fill
            ws.column_dimensions[cell.column_letter].width = max(14, len(cell.value) + 4)
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
