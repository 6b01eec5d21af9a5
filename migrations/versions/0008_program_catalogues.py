"""programs: each office's own catalogue of support programs, kept on the web by its admin

An office without rows here goes on using dialogues/programs.yaml; the admin's first change copies the
file into rows for that office (intake/services/programs.py), so an existing database needs no data
step. program_texts holds the recipient languages' texts of each program with the office text each
translates; program_catalogues the version every cached copy of an office's catalogue is checked against.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 13:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


PROGRAM_TABLES = ('program_catalogues', 'programs', 'program_texts')
POLICY = "yorisoi_all_offices() OR office_id = yorisoi_current_office()"


def upgrade():
    op.create_table(
        'program_catalogues',
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_program_catalogues_office_id_offices')),
        sa.PrimaryKeyConstraint('office_id', name=op.f('pk_program_catalogues')),
    )
    op.create_table(
        'programs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('group', sa.String(length=16), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('action', sa.Text(), nullable=False),
        sa.Column('barriers', sa.JSON(), nullable=False),
        sa.Column('goal_kinds', sa.JSON(), nullable=False),
        sa.Column('report_lines', sa.JSON(), nullable=False),
        sa.Column('always_for', sa.JSON(), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('ages', sa.JSON(), nullable=False),
        sa.Column('employment', sa.Boolean(), nullable=False),
        sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_programs_office_id_offices')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_programs')),
        sa.UniqueConstraint('office_id', 'key', name=op.f('uq_programs_office_id')),
    )
    op.create_table(
        'program_texts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('locale', sa.String(length=16), nullable=False),
        sa.Column('field', sa.String(length=16), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_program_texts_office_id_offices')),
        sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_program_texts_program_id_programs')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_program_texts')),
        sa.UniqueConstraint('program_id', 'locale', 'field', name=op.f('uq_program_texts_program_id')),
    )
    if op.get_bind().dialect.name == 'postgresql':
        # The same wall as 0007 (yorisoi_current_office, yorisoi_all_offices): one office never reads another's programs.
        for table in PROGRAM_TABLES:
            op.execute(f'ALTER TABLE {table} ENABLE ROW LEVEL SECURITY')
            op.execute(f'ALTER TABLE {table} FORCE ROW LEVEL SECURITY')
            op.execute(f'CREATE POLICY office_wall ON {table} USING ({POLICY}) WITH CHECK ({POLICY})')


def downgrade():
    op.drop_table('program_texts')
    op.drop_table('programs')
    op.drop_table('program_catalogues')
