"""the audit log becomes a hash chain per office; offices keep closed cases for a retention period and purge by themselves

audit_log gets `seq` (the entry's place in its office's chain) and `hash`; offices get the chain's head
(`audit_seq`, `audit_head`), how many years a closed case is kept (`case_retention_years`, NULL: the
installation's CASE_RETENTION_YEARS) and when a request last ran the office's automatic purge (`purged_at`).
The entries already there are chained here, office by office in the order of their ids, with the hash
intake/records/audit_chain.py defines (its definition is copied below, frozen as format 1).

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-07 13:00:00

"""
import hashlib
import json
from datetime import UTC

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0011'
branch_labels = None
depends_on = None

offices = sa.table(
    'offices',
    sa.column('id', sa.Integer),
    sa.column('audit_seq', sa.Integer),
    sa.column('audit_head', sa.String),
)
audit_log = sa.table(
    'audit_log',
    sa.column('id', sa.Integer),
    sa.column('office_id', sa.Integer),
    sa.column('at', sa.DateTime(timezone=True)),
    sa.column('user_id', sa.Integer),
    sa.column('case_id', sa.Integer),
    sa.column('action', sa.String),
    sa.column('detail', sa.String),
    sa.column('seq', sa.Integer),
    sa.column('hash', sa.String),
)


def _entry_hash(row, seq, previous):
    """records/audit_chain.py's entry_hash, format 1, as it was when this migration was written."""
    at = row.at.replace(tzinfo=UTC) if row.at.tzinfo is None else row.at.astimezone(UTC)
    fields = [
        'yorisoi-audit-1',
        row.office_id,
        seq,
        row.id,
        at.strftime('%Y-%m-%dT%H:%M:%S.%fZ'),
        row.user_id,
        row.case_id,
        row.action,
        row.detail,
        previous,
    ]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False, separators=(',', ':')).encode('utf-8')).hexdigest()


def upgrade():
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('case_retention_years', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('audit_seq', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('audit_head', sa.String(length=64), server_default='', nullable=False))
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_audit_log_office_id'), ['office_id', 'seq'])

    connection = op.get_bind()
    if connection.dialect.name == 'postgresql':  # audit_log is walled (0007): this reads every office's rows
        op.execute("SELECT set_config('app.office_id', 'all', true)")
    for (office_id,) in connection.execute(sa.select(offices.c.id).order_by(offices.c.id)).all():
        rows = connection.execute(
            sa.select(audit_log).where(audit_log.c.office_id == office_id).order_by(audit_log.c.id)
        ).all()
        previous = ''
        for seq, row in enumerate(rows, start=1):
            previous = _entry_hash(row, seq, previous)
            connection.execute(audit_log.update().where(audit_log.c.id == row.id).values(seq=seq, hash=previous))
        connection.execute(
            offices.update().where(offices.c.id == office_id).values(audit_seq=len(rows), audit_head=previous)
        )


def downgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_log_office_id'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('seq')
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.drop_column('audit_head')
        batch_op.drop_column('audit_seq')
        batch_op.drop_column('purged_at')
        batch_op.drop_column('case_retention_years')
