"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 11:13:30.771956
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=True),
    sa.Column('entity_key', sa.Text(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    op.create_table('funders',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('country_iso3', sa.String(length=3), nullable=True),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_funders'))
    )
    op.create_table('fx_rates',
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('per_eur', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('currency', 'month', name=op.f('pk_fx_rates'))
    )
    op.create_table('organisations',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('country_iso3', sa.String(length=3), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('city', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_organisations'))
    )
    op.create_table('programmes',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('lead_organisation', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_programmes'))
    )
    op.create_table('budget_lines',
    sa.Column('programme_code', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('country_iso3', sa.String(length=3), nullable=True),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('logframe_code', sa.String(length=64), nullable=True),
    sa.Column('label', sa.Text(), nullable=False),
    sa.Column('amount', sa.Float(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount_eur', sa.Float(), nullable=False),
    sa.Column('rate_month', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['programme_code'], ['programmes.code'], name=op.f('fk_budget_lines_programme_code_programmes')),
    sa.PrimaryKeyConstraint('programme_code', 'code', name=op.f('pk_budget_lines'))
    )
    op.create_table('grants',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('funder_code', sa.String(length=64), nullable=False),
    sa.Column('programme_code', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('amount', sa.Float(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount_eur', sa.Float(), nullable=False),
    sa.Column('rate_month', sa.Integer(), nullable=False),
    sa.Column('signed_date', sa.Date(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('probability', sa.Float(), nullable=True),
    sa.Column('in_kind', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['funder_code'], ['funders.code'], name=op.f('fk_grants_funder_code_funders')),
    sa.ForeignKeyConstraint(['programme_code'], ['programmes.code'], name=op.f('fk_grants_programme_code_programmes')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_grants'))
    )
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grants_programme_code_status'), ['programme_code', 'status'], unique=False)

    op.create_table('logframe',
    sa.Column('programme_code', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('parent_code', sa.String(length=64), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['programme_code'], ['programmes.code'], name=op.f('fk_logframe_programme_code_programmes')),
    sa.PrimaryKeyConstraint('programme_code', 'code', name=op.f('pk_logframe'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.Text(), nullable=True),
    sa.Column('funder_code', sa.String(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['funder_code'], ['funders.code'], name=op.f('fk_users_funder_code_funders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('expenditures',
    sa.Column('programme_code', sa.String(length=64), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('budget_line_code', sa.String(length=64), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('amount', sa.Float(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount_eur', sa.Float(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('grant_code', sa.String(length=64), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['grant_code'], ['grants.code'], name=op.f('fk_expenditures_grant_code_grants')),
    sa.ForeignKeyConstraint(['programme_code', 'budget_line_code'], ['budget_lines.programme_code', 'budget_lines.code'], name=op.f('fk_expenditures_programme_code_budget_line_code_budget_lines')),
    sa.PrimaryKeyConstraint('programme_code', 'reference', name=op.f('pk_expenditures'))
    )
    with op.batch_alter_table('expenditures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expenditures_programme_code_budget_line_code_date_amount_eur'), ['programme_code', 'budget_line_code', 'date', 'amount_eur'], unique=False)
        batch_op.create_index(batch_op.f('ix_expenditures_programme_code_date'), ['programme_code', 'date'], unique=False)

    op.create_table('indicators',
    sa.Column('programme_code', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('logframe_code', sa.String(length=64), nullable=False),
    sa.Column('label', sa.Text(), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('direction', sa.String(length=16), nullable=False),
    sa.Column('aggregation', sa.String(length=16), nullable=False),
    sa.Column('baseline', sa.Float(), nullable=False),
    sa.Column('computed_from', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['programme_code', 'logframe_code'], ['logframe.programme_code', 'logframe.code'], name=op.f('fk_indicators_programme_code_logframe_code_logframe')),
    sa.PrimaryKeyConstraint('programme_code', 'code', name=op.f('pk_indicators'))
    )
    op.create_table('receipts',
    sa.Column('grant_code', sa.String(length=64), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('amount', sa.Float(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount_eur', sa.Float(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['grant_code'], ['grants.code'], name=op.f('fk_receipts_grant_code_grants')),
    sa.PrimaryKeyConstraint('grant_code', 'date', 'reference', name=op.f('pk_receipts'))
    )
    op.create_table('sessions',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('programme_code', sa.String(length=64), nullable=False),
    sa.Column('logframe_code', sa.String(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('country_iso3', sa.String(length=3), nullable=True),
    sa.Column('city', sa.Text(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('theme', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['programme_code', 'logframe_code'], ['logframe.programme_code', 'logframe.code'], name=op.f('fk_sessions_programme_code_logframe_code_logframe')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_sessions'))
    )
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sessions_programme_code_start_date'), ['programme_code', 'start_date'], unique=False)

    op.create_table('user_scopes',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('value', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_scopes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'kind', 'value', name=op.f('pk_user_scopes'))
    )
    op.create_table('attendance',
    sa.Column('session_code', sa.String(length=64), nullable=False),
    sa.Column('participant_key', sa.String(length=64), nullable=False),
    sa.Column('organisation_code', sa.String(length=64), nullable=True),
    sa.Column('sex', sa.String(length=1), nullable=True),
    sa.Column('age_band', sa.String(length=8), nullable=True),
    sa.ForeignKeyConstraint(['organisation_code'], ['organisations.code'], name=op.f('fk_attendance_organisation_code_organisations')),
    sa.ForeignKeyConstraint(['session_code'], ['sessions.code'], name=op.f('fk_attendance_session_code_sessions')),
    sa.PrimaryKeyConstraint('session_code', 'participant_key', name=op.f('pk_attendance'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_participant_key_sex'), ['participant_key', 'sex'], unique=False)

    op.create_table('measurements',
    sa.Column('programme_code', sa.String(length=64), nullable=False),
    sa.Column('indicator_code', sa.String(length=64), nullable=False),
    sa.Column('country_iso3', sa.String(length=3), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['programme_code', 'indicator_code'], ['indicators.programme_code', 'indicators.code'], name=op.f('fk_measurements_programme_code_indicator_code_indicators')),
    sa.PrimaryKeyConstraint('programme_code', 'indicator_code', 'country_iso3', 'period_end', name=op.f('pk_measurements'))
    )
    op.create_table('targets',
    sa.Column('programme_code', sa.String(length=64), nullable=False),
    sa.Column('indicator_code', sa.String(length=64), nullable=False),
    sa.Column('country_iso3', sa.String(length=3), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('target', sa.Float(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['programme_code', 'indicator_code'], ['indicators.programme_code', 'indicators.code'], name=op.f('fk_targets_programme_code_indicator_code_indicators')),
    sa.PrimaryKeyConstraint('programme_code', 'indicator_code', 'country_iso3', 'period_end', name=op.f('pk_targets'))
    )


def downgrade() -> None:
    op.drop_table('targets')
    op.drop_table('measurements')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_participant_key_sex'))

    op.drop_table('attendance')
    op.drop_table('user_scopes')
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sessions_programme_code_start_date'))

    op.drop_table('sessions')
    op.drop_table('receipts')
    op.drop_table('indicators')
    with op.batch_alter_table('expenditures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expenditures_programme_code_date'))
        batch_op.drop_index(batch_op.f('ix_expenditures_programme_code_budget_line_code_date_amount_eur'))

    op.drop_table('expenditures')
    op.drop_table('users')
    op.drop_table('logframe')
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grants_programme_code_status'))

    op.drop_table('grants')
    op.drop_table('budget_lines')
    op.drop_table('programmes')
    op.drop_table('organisations')
    op.drop_table('fx_rates')
    op.drop_table('funders')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
