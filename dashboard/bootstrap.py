"""Getting a database ready: schema migrations, and the demo programme on a fresh embedded file."""
from __future__ import annotations

from sqlalchemy.engine import Engine

import os

from .db import DEFAULT_SQLITE_PATH, has_schema, upgrade
from .demo import DEMO_DIR

#: The programme the app opens on in demo mode (seed 001).
DEMO_PROGRAMME = "PCRPM-C2"


def load_demo(engine: Engine, actor: str = "demo", start_demo_mode: bool = False):
    """Import the demo workbook (``data/demo/``) through the ordinary importer.

    ``start_demo_mode`` (the first start of the embedded database): if the database is empty,
    record demo mode and create the demo accounts in the import's transaction. On a database that
    holds anything else the demo is imported as ordinary data: no demo mode, no demo account.
    Exchange rates the database already has are kept: the demo never changes another programme's
    figures."""
    from .importer import import_workbook

    upgrade(engine)
    return import_workbook(engine, DEMO_DIR, actor=actor, filename="data/demo", start_demo_mode=start_demo_mode,
                           keep_existing_rates=True)


def is_embedded_default(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite" and engine.url.database == str(DEFAULT_SQLITE_PATH)


def is_demo_mode(engine: Engine) -> bool:
    """Demo mode, as recorded in the database (:mod:`dashboard.demo_state`): demo accounts and the
    "illustrative figures" banner exist in this mode only. Read afresh at every call."""
    from .demo_state import is_on

    return is_on(engine)


def ensure_database(engine: Engine) -> None:
    """Upgrade the schema; on the embedded default with no schema yet, load the demo too."""
    fresh = not has_schema(engine)
    upgrade(engine)
    if fresh and is_embedded_default(engine):
        report = load_demo(engine, start_demo_mode=True)
        if not report.ok:  # the shipped demo must always import: fail loudly in development
            raise RuntimeError(report.render("en"))


def default_programme(codes: list[str], demo: bool) -> str | None:
    """The programme a new session opens on: ``DASHBOARD_DEFAULT_PROGRAMME`` when it exists, the
    demo programme in demo mode, else the first code."""
    for wanted in (os.environ.get("DASHBOARD_DEFAULT_PROGRAMME"), DEMO_PROGRAMME if demo else None):
        if wanted in codes:
            return wanted
    return codes[0] if codes else None
