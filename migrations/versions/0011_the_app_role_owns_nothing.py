"""the web app connects as a role that owns nothing: the walls hold it whatever it sets app.office_id to

Until now the app connected as the tables' owner, held to the policies of 0007 and 0008 by FORCE ROW LEVEL
SECURITY, and the value app.office_id = 'all' showed every office. An owner can switch its own row security off,
and any code that could set 'all' could read every office. From here on (PostgreSQL only):

- the policies compare office_id with the transaction's office and nothing else: 'all' shows no row;
- the owner (the role migrations run as: DATABASE_OWNER_URL) is not held; the web app's role (DATABASE_URL) owns
  nothing, so it is held and cannot switch the walls off (env.py grants it what it needs after every migration);
- two functions owned by the owner tell which office an account is in (sign-in, the signed-in user), and nothing
  else about it, before the request's office is known.

The same is made by intake/row_security.py for a schema made from the models (tests, `init-db`).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 13:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

WALLED = (
    'users',
    'intakes',
    'draft_plans',
    'cases',
    'case_intakes',
    'tickets',
    'worksheets',
    'plan_edits',
    'plan_versions',
    'plan_documents',
    'reviews',
    'audit_log',
    'programs',
    'program_texts',
)
POLICY = "office_id = yorisoi_current_office()"
OLD_POLICY = "yorisoi_all_offices() OR office_id = yorisoi_current_office()"


def _postgresql() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def upgrade():
    if not _postgresql():
        return
    op.execute(
        """CREATE OR REPLACE FUNCTION yorisoi_current_office() RETURNS integer LANGUAGE sql STABLE AS $$
             SELECT CASE WHEN current_setting('app.office_id', true) ~ '^[0-9]{1,9}$'
                         THEN current_setting('app.office_id', true)::integer END $$"""
    )
    for table in WALLED:
        op.execute(f'ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY')
        op.execute(f'DROP POLICY office_wall ON {table}')
        op.execute(f'CREATE POLICY office_wall ON {table} USING ({POLICY}) WITH CHECK ({POLICY})')
    op.execute('DROP FUNCTION yorisoi_all_offices()')
    op.execute(
        """CREATE OR REPLACE FUNCTION yorisoi_office_of_username(name text) RETURNS integer
             LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
             SELECT office_id FROM users WHERE username = name $$"""
    )
    op.execute(
        """CREATE OR REPLACE FUNCTION yorisoi_office_of_user(account integer) RETURNS integer
             LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
             SELECT office_id FROM users WHERE id = account $$"""
    )
    op.execute('REVOKE EXECUTE ON FUNCTION yorisoi_office_of_username(text), yorisoi_office_of_user(integer) FROM PUBLIC')


def downgrade():
    if not _postgresql():
        return
    op.execute('DROP FUNCTION yorisoi_office_of_user(integer)')
    op.execute('DROP FUNCTION yorisoi_office_of_username(text)')
    op.execute(
        """CREATE OR REPLACE FUNCTION yorisoi_all_offices() RETURNS boolean LANGUAGE sql STABLE AS $$
             SELECT coalesce(current_setting('app.office_id', true) = 'all', false) $$"""
    )
    for table in WALLED:
        op.execute(f'DROP POLICY office_wall ON {table}')
        op.execute(f'CREATE POLICY office_wall ON {table} USING ({OLD_POLICY}) WITH CHECK ({OLD_POLICY})')
        op.execute(f'ALTER TABLE {table} FORCE ROW LEVEL SECURITY')
