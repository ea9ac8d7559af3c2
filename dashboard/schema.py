"""The database schema: one table per sheet of the data contract, plus users and the audit log.

Natural keys are the primary keys, exactly as the data contract defines them, so an import is an
upsert by primary key. Where a key part may be blank in the workbook (a regional target or
measurement, a receipt without bank reference) it is stored as the empty string, because primary
key columns cannot be NULL; every other blank optional value is NULL.

Columns that exist only to keep queries portable between SQLite and PostgreSQL are computed at
import time and never typed by users:
- ``amount_eur``: the amount converted with the rule of METRICS.md;
- ``rate_month`` (YYYYMM): the month whose exchange rate converted the amount;
- ``year``/``month``: date buckets, so no query needs ``strftime`` or ``date_trunc``.
"""
from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

CODE = sa.String(64)
ISO3 = sa.String(3)
CURRENCY = sa.String(3)
MONEY = sa.Float  # double precision on both back ends; figures are compared to 1e-6


def _money_columns() -> list[sa.Column]:
    return [
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("currency", CURRENCY, nullable=False),
        sa.Column("amount_eur", MONEY, nullable=False),
    ]


programmes = sa.Table(
    "programmes", metadata,
    sa.Column("code", CODE, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("start_date", sa.Date, nullable=False),
    sa.Column("end_date", sa.Date, nullable=False),
    sa.Column("lead_organisation", sa.Text),
    sa.Column("description", sa.Text),
)

logframe = sa.Table(
    "logframe", metadata,
    sa.Column("programme_code", CODE, sa.ForeignKey("programmes.code"), primary_key=True),
    sa.Column("code", CODE, primary_key=True),
    sa.Column("level", sa.String(16), nullable=False),
    sa.Column("parent_code", CODE),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("description", sa.Text),
)

indicators = sa.Table(
    "indicators", metadata,
    sa.Column("programme_code", CODE, primary_key=True),
    sa.Column("code", CODE, primary_key=True),
    sa.Column("logframe_code", CODE, nullable=False),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("unit", sa.String(16), nullable=False),
    sa.Column("direction", sa.String(16), nullable=False),
    sa.Column("aggregation", sa.String(16), nullable=False),
    sa.Column("baseline", sa.Float, nullable=False),
    sa.Column("computed_from", sa.String(16)),
    sa.ForeignKeyConstraint(["programme_code", "logframe_code"], ["logframe.programme_code", "logframe.code"]),
)

targets = sa.Table(
    "targets", metadata,
    sa.Column("programme_code", CODE, primary_key=True),
    sa.Column("indicator_code", CODE, primary_key=True),
    sa.Column("country_iso3", sa.String(3), primary_key=True),  # '' = regional
    sa.Column("period_end", sa.Date, primary_key=True),
    sa.Column("target", sa.Float, nullable=False),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.ForeignKeyConstraint(["programme_code", "indicator_code"], ["indicators.programme_code", "indicators.code"]),
)

measurements = sa.Table(
    "measurements", metadata,
    sa.Column("programme_code", CODE, primary_key=True),
    sa.Column("indicator_code", CODE, primary_key=True),
    sa.Column("country_iso3", sa.String(3), primary_key=True),  # '' = regional
    sa.Column("period_end", sa.Date, primary_key=True),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("source", sa.Text),
    sa.Column("comment", sa.Text),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.ForeignKeyConstraint(["programme_code", "indicator_code"], ["indicators.programme_code", "indicators.code"]),
)

funders = sa.Table(
    "funders", metadata,
    sa.Column("code", CODE, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("country_iso3", ISO3),
    sa.Column("iati_ref", CODE),  # IATI organisation identifier, e.g. FR-6 (migration 0007)
)

grants = sa.Table(
    "grants", metadata,
    sa.Column("code", CODE, primary_key=True),
    sa.Column("funder_code", CODE, sa.ForeignKey("funders.code"), nullable=False),
    sa.Column("programme_code", CODE, sa.ForeignKey("programmes.code"), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    *_money_columns(),
    sa.Column("rate_month", sa.Integer, nullable=False),
    sa.Column("signed_date", sa.Date),
    sa.Column("start_date", sa.Date),
    sa.Column("end_date", sa.Date),
    sa.Column("probability", sa.Float),  # as given; NULL = the status default (METRICS.md)
    sa.Column("in_kind", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index(None, "programme_code", "status"),
)

receipts = sa.Table(
    "receipts", metadata,
    sa.Column("grant_code", CODE, sa.ForeignKey("grants.code"), primary_key=True),
    sa.Column("date", sa.Date, primary_key=True),
    sa.Column("reference", sa.String(64), primary_key=True),  # '' = no bank reference
    *_money_columns(),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("month", sa.Integer, nullable=False),
)

budget_lines = sa.Table(
    "budget_lines", metadata,
    sa.Column("programme_code", CODE, sa.ForeignKey("programmes.code"), primary_key=True),
    sa.Column("code", CODE, primary_key=True),
    sa.Column("country_iso3", ISO3),
    sa.Column("category", sa.String(16), nullable=False),
    sa.Column("logframe_code", CODE),
    sa.Column("label", sa.Text, nullable=False),
    *_money_columns(),
    sa.Column("rate_month", sa.Integer, nullable=False),
)

expenditures = sa.Table(
    "expenditures", metadata,
    sa.Column("programme_code", CODE, primary_key=True),
    sa.Column("reference", CODE, primary_key=True),
    sa.Column("budget_line_code", CODE, nullable=False),
    sa.Column("date", sa.Date, nullable=False),
    *_money_columns(),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("month", sa.Integer, nullable=False),
    sa.Column("grant_code", CODE, sa.ForeignKey("grants.code")),
    sa.Column("description", sa.Text),
    sa.ForeignKeyConstraint(["programme_code", "budget_line_code"], ["budget_lines.programme_code", "budget_lines.code"]),
    # Covering indexes (migration 0003): the budget queries read these, never the table.
    # "Spent per line (and currency) up to d" (budget_lines_spent):
    sa.Index("ix_expenditures_line_spent", "programme_code", "budget_line_code", "currency", "date", "amount",
             "amount_eur"),
    # "Spent per month up to d" (spend_by_month) and the latest date (latest_dates):
    sa.Index("ix_expenditures_monthly", "programme_code", "date", "budget_line_code", "year", "month", "amount_eur"),
)

organisations = sa.Table(
    "organisations", metadata,
    sa.Column("code", CODE, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("country_iso3", ISO3, nullable=False),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("city", sa.Text),
    sa.Column("iati_ref", CODE),  # IATI organisation identifier (migration 0007)
)

sessions = sa.Table(
    "sessions", metadata,
    sa.Column("code", CODE, primary_key=True),
    sa.Column("programme_code", CODE, nullable=False),
    sa.Column("logframe_code", CODE, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("country_iso3", ISO3),
    sa.Column("city", sa.Text),
    sa.Column("latitude", sa.Float),
    sa.Column("longitude", sa.Float),
    sa.Column("start_date", sa.Date, nullable=False),
    sa.Column("end_date", sa.Date, nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("month", sa.Integer, nullable=False),
    sa.Column("hours", sa.Float, nullable=False),
    sa.Column("theme", sa.Text),
    sa.ForeignKeyConstraint(["programme_code", "logframe_code"], ["logframe.programme_code", "logframe.code"]),
    sa.Index(None, "programme_code", "start_date"),
)

attendance = sa.Table(
    "attendance", metadata,
    sa.Column("session_code", CODE, sa.ForeignKey("sessions.code"), primary_key=True),
    sa.Column("participant_key", CODE, primary_key=True),
    sa.Column("organisation_code", CODE, sa.ForeignKey("organisations.code")),
    sa.Column("sex", sa.String(1)),
    sa.Column("age_band", sa.String(8)),
    # Covering index (migration 0009): a participant's sex as of a date, from their rows and sessions.
    sa.Index(None, "participant_key", "sex", "session_code"),
    # Covering index (migration 0003): the training queries read a session's attendance from it.
    sa.Index("ix_attendance_session_people", "session_code", "participant_key", "organisation_code", "sex",
             "age_band"),
)

fx_rates = sa.Table(
    "fx_rates", metadata,
    sa.Column("currency", CURRENCY, primary_key=True),
    sa.Column("month", sa.String(7), primary_key=True),  # YYYY-MM
    sa.Column("per_eur", sa.Float, nullable=False),
)

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("email", sa.String(254), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),  # admin, conseil, manager, funder
    sa.Column("password_hash", sa.Text),
    sa.Column("funder_code", CODE, sa.ForeignKey("funders.code")),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    # Sign-in throttling: consecutive failures, and no attempt is checked before locked_until.
    sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"),
    sa.Column("locked_until", sa.DateTime(timezone=True)),
    sa.Column("last_login_at", sa.DateTime(timezone=True)),
    # Demo accounts (listed on the sign-in page) only work in demo mode.
    sa.Column("is_demo", sa.Boolean, nullable=False, server_default=sa.false()),
)

user_scopes = sa.Table(
    "user_scopes", metadata,
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("kind", sa.String(16), primary_key=True),  # 'programme' or 'country'
    sa.Column("value", CODE, primary_key=True),
)

#: Signed-in browsers (migration 0006): the cookie carries a random token, only its SHA-256 is stored.
user_sessions = sa.Table(
    "user_sessions", metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),  # created + the absolute lifetime
)

#: Failed sign-ins per client address (per account: users.failed_logins), migration 0006.
sign_in_failures = sa.Table(
    "sign_in_failures", metadata,
    sa.Column("address", sa.String(64), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_failure_at", sa.DateTime(timezone=True)),
    sa.Column("locked_until", sa.DateTime(timezone=True)),
)

audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(254), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),  # import, import_rejected, edit, edit_refused, ...
    sa.Column("entity", sa.String(32)),
    sa.Column("entity_key", sa.Text),
    sa.Column("before", sa.JSON),
    sa.Column("after", sa.JSON),
    sa.Column("details", sa.JSON),
    sa.Index(None, "at"),
)

#: One row: a counter bumped in the same transaction as every write of data (import, edit,
#: restore, accounts). Caches key their entries by it, so no process serves figures older than the
#: last committed write (see dashboard/db.py ``bump_data_version`` and dashboard/ui/data.py).
data_version = sa.Table(
    "data_version", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=True)),
)

#: Recorded states of the database itself (migration 0005). ``demo_mode``: present while the
#: database holds the demo loaded at first start and nothing else (see dashboard/demo_state.py).
app_state = sa.Table(
    "app_state", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
)

#: Explanations of gaps (the ``comments`` sheet): one current text per subject (an indicator row,
#: a budget line or a country of a programme) and reporting period; every text it ever had is in
#: ``comment_versions`` (see dashboard/comments.py).
comments = sa.Table(
    "comments", metadata,
    sa.Column("programme_code", CODE, sa.ForeignKey("programmes.code"), primary_key=True),
    sa.Column("subject", sa.String(16), primary_key=True),  # indicator, budget_line, country
    sa.Column("code", CODE, primary_key=True),  # indicator or budget line code; '' for a country
    sa.Column("country_iso3", sa.String(3), primary_key=True),  # '' = regional / whole programme
    sa.Column("period_end", sa.Date, primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("shared_with_funders", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("author", sa.String(254)),
    sa.Column("written_at", sa.DateTime(timezone=True)),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
)

comment_versions = sa.Table(
    "comment_versions", metadata,
    sa.Column("programme_code", CODE, primary_key=True),
    sa.Column("subject", sa.String(16), primary_key=True),
    sa.Column("code", CODE, primary_key=True),
    sa.Column("country_iso3", sa.String(3), primary_key=True),
    sa.Column("period_end", sa.Date, primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("shared_with_funders", sa.Boolean, nullable=False),
    sa.Column("author", sa.String(254)),
    sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
)

#: Board packs as generated (the PDF itself, its parameters and the data version it was made at),
#: so a past meeting's pack can be reopened exactly as it was read.
packs = sa.Table(
    "packs", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(254), nullable=False),
    sa.Column("programme_code", CODE),  # NULL: the whole organisation
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("countries", sa.Text, nullable=False, server_default=""),  # comma-separated ISO3
    sa.Column("lang", sa.String(2), nullable=False),
    sa.Column("audience", sa.String(16), nullable=False),  # board (internal) or funder
    sa.Column("funder_code", CODE),
    sa.Column("data_version", sa.BigInteger, nullable=False),
    sa.Column("pages", sa.Integer, nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("pdf", sa.LargeBinary, nullable=False),
    sa.Index(None, "created_at"),
)

#: Sheets of the data contract in dependency order (a sheet only references sheets before it).
SHEET_TABLES: dict[str, sa.Table] = {
    "programmes": programmes,
    "logframe": logframe,
    "indicators": indicators,
    "targets": targets,
    "measurements": measurements,
    "funders": funders,
    "grants": grants,
    "receipts": receipts,
    "budget_lines": budget_lines,
    "expenditures": expenditures,
    "organisations": organisations,
    "sessions": sessions,
    "attendance": attendance,
    "fx_rates": fx_rates,
    "comments": comments,
}
