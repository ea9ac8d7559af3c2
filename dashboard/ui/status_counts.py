"""The two status counts as every page and the board pack write them (docs/METRICS.md Precision
15): indicators at programme level (:func:`dashboard.progress.programme_status_counts`) and
country × indicator rows (:func:`dashboard.progress.country_status_counts`), each under its own
name, which carries the unit."""
from __future__ import annotations

from ..i18n import t
from ..progress import STATUS_ORDER
from . import widgets as w

PROGRAMME, COUNTRY = "sc.programme", "sc.country"


def badges(counts: dict[str, int], lang: str) -> str:
    """Markdown badges "status: n" in the order of the legend (catalogue text only)."""
    return " ".join(f":{w.STATUS_COLOURS[s]}-badge[{t('sc.count', lang, status=w.status_label(s, lang), n=n)}]"
                    for s, n in ((s, counts.get(s)) for s in STATUS_ORDER) if n)


def plain(counts: dict[str, int], lang: str) -> str:
    """The same counts as plain text ("en retard : 4 · …"), for print."""
    return " · ".join(t("sc.count", lang, status=w.status_label(s, lang), n=counts[s])
                      for s in STATUS_ORDER if counts.get(s)) or t("sc.none", lang)


def sections(kpis: dict, countries=()) -> list[tuple[str, dict[str, int]]]:
    """What the Synthèse and the pack list: (name key, counts). The programme-level count is the
    whole programme's, so it is left out when the view is filtered to countries."""
    from ..progress import country_status_counts, programme_status_counts

    found = [] if countries else [(PROGRAMME, programme_status_counts(kpis))]
    return found + [(COUNTRY, country_status_counts(kpis, countries))]


def behind_title(rows: list[dict], countries, lang: str) -> str:
    """The heading of the alerts "behind": the rows listed, counted under the same two names
    (``rows``: the alerts of kind "behind", each with its ``country``, None at programme level)."""
    at_programme = sum(1 for r in rows if r["country"] is None)
    parts = [] if countries else [t("sc.unit_count", lang, unit=t(PROGRAMME, lang), n=at_programme)]
    parts.append(t("sc.unit_count", lang, unit=t(COUNTRY, lang), n=len(rows) - at_programme))
    return t("sc.alerts_behind", lang, counts=" ; ".join(parts) if lang == "fr" else "; ".join(parts))
