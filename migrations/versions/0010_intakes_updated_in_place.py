"""an answer updates its intake in place: no index on intakes.updated_at (the purge uses created_at), room on each page

Every answer sets intakes.updated_at. While that column was indexed, PostgreSQL could never update an
intake's row in place (a heap-only tuple, HOT): each answer wrote a new entry into all five of the
table's indexes, and measured under load not one of 3,691 updates was HOT (the benchmark's floor table:
98 %). The nightly purge looked intakes up by updated_at; it now narrows by created_at (never changed,
and never later than updated_at) and checks updated_at on what that finds. A fill factor of 70 leaves
room on each page for an intake's next version, which grows a little with every answer.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 16:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('intakes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intakes_updated_at'))
        batch_op.create_index(batch_op.f('ix_intakes_created_at'), ['created_at'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE intakes SET (fillfactor = 70)')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE intakes RESET (fillfactor)')
    with op.batch_alter_table('intakes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intakes_created_at'))
        batch_op.create_index(batch_op.f('ix_intakes_updated_at'), ['updated_at'], unique=False)
