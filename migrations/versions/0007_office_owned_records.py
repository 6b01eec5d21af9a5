"""every record belongs to an office: office_id on staff, cases, intakes, plans and the audit log; walls on PostgreSQL

Moves an existing single-office database into the installation's office ("main", made by 0006): every
row of every office-owned table gets its id, nothing else changes. Case numbers become unique per
office. Offices get a kiosk enrolment key.

On PostgreSQL, each office-owned table gets a row-level security policy (FORCE, so the owner the app
connects as is held to it too): a row is visible and writable only when its office_id is the
transaction's `app.office_id` (set by intake/unit_of_work.py), or when that setting is 'all' (a lookup
that must cross offices says so). A later migration that changes rows sets app.office_id to 'all' first.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 13:00:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

OFFICE_OWNED = (
    'users',
    'intakes',
    'draft_plans',
    'cases',
    'case_intakes',
    'tickets',
    'worksheets',
    'plan_edits',
    'plan_versions',
    'plan_documents',
    'reviews',
    'audit_log',
)
POLICY = "yorisoi_all_offices() OR office_id = yorisoi_current_office()"


def _postgresql() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def upgrade():
    connection = op.get_bind()
    offices = sa.table('offices', sa.column('id', sa.Integer), sa.column('code', sa.String), sa.column('kiosk_key', sa.String))
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kiosk_key', sa.String(length=64), nullable=True))
    for (office_id,) in connection.execute(sa.select(offices.c.id)).all():
        connection.execute(offices.update().where(offices.c.id == office_id).values(kiosk_key=secrets.token_urlsafe(24)))
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.alter_column('kiosk_key', existing_type=sa.String(length=64), nullable=False)

    main = connection.execute(sa.select(offices.c.id).where(offices.c.code == 'main')).scalar_one()
    for table in OFFICE_OWNED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('office_id', sa.Integer(), nullable=True))
        op.execute(sa.table(table, sa.column('office_id', sa.Integer)).update().values(office_id=main))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('office_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_index(batch_op.f(f'ix_{table}_office_id'), ['office_id'], unique=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_office_id_offices'), 'offices', ['office_id'], ['id'])
            if table == 'cases':
                batch_op.drop_constraint('uq_cases_case_number', type_='unique')
                batch_op.create_unique_constraint(batch_op.f('uq_cases_office_id'), ['office_id', 'case_number'])

    if _postgresql():
        op.execute(
            """CREATE OR REPLACE FUNCTION yorisoi_current_office() RETURNS integer LANGUAGE sql STABLE AS $$
                 SELECT CASE WHEN current_setting('app.office_id', true) ~ '^[0-9]+$'
                             THEN current_setting('app.office_id', true)::integer END $$"""
        )
        op.execute(
            """CREATE OR REPLACE FUNCTION yorisoi_all_offices() RETURNS boolean LANGUAGE sql STABLE AS $$
                 SELECT coalesce(current_setting('app.office_id', true) = 'all', false) $$"""
        )
        for table in OFFICE_OWNED:
            op.execute(f'ALTER TABLE {table} ENABLE ROW LEVEL SECURITY')
            op.execute(f'ALTER TABLE {table} FORCE ROW LEVEL SECURITY')
            op.execute(f'CREATE POLICY office_wall ON {table} USING ({POLICY}) WITH CHECK ({POLICY})')


def downgrade():
    if _postgresql():
        for table in OFFICE_OWNED:
            op.execute(f'DROP POLICY office_wall ON {table}')
            op.execute(f'ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY')
            op.execute(f'ALTER TABLE {table} DISABLE ROW LEVEL SECURITY')
        op.execute('DROP FUNCTION yorisoi_all_offices()')
        op.execute('DROP FUNCTION yorisoi_current_office()')
    for table in reversed(OFFICE_OWNED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table == 'cases':
                batch_op.drop_constraint('uq_cases_office_id', type_='unique')
                batch_op.create_unique_constraint('uq_cases_case_number', ['case_number'])
            batch_op.drop_constraint(f'fk_{table}_office_id_offices', type_='foreignkey')
            batch_op.drop_index(f'ix_{table}_office_id')
            batch_op.drop_column('office_id')
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.drop_column('kiosk_key')
