"""Command line: ``python -m dashboard COMMAND``. Every command takes ``--db URL`` and honours
``DASHBOARD_DB_URL``. Exit status: 0 success, 1 rejected input (report printed), 2 usage error.

    python -m dashboard db upgrade
    python -m dashboard load-demo
    python -m dashboard import PATH [--dry-run] [--replace-programme CODE] [--lang fr|en]
    python -m dashboard kpis --programme CODE [--as-of YYYY-MM-DD]
    python -m dashboard iati export --programme CODE [--as-of YYYY-MM-DD] --out FILE.xml
    python -m dashboard demo write [--out data/demo]
    python -m dashboard demo scale N [--out DIR]          (benchmark workbook: N expenditures)
    python -m dashboard users add EMAIL --role ROLE [--programme CODE ...] [--country ISO3 ...] [--funder CODE]
    python -m dashboard users list
    python -m dashboard users disable EMAIL
    python -m dashboard users enable EMAIL
    python -m dashboard users set-password EMAIL
    python -m dashboard pack --programme CODE | --organisation [--as-of D] [--countries ISO3 ...] [--lang fr|en] --out FILE.pdf
    python -m dashboard backup PATH                       (SQLite; PostgreSQL: pg_dump / pg_restore)
    python -m dashboard restore PATH
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from . import db

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__.split("\n\n")[0])
    db_help = "database URL (default: DASHBOARD_DB_URL, secrets.toml, else sqlite:///data/dashboard.db)"
    # --db is accepted before the command (``--db URL users list``) and after it (``users list
    # --db URL``); after it, it is only set when given, so it never hides the one given before.
    parser.add_argument("--db", metavar="URL", help=db_help)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=db_help)
    sub = parser.add_subparsers(dest="command", required=True)

    p_db = sub.add_parser("db", help="schema management", parents=[common])
    p_db.add_argument("action", choices=["upgrade"])

    sub.add_parser("load-demo", help="create the schema and import the demo workbook", parents=[common])

    p_imp = sub.add_parser("import", help="import a workbook (.xlsx, a folder of CSV files, or an IATI .xml file)",
                           parents=[common])
    p_imp.add_argument("path", type=Path)
    p_imp.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
    p_imp.add_argument("--replace-programme", metavar="CODE",
                       help="delete every row of this programme, then import (one transaction)")
    p_imp.add_argument("--lang", choices=["fr", "en"], default="fr", help="language of the report")
    p_imp.add_argument("--actor", default="cli", help="name recorded in the audit log")

    p_kpis = sub.add_parser("kpis", help="print the figures of a programme as JSON", parents=[common])
    p_kpis.add_argument("--programme", required=True, metavar="CODE")
    p_kpis.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD")

    p_iati = sub.add_parser("iati", help="IATI 2.03 (aid transparency standard)", parents=[common])
    p_iati.add_argument("action", choices=["export"], help="export: a programme as an IATI activities file")
    p_iati.add_argument("--programme", required=True, metavar="CODE")
    p_iati.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="default: the programme's latest fact")
    p_iati.add_argument("--out", type=Path, required=True, metavar="FILE.xml")
    p_pack = sub.add_parser("pack", help="write the board pack (PDF) of a programme, and archive it", parents=[common])
    target = p_pack.add_mutually_exclusive_group(required=True)
    target.add_argument("--programme", metavar="CODE")
    target.add_argument("--organisation", action="store_true", help="every programme and the organisation's funding")
    p_pack.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD",
                        help="default: the programme's latest data, capped at its end (as the pages)")
    p_pack.add_argument("--countries", nargs="*", default=[], metavar="ISO3", help="default: every country")
    p_pack.add_argument("--lang", choices=["fr", "en"], default="fr")
    p_pack.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    p_pack.add_argument("--actor", default="cli", help="name recorded as the pack's author and in the audit log")

    for name, text in (("backup", "copy the SQLite database to a new file (online backup)"),
                       ("restore", "replace the SQLite database's content with a backup")):
        sub.add_parser(name, help=text, parents=[common]).add_argument("path", type=Path)

    p_users = sub.add_parser("users", help="accounts, roles and scopes")
    users_sub = p_users.add_subparsers(dest="users_command", required=True)
    p_add = users_sub.add_parser("add", help="create an account (the password is asked, or read from stdin)",
                                 parents=[common])
    p_add.add_argument("email")
    p_add.add_argument("--role", required=True, choices=["admin", "conseil", "manager", "funder"])
    p_add.add_argument("--programme", action="append", default=[], metavar="CODE", help="manager: programme")
    p_add.add_argument("--country", action="append", default=[], metavar="ISO3", help="manager: country")
    p_add.add_argument("--funder", metavar="CODE", help="funder accounts: the funder's code")
    p_add.add_argument("--no-password", action="store_true", help="single sign-on only: no local password")
    users_sub.add_parser("list", help="list the accounts", parents=[common])
    for name in ("disable", "enable", "set-password"):
        users_sub.add_parser(name, parents=[common]).add_argument("email")

    p_demo = sub.add_parser("demo", help="the demo workbook generator", parents=[common])
    p_demo.add_argument("action", choices=["write", "scale"],
                        help="write: the demo; scale N: 30 programmes with N expenditures (benchmark)")
    p_demo.add_argument("size", nargs="?", type=int, metavar="N", help="scale: number of expenditures")
    p_demo.add_argument("--out", type=Path, help="folder (default: data/demo, or data/scale-N)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except SQLAlchemyError as exc:
        print(f"database error: {exc.__class__.__name__}: {str(exc).splitlines()[0]}", file=sys.stderr)
        return EXIT_REJECTED


def _run(args) -> int:
    if args.command == "demo":
        from .demo import write_demo, write_scale

        if args.action == "scale":
            if not args.size or args.size < 1:
                print("demo scale needs a number of expenditures, e.g. demo scale 100000", file=sys.stderr)
                return EXIT_USAGE
            out = args.out or db.ROOT / "data" / f"scale-{args.size}"
            try:
                write_scale(out, args.size)
            except ValueError as err:
                print(str(err), file=sys.stderr)
                return EXIT_USAGE
            print(f"scale workbook ({args.size} expenditures) written to {out}")
            return EXIT_OK
        out = args.out or db.ROOT / "data" / "demo"
        write_demo(out)
        print(f"demo workbook written to {out}")
        return EXIT_OK

    engine = db.make_engine(args.db)
    if args.command == "db":
        db.upgrade(engine)
        print(f"schema up to date: {engine.url.render_as_string(hide_password=True)}")
        return EXIT_OK
    if args.command == "load-demo":
        from .bootstrap import is_embedded_default, load_demo

        # Demo mode only on the embedded default file, and only if it is empty (see load_demo).
        report = load_demo(engine, actor="cli", start_demo_mode=is_embedded_default(engine))
        print(report.render("en"))
        return EXIT_OK if report.ok else EXIT_REJECTED
    if args.command == "import":
        from .importer import import_workbook

        if not args.path.exists():
            print(f"no such file or folder: {args.path}", file=sys.stderr)
            return EXIT_USAGE
        db.upgrade(engine)  # an import on an empty database creates the schema first
        source, notes = args.path, []
        if args.path.suffix.lower() == ".xml":  # IATI: read here to print what the file leaves out
            from .i18n import t
            from .iati.read import read_iati
            from .importer.read import UnreadableWorkbook

            try:
                source = read_iati(args.path)
                notes = [t(key, args.lang, **params) for key, params in source.notes]
            except UnreadableWorkbook:
                pass  # import_workbook reads it again and reports why
        report = import_workbook(engine, source, actor=args.actor, dry_run=args.dry_run,
                                 replace_programme=args.replace_programme, filename=str(args.path))
        print(report.render(args.lang))
        if report.ok and notes:
            print("\n".join([t("iati.notes", args.lang)] + [f"- {n}" for n in notes]))
        return EXIT_OK if report.ok else EXIT_REJECTED
    if args.command == "iati":
        return _iati_export(engine, args)
    if args.command == "users":
        return _users(engine, args)
    if args.command in ("backup", "restore"):
        from .backup import BackupError, backup, restore

        try:
            if args.command == "backup":
                print(f"backup written: {backup(engine, args.path)}")
            else:
                if not args.path.exists():
                    print(f"no such file: {args.path}", file=sys.stderr)
                    return EXIT_USAGE
                kept = restore(engine, args.path)
                print(f"database restored from {args.path}")
                if kept:
                    print(f"the database it replaced is kept as {kept}")
        except BackupError as err:
            print(str(err), file=sys.stderr)
            return EXIT_REJECTED
        return EXIT_OK
    if args.command == "pack":
        return _pack(engine, args)
    if args.command == "kpis":
        from .kpis import UnknownProgramme, compute_kpis

        if not db.has_schema(engine):
            print("the database has no schema: run `python -m dashboard db upgrade` first", file=sys.stderr)
            return EXIT_USAGE
        try:
            with engine.connect() as conn:
                result = compute_kpis(conn, args.programme, args.as_of)
        except UnknownProgramme:
            print(f"unknown programme: {args.programme}", file=sys.stderr)
            return EXIT_USAGE
        try:  # NaN or Infinity is not JSON: refuse to print it rather than break the reader
            text = json.dumps(result, ensure_ascii=False, indent=2, allow_nan=False)
        except ValueError:
            print(f"programme {args.programme}: a figure is not a finite number (check the amounts "
                  "imported); nothing printed", file=sys.stderr)
            return EXIT_REJECTED
        print(text)
        return EXIT_OK
    return EXIT_USAGE


def _iati_export(engine, args) -> int:
    from .iati.export import export_programme
    from .kpis import UnknownProgramme

    if not db.has_schema(engine):
        print("the database has no schema: run `python -m dashboard db upgrade` first", file=sys.stderr)
        return EXIT_USAGE
    try:
        with engine.connect() as conn:
            data = export_programme(conn, args.programme, args.as_of)
    except UnknownProgramme:
        print(f"unknown programme: {args.programme}", file=sys.stderr)
        return EXIT_USAGE
    args.out.write_bytes(data)
    print(f"IATI activities file written: {args.out} ({len(data)} bytes, valid against the IATI 2.03 schema)")
    return EXIT_OK


def _pack(engine, args) -> int:
    """The board pack from the command line (for cron): built from the same page models as the
    app, outside a Streamlit run (their caches then live in this process only)."""
    import os

    from .auth import SYSTEM
    from .kpis import UnknownProgramme

    if not db.has_schema(engine):
        print("the database has no schema: run `python -m dashboard db upgrade` first", file=sys.stderr)
        return EXIT_USAGE
    db.upgrade(engine)
    os.environ["DASHBOARD_DB_URL"] = engine.url.render_as_string(hide_password=False)  # the pages' engine
    from . import pack

    try:
        result = pack.build(engine, SYSTEM, None if args.organisation else args.programme, args.as_of, [c.upper() for c in args.countries],
                            args.lang, generated_by=args.actor)
    except UnknownProgramme:
        print(f"unknown programme: {args.programme}", file=sys.stderr)
        return EXIT_USAGE
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(result.data)
    print(f"pack written: {args.out} ({result.pages} pages, data version {result.params['data_version']}, "
          f"archived as no. {result.archive_id})")
    return EXIT_OK


def _read_password(prompt: str = "Password: ") -> str:
    """From a prompt on a terminal (twice), else one line of standard input (for scripts)."""
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass(prompt)
        if getpass.getpass("Again: ") != first:
            raise ValueError("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\n")


def _users(engine, args) -> int:
    from . import auth
    from .i18n import t

    db.upgrade(engine)
    try:
        if args.users_command == "list":
            for u in auth.list_users(engine):
                scope = ",".join(u["programmes"] + u["countries"]) or (u["funder_code"] or "")
                state = "active" if u["active"] else "disabled"
                columns = [u["email"], u["role"], scope, state] + (["demo"] if u["is_demo"] else [])
                print("\t".join(columns))
        elif args.users_command == "add":
            password = None if args.no_password else _read_password()
            auth.add_user(engine, args.email, args.role, password, args.programme, args.country, args.funder)
            print(f"account created: {args.email.lower()} ({args.role})")
        elif args.users_command in ("disable", "enable"):
            auth.set_active(engine, args.email, args.users_command == "enable")
            print(f"account {args.users_command}d: {args.email.lower()}")
        elif args.users_command == "set-password":
            auth.set_password(engine, args.email, _read_password())
            print(f"password changed: {args.email.lower()}")
    except auth.AccountError as err:
        print(t(err.key, "en", **err.params), file=sys.stderr)
        return EXIT_REJECTED
    except ValueError as err:
        print(str(err), file=sys.stderr)
        return EXIT_REJECTED
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
