"""pocket cards and check-ins

A pocket card is printed for one plan version and carries a short code (and, in its QR code, a signed token);
a check-in is what the recipient said at a kiosk with it. Both are an office's records: on PostgreSQL they get
the office wall of migration 0011.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 16:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

OFFICE_OWNED = ('pocket_cards', 'check_ins')
POLICY = "office_id = yorisoi_current_office()"


def upgrade():
    op.create_table(
        'pocket_cards',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=16), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('issued_by', sa.Integer(), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_reason', sa.String(length=16), nullable=True),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_pocket_cards_case_id_cases')),
        sa.ForeignKeyConstraint(['issued_by'], ['users.id'], name=op.f('fk_pocket_cards_issued_by_users')),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_pocket_cards_office_id_offices')),
        sa.ForeignKeyConstraint(['plan_id'], ['plan_versions.id'], name=op.f('fk_pocket_cards_plan_id_plan_versions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pocket_cards')),
        sa.UniqueConstraint('code', name=op.f('uq_pocket_cards_code')),
    )
    with op.batch_alter_table('pocket_cards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pocket_cards_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pocket_cards_office_id'), ['office_id'], unique=False)
    op.create_table(
        'check_ins',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('card_id', sa.Integer(), nullable=False),
        sa.Column('intake_id', sa.Integer(), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('day', sa.Date(), nullable=True),
        sa.Column('answers', sa.JSON(), nullable=True),
        sa.Column('needs_help', sa.Boolean(), nullable=False),
        sa.Column('wants_talk', sa.Boolean(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['card_id'], ['pocket_cards.id'], name=op.f('fk_check_ins_card_id_pocket_cards')),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_check_ins_case_id_cases')),
        sa.ForeignKeyConstraint(['intake_id'], ['intakes.id'], name=op.f('fk_check_ins_intake_id_intakes')),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_check_ins_office_id_offices')),
        sa.ForeignKeyConstraint(['plan_id'], ['plan_versions.id'], name=op.f('fk_check_ins_plan_id_plan_versions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_check_ins')),
        sa.UniqueConstraint('intake_id', name=op.f('uq_check_ins_intake_id')),
    )
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_ins_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_check_ins_office_id'), ['office_id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        for table in OFFICE_OWNED:
            op.execute(f'ALTER TABLE {table} ENABLE ROW LEVEL SECURITY')
            # Not FORCE: the owner runs migrations and is not held; the app's role, which owns nothing, is (0011).
            op.execute(f'CREATE POLICY office_wall ON {table} USING ({POLICY}) WITH CHECK ({POLICY})')


def downgrade():
    for table in ('check_ins', 'pocket_cards'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_office_id'))
            batch_op.drop_index(batch_op.f(f'ix_{table}_case_id'))
        op.drop_table(table)
