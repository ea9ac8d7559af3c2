"""Alembic environment: runs migrations on the connection the CLI hands over, or on the URL the
app would use (``dashboard.db.resolve_url``) when called as ``alembic upgrade head``."""
from alembic import context

from dashboard.db import make_engine
from dashboard.schema import metadata

config = context.config


def run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite needs table copies for ALTER
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    with make_engine().begin() as conn:
        run(conn)
