"""anonymous step counts (where people stop): one row per office, day, dialogue, step, language and measure

No column links a row to an intake, a person, a case or a session, and `day` is a date: see
intake/records/step_counts.py. Offices get `counts_keep_months` (NULL: COUNTS_KEEP_MONTHS). On PostgreSQL
the table has the office wall of migration 0007.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

POLICY = "office_id = yorisoi_current_office()"


def upgrade():
    op.create_table(
        'step_counts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('dialogue_id', sa.String(length=64), nullable=False),
        sa.Column('step_id', sa.String(length=64), nullable=False),
        sa.Column('locale', sa.String(length=16), nullable=False),
        sa.Column('measure', sa.String(length=40), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_step_counts_office_id_offices')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_step_counts')),
        sa.UniqueConstraint('office_id', 'day', 'dialogue_id', 'step_id', 'locale', 'measure', name='uq_step_counts_cell'),
    )
    with op.batch_alter_table('step_counts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_step_counts_office_id'), ['office_id'], unique=False)
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('counts_keep_months', sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == 'postgresql':
        # Room on each page for a count's next version: an answer's upsert then updates its rows in place (HOT).
        op.execute('ALTER TABLE step_counts SET (fillfactor = 50)')
        op.execute('ALTER TABLE step_counts ENABLE ROW LEVEL SECURITY')
        # Not FORCE: the owner runs migrations and is not held; the app's role, which owns nothing, is (0011).
        op.execute(f'CREATE POLICY office_wall ON step_counts USING ({POLICY}) WITH CHECK ({POLICY})')


def downgrade():
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.drop_column('counts_keep_months')
    with op.batch_alter_table('step_counts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_step_counts_office_id'))
    op.drop_table('step_counts')
