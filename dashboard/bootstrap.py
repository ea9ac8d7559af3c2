"""Getting a database ready: schema migrations, and the demo programme on a fresh embedded file."""
from __future__ import annotations

from sqlalchemy.engine import Engine

from .db import DEFAULT_SQLITE_PATH, ROOT, has_schema, upgrade

DEMO_DIR = ROOT / "data" / "demo"


def load_demo(engine: Engine, actor: str = "demo"):
    """Import the demo workbook (``data/demo/``) through the ordinary importer."""
    from .importer import import_workbook

    upgrade(engine)
    return import_workbook(engine, DEMO_DIR, actor=actor, filename="data/demo")


def is_embedded_default(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite" and engine.url.database == str(DEFAULT_SQLITE_PATH)


def ensure_database(engine: Engine) -> None:
    """Upgrade the schema; on the embedded default with no schema yet, load the demo too."""
    fresh = not has_schema(engine)
    upgrade(engine)
    if fresh and is_embedded_default(engine):
        report = load_demo(engine)
        if not report.ok:  # the shipped demo must always import: fail loudly in development
            raise RuntimeError(report.render("en"))
