"""the account function nothing calls goes: yorisoi_office_of_user(integer)

Migration 0011 made two SECURITY DEFINER functions that tell an account's office before the request's office is
known. Sign-in and the operator's commands ask by username (yorisoi_office_of_username); nothing has asked by
account id since sessions carry their office. A function that reads `users` as its owner and is granted to the
app's role is surface to keep only while it is used. PostgreSQL only (SQLite has no functions to drop).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 19:20:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    if _postgresql():
        op.execute('DROP FUNCTION IF EXISTS yorisoi_office_of_user(integer)')


def downgrade():
    if not _postgresql():
        return
    op.execute(
        """CREATE OR REPLACE FUNCTION yorisoi_office_of_user(account integer) RETURNS integer
             LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
             SELECT office_id FROM users WHERE id = account $$"""
    )
    op.execute('REVOKE EXECUTE ON FUNCTION yorisoi_office_of_user(integer) FROM PUBLIC')
