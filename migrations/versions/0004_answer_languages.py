"""intakes.written_in: the language each answer in the recipient's own words was written in

Before, free text was labelled with the intake's language at the end, so words written before a
switch of language were mislabelled. Existing intakes start empty: their drafts are read with the
intake's language, as before.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 08:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('intakes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('written_in', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('intakes', schema=None) as batch_op:
        batch_op.drop_column('written_in')
