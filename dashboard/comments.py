"""Explanations of gaps: a short dated text a manager (within their scope) or an administrator
attaches to an indicator row (indicator x country), a budget line or a country of a programme, for
a reporting period (the ``comments`` sheet of docs/DATA_CONTRACT.md).

- ``comments`` holds the current text of each subject and period; every text it ever had (the
  first one included) is a row of ``comment_versions``, so an edit never loses the previous text.
- Writes go through the importer's validation (same parser, same references, same write scope):
  :func:`save` for one explanation typed in the app, the ``comments`` sheet of a workbook import
  for many (:func:`record_versions` is called by the importer's writer). Both are audited and bump
  the data version in their transaction.
- :func:`visible` lists what a viewer may read (funders: only texts shared with funders, never a
  budget line), latest first; :func:`expected` lists the red or behind items of the current
  quarter with no explanation yet ("explication attendue").

No Streamlit here: the command line and the board pack use it too.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from . import schema as s
from .db import bump_data_version

SUBJECTS = ("indicator", "budget_line", "country")
MAX_LENGTH = 1000  # characters: a short explanation, not a report
KEY = ("programme_code", "subject", "code", "country_iso3", "period_end")
#: Statuses that call for an explanation (red on the pages, or behind).
NEEDS_EXPLANATION = {"indicator": ("behind",), "budget_line": ("over_budget", "overspend"),
                     "country": ("over_budget", "overspend")}


def quarter_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the calendar quarter holding ``day``."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    end = (dt.date(day.year + 1, 1, 1) if first_month == 10 else dt.date(day.year, first_month + 3, 1)) \
        - dt.timedelta(days=1)
    return start, end


def reporting_day(as_of: dt.date, programme_end: dt.date) -> dt.date:
    """The day whose quarter is the reporting period explanations are expected for: the as-of
    date, or the programme's last day once it has ended."""
    return min(as_of, programme_end)


# --- validation (called by dashboard.importer.validate for the ``comments`` sheet) -----------

def check(rows, conn, programmes: set, indicators: set, lines: set) -> list:
    """Rules of the ``comments`` sheet beyond the cells: the subject's code and country, the
    referenced indicator or budget line, the length. ``programmes``, ``indicators`` ({(programme,
    code)}) and ``lines`` ({(programme, code)}) hold the workbook's and the database's rows."""
    from .importer.validate import Issue

    line_countries = {(p, c): country or "" for p, c, country in conn.execute(
        sa.select(s.budget_lines.c.programme_code, s.budget_lines.c.code, s.budget_lines.c.country_iso3))}
    issues = []
    for row in rows:
        if not row.ok:
            continue
        v = row.values
        prog, subject, code, country = v["programme_code"], v["subject"], v["code"] or "", v["country_iso3"] or ""

        def issue(col, found, key, **params):
            issues.append(Issue("comments", row.number, col, found, key, params))

        if prog not in programmes:  # reported by the reference checks
            continue
        if len(v["text"]) > MAX_LENGTH:
            issue("text", f"{v['text'][:40]}…", "com.too_long", max=MAX_LENGTH)
        if subject == "country":
            if code:
                issue("code", code, "com.no_code_for_country")
            if not country:
                issue("country_iso3", None, "com.country_required")
        elif not code:
            issue("code", None, "imp.required")
        elif subject == "indicator" and (prog, code) not in indicators:
            issue("code", code, "imp.unknown_ref", what="indicator", value=code)
        elif subject == "budget_line":
            if (prog, code) not in lines:
                issue("code", code, "imp.unknown_ref", what="budget_line", value=code)
            elif (prog, code) in line_countries and line_countries[(prog, code)] != country:
                issue("country_iso3", country, "com.line_country", country=line_countries[(prog, code)] or "—")
    return issues


# --- writing ---------------------------------------------------------------------------------

def record_versions(conn: Connection, rows: list[dict], author: str, now: dt.datetime | None = None) -> None:
    """After ``rows`` (comments as written: the key and the new text) were inserted or updated:
    stamp their author and time, and keep the text as a new row of ``comment_versions``."""
    now = now or dt.datetime.now(dt.timezone.utc)
    c = s.comments.c
    for row in rows:
        where = [c[k] == row[k] for k in KEY]
        conn.execute(s.comments.update().where(*where).values(author=author, written_at=now))
        current = conn.execute(sa.select(c.version, c.text, c.shared_with_funders).where(*where)).one()
        conn.execute(s.comment_versions.insert().values(
            **{k: row[k] for k in KEY}, version=current.version, text=current.text,
            shared_with_funders=bool(current.shared_with_funders), author=author, written_at=now))


@dataclass
class SaveResult:
    ok: bool
    issues: list = field(default_factory=list)
    denied: bool = False
    version: int | None = None


def save(engine: Engine, scope, values: dict) -> SaveResult:
    """Write one explanation typed in the app: ``values`` holds the columns of the ``comments``
    sheet (``shared_with_funders`` may be omitted: not shared). Validated exactly as an import
    row, within ``scope``'s write rights; the new text becomes the current one and a new version
    (the previous text is kept); audited; the data version bumped. One transaction, or nothing."""
    from .importer.read import from_rows
    from .importer.validate import validate

    row = {"shared_with_funders": False, **values}
    if not scope.can_write(row.get("programme_code"), row.get("country_iso3") or None):
        _audit(engine, scope.email, "comment_refused", row, {"reason": "denied"})
        return SaveResult(False, denied=True)
    with engine.begin() as conn:
        checked = validate(from_rows({"comments": [row]}), conn, scope=scope)
        if not checked.ok:
            return SaveResult(False, issues=checked.issues)
        new = dict(checked.rows["comments"][0].values)
        new["shared_with_funders"] = bool(new["shared_with_funders"])
        c = s.comments.c
        where = [c[k] == new[k] for k in KEY]
        before = conn.execute(sa.select(c.text, c.shared_with_funders, c.version).where(*where)).mappings().first()
        if before is not None and before["text"] == new["text"] and bool(before["shared_with_funders"]) == \
                new["shared_with_funders"]:
            return SaveResult(True, version=before["version"])  # nothing changed: no new version
        if before is None:
            conn.execute(s.comments.insert().values(**new, version=1))
        else:
            conn.execute(s.comments.update().where(*where).values(
                text=new["text"], shared_with_funders=new["shared_with_funders"], version=c.version + 1))
        now = dt.datetime.now(dt.timezone.utc)
        record_versions(conn, [new], scope.email, now)
        conn.execute(s.audit_log.insert().values(
            at=now, actor=scope.email, action="comment", entity="comments", entity_key=key_text(new),
            before=None if before is None else {"text": before["text"],
                                                "shared_with_funders": bool(before["shared_with_funders"])},
            after={"text": new["text"], "shared_with_funders": new["shared_with_funders"]}))
        version = conn.execute(sa.select(c.version).where(*where)).scalar_one()
        bump_data_version(conn)
        return SaveResult(True, version=version)


def key_text(values: dict) -> str:
    return " / ".join(str(values[k]) if values[k] not in ("", None) else "-" for k in KEY)


def _audit(engine: Engine, actor: str, action: str, values: dict, details: dict) -> None:
    with engine.begin() as conn:
        conn.execute(s.audit_log.insert().values(
            at=dt.datetime.now(dt.timezone.utc), actor=actor, action=action, entity="comments",
            entity_key=" / ".join(str(values.get(k) or "-") for k in KEY), details=details))


# --- reading ---------------------------------------------------------------------------------

def visible(conn: Connection, programme: str, as_of: dt.date, countries=(), restricted=None,
            funder_view: bool = False) -> list[dict]:
    """The explanations a viewer may read for ``programme``, latest first (period, then time of
    writing): those of the reporting periods ending by the end of the quarter holding ``as_of``.

    ``countries``: the country filter (its countries and the programme-level texts);
    ``restricted``: the countries a restricted account may see (only those, never programme-level
    texts, as on the progress page), None when unrestricted; ``funder_view``: only the texts their
    authors shared with funders, and none about a budget line (internal finance)."""
    c = s.comments.c
    stmt = sa.select(*[c[k] for k in (*KEY, "text", "shared_with_funders", "author", "written_at", "version")]).where(
        c.programme_code == programme, c.period_end <= quarter_bounds(as_of)[1])
    if restricted is not None:
        stmt = stmt.where(c.country_iso3.in_(sorted(restricted)))
    elif countries:
        stmt = stmt.where(c.country_iso3.in_(sorted(countries) + [""]))
    if funder_view:
        stmt = stmt.where(c.shared_with_funders.is_(True), c.subject != "budget_line")
    stmt = stmt.order_by(c.period_end.desc(), c.written_at.desc(), c.subject, c.code, c.country_iso3)
    return [dict(r) for r in conn.execute(stmt).mappings()]


def export_rows(conn: Connection, programme: str, countries=None) -> list[dict]:
    """The current explanations of ``programme`` as rows of the ``comments`` sheet (the contract's
    columns, blank key parts as None), ready to be written as a workbook and imported again;
    ``countries``: only those (a country-restricted account), else every one."""
    from .importer.spec import SHEETS

    c = s.comments.c
    stmt = sa.select(*[c[name] for name in SHEETS["comments"].column_names]).where(c.programme_code == programme)
    if countries is not None:
        stmt = stmt.where(c.country_iso3.in_(sorted(countries)))
    stmt = stmt.order_by(*[c[k] for k in KEY])
    return [{k: (v if v != "" else None) if k in ("code", "country_iso3") else
             bool(v) if k == "shared_with_funders" else v for k, v in r.items()}
            for r in conn.execute(stmt).mappings()]


def history(conn: Connection, key: dict) -> list[dict]:
    """Every text of one explanation, latest first."""
    v = s.comment_versions.c
    return [dict(r) for r in conn.execute(sa.select(v.version, v.text, v.shared_with_funders, v.author, v.written_at)
                                          .where(*[v[k] == key[k] for k in KEY]).order_by(v.version.desc()))
            .mappings()]


def expected(found: list[dict], indicators: list[dict], lines: list[dict], countries: dict,
             as_of: dt.date) -> list[dict]:
    """Items that call for an explanation (an indicator row behind, a budget line or a country
    over budget or overspending) with none for the quarter holding ``as_of``: ``{"subject", "code", "country",
    "status"}``. ``found``: the explanations (:func:`visible`); ``indicators``: indicator rows
    (``kpis``); ``lines``: budget line records (code, country_iso3, status); ``countries``: the
    ``kpis`` countries block."""
    start, end = quarter_bounds(as_of)
    explained = {(c["subject"], c["code"], c["country_iso3"]) for c in found if start <= c["period_end"] <= end}
    out = []
    seen = set()
    candidates = [("indicator", r["code"], r["country"] or "", r["status"]) for r in indicators]
    candidates += [("budget_line", r["code"], r.get("country_iso3") or "", r["status"]) for r in lines]
    candidates += [("country", "", iso3, c["status"]) for iso3, c in countries.items()]
    for subject, code, country, status in candidates:
        key = (subject, code, country)
        if status in NEEDS_EXPLANATION[subject] and key not in explained and key not in seen:
            seen.add(key)
            out.append({"subject": subject, "code": code, "country": country, "status": status})
    return out
