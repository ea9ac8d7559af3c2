"""Reading an IATI 2.03 activities file into the importer's workbook rows ``{sheet: [row dicts]}``.

    raw = read_iati(path_or_bytes, "file.xml")      # an IatiWorkbook (a RawWorkbook)
    import_workbook(engine, raw, ...)                # the ordinary validate -> plan -> apply

The file is parsed with a parser that loads no DTD, expands no entity and opens no network
connection, then validated against the official schema; schema errors are reported with the
activity identifier and the element path (as file errors: nothing is imported). Each activity
becomes a programme; the mapping is documented in docs/DATA_CONTRACT.md ("IATI 2.03"). Errors the
ordinary validation finds in the mapped rows are reported at the element they came from
(:meth:`IatiWorkbook.relocate`).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..importer.read import RawWorkbook, UnreadableWorkbook, from_rows
from ..importer.validate import Issue
from . import pm, schema

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MAX_SCHEMA_ERRORS = 200

#: IATI OrganisationType -> our funder type, for files without our extension.
ORG_TYPE_FUNDER = {"10": "public_bilateral", "11": "local_authority", "15": "public_bilateral",
                   "40": "multilateral", "60": "foundation", "70": "corporate", "71": "corporate",
                   "72": "corporate", "73": "corporate", "21": "partner_cofinancing", "22": "partner_cofinancing",
                   "23": "partner_cofinancing", "24": "partner_cofinancing"}
RESULT_LEVEL = {"3": "objective", "2": "objective", "1": "objective", "9": "objective"}


@dataclass
class IatiWorkbook(RawWorkbook):
    """Rows mapped from an IATI file, with where each row came from and what was left out."""

    #: (sheet, row number) -> (activity identifier, element path, {column: path below it})
    origins: dict = field(default_factory=dict)
    #: what the import leaves out or assumes: (catalogue key, params)
    notes: list = field(default_factory=list)

    def relocate(self, issues: list[Issue]) -> list[Issue]:
        """The validator's issues, placed at the activity and element they came from."""
        out = []
        for i in issues:
            origin = self.origins.get((i.sheet, i.row))
            if origin is None:
                out.append(i)
                continue
            label, path, columns = origin
            where = path + ("/" + columns[i.column] if i.column in columns else f" ({i.column})" if i.column else "")
            out.append(Issue(label, None, where, i.value, i.key, i.params))
        return out


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def read_iati(source, filename: str | None = None) -> IatiWorkbook:
    """An IATI activities file (a path or its bytes) as workbook rows, or its schema errors.

    Raises :class:`UnreadableWorkbook` when the file is not well-formed XML or declares a DTD."""
    if isinstance(source, (str, Path)):
        filename = filename or Path(source).name
        data = Path(source).read_bytes()
    else:
        data = bytes(source)
    stem = re.sub(r"[^A-Za-z0-9-]+", "-", Path(filename or "iati").stem).strip("-")[:40] or "IATI"
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        raise UnreadableWorkbook("iati.not_xml", reason=str(exc).splitlines()[0][:200]) from exc
    if tree.docinfo.doctype:
        raise UnreadableWorkbook("iati.doctype")
    root = tree.getroot()
    book = IatiWorkbook()
    activities = root.findall("iati-activity") if root.tag == "iati-activities" else []
    xsd = schema()
    if not xsd.validate(tree):
        for err in list(xsd.error_log)[:MAX_SCHEMA_ERRORS]:
            book.file_errors.append((_label_at(tree, activities, err.path), "iati.schema",
                                     {"path": err.path or "/", "detail": err.message}))
        return book
    mapper = _Mapper(tree, stem)
    for index, act in enumerate(activities, start=1):
        mapper.activity(index, act)
    book.notes = mapper.notes()
    book.file_errors += mapper.errors
    if not book.file_errors:
        for sheet, rows in mapper.rows.items():
            if rows:
                book.sheets += from_rows({sheet: [r for r, _ in rows]}).sheets
                for number, (_, origin) in enumerate(rows, start=2):
                    book.origins[(sheet, number)] = origin
    return book


def _label_at(tree, activities, path: str | None) -> str:
    """The identifier of the activity an element path points into (or the path's first step)."""
    match = re.match(r"^/iati-activities/iati-activity(?:\[(\d+)\])?", path or "")
    if not match or not activities:
        return "iati-activities"
    index = int(match.group(1) or 1)
    if index > len(activities):
        return f"iati-activity[{index}]"
    return _identifier(activities[index - 1]) or f"iati-activity[{index}]"


def _identifier(act) -> str:
    el = act.find("iati-identifier")
    return (el.text or "").strip() if el is not None else ""


def _text(el, tag: str | None = None) -> str | None:
    """The first non-blank narrative of ``el`` (or of its child ``tag``)."""
    if el is not None and tag is not None:
        el = el.find(tag)
    if el is None:
        return None
    for n in el.findall("narrative"):
        if n.text and n.text.strip():
            return n.text.strip()
    return None


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _number(text: str | None) -> float | None:
    try:
        value = float(text.strip()) if text is not None else None
    except ValueError:
        return None
    return value if value is None or value == value and abs(value) != float("inf") else None


def _code(text: str | None, fallback: str) -> str:
    text = (text or "").strip()
    return text[:64] if text else fallback


def _slug(text: str | None) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", (text or "").upper()).strip("-")[:32]


def _iso3(code: str | None) -> str | None:
    import pycountry

    if not code:
        return None
    country = (pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 else
               pycountry.countries.get(alpha_3=code.upper()) if len(code) == 3 else None)
    return country.alpha_3 if country else None


class _Mapper:
    def __init__(self, tree, stem: str):
        self.tree = tree
        self.stem = stem
        self.rows: dict[str, list] = {name: [] for name in (
            "programmes", "logframe", "indicators", "targets", "measurements", "funders", "organisations",
            "grants", "receipts", "budget_lines", "expenditures", "fx_rates")}
        self.errors: list[tuple[str, str, dict]] = []
        self._notes: dict[tuple[str, tuple], int] = {}
        self.funder_codes: set[str] = set()
        self.org_codes: set[str] = set()

    # -- helpers --------------------------------------------------------------------------
    def path(self, el) -> str:
        return self.tree.getpath(el)

    def add(self, sheet: str, row: dict, el, columns: dict | None = None) -> None:
        self.rows[sheet].append((row, (self.label, self.path(el), columns or {})))

    def note(self, key: str, **params) -> None:
        k = (key, tuple(sorted(params.items())))
        self._notes[k] = self._notes.get(k, 0) + 1

    def notes(self) -> list[tuple[str, dict]]:
        return [("iati.note.training", {})] + [(k, {**dict(p), "n": n}) for (k, p), n in self._notes.items()]

    def error(self, el, key: str, **params) -> None:
        self.errors.append((self.label, key, {"path": self.path(el), **params}))

    def money(self, el, value_el) -> tuple[float, str] | None:
        amount = _number(value_el.text if value_el is not None else None)
        currency = (value_el.get("currency") if value_el is not None else None) or self.currency
        if amount is None:
            self.error(value_el if value_el is not None else el, "iati.bad_value")
            return None
        if not currency:
            self.error(value_el, "iati.no_currency")
            return None
        return amount, currency

    # -- one activity -> one programme ----------------------------------------------------
    def activity(self, index: int, act) -> None:
        ident = _identifier(act)
        self.label = ident or f"iati-activity[{index}]"
        code = _code(act.get(pm("code")) or ident, f"{self.stem}-{index}" if index > 1 else self.stem)
        self.code = code
        self.currency = act.get("default-currency")
        dates = {d.get("type"): _date(d.get("iso-date")) for d in act.findall("activity-date")}
        start = dates.get("2") or dates.get("1")
        end = dates.get("4") or dates.get("3")
        if start is None or end is None:
            every = sorted(d for d in (
                [_date(e.get("iso-date")) for e in act.iter("activity-date", "period-start", "period-end",
                                                             "transaction-date")]) if d)
            if start is None and every:
                start = every[0]
            if end is None and every:
                end = every[-1]
            if start is not None and (end is None or end <= start):
                end = start + dt.timedelta(days=1)
            self.note("iati.note.dates_guessed", activity=self.label)
        if start is None:
            self.error(act, "iati.no_dates")
            return
        title = act.find("title")
        self.add("programmes", {
            "code": code, "name": _text(title) or code, "start_date": start, "end_date": end,
            "lead_organisation": act.get(pm("lead-organisation")) or _text(act.find("reporting-org")),
            "description": _text(act.find("description")),
        }, act, {"code": "iati-identifier", "start_date": "activity-date", "end_date": "activity-date"})
        self.organisations(act)
        for el in act.findall(pm("fx-rate")):
            self.add("fx_rates", {"currency": el.get(pm("currency")), "month": el.get(pm("month")),
                                  "per_eur": _number(el.get(pm("per-eur")))}, el)
        self.lines(act)
        self.transactions(act)
        self.results(act, _text(title) or code)

    def funder(self, el, role_el_code: str | None = None) -> str | None:
        """The funder code of a participating-org / provider-org (created on first sight)."""
        if el is None:
            return None
        ref = el.get("ref")
        name = _text(el)
        code = el.get(pm("code")) or (ref.strip()[:64] if ref and ref.strip() else None) or _slug(name) or None
        if code is None:
            return None
        if code not in self.funder_codes:
            self.funder_codes.add(code)
            self.add("funders", {
                "code": code, "name": name or code,
                "type": el.get(pm("type")) or ORG_TYPE_FUNDER.get(el.get("type") or "", "other"),
                "country_iso3": el.get(pm("country")), "iati_ref": ref or None,
            }, el, {"code": "@ref", "type": "@type"})
        return code

    def organisations(self, act) -> None:
        for el in act.findall(pm("funder")):
            code = el.get(pm("code"))
            if code and code not in self.funder_codes:
                self.funder_codes.add(code)
                self.add("funders", {"code": code, "name": el.get(pm("name")) or code, "type": el.get(pm("type")),
                                     "country_iso3": el.get(pm("country")), "iati_ref": el.get(pm("iati-ref"))}, el)
        for el in act.findall("participating-org"):
            role = el.get("role")
            if role == "1":
                self.funder(el)
            elif role == "4" and el.get(pm("code")) and el.get(pm("country")) and el.get(pm("type")):
                code = el.get(pm("code"))
                if code not in self.org_codes:
                    self.org_codes.add(code)
                    self.add("organisations", {
                        "code": code, "name": _text(el) or code, "country_iso3": el.get(pm("country")),
                        "type": el.get(pm("type")), "city": el.get(pm("city")), "iati_ref": el.get("ref")}, el)
            elif role != "4":  # implementing partners without our country and type are only named
                self.note("iati.note.org_ignored", role=role or "-")

    def lines(self, act) -> None:
        self.default_line = None
        ext = act.findall(pm("budget-line"))
        for el in ext:
            self.add("budget_lines", {
                "programme_code": self.code, "code": el.get(pm("code")), "country_iso3": el.get(pm("country")),
                "category": el.get(pm("category")), "logframe_code": el.get(pm("logframe")),
                "label": el.get(pm("label")), "amount": _number(el.get(pm("amount"))),
                "currency": el.get(pm("currency"))}, el)
        if ext:
            for el in act.findall("budget"):
                self.note("iati.note.budget_from_lines")
                break
            return
        # No budget lines of ours: the IATI budgets (revised over original for the same period)
        chosen: dict[tuple, tuple] = {}
        for el in act.findall("budget"):
            kind = el.get("type") or "1"
            if kind not in ("1", "2"):
                self.note("iati.note.budget_type_ignored", type=kind)
                continue
            key = (el.find("period-start").get("iso-date"), el.find("period-end").get("iso-date"))
            if kind == "2" or key not in chosen:
                chosen[key] = (kind, el)
        totals: dict[str, float] = {}
        first: dict[str, object] = {}
        for _, el in chosen.values():
            money = self.money(el, el.find("value"))
            if money:
                totals[money[1]] = totals.get(money[1], 0.0) + money[0]
                first.setdefault(money[1], el)
        countries = [_iso3(c.get("code")) for c in act.findall("recipient-country")]
        country = countries[0] if len(countries) == 1 else None
        for currency in sorted(totals):
            code = "IATI-BUDGET" if len(totals) == 1 else f"IATI-BUDGET-{currency}"
            self.default_line = self.default_line or code
            self.add("budget_lines", {"programme_code": self.code, "code": code, "country_iso3": country,
                                      "category": "other", "label": "Budget IATI", "amount": totals[currency],
                                      "currency": currency}, first[currency], {"amount": "value", "currency": "value/@currency"})

    def line_for_spending(self, el) -> str:
        if self.default_line is None:
            self.default_line = "IATI-BUDGET"
            self.add("budget_lines", {"programme_code": self.code, "code": "IATI-BUDGET", "category": "other",
                                      "label": "Budget IATI", "amount": 0.0, "currency": "EUR"}, el)
        return self.default_line

    def transactions(self, act) -> None:
        grants: dict[str, str] = {}  # funder -> first grant code (for receipts without pm:grant)
        for el in act.findall(pm("grant")):
            self.add("grants", {
                "code": el.get(pm("code")), "funder_code": el.get(pm("funder")), "programme_code": self.code,
                "status": el.get(pm("status")), "amount": _number(el.get(pm("amount"))),
                "currency": el.get(pm("currency")), "signed_date": _date(el.get(pm("signed-date"))),
                "start_date": _date(el.get(pm("start-date"))), "end_date": _date(el.get(pm("end-date"))),
                "probability": _number(el.get(pm("probability"))), "in_kind": el.get(pm("in-kind")) == "true"}, el)
        receipts_seen: set[tuple] = set()
        spend_seen: set[str] = set()
        for n, el in enumerate(act.findall("transaction"), start=1):
            kind = el.find("transaction-type").get("code")
            day = _date(el.find("transaction-date").get("iso-date"))
            if kind not in ("1", "11", "4"):
                self.note("iati.note.transaction_ignored", type=kind or "-")
                continue
            money = self.money(el, el.find("value"))
            if money is None:
                continue
            amount, currency = money
            columns = {"amount": "value", "currency": "value/@currency", "date": "transaction-date/@iso-date",
                       "signed_date": "transaction-date/@iso-date"}
            funder = self.funder(el.find("provider-org"))
            if kind == "11":
                if funder is None:
                    funder = self.unknown_funder(el)
                code = _code(el.get(pm("grant")) or el.get("ref"), f"{self.code}-C{n}")
                grants.setdefault(funder, code)
                self.add("grants", {
                    "code": code, "funder_code": funder, "programme_code": self.code, "status": "signed",
                    "amount": amount, "currency": currency, "signed_date": day,
                    "start_date": _date(el.get(pm("start-date"))), "end_date": _date(el.get(pm("end-date"))),
                    "probability": _number(el.get(pm("probability"))), "in_kind": el.get(pm("in-kind")) == "true",
                }, el, columns)
            elif kind == "1":
                grant = el.get(pm("grant")) or grants.get(funder or "")
                if grant is None:
                    grant = self.implicit_grant(el, funder or self.unknown_funder(el), currency, day)
                    grants[funder or ""] = grant
                reference = el.get(pm("reference")) or (el.get("ref") or "").strip()[:64] or None
                k = 1
                while (grant, day, reference) in receipts_seen:
                    k += 1
                    reference = f"{el.get('ref') or 'IATI'}-{k}"[:64]
                receipts_seen.add((grant, day, reference))
                self.add("receipts", {"grant_code": grant, "date": day, "reference": reference, "amount": amount,
                                      "currency": currency}, el, columns)
            else:
                line = el.get(pm("budget-line")) or self.line_for_spending(el)
                grant = el.get(pm("grant"))
                digest = hashlib.sha1("|".join((line, str(day), currency, grant or "")).encode()).hexdigest()[:12]
                reference = _code(el.get("ref"), f"IATI-{digest}")
                k = 1
                while reference in spend_seen:
                    k += 1
                    reference = f"IATI-{digest}-{k}"
                spend_seen.add(reference)
                self.add("expenditures", {
                    "programme_code": self.code, "reference": reference, "budget_line_code": line, "date": day,
                    "amount": amount, "currency": currency, "grant_code": grant,
                    "description": _text(el.find("description"))}, el, columns)

    def unknown_funder(self, el) -> str:
        code = "IATI-UNKNOWN"
        if code not in self.funder_codes:
            self.funder_codes.add(code)
            self.add("funders", {"code": code, "name": "?", "type": "other"}, el)
        return code

    def implicit_grant(self, el, funder: str, currency: str, day) -> str:
        """Receipts with no commitment: a neutral grant (prospect, amount 0, probability 0)."""
        code = f"{self.code}-{funder}"[:64]
        self.add("grants", {"code": code, "funder_code": funder, "programme_code": self.code, "status": "prospect",
                            "amount": 0.0, "currency": currency, "probability": 0.0}, el)
        self.note("iati.note.implicit_grant", grant=code)
        return code

    def results(self, act, title: str) -> None:
        nodes = act.findall(pm("logframe-node"))
        for el in nodes:
            self.add("logframe", {
                "programme_code": self.code, "code": el.get(pm("code")), "level": el.get(pm("level")),
                "parent_code": el.get(pm("parent")), "title": el.get(pm("title")),
                "description": el.get(pm("description"))}, el)
        results = act.findall("result")
        if results and not nodes:
            self.add("logframe", {"programme_code": self.code, "code": "G", "level": "goal", "title": title}, act)
        for r_index, res in enumerate(results, start=1):
            node = res.get(pm("code"))
            if not nodes or node is None:
                node = f"R{r_index}"
                self.add("logframe", {"programme_code": self.code, "code": node,
                                      "level": RESULT_LEVEL.get(res.get("type") or "", "objective"),
                                      "parent_code": "G", "title": _text(res, "title") or node,
                                      "description": _text(res, "description")}, res)
            for i_index, ind in enumerate(res.findall("indicator"), start=1):
                self.indicator(ind, node, f"{node}.I{i_index}")

    def indicator(self, ind, node: str, fallback: str) -> None:
        code = _code(ind.get(pm("code")), fallback)
        measure = (ind.get("measure") or "").lower()
        unit = ind.get(pm("unit")) or {"1": "count", "unit": "count", "2": "percent",
                                         "percentage": "percent"}.get(measure, "other")
        baseline = 0.0
        for b in ind.findall("baseline"):
            if b.find("dimension") is not None or b.find("location") is not None:
                continue
            value = _number(b.get("value"))
            if value is None and b.get("value") is not None:
                self.note("iati.note.not_numeric", indicator=code)
            baseline = value if value is not None else baseline
            break
        computed = ind.get(pm("computed-from"))
        if computed:
            self.note("iati.note.computed", indicator=code, source=computed)
        self.add("indicators", {
            "programme_code": self.code, "code": code, "logframe_code": node,
            "label": _text(ind, "title") or code, "unit": unit,
            "direction": "decrease" if ind.get("ascending") in ("false", "0") else "increase",
            "aggregation": "sum" if computed else (ind.get(pm("aggregation")) or "sum"), "baseline": baseline,
        }, ind, {"unit": "@measure", "baseline": "baseline/@value"})
        for period in ind.findall("period"):
            end = _date(period.find("period-end").get("iso-date"))
            for kind, sheet, column in (("target", "targets", "target"), ("actual", "measurements", "value")):
                for el in period.findall(kind):
                    country = self.country_of(el, code)
                    if country is None:
                        continue
                    value = _number(el.get("value"))
                    if value is None:
                        self.note("iati.note.not_numeric", indicator=code)
                        continue
                    row = {"programme_code": self.code, "indicator_code": code, "country_iso3": country or None,
                           "period_end": end, column: value}
                    if sheet == "measurements":
                        source = el.find(pm("source"))
                        row.update(comment=_text(el, "comment"),
                                   source=source.text if source is not None else None)
                    self.add(sheet, row, el, {column: "@value", "period_end": "../period-end/@iso-date",
                                              "country_iso3": "dimension/@value"})

    def country_of(self, el, indicator: str) -> str | None:
        """'' (regional), an ISO3 code, or None when the value is disaggregated otherwise (ignored)."""
        if el.find("location") is not None:
            self.note("iati.note.disaggregated", indicator=indicator)
            return None
        country = ""
        for dim in el.findall("dimension"):
            if dim.get("name") == "country":
                country = dim.get("value") or ""
            else:
                self.note("iati.note.disaggregated", indicator=indicator)
                return None
        return country
