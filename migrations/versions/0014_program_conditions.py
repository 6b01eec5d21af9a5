"""a program's conditions on facts: require and exclude, rules of the catalogue's vocabulary (JSON)

An office that made its catalogue its own before this keeps its programs as they were (no conditions, and
no childcare program): its admin reviews them in the program editor, where conditions are chosen from lists.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 13:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('require', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('exclude', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.drop_column('exclude')
        batch_op.drop_column('require')
