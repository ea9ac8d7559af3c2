"""Strings of the charts and of the phone-friendly page tops (engineer area: charts, sign-in, layout)."""

STRINGS = {
    # the spend curve when no forecast is drawn (the programme has ended by the as-of date, or
    # nothing has been spent yet): its title names only what is drawn
    "chx.spend_curve_no_forecast": {"fr": "Dépenses cumulées et plan linéaire (EUR, au {as_of})",
                                    "en": "Cumulative spending and linear plan (EUR, as of {as_of})"},
    # hover of a funder's bar: its name, code and share
    "chx.funder_hover": {"fr": "Code : {code}", "en": "Code: {code}"},
    # the sign-in page's language switch
    "chx.lang": {"fr": "Langue · Language", "en": "Language · Langue"},
}
STRINGS.update({
    # the line under a page's title: the programme shown (Markdown-escaped code and name)
    "chx.programme": {"fr": "**{code}** — {name}", "en": "**{code}** — {name}"},
    # demo mode, one line under the title (Markdown: the app's own text)
    "chx.demo": {"fr": ":blue[:material/science: **Démo** : montants et participants fictifs.]",
                 "en": ":blue[:material/science: **Demo**: fictitious amounts and participants.]"},
})
STRINGS.update({
    # the sidebar's as-of field (a text field: applied on Enter)
    "chx.as_of_format": {"fr": "JJ/MM/AAAA", "en": "YYYY-MM-DD"},
    "chx.as_of_bad": {"fr": "« {text} » n'est pas une date acceptée : écrivez-la {format}, entre le {low} et "
                            "aujourd'hui ({high}). La date affichée reste en vigueur.",
                      "en": "\"{text}\" is not an accepted date: write it {format}, between {low} and today "
                            "({high}). The date shown still applies."},
})
STRINGS.update({
    # under the spend curve when it draws no forecast (the programme has ended by the as-of date)
    "chx.curve_help_no_forecast": {
        "fr": "Le plan linéaire répartit le budget uniformément sur la durée. Pas de prévision : le programme est "
              "terminé à cette date, la dépense est connue.",
        "en": "The linear plan spreads the budget evenly over the period. No forecast: the programme has ended by "
              "this date, its spending is known.",
    },
})
