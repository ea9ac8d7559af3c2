"""Workbook import: read -> validate everything -> one transaction (or nothing), audited.

    report = import_workbook(engine, "data/demo", actor="cli", dry_run=True)
    report.ok, report.issues, report.counts

See docs/DATA_CONTRACT.md for the rules this implements.
"""
from __future__ import annotations

import datetime as dt
import gc
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .. import demo_state
from .. import schema as s
from ..db import bump_data_version
from ..i18n import fmt_number, t
from .read import RawWorkbook, UnreadableWorkbook, from_rows, read_csv_text, decode_csv, read_path, read_xlsx
from .validate import Issue, cap_issues, validate
from .write import apply, plan

__all__ = ["ImportReport", "Issue", "import_workbook", "read_upload"]


@dataclass
class ImportReport:
    ok: bool
    dry_run: bool
    filename: str
    issues: list[Issue] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    #: every error found; ``issues`` lists the first DASHBOARD_MAX_ERRORS_LISTED of them and then
    #: one line "and N more" (None: ``issues`` lists them all)
    total_errors: int | None = None

    @property
    def error_count(self) -> int:
        return len(self.issues) if self.total_errors is None else self.total_errors
    #: existing exchange rates the workbook changes: {currency, month, old, new}
    rate_changes: list[dict] = field(default_factory=list)
    #: programmes whose EUR figures already in the database change with the workbook's rates
    rate_programmes: list[str] = field(default_factory=list)
    #: workbook rates left out because the database already had rates for their currency (load-demo)
    kept_rates: int = 0

    @property
    def changed(self) -> bool:
        return any(c["inserted"] or c["updated"] or c["deleted"] for c in self.counts.values())

    def error_rows(self, lang: str = "fr") -> list[dict]:
        return [i.as_dict(lang) for i in self.issues]

    def render(self, lang: str = "fr") -> str:
        """A plain-text report for the terminal."""
        lines = []
        if not self.ok:
            lines.append(t("imp.report_rejected", lang, n=self.error_count))
            head = [t(f"imp.col.{c}", lang) for c in ("sheet", "row", "column", "value", "message")]
            lines.append(" | ".join(head))
            for e in self.error_rows(lang):
                if not e["sheet"] and e["row"] is None and not e["column"]:  # "and N more"
                    lines.append(e["message"])
                    continue
                value = e["value"] if len(e["value"]) <= 40 else e["value"][:37] + "..."
                lines.append(" | ".join(str(x if x is not None else "") for x in
                                        (e["sheet"], e["row"], e["column"], value, e["message"])))
            return "\n".join(lines)
        lines.append(t("imp.report_dry" if self.dry_run else "imp.report_ok", lang) + f": {self.filename}")
        cols = ("inserted", "updated", "unchanged", "deleted")
        lines.append(" | ".join([t("imp.col.sheet", lang)] + [t(f"imp.col.{c}", lang) for c in cols]))
        for sheet, counts in self.counts.items():
            lines.append(" | ".join([sheet] + [str(counts[c]) for c in cols]))
        lines += self.rate_lines(lang)
        return "\n".join(lines)

    def rate_lines(self, lang: str = "fr") -> list[str]:
        """What the workbook's exchange rates do to the figures already in the database."""
        lines = []
        if self.rate_changes:
            lines.append(t("imp.rates_changed", lang, n=len(self.rate_changes)))
            lines += [t("imp.rate_change", lang, currency=c["currency"], month=c["month"],
                        old=_rate(c["old"], lang), new=_rate(c["new"], lang))
                      for c in self.rate_changes]
        if self.rate_programmes:
            lines.append(t("imp.rates_programmes", lang, programmes=", ".join(self.rate_programmes)))
        if self.kept_rates:
            lines.append(t("imp.rates_kept", lang, n=fmt_number(self.kept_rates, lang)))
        return lines


def _rate(value: float, lang: str) -> str:
    """A rate with its significant decimals only: ``3,125`` (fr) / ``3.125`` (en)."""
    return fmt_number(value, lang, 6).rstrip("0").rstrip(",.")


def read_upload(name: str, data: bytes) -> RawWorkbook:
    """A workbook from an uploaded file: one .xlsx, or one CSV sheet named after the file."""
    import io

    if name.lower().endswith(".csv"):
        return RawWorkbook([read_csv_text(Path(name).stem, decode_csv(data))])
    if name.lower().endswith(".xml"):  # an IATI activities file (docs/DATA_CONTRACT.md, "IATI 2.03")
        from ..iati.read import read_iati

        return read_iati(data, name)
    return read_xlsx(io.BytesIO(data))


def _audit(conn, actor: str, action: str, details: dict) -> None:
    conn.execute(s.audit_log.insert().values(
        at=dt.datetime.now(dt.timezone.utc), actor=actor, action=action, entity="workbook",
        entity_key=details.get("file"), details=details))


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextmanager
def gc_paused():
    """Python's cyclic garbage collector off for the duration (re-entrant, thread-safe).

    A large import allocates millions of small lists, dicts and tuples that all stay alive until
    the end; the collector would traverse them again and again (about a third of the time of a
    million-row import) and find nothing to free. Reference counting still frees everything else.
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def import_workbook(engine: Engine, source, *, actor: str = "cli", filename: str | None = None,
                    dry_run: bool = False, replace_programme: str | None = None, scope=None,
                    start_demo_mode: bool = False, keep_existing_rates: bool = False) -> ImportReport:
    """Validate the whole workbook, then write it in one transaction, or write nothing.

    ``source``: a path (.xlsx, a folder of CSV files, one CSV), a :class:`RawWorkbook`, or rows in
    memory ``{sheet: [row dicts]}``. ``scope`` (a :class:`dashboard.auth.Scope`; None = the command
    line, unrestricted) rejects rows outside the user's write scope, and exchange rates that would
    change the figures of a programme outside it. ``keep_existing_rates`` leaves out the workbook's
    rates of currencies the database already has rates for (the demo loader). Rejected imports are audited
    too (in their own transaction).

    An accepted import ends demo mode (:mod:`dashboard.demo_state`) in its transaction, unless a
    demo account imports demo programmes only. ``start_demo_mode`` (the first-start demo load):
    on an empty database, record demo mode and create the demo accounts in the same transaction.
    """
    with gc_paused():
        return _import_workbook(engine, source, actor=actor, filename=filename, dry_run=dry_run,
                                replace_programme=replace_programme, scope=scope, start_demo_mode=start_demo_mode,
                                keep_existing_rates=keep_existing_rates)


def _import_workbook(engine: Engine, source, *, actor: str, filename: str | None, dry_run: bool,
                     replace_programme: str | None, scope, start_demo_mode: bool = False,
                     keep_existing_rates: bool = False) -> ImportReport:
    name = filename or (str(source) if isinstance(source, (str, Path)) else "<memory>")
    try:
        if isinstance(source, RawWorkbook):
            raw = source
        elif isinstance(source, dict):
            raw = from_rows(source)
        elif Path(source).suffix.lower() == ".xml":
            from ..iati.read import read_iati

            raw = read_iati(source)
        else:
            raw = read_path(source)
    except UnreadableWorkbook as err:
        report = ImportReport(False, dry_run, name, [Issue(Path(name).name, None, None, None, err.key, err.params)])
        _record_rejection(engine, actor, report, dry_run)
        return report

    if replace_programme and scope is not None and not scope.can_write(replace_programme):
        report = ImportReport(False, dry_run, name, [Issue("programmes", None, "code", replace_programme,
                                                           "imp.out_of_scope")])
        _record_rejection(engine, actor, report, dry_run)
        return report
    with engine.begin() as conn:
        demo_start = start_demo_mode and not dry_run and demo_state.is_empty(conn)  # before any write
        checked = validate(raw, conn, replace_programme, scope, keep_existing_rates)
        if checked.ok:
            the_plan = plan(conn, checked.rows, checked.state, replace_programme)
            counts = {sheet: p.counts() for sheet, p in the_plan.sheets.items()}
            rates = checked.rates
            changes = [{"currency": c, "month": m, "old": old, "new": new} for c, m, old, new in rates.changes]
            report = ImportReport(True, dry_run, name, [], counts, rate_changes=changes, rate_programmes=rates.programmes,
                                  kept_rates=rates.kept)
            if not dry_run:
                apply(conn, the_plan, actor)
                details = {"file": name, "counts": counts, "replace_programme": replace_programme}
                if changes or rates.programmes:
                    details.update(rate_changes=changes, rate_programmes=rates.programmes)
                _audit(conn, actor, "import", details)
                demo_before = demo_state.is_on(conn)
                if demo_start:
                    demo_state.start(conn, actor)
                elif not (start_demo_mode and demo_before):  # reloading the demo keeps it
                    demo_state.after_import(conn, actor, scope)
                if report.changed or demo_state.is_on(conn) != demo_before:
                    bump_data_version(conn)  # an import that changes nothing keeps every cache
            return report
    issues = raw.relocate(checked.issues) if hasattr(raw, "relocate") else checked.issues  # IATI: element paths
    listed, total = cap_issues(issues)
    report = ImportReport(False, dry_run, name, listed, total_errors=total)
    _record_rejection(engine, actor, report, dry_run)
    return report


def _record_rejection(engine: Engine, actor: str, report: ImportReport, dry_run: bool) -> None:
    if dry_run:
        return
    with engine.begin() as conn:
        _audit(conn, actor, "import_rejected", {"file": report.filename, "errors": report.error_count,
                                                "first_errors": report.error_rows("en")[:20]})
