"""the version of an office's own program catalogue moves onto the office's row; program_catalogues goes

Every kiosk request reads its office's row (web/offices.py) and, until now, a second row from
program_catalogues to learn whether the office keeps its own catalogue and at which version. With the
version on the office (NULL: the office uses dialogues/programs.yaml as installed) the same read answers
both, one statement less per request. offices has no row-level security (it holds no one's data), so the
version is read before the request's office is known, which a program_catalogues row, walled by 0008,
could not be on PostgreSQL.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

POLICY = "yorisoi_all_offices() OR office_id = yorisoi_current_office()"


def _postgresql() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def _see_every_office() -> None:
    """program_catalogues is walled (0008): this migration reads and writes every office's row."""
    if _postgresql():
        op.execute("SELECT set_config('app.office_id', 'all', true)")


def upgrade():
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('program_catalogue_version', sa.Integer(), nullable=True))
    _see_every_office()
    op.execute(
        'UPDATE offices SET program_catalogue_version = '
        '(SELECT version FROM program_catalogues WHERE program_catalogues.office_id = offices.id)'
    )
    op.drop_table('program_catalogues')


def downgrade():
    op.create_table(
        'program_catalogues',
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_program_catalogues_office_id_offices')),
        sa.PrimaryKeyConstraint('office_id', name=op.f('pk_program_catalogues')),
    )
    if _postgresql():
        op.execute('ALTER TABLE program_catalogues ENABLE ROW LEVEL SECURITY')
        op.execute('ALTER TABLE program_catalogues FORCE ROW LEVEL SECURITY')
        op.execute(f'CREATE POLICY office_wall ON program_catalogues USING ({POLICY}) WITH CHECK ({POLICY})')
    _see_every_office()
    op.execute(
        'INSERT INTO program_catalogues (office_id, version, updated_at) '
        'SELECT id, program_catalogue_version, CURRENT_TIMESTAMP FROM offices WHERE program_catalogue_version IS NOT NULL'
    )
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.drop_column('program_catalogue_version')
