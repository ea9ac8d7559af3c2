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

from .. import schema as s
from ..db import bump_data_version
from ..i18n import t
from .read import RawWorkbook, UnreadableWorkbook, from_rows, read_csv_text, decode_csv, read_path, read_xlsx
from .validate import Issue, validate
from .write import apply, plan

__all__ = ["ImportReport", "Issue", "import_workbook", "read_upload"]


@dataclass
class ImportReport:
    ok: bool
    dry_run: bool
    filename: str
    issues: list[Issue] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(c["inserted"] or c["updated"] or c["deleted"] for c in self.counts.values())

    def error_rows(self, lang: str = "fr") -> list[dict]:
        return [i.as_dict(lang) for i in self.issues]

    def render(self, lang: str = "fr") -> str:
        """A plain-text report for the terminal."""
        lines = []
        if not self.ok:
            lines.append(t("imp.report_rejected", lang, n=len(self.issues)))
            head = [t(f"imp.col.{c}", lang) for c in ("sheet", "row", "column", "value", "message")]
            lines.append(" | ".join(head))
            for e in self.error_rows(lang):
                value = e["value"] if len(e["value"]) <= 40 else e["value"][:37] + "..."
                lines.append(" | ".join(str(x if x is not None else "") for x in
                                        (e["sheet"], e["row"], e["column"], value, e["message"])))
            return "\n".join(lines)
        lines.append(t("imp.report_dry" if self.dry_run else "imp.report_ok", lang) + f": {self.filename}")
        cols = ("inserted", "updated", "unchanged", "deleted")
        lines.append(" | ".join([t("imp.col.sheet", lang)] + [t(f"imp.col.{c}", lang) for c in cols]))
        for sheet, counts in self.counts.items():
            lines.append(" | ".join([sheet] + [str(counts[c]) for c in cols]))
        return "\n".join(lines)


def read_upload(name: str, data: bytes) -> RawWorkbook:
    """A workbook from an uploaded file: one .xlsx, or one CSV sheet named after the file."""
    import io

    if name.lower().endswith(".csv"):
        return RawWorkbook([read_csv_text(Path(name).stem, decode_csv(data))])
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
                    dry_run: bool = False, replace_programme: str | None = None, scope=None) -> ImportReport:
    """Validate the whole workbook, then write it in one transaction, or write nothing.

    ``source``: a path (.xlsx, a folder of CSV files, one CSV), a :class:`RawWorkbook`, or rows in
    memory ``{sheet: [row dicts]}``. ``scope`` (a :class:`dashboard.auth.Scope`; None = the command
    line, unrestricted) rejects rows outside the user's write scope. Rejected imports are audited
    too (in their own transaction).
    """
    with gc_paused():
        return _import_workbook(engine, source, actor=actor, filename=filename, dry_run=dry_run,
                                replace_programme=replace_programme, scope=scope)


def _import_workbook(engine: Engine, source, *, actor: str, filename: str | None, dry_run: bool,
                     replace_programme: str | None, scope) -> ImportReport:
    name = filename or (str(source) if isinstance(source, (str, Path)) else "<memory>")
    try:
        if isinstance(source, RawWorkbook):
            raw = source
        elif isinstance(source, dict):
            raw = from_rows(source)
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
        checked = validate(raw, conn, replace_programme, scope)
        if checked.ok:
            the_plan = plan(conn, checked.rows, checked.state, replace_programme)
            counts = {sheet: p.counts() for sheet, p in the_plan.sheets.items()}
            report = ImportReport(True, dry_run, name, [], counts)
            if not dry_run:
                apply(conn, the_plan, actor)
                _audit(conn, actor, "import", {"file": name, "counts": counts, "replace_programme": replace_programme})
                bump_data_version(conn)
            return report
    report = ImportReport(False, dry_run, name, checked.issues)
    _record_rejection(engine, actor, report, dry_run)
    return report


def _record_rejection(engine: Engine, actor: str, report: ImportReport, dry_run: bool) -> None:
    if dry_run:
        return
    with engine.begin() as conn:
        _audit(conn, actor, "import_rejected", {"file": report.filename, "errors": len(report.issues),
                                                "first_errors": report.error_rows("en")[:20]})
