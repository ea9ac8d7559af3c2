"""A programme as an IATI 2.03 activities file (one ``iati-activity``), valid against the official
schema. docs/DATA_CONTRACT.md ("IATI 2.03") lists what goes where.

    xml_bytes = export_programme(conn, "PCRPM-C2", as_of=dt.date(2023, 3, 31))

Expenditures are aggregated per budget line, currency, grant and month, each aggregate dated at
the last expenditure it holds (so its conversion month is the month of its expenditures), and
the expenditures after the as-of date are aggregated apart: the figures of ``kpis`` at the as-of
date are those of the database. Indicators computed from sessions (training data, which IATI
does not carry) are published with their actual values as of the as-of date.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import sqlalchemy as sa
from lxml import etree

from .. import schema as s
from ..db import as_date
from ..kpis import _computed_figures, default_as_of, get_programme
from ..metrics import logframe as ml
from . import IATI_VERSION, NS, PREFIX, pm, schema

#: IATI OrganisationType codes for our funder and organisation types (and back, in read.py).
FUNDER_ORG_TYPE = {
    "public_bilateral": "10", "multilateral": "40", "european_union": "40", "local_authority": "11",
    "foundation": "60", "private_donors": "90", "corporate": "70", "partner_cofinancing": "22",
    "own_funds": "22", "other": "90",
}
ORGANISATION_ORG_TYPE = {
    "local_association": "22", "diaspora_association": "22", "network": "21", "ngo": "22",
    "public_authority": "10", "local_authority": "11", "international_organisation": "40", "other": "90",
}
#: IATI ResultType for a logframe level (1 output, 2 outcome, 3 impact, 9 other).
RESULT_TYPE = {"goal": "3", "objective": "2", "result": "1", "activity": "9"}
#: IATI IndicatorMeasure for a unit (1 unit, 2 percentage).
MEASURE = {"count": "1", "percent": "2", "currency": "1", "other": "1"}
#: IATI TransactionType codes used.
INCOMING_COMMITMENT, INCOMING_FUNDS, EXPENDITURE = "11", "1", "4"


class ExportError(Exception):
    """The file would not validate against the schema (a bug: the message lists the errors)."""


def number(value: float) -> str:
    """An ``xsd:decimal`` that reads back as the same float (no exponent)."""
    text = repr(float(value))
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text[:-2] if text.endswith(".0") else text


def _date(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]


_d = as_date  # a date from what the driver returns


def _narrative(parent, tag: str, text: str | None, lang: str = "fr"):
    el = etree.SubElement(parent, tag)
    n = etree.SubElement(el, "narrative")
    n.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
    n.text = text or "-"
    return el


def _set(el, **attrs) -> None:
    """Our extension attributes (``pm:...``), skipping empty values."""
    for name, value in attrs.items():
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, float):
            value = number(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        el.set(pm(name.replace("_", "-")), str(value))


def _value(parent, amount: float, currency: str, value_date) -> None:
    v = etree.SubElement(parent, "value", currency=currency, **{"value-date": _date(value_date)})
    v.text = number(amount)


def _rows(conn, stmt) -> list[dict]:
    return [dict(r._mapping) for r in conn.execute(stmt)]


def _gather(conn, code: str, as_of: dt.date) -> dict:
    prog = get_programme(conn, code)
    t = s
    data = {"prog": prog, "as_of": as_of}
    data["programme"] = _rows(conn, sa.select(t.programmes).where(t.programmes.c.code == code))[0]
    data["nodes"] = _rows(conn, sa.select(t.logframe).where(t.logframe.c.programme_code == code)
                          .order_by(t.logframe.c.code))
    data["indicators"] = _rows(conn, sa.select(t.indicators).where(t.indicators.c.programme_code == code)
                               .order_by(t.indicators.c.code))
    data["targets"] = _rows(conn, sa.select(t.targets).where(t.targets.c.programme_code == code))
    data["measurements"] = _rows(conn, sa.select(t.measurements).where(t.measurements.c.programme_code == code))
    data["grants"] = _rows(conn, sa.select(t.grants).where(t.grants.c.programme_code == code)
                           .order_by(t.grants.c.code))
    grant_codes = [g["code"] for g in data["grants"]]
    data["funders"] = _rows(conn, sa.select(t.funders).where(
        t.funders.c.code.in_({g["funder_code"] for g in data["grants"]})).order_by(t.funders.c.code))
    data["receipts"] = _rows(conn, sa.select(t.receipts).where(t.receipts.c.grant_code.in_(grant_codes))
                             .order_by(t.receipts.c.date, t.receipts.c.grant_code, t.receipts.c.reference))
    data["lines"] = _rows(conn, sa.select(t.budget_lines).where(t.budget_lines.c.programme_code == code)
                          .order_by(t.budget_lines.c.code))
    e = t.expenditures
    upto = sa.case((e.c.date <= as_of, 1), else_=0).label("upto")
    data["spend"] = _rows(conn, sa.select(
        e.c.budget_line_code, e.c.currency, e.c.grant_code, e.c.year, e.c.month, upto,
        sa.func.sum(e.c.amount).label("amount"), sa.func.max(e.c.date).label("date"),
        sa.func.count().label("n"),
    ).where(e.c.programme_code == code).group_by(
        e.c.budget_line_code, e.c.currency, e.c.grant_code, e.c.year, e.c.month, upto,
    ).order_by(e.c.year, e.c.month, e.c.budget_line_code, e.c.currency, e.c.grant_code, upto))
    lead = data["programme"]["lead_organisation"]
    o = t.organisations
    attended = sa.select(t.attendance.c.organisation_code).join(
        t.sessions, t.sessions.c.code == t.attendance.c.session_code).where(t.sessions.c.programme_code == code)
    data["partners"] = _rows(conn, sa.select(o).where(
        sa.or_(o.c.code == (lead or ""), sa.and_(o.c.iati_ref.is_not(None), o.c.code.in_(attended))))
        .order_by(o.c.code))
    currencies = ({r["currency"] for r in data["grants"]} | {r["currency"] for r in data["receipts"]}
                  | {r["currency"] for r in data["lines"]} | {r["currency"] for r in data["spend"]})
    data["rates"] = _rows(conn, sa.select(t.fx_rates).where(t.fx_rates.c.currency.in_(sorted(currencies)))
                          .order_by(t.fx_rates.c.currency, t.fx_rates.c.month))
    data["computed"] = _computed(conn, prog, as_of, data)
    return data


def _computed(conn, prog, as_of, data) -> dict[tuple[str, str], float]:
    """The values of the indicators computed from sessions, per (indicator, country), as of d."""
    parents = {n["code"]: n["parent_code"] for n in data["nodes"]}
    result: dict[tuple[str, str], float] = {}
    for d in data["indicators"]:
        if not d["computed_from"]:
            continue
        ind = ml.Indicator(d["code"], d["logframe_code"], d["unit"], d["direction"], d["aggregation"],
                           float(d["baseline"]), d["computed_from"])
        countries = sorted({t["country_iso3"] for t in data["targets"] if t["indicator_code"] == d["code"]})
        result.update(_computed_figures(conn, prog, as_of, ind, parents, countries))
    return result


def _identifier(prog_code: str, reporting_ref: str) -> str:
    return f"{reporting_ref}-{prog_code}"


def _reporting_ref(data) -> str:
    lead = data["programme"]["lead_organisation"]
    for o in data["partners"]:
        if o["code"] == lead and o["iati_ref"]:
            return o["iati_ref"]
    # no IATI identifier known: the lead organisation's name as letters, digits and dashes
    return re.sub(r"[^A-Za-z0-9]+", "-", lead).strip("-") if lead and lead.strip("- ") else data["programme"]["code"]


def build_activity(data) -> etree._Element:
    """The ``iati-activity`` element of one programme."""
    p, as_of = data["programme"], data["as_of"]
    start, end = _d(p["start_date"]), _d(p["end_date"])
    ref = _reporting_ref(data)
    act = etree.Element("iati-activity", nsmap={PREFIX: NS})
    act.set("default-currency", "EUR")
    act.set("hierarchy", "1")
    act.set("{http://www.w3.org/XML/1998/namespace}lang", "fr")
    _set(act, code=p["code"], lead_organisation=p["lead_organisation"], as_of=as_of)
    etree.SubElement(act, "iati-identifier").text = _identifier(p["code"], ref)
    rep = _narrative(act, "reporting-org", p["lead_organisation"] or p["code"])
    rep.set("ref", ref)
    rep.set("type", "21")
    _narrative(act, "title", p["name"])
    _narrative(act, "description", p["description"] or p["name"]).set("type", "1")

    # participating organisations: funders of signed grants (Funding), partners (Implementing)
    signed_funders = {g["funder_code"] for g in data["grants"] if g["status"] == "signed"}
    for f in data["funders"]:
        if f["code"] not in signed_funders:
            continue
        el = _narrative(act, "participating-org", f["name"])
        el.set("role", "1")
        if f["iati_ref"]:
            el.set("ref", f["iati_ref"])
        el.set("type", FUNDER_ORG_TYPE.get(f["type"], "90"))
        _set(el, code=f["code"], type=f["type"], country=f["country_iso3"])
    partners = data["partners"]
    if not partners:
        el = _narrative(act, "participating-org", p["lead_organisation"] or p["code"])
        el.set("role", "4")
    for o in partners:
        el = _narrative(act, "participating-org", o["name"])
        el.set("role", "4")
        if o["iati_ref"]:
            el.set("ref", o["iati_ref"])
        el.set("type", ORGANISATION_ORG_TYPE.get(o["type"], "90"))
        _set(el, code=o["code"], type=o["type"], country=o["country_iso3"], city=o["city"])

    status = "1" if as_of < start else ("2" if as_of <= end else "3")
    etree.SubElement(act, "activity-status", code=status)
    etree.SubElement(act, "activity-date", type="1", **{"iso-date": start.isoformat()})
    if as_of >= start:
        etree.SubElement(act, "activity-date", type="2", **{"iso-date": start.isoformat()})
    etree.SubElement(act, "activity-date", type="3", **{"iso-date": end.isoformat()})

    # recipient countries (and the regional share) with percentages of the EUR budget
    total = sum(float(line["amount_eur"]) for line in data["lines"])
    by_country: dict[str, float] = {}
    for line in data["lines"]:
        by_country[line["country_iso3"] or ""] = by_country.get(line["country_iso3"] or "", 0.0) + float(
            line["amount_eur"])
    if total > 0:
        shares = {c: round(100 * v / total, 2) for c, v in by_country.items() if v > 0}
        if shares:
            biggest = max(shares, key=lambda c: (shares[c], c))
            shares[biggest] = round(shares[biggest] + 100 - sum(shares.values()), 2)
        for country in sorted(c for c in shares if c):
            el = etree.SubElement(act, "recipient-country", code=_iso2(country), percentage=number(shares[country]))
            _set(el, iso3=country)
        if shares.get(""):
            etree.SubElement(act, "recipient-region", code="998", vocabulary="1", percentage=number(shares[""]))

    # budgets per year (the EUR budget spread over the programme's days)
    days = (end - start).days + 1
    year = start.year
    while total and year <= end.year:
        lo, hi = max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))
        b = etree.SubElement(act, "budget", type="1", status="2")
        etree.SubElement(b, "period-start", **{"iso-date": lo.isoformat()})
        etree.SubElement(b, "period-end", **{"iso-date": hi.isoformat()})
        _value(b, round(total * ((hi - lo).days + 1) / days, 2), "EUR", lo)
        year += 1

    _transactions(act, data)
    _results(act, data)
    _extension(act, data)
    return act


def _iso2(iso3: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_3=iso3)
    return country.alpha_2 if country else iso3


def _transaction(act, kind: str, day, amount: float, currency: str, ref: str | None = None):
    tr = etree.SubElement(act, "transaction")
    if ref:
        tr.set("ref", ref)
    etree.SubElement(tr, "transaction-type", code=kind)
    etree.SubElement(tr, "transaction-date", **{"iso-date": _date(day)})
    _value(tr, amount, currency, day)
    return tr


def _org(parent, tag: str, funder: dict | None):
    if funder is None:
        return
    el = _narrative(parent, tag, funder["name"])
    if funder["iati_ref"]:
        el.set("ref", funder["iati_ref"])
    el.set("type", FUNDER_ORG_TYPE.get(funder["type"], "90"))
    _set(el, code=funder["code"])


def _transactions(act, data) -> None:
    funders = {f["code"]: f for f in data["funders"]}
    grants = {g["code"]: g for g in data["grants"]}
    for g in data["grants"]:
        if g["status"] != "signed":
            continue
        tr = _transaction(act, INCOMING_COMMITMENT, g["signed_date"], g["amount"], g["currency"], g["code"])
        _set(tr, grant=g["code"], start_date=_d(g["start_date"]), end_date=_d(g["end_date"]),
             in_kind=bool(g["in_kind"]), probability=g["probability"])
        _org(tr, "provider-org", funders.get(g["funder_code"]))
    for r in data["receipts"]:
        tr = _transaction(act, INCOMING_FUNDS, r["date"], r["amount"], r["currency"], r["reference"] or None)
        _set(tr, grant=r["grant_code"], reference=r["reference"])
        _org(tr, "provider-org", funders.get(grants[r["grant_code"]]["funder_code"]))
    for e in data["spend"]:
        tr = _transaction(act, EXPENDITURE, e["date"], e["amount"], e["currency"])
        _set(tr, budget_line=e["budget_line_code"], grant=e["grant_code"], expenditures=int(e["n"]))
        etree.SubElement(etree.SubElement(tr, "description"), "narrative").text = (
            f"{e['budget_line_code']} {int(e['year']):04d}-{int(e['month']):02d}")


def _dimension(parent, country: str) -> None:
    if country:
        etree.SubElement(parent, "dimension", name="country", value=country)


def _results(act, data) -> None:
    start = _d(data["programme"]["start_date"])
    nodes = {n["code"]: n for n in data["nodes"]}
    by_node: dict[str, list[dict]] = {}
    for d in data["indicators"]:
        by_node.setdefault(d["logframe_code"], []).append(d)
    for node_code in sorted(by_node, key=lambda c: (list(nodes).index(c) if c in nodes else -1, c)):
        node = nodes[node_code]
        res = etree.SubElement(act, "result", type=RESULT_TYPE.get(node["level"], "9"))
        res.set("aggregation-status", "false")
        _set(res, code=node_code)
        _narrative(res, "title", node["title"])
        if node["description"]:
            _narrative(res, "description", node["description"])
        for d in by_node[node_code]:
            _indicator(res, d, data, start)


def _indicator(res, d: dict, data, start: dt.date) -> None:
    ind = etree.SubElement(res, "indicator", measure=MEASURE.get(d["unit"], "1"),
                           ascending="false" if d["direction"] == "decrease" else "true")
    ind.set("aggregation-status", "false")
    _set(ind, code=d["code"], unit=d["unit"], aggregation=d["aggregation"], computed_from=d["computed_from"])
    _narrative(ind, "title", d["label"])
    etree.SubElement(ind, "baseline", year=str(start.year), **{"iso-date": start.isoformat(),
                                                                 "value": number(d["baseline"])})
    periods: dict[dt.date, dict[str, list]] = {}
    for t in data["targets"]:
        if t["indicator_code"] == d["code"]:
            periods.setdefault(_d(t["period_end"]), {"targets": [], "actuals": []})["targets"].append(t)
    if d["computed_from"]:
        for (code, country), value in sorted(data["computed"].items()):
            if code == d["code"]:
                periods.setdefault(data["as_of"], {"targets": [], "actuals": []})["actuals"].append(
                    {"country_iso3": country, "value": value, "source": None, "comment": None})
    else:
        for m in data["measurements"]:
            if m["indicator_code"] == d["code"]:
                periods.setdefault(_d(m["period_end"]), {"targets": [], "actuals": []})["actuals"].append(m)
    previous = None
    for end in sorted(periods):
        lo = start if previous is None else previous + dt.timedelta(days=1)
        lo = min(lo, end)
        previous = end
        per = etree.SubElement(ind, "period")
        etree.SubElement(per, "period-start", **{"iso-date": lo.isoformat()})
        etree.SubElement(per, "period-end", **{"iso-date": end.isoformat()})
        for t in sorted(periods[end]["targets"], key=lambda r: r["country_iso3"]):
            el = etree.SubElement(per, "target", value=number(t["target"]))
            _dimension(el, t["country_iso3"])
        for m in sorted(periods[end]["actuals"], key=lambda r: r["country_iso3"]):
            el = etree.SubElement(per, "actual", value=number(m["value"]))
            _dimension(el, m["country_iso3"])
            if m["comment"]:
                _narrative(el, "comment", m["comment"])
            if m["source"]:
                etree.SubElement(el, pm("source")).text = m["source"]


def _extension(act, data) -> None:
    """What IATI has no element for, in our namespace (after every IATI element)."""
    for n in data["nodes"]:
        el = etree.SubElement(act, pm("logframe-node"))
        _set(el, code=n["code"], level=n["level"], parent=n["parent_code"], title=n["title"],
             description=n["description"])
    for f in data["funders"]:
        el = etree.SubElement(act, pm("funder"))
        _set(el, code=f["code"], name=f["name"], type=f["type"], country=f["country_iso3"], iati_ref=f["iati_ref"])
    for g in data["grants"]:
        if g["status"] == "signed":
            continue  # an incoming commitment transaction
        el = etree.SubElement(act, pm("grant"))
        _set(el, code=g["code"], funder=g["funder_code"], status=g["status"], amount=float(g["amount"]),
             currency=g["currency"], signed_date=_d(g["signed_date"]), start_date=_d(g["start_date"]),
             end_date=_d(g["end_date"]), probability=g["probability"], in_kind=bool(g["in_kind"]))
    for line in data["lines"]:
        el = etree.SubElement(act, pm("budget-line"))
        _set(el, code=line["code"], country=line["country_iso3"], category=line["category"],
             logframe=line["logframe_code"], label=line["label"], amount=float(line["amount"]),
             currency=line["currency"])
    for r in data["rates"]:
        el = etree.SubElement(act, pm("fx-rate"))
        _set(el, currency=r["currency"], month=r["month"], per_eur=float(r["per_eur"]))


def export_programme(conn, code: str, as_of: dt.date | None = None, now: dt.datetime | None = None) -> bytes:
    """The programme as an IATI 2.03 activities file (UTF-8 bytes), validated against the schema.

    Raises :class:`dashboard.kpis.UnknownProgramme`, or :class:`ExportError` if the document does
    not validate (never expected: tests/test_iati.py validates the demo and the unseen programme)."""
    as_of = as_of or default_as_of(conn, code)
    data = _gather(conn, code, as_of)
    now = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    root = etree.Element("iati-activities", nsmap={PREFIX: NS})
    root.set("version", IATI_VERSION)
    root.set("generated-datetime", now.isoformat())
    act = build_activity(data)
    act.set("last-updated-datetime", now.isoformat())
    root.append(act)
    xsd = schema()
    if not xsd.validate(root):
        raise ExportError("; ".join(f"{e.path}: {e.message}" for e in xsd.error_log)[:2000])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
