"""Strings of the training-reach and country-progress pages and of their maps (French first)."""

STRINGS: dict[str, dict[str, str]] = {
    # --- training page: headline ---------------------------------------------------------------
    "tr.title": {"fr": "Formations et portée — {code}", "en": "Training reach — {code}"},
    "tr.empty": {
        "fr": "Aucune session commencée à cette date dans ce périmètre : il faut les feuilles sessions et "
              "attendance du modèle (et organisations pour les structures des participants). Vous pouvez aussi "
              "reculer ou avancer la date de situation.",
        "en": "No session started by this date in this scope: it needs the template's sessions and attendance "
              "sheets (and organisations for the participants' organisations). You can also move the as-of date.",
    },
    "tr.sessions": {"fr": "Sessions", "en": "Sessions"},
    "tr.sessions_help": {"fr": "{attendances} présences (une par participant et par session).",
                         "en": "{attendances} attendances (one per participant and session)."},
    "tr.participants": {"fr": "Personnes distinctes", "en": "Distinct participants"},
    "tr.participants_help": {"fr": "Chaque personne compte une fois, quel que soit le nombre de sessions suivies.",
                             "en": "Each person counts once, however many sessions they attended."},
    "tr.organisations": {"fr": "Organisations distinctes", "en": "Distinct organisations"},
    "tr.organisations_help": {"fr": "Organisations ayant envoyé au moins un participant.",
                              "en": "Organisations that sent at least one participant."},
    "tr.women": {"fr": "Part de femmes", "en": "Women share"},
    "tr.women_help": {"fr": "Parmi les personnes de sexe connu ; sexe non renseigné : {unknown} des personnes.",
                      "en": "Among people whose sex is known; sex not recorded: {unknown} of people."},
    "tr.hours": {"fr": "Heures-participant", "en": "Participant-hours"},
    "tr.hours_help": {"fr": "Somme, sur chaque présence, des heures de la session.",
                      "en": "Sum over every attendance of the session's hours."},
    "tr.repeat": {"fr": "Participants revenus", "en": "Repeat participants"},
    "tr.repeat_help": {"fr": "Personnes ayant suivi au moins 2 sessions ({share} des personnes).",
                       "en": "People who attended at least 2 sessions ({share} of people)."},
    "tr.suppressed": {
        "fr": "Petits effectifs masqués : un nombre de personnes de 1 à {max} s'affiche « < {n} » ; pour qu'aucune "
              "somme ni différence ne le redonne, d'autres chiffres sont masqués aussi (« n.d. », non diffusé), et "
              "les parts, heures-participant et progrès calculés à partir d'eux ne sont pas affichés.",
        "en": "Small counts hidden: a number of people from 1 to {max} shows as \"< {n}\"; so that no sum or "
              "difference gives it back, other figures are withheld too (\"n.d.\", not disclosed), and the shares, "
              "participant-hours and progress computed from them are not shown.",
    },
    # --- training page: charts -----------------------------------------------------------------
    "ch.tr_month": {"fr": "Sessions par mois et personnes touchées en cumul (nombre, au {as_of})",
                    "en": "Sessions per month and people reached so far (number, as of {as_of})"},
    "ch.tr_sessions": {"fr": "Sessions du mois", "en": "Sessions in the month"},
    "ch.tr_sessions_axis": {"fr": "Sessions", "en": "Sessions"},
    "ch.tr_reached": {"fr": "Personnes distinctes touchées (cumul)", "en": "Distinct people reached (cumulative)"},
    "ch.tr_reached_axis": {"fr": "Personnes (cumul)", "en": "People (cumulative)"},
    "ch.tr_kind": {"fr": "Sessions par type (nombre de sessions, au {as_of})",
                   "en": "Sessions by kind (number of sessions, as of {as_of})"},
    "ch.tr_theme": {"fr": "Sessions par thème (nombre de sessions, au {as_of})",
                    "en": "Sessions by theme (number of sessions, as of {as_of})"},
    "ch.tr_country": {"fr": "Personnes formées par pays (personnes distinctes, au {as_of})",
                      "en": "People trained by country (distinct people, as of {as_of})"},
    "ch.tr_org_type": {"fr": "Organisations touchées par type (organisations distinctes, au {as_of})",
                       "en": "Organisations reached by type (distinct organisations, as of {as_of})"},
    "ch.tr_sex_age": {"fr": "Participants par tranche d'âge et par sexe (personnes distinctes, au {as_of})",
                      "en": "Participants by age band and sex (distinct people, as of {as_of})"},
    "tr.hover_people": {"fr": "{kind} : {participants} personnes distinctes, {hours} heures-participant",
                        "en": "{kind}: {participants} distinct people, {hours} participant-hours"},
    "tr.hover_sessions": {"fr": "{place} : {sessions} sessions", "en": "{place}: {sessions} sessions"},
    "tr.hover_org": {"fr": "{type} : {participants} participants", "en": "{type}: {participants} participants"},
    "tr.no_theme": {"fr": "(sans thème)", "en": "(no theme)"},
    "tr.country_note": {
        "fr": "Une personne compte dans chaque pays où elle a suivi une session : la somme des pays peut dépasser "
              "le total de personnes distinctes. « Régional / siège » : sessions régionales ou en ligne.",
        "en": "A person counts in every country where they attended a session: the countries may add up to more "
              "than the distinct total. \"Regional / HQ\": regional or online sessions.",
    },
    "tr.org_note": {
        "fr": "Chaque organisation a un type ; les personnes venues sans organisation n'apparaissent dans aucun.",
        "en": "Each organisation has one type; people who came without an organisation are in none.",
    },
    "tr.sex_age_note": {
        "fr": "Sexe : la valeur renseignée sur l'une des présences de la personne. Tranche d'âge : celle de sa "
              "session la plus récente qui en indique une.",
        "en": "Sex: the value recorded on any of the person's attendances. Age band: the one of their most recent "
              "session that records one.",
    },
    "tr.kind.training": {"fr": "Formation", "en": "Training"},
    "tr.kind.field_visit": {"fr": "Visite de terrain", "en": "Field visit"},
    "tr.kind.exchange": {"fr": "Échange", "en": "Exchange"},
    "tr.kind.workshop": {"fr": "Atelier", "en": "Workshop"},
    "tr.kind.webinar": {"fr": "Webinaire", "en": "Webinar"},
    "tr.kind.other": {"fr": "Autre", "en": "Other"},
    "tr.orgtype.local_association": {"fr": "Association locale", "en": "Local association"},
    "tr.orgtype.diaspora_association": {"fr": "Association de la diaspora", "en": "Diaspora association"},
    "tr.orgtype.network": {"fr": "Réseau", "en": "Network"},
    "tr.orgtype.ngo": {"fr": "ONG", "en": "NGO"},
    "tr.orgtype.public_authority": {"fr": "Administration publique", "en": "Public authority"},
    "tr.orgtype.local_authority": {"fr": "Collectivité territoriale", "en": "Local authority"},
    "tr.orgtype.international_organisation": {"fr": "Organisation internationale", "en": "International organisation"},
    "tr.orgtype.other": {"fr": "Autre", "en": "Other"},
    "tr.age.under_25": {"fr": "Moins de 25 ans", "en": "Under 25"},
    "tr.age.from_25": {"fr": "25 à 34 ans", "en": "25 to 34"},
    "tr.age.from_35": {"fr": "35 à 49 ans", "en": "35 to 49"},
    "tr.age.from_50": {"fr": "50 ans et plus", "en": "50 and over"},
    "tr.age.unknown": {"fr": "Âge non renseigné", "en": "Age not recorded"},
    "tr.sex.f": {"fr": "Femmes", "en": "Women"},
    "tr.sex.m": {"fr": "Hommes", "en": "Men"},
    "tr.sex.x": {"fr": "Autre / ne se prononce pas", "en": "Other / prefers not to say"},
    "tr.sex.unknown": {"fr": "Sexe non renseigné", "en": "Sex not recorded"},
    # --- training page: reach against targets, map, session table -------------------------------
    "tr.reach": {"fr": "Portée au regard des cibles du cadre logique", "en": "Reach against the logframe targets"},
    "tr.no_reach": {
        "fr": "Aucun indicateur calculé à partir des sessions. Dans la feuille indicators, renseignez computed_from "
              "(sessions, participants ou organisations) et ajoutez ses cibles dans la feuille targets.",
        "en": "No indicator is computed from the sessions. In the indicators sheet, fill in computed_from "
              "(sessions, participants or organisations) and add its targets in the targets sheet.",
    },
    "tr.reach_note": {
        "fr": "Indicateurs calculés à partir des sessions rattachées à leur nœud du cadre logique ou aux nœuds en "
              "dessous. Dans les temps : à ±{band} de la valeur attendue à cette date.",
        "en": "Indicators computed from the sessions linked to their logframe node or to the nodes below it. On "
              "track: within ±{band} of the value expected by now.",
    },
    "tr.col.counts": {"fr": "Compte", "en": "Counts"},
    "tr.computed.sessions": {"fr": "sessions", "en": "sessions"},
    "tr.computed.participants": {"fr": "personnes distinctes", "en": "distinct people"},
    "tr.computed.organisations": {"fr": "organisations distinctes", "en": "distinct organisations"},
    "tr.map": {"fr": "Carte des sessions (bulles : nombre de participants, au {as_of})",
               "en": "Map of sessions (bubbles: number of participants, as of {as_of})"},
    "tr.map_note": {
        "fr": "Une bulle par session, de surface proportionnelle à ses participants ; une session sans coordonnées "
              "est placée au centre de son pays. Fonds de carte : {credit}.",
        "en": "One bubble per session, its area proportional to its participants; a session without coordinates "
              "is placed at the centre of its country. Country shapes: {credit}.",
    },
    "tr.unplaced": {
        "fr": "{n} session(s) régionale(s) ou en ligne sans coordonnées ne figurent pas sur la carte :",
        "en": "{n} regional or online session(s) without coordinates are not on the map:",
    },
    "tr.sessions_table": {"fr": "Sessions", "en": "Sessions"},
    "tr.sessions_recent": {"fr": "Les {shown} sessions les plus récentes sur {total}, de la plus récente à la "
                                 "plus ancienne ; les fichiers CSV et Excel les contiennent toutes.",
                           "en": "The {shown} most recent of {total} sessions, latest first; the CSV and Excel "
                                 "files hold them all."},
    "tr.col.date": {"fr": "Date", "en": "Date"},
    "tr.col.end": {"fr": "Fin", "en": "End"},
    "tr.col.title": {"fr": "Intitulé", "en": "Title"},
    "tr.col.city": {"fr": "Lieu", "en": "Place"},
    "tr.col.country": {"fr": "Pays", "en": "Country"},
    "tr.col.kind": {"fr": "Type", "en": "Kind"},
    "tr.col.activity": {"fr": "Activité", "en": "Activity"},
    "tr.col.theme": {"fr": "Thème", "en": "Theme"},
    "tr.col.participants": {"fr": "Participants", "en": "Participants"},
    "tr.col.hours": {"fr": "Heures", "en": "Hours"},
    # --- maps ----------------------------------------------------------------------------------
    "map.session_tooltip": {"fr": "{date} · {title}\n{place}\n{participants} participants",
                            "en": "{date} · {title}\n{place}\n{participants} participants"},
    "map.country_progress": {"fr": "{country} : {progress}", "en": "{country}: {progress}"},
    "map.no_data": {"fr": "pas de données", "en": "no data"},
    "map.outside": {"fr": "hors programme", "en": "outside the programme"},
    # --- progress page -------------------------------------------------------------------------
    "pg.title": {"fr": "Progrès par pays — {code}", "en": "Country progress — {code}"},
    "pg.empty": {
        "fr": "Ce programme n'a pas encore d'indicateur : il faut les feuilles logframe, indicators et targets "
              "(cibles) du modèle, puis measurements (mesures).",
        "en": "This programme has no indicator yet: it needs the template's logframe, indicators and targets "
              "sheets, then measurements.",
    },
    "pg.picker": {"fr": "Pays", "en": "Country"},
    "pg.all_countries": {"fr": "Tous les pays", "en": "All countries"},
    "pg.card_programme": {"fr": "Ensemble du programme", "en": "Whole programme"},
    "pg.card_budget": {"fr": "Budget exécuté : {execution} pour {elapsed} du temps écoulé.",
                       "en": "Budget spent: {execution} for {elapsed} of the time elapsed."},
    "pg.budget_status": {"fr": "budget : {status}", "en": "budget: {status}"},
    "pg.card_people": {"fr": "Personnes formées dans le pays : {n}", "en": "People trained in the country: {n}"},
    "pg.status_count": {"fr": "{status} : {n}", "en": "{status}: {n}"},
    "pg.no_rows": {"fr": "Aucune ligne d'indicateur.", "en": "No indicator row."},
    "pg.rule": {
        "fr": "Progrès : moyenne des taux de réalisation (bornés à 0–100 %) des lignes d'indicateur dues et "
              "renseignées. Une ligne est dans les temps si son rythme (réalisé depuis la référence ÷ attendu à "
              "cette date) est entre {low} et {high} (±{band}), en avance au-delà, en retard en deçà ; « non "
              "renseigné » (ni cible ou ni mesure) et « pas encore dû » (rien d'attendu à cette date) ne comptent "
              "jamais pour 0 %.",
        "en": "Progress: mean achievement (clamped to 0–100%) of the indicator rows that are due and reported. A row "
              "is on track when its pace (achieved since the baseline ÷ expected by now) is between {low} and "
              "{high} (±{band}), ahead above, behind below; \"non-reporting\" (no target or no measurement) and "
              "\"not due\" (nothing expected yet) never count as 0%.",
    },
    "pg.tree": {"fr": "Cadre logique et indicateurs (au {as_of})", "en": "Logframe and indicators (as of {as_of})"},
    "pg.tree_note": {
        "fr": "Pour chaque indicateur : une ligne « ensemble du programme » (somme des pays, moyenne pour les "
              "pourcentages), une ligne régionale s'il a des cibles régionales, puis une ligne par pays. Réalisation "
              "= part de la cible finale atteinte depuis la référence ; rythme = réalisé ÷ attendu à cette date.",
        "en": "For each indicator: a \"whole programme\" row (sum of the countries, mean for percentages), a "
              "regional row when it has regional targets, then one row per country. Achievement = share of the "
              "final target reached since the baseline; pace = achieved ÷ expected by now.",
    },
    "pg.col.logframe": {"fr": "Cadre logique", "en": "Logframe"},
    "pg.col.node": {"fr": "Nœud", "en": "Node"},
    "pg.col.indicator": {"fr": "Indicateur", "en": "Indicator"},
    "pg.col.label": {"fr": "Libellé", "en": "Label"},
    "pg.col.scope": {"fr": "Périmètre", "en": "Scope"},
    "pg.col.baseline": {"fr": "Référence", "en": "Baseline"},
    "pg.col.target": {"fr": "Cible finale", "en": "Final target"},
    "pg.col.expected": {"fr": "Attendu à date", "en": "Expected by now"},
    "pg.col.actual": {"fr": "Réalisé", "en": "Actual"},
    "pg.col.achievement": {"fr": "Réalisation", "en": "Achievement"},
    "pg.col.pace": {"fr": "Rythme", "en": "Pace"},
    "pg.col.status": {"fr": "État", "en": "Status"},
    "pg.heatmap": {"fr": "Résultats × pays", "en": "Results × countries"},
    "ch.pg_heatmap": {"fr": "Progrès par résultat et par pays (% de la cible finale atteinte, au {as_of})",
                      "en": "Progress by result and country (% of the final target reached, as of {as_of})"},
    "pg.heatmap_note": {
        "fr": "Chaque case : progrès des indicateurs du résultat et de ses activités dans ce pays. Gris : aucune "
              "ligne due et renseignée. Les indicateurs de l'objectif global et des objectifs spécifiques figurent "
              "dans le tableau ci-dessus.",
        "en": "Each cell: progress of the indicators of the result and of its activities in that country. Grey: no "
              "row due and reported. The indicators of the goal and of the objectives are in the table above.",
    },
    "pg.no_results": {
        "fr": "Le cadre logique n'a pas de résultat (niveau result) : ajoutez-en dans la feuille logframe.",
        "en": "The logframe has no result (level result): add some in the logframe sheet.",
    },
    "pg.map": {"fr": "Progrès par pays (% de la cible finale atteinte en moyenne, au {as_of})",
               "en": "Progress by country (mean % of the final target reached, as of {as_of})"},
    "pg.map_note": {
        "fr": "Gris : pays du programme sans progrès calculable (aucune ligne due et renseignée). "
              "Fonds de carte : {credit}.",
        "en": "Grey: programme country with no computable progress (no row due and reported). "
              "Country shapes: {credit}.",
    },
}
