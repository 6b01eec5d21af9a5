"""cases: a folded search key, the reason a case was closed; the PDF filed for each plan version

cases.search_key holds the case number, name and reading folded as staff type them
(intake/domain/search.py), so the queue's search is one LIKE on one column. Existing cases get their
key here. cases.closed_reason and closed_note record why a case was closed (終結理由); cases closed
before this step keep no reason. plan_documents keeps the PDF made for an approved plan version.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 08:20:00

"""
from alembic import op
import sqlalchemy as sa

from intake.domain.search import case_search_key


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_reason', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('closed_note', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('search_key', sa.String(length=400), nullable=False, server_default=''))
    cases = sa.table(
        'cases',
        sa.column('id', sa.Integer),
        sa.column('case_number', sa.String),
        sa.column('name', sa.String),
        sa.column('name_reading', sa.String),
        sa.column('search_key', sa.String),
    )
    connection = op.get_bind()
    for row in connection.execute(sa.select(cases.c.id, cases.c.case_number, cases.c.name, cases.c.name_reading)).all():
        key = case_search_key(row.case_number, row.name, row.name_reading)[:400]
        connection.execute(cases.update().where(cases.c.id == row.id).values(search_key=key))
    op.create_table(
        'plan_documents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('made_by', sa.Integer(), nullable=False),
        sa.Column('made_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['made_by'], ['users.id'], name=op.f('fk_plan_documents_made_by_users')),
        sa.ForeignKeyConstraint(['plan_id'], ['plan_versions.id'], name=op.f('fk_plan_documents_plan_id_plan_versions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_documents')),
        sa.UniqueConstraint('plan_id', name=op.f('uq_plan_documents_plan_id')),
    )


def downgrade():
    op.drop_table('plan_documents')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('search_key')
        batch_op.drop_column('closed_note')
        batch_op.drop_column('closed_reason')
