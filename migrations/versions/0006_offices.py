"""offices: the welfare offices one service hosts, starting with the installation's own

Creates the offices table and the installation's office (code "main", named by OFFICE_NAME), so that the
next steps can give every record an office without losing anything.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 12:45:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa
from flask import current_app


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    offices = op.create_table(
        'offices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=32), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('head_title', sa.String(length=200), nullable=False),
        sa.Column('time_zone', sa.String(length=64), nullable=False),
        sa.Column('languages', sa.JSON(), nullable=True),
        sa.Column('walk_in_allowed', sa.Boolean(), nullable=True),
        sa.Column('idle_seconds', sa.Integer(), nullable=True),
        sa.Column('idle_warning_seconds', sa.Integer(), nullable=True),
        sa.Column('sheet_labels', sa.JSON(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_offices')),
        sa.UniqueConstraint('code', name=op.f('uq_offices_code')),
    )
    op.bulk_insert(
        offices,
        [
            {
                'code': 'main',
                'name': current_app.config.get('OFFICE_NAME') or '福祉事務所',
                'head_title': '',
                'time_zone': current_app.config.get('BABEL_DEFAULT_TIMEZONE') or 'Asia/Tokyo',
                'created_at': datetime.now(timezone.utc),
            }
        ],
    )


def downgrade():
    op.drop_table('offices')
