"""What goes into a pack, taken from the pages' own models through :mod:`dashboard.ui.scoped`
(so a funder's pack has exactly what the funder's pages have: no other funder's money, small cells
suppressed), formatted as the pages format it. Nothing is recomputed here: the figures are the
page models' (and ``kpis``'s, for the overview's headline figures), the texts are the catalogue's.

Works outside a Streamlit run (the command line): the cached functions of ``dashboard.ui`` then use
an in-memory cache, keyed by the data version read from the database.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from ..auth import Scope
from ..db import records
from ..finance import stress_test
from ..i18n import country_name, fmt_date, fmt_money, fmt_number, fmt_percent, t
from .. import disclosure
from ..kpis import progress_for
from ..metrics.funding import band
from ..metrics.thresholds import DEFAULT as TH
from ..ui import data, scoped
from ..ui import comments as ui_comments
from ..ui import status_counts as sc
from ..ui import widgets as w


def headline_rows(scope: Scope, k: dict, countries, lang: str) -> list[dict]:
    """The overview's headline figures, as the overview formats them: figure, value, status (a
    status key or None) and the rule with its thresholds."""
    b, fu, tr = k["budget"], k["funding"], k["training"]
    rows = [
        {"figure": t("ov.execution", lang), "value": fmt_percent(b["execution"], lang), "status": b["status"],
         "rule": t("ov.execution_help", lang, spent=fmt_money(b["spent"], lang), budget=fmt_money(b["budget"], lang),
                   elapsed=fmt_percent(b["elapsed"], lang))},
        {"figure": t("ov.burn", lang), "value": fmt_number(b["burn_index"], lang, 2), "status": b["status"],
         "rule": t("ov.burn_rule", lang, over=fmt_number(TH.overspend_burn, lang, 2),
                   under=fmt_number(TH.underspend_burn, lang, 2),
                   min_elapsed=fmt_percent(TH.underspend_min_elapsed, lang))},
    ]
    if scope.sees_internal_finance:
        rows += [
            {"figure": t("ov.coverage", lang), "value": fmt_percent(b["coverage"], lang), "status": None,
             "rule": t("ov.coverage_help", lang, signed=fmt_money(b["funding_signed"], lang),
                       gap=fmt_money(b["gap"], lang))},
            {"figure": t("ov.cash", lang), "value": fmt_money(b["cash_exposure"], lang), "status": None,
             "rule": t("ov.cash_help", lang, received=fmt_money(b["received"], lang))},
            {"figure": t("ov.concentration", lang), "value": fmt_number(fu["hhi"], lang, 2), "status": fu["band"],
             "rule": t("ov.concentration_rule", lang, hhi=fmt_number(fu["hhi"] and fu["hhi"] * 10000, lang),
                       effective=fmt_number(fu["effective_funders"], lang, 1),
                       low=fmt_number(TH.hhi_diversified, lang, 2), high=fmt_number(TH.hhi_concentrated, lang, 2))},
        ]
    people = tr["participants"]  # disclosed already for a funder (scoped.kpis), as on the overview
    rows.append({"figure": t("ov.people", lang),
                 "value": people if isinstance(people, str) else fmt_number(people, lang), "status": None,
                 "rule": t("ov.people_help", lang, organisations=fmt_number(tr["organisations"], lang),
                           sessions=fmt_number(tr["sessions"], lang))})
    statuses = ("; " if lang == "en" else " ; ").join(f"{t(unit, lang)} — {sc.plain(counts, lang)}"
                                                      for unit, counts in sc.sections(k, countries)) \
        if k["indicators"] else ""
    progress = (disclosure.progress_for(k, countries) if scope.suppress_small_cells  # as on the overview
                else progress_for(k, countries))
    rows.append({"figure": t("ov.progress", lang),
                 "value": progress if isinstance(progress, str) else fmt_percent(progress, lang),
                 "status": None, "rule": t("ov.progress_rule", lang, band=fmt_percent(TH.pace_band, lang))
                 + (f" {t('ov.statuses', lang)}{' :' if lang == 'fr' else ':'} {statuses}." if statuses else "")})
    return rows


def _line_rows(m: dict, lang: str, statuses: tuple[str, ...]) -> pd.DataFrame:
    lines = m["lines"]
    wanted = {w.status_label(s, lang) for s in statuses}
    return lines[lines[t("bu.col.status", lang)].isin(wanted)]


def gather(scope: Scope, programme: str, as_of: dt.date | None, countries, lang: str) -> dict:
    """Every section of the pack for ``scope``: a dict of plain values, tables (DataFrames of the
    page models) and charts (the page models' plotly dicts)."""
    prog = scoped.programme(scope, programme)
    as_of = as_of or data.default_as_of(programme)
    known = scoped.countries_of(scope, programme)
    # The countries the pack covers: the filter's, within what the account may see (a
    # country-restricted account's "all countries" is its own countries).
    countries = scope.visible_countries(tuple(c for c in sorted(countries or ()) if c in known))
    k = scoped.kpis(scope, programme, as_of, countries)
    p = {"prog": prog, "as_of": as_of, "countries": countries, "lang": lang,
         "internal": scope.sees_internal_finance, "elapsed": k["budget"]["elapsed"],
         "headline": headline_rows(scope, k, countries, lang), "demo": data.is_demo()}

    if scope.sees_internal_finance:
        from ..ui.pages import budget, funding

        bm = scoped.internal_model(scope, budget.model, programme, as_of, countries, lang)
        p["budget"] = None if bm["empty"] else {
            "b": bm["b"], "curve": bm["curve"], "by_country": bm["by_country"],
            "over": _line_rows(bm, lang, ("over_budget", "overspend")),
            "under": _line_rows(bm, lang, ("underspend",)),
            "lines": records(data.budget_lines(programme, as_of, scope.visible_countries(countries)))}
        fm = scoped.funding_model(scope, funding.model, programme, as_of, lang)
        p["funding"] = None if fm["signed_empty"] else _funding_section(fm, lang)
    else:
        p["budget"] = p["funding"] = None

    from ..ui.pages import progress, training

    tm = scoped.read_model(scope, training.model, programme, as_of, countries, lang)
    p["training"] = None if tm["empty"] else {"headline": tm["headline"], "hide": tm["hide"],
                                              "by_month": tm["by_month"], "by_country": tm["by_country"],
                                              "reach": tm["reach_shown"]}
    picked = (countries[0],) if len(countries) == 1 else ()  # as the progress page's picker
    pm = scoped.read_model(scope, progress.model, programme, as_of, picked, lang)
    p["progress"] = None if pm["empty"] else {"cards": pm["cards"], "tree": pm["tree"]}
    p["alerts"] = scoped.alerts(scope, programme, as_of, countries)
    found = ui_comments.visible(scope, programme, as_of, countries)
    p["comments"] = found
    p["expected"] = [] if not scope.writes else ui_comments.expected(
        scope, programme, as_of, countries, found, p["budget"]["lines"] if p["budget"] else [])
    return p


def _funding_section(fm: dict, lang: str) -> dict:
    figures, amounts, names = fm["figures"], fm["amounts"], fm["names"]
    top = figures["top_funder"]
    result = stress_test(amounts, top, fm["budget"])  # as the page's stress test, for the largest funder
    cliff = fm.get("cliff_table")
    flag = t("fu.col.flag", lang)
    return {
        "figures": figures, "top_name": fm["top_name"], "by_funder": fm["by_funder"], "shares": fm["shares"],
        "cliff": None if cliff is None else cliff[cliff[flag]].drop(columns=[flag]),
        "stress": {"funder": f"{names[top]} ({top})", "coverage": fmt_percent(result["coverage"], lang),
                   "now": fmt_percent(figures["total_signed"] / fm["budget"] if fm["budget"] else None, lang),
                   "gap": fmt_money(result["gap"], lang), "hhi": fmt_number(result["hhi"], lang, 2),
                   "band": w.status_label(band(result["hhi"]), lang)},
    }


def organisation(scope: Scope, lang: str) -> list[dict]:
    """The organisation's programmes, each at its default as-of date: the overview's headline
    figures of each (for a pack of the whole organisation)."""
    out = []
    for code in scoped.programmes(scope)["code"]:
        as_of = data.default_as_of(code)
        k = scoped.kpis(scope, code, as_of, ())
        out.append({"prog": scoped.programme(scope, code), "as_of": as_of, "elapsed": k["budget"]["elapsed"],
                    "headline": headline_rows(scope, k, (), lang)})
    return out


def gather_organisation(scope: Scope, as_of: dt.date | None, lang: str) -> dict:
    """The pack of the whole organisation: every programme's headline figures and the funding
    page's organisation model at ``as_of`` (default: today). Roles that see every programme only
    (:func:`scoped.funding_model` refuses the others)."""
    from ..ui.pages import funding

    as_of = as_of or dt.date.today()
    fm = scoped.funding_model(scope, funding.model, None, as_of, lang)
    return {"org": True, "as_of": as_of, "lang": lang, "countries": (), "demo": data.is_demo(),
            "programmes": organisation(scope, lang),
            "funding": None if fm["signed_empty"] else _funding_section(fm, lang)}


def where_text(comment: dict, lang: str) -> str:
    """"Indicator I1.1 · Senegal" as the pack and the pages name an explained item."""
    subject = t(f"com.subject.{comment['subject']}", lang)
    place = country_name(comment["country_iso3"], lang) if comment["country_iso3"] else t("com.where_programme", lang)
    if comment["subject"] == "country":
        return f"{subject} · {place}"
    return f"{subject} {comment['code']} · {place}"


def period_text(day: dt.date, lang: str) -> str:
    return t("com.period", lang, date=fmt_date(day, lang))
