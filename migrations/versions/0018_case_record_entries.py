"""case record entries (ケース記録): drafts written on approval, review and check-in, confirmed once

A confirmed entry never changes: besides the service and the ORM, a trigger refuses an UPDATE of a
confirmed row (SQLite and PostgreSQL; the same as intake/records/case_records.py makes for create_all).
On PostgreSQL the table gets the office wall of migration 0011; env.py grants the app's role after upgrading.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 16:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

POLICY = "office_id = yorisoi_current_office()"
FROZEN = "a confirmed case record entry does not change"
SQLITE_TRIGGER = f"""
CREATE TRIGGER case_record_entries_frozen BEFORE UPDATE ON case_record_entries
WHEN OLD.confirmed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END
"""
POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION case_record_entries_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.confirmed_at IS NOT NULL THEN
    RAISE EXCEPTION '{FROZEN}' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$
"""
POSTGRESQL_TRIGGER = """
CREATE TRIGGER case_record_entries_frozen BEFORE UPDATE ON case_record_entries
FOR EACH ROW EXECUTE FUNCTION case_record_entries_frozen()
"""


def upgrade():
    op.create_table(
        'case_record_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=True),
        sa.Column('review_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_by', sa.Integer(), nullable=True),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('confirmed_by', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_record_entries_case_id_cases')),
        sa.ForeignKeyConstraint(
            ['confirmed_by'], ['users.id'], name=op.f('fk_case_record_entries_confirmed_by_users')
        ),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_case_record_entries_created_by_users')),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_case_record_entries_office_id_offices')),
        sa.ForeignKeyConstraint(
            ['plan_id'], ['plan_versions.id'], name=op.f('fk_case_record_entries_plan_id_plan_versions')
        ),
        sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_case_record_entries_review_id_reviews')),
        sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_case_record_entries_updated_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_record_entries')),
    )
    with op.batch_alter_table('case_record_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_record_entries_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_record_entries_office_id'), ['office_id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(POSTGRESQL_FUNCTION)
        op.execute(POSTGRESQL_TRIGGER)
        op.execute('ALTER TABLE case_record_entries ENABLE ROW LEVEL SECURITY')
        # Not FORCE: the owner runs migrations and is not held; the app's role, which owns nothing, is (0011).
        op.execute(f'CREATE POLICY office_wall ON case_record_entries USING ({POLICY}) WITH CHECK ({POLICY})')
    else:
        op.execute(SQLITE_TRIGGER)


def downgrade():
    with op.batch_alter_table('case_record_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_record_entries_office_id'))
        batch_op.drop_index(batch_op.f('ix_case_record_entries_case_id'))
    op.drop_table('case_record_entries')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP FUNCTION IF EXISTS case_record_entries_frozen()')
