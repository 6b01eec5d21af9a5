"""users.version: compare-and-set for account changes

An admin's form carries the account's version; a save from a form loaded before someone else
changed the account is refused (intake/accounts.py). Existing accounts start at version 1.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 21:35:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('version')
